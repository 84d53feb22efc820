// SPDX-License-Identifier: GPL-2.0
/* xneighd: XDP (libxdp) and TC (libbpf bpf_tc_*) attachment. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include "xneigh/maps.h"
#include "attach.h"
#include "log.h"
#include "netlink.h"

/* Program names as the kernel shows them (bpf/xneigh.bpf.c). */
#define XN_PROG_XDP	"xn_xdp"
#define XN_PROG_TC_IN	"xn_tc_in"
#define XN_PROG_TC_CONFIRM "xn_tc_confirm"
#define XN_PROG_TC_OUT	"xn_tc_out"

const char *xn_mode_name(enum xn_mode mode)
{
	switch (mode) {
	case XN_MODE_NATIVE:	return "native";
	case XN_MODE_GENERIC:	return "generic";
	case XN_MODE_TC:	return "tc";
	}
	return "?";
}

const char *xn_tc_prog_name(enum xn_tc_prog which)
{
	switch (which) {
	case XN_TC_IN:		return XN_PROG_TC_IN;
	case XN_TC_CONFIRM:	return XN_PROG_TC_CONFIRM;
	case XN_TC_OUT:		return XN_PROG_TC_OUT;
	}
	return "?";
}

static enum xdp_attach_mode libxdp_mode(enum xn_mode mode)
{
	return mode == XN_MODE_GENERIC ? XDP_MODE_SKB : XDP_MODE_NATIVE;
}

/* ---- recognising a running xneigh ----------------------------------------------- */

struct prog_desc {
	char name[BPF_OBJ_NAME_LEN];
	bool has_heartbeat;
	__u64 heartbeat;		/* xn_global.daemon_heartbeat of its maps */
	__u32 map_ids[XN_LEFTOVER_MAPS_MAX];
	unsigned int nmaps;
};

/* Name of program `id`, its maps and, if it uses an xn_global map, the
 * heartbeat the daemon that owns those maps last wrote. */
static int prog_describe(__u32 id, struct prog_desc *d)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), map_ids[XN_LEFTOVER_MAPS_MAX], i;
	int fd, err = 0;

	memset(d, 0, sizeof(*d));
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		return fd;
	info.nr_map_ids = sizeof(map_ids) / sizeof(map_ids[0]);
	info.map_ids = (__u64)(unsigned long)map_ids;
	err = bpf_obj_get_info_by_fd(fd, &info, &len);
	close(fd);
	if (err)
		return err;
	snprintf(d->name, sizeof(d->name), "%s", info.name);
	if (info.nr_map_ids > sizeof(map_ids) / sizeof(map_ids[0]))
		info.nr_map_ids = sizeof(map_ids) / sizeof(map_ids[0]);
	memcpy(d->map_ids, map_ids, info.nr_map_ids * sizeof(map_ids[0]));
	d->nmaps = info.nr_map_ids;

	for (i = 0; i < info.nr_map_ids; i++) {
		struct bpf_map_info minfo = {};
		__u32 mlen = sizeof(minfo), key = 0;
		struct xn_global g;
		int mfd = bpf_map_get_fd_by_id(map_ids[i]);

		if (mfd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(mfd, &minfo, &mlen) &&
		    !strcmp(minfo.name, XN_MAP_GLOBAL) && minfo.value_size == sizeof(g) &&
		    !bpf_map_lookup_elem(mfd, &key, &g)) {
			d->has_heartbeat = true;
			d->heartbeat = g.daemon_heartbeat;
		}
		close(mfd);
	}
	return 0;
}

/* Remember the maps of the first leftover program seen. */
static void leftover_maps(struct xn_leftover *lo, const struct prog_desc *d)
{
	if (lo->nmaps || !d->nmaps)
		return;
	memcpy(lo->map_ids, d->map_ids, d->nmaps * sizeof(d->map_ids[0]));
	lo->nmaps = d->nmaps;
}

static bool heartbeat_is_live(const struct prog_desc *d)
{
	struct timespec ts;
	__u64 now;

	if (!d->has_heartbeat || !d->heartbeat)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
	return now - d->heartbeat < XN_HEARTBEAT_LIVE_NS;
}

/* ---- TC filter listing (rtnetlink RTM_GETTFILTER) ------------------------------------ */

struct tc_filter {
	__u32 handle, prio, prog_id;
};

struct tc_list {
	struct tc_filter f[64];
	unsigned int n;			/* in f[] */
	unsigned int total;		/* every filter message, bpf or not */
};

