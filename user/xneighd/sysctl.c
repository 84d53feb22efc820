// SPDX-License-Identifier: GPL-2.0
/* xneighd: /proc/sys readers and the all/dev combination of spec §1.3. */
#include <errno.h>
#include <fcntl.h>
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

/* arp_tbl's defaults (net/ipv4/arp.c), in /proc units. */
void xn_neigh_parms_defaults(struct xn_neigh_parms *p)
{
	p->locktime = XN_DEFAULT_LOCKTIME_MS / 10;
	p->base_reachable_ms = XN_DEFAULT_BASE_REACHABLE_MS;
	p->proxy_delay = XN_DEFAULT_PROXY_DELAY_MS / 10;
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

int xn_sysctl_read_neigh(const char *dev, struct xn_neigh_parms *p)
{
	char dir[PATH_MAX];
	int err;

	if (snprintf(dir, sizeof(dir), "%s/%s", XN_PROC_NEIGH, dev) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	err = read_key(dir, "locktime", &p->locktime);
	if (!err)
		err = read_key(dir, "base_reachable_time_ms", &p->base_reachable_ms);
	if (!err)
		err = read_key(dir, "proxy_delay", &p->proxy_delay);
	return err;
}

bool xn_sysctl_has_ipv4(const char *dev)
{
	char dir[PATH_MAX];

	if (snprintf(dir, sizeof(dir), "%s/%s", XN_PROC_CONF, dev) >= (int)sizeof(dir))
		return false;
	return access(dir, F_OK) == 0;
}

/* The four ways include/linux/inetdevice.h combines all/ and DEV/. */
static inline int combine_MAX(int all, int dev) { return all > dev ? all : dev; }
static inline int combine_OR(int all, int dev)  { return all || dev; }
static inline int combine_AND(int all, int dev) { return all && dev; }
static inline int combine_DEV(int all, int dev) { (void)all; return dev; }

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
