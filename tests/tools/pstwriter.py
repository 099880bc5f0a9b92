"""A minimal, deterministic MS-PST writer for tests (Python 3 standard library only).

Nothing on Debian writes Outlook data files, so the tests write their own: a Unicode PST
(wVer 23) laid out as [MS-PST] describes it, so that libpff (and Outlook's own rules as far as
they are written down) read it like a mailbox Outlook saved.

  NDB layer  header with both CRCs; allocation map pages (AMap every 253,952 bytes, the PMap at
             0x4600) that mark every byte used; node and block B-trees (NBT, BBT) of 512-byte
             pages with page trailers, signatures and CRCs; data blocks with block trailers;
             XBLOCKs for node data over 8,176 bytes; SLBLOCKs for subnodes.
  LTP layer  heap-on-node (one block per heap), BTH, property contexts, table contexts.
  Messaging  message store (0x21), name-to-id map (0x61), root folder (0x122), the table
             templates, folders with hierarchy / contents / associated contents tables, messages
             with recipient and attachment tables, attachments by value, embedded messages.

Data blocks are stored plain (bCryptMethod NDB_CRYPT_NONE) or with the permutative encoding
(NDB_CRYPT_PERMUTE, Outlook's default): PstWriter(crypt=NDB_CRYPT_PERMUTE).

Limits (a test writer, not Outlook): one heap block per node (a property that does not fit in
the heap goes to a subnode, as large ones must anyway), at most 340 subnodes per node, at most
447 rows per table, node data up to 1021 * 8,176 bytes (no XXBLOCK). Not written: ANSI PSTs
(wVer 14/15), OSTs, the cyclic encoding, search folders and their queues, the DList.

Usage:
    writer = PstWriter()
    inbox = writer.add_folder(writer.ipm_subtree, "Inbox")
    writer.add_message(inbox, Message(props=[(0x0037, PT_UNICODE, "Subject")]))
    writer.write("/tmp/box.pst")
"""

from __future__ import annotations

import binascii
import re
import struct
from dataclasses import dataclass, field

PT_SHORT = 0x0002
PT_LONG = 0x0003
PT_BOOLEAN = 0x000B
PT_OBJECT = 0x000D
PT_LONGLONG = 0x0014
PT_STRING8 = 0x001E
PT_UNICODE = 0x001F
PT_SYSTIME = 0x0040
PT_BINARY = 0x0102

_FIXED_SIZE = {PT_SHORT: 2, PT_LONG: 4, PT_BOOLEAN: 1, PT_LONGLONG: 8, PT_SYSTIME: 8}

# [MS-PST] 2.2.2.1 NID types.
NID_TYPE_NORMAL_FOLDER = 0x02
NID_TYPE_NORMAL_MESSAGE = 0x04
NID_TYPE_ATTACHMENT = 0x05
NID_TYPE_HIERARCHY_TABLE = 0x0D
NID_TYPE_CONTENTS_TABLE = 0x0E
NID_TYPE_ASSOC_CONTENTS_TABLE = 0x0F
NID_TYPE_LTP = 0x1F

NID_MESSAGE_STORE = 0x21
NID_NAME_TO_ID_MAP = 0x61
NID_ROOT_FOLDER = 0x122
NID_HIERARCHY_TABLE_TEMPLATE = 0x60D
NID_CONTENTS_TABLE_TEMPLATE = 0x60E
NID_ASSOC_CONTENTS_TABLE_TEMPLATE = 0x60F
NID_ATTACHMENT_TABLE = 0x671
NID_RECIPIENT_TABLE = 0x692

MAX_BLOCK_DATA = 8176  # 8,192 bytes less the block trailer
MAX_HEAP_ITEM = 3580  # the largest heap allocation (MS-PST 2.3.1.1)
PAGE = 512
AMAP_SPAN = 253952  # bytes one AMap page covers
FIRST_AMAP = 0x4400

