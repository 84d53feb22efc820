// SPDX-License-Identifier: GPL-2.0
/* xneighd: load xneigh's data plane, attach it, pin its maps, keep the
 * kernel's addresses, routes, proxies and sysctls mirrored into them, and run
 * the NUD state machine's timers, probes and garbage collection (nudd.h)
 * until SIGINT/SIGTERM. Runs in the foreground and logs to stderr.
 *
 * A data plane left by a daemon that is gone (killed, or stopped with
 * --keep) is adopted: its maps are reused (bpf_map__reuse_fd() before the
 * load), so no entry is lost, and its programs are replaced in place (XDP
 * and TC filters swapped atomically), so replies never stop.
 *
 * `xneighd --resolve ADDR --dev DEV [--wait]` is a client of the running
 * daemon instead (user/lib/ctlproto.h).
 *
 * Exit codes: 0 stopped by a signal (client: resolved), 1 failure (client:
 * FAILED or an error), 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <linux/capability.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include <arpa/inet.h>
#include "xneigh.skel.h"
#include "xneigh/nud.h"
#include "attach.h"
#include "conf.h"
#include "ctlsock.h"
#include "events.h"
#include "fmt.h"
#include "log.h"
#include "kmirror.h"
#include "nudd.h"
#include "holdq.h"
#include "pinning.h"
#include "pins.h"
#include "sync.h"

#ifndef XNEIGH_VERSION
#define XNEIGH_VERSION "0.1"
#endif

#define PROG "xneighd"
#define XN_CONF_DEFAULT_PATH	"/etc/xneigh/xneighd.conf"
#define XN_TICK_MS	500	/* sysctl poll period: "follows within a second" */
#define XN_XDP_PROG	"xn_xdp"

#ifndef CAP_BPF
#define CAP_BPF		39	/* linux/capability.h from 5.8 on */
#endif

/* ---- options, declared once: parsing, validation and help come from here -------- */

struct xn_config {
	struct {
		const char *v[XN_IFACES_MAX];
		unsigned int n;
	} ifaces;
	int mode;			/* enum xn_mode */
	int verbose;
	__u32 max_entries;
	const char *pin_dir;
	bool keep;			/* leave the data plane attached and pinned at exit */
	const char *config;		/* --config FILE; NULL: XN_CONF_DEFAULT_PATH if present */
	bool kernel_sync;		/* mirror the kernel's neighbour table (default on) */
	bool strict;			/* --strict: anti-spoofing checks (XN_IFF_STRICT) */
	bool help, version;
	/* client mode */
	const char *resolve;		/* ADDR */
	const char *dev;		/* DEV */
	bool wait;
};

enum xn_opt_type {
	XN_OPT_STRLIST,		/* repeatable string, appended */
	XN_OPT_ENUM,		/* one of `choices` */
	XN_OPT_U32,		/* integer in [min, max] */
	XN_OPT_STR,
	XN_OPT_COUNT,		/* each use adds one */
	XN_OPT_FLAG,		/* bool */
	XN_OPT_FLAG_OFF,	/* bool, cleared (--no-...) */
};

struct xn_choice {
	const char *name;
	int value;
};

struct xn_opt {
	const char *name;	/* long name */
	int key;		/* short option character, or a value > 255 */
	enum xn_opt_type type;
	size_t off;		/* field of struct xn_config */
	const char *metavar;
	const char *help;
	const struct xn_choice *choices;
	__u32 min, max;
};

enum { OPT_MAX_ENTRIES = 256, OPT_PIN_DIR, OPT_VERSION, OPT_KEEP, OPT_RESOLVE, OPT_DEV,
       OPT_WAIT, OPT_CONFIG, OPT_NO_KERNEL_SYNC, OPT_STRICT };

static const struct xn_choice mode_choices[] = {
	{ "native", XN_MODE_NATIVE }, { "generic", XN_MODE_GENERIC }, { "tc", XN_MODE_TC },
	{ NULL, 0 },
};

#define CFG(field) offsetof(struct xn_config, field)

static const struct xn_opt xn_opts[] = {
	{ "interface", 'i', XN_OPT_STRLIST, CFG(ifaces), "DEV",
	  "attach to DEV; repeat for more interfaces (at least one)" },
	{ "mode", 'm', XN_OPT_ENUM, CFG(mode), "MODE",
	  "native: XDP in the driver (default);\n"
	  "generic: XDP in the stack (skb mode);\n"
	  "tc: TC ingress instead of XDP", mode_choices },
	{ "max-entries", OPT_MAX_ENTRIES, XN_OPT_U32, CFG(max_entries), "N",
	  "size of each neighbour table, xn_neigh4 and xn_neigh6\n(default 65536)",
	  NULL, 1, UINT32_MAX },
	{ "pin-dir", OPT_PIN_DIR, XN_OPT_STR, CFG(pin_dir), "DIR",
	  "pin the maps in DIR (default " XN_PIN_ROOT "/net<netns inode>)" },
	{ "keep", OPT_KEEP, XN_OPT_FLAG, CFG(keep), NULL,
	  "at exit leave the data plane attached and its maps\npinned: it keeps answering, and the next xneighd\nadopts it without losing an entry" },
	{ "no-kernel-sync", OPT_NO_KERNEL_SYNC, XN_OPT_FLAG_OFF, CFG(kernel_sync), NULL,
	  "do not write what xneigh learns into the kernel's\nneighbour table (see KERNEL TABLE in xneighd(8))" },
	{ "strict", OPT_STRICT, XN_OPT_FLAG, CFG(strict), NULL,
	  "drop and count ARP and ND frames that fail the\n"
	  "anti-spoofing checks: sender MAC = Ethernet source,\n"
	  "sender on a subnet of the interface, gratuitous\n"
	  "frames only refresh existing entries (default off;\n"
	  "see STRICT MODE in xneighd(8))" },
	{ "config", OPT_CONFIG, XN_OPT_STR, CFG(config), "FILE",
	  "neighbour parameters over the sysctls (default\n" XN_CONF_DEFAULT_PATH ", if it exists);\n"
	  "re-read on SIGHUP; see xneighd(8)" },
	{ "resolve", OPT_RESOLVE, XN_OPT_STR, CFG(resolve), "ADDR",
	  "client mode: ask the running xneighd to resolve\nADDR (IPv4 or IPv6) on --dev, as traffic to it\nwould, and print the entry" },
	{ "dev", OPT_DEV, XN_OPT_STR, CFG(dev), "DEV",
	  "client mode: the interface of --resolve" },
	{ "wait", OPT_WAIT, XN_OPT_FLAG, CFG(wait), NULL,
	  "client mode: print the entry once it is no longer\nINCOMPLETE (resolved or FAILED)" },
	{ "verbose", 'v', XN_OPT_COUNT, CFG(verbose), NULL,
	  "log more: -v info, -vv debug (with libbpf's and libxdp's messages)" },
	{ "help", 'h', XN_OPT_FLAG, CFG(help), NULL, "show this help and exit" },
	{ "version", OPT_VERSION, XN_OPT_FLAG, CFG(version), NULL, "show the version and exit" },
};
#define XN_NOPTS (sizeof(xn_opts) / sizeof(xn_opts[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s -i DEV [-i DEV ...] [--mode native|generic|tc] [options]\n"
		"       %s --resolve ADDR --dev DEV [--wait]\n\n"
		"Load xneigh's ARP and NDISC data plane, attach it to the interfaces, pin its\n"
		"maps and keep them in sync with the kernel (IPv4 and IPv6 addresses, anycast\n"
		"addresses, local routes, the main IPv4 routing table and policy rules, proxy\n"
		"entries, sysctls); run the neighbour state machine (timers, ARP and NS probes,\n"
		"garbage collection) until SIGINT or SIGTERM. A data plane left running by an\n"
		"earlier xneighd (--keep, or killed) is adopted with every entry.\n"
		"Runs in the foreground, logs to stderr.\n\nOptions:\n",
		PROG, PROG);
	for (i = 0; i < XN_NOPTS; i++) {
		const struct xn_opt *o = &xn_opts[i];
		char left[64];
		int n = 0;

		if (o->key < 256)
			n = snprintf(left, sizeof(left), "-%c, ", o->key);
		else
			n = snprintf(left, sizeof(left), "    ");
		snprintf(left + n, sizeof(left) - n, "--%s%s%s", o->name, o->metavar ? " " : "",
			 o->metavar ? o->metavar : "");
		fprintf(f, "  %-24s ", left);
		/* Continuation lines of the help text line up under its start. */
		for (const char *h = o->help; *h; h++) {
			fputc(*h, f);
			if (*h == '\n')
				fprintf(f, "  %-24s ", "");
		}
		fputc('\n', f);
	}
	fprintf(f, "\nMaps are pinned as DIR/<map name> (xn_neigh4, xn_neigh6, xn_ifconf, ...), the\n"
		"control program as DIR/xn_ctl. The daemon listens on the abstract Unix socket\n"
		"@xneighd-net<netns inode> (--resolve, and xneigh resolve, monitor and status\n"
		"talk to it).\n"
		"Exit status: 0 stopped by a signal, 1 failure, 2 usage error; with --resolve:\n"
		"0 the entry is usable (or, without --wait, resolution started), 1 FAILED or\n"
		"an error, 2 usage error.\n");
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", PROG);
	return 2;
}

