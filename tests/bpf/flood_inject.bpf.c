/* SPDX-License-Identifier: GPL-2.0 */
/* The flood's injector (tests/reliability/flood.c): fed with
 * BPF_F_TEST_XDP_LIVE_FRAMES, it writes one frame over each live frame and
 * tail-calls the program under test (slot 0 of fl_next, xneigh's xn_xdp).
 * The whole frame is written every time: a page the pool recycles keeps
 * what the last program wrote into it (see reply_repair.bpf.c).
 *
 * Frame n of the flood is, every fl.legit_every-th time, a request for our
 * address from one of a few legitimate senders (an ARP request and an NS in
 * turn, ready-made by the loader); otherwise it comes from the next flood
 * sender id, never used before, as a gratuitous ARP, an ARP request for our
 * address or an unsolicited NA (id % 3). Sender id i is
 *   MAC  02:f1:00:ii:ii:ii (the low 24 bits of i),
 *   IPv4 fl.v4_base + i, IPv6 the NA template's address with i in its last
 *   32 bits.
 * Only one CPU runs a test run, so the counters need no atomics.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "../reliability/flood.h"

struct fl_state fl;

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} fl_next SEC(".maps");

static __always_inline void put_mac(__u8 *p, __u32 id)
{
	p[0] = 0x02;
	p[1] = 0xf1;
	p[2] = 0;
	p[3] = id >> 16;
	p[4] = id >> 8;
	p[5] = id;
}

static __always_inline void put32(__u8 *p, __u32 host)
{
	p[0] = host >> 24;
	p[1] = host >> 16;
	p[2] = host >> 8;
	p[3] = host;
}

SEC("xdp")
int flood_inject(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	__u64 n = fl.frames++;
	__u32 id, kind, sum, j;

	if (data + FL_LEN > end)
		return XDP_ABORTED;
	if (fl.legit_every && n % fl.legit_every == fl.legit_every - 1) {
		__u64 k = n / fl.legit_every;

		j = (k / 2) % (fl.nlegit ? fl.nlegit : 1);
		if (j >= FL_LEGIT_MAX)
			return XDP_ABORTED;
		if (k & 1) {
			__builtin_memcpy(data, fl.legit_ns[j], FL_LEN);
			fl.legit_sent[1]++;
		} else {
			__builtin_memcpy(data, fl.legit_arp[j], FL_LEN);
			fl.legit_sent[0]++;
		}
		goto run;
	}
	if (fl.flood >= fl.limit) {
		fl.idle++;
		return XDP_DROP;
	}
	id = fl.flood++;
	kind = id % 3;
	if (kind == FL_GARP) {
		fl.kind[FL_GARP]++;
		__builtin_memcpy(data, fl.tmpl[FL_GARP], FL_LEN);
		put_mac(data + 6, id);
		put_mac(data + 22, id);
		put32(data + 28, fl.v4_base + id);	/* sender = target */
		put32(data + 38, fl.v4_base + id);
	} else if (kind == FL_AREQ) {
		fl.kind[FL_AREQ]++;
		__builtin_memcpy(data, fl.tmpl[FL_AREQ], FL_LEN);
		put_mac(data + 6, id);
		put_mac(data + 22, id);
		put32(data + 28, fl.v4_base + id);	/* target: ours, in the template */
	} else {
		fl.kind[FL_NA]++;
		__builtin_memcpy(data, fl.tmpl[FL_NA], FL_LEN);
		put_mac(data + 6, id);
		put_mac(data + 80, id);			/* target link-layer option */
		put32(data + 34, id);			/* source address = target */
		put32(data + 74, id);
		/* the checksum: the template's sum plus the words that differ,
		 * the address's two in the pseudo-header and the target, and
		 * the option's MAC words 00:ii and ii:ii */
		sum = fl.na_sum + 2 * ((id >> 16) + (id & 0xffff)) + ((id >> 16) & 0xff) +
		      (id & 0xffff);
		sum = (sum & 0xffff) + (sum >> 16);
		sum = (sum & 0xffff) + (sum >> 16);
		sum = ~sum & 0xffff;
		data[56] = sum >> 8;
		data[57] = sum;
	}
run:
	bpf_tail_call(ctx, &fl_next, 0);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
