/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd's control socket: how a client asks the running daemon of its
 * network namespace to do something only the daemon can do (today: start
 * the resolution of an address, `xneigh resolve`).
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
 * Protocol. One connection per request. The client sends one struct
 * xnd_ctl_request (one packet); the daemon answers with one struct
 * xnd_ctl_reply (one packet) and closes the connection. All integers are
 * in host byte order (the peers share a kernel), addresses in network
 * order. Only root (or the daemon's own user) may talk to it: the daemon
 * checks SO_PEERCRED and answers -EPERM to anyone else.
 *
 * XND_CTL_RESOLVE: neigh_event_send() for (family, ifindex, addr), as a
 * packet to that neighbour would do (spec NUD-1/NUD-3): an unknown address
 * gets an entry that goes INCOMPLETE and is probed (mcast_solicit broadcast
 * ARP requests / multicast NS, retrans_time apart, then FAILED); a STALE
 * entry goes DELAY; others only get `used` refreshed. The interface must be
 * one xneighd runs on. Without XND_CTL_F_WAIT the reply comes at once and
 * shows the entry just after the request took effect; with it the reply
 * comes when the entry is no longer INCOMPLETE (resolved: REACHABLE, STALE,
 * ...; or FAILED; or gone), possibly at once.
 *
 * Reply: result 0 and the entry (present = 1) as a BPF_F_LOCK read after
 * the operation, or result -errno and msg saying why (for instance
 * -ENODEV "xneigh does not run on dev eth9", -EINVAL for a multicast
 * address, -ENOBUFS when the table is full, -EBUSY when too many clients
 * wait). A client that goes away while waiting simply drops its request.
 *
 * `xneighd --resolve ADDR --dev DEV [--wait]` is a client of this protocol.
 */
#ifndef XND_CTLSOCK_H
#define XND_CTLSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/types.h>
#include "xneigh/maps.h"

#define XND_CTL_MAGIC		0x786e6463u	/* "xndc" */
#define XND_CTL_VERSION		1
#define XND_CTL_NAME_FMT	"xneighd-net%lu"

enum xnd_ctl_op {
	XND_CTL_RESOLVE = 1,
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

/* The socket address of this network namespace's daemon. 0 or -errno. */
int xnd_ctl_addr(struct sockaddr_un *sa, socklen_t *len);

/* ---- the daemon's side -------------------------------------------------------- */

#define XND_CTL_MAX_WAITERS	64

struct xnd_waiter {
	int fd;
	struct xnd_ctl_request req;
};

struct xnd_ctlsrv {
	int lfd;			/* listening socket, -1 when none */
	struct xnd_waiter w[XND_CTL_MAX_WAITERS];
	unsigned int nw;
};

/* Bind and listen. -EADDRINUSE: another xneighd runs in this namespace
 * (said here). Other -errno: no control channel (said too). */
int xnd_ctlsrv_open(struct xnd_ctlsrv *s);
void xnd_ctlsrv_close(struct xnd_ctlsrv *s);

/* Accept one pending connection and read its request (the client sends it
 * right after connecting; a client that does not within 1 s is dropped).
 * 1 and *fd, *req when there is a request to handle; 0 when there was
 * nothing (or it was dropped, or answered with an error here: a bad
 * request, a peer without privileges); -errno on a listening-socket error. */
int xnd_ctlsrv_accept(struct xnd_ctlsrv *s, int *fd, struct xnd_ctl_request *req);

/* Answer and close. */
void xnd_ctlsrv_reply(int fd, const struct xnd_ctl_reply *rep);
/* Fill the common fields of a reply to req; msg from fmt when result != 0. */
void xnd_ctl_reply_init(struct xnd_ctl_reply *rep, const struct xnd_ctl_request *req,
			int result, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Keep fd waiting for its entry. -EBUSY when the list is full. */
int xnd_ctlsrv_wait(struct xnd_ctlsrv *s, int fd, const struct xnd_ctl_request *req);
/* A waiter's connection is readable or hung up: the client went away (it
 * never sends more). Drop it. */
void xnd_ctlsrv_drop(struct xnd_ctlsrv *s, int fd);
/* The entry of (family, ifindex, addr) is now `v` (NULL: gone): answer the
 * waiters for it once it is not INCOMPLETE. `now` goes into the replies. */
void xnd_ctlsrv_entry(struct xnd_ctlsrv *s, __u32 family, __u32 ifindex, const __u8 addr[16],
		      const struct xn_neigh *v, __u64 now);

/* ---- the client's side ------------------------------------------------------- */

/* Send req to the daemon and wait for the reply (timeout_ms < 0: as long
 * as it takes). 0 with *rep filled (its result may be an error), or -errno
 * with msg (msglen bytes) saying why there is no reply:
 *   -ECONNREFUSED / -ENOENT  no xneighd in this network namespace
 *   -ETIMEDOUT               no reply in time
 *   -EPROTO                  a reply this build does not understand */
int xnd_ctl_call(const struct xnd_ctl_request *req, struct xnd_ctl_reply *rep, int timeout_ms,
		 char *msg, size_t msglen);

#endif /* XND_CTLSOCK_H */
