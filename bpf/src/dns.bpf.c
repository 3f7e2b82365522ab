// SPDX-License-Identifier: GPL-2.0
/* Hostname resolution through libc's getaddrinfo: entry and return uprobes pair up per
 * thread; the return walks the result list so user space can name IP destinations. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "nightjar.h"
#include "ringbuf.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET 2
#define AF_INET6 10

/* glibc's struct addrinfo (user-space type, not in the kernel's BTF). */
struct user_addrinfo {
	int ai_flags;
	int ai_family;
	int ai_socktype;
	int ai_protocol;
	__u32 ai_addrlen;
	void *ai_addr;
	char *ai_canonname;
	struct user_addrinfo *ai_next;
};

struct pending {
	__u64 start_ns;
	const char *node;
	struct user_addrinfo **res;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct pending);
} pending SEC(".maps");

NIGHTJAR_EVENTS(256 * 1024)

/* BPF_KPROBE/BPF_KRETPROBE only unpack pt_regs; they serve uprobes too (libbpf 1.1 has no
 * BPF_UPROBE). */
SEC("uprobe/libc.so.6:getaddrinfo")
int BPF_KPROBE(on_getaddrinfo, const char *node, const char *service, const void *hints,
	       struct user_addrinfo **res)
{
	if (!node)
		return 0;
	__u64 id = bpf_get_current_pid_tgid();
	struct pending p = { .start_ns = bpf_ktime_get_ns(), .node = node, .res = res };
	bpf_map_update_elem(&pending, &id, &p, BPF_ANY);
	return 0;
}

SEC("uretprobe/libc.so.6:getaddrinfo")
int BPF_KRETPROBE(on_getaddrinfo_return, int ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct pending *p = bpf_map_lookup_elem(&pending, &id);
	if (!p)
		return 0;
	struct nj_dns_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_drop();
		bpf_map_delete_elem(&pending, &id);
		return 0;
	}
	__u64 now = bpf_ktime_get_ns();
	e->h.type = EV_DNS;
	e->h.pid = id >> 32;
	e->h.ts_ns = now;
	e->latency_ns = now - p->start_ns;
	e->result = ret;
	e->count = 0;
	__builtin_memset(e->name, 0, sizeof(e->name));
	__builtin_memset(e->addrs, 0, sizeof(e->addrs));
	bpf_probe_read_user_str(e->name, sizeof(e->name), p->node);

	struct user_addrinfo *ai = 0;
	if (ret == 0)
		bpf_probe_read_user(&ai, sizeof(ai), p->res);
	__u32 n = 0;
	for (int i = 0; i < DNS_MAX_ADDRS; i++) {
		if (!ai)
			break;
		struct user_addrinfo cur;
		if (bpf_probe_read_user(&cur, sizeof(cur), ai))
			break;
		if (cur.ai_family == AF_INET && cur.ai_addr) {
			struct sockaddr_in sin;
			if (!bpf_probe_read_user(&sin, sizeof(sin), cur.ai_addr)) {
				e->addrs[i].family = AF_INET;
				__builtin_memcpy(e->addrs[i].addr, &sin.sin_addr, 4);
				n = i + 1;
			}
		} else if (cur.ai_family == AF_INET6 && cur.ai_addr) {
			struct sockaddr_in6 sin6;
			if (!bpf_probe_read_user(&sin6, sizeof(sin6), cur.ai_addr)) {
				e->addrs[i].family = AF_INET6;
				__builtin_memcpy(e->addrs[i].addr, &sin6.sin6_addr, 16);
				n = i + 1;
			}
		}
		ai = cur.ai_next;
	}
	e->count = n;
	bpf_map_delete_elem(&pending, &id);
	bpf_ringbuf_submit(e, submit_flags(&events));
	return 0;
}
