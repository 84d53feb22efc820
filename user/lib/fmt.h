/* SPDX-License-Identifier: GPL-2.0 */
/* Output and parsing helpers shared by the xneigh tools.
 *
 * One printing path for text and JSON, after iproute2's print_*(PRINT_ANY,
 * key, fmt, value): a caller describes each field once, with its JSON key and
 * its text format, and the writer emits whichever the output mode asks for.
 * The JSON layout (separators, pretty indentation) is byte-identical to
 * `ip -j [-p]` so tools that parse ip's output parse ours.
 *
 * Output is collected in one buffer and written with write(2) in large
 * chunks: a million-entry table must not cost a million stdio calls.
 *
 * Parsing helpers are strict and return -EINVAL on any malformed input; the
 * caller names the offending token in its message.
 */
#ifndef XN_FMT_H
#define XN_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xneigh/types.h"

/* Where a print call applies (iproute2's enum output_type). */
enum xn_print_where {
	XN_PRINT_TEXT = 1,
	XN_PRINT_JSON = 2,
	XN_PRINT_ANY = XN_PRINT_TEXT | XN_PRINT_JSON,
};

#define XN_OUT_MAX_DEPTH	16

struct xn_out {
	int fd;				/* destination, e.g. STDOUT_FILENO */
	bool json;			/* JSON mode instead of text */
	bool pretty;			/* JSON: newlines and 4-space indentation */
	char *buf;
	size_t len;			/* bytes buffered */
	size_t cap;
	size_t written;			/* bytes already handed to fd */
	int err;			/* first error (-errno), sticky */
	/* JSON writer state */
	unsigned int depth;
	char sep;			/* ',' once the current container has a member */
};

/* Set up a writer on fd. 0 or -ENOMEM. */
int xn_out_init(struct xn_out *o, int fd, bool json, bool pretty);
/* Write everything buffered. 0 or the first error (-errno). */
int xn_out_flush(struct xn_out *o);
/* Drop what is buffered and not yet written, and reset the JSON state, so
 * an error can replace a half-built document. */
void xn_out_discard(struct xn_out *o);
/* Flush and free. Returns the first error seen (-errno) or 0. */
int xn_out_fini(struct xn_out *o);

/* Field printers. `key` is the JSON member name (NULL: array element);
 * `fmt` is the text format with exactly one conversion (%s, %u, %lu, %llu,
 * %d...; no width or precision) where the value goes, "%%" for a percent sign.
 * A NULL fmt prints nothing in text mode. */
void xn_print_string(struct xn_out *o, int where, const char *key,
		     const char *fmt, const char *value);
void xn_print_uint(struct xn_out *o, int where, const char *key,
		   const char *fmt, uint64_t value);
void xn_print_int(struct xn_out *o, int where, const char *key,
		  const char *fmt, int64_t value);
void xn_print_bool(struct xn_out *o, int where, const char *key,
		   const char *fmt, bool value);
/* JSON: "key": null (ip's way of printing a flag); text: fmt verbatim. */
void xn_print_null(struct xn_out *o, int where, const char *key, const char *fmt);
/* Text-only literal (no conversion), e.g. a newline. */
void xn_print_text(struct xn_out *o, const char *text);

/* JSON containers (no-ops in text mode). key NULL inside an array or at top level. */
void xn_open_object(struct xn_out *o, const char *key);
void xn_close_object(struct xn_out *o);
void xn_open_array(struct xn_out *o, const char *key);
void xn_close_array(struct xn_out *o);
/* End of a JSON document: the newline ip prints after it. */
void xn_json_end(struct xn_out *o);

/* The NUD state set as ip prints it: JSON "state": ["STALE", ...] (nothing
 * for NUD_NONE), text "STALE " per bit, in iproute2's bit order. */
void xn_print_nud_state(struct xn_out *o, unsigned int state);

/* ---- NUD state names ----------------------------------------------------- */

struct xn_nud_name {
	unsigned int bit;		/* NUD_* */
	const char *name;		/* upper case, as ip prints it */
};
/* Every named state bit, in the order ip prints them; terminated by {0, NULL}. */
extern const struct xn_nud_name xn_nud_names[];
/* Name of one state bit, NULL if unknown. */
const char *xn_nud_name(unsigned int bit);
/* Parse a state name as `ip neigh ... nud STATE` does (case-insensitive;
 * "none" is 0; a single-bit number like 0x4 is accepted). "all" is not a
 * state: callers handle it. 0 or -EINVAL. */
int xn_nud_parse(const char *s, unsigned int *state);

