/* Application protocols seen where TCP data enters and leaves a process, as part of the socket data
 * path (sock.bpf.c, which owns the events ring buffer, the dropped counter, the config and the
 * hooks). HTTP/1.x is counted in the kernel (proto_http.h). Every other protocol (Redis, PostgreSQL,
 * Memcached) sends its first bytes to user space, which parses them: the kernel knows such a
 * protocol only by its request signatures, which the sensor writes into nj_config.signatures from the
 * protocol's parser, so adding one takes no C. */
#ifndef NIGHTJAR_L7_H
#define NIGHTJAR_L7_H

#define HEAD_LEN 128
/* The first read of a possible request: enough to classify it and, for most requests, to hash
 * the whole path ("GET /api/v1/orders/123 HTTP/1.1"). Longer paths read up to HEAD_LEN. */
#define HEAD_FIRST 32
#define HTTP_PATH_MAX_SCAN 64

#include "proto_http.h"
#include "sockstate.h"
#include "loopback.h"

/* HTTP exchanges are counted per (process, role, peer, port, status, method, path) key in a slot of
 * http_values; http_keys names each key's slot. A socket remembers the slot of its last exchange
 * (sock_state.http), so a keep-alive connection repeating a key — the common case — finds its
 * counters with an array index instead of hashing the 40-byte key; the hash is looked up only when
 * the key changes. Slots are handed out once per key and never reused (keys are never deleted).
 *
 * Per CPU, so an exchange adds to its counters with plain adds instead of three atomics on a line
 * other CPUs write too; user space sums the CPUs. The sensor sizes both maps before load (fewer
 * slots on hosts with many CPUs: the array is preallocated per CPU). Only the send/recv programs
 * write it, from process context with preemption off, so an update is never interleaved on one CPU. */
#define HTTP_SLOTS 16384

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, HTTP_SLOTS);
	__type(key, __u32);
	__type(value, struct http_stats);
} http_values SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, HTTP_SLOTS);
	__type(key, struct http_key);
	__type(value, __u32);
} http_keys SEC(".maps");

/* The next free slot of http_values; stops at HTTP_SLOTS so it never wraps. */
__u32 http_next_slot SEC(".bss");

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

/* How far into the first request a socket carries the kernel looks for a second one (pipelining):
 * a head longer than this (a browser's, with many cookies) is not scanned. */
#define HTTP_SCAN 512

struct head_buf {
	char data[HTTP_SCAN + 4]; /* a path's HEAD_LEN bytes, or the pipelining scan's window */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct head_buf);
} scratch SEC(".maps");

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

/* The socket as a tcp_sock (tcp_data checked the protocol and type): a cast the verifier turns into
 * a plain move, so reading a tcp_sock field is a load, not a helper call. */
static __always_inline struct tcp_sock *tcp_of(struct sock *sk)
{
	return bpf_rdonly_cast(sk, bpf_core_type_id_kernel(struct tcp_sock));
}

/* The socket's TCP clock (tcp_clock_ns(), i.e. ktime_get_ns(): the clock of bpf_ktime_get_ns), which
 * the stack refreshes for every segment it processes (tcp_rcv_established(),
 * tcp_rcv_state_process()) and at the start of every transmit (tcp_write_xmit()). Reading it is a
 * load instead of a clock read, so no side of an exchange reads the clock in the common case. 0 when
 * unknown (the caller reads the clock).
 *
 * A receive: when the data it returns arrived. */
static __always_inline __u64 arrival_ns(struct sock *sk)
{
	struct tcp_sock *tp = tcp_of(sk);
	if (!bpf_core_field_exists(tp->tcp_clock_cache))
		return 0;
	return tp->tcp_clock_cache;
}

/* A send: when its data left. Once all the data written is handed to IP (write_seq == snd_nxt),
 * the transmit that sent its last byte refreshed the clock after the byte was written, so the clock
 * lies between the write and this tracepoint, inside the send syscall. Data still queued (cork,
 * Nagle, a full window) reads the clock instead. */
