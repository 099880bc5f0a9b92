#!/usr/bin/env python3
"""Robustness walk over the shared real-world corpus.

Runs `emotriage parse --format json` on every mail file of the corpus (INDEX.tsv kinds rfc822,
mbox, outlook-msg, and the mail-like "other-text" files), many files per invocation, and checks:

* exit code 0 or 2 only (never a signal, never a hang past the batch timeout);
* stdout is strict UTF-8 and valid JSON of shape {tool, version, command, messages[], errors[],
  skipped[]}; every message has source/subject/from/parts/findings; every string (keys included)
  is valid UTF-8 (no lone surrogates smuggled in through \\u escapes);
* every input file is accounted for: by at least one message (an mbox yields several, counted by
  the `source` prefix before '#'), a `skipped` entry or an `errors` entry naming it; and no
  message names a file that was not given.

A failing batch is bisected down to the single files that fail on their own.

    python3 tests/corpus/walk_corpus.py --emotriage build/src/cli/emotriage \
        --corpus /work/shared/corpus

Exit status: 0 pass, 1 failure, 77 corpus missing (CTest SKIP_RETURN_CODE).
"""
from __future__ import annotations

import argparse
import collections
import os
import re
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_common as cc  # noqa: E402


def bad_strings(value, where="$"):
    """Yields JSON paths of strings that are not valid UTF-8 (lone surrogates)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            yield where
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from bad_strings(item, f"{where}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from bad_strings(key, f"{where}.<key>")
            yield from bad_strings(item, f"{where}.{key}")


def shape_problems(doc) -> list[str]:
    problems = []
    if not isinstance(doc, dict):
        return ["top level is not an object"]
    for key in cc.TOP_LEVEL_KEYS:
        if key not in doc:
            problems.append(f"top level lacks '{key}'")
    if doc.get("tool") != "emotriage":
        problems.append(f"tool is {doc.get('tool')!r}")
    if doc.get("command") != "parse":
        problems.append(f"command is {doc.get('command')!r}")
    if not isinstance(doc.get("version"), str):
        problems.append("version is not a string")
    for key in ("messages", "errors", "skipped"):
        if key in doc and not isinstance(doc[key], list):
            problems.append(f"'{key}' is not an array")
    for i, message in enumerate(doc.get("messages") or []):
        if not isinstance(message, dict):
            problems.append(f"messages[{i}] is not an object")
            continue
        missing = [k for k in cc.MESSAGE_KEYS if k not in message]
        if missing:
            problems.append(f"messages[{i}] ({message.get('source')}) lacks {missing}")
        if not isinstance(message.get("parts", []), list) or not isinstance(message.get("findings", []), list):
            problems.append(f"messages[{i}] parts/findings not arrays")
    for key, field in (("skipped", "source"), ("errors", "error")):
        for i, item in enumerate(doc.get(key) or []):
            if not isinstance(item, dict) or not isinstance(item.get(field), str):
                problems.append(f"{key}[{i}] is not an object with a string '{field}'")
    for i, message in enumerate(doc.get("messages") or []):
        if isinstance(message, dict) and not isinstance(message.get("source"), str):
            problems.append(f"messages[{i}].source is not a string")
    bad = 0
    for path in bad_strings(doc):
        where = ""
        m = re.match(r"\$\.messages\[(\d+)\]", path)
        if m and isinstance(doc["messages"][int(m.group(1))], dict):
            where = f"{doc['messages'][int(m.group(1))].get('source')}: "
        problems.append(f"{where}string at {path} is not valid UTF-8 (lone surrogate)")
        bad += 1
        if bad >= 20:
            break
    return problems


def accounting(files: list[str], doc: dict) -> tuple[dict, list[str]]:
    """Maps each input file to how it was accounted for; lists files nobody mentions."""
    inputs = set(files)
    how = collections.defaultdict(list)
    problems = []
    for message in doc.get("messages", []):
        source = message.get("source", "")
        owner = cc.source_file(source, inputs)
        if owner is None:
            problems.append(f"message source {source!r} matches no input file")
        else:
            how[owner].append("message")
    for item in doc.get("skipped", []):
        owner = cc.source_file(item.get("source", ""), inputs)
        if owner is None:
            problems.append(f"skipped source {item.get('source')!r} matches no input file")
        else:
            how[owner].append("skipped")
    for item in doc.get("errors", []):
        detail = item.get("error", "")
        owners = [f for f in files if f in detail]
        if owners:
            how[max(owners, key=len)].append("error")
        else:
            problems.append(f"error {detail!r} names no input file")
    for f in files:
        if f not in how:
            problems.append(f"{f}: not accounted for (no message, no skipped entry, no error)")
    return how, problems


def check_result(result: cc.RunResult) -> list[str]:
    problems = list(result.problems)
    if result.doc is not None:
        shape = shape_problems(result.doc)
        problems += shape
        if not shape:
            problems += accounting(result.files, result.doc)[1]
    return problems


def crash_only(result: cc.RunResult) -> bool:
    """A batch-level failure (crash, hang, broken output) as opposed to per-file findings."""
    return bool(result.problems) or result.doc is None


def bisect(exe, corpus, files, timeout) -> list[tuple[str, list[str]]]:
    """Splits a failing batch until single files fail on their own."""
    result = cc.run_parse(exe, corpus, files, timeout)
    if not crash_only(result):
        return []
    if len(files) == 1:
        return [(files[0], result.problems)]
    mid = len(files) // 2
    culprits = bisect(exe, corpus, files[:mid], timeout) + bisect(exe, corpus, files[mid:], timeout)
    if not culprits:
        culprits = [(f"<batch of {len(files)} starting {files[0]}>",
                     ["fails together but no single half fails alone"] + result.problems)]
    return culprits


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--emotriage", required=True, help="path to the emotriage binary")
    ap.add_argument("--corpus", default="/work/shared/corpus")
    ap.add_argument("--batch", type=int, default=200, help="files per invocation")
    ap.add_argument("--timeout", type=float, default=120, help="seconds per batch")
    ap.add_argument("--workers", type=int, default=2, help="parallel invocations")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    if not cc.check_corpus(args.corpus):
        return cc.SKIP
    exe = os.path.abspath(args.emotriage)
    if not cc.check_tool(exe):
        return 1

    start = time.monotonic()
    rows = [r for r in cc.read_index(args.corpus) if cc.is_mail_row(r)]
    files = [r.path for r in rows if os.path.isfile(os.path.join(args.corpus, r.path))]
    present = set(files)
    missing = [r.path for r in rows if r.path not in present]

    failures: list[str] = [f"{m}: listed in INDEX.tsv but missing from the corpus" for m in missing]
    messages = skipped = errors = 0
    findings = collections.Counter()
    kinds = collections.Counter(r.kind for r in rows)
    results = cc.run_batches(exe, args.corpus, files, args.batch, args.timeout, args.workers)
    queue = list(results)
    while queue:
        result = queue.pop(0)
        if crash_only(result):
            print(f"batch of {len(result.files)} (first {result.files[0]}) failed: "
                  f"{'; '.join(result.problems)}; bisecting ...")
            culprits = bisect(exe, args.corpus, result.files, args.timeout)
            for culprit, why in culprits:
                failures.append(f"{culprit}: {'; '.join(why)}")
            # The rest of the batch is still checked, without the files that fail alone.
            bad = {c for c, _ in culprits}
            rest = [f for f in result.files if f not in bad]
            if rest and len(bad) > 0 and len(rest) < len(result.files):
                queue.append(cc.run_parse(exe, args.corpus, rest, args.timeout))
            continue
        failures += check_result(result)
        doc = result.doc if isinstance(result.doc, dict) else {}
        listed = {k: [x for x in (doc.get(k) or []) if isinstance(x, dict)]
                  for k in ("messages", "skipped", "errors")}
        messages += len(listed["messages"])
        skipped += len(listed["skipped"])
        errors += len(listed["errors"])
        for message in listed["messages"]:
            for finding in message.get("findings") or []:
                if isinstance(finding, dict):
                    findings[str(finding.get("id", "?"))] += 1
        if args.verbose:
            for item in listed["skipped"]:
                print(f"  skipped {item.get('source')}: {item.get('reason')}")
            for item in listed["errors"]:
                print(f"  error {item.get('error')}")

    wall = time.monotonic() - start
    print(f"files: {len(files)} ({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})")
    print(f"messages: {messages}  skipped: {skipped}  errors: {errors}  "
          f"batches: {len(results)} x <= {args.batch}  wall: {wall:.1f} s")
    print("findings by id:" + ("" if findings else " none"))
    for finding_id, count in sorted(findings.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {count:6d}  {finding_id}")
    if failures:
        print(f"FAIL: {len(failures)} problem(s)")
        for line in failures:
            print(f"  {line}")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
