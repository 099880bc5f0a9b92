#!/usr/bin/env python3
"""The example incidents give the verdicts examples/incidents/expected.tsv states: scenario,
Emotet-likeness and the key finding ids; the exit status says "suspicious" (1).

    examples_expected.py EMOTRIAGE SOURCE_DIR
"""
import csv
import json
import os
import subprocess
import sys


def main():
    binary, source = os.path.abspath(sys.argv[1]), sys.argv[2]
    with open(os.path.join(source, "examples", "incidents", "expected.tsv"), encoding="utf-8") as f:
        expected = list(csv.DictReader(f, delimiter="\t"))
    result = subprocess.run([binary, "analyze", "--profile", "examples/profile.toml", "--format",
                             "json", "--lang", "en", "examples/incidents"],
                            cwd=source, capture_output=True, timeout=300)
    failures = []
    if result.returncode != 1:
        failures.append(f"exit status {result.returncode}, expected 1 (suspicious mail present)")
    report = json.loads(result.stdout)
    by_source = {m["source"]: m for m in report["messages"]}
    for row in expected:
        source_name = "examples/incidents/" + row["file"]
        message = by_source.pop(source_name, None)
        if message is None:
            failures.append(f"{row['file']}: not in the report")
            continue
        verdict = message["verdict"]
        if verdict["scenario"] != row["scenario"]:
            failures.append(f"{row['file']}: scenario {verdict['scenario']}, expected {row['scenario']}")
        if verdict["emotet_like"] != (row["emotet_like"] == "yes"):
            failures.append(f"{row['file']}: emotet_like {verdict['emotet_like']} (score {verdict['score']})")
        ids = {f["id"] for f in message["findings"]}
        wanted_ids = [] if row["key_findings"] == "-" else row["key_findings"].split(",")
        for wanted in wanted_ids:
            if wanted not in ids:
                failures.append(f"{row['file']}: missing finding {wanted}")
    for extra in by_source:
        failures.append(f"{extra}: in the report but not in expected.tsv")
    campaign = report["campaign"]
    if campaign["messages"] != len(expected):
        failures.append(f"campaign counts {campaign['messages']} messages, expected {len(expected)}")
    for failure in failures:
        print("FAIL", failure)
    print(f"{len(expected)} example verdicts checked, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