/* "native, generic or tc" from an option's choices. */
static void choices_str(const struct xn_choice *c, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (; c->name && off < len; c++)
		off += snprintf(buf + off, len - off, "%s%s", c->name,
				!c[1].name ? "" : !c[2].name ? " or " : ", ");
}

/* What a string option's type does not check: interface names as the
 * kernel accepts them (that they exist is checked once all are read), the
 * pin directory absolute and short enough for the paths of its pins. 0 or 2. */
static int opt_check_value(const struct xn_opt *o, const char *arg)
{
	const char *why;

	if (o->key == 'i' || o->key == OPT_DEV) {
		why = xn_ifname_invalid(arg);
		if (why)
			return usage_error("interface name '%s' %s", xn_tok(arg), why);
	} else if (o->key == OPT_PIN_DIR && *arg) {
		if (arg[0] != '/')
			return usage_error("--%s '%s' is not an absolute path", o->name,
					   xn_tok(arg));
		/* DIR/<map name> is a path (run() copies DIR into PATH_MAX) */
		if (strlen(arg) + 1 + BPF_OBJ_NAME_LEN >= PATH_MAX)
			return usage_error("--%s '%s' is too long: at most %d bytes", o->name,
					   xn_tok(arg), PATH_MAX - 2 - BPF_OBJ_NAME_LEN);
	}
	return 0;
}

static int opt_set(struct xn_config *cfg, const struct xn_opt *o, const char *arg)
{
	void *dst = (char *)cfg + o->off;
	const struct xn_choice *c;
	char *end, list[128];
	unsigned long long v;

	if ((o->type == XN_OPT_STR || o->type == XN_OPT_STRLIST) && opt_check_value(o, arg))
		return 2;
	switch (o->type) {
	case XN_OPT_STRLIST: {
		typeof(cfg->ifaces) *l = dst;

		if (l->n == XN_IFACES_MAX)
			return usage_error("too many --%s: at most %d", o->name, XN_IFACES_MAX);
		l->v[l->n++] = arg;
		return 0;
	}
	case XN_OPT_ENUM:
		for (c = o->choices; c->name; c++) {
			if (!strcmp(arg, c->name)) {
				*(int *)dst = c->value;
				return 0;
			}
		}
		choices_str(o->choices, list, sizeof(list));
		return usage_error("invalid --%s '%s': expected %s", o->name, xn_tok(arg), list);
	case XN_OPT_U32:
		errno = 0;
		v = strtoull(arg, &end, 10);
		if (arg[0] < '0' || arg[0] > '9' || *end || errno || v < o->min || v > o->max)
			return usage_error("invalid --%s '%s': expected an integer from %u to %u",
					   o->name, xn_tok(arg), o->min, o->max);
		*(__u32 *)dst = (__u32)v;
		return 0;
	case XN_OPT_STR:
		if (!*arg)
			return usage_error("--%s needs a non-empty value", o->name);
		*(const char **)dst = arg;
		return 0;
	case XN_OPT_COUNT:
		(*(int *)dst)++;
		return 0;
	case XN_OPT_FLAG:
		*(bool *)dst = true;
		return 0;
	case XN_OPT_FLAG_OFF:
		*(bool *)dst = false;
		return 0;
	}
	return 2;
}

static int parse_args(int argc, char **argv, struct xn_config *cfg)
{
	struct option lopts[XN_NOPTS + 1];
	char sopts[3 * XN_NOPTS + 2];
	const char *given[XN_NOPTS] = {};	/* each option's value ("" for none) */
	size_t i, s = 0;
	int c, err;

	memset(lopts, 0, sizeof(lopts));
	sopts[s++] = ':';	/* report a missing argument as ':' */
	for (i = 0; i < XN_NOPTS; i++) {
		const struct xn_opt *o = &xn_opts[i];
		bool arg = o->metavar != NULL;

		lopts[i].name = o->name;
		lopts[i].has_arg = arg ? required_argument : no_argument;
		lopts[i].val = o->key;
		if (o->key < 256) {
			sopts[s++] = (char)o->key;
			if (arg)
				sopts[s++] = ':';
		}
	}
	sopts[s] = '\0';

	opterr = 0;
	while ((c = getopt_long(argc, argv, sopts, lopts, NULL)) != -1) {
		const struct xn_opt *o = NULL;

		if (c == '?') {
			const char *bad = argv[optind - 1], *eq = strchr(bad, '=');

			if (optopt && optopt < 256) {
				char opt[2] = { (char)optopt, '\0' };

				return usage_error("unknown option '-%s'", xn_tok(opt));
			}
			/* getopt_long() says '?' for "--keep=yes" too */
			for (i = 0; eq && !strncmp(bad, "--", 2) && i < XN_NOPTS; i++) {
				size_t len = (size_t)(eq - bad - 2);

				if (!xn_opts[i].metavar && strlen(xn_opts[i].name) == len &&
				    !strncmp(bad + 2, xn_opts[i].name, len))
					return usage_error("option '--%s' takes no value",
							   xn_opts[i].name);
			}
			return usage_error("unknown option '%s'", xn_tok(bad));
		}
		if (c == ':')
			return usage_error("option '%s' needs a value", xn_tok(argv[optind - 1]));
		for (i = 0; i < XN_NOPTS; i++)
			if (xn_opts[i].key == c)
				o = &xn_opts[i];
		if (!o)
			return 2;
		/* an option given twice is a mistake (which one was meant?),
		 * but for those made to repeat */
		i = (size_t)(o - xn_opts);
		if (given[i] && o->type != XN_OPT_STRLIST && o->type != XN_OPT_COUNT) {
			if (!o->metavar)
				return usage_error("--%s given twice", o->name);
			return usage_error("--%s given twice: '%s' after '%s'", o->name,
					   xn_tok(optarg), xn_tok(given[i]));
		}
		given[i] = optarg ? optarg : "";
		err = opt_set(cfg, o, optarg);
		if (err)
			return err;
	}
	if (cfg->help || cfg->version)
		return 0;
	if (optind < argc)
		return usage_error("unexpected argument '%s'", xn_tok(argv[optind]));
	if (cfg->resolve || cfg->dev || cfg->wait) {
		if (!cfg->resolve)
			return usage_error("--dev and --wait go with --resolve ADDR");
		if (!cfg->dev)
			return usage_error("--resolve needs --dev DEV");
		if (cfg->ifaces.n || cfg->keep || !cfg->kernel_sync || cfg->strict)
			return usage_error("--resolve is a client of the running xneighd: "
					   "no -i, --keep, --no-kernel-sync or --strict");
		return 0;
	}
	if (!cfg->ifaces.n)
		return usage_error("no interface given: use -i DEV");
	for (i = 0; i < cfg->ifaces.n; i++) {
		size_t j;

		for (j = 0; j < i; j++)
			if (!strcmp(cfg->ifaces.v[i], cfg->ifaces.v[j]))
				return usage_error("interface '%s' given twice", xn_tok(cfg->ifaces.v[i]));
	}
	return 0;
}

/* ---- checks before touching anything ------------------------------------------------- */

static bool has_caps_to_load(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};

#define HAS(cap) (data[(cap) / 32].effective & (1u << ((cap) % 32)))
	if (syscall(SYS_capget, &hdr, data))
		return geteuid() == 0;
	/* Loading needs CAP_BPF (or CAP_SYS_ADMIN before 5.8), attaching XDP
	 * and TC programs CAP_NET_ADMIN. */
	return HAS(CAP_NET_ADMIN) && (HAS(CAP_BPF) || HAS(CAP_SYS_ADMIN));
#undef HAS
}

static void need_root(void)
{
	pr_warn("need root (CAP_BPF and CAP_NET_ADMIN) to load BPF programs\n");
}

/* ---- the daemon -------------------------------------------------------------------- */

