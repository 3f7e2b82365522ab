// SPDX-License-Identifier: GPL-2.0
/* The exact bytes of open connections, for the sensor's periodic read: an iterator over the
 * sock_state socket storage (sockstate.h), attached to that map by the sensor, writes one record
 * per TCP socket with the kernel's own byte counters (tcp_bytes.h). net.bpf.c gives every
 * connection it sees established such storage; walking it reaches every socket the sensor tracks,
 * in every network namespace, each held safely by the iterator (an iter/tcp program would see only
 * the sensor's own namespace). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#define NJ_SOCK_STATE_TYPES_ONLY /* the map is handed over at attach time */
#include "sockstate.h"
#include "tcp_bytes.h"

char LICENSE[] SEC("license") = "GPL";

SEC("iter/bpf_sk_storage_map")
int dump_bytes(struct bpf_iter__bpf_sk_storage_map *ctx)
{
	struct sock *sk = ctx->sk;
	if (!sk)
		return 0;
	struct sock_bytes_record r = { .sk = (__u64)sk };
	if (tcp_app_bytes(sk, &r.bytes_sent, &r.bytes_received))
		return 0;
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
