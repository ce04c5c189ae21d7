// SPDX-License-Identifier: GPL-2.0
/*
 * The request/reply machinery against a fake kernel: the client's libnl
 * socket gets send and receive overrides, so each test sees what the
 * library sent and feeds back the replies gtrace.ko would give (replies,
 * ACKs, errors with extended ACK text, dumps ending in NLMSG_DONE).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/handlers.h>
#include <netlink/socket.h>

#include "t_netlink.h"
#include "kselftest_harness.h"

#define FAKE_MAX	16

/* The fake kernel: replies queued by the test, requests kept for checks. */
static struct {
	unsigned char *reply[FAKE_MAX];
	int reply_len[FAKE_MAX];
	int nr_replies, next;
	struct nl_msg *sent[FAKE_MAX];
	int nr_sent;
	uint32_t seq;
} fk;

static int fake_send(struct nl_sock *sk, struct nl_msg *msg)
{
	if (fk.nr_sent == FAKE_MAX)
		return -NLE_NOMEM;
	nlmsg_get(msg);
	fk.sent[fk.nr_sent++] = msg;
	fk.seq = nlmsg_hdr(msg)->nlmsg_seq;
	return nlmsg_hdr(msg)->nlmsg_len;
}

/* One queued buffer per read, answering the last request's sequence. */
static int fake_recv(struct nl_sock *sk, struct sockaddr_nl *who,
		     unsigned char **buf, struct ucred **creds)
{
	struct nlmsghdr *h;
	int len, rem;

	if (fk.next == fk.nr_replies)
		return -NLE_AGAIN;
	len = fk.reply_len[fk.next];
	*buf = malloc(len);
	if (!*buf)
		return -NLE_NOMEM;
	memcpy(*buf, fk.reply[fk.next++], len);
	for (h = (struct nlmsghdr *)*buf, rem = len; nlmsg_ok(h, rem);
	     h = nlmsg_next(h, &rem))
		h->nlmsg_seq = fk.seq;
	memset(who, 0, sizeof(*who));
	who->nl_family = AF_NETLINK;
	return len;
}

/* Queue @n messages (freed) as what one read returns. */
static void queue(int n, ...)
{
	unsigned char *buf = NULL;
	int len = 0, i;
	va_list ap;

	va_start(ap, n);
	for (i = 0; i < n; i++) {
		struct nl_msg *m = va_arg(ap, struct nl_msg *);
		int l = NLMSG_ALIGN(nlmsg_hdr(m)->nlmsg_len);

		buf = realloc(buf, len + l);
		memset(buf + len, 0, l);
		memcpy(buf + len, nlmsg_hdr(m), nlmsg_hdr(m)->nlmsg_len);
		len += l;
		nlmsg_free(m);
	}
	va_end(ap);
	fk.reply[fk.nr_replies] = buf;
	fk.reply_len[fk.nr_replies++] = len;
}

static void fake_reset(void)
{
	int i;

	for (i = 0; i < fk.nr_replies; i++)
		free(fk.reply[i]);
	for (i = 0; i < fk.nr_sent; i++)
		nlmsg_free(fk.sent[i]);
	memset(&fk, 0, sizeof(fk));
}

static struct gt_client *fake_client(void)
{
	struct gt_client *cl = calloc(1, sizeof(*cl));
	struct nl_cb *cb;

	cl->sk = nl_socket_alloc();
	cb = nl_socket_get_cb(cl->sk);
	nl_cb_overwrite_send(cb, fake_send);
	nl_cb_overwrite_recv(cb, fake_recv);
	nl_cb_put(cb);
	cl->family = T_FAMILY;
	return cl;
}

/* ---- kernel messages --------------------------------------------------- */

/* NLMSG_ERROR; @capped leaves out the echo of the request's payload. */
static struct nl_msg *k_error(int error, const char *text, bool capped)
{
	struct nl_msg *m = nlmsg_alloc_simple(NLMSG_ERROR,
					      capped ? NLM_F_CAPPED : 0);
	unsigned char echo[12] = { 1, 2, 3, 4, 8, 0, 2, 0, 7, 0, 0, 0 };
	struct nlmsgerr e = { .error = error };

	e.msg.nlmsg_len = NLMSG_HDRLEN + sizeof(echo);
	e.msg.nlmsg_type = T_FAMILY;
	nlmsg_append(m, &e, sizeof(e), NLMSG_ALIGNTO);
	if (!capped)
		nlmsg_append(m, echo, sizeof(echo), NLMSG_ALIGNTO);
	if (text) {
		nla_put_string(m, NLMSGERR_ATTR_MSG, text);
		nlmsg_hdr(m)->nlmsg_flags |= NLM_F_ACK_TLVS;
	}
	return m;
}

