/* DNS on the wire, as part of the socket data path (sock.bpf.c, which owns the hooks, the events
 * ring buffer and the dropped counter): queries and answers on UDP port 53, read from the send/recv
 * syscall's user buffer (found through the saved registers), so resolvers that bypass libc's
 * getaddrinfo (Go, dig, Java's own client, static binaries) are seen too. User space parses the
 * messages. Only UDP sockets reach this code. */
#ifndef NIGHTJAR_DNS_UDP_H
#define NIGHTJAR_DNS_UDP_H

#define DNS_PORT 53
#define DNS_HEADER 12
#define DNS_PAYLOAD 512
#define MMSG_SCAN 8

#define EV_DNS_QUERY 31
#define EV_DNS_ANSWER 32

/* Read by the sensor's DnsPacket decoder at fixed offsets. */
struct nj_dns_packet {
	struct event_header h;
	__u64 sk;
	__u32 size;
	__u32 captured;
	__u16 family;
	__u16 port;
	__u32 pad;
	__u8 server[16];
	__u8 payload[DNS_PAYLOAD];
};
_Static_assert(sizeof(struct nj_dns_packet) == 568, "dns packet layout");

/* Sockets that sent a query to port 53. An unconnected socket's answer names its source only
 * after the tracepoint (recvfrom/recvmsg copy the address out last): the mark identifies it. */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u8);
} asked SEC(".maps");

/* The peer's address: the connected peer, else the one named in the syscall. */
struct peer {
	__u16 family;
	__u16 port;
	__u8 addr[16];
};

static __always_inline int peer_from_sockaddr(const void *uaddr, struct peer *p)
{
	struct sockaddr_in6 sa = {};
	if (!uaddr || bpf_probe_read_user(&sa, sizeof(sa), uaddr))
		return -1;
	if (sa.sin6_family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&sa;
		p->family = AF_INET;
		p->port = bpf_ntohs(in->sin_port);
		__builtin_memcpy(p->addr, &in->sin_addr, 4);
		return 0;
	}
	if (sa.sin6_family == AF_INET6) {
		p->family = AF_INET6;
		p->port = bpf_ntohs(sa.sin6_port);
		__builtin_memcpy(p->addr, &sa.sin6_addr, 16);
		return 0;
	}
	return -1;
}

/* The user buffer of the current send/recv syscall, and the peer named in its arguments. For
 * sendmmsg/recvmmsg the kernel fills msg_len of each finished entry before starting the next,
 * so the entry in progress is the first one still at 0 (libc zeroes them). */
static __always_inline const char *dns_user_buffer(__u64 *capacity, struct peer *named)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
	long nr = BPF_CORE_READ(regs, orig_ax);
	const char *arg2 = (const char *)PT_REGS_PARM2_CORE(regs);
	struct user_msghdr msg;
	struct iovec iov;
	switch (nr) {
	case NR_READ:
	case NR_WRITE:
		*capacity = PT_REGS_PARM3_CORE(regs);
		return arg2;
	case NR_SENDTO:
	case NR_RECVFROM:
		peer_from_sockaddr((const void *)PT_REGS_PARM5_CORE(regs), named);
		*capacity = PT_REGS_PARM3_CORE(regs);
		return arg2;
	case NR_READV:
	case NR_WRITEV:
		if (bpf_probe_read_user(&iov, sizeof(iov), arg2))
			return 0;
		*capacity = iov.iov_len;
		return iov.iov_base;
	case NR_SENDMSG:
	case NR_RECVMSG:
		if (bpf_probe_read_user(&msg, sizeof(msg), arg2))
			return 0;
		break;
	case NR_SENDMMSG:
	case NR_RECVMMSG: {
		const struct mmsghdr *vec = (const struct mmsghdr *)arg2;
		int found = 0;
		for (int i = 0; i < MMSG_SCAN; i++) {
			__u32 len;
			if (bpf_probe_read_user(&len, sizeof(len), &vec[i].msg_len))
				return 0;
			if (len == 0) {
				if (bpf_probe_read_user(&msg, sizeof(msg), &vec[i].msg_hdr))
					return 0;
				found = 1;
				break;
			}
		}
		if (!found)
			return 0;
		break;
	}
	default:
		return 0;
	}
	if (!msg.msg_iovlen || bpf_probe_read_user(&iov, sizeof(iov), msg.msg_iov))
		return 0;
	if (msg.msg_name)
		peer_from_sockaddr(msg.msg_name, named);
	*capacity = iov.iov_len;
	return iov.iov_base;
}

static __always_inline void dns_capture(struct sock *sk, int ret, __u32 type)
{
	struct peer p = {};
	__u16 family = sk->__sk_common.skc_family;
	if (family != AF_INET && family != AF_INET6)
		return;
	__u16 dport = bpf_ntohs(sk->__sk_common.skc_dport);
	__u64 capacity = 0;
	const char *buf = dns_user_buffer(&capacity, &p);
	if (!buf)
		return;
	if (dport == DNS_PORT) {
		p.family = family;
		p.port = dport;
		if (family == AF_INET) {
			__u32 d = sk->__sk_common.skc_daddr;
			__builtin_memcpy(p.addr, &d, 4);
		} else {
			__builtin_memcpy(p.addr, sk->__sk_common.skc_v6_daddr.in6_u.u6_addr8, 16);
		}
	} else if (p.port != DNS_PORT && !(type == EV_DNS_ANSWER && bpf_sk_storage_get(&asked, sk, 0, 0))) {
		return;
	}
	if (type == EV_DNS_QUERY && dport != DNS_PORT) {
		__u8 *mark = bpf_sk_storage_get(&asked, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
		if (mark)
			*mark = 1;
	}
	__u64 size = capacity < (__u64)ret ? capacity : (__u64)ret;
	if (size < DNS_HEADER)
		return;
	struct nj_dns_packet *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_drop();
		return;
	}
	e->h.type = type;
	e->h.pid = bpf_get_current_pid_tgid() >> 32;
	e->h.ts_ns = bpf_ktime_get_ns();
	e->sk = (__u64)sk;
	e->size = size;
	__u32 n = size < DNS_PAYLOAD ? size : DNS_PAYLOAD;
	e->captured = n;
	e->family = p.family;
	e->port = p.port;
	e->pad = 0;
	__builtin_memcpy(e->server, p.addr, 16);
	if (bpf_probe_read_user(e->payload, n, buf))
		e->captured = 0;
	bpf_ringbuf_submit(e, submit_flags(&events));
}

#endif
