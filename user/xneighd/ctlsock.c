// SPDX-License-Identifier: GPL-2.0
/* xneighd: the control socket, the daemon's side (protocol in
 * user/lib/ctlproto.h). */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/time.h>
#include <sys/uio.h>
#include "xneigh/nud.h"
#include "ctlsock.h"
#include "log.h"

/* ---- daemon ------------------------------------------------------------------ */

int xnd_ctlsrv_open(struct xnd_ctlsrv *s)
{
	struct sockaddr_un sa;
	socklen_t len;
	int err;

	s->lfd = -1;
	s->nw = 0;
	s->nsub = 0;
	err = xnd_ctl_addr(&sa, &len);
	if (err) {
		pr_warn("cannot name the control socket: %s\n", strerror(-err));
		return err;
	}
	s->lfd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->lfd < 0) {
		err = -errno;
		pr_warn("cannot create the control socket: %s\n", strerror(-err));
		return err;
	}
	if (bind(s->lfd, (struct sockaddr *)&sa, len)) {
		err = -errno;
		if (err == -EADDRINUSE)
			pr_warn("another xneighd is running in this network namespace (it holds "
				"the control socket @%s): only one may run per namespace\n",
				sa.sun_path + 1);
		else
			pr_warn("cannot bind the control socket @%s: %s\n", sa.sun_path + 1,
				strerror(-err));
		goto fail;
	}
	if (listen(s->lfd, 16)) {
		err = -errno;
		pr_warn("cannot listen on the control socket @%s: %s\n", sa.sun_path + 1,
			strerror(-err));
		goto fail;
	}
	pr_info("control socket @%s\n", sa.sun_path + 1);
	return 0;
fail:
	close(s->lfd);
	s->lfd = -1;
	return err;
}

void xnd_ctlsrv_close(struct xnd_ctlsrv *s)
{
	unsigned int i;

	for (i = 0; i < s->nw; i++)
		close(s->w[i].fd);
	s->nw = 0;
	/* a monitor reads end-of-stream: the daemon is gone */
	for (i = 0; i < s->nsub; i++)
		close(s->sub[i].fd);
	s->nsub = 0;
	if (s->lfd >= 0)
		close(s->lfd);
	s->lfd = -1;
}

void xnd_ctl_reply_init(struct xnd_ctl_reply *rep, const struct xnd_ctl_request *req,
			int result, const char *fmt, ...)
{
	va_list ap;

	memset(rep, 0, sizeof(*rep));
	rep->magic = XND_CTL_MAGIC;
	rep->version = XND_CTL_VERSION;
	rep->op = req->op;
	rep->result = result;
	rep->family = req->family;
	rep->ifindex = req->ifindex;
	memcpy(rep->addr, req->addr, sizeof(rep->addr));
	if (result && fmt) {
		va_start(ap, fmt);
		vsnprintf(rep->msg, sizeof(rep->msg), fmt, ap);
		va_end(ap);
	}
}

void xnd_ctlsrv_reply_payload(int fd, const struct xnd_ctl_reply *rep, const void *payload,
			      size_t len)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)rep, .iov_len = sizeof(*rep) },
		{ .iov_base = (void *)payload, .iov_len = payload ? len : 0 },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = iov[1].iov_len ? 2 : 1 };

	/* A client that went away is not our problem; never SIGPIPE. */
	if (sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		pr_debug("control socket: reply not delivered: %s\n", strerror(errno));
	close(fd);
}

void xnd_ctlsrv_reply(int fd, const struct xnd_ctl_reply *rep)
{
	xnd_ctlsrv_reply_payload(fd, rep, NULL, 0);
}

/* Only root or our own user may create entries and send probes. */
static bool peer_allowed(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len))
		return false;
	return cr.uid == 0 || cr.uid == geteuid();
}

