// SPDX-License-Identifier: GPL-2.0
/* xneighd: /proc/sys readers and the all/dev combination of spec §1.3. */
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "log.h"
#include "sysctl.h"

void xn_ipv4_conf_defaults(struct xn_ipv4_conf *c)
{
#define XN_CONF_DFLT(name, how, dflt) c->name = (dflt);
	XN_CONF_KEYS(XN_CONF_DFLT)
#undef XN_CONF_DFLT
}

void xn_ipv6_conf_defaults(struct xn_ipv6_conf *c)
{
#define XN_CONF6_DFLT(name, dflt) c->name = (dflt);
	XN_CONF6_KEYS(XN_CONF6_DFLT)
#undef XN_CONF6_DFLT
}

/* arp_tbl's and nd_tbl's defaults (net/ipv4/arp.c, net/ipv6/ndisc.c; spec
 * §1.4), in /proc units: they differ only in locktime, which ndisc sets to 0. */
void xn_neigh_parms_defaults(struct xn_neigh_parms *p, int family)
{
	p->locktime = family == AF_INET6 ? 0 : XN_DEFAULT_LOCKTIME_MS / 10;
	p->base_reachable_ms = XN_DEFAULT_BASE_REACHABLE_MS;
	p->proxy_delay = XN_DEFAULT_PROXY_DELAY_MS / 10;
	p->retrans_ms = 1000;
	p->delay_first_probe = 5;
	p->gc_stale = 60;
	p->ucast_solicit = 3;
	p->mcast_solicit = 3;
	p->app_solicit = 0;
	p->mcast_resolicit = 0;
	p->unres_qlen = 101;
}

void xn_neigh_thresh_defaults(struct xn_neigh_thresh *t)
{
	t->gc_thresh1 = 128;
	t->gc_thresh2 = 512;
	t->gc_thresh3 = 1024;
}

int xn_parse_int(const char *s, int *out)
{
	char *end;
	long v;

	/* strtol() would also skip leading blanks: not in a strict parse. */
	if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == '+'))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s)
		return -EINVAL;
	if (*end == '\n')
		end++;
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v < INT_MIN || v > INT_MAX)
		return -ERANGE;
	*out = (int)v;
	return 0;
}

int xn_sysctl_read_int(const char *path, int *val)
{
	char buf[64];
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	err = n < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	buf[n] = '\0';
	err = xn_parse_int(buf, val);
	if (err) {
		buf[strcspn(buf, "\n")] = '\0';
		pr_warn("%s: not an integer: '%s'\n", path, buf);
	}
	return err;
}

/* Read DIR/KEY into *val; a missing key (older kernel) or an unparsable value
 * leaves *val as it is. Returns -ENOENT only when DIR itself is gone. */