static struct nl_msg *k_ack(void)
{
	return k_error(0, NULL, true);
}

static struct nl_msg *k_done(int status, const char *text)
{
	struct nl_msg *m = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI);

	nlmsg_append(m, &status, sizeof(status), NLMSG_ALIGNTO);
	if (text) {
		nla_put_string(m, NLMSGERR_ATTR_MSG, text);
		nlmsg_hdr(m)->nlmsg_flags |= NLM_F_ACK_TLVS;
	}
	return m;
}

static struct nl_msg *k_status(void)
{
	struct nl_msg *m = t_genl_msg(GTRACE_CMD_STATUS_GET, 0);

	t_put(m, GTRACE_A_VERSION, "0.1.0");
	t_put(m, GTRACE_A_SESSIONS, 2);
	t_put(m, GTRACE_A_PROBES, 1);
	t_put(m, GTRACE_A_DROPS, 5);
	t_put(m, GTRACE_A_MEM_BYTES, 123456);
	return m;
}

static struct nl_msg *k_session_id(uint32_t id)
{
	struct nl_msg *m = t_genl_msg(GTRACE_CMD_SESSION_NEW, 0);

	t_put(m, GTRACE_A_SESSION_ID, id);
	return m;
}

static struct nl_msg *k_task(uint32_t tid, uint32_t nr, uint64_t calls)
{
	struct t_task t = { .tid = tid, .tgid = 100, .start_ns = 1 };
	struct t_sc s = t_sc_make(GTRACE_ABI_X86_64, nr, calls, 100, 100);
	struct nl_msg *m = t_dump_msg();
	struct nlattr *nest = t_task_begin(m, &t);

	t_put_sc(m, &s);
	nla_nest_end(m, nest);
	return m;
}

/* The attributes of sent request @i, parsed with the library's policy. */
static int sent_attrs(int i, struct nlattr **tb)
{
	return gti_parse_genl(nlmsg_hdr(fk.sent[i]), tb);
}

static uint8_t sent_cmd(int i)
{
	struct genlmsghdr *g = nlmsg_data(nlmsg_hdr(fk.sent[i]));

	return g->cmd;
}

/* ---- tests ------------------------------------------------------------- */

TEST(status_reply_is_decoded)
{
	struct gt_client *cl = fake_client();
	struct nlmsghdr *req;
	struct gt_status st;

	queue(2, k_status(), k_ack());
	ASSERT_EQ(0, gt_status(cl, &st));
	EXPECT_STREQ("0.1.0", st.version);
	EXPECT_EQ(2U, st.sessions);
	EXPECT_TRUE(st.probes);
	EXPECT_EQ(5U, st.drops);
	EXPECT_EQ(123456U, st.mem_bytes);
	EXPECT_STREQ("", gt_errmsg(cl));

	ASSERT_EQ(1, fk.nr_sent);
	req = nlmsg_hdr(fk.sent[0]);
	EXPECT_EQ(T_FAMILY, req->nlmsg_type);
	EXPECT_TRUE(req->nlmsg_flags & NLM_F_REQUEST);
	EXPECT_TRUE(req->nlmsg_flags & NLM_F_ACK);
	EXPECT_EQ(GTRACE_CMD_STATUS_GET, sent_cmd(0));
	EXPECT_EQ(0, genlmsg_attrlen(nlmsg_data(req), 0));
	gt_close(cl);
	fake_reset();
}

TEST(reply_and_ack_in_separate_reads)
{
	struct gt_client *cl = fake_client();
	struct gt_status st;

	queue(1, k_status());
	queue(1, k_ack());
	ASSERT_EQ(0, gt_status(cl, &st));
	EXPECT_EQ(2U, st.sessions);
	EXPECT_EQ(2, fk.next);
	gt_close(cl);
	fake_reset();
}

TEST(ack_without_reply_is_an_error)
{
	struct gt_client *cl = fake_client();
	struct gt_status st;

	queue(1, k_ack());
	EXPECT_EQ(-EPROTO, gt_status(cl, &st));
	EXPECT_NE(0U, strlen(gt_errmsg(cl)));
	gt_close(cl);
	fake_reset();
}

TEST(no_answer_does_not_hang)
{
	struct gt_client *cl = fake_client();
	struct gt_status st;

	EXPECT_EQ(-EAGAIN, gt_status(cl, &st));
	gt_close(cl);
	fake_reset();
}

