// SPDX-License-Identifier: GPL-2.0
/* Latency histograms of read, write, epoll_wait and futex per process, aggregated in the
 * kernel (no events). Off by default: futex and epoll are among the busiest syscalls. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "nightjar.h"
#include "ringbuf.h"

char LICENSE[] SEC("license") = "GPL";

#define SYS_READ 0
#define SYS_WRITE 1
#define SYS_EPOLL_WAIT 2
#define SYS_FUTEX 3

struct start {
	__u64 ts;
	__u32 syscall;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct start);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct syscall_key);
	__type(value, struct syscall_hist);
} syscall_hists SEC(".maps");

/* A feature needs a ring buffer to be started by the sensor; this one stays empty. */
NIGHTJAR_EVENTS(4096)

static __always_inline void enter(__u32 syscall)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct start s = { .ts = bpf_ktime_get_ns(), .syscall = syscall };
	bpf_map_update_elem(&starts, &id, &s, BPF_ANY);
}

static __always_inline void leave(__u32 syscall)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct start *s = bpf_map_lookup_elem(&starts, &id);
	if (!s)
		return;
	if (s->syscall != syscall) {
		bpf_map_delete_elem(&starts, &id);
		return;
	}
	__u64 ns = bpf_ktime_get_ns() - s->ts;
	bpf_map_delete_elem(&starts, &id);
	struct syscall_key k = { .pid = id >> 32, .syscall = syscall };
	struct syscall_hist *h = bpf_map_lookup_elem(&syscall_hists, &k);
	if (!h) {
		struct syscall_hist zero = {};
		bpf_map_update_elem(&syscall_hists, &k, &zero, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&syscall_hists, &k);
		if (!h) {
			count_drop();
			return;
		}
	}
	/* slot i counts durations in [2^(i-1), 2^i) microseconds; slot 0 is under 1 us */
	__u64 us = ns / 1000;
	__u32 slot = 0;
	for (int i = 0; i < SYSCALL_SLOTS - 1; i++) {
		if (us == 0)
			break;
		us >>= 1;
		slot++;
	}
	__sync_fetch_and_add(&h->count, 1);
	__sync_fetch_and_add(&h->sum_ns, ns);
	if (slot < SYSCALL_SLOTS)
		__sync_fetch_and_add(&h->slots[slot], 1);
}

SEC("tracepoint/syscalls/sys_enter_read")
int sys_enter_read(void *ctx) { enter(SYS_READ); return 0; }
SEC("tracepoint/syscalls/sys_exit_read")
int sys_exit_read(void *ctx) { leave(SYS_READ); return 0; }
SEC("tracepoint/syscalls/sys_enter_write")
int sys_enter_write(void *ctx) { enter(SYS_WRITE); return 0; }
SEC("tracepoint/syscalls/sys_exit_write")
int sys_exit_write(void *ctx) { leave(SYS_WRITE); return 0; }
SEC("tracepoint/syscalls/sys_enter_epoll_wait")
int sys_enter_epoll_wait(void *ctx) { enter(SYS_EPOLL_WAIT); return 0; }
SEC("tracepoint/syscalls/sys_exit_epoll_wait")
int sys_exit_epoll_wait(void *ctx) { leave(SYS_EPOLL_WAIT); return 0; }
SEC("tracepoint/syscalls/sys_enter_futex")
int sys_enter_futex(void *ctx) { enter(SYS_FUTEX); return 0; }
SEC("tracepoint/syscalls/sys_exit_futex")
int sys_exit_futex(void *ctx) { leave(SYS_FUTEX); return 0; }
