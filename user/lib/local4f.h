/* SPDX-License-Identifier: GPL-2.0 */
/* xn_local4_filt from the keys of xn_local4 (struct xn_local4_filter in
 * include/xneigh/maps.h). Shared by xneighd's sync and the unit lab, so the
 * data plane is tested with the filter xneighd writes. Header-only: the
 * fuzzer links the lab without user/lib. */
#ifndef XN_LOCAL4F_H
#define XN_LOCAL4F_H

#include <errno.h>
#include <stddef.h>
#include <bpf/bpf.h>
#include "xneigh/maps.h"

static inline void xn_local4f_add(struct xn_local4_filter *f, __be32 a)
{
	__u32 bit = xn_local4f_bit(a);

	f->bits[bit / 64] |= 1ULL << (bit % 64);
}

/* Write the filter of the keys now in xn_local4 plus `extra` (n_extra
 * addresses about to be added: a writer passes them before it adds them, so
 * the filter never misses a key the map holds), valid. One map write: the
 * data plane sees the old filter or the new one. 0 or -errno; after a failure
 * the filter is marked invalid if that write can still be made (every
 * address is then looked up, which is correct, only slower). */
static inline int xn_local4f_sync(int local4_fd, int filter_fd, const __be32 *extra,
				  size_t n_extra)
{
	struct xn_local4_filter f = { .valid = 1 };
	__be32 key, next;
	const __be32 *prev = NULL;
	__u32 slot = 0;
	size_t i;
	int err;

	while (!(err = bpf_map_get_next_key(local4_fd, prev, &next))) {
		xn_local4f_add(&f, next);
		key = next;
		prev = &key;
	}
	if (err == -ENOENT) {
		for (i = 0; i < n_extra; i++)
			xn_local4f_add(&f, extra[i]);
		if (!bpf_map_update_elem(filter_fd, &slot, &f, BPF_ANY))
			return 0;
		err = -errno;
	}
	f = (struct xn_local4_filter){ .valid = 0 };
	bpf_map_update_elem(filter_fd, &slot, &f, BPF_ANY);
	return err;
}

/* Mark the filter invalid: for writers of xn_local4 that do not keep it. */
static inline int xn_local4f_invalidate(int filter_fd)
{
	struct xn_local4_filter f = { .valid = 0 };
	__u32 slot = 0;

	return bpf_map_update_elem(filter_fd, &slot, &f, BPF_ANY) ? -errno : 0;
}

#endif /* XN_LOCAL4F_H */
