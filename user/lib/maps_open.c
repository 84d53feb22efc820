// SPDX-License-Identifier: GPL-2.0
/* Finding and reading the data plane's maps; see maps_open.h. */
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/if_link.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <libmnl/libmnl.h>
#include "xneigh/maps.h"
#include "xneigh/stats.h"
#include "log.h"
#include "pins.h"
#include "maps_open.h"

/* tcx attach points (Linux 6.6+, uapi enum bpf_attach_type), newer than the
 * uapi headers this builds against; the values are ABI. */
#define XN_BPF_TCX_INGRESS	46
#define XN_BPF_TCX_EGRESS	47

/* The kernel's internal "not supported" (ENOTSUPP), which batch operations
 * can return to user space. */
#define XN_ENOTSUPP		524

/* Kernel name of the data plane's scratch map (bpf/lib/maps.h); not in
 * include/xneigh/maps.h because nothing outside the data plane uses it. */
#define XN_MAP_SCRATCH_NAME	"xn_scratch"

/* What each map must look like (include/xneigh/maps.h, bpf/lib/maps.h).
 * value_size 0: not checked (a ring buffer has none; xn_scratch's is private). */
static const struct {
	const char *name;
	__u32 type;
	__u32 key_size;
	__u32 value_size;
} map_spec[XN_MI__COUNT] = {
	[XN_MI_NEIGH4]  = { XN_MAP_NEIGH4,  BPF_MAP_TYPE_HASH, sizeof(struct xn_neigh4_key), sizeof(struct xn_neigh) },
	[XN_MI_IFCONF]  = { XN_MAP_IFCONF,  BPF_MAP_TYPE_HASH, sizeof(__u32), sizeof(struct xn_ifconf) },
	[XN_MI_IFADDR4] = { XN_MAP_IFADDR4, BPF_MAP_TYPE_HASH, sizeof(__u32), sizeof(struct xn_ifaddrs4) },
	[XN_MI_LOCAL4]  = { XN_MAP_LOCAL4,  BPF_MAP_TYPE_HASH, sizeof(__be32), sizeof(struct xn_local4) },
	[XN_MI_PROXY4]  = { XN_MAP_PROXY4,  BPF_MAP_TYPE_HASH, sizeof(struct xn_proxy4_key), sizeof(struct xn_proxy) },
	[XN_MI_GLOBAL]  = { XN_MAP_GLOBAL,  BPF_MAP_TYPE_ARRAY, sizeof(__u32), sizeof(struct xn_global) },
	[XN_MI_STATS]   = { XN_MAP_STATS,   BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(__u32), sizeof(struct xn_stats) },
	[XN_MI_EVENTS]  = { XN_MAP_EVENTS,  BPF_MAP_TYPE_RINGBUF, 0, 0 },
	[XN_MI_NEIGH6]  = { XN_MAP_NEIGH6,  BPF_MAP_TYPE_HASH, sizeof(struct xn_neigh6_key), sizeof(struct xn_neigh) },
	[XN_MI_ADDR6]   = { XN_MAP_ADDR6,   BPF_MAP_TYPE_HASH, sizeof(struct xn_addr6_key), sizeof(struct xn_addr6) },
	[XN_MI_PREFIX6] = { XN_MAP_PREFIX6, BPF_MAP_TYPE_LPM_TRIE, sizeof(struct xn_prefix6_key), sizeof(__u32) },
	[XN_MI_PROXY6]  = { XN_MAP_PROXY6,  BPF_MAP_TYPE_HASH, sizeof(struct xn_proxy6_key), sizeof(struct xn_proxy) },
	[XN_MI_ROUTE4]  = { XN_MAP_ROUTE4,  BPF_MAP_TYPE_LPM_TRIE, sizeof(struct xn_route4_key), sizeof(struct xn_route4) },
	[XN_MI_SCRATCH] = { XN_MAP_SCRATCH_NAME, BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(__u32), 0 },
	[XN_MI_SNAP]    = { XN_MAP_SNAP,    BPF_MAP_TYPE_ARRAY_OF_MAPS, sizeof(__u32), sizeof(__u32) },
};

/* The data-plane programs and the type each must have. */
static const struct {
	const char *name;
	__u32 type;
} prog_spec[] = {
	{ "xn_xdp",	BPF_PROG_TYPE_XDP },
	{ "xn_tc_in",	BPF_PROG_TYPE_SCHED_CLS },
	{ "xn_tc_confirm", BPF_PROG_TYPE_SCHED_CLS },
	{ "xn_tc_out",	BPF_PROG_TYPE_SCHED_CLS },
};

