/* SPDX-License-Identifier: GPL-2.0 */
/* `xneigh stats`: one neighbour table's counters, text or JSON, from the
 * per-CPU values of the xn_stats map (pure: no map access, so the unit tests
 * give it fixed values and compare whole outputs).
 *
 * Text, one block per table:
 *
 *   arp_cache:
 *     entries allocs destroys ... unresolved_discards table_fulls
 *           3      3        0 ...                   0           0
 *     rx_arp              12
 *     rx_requests          7
 *     ...
 *
 * The first two lines are the columns of /proc/net/stat/arp_cache (and
 * ndisc_cache), named as in its header, in its order, but in decimal as
 * `ip -s ntable` and lnstat show them (the proc file prints hexadecimal);
 * then every per-reason counter, one per line. With per_cpu (-s) the column
 * table gets a leading "cpu" column and one row per possible CPU (as the
 * proc file has one line per CPU) before the "total" row, and the reasons
 * get one column per CPU ("cpu0", "cpu1", ...) before "total".
 *
 * "entries" is the number of entries in the table, a gauge of the whole
 * table and not a per-CPU count: the proc file repeats it on every CPU line;
 * here it appears once, in the total row, and per-CPU rows show "-" (so
 * every column of the per-CPU rows adds up to the total row).
 *
 * JSON: {"entries": N, "allocs": N, ..., "rx_arp": N, ...} (the totals,
 * keys as in text), with per_cpu also "per_cpu": [{"cpu": 0, "allocs": N,
 * ...}, ...] (every counter but entries, per possible CPU).
 */
#ifndef XN_STATS_FMT_H
#define XN_STATS_FMT_H

#include <stdbool.h>
#include "xneigh/stats.h"
#include "fmt.h"

/* A counter as printed: its name (column header, JSON key) and where it
 * is in struct xn_stats. */
struct xn_stats_counter {
	const char *name;
	size_t off;
};

struct xn_stats_table {
	const char *name;		/* "arp_cache", "ndisc_cache" */
	__u64 entries;			/* entries in the table now */
	const struct xn_stats *percpu;	/* one value per possible CPU, map order */
	const unsigned int *cpu_ids;	/* the CPU number of each value */
	unsigned int ncpus;
	/* the per-reason counters to print; NULL: every counter of
	 * XN_STATS_REASONS, in its order (a fixed list keeps tests exact
	 * when a counter is added) */
	const struct xn_stats_counter *reasons;
	size_t nr_reasons;
};

/* Print one table: in text its "NAME:" block, in JSON the member NAME of the
 * object the caller has opened. */
void xn_stats_print(struct xn_out *o, const struct xn_stats_table *t, bool per_cpu);

/* The counters summed over CPUs into *sum. */
void xn_stats_sum(const struct xn_stats *percpu, unsigned int ncpus, struct xn_stats *sum);

/* Parse a kernel CPU list ("0-3,8,10-11\n", as in
 * /sys/devices/system/cpu/possible) into ascending CPU numbers. 0; -EINVAL
 * if malformed or not ascending; -E2BIG if more than max. */
int xn_cpu_list_parse(const char *s, unsigned int *ids, unsigned int max, unsigned int *n);

#endif /* XN_STATS_FMT_H */
