/* SPDX-License-Identifier: GPL-2.0 */
/* The fuzzing harness's oracle: a reference parser of Ethernet/ARP/IPv6 ND
 * frames and the kernel's rules, as *necessary* conditions, written from the
 * kernel (net/ipv4/arp.c, net/ipv6/ndisc.c, ip6_input.c, route.c) and
 * kernel-semantics.md, without a line of bpf/: it knows the lab's addresses,
 * routes and proxy entries by heart (world.h) and checks them against the
 * kernel at start-up (fz_oracle_check_world()).
 *
 * It answers three questions about a frame under a configuration:
 *   - may it be answered at all, and if so, what must the answer be like;
 *   - which neighbour entry may the frame change on receive, if any (none
 *     for malformed frames, frames for another host, invalid senders);
 *   - which entry may it change or create when it leaves (xn_tc_out).
 * "May", never "must": the unit fixtures and the differential suite say what
 * must happen; the fuzzer checks that nothing happens that may not.
 */
#ifndef XN_FUZZ_ORACLE_H
#define XN_FUZZ_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "world.h"

#define FZ_MAX_TAGS	2	/* 802.1ad + 802.1Q, what xneigh parses */

/* A parsed frame. Pointers point into the frame; NULL when absent. */
struct fz_frame {
	const uint8_t *b;
	size_t len;
	const uint8_t *eth_dst, *eth_src;
	int ntags;
	bool too_many_tags;		/* a third tag follows the second */
	bool prio_only;			/* exactly one tag, VLAN id 0 */
	uint16_t tag_tpid[FZ_MAX_TAGS], tag_tci[FZ_MAX_TAGS];
	bool l2_ok;			/* Ethernet header and tags present */
	uint16_t type;			/* EtherType after the tags */
	size_t l3;			/* offset of the L3 header */

	/* ARP (type 0x0806) */
	bool arp_body;			/* the 28-byte Ethernet/IPv4 body is present */
	uint16_t hrd, pro, op;
	uint8_t hln, pln;
	const uint8_t *sha, *tha;
	uint32_t sip, tip;		/* host order */

	/* IPv4 (type 0x0800) */
	bool ip4;			/* 20 bytes of IPv4 header present */
	uint32_t saddr, daddr;		/* host order */

	/* IPv6 (type 0x86dd) */
	bool ip6;			/* 40 bytes of IPv6 header present */
	uint8_t version, nexthdr, hlim, tclass;
	uint16_t plen;
	const uint8_t *src, *dst;
	bool icmp_hdr;			/* nexthdr 58 and 4 bytes of ICMPv6 in the frame */
	bool nd;			/* ... and type 135 or 136 */
	uint8_t icmp_type, icmp_code;
	bool plen_fits;			/* 0 < plen and the payload is inside the frame */
	bool csum_ok;			/* ICMPv6 checksum over plen bytes verifies */
	bool nd_body;			/* plen >= 24: type, code, csum, flags, target */
	uint8_t nd_flags;		/* NA: R 0x80, S 0x40, O 0x20 */
	const uint8_t *target;
	bool opts_ok;			/* every option has length > 0 and fits */
	const uint8_t *sllao, *tllao;	/* first SLLAO / TLLAO (their option header) */
};

void fz_parse(const uint8_t *b, size_t len, struct fz_frame *f);

/* Write the correct ICMPv6 checksum into an Ethernet/IPv6/ICMPv6 frame
 * whose payload length fits. Returns false (frame unchanged) otherwise. */
bool fz_icmp6_fix(uint8_t *frame, size_t len);

/* ---- answering ---- */

enum fz_na_kind { FZ_NA_OWN, FZ_NA_ANYCAST, FZ_NA_PROXY };

struct fz_answer {
	bool ok;			/* a reply may be sent */
	const char *why;		/* why not, or which kind of reply */
	/* what the NA must say (ND only) */
	enum fz_na_kind kind;
	bool dad, inc, optimistic, router;
	uint8_t dmac[6];		/* the NA's Ethernet destination */
};

void fz_may_answer(const struct fz_frame *f, const struct fz_cfg *c, struct fz_answer *a);

/* Check the frame a program sent in answer to req. NULL when it is the
 * well-formed reply, else what is wrong (static buffer). */
const char *fz_check_reply(const struct fz_frame *req, const struct fz_answer *a,
			   const struct fz_cfg *c, const uint8_t *out, size_t out_len);

/* ---- learning ---- */

struct fz_learn {
	bool may;			/* an entry may be created or changed */
	const char *why;		/* why not (for reports) */
	bool v6;
	uint8_t key[16];		/* the only address that may change (network order) */
	bool bcast_noarp;		/* IPv4 broadcast key: only a NOARP entry with the
					 * broadcast MAC may appear (NUD-12), none may change */
	bool create;			/* transmit: an INCOMPLETE entry may be created */
};

/* Receive (xn_xdp, xn_tc_in). */
void fz_rx_learn(const struct fz_frame *f, const struct fz_cfg *c, struct fz_learn *l);
/* Transmit (xn_tc_out). */
void fz_tx_learn(const struct fz_frame *f, const struct fz_cfg *c, struct fz_learn *l);

/* An address no neighbour entry may ever be created for by a frame: zero,
 * limited broadcast, multicast, loopback, one of our own (IPv4: addr is 4
 * bytes in network order). */
bool fz_addr_never_neighbour(bool v6, const uint8_t *addr);

/* ---- counters ---- */

/* The program parses the frame as ARP (after at most two tags). */
bool fz_is_arp(const struct fz_frame *f);
/* The program parses the frame as ND: IPv6 (version 6), next header 58,
 * 4 bytes of ICMPv6 in the frame, type 135 or 136. */
bool fz_is_nd(const struct fz_frame *f);
/* The NS target is one of xr0's tentative (not optimistic) addresses. */
bool fz_target_tentative(const struct fz_frame *f);

/* The lab must be the world the oracle knows: addresses, the local table,
 * MACs. 0, or -1 after printing the difference. */
int fz_oracle_check_world(const struct lab *l);

#endif /* XN_FUZZ_ORACLE_H */
