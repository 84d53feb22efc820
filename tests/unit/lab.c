// SPDX-License-Identifier: GPL-2.0
/* The unit-test lab: netns, skeleton, maps written as xneighd writes them,
 * and one-shot program runs. See lab.h for the topology. */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lab.h"
#include "local4f.h"
#include "snap.h"
#include "pkt.h"
#include "xneigh.skel.h"

/* ---- small utilities ------------------------------------------------------ */

uint64_t lab_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int lab_sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc != 0) {
		fprintf(stderr, "lab: command failed (status %d): %s\n", rc, cmd);
		return -1;
	}
	return 0;
}

static int write_sysctl(const char *path, long v)
{
	char full[256];
	FILE *f;
	int err = 0;

	snprintf(full, sizeof(full), "/proc/sys/net/%s", path);
	f = fopen(full, "w");
	if (!f) {
		err = -errno;
		fprintf(stderr, "lab: cannot open %s: %s\n", full, strerror(errno));
		return err;
	}
	if (fprintf(f, "%ld\n", v) < 0)
		err = -EIO;
	if (fclose(f) != 0 && !err)
		err = -errno;
	if (err)
		fprintf(stderr, "lab: cannot write %ld to %s: %s\n", v, full, strerror(-err));
	return err;
}

/* ---- the namespace ---------------------------------------------------------- */

static const uint8_t lab_macs[DEV__COUNT][6] = {
	[DEV_RX] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 },
	[DEV_OX] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 },
	[DEV_LO] = { 0 },
};