int xnd_ctlsrv_accept(struct xnd_ctlsrv *s, int *fdp, struct xnd_ctl_request *req,
		      const void **payload, size_t *payload_len)
{
	struct xnd_ctl_reply rep;
	struct pollfd pfd;
	ssize_t n;
	int fd;

	fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED ||
		    errno == EINTR)
			return 0;
		return -errno;
	}
	memset(req, 0, sizeof(*req));
	/* the client sends its request as soon as it is connected */
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 1000) <= 0) {
		pr_debug("control socket: no request within 1 s, dropped\n");
		close(fd);
		return 0;
	}
	/* MSG_TRUNC: n is the packet's length even if it is too long */
	n = recv(fd, s->rx, sizeof(s->rx), MSG_DONTWAIT | MSG_TRUNC);
	if (n >= (ssize_t)sizeof(*req))
		memcpy(req, s->rx, sizeof(*req));
	else if (n > 0)
		memcpy(req, s->rx, (size_t)n);
	if (n < (ssize_t)sizeof(*req) || n > (ssize_t)sizeof(s->rx) ||
	    req->magic != XND_CTL_MAGIC || req->version != XND_CTL_VERSION) {
		struct xnd_ctl_request bad = *req;

		if (n < 0)
			memset(&bad, 0, sizeof(bad));
		xnd_ctl_reply_init(&rep, &bad, -EPROTO,
				   "bad request (%zd bytes, version %u): this xneighd speaks "
				   "control protocol version %d", n, n >= 8 ? bad.version : 0,
				   XND_CTL_VERSION);
		xnd_ctlsrv_reply(fd, &rep);
		return 0;
	}
	if (!peer_allowed(fd)) {
		xnd_ctl_reply_init(&rep, req, -EPERM, "permission denied: root only");
		xnd_ctlsrv_reply(fd, &rep);
		return 0;
	}
	*fdp = fd;
	*payload = s->rx + sizeof(*req);
	*payload_len = (size_t)n - sizeof(*req);
	return 1;
}

int xnd_ctlsrv_wait(struct xnd_ctlsrv *s, int fd, const struct xnd_ctl_request *req)
{
	if (s->nw == XND_CTL_MAX_WAITERS)
		return -EBUSY;
	s->w[s->nw].fd = fd;
	s->w[s->nw].req = *req;
	s->nw++;
	return 0;
}

static void waiter_remove(struct xnd_ctlsrv *s, unsigned int i)
{
	s->w[i] = s->w[--s->nw];
}

void xnd_ctlsrv_drop(struct xnd_ctlsrv *s, int fd)
{
	unsigned int i;

	for (i = 0; i < s->nw; i++) {
		if (s->w[i].fd != fd)
			continue;
		pr_debug("control socket: a waiting client went away\n");
		close(fd);
		waiter_remove(s, i);
		return;
	}
	for (i = 0; i < s->nsub; i++) {
		if (s->sub[i].fd != fd)
			continue;
		pr_debug("control socket: a monitor went away (%u left)\n", s->nsub - 1);
		close(fd);
		s->sub[i] = s->sub[--s->nsub];
		return;
	}
}

void xnd_ctlsrv_entry(struct xnd_ctlsrv *s, __u32 family, __u32 ifindex, const __u8 addr[16],
		      const struct xn_neigh *v, __u64 now)
{
	struct xnd_ctl_reply rep;
	unsigned int i = 0;
	size_t alen = family == AF_INET6 ? 16 : 4;

	if (v && v->state == NUD_INCOMPLETE)
		return;
	while (i < s->nw) {
		const struct xnd_ctl_request *r = &s->w[i].req;

		if (r->family != family || r->ifindex != ifindex || memcmp(r->addr, addr, alen)) {
			i++;
			continue;
		}
		xnd_ctl_reply_init(&rep, r, 0, NULL);
		rep.now = now;
		if (v) {
			rep.present = 1;
			rep.state = v->state;
			rep.flags = v->flags;
			memcpy(rep.lladdr, v->lladdr, ETH_ALEN);
			rep.probes = v->probes;
			rep.confirmed = v->confirmed;
			rep.updated = v->updated;
			rep.used = v->used;
		}
		xnd_ctlsrv_reply(s->w[i].fd, &rep);
		waiter_remove(s, i);
	}
}

