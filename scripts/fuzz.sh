#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs them.
#   scripts/fuzz.sh smoke          each target briefly (CI): FUZZ_SECONDS, default 10; this also
#                                  replays every seed of fuzz/corpus/TARGET under the sanitizers
#   scripts/fuzz.sh run TARGET S   one target for S seconds (a longer run by hand)
#   scripts/fuzz.sh asan-suite     the whole test suite (but `slow`) built in the same sanitized
#                                  build and run there (CI)
# New inputs go to a scratch corpus; copy crashes into fuzz/corpus/TARGET/ as regression seeds.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${FUZZ_BUILD_DIR:-build-fuzz}
mode=${1:-smoke}
# The tests stay in the build once asan-suite has configured them, so smoke after it rebuilds nothing.
tests=OFF
if [[ "$mode" == asan-suite ]] || grep -qs '^EMOTRIAGE_TESTS:BOOL=ON' "$build/CMakeCache.txt"; then
  tests=ON
fi
# -O1 with line tables only (as OSS-Fuzz builds): symbolised stack traces, and a build about a
# third quicker than -O2 -g, which matters since CI builds everything here a second time.
sanitizer_flags="-O1 -gline-tables-only -DNDEBUG"
CC=clang-16 CXX=clang++-16 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="$sanitizer_flags" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$sanitizer_flags" \
  -DEMOTRIAGE_FUZZ=ON -DEMOTRIAGE_TESTS="$tests" > /dev/null
# halt_on_error: a UBSan report fails the test instead of scrolling by.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# Leaks inside dependencies that cannot be fixed here (each entry says why).
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0}
if [[ "$mode" == asan-suite ]]; then
  cmake --build "$build" -j "${JOBS:-$(nproc)}"
  exec ctest --test-dir "$build" --output-on-failure --no-tests=error -j "${JOBS:-$(nproc)}" \
    --timeout 1800 -LE slow
fi
# Every fuzz/fuzz_NAME.cpp is a target NAME.
targets=()
for source in fuzz/fuzz_*.cpp; do
  name=${source#fuzz/fuzz_}
  targets+=("${name%.cpp}")
done
if [[ "$mode" == run ]]; then targets=("$2"); fi
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

case "$mode" in
  smoke)
    status=0
    for target in "${targets[@]}"; do
      run_one "$target" "${FUZZ_SECONDS:-10}" || status=1
    done
    exit $status
    ;;
  run) run_one "$2" "${3:-1800}" ;;
  *) echo "usage: scripts/fuzz.sh smoke | run TARGET SECONDS | asan-suite" >&2; exit 2 ;;
esac
