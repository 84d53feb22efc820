// SPDX-License-Identifier: GPL-2.0
/* The client's side of xneighd's control protocol (ctlproto.h), shared by
 * xneigh and `xneighd --resolve`. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include "ctlproto.h"

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

void xnd_ctl_request_init(struct xnd_ctl_request *req, enum xnd_ctl_op op)
{
	memset(req, 0, sizeof(*req));
	req->magic = XND_CTL_MAGIC;
	req->version = XND_CTL_VERSION;
	req->op = (__u16)op;
}

int xnd_ctl_connect(int *fdp, char *msg, size_t msglen)
{
	struct sockaddr_un sa;
	socklen_t len;
	int fd, err;

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
		close(fd);
		return err;
	}
	*fdp = fd;
	return 0;
}

/* Wait until fd is readable. 0, or -ETIMEDOUT / -errno. */
static int wait_readable(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int r;

	do
		r = poll(&pfd, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return r == 0 ? -ETIMEDOUT : 0;
}

int xnd_ctl_exchange(const struct xnd_ctl_request *req, const void *req_payload, size_t req_len,
		     struct xnd_ctl_reply *rep, void *payload, size_t payload_max,
		     size_t *payload_len, int timeout_ms, int *keep_fd, char *msg, size_t msglen)
{
	struct iovec iov[2];
	struct msghdr mh = { .msg_iov = iov };
	ssize_t n;
	int fd, err;

	if (payload_len)
		*payload_len = 0;
	err = xnd_ctl_connect(&fd, msg, msglen);
	if (err)
		return err;

	/* one packet: the request, then its payload */
	iov[0].iov_base = (void *)req;
	iov[0].iov_len = sizeof(*req);
	iov[1].iov_base = (void *)req_payload;
	iov[1].iov_len = req_payload ? req_len : 0;
	mh.msg_iovlen = iov[1].iov_len ? 2 : 1;
	if (sendmsg(fd, &mh, MSG_NOSIGNAL) != (ssize_t)(sizeof(*req) + iov[1].iov_len)) {
		err = -errno;
		snprintf(msg, msglen, "cannot send the request to xneighd: %s", strerror(-err));
		goto out;
	}

	err = wait_readable(fd, timeout_ms);
	if (err == -ETIMEDOUT) {
		snprintf(msg, msglen, "no answer from xneighd within %d ms", timeout_ms);
		goto out;
	}
	if (err) {
		snprintf(msg, msglen, "waiting for xneighd's answer: %s", strerror(-err));
		goto out;
	}
	iov[0].iov_base = rep;
	iov[0].iov_len = sizeof(*rep);
	iov[1].iov_base = payload;
	iov[1].iov_len = payload ? payload_max : 0;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = iov;
	mh.msg_iovlen = iov[1].iov_len ? 2 : 1;
	n = recvmsg(fd, &mh, 0);
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
	if ((size_t)n < sizeof(*rep) || (mh.msg_flags & MSG_TRUNC) ||
	    rep->magic != XND_CTL_MAGIC || rep->version != XND_CTL_VERSION ||
	    rep->op != req->op) {
		err = -EPROTO;
		snprintf(msg, msglen, "xneighd answered in a protocol this build does not "
			 "speak (%zd bytes%s)", n, mh.msg_flags & MSG_TRUNC ? ", truncated" : "");
		goto out;
	}
	rep->msg[sizeof(rep->msg) - 1] = '\0';
	if (payload_len)
		*payload_len = (size_t)n - sizeof(*rep);
	err = 0;
	if (keep_fd && !rep->result) {
		*keep_fd = fd;
		return 0;
	}
out:
	close(fd);
	return err;
}

int xnd_ctl_call(const struct xnd_ctl_request *req, struct xnd_ctl_reply *rep, int timeout_ms,
		 char *msg, size_t msglen)
{
	return xnd_ctl_exchange(req, NULL, 0, rep, NULL, 0, NULL, timeout_ms, NULL, msg, msglen);
}

/* How long a subscription may take to be answered: the daemon answers at
 * once unless it is stuck. */
#define XND_CTL_MONITOR_TIMEOUT_MS	5000

int xnd_ctl_monitor(int *fd, struct xnd_ctl_reply *rep, char *msg, size_t msglen)
{
	struct xnd_ctl_request req;

	*fd = -1;
	xnd_ctl_request_init(&req, XND_CTL_MONITOR);
	return xnd_ctl_exchange(&req, NULL, 0, rep, NULL, 0, NULL, XND_CTL_MONITOR_TIMEOUT_MS, fd,
				msg, msglen);
}

int xnd_ctl_mon_read(int fd, struct xnd_ctl_mon *rec, char *msg, size_t msglen)
{
	ssize_t n;
	int err;

	n = recv(fd, rec, sizeof(*rec), MSG_TRUNC);
	if (n < 0) {
		err = -errno;
		if (err != -EAGAIN && err != -EINTR)
			snprintf(msg, msglen, "reading from xneighd: %s", strerror(-err));
		return err;
	}
	if (n == 0)
		return 0;
	/* MSG_TRUNC: n is the packet's real length */
	if (n != (ssize_t)sizeof(*rec) || rec->magic != XND_CTL_MAGIC ||
	    rec->version != XND_CTL_VERSION ||
	    (rec->kind != XND_MON_EVENT && rec->kind != XND_MON_LOST)) {
		snprintf(msg, msglen, "xneighd sent a record this build does not understand "
			 "(%zd bytes)", n);
		return -EPROTO;
	}
	return 1;
}
