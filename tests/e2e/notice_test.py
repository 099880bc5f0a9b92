#!/usr/bin/env python3
"""End-to-end tests of the notices: `analyze --notices` and `notice` write the same files (one
code path); golden files of every template in ja and en (tests/golden/notice/, UPDATE_GOLDEN=1
regenerates); every .eml draft parses back with Python's email package and with `emotriage
parse`; hostile subjects and names come out inert; template errors exit 2.

    notice_test.py EMOTRIAGE SOURCE_DIR
"""
import email
import email.utils
import email.policy
import json
import os
import shutil
import subprocess
import sys
import tempfile

BIN, SOURCE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
GOLDEN = os.path.join(SOURCE, "tests", "golden", "notice")
DATE = "2024-12-10T10:00:00+09:00"
PROFILE = "examples/profile.toml"
passed = failed = 0


def run(args):
    return subprocess.run([BIN] + args, capture_output=True, cwd=SOURCE, timeout=300)


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def read_dir(path):
    return {name: open(os.path.join(path, name), "rb").read() for name in sorted(os.listdir(path))}


def check_eml(name, data, txt):
    """The draft parses back; Subject and To decode to what the .txt shows."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    shown = dict(line.split(": ", 1) for line in txt.split("\n\n", 1)[0].splitlines())
    check(f"{name} subject", str(message["Subject"]) == shown["Subject"],
          f"{message['Subject']!r} != {shown['Subject']!r}")
    if "To" in shown:
        to = [(a.display_name, a.addr_spec) for a in message["To"].addresses]
        check(f"{name} to", to == email.utils.getaddresses([shown["To"]]), f"{to!r} != {shown['To']!r}")
    check(f"{name} headers", all(message[h] for h in ("From", "Date", "Message-ID", "MIME-Version")))
    check(f"{name} no defects", not message.defects and not any(
        message[h].defects for h in message.keys()), str(message.defects))
    check(f"{name} body", message.get_content().replace("\r\n", "\n") == txt.split("\n\n", 1)[1])
    check(f"{name} lines <= 998", all(len(line) <= 998 for line in data.split(b"\r\n")))
    check(f"{name} bcc", message["Bcc"] is None)
    return message


with tempfile.TemporaryDirectory() as tmp:
    analysis = os.path.join(tmp, "analysis.json")
    r = run(["analyze", "examples/incidents", "--profile", PROFILE, "--format", "json", "-j", "1"])
    check("analyze exit 1", r.returncode == 1, r.stderr)
    with open(analysis, "wb") as f:
        f.write(r.stdout)

    # The saved analysis and --notices on the same input: identical files.
    saved, direct = os.path.join(tmp, "saved"), os.path.join(tmp, "direct")
    r = run(["notice", analysis, "--profile", PROFILE, "--out", saved, "--date", DATE])
    check("notice exit 0", r.returncode == 0, r.stderr)
    r = run(["analyze", "examples/incidents", "--profile", PROFILE, "-j", "1", "--notices", direct,
             "--date", DATE])
    check("analyze --notices exit 1", r.returncode == 1, r.stderr)
    files = read_dir(saved)
    check("one code path", files == read_dir(direct),
          str(set(files) ^ set(read_dir(direct))))
    kinds = {name.split("-0")[0].split(".")[0] for name in files}
    check("every notice kind", kinds >= {"website-notice", "sender-letter", "abuse-report",
                                         "staff-alert", "partner-advisory", "lookalike-report"},
          str(kinds))
    for lang in ("ja", "en"):
        check(f"{lang} written", any(f".{lang}." in name for name in files))

    # The campaign extension: provider names and abuse desks, the lookalike domain's letter.
    abuse = files["abuse-report-01-gmail.com.en.txt"].decode()
    check("abuse report provider", "Dear Gmail (Google) abuse team" in abuse, abuse[:400])
    check("abuse report form", "https://support.google.com/mail/contact/abuse" in abuse)
    lookalike = files.get("lookalike-report-01-sarnple-shoji.example.en.txt", b"").decode()
    check("lookalike report", "To: abuse@sarnple-shoji.example\n" in lookalike and
          "imitates our domain sample-shoji.example" in lookalike and "registrar" in lookalike,
          lookalike[:400])
    check("no sender letter to the lookalike", not any(
        n.startswith("sender-letter") and "sarnple" in n for n in files))
    website = files["website-notice.en.txt"].decode()
    check("website lists pretenders", "k.sato@sarnple-shoji.example> (a domain imitating ours"
          in website and "h.suzuki@sample-shoji.example> (our address, forged)" in website)
    for outsider in ("billing@acme-invoices.example", "nakamura.torihiki@gmail.com",
                     "support@minato-logi.example"):
        check(f"website omits {outsider}", outsider not in website)
    for name, data in files.items():
        if not name.endswith(".html"):
            check(f"{name} no run of blank lines", b"\n\n\n" not in data.replace(b"\r\n", b"\n"))

    # Outside malspam only: the staff alert and letters, no website notice, and the run says so.
    malspam = os.path.join(tmp, "malspam")
    r = run(["analyze", "examples/incidents/05-external-malspam-onenote.eml",
             "examples/incidents/06-external-malspam-padded-doc.eml", "--profile", PROFILE,
             "-j", "1", "--notices", malspam, "--date", DATE])
    written = read_dir(malspam)
    check("malspam staff alert", "staff-alert.en.txt" in written, str(list(written)))
    check("malspam no website notice", not any(n.startswith("website") for n in written))
    check("malspam said so", b"no website notice" in r.stderr or
          "Web サイト掲載文は作成していません".encode() in r.stderr, r.stderr)

    # Golden files: every template in both languages.
    if os.environ.get("UPDATE_GOLDEN") == "1":
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(saved, GOLDEN)
    golden = read_dir(GOLDEN)
    check("golden file set", set(golden) == set(files), str(set(golden) ^ set(files)))
    for name in sorted(set(golden) & set(files)):
        check(f"golden {name}", golden[name] == files[name])

    # Every draft parses back, with Python and with emotriage's own parser.
    for name, data in files.items():
        if name.endswith(".eml"):
            check_eml(name, data, files[name[:-4] + ".txt"].decode())
    emls = [os.path.join(saved, n) for n in files if n.endswith(".eml")]
    r = run(["parse", "--format", "json"] + emls)
    check("parse exit 0", r.returncode == 0, r.stderr)
    for parsed in json.loads(r.stdout)["messages"]:
        name = os.path.basename(parsed["source"])
        python = email.message_from_bytes(files[name], policy=email.policy.default)
        check(f"parse subject {name}", parsed["subject"] == str(python["Subject"]))
        check(f"parse no malformed {name}",
              not any(f["id"].startswith("parse.") for f in parsed.get("findings", [])))

    # ISO-2022-JP where it can be; UTF-8 where a CP932-only character (髙) is in the text.
    jis = email.message_from_bytes(files["sender-letter-01-gmail.com.ja.eml"], policy=email.policy.default)
    check("ja letter ISO-2022-JP", jis.get_content_charset() == "iso-2022-jp")
    alert = email.message_from_bytes(files["staff-alert.ja.eml"], policy=email.policy.default)
    check("髙 falls back to UTF-8", alert.get_content_charset() == "utf-8" and "髙橋" in alert.get_content())

    # Hostile subjects and names: no extra header, literal braces, escaped HTML.
    hostile = os.path.join(tmp, "hostile")
    r = run(["notice", "tests/data/notice/hostile.json", "--profile", PROFILE, "--out", hostile,
             "--date", DATE, "--lang", "ja"])
    check("hostile exit 0", r.returncode == 0, r.stderr)
    out = read_dir(hostile)
    check("hostile ja only", all(".ja." in n for n in out))
    html = out["website-notice.ja.html"].decode()
    check("hostile html escaped", "<script" not in html and "&lt;script&gt;" in html)
    check("hostile braces literal", "{{company.name}}" in html)
    for name, data in out.items():
        if name.endswith(".eml"):
            message = check_eml(name, data, out[name[:-4] + ".txt"].decode())
            check(f"hostile {name} recipients", all(
                "\\" not in a.addr_spec and " " not in a.addr_spec for a in message["To"].addresses))
    letter = out["sender-letter-01-evil.example.ja.txt"].decode()
    check("hostile subject braces literal", "{{#company}}x{{/company}}" in letter)
    check("hostile partial literal", "{{> partial}}" in letter)
    check("hostile no forged line", "\nBcc:" not in letter)

    # User templates: one file replaced, a broken one is exit 2, a missing analysis is exit 2.
    user = os.path.join(tmp, "templates")
    os.makedirs(os.path.join(user, "en"))
    with open(os.path.join(user, "en", "staff-alert.subject.mustache"), "w") as f:
        f.write("Staff: {{counts.suspicious}} mails")
    mine = os.path.join(tmp, "mine")
    r = run(["notice", analysis, "--profile", PROFILE, "--out", mine, "--date", DATE, "--lang", "en",
             "--templates", user])
    check("user template exit 0", r.returncode == 0, r.stderr)
    check("user template used", b"Subject: Staff: 11 mails\n" in read_dir(mine)["staff-alert.en.txt"])
    with open(os.path.join(user, "en", "website.html.mustache"), "w") as f:
        f.write("{{#broken}")
    r = run(["notice", analysis, "--profile", PROFILE, "--out", mine, "--date", DATE, "--lang", "en",
             "--templates", user])
    check("broken template exit 2", r.returncode == 2 and b"website.html" in r.stderr, r.stderr)
    with open(os.path.join(tmp, "junk.json"), "w") as f:
        f.write("not json")
    r = run(["notice", os.path.join(tmp, "junk.json"), "--profile", PROFILE, "--out", mine])
    check("junk analysis exit 2", r.returncode == 2, r.stderr)
    r = run(["notice", analysis, "--profile", PROFILE, "--out", mine, "--date", "tomorrow"])
    check("bad date exit 2", r.returncode == 2, r.stderr)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
