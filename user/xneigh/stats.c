// SPDX-License-Identifier: GPL-2.0
/* xneigh stats: every counter of xn_stats by name, summed over CPUs, one
 * block per neighbour table (IPv4 then IPv6; -4/-6 select one), led by the
 * table's entry count (the first column of /proc/net/stat/arp_cache and
 * /proc/net/stat/ndisc_cache):
 *
 *   arp_cache:                       {"arp_cache": {"entries": 3,
 *     entries 3                                     "allocs": 3, ...},
 *     allocs 3                        "ndisc_cache": {"entries": 1, ...}}
 *     ...
 *   ndisc_cache:
 *     entries 1
 *     ...
 *
 * The counter names come from XN_STATS(X) in include/xneigh/stats.h, so a
 * counter added there is printed without touching this file.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xneigh/maps.h"
#include "xneigh/stats.h"
#include "maps_open.h"
#include "xneigh.h"

static const struct {
	const char *name;
	size_t off;
} counters[] = {
#define XN_STAT_ROW(name, desc) { #name, offsetof(struct xn_stats, name) },
	XN_STATS(XN_STAT_ROW)
#undef XN_STAT_ROW
};

/* One block per family: its xn_stats slot, its name in /proc/net/stat, its
 * table. The data plane counts ARP in slot XN_FAM_ARP and NDISC in XN_FAM_ND. */
static const struct {
	int af;
	__u32 slot;
	const char *name;
	enum xn_map_index table;
	size_t key_size, value_size;
} families[] = {
	{ AF_INET, XN_FAM_ARP, "arp_cache", XN_MI_NEIGH4,
	  sizeof(struct xn_neigh4_key), sizeof(struct xn_neigh) },
	{ AF_INET6, XN_FAM_ND, "ndisc_cache", XN_MI_NEIGH6,
	  sizeof(struct xn_neigh6_key), sizeof(struct xn_neigh) },
};

/* Sum slot `slot` of the per-CPU stats map into *sum. 0 or -errno. */
static int stats_read(int fd, __u32 slot, struct xn_stats *sum)
{
	int ncpus = libbpf_num_possible_cpus(), cpu, err;
	struct xn_stats *percpu;
	size_t i;

	if (ncpus < 0)
		return ncpus;
	/* per-CPU values come back 8-byte aligned per CPU: struct xn_stats is
	 * all __u64, so an array of it has exactly that layout */
	percpu = calloc((size_t)ncpus, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	err = bpf_map_lookup_elem(fd, &slot, percpu);
	if (err)
		goto out;
	memset(sum, 0, sizeof(*sum));
	for (cpu = 0; cpu < ncpus; cpu++)
		for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
			*(__u64 *)((char *)sum + counters[i].off) +=
				*(const __u64 *)((const char *)&percpu[cpu] + counters[i].off);
out:
	free(percpu);
	return err;
}

static int table_count(int fd, size_t key_size, size_t value_size, size_t *count)
{
	void *k, *v;
	int err;

	err = xn_map_dump(fd, key_size, value_size, BPF_F_LOCK, &k, &v, count);
	if (err)
		return err;
	free(k);
	free(v);
	return 0;
}

int do_stats(struct cli *c, int argc, char **argv)
{
	struct xn_out *o = &c->out;
	struct xn_maps m;
	size_t f, i;
	int ret, err;

	for (i = 0; i < (size_t)argc; i += (size_t)ret) {
		if (cli_is_help_opt(argv[i]) || xn_matches(argv[i], "help")) {
			help_stats(stdout);
			return XN_EXIT_OK;
		}
		ret = cli_option(c, argc - (int)i, argv + i);
		if (ret < 0)
			return XN_EXIT_USAGE;
		if (ret == 0)
			return cli_usage(c, "stats takes no argument \"%s\", try \"xneigh help stats\"",
					 argv[i]);
	}

	err = xn_maps_open(&m);
	if (err) {
		ret = cli_fail(c, "%s", m.errmsg);
		goto out;
	}
	if (xn_maps_require(&m, XN_MI_STATS)) {
		ret = cli_fail(c, "%s", m.errmsg);
		goto out;
	}

	xn_open_object(o, NULL);
	for (f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
		struct xn_stats sum;
		size_t entries = 0;
		char fmt[64];

		if (c->family != AF_UNSPEC && c->family != families[f].af)
			continue;
		err = stats_read(m.stats, families[f].slot, &sum);
		if (err) {
			ret = cli_fail(c, "reading map %s slot %u (%s): %s", xn_map_name(XN_MI_STATS),
				       families[f].slot, families[f].name, strerror(-err));
			goto out;
		}
		if (xn_maps_require(&m, families[f].table)) {
			ret = cli_fail(c, "%s", m.errmsg);
			goto out;
		}
		err = table_count(m.fd[families[f].table], families[f].key_size,
				  families[f].value_size, &entries);
		if (err) {
			ret = cli_fail(c, "reading map %s: %s", xn_map_name(families[f].table),
				       strerror(-err));
			goto out;
		}

		snprintf(fmt, sizeof(fmt), "%s:\n", families[f].name);
		xn_print_text(o, fmt);
		xn_open_object(o, families[f].name);
		xn_print_uint(o, XN_PRINT_ANY, "entries", "  entries %llu\n", entries);
		for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
			snprintf(fmt, sizeof(fmt), "  %s %%llu\n", counters[i].name);
			xn_print_uint(o, XN_PRINT_ANY, counters[i].name, fmt,
				      *(const __u64 *)((const char *)&sum + counters[i].off));
		}
		xn_close_object(o);
	}
	xn_close_object(o);
	xn_json_end(o);
	ret = XN_EXIT_OK;
out:
	xn_maps_close(&m);
	return ret;
}
