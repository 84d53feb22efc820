// SPDX-License-Identifier: GPL-2.0
/* xneighd: event lines, in the words `ip monitor neigh` uses. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <net/if.h>
#include "xneigh/nud.h"
#include "events.h"
#include "log.h"
#include "model.h"

static const struct {
	__u8 bit;
	const char *name;
} nud_names[] = {
	{ NUD_INCOMPLETE, "INCOMPLETE" }, { NUD_REACHABLE, "REACHABLE" },
	{ NUD_STALE, "STALE" }, { NUD_DELAY, "DELAY" }, { NUD_PROBE, "PROBE" },
	{ NUD_FAILED, "FAILED" }, { NUD_NOARP, "NOARP" }, { NUD_PERMANENT, "PERMANENT" },
};

/* iproute2 prints every state bit that is set, NONE for none. */
static void nud_str(__u8 state, char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	if (!state) {
		snprintf(buf, len, "NONE");
		return;
	}
	for (i = 0; i < sizeof(nud_names) / sizeof(nud_names[0]); i++) {
		if (!(state & nud_names[i].bit) || off >= len)
			continue;
		off += snprintf(buf + off, len - off, "%s%s", off ? " " : "", nud_names[i].name);
	}
}

static bool mac_is_zero(const __u8 *mac)
{
	return !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}

static void mac_str(const __u8 *mac, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

void xn_event_format(const struct xn_event *ev, const char *ifname, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN] = "?", newmac[18], oldmac[18], st[64], ost[64];
	const char *router = ev->flags & XN_NTF_ROUTER ? " router" : "";

	inet_ntop(ev->family == AF_INET6 ? AF_INET6 : AF_INET, ev->addr, addr, sizeof(addr));
	mac_str(ev->new_lladdr, newmac, sizeof(newmac));
	mac_str(ev->old_lladdr, oldmac, sizeof(oldmac));
	nud_str(ev->new_state, st, sizeof(st));
	nud_str(ev->old_state, ost, sizeof(ost));

	switch (ev->type) {
	case XN_EV_CREATED:
		snprintf(buf, len, "%s dev %s lladdr %s%s %s", addr, ifname, newmac, router, st);
		break;
	case XN_EV_STATE:
		snprintf(buf, len, "%s dev %s lladdr %s%s %s (was %s)", addr, ifname, newmac,
			 router, st, ost);
		break;
	case XN_EV_LLADDR:
		snprintf(buf, len, "%s dev %s lladdr %s%s %s (was lladdr %s %s)", addr, ifname,
			 newmac, router, st, oldmac, ost);
		break;
	case XN_EV_DELETED:
		snprintf(buf, len, "Deleted %s dev %s lladdr %s%s %s", addr, ifname, oldmac,
			 router, ost);
		break;
	case XN_EV_CONFLICT:
		/* arpwatch's and the kernel's words: our address, in use by
		 * another station (IPv6: in an NA for it, or as the source of
		 * an NS, bpf/lib/strict.h) */
		snprintf(buf, len, "conflict: %s on dev %s claimed by %s (%s)", addr, ifname,
			 newmac, ev->family == AF_INET6 ? "neighbor discovery" : "ARP");
		break;
	case XN_EV_DAD_CONFLICT:
		/* a DAD NS from :: carries no link-layer address */
		if (mac_is_zero(ev->new_lladdr))
			snprintf(buf, len, "DAD conflict: %s on dev %s claimed by another node "
				 "(duplicate address detection probe, no link-layer address)",
				 addr, ifname);
		else
			snprintf(buf, len, "DAD conflict: %s on dev %s claimed by %s", addr,
				 ifname, newmac);
		break;
	case XN_EV_TABLE_FULL:
		snprintf(buf, len, "table full: %s dev %s lladdr %s not learned", addr, ifname,
			 newmac);
		break;
	default:
		snprintf(buf, len, "event type %u for %s dev %s", ev->type, addr, ifname);
		break;
	}
}

bool xn_ratelimit_ok(struct xn_ratelimit *rl, __u64 now_ns, unsigned int *missed)
{
	*missed = 0;
	if (!rl->begin || now_ns - rl->begin >= XN_RATELIMIT_INTERVAL_NS) {
		*missed = rl->missed;
		rl->begin = now_ns;
		rl->printed = 0;
		rl->missed = 0;
	}
	if (rl->printed < XN_RATELIMIT_BURST) {
		rl->printed++;
		return true;
	}
	rl->missed++;
	return false;
}

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

/* Conflicts reach the log by default (warn level), so a flood of forged
 * claims must not flood it: net_ratelimit()'s budget. */
static struct xn_ratelimit conflict_rl;

int xn_event_handle(void *ctx, void *data, size_t size)
{
	const struct xn_model *m = ctx;
	struct xn_event ev;
	char ifname[IF_NAMESIZE], line[256];
	unsigned int missed;
	int level;

	if (size < sizeof(ev)) {
		pr_debug("short event: %zu bytes\n", size);
		return 0;
	}
	memcpy(&ev, data, sizeof(ev));
	switch (ev.type) {
	case XN_EV_CONFLICT:
		level = XN_LOG_WARN;	/* someone else uses our address */
		break;
	case XN_EV_DAD_CONFLICT:
		level = XN_LOG_INFO;	/* the kernel logs and acts on it too */
		break;
	default:
		level = XN_LOG_DEBUG;	/* ordinary neighbour churn */
		break;
	}
	if (xn_log_get_level() < level)
		return 0;
	if (level == XN_LOG_WARN) {
		if (!xn_ratelimit_ok(&conflict_rl, mono_ns(), &missed))
			return 0;
		if (missed)
			pr_warn("%u conflict messages suppressed\n", missed);
	}
	xn_event_format(&ev, xn_model_ifname(m, ev.ifindex, ifname, sizeof(ifname)),
			line, sizeof(line));
	xn_log(level, "%s\n", line);
	return 0;
}
