// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink client: socket setup, the request/reply loop and the
 * error reporting every libgtrace call shares.
 *
 * Requests run one at a time on a blocking socket with libnl's automatic
 * sequence numbers and ACKs: a reply is followed by an ACK, a dump ends
 * with NLMSG_DONE, a failure is one NLMSG_ERROR. Extended ACKs are turned
 * on so the module's NL_SET_ERR_MSG() text reaches gt_errmsg().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/msg.h>

#include "client_internal.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/* Why gt_open() last failed in this thread; there is no client to hold it. */
static _Thread_local char open_msg[GTI_ERRMSG_LEN];

const char *gt_lib_version(void)
{
	return GTRACE_VERSION;
}

static void set_msg(char *buf, int err, const char *fmt, va_list ap)
{
	if (fmt)
		vsnprintf(buf, GTI_ERRMSG_LEN, fmt, ap);
	else
		snprintf(buf, GTI_ERRMSG_LEN, "%s", strerror(-err));
}

int gti_fail(struct gt_client *cl, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (cl) {
		cl->err = err;
		set_msg(cl->msg, err, fmt, ap);
	} else {
		set_msg(open_msg, err, fmt, ap);
	}
	va_end(ap);
	return err;
}

void gti_clear_error(struct gt_client *cl)
{
	cl->err = 0;
	cl->msg[0] = '\0';
}

const char *gt_errmsg(const struct gt_client *cl)
{
	if (!cl)
		return open_msg;
	if (!cl->msg[0] && cl->err)
		return strerror(-cl->err);
	return cl->msg;
}

/* libnl folds errno values into its own codes; map them back. */
int gti_nl_errno(int nlerr)
{
	static const int map[] = {
		[NLE_SUCCESS] = 0,
		[NLE_INTR] = EINTR,
		[NLE_BAD_SOCK] = EBADF,
		[NLE_AGAIN] = EAGAIN,
		[NLE_NOMEM] = ENOMEM,
		[NLE_EXIST] = EEXIST,
		[NLE_INVAL] = EINVAL,
		[NLE_RANGE] = ERANGE,
		[NLE_MSGSIZE] = EMSGSIZE,
		[NLE_OPNOTSUPP] = EOPNOTSUPP,
		[NLE_AF_NOSUPPORT] = EAFNOSUPPORT,
		[NLE_OBJ_NOTFOUND] = ENOENT,
		[NLE_NOATTR] = ENOENT,
		[NLE_MISSING_ATTR] = EINVAL,
		[NLE_AF_MISMATCH] = EINVAL,
		[NLE_SEQ_MISMATCH] = EPROTO,
		[NLE_MSG_OVERFLOW] = ENOBUFS,
		[NLE_MSG_TRUNC] = EMSGSIZE,
		[NLE_NOADDR] = EADDRNOTAVAIL,
		[NLE_SRCRT_NOSUPPORT] = EOPNOTSUPP,
		[NLE_MSG_TOOSHORT] = EBADMSG,
		[NLE_MSGTYPE_NOSUPPORT] = EOPNOTSUPP,
		[NLE_OBJ_MISMATCH] = EINVAL,
		[NLE_NOCACHE] = ENOENT,
		[NLE_BUSY] = EBUSY,
		[NLE_PROTO_MISMATCH] = EPROTONOSUPPORT,
		[NLE_NOACCESS] = EACCES,
		[NLE_PERM] = EPERM,
		[NLE_PKTLOC_FILE] = ENOENT,
		[NLE_PARSE_ERR] = EBADMSG,
		[NLE_NODEV] = ENODEV,
		[NLE_IMMUTABLE] = EROFS,
		[NLE_DUMP_INTR] = EAGAIN,	/* dump changed under us: retry */
		[NLE_ATTRSIZE] = ERANGE,
	};
	unsigned int i = nlerr < 0 ? -nlerr : nlerr;

	if (i < GTI_ARRAY_SIZE(map) && (map[i] || i == NLE_SUCCESS))
		return -map[i];
	return -EIO;
}

/* ---- extended ACKs ----------------------------------------------------- */

static const struct nla_policy extack_policy[NLMSGERR_ATTR_MAX + 1] = {
	[NLMSGERR_ATTR_MSG] = { .type = NLA_STRING },
	[NLMSGERR_ATTR_OFFS] = { .type = NLA_U32 },
	[NLMSGERR_ATTR_MISS_TYPE] = { .type = NLA_U32 },
};

