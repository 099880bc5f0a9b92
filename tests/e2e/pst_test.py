#!/usr/bin/env python3
"""emotriage on a real PST: a mailbox written at test time by tests/tools/pstwriter.py.

Every incident of examples/incidents is stored in one of four folders (Inbox, Inbox/Sub,
Sent Items, a Japanese folder name) as Outlook stores received mail (transport headers, bodies,
attachments by value, attached mails as embedded messages), plus two messages made of
properties only (no transport headers; one in CP932 ANSI properties, one in Unicode). Checks:
  - pffinfo (Debian pff-tools, same libpff) reads the file, when installed;
  - `analyze --format json` on the .pst gives one analysis per item (and per attached mail)
    with locators `box.pst#Top of Personal Folders/<folder>/<N>`, and each mail gets the
    scenario and score its .eml gets; subjects and attachment SHA-256 agree in `parse`;
  - the property-only messages come out with their subject, sender, recipient and attachment;
  - the PST read from stdin, and the same mailbox permute-encoded (Outlook's default), give
    the same messages; truncated and bit-flipped copies give
    findings, never a crash;
  - a mailbox of generated mail (gen_corpus.py, 2,000 messages in 8 folders) is walked
    completely; the peak RSS is printed (bounded memory: compared with a 200-message mailbox).

    pst_test.py EMOTRIAGE SOURCE_DIR [GEN_CORPUS.py]
"""

import email
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from eml_to_pst import folder_at, message_from_eml  # noqa: E402
from pstwriter import (NDB_CRYPT_PERMUTE, PT_BINARY, PT_LONG, PT_STRING8,  # noqa: E402
                       PT_SYSTIME, PT_UNICODE, Attachment, Message, PstWriter, stored_subject)

TOP = "Top of Personal Folders"
FOLDERS = ["Inbox", "Inbox/Sub", "Sent Items", "取引先/見積"]
FAILURES = []


def check(condition, what):
    if not condition:
        FAILURES.append(what)
        print("FAIL", what)


def run(binary, args, cwd):
    result = subprocess.run([binary, *args], cwd=cwd, capture_output=True, timeout=900)
    if result.returncode not in (0, 1):
        sys.stderr.write(result.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"{args[0]} exited {result.returncode}")
    return json.loads(result.stdout)


ATTACHMENT_BYTES = b"PK\x03\x04" + bytes(range(256)) * 40  # a file over one data block
CP932_SUBJECT = "【至急】①請求書の件（㈱サンプル商事）"
UNICODE_SUBJECT = "Re: 見積書の送付 🚀 ご確認ください"
FILETIME_2024 = (1705314600 + 11644473600) * 10_000_000


def property_only_messages():
    """Two mails as a client stores one it wrote: properties only, no transport headers."""
    recipient = [(0x0C15, PT_LONG, 1), (0x3001, PT_UNICODE, "取引先 花子"),
                 (0x3002, PT_UNICODE, "SMTP"), (0x39FE, PT_UNICODE, "h.torihiki@partner.example")]
    cp932 = Message(props=[
        (0x001A, PT_STRING8, b"IPM.Note"), (0x3FFD, PT_LONG, 932),
        (0x0037, PT_STRING8, CP932_SUBJECT.encode("cp932")),
        (0x0C1A, PT_STRING8, "山田 太郎".encode("cp932")),
        (0x5D01, PT_STRING8, b"t.yamada@sample-shoji.example"),
        (0x1000, PT_STRING8, "請求書を添付します。ご確認ください。".encode("cp932")),
        (0x0039, PT_SYSTIME, FILETIME_2024)],
        recipients=[recipient],
        attachments=[Attachment(props=[(0x3707, PT_STRING8, "請求書.zip".encode("cp932")),
                                       (0x370E, PT_STRING8, b"application/zip")],
                                data=ATTACHMENT_BYTES)])
    unicode = Message(props=[
        (0x001A, PT_UNICODE, "IPM.Note"), (0x0037, PT_UNICODE, stored_subject(UNICODE_SUBJECT)),
        (0x0042, PT_UNICODE, "佐藤 次郎"), (0x5D02, PT_UNICODE, "j.sato@sample-shoji.example"),
        (0x1000, PT_UNICODE, "見積書をお送りします。"),
        (0x1013, PT_BINARY, "<p>見積書をお送りします。</p>".encode("utf-8")),
        (0x3FDE, PT_LONG, 65001), (0x0039, PT_SYSTIME, FILETIME_2024)],
        recipients=[recipient])
    return [("cp932", cp932, CP932_SUBJECT, "t.yamada@sample-shoji.example", "請求書.zip"),
            ("unicode", unicode, UNICODE_SUBJECT, "j.sato@sample-shoji.example", None)]


