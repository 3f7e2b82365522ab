// SPDX-License-Identifier: GPL-2.0
/* What the pieces of the sensor's send/recv programs cost on this machine, one variant per program,
 * each attached alone to the tracepoint the sensor uses (sock_send_length) and run by a UDP sender
 * of 16-byte datagrams (probe_costs.py); every other send returns after one compare. The sensor's
 * own programs are in bpf/src; these only time their building blocks. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "GPL";

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

__u64 sink SEC(".bss");
__u64 regs_offset SEC(".bss");

#define OURS(sk, ret) ((sk)->sk_protocol == 17 && (ret) == 16)

/* The syscall's saved registers through the helper. */
static __always_inline struct pt_regs *regs_by_helper(struct task_struct *t)
{
	return (struct pt_regs *)bpf_task_pt_regs(t);
}

/* The same from task->stack and an offset learned once (bpf/src/user_buffer.h). */
static __always_inline struct pt_regs *regs_by_offset(struct task_struct *t)
{
	__u64 stack = (__u64)t->stack;
	if (regs_offset)
		return bpf_rdonly_cast((void *)(stack + regs_offset), bpf_core_type_id_kernel(struct pt_regs));
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);
	regs_offset = (__u64)regs - stack;
	return regs;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(empty, struct sock *sk, int ret, int flags)
{
	if (OURS(sk, ret))
		sink++;
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(task_helper_regs, struct sock *sk, int ret, int flags)
{
	if (OURS(sk, ret))
		sink += regs_by_helper(bpf_get_current_task_btf())->si;
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(task_offset_regs, struct sock *sk, int ret, int flags)
{
	if (OURS(sk, ret))
		sink += regs_by_offset(bpf_get_current_task_btf())->si;
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(one_user_read, struct sock *sk, int ret, int flags)
{
	char b[16];
	if (OURS(sk, ret) && !bpf_probe_read_user(b, sizeof(b), (void *)regs_by_offset(bpf_get_current_task_btf())->si))
		sink += b[3];
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(two_user_reads, struct sock *sk, int ret, int flags)
{
	char b[16], c[16];
	if (!OURS(sk, ret))
		return 0;
	const void *p = (void *)regs_by_offset(bpf_get_current_task_btf())->si;
	if (!bpf_probe_read_user(b, sizeof(b), p) && !bpf_probe_read_user(c, sizeof(c), p))
		sink += b[3] + c[4];
	return 0;
}
