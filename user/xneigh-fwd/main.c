// SPDX-License-Identifier: GPL-2.0
/* xneigh-fwd: load the XDP router bpf/xneigh_fwd.bpf.c onto interfaces, its
 * neighbour resolution sharing the maps of the xneighd running in this
 * network namespace (include/xneigh/resolve.h), until SIGINT/SIGTERM.
 *
 * Finding xneighd's maps: the daemon says where it pinned them and its pid
 * (XND_CTL_STATUS on its control socket, which any mount namespace of the
 * network namespace reaches). The pins are opened in our own view of the
 * file system, else through /proc/<pid>/root, the daemon's (under
 * `ip netns exec` each process has a bpffs of its own, or none). Every map
 * of xneigh's in the object is made the daemon's with bpf_map__reuse_fd()
 * before the load, after checking that the maps are this namespace's
 * (xn_global.netns_cookie, pins.h).
 *
 * The XDP hook of each interface must be free: run xneighd with --mode tc
 * there (its ARP/NDISC answers then run at TC ingress, after xneigh-fwd has
 * passed those frames on).
 *
 * Exit status: 0 stopped by a signal, 1 failure, 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xneigh/maps.h"
#include "xneigh/fwd.h"
#include "xneigh/resolve.h"
#include "ctlproto.h"
#include "fmt.h"
#include "log.h"
#include "pins.h"
#include "xneigh_fwd.skel.h"

#define PROG		"xneigh-fwd"
#define MAX_IFACES	64

#ifndef XNEIGH_VERSION
#define XNEIGH_VERSION "0.1"
#endif

struct fwd_cfg {
	const char *ifname[MAX_IFACES];
	__u32 ifindex[MAX_IFACES];
	bool attached[MAX_IFACES];
	unsigned int nifaces;
	int policy;			/* enum xn_resolve_policy */
	bool generic;			/* --mode generic */
	int verbose;
};

static const struct {
	const char *name;
	int value;
} policies[] = {
	{ "hold", XN_RESOLVE_HOLD }, { "pass", XN_RESOLVE_PASS }, { "drop", XN_RESOLVE_DROP },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s -i DEV [-i DEV ...] [--policy hold|pass|drop] [--mode native|generic] [-v]\n\n"
		"Forward IPv4 and IPv6 between the interfaces in XDP: route with the kernel's\n"
		"FIB (bpf_fib_lookup), decrement the TTL / hop limit, resolve the next hop in\n"
		"xneigh's neighbour tables and redirect. Frames the kernel must handle (ARP,\n"
		"NDISC, local delivery, TTL 1, too big, no route, ...) are passed to it.\n"
		"Needs xneighd running in this network namespace on every interface given,\n"
		"in --mode tc (xneigh-fwd takes the XDP hook). Runs until SIGINT or SIGTERM,\n"
		"then detaches and prints its counters.\n\n"
		"Options:\n"
		"  -i, --interface DEV   forward on DEV (repeat for more; at least two)\n"
		"  -p, --policy POLICY   a frame whose next hop is not resolved yet is\n"
		"                        hold: held by xneighd and sent once resolved (default)\n"
		"                        pass: handed to the kernel, which resolves and sends it\n"
		"                        drop: dropped, counted in unres_discards\n"
		"  -m, --mode MODE       native: XDP in the driver (default); generic: skb mode\n"
		"  -v, --verbose         say what is attached where (-vv: libbpf's messages)\n"
		"  -h, --help            show this help and exit\n"
		"      --version         show the version and exit\n\n"
		"Exit status: 0 stopped by a signal, 1 failure, 2 usage error.\n", PROG);
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

