// SPDX-License-Identifier: GPL-2.0
/*
 * Session commands and module status: building the requests and decoding
 * the replies. Every reply is parsed with nla_parse and a policy; a missing
 * required attribute or one of the wrong size fails the call with -EBADMSG.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "client_internal.h"

const struct nla_policy gti_attr_policy[GTRACE_A_MAX + 1] = {
#define GTRACE_ATTR GTI_POL
#include <linux/gtrace.h>
#undef GTRACE_ATTR
};

/* nla_parse ignores bytes after the last whole attribute; we do not. */
static int check_attrs(struct nlattr *head, int len)
{
	struct nlattr *pos;
	int rem;

	nla_for_each_attr(pos, head, len, rem)
		;
	return rem > 0 ? -EBADMSG : 0;
}

int gti_check_nest(const struct nlattr *nest)
{
	return check_attrs(nla_data(nest), nla_len(nest));
}

int gti_parse_genl(struct nlmsghdr *nlh, struct nlattr **tb)
{
	struct genlmsghdr *ghdr;

	if (!genlmsg_valid_hdr(nlh, 0))
		return -EBADMSG;
	if (genlmsg_parse(nlh, 0, tb, GTRACE_A_MAX, gti_attr_policy) < 0)
		return -EBADMSG;
	ghdr = nlmsg_data(nlh);
	return check_attrs(genlmsg_attrdata(ghdr, 0), genlmsg_attrlen(ghdr, 0));
}