static void tc_list_reset(void *data)
{
	struct tc_list *l = data;

	l->n = l->total = 0;
}

static int tc_bpf_attr_cb(const struct nlattr *attr, void *data)
{
	__u32 *id = data;

	if (mnl_attr_get_type(attr) == TCA_BPF_ID && mnl_attr_get_payload_len(attr) >= 4)
		*id = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int tc_filter_cb(const struct nlmsghdr *nlh, void *data)
{
	struct tc_list *l = data;
	const struct tcmsg *tcm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr, *kind = NULL, *opts = NULL;
	__u32 id = 0;

	if (nlh->nlmsg_type != RTM_NEWTFILTER || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*tcm)))
		return MNL_CB_OK;
	l->total++;
	mnl_attr_for_each(attr, nlh, sizeof(*tcm)) {
		if (mnl_attr_get_type(attr) == TCA_KIND)
			kind = attr;
		else if (mnl_attr_get_type(attr) == TCA_OPTIONS)
			opts = attr;
	}
	if (!kind || mnl_attr_validate(kind, MNL_TYPE_NUL_STRING) < 0 ||
	    strcmp(mnl_attr_get_str(kind), "bpf") || !opts || !tcm->tcm_handle)
		return MNL_CB_OK;
	mnl_attr_parse_nested(opts, tc_bpf_attr_cb, &id);
	if (id && l->n < sizeof(l->f) / sizeof(l->f[0])) {
		l->f[l->n].handle = tcm->tcm_handle;
		l->f[l->n].prio = TC_H_MAJ(tcm->tcm_info) >> 16;
		l->f[l->n].prog_id = id;
		l->n++;
	}
	return MNL_CB_OK;
}

/* The filters on the clsact ingress or egress hook of ifindex. */
static int tc_list_filters(struct xn_nl *nl, int ifindex, bool ingress, struct tc_list *l)
{
	char req[256] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct tcmsg *tcm;

	nlh->nlmsg_type = RTM_GETTFILTER;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = TC_H_MAKE(TC_H_CLSACT, ingress ? TC_H_MIN_INGRESS : TC_H_MIN_EGRESS);
	return xn_nl_dump(nl, nlh, tc_filter_cb, tc_list_reset, l);
}

/* ---- leftovers ---------------------------------------------------------------------- */

static int refuse_live(const struct xn_iface *ifc, const char *what, __u32 id)
{
	pr_warn("interface '%s' already runs xneigh's %s program (id %u) for a live xneighd: "
		"only one xneighd may run per network namespace\n", ifc->name, what, id);
	return -EBUSY;
}

static int find_xdp_leftover(struct xn_iface *ifc, bool owner_dead, struct xn_leftover *lo)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(ifc->ifindex);
	struct xdp_program *p = NULL, *found = NULL;
	struct prog_desc d;
	int err = 0;

	if (!mp || libxdp_get_error(mp))
		return 0;		/* nothing attached */
	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		if (p && !strcmp(xdp_program__name(p), XN_PROG_XDP))
			found = p;
	} else {
		while ((p = xdp_multiprog__next_prog(p, mp)))
			if (!strcmp(xdp_program__name(p), XN_PROG_XDP))
				found = p;
	}
	if (!found)
		goto out;
	if (!prog_describe(xdp_program__id(found), &d)) {
		if (!owner_dead && heartbeat_is_live(&d)) {
			err = refuse_live(ifc, "XDP", xdp_program__id(found));
			goto out;
		}
		leftover_maps(lo, &d);
	}
	lo->xdp_id = xdp_program__id(found);
	lo->xdp_dispatcher = !xdp_multiprog__is_legacy(mp);
	lo->xdp_mode = xdp_multiprog__attach_mode(mp) == XDP_MODE_SKB ? XN_MODE_GENERIC :
									  XN_MODE_NATIVE;
	pr_info("%s: XDP program %s (id %u, %s%s) left by an xneighd that is gone\n", ifc->name,
		XN_PROG_XDP, lo->xdp_id, xn_mode_name(lo->xdp_mode),
		lo->xdp_dispatcher ? ", in a libxdp dispatcher" : "");
out:
	xdp_multiprog__close(mp);
	return err;
}

