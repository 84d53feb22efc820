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

/* One interface and exactly what we attached to it, so that detaching
 * undoes that and nothing else. */
struct xn_iface {
	char name[IF_NAMESIZE];
	int ifindex;
	bool xdp;			/* xn_xdp attached */
	bool xdp_dispatcher;		/* ... inside a libxdp dispatcher */
	bool tc_qdisc_created;		/* we created the clsact qdisc */
	bool tc_in, tc_out;		/* xn_tc_in / xn_tc_out attached */
	__u32 tc_in_handle, tc_in_prio;
	__u32 tc_out_handle, tc_out_prio;
	__u32 tc_in_id, tc_out_id;	/* program ids, for the log */
	bool gone;			/* deleted while we ran: nothing left to detach */
};

/* How old (ns) a heartbeat may be for its daemon to count as alive. */
#define XN_HEARTBEAT_LIVE_NS	(3ull * 1000000000ull)

/* Look for xneigh programs already on the interface (XDP, TC ingress or
 * egress). Left by a live daemon (fresh heartbeat in their xn_global):
 * -EBUSY with an error that says so. Left by a dead one: detached, logged. */
int xn_attach_clear_leftovers(struct xn_iface *ifc, struct xn_nl *nl);

/* Attach xn_xdp. The first call loads the whole object (libxdp decides the
 * program type: an freplace extension for its dispatcher, or plain XDP). */
int xn_xdp_attach(struct xdp_program *prog, struct xn_iface *ifc, enum xn_mode mode);
void xn_xdp_detach(struct xdp_program *prog, struct xn_iface *ifc, enum xn_mode mode);

/* Create clsact (an existing one is fine) and attach prog_fd at ingress or
 * egress. */
int xn_tc_attach(struct xn_iface *ifc, int prog_fd, bool ingress);
/* Remove our filters; remove clsact too if we created it and it is empty. */
void xn_tc_detach(struct xn_iface *ifc, struct xn_nl *nl);

#endif /* XND_ATTACH_H */
