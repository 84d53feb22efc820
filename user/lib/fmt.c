// SPDX-License-Identifier: GPL-2.0
/* Text/JSON writer and small parsers; see fmt.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include "xneigh/nud.h"
#include "fmt.h"

/* Hand the buffer to the kernel once it holds this much: big enough that a
 * million lines cost a few hundred write(2) calls, small enough to stream. */
#define XN_OUT_FLUSH_AT		(1u << 20)
#define XN_OUT_INITIAL		(64u << 10)

int xn_out_init(struct xn_out *o, int fd, bool json, bool pretty)
{
	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->json = json;
	o->pretty = pretty;
	o->buf = malloc(XN_OUT_INITIAL);
	if (!o->buf)
		return -ENOMEM;
	o->cap = XN_OUT_INITIAL;
	return 0;
}

int xn_out_flush(struct xn_out *o)
{
	size_t off = 0;

	while (off < o->len && !o->err) {
		ssize_t n = write(o->fd, o->buf + off, o->len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			o->err = -errno;
			break;
		}
		off += (size_t)n;
	}
	o->written += off;
	o->len = 0;
	return o->err;
}

void xn_out_discard(struct xn_out *o)
{
	o->len = 0;
	o->depth = 0;
	o->sep = '\0';
}

int xn_out_fini(struct xn_out *o)
{
	int err = o->buf ? xn_out_flush(o) : o->err;

	free(o->buf);
	o->buf = NULL;
	o->cap = 0;
	return err;
}

/* Make room for n more bytes. false (and o->err = -ENOMEM) if impossible. */
static bool out_reserve(struct xn_out *o, size_t n)
{
	size_t cap;
	char *nb;

	if (o->len + n <= o->cap)
		return true;
	if (o->err)
		return false;
	cap = o->cap ? o->cap : XN_OUT_INITIAL;
	while (cap < o->len + n)
		cap *= 2;
	nb = realloc(o->buf, cap);
	if (!nb) {
		o->err = -ENOMEM;
		return false;
	}
	o->buf = nb;
	o->cap = cap;
	return true;
}

