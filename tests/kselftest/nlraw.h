/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Raw generic netlink for tests that must send what no well-behaved client
 * would: hand-built messages, and the errno and extack message of the ACK.
 */
#ifndef NLRAW_H
#define NLRAW_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif

struct nlraw {
	int fd;
	uint16_t family;
	uint32_t seq;
	char buf[8192];
	size_t len;		/* message being built */
	char extack[256];	/* message of the last ACK */
	uint32_t last_id;	/* attribute 2 (a u32) of the last reply */
};

static inline struct nlmsghdr *nlraw_hdr(struct nlraw *r)
{
	return (struct nlmsghdr *)r->buf;
}

static inline void nlraw_start(struct nlraw *r, uint16_t type, uint8_t cmd,
			       uint16_t flags)
{
	struct nlmsghdr *h = nlraw_hdr(r);
	struct genlmsghdr *g = NLMSG_DATA(h);

	memset(r->buf, 0, sizeof(r->buf));
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	h->nlmsg_seq = ++r->seq;
	g->cmd = cmd;
	g->version = 1;
	r->len = NLMSG_LENGTH(GENL_HDRLEN);
}

/* Any attribute, of any length: the point is to send wrong ones. */
static inline void *nlraw_put(struct nlraw *r, uint16_t type, const void *data,
			      uint16_t len)
{
	struct nlattr *a = (struct nlattr *)(r->buf + NLMSG_ALIGN(r->len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (data)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	r->len = NLMSG_ALIGN(r->len) + NLA_ALIGN(a->nla_len);
	return a;
}

static inline void nlraw_put_u32(struct nlraw *r, uint16_t type, uint32_t v)
{
	nlraw_put(r, type, &v, sizeof(v));
}

/* Send the message; return the ACK's error (0 or -errno), extack in r. */
static inline int nlraw_send_len(struct nlraw *r, size_t len)
{
	struct nlmsghdr *h = nlraw_hdr(r);
	char rb[16384];
	ssize_t n;

	h->nlmsg_len = len;
	r->extack[0] = '\0';
	r->last_id = 0;
	if (send(r->fd, r->buf, len, 0) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *m;

		n = recv(r->fd, rb, sizeof(rb), 0);
		if (n < 0)
			return -errno;
		for (m = (struct nlmsghdr *)rb; NLMSG_OK(m, (size_t)n);
		     m = NLMSG_NEXT(m, n)) {
			struct nlmsgerr *e = NLMSG_DATA(m);
			struct nlattr *a;
			size_t off;
			int rem;

			if (m->nlmsg_seq != h->nlmsg_seq)
				continue;
			if (m->nlmsg_type == h->nlmsg_type &&
			    m->nlmsg_len >= NLMSG_LENGTH(GENL_HDRLEN) + 8) {
				a = (struct nlattr *)((char *)NLMSG_DATA(m) + GENL_HDRLEN);
				if (a->nla_type == 2 && a->nla_len == 8)
					memcpy(&r->last_id, (char *)a + NLA_HDRLEN, 4);
				continue;
			}
			if (m->nlmsg_type == NLMSG_DONE) {
				/* A dump's error comes in its DONE. */
				if (m->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
					return 0;
				off = NLMSG_LENGTH(sizeof(int));
			} else if (m->nlmsg_type == NLMSG_ERROR) {
				off = NLMSG_HDRLEN + sizeof(*e);
				if (!(m->nlmsg_flags & NLM_F_CAPPED))
					off += NLMSG_ALIGN(e->msg.nlmsg_len) -
					       NLMSG_HDRLEN;
			} else {
				continue;
			}
			rem = (int)m->nlmsg_len - (int)off;
			for (a = (struct nlattr *)((char *)m + off);
			     rem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
			     a->nla_len <= rem;
			     rem -= NLA_ALIGN(a->nla_len),
			     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
				if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
					snprintf(r->extack, sizeof(r->extack), "%.*s",
						 (int)(a->nla_len - NLA_HDRLEN),
						 (char *)a + NLA_HDRLEN);
			/* Both carry the error first. */
			return *(int *)NLMSG_DATA(m);
		}
	}
}

static inline int nlraw_send(struct nlraw *r)
{
	return nlraw_send_len(r, r->len);
}

/* Open a socket with extended ACKs and resolve the family @name. */
static inline int nlraw_open(struct nlraw *r, const char *name)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char rb[8192];
	int one = 1;
	ssize_t n;
	struct nlmsghdr *m;

	memset(r, 0, sizeof(*r));
	r->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (r->fd < 0 || bind(r->fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -errno;
	setsockopt(r->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(r->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	nlraw_start(r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	nlraw_hdr(r)->nlmsg_flags = NLM_F_REQUEST;
	nlraw_put(r, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
	nlraw_hdr(r)->nlmsg_len = r->len;
	if (send(r->fd, r->buf, r->len, 0) < 0)
		return -errno;
	n = recv(r->fd, rb, sizeof(rb), 0);
	if (n < 0)
		return -errno;
	m = (struct nlmsghdr *)rb;
	if (!NLMSG_OK(m, (size_t)n) || m->nlmsg_type == NLMSG_ERROR)
		return -ENOENT;
	{
		int rem = m->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
		struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(m) + GENL_HDRLEN);

		for (; rem >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN;
		     rem -= NLA_ALIGN(a->nla_len),
		     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
			if (a->nla_type == CTRL_ATTR_FAMILY_ID)
				r->family = *(uint16_t *)((char *)a + NLA_HDRLEN);
	}
	return r->family ? 0 : -ENOENT;
}

static inline void nlraw_close(struct nlraw *r)
{
	close(r->fd);
}

#endif /* NLRAW_H */
