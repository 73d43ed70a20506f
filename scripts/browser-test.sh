#!/usr/bin/env bash
# The browser test: headless Chromium (Debian's, driven by Selenium from PyPI through Debian's
# chromedriver) against a running `wfa serve` with the built UI. Signs in, sends a syslog line
# that triggers a rule, waits for the incident to appear in the list without reloading, opens it,
# changes its status, and checks the change through the API. Screenshots of each main page go to
# screenshots/ (git-ignored). Needs the services of scripts/services.sh and a debug build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh
: "${WFA_TEST_DATABASE_URL:?run scripts/services.sh start and source .wfa/services/env first}"

python3 -m pip install -q --disable-pip-version-check 'selenium==4.27.1' 2>&1 | grep -v "Running pip as the 'root' user" || true
scripts/build-ui.sh

browser_url=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/wfa_browser")))' "$WFA_TEST_DATABASE_URL")
psql -q "$WFA_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS wfa_browser WITH (FORCE)" -c "CREATE DATABASE wfa_browser"

port=$(free_port)
ui_port=$(free_port)
syslog_port=$(free_port)
password="browser-test-passphrase"
log=.wfa/browser-serve.log
WFA_ADMIN_PASSWORD="$password" WFA_ADMIN_EMAIL="admin@browser.test" \
    .build/debug/wfa serve --database "$browser_url" --api-port "$port" --ui-port "$ui_port" \
    --syslog-port "$syslog_port" >"$log" 2>&1 &
server=$!
trap 'kill -INT $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
wait_and_login "$port" admin@browser.test "$password" >/dev/null \
    || { echo "browser-test: wfa serve did not come up; its log:" >&2; cat "$log" >&2; exit 1; }

mkdir -p screenshots
python3 scripts/browser_test.py --url "http://127.0.0.1:$ui_port" --syslog-port "$syslog_port" \
    --email admin@browser.test --password "$password" --screenshots screenshots \
    || { echo "browser-test: failed; the server's log:" >&2; tail -50 "$log" >&2; exit 1; }
