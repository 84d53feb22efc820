/* SPDX-License-Identifier: GPL-2.0 */
/* Logging for xneighd and xneigh: one sink, a verbosity level, and libbpf's
 * and libxdp's own messages routed through it one level quieter. */
#ifndef XN_LOG_H
#define XN_LOG_H

enum xn_log_level { XN_LOG_WARN = 0, XN_LOG_INFO = 1, XN_LOG_DEBUG = 2 };

void xn_log_set_level(int level);
int xn_log_get_level(void);
void xn_log_set_prefix(const char *prefix);	/* e.g. "xneighd" */
/* Route libbpf and libxdp messages to our sink (shown only from -vv on). */
void xn_log_hook_libs(void);
void xn_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define pr_warn(...)  xn_log(XN_LOG_WARN, __VA_ARGS__)
#define pr_info(...)  xn_log(XN_LOG_INFO, __VA_ARGS__)
#define pr_debug(...) xn_log(XN_LOG_DEBUG, __VA_ARGS__)

#endif /* XN_LOG_H */
