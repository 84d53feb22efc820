// SPDX-License-Identifier: GPL-2.0
/* xneigh add / replace / change / del / get: one entry of xn_neigh4 or
 * xn_neigh6, with the semantics of `ip neigh` on the kernel's tables.
 *
 *   command   netlink flags (iproute2)     kernel (net/core/neighbour.c)
 *   add       NLM_F_CREATE | NLM_F_EXCL    neigh_add(): exists -> -EEXIST
 *   replace   NLM_F_CREATE | NLM_F_REPLACE neigh_add(): create or overwrite
 *   change    NLM_F_REPLACE                neigh_add(): missing -> -ENOENT
 *   del       -                            neigh_delete(): FAILED, then removed
 *   get       -                            neigh_get(): missing -> -ENOENT
 *
 * Writes go through the data plane's xn_ctl program (user/lib/ctl.c), which
 * applies neigh_update() (NUD-8) under the entry's lock with the flags
 * neigh_add() uses (NUD-10): ADMIN | OVERRIDE | OVERRIDE_ISROUTER, plus
 * EXT_LEARNED and ISROUTER from "extern_learn" and "router". ip sends
 * ndm_state NUD_PERMANENT when no "nud" is given; so do we.
 *
 * Proxy entries (`proxy ADDR`) go to the kernel over rtnetlink (pneigh.c):
 * xneighd mirrors the kernel's proxy table into xn_proxy4/xn_proxy6, so the
 * kernel stays the one place where proxying is configured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <bpf/bpf.h>
#include "xneigh/maps.h"
#include "xneigh/nud.h"
#include "ctl.h"
#include "maps_open.h"
#include "xneigh.h"

void help_modify(FILE *f)
{
	fprintf(f,
		"Usage: xneigh { add | replace | change | del } ADDR dev DEV [ lladdr MAC ]\n"
		"              [ nud STATE ] [ router ] [ extern_learn ] [ OPTIONS ]\n"
		"       xneigh { add | replace | change | del } proxy ADDR [ dev DEV ] [ router ]\n"
		"       xneigh get { ADDR dev DEV | proxy ADDR [ dev DEV ] } [ OPTIONS ]\n"
		"ADDR := { A.B.C.D | X:X::X }    (the address selects the table; -4/-6 insist)\n"
		"MAC := six colon-separated hex bytes (02:00:00:00:00:01), or null for none\n"
		"STATE := { permanent | noarp | reachable | stale | none |\n"
		"           incomplete | delay | probe | failed }\n"
		"OPTIONS := { -4 | -6 | -j[son] | -p[retty] | -s[tatistics] }\n"
		"\n"
		"  add      create the entry; \"File exists\" if there is one\n"
		"  replace  create the entry, or overwrite the one there is\n"
		"  change   overwrite the entry; \"No such file or directory\" if there is none\n"
		"  del      remove the entry (it goes FAILED first, as in the kernel)\n"
		"  get      print the entry as `ip neigh get` does, whatever its state\n"
		"\n"
		"As with ip, an entry written without \"nud\" is PERMANENT, and a valid state\n"
		"needs an address: lladdr, the one the entry already has, or for a new\n"
		"multicast or broadcast entry the mapped or broadcast MAC. PERMANENT and\n"
		"NOARP entries are never changed by received frames, only by these commands.\n"
		"\"router\" sets the IsRouter flag and its absence clears it; \"extern_learn\"\n"
		"marks the entry externally learned (kept by garbage collection).\n"
		"The data plane applies the kernel's neigh_update() rules under the entry's\n"
		"lock (its xn_ctl program); xneighd must be running in this namespace.\n"
		"\n"
		"Proxy entries (proxy ADDR) are written to the KERNEL's proxy table, exactly\n"
		"as `ip neigh add proxy` does; xneighd copies that table into the data\n"
		"plane (xn_proxy4, xn_proxy6) within about half a second. Without dev a\n"
		"proxy entry applies to every interface. `get proxy` shows the data\n"
		"plane's copy.\n"
		"\n"
		"Exit status: 0 success, 1 failure (e.g. File exists), 2 usage error.\n");
}

/* ---- Arguments ----------------------------------------------------------------------- */

struct opt_ctx {
	struct cli *c;
	bool help;
};