/* Offset of the extack TLVs in an NLMSG_ERROR / NLMSG_DONE, or -EBADMSG. */
static int extack_offset(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e;
	size_t off;

	if (nlh->nlmsg_type == NLMSG_DONE)
		return NLMSG_ALIGN(NLMSG_HDRLEN + sizeof(int));
	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
		return -EBADMSG;
	e = nlmsg_data(nlh);
	off = NLMSG_HDRLEN + sizeof(*e);
	/* Unless capped, the request's payload is echoed before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return -EBADMSG;
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	off = NLMSG_ALIGN(off);
	if (off > nlh->nlmsg_len)
		return -EBADMSG;
	return off;
}

int gti_extack_msg(const struct nlmsghdr *nlh, char *buf, size_t len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	int off, n;

	buf[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	off = extack_offset(nlh);
	if (off < 0)
		return off;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		      nlh->nlmsg_len - off, extack_policy) < 0)
		return -EBADMSG;
	if (!tb[NLMSGERR_ATTR_MSG] && !tb[NLMSGERR_ATTR_MISS_TYPE])
		return 0;
	n = snprintf(buf, len, "%s", tb[NLMSGERR_ATTR_MSG] ?
		     nla_get_string(tb[NLMSGERR_ATTR_MSG]) : "");
	if (tb[NLMSGERR_ATTR_MISS_TYPE] && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - n, "%smissing attribute %u",
			 n ? ": " : "", nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]));
	return 1;
}

/* ---- request / reply loop ---------------------------------------------- */

struct gti_req {
	struct gt_client *cl;
	gti_parse_fn parse;
	void *arg;
	int err;	/* first error seen */
	bool done;
};

static void req_error(struct gti_req *req, int err, const struct nlmsghdr *nlh)
{
	char text[GTI_ERRMSG_LEN];

	req->done = true;
	if (req->err)
		return;
	req->err = err;
	if (nlh && gti_extack_msg(nlh, text, sizeof(text)) > 0)
		gti_fail(req->cl, err, "%s", text);
	else
		gti_fail(req->cl, err, NULL);
}

static int valid_cb(struct nl_msg *msg, void *arg)
{
	struct gti_req *req = arg;
	int err;

	/*
	 * Keep reading after a parse error so that the rest of the reply
	 * (or dump) leaves the socket and the next request starts clean.
	 */
	if (req->err || !req->parse)
		return NL_SKIP;
	err = req->parse(nlmsg_hdr(msg), req->arg);
	if (err < 0) {
		req->err = err;
		if (!req->cl->msg[0])
			gti_fail(req->cl, err, "malformed reply from gtrace.ko: %s",
				 strerror(-err));
	}
	return NL_SKIP;
}

static int ack_cb(struct nl_msg *msg, void *arg)
{
	struct gti_req *req = arg;

	req->done = true;
	return NL_STOP;
}

/* End of a dump: its payload is the dump's status, maybe with an extack. */
static int finish_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct gti_req *req = arg;
	int status = 0;

	if (nlmsg_datalen(nlh) >= (int)sizeof(status))
		memcpy(&status, nlmsg_data(nlh), sizeof(status));
	if (status < 0)
		req_error(req, status, nlh);
	req->done = true;
	return NL_STOP;
}

static int error_cb(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct gti_req *req = arg;

	req_error(req, e->error < 0 ? e->error : -EPROTO, nlh);
	return NL_STOP;
}

/*
 * Our handlers on a copy of the socket's callbacks: what else is set there
 * (NLCB=debug, or the unit tests' fake kernel) carries over.
 */
static struct nl_cb *req_callbacks(struct gt_client *cl, struct gti_req *req)
{
	struct nl_cb *sock_cb = nl_socket_get_cb(cl->sk);
	struct nl_cb *cb;

	if (!sock_cb)
		return NULL;
	cb = nl_cb_clone(sock_cb);
	nl_cb_put(sock_cb);
	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_cb, req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_cb, req);
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, req);
	return cb;
}

struct nl_msg *gti_msg_new(int family, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags,
			 cmd, GTRACE_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int gti_transact(struct gt_client *cl, struct nl_msg *msg,
		 gti_parse_fn parse, void *arg)
{
	struct gti_req req = { .cl = cl, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int ret;

	ret = nl_send_auto(cl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0)
		return gti_fail(cl, gti_nl_errno(ret), "sending to gtrace.ko: %s",
				nl_geterror(ret));
	cb = req_callbacks(cl, &req);
	if (!cb)
		return gti_fail(cl, -ENOMEM, NULL);
	while (!req.done) {
		ret = nl_recvmsgs(cl->sk, cb);
		if (ret < 0) {
			if (!req.err)
				req_error(&req, gti_nl_errno(ret), NULL);
			break;
		}
	}
	nl_cb_put(cb);
	return req.err;
}

/* ---- open / close ------------------------------------------------------ */

static void enable_extack(struct nl_sock *sk)
{
	int one = 1;

	/* Old kernels lack these options: errors then come without text. */
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
}

static int client_connect(struct gt_client *cl)
{
	int ret;

	cl->sk = nl_socket_alloc();
	if (!cl->sk)
		return gti_fail(NULL, -ENOMEM, NULL);
	ret = genl_connect(cl->sk);
	if (ret < 0)
		return gti_fail(NULL, gti_nl_errno(ret),
				"cannot open a generic netlink socket: %s",
				nl_geterror(ret));
	enable_extack(cl->sk);
	/* Dump messages can exceed a page; let libnl size its buffer. */
	nl_socket_enable_msg_peek(cl->sk);
	nl_socket_set_buffer_size(cl->sk, 1 << 20, 0);

	ret = genl_ctrl_resolve(cl->sk, GTRACE_GENL_NAME);
	if (ret == -NLE_OBJ_NOTFOUND)
		return gti_fail(NULL, -ENOENT,
				"the gtrace kernel module is not loaded (load it with: modprobe gtrace)");
	if (ret < 0)
		return gti_fail(NULL, gti_nl_errno(ret),
				"cannot resolve the gtrace netlink family: %s",
				nl_geterror(ret));
	cl->family = ret;
	return 0;
}

struct gt_client *gt_open(void)
{
	struct gt_client *cl = calloc(1, sizeof(*cl));
	int err;

	open_msg[0] = '\0';
	if (!cl) {
		gti_fail(NULL, -ENOMEM, NULL);
		errno = ENOMEM;
		return NULL;
	}
	err = client_connect(cl);
	if (err < 0) {
		gt_close(cl);
		errno = -err;
		return NULL;
	}
	return cl;
}

void gt_close(struct gt_client *cl)
{
	if (!cl)
		return;
	if (cl->sk)
		nl_socket_free(cl->sk);
	free(cl);
}
