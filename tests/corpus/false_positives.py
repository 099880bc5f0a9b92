#!/usr/bin/env python3
"""False positives of `emotriage analyze` on the real mail of the shared corpus.

Runs analyze with the example profile (examples/profile.toml) over every mail file of the corpus
and lists each mail that is not `not-suspicious`, with the findings that scored. Mail outside
phishing_pot/ is treated as benign (mailing-list archives, parser test suites); a benign mail that
is flagged must be named in KNOWN below with the reason, and at most MAX_SHARE of the benign mail
may be flagged at all. phishing_pot/ (credential phishing without Emotet-style payloads) is
reported for information.

    python3 tests/corpus/false_positives.py --emotriage build/src/cli/emotriage \
        --corpus /work/shared/corpus --source .
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_common as cc  # noqa: E402

MAX_SHARE = 0.01
# Benign-corpus mail that is rightly flagged, and why (docs/false-positives.md).
KNOWN = {
    "spamscope_mail_parser/mail_malformed_1":
        "carries a zip with a real Windows executable named 20160523_211439.jpg_.jpg.exe",
}


def analyze(exe: str, corpus: str, profile: str, files: list[str]) -> list[dict]:
    messages = []
    for chunk in cc.batches(files, 200):
        proc = subprocess.run([exe, "analyze", "--profile", profile, "--format", "json", "--lang",
                               "en", "--", *chunk], cwd=corpus, capture_output=True, timeout=900,
                              stdin=subprocess.DEVNULL)
        if proc.returncode not in (0, 1, 2):
            raise SystemExit(f"analyze exited {proc.returncode}: {proc.stderr.decode(errors='replace')}")
        messages += json.loads(proc.stdout)["messages"]
    return messages


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--emotriage", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--source", required=True, help="the project's source tree")
    args = parser.parse_args()
    if not cc.check_corpus(args.corpus):
        return cc.SKIP
    if not cc.check_tool(args.emotriage):
        return 1
    exe = os.path.abspath(args.emotriage)
    profile = os.path.abspath(os.path.join(args.source, "examples", "profile.toml"))
    rows = [r for r in cc.read_index(args.corpus) if cc.is_mail_row(r)]
    failures = 0
    for name, selected in (("benign", [r.path for r in rows if not r.path.startswith("phishing_pot/")]),
                           ("phishing_pot", [r.path for r in rows if r.path.startswith("phishing_pot/")])):
        messages = analyze(exe, args.corpus, profile, selected)
        scenarios = collections.Counter(m["verdict"]["scenario"] for m in messages)
        flagged = [m for m in messages if m["verdict"]["suspicious"]]
        print(f"{name}: {len(messages)} messages from {len(selected)} files; "
              f"{len(flagged)} suspicious; {dict(sorted(scenarios.items()))}")
        for m in flagged:
            base = m["source"].split("#")[0]
            reason = KNOWN.get(base, "")
            ids = ", ".join(c["id"] for c in m["verdict"]["contributions"])
            print(f"  {m['source']}: {m['verdict']['scenario']} {m['verdict']['score']} [{ids}]"
                  + (f" — {reason}" if reason else ""))
            if name == "benign" and not reason:
                failures += 1
        if name == "benign" and len(flagged) > MAX_SHARE * max(1, len(messages)):
            print(f"FAIL: {len(flagged)} of {len(messages)} benign messages flagged (> {MAX_SHARE:.0%})")
            failures += 1
    if failures:
        print(f"FAIL: {failures} unexplained false positives")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
