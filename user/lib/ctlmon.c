// SPDX-License-Identifier: GPL-2.0
/* `xneigh monitor` lines and JSON objects; formats in ctlmon.h. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include "xneigh/nud.h"
#include "ctlmon.h"

char *xn_mon_time_short(__u64 realtime_ns, char *buf, size_t len)
{
	time_t sec = (time_t)(realtime_ns / 1000000000ull);
	unsigned long usec = (unsigned long)(realtime_ns % 1000000000ull / 1000);
	char day[32];
	struct tm tm;

	/* iproute2's print_timestamp(): strftime of localtime, then .%06ld */
	if (!localtime_r(&sec, &tm) || !strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(day, sizeof(day), "@%lld", (long long)sec);
	snprintf(buf, len, "%s.%06lu", day, usec);
	return buf;
}

/* ip -t: "Timestamp: <asctime without its newline> <usec> usec\n". */
static void print_time_long(struct xn_out *o, __u64 realtime_ns)
{
	time_t sec = (time_t)(realtime_ns / 1000000000ull);
	unsigned long usec = (unsigned long)(realtime_ns % 1000000000ull / 1000);
	char when[64] = "", line[128];
	struct tm tm;
	size_t n;

	if (localtime_r(&sec, &tm) && asctime_r(&tm, when)) {
		n = strlen(when);
		if (n && when[n - 1] == '\n')
			when[n - 1] = '\0';
	} else {
		snprintf(when, sizeof(when), "@%lld", (long long)sec);
	}
	snprintf(line, sizeof(line), "Timestamp: %s %lu usec\n", when, usec);
	xn_print_text(o, line);
}

static bool mac_is_zero(const __u8 *mac)
{
	return !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}

/* An address the entry held and used (a valid state) replaced by another:
 * what arpwatch reports. INCOMPLETE -> REACHABLE also changes lladdr (from
 * nothing) and is an ordinary resolution. */
static bool is_mac_change(const struct xn_event *ev)
{
	return ev->type == XN_EV_LLADDR && (ev->old_state & XN_NUD_VALID) &&
	       (ev->new_state & XN_NUD_VALID) && memcmp(ev->old_lladdr, ev->new_lladdr, ETH_ALEN);
}

const char *xn_mon_event_name(const struct xnd_ctl_mon *rec)
{
	if (rec->kind == XND_MON_LOST)
		return "lost";
	switch (rec->ev.type) {
	case XN_EV_CREATED:	return "created";
	case XN_EV_STATE:	return "state";
	case XN_EV_LLADDR:	return is_mac_change(&rec->ev) ? "lladdr" : "state";
	case XN_EV_DELETED:	return "deleted";
	case XN_EV_CONFLICT:	return "conflict";
	case XN_EV_DAD_CONFLICT: return "dad_conflict";
	case XN_EV_TABLE_FULL:	return "table_full";
	default:		return "unknown";
	}
}

static void print_lladdr(struct xn_out *o, const char *key, const char *fmt, const __u8 *mac)
{
	char buf[XN_MAC_STRLEN];

	xn_print_string(o, XN_PRINT_ANY, key, fmt, xn_mac_str(mac, buf));
}

/* The event's entry, conflict or overflow: DST dev DEV and what follows. */
static void print_event(struct xn_out *o, const struct xn_event *ev, const char *ifname)
{
	char dst[XN_IP6_STRLEN];
	bool entry = true;	/* a line about an entry: flags and state */
	__u8 state = ev->new_state;

	switch (ev->type) {
	case XN_EV_DELETED:
		/* as ip -j prints an RTM_DELNEIGH */
		xn_print_bool(o, XN_PRINT_ANY, "deleted", "Deleted ", true);
		state = ev->old_state;
		break;
	case XN_EV_CONFLICT:
	case XN_EV_DAD_CONFLICT:
		xn_print_text(o, "Conflict ");
		entry = false;
		break;
	case XN_EV_TABLE_FULL:
		xn_print_text(o, "Overflow ");
		entry = false;
		break;
	case XN_EV_CREATED:
	case XN_EV_STATE:
	case XN_EV_LLADDR:
		break;
	default:
		/* a newer data plane: say what is known */
		xn_print_uint(o, XN_PRINT_ANY, "type", "Event %u ", ev->type);
		entry = false;
		break;
	}

	if (ev->family == AF_INET6) {
		xn_ip6_str(ev->addr, dst);
	} else {
		__be32 a;

		memcpy(&a, ev->addr, sizeof(a));
		xn_ip4_str(a, dst);
	}
	xn_print_string(o, XN_PRINT_ANY, "dst", "%s ", dst);
	xn_print_string(o, XN_PRINT_ANY, "dev", "dev %s ", ifname);

	if (!entry) {
		/* the claimant's or the unlearned neighbour's address, if
		 * the data plane had one */
		if (!mac_is_zero(ev->new_lladdr))
			print_lladdr(o, "lladdr", "lladdr %s ", ev->new_lladdr);
		if (ev->type == XN_EV_DAD_CONFLICT)
			xn_print_null(o, XN_PRINT_ANY, "dad", "dad ");
		return;
	}
	/* the kernel sends NDA_LLADDR only for a NUD_VALID state
	 * (neigh_fill_info()), so ip prints lladdr only then */
	if (state & XN_NUD_VALID)
		print_lladdr(o, "lladdr", "lladdr %s ",
			     ev->type == XN_EV_DELETED ? ev->old_lladdr : ev->new_lladdr);
	if (is_mac_change(ev))
		print_lladdr(o, "old_lladdr", "old_lladdr %s ", ev->old_lladdr);
	if (ev->flags & XN_NTF_ROUTER)
		xn_print_null(o, XN_PRINT_ANY, "router", "router ");
	if (ev->flags & XN_NTF_EXT_LEARNED)
		xn_print_null(o, XN_PRINT_ANY, "extern_learn", "extern_learn ");
	xn_print_nud_state(o, state);
}

void xn_mon_print(struct xn_out *o, const struct xnd_ctl_mon *rec, const char *ifname,
		  enum xn_mon_ts ts)
{
	char when[64], prefix[80];

	xn_mon_time_short(rec->realtime_ns, when, sizeof(when));
	if (ts == XN_MON_TS_SHORT) {
		snprintf(prefix, sizeof(prefix), "[%s] ", when);
		xn_print_text(o, prefix);
	} else if (ts == XN_MON_TS_LONG) {
		print_time_long(o, rec->realtime_ns);
	}
	xn_open_object(o, NULL);
	xn_print_string(o, XN_PRINT_JSON, "timestamp", NULL, when);
	xn_print_string(o, XN_PRINT_JSON, "event", NULL, xn_mon_event_name(rec));
	if (rec->kind == XND_MON_LOST)
		xn_print_uint(o, XN_PRINT_ANY, "lost", rec->lost == 1 ? "Lost %llu event" :
			      "Lost %llu events", rec->lost);
	else
		print_event(o, &rec->ev, ifname);
	xn_print_text(o, "\n");
	xn_close_object(o);
	xn_json_end(o);
	/* every record is a JSON document of its own: no separator before
	 * the next one */
	o->sep = '\0';
}
