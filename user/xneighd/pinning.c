// SPDX-License-Identifier: GPL-2.0
/* xneighd: pinning the maps, one daemon per network namespace. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xneigh/maps.h"
#include "log.h"
#include "maps_open.h"
#include "pinning.h"
#include "pins.h"

/* The data plane's maps, by pin name: what a program attached somewhere
 * would be using if the pins in the directory are still in service. */
static const char *const dataplane_maps[] = {
	XN_MAP_NEIGH4, XN_MAP_IFCONF, XN_MAP_IFADDR4, XN_MAP_LOCAL4, XN_MAP_LOCAL4F, XN_MAP_PROXY4,
	XN_MAP_GLOBAL, XN_MAP_STATS, XN_MAP_EVENTS, XN_MAP_NEIGH6, XN_MAP_ADDR6,
	XN_MAP_PREFIX6, XN_MAP_PROXY6, XN_MAP_ROUTE4, XN_MAP_SCRATCH, XN_MAP_SNAP,
};
#define NR_DATAPLANE_MAPS	(sizeof(dataplane_maps) / sizeof(dataplane_maps[0]))

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

/* The pin directory, and /sys/fs/bpf/xneigh above the default ones, must
 * be root's or ours, and closed to everyone else: whoever may write there
 * can unpin the maps or put a map of their own where the CLI looks for
 * ours; whoever may read there can list what runs. A directory of another
 * user is refused; one open to group or others (made by hand, by an older
 * xneighd, under an odd umask, or a bpffs mounted without mode=0700, whose
 * root is mode 1777) is closed, mode 0700. A symlink is refused (O_NOFOLLOW):
 * it could lead anywhere. 0 or -errno (said). */
static int secure_dir(const char *dir)
{
	struct stat st;
	int fd, err = 0;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		pr_warn("cannot open pin directory %s: %s%s\n", dir, strerror(-err),
			err == -ELOOP ? " (a symlink: refused)" : "");
		return err;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		pr_warn("cannot stat pin directory %s: %s\n", dir, strerror(-err));
		goto out;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		pr_warn("pin directory %s belongs to uid %u, not to root or xneighd's uid %u: its "
			"owner could replace the maps; remove it (or use another --pin-dir)\n", dir,
			(unsigned int)st.st_uid, (unsigned int)geteuid());
		err = -EPERM;
		goto out;
	}
	if ((st.st_mode & 07777) == 0700)
		goto out;
	if (fchmod(fd, 0700)) {
		err = -errno;
		pr_warn("pin directory %s is mode %04o and cannot be made 0700: %s\n", dir,
			(unsigned int)(st.st_mode & 07777), strerror(-err));
		/* only what others could write matters enough to stop */
		if (!(st.st_mode & 022))
			err = 0;
		goto out;
	}
	pr_warn("pin directory %s was mode %04o, open to others: made 0700\n", dir,
		(unsigned int)(st.st_mode & 07777));
out:
	close(fd);
	return err;
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
	/* the directory that holds the default ones, then ours */
	if (!strncmp(p->dir, XN_PIN_ROOT "/", strlen(XN_PIN_ROOT "/"))) {
		err = secure_dir(XN_PIN_ROOT);
		if (err)
			return err;
	}
	err = secure_dir(p->dir);
	if (err)
		return err;
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
	err = xn_netns_cookie(&p->netns_cookie);
	if (err) {
		p->netns_cookie = 0;
		pr_info("this kernel gives network namespaces no cookie (%s; Linux 5.14+): pins "
			"found in %s are adopted without checking which namespace left them\n",
			strerror(-err), p->dir);
	} else {
		pr_debug("network namespace cookie %llu\n", (unsigned long long)p->netns_cookie);
	}
	return 0;
}

/* Map ids of the data plane's maps pinned in the directory. */
static unsigned int pinned_map_ids(const struct xn_pins *p, __u32 *ids)
{
	unsigned int i, n = 0;

	for (i = 0; i < NR_DATAPLANE_MAPS; i++) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);
		int fd = xn_pins_open(p, dataplane_maps[i]);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len))
			ids[n++] = info.id;
		close(fd);
	}
	return n;
}