int lab_netns(void)
{
	static int state = 1;	/* 1: not done yet */
	static const char *const cmds[] = {
		"ip link set lo up",
		"ip link add " LAB_RX_NAME " address 02:00:00:00:00:01 type veth peer name "
			LAB_RX_NAME "p address 02:00:00:00:00:02",
		"ip link add " LAB_OX_NAME " address 02:00:00:00:01:01 type veth peer name "
			LAB_OX_NAME "p address 02:00:00:00:01:02",
		"ip link set " LAB_RX_NAME " up",
		"ip link set " LAB_RX_NAME "p up",
		"ip link set " LAB_OX_NAME " up",
		"ip link set " LAB_OX_NAME "p up",
		"ip addr add 10.0.0.1/24 dev " LAB_RX_NAME,
		"ip addr add 10.0.2.1/24 dev " LAB_RX_NAME,
		"ip addr add 10.1.0.1/24 dev " LAB_OX_NAME,
		/* a 127/8 address on a normal interface gets scope host (route_localnet.sh) */
		"ip addr add 127.25.3.4/24 dev " LAB_OX_NAME,
		"ip route add 10.9.0.0/24 via 10.1.0.254 dev " LAB_OX_NAME,
		"ip route add unreachable 10.8.0.0/24",
		/* IPv6: fixed addresses, valid at once (nodad), link-local
		 * ones explicit (addr_gen_mode=1 below: none generated) */
		"ip -6 addr add 2001:db8:1::1/64 dev " LAB_RX_NAME " nodad",
		"ip -6 addr add fe80::ff:fe00:1/64 dev " LAB_RX_NAME " nodad",
		"ip -6 addr add 2001:db8:10::1/64 dev " LAB_OX_NAME " nodad",
		"ip -6 addr add fe80::ff:fe00:101/64 dev " LAB_OX_NAME " nodad",
		"ip -6 route add 2001:db8:99::/64 via 2001:db8:10::fe dev " LAB_OX_NAME,
	};
	/* before any device exists: no automatic link-local address (it would
	 * be tentative for a second after the link comes up), no DAD */
	static const char *const ip6_first[] = {
		"ipv6/conf/default/addr_gen_mode", "ipv6/conf/default/accept_dad",
		"ipv6/conf/all/accept_dad",
	};
	static const long ip6_first_val[] = { 1, 0, 0 };
	/* net.ipv4.conf.all.* start from init_net's values in a new netns:
	 * zero them so each device value is the effective one (spec §1.3). */
	static const char *const all_zero[] = {
		"arp_ignore", "arp_announce", "arp_accept", "arp_notify", "arp_filter",
		"drop_gratuitous_arp", "proxy_arp", "proxy_arp_pvlan", "route_localnet",
		"rp_filter", "forwarding",
	};

	if (state != 1)
		return state;
	if (unshare(CLONE_NEWNET)) {
		state = -errno;
		fprintf(stderr, "lab: unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return state;
	}
	for (size_t i = 0; i < sizeof(ip6_first) / sizeof(ip6_first[0]); i++) {
		if (write_sysctl(ip6_first[i], ip6_first_val[i])) {
			state = -EIO;
			return state;
		}
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (lab_sh("%s", cmds[i])) {
			state = -EIO;
			return state;
		}
	}
	for (size_t i = 0; i < sizeof(all_zero) / sizeof(all_zero[0]); i++) {
		char p[128];

		snprintf(p, sizeof(p), "ipv4/conf/all/%s", all_zero[i]);
		if (write_sysctl(p, 0)) {
			state = -EIO;
			return state;
		}
	}
	/* bpf_fib_lookup() refuses interfaces without forwarding; lo is the
	 * lookup interface xneighd prefers (xn_global.fib_ifindex). */
	if (write_sysctl("ipv4/conf/lo/forwarding", 1)) {
		state = -EIO;
		return state;
	}
	/* The same fallback serves IPv6 (xn_tx_ipv6), and bpf_fib_lookup()
	 * checks the per-device IPv6 forwarding of that interface too. */
	if (write_sysctl("ipv6/conf/lo/forwarding", 1)) {
		state = -EIO;
		return state;
	}
	state = 0;
	return state;
}

/* ---- skeleton --------------------------------------------------------------- */

/* libbpf's warnings, with a verifier log cut to its head and tail (where
 * the reason is) unless XN_TEST_VERBOSE=1: a test binary must stay readable
 * when the object does not load. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	const char *verbose = getenv("XN_TEST_VERBOSE");
	char *msg = NULL, *p;
	int lines = 0, n, line = 0;

	if (level == LIBBPF_DEBUG)
		return 0;
	n = vasprintf(&msg, fmt, ap);
	if (n < 0)
		return n;
	for (p = msg; *p; p++)
		lines += *p == '\n';
	if ((verbose && *verbose == '1') || lines <= 120) {
		fputs(msg, stderr);
		free(msg);
		return n;
	}
	for (p = msg; *p; p++) {
		if (line < 40 || line >= lines - 60)
			fputc(*p, stderr);
		if (*p == '\n') {
			line++;
			if (line == 40)
				fprintf(stderr, "[... %d lines of the log left out; XN_TEST_VERBOSE=1 shows them ...]\n",
					lines - 100);
		}
	}
	free(msg);
	return n;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct lab *l = ctx;

	if (size < sizeof(struct xn_event)) {
		fprintf(stderr, "lab: short event (%zu bytes)\n", size);
		return 0;
	}
	if (l->nev < LAB_MAX_EVENTS)
		memcpy(&l->ev[l->nev++], data, sizeof(struct xn_event));
	else
		l->ev_overflow++;
	return 0;
}

int lab_open(struct lab *l, __u32 neigh_max)
{
	struct xneigh *s;
	int err;

	memset(l, 0, sizeof(*l));
	libbpf_set_print(libbpf_print);

	l->ifname[DEV_RX] = LAB_RX_NAME;
	l->ifname[DEV_OX] = LAB_OX_NAME;
	l->ifname[DEV_LO] = "lo";
	for (int d = 0; d < DEV__COUNT; d++) {
		l->ifindex[d] = if_nametoindex(l->ifname[d]);
		if (!l->ifindex[d]) {
			fprintf(stderr, "lab: interface %s: %s\n", l->ifname[d], strerror(errno));
			return -ENODEV;
		}
		memcpy(l->mac[d], lab_macs[d], 6);
	}

	s = xneigh__open();
	if (!s) {
		err = -errno;
		fprintf(stderr, "lab: xneigh__open: %s\n", strerror(errno));
		return err;
	}
	if (neigh_max) {
		err = bpf_map__set_max_entries(s->maps.xn_neigh4, neigh_max);
		if (!err)
			err = bpf_map__set_max_entries(s->maps.xn_neigh6, neigh_max);
		if (err) {
			fprintf(stderr, "lab: set max_entries of xn_neigh4/xn_neigh6 to %u: %s\n",
				neigh_max, strerror(-err));
			xneigh__destroy(s);
			return err;
		}
	}
	err = xneigh__load(s);
	if (err) {
		fprintf(stderr, "lab: xneigh__load: %s\n", strerror(-err));
		xneigh__destroy(s);
		return err;
	}
	l->skel = s;
	l->fd_neigh4 = bpf_map__fd(s->maps.xn_neigh4);
	l->fd_ifconf = bpf_map__fd(s->maps.xn_ifconf);
	l->fd_ifaddr4 = bpf_map__fd(s->maps.xn_ifaddr4);
	l->fd_local4 = bpf_map__fd(s->maps.xn_local4);
	l->fd_local4f = bpf_map__fd(s->maps.xn_local4_filt);
	l->fd_snap = bpf_map__fd(s->maps.xn_snap);
	l->snap_inner = -1;
	l->snap_inner_id = 0;
	l->fd_proxy4 = bpf_map__fd(s->maps.xn_proxy4);
	l->fd_global = bpf_map__fd(s->maps.xn_global);
	l->fd_stats = bpf_map__fd(s->maps.xn_stats);
	l->fd_events = bpf_map__fd(s->maps.xn_events);
	l->fd_neigh6 = bpf_map__fd(s->maps.xn_neigh6);
	l->fd_addr6 = bpf_map__fd(s->maps.xn_addr6);
	l->fd_prefix6 = bpf_map__fd(s->maps.xn_prefix6);
	l->fd_proxy6 = bpf_map__fd(s->maps.xn_proxy6);
	l->prog_xdp = bpf_program__fd(s->progs.xn_xdp);
	l->prog_tc_in = bpf_program__fd(s->progs.xn_tc_in);
	l->prog_tc_out = bpf_program__fd(s->progs.xn_tc_out);
	l->prog_ctl = bpf_program__fd(s->progs.xn_ctl);
	l->ncpus = libbpf_num_possible_cpus();
	if (l->ncpus <= 0) {
		err = l->ncpus ? l->ncpus : -EINVAL;
		fprintf(stderr, "lab: libbpf_num_possible_cpus: %s\n", strerror(-err));
		goto fail;
	}
	l->rb = ring_buffer__new(l->fd_events, on_event, l, NULL);
	if (!l->rb) {
		err = -errno;
		fprintf(stderr, "lab: ring_buffer__new(xn_events): %s\n", strerror(errno));
		goto fail;
	}
	return 0;
fail:
	xneigh__destroy(s);
	l->skel = NULL;
	return err;
}

void lab_close(struct lab *l)
{
	ring_buffer__free(l->rb);
	l->rb = NULL;
	xneigh__destroy(l->skel);
	l->skel = NULL;
}

static int map_clear(int fd, size_t key_size, const char *name)
{
	uint8_t key[64];

	if (key_size > sizeof(key))
		return -E2BIG;
	while (bpf_map_get_next_key(fd, NULL, key) == 0) {
		if (bpf_map_delete_elem(fd, key)) {
			int err = -errno;

			fprintf(stderr, "lab: delete from %s: %s\n", name, strerror(errno));
			return err;
		}
	}
	return 0;
}

int lab_stats_zero(struct lab *l)
{
	size_t vsz = sizeof(struct xn_stats) * (size_t)l->ncpus;
	void *zero;
	int err = 0;

	zero = calloc(1, vsz);
	if (!zero)
		return -ENOMEM;
	for (__u32 k = 0; k < XN_FAM__COUNT; k++) {
		if (bpf_map_update_elem(l->fd_stats, &k, zero, BPF_ANY)) {
			err = -errno;
			fprintf(stderr, "lab: reset xn_stats[%u]: %s\n", k, strerror(errno));
			break;
		}
	}
	free(zero);
	return err;
}

bool lab_snapshot = true;

/* snap into xn_snap. xneighd swaps a new inner map in for every snapshot
 * (user/lib/snap.h); every swap makes the kernel wait for the programs
 * running (a grace period, 20-60 ms here), which over a thousand fixtures
 * and the fuzzer's configurations adds up. The lab installs its own inner
 * map once and then rewrites it in place: valid only here, where programs
 * run in BPF_PROG_TEST_RUN, synchronously, never while the lab writes. A
 * fixture that installed another inner map (or emptied the slot) gets the
 * lab's back with one swap. */
static int lab_snap_put(struct lab *l, const struct xn_snapshot *snap)
{
	struct bpf_map_info info = {};
	__u32 zero = 0, id = 0, len = sizeof(info);
	int err;

	if (l->snap_inner >= 0 && !bpf_map_lookup_elem(l->fd_snap, &zero, &id) &&
	    id == l->snap_inner_id)
		return bpf_map_update_elem(l->snap_inner, &zero, snap, BPF_ANY);
	if (l->snap_inner >= 0)
		close(l->snap_inner);
	l->snap_inner = -1;
	err = xn_snap_install(l->fd_snap, snap, &l->snap_inner);
	if (!err)
		err = bpf_obj_get_info_by_fd(l->snap_inner, &info, &len);
	if (!err)
		l->snap_inner_id = info.id;
	return err;
}

int lab_snap_sync(struct lab *l)
{
	static struct xn_snapshot snap;
	static __u32 gen;
	int err = 0;

	if (lab_snapshot)
		err = xn_snap_build(l->fd_ifconf, l->fd_local4, &snap);
	else
		memset(&snap, 0, sizeof(snap));	/* flags clear: the hash maps */
	snap.gen = ++gen;
	if (!err)
		err = lab_snap_put(l, &snap);
	if (err)
		fprintf(stderr, "lab: publish %s: %s\n", XN_MAP_SNAP, strerror(-err));
	return err;
}

int lab_reset(struct lab *l)
{
	struct xn_global g = {};
	__u32 k = 0;
	int err;

	if ((err = map_clear(l->fd_neigh4, sizeof(struct xn_neigh4_key), "xn_neigh4")) ||
	    (err = map_clear(l->fd_ifconf, sizeof(__u32), "xn_ifconf")) ||
	    (err = map_clear(l->fd_ifaddr4, sizeof(__u32), "xn_ifaddr4")) ||
	    (err = map_clear(l->fd_local4, sizeof(__be32), "xn_local4")) ||
	    (err = map_clear(l->fd_proxy4, sizeof(struct xn_proxy4_key), "xn_proxy4")) ||
	    (err = map_clear(l->fd_neigh6, sizeof(struct xn_neigh6_key), "xn_neigh6")) ||
	    (err = map_clear(l->fd_addr6, sizeof(struct xn_addr6_key), "xn_addr6")) ||
	    (err = map_clear(l->fd_prefix6, sizeof(struct xn_prefix6_key), "xn_prefix6")) ||
	    (err = map_clear(l->fd_proxy6, sizeof(struct xn_proxy6_key), "xn_proxy6")))
		return err;
	err = xn_local4f_invalidate(l->fd_local4f);
	if (err) {
		fprintf(stderr, "lab: reset %s: %s\n", XN_MAP_LOCAL4F, strerror(-err));
		return err;
	}
	/* the maps are empty: so is the snapshot, until lab_apply() */
	{
		static const struct xn_snapshot empty;

		err = lab_snap_put(l, &empty);
		if (err) {
			fprintf(stderr, "lab: reset %s: %s\n", XN_MAP_SNAP, strerror(-err));
			return err;
		}
	}
	if (bpf_map_update_elem(l->fd_global, &k, &g, BPF_ANY)) {
		err = -errno;
		fprintf(stderr, "lab: reset xn_global: %s\n", strerror(errno));
		return err;
	}
	err = lab_stats_zero(l);
	if (err)
		return err;
	lab_events_drain(l);
	l->nev = 0;
	l->ev_overflow = 0;
	return 0;
}

/* ---- configuration ------------------------------------------------------------ */

static const struct {
	uint8_t ll[16], gl[16];
} lab_src6[DEV__COUNT] = {
	[DEV_RX] = { { 0xfe, 0x80, [11] = 0xff, 0xfe, 0, 0, 0x01 },
		     { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x01 } },
	[DEV_OX] = { { 0xfe, 0x80, [11] = 0xff, 0xfe, 0, 0x01, 0x01 },
		     { 0x20, 0x01, 0x0d, 0xb8, 0, 0x10, [15] = 0x01 } },
};

void lab_ifconf_default(const struct lab *l, enum lab_dev dev, struct xn_ifconf *c)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->mac, l->mac[dev], 6);
	c->flags = XN_IFF_CONFIGURED | XN_IFF_UP | XN_IFF_IPV4 | XN_IFF_CARRIER;
	if (dev == DEV_LO)
		c->flags |= XN_IFF_LOOPBACK;
	c->arp_evict_nocarrier = 1;
	c->locktime_ms = XN_DEFAULT_LOCKTIME_MS;
	c->base_reachable_ms = XN_DEFAULT_BASE_REACHABLE_MS;
	c->proxy_delay_ms = XN_DEFAULT_PROXY_DELAY_MS;
	/* IPv6 (spec §1.4/§1.5 defaults) */
	c->flags |= XN_IFF_IPV6;
	c->ndisc_evict_nocarrier = 1;
	c->base_reachable6_ms = XN_DEFAULT_BASE_REACHABLE_MS;
	c->proxy_delay6_ms = XN_DEFAULT_PROXY_DELAY_MS;
	/* the NA source for anycast/proxied targets (ND-TX1): the device's
	 * link-local and global address, as xneighd picks them */
	if (lab_src6[dev].ll[0])
		memcpy(c->src6_ll, lab_src6[dev].ll, 16);
	if (lab_src6[dev].gl[0])
		memcpy(c->src6_global, lab_src6[dev].gl, 16);
}