def attachment_hashes(message):
    return sorted(p["sha256"] for p in message["parts"]
                  if not p["multipart"] and p.get("attachment") and
                  p["content_type"] != "message/rfc822")


def pffexport_message_ids(export_dir):
    """{"Inbox/Sub/3": Message-ID} from pffexport's Message00003/InternetHeaders.txt ("" when a
    message has no transport headers)."""
    out = {}
    top = os.path.join(export_dir, TOP)
    for folder, _, files in os.walk(top):
        leaf = os.path.basename(folder)
        if not leaf.startswith("Message") or "Attachments" in os.path.relpath(folder, top):
            continue
        message_id = ""
        if "InternetHeaders.txt" in files:
            with open(os.path.join(folder, "InternetHeaders.txt"), "rb") as f:
                mail = email.message_from_bytes(f.read())
            message_id = (mail.get("Message-ID") or "").strip()
        out[f"{os.path.dirname(os.path.relpath(folder, top))}/{int(leaf[len('Message'):])}"] = \
            message_id
    return out


def locator_parts(source):
    """"box.pst#Top of Personal Folders/Inbox/Sub/3" -> ("Inbox/Sub", 3)."""
    path = source.split("#", 1)[1]
    check(path.startswith(TOP + "/"), f"{source}: not under {TOP}")
    folder, _, number = path[len(TOP) + 1:].rpartition("/")
    return folder, int(number)


def incidents(binary, source, scratch):
    incident_dir = os.path.join(source, "examples", "incidents")
    emls = sorted(f for f in os.listdir(incident_dir) if f.endswith(".eml"))
    check(len(emls) == 14, f"{len(emls)} incidents, expected 14")
    writer, folders, home = PstWriter(), {}, {}
    for i, name in enumerate(emls):
        home[name] = FOLDERS[i % len(FOLDERS)]
        with open(os.path.join(incident_dir, name), "rb") as f:
            writer.add_message(folder_at(writer, folders, home[name]),
                               message_from_eml(f.read()))
    extras = property_only_messages()
    for _, message, *_ in extras:
        writer.add_message(folder_at(writer, folders, "Inbox"), message)
    pst = os.path.join(scratch, "box.pst")
    writer.write(pst)
    writer.crypt = NDB_CRYPT_PERMUTE  # the same mailbox as Outlook writes it by default
    writer.write(os.path.join(scratch, "box-permute.pst"))

    options = ["--profile", os.path.join(source, "examples", "profile.toml"), "--format", "json",
               "--lang", "en"]
    eml_report = run(binary, ["analyze", *options, "examples/incidents"], source)
    pst_report = run(binary, ["analyze", *options, "box.pst"], scratch)
    eml_parse = run(binary, ["parse", "--format", "json", "examples/incidents"], source)
    pst_parse = run(binary, ["parse", "--format", "json", "box.pst"], scratch)

    def by_prefix(report, prefix):
        return [m for m in report["messages"]
                if m["source"] == prefix or m["source"].startswith(prefix + "#part=")]

    # libpff lists a folder's messages in its own order (not the order they were added), so
    # each item is matched to its .eml by Message-ID; its place must be its own folder, and
    # every folder must number its items 1..n.
    eml_by_id = {by_prefix(eml_parse, "examples/incidents/" + n)[0]["message_id"]: n for n in emls}
    located, numbers = {}, {}
    for message in pst_parse["messages"]:
        if "#part=" in message["source"].split("#", 1)[1]:
            continue
        folder, number = locator_parts(message["source"])
        numbers.setdefault(folder, []).append(number)
        name = eml_by_id.get(message["message_id"])
        if name:
            check(folder == home[name], f"{name} at {message['source']}, put in {home[name]}")
            located[name] = message["source"]
    for folder, found in numbers.items():
        check(sorted(found) == list(range(1, len(found) + 1)), f"{folder}: items {sorted(found)}")
    check(sorted(located) == emls, f"incidents found in the PST: {sorted(located)}")

    pffinfo = shutil.which("pffinfo")
    if pffinfo:
        info = subprocess.run([pffinfo, pst], capture_output=True, timeout=60)
        check(info.returncode == 0 and b"Personal Storage Tables (PST)" in info.stdout,
              f"pffinfo does not read the PST: {info.stdout[-300:]!r}")
        export = os.path.join(scratch, "export")
        listing = subprocess.run(["pffexport", "-t", export, pst], capture_output=True,
                                 timeout=120)
        check(listing.returncode == 0, f"pffexport failed: {listing.stderr[-300:]!r}")
        # pffexport numbers the messages of a folder as our locators do.
        theirs = pffexport_message_ids(export + ".export")
        ours = {"/".join(map(str, locator_parts(m["source"]))): m["message_id"]
                for m in pst_parse["messages"] if "#part=" not in m["source"]}
        check(theirs == ours,
              f"pffexport's numbering differs: {sorted(set(theirs.items()) ^ set(ours.items()))}")
    else:
        print("pffinfo not installed (Debian pff-tools): libpff's own tools not run")

    expected_total = 0
    for name in emls:
        locator = located.get(name)
        if locator is None:
            continue
        from_eml = by_prefix(eml_report, "examples/incidents/" + name)
        from_pst = by_prefix(pst_report, locator)
        expected_total += len(from_eml)
        check(len(from_eml) == len(from_pst),
              f"{name}: {len(from_eml)} analyses from the .eml, {len(from_pst)} at {locator}")
        for a, b in zip(from_eml, from_pst):
            for key in ("scenario", "score"):
                check(a["verdict"][key] == b["verdict"][key],
                      f"{name} -> {b['source']}: {key} {b['verdict'][key]!r}, "
                      f".eml {a['verdict'][key]!r}")
            check(a["subject"] == b["subject"], f"{b['source']}: subject {b['subject']!r}")
            check(sorted(f["id"] for f in a["findings"]) == sorted(f["id"] for f in b["findings"]),
                  f"{b['source']}: findings differ: "
                  f"{sorted({f['id'] for f in a['findings']} ^ {f['id'] for f in b['findings']})}")
        parsed_eml = by_prefix(eml_parse, "examples/incidents/" + name)[0]
        parsed_pst = by_prefix(pst_parse, locator)[0]
        check(parsed_eml["subject"] == parsed_pst["subject"],
              f"{locator}: parsed subject {parsed_pst['subject']!r}")
        check(attachment_hashes(parsed_eml) == attachment_hashes(parsed_pst),
              f"{locator}: attachment SHA-256 differ")
    for label, _, subject, sender, filename in extras:
        found = [m for m in pst_parse["messages"] if m["subject"] == subject]
        check(len(found) == 1, f"{label}: {len(found)} messages with subject {subject!r}")
        if not found:
            continue
        message = found[0]
        check(locator_parts(message["source"])[0] == "Inbox", f"{label}: at {message['source']}")
        check(message["from"] and message["from"]["address"] == sender,
              f"{label}: from {message['from']!r}")
        check([t["address"] for t in message["to"]] == ["h.torihiki@partner.example"],
              f"{label}: to {message['to']!r}")
        check(message["date"].startswith("2024-01-15T10:30:00"), f"{label}: date {message['date']}")
        files = [p for p in message["parts"] if not p["multipart"] and p.get("attachment")]
        if filename:
            check([p["filename"] for p in files] == [filename] and
                  files[0]["sha256"] == hashlib.sha256(ATTACHMENT_BYTES).hexdigest(),
                  f"{label}: attachments {[(p['filename'], p['sha256']) for p in files]}")
    check(len(pst_report["messages"]) == expected_total + len(extras),
          f"analyze on the .pst: {len(pst_report['messages'])} messages, "
          f"expected {expected_total + len(extras)}")
    check(not pst_report["errors"], f"analyze errors: {pst_report['errors']}")
    print(f"{len(located)} incidents + {len(extras)} property-only messages compared "
          f"({len(pst_report['messages'])} analyses from the .pst)")


