// SPDX-License-Identifier: GPL-2.0
/* xneigh: the neighbour tables of the xneigh data plane, in iproute2's words.
 *
 *   xneigh [OPTIONS] { show | add | change | replace | del | get | flush |
 *                      stats | resolve | monitor | status | conf | help } [ARGS]
 *   OPTIONS: -4 | -6 | -f inet|inet6 | -j | -p | -s | -t | -ts | -v | -V | -h
 *
 * Commands and keywords match by unique prefix in table order, as in
 * iproute2 (`xneigh s` is show, `xneigh st` is stats). Options may come
 * before the command (`xneigh -j show`) or among its arguments
 * (`xneigh show -j`).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <bpf/libbpf.h>
#include "ctlproto.h"
#include "log.h"
#include "maps_open.h"
#include "pins.h"
#include "xneigh.h"

static void cli_vreport(struct cli *c, const char *fmt, va_list ap)
{
	/* room for a few words cut by xn_tok() and the text around them */
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (!c->json) {
		/* stdout first, so text already produced precedes the error */
		xn_out_flush(&c->out);
		fprintf(stderr, "xneigh: %s\n", msg);
		return;
	}
	/* JSON: the error replaces the document if nothing was written yet;
	 * otherwise it follows what a consumer already has, on its own line. */
	if (c->out.written) {
		xn_out_flush(&c->out);
		if (write(c->out.fd, "\n", 1) < 0) {
			/* stdout is gone; the exit status still tells */
		}
	}
	xn_out_discard(&c->out);
	xn_open_object(&c->out, NULL);
	xn_print_string(&c->out, XN_PRINT_JSON, "error", NULL, msg);
	xn_close_object(&c->out);
	xn_json_end(&c->out);
	xn_out_flush(&c->out);
}

int cli_fail(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vreport(c, fmt, ap);
	va_end(ap);
	return XN_EXIT_FAIL;
}

int cli_usage(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vreport(c, fmt, ap);
	va_end(ap);
	return XN_EXIT_USAGE;
}

int cli_perm(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cli_vreport(c, fmt, ap);
	va_end(ap);
	return XN_EXIT_PERM;
}

int cli_maps_denied(struct cli *c)
{
	char dir[96];

	/* Without privileges the pins are out of reach (the directory is
	 * root's, mode 0700, and the bpf() syscall wants CAP_BPF), and so is
	 * the fallback through the attached programs (by-id opens want
	 * CAP_SYS_ADMIN). */
	if (xn_pin_dir(dir, sizeof(dir)))
		snprintf(dir, sizeof(dir), "%s/net<netns inode>", XN_PIN_ROOT);
	return cli_perm(c, "permission denied: the data plane's maps are root's alone (pinned in "
			"%s, mode 0700); run xneigh as root (CAP_BPF and CAP_SYS_ADMIN)", dir);
}

int cli_ctl_denied(struct cli *c, const char *what)
{
	struct sockaddr_un sa;
	socklen_t len;

	/* ctlsock.c: SO_PEERCRED, uid 0 or xneighd's own */
	if (xnd_ctl_addr(&sa, &len))
		snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "xneighd-net<netns inode>");
	return cli_perm(c, "%s: permission denied: xneighd's control socket @%s answers root "
			"(and xneighd's own user) only; run xneigh as root", what, sa.sun_path + 1);
}

int cli_maps_open(struct cli *c, struct xn_maps *m)
{
	int err = xn_maps_open(m);

	if (err == -EPERM)
		return cli_maps_denied(c);
	if (err)
		return cli_fail(c, "%s", m->errmsg);
	return -1;
}

int cli_ifindex(struct cli *c, const char *name, __u32 *ifindex)
{
	const char *why = xn_ifname_invalid(name);

	if (why)
		return cli_usage(c, "interface name \"%s\" %s", xn_tok(name), why);
	/* a name on the command line that names no device is a bad
	 * argument, like a malformed address (iproute2's words) */
	*ifindex = if_nametoindex(name);
	if (!*ifindex)
		return cli_usage(c, "Cannot find device \"%s\"", xn_tok(name));
	return -1;
}

/* ---- Options ------------------------------------------------------------ */

enum opt_id { OPT_JSON, OPT_PRETTY, OPT_STATS, OPT_VERBOSE, OPT_VERSION, OPT_HELP,
	      OPT_FAMILY, OPT_INET, OPT_INET6, OPT_TIMESTAMP, OPT_TSHORT };