enum conf_type { CT_S32, CT_U8, CT_U32, CT_FLAG, CT_IP6 };

struct conf_key {
	const char *name;
	enum conf_type type;
	size_t off;
	const char *sysctl;	/* under /proc/sys/net/, %s = device; NULL: map only */
	long div;		/* the sysctl holds value / div (ms -> USER_HZ ticks) */
	__u16 flag;		/* CT_FLAG */
};

#define CK(n, t, sc, d) { #n, t, offsetof(struct xn_ifconf, n), sc, d, 0 }
static const struct conf_key conf_keys[] = {
	CK(arp_ignore, CT_S32, "ipv4/conf/%s/arp_ignore", 1),
	CK(arp_announce, CT_S32, "ipv4/conf/%s/arp_announce", 1),
	CK(arp_accept, CT_S32, "ipv4/conf/%s/arp_accept", 1),
	CK(arp_notify, CT_S32, "ipv4/conf/%s/arp_notify", 1),
	CK(medium_id, CT_S32, "ipv4/conf/%s/medium_id", 1),
	CK(arp_filter, CT_U8, "ipv4/conf/%s/arp_filter", 1),
	CK(drop_gratuitous_arp, CT_U8, "ipv4/conf/%s/drop_gratuitous_arp", 1),
	CK(proxy_arp, CT_U8, "ipv4/conf/%s/proxy_arp", 1),
	CK(proxy_arp_pvlan, CT_U8, "ipv4/conf/%s/proxy_arp_pvlan", 1),
	CK(forwarding, CT_U8, "ipv4/conf/%s/forwarding", 1),
	CK(route_localnet, CT_U8, "ipv4/conf/%s/route_localnet", 1),
	CK(arp_evict_nocarrier, CT_U8, "ipv4/conf/%s/arp_evict_nocarrier", 1),
	CK(rp_filter, CT_U8, "ipv4/conf/%s/rp_filter", 1),
	CK(locktime_ms, CT_U32, "ipv4/neigh/%s/locktime", 10),
	CK(base_reachable_ms, CT_U32, "ipv4/neigh/%s/base_reachable_time_ms", 1),
	CK(proxy_delay_ms, CT_U32, "ipv4/neigh/%s/proxy_delay", 10),
	{ "noarp", CT_FLAG, 0, NULL, 1, XN_IFF_NOARP },
	{ "ipv4", CT_FLAG, 0, NULL, 1, XN_IFF_IPV4 },	/* map only: the kernel keeps its in_device */
	/* IPv6: map only (see lab_apply()) */
	CK(forwarding6, CT_U8, NULL, 1),
	CK(proxy_ndp, CT_U8, NULL, 1),
	CK(drop_unsolicited_na, CT_U8, NULL, 1),
	CK(accept_untracked_na, CT_U8, NULL, 1),
	CK(force_tllao, CT_U8, NULL, 1),
	CK(ndisc_notify, CT_U8, NULL, 1),
	CK(ndisc_evict_nocarrier, CT_U8, NULL, 1),
	CK(ndisc_tclass, CT_U8, NULL, 1),
	CK(all_forwarding6, CT_U8, NULL, 1),
	CK(all_proxy_ndp, CT_U8, NULL, 1),
	CK(base_reachable6_ms, CT_U32, NULL, 1),
	CK(proxy_delay6_ms, CT_U32, NULL, 1),
	CK(src6_ll, CT_IP6, NULL, 1),
	CK(src6_global, CT_IP6, NULL, 1),
	{ "ipv6", CT_FLAG, 0, NULL, 1, XN_IFF_IPV6 },
	{ "strict", CT_FLAG, 0, NULL, 1, XN_IFF_STRICT },	/* xneighd --strict: map only */
};

