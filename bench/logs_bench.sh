#!/usr/bin/env bash
# Lines per second of `emotriage logs`, pflogsumm and a `grep -c sasl_username` floor on the same
# generated Postfix log (bench/gen_postfix_log.py), in one run. Installs nothing.
#   bench/logs_bench.sh [BUILD_DIR] [LINES]     defaults: build-bench, 5000000
# The log is written once to $LOGS_BENCH_DIR (default /tmp/emotriage-logs-bench) and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-bench}
lines=${2:-5000000}
emotriage="$build/src/cli/emotriage"
work=${LOGS_BENCH_DIR:-/tmp/emotriage-logs-bench}
log="$work/mail-$lines.log"
[[ -x "$emotriage" ]] || { echo "no $emotriage: build the emotriage target first" >&2; exit 1; }
mkdir -p "$work"
if [[ ! -s "$log" ]]; then
  python3 bench/gen_postfix_log.py --lines "$lines" --out "$log" > "$log.truth.json"
fi
actual=$(wc -l < "$log")
echo "log: $log ($actual lines, $(du -m "$log" | cut -f1) MB); truth: $(cat "$log.truth.json")"

# Best of N wall-clock runs, in seconds.
best_of() {
  local runs=$1 best=""
  shift
  for ((i = 0; i < runs; i++)); do
    local start end took
    start=$(date +%s.%N)
    # Output to a file: GNU grep stops at the first match when stdout is /dev/null.
    "$@" > "$work/bench.out" 2>&1 || [[ $? -eq 1 ]]  # grep/emotriage exit 1 is "found"
    end=$(date +%s.%N)
    took=$(echo "$end - $start" | bc -l)
    if [[ -z "$best" ]] || (( $(echo "$took < $best" | bc -l) )); then best=$took; fi
  done
  echo "$best"
}
report() {
  printf '%-28s %8.2f s %12.0f lines/s\n' "$1" "$2" "$(echo "$actual / $2" | bc -l)"
}

cat "$log" > /dev/null  # warm the page cache for everyone alike
t_emotriage=$(best_of 3 "$emotriage" logs --format json "$log")
report "emotriage logs" "$t_emotriage"
t_grep=$(best_of 3 grep -c sasl_username "$log")
report "grep -c sasl_username" "$t_grep"
if command -v pflogsumm > /dev/null; then
  t_pflogsumm=$(best_of 1 pflogsumm "$log")  # minutes per run: once
  report "pflogsumm" "$t_pflogsumm"
  printf 'emotriage vs pflogsumm: %.1fx faster\n' "$(echo "$t_pflogsumm / $t_emotriage" | bc -l)"
else
  echo "pflogsumm: not installed (Debian package pflogsumm; scripts/install-deps.sh --tests)"
fi
printf 'emotriage vs grep floor: %.1fx slower\n' "$(echo "$t_emotriage / $t_grep" | bc -l)"
# The answer must be the ground truth: exactly the compromised accounts are flagged. This run
# also reports emotriage's CPU time and peak RSS (memory must stay bounded).
# Exit status 1 is "accounts flagged"; anything else is a failure of emotriage.
status=0
python3 bench/peak_rss.py "$emotriage" logs --format json "$log" > "$work/report.json" \
  2> "$work/cost.txt" || status=$?
if [[ $status -ne 0 && $status -ne 1 ]]; then
  echo "emotriage logs failed (exit $status)" >&2
  exit 2
fi
# The script fails (exit 1) when the flagged accounts are not the ground truth.
python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
truth = json.load(open(sys.argv[2]))
flagged = sorted(a["account"] for a in report["accounts"] if a["flagged"])
print("flagged:", flagged, "OK" if flagged == truth["compromised"] else "MISMATCH with " + str(truth["compromised"]))
sys.exit(0 if flagged == truth["compromised"] else 1)
' "$work/report.json" "$log.truth.json" || mismatch=1
echo "emotriage cost (peak_rss.py): $(cat "$work/cost.txt")"
exit "${mismatch:-0}"
