/* Redis (RESP) on the L7 path (l7.h): requests are classified here, parsed in user space. */
#ifndef NIGHTJAR_PROTO_REDIS_H
#define NIGHTJAR_PROTO_REDIS_H

/* "*<digits>\r\n$" — a RESP array of bulk strings, the form every Redis command takes. */
static __always_inline int is_resp_array(const char *p)
{
	return p[0] == '*' && p[1] >= '1' && p[1] <= '9' &&
	       ((p[2] == '\r' && p[3] == '\n' && p[4] == '$') ||
		(p[2] >= '0' && p[2] <= '9' && p[3] == '\r' && p[4] == '\n' && p[5] == '$'));
}

/* A command, or one after an empty line: redis-cli --pipe ends a mass insertion with
 * "\r\n*2\r\n$4\r\nECHO…" (the CRLF ends any unterminated inline command first). */
static __always_inline int is_redis_request(const char *p)
{
	return is_resp_array(p) || (p[0] == '\r' && p[1] == '\n' && is_resp_array(p + 2));
}

#endif