static int find_tc_leftovers(struct xn_iface *ifc, struct xn_nl *nl, bool ingress,
			     bool owner_dead, struct xn_leftover *lo)
{
	struct xn_tc_left *tl = ingress ? lo->tc_in : lo->tc_out;
	unsigned int *nt = ingress ? &lo->n_in : &lo->n_out;
	struct tc_list l;
	unsigned int i;

	if (tc_list_filters(nl, ifc->ifindex, ingress, &l))
		return 0;		/* no clsact: nothing of ours */
	for (i = 0; i < l.n; i++) {
		struct prog_desc d;

		if (prog_describe(l.f[i].prog_id, &d))
			continue;
		if (ingress ? strcmp(d.name, XN_PROG_TC_IN) && strcmp(d.name, XN_PROG_TC_CONFIRM) :
			      strcmp(d.name, XN_PROG_TC_OUT))
			continue;
		if (!owner_dead && heartbeat_is_live(&d))
			return refuse_live(ifc, ingress ? "TC ingress" : "TC egress", l.f[i].prog_id);
		leftover_maps(lo, &d);
		pr_info("%s: TC %s filter %s (id %u, pref %u handle 0x%x) left by an xneighd "
			"that is gone\n", ifc->name, ingress ? "ingress" : "egress", d.name,
			l.f[i].prog_id, l.f[i].prio, l.f[i].handle);
		if (*nt == XN_LEFTOVER_TC_MAX)
			continue;
		tl[*nt].id = l.f[i].prog_id;
		tl[*nt].handle = l.f[i].handle;
		tl[*nt].prio = l.f[i].prio;
		(*nt)++;
	}
	return 0;
}

int xn_attach_find_leftovers(struct xn_iface *ifc, struct xn_nl *nl, bool owner_dead,
			     struct xn_leftover *lo)
{
	int err;

	memset(lo, 0, sizeof(*lo));
	err = find_xdp_leftover(ifc, owner_dead, lo);
	if (!err)
		err = find_tc_leftovers(ifc, nl, true, owner_dead, lo);
	if (!err)
		err = find_tc_leftovers(ifc, nl, false, owner_dead, lo);
	return err;
}

int xn_leftover_detach_xdp(struct xn_iface *ifc, const struct xn_leftover *lo)
{
	struct xdp_program *p;
	int err;

	if (!lo->xdp_id)
		return 0;
	p = xdp_program__from_id(lo->xdp_id);
	err = libxdp_get_error(p);
	if (err) {
		if (err == -ENOENT)
			return 0;	/* gone meanwhile */
		pr_warn("%s: cannot open the leftover XDP program (id %u): %s\n", ifc->name,
			lo->xdp_id, strerror(-err));
		return err;
	}
	err = xdp_program__detach(p, ifc->ifindex, libxdp_mode(lo->xdp_mode), 0);
	if (err)
		pr_warn("%s: cannot remove the leftover XDP program (id %u): %s\n", ifc->name,
			lo->xdp_id, strerror(-err));
	else
		pr_info("%s: leftover XDP program (id %u) removed\n", ifc->name, lo->xdp_id);
	xdp_program__close(p);
	return err;
}

void xn_leftover_detach_tc(struct xn_iface *ifc, const struct xn_leftover *lo, bool ingress,
			   unsigned int from)
{
	const struct xn_tc_left *tl = ingress ? lo->tc_in : lo->tc_out;
	unsigned int i, n = ingress ? lo->n_in : lo->n_out;

	for (i = from; i < n; i++) {
		DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifc->ifindex,
				    .attach_point = ingress ? BPF_TC_INGRESS : BPF_TC_EGRESS);
		DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = tl[i].handle,
				    .priority = tl[i].prio);
		int err = bpf_tc_detach(&hook, &opts);

		if (err && err != -ENOENT)
			pr_warn("%s: cannot remove the leftover TC %s filter (pref %u handle "
				"0x%x): %s\n", ifc->name, ingress ? "ingress" : "egress",
				tl[i].prio, tl[i].handle, strerror(-err));
		else
			pr_info("%s: leftover TC %s filter (id %u) removed\n", ifc->name,
				ingress ? "ingress" : "egress", tl[i].id);
	}
}

static __u32 raw_xdp_flags(enum xn_mode mode)
{
	return mode == XN_MODE_GENERIC ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
}

