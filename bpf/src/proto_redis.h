/* Redis (RESP) on the L7 path (l7.h): requests are classified here, parsed in user space. */
#ifndef NIGHTJAR_PROTO_REDIS_H
#define NIGHTJAR_PROTO_REDIS_H

/* "*<digits>\r\n$" — a RESP array of bulk strings, the form every Redis command takes. */
static __always_inline int is_redis_request(const char *p)
{
	return p[0] == '*' && p[1] >= '1' && p[1] <= '9' &&
	       ((p[2] == '\r' && p[3] == '\n' && p[4] == '$') ||
		(p[2] >= '0' && p[2] <= '9' && p[3] == '\r' && p[4] == '\n' && p[5] == '$'));
}

#endif