int lab_ifconf_parse(const char *spec, struct xn_ifconf *c)
{
	char buf[512], *save = NULL, *tok;

	if (!spec)
		return 0;
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '='), *end;
		const struct conf_key *k = NULL;
		long v;

		if (!eq) {
			fprintf(stderr, "lab: setting '%s' has no '=value'\n", tok);
			return -EINVAL;
		}
		*eq = '\0';
		for (size_t i = 0; i < sizeof(conf_keys) / sizeof(conf_keys[0]); i++)
			if (!strcmp(conf_keys[i].name, tok))
				k = &conf_keys[i];
		if (!k) {
			fprintf(stderr, "lab: unknown setting '%s'\n", tok);
			return -EINVAL;
		}
		if (k->type == CT_IP6) {
			if (inet_pton(AF_INET6, eq + 1, (char *)c + k->off) != 1) {
				fprintf(stderr, "lab: bad IPv6 address '%s' for %s\n", eq + 1, tok);
				return -EINVAL;
			}
			continue;
		}
		errno = 0;
		v = strtol(eq + 1, &end, 0);
		if (errno || *end || end == eq + 1) {
			fprintf(stderr, "lab: bad value '%s' for %s\n", eq + 1, tok);
			return -EINVAL;
		}
		switch (k->type) {
		case CT_S32:
			*(__s32 *)((char *)c + k->off) = (__s32)v;
			break;
		case CT_U8:
			*(__u8 *)((char *)c + k->off) = (__u8)v;
			break;
		case CT_U32:
			*(__u32 *)((char *)c + k->off) = (__u32)v;
			break;
		case CT_FLAG:
			if (v)
				c->flags |= k->flag;
			else
				c->flags &= ~k->flag;
			break;
		case CT_IP6:
			break;
		}
	}
	return 0;
}