int xn_xdp_attach_raw(struct xn_iface *ifc, int prog_fd, enum xn_mode mode, __u32 old_id)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts);
	__u32 flags = raw_xdp_flags(mode);
	int old_fd = -1, err;

	if (old_id) {
		old_fd = bpf_prog_get_fd_by_id(old_id);
		if (old_fd < 0)
			old_id = 0;	/* gone meanwhile: attach afresh */
	}
	if (old_id) {
		flags |= XDP_FLAGS_REPLACE;
		opts.old_prog_fd = old_fd;
	} else {
		flags |= XDP_FLAGS_UPDATE_IF_NOEXIST;
	}
	err = bpf_xdp_attach(ifc->ifindex, prog_fd, flags, &opts);
	if (old_fd >= 0)
		close(old_fd);
	if (err) {
		pr_warn("cannot attach XDP program %s to '%s' in %s mode%s: %s\n", XN_PROG_XDP,
			ifc->name, xn_mode_name(mode), old_id ? " in place of the leftover" : "",
			strerror(-err));
		return err;
	}
	ifc->xdp = true;
	ifc->xdp_raw = true;
	ifc->xdp_raw_fd = prog_fd;
	ifc->xdp_raw_mode = mode;
	ifc->xdp_dispatcher = false;
	if (old_id)
		pr_info("%s: XDP %s replaced program id %u in %s mode, atomically\n", ifc->name,
			XN_PROG_XDP, old_id, xn_mode_name(mode));
	else
		pr_info("%s: XDP %s attached in %s mode as a single program\n", ifc->name,
			XN_PROG_XDP, xn_mode_name(mode));
	return 0;
}

/* ---- XDP ------------------------------------------------------------------------------ */

static void explain_xdp_error(const struct xn_iface *ifc, enum xn_mode mode, int err)
{
	char msg[256];
	__u32 id = 0;

	libxdp_strerror(err, msg, sizeof(msg));
	if (err == -EPERM) {
		pr_warn("cannot load or attach the XDP program on '%s': %s "
			"(need root: CAP_BPF, CAP_NET_ADMIN and CAP_SYS_ADMIN)\n", ifc->name, msg);
		return;
	}
	if ((err == -EEXIST || err == -EBUSY) &&
	    !bpf_xdp_query_id(ifc->ifindex, 0, &id) && id) {
		struct prog_desc d;

		if (prog_describe(id, &d))
			snprintf(d.name, sizeof(d.name), "?");
		pr_warn("interface '%s' already has an XDP program attached (%s, id %u): "
			"detach it first (ip link set dev %s xdp off)\n", ifc->name, d.name, id,
			ifc->name);
		return;
	}
	pr_warn("cannot attach XDP program %s to '%s' in %s mode: %s%s\n", XN_PROG_XDP,
		ifc->name, xn_mode_name(mode), msg,
		mode == XN_MODE_NATIVE ?
		" (the driver may not support native XDP: try --mode generic)" :
		" (-v shows libbpf's and libxdp's messages)");
}

int xn_xdp_attach(struct xdp_program *prog, struct xn_iface *ifc, enum xn_mode mode)
{
	struct xdp_multiprog *mp;
	int err;

	err = xdp_program__attach(prog, ifc->ifindex, libxdp_mode(mode), 0);
	if (err) {
		/* Not loaded: the object itself failed (the caller says so). */
		if (xdp_program__fd(prog) >= 0)
			explain_xdp_error(ifc, mode, err);
		return err;
	}
	ifc->xdp = true;

	mp = xdp_multiprog__get_from_ifindex(ifc->ifindex);
	if (mp && !libxdp_get_error(mp)) {
		ifc->xdp_dispatcher = !xdp_multiprog__is_legacy(mp);
		if (ifc->xdp_dispatcher)
			pr_info("%s: XDP %s (id %u) attached in %s mode through the libxdp "
				"dispatcher (%d program%s on the interface)\n", ifc->name,
				XN_PROG_XDP, xdp_program__id(prog), xn_mode_name(mode),
				xdp_multiprog__program_count(mp),
				xdp_multiprog__program_count(mp) == 1 ? "" : "s");
		else
			pr_info("%s: XDP %s (id %u) attached in %s mode as a single program "
				"(legacy: the kernel refused libxdp's dispatcher)\n", ifc->name,
				XN_PROG_XDP, xdp_program__id(prog), xn_mode_name(mode));
	}
	xdp_multiprog__close(mp);
	return 0;
}

void xn_xdp_detach(struct xdp_program *prog, struct xn_iface *ifc, enum xn_mode mode)
{
	int err;

	if (!ifc->xdp)
		return;
	if (ifc->xdp_raw) {
		LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = ifc->xdp_raw_fd);

		/* only if it is still ours */
		err = bpf_xdp_detach(ifc->ifindex, raw_xdp_flags(ifc->xdp_raw_mode) |
				     XDP_FLAGS_REPLACE, &opts);
	} else {
		err = xdp_program__detach(prog, ifc->ifindex, libxdp_mode(mode), 0);
	}
	if (err && err != -ENODEV && err != -ENOENT)
		pr_warn("%s: cannot detach XDP program %s: %s\n", ifc->name, XN_PROG_XDP,
			strerror(-err));
	else if (!err)
		pr_info("%s: XDP program detached\n", ifc->name);
	ifc->xdp = false;
}

