// SPDX-License-Identifier: GPL-2.0
/* The lab as the tester sees it: two sides (kernel, xneigh), each a host
 * namespace and a peer namespace joined by a veth (h0 <-> p0).
 *
 * Everything per-namespace is done by entering the namespace with setns()
 * for the moment it takes and coming back: packet sockets keep the
 * namespace they were created in, /proc/sys/net shows the namespace of the
 * task that opens a file there, and BPF objects are namespace-free once we
 * hold their fds. `ip` and `xneigh` run as child processes, in parallel
 * where the two sides are independent. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xneigh/maps.h"
#include "diff.h"

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* ---- namespaces -------------------------------------------------------------- */

static int ns_open(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		fprintf(stderr, "xneigh-diff: cannot open network namespace %s: %s\n", path,
			strerror(errno));
	}
	return fd;
}

static int ns_enter(int fd, const char *what)
{
	if (setns(fd, CLONE_NEWNET)) {
		int err = -errno;

		fprintf(stderr, "xneigh-diff: setns(%s): %s\n", what, strerror(errno));
		return err;
	}
	return 0;
}

/* ---- child processes --------------------------------------------------------- */

/* Our CPU mask before lab_open() pinned us to one CPU. */
static cpu_set_t all_cpus;

struct proc {
	char *const *argv;
	pid_t pid;
	int fd[2];			/* stdout, stderr (-1 when closed) */
	char *buf[2];
	size_t len[2], cap[2];
	int status;
};

