/* SPDX-License-Identifier: GPL-2.0 */
/* Where xneighd pins its maps: XN_BPFFS/xneigh/net<inode>/<map name>, one
 * directory per network namespace (inode of /proc/self/ns/net), so a daemon
 * per namespace never sees another namespace's tables. */
#ifndef XN_PINS_H
#define XN_PINS_H

#include <stddef.h>

#define XN_BPFFS	"/sys/fs/bpf"
#define XN_PIN_ROOT	XN_BPFFS "/xneigh"

/* Fill buf with the pin directory of the current network namespace. 0 or -errno. */
int xn_pin_dir(char *buf, size_t len);
/* Mount bpffs on XN_BPFFS if it is not mounted (ip netns exec hides it). 0 or -errno. */
int xn_bpffs_ensure(void);

#endif /* XN_PINS_H */
