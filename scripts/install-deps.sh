#!/usr/bin/env bash
# Installs every build and test dependency from Debian 12 packages. Idempotent: packages that are
# already present are not touched, so a second run costs one dpkg query.
# Usage: scripts/install-deps.sh [--tests]
set -euo pipefail

runtime_build=(
  build-essential cmake ninja-build pkg-config git python3
  libgmime-3.0-dev libglib2.0-dev libicu-dev libuchardet-dev libgumbo-dev libssl-dev
  libcli11-dev nlohmann-json3-dev libtomlplusplus-dev libpsl-dev libidn2-dev libarchive-dev
  libmagic-dev libfuzzy-dev libyara-dev zlib1g-dev
  libpff-dev libbfio-dev
  libsqlite3-dev
  libjemalloc-dev  # the executables' allocator
  libcpp-httplib-dev  # emotriage serve
)
tests=(
  libgtest-dev libgmock-dev libbenchmark-dev clang-16 libclang-rt-16-dev clang-format pflogsumm
  clamav-testfiles  # clam.tnef for the TNEF test
  pff-tools         # pffinfo/pffexport check the PST the tests write (same libpff)
  cmark-gfm  # renders the Markdown report in the report-escaping test
  chromium fonts-ipafont-gothic  # browser tests (tests/e2e/browser); the font for ja screenshots
)

want=("${runtime_build[@]}")
if [[ "${1:-}" == "--tests" ]]; then want+=("${tests[@]}"); fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#want[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The npm packages of the browser tests (npm ci only when missing or stale), after chromium.
if [[ "${1:-}" == "--tests" ]]; then "$(dirname "$0")/../tests/e2e/browser/install.sh"; fi
