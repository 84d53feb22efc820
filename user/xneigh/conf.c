// SPDX-License-Identifier: GPL-2.0
/* xneigh conf: the neighbour parameters the running xneighd uses, per
 * family and device, with where each value comes from (XND_CTL_CONF_GET),
 * and run-time overrides of them (XND_CTL_CONF_SET); user/lib/ctlproto.h.
 * The daemon owns the key table and parses keys and values as it parses its
 * configuration file, so both say the same about a bad word
 * (user/xneighd/conf.h).
 *
 *   xneigh conf [show] [dev DEV] [-4|-6] [-j [-p]]
 *   xneigh conf set [dev DEV] [-4|-6] KEY {VALUE|default}
 *   xneigh conf unset [dev DEV] [-4|-6] KEY
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include "ctlproto.h"
#include "xneigh.h"

/* The daemon answers at once unless it is stuck. */
#define CONF_TIMEOUT_MS		5000

void help_conf(FILE *f)
{
	fprintf(f,
		"Usage: xneigh conf [ show ] [ dev DEV ] [ -4 | -6 ] [ -j [ -p ] ]\n"
		"       xneigh conf set [ dev DEV ] [ -4 | -6 ] KEY { VALUE | default }\n"
		"       xneigh conf unset [ dev DEV ] [ -4 | -6 ] KEY\n"
		"KEY := { base_reachable_time_ms | base_reachable_time | retrans_time_ms |\n"
		"         retrans_time | delay_first_probe_time | gc_stale_time | locktime |\n"
		"         ucast_solicit | mcast_solicit | app_solicit | mcast_resolicit |\n"
		"         unres_qlen | gc_thresh1 | gc_thresh2 | gc_thresh3 }\n"
		"\n"
		"show prints the neighbour parameters the running xneighd uses for DEV, or\n"
		"without dev (or with dev default) the table's default set, with the\n"
		"table-wide gc_thresh1/2/3, for inet then inet6 (-4 or -6 for one): each value\n"
		"in the unit of the sysctl file of that name, and where it comes from:\n"
		"  sysctl    net.ipv{4,6}.neigh.{DEV,default}.KEY\n"
		"  builtin   the kernel's default, where that sysctl does not exist (DEV\n"
		"            without that family; neigh.default and gc_thresh* exist only\n"
		"            in the initial network namespace)\n"
		"  file      xneighd's configuration file (xneighd --config)\n"
		"  override  xneigh conf set\n"
		"An override beats the file, which beats the sysctl; for each, a setting for\n"
		"the device beats one for every device.\n"
		"\n"
		"set overrides KEY for DEV (without dev: for every device and the default\n"
		"set), in both families unless -4 or -6 says; xneighd applies it at once.\n"
		"base_reachable_time is in s and retrans_time in USER_HZ ticks (1/100 s), as\n"
		"the kernel's files of those names; both are shown as their _ms keys.\n"
		"gc_thresh1/2/3 are table-wide (no dev). Overrides last until xneighd exits:\n"
		"persistent settings belong in its configuration file. \"set KEY default\" or\n"
		"\"unset KEY\" removes an override.\n"
		"\n"
		"Exit status: 0 success, 1 failure (no xneighd running), 2 usage error (an\n"
		"unknown key or device, a value out of range).\n");
}

enum conf_cmd { CONF_SHOW, CONF_SET, CONF_UNSET, CONF_HELP };

/* In match order: "s" is show. */
static const struct {
	const char *name;
	enum conf_cmd cmd;
} conf_cmds[] = {
	{ "show", CONF_SHOW },
	{ "list", CONF_SHOW },
	{ "set", CONF_SET },
	{ "unset", CONF_UNSET },
	{ "help", CONF_HELP },
};

struct conf_args {
	enum conf_cmd cmd;
	const char *dev;		/* NULL: the default set / every device */
	const char *key, *value;	/* set, unset */
};