static int opt_cb(void *ctx, int argc, char **argv)
{
	struct opt_ctx *o = ctx;

	if (cli_is_help_opt(argv[0])) {
		o->help = true;
		return -1;		/* stop here: help is all there is to do */
	}
	return cli_option(o->c, argc, argv);
}

/* -1 to go on; otherwise the exit status (help printed or error reported). */
static int parse_args(struct cli *c, int argc, char **argv, enum xn_nargs_cmd cmd,
		      struct xn_neigh_args *a)
{
	struct opt_ctx o = { .c = c };
	char msg[320];
	int err;

	err = xn_neigh_args_parse(argc, argv, c->family, cmd, opt_cb, &o, a, msg, sizeof(msg));
	if (o.help || (!err && a->help)) {
		help_modify(stdout);
		return XN_EXIT_OK;
	}
	if (err == -ECANCELED)
		return XN_EXIT_USAGE;		/* cli_option() said why */
	if (err)
		return cli_usage(c, "%s", msg);
	/* -4/-6 given after the address */
	if (c->family != AF_UNSPEC && c->family != a->family)
		return cli_usage(c, "%s address expected rather than \"%s\" (%s given)",
				 c->family == AF_INET6 ? "IPv6" : "IPv4", a->addr_arg,
				 c->family == AF_INET6 ? "-6" : "-4");
	return -1;
}

/* "10.0.0.5 dev e0", "proxy 10.0.0.5 dev e0", "proxy 10.0.0.5": the entry
 * as the user named it, to lead every message about it. */
static const char *entry_name(const struct xn_neigh_args *a, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s", a->proxy ? "proxy " : "", a->addr_arg,
		 a->dev ? " dev " : "", a->dev ? a->dev : "");
	return buf;
}

/* ifindex of dev DEV (0 when no dev was given). -1 to go on, else the exit
 * status (error reported): a name the kernel would refuse, or ip's "Cannot
 * find device", both usage errors. */
static int resolve_dev(struct cli *c, const struct xn_neigh_args *a, __u32 *ifindex)
{
	*ifindex = 0;
	if (!a->dev)
		return -1;
	return cli_ifindex(c, a->dev, ifindex);
}

static enum xn_map_index neigh_map(int af)
{
	return af == AF_INET6 ? XN_MI_NEIGH6 : XN_MI_NEIGH4;
}

/* The maps, and the family's table. -1 to go on, else the exit status. */
static int open_maps(struct cli *c, struct xn_maps *m, enum xn_map_index need)
{
	int ret = cli_maps_open(c, m);

	if (ret >= 0)
		return ret;
	if (xn_maps_require(m, need))
		return cli_fail(c, "%s", m->errmsg);
	return -1;
}

static int open_ctl(struct cli *c, const struct xn_maps *m, enum xn_map_index table,
		    struct xn_ctl *ctl)
{
	const char *pin_dir = m->source == XN_MAPS_SRC_PINS ? m->where : NULL;

	if (xn_ctl_open(ctl, pin_dir, m->id[table]))
		return cli_fail(c, "%s", ctl->errmsg);
	return -1;
}

/* ndisc_allow_add(): the kernel refuses IPv6 entries on a device without
 * IPv6 ("IPv6 is disabled on this device"), checked before the lookup. The
 * sysctl directory exists exactly when the device has an inet6_dev. */
static bool ipv6_allowed(const char *dev)
{
	char path[96], v[8] = "";
	FILE *f;
	bool ok;

	if ((size_t)snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", dev) >=
	    sizeof(path))
		return false;
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fgets(v, sizeof(v), f) && v[0] == '0';
	fclose(f);
	return ok;
}

/* NUD-12/NUD-13: the address arp_constructor() / ndisc_constructor() give a
 * new entry, in their order: a multicast key gets the mapped multicast MAC
 * (arp_mc_map(), ndisc_mc_map()); on a NOARP or loopback device the
 * device's own MAC; an IPv4 broadcast key (inet_addr_type(): 0.0.0.0/8,
 * 255.255.255.255, or a broadcast route of the local table, which xneighd
 * mirrors into xn_local4) the broadcast MAC. false: none (an ordinary
 * entry, resolved by ARP/NDISC). Point-to-point devices, which also get
 * the broadcast address, are not told apart by xn_ifconf. */