static int proc_start(struct proc *p)
{
	int out[2], err[2];

	memset(p->fd, -1, sizeof(p->fd));
	p->buf[0] = p->buf[1] = NULL;
	p->len[0] = p->len[1] = p->cap[0] = p->cap[1] = 0;
	if (pipe2(out, O_CLOEXEC))
		return -errno;
	if (pipe2(err, O_CLOEXEC)) {
		close(out[0]);
		close(out[1]);
		return -errno;
	}
	p->pid = fork();
	if (p->pid < 0) {
		int e = -errno;

		close(out[0]);
		close(out[1]);
		close(err[0]);
		close(err[1]);
		return e;
	}
	if (p->pid == 0) {
		/* children may use every CPU; only we stay on one */
		if (CPU_COUNT(&all_cpus))
			sched_setaffinity(0, sizeof(all_cpus), &all_cpus);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execvp(p->argv[0], p->argv);
		fprintf(stderr, "cannot run %s: %s\n", p->argv[0], strerror(errno));
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	p->fd[0] = out[0];
	p->fd[1] = err[0];
	return 0;
}

static int buf_append(struct proc *p, int i, const char *data, size_t n)
{
	if (p->len[i] + n + 1 > p->cap[i]) {
		size_t ncap = (p->len[i] + n + 1) * 2;
		char *nb = realloc(p->buf[i], ncap);

		if (!nb)
			return -ENOMEM;
		p->buf[i] = nb;
		p->cap[i] = ncap;
	}
	memcpy(p->buf[i] + p->len[i], data, n);
	p->len[i] += n;
	p->buf[i][p->len[i]] = '\0';
	return 0;
}

/* Read every child's stdout and stderr to the end and reap it. */
static int proc_finish(struct proc *ps, size_t n)
{
	struct pollfd pfd[16];
	size_t map[16][2];
	char data[4096];
	int err = 0;

	for (;;) {
		size_t np = 0, i;
		int j;

		for (i = 0; i < n; i++)
			for (j = 0; j < 2; j++)
				if (ps[i].fd[j] >= 0 && np < 16) {
					pfd[np].fd = ps[i].fd[j];
					pfd[np].events = POLLIN;
					map[np][0] = i;
					map[np][1] = j;
					np++;
				}
		if (!np)
			break;
		if (poll(pfd, np, -1) < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		for (i = 0; i < np; i++) {
			struct proc *p = &ps[map[i][0]];
			int k = map[i][1];
			ssize_t r;

			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			r = read(pfd[i].fd, data, sizeof(data));
			if (r > 0) {
				if (buf_append(p, k, data, r))
					err = -ENOMEM;
			} else if (r == 0 || errno != EINTR) {
				close(p->fd[k]);
				p->fd[k] = -1;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		for (int j = 0; j < 2; j++)
			if (ps[i].fd[j] >= 0) {
				close(ps[i].fd[j]);
				ps[i].fd[j] = -1;
			}
		while (waitpid(ps[i].pid, &ps[i].status, 0) < 0 && errno == EINTR)
			;
		for (int j = 0; j < 2; j++)
			if (!ps[i].buf[j]) {
				ps[i].buf[j] = strdup("");
				if (!ps[i].buf[j])
					err = -ENOMEM;
			}
	}
	return err;
}

static bool proc_ok(const struct proc *p)
{
	return WIFEXITED(p->status) && WEXITSTATUS(p->status) == 0;
}

static void proc_report(const struct proc *p)
{
	char cmd[256] = "";
	char *const *a;

	for (a = p->argv; *a && strlen(cmd) < sizeof(cmd) - 40; a++)
		snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), "%s%s", a == p->argv ? "" : " ",
			 *a);
	if (WIFEXITED(p->status))
		fprintf(stderr, "xneigh-diff: '%s' exited with status %d: %s\n", cmd,
			WEXITSTATUS(p->status), p->buf[1] ? p->buf[1] : "");
	else
		fprintf(stderr, "xneigh-diff: '%s' killed by signal %d\n", cmd,
			WIFSIGNALED(p->status) ? WTERMSIG(p->status) : 0);
}

static void proc_free(struct proc *ps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(ps[i].buf[0]);
		free(ps[i].buf[1]);
		ps[i].buf[0] = ps[i].buf[1] = NULL;
	}
}

/* Run n commands at once; 0 if all succeeded. */
static int run_parallel(struct proc *ps, size_t n)
{
	size_t i, started = 0;
	int err = 0;

	for (i = 0; i < n; i++) {
		err = proc_start(&ps[i]);
		if (err) {
			fprintf(stderr, "xneigh-diff: cannot start %s: %s\n", ps[i].argv[0],
				strerror(-err));
			break;
		}
		started++;
	}
	if (proc_finish(ps, started) && !err)
		err = -ENOMEM;
	for (i = 0; i < started && !err; i++)
		if (!proc_ok(&ps[i])) {
			proc_report(&ps[i]);
			err = -EIO;
		}
	return err;
}

/* ---- packet sockets ------------------------------------------------------------ */

static int open_peer_socket(struct lab *lab, struct side *s)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int one = 1, rcvbuf = 1 << 20, err;

	err = ns_enter(s->peer_fd, s->peer_ns);
	if (err)
		return err;
	s->peer_ifindex = if_nametoindex(LAB_PEER_DEV);
	s->sock = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (s->sock < 0)
		err = -errno;
	err = ns_enter(lab->self_fd, "back to our own namespace") ?: err;
	if (!s->peer_ifindex) {
		fprintf(stderr, "xneigh-diff: no interface %s in %s\n", LAB_PEER_DEV, s->peer_ns);
		return -ENODEV;
	}
	if (err) {
		fprintf(stderr, "xneigh-diff: AF_PACKET socket in %s: %s\n", s->peer_ns,
			strerror(-err));
		return err;
	}
	sll.sll_ifindex = s->peer_ifindex;
	if (bind(s->sock, (struct sockaddr *)&sll, sizeof(sll))) {
		err = -errno;
		fprintf(stderr, "xneigh-diff: bind to %s in %s: %s\n", LAB_PEER_DEV, s->peer_ns,
			strerror(errno));
		return err;
	}
	/* our own transmissions are not answers */
	if (setsockopt(s->sock, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one))) {
		err = -errno;
		fprintf(stderr, "xneigh-diff: PACKET_IGNORE_OUTGOING: %s\n", strerror(errno));
		return err;
	}
	if (setsockopt(s->sock, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one))) {
		err = -errno;
		fprintf(stderr, "xneigh-diff: PACKET_AUXDATA: %s\n", strerror(errno));
		return err;
	}
	setsockopt(s->sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	return 0;
}