/* Mirror one interface's settings into the kernel so in-kernel helpers
 * (bpf_fib_lookup needs `forwarding`) see what the maps say. */
static int kernel_conf(struct lab *l, enum lab_dev dev, const struct xn_ifconf *c)
{
	static int noarp_now[DEV__COUNT];
	int err;

	for (size_t i = 0; i < sizeof(conf_keys) / sizeof(conf_keys[0]); i++) {
		const struct conf_key *k = &conf_keys[i];
		char path[128];
		long v = 0;

		if (!k->sysctl)
			continue;
		switch (k->type) {
		case CT_S32: v = *(const __s32 *)((const char *)c + k->off); break;
		case CT_U8:  v = *(const __u8 *)((const char *)c + k->off); break;
		case CT_U32: v = *(const __u32 *)((const char *)c + k->off); break;
		case CT_FLAG: continue;
		case CT_IP6: continue;
		}
		snprintf(path, sizeof(path), k->sysctl, l->ifname[dev]);
		err = write_sysctl(path, v / k->div);
		if (err)
			return err;
	}
	if (!!(c->flags & XN_IFF_NOARP) != noarp_now[dev]) {
		noarp_now[dev] = !!(c->flags & XN_IFF_NOARP);
		if (lab_sh("ip link set dev %s arp %s", l->ifname[dev], noarp_now[dev] ? "off" : "on"))
			return -EIO;
	}
	return 0;
}

static int scope_from_name(const char *s)
{
	if (!strcmp(s, "global"))
		return XN_SCOPE_UNIVERSE;
	if (!strcmp(s, "site"))
		return XN_SCOPE_SITE;
	if (!strcmp(s, "link"))
		return XN_SCOPE_LINK;
	if (!strcmp(s, "host"))
		return XN_SCOPE_HOST;
	return atoi(s);
}

static struct xn_ifaddrs4 lab_addrs[DEV__COUNT];

/* RTM_GETADDR order, as `ip -o -4 addr show` prints it. */
static int read_addrs(struct lab *l)
{
	char line[512];
	FILE *f;

	memset(lab_addrs, 0, sizeof(lab_addrs));
	f = popen("ip -o -4 addr show", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *tok, *p;
		int dev = -1;
		struct xn_ifaddr4 a = {};
		bool have = false;

		a.flags = 0x80;	/* IFA_F_PERMANENT: static addresses */
		tok = strtok_r(line, " \t\\", &save);	/* "N:" */
		tok = strtok_r(NULL, " \t\\", &save);	/* name */
		for (int d = 0; tok && d < DEV__COUNT; d++)
			if (!strcmp(tok, l->ifname[d]))
				dev = d;
		while ((tok = strtok_r(NULL, " \t\\\n", &save))) {
			if (!strcmp(tok, "inet")) {
				tok = strtok_r(NULL, " \t\\\n", &save);
				if (!tok || !(p = strchr(tok, '/')))
					break;
				*p = '\0';
				if (inet_pton(AF_INET, tok, &a.addr) != 1)
					break;
				a.prefixlen = (__u8)atoi(p + 1);
				have = true;
			} else if (!strcmp(tok, "scope")) {
				tok = strtok_r(NULL, " \t\\\n", &save);
				if (tok)
					a.scope = (__u8)scope_from_name(tok);
			} else if (!strcmp(tok, "secondary")) {
				a.flags |= 0x01;	/* IFA_F_SECONDARY */
			} else if (!strcmp(tok, "dynamic")) {
				a.flags &= ~0x80;
			}
		}
		if (dev < 0 || !have)
			continue;
		if (lab_addrs[dev].count >= XN_IFADDR4_MAX) {
			pclose(f);
			return -E2BIG;
		}
		lab_addrs[dev].a[lab_addrs[dev].count++] = a;
	}
	if (pclose(f) != 0)
		return -EIO;
	return 0;
}

