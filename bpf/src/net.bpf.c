// SPDX-License-Identifier: GPL-2.0
/* TCP connection lifecycle, retransmits and resets per process. The exact bytes of a connection
 * are the kernel's own per-socket counters (tcp_bytes.h), read here when it closes; every
 * connection seen established gets its socket storage (sock_state, created here), which
 * sockbytes.bpf.c iterates for the bytes of open ones. Nothing runs per send or receive. Only
 * tracepoints (tp_btf): this kernel family has no kprobes or fentry. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "nightjar.h"
#include "ringbuf.h"
#include "sock_common.h"
#include "conns.h"
#include "sockstate.h"
#include "tcp_bytes.h"

char LICENSE[] SEC("license") = "GPL";

#define IPPROTO_TCP 6

/* Listening port -> owning process, so accepted connections (set up in softirq, where
 * "current" is whoever was interrupted) are attributed to the listener. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u16);
	__type(value, __u32);
} listeners SEC(".maps");

/* Owner of sockets that just closed: an abortive close (SO_LINGER 0) sends its reset after
 * the state has already become CLOSE. */
struct owner {
	__u32 pid;
	__u32 role;
	struct tuple t; /* as it was while connected: disconnect clears the ports */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct owner);
} closed_recently SEC(".maps");

NIGHTJAR_EVENTS(1 << 20)

static __always_inline __u32 current_pid(void)
{
	return bpf_get_current_pid_tgid() >> 32;
}

/* Every program here is tp_btf, so the socket is a BTF pointer read with plain loads. */
static __always_inline int is_tcp(const struct sock *sk)
{
	return sk->sk_protocol == IPPROTO_TCP;
}

/* bytes: the connection's exact sent/received payload bytes (closes), or 0. */
static __always_inline void emit(__u32 type, __u32 pid, __u64 sk, const struct tuple *t,
				 const struct conn *c, const __u64 *bytes, __s32 error, __u32 role)
{
	struct nj_tcp_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_drop();
		return;
	}
	__u64 now = bpf_ktime_get_ns();
	e->h.type = type;
	e->h.pid = pid;
	e->h.ts_ns = now;
	e->t = *t;
	e->sk = sk;
	e->error = error;
	e->role = role;
	e->pad = 0;
	if (c) {
		e->duration_ns = c->start_ns ? now - c->start_ns : 0;
		e->bytes_sent = bytes ? bytes[0] : 0;
		e->bytes_received = bytes ? bytes[1] : 0;
		e->retransmits = c->retransmits;
	} else {
		e->duration_ns = 0;
		e->bytes_sent = 0;
		e->bytes_received = 0;
		e->retransmits = 0;
	}
	bpf_ringbuf_submit(e, submit_flags(&events));
}

/* A connection just established: its socket storage, so sockbytes.bpf.c finds it while it is open.
 * Marked known: conns has it (known is KNOWN_OWNER for a connect, which runs in the owner's context,
 * KNOWN_OWNER_GUESSED for an accepted one, whose owner the socket data path settles). */