/* ---- Link-layer (Ethernet) addresses --------------------------------- */

#define XN_MAC_STRLEN	18		/* "02:00:00:00:00:01" + NUL */
/* Lower-case colon form into buf (XN_MAC_STRLEN bytes); returns buf. */
char *xn_mac_str(const __u8 *mac, char *buf);
/* Six colon-separated groups of one or two hex digits, nothing else. 0 or -EINVAL. */
int xn_mac_parse(const char *s, __u8 *mac);

/* ---- IPv4 ------------------------------------------------------------------ */

#define XN_IP4_STRLEN	16		/* "255.255.255.255" + NUL */
/* Dotted quad of a network-order address into buf; returns buf. */
char *xn_ip4_str(__be32 addr, char *buf);
/* Exactly four decimal octets 0-255 ("10.1.0.2"). 0 or -EINVAL. */
int xn_ip4_parse(const char *s, __be32 *addr);
/* ADDR or ADDR/LEN with LEN 0-32. Without /LEN the prefix is /32. 0 or -EINVAL. */
int xn_ip4_prefix_parse(const char *s, __be32 *addr, unsigned int *plen);
/* Does addr lie in prefix/plen? (all network order) */
bool xn_ip4_in_prefix(__be32 addr, __be32 prefix, unsigned int plen);

/* ---- IPv6 ------------------------------------------------------------------ */

#define XN_IP6_STRLEN	46		/* INET6_ADDRSTRLEN */
/* The address as iproute2 prints it (inet_ntop(): RFC 5952 compression,
 * "::ffff:a.b.c.d" for IPv4-mapped) into buf; returns buf. */
char *xn_ip6_str(const __u8 *addr, char *buf);
/* inet_pton(AF_INET6) and nothing more: no zone ("%eth0"), no brackets, no
 * surrounding blanks. 0 or -EINVAL. */
int xn_ip6_parse(const char *s, __u8 *addr);
/* ADDR or ADDR/LEN with LEN 0-128. Without /LEN the prefix is /128. 0 or -EINVAL. */
int xn_ip6_prefix_parse(const char *s, __u8 *addr, unsigned int *plen);
/* Does addr lie in prefix/plen? (16 bytes each, network order) */
bool xn_ip6_in_prefix(const __u8 *addr, const __u8 *prefix, unsigned int plen);

/* ---- Address families and prefixes of either family ------------------------ */

/* "inet" -> AF_INET, "inet6" -> AF_INET6: the words of `ip -f FAMILY` that
 * have a neighbour table. Exact words, as ip's read_family(). AF_* or -EINVAL. */
int xn_family_parse(const char *s);
/* "inet", "inet6", or "unspec" for anything else. */
const char *xn_family_name(int af);

struct xn_prefix {
	int family;			/* AF_INET, AF_INET6; AF_UNSPEC: all/any/default
					 * read with no family, i.e. every address */
	unsigned int plen;		/* 0 matches every address of the family */
	__u8 addr[16];			/* network order; IPv4 in the first 4 bytes */
};

/* A PREFIX as `ip neigh show to PREFIX` reads it: an IPv6 prefix if it holds
 * a ':', else an IPv4 one (strict forms above); "all", "any" and "default"
 * mean every address of `family`. family AF_UNSPEC accepts both families,
 * AF_INET or AF_INET6 only its own. 0; -EINVAL if malformed; -EAFNOSUPPORT
 * for a well-formed prefix of the other family. */
int xn_prefix_parse(const char *s, int family, struct xn_prefix *p);
/* Does the address (4 or 16 bytes by family) lie in p? An AF_UNSPEC prefix
 * holds everything; a prefix never holds an address of the other family. */
bool xn_prefix_match(const struct xn_prefix *p, int family, const __u8 *addr);

/* One address of either family, as `ip neigh add ADDR` reads it (ip's
 * get_addr()): IPv6 if it holds a ':', else IPv4, in the strict forms above;
 * no /LEN and no "all"/"any"/"default". family AF_UNSPEC accepts both,
 * AF_INET or AF_INET6 only its own. On success *af is the address's family
 * and addr holds 4 or 16 bytes (the rest zeroed). 0; -EINVAL if malformed;
 * -EAFNOSUPPORT for a well-formed address of the other family. */
int xn_addr_parse(const char *s, int family, int *af, __u8 *addr);

/* ---- Arguments of xneigh add/replace/change/del/get -------------------------- */