/* ---- subscribers (XND_CTL_MONITOR) -------------------------------------------- */

int xnd_ctlsrv_subscribe(struct xnd_ctlsrv *s, int fd, const struct xnd_ctl_request *req)
{
	struct xnd_ctl_reply rep;
	int sndbuf = XND_CTL_SUB_SNDBUF;

	if (s->nsub == XND_CTL_MAX_SUBSCRIBERS) {
		xnd_ctl_reply_init(&rep, req, -EBUSY,
				   "too many monitors: xneighd serves at most %d at once",
				   XND_CTL_MAX_SUBSCRIBERS);
		xnd_ctlsrv_reply(fd, &rep);
		return -EBUSY;
	}
	/* room for bursts; the kernel caps it at net.core.wmem_max */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)))
		pr_debug("control socket: SO_SNDBUF: %s\n", strerror(errno));
	xnd_ctl_reply_init(&rep, req, 0, NULL);
	if (send(fd, &rep, sizeof(rep), MSG_NOSIGNAL | MSG_DONTWAIT) != (ssize_t)sizeof(rep)) {
		int err = -errno;

		pr_debug("control socket: monitor reply not delivered: %s\n", strerror(-err));
		close(fd);
		return err;
	}
	s->sub[s->nsub].fd = fd;
	s->sub[s->nsub].hung_up = false;
	s->sub[s->nsub].lost = 0;
	s->nsub++;
	pr_debug("control socket: a monitor subscribed (%u now)\n", s->nsub);
	return 0;
}

/* Send one record without blocking. 0, -EAGAIN (no room now), or another
 * -errno (the client is gone). */
static int sub_send(struct xnd_sub *sub, const struct xnd_ctl_mon *rec)
{
	if (send(sub->fd, rec, sizeof(*rec), MSG_NOSIGNAL | MSG_DONTWAIT) == (ssize_t)sizeof(*rec))
		return 0;
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS ? -EAGAIN : -errno;
}

/* Report sub's pending loss. 0 when there is none left to report. */
static int sub_report_lost(struct xnd_sub *sub, __u64 realtime_ns)
{
	struct xnd_ctl_mon rec = {
		.magic = XND_CTL_MAGIC, .version = XND_CTL_VERSION, .kind = XND_MON_LOST,
		.realtime_ns = realtime_ns, .lost = sub->lost,
	};
	int err;

	if (!sub->lost)
		return 0;
	err = sub_send(sub, &rec);
	if (!err)
		sub->lost = 0;
	else if (err != -EAGAIN)
		sub->hung_up = true;
	return err;
}

void xnd_ctlsrv_publish(struct xnd_ctlsrv *s, const void *data, size_t size, __u64 realtime_ns)
{
	struct xnd_ctl_mon rec = {
		.magic = XND_CTL_MAGIC, .version = XND_CTL_VERSION, .kind = XND_MON_EVENT,
		.realtime_ns = realtime_ns,
	};
	unsigned int i;
	int err;

	memcpy(&rec.ev, data, size < sizeof(rec.ev) ? size : sizeof(rec.ev));
	for (i = 0; i < s->nsub; i++) {
		struct xnd_sub *sub = &s->sub[i];

		if (sub->hung_up)
			continue;
		/* the loss is told before anything that came after it */
		err = sub_report_lost(sub, realtime_ns);
		if (!err)
			err = sub_send(sub, &rec);
		if (err == -EAGAIN) {
			if (!sub->lost)
				pr_debug("control socket: a monitor falls behind, dropping its "
					 "events\n");
			sub->lost++;
		} else if (err) {
			sub->hung_up = true;
		}
	}
}

void xnd_ctlsrv_flush_lost(struct xnd_ctlsrv *s, __u64 realtime_ns)
{
	unsigned int i;

	for (i = 0; i < s->nsub; i++)
		if (!s->sub[i].hung_up)
			sub_report_lost(&s->sub[i], realtime_ns);
}
