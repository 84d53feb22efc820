/* SPDX-License-Identifier: GPL-2.0 */
/* Canned frames for the unit tests: an Ethernet + ARP builder with optional
 * VLAN tags, an Ethernet + IPv4/UDP builder, and a byte-for-byte comparison
 * that prints a readable hex diff.
 *
 * Every field of a frame is written out explicitly by the caller (no hidden
 * defaults), so the expected reply of a test is built from the rule it checks
 * and never copied from what the program produced.
 */
#ifndef XN_TEST_PKT_H
#define XN_TEST_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PKT_MAX		256
#define PKT_MAX_TAGS	3

/* Host-order IPv4 address from its four dotted parts. */
#define IP4(a, b, c, d)	((uint32_t)(((a) << 24) | ((b) << 16) | ((c) << 8) | (d)))

struct pkt_tag {
	uint16_t tpid;		/* 0x8100 (802.1Q) or 0x88a8 (802.1ad) */
	uint16_t tci;
};

enum pkt_kind {
	PKT_NONE = 0,
	PKT_ARP,		/* Ethernet (+ tags) + ARP */
	PKT_IP4,		/* Ethernet + IPv4 + UDP + 4 bytes of payload */
};

/* One frame, every field explicit. Addresses in host order (IP4()). */
struct pkt {
	enum pkt_kind kind;
	uint8_t eth_dst[6];
	uint8_t eth_src[6];
	uint8_t ntags;
	struct pkt_tag tags[PKT_MAX_TAGS];
	/* ARP */
	uint16_t hrd;
	uint16_t pro;
	uint8_t hln;
	uint8_t pln;
	uint16_t op;
	uint8_t sha[6];
	uint32_t sip;
	uint8_t tha[6];
	uint32_t tip;
	/* IPv4 */
	uint32_t saddr;
	uint32_t daddr;
	/* length control */
	uint16_t pad_to;	/* zero-pad the frame to this many bytes (e.g. 60) */
	uint16_t cut_to;	/* truncate the frame to this many bytes (malformed) */
};

/* Build the frame into buf (PKT_MAX bytes). Returns its length, or -1 if the
 * description is impossible (more tags than PKT_MAX_TAGS, too long). */
int pkt_build(const struct pkt *p, uint8_t *buf, size_t cap);

/* Compare an actual frame with the expected one. On a mismatch print both
 * in hex, 16 bytes a line, marking every differing byte with '^', under the
 * heading `what`. Returns true when equal. */
bool pkt_equal(const char *what, const uint8_t *exp, size_t exp_len,
	       const uint8_t *got, size_t got_len);

/* Print a frame in hex (for diagnostics). */
void pkt_hexdump(const char *title, const uint8_t *b, size_t len);

/* Formatting helpers for messages (static buffers rotate, so a few may be
 * used in one printf). */
const char *pkt_mac_str(const uint8_t *mac);
const char *pkt_ip_str(uint32_t host_order_ip);

#endif /* XN_TEST_PKT_H */