static void out_put(struct xn_out *o, const char *s, size_t n)
{
	if (!out_reserve(o, n))
		return;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void out_putc(struct xn_out *o, char c)
{
	if (!out_reserve(o, 1))
		return;
	o->buf[o->len++] = c;
}

static void out_puts(struct xn_out *o, const char *s)
{
	out_put(o, s, strlen(s));
}

/* Called at the end of every public print call: stream out large output. */
static void out_maybe_flush(struct xn_out *o)
{
	if (o->len >= XN_OUT_FLUSH_AT)
		xn_out_flush(o);
}

/* Decimal digits of v, right-aligned in buf[24]; returns the first digit. */
static char *u64_digits(uint64_t v, char *end)
{
	char *p = end;

	*--p = '\0';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return p;
}

/* Text output: copy fmt, putting value where its single conversion is. */
static void text_fmt(struct xn_out *o, const char *fmt, const char *value)
{
	const char *p = fmt, *lit = fmt;

	while (*p) {
		if (*p != '%') {
			p++;
			continue;
		}
		out_put(o, lit, (size_t)(p - lit));
		p++;
		if (*p == '%') {
			out_putc(o, '%');
			lit = ++p;
			continue;
		}
		/* flags, width and length modifiers are accepted and ignored */
		while (*p && strchr("-+ #0123456789.hlLqjzt", *p))
			p++;
		if (*p)
			p++;
		out_puts(o, value);
		lit = p;
	}
	out_put(o, lit, (size_t)(p - lit));
}

/* Length of a valid UTF-8 sequence at s (1-4), or 0 if the byte at s does
 * not start one. Interface names are arbitrary bytes; JSON must be UTF-8. */
static int utf8_seq_len(const unsigned char *s)
{
	unsigned char c = s[0];
	int n, i;
	unsigned char lo = 0x80, hi = 0xBF;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	/* overlong forms, surrogates and > U+10FFFF are invalid */
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return n;
}

/* A JSON string literal, escaped per RFC 8259; invalid UTF-8 bytes become U+FFFD. */
static void json_quote(struct xn_out *o, const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	char esc[7];

	out_putc(o, '"');
	while (*s) {
		const unsigned char *run = s;
		int n;

		/* copy the longest run that needs no escaping in one go */
		while (*s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\')
			s++;
		out_put(o, (const char *)run, (size_t)(s - run));
		if (!*s)
			break;
		switch (*s) {
		case '"':  out_put(o, "\\\"", 2); s++; continue;
		case '\\': out_put(o, "\\\\", 2); s++; continue;
		case '\n': out_put(o, "\\n", 2); s++; continue;
		case '\t': out_put(o, "\\t", 2); s++; continue;
		case '\r': out_put(o, "\\r", 2); s++; continue;
		case '\b': out_put(o, "\\b", 2); s++; continue;
		case '\f': out_put(o, "\\f", 2); s++; continue;
		}
		if (*s < 0x20) {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[*s >> 4];
			esc[5] = hex[*s & 0xf];
			out_put(o, esc, 6);
			s++;
			continue;
		}
		n = utf8_seq_len(s);
		if (n) {
			out_put(o, (const char *)s, (size_t)n);
			s += n;
		} else {
			out_put(o, "\\ufffd", 6);
			s++;
		}
	}
	out_putc(o, '"');
}

/* ---- JSON structure: the same separators and indentation as iproute2 ---- */

static void json_eor(struct xn_out *o)
{
	if (o->sep)
		out_putc(o, o->sep);
	o->sep = ',';
}

static void json_eol(struct xn_out *o)
{
	unsigned int i;

	if (!o->pretty)
		return;
	out_putc(o, '\n');
	for (i = 0; i < o->depth; i++)
		out_put(o, "    ", 4);
}

static void json_name(struct xn_out *o, const char *key)
{
	json_eor(o);
	json_eol(o);
	o->sep = '\0';
	json_quote(o, key);
	out_putc(o, ':');
	if (o->pretty)
		out_putc(o, ' ');
}

/* Start a member value: "key": for an object member, a comma for an element. */
static void json_value_start(struct xn_out *o, const char *key)
{
	if (key)
		json_name(o, key);
	json_eor(o);
}

static void json_begin(struct xn_out *o, const char *key, char c)
{
	if (key)
		json_name(o, key);
	json_eor(o);
	out_putc(o, c);
	o->depth++;
	o->sep = '\0';
	if (c == '[' && o->pretty)
		out_putc(o, ' ');
}

static void json_end(struct xn_out *o, char c)
{
	if (!o->depth) {
		o->err = o->err ? o->err : -EINVAL;	/* unbalanced: a caller bug */
		return;
	}
	if (c == ']') {
		if (o->pretty && o->sep)
			out_putc(o, ' ');
		o->sep = '\0';
	}
	o->depth--;
	if (o->sep)
		json_eol(o);
	out_putc(o, c);
	o->sep = ',';
}

/* ---- Public print calls --------------------------------------------------- */

void xn_print_string(struct xn_out *o, int where, const char *key,
		     const char *fmt, const char *value)
{
	if (o->json) {
		if (!(where & XN_PRINT_JSON))
			return;
		json_value_start(o, key);
		json_quote(o, value ? value : "");
	} else {
		if (!(where & XN_PRINT_TEXT) || !fmt)
			return;
		text_fmt(o, fmt, value ? value : "");
	}
	out_maybe_flush(o);
}

/* A value that is written the same in JSON and in text (a number, true,
 * false): the JSON member, or the text through its format. */
static void print_token(struct xn_out *o, int where, const char *key, const char *fmt,
			const char *token)
{
	if (o->json) {
		if (!(where & XN_PRINT_JSON))
			return;
		json_value_start(o, key);
		out_puts(o, token);
	} else {
		if (!(where & XN_PRINT_TEXT) || !fmt)
			return;
		text_fmt(o, fmt, token);
	}
	out_maybe_flush(o);
}

void xn_print_uint(struct xn_out *o, int where, const char *key,
		   const char *fmt, uint64_t value)
{
	char buf[24];
	char *d = u64_digits(value, buf + sizeof(buf));

	print_token(o, where, key, fmt, d);
}

void xn_print_int(struct xn_out *o, int where, const char *key,
		  const char *fmt, int64_t value)
{
	char buf[24];
	char *d;

	/* magnitude computed unsigned so INT64_MIN does not overflow */
	d = u64_digits(value < 0 ? 0 - (uint64_t)value : (uint64_t)value, buf + sizeof(buf));
	if (value < 0)
		*--d = '-';
	print_token(o, where, key, fmt, d);
}

void xn_print_bool(struct xn_out *o, int where, const char *key,
		   const char *fmt, bool value)
{
	const char *v = value ? "true" : "false";

	print_token(o, where, key, fmt, v);
}

void xn_print_null(struct xn_out *o, int where, const char *key, const char *fmt)
{
	if (o->json) {
		if (!(where & XN_PRINT_JSON))
			return;
		json_value_start(o, key);
		out_put(o, "null", 4);
	} else {
		if (!(where & XN_PRINT_TEXT) || !fmt)
			return;
		out_puts(o, fmt);
	}
	out_maybe_flush(o);
}

void xn_print_text(struct xn_out *o, const char *text)
{
	if (o->json)
		return;
	out_puts(o, text);
	out_maybe_flush(o);
}

void xn_open_object(struct xn_out *o, const char *key)
{
	if (o->json)
		json_begin(o, key, '{');
}

void xn_close_object(struct xn_out *o)
{
	if (o->json) {
		json_end(o, '}');
		out_maybe_flush(o);
	}
}

void xn_open_array(struct xn_out *o, const char *key)
{
	if (o->json)
		json_begin(o, key, '[');
}

void xn_close_array(struct xn_out *o)
{
	if (o->json) {
		json_end(o, ']');
		out_maybe_flush(o);
	}
}

void xn_json_end(struct xn_out *o)
{
	if (o->json)
		out_putc(o, '\n');
}

/* ---- NUD states ------------------------------------------------------------ */

/* iproute2's print order (print_neigh_state). */
const struct xn_nud_name xn_nud_names[] = {
	{ NUD_INCOMPLETE,	"INCOMPLETE" },
	{ NUD_REACHABLE,	"REACHABLE" },
	{ NUD_STALE,		"STALE" },
	{ NUD_DELAY,		"DELAY" },
	{ NUD_PROBE,		"PROBE" },
	{ NUD_FAILED,		"FAILED" },
	{ NUD_NOARP,		"NOARP" },
	{ NUD_PERMANENT,	"PERMANENT" },
	{ 0, NULL },
};

const char *xn_nud_name(unsigned int bit)
{
	const struct xn_nud_name *n;

	for (n = xn_nud_names; n->name; n++)
		if (n->bit == bit)
			return n->name;
	return NULL;
}

void xn_print_nud_state(struct xn_out *o, unsigned int state)
{
	const struct xn_nud_name *n;

	/* ip prints no "state" member at all for NUD_NONE */
	if (!state)
		return;
	xn_open_array(o, "state");
	for (n = xn_nud_names; n->name; n++)
		if (state & n->bit)
			xn_print_string(o, XN_PRINT_ANY, NULL, "%s ", n->name);
	xn_close_array(o);
}

/* Case-insensitive prefix test: arg is a non-empty prefix of word. */
static bool matches_ci(const char *arg, const char *word)
{
	size_t n = strlen(arg);

	return n && n <= strlen(word) && !strncasecmp(arg, word, n);
}

int xn_nud_parse(const char *s, unsigned int *state)
{
	/* Same words as iproute2's nud_state_a2n(): three accept a prefix,
	 * the others must be spelled out. */
	static const struct { const char *word; bool prefix; unsigned int bit; } w[] = {
		{ "permanent",	true,	NUD_PERMANENT },
		{ "reachable",	true,	NUD_REACHABLE },
		{ "noarp",	false,	NUD_NOARP },
		{ "none",	false,	NUD_NONE },
		{ "stale",	false,	NUD_STALE },
		{ "incomplete",	false,	NUD_INCOMPLETE },
		{ "delay",	false,	NUD_DELAY },
		{ "probe",	false,	NUD_PROBE },
		{ "failed",	true,	NUD_FAILED },
	};
	unsigned long v;
	char *end;
	size_t i;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		if (w[i].prefix ? matches_ci(s, w[i].word) : !strcasecmp(s, w[i].word)) {
			*state = w[i].bit;
			return 0;
		}
	}
	/* a number naming exactly one state bit; digits first, since
	 * strtoul() would skip blanks and take a sign */
	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v >= 0x100 || (v & (v - 1)))
		return -EINVAL;
	*state = (unsigned int)v;
	return 0;
}