/* ---- xneighd's maps, through the XDP program on h0 ----------------------------- */

/* xneighd --mode tc: the program of the bpf filter on h0's ingress, from
 * `tc -j filter show` ("options": {..., "prog": {"id": N, ...}}). */
static int tc_ingress_prog_id(struct lab *lab, struct side *s, __u32 *id)
{
	char *const argv[] = { "tc", "-n", (char *)s->host_ns, "-j", "filter", "show", "dev",
			       LAB_HOST_DEV, "ingress", NULL };
	struct proc p = { .argv = argv };
	const char *at;
	int err = run_parallel(&p, 1);

	*id = 0;
	if (!err && (at = strstr(p.buf[0], "\"prog\":{\"id\":")))
		*id = strtoul(at + strlen("\"prog\":{\"id\":"), NULL, 10);
	proc_free(&p, 1);
	return err;
}

static int find_maps(struct lab *lab, struct side *s)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info), ids[64], prog_id = 0, i;
	int ifindex, err, pfd;

	err = ns_enter(s->host_fd, s->host_ns);
	if (err)
		return err;
	ifindex = if_nametoindex(LAB_HOST_DEV);
	err = ifindex ? bpf_xdp_query_id(ifindex, 0, &prog_id) : -ENODEV;
	err = ns_enter(lab->self_fd, "back to our own namespace") ?: err;
	if (!err && !prog_id)
		err = tc_ingress_prog_id(lab, s, &prog_id);
	if (err || !prog_id) {
		fprintf(stderr, "xneigh-diff: no XDP or TC ingress program on %s in %s (%s): is "
			"xneighd running?\n", LAB_HOST_DEV, s->host_ns,
			err ? strerror(-err) : "none attached");
		return err ?: -ENOENT;
	}
	pfd = bpf_prog_get_fd_by_id(prog_id);
	if (pfd < 0) {
		fprintf(stderr, "xneigh-diff: program id %u: %s\n", prog_id, strerror(errno));
		return -errno;
	}
	info.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	info.map_ids = (__u64)(unsigned long)ids;
	err = bpf_obj_get_info_by_fd(pfd, &info, &len);
	close(pfd);
	if (err) {
		fprintf(stderr, "xneigh-diff: info of program id %u: %s\n", prog_id, strerror(-err));
		return err;
	}
	for (i = 0; i < info.nr_map_ids && i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct bpf_map_info mi = {};
		__u32 mlen = sizeof(mi);
		int mfd = bpf_map_get_fd_by_id(ids[i]);

		if (mfd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(mfd, &mi, &mlen)) {
			close(mfd);
			continue;
		}
		if (!strcmp(mi.name, XN_MAP_GLOBAL) && s->global_fd < 0)
			s->global_fd = mfd;
		else if (!strcmp(mi.name, XN_MAP_STATS) && s->stats_fd < 0)
			s->stats_fd = mfd;
		else
			close(mfd);
	}
	if (s->global_fd < 0 || s->stats_fd < 0) {
		fprintf(stderr, "xneigh-diff: program id %u on %s has no %s/%s map\n", prog_id,
			LAB_HOST_DEV, XN_MAP_GLOBAL, XN_MAP_STATS);
		return -ENOENT;
	}
	return 0;
}

static int read_heartbeat(struct side *s, unsigned long long *hb)
{
	struct xn_global g;
	__u32 key = 0;

	if (bpf_map_lookup_elem(s->global_fd, &key, &g))
		return -errno;
	*hb = g.daemon_heartbeat;
	return 0;
}

/* Wait until xneighd has finished a pass over the sysctls that started
 * after `since`. Its passes run one after another and each ends by
 * stamping xn_global.daemon_heartbeat; a stamp later than `since` may come
 * from a pass that read the sysctls before `since`, but the pass after it
 * cannot have. SIGHUP (full resync) starts a pass at once; without the
 * daemon's pid we wait for its periodic ones (every 500 ms). */
