/* HTTP/1.x on the L7 path (l7.h): request classification, method, and the response's status line.
 * HTTP is the one protocol counted in the kernel, so it alone has C of its own; the others are
 * described to the kernel by their parsers' request signatures (l7_signature). */
#ifndef NIGHTJAR_PROTO_HTTP_H
#define NIGHTJAR_PROTO_HTTP_H

static __always_inline int is_http_request(const char *p)
{
	switch (p[0]) {
	case 'G': return p[1] == 'E' && p[2] == 'T' && p[3] == ' ';
	case 'P': return (p[1] == 'O' && p[2] == 'S' && p[3] == 'T') ||
			 (p[1] == 'U' && p[2] == 'T' && p[3] == ' ') ||
			 (p[1] == 'A' && p[2] == 'T' && p[3] == 'C');
	case 'D': return p[1] == 'E' && p[2] == 'L' && p[3] == 'E';
	case 'H': return p[1] == 'E' && p[2] == 'A' && p[3] == 'D';
	case 'O': return p[1] == 'P' && p[2] == 'T' && p[3] == 'I';
	}
	return 0;
}

/* 1 GET, 2 POST, 3 PUT, 4 DELETE, 5 HEAD, 6 OPTIONS, 7 PATCH; the method's length in *len. */
static __always_inline __u32 http_method(const char *p, __u32 *len)
{
	switch (p[0]) {
	case 'G': *len = 3; return 1;
	case 'P':
		if (p[1] == 'O') { *len = 4; return 2; }
		if (p[1] == 'U') { *len = 3; return 3; }
		*len = 5; return 7;
	case 'D': *len = 6; return 4;
	case 'H': *len = 4; return 5;
	case 'O': *len = 7; return 6;
	}
	*len = 0;
	return 0;
}

/* Hashes the path that starts after the method in data[0..n) (FNV-1a; digit-led segments collapse
 * to '#', so /users/42 and /users/43 are one path). *ended is set when the path ended inside the
 * n bytes, so a caller that read only a prefix knows whether it must read more. mask is the
 * buffer's size minus one (a power of two), which bounds every index for the verifier. */
static __always_inline __u64 http_path_hash(const char *data, __u32 mask, __u32 mlen, __u32 n, int *ended)
{
	__u64 hash = 14695981039346656037ULL;
	int segment_start = 0, collapsing = 0;
	*ended = 0;
	for (int i = 0; i < HTTP_PATH_MAX_SCAN; i++) {
		__u32 at = mlen + 1 + i;
		if (at >= n)
			return hash;
		char c = data[at & mask];
		if (c == ' ' || c == '?' || c == '\r' || c == 0) {
			*ended = 1;
			return hash;
		}
		if (c == '/') {
			segment_start = 1;
			collapsing = 0;
		} else if (segment_start && c >= '0' && c <= '9') {
			segment_start = 0;
			collapsing = 1;
			c = '#';
		} else {
			segment_start = 0;
			if (collapsing)
				continue;
		}
		hash = (hash ^ (__u8)c) * 1099511628211ULL;
	}
	*ended = 1; /* only the first HTTP_PATH_MAX_SCAN characters count */
	return hash;
}

/* The status of a response whose first 12 bytes are in head ("HTTP/1.1 200"), or 0. */
static __always_inline __u16 http_status(const char *head)
{
	if (head[0] != 'H' || head[1] != 'T' || head[2] != 'T' || head[3] != 'P' || head[4] != '/')
		return 0;
	if (head[9] < '1' || head[9] > '5' || head[10] < '0' || head[10] > '9' || head[11] < '0' || head[11] > '9')
		return 0;
	return (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
}

#endif