/* ---- MAC addresses ----------------------------------------------------------- */

char *xn_mac_str(const __u8 *mac, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 6; i++) {
		buf[i * 3] = hex[mac[i] >> 4];
		buf[i * 3 + 1] = hex[mac[i] & 0xf];
		buf[i * 3 + 2] = i == 5 ? '\0' : ':';
	}
	return buf;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int xn_mac_parse(const char *s, __u8 *mac)
{
	__u8 out[6];
	int i;

	for (i = 0; i < 6; i++) {
		int hi = hexval(s[0]), lo;

		if (hi < 0)
			return -EINVAL;
		lo = hexval(s[1]);
		if (lo >= 0) {
			out[i] = (__u8)(hi << 4 | lo);
			s += 2;
		} else {
			out[i] = (__u8)hi;
			s += 1;
		}
		if (i < 5) {
			if (*s != ':')
				return -EINVAL;
			s++;
		}
	}
	if (*s)
		return -EINVAL;
	memcpy(mac, out, sizeof(out));
	return 0;
}

/* ---- IPv4 --------------------------------------------------------------------- */

char *xn_ip4_str(__be32 addr, char *buf)
{
	const __u8 *b = (const __u8 *)&addr;
	char *p = buf;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned int v = b[i];

		if (v >= 100) {
			*p++ = (char)('0' + v / 100);
			*p++ = (char)('0' + v / 10 % 10);
		} else if (v >= 10) {
			*p++ = (char)('0' + v / 10);
		}
		*p++ = (char)('0' + v % 10);
		*p++ = i == 3 ? '\0' : '.';
	}
	return buf;
}

