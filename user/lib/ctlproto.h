/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd's control protocol: how a client (`xneigh resolve`, `xneigh
 * monitor`, `xneigh status`, `xneighd --resolve`) asks the running daemon of
 * its network namespace for what only the daemon can do or knows. The
 * daemon's side is user/xneighd/ctlsock.c; the client's side is
 * user/lib/ctlclient.c, linked into both binaries.
 *
 * Transport. A Unix SOCK_SEQPACKET socket in the abstract namespace, named
 * (without the leading NUL) "xneighd-net<inode>", <inode> being the inode
 * of /proc/self/ns/net, the same number as in the pin directory
 * /sys/fs/bpf/xneigh/net<inode>. Abstract names belong to the network
 * namespace, so a client reaches the daemon of its own namespace, from any
 * mount namespace (`ip netns exec` included). The name is also the daemon's
 * liveness lock: while it runs, a second xneighd in the namespace cannot
 * bind it; when it dies the name is free at once.
 *
 * Framing. One connection per request. The client sends one packet: struct
 * xnd_ctl_request, followed by the operation's payload if it has one. The
 * daemon answers with one packet: struct xnd_ctl_reply, followed by the
 * operation's payload if it has one (only when result is 0), and closes the
 * connection -- except XND_CTL_MONITOR, whose connection stays open for the
 * event stream. No packet is larger than XND_CTL_MSG_MAX. All integers are
 * in host byte order (the peers share a kernel), addresses in network order.
 * Only root (or the daemon's own user) may talk to it: the daemon checks
 * SO_PEERCRED and answers -EPERM to anyone else. A reply's result is 0 or
 * -errno with msg saying why in one line (for instance -EOPNOTSUPP for an
 * operation this daemon does not know).
 *
 * XND_CTL_RESOLVE (no payloads): neigh_event_send() for (family, ifindex,
 * addr), as a packet to that neighbour would do (spec NUD-1/NUD-3): an
 * unknown address gets an entry that goes INCOMPLETE and is probed
 * (mcast_solicit broadcast ARP requests / multicast NS, retrans_time apart,
 * then FAILED); a STALE entry goes DELAY; others only get `used` refreshed.
 * The interface must be one xneighd runs on. Without XND_CTL_F_WAIT the
 * reply comes at once and shows the entry just after the request took
 * effect; with it the reply comes when the entry is no longer INCOMPLETE
 * (resolved: REACHABLE, STALE, ...; or FAILED; or gone), possibly at once.
 * Reply: result 0 and the entry (present = 1) as a BPF_F_LOCK read after
 * the operation, or result -errno (-ENODEV "xneigh does not run on dev
 * eth9", -EINVAL for a multicast address, -ENOBUFS when the table is full,
 * -EBUSY when too many clients wait). A client that goes away while waiting
 * simply drops its request.
 *
 * XND_CTL_MONITOR (no payloads): subscribe to the events the daemon reads
 * from the data plane's ring buffer xn_events (the data plane's and those of
 * xn_ctl runs: every entry created, changed or deleted, conflicts, table
 * full). The reply has result 0, or -EBUSY when XND_CTL_MAX_SUBSCRIBERS
 * clients are subscribed already. Then, on the same connection, one packet
 * struct xnd_ctl_mon per event, in the order the daemon read them, each
 * stamped with CLOCK_REALTIME when it read it. The daemon never blocks on a
 * subscriber: when a subscriber's socket buffer is full, its events are
 * dropped and counted, and an XND_MON_LOST record with the count comes
 * before the next event that fits. The client never sends again; closing
 * the connection unsubscribes. The daemon closes it when it exits.
 *
 * XND_CTL_STATUS (reply payload): struct xnd_ctl_status, then nifaces
 * times struct xnd_ctl_status_iface: what only the daemon knows (its pid,
 * start time, mode, options, interfaces and how it attached to them).
 *
 * XND_CTL_CONF_GET (request and reply payloads): the neighbour parameters
 * of one family (request.family AF_INET or AF_INET6) and one device
 * (struct xnd_ctl_conf_req.dev; "" or "default": the table's default set,
 * the only one with gc_thresh1/2/3). Reply: struct xnd_ctl_conf, then nkeys
 * times struct xnd_ctl_conf_key: every key with its effective value and
 * where it comes from (user/xneighd/conf.h: builtin, sysctl, file,
 * override). -ENODEV for a device the daemon does not know.
 *
 * XND_CTL_CONF_SET (request payload): set the run-time override of key to
 * value (both as typed: the daemon parses them as it parses its
 * configuration file) for (family, dev); family AF_UNSPEC for both, dev ""
 * or "default" for every device. With XND_CTL_F_CONF_UNSET the override is
 * removed instead (nothing to remove is not an error). Applied at once.
 * -ENOENT unknown key, -EINVAL a value that is not a number or a table-wide
 * key with a device, -ERANGE a value out of range, -ENODEV an unknown
 * device; msg names the offending word. Nothing changes on an error.
 */
#ifndef XN_CTLPROTO_H
#define XN_CTLPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/types.h>
#include "xneigh/maps.h"

#define XND_CTL_MAGIC		0x786e6463u	/* "xndc" */
#define XND_CTL_VERSION		1
#define XND_CTL_NAME_FMT	"xneighd-net%lu"
/* The largest packet either side sends (a status with XN_IFACES_MAX
 * interfaces fits). */
#define XND_CTL_MSG_MAX		32768

enum xnd_ctl_op {
	XND_CTL_RESOLVE = 1,
	XND_CTL_MONITOR = 2,
	XND_CTL_STATUS = 3,
	XND_CTL_CONF_GET = 4,
	XND_CTL_CONF_SET = 5,
};

#define XND_CTL_F_WAIT		0x1	/* RESOLVE: answer once no longer INCOMPLETE */

struct xnd_ctl_request {
	__u32 magic;			/* XND_CTL_MAGIC */
	__u16 version;			/* XND_CTL_VERSION */
	__u16 op;			/* enum xnd_ctl_op */
	__u32 flags;			/* XND_CTL_F_* */
	__u32 family;			/* AF_INET or AF_INET6 */
	__u32 ifindex;
	__u8 addr[16];			/* IPv4 in the first 4 bytes */
};
XN_STATIC_ASSERT(sizeof(struct xnd_ctl_request) == 36, "xnd_ctl_request layout");

struct xnd_ctl_reply {
	__u32 magic;
	__u16 version;
	__u16 op;			/* the request's */
	__s32 result;			/* 0 or -errno */
	__u32 family;
	__u32 ifindex;
	__u8 addr[16];
	__u8 present;			/* the entry exists: the fields below are it */
	__u8 state;			/* NUD_* */
	__u8 flags;			/* XN_NTF_* */
	__u8 pad;
	__u8 lladdr[ETH_ALEN];
	__u16 pad2;
	__u32 probes;
	__u32 pad3;
	__u64 confirmed, updated, used;	/* CLOCK_MONOTONIC ns */
	__u64 now;			/* the daemon's CLOCK_MONOTONIC at the read */
	char msg[128];			/* result != 0: why, one line, NUL-terminated */
};
XN_STATIC_ASSERT(sizeof(struct xnd_ctl_reply) == 216, "xnd_ctl_reply layout");

/* ---- XND_CTL_MONITOR -------------------------------------------------------- */

/* Subscribers at once; one more is refused with -EBUSY. */
#define XND_CTL_MAX_SUBSCRIBERS	16

enum xnd_mon_kind {
	XND_MON_EVENT = 1,		/* ev holds one event of xn_events */
	XND_MON_LOST = 2,		/* lost events were dropped for this subscriber */
};

struct xnd_ctl_mon {
	__u32 magic;			/* XND_CTL_MAGIC */
	__u16 version;			/* XND_CTL_VERSION */
	__u16 kind;			/* enum xnd_mon_kind */
	__u64 realtime_ns;		/* CLOCK_REALTIME: when xneighd read the event
					 * (LOST: when it reported the loss) */
	__u64 lost;			/* LOST: events dropped since the last record */
	struct xn_event ev;		/* EVENT */
};
XN_STATIC_ASSERT(sizeof(struct xnd_ctl_mon) == 72, "xnd_ctl_mon layout");

/* ---- XND_CTL_STATUS --------------------------------------------------------- */

/* xnd_ctl_status.flags */
#define XND_ST_KEEP		0x1	/* --keep: the data plane outlives the daemon */
#define XND_ST_KERNEL_SYNC	0x2	/* the kernel's neighbour table is mirrored */
#define XND_ST_ADOPTED		0x4	/* started on a data plane left running */
#define XND_ST_STRICT		0x8	/* --strict: anti-spoofing checks drop frames */

struct xnd_ctl_status {
	__u32 pid;
	__u32 nifaces;			/* struct xnd_ctl_status_iface that follow */
	__u32 flags;			/* XND_ST_* */
	__u32 ctl_prog_id;		/* xn_ctl, 0 if unknown */
	__u64 start_realtime_ns;	/* CLOCK_REALTIME at start */
	__u64 uptime_ns;		/* CLOCK_MONOTONIC since start */
	__u32 subscribers, subscribers_max;
	__u32 waiters, waiters_max;	/* clients waiting for a resolution */
	char mode[16];			/* "native", "generic" or "tc" (--mode) */
	char version[32];		/* xneighd's version */
	char libbpf[16];		/* the libbpf it runs with */
	char pin_dir[4096];		/* where its maps are pinned (PATH_MAX) */
};
XN_STATIC_ASSERT(sizeof(struct xnd_ctl_status) == 4208, "xnd_ctl_status layout");

/* xnd_ctl_status_iface.flags */
#define XND_IF_XDP		0x1	/* xn_xdp attached */
#define XND_IF_XDP_DISPATCHER	0x2	/* ... as a member of libxdp's dispatcher */
#define XND_IF_TC_IN		0x4	/* xn_tc_in attached (mode tc) */
#define XND_IF_TC_OUT		0x8	/* xn_tc_out attached */
#define XND_IF_GONE		0x10	/* the interface was deleted while xneighd ran */
#define XND_IF_TC_CONFIRM	0x20	/* xn_tc_confirm attached at ingress (XDP modes) */

struct xnd_ctl_status_iface {
	char name[16];
	__u32 ifindex;
	__u32 flags;			/* XND_IF_* */
	__u32 xdp_id;			/* program ids, 0: none */
	__u32 tc_in_id;			/* the TC ingress program: xn_tc_in or xn_tc_confirm */
	__u32 tc_out_id;
	__u32 pad;
};
XN_STATIC_ASSERT(sizeof(struct xnd_ctl_status_iface) == 40, "xnd_ctl_status_iface layout");

/* ---- XND_CTL_CONF_GET, XND_CTL_CONF_SET ------------------------------------- */

#define XND_CTL_F_CONF_UNSET	0x2	/* CONF_SET: remove the override */

/* Request payload of both (every string NUL-terminated within its field). */
struct xnd_ctl_conf_req {
	char dev[16];			/* "" or "default": every device / the default set */
	char key[32];			/* SET: the key, any spelling the file accepts */
	char value[32];			/* SET: the value, decimal, in that spelling's unit */
};
XN_STATIC_ASSERT(sizeof(struct xnd_ctl_conf_req) == 80, "xnd_ctl_conf_req layout");

/* CONF_GET reply payload: this, then nkeys struct xnd_ctl_conf_key. */
struct xnd_ctl_conf {
	__u32 family;
	__u32 nkeys;
	char dev[16];			/* "" for the default set */
};
XN_STATIC_ASSERT(sizeof(struct xnd_ctl_conf) == 24, "xnd_ctl_conf layout");

/* The most keys a CONF_GET reply carries. */
#define XND_CTL_CONF_MAX_KEYS	64

struct xnd_ctl_conf_key {
	char key[24];			/* canonical name: the sysctl file's */
	char source[12];		/* "builtin", "sysctl", "file" or "override" */
	__s32 value;			/* in the unit of the file named key */
};
XN_STATIC_ASSERT(sizeof(struct xnd_ctl_conf_key) == 40, "xnd_ctl_conf_key layout");

/* ---- both sides ------------------------------------------------------------- */

/* The socket address of this network namespace's daemon. 0 or -errno. */
int xnd_ctl_addr(struct sockaddr_un *sa, socklen_t *len);

/* A request for op with magic and version set, the rest zero. */
void xnd_ctl_request_init(struct xnd_ctl_request *req, enum xnd_ctl_op op);

/* ---- the client's side (ctlclient.c) ---------------------------------------- */

/* Connect to the daemon. 0 and *fd, or -errno with msg (msglen bytes)
 * saying why: -ECONNREFUSED / -ENOENT mean no xneighd in this namespace. */
int xnd_ctl_connect(int *fd, char *msg, size_t msglen);

/* Send req (and req_len bytes of req_payload, which may be NULL) and wait
 * for the reply (timeout_ms < 0: as long as it takes). 0 with *rep filled
 * (its result may be an error) and the reply's payload in payload
 * (payload_max bytes at most; its length in *payload_len, which may be NULL
 * when no payload is expected), or -errno with msg saying why there is no
 * reply:
 *   -ECONNREFUSED / -ENOENT  no xneighd in this network namespace
 *   -ETIMEDOUT               no reply in time
 *   -ECONNRESET              the daemon closed the connection (did it exit?)
 *   -EPROTO                  a reply this build does not understand
 * With keep_fd non-NULL the connection is left open in *keep_fd on success
 * (XND_CTL_MONITOR); otherwise it is closed. */
int xnd_ctl_exchange(const struct xnd_ctl_request *req, const void *req_payload, size_t req_len,
		     struct xnd_ctl_reply *rep, void *payload, size_t payload_max,
		     size_t *payload_len, int timeout_ms, int *keep_fd, char *msg, size_t msglen);

/* xnd_ctl_exchange() for an operation without payloads. */
int xnd_ctl_call(const struct xnd_ctl_request *req, struct xnd_ctl_reply *rep, int timeout_ms,
		 char *msg, size_t msglen);

/* Subscribe (XND_CTL_MONITOR). 0 with *rep filled: when rep->result is 0,
 * *fd is the event stream (read it with xnd_ctl_mon_read(), close it to
 * unsubscribe). -errno with msg as for xnd_ctl_exchange(). */
int xnd_ctl_monitor(int *fd, struct xnd_ctl_reply *rep, char *msg, size_t msglen);

/* Read the next record of a subscription (blocking unless fd is not).
 * 1 with *rec filled; 0 when the daemon closed the stream (it exited);
 * -EAGAIN / -EINTR as recv(); other -errno (-EPROTO: a record this build
 * does not understand) with msg saying why. */
int xnd_ctl_mon_read(int fd, struct xnd_ctl_mon *rec, char *msg, size_t msglen);

#endif /* XN_CTLPROTO_H */
