/* Application protocols seen where TCP data enters and leaves a process, as part of the socket data
 * path (sock.bpf.c, which owns the events ring buffer, the dropped counter and the hooks). HTTP/1.x
 * is counted in the kernel; Redis and PostgreSQL send their first bytes to user space, which
 * parses them. Classifiers live one protocol per header (proto_*.h). */
#ifndef NIGHTJAR_L7_H
#define NIGHTJAR_L7_H

#define HEAD_LEN 128
/* The first read of a possible request: enough to classify it and, for most requests, to hash
 * the whole path ("GET /api/v1/orders/123 HTTP/1.1"). Longer paths read up to HEAD_LEN. */
#define HEAD_FIRST 32
#define HTTP_PATH_MAX_SCAN 64

#include "proto_http.h"
#include "proto_redis.h"
#include "proto_postgres.h"
#include "sockstate.h"

/* Per CPU, so an exchange adds to its counters with plain adds instead of three atomics on a line
 * other CPUs write too; user space sums the CPUs. Allocated per key as keys appear (a preallocated
 * per-CPU map would reserve max_entries × CPUs values up front). Only the send/recv programs write
 * it, from process context with preemption off, so an update is never interleaved on one CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 16384);
	__type(key, struct http_key);
	__type(value, struct http_stats);
} http_stats SEC(".maps");

/* Payloads that may start a request and match no protocol before a socket is given up on (its
 * L7_NOT_APP mark): generous, because PostgreSQL's startup, SSL and authentication messages come
 * before its first query. A socket that ever matched is never given up on. */
#define L7_GIVE_UP 32

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

/* When the data a receive returns arrived: the socket's TCP clock, which tcp_rcv_established() and
 * tcp_rcv_state_process() refresh (tcp_clock_ns(), i.e. ktime_get_ns(): the clock of
 * bpf_ktime_get_ns) for every segment they process. Reading it is a load instead of a clock read, so
 * each side of an exchange reads the clock once: a server times from the request's arrival to its
 * send of the response, a client from its send of the request to the response's arrival. 0 when
 * unknown (the caller reads the clock). */
static __always_inline __u64 arrival_ns(struct sock *sk)
{
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);
	if (!tp || !bpf_core_field_exists(tp->tcp_clock_cache))
		return 0;
	return tp->tcp_clock_cache;
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

static __always_inline void submit(__u32 type, __u32 pid, struct sock *sk, const char *buf, __u64 size,
				   const struct inflight *in, __u32 protocol, __u32 role)
{
	struct nj_l7_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_drop();
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
	bpf_ringbuf_submit(e, submit_flags(&events));
}

/* Names a new path hash to user space once, with the request's first HEAD_LEN bytes. */
static __always_inline void http_name_path(__u64 hash, const char *buf, __u64 size, __u32 pid, __u64 ts)
{
	__u8 one = 1;
	/* Lookup first: it takes no lock, and almost every path is already known. */
	if (bpf_map_lookup_elem(&http_paths, &hash) || bpf_map_update_elem(&http_paths, &hash, &one, BPF_NOEXIST))
		return;
	struct nj_l7_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		bpf_map_delete_elem(&http_paths, &hash);
		count_drop();
		return;
	}
	__u32 n = size < HEAD_LEN ? size : HEAD_LEN;
	__builtin_memset(e, 0, sizeof(*e) - L7_PAYLOAD);
	e->h.type = EV_L7_HTTP_PATH;
	e->h.pid = pid;
	e->h.ts_ns = ts;
	e->latency_ns = hash;
	e->protocol = L7_HTTP;
	e->size = n;
	e->captured = n;
	if (bpf_probe_read_user(e->payload, n, buf))
		e->captured = 0;
	bpf_ringbuf_submit(e, submit_flags(&events));
}

/* Method and path hash of an HTTP request whose first n bytes are in head. Paths that do not end
 * inside head are read again, up to HEAD_LEN bytes. */
static __always_inline int http_request(struct inflight *in, const char *head, __u32 n, const char *buf,
					__u64 size, __u32 pid, __u64 last_hash)
{
	__u32 mlen = 0;
	in->method = http_method(head, &mlen);
	if (!in->method)
		return -1;
	int ended = 0;
	__u64 hash = http_path_hash(head, HEAD_FIRST - 1, mlen, n, &ended);
	if (!ended && size > n) {
		__u32 zero = 0;
		struct head_buf *h = bpf_map_lookup_elem(&scratch, &zero);
		__u32 full = size < HEAD_LEN ? size : HEAD_LEN;
		if (!h || bpf_probe_read_user(h->data, full, buf))
			return -1;
		hash = http_path_hash(h->data, HEAD_LEN - 1, mlen, full, &ended);
	}
	in->path_hash = hash;
	/* A keep-alive connection repeating its previous path: already named, no map lookup. */
	if (hash != last_hash)
		http_name_path(hash, buf, size, pid, in->start_ns);
	return 0;
}

