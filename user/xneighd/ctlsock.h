/* SPDX-License-Identifier: GPL-2.0 */
/* xneighd's control socket, the daemon's side: accepting requests,
 * answering them, clients waiting for a resolution, and the subscribers of
 * XND_CTL_MONITOR to whom every event is fanned out. The protocol and the
 * client are in user/lib/ctlproto.h (ctlclient.c); the operations themselves
 * are dispatched in main.c (ctl_request()).
 */
#ifndef XND_CTLSOCK_H
#define XND_CTLSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include "ctlproto.h"

#define XND_CTL_MAX_WAITERS	64

/* A subscriber's socket buffer: what a monitor may fall behind by before
 * its events are dropped (and counted). SO_SNDBUF, capped by the kernel at
 * net.core.wmem_max. */
#define XND_CTL_SUB_SNDBUF	(1 << 20)

struct xnd_waiter {
	int fd;
	struct xnd_ctl_request req;
};

struct xnd_sub {
	int fd;
	bool hung_up;			/* sending failed for good: wait for the drop */
	__u64 lost;			/* events dropped, not yet reported */
};

struct xnd_ctlsrv {
	int lfd;			/* listening socket, -1 when none */
	struct xnd_waiter w[XND_CTL_MAX_WAITERS];
	unsigned int nw;
	struct xnd_sub sub[XND_CTL_MAX_SUBSCRIBERS];
	unsigned int nsub;
	/* the request being handled: its packet, the payload after the header */
	__u8 rx[XND_CTL_MSG_MAX];
};

/* Bind and listen. -EADDRINUSE: another xneighd runs in this namespace
 * (said here). Other -errno: no control channel (said too). */
int xnd_ctlsrv_open(struct xnd_ctlsrv *s);
/* Close every connection (waiters and subscribers see the daemon go) and
 * the listening socket. */
void xnd_ctlsrv_close(struct xnd_ctlsrv *s);

/* Accept one pending connection and read its request (the client sends it
 * right after connecting; a client that does not within 1 s is dropped).
 * 1 and *fd, *req, and the request's payload (*payload, *payload_len bytes,
 * valid until the next call) when there is a request to handle; 0 when
 * there was nothing (or it was dropped, or answered with an error here: a
 * bad request, a peer without privileges); -errno on a listening-socket
 * error. */
int xnd_ctlsrv_accept(struct xnd_ctlsrv *s, int *fd, struct xnd_ctl_request *req,
		      const void **payload, size_t *payload_len);

/* Answer and close. */
void xnd_ctlsrv_reply(int fd, const struct xnd_ctl_reply *rep);
/* Answer with rep followed by len bytes of payload in one packet, and close. */
void xnd_ctlsrv_reply_payload(int fd, const struct xnd_ctl_reply *rep, const void *payload,
			      size_t len);
/* Fill the common fields of a reply to req; msg from fmt when result != 0. */
void xnd_ctl_reply_init(struct xnd_ctl_reply *rep, const struct xnd_ctl_request *req,
			int result, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Keep fd waiting for its entry. -EBUSY when the list is full. */
int xnd_ctlsrv_wait(struct xnd_ctlsrv *s, int fd, const struct xnd_ctl_request *req);
/* A waiter's or subscriber's connection is readable or hung up: the client
 * went away (it never sends more). Drop it. */
void xnd_ctlsrv_drop(struct xnd_ctlsrv *s, int fd);
/* The entry of (family, ifindex, addr) is now `v` (NULL: gone): answer the
 * waiters for it once it is not INCOMPLETE. `now` goes into the replies. */
void xnd_ctlsrv_entry(struct xnd_ctlsrv *s, __u32 family, __u32 ifindex, const __u8 addr[16],
		      const struct xn_neigh *v, __u64 now);

/* Make fd, whose request is XND_CTL_MONITOR, a subscriber and answer it:
 * result 0, or -EBUSY when XND_CTL_MAX_SUBSCRIBERS are subscribed already
 * (fd is then answered and closed). 0, or -errno with fd closed. The
 * caller watches fd for the client's hang-up (xnd_ctlsrv_drop()). */
int xnd_ctlsrv_subscribe(struct xnd_ctlsrv *s, int fd, const struct xnd_ctl_request *req);
/* Send one event of xn_events (size bytes at data), read at realtime_ns
 * (CLOCK_REALTIME), to every subscriber, never blocking: a subscriber whose
 * socket buffer is full loses it (counted, and reported before its next
 * event); one that hung up gets nothing more and waits for
 * xnd_ctlsrv_drop(), which closes it (never closed here: the caller's
 * epoll may still hold an event for its fd). */
void xnd_ctlsrv_publish(struct xnd_ctlsrv *s, const void *data, size_t size, __u64 realtime_ns);
/* Try again to report the losses still pending (called periodically, so a
 * loss is reported even when no further event comes). */
void xnd_ctlsrv_flush_lost(struct xnd_ctlsrv *s, __u64 realtime_ns);

#endif /* XND_CTLSOCK_H */
