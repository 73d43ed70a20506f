#!/usr/bin/env bash
# HTTP benchmark: requests/s and latency percentiles of the API, measured with wrk (Debian) against a
# release `wfa serve` on a temporary private PostgreSQL, for GET /api/v1/status (no auth) and an
# authenticated list (GET /api/v1/users, bearer token checked against storage on each request),
# at 1, 16 and 256 connections. Results go to stdout; record them in docs/benchmarks.md.
#
#   scripts/bench-http.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
duration=${1:-10}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
echo "bench-http: building wfa (release)"
swift build -c release --product wfa >/dev/null

data=$(mktemp -d /tmp/wfa-bench-http.XXXXXX)
chmod 755 "$data"
port=$(free_port)
password="bench-http-passphrase"
WFA_ADMIN_PASSWORD="$password" WFA_ADMIN_EMAIL="admin@bench.test" WFA_LOG_LEVEL=warning \
    .build/release/wfa serve --data-dir "$data" --api-port "$port" --no-syslog >"$data/serve.log" 2>&1 &
server=$!
trap 'kill -INT $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
token=$(wait_and_login "$port" admin@bench.test "$password") || { cat "$data/serve.log" >&2; exit 1; }

printf '%-22s %6s %12s %10s %10s %10s\n' endpoint conns requests/s p50 p99 errors
run() {
    local name=$1 path=$2 connections=$3; shift 3
    local out
    out=$(wrk -t "$(( connections < 2 ? 1 : 2 ))" -c "$connections" -d "${duration}s" --latency "$@" \
        "http://127.0.0.1:$port$path")
    local rps p50 p99 errors
    rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx|Socket errors/ {sub(/^ +/, ""); printf "%s; ", $0}' <<<"$out")
    printf '%-22s %6s %12s %10s %10s %10s\n' "$name" "$connections" "$rps" "$p50" "$p99" "${errors:-none}"
}
for connections in 1 16 256; do
    run "GET /status" /api/v1/status "$connections"
done
for connections in 1 16 256; do
    run "GET /users (bearer)" /api/v1/users "$connections" -H "Authorization: Bearer $token"
done
echo "bench-http: wfa RSS after the runs: $(ps -o rss= -p "$server" | awk '{printf "%.0f MB", $1/1024}')"
