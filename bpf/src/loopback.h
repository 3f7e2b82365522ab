/* Loopback exchanges counted once, on the client's side. When a client and its server talk over
 * loopback, both ends are processes of this host and the sensor used to parse each exchange twice:
 * the client's request and response, and the server's request and response (five user-memory reads
 * per HTTP exchange, nginx's writev alone two). Here the client, which needs one read per message,
 * counts the server's end as well: the server's pid, its role, the client's address as its peer;
 * the latency is the same clock on loopback (the request's send is its arrival, the response's
 * send its arrival). The server's socket then skips L7 with one flag test, as a TLS socket does.
 *
 * The two ends meet in loop_pairs, keyed by the connection's addresses and ports as the client
 * sees them: the client enters itself on its first request and marks the entry on its first
 * response read (so it can read them); the server, on each of its first requests until it finds a
 * marked entry, writes its pid there and stops parsing; the client, on each response until it
 * finds that pid, looks it up and from then on counts the server's end too. An
 * exchange is therefore counted by the server alone (before the meeting) or by the client for both
 * ends (after it), never twice and never not at all; where they never meet (a server that reads
 * with io_uring, a client whose first requests the sensor missed), each end counts its own, as
 * before. A paired client's entry is deleted when its connection closes (drops.bpf.c).
 *
 * A client that sends a request before its previous one's response (redis-cli --pipe writes its
 * closing ECHO while the replies to its batch are on their way) completes both with the first
 * response, possibly before the server has read the second request; a server deferring on that
 * request would leave its end counted by neither side. So a client that pipelines before the ends
 * have met marks the entry, and a server never defers to it: each end counts its own. */
#ifndef NIGHTJAR_LOOPBACK_H
#define NIGHTJAR_LOOPBACK_H

/* Requests a server looks for its client on, responses a client looks for its server on. */
#define LOOP_SERVER_TRIES 4
#define LOOP_CLIENT_TRIES 8

struct loop_key {
	__u8 client[16];
	__u8 server[16];
	__u16 client_port;
	__u16 server_port;
	__u16 family;
	__u16 pad;
	__u32 netns; /* every network namespace has its own loopback, with the same addresses */
	__u32 pad2;
};
_Static_assert(sizeof(struct loop_key) == 48, "loop key layout");

struct loop_pair {
	__u32 client_pid;
	__u32 server_pid; /* 0 until the server has found the entry and stopped parsing */
	__u32 client_reads; /* 1 once the client has read a response: it can count the server's end */
	__u32 client_pipelines; /* 1 once the client sent a request before its previous one's response */
};

/* Bounded by LRU: an entry outlives its connection until pushed out, and a new connection on the
 * same addresses and ports replaces it when its client enters itself. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct loop_key);
	__type(value, struct loop_pair);
} loop_pairs SEC(".maps");

/* 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104 (an IPv4 peer of a dual-stack socket). */
static __always_inline int loopback_address(const __u8 *a, __u16 family)
{
	if (family == AF_INET)
		return a[0] == 127;
	__u64 high = *(const __u64 *)a;
	__u32 third = *(const __u32 *)(a + 8);
	__u32 fourth = *(const __u32 *)(a + 12);
	if (high || (third != 0 && third != bpf_htonl(0xffff)))
		return 0;
	return third ? (fourth & 0xff) == 127 : fourth == bpf_htonl(1);
}

/* One address of the key (a tuple's IPv4 address fills 4 of its 16 bytes, the rest zero), an
 * IPv4-mapped one as plain IPv4, so a dual-stack server's socket and an IPv4 client's name the
 * connection alike. */
static __always_inline void loop_address(__u8 *out, const __u8 *a, __u16 family)
{
	if (family == AF_INET6 && *(const __u64 *)a == 0 && *(const __u32 *)(a + 8) == bpf_htonl(0xffff))
		__builtin_memcpy(out, a + 12, 4);
	else
		__builtin_memcpy(out, a, 16);
}