static __always_inline __u64 sent_ns(struct sock *sk)
{
	struct tcp_sock *tp = tcp_of(sk);
	if (!bpf_core_field_exists(tp->tcp_clock_cache) || tp->write_seq != tp->snd_nxt)
		return 0;
	return tp->tcp_clock_cache;
}

/* A message's bytes so far plus one more chunk, saturating at 4 GiB. */
static __always_inline __u32 add_bytes(__u32 sofar, __u64 more)
{
	__u64 sum = (__u64)sofar + more;
	return sum > 0xffffffff ? 0xffffffff : (__u32)sum;
}

/* Bytes that belong to the HTTP exchange the socket counted last (in the slot it remembers): a
 * reply's later chunks, a body sent after its response. */
static __always_inline void http_add_bytes_to(struct http_slot_cache *c, __u64 bytes, int response)
{
	if (!c->slot)
		return;
	__u32 slot = c->slot - 1;
	struct http_stats *s = bpf_map_lookup_elem(&http_values, &slot);
	if (!s)
		return;
	if (response)
		s->response_bytes += bytes;
	else
		s->request_bytes += bytes;
}

/* Bytes of the socket's last HTTP exchange, and of its server's end when this loopback client
 * counts that too (loopback.h). */
static __always_inline void http_add_bytes(struct sock_state *st, __u64 bytes, int response)
{
	http_add_bytes_to(&st->http, bytes, response);
	if (st->peer_pid)
		http_add_bytes_to(&st->peer_http, bytes, response);
}

/* A later chunk of the reply the socket last completed: a server sending with no request in flight,
 * a client receiving with none. Such a chunk is never read (a socket that served a request stays a
 * server, so the rest of a long reply — redis's COMMAND DOCS — is not taken for a request, and
 * likewise a client's), so it costs no user memory read; an HTTP reply's bytes are added to the
 * counters the exchange was counted in, the slot the socket remembers. Returns 1 when the chunk was
 * such a continuation. */
static __always_inline int l7_reply_continues(struct sock_state *st, __u64 ret, int sent)
{
	if (!st || st->l7.start_ns || st->l7.role != (sent ? ROLE_SERVER : ROLE_CLIENT) ||
	    st->l7.protocol == L7_HTTP_STREAM) /* every chunk of a pipelining socket is an event */
		return 0;
	if (st->l7.protocol == L7_HTTP)
		http_add_bytes(st, ret, 1);
	return 1;
}

/* The protocol of the first signature that the first n bytes at p match, or 0. The table is
 * constant to the verifier (frozen config), so the loops unroll into the compares of the signatures
 * the sensor wrote, and the code past the table's end is dropped at load. */
static __always_inline __u32 classify_by_signature(const char *p, __u32 n)
{
#pragma unroll
	for (int s = 0; s < L7_SIGNATURES; s++) {
		__u32 length = nj_config.signatures[s].length;
		if (!length)
			return 0;
		if (length > n)
			continue;
		int match = 1;
#pragma unroll
		for (int i = 0; i < L7_SIGNATURE_BYTES; i++) {
			if (i >= length)
				break;
			__u8 c = p[i];
			if (c < nj_config.signatures[s].lowest[i] || c > nj_config.signatures[s].highest[i]) {
				match = 0;
				break;
			}
		}
		if (match)
			return nj_config.signatures[s].protocol;
	}
	return 0;
}

static __always_inline __u32 classify_request(const char *p, __u32 n)
{
	if (is_http_request(p))
		return L7_HTTP;
	return classify_by_signature(p, n);
}

/* The fields of a request or response event before its payload; the payload is read by the caller. */
static __always_inline void l7_event_head(struct nj_l7_event *e, __u32 type, __u32 pid, struct sock *sk,
					  __u64 size, __u64 start_ns, __u32 protocol, __u32 role, __u32 peer_pid)
{
	__u64 now = bpf_ktime_get_ns();
	e->h.type = type;
	e->h.pid = pid;
	e->h.ts_ns = now;
	__builtin_memset(&e->t, 0, sizeof(e->t));
	read_tuple_btf(sk, &e->t);
	e->latency_ns = start_ns ? now - start_ns : 0;
	/* the connection's ports, to pair requests with responses (not a file descriptor) */
	e->fd = ((__u32)e->t.sport << 16) | e->t.dport;
	e->protocol = protocol;
	e->role = role;
	e->size = size > 0xffffffff ? 0xffffffff : size;
	e->peer_pid = peer_pid;
}