/* The named fds and fd[] are one array: each name must sit at its index. */
#define XN_FD_AT(member, idx) \
	XN_STATIC_ASSERT(offsetof(struct xn_maps, member) == \
			 offsetof(struct xn_maps, fd) + (idx) * sizeof(int), #member " at fd[" #idx "]")
XN_FD_AT(neigh4, XN_MI_NEIGH4);
XN_FD_AT(events, XN_MI_EVENTS);
XN_FD_AT(neigh6, XN_MI_NEIGH6);
XN_FD_AT(route4, XN_MI_ROUTE4);
XN_FD_AT(scratch, XN_MI_SCRATCH);
XN_FD_AT(snap, XN_MI_SNAP);

const char *xn_map_name(enum xn_map_index i)
{
	return (unsigned int)i < XN_MI__COUNT ? map_spec[i].name : "?";
}

const char *xn_maps_source_str(enum xn_maps_source s)
{
	switch (s) {
	case XN_MAPS_SRC_PINS:	return "pinned maps";
	case XN_MAPS_SRC_PROGS:	return "attached programs";
	default:		return "none";
	}
}

static bool is_perm_err(int err)
{
	return err == -EPERM || err == -EACCES;
}

static void set_errmsg(struct xn_maps *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_errmsg(struct xn_maps *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->errmsg, sizeof(m->errmsg), fmt, ap);
	va_end(ap);
}

/* Discovery state shared by the steps below. */
struct discover {
	struct xn_maps *m;
	bool perm_denied;		/* some open failed with EPERM/EACCES */
	/* xn_maps_find_user(): look for a program using one of these map
	 * ids instead of collecting maps */
	const __u32 *want_ids;
	unsigned int nr_want;
	bool user_found;
	struct xn_maps_prog user;
};

/* Check an open map against map_spec[i]; if it fits store it in m. Takes
 * ownership of fd. Returns 1 if stored, 0 if not (fd closed). A map with
 * our name but another layout is not used: a CLI must never decode a
 * differently built data plane's bytes. It is remembered in m->mismatch. */
static int adopt_map(struct discover *d, enum xn_map_index i, int fd,
		     const struct bpf_map_info *info)
{
	struct xn_maps *m = d->m;

	if (m->fd[i] >= 0) {
		if (m->id[i] != info->id)
			pr_warn("warning: two data planes in this namespace: map %s has ids %u and %u; using %u\n",
				map_spec[i].name, m->id[i], info->id, m->id[i]);
		close(fd);
		return 0;
	}
	if (info->type != map_spec[i].type || info->key_size != map_spec[i].key_size ||
	    (map_spec[i].value_size && info->value_size != map_spec[i].value_size)) {
		pr_debug("map %s (id %u): type %u, key %u, value %u bytes; this build expects %u, %u, %u\n",
			 map_spec[i].name, info->id, info->type, info->key_size, info->value_size,
			 map_spec[i].type, map_spec[i].key_size, map_spec[i].value_size);
		m->mismatch[i].id = info->id;
		m->mismatch[i].type = info->type;
		m->mismatch[i].key_size = info->key_size;
		m->mismatch[i].value_size = info->value_size;
		close(fd);
		return 0;
	}
	m->fd[i] = fd;
	m->id[i] = info->id;
	m->max_entries[i] = info->max_entries;
	m->mismatch[i].id = 0;
	return 1;
}

/* Count of usable maps, and of maps refused for their layout. */
static int count_maps(const struct xn_maps *m, int *mismatched)
{
	int i, found = 0;

	*mismatched = 0;
	for (i = 0; i < XN_MI__COUNT; i++) {
		found += m->fd[i] >= 0;
		*mismatched += m->fd[i] < 0 && m->mismatch[i].id;
	}
	return found;
}

static int map_info(int fd, struct bpf_map_info *info)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bpf_obj_get_info_by_fd(fd, info, &len) ? -errno : 0;
}

/* ---- Step 1: pins ------------------------------------------------------- */

/* Pins are found by the namespace's inode number, which a namespace created
 * after this one is gone can get: pins that a dead namespace's xneighd left
 * (--keep, or killed) would show another namespace's table, its interfaces
 * by index. They are used only when their xn_global carries this
 * namespace's cookie (pins.h). */