/* The connection's key from one end's tuple; 0 when the peer is not on loopback. */
static __always_inline int loop_key_of(struct sock *sk, int client, struct loop_key *k)
{
	struct tuple t = {};
	if (read_tuple_btf(sk, &t) || !loopback_address(t.daddr, t.family))
		return 0;
	__builtin_memset(k, 0, sizeof(*k));
	int mapped = t.family == AF_INET6 && *(const __u64 *)t.daddr == 0 &&
		     *(const __u32 *)(t.daddr + 8) == bpf_htonl(0xffff);
	k->family = mapped ? AF_INET : t.family;
	loop_address(client ? k->client : k->server, t.saddr, t.family);
	loop_address(client ? k->server : k->client, t.daddr, t.family);
	k->client_port = client ? t.sport : t.dport;
	k->server_port = client ? t.dport : t.sport;
	k->netns = sk->__sk_common.skc_net.net->ns.inum;
	return 1;
}

/* A client's first request: enter the connection, if its server is on loopback. */
static __always_inline void loop_enter_client(struct sock_state *st, struct sock *sk, __u32 pid)
{
	if (st->l7_flags & (L7_LOOP_CLIENT | L7_LOOP_NONE))
		return;
	struct loop_key k;
	if (!loop_key_of(sk, 1, &k)) {
		st->l7_flags |= L7_LOOP_NONE;
		return;
	}
	struct loop_pair p = { .client_pid = pid };
	if (!bpf_map_update_elem(&loop_pairs, &k, &p, BPF_ANY)) {
		st->l7_flags |= L7_LOOP_CLIENT;
		st->loop_port = k.client_port;
	}
}

/* A client's request while its previous one has no response yet: before the ends have met, the
 * server must not defer to it (see above). */
static __always_inline void loop_client_pipelines(struct sock_state *st, struct sock *sk)
{
	if (!(st->l7_flags & L7_LOOP_CLIENT) || st->peer_pid || st->loop_tries >= LOOP_CLIENT_TRIES)
		return;
	struct loop_key k;
	if (!loop_key_of(sk, 1, &k))
		return;
	struct loop_pair *p = bpf_map_lookup_elem(&loop_pairs, &k);
	if (p)
		p->client_pipelines = 1;
}

/* A server's request, one of its first: 1 when its client counts this connection from now on (the
 * socket is marked to skip L7), 0 when the server goes on parsing. */
static __always_inline int loop_server_defers(struct sock_state *st, struct sock *sk, __u32 pid)
{
	if (st->l7_flags & L7_LOOP_NONE || st->loop_tries >= LOOP_SERVER_TRIES)
		return 0;
	st->loop_tries++;
	struct loop_key k;
	if (!loop_key_of(sk, 0, &k)) {
		st->l7_flags |= L7_LOOP_NONE;
		return 0;
	}
	struct loop_pair *p = bpf_map_lookup_elem(&loop_pairs, &k);
	/* Only to a client that has read a response: one whose responses the sensor cannot read (a
	 * client receiving through io_uring) would count neither end. */
	if (!p || !p->client_reads || p->client_pipelines)
		return 0;
	p->server_pid = pid;
	st->l7_flags |= L7_PEER_PARSES;
	st->l7.start_ns = 0;
	return 1;
}

/* A paired client's connection closed: its entry goes, so a later connection that reuses the
 * addresses and ports cannot meet a server that deferred to this one (drops.bpf.c, on the close).
 * By then the kernel has released the socket's port (inet_put_port runs before the state change is
 * traced): the port comes from the socket's state. */
static __always_inline void loop_forget(struct sock *sk, const struct sock_state *st)
{
	struct loop_key k;
	if (!loop_key_of(sk, 1, &k))
		return;
	k.client_port = st->loop_port;
	bpf_map_delete_elem(&loop_pairs, &k);
}

/* The server's pid for a client that counts its server's end, else 0: remembered in the socket
 * once found, looked up on the client's first responses until then. */
static __always_inline __u32 loop_server_pid(struct sock_state *st, struct sock *sk)
{
	if (!(st->l7_flags & L7_LOOP_CLIENT))
		return 0;
	if (st->peer_pid || st->loop_tries >= LOOP_CLIENT_TRIES)
		return st->peer_pid;
	st->loop_tries++;
	struct loop_key k;
	if (!loop_key_of(sk, 1, &k))
		return 0;
	struct loop_pair *p = bpf_map_lookup_elem(&loop_pairs, &k);
	if (!p)
		return 0;
	p->client_reads = 1;
	if (p->server_pid)
		st->peer_pid = p->server_pid;
	return st->peer_pid;
}

#endif
