// SPDX-License-Identifier: GPL-2.0
/* Finding and running the xn_ctl program; see ctl.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xneigh/maps.h"
#include "xneigh/nud.h"
#include "log.h"
#include "ctl.h"

static void set_errmsg(struct xn_ctl *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_errmsg(struct xn_ctl *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
	va_end(ap);
}

static bool is_perm_err(int err)
{
	return err == -EPERM || err == -EACCES;
}

void xn_ctl_init(struct xn_ctl *c)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

void xn_ctl_close(struct xn_ctl *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* The ids of the maps the program behind fd uses: *ids (malloc'd, NULL
 * when none) and *nr. 0 or -errno. */
static int prog_map_ids(int fd, __u32 **ids, __u32 *nr)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info), n;

	*ids = NULL;
	*nr = 0;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	n = info.nr_map_ids;
	if (!n)
		return 0;
	*ids = calloc(n, sizeof(**ids));
	if (!*ids)
		return -ENOMEM;
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = n;
	info.map_ids = (__u64)(unsigned long)*ids;
	len = sizeof(info);
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		free(*ids);
		*ids = NULL;
		return -errno;
	}
	*nr = info.nr_map_ids < n ? info.nr_map_ids : n;
	return 0;
}

/* Is the program behind fd our xn_ctl: a syscall program of that name
 * using map map_id? 1 yes, 0 no, -errno if its info cannot be read.
 * *id receives the program id. */
static int prog_is_ours(int fd, __u32 map_id, __u32 *id)
{
	struct bpf_prog_info info;
	__u32 len = sizeof(info), nr, k;
	__u32 *ids;
	int ret = 0;

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	*id = info.id;
	if (info.type != BPF_PROG_TYPE_SYSCALL || strcmp(info.name, XN_CTL_PROG_NAME))
		return 0;
	ret = prog_map_ids(fd, &ids, &nr);
	if (ret)
		return ret;
	for (k = 0; k < nr; k++)
		if (ids[k] == map_id)
			ret = 1;
	free(ids);
	return ret;
}

/* DIR/xn_ctl, if xneighd pinned it there. 0, -ENOENT, -EPERM. */
static int open_pinned(struct xn_ctl *c, const char *pin_dir, __u32 map_id)
{
	char path[256];
	__u32 id = 0;
	int fd, r;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", pin_dir, XN_CTL_PROG_NAME) >= sizeof(path))
		return -ENOENT;
	fd = bpf_obj_get(path);
	if (fd < 0) {
		pr_debug("ctl: %s: %s\n", path, strerror(-fd));
		return is_perm_err(fd) ? -EPERM : -ENOENT;
	}
	r = prog_is_ours(fd, map_id, &id);
	if (r <= 0) {
		pr_debug("ctl: %s is not the xn_ctl program of map id %u%s%s\n", path, map_id,
			 r < 0 ? ": " : "", r < 0 ? strerror(-r) : "");
		close(fd);
		return -ENOENT;
	}
	c->fd = fd;
	c->id = id;
	c->from_pin = true;
	snprintf(c->where, sizeof(c->where), "pinned at %s (id %u)", path, id);
	return 0;
}

/* Every loaded program, in id order. 0, -ENOENT, -EPERM. */
static int open_by_walk(struct xn_ctl *c, __u32 map_id)
{
	bool denied = false;
	__u32 next = 0, id;
	int fd, r;

	/* libbpf >= 1.0: the low-level calls return -errno */
	while (!bpf_prog_get_next_id(next, &next)) {
		fd = bpf_prog_get_fd_by_id(next);
		if (fd < 0) {
			/* unloaded since, or not ours to open */
			if (is_perm_err(fd))
				denied = true;
			continue;
		}
		r = prog_is_ours(fd, map_id, &id);
		if (r > 0) {
			c->fd = fd;
			c->id = id;
			c->from_pin = false;
			snprintf(c->where, sizeof(c->where), "program id %u", id);
			return 0;
		}
		close(fd);
	}
	if (errno == EPERM || errno == EACCES)
		denied = true;
	return denied ? -EPERM : -ENOENT;
}

int xn_ctl_open(struct xn_ctl *c, const char *pin_dir, __u32 map_id)
{
	int err = -ENOENT;

	xn_ctl_init(c);
	if (!map_id) {
		set_errmsg(c, "no neighbour table to find the xn_ctl program by");
		return -EINVAL;
	}
	if (pin_dir)
		err = open_pinned(c, pin_dir, map_id);
	if (err)
		err = open_by_walk(c, map_id);
	if (!err) {
		pr_debug("ctl: %s\n", c->where);
		return 0;
	}
	if (err == -EPERM)
		set_errmsg(c, "permission denied opening the xn_ctl BPF program (run as root)");
	else
		set_errmsg(c, "the data plane's control program %s (using map id %u) is not loaded: is xneighd from this build running?",
			   XN_CTL_PROG_NAME, map_id);
	return err;
}