/* Counts a completed HTTP exchange in http_stats: no event, one map update. */
static __always_inline void http_response(const struct inflight *in, const char *buf, __u64 size, __u32 pid,
					  struct sock *sk, __u32 role)
{
	char head[12];
	if (size < 12 || bpf_probe_read_user(head, sizeof(head), buf))
		return;
	__u16 status = http_status(head);
	if (!status)
		return;
	/* A client's response ends at its arrival (the request's send read the clock); a server's at
	 * this send. An arrival clock older than the request (never refreshed since) is not used. */
	__u64 now = role == ROLE_CLIENT ? arrival_ns(sk) : 0;
	if (now <= in->start_ns)
		now = bpf_ktime_get_ns();
	struct tuple t = {};
	if (read_tuple_btf(sk, &t))
		return;
	struct http_key k = {};
	k.pid = pid;
	k.role = role;
	k.port = role == ROLE_SERVER ? t.sport : t.dport;
	__builtin_memcpy(k.peer, t.daddr, 16);
	k.family = t.family;
	k.status = status;
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
	/* This CPU's counters (per-CPU map): plain adds. */
	__u64 seen = st->count++;
	st->latency_ns_sum += latency;
	if (b < HTTP_BUCKETS)
		st->buckets[b]++;
	/* Every server error; otherwise the 1st, 2nd, 4th, 8th… exchange of a key on a CPU and then one
	 * in HTTP_SPAN_SAMPLE, so a hot endpoint costs a bounded trickle of events. */
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
	bpf_ringbuf_submit(e, submit_flags(&events));
}

/* Completes the exchange in flight on this socket (the other side's answer has started). */
static __always_inline void complete(struct inflight *in, struct sock *sk, const char *buf, __u64 size, __u32 pid)
{
	struct inflight done = *in;
	in->start_ns = 0;
	if (done.protocol == L7_HTTP)
		http_response(&done, buf, size, pid, sk, done.role);
	else
		submit(EV_L7_RESPONSE, pid, sk, buf, size, &done, done.protocol, done.role);
}

/* Data that may start a request: a client's send or a server's receive. One short read of the
 * head serves classification, the method and (usually) the path hash; the socket storage already
 * looked up is reused, and created only for the first request a socket carries. */
static __always_inline void maybe_request(struct sock_state *st, struct sock *sk, const char *buf, __u64 size,
					  __u32 pid, __u32 role)
{
	char head[HEAD_FIRST];
	__u32 n = size < HEAD_FIRST ? size : HEAD_FIRST;
	__u32 protocol = 0;
	if (size >= 6 && !bpf_probe_read_user(head, n, buf))
		protocol = classify_request(head);
	if (!protocol) {
		/* Not a request. A socket that never carried one is given up on after a while. */
		if (st && !st->l7.protocol && ++st->unmatched >= L7_GIVE_UP)
			st->l7_flags |= L7_NOT_APP;
		return;
	}
	/* A server's request starts at its arrival, a client's at this send. */
	__u64 start = role == ROLE_SERVER ? arrival_ns(sk) : 0;
	struct inflight fresh = { .start_ns = start ? start : bpf_ktime_get_ns(), .protocol = protocol, .role = role };
	if (protocol == L7_HTTP && http_request(&fresh, head, n, buf, size, pid, st ? st->l7.path_hash : 0))
		return;
	if (!st)
		st = bpf_sk_storage_get(&sock_state, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (st)
		st->l7 = fresh;
	if (protocol != L7_HTTP)
		submit(EV_L7_REQUEST, pid, sk, buf, size, 0, protocol, role);
}

/* Data leaving a process: a client's request or a server's response. st: the socket's state (looked
 * up once by the caller), or 0 while the socket has none. */
static __always_inline void l7_send(struct sock_state *st, struct sock *sk, const char *buf, __u64 size, __u32 pid)
{
	if (st && st->l7.start_ns && st->l7.role == ROLE_SERVER) {
		complete(&st->l7, sk, buf, size, pid);
		return;
	}
	/* A socket that served a request stays a server: later chunks of a long reply (redis's
	 * COMMAND DOCS) may look like a request but are not one. */
	if (st && st->l7.role == ROLE_SERVER)
		return;
	maybe_request(st, sk, buf, size, pid, ROLE_CLIENT);
}

/* Data arriving in a process: a server's request or a client's response. */
static __always_inline void l7_receive(struct sock_state *st, struct sock *sk, const char *buf, __u64 size,
				       __u32 pid)
{
	if (st && st->l7.start_ns && st->l7.role == ROLE_CLIENT) {
		complete(&st->l7, sk, buf, size, pid);
		return;
	}
	/* Likewise a client socket: the rest of a reply is never a request to serve. */
	if (st && st->l7.role == ROLE_CLIENT)
		return;
	maybe_request(st, sk, buf, size, pid, ROLE_SERVER);
}

#endif
