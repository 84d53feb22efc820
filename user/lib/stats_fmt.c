// SPDX-License-Identifier: GPL-2.0
/* `xneigh stats` output; see stats_fmt.h for the layout. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stats_fmt.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The columns of /proc/net/stat/arp_cache after "entries", named and
 * ordered as neigh_stat_seq_show() prints its header. The kernel's
 * unres_discards is "unresolved_discards" there (and in lnstat). */
static const struct xn_stats_counter kernel_cols[] = {
	{ "allocs",		offsetof(struct xn_stats, allocs) },
	{ "destroys",		offsetof(struct xn_stats, destroys) },
	{ "hash_grows",		offsetof(struct xn_stats, hash_grows) },
	{ "lookups",		offsetof(struct xn_stats, lookups) },
	{ "hits",		offsetof(struct xn_stats, hits) },
	{ "res_failed",		offsetof(struct xn_stats, res_failed) },
	{ "rcv_probes_mcast",	offsetof(struct xn_stats, rcv_probes_mcast) },
	{ "rcv_probes_ucast",	offsetof(struct xn_stats, rcv_probes_ucast) },
	{ "periodic_gc_runs",	offsetof(struct xn_stats, periodic_gc_runs) },
	{ "forced_gc_runs",	offsetof(struct xn_stats, forced_gc_runs) },
	{ "unresolved_discards", offsetof(struct xn_stats, unres_discards) },
	{ "table_fulls",	offsetof(struct xn_stats, table_fulls) },
};
#define XN_COUNT_ONE(name, desc) + 1
XN_STATIC_ASSERT(ARRAY_SIZE(kernel_cols) == 0 XN_STATS_KERNEL(XN_COUNT_ONE),
		 "every kernel counter of XN_STATS_KERNEL is a column");
#undef XN_COUNT_ONE

/* Every other counter, in XN_STATS_REASONS order: a counter added there is
 * printed without touching this file. */
static const struct xn_stats_counter all_reasons[] = {
#define XN_REASON_ROW(name, desc) { #name, offsetof(struct xn_stats, name) },
	XN_STATS_REASONS(XN_REASON_ROW)
#undef XN_REASON_ROW
};

#define ENTRIES_NAME	"entries"
#define TOTAL_NAME	"total"
#define CPU_NAME	"cpu"
#define COUNTER_NAME	"counter"

static __u64 counter_get(const struct xn_stats *s, size_t off)
{
	__u64 v;

	memcpy(&v, (const char *)s + off, sizeof(v));
	return v;
}

void xn_stats_sum(const struct xn_stats *percpu, unsigned int ncpus, struct xn_stats *sum)
{
	__u64 *out = (__u64 *)sum;
	unsigned int cpu;
	size_t i;

	memset(sum, 0, sizeof(*sum));
	for (cpu = 0; cpu < ncpus; cpu++)
		for (i = 0; i < XN_STAT__COUNT; i++)
			out[i] += counter_get(&percpu[cpu], i * sizeof(__u64));
}

static unsigned int digits(__u64 v)
{
	unsigned int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static unsigned int max_u(unsigned int a, unsigned int b)
{
	return a > b ? a : b;
}

/* One text cell: a separator (none before the first cell of a line, which
 * is indented by two), then s padded to width. */
static void cell(struct xn_out *o, bool first, const char *s, unsigned int width, bool left)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "%s%*s", first ? "  " : " ", left ? -(int)width : (int)width, s);
	xn_print_text(o, buf);
}

static void cell_u(struct xn_out *o, bool first, __u64 v, unsigned int width)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", (unsigned long long)v);
	cell(o, first, num, width, false);
}

/* The /proc/net/stat columns: a header line, per CPU rows (per_cpu), the
 * total row. */
