// SPDX-License-Identifier: GPL-2.0
/* Application protocols seen where TCP data enters and leaves a process (the socket layer's
 * send/recv tracepoints, payload read from the syscall's user buffer). HTTP/1.x is counted in
 * the kernel; Redis and PostgreSQL send their first bytes to user space, which parses them. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "nightjar.h"
#include "sock_common.h"

char LICENSE[] SEC("license") = "GPL";


struct inflight {
	__u64 start_ns;
	__u32 protocol;
	__u32 role;
	__u32 method;
	__u32 pad;
	__u64 path_hash;
};

#define HEAD_LEN 128
#define PATH_MAX_SCAN 64

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct http_key);
	__type(value, struct http_stats);
} http_stats SEC(".maps");

/* Path hashes already named to user space. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u8);
} http_paths SEC(".maps");

struct head_buf {
	char data[HEAD_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct head_buf);
} scratch SEC(".maps");

/* The request in flight lives in the socket itself (freed with it): no hashing, no locks.
 * start_ns == 0 means idle; path_hash stays after completion, so a repeated path is known. */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct inflight);
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} dropped SEC(".maps");

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

/* "*<digits>\r\n$" — a RESP array of bulk strings, the form every Redis command takes. */
static __always_inline int is_redis_request(const char *p)
{
	return p[0] == '*' && p[1] >= '1' && p[1] <= '9' &&
	       ((p[2] == '\r' && p[3] == '\n' && p[4] == '$') ||
		(p[2] >= '0' && p[2] <= '9' && p[3] == '\r' && p[4] == '\n' && p[5] == '$'));
}

/* A PostgreSQL simple query ('Q') or extended-protocol Parse ('P'): a type byte, then a
 * big-endian length that is plausible for one message. */
static __always_inline int is_postgres_request(const char *p)
{
	if (p[0] != 'Q' && p[0] != 'P')
		return 0;
	__u32 len = ((__u32)(__u8)p[1] << 24) | ((__u32)(__u8)p[2] << 16) |
		    ((__u32)(__u8)p[3] << 8) | (__u32)(__u8)p[4];
	return len >= 5 && len < (1 << 24) && p[1] == 0;
}

static __always_inline __u32 classify_request(const char *p)
{
	if (is_http_request(p))
		return L7_HTTP;
	if (is_redis_request(p))
		return L7_REDIS;
	if (is_postgres_request(p))
		return L7_POSTGRES;
	return 0;
}

static __always_inline void count_drop_submit(void)
{
	__u32 zero = 0;
	__u64 *d = bpf_map_lookup_elem(&dropped, &zero);
	if (d)
		__sync_fetch_and_add(d, 1);
}

static __always_inline void submit(__u32 type, __u32 pid, struct sock *sk, const char *buf, __u64 size,
				   const struct inflight *in, __u32 protocol, __u32 role)
{
	struct nj_l7_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_drop_submit();
		return;
	}
	__u64 now = bpf_ktime_get_ns();
	e->h.type = type;
	e->h.pid = pid;
	e->h.ts_ns = now;
	__builtin_memset(&e->t, 0, sizeof(e->t));
	read_tuple_btf(sk, &e->t);
	e->latency_ns = in ? now - in->start_ns : 0;
	/* the connection's ports, to pair requests with responses (not a file descriptor) */
	e->fd = ((__u32)e->t.sport << 16) | e->t.dport;
	e->protocol = protocol;
	e->role = role;
	e->size = size > 0xffffffff ? 0xffffffff : size;
	__u32 n = size < L7_PAYLOAD ? size : L7_PAYLOAD;
	e->captured = n;
	e->pad = 0;
	if (bpf_probe_read_user(e->payload, n, buf))
		e->captured = 0;
	bpf_ringbuf_submit(e, 0);
}


static __always_inline void count_drop(void)
{
	__u32 zero = 0;
	__u64 *d = bpf_map_lookup_elem(&dropped, &zero);
	if (d)
		__sync_fetch_and_add(d, 1);
}

/* Method and path hash of an HTTP request whose first n bytes are in h; names a new path to user
 * space once. */
