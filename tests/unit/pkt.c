// SPDX-License-Identifier: GPL-2.0
/* Frame builders and the whole-frame comparison of the unit tests. */
#include <stdio.h>
#include <string.h>

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

int pkt_build(const struct pkt *p, uint8_t *buf, size_t cap)
{
	size_t off = 0, need;

	if (p->ntags > PKT_MAX_TAGS || cap < PKT_MAX)
		return -1;
	need = 14 + 4u * p->ntags + (p->kind == PKT_ARP ? 28 : 20 + 8 + 4);
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
	} else {
		return -1;
	}

	if (p->pad_to > off)
		off = p->pad_to;
	if (p->cut_to && p->cut_to < off)
		off = p->cut_to;
	return (int)off;
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