static bool ifa_match(__be32 addr, const struct xn_ifaddr4 *ifa)
{
	uint32_t mask = ifa->prefixlen == 0 ? 0 :
			ifa->prefixlen >= 32 ? 0xffffffffu : ~((1u << (32 - ifa->prefixlen)) - 1);

	return ((ntohl(addr) ^ ntohl(ifa->addr)) & mask) == 0;
}

/* The kernel's confirm_addr_indev() loop (net/ipv4/devinet.c), used to derive
 * XN_LOCAL_CONFIRM_LINK the way xneighd must: inet_confirm_addr(net, NULL, 0,
 * addr, RT_SCOPE_LINK) over every interface. */
static __be32 confirm_addr_indev(const struct xn_ifaddrs4 *ia, int localnet_scope,
				 __be32 dst, __be32 local, int scope)
{
	__be32 addr = 0;
	int same = 0;

	for (__u32 i = 0; i < ia->count; i++) {
		const struct xn_ifaddr4 *ifa = &ia->a[i];
		int min_scope = ifa->scope < localnet_scope ? ifa->scope : localnet_scope;

		if (!addr && (local == ifa->addr || !local) && min_scope <= scope) {
			addr = ifa->addr;
			if (same)
				break;
		}
		if (!same) {
			same = (!local || ifa_match(local, ifa)) && (!dst || ifa_match(dst, ifa));
			if (same && addr) {
				if (local || !dst)
					break;
				if (ifa_match(addr, ifa))
					break;
				if (min_scope <= scope) {
					addr = ifa->addr;
					break;
				}
				same = 0;
			}
		}
	}
	return same ? addr : 0;
}

int lab_addr6_put(struct lab *l, __u32 ifindex, const uint8_t *addr, uint32_t flags,
		  uint8_t prefixlen, uint8_t scope)
{
	struct xn_addr6_key k = { .ifindex = ifindex };
	struct xn_addr6 v = { .flags = flags, .prefixlen = prefixlen, .scope = scope };

	memcpy(k.addr, addr, 16);
	if (bpf_map_update_elem(l->fd_addr6, &k, &v, BPF_ANY)) {
		int err = -errno;

		fprintf(stderr, "lab: xn_addr6 add %s: %s\n", pkt_ip6_str(addr), strerror(errno));
		return err;
	}
	return 0;
}

/* The on-link prefix of one address (ipv6_chk_prefix()), LPM key
 * 32 + prefixlen over (ifindex in network order, prefix). */
static int prefix6_put(struct lab *l, __u32 ifindex, const uint8_t *addr, uint8_t plen)
{
	struct xn_prefix6_key k = { .prefixlen = 32u + plen, .ifindex = htonl(ifindex) };
	__u32 v = plen;

	for (int i = 0; i < 16; i++) {
		int bits = plen - 8 * i;

		k.addr[i] = bits >= 8 ? addr[i] : bits <= 0 ? 0 : addr[i] & (uint8_t)(0xff << (8 - bits));
	}
	if (bpf_map_update_elem(l->fd_prefix6, &k, &v, BPF_ANY)) {
		int err = -errno;

		fprintf(stderr, "lab: xn_prefix6 add %s/%u: %s\n", pkt_ip6_str(addr), plen,
			strerror(errno));
		return err;
	}
	return 0;
}

/* Every IPv6 address of the namespace into xn_addr6 and xn_prefix6, with the
 * flags `ip -o -6 addr show` prints (IFA_F_* values). */
static int read_addrs6(struct lab *l)
{
	char line[512];
	FILE *f;
	int err = 0;

	f = popen("ip -o -6 addr show", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *tok, *p;
		uint8_t addr[16];
		uint32_t flags = 0x80;	/* IFA_F_PERMANENT: static addresses */
		int plen = -1, scope = 0;
		__u32 ifindex;

		tok = strtok_r(line, " \t\\", &save);	/* "N:" */
		if (!tok)
			continue;
		ifindex = (__u32)atoi(tok);
		tok = strtok_r(NULL, " \t\\", &save);	/* name */
		while ((tok = strtok_r(NULL, " \t\\\n", &save))) {
			if (!strcmp(tok, "inet6")) {
				tok = strtok_r(NULL, " \t\\\n", &save);
				if (!tok || !(p = strchr(tok, '/')))
					break;
				*p = '\0';
				if (inet_pton(AF_INET6, tok, addr) != 1)
					break;
				plen = atoi(p + 1);
			} else if (!strcmp(tok, "scope")) {
				tok = strtok_r(NULL, " \t\\\n", &save);
				if (tok)
					scope = scope_from_name(tok);
			} else if (!strcmp(tok, "tentative")) {
				flags |= XN_ADDR6_TENTATIVE;
			} else if (!strcmp(tok, "optimistic")) {
				flags |= XN_ADDR6_OPTIMISTIC;
			} else if (!strcmp(tok, "dadfailed")) {
				flags |= XN_ADDR6_DADFAILED;
			} else if (!strcmp(tok, "nodad")) {
				flags |= 0x02;	/* IFA_F_NODAD */
			} else if (!strcmp(tok, "deprecated")) {
				flags |= 0x20;	/* IFA_F_DEPRECATED */
			} else if (!strcmp(tok, "dynamic")) {
				flags &= ~0x80u;
			}
		}
		if (plen < 0)
			continue;
		err = lab_addr6_put(l, ifindex, addr, flags, (uint8_t)plen, (uint8_t)scope);
		/* and under ifindex 0: "local on some interface" (XN_GF_ADDR6_ANY) */
		if (!err)
			err = lab_addr6_put(l, 0, addr, flags, (uint8_t)plen, (uint8_t)scope);
		if (!err)
			err = prefix6_put(l, ifindex, addr, (uint8_t)plen);
		if (err)
			break;
	}
	if (pclose(f) != 0 && !err)
		err = -EIO;
	if (err)
		fprintf(stderr, "lab: reading the kernel's IPv6 addresses: %s\n", strerror(-err));
	return err;
}