int xn_ctl_run(const struct xn_ctl *c, struct xn_ctl_req *req)
{
	/* SEC("syscall") runs take ctx_in only and write the context back
	 * into it (bpf_prog_test_run_syscall()) */
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.ctx_in = req,
		.ctx_size_in = sizeof(*req),
	);
	int err;

	if (c->fd < 0)
		return -EBADF;
	err = bpf_prog_test_run_opts(c->fd, &o);
	return err ? -errno : 0;
}

static void req_set_entry(struct xn_ctl_req *req, int family, __u32 ifindex, const __u8 *addr)
{
	req->family = (__u32)family;
	req->ifindex = ifindex;
	memcpy(req->addr, addr, family == AF_INET6 ? 16 : 4);
}

/* Does the entry exist (and is it not being removed)? 1, 0, -errno. */
static int entry_exists(int map_fd, int family, __u32 ifindex, const __u8 *addr)
{
	struct xn_neigh4_key k4 = { .ifindex = ifindex };
	struct xn_neigh6_key k6 = { .ifindex = ifindex };
	struct xn_neigh v;
	int err;

	if (family == AF_INET6) {
		memcpy(k6.addr, addr, sizeof(k6.addr));
		err = bpf_map_lookup_elem_flags(map_fd, &k6, &v, BPF_F_LOCK);
	} else {
		memcpy(&k4.addr, addr, sizeof(k4.addr));
		err = bpf_map_lookup_elem_flags(map_fd, &k4, &v, BPF_F_LOCK);
	}
	if (err == -ENOENT)
		return 0;
	if (err)
		return err;
	/* neigh_lookup() never returns an unlinked (dead) entry */
	return !(v.xflags & XN_NF_DEAD);
}

int xn_ctl_neigh_add(const struct xn_ctl *c, int neigh_map_fd, const struct xn_ctl_neigh *n,
		     __u16 nlm_flags, struct xn_ctl_req *out)
{
	/* neigh_add(): an administrator's update overrides the address and
	 * the IsRouter flag ... */
	__u32 flags = XN_UPD_ADMIN | XN_UPD_OVERRIDE | XN_UPD_OVERRIDE_ISROUTER;
	struct xn_ctl_req req = { .op = XN_CTL_UPDATE };
	int exists, err;

	if (n->family != AF_INET && n->family != AF_INET6)
		return -EAFNOSUPPORT;
	exists = entry_exists(neigh_map_fd, n->family, n->ifindex, n->addr);
	if (exists < 0)
		return exists;
	if (!exists) {
		if (!(nlm_flags & NLM_F_CREATE))
			return -ENOENT;
	} else {
		if (nlm_flags & NLM_F_EXCL)
			return -EEXIST;
		/* ... except an existing entry written without NLM_F_REPLACE
		 * (NUD-10) */
		if (!(nlm_flags & NLM_F_REPLACE))
			flags &= ~(__u32)(XN_UPD_OVERRIDE | XN_UPD_OVERRIDE_ISROUTER);
	}
	/* NUD-8.3/8.13: the ndm flags become update flags */
	if (n->ntf_flags & XN_NTF_EXT_LEARNED)
		flags |= XN_UPD_EXT_LEARNED;
	if (n->ntf_flags & XN_NTF_ROUTER)
		flags |= XN_UPD_ISROUTER;

	req_set_entry(&req, n->family, n->ifindex, n->addr);
	/* the kernel creates an entry it did not find (___neigh_create() after
	 * neigh_lookup()); if the data plane made one meanwhile, that one is
	 * updated, as ___neigh_create() returns a concurrently created entry */
	if (nlm_flags & NLM_F_CREATE)
		req.ctl_flags |= XN_CTL_F_CREATE;
	if (n->has_lladdr) {
		req.ctl_flags |= XN_CTL_F_HAS_LLADDR;
		memcpy(req.lladdr, n->lladdr, ETH_ALEN);
	} else if (!exists && n->has_ctor_lladdr) {
		/* arp_constructor()/ndisc_constructor() made the new entry
		 * NOARP with this address before __neigh_update() ran: an
		 * update without an address keeps it */
		req.ctl_flags |= XN_CTL_F_HAS_LLADDR;
		memcpy(req.lladdr, n->ctor_lladdr, ETH_ALEN);
	}
	req.state = n->state;
	req.ntf_flags = n->ntf_flags & (XN_NTF_EXT_LEARNED | XN_NTF_ROUTER);
	req.update_flags = flags;
	err = xn_ctl_run(c, &req);
	if (err)
		return err;
	if (out)
		*out = req;
	/* neigh_alloc() refusing an entry is -ENOBUFS in the kernel */
	return req.result == -E2BIG ? -ENOBUFS : req.result;
}