/* In match order: a prefix selects the first option it fits (ip's order
 * puts -family first, so "-f" is -family). */
static const struct { const char *word; enum opt_id id; } options[] = {
	{ "-family",		OPT_FAMILY },
	{ "-json",		OPT_JSON },
	{ "-pretty",		OPT_PRETTY },
	{ "-statistics",	OPT_STATS },
	{ "-stats",		OPT_STATS },
	/* ip: "-t" is -timestamp, "-ts" -tshort */
	{ "-timestamp",		OPT_TIMESTAMP },
	{ "-tshort",		OPT_TSHORT },
	{ "-verbose",		OPT_VERBOSE },
	{ "-Version",		OPT_VERSION },
	{ "-help",		OPT_HELP },
};

/* Option id of arg, or -1. "--json" is accepted like "-json" (iproute2). */
static int option_id(const char *arg)
{
	int i;

	if (arg[0] != '-' || !arg[1])
		return -1;
	if (arg[1] == '-')
		arg++;
	/* exact words, as ip compares them */
	if (!strcmp(arg, "-4"))
		return OPT_INET;
	if (!strcmp(arg, "-6"))
		return OPT_INET6;
	/* "-" alone after stripping matches nothing: xn_matches needs two chars */
	if (strlen(arg) < 2)
		return -1;
	i = XN_MATCH_TABLE(arg, options);
	return i < 0 ? -1 : (int)options[i].id;
}

bool cli_is_help_opt(const char *arg)
{
	return option_id(arg) == OPT_HELP;
}

static void print_version(void)
{
	printf("xneigh utility, xneigh-%s, libbpf %u.%u\n", XNEIGH_VERSION,
	       libbpf_major_version(), libbpf_minor_version());
}

/* Set the family from an option; two options that ask for different
 * families are a usage error (ip takes the last), the same one twice is
 * not. opt is the option as given, "-6" or "-f inet6". 0 or an exit status. */
static int set_family(struct cli *c, int af, const char *opt)
{
	if (c->family != AF_UNSPEC && c->family != af)
		return cli_usage(c, "option \"%s\" conflicts with \"%s\" given before",
				 xn_tok(opt), c->family_opt);
	c->family = af;
	snprintf(c->family_opt, sizeof(c->family_opt), "%s", opt);
	return 0;
}

int cli_option(struct cli *c, int argc, char **argv)
{
	const char *arg = argv[0];
	char opt[XN_TOK_BUFLEN * 2];
	int af;

	if (arg[0] != '-')
		return 0;
	switch (option_id(arg)) {
	case OPT_JSON:
		c->json = true;
		c->out.json = true;
		return 1;
	case OPT_PRETTY:
		c->pretty = true;
		c->out.pretty = true;
		return 1;
	case OPT_STATS:
		c->stats++;
		return 1;
	case OPT_TIMESTAMP:
		if (c->timestamp < CLI_TS_LONG)
			c->timestamp = CLI_TS_LONG;
		return 1;
	case OPT_TSHORT:
		c->timestamp = CLI_TS_SHORT;
		return 1;
	case OPT_VERBOSE:
		c->verbose++;
		xn_log_set_level(c->verbose >= 2 ? XN_LOG_DEBUG : XN_LOG_INFO);
		return 1;
	case OPT_INET:
		return set_family(c, AF_INET, arg) ? -1 : 1;
	case OPT_INET6:
		return set_family(c, AF_INET6, arg) ? -1 : 1;
	case OPT_FAMILY:
		if (argc < 2) {
			cli_usage(c, "option \"%s\" needs a family (inet, inet6)", xn_tok(arg));
			return -1;
		}
		af = xn_family_parse(argv[1]);
		if (af < 0) {
			cli_usage(c, "family \"%s\" is invalid: xneigh has neighbour tables for inet and inet6",
				  xn_tok(argv[1]));
			return -1;
		}
		/* the option's own spelling (-f, -fam, --family) before the value */
		snprintf(opt, sizeof(opt), "%s %s", xn_tok(arg), argv[1]);
		return set_family(c, af, opt) ? -1 : 2;
	case OPT_VERSION:
	case OPT_HELP:
		/* handled by the callers, which know what to print */
		return 1;
	default:
		cli_usage(c, "option \"%s\" is unknown, try \"xneigh help\"", xn_tok(arg));
		return -1;
	}
}