static int parse_args(int argc, char **argv, struct fwd_cfg *cfg, bool *done)
{
	static const struct option lopts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "policy", required_argument, NULL, 'p' },
		{ "mode", required_argument, NULL, 'm' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy_arg = NULL, *mode_arg = NULL;
	const char *why;
	unsigned int i, j;
	int c;

	*done = false;
	cfg->policy = XN_RESOLVE_HOLD;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:p:m:vh", lopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (cfg->nifaces == MAX_IFACES)
				return usage_error("too many interfaces: at most %d", MAX_IFACES);
			/* a name the kernel refuses; whether it exists comes after */
			why = xn_ifname_invalid(optarg);
			if (why)
				return usage_error("interface name '%s' %s", xn_tok(optarg), why);
			cfg->ifname[cfg->nifaces++] = optarg;
			break;
		case 'p':
			if (policy_arg)
				return usage_error("--policy given twice: '%s' after '%s'",
						    xn_tok(optarg), xn_tok(policy_arg));
			policy_arg = optarg;
			for (i = 0; i < sizeof(policies) / sizeof(policies[0]); i++)
				if (!strcmp(optarg, policies[i].name))
					break;
			if (i == sizeof(policies) / sizeof(policies[0]))
				return usage_error("invalid --policy '%s': expected hold, pass or drop",
						   xn_tok(optarg));
			cfg->policy = policies[i].value;
			break;
		case 'm':
			if (mode_arg)
				return usage_error("--mode given twice: '%s' after '%s'",
						    xn_tok(optarg), xn_tok(mode_arg));
			mode_arg = optarg;
			if (!strcmp(optarg, "native"))
				cfg->generic = false;
			else if (!strcmp(optarg, "generic"))
				cfg->generic = true;
			else
				return usage_error("invalid --mode '%s': expected native or generic",
						   xn_tok(optarg));
			break;
		case 'v':
			cfg->verbose++;
			break;
		case 'h':
			usage(stdout);
			*done = true;
			return 0;
		case 'V':
			printf("%s %s (libbpf %s)\n", PROG, XNEIGH_VERSION, libbpf_version_string());
			*done = true;
			return 0;
		case ':':
			return usage_error("option '%s' needs a value", xn_tok(argv[optind - 1]));
		default:
			return usage_error("unknown option '%s'", xn_tok(argv[optind - 1]));
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", xn_tok(argv[optind]));
	if (cfg->nifaces < 2)
		return usage_error("%s: forwarding needs at least two interfaces (-i DEV -i DEV)",
				   cfg->nifaces ? "one interface given" : "no interface given");
	for (i = 0; i < cfg->nifaces; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(cfg->ifname[i], cfg->ifname[j]))
				return usage_error("interface '%s' given twice",
						   xn_tok(cfg->ifname[i]));
	return 0;
}

/* ---- xneighd's maps --------------------------------------------------------------- */

/* Where the running xneighd pinned its maps, and its pid. 0 or -errno (said). */
static int daemon_pins(char *dir, size_t len, __u32 *pid)
{
	static struct {
		struct xnd_ctl_status st;
		struct xnd_ctl_status_iface ifs[XN_IFACES_MAX];
	} p;
	struct xnd_ctl_request req;
	struct xnd_ctl_reply rep;
	char msg[256];
	size_t plen = 0;
	int err;

	xnd_ctl_request_init(&req, XND_CTL_STATUS);
	err = xnd_ctl_exchange(&req, NULL, 0, &rep, &p, sizeof(p), &plen, 5000, NULL, msg,
			       sizeof(msg));
	if (!err && rep.result)
		err = rep.result;
	if (!err && plen < sizeof(p.st))
		err = -EPROTO;
	if (err) {
		pr_warn("cannot ask xneighd where its maps are: %s (xneigh-fwd resolves next hops "
			"through the xneighd of this network namespace)\n",
			err == rep.result ? strerror(-err) : msg);
		return err;
	}
	p.st.pin_dir[sizeof(p.st.pin_dir) - 1] = '\0';
	if (snprintf(dir, len, "%s", p.st.pin_dir) >= (int)len)
		return -ENAMETOOLONG;
	*pid = p.st.pid;
	return 0;
}

