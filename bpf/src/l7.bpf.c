// SPDX-License-Identifier: GPL-2.0
/* Application protocols seen from read/write syscalls. The kernel side only classifies a
 * payload's first bytes and tracks one request in flight per (process, fd); the bounded
 * payload prefix goes to user space, which parses it off the hot path. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "nightjar.h"
#include "sock_common.h"

char LICENSE[] SEC("license") = "GPL";

#define S_IFMT 00170000
#define S_IFSOCK 0140000

struct fd_key {
	__u32 pid;
	__u32 fd;
};

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

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32768);
	__type(key, struct fd_key);
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

/* The socket behind fd in the current task, or 0 when fd is not a socket. */
static __always_inline struct sock *socket_of(__u32 fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	unsigned int max = BPF_CORE_READ(task, files, fdt, max_fds);
	if (fd >= max)
		return 0;
	struct file *f = 0;
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f)
		return 0;
	umode_t mode = BPF_CORE_READ(f, f_inode, i_mode);
	if ((mode & S_IFMT) != S_IFSOCK)
		return 0;
	struct socket *sock = BPF_CORE_READ(f, private_data);
	return sock ? BPF_CORE_READ(sock, sk) : 0;
}

static __always_inline void count_drop_submit(void)
{
	__u32 zero = 0;
	__u64 *d = bpf_map_lookup_elem(&dropped, &zero);
	if (d)
		__sync_fetch_and_add(d, 1);
}