/* How many vectors after the first a scattered send or receive is gathered from (writev, sendmsg). */
#define L7_GATHER_VECTORS 8

struct l7_gather_ctx {
	struct nj_l7_event_large *big;
	const struct iovec *vec;
	__u64 count;
	__u64 ret;
	__u64 limit;
	__u64 at;
};

/* One more vector of l7_gather (a bpf_loop callback, so the verifier checks it once rather than
 * once per path through every earlier vector). The masks keep every write inside the record: an
 * offset and a length below half the payload each. */
static long l7_gather_vector(__u64 i, struct l7_gather_ctx *g)
{
	if (i >= g->count || g->at >= g->limit || g->at >= g->ret)
		return 1;
	/* Masked on every load, so each iteration starts from the same known range and the verifier
	 * needs one pass over this body instead of one per growing range. */
	__u64 at = g->at & (L7_PAYLOAD_LARGE / 2 - 1);
	struct iovec v;
	if (bpf_probe_read_user(&v, sizeof(v), &g->vec[i]))
		return 1;
	__u64 len = v.iov_len;
	if (len > g->ret - at)
		len = g->ret - at;
	if (len > g->limit - at)
		len = g->limit - at;
	len &= L7_PAYLOAD_LARGE / 2 - 1;
	if (!len)
		return 0;
	struct nj_l7_event_large *big = g->big;
	if (bpf_probe_read_user(big->payload + at, len, v.iov_base))
		return 1;
	g->at = at + len;
	return 0;
}

/* A vectored send or receive whose first vector ends before the capture would (memcached answers
 * a get with one writev: the VALUE line, the value, END; a pipeline's replies in one sendmsg): its
 * vectors are copied one after the other into big's payload until it holds `limit` bytes or the
 * syscall's `ret`. Only events pay for this, never the HTTP counting. */
static __always_inline void l7_gather(struct nj_l7_event_large *big, __u64 ret, __u32 limit)
{
	struct pt_regs *regs = syscall_regs(bpf_get_current_task_btf());
	long nr = regs->orig_ax;
	struct l7_gather_ctx g = { .big = big, .vec = (const struct iovec *)regs->si, .count = regs->dx,
				   .ret = ret, .limit = limit, .at = 0 };
	big->captured = 0;
	if (nr == NR_SENDMSG || nr == NR_RECVMSG) {
		struct user_msghdr msg;
		if (bpf_probe_read_user(&msg, sizeof(msg), (void *)g.vec))
			return;
		g.vec = msg.msg_iov;
		g.count = msg.msg_iovlen;
	} else if (nr != NR_WRITEV && nr != NR_READV) {
		return;
	}
	bpf_loop(L7_GATHER_VECTORS + 1, l7_gather_vector, &g, 0);
	big->captured = g.at;
}

/* A pipelining HTTP socket's chunk (L7_HTTP_STREAM): built in a per-CPU scratch record and sent
 * with the length it fills, as HTTP. Such a socket sends an event per chunk both ways (nginx a
 * writev per response): a fixed 4 KB record each would take the ring (and user space) ~20 times the
 * bytes of a typical response. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct nj_l7_event_large);
} stream_scratch SEC(".maps");

static __always_inline void submit_stream(struct sock_state *st, __u32 type, __u32 pid, struct sock *sk,
					  const char *buf, __u64 size, __u64 ret, __u32 role, __u32 peer_pid)
{
	__u32 zero = 0;
	struct nj_l7_event_large *rec = bpf_map_lookup_elem(&stream_scratch, &zero);
	if (!rec)
		return;
	l7_event_head((struct nj_l7_event *)rec, type, pid, sk, ret, 0, L7_HTTP, role, peer_pid);
	/* The socket's chunk number in place of a latency (user space times each exchange from its own
	 * request's event): a gap says an event was dropped, so the stream's messages are not paired
	 * across it. A stream socket counts its chunks in request_bytes, which only the kernel's own
	 * HTTP counting uses. */
	rec->latency_ns = ++st->l7.request_bytes;
	if (size < ret && size < L7_PAYLOAD_LARGE / 2) {
		l7_gather(rec, ret, L7_PAYLOAD_LARGE / 2);
	} else {
		__u32 n = size < L7_PAYLOAD_LARGE ? size : L7_PAYLOAD_LARGE;
		rec->captured = n;
		if (bpf_probe_read_user(rec->payload, n, buf))
			rec->captured = 0;
	}
	__u64 len = rec->captured;
	if (len > L7_PAYLOAD_LARGE)
		len = L7_PAYLOAD_LARGE;
	if (bpf_ringbuf_output(&events, rec, sizeof(*rec) - L7_PAYLOAD_LARGE + len, submit_flags(&events)))
		count_drop();
}

