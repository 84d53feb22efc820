/* SPDX-License-Identifier: GPL-2.0 */
/* Canned frames for the unit tests: an Ethernet + ARP builder with optional
 * VLAN tags, Ethernet + IPv4/UDP and IPv6/UDP builders, an Ethernet + IPv6 +
 * ICMPv6 Neighbour Discovery builder (NS/NA with any options, VLAN tags,
 * malformed on purpose where asked), an independent ICMPv6 checksum check,
 * and a byte-for-byte comparison that prints a readable hex diff.
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

#define PKT_MAX		640	/* room for an ND message beyond the 512 bytes xneigh reads */
#define PKT_MAX_TAGS	3
#define PKT_MAX_NDOPT	6

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
	PKT_ND,			/* Ethernet (+ tags) + IPv6 + ICMPv6 (NS/NA) + options */
	PKT_IP6,		/* Ethernet + IPv6 + UDP + 4 bytes of payload */
};

/* One ND option. `len` is the option's length field (units of 8 bytes) and
 * `size` the number of bytes actually written (0: len * 8), so an option can
 * lie about its length (ND-V5). The body (after type and length) is `body`
 * followed by zeros. A zero entry (len 0 and size 0) ends the list. */
struct pkt_ndopt {
	uint8_t type;
	uint8_t len;
	uint16_t size;
	uint8_t body[14];
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
	/* IPv6 (PKT_ND, PKT_IP6): addresses in network order */
	uint8_t src6[16];
	uint8_t dst6[16];
	uint8_t hlim;		/* hop limit (ND: 255, ND-V2) */
	uint8_t tclass;
	uint16_t plen;		/* payload length field; 0: the real length */
	/* ICMPv6 ND (PKT_ND) */
	uint8_t icmp_type;	/* 135 NS, 136 NA */
	uint8_t icmp_code;
	uint8_t nd_flags;	/* NA: R 0x80, S 0x40, O 0x20 (first byte after the checksum) */
	uint8_t target[16];
	struct pkt_ndopt opt[PKT_MAX_NDOPT];
	uint16_t nd_cut;	/* cut the ICMPv6 message to this many bytes (ND-V3) */
	uint16_t csum_xor;	/* xor the correct checksum with this (ND-V1) */
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

/* Check the ICMPv6 checksum of an Ethernet (+ 802.1Q/802.1ad tags) + IPv6 +
 * ICMPv6 frame with a 16-bit one's-complement sum of big-endian words over
 * the pseudo header and the message (RFC 4443 §2.3, RFC 8200 §8.1), written
 * independently of the data plane's 32-bit sum. Returns 1 when the checksum
 * verifies, 0 when the frame is not Ethernet/IPv6/ICMPv6, -1 when it is but
 * the checksum (or the payload length) is wrong, with the reason in why. */
int pkt_icmp6_csum_check(const uint8_t *frame, size_t len, char *why, size_t why_len);

/* Print a frame in hex (for diagnostics). */
void pkt_hexdump(const char *title, const uint8_t *b, size_t len);

/* Formatting helpers for messages (static buffers rotate, so a few may be
 * used in one printf). */
const char *pkt_mac_str(const uint8_t *mac);
const char *pkt_ip_str(uint32_t host_order_ip);
const char *pkt_ip6_str(const uint8_t *addr);

#endif /* XN_TEST_PKT_H */