static bool pins_are_ours(const struct xn_maps *m, const char *dir)
{
	__u64 ours = 0, stamp = 0;
	enum xn_owner owner;
	int err;

	err = xn_netns_cookie(&ours);
	if (err) {
		pr_debug("pins: no cookie for this network namespace (%s): %s used unverified\n",
			 strerror(-err), dir);
		return true;
	}
	err = m->fd[XN_MI_GLOBAL] < 0 ? -ENOENT : xn_global_cookie(m->fd[XN_MI_GLOBAL], &stamp);
	if (err) {
		pr_warn("warning: ignoring the pins in %s: no %s map of this build to say which "
			"network namespace they belong to; looking for attached programs\n", dir,
			XN_MAP_GLOBAL);
		return false;
	}
	owner = xn_owner_of(ours, stamp);
	if (owner == XN_OWNER_THIS_NETNS)
		return true;
	pr_warn("warning: ignoring the pins in %s: they belong to %s (netns cookie %llu, this "
		"one's is %llu), left by an xneighd that is gone; looking for attached programs\n",
		dir, xn_owner_str(owner), (unsigned long long)stamp, (unsigned long long)ours);
	return false;
}

/* 0 if at least one pin was opened, -ENOENT if there are none (or they are
 * another namespace's), -EPERM, -EPROTO. */
static int open_from_pins(struct discover *d)
{
	struct xn_maps *m = d->m;
	/* "/sys/fs/bpf/xneigh/net<inode>": short; sized so every name fits */
	char dir[96], path[sizeof(dir) + 32];
	struct stat st;
	int err, found = 0;
	enum xn_map_index i;

	err = xn_pin_dir(dir, sizeof(dir));
	if (err) {
		pr_debug("cannot name the pin directory: %s\n", strerror(-err));
		return -ENOENT;
	}
	if (stat(dir, &st)) {
		err = -errno;
		pr_debug("pins: %s: %s\n", dir, strerror(errno));
		if (is_perm_err(err))
			d->perm_denied = true;
		return err == -ENOENT || err == -ENOTDIR ? -ENOENT : err;
	}
	for (i = 0; i < XN_MI__COUNT; i++) {
		struct bpf_map_info info;
		int fd;

		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, map_spec[i].name) >= sizeof(path))
			continue;
		fd = bpf_obj_get(path);
		if (fd < 0) {
			err = fd;
			pr_debug("pins: %s: %s\n", path, strerror(-err));
			if (is_perm_err(err))
				d->perm_denied = true;
			continue;
		}
		err = map_info(fd, &info);
		if (err || strcmp(info.name, map_spec[i].name)) {
			pr_debug("pins: %s is not the map %s\n", path, map_spec[i].name);
			close(fd);
			continue;
		}
		found += adopt_map(d, i, fd, &info);
	}
	if (!found) {
		int mismatched;

		count_maps(m, &mismatched);
		if (mismatched)
			return -EPROTO;
		return d->perm_denied ? -EPERM : -ENOENT;
	}
	if (!pins_are_ours(m, dir)) {
		/* as if there were none: the attached programs tell */
		xn_maps_close(m);
		xn_maps_init(m);
		d->perm_denied = false;
		return -ENOENT;
	}
	m->source = XN_MAPS_SRC_PINS;
	snprintf(m->where, sizeof(m->where), "%s", dir);
	return 0;
}

/* ---- Step 2: programs attached to the namespace's interfaces ------------ */

