// SPDX-License-Identifier: GPL-2.0
/* xneigh status: what runs in this network namespace.
 *
 *   daemon      asked on its control socket (XND_CTL_STATUS): pid, start
 *               time, uptime, how fast it answered (its liveness), version,
 *               mode, options, monitors; "not running" when nothing
 *               listens on the socket
 *   data plane  found as every other command finds it (maps_open.h):
 *               through the pins or the programs attached to the
 *               interfaces; the age of the daemon's heartbeat in xn_global
 *   interfaces  from the daemon (how it attached, program ids); without
 *               it, the xneigh programs found attached ("iproute2" when no
 *               daemon ever ran the data plane: a heartbeat of 0)
 *   maps        id, type, entries / max_entries of each map
 *
 * Works without a daemon and without a data plane: it says so. The exit
 * status is 0 whenever the report could be printed.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xneigh/maps.h"
#include "snap.h"
#include "ctlproto.h"
#include "maps_open.h"
#include "pins.h"
#include "xneigh.h"

/* How long the daemon may take to answer before it counts as stuck. */
#define STATUS_TIMEOUT_MS	2000

void help_status(FILE *f)
{
	fprintf(f,
		"Usage: xneigh status [ -j [ -p ] ]\n"
		"\n"
		"What runs in this network namespace:\n"
		"  daemon      xneighd's pid, start time and uptime, how fast it answered on\n"
		"              its control socket, its version, mode (native, generic, tc),\n"
		"              whether it mirrors the kernel's neighbour table, its monitors;\n"
		"              \"not running\" when nothing answers\n"
		"  pin dir     where the maps are pinned\n"
		"  data plane  how xneigh found the maps, and the age of xneighd's heartbeat\n"
		"  interfaces  each interface, how the data plane is attached to it\n"
		"              (native, generic, tc; iproute2 when attached with ip or tc\n"
		"              and never run by xneighd) and the program ids\n"
		"  maps        each map's id, type and entries / max_entries\n"
		"Works without xneighd (the daemon is then \"not running\") and without a data\n"
		"plane. Exit status 0 when the report was printed, 4 without the privileges\n"
		"to read it (not root).\n");
}

/* ---- the daemon ------------------------------------------------------------ */

struct daemon_status {
	bool running;			/* it answered */
	int err;			/* why not: -ECONNREFUSED/-ENOENT none, other stuck */
	char why[320];
	__u64 answer_ns;		/* request to reply */
	struct {
		struct xnd_ctl_status st;
		struct xnd_ctl_status_iface ifs[XN_IFACES_MAX];
	} p;
};

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

static void ask_daemon(struct daemon_status *ds)
{
	struct xnd_ctl_request req;
	struct xnd_ctl_reply rep;
	size_t len = 0;
	__u64 t0;
	int err;

	xnd_ctl_request_init(&req, XND_CTL_STATUS);
	t0 = mono_ns();
	err = xnd_ctl_exchange(&req, NULL, 0, &rep, &ds->p, sizeof(ds->p), &len, STATUS_TIMEOUT_MS,
			       NULL, ds->why, sizeof(ds->why));
	ds->answer_ns = mono_ns() - t0;
	if (err) {
		ds->err = err;
		return;
	}
	if (rep.result) {
		ds->err = rep.result;
		snprintf(ds->why, sizeof(ds->why), "xneighd answered: %s",
			 rep.msg[0] ? rep.msg : strerror(-rep.result));
		return;
	}
	if (len < sizeof(ds->p.st) ||
	    len != sizeof(ds->p.st) + ds->p.st.nifaces * sizeof(ds->p.ifs[0])) {
		ds->err = -EPROTO;
		snprintf(ds->why, sizeof(ds->why), "xneighd's status is %zu bytes, not what "
			 "this build reads", len);
		return;
	}
	ds->p.st.version[sizeof(ds->p.st.version) - 1] = '\0';
	ds->p.st.libbpf[sizeof(ds->p.st.libbpf) - 1] = '\0';
	ds->p.st.mode[sizeof(ds->p.st.mode) - 1] = '\0';
	ds->p.st.pin_dir[sizeof(ds->p.st.pin_dir) - 1] = '\0';
	for (__u32 i = 0; i < ds->p.st.nifaces; i++)
		ds->p.ifs[i].name[sizeof(ds->p.ifs[i].name) - 1] = '\0';
	ds->running = true;
}

