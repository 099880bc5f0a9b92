#!/usr/bin/env python3
"""Python standard-library baseline: print the corpus summary line for an mbox.

    baseline_python.py [--policy compat32|default] MBOX

Prints one line in the format of /work/shared/bench/README.md ("Summary line"),
starting `impl=python`, for comparison with `<mbox>.truth` and the other
baselines.  Only the standard library is used, the way a Python user would:
`mailbox.mbox` streams the file (one message read at a time, never the whole
file), `email` parses each message and does all transfer and charset decoding.

The default is `email.policy.compat32`: it is what `mailbox.mbox(path)` and
`email.message_from_bytes()` give you out of the box, and it parses about 2.5x
faster than `email.policy.default`; the caller decodes RFC 2047 headers with
`email.header`, as compat32 users do.  `--policy default` uses the modern API
instead (it decodes display names and quoted filenames by itself) and prints
`impl=python-default`.

Where Python's codecs cannot decode something (CP932-only characters labelled
ISO-2022-JP or Shift_JIS), the library's result is used as is: that is the
point of the baseline, so `fffd`, `hdr_sum` and `hdr_fffd` differ from the
truth line.  `nec_chars` is a property of the generator and is not printed.
"""
import argparse
import email.policy
import hashlib
import mailbox
import re
import struct
import sys
from email.errors import HeaderParseError
from email.header import decode_header
from email.parser import BytesParser
from email.utils import getaddresses

URL_RE = re.compile(r'https?://[A-Za-z0-9._~:/?#@!$&*+,;=%-]+')
# ASCII whitespace (WHATWG: TAB LF FF CR SPACE) plus the ideographic space.
HDR_WS_RE = re.compile('[\t\n\f\r \u3000]')
SURROGATE_RE = re.compile('[\ud800-\udfff]')
MOD = 1 << 256


def h256(b):
    return int.from_bytes(hashlib.sha256(b).digest(), "big")


def clean(s):
    """Lone surrogates (undecodable bytes kept by surrogateescape) -> U+FFFD,
    so the string can be encoded as UTF-8 and the replacement is counted."""
    return SURROGATE_RE.sub('\ufffd', s)


def decode_text(data, charset):
    """Same rule as policy.default's get_content(): declared charset, default
    ASCII, undecodable input replaced.  Done on the bytes already decoded for
    dec_bytes rather than calling get_content(), which would decode twice."""
    try:
        return data.decode(charset or 'ascii', 'replace')
    except LookupError:  # unknown charset label
        return data.decode('utf-8', 'replace')


def zip_central_directory(data):
    """(entries, encrypted entries) from the ZIP central directory, or None
    when the end-of-central-directory record or an entry is missing."""
    eocd = data.rfind(b'PK\x05\x06', max(0, len(data) - 22 - 0xFFFF))
    if eocd < 0 or eocd + 22 > len(data):
        return None
    total, _size, pos = struct.unpack_from('<HII', data, eocd + 10)
    entries = enc = 0
    while entries < total:
        if pos + 46 > len(data) or data[pos:pos + 4] != b'PK\x01\x02':
            return None
        flags, = struct.unpack_from('<H', data, pos + 8)
        nlen, xlen, clen = struct.unpack_from('<HHH', data, pos + 28)
        entries += 1
        enc += flags & 1  # traditional PKWARE (ZipCrypto) encryption
        pos += 46 + nlen + xlen + clen
    return entries, enc


# ---- header decoding: the two policies need different code ------------------
def headers_default(msg):
    subject = msg['subject'] or ''
    name = ''
    try:
        addrs = msg['from'].addresses if msg['from'] is not None else ()
        if addrs:
            name = addrs[0].display_name
    except (AttributeError, IndexError, TypeError, ValueError):
        pass  # unparsable From: no display name
    return str(subject), name


def decode_2047(value):
    """compat32: join the pieces of email.header.decode_header, each decoded
    with its charset; undecodable bytes become U+FFFD."""
    try:
        pieces = decode_header(value)
    except HeaderParseError:  # bad base64 in an encoded word: keep it raw
        return str(value)
    out = []
    for chunk, cs in pieces:
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        try:
            out.append(chunk.decode(cs or 'ascii', 'replace'))
        except LookupError:  # e.g. 'unknown-8bit' for raw 8-bit headers
            out.append(chunk.decode('utf-8', 'replace'))
    return ''.join(out)


def headers_compat32(msg):
    subject = msg['subject']
    subject = decode_2047(subject) if subject is not None else ''
    name = ''
    frm = msg['from']
    if frm is not None:
        pairs = getaddresses([str(frm)])
        if pairs:
            name = decode_2047(pairs[0][0])
    return subject, name