TEST(session_new_sends_only_what_is_set)
{
	struct gt_client *cl = fake_client();
	struct gt_session_opts none = GT_SESSION_OPTS_INIT;
	struct gt_session_opts some = GT_SESSION_OPTS_INIT;
	struct gt_session_opts all = {
		.target_pid = 77, .flags = GTRACE_F_SYSTEM_WIDE,
		.cgroup_fd = 0, .sample_every = 10, .ring_pages = 64,
	};
	struct nlattr *tb[GTRACE_A_MAX + 1];
	uint32_t id = 0;
	int a;

	some.target_pid = 1234;
	some.flags = GTRACE_F_RECORDS;
	queue(2, k_session_id(9), k_ack());
	queue(2, k_session_id(10), k_ack());
	queue(2, k_session_id(11), k_ack());
	queue(2, k_session_id(12), k_ack());

	ASSERT_EQ(0, gt_session_new(cl, &some, &id));
	EXPECT_EQ(9U, id);
	ASSERT_EQ(0, sent_attrs(0, tb));
	EXPECT_EQ(GTRACE_CMD_SESSION_NEW, sent_cmd(0));
	EXPECT_EQ(1234U, nla_get_u32(tb[GTRACE_A_TARGET_PID]));
	EXPECT_EQ((uint32_t)GTRACE_F_RECORDS, nla_get_u32(tb[GTRACE_A_FLAGS]));
	for (a = GTRACE_A_CGROUP_FD; a <= GTRACE_A_MAX; a++)
		EXPECT_EQ(NULL, tb[a]);

	ASSERT_EQ(0, gt_session_new(cl, &none, &id));
	EXPECT_EQ(10U, id);
	EXPECT_EQ(0, genlmsg_attrlen(nlmsg_data(nlmsg_hdr(fk.sent[1])), 0));

	ASSERT_EQ(0, gt_session_new(cl, NULL, &id));
	EXPECT_EQ(11U, id);
	EXPECT_EQ(0, genlmsg_attrlen(nlmsg_data(nlmsg_hdr(fk.sent[2])), 0));

	ASSERT_EQ(0, gt_session_new(cl, &all, &id));
	EXPECT_EQ(12U, id);
	ASSERT_EQ(0, sent_attrs(3, tb));
	EXPECT_EQ(77U, nla_get_u32(tb[GTRACE_A_TARGET_PID]));
	EXPECT_EQ((uint32_t)GTRACE_F_SYSTEM_WIDE, nla_get_u32(tb[GTRACE_A_FLAGS]));
	ASSERT_NE(NULL, tb[GTRACE_A_CGROUP_FD]);	/* fd 0 is an fd */
	EXPECT_EQ(0U, nla_get_u32(tb[GTRACE_A_CGROUP_FD]));
	EXPECT_EQ(10U, nla_get_u32(tb[GTRACE_A_SAMPLE_EVERY]));
	EXPECT_EQ(64U, nla_get_u32(tb[GTRACE_A_RING_PAGES]));
	gt_close(cl);
	fake_reset();
}

TEST(kernel_error_carries_extack_text)
{
	struct gt_client *cl = fake_client();
	struct gt_session_opts o = GT_SESSION_OPTS_INIT;
	uint32_t id;

	o.target_pid = 999999;
	queue(1, k_error(-ESRCH, "No such process", true));
	EXPECT_EQ(-ESRCH, gt_session_new(cl, &o, &id));
	EXPECT_STREQ("No such process", gt_errmsg(cl));

	/* Uncapped: the request's payload is echoed before the TLVs. */
	queue(1, k_error(-EINVAL, "Ring size given without per-call records",
			 false));
	EXPECT_EQ(-EINVAL, gt_session_new(cl, &o, &id));
	EXPECT_STREQ("Ring size given without per-call records", gt_errmsg(cl));

	/* The next success clears the message. */
	queue(2, k_session_id(3), k_ack());
	EXPECT_EQ(0, gt_session_new(cl, &o, &id));
	EXPECT_STREQ("", gt_errmsg(cl));
	gt_close(cl);
	fake_reset();
}

TEST(kernel_error_without_text_is_strerror)
{
	struct gt_client *cl = fake_client();

	queue(1, k_error(-EPERM, NULL, false));
	EXPECT_EQ(-EPERM, gt_session_start(cl, 4));
	EXPECT_STREQ(strerror(EPERM), gt_errmsg(cl));
	gt_close(cl);
	fake_reset();
}

