# Shared by run.sh and kernel-ab.sh (sourced, not run).

# An OTLP sink that accepts everything, so export costs what it costs against a live backend.
# Usage: start_otlp_sink <port>; its pid is appended to the caller's pids array.
start_otlp_sink() {
  python3 - "$1" <<'PY' &
import sys, http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.send_response(200); self.send_header('Content-Length', '0'); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
PY
  pids+=($!)
}

# The ids of every BPF program loaded now, so a later listing can tell the sensor's own programs apart.
prog_ids() { bpftool prog show -j | python3 -c 'import json,sys; print(" ".join(str(p["id"]) for p in json.load(sys.stdin)))'; }
