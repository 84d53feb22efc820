// SPDX-License-Identifier: GPL-2.0
/* xneigh stats [-s]: per neighbour table (IPv4 arp_cache then IPv6
 * ndisc_cache; -4/-6 select one) the counters of /proc/net/stat/<table>, in
 * its column layout, then every per-reason counter; -s adds one row per
 * possible CPU. The layout is user/lib/stats_fmt.h's.
 *
 * The counters come from slot XN_FAM_ARP / XN_FAM_ND of the per-CPU array
 * xn_stats (one value per possible CPU); "entries" is the number of entries
 * of xn_neigh4 / xn_neigh6 when they are read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xneigh/maps.h"
#include "xneigh/stats.h"
#include "log.h"
#include "maps_open.h"
#include "stats_fmt.h"
#include "xneigh.h"

#define CPU_POSSIBLE	"/sys/devices/system/cpu/possible"

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
#define NR_FAMILIES	(sizeof(families) / sizeof(families[0]))

/* The number of each possible CPU, in the order a per-CPU map lookup
 * returns their values (the kernel copies them for_each_possible_cpu()).
 * When the list cannot be read they are numbered 0..ncpus-1, which is what
 * they are on every machine whose possible CPUs are contiguous. */
static void cpu_ids_read(unsigned int *ids, unsigned int ncpus)
{
	char buf[4096];
	unsigned int i, n = 0;
	size_t len = 0;
	FILE *f;

	f = fopen(CPU_POSSIBLE, "r");
	if (f) {
		len = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[len] = '\0';
	if (len && !xn_cpu_list_parse(buf, ids, ncpus, &n) && n == ncpus)
		return;
	pr_debug("%s: unreadable or not %u CPUs: numbering CPUs 0-%u\n", CPU_POSSIBLE, ncpus,
		 ncpus - 1);
	for (i = 0; i < ncpus; i++)
		ids[i] = i;
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
	struct xn_stats_table t[NR_FAMILIES] = {};
	struct xn_out *o = &c->out;
	struct xn_stats *percpu = NULL;
	unsigned int *cpu_ids = NULL;
	struct xn_maps m;
	int ncpus, ret, err;
	size_t f, i;

	for (i = 0; i < (size_t)argc; i += (size_t)ret) {
		if (cli_is_help_opt(argv[i]) || xn_matches(argv[i], "help")) {
			help_stats(stdout);
			return XN_EXIT_OK;
		}
		ret = cli_option(c, argc - (int)i, argv + i);
		if (ret < 0)
			return XN_EXIT_USAGE;
		if (ret == 0)
			return cli_usage(c, "stats takes no argument \"%s\", try "
					 "\"xneigh help stats\"", xn_tok(argv[i]));
	}

	xn_maps_init(&m);
	ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0) {
		ret = cli_fail(c, "cannot count the possible CPUs (%s): %s", CPU_POSSIBLE,
			       strerror(ncpus ? -ncpus : EINVAL));
		goto out;
	}
	/* a per-CPU lookup writes one 8-byte-aligned value per possible CPU:
	 * struct xn_stats is all __u64, so an array of it has that layout */
	percpu = calloc(NR_FAMILIES * (size_t)ncpus, sizeof(*percpu));
	cpu_ids = calloc((size_t)ncpus, sizeof(*cpu_ids));
	if (!percpu || !cpu_ids) {
		ret = cli_fail(c, "out of memory for %d CPUs", ncpus);
		goto out;
	}
	cpu_ids_read(cpu_ids, (unsigned int)ncpus);

	ret = cli_maps_open(c, &m);
	if (ret >= 0)
		goto out;
	if (xn_maps_require(&m, XN_MI_STATS)) {
		ret = cli_fail(c, "%s", m.errmsg);
		goto out;
	}

	/* Everything is read before anything is printed: an error never
	 * leaves half an output. */
	for (f = 0; f < NR_FAMILIES; f++) {
		__u32 slot = families[f].slot;
		size_t entries = 0;

		if (c->family != AF_UNSPEC && c->family != families[f].af)
			continue;
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
		/* libbpf >= 1.0: -errno */
		err = bpf_map_lookup_elem(m.stats, &slot, percpu + f * (size_t)ncpus);
		if (err) {
			ret = cli_fail(c, "reading map %s slot %u (%s): %s",
				       xn_map_name(XN_MI_STATS), slot, families[f].name,
				       strerror(-err));
			goto out;
		}
		t[f].name = families[f].name;
		t[f].entries = entries;
		t[f].percpu = percpu + f * (size_t)ncpus;
		t[f].cpu_ids = cpu_ids;
		t[f].ncpus = (unsigned int)ncpus;
	}

	xn_open_object(o, NULL);
	for (f = 0; f < NR_FAMILIES; f++)
		if (t[f].name)
			xn_stats_print(o, &t[f], c->stats > 0);
	xn_close_object(o);
	xn_json_end(o);
	ret = XN_EXIT_OK;
out:
	free(percpu);
	free(cpu_ids);
	xn_maps_close(&m);
	return ret;
}