struct xn_daemon {
	struct xn_config cfg;
	struct xn_iface ifaces[XN_IFACES_MAX];
	struct xn_leftover left[XN_IFACES_MAX];	/* found at start, per interface */
	unsigned int nifaces;
	struct xneigh *skel;
	struct xdp_program *xdp;
	struct xn_pins pins;
	struct xn_sync sync;
	bool sync_open;
	struct xnd_ctlsrv ctl;
	struct xn_nudd *nudd;
	struct xn_holdd *hold;		/* frames held for resolution (holdq.h) */
	struct xn_km *km;		/* the kernel table mirror; NULL: --no-kernel-sync */
	struct xn_conf conf;		/* --config file and `xneigh conf set` layers */
	unsigned int parms_gen;		/* sync.parms_gen the NUD driver has */
	unsigned int adopted;		/* maps reused from a data plane left running */
	struct ring_buffer *rb;
	int sfd, tfd, nfd, epfd;	/* signals, sysctl tick, NUD timer, epoll */
	__u64 start_real, start_mono;	/* when it started (`xneigh status`) */
	__u64 nfd_due;			/* what nfd is armed for */
};

static void log_objects(struct xn_daemon *d)
{
	char line[1024];
	struct bpf_program *prog;
	struct bpf_map *map;
	size_t off;

	off = 0;
	line[0] = '\0';
	bpf_object__for_each_map(map, d->skel->obj) {
		struct bpf_map_info info = {};
		__u32 len = sizeof(info);

		if (bpf_obj_get_info_by_fd(bpf_map__fd(map), &info, &len))
			continue;
		if (off < sizeof(line))
			off += snprintf(line + off, sizeof(line) - off, " %s=%u",
					bpf_map__name(map), info.id);
	}
	pr_info("map ids:%s (max_entries %s=%u %s=%u)\n", line,
		bpf_map__name(d->skel->maps.xn_neigh4), bpf_map__max_entries(d->skel->maps.xn_neigh4),
		bpf_map__name(d->skel->maps.xn_neigh6), bpf_map__max_entries(d->skel->maps.xn_neigh6));

	off = 0;
	line[0] = '\0';
	bpf_object__for_each_program(prog, d->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		if (off < sizeof(line))
			off += snprintf(line + off, sizeof(line) - off, " %s=%u",
					bpf_program__name(prog), info.id);
	}
	pr_info("program ids:%s\n", line);
}

/* xneigh__load() maps the object's global data (.rodata, .data, .bss) onto
 * the kernel's maps once they exist. When libxdp loads the object that step
 * is ours, so that skel->rodata and friends show what the programs see,
 * whichever way the object was loaded. (The same steps as libbpf's
 * bpf_object__load_skeleton().) */
static int skel_map_global_data(struct xneigh *skel)
{
	const struct bpf_object_skeleton *s = skel->skeleton;
	long page = sysconf(_SC_PAGESIZE);
	int i;

	for (i = 0; i < s->map_cnt; i++) {
		const struct bpf_map_skeleton *ms =
			(const void *)((const char *)s->maps + (size_t)i * s->map_skel_sz);
		struct bpf_map *map = *ms->map;
		__u32 flags = bpf_map__map_flags(map);
		size_t sz;
		void *p;

		if (!ms->mmaped || !*ms->mmaped)
			continue;
		if (!(flags & BPF_F_MMAPABLE)) {
			*ms->mmaped = NULL;
			continue;
		}
		sz = (size_t)((bpf_map__value_size(map) + 7) & ~7u) * bpf_map__max_entries(map);
		sz = (sz + page - 1) / page * page;
		p = mmap(*ms->mmaped, sz, flags & BPF_F_RDONLY_PROG ? PROT_READ : PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, bpf_map__fd(map), 0);
		if (p == MAP_FAILED) {
			int err = -errno;

			pr_warn("cannot map %s: %s\n", bpf_map__name(map), strerror(-err));
			return err;
		}
		*ms->mmaped = p;
	}
	return 0;
}

static int load_error(const struct xn_daemon *d, int err)
{
	bool sized = d->cfg.max_entries != XN_NEIGH4_MAX_DEFAULT;

	if (err == -EPERM)
		need_root();
	else
		pr_warn("cannot load the BPF object: %s%s (-vv shows libbpf's and the verifier's messages)\n",
			strerror(-err), sized && (err == -ENOMEM || err == -E2BIG) ?
			"; is --max-entries too large?" : "");
	return err;
}

/* ---- adopting a data plane left running ------------------------------------------- */

/* Is the map behind fd what the skeleton would create for `map` (type, key,
 * value, flags)? max_entries may differ: the existing size is kept. */
static bool map_compatible(const struct bpf_map *map, int fd, __u32 *max_entries)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return false;
	*max_entries = info.max_entries;
	return info.type == bpf_map__type(map) && info.key_size == bpf_map__key_size(map) &&
	       info.value_size == bpf_map__value_size(map) &&
	       info.map_flags == bpf_map__map_flags(map) &&
	       !strcmp(info.name, bpf_map__name(map));
}

/* The fd of the map called `name` among the leftovers' map ids, or -ENOENT. */
static int leftover_map_fd(const struct xn_daemon *d, const char *name)
{
	unsigned int i, j;

	for (i = 0; i < d->nifaces; i++) {
		const struct xn_leftover *lo = &d->left[i];

		for (j = 0; j < lo->nmaps; j++) {
			struct bpf_map_info info = {};
			__u32 len = sizeof(info);
			int fd = bpf_map_get_fd_by_id(lo->map_ids[j]);

			if (fd < 0)
				continue;
			if (!bpf_obj_get_info_by_fd(fd, &info, &len) && !strcmp(info.name, name))
				return fd;
			close(fd);
		}
	}
	return -ENOENT;
}

/* Do the maps of the programs left on our interfaces belong to this
 * namespace? An interface moved in from another namespace brings its
 * programs along, and that namespace's table with them. Maps no xneighd
 * stamped (a copy loaded by ip or tc) are taken as ours: they are attached
 * here. (Pins, reached by a reusable name, were checked already:
 * xn_pins_check_owner().) */
static bool leftovers_are_ours(const struct xn_daemon *d)
{
	int fd = leftover_map_fd(d, XN_MAP_GLOBAL), err;
	__u64 stamp = 0;

	if (fd < 0)
		return true;
	err = xn_global_cookie(fd, &stamp);
	close(fd);
	if (err || xn_owner_of(d->pins.netns_cookie, stamp) != XN_OWNER_OTHER_NETNS)
		return true;
	pr_warn("the xneigh programs left on the interfaces belong to another network namespace "
		"(netns cookie %llu, this one's is %llu): they are replaced, their tables are not "
		"adopted\n", (unsigned long long)stamp, (unsigned long long)d->pins.netns_cookie);
	return false;
}

/* Before the load: make every map of the skeleton the one a gone daemon
 * left (pinned in our directory, else used by its programs still attached
 * to our interfaces), so the new programs share its entries, counters and
 * settings. A map of another layout (another build) is not reused. */
static void adopt_maps(struct xn_daemon *d)
{
	bool attached_ours = leftovers_are_ours(d);
	const char *src = NULL;
	struct bpf_map *map;
	unsigned int skipped = 0;

	bpf_object__for_each_map(map, d->skel->obj) {
		const char *name = bpf_map__name(map);
		__u32 max = 0;
		int fd, err;

		/* libbpf's own (.rodata, ...) belong to the object; the
		 * scratch buffer is private to the programs that use it; the
		 * snapshot is derived (the first sync publishes it again),
		 * and an older build's may hold an inner map of another size,
		 * which the outer map's own info does not show */
		if (bpf_map__is_internal(map) || !strcmp(name, XN_MAP_SCRATCH) ||
		    !strcmp(name, XN_MAP_SNAP))
			continue;
		fd = xn_pins_open(&d->pins, name);
		if (fd >= 0) {
			src = "pinned";
		} else {
			fd = attached_ours ? leftover_map_fd(d, name) : -ENOENT;
			if (fd < 0)
				continue;
			src = "attached";
		}
		if (!map_compatible(map, fd, &max)) {
			pr_warn("map %s left by an earlier xneighd has another layout (another "
				"build?): not reused, its content is lost\n", name);
			close(fd);
			skipped++;
			continue;
		}
		if (max != bpf_map__max_entries(map) &&
		    (!strcmp(name, XN_MAP_NEIGH4) || !strcmp(name, XN_MAP_NEIGH6)))
			pr_warn("%s: keeping the adopted table's size, %u entries (not %u)\n", name,
				max, bpf_map__max_entries(map));
		err = bpf_map__reuse_fd(map, fd);
		close(fd);
		if (err) {
			pr_warn("cannot reuse map %s: %s\n", name, strerror(-err));
			continue;
		}
		d->adopted++;
	}
	if (d->adopted)
		pr_info("adopting the data plane of an xneighd that is gone: %u maps reused "
			"(found %s)%s\n", d->adopted, src,
			skipped ? ", some not (see above)" : "");
}