TEST(missing_attribute_is_named)
{
	struct gt_client *cl = fake_client();
	struct nl_msg *e = k_error(-EINVAL, "Missing target pid", true);
	uint32_t id;

	nla_put_u32(e, NLMSGERR_ATTR_MISS_TYPE, GTRACE_A_TARGET_PID);
	queue(1, e);
	EXPECT_EQ(-EINVAL, gt_session_new(cl, NULL, &id));
	EXPECT_STREQ("Missing target pid: missing attribute 3", gt_errmsg(cl));
	gt_close(cl);
	fake_reset();
}

TEST(session_commands_send_the_id)
{
	static const uint8_t cmds[] = {
		GTRACE_CMD_SESSION_START, GTRACE_CMD_SESSION_STOP,
		GTRACE_CMD_SESSION_DEL,
	};
	struct gt_client *cl = fake_client();
	struct nlattr *tb[GTRACE_A_MAX + 1];
	int i;

	for (i = 0; i < 3; i++)
		queue(1, k_ack());
	EXPECT_EQ(0, gt_session_start(cl, 21));
	EXPECT_EQ(0, gt_session_stop(cl, 22));
	EXPECT_EQ(0, gt_session_del(cl, 23));
	ASSERT_EQ(3, fk.nr_sent);
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, sent_attrs(i, tb));
		EXPECT_EQ(cmds[i], sent_cmd(i));
		ASSERT_NE(NULL, tb[GTRACE_A_SESSION_ID]);
		EXPECT_EQ(21U + i, nla_get_u32(tb[GTRACE_A_SESSION_ID]));
	}
	gt_close(cl);
	fake_reset();
}

TEST(session_get_reply_is_decoded)
{
	struct gt_client *cl = fake_client();
	struct nl_msg *r = t_genl_msg(GTRACE_CMD_SESSION_GET, 0);
	struct gt_session_info info;

	t_put(r, GTRACE_A_SESSION_ID, 5);
	t_put(r, GTRACE_A_FLAGS, GTRACE_F_RECORDS);
	t_put(r, GTRACE_A_STATE, GTRACE_STATE_DONE);
	t_put(r, GTRACE_A_TASKS, 3);
	t_put(r, GTRACE_A_TASKS_LOST, 1);
	t_put(r, GTRACE_A_CALLS_LOST, 2);
	t_put(r, GTRACE_A_RECORDS, 300);
	t_put(r, GTRACE_A_DROPS, 4);
	t_put(r, GTRACE_A_START_NS, 1000);
	t_put(r, GTRACE_A_STOP_NS, 9000);
	t_put(r, GTRACE_A_NR_CPUS, 2);
	queue(2, r, k_ack());

	ASSERT_EQ(0, gt_session_get(cl, 5, &info));
	EXPECT_EQ(5U, info.id);
	EXPECT_EQ(GTRACE_STATE_DONE, info.state);
	EXPECT_EQ(3U, info.tasks);
	EXPECT_EQ(1U, info.tasks_lost);
	EXPECT_EQ(2U, info.calls_lost);
	EXPECT_EQ(300U, info.records);
	EXPECT_EQ(4U, info.drops);
	EXPECT_EQ(1000U, info.start_ns);
	EXPECT_EQ(9000U, info.stop_ns);
	EXPECT_EQ(2U, info.nr_cpus);
	gt_close(cl);
	fake_reset();
}

TEST(stats_dump_over_several_reads_is_merged)
{
	struct gt_client *cl = fake_client();
	struct nlattr *tb[GTRACE_A_MAX + 1];
	struct gt_stats *st;
	const struct gt_task *t;

	queue(2, k_task(100, 0, 10), k_task(100, 1, 20));
	queue(2, k_task(101, 0, 30), k_done(0, NULL));
	ASSERT_EQ(0, gt_stats_dump(cl, T_SESSION, &st));
	ASSERT_EQ(2U, st->nr_tasks);
	t = gt_stats_task(st, 100);
	ASSERT_NE(NULL, t);
	ASSERT_EQ(2U, t->nr_syscalls);
	EXPECT_EQ(20U, t->syscalls[1].calls);
	EXPECT_EQ(30U, gt_stats_task(st, 101)->syscalls[0].calls);
	gt_stats_free(st);

	EXPECT_TRUE(nlmsg_hdr(fk.sent[0])->nlmsg_flags & NLM_F_DUMP);
	EXPECT_EQ(GTRACE_CMD_STATS_GET, sent_cmd(0));
	ASSERT_EQ(0, sent_attrs(0, tb));
	EXPECT_EQ((uint32_t)T_SESSION, nla_get_u32(tb[GTRACE_A_SESSION_ID]));
	gt_close(cl);
	fake_reset();
}

