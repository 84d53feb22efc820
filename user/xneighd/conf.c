// SPDX-License-Identifier: GPL-2.0
/* xneighd: the configuration file and the layering of the neighbour
 * parameters (see conf.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include "conf.h"
#include "fmt.h"

/* A configuration file larger than this is refused rather than read. */
#define XN_CONF_MAX_FILE	(16u << 20)

/* ---- keys ---------------------------------------------------------------------- */

/* The per-device keys' fields, in XN_NEIGH_NUD_KEYS order, which enum
 * xn_conf_key follows (test_conf checks the names). */
static const struct {
	const char *name;
	size_t off;
} parm_fields[XN_CONF_NDEVKEYS] = {
#define XN_CONF_FIELD(file, field) { file, offsetof(struct xn_neigh_parms, field) },
	XN_NEIGH_NUD_KEYS(XN_CONF_FIELD)
#undef XN_CONF_FIELD
};

static const struct {
	const char *name;
	size_t off;
} thresh_fields[XN_CONF_NKEYS - XN_CONF_NDEVKEYS] = {
	{ "gc_thresh1", offsetof(struct xn_neigh_thresh, gc_thresh1) },
	{ "gc_thresh2", offsetof(struct xn_neigh_thresh, gc_thresh2) },
	{ "gc_thresh3", offsetof(struct xn_neigh_thresh, gc_thresh3) },
};

/* Every time is at most INT_MAX ms (about 24.8 days): in ms, in s and in
 * USER_HZ ticks that is the largest whole number that fits. The seconds
 * limit is also the kernel's own for those files at HZ=1000
 * (proc_dointvec_jiffies() refuses more than INT_MAX / HZ). */
#define XN_CONF_MAX_MS		INT_MAX
#define XN_CONF_MAX_S		(INT_MAX / 1000)
#define XN_CONF_MAX_TICKS	(INT_MAX / 10)

/* Every spelling the file and `conf set` accept: the kernel's file names.
 * scale: canonical units per unit of this spelling. */
static const struct conf_name {
	const char *name;
	unsigned int key;
	int scale;
	int max;			/* in this spelling's unit */
	const char *unit;		/* for messages; "" for counts */
} conf_names[] = {
	{ "base_reachable_time_ms", XN_CK_BASE_REACHABLE_TIME_MS, 1, XN_CONF_MAX_MS, "ms" },
	{ "base_reachable_time", XN_CK_BASE_REACHABLE_TIME_MS, 1000, XN_CONF_MAX_S, "s" },
	{ "retrans_time_ms", XN_CK_RETRANS_TIME_MS, 1, XN_CONF_MAX_MS, "ms" },
	/* neigh_proc_dointvec_userhz_jiffies(): 1/100 s */
	{ "retrans_time", XN_CK_RETRANS_TIME_MS, 10, XN_CONF_MAX_TICKS, "USER_HZ ticks" },
	{ "delay_first_probe_time", XN_CK_DELAY_FIRST_PROBE_TIME, 1, XN_CONF_MAX_S, "s" },
	{ "gc_stale_time", XN_CK_GC_STALE_TIME, 1, XN_CONF_MAX_S, "s" },
	{ "locktime", XN_CK_LOCKTIME, 1, XN_CONF_MAX_TICKS, "USER_HZ ticks" },
	{ "ucast_solicit", XN_CK_UCAST_SOLICIT, 1, INT_MAX, "" },
	{ "mcast_solicit", XN_CK_MCAST_SOLICIT, 1, INT_MAX, "" },
	{ "app_solicit", XN_CK_APP_SOLICIT, 1, INT_MAX, "" },
	{ "mcast_resolicit", XN_CK_MCAST_RESOLICIT, 1, INT_MAX, "" },
	{ "unres_qlen", XN_CK_UNRES_QLEN, 1, INT_MAX, "" },
	{ "gc_thresh1", XN_CK_GC_THRESH1, 1, INT_MAX, "" },
	{ "gc_thresh2", XN_CK_GC_THRESH2, 1, INT_MAX, "" },
	{ "gc_thresh3", XN_CK_GC_THRESH3, 1, INT_MAX, "" },
};
#define XN_CONF_NNAMES	(sizeof(conf_names) / sizeof(conf_names[0]))

