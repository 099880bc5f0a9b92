#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs them.
#   scripts/fuzz.sh smoke          each target briefly (CI): FUZZ_SECONDS, default 10
#   scripts/fuzz.sh run TARGET S   one target for S seconds (a longer run by hand)
# New inputs go to a scratch corpus; copy crashes into fuzz/corpus/TARGET/ as regression seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${FUZZ_BUILD_DIR:-build-fuzz}
CC=clang-16 CXX=clang++-16 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DEMOTRIAGE_FUZZ=ON -DEMOTRIAGE_TESTS=OFF > /dev/null
# Every fuzz/fuzz_NAME.cpp is a target NAME.
targets=()
for source in fuzz/fuzz_*.cpp; do
  name=${source#fuzz/fuzz_}
  targets+=("${name%.cpp}")
done
if [[ "${1:-smoke}" == run ]]; then targets=("$2"); fi
cmake --build "$build" -j "${JOBS:-$(nproc)}" --target "${targets[@]/#/fuzz_}"

run_one() {
  local target=$1 seconds=$2
  local scratch="$build/fuzz-work/$target"
  mkdir -p "$scratch" "$build/fuzz-artifacts"
  echo "fuzz: $target for ${seconds}s"
  "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$target-" \
    "$scratch" "fuzz/corpus/$target" 2>&1 | grep -E "^(stat::number_of_executed_runs|Done |==[0-9]+==ERROR|SUMMARY)" || true
  if ls "$build/fuzz-artifacts/$target-"* > /dev/null 2>&1; then
    echo "fuzz: $target found a failing input: $(ls "$build/fuzz-artifacts/$target-"*)" >&2
    return 1
  fi
}

case "${1:-smoke}" in
  smoke)
    status=0
    for target in "${targets[@]}"; do
      run_one "$target" "${FUZZ_SECONDS:-10}" || status=1
    done
    exit $status
    ;;
  run) run_one "$2" "${3:-1800}" ;;
  *) echo "usage: scripts/fuzz.sh smoke | run TARGET SECONDS" >&2; exit 2 ;;
esac
