#!/bin/bash
# Kernel cost of the sensor's BPF programs, build against build: kernel-ab.sh <checkout> <checkout> ...
# Each argument is a checkout with a built sensor (sensors/bin/nightjar-sensor); they run one after the
# other, in the order given, against the same nginx (one worker, `return 200`, or NGINX_SITE=stock): the sensor starts, runs
# SETTLE seconds, then one wrk run (DURATION seconds, 1 thread, 50 connections) is counted with
# kernel.bpf_stats_enabled=1. Prints per checkout: rps, kernel ns per HTTP request (both ends), the
# sensor's CPU ticks during the run and ns per run of each busy program. Give checkouts alternately
# (a b a b) so drift of the machine hits both. Needs root, nginx, wrk, bpftool, python3.
# Example: git archive <commit> | tar -x -C /tmp/before; build it; kernel-ab.sh /tmp/before . /tmp/before .
set -euo pipefail
. "$(dirname "$0")/common.sh"
here=$(cd "$(dirname "$0")" && pwd)
PORT=${PORT:-18090}
SINK_PORT=${SINK_PORT:-18319}
DURATION=${DURATION:-6}
SETTLE=${SETTLE:-6}
work=$(mktemp -d /tmp/nightjar-ab.XXXXXX)
pids=()
cleanup() {
  sysctl -qw kernel.bpf_stats_enabled=0 2>/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
# NGINX_SITE as in run.sh: return200 (default) or stock (Debian's default page through sendfile).
case "${NGINX_SITE:-return200}" in
  return200) http_extra=""; site="location / { return 200 \"hello from nginx\\n\"; }" ;;
  stock) http_extra="sendfile on; tcp_nopush on; include /etc/nginx/mime.types; default_type application/octet-stream; gzip on;"
    site="root /var/www/html; index index.html index.htm index.nginx-debian.html; location / { try_files \$uri \$uri/ =404; }" ;;
  *) echo "NGINX_SITE must be return200 or stock" >&2; exit 1 ;;
esac
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 1024; }
http { access_log off; $http_extra server { listen 127.0.0.1:$PORT; $site } }
CONF
nginx -p "$work" -c "$work/nginx.conf" &
pids+=($!)
start_otlp_sink "$SINK_PORT"
sleep 1
wrk -t1 -c10 -d2s "http://127.0.0.1:$PORT/" > /dev/null # warm-up
for checkout in "$@"; do
  before=$(prog_ids)
  OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" NIGHTJAR_SENSOR_INTERVAL_MS=5000 \
    NIGHTJAR_SENSOR_BUFFER_DIR="$work/buffer" "$checkout/sensors/bin/nightjar-sensor" 2> "$work/sensor.log" &
  sensor=$!
  sleep "$SETTLE"
  sysctl -qw kernel.bpf_stats_enabled=1
  bpftool prog show -j > "$work/a.json"
  t0=$(awk '{print $14+$15}' "/proc/$sensor/stat")
  wrk -t1 -c50 -d"${DURATION}s" "http://127.0.0.1:$PORT/" > "$work/wrk.txt"
  t1=$(awk '{print $14+$15}' "/proc/$sensor/stat")
  bpftool prog show -j > "$work/b.json"
  sysctl -qw kernel.bpf_stats_enabled=0
  kill "$sensor"; wait "$sensor" 2>/dev/null || true
  reqs=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  PYTHONPATH="$here" python3 - "$work/a.json" "$work/b.json" "$reqs" "$before" "$checkout" "$rps" "$((t1 - t0))" <<'PY'
import sys
from bpf_stats_delta import program_deltas
reqs, total, parts = int(sys.argv[3]), 0, []
for name, runs, ns in program_deltas(sys.argv[1], sys.argv[2], set(sys.argv[4].split())):
    total += ns
    if runs > 1000:
        parts.append(f"{name}={ns / runs:.0f}")
print(f"{sys.argv[5]:24s} rps {float(sys.argv[6]):8.0f}  kernel ns/request {total / reqs:5.0f}  "
      f"sensor ticks {sys.argv[7]}  ns/run: " + " ".join(parts))
PY
done
