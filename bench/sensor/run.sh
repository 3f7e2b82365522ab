#!/bin/bash
# Sensor overhead on loopback HTTP: wrk against nginx without the sensor, with it, and without
# it again (A-B-A, so drift shows). Prints throughput and p99 ratios, sensor CPU per 10K RPS
# and sensor RSS. Needs root, Debian nginx and wrk, and a built sensor (./mvnw -pl sensors -am package).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-1}
PORT=${PORT:-18080}
SINK_PORT=${SINK_PORT:-18318}
work=$(mktemp -d /tmp/nightjar-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$PORT;
    location / { return 200 "hello from nginx\n"; }
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)

# An OTLP sink that accepts everything, so export costs what it costs against a live backend.
python3 - "$SINK_PORT" <<'PY' &
import sys, http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.send_response(200); self.send_header('Content-Length', '0'); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
PY
pids+=($!)
sleep 1

run_wrk() { # prints "rps p99_ms"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$PORT/" > "$work/wrk.txt"
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$work/wrk.txt")
  echo "$rps $p99"
}
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

wrk -t1 -c10 -d3s "http://127.0.0.1:$PORT/" > /dev/null # warm-up
read -r base1_rps base1_p99 < <(run_wrk)

OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" NIGHTJAR_SENSOR_INTERVAL_MS=5000 \
  NIGHTJAR_SENSOR_BUFFER_DIR="$work/buffer" "$repo/sensors/bin/nightjar-sensor" 2> "$work/sensor.log" &
sensor=$!
pids+=($sensor)
for _ in $(seq 1 100); do grep -q "exporting to" "$work/sensor.log" 2>/dev/null && break; sleep 0.2; done
grep "nightjar-sensor:" "$work/sensor.log" | grep -v exporting >&2
sleep 3 # let the JIT settle on the sensor's own start-up
java_pid=$(pgrep -P "$sensor" java || echo "$sensor")
t0=$(ticks "$java_pid"); s0=$(date +%s.%N)
read -r with_rps with_p99 < <(run_wrk)
t1=$(ticks "$java_pid"); s1=$(date +%s.%N)
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status")
hwm_kb=$(awk '/VmHWM/ {print $2}' "/proc/$java_pid/status")
kill "$sensor"; wait "$sensor" 2>/dev/null || true

read -r base2_rps base2_p99 < <(run_wrk)

hz=$(getconf CLK_TCK)
awk -v b1="$base1_rps" -v b2="$base2_rps" -v w="$with_rps" -v bp1="$base1_p99" -v bp2="$base2_p99" -v wp="$with_p99" \
    -v dt="$(echo "$t1 - $t0" | bc)" -v el="$(echo "$s1 - $s0" | bc)" -v hz="$hz" -v rss="$rss_kb" -v hwm="$hwm_kb" 'BEGIN {
  base = (b1 + b2) / 2; basep = (bp1 + bp2) / 2; cores = dt / hz / el;
  printf "baseline rps (before/after): %.0f / %.0f   with sensor: %.0f\n", b1, b2, w;
  printf "throughput ratio (with / mean baseline): %.3f   (goal >= 0.97)\n", w / base;
  printf "p99 latency ms (before/after): %.3f / %.3f   with sensor: %.3f   ratio: %.2f\n", bp1, bp2, wp, wp / basep;
  printf "sensor CPU: %.3f cores at %.0f RPS = %.4f cores per 10K RPS   (goal <= 0.05)\n", cores, w, cores / (w / 10000);
  printf "sensor RSS: %.1f MB (peak %.1f MB)   (goal <= 150 MB)\n", rss / 1024, hwm / 1024;
}'
