#!/usr/bin/env bash
# Instructions per message of each parser input, counted by callgrind: unlike events/s, the count
# does not move with what else the machine runs, so two builds compare on a busy or shared host.
# Only the marginal cost is counted: a run's one-time costs cancel out between two run lengths.
#
#   scripts/parse-instructions.sh [path/to/release/wfa] [corpus dir] [input...]
#
# Needs valgrind (apt-get install valgrind). Swift's DWARF 5 debug info is more than valgrind 3.19
# reads, so the binary is measured from a copy without it (symbols stay).
set -euo pipefail
binary=${1:-.build/release/wfa}
corpus=${2:-${WFA_CORPUS_DIR:-../shared/corpus}}
stripped=$(mktemp)
trap 'rm -f "$stripped" "$stripped.out"' EXIT
objcopy --strip-debug "$binary" "$stripped"
chmod +x "$stripped"
inputs=(sshd "linux (" apache "zeek json" windows cef leef cisco panos pfsense fortigate kv.log access
    syslog5424 suricata cloud)
# Named inputs (as `wfa bench parse --only` matches them) measure just those.
if (( $# > 2 )); then inputs=("${@:3}"); fi
printf '%-32s %12s\n' input instructions/msg
for input in "${inputs[@]}"; do
    # About a million instructions' worth of messages at least, whatever the input's size.
    line=$("$stripped" bench parse --corpus "$corpus" --passes 1 --only "$input" | tail -1)
    messages=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { print $i; exit } }' <<<"$line")
    passes=$(( (2000 + messages - 1) / messages ))
    # Runs of `passes` and of twice as many: the difference is the cost of `passes` passes alone,
    # without what a run pays once (type metadata on first use, printing the result).
    counts=()
    for run in "$passes" $(( passes * 2 )); do
        valgrind --tool=callgrind --callgrind-out-file="$stripped.out" \
            --toggle-collect='*BenchCommandV5ParseV7measure*' \
            "$stripped" bench parse --corpus "$corpus" --passes "$run" --only "$input" >/dev/null 2>"$stripped.log" || {
            cat "$stripped.log" >&2
            exit 1
        }
        counts+=("$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$stripped.log")")
    done
    total=$(( counts[1] - counts[0] ))
    name=$(cut -c1-32 <<<"$line" | sed 's/ *$//')
    printf '%-32s %12d\n' "$name" $(( total / (passes * messages) ))
done
rm -f "$stripped.log"
