/* PostgreSQL on the L7 path (l7.h): requests are classified here, parsed in user space. */
#ifndef NIGHTJAR_PROTO_POSTGRES_H
#define NIGHTJAR_PROTO_POSTGRES_H

/* A simple query ('Q'), an extended-protocol Parse ('P'), or a Bind ('B': a prepared statement
 * executed again without a new Parse, as JDBC and pgbench -M prepared do): a type byte, then a
 * big-endian length that is plausible for one message. */
static __always_inline int is_postgres_request(const char *p)
{
	if (p[0] != 'Q' && p[0] != 'P' && p[0] != 'B')
		return 0;
	__u32 len = ((__u32)(__u8)p[1] << 24) | ((__u32)(__u8)p[2] << 16) |
		    ((__u32)(__u8)p[3] << 8) | (__u32)(__u8)p[4];
	return len >= 5 && len < (1 << 24) && p[1] == 0;
}

#endif
