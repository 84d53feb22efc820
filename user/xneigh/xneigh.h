/* SPDX-License-Identifier: GPL-2.0 */
/* xneigh, the command-line tool: what its commands share. */
#ifndef XNEIGH_CLI_H
#define XNEIGH_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include "xneigh/types.h"
#include "fmt.h"

#ifndef XNEIGH_VERSION
#define XNEIGH_VERSION "0.1.0"
#endif

/* Exit status (documented in `xneigh help` and xneigh(8)). */
enum {
	XN_EXIT_OK = 0,
	XN_EXIT_FAIL = 1,		/* the command ran and failed */
	XN_EXIT_USAGE = 2,		/* bad command line */
	XN_EXIT_PERM = 4,		/* not privileged enough: the LSB init-script code
					 * for "user had insufficient privilege" */
};

/* Time stamps of `monitor` lines, as ip's -t and -ts. */
enum cli_ts {
	CLI_TS_NONE,
	CLI_TS_LONG,			/* -t: a "Timestamp: ..." line before each event */
	CLI_TS_SHORT,			/* -ts: "[2026-11-22T10:00:00.123456] " in front */
};

/* Options and output of one invocation. */
struct cli {
	bool json;			/* -j, -json */
	bool pretty;			/* -p, -pretty */
	int stats;			/* -s, -statistics (may repeat) */
	int verbose;			/* -v, -verbose (may repeat) */
	int timestamp;			/* enum cli_ts: -t, -timestamp; -ts, -tshort */
	int family;			/* -4, -6, -f inet|inet6; AF_UNSPEC: both */
	char family_opt[2 * XN_TOK_BUFLEN];	/* the option that set it ("-6", "-f inet6") */
	struct xn_out out;		/* stdout, text or JSON */
};

/* Report an error: "xneigh: MSG" on stderr, or {"error": "MSG"} on stdout
 * in JSON mode. Return the exit status to use. */
int cli_fail(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_usage(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Not privileged enough: report ("permission denied: ...", naming what is
 * needed) and return XN_EXIT_PERM. */
int cli_perm(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The two usual cases. maps: xn_maps_open() said -EPERM (the pinned maps
 * are root's, the by-id opens need CAP_BPF and CAP_SYS_ADMIN). ctl: xneighd
 * answered -EPERM (its control socket serves root and its own user); what
 * leads the message ("resolve 10.0.0.5 dev e0", "conf set"). */
int cli_maps_denied(struct cli *c);
int cli_ctl_denied(struct cli *c, const char *what);
/* xn_maps_open() for a command: -1 to go on, else the exit status (error
 * reported: XN_EXIT_PERM for -EPERM, XN_EXIT_FAIL otherwise). */
struct xn_maps;
int cli_maps_open(struct cli *c, struct xn_maps *m);
/* An interface name from the command line: -1 to go on with *ifindex set,
 * else XN_EXIT_USAGE (reported): a name the kernel refuses, or no such
 * device ("Cannot find device", as ip says). */
int cli_ifindex(struct cli *c, const char *name, __u32 *ifindex);

/* If argv[0] is an option (-j, -pretty, --json, -6, -f inet6 ...), apply it
 * and return the number of words it took (1, or 2 for -f FAMILY); 0 if
 * argv[0] is not an option; -1 (error reported) for an unknown option, a
 * bad value, or a family other than one an option set before. Options are
 * accepted before the command and among its arguments. argc counts the
 * words left, argv[0] included. */
int cli_option(struct cli *c, int argc, char **argv);
/* Was arg one of the help options (-h, -help, --help)? */
bool cli_is_help_opt(const char *arg);

/* Commands: each gets the words after its name and returns an exit status. */
int do_show(struct cli *c, int argc, char **argv);
int do_flush(struct cli *c, int argc, char **argv);
int do_stats(struct cli *c, int argc, char **argv);
int do_add(struct cli *c, int argc, char **argv);
int do_replace(struct cli *c, int argc, char **argv);
int do_change(struct cli *c, int argc, char **argv);
int do_del(struct cli *c, int argc, char **argv);
int do_get(struct cli *c, int argc, char **argv);
/* Through the running xneighd's control socket (user/lib/ctlproto.h). */
int do_resolve(struct cli *c, int argc, char **argv);
int do_monitor(struct cli *c, int argc, char **argv);
int do_status(struct cli *c, int argc, char **argv);
int do_conf(struct cli *c, int argc, char **argv);

/* Help text of a command (stdout for `help`, stderr after a usage error). */
void help_main(FILE *f);
void help_neigh(FILE *f);
void help_stats(FILE *f);
void help_modify(FILE *f);
void help_resolve(FILE *f);
void help_monitor(FILE *f);
void help_status(FILE *f);
void help_conf(FILE *f);

struct ifcache;
struct xn_neigh;

/* One neighbour entry as `ip neigh show` prints it (neigh.c): DST [dev DEV]
 * [lladdr MAC] [router] [extern_learn] [-s ages and probes, from v when v is
 * not NULL] STATE, or the JSON object with ip's keys. */
void neigh_print(struct cli *c, struct ifcache *ic, bool show_dev, int af, __u32 ifindex,
		 const __u8 *addr, __u8 state, __u8 flags, const __u8 *lladdr,
		 const struct xn_neigh *v, __u64 now);
/* CLOCK_MONOTONIC now in ns, the clock of the entries' timestamps. */
__u64 neigh_now_ns(void);

/* RTM_NEWNEIGH or RTM_DELNEIGH with NTF_PROXY (pneigh.c): the kernel's proxy
 * table, which xneighd mirrors into xn_proxy4/xn_proxy6. lladdr may be NULL.
 * 0 or the kernel's -errno, with its extended-ack message (if any) in ext. */
int pneigh_kernel(int msg_type, __u16 nlm_flags, int family, const __u8 *addr, __u32 ifindex,
		  __u8 state, __u8 ntf_flags, const __u8 *lladdr, char *ext, size_t extlen);

/* ---- Interface names, read once (iface.c) -------------------------------- */

struct ifcache {
	struct ifc_ent { __u32 index; char name[16]; } *ent;	/* sorted by index */
	size_t n;
	size_t last;			/* index of the last hit: runs of one device */
};

int ifcache_load(struct ifcache *ic);
void ifcache_free(struct ifcache *ic);
/* Name of ifindex, or "if<N>" (as ip prints a vanished device) in buf. */
const char *ifcache_name(struct ifcache *ic, __u32 ifindex, char *buf, size_t len);
/* ifindex of a name, 0 if no such device. */
__u32 ifcache_index(const struct ifcache *ic, const char *name);

#endif /* XNEIGH_CLI_H */