static void text_kernel_table(struct xn_out *o, const struct xn_stats_table *t,
			      const struct xn_stats *sum, bool per_cpu)
{
	unsigned int w[ARRAY_SIZE(kernel_cols)], w_cpu = 0, w_entries, cpu;
	char label[16];
	size_t i;

	if (per_cpu) {
		w_cpu = max_u(strlen(CPU_NAME), strlen(TOTAL_NAME));
		for (cpu = 0; cpu < t->ncpus; cpu++)
			w_cpu = max_u(w_cpu, digits(t->cpu_ids[cpu]));
	}
	w_entries = max_u(strlen(ENTRIES_NAME), digits(t->entries));
	/* a sum of non-negative counts is at least as wide as any of them */
	for (i = 0; i < ARRAY_SIZE(kernel_cols); i++)
		w[i] = max_u(strlen(kernel_cols[i].name),
			     digits(counter_get(sum, kernel_cols[i].off)));

	if (per_cpu)
		cell(o, true, CPU_NAME, w_cpu, true);
	cell(o, !per_cpu, ENTRIES_NAME, w_entries, false);
	for (i = 0; i < ARRAY_SIZE(kernel_cols); i++)
		cell(o, false, kernel_cols[i].name, w[i], false);
	xn_print_text(o, "\n");

	for (cpu = 0; per_cpu && cpu < t->ncpus; cpu++) {
		snprintf(label, sizeof(label), "%u", t->cpu_ids[cpu]);
		cell(o, true, label, w_cpu, true);
		cell(o, false, "-", w_entries, false);	/* a table-wide gauge */
		for (i = 0; i < ARRAY_SIZE(kernel_cols); i++)
			cell_u(o, false, counter_get(&t->percpu[cpu], kernel_cols[i].off), w[i]);
		xn_print_text(o, "\n");
	}

	if (per_cpu)
		cell(o, true, TOTAL_NAME, w_cpu, true);
	cell_u(o, !per_cpu, t->entries, w_entries);
	for (i = 0; i < ARRAY_SIZE(kernel_cols); i++)
		cell_u(o, false, counter_get(sum, kernel_cols[i].off), w[i]);
	xn_print_text(o, "\n");
}

/* The per-reason counters to print. */
static const struct xn_stats_counter *reasons_of(const struct xn_stats_table *t, size_t *n)
{
	if (t->reasons) {
		*n = t->nr_reasons;
		return t->reasons;
	}
	*n = ARRAY_SIZE(all_reasons);
	return all_reasons;
}

/* The per-reason counters, one line each: NAME TOTAL, or with per_cpu a
 * header line and NAME CPU0 CPU1 ... TOTAL. */
static void text_reasons(struct xn_out *o, const struct xn_stats_table *t,
			 const struct xn_stats *sum, bool per_cpu)
{
	unsigned int w_name = strlen(COUNTER_NAME), w_total = 0, cpu;
	const struct xn_stats_counter *rows;
	unsigned int *w_cpu = NULL;
	char label[24];
	size_t i, n;

	rows = reasons_of(t, &n);
	for (i = 0; i < n; i++) {
		w_name = max_u(w_name, strlen(rows[i].name));
		w_total = max_u(w_total, digits(counter_get(sum, rows[i].off)));
	}
	if (per_cpu) {
		w_total = max_u(w_total, strlen(TOTAL_NAME));
		w_cpu = calloc(t->ncpus ? t->ncpus : 1, sizeof(*w_cpu));
		if (!w_cpu) {
			/* out of memory for a few widths: print unaligned */
			per_cpu = false;
		}
	}
	for (cpu = 0; per_cpu && cpu < t->ncpus; cpu++) {
		snprintf(label, sizeof(label), CPU_NAME "%u", t->cpu_ids[cpu]);
		w_cpu[cpu] = strlen(label);
		for (i = 0; i < n; i++)
			w_cpu[cpu] = max_u(w_cpu[cpu],
					   digits(counter_get(&t->percpu[cpu], rows[i].off)));
	}

	if (per_cpu) {
		cell(o, true, COUNTER_NAME, w_name, true);
		for (cpu = 0; cpu < t->ncpus; cpu++) {
			snprintf(label, sizeof(label), CPU_NAME "%u", t->cpu_ids[cpu]);
			cell(o, false, label, w_cpu[cpu], false);
		}
		cell(o, false, TOTAL_NAME, w_total, false);
		xn_print_text(o, "\n");
	}
	for (i = 0; i < n; i++) {
		cell(o, true, rows[i].name, w_name, true);
		for (cpu = 0; per_cpu && cpu < t->ncpus; cpu++)
			cell_u(o, false, counter_get(&t->percpu[cpu], rows[i].off), w_cpu[cpu]);
		cell_u(o, false, counter_get(sum, rows[i].off), w_total);
		xn_print_text(o, "\n");
	}
	free(w_cpu);
}