# [MS-PST] 2.2.2.6 bCryptMethod, and 5.1: the permutative encoding ("compressible encryption",
# Outlook's default) substitutes every byte of a data block through mpbbR.
NDB_CRYPT_NONE = 0x00
NDB_CRYPT_PERMUTE = 0x01
PERMUTE_ENCODE = bytes.fromhex(
    "41361362a8216ebbf416cc047f64e85d1ef2cb2a74c55e35d295479e962d9a884c7d843fdbac31b6485ff6c4"
    "d8398be7233b388ec8c1df25b120a546604e9cfbaad35651457c550007c92b9d859b09a08fadb30f63ab894b"
    "d7a7155a716642bf264a6b98faea7753b270052cfd593a867ece06eb827857c78d43afb41cd45bcde2e9274f"
    "c3087280cfb0eff5286dbe304d3492d50e3c2232e5e4f99fc2d10a8112e1ee918376e397e6618a1779a4b7dc"
    "907a5c8c02a6ca69de501a1193b9528758fced1d37491b6ae0293399bd6cd994f340546ff0c673b8d63e6518"
    "441fdd6710f10c19ecae03a1147ba90bfff8a3c0a201f72ebc2468750dfeba2fb5d0da3d")
assert sorted(PERMUTE_ENCODE) == list(range(256))

PID_ROW_ID = 0x67F2
PID_ROW_VER = 0x67F3


def crc(data: bytes) -> int:
    """MS-PST 5.3: CRC-32 (0xEDB88320) started at 0, without the final inversion."""
    return (~binascii.crc32(data, 0xFFFFFFFF)) & 0xFFFFFFFF


def signature(ib: int, bid: int) -> int:
    """MS-PST 5.5: the block and page signature from its offset and id."""
    value = (ib ^ bid) & 0xFFFFFFFFFFFFFFFF
    return ((value >> 16) ^ value) & 0xFFFF


def nid(nid_type: int, index: int) -> int:
    return (index << 5) | nid_type


def stored_subject(subject: str) -> str:
    """PR_SUBJECT as Outlook keeps it in a PST when it starts with a reply or forward prefix:
    U+0001, a character whose code is the prefix length, then the subject."""
    prefix = re.match(r"(?i)(re|fw|fwd|aw|wg)\s?:\s?", subject)
    return "\x01" + chr(len(prefix.group(0))) + subject if prefix else subject


@dataclass
class Attachment:
    """An attachment: its properties, and either `data` (by value) or an embedded message."""

    props: list = field(default_factory=list)
    data: bytes | None = None
    embedded: "Message | None" = None


@dataclass
class Message:
    """A message: (id, type, value) properties, recipients as property lists, attachments."""

    props: list = field(default_factory=list)
    recipients: list = field(default_factory=list)
    attachments: list = field(default_factory=list)


def _value_bytes(ptype: int, value) -> bytes:
    if ptype == PT_UNICODE:
        return value.encode("utf-16-le")
    if ptype in (PT_STRING8, PT_BINARY):
        return bytes(value)
    if ptype in _FIXED_SIZE:
        size = _FIXED_SIZE[ptype]
        return int(value).to_bytes(size, "little", signed=False)
    raise ValueError(f"property type 0x{ptype:04X} not supported")


class Subnodes:
    """The subnodes of one node (its SLBLOCK): NIDs handed out, (nid, data bid, sub bid) kept."""

    def __init__(self, ndb: "Ndb"):
        self.ndb = ndb
        self.entries: list[tuple[int, int, int]] = []
        self.next_index = 0x400

    def new_nid(self, nid_type: int = NID_TYPE_LTP) -> int:
        self.next_index += 1
        return nid(nid_type, self.next_index)

    def add(self, node_nid: int, data: bytes | list[bytes], sub_bid: int = 0) -> None:
        self.entries.append((node_nid, self.ndb.data_tree(data), sub_bid))

    def bid(self) -> int:
        """The SLBLOCK (0 when there is no subnode)."""
        if not self.entries:
            return 0
        entries = sorted(self.entries)
        if len(entries) > (MAX_BLOCK_DATA - 8) // 24:
            raise ValueError("too many subnodes for one SLBLOCK")
        body = struct.pack("<BBHI", 0x02, 0, len(entries), 0)
        for entry in entries:
            body += struct.pack("<QQQ", *entry)
        return self.ndb.block(body, internal=True)