/* "1d02h03m04s", "3m04s", "4s". */
static void duration_str(__u64 ns, char *buf, size_t len)
{
	__u64 s = ns / 1000000000ull;
	unsigned int d = (unsigned int)(s / 86400), h = (unsigned int)(s / 3600 % 24),
		     m = (unsigned int)(s / 60 % 60), sec = (unsigned int)(s % 60);

	if (d)
		snprintf(buf, len, "%ud%02uh%02um%02us", d, h, m, sec);
	else if (h)
		snprintf(buf, len, "%uh%02um%02us", h, m, sec);
	else if (m)
		snprintf(buf, len, "%um%02us", m, sec);
	else
		snprintf(buf, len, "%us", sec);
}

/* Local time, to the second, as -ts stamps (ISO 8601). */
static void time_str(__u64 realtime_ns, char *buf, size_t len)
{
	time_t t = (time_t)(realtime_ns / 1000000000ull);
	struct tm tm;

	if (!localtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(buf, len, "@%lld", (long long)t);
}

static void print_daemon(struct cli *c, const struct daemon_status *ds)
{
	struct xn_out *o = &c->out;
	const struct xnd_ctl_status *st = &ds->p.st;
	char buf[64], line[160];

	xn_open_object(o, "daemon");
	xn_print_bool(o, XN_PRINT_JSON, "running", NULL, ds->running);
	if (!ds->running) {
		bool none = ds->err == -ECONNREFUSED || ds->err == -ENOENT;

		xn_print_text(o, none ? "daemon: not running (" : "daemon: not answering (");
		xn_print_string(o, XN_PRINT_ANY, "error", "%s", ds->why);
		xn_print_text(o, ")\n");
		xn_close_object(o);
		return;
	}
	xn_print_uint(o, XN_PRINT_ANY, "pid", "daemon: running, pid %llu", st->pid);
	duration_str(st->uptime_ns, buf, sizeof(buf));
	xn_print_string(o, XN_PRINT_TEXT, NULL, ", up %s", buf);
	xn_print_uint(o, XN_PRINT_JSON, "uptime", NULL, st->uptime_ns / 1000000000ull);
	time_str(st->start_realtime_ns, buf, sizeof(buf));
	xn_print_string(o, XN_PRINT_ANY, "start_time", " (since %s)", buf);
	snprintf(buf, sizeof(buf), "%.1f", (double)ds->answer_ns / 1e6);
	xn_print_string(o, XN_PRINT_TEXT, NULL, ", answered in %s ms\n", buf);
	xn_print_uint(o, XN_PRINT_JSON, "answer_us", NULL, ds->answer_ns / 1000);
	xn_print_string(o, XN_PRINT_ANY, "version", "    xneighd %s", st->version);
	xn_print_uint(o, XN_PRINT_ANY, "protocol", ", control protocol %llu", XND_CTL_VERSION);
	xn_print_string(o, XN_PRINT_ANY, "libbpf", ", libbpf %s", st->libbpf);
	xn_print_string(o, XN_PRINT_TEXT, NULL, "; xneigh %s\n", XNEIGH_VERSION);
	xn_print_string(o, XN_PRINT_ANY, "mode", "    mode %s", st->mode);
	xn_print_bool(o, XN_PRINT_JSON, "kernel_sync", NULL, st->flags & XND_ST_KERNEL_SYNC);
	xn_print_string(o, XN_PRINT_TEXT, NULL, ", kernel table mirror %s",
			st->flags & XND_ST_KERNEL_SYNC ? "on" : "off");
	xn_print_bool(o, XN_PRINT_JSON, "keep", NULL, st->flags & XND_ST_KEEP);
	xn_print_string(o, XN_PRINT_TEXT, NULL, ", keep %s",
			st->flags & XND_ST_KEEP ? "on" : "off");
	xn_print_bool(o, XN_PRINT_JSON, "strict", NULL, st->flags & XND_ST_STRICT);
	xn_print_string(o, XN_PRINT_TEXT, NULL, ", strict %s",
			st->flags & XND_ST_STRICT ? "on" : "off");
	xn_print_bool(o, XN_PRINT_JSON, "adopted", NULL, st->flags & XND_ST_ADOPTED);
	if (st->flags & XND_ST_ADOPTED)
		xn_print_text(o, ", adopted a running data plane");
	xn_print_text(o, "\n");
	snprintf(line, sizeof(line), "    monitors %u/%u, clients waiting for a resolution %u/%u\n",
		 st->subscribers, st->subscribers_max, st->waiters, st->waiters_max);
	xn_print_text(o, line);
	xn_print_uint(o, XN_PRINT_JSON, "monitors", NULL, st->subscribers);
	xn_print_uint(o, XN_PRINT_JSON, "monitors_max", NULL, st->subscribers_max);
	xn_print_uint(o, XN_PRINT_JSON, "waiting", NULL, st->waiters);
	xn_print_uint(o, XN_PRINT_JSON, "waiting_max", NULL, st->waiters_max);
	if (st->ctl_prog_id)
		xn_print_uint(o, XN_PRINT_JSON, "xn_ctl_id", NULL, st->ctl_prog_id);
	xn_close_object(o);
}

/* ---- the data plane ---------------------------------------------------------- */

static void print_pin_dir(struct cli *c, const struct daemon_status *ds)
{
	struct xn_out *o = &c->out;
	char dir[PATH_MAX];
	struct stat sb;
	bool visible;

	if (ds->running)
		snprintf(dir, sizeof(dir), "%s", ds->p.st.pin_dir);
	else if (xn_pin_dir(dir, sizeof(dir)))
		snprintf(dir, sizeof(dir), "?");
	visible = !stat(dir, &sb) && S_ISDIR(sb.st_mode);
	xn_print_string(o, XN_PRINT_ANY, "pin_dir", "pin dir: %s", dir);
	xn_print_bool(o, XN_PRINT_JSON, "pin_dir_visible", NULL, visible);
	/* `ip netns exec` remounts /sys: xneighd's bpffs is in its own mount
	 * namespace then */
	if (!visible)
		xn_print_text(o, ds->running ? " (not visible from this mount namespace)" :
			      " (absent)");
	xn_print_text(o, "\n");
}

/* xn_global's heartbeat: 0 if there is none (no daemon ever ran it). */
static __u64 read_heartbeat(const struct xn_maps *m)
{
	struct xn_global g = {};
	__u32 key = 0;

	if (m->global < 0 || bpf_map_lookup_elem(m->global, &key, &g))
		return 0;
	return g.daemon_heartbeat;
}

static void print_data_plane(struct cli *c, const struct xn_maps *m, int open_err,
			     __u64 heartbeat)
{
	struct xn_out *o = &c->out;
	char buf[32];

	xn_open_object(o, "data_plane");
	xn_print_bool(o, XN_PRINT_JSON, "found", NULL, !open_err);
	if (open_err) {
		xn_print_string(o, XN_PRINT_ANY, "error", "data plane: none (%s)\n", m->errmsg);
		xn_close_object(o);
		return;
	}
	xn_print_string(o, XN_PRINT_ANY, "source", "data plane: found through %s",
			xn_maps_source_str(m->source));
	xn_print_string(o, XN_PRINT_ANY, "where", " (%s)", m->where);
	if (heartbeat) {
		__u64 now = mono_ns(), age = now > heartbeat ? now - heartbeat : 0;

		snprintf(buf, sizeof(buf), "%.1f", (double)age / 1e9);
		xn_print_string(o, XN_PRINT_TEXT, NULL, ", xneighd's heartbeat %s s ago", buf);
		xn_print_uint(o, XN_PRINT_JSON, "heartbeat_age_ms", NULL, age / 1000000);
	} else {
		xn_print_text(o, ", never run by xneighd (no heartbeat)");
		xn_print_null(o, XN_PRINT_JSON, "heartbeat_age_ms", NULL);
	}
	xn_print_text(o, "\n");
	xn_close_object(o);
}

/* The programs on one interface, by id (0: none). */
struct iface_progs {
	__u32 xdp, tc_in, tc_confirm, tc_out;
};

/* One interface line: NAME (ifindex N): MODE, prog ids. */
static void print_iface(struct xn_out *o, const char *name, __u32 ifindex, const char *mode,
			const struct iface_progs *ids, const char *note)
{
	xn_open_object(o, NULL);
	xn_print_string(o, XN_PRINT_ANY, "ifname", "    %s", name);
	xn_print_uint(o, XN_PRINT_ANY, "ifindex", " (ifindex %llu)", ifindex);
	xn_print_string(o, XN_PRINT_ANY, "mode", ": %s", mode);
	if (ids->xdp)
		xn_print_uint(o, XN_PRINT_ANY, "xdp_id", ", xn_xdp id %llu", ids->xdp);
	if (ids->tc_in)
		xn_print_uint(o, XN_PRINT_ANY, "tc_in_id", ", xn_tc_in id %llu", ids->tc_in);
	if (ids->tc_confirm)
		xn_print_uint(o, XN_PRINT_ANY, "tc_confirm_id", ", xn_tc_confirm id %llu",
			      ids->tc_confirm);
	if (ids->tc_out)
		xn_print_uint(o, XN_PRINT_ANY, "tc_out_id", ", xn_tc_out id %llu", ids->tc_out);
	if (note)
		xn_print_string(o, XN_PRINT_ANY, "note", " (%s)", note);
	xn_print_text(o, "\n");
	xn_close_object(o);
}

static void print_ifaces_daemon(struct xn_out *o, const struct daemon_status *ds)
{
	const struct xnd_ctl_status *st = &ds->p.st;

	for (__u32 i = 0; i < st->nifaces; i++) {
		const struct xnd_ctl_status_iface *si = &ds->p.ifs[i];
		const char *mode = si->flags & XND_IF_TC_IN ? "tc" : st->mode;
		const char *note = si->flags & XND_IF_GONE ? "deleted" :
				   si->flags & XND_IF_XDP_DISPATCHER ? "libxdp dispatcher" : NULL;
		struct iface_progs ids = {
			.xdp = si->xdp_id, .tc_out = si->tc_out_id,
			/* one ingress filter: which program it is */
			.tc_in = si->flags & XND_IF_TC_IN ? si->tc_in_id : 0,
			.tc_confirm = si->flags & XND_IF_TC_CONFIRM ? si->tc_in_id : 0,
		};

		print_iface(o, si->name, si->ifindex, mode, &ids, note);
	}
}

/* The programs maps_open found attached, one line per interface. */
static void print_ifaces_found(struct xn_out *o, const struct xn_maps *m, bool ever_daemon)
{
	bool done[XN_MAPS_MAX_PROGS] = {};

	for (unsigned int i = 0; i < m->nr_progs; i++) {
		__u32 ifindex = m->progs[i].ifindex;
		struct iface_progs ids = {};
		const char *mode = "?";
		char name[IF_NAMESIZE];

		if (done[i])
			continue;
		for (unsigned int j = i; j < m->nr_progs; j++) {
			const struct xn_maps_prog *p = &m->progs[j];

			if (p->ifindex != ifindex)
				continue;
			done[j] = true;
			if (!strcmp(p->name, "xn_xdp")) {
				ids.xdp = p->id;
				mode = !strcmp(p->hook, "xdpgeneric") ? "generic" :
				       !strcmp(p->hook, "xdpoffload") ? "offload" : "native";
			} else if (!strcmp(p->name, "xn_tc_in")) {
				ids.tc_in = p->id;
				mode = "tc";
			} else if (!strcmp(p->name, "xn_tc_confirm")) {
				ids.tc_confirm = p->id;
			} else if (!strcmp(p->name, "xn_tc_out")) {
				ids.tc_out = p->id;
			}
		}
		if (!if_indextoname(ifindex, name))
			snprintf(name, sizeof(name), "if%u", ifindex);
		/* attached with ip link / tc filter alone: no daemon ever
		 * wrote its maps */
		if (!ever_daemon)
			mode = "iproute2";
		print_iface(o, name, ifindex, mode, &ids, NULL);
	}
}

static void print_ifaces(struct cli *c, const struct daemon_status *ds, const struct xn_maps *m,
			 int open_err, __u64 heartbeat)
{
	struct xn_out *o = &c->out;

	xn_print_text(o, "interfaces:");
	if (ds->running) {
		xn_print_text(o, "\n");
		xn_open_array(o, "interfaces");
		print_ifaces_daemon(o, ds);
		xn_close_array(o);
		return;
	}
	if (!open_err && m->source == XN_MAPS_SRC_PROGS) {
		xn_print_text(o, "\n");
		xn_open_array(o, "interfaces");
		print_ifaces_found(o, m, heartbeat != 0);
		xn_close_array(o);
		return;
	}
	/* the pins name no interface, and only the daemon knows its own */
	xn_print_text(o, open_err ? " none\n" :
		      " unknown (the maps were found through their pins; xneighd, which "
		      "knows its interfaces, is not running)\n");
	xn_open_array(o, "interfaces");
	xn_close_array(o);
}

static const char *map_type_name(__u32 type)
{
	switch (type) {
	case BPF_MAP_TYPE_HASH:		return "hash";
	case BPF_MAP_TYPE_ARRAY:	return "array";
	case BPF_MAP_TYPE_PERCPU_ARRAY:	return "percpu_array";
	case BPF_MAP_TYPE_LPM_TRIE:	return "lpm_trie";
	case BPF_MAP_TYPE_RINGBUF:	return "ringbuf";
	case BPF_MAP_TYPE_ARRAY_OF_MAPS: return "array_of_maps";
	default:			return "other";
	}
}

/* Entries of a hash map or LPM trie, by walking its keys (no values read:
 * cheap even for a million entries). 0 or -errno. */
static int count_keys(int fd, __u32 key_size, __u64 *count)
{
	__u8 k[2][256];
	unsigned int cur = 0;
	__u64 n = 0;
	int err;

	if (key_size > sizeof(k[0]))
		return -E2BIG;
	while (!(err = bpf_map_get_next_key(fd, n ? k[cur] : NULL, k[cur ^ 1]))) {
		cur ^= 1;
		n++;
	}
	if (err != -ENOENT)
		return err;
	*count = n;
	return 0;
}

/* The snapshot in xn_snap's slot into *out; 0, -ENOENT when the slot is
 * empty, -EPROTO when its inner map is not a struct xn_snapshot (another
 * build), or -errno. One retry: xneighd may replace the inner map between
 * the slot's lookup and the read. */
static int read_snapshot(int snap_fd, struct xn_snapshot *out, __u32 *id_out)
{
	for (int attempt = 0;; attempt++) {
		struct bpf_map_info info = {};
		__u32 zero = 0, id, len = sizeof(info);
		int fd, err;

		err = bpf_map_lookup_elem(snap_fd, &zero, &id);
		if (err)
			return err;
		fd = bpf_map_get_fd_by_id(id);
		if (fd < 0) {
			if (fd == -ENOENT && attempt == 0)
				continue;
			return fd;
		}
		err = bpf_obj_get_info_by_fd(fd, &info, &len);
		if (!err && (info.type != BPF_MAP_TYPE_ARRAY || info.key_size != sizeof(__u32) ||
			     info.value_size != sizeof(*out)))
			err = -EPROTO;
		if (!err)
			err = bpf_map_lookup_elem(fd, &zero, out);
		close(fd);
		if (!err)
			*id_out = id;
		return err;
	}
}

/* xn_snap's slot: the snapshot the data plane reads instead of xn_ifconf and
 * xn_local4 (include/xneigh/maps.h), or none; and whether it is current,
 * i.e. what xneighd would publish from the two maps now. */
static void print_snapshot(struct xn_out *o, const struct xn_maps *m)
{
	static struct xn_snapshot s, now;
	__u32 id = 0, nif = 0, nl4 = 0;
	bool current;
	int err;

	err = read_snapshot(m->snap, &s, &id);
	if (err == -ENOENT) {
		xn_print_null(o, XN_PRINT_JSON, "snapshot", NULL);
		xn_print_text(o, ": empty (the data plane reads xn_ifconf and xn_local4)");
		return;
	}
	if (err) {
		xn_print_string(o, XN_PRINT_ANY, "error", ": cannot read the snapshot (%s)",
				err == -EPROTO ? "not this build's layout" : strerror(-err));
		return;
	}
	for (__u32 i = 0; i < XN_SNAP_IF_SLOTS; i++)
		nif += s.ifs[i].ifindex != 0;
	for (__u32 i = 0; i < XN_SNAP_L4_BUCKETS * 2; i++)
		nl4 += s.l4[i].addr != 0;
	/* the same bytes as xneighd would publish now (gen aside) */
	current = false;
	if (m->ifconf >= 0 && m->local4 >= 0 && !xn_snap_build(m->ifconf, m->local4, &now)) {
		now.gen = s.gen;
		current = !memcmp(&now, &s, sizeof(s));
	}
	xn_open_object(o, "snapshot");
	xn_print_uint(o, XN_PRINT_ANY, "gen", ": snapshot %llu", s.gen);
	xn_print_uint(o, XN_PRINT_ANY, "inner_id", " (map id %llu)", id);
	xn_print_uint(o, XN_PRINT_ANY, "interfaces", ", %llu interfaces", nif);
	xn_print_bool(o, XN_PRINT_JSON, "interfaces_all", NULL, s.flags & XN_SNAP_IF_ALL);
	if (!(s.flags & XN_SNAP_IF_ALL))
		xn_print_text(o, " (others in xn_ifconf)");
	xn_print_uint(o, XN_PRINT_ANY, "addresses", ", %llu addresses", nl4);
	xn_print_bool(o, XN_PRINT_JSON, "addresses_all", NULL, s.flags & XN_SNAP_L4_ALL);
	if (!(s.flags & XN_SNAP_L4_ALL))
		xn_print_text(o, " (not all: xn_local4 is read)");
	xn_print_bool(o, XN_PRINT_JSON, "current", NULL, current);
	xn_print_text(o, current ? ", current" :
		      ", NOT current (xn_ifconf or xn_local4 changed since: publication pending or failed)");
	xn_close_object(o);
}

static void print_maps(struct cli *c, const struct xn_maps *m, int open_err)
{
	struct xn_out *o = &c->out;

	xn_print_text(o, open_err ? "maps: none\n" : "maps:\n");
	xn_open_array(o, "maps");
	for (int i = 0; !open_err && i < XN_MI__COUNT; i++) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		const char *name = xn_map_name((enum xn_map_index)i);
		char pad[24];
		__u64 n;
		int err;

		if (m->fd[i] < 0 || i == XN_MI_SCRATCH)
			continue;
		if (bpf_obj_get_info_by_fd(m->fd[i], &info, &len))
			continue;
		xn_open_object(o, NULL);
		/* a column for the names; the writer's formats take no width */
		snprintf(pad, sizeof(pad), "    %-11s", name);
		xn_print_text(o, pad);
		xn_print_string(o, XN_PRINT_JSON, "name", NULL, name);
		xn_print_uint(o, XN_PRINT_ANY, "id", " id %llu", info.id);
		xn_print_string(o, XN_PRINT_ANY, "type", " %s", map_type_name(info.type));
		if (info.type == BPF_MAP_TYPE_HASH || info.type == BPF_MAP_TYPE_LPM_TRIE) {
			err = count_keys(m->fd[i], info.key_size, &n);
			if (!err)
				xn_print_uint(o, XN_PRINT_ANY, "entries", " %llu", n);
			else
				xn_print_string(o, XN_PRINT_ANY, "error", " (%s)", strerror(-err));
			xn_print_uint(o, XN_PRINT_ANY, "max_entries", "/%llu entries",
				      info.max_entries);
		} else if (info.type == BPF_MAP_TYPE_RINGBUF) {
			xn_print_uint(o, XN_PRINT_ANY, "max_entries", " %llu bytes",
				      info.max_entries);
		} else if (i == XN_MI_SNAP) {
			xn_print_uint(o, XN_PRINT_ANY, "max_entries", " %llu slot", info.max_entries);
			print_snapshot(o, m);
		} else {
			xn_print_uint(o, XN_PRINT_ANY, "max_entries",
				      info.max_entries == 1 ? " %llu slot" : " %llu slots",
				      info.max_entries);
		}
		xn_print_text(o, "\n");
		xn_close_object(o);
	}
	xn_close_array(o);
}

