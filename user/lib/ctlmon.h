/* SPDX-License-Identifier: GPL-2.0 */
/* `xneigh monitor`: one record of xneighd's event stream (XND_CTL_MONITOR,
 * ctlproto.h) as a line in `ip monitor neigh`'s words (iproute2 6.1), or as
 * one JSON object per line. Pure: no clock, no I/O but the writer's buffer,
 * so the unit tests check every format byte for byte.
 *
 * Text, each field followed by one space as ip prints them:
 *
 *   DST dev DEV [lladdr MAC] [router] [extern_learn] [STATE]
 *       an entry created or changed (ip's RTM_NEWNEIGH line): lladdr only
 *       in a NUD_VALID state, no state word for NONE
 *   Deleted DST dev DEV [lladdr MAC] [router] [STATE]
 *       an entry removed, as it was (ip's RTM_DELNEIGH line)
 *   DST dev DEV lladdr NEW old_lladdr OLD [router] [extern_learn] STATE
 *       the neighbour's link-layer address changed while the entry held a
 *       valid one (arpwatch's "changed ethernet address"); an address
 *       learned by an entry that had none (INCOMPLETE -> REACHABLE) is the
 *       first form
 *   Conflict DST dev DEV lladdr MAC
 *       MAC claims DST, one of our addresses (ARP, an NA for it, an NS from it)
 *   Conflict DST dev DEV [lladdr MAC] dad
 *       a neighbour claims (NA) or probes for (DAD NS) one of our tentative
 *       IPv6 addresses; MAC is the NA's target address option or the
 *       probe's Ethernet source
 *   Overflow DST dev DEV [lladdr MAC]
 *       the table was full: no entry for DST (the kernel's "neighbor table
 *       overflow")
 *   Lost N events
 *       this monitor fell behind and N events were dropped for it
 *
 * With XN_MON_TS_SHORT (-ts) every line starts "[YYYY-MM-DDTHH:MM:SS.UUUUUU] ",
 * with XN_MON_TS_LONG (-t) a line "Timestamp: Sun Nov 22 10:00:00 2026 123456
 * usec" comes before it, both as ip prints them, in local time: the time
 * xneighd read the event.
 *
 * JSON, one object per line: "timestamp" (always, the -ts form without the
 * brackets), "event" (created, state, lladdr, deleted, conflict,
 * dad_conflict, table_full, lost), then ip -j neigh's keys: "deleted": true
 * (as ip -j prints a deletion), "dst", "dev", "lladdr", "old_lladdr",
 * "router": null, "extern_learn": null, "dad": null, "state": [...],
 * "lost": N.
 */
#ifndef XN_CTLMON_H
#define XN_CTLMON_H

#include <stddef.h>
#include "ctlproto.h"
#include "fmt.h"

enum xn_mon_ts {
	XN_MON_TS_NONE,
	XN_MON_TS_LONG,			/* ip -t: "Timestamp: ..." line */
	XN_MON_TS_SHORT,		/* ip -ts: "[...] " prefix */
};

/* ISO 8601 local time with microseconds, "2026-11-22T10:00:00.123456", of
 * a CLOCK_REALTIME time in ns (ip -ts). Returns buf. */
char *xn_mon_time_short(__u64 realtime_ns, char *buf, size_t len);

/* The JSON "event" name of a record. */
const char *xn_mon_event_name(const struct xnd_ctl_mon *rec);

/* Print one record: a line of text or a JSON object and its newline.
 * ifname names rec->ev.ifindex. */
void xn_mon_print(struct xn_out *o, const struct xnd_ctl_mon *rec, const char *ifname,
		  enum xn_mon_ts ts);

#endif /* XN_CTLMON_H */
