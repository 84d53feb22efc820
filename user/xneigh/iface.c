// SPDX-License-Identifier: GPL-2.0
/* Interface index <-> name, read with one if_nameindex() (one netlink dump)
 * instead of an if_indextoname() syscall per printed entry. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xneigh.h"

static int ent_cmp(const void *a, const void *b)
{
	const struct ifc_ent *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

int ifcache_load(struct ifcache *ic)
{
	struct if_nameindex *ifs, *it;
	size_t n = 0;

	memset(ic, 0, sizeof(*ic));
	ifs = if_nameindex();
	if (!ifs)
		return -errno;
	for (it = ifs; it->if_index; it++)
		n++;
	ic->ent = calloc(n ? n : 1, sizeof(*ic->ent));
	if (!ic->ent) {
		if_freenameindex(ifs);
		return -ENOMEM;
	}
	for (it = ifs; it->if_index; it++) {
		struct ifc_ent *e = &ic->ent[ic->n++];

		e->index = it->if_index;
		snprintf(e->name, sizeof(e->name), "%s", it->if_name);
	}
	if_freenameindex(ifs);
	qsort(ic->ent, ic->n, sizeof(*ic->ent), ent_cmp);
	return 0;
}

void ifcache_free(struct ifcache *ic)
{
	free(ic->ent);
	memset(ic, 0, sizeof(*ic));
}

const char *ifcache_name(struct ifcache *ic, __u32 ifindex, char *buf, size_t len)
{
	size_t lo = 0, hi = ic->n;

	if (ic->last < ic->n && ic->ent[ic->last].index == ifindex)
		return ic->ent[ic->last].name;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ic->ent[mid].index == ifindex) {
			ic->last = mid;
			return ic->ent[mid].name;
		}
		if (ic->ent[mid].index < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	snprintf(buf, len, "if%u", ifindex);
	return buf;
}

__u32 ifcache_index(const struct ifcache *ic, const char *name)
{
	size_t i;

	for (i = 0; i < ic->n; i++)
		if (!strcmp(ic->ent[i].name, name))
			return ic->ent[i].index;
	return 0;
}
