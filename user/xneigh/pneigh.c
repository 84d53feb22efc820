// SPDX-License-Identifier: GPL-2.0
/* Proxy entries in the kernel: `ip neigh {add|replace|change|del} proxy ADDR
 * [dev DEV]` over rtnetlink.
 *
 * The data plane answers for the proxy entries in xn_proxy4/xn_proxy6, and
 * xneighd keeps those a copy of the kernel's proxy tables (pneigh_lookup()
 * reads them for the kernel's own ARP/NDISC too). So a proxy entry is written
 * where it belongs, in the kernel, and the daemon mirrors it: the kernel and
 * xneigh never disagree about which addresses are proxied.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>
#include "xneigh/nud.h"
#include "xneigh/wire.h"
#include "xneigh.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK		11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK		10
#endif

/* The kernel's extended-ack message (NLMSGERR_ATTR_MSG) of an error reply,
 * if it sent one, into ext. */
static void extack_msg(const struct nlmsghdr *nlh, char *ext, size_t extlen)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* without NLM_F_CAPPED the request follows the header in full */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if (mnl_nlmsg_get_payload_len(nlh) < off)
		return;
	mnl_attr_for_each(attr, nlh, off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0) {
			snprintf(ext, extlen, "%s", mnl_attr_get_str(attr));
			return;
		}
	}
}

int pneigh_kernel(int msg_type, __u16 nlm_flags, int family, const __u8 *addr, __u32 ifindex,
		  __u8 state, __u8 ntf_flags, const __u8 *lladdr, char *ext, size_t extlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	unsigned int seq, portid;
	int one = 1, err;
	ssize_t n;

	if (extlen)
		ext[0] = '\0';
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto out;
	}
	/* the kernel's reason in words, and no copy of our request back;
	 * older kernels refuse these options: then there is just errno */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	portid = mnl_socket_get_portid(nl);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (__u16)msg_type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | nlm_flags;
	nlh->nlmsg_seq = seq = 1;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = (__u8)family;
	ndm->ndm_ifindex = (int)ifindex;
	/* neigh_add() keeps NUD_PERMANENT as the proxy entry's "permanent"
	 * bit (spec FL-6) and the flags as pn->flags */
	ndm->ndm_state = state;
	ndm->ndm_flags = (__u8)(XN_NTF_PROXY | ntf_flags);
	mnl_attr_put(nlh, NDA_DST, family == AF_INET6 ? 16 : 4, addr);
	if (lladdr)
		mnl_attr_put(nlh, NDA_LLADDR, ETH_ALEN, lladdr);

	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		err = -errno;
		goto out;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			err = -errno;
			goto out;
		}
		nlh = (struct nlmsghdr *)buf;
		if (!mnl_nlmsg_ok(nlh, (int)n)) {
			err = -EBADMSG;
			goto out;
		}
		if (nlh->nlmsg_seq != seq || nlh->nlmsg_pid != portid)
			continue;	/* not the answer to our request */
		if (nlh->nlmsg_type != NLMSG_ERROR) {
			err = -EBADMSG;
			goto out;
		}
		if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct nlmsgerr)) {
			err = -EBADMSG;
			goto out;
		}
		err = ((const struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->error;
		if (err)
			extack_msg(nlh, ext, extlen);
		break;
	}
out:
	mnl_socket_close(nl);
	return err;
}
