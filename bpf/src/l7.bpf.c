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
};

struct read_args {
	__u64 fd;
	const char *buf;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32768);
	__type(key, struct fd_key);
	__type(value, struct inflight);
} inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct read_args);
} reads SEC(".maps");

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

static __always_inline void submit(__u32 type, __u32 pid, __u32 fd, const char *buf, __u64 size,
				   const struct inflight *in, __u32 protocol, __u32 role)
{
	struct sock *sk = socket_of(fd);
	if (!sk)
		return;
	struct nj_l7_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__u32 zero = 0;
		__u64 *d = bpf_map_lookup_elem(&dropped, &zero);
		if (d)
			__sync_fetch_and_add(d, 1);
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
		submit(EV_L7_RESPONSE, pid, fd, buf, size, &done, done.protocol, ROLE_SERVER);
		return;
	}
	__u32 protocol = classify_request(head);
	if (!protocol)
		return;
	struct inflight fresh = { .start_ns = bpf_ktime_get_ns(), .protocol = protocol, .role = ROLE_CLIENT };
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
	bpf_map_update_elem(&inflight, &key, &fresh, BPF_ANY);
	submit(EV_L7_REQUEST, pid, fd, buf, size, 0, protocol, ROLE_SERVER);
}

SEC("tracepoint/syscalls/sys_enter_write")
int on_enter_write(struct trace_event_raw_sys_enter *ctx)
{
	on_send(ctx->args[0], (const char *)ctx->args[1], ctx->args[2]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_sendto")
int on_enter_sendto(struct trace_event_raw_sys_enter *ctx)
{
	on_send(ctx->args[0], (const char *)ctx->args[1], ctx->args[2]);
	return 0;
}

/* writev: the protocol header is in the first vector (nginx, many HTTP servers). */
SEC("tracepoint/syscalls/sys_enter_writev")
int on_enter_writev(struct trace_event_raw_sys_enter *ctx)
{
	struct iovec iov;
	if (ctx->args[2] < 1 || bpf_probe_read_user(&iov, sizeof(iov), (void *)ctx->args[1]))
		return 0;
	on_send(ctx->args[0], iov.iov_base, iov.iov_len);
	return 0;
}

static __always_inline void remember_read(struct trace_event_raw_sys_enter *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct read_args args = { .fd = ctx->args[0], .buf = (const char *)ctx->args[1] };
	bpf_map_update_elem(&reads, &id, &args, BPF_ANY);
}

static __always_inline void finish_read(struct trace_event_raw_sys_exit *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct read_args *args = bpf_map_lookup_elem(&reads, &id);
	if (!args)
		return;
	struct read_args a = *args;
	bpf_map_delete_elem(&reads, &id);
	on_receive(a.fd, a.buf, ctx->ret);
}

SEC("tracepoint/syscalls/sys_enter_read")
int on_enter_read(struct trace_event_raw_sys_enter *ctx)
{
	remember_read(ctx);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_read")
int on_exit_read(struct trace_event_raw_sys_exit *ctx)
{
	finish_read(ctx);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_recvfrom")
int on_enter_recvfrom(struct trace_event_raw_sys_enter *ctx)
{
	remember_read(ctx);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_recvfrom")
int on_exit_recvfrom(struct trace_event_raw_sys_exit *ctx)
{
	finish_read(ctx);
	return 0;
}