static void consider_prog(struct discover *d, __u32 prog_id, __u32 ifindex, const char *hook)
{
	struct xn_maps *m = d->m;
	struct bpf_prog_info info;
	__u32 len = sizeof(info), nr_maps, k;
	__u32 *map_ids = NULL;
	int fd, adopted = 0;
	size_t p;
	bool ours = false;

	fd = bpf_prog_get_fd_by_id(prog_id);
	if (fd < 0) {
		if (is_perm_err(fd))
			d->perm_denied = true;
		pr_debug("program id %u (ifindex %u, %s): %s\n", prog_id, ifindex, hook,
			 strerror(-fd));
		return;
	}
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		pr_debug("program id %u: cannot read its info: %s\n", prog_id, strerror(errno));
		goto out;
	}
	for (p = 0; p < sizeof(prog_spec) / sizeof(prog_spec[0]); p++)
		if (!strcmp(info.name, prog_spec[p].name) && info.type == prog_spec[p].type)
			ours = true;
	if (!ours) {
		pr_debug("program id %u (%s) on ifindex %u, %s: not an xneigh program\n",
			 prog_id, info.name, ifindex, hook);
		goto out;
	}
	m->nr_progs_seen++;
	if (m->nr_progs < XN_MAPS_MAX_PROGS) {
		struct xn_maps_prog *rec = &m->progs[m->nr_progs++];

		rec->id = prog_id;
		rec->ifindex = ifindex;
		snprintf(rec->name, sizeof(rec->name), "%s", info.name);
		rec->hook = hook;
	}

	/* Second call for the map ids; the count can change in between only
	 * if the program is replaced, in which case we read the first ones. */
	nr_maps = info.nr_map_ids;
	if (!nr_maps)
		goto out;
	map_ids = calloc(nr_maps, sizeof(*map_ids));
	if (!map_ids)
		goto out;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = nr_maps;
	info.map_ids = (__u64)(unsigned long)map_ids;
	len = sizeof(info);
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		pr_debug("program id %u: cannot read its map ids: %s\n", prog_id, strerror(errno));
		goto out;
	}
	if (info.nr_map_ids < nr_maps)
		nr_maps = info.nr_map_ids;

	if (d->want_ids) {
		for (k = 0; k < nr_maps && !d->user_found; k++) {
			unsigned int w;

			for (w = 0; w < d->nr_want; w++) {
				if (map_ids[k] != d->want_ids[w])
					continue;
				d->user_found = true;
				d->user.id = prog_id;
				d->user.ifindex = ifindex;
				snprintf(d->user.name, sizeof(d->user.name), "%s", info.name);
				d->user.hook = hook;
				break;
			}
		}
		goto out;
	}

	for (k = 0; k < nr_maps; k++) {
		struct bpf_map_info minfo;
		int i, mfd, known = 0;

		for (i = 0; i < XN_MI__COUNT; i++)
			if (m->id[i] == map_ids[k])
				known = 1;
		if (known)
			continue;
		mfd = bpf_map_get_fd_by_id(map_ids[k]);
		if (mfd < 0) {
			if (is_perm_err(mfd))
				d->perm_denied = true;
			pr_debug("map id %u: %s\n", map_ids[k], strerror(-mfd));
			continue;
		}
		if (map_info(mfd, &minfo)) {
			close(mfd);
			continue;
		}
		for (i = 0; i < XN_MI__COUNT; i++)
			if (!strcmp(minfo.name, map_spec[i].name))
				break;
		if (i == XN_MI__COUNT) {
			close(mfd);		/* .rodata, .bss, ... */
			continue;
		}
		if (adopt_map(d, i, mfd, &minfo) > 0)
			adopted++;
	}
	if (adopted && !m->where[0]) {
		char ifname[IF_NAMESIZE];

		if (!if_indextoname(ifindex, ifname))
			snprintf(ifname, sizeof(ifname), "if%u", ifindex);
		snprintf(m->where, sizeof(m->where), "%s (id %u) on %s, %s",
			 info.name, prog_id, ifname, hook);
	}
out:
	free(map_ids);
	close(fd);
}

static void scan_xdp(struct discover *d, __u32 ifindex)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int err;

	err = bpf_xdp_query((int)ifindex, 0, &q);
	if (err) {
		pr_debug("ifindex %u: XDP query: %s\n", ifindex, strerror(-err));
		return;
	}
	/* One program per mode; prog_id repeats one of these in single-mode. */
	if (q.drv_prog_id)
		consider_prog(d, q.drv_prog_id, ifindex, "xdp");
	if (q.skb_prog_id)
		consider_prog(d, q.skb_prog_id, ifindex, "xdpgeneric");
	if (q.hw_prog_id)
		consider_prog(d, q.hw_prog_id, ifindex, "xdpoffload");
}

struct tc_dump_ctx {
	struct discover *d;
	__u32 ifindex;
	const char *hook;
};

static int tc_bpf_opt_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type == TCA_BPF_ID && mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
		tb[TCA_BPF_ID] = attr;
	return MNL_CB_OK;
}

