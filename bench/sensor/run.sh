#!/bin/bash
# Sensor overhead on loopback HTTP: wrk against nginx at its maximum rate, in ROUNDS interleaved pairs of
# short runs without and with the sensor (the order alternates each round, so drift of a shared machine
# hits both sides alike). The sensor starts fresh before each "with" run and runs SETTLE seconds first. Prints the median and spread of the per-round throughput and p99 ratios, the
# sensor's CPU per 10K RPS and RSS, and - from one extra run with kernel.bpf_stats_enabled=1, which is
# robust to noise because it counts only the sensor's own programs - the kernel CPU per HTTP request.
# NGINX_SITE=return200 (default, the worst case) or stock (Debian's default page; README). Needs root, Debian nginx and wrk, python3, bpftool, curl, and a built sensor (./mvnw -pl sensors -am package).
set -euo pipefail
. "$(dirname "$0")/common.sh"
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# Nine pairs: on a shared virtual machine single rounds swing by 10-20 % (bench/RESULTS.md), and the
# median of nine moves far less than that of five.
ROUNDS=${ROUNDS:-9}
DURATION=${DURATION:-8}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-1}
PORT=${PORT:-18080}
SINK_PORT=${SINK_PORT:-18318}
# Seconds the sensor runs before a measured run: a node sensor is a long-running daemon, and its
# start-up (class loading, JIT, first export) is not what it costs while it runs.
SETTLE=${SETTLE:-15}
work=$(mktemp -d /tmp/nightjar-bench.XXXXXX)
pids=()
sensor=""
cleanup() {
  sysctl -qw kernel.bpf_stats_enabled=0 2>/dev/null || true
  for p in "${pids[@]}" $sensor; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# What nginx serves. return200: "location / { return 200 ... }", the cheapest request nginx has, so the
# sensor's relative cost is the worst case. stock: Debian's default site as installed (root /var/www/html,
# its index list, "location / { try_files $uri $uri/ =404; }", so index.nginx-debian.html through the
# index module and sendfile) with the http settings of Debian's nginx.conf; worker count, logging and
# wrk settings stay the same, so only the site differs.
NGINX_SITE=${NGINX_SITE:-return200}
case "$NGINX_SITE" in
  return200)
    http_extra=""
    site="location / { return 200 \"hello from nginx\\n\"; }" ;;
  stock)
    [[ -f /var/www/html/index.nginx-debian.html ]] || { echo "stock site: /var/www/html/index.nginx-debian.html missing (Debian nginx)" >&2; exit 1; }
    http_extra="sendfile on; tcp_nopush on; types_hash_max_size 2048; include /etc/nginx/mime.types; default_type application/octet-stream; gzip on;"
    site="root /var/www/html; index index.html index.htm index.nginx-debian.html; server_name _; location / { try_files \$uri \$uri/ =404; }" ;;
  *) echo "NGINX_SITE must be return200 or stock" >&2; exit 1 ;;
esac
mkdir -p "$work/nginx/logs"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  $http_extra
  server {
    listen 127.0.0.1:$PORT;
    $site
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)

start_otlp_sink "$SINK_PORT"
sleep 1

