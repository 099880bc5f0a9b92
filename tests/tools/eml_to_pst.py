#!/usr/bin/env python3
"""RFC 822 mail as the PST message Outlook would store on receipt, for tests.

The header block becomes PR_TRANSPORT_MESSAGE_HEADERS; the first text/plain and text/html
bodies PR_BODY and PR_HTML (UTF-8, PR_INTERNET_CPID 65001); every other leaf part an attachment
by value; an attached mail (message/rfc822) an embedded message, recursively. Subject, sender
and recipients are also written as properties, as Outlook does.

    eml_to_pst.py OUT.pst FOLDER=MAIL.eml [FOLDER=MAIL.eml ...]   (FOLDER like "Inbox/Sub")
"""

from __future__ import annotations

import email
import email.header
import email.policy
import email.utils
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pstwriter import (PT_BINARY, PT_LONG, PT_SYSTIME, PT_UNICODE, Attachment,  # noqa: E402
                       Message, PstWriter, stored_subject)

UTF8_CODEPAGE = 65001


def _text(value) -> str:
    """A header value as read with compat32 (8-bit bytes kept as surrogates) to Unicode."""
    return str(value).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _header_block(mail: email.message.Message) -> str:
    lines = []
    for name, value in mail.items():
        value = _text(value).replace("\r\n", "\n").replace("\n", "\r\n")
        lines.append(f"{name}: {value}\r\n")
    return "".join(lines)


def _decode(data: bytes, charset: str | None) -> str:
    charset = (charset or "us-ascii").lower()
    # Japanese mail labelled ISO-2022-JP or Shift_JIS routinely carries CP932-only characters.
    charset = {"iso-2022-jp": "iso2022_jp_ext", "shift_jis": "cp932", "x-sjis": "cp932"}.get(
        charset, charset)
    try:
        return data.decode(charset, "replace")
    except LookupError:
        return data.decode("latin-1")


def _decoded_text(part: email.message.Message) -> str:
    return _decode(part.get_payload(decode=True) or b"", part.get_content_charset())


def _decoded_header(value) -> str:
    return "".join(chunk if isinstance(chunk, str) else _decode(chunk, charset)
                   for chunk, charset in email.header.decode_header(_text(value)))


def _filetime(date_header) -> int | None:
    try:
        when = email.utils.parsedate_to_datetime(_text(date_header))
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return int((when.timestamp() + 11644473600) * 10_000_000)


def _mailbox_props(mail: email.message.Message) -> list:
    props = []
    name, address = email.utils.parseaddr(_text(mail.get("From", "")))
    if address:
        props += [(0x0C1A, PT_UNICODE, name or address), (0x5D01, PT_UNICODE, address),
                  (0x0042, PT_UNICODE, name or address), (0x5D02, PT_UNICODE, address)]
    return props


def _recipients(mail: email.message.Message) -> list:
    out = []
    for kind, header in ((1, "To"), (2, "Cc")):
        for name, address in email.utils.getaddresses([_text(v) for v in mail.get_all(header, [])]):
            if address:
                out.append([(0x0C15, PT_LONG, kind), (0x3001, PT_UNICODE, name or address),
                            (0x3002, PT_UNICODE, "SMTP"), (0x3003, PT_UNICODE, address),
                            (0x39FE, PT_UNICODE, address)])
    return out


def message_from_mail(mail: email.message.Message) -> Message:
    props = [(0x001A, PT_UNICODE, "IPM.Note"), (0x3FDE, PT_LONG, UTF8_CODEPAGE),
             (0x007D, PT_UNICODE, _header_block(mail))]
    subject = mail.get("Subject")
    if subject is not None:
        props.append((0x0037, PT_UNICODE, stored_subject(_decoded_header(subject))))
    if (when := _filetime(mail.get("Date"))) is not None:
        props += [(0x0039, PT_SYSTIME, when), (0x0E06, PT_SYSTIME, when)]
    props += _mailbox_props(mail)
    message = Message(props=props, recipients=_recipients(mail))
    have_plain = have_html = False

    def visit(part: email.message.Message) -> None:
        nonlocal have_plain, have_html
        if part.get_content_type() == "message/rfc822" and part.is_multipart():
            inner = part.get_payload(0)
            props = [(0x3707, PT_UNICODE, part.get_filename())] if part.get_filename() else []
            message.attachments.append(Attachment(props=props, embedded=message_from_mail(inner)))
            return
        if part.is_multipart():
            for child in part.get_payload():
                visit(child)
            return
        kind = part.get_content_type()
        body = part.get_filename() is None and part.get_content_disposition() != "attachment"
        if body and kind == "text/plain" and not have_plain:
            have_plain = True
            message.props.append((0x1000, PT_UNICODE, _decoded_text(part)))
        elif body and kind == "text/html" and not have_html:
            have_html = True
            message.props.append((0x1013, PT_BINARY, _decoded_text(part).encode("utf-8")))
        else:
            props = [(0x370E, PT_UNICODE, kind)]
            if part.get_filename():
                props.append((0x3707, PT_UNICODE, _text(part.get_filename())))
            message.attachments.append(
                Attachment(props=props, data=part.get_payload(decode=True) or b""))

    visit(mail)
    return message


def message_from_eml(data: bytes) -> Message:
    return message_from_mail(email.message_from_bytes(data, policy=email.policy.compat32))


def folder_at(writer: PstWriter, folders: dict, path: str):
    """The folder at "Inbox/Sub" under the IPM subtree, made on first use (`folders` caches)."""
    folder = writer.ipm_subtree
    names = path.split("/")
    for depth, name in enumerate(names):
        key = "/".join(names[:depth + 1])
        if key not in folders:
            folders[key] = writer.add_folder(folder, name)
        folder = folders[key]
    return folder


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    writer = PstWriter()
    folders = {}
    for spec in argv[2:]:
        path, _, eml = spec.partition("=")
        with open(eml, "rb") as f:
            writer.add_message(folder_at(writer, folders, path), message_from_eml(f.read()))
    writer.write(argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
