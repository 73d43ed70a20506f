#!/usr/bin/env bash
# Runs every test: installs what it needs, starts a private PostgreSQL and nats-server on free
# loopback ports (scripts/services.sh), runs `swift test` against them, and stops them again.
# With CI set, suites that need a server fail instead of skipping when it is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh --browser
echo "test: checking format (swift format lint --strict)"
swift format lint --strict -r Sources Tests Plugins Package.swift
echo "test: building (the first build takes a few minutes)"
swift build --build-tests
scripts/services.sh start
trap 'scripts/services.sh stop' EXIT
# shellcheck disable=SC1091
source .wfa/services/env
swift test --skip-build "$@"
echo "test: API contract (schemathesis against a running wfa serve)"
scripts/contract-test.sh
echo "test: browser (headless Chromium against wfa serve and its UI)"
scripts/browser-test.sh
echo "test: durability (split roles over NATS, processes killed mid-stream)"
scripts/durability-test.sh
