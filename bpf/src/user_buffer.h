/* The user buffer of the send/recv syscall a socket tracepoint fires in. sock_send_length and
 * sock_recv_length fire inside the syscall, whose arguments are still in the saved user registers:
 * no syscall-wide hook, so other syscalls pay nothing. Numbers and registers are x86-64's. */
#ifndef NIGHTJAR_USER_BUFFER_H
#define NIGHTJAR_USER_BUFFER_H

#define NR_READ 0
#define NR_WRITE 1
#define NR_READV 19
#define NR_WRITEV 20
#define NR_SENDTO 44
#define NR_RECVFROM 45
#define NR_SENDMSG 46
#define NR_RECVMSG 47
#define NR_RECVMMSG 299
#define NR_SENDMMSG 307

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

/* Where a task's saved user registers lie from the base of its kernel stack: the same for every
 * task (task_pt_regs() is the stack's top less the frame), so it is learned from the first
 * bpf_task_pt_regs() call and later runs add it to task->stack instead of calling the helper: a
 * helper call costs ~25 ns per run where returns are expensive (AMD's Safe RET mitigation), and
 * these programs run on every send and receive. 0 until learned; every CPU learns the same value. */
__u64 nj_regs_offset SEC(".bss");

/* The current syscall's saved user registers: loads through the result are checked loads
 * (bpf_rdonly_cast), no helper call per register. */
static __always_inline struct pt_regs *syscall_regs(struct task_struct *task)
{
	__u64 stack = (__u64)task->stack;
	__u64 offset = nj_regs_offset;
	if (offset)
		return bpf_rdonly_cast((void *)(stack + offset), bpf_core_type_id_kernel(struct pt_regs));
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	nj_regs_offset = (__u64)regs - stack;
	return regs;
}

/* Start of the user buffer of the current send/recv syscall (first vector for the vectored ones);
 * task: the current task (bpf_get_current_task_btf). */
static __always_inline const char *user_buffer(struct task_struct *task, __u64 *capacity)
{
	struct pt_regs *regs = syscall_regs(task);
	long nr = regs->orig_ax;
	const char *arg2 = (const char *)regs->si;
	__u64 arg3 = regs->dx; /* loaded here: one load insn may not serve both regs and the stack */
	struct iovec iov;
	switch (nr) {
	case NR_READ:
	case NR_WRITE:
	case NR_RECVFROM:
	case NR_SENDTO:
		*capacity = arg3;
		return arg2;
	case NR_READV:
	case NR_WRITEV:
		if (bpf_probe_read_user(&iov, sizeof(iov), arg2))
			return 0;
		break;
	case NR_SENDMSG:
	case NR_RECVMSG: {
		struct user_msghdr msg;
		if (bpf_probe_read_user(&msg, sizeof(msg), arg2) || !msg.msg_iovlen ||
		    bpf_probe_read_user(&iov, sizeof(iov), msg.msg_iov))
			return 0;
		break;
	}
	default:
		return 0; /* sendfile, splice, io_uring, in-kernel users: no user buffer to read */
	}
	*capacity = iov.iov_len;
	return iov.iov_base;
}

#endif