/* -1 to go on, else the exit status (help printed or error reported). */
static int parse_args(struct cli *c, int argc, char **argv, struct conf_args *a)
{
	const char *words[3];
	int i, r, nw = 0, want;
	__u32 ifindex;

	memset(a, 0, sizeof(*a));
	a->cmd = CONF_SHOW;
	if (argc > 0 && argv[0][0] != '-' && strcmp(argv[0], "dev")) {
		int k = XN_MATCH_TABLE(argv[0], conf_cmds);

		if (k < 0)
			return cli_usage(c, "\"%s\" is not a conf command (show, set, unset), try "
					 "\"xneigh conf help\"", xn_tok(argv[0]));
		a->cmd = conf_cmds[k].cmd;
		argc--;
		argv++;
	}
	if (a->cmd == CONF_HELP) {
		help_conf(stdout);
		return XN_EXIT_OK;
	}
	want = a->cmd == CONF_SET ? 2 : a->cmd == CONF_UNSET ? 1 : 0;
	for (i = 0; i < argc; i++) {
		const char *w = argv[i];

		/* where the VALUE goes, a word is the value, "-1" or "-4" too:
		 * the daemon then names it as out of range */
		if (want == 2 && nw == 1) {
			words[nw++] = w;
			continue;
		}
		if (cli_is_help_opt(w) || !strcmp(w, "help")) {
			help_conf(stdout);
			return XN_EXIT_OK;
		}
		r = cli_option(c, argc - i, argv + i);
		if (r < 0)
			return XN_EXIT_USAGE;
		if (r > 0) {
			i += r - 1;
			continue;
		}
		if (!strcmp(w, "dev")) {
			if (++i >= argc)
				return cli_usage(c, "\"dev\" needs an interface name");
			if (a->dev)
				return cli_usage(c, "duplicate \"dev\": \"%s\" after \"%s\"",
						 xn_tok(argv[i]), xn_tok(a->dev));
			a->dev = argv[i];
			continue;
		}
		if (nw == want && nw)
			return cli_usage(c, "\"%s\" is unexpected after \"%s\"; try \"xneigh conf "
					 "help\"", xn_tok(w), xn_tok(words[nw - 1]));
		if (nw == want)
			return cli_usage(c, "\"%s\" is unexpected; try \"xneigh conf help\"",
					 xn_tok(w));
		words[nw++] = w;
	}
	if (nw < want)
		return cli_usage(c, "conf %s needs %s", a->cmd == CONF_SET ? "set" : "unset",
				 a->cmd == CONF_SET ? (nw ? "a VALUE (or default) after the KEY" :
						       "KEY VALUE") : "a KEY");
	if (want) {
		a->key = words[0];
		a->value = want == 2 ? words[1] : NULL;
	}
	if (a->dev && !strcmp(a->dev, "default"))
		a->dev = NULL;
	/* a device that does not exist is a bad argument (as in resolve) */
	if (a->dev)
		return cli_ifindex(c, a->dev, &ifindex);
	return -1;
}

/* Errors the daemon gives for a bad word of the command line. */
static bool usage_errno(int err)
{
	return err == -ENOENT || err == -EINVAL || err == -ERANGE || err == -ENODEV ||
	       err == -EAFNOSUPPORT;
}

static const char *family_word(int af)
{
	return af == AF_INET6 ? "inet6" : "inet";
}

struct conf_reply {
	struct xnd_ctl_conf hdr;
	struct xnd_ctl_conf_key keys[XND_CTL_CONF_MAX_KEYS];
};

/* CONF_GET for one family. -1 on success, else the exit status (error
 * reported). */
static int conf_get(struct cli *c, const struct conf_args *a, int af, struct conf_reply *out)
{
	struct xnd_ctl_conf_req cr = {};
	struct xnd_ctl_request req;
	struct xnd_ctl_reply rep;
	char msg[320];
	size_t len, i;
	int err;

	xnd_ctl_request_init(&req, XND_CTL_CONF_GET);
	req.family = (__u32)af;
	if (a->dev)
		snprintf(cr.dev, sizeof(cr.dev), "%s", a->dev);
	err = xnd_ctl_exchange(&req, &cr, sizeof(cr), &rep, out, sizeof(*out), &len,
			       CONF_TIMEOUT_MS, NULL, msg, sizeof(msg));
	if (err)
		return cli_fail(c, "%s", msg);
	if (rep.result == -EPERM)
		return cli_ctl_denied(c, "conf show");
	if (rep.result) {
		if (usage_errno(rep.result))
			return cli_usage(c, "%s", rep.msg);
		return cli_fail(c, "conf show: %s", rep.msg[0] ? rep.msg : strerror(-rep.result));
	}
	if (len < sizeof(out->hdr) || out->hdr.nkeys > XND_CTL_CONF_MAX_KEYS ||
	    len != sizeof(out->hdr) + out->hdr.nkeys * sizeof(out->keys[0]))
		return cli_fail(c, "xneighd answered conf show with %zu bytes this build does not "
				"understand", len);
	/* strings from the daemon are printed: terminate them */
	out->hdr.dev[sizeof(out->hdr.dev) - 1] = '\0';
	for (i = 0; i < out->hdr.nkeys; i++) {
		out->keys[i].key[sizeof(out->keys[i].key) - 1] = '\0';
		out->keys[i].source[sizeof(out->keys[i].source) - 1] = '\0';
	}
	return -1;
}

