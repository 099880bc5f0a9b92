#!/usr/bin/env python3
"""Differential test: emotriage's parse against Python's `email` package (policy=default).

Over every corpus mail file that Python reads as one RFC 822 message (INDEX.tsv kind rfc822 and
the mail-like "other-text" files; Outlook .msg and mbox files are left out, and so is any file
emotriage splits into several messages), four fields are compared per message:

  subject      decoded Subject, whitespace runs collapsed to one space, stripped
  from         lower-cased addr-spec of the first From mailbox ("" when there is none; a
               mailbox without a domain, which Python reports with the defect "addr-spec local
               part with no domain", carries no address and counts as "")
  filenames    ordered list (MIME pre-order) of decoded attachment filenames
  sha256       multiset of SHA-256 of attachment payloads (transfer-decoded bytes)

"Attachment" means the same on both sides (emotriage src/mime/parser.cpp fill_leaf): a leaf MIME
entity that is not text/plain or text/html with no or "inline" disposition. Leaves are found by
walking multiparts and the bodies of attached messages (message/rfc822, /news, /global with an
identity transfer encoding); any other message/* entity, and a message/rfc822 with base64 or
quoted-printable transfer encoding, is a leaf (that is how GMime models them).

A field is excluded from the denominator (counted and listed, not compared) when Python raises
while producing it or when Python's own defects make its value meaningless:

  * subject / from: Python ended the header block early (MissingHeaderBodySeparatorDefect) and
    never saw the header;
  * filenames / sha256: Python could not find the MIME structure (NoBoundaryInMultipartDefect,
    StartBoundaryNotFoundDefect, MultipartInvariantViolationDefect), or ended the top-level header
    block before any Content-Type;
  * sha256 only: Python returned the payload undecoded (InvalidBase64LengthDefect), or a leaf is a
    message/* entity whose body Python parsed as a message and so keeps no bytes of.

Agreement must be >= --threshold (default 99 %) of the compared messages for each field. The
disagreements are printed by category; docs/differential.md says which side is right in each.

    python3 tests/corpus/differential.py --emotriage build/src/cli/emotriage \
        --corpus /work/shared/corpus [--json report.json] [--max-list N]

Exit status: 0 pass, 1 failure, 77 corpus missing (CTest SKIP_RETURN_CODE).
"""
from __future__ import annotations

import argparse
import base64
import binascii
import collections
import concurrent.futures
import email
import email.errors
import email.policy
import hashlib
import json
import os
import re
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_common as cc  # noqa: E402

FIELDS = ("subject", "from", "filenames", "sha256")
POLICY = email.policy.default
WS = re.compile(r"[ \t\r\n\f\v]+")
# Entities GMime parses as an attached message (GMimeMessagePart); all other message/* are leaves.
MESSAGE_PART_TYPES = {"message/rfc822", "message/news", "message/global"}
STRUCTURE_DEFECTS = (
    email.errors.NoBoundaryInMultipartDefect,
    email.errors.StartBoundaryNotFoundDefect,
    email.errors.MultipartInvariantViolationDefect,
)
MEDIA_TYPE = re.compile(r"^[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+$")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def norm_subject(value: str | None) -> str:
    return WS.sub(" ", value or "").strip()


def sanitize(value: str) -> str:
    """Python keeps undecodable raw header bytes as lone surrogates in some values (addresses,
    parameters); read them as UTF-8 with U+FFFD, as Python's own str(header) does."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


# ---------------------------------------------------------------------------------------------
# Python side


def b64_without_partial_quantum(raw: str) -> bytes | None:
    """RFC 2045 base64 decoding that drops an unpadded final quantum (what GMime does)."""
    chars = re.sub(r"[^A-Za-z0-9+/]", "", raw.split("=", 1)[0])
    chars = chars[: len(chars) - len(chars) % 4]
    try:
        return base64.b64decode(chars)
    except (binascii.Error, ValueError):
        return None


def signatures(part, ctype: str, cte_raw: str, payload: bytes) -> dict[str, str]:
    """Hashes of well-known alternative readings of one leaf, so that a disagreement can be
    named by the reading emotriage's hash matches."""
    out = {}
    raw = part.get_payload(decode=False)
    raw = raw if isinstance(raw, str) else ""
    cte = cte_raw.strip().lower()
    if cte == "base64":
        dropped = b64_without_partial_quantum(raw)
        if dropped is not None:
            out[sha(dropped)] = "base64-final-quantum-dropped"
    if cte_raw != cte_raw.strip() and cte in ("base64", "quoted-printable"):
        try:
            decoded = (base64.b64decode(re.sub(r"[^A-Za-z0-9+/=]", "", raw) + "==", validate=False)
                       if cte == "base64" else binascii.a2b_qp(raw.encode("ascii", "surrogateescape")))
            out[sha(decoded)] = "cte-with-surrounding-space-decoded"
        except (binascii.Error, ValueError):
            pass
    out.setdefault(sha(payload + b"\r"), "cr-of-last-crlf-kept")
    return out