/* Open the pin `name` in dir, in our view or the daemon's. */
static int open_pin(const char *dir, __u32 pid, const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = bpf_obj_get(path);
	if (fd >= 0)
		return fd;
	snprintf(path, sizeof(path), "/proc/%u/root%s/%s", pid, dir, name);
	fd = bpf_obj_get(path);
	return fd;
}

/* resolve.h: every xneigh map (xn_*) of the object becomes the daemon's. */
static int reuse_maps(struct xneigh_fwd *skel)
{
	char dir[PATH_MAX];
	struct bpf_map *map;
	__u64 ours = 0, stamp = 0;
	__u32 pid = 0;
	unsigned int n = 0;
	int fd, err;

	err = daemon_pins(dir, sizeof(dir), &pid);
	if (err)
		return err;
	fd = open_pin(dir, pid, XN_MAP_GLOBAL);
	if (fd < 0) {
		pr_warn("cannot open xneighd's map %s in %s (pid %u): %s\n", XN_MAP_GLOBAL, dir,
			pid, strerror(-fd));
		return fd;
	}
	err = xn_global_cookie(fd, &stamp);
	close(fd);
	if (!err && !xn_netns_cookie(&ours) && xn_owner_of(ours, stamp) == XN_OWNER_OTHER_NETNS) {
		pr_warn("the maps pinned in %s belong to another network namespace\n", dir);
		return -EXDEV;
	}
	bpf_object__for_each_map(map, skel->obj) {
		const char *name = bpf_map__name(map);

		if (bpf_map__is_internal(map) || strncmp(name, "xn_", 3))
			continue;
		fd = open_pin(dir, pid, name);
		if (fd < 0) {
			pr_warn("xneighd (pid %u) has no map %s pinned in %s: %s (another build?)\n",
				pid, name, dir, strerror(-fd));
			return fd;
		}
		err = bpf_map__reuse_fd(map, fd);
		close(fd);
		if (err) {
			pr_warn("cannot use xneighd's map %s: %s\n", name, strerror(-err));
			return err;
		}
		n++;
	}
	pr_info("%u maps of xneighd (pid %u) reused from %s\n", n, pid, dir);
	return 0;
}

/* ---- attach, wait, detach ------------------------------------------------------------ */

static __u32 xdp_flags(const struct fwd_cfg *cfg)
{
	return cfg->generic ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE;
}

static void detach_all(struct fwd_cfg *cfg, int prog_fd)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, o, .old_prog_fd = prog_fd);
	unsigned int i;
	int err;

	for (i = 0; i < cfg->nifaces; i++) {
		if (!cfg->attached[i])
			continue;
		/* only if it is still ours (XDP_FLAGS_REPLACE) */
		err = bpf_xdp_detach((int)cfg->ifindex[i], xdp_flags(cfg) | XDP_FLAGS_REPLACE, &o);
		if (err)
			pr_warn("cannot detach from %s: %s\n", cfg->ifname[i], strerror(-err));
		cfg->attached[i] = false;
	}
}