/* ---- Help ------------------------------------------------------------------ */

void help_main(FILE *f)
{
	fprintf(f,
		"Usage: xneigh [ OPTIONS ] COMMAND [ ARGS ]\n"
		"       xneigh help [ COMMAND ]\n"
		"COMMAND := { show | add | replace | change | del | get | flush | stats |\n"
		"             resolve | monitor | status | conf | help }\n"
		"OPTIONS := { -4 | -6 | -f[amily] { inet | inet6 } | -j[son] | -p[retty] |\n"
		"             -s[tatistics] | -t[imestamp] | -ts[hort] | -v[erbose] |\n"
		"             -V[ersion] | -h[elp] }\n"
		"\n"
		"  show     list the neighbour entries of the data plane (like ip neigh show)\n"
		"  add, replace, change, del\n"
		"           write or remove one entry (like ip neigh add/replace/change/del)\n"
		"  get      print one entry (like ip neigh get)\n"
		"  flush    remove neighbour entries (like ip neigh flush)\n"
		"  stats    print every counter of the data plane\n"
		"  resolve  resolve one address now, through xneighd (neigh_event_send())\n"
		"  monitor  print the data plane's events as they happen (like ip monitor neigh)\n"
		"  status   what runs: xneighd, interfaces, programs, maps and their fill\n"
		"  conf     the neighbour parameters xneighd uses and where they come from;\n"
		"           run-time overrides (conf set)\n"
		"\n"
		"Both tables by default, IPv4 (ARP) then IPv6 (NDISC), as ip lists them;\n"
		"-4 (-f inet) or -6 (-f inet6) selects one.\n"
		"\n"
		"Commands, keywords and options may be abbreviated to a unique prefix.\n"
		"Options may also follow the command. With -j, errors are JSON too:\n"
		"{\"error\": \"...\"} on standard output.\n"
		"Exit status: 0 success, 1 failure, 2 usage error, 4 permission denied (not\n"
		"root: the maps need CAP_BPF and CAP_SYS_ADMIN, xneighd answers root only).\n"
		"See xneigh(8).\n");
}

void help_neigh(FILE *f)
{
	fprintf(f,
		"Usage: xneigh show  [ [ to ] PREFIX ] [ dev DEV ] [ nud STATE ] [ OPTIONS ]\n"
		"       xneigh flush { [ to ] PREFIX | dev DEV | nud STATE } ... [ OPTIONS ]\n"
		"PREFIX := { A.B.C.D[/LEN] | X:X::X[/LEN] | all | any | default }\n"
		"STATE := { all | permanent | noarp | reachable | stale | none |\n"
		"           incomplete | delay | probe | failed }\n"
		"OPTIONS := { -4 | -6 | -f[amily] { inet | inet6 } | -j[son] | -p[retty] |\n"
		"             -s[tatistics] }\n"
		"\n"
		"show prints entries as `ip neigh show` does: IPv4 then IPv6 (-4/-6 for one\n"
		"table; an address PREFIX also selects its family), every state but NOARP\n"
		"and NONE unless nud says otherwise; -s adds what ip -s adds: \"ref 1\" in\n"
		"the states that run a timer, used/confirmed/updated ages and probes.\n"
		"flush removes every entry but PERMANENT and NOARP unless nud says otherwise\n"
		"(FAILED ones in the first round only, as ip); like ip it needs at least one\n"
		"selector (\"xneigh flush all\" empties both tables). -s reports the rounds as\n"
		"`ip -s neigh flush` does; -s -s also lists the entries it deletes.\n"
		"Entries flagged extern_learn match every nud filter, as in iproute2.\n");
}

void help_stats(FILE *f)
{
	fprintf(f,
		"Usage: xneigh stats [ -4 | -6 | -f { inet | inet6 } ] [ -s ] [ -j [ -p ] ]\n"
		"\n"
		"Per neighbour table (arp_cache for IPv4, ndisc_cache for IPv6; -4 or -6\n"
		"selects one): the columns of /proc/net/stat/arp_cache, in decimal, summed\n"
		"over CPUs, then every other counter (why a frame went where), one per line.\n"
		"-s adds a row (a column for the other counters) per possible CPU before\n"
		"the total; entries, a count of the whole table, is in the total only.\n");
}

/* ---- Commands ------------------------------------------------------------------ */

static int do_help(struct cli *c, int argc, char **argv);

