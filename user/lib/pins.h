/* SPDX-License-Identifier: GPL-2.0 */
/* Where xneighd pins its maps: XN_BPFFS/xneigh/net<inode>/<map name>, one
 * directory per network namespace (inode of /proc/self/ns/net), so a daemon
 * per namespace never sees another namespace's tables.
 *
 * An inode number names a namespace only while it lives: the kernel gives
 * the number of a namespace that is gone to the next one. Pins left by a
 * dead namespace's daemon (--keep, or killed) then sit under a live
 * namespace's name. So the pins also carry the namespace's identity, its
 * cookie (SO_NETNS_COOKIE, Linux 5.14+, never reused while the machine
 * runs), in xn_global.netns_cookie: xneighd stamps it before pinning, and
 * pins whose stamp is not the reader's cookie are not used. */
#ifndef XN_PINS_H
#define XN_PINS_H

#include <stddef.h>
#include "xneigh/types.h"

#define XN_BPFFS	"/sys/fs/bpf"
#define XN_PIN_ROOT	XN_BPFFS "/xneigh"

/* Fill buf with the pin directory of the current network namespace. 0 or -errno. */
int xn_pin_dir(char *buf, size_t len);
/* Mount bpffs on XN_BPFFS if it is not mounted (ip netns exec hides it). 0 or -errno. */
int xn_bpffs_ensure(void);

/* The cookie of the current network namespace. 0 or -errno (-ENOPROTOOPT
 * before Linux 5.14). */
int xn_netns_cookie(__u64 *cookie);
/* xn_global.netns_cookie of the xn_global map behind fd. 0 or -errno. */
int xn_global_cookie(int global_fd, __u64 *cookie);

/* Whose maps are stamped `stamp`, seen from a namespace whose cookie is
 * `ours` (0: the kernel cannot tell, before 5.14). */
enum xn_owner {
	XN_OWNER_UNKNOWN,		/* ours is 0: no way to tell */
	XN_OWNER_THIS_NETNS,		/* stamp == ours */
	XN_OWNER_UNSTAMPED,		/* stamp 0: no xneighd stamped them (a copy
					 * loaded by ip or tc), or another build */
	XN_OWNER_OTHER_NETNS,		/* another namespace's */
};
enum xn_owner xn_owner_of(__u64 ours, __u64 stamp);
const char *xn_owner_str(enum xn_owner o);

#endif /* XN_PINS_H */