/* Parse n characters at s as a dotted quad. */
static int ip4_parse_n(const char *s, size_t n, __be32 *addr)
{
	const char *end = s + n;
	__u8 b[4];
	int i;

	for (i = 0; i < 4; i++) {
		unsigned int v = 0;
		int digits = 0;

		while (s < end && *s >= '0' && *s <= '9') {
			/* a leading zero would read as octal elsewhere: refuse it */
			if (digits == 1 && v == 0)
				return -EINVAL;
			v = v * 10 + (unsigned int)(*s - '0');
			if (++digits > 3 || v > 255)
				return -EINVAL;
			s++;
		}
		if (!digits)
			return -EINVAL;
		b[i] = (__u8)v;
		if (i < 3) {
			if (s >= end || *s != '.')
				return -EINVAL;
			s++;
		}
	}
	if (s != end)
		return -EINVAL;
	memcpy(addr, b, 4);
	return 0;
}

int xn_ip4_parse(const char *s, __be32 *addr)
{
	return ip4_parse_n(s, strlen(s), addr);
}

/* The LEN of ADDR/LEN: decimal digits only, no sign, no leading zero (ip
 * reads "/010" as octal 8; we refuse to guess), at most max. */
static int plen_parse(const char *p, unsigned int max, unsigned int *plen)
{
	unsigned int len = 0;

	if (!*p || (p[0] == '0' && p[1]))
		return -EINVAL;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		len = len * 10 + (unsigned int)(*p - '0');
		if (len > max)
			return -EINVAL;
	}
	*plen = len;
	return 0;
}