static bool ctor_lladdr(const struct xn_maps *m, int af, const __u8 *addr, __u32 ifindex,
			__u8 *mac)
{
	struct xn_ifconf conf;
	struct xn_local4 loc;
	__be32 a4;

	if (af == AF_INET6 && addr[0] == 0xff) {
		mac[0] = 0x33;
		mac[1] = 0x33;
		memcpy(mac + 2, addr + 12, 4);
		return true;
	}
	if (af == AF_INET && (addr[0] & 0xf0) == 0xe0) {
		mac[0] = 0x01;
		mac[1] = 0x00;
		mac[2] = 0x5e;
		mac[3] = addr[1] & 0x7f;
		mac[4] = addr[2];
		mac[5] = addr[3];
		return true;
	}
	if (m->ifconf >= 0 && !bpf_map_lookup_elem(m->ifconf, &ifindex, &conf) &&
	    (conf.flags & XN_IFF_CONFIGURED) && (conf.flags & (XN_IFF_NOARP | XN_IFF_LOOPBACK))) {
		memcpy(mac, conf.mac, ETH_ALEN);
		return true;
	}
	if (af != AF_INET)
		return false;
	memcpy(&a4, addr, sizeof(a4));
	if (addr[0] == 0 || a4 == 0xffffffff ||
	    (m->local4 >= 0 && !bpf_map_lookup_elem(m->local4, &a4, &loc) &&
	     loc.type == XN_RTN_BROADCAST)) {
		memset(mac, 0xff, ETH_ALEN);
		return true;
	}
	return false;
}

/* ---- Proxy entries: the kernel's table ---------------------------------------------- */

static int proxy_modify(struct cli *c, const struct xn_neigh_args *a, int msg_type,
			__u16 nlm_flags)
{
	char name[128], ext[256];
	__u32 ifindex;
	__u8 ntf = 0;
	int ret, err;

	ret = resolve_dev(c, a, &ifindex);
	if (ret >= 0)
		return ret;
	if (a->router)
		ntf |= XN_NTF_ROUTER;
	if (a->extern_learn)
		ntf |= XN_NTF_EXT_LEARNED;
	err = pneigh_kernel(msg_type, nlm_flags, a->family, a->addr, ifindex,
			    msg_type == RTM_DELNEIGH ? 0 : (__u8)a->state, ntf,
			    a->has_lladdr ? a->lladdr : NULL, ext, sizeof(ext));
	if (err == -EPERM && !ext[0])
		return cli_perm(c, "%s: permission denied: the kernel's proxy table needs "
				"CAP_NET_ADMIN; run xneigh as root",
				entry_name(a, name, sizeof(name)));
	if (err)
		return cli_fail(c, "%s: %s", entry_name(a, name, sizeof(name)),
				ext[0] ? ext : strerror(-err));
	return XN_EXIT_OK;
}

/* ---- add, replace, change --------------------------------------------------------- */