static int xneighd_sync(struct lab *lab, unsigned long long since)
{
	struct side *s = &lab->x;
	unsigned long long hb = 0, first = 0, deadline = now_ns() + 10ull * 1000000000ull;
	int err;

	if (s->xneighd_pid > 0 && kill(s->xneighd_pid, SIGHUP)) {
		fprintf(stderr, "xneigh-diff: SIGHUP to xneighd (pid %d): %s\n", s->xneighd_pid,
			strerror(errno));
		return -errno;
	}
	for (;;) {
		err = read_heartbeat(s, &hb);
		if (err) {
			fprintf(stderr, "xneigh-diff: reading %s: %s\n", XN_MAP_GLOBAL, strerror(-err));
			return err;
		}
		if (!first && hb > since) {
			first = hb;
			if (s->xneighd_pid > 0)
				kill(s->xneighd_pid, SIGHUP);
		} else if (first && hb > first) {
			return 0;
		}
		if (now_ns() > deadline) {
			fprintf(stderr, "xneigh-diff: xneighd did not finish a sync pass within 10 s "
				"(heartbeat %llu, since %llu)\n", hb, since);
			return -ETIMEDOUT;
		}
		usleep(2000);
	}
}

int lab_stats(struct lab *lab, int slot, struct xn_stats *out)
{
	int ncpu = libbpf_num_possible_cpus();
	size_t vsz = (sizeof(struct xn_stats) + 7) & ~(size_t)7;
	__u32 key = slot;
	__u64 *v;
	char *buf;
	int c;

	memset(out, 0, sizeof(*out));
	if (ncpu <= 0)
		return ncpu ?: -EINVAL;
	buf = calloc(ncpu, vsz);
	if (!buf)
		return -ENOMEM;
	if (bpf_map_lookup_elem(lab->x.stats_fd, &key, buf)) {
		int err = -errno;

		free(buf);
		return err;
	}
	v = (__u64 *)out;
	for (c = 0; c < ncpu; c++) {
		const __u64 *cv = (const __u64 *)(buf + c * vsz);

		for (size_t i = 0; i < XN_STAT__COUNT; i++)
			v[i] += cv[i];
	}
	free(buf);
	return 0;
}

/* ---- open / close ------------------------------------------------------------------- */

static void side_init(struct side *s)
{
	s->host_fd = s->peer_fd = s->sock = s->global_fd = s->stats_fd = -1;
}

int lab_open(struct lab *lab)
{
	struct side *sides[2] = { &lab->k, &lab->x };
	int err, i;

	side_init(&lab->k);
	side_init(&lab->x);
	if (lab->sentinel) {
		char err[128];
		cpu_set_t set;
		int cpu = sched_getcpu();

		if (frame_build(LAB_SENTINEL_SPEC, &lab->sentinel_frame, err, sizeof(err))) {
			fprintf(stderr, "xneigh-diff: sentinel frame: %s\n", err);
			return -EINVAL;
		}
		/* one CPU: the kernel side keeps our frames in one backlog */
		if (sched_getaffinity(0, sizeof(all_cpus), &all_cpus))
			CPU_ZERO(&all_cpus);
		CPU_ZERO(&set);
		CPU_SET(cpu < 0 ? 0 : cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			fprintf(stderr, "xneigh-diff: sched_setaffinity(cpu %d): %s\n", cpu,
				strerror(errno));
			return -errno;
		}
	}
	lab->self_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (lab->self_fd < 0) {
		fprintf(stderr, "xneigh-diff: /proc/self/ns/net: %s\n", strerror(errno));
		return -errno;
	}
	for (i = 0; i < 2; i++) {
		struct side *s = sides[i];

		s->host_fd = ns_open(s->host_ns);
		if (s->host_fd < 0)
			return s->host_fd;
		s->peer_fd = ns_open(s->peer_ns);
		if (s->peer_fd < 0)
			return s->peer_fd;
		err = open_peer_socket(lab, s);
		if (err)
			return err;
	}
	return find_maps(lab, &lab->x);
}