const char *xn_conf_key_name(unsigned int key)
{
	if (key < XN_CONF_NDEVKEYS)
		return parm_fields[key].name;
	if (key < XN_CONF_NKEYS)
		return thresh_fields[key - XN_CONF_NDEVKEYS].name;
	return NULL;
}

const char *xn_conf_src_name(unsigned int src)
{
	static const char *const names[] = {
		[XN_CONF_SRC_BUILTIN] = "builtin",
		[XN_CONF_SRC_SYSCTL] = "sysctl",
		[XN_CONF_SRC_FILE] = "file",
		[XN_CONF_SRC_OVERRIDE] = "override",
	};

	return src < sizeof(names) / sizeof(names[0]) ? names[src] : NULL;
}

/* A word for a message: at most XN_TOK_MAX characters of it, control
 * bytes as \xHH (a message goes to a terminal or a log). buf holds
 * XN_TOK_BUFLEN bytes. */
static const char *quote(const char *w, char *buf)
{
	return xn_tok_str(w, buf);
}

static const struct conf_name *name_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < XN_CONF_NNAMES; i++)
		if (!strcmp(name, conf_names[i].name))
			return &conf_names[i];
	return NULL;
}

int xn_conf_parse_setting(const char *key, const char *value, unsigned int *key_out,
			  int *value_out, char *err, size_t errlen)
{
	const struct conf_name *cn = name_lookup(key);
	char q[XN_TOK_BUFLEN], unit[32] = "";
	const char *p = value;
	long long v;
	char *end;

	if (!cn) {
		snprintf(err, errlen, "unknown key '%s'", quote(key, q));
		return -ENOENT;
	}
	if (cn->unit[0])
		snprintf(unit, sizeof(unit), " (%s)", cn->unit);
	/* decimal digits, with a '-' only to say "negative" precisely */
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9' || p[strspn(p, "0123456789")]) {
		snprintf(err, errlen,
			 "invalid value '%s' for %s: expected an integer from 0 to %d%s",
			 quote(value, q), key, cn->max, unit);
		return -EINVAL;
	}
	errno = 0;
	v = strtoll(value, &end, 10);
	if (errno == ERANGE || v < 0 || v > cn->max) {
		snprintf(err, errlen, "value '%s' for %s is out of range: expected 0 to %d%s",
			 quote(value, q), key, cn->max, unit);
		return -ERANGE;
	}
	*key_out = cn->key;
	*value_out = (int)v * cn->scale;	/* max * scale fits by construction */
	return 0;
}

bool xn_conf_dev_valid(const char *dev)
{
	return !xn_ifname_invalid(dev);
}

/* ---- layers -------------------------------------------------------------------------- */

static bool is_default_dev(const char *dev)
{
	return !dev || !*dev || !strcmp(dev, "default");
}

static struct xn_conf_set *set_find(const struct xn_conf_layer *l, int family, const char *dev)
{
	size_t i;

	if (is_default_dev(dev))
		dev = "";
	for (i = 0; i < l->n; i++)
		if (l->v[i].family == family && !strcmp(l->v[i].dev, dev))
			return &l->v[i];
	return NULL;
}

static int families(int family, int out[2])
{
	if (family == AF_INET || family == AF_INET6) {
		out[0] = family;
		return 1;
	}
	out[0] = AF_INET;
	out[1] = AF_INET6;
	return 2;
}

