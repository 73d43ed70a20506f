#!/usr/bin/env bash
# Builds the browser UI into ui/dist: bundles ui/src with Debian's esbuild against the Debian
# packages of d3 and Chart.js (node-d3, node-chart.js under /usr/share/nodejs), and copies the
# page and styles. `wfa serve` serves ui/dist. Run scripts/install-deps.sh first on a new machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v esbuild >/dev/null || { echo "build-ui: esbuild is missing; run scripts/install-deps.sh" >&2; exit 1; }
rm -rf ui/dist.new
mkdir -p ui/dist.new
NODE_PATH=/usr/share/nodejs esbuild ui/src/main.js --bundle --format=esm --minify --sourcemap \
    --target=chrome100,firefox100,safari15 --log-level=warning --outfile=ui/dist.new/app.js
cp ui/index.html ui/styles.css ui/favicon.svg ui/dist.new/
# Swap the new build in whole, so a running server reloading it never sees half of one.
rm -rf ui/dist.old
if [[ -d ui/dist ]]; then mv ui/dist ui/dist.old; fi
mv ui/dist.new ui/dist
rm -rf ui/dist.old
echo "build-ui: ui/dist ($(du -sh ui/dist | cut -f1))"