static __always_inline int http_request(struct inflight *in, const struct head_buf *h, __u32 n, __u32 pid,
					__u64 last_hash)
{
	__u32 mlen = 0;
	in->method = http_method(h->data, &mlen);
	if (!in->method)
		return -1;
	__u64 hash = 14695981039346656037ULL;
	int segment_start = 0, collapsing = 0;
	for (int i = 0; i < PATH_MAX_SCAN; i++) {
		__u32 at = mlen + 1 + i;
		if (at >= n)
			break;
		char c = h->data[at & (HEAD_LEN - 1)];
		if (c == ' ' || c == '?' || c == '\r' || c == 0)
			break;
		if (c == '/') {
			segment_start = 1;
			collapsing = 0;
		} else if (segment_start && c >= '0' && c <= '9') {
			/* an id: /users/42 and /users/43 are one path */
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
	in->path_hash = hash;
	/* A keep-alive connection repeating its previous path: already named, no map lookup. */
	if (hash == last_hash)
		return 0;
	__u8 one = 1;
	/* Lookup first: it takes no lock, and almost every path is already known. */
	if (!bpf_map_lookup_elem(&http_paths, &hash) &&
	    bpf_map_update_elem(&http_paths, &hash, &one, BPF_NOEXIST) == 0) {
		struct nj_l7_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
		if (!e) {
			bpf_map_delete_elem(&http_paths, &hash);
			count_drop();
			return 0;
		}
		__builtin_memset(e, 0, sizeof(*e) - L7_PAYLOAD);
		e->h.type = EV_L7_HTTP_PATH;
		e->h.pid = pid;
		e->h.ts_ns = in->start_ns;
		e->latency_ns = hash;
		e->protocol = L7_HTTP;
		e->size = n;
		e->captured = n;
		__builtin_memcpy(e->payload, h->data, HEAD_LEN);
		bpf_ringbuf_submit(e, 0);
	}
	return 0;
}

/* Counts a completed HTTP exchange in http_stats: no event, one map update. */
static __always_inline void http_response(const struct inflight *in, const char *buf, __u64 size, __u32 pid,
					  struct sock *sk, __u32 role, __u64 now)
{
	char head[12];
	if (size < 12 || bpf_probe_read_user(head, sizeof(head), buf))
		return;
	if (head[0] != 'H' || head[1] != 'T' || head[2] != 'T' || head[3] != 'P' || head[4] != '/')
		return;
	if (head[9] < '1' || head[9] > '5' || head[10] < '0' || head[10] > '9' || head[11] < '0' || head[11] > '9')
		return;
	struct tuple t = {};
	if (read_tuple_btf(sk, &t))
		return;
	struct http_key k = {};
	k.pid = pid;
	k.role = role;
	k.port = role == ROLE_SERVER ? t.sport : t.dport;
	__builtin_memcpy(k.peer, t.daddr, 16);
	k.family = t.family;
	k.status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
	k.method = in->method;
	k.path_hash = in->path_hash;
	struct http_stats *st = bpf_map_lookup_elem(&http_stats, &k);
	if (!st) {
		struct http_stats zero = {};
		bpf_map_update_elem(&http_stats, &k, &zero, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&http_stats, &k);
		if (!st) {
			count_drop();
			return;
		}
	}
	__u64 latency = now - in->start_ns;
	__u64 ms = latency / 1000000;
	__u32 b = ms < 1 ? 0 : ms < 5 ? 1 : ms < 10 ? 2 : ms < 25 ? 3 : ms < 50 ? 4 : ms < 100 ? 5 :
		  ms < 250 ? 6 : ms < 500 ? 7 : ms < 1000 ? 8 : ms < 2500 ? 9 : ms < 5000 ? 10 : ms < 10000 ? 11 : 12;
	__u64 seen = __sync_fetch_and_add(&st->count, 1);
	__sync_fetch_and_add(&st->latency_ns_sum, latency);
	if (b < HTTP_BUCKETS)
		__sync_fetch_and_add(&st->buckets[b], 1);
	/* Every server error; otherwise the 1st, 2nd, 4th, 8th… exchange of a key and then one in
	 * HTTP_SPAN_SAMPLE, so a hot endpoint costs a bounded trickle of events. */
	if (k.status < 500 && (seen & (seen - 1)) != 0 && seen % HTTP_SPAN_SAMPLE != 0)
		return;
	struct nj_http_span *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_drop();
		return;
	}
	e->h.type = EV_L7_HTTP_SPAN;
	e->h.pid = pid;
	e->h.ts_ns = now;
	e->t = t;
	e->latency_ns = latency;
	e->path_hash = k.path_hash;
	e->method = k.method;
	e->status = k.status;
	e->role = role;
	e->pad = 0;
	bpf_ringbuf_submit(e, 0);
}

/* Completes the exchange in flight on this socket (the other side's answer has started). */
static __always_inline void complete(struct inflight *in, struct sock *sk, const char *buf, __u64 size, __u32 pid)
{
	struct inflight done = *in;
	in->start_ns = 0;
	if (done.protocol == L7_HTTP)
		http_response(&done, buf, size, pid, sk, done.role, bpf_ktime_get_ns());
	else
		submit(EV_L7_RESPONSE, pid, sk, buf, size, &done, done.protocol, done.role);
}

/* Data that may start a request: a client's send or a server's receive. One read of the head
 * serves classification, the method and the path hash; the socket storage already looked up is
 * reused, and created only for the first request a socket carries. */
static __always_inline void maybe_request(struct inflight *in, struct sock *sk, const char *buf, __u64 size,
					  __u32 pid, __u32 role)
{
	if (size < 6)
		return;
	__u32 zero = 0;
	struct head_buf *h = bpf_map_lookup_elem(&scratch, &zero);
	if (!h)
		return;
	__u32 n = size < HEAD_LEN ? size : HEAD_LEN;
	if (bpf_probe_read_user(h->data, n, buf))
		return;
	__u32 protocol = classify_request(h->data);
	if (!protocol)
		return;
	struct inflight fresh = { .start_ns = bpf_ktime_get_ns(), .protocol = protocol, .role = role };
	if (protocol == L7_HTTP && http_request(&fresh, h, n, pid, in ? in->path_hash : 0))
		return;
	if (!in)
		in = bpf_sk_storage_get(&inflight, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (in)
		*in = fresh;
	if (protocol != L7_HTTP)
		submit(EV_L7_REQUEST, pid, sk, buf, size, 0, protocol, role);
}

/* Data leaving a process: a client's request or a server's response. */
static __always_inline void on_send(struct sock *sk, const char *buf, __u64 size)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct inflight *in = bpf_sk_storage_get(&inflight, sk, 0, 0);
	if (in && in->start_ns && in->role == ROLE_SERVER) {
		complete(in, sk, buf, size, pid);
		return;
	}
	/* A socket that served a request stays a server: later chunks of a long reply (redis's
	 * COMMAND DOCS) may look like a request but are not one. */
	if (in && in->role == ROLE_SERVER)
		return;
	maybe_request(in, sk, buf, size, pid, ROLE_CLIENT);
}

/* Data arriving in a process: a server's request or a client's response. */
static __always_inline void on_receive(struct sock *sk, const char *buf, __u64 size)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct inflight *in = bpf_sk_storage_get(&inflight, sk, 0, 0);
	if (in && in->start_ns && in->role == ROLE_CLIENT) {
		complete(in, sk, buf, size, pid);
		return;
	}
	/* Likewise a client socket: the rest of a reply is never a request to serve. */
	if (in && in->role == ROLE_CLIENT)
		return;
	maybe_request(in, sk, buf, size, pid, ROLE_SERVER);
}

