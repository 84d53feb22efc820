// SPDX-License-Identifier: GPL-2.0
/* xneighd: the control socket (protocol in ctlsock.h). */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include "xneigh/nud.h"
#include "ctlsock.h"
#include "log.h"

int xnd_ctl_addr(struct sockaddr_un *sa, socklen_t *len)
{
	struct stat st;
	int n;

	if (stat("/proc/self/ns/net", &st))
		return -errno;
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	/* sun_path[0] = 0: the abstract namespace; the name is not
	 * NUL-terminated, its length is the address length */
	n = snprintf(sa->sun_path + 1, sizeof(sa->sun_path) - 1, XND_CTL_NAME_FMT,
		     (unsigned long)st.st_ino);
	if (n < 0 || (size_t)n >= sizeof(sa->sun_path) - 1)
		return -ENAMETOOLONG;
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
	return 0;
}

/* ---- daemon ------------------------------------------------------------------ */

int xnd_ctlsrv_open(struct xnd_ctlsrv *s)
{
	struct sockaddr_un sa;
	socklen_t len;
	int err;

	memset(s, 0, sizeof(*s));
	s->lfd = -1;
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

void xnd_ctlsrv_reply(int fd, const struct xnd_ctl_reply *rep)
{
	/* A client that went away is not our problem; never SIGPIPE. */
	if (send(fd, rep, sizeof(*rep), MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		pr_debug("control socket: reply not delivered: %s\n", strerror(errno));
	close(fd);
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

int xnd_ctlsrv_accept(struct xnd_ctlsrv *s, int *fdp, struct xnd_ctl_request *req)
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
	n = recv(fd, req, sizeof(*req), MSG_DONTWAIT);
	if (n != (ssize_t)sizeof(*req) || req->magic != XND_CTL_MAGIC ||
	    req->version != XND_CTL_VERSION) {
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

/* ---- client ------------------------------------------------------------------ */

int xnd_ctl_call(const struct xnd_ctl_request *req, struct xnd_ctl_reply *rep, int timeout_ms,
		 char *msg, size_t msglen)
{
	struct sockaddr_un sa;
	struct pollfd pfd;
	socklen_t len;
	ssize_t n;
	int fd, err, r;

	err = xnd_ctl_addr(&sa, &len);
	if (err) {
		snprintf(msg, msglen, "cannot name the control socket: %s", strerror(-err));
		return err;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = -errno;
		snprintf(msg, msglen, "cannot create a socket: %s", strerror(-err));
		return err;
	}
	if (connect(fd, (struct sockaddr *)&sa, len)) {
		err = -errno;
		if (err == -ECONNREFUSED || err == -ENOENT)
			snprintf(msg, msglen, "no xneighd is running in this network namespace "
				 "(nothing listens on @%s)", sa.sun_path + 1);
		else
			snprintf(msg, msglen, "cannot connect to xneighd (@%s): %s",
				 sa.sun_path + 1, strerror(-err));
		goto out;
	}
	if (send(fd, req, sizeof(*req), MSG_NOSIGNAL) != (ssize_t)sizeof(*req)) {
		err = -errno;
		snprintf(msg, msglen, "cannot send the request to xneighd: %s", strerror(-err));
		goto out;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	do
		r = poll(&pfd, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		err = -ETIMEDOUT;
		snprintf(msg, msglen, "no answer from xneighd within %d ms", timeout_ms);
		goto out;
	}
	n = recv(fd, rep, sizeof(*rep), 0);
	if (n < 0) {
		err = -errno;
		snprintf(msg, msglen, "reading xneighd's answer: %s", strerror(-err));
		goto out;
	}
	if (n == 0) {
		err = -ECONNRESET;
		snprintf(msg, msglen, "xneighd closed the connection without an answer "
			 "(did it exit?)");
		goto out;
	}
	if (n != (ssize_t)sizeof(*rep) || rep->magic != XND_CTL_MAGIC ||
	    rep->version != XND_CTL_VERSION) {
		err = -EPROTO;
		snprintf(msg, msglen, "xneighd answered in a protocol this build does not "
			 "speak (%zd bytes)", n);
		goto out;
	}
	rep->msg[sizeof(rep->msg) - 1] = '\0';
	err = 0;
out:
	close(fd);
	return err;
}