def filename_compat32(part):
    """compat32 get_filename() handles RFC 2231 but leaves the (non-standard,
    Outlook-style) RFC 2047 words inside quotes to the caller."""
    fname = part.get_filename()
    if fname is not None and '=?' in fname:
        fname = decode_2047(fname)
    return fname


# ---- the walk ----------------------------------------------------------------
class Summary:
    def __init__(self, compat32):
        self.compat32 = compat32
        self.msgs = self.leaves = self.atts = self.att_bytes = self.dec_bytes = 0
        self.att_sum = self.fname_sum = self.inner_sum = self.hdr_sum = 0
        self.zips = self.zip_members = self.zip_enc = self.zip_bad = 0
        self.urls = self.fffd = self.rfc822 = self.inner_atts = self.hdr_fffd = 0

    def message(self, msg):
        self.msgs += 1
        subject, name = (headers_compat32 if self.compat32 else headers_default)(msg)
        key = clean(HDR_WS_RE.sub('', subject) + '\x1f' + HDR_WS_RE.sub('', name))
        self.hdr_fffd += key.count('\ufffd')
        self.hdr_sum += h256(key.encode('utf-8'))
        self.walk(msg, inner=False)

    def walk(self, part, inner):
        ctype = part.get_content_type()
        if part.is_multipart():  # multipart/* and message/rfc822 (a list of one)
            if ctype == 'message/rfc822':
                self.rfc822 += 1
                # mailparser returns an attached forwarded message whole, as
                # one attachment; what is inside it is counted as "inner".
                inner = inner or part.get_content_disposition() == 'attachment'
            for sub in part.get_payload():
                self.walk(sub, inner)
            return
        self.leaf(part, ctype, inner)

    def leaf(self, part, ctype, inner):
        data = part.get_payload(decode=True) or b''
        self.leaves += 1
        self.dec_bytes += len(data)
        disp = part.get_content_disposition()
        if ctype in ('text/plain', 'text/html') and disp in (None, 'inline'):
            if not inner:  # a body, not an attachment (mailparser's rule)
                text = decode_text(data, part.get_content_charset())
                self.urls += len(URL_RE.findall(text))
                self.fffd += text.count('\ufffd')
            return
        digest = h256(data)
        if inner:
            self.inner_atts += 1
            self.inner_sum += digest
            return
        self.atts += 1
        self.att_bytes += len(data)
        self.att_sum += digest
        fname = filename_compat32(part) if self.compat32 else part.get_filename()
        self.fname_sum += h256(clean(fname or '').encode('utf-8'))
        if data.startswith(b'PK\x03\x04'):
            self.zips += 1
            cd = zip_central_directory(data)
            if cd is None:
                self.zip_bad += 1
            else:
                self.zip_members += cd[0]
                self.zip_enc += cd[1]

    def line(self):
        return ("impl=%s msgs=%d leaves=%d atts=%d att_bytes=%d dec_bytes=%d att_sum=%064x "
                "fname_sum=%016x zips=%d zip_members=%d zip_enc=%d urls=%d fffd=%d rfc822=%d "
                "inner_atts=%d inner_sum=%064x hdr_sum=%016x hdr_fffd=%d zip_bad=%d" % (
                    "python" if self.compat32 else "python-default",
                    self.msgs, self.leaves, self.atts, self.att_bytes, self.dec_bytes,
                    self.att_sum % MOD, (self.fname_sum % MOD) >> 192, self.zips,
                    self.zip_members, self.zip_enc, self.urls, self.fffd, self.rfc822,
                    self.inner_atts, self.inner_sum % MOD, (self.hdr_sum % MOD) >> 192,
                    self.hdr_fffd, self.zip_bad))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mbox")
    ap.add_argument("--policy", choices=("compat32", "default"), default="compat32",
                    help="email policy to parse with (default: %(default)s)")
    a = ap.parse_args()
    compat32 = a.policy == "compat32"
    policy = email.policy.compat32 if compat32 else email.policy.default
    summary = Summary(compat32)
    # mailbox.mbox indexes the From_ lines once, then reads one message at a
    # time through the factory; the file is never held in memory whole.
    box = mailbox.mbox(a.mbox, factory=BytesParser(policy=policy).parse, create=False)
    try:
        for msg in box:
            summary.message(msg)
    finally:
        box.close()
    print(summary.line())


if __name__ == "__main__":
    sys.exit(main())
