#!/usr/bin/env python3
"""Ground-truth test: generates the first N messages of ../shared/bench/gen_corpus.py's corpus and
checks that emotriage's parse reproduces every field of the generator's `.truth` line exactly
(counts, SHA-256 sums of attachments and filenames, URL count, U+FFFD count 0, decoded
Subject+From checksum). GMime with iconv and Python's `email` both fail this on CP932 characters.

    ground_truth.py CORPUS_SUMMARY GEN_CORPUS_PY WORKDIR [N]
"""
import os
import subprocess
import sys


def fields(line):
    return dict(item.split("=", 1) for item in line.split() if "=" in item)


def main():
    summary_bin, generator, workdir = sys.argv[1:4]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    if not os.path.exists(generator):
        print(f"generator {generator} missing; skipping")
        return 77
    os.makedirs(workdir, exist_ok=True)
    mbox = os.path.join(workdir, f"corpus{count}.mbox")
    if not os.path.exists(mbox + ".truth"):
        subprocess.run([sys.executable, generator, "-n", str(count), "-o", mbox], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    truth = fields(open(mbox + ".truth").read())
    for jobs in ("1", "2"):
        out = subprocess.run([summary_bin, "--jobs", jobs, mbox], check=True, capture_output=True,
                             text=True, timeout=600).stdout
        ours = fields(out)
        failed = 0
        for key, want in truth.items():
            if key in ("impl", "nec_chars"):
                continue
            got = ours.get(key)
            if got != want:
                print(f"jobs={jobs} {key}: truth {want}, emotriage {got}")
                failed += 1
        if ours.get("zip_bad", "0") != "0":
            print(f"jobs={jobs}: {ours['zip_bad']} zip attachments unreadable")
            failed += 1
        print(f"{len(truth) - 2 - failed} passed, {failed} failed")
        if failed:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