int xn_ctl_neigh_delete(const struct xn_ctl *c, int family, __u32 ifindex, const __u8 *addr)
{
	struct xn_ctl_req req = { .op = XN_CTL_UPDATE };
	int err;

	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	/* neigh_delete(): __neigh_update(neigh, NULL, NUD_FAILED,
	 * OVERRIDE | ADMIN) first — an INCOMPLETE or PROBE entry is thereby
	 * invalidated (res_failed) — then neigh_remove_one() */
	req_set_entry(&req, family, ifindex, addr);
	req.state = NUD_FAILED;
	req.update_flags = XN_UPD_OVERRIDE | XN_UPD_ADMIN;
	err = xn_ctl_run(c, &req);
	if (err)
		return err;
	if (req.result)
		return req.result;	/* -ENOENT: no entry, or one being removed */

	memset(&req, 0, sizeof(req));
	req.op = XN_CTL_DELETE;
	req_set_entry(&req, family, ifindex, addr);
	req.ctl_flags = XN_CTL_F_ANY_GEN;
	err = xn_ctl_run(c, &req);
	if (err)
		return err;
	/* -EAGAIN with ANY_GEN: someone else is removing it right now */
	return req.result == -EAGAIN ? -ENOENT : req.result;
}

/* ---- periodic GC ------------------------------------------------------------------------ */

static int set_by_stale(const void *a, const void *b)
{
	const struct xn_gc_set *x = a, *y = b;

	if (x->stale_ns != y->stale_ns)
		return x->stale_ns < y->stale_ns ? -1 : 1;
	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

static int set_by_ifindex(const void *a, const void *b)
{
	const struct xn_gc_set *x = a, *y = b;

	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

void xn_gc_scan_params(struct xn_gc_scan *io, __u64 stale_ns, const struct xn_gc_set *sets,
		       size_t nsets)
{
	struct xn_gc_set *tab = io->sets, *all;
	size_t i, k, n = 0;

	io->now = 0;
	io->pad = 0;
	io->stale_ns = stale_ns;
	io->nsets = 0;
	for (i = 0; i < XN_GC_SCAN_SETS; i++) {
		tab[i].ifindex = XN_GC_SET_NONE;
		tab[i].pad = 0;
		tab[i].stale_ns = 0;
	}
	if (!nsets)
		return;
	all = malloc(nsets * sizeof(*all));
	if (!all) {
		/* no room to sort: one bound for all, still complete */
		for (i = 0; i < nsets; i++)
			if (sets[i].stale_ns < io->stale_ns)
				io->stale_ns = sets[i].stale_ns;
		return;
	}
	/* the smallest times first (the same ifindex twice: its smaller time
	 * first), so what does not fit is what matters least */
	memcpy(all, sets, nsets * sizeof(*all));
	qsort(all, nsets, sizeof(*all), set_by_stale);
	for (i = 0; i < nsets; i++) {
		bool dup = all[i].ifindex == XN_GC_SET_NONE;

		for (k = 0; k < n; k++)
			dup |= tab[k].ifindex == all[i].ifindex;
		if (dup)
			continue;
		if (n < XN_GC_SCAN_SETS) {
			tab[n].ifindex = all[i].ifindex;
			tab[n].stale_ns = all[i].stale_ns;
			n++;
		} else if (all[i].stale_ns < io->stale_ns) {
			io->stale_ns = all[i].stale_ns;
		}
	}
	free(all);
	qsort(tab, n, sizeof(*tab), set_by_ifindex);
	io->nsets = (__u32)n;
}

/* The xn_gcscan map of the program behind c: an fd, or -errno. */
static int open_scan_map(const struct xn_ctl *c)
{
	struct bpf_map_info info;
	__u32 *ids, nr, k, len;
	int err, fd = -ENOENT;

	err = prog_map_ids(c->fd, &ids, &nr);
	if (err)
		return err;
	for (k = 0; k < nr; k++) {
		int mfd = bpf_map_get_fd_by_id(ids[k]);

		if (mfd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (!bpf_obj_get_info_by_fd(mfd, &info, &len) &&
		    !strcmp(info.name, XN_MAP_GCSCAN) && info.type == BPF_MAP_TYPE_ARRAY &&
		    info.value_size == sizeof(struct xn_gc_scan)) {
			fd = mfd;
			break;
		}
		close(mfd);
	}
	free(ids);
	return fd;
}

int xn_ctl_gc_scan(const struct xn_ctl *c, int family, struct xn_gc_scan *io)
{
	struct xn_ctl_req req = { .op = XN_CTL_GC_SCAN };
	__u32 zero = 0;
	int fd, err;

	if (family != AF_INET && family != AF_INET6)
		return -EINVAL;
	if (c->fd < 0)
		return -EBADF;
	fd = open_scan_map(c);
	if (fd < 0)
		return fd;
	req.family = (__u32)family;
	err = bpf_map_update_elem(fd, &zero, io, BPF_ANY);
	if (!err)
		err = xn_ctl_run(c, &req);
	if (!err)
		err = req.result;
	if (!err)
		err = bpf_map_lookup_elem(fd, &zero, io);
	close(fd);
	return err;
}
