#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (one per parser family), seeds each from the corpus and
# fixtures, and runs them. Usage: scripts/fuzz.sh [seconds per target, default 600] [target...]
# A crash stops that target and leaves its input in .build/fuzz/<target>/crashes; the summary
# line per target gives the run time, executions and crashes found, for docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(FuzzSyslog FuzzCEFLEEF FuzzJSON FuzzWindowsXML FuzzFile)
corpus=${WFA_CORPUS_DIR:-../shared/corpus}
work=.build/fuzz

echo "fuzz: building ${targets[*]} (release, libFuzzer and AddressSanitizer)"
flags=(--package-path Fuzz -c release --build-path .build/fuzz-build --sanitize=fuzzer --sanitize=address)
for target in "${targets[@]}"; do
    # One product at a time: building the whole graph would compile wfa's own tools as fuzz targets.
    swift build "${flags[@]}" --product "$target" 2>&1 | grep -E "error|Build" || true
done
bin=$(swift build "${flags[@]}" --show-bin-path)

# Seeds: one message per file, with the prefix the target adds itself removed.
python3 - "$work" "$corpus" <<'PY'
import glob, hashlib, os, sys
work, corpus = sys.argv[1], sys.argv[2]
def lines(paths):
    for path in paths:
        try:
            with open(path, 'rb') as f:
                for line in f.read().split(b'\n'):
                    if line.strip():
                        yield line
        except OSError:
            pass
def seed(target, data):
    directory = os.path.join(work, target, 'seeds')
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, hashlib.sha1(data).hexdigest()), 'wb') as f:
        f.write(data[:8192])
fx = 'fixtures/parsing/'
syslog = [fx + n for n in ('linux_auth.log', 'cisco_asa.log', 'panos.log', 'pfsense.log', 'fortigate.log', 'kv.log',
                           'access.log', 'syslog5424.log')]
syslog += [os.path.join(corpus, 'syslog', n) for n in ('Linux_2k.log', 'OpenSSH_2k.log', 'Apache_2k.log')]
for i, line in enumerate(lines(syslog)):
    if i % 7 == 0 or 'fixtures' in syslog[0]:
        seed('FuzzSyslog', line)
for line in lines([fx + 'cef.log', fx + 'leef.log']):
    start = line.find(b'CEF:0|')
    if start >= 0:
        seed('FuzzCEFLEEF', b'\x00' + line[start + 6:])
    start = line.find(b'LEEF:')
    if start >= 0:
        seed('FuzzCEFLEEF', b'\x01' + line[start + 5:])
json_files = [fx + 'cloud.json', fx + 'suricata.json', fx + 'windows.log'] + sorted(glob.glob(os.path.join(corpus, 'zeek', '*.json')))
for i, line in enumerate(lines(json_files)):
    if line.startswith(b'{') and (i % 25 == 0 or 'fixtures' in json_files[0]):
        seed('FuzzJSON', line[1:])
for line in lines([fx + 'windows.log']):
    if line.startswith(b'<Event'):
        seed('FuzzWindowsXML', line[6:])
for path in [fx + 'zeek_conn.log', fx + 'windows.log', fx + 'cloud.json', fx + 'linux_auth.log']:
    with open(path, 'rb') as f:
        seed('FuzzFile', f.read())
PY

status=0
for target in "${targets[@]}"; do
    dir=$work/$target
    mkdir -p "$dir/corpus" "$dir/crashes"
    echo "fuzz: $target for ${seconds}s ($(ls "$dir/seeds" | wc -l) seeds)"
    # Crash inputs of earlier runs stay for reference; only this run's are counted.
    marker=$(mktemp)
    set +e
    started=$SECONDS
    "$bin/$target" "$dir/corpus" "$dir/seeds" -max_total_time="$seconds" -max_len=16384 -timeout=10 \
        -rss_limit_mb=4096 -artifact_prefix="$dir/crashes/" -print_final_stats=1 >"$dir/log.txt" 2>&1
    code=$?
    elapsed=$((SECONDS - started))
    set -e
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$dir/log.txt" | grep -Eo '[0-9]+$' || echo "?")
    crashes=$(find "$dir/crashes" -type f -newer "$marker" | wc -l)
    rm -f "$marker"
    echo "fuzz: $target: exit $code, ${elapsed}s, $runs executions, $crashes crash inputs (log $dir/log.txt)"
    ((code == 0)) || status=1
done
exit $status