int lab_apply(struct lab *l, const struct xn_ifconf *rx, const struct xn_ifconf *ox)
{
	struct xn_ifconf rx_kernel;
	int localnet[DEV__COUNT] = { 0 };
	char line[512];
	struct xn_global g = {};
	__u32 zero = 0;
	FILE *f;
	int err;

	if (!rx)
		lab_ifconf_default(l, DEV_RX, &rx_kernel);
	err = kernel_conf(l, DEV_RX, rx ? rx : &rx_kernel);
	if (!err)
		err = kernel_conf(l, DEV_OX, ox);
	if (err)
		return err;

	if (rx && bpf_map_update_elem(l->fd_ifconf, &l->ifindex[DEV_RX], rx, BPF_ANY))
		goto map_err;
	if (bpf_map_update_elem(l->fd_ifconf, &l->ifindex[DEV_OX], ox, BPF_ANY))
		goto map_err;

	err = read_addrs(l);
	if (err) {
		fprintf(stderr, "lab: reading the kernel's addresses: %s\n", strerror(-err));
		return err;
	}
	for (int d = 0; d < DEV__COUNT; d++) {
		if (!lab_addrs[d].count)
			continue;
		if (bpf_map_update_elem(l->fd_ifaddr4, &l->ifindex[d], &lab_addrs[d], BPF_ANY))
			goto map_err;
	}
	localnet[DEV_RX] = (rx ? rx : &rx_kernel)->route_localnet;
	localnet[DEV_OX] = ox->route_localnet;

	/* The /32 routes of the local table (RTN_LOCAL and RTN_BROADCAST). */
	f = popen("ip -o -4 route show table local", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char type[32], dst[64], devname[32];
		struct xn_local4 v = {};
		__be32 a;

		if (sscanf(line, "%31s %63s dev %31s", type, dst, devname) != 3)
			continue;
		if (strchr(dst, '/'))
			continue;	/* 127.0.0.0/8: not a /32 */
		if (!strcmp(type, "local"))
			v.type = XN_RTN_LOCAL;
		else if (!strcmp(type, "broadcast"))
			v.type = XN_RTN_BROADCAST;
		else
			continue;
		if (inet_pton(AF_INET, dst, &a) != 1)
			continue;
		v.ifindex = if_nametoindex(devname);
		if (v.type == XN_RTN_LOCAL) {
			for (int d = 0; d < DEV__COUNT; d++) {
				if (confirm_addr_indev(&lab_addrs[d],
						       localnet[d] ? XN_SCOPE_LINK : XN_SCOPE_HOST,
						       0, a, XN_SCOPE_LINK)) {
					v.flags |= XN_LOCAL_CONFIRM_LINK;
					break;
				}
			}
		}
		if (bpf_map_update_elem(l->fd_local4, &a, &v, BPF_ANY)) {
			pclose(f);
			goto map_err;
		}
	}
	if (pclose(f) != 0)
		return -EIO;
	/* as xneighd's sync does after writing xn_local4 */
	err = xn_local4f_sync(l->fd_local4, l->fd_local4f, NULL, 0);
	if (err) {
		fprintf(stderr, "lab: write %s: %s\n", XN_MAP_LOCAL4F, strerror(-err));
		return err;
	}
	/* and the snapshot of both maps, as xneighd's sync does after them */
	err = lab_snap_sync(l);
	if (err)
		return err;

	err = read_addrs6(l);
	if (err)
		return err;

	g.fib_ifindex = l->ifindex[DEV_LO];
	g.fib6_ifindex = l->ifindex[DEV_LO];	/* lo has IPv6 forwarding on too */
	g.flags |= XN_GF_ADDR6_ANY;
	g.daemon_heartbeat = lab_now_ns();
	if (bpf_map_update_elem(l->fd_global, &zero, &g, BPF_ANY))
		goto map_err;
	return 0;
map_err:
	err = -errno;
	fprintf(stderr, "lab: map update: %s\n", strerror(errno));
	return err;
}

int lab_proxy_add(struct lab *l, __u32 ifindex, uint32_t ip)
{
	struct xn_proxy4_key k = { .ifindex = ifindex, .addr = htonl(ip) };
	struct xn_proxy v = {};

	if (bpf_map_update_elem(l->fd_proxy4, &k, &v, BPF_ANY)) {
		int err = -errno;

		fprintf(stderr, "lab: xn_proxy4 add: %s\n", strerror(errno));
		return err;
	}
	return 0;
}

int lab_proxy6_add(struct lab *l, __u32 ifindex, const uint8_t *addr, uint8_t ntf_flags)
{
	struct xn_proxy6_key k = { .ifindex = ifindex };
	struct xn_proxy v = { .flags = ntf_flags };

	memcpy(k.addr, addr, 16);
	if (bpf_map_update_elem(l->fd_proxy6, &k, &v, BPF_ANY)) {
		int err = -errno;

		fprintf(stderr, "lab: xn_proxy6 add %s: %s\n", pkt_ip6_str(addr), strerror(errno));
		return err;
	}
	return 0;
}

/* ---- entries, counters, events ------------------------------------------------ */