static void print_family(struct cli *c, int af, const struct conf_reply *r)
{
	char line[128];
	__u32 i;

	if (!c->json) {
		if (r->hdr.dev[0])
			snprintf(line, sizeof(line), "%s dev %s\n", family_word(af), r->hdr.dev);
		else
			snprintf(line, sizeof(line), "%s default\n", family_word(af));
		xn_print_text(&c->out, line);
		snprintf(line, sizeof(line), "%-24s %-11s %s\n", "KEY", "VALUE", "SOURCE");
		xn_print_text(&c->out, line);
	}
	for (i = 0; i < r->hdr.nkeys; i++) {
		const struct xnd_ctl_conf_key *k = &r->keys[i];

		if (!c->json) {
			snprintf(line, sizeof(line), "%-24s %-11d %s\n", k->key, k->value,
				 k->source);
			xn_print_text(&c->out, line);
			continue;
		}
		xn_open_object(&c->out, NULL);
		xn_print_string(&c->out, XN_PRINT_JSON, "family", NULL, family_word(af));
		if (r->hdr.dev[0])
			xn_print_string(&c->out, XN_PRINT_JSON, "dev", NULL, r->hdr.dev);
		xn_print_string(&c->out, XN_PRINT_JSON, "key", NULL, k->key);
		xn_print_int(&c->out, XN_PRINT_JSON, "value", NULL, k->value);
		xn_print_string(&c->out, XN_PRINT_JSON, "source", NULL, k->source);
		xn_close_object(&c->out);
	}
}

static int conf_show(struct cli *c, const struct conf_args *a)
{
	static struct conf_reply r[2];
	static const int afs[2] = { AF_INET, AF_INET6 };
	bool sel[2];
	int i, ret;

	/* both answers first: an error never follows half a table */
	for (i = 0; i < 2; i++) {
		sel[i] = c->family == AF_UNSPEC || c->family == afs[i];
		if (!sel[i])
			continue;
		ret = conf_get(c, a, afs[i], &r[i]);
		if (ret >= 0)
			return ret;
	}
	xn_open_array(&c->out, NULL);
	for (i = 0; i < 2; i++) {
		if (!sel[i])
			continue;
		if (!c->json && i && sel[0])
			xn_print_text(&c->out, "\n");
		print_family(c, afs[i], &r[i]);
	}
	xn_close_array(&c->out);
	xn_json_end(&c->out);
	return XN_EXIT_OK;
}

static int conf_set(struct cli *c, const struct conf_args *a)
{
	struct xnd_ctl_conf_req cr = {};
	struct xnd_ctl_request req;
	struct xnd_ctl_reply rep;
	bool unset = a->cmd == CONF_UNSET || !strcmp(a->value, "default");
	char msg[320];
	int err;

	/* the fields are what the daemon can read: longer words cannot be a
	 * key or a value it accepts, and are never cut; the daemon's words
	 * for them (conf.c), but for the range a longer number is beyond */
	if (strlen(a->key) >= sizeof(cr.key))
		return cli_usage(c, "unknown key '%s'", xn_tok(a->key));
	if (!unset && strlen(a->value) >= sizeof(cr.value)) {
		const char *digits = a->value + (a->value[0] == '-');

		if (*digits && !digits[strspn(digits, "0123456789")])
			return cli_usage(c, "value '%s' for %s is out of range", xn_tok(a->value),
					 xn_tok(a->key));
		return cli_usage(c, "invalid value '%s' for %s: not an integer", xn_tok(a->value),
				 xn_tok(a->key));
	}
	xnd_ctl_request_init(&req, XND_CTL_CONF_SET);
	req.family = (__u32)c->family;
	if (unset)
		req.flags |= XND_CTL_F_CONF_UNSET;
	if (a->dev)
		snprintf(cr.dev, sizeof(cr.dev), "%s", a->dev);
	snprintf(cr.key, sizeof(cr.key), "%s", a->key);
	if (!unset)
		snprintf(cr.value, sizeof(cr.value), "%s", a->value);
	err = xnd_ctl_exchange(&req, &cr, sizeof(cr), &rep, NULL, 0, NULL, CONF_TIMEOUT_MS,
			       NULL, msg, sizeof(msg));
	if (err)
		return cli_fail(c, "%s", msg);
	if (rep.result == -EPERM)
		return cli_ctl_denied(c, unset ? "conf unset" : "conf set");
	if (rep.result) {
		if (usage_errno(rep.result))
			return cli_usage(c, "%s", rep.msg);
		return cli_fail(c, "conf set: %s", rep.msg[0] ? rep.msg : strerror(-rep.result));
	}
	return XN_EXIT_OK;
}

int do_conf(struct cli *c, int argc, char **argv)
{
	struct conf_args a;
	int ret;

	ret = parse_args(c, argc, argv, &a);
	if (ret >= 0)
		return ret;
	if (a.cmd == CONF_SHOW)
		return conf_show(c, &a);
	return conf_set(c, &a);
}
