// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed requests: missing, oversized, undersized and wrong-typed
 * attributes, unknown attributes and commands, bad session ids. Each gets
 * an errno and an extack message; vm-run fails the run if any of them
 * leaves a warning in the kernel log.
 */
#include "kselftest_harness.h"
#include "nlraw.h"
#include "gt_kselftest.h"

FIXTURE(nl) {
	struct nlraw r;
};

FIXTURE_SETUP(nl)
{
	ASSERT_EQ(0, nlraw_open(&self->r, GTRACE_GENL_NAME));
}

FIXTURE_TEARDOWN(nl)
{
	nlraw_close(&self->r);
}

#define EXPECT_REJECTED(r, err, text) do {				\
		int __e = nlraw_send(r);				\
		EXPECT_EQ(-(err), __e);					\
		EXPECT_NE('\0', (r)->extack[0]);			\
		if ((text)[0])						\
			EXPECT_NE(NULL, strstr((r)->extack, text))	\
				TH_LOG("extack: '%s'", (r)->extack);	\
	} while (0)

TEST_F(nl, missing_session_id)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_START, 0);
	EXPECT_REJECTED(&self->r, EINVAL, "Missing session id");
}

TEST_F(nl, unknown_session_id)
{
	uint8_t cmds[] = { GTRACE_CMD_SESSION_START, GTRACE_CMD_SESSION_STOP,
			   GTRACE_CMD_SESSION_DEL, GTRACE_CMD_SESSION_GET };
	unsigned int i;

	for (i = 0; i < sizeof(cmds); i++) {
		nlraw_start(&self->r, self->r.family, cmds[i], 0);
		nlraw_put_u32(&self->r, GTRACE_A_SESSION_ID, 0x7ffffff0);
		EXPECT_REJECTED(&self->r, ENOENT, "No such session");
	}
}

TEST_F(nl, session_id_zero)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_GET, 0);
	nlraw_put_u32(&self->r, GTRACE_A_SESSION_ID, 0);
	EXPECT_REJECTED(&self->r, ERANGE, "");
}

TEST_F(nl, oversized_attribute)
{
	uint64_t big = 1;

	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_GET, 0);
	nlraw_put(&self->r, GTRACE_A_SESSION_ID, &big, sizeof(big));
	EXPECT_REJECTED(&self->r, EINVAL, "");
}

TEST_F(nl, undersized_attribute)
{
	uint16_t small = 1;

	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_NEW, 0);
	nlraw_put(&self->r, GTRACE_A_TARGET_PID, &small, sizeof(small));
	EXPECT_REJECTED(&self->r, EINVAL, "");
}

TEST_F(nl, string_where_u32_belongs)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_NEW, 0);
	nlraw_put(&self->r, GTRACE_A_TARGET_PID, "a pid, really", 14);
	EXPECT_REJECTED(&self->r, EINVAL, "");
}

TEST_F(nl, unknown_attribute)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_GET, 0);
	nlraw_put_u32(&self->r, GTRACE_A_SESSION_ID, 1);
	nlraw_put_u32(&self->r, 200, 1);
	EXPECT_REJECTED(&self->r, EINVAL, "");
}

TEST_F(nl, attribute_of_another_command)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_GET, 0);
	nlraw_put_u32(&self->r, GTRACE_A_SESSION_ID, 1);
	nlraw_put_u32(&self->r, GTRACE_A_TARGET_PID, 1);
	EXPECT_REJECTED(&self->r, EINVAL, "");
}

TEST_F(nl, nested_garbage)
{
	char junk[64];

	memset(junk, 0xa5, sizeof(junk));
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_NEW, 0);
	nlraw_put(&self->r, GTRACE_A_TASK | NLA_F_NESTED, junk, sizeof(junk));
	EXPECT_REJECTED(&self->r, EINVAL, "");
}

TEST_F(nl, status_takes_no_attributes)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_STATUS_GET, 0);
	nlraw_put_u32(&self->r, GTRACE_A_SESSION_ID, 1);
	EXPECT_REJECTED(&self->r, EINVAL, "");
}