static int tc_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type == TCA_KIND && mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		tb[TCA_KIND] = attr;
	else if (type == TCA_OPTIONS && mnl_attr_validate(attr, MNL_TYPE_NESTED) >= 0)
		tb[TCA_OPTIONS] = attr;
	return MNL_CB_OK;
}

static int tc_filter_cb(const struct nlmsghdr *nlh, void *data)
{
	struct tc_dump_ctx *c = data;
	const struct nlattr *tb[TCA_MAX + 1] = {};
	const struct nlattr *opt[TCA_BPF_MAX + 1] = {};

	if (nlh->nlmsg_type != RTM_NEWTFILTER)
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(struct tcmsg), tc_attr_cb, tb) < 0)
		return MNL_CB_OK;
	if (!tb[TCA_KIND] || strcmp(mnl_attr_get_str(tb[TCA_KIND]), "bpf") || !tb[TCA_OPTIONS])
		return MNL_CB_OK;
	if (mnl_attr_parse_nested(tb[TCA_OPTIONS], tc_bpf_opt_cb, opt) < 0 || !opt[TCA_BPF_ID])
		return MNL_CB_OK;
	consider_prog(c->d, mnl_attr_get_u32(opt[TCA_BPF_ID]), c->ifindex, c->hook);
	return MNL_CB_OK;
}

/* Dump the cls_bpf filters of one clsact hook (what `tc filter show dev X
 * ingress` lists). Errors only cost us that hook: logged, not returned. */
static void scan_tc_hook(struct discover *d, struct mnl_socket *nl, unsigned int *seq,
			 __u32 ifindex, __u32 parent, const char *hook)
{
	/* a dump skb can outgrow a page (NLMSG_GOODSIZE): 32 KiB, as libmnl's
	 * later MNL_SOCKET_DUMP_SIZE, never truncates one */
	char buf[32768];
	struct tc_dump_ctx c = { .d = d, .ifindex = ifindex, .hook = hook };
	struct nlmsghdr *nlh;
	struct tcmsg *tcm;
	unsigned int portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int ret;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETTFILTER;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++*seq;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = (int)ifindex;
	tcm->tcm_parent = parent;

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		pr_debug("ifindex %u: %s filter dump: %s\n", ifindex, hook, strerror(errno));
		return;
	}
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			pr_debug("ifindex %u: %s filter dump: %s\n", ifindex, hook, strerror(errno));
			return;
		}
		ret = mnl_cb_run(buf, (size_t)n, *seq, portid, tc_filter_cb, &c);
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		pr_debug("ifindex %u: %s filter dump: %s\n", ifindex, hook, strerror(errno));
}

static void scan_tcx(struct discover *d, __u32 ifindex, int attach_type, const char *hook)
{
	__u32 ids[16], cnt = 16, flags = 0, k;

	if (bpf_prog_query((int)ifindex, (enum bpf_attach_type)attach_type, 0, &flags, ids, &cnt)) {
		pr_debug("ifindex %u: %s query: %s\n", ifindex, hook, strerror(errno));
		return;
	}
	for (k = 0; k < cnt && k < 16; k++)
		consider_prog(d, ids[k], ifindex, hook);
}

/* Every XDP program and TC/tcx filter of every interface of the namespace
 * through consider_prog(). 0 or -errno (m->errmsg set). */
static int scan_attached(struct discover *d)
{
	struct xn_maps *m = d->m;
	struct if_nameindex *ifs, *it;
	struct mnl_socket *nl;
	unsigned int seq = 0;

	ifs = if_nameindex();
	if (!ifs) {
		int err = -errno;

		set_errmsg(m, "cannot list network interfaces: %s", strerror(-err));
		return err;
	}
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (nl && mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		nl = NULL;
	}
	if (!nl)
		pr_debug("rtnetlink socket: %s (TC programs not searched)\n", strerror(errno));

	for (it = ifs; it->if_index; it++) {
		__u32 ifindex = it->if_index;

		scan_xdp(d, ifindex);
		if (nl) {
			scan_tc_hook(d, nl, &seq, ifindex,
				     TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), "tc ingress");
			scan_tc_hook(d, nl, &seq, ifindex,
				     TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS), "tc egress");
		}
		scan_tcx(d, ifindex, XN_BPF_TCX_INGRESS, "tcx ingress");
		scan_tcx(d, ifindex, XN_BPF_TCX_EGRESS, "tcx egress");
	}
	if (nl)
		mnl_socket_close(nl);
	if_freenameindex(ifs);
	return 0;
}

