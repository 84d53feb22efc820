/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: attaching the data plane to interfaces and taking it off again.
 * XDP goes through libxdp (its multi-program dispatcher where the kernel
 * allows it, a single "legacy" program where it does not); TC goes through
 * libbpf's bpf_tc_* (a clsact qdisc, direct-action filters). */
#ifndef XND_ATTACH_H
#define XND_ATTACH_H

#include <stdbool.h>
#include <net/if.h>
#include <linux/types.h>

struct xdp_program;
struct xn_nl;

enum xn_mode {
	XN_MODE_NATIVE,		/* XDP in the driver */
	XN_MODE_GENERIC,	/* XDP in the stack (skb mode) */
	XN_MODE_TC,		/* TC ingress instead of XDP */
};

const char *xn_mode_name(enum xn_mode mode);

/* The TC programs of bpf/xneigh.bpf.c. At ingress, xn_tc_in in mode tc (it
 * answers and confirms), xn_tc_confirm in the XDP modes (it only confirms:
 * xn_xdp answers); at egress, xn_tc_out in every mode. */
enum xn_tc_prog {
	XN_TC_IN,
	XN_TC_CONFIRM,
	XN_TC_OUT,
};

const char *xn_tc_prog_name(enum xn_tc_prog which);

/* One interface and exactly what we attached to it, so that detaching
 * undoes that and nothing else. */
struct xn_iface {
	char name[IF_NAMESIZE];
	int ifindex;
	bool xdp;			/* xn_xdp attached */
	bool xdp_dispatcher;		/* ... inside a libxdp dispatcher */
	bool xdp_raw;			/* ... by bpf_xdp_attach() (adoption), not libxdp */
	int xdp_raw_fd;			/* ... that program (the skeleton's fd) */
	enum xn_mode xdp_raw_mode;
	bool tc_qdisc_created;		/* we created the clsact qdisc */
	bool tc_in, tc_out;		/* our TC ingress / egress filter attached */
	bool tc_in_confirm;		/* ... the ingress one is xn_tc_confirm, not xn_tc_in */
	__u32 tc_in_handle, tc_in_prio;
	__u32 tc_out_handle, tc_out_prio;
	__u32 tc_in_id, tc_out_id;	/* program ids, for the log */
	bool gone;			/* deleted while we ran: nothing left to detach */
};

/* How old (ns) a heartbeat may be for its daemon to count as alive. */
#define XN_HEARTBEAT_LIVE_NS	(3ull * 1000000000ull)

#define XN_LEFTOVER_TC_MAX	4
#define XN_LEFTOVER_MAPS_MAX	32

/* xneigh programs found on an interface at start: a data plane whose
 * daemon is gone (killed, or exited with --keep), still answering. TC
 * ingress filters are xn_tc_in or xn_tc_confirm: either is replaced by
 * whichever of them the new daemon's mode wants. */
struct xn_leftover {
	__u32 xdp_id;			/* xn_xdp, 0: none */
	enum xn_mode xdp_mode;		/* XN_MODE_NATIVE or XN_MODE_GENERIC */
	bool xdp_dispatcher;		/* one program of a libxdp dispatcher */
	struct xn_tc_left {
		__u32 id, handle, prio;
	} tc_in[XN_LEFTOVER_TC_MAX], tc_out[XN_LEFTOVER_TC_MAX];
	unsigned int n_in, n_out;
	/* the maps of the first of them (map ids), to adopt */
	__u32 map_ids[XN_LEFTOVER_MAPS_MAX];
	unsigned int nmaps;
};

/* Look for xneigh programs already on the interface (XDP, TC ingress or
 * egress) and record them in *lo. Unless owner_dead (the caller holds the
 * namespace's control socket, so no other xneighd runs), a program whose
 * maps carry a fresh heartbeat belongs to a live daemon: -EBUSY with an
 * error that says so. Nothing is detached here. */
int xn_attach_find_leftovers(struct xn_iface *ifc, struct xn_nl *nl, bool owner_dead,
			     struct xn_leftover *lo);

/* Detach a leftover XDP program (dispatcher member or single program). */
int xn_leftover_detach_xdp(struct xn_iface *ifc, const struct xn_leftover *lo);
/* Detach leftover TC filters: tc_in[from..] / tc_out[from..]. */
void xn_leftover_detach_tc(struct xn_iface *ifc, const struct xn_leftover *lo, bool ingress,
			   unsigned int from);

/* Attach prog_fd as the single XDP program of the interface with
 * bpf_xdp_attach(): in place of the leftover old_id when it is a single
 * program in the same mode (atomically, XDP_FLAGS_REPLACE: not one frame
 * goes unanswered), else only if nothing is attached. */
int xn_xdp_attach_raw(struct xn_iface *ifc, int prog_fd, enum xn_mode mode, __u32 old_id);

/* Attach xn_xdp. The first call loads the whole object (libxdp decides the
 * program type: an freplace extension for its dispatcher, or plain XDP). */
int xn_xdp_attach(struct xdp_program *prog, struct xn_iface *ifc, enum xn_mode mode);
void xn_xdp_detach(struct xdp_program *prog, struct xn_iface *ifc, enum xn_mode mode);

/* Create clsact (an existing one is fine) and attach prog_fd, the program
 * `which`, at ingress (XN_TC_IN, XN_TC_CONFIRM) or egress (XN_TC_OUT);
 * replacing (BPF_TC_F_REPLACE, atomically) the leftover filter `old` when
 * given. */
int xn_tc_attach(struct xn_iface *ifc, int prog_fd, enum xn_tc_prog which,
		 const struct xn_tc_left *old);
/* Remove our filters; remove clsact too if we created it and it is empty. */
void xn_tc_detach(struct xn_iface *ifc, struct xn_nl *nl);

#endif /* XND_ATTACH_H */