/* An L7 request or response event with the first bytes of its payload. size: the bytes readable at
 * buf (the first vector's, for a vectored syscall); ret: the syscall's whole length. A send or
 * receive longer than the usual capture, of a protocol that asked for more (Redis: a pipeline's
 * commands or replies, which user space counts one by one), and a vectored one whose first vector
 * is shorter than the capture get the larger record. */
static __always_inline void submit(__u32 type, __u32 pid, struct sock *sk, const char *buf, __u64 size, __u64 ret,
				   const struct inflight *in, __u32 protocol, __u32 role, __u32 peer_pid)
{
	__u64 start_ns = in ? in->start_ns : 0;
	int wide = protocol <= L7_MAX_PROTOCOL && ((nj_config.long_capture >> protocol) & 1);
	int scattered = size < ret && size < L7_PAYLOAD;
	if ((wide && size > L7_PAYLOAD) || scattered) {
		struct nj_l7_event_large *big = bpf_ringbuf_reserve(&events, sizeof(*big), 0);
		if (!big) {
			count_drop();
			return;
		}
		l7_event_head((struct nj_l7_event *)big, type, pid, sk, ret, start_ns, protocol, role, peer_pid);
		if (scattered) {
			l7_gather(big, ret, wide ? L7_PAYLOAD_LARGE / 2 : L7_PAYLOAD);
		} else {
			__u32 n = size < L7_PAYLOAD_LARGE ? size : L7_PAYLOAD_LARGE;
			big->captured = n;
			if (bpf_probe_read_user(big->payload, n, buf))
				big->captured = 0;
		}
		bpf_ringbuf_submit(big, submit_flags(&events));
		return;
	}
	struct nj_l7_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_drop();
		return;
	}
	l7_event_head(e, type, pid, sk, ret, start_ns, protocol, role, peer_pid);
	__u32 n = size < L7_PAYLOAD ? size : L7_PAYLOAD;
	e->captured = n;
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
	__u32 method = http_method(head, &mlen);
	if (!method)
		return -1;
	/* Each method is a constant on its own path for the verifier, which would then check the path
	 * hash loop below once per method; through a byte of stack both become merely bounded, so the
	 * paths merge and the loop is checked once (the programs stay well within the verifier's
	 * budget). Two byte stores and loads at run time. */
	volatile __u8 opaque_method = method, opaque_mlen = mlen;
	in->method = opaque_method;
	mlen = opaque_mlen & 7;
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

/* The counters of an HTTP key in this CPU's http_values: the socket's cached slot when the key
 * is the one it counted last, else the key's slot from http_keys (a new key gets the next free
 * slot). 0 when the slots are used up. */
