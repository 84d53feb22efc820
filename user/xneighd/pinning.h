/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: the pin directory (default xn_pin_dir(): /sys/fs/bpf/xneigh/
 * net<netns inode>/), one file per map, named as the map (xn_neigh4, ...),
 * and the control program as DIR/xn_ctl (the CLI looks for it there first).
 * The daemon holds an flock on the directory while it runs: that is how a
 * second daemon in the same namespace knows the pins are alive. Pins left by
 * a daemon that exited with --keep (or was killed) are the maps a new daemon
 * adopts (xn_pins_open()) before it replaces them. */
#ifndef XND_PINNING_H
#define XND_PINNING_H

#include <limits.h>
#include <stdbool.h>

struct bpf_object;

struct xn_pins {
	char dir[PATH_MAX];
	int lock_fd;
	unsigned int npinned;
	bool ctl_pinned;		/* DIR/xn_ctl is ours */
};

#define XN_PIN_CTL_PROG		"xn_ctl"

/* mkdir -p (0700), check it is on bpffs, take the lock (-EBUSY with an
 * error if a live daemon holds it). Pins of a dead daemon stay until
 * xn_pins_clear_stale(). */
int xn_pins_prepare(struct xn_pins *p, const char *dir);
/* Open DIR/name, left by an earlier daemon: an fd, or -errno (-ENOENT). */
int xn_pins_open(const struct xn_pins *p, const char *name);
/* Remove every pin of a daemon that is gone. */
int xn_pins_clear_stale(struct xn_pins *p);
/* Pin every map of obj as DIR/<map name> and the program xn_ctl as
 * DIR/xn_ctl. */
int xn_pins_pin(struct xn_pins *p, struct bpf_object *obj);
/* Unpin, remove the directory, drop the lock (keep: leave the pins for the
 * next daemon and the CLI, drop only the lock). Safe at any stage. */
void xn_pins_release(struct xn_pins *p, struct bpf_object *obj, bool keep);

#endif /* XND_PINNING_H */
