#!/usr/bin/env python3
"""Loads each variant of probe_costs.bpf.o alone (libbpf through ctypes), attaches it, counts its runs
with kernel.bpf_stats_enabled=1 while a UDP sender sends 300,000 16-byte datagrams on loopback, and
prints ns per run: ROUNDS rounds, the variants interleaved, median last."""
import ctypes, json, os, socket, subprocess, sys

lib = ctypes.CDLL("libbpf.so.1")
for name, res, args in [
    ("bpf_object__open_file", ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_void_p]),
    ("bpf_object__next_program", ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_void_p]),
    ("bpf_program__name", ctypes.c_char_p, [ctypes.c_void_p]),
    ("bpf_program__set_autoload", ctypes.c_int, [ctypes.c_void_p, ctypes.c_bool]),
    ("bpf_object__load", ctypes.c_int, [ctypes.c_void_p]),
    ("bpf_program__attach", ctypes.c_void_p, [ctypes.c_void_p]),
    ("bpf_link__destroy", ctypes.c_int, [ctypes.c_void_p]),
    ("bpf_object__close", None, [ctypes.c_void_p]),
]:
    f = getattr(lib, name)
    f.restype, f.argtypes = res, args

VARIANTS = ["empty", "task_helper_regs", "task_offset_regs", "one_user_read", "two_user_reads"]


def send(count=300_000):
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(("127.0.0.1", 0))
    rx.setblocking(False)
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    payload, to = b"0123456789abcdef", rx.getsockname()
    for i in range(count):
        tx.sendto(payload, to)
        if i % 64 == 0:
            try:
                while True:
                    rx.recv(64)
            except BlockingIOError:
                pass


def ns_per_run(obj_path, variant):
    obj = lib.bpf_object__open_file(obj_path.encode(), None)
    if not obj:
        sys.exit(f"cannot open {obj_path}")
    prog, target = None, None
    while True:
        prog = lib.bpf_object__next_program(obj, prog)
        if not prog:
            break
        mine = lib.bpf_program__name(prog).decode() == variant
        lib.bpf_program__set_autoload(prog, mine)
        target = prog if mine else target
    try:
        if lib.bpf_object__load(obj) != 0:
            sys.exit(f"{variant}: the kernel refused it")
        link = lib.bpf_program__attach(target)
        if not link:
            sys.exit(f"{variant}: cannot attach")
        subprocess.run(["sysctl", "-qw", "kernel.bpf_stats_enabled=1"], check=True)
        try:
            send()
            shown = json.loads(subprocess.run(["bpftool", "prog", "show", "-j"], capture_output=True,
                                              text=True, check=True).stdout)
        finally:
            subprocess.run(["sysctl", "-qw", "kernel.bpf_stats_enabled=0"])
        lib.bpf_link__destroy(link)
        runs = [p for p in shown if p.get("name") in (variant, variant[:15]) and p.get("run_cnt")]
        if not runs:
            sys.exit(f"{variant}: no runs counted (is kernel.bpf_stats_enabled settable here?)")
        return runs[0]["run_time_ns"] / runs[0]["run_cnt"]
    finally:
        lib.bpf_object__close(obj)


def main():
    obj_path, rounds = sys.argv[1], int(os.environ.get("ROUNDS", "3"))
    results = {v: [] for v in VARIANTS}
    for _ in range(rounds):
        for v in VARIANTS:
            results[v].append(ns_per_run(obj_path, v))
    for v in VARIANTS:
        runs = sorted(results[v])
        print(f"{v:18s} ns/run " + " ".join(f"{x:6.1f}" for x in runs) + f"   median {runs[len(runs) // 2]:6.1f}")


main()