int xn_pins_check_owner(struct xn_pins *p)
{
	__u32 ids[NR_DATAPLANE_MAPS];
	struct xn_maps_prog user;
	enum xn_owner owner;
	char whose[160];
	__u64 stamp = 0;
	unsigned int n;
	int fd, err;

	if (p->lock_fd < 0)
		return -EBADF;
	if (!p->netns_cookie)
		return 0;		/* no way to tell: adopted as they are */
	n = pinned_map_ids(p, ids);
	if (!n)
		return 0;		/* nothing of a data plane here */

	fd = xn_pins_open(p, XN_MAP_GLOBAL);
	err = fd < 0 ? fd : xn_global_cookie(fd, &stamp);
	if (fd >= 0)
		close(fd);
	owner = err ? XN_OWNER_UNSTAMPED : xn_owner_of(p->netns_cookie, stamp);
	if (owner == XN_OWNER_THIS_NETNS) {
		pr_debug("pins in %s: stamped with this namespace's cookie\n", p->dir);
		return 0;
	}
	if (err)
		snprintf(whose, sizeof(whose), "no known namespace (no %s of this build among "
			 "them: %s)", XN_MAP_GLOBAL, strerror(-err));
	else
		snprintf(whose, sizeof(whose), "%s (netns cookie %llu, this one's is %llu)",
			 xn_owner_str(owner), (unsigned long long)stamp,
			 (unsigned long long)p->netns_cookie);

	/* Whatever they are, they must not be serving this namespace. */
	err = xn_maps_find_user(ids, n, &user);
	if (err < 0) {
		pr_warn("the pins in %s belong to %s; cannot check that no program here uses "
			"them: %s\n", p->dir, whose, strerror(-err));
		return err;
	}
	if (err > 0) {
		char ifname[IF_NAMESIZE];

		if (!if_indextoname(user.ifindex, ifname))
			snprintf(ifname, sizeof(ifname), "if%u", user.ifindex);
		pr_warn("the pins in %s belong to %s, yet %s (program id %u) attached to %s (%s) "
			"in this namespace uses their maps: neither adopting nor removing them; "
			"detach that program or remove %s, then start again\n", p->dir, whose,
			user.name, user.id, ifname, user.hook, p->dir);
		return -EBUSY;
	}
	pr_warn("the pins in %s belong to %s: a namespace that is gone left them (xneighd "
		"--keep, or killed) under the inode number this namespace reuses; discarding "
		"them, the tables start empty\n", p->dir, whose);
	return remove_stale(p->dir, p->lock_fd);
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

/* xn_global.netns_cookie = ours, the other fields kept (xneighd's sync
 * writes them later, keeping this one). */
static int stamp_identity(const struct xn_pins *p, struct bpf_object *obj)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, XN_MAP_GLOBAL);
	struct xn_global g;
	__u32 key = 0;
	int fd, err;

	if (!map || bpf_map__value_size(map) != sizeof(g)) {
		pr_warn("the BPF object has no map %s of %zu bytes to record the namespace in\n",
			XN_MAP_GLOBAL, sizeof(g));
		return -ENOENT;
	}
	fd = bpf_map__fd(map);
	/* libbpf >= 1.0: -errno */
	err = bpf_map_lookup_elem(fd, &key, &g);
	if (!err) {
		g.netns_cookie = p->netns_cookie;
		err = bpf_map_update_elem(fd, &key, &g, BPF_ANY);
	}
	if (err)
		pr_warn("cannot record the namespace in %s: %s\n", XN_MAP_GLOBAL, strerror(-err));
	return err;
}

int xn_pins_pin(struct xn_pins *p, struct bpf_object *obj)
{
	char path[PATH_MAX];
	struct bpf_program *prog;
	struct bpf_map *map;
	int err;

	/* first: no pin ever exists without the namespace's identity */
	err = stamp_identity(p, obj);
	if (err)
		return err;
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
