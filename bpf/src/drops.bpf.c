// SPDX-License-Identifier: GPL-2.0
/* Mid-response drops: a client's connection closed by the peer (FIN or RST) while a request it
 * sent has no response yet. Reads the request in flight that the socket path's L7 part (l7.h in
 * sock.bpf.c) keeps in socket storage (sock_state) and the owner that net.bpf.c keeps in conns (and
 * closed_recently): the sensor hands this object those maps, and the socket path's loop_pairs
 * (loopback.h), whose entries end with their connections here (libbpf map reuse) instead of creating
 * its own, so the layouts below must stay those of sockstate.h, conns.h, loopback.h and net.bpf.c (a mismatch makes
 * the load fail and only this feature goes off). Fires on state changes only: nothing on the per-request path. A response that started before the peer closed
 * counts as answered: only connections closed before any response byte are drops. */
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
#include "loopback.h"

char LICENSE[] SEC("license") = "GPL";

#define IPPROTO_TCP 6
#define EV_L7_DROP 44

/* Owners of sockets that just closed (net.bpf.c): a reset closes the socket, and net.bpf.c may
 * have moved it out of conns before this program runs. */
struct owner {
	__u32 pid;
	__u32 role;
	struct tuple t;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct owner);
} closed_recently SEC(".maps");

/* Read by the sensor's DropEvent decoder at fixed offsets. */
struct nj_drop_event {
	struct event_header h;
	struct tuple t;
	__u64 waited_ns;
	__u32 protocol;
	__u32 reset;
};
_Static_assert(sizeof(struct nj_drop_event) == 72, "drop event layout");

NIGHTJAR_EVENTS(64 * 1024)

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(on_drop_state, struct sock *sk, const int oldstate, const int newstate)
{
	if (newstate != TCP_CLOSE_WAIT && newstate != TCP_CLOSE)
		return 0;
	if (sk->sk_protocol != IPPROTO_TCP)
		return 0;
	struct sock_state *st = bpf_sk_storage_get(&sock_state, sk, 0, 0);
	/* A loopback client's pairing entry (loopback.h, shared with the socket path) ends with it. */
	if (st && newstate == TCP_CLOSE && (st->l7_flags & L7_LOOP_CLIENT))
		loop_forget(sk, st);
	/* FIN from the peer: ESTABLISHED -> CLOSE_WAIT; RST: ESTABLISHED -> CLOSE. */
	if (oldstate != TCP_ESTABLISHED)
		return 0;
	struct inflight *in = st ? &st->l7 : 0;
	if (!in || !in->start_ns || in->role != ROLE_CLIENT)
		return 0;
	/* The request is cleared when the client reads its first response byte, but the peer's FIN
	 * often arrives right behind a complete response, before the client read it: response
	 * bytes waiting in the receive queue (beyond the FIN's own sequence number) mean the
	 * response came. */
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	__u32 unread = BPF_CORE_READ(tp, rcv_nxt) - BPF_CORE_READ(tp, copied_seq);
	if (newstate == TCP_CLOSE_WAIT && unread > 0)
		unread--;
	if (unread > 0)
		return 0;
	__u64 key = (__u64)sk;
	struct conn *c = bpf_map_lookup_elem(&conns, &key);
	struct owner *gone = c ? 0 : bpf_map_lookup_elem(&closed_recently, &key);
	struct nj_drop_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_drop();
		return 0;
	}
	__u64 now = bpf_ktime_get_ns();
	e->h.type = EV_L7_DROP;
	/* The peer's FIN or RST is handled in softirq: the owner comes from net.bpf.c's map. */
	e->h.pid = c ? c->pid : gone ? gone->pid : 0;
	e->h.ts_ns = now;
	__builtin_memset(&e->t, 0, sizeof(e->t));
	if (c)
		e->t = c->t;
	else if (gone)
		e->t = gone->t;
	else
		read_tuple_btf(sk, &e->t);
	e->waited_ns = now - in->start_ns;
	e->protocol = in->protocol;
	e->reset = newstate == TCP_CLOSE;
	bpf_ringbuf_submit(e, submit_flags(&events));
	return 0;
}
