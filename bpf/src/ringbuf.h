/* How events are handed to user space. A wakeup per event costs the producer (the traced process)
 * an irq_work on its CPU and the sensor a thread switch; on a machine opening hundreds of
 * connections a second that was most of the lifecycle programs' time and of the sensor's own CPU.
 * So events do not wake the sensor, which drains every ring on its own tick (100 ms); a ring more
 * than a quarter full still wakes it at once, so a burst cannot overflow it between two ticks. */
#ifndef NIGHTJAR_RINGBUF_H
#define NIGHTJAR_RINGBUF_H

static __always_inline __u64 submit_flags(void *ring)
{
	__u64 avail = bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA);
	__u64 size = bpf_ringbuf_query(ring, BPF_RB_RING_SIZE);
	return avail > size / 4 ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

#endif
