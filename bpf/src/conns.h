/* Live TCP connections keyed by the kernel's struct sock address: created by net.bpf.c's state
 * programs, counted by the socket data path (sock.bpf.c, which reuses net's map), read by user space
 * every second for the bytes of open connections and by drops.bpf.c for owners. */
#ifndef NIGHTJAR_CONNS_H
#define NIGHTJAR_CONNS_H

struct conn {
	__u64 start_ns;
	__u64 bytes_sent;
	__u64 bytes_received;
	__u32 pid;
	__u32 retransmits;
	__u32 role;
	__u32 pad;
	struct tuple t;
};
_Static_assert(sizeof(struct conn) == 80, "conn layout read by user space");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct conn);
} conns SEC(".maps");

#endif