static __always_inline struct http_stats *http_counters(struct http_slot_cache *c, const struct inflight *in,
							 __u16 status, __u32 pid, __u32 role, struct sock *sk,
							 int mirror)
{
	__u32 slot;
	if (c->slot && c->pid == pid && c->status == status && c->method == in->method && c->role == role &&
	    c->path_hash == in->path_hash) {
		slot = c->slot - 1;
		return bpf_map_lookup_elem(&http_values, &slot);
	}
	struct tuple t = {};
	if (read_tuple_btf(sk, &t))
		return 0;
	struct http_key k = {};
	k.pid = pid;
	k.role = role;
	/* A server's port is its socket's own, its peer the client; a client's peer and port are its
	 * destination's. mirror: a server's end counted from its loopback client's socket, whose
	 * destination is the server's port and whose own address the server's peer. */
	k.port = role == ROLE_SERVER && !mirror ? t.sport : t.dport;
	__builtin_memcpy(k.peer, mirror ? t.saddr : t.daddr, 16);
	k.family = t.family;
	k.status = status;
	k.method = in->method;
	k.path_hash = in->path_hash;
	__u32 *known = bpf_map_lookup_elem(&http_keys, &k);
	if (known) {
		slot = *known;
	} else {
		if (http_next_slot >= HTTP_SLOTS)
			return 0;
		slot = __sync_fetch_and_add(&http_next_slot, 1);
		/* The array may be smaller than HTTP_SLOTS (sized by the sensor): past its end, no key. */
		if (!bpf_map_lookup_elem(&http_values, &slot))
			return 0;
		/* Another CPU may have given the same key a slot meanwhile: its slot wins, ours stays unused. */
		if (bpf_map_update_elem(&http_keys, &k, &slot, BPF_NOEXIST)) {
			known = bpf_map_lookup_elem(&http_keys, &k);
			if (!known)
				return 0;
			slot = *known;
		}
	}
	c->path_hash = in->path_hash;
	c->pid = pid;
	c->status = status;
	c->method = in->method;
	c->role = role;
	c->slot = slot + 1;
	return bpf_map_lookup_elem(&http_values, &slot);
}

/* The status of a final response that follows an interim one in the same buffer ("HTTP/1.1 100
 * Continue\r\n\r\nHTTP/1.1 200 OK…": nginx answering a `return` location at once), or 0; *at: where
 * the final response starts. Only an interim response pays for this. */
static __always_inline __u16 http_final_after_interim(const char *buf, __u64 size, __u32 *at)
{
	char h[64];
	__u32 n = size < sizeof(h) ? size : sizeof(h);
	if (n < 16 || bpf_probe_read_user(h, n, buf))
		return 0;
	for (__u32 i = 12; i + 4 <= sizeof(h); i++) {
		if (i + 4 > n)
			return 0;
		if (h[i] != '\r' || h[i + 1] != '\n' || h[i + 2] != '\r' || h[i + 3] != '\n')
			continue;
		char head[12];
		if (i + 4 + sizeof(head) > size || bpf_probe_read_user(head, sizeof(head), buf + i + 4))
			return 0;
		__u16 status = http_status(head);
		*at = i + 4;
		return status >= 200 || status == 101 ? status : 0;
	}
	return 0;
}

/* Adds an exchange to one key's counters (the slot cache c names them) and samples it as a span.
 * mirror: the key is a loopback server's, counted from its client's socket (loopback.h). */