static __always_inline void submit(__u32 type, __u32 pid, __u32 fd, const char *buf, __u64 size,
				   const struct inflight *in, __u32 protocol, __u32 role)
{
	struct sock *sk = socket_of(fd);
	if (!sk)
		return;
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
	read_tuple(sk, &e->t);
	e->latency_ns = in ? now - in->start_ns : 0;
	e->fd = fd;
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

/* Method and path hash of an HTTP request; names a new path to user space once. */
static __always_inline int http_request(struct inflight *in, const char *buf, __u64 size, __u32 pid)
{
	__u32 zero = 0;
	struct head_buf *h = bpf_map_lookup_elem(&scratch, &zero);
	if (!h)
		return -1;
	__u32 n = size < HEAD_LEN ? size : HEAD_LEN;
	if (bpf_probe_read_user(h->data, n, buf))
		return -1;
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
		e->h.ts_ns = bpf_ktime_get_ns();
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
					  __u32 fd, __u32 role)
{
	char head[12];
	if (size < 12 || bpf_probe_read_user(head, sizeof(head), buf))
		return;
	if (head[0] != 'H' || head[1] != 'T' || head[2] != 'T' || head[3] != 'P' || head[4] != '/')
		return;
	if (head[9] < '1' || head[9] > '5' || head[10] < '0' || head[10] > '9' || head[11] < '0' || head[11] > '9')
		return;
	struct sock *sk = socket_of(fd);
	if (!sk)
		return;
	struct tuple t = {};
	if (read_tuple(sk, &t))
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
	__u64 latency = bpf_ktime_get_ns() - in->start_ns;
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
	e->h.ts_ns = bpf_ktime_get_ns();
	e->t = t;
	e->latency_ns = latency;
	e->path_hash = k.path_hash;
	e->method = k.method;
	e->status = k.status;
	e->role = role;
	e->pad = 0;
	bpf_ringbuf_submit(e, 0);
}

/* Data leaving a process: a client's request or a server's response. */
static __always_inline void on_send(__u32 fd, const char *buf, __u64 size)
{
	if (size < 6 || !buf)
		return;
	char head[8];
	if (bpf_probe_read_user(head, sizeof(head), buf))
		return;
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct fd_key key = { .pid = pid, .fd = fd };
	struct inflight *in = bpf_map_lookup_elem(&inflight, &key);
	if (in && in->role == ROLE_SERVER) {
		struct inflight done = *in;
		bpf_map_delete_elem(&inflight, &key);
		if (done.protocol == L7_HTTP)
			http_response(&done, buf, size, pid, fd, ROLE_SERVER);
		else
			submit(EV_L7_RESPONSE, pid, fd, buf, size, &done, done.protocol, ROLE_SERVER);
		return;
	}
	__u32 protocol = classify_request(head);
	if (!protocol)
		return;
	struct inflight fresh = { .start_ns = bpf_ktime_get_ns(), .protocol = protocol, .role = ROLE_CLIENT };
	if (protocol == L7_HTTP) {
		if (!http_request(&fresh, buf, size, pid))
			bpf_map_update_elem(&inflight, &key, &fresh, BPF_ANY);
		return;
	}
	bpf_map_update_elem(&inflight, &key, &fresh, BPF_ANY);
	submit(EV_L7_REQUEST, pid, fd, buf, size, 0, protocol, ROLE_CLIENT);
}

/* Data arriving in a process: a server's request or a client's response. */
static __always_inline void on_receive(__u32 fd, const char *buf, __s64 size)
{
	if (size < 1 || !buf)
		return;
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct fd_key key = { .pid = pid, .fd = fd };
	struct inflight *in = bpf_map_lookup_elem(&inflight, &key);
	if (in && in->role == ROLE_CLIENT) {
		struct inflight done = *in;
		bpf_map_delete_elem(&inflight, &key);
		if (done.protocol == L7_HTTP)
			http_response(&done, buf, size, pid, fd, ROLE_CLIENT);
		else
			submit(EV_L7_RESPONSE, pid, fd, buf, size, &done, done.protocol, ROLE_CLIENT);
		return;
	}
	if (size < 6)
		return;
	char head[8];
	if (bpf_probe_read_user(head, sizeof(head), buf))
		return;
	__u32 protocol = classify_request(head);
	if (!protocol)
		return;
	struct inflight fresh = { .start_ns = bpf_ktime_get_ns(), .protocol = protocol, .role = ROLE_SERVER };
	if (protocol == L7_HTTP) {
		if (!http_request(&fresh, buf, size, pid))
			bpf_map_update_elem(&inflight, &key, &fresh, BPF_ANY);
		return;
	}
	bpf_map_update_elem(&inflight, &key, &fresh, BPF_ANY);
	submit(EV_L7_REQUEST, pid, fd, buf, size, 0, protocol, ROLE_SERVER);
}

/* Raw syscall tracepoints (tp_btf): no tracefs, no per-event record copy, and one program per
 * direction instead of one per syscall. The numbers are x86-64's. */
#define NR_READ 0
#define NR_WRITE 1
#define NR_WRITEV 20
#define NR_SENDTO 44
#define NR_RECVFROM 45

SEC("tp_btf/sys_enter")
int BPF_PROG(on_sys_enter, struct pt_regs *regs, long id)
{
	if (id != NR_WRITE && id != NR_SENDTO && id != NR_WRITEV)
		return 0;
	__u32 fd = PT_REGS_PARM1_CORE(regs);
	const char *buf = (const char *)PT_REGS_PARM2_CORE(regs);
	__u64 count = PT_REGS_PARM3_CORE(regs);
	if (id == NR_WRITEV) {
		/* the protocol header is in the first vector (nginx, many HTTP servers) */
		struct iovec iov;
		if (count < 1 || bpf_probe_read_user(&iov, sizeof(iov), buf))
			return 0;
		buf = iov.iov_base;
		count = iov.iov_len;
	}
	on_send(fd, buf, count);
	return 0;
}

/* At exit the arguments are still in the saved user registers (x86-64 replaces only rax), so
 * reads need no enter program and no per-thread map. */
SEC("tp_btf/sys_exit")
int BPF_PROG(on_sys_exit, struct pt_regs *regs, long ret)
{
	if (ret <= 0)
		return 0;
	long id = BPF_CORE_READ(regs, orig_ax);
	if (id != NR_READ && id != NR_RECVFROM)
		return 0;
	on_receive(PT_REGS_PARM1_CORE(regs), (const char *)PT_REGS_PARM2_CORE(regs), ret);
	return 0;
}
