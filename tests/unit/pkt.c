// SPDX-License-Identifier: GPL-2.0
/* Frame builders and the whole-frame comparison of the unit tests. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "pkt.h"

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = v >> 8;
	b[1] = v & 0xff;
}

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = v >> 24;
	b[1] = (v >> 16) & 0xff;
	b[2] = (v >> 8) & 0xff;
	b[3] = v & 0xff;
}

/* RFC 1071 one's-complement sum over an even number of bytes. */
static uint16_t csum16(const uint8_t *b, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The ICMPv6 checksum as RFC 4443 §2.3 defines it: one's-complement sum of
 * 16-bit big-endian words over the pseudo header (source, destination,
 * 32-bit upper-layer length, three zero bytes and next header 58) and the
 * message with its checksum field taken as it is. Returns the folded sum
 * (0xffff when a message with a correct checksum is summed). */
static uint16_t icmp6_sum(const uint8_t *src, const uint8_t *dst, const uint8_t *msg, size_t len,
			  uint8_t nexthdr)
{
	uint32_t sum = 0;

	for (int i = 0; i < 16; i += 2) {
		sum += (uint32_t)src[i] << 8 | src[i + 1];
		sum += (uint32_t)dst[i] << 8 | dst[i + 1];
	}
	sum += (uint32_t)(len >> 16);
	sum += (uint32_t)(len & 0xffff);
	sum += nexthdr;
	for (size_t i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)msg[i] << 8 | msg[i + 1];
		if (sum & 0x80000000u)
			sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len & 1)
		sum += (uint32_t)msg[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* IPv6 header: version 6, traffic class, flow label 0. */
static void put_ip6(uint8_t *ip, const struct pkt *p, uint16_t plen, uint8_t nexthdr)
{
	put32(ip, 0x60000000u | (uint32_t)p->tclass << 20);
	put16(ip + 4, p->plen ? p->plen : plen);
	ip[6] = nexthdr;
	ip[7] = p->hlim;
	memcpy(ip + 8, p->src6, 16);
	memcpy(ip + 24, p->dst6, 16);
}

/* The ICMPv6 NS/NA message at m: fixed part, options, checksum. Returns its
 * length, or -1 when it does not fit in room bytes. */
static int build_nd(const struct pkt *p, uint8_t *m, size_t room)
{
	size_t len = 24;
	uint16_t c;

	if (room < len)
		return -1;
	m[0] = p->icmp_type;
	m[1] = p->icmp_code;
	m[2] = m[3] = 0;
	m[4] = p->nd_flags;
	m[5] = m[6] = m[7] = 0;
	memcpy(m + 8, p->target, 16);
	for (int i = 0; i < PKT_MAX_NDOPT && (p->opt[i].len || p->opt[i].size); i++) {
		const struct pkt_ndopt *o = &p->opt[i];
		size_t sz = o->size ? o->size : (size_t)o->len * 8;

		if (sz < 2 || len + sz > room)
			return -1;
		memset(m + len, 0, sz);
		m[len] = o->type;
		m[len + 1] = o->len;
		memcpy(m + len + 2, o->body, sz - 2 < sizeof(o->body) ? sz - 2 : sizeof(o->body));
		len += sz;
	}
	if (p->nd_cut && p->nd_cut < len)
		len = p->nd_cut;
	c = (uint16_t)~icmp6_sum(p->src6, p->dst6, m, len, 58);
	c ^= p->csum_xor;
	if (len >= 4)
		put16(m + 2, c);
	return (int)len;
}

int pkt_build(const struct pkt *p, uint8_t *buf, size_t cap)
{
	size_t off = 0, need;

	if (p->ntags > PKT_MAX_TAGS || cap < PKT_MAX)
		return -1;
	switch (p->kind) {
	case PKT_ARP: need = 28; break;
	case PKT_IP4: need = 20 + 8 + 4; break;
	case PKT_IP6: need = 40 + 8 + 4; break;
	case PKT_ND: need = 40 + 24; break;
	default: return -1;
	}
	need += 14 + 4u * p->ntags;
	if (need > cap || p->pad_to > cap)
		return -1;
	memset(buf, 0, cap);

	memcpy(buf, p->eth_dst, 6);
	memcpy(buf + 6, p->eth_src, 6);
	off = 12;
	for (int i = 0; i < p->ntags; i++) {
		put16(buf + off, p->tags[i].tpid);
		put16(buf + off + 2, p->tags[i].tci);
		off += 4;
	}

	if (p->kind == PKT_ARP) {
		put16(buf + off, 0x0806);
		off += 2;
		put16(buf + off, p->hrd);
		put16(buf + off + 2, p->pro);
		buf[off + 4] = p->hln;
		buf[off + 5] = p->pln;
		put16(buf + off + 6, p->op);
		off += 8;
		/* The body always has the Ethernet/IPv4 layout (6+4+6+4): frames
		 * with another hln/pln are malformed on purpose and only their
		 * header bytes matter. */
		memcpy(buf + off, p->sha, 6);
		put32(buf + off + 6, p->sip);
		memcpy(buf + off + 10, p->tha, 6);
		put32(buf + off + 16, p->tip);
		off += 20;
	} else if (p->kind == PKT_IP4) {
		uint8_t *ip, *udp;

		put16(buf + off, 0x0800);
		off += 2;
		ip = buf + off;
		ip[0] = 0x45;			/* version 4, IHL 5 */
		ip[1] = 0;			/* DSCP/ECN */
		put16(ip + 2, 20 + 8 + 4);	/* total length */
		put16(ip + 4, 0x1234);		/* id */
		put16(ip + 6, 0x4000);		/* DF */
		ip[8] = 64;			/* TTL */
		ip[9] = 17;			/* UDP */
		put32(ip + 12, p->saddr);
		put32(ip + 16, p->daddr);
		put16(ip + 10, csum16(ip, 20, 0));
		udp = ip + 20;
		put16(udp, 40000);
		put16(udp + 2, 9);		/* discard */
		put16(udp + 4, 8 + 4);
		put16(udp + 6, 0);		/* no UDP checksum (allowed in IPv4) */
		memcpy(udp + 8, "xnut", 4);
		off += 20 + 8 + 4;
	} else if (p->kind == PKT_ND) {
		int mlen;

		put16(buf + off, 0x86dd);
		off += 2;
		mlen = build_nd(p, buf + off + 40, cap - off - 40);
		if (mlen < 0)
			return -1;
		put_ip6(buf + off, p, (uint16_t)mlen, 58);
		off += 40 + (size_t)mlen;
	} else if (p->kind == PKT_IP6) {
		uint8_t *ip, *udp;

		put16(buf + off, 0x86dd);
		off += 2;
		ip = buf + off;
		put_ip6(ip, p, 8 + 4, 17);
		udp = ip + 40;
		put16(udp, 40000);
		put16(udp + 2, 9);
		put16(udp + 4, 8 + 4);
		memcpy(udp + 8, "xnut", 4);
		/* mandatory in IPv6 (RFC 8200 §8.1); 0 is sent as 0xffff */
		put16(udp + 6, (uint16_t)~icmp6_sum(p->src6, p->dst6, udp, 12, 17) ?: 0xffff);
		off += 40 + 8 + 4;
	} else {
		return -1;
	}

	if (p->pad_to > off)
		off = p->pad_to;
	if (p->cut_to && p->cut_to < off)
		off = p->cut_to;
	return (int)off;
}

int pkt_icmp6_csum_check(const uint8_t *f, size_t len, char *why, size_t why_len)
{
	size_t off = 12;
	uint16_t type, plen;

	for (int tags = 0;; tags++) {
		if (off + 2 > len) {
			snprintf(why, why_len, "frame of %zu bytes ends inside the Ethernet header", len);
			return 0;
		}
		type = (uint16_t)(f[off] << 8 | f[off + 1]);
		if ((type != 0x8100 && type != 0x88a8) || tags == PKT_MAX_TAGS)
			break;
		off += 4;
	}
	off += 2;
	if (type != 0x86dd || off + 40 > len) {
		snprintf(why, why_len, "not an IPv6 frame (EtherType 0x%04x, %zu bytes)", type, len);
		return 0;
	}
	if (f[off + 6] != 58) {
		snprintf(why, why_len, "IPv6 next header %u is not ICMPv6", f[off + 6]);
		return 0;
	}
	plen = (uint16_t)(f[off + 4] << 8 | f[off + 5]);
	if (off + 40 + plen > len) {
		snprintf(why, why_len, "payload length %u runs past the frame (%zu bytes)", plen, len);
		return -1;
	}
	if (icmp6_sum(f + off + 8, f + off + 24, f + off + 40, plen, 58) != 0xffff) {
		uint8_t m[PKT_MAX];
		uint16_t want = 0;

		if (plen >= 4 && plen <= sizeof(m)) {
			memcpy(m, f + off + 40, plen);
			m[2] = m[3] = 0;
			want = (uint16_t)~icmp6_sum(f + off + 8, f + off + 24, m, plen, 58);
		}
		snprintf(why, why_len, "ICMPv6 checksum 0x%02x%02x does not verify (correct: 0x%04x)",
			 f[off + 42], f[off + 43], want);
		return -1;
	}
	return 1;
}

void pkt_hexdump(const char *title, const uint8_t *b, size_t len)
{
	fprintf(stderr, "    %s (%zu bytes)\n", title, len);
	for (size_t i = 0; i < len; i += 16) {
		fprintf(stderr, "      %04zx:", i);
		for (size_t j = i; j < i + 16 && j < len; j++)
			fprintf(stderr, " %02x", b[j]);
		fprintf(stderr, "\n");
	}
}

bool pkt_equal(const char *what, const uint8_t *exp, size_t exp_len,
	       const uint8_t *got, size_t got_len)
{
	size_t n = exp_len > got_len ? exp_len : got_len;

	if (exp_len == got_len && !memcmp(exp, got, exp_len))
		return true;

	fprintf(stderr, "    %s differs: expected %zu bytes, got %zu bytes ('^' marks a difference, '..' a missing byte)\n",
		what, exp_len, got_len);
	for (size_t i = 0; i < n; i += 16) {
		char mark[16 * 3 + 1];
		size_t m = 0;
		bool diff = false;

		fprintf(stderr, "      %04zx exp:", i);
		for (size_t j = i; j < i + 16 && j < n; j++)
			fprintf(stderr, j < exp_len ? " %02x" : " ..", j < exp_len ? exp[j] : 0);
		fprintf(stderr, "\n      %04zx got:", i);
		for (size_t j = i; j < i + 16 && j < n; j++) {
			bool d = j >= exp_len || j >= got_len || exp[j] != got[j];

			fprintf(stderr, j < got_len ? " %02x" : " ..", j < got_len ? got[j] : 0);
			m += (size_t)snprintf(mark + m, sizeof(mark) - m, " %s", d ? "^^" : "  ");
			diff |= d;
		}
		fprintf(stderr, "\n");
		if (diff)
			fprintf(stderr, "               %s\n", mark);
	}
	return false;
}

const char *pkt_mac_str(const uint8_t *m)
{
	static char bufs[8][18];
	static unsigned int k;
	char *b = bufs[k++ % 8];

	snprintf(b, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return b;
}

const char *pkt_ip_str(uint32_t ip)
{
	static char bufs[8][16];
	static unsigned int k;
	char *b = bufs[k++ % 8];

	snprintf(b, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
	return b;
}

const char *pkt_ip6_str(const uint8_t *a)
{
	static char bufs[8][INET6_ADDRSTRLEN];
	static unsigned int k;
	char *b = bufs[k++ % 8];

	if (!inet_ntop(AF_INET6, a, b, INET6_ADDRSTRLEN))
		snprintf(b, INET6_ADDRSTRLEN, "?");
	return b;
}