/* ---- loading and attaching ----------------------------------------------------------- */

static bool any_legacy_xdp_leftover(const struct xn_daemon *d)
{
	unsigned int i;

	for (i = 0; i < d->nifaces; i++)
		if (d->left[i].xdp_id && !d->left[i].xdp_dispatcher)
			return true;
	return false;
}

/* Load the object and attach everything, in place of what a gone daemon
 * left (d->left[]): each new program goes where the old one was, in one
 * step where the kernel allows it (XDP_FLAGS_REPLACE for a single XDP
 * program, BPF_TC_F_REPLACE for TC filters), and only then are the old
 * programs that had no successor removed; so the interfaces never run
 * without an xneigh program.
 *
 * In XDP modes libxdp normally loads the object during the first attach: it
 * must choose the type of xn_xdp (an freplace extension of its dispatcher,
 * or a plain XDP program when the kernel refuses the dispatcher) before the
 * load. When a single leftover xn_xdp is to be replaced, libxdp cannot do
 * that in place: the object is loaded with libbpf and xn_xdp attached as a
 * single program with bpf_xdp_attach(). The TC programs come from the same
 * object, so they share its maps. */
static int load_and_attach(struct xn_daemon *d)
{
	enum xn_mode mode = d->cfg.mode;
	bool raw = mode == XN_MODE_TC || any_legacy_xdp_leftover(d);
	unsigned int i;
	int err;

	if (raw) {
		err = xneigh__load(d->skel);
		if (err)
			return load_error(d, err);
	}
	if (mode != XN_MODE_TC && raw) {
		int fd = bpf_program__fd(d->skel->progs.xn_xdp);

		for (i = 0; i < d->nifaces; i++) {
			struct xn_leftover *lo = &d->left[i];
			bool in_place = lo->xdp_id && !lo->xdp_dispatcher && lo->xdp_mode == mode;

			if (lo->xdp_id && !in_place) {
				/* another mode, or a dispatcher: no in-place swap */
				xn_leftover_detach_xdp(&d->ifaces[i], lo);
			}
			err = xn_xdp_attach_raw(&d->ifaces[i], fd, mode, in_place ? lo->xdp_id : 0);
			if (err)
				return err;
			lo->xdp_id = 0;
		}
	} else if (mode != XN_MODE_TC) {
		DECLARE_LIBXDP_OPTS(xdp_program_opts, xopts, .obj = d->skel->obj,
				    .prog_name = XN_XDP_PROG);

		/* no single leftover program: dispatcher members go first */
		for (i = 0; i < d->nifaces; i++) {
			xn_leftover_detach_xdp(&d->ifaces[i], &d->left[i]);
			d->left[i].xdp_id = 0;
		}
		d->xdp = xdp_program__create(&xopts);
		err = libxdp_get_error(d->xdp);
		if (err) {
			d->xdp = NULL;
			pr_warn("cannot find program %s in the BPF object: %s\n", XN_XDP_PROG,
				strerror(-err));
			return err;
		}
		for (i = 0; i < d->nifaces; i++) {
			err = xn_xdp_attach(d->xdp, &d->ifaces[i], mode);
			if (err) {
				if (bpf_program__fd(d->skel->progs.xn_tc_out) < 0)
					return load_error(d, err);
				return err;
			}
			if (i == 0) {
				err = skel_map_global_data(d->skel);
				if (err)
					return err;
			}
		}
	}

	for (i = 0; i < d->nifaces; i++) {
		struct xn_leftover *lo = &d->left[i];

		/* TC ingress: xn_tc_in replaces XDP in mode tc; beside XDP,
		 * xn_tc_confirm only confirms (TCP progress, lib/confirm.h).
		 * Egress (transmit-side bookkeeping) in every mode. */
		if (mode == XN_MODE_TC) {
			err = xn_tc_attach(&d->ifaces[i], bpf_program__fd(d->skel->progs.xn_tc_in),
					   XN_TC_IN, lo->n_in ? &lo->tc_in[0] : NULL);
			if (err)
				return err;
			/* the ingress program answers now: an old XDP one can go */
			xn_leftover_detach_xdp(&d->ifaces[i], lo);
			lo->xdp_id = 0;
		} else {
			err = xn_tc_attach(&d->ifaces[i],
					   bpf_program__fd(d->skel->progs.xn_tc_confirm),
					   XN_TC_CONFIRM, lo->n_in ? &lo->tc_in[0] : NULL);
			if (err)
				return err;
		}
		xn_leftover_detach_tc(&d->ifaces[i], lo, true, 1);
		lo->n_in = 0;
		err = xn_tc_attach(&d->ifaces[i], bpf_program__fd(d->skel->progs.xn_tc_out), XN_TC_OUT,
				   lo->n_out ? &lo->tc_out[0] : NULL);
		if (err)
			return err;
		xn_leftover_detach_tc(&d->ifaces[i], lo, false, 1);
		lo->n_out = 0;
	}
	return 0;
}

static void detach_all(struct xn_daemon *d)
{
	unsigned int i;

	for (i = 0; i < d->nifaces; i++) {
		if (d->xdp || d->ifaces[i].xdp_raw)
			xn_xdp_detach(d->xdp, &d->ifaces[i], d->cfg.mode);
		if (d->sync_open)
			xn_tc_detach(&d->ifaces[i], &d->sync.nl);
	}
}

/* ---- the event loop ------------------------------------------------------------------- */

