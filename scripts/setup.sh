#!/usr/bin/env bash
# The two set-up commands of README.md.
#   scripts/setup.sh run    install what is missing, build, analyse the bundled example mails
#   scripts/setup.sh test   install what is missing (test tools too), build, run every test
# Environment: BUILD_DIR (default build), JOBS (default nproc), CI=true makes warnings errors.
# `test` runs the suite twice (GCC; clang with ASan+UBSan) and each fuzz target briefly
# (FUZZ_SECONDS, default 5 here).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}
build=${BUILD_DIR:-build}
jobs=${JOBS:-$(nproc)}

case "$mode" in
  run)
    scripts/install-deps.sh
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DEMOTRIAGE_TESTS=OFF > /dev/null
    cmake --build "$build" -j "$jobs" --target emotriage
    # Exit status 1 means "suspicious mail found", which the examples are meant to show.
    status=0
    "$build/src/cli/emotriage" analyze examples/incidents --profile examples/profile.toml || status=$?
    if ((status > 1)); then exit "$status"; fi
    ;;
  test)
    scripts/install-deps.sh --tests
    werror=OFF
    ci_flags=()
    if [[ "${CI:-}" == "true" ]]; then
      werror=ON
      # -O2 without debug info in CI: a third less compile time per file; the sanitizer build
      # below keeps line tables for stack traces. (A developer's build keeps -g.)
      ci_flags=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -DNDEBUG")
    fi
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEMOTRIAGE_TESTS=ON \
      "${ci_flags[@]}" -DEMOTRIAGE_WERROR="$werror" > /dev/null
    cmake --build "$build" -j "$jobs"
    ctest --test-dir "$build" --output-on-failure --no-tests=error -j "$jobs" --timeout 900 -LE slow
    # The same suite again under AddressSanitizer + UndefinedBehaviorSanitizer (clang), then each
    # fuzz target briefly in that build.
    scripts/fuzz.sh asan-suite
    FUZZ_SECONDS=${FUZZ_SECONDS:-5} scripts/fuzz.sh smoke
    ;;
  *)
    echo "usage: scripts/setup.sh run|test" >&2
    exit 2
    ;;
esac