static int open_from_progs(struct discover *d)
{
	struct xn_maps *m = d->m;
	int found, mismatched, err;

	err = scan_attached(d);
	if (err)
		return err;
	found = count_maps(m, &mismatched);
	if (!found)
		return mismatched ? -EPROTO : d->perm_denied ? -EPERM : -ENOENT;
	m->source = XN_MAPS_SRC_PROGS;
	return 0;
}

void xn_maps_init(struct xn_maps *m)
{
	int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < XN_MI__COUNT; i++)
		m->fd[i] = -1;
}

int xn_maps_open(struct xn_maps *m)
{
	struct discover d = { .m = m };
	int err;

	xn_maps_init(m);

	err = open_from_pins(&d);
	if (err == -ENOENT || (err && is_perm_err(err)))
		err = open_from_progs(&d);
	if (!err) {
		pr_debug("maps found through %s: %s\n", xn_maps_source_str(m->source), m->where);
		return 0;
	}
	if (err == -EPROTO) {
		enum xn_map_index i;

		for (i = 0; i < XN_MI__COUNT; i++)
			if (m->mismatch[i].id)
				break;
		xn_maps_require(m, i);
	} else if (is_perm_err(err) || d.perm_denied) {
		err = -EPERM;
		set_errmsg(m, "permission denied opening BPF maps (run as root)");
	} else if (err == -ENOENT) {
		set_errmsg(m, "no xneigh data plane in this network namespace (is xneighd running?)");
	} else if (!m->errmsg[0]) {
		set_errmsg(m, "cannot open the data plane's maps: %s", strerror(-err));
	}
	return err;
}

int xn_maps_require(struct xn_maps *m, enum xn_map_index i)
{
	const struct xn_map_mismatch *mm;

	if ((unsigned int)i >= XN_MI__COUNT)
		return -EINVAL;
	if (m->fd[i] >= 0)
		return 0;
	mm = &m->mismatch[i];
	if (mm->id) {
		char want_value[16];

		if (map_spec[i].value_size)
			snprintf(want_value, sizeof(want_value), "%u", map_spec[i].value_size);
		else
			snprintf(want_value, sizeof(want_value), "any");
		set_errmsg(m, "map %s (id %u) has type %u, key %u and value %u bytes where this xneigh expects type %u, %u and %s: the data plane comes from a different xneigh build",
			   map_spec[i].name, mm->id, mm->type, mm->key_size, mm->value_size,
			   map_spec[i].type, map_spec[i].key_size, want_value);
		return -EPROTO;
	}
	if (m->source == XN_MAPS_SRC_NONE)
		set_errmsg(m, "map %s not found: no xneigh data plane in this network namespace",
			   map_spec[i].name);
	else
		set_errmsg(m, "map %s not found: the data plane found through %s (%s) does not have it",
			   map_spec[i].name, xn_maps_source_str(m->source), m->where);
	return -ENOENT;
}

void xn_maps_close(struct xn_maps *m)
{
	int i;

	for (i = 0; i < XN_MI__COUNT; i++) {
		if (m->fd[i] >= 0)
			close(m->fd[i]);
		m->fd[i] = -1;
	}
}

int xn_maps_find_user(const __u32 *map_ids, unsigned int n, struct xn_maps_prog *user)
{
	struct xn_maps scratch;
	struct discover d = { .m = &scratch, .want_ids = map_ids, .nr_want = n };
	int err;

	xn_maps_init(&scratch);
	err = n ? scan_attached(&d) : 0;
	xn_maps_close(&scratch);
	if (err)
		return err;
	if (!d.user_found)
		return 0;
	*user = d.user;
	return 1;
}

/* ---- Reading and deleting --------------------------------------------------- */

static bool batch_unsupported(int err)
{
	return err == -EINVAL || err == -EOPNOTSUPP || err == -XN_ENOTSUPP || err == -ENOSYS;
}

/* Grow the two arrays to hold at least `need` elements. */
static int dump_grow(void **keys, void **values, size_t key_size, size_t value_size,
		     size_t *cap, size_t need)
{
	size_t ncap = *cap ? *cap : 64;
	void *nk, *nv;

	while (ncap < need)
		ncap *= 2;
	if (ncap == *cap)
		return 0;
	nk = realloc(*keys, ncap * key_size);
	if (!nk)
		return -ENOMEM;
	*keys = nk;
	nv = realloc(*values, ncap * value_size);
	if (!nv)
		return -ENOMEM;
	*values = nv;
	*cap = ncap;
	return 0;
}

