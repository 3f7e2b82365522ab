#!/bin/bash
# What the building blocks of the sensor's send/recv programs cost on this machine: an empty
# program, the task and its saved registers (helper or learned offset), one and two 16-byte user
# reads (README). Needs root, clang, bpftool, Debian's libbpf1 and python3.
set -euo pipefail
here=$(cd "$(dirname "$0")/probe-costs" && pwd)
work=$(mktemp -d /tmp/nightjar-probe-costs.XXXXXX)
trap 'rm -rf "$work"' EXIT
bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$work/vmlinux.h"
clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -I"$work" -c "$here/probe_costs.bpf.c" -o "$work/probe_costs.bpf.o"
python3 "$here/probe_costs.py" "$work/probe_costs.bpf.o"
