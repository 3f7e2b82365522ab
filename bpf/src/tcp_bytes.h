/* Exact TCP payload bytes of a connection, read from the counters the kernel keeps in every
 * tcp_sock (RFC 4898's, the ones `ss -ti` prints) instead of being added up on every send and
 * receive: the hot path pays nothing for them. Read when a connection closes (net.bpf.c) and once a
 * second for open ones (sockbytes.bpf.c).
 *
 * - sent: bytes_sent counts every data byte handed to IP, retransmissions included, and bytes_retrans
 *   the retransmitted ones, so the difference is each payload byte once. SYN and FIN carry no
 *   payload and are in neither.
 * - received: bytes_received counts the sequence space taken in order, which includes the peer's FIN
 *   (one sequence number) once it arrived; tcp_fin() sets SOCK_DONE at the same moment, so the FIN
 *   is taken back out. The SYN is not counted (rcv_nxt is set, not advanced, at the handshake).
 *
 * Both are bytes on the wire of this connection, from its start (a connection opened before the
 * sensor included); bytes the application wrote that never left (a reset with data still queued)
 * are not counted. */
#ifndef NIGHTJAR_TCP_BYTES_H
#define NIGHTJAR_TCP_BYTES_H

static __always_inline int tcp_app_bytes(struct sock *sk, __u64 *sent, __u64 *received)
{
	struct tcp_sock *tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return -1;
	*sent = tp->bytes_sent - tp->bytes_retrans;
	__u64 rcv = tp->bytes_received;
	__u64 fin = (sk->__sk_common.skc_flags >> bpf_core_enum_value(enum sock_flags, SOCK_DONE)) & 1;
	*received = rcv >= fin ? rcv - fin : 0;
	return 0;
}

#endif
