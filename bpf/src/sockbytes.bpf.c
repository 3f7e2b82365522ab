// SPDX-License-Identifier: GPL-2.0
/* The exact bytes of open connections, for the sensor's periodic read: an iterator over the
 * sock_state socket storage (sockstate.h), attached to that map by the sensor, writes one record
 * per socket. The bytes live in socket storage because the send/recv path finds it through the
 * socket itself, far cheaper than a hash map on every send and receive; socket storage cannot be
 * walked key by key from user space, an iterator can. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#define NJ_SOCK_STATE_TYPES_ONLY /* the map is handed over at attach time */
#include "sockstate.h"

char LICENSE[] SEC("license") = "GPL";

SEC("iter/bpf_sk_storage_map")
int dump_bytes(struct bpf_iter__bpf_sk_storage_map *ctx)
{
	struct sock *sk = ctx->sk;
	struct sock_state *st = ctx->value;
	if (!sk || !st)
		return 0;
	struct sock_bytes_record r = {
		.sk = (__u64)sk,
		.bytes_sent = st->bytes_sent,
		.bytes_received = st->bytes_received,
	};
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
