// SPDX-License-Identifier: GPL-2.0
/* spoof_frame: send one hand-made ARP, NS or NA frame out of an interface
 * (AF_PACKET), every address given, so that the Ethernet source, the ARP
 * sender MAC and the ND link-layer option can disagree. Used by
 * tests/netns/test_spoof.sh, which compiles it (no Python needed).
 *
 *   spoof_frame DEV arp OP ETH_SRC ETH_DST SHA SIP THA TIP
 *   spoof_frame DEV ns ETH_SRC ETH_DST SRC6 DST6 TARGET SLLAO|-
 *   spoof_frame DEV na ETH_SRC ETH_DST SRC6 DST6 TARGET FLAGS TLLAO|-
 *
 * FLAGS: any of R, S, O, or "-" for none. The ND frames carry hop limit 255
 * and a correct ICMPv6 checksum. Exit 0 sent, 1 failure, 2 usage error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_ether.h>

static int usage(void)
{
	fprintf(stderr,
		"usage: spoof_frame DEV arp OP ETH_SRC ETH_DST SHA SIP THA TIP\n"
		"       spoof_frame DEV ns ETH_SRC ETH_DST SRC6 DST6 TARGET SLLAO|-\n"
		"       spoof_frame DEV na ETH_SRC ETH_DST SRC6 DST6 TARGET FLAGS TLLAO|-\n");
	return 2;
}

static int bad(const char *what, const char *tok)
{
	fprintf(stderr, "spoof_frame: invalid %s \"%s\"\n", what, tok);
	return -1;
}

static int mac_parse(const char *s, uint8_t *mac)
{
	unsigned int b[6];
	char end;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &end) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -1;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

/* RFC 1071 sum over the IPv6 pseudo header and the ICMPv6 message. */
static uint16_t icmp6_csum(const uint8_t *src, const uint8_t *dst, const uint8_t *msg, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < 16; i += 2)
		sum += (uint32_t)(src[i] << 8 | src[i + 1]) + (uint32_t)(dst[i] << 8 | dst[i + 1]);
	sum += (uint32_t)len + 58;
	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(msg[i] << 8 | msg[i + 1]);
	if (len & 1)
		sum += (uint32_t)msg[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* Ethernet + ARP (28 bytes). */
static int build_arp(char **a, uint8_t *f)
{
	unsigned long op;
	char *end;

	op = strtoul(a[0], &end, 10);
	if (*end || (op != 1 && op != 2))
		return bad("ARP opcode (1 or 2)", a[0]);
	if (mac_parse(a[1], f + 6))
		return bad("Ethernet source", a[1]);
	if (mac_parse(a[2], f))
		return bad("Ethernet destination", a[2]);
	f[12] = 0x08;
	f[13] = 0x06;
	f[14] = 0;
	f[15] = 1;		/* Ethernet */
	f[16] = 0x08;
	f[17] = 0x00;		/* IPv4 */
	f[18] = 6;
	f[19] = 4;
	f[20] = 0;
	f[21] = (uint8_t)op;
	if (mac_parse(a[3], f + 22))
		return bad("sender MAC", a[3]);
	if (inet_pton(AF_INET, a[4], f + 28) != 1)
		return bad("sender IPv4 address", a[4]);
	if (mac_parse(a[5], f + 32))
		return bad("target MAC", a[5]);
	if (inet_pton(AF_INET, a[6], f + 38) != 1)
		return bad("target IPv4 address", a[6]);
	return 42;
}

/* Ethernet + IPv6 + NS or NA, with an optional link-layer address option. */
static int build_nd(int na, char **a, uint8_t *f)
{
	uint8_t *ip = f + 14, *msg = f + 54;
	const char *ll = na ? a[6] : a[5];
	size_t len = 24;
	uint16_t sum;

	if (mac_parse(a[0], f + 6))
		return bad("Ethernet source", a[0]);
	if (mac_parse(a[1], f))
		return bad("Ethernet destination", a[1]);
	f[12] = 0x86;
	f[13] = 0xdd;
	memset(ip, 0, 40);
	ip[0] = 0x60;
	ip[6] = 58;		/* ICMPv6 */
	ip[7] = 255;		/* hop limit (ND-V2) */
	if (inet_pton(AF_INET6, a[2], ip + 8) != 1)
		return bad("IPv6 source", a[2]);
	if (inet_pton(AF_INET6, a[3], ip + 24) != 1)
		return bad("IPv6 destination", a[3]);
	memset(msg, 0, 32);
	msg[0] = na ? 136 : 135;
	if (inet_pton(AF_INET6, a[4], msg + 8) != 1)
		return bad("target", a[4]);
	if (na && strcmp(a[5], "-")) {
		for (const char *c = a[5]; *c; c++) {
			if (*c == 'R')
				msg[4] |= 0x80;
			else if (*c == 'S')
				msg[4] |= 0x40;
			else if (*c == 'O')
				msg[4] |= 0x20;
			else
				return bad("NA flags (R, S, O or -)", a[5]);
		}
	}
	if (strcmp(ll, "-")) {
		msg[24] = na ? 2 : 1;	/* TLLAO / SLLAO */
		msg[25] = 1;		/* 8 bytes */
		if (mac_parse(ll, msg + 26))
			return bad("link-layer address option", ll);
		len = 32;
	}
	ip[4] = 0;
	ip[5] = (uint8_t)len;
	sum = icmp6_csum(ip + 8, ip + 24, msg, len);
	msg[2] = (uint8_t)(sum >> 8);
	msg[3] = (uint8_t)sum;
	return (int)(54 + len);
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_halen = 6 };
	uint8_t frame[128] = { 0 };
	int len, fd;

	if (argc < 3)
		return usage();
	if (!strcmp(argv[2], "arp") && argc == 10)
		len = build_arp(argv + 3, frame);
	else if (!strcmp(argv[2], "ns") && argc == 9)
		len = build_nd(0, argv + 3, frame);
	else if (!strcmp(argv[2], "na") && argc == 10)
		len = build_nd(1, argv + 3, frame);
	else
		return usage();
	if (len < 0)
		return 2;
	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	if (!sll.sll_ifindex) {
		fprintf(stderr, "spoof_frame: no interface \"%s\"\n", argv[1]);
		return 1;
	}
	memcpy(sll.sll_addr, frame, 6);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0 ||
	    sendto(fd, frame, (size_t)len, 0, (struct sockaddr *)&sll, sizeof(sll)) != len) {
		fprintf(stderr, "spoof_frame: sending on %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