TEST_F(nl, unknown_flags)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_NEW, 0);
	nlraw_put_u32(&self->r, GTRACE_A_TARGET_PID, getpid());
	nlraw_put_u32(&self->r, GTRACE_A_FLAGS, 0x80);
	EXPECT_REJECTED(&self->r, EINVAL, "");
}

TEST_F(nl, missing_target_pid)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_NEW, 0);
	EXPECT_REJECTED(&self->r, EINVAL, "Missing target pid");
}

TEST_F(nl, target_pid_zero)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_NEW, 0);
	nlraw_put_u32(&self->r, GTRACE_A_TARGET_PID, 0);
	EXPECT_REJECTED(&self->r, ERANGE, "");
}

TEST_F(nl, target_pid_that_does_not_exist)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_NEW, 0);
	nlraw_put_u32(&self->r, GTRACE_A_TARGET_PID, 0x3ffffff);
	EXPECT_REJECTED(&self->r, ESRCH, "No such process");
}

TEST_F(nl, system_wide_with_target)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_NEW, 0);
	nlraw_put_u32(&self->r, GTRACE_A_TARGET_PID, getpid());
	nlraw_put_u32(&self->r, GTRACE_A_FLAGS, GTRACE_F_SYSTEM_WIDE);
	EXPECT_REJECTED(&self->r, EINVAL, "takes no target pid");
}

TEST_F(nl, ring_not_power_of_two)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_NEW, 0);
	nlraw_put_u32(&self->r, GTRACE_A_TARGET_PID, getpid());
	nlraw_put_u32(&self->r, GTRACE_A_FLAGS, GTRACE_F_RECORDS);
	nlraw_put_u32(&self->r, GTRACE_A_RING_PAGES, 3);
	EXPECT_REJECTED(&self->r, EINVAL, "power of two");
}

TEST_F(nl, ring_without_records)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_NEW, 0);
	nlraw_put_u32(&self->r, GTRACE_A_TARGET_PID, getpid());
	nlraw_put_u32(&self->r, GTRACE_A_RING_PAGES, 4);
	EXPECT_REJECTED(&self->r, EINVAL, "without per-call records");
}

TEST_F(nl, sampling_of_a_target_session)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_NEW, 0);
	nlraw_put_u32(&self->r, GTRACE_A_TARGET_PID, getpid());
	nlraw_put_u32(&self->r, GTRACE_A_SAMPLE_EVERY, 10);
	EXPECT_REJECTED(&self->r, EINVAL, "Sampling");
}

TEST_F(nl, stats_dump_of_unknown_session)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_STATS_GET, NLM_F_DUMP);
	nlraw_put_u32(&self->r, GTRACE_A_SESSION_ID, 0x7ffffff0);
	EXPECT_REJECTED(&self->r, ENOENT, "No such session");
}

TEST_F(nl, unknown_command)
{
	nlraw_start(&self->r, self->r.family, 99, 0);
	EXPECT_EQ(-EOPNOTSUPP, nlraw_send(&self->r));
}

TEST_F(nl, stats_without_dump_flag)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_STATS_GET, 0);
	nlraw_put_u32(&self->r, GTRACE_A_SESSION_ID, 1);
	EXPECT_EQ(-EOPNOTSUPP, nlraw_send(&self->r));
}

TEST_F(nl, truncated_attribute_header)
{
	uint32_t v = 1;

	nlraw_start(&self->r, self->r.family, GTRACE_CMD_SESSION_GET, 0);
	nlraw_put(&self->r, GTRACE_A_SESSION_ID, &v, sizeof(v));
	/* Claim the message ends in the middle of the attribute. */
	EXPECT_GT(0, nlraw_send_len(&self->r, self->r.len - 6));
}

/* After all that, the family still works. */
TEST_F(nl, still_serves_a_valid_request)
{
	nlraw_start(&self->r, self->r.family, GTRACE_CMD_STATUS_GET, 0);
	EXPECT_EQ(0, nlraw_send(&self->r));
}

TEST_HARNESS_MAIN
