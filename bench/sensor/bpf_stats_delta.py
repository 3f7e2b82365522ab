"""Kernel time of the sensor's BPF programs between two `bpftool prog show -j` snapshots (bpf_stats on)."""
import json


def program_deltas(before_path, after_path, skip_ids):
    """(name, runs, ns) per program present in the later snapshot, programs listed in skip_ids left out."""
    before = {p["id"]: p for p in json.load(open(before_path))}
    out = []
    for p in json.load(open(after_path)):
        if str(p["id"]) in skip_ids or "run_cnt" not in p:
            continue
        q = before.get(p["id"], {})
        runs = p["run_cnt"] - q.get("run_cnt", 0)
        if runs:
            out.append((p.get("name", "?"), runs, p["run_time_ns"] - q.get("run_time_ns", 0)))
    return out
