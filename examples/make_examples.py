#!/usr/bin/env python3
"""Writes the example incident mails of emotriage into examples/incidents/.

Every attachment is built here, byte by byte, from the public format specifications
(PKWARE APPNOTE ZipCrypto, MS-CFB, MS-OVBA, MS-DOC FIB, MS-XLS BIFF8, MS-SHLLINK,
MS-ONESTORE, ECMA-119, PDF 1.4). Nothing in them does anything when opened: the macro,
shortcut and script texts carry the trigger and capability words that detectors look for,
but every command is an `echo` of the word "example".

Standard library only; deterministic (fixed dates, boundaries, Message-IDs and "random"
bytes derived from SHA-256), so running it twice gives identical files.

    python3 examples/make_examples.py            # writes examples/incidents/
    python3 examples/make_examples.py --check    # writes, then re-reads and verifies
"""

from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import io
import quopri
import struct
import sys
import uuid
import zipfile
import zlib
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "incidents"
JST = dt.timezone(dt.timedelta(hours=9))
CRLF = b"\r\n"


def det_bytes(seed: str, n: int) -> bytes:
    """Deterministic pseudo-random bytes (the same on every run)."""
    out = b""
    counter = 0
    while len(out) < n:
        out += hashlib.sha256(f"{seed}/{counter}".encode()).digest()
        counter += 1
    return out[:n]


# ---------------------------------------------------------------------------------------------
# ZIP (PKWARE APPNOTE 6.3.x): stored/deflated members, CP932 or UTF-8 names, ZipCrypto
# ---------------------------------------------------------------------------------------------

CRC_TABLE = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ 0xEDB88320 if _c & 1 else _c >> 1
    CRC_TABLE.append(_c)


def crc32_update(crc: int, byte: int) -> int:
    return CRC_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)


class ZipCrypto:
    """Traditional PKWARE encryption (APPNOTE 6.1): three keys driven by CRC-32."""

    def __init__(self, password: bytes):
        self.keys = [0x12345678, 0x23456789, 0x34567890]
        for b in password:
            self._update(b)

    def _update(self, plain_byte: int) -> None:
        k0, k1, k2 = self.keys
        k0 = crc32_update(k0, plain_byte)
        k1 = (k1 + (k0 & 0xFF)) & 0xFFFFFFFF
        k1 = (k1 * 134775813 + 1) & 0xFFFFFFFF
        k2 = crc32_update(k2, k1 >> 24)
        self.keys = [k0, k1, k2]

    def encrypt(self, data: bytes) -> bytes:
        out = bytearray(len(data))
        for i, p in enumerate(data):
            temp = (self.keys[2] | 2) & 0xFFFF
            out[i] = p ^ (((temp * (temp ^ 1)) >> 8) & 0xFF)
            self._update(p)
        return bytes(out)


def dos_datetime(when: dt.datetime) -> tuple[int, int]:
    dos_time = (when.hour << 11) | (when.minute << 5) | (when.second // 2)
    dos_date = ((when.year - 1980) << 9) | (when.month << 5) | when.day
    return dos_time, dos_date


class ZipMember:
    def __init__(self, name: str, data: bytes | None = None, *, utf8_name: bool = False,
                 password: bytes | None = None, when: dt.datetime,
                 padded_head: bytes | None = None, padded_size: int = 0):
        self.name = name
        self.data = data
        self.utf8_name = utf8_name
        self.password = password
        self.when = when
        # A member made of `padded_head` followed by zeros up to `padded_size` bytes; it is
        # deflated in pieces so the script never holds the large plain text.
        self.padded_head = padded_head
        self.padded_size = padded_size

    def name_bytes(self) -> bytes:
        return self.name.encode("utf-8" if self.utf8_name else "cp932")

    def plain_chunks(self):
        if self.padded_head is None:
            yield self.data
            return
        yield self.padded_head
        left = self.padded_size - len(self.padded_head)
        block = bytes(1 << 20)
        while left > 0:
            piece = min(left, len(block))
            yield block[:piece]
            left -= piece


def build_zip(members: list[ZipMember], comment: bytes = b"") -> bytes:
    out = io.BytesIO()
    central = []
    for m in members:
        crc = 0
        size = 0
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        compressed = bytearray()
        for chunk in m.plain_chunks():
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            compressed += compressor.compress(chunk)
        compressed += compressor.flush()
        flags = 0x0002  # deflate "maximum compression" option bits
        if m.utf8_name:
            flags |= 0x0800
        payload = bytes(compressed)
        if m.password is not None:
            flags |= 0x0001
            header = det_bytes("zipcrypto-header/" + m.name, 11) + bytes([crc >> 24])
            payload = ZipCrypto(m.password).encrypt(header + payload)
        dos_time, dos_date = dos_datetime(m.when)
        name = m.name_bytes()
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, dos_time, dos_date, crc,
                              len(payload), size, len(name), 0))
        out.write(name)
        out.write(payload)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0014, 20, flags, 8,
                                   dos_time, dos_date, crc, len(payload), size, len(name), 0, 0,
                                   0, 0, 0x20, offset) + name)
    cd_offset = out.tell()
    for entry in central:
        out.write(entry)
    cd_size = out.tell() - cd_offset
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), cd_size,
                          cd_offset, len(comment)) + comment)
    return out.getvalue()


