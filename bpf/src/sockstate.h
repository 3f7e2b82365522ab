/* Per-socket state kept in the socket itself (socket storage, freed with the socket): the L7
 * exchange in flight and what the L7 part learned about the socket. The send/recv hot path finds it
 * through the socket with no hashing and no shared cache line. net.bpf.c creates the map and gives
 * every connection it sees established an entry, so sockbytes.bpf.c, which iterates the map, reads
 * the exact bytes of open connections from their tcp_sock (tcp_bytes.h); sock.bpf.c and drops.bpf.c
 * use the same map (libbpf map reuse). */
#ifndef NIGHTJAR_SOCKSTATE_H
#define NIGHTJAR_SOCKSTATE_H

struct inflight {
	__u64 start_ns; /* 0: idle */
	__u32 protocol;
	__u32 role;
	__u32 method;
	__u32 request_bytes; /* of the request in flight so far (saturates) */
	__u64 path_hash; /* kept after completion, so a repeated path is known */
};

/* known: whether the connection has its conns entry (learned on the first byte if it predates us)
 * and whether that entry names the process that uses the socket. An accepted connection is set up
 * in softirq, where the owner is only guessed (the listener's pid: nginx's master, or a process that
 * has since daemonized and exited); the first send or receive, in the process that accepted it,
 * settles the owner. Anything but KNOWN_OWNER sends the socket through learn_conn() once, so the hot
 * path still tests one word. */
#define KNOWN_NO 0
#define KNOWN_OWNER 1
#define KNOWN_OWNER_GUESSED 2

/* l7_flags */
#define L7_NOT_APP 1     /* its first payloads matched no protocol: the L7 part skips the socket */
#define L7_PEER_PARSES 2 /* a loopback server whose client counts both ends (loopback.h): skipped too */
#define L7_LOOP_CLIENT 4 /* a client that entered its connection in loop_pairs */
#define L7_LOOP_NONE 8   /* its peer is not on loopback: no pairing */
#define L7_HTTP_EVENTS 16 /* HTTP that pipelines: its exchanges go to user space as events (l7.h) */
#define L7_SKIP (L7_NOT_APP | L7_PEER_PARSES)

/* The http_values slot of the socket's last counted HTTP exchange and the key parts that vary per
 * exchange (the peer, port and family are the socket's own): the next exchange with the same pid,
 * role, status, method and path — a keep-alive connection's common case — adds to that slot with no
 * hash lookup. */
struct http_slot_cache {
	__u64 path_hash;
	__u32 pid;
	__u16 status;
	__u8 method;
	__u8 role;
	__u32 slot; /* slot + 1; 0: none yet */
	__u32 pad;
};

struct sock_state {
	struct inflight l7;
	__u32 known;     /* KNOWN_* below */
	__u16 unmatched; /* payloads that may have started a request and matched no protocol */
	__u16 l7_flags;  /* L7_* above */
	struct http_slot_cache http;
	/* A loopback client that counts its server's end too (loopback.h): that end's slot, as http is
	 * this end's, and the server's pid once found. */
	struct http_slot_cache peer_http;
	__u32 peer_pid;
	__u8 loop_tries; /* pairing lookups made (a server's requests, a client's responses) */
	__u8 pad;
	__u16 loop_port; /* a paired client's own port: gone from the socket by its close */
};
_Static_assert(sizeof(struct sock_state) == 96, "sock_state layout shared by four objects");

#ifndef NJ_SOCK_STATE_TYPES_ONLY
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sock_state);
} sock_state SEC(".maps");
#endif

/* One record per socket written by sockbytes.bpf.c, read by the sensor's SocketBytes. */
struct sock_bytes_record {
	__u64 sk;
	__u64 bytes_sent;
	__u64 bytes_received;
};
_Static_assert(sizeof(struct sock_bytes_record) == 24, "sock bytes record layout");

#endif
