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
password="contract-test-passphrase"
log=.wfa/contract-serve.log
WFA_ADMIN_PASSWORD="$password" WFA_ADMIN_EMAIL="admin@contract.test" \
    .build/debug/wfa serve --database "$contract_url" --api-port "$port" >"$log" 2>&1 &
server=$!
trap 'kill -INT $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT

token=$(wait_and_login "$port" admin@contract.test "$password") || { echo "contract-test: wfa serve did not come up; its log:" >&2; cat "$log" >&2; exit 1; }

# A fixed seed keeps CI deterministic; run with SCHEMATHESIS_SEED unset locally to explore.
schemathesis run openapi/openapi.yaml --url "http://127.0.0.1:$port/api/v1" \
    --header "Authorization: Bearer $token" --checks all --max-examples 50 \
    --seed "${SCHEMATHESIS_SEED:-20261121}"
