// SPDX-License-Identifier: GPL-2.0
/* xneighd: pinning the maps, one daemon per network namespace. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "log.h"
#include "pinning.h"

/* mkdir -p with mode 0700 for what it creates. */
static int mkdir_p(const char *dir)
{
	char path[PATH_MAX];
	size_t i, len = strlen(dir);

	if (len >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, dir, len + 1);
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0700) && errno != EEXIST)
			return -errno;
		path[i] = dir[i];
	}
	return 0;
}

/* Remove every entry of the directory (pins of a daemon that is gone). */
static int remove_stale(const char *dir, int dfd)
{
	struct dirent *de;
	unsigned int n = 0;
	DIR *d;
	int fd, err = 0;

	fd = dup(dfd);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		err = -errno;
		close(fd);
		return err;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (unlinkat(dfd, de->d_name, 0) && unlinkat(dfd, de->d_name, AT_REMOVEDIR)) {
			err = -errno;
			pr_warn("cannot remove stale pin %s/%s: %s\n", dir, de->d_name,
				strerror(-err));
			break;
		}
		n++;
	}
	closedir(d);
	if (n)
		pr_info("replaced %u stale pin%s in %s left by an xneighd that is gone\n", n,
			n == 1 ? "" : "s", dir);
	return err;
}

int xn_pins_prepare(struct xn_pins *p, const char *dir)
{
	struct statfs fs;
	int err;

	memset(p, 0, sizeof(*p));
	p->lock_fd = -1;
	if (snprintf(p->dir, sizeof(p->dir), "%s", dir) >= (int)sizeof(p->dir))
		return -ENAMETOOLONG;

	err = mkdir_p(p->dir);
	if (err) {
		pr_warn("cannot create pin directory %s: %s\n", p->dir, strerror(-err));
		return err;
	}
	if (statfs(p->dir, &fs) || fs.f_type != BPF_FS_MAGIC) {
		pr_warn("pin directory %s is not on a bpf filesystem (mount -t bpf bpf DIR)\n",
			p->dir);
		return -EINVAL;
	}
	p->lock_fd = open(p->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->lock_fd < 0) {
		err = -errno;
		pr_warn("cannot open pin directory %s: %s\n", p->dir, strerror(-err));
		return err;
	}
	if (flock(p->lock_fd, LOCK_EX | LOCK_NB)) {
		err = -errno;
		close(p->lock_fd);
		p->lock_fd = -1;
		if (err == -EWOULDBLOCK) {
			pr_warn("another xneighd is running in this network namespace "
				"(it holds %s): only one may run per namespace\n", p->dir);
			return -EBUSY;
		}
		pr_warn("cannot lock pin directory %s: %s\n", p->dir, strerror(-err));
		return err;
	}
	return 0;
}

int xn_pins_open(const struct xn_pins *p, const char *name)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", p->dir, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	/* libbpf >= 1.0: -errno */
	return bpf_obj_get(path);
}

int xn_pins_clear_stale(struct xn_pins *p)
{
	if (p->lock_fd < 0)
		return -EBADF;
	return remove_stale(p->dir, p->lock_fd);
}

/* DIR/name into path; -ENAMETOOLONG. */
static int pin_path(const struct xn_pins *p, const char *name, char *path, size_t len)
{
	return snprintf(path, len, "%s/%s", p->dir, name) >= (int)len ? -ENAMETOOLONG : 0;
}

int xn_pins_pin(struct xn_pins *p, struct bpf_object *obj)
{
	char path[PATH_MAX];
	struct bpf_program *prog;
	struct bpf_map *map;
	int err;

	bpf_object__for_each_map(map, obj) {
		/* libbpf's own maps (xneigh.rodata, ...) are not part of
		 * the interface, and bpffs refuses dots in names anyway. */
		if (bpf_map__is_internal(map))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", p->dir, bpf_map__name(map)) >=
		    (int)sizeof(path))
			return -ENAMETOOLONG;
		err = bpf_map__pin(map, path);
		if (err) {
			pr_warn("cannot pin map %s at %s: %s\n", bpf_map__name(map), path,
				strerror(-err));
			return err;
		}
		p->npinned++;
	}
	/* the control program is attached nowhere: without a pin only a walk
	 * of every loaded program finds it (user/lib/ctl.h) */
	prog = bpf_object__find_program_by_name(obj, XN_PIN_CTL_PROG);
	if (!prog)
		return 0;
	err = pin_path(p, XN_PIN_CTL_PROG, path, sizeof(path));
	if (!err)
		err = bpf_program__pin(prog, path);
	if (err) {
		pr_warn("cannot pin program %s at %s/%s: %s\n", XN_PIN_CTL_PROG, p->dir,
			XN_PIN_CTL_PROG, strerror(-err));
		return err;
	}
	p->ctl_pinned = true;
	return 0;
}

void xn_pins_release(struct xn_pins *p, struct bpf_object *obj, bool keep)
{
	char path[PATH_MAX];
	struct bpf_map *map;

	if (p->lock_fd < 0)
		return;		/* never prepared: the directory is not ours */
	if (keep && (p->npinned || p->ctl_pinned)) {
		pr_info("--keep: maps and %s stay pinned in %s\n", XN_PIN_CTL_PROG, p->dir);
		goto unlock;
	}
	if (p->ctl_pinned && !pin_path(p, XN_PIN_CTL_PROG, path, sizeof(path)) &&
	    unlink(path) && errno != ENOENT)
		pr_warn("cannot unpin %s: %s\n", path, strerror(errno));
	p->ctl_pinned = false;
	if (obj && p->npinned) {
		bpf_object__for_each_map(map, obj) {
			if (bpf_map__is_internal(map))
				continue;
			if (snprintf(path, sizeof(path), "%s/%s", p->dir, bpf_map__name(map)) >=
			    (int)sizeof(path))
				continue;
			if (unlink(path) && errno != ENOENT)
				pr_warn("cannot unpin %s: %s\n", path, strerror(errno));
		}
		pr_info("maps unpinned from %s\n", p->dir);
	}
	p->npinned = 0;
	if (rmdir(p->dir) && errno != ENOENT && errno != ENOTEMPTY)
		pr_warn("cannot remove %s: %s\n", p->dir, strerror(errno));
unlock:
	close(p->lock_fd);
	p->lock_fd = -1;
}