class Heap:
    """A heap-on-node in one block (MS-PST 2.3.1)."""

    def __init__(self, client_signature: int):
        self.client_signature = client_signature
        self.items: list[bytes] = []
        self.reserved = 0  # bytes kept for the structures allocated last (BTH, TCINFO)

    def room(self) -> int:
        used = 12 + sum(len(item) for item in self.items) + 1  # header, items, alignment
        page_map = 4 + 2 * (len(self.items) + 2)
        return MAX_BLOCK_DATA - used - page_map - self.reserved

    def fits(self, size: int) -> bool:
        return size <= MAX_HEAP_ITEM and size <= self.room()

    def alloc(self, data: bytes) -> int:
        if not self.fits(len(data)):
            raise ValueError("heap full")
        self.items.append(bytes(data))
        return len(self.items) << 5  # hidIndex in bits 5..15, block index 0

    def bytes(self, user_root: int) -> bytes:
        body = b"".join(self.items)
        page_map_offset = 12 + len(body)
        padding = page_map_offset % 2
        page_map_offset += padding
        header = struct.pack("<HBBII", page_map_offset, 0xEC, self.client_signature, user_root, 0)
        offsets, at = [], 12
        for item in self.items:
            offsets.append(at)
            at += len(item)
        offsets.append(at)
        page_map = struct.pack("<HH", len(self.items), 0) + b"".join(
            struct.pack("<H", o) for o in offsets)
        return header + body + b"\0" * padding + page_map


def _bth(heap: Heap, key_size: int, entry_size: int, records: list[tuple[bytes, bytes]]) -> int:
    """A one-level BTH (MS-PST 2.3.2) of sorted records; returns the HID of its header."""
    root = 0
    if records:
        leaf = b"".join(key + entry for key, entry in sorted(records))
        if len(leaf) > MAX_HEAP_ITEM:
            raise ValueError("BTH needs more than one level")
        root = heap.alloc(leaf)
    return heap.alloc(struct.pack("<BBBBI", 0xB5, key_size, entry_size, 0, root))


def _store_variable(heap: Heap, subnodes: Subnodes, data: bytes) -> int:
    """An HNID for variable-size data: in the heap when it fits, else in a subnode."""
    if not data:
        return 0
    if heap.fits(len(data)):
        return heap.alloc(data)
    value_nid = subnodes.new_nid()
    subnodes.add(value_nid, data)
    return value_nid


def property_context(props: list, subnodes: Subnodes, objects: dict | None = None) -> bytes:
    """A PC (MS-PST 2.3.3). `objects` maps a property id of type PT_OBJECT to (nid, size)."""
    heap = Heap(0xBC)
    heap.reserved = 8 * len(props) + 8 + 8  # the BTH leaf and header, two page map entries
    records = []
    for prop_id, ptype, value in sorted(props, key=lambda p: p[0]):
        if ptype == PT_OBJECT:
            object_nid, size = (objects or {})[prop_id]
            hnid = heap.alloc(struct.pack("<II", object_nid, size))
        elif ptype in _FIXED_SIZE and _FIXED_SIZE[ptype] <= 4:
            hnid = int(value) & 0xFFFFFFFF
        elif ptype in _FIXED_SIZE:
            hnid = heap.alloc(_value_bytes(ptype, value))
        else:
            hnid = _store_variable(heap, subnodes, _value_bytes(ptype, value))
        records.append((struct.pack("<H", prop_id), struct.pack("<HI", ptype, hnid)))
    heap.reserved = 0
    return heap.bytes(_bth(heap, 2, 6, records))


