/* SPDX-License-Identifier: GPL-2.0 */
/* What the flood driver (flood.c) and its injector (tests/bpf/flood_inject.bpf.c)
 * share: the injector's state, one global the driver reads and writes
 * through the object's .bss map. Uses only __u8/__u32/__u64, which vmlinux.h
 * and linux/types.h both define. */
#ifndef XN_TESTS_FLOOD_H
#define XN_TESTS_FLOOD_H

#define FL_LEN		86	/* every frame: the size of an NA/NS with one link-layer option */
#define FL_LEGIT_MAX	8

enum { FL_GARP, FL_AREQ, FL_NA, FL__KINDS };

/* the peer's counters, tests/bpf/flood_peer.bpf.c */
enum { FP_LEGIT_ARP, FP_LEGIT_NA, FP_FLOOD_ARP, FP_FLOOD_NA, FP__MAX };

struct fl_state {
	/* written by the driver before the first run */
	__u8 tmpl[FL__KINDS][FL_LEN];	/* flood templates, sender fields zero */
	__u8 legit_arp[FL_LEGIT_MAX][FL_LEN];
	__u8 legit_ns[FL_LEGIT_MAX][FL_LEN];
	__u32 na_sum;			/* NA template's ICMPv6 sum, not folded */
	__u32 v4_base;			/* first flood IPv4 address, host order */
	__u32 nlegit;
	__u32 legit_every;		/* 0: no legitimate requests */
	__u64 limit;			/* flood senders to send in all */
	/* written by the injector */
	__u64 frames;			/* frames written */
	__u64 flood;			/* flood senders sent: the next id */
	__u64 kind[FL__KINDS];
	__u64 legit_sent[2];		/* ARP requests, NSes */
	__u64 idle;			/* frames dropped: limit reached */
};

#endif /* XN_TESTS_FLOOD_H */
