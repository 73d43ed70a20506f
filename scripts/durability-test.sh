#!/usr/bin/env bash
# The pipeline's durability test: roles split over NATS JetStream, syslog over TCP, and processes
# killed with SIGKILL mid-stream.
#
#   scripts/durability-test.sh [EVENTS] [RATE]     (default 100000 events at 2000/s)
#
# Runs a private nats-server and `wfa serve --role artifact-ingestion` and `--role graph-processor`
# against the database in WFA_TEST_DATABASE_URL (a fresh `wfa_durability` database on that
# server). While a sender streams numbered events, it kills and restarts the graph-processor, then
# the ingestion process, then nats-server. Then it checks:
#   - no event is stored twice;
#   - nothing is missing except one contiguous run at the ingestion kill (what was in flight in
#     the killed connection, never accepted: syslog over TCP has no acknowledgements);
#   - the graph equals a recomputation from the stored artifacts (`wfa db check-graph`).
# Needs a built .build/debug/wfa and scripts/services.sh running.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
: "${WFA_TEST_DATABASE_URL:?run scripts/services.sh start and source .wfa/services/env first}"
events=${1:-100000}
rate=${2:-2000}
wfa=.build/debug/wfa
work=$(mktemp -d /tmp/wfa-durability.XXXXXX)
db=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/wfa_durability")))' "$WFA_TEST_DATABASE_URL")
psql -q "$WFA_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS wfa_durability WITH (FORCE)" -c "CREATE DATABASE wfa_durability"

nats_port=$(free_port)
syslog_port=$(free_port)
nats_url="nats://127.0.0.1:$nats_port"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    for file in "$work"/*.pid; do [[ -f "$file" ]] && kill -9 "$(cat "$file")" 2>/dev/null || true; done
    if [[ "${keep_work:-0}" == 1 ]]; then echo "durability: logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

start_nats() {
    setsid nats-server -a 127.0.0.1 -p "$nats_port" -js -sd "$work/jetstream" -l "$work/nats.log" </dev/null >/dev/null 2>&1 &
    echo $! >"$work/nats.pid"
    for _ in $(seq 1 100); do
        (echo >"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null && return
        sleep 0.1
    done
    echo "durability: nats-server did not start" >&2; tail -n 20 "$work/nats.log" >&2; exit 1
}

start_role() {
    local role=$1; shift
    setsid "$wfa" serve --role "$role" --database "$db" --nats-url "$nats_url" "$@" \
        </dev/null >>"$work/$role.log" 2>&1 &
    echo $! >"$work/$role.pid"
}

kill_hard() {
    kill -9 "$(cat "$work/$1.pid")"
    wait "$(cat "$work/$1.pid")" 2>/dev/null || true
}

progress() { cat "$work/progress" 2>/dev/null || echo 0; }
wait_for_progress() {
    while (( $(progress) < $1 )); do
        kill -0 "$sender" 2>/dev/null || { cat "$work/sender.log" "$work/artifact-ingestion.log" >&2; echo "durability: the sender stopped early" >&2; exit 1; }
        sleep 0.05
    done
}
stored() { psql -qAt "$db" -c "SELECT count(*) FROM artifacts" 2>/dev/null || echo 0; }

keep_work=1
echo "durability: $events events; nats on $nats_port, syslog on $syslog_port, work in $work"
start_nats
start_role graph-processor
start_role artifact-ingestion --syslog-port "$syslog_port"
python3 scripts/durability_sender.py "$syslog_port" "$events" "$work/progress" "$rate" >"$work/sender.log" 2>&1 &
sender=$!
pids+=("$sender")
started=$(date +%s.%N)

wait_for_progress $((events * 20 / 100))
echo "durability: kill -9 graph-processor at event $(progress); stored so far $(stored)"
kill_hard graph-processor
sleep 1
start_role graph-processor

wait_for_progress $((events * 45 / 100))
echo "durability: kill -9 artifact-ingestion at event $(progress)"
kill_hard artifact-ingestion
sleep 1
start_role artifact-ingestion --syslog-port "$syslog_port"

wait_for_progress $((events * 70 / 100))
echo "durability: kill -9 nats-server at event $(progress)"
kill_hard nats
sleep 1
start_nats

wait "$sender" || { cat "$work/sender.log" >&2; echo "durability: the sender failed" >&2; exit 1; }
cat "$work/sender.log"
# Wait until the pipeline has drained: the stored count stops moving for longer than the
# graph-processor's ack wait (30 s), after which a batch the killed process held comes back.
previous=-1; still=0
while (( still < 70 )); do
    [[ "$previous" == "$events" ]] && break
    now=$(stored)
    if [[ "$now" == "$previous" ]]; then still=$((still + 1)); else still=0; previous=$now; fi
    sleep 0.5
done
finished=$(date +%s.%N)
echo "durability: $previous artifacts stored"

psql -qAt "$db" -c "SELECT substring(convert_from(raw, 'UTF8') from 'seq=([0-9]+)') FROM artifacts" >"$work/seqs"
lost_at=$(sed -n 's/.*connection lost at seq \([0-9]*\).*/\1/p' "$work/sender.log" | head -n 1)
python3 - "$events" "$work/seqs" "${lost_at:--1}" <<'PY'
import collections, sys
events, path, lost_at = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
seqs = [int(line) for line in open(path) if line.strip()]
counts = collections.Counter(seqs)
twice = [seq for seq, count in counts.items() if count > 1]
missing = sorted(set(range(events)) - set(counts))
runs = []
for seq in missing:
    if runs and seq == runs[-1][1] + 1:
        runs[-1][1] = seq
    else:
        runs.append([seq, seq])
print(f"durability: {len(counts)} distinct events stored, {len(twice)} stored twice, {len(missing)} missing in {len(runs)} run(s): {runs[:5]}")
if twice:
    sys.exit(f"durability: FAILED: events stored more than once, e.g. {twice[:10]}")
# The one run allowed is the tail of the connection the ingestion kill cut: it ends where the
# sender noticed (its failed batch of 100 included).
if len(runs) > 1 or (runs and not (runs[0][1] < lost_at + 100 and runs[0][1] >= lost_at - 1)):
    sys.exit(f"durability: FAILED: events missing outside the killed ingestion connection (lost at {lost_at})")
PY
# A batch the killed graph-processor had stored but not yet graphed comes back when its ack wait
# (30 s) runs out: check until the graph matches, for up to 90 s.
for attempt in $(seq 1 18); do
    if "$wfa" db check-graph --database "$db" --org default >"$work/check-graph.log" 2>&1; then break; fi
    (( attempt == 18 )) && { head -n 20 "$work/check-graph.log"; echo "durability: FAILED: the graph does not match the artifacts" >&2; exit 1; }
    sleep 5
done
tail -n 2 "$work/check-graph.log"
keep_work=0
echo "durability: passed"