/* The payload is found from the socket layer's own tracepoints: sock_send_length and
 * sock_recv_length fire inside the send/recv syscall, whose arguments are still in the saved
 * user registers. No syscall-wide hook, so other syscalls pay nothing. Numbers are x86-64's. */
#define NR_READ 0
#define NR_WRITE 1
#define NR_READV 19
#define NR_WRITEV 20
#define NR_SENDTO 44
#define NR_RECVFROM 45
#define NR_SENDMSG 46
#define NR_RECVMSG 47
#define IPPROTO_TCP 6
#define MSG_PEEK 2

/* Start of the user buffer of the current send/recv syscall (first vector for the vectored ones). */
static __always_inline const char *user_buffer(__u64 *capacity)
{
	/* bpf_task_pt_regs gives a BTF pointer: plain loads, no helper call per register. */
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	long nr = regs->orig_ax;
	const char *arg2 = (const char *)regs->si;
	__u64 arg3 = regs->dx; /* loaded here: one load insn may not serve both regs and the stack */
	struct iovec iov;
	switch (nr) {
	case NR_READ:
	case NR_WRITE:
	case NR_RECVFROM:
	case NR_SENDTO:
		*capacity = arg3;
		return arg2;
	case NR_READV:
	case NR_WRITEV:
		if (bpf_probe_read_user(&iov, sizeof(iov), arg2))
			return 0;
		break;
	case NR_SENDMSG:
	case NR_RECVMSG: {
		struct user_msghdr msg;
		if (bpf_probe_read_user(&msg, sizeof(msg), arg2) || !msg.msg_iovlen ||
		    bpf_probe_read_user(&iov, sizeof(iov), msg.msg_iov))
			return 0;
		break;
	}
	default:
		return 0; /* sendfile, splice, io_uring, in-kernel users: no user buffer to read */
	}
	*capacity = iov.iov_len;
	return iov.iov_base;
}

static __always_inline int is_tcp_inet(struct sock *sk)
{
	__u16 family = sk->__sk_common.skc_family;
	return sk->sk_protocol == IPPROTO_TCP && (family == AF_INET || family == AF_INET6);
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(on_sock_send, struct sock *sk, int ret, int flags)
{
	if (ret <= 0 || !is_tcp_inet(sk))
		return 0;
	__u64 capacity = 0;
	const char *buf = user_buffer(&capacity);
	if (!buf)
		return 0;
	on_send(sk, buf, capacity < (__u64)ret ? capacity : (__u64)ret);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(on_sock_recv, struct sock *sk, int ret, int flags)
{
	if (ret <= 0 || (flags & MSG_PEEK) || !is_tcp_inet(sk))
		return 0;
	__u64 capacity = 0;
	const char *buf = user_buffer(&capacity);
	if (!buf)
		return 0;
	on_receive(sk, buf, capacity < (__u64)ret ? capacity : (__u64)ret);
	return 0;
}