static int modify(struct cli *c, int argc, char **argv, __u16 nlm_flags)
{
	struct xn_neigh_args a;
	struct xn_ctl_neigh n = {};
	struct xn_ctl_req out = {};
	struct xn_maps m;
	struct xn_ctl ctl;
	enum xn_map_index table;
	char name[128];
	__u32 ifindex;
	int ret, err;

	ret = parse_args(c, argc, argv, XN_NARGS_MODIFY, &a);
	if (ret >= 0)
		return ret;
	if (a.proxy)
		return proxy_modify(c, &a, RTM_NEWNEIGH, nlm_flags);
	ret = resolve_dev(c, &a, &ifindex);
	if (ret >= 0)
		return ret;
	if (a.family == AF_INET6 && !ipv6_allowed(a.dev))
		return cli_fail(c, "%s: IPv6 is disabled on this device",
				entry_name(&a, name, sizeof(name)));

	xn_maps_init(&m);
	xn_ctl_init(&ctl);
	table = neigh_map(a.family);
	ret = open_maps(c, &m, table);
	if (ret >= 0)
		goto out;
	ret = open_ctl(c, &m, table, &ctl);
	if (ret >= 0)
		goto out;

	n.family = a.family;
	n.ifindex = ifindex;
	memcpy(n.addr, a.addr, sizeof(n.addr));
	n.has_lladdr = a.has_lladdr;
	memcpy(n.lladdr, a.lladdr, sizeof(n.lladdr));
	n.state = (__u8)a.state;
	n.ntf_flags = (a.router ? XN_NTF_ROUTER : 0) | (a.extern_learn ? XN_NTF_EXT_LEARNED : 0);
	n.has_ctor_lladdr = ctor_lladdr(&m, a.family, a.addr, ifindex, n.ctor_lladdr);
	err = xn_ctl_neigh_add(&ctl, m.fd[table], &n, nlm_flags, &out);
	if (err == -EINVAL && out.op == XN_CTL_UPDATE && out.result == -EINVAL) {
		/* __neigh_update()'s extack: a valid state, no lladdr, and
		 * nothing cached (a new entry stays, NONE, as in the kernel) */
		ret = cli_fail(c, "%s: No link layer address given", entry_name(&a, name, sizeof(name)));
		goto out;
	}
	if (err) {
		ret = cli_fail(c, "%s: %s", entry_name(&a, name, sizeof(name)), strerror(-err));
		goto out;
	}
	ret = XN_EXIT_OK;
out:
	xn_ctl_close(&ctl);
	xn_maps_close(&m);
	return ret;
}

int do_add(struct cli *c, int argc, char **argv)
{
	return modify(c, argc, argv, NLM_F_CREATE | NLM_F_EXCL);
}

int do_replace(struct cli *c, int argc, char **argv)
{
	return modify(c, argc, argv, NLM_F_CREATE | NLM_F_REPLACE);
}

int do_change(struct cli *c, int argc, char **argv)
{
	return modify(c, argc, argv, NLM_F_REPLACE);
}

/* ---- del ------------------------------------------------------------------------------- */

int do_del(struct cli *c, int argc, char **argv)
{
	struct xn_neigh_args a;
	struct xn_maps m;
	struct xn_ctl ctl;
	enum xn_map_index table;
	char name[128];
	__u32 ifindex;
	int ret, err;

	/* ip parses del like add (ipneigh_modify()); lladdr, nud and the
	 * flags are accepted and, as by neigh_delete(), ignored */
	ret = parse_args(c, argc, argv, XN_NARGS_DELETE, &a);
	if (ret >= 0)
		return ret;
	if (a.proxy)
		return proxy_modify(c, &a, RTM_DELNEIGH, 0);
	ret = resolve_dev(c, &a, &ifindex);
	if (ret >= 0)
		return ret;

	xn_maps_init(&m);
	xn_ctl_init(&ctl);
	table = neigh_map(a.family);
	ret = open_maps(c, &m, table);
	if (ret >= 0)
		goto out;
	ret = open_ctl(c, &m, table, &ctl);
	if (ret >= 0)
		goto out;
	err = xn_ctl_neigh_delete(&ctl, a.family, ifindex, a.addr);
	if (err) {
		ret = cli_fail(c, "%s: %s", entry_name(&a, name, sizeof(name)), strerror(-err));
		goto out;
	}
	ret = XN_EXIT_OK;
out:
	xn_ctl_close(&ctl);
	xn_maps_close(&m);
	return ret;
}

/* ---- get ------------------------------------------------------------------------------- */

/* `ip neigh get proxy ADDR [dev DEV]` prints what pneigh_fill_info() sends:
 * no state, no address, the entry's flags and NTF_PROXY. */
static void print_proxy(struct cli *c, const struct xn_neigh_args *a, const struct xn_proxy *p)
{
	struct xn_out *o = &c->out;
	char dst[XN_IP6_STRLEN];

	if (a->family == AF_INET6) {
		xn_ip6_str(a->addr, dst);
	} else {
		__be32 v;

		memcpy(&v, a->addr, sizeof(v));
		xn_ip4_str(v, dst);
	}
	xn_open_object(o, NULL);
	xn_print_string(o, XN_PRINT_ANY, "dst", "%s ", dst);
	if (a->dev)
		xn_print_string(o, XN_PRINT_ANY, "dev", "dev %s ", a->dev);
	if (p->flags & XN_NTF_ROUTER)
		xn_print_null(o, XN_PRINT_ANY, "router", "router ");
	xn_print_null(o, XN_PRINT_ANY, "proxy", "proxy ");
	xn_print_text(o, "\n");
	xn_close_object(o);
}

