// SPDX-License-Identifier: GPL-2.0
/* xneigh monitor: the data plane's events as they happen, one line each in
 * `ip monitor neigh`'s words (formats in user/lib/ctlmon.h).
 *
 * The ring buffer xn_events has one consumer, xneighd; the monitor
 * subscribes to the daemon's copy of every event it reads (XND_CTL_MONITOR,
 * user/lib/ctlproto.h), so any number of monitors (up to the daemon's
 * bound) see the same stream without taking events from the daemon.
 * SIGINT or SIGTERM ends it (exit 0); so does nothing else but the daemon
 * going away (exit 1).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include "ctlmon.h"
#include "ctlproto.h"
#include "xneigh.h"

void help_monitor(FILE *f)
{
	fprintf(f,
		"Usage: xneigh monitor [ neigh ] [ -t | -ts ] [ -4 | -6 ] [ -j [ -p ] ]\n"
		"\n"
		"Prints every event of the xneigh data plane as it happens, one line each,\n"
		"in the words of `ip monitor neigh` (-t and -ts stamp them as ip does, with\n"
		"the time xneighd read the event):\n"
		"  DST dev DEV [ lladdr MAC ] [ router ] STATE\n"
		"      an entry created or changed\n"
		"  Deleted DST dev DEV [ lladdr MAC ] [ router ] STATE\n"
		"      an entry removed\n"
		"  DST dev DEV lladdr NEW old_lladdr OLD [ router ] STATE\n"
		"      the neighbour's MAC changed\n"
		"  Conflict DST dev DEV lladdr MAC\n"
		"      MAC claims DST, one of our addresses\n"
		"  Conflict DST dev DEV [ lladdr MAC ] dad\n"
		"      ... one of our tentative IPv6 addresses\n"
		"  Overflow DST dev DEV [ lladdr MAC ]\n"
		"      the table was full: DST not learned\n"
		"  Lost N events\n"
		"      this monitor fell behind and missed N events\n"
		"With -j, one JSON object per line with ip -j neigh's keys, \"event\" and\n"
		"\"timestamp\". Unlike the kernel, which sends no notification for them, the\n"
		"moves to INCOMPLETE and from STALE to DELAY are shown too.\n"
		"\n"
		"Events come from xneighd, which must be running in this network namespace.\n"
		"Runs until SIGINT or SIGTERM (exit 0) or until xneighd exits (exit 1).\n");
}

/* -1 to go on, else the exit status (help printed or error reported). */
static int parse_args(struct cli *c, int argc, char **argv)
{
	bool neigh = false;
	int i, r;

	for (i = 0; i < argc; i++) {
		if (cli_is_help_opt(argv[i]) || !strcmp(argv[i], "help")) {
			help_monitor(stdout);
			return XN_EXIT_OK;
		}
		r = cli_option(c, argc - i, argv + i);
		if (r < 0)
			return XN_EXIT_USAGE;
		if (r > 0) {
			i += r - 1;
			continue;
		}
		/* `ip monitor neigh` names the object; neighbours are all we have */
		if (!strcmp(argv[i], "neigh")) {
			if (neigh)
				return cli_usage(c, "duplicate \"neigh\"");
			neigh = true;
			continue;
		}
		return cli_usage(c, "monitor takes no argument \"%s\", try \"xneigh monitor help\"",
				 xn_tok(argv[i]));
	}
	return -1;
}

static enum xn_mon_ts mon_ts(const struct cli *c)
{
	switch (c->timestamp) {
	case CLI_TS_LONG:
		return XN_MON_TS_LONG;
	case CLI_TS_SHORT:
		return XN_MON_TS_SHORT;
	default:
		return XN_MON_TS_NONE;
	}
}

/* Print one record. 0, or -errno if stdout failed. */
static int print_record(struct cli *c, const struct xnd_ctl_mon *rec)
{
	char ifname[IF_NAMESIZE], fallback[24];
	const char *name = fallback;
	int err;

	if (rec->kind == XND_MON_EVENT && c->family != AF_UNSPEC && rec->ev.family != c->family)
		return 0;
	/* looked up now: interfaces come and go while a monitor runs */
	if (if_indextoname(rec->ev.ifindex, ifname))
		name = ifname;
	else
		snprintf(fallback, sizeof(fallback), "if%u", rec->ev.ifindex);
	xn_mon_print(&c->out, rec, name, mon_ts(c));
	/* a line as soon as it happens, also into a pipe */
	err = xn_out_flush(&c->out);
	/* every record is a whole line (a whole JSON document): an error
	 * reported after them starts on a line of its own without a blank
	 * line before it (cli_fail() separates it from a partial document) */
	c->out.written = 0;
	return err;
}

int do_monitor(struct cli *c, int argc, char **argv)
{
	struct xnd_ctl_reply rep;
	struct xnd_ctl_mon rec;
	struct pollfd pfd[2];
	sigset_t mask;
	char msg[320];
	int ret, err, fd = -1, sfd = -1;

	ret = parse_args(c, argc, argv);
	if (ret >= 0)
		return ret;

	/* SIGINT/SIGTERM through a signalfd: seen between two records, never
	 * in the middle of one. They stay blocked until the process exits:
	 * one that came is the normal end (exit 0), not a death by signal. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0) {
		ret = cli_fail(c, "cannot watch for signals: %s", strerror(errno));
		goto out;
	}

	err = xnd_ctl_monitor(&fd, &rep, msg, sizeof(msg));
	if (err) {
		ret = cli_fail(c, "%s", msg);
		goto out;
	}
	if (rep.result == -EPERM) {
		ret = cli_ctl_denied(c, "monitor");
		goto out;
	}
	if (rep.result) {
		ret = cli_fail(c, "monitor: %s", rep.msg[0] ? rep.msg : strerror(-rep.result));
		goto out;
	}

	pfd[0].fd = fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = sfd;
	pfd[1].events = POLLIN;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			ret = cli_fail(c, "poll: %s", strerror(errno));
			goto out;
		}
		if (pfd[1].revents) {
			ret = XN_EXIT_OK;
			goto out;
		}
		if (!pfd[0].revents)
			continue;
		err = xnd_ctl_mon_read(fd, &rec, msg, sizeof(msg));
		if (err == -EINTR || err == -EAGAIN)
			continue;
		if (err == 0) {
			ret = cli_fail(c, "xneighd went away: the event stream ended");
			goto out;
		}
		if (err < 0) {
			ret = cli_fail(c, "%s", msg);
			goto out;
		}
		err = print_record(c, &rec);
		if (err) {
			/* stdout is gone (a closed pipe): nobody to tell */
			ret = XN_EXIT_FAIL;
			goto out;
		}
	}
out:
	if (fd >= 0)
		close(fd);
	if (sfd >= 0)
		close(sfd);
	return ret;
}