/* In match order: `s` is show, `st` stats, `l` list (= show). The name
 * comes first in each element (XN_MATCH_TABLE). */
static const struct cmd {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
	void (*help)(FILE *f);
} cmds[] = {
	{ "show",	do_show,	help_neigh },
	{ "list",	do_show,	help_neigh },
	{ "lst",	do_show,	help_neigh },
	/* ip neigh's order (do_ipneigh): "a" add, "c" change, "r" replace,
	 * "d" delete, "g" get */
	{ "add",	do_add,		help_modify },
	{ "change",	do_change,	help_modify },
	{ "chg",	do_change,	help_modify },
	{ "replace",	do_replace,	help_modify },
	{ "delete",	do_del,		help_modify },
	{ "get",	do_get,		help_modify },
	{ "flush",	do_flush,	help_neigh },
	{ "stats",	do_stats,	help_stats },
	/* through the running xneighd (its control socket) */
	{ "resolve",	do_resolve,	help_resolve },
	{ "monitor",	do_monitor,	help_monitor },
	{ "status",	do_status,	help_status },
	{ "conf",	do_conf,	help_conf },
	{ "help",	do_help,	help_main },
};

static const struct cmd *find_cmd(const char *word)
{
	int i = XN_MATCH_TABLE(word, cmds);

	return i < 0 ? NULL : &cmds[i];
}

static int do_help(struct cli *c, int argc, char **argv)
{
	const struct cmd *cmd;

	if (argc == 0) {
		help_main(stdout);
		return XN_EXIT_OK;
	}
	cmd = find_cmd(argv[0]);
	if (!cmd)
		return cli_usage(c, "no help for unknown command \"%s\", try \"xneigh help\"",
				 xn_tok(argv[0]));
	if (argc > 1)
		return cli_usage(c, "\"%s\" is unexpected after \"help %s\": help takes one "
				 "command", xn_tok(argv[1]), cmd->name);
	cmd->help(stdout);
	return XN_EXIT_OK;
}

/* Look ahead for -j/-p so that errors found before the parser reaches them
 * are already JSON. Values of keywords (dev NAME ...) are skipped. */
static void prescan_output_options(struct cli *c, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "dev") || !strcmp(argv[i], "nud") || !strcmp(argv[i], "to") ||
		    !strcmp(argv[i], "lladdr")) {
			i++;
			continue;
		}
		switch (option_id(argv[i])) {
		case OPT_FAMILY:
			i++;		/* its value */
			break;
		case OPT_JSON:
			c->json = c->out.json = true;
			break;
		case OPT_PRETTY:
			c->pretty = c->out.pretty = true;
			break;
		default:
			break;
		}
	}
}

int main(int argc, char **argv)
{
	struct cli c = {};
	const struct cmd *cmd;
	int ret, err, n;

	xn_log_set_prefix("xneigh");
	xn_log_hook_libs();
	err = xn_out_init(&c.out, STDOUT_FILENO, false, false);
	if (err) {
		fprintf(stderr, "xneigh: out of memory\n");
		return XN_EXIT_FAIL;
	}
	argc--;
	argv++;
	prescan_output_options(&c, argc, argv);

	/* global options */
	while (argc > 0 && argv[0][0] == '-') {
		int id = option_id(argv[0]);

		if (id == OPT_HELP) {
			help_main(stdout);
			ret = XN_EXIT_OK;
			goto out;
		}
		if (id == OPT_VERSION) {
			print_version();
			ret = XN_EXIT_OK;
			goto out;
		}
		n = cli_option(&c, argc, argv);
		if (n < 0) {
			ret = XN_EXIT_USAGE;
			goto out;
		}
		argc -= n;
		argv += n;
	}

	if (argc == 0) {
		/* like `ip neigh`: no command lists the table */
		ret = do_show(&c, 0, argv);
		goto out;
	}
	cmd = find_cmd(argv[0]);
	if (!cmd) {
		ret = cli_usage(&c, "command \"%s\" is unknown, try \"xneigh help\"",
				xn_tok(argv[0]));
		goto out;
	}
	ret = cmd->fn(&c, argc - 1, argv + 1);
out:
	err = xn_out_fini(&c.out);
	if (err && ret == XN_EXIT_OK) {
		fprintf(stderr, "xneigh: writing output: %s\n", strerror(-err));
		ret = XN_EXIT_FAIL;
	}
	return ret;
}
