#!/usr/bin/env python3
"""The progress bar on a terminal (issue 9): `analyze` of a PST written at test time
(tests/tools/eml_to_pst.py) and of an mbox, `parse` of a folder and `logs` of a gzip log, each
with stderr on a pseudo-terminal, show a bar with a percentage and erase it at the end; stdin
shows the running count only; stdout is the same as without a terminal; with stderr not a
terminal, nothing of it is printed.

    progress_test.py EMOTRIAGE SOURCE_DIR
"""

import glob
import gzip
import os
import pty
import re
import subprocess
import sys
import tempfile
import threading

BIN, SOURCE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
FAILURES = []
BAR = re.compile(r"\r\[[#-]{20}\] +(\d{1,3})%  [\d,]+ (messages|lines|通|行)  ")
ERASE = "\r\x1b[K"


def check(condition, what):
    if not condition:
        FAILURES.append(what)
        print("FAIL", what)


def run_on_tty(args, stdin=subprocess.DEVNULL, stdout_too=False):
    """stdout and what the terminal on stderr (and stdout, when `stdout_too`) received."""
    master, slave = pty.openpty()
    chunks = []

    def drain():
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: every writer has closed the terminal
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain)
    reader.start()
    result = subprocess.run([BIN, *args], stdin=stdin,
                            stdout=slave if stdout_too else subprocess.PIPE, stderr=slave,
                            timeout=600)
    os.close(slave)
    reader.join(timeout=60)
    os.close(master)
    return result, b"".join(chunks).decode("utf-8", "replace")


def run_plain(args, stdin=subprocess.DEVNULL):
    return subprocess.run([BIN, *args], stdin=stdin, capture_output=True, timeout=600)


def check_bar(name, tty, noun):
    percentages = [int(m.group(1)) for m in BAR.finditer(tty)]
    check(percentages, f"{name}: a bar with a percentage on the terminal: {tty[-300:]!r}")
    check(all(0 <= p <= 100 for p in percentages), f"{name}: percentages within 0..100")
    check(percentages == sorted(percentages), f"{name}: the percentage never goes back")
    check(noun in tty, f"{name}: counts {noun}")
    check(tty.endswith(ERASE), f"{name}: the line is erased at the end: {tty[-80:]!r}")


def check_same_stdout(name, args):
    with_tty, _ = run_on_tty(args)
    plain = run_plain(args)
    check(with_tty.stdout == plain.stdout, f"{name}: stdout does not depend on the terminal")
    check("\r" not in plain.stderr.decode("utf-8", "replace"),
          f"{name}: no progress on a non-terminal stderr")
    check(not BAR.search(plain.stderr.decode("utf-8", "replace")), f"{name}: no bar off a tty")


with tempfile.TemporaryDirectory() as tmp:
    incidents = sorted(glob.glob(os.path.join(SOURCE, "examples/incidents/*.eml")))
    pst = os.path.join(tmp, "box.pst")
    folders = ["Inbox", "Inbox/Sub", "Sent Items"]
    subprocess.run([sys.executable, os.path.join(SOURCE, "tests/tools/eml_to_pst.py"), pst,
                    *[f"{folders[i % 3]}={path}" for i, path in enumerate(incidents)]], check=True)
    mbox = os.path.join(tmp, "box.mbox")
    with open(mbox, "wb") as out:
        for path in incidents:
            with open(path, "rb") as f:
                out.write(b"From a@example.jp Mon Jan  5 09:12:00 2026\n" + f.read() + b"\n")

    # A PST: items against the folders' counts.
    _, tty = run_on_tty(["analyze", "--lang", "en", "--format", "json", "-j", "2", pst])
    check_bar("pst", tty, "messages")
    check(re.search(r"  \d+ / %d items" % len(incidents), tty), f"pst: items of the total: {tty!r}")
    check_same_stdout("pst", ["analyze", "--lang", "en", "--format", "json", "-j", "2", pst])

    # An mbox and a folder: bytes, in Japanese too.
    _, tty = run_on_tty(["analyze", "--lang", "ja", "--format", "json", mbox])
    check_bar("mbox ja", tty, "通")
    check(re.search(r" kB / [\d.]+ kB", tty), f"mbox: bytes of the total: {tty!r}")
    check_same_stdout("mbox", ["analyze", "--lang", "en", mbox])
    # Results on the same terminal go above the bar: each starts on a line of its own (after a
    # line end, or after the bar was erased), never glued to the bar.
    _, tty = run_on_tty(["analyze", "--lang", "en", os.path.join(SOURCE, "examples/mail")],
                        stdout_too=True)
    check(BAR.search(tty), "mbox on one terminal: a bar")
    starts = [m.start() for m in re.finditer("✓", tty)]
    check(starts, "mbox on one terminal: results shown")
    check(all(tty[:at].endswith(("\n", ERASE)) for at in starts),
          f"mbox on one terminal: a result glued to the bar: {tty[:2000]!r}")
    _, tty = run_on_tty(["parse", "--lang", "en", "--format", "json",
                         os.path.join(SOURCE, "examples/mail")])
    check_bar("folder", tty, "messages")

    # stdin has no size: the running count, no bar.
    with open(mbox, "rb") as f:
        _, tty = run_on_tty(["parse", "--lang", "en", "--format", "json", "-"], stdin=f)
    check(re.search(r"\r\d+ messages, [\d.]+ MB", tty), f"stdin: the running count: {tty!r}")
    check(not BAR.search(tty), "stdin: no bar without a total")

    # Mail-server logs, gzip: compressed bytes against the compressed size.
    log = os.path.join(tmp, "mail.log.1.gz")
    with gzip.open(log, "wt") as out:
        for i in range(2000):
            out.write(f"Jan  5 09:{i % 60:02d}:00 mx postfix/smtpd[{i}]: {i:X}: client=a[192.0.2.1],"
                      f" sasl_method=LOGIN, sasl_username=u{i % 7}@example.jp\n")
    _, tty = run_on_tty(["logs", "--lang", "en", log])
    check_bar("logs", tty, "lines")
    check_same_stdout("logs", ["logs", "--lang", "en", log])

if FAILURES:
    print(f"{len(FAILURES)} failure(s)")
    sys.exit(1)
print("progress: all checks passed")
