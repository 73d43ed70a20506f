#!/usr/bin/env bash
# Installs every Debian package wfa needs to build, run and test. Idempotent: packages already
# present are left alone and apt is only consulted when something is missing. With --browser it
# adds headless Chromium and its driver for the browser test.
set -euo pipefail

packages=(
    postgresql postgresql-contrib libpq-dev   # storage (PostgreSQL adapter, embedded default)
    nats-server libnats-dev                   # message bus
    libssl-dev pkg-config                     # TLS, system-library discovery
    python3 procps iproute2 util-linux bsdutils   # the service scripts (free ports, runuser); logger (bsdutils) for syslog tests
    socat openssl                             # syslog-over-TLS test: logger through a TLS tunnel
    esbuild node-d3 node-chart.js             # the browser UI: bundler, graph layout and charts
)
if [[ ${1:-} == --browser ]]; then
    packages+=(chromium chromium-driver)      # the browser test (headless)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ((${#missing[@]} > 0)); then
    echo "install-deps: installing ${missing[*]}"
    sudo_cmd=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
        sudo_cmd=(sudo)
    fi
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
    # Debian's postgresql package starts a system-wide cluster; wfa never uses it.
else
    echo "install-deps: all ${#packages[@]} packages present"
fi

if ! command -v swift >/dev/null; then
    echo "install-deps: the Swift 6 toolchain is not on PATH. Install it from https://www.swift.org/install/linux/" \
        "(Debian 12 tarball) and add its usr/bin to PATH, then run this again." >&2
    exit 1
fi
