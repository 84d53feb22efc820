/* SPDX-License-Identifier: GPL-2.0 */
/* Finding the data plane's maps from any process in the network namespace.
 *
 * xneighd pins its maps in xn_pin_dir(). Pins are used only when their
 * xn_global carries this namespace's cookie (pins.h): pins that a dead
 * namespace left under a reused inode number are passed over, with a
 * warning, as if there were none. Pins are invisible where bpffs is not
 * mounted — notably under `ip netns exec`, which remounts /sys — so
 * when they are absent the maps are found through the programs attached to
 * the namespace's interfaces (XDP in every mode, TC clsact filters, tcx):
 * a program named xn_xdp / xn_tc_in / xn_tc_confirm / xn_tc_out lists its
 * maps in map_ids, and those are opened by id and recognised by name. That
 * works from any mount namespace, needing only CAP_SYS_ADMIN (or CAP_BPF)
 * for the by-id opens.
 *
 * Every map found is checked against the ABI in include/xneigh/maps.h (type,
 * key and value size) so a CLI never decodes a differently built data plane.
 * xn_scratch is the data plane's private scratch space: its value size is
 * not ABI, so only its type and key are checked.
 */
#ifndef XN_MAPS_OPEN_H
#define XN_MAPS_OPEN_H

#include <stddef.h>
#include "xneigh/types.h"

enum xn_map_index {
	XN_MI_NEIGH4,
	XN_MI_IFCONF,
	XN_MI_IFADDR4,
	XN_MI_LOCAL4,
	XN_MI_PROXY4,
	XN_MI_GLOBAL,
	XN_MI_STATS,
	XN_MI_EVENTS,
	XN_MI_NEIGH6,
	XN_MI_ADDR6,
	XN_MI_PREFIX6,
	XN_MI_PROXY6,
	XN_MI_ROUTE4,
	XN_MI_SCRATCH,			/* the data plane's own per-CPU buffer: recognised,
					 * type and key checked, never read */
	XN_MI_SNAP,			/* xn_snap: the snapshot of xn_ifconf and xn_local4 */
	XN_MI__COUNT
};

enum xn_maps_source {
	XN_MAPS_SRC_NONE = 0,
	XN_MAPS_SRC_PINS,		/* bpf_obj_get() on the pins in xn_pin_dir() */
	XN_MAPS_SRC_PROGS,		/* map_ids of programs attached to interfaces */
};

/* One attached data-plane program seen during discovery. */
struct xn_maps_prog {
	__u32 id;			/* kernel program id */
	__u32 ifindex;
	char name[16];			/* xn_xdp, xn_tc_in, xn_tc_confirm, xn_tc_out */
	const char *hook;		/* "xdp", "xdpgeneric", "xdpoffload", "tc ingress", ... */
};

#define XN_MAPS_MAX_PROGS	32

struct xn_maps {
	/* File descriptors, -1 where the map was not found. */
	union {
		struct {
			int neigh4;
			int ifconf;
			int ifaddr4;
			int local4;
			int proxy4;
			int global;
			int stats;
			int events;
			int neigh6;
			int addr6;
			int prefix6;
			int proxy6;
			int route4;
			int scratch;
			int snap;
		};
		int fd[XN_MI__COUNT];
	};
	__u32 id[XN_MI__COUNT];		/* kernel map ids (0: not found) */
	__u32 max_entries[XN_MI__COUNT];
	enum xn_maps_source source;
	/* Human-readable origin: the pin directory, or the first attached
	 * program that led to the maps ("xn_xdp (id 42) on s1, xdp"). */
	char where[128];
	/* Every data-plane program found attached (source PROGS only). */
	struct xn_maps_prog progs[XN_MAPS_MAX_PROGS];
	unsigned int nr_progs;		/* recorded in progs[] */
	unsigned int nr_progs_seen;	/* including those beyond XN_MAPS_MAX_PROGS */
	/* Maps found by name whose layout differs from this build's ABI: left
	 * closed (fd -1), remembered so xn_maps_require() can say why. */
	struct xn_map_mismatch {
		__u32 id;		/* 0: no mismatch */
		__u32 type, key_size, value_size;
	} mismatch[XN_MI__COUNT];
	/* Why xn_maps_open() or xn_maps_require() failed, one line for the
	 * user (no program-name prefix). */
	char errmsg[256];
};

/* Kernel-visible name of a map ("xn_neigh4"). */
const char *xn_map_name(enum xn_map_index i);
/* Human-readable description of where the maps were found, e.g. for status. */
const char *xn_maps_source_str(enum xn_maps_source s);

/* Mark every map as not open (fds -1), so xn_maps_close() is always safe. */
void xn_maps_init(struct xn_maps *m);

/* Find and open the data plane's maps. 0 when at least one usable map was
 * found (fds of the others are -1: check with xn_maps_require()); otherwise
 * -errno with m->errmsg set:
 *   -ENOENT  no xneigh data plane in this network namespace
 *   -EPERM   not allowed to open BPF objects (not root / no CAP_BPF)
 *   -EPROTO  the maps found do not match this build's ABI
 * Always call xn_maps_close() afterwards, on success or failure. */
int xn_maps_open(struct xn_maps *m);
void xn_maps_close(struct xn_maps *m);
/* 0 if map i is open; else -ENOENT (not found) or -EPROTO (found with
 * another layout), with m->errmsg naming the map and where we looked. */
int xn_maps_require(struct xn_maps *m, enum xn_map_index i);

/* Is one of the maps map_ids[0..n) used by an xneigh program attached to an
 * interface of this network namespace (XDP, TC clsact, tcx)? 1 with *user
 * describing the first such program, 0 if none, -errno if the interfaces
 * cannot be listed. (xneighd asks before it removes pins that belong to
 * another namespace.) */
int xn_maps_find_user(const __u32 *map_ids, unsigned int n, struct xn_maps_prog *user);

/* Read a whole hash map: keys and values into newly allocated arrays
 * (free() both; they may be NULL when *count is 0). Uses
 * BPF_MAP_LOOKUP_BATCH where the kernel supports it and falls back to
 * get_next_key + lookup. elem_flags is passed to every lookup (BPF_F_LOCK
 * for values with a bpf_spin_lock). The result is one consistent read per
 * element, not a snapshot of the whole map. 0 or -errno. */
int xn_map_dump(int fd, size_t key_size, size_t value_size, __u64 elem_flags,
		void **keys, void **values, size_t *count);

/* Delete n keys (packed, key_size each). Keys already gone (-ENOENT: a
 * racing delete) are skipped, not an error. *deleted counts the entries this
 * call removed. 0 or the first other -errno. */
int xn_map_delete_keys(int fd, const void *keys, size_t key_size, size_t n,
		       size_t *deleted);

#endif /* XN_MAPS_OPEN_H */