def py_leaves(part, out: list, defects: list):
    defects.extend(part.defects)
    ctype = part.get_content_type()
    cte_raw = str(part.get("content-transfer-encoding", ""))
    cte = cte_raw.strip().lower()
    if part.is_multipart():
        descend = ctype.startswith("multipart/") or (
            ctype in MESSAGE_PART_TYPES and cte not in ("base64", "quoted-printable"))
        if descend or not ctype.startswith("message/"):
            for sub in part.get_payload():
                py_leaves(sub, out, defects)
            return
        payload, rebuilt = b"", True  # message/* body parsed as a message: no bytes kept
    else:
        payload, rebuilt = part.get_payload(decode=True) or b"", False
    disposition = part.get_content_disposition() or ""
    if ctype in ("text/plain", "text/html") and disposition in ("", "inline"):
        return
    out.append({
        "content_type": ctype,
        "raw_content_type": sanitize(str(part.get("content-type", ""))),
        "filename": sanitize(part.get_filename() or ""),
        "sha256": sha(payload),
        "rebuilt": rebuilt,
        "defects": sorted({type(d).__name__ for d in part.defects}),
        "signatures": {} if rebuilt else signatures(part, ctype, cte_raw, payload),
    })


def first_address(header) -> str:
    addresses = header.addresses if header is not None else ()
    if not addresses or not addresses[0].domain:
        return ""  # no mailbox, or a phrase / local part without a domain: no address
    return sanitize(addresses[0].addr_spec).lower()


def python_view(data: bytes) -> dict:
    """Fields as Python sees them; `excluded[field]` gives why a field is not comparable."""
    view: dict = {"excluded": {}}
    try:
        msg = email.message_from_bytes(data, policy=POLICY)
    except Exception as e:  # noqa: BLE001 - Python raising is what we count
        for f in FIELDS:
            view["excluded"][f] = f"python raised {type(e).__name__}"
        return view
    header_cut = any(isinstance(d, email.errors.MissingHeaderBodySeparatorDefect)
                     for d in msg.defects)
    for field, getter in (("subject", lambda h: norm_subject(sanitize(str(h)))),
                          ("from", first_address)):
        try:
            header = msg[field]
            if header is None and header_cut:
                view["excluded"][field] = "python ended the header block early"
            else:
                view[field] = getter(header) if header is not None else ""
        except Exception as e:  # noqa: BLE001
            view["excluded"][field] = f"python raised {type(e).__name__}"
    try:
        leaves, defects = [], []
        py_leaves(msg, leaves, defects)
        view["leaves"] = leaves
        view["filenames"] = [leaf["filename"] for leaf in leaves]
        view["sha256"] = sorted(leaf["sha256"] for leaf in leaves)
        structural = sorted({type(d).__name__ for d in defects if isinstance(d, STRUCTURE_DEFECTS)})
        if structural:
            why = "python could not find the MIME structure (" + ",".join(structural) + ")"
            view["excluded"]["filenames"] = view["excluded"]["sha256"] = why
        elif header_cut and msg.get("content-type") is None:
            why = "python ended the header block early"
            view["excluded"]["filenames"] = view["excluded"]["sha256"] = why
        elif any(leaf["rebuilt"] for leaf in leaves):
            view["excluded"]["sha256"] = "python keeps no bytes of a message/* leaf"
        elif any("InvalidBase64LengthDefect" in leaf["defects"] for leaf in leaves):
            view["excluded"]["sha256"] = "python returned base64 undecoded (InvalidBase64LengthDefect)"
    except Exception as e:  # noqa: BLE001
        view["excluded"]["filenames"] = view["excluded"]["sha256"] = f"python raised {type(e).__name__}"
    return view