static int read_key(const char *dir, const char *key, int *val)
{
	char path[PATH_MAX];
	int err, v;

	if (snprintf(path, sizeof(path), "%s/%s", dir, key) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	err = xn_sysctl_read_int(path, &v);
	if (!err) {
		*val = v;
		return 0;
	}
	if (err == -ENOENT && access(dir, F_OK))
		return -ENOENT;
	if (err != -ENOENT && err != -EINVAL && err != -ERANGE)
		pr_warn("cannot read %s: %s\n", path, strerror(-err));
	return 0;
}

int xn_sysctl_read_conf(const char *dev, struct xn_ipv4_conf *c)
{
	char dir[PATH_MAX];
	int err;

	if (snprintf(dir, sizeof(dir), "%s/%s", XN_PROC_CONF, dev) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
#define XN_CONF_READ(name, how, dflt)			\
	err = read_key(dir, #name, &c->name);		\
	if (err)					\
		return err;
	XN_CONF_KEYS(XN_CONF_READ)
#undef XN_CONF_READ
	return 0;
}

int xn_sysctl_read_conf6(const char *dev, struct xn_ipv6_conf *c)
{
	char dir[PATH_MAX];
	int err;

	if (snprintf(dir, sizeof(dir), "%s/%s", XN_PROC_CONF6, dev) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
#define XN_CONF6_READ(name, dflt)			\
	err = read_key(dir, #name, &c->name);		\
	if (err)					\
		return err;
	XN_CONF6_KEYS(XN_CONF6_READ)
#undef XN_CONF6_READ
	return 0;
}

int xn_sysctl_read_neigh(int family, const char *dev, struct xn_neigh_parms *p)
{
	const char *base = family == AF_INET6 ? XN_PROC_NEIGH6 : XN_PROC_NEIGH;
	char dir[PATH_MAX];
	int err;

	if (snprintf(dir, sizeof(dir), "%s/%s", base, dev) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	err = read_key(dir, "proxy_delay", &p->proxy_delay);
#define XN_NEIGH_READ(file, field)				\
	if (!err)						\
		err = read_key(dir, file, &p->field);
	XN_NEIGH_NUD_KEYS(XN_NEIGH_READ)
#undef XN_NEIGH_READ
	return err;
}

int xn_sysctl_read_thresh(int family, struct xn_neigh_thresh *t)
{
	const char *base = family == AF_INET6 ? XN_PROC_NEIGH6 : XN_PROC_NEIGH;
	char dir[PATH_MAX];
	int err;

	if (snprintf(dir, sizeof(dir), "%s/default", base) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	err = read_key(dir, "gc_thresh1", &t->gc_thresh1);
	if (!err)
		err = read_key(dir, "gc_thresh2", &t->gc_thresh2);
	if (!err)
		err = read_key(dir, "gc_thresh3", &t->gc_thresh3);
	return err;
}

static bool dir_exists(const char *base, const char *dev)
{
	char dir[PATH_MAX];

	if (snprintf(dir, sizeof(dir), "%s/%s", base, dev) >= (int)sizeof(dir))
		return false;
	return access(dir, F_OK) == 0;
}

bool xn_sysctl_has_ipv4(const char *dev)
{
	return dir_exists(XN_PROC_CONF, dev);
}

bool xn_sysctl_has_ipv6(const char *dev)
{
	return dir_exists(XN_PROC_CONF6, dev);
}

/* The ways include/linux/inetdevice.h combines all/ and DEV/ (see
 * XN_CONF_KEYS). */
static inline int combine_MAX(int all, int dev)  { return all > dev ? all : dev; }
static inline int combine_OR(int all, int dev)   { return all || dev; }
static inline int combine_AND(int all, int dev)  { return all && dev; }
static inline int combine_DEV(int all, int dev)  { (void)all; return dev; }
static inline int combine_DEVB(int all, int dev) { (void)all; return !!dev; }

/* max(all, dev) for rp_filter's __u8. fib_validate_source() knows three
 * cases: 0 off, exactly 1 strict, any other value (negative ones and 2, 3,
 * 257... included) loose. 0 and 1 are kept, everything else becomes 2, so a
 * truncated 257 cannot turn into strict mode. */
static inline int combine_RPF(int all, int dev)
{
	int v = combine_MAX(all, dev);

	return v == 0 || v == 1 ? v : 2;
}

/* USER_HZ ticks (1/100 s, what /proc shows for jiffies values) to ms,
 * clamped to the __u32 the data plane reads. */
static __u32 ticks_to_ms(int ticks)
{
	if (ticks <= 0)
		return 0;
	if ((unsigned long long)ticks * 10 > UINT32_MAX)
		return UINT32_MAX;
	return (__u32)ticks * 10;
}

void xn_sysctl_combine(const struct xn_ipv4_conf *all, const struct xn_ipv4_conf *dev,
		       const struct xn_neigh_parms *np, struct xn_ifconf *out)
{
#define XN_CONF_COMBINE(name, how, dflt) out->name = combine_##how(all->name, dev->name);
	XN_CONF_KEYS(XN_CONF_COMBINE)
#undef XN_CONF_COMBINE
	out->locktime_ms = ticks_to_ms(np->locktime);
	out->base_reachable_ms = np->base_reachable_ms > 0 ? (__u32)np->base_reachable_ms : 0;
	out->proxy_delay_ms = ticks_to_ms(np->proxy_delay);
	out->reserved = 0;
}

/* accept_untracked_na into a __u8: accept_untracked_na() in ndisc.c switches
 * on 0, 1 and 2 and treats every other value like 0 (the sysctl's range
 * check keeps them out anyway). */
static __u8 untracked_na_u8(int v)
{
	return v >= 0 && v <= 2 ? (__u8)v : 0;
}

/* ndisc_tclass is range-checked to 0..255 by its sysctl handler. */
static __u8 tclass_u8(int v)
{
	return v >= 0 && v <= 255 ? (__u8)v : 0;
}

void xn_sysctl_combine6(const struct xn_ipv6_conf *all, const struct xn_ipv6_conf *dev,
			const struct xn_neigh_parms *np, struct xn_ifconf *out)
{
	/* Spec §1.3, as ndisc.c reads them; every one of these is consumed as
	 * a truth value except accept_untracked_na and ndisc_tclass. */
	out->forwarding6 = !!dev->forwarding;		/* idev->cnf.forwarding */
	out->proxy_ndp = all->proxy_ndp || dev->proxy_ndp;
	out->drop_unsolicited_na = !!dev->drop_unsolicited_na;
	out->accept_untracked_na = untracked_na_u8(dev->accept_untracked_na);
	out->force_tllao = !!dev->force_tllao;
	out->ndisc_notify = all->ndisc_notify || dev->ndisc_notify;
	out->ndisc_evict_nocarrier = all->ndisc_evict_nocarrier && dev->ndisc_evict_nocarrier;
	out->ndisc_tclass = tclass_u8(dev->ndisc_tclass);
	/* ND-NA9 reads the all/ values themselves. */
	out->all_forwarding6 = !!all->forwarding;
	out->all_proxy_ndp = !!all->proxy_ndp;
	out->pad6 = 0;
	out->base_reachable6_ms = np->base_reachable_ms > 0 ? (__u32)np->base_reachable_ms : 0;
	out->proxy_delay6_ms = ticks_to_ms(np->proxy_delay);
}
