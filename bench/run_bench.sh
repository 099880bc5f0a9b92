#!/usr/bin/env bash
# One-command benchmark: emotriage against bare GMime 3 and Python's email on
# the generated corpus of ../shared/bench (see docs/performance.md).
#
#   bench/run_bench.sh [--quick] [N]
#
#   N             messages in the corpus (default 20000; --quick: 2000).
#                 Also taken from the environment: N=5000 bench/run_bench.sh
#   BUILD_DIR     Release build directory (default build-bench)
#   CORPUS_DIR    where corpusN.mbox(.truth) live (default /tmp/emotriage-bench);
#                 an existing corpusN.mbox.truth means the corpus is reused
#   SKIP_PYTHON=1 leave out the Python baseline (~1-2 minutes at N=20000)
#   SKIP_BUILD=1  use the binaries already in BUILD_DIR
#
# Every implementation reads the same mbox in the same run, one after the
# other, each under bench/peak_rss.py (wall time and peak RSS of that process).
# Columns: wall_s, cpu_s (user+sys, all threads); msgs/s and MB/s (10^6 bytes
# of mbox) from wall_s; rss_MiB peak RSS (floor ~13 MiB, see peak_rss.py);
# load1 the 1-minute load average as the run started; truth "yes" if the
# summary line equals <mbox>.truth on every field (nec_chars is the
# generator's own; zip_bad, absent there, must be 0), else the fields that
# differ.  "-" = prints no summary (emotriage parse renders JSON instead).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

quick=0
arg_n=
for a in "$@"; do
    case "$a" in
        --quick) quick=1 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        ''|*[!0-9]*) echo "usage: $0 [--quick] [N]" >&2; exit 2 ;;
        *) arg_n=$a ;;
    esac
done
if [ -n "$arg_n" ]; then n=$arg_n
elif [ "$quick" = 1 ]; then n=2000
else n=${N:-20000}
fi

build=${BUILD_DIR:-build-bench}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
corpus_dir=${CORPUS_DIR:-/tmp/emotriage-bench}
gen=${GEN_CORPUS:-$root/../shared/bench/gen_corpus.py}
mbox="$corpus_dir/corpus$n.mbox"
truth="$mbox.truth"
jobs=$(nproc)
work=$(mktemp -d "${TMPDIR:-/tmp}/emotriage-bench-run.XXXXXX")
trap 'rm -rf "$work"' EXIT

log() { printf '%s\n' "$*" >&2; }

# ---- 1. build -------------------------------------------------------------
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "== building (Release) in $build"
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DEMOTRIAGE_TESTS=OFF >"$work/cmake.log" 2>&1 ||
        { cat "$work/cmake.log" >&2; exit 1; }
    cmake --build "$build" --target emotriage corpus_summary >"$work/build.log" 2>&1 ||
        { tail -50 "$work/build.log" >&2; exit 1; }
    "$here/build_baselines.sh" "$build/baselines" 2>"$work/baselines.log" ||
        { cat "$work/baselines.log" >&2; exit 1; }
fi
emotriage=$(find "$build" -type f -name emotriage -perm -u+x 2>/dev/null | head -n1 || true)
corpus_summary=$(find "$build" -type f -name corpus_summary -perm -u+x 2>/dev/null | head -n1 || true)
gmime="$build/baselines/baseline_gmime"
for b in "$emotriage" "$corpus_summary" "$gmime"; do
    if [ -z "$b" ] || [ ! -x "$b" ]; then
        log "missing binary in $build (run without SKIP_BUILD=1)"
        exit 1
    fi
done

# ---- 2. corpus --------------------------------------------------------------
mkdir -p "$corpus_dir"
if [ -s "$truth" ] && [ -s "$mbox" ]; then
    log "== reusing $mbox"
else
    log "== generating $mbox (N=$n)"
    rm -f "$truth"  # written last by the generator: its presence marks a complete corpus
    python3 "$gen" -n "$n" -o "$mbox" >/dev/null
fi
bytes=$(stat -c %s "$mbox")
cat "$mbox" >/dev/null  # page cache warm for everyone, so nobody pays the first read

# ---- 3. runs ----------------------------------------------------------------
# run NAME OUT CMD...: OUT is "-" (stdout discarded) or "summary" (kept for the
# truth check).  Appends NAME, rc, the peak_rss.py figures to results.tsv.
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: >"$work/results.tsv"
run() {
    local name=$1 out=$2 rc=0
    shift 2
    log "== $name: $*"
    local load1
    load1=$(cut -d' ' -f1 /proc/loadavg)
    if [ "$out" = summary ]; then
        python3 "$here/peak_rss.py" "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
    else
        python3 "$here/peak_rss.py" "$@" >/dev/null 2>"$work/$name.err" || rc=$?
        : >"$work/$name.out"
    fi
    # analyze exits 1 when it finds suspicious mail: a result, not a failure.
    if [[ "$name" == analyze-* && "$rc" = 1 ]]; then rc=0; fi
    local cost
    cost=$(grep '^wall_s=' "$work/$name.err" | tail -n1)
    [ "$rc" = 0 ] || { log "   exit status $rc; stderr:"; grep -v '^wall_s=' "$work/$name.err" | tail -5 >&2; }
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$out" "$rc" "$load1" "$cost" >>"$work/results.tsv"
}

