#!/usr/bin/env bash
# Load on the shared deployment: `rian serve` on PostgreSQL with the demo study, and wrk
# (Debian `wrk`) on loopback with 64 connections for 60 s, a mix of page views, searches,
# API reads and coding writes (one request in ten, each connection coding a passage and
# then deleting it; mix.lua), signed in as one account. Prints throughput, latency
# percentiles and errors as JSON and as the Markdown row BENCHMARKS.md keeps.
#
#   bash bench/load/run.sh                          # needs a PostgreSQL server
#   RIAN_LOAD_POSTGRES=postgres://user:pass@host/postgres DURATION=60s bash bench/load/run.sh
#   RIAN=/path/to/older/rian bash bench/load/run.sh  # that build instead of this checkout's
#
# The URL names a database its user may create others from; the run creates its own
# (C collation, as rian advises) and drops it afterwards.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
admin=${RIAN_LOAD_POSTGRES:-postgres://rian:rian@127.0.0.1:5432/postgres}
duration=${DURATION:-60s}
connections=${CONNECTIONS:-64}
writes=${WRITES:-10}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
# RIAN names another build to measure (an older one, to compare in the same session).
if [ -z "${RIAN:-}" ]; then
  (cd "$repo" && cargo build --release -q -p rian)
fi
rian=${RIAN:-$repo/target/release/rian}
name="rian_load_$$"
server=${admin%/*}
work=$(mktemp -d)
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  python3 - "$admin" "$name" <<'PY' || true
import subprocess, sys
admin, name = sys.argv[1], sys.argv[2]
subprocess.run(["psql", admin, "-q", "-c", f"DROP DATABASE IF EXISTS {name}"], check=False)
PY
  rm -rf "$work"
}
trap cleanup EXIT
psql "$admin" -q -c "CREATE DATABASE $name TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
db="$server/$name"
"$rian" --data-dir "$work" --db "$db" init --demo >/dev/null
# A shared deployment signs everyone in: the load runs as one account with a Bearer token.
echo "load-test password" | "$rian" --data-dir "$work" --db "$db" user add load --role admin --password-stdin >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$rian" --data-dir "$work" --db "$db" serve --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/login', timeout=1)" 2>/dev/null && break
  sleep 0.1
done
token=$(python3 - "$port" <<'PY'
import json, sys, urllib.request
body = json.dumps({"name": "load", "password": "load-test password"}).encode()
req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/api/v1/session", body, {"Content-Type": "application/json"})
print(json.load(urllib.request.urlopen(req))["token"])
PY
)
# Warm-up: the search index and the page caches, as a server that has been up a while.
wrk -t2 -c8 -d5s -s "$here/mix.lua" "http://127.0.0.1:$port" -- "$writes" "$token" >/dev/null
echo "wrk: 2 threads, $connections connections, $duration, one write in $writes requests (0: none)" >&2
result=$(wrk -t2 -c"$connections" -d"$duration" --latency -s "$here/mix.lua" "http://127.0.0.1:$port" -- "$writes" "$token" | tail -1)
echo "$result"
rss=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$pid/status")
# Writes that landed: codings made and deleted, as the activity log names them.
codings=$(psql "$db" -tAc "SELECT COUNT(*) FROM activity WHERE actor = 'load' AND entity = 'coding'")
python3 - "$result" "$rss" "$codings" "$connections" "$duration" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print(f"| {sys.argv[4]} | {sys.argv[5]} | {r['requests']:,} | {r['per_second']:.0f} | {r['p50_ms']:.1f} | "
      f"{r['p90_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | {int(sys.argv[3]):,} | {sys.argv[2]} MB |")
PY