static int attach_all(struct fwd_cfg *cfg, int prog_fd)
{
	unsigned int i;
	int err;

	for (i = 0; i < cfg->nifaces; i++) {
		err = bpf_xdp_attach((int)cfg->ifindex[i], prog_fd,
				     xdp_flags(cfg) | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
		if (err == -EBUSY || err == -EEXIST) {
			pr_warn("%s already has an XDP program (xneighd in an XDP mode?): run xneighd "
				"--mode tc on the interfaces xneigh-fwd forwards between\n",
				cfg->ifname[i]);
			return err;
		}
		if (err) {
			pr_warn("cannot attach to %s in %s mode: %s\n", cfg->ifname[i],
				cfg->generic ? "generic" : "native", strerror(-err));
			return err;
		}
		cfg->attached[i] = true;
		pr_info("attached to %s (ifindex %u), %s mode\n", cfg->ifname[i], cfg->ifindex[i],
			cfg->generic ? "generic" : "native");
	}
	return 0;
}

static void print_stats(struct xneigh_fwd *skel)
{
	int ncpus = libbpf_num_possible_cpus(), fd = bpf_map__fd(skel->maps.xf_stats);
	struct xf_stats *v, sum = {};
	__u32 zero = 0;

	if (ncpus <= 0)
		return;
	v = calloc((size_t)ncpus, sizeof(*v));
	if (!v)
		return;
	if (!bpf_map_lookup_elem(fd, &zero, v)) {
		for (int c = 0; c < ncpus; c++) {
			sum.forwarded4 += v[c].forwarded4;
			sum.forwarded6 += v[c].forwarded6;
			sum.held += v[c].held;
			sum.unres_passed += v[c].unres_passed;
			sum.unres_dropped += v[c].unres_dropped;
			sum.to_kernel += v[c].to_kernel;
			sum.redirect_failed += v[c].redirect_failed;
		}
		printf("forwarded4 %llu forwarded6 %llu held %llu unres_passed %llu "
		       "unres_dropped %llu to_kernel %llu redirect_failed %llu\n",
		       (unsigned long long)sum.forwarded4, (unsigned long long)sum.forwarded6,
		       (unsigned long long)sum.held, (unsigned long long)sum.unres_passed,
		       (unsigned long long)sum.unres_dropped, (unsigned long long)sum.to_kernel,
		       (unsigned long long)sum.redirect_failed);
		fflush(stdout);
	}
	free(v);
}

int main(int argc, char **argv)
{
	static struct fwd_cfg cfg;
	struct xneigh_fwd *skel = NULL;
	sigset_t mask;
	bool done;
	int err, sig, prog_fd;
	unsigned int i;

	err = parse_args(argc, argv, &cfg, &done);
	if (err || done)
		return err;
	xn_log_set_prefix(PROG);
	xn_log_set_level(cfg.verbose >= 2 ? XN_LOG_DEBUG :
			 cfg.verbose == 1 ? XN_LOG_INFO : XN_LOG_WARN);
	if (cfg.verbose >= 2)
		xn_log_hook_libs();
	for (i = 0; i < cfg.nifaces; i++) {
		cfg.ifindex[i] = strlen(cfg.ifname[i]) < IF_NAMESIZE ?
				 if_nametoindex(cfg.ifname[i]) : 0;
		if (!cfg.ifindex[i]) {
			pr_warn("unknown interface '%s'\n", xn_tok(cfg.ifname[i]));
			return 2;	/* a bad argument: nothing was touched */
		}
	}
	/* stop signals wait for sigwait(), also during start-up */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);

	skel = xneigh_fwd__open();
	if (!skel) {
		pr_warn("cannot open the BPF object: %s\n", strerror(errno));
		return 1;
	}
	skel->rodata->xf_policy = (__u32)cfg.policy;
	err = reuse_maps(skel);
	if (err)
		goto out;
	err = xneigh_fwd__load(skel);
	if (err) {
		pr_warn("cannot load the BPF object: %s (-vv shows the verifier's messages)\n",
			strerror(-err));
		goto out;
	}
	prog_fd = bpf_program__fd(skel->progs.xneigh_fwd);
	err = attach_all(&cfg, prog_fd);
	if (err) {
		detach_all(&cfg, prog_fd);
		goto out;
	}
	pr_info("forwarding; policy for unresolved next hops: %s\n",
		cfg.policy == XN_RESOLVE_HOLD ? "hold" :
		cfg.policy == XN_RESOLVE_PASS ? "pass" : "drop");
	do
		err = sigwait(&mask, &sig);
	while (err == EINTR);
	pr_info("%s: detaching\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	detach_all(&cfg, prog_fd);
	print_stats(skel);
	err = 0;
out:
	xneigh_fwd__destroy(skel);
	return err ? 1 : 0;
}