TEST(stats_dump_error_at_done)
{
	struct gt_client *cl = fake_client();
	struct gt_stats *st = (void *)1;

	queue(1, k_done(-ENOENT, "No such session"));
	EXPECT_EQ(-ENOENT, gt_stats_dump(cl, T_SESSION, &st));
	EXPECT_EQ(NULL, st);
	EXPECT_STREQ("No such session", gt_errmsg(cl));

	queue(1, k_error(-EACCES, "Session belongs to another user", true));
	EXPECT_EQ(-EACCES, gt_stats_dump(cl, T_SESSION, &st));
	EXPECT_STREQ("Session belongs to another user", gt_errmsg(cl));
	gt_close(cl);
	fake_reset();
}

/* A bad message fails the dump, but the rest is read so the socket stays usable. */
TEST(malformed_dump_message_fails_and_drains)
{
	struct gt_client *cl = fake_client();
	struct gt_status st;
	struct gt_stats *stats;

	queue(2, k_task(100, 0, 1), t_dump_msg() /* no task */);
	queue(2, k_task(101, 0, 1), k_done(0, NULL));
	EXPECT_EQ(-EBADMSG, gt_stats_dump(cl, T_SESSION, &stats));
	EXPECT_EQ(NULL, stats);
	EXPECT_EQ(2, fk.next);
	EXPECT_NE(NULL, strstr(gt_errmsg(cl), "malformed"));

	queue(2, k_status(), k_ack());
	EXPECT_EQ(0, gt_status(cl, &st));
	gt_close(cl);
	fake_reset();
}

TEST(libnl_errors_become_errno)
{
	EXPECT_EQ(0, gti_nl_errno(0));
	EXPECT_EQ(-ENOENT, gti_nl_errno(-NLE_OBJ_NOTFOUND));
	EXPECT_EQ(-ENOMEM, gti_nl_errno(NLE_NOMEM));
	EXPECT_EQ(-EPERM, gti_nl_errno(-NLE_PERM));
	EXPECT_EQ(-EACCES, gti_nl_errno(-NLE_NOACCESS));
	EXPECT_EQ(-EAGAIN, gti_nl_errno(-NLE_DUMP_INTR));
	EXPECT_EQ(-EPROTO, gti_nl_errno(-NLE_SEQ_MISMATCH));
	EXPECT_EQ(-EIO, gti_nl_errno(-NLE_FAILURE));
	EXPECT_EQ(-EIO, gti_nl_errno(-9999));
}

TEST(malformed_error_messages)
{
	struct nl_msg *m = k_error(-EINVAL, "x", false);
	struct nlmsgerr *e = nlmsg_data(nlmsg_hdr(m));
	char buf[64];

	EXPECT_EQ(1, gti_extack_msg(nlmsg_hdr(m), buf, sizeof(buf)));
	EXPECT_STREQ("x", buf);
	e->msg.nlmsg_len = 60000;	/* echo longer than the message */
	EXPECT_EQ(-EBADMSG, gti_extack_msg(nlmsg_hdr(m), buf, sizeof(buf)));
	e->msg.nlmsg_len = 3;		/* shorter than a header */
	EXPECT_EQ(-EBADMSG, gti_extack_msg(nlmsg_hdr(m), buf, sizeof(buf)));
	nlmsg_hdr(m)->nlmsg_len = NLMSG_HDRLEN + 2;
	EXPECT_EQ(-EBADMSG, gti_extack_msg(nlmsg_hdr(m), buf, sizeof(buf)));
	nlmsg_free(m);

	/* Text longer than the buffer is cut, not overflowed. */
	m = k_error(-EINVAL, "a rather long message for a tiny buffer", true);
	EXPECT_EQ(1, gti_extack_msg(nlmsg_hdr(m), buf, 8));
	EXPECT_STREQ("a rathe", buf);
	nlmsg_free(m);
}

/* On this host: either the module is there, or we are told how to load it. */
TEST(open_says_how_to_load_the_module)
{
	struct gt_client *cl = gt_open();

	if (cl) {
		gt_close(cl);
		SKIP(return, "gtrace.ko is loaded here");
	}
	if (errno != ENOENT)
		SKIP(return, "no generic netlink here: %s", gt_errmsg(NULL));
	EXPECT_NE(NULL, strstr(gt_errmsg(NULL), "modprobe gtrace"));
}

TEST_HARNESS_MAIN
