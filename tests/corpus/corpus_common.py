"""Shared helpers for the real-world corpus tests (walk_corpus.py, differential.py).

Standard library only. The corpus (/work/shared/corpus by default) is read in place: nothing is
copied, and no URL found in it is ever resolved or fetched.
"""
from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field

SKIP = 77  # CTest SKIP_RETURN_CODE

# INDEX.tsv kinds that are mail text or Outlook mail.
MAIL_KINDS = {"rfc822", "mbox", "outlook-msg"}
# "other-text" holds mail-like files (headerless messages, unmunged mbox, GMime's mbox dumps, an
# empty file ...) but also plain text from the Office sources; those folders are left out.
NON_MAIL_SOURCES = ("apache_poi/", "oletools/")

TOP_LEVEL_KEYS = ("tool", "version", "command", "messages", "errors", "skipped")
MESSAGE_KEYS = ("source", "subject", "from", "parts", "findings")


@dataclass
class IndexRow:
    path: str
    kind: str
    features: str
    note: str


def read_index(corpus: str) -> list[IndexRow]:
    rows = []
    # Columns: file, kind, features, source_repo, commit, upstream_path, size, sha256, note.
    with open(os.path.join(corpus, "INDEX.tsv"), encoding="utf-8") as f:
        f.readline()  # header
        for line in f:
            cells = line.rstrip("\n").split("\t")
            if len(cells) < 2:
                continue
            rows.append(IndexRow(path=cells[0], kind=cells[1],
                                 features=cells[2] if len(cells) > 2 else "",
                                 note=cells[8] if len(cells) > 8 else ""))
    return rows


def is_mail_row(row: IndexRow) -> bool:
    if row.kind in MAIL_KINDS:
        return True
    return row.kind == "other-text" and not row.path.startswith(NON_MAIL_SOURCES)


def check_corpus(corpus: str) -> bool:
    """False (after printing a note) when the corpus is absent: the caller exits with SKIP."""
    if not os.path.isfile(os.path.join(corpus, "INDEX.tsv")):
        print(f"note: corpus not found at {corpus} (no INDEX.tsv); skipping")
        return False
    return True


def check_tool(exe: str) -> bool:
    if not (os.path.isfile(exe) and os.access(exe, os.X_OK)):
        print(f"error: emotriage binary not found or not executable: {exe}")
        return False
    return True


def batches(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@dataclass
class RunResult:
    files: list[str]
    returncode: int | None = None  # None: timed out
    stdout: bytes = b""
    stderr: bytes = b""
    seconds: float = 0.0
    doc: dict | None = None
    problems: list[str] = field(default_factory=list)


def run_parse(exe: str, corpus: str, files: list[str], timeout: float, jobs: int = 1) -> RunResult:
    """Runs `emotriage parse --format json` on corpus-relative paths (so `source` equals the
    INDEX.tsv path) and decodes the output strictly. Problems are listed, never raised."""
    result = RunResult(files=files)
    cmd = [exe, "parse", "--format", "json", "--lang", "en", "--jobs", str(jobs), "--", *files]
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=corpus, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout, env=dict(os.environ, LC_ALL="C.UTF-8"))
    except subprocess.TimeoutExpired as e:
        result.seconds = time.monotonic() - start
        result.stdout = e.stdout or b""
        result.problems.append(f"timed out after {timeout:.0f} s")
        return result
    result.seconds = time.monotonic() - start
    result.returncode = proc.returncode
    result.stdout = proc.stdout
    result.stderr = proc.stderr
    if proc.returncode < 0:
        result.problems.append(f"killed by signal {-proc.returncode}")
    elif proc.returncode not in (0, 2):
        result.problems.append(f"exit code {proc.returncode} (expected 0 or 2)")
    try:
        text = proc.stdout.decode("utf-8")  # strict: invalid UTF-8 is a failure
    except UnicodeDecodeError as e:
        result.problems.append(f"stdout is not valid UTF-8: {e}")
        return result
    try:
        result.doc = json.loads(text)
    except json.JSONDecodeError as e:
        result.problems.append(f"stdout is not valid JSON: {e}")
        return result
    return result


def source_file(source: str, inputs: set[str]) -> str | None:
    """The input file a message `source` came from: "a.eml" or "box.mbox#1234"."""
    if source in inputs:
        return source
    base, sep, offset = source.rpartition("#")
    if sep and offset.isdigit() and base in inputs:
        return base
    return None


def run_batches(exe: str, corpus: str, files: list[str], batch_size: int, timeout: float,
                workers: int = 2) -> list[RunResult]:
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_parse, exe, corpus, chunk, timeout)
                   for chunk in batches(files, batch_size)]
        return [f.result() for f in futures]


def eprint(*args):
    print(*args, file=sys.stderr)