void lab_close(struct lab *lab)
{
	struct side *sides[2] = { &lab->k, &lab->x };

	for (int i = 0; i < 2; i++) {
		struct side *s = sides[i];
		int *fds[] = { &s->host_fd, &s->peer_fd, &s->sock, &s->global_fd, &s->stats_fd };

		for (size_t j = 0; j < sizeof(fds) / sizeof(fds[0]); j++)
			if (*fds[j] >= 0) {
				close(*fds[j]);
				*fds[j] = -1;
			}
	}
	if (lab->self_fd >= 0)
		close(lab->self_fd);
	lab->self_fd = -1;
}

/* ---- sysctls ---------------------------------------------------------------------------- */

static int write_sysctls(struct lab *lab, struct side *s, const struct combo *co)
{
	char path[160], val[16];
	int err, fd, e2;
	size_t i;

	err = ns_enter(s->host_fd, s->host_ns);
	if (err)
		return err;
	for (i = 0; i < co->nkv && !err; i++) {
		int n;

		snprintf(path, sizeof(path), "/proc/sys/net/%s", co->kv[i].path);
		n = snprintf(val, sizeof(val), "%d\n", co->kv[i].value);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, val, n) != n) {
			err = -errno;
			fprintf(stderr, "xneigh-diff: %s: writing %d to %s: %s\n", s->host_ns,
				co->kv[i].value, path, strerror(errno));
		}
		if (fd >= 0)
			close(fd);
	}
	e2 = ns_enter(lab->self_fd, "back to our own namespace");
	return err ?: e2;
}

int lab_apply_combo(struct lab *lab, const struct combo *co)
{
	unsigned long long since;
	int err;

	err = write_sysctls(lab, &lab->k, co);
	if (!err)
		err = write_sysctls(lab, &lab->x, co);
	if (err)
		return err;
	since = now_ns();
	return xneighd_sync(lab, since);
}

/* ---- neighbour tables ----------------------------------------------------------------- */

int lab_flush(struct lab *lab, unsigned int what)
{
	/* `flush nud all` leaves NOARP entries alone (ip's rule, which
	 * xneigh follows); NUD-12 makes some from received frames. */
	char *const k_ip[] = { (char *)lab->ip, "-n", (char *)lab->k.host_ns, "neigh", "flush",
			       "all", "nud", "all", "nud", "noarp", NULL };
	char *const x_ip[] = { (char *)lab->ip, "-n", (char *)lab->x.host_ns, "neigh", "flush",
			       "all", "nud", "all", "nud", "noarp", NULL };
	char *const x_cli[] = { (char *)lab->ip, "netns", "exec", (char *)lab->x.host_ns,
				(char *)lab->xneigh_cli, "flush", "all", "nud", "all", "nud",
				"noarp", NULL };
	struct proc ps[3];
	size_t n = 0;
	int err;

	if (what & FLUSH_K)
		ps[n++] = (struct proc){ .argv = k_ip };
	if (what & FLUSH_X)
		ps[n++] = (struct proc){ .argv = x_cli };
	if (what & FLUSH_XK)
		ps[n++] = (struct proc){ .argv = x_ip };
	if (!n)
		return 0;
	err = run_parallel(ps, n);
	proc_free(ps, n);
	return err;
}

int lab_dump(struct lab *lab, struct ntable *k, struct ntable *x, struct ntable *xk)
{
	char *const k_ip[] = { (char *)lab->ip, "-n", (char *)lab->k.host_ns, "-j", "neigh",
			       "show", "nud", "all", NULL };
	char *const x_cli[] = { (char *)lab->ip, "netns", "exec", (char *)lab->x.host_ns,
				(char *)lab->xneigh_cli, "-j", "show", "nud", "all", NULL };
	char *const x_ip[] = { (char *)lab->ip, "-n", (char *)lab->x.host_ns, "-j", "neigh",
			       "show", "nud", "all", NULL };
	struct proc ps[3] = { { .argv = k_ip }, { .argv = x_cli }, { .argv = x_ip } };
	struct ntable *t[3] = { k, x, xk };
	const char *what[3] = { "ip -j neigh (kernel side)", "xneigh -j show",
				"ip -j neigh (xneigh side)" };
	char err[160];
	int e = run_parallel(ps, 3);

	for (int i = 0; i < 3 && !e; i++)
		if (ntable_parse(ps[i].buf[0], t[i], err, sizeof(err))) {
			fprintf(stderr, "xneigh-diff: %s output: %s: %s\n", what[i], err,
				ps[i].buf[0]);
			e = -EINVAL;
		}
	proc_free(ps, 3);
	return e;
}