# parse --no-inspect is the peer of the GMime walk (structure, headers, text; no attachment
# inspection); analyze is the whole per-message pipeline with the example profile.
run "emotriage-json-j1"     -       "$emotriage" parse --no-inspect --format json --jobs 1 "$mbox"
[ "$jobs" -gt 1 ] && run "emotriage-json-j$jobs" - "$emotriage" parse --no-inspect --format json --jobs "$jobs" "$mbox"
run "parse-inspect-j1"      -       "$emotriage" parse --format json --jobs 1 "$mbox"
run "analyze-j1"            -       "$emotriage" analyze --profile "$here/../examples/profile.toml" --format json --jobs 1 "$mbox"
[ "$jobs" -gt 1 ] && run "analyze-j$jobs" - "$emotriage" analyze --profile "$here/../examples/profile.toml" --format json --jobs "$jobs" "$mbox"
run "corpus_summary-j1"     summary "$corpus_summary" --jobs 1 "$mbox"
[ "$jobs" -gt 1 ] && run "corpus_summary-j$jobs" summary "$corpus_summary" --jobs "$jobs" "$mbox"
run "gmime"                 summary "$gmime" "$mbox"
# The walk plus the work issue 2 asks beyond it (SHA-256 of every part, gumbo on every HTML
# body): a floor for any GMime + gumbo implementation, not a peer.
run "gmime-required-work"   summary "$gmime" --required-work "$mbox"
# ... and every attachment scanned with the project's YARA rules: a floor of analyze (issue 10).
run "gmime-analysis-floor"  summary "$gmime" --required-work --yara "$here/../rules" "$mbox"
if [ "${SKIP_PYTHON:-0}" != 1 ]; then
    run "python"            summary python3 "$here/baseline_python.py" "$mbox"
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- 4./5. report -------------------------------------------------------------
python3 - "$work" "$truth" "$n" "$bytes" "$jobs" "$load_before" "$load_after" "$mbox" <<'EOF'
import os, sys
work, truth_path, n, size, jobs, load_before, load_after, mbox = sys.argv[1:]
n, size = int(n), int(size)

def fields(line):
    return dict(kv.split("=", 1) for kv in line.split() if "=" in kv)

truth = fields(open(truth_path).read())
msgs = int(truth.get("msgs", n))

def check(path):
    lines = [l for l in open(path).read().splitlines() if l.startswith("impl=")]
    if not lines:
        return "no summary line"
    got = fields(lines[-1])
    keys = [k for k in truth if k not in ("impl", "nec_chars")]  # nec_chars: generator only
    keys += [k for k in got if k not in truth and k != "impl"]   # e.g. zip_bad, expected 0
    diff = [k for k in keys if got.get(k) != truth.get(k, "0")]
    return "yes" if not diff else "NO: " + ",".join(diff)

rows = {}
order = []
for line in open(os.path.join(work, "results.tsv")):
    name, out, rc, load1, cost = line.rstrip("\n").split("\t")
    c = fields(cost)
    order.append(name)
    rows[name] = dict(rc=int(rc), load1=load1, wall=float(c.get("wall_s", "nan")),
                      cpu=float(c.get("user_s", "nan")) + float(c.get("sys_s", "nan")),
                      rss=float(c.get("peak_rss_mb", "nan")),
                      match="-" if out == "-" else check(os.path.join(work, name + ".out")))

print("corpus   %s: %d msgs, %.1f MB (truth: %s)" % (mbox, msgs, size / 1e6, os.path.basename(truth_path)))
print("machine  %d cores (nproc); loadavg before %s, after %s" % (int(jobs), load_before, load_after))
print()
hdr = "%-20s %8s %8s %8s %7s %8s %5s  %s" % (
    "impl", "wall_s", "cpu_s", "msgs/s", "MB/s", "rss_MiB", "load1", "truth")
print(hdr)
print("-" * len(hdr))
for name in order:
    r = rows[name]
    match = r["match"] if r["rc"] == 0 else "%s (exit %d)" % (r["match"], r["rc"])
    print("%-20s %8.2f %8.2f %8.0f %7.1f %8.1f %5s  %s" % (
        name, r["wall"], r["cpu"], msgs / r["wall"], size / 1e6 / r["wall"], r["rss"], r["load1"], match))
print()
print("wall-time ratios (emotriage / baseline; <1 = emotriage faster; failed runs left out):")
def ok(name):
    return name in rows and rows[name]["rc"] == 0

# dict.fromkeys: one core gives -j1 twice
for num in dict.fromkeys(("emotriage-json-j1", "corpus_summary-j1", "emotriage-json-j%s" % jobs,
                          "analyze-j1", "analyze-j%s" % jobs)):
    dens = ("gmime", "gmime-analysis-floor", "python") if num.startswith("analyze") else (
        "gmime", "gmime-required-work", "python")
    for den in dens:
        if ok(num) and ok(den):
            print("  %-20s / %-20s %6.2f" % (num, den, rows[num]["wall"] / rows[den]["wall"]))
for floor, what in (("gmime-required-work", "issue 2's parse"), ("gmime-analysis-floor", "issue 10's analyze")):
    if ok("gmime") and ok(floor):
        print("  %-20s / %-20s %6.2f  (a floor of %s on one core)" % (
            floor, "gmime", rows[floor]["wall"] / rows["gmime"]["wall"], what))
sys.exit(1 if any(r["rc"] for r in rows.values()) else 0)
EOF
