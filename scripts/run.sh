#!/usr/bin/env bash
# Runs the platform: installs what it needs, builds wfa (release), and starts `wfa serve` with its
# embedded PostgreSQL and the demo logs. Extra arguments go to `wfa serve` (try --help).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh
scripts/build-ui.sh
echo "run: building wfa (release; the first build takes a few minutes)"
swift build -c release --product wfa
exec .build/release/wfa serve --demo "$@"