def python_views(corpus: str, files: list[str]) -> dict[str, dict]:
    out = {}
    for f in files:
        with open(os.path.join(corpus, f), "rb") as fh:
            out[f] = python_view(fh.read())
    return out


# ---------------------------------------------------------------------------------------------
# emotriage side


def emotriage_view(message: dict) -> dict:
    sender = message.get("from") or {}
    attachments = [p for p in message.get("parts", []) if p.get("attachment")]
    return {
        "subject": norm_subject(message.get("subject")),
        "from": (sender.get("address") or "").lower(),
        "filenames": [p.get("filename", "") for p in attachments],
        "sha256": sorted(p.get("sha256", "") for p in attachments),
        "attachments": [{"part": p.get("part"), "content_type": p.get("content_type"),
                         "filename": p.get("filename", ""), "sha256": p.get("sha256")}
                        for p in attachments],
        "no_header_block": not message.get("parts"),
    }


# ---------------------------------------------------------------------------------------------
# Disagreement categories (docs/differential.md gives the verdict for each)


EMPTY_VIEW = {"subject": "", "from": "", "filenames": [], "sha256": [], "attachments": [],
              "no_header_block": False, "no_message": True}


def header_block(data: bytes) -> bytes:
    return re.split(rb"\r?\n\r?\n", data, maxsplit=1)[0]


def raw_headers(data: bytes, name: bytes) -> list[bytes]:
    return [m.group(1) for m in re.finditer(rb"(?im)^" + name + rb"[ \t]*:(.*(?:\r?\n[ \t].*)*)",
                                            header_block(data))]


def categorise(field: str, data: bytes, py, em, pv: dict, ev: dict) -> str:
    if ev.get("no_message"):
        return "emotriage-returned-no-message"
    if ev["no_header_block"]:
        return "emotriage-no-header-block"
    if field == "subject":
        raw = b"".join(raw_headers(data, b"subject"))
        if re.search(rb"=\?iso-2022-jp\?", raw, re.I) and ("\ufffd" in py or "=?" in py):
            return "subject/iso-2022-jp-extension-chars"
        if "\ufffd" in py and "\ufffd" not in em:
            if re.search(rb"[\x80-\xff]", raw):
                return "subject/raw-8bit-header"
            return "subject/encoded-word-charset-superset-or-unknown"
        return "subject/other"
    if field == "from":
        raw = b"".join(raw_headers(data, b"from")).decode("utf-8", "replace").lower()
        if raw.count("@") >= 2 and "," not in raw and (" " in em or raw.count("<") >= 2):
            return "from/two-mailboxes-without-comma"
        if raw.count("@") >= 2 and py and em and raw.find(py) < raw.find("<" + em):
            return "from/address-in-display-name"
        if " " in em:
            return "from/display-name-without-angle-brackets"
        if "," in em:
            return "from/comma-inside-angle-addr"
        if not py and em and "," in raw.split("<")[0]:
            return "from/unquoted-comma-in-display-name"
        return "from/other"
    # filenames / sha256
    content_types = [r for r in raw_headers(data, b"content-type")]
    if len(content_types) >= 2:
        return "structure/duplicate-content-type"
    if any(re.search(rb'boundary\s*=\s*"[^"]*$', re.sub(rb"\r?\n", b"", c), re.I)
           for c in content_types):
        return "structure/unterminated-quoted-boundary"
    leaves = pv.get("leaves", [])
    em_types = [a["content_type"] for a in ev["attachments"]]
    if len(py) != len(em):
        if any(not MEDIA_TYPE.match(leaf["content_type"]) for leaf in leaves):
            return "content-type/python-keeps-junk-after-subtype"
        if "application/octet-stream" in em_types or any(
                b"/" not in t for t in re.findall(rb"(?im)^content-type[ \t]*:[ \t]*([^;\r\n]*)", data)):
            return "content-type/invalid-type-default"
        return "attachments/different-count"
    if field == "filenames":
        for p_name, e_name in zip(py, em):
            if p_name == e_name:
                continue
            if re.search(rb"name\s*=\s*=\?", data, re.I):
                return "filename/unquoted-encoded-word"
            if any("MissingHeaderBodySeparatorDefect" in leaf["defects"] for leaf in leaves):
                return "structure/part-header-line-without-colon"
            if "=?" in p_name and "=?" not in e_name:
                return "filename/encoded-word-inside-quoted-word"
            if "\ufffd" in p_name and re.search(rb"\*\s*=\s*[\w-]+'[\w-]*'", data):
                return "filename/rfc2231-bytes-invalid-in-declared-charset"
            if "\ufffd" in p_name:
                return "filename/raw-8bit-parameter"
            if e_name.startswith(p_name):
                return "filename/unquoted-value-with-space-or-tspecial"
            return "filename/other"
    if field == "sha256":
        em_hashes = collections.Counter(em)
        for leaf in leaves:
            if leaf["sha256"] in em_hashes:
                continue
            for digest, name in leaf["signatures"].items():
                if digest in em_hashes:
                    if name == "base64-final-quantum-dropped":
                        return "sha256/base64-unpadded-final-quantum"
                    if name == "cte-with-surrounding-space-decoded":
                        return "sha256/python-ignores-cte-with-trailing-space"
                    if name == "cr-of-last-crlf-kept":
                        return "sha256/cr-kept-before-close-delimiter-at-eof"
            if "MissingHeaderBodySeparatorDefect" in leaf["defects"]:
                return "structure/part-header-line-without-colon"
        return "sha256/other"
    return f"{field}/other"