static int epoll_add(int epfd, int fd, __u64 tag, __u32 events)
{
	struct epoll_event ev = { .events = events, .data.u64 = tag };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

/* epoll tags; a control connection carries its fd above the low byte */
enum { EV_SIGNAL = 1, EV_NETLINK, EV_TIMER, EV_RINGBUF, EV_NUD, EV_CTL_LISTEN, EV_CTL_CONN,
       EV_KMIRROR };

static __u64 mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

/* Arm the NUD timerfd at the driver's next due time (absolute). */
static void nud_rearm(struct xn_daemon *d)
{
	struct itimerspec its = {};
	__u64 due = xn_nudd_next_due(d->nudd);

	if (due == d->nfd_due)
		return;
	if (due != XN_TQ_NEVER) {
		/* an absolute time in the past fires at once; 0 would disarm */
		if (!due)
			due = 1;
		its.it_value.tv_sec = (time_t)(due / 1000000000ull);
		its.it_value.tv_nsec = (long)(due % 1000000000ull);
	}
	if (timerfd_settime(d->nfd, TFD_TIMER_ABSTIME, &its, NULL))
		pr_warn("cannot arm the NUD timer: %s\n", strerror(errno));
	else
		d->nfd_due = due;
}

static __u64 real_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

static int dp_resolve(void *ctx, const struct xn_nud_key *k);

/* The data plane's events: logged (events.c), sent to the monitors
 * (ctlsock.c), then the NUD driver's. A transmit path's request for a
 * resolution (resolve.h) is neither logged nor an event for monitors: the
 * kernel's neigh_event_send() notifies nothing either. */
static int ringbuf_event(void *ctx, void *data, size_t size)
{
	struct xn_daemon *d = ctx;
	struct xn_event ev;

	if (size >= sizeof(ev) && ((struct xn_event *)data)->type == XN_EV_RESOLVE) {
		struct xn_nud_key k = { .family = ((struct xn_event *)data)->family,
					.ifindex = ((struct xn_event *)data)->ifindex };

		memcpy(k.addr, ((struct xn_event *)data)->addr, sizeof(k.addr));
		dp_resolve(d, &k);
		return 0;
	}
	xn_event_handle(&d->sync.m, data, size);
	/* `xneigh monitor`: every event, stamped when we read it */
	if (d->ctl.nsub && size >= sizeof(ev))
		xnd_ctlsrv_publish(&d->ctl, data, size, real_now());
	if (size < sizeof(ev) || !d->nudd)
		return 0;
	memcpy(&ev, data, sizeof(ev));
	xn_nudd_event(d->nudd, &ev);
	return 0;
}

/* The NUD driver saw an entry change: mirror it into the kernel's table,
 * answer the clients waiting for it. */
static void entry_changed(void *ctx, const struct xn_nud_key *k, const struct xn_neigh *v,
			  __u64 now)
{
	struct xn_daemon *d = ctx;

	if (d->km)
		xn_km_entry(d->km, k, v);

	if (d->ctl.nw)
		xnd_ctlsrv_entry(&d->ctl, k->family, k->ifindex, k->addr, v, now);
	/* resolved: the held frames leave; failed or gone: discarded */
	if (d->hold)
		xn_holdd_entry(d->hold, k, v);
}

/* A held frame (ring buffer xn_hold, resolve.h). */
static int hold_record(void *ctx, void *data, size_t size)
{
	struct xn_daemon *d = ctx;

	if (d->hold)
		xn_holdd_record(d->hold, data, size);
	return 0;
}

static const struct xn_iface *our_iface(const struct xn_daemon *d, __u32 ifindex)
{
	unsigned int i;

	for (i = 0; i < d->nifaces; i++)
		if ((__u32)d->ifaces[i].ifindex == ifindex && !d->ifaces[i].gone)
			return &d->ifaces[i];
	return NULL;
}

/* neigh_event_send() asked by a transmit path of the data plane (resolve.h:
 * XN_EV_RESOLVE, or a held frame's XN_HOLD_F_RESOLVE). 0, or -errno when
 * refused (the hold queue then discards the entry's frames; -EAGAIN: ask
 * again later). */
static int dp_resolve(void *ctx, const struct xn_nud_key *k)
{
	struct xn_daemon *d = ctx;
	struct xn_neigh v;
	bool present;
	char msg[160];
	int err;

	if (!d->nudd || !our_iface(d, k->ifindex))
		return -ENODEV;
	err = xn_nudd_resolve(d->nudd, k->family, k->ifindex, k->addr, &v, &present, msg,
			      sizeof(msg));
	if (err)
		pr_debug("resolution asked by the data plane: %s\n", msg);
	return err;
}

/* XND_CTL_RESOLVE: neigh_event_send() for the address (ctlproto.h). */
static void ctl_resolve(struct xn_daemon *d, int fd, const struct xnd_ctl_request *req)
{
	struct xnd_ctl_reply rep;
	struct xn_neigh v;
	char msg[sizeof(rep.msg)], name[IF_NAMESIZE];
	bool present = false;
	int err;

	if (!our_iface(d, req->ifindex)) {
		xnd_ctl_reply_init(&rep, req, -ENODEV, "xneigh does not run on dev %s",
				   if_indextoname(req->ifindex, name) ? name : "(none)");
		xnd_ctlsrv_reply(fd, &rep);
		return;
	}
	err = xn_nudd_resolve(d->nudd, req->family, req->ifindex, req->addr, &v, &present, msg,
			      sizeof(msg));
	if (err) {
		xnd_ctl_reply_init(&rep, req, err, "%s", msg);
		xnd_ctlsrv_reply(fd, &rep);
		return;
	}
	if ((req->flags & XND_CTL_F_WAIT) && present && v.state == NUD_INCOMPLETE) {
		err = xnd_ctlsrv_wait(&d->ctl, fd, req);
		if (!err)
			err = epoll_add(d->epfd, fd, EV_CTL_CONN | ((__u64)fd << 8),
					EPOLLIN | EPOLLRDHUP);
		if (!err)
			return;
		xnd_ctlsrv_drop(&d->ctl, fd);
		xnd_ctl_reply_init(&rep, req, -EBUSY, "too many clients waiting");
		xnd_ctlsrv_reply(fd, &rep);
		return;
	}
	xnd_ctl_reply_init(&rep, req, 0, NULL);
	rep.now = mono_now();
	if (present) {
		rep.present = 1;
		rep.state = v.state;
		rep.flags = v.flags;
		memcpy(rep.lladdr, v.lladdr, ETH_ALEN);
		rep.probes = v.probes;
		rep.confirmed = v.confirmed;
		rep.updated = v.updated;
		rep.used = v.used;
	}
	xnd_ctlsrv_reply(fd, &rep);
}

/* XND_CTL_MONITOR: the connection stays open and ringbuf_event() sends it
 * every event. */
static void ctl_monitor(struct xn_daemon *d, int fd, const struct xnd_ctl_request *req)
{
	if (xnd_ctlsrv_subscribe(&d->ctl, fd, req))
		return;		/* answered (-EBUSY) and closed */
	/* a subscriber never sends again: readable means it hung up */
	if (epoll_add(d->epfd, fd, EV_CTL_CONN | ((__u64)fd << 8), EPOLLIN | EPOLLRDHUP))
		xnd_ctlsrv_drop(&d->ctl, fd);
}

static __u32 prog_id(const struct bpf_program *prog)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_program__fd(prog);

	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	return info.id;
}

/* XND_CTL_STATUS: what only the daemon knows; `xneigh status` finds the
 * maps and their fill itself. */
static void ctl_status(struct xn_daemon *d, int fd, const struct xnd_ctl_request *req)
{
	static struct {
		struct xnd_ctl_status st;
		struct xnd_ctl_status_iface ifs[XN_IFACES_MAX];
	} p;
	struct xnd_ctl_status *st = &p.st;
	struct xnd_ctl_reply rep;
	__u32 xdp_id = prog_id(d->skel->progs.xn_xdp);
	unsigned int i;

	memset(&p, 0, sizeof(p));
	st->pid = (__u32)getpid();
	st->flags = (d->cfg.keep ? XND_ST_KEEP : 0) |
		    (d->cfg.kernel_sync ? XND_ST_KERNEL_SYNC : 0) |
		    (d->cfg.strict ? XND_ST_STRICT : 0) |
		    (d->adopted ? XND_ST_ADOPTED : 0);
	st->ctl_prog_id = prog_id(d->skel->progs.xn_ctl);
	st->start_realtime_ns = d->start_real;
	st->uptime_ns = mono_now() - d->start_mono;
	st->subscribers = d->ctl.nsub;
	st->subscribers_max = XND_CTL_MAX_SUBSCRIBERS;
	st->waiters = d->ctl.nw;
	st->waiters_max = XND_CTL_MAX_WAITERS;
	snprintf(st->mode, sizeof(st->mode), "%s", xn_mode_name(d->cfg.mode));
	snprintf(st->version, sizeof(st->version), "%s", XNEIGH_VERSION);
	snprintf(st->libbpf, sizeof(st->libbpf), "%s", libbpf_version_string());
	snprintf(st->pin_dir, sizeof(st->pin_dir), "%s", d->pins.dir);
	for (i = 0; i < d->nifaces; i++) {
		const struct xn_iface *ifc = &d->ifaces[i];
		struct xnd_ctl_status_iface *si = &p.ifs[i];

		snprintf(si->name, sizeof(si->name), "%s", ifc->name);
		si->ifindex = (__u32)ifc->ifindex;
		if (ifc->xdp || ifc->xdp_raw) {
			si->flags |= XND_IF_XDP;
			si->xdp_id = xdp_id;
		}
		if (ifc->xdp_dispatcher)
			si->flags |= XND_IF_XDP_DISPATCHER;
		if (ifc->tc_in) {
			si->flags |= ifc->tc_in_confirm ? XND_IF_TC_CONFIRM : XND_IF_TC_IN;
			si->tc_in_id = ifc->tc_in_id;
		}
		if (ifc->tc_out) {
			si->flags |= XND_IF_TC_OUT;
			si->tc_out_id = ifc->tc_out_id;
		}
		if (ifc->gone)
			si->flags |= XND_IF_GONE;
	}
	st->nifaces = d->nifaces;
	xnd_ctl_reply_init(&rep, req, 0, NULL);
	rep.now = mono_now();
	xnd_ctlsrv_reply_payload(fd, &rep, &p, sizeof(p.st) + d->nifaces * sizeof(p.ifs[0]));
}

/* ---- neighbour parameters: the configuration file and overrides (conf.h) ---------- */

/* Read the configuration file into d->conf.file: the one --config names
 * (it must exist), else XN_CONF_DEFAULT_PATH if it exists. On an error the
 * settings in force stay. 0 or -errno (said). */
static int conf_load(struct xn_daemon *d, bool reload)
{
	const char *path = d->cfg.config ? d->cfg.config : XN_CONF_DEFAULT_PATH;
	struct xn_conf_layer l = {};
	char err[PATH_MAX + 256];
	int ret;

	ret = xn_conf_load(path, &l, err, sizeof(err));
	if (ret == -ENOENT && !d->cfg.config) {
		if (d->conf.file.n)
			pr_info("%s is gone: no configuration file settings now\n", path);
		xn_conf_layer_free(&d->conf.file);
		return 0;
	}
	if (ret) {
		pr_warn("%s%s\n", err, reload ? "; keeping the settings in force" : "");
		return ret;
	}
	xn_conf_layer_free(&d->conf.file);
	d->conf.file = l;
	pr_info("configuration %s: %zu settings\n", path, xn_conf_layer_count(&l));
	return 0;
}

/* The effective parameters changed: the data plane's (xn_ifconf: locktime,
 * base_reachable_time) and the NUD engine's sets take them now. Timers
 * already armed keep their time, as after a sysctl write in the kernel. */
static void conf_apply(struct xn_daemon *d)
{
	xn_sync_run(&d->sync, XN_DIRTY_SYSCTL);
	d->parms_gen = ++d->sync.parms_gen;
	if (d->nudd)
		xn_nudd_sync_parms(d->nudd);
}