# CPU ticks of every user process except this benchmark's own (nginx, the sink, wrk, the sensor): what
# else ran on the machine during a measured run. Processes that start or end within the run are missed.
others() {
  local skip=" $$ ${pids[*]} $(pgrep -P "${pids[0]}" | tr '\n' ' ') ${sensor:-} ${java_pid:-} "
  for f in /proc/[0-9]*/stat; do
    read -r line < "$f" 2>/dev/null || continue
    pid=${line%% *}
    [[ $skip == *" $pid "* ]] && continue
    set -- ${line##*) }
    [[ $pid == 2 || $2 == 2 ]] && continue # kernel threads: softirq and workers serve the benchmark too
    echo "$pid ${12} ${13}"
  done 2>/dev/null
}
other_ticks=0; other_secs=0; other_max=0
run_wrk() { # prints "rps p99_ms requests"; adds what other processes used meanwhile to other_ticks
  others > "$work/others0.txt"; local o0; o0=$(date +%s.%N)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${1:-$DURATION}s" --latency "http://127.0.0.1:$PORT/" > "$work/wrk.txt"
  others > "$work/others1.txt"
  awk 'NR==FNR {t[$1]=$2+$3; next} ($1 in t) {d+=$2+$3-t[$1]} END {print d+0}' \
    "$work/others0.txt" "$work/others1.txt" > "$work/other_ticks.txt"
  echo "$o0 $(date +%s.%N)" > "$work/other_span.txt"
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
  reqs=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' "$work/wrk.txt")
  echo "$rps $p99 $reqs"
}
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
add_others() { # run_wrk runs in a subshell: its figures come back through files
  local t span
  t=$(cat "$work/other_ticks.txt"); span=$(awk '{print $2-$1}' "$work/other_span.txt")
  other_ticks=$((other_ticks + t)); other_secs=$(echo "$other_secs + $span" | bc)
  local cores; cores=$(echo "scale=3; $t / $(getconf CLK_TCK) / $span" | bc)
  if (( $(echo "$cores > $other_max" | bc) )); then other_max=$cores; fi
}

start_sensor() {
  OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" NIGHTJAR_SENSOR_INTERVAL_MS=5000 \
    NIGHTJAR_SENSOR_BUFFER_DIR="$work/buffer" "$repo/sensors/bin/nightjar-sensor" 2> "$work/sensor.log" &
  sensor=$!
  for _ in $(seq 1 100); do grep -q "exporting to" "$work/sensor.log" 2>/dev/null && break; sleep 0.2; done
  sleep "$SETTLE"
  java_pid=$(pgrep -P "$sensor" java || echo "$sensor")
}
stop_sensor() { kill "$sensor"; wait "$sensor" 2>/dev/null || true; sensor=""; }

wrk -t1 -c10 -d3s "http://127.0.0.1:$PORT/" > /dev/null # warm-up
echo "nginx site: $NGINX_SITE ($(curl -s -o /dev/null -w '%{http_code}, %{size_download} bytes' "http://127.0.0.1:$PORT/"))" >&2
: > "$work/rounds.txt"
cpu_ticks=0; cpu_secs=0; cpu_reqs=0; rss_max=0
for round in $(seq 1 "$ROUNDS"); do
  order="without with"
  if (( round % 2 == 0 )); then order="with without"; fi
  for side in $order; do
    if [[ $side == with ]]; then
      start_sensor
      t0=$(ticks "$java_pid"); s0=$(date +%s.%N)
      read -r w_rps w_p99 w_reqs < <(run_wrk)
      add_others
      t1=$(ticks "$java_pid"); s1=$(date +%s.%N)
      rss=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status")
      (( rss > rss_max )) && rss_max=$rss
      cpu_ticks=$((cpu_ticks + t1 - t0)); cpu_secs=$(echo "$cpu_secs + $s1 - $s0" | bc); cpu_reqs=$((cpu_reqs + w_reqs))
      stop_sensor
    else
      read -r b_rps b_p99 _ < <(run_wrk)
      add_others
    fi
  done
  echo "$round $b_rps $w_rps $b_p99 $w_p99" | tee -a "$work/rounds.txt" >&2
done

# Kernel cost per request: the sensor's own BPF programs, counted by the kernel during one more run.
before_ids=$(prog_ids)
start_sensor
grep "nightjar-sensor:" "$work/sensor.log" | grep -v exporting >&2 || true
sysctl -qw kernel.bpf_stats_enabled=1
bpftool prog show -j > "$work/stats0.json"
read -r _ _ s_reqs < <(run_wrk)
bpftool prog show -j > "$work/stats1.json"
sysctl -qw kernel.bpf_stats_enabled=0
stop_sensor

hz=$(getconf CLK_TCK)
PYTHONPATH="$here" python3 - "$work/rounds.txt" "$work/stats0.json" "$work/stats1.json" "$s_reqs" "$before_ids" \
    "$cpu_ticks" "$hz" "$cpu_secs" "$cpu_reqs" "$rss_max" "$other_ticks" "$other_secs" "$other_max" <<'PY'
import statistics, sys
from bpf_stats_delta import program_deltas
rounds = [list(map(float, l.split()[1:])) for l in open(sys.argv[1]) if l.strip()]
ratios = [w / b for b, w, _, _ in rounds]
p99s = [wp / bp for _, _, bp, wp in rounds if bp > 0]
print(f"rounds: {len(rounds)} x {{without, with}} (order alternating)")
for i, (b, w, bp, wp) in enumerate(rounds, 1):
    print(f"  round {i}: without {b:9.0f} rps p99 {bp:6.2f} ms | with {w:9.0f} rps p99 {wp:6.2f} ms | ratio {w/b:.3f}")
med = statistics.median(ratios)
print(f"throughput ratio (with / without): median {med:.3f}, spread {min(ratios):.3f}-{max(ratios):.3f}   (goal >= 0.97: {'met' if med >= 0.97 else 'NOT met'})")
print(f"median rps: without {statistics.median(r[0] for r in rounds):.0f}, with {statistics.median(r[1] for r in rounds):.0f}")
print(f"p99 latency ratio: median {statistics.median(p99s):.2f}, spread {min(p99s):.2f}-{max(p99s):.2f}")
reqs = int(sys.argv[4])
total = 0
print("kernel cost of the sensor's programs (bpf_stats, one run):")
for name, runs, ns in program_deltas(sys.argv[2], sys.argv[3], set(sys.argv[5].split())):
    total += ns
    print(f"  {name:20s} {runs:10d} runs {ns / runs:7.1f} ns/run")
print(f"kernel ns per HTTP request (both ends): {total / reqs:.0f}  ({reqs} requests)")
ticks, hz, secs, creqs, rss = int(sys.argv[6]), int(sys.argv[7]), float(sys.argv[8]), int(sys.argv[9]), int(sys.argv[10])
cores = ticks / hz / secs
rps = creqs / secs
print(f"sensor CPU: {cores:.3f} cores at {rps:.0f} RPS = {cores / (rps / 10000):.4f} cores per 10K RPS   (goal <= 0.05)")
print(f"sensor RSS: {rss / 1024:.1f} MB max over the rounds   (goal <= 150 MB)")
oticks, osecs, omax = int(sys.argv[11]), float(sys.argv[12]), float(sys.argv[13])
print(f"other processes during the measured runs: {oticks / hz / osecs:.3f} cores on average, {omax:.3f} in the busiest run"
      " (everything but nginx, wrk, the sink and the sensor; 0 = the benchmark had the machine)")
PY