static __always_inline void track(const struct sock *sk, __u32 known)
{
	struct sock_state *st = bpf_sk_storage_get(&sock_state, (struct sock *)sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (st)
		st->known = known;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(on_set_state, const struct sock *sk, const int oldstate, const int newstate)
{
	if (!is_tcp(sk))
		return 0;
	__u64 key = (__u64)sk;
	struct tuple t = {};
	if (read_tuple_btf(sk, &t))
		return 0;

	if (newstate == TCP_LISTEN) {
		__u32 pid = current_pid();
		bpf_map_update_elem(&listeners, &t.sport, &pid, BPF_ANY);
		emit(EV_TCP_LISTEN, pid, key, &t, 0, 0, 0, ROLE_SERVER);
		return 0;
	}
	if (oldstate == TCP_LISTEN) {
		/* A child socket is cloned from its listener and leaves LISTEN for SYN_RECV;
		 * only LISTEN -> CLOSE ends the listener. */
		if (newstate != TCP_CLOSE)
			return 0;
		__u32 *owner = bpf_map_lookup_elem(&listeners, &t.sport);
		__u32 pid = owner ? *owner : current_pid();
		bpf_map_delete_elem(&listeners, &t.sport);
		emit(EV_TCP_LISTEN_CLOSE, pid, key, &t, 0, 0, 0, ROLE_SERVER);
		return 0;
	}
	if (newstate == TCP_SYN_SENT) {
		/* connect() runs in the caller's context: "current" is the client. */
		struct conn c = {};
		c.start_ns = bpf_ktime_get_ns();
		c.pid = current_pid();
		c.role = ROLE_CLIENT;
		c.t = t;
		bpf_map_update_elem(&conns, &key, &c, BPF_ANY);
		return 0;
	}
	if (newstate == TCP_ESTABLISHED && oldstate == TCP_SYN_SENT) {
		struct conn *c = bpf_map_lookup_elem(&conns, &key);
		if (!c)
			return 0;
		c->t = t; /* the source address is only final now */
		track(sk, KNOWN_OWNER);
		emit(EV_TCP_CONNECTED, c->pid, key, &t, c, 0, 0, ROLE_CLIENT);
		return 0;
	}
	if (newstate == TCP_ESTABLISHED && oldstate == TCP_SYN_RECV) {
		__u32 *owner = bpf_map_lookup_elem(&listeners, &t.sport);
		struct conn c = {};
		c.start_ns = bpf_ktime_get_ns();
		c.pid = owner ? *owner : 0;
		c.role = ROLE_SERVER;
		c.t = t;
		bpf_map_update_elem(&conns, &key, &c, BPF_ANY);
		/* The listener's pid is a guess: a pre-forked server's workers accept (nginx's master
		 * holds the socket), and a daemon's listener may belong to a parent long gone. */
		track(sk, KNOWN_OWNER_GUESSED);
		emit(EV_TCP_ACCEPTED, c.pid, key, &t, &c, 0, 0, ROLE_SERVER);
		return 0;
	}
	if ((newstate == TCP_FIN_WAIT1 && oldstate == TCP_ESTABLISHED) || newstate == TCP_LAST_ACK) {
		/* The owner closes (close or shutdown, in its own context): a connection opened before
		 * the sensor is learned here at the latest, so its close reports it. */
		if (!bpf_map_lookup_elem(&conns, &key)) {
			__u32 *listener = bpf_map_lookup_elem(&listeners, &t.sport);
			struct conn c = {};
			c.pid = current_pid();
			c.role = listener ? ROLE_SERVER : ROLE_UNKNOWN;
			c.t = t;
			bpf_map_update_elem(&conns, &key, &c, BPF_NOEXIST);
		}
		return 0;
	}
	if (newstate == TCP_CLOSE) {
		struct conn *c = bpf_map_lookup_elem(&conns, &key);
		if (!c)
			return 0;
		if (oldstate == TCP_SYN_SENT) {
			/* ECONNREFUSED after an RST, ETIMEDOUT, EHOSTUNREACH after ICMP, 0 when the
			 * application gave up first. */
			__s32 err = sk->sk_err;
			emit(EV_TCP_CONNECT_FAILED, c->pid, key, &c->t, c, 0, err, ROLE_CLIENT);
		} else if (oldstate != TCP_SYN_RECV) {
			/* Read before tcp_disconnect() (a socket reused for another connect) zeroes them. */
			__u64 bytes[2] = {};
			tcp_app_bytes((struct sock *)sk, &bytes[0], &bytes[1]);
			emit(EV_TCP_CLOSED, c->pid, key, &c->t, c, bytes, 0, c->role);
		}
		struct owner o = { .pid = c->pid, .role = c->role, .t = c->t };
		bpf_map_update_elem(&closed_recently, &key, &o, BPF_ANY);
		bpf_map_delete_elem(&conns, &key);
	}
	return 0;
}

static __always_inline struct owner owner_of(__u64 key)
{
	struct owner o = {};
	struct conn *c = bpf_map_lookup_elem(&conns, &key);
	if (c) {
		o.pid = c->pid;
		o.role = c->role;
		o.t = c->t;
		return o;
	}
	struct owner *gone = bpf_map_lookup_elem(&closed_recently, &key);
	if (gone)
		o = *gone;
	return o;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(on_retransmit, const struct sock *sk, const struct sk_buff *skb)
{
	__u64 key = (__u64)sk;
	struct conn *c = bpf_map_lookup_elem(&conns, &key);
	struct tuple t = {};
	if (read_tuple_btf(sk, &t))
		return 0;
	if (c)
		__sync_fetch_and_add(&c->retransmits, 1);
	emit(EV_TCP_RETRANSMIT, c ? c->pid : 0, key, &t, 0, 0, 0, c ? c->role : ROLE_UNKNOWN);
	return 0;
}

/* With no socket (a SYN to a closed port) the reset answers the packet in skb: read its
 * addresses from the IP and TCP headers, swapped so that source is the side resetting. */
static __always_inline int tuple_from_skb(const struct sk_buff *skb, struct tuple *t)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 nh = BPF_CORE_READ(skb, network_header);
	__u16 th = BPF_CORE_READ(skb, transport_header);
	__u8 vihl;
	if (bpf_probe_read_kernel(&vihl, 1, head + nh))
		return -1;
	struct tcphdr tcp;
	if (bpf_probe_read_kernel(&tcp, sizeof(tcp), head + th))
		return -1;
	t->sport = bpf_ntohs(tcp.dest);
	t->dport = bpf_ntohs(tcp.source);
	if ((vihl >> 4) == 4) {
		struct iphdr ip;
		if (bpf_probe_read_kernel(&ip, sizeof(ip), head + nh))
			return -1;
		t->family = AF_INET;
		__builtin_memcpy(t->saddr, &ip.daddr, 4);
		__builtin_memcpy(t->daddr, &ip.saddr, 4);
		return 0;
	}
	if ((vihl >> 4) == 6) {
		struct ipv6hdr ip6;
		if (bpf_probe_read_kernel(&ip6, sizeof(ip6), head + nh))
			return -1;
		t->family = AF_INET6;
		__builtin_memcpy(t->saddr, &ip6.daddr, 16);
		__builtin_memcpy(t->daddr, &ip6.saddr, 16);
		return 0;
	}
	return -1;
}

SEC("tp_btf/tcp_send_reset")
int BPF_PROG(on_send_reset, const struct sock *sk, const struct sk_buff *skb)
{
	struct tuple t = {};
	__u32 pid = 0, role = ROLE_UNKNOWN;
	__u64 key = (__u64)sk;
	if (sk) {
		if (read_tuple_btf(sk, &t))
			return 0;
		struct owner o = owner_of(key);
		pid = o.pid;
		role = o.role;
		if (o.t.family)
			t = o.t;
	} else if (!skb || tuple_from_skb(skb, &t)) {
		return 0;
	}
	emit(EV_TCP_RESET_SENT, pid, key, &t, 0, 0, 0, role);
	return 0;
}

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(on_receive_reset, struct sock *sk)
{
	struct tuple t = {};
	if (read_tuple_btf(sk, &t))
		return 0;
	__u64 key = (__u64)sk;
	struct owner o = owner_of(key);
	if (o.t.family)
		t = o.t;
	emit(EV_TCP_RESET_RECEIVED, o.pid, key, &t, 0, 0, 0, o.role);
	return 0;
}
