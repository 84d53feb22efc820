// SPDX-License-Identifier: GPL-2.0
/* The seed corpus of the fuzzing harness, generated from the unit tests'
 * fixture tables: every fixture that has an input frame becomes an input
 * (FZ_CFG_LEN configuration bytes, then the frame), once with the
 * configuration nearest to the fixture's settings of xr0 and once with the
 * kernel's defaults; a frame whose ICMPv6 checksum is wrong on purpose asks
 * the harness to keep it so.
 *
 *   xneigh-fuzz-seeds DIR
 *
 * The fixture files (tests/unit/test_*.c that call fx_run_table()) are
 * compiled with their main() renamed xn_fx_main_<file>; this program
 * provides fx_run_table(), which writes the seeds instead of running the
 * fixtures, and calls each of those mains. The list of mains comes from
 * the generated header fx_mains.h (X(test_arp) X(test_nd) ...).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "world.h"
#include "fx_mains.h"

#define X(name)	int xn_fx_main_##name(void);
XN_FX_MAINS
#undef X

static const char *out_dir;
static const char *cur_file;
static int nwritten, nfailed;

static void write_seed(int idx, const char *variant, const uint8_t *cfg, const uint8_t *frame,
		       int len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%03d-%s", out_dir, cur_file, idx, variant);
	f = fopen(path, "w");
	if (!f || fwrite(cfg, 1, FZ_CFG_LEN, f) != FZ_CFG_LEN ||
	    fwrite(frame, 1, (size_t)len, f) != (size_t)len) {
		nfailed++;
		if (f)
			fclose(f);
		return;
	}
	if (fclose(f))
		nfailed++;
	else
		nwritten++;
}

/* Called by each fixture file's main(): seeds instead of tests. */
int fx_run_table(const char *group, const struct fixture *fx, int n)
{
	struct lab fake = { 0 };
	static const uint8_t mac_rx[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

	(void)group;
	memcpy(fake.mac[DEV_RX], mac_rx, 6);
	for (int i = 0; i < n; i++) {
		uint8_t frame[PKT_MAX], cfg[FZ_CFG_LEN], defaults[FZ_CFG_LEN];
		struct xn_ifconf rx, dflt;
		char why[160];
		bool bad_csum;
		int len;

		if (fx[i].in.kind == PKT_NONE)
			continue;	/* xn_ctl fixtures have no frame */
		len = pkt_build(&fx[i].in, frame, sizeof(frame));
		if (len < 14)
			continue;
		lab_ifconf_default(&fake, DEV_RX, &dflt);
		lab_ifconf_default(&fake, DEV_RX, &rx);
		if (lab_ifconf_parse(fx[i].rx, &rx))
			lab_ifconf_default(&fake, DEV_RX, &rx);
		/* a checksum broken on purpose (ND-V1 fixtures) stays broken */
		bad_csum = pkt_icmp6_csum_check(frame, (size_t)len, why, sizeof(why)) < 0;
		fz_cfg_encode(&rx, fx[i].rx_none, bad_csum, cfg);
		write_seed(i, "fixture", cfg, frame, len);
		fz_cfg_encode(&dflt, false, bad_csum, defaults);
		if (memcmp(cfg, defaults, FZ_CFG_LEN))
			write_seed(i, "defaults", defaults, frame, len);
	}
	return 0;
}

/* Only tests that run after fx_run_table() use it; none runs here. */
struct lab *fx_lab(void)
{
	return NULL;
}

int main(int argc, char **argv)
{
	int saved_out, saved_err, null;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	out_dir = argv[1];
	/* the fixture files' mains may run pure cmocka tests of their own
	 * (test_nd's golden NAs): keep their output out of the build log */
	fflush(stdout);
	saved_out = dup(1);
	saved_err = dup(2);
	null = open("/dev/null", O_WRONLY);
	if (saved_out < 0 || saved_err < 0 || null < 0) {
		perror("xneigh-fuzz-seeds: dup");
		return 1;
	}
	dup2(null, 1);
	dup2(null, 2);
#define X(name)	cur_file = #name; xn_fx_main_##name();
	XN_FX_MAINS
#undef X
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	if (nfailed) {
		fprintf(stderr, "xneigh-fuzz-seeds: %d seed(s) could not be written to %s: %s\n", nfailed,
			out_dir, strerror(errno));
		return 1;
	}
	if (!nwritten) {
		fprintf(stderr, "xneigh-fuzz-seeds: no fixture frames found\n");
		return 1;
	}
	printf("  SEEDS    %d inputs from the unit fixtures in %s\n", nwritten, out_dir);
	return 0;
}
