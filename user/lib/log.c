// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include "log.h"

static int xn_level = XN_LOG_WARN;
static const char *xn_prefix = "xneigh";

void xn_log_set_level(int level) { xn_level = level; }
int xn_log_get_level(void) { return xn_level; }
void xn_log_set_prefix(const char *prefix) { xn_prefix = prefix; }

void xn_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > xn_level)
		return;
	fprintf(stderr, "%s: ", xn_prefix);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* libbpf/libxdp warnings are verifier dumps and probe noise for an operator
 * (libxdp's dispatcher probe warns on every start here): our own messages say
 * what failed, so library output appears only from -vv on. */
static int lib_print(enum libbpf_print_level lib_level, const char *fmt, va_list ap)
{
	int level = XN_LOG_DEBUG;

	if (level > xn_level)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int libxdp_print(enum libxdp_print_level lib_level, const char *fmt, va_list ap)
{
	int level = XN_LOG_DEBUG;

	if (level > xn_level)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void xn_log_hook_libs(void)
{
	libbpf_set_print(lib_print);
	libxdp_set_print(libxdp_print);
}
