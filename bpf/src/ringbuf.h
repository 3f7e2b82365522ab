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

/* The ring buffer an object hands its events to user space through, and the count of events lost
 * because it was full (user space exports it), in one place for every object. */
#define NIGHTJAR_EVENTS(ring_bytes)                                      \
	struct {                                                         \
		__uint(type, BPF_MAP_TYPE_RINGBUF);                      \
		__uint(max_entries, ring_bytes);                         \
	} events SEC(".maps");                                           \
	struct {                                                         \
		__uint(type, BPF_MAP_TYPE_ARRAY);                        \
		__uint(max_entries, 1);                                  \
		__type(key, __u32);                                      \
		__type(value, __u64);                                    \
	} dropped SEC(".maps");                                          \
	static __always_inline void count_drop(void)                     \
	{                                                                \
		__u32 zero = 0;                                          \
		__u64 *d = bpf_map_lookup_elem(&dropped, &zero);         \
		if (d)                                                   \
			__sync_fetch_and_add(d, 1);                      \
	}

#endif
