/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd: the pin directory (default xn_pin_dir(): /sys/fs/bpf/xneigh/
 * net<netns inode>/), one file per map, named as the map (xn_neigh4, ...).
 * The daemon holds an flock on the directory while it runs: that is how a
 * second daemon in the same namespace knows the pins are alive. */
#ifndef XND_PINNING_H
#define XND_PINNING_H

#include <limits.h>
#include <stdbool.h>

struct bpf_object;

struct xn_pins {
	char dir[PATH_MAX];
	int lock_fd;
	unsigned int npinned;
};

/* mkdir -p (0700), check it is on bpffs, take the lock (-EBUSY with an
 * error if a live daemon holds it), remove stale pins of a dead one. */
int xn_pins_prepare(struct xn_pins *p, const char *dir);
/* Pin every map of obj as DIR/<map name>. */
int xn_pins_pin(struct xn_pins *p, struct bpf_object *obj);
/* Unpin, remove the directory, drop the lock. Safe to call at any stage. */
void xn_pins_release(struct xn_pins *p, struct bpf_object *obj);

#endif /* XND_PINNING_H */