/* ---- frames ------------------------------------------------------------------------------ */

static void capture_add(struct capture *c, const unsigned char *b, size_t len)
{
	if (c->n == CAPTURE_MAX) {
		c->dropped++;
		return;
	}
	memcpy(c->f[c->n].b, b, len);
	c->f[c->n].len = len;
	c->n++;
}

/* The receive path moves a VLAN tag out of the frame into skb metadata
 * before packet sockets see it (skb_vlan_untag() in
 * __netif_receive_skb_core()); PACKET_AUXDATA hands it back, and we put it
 * where it was on the wire, as libpcap does, so tags are compared too. */
static ssize_t reinsert_vlan(unsigned char *b, ssize_t len, size_t cap, struct msghdr *msg)
{
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		struct tpacket_auxdata aux;
		unsigned int tpid;

		if (cm->cmsg_level != SOL_PACKET || cm->cmsg_type != PACKET_AUXDATA ||
		    cm->cmsg_len < CMSG_LEN(sizeof(aux)))
			continue;
		memcpy(&aux, CMSG_DATA(cm), sizeof(aux));
		if (!(aux.tp_status & TP_STATUS_VLAN_VALID) || len < 12 || (size_t)len + 4 > cap)
			return len;
		tpid = aux.tp_status & TP_STATUS_VLAN_TPID_VALID ? aux.tp_vlan_tpid : 0x8100;
		memmove(b + 16, b + 12, len - 12);
		b[12] = tpid >> 8;
		b[13] = tpid;
		b[14] = aux.tp_vlan_tci >> 8;
		b[15] = aux.tp_vlan_tci;
		return len + 4;
	}
	return len;
}

/* Read what is queued on s->sock: returns 1 if a comparable frame came.
 * The sentinel's answer is noted, not captured. */
static int receive(struct side *s, struct capture *c, size_t *count)
{
	unsigned char b[FRAME_MAX + 64];
	char ctl[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	int got = 0;

	for (;;) {
		struct iovec iov = { .iov_base = b, .iov_len = sizeof(b) - 4 };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
				      .msg_controllen = sizeof(ctl) };
		ssize_t r = recvmsg(s->sock, &msg, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return got;
			return -errno;
		}
		r = reinsert_vlan(b, r, sizeof(b), &msg);
		if ((size_t)r > FRAME_MAX)
			r = FRAME_MAX;
		if (frame_is_sentinel_answer(b, r)) {
			s->sentinel_seen = true;
			continue;
		}
		if (!frame_is_neigh(b, r))
			continue;
		if (c)
			capture_add(c, b, r);
		if (count)
			(*count)++;
		got = 1;
	}
}

int lab_drain(struct lab *lab, size_t *late_k, size_t *late_x)
{
	int err;

	*late_k = *late_x = 0;
	err = receive(&lab->k, NULL, late_k);
	if (err >= 0)
		err = receive(&lab->x, NULL, late_x);
	return err < 0 ? err : 0;
}

/* How long to keep listening once the awaited answers are in. After the
 * sentinel's answer nothing earlier can still come (see lab_exchange());
 * without it, every frame an ARP or ND message causes is sent from the
 * same softirq pass. */
#define GRACE_SENTINEL_NS	1000000ull
#define GRACE_NS		3000000ull

enum collect_mode {
	UNTIL_SENTINEL,		/* both sides answered the sentinel */
	UNTIL_ANSWERS,		/* both sides answered (no sentinel) */
	UNTIL_KERNEL,		/* the kernel side answered */
};