/* Which command the words are for: get takes fewer keywords. */
enum xn_nargs_cmd {
	XN_NARGS_MODIFY,		/* add, replace, change */
	XN_NARGS_DELETE,		/* del */
	XN_NARGS_GET,			/* get */
};

/* What `ip neigh {add|replace|change|del|get}` reads (iproute2 ip/ipneigh.c,
 * ipneigh_modify() and ipneigh_get()):
 *   { [to] ADDR | proxy ADDR } [dev DEV] [lladdr MAC|null] [nud STATE]
 *   [router] [extern_learn] [proxy] [help]
 * with ip's matching: lladdr, proxy, extern_learn and help by unique prefix,
 * dev, nud, router and to spelled out. "proxy" followed by an address is
 * ip's `proxy ADDR`; alone (e.g. after the address) it is a flag. Every
 * keyword at most once: ip refuses a second dev or lladdr (duparg()) but
 * lets a repeated flag pass; xneigh refuses any repeated keyword. */
struct xn_neigh_args {
	int family;			/* AF_INET or AF_INET6: the address's */
	__u8 addr[16];			/* network order; IPv4 in the first 4 bytes */
	const char *addr_arg;		/* the address as given */
	const char *dev;		/* dev DEV; NULL if not given */
	bool has_lladdr;		/* lladdr MAC (not "lladdr null") */
	__u8 lladdr[6];
	unsigned int state;		/* nud STATE; NUD_PERMANENT if not given (ip's default) */
	bool state_given;
	bool router;			/* NTF_ROUTER */
	bool extern_learn;		/* NTF_EXT_LEARNED */
	bool proxy;			/* NTF_PROXY: a proxy entry */
	bool help;			/* "help" was seen: print help, do nothing else */
};

/* Called for a word starting with '-' where a keyword is expected (an
 * option such as -j among the arguments). Returns the words it took (>= 1),
 * or < 0 if it reported an error itself. */
typedef int (*xn_nargs_opt_fn)(void *ctx, int argc, char **argv);

/* Parse the words after the command name. family is the -4/-6 choice
 * (AF_UNSPEC: the address decides). opt may be NULL (options are then
 * refused). Returns 0 (check a->help first); -EINVAL with a one-line
 * message in msg naming the offending word; -ECANCELED if opt reported an
 * error. Words are not copied: a's strings point into argv. */
int xn_neigh_args_parse(int argc, char **argv, int family, enum xn_nargs_cmd cmd,
			xn_nargs_opt_fn opt, void *opt_ctx, struct xn_neigh_args *a,
			char *msg, size_t msglen);

/* ---- Words in messages and interface names ---------------------------------- */

/* At most this many characters of a word in a message. */
#define XN_TOK_MAX		64
#define XN_TOK_BUFLEN		(XN_TOK_MAX + 4)
/* A command-line word as an error message quotes it: cut after XN_TOK_MAX
 * characters (at a UTF-8 sequence boundary, then "..."), control bytes as
 * \xHH. A hostile word can then neither fill the message (and push out what
 * follows it) nor drive the terminal it is printed on. Into buf
 * (XN_TOK_BUFLEN bytes); returns buf. */
char *xn_tok_str(const char *s, char *buf);
/* The same in one of XN_TOK_SLOTS static buffers used in turn: enough for
 * every word of one message. Not thread-safe; for the tools' messages. */
#define XN_TOK_SLOTS		4
const char *xn_tok(const char *s);

/* Why name is not an interface name the kernel accepts (dev_valid_name():
 * 1 to IFNAMSIZ - 1 bytes, not "." or "..", no '/', ':' or white space), as
 * the end of a sentence about it: "is empty", "is longer than 15
 * characters", "is invalid: ..."; NULL if it is one. Whether such a device
 * exists is another question (if_nametoindex()). */
const char *xn_ifname_invalid(const char *name);

/* ---- Command-line words ---------------------------------------------------- */

/* iproute2's matches(): arg is a non-empty prefix of word. */
bool xn_matches(const char *arg, const char *word);
/* iproute2's keyword rule: the first element of a table, in table order,
 * whose name arg is a non-empty prefix of ("s" is "show" when show comes
 * before "stats"; the order of a table is its disambiguation). Every element
 * starts with its name, a const char *; stride is sizeof one element.
 * Index of the element, or -1. */
int xn_match_first(const char *arg, const void *table, size_t n, size_t stride);
#define XN_MATCH_TABLE(arg, table) \
	xn_match_first(arg, table, sizeof(table) / sizeof((table)[0]), sizeof((table)[0]))

#endif /* XN_FMT_H */