/* ---- TC ------------------------------------------------------------------------------- */

int xn_tc_attach(struct xn_iface *ifc, int prog_fd, enum xn_tc_prog which,
		 const struct xn_tc_left *old)
{
	bool ingress = which != XN_TC_OUT;
	const char *dir = ingress ? "ingress" : "egress", *name = xn_tc_prog_name(which);
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifc->ifindex,
			    .attach_point = ingress ? BPF_TC_INGRESS : BPF_TC_EGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd);
	int err;

	if (old) {
		/* the leftover's place: same priority and handle, swapped in
		 * one step by the kernel */
		opts.handle = old->handle;
		opts.priority = old->prio;
		opts.flags = BPF_TC_F_REPLACE;
	} else if (!ifc->tc_in && !ifc->tc_out) {
		err = bpf_tc_hook_create(&hook);
		if (!err)
			ifc->tc_qdisc_created = true;
		else if (err != -EEXIST) {
			pr_warn("%s: cannot create the clsact qdisc: %s\n", ifc->name,
				strerror(-err));
			return err;
		}
	}
	/* handle and priority 0: the kernel picks free ones and libbpf
	 * reports them back, so we never replace someone else's filter. */
	err = bpf_tc_attach(&hook, &opts);
	if (err) {
		pr_warn("%s: cannot attach TC %s program %s: %s\n", ifc->name, dir, name,
			strerror(-err));
		return err;
	}
	if (ingress) {
		ifc->tc_in = true;
		ifc->tc_in_confirm = which == XN_TC_CONFIRM;
		ifc->tc_in_handle = opts.handle;
		ifc->tc_in_prio = opts.priority;
		ifc->tc_in_id = opts.prog_id;
	} else {
		ifc->tc_out = true;
		ifc->tc_out_handle = opts.handle;
		ifc->tc_out_prio = opts.priority;
		ifc->tc_out_id = opts.prog_id;
	}
	pr_info("%s: TC %s program %s (id %u) attached (pref %u handle 0x%x)%s\n", ifc->name,
		dir, name, opts.prog_id, opts.priority, opts.handle,
		old ? ", replacing the leftover in one step" : "");
	return 0;
}

static void tc_detach_one(struct xn_iface *ifc, bool ingress, __u32 handle, __u32 prio)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifc->ifindex,
			    .attach_point = ingress ? BPF_TC_INGRESS : BPF_TC_EGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = handle, .priority = prio);
	int err = bpf_tc_detach(&hook, &opts);

	if (err && err != -ENODEV && err != -ENOENT)
		pr_warn("%s: cannot detach TC %s filter (pref %u handle 0x%x): %s\n", ifc->name,
			ingress ? "ingress" : "egress", prio, handle, strerror(-err));
}

void xn_tc_detach(struct xn_iface *ifc, struct xn_nl *nl)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifc->ifindex,
			    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	struct tc_list in, out;
	int err;

	if (!ifc->tc_in && !ifc->tc_out)
		return;
	if (ifc->tc_in)
		tc_detach_one(ifc, true, ifc->tc_in_handle, ifc->tc_in_prio);
	if (ifc->tc_out)
		tc_detach_one(ifc, false, ifc->tc_out_handle, ifc->tc_out_prio);
	ifc->tc_in = ifc->tc_out = ifc->tc_in_confirm = false;
	pr_info("%s: TC filters detached\n", ifc->name);
	if (!ifc->tc_qdisc_created)
		return;
	/* We added clsact: take it away again, unless someone else has put
	 * filters on it meanwhile (deleting the qdisc would delete theirs). */
	if (tc_list_filters(nl, ifc->ifindex, true, &in) ||
	    tc_list_filters(nl, ifc->ifindex, false, &out))
		return;		/* interface or qdisc already gone */
	if (in.total || out.total) {
		pr_info("%s: leaving the clsact qdisc in place: it holds other filters\n",
			ifc->name);
		return;
	}
	err = bpf_tc_hook_destroy(&hook);
	if (err && err != -ENODEV && err != -ENOENT && err != -EINVAL)
		pr_warn("%s: cannot remove the clsact qdisc: %s\n", ifc->name, strerror(-err));
	ifc->tc_qdisc_created = false;
}