/* Every counter but entries as JSON members of the open object. */
static void json_counters(struct xn_out *o, const struct xn_stats_table *t,
			  const struct xn_stats *s)
{
	const struct xn_stats_counter *rows;
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(kernel_cols); i++)
		xn_print_uint(o, XN_PRINT_JSON, kernel_cols[i].name, NULL,
			      counter_get(s, kernel_cols[i].off));
	rows = reasons_of(t, &n);
	for (i = 0; i < n; i++)
		xn_print_uint(o, XN_PRINT_JSON, rows[i].name, NULL, counter_get(s, rows[i].off));
}

void xn_stats_print(struct xn_out *o, const struct xn_stats_table *t, bool per_cpu)
{
	struct xn_stats sum;
	unsigned int cpu;

	xn_stats_sum(t->percpu, t->ncpus, &sum);
	if (!o->json) {
		xn_print_text(o, t->name);
		xn_print_text(o, ":\n");
		text_kernel_table(o, t, &sum, per_cpu);
		text_reasons(o, t, &sum, per_cpu);
		return;
	}
	xn_open_object(o, t->name);
	xn_print_uint(o, XN_PRINT_JSON, ENTRIES_NAME, NULL, t->entries);
	json_counters(o, t, &sum);
	if (per_cpu) {
		xn_open_array(o, "per_cpu");
		for (cpu = 0; cpu < t->ncpus; cpu++) {
			xn_open_object(o, NULL);
			xn_print_uint(o, XN_PRINT_JSON, CPU_NAME, NULL, t->cpu_ids[cpu]);
			json_counters(o, t, &t->percpu[cpu]);
			xn_close_object(o);
		}
		xn_close_array(o);
	}
	xn_close_object(o);
}

/* A CPU number: decimal digits only. Advances *s. */
static int cpu_number(const char **s, unsigned int *v)
{
	unsigned long n = 0;
	const char *p = *s;

	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	while (isdigit((unsigned char)*p)) {
		n = n * 10 + (unsigned long)(*p - '0');
		if (n > 1u << 20)	/* NR_CPUS is at most 8192 */
			return -EINVAL;
		p++;
	}
	*s = p;
	*v = (unsigned int)n;
	return 0;
}

int xn_cpu_list_parse(const char *s, unsigned int *ids, unsigned int max, unsigned int *n)
{
	unsigned int count = 0, lo, hi, c;
	long last = -1;

	for (;;) {
		if (cpu_number(&s, &lo))
			return -EINVAL;
		hi = lo;
		if (*s == '-') {
			s++;
			if (cpu_number(&s, &hi) || hi < lo)
				return -EINVAL;
		}
		if ((long)lo <= last)
			return -EINVAL;
		for (c = lo; c <= hi; c++) {
			if (count >= max)
				return -E2BIG;
			ids[count++] = c;
		}
		last = hi;
		if (*s != ',')
			break;
		s++;
	}
	while (*s == '\n' || *s == ' ')
		s++;
	if (*s)
		return -EINVAL;
	*n = count;
	return 0;
}
