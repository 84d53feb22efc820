// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include "pins.h"

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