static int get_proxy(struct cli *c, const struct xn_neigh_args *a, __u32 ifindex)
{
	enum xn_map_index table = a->family == AF_INET6 ? XN_MI_PROXY6 : XN_MI_PROXY4;
	struct xn_proxy4_key k4 = { .ifindex = ifindex };
	struct xn_proxy6_key k6 = { .ifindex = ifindex };
	struct xn_proxy p;
	struct xn_maps m;
	char name[128];
	int ret, err;

	xn_maps_init(&m);
	ret = open_maps(c, &m, table);
	if (ret >= 0)
		goto out;
	if (a->family == AF_INET6) {
		memcpy(k6.addr, a->addr, sizeof(k6.addr));
		err = bpf_map_lookup_elem(m.fd[table], &k6, &p);
	} else {
		memcpy(&k4.addr, a->addr, sizeof(k4.addr));
		err = bpf_map_lookup_elem(m.fd[table], &k4, &p);
	}
	if (err == -ENOENT) {
		/* neigh_get()'s extack */
		ret = cli_fail(c, "%s: Proxy neighbour entry not found", entry_name(a, name, sizeof(name)));
		goto out;
	}
	if (err) {
		ret = cli_fail(c, "reading map %s: %s", xn_map_name(table), strerror(-err));
		goto out;
	}
	xn_open_array(&c->out, NULL);
	print_proxy(c, a, &p);
	xn_close_array(&c->out);
	xn_json_end(&c->out);
	ret = XN_EXIT_OK;
out:
	xn_maps_close(&m);
	return ret;
}

int do_get(struct cli *c, int argc, char **argv)
{
	struct xn_neigh_args a;
	struct xn_neigh4_key k4 = {};
	struct xn_neigh6_key k6 = {};
	struct ifcache ic = {};
	struct xn_neigh v;
	struct xn_maps m;
	enum xn_map_index table;
	char name[128];
	__u32 ifindex;
	int ret, err;

	ret = parse_args(c, argc, argv, XN_NARGS_GET, &a);
	if (ret >= 0)
		return ret;
	ret = resolve_dev(c, &a, &ifindex);
	if (ret >= 0)
		return ret;
	if (a.proxy)
		return get_proxy(c, &a, ifindex);

	xn_maps_init(&m);
	table = neigh_map(a.family);
	ret = open_maps(c, &m, table);
	if (ret >= 0)
		goto out;
	if (a.family == AF_INET6) {
		k6.ifindex = ifindex;
		memcpy(k6.addr, a.addr, sizeof(k6.addr));
		err = bpf_map_lookup_elem_flags(m.fd[table], &k6, &v, BPF_F_LOCK);
	} else {
		k4.ifindex = ifindex;
		memcpy(&k4.addr, a.addr, sizeof(k4.addr));
		err = bpf_map_lookup_elem_flags(m.fd[table], &k4, &v, BPF_F_LOCK);
	}
	/* an entry being removed is gone for neigh_lookup() too */
	if (err == -ENOENT || (!err && (v.xflags & XN_NF_DEAD))) {
		ret = cli_fail(c, "%s: Neighbour entry not found", entry_name(&a, name, sizeof(name)));
		goto out;
	}
	if (err) {
		ret = cli_fail(c, "reading map %s: %s", xn_map_name(table), strerror(-err));
		goto out;
	}
	err = ifcache_load(&ic);
	if (err) {
		ret = cli_fail(c, "cannot list network interfaces: %s", strerror(-err));
		goto out;
	}
	/* ip neigh get prints with a reset filter: dev always, any state;
	 * with -j a one-element list, as iproute2 since 6.4 (6.1 printed text) */
	xn_open_array(&c->out, NULL);
	neigh_print(c, &ic, true, a.family, ifindex, a.addr, v.state, v.flags, v.lladdr, &v,
		    neigh_now_ns());
	xn_close_array(&c->out);
	xn_json_end(&c->out);
	ret = XN_EXIT_OK;
out:
	ifcache_free(&ic);
	xn_maps_close(&m);
	return ret;
}