# ---------------------------------------------------------------------------------------------


# Categories where docs/differential.md shows Python wrong and emotriage right (or acceptable as
# real mail clients read it). They count towards agreement; every other disagreement counts
# against it. A new category is never in this list until it is investigated and documented.
EMOTRIAGE_RIGHT = {
    "subject/raw-8bit-header",
    "subject/encoded-word-charset-superset-or-unknown",
    "subject/iso-2022-jp-extension-chars",
    "filename/raw-8bit-parameter",
    "filename/unquoted-encoded-word",
    "filename/unquoted-value-with-space-or-tspecial",
    "filename/encoded-word-inside-quoted-word",
    "content-type/python-keeps-junk-after-subtype",
    "content-type/invalid-type-default",
    "sha256/python-ignores-cte-with-trailing-space",
    "from/address-in-display-name",
    "from/unquoted-comma-in-display-name",
    "structure/part-header-line-without-colon",
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--emotriage", required=True)
    ap.add_argument("--corpus", default="/work/shared/corpus")
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threshold", type=float, default=99.0, help="minimum agreement, percent")
    ap.add_argument("--json", help="write every comparison to this JSON file")
    ap.add_argument("--max-list", type=int, default=50, help="disagreements listed per category")
    args = ap.parse_args()

    if not cc.check_corpus(args.corpus):
        return cc.SKIP
    exe = os.path.abspath(args.emotriage)
    if not cc.check_tool(exe):
        return 1
    start = time.monotonic()
    rows = [r for r in cc.read_index(args.corpus)
            if cc.is_mail_row(r) and r.kind not in ("mbox", "outlook-msg")
            and os.path.isfile(os.path.join(args.corpus, r.path))]
    files = [r.path for r in rows]

    # emotriage batches (threads waiting on subprocesses) while Python parses in worker processes.
    workers = max(1, args.workers)
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        py_futures = [pool.submit(python_views, args.corpus, chunk)
                      for chunk in cc.batches(files, max(1, len(files) // (4 * workers) + 1))]
        results = cc.run_batches(exe, args.corpus, files, args.batch, args.timeout, workers)
        pviews = {}
        for fut in py_futures:
            pviews.update(fut.result())

    failures = []
    per_file = collections.defaultdict(list)
    for result in results:
        if result.problems or result.doc is None:
            failures.append(f"emotriage batch starting {result.files[0]}: "
                            f"{'; '.join(result.problems)} (walk_corpus.py bisects)")
            continue
        inputs = set(result.files)
        for message in result.doc.get("messages", []):
            owner = cc.source_file(message.get("source", ""), inputs)
            if owner is not None:
                per_file[owner].append(message)

    compared, agreed = collections.Counter(), collections.Counter()
    excluded = collections.defaultdict(list)       # field -> [(path, reason, would_agree)]
    not_compared = collections.defaultdict(list)
    disagreements = collections.defaultdict(list)  # category -> [(path, field, py, em)]
    records = []
    for path in files:
        messages = per_file.get(path, [])
        if len(messages) > 1:
            not_compared["emotriage split it into several messages (mbox)"].append(path)
            continue
        # No message at all for a file Python reads is emotriage's failure: compared as empty.
        pv = pviews[path]
        ev = emotriage_view(messages[0]) if messages else dict(EMPTY_VIEW)
        with open(os.path.join(args.corpus, path), "rb") as fh:
            data = fh.read()
        record = {"file": path, "fields": {}}
        for field in FIELDS:
            if field in pv["excluded"]:
                would = field in pv and pv[field] == ev[field]
                excluded[field].append((path, pv["excluded"][field], would))
                record["fields"][field] = {"excluded": pv["excluded"][field],
                                           "python": pv.get(field), "emotriage": ev[field]}
                continue
            compared[field] += 1
            py, em = pv[field], ev[field]
            if py == em:
                agreed[field] += 1
            else:
                category = categorise(field, data, py, em, pv, ev)
                disagreements[category].append((path, field, py, em))
            record["fields"][field] = {"python": py, "emotriage": em, "same": py == em}
        records.append(record)

    wall = time.monotonic() - start
    print(f"files considered: {len(files)} (rfc822 and mail-like other-text; mbox and Outlook "
          f".msg left out); messages compared: {len(records)}; wall {wall:.1f} s")
    for reason, paths in sorted(not_compared.items()):
        print(f"  not compared, {reason}: {len(paths)}: {', '.join(paths[:8])}"
              f"{' ...' if len(paths) > 8 else ''}")
    print(f"per-field agreement over compared messages (threshold {args.threshold:g} %):")
    below = []
    for field in FIELDS:
        n, ok = compared[field], agreed[field]
        documented = sum(1 for category, items in disagreements.items() if category in EMOTRIAGE_RIGHT
                         for _, f, _, _ in items if f == field)
        pct = 100.0 * ok / n if n else 100.0
        pct_right = 100.0 * (ok + documented) / n if n else 100.0
        if pct_right < args.threshold:
            below.append(field)
        print(f"  {field:10s} {ok:5d}/{n:<5d} {pct:7.2f} % agree, {pct_right:7.2f} % with python's "
              f"documented errors   excluded {len(excluded[field]):3d}"
              f"{'   BELOW THRESHOLD' if pct_right < args.threshold else ''}")
    for field in FIELDS:
        reasons = collections.Counter(r for _, r, _ in excluded[field])
        for reason, count in reasons.most_common():
            same = sum(1 for _, r, w in excluded[field] if r == reason and w)
            print(f"  excluded {field}: {reason}: {count} (of which {same} agree anyway)")
    if disagreements:
        print("disagreements by category (category, file, python value, emotriage value):")
        for category in sorted(disagreements, key=lambda c: (-len(disagreements[c]), c)):
            items = disagreements[category]
            files_in = len({p for p, *_ in items})
            print(f"  [{category}] {len(items)} field(s) in {files_in} file(s)")
            for path, field, py, em in items[: args.max_list]:
                print(f"    {path} ({field})\n      python:    {py!r}\n      emotriage: {em!r}")
            if len(items) > args.max_list:
                print(f"    ... {len(items) - args.max_list} more")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"records": records, "disagreements": disagreements,
                       "excluded": excluded, "not_compared": not_compared},
                      fh, ensure_ascii=False, indent=1)
    problems = failures + [f"{f} agreement below {args.threshold:g} %" for f in below]
    if problems:
        print("FAIL: " + "; ".join(problems))
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