def stdin_and_damage(binary, scratch):
    """The same mailbox through stdin, then truncated and with bytes flipped: libpff's errors
    must arrive as findings, never as a crash or a broken report."""
    with open(os.path.join(scratch, "box.pst"), "rb") as f:
        good = f.read()
    by_path = run(binary, ["parse", "--format", "json", "box.pst"], scratch)
    by_stdin = json.loads(subprocess.run([binary, "parse", "--format", "json", "-"], input=good,
                                         capture_output=True, timeout=300).stdout)
    check([m["source"].replace("box.pst#", "-#") for m in by_path["messages"]] ==
          [m["source"] for m in by_stdin["messages"]], "stdin gives other messages than the file")
    # Damage where the data is: the file is padded with zeros to the end of its last AMap region.
    used = len(good.rstrip(b"\0"))
    permute = run(binary, ["parse", "--format", "json", "box-permute.pst"], scratch)
    check([json.dumps(m, sort_keys=True).replace("box-permute.pst#", "box.pst#")
           for m in permute["messages"]] ==
          [json.dumps(m, sort_keys=True) for m in by_path["messages"]],
          "the permute-encoded PST reads differently from the plain one")
    rng = random.Random(9)
    damaged = [good[:0x4400 + (used - 0x4400) * k // 8] for k in range(8)]
    for _ in range(24):
        data = bytearray(good)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(0x4400, used)] ^= 1 << rng.randrange(8)
        damaged.append(bytes(data))
    malformed = 0
    for i, data in enumerate(damaged):
        result = subprocess.run([binary, "parse", "--no-inspect", "--format", "json", "-"],
                                input=data, capture_output=True, timeout=300)
        check(result.returncode in (0, 1), f"damaged PST {i}: exit status {result.returncode}")
        try:
            report = json.loads(result.stdout)
        except ValueError:
            check(False, f"damaged PST {i}: no JSON report")
            continue
        check(report["messages"] or report["errors"], f"damaged PST {i}: nothing reported")
        malformed += any(f["id"] == "parse.malformed" for m in report["messages"]
                         for f in m["findings"])
    check(malformed >= len(damaged) // 4, f"only {malformed} damaged copies have parse.malformed")
    print(f"stdin and the permute encoding agree with the file; {len(damaged)} damaged copies reported without a crash, "
          f"{malformed} with parse.malformed")


def peak_rss_of(binary, args, cwd):
    """Runs in a fresh child so that RUSAGE_CHILDREN is this run's peak (in KiB)."""
    code = ("import resource, subprocess, sys\n"
            "r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)\n"
            "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "sys.stdout.write(str(peak) + '\\n')\n"
            "sys.stdout.write(r.stdout.decode('utf-8', 'replace'))\n")
    out = subprocess.run([sys.executable, "-c", code, binary, *args], cwd=cwd,
                         capture_output=True, timeout=1800, text=True).stdout
    rss, _, report = out.partition("\n")
    return int(rss), report


def generated(binary, gen_corpus, scratch):
    """2,000 generated mails in 8 folders of 250; and the first 200 for the memory baseline."""
    eml_dir = os.path.join(scratch, "gen")
    subprocess.run([sys.executable, gen_corpus, "-n", "2000", "-o",
                    os.path.join(scratch, "gen.mbox"), "--eml-dir", eml_dir],
                   check=True, capture_output=True, timeout=600)
    emls = sorted(os.listdir(eml_dir))
    check(len(emls) == 2000, f"gen_corpus wrote {len(emls)} mails")
    by_eml = run(binary, ["parse", "--format", "json", eml_dir], scratch)
    findings_of = {m["message_id"]: sorted(f["id"] for f in m["findings"])
                   for m in by_eml["messages"] if "#part=" not in m["source"]}
    peaks = {}
    for count in (200, len(emls)):
        writer = PstWriter()
        folders = [writer.add_folder(writer.ipm_subtree, f"Folder {i:02d}") for i in range(8)]
        for i, name in enumerate(emls[:count]):
            with open(os.path.join(eml_dir, name), "rb") as f:
                writer.add_message(folders[i * len(folders) // count], message_from_eml(f.read()))
        pst = os.path.join(scratch, f"gen{count}.pst")
        writer.write(pst)
        # Text output streams (JSON holds the whole report) and one job keeps no messages
        # queued for workers: what remains is the walk's own memory.
        rss, text = peak_rss_of(binary, ["parse", "-j", "1", "--format", "text", "--lang", "en",
                                          f"gen{count}.pst"], scratch)
        peaks[count] = rss
        walked = [line for line in text.splitlines()
                  if line.startswith(f"== gen{count}.pst#") and "#part=" not in line]
        print(f"{count} generated mails, {os.path.getsize(pst) / 1e6:.1f} MB PST: "
              f"{len(walked)} walked, peak RSS {rss / 1024:.1f} MiB")
        check(len(walked) == count, f"{count}-message PST: {len(walked)} messages walked")
    report = run(binary, ["parse", "--format", "json", f"gen{len(emls)}.pst"], scratch)
    messages = [m for m in report["messages"] if "#part=" not in m["source"]]
    check(len(messages) == len(emls), f"{len(messages)} messages in the PST's parse report")
    # The same parse findings as the .eml files (the generator's fake Office files are
    # parse.malformed either way): the PST loses and adds nothing.
    differ = [m["source"] for m in messages
              if sorted(f["id"] for f in m["findings"]) != findings_of.get(m["message_id"])]
    check(not differ, f"findings differ from the .eml at {differ[:5]}")
    # The walk holds one message at a time; what grows is the largest messages in flight (the
    # pipeline's queue of rebuilt MIME): ten times the mail may not come near ten times the memory.
    check(peaks[2000] < peaks[200] * 2,
          f"peak RSS grows with the mailbox: {peaks[200]} KiB -> {peaks[2000]} KiB")


def main():
    binary, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    gen_corpus = sys.argv[3] if len(sys.argv) > 3 else None
    scratch = tempfile.mkdtemp(prefix="emotriage-pst-")
    try:
        incidents(binary, source, scratch)
        stdin_and_damage(binary, scratch)
        if gen_corpus and os.path.exists(gen_corpus):
            generated(binary, gen_corpus, scratch)
        else:
            print("gen_corpus.py not found: the 2,000-message mailbox is not tested")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"{len(FAILURES)} failures")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