static __always_inline void http_count(struct http_slot_cache *c, const struct inflight *in, __u16 status,
				       __u32 pid, __u32 role, struct sock *sk, int mirror, __u64 latency, __u64 ret,
				       __u64 now)
{
	struct http_stats *st = http_counters(c, in, status, pid, role, sk, mirror);
	if (!st) {
		count_drop();
		return;
	}
	__u64 ms = latency / 1000000;
	__u32 b = ms < 1 ? 0 : ms < 5 ? 1 : ms < 10 ? 2 : ms < 25 ? 3 : ms < 50 ? 4 : ms < 100 ? 5 :
		  ms < 250 ? 6 : ms < 500 ? 7 : ms < 1000 ? 8 : ms < 2500 ? 9 : ms < 5000 ? 10 : ms < 10000 ? 11 : 12;
	/* This CPU's counters (per-CPU array): plain adds. */
	__u64 seen = st->count++;
	st->latency_ns_sum += latency;
	if (b < HTTP_BUCKETS)
		st->buckets[b]++;
	st->request_bytes += in->request_bytes;
	st->response_bytes += ret; /* later chunks: l7_reply_continues() */
	/* Every server error; otherwise the 1st, 2nd, 4th, 8th… exchange of a key on a CPU and then one
	 * in HTTP_SPAN_SAMPLE, so a hot endpoint costs a bounded trickle of events. */
	if (status < 500 && (seen & (seen - 1)) != 0 && seen % HTTP_SPAN_SAMPLE != 0)
		return;
	struct tuple t = {};
	if (read_tuple_btf(sk, &t))
		return;
	struct nj_http_span *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_drop();
		return;
	}
	e->h.type = EV_L7_HTTP_SPAN;
	e->h.pid = pid;
	e->h.ts_ns = now;
	if (mirror) {
		/* as the server's socket names the connection */
		e->t.family = t.family;
		e->t.pad = 0;
		e->t.sport = t.dport;
		e->t.dport = t.sport;
		__builtin_memcpy(e->t.saddr, t.daddr, 16);
		__builtin_memcpy(e->t.daddr, t.saddr, 16);
	} else {
		e->t = t;
	}
	e->latency_ns = latency;
	e->path_hash = in->path_hash;
	e->method = in->method;
	e->status = status;
	e->role = role;
	e->pad = 0;
	bpf_ringbuf_submit(e, submit_flags(&events));
}

/* Counts a completed HTTP exchange in http_values: no event, a few loads and adds. Returns 1 for
 * an interim response (100 Continue, 102, 103 Early Hints: 1xx but 101 Switching Protocols), which
 * leaves the exchange open for its final response. */
static __always_inline int http_response(struct sock_state *sst, const struct inflight *in, const char *buf,
					 __u64 size, __u64 ret, __u32 pid, struct sock *sk, __u32 role)
{
	char head[12];
	if (size < 12 || bpf_probe_read_user(head, sizeof(head), buf))
		return 0;
	__u16 status = http_status(head);
	if (!status)
		return 0;
	if (status < 200 && status != 101) {
		/* The interim response's bytes are not the response's. */
		__u32 at = 0;
		status = http_final_after_interim(buf, size, &at);
		if (!status)
			return 1;
		ret = ret > at ? ret - at : 0;
	}
	/* A client's response ends at its arrival, a server's at this send (the socket's TCP clock
	 * either way). A clock older than the request (never refreshed since) is not used. */
	__u64 now = role == ROLE_CLIENT ? arrival_ns(sk) : sent_ns(sk);
	if (now <= in->start_ns)
		now = bpf_ktime_get_ns();
	__u64 latency = now - in->start_ns;
	http_count(&sst->http, in, status, pid, role, sk, 0, latency, ret, now);
	__u32 server = role == ROLE_CLIENT ? loop_server_pid(sst, sk) : 0;
	if (server)
		http_count(&sst->peer_http, in, status, server, ROLE_SERVER, sk, 1, latency, ret, now);
	return 0;
}

/* Completes the exchange in flight on this socket (the other side's answer has started). */
static __always_inline void complete(struct sock_state *st, struct sock *sk, const char *buf, __u64 size,
				     __u64 ret, __u32 pid)
{
	struct inflight done = st->l7;
	st->l7.start_ns = 0;
	if (done.protocol == L7_HTTP) {
		if (http_response(st, &done, buf, size, ret, pid, sk, done.role))
			st->l7 = done; /* 100 Continue: the final response is still to come */
	} else {
		/* A loopback client's response names its server, whose end user space counts from it. */
		__u32 server = done.role == ROLE_CLIENT ? loop_server_pid(st, sk) : 0;
		if (done.protocol == L7_HTTP_STREAM)
			submit_stream(st, EV_L7_RESPONSE, pid, sk, buf, size, ret, done.role, server);
		else
			submit(EV_L7_RESPONSE, pid, sk, buf, size, ret, &done, done.protocol, done.role, server);
	}
}