/* XND_CTL_CONF_GET and XND_CTL_CONF_SET (ctlproto.h). */
static void ctl_conf(struct xn_daemon *d, int fd, const struct xnd_ctl_request *req,
		     const void *payload, size_t payload_len)
{
	static struct {
		struct xnd_ctl_conf hdr;
		struct xnd_ctl_conf_key keys[XN_CONF_NKEYS];
	} p;
	struct xnd_ctl_conf_req cr;
	struct xnd_ctl_reply rep;
	char msg[sizeof(rep.msg)] = "";
	bool unset = req->flags & XND_CTL_F_CONF_UNSET;
	int err;

	if (payload_len != sizeof(cr)) {
		xnd_ctl_reply_init(&rep, req, -EINVAL, "malformed request: %zu bytes of payload, "
				   "expected %zu", payload_len, sizeof(cr));
		xnd_ctlsrv_reply(fd, &rep);
		return;
	}
	memcpy(&cr, payload, sizeof(cr));
	if (req->op == XND_CTL_CONF_GET) {
		err = xn_conf_ctl_get(&d->conf, &d->sync.m, (int)req->family, cr.dev, &p.hdr,
				      p.keys, msg, sizeof(msg));
		xnd_ctl_reply_init(&rep, req, err, "%s", msg);
		if (err)
			xnd_ctlsrv_reply(fd, &rep);
		else
			xnd_ctlsrv_reply_payload(fd, &rep, &p, sizeof(p));
		return;
	}
	err = xn_conf_ctl_set(&d->conf, &d->sync.m, (int)req->family, &cr, unset, msg,
			      sizeof(msg));
	if (!err) {
		pr_info("conf: %s%s%s %s %s%s%s\n", unset ? "override removed: " : "override: ",
			cr.dev[0] ? "dev " : "", cr.dev[0] ? cr.dev : "default",
			req->family == AF_INET ? "inet" : req->family == AF_INET6 ? "inet6" :
			"inet inet6", cr.key, unset ? "" : " ", unset ? "" : cr.value);
		conf_apply(d);
	}
	xnd_ctl_reply_init(&rep, req, err, "%s", msg);
	xnd_ctlsrv_reply(fd, &rep);
}

/* One request on the control socket: one case per operation (ctlproto.h);
 * payload is what followed the request in its packet. */
static void ctl_request(struct xn_daemon *d, int fd, const struct xnd_ctl_request *req,
			const void *payload, size_t payload_len)
{
	struct xnd_ctl_reply rep;

	switch (req->op) {
	case XND_CTL_RESOLVE:
		ctl_resolve(d, fd, req);
		break;
	case XND_CTL_MONITOR:
		ctl_monitor(d, fd, req);
		break;
	case XND_CTL_STATUS:
		ctl_status(d, fd, req);
		break;
	case XND_CTL_CONF_GET:
	case XND_CTL_CONF_SET:
		ctl_conf(d, fd, req, payload, payload_len);
		break;
	default:
		xnd_ctl_reply_init(&rep, req, -EOPNOTSUPP, "unknown operation %u", req->op);
		xnd_ctlsrv_reply(fd, &rep);
		break;
	}
}

static int setup_loop(struct xn_daemon *d, const sigset_t *mask)
{
	struct itimerspec its = {
		.it_interval = { .tv_nsec = XN_TICK_MS * 1000000L },
		.it_value = { .tv_nsec = XN_TICK_MS * 1000000L },
	};
	int err;

	d->rb = ring_buffer__new(bpf_map__fd(d->skel->maps.xn_events), ringbuf_event, d, NULL);
	err = libbpf_get_error(d->rb);
	if (err) {
		d->rb = NULL;
		pr_warn("cannot open ring buffer %s: %s\n", XN_MAP_EVENTS, strerror(-err));
		return err;
	}
	/* the same epoll fd wakes for held frames */
	err = ring_buffer__add(d->rb, bpf_map__fd(d->skel->maps.xn_hold), hold_record, d);
	if (err) {
		pr_warn("cannot open ring buffer %s: %s\n", XN_MAP_HOLD, strerror(-err));
		return err;
	}
	d->sfd = signalfd(-1, mask, SFD_CLOEXEC | SFD_NONBLOCK);
	d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	d->nfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (d->sfd < 0 || d->tfd < 0 || d->nfd < 0 || d->epfd < 0 ||
	    timerfd_settime(d->tfd, 0, &its, NULL)) {
		err = -errno;
		pr_warn("cannot set up the event loop: %s\n", strerror(-err));
		return err;
	}
	err = epoll_add(d->epfd, d->sfd, EV_SIGNAL, EPOLLIN);
	if (!err)
		err = epoll_add(d->epfd, xn_nl_event_fd(&d->sync.nl), EV_NETLINK, EPOLLIN);
	if (!err)
		err = epoll_add(d->epfd, d->tfd, EV_TIMER, EPOLLIN);
	if (!err)
		err = epoll_add(d->epfd, ring_buffer__epoll_fd(d->rb), EV_RINGBUF, EPOLLIN);
	if (!err)
		err = epoll_add(d->epfd, d->nfd, EV_NUD, EPOLLIN);
	if (!err && d->ctl.lfd >= 0)
		err = epoll_add(d->epfd, d->ctl.lfd, EV_CTL_LISTEN, EPOLLIN);
	if (err)
		pr_warn("cannot set up the event loop: %s\n", strerror(-err));
	return err;
}

/* An interface we run on was deleted: its programs went with it. Say so
 * once (a new interface of the same name is not attached: restart). */
static void check_ifaces(struct xn_daemon *d)
{
	char name[IF_NAMESIZE];
	unsigned int i;

	for (i = 0; i < d->nifaces; i++) {
		struct xn_iface *ifc = &d->ifaces[i];

		if (ifc->gone || if_indextoname(ifc->ifindex, name))
			continue;
		pr_warn("interface %s (ifindex %d) was deleted: xneigh no longer runs there\n",
			ifc->name, ifc->ifindex);
		ifc->gone = true;
		ifc->xdp = ifc->xdp_raw = ifc->tc_in = ifc->tc_out = ifc->tc_qdisc_created = false;
		ifc->tc_in_confirm = false;
	}
}

static void accept_ctl(struct xn_daemon *d)
{
	struct xnd_ctl_request req;
	const void *payload;
	size_t payload_len;
	int fd, r;

	/* a handful per turn: the loop stays responsive to everything else */
	for (int i = 0; i < 16; i++) {
		r = xnd_ctlsrv_accept(&d->ctl, &fd, &req, &payload, &payload_len);
		if (r < 0)
			pr_warn("control socket: %s\n", strerror(-r));
		if (r <= 0)
			return;
		ctl_request(d, fd, &req, payload, payload_len);
	}
}

/* Returns 0 when stopped by SIGINT/SIGTERM, -errno on a fatal error. */
static int run_loop(struct xn_daemon *d)
{
	struct epoll_event evs[16];

	for (;;) {
		unsigned int dirty = 0;
		bool tick = false, stop = false, nud = false, kmirror = false;
		int i, n;

		nud_rearm(d);
		n = epoll_wait(d->epfd, evs, 16, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			pr_warn("epoll_wait: %s\n", strerror(errno));
			return -errno;
		}
		for (i = 0; i < n; i++) {
			__u64 tag = evs[i].data.u64;

			switch (tag & 0xff) {
			case EV_SIGNAL: {
				struct signalfd_siginfo si;

				while (read(d->sfd, &si, sizeof(si)) == sizeof(si)) {
					if (si.ssi_signo == SIGHUP) {
						pr_info("SIGHUP: full resync, configuration "
							"re-read\n");
						if (!conf_load(d, true))
							d->sync.parms_gen++;
						dirty |= XN_DIRTY_ALL;
						if (d->km)
							xn_km_resync(d->km);
					} else {
						pr_info("%s: %s and exiting\n",
							si.ssi_signo == SIGINT ? "SIGINT" : "SIGTERM",
							d->cfg.keep ? "leaving the data plane running" :
							"detaching");
						stop = true;
					}
				}
				break;
			}
			case EV_NETLINK:
				xn_nl_read_events(&d->sync.nl, &dirty);
				break;
			case EV_TIMER: {
				__u64 expirations;

				if (read(d->tfd, &expirations, sizeof(expirations)) > 0)
					tick = true;
				break;
			}
			case EV_NUD: {
				__u64 expirations;

				if (read(d->nfd, &expirations, sizeof(expirations)) > 0) {
					nud = true;
					d->nfd_due = XN_TQ_NEVER;	/* fired: re-arm */
				}
				break;
			}
			case EV_RINGBUF:
				ring_buffer__consume(d->rb);
				break;
			case EV_CTL_LISTEN:
				accept_ctl(d);
				break;
			case EV_CTL_CONN:
				/* a waiting client or a monitor never sends
				 * again: it left */
				xnd_ctlsrv_drop(&d->ctl, (int)(tag >> 8));
				break;
			case EV_KMIRROR:
				kmirror = true;
				break;
			}
		}
		if (stop)
			return 0;
		if (dirty & XN_DIRTY_LINKS)
			check_ifaces(d);
		if (dirty)
			xn_sync_run(&d->sync, dirty);
		if (tick) {
			xn_sync_tick(&d->sync);
			xn_nudd_tick(d->nudd);
			if (d->hold)
				xn_holdd_tick(d->hold, mono_now());
			if (d->km)
				xn_km_tick(d->km);
			if (d->ctl.nsub)
				xnd_ctlsrv_flush_lost(&d->ctl, real_now());
		}
		if (d->sync.parms_gen != d->parms_gen) {
			d->parms_gen = d->sync.parms_gen;
			xn_nudd_sync_parms(d->nudd);
		}
		/* EV-*: carrier loss, down, MAC change ... remove entries as
		 * the kernel's netdevice notifiers do (devev.h) */
		xn_nudd_dev_events(d->nudd, &d->sync.nl, dirty || tick);
		/* events first (they re-arm timers), then what is due */
		ring_buffer__consume(d->rb);
		if (nud || xn_nudd_next_due(d->nudd) <= mono_now())
			xn_nudd_run(d->nudd);
		/* a bounded batch; its eventfd stays readable while more waits */
		if (kmirror && d->km)
			xn_km_run(d->km);
	}
}

