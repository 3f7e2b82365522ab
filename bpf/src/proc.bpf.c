// SPDX-License-Identifier: GPL-2.0
/* Process lifecycle: fork, exec and exit with exit code and signal, plus the cgroup a
 * process runs in so user space can map it to a container. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "nightjar.h"
#include "ringbuf.h"

char LICENSE[] SEC("license") = "GPL";

NIGHTJAR_EVENTS(1 << 20)

/* The leaf name of the task's cgroup v2 directory, e.g. "cri-containerd-<id>.scope". */
static __always_inline void read_cgroup(struct task_struct *task, char *dst)
{
	const char *name = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, name);
	if (name)
		bpf_probe_read_kernel_str(dst, CGROUP_LEN, name);
}

static __always_inline struct nj_proc_event *reserve(__u32 type, struct task_struct *task)
{
	struct nj_proc_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_drop();
		return 0;
	}
	e->h.type = type;
	e->h.pid = BPF_CORE_READ(task, tgid);
	e->h.ts_ns = bpf_ktime_get_ns();
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = 0;
	__builtin_memset(e->comm, 0, sizeof(e->comm));
	__builtin_memset(e->cgroup, 0, sizeof(e->cgroup));
	e->filename[0] = 0;
	BPF_CORE_READ_STR_INTO(&e->comm, task, comm);
	read_cgroup(task, e->cgroup);
	return e;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	/* New threads share the parent's tgid: only new processes are interesting. */
	if (BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid))
		return 0;
	struct nj_proc_event *e = reserve(EV_PROC_FORK, child);
	if (!e)
		return 0;
	e->ppid = BPF_CORE_READ(parent, tgid);
	bpf_ringbuf_submit(e, submit_flags(&events));
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	struct nj_proc_event *e = reserve(EV_PROC_EXEC, task);
	if (!e)
		return 0;
	const char *filename = BPF_CORE_READ(bprm, filename);
	bpf_probe_read_kernel_str(e->filename, PATH_LEN, filename);
	bpf_ringbuf_submit(e, submit_flags(&events));
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *task)
{
	/* Report the process once, when its last thread leaves. */
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	struct nj_proc_event *e = reserve(EV_PROC_EXIT, task);
	if (!e)
		return 0;
	/* exit_group() records the status for the whole group; a lone exit() or a fatal
	 * signal leaves it in the task. Encoding as wait(2): status << 8 | signal. */
	__u32 code = BPF_CORE_READ(task, signal, group_exit_code);
	if (!code)
		code = BPF_CORE_READ(task, exit_code);
	e->exit_code = code;
	bpf_ringbuf_submit(e, submit_flags(&events));
	return 0;
}
