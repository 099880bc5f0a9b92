#!/bin/sh
# Build the C baseline(s) outside the CMake tree (bench/CMakeLists.txt is
# the lead's); the Python baseline needs no build.
#
#   bench/build_baselines.sh OUTDIR     -> OUTDIR/baseline_gmime
set -eu
if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
# shellcheck disable=SC2046  # pkg-config output must word-split
${CC:-cc} -O2 -std=gnu11 -Wall -Wextra -o "$1/baseline_gmime" "$here/baseline_gmime.c" \
    $(pkg-config --cflags --libs gmime-3.0 gumbo yara) -lcrypto
echo "built $1/baseline_gmime" >&2