/* A pipelining HTTP socket: several requests sent (or received) before the first response. The kernel
 * counts an HTTP exchange from one request and the response that follows it, so such a socket's
 * requests and responses go to user space instead, every chunk as an event (L7_HTTP_STREAM), where
 * they are parsed message by message. Two signs start it: a socket's first send (or receive) that
 * carries a second request after the first one's head (wrk's pipeline script writes its requests in
 * one write; a server reads them in one), found by scanning that first buffer once per socket, and a
 * request while one is in flight, which switches from the socket's next exchange on. */
struct http_scan {
	const char *data;
	__u32 n;
	__u32 end; /* the first head's end ("\r\n\r\n" included), 0 until found */
};

/* 16 positions of the scan (a bpf_loop callback: checked once, not once per position). */
static long http_scan_step(__u64 i, struct http_scan *s)
{
	const char *d = s->data;
	for (int k = 0; k < 16; k++) {
		__u32 p = i * 16 + k;
		if (p >= s->n)
			return 1;
		if (p >= 3 && d[p & (HTTP_SCAN - 1)] == '\n' && d[(p - 1) & (HTTP_SCAN - 1)] == '\r' &&
		    d[(p - 2) & (HTTP_SCAN - 1)] == '\n' && d[(p - 3) & (HTTP_SCAN - 1)] == '\r') {
			s->end = p + 1;
			return 1;
		}
	}
	return 0;
}

/* Whether the first size bytes at buf, which start with an HTTP request, hold the start of another
 * request right after the first one's head. A body that happens to start with a method would be
 * taken for one: its socket's exchanges are then parsed in user space, which is exact too. */
static __always_inline int http_pipelined(const char *buf, __u64 size)
{
	/* two of the shortest requests ("GET / HTTP/1.0\r\n\r\n") */
	if (size < 36)
		return 0;
	__u32 zero = 0;
	struct head_buf *h = bpf_map_lookup_elem(&scratch, &zero);
	if (!h)
		return 0;
	__u32 n = size < HTTP_SCAN ? size : HTTP_SCAN;
	if (bpf_probe_read_user(h->data, n, buf))
		return 0;
	struct http_scan s = { .data = h->data, .n = n, .end = 0 };
	bpf_loop(HTTP_SCAN / 16, http_scan_step, &s, 0);
	if (!s.end || s.end + 4 > n)
		return 0;
	return is_http_request(h->data + (s.end & (HTTP_SCAN - 1)));
}

/* Whether an HTTP request (a client's send, a server's receive) goes to user space as an event:
 * its socket pipelines (see http_scan). */
static __always_inline int http_streams(struct sock_state *st, const char *buf, __u64 size, __u32 n, __u32 role)
{
	if (st && (st->l7_flags & L7_HTTP_EVENTS))
		return 1;
	if (st && st->l7.start_ns && st->l7.role == role && st->l7.protocol == L7_HTTP) {
		/* A second request before the first one's response: this exchange is still counted here as
		 * before (one of the two is lost), the next ones in user space. */
		st->l7_flags |= L7_HTTP_EVENTS;
		return 0;
	}
	/* Only a socket's first request is scanned. */
	return (!st || !st->l7.protocol) && size > n && http_pipelined(buf, size);
}

/* Data that may start a request: a client's send or a server's receive. One short read of the
 * head serves classification, the method and (usually) the path hash; the socket storage already
 * looked up is reused, and created only for the first request a socket carries. */