int do_status(struct cli *c, int argc, char **argv)
{
	static struct daemon_status ds;
	struct xn_maps m;
	__u64 heartbeat = 0;
	int i, r, open_err;

	for (i = 0; i < argc; i += r) {
		if (cli_is_help_opt(argv[i]) || !strcmp(argv[i], "help")) {
			help_status(stdout);
			return XN_EXIT_OK;
		}
		r = cli_option(c, argc - i, argv + i);
		if (r < 0)
			return XN_EXIT_USAGE;
		if (r == 0)
			return cli_usage(c, "status takes no argument \"%s\", try "
					 "\"xneigh status help\"", xn_tok(argv[i]));
	}

	ask_daemon(&ds);
	open_err = xn_maps_open(&m);
	/* without privileges the report would be wrong (no daemon, no maps):
	 * say what is missing instead */
	if (open_err == -EPERM || ds.err == -EPERM) {
		xn_maps_close(&m);
		return open_err == -EPERM ? cli_maps_denied(c) : cli_ctl_denied(c, "status");
	}
	if (!open_err)
		heartbeat = read_heartbeat(&m);

	xn_open_object(&c->out, NULL);
	print_daemon(c, &ds);
	print_pin_dir(c, &ds);
	print_data_plane(c, &m, open_err, heartbeat);
	print_ifaces(c, &ds, &m, open_err, heartbeat);
	print_maps(c, &m, open_err);
	xn_close_object(&c->out);
	xn_json_end(&c->out);
	xn_maps_close(&m);
	return XN_EXIT_OK;
}
