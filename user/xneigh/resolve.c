// SPDX-License-Identifier: GPL-2.0
/* xneigh resolve ADDR dev DEV [--wait]: neigh_event_send() for one address,
 * done by the running xneighd (XND_CTL_RESOLVE, user/lib/ctlproto.h), which
 * owns the NUD timers and probes. The entry is printed as `xneigh get`
 * prints it (`ip neigh get`'s words): just after the request took effect,
 * or with --wait once it is no longer INCOMPLETE.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include "xneigh/maps.h"
#include "xneigh/nud.h"
#include "ctlproto.h"
#include "xneigh.h"

void help_resolve(FILE *f)
{
	fprintf(f,
		"Usage: xneigh resolve [ to ] ADDR dev DEV [ --wait ] [ -j [ -p ] ] [ -s ]\n"
		"ADDR := { A.B.C.D | X:X::X }\n"
		"\n"
		"Asks xneighd to resolve ADDR on DEV now, as a packet to it would (the\n"
		"kernel's neigh_event_send()): an unknown or FAILED address gets an INCOMPLETE\n"
		"entry and is probed (mcast_solicit ARP requests or NS, retrans_time apart,\n"
		"then FAILED); a STALE entry goes DELAY and is probed if nothing confirms it;\n"
		"other entries are only marked used. Prints the entry as `xneigh get` does:\n"
		"just after the request took effect, or with --wait once it is no longer\n"
		"INCOMPLETE (REACHABLE, STALE, ... or FAILED).\n"
		"\n"
		"xneighd must be running in this network namespace and attached to DEV.\n"
		"Exit status: 0 the entry was printed (with --wait: it resolved), 1 FAILED\n"
		"or an error (no xneighd, DEV not one of its interfaces), 2 usage error.\n");
}

struct resolve_args {
	int family;
	__u8 addr[16];
	const char *addr_arg;
	const char *dev;
	bool wait;
};

/* -1 to go on, else the exit status (help printed or error reported). */
static int parse_args(struct cli *c, int argc, char **argv, struct resolve_args *a)
{
	int i, r, err;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		const char *w = argv[i];

		if (cli_is_help_opt(w) || !strcmp(w, "help")) {
			help_resolve(stdout);
			return XN_EXIT_OK;
		}
		if (!strcmp(w, "--wait") || !strcmp(w, "-wait")) {
			if (a->wait)
				return cli_usage(c, "duplicate \"--wait\"");
			a->wait = true;
			continue;
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
		if (!strcmp(w, "to")) {
			if (++i >= argc)
				return cli_usage(c, "\"to\" needs an address (A.B.C.D or X:X::X)");
			w = argv[i];
		}
		if (a->addr_arg)
			return cli_usage(c, "\"%s\" is unexpected after the address \"%s\"; try "
					 "\"xneigh resolve help\"", xn_tok(w), xn_tok(a->addr_arg));
		a->addr_arg = w;
	}
	if (!a->addr_arg)
		return cli_usage(c, "resolve needs an address: xneigh resolve ADDR dev DEV");
	if (!a->dev)
		return cli_usage(c, "resolve needs \"dev DEV\": the interface to resolve "
				 "\"%s\" on", xn_tok(a->addr_arg));
	/* the family is known once every option (-4/-6) has been read */
	err = xn_addr_parse(a->addr_arg, c->family, &a->family, a->addr);
	if (err == -EAFNOSUPPORT)
		return cli_usage(c, "%s address expected rather than \"%s\" (%s given)",
				 c->family == AF_INET6 ? "IPv6" : "IPv4", xn_tok(a->addr_arg),
				 c->family == AF_INET6 ? "-6" : "-4");
	if (err)
		return cli_usage(c, "invalid address \"%s\": expected A.B.C.D or X:X::X",
				 xn_tok(a->addr_arg));
	return -1;
}

int do_resolve(struct cli *c, int argc, char **argv)
{
	struct resolve_args a;
	struct xnd_ctl_request req;
	struct xnd_ctl_reply rep;
	struct ifcache ic = {};
	struct xn_neigh v = {};
	char msg[320], what[96];
	__u32 ifindex;
	int ret, err;

	ret = parse_args(c, argc, argv, &a);
	if (ret >= 0)
		return ret;
	ret = cli_ifindex(c, a.dev, &ifindex);
	if (ret >= 0)
		return ret;

	xnd_ctl_request_init(&req, XND_CTL_RESOLVE);
	req.family = (__u32)a.family;
	req.ifindex = ifindex;
	memcpy(req.addr, a.addr, sizeof(req.addr));
	if (a.wait)
		req.flags |= XND_CTL_F_WAIT;
	/* with --wait the answer takes the kernel's probe timeline (seconds) */
	err = xnd_ctl_call(&req, &rep, -1, msg, sizeof(msg));
	if (err)
		return cli_fail(c, "%s", msg);
	snprintf(what, sizeof(what), "resolve %s dev %s", a.addr_arg, a.dev);
	if (rep.result == -EPERM)
		return cli_ctl_denied(c, what);
	if (rep.result)
		return cli_fail(c, "%s: %s", what, rep.msg[0] ? rep.msg : strerror(-rep.result));
	if (!rep.present)
		return cli_fail(c, "%s dev %s: the entry was removed before it resolved",
				a.addr_arg, a.dev);

	err = ifcache_load(&ic);
	if (err)
		return cli_fail(c, "cannot list network interfaces: %s", strerror(-err));
	v.state = rep.state;
	v.flags = rep.flags;
	memcpy(v.lladdr, rep.lladdr, ETH_ALEN);
	v.probes = rep.probes;
	v.confirmed = rep.confirmed;
	v.updated = rep.updated;
	v.used = rep.used;
	/* as `xneigh get`: dev always, a one-element list with -j; the ages
	 * of -s against the daemon's clock at its read (the same clock) */
	xn_open_array(&c->out, NULL);
	neigh_print(c, &ic, true, a.family, ifindex, a.addr, v.state, v.flags, v.lladdr, &v,
		    rep.now);
	xn_close_array(&c->out);
	xn_json_end(&c->out);
	ifcache_free(&ic);

	/* a failed resolution fails, as a packet to it would */
	if (v.state == NUD_FAILED)
		return XN_EXIT_FAIL;
	if (a.wait && !(v.state & XN_NUD_VALID))
		return XN_EXIT_FAIL;
	return XN_EXIT_OK;
}
