/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: the pin directory (default xn_pin_dir(): /sys/fs/bpf/xneigh/
 * net<netns inode>/), one file per map, named as the map (xn_neigh4, ...),
 * and the control program as DIR/xn_ctl (the CLI looks for it there first).
 * The daemon holds an flock on the directory while it runs: that is how a
 * second daemon in the same namespace knows the pins are alive. Pins left by
 * a daemon that exited with --keep (or was killed) are the maps a new daemon
 * adopts (xn_pins_open()) before it replaces them — if they are this
 * namespace's: the directory is named after the namespace's inode number,
 * which a new namespace can inherit from a dead one, so the pins carry the
 * namespace's cookie (xn_global.netns_cookie, user/lib/pins.h), stamped
 * before they are pinned, and xn_pins_check_owner() discards pins stamped
 * by another namespace. */
#ifndef XND_PINNING_H
#define XND_PINNING_H

#include <limits.h>
#include <stdbool.h>
#include <linux/types.h>

struct bpf_object;

struct xn_pins {
	char dir[PATH_MAX];
	int lock_fd;
	unsigned int npinned;
	bool ctl_pinned;		/* DIR/xn_ctl is ours */
	__u64 netns_cookie;		/* this namespace's (0: the kernel has none) */
};

#define XN_PIN_CTL_PROG		"xn_ctl"

/* mkdir -p (0700); refuse a directory (it, or /sys/fs/bpf/xneigh above the
 * default ones) of a user other than root and ours, or a symlink; close one
 * open to others (mode 0700); check it is on bpffs; take the lock (-EBUSY
 * with an error if a live daemon holds it). Pins of a dead daemon stay
 * until xn_pins_clear_stale(). */
int xn_pins_prepare(struct xn_pins *p, const char *dir);
/* Pins left in DIR by a daemon of another network namespace (their
 * xn_global is not stamped with this namespace's cookie) are removed, with
 * a warning, so that nothing of them is adopted — unless a program attached
 * to an interface of this namespace uses their maps: then -EBUSY, with an
 * error naming it, and nothing is removed. 0 when the pins (if any) are
 * this namespace's, or are gone now; also 0, unchecked, when the kernel
 * has no namespace cookies (before 5.14). */
int xn_pins_check_owner(struct xn_pins *p);
/* Open DIR/name, left by an earlier daemon: an fd, or -errno (-ENOENT). */
int xn_pins_open(const struct xn_pins *p, const char *name);
/* Remove every pin of a daemon that is gone. */
int xn_pins_clear_stale(struct xn_pins *p);
/* Stamp xn_global with this namespace's cookie, then pin every map of obj
 * as DIR/<map name> and the program xn_ctl as DIR/xn_ctl. */
int xn_pins_pin(struct xn_pins *p, struct bpf_object *obj);
/* Unpin, remove the directory, drop the lock (keep: leave the pins for the
 * next daemon and the CLI, drop only the lock). Safe at any stage. */
void xn_pins_release(struct xn_pins *p, struct bpf_object *obj, bool keep);

#endif /* XND_PINNING_H */
