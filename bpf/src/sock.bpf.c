// SPDX-License-Identifier: GPL-2.0
/* The socket data path: one program on sock_send_length and one on sock_recv_length serve every
 * feature that looks at data in flight (L7, DNS on UDP port 53, and learning TCP connections that
 * predate the sensor). Exact TCP bytes are not counted here: the kernel keeps them per socket
 * (tcp_bytes.h), and net.bpf.c and sockbytes.bpf.c read them. Each attached
 * program costs a dispatch of its own on every send and receive of the machine, and each used to
 * repeat the socket checks and register reads; here the protocol is checked once and each part
 * runs only for the sockets it cares about. Features are switched by `nj_config.features`, which the
 * sensor sets before load: the verifier then drops the code of a feature that is off, so it costs
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
#define SOCK_STREAM 1

/* Bits of `nj_config.features`; the sensor's SocketPath uses the same values. */
#define SOCK_LEARN 1
#define SOCK_L7 2
#define SOCK_DNS 4

/* Written by the sensor before load (SocketPath): the parts to run, and the request signatures of
 * the protocols parsed in user space (l7.h). One struct, so its layout is fixed; in its own section
 * so the sensor finds it by name (.rodata.config) and nothing else shares it. */
struct sock_config {
	__u32 features;
	__u32 long_capture; /* bit per protocol number: a send or receive over L7_PAYLOAD gets L7_PAYLOAD_LARGE */
	struct l7_signature signatures[L7_SIGNATURES];
};
_Static_assert(sizeof(struct sock_config) == 8 + 24 * L7_SIGNATURES, "sock config layout");

const volatile struct sock_config nj_config SEC(".rodata.config") = {};

/* L7 events and DNS packets; user space tells them apart by type. */
NIGHTJAR_EVENTS(4 << 20)

#include "user_buffer.h"
#include "l7.h"
#include "dns_udp.h"

/* The first byte a socket carries: make sure net.bpf.c knows the connection (one opened before the
 * sensor started is learned here, so its bytes are read while it is open) and who owns it: an
 * accepted socket's owner was guessed in softirq (the listener's pid), and the process sending or
 * receiving here is the one that accepted it, the pid its L7 exchanges are counted against. Once per
 * socket, not per send. */
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
	} else if (c->pid == 0 || st->known == KNOWN_OWNER_GUESSED) {
		c->pid = pid;
	}
	st->known = KNOWN_OWNER;
}

static __always_inline void tcp_data(struct sock *sk, int ret, int sent)
{
	if (!(nj_config.features & (SOCK_LEARN | SOCK_L7)))
		return;
	struct sock_state *st;
	if (nj_config.features & SOCK_LEARN) {
		/* net.bpf.c gives every connection it sees established its storage, already known (an
		 * accepted one with its owner still to settle here). */
		st = bpf_sk_storage_get(&sock_state, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
		if (st && st->known != KNOWN_OWNER)
			learn_conn(sk, bpf_get_current_task_btf()->tgid, st);
	} else {
		st = bpf_sk_storage_get(&sock_state, sk, 0, 0);
	}
	if (!(nj_config.features & SOCK_L7))
		return;
	/* A socket whose first payloads matched no protocol (TLS, unknown ones), or a loopback server whose
	 * client counts both ends (loopback.h): one flag test. */
	if (st && (st->l7_flags & L7_SKIP))
		return;
	__u16 family = sk->__sk_common.skc_family;
	if (family != AF_INET && family != AF_INET6)
		return;
	if (l7_reply_continues(st, ret, sent))
		return;
	/* The task serves the pid and the syscall's registers: one helper call for both, made only
	 * now, so the sends and receives above (a reply's later chunks, TLS, other families) skip it. */
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 pid = task->tgid;
	__u64 capacity = 0;
	const char *buf = user_buffer(task, &capacity);
	if (!buf)
		return;
	__u64 size = capacity < (__u64)ret ? capacity : (__u64)ret;
	if (sent)
		l7_send(st, sk, buf, size, ret, pid);
	else
		l7_receive(st, sk, buf, size, ret, pid);
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(on_sock_send, struct sock *sk, int ret, int flags)
{
	if (ret <= 0)
		return 0;
	__u16 protocol = sk->sk_protocol;
	if (protocol == IPPROTO_TCP && sk->sk_type == SOCK_STREAM)
		tcp_data(sk, ret, 1);
	else if (protocol == IPPROTO_UDP && (nj_config.features & SOCK_DNS) && ret >= DNS_HEADER)
		dns_capture(sk, ret, EV_DNS_QUERY);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(on_sock_recv, struct sock *sk, int ret, int flags)
{
	if (ret <= 0 || (flags & MSG_PEEK))
		return 0;
	__u16 protocol = sk->sk_protocol;
	if (protocol == IPPROTO_TCP && sk->sk_type == SOCK_STREAM)
		tcp_data(sk, ret, 0);
	else if (protocol == IPPROTO_UDP && (nj_config.features & SOCK_DNS) && ret >= DNS_HEADER)
		dns_capture(sk, ret, EV_DNS_ANSWER);
	return 0;
}
