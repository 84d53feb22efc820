// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include "xneigh/maps.h"
#include "pins.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE	71		/* asm-generic/socket.h, Linux 5.14 */
#endif

int xn_pin_dir(char *buf, size_t len)
{
	struct stat st;
	int n;

	if (stat("/proc/self/ns/net", &st))
		return -errno;
	n = snprintf(buf, len, "%s/net%lu", XN_PIN_ROOT, (unsigned long)st.st_ino);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

int xn_bpffs_ensure(void)
{
	struct statfs fs;

	if (statfs(XN_BPFFS, &fs) == 0 && fs.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", XN_BPFFS, "bpf", 0, "mode=0700"))
		return -errno;
	return 0;
}

int xn_netns_cookie(__u64 *cookie)
{
	socklen_t len = sizeof(*cookie);
	int fd, err = 0;

	/* any socket answers with the cookie of the namespace it lives in:
	 * the one it was created in, ours */
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len))
		err = -errno;
	else if (len != sizeof(*cookie))
		err = -EINVAL;
	close(fd);
	return err;
}

int xn_global_cookie(int global_fd, __u64 *cookie)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), key = 0;
	struct xn_global g;
	int err;

	if (bpf_obj_get_info_by_fd(global_fd, &info, &len))
		return -errno;
	if (info.type != BPF_MAP_TYPE_ARRAY || info.key_size != sizeof(key) ||
	    info.value_size != sizeof(g))
		return -EPROTO;		/* another build's layout: no stamp to read */
	/* libbpf >= 1.0: -errno */
	err = bpf_map_lookup_elem(global_fd, &key, &g);
	if (err)
		return err;
	*cookie = g.netns_cookie;
	return 0;
}

enum xn_owner xn_owner_of(__u64 ours, __u64 stamp)
{
	if (!ours)
		return XN_OWNER_UNKNOWN;
	if (stamp == ours)
		return XN_OWNER_THIS_NETNS;
	return stamp ? XN_OWNER_OTHER_NETNS : XN_OWNER_UNSTAMPED;
}

const char *xn_owner_str(enum xn_owner o)
{
	switch (o) {
	case XN_OWNER_UNKNOWN:		return "unverifiable (no netns cookies before Linux 5.14)";
	case XN_OWNER_THIS_NETNS:	return "this network namespace";
	case XN_OWNER_UNSTAMPED:	return "no namespace (never stamped by an xneighd)";
	case XN_OWNER_OTHER_NETNS:	return "another network namespace";
	}
	return "?";
}