static void cleanup(struct xn_daemon *d)
{
	bool keep = d->cfg.keep;

	/* without --keep the kernel resolves by itself again; with it the
	 * data plane keeps answering and the next xneighd reconciles */
	if (d->km) {
		xn_km_close(d->km, !keep);
		d->km = NULL;
	}

	if (d->hold) {
		xn_holdd_log_summary(d->hold);
		xn_holdd_free(d->hold);
		d->hold = NULL;
	}
	if (d->nudd) {
		xn_nudd_log_summary(d->nudd);
		xn_nudd_free(d->nudd);
		d->nudd = NULL;
	}
	xn_conf_free(&d->conf);
	xnd_ctlsrv_close(&d->ctl);
	if (!keep)
		detach_all(d);
	else if (d->skel)
		pr_info("--keep: programs stay attached; the next xneighd adopts them\n");
	if (d->rb)
		ring_buffer__free(d->rb);
	if (d->epfd >= 0)
		close(d->epfd);
	if (d->tfd >= 0)
		close(d->tfd);
	if (d->nfd >= 0)
		close(d->nfd);
	if (d->sfd >= 0)
		close(d->sfd);
	xn_pins_release(&d->pins, d->skel ? d->skel->obj : NULL, keep);
	if (d->sync_open)
		xn_sync_fini(&d->sync);
	if (d->xdp)
		xdp_program__close(d->xdp);
	if (d->skel)
		xneigh__destroy(d->skel);
}

/* The hold queue (holdq.h). Without it, frames the data plane holds are
 * never sent: not fatal, the rest works. */
static void start_hold(struct xn_daemon *d)
{
	struct xn_holdd_cfg hc = {
		.neigh_fd = { bpf_map__fd(d->skel->maps.xn_neigh4),
			      bpf_map__fd(d->skel->maps.xn_neigh6) },
		.ctl_fd = bpf_program__fd(d->skel->progs.xn_ctl),
		.m = &d->sync.m,
		.conf = &d->conf,
		.resolve = dp_resolve,
		.ctx = d,
	};

	if (xn_holdd_new(&d->hold, &hc))
		pr_warn("continuing without the hold queue: held frames are not sent\n");
}

static int start_nud(struct xn_daemon *d)
{
	struct xn_nudd_cfg nc = {
		.neigh_fd = { bpf_map__fd(d->skel->maps.xn_neigh4),
			      bpf_map__fd(d->skel->maps.xn_neigh6) },
		.stats_fd = bpf_map__fd(d->skel->maps.xn_stats),
		.global_fd = bpf_map__fd(d->skel->maps.xn_global),
		.ctl_fd = bpf_program__fd(d->skel->progs.xn_ctl),
		.m = &d->sync.m,
		.conf = &d->conf,
		.changed = entry_changed,
		.ctx = d,
	};
	int err;

	err = xn_nudd_new(&d->nudd, &nc);
	if (err)
		return err;
	d->parms_gen = d->sync.parms_gen;
	xn_nudd_sync_parms(d->nudd);
	return xn_nudd_adopt(d->nudd);
}

/* The kernel table mirror (kmirror.h), before the NUD driver adopts the
 * tables: adoption reports every entry, which is the start-up
 * reconciliation. A mirror that cannot start is not fatal: the data plane
 * works without it, the host's traffic resolves as before. */
static void start_kmirror(struct xn_daemon *d)
{
	__u32 ifindex[XN_IFACES_MAX];
	struct xn_km_cfg kc = {
		.ifindex = ifindex,
		.nifaces = d->nifaces,
		.m = &d->sync.m,
		.neigh_fd = { bpf_map__fd(d->skel->maps.xn_neigh4),
			      bpf_map__fd(d->skel->maps.xn_neigh6) },
		.stats_fd = bpf_map__fd(d->skel->maps.xn_stats),
		.ctl_fd = bpf_program__fd(d->skel->progs.xn_ctl),
	};
	int fds[2], nfds = 0, i, err;

	if (!d->cfg.kernel_sync) {
		/* nobody ages what an earlier xneighd --keep left */
		err = xn_km_remove_leftovers();
		if (err > 0)
			pr_info("--no-kernel-sync: removed %d entries an earlier xneighd wrote into "
				"the kernel's neighbour table\n", err);
		else if (err < 0)
			pr_warn("--no-kernel-sync: cannot check the kernel's neighbour table for "
				"entries an earlier xneighd left: %s\n", strerror(-err));
		return;
	}
	for (i = 0; i < (int)d->nifaces; i++)
		ifindex[i] = (__u32)d->ifaces[i].ifindex;
	err = xn_km_open(&d->km, &kc);
	if (!err) {
		xn_km_fds(d->km, fds, &nfds);
		for (i = 0; i < nfds && !err; i++)
			err = epoll_add(d->epfd, fds[i], EV_KMIRROR, EPOLLIN);
		if (err) {
			xn_km_close(d->km, false);
			d->km = NULL;
		}
	}
	if (err) {
		pr_warn("continuing without the kernel table mirror (%s)\n", strerror(-err));
		d->cfg.kernel_sync = false;	/* what `xneigh status` says */
	}
}

