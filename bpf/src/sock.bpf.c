// SPDX-License-Identifier: GPL-2.0
/* The socket data path: one program on sock_send_length and one on sock_recv_length serve every
 * feature that looks at data in flight (exact TCP bytes, L7, DNS on UDP port 53). Each attached
 * program costs a dispatch of its own on every send and receive of the machine, and each used to
 * repeat the socket checks and register reads; here the protocol is checked once and each part
 * runs only for the sockets it cares about. Features are switched by `features`, which the sensor
 * sets before load: the verifier then drops the code of a feature that is off, so it costs
 * nothing, and the sensor can retry with a feature left out when the kernel refuses one. */
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

char LICENSE[] SEC("license") = "GPL";

#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define MSG_PEEK 2

/* Bits of `features`; the sensor's SocketPath uses the same values. */
#define SOCK_BYTES 1
#define SOCK_L7 2
#define SOCK_DNS 4

/* In its own section so the sensor finds it by name (.rodata.config) and nothing else shares it. */
const volatile __u32 features SEC(".rodata.config") = 0;

/* L7 events and DNS packets; user space tells them apart by type. */
NIGHTJAR_EVENTS(4 << 20)

#include "user_buffer.h"
#include "l7.h"
#include "dns_udp.h"

/* The first byte a socket carries: make sure net.bpf.c knows the connection (one opened before the
 * sensor started is learned here) and who owns it (an accepted socket whose listener was not
 * known). Once per socket, not per send. */
static __always_inline void learn_conn(struct sock *sk, __u32 pid, struct sock_state *st)
{
	__u64 key = (__u64)sk;
	struct conn *c = bpf_map_lookup_elem(&conns, &key);
	if (!c) {
		struct conn fresh = {};
		if (read_tuple_btf(sk, &fresh.t))
			return;
		fresh.pid = pid;
		bpf_map_update_elem(&conns, &key, &fresh, BPF_NOEXIST);
	} else if (c->pid == 0) {
		c->pid = pid;
	}
	st->known = 1;
}

static __always_inline void tcp_data(struct sock *sk, int ret, int sent)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct sock_state *st = 0;
	if (features & SOCK_BYTES) {
		/* Exact bytes in the socket's own storage: found through the socket, no hashing, and the
		 * client's and server's counters never share a cache line. */
		st = bpf_sk_storage_get(&sock_state, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
		if (st) {
			if (!st->known)
				learn_conn(sk, pid, st);
			if (sent)
				__sync_fetch_and_add(&st->bytes_sent, ret);
			else
				__sync_fetch_and_add(&st->bytes_received, ret);
		}
	} else if (features & SOCK_L7) {
		st = bpf_sk_storage_get(&sock_state, sk, 0, 0);
	}
	if (!(features & SOCK_L7))
		return;
	__u16 family = sk->__sk_common.skc_family;
	if (family != AF_INET && family != AF_INET6)
		return;
	__u64 capacity = 0;
	const char *buf = user_buffer(&capacity);
	if (!buf)
		return;
	__u64 size = capacity < (__u64)ret ? capacity : (__u64)ret;
	struct inflight *in = st ? &st->l7 : 0;
	if (sent)
		l7_send(in, sk, buf, size, pid);
	else
		l7_receive(in, sk, buf, size, pid);
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(on_sock_send, struct sock *sk, int ret, int flags)
{
	if (ret <= 0)
		return 0;
	__u16 protocol = sk->sk_protocol;
	if (protocol == IPPROTO_TCP)
		tcp_data(sk, ret, 1);
	else if (protocol == IPPROTO_UDP && (features & SOCK_DNS) && ret >= DNS_HEADER)
		dns_capture(sk, ret, EV_DNS_QUERY);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(on_sock_recv, struct sock *sk, int ret, int flags)
{
	if (ret <= 0 || (flags & MSG_PEEK))
		return 0;
	__u16 protocol = sk->sk_protocol;
	if (protocol == IPPROTO_TCP)
		tcp_data(sk, ret, 0);
	else if (protocol == IPPROTO_UDP && (features & SOCK_DNS) && ret >= DNS_HEADER)
		dns_capture(sk, ret, EV_DNS_ANSWER);
	return 0;
}