/* The fallback: one get_next_key + one lookup per element (kernels < 5.6). */
static int dump_iterate(int fd, size_t key_size, size_t value_size, __u64 elem_flags,
			void **keys, void **values, size_t *cap, size_t *count)
{
	unsigned char next[64];
	size_t n = 0;
	int err;

	if (key_size > sizeof(next))
		return -E2BIG;
	/* libbpf >= 1.0 returns -errno from every low-level call */
	while (!(err = bpf_map_get_next_key(fd, n ? (char *)*keys + (n - 1) * key_size : NULL, next))) {
		err = dump_grow(keys, values, key_size, value_size, cap, n + 1);
		if (err)
			return err;
		err = bpf_map_lookup_elem_flags(fd, next, (char *)*values + n * value_size, elem_flags);
		if (err == -ENOENT)
			continue;	/* deleted since get_next_key */
		if (err)
			return err;
		memcpy((char *)*keys + n * key_size, next, key_size);
		n++;
	}
	if (err != -ENOENT)
		return err;
	*count = n;
	return 0;
}

int xn_map_dump(int fd, size_t key_size, size_t value_size, __u64 elem_flags,
		void **keys, void **values, size_t *count)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = elem_flags);
	struct bpf_map_info info;
	__u64 in_batch = 0, out_batch = 0;	/* hash maps use a __u32 bucket cursor */
	size_t cap = 0, n = 0;
	bool first = true;
	int err;

	*keys = NULL;
	*values = NULL;
	*count = 0;
	err = map_info(fd, &info);
	if (err)
		return err;
	err = dump_grow(keys, values, key_size, value_size, &cap,
			info.max_entries ? info.max_entries : 1);
	if (err)
		goto fail;

	for (;;) {
		__u32 cnt;

		if (n == cap) {
			/* entries moved between buckets during the walk can be
			 * returned twice; never overflow because of that */
			err = dump_grow(keys, values, key_size, value_size, &cap, cap + 1);
			if (err)
				goto fail;
		}
		cnt = (__u32)(cap - n > UINT32_MAX ? UINT32_MAX : cap - n);
		err = bpf_map_lookup_batch(fd, first ? NULL : &in_batch, &out_batch,
					   (char *)*keys + n * key_size,
					   (char *)*values + n * value_size, &cnt, &opts);
		if (err == -ENOENT) {
			n += cnt;	/* last batch */
			break;
		}
		if (err) {
			if (first && batch_unsupported(err)) {
				err = dump_iterate(fd, key_size, value_size, elem_flags,
						   keys, values, &cap, &n);
				if (err)
					goto fail;
				break;
			}
			if (err == -ENOSPC) {
				/* one bucket holds more than the space left */
				err = dump_grow(keys, values, key_size, value_size, &cap, cap * 2);
				if (err)
					goto fail;
				continue;
			}
			goto fail;
		}
		n += cnt;
		in_batch = out_batch;
		first = false;
	}
	*count = n;
	return 0;
fail:
	free(*keys);
	free(*values);
	*keys = NULL;
	*values = NULL;
	return err;
}

int xn_map_delete_keys(int fd, const void *keys, size_t key_size, size_t n,
		       size_t *deleted)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	const char *k = keys;
	size_t done = 0, gone = 0;
	bool batch = true;
	int err;

	*deleted = 0;
	while (done < n) {
		if (batch) {
			__u32 cnt = (__u32)(n - done > UINT32_MAX ? UINT32_MAX : n - done);

			err = bpf_map_delete_batch(fd, k + done * key_size, &cnt, &opts);
			/* cnt = keys processed before the one that failed */
			gone += cnt;
			done += cnt;
			if (!err)
				continue;
			if (err == -ENOENT) {
				done++;		/* raced with another delete: skip it */
				continue;
			}
			if (batch_unsupported(err) && cnt == 0) {
				batch = false;
				continue;
			}
			*deleted = gone;
			return err;
		}
		err = bpf_map_delete_elem(fd, k + done * key_size);
		if (err && err != -ENOENT) {
			*deleted = gone;
			return err;
		}
		if (!err)
			gone++;
		done++;
	}
	*deleted = gone;
	return 0;
}