int lab_neigh_put(struct lab *l, __u32 ifindex, uint32_t ip, const struct xn_neigh *v)
{
	struct xn_neigh4_key k = { .ifindex = ifindex, .addr = htonl(ip) };

	if (bpf_map_update_elem(l->fd_neigh4, &k, v, BPF_F_LOCK)) {
		int err = -errno;

		fprintf(stderr, "lab: xn_neigh4 put: %s\n", strerror(errno));
		return err;
	}
	return 0;
}

int lab_neigh_get(struct lab *l, __u32 ifindex, uint32_t ip, struct xn_neigh *v)
{
	struct xn_neigh4_key k = { .ifindex = ifindex, .addr = htonl(ip) };

	if (bpf_map_lookup_elem_flags(l->fd_neigh4, &k, v, BPF_F_LOCK))
		return -errno;
	return 0;
}

int lab_neigh6_put(struct lab *l, __u32 ifindex, const uint8_t *addr, const struct xn_neigh *v)
{
	struct xn_neigh6_key k = { .ifindex = ifindex };

	memcpy(k.addr, addr, 16);
	if (bpf_map_update_elem(l->fd_neigh6, &k, v, BPF_F_LOCK)) {
		int err = -errno;

		fprintf(stderr, "lab: xn_neigh6 put: %s\n", strerror(errno));
		return err;
	}
	return 0;
}

int lab_neigh6_get(struct lab *l, __u32 ifindex, const uint8_t *addr, struct xn_neigh *v)
{
	struct xn_neigh6_key k = { .ifindex = ifindex };

	memcpy(k.addr, addr, 16);
	if (bpf_map_lookup_elem_flags(l->fd_neigh6, &k, v, BPF_F_LOCK))
		return -errno;
	return 0;
}

int lab_neigh_count(struct lab *l)
{
	struct xn_neigh4_key k, next;
	int n = 0;
	void *prev = NULL;

	while (bpf_map_get_next_key(l->fd_neigh4, prev, &next) == 0) {
		n++;
		k = next;
		prev = &k;
	}
	return n;
}

static const char *const stat_names[] = {
#define XN_STAT_NAME(name, desc) #name,
	XN_STATS(XN_STAT_NAME)
#undef XN_STAT_NAME
};

const char *lab_stat_name(int idx)
{
	return idx >= 0 && idx < XN_STAT__COUNT ? stat_names[idx] : "?";
}

uint64_t lab_stat(const struct xn_stats *s, int idx)
{
	return ((const __u64 *)s)[idx];
}

int lab_stats_sum(struct lab *l, __u32 slot, struct xn_stats *out)
{
	struct xn_stats *v;
	int err = 0;

	v = calloc((size_t)l->ncpus, sizeof(*v));
	if (!v)
		return -ENOMEM;
	memset(out, 0, sizeof(*out));
	if (bpf_map_lookup_elem(l->fd_stats, &slot, v)) {
		err = -errno;
		fprintf(stderr, "lab: read xn_stats[%u]: %s\n", slot, strerror(errno));
		goto out;
	}
	for (int c = 0; c < l->ncpus; c++)
		for (int i = 0; i < XN_STAT__COUNT; i++)
			((__u64 *)out)[i] += ((__u64 *)&v[c])[i];
out:
	free(v);
	return err;
}

int lab_events_drain(struct lab *l)
{
	int n = ring_buffer__consume(l->rb);

	return n < 0 ? n : l->nev;
}

/* ---- runs ------------------------------------------------------------------------- */

int lab_run_xdp(struct lab *l, __u32 ifindex, const uint8_t *in, size_t in_len,
		uint8_t *out, size_t *out_len, __u32 *retval)
{
	struct xdp_md ctx = { .data = 0, .data_end = (__u32)in_len, .ingress_ifindex = ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = in,
		.data_size_in = (__u32)in_len,
		.data_out = out,
		.data_size_out = (__u32)*out_len,
		.ctx_in = &ctx,
		.ctx_size_in = sizeof(ctx),
		.repeat = 1,
	);
	int err;

	err = bpf_prog_test_run_opts(l->prog_xdp, &o);
	if (err)
		return -errno;
	*out_len = o.data_size_out;
	*retval = o.retval;
	return 0;
}

int lab_run_tc(struct lab *l, int prog_fd, __u32 ifindex, const uint8_t *in, size_t in_len,
	       uint8_t *out, size_t *out_len, __u32 *retval)
{
	/* ifindex selects skb->dev (eth_type_trans() then sets pkt_type from
	 * the device MAC); ingress_ifindex is skb_iif: the receiving device for
	 * ingress, 0 for locally generated egress traffic. */
	struct __sk_buff ctx = {
		.ifindex = ifindex,
		.ingress_ifindex = prog_fd == l->prog_tc_in ? ifindex : 0,
	};
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = in,
		.data_size_in = (__u32)in_len,
		.data_out = out,
		.data_size_out = (__u32)*out_len,
		.ctx_in = &ctx,
		.ctx_size_in = sizeof(ctx),
		.repeat = 1,
	);
	int err;

	err = bpf_prog_test_run_opts(prog_fd, &o);
	if (err)
		return -errno;
	*out_len = o.data_size_out;
	*retval = o.retval;
	return 0;
}

int lab_run_ctl(struct lab *l, struct xn_ctl_req *req, __u32 *retval)
{
	/* SEC("syscall") test runs take only ctx_in and write the context back
	 * into it (bpf_prog_test_run_syscall()); no repeat. */
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.ctx_in = req,
		.ctx_size_in = sizeof(*req),
	);
	int err;

	err = bpf_prog_test_run_opts(l->prog_ctl, &o);
	if (err)
		return -errno;
	*retval = o.retval;
	return 0;
}