int xn_ip4_prefix_parse(const char *s, __be32 *addr, unsigned int *plen)
{
	const char *slash = strchr(s, '/');
	unsigned int len;
	__be32 a;
	int err;

	if (!slash) {
		err = xn_ip4_parse(s, addr);
		if (!err)
			*plen = 32;
		return err;
	}
	err = ip4_parse_n(s, (size_t)(slash - s), &a);
	if (!err)
		err = plen_parse(slash + 1, 32, &len);
	if (err)
		return err;
	*addr = a;
	*plen = len;
	return 0;
}

bool xn_ip4_in_prefix(__be32 addr, __be32 prefix, unsigned int plen)
{
	__u32 mask;

	if (!plen)
		return true;
	mask = plen >= 32 ? 0xffffffffu : ~(0xffffffffu >> plen);
	return ((ntohl(addr) ^ ntohl(prefix)) & mask) == 0;
}

/* ---- IPv6 ---------------------------------------------------------------------- */

char *xn_ip6_str(const __u8 *addr, char *buf)
{
	/* The libc function ip itself prints with (format_host() ->
	 * inet_ntop()), so the compressed forms agree by construction. It
	 * cannot fail for AF_INET6 with a buffer of INET6_ADDRSTRLEN. */
	if (!inet_ntop(AF_INET6, addr, buf, XN_IP6_STRLEN))
		buf[0] = '\0';
	return buf;
}

int xn_ip6_parse(const char *s, __u8 *addr)
{
	struct in6_addr a;

	/* inet_pton() already refuses zones, blanks, brackets, more than
	 * four digits per group and a second "::" */
	if (inet_pton(AF_INET6, s, &a) != 1)
		return -EINVAL;
	memcpy(addr, &a, sizeof(a));
	return 0;
}

