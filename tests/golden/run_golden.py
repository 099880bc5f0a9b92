#!/usr/bin/env python3
"""Golden-file test: runs the emotriage binary on each fixture and compares its output with the
stored expectation under tests/golden/. UPDATE_GOLDEN=1 rewrites the expectations instead (review
the diff before committing).

    run_golden.py EMOTRIAGE SOURCE_DIR
"""
import difflib
import json
import os
import subprocess
import sys

# (golden file, arguments). Paths are relative to the source dir so the output has no absolute
# paths in it.
CASES = []
for name in sorted(os.listdir(os.path.join(os.path.dirname(__file__), "..", "..", "examples", "mail"))):
    if name.endswith(".eml"):
        stem = name[:-4]
        for lang in ("ja", "en"):
            CASES.append((f"parse/{stem}.{lang}.txt", ["parse", "--lang", lang, f"examples/mail/{name}"]))
        CASES.append((f"parse/{stem}.json", ["parse", "--format", "json", "--lang", "en", f"examples/mail/{name}"]))
for name in sorted(os.listdir(os.path.join(os.path.dirname(__file__), "..", "..", "examples", "incidents"))):
    if name.endswith(".eml"):
        stem = name[:-4]
        common = ["analyze", "--profile", "examples/profile.toml", "-j", "1"]
        for lang in ("ja", "en"):
            CASES.append((f"analyze/{stem}.{lang}.txt",
                          common + ["--all", "--lang", lang, f"examples/incidents/{name}"]))
        CASES.append((f"analyze/{stem}.json",
                      common + ["--format", "json", "--lang", "en", f"examples/incidents/{name}"]))
# The whole incident folder as one batch: the campaign view (JSON) and the md/html reports.
for lang in ("ja", "en"):
    batch = ["analyze", "--profile", "examples/profile.toml", "-j", "1", "--lang", lang]
    for fmt, ext in (("md", "md"), ("html", "html")):
        CASES.append((f"report/incidents.{lang}.{ext}", batch + ["--format", fmt, "examples/incidents"]))
CASES.append(("report/incidents.campaign.json", ["analyze", "--profile", "examples/profile.toml", "-j", "1",
                                                 "--format", "json", "--lang", "en", "examples/incidents"]))


def main():
    binary, source = os.path.abspath(sys.argv[1]), sys.argv[2]
    golden_dir = os.path.join(source, "tests", "golden")
    update = os.environ.get("UPDATE_GOLDEN") == "1"
    failures = 0
    for golden, args in CASES:
        result = subprocess.run([binary] + args, cwd=source, capture_output=True, timeout=60)
        if result.returncode not in (0, 1):
            print(f"FAIL {golden}: exit {result.returncode}\n{result.stderr.decode(errors='replace')}")
            failures += 1
            continue
        actual = result.stdout.decode("utf-8")
        if golden.endswith(".json"):
            # Indented so that a change reads as a reviewable diff.
            document = json.loads(actual)
            if golden.endswith(".campaign.json"):
                document = document["campaign"]
            actual = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
        path = os.path.join(golden_dir, golden)
        if update:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(actual)
            continue
        try:
            with open(path, encoding="utf-8") as f:
                expected = f.read()
        except FileNotFoundError:
            print(f"FAIL {golden}: no golden file (run with UPDATE_GOLDEN=1)")
            failures += 1
            continue
        if actual != expected:
            failures += 1
            print(f"FAIL {golden}:")
            sys.stdout.writelines(difflib.unified_diff(
                expected.splitlines(True), actual.splitlines(True), "expected", "actual", n=2))
    print(f"{len(CASES) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
