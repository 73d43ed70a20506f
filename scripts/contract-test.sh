#!/usr/bin/env bash
# Checks the running API against openapi/openapi.yaml with schemathesis (PyPI): every operation is
# called with the document's examples, generated valid data and generated invalid data; any 5xx, any
# response the document does not describe, and any accepted invalid request fails the run.
# Needs WFA_TEST_DATABASE_URL (scripts/services.sh start) and a built .build/debug/wfa.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
: "${WFA_TEST_DATABASE_URL:?run scripts/services.sh start and source .wfa/services/env first}"

python3 -m pip install -q --disable-pip-version-check 'schemathesis==4.32.5' 2>&1 | grep -v "Running pip as the 'root' user" || true

# A fresh database each run, so what one run changed cannot steer the next.
contract_url=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/wfa_contract")))' "$WFA_TEST_DATABASE_URL")
psql -q "$WFA_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS wfa_contract WITH (FORCE)" -c "CREATE DATABASE wfa_contract"

port=$(free_port)
syslog_port=$(free_port)
password="contract-test-passphrase"
log=.wfa/contract-serve.log
WFA_ADMIN_PASSWORD="$password" WFA_ADMIN_EMAIL="admin@contract.test" \
    .build/debug/wfa serve --database "$contract_url" --api-port "$port" --syslog-port "$syslog_port" >"$log" 2>&1 &
server=$!
trap 'kill -INT $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT

token=$(wait_and_login "$port" admin@contract.test "$password") || { echo "contract-test: wfa serve did not come up; its log:" >&2; cat "$log" >&2; exit 1; }

# Ingestion end to end on the real server and database: logger over UDP and TCP (octet counting),
# and `wfa import` of the vendor fixtures through POST /api/v1/artifacts with an API key.
echo "contract-test: ingestion end to end (logger, wfa import)"
logger -n 127.0.0.1 -P "$syslog_port" -d --rfc5424 -t sshd "Failed password for root from 203.0.113.9 port 50000 ssh2"
logger -n 127.0.0.1 -P "$syslog_port" -T --octet-count --rfc3164 -t sshd "Failed password for admin from 203.0.113.10 port 50001 ssh2"
api_key=$(python3 - "$port" "$token" <<'PY'
import json, sys, urllib.request
request = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/api/v1/api-keys", method="POST",
    data=json.dumps({"name": "contract-import", "role_id": "admin"}).encode(),
    headers={"Content-Type": "application/json", "Authorization": f"Bearer {sys.argv[2]}"})
print(json.load(urllib.request.urlopen(request))["data"]["key"])
PY
)
fixtures=(fixtures/parsing/*.log fixtures/parsing/*.json)
WFA_API_KEY="$api_key" .build/debug/wfa import --server "http://127.0.0.1:$port" "${fixtures[@]}"
expected=$(cat fixtures/parsing/*.expected.jsonl | wc -l)
count() { psql -qtA "$contract_url" -c "$1"; }
for _ in $(seq 50); do
    [[ $(count "SELECT count(*) FROM artifacts WHERE source LIKE 'syslog-%'") == 2 ]] && break
    sleep 0.1
done
syslog_count=$(count "SELECT count(*) FROM artifacts WHERE source LIKE 'syslog-%' AND message_type = 'auth_failure'")
file_count=$(count "SELECT count(*) FROM artifacts WHERE source LIKE 'file:%'")
echo "contract-test: stored $syslog_count syslog artifacts (want 2) and $file_count imported ones (want $expected)"
[[ $syslog_count == 2 && $file_count == "$expected" ]] || { echo "contract-test: ingestion lost messages" >&2; exit 1; }

# The incident workflow through the CLI: the two sshd failures above open an incident for their
# address; an analyst works it with `wfa incidents` and `wfa work-units`, and its timeline shows it.
echo "contract-test: incident workflow through the wfa CLI"
wfa_cli() { WFA_API_KEY="$api_key" .build/debug/wfa "$@" --server "http://127.0.0.1:$port"; }
incident=""
for _ in $(seq 100); do
    incident=$(wfa_cli incidents list --output json | python3 -c 'import json, sys; items = json.load(sys.stdin)["items"]; print(next((i["id"] for i in items if "203.0.113.9" in i["title"]), ""))')
    [[ -n $incident ]] && break
    sleep 0.1
done
[[ -n $incident ]] || { echo "contract-test: no incident for 203.0.113.9" >&2; exit 1; }
wfa_cli incidents status "$incident" 2 --note "triaging"
wfa_cli incidents status "$incident" 5 --expected 2
if wfa_cli incidents status "$incident" 4 2>/dev/null; then
    echo "contract-test: a disrupted incident was re-labelled closed" >&2; exit 1
fi
wfa_cli work-units add "$incident" --title "Block 203.0.113.9 at the edge" --priority 1 >/dev/null
unit=$(wfa_cli work-units list "$incident" --output json | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
wfa_cli work-units update "$unit" --status complete --add-minutes 10 | grep -q "complete, priority 1, 10 min"
timeline=$(wfa_cli incidents timeline "$incident")
for expected in "Incident opened" "Authentication Failure" "to 2 (investigating)" "to 5 (disrupted)" "Note by"; do
    grep -q "$expected" <<<"$timeline" || { echo "contract-test: timeline lacks '$expected':" >&2; echo "$timeline" >&2; exit 1; }
done

# A fixed seed keeps CI deterministic; run with SCHEMATHESIS_SEED unset locally to explore.
schemathesis --config-file scripts/schemathesis.toml run openapi/openapi.yaml --url "http://127.0.0.1:$port/api/v1" \
    --header "Authorization: Bearer $token" --checks all --max-examples 50 \
    --seed "${SCHEMATHESIS_SEED:-20261121}"
