// SPDX-License-Identifier: GPL-2.0
/* Frame specs -> bytes, and one-line descriptions of frames.
 *
 * A spec is a list of key=value tokens; every key has a default so a spec
 * says only what makes the case. ARP (the default kind):
 *
 *   op=req|rep|N      ARP opcode                          (req)
 *   dst=MAC src=MAC   Ethernet destination / source         (BC / sha)
 *   sha= sip= tha= tip=                                     (A, 10.1.0.2,
 *                     Z for requests and US for replies, 10.1.0.1)
 *   hrd= pro= hln= pln=  header overrides (numbers, 0x.. allowed)
 *   etype=N           Ethernet type                        (0x0806)
 *   vlan=VID          one 802.1Q tag; vlan=OUTER/INNER: 802.1ad + 802.1Q
 *   len=N             total frame length: cut, or zero-padded
 *   sleep=MS          wait MS milliseconds before sending (locktime cases)
 *
 * ND (nd=ns or nd=na):
 *
 *   s6= d6=           IPv6 source / destination (d6=sn: the target's
 *                     solicited-node group, d6=allnodes: ff02::1)
 *                     (2001:db8:1::2; NS: sn, NA: 2001:db8:1::1)
 *   tgt=              target                               (2001:db8:1::1)
 *   dst= src=         Ethernet (dst default: the IPv6 multicast mapping of
 *                     d6, else US; dst=sn: the target's solicited-node
 *                     MAC; src default: A)
 *   sll=MAC tll=MAC   link-layer address options (8 bytes)
 *   sllbad=MAC tllbad=MAC  the same option 16 bytes long (ND-V6)
 *   nonce=HEX         a nonce option (6 bytes)
 *   opts=HEX          raw bytes appended after the options above
 *   flags=RSO         NA flags (any of R, S, O)
 *   hl=N code=N nh=N  hop limit (255), ICMPv6 code (0), next header (58)
 *   csum=bad          a wrong ICMPv6 checksum
 *   plen=N            IPv6 payload length field (default: the real one)
 *   mlen=N            cut the ICMPv6 message to N bytes before the payload
 *                     length and checksum are computed (ND-V3)
 *   vlan= len=        as for ARP
 *
 * MAC names: A (the tester's p0), B, C, D (other hosts), US (h0), US1 (h1),
 * BC (broadcast), Z (zero), OTHER (someone else), MC (01:00:5e:00:00:01),
 * or a literal aa:bb:cc:dd:ee:ff.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diff.h"

static const struct { const char *name; const char *mac; } mac_names[] = {
	{ "A",		LAB_MAC_P0 },
	{ "B",		"02:00:00:00:0b:03" },
	{ "C",		"02:00:00:00:0c:03" },
	{ "D",		"02:00:00:00:0d:04" },
	{ "US",		LAB_MAC_H0 },
	{ "US1",	LAB_MAC_H1 },
	{ "BC",		"ff:ff:ff:ff:ff:ff" },
	{ "Z",		"00:00:00:00:00:00" },
	{ "OTHER",	"02:00:00:00:99:99" },
	{ "MC",		"01:00:5e:00:00:01" },
};

static int parse_mac(const char *s, unsigned char *mac)
{
	unsigned int v[6];
	size_t i;
	char tail;

	for (i = 0; i < sizeof(mac_names) / sizeof(mac_names[0]); i++)
		if (!strcmp(s, mac_names[i].name)) {
			s = mac_names[i].mac;
			break;
		}
	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &tail) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		if (v[i] > 0xff)
			return -EINVAL;
		mac[i] = v[i];
	}
	return 0;
}

static int parse_num(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_hex(const char *s, unsigned char *out, size_t max, size_t *len)
{
	size_t n = strlen(s), i;
	unsigned int v;

	if (n % 2 || n / 2 > max)
		return -EINVAL;
	for (i = 0; i < n / 2; i++) {
		if (!isxdigit((unsigned char)s[2 * i]) || !isxdigit((unsigned char)s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &v) != 1)
			return -EINVAL;
		out[i] = v;
	}
	*len = n / 2;
	return 0;
}

static void put16(unsigned char *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* ---- the spec as parsed --------------------------------------------------- */