static __always_inline void maybe_request(struct sock_state *st, struct sock *sk, const char *buf, __u64 size,
					  __u64 ret, __u32 pid, __u32 role)
{
	char head[HEAD_FIRST];
	__u32 n = size < HEAD_FIRST ? size : HEAD_FIRST;
	__u32 protocol = 0;
	if (size >= 6 && !bpf_probe_read_user(head, n, buf))
		protocol = classify_request(head, n);
	if (!protocol) {
		/* More of the request in flight (a body), or of one already answered (a server may answer
		 * before it reads the body: nginx's `return`, an early 413), or not a request: a socket that
		 * never carried one is given up on after a while. */
		if (st && st->l7.role == role && st->l7.protocol == L7_HTTP_STREAM) {
			/* more of a pipelining socket's requests: a body, a batch longer than one send */
			submit_stream(st, EV_L7_REQUEST, pid, sk, buf, size, ret, role, 0);
		} else if (st && st->l7.role == role) {
			if (st->l7.start_ns)
				st->l7.request_bytes = add_bytes(st->l7.request_bytes, ret);
			else if (st->l7.protocol == L7_HTTP)
				http_add_bytes(st, ret, 0);
		} else if (st && !st->l7.protocol && ++st->unmatched >= L7_GIVE_UP) {
			st->l7_flags |= L7_NOT_APP;
		}
		return;
	}
	if (role == ROLE_SERVER && !st)
		st = bpf_sk_storage_get(&sock_state, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (protocol == L7_HTTP && http_streams(st, buf, size, n, role))
		protocol = L7_HTTP_STREAM;
	/* A pipelining server parses its own end: its client may not see the pipelining. */
	if (role == ROLE_SERVER && protocol != L7_HTTP_STREAM && st && loop_server_defers(st, sk, pid))
		return; /* its loopback client counts this exchange and the later ones */
	/* A server's request starts at its arrival, a client's at this send. */
	__u64 start = role == ROLE_SERVER ? arrival_ns(sk) : sent_ns(sk);
	struct inflight fresh = { .start_ns = start ? start : bpf_ktime_get_ns(),
				  .protocol = protocol,
				  .role = role,
				  .request_bytes = add_bytes(0, ret) };
	if (protocol == L7_HTTP && http_request(&fresh, head, n, buf, size, pid, st ? st->l7.path_hash : 0))
		return;
	if (!st)
		st = bpf_sk_storage_get(&sock_state, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (!st)
		return;
	if (role == ROLE_CLIENT && st->l7.start_ns && st->l7.role == ROLE_CLIENT)
		loop_client_pipelines(st, sk);
	if (protocol == L7_HTTP_STREAM)
		fresh.request_bytes = st->l7.request_bytes; /* the chunk count (submit_stream) */
	st->l7 = fresh;
	if (protocol == L7_HTTP_STREAM)
		st->l7_flags |= L7_HTTP_EVENTS;
	if (role == ROLE_CLIENT)
		loop_enter_client(st, sk, pid);
	if (protocol == L7_HTTP_STREAM)
		submit_stream(st, EV_L7_REQUEST, pid, sk, buf, size, ret, role, 0);
	else if (protocol != L7_HTTP)
		submit(EV_L7_REQUEST, pid, sk, buf, size, ret, 0, protocol, role, 0);
}

/* Data leaving a process: a client's request or a server's response. st: the socket's state (looked
 * up once by the caller), or 0 while the socket has none. */
static __always_inline void l7_send(struct sock_state *st, struct sock *sk, const char *buf, __u64 size, __u64 ret,
				    __u32 pid)
{
	if (st && st->l7.start_ns && st->l7.role == ROLE_SERVER) {
		complete(st, sk, buf, size, ret, pid);
		return;
	}
	if (st && st->l7.protocol == L7_HTTP_STREAM && st->l7.role == ROLE_SERVER) {
		/* a pipelining server's next response (or a later chunk of one) */
		submit_stream(st, EV_L7_RESPONSE, pid, sk, buf, size, ret, ROLE_SERVER, 0);
		return;
	}
	maybe_request(st, sk, buf, size, ret, pid, ROLE_CLIENT);
}

/* Data arriving in a process: a server's request or a client's response. */
static __always_inline void l7_receive(struct sock_state *st, struct sock *sk, const char *buf, __u64 size,
				       __u64 ret, __u32 pid)
{
	if (st && st->l7.start_ns && st->l7.role == ROLE_CLIENT) {
		complete(st, sk, buf, size, ret, pid);
		return;
	}
	if (st && st->l7.protocol == L7_HTTP_STREAM && st->l7.role == ROLE_CLIENT) {
		/* a pipelining client's next responses (or a later chunk of one) */
		submit_stream(st, EV_L7_RESPONSE, pid, sk, buf, size, ret, ROLE_CLIENT, st->peer_pid);
		return;
	}
	maybe_request(st, sk, buf, size, ret, pid, ROLE_SERVER);
}

#endif
