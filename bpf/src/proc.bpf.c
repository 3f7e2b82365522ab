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

/* Directory levels (and mount crossings) walked for a working directory: deeper paths are left
 * empty and user space falls back to /proc. A power of two, so an index masks into range. */
#define CWD_DEPTH 32

struct cwd_scratch {
	char buf[2 * PATH_LEN]; /* a name may start anywhere in the first PATH_LEN bytes */
	const unsigned char *names[CWD_DEPTH];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cwd_scratch);
} cwd_scratch SEC(".maps");

struct cwd_walk {
	struct cwd_scratch *s;
	struct dentry *d;
	struct mount *mnt;
	__u64 off;
	int n;
	int done;
};

/* One step from a directory towards the root: its name, or across the mount it is the root of. */
static long cwd_up(__u32 i, struct cwd_walk *w)
{
	struct mount *mnt = w->mnt;
	struct dentry *d = w->d;
	if (d == BPF_CORE_READ(mnt, mnt.mnt_root)) {
		struct mount *parent = BPF_CORE_READ(mnt, mnt_parent);
		if (!parent || parent == mnt) {
			w->done = 1;
			return 1;
		}
		w->d = BPF_CORE_READ(mnt, mnt_mountpoint);
		w->mnt = parent;
		return 0;
	}
	struct dentry *up = BPF_CORE_READ(d, d_parent);
	if (!up || up == d) {
		w->done = 1;
		return 1;
	}
	if (w->n >= CWD_DEPTH)
		return 1;
	w->s->names[w->n & (CWD_DEPTH - 1)] = BPF_CORE_READ(d, d_name.name);
	w->n++;
	w->d = up;
	return 0;
}

/* Appends "/<name>" for the names from the root down. */
static long cwd_append(__u32 i, struct cwd_walk *w)
{
	int j = w->n - 1 - (int)i;
	if (j < 0 || w->off >= PATH_LEN - 1) {
		w->done = 0;
		return 1;
	}
	__u64 at = w->off & (PATH_LEN - 1);
	w->s->buf[at] = '/';
	at = (w->off + 1) & (PATH_LEN - 1);
	barrier_var(at); /* keep the mask where the verifier needs it */
	long r = bpf_probe_read_kernel_str(w->s->buf + at, PATH_LEN, w->s->names[j & (CWD_DEPTH - 1)]);
	if (r <= 1) {
		w->done = 0;
		return 1;
	}
	w->off += r;
	return 0;
}

/* The task's working directory as an absolute path in its own mount namespace (what /proc/<pid>/cwd
 * shows), written to dst (PATH_LEN bytes): the dentries from the directory up to the root, crossing
 * mount points. Left empty when deeper than CWD_DEPTH or longer than PATH_LEN. Exec only: a
 * relative filename ("./tool") is made absolute from it, also for a process gone before user space
 * reads its event, so a crash-looping ./tool is one executable however fast it dies. */
static __always_inline void read_cwd(struct task_struct *task, char *dst)
{
	__u32 zero = 0;
	struct cwd_walk w = {};
	w.s = bpf_map_lookup_elem(&cwd_scratch, &zero);
	if (!w.s)
		return;
	w.d = BPF_CORE_READ(task, fs, pwd.dentry);
	struct vfsmount *vfs = BPF_CORE_READ(task, fs, pwd.mnt);
	if (!w.d || !vfs)
		return;
	w.mnt = (void *)vfs - bpf_core_field_offset(struct mount, mnt);
	bpf_loop(2 * CWD_DEPTH, cwd_up, &w, 0);
	if (!w.done)
		return;
	if (w.n == 0) {
		dst[0] = '/';
		dst[1] = 0;
		return;
	}
	bpf_loop(w.n, cwd_append, &w, 0);
	if (!w.done || w.off >= PATH_LEN)
		return;
	bpf_probe_read_kernel(dst, PATH_LEN, w.s->buf);
	dst[w.off & (PATH_LEN - 1)] = 0;
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
	e->cwd[0] = 0;
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
	if (e->filename[0] != '/')
		read_cwd(task, e->cwd);
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
