/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of libgtrace, the client layer. The gti_ functions are not
 * exported from the shared library (see libgtrace.map); the host unit tests
 * link the static library and call them to check message building and
 * decoding without a kernel.
 */
#ifndef GTRACE_CLIENT_INTERNAL_H
#define GTRACE_CLIENT_INTERNAL_H

#include <stdarg.h>

#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <gtrace/client.h>

#include "../gt_common.h"

#define GTI_ERRMSG_LEN	256

struct gt_client {
	struct nl_sock *sk;
	int family;
	int err;			/* last error, negative errno */
	char msg[GTI_ERRMSG_LEN];	/* its text; "" when none */
};

/* ---- errors (client.c) ------------------------------------------------- */

/* Record @err (negative errno) with a printf message; returns @err. */
int gti_fail(struct gt_client *cl, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void gti_clear_error(struct gt_client *cl);

/* libnl's NLE_* (positive or negative) as a negative errno. */
int gti_nl_errno(int nlerr);

/*
 * The extended ACK message of an NLMSG_ERROR or NLMSG_DONE message, copied
 * into @buf. Returns 1 when there was one, 0 when not, -EBADMSG when the
 * message is malformed.
 */
int gti_extack_msg(const struct nlmsghdr *nlh, char *buf, size_t len);

/* ---- requests (client.c) ----------------------------------------------- */

/* Parse one reply message; a negative errno fails the request. */
typedef int (*gti_parse_fn)(struct nlmsghdr *nlh, void *arg);

/* A genetlink message of our family with @cmd, or NULL (ENOMEM). */
struct nl_msg *gti_msg_new(int family, uint8_t cmd, int flags);

/*
 * Send @msg (always freed) and read replies until the ACK, the end of the
 * dump or an error, feeding each data message to @parse. Returns 0 or the
 * first error (kernel errno, parse error, socket error).
 */
int gti_transact(struct gt_client *cl, struct nl_msg *msg,
		 gti_parse_fn parse, void *arg);

/* ---- messages (session.c) ---------------------------------------------- */

/* Fixed-size attributes: exactly that long, not "at least" as libnl checks. */
#define GTI_POL_U8	{ .type = NLA_U8, .maxlen = sizeof(uint8_t) }
#define GTI_POL_U32	{ .type = NLA_U32, .maxlen = sizeof(uint32_t) }
#define GTI_POL_U64	{ .type = NLA_U64, .maxlen = sizeof(uint64_t) }
#define GTI_POL_BIN(n)	{ .type = NLA_UNSPEC, .minlen = (n), .maxlen = (n) }
#define GTI_POL_HIST	GTI_POL_BIN(sizeof(uint32_t) * GTRACE_HIST_BUCKETS)
#define GTI_POL_STRING	{ .type = NLA_STRING }
#define GTI_POL_NESTED	{ .type = NLA_NESTED }
#define GTI_POL_PAD	{ .type = NLA_UNSPEC }

/*
 * A policy entry from a line of the UAPI schema: define GTRACE_ATTR (or
 * GTRACE_<NEST>_ATTR) as GTI_POL and include <linux/gtrace.h> again.
 */
#define GTI_POL(attr, type, ...)	[attr] = GTI_POL_##type,

extern const struct nla_policy gti_attr_policy[GTRACE_A_MAX + 1];

int gti_put_session_opts(struct nl_msg *msg, const struct gt_session_opts *o);
int gti_parse_session_id(struct nlmsghdr *nlh, void *id);
int gti_parse_session_info(struct nlmsghdr *nlh, void *info);
int gti_parse_status(struct nlmsghdr *nlh, void *st);

/*
 * Parse a genetlink message of our family into @tb with the top-level
 * policy; trailing garbage after the last attribute is an error.
 */
int gti_parse_genl(struct nlmsghdr *nlh, struct nlattr **tb);

/* The attributes of @nest fill it exactly (no trailing bytes). */
int gti_check_nest(const struct nlattr *nest);

/* ---- stats (stats.c) --------------------------------------------------- */

struct gti_stats_builder {
	struct gt_stats *st;
	uint32_t *slots;	/* tid hash: task index + 1, 0 = empty */
	size_t nr_slots;	/* power of two */
};

int gti_stats_begin(struct gti_stats_builder *b, uint32_t session_id);
/* One STATS_GET dump message (a gti_parse_fn). */
int gti_stats_parse_msg(struct nlmsghdr *nlh, void *builder);
/* Sort and coalesce; hands the result over and resets @b. */
struct gt_stats *gti_stats_finish(struct gti_stats_builder *b);
void gti_stats_abort(struct gti_stats_builder *b);

/* ---- rings (ring.c) ---------------------------------------------------- */

struct gti_ring_map {
	struct gtrace_ring_consumer *cons;	/* read-write page */
	const struct gtrace_ring_header *hdr;	/* read-only */
	const unsigned char *data;		/* follows the header page */
	size_t cons_len;			/* mapping lengths, 0 if not ours */
	size_t hdr_len;
	uint32_t size;				/* data bytes, power of two */
	uint32_t rec_size;			/* checked once, at attach */
};

struct gt_ring {
	int fd;				/* -1 for rings not from /dev/gtrace */
	unsigned int nr;
	struct gti_ring_map *map;
};

/* A gt_ring over memory the caller owns (tests). */
int gti_ring_wrap(unsigned int nr, const struct gti_ring_map *maps,
		  struct gt_ring **out);

/* ---- generated tables (build/gen/) ------------------------------------- */

struct gti_names {
	const char *const *name;	/* indexed by number, NULL gaps */
	unsigned int len;
};

struct gti_alias {
	const char *name;
	int nr;
};

extern const struct gti_names gti_syscall_names[__GTRACE_ABI_MAX];
extern const struct gti_names gti_errno_names;
extern const struct gti_alias gti_errno_aliases[];
extern const unsigned int gti_nr_errno_aliases;

/* Arguments per syscall name, sorted by name (gen-tables sysargs). */
struct gti_nargs {
	const char *name;
	int nargs;
};

extern const struct gti_nargs gti_syscall_nargs[];
extern const unsigned int gti_nr_syscall_nargs;

#endif /* GTRACE_CLIENT_INTERNAL_H */
