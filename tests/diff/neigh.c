// SPDX-License-Identifier: GPL-2.0
/* Neighbour listings as comparable lists.
 *
 * Both `ip -j neigh show` and `xneigh show -j` print an array of flat
 * objects: "dst", "dev", "lladdr" (absent for NONE/INCOMPLETE/FAILED),
 * "router": null when NTF_ROUTER is set, "state": an array of names (absent
 * for NONE), and a few keys the comparison does not look at (proxy,
 * extern_learn, -s ages). The parser below reads exactly that shape and
 * skips any other value. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diff.h"

struct jp {
	const char *p;
	char *err;
	size_t errlen;
};

static void ws(struct jp *j)
{
	while (isspace((unsigned char)*j->p))
		j->p++;
}

static int fail(struct jp *j, const char *what)
{
	snprintf(j->err, j->errlen, "%s at offset '%.20s'", what, j->p);
	return -EINVAL;
}

/* A string without escapes beyond \" and \\ (nothing here needs more). */
static int jstring(struct jp *j, char *out, size_t outlen)
{
	size_t n = 0;

	ws(j);
	if (*j->p != '"')
		return fail(j, "expected a string");
	j->p++;
	while (*j->p && *j->p != '"') {
		char c = *j->p++;

		if (c == '\\' && *j->p)
			c = *j->p++;
		if (out && n + 1 < outlen)
			out[n++] = c;
	}
	if (*j->p != '"')
		return fail(j, "unterminated string");
	j->p++;
	if (out)
		out[n] = '\0';
	return 0;
}

static int jskip(struct jp *j)
{
	int depth = 0;

	ws(j);
	do {
		ws(j);
		switch (*j->p) {
		case '"':
			if (jstring(j, NULL, 0))
				return -EINVAL;
			break;
		case '{':
		case '[':
			depth++;
			j->p++;
			break;
		case '}':
		case ']':
			depth--;
			j->p++;
			break;
		case ',':
		case ':':
			j->p++;
			break;
		case '\0':
			return fail(j, "unexpected end");
		default:
			while (*j->p && (isalnum((unsigned char)*j->p) || strchr("+-.", *j->p)))
				j->p++;
			break;
		}
		if (depth < 0)
			return fail(j, "unbalanced");
	} while (depth > 0);
	return 0;
}

/* ["A", "B"] -> "A,B" */
static int jstates(struct jp *j, char *out, size_t outlen)
{
	char s[24];

	out[0] = '\0';
	ws(j);
	if (*j->p != '[')
		return fail(j, "expected a state array");
	j->p++;
	for (;;) {
		ws(j);
		if (*j->p == ']') {
			j->p++;
			return 0;
		}
		if (jstring(j, s, sizeof(s)))
			return -EINVAL;
		snprintf(out + strlen(out), outlen - strlen(out), "%s%s", out[0] ? "," : "", s);
		ws(j);
		if (*j->p == ',')
			j->p++;
	}
}

static int entry_cmp(const void *a, const void *b)
{
	const struct nentry *x = a, *y = b;
	int c = strcmp(x->dev, y->dev);

	return c ? c : strcmp(x->dst, y->dst);
}

static bool is_multicast(const char *dst)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, dst, &a4) == 1)
		return (ntohl(a4.s_addr) & 0xf0000000u) == 0xe0000000u;
	if (inet_pton(AF_INET6, dst, &a6) == 1)
		return a6.s6_addr[0] == 0xff;
	return false;
}

int ntable_parse(const char *json, struct ntable *t, char *err, size_t errlen)
{
	struct jp j = { .p = json, .err = err, .errlen = errlen };
	char key[32];

	memset(t, 0, sizeof(*t));
	ws(&j);
	if (!*j.p)		/* nothing printed: nothing there */
		return 0;
	if (*j.p != '[')
		return fail(&j, "expected '['");
	j.p++;
	for (;;) {
		struct nentry e = {};

		ws(&j);
		if (*j.p == ']')
			break;
		if (*j.p == ',') {
			j.p++;
			continue;
		}
		if (*j.p != '{')
			return fail(&j, "expected '{'");
		j.p++;
		snprintf(e.state, sizeof(e.state), "NONE");
		for (;;) {
			ws(&j);
			if (*j.p == '}') {
				j.p++;
				break;
			}
			if (*j.p == ',') {
				j.p++;
				continue;
			}
			if (jstring(&j, key, sizeof(key)))
				return -EINVAL;
			ws(&j);
			if (*j.p != ':')
				return fail(&j, "expected ':'");
			j.p++;
			if (!strcmp(key, "dst")) {
				if (jstring(&j, e.dst, sizeof(e.dst)))
					return -EINVAL;
			} else if (!strcmp(key, "dev")) {
				if (jstring(&j, e.dev, sizeof(e.dev)))
					return -EINVAL;
			} else if (!strcmp(key, "lladdr")) {
				if (jstring(&j, e.lladdr, sizeof(e.lladdr)))
					return -EINVAL;
			} else if (!strcmp(key, "state")) {
				if (jstates(&j, e.state, sizeof(e.state)))
					return -EINVAL;
			} else {
				if (!strcmp(key, "router"))
					e.router = true;
				if (jskip(&j))
					return -EINVAL;
			}
		}
		if (!e.dst[0])
			return fail(&j, "an entry without \"dst\"");
		if (is_multicast(e.dst))
			continue;
		if (t->n == t->cap) {
			size_t ncap = t->cap ? 2 * t->cap : 16;
			struct nentry *nv = realloc(t->v, ncap * sizeof(*nv));

			if (!nv) {
				snprintf(err, errlen, "out of memory");
				return -ENOMEM;
			}
			t->v = nv;
			t->cap = ncap;
		}
		t->v[t->n++] = e;
	}
	if (t->n)
		qsort(t->v, t->n, sizeof(t->v[0]), entry_cmp);
	return 0;
}

static bool entry_eq(const struct nentry *a, const struct nentry *b)
{
	return !strcmp(a->dst, b->dst) && !strcmp(a->dev, b->dev) &&
	       !strcmp(a->lladdr, b->lladdr) && !strcmp(a->state, b->state) &&
	       a->router == b->router;
}

bool ntable_equal(const struct ntable *a, const struct ntable *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (!entry_eq(&a->v[i], &b->v[i]))
			return false;
	return true;
}

void ntable_print(const struct ntable *t, const char *indent)
{
	if (!t->n) {
		printf("%s(no entries)\n", indent);
		return;
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct nentry *e = &t->v[i];

		printf("%s%s dev %s%s%s%s %s\n", indent, e->dst, e->dev, e->lladdr[0] ? " lladdr " : "",
		       e->lladdr, e->router ? " router" : "", e->state);
	}
}

void ntable_free(struct ntable *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}