struct spec {
	bool nd;
	int nd_type;			/* 135 NS, 136 NA */
	unsigned char dst[6], src[6];
	bool have_dst, have_src, dst_sn;
	long vlan[2];
	int nvlan;
	long etype;			/* -1: natural */
	long sleep_ms;
	long len;			/* -1: natural */
	/* ARP */
	long op, hrd, pro, hln, pln;
	unsigned char sha[6], tha[6];
	bool have_tha;
	struct in_addr sip, tip;
	/* ND */
	struct in6_addr s6, d6, tgt;
	int d6_kind;			/* 0 literal, 1 sn, 2 allnodes */
	bool have_d6;
	unsigned char opts[128];
	size_t optlen;
	unsigned char raw[64];
	size_t rawlen;
	long flags, hl, code, nh, plen, mlen;
	bool bad_csum;
};

static int spec_token(struct spec *sp, const char *key, const char *val)
{
	unsigned char mac[6];
	size_t n;

	if (!strcmp(key, "nd")) {
		if (!strcmp(val, "ns"))
			sp->nd_type = 135;
		else if (!strcmp(val, "na"))
			sp->nd_type = 136;
		else
			return -EINVAL;
		sp->nd = true;
		return 0;
	}
	if (!strcmp(key, "dst")) {
		sp->have_dst = true;
		/* the target's solicited-node MAC, known once tgt is */
		sp->dst_sn = !strcmp(val, "sn");
		return sp->dst_sn ? 0 : parse_mac(val, sp->dst);
	}
	if (!strcmp(key, "src")) {
		sp->have_src = true;
		return parse_mac(val, sp->src);
	}
	if (!strcmp(key, "vlan")) {
		char buf[32], *slash;

		snprintf(buf, sizeof(buf), "%s", val);
		slash = strchr(buf, '/');
		if (slash)
			*slash++ = '\0';
		if (parse_num(buf, 0, 4095, &sp->vlan[0]))
			return -EINVAL;
		sp->nvlan = 1;
		if (slash) {
			if (parse_num(slash, 0, 4095, &sp->vlan[1]))
				return -EINVAL;
			sp->nvlan = 2;
		}
		return 0;
	}
	if (!strcmp(key, "etype"))
		return parse_num(val, 0, 0xffff, &sp->etype);
	if (!strcmp(key, "len"))
		return parse_num(val, 14, FRAME_MAX, &sp->len);
	if (!strcmp(key, "sleep"))
		return parse_num(val, 0, 10000, &sp->sleep_ms);
	/* ARP */
	if (!strcmp(key, "op")) {
		if (!strcmp(val, "req"))
			sp->op = 1;
		else if (!strcmp(val, "rep"))
			sp->op = 2;
		else
			return parse_num(val, 0, 0xffff, &sp->op);
		return 0;
	}
	if (!strcmp(key, "hrd"))
		return parse_num(val, 0, 0xffff, &sp->hrd);
	if (!strcmp(key, "pro"))
		return parse_num(val, 0, 0xffff, &sp->pro);
	if (!strcmp(key, "hln"))
		return parse_num(val, 0, 0xff, &sp->hln);
	if (!strcmp(key, "pln"))
		return parse_num(val, 0, 0xff, &sp->pln);
	if (!strcmp(key, "sha"))
		return parse_mac(val, sp->sha);
	if (!strcmp(key, "tha")) {
		sp->have_tha = true;
		return parse_mac(val, sp->tha);
	}
	if (!strcmp(key, "sip"))
		return inet_pton(AF_INET, val, &sp->sip) == 1 ? 0 : -EINVAL;
	if (!strcmp(key, "tip"))
		return inet_pton(AF_INET, val, &sp->tip) == 1 ? 0 : -EINVAL;
	/* ND */
	if (!strcmp(key, "s6"))
		return inet_pton(AF_INET6, val, &sp->s6) == 1 ? 0 : -EINVAL;
	if (!strcmp(key, "d6")) {
		sp->have_d6 = true;
		if (!strcmp(val, "sn")) {
			sp->d6_kind = 1;
			return 0;
		}
		if (!strcmp(val, "allnodes")) {
			sp->d6_kind = 2;
			return 0;
		}
		sp->d6_kind = 0;
		return inet_pton(AF_INET6, val, &sp->d6) == 1 ? 0 : -EINVAL;
	}
	if (!strcmp(key, "tgt"))
		return inet_pton(AF_INET6, val, &sp->tgt) == 1 ? 0 : -EINVAL;
	if (!strcmp(key, "sll") || !strcmp(key, "tll") || !strcmp(key, "sllbad") ||
	    !strcmp(key, "tllbad")) {
		bool bad = strlen(key) == 6;
		size_t olen = bad ? 16 : 8;

		if (parse_mac(val, mac) || sp->optlen + olen > sizeof(sp->opts))
			return -EINVAL;
		memset(sp->opts + sp->optlen, 0, olen);
		sp->opts[sp->optlen] = key[0] == 's' ? 1 : 2;
		sp->opts[sp->optlen + 1] = olen / 8;
		memcpy(sp->opts + sp->optlen + 2, mac, 6);
		sp->optlen += olen;
		return 0;
	}
	if (!strcmp(key, "nonce")) {
		unsigned char nonce[6];

		if (parse_hex(val, nonce, sizeof(nonce), &n) || n != 6 ||
		    sp->optlen + 8 > sizeof(sp->opts))
			return -EINVAL;
		sp->opts[sp->optlen] = 14;
		sp->opts[sp->optlen + 1] = 1;
		memcpy(sp->opts + sp->optlen + 2, nonce, 6);
		sp->optlen += 8;
		return 0;
	}
	if (!strcmp(key, "opts"))
		return parse_hex(val, sp->raw, sizeof(sp->raw), &sp->rawlen);
	if (!strcmp(key, "flags")) {
		const char *c;

		sp->flags = 0;
		if (!strcmp(val, "-"))
			return 0;
		for (c = val; *c; c++) {
			if (*c == 'R')
				sp->flags |= 0x80;
			else if (*c == 'S')
				sp->flags |= 0x40;
			else if (*c == 'O')
				sp->flags |= 0x20;
			else
				return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(key, "hl"))
		return parse_num(val, 0, 255, &sp->hl);
	if (!strcmp(key, "code"))
		return parse_num(val, 0, 255, &sp->code);
	if (!strcmp(key, "nh"))
		return parse_num(val, 0, 255, &sp->nh);
	if (!strcmp(key, "plen"))
		return parse_num(val, 0, 0xffff, &sp->plen);
	if (!strcmp(key, "mlen"))
		return parse_num(val, 4, 24, &sp->mlen);
	if (!strcmp(key, "csum")) {
		if (strcmp(val, "bad"))
			return -EINVAL;
		sp->bad_csum = true;
		return 0;
	}
	return -ENOENT;
}

static void spec_defaults(struct spec *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->etype = -1;
	sp->len = -1;
	sp->op = 1;
	sp->hrd = 1;
	sp->pro = 0x0800;
	sp->hln = 6;
	sp->pln = 4;
	parse_mac("A", sp->sha);
	inet_pton(AF_INET, "10.1.0.2", &sp->sip);
	inet_pton(AF_INET, "10.1.0.1", &sp->tip);
	inet_pton(AF_INET6, "2001:db8:1::2", &sp->s6);
	inet_pton(AF_INET6, "2001:db8:1::1", &sp->tgt);
	sp->flags = 0;
	sp->hl = 255;
	sp->code = 0;
	sp->nh = 58;
	sp->plen = -1;
	sp->mlen = -1;
}

/* Ethernet header (+ tags); returns its length. */
static size_t put_eth(const struct spec *sp, unsigned char *b, unsigned int etype)
{
	size_t off = 12;
	int i;

	memcpy(b, sp->dst, 6);
	memcpy(b + 6, sp->src, 6);
	for (i = 0; i < sp->nvlan; i++) {
		/* the outer of two tags is 802.1ad */
		put16(b + off, sp->nvlan == 2 && i == 0 ? 0x88a8 : 0x8100);
		put16(b + off + 2, sp->vlan[i]);
		off += 4;
	}
	put16(b + off, sp->etype >= 0 ? (unsigned int)sp->etype : etype);
	return off + 2;
}

static size_t build_arp(struct spec *sp, unsigned char *b)
{
	size_t off;

	if (!sp->have_tha) {
		if (sp->op == 2)
			parse_mac("US", sp->tha);
		else
			memset(sp->tha, 0, 6);
	}
	if (!sp->have_src)
		memcpy(sp->src, sp->sha, 6);
	if (!sp->have_dst)
		parse_mac("BC", sp->dst);
	off = put_eth(sp, b, 0x0806);
	put16(b + off, sp->hrd);
	put16(b + off + 2, sp->pro);
	b[off + 4] = sp->hln;
	b[off + 5] = sp->pln;
	put16(b + off + 6, sp->op);
	memcpy(b + off + 8, sp->sha, 6);
	memcpy(b + off + 14, &sp->sip, 4);
	memcpy(b + off + 18, sp->tha, 6);
	memcpy(b + off + 24, &sp->tip, 4);
	return off + 28;
}

static uint32_t csum_add(uint32_t sum, const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

static size_t build_nd(struct spec *sp, unsigned char *b)
{
	unsigned char *ip6, *m;
	size_t off, mlen;
	uint32_t sum;
	uint16_t cs;

	if (!sp->have_d6)
		sp->d6_kind = sp->nd_type == 135 ? 1 : 0;
	if (sp->d6_kind == 1) {
		/* ff02::1:ffXX:XXXX */
		memset(&sp->d6, 0, sizeof(sp->d6));
		sp->d6.s6_addr[0] = 0xff;
		sp->d6.s6_addr[1] = 0x02;
		sp->d6.s6_addr[11] = 0x01;
		sp->d6.s6_addr[12] = 0xff;
		memcpy(&sp->d6.s6_addr[13], &sp->tgt.s6_addr[13], 3);
	} else if (sp->d6_kind == 2) {
		inet_pton(AF_INET6, "ff02::1", &sp->d6);
	} else if (!sp->have_d6) {
		inet_pton(AF_INET6, "2001:db8:1::1", &sp->d6);
	}
	if (sp->dst_sn) {
		sp->dst[0] = 0x33;
		sp->dst[1] = 0x33;
		sp->dst[2] = 0xff;
		memcpy(sp->dst + 3, &sp->tgt.s6_addr[13], 3);
	} else if (!sp->have_dst) {
		if (sp->d6.s6_addr[0] == 0xff) {
			sp->dst[0] = 0x33;
			sp->dst[1] = 0x33;
			memcpy(sp->dst + 2, &sp->d6.s6_addr[12], 4);
		} else {
			parse_mac("US", sp->dst);
		}
	}
	if (!sp->have_src)
		parse_mac("A", sp->src);

	off = put_eth(sp, b, 0x86dd);
	ip6 = b + off;
	m = ip6 + 40;
	mlen = 24 + sp->optlen + sp->rawlen;
	memset(ip6, 0, 40 + mlen);
	ip6[0] = 0x60;
	put16(ip6 + 4, sp->plen >= 0 ? (unsigned int)sp->plen : mlen);
	ip6[6] = sp->nh;
	ip6[7] = sp->hl;
	memcpy(ip6 + 8, &sp->s6, 16);
	memcpy(ip6 + 24, &sp->d6, 16);
	m[0] = sp->nd_type;
	m[1] = sp->code;
	if (sp->nd_type == 136)
		m[4] = sp->flags;
	memcpy(m + 8, &sp->tgt, 16);
	memcpy(m + 24, sp->opts, sp->optlen);
	memcpy(m + 24 + sp->optlen, sp->raw, sp->rawlen);
	if (sp->mlen >= 0) {
		memset(m + sp->mlen, 0, mlen - sp->mlen);
		mlen = sp->mlen;
		put16(ip6 + 4, sp->plen >= 0 ? (unsigned int)sp->plen : mlen);
	}
	/* RFC 4443 §2.3: pseudo header (src, dst, length, next header 58) */
	sum = csum_add(0, ip6 + 8, 32);
	sum += mlen >> 16;
	sum += mlen & 0xffff;
	sum += 58;
	sum = csum_add(sum, m, mlen);
	cs = csum_fold(sum);
	if (sp->bad_csum)
		cs ^= 0x0101;
	put16(m + 2, cs);
	return off + 40 + mlen;
}

int frame_build(const char *spec, struct frame *f, char *err, size_t errlen)
{
	struct spec sp;
	char buf[512], *tok, *save = NULL;
	size_t len;
	int e;

	spec_defaults(&sp);
	if (strlen(spec) >= sizeof(buf)) {
		snprintf(err, errlen, "spec too long: '%.40s...'", spec);
		return -EINVAL;
	}
	strcpy(buf, spec);
	for (tok = strtok_r(buf, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq) {
			snprintf(err, errlen, "token '%s' is not key=value", tok);
			return -EINVAL;
		}
		*eq = '\0';
		e = spec_token(&sp, tok, eq + 1);
		if (e == -ENOENT) {
			snprintf(err, errlen, "unknown key '%s'", tok);
			return -EINVAL;
		}
		if (e) {
			snprintf(err, errlen, "bad value '%s' for '%s'", eq + 1, tok);
			return -EINVAL;
		}
	}
	memset(f->b, 0, sizeof(f->b));
	len = sp.nd ? build_nd(&sp, f->b) : build_arp(&sp, f->b);
	if (sp.len >= 0)
		len = sp.len;	/* cut, or zero-padded (f->b was zeroed) */
	f->len = len;
	f->sleep_ms = sp.sleep_ms;
	return 0;
}

/* ---- decoding ------------------------------------------------------------ */

static void fmt_mac(const unsigned char *m, char *out)
{
	sprintf(out, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* Ethernet header length and the type after any tags; 0 if too short. */
static size_t eth_parse(const unsigned char *b, size_t len, unsigned int *etype, char *tags,
			size_t tagslen)
{
	size_t off = 12;
	unsigned int t;

	if (tags && tagslen)
		tags[0] = '\0';
	for (;;) {
		if (off + 2 > len)
			return 0;
		t = (unsigned int)b[off] << 8 | b[off + 1];
		if ((t == 0x8100 || t == 0x88a8) && off + 6 <= len) {
			if (tags)
				snprintf(tags + strlen(tags), tagslen - strlen(tags), "vlan %u ",
					 ((unsigned int)b[off + 2] << 8 | b[off + 3]) & 0xfff);
			off += 4;
			continue;
		}
		*etype = t;
		return off + 2;
	}
}

bool frame_is_neigh(const unsigned char *b, size_t len)
{
	unsigned int etype;
	size_t off = eth_parse(b, len, &etype, NULL, 0);

	if (!off)
		return false;
	if (etype == 0x0806)
		return true;
	if (etype != 0x86dd || off + 41 > len || b[off + 6] != 58)
		return false;
	return b[off + 40] == 135 || b[off + 40] == 136;
}

void frame_describe(const struct frame *f, char *out, size_t outlen)
{
	const unsigned char *b = f->b;
	char d[18], s[18], sha[18], tha[18], tags[32], a1[INET6_ADDRSTRLEN],
		a2[INET6_ADDRSTRLEN], a3[INET6_ADDRSTRLEN], opt[96];
	unsigned int etype;
	size_t off = eth_parse(b, f->len, &etype, tags, sizeof(tags));

	if (!off) {
		snprintf(out, outlen, "%zu bytes, no Ethernet header", f->len);
		return;
	}
	fmt_mac(b, d);
	fmt_mac(b + 6, s);
	if (etype == 0x0806 && off + 28 <= f->len) {
		const unsigned char *a = b + off;
		unsigned int op = (unsigned int)a[6] << 8 | a[7];

		fmt_mac(a + 8, sha);
		fmt_mac(a + 18, tha);
		inet_ntop(AF_INET, a + 14, a1, sizeof(a1));
		inet_ntop(AF_INET, a + 24, a2, sizeof(a2));
		snprintf(out, outlen,
			 "%s > %s %sARP %s hrd %u pro 0x%04x hln %u pln %u sha %s sip %s tha %s tip %s (%zu bytes)",
			 s, d, tags, op == 1 ? "req" : op == 2 ? "rep" : "op?",
			 (unsigned int)a[0] << 8 | a[1], (unsigned int)a[2] << 8 | a[3], a[4], a[5],
			 sha, a1, tha, a2, f->len);
		return;
	}
	if (etype == 0x86dd && off + 40 + 24 <= f->len && b[off + 6] == 58) {
		const unsigned char *ip6 = b + off, *m = ip6 + 40;
		size_t mlen = f->len - off - 40, o;

		inet_ntop(AF_INET6, ip6 + 8, a1, sizeof(a1));
		inet_ntop(AF_INET6, ip6 + 24, a2, sizeof(a2));
		inet_ntop(AF_INET6, m + 8, a3, sizeof(a3));
		opt[0] = '\0';
		for (o = 24; o + 2 <= mlen && m[o + 1] && strlen(opt) < sizeof(opt) - 30;
		     o += m[o + 1] * 8) {
			if ((m[o] == 1 || m[o] == 2) && o + 8 <= mlen) {
				fmt_mac(m + o + 2, sha);
				snprintf(opt + strlen(opt), sizeof(opt) - strlen(opt), " %s %s",
					 m[o] == 1 ? "sll" : "tll", sha);
			} else {
				snprintf(opt + strlen(opt), sizeof(opt) - strlen(opt), " opt%u/%u",
					 m[o], m[o + 1]);
			}
		}
		snprintf(out, outlen, "%s > %s %s%s %s -> %s hl %u tgt %s%s%s%s%s (%zu bytes)", s, d,
			 tags, m[0] == 135 ? "NS" : m[0] == 136 ? "NA" : "ICMPv6?", a1, a2, ip6[7],
			 a3, m[0] == 136 && (m[4] & 0x80) ? " R" : "",
			 m[0] == 136 && (m[4] & 0x40) ? " S" : "",
			 m[0] == 136 && (m[4] & 0x20) ? " O" : "", opt, f->len);
		return;
	}
	snprintf(out, outlen, "%s > %s %sethertype 0x%04x (%zu bytes)", s, d, tags, etype, f->len);
}

void frame_hex(const struct frame *f, char *out, size_t outlen)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < f->len && o + 3 < outlen; i++)
		o += snprintf(out + o, outlen - o, "%02x", f->b[i]);
}

bool frame_is_sentinel_answer(const unsigned char *b, size_t len)
{
	struct in6_addr sentinel;
	unsigned int etype;
	size_t off = eth_parse(b, len, &etype, NULL, 0);

	if (!off || etype != 0x86dd || off + 40 + 24 > len || b[off + 6] != 58 ||
	    b[off + 40] != 136)
		return false;
	inet_pton(AF_INET6, LAB_SENTINEL6, &sentinel);
	return !memcmp(b + off + 40 + 8, &sentinel, 16);
}