static bool collected(struct lab *lab, enum collect_mode mode, const struct capture *ck,
		      const struct capture *cx)
{
	switch (mode) {
	case UNTIL_SENTINEL:
		return lab->k.sentinel_seen && lab->x.sentinel_seen;
	case UNTIL_ANSWERS:
		return ck->n && cx->n;
	default:
		return ck->n;
	}
}

/* Collect until `deadline`, or a grace period after the last frame once
 * the mode's condition holds. */
static int collect(struct lab *lab, unsigned long long sent, unsigned long long deadline,
		   enum collect_mode mode, struct capture *ck, struct capture *cx)
{
	struct pollfd pfd[2] = { { .fd = lab->k.sock, .events = POLLIN },
				 { .fd = lab->x.sock, .events = POLLIN } };
	unsigned long long last = 0, t, until;
	int r;

	for (;;) {
		bool done = collected(lab, mode, ck, cx);

		t = now_ns();
		if (done && !last)
			last = t;
		until = done ? last + (mode == UNTIL_SENTINEL ? GRACE_SENTINEL_NS : GRACE_NS) :
			       deadline;
		if (until > deadline)
			until = deadline;
		if (t >= until)
			return 0;
		r = poll(pfd, 2, (int)((until - t) / 1000000ull) + 1);
		if (r < 0 && errno != EINTR)
			return -errno;
		r = receive(&lab->k, ck, NULL);
		if (r > 0) {
			last = now_ns();
			if (!ck->first_ns)
				ck->first_ns = last - sent;
		}
		if (r >= 0) {
			r = receive(&lab->x, cx, NULL);
			if (r > 0) {
				last = now_ns();
				if (!cx->first_ns)
					cx->first_ns = last - sent;
			}
		}
		if (r < 0)
			return r;
	}
}

static int send_both(struct lab *lab, const struct frame *f)
{
	if (send(lab->k.sock, f->b, f->len, 0) != (ssize_t)f->len ||
	    send(lab->x.sock, f->b, f->len, 0) != (ssize_t)f->len) {
		int err = -errno;

		fprintf(stderr, "xneigh-diff: sending a %zu-byte frame: %s\n", f->len,
			strerror(errno));
		return err;
	}
	return 0;
}

/* With the sentinel: right behind the frame goes a DAD NS for an address
 * only the sentinel uses, which both sides always answer, changing no
 * entry (ND-NS8). Each side handles frames from one peer in order (one
 * CPU's backlog for the kernel, we stay on one CPU; one XDP_TX queue for
 * xneigh), so once the sentinel's answer is in, so is every answer to
 * the frame: no fixed wait for the frames nobody answers. */
int lab_exchange(struct lab *lab, const struct frame *f, unsigned int wait_ms,
		 struct capture *ck, struct capture *cx)
{
	unsigned long long sent;
	int err;

	memset(ck, 0, sizeof(*ck));
	memset(cx, 0, sizeof(*cx));
	lab->k.sentinel_seen = lab->x.sentinel_seen = false;
	sent = now_ns();
	lab->last_sent = sent;
	err = send_both(lab, f);
	if (err)
		return err;
	if (!lab->sentinel)
		return collect(lab, sent, sent + wait_ms * 1000000ull, UNTIL_ANSWERS, ck, cx);
	err = send_both(lab, &lab->sentinel_frame);
	if (err)
		return err;
	err = collect(lab, sent, sent + SENTINEL_TIMEOUT_MS * 1000000ull, UNTIL_SENTINEL, ck, cx);
	ck->no_sentinel = !lab->k.sentinel_seen;
	cx->no_sentinel = !lab->x.sentinel_seen;
	return err;
}

int lab_await_kernel(struct lab *lab, unsigned int wait_ms, struct capture *ck,
		     struct capture *cx)
{
	return collect(lab, lab->last_sent, now_ns() + wait_ms * 1000000ull, UNTIL_KERNEL, ck, cx);
}