def table_context(columns: list[tuple[int, int]], rows: list[dict], subnodes: Subnodes) -> bytes:
    """A TC (MS-PST 2.3.4). `columns`: (id, type) besides the row id and version; each row maps
    column ids to values and must hold PID_ROW_ID."""
    columns = [(PID_ROW_ID, PT_LONG), (PID_ROW_VER, PT_LONG)] + list(columns)
    width = {c: (_FIXED_SIZE.get(t, 4)) for c, t in columns}
    # Row layout: 8- and 4-byte cells, then 2-byte, then 1-byte, then the cell existence bitmap.
    order = [c for c, _ in columns[:2]]
    for size in (8, 4, 2, 1):
        order += [c for c, _ in columns[2:] if width[c] == size]
    offset, place, ends = 0, {}, []
    for size in (4, 2, 1):
        for c in order:
            if width[c] == size or (size == 4 and width[c] == 8):
                place[c] = offset
                offset += width[c]
        ends.append(offset)
    bitmap = (len(columns) + 7) // 8
    row_size = offset + bitmap
    bit = {c: i for i, (c, _) in enumerate(columns)}
    types = dict(columns)

    heap = Heap(0x7C)
    # The row index, its BTH header and the TCINFO come after the cells.
    heap.reserved = 8 * len(rows) + 8 + 22 + 8 * len(columns) + 12
    matrix = bytearray()
    for row in rows:
        cells = bytearray(row_size)
        for c, value in row.items():
            ptype = types[c]
            if ptype in _FIXED_SIZE:
                raw = _value_bytes(ptype, value)
            else:
                raw = struct.pack("<I", _store_variable(heap, subnodes, _value_bytes(ptype, value)))
            cells[place[c]:place[c] + width[c]] = raw
            cells[offset + bit[c] // 8] |= 0x80 >> (bit[c] % 8)
        matrix += cells
    index = [(struct.pack("<I", row[PID_ROW_ID]), struct.pack("<I", i))
             for i, row in enumerate(rows)]
    heap.reserved = 0
    row_index = _bth(heap, 4, 4, index)
    rows_hnid = 0
    if matrix:
        if len(matrix) <= MAX_HEAP_ITEM and heap.fits(len(matrix) + 8 * (len(columns) + 3)):
            rows_hnid = heap.alloc(bytes(matrix))
        else:
            # Rows never span blocks (MS-PST 2.3.4.4.1): whole rows per block.
            per_block = MAX_BLOCK_DATA // row_size
            chunks = [bytes(matrix[i:i + per_block * row_size])
                      for i in range(0, len(matrix), per_block * row_size)]
            rows_hnid = subnodes.new_nid()
            subnodes.add(rows_hnid, chunks)
    info = struct.pack("<BB4HIII", 0x7C, len(columns), *ends, row_size, row_index, rows_hnid, 0)
    for c, ptype in sorted(columns, key=lambda col: (col[0], col[1])):
        info += struct.pack("<IHBB", (c << 16) | ptype, place[c], width[c], bit[c])
    return heap.bytes(heap.alloc(info))


class Ndb:
    """Blocks and nodes, then the file: layout, B-trees, allocation maps, header."""

    def __init__(self, crypt: int = NDB_CRYPT_NONE):
        self.crypt = crypt
        self.blocks: list[tuple[int, bytes]] = []  # (bid, data) in creation order
        self.nodes: dict[int, tuple[int, int, int]] = {}  # nid -> (data bid, sub bid, parent)
        self.next_block = 1
        self.next_page = 1

    def block(self, data: bytes, internal: bool = False) -> int:
        if len(data) > MAX_BLOCK_DATA:
            raise ValueError("block too large")
        bid = (self.next_block << 2) | (2 if internal else 0)
        self.next_block += 1
        if self.crypt == NDB_CRYPT_PERMUTE and not internal:  # XBLOCKs, SLBLOCKs stay plain
            data = bytes(data).translate(PERMUTE_ENCODE)
        self.blocks.append((bid, bytes(data)))
        return bid

    def data_tree(self, data: bytes | list[bytes]) -> int:
        """One data block, or an XBLOCK over several (`data` may be given pre-cut)."""
        chunks = data if isinstance(data, list) else [
            data[i:i + MAX_BLOCK_DATA] for i in range(0, max(len(data), 1), MAX_BLOCK_DATA)]
        if len(chunks) == 1:
            return self.block(chunks[0])
        if len(chunks) > (MAX_BLOCK_DATA - 8) // 8:
            raise ValueError("node data too large for one XBLOCK")
        bids = [self.block(chunk) for chunk in chunks]
        total = sum(len(chunk) for chunk in chunks)
        return self.block(struct.pack("<BBHI", 0x01, 0x01, len(bids), total) +
                          b"".join(struct.pack("<Q", b) for b in bids), internal=True)

    def node(self, node_nid: int, data: bytes, parent: int = 0, sub_bid: int = 0) -> None:
        if node_nid in self.nodes:
            raise ValueError(f"node 0x{node_nid:X} written twice")
        self.nodes[node_nid] = (self.data_tree(data), sub_bid, parent)

    # -- the file ------------------------------------------------------------------------------

    def write(self) -> bytes:
        layout = _Layout()
        offsets = {}
        for bid, data in self.blocks:
            offsets[bid] = layout.alloc(_round64(len(data) + 16))
        bbt_entries = [(bid, offsets[bid], len(data)) for bid, data in self.blocks]
        bbt_entries.sort()
        nbt_entries = sorted((n, *v) for n, v in self.nodes.items())
        pages: list[tuple[int, bytes]] = []
        nbt_root = self._btree(layout, pages, 0x81, 32, [
            (n, struct.pack("<QQQII", n, d, s, p, 0)) for n, d, s, p in nbt_entries])
        bbt_root = self._btree(layout, pages, 0x80, 24, [
            (b, struct.pack("<QQHHI", b, ib, cb, 2, 0)) for b, ib, cb in bbt_entries])
        size = layout.end
        out = bytearray(size)
        for bid, data in self.blocks:
            ib = offsets[bid]
            out[ib:ib + len(data)] = data
            trailer_at = ib + _round64(len(data) + 16) - 16
            out[trailer_at:trailer_at + 16] = struct.pack(
                "<HHIQ", len(data), signature(ib, bid), crc(data), bid)
        for ib, page in pages:
            out[ib:ib + PAGE] = page
        free = layout.write_maps(out)
        out[0:564] = self._header(len(out), layout.last_amap, free, nbt_root, bbt_root)
        return bytes(out)

    def _btree(self, layout, pages, ptype, entry_size, entries) -> tuple[int, int]:
        """Leaf pages of (key, entry) then intermediate levels; returns the root (bid, ib)."""
        level, items = 0, entries
        while True:
            per_page = 488 // entry_size
            refs = []
            for i in range(0, max(len(items), 1), per_page):
                chunk = items[i:i + per_page]
                ib = layout.alloc(PAGE, align=PAGE)
                bid = self.next_page << 2
                self.next_page += 1
                body = b"".join(e for _, e in chunk).ljust(488, b"\0")
                body += struct.pack("<BBBBI", len(chunk), per_page, entry_size, level, 0)
                trailer = struct.pack("<BBHIQ", ptype, ptype, signature(ib, bid), crc(body), bid)
                pages.append((ib, body + trailer))
                refs.append((chunk[0][0] if chunk else 0, bid, ib))
            if len(refs) == 1:
                return refs[0][1], refs[0][2]
            items = [(key, struct.pack("<QQQ", key, bid, ib)) for key, bid, ib in refs]
            level += 1
            entry_size = 24

    def _header(self, size, last_amap, free, nbt_root, bbt_root) -> bytes:
        next_index = [0] * 32
        for n in self.nodes:
            t, i = n & 0x1F, n >> 5
            next_index[t] = max(next_index[t], i + 1)
        rgnid = b"".join(struct.pack("<I", nid(t, max(i, 0x400))) for t, i in enumerate(next_index))
        root = struct.pack("<IQQQQQQQQBBH", 0, size, last_amap, free, 0, nbt_root[0], nbt_root[1],
                           bbt_root[0], bbt_root[1], 0x02, 0, 0)
        head = (b"SM" + struct.pack("<HHBBII", 23, 19, 1, 1, 0, 0) +
                struct.pack("<QQI", 0, self.next_page << 2, 0) + rgnid + b"\0" * 8 + root +
                b"\0" * 4 + b"\xff" * 128 + b"\xff" * 128 +
                struct.pack("<BBHQ", 0x80, self.crypt, 0, self.next_block << 2))
        assert len(head) == 516
        partial = crc(head[:471])
        full = crc(head)
        return (b"!BDN" + struct.pack("<I", partial) + head + struct.pack("<I", full) +
                b"\0" * 36)


def _round64(n: int) -> int:
    return (n + 63) // 64 * 64


class _Layout:
    """Hands out file space after the header, keeping the AMap and PMap pages free."""

    def __init__(self):
        self.end = FIRST_AMAP
        self.used: list[tuple[int, int]] = []
        self.last_amap = FIRST_AMAP

    def _reserved(self, at: int) -> int | None:
        """The start of the map page (AMap or PMap) that byte `at` falls in, or None."""
        region = (at - FIRST_AMAP) // AMAP_SPAN
        amap = FIRST_AMAP + region * AMAP_SPAN
        if amap <= at < amap + PAGE:
            return amap
        if region % 8 == 0 and amap + PAGE <= at < amap + 2 * PAGE:
            return amap + PAGE  # the PMap, every 8th region (MS-PST 2.2.2.7.3)
        return None

    def alloc(self, size: int, align: int = 64) -> int:
        at = self.end
        while True:
            at = (at + align - 1) // align * align
            # Never across a map page: try again after it.
            clash = next((p for p in range(at, at + size, 64) if self._reserved(p) is not None),
                         None)
            if clash is None:
                break
            at = self._reserved(clash) + PAGE
        self.used.append((at, size))
        self.end = max(self.end, at + size)
        return at

    def write_maps(self, out: bytearray) -> int:
        """Writes the AMap (and PMap) pages covering the file; returns the free byte count."""
        regions = (len(out) - FIRST_AMAP + AMAP_SPAN - 1) // AMAP_SPAN
        size = FIRST_AMAP + regions * AMAP_SPAN
        out.extend(b"\0" * (size - len(out)))
        self.end = size
        bits = bytearray((size - FIRST_AMAP) // 64 // 8)
        spans = list(self.used)
        for region in range(regions):
            amap = FIRST_AMAP + region * AMAP_SPAN
            spans.append((amap, PAGE))
            if region % 8 == 0:
                spans.append((amap + PAGE, PAGE))
        for at, length in spans:
            for slot in range((at - FIRST_AMAP) // 64, (at + length - FIRST_AMAP + 63) // 64):
                bits[slot // 8] |= 0x80 >> (slot % 8)
        free = 0
        for region in range(regions):
            amap = FIRST_AMAP + region * AMAP_SPAN
            body = bytes(bits[region * 496:(region + 1) * 496])
            free += sum(8 - bin(b).count("1") for b in body) * 64
            out[amap:amap + PAGE] = body + struct.pack("<BBHIQ", 0x84, 0x84, 0, crc(body), amap)
            self.last_amap = amap
            if region % 8 == 0:
                pmap = b"\xff" * 496
                out[amap + PAGE:amap + 2 * PAGE] = pmap + struct.pack(
                    "<BBHIQ", 0x83, 0x83, 0, crc(pmap), amap + PAGE)
        return free


@dataclass
class Folder:
    nid: int
    name: str
    parent: "Folder | None"
    folders: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    container_class: str = "IPF.Note"


# Columns of the tables: those Outlook's templates start with that readers look at.
HIERARCHY_COLUMNS = [(0x3001, PT_UNICODE), (0x3602, PT_LONG), (0x3603, PT_LONG),
                     (0x360A, PT_BOOLEAN), (0x3613, PT_UNICODE)]
CONTENTS_COLUMNS = [(0x0E07, PT_LONG), (0x0E08, PT_LONG), (0x0E06, PT_SYSTIME), (0x0017, PT_LONG)]
RECIPIENT_COLUMNS = [(0x0C15, PT_LONG), (0x0FFE, PT_LONG), (0x3001, PT_UNICODE),
                     (0x3002, PT_UNICODE), (0x3003, PT_UNICODE), (0x39FE, PT_UNICODE)]
ATTACHMENT_COLUMNS = [(0x0E20, PT_LONG), (0x3704, PT_UNICODE), (0x3705, PT_LONG),
                      (0x3707, PT_UNICODE), (0x370B, PT_LONG)]

STORE_UID = bytes(range(0x10, 0x20))  # PR_RECORD_KEY of the store, in every entry id


def entry_id(node_nid: int) -> bytes:
    return b"\0" * 4 + STORE_UID + struct.pack("<I", node_nid)


class PstWriter:
    """Folders and messages in memory, then one deterministic file."""

    def __init__(self, display_name: str = "Personal Folders", crypt: int = NDB_CRYPT_NONE):
        self.display_name = display_name
        self.crypt = crypt
        self._next_folder = 0x400
        self._next_message = 0x10000
        self.root = Folder(NID_ROOT_FOLDER, "", None)
        self.ipm_subtree = self.add_folder(self.root, "Top of Personal Folders")
        self.deleted_items = self.add_folder(self.ipm_subtree, "Deleted Items")

    def add_folder(self, parent: Folder, name: str) -> Folder:
        self._next_folder += 1
        folder = Folder(nid(NID_TYPE_NORMAL_FOLDER, self._next_folder), name, parent)
        parent.folders.append(folder)
        return folder

    def add_message(self, folder: Folder, message: Message) -> None:
        self._next_message += 1
        folder.messages.append((nid(NID_TYPE_NORMAL_MESSAGE, self._next_message), message))

    def bytes(self) -> bytes:
        ndb = Ndb(self.crypt)
        no_sub = Subnodes(ndb)
        ndb.node(NID_MESSAGE_STORE, property_context([
            (0x0FF9, PT_BINARY, STORE_UID),                     # PR_RECORD_KEY
            (0x3001, PT_UNICODE, self.display_name),
            (0x35DF, PT_LONG, 0x89),                            # PR_VALID_FOLDER_MASK
            (0x35E0, PT_BINARY, entry_id(self.ipm_subtree.nid)),
            (0x35E3, PT_BINARY, entry_id(self.deleted_items.nid)),
        ], no_sub))
        ndb.node(NID_NAME_TO_ID_MAP, self._name_to_id_map(no_sub))
        for template, columns in ((NID_HIERARCHY_TABLE_TEMPLATE, HIERARCHY_COLUMNS),
                                  (NID_CONTENTS_TABLE_TEMPLATE, CONTENTS_COLUMNS),
                                  (NID_ASSOC_CONTENTS_TABLE_TEMPLATE, CONTENTS_COLUMNS),
                                  (NID_ATTACHMENT_TABLE, ATTACHMENT_COLUMNS),
                                  (NID_RECIPIENT_TABLE, RECIPIENT_COLUMNS)):
            ndb.node(template, table_context(columns, [], no_sub))
        self._folder(ndb, self.root)
        return ndb.write()

    def write(self, path: str) -> None:
        with open(path, "wb") as out:
            out.write(self.bytes())

    @staticmethod
    def _name_to_id_map(subnodes: Subnodes) -> bytes:
        # One numeric named property (PSETID_Common's PidLidReminderSet, 0x8503), so every
        # stream has content; the GUID stream holds PSETID_Common, referenced as index 3.
        guid = bytes.fromhex("0820060000000000c000000000000046")
        entry = struct.pack("<IHH", 0x8503, (3 << 1) | 0, 0)
        props = [(0x0001, PT_LONG, 251), (0x0002, PT_BINARY, guid), (0x0003, PT_BINARY, entry),
                 (0x0004, PT_BINARY, struct.pack("<I", 0))]
        bucket = 0x1000 + (0x8503 ^ (3 << 1)) % 251
        props.append((bucket, PT_BINARY, entry))
        return property_context(props, subnodes)

    def _folder(self, ndb: Ndb, folder: Folder) -> None:
        parent = folder.parent.nid if folder.parent else folder.nid
        no_sub = Subnodes(ndb)
        props = [(0x3602, PT_LONG, len(folder.messages)), (0x3603, PT_LONG, 0),
                 (0x360A, PT_BOOLEAN, 1 if folder.folders else 0)]
        if folder.name:
            props.append((0x3001, PT_UNICODE, folder.name))
        if folder.parent is not None:
            props.append((0x3613, PT_UNICODE, folder.container_class))
        ndb.node(folder.nid, property_context(props, no_sub), parent, no_sub.bid())
        index = folder.nid >> 5
        hierarchy = Subnodes(ndb)
        ndb.node(nid(NID_TYPE_HIERARCHY_TABLE, index), table_context(HIERARCHY_COLUMNS, [
            {PID_ROW_ID: sub.nid, PID_ROW_VER: 0, 0x3001: sub.name, 0x3602: len(sub.messages),
             0x3603: 0, 0x360A: 1 if sub.folders else 0, 0x3613: sub.container_class}
            for sub in folder.folders], hierarchy), 0, hierarchy.bid())
        contents = Subnodes(ndb)
        rows = []
        for message_nid, message in folder.messages:
            row = {PID_ROW_ID: message_nid, PID_ROW_VER: 0, 0x0E07: 1, 0x0E08: 0, 0x0017: 1}
            delivery = next((v for i, t, v in message.props if i == 0x0E06), None)
            if delivery is not None:
                row[0x0E06] = delivery
            rows.append(row)
        ndb.node(nid(NID_TYPE_CONTENTS_TABLE, index),
                 table_context(CONTENTS_COLUMNS, rows, contents), 0, contents.bid())
        ndb.node(nid(NID_TYPE_ASSOC_CONTENTS_TABLE, index),
                 table_context(CONTENTS_COLUMNS, [], Subnodes(ndb)))
        for message_nid, message in folder.messages:
            data, sub = _message(ndb, message)
            ndb.node(message_nid, data, folder.nid, sub)
        for sub in folder.folders:
            self._folder(ndb, sub)


def _message(ndb: Ndb, message: Message) -> tuple[bytes, int]:
    """A message PC with its recipient and attachment tables; returns (PC bytes, SLBLOCK bid)."""
    subnodes = Subnodes(ndb)
    recipient_rows = []
    for i, recipient in enumerate(message.recipients):
        row = {PID_ROW_ID: i, PID_ROW_VER: 0, 0x0FFE: 6}  # MAPI_MAILUSER
        row.update({prop_id: value for prop_id, _, value in recipient})
        recipient_rows.append(row)
    recipient_columns = list(RECIPIENT_COLUMNS)
    known = {c for c, _ in recipient_columns}
    for recipient in message.recipients:
        for prop_id, ptype, _ in recipient:
            if prop_id not in known:
                known.add(prop_id)
                recipient_columns.append((prop_id, ptype))
    subnodes.add(NID_RECIPIENT_TABLE, table_context(recipient_columns, recipient_rows, subnodes))
    attachment_rows = []
    for attachment in message.attachments:
        attach_nid = subnodes.new_nid(NID_TYPE_ATTACHMENT)
        attach_sub = Subnodes(ndb)
        props = list(attachment.props)
        objects = {}
        if attachment.embedded is not None:
            data, sub = _message(ndb, attachment.embedded)
            object_nid = attach_sub.new_nid()
            attach_sub.entries.append((object_nid, ndb.data_tree(data), sub))
            props += [(0x3705, PT_LONG, 5), (0x3701, PT_OBJECT, None)]
            objects[0x3701] = (object_nid, len(data))
            size = len(data)
        else:
            props += [(0x3705, PT_LONG, 1), (0x3701, PT_BINARY, attachment.data or b"")]
            size = len(attachment.data or b"")
        props += [(0x0E20, PT_LONG, size), (0x370B, PT_LONG, 0xFFFFFFFF), (0x0FFE, PT_LONG, 7)]
        pc = property_context(props, attach_sub, objects)
        subnodes.entries.append((attach_nid, ndb.data_tree(pc), attach_sub.bid()))
        row = {PID_ROW_ID: attach_nid, PID_ROW_VER: 0, 0x0E20: size,
               0x3705: 5 if attachment.embedded is not None else 1, 0x370B: 0xFFFFFFFF}
        for prop_id, ptype, value in attachment.props:
            if prop_id in (0x3704, 0x3707) and ptype == PT_UNICODE:
                row[prop_id] = value
        attachment_rows.append(row)
    subnodes.add(NID_ATTACHMENT_TABLE,
                 table_context(ATTACHMENT_COLUMNS, attachment_rows, subnodes))
    props = list(message.props)
    if not any(p[0] == 0x0E07 for p in props):
        flags = 0x01 | (0x10 if message.attachments else 0)  # MSGFLAG_READ, MSGFLAG_HASATTACH
        props.append((0x0E07, PT_LONG, flags))
    pc = property_context(props, subnodes)
    return pc, subnodes.bid()
