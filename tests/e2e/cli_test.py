#!/usr/bin/env python3
"""End-to-end tests of the emotriage binary: exit codes, stdin, folders (Maildir, skipped files),
mbox locators, JSON shape, terminal-escape neutralisation, --limit.

    cli_test.py EMOTRIAGE SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

BIN, SOURCE = os.path.abspath(sys.argv[1]), sys.argv[2]
passed = failed = 0


def run(args, stdin=None, cwd=SOURCE):
    return subprocess.run([BIN] + args, input=stdin, capture_output=True, cwd=cwd, timeout=120)


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


# Exit 0 and every example read.
r = run(["parse", "--format", "json", "examples/mail"])
doc = json.loads(r.stdout)
check("examples exit 0", r.returncode == 0, r.stderr)
check("examples all read", len(doc["messages"]) == len(os.listdir(os.path.join(SOURCE, "examples/mail"))))
check("json shape", set(doc) >= {"tool", "version", "command", "messages", "errors", "skipped"})

# Unreadable input: exit 2, the rest still read.
r = run(["parse", "--format", "json", "/nonexistent/x.eml", "examples/mail/euc-jp.eml"])
doc = json.loads(r.stdout)
check("missing input exit 2", r.returncode == 2)
check("missing input others read", len(doc["messages"]) == 1 and len(doc["errors"]) == 1)

# Bad option: exit 2.
check("bad option exit 2", run(["parse", "--format", "xml", "x"]).returncode == 2)
check("bad limit exit 2", run(["parse", "--limit", "nope=1", "examples/mail"]).returncode == 2)

# stdin.
r = run(["parse", "--format", "json", "-"], stdin=b"From: a@example.jp\nSubject: via stdin\n\nbody\n")
check("stdin", json.loads(r.stdout)["messages"][0]["subject"] == "via stdin")

with tempfile.TemporaryDirectory() as tmp:
    # mbox locators are byte offsets of the From_ lines.
    mbox = os.path.join(tmp, "box.mbox")
    first = b"From a@example.jp Mon Jan  5 09:12:00 2026\nSubject: one\n\nx\n\n"
    with open(mbox, "wb") as f:
        f.write(first + b"From b@example.jp Mon Jan  5 09:13:00 2026\nSubject: two\n\n>From y\n")
    doc = json.loads(run(["parse", "--format", "json", mbox]).stdout)
    sources = [m["source"] for m in doc["messages"]]
    check("mbox locators", sources == [f"{mbox}#0", f"{mbox}#{len(first)}"], sources)

    # Maildir: cur and new read, tmp ignored; a binary file is skipped, not parsed.
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(tmp, "Maildir", sub))
        with open(os.path.join(tmp, "Maildir", sub, "1"), "wb") as f:
            f.write(f"From: a@example.jp\nSubject: {sub}\n\nx\n".encode())
    with open(os.path.join(tmp, "Maildir", "cur", "junk.bin"), "wb") as f:
        f.write(b"\x00\x01\x02binary")
    doc = json.loads(run(["parse", "--format", "json", os.path.join(tmp, "Maildir")]).stdout)
    subjects = sorted(m["subject"] for m in doc["messages"])
    check("maildir", subjects == ["cur", "new"], subjects)
    check("maildir skipped", len(doc["skipped"]) == 1)

    # A subject carrying terminal escapes never reaches the terminal raw.
    evil = os.path.join(tmp, "evil.eml")
    with open(evil, "wb") as f:
        f.write(b"From: a@example.jp\nSubject: =?UTF-8?B?G10wO293bmVkBw==?=\n\nx\n")
    r = run(["parse", "--lang", "en", evil])
    check("escapes neutralised", b"\x1b" not in r.stdout and b"\\x1b" in r.stdout, r.stdout[:200])

    # An encoded line break in a subject cannot forge a line of the text dump.
    forged = os.path.join(tmp, "forged.eml")
    with open(forged, "wb") as f:
        f.write(b"From: a@example.jp\nSubject: =?UTF-8?Q?Invoice=0A__Authentication:_dkim=3Dpass?=\n\nx\n")
    out = run(["parse", "--lang", "en", forged]).stdout.decode()
    check("no forged line", "\n  Authentication:" not in out and "Invoice\\n" in out, out[:300])

    # --limit is applied and reported.
    r = run(["parse", "--format", "json", "--limit", "part_count=1", "examples/mail/forwarded-rfc822-html.eml"])
    ids = [f["id"] for f in json.loads(r.stdout)["messages"][0]["findings"]]
    check("limit reported", "parse.limit-exceeded" in ids, ids)

    # --extract writes generated names only (no name from the mail), mode 0600, and a manifest.
    quarantine = os.path.join(tmp, "quarantine")
    r = run(["analyze", "--profile", "examples/profile.toml", "--format", "json", "--extract", quarantine,
             "examples/incidents/01-own-account-compromised-zip-password.eml"])
    check("analyze exit 1 on suspicious mail", r.returncode == 1, r.stderr)
    names = sorted(os.listdir(quarantine))
    check("extract names", names[-1] == "manifest.jsonl" and
          all(len(n) == 64 + len(".quarantine") and n.endswith(".quarantine") for n in names[:-1]), names)
    check("extract mode", all(os.stat(os.path.join(quarantine, n)).st_mode & 0o777 == 0o600 for n in names), names)
    manifest = [json.loads(line) for line in open(os.path.join(quarantine, "manifest.jsonl"), encoding="utf-8")]
    check("extract manifest", {m["original_name"] for m in manifest} == {"見積書_20200903.zip", "見積書_20200903.doc"},
          manifest)
    # analyze: nothing suspicious exits 0; no file is ever written without --extract.
    r = run(["analyze", "--profile", "examples/profile.toml", "examples/incidents/10-not-suspicious-internal-notice.eml"])
    check("analyze exit 0 on ordinary mail", r.returncode == 0, r.stderr)
    r = run(["analyze", "--profile", "examples/nonexistent.toml", "examples/incidents"])
    check("analyze bad profile exit 2", r.returncode == 2)

    # --logs: the accounts the mail-server logs flag join the campaign's accounts to reset.
    log = os.path.join(tmp, "mail.log")
    truth = json.loads(subprocess.run([sys.executable, os.path.join(SOURCE, "bench", "gen_postfix_log.py"),
                                       "--lines", "20000", "--out", log], capture_output=True,
                                      check=True).stdout.decode().strip().splitlines()[-1])
    r = run(["analyze", "--profile", "examples/profile.toml", "--format", "json", "--logs", log,
             "examples/incidents/10-not-suspicious-internal-notice.eml"])
    campaign = json.loads(r.stdout)["campaign"]
    flagged = sorted(a["account"] for a in campaign["mass_sending_accounts"])
    check("analyze --logs exit 1", r.returncode == 1, r.stderr)
    check("analyze --logs flags the compromised accounts", flagged == sorted(truth["compromised"]),
          (flagged, truth))
    check("analyze --logs accounts to reset",
          {a["target"] for a in campaign["accounts_to_reset"]} == set(truth["compromised"]))

# Text output in both languages.
check("japanese text", "件名" in run(["parse", "--lang", "ja", "examples/mail/euc-jp.eml"]).stdout.decode())
check("english text", "Subject" in run(["parse", "--lang", "en", "examples/mail/euc-jp.eml"]).stdout.decode())

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
