#!/usr/bin/env bash
# Starts and stops a private PostgreSQL cluster and a nats-server (JetStream) for this checkout,
# on free loopback ports, with their data under .wfa/services (git-ignored). No system-wide
# service is used. When run as root, PostgreSQL runs as the `postgres` system user.
#
#   scripts/services.sh start    # prints and writes .wfa/services/env (WFA_TEST_DATABASE_URL, WFA_TEST_NATS_URL)
#   scripts/services.sh stop
#   scripts/services.sh status
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
state="$root/.wfa/services"
env_file="$state/env"
mkdir -p "$state"
source "$root/scripts/lib.sh"

pg_bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n "$dir" && -x "$dir/initdb" ]] || { echo "services: PostgreSQL server binaries not found; run scripts/install-deps.sh" >&2; exit 1; }
    echo "$dir"
}

# Runs a PostgreSQL command as the cluster owner: ourselves, or `postgres` when we are root
# (PostgreSQL refuses to run as root).
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The cluster directory. As root it must be reachable by the postgres user; a checkout under a
# private home (/root is 0700) is not, so the cluster then lives under /var/tmp, keyed by checkout.
pg_dir() {
    local dir="$state/postgres"
    if [[ $(id -u) -eq 0 ]] && ! runuser -u postgres -- test -x "$state" 2>/dev/null; then
        dir="/var/tmp/wfa-services-$(echo -n "$root" | md5sum | cut -c1-12)/postgres"
    fi
    echo "$dir"
}

start_postgres() {
    local bindir dir port
    bindir=$(pg_bindir)
    dir=$(pg_dir)
    if [[ -f "$state/postgres.port" ]] && as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        echo "services: PostgreSQL already running on port $(cat "$state/postgres.port")"
        return
    fi
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$dir"
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
        as_owner "$bindir/initdb" -D "$dir/data" -U wfa --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    port=$(free_port)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200" \
        start >/dev/null || { tail -n 20 "$dir/postgres.log" >&2; exit 1; }
    as_owner "$bindir/psql" -h 127.0.0.1 -p "$port" -U wfa -d postgres -qAtc "SELECT 1 FROM pg_database WHERE datname='wfa'" \
        | grep -q 1 || as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U wfa wfa
    echo "$port" >"$state/postgres.port"
    echo "$dir" >"$state/postgres.dir"
    echo "services: PostgreSQL $(basename "$(dirname "$bindir")") on 127.0.0.1:$port (data $dir/data)"
}

start_nats() {
    local dir="$state/nats" port
    if [[ -f "$dir/nats.pid" ]] && kill -0 "$(cat "$dir/nats.pid")" 2>/dev/null; then
        echo "services: nats-server already running on port $(cat "$state/nats.port")"
        return
    fi
    command -v nats-server >/dev/null || { echo "services: nats-server not found; run scripts/install-deps.sh" >&2; exit 1; }
    mkdir -p "$dir/jetstream"
    port=$(free_port)
    setsid nats-server -a 127.0.0.1 -p "$port" -js -sd "$dir/jetstream" -P "$dir/nats.pid" -l "$dir/nats.log" \
        </dev/null >/dev/null 2>&1 &
    for _ in $(seq 1 100); do
        if grep -q "Server is ready" "$dir/nats.log" 2>/dev/null; then break; fi
        sleep 0.1
    done
    grep -q "Server is ready" "$dir/nats.log" || { tail -n 20 "$dir/nats.log" >&2; exit 1; }
    echo "$port" >"$state/nats.port"
    echo "services: nats-server (JetStream) on 127.0.0.1:$port"
}

write_env() {
    cat >"$env_file" <<ENV
export WFA_TEST_DATABASE_URL=postgres://wfa@127.0.0.1:$(cat "$state/postgres.port")/wfa
export WFA_TEST_NATS_URL=nats://127.0.0.1:$(cat "$state/nats.port")
ENV
    cat "$env_file"
}

stop_all() {
    local bindir dir
    if [[ -f "$state/postgres.dir" ]]; then
        bindir=$(pg_bindir)
        dir=$(cat "$state/postgres.dir")
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 && echo "services: PostgreSQL stopped" || true
        rm -f "$state/postgres.port"
    fi
    if [[ -f "$state/nats/nats.pid" ]]; then
        kill "$(cat "$state/nats/nats.pid")" 2>/dev/null && echo "services: nats-server stopped" || true
        rm -f "$state/nats/nats.pid" "$state/nats.port"
    fi
    rm -f "$env_file"
}

case "${1:-}" in
    start) start_postgres; start_nats; write_env ;;
    stop) stop_all ;;
    status)
        [[ -f "$env_file" ]] && cat "$env_file" || { echo "services: not running"; exit 1; } ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
