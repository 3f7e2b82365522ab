/* Event layouts shared by the BPF programs and the Java decoders (the sensors module's event decoders).
 * Every event starts with the same 16-byte header; fields are naturally aligned so the
 * Java side can read them at fixed offsets. Change both sides together. */
#ifndef NIGHTJAR_H
#define NIGHTJAR_H

#define EV_TCP_LISTEN 1
#define EV_TCP_LISTEN_CLOSE 2
#define EV_TCP_CONNECTED 3
#define EV_TCP_CONNECT_FAILED 4
#define EV_TCP_ACCEPTED 5
#define EV_TCP_CLOSED 6
#define EV_TCP_RETRANSMIT 7
#define EV_TCP_RESET_SENT 8
#define EV_TCP_RESET_RECEIVED 9
#define EV_PROC_FORK 20
#define EV_PROC_EXEC 21
#define EV_PROC_EXIT 22
#define EV_DNS 30
#define EV_L7_REQUEST 40
#define EV_L7_RESPONSE 41
#define EV_L7_HTTP_PATH 42
#define EV_L7_HTTP_SPAN 43

#define ROLE_UNKNOWN 0
#define ROLE_CLIENT 1
#define ROLE_SERVER 2

struct event_header {
	__u32 type;
	__u32 pid;
	__u64 ts_ns;
};

/* offset 16 */
struct tuple {
	__u16 family;
	__u16 sport;
	__u16 dport;
	__u16 pad;
	__u8 saddr[16];
	__u8 daddr[16];
};

/* 16 + 40 = 56 */
struct nj_tcp_event {
	struct event_header h;
	struct tuple t;
	__u64 sk;
	__u64 duration_ns;
	__u64 bytes_sent;
	__u64 bytes_received;
	__u32 retransmits;
	__s32 error;
	__u32 role;
	__u32 pad;
};

#define COMM_LEN 16
#define CGROUP_LEN 128
#define PATH_LEN 256

struct nj_proc_event {
	struct event_header h;
	__u32 ppid;
	__u32 exit_code;
	char comm[COMM_LEN];
	char cgroup[CGROUP_LEN];
	char filename[PATH_LEN];
	/* exec of a relative filename: the process's working directory when it called execve, so user
	 * space can make the path absolute after a short-lived process is gone; else empty */
	char cwd[PATH_LEN];
};

#define DNS_NAME_LEN 128
#define DNS_MAX_ADDRS 8

struct dns_addr {
	__u32 family;
	__u8 addr[16];
};

struct nj_dns_event {
	struct event_header h;
	__u64 latency_ns;
	__s32 result;
	__u32 count;
	char name[DNS_NAME_LEN];
	struct dns_addr addrs[DNS_MAX_ADDRS];
};

#define L7_PAYLOAD 256
/* HTTP is counted in the kernel (proto_http.h); the sensor numbers the protocols it parses from
 * events 2, 3, … and describes their requests in l7_signature entries (sock.bpf.c's config). */
#define L7_HTTP 1
#define L7_MAX_PROTOCOL 31
/* The in-flight protocol of an HTTP socket that pipelines (l7.h): its exchanges go to user space as
 * events, which carry L7_HTTP. Never an event's protocol. */
#define L7_HTTP_STREAM (L7_MAX_PROTOCOL + 1)

/* The first bytes a request of an event protocol starts with: for each of the first `length`
 * bytes, the range of values it may take ("*[1-9]\r\n$" for a Redis command). Written by the sensor
 * from each protocol's parser before load, so the verifier sees them as constants. */
#define L7_SIGNATURES 32
#define L7_SIGNATURE_BYTES 8

struct l7_signature {
	__u8 lowest[L7_SIGNATURE_BYTES];
	__u8 highest[L7_SIGNATURE_BYTES];
	__u8 length; /* 0: the end of the table */
	__u8 protocol;
	__u8 pad[6];
};
_Static_assert(sizeof(struct l7_signature) == 24, "l7 signature layout");

struct nj_l7_event {
	struct event_header h;
	struct tuple t;
	__u64 latency_ns;
	__u32 fd;
	__u32 protocol;
	__u32 role;
	__u32 size;
	__u32 captured;
	__u32 peer_pid; /* a loopback client's response: its server's pid, which user space counts too */
	char payload[L7_PAYLOAD];
};

/* The same event with a larger payload: for a send or receive longer than L7_PAYLOAD of a protocol
 * that asked for long captures (Redis pipelines: user space counts every command and reply that
 * starts inside), and for a vectored one gathered from several vectors (l7_gather). Only the
 * record's size differs; user space reads `captured` bytes of payload either way. */
#define L7_PAYLOAD_LARGE 4096

struct nj_l7_event_large {
	struct event_header h;
	struct tuple t;
	__u64 latency_ns;
	__u32 fd;
	__u32 protocol;
	__u32 role;
	__u32 size;
	__u32 captured;
	__u32 peer_pid;
	char payload[L7_PAYLOAD_LARGE];
};



/* The Java decoders read these layouts at fixed offsets. */
/* HTTP is aggregated in the kernel (no event per request): the key of http_keys and the value of
 * its slot in http_values (l7.h). A path is hashed with digit-led segments collapsed; the first request
 * with a new hash sends its request line once (EV_L7_HTTP_PATH) so user space can name it. */
#define HTTP_BUCKETS 13

struct http_key {
	__u32 pid;
	__u16 role;
	__u16 port;
	__u8 peer[16];
	__u16 family;
	__u16 status;
	__u32 method;
	__u64 path_hash;
};

struct http_stats {
	__u64 count;
	__u64 latency_ns_sum;
	__u64 buckets[HTTP_BUCKETS];
	__u64 request_bytes;  /* whole messages: request line or status line, headers and body */
	__u64 response_bytes;
};

/* Syscall latency histograms (syscalls.bpf.c), read from the syscall_hists map. */
#define SYSCALL_SLOTS 24

struct syscall_key {
	__u32 pid;
	__u32 syscall;
};

struct syscall_hist {
	__u64 count;
	__u64 sum_ns;
	__u64 slots[SYSCALL_SLOTS];
};

_Static_assert(sizeof(struct syscall_hist) == 208, "syscall histogram layout");
/* A sampled HTTP exchange (every server error, early exchanges of a key, then one in
 * HTTP_SPAN_SAMPLE) for spans. */
#define HTTP_SPAN_SAMPLE 4096

struct nj_http_span {
	struct event_header h;
	struct tuple t;
	__u64 latency_ns;
	__u64 path_hash;
	__u32 method;
	__u32 status;
	__u32 role;
	__u32 pad;
};

_Static_assert(sizeof(struct nj_http_span) == 88, "http span layout");
_Static_assert(sizeof(struct http_key) == 40, "http key layout");
_Static_assert(sizeof(struct http_stats) == 136, "http stats layout");
_Static_assert(sizeof(struct tuple) == 40, "tuple layout");
_Static_assert(sizeof(struct nj_tcp_event) == 104, "tcp event layout");
_Static_assert(sizeof(struct nj_proc_event) == 680, "proc event layout");
_Static_assert(sizeof(struct nj_dns_event) == 320, "dns event layout");
_Static_assert(sizeof(struct nj_l7_event) == 344, "l7 event layout");
_Static_assert(sizeof(struct nj_l7_event_large) == 88 + L7_PAYLOAD_LARGE, "large l7 event layout");
#endif