int xn_ip6_prefix_parse(const char *s, __u8 *addr, unsigned int *plen)
{
	const char *slash = strchr(s, '/');
	char buf[XN_IP6_STRLEN];
	unsigned int len;
	__u8 a[16];
	size_t n;
	int err;

	if (!slash) {
		err = xn_ip6_parse(s, addr);
		if (!err)
			*plen = 128;
		return err;
	}
	n = (size_t)(slash - s);
	if (n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	err = xn_ip6_parse(buf, a);
	if (!err)
		err = plen_parse(slash + 1, 128, &len);
	if (err)
		return err;
	memcpy(addr, a, sizeof(a));
	*plen = len;
	return 0;
}

bool xn_ip6_in_prefix(const __u8 *addr, const __u8 *prefix, unsigned int plen)
{
	unsigned int whole, rest;

	if (plen > 128)
		plen = 128;
	whole = plen / 8;
	rest = plen % 8;
	if (memcmp(addr, prefix, whole))
		return false;
	if (!rest)
		return true;
	return ((addr[whole] ^ prefix[whole]) & (__u8)(0xff00u >> rest)) == 0;
}

/* ---- Families and prefixes ------------------------------------------------------ */

int xn_family_parse(const char *s)
{
	if (!strcmp(s, "inet"))
		return AF_INET;
	if (!strcmp(s, "inet6"))
		return AF_INET6;
	return -EINVAL;
}

const char *xn_family_name(int af)
{
	switch (af) {
	case AF_INET:	return "inet";
	case AF_INET6:	return "inet6";
	default:	return "unspec";
	}
}

int xn_prefix_parse(const char *s, int family, struct xn_prefix *p)
{
	struct xn_prefix r = { .family = family };
	int af, err;

	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
		return -EINVAL;
	/* ip's get_addr_1(): these three are 0/0 of the requested family */
	if (!strcmp(s, "all") || !strcmp(s, "any") || !strcmp(s, "default")) {
		*p = r;
		return 0;
	}
	af = strchr(s, ':') ? AF_INET6 : AF_INET;
	if (af == AF_INET6) {
		err = xn_ip6_prefix_parse(s, r.addr, &r.plen);
	} else {
		__be32 a;

		err = xn_ip4_prefix_parse(s, &a, &r.plen);
		if (!err)
			memcpy(r.addr, &a, sizeof(a));
	}
	if (err)
		return err;
	if (family != AF_UNSPEC && family != af)
		return -EAFNOSUPPORT;
	r.family = af;
	*p = r;
	return 0;
}

bool xn_prefix_match(const struct xn_prefix *p, int family, const __u8 *addr)
{
	__be32 a, pa;

	if (p->family == AF_UNSPEC)
		return true;
	if (p->family != family)
		return false;
	if (family == AF_INET6)
		return xn_ip6_in_prefix(addr, p->addr, p->plen);
	memcpy(&a, addr, sizeof(a));
	memcpy(&pa, p->addr, sizeof(pa));
	return xn_ip4_in_prefix(a, pa, p->plen);
}

int xn_addr_parse(const char *s, int family, int *af, __u8 *addr)
{
	__u8 a[16] = {};
	int f;

	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
		return -EINVAL;
	/* ip's get_addr_1(): a ':' makes it IPv6 */
	f = strchr(s, ':') ? AF_INET6 : AF_INET;
	if (f == AF_INET6) {
		if (xn_ip6_parse(s, a))
			return -EINVAL;
	} else {
		__be32 v;

		if (xn_ip4_parse(s, &v))
			return -EINVAL;
		memcpy(a, &v, sizeof(v));
	}
	if (family != AF_UNSPEC && family != f)
		return -EAFNOSUPPORT;
	*af = f;
	memcpy(addr, a, sizeof(a));
	return 0;
}

/* ---- xneigh add/replace/change/del/get arguments --------------------------------- */

static int nargs_err(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int nargs_err(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (len) {
		va_start(ap, fmt);
		vsnprintf(msg, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* A flag given twice, as the duplicates of the keywords with a value are
 * reported: the keyword, the second word, the first. */
static int nargs_dup(char *msg, size_t len, const char *keyword, const char *word,
		     const char *first)
{
	return nargs_err(msg, len, "duplicate \"%s\": \"%s\" after \"%s\"", keyword,
			 xn_tok(word), xn_tok(first));
}

/* Only characters an address can hold, and a '.' or ':': then a refusal
 * says "invalid address" rather than "unknown keyword". */
static bool looks_like_addr(const char *s)
{
	return *s && strspn(s, "0123456789abcdefABCDEF.:") == strlen(s) && strpbrk(s, ".:");
}

static int nargs_addr(const char *word, int family, struct xn_neigh_args *a,
		      const char *keywords, char *msg, size_t len)
{
	__u8 tmp[16];
	int af, err;

	if (a->addr_arg) {
		/* ip: 'either "to" is duplicate, or "WORD" is a garbage' */
		if (!xn_addr_parse(word, AF_UNSPEC, &af, tmp))
			return nargs_err(msg, len, "duplicate address \"%s\" after \"%s\"",
					 xn_tok(word), xn_tok(a->addr_arg));
		return nargs_err(msg, len, "\"%s\" is not a keyword (%s)", xn_tok(word), keywords);
	}
	err = xn_addr_parse(word, family, &a->family, a->addr);
	if (err == -EAFNOSUPPORT)
		return nargs_err(msg, len, "%s address expected rather than \"%s\" (%s given)",
				 family == AF_INET6 ? "IPv6" : "IPv4", xn_tok(word),
				 family == AF_INET6 ? "-6" : "-4");
	if (err && looks_like_addr(word))
		return nargs_err(msg, len, "address \"%s\" is invalid (A.B.C.D or X:X::X)",
				 xn_tok(word));
	if (err)
		return nargs_err(msg, len, "\"%s\" is neither a keyword (%s) nor an address",
				 xn_tok(word), keywords);
	a->addr_arg = word;
	return 0;
}

/* Is word one of the keywords, so that "proxy WORD" is the flag followed by
 * that keyword rather than `proxy ADDR`? */
static bool nargs_is_keyword(const char *w)
{
	return xn_matches(w, "lladdr") || !strcmp(w, "nud") || xn_matches(w, "proxy") ||
	       !strcmp(w, "router") || xn_matches(w, "extern_learn") || !strcmp(w, "dev") ||
	       !strcmp(w, "to") || xn_matches(w, "help") || xn_matches(w, "protocol") ||
	       !strcmp(w, "use") || !strcmp(w, "managed");
}

int xn_neigh_args_parse(int argc, char **argv, int family, enum xn_nargs_cmd cmd,
			xn_nargs_opt_fn opt, void *opt_ctx, struct xn_neigh_args *a,
			char *msg, size_t msglen)
{
	const char *kw = cmd == XN_NARGS_GET ? "dev, proxy, to, help"
					     : "dev, lladdr, nud, router, extern_learn, proxy, to, help";
	const char *lladdr_arg = NULL, *nud_arg = NULL;
	/* the flags as first given: a second one is a mistake ip lets pass */
	const char *proxy_arg = NULL, *router_arg = NULL, *extern_arg = NULL;
	bool get = cmd == XN_NARGS_GET;
	int i, err;

	memset(a, 0, sizeof(*a));
	a->state = NUD_PERMANENT;	/* ipneigh_modify(): ndm_state = NUD_PERMANENT */
	if (msglen)
		msg[0] = '\0';

	for (i = 0; i < argc; i++) {
		const char *w = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;

		if (w[0] == '-') {
			int r;

			if (!opt)
				return nargs_err(msg, msglen, "option \"%s\" is unknown",
						 xn_tok(w));
			r = opt(opt_ctx, argc - i, argv + i);
			if (r < 0)
				return -ECANCELED;
			if (r == 0)
				return nargs_err(msg, msglen, "option \"%s\" is unknown",
						 xn_tok(w));
			i += r - 1;
			continue;
		}
		/* the order of ip's checks: "p"/"pro" is proxy, "prot" protocol */
		if (xn_matches(w, "lladdr") && !get) {
			if (!next)
				return nargs_err(msg, msglen, "\"%s\" needs a link-layer address (e.g. 02:00:00:00:00:01) or null", w);
			if (lladdr_arg)
				return nargs_err(msg, msglen, "duplicate \"lladdr\": \"%s\" after \"%s\"",
						 xn_tok(next), xn_tok(lladdr_arg));
			lladdr_arg = next;
			if (!strcmp(next, "null")) {
				a->has_lladdr = false;	/* ip: no NDA_LLADDR */
			} else if (xn_mac_parse(next, a->lladdr)) {
				return nargs_err(msg, msglen, "lladdr \"%s\" is invalid: expected six colon-separated hex bytes (02:00:00:00:00:01)", xn_tok(next));
			} else {
				a->has_lladdr = true;
			}
			i++;
		} else if (!strcmp(w, "nud") && !get) {
			if (!next)
				return nargs_err(msg, msglen, "\"nud\" needs a state (permanent, noarp, reachable, stale, none, incomplete, delay, probe, failed)");
			if (nud_arg)
				return nargs_err(msg, msglen, "duplicate \"nud\": \"%s\" after \"%s\"",
						 xn_tok(next), xn_tok(nud_arg));
			if (xn_nud_parse(next, &a->state))
				return nargs_err(msg, msglen, "nud state \"%s\" is invalid (permanent, noarp, reachable, stale, none, incomplete, delay, probe, failed)", xn_tok(next));
			nud_arg = next;
			a->state_given = true;
			i++;
		} else if (xn_matches(w, "proxy")) {
			if (proxy_arg)
				return nargs_dup(msg, msglen, "proxy", w, proxy_arg);
			proxy_arg = w;
			a->proxy = true;
			/* `proxy ADDR` (ip's form) unless a keyword or nothing follows */
			if (next && !nargs_is_keyword(next) && next[0] != '-') {
				err = nargs_addr(next, family, a, kw, msg, msglen);
				if (err)
					return err;
				i++;
			}
		} else if (!strcmp(w, "router") && !get) {
			if (router_arg)
				return nargs_dup(msg, msglen, "router", w, router_arg);
			router_arg = w;
			a->router = true;
		} else if (xn_matches(w, "extern_learn") && !get) {
			if (extern_arg)
				return nargs_dup(msg, msglen, "extern_learn", w, extern_arg);
			extern_arg = w;
			a->extern_learn = true;
		} else if (!strcmp(w, "dev")) {
			if (!next)
				return nargs_err(msg, msglen, "\"dev\" needs an interface name");
			if (a->dev)
				return nargs_err(msg, msglen, "duplicate \"dev\": \"%s\" after \"%s\"",
						 xn_tok(next), xn_tok(a->dev));
			a->dev = next;
			i++;
		} else if (xn_matches(w, "help")) {
			a->help = true;
			return 0;
		} else if ((xn_matches(w, "protocol") || !strcmp(w, "use") ||
			    !strcmp(w, "managed")) && !get) {
			/* ip's words for kernel features xneigh entries do not have */
			return nargs_err(msg, msglen, "\"%s\" is not supported by xneigh (its entries have no %s)",
					 w, xn_matches(w, "protocol") ? "protocol" :
					 !strcmp(w, "use") ? "NTF_USE" : "NTF_MANAGED");
		} else if (get && nargs_is_keyword(w) && strcmp(w, "to")) {
			return nargs_err(msg, msglen, "\"%s\" is not an argument of get (%s)",
					 xn_tok(w), kw);
		} else {
			if (!strcmp(w, "to")) {
				if (!next)
					return nargs_err(msg, msglen, "\"to\" needs an address");
				w = argv[++i];
			}
			err = nargs_addr(w, family, a, kw, msg, msglen);
			if (err)
				return err;
		}
	}
	if (!a->addr_arg)
		return nargs_err(msg, msglen, "an address is required (%s)",
				 get ? "ADDR dev DEV, or proxy ADDR" : "ADDR dev DEV, or proxy ADDR [dev DEV]");
	if (!a->dev && !a->proxy)
		return nargs_err(msg, msglen, "\"dev DEV\" is required for %s",
				 xn_tok(a->addr_arg));
	return 0;
}

/* ---- Words in messages, interface names ----------------------------------------- */

char *xn_tok_str(const char *s, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	while (*p) {
		size_t need = *p < 0x20 || *p == 0x7f ? 4 : 1;

		/* a UTF-8 sequence is copied whole or not at all */
		if (*p >= 0xc0)
			while (p[need] >= 0x80 && p[need] < 0xc0 && need < 4)
				need++;
		if (o + need > XN_TOK_MAX)
			break;
		if (*p < 0x20 || *p == 0x7f) {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[*p >> 4];
			buf[o++] = hex[*p & 0xf];
			p++;
			continue;
		}
		memcpy(buf + o, p, need);
		o += need;
		p += need;
	}
	if (*p) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

const char *xn_tok(const char *s)
{
	static char bufs[XN_TOK_SLOTS][XN_TOK_BUFLEN];
	static unsigned int next;

	return xn_tok_str(s, bufs[next++ % XN_TOK_SLOTS]);
}

const char *xn_ifname_invalid(const char *name)
{
	size_t len = strlen(name);

	if (!len)
		return "is empty";
	if (len >= IF_NAMESIZE)
		return "is longer than 15 characters";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "is invalid: \".\" and \"..\" are not interface names";
	/* dev_valid_name(): '/', ':' and the kernel's isspace(), which is
	 * \t\n\v\f\r, ' ' and, in its Latin-1 table, 0xa0 */
	if (name[strcspn(name, "/: \t\n\v\f\r\xa0")])
		return "is invalid: no '/', ':' or blanks in an interface name";
	return NULL;
}

/* ---- Words -------------------------------------------------------------------- */

bool xn_matches(const char *arg, const char *word)
{
	size_t n = strlen(arg);

	return n && n <= strlen(word) && !memcmp(arg, word, n);
}

int xn_match_first(const char *arg, const void *table, size_t n, size_t stride)
{
	const char *e = table;
	size_t i;

	for (i = 0; i < n; i++, e += stride) {
		const char *name;

		memcpy(&name, e, sizeof(name));
		if (name && xn_matches(arg, name))
			return (int)i;
	}
	return -1;
}