int xn_conf_layer_set(struct xn_conf_layer *l, int family, const char *dev, unsigned int key,
		      int value)
{
	int fams[2], nf = families(family, fams), i;

	if (key >= XN_CONF_NKEYS)
		return -EINVAL;
	/* room for both first, so that a failure changes nothing */
	if (l->n + 2 > l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct xn_conf_set *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	for (i = 0; i < nf; i++) {
		struct xn_conf_set *s = set_find(l, fams[i], dev);

		if (!s) {
			s = &l->v[l->n++];
			memset(s, 0, sizeof(*s));
			s->family = fams[i];
			if (!is_default_dev(dev))
				snprintf(s->dev, sizeof(s->dev), "%s", dev);
		}
		s->has |= 1u << key;
		s->val[key] = value;
	}
	return 0;
}

int xn_conf_layer_unset(struct xn_conf_layer *l, int family, const char *dev, unsigned int key)
{
	int fams[2], nf = families(family, fams), i, removed = 0;

	if (key >= XN_CONF_NKEYS)
		return 0;
	for (i = 0; i < nf; i++) {
		struct xn_conf_set *s = set_find(l, fams[i], dev);

		if (!s || !(s->has & (1u << key)))
			continue;
		s->has &= ~(1u << key);
		removed++;
		if (!s->has)
			*s = l->v[--l->n];	/* order does not matter */
	}
	return removed;
}

size_t xn_conf_layer_count(const struct xn_conf_layer *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += (size_t)__builtin_popcount(l->v[i].has);
	return n;
}

void xn_conf_layer_free(struct xn_conf_layer *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void xn_conf_free(struct xn_conf *c)
{
	xn_conf_layer_free(&c->file);
	xn_conf_layer_free(&c->override);
}

/* ---- the file ---------------------------------------------------------------------- */

/* One line's words, each NUL-terminated in a copy of the line. */
#define XN_CONF_MAX_WORDS	8

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

int xn_conf_parse(const char *text, size_t len, const char *name, struct xn_conf_layer *out,
		  char *err, size_t errlen)
{
	const char *p = text, *endp = text + len;
	char *line = NULL, q[XN_TOK_BUFLEN], msg[256];
	size_t lineno = 0, linecap = 0;
	int ret = 0;

	while (p < endp && !ret) {
		const char *nl = memchr(p, '\n', (size_t)(endp - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(endp - p);
		char *w[XN_CONF_MAX_WORDS + 1];
		const char *dev = NULL, *fam_word = NULL;
		int family = AF_UNSPEC, nw = 0, i = 0;
		unsigned int key;
		int value;
		char *c;

		lineno++;
		if (memchr(p, '\0', ll)) {
			snprintf(err, errlen, "%s:%zu: a NUL byte: not a text file", name, lineno);
			ret = -EINVAL;
			break;
		}
		if (ll + 1 > linecap) {
			char *nb = realloc(line, ll + 1);

			if (!nb) {
				ret = -ENOMEM;
				break;
			}
			line = nb;
			linecap = ll + 1;
		}
		memcpy(line, p, ll);
		line[ll] = '\0';
		p = nl ? nl + 1 : endp;

		/* words, up to a '#' that starts one */
		for (c = line; *c;) {
			while (is_blank(*c))
				c++;
			if (!*c || *c == '#')
				break;
			if (nw == XN_CONF_MAX_WORDS + 1)
				break;
			w[nw++] = c;
			while (*c && !is_blank(*c))
				c++;
			if (*c)
				*c++ = '\0';
		}
		if (!nw)
			continue;

		/* [dev DEV] [inet|inet6], in either order, then KEY VALUE */
		for (i = 0; i < nw; i++) {
			if (!strcmp(w[i], "dev")) {
				if (dev) {
					snprintf(msg, sizeof(msg), "'dev' given twice");
					goto bad;
				}
				if (i + 1 == nw) {
					snprintf(msg, sizeof(msg), "'dev' needs a device name");
					goto bad;
				}
				dev = w[++i];
				if (!xn_conf_dev_valid(dev)) {
					snprintf(msg, sizeof(msg), "invalid device name '%s' "
						 "(1 to %d characters, no '/', ':' or blanks)",
						 quote(dev, q),
						 IF_NAMESIZE - 1);
					goto bad;
				}
			} else if (!strcmp(w[i], "inet") || !strcmp(w[i], "inet6")) {
				if (fam_word) {
					snprintf(msg, sizeof(msg),
						 "family given twice: '%s' after '%s'", w[i],
						 fam_word);
					goto bad;
				}
				fam_word = w[i];
				family = w[i][4] ? AF_INET6 : AF_INET;
			} else {
				break;
			}
		}
		if (i == nw) {
			snprintf(msg, sizeof(msg), "'%s' is not followed by KEY VALUE", w[nw - 1]);
			goto bad;
		}
		if (i + 1 == nw) {
			snprintf(msg, sizeof(msg), "'%s' needs a value",
				 quote(w[i], q));
			/* an unknown word here is more likely a bad key */
			if (!name_lookup(w[i]))
				snprintf(msg, sizeof(msg), "unknown key '%s'",
					 quote(w[i], q));
			goto bad;
		}
		if (xn_conf_parse_setting(w[i], w[i + 1], &key, &value, msg, sizeof(msg)))
			goto bad;
		if (i + 2 < nw) {
			snprintf(msg, sizeof(msg), "unexpected '%s' after '%s %s'",
				 quote(w[i + 2], q), w[i], w[i + 1]);
			goto bad;
		}
		if (xn_conf_key_global(key) && dev && !is_default_dev(dev)) {
			snprintf(msg, sizeof(msg), "%s is table-wide: it takes no 'dev %s'", w[i],
				 dev);
			goto bad;
		}
		ret = xn_conf_layer_set(out, family, dev, key, value);
		if (ret)
			snprintf(err, errlen, "%s:%zu: out of memory", name, lineno);
		continue;
bad:
		snprintf(err, errlen, "%s:%zu: %s", name, lineno, msg);
		ret = -EINVAL;
	}
	free(line);
	if (ret)
		xn_conf_layer_free(out);
	return ret;
}

int xn_conf_load(const char *path, struct xn_conf_layer *out, char *err, size_t errlen)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st)) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		snprintf(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if ((unsigned long long)st.st_size > XN_CONF_MAX_FILE) {
		ret = -EFBIG;
		snprintf(err, errlen, "%s: larger than %u bytes", path, XN_CONF_MAX_FILE);
		goto out;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		ret = -ENOMEM;
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	/* read to the end; a file that grew past its stat size is cut there */
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
			goto out;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	ret = xn_conf_parse(buf, got, path, out, err, errlen);
out:
	free(buf);
	close(fd);
	return ret;
}

/* ---- effective values ----------------------------------------------------------------- */

/* The sets that may hold (family, dev)'s values, strongest first: the
 * override layer's for dev, for every device, then the file's. */
struct candidates {
	const struct xn_conf_set *s[4];
	unsigned int src[4];
	int n;
};

static void candidates(const struct xn_conf *c, int family, const char *dev,
		       struct candidates *cd)
{
	const struct xn_conf_layer *layers[2] = { &c->override, &c->file };
	const unsigned int srcs[2] = { XN_CONF_SRC_OVERRIDE, XN_CONF_SRC_FILE };
	int i;

	cd->n = 0;
	for (i = 0; i < 2; i++) {
		const struct xn_conf_set *s;

		if (!is_default_dev(dev)) {
			s = set_find(layers[i], family, dev);
			if (s) {
				cd->s[cd->n] = s;
				cd->src[cd->n++] = srcs[i];
			}
		}
		s = set_find(layers[i], family, "");
		if (s) {
			cd->s[cd->n] = s;
			cd->src[cd->n++] = srcs[i];
		}
	}
}

/* The layered value of key, if any layer above sysctl has one. */
static bool layered(const struct candidates *cd, unsigned int key, struct xn_conf_value *v)
{
	int i;

	for (i = 0; i < cd->n; i++) {
		if (cd->s[i]->has & (1u << key)) {
			v->value = cd->s[i]->val[key];
			v->src = cd->src[i];
			return true;
		}
	}
	return false;
}

static int *parm_field(struct xn_neigh_parms *p, unsigned int key)
{
	return (int *)((char *)p + parm_fields[key].off);
}

static int *thresh_field(struct xn_neigh_thresh *t, unsigned int key)
{
	return (int *)((char *)t + thresh_fields[key - XN_CONF_NDEVKEYS].off);
}

void xn_conf_resolve(const struct xn_conf *c, int family, const char *dev,
		     const struct xn_neigh_parms *sys, bool sys_read,
		     const struct xn_neigh_thresh *th, bool th_read,
		     struct xn_conf_value out[XN_CONF_NKEYS])
{
	struct xn_neigh_parms p = *sys;
	struct xn_neigh_thresh t = *th;
	struct candidates cd, cdflt;
	unsigned int k;

	candidates(c, family, dev, &cd);
	candidates(c, family, NULL, &cdflt);
	for (k = 0; k < XN_CONF_NKEYS; k++) {
		bool global = xn_conf_key_global(k);

		if (layered(global ? &cdflt : &cd, k, &out[k]))
			continue;
		out[k].value = global ? *thresh_field(&t, k) : *parm_field(&p, k);
		out[k].src = (global ? th_read : sys_read) ? XN_CONF_SRC_SYSCTL :
			     XN_CONF_SRC_BUILTIN;
	}
}

void xn_conf_apply_parms(const struct xn_conf *c, int family, const char *dev,
			 struct xn_neigh_parms *p)
{
	struct candidates cd;
	struct xn_conf_value v;
	unsigned int k;

	if (!c)
		return;
	candidates(c, family, dev, &cd);
	if (!cd.n)
		return;
	for (k = 0; k < XN_CONF_NDEVKEYS; k++)
		if (layered(&cd, k, &v))
			*parm_field(p, k) = v.value;
}

void xn_conf_apply_thresh(const struct xn_conf *c, int family, struct xn_neigh_thresh *t)
{
	struct candidates cd;
	struct xn_conf_value v;
	unsigned int k;

	if (!c)
		return;
	candidates(c, family, NULL, &cd);
	for (k = XN_CONF_NDEVKEYS; k < XN_CONF_NKEYS; k++)
		if (layered(&cd, k, &v))
			*thresh_field(t, k) = v.value;
}

/* ---- the control socket's operations ------------------------------------------------ */

XN_STATIC_ASSERT(XN_CONF_NKEYS <= XND_CTL_CONF_MAX_KEYS, "a CONF_GET reply holds every key");
XN_STATIC_ASSERT(XN_CONF_KEYLEN <= sizeof(((struct xnd_ctl_conf_key *)0)->key),
		 "every key name fits the reply");

/* A request's string field: NUL-terminated inside it. */
static bool field_ok(const char *f, size_t size)
{
	return memchr(f, '\0', size) != NULL;
}

/* dev of a request: NULL for the default set, else a device of the model.
 * 0 or -EINVAL / -ENODEV with msg. */
static int ctl_dev(const struct xn_model *m, const char *dev, size_t size,
		   const struct xn_link_rec **link, char *msg, size_t msglen)
{
	char q[XN_TOK_BUFLEN];
	size_t i;

	*link = NULL;
	if (!field_ok(dev, size)) {
		snprintf(msg, msglen, "malformed request: device name not terminated");
		return -EINVAL;
	}
	if (is_default_dev(dev))
		return 0;
	if (!xn_conf_dev_valid(dev)) {
		snprintf(msg, msglen, "invalid device name '%s'", quote(dev, q));
		return -EINVAL;
	}
	for (i = 0; i < m->links.n; i++) {
		if (!strcmp(m->links.v[i].name, dev)) {
			*link = &m->links.v[i];
			return 0;
		}
	}
	snprintf(msg, msglen, "unknown device '%s'", dev);
	return -ENODEV;
}

int xn_conf_ctl_get(const struct xn_conf *c, const struct xn_model *m, int family,
		    const char *dev, struct xnd_ctl_conf *hdr,
		    struct xnd_ctl_conf_key keys[XN_CONF_NKEYS], char *msg, size_t msglen)
{
	bool v6 = family == AF_INET6, dflt_read;
	struct xn_conf_value out[XN_CONF_NKEYS];
	const struct xn_link_rec *l;
	unsigned int k;
	int err;

	if (family != AF_INET && family != AF_INET6) {
		snprintf(msg, msglen, "family %d: expected inet or inet6", family);
		return -EAFNOSUPPORT;
	}
	err = ctl_dev(m, dev, IF_NAMESIZE, &l, msg, msglen);
	if (err)
		return err;
	/* A device's set was read from /proc when it has that family's
	 * state (sync.c keeps the kernel's defaults otherwise); neigh/default
	 * and gc_thresh* come from one directory, read together. */
	dflt_read = v6 ? m->dflt_neigh6_read : m->dflt_neigh_read;
	if (l)
		xn_conf_resolve(c, family, l->name, v6 ? &l->neigh6 : &l->neigh,
				v6 ? l->ipv6 : l->ipv4, v6 ? &m->thresh6 : &m->thresh4, dflt_read,
				out);
	else
		xn_conf_resolve(c, family, NULL, v6 ? &m->dflt_neigh6 : &m->dflt_neigh, dflt_read,
				v6 ? &m->thresh6 : &m->thresh4, dflt_read, out);
	memset(hdr, 0, sizeof(*hdr));
	hdr->family = (__u32)family;
	hdr->nkeys = XN_CONF_NKEYS;
	if (l)
		snprintf(hdr->dev, sizeof(hdr->dev), "%s", l->name);
	for (k = 0; k < XN_CONF_NKEYS; k++) {
		memset(&keys[k], 0, sizeof(keys[k]));
		snprintf(keys[k].key, sizeof(keys[k].key), "%s", xn_conf_key_name(k));
		snprintf(keys[k].source, sizeof(keys[k].source), "%s",
			 xn_conf_src_name(out[k].src));
		keys[k].value = out[k].value;
	}
	return 0;
}

int xn_conf_ctl_set(struct xn_conf *c, const struct xn_model *m, int family,
		    const struct xnd_ctl_conf_req *req, bool unset, char *msg, size_t msglen)
{
	const struct xn_link_rec *l;
	char q[XN_TOK_BUFLEN];
	unsigned int key;
	int value = 0, err;

	if (family != AF_INET && family != AF_INET6 && family != AF_UNSPEC) {
		snprintf(msg, msglen, "family %d: expected inet, inet6 or both", family);
		return -EAFNOSUPPORT;
	}
	if (!field_ok(req->key, sizeof(req->key)) || !field_ok(req->value, sizeof(req->value))) {
		snprintf(msg, msglen, "malformed request: key or value not terminated");
		return -EINVAL;
	}
	/* the key first: "unknown key" is the likelier mistake than the device */
	if (unset) {
		const struct conf_name *cn = name_lookup(req->key);

		if (!cn) {
			snprintf(msg, msglen, "unknown key '%s'",
				 quote(req->key, q));
			return -ENOENT;
		}
		key = cn->key;
	} else {
		err = xn_conf_parse_setting(req->key, req->value, &key, &value, msg, msglen);
		if (err)
			return err;
	}
	err = ctl_dev(m, req->dev, sizeof(req->dev), &l, msg, msglen);
	if (err)
		return err;
	if (xn_conf_key_global(key) && l) {
		snprintf(msg, msglen, "%s is table-wide: it takes no 'dev %s'", req->key, l->name);
		return -EINVAL;
	}
	if (unset) {
		xn_conf_layer_unset(&c->override, family, l ? l->name : NULL, key);
		return 0;
	}
	err = xn_conf_layer_set(&c->override, family, l ? l->name : NULL, key, value);
	if (err)
		snprintf(msg, msglen, "out of memory");
	return err;
}