static uint64_t get_u64(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static uint32_t get_u32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

/* ---- request building -------------------------------------------------- */

/* Only what the caller set goes out, so the module's defaults apply. */
int gti_put_session_opts(struct nl_msg *msg, const struct gt_session_opts *o)
{
	if (!o)
		return 0;
	if (o->target_pid &&
	    nla_put_u32(msg, GTRACE_A_TARGET_PID, o->target_pid) < 0)
		return -EMSGSIZE;
	if (o->flags && nla_put_u32(msg, GTRACE_A_FLAGS, o->flags) < 0)
		return -EMSGSIZE;
	if (o->cgroup_fd >= 0 &&
	    nla_put_u32(msg, GTRACE_A_CGROUP_FD, o->cgroup_fd) < 0)
		return -EMSGSIZE;
	if (o->sample_every &&
	    nla_put_u32(msg, GTRACE_A_SAMPLE_EVERY, o->sample_every) < 0)
		return -EMSGSIZE;
	if (o->ring_pages &&
	    nla_put_u32(msg, GTRACE_A_RING_PAGES, o->ring_pages) < 0)
		return -EMSGSIZE;
	if (o->wait_max_ms &&
	    nla_put_u32(msg, GTRACE_A_WAIT_MAX_MS, o->wait_max_ms) < 0)
		return -EMSGSIZE;
	return 0;
}

/* ---- reply parsing ----------------------------------------------------- */

int gti_parse_session_id(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[GTRACE_A_MAX + 1];
	uint32_t *id = arg;
	int err;

	err = gti_parse_genl(nlh, tb);
	if (err < 0)
		return err;
	if (!tb[GTRACE_A_SESSION_ID])
		return -EBADMSG;
	*id = nla_get_u32(tb[GTRACE_A_SESSION_ID]);
	return 0;
}

int gti_parse_session_info(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[GTRACE_A_MAX + 1];
	struct gt_session_info *info = arg;
	int err;

	err = gti_parse_genl(nlh, tb);
	if (err < 0)
		return err;
	if (!tb[GTRACE_A_STATE])
		return -EBADMSG;
	if (tb[GTRACE_A_SESSION_ID])
		info->id = nla_get_u32(tb[GTRACE_A_SESSION_ID]);
	info->state = nla_get_u8(tb[GTRACE_A_STATE]);
	info->tasks = get_u32(tb[GTRACE_A_TASKS]);
	info->tasks_lost = get_u64(tb[GTRACE_A_TASKS_LOST]);
	info->calls_lost = get_u64(tb[GTRACE_A_CALLS_LOST]);
	info->records = get_u64(tb[GTRACE_A_RECORDS]);
	info->drops = get_u64(tb[GTRACE_A_DROPS]);
	info->start_ns = get_u64(tb[GTRACE_A_START_NS]);
	info->stop_ns = get_u64(tb[GTRACE_A_STOP_NS]);
	info->nr_cpus = get_u32(tb[GTRACE_A_NR_CPUS]);
	info->waits = get_u64(tb[GTRACE_A_WAITS]);
	info->wait_ns = get_u64(tb[GTRACE_A_WAIT_NS]);
	return 0;
}

int gti_parse_status(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[GTRACE_A_MAX + 1];
	struct gt_status *st = arg;
	int err;

	err = gti_parse_genl(nlh, tb);
	if (err < 0)
		return err;
	if (!tb[GTRACE_A_VERSION])
		return -EBADMSG;
	snprintf(st->version, sizeof(st->version), "%s",
		 nla_get_string(tb[GTRACE_A_VERSION]));
	st->sessions = get_u32(tb[GTRACE_A_SESSIONS]);
	st->probes = tb[GTRACE_A_PROBES] && nla_get_u8(tb[GTRACE_A_PROBES]);
	st->drops = get_u64(tb[GTRACE_A_DROPS]);
	st->mem_bytes = get_u64(tb[GTRACE_A_MEM_BYTES]);
	return 0;
}

/* ---- commands ---------------------------------------------------------- */

/* A "do" command answers with exactly one message before its ACK. */
struct one_reply {
	gti_parse_fn parse;
	void *out;
	bool seen;
};

static int parse_one(struct nlmsghdr *nlh, void *arg)
{
	struct one_reply *r = arg;

	if (r->seen)
		return -EPROTO;
	r->seen = true;
	return r->parse(nlh, r->out);
}

static int request(struct gt_client *cl, struct nl_msg *msg,
		   gti_parse_fn parse, void *out)
{
	struct one_reply r = { .parse = parse, .out = out };
	int err;

	if (!parse)
		return gti_transact(cl, msg, NULL, NULL);
	err = gti_transact(cl, msg, parse_one, &r);
	if (!err && !r.seen)
		err = gti_fail(cl, -EPROTO, "gtrace.ko acknowledged without a reply");
	return err;
}

static struct nl_msg *session_msg(struct gt_client *cl, uint8_t cmd,
				  uint32_t id)
{
	struct nl_msg *msg = gti_msg_new(cl->family, cmd, 0);

	if (msg && nla_put_u32(msg, GTRACE_A_SESSION_ID, id) < 0) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static int session_cmd(struct gt_client *cl, uint8_t cmd, uint32_t id)
{
	struct nl_msg *msg;

	gti_clear_error(cl);
	msg = session_msg(cl, cmd, id);
	if (!msg)
		return gti_fail(cl, -ENOMEM, NULL);
	return request(cl, msg, NULL, NULL);
}

int gt_session_new(struct gt_client *cl, const struct gt_session_opts *opts,
		   uint32_t *id)
{
	struct nl_msg *msg;

	gti_clear_error(cl);
	msg = gti_msg_new(cl->family, GTRACE_CMD_SESSION_NEW, 0);
	if (!msg)
		return gti_fail(cl, -ENOMEM, NULL);
	if (gti_put_session_opts(msg, opts) < 0) {
		nlmsg_free(msg);
		return gti_fail(cl, -ENOMEM, NULL);
	}
	return request(cl, msg, gti_parse_session_id, id);
}

int gt_session_start(struct gt_client *cl, uint32_t id)
{
	return session_cmd(cl, GTRACE_CMD_SESSION_START, id);
}

int gt_session_stop(struct gt_client *cl, uint32_t id)
{
	return session_cmd(cl, GTRACE_CMD_SESSION_STOP, id);
}

int gt_session_del(struct gt_client *cl, uint32_t id)
{
	return session_cmd(cl, GTRACE_CMD_SESSION_DEL, id);
}

int gt_session_get(struct gt_client *cl, uint32_t id,
		   struct gt_session_info *info)
{
	struct nl_msg *msg;

	gti_clear_error(cl);
	memset(info, 0, sizeof(*info));
	info->id = id;
	msg = session_msg(cl, GTRACE_CMD_SESSION_GET, id);
	if (!msg)
		return gti_fail(cl, -ENOMEM, NULL);
	return request(cl, msg, gti_parse_session_info, info);
}

int gt_status(struct gt_client *cl, struct gt_status *st)
{
	struct nl_msg *msg;

	gti_clear_error(cl);
	memset(st, 0, sizeof(*st));
	msg = gti_msg_new(cl->family, GTRACE_CMD_STATUS_GET, 0);
	if (!msg)
		return gti_fail(cl, -ENOMEM, NULL);
	return request(cl, msg, gti_parse_status, st);
}