static int run(struct xn_daemon *d)
{
	struct xn_sync_maps maps;
	char pin_dir[PATH_MAX];
	bool owner_dead;
	sigset_t mask;
	unsigned int i;
	int err;

	d->start_real = real_now();
	d->start_mono = mono_now();
	/* Block the stop signals now: one that arrives during start-up waits
	 * in the signalfd and ends the daemon cleanly at the first loop turn. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);

	/* The control socket first: its name is the namespace's lock. Held,
	 * it proves that whatever xneigh programs we find belong to a daemon
	 * that is gone, however fresh their heartbeat (kill -9 a second ago). */
	err = xnd_ctlsrv_open(&d->ctl);
	if (err == -EADDRINUSE)
		return err;
	owner_dead = !err;
	if (err)
		pr_warn("continuing without a control socket: `--resolve` will not work\n");

	/* `ip netns exec` remounts /sys without bpffs; libxdp needs it too. */
	err = xn_bpffs_ensure();
	if (err) {
		pr_warn("cannot mount bpffs on %s: %s\n", XN_BPFFS, strerror(-err));
		return err;
	}
	if (d->cfg.pin_dir) {
		snprintf(pin_dir, sizeof(pin_dir), "%s", d->cfg.pin_dir);
	} else {
		err = xn_pin_dir(pin_dir, sizeof(pin_dir));
		if (err) {
			pr_warn("cannot name the pin directory: %s\n", strerror(-err));
			return err;
		}
	}
	err = xn_pins_prepare(&d->pins, pin_dir);
	if (err)
		return err;
	/* pins of another namespace (a reused inode number) are not adopted */
	err = xn_pins_check_owner(&d->pins);
	if (err)
		return err;

	err = xn_sync_init(&d->sync);
	if (err)
		return err;
	d->sync_open = true;
	d->sync.conf = &d->conf;
	d->sync.strict = d->cfg.strict;
	for (i = 0; i < d->nifaces; i++) {
		err = xn_attach_find_leftovers(&d->ifaces[i], &d->sync.nl, owner_dead, &d->left[i]);
		if (err)
			return err;
	}

	d->skel = xneigh__open();
	err = libbpf_get_error(d->skel);
	if (!d->skel || err) {
		d->skel = NULL;
		pr_warn("cannot open the BPF object: %s\n", strerror(err ? -err : ENOMEM));
		return err ? err : -ENOMEM;
	}
	err = bpf_map__set_max_entries(d->skel->maps.xn_neigh4, d->cfg.max_entries);
	if (err) {
		pr_warn("cannot size %s to %u entries: %s\n", XN_MAP_NEIGH4, d->cfg.max_entries,
			strerror(-err));
		return err;
	}
	err = bpf_map__set_max_entries(d->skel->maps.xn_neigh6, d->cfg.max_entries);
	if (err) {
		pr_warn("cannot size %s to %u entries: %s\n", XN_MAP_NEIGH6, d->cfg.max_entries,
			strerror(-err));
		return err;
	}
	adopt_maps(d);
	/* what was worth keeping is open now */
	err = xn_pins_clear_stale(&d->pins);
	if (err)
		return err;

	err = load_and_attach(d);
	if (err)
		return err;
	err = xn_pins_pin(&d->pins, d->skel->obj);
	if (err)
		return err;

	maps.ifconf = bpf_map__fd(d->skel->maps.xn_ifconf);
	maps.ifaddr4 = bpf_map__fd(d->skel->maps.xn_ifaddr4);
	maps.local4 = bpf_map__fd(d->skel->maps.xn_local4);
	maps.local4f = bpf_map__fd(d->skel->maps.xn_local4_filt);
	maps.snap = bpf_map__fd(d->skel->maps.xn_snap);
	maps.proxy4 = bpf_map__fd(d->skel->maps.xn_proxy4);
	maps.global = bpf_map__fd(d->skel->maps.xn_global);
	maps.addr6 = bpf_map__fd(d->skel->maps.xn_addr6);
	maps.prefix6 = bpf_map__fd(d->skel->maps.xn_prefix6);
	maps.proxy6 = bpf_map__fd(d->skel->maps.xn_proxy6);
	maps.route4 = bpf_map__fd(d->skel->maps.xn_route4);
	xn_sync_set_maps(&d->sync, &maps);
	err = xn_sync_run(&d->sync, XN_DIRTY_ALL);
	if (err)
		pr_warn("initial sync incomplete (%s); retrying at every change and tick\n",
			strerror(-err));

	err = setup_loop(d, &mask);
	if (err)
		return err;
	start_kmirror(d);
	err = start_nud(d);
	if (err)
		return err;
	start_hold(d);

	for (i = 0; i < d->nifaces; i++)
		pr_info("interface %s (ifindex %d)\n", d->ifaces[i].name, d->ifaces[i].ifindex);
	pr_info("mode %s%s, maps pinned in %s\n", xn_mode_name(d->cfg.mode),
		d->cfg.mode == XN_MODE_TC ? "" :
		d->ifaces[0].xdp_dispatcher ? " (libxdp dispatcher)" :
		d->ifaces[0].xdp_raw ? " (single program)" :
		" (libxdp legacy single program)", d->pins.dir);
	log_objects(d);
	pr_info("running; SIGINT or SIGTERM %s and exits\n",
		d->cfg.keep ? "leaves the data plane running" : "detaches");

	return run_loop(d);
}

/* ---- client mode: --resolve ------------------------------------------------------------- */

static const char *nud_name(__u8 state)
{
	static const struct {
		__u8 bit;
		const char *name;
	} names[] = {
		{ NUD_INCOMPLETE, "INCOMPLETE" }, { NUD_REACHABLE, "REACHABLE" },
		{ NUD_STALE, "STALE" }, { NUD_DELAY, "DELAY" }, { NUD_PROBE, "PROBE" },
		{ NUD_FAILED, "FAILED" }, { NUD_NOARP, "NOARP" }, { NUD_PERMANENT, "PERMANENT" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (state == names[i].bit)
			return names[i].name;
	return state ? "?" : "NONE";
}

/* `ip neigh`'s line for the entry: ADDR dev DEV [lladdr MAC] [router] STATE */
static void print_entry(const struct xnd_ctl_reply *rep, const char *addr, const char *dev)
{
	printf("%s dev %s", addr, dev);
	if (rep->present && (rep->state & XN_NUD_VALID))
		printf(" lladdr %02x:%02x:%02x:%02x:%02x:%02x", rep->lladdr[0], rep->lladdr[1],
		       rep->lladdr[2], rep->lladdr[3], rep->lladdr[4], rep->lladdr[5]);
	if (rep->present && (rep->flags & XN_NTF_ROUTER))
		printf(" router");
	printf(" %s\n", rep->present ? nud_name(rep->state) : "(gone)");
}

static int client_resolve(const struct xn_config *cfg)
{
	struct xnd_ctl_request req = {
		.magic = XND_CTL_MAGIC, .version = XND_CTL_VERSION, .op = XND_CTL_RESOLVE,
	};
	struct xnd_ctl_reply rep;
	char msg[256], canon[INET6_ADDRSTRLEN];
	int err;

	if (inet_pton(AF_INET, cfg->resolve, req.addr) == 1) {
		req.family = AF_INET;
	} else if (inet_pton(AF_INET6, cfg->resolve, req.addr) == 1) {
		req.family = AF_INET6;
	} else {
		return usage_error("invalid address '%s': expected an IPv4 or IPv6 address",
				   xn_tok(cfg->resolve));
	}
	req.ifindex = strlen(cfg->dev) < IF_NAMESIZE ? if_nametoindex(cfg->dev) : 0;
	if (!req.ifindex) {
		/* a bad argument, like a malformed address */
		fprintf(stderr, "%s: unknown interface '%s'\n", PROG, xn_tok(cfg->dev));
		return 2;
	}
	if (cfg->wait)
		req.flags |= XND_CTL_F_WAIT;
	err = xnd_ctl_call(&req, &rep, -1, msg, sizeof(msg));
	if (err) {
		fprintf(stderr, "%s: %s\n", PROG, msg);
		return 1;
	}
	if (rep.result) {
		fprintf(stderr, "%s: resolve %s dev %s: %s\n", PROG, cfg->resolve, cfg->dev,
			rep.msg[0] ? rep.msg : strerror(-rep.result));
		return 1;
	}
	inet_ntop((int)req.family, req.addr, canon, sizeof(canon));
	print_entry(&rep, canon, cfg->dev);
	if (!rep.present || rep.state == NUD_FAILED)
		return 1;
	if (cfg->wait && !(rep.state & XN_NUD_VALID))
		return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static struct xn_daemon d;
	unsigned int i;
	int err;

	d.cfg.mode = XN_MODE_NATIVE;
	d.cfg.max_entries = XN_NEIGH4_MAX_DEFAULT;
	d.sfd = d.tfd = d.nfd = d.epfd = -1;
	d.nfd_due = XN_TQ_NEVER;
	d.pins.lock_fd = -1;
	d.ctl.lfd = -1;
	d.cfg.kernel_sync = true;

	err = parse_args(argc, argv, &d.cfg);
	if (err)
		return err;
	if (d.cfg.help) {
		usage(stdout);
		return 0;
	}
	if (d.cfg.version) {
		printf("%s %s (libbpf %s, libxdp)\n", PROG, XNEIGH_VERSION, libbpf_version_string());
		return 0;
	}

	xn_log_set_prefix(PROG);
	xn_log_set_level(d.cfg.verbose >= 2 ? XN_LOG_DEBUG :
			 d.cfg.verbose == 1 ? XN_LOG_INFO : XN_LOG_WARN);
	if (d.cfg.resolve)
		return client_resolve(&d.cfg);
	xn_log_hook_libs();
	/* a bad configuration file is a usage error: refuse to start */
	if (conf_load(&d, false))
		return 2;

	for (i = 0; i < d.cfg.ifaces.n; i++) {
		const char *name = d.cfg.ifaces.v[i];
		struct xn_iface *ifc = &d.ifaces[d.nifaces];

		ifc->ifindex = strlen(name) < IF_NAMESIZE ? (int)if_nametoindex(name) : 0;
		if (!ifc->ifindex) {
			pr_warn("unknown interface '%s'\n", xn_tok(name));
			return 2;	/* a bad argument: nothing was touched */
		}
		snprintf(ifc->name, sizeof(ifc->name), "%s", name);
		d.nifaces++;
	}
	if (!has_caps_to_load()) {
		need_root();
		return 1;
	}

	err = run(&d);
	cleanup(&d);
	return err ? 1 : 0;
}