def build_ooxml(parts: list[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """OOXML package with fixed timestamps (zipfile writes deterministic bytes then)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0
            info.create_system = 0
            zf.writestr(info, data)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# MS-CFB version 3 (512-byte sectors, mini stream below 4096 bytes)
# ---------------------------------------------------------------------------------------------

FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
FILETIME_2019 = 132192000000000000  # 2019-11-28 00:00 UTC, for the storages' timestamps


def cfb_name_key(name: str) -> tuple[int, str]:
    """MS-CFB 2.6.4: shorter names sort first, then code-unit-wise upper case."""
    return (len(name.encode("utf-16-le")), name.upper())


class CfbNode:
    def __init__(self, name: str, data: bytes | None = None, clsid: bytes = bytes(16)):
        self.name = name
        self.data = data  # None for a storage
        self.clsid = clsid
        self.children: dict[str, CfbNode] = {}
        self.index = 0
        self.left = self.right = self.child = NOSTREAM
        self.start = ENDOFCHAIN
        self.size = 0


def build_cfb(streams: dict[str, bytes], root_clsid: bytes = bytes(16),
              storage_clsids: dict[str, bytes] | None = None) -> bytes:
    """Compound file holding `streams` ("Macros/VBA/dir" -> bytes)."""
    storage_clsids = storage_clsids or {}
    root = CfbNode("Root Entry", clsid=root_clsid)
    for path, data in streams.items():
        node = root
        parts = path.split("/")
        for depth, part in enumerate(parts[:-1]):
            prefix = "/".join(parts[:depth + 1])
            node = node.children.setdefault(
                part, CfbNode(part, clsid=storage_clsids.get(prefix, bytes(16))))
        assert len(data) > 0, path
        node.children[parts[-1]] = CfbNode(parts[-1], data)

    entries: list[CfbNode] = []

    def number(node: CfbNode) -> None:
        node.index = len(entries)
        entries.append(node)
        for child in sorted(node.children.values(), key=lambda n: cfb_name_key(n.name)):
            number(child)

    number(root)

    def link_siblings(sorted_nodes: list[CfbNode]) -> int:
        # A balanced binary search tree over the sorted siblings, all nodes black.
        if not sorted_nodes:
            return NOSTREAM
        mid = len(sorted_nodes) // 2
        node = sorted_nodes[mid]
        node.left = link_siblings(sorted_nodes[:mid])
        node.right = link_siblings(sorted_nodes[mid + 1:])
        return node.index

    for node in entries:
        if node.data is None:
            node.child = link_siblings(sorted(node.children.values(),
                                              key=lambda n: cfb_name_key(n.name)))

    mini_stream = bytearray()
    mini_fat: list[int] = []
    big_streams: list[CfbNode] = []
    for node in entries:
        if node.data is None:
            continue
        node.size = len(node.data)
        if node.size < MINI_CUTOFF:
            first = len(mini_stream) // MINI_SECTOR
            count = -(-node.size // MINI_SECTOR)
            mini_fat.extend(first + i + 1 for i in range(count - 1))
            mini_fat.append(ENDOFCHAIN)
            node.start = first
            mini_stream += node.data + bytes(count * MINI_SECTOR - node.size)
        else:
            big_streams.append(node)

    def sectors_for(n: int) -> int:
        return -(-n // SECTOR)

    mini_fat_secs = sectors_for(len(mini_fat) * 4)
    dir_secs = sectors_for(len(entries) * 128)
    mini_stream_secs = sectors_for(len(mini_stream))
    big_secs = [sectors_for(len(n.data)) for n in big_streams]
    other = mini_fat_secs + dir_secs + mini_stream_secs + sum(big_secs)
    fat_secs = 1
    while fat_secs * (SECTOR // 4) < other + fat_secs:
        fat_secs += 1
    assert fat_secs <= 109, "DIFAT sectors are not needed for examples this small"

    fat = [FATSECT] * fat_secs
    next_sector = fat_secs

    def allocate(count: int) -> int:
        nonlocal next_sector
        if count == 0:
            return ENDOFCHAIN
        first = next_sector
        fat.extend(first + i + 1 for i in range(count - 1))
        fat.append(ENDOFCHAIN)
        next_sector += count
        return first

    mini_fat_start = allocate(mini_fat_secs)
    dir_start = allocate(dir_secs)
    root.start = allocate(mini_stream_secs)
    root.size = len(mini_stream)
    for node, count in zip(big_streams, big_secs):
        node.start = allocate(count)
    fat.extend([FREESECT] * (fat_secs * SECTOR // 4 - len(fat)))

    def dir_entry(node: CfbNode) -> bytes:
        name = node.name.encode("utf-16-le") + b"\0\0"
        assert len(name) <= 64, node.name
        kind = 5 if node is root else (1 if node.data is None else 2)
        start = node.start if (node is root or node.data is not None) else 0
        return struct.pack("<64sHBBIII16sIQQIQ", name, len(name), kind, 1, node.left, node.right,
                           node.child, node.clsid, 0, 0 if node.data is not None else
                           FILETIME_2019, 0 if node.data is not None else FILETIME_2019, start,
                           node.size)

    directory = b"".join(dir_entry(n) for n in entries)
    unused = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM,
                         bytes(16), 0, 0, 0, 0, 0)
    directory += unused * ((dir_secs * SECTOR - len(directory)) // 128)

    difat = list(range(fat_secs)) + [FREESECT] * (109 - fat_secs)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", CFB_SIGNATURE, bytes(16), 0x003E, 0x0003,
                         0xFFFE, 9, 6, bytes(6), 0, fat_secs, dir_start, 0, MINI_CUTOFF,
                         mini_fat_start if mini_fat_secs else ENDOFCHAIN, mini_fat_secs,
                         ENDOFCHAIN, 0)
    header += struct.pack("<109I", *difat)
    assert len(header) == SECTOR

    def padded(data: bytes, secs: int, fill: bytes = b"\0") -> bytes:
        return data + fill * ((secs * SECTOR - len(data)) // len(fill))

    body = struct.pack(f"<{len(fat)}I", *fat)
    body += padded(struct.pack(f"<{len(mini_fat)}I", *mini_fat), mini_fat_secs,
                   struct.pack("<I", FREESECT))
    body += directory
    body += padded(bytes(mini_stream), mini_stream_secs)
    for node, count in zip(big_streams, big_secs):
        body += padded(node.data, count)
    return header + body


def read_cfb(blob: bytes) -> dict[str, bytes]:
    """Independent reader used to check what build_cfb wrote (FAT chains, tree, mini stream)."""
    assert blob[:8] == CFB_SIGNATURE
    (fat_secs, dir_start, cutoff, mini_fat_start, mini_fat_secs) = struct.unpack_from(
        "<I I 4x I I I", blob, 0x2C)
    assert cutoff == MINI_CUTOFF
    difat = struct.unpack_from("<109I", blob, 0x4C)[:fat_secs]

    def sector(n: int) -> bytes:
        return blob[SECTOR * (n + 1):SECTOR * (n + 2)]

    fat = []
    for s in difat:
        fat.extend(struct.unpack("<128I", sector(s)))

    def chain(start: int, table: list[int], limit: int) -> list[int]:
        out = []
        while start != ENDOFCHAIN:
            assert start < len(table) and len(out) < limit, "broken chain"
            out.append(start)
            start = table[start]
        return out

    def read_chain(start: int) -> bytes:
        return b"".join(sector(s) for s in chain(start, fat, len(fat)))

    directory = read_chain(dir_start)
    mini_fat = list(struct.unpack(f"<{len(read_chain(mini_fat_start)) // 4}I",
                                  read_chain(mini_fat_start))) if mini_fat_secs else []
    entries = [struct.unpack_from("<64sHBBIII16sIQQIQ", directory, off)
               for off in range(0, len(directory), 128)]
    root = entries[0]
    assert root[2] == 5
    mini_stream = read_chain(root[11])[:root[12]]

    result: dict[str, bytes] = {}
    seen: set[int] = set()

    def walk(index: int, prefix: str) -> None:
        if index == NOSTREAM:
            return
        assert index not in seen, "directory loop"
        seen.add(index)
        e = entries[index]
        name = e[0][:e[1] - 2].decode("utf-16-le")
        walk(e[4], prefix)
        walk(e[5], prefix)
        if e[2] == 1:
            walk(e[6], prefix + name + "/")
        elif e[2] == 2:
            start, size = e[11], e[12]
            if size < MINI_CUTOFF:
                data = b"".join(mini_stream[s * MINI_SECTOR:(s + 1) * MINI_SECTOR]
                                for s in chain(start, mini_fat, len(mini_fat)))
            else:
                data = read_chain(start)
            result[prefix + name] = data[:size]

    walk(root[6], "")
    return result


# ---------------------------------------------------------------------------------------------
# MS-OVBA: compression (2.4.1), dir stream (2.3.4.2), PROJECT stream (2.3.1)
# ---------------------------------------------------------------------------------------------

def ovba_compress(data: bytes) -> bytes:
    """CompressedContainer made of literal-only chunks.

    Each DecompressedChunk is 4096 bytes (the last may be shorter). A chunk of N bytes costs
    N literals plus one flag byte (0x00: "8 literals follow") per 8 literals; when that does
    not fit the 4096-byte chunk data limit the chunk is stored raw (2.4.1.3.10), padded with
    zeros to 4096 bytes as 2.4.1.3.11 says.
    """
    out = bytearray([0x01])
    for start in range(0, len(data), 4096):
        piece = data[start:start + 4096]
        tokens = bytearray()
        for i in range(0, len(piece), 8):
            tokens.append(0x00)
            tokens += piece[i:i + 8]
        if len(tokens) <= 4096:
            out += struct.pack("<H", 0xB000 | (len(tokens) + 2 - 3)) + tokens
        else:
            out += struct.pack("<H", 0x3000 | 0x0FFF) + piece + bytes(4096 - len(piece))
    return bytes(out)


def ovba_decompress(blob: bytes) -> bytes:
    """Full MS-OVBA 2.4.1.3.1 decompression, to check ovba_compress independently."""
    assert blob[0] == 0x01
    out = bytearray()
    pos = 1
    while pos < len(blob):
        header = struct.unpack_from("<H", blob, pos)[0]
        size = (header & 0x0FFF) + 3
        assert (header >> 12) & 0x7 == 0b011
        chunk_end = min(pos + size, len(blob))
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += blob[pos:pos + 4096]
            pos += 4096
            continue
        while pos < chunk_end:
            flags = blob[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags >> bit & 1:
                    out.append(blob[pos])
                    pos += 1
                    continue
                token = struct.unpack_from("<H", blob, pos)[0]
                pos += 2
                difference = len(out) - chunk_start
                bit_count = max((difference - 1).bit_length(), 4)
                length_mask = 0xFFFF >> bit_count
                length = (token & length_mask) + 3
                offset = (token >> (16 - bit_count)) + 1
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)


def vba_record(record_id: int, payload: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(payload)) + payload


def vba_dir_stream(project: str, modules: list[tuple[str, int]], codepage: int = 932,
                   lcid: int = 0x0411) -> bytes:
    """Decompressed dir stream; `modules` are (name, MODULETYPE id: 0x21 std, 0x22 document)."""
    mbcs = lambda s: s.encode("cp932")  # noqa: E731 - the project code page
    utf16 = lambda s: s.encode("utf-16-le")  # noqa: E731
    d = bytearray()
    d += vba_record(0x0001, struct.pack("<I", 1))  # PROJECTSYSKIND: 32-bit Windows
    d += vba_record(0x0002, struct.pack("<I", lcid))  # PROJECTLCID
    d += vba_record(0x0014, struct.pack("<I", lcid))  # PROJECTLCIDINVOKE
    d += vba_record(0x0003, struct.pack("<H", codepage))  # PROJECTCODEPAGE
    d += vba_record(0x0004, mbcs(project))  # PROJECTNAME
    d += vba_record(0x0005, b"") + vba_record(0x0040, b"")  # PROJECTDOCSTRING (+ Unicode)
    d += vba_record(0x0006, b"") + vba_record(0x003D, b"")  # PROJECTHELPFILEPATH 1 and 2
    d += vba_record(0x0007, struct.pack("<I", 0))  # PROJECTHELPCONTEXT
    d += vba_record(0x0008, struct.pack("<I", 0))  # PROJECTLIBFLAGS
    # PROJECTVERSION has a fixed Reserved field of 4 in place of a size.
    d += struct.pack("<HIIH", 0x0009, 4, 1, 0)
    d += vba_record(0x000C, b"") + vba_record(0x003C, b"")  # PROJECTCONSTANTS (+ Unicode)
    # PROJECTMODULES: Count, then PROJECTCOOKIE, then one MODULE record group per module.
    d += vba_record(0x000F, struct.pack("<H", len(modules)))
    d += vba_record(0x0013, struct.pack("<H", 0xFFFF))
    for name, module_type in modules:
        d += vba_record(0x0019, mbcs(name))  # MODULENAME
        d += vba_record(0x0047, utf16(name))  # MODULENAMEUNICODE
        d += vba_record(0x001A, mbcs(name)) + vba_record(0x0032, utf16(name))  # MODULESTREAMNAME
        d += vba_record(0x001C, b"") + vba_record(0x0048, b"")  # MODULEDOCSTRING
        d += vba_record(0x0031, struct.pack("<I", 0))  # MODULEOFFSET: source at offset 0
        d += vba_record(0x001E, struct.pack("<I", 0))  # MODULEHELPCONTEXT
        d += vba_record(0x002C, struct.pack("<H", 0xFFFF))  # MODULECOOKIE
        d += struct.pack("<HI", module_type, 0)  # MODULETYPE, Reserved
        d += struct.pack("<HI", 0x002B, 0)  # module Terminator
    d += struct.pack("<HI", 0x0010, 0)  # dir Terminator
    return bytes(d)


def parse_vba_dir(dir_stream: bytes) -> list[tuple[str, int]]:
    """Walks the records back (checks sizes line up) and returns (stream name, offset)."""
    pos = 0
    modules = []
    stream_name = None
    while pos < len(dir_stream):
        record_id, size = struct.unpack_from("<HI", dir_stream, pos)
        pos += 6
        if record_id == 0x0009:  # PROJECTVERSION: size field is Reserved, 6 bytes follow
            pos += 6
            continue
        payload = dir_stream[pos:pos + size]
        pos += size
        if record_id == 0x001A:
            stream_name = payload.decode("cp932")
        elif record_id == 0x0031:
            modules.append((stream_name, struct.unpack("<I", payload)[0]))
        elif record_id == 0x0010:
            assert pos == len(dir_stream)
    return modules


# Document modules start with these attributes; the class id is the one Office writes.
DOC_MODULE_ATTRIBUTES = (
    'Attribute VB_Name = "{name}"\r\n'
    'Attribute VB_Base = "{base}"\r\n'
    "Attribute VB_GlobalNameSpace = False\r\n"
    "Attribute VB_Creatable = False\r\n"
    "Attribute VB_PredeclaredId = True\r\n"
    "Attribute VB_Exposed = True\r\n"
    "Attribute VB_TemplateDerived = False\r\n"
    "Attribute VB_Customizable = True\r\n")


def vba_module_source(name: str, base: str, trigger: str) -> bytes:
    text = DOC_MODULE_ATTRIBUTES.format(name=name, base=base) + (
        f"Sub {trigger}()\r\n"
        "    ' 無害化したサンプル（emotriage の例）: 何も実行しません\r\n"
        "    ' defanged example: Shell \"cmd /c echo example\"\r\n"
        "    ' defanged example: CreateObject(\"WScript.Shell\")\r\n"
        "    MsgBox \"example\"\r\n"
        "End Sub\r\n")
    return text.encode("cp932")


def vba_project_streams(prefix: str, project_module: str, base: str, trigger: str,
                        host_line: str) -> tuple[dict[str, bytes], bytes]:
    """Streams of a VBA project under `prefix` ("Macros/" in Word, "" in vbaProject.bin)."""
    source = vba_module_source(project_module, base, trigger)
    dir_plain = vba_dir_stream("Project", [(project_module, 0x0022)])
    project_text = (
        'ID="{5E0E5D19-6A53-4A6B-9C0A-1F2D7E3B4C5A}"\r\n'
        f"Document={project_module}/&H00000000\r\n"
        'Name="Project"\r\n'
        'HelpContextID="0"\r\n'
        'VersionCompatible32="393222000"\r\n'
        "\r\n"
        "[Host Extender Info]\r\n"
        f"{host_line}\r\n"
        "\r\n"
        "[Workspace]\r\n"
        f"{project_module}=0, 0, 0, 0, C\r\n")
    streams = {
        f"{prefix}PROJECT": project_text.encode("cp932"),
        f"{prefix}PROJECTwm": project_module.encode("cp932") + b"\0"
        + project_module.encode("utf-16-le") + b"\0\0" + b"\0\0",
        # _VBA_PROJECT: Reserved1 0x61CC, Version 0xFFFF (forces recompilation from source,
        # so no PerformanceCache is needed), Reserved2 0x00, Reserved3 0x0000.
        f"{prefix}VBA/_VBA_PROJECT": struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0000),
        f"{prefix}VBA/dir": ovba_compress(dir_plain),
        f"{prefix}VBA/{project_module}": ovba_compress(source),
    }
    return streams, source


# ---------------------------------------------------------------------------------------------
# Word 97-2003 .doc (MS-DOC): FIB, one-piece CLX in 1Table, text in UTF-16LE
# ---------------------------------------------------------------------------------------------

WORD_CLSID = uuid.UUID("00020906-0000-0000-C000-000000000046").bytes_le
EXCEL_CLSID = uuid.UUID("00020820-0000-0000-C000-000000000046").bytes_le
WORD_HOST_LINE = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"

DOC_LURE_TEXT = (
    "このドキュメントは保護されています。\r"
    "内容を表示するには、上部の黄色いバーの「編集を有効にする」をクリックし、"
    "続けて「コンテンツの有効化」をクリックしてください。\r"
    "This document is protected. To view the content, click \"Enable Editing\" and then "
    "\"Enable Content\" in the yellow bar above.\r"
    "（emotriage の無害なサンプル文書です / harmless emotriage example）\r")


def word_document_stream(text: str) -> tuple[bytes, bytes]:
    """WordDocument and 1Table streams with a FIB (nFib 0x00C1) and a single text piece."""
    text_bytes = text.encode("utf-16-le")
    fc_text = 0x0400
    fib = bytearray(0x0384)
    struct.pack_into("<HHHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x0411, 0)
    struct.pack_into("<H", fib, 0x0A, 1 << 9)  # fWhichTblStm: the table stream is 1Table
    struct.pack_into("<H", fib, 0x0C, 0x00BF)  # nFibBack
    struct.pack_into("<H", fib, 0x20, 14)  # csw
    struct.pack_into("<H", fib, 0x3E, 22)  # cslw
    stream_size = fc_text + len(text_bytes)
    struct.pack_into("<I", fib, 0x40, stream_size)  # cbMac
    struct.pack_into("<i", fib, 0x4C, len(text))  # ccpText
    struct.pack_into("<H", fib, 0x98, 0x005D)  # cbRgFcLcb for nFib 0x00C1
    # Clx: one Pcdt with a PlcPcd of two CPs and one Pcd (fc of UTF-16 text, not compressed).
    plc_pcd = struct.pack("<II", 0, len(text)) + struct.pack("<HIH", 0, fc_text, 0)
    clx = b"\x02" + struct.pack("<I", len(plc_pcd)) + plc_pcd
    table = bytes(16) + clx  # 16 bytes ahead so fcClx is not 0
    struct.pack_into("<II", fib, 0x1A2, 16, len(clx))  # fcClx, lcbClx
    stream = bytes(fib) + bytes(fc_text - len(fib)) + text_bytes
    return stream, table


def comp_obj_stream(user_type: str, clipboard: str, prog_id: str, clsid: bytes) -> bytes:
    """\\x01CompObj (MS-OLEDS 2.3.8)."""
    def ansi(s: str) -> bytes:
        raw = s.encode("ascii") + b"\0"
        return struct.pack("<I", len(raw)) + raw

    header = struct.pack("<II", 0xFFFE0001, 0x00000A03) + struct.pack("<i", -1) + clsid
    return (header + ansi(user_type) + ansi(clipboard) + ansi(prog_id)
            + struct.pack("<I", 0x71B239F4) + struct.pack("<III", 0, 0, 0))


def build_macro_doc() -> tuple[bytes, bytes]:
    """Word .doc with a VBA project (AutoOpen) and the "enable content" request."""
    word, table = word_document_stream(DOC_LURE_TEXT)
    streams, source = vba_project_streams("Macros/", "ThisDocument", "1Normal.ThisDocument",
                                          "AutoOpen", WORD_HOST_LINE)
    streams.update({
        "WordDocument": word,
        "1Table": table,
        "\x01CompObj": comp_obj_stream("Microsoft Word 97-2003 Document", "MSWordDoc",
                                       "Word.Document.8", WORD_CLSID),
    })
    return build_cfb(streams, root_clsid=WORD_CLSID), source


def build_vba_project_bin() -> tuple[bytes, bytes]:
    """xl/vbaProject.bin: the same kind of project, a Workbook_Open in ThisWorkbook."""
    streams, source = vba_project_streams("", "ThisWorkbook", "0{00020819-0000-0000-C000-"
                                          "000000000046}", "Workbook_Open", WORD_HOST_LINE)
    return build_cfb(streams), source


# ---------------------------------------------------------------------------------------------
# Excel .xls (MS-XLS BIFF8): hidden Excel 4.0 macro sheet with Auto_Open, lure text
# ---------------------------------------------------------------------------------------------

def biff(record_type: int, payload: bytes) -> bytes:
    assert len(payload) <= 8224
    return struct.pack("<HH", record_type, len(payload)) + payload


def biff_bof(substream: int) -> bytes:
    # vers 0x0600 (BIFF8), dt, rupBuild, rupYear 0x07CC, bfh flags, sfo 0x06 (lowest BIFF8)
    return biff(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 0x07CC, 0x000100C1,
                                    0x00000606))


def xl_unicode(text: str, length_bytes: int) -> bytes:
    """XLUnicodeString / ShortXLUnicodeString: count, fHighByte=1, UTF-16LE."""
    fmt = "<B" if length_bytes == 1 else "<H"
    return struct.pack(fmt, len(text)) + b"\x01" + text.encode("utf-16-le")


def ptg_str(text: str) -> bytes:
    return b"\x17" + xl_unicode(text, 1)


def biff_formula(row: int, col: int, rgce: bytes) -> bytes:
    # rw, col, ixfe 15 (default cell XF), cached value 0.0, flags 0, chn 0, then the formula.
    return biff(0x0006, struct.pack("<HHH", row, col, 15) + bytes(8) + struct.pack("<HI", 0, 0)
                + struct.pack("<H", len(rgce)) + rgce)


XLS_LURE_JA = ("このファイルはプレビューでは表示できません。"
               "ファイルを C:\\Program Files\\Microsoft Office\\root\\Templates "
               "（または %AppData%\\Microsoft\\Templates）にコピーしてから開き直してください。")
XLS_LURE_EN = ("This file cannot be previewed. Copy it to the Microsoft Office\\Templates folder "
               "(C:\\Program Files\\Microsoft Office\\root\\Templates) and open it again.")
XLS_MACRO_FORMULA = 'EXEC("cmd /c echo example")'


def build_xls() -> bytes:
    strings = [XLS_LURE_JA, XLS_LURE_EN, "emotriage 無害化サンプル / harmless example"]
    sheet_names = [("Sheet1", 0x00, 0x00), ("Macro1", 0x01, 0x01)]  # (name, hsState, dt)

    def boundsheet(position: int, name: str, hidden: int, kind: int) -> bytes:
        return biff(0x0085, struct.pack("<IBB", position, hidden, kind) + xl_unicode(name, 1))

    sst = struct.pack("<II", len(strings), len(strings)) + b"".join(
        xl_unicode(s, 2) for s in strings)
    # NAME Auto_Open: fBuiltin (bit 5), fProc (bit 3) and fFunc (bit 1) of a command macro;
    # the built-in name index 0x01 is "Auto_Open"; formula PtgRef3d -> Macro1!$A$1.
    rgce_name = b"\x3A" + struct.pack("<HHH", 0, 0, 0)
    name_record = biff(0x0018, struct.pack("<HBBHHHBBBB", 0x0020 | 0x0008 | 0x0002, 0, 1,
                                           len(rgce_name), 0, 0, 0, 0, 0, 0)
                       + b"\x00\x01" + rgce_name)

    def globals_stream(positions: list[int]) -> bytes:
        return b"".join([
            biff_bof(0x0005),
            biff(0x0042, struct.pack("<H", 1200)),  # CODEPAGE: UTF-16
            *(boundsheet(p, n, h, k) for p, (n, h, k) in zip(positions, sheet_names)),
            biff(0x01AE, struct.pack("<HH", len(sheet_names), 0x0401)),  # SUPBOOK: this file
            biff(0x0017, struct.pack("<HHHH", 1, 0, 1, 1)),  # EXTERNSHEET: ixti 0 -> sheet 1
            name_record,
            biff(0x00FC, sst),
            biff(0x000A, b""),
        ])

    worksheet = b"".join([
        biff_bof(0x0010),
        biff(0x0200, struct.pack("<IIHHH", 0, 3, 0, 1, 0)),  # DIMENSIONS
        *(biff(0x00FD, struct.pack("<HHHI", row, 0, 15, row)) for row in range(3)),  # LABELSST
        biff(0x000A, b""),
    ])
    # EXEC is built-in function 110 (variable arguments), HALT is 54 (fixed, no arguments).
    macro_sheet = b"".join([
        biff_bof(0x0040),
        biff(0x0200, struct.pack("<IIHHH", 0, 2, 0, 1, 0)),
        biff_formula(0, 0, ptg_str("cmd /c echo example") + b"\x42\x01" + struct.pack("<H",
                                                                                       110)),
        biff_formula(1, 0, b"\x41" + struct.pack("<H", 54)),
        biff(0x000A, b""),
    ])
    head_len = len(globals_stream([0, 0]))
    positions = [head_len, head_len + len(worksheet)]
    workbook = globals_stream(positions) + worksheet + macro_sheet
    if len(workbook) < MINI_CUTOFF:  # Excel keeps Workbook in regular sectors; pad with a
        # harmless trailing gap so readers that expect that see it there.
        workbook += bytes(MINI_CUTOFF - len(workbook))
    streams = {
        "Workbook": workbook,
        "\x01CompObj": comp_obj_stream("Microsoft Excel 97-2003 Worksheet", "Biff8",
                                       "Excel.Sheet.8", EXCEL_CLSID),
    }
    return build_cfb(streams, root_clsid=EXCEL_CLSID)


def read_biff(workbook: bytes) -> list[tuple[int, bytes]]:
    records = []
    pos = 0
    while pos + 4 <= len(workbook):
        record_type, size = struct.unpack_from("<HH", workbook, pos)
        if record_type == 0 and size == 0:
            break  # the zero gap after the last EOF
        records.append((record_type, workbook[pos + 4:pos + 4 + size]))
        pos += 4 + size
    return records


# ---------------------------------------------------------------------------------------------
# .xlsm: VBA project (Workbook_Open) plus an Excel 4.0 macro sheet with _xlnm.Auto_Open
# ---------------------------------------------------------------------------------------------

def build_xlsm(when: dt.datetime) -> tuple[bytes, bytes]:
    vba_bin, source = build_vba_project_bin()
    ns_main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ns_rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ns_pkg_rel = "http://schemas.openxmlformats.org/package/2006/relationships"
    decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    content_types = decl + (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.'
        'macroEnabled.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/macrosheets/sheet1.xml" ContentType="application/vnd.ms-excel.'
        'macrosheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.styles+xml"/>'
        '</Types>')
    root_rels = decl + (
        f'<Relationships xmlns="{ns_pkg_rel}">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    workbook = decl + (
        f'<workbook xmlns="{ns_main}" xmlns:r="{ns_rel}">'
        '<workbookPr codeName="ThisWorkbook"/>'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
        '<sheet name="Macro1" sheetId="2" state="hidden" r:id="rId2"/></sheets>'
        '<definedNames><definedName name="_xlnm.Auto_Open" hidden="1">Macro1!$A$1'
        '</definedName></definedNames></workbook>')
    workbook_rels = decl + (
        f'<Relationships xmlns="{ns_pkg_rel}">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2006/relationships/'
        'xlMacrosheet" Target="macrosheets/sheet1.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/>'
        '<Relationship Id="rId4" Type="http://schemas.microsoft.com/office/2006/relationships/'
        'vbaProject" Target="vbaProject.bin"/></Relationships>')
    lure_cells = [
        "請求書を表示するには、上部の「編集を有効にする」と「コンテンツの有効化」をクリックして"
        "ください。",
        'To view the invoice, click "Enable Editing" and "Enable Content" above.',
    ]
    sheet = decl + (
        f'<worksheet xmlns="{ns_main}"><sheetData>' + "".join(
            f'<row r="{i + 1}"><c r="A{i + 1}" t="inlineStr"><is><t>{text}</t></is></c></row>'
            for i, text in enumerate(lure_cells)) + '</sheetData></worksheet>')
    macro_sheet = decl + (
        f'<xm:macrosheet xmlns="{ns_main}" xmlns:r="{ns_rel}" '
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData>'
        '<row r="1"><c r="A1"><f>EXEC("cmd /c echo example")</f></c></row>'
        '<row r="2"><c r="A2"><f>HALT()</f></c></row>'
        '</sheetData></xm:macrosheet>')
    styles = decl + (
        f'<styleSheet xmlns="{ns_main}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
        '</font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="1"><xf/></cellXfs></styleSheet>')
    parts = [
        ("[Content_Types].xml", content_types.encode()),
        ("_rels/.rels", root_rels.encode()),
        ("xl/workbook.xml", workbook.encode()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.encode()),
        ("xl/worksheets/sheet1.xml", sheet.encode()),
        ("xl/macrosheets/sheet1.xml", macro_sheet.encode()),
        ("xl/styles.xml", styles.encode()),
        ("xl/vbaProject.bin", vba_bin),
    ]
    return build_ooxml(parts, when), source


# ---------------------------------------------------------------------------------------------
# MS-SHLLINK .lnk with the 2022-04 traits (TargetFileSize 0, padded findstr/powershell args)
# ---------------------------------------------------------------------------------------------

LNK_CLSID = uuid.UUID("00021401-0000-0000-C000-000000000046").bytes_le
# base64 of UTF-16LE 'Write-Output "defanged example"': a -enc argument that prints a word.
PS_ENC = base64.b64encode('Write-Output "defanged example"'.encode("utf-16-le")).decode()
LNK_ARGUMENTS = (" " * 200 + '/c findstr /b "rem-defanged" "請求書.lnk" > '
                 '"%TEMP%\\defanged-example.txt" & echo powershell -enc ' + PS_ENC)


def filetime(when: dt.datetime) -> int:
    epoch = dt.datetime(1601, 1, 1, tzinfo=dt.timezone.utc)
    return int((when - epoch).total_seconds()) * 10_000_000


def build_lnk(when: dt.datetime) -> bytes:
    has_name, has_relative_path, has_arguments, has_icon, is_unicode = 0x04, 0x08, 0x20, 0x40, 0x80
    flags = has_name | has_relative_path | has_arguments | has_icon | is_unicode
    t = filetime(when)
    header = struct.pack("<I16sIIQQQIiIHHII", 0x4C, LNK_CLSID, flags, 0x20, t, t, t,
                         0,  # TargetFileSize 0: the 2022-04 LNKs carried their payload inside
                         3,  # IconIndex
                         7,  # ShowCommand SW_SHOWMINNOACTIVE
                         0, 0, 0, 0)

    def string_data(text: str) -> bytes:
        return struct.pack("<H", len(text)) + text.encode("utf-16-le")

    return (header
            + string_data("請求書 (PDF)")
            + string_data("..\\..\\..\\..\\Windows\\System32\\cmd.exe")
            + string_data(LNK_ARGUMENTS)
            + string_data("%SystemRoot%\\System32\\shell32.dll")
            + struct.pack("<I", 0))  # TerminalBlock


# ---------------------------------------------------------------------------------------------
# OneNote .one (MS-ONESTORE): header, FileDataStoreObject with an embedded .wsf-like script
# ---------------------------------------------------------------------------------------------

ONE_FILE_TYPE = uuid.UUID("7B5C52E4-D88C-4DA7-AEB1-5378D02996D3").bytes_le
ONE_FILE_FORMAT = uuid.UUID("109ADD3F-911B-49F5-A5D0-1791EDC8AED8").bytes_le
ONE_FDSO_HEADER = uuid.UUID("BDE316E7-2665-4511-A4C4-8D4D0B7A9EAC").bytes_le
ONE_FDSO_FOOTER = uuid.UUID("71FBA722-0F79-4A0B-BB13-899256426B24").bytes_le
WSF_SCRIPT = (b'<job id="example"><script language="VBScript">\r\n'
              b"' WScript.Shell defanged example: CreateObject(\"WScript.Shell\").Run is not "
              b"called\r\n"
              b'WScript.Echo "example"\r\n'
              b"</script></job>\r\n")


def build_onenote() -> bytes:
    header = bytearray(1024)
    header[0:16] = ONE_FILE_TYPE
    header[16:32] = uuid.UUID(bytes=det_bytes("onenote-file-guid", 16)).bytes_le
    header[48:64] = ONE_FILE_FORMAT
    struct.pack_into("<IIII", header, 64, 0x2A, 0x2A, 0x2A, 0x2A)  # ffv* fields: OneNote 2010+
    data = WSF_SCRIPT
    padding = (-len(data)) % 8  # FileData is padded to 8-byte alignment before the footer
    store_object = (ONE_FDSO_HEADER + struct.pack("<QIQ", len(data), 0, 0) + data
                    + bytes(padding) + ONE_FDSO_FOOTER)
    # The lure page text ("double-click to view") as OneNote stores text: UTF-16LE.
    page_text = "ダブルクリックして表示 / Double click to view the document".encode("utf-16-le")
    body = bytes(header) + page_text + bytes((-len(page_text)) % 8) + store_object
    return body + bytes((-len(body)) % 512)


# ---------------------------------------------------------------------------------------------
# ISO 9660 (ECMA-119): system area, PVD at 16, terminator, path tables, root dir, one file
# ---------------------------------------------------------------------------------------------

def both16(v: int) -> bytes:
    return struct.pack("<H", v) + struct.pack(">H", v)


def both32(v: int) -> bytes:
    return struct.pack("<I", v) + struct.pack(">I", v)


def build_iso(file_name: str, file_data: bytes, when: dt.datetime) -> bytes:
    block = 2048
    pvd_lba, term_lba, lpath_lba, mpath_lba, root_lba, file_lba = 16, 17, 18, 19, 20, 21
    file_blocks = -(-len(file_data) // block)
    # Readers such as libarchive read 8 blocks past the system area before deciding it is an
    # ISO, so a tiny image is padded to 32 blocks (64 KiB) as small real images are.
    total_blocks = max(file_lba + file_blocks, 32)
    rec_date = bytes([when.year - 1900, when.month, when.day, when.hour, when.minute,
                      when.second, 36])  # offset in 15-minute units: +09:00

    def dir_record(identifier: bytes, lba: int, size: int, is_dir: bool) -> bytes:
        length = 33 + len(identifier) + (1 - len(identifier) % 2)
        rec = (bytes([length, 0]) + both32(lba) + both32(size) + rec_date
               + bytes([2 if is_dir else 0, 0, 0]) + both16(1) + bytes([len(identifier)])
               + identifier)
        return rec + bytes(length - len(rec))

    root_dir = (dir_record(b"\x00", root_lba, block, True)
                + dir_record(b"\x01", root_lba, block, True)
                + dir_record(file_name.encode("ascii") + b";1", file_lba, len(file_data), False))
    root_dir += bytes(block - len(root_dir))

    def vol_date(t: dt.datetime) -> bytes:
        return t.strftime("%Y%m%d%H%M%S").encode() + b"00" + bytes([36])

    path_table_size = 10
    pvd = bytearray(block)
    pvd[0:7] = b"\x01CD001\x01"
    pvd[8:40] = b"WIN32".ljust(32)
    pvd[40:72] = b"INVOICE".ljust(32)
    pvd[80:88] = both32(total_blocks)
    pvd[120:124] = both16(1)
    pvd[124:128] = both16(1)
    pvd[128:132] = both16(block)
    pvd[132:140] = both32(path_table_size)
    pvd[140:144] = struct.pack("<I", lpath_lba)
    pvd[148:152] = struct.pack(">I", mpath_lba)
    pvd[156:190] = dir_record(b"\x00", root_lba, block, True)
    pvd[190:318] = b" " * 128  # volume set
    pvd[318:446] = b" " * 128  # publisher
    pvd[446:574] = b" " * 128  # data preparer
    pvd[574:702] = b"EMOTRIAGE EXAMPLE".ljust(128)
    pvd[702:813] = b" " * 111  # copyright, abstract, bibliographic file ids
    pvd[813:830] = vol_date(when)
    pvd[830:847] = vol_date(when)
    pvd[847:864] = b"0" * 16 + b"\x00"
    pvd[864:881] = b"0" * 16 + b"\x00"
    pvd[881] = 1
    terminator = b"\xffCD001\x01" + bytes(block - 7)
    lpath = (bytes([1, 0]) + struct.pack("<I", root_lba) + struct.pack("<H", 1) + b"\x00\x00")
    mpath = (bytes([1, 0]) + struct.pack(">I", root_lba) + struct.pack(">H", 1) + b"\x00\x00")
    image = (bytes(block * 16) + bytes(pvd) + terminator + lpath + bytes(block - len(lpath))
             + mpath + bytes(block - len(mpath)) + root_dir + file_data
             + bytes((total_blocks - file_lba) * block - len(file_data)))
    assert len(image) == total_blocks * block
    return image


def read_iso_file(image: bytes) -> tuple[str, bytes]:
    block = 2048
    pvd = image[16 * block:17 * block]
    assert pvd[1:6] == b"CD001"
    root_lba = struct.unpack_from("<I", pvd, 156 + 2)[0]
    pos = root_lba * block
    found = []
    while image[pos] != 0:
        length = image[pos]
        lba, size = struct.unpack_from("<I", image, pos + 2)[0], struct.unpack_from(
            "<I", image, pos + 10)[0]
        ident = image[pos + 33:pos + 33 + image[pos + 32]]
        if image[pos + 25] & 2 == 0:
            found.append((ident.decode(), image[lba * block:lba * block + size]))
        pos += length
    assert len(found) == 1
    return found[0]


# ---------------------------------------------------------------------------------------------
# PDF 1.4 invoice (benign), with a correct xref table
# ---------------------------------------------------------------------------------------------

def build_pdf() -> bytes:
    lines = ["INVOICE  No. TP-2024-1203", "Torihikisaki Co., Ltd. (partner.example)",
             "To: Sample Shoji Co., Ltd.  Accounting Dept.",
             "Item: Logistics consulting, November 2024", "Amount: JPY 132,000 (tax included)",
             "Due: 2024-12-27   Bank transfer"]
    text = "BT /F1 12 Tf 72 760 Td 16 TL " + " ".join(
        f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text.encode() + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (Invoice TP-2024-1203) /Producer (emotriage example) "
        b"/CreationDate (D:20241203100000+09'00') >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# Mail writing: RFC 5322 headers, RFC 2047 encoded words, MIME parts
# ---------------------------------------------------------------------------------------------

def encoded_words(text: str, charset: str) -> str:
    """RFC 2047 B-encoding in pieces short enough for 76-column lines."""
    if text.isascii():
        return text
    codec = {"ISO-2022-JP": "iso2022_jp", "UTF-8": "utf-8"}[charset]
    per_word = 10 if charset == "ISO-2022-JP" else 12
    words = []
    for i in range(0, len(text), per_word):
        raw = text[i:i + per_word].encode(codec)
        words.append(f"=?{charset}?B?{base64.b64encode(raw).decode()}?=")
    return "\r\n ".join(words)


def address(display: str | None, addr: str, charset: str = "ISO-2022-JP") -> str:
    if not display:
        return addr
    if display.isascii():
        return f'"{display}" <{addr}>'
    return f"{encoded_words(display, charset)} <{addr}>"


def rfc5322_date(when: dt.datetime) -> str:
    return email.utils.format_datetime(when)


def received_date(when: dt.datetime) -> str:
    return email.utils.format_datetime(when) + " (JST)"


def text_part(text: str, charset: str, transfer: str) -> bytes:
    """A text/plain part (headers + body) in the given charset and transfer encoding."""
    lines = text.split("\n")
    if charset == "ISO-2022-JP":
        assert transfer == "7bit"
        body = CRLF.join(line.encode("iso2022_jp") for line in lines)
    else:
        raw = "\n".join(lines).encode(charset.lower())
        if transfer == "base64":
            body = base64.encodebytes(raw).replace(b"\n", CRLF).rstrip(CRLF)
        elif transfer == "quoted-printable":
            body = quopri.encodestring(raw).replace(b"\n", CRLF)
        else:
            assert transfer in ("7bit", "8bit")
            body = raw.replace(b"\n", CRLF)
    headers = (f'Content-Type: text/plain; charset="{charset}"\r\n'
               f"Content-Transfer-Encoding: {transfer}\r\n")
    return headers.encode() + CRLF + body + CRLF


def attachment_part(filename: str, data: bytes, content_type: str, name_style: str) -> bytes:
    """Base64 attachment; `name_style` is "rfc2047-jis" (Outlook/JP mailers), "rfc2231-utf8"
    (Thunderbird, Gmail) or "ascii"."""
    if name_style == "ascii":
        params = f'name="{filename}"', f'filename="{filename}"'
    elif name_style == "rfc2047-jis":
        word = encoded_words(filename, "ISO-2022-JP").replace("\r\n ", " ")
        params = f'name="{word}"', f'filename="{word}"'
    else:
        quoted = "".join(chr(b) if b < 0x80 and (chr(b).isalnum() or chr(b) in "._-")
                         else f"%{b:02X}"
                         for b in filename.encode("utf-8"))
        word = encoded_words(filename, "UTF-8").replace("\r\n ", " ")
        params = f'name="{word}"', f"filename*=UTF-8''{quoted}"
    body = base64.encodebytes(data).replace(b"\n", CRLF).rstrip(CRLF)
    return (f"Content-Type: {content_type};\r\n\t{params[0]}\r\n"
            f"Content-Transfer-Encoding: base64\r\n"
            f"Content-Disposition: attachment;\r\n\t{params[1]}\r\n").encode() + CRLF + body + CRLF


def multipart(boundary: str, parts: list[bytes]) -> tuple[str, bytes]:
    body = b"".join(b"--" + boundary.encode() + CRLF + p for p in parts)
    body += b"--" + boundary.encode() + b"--" + CRLF
    return f'multipart/mixed;\r\n\tboundary="{boundary}"', body


def message(headers: list[tuple[str, str]], body_part: bytes,
            attachments: list[bytes] | None = None, boundary: str = "") -> bytes:
    """Whole message: `headers` in order, then either a single text part or multipart."""
    out = "".join(f"{k}: {v}\r\n" for k, v in headers)
    out += "MIME-Version: 1.0\r\n"
    if not attachments:
        return out.encode() + body_part
    content_type, body = multipart(boundary, [body_part, *attachments])
    preamble = b"This is a multi-part message in MIME format." + CRLF + CRLF
    return (out + f"Content-Type: {content_type}\r\n\r\n").encode() + preamble + body


def postfix_id(seed: str) -> str:
    return det_bytes(seed, 6).hex().upper()[:11]


def received(from_part: str, by: str, via: str, seed: str, rcpt: str, when: dt.datetime,
             auth_note: str = "") -> tuple[str, str]:
    note = f"\r\n\t({auth_note})" if auth_note else ""
    return ("Received", f"from {from_part}{note}\r\n\tby {by} with {via} id "
            f"{postfix_id(seed)}\r\n\tfor <{rcpt}>; {received_date(when)}")


def at(y, mo, d, h, mi, s=0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=JST)


def outlook_quote(lines: list[tuple[str, str]], body: str) -> str:
    """Outlook's Japanese reply header block followed by the old text."""
    head = "\n".join(f"{k}: {v}" for k, v in lines)
    return "\n-----Original Message-----\n" + head + "\n\n" + body


# ---------------------------------------------------------------------------------------------
# The incidents
# ---------------------------------------------------------------------------------------------

OUR_SERVER = "mail.sample-shoji.example (mail.sample-shoji.example [192.0.2.25])"
PARTNER_SERVER = "mail.partner.example (mail.partner.example [198.51.100.120])"


def ja_signature(name: str, dept: str, addr: str) -> str:
    return ("--------------------------------------------\n"
            "株式会社サンプル商事\n"
            f"{dept}　{name}\n"
            "〒100-0000 東京都千代田区サンプル1-2-3\n"
            "TEL: 03-0000-0000\n"
            f"Mail: {addr}\n"
            "https://www.sample-shoji.example\n"
            "--------------------------------------------")


def partner_signature(name: str, addr: str) -> str:
    return ("――――――――――――――――――――\n"
            "取引先株式会社　営業部\n"
            f"{name}\n"
            f"E-mail: {addr}\n"
            "――――――――――――――――――――")


class Built:
    def __init__(self):
        self.mails: dict[str, bytes] = {}
        self.attachments: dict[str, list[tuple[str, bytes]]] = {}
        self.zip_passwords: dict[str, bytes] = {}
        self.vba_sources: list[bytes] = []


def make_all() -> Built:
    b = Built()
    doc, doc_source = build_macro_doc()
    b.vba_sources.append(doc_source)

    # 1. own-account-compromised — 2020-09 wave: ZipCrypto zip, password in the body.
    when = at(2020, 9, 3, 10, 15, 42)
    doc_name = "見積書_20200903.doc"
    zip1 = build_zip([ZipMember(doc_name, doc, password=b"Ab12Cd", when=when)])
    b.zip_passwords["01"] = b"Ab12Cd"
    body = (
        "取引先株式会社\n"
        "中村様\n"
        "\n"
        "お世話になっております。\n"
        "サンプル商事の山田です。\n"
        "\n"
        "お見積りの件、添付ファイルをご確認ください。\n"
        "\n"
        "ファイル名：見積書_20200903.zip\n"
        "パスワード：Ab12Cd\n"
        "\n"
        "宜しく御願い致します。\n"
        + outlook_quote([
            ("差出人", "中村 修 <o.nakamura@partner.example>"),
            ("送信日時", "2020年7月14日 16:02"),
            ("宛先", "山田 太郎 <t.yamada@sample-shoji.example>"),
            ("件名", "お見積りの件"),
        ], "山田様\n\nいつもお世話になっております。\n取引先株式会社の中村です。\n\n"
           "先日ご相談した梱包資材について、お見積りをお願いできますでしょうか。\n"
           "数量は前回と同じく500ケースを想定しております。\n\n"
           + partner_signature("中村 修", "o.nakamura@partner.example")))
    b.mails["01-own-account-compromised-zip-password.eml"] = message([
        received(OUR_SERVER, "mx.partner.example (Postfix)", "ESMTPS", "1b", "o.nakamura@"
                 "partner.example", when + dt.timedelta(seconds=3)),
        received("PC-YAMADA (unknown [203.0.113.50])", "mail.sample-shoji.example (Postfix)",
                 "ESMTPSA", "1a", "o.nakamura@partner.example", when,
                 "Authenticated sender: t.yamada@sample-shoji.example"),
        ("Authentication-Results", "mx.partner.example;\r\n\tspf=pass (sender IP is "
         "192.0.2.25) smtp.mailfrom=sample-shoji.example;\r\n\tdkim=none;\r\n\tdmarc=pass "
         "(p=none) header.from=sample-shoji.example"),
        ("Return-Path", "<t.yamada@sample-shoji.example>"),
        ("From", address("山田 太郎", "t.yamada@sample-shoji.example")),
        ("To", address("中村 修", "o.nakamura@partner.example")),
        ("Subject", encoded_words("RE: お見積りの件", "ISO-2022-JP")),
        ("Date", rfc5322_date(when)),
        ("Message-ID", "<20200903101542.7F2A31C0042@sample-shoji.example>"),
        ("X-Mailer", "Microsoft Outlook 16.0"),
    ], text_part(body, "ISO-2022-JP", "7bit"),
        [attachment_part("見積書_20200903.zip", zip1, "application/x-zip-compressed",
                         "rfc2047-jis")], "----=_NextPart_000_0001_01D681E2.3A4B5C60")
    b.attachments["01"] = [("見積書_20200903.zip", zip1)]

    # 2. own-address-spoofed — 2019 wave: macro .doc attached directly, forged From.
    when = at(2019, 11, 27, 8, 41, 5)
    body = ("取引先株式会社\nご担当者様\n\nいつもお世話になっております。\n"
            "11月分の請求書を送付いたします。\n添付の請求書をご確認ください。\n\n"
            "ご不明な点がございましたら、ご連絡ください。\n宜しくお願い致します。\n\n"
            + ja_signature("鈴木 花子", "営業部", "h.suzuki@sample-shoji.example"))
    b.mails["02-own-address-spoofed-macro-doc.eml"] = message([
        received("sample-shoji.example (unknown [203.0.113.77])",
                 "mx.partner.example (Postfix)", "ESMTP", "2a", "it@partner.example", when),
        ("Authentication-Results", "mx.partner.example;\r\n\tspf=fail (sender IP is "
         "203.0.113.77) smtp.mailfrom=sample-shoji.example;\r\n\tdkim=none (message not "
         "signed);\r\n\tdmarc=fail action=none header.from=sample-shoji.example"),
        ("Return-Path", "<h.suzuki@sample-shoji.example>"),
        ("From", address("鈴木 花子", "h.suzuki@sample-shoji.example", "UTF-8")),
        ("To", "it@partner.example"),
        ("Subject", encoded_words("請求書の送付（2019年11月分）", "UTF-8")),
        ("Date", rfc5322_date(when)),
        ("Message-ID", "<8463371095.20191127084105312@partner.example>"),
    ], text_part(body, "UTF-8", "base64"),
        [attachment_part("請求書_1127.doc", doc, "application/msword", "rfc2231-utf8")],
        "===============2019112708410501==")
    b.attachments["02"] = [("請求書_1127.doc", doc)]

    # 3. identity-misused-external — 2022-03 wave: freemail, hijacked thread, .xlsm (VBA + XLM).
    when = at(2022, 3, 4, 23, 52, 10)
    xlsm, xlsm_source = build_xlsm(when)
    b.vba_sources.append(xlsm_source)
    body = ("お世話になっております。\n\n"
            "請求書を送付いたしますので、至急ご確認をお願いします。\n"
            "宜しく御願い致します。\n"
            + outlook_quote([
                ("差出人", "山田 太郎 <t.yamada@sample-shoji.example>"),
                ("送信日時", "2022年2月18日 11:20"),
                ("宛先", "it@partner.example"),
                ("件名", "【至急】ご請求書の件"),
            ], "取引先株式会社\n情報システム部 御中\n\n"
               "いつもお世話になっております。株式会社サンプル商事の山田です。\n"
               "2月分のご請求書につきまして、金額の確認をお願いいたします。\n\n"
               + ja_signature("山田 太郎", "営業部", "t.yamada@sample-shoji.example")))
    b.mails["03-identity-misused-freemail-xlsm.eml"] = message([
        received("mail-ej1-f41.google.example (mail-ej1-f41.google.example [203.0.113.41])",
                 "mx.partner.example (Postfix)", "ESMTPS", "3a", "it@partner.example", when),
        ("Authentication-Results", "mx.partner.example;\r\n\tspf=pass smtp.mailfrom=gmail.com;"
         "\r\n\tdkim=pass header.d=gmail.com;\r\n\tdmarc=pass header.from=gmail.com"),
        ("Return-Path", "<yamada.taro.1978@gmail.com>"),
        ("From", address("山田 太郎", "yamada.taro.1978@gmail.com")),
        ("To", "it@partner.example"),
        ("Subject", encoded_words("RE: 【至急】ご請求書の件", "ISO-2022-JP")),
        # The victims' notices: "the send date is the next day" — Date is after Received.
        ("Date", rfc5322_date(when + dt.timedelta(hours=10, minutes=3))),
        ("Message-ID", "<CAF3k9x2Q7b1mN4vR8sT0yZ5wL6pH2jD@mail.gmail.com>"),
    ], text_part(body, "ISO-2022-JP", "7bit"),
        [attachment_part("請求書_0304.xlsm", xlsm,
                         "application/vnd.ms-excel.sheet.macroEnabled.12", "rfc2047-jis")],
        "000000000000a1b2c3d4e5f60304")
    b.attachments["03"] = [("請求書_0304.xlsm", xlsm)]

    # 4. identity-misused-external — 2022-04 wave: lookalike domain (rn for m), LNK in a zip.
    when = at(2022, 4, 26, 9, 5, 31)
    lnk = build_lnk(when)
    zip4 = build_zip([ZipMember("請求書_0426.lnk", lnk, utf8_name=True, when=when)])
    body = ("取引先株式会社\nご担当者様\n\nお世話になっております。\n"
            "4月分の支払明細をお送りします。\n添付ファイルをご確認ください。\n\n"
            "宜しくお願い致します。\n\n"
            + ja_signature("佐藤 健", "経理部", "k.sato@sample-shoji.example"))
    b.mails["04-identity-misused-lookalike-lnk.eml"] = message([
        received("sarnple-shoji.example (unknown [203.0.113.88])",
                 "mx.partner.example (Postfix)", "ESMTP", "4a", "it@partner.example", when),
        ("Authentication-Results", "mx.partner.example;\r\n\tspf=pass "
         "smtp.mailfrom=sarnple-shoji.example;\r\n\tdkim=none;\r\n\tdmarc=none "
         "header.from=sarnple-shoji.example"),
        ("Return-Path", "<k.sato@sarnple-shoji.example>"),
        ("From", address("佐藤 健", "k.sato@sarnple-shoji.example", "UTF-8")),
        ("To", "it@partner.example"),
        ("Subject", encoded_words("支払明細書の送付", "UTF-8")),
        ("Date", rfc5322_date(when)),
        ("Message-ID", "<20220426090531.5512@sarnple-shoji.example>"),
    ], text_part(body, "UTF-8", "quoted-printable"),
        [attachment_part("請求書_0426.zip", zip4, "application/zip", "rfc2231-utf8")],
        "----_=_NextPart_004_20220426")
    b.attachments["04"] = [("請求書_0426.zip", zip4)]

    # 5. external-malspam — 2023-03-16 wave: OneNote with an embedded .wsf.
    when = at(2023, 3, 17, 14, 22, 8)
    one = build_onenote()
    body = ("Hello,\n\nPlease find attached invoice #4821 for your recent order.\n"
            "Payment is due within 7 days. Double click \"View\" in the document to see the "
            "details.\n\nBest regards,\nBilling Department\nACME Invoices Ltd.")
    b.mails["05-external-malspam-onenote.eml"] = message([
        received("smtp.acme-invoices.example (smtp.acme-invoices.example [203.0.113.105])",
                 "mail.sample-shoji.example (Postfix)", "ESMTPS", "5a",
                 "m.watanabe@sample-shoji.example", when),
        ("Authentication-Results", "mail.sample-shoji.example;\r\n\tspf=softfail "
         "smtp.mailfrom=acme-invoices.example;\r\n\tdkim=none;\r\n\tdmarc=none "
         "header.from=acme-invoices.example"),
        ("Return-Path", "<billing@acme-invoices.example>"),
        ("From", address("ACME Billing", "billing@acme-invoices.example")),
        ("To", "m.watanabe@sample-shoji.example"),
        ("Subject", "Invoice #4821"),
        ("Date", rfc5322_date(when)),
        ("Message-ID", "<4821.1679030528@acme-invoices.example>"),
    ], text_part(body, "us-ascii", "7bit"),
        [attachment_part("Invoice_4821.one", one, "application/octet-stream", "ascii")],
        "b1_4821_20230317")
    b.attachments["05"] = [("Invoice_4821.one", one)]

    # 6. external-malspam — 2023-03-07 wave: zip whose .doc is padded with zeros to ~200 MB.
    when = at(2023, 3, 8, 10, 2, 44)
    padded_size = 200 * 1024 * 1024
    zip6 = build_zip([ZipMember("請求書_0308.doc", padded_head=doc, padded_size=padded_size,
                                when=when)])
    body = ("株式会社サンプル商事\nご担当者様\n\nお世話になっております。\n"
            "3月分の請求書をお送りいたします。\n添付ファイルをご確認ください。\n"
            "早急に確認お願いします。\n\n"
            "株式会社ネクスト工業\n総務部　小林")
    b.mails["06-external-malspam-padded-doc.eml"] = message([
        received("mail.next-kogyo.example (mail.next-kogyo.example [203.0.113.160])",
                 "mail.sample-shoji.example (Postfix)", "ESMTPS", "6a",
                 "h.suzuki@sample-shoji.example", when),
        ("Authentication-Results", "mail.sample-shoji.example;\r\n\tspf=pass "
         "smtp.mailfrom=next-kogyo.example;\r\n\tdkim=none;\r\n\tdmarc=none "
         "header.from=next-kogyo.example"),
        ("Return-Path", "<soumu@next-kogyo.example>"),
        ("From", address("小林", "soumu@next-kogyo.example")),
        ("To", "h.suzuki@sample-shoji.example"),
        ("Subject", encoded_words("請求書の件", "ISO-2022-JP")),
        ("Date", rfc5322_date(when)),
        ("Message-ID", "<20230308100244.3391@next-kogyo.example>"),
    ], text_part(body, "ISO-2022-JP", "7bit"),
        [attachment_part("請求書_0308.zip", zip6, "application/x-zip-compressed",
                         "rfc2047-jis")], "----=_NextPart_000_0006_01D9518A.0C2B3D40")
    b.attachments["06"] = [("請求書_0308.zip", zip6)]

    # 7. external-malspam — 2022-11 wave: password zip (password on the next line) holding an
    #    .xls that asks to be copied into the Office Templates folder.
    when = at(2022, 11, 4, 16, 40, 19)
    xls = build_xls()
    zip7 = build_zip([ZipMember("請求書_1104.xls", xls, password=b"Xy7842", when=when)])
    b.zip_passwords["07"] = b"Xy7842"
    body = ("お世話になっております。\n\n"
            "ご依頼の書類を送付いたします。\n"
            "ご確認のほど、よろしくお願いいたします。\n\n"
            "添付ファイルの解凍パスワードは以下の通りです。\n"
            "Xy7842\n\n"
            "株式会社ホクト設備\n工務課　伊藤")
    b.mails["07-external-malspam-xls-templates.eml"] = message([
        received("mx.hokuto-setsubi.example (unknown [203.0.113.201])",
                 "mail.sample-shoji.example (Postfix)", "ESMTP", "7a",
                 "i.takahashi@sample-shoji.example", when),
        ("Authentication-Results", "mail.sample-shoji.example;\r\n\tspf=neutral "
         "smtp.mailfrom=hokuto-setsubi.example;\r\n\tdkim=none;\r\n\tdmarc=none "
         "header.from=hokuto-setsubi.example"),
        ("Return-Path", "<ito@hokuto-setsubi.example>"),
        ("From", address("伊藤 誠", "ito@hokuto-setsubi.example", "UTF-8")),
        ("To", "i.takahashi@sample-shoji.example"),
        ("Subject", encoded_words("Re: ご依頼の書類", "UTF-8")),
        ("Date", rfc5322_date(when)),
        ("Message-ID", "<a7c1e0b2.20221104164019@hokuto-setsubi.example>"),
    ], text_part(body, "UTF-8", "base64"),
        [attachment_part("書類_1104.zip", zip7, "application/zip", "rfc2231-utf8")],
        "--boundary-20221104-0007")
    b.attachments["07"] = [("書類_1104.zip", zip7)]

    # 8. identity-misused-external — 2020–21: link to a document, our signature quoted.
    when = at(2020, 10, 14, 13, 7, 55)
    body = ("株式会社サンプル商事\n山田様\n\nお世話になっております。\n"
            "下記URLより請求書をダウンロードしてください。\n\n"
            "https://compromised-site.example/wp-content/uploads/invoice_1203.doc\n\n"
            "ご確認をお願いします。\n"
            "\n> " + "\n> ".join(ja_signature("山田 太郎", "営業部",
                                            "t.yamada@sample-shoji.example").split("\n")))
    b.mails["08-identity-misused-download-link.eml"] = message([
        received("webmail.kaigai-trading.example (unknown [203.0.113.140])",
                 "mail.sample-shoji.example (Postfix)", "ESMTP", "8a",
                 "t.yamada@sample-shoji.example", when),
        ("Authentication-Results", "mail.sample-shoji.example;\r\n\tspf=pass "
         "smtp.mailfrom=kaigai-trading.example;\r\n\tdkim=none;\r\n\tdmarc=none "
         "header.from=kaigai-trading.example"),
        ("Return-Path", "<info@kaigai-trading.example>"),
        ("From", address("株式会社サンプル商事 山田 太郎", "info@kaigai-trading.example")),
        ("To", "t.yamada@sample-shoji.example"),
        ("Subject", encoded_words("RE: 請求書", "ISO-2022-JP")),
        ("Date", rfc5322_date(when)),
        ("Message-ID", "<4920117733.20201014130755190@sample-shoji.example>"),
    ], text_part(body, "ISO-2022-JP", "7bit"))

    # 9. not-suspicious — a partner's real reply with an invoice PDF.
    when = at(2024, 12, 3, 10, 12, 0)
    pdf = build_pdf()
    body = ("株式会社サンプル商事\n鈴木様\n\nいつもお世話になっております。\n"
            "取引先株式会社の中村です。\n\n"
            "11月分の請求書をお送りします。ご査収のほどよろしくお願いいたします。\n"
            "お支払期日は12月27日です。\n\n"
            + partner_signature("中村 修", "o.nakamura@partner.example") + "\n\n"
            "> 中村様\n>\n> お世話になっております。サンプル商事の鈴木です。\n"
            "> 11月分のご請求書をお送りいただけますでしょうか。\n>\n> 鈴木")
    b.mails["09-not-suspicious-partner-invoice-pdf.eml"] = message([
        received(PARTNER_SERVER, "mail.sample-shoji.example (Postfix)", "ESMTPS", "9a",
                 "h.suzuki@sample-shoji.example", when),
        ("Authentication-Results", "mail.sample-shoji.example;\r\n\tspf=pass "
         "smtp.mailfrom=partner.example;\r\n\tdkim=pass header.d=partner.example;\r\n\t"
         "dmarc=pass header.from=partner.example"),
        ("Return-Path", "<it@partner.example>"),
        ("From", address("取引先株式会社 中村 修", "it@partner.example")),
        ("To", address("鈴木 花子", "h.suzuki@sample-shoji.example")),
        ("Subject", encoded_words("Re: 11月分ご請求書のお願い", "ISO-2022-JP")),
        ("Date", rfc5322_date(when)),
        ("Message-ID", "<20241203101200.TP1203@partner.example>"),
        ("In-Reply-To", "<20241202173015.HS1202@sample-shoji.example>"),
        ("References", "<20241202173015.HS1202@sample-shoji.example>"),
    ], text_part(body, "UTF-8", "quoted-printable"),
        [attachment_part("Invoice_TP-2024-1203.pdf", pdf, "application/pdf", "ascii")],
        "Apple-Mail=_5C1D2E3F-1203")
    b.attachments["09"] = [("Invoice_TP-2024-1203.pdf", pdf)]

    # 10. not-suspicious — an internal notice through our own server.
    when = at(2024, 11, 1, 9, 30, 0)
    body = ("社員各位\n\n経理部の佐藤です。\n今年も年末調整の時期となりました。\n"
            "扶養控除等申告書と保険料控除申告書を、11月15日（金）までに経理部へご提出ください。\n"
            "記入例は社内ポータルの「経理部」ページに掲載しています。\n\n"
            "ご不明な点は経理部 佐藤（内線 215）までお問い合わせください。\n"
            "よろしくお願いいたします。\n\n"
            + ja_signature("佐藤 健", "経理部", "k.sato@sample-shoji.example"))
    b.mails["10-not-suspicious-internal-notice.eml"] = message([
        received("PC-SATO (unknown [198.51.100.7])", "mail.sample-shoji.example (Postfix)",
                 "ESMTPSA", "10a", "all@sample-shoji.example", when,
                 "Authenticated sender: k.sato@sample-shoji.example"),
        ("Return-Path", "<k.sato@sample-shoji.example>"),
        ("From", address("佐藤 健", "k.sato@sample-shoji.example", "UTF-8")),
        ("To", address("社員各位", "all@sample-shoji.example", "UTF-8")),
        ("Subject", encoded_words("【経理部】年末調整書類の提出について", "UTF-8")),
        ("Date", rfc5322_date(when)),
        ("Message-ID", "<20241101093000.KS1101@sample-shoji.example>"),
    ], text_part(body, "UTF-8", "base64"))

    # 11. not-suspicious — legitimate PPAP: the password follows in a separate mail.
    when = at(2024, 10, 21, 15, 45, 0)
    spec = ("ミナト物流 2024年11月 配送スケジュール（社外秘）\n"
            "11/05 東京→大阪 10t x2\n11/12 東京→名古屋 4t x1\n").encode("cp932")
    zip11 = build_zip([ZipMember("配送スケジュール_202411.txt", spec, password=b"Mn7-q2Lw",
                                 when=when)])
    b.zip_passwords["11"] = b"Mn7-q2Lw"
    body = ("株式会社サンプル商事\n渡邊様\n\nいつもお世話になっております。\n"
            "ミナト物流の松本です。\n\n11月の配送スケジュールをお送りします。\n"
            "添付ファイルはパスワード付きZIPです。\n"
            "パスワードは別メールでお送りします。\n\n"
            "株式会社ミナト物流　カスタマーサポート\n松本 由紀\nsupport@minato-logi.example")
    b.mails["11-not-suspicious-ppap-separate-password.eml"] = message([
        received("smtp.minato-logi.example (smtp.minato-logi.example [198.51.100.200])",
                 "mail.sample-shoji.example (Postfix)", "ESMTPS", "11a",
                 "m.watanabe@sample-shoji.example", when),
        ("Authentication-Results", "mail.sample-shoji.example;\r\n\tspf=pass "
         "smtp.mailfrom=minato-logi.example;\r\n\tdkim=pass header.d=minato-logi.example;"
         "\r\n\tdmarc=pass header.from=minato-logi.example"),
        ("Return-Path", "<support@minato-logi.example>"),
        ("From", address("株式会社ミナト物流 松本", "support@minato-logi.example")),
        ("To", address("渡邊 美咲", "m.watanabe@sample-shoji.example", "UTF-8")),
        ("Subject", encoded_words("11月配送スケジュールの送付", "ISO-2022-JP")),
        ("Date", rfc5322_date(when)),
        ("Message-ID", "<20241021154500.ML1021@minato-logi.example>"),
    ], text_part(body, "ISO-2022-JP", "7bit"),
        [attachment_part("配送スケジュール_202411.zip", zip11, "application/x-zip-compressed",
                         "rfc2047-jis")], "----=_NextPart_000_0011_01DB2389.6F7A8B90")
    b.attachments["11"] = [("配送スケジュール_202411.zip", zip11)]

    # 12. identity-misused-external — reply chain from a partner's hijacked mailbox, ISO + LNK.
    when = at(2022, 6, 8, 11, 18, 27)
    iso = build_iso("INVOICE.LNK", build_lnk(when), when)
    body = ("渡邊様\n\nお世話になっております。\n"
            "先日の件、資料をお送りします。\n添付ファイルをご確認ください。\n"
            "宜しくお願い致します。\n"
            + outlook_quote([
                ("差出人", "渡邊 美咲 <m.watanabe@sample-shoji.example>"),
                ("送信日時", "2022年5月20日 14:31"),
                ("宛先", "support@minato-logi.example"),
                ("件名", "6月の出荷予定について"),
            ], "ミナト物流 ご担当者様\n\nお世話になっております。サンプル商事の渡邊です。\n"
               "6月の出荷予定表を更新いただけますでしょうか。\n\n"
               + ja_signature("渡邊 美咲", "業務部", "m.watanabe@sample-shoji.example")))
    b.mails["12-identity-misused-reply-chain-iso.eml"] = message([
        # Emotet sent with the stolen SMTP password through the partner's real server, so
        # every authentication check passes; only the bot's address in hop 1 is foreign.
        received("smtp.minato-logi.example (smtp.minato-logi.example [198.51.100.200])",
                 "mail.sample-shoji.example (Postfix)", "ESMTPS", "12b",
                 "m.watanabe@sample-shoji.example", when + dt.timedelta(seconds=2)),
        received("DESKTOP-7Q2KX1M (unknown [203.0.113.66])", "smtp.minato-logi.example "
                 "(Postfix)", "ESMTPSA", "12a", "m.watanabe@sample-shoji.example", when,
                 "Authenticated sender: support@minato-logi.example"),
        ("Authentication-Results", "mail.sample-shoji.example;\r\n\tspf=pass "
         "smtp.mailfrom=minato-logi.example;\r\n\tdkim=pass header.d=minato-logi.example;"
         "\r\n\tdmarc=pass header.from=minato-logi.example"),
        ("Return-Path", "<support@minato-logi.example>"),
        ("From", address("株式会社ミナト物流 カスタマーサポート", "support@minato-logi.example",
                         "UTF-8")),
        ("To", address("渡邊 美咲", "m.watanabe@sample-shoji.example", "UTF-8")),
        ("Subject", encoded_words("RE: 6月の出荷予定について", "UTF-8")),
        ("Date", rfc5322_date(when)),
        ("Message-ID", "<20220608111827.4408@minato-logi.example>"),
    ], text_part(body, "UTF-8", "base64"),
        [attachment_part("資料_0608.iso", iso, "application/octet-stream", "rfc2231-utf8")],
        "=_reply_chain_20220608")
    b.attachments["12"] = [("資料_0608.iso", iso)]

    # 13. identity-misused-external — the scenario-3 kind of mail, forwarded as an attachment
    #     by an employee to the IT contact.
    inner_when = at(2022, 3, 7, 8, 12, 40)
    inner_body = ("お世話になっております。\n\n請求書を送付いたします。\nご確認をお願いします。\n"
                  + outlook_quote([
                      ("差出人", "髙橋 一郎 <i.takahashi@sample-shoji.example>"),
                      ("送信日時", "2022年2月25日 9:45"),
                      ("宛先", "it@partner.example"),
                      ("件名", "納品書の件"),
                  ], "取引先株式会社 御中\n\nサンプル商事の髙橋です。\n"
                     "納品書を確認いたしました。ありがとうございます。\n\n"
                     + ja_signature("髙橋 一郎", "購買部", "i.takahashi@sample-shoji.example")))
    inner = message([
        received("mail-wm1-f55.google.example (mail-wm1-f55.google.example [203.0.113.55])",
                 "mail.sample-shoji.example (Postfix)", "ESMTPS", "13a",
                 "i.takahashi@sample-shoji.example", inner_when),
        ("Authentication-Results", "mail.sample-shoji.example;\r\n\tspf=pass "
         "smtp.mailfrom=gmail.com;\r\n\tdkim=pass header.d=gmail.com;\r\n\tdmarc=pass "
         "header.from=gmail.com"),
        ("From", address("取引先株式会社 中村", "nakamura.torihiki@gmail.com", "UTF-8")),
        ("To", address("髙橋 一郎", "i.takahashi@sample-shoji.example", "UTF-8")),
        ("Subject", encoded_words("RE: 納品書の件", "UTF-8")),
        ("Date", rfc5322_date(inner_when)),
        ("Message-ID", "<CAJ8m2Lq7vXw0pR3sN5tU9yB1cD4eF6g@mail.gmail.com>"),
    ], text_part(inner_body, "UTF-8", "base64"),
        [attachment_part("請求書_0307.xlsm", xlsm,
                         "application/vnd.ms-excel.sheet.macroEnabled.12", "rfc2231-utf8")],
        "000000000000f6e5d4c3b2a10307")
    when = at(2022, 3, 7, 9, 3, 15)
    body = ("情報システム部 御中\n\n購買部の髙橋です。\n"
            "取引先株式会社の中村さんの名前で、Gmail のアドレスから見覚えのない請求書メールが"
            "届きました。\n添付ファイルは開いていません。\n"
            "元のメールを添付で転送しますので、確認をお願いします。\n\n"
            + ja_signature("髙橋 一郎", "購買部", "i.takahashi@sample-shoji.example"))
    forwarded = (b"Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n"
                 + CRLF + inner + CRLF)
    b.mails["13-forwarded-suspicious-mail-to-it.eml"] = message([
        received("PC-TAKAHASHI (unknown [198.51.100.9])", "mail.sample-shoji.example (Postfix)",
                 "ESMTPSA", "13b", "security@sample-shoji.example", when,
                 "Authenticated sender: i.takahashi@sample-shoji.example"),
        ("Return-Path", "<i.takahashi@sample-shoji.example>"),
        ("From", address("髙橋 一郎", "i.takahashi@sample-shoji.example", "UTF-8")),
        ("To", address("情報システム部", "security@sample-shoji.example", "UTF-8")),
        ("Subject", encoded_words("FW: 不審なメールが届きました（請求書）", "UTF-8")),
        ("Date", rfc5322_date(when)),
        ("Message-ID", "<20220307090315.IT0307@sample-shoji.example>"),
    ], text_part(body, "UTF-8", "quoted-printable"), [forwarded], "----=_fwd_20220307_0013")
    b.attachments["13"] = [("請求書_0307.xlsm", xlsm)]  # inside the attached message

    # 14. identity-misused-external — the scenario-3 kind of mail, forwarded INLINE by the
    #     employee who received it: Outlook pastes the original under a 差出人/送信日時/宛先/件名
    #     block and keeps its attachment, but its headers (route, authentication) are gone. The
    #     block's 宛先 is the reporter herself: she is the target, not a stolen thread.
    when = at(2022, 3, 8, 10, 47, 5)
    original = ("鈴木様\n\nお世話になっております。\n\n請求書を送付いたします。\n"
                "添付ファイルをご確認の上、お支払いをお願いいたします。\n\n"
                "株式会社サンプル商事\n山田 太郎\n")
    body = ("情報システム部 御中\n\n経理部の鈴木です。\n"
            "山田さんの名前で、Gmail のアドレスから請求書のメールが届きました。\n"
            "山田さんに確認したところ、送っていないとのことです。添付ファイルは開いていません。\n\n"
            + ja_signature("鈴木 花子", "経理部", "h.suzuki@sample-shoji.example")
            + "\n\n________________________________\n"
            "差出人: 山田 太郎 <yamada.taro.0415@gmail.com>\n"
            "送信日時: 2022年3月8日 9:58\n"
            "宛先: 鈴木 花子 <h.suzuki@sample-shoji.example>\n"
            "件名: 請求書の件\n\n" + original)
    b.mails["14-inline-forward-from-staff.eml"] = message([
        received("PC-SUZUKI (unknown [198.51.100.7])", "mail.sample-shoji.example (Postfix)",
                 "ESMTPSA", "14a", "security@sample-shoji.example", when,
                 "Authenticated sender: h.suzuki@sample-shoji.example"),
        ("Return-Path", "<h.suzuki@sample-shoji.example>"),
        ("From", address("鈴木 花子", "h.suzuki@sample-shoji.example", "UTF-8")),
        ("To", address("情報システム部", "security@sample-shoji.example", "UTF-8")),
        ("Subject", encoded_words("FW: 請求書の件", "UTF-8")),
        ("Date", rfc5322_date(when)),
        ("Message-ID", "<20220308104705.IT0308@sample-shoji.example>"),
    ], text_part(body, "UTF-8", "base64"),
        [attachment_part("請求書_0308.xlsm", xlsm,
                         "application/vnd.ms-excel.sheet.macroEnabled.12", "rfc2231-utf8")],
        "----=_inline_fwd_20220308_0014")
    b.attachments["14"] = [("請求書_0308.xlsm", xlsm)]
    return b


# ---------------------------------------------------------------------------------------------
# Verification: every mail parses and every attachment reads back to what was built
# ---------------------------------------------------------------------------------------------

def check_office_payload(name: str, data: bytes, sources: list[bytes]) -> None:
    if data.startswith(CFB_SIGNATURE):
        streams = read_cfb(data)
        if "Workbook" in streams:
            records = read_biff(streams["Workbook"])
            sheets = [r for t, r in records if t == 0x0085]
            assert any(r[4] == 1 and r[5] == 1 for r in sheets), "hidden macro sheet"
            bof_offsets = {struct.unpack_from("<I", r)[0] for r in sheets}
            pos = 0
            for t, r in records:
                if t == 0x0809 and pos:
                    assert pos in bof_offsets
                pos += 4 + len(r)
            assert any(t == 0x0018 and r[14:16] == b"\x00\x01" for t, r in records)
            return
        prefix = "Macros/" if "Macros/VBA/dir" in streams else ""
        modules = parse_vba_dir(ovba_decompress(streams[f"{prefix}VBA/dir"]))
        assert len(modules) == 1
        module, offset = modules[0]
        source = ovba_decompress(streams[f"{prefix}VBA/{module}"][offset:])
        assert source in sources, name
        if prefix:
            text = DOC_LURE_TEXT.encode("utf-16-le")
            assert text in streams["WordDocument"]
        return
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert "xl/vbaProject.bin" in names and "xl/macrosheets/sheet1.xml" in names
        assert b"_xlnm.Auto_Open" in zf.read("xl/workbook.xml")
        check_office_payload("vbaProject.bin", zf.read("xl/vbaProject.bin"), sources)


def check_all(b: Built) -> None:
    doc, _ = build_macro_doc()
    for file_name, raw in b.mails.items():
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert msg["From"] and msg["Subject"] and msg["Message-ID"], file_name
        assert len(raw) < 400 * 1024, (file_name, len(raw))
        assert msg.defects == [], (file_name, msg.defects)
        for header in ("From", "To", "Subject"):
            str(msg[header])  # decodes the encoded words
        key = file_name[:2]
        found = [(p.get_filename(), p.get_payload(decode=True))
                 for p in msg.walk() if p.get_content_disposition() == "attachment"
                 and p.get_content_type() != "message/rfc822"]
        expected = b.attachments.get(key, [])
        if key == "13":
            inner = [p for p in msg.walk() if p.get_content_type() == "message/rfc822"]
            assert len(inner) == 1
            inner_msg = inner[0].get_payload()[0]
            assert "gmail.com" in str(inner_msg["From"])
        assert [(n, d) for n, d in found if n] == expected[:len(found)] and len(found) == len(
            expected), file_name
        body = msg.get_body(("plain",)).get_content()
        assert "\x1b" not in body, file_name
        for name, data in expected:
            if name.endswith(".zip"):
                with zipfile.ZipFile(io.BytesIO(data)) as zf:
                    info = zf.infolist()[0]
                    pwd = b.zip_passwords.get(key)
                    if pwd:
                        assert info.flag_bits & 1
                        # Emotet put the password in the same mail; PPAP (11) sends it apart.
                        assert (pwd.decode() in body) == (key != "11"), file_name
                    if info.file_size > 100 * 1024 * 1024:
                        with zf.open(info) as member:
                            head = member.read(len(doc))
                        assert head == doc and info.compress_size < 400 * 1024
                        continue
                    inner = zf.read(info, pwd=pwd)
                    if inner.startswith(CFB_SIGNATURE):
                        check_office_payload(info.filename, inner, b.vba_sources)
                    elif inner[:4] == b"\x4c\0\0\0":
                        assert inner[4:20] == LNK_CLSID
                        assert LNK_ARGUMENTS.encode("utf-16-le") in inner
            elif name.endswith((".doc", ".xlsm")):
                check_office_payload(name, data, b.vba_sources)
            elif name.endswith(".one"):
                start = data.index(ONE_FDSO_HEADER)
                size = struct.unpack_from("<Q", data, start + 16)[0]
                payload = data[start + 36:start + 36 + size]
                assert payload == WSF_SCRIPT
                assert data[start + 36 + size + (-size) % 8:][:16] == ONE_FDSO_FOOTER
            elif name.endswith(".iso"):
                iso_name, lnk = read_iso_file(data)
                assert iso_name == "INVOICE.LNK;1" and lnk[:4] == b"\x4c\0\0\0"
            elif name.endswith(".pdf"):
                assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
                xref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
                assert data[xref:xref + 4] == b"xref"


# ---------------------------------------------------------------------------------------------

EXPECTED = [
    ("01-own-account-compromised-zip-password.eml", "own-account-compromised", "yes",
     "sender.own-domain routing.own-server thread.hijacked-reply "
     "identity.employee-in-quoted-thread content.password-in-body attachment.encrypted-archive "
     "attachment.encrypted-archive-password-in-body attachment.office-macro "
     "attachment.macro-autoexec"),
    ("02-own-address-spoofed-macro-doc.eml", "own-address-spoofed", "yes",
     "sender.own-domain routing.external-origin auth.spf-fail auth.dmarc-fail "
     "content.lure-keywords attachment.office-macro attachment.macro-autoexec "
     "content.enable-macro-lure"),
    ("03-identity-misused-freemail-xlsm.eml", "identity-misused-external", "yes",
     "sender.freemail identity.employee-in-display-name thread.hijacked-reply "
     "identity.employee-in-quoted-thread content.lure-keywords attachment.office-macro "
     "attachment.macro-autoexec attachment.xlm-macro"),
    ("04-identity-misused-lookalike-lnk.eml", "identity-misused-external", "yes",
     "sender.lookalike-domain identity.employee-in-display-name identity.company-in-body "
     "attachment.lnk"),
    ("05-external-malspam-onenote.eml", "external-malspam", "yes",
     "content.lure-keywords attachment.onenote-embedded-file"),
    ("06-external-malspam-padded-doc.eml", "external-malspam", "yes",
     "content.lure-keywords attachment.padded-large-file"),
    ("07-external-malspam-xls-templates.eml", "external-malspam", "yes",
     "thread.hijacked-reply attachment.encrypted-archive "
     "attachment.encrypted-archive-password-in-body attachment.xlm-macro "
     "content.enable-macro-lure"),
    ("08-identity-misused-download-link.eml", "identity-misused-external", "yes",
     "sender.display-name-mismatch identity.employee-in-display-name thread.hijacked-reply "
     "url.download-link content.lure-keywords"),
    ("09-not-suspicious-partner-invoice-pdf.eml", "not-suspicious", "no", ""),
    ("10-not-suspicious-internal-notice.eml", "not-suspicious", "no", ""),
    ("11-not-suspicious-ppap-separate-password.eml", "not-suspicious", "no",
     "attachment.encrypted-archive"),
    ("12-identity-misused-reply-chain-iso.eml", "identity-misused-external", "yes",
     "thread.hijacked-reply identity.employee-in-quoted-thread attachment.disk-image "
     "attachment.lnk"),
    # The carrier of 13 is one of ours passing the mail on; the attached mail is judged alone.
    ("13-forwarded-suspicious-mail-to-it.eml", "not-suspicious", "no", ""),
    ("13-forwarded-suspicious-mail-to-it.eml#part=2", "identity-misused-external", "yes",
     "sender.freemail sender.display-name-mismatch thread.hijacked-reply "
     "identity.employee-in-quoted-thread attachment.office-macro attachment.macro-autoexec "
     "attachment.xlm-macro"),
    ("14-inline-forward-from-staff.eml", "identity-misused-external", "yes",
     "sender.own-domain forward.inline attachment.office-macro attachment.macro-autoexec "
     "attachment.xlm-macro"),
]


def main() -> int:
    built = make_all()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    assert sorted(built.mails) == sorted({e[0].split("#")[0] for e in EXPECTED})
    for file_name, raw in built.mails.items():
        (OUT_DIR / file_name).write_bytes(raw)
    tsv = "file\tscenario\temotet_like\tkey_findings\n" + "".join(
        f"{f}\t{s}\t{e}\t{k.replace(' ', ',') or '-'}\n" for f, s, e, k in EXPECTED)
    (OUT_DIR / "expected.tsv").write_text(tsv, encoding="utf-8")
    if "--check" in sys.argv[1:]:
        check_all(built)
        print(f"checked {len(built.mails)} mails")
    return 0


if __name__ == "__main__":
    sys.exit(main())
