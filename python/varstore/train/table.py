"""The immutable string -> string table of a bundle's ``.index`` file (LevelDB's SSTable).

Layout (TF's ``table_format.txt``; lib/io ``format.cc``, ``block.cc``, ``table_builder.cc``)::

    data block 0 .. n-1 | metaindex block | index block | footer (48 bytes)

* A block is ``contents, type:u8, masked crc32c(contents + type):u32le``; type 0 is raw, 1 is
  snappy (raw format). The reader verifies the CRC before it looks at the contents.
* Block contents are entries ``varint shared, varint non_shared, varint value_len,
  key[shared:], value``, then ``u32le restarts[k]`` and ``u32le k``; a key shares ``shared``
  bytes with the previous key, and at a restart point ``shared`` is 0.
* The index block maps a separator key (>= every key of its data block, < every key of the
  next) to the block's handle ``varint offset, varint size``; the metaindex block is empty.
* The footer holds the metaindex and index handles, zero padding to 40 bytes, and the magic
  ``0xdb4775248b80fb57`` as a little-endian u64.

:class:`TableWriter` writes what TF's TableBuilder writes with TF's bundle options (no
compression, 256 KiB blocks, a restart every 16 entries, every entry in the index block), so
index files come out identical to TF's. :func:`read_table` checks every offset and length
against the file before it slices, so a hostile file can cost at most its own size in memory.
"""

from __future__ import annotations

from varstore.train import _crc32c
from varstore.train.bundle_proto import ProtoError, decode_varint, encode_varint

__all__ = ["TableError", "TableWriter", "read_table"]

MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48  # 2 * BlockHandle::kMaxEncodedLength (20) + 8
TRAILER_SIZE = 5
NO_COMPRESSION = 0
SNAPPY_COMPRESSION = 1
BLOCK_SIZE = 262144
RESTART_INTERVAL = 16
# A snappy element of n bytes expands to at most 64 bytes (a 3-byte copy): this bounds what a
# block may claim to decompress to before anything is allocated.
_SNAPPY_MAX_RATIO = 22


class TableError(ValueError):
    """The table is corrupt or truncated (TF reports this as a DataLossError)."""


# -- reading ----------------------------------------------------------------------------------
def _handle(buf: bytes, pos: int, end: int) -> tuple[int, int, int]:
    try:
        offset, pos = decode_varint(buf, pos, end)
        size, pos = decode_varint(buf, pos, end)
    except ProtoError as exc:
        raise TableError(f"bad block handle ({exc})") from None
    return offset, size, pos


def _snappy_decompress(raw: bytes) -> bytes:
    try:
        n, _ = decode_varint(raw, 0)
    except ProtoError:
        raise TableError("corrupted snappy block (bad length)") from None
    if n > _SNAPPY_MAX_RATIO * len(raw) + 64:
        raise TableError(f"corrupted snappy block (claims {n} bytes from {len(raw)})")
    try:
        import cramjam
    except ImportError:
        raise TableError("the index has snappy-compressed blocks; reading them needs the "
                         "'cramjam' package (pip install cramjam, or varstore[snappy])") from None
    try:
        out = bytes(cramjam.snappy.decompress_raw(raw))
    except cramjam.DecompressionError as exc:
        raise TableError(f"corrupted snappy block ({exc})") from None
    if len(out) != n:
        raise TableError("corrupted snappy block (wrong length)")
    return out


def _read_block(buf: bytes, offset: int, size: int, limit: int, what: str) -> bytes:
    if offset > limit or size > limit - offset or limit - offset - size < TRAILER_SIZE:
        raise TableError(f"{what} block [{offset}, +{size}) runs past the end of the table "
                         "(truncated file?)")
    end = offset + size
    block_type = buf[end]
    stored = int.from_bytes(buf[end + 1:end + 5], "little")
    actual = _crc32c.value(buf[offset:end + 1])
    if _crc32c.unmask(stored) != actual:
        raise TableError(f"block checksum mismatch in the {what} block at offset {offset}")
    contents = buf[offset:end]
    if block_type == NO_COMPRESSION:
        return contents
    if block_type == SNAPPY_COMPRESSION:
        return _snappy_decompress(contents)
    raise TableError(f"bad block type {block_type} in the {what} block at offset {offset}")


def _block_entries(block: bytes, what: str, budget: list[int]) -> list[tuple[bytes, bytes]]:
    """The entries of a block. ``budget[0]`` is how many key bytes may still be built: keys
    share prefixes, so without a bound a small hostile block could decode to keys whose total
    length grows with the square of the block's size."""
    n = len(block)
    if n < 4:
        raise TableError(f"{what} block too short ({n} bytes)")
    num_restarts = int.from_bytes(block[n - 4:], "little")
    if num_restarts > (n - 4) // 4:
        raise TableError(f"{what} block has a bad restart count ({num_restarts})")
    data_end = n - 4 - 4 * num_restarts
    out: list[tuple[bytes, bytes]] = []
    key = b""
    pos = 0
    while pos < data_end:
        b0 = block[pos]
        b1 = block[pos + 1] if pos + 1 < data_end else 0xFF
        b2 = block[pos + 2] if pos + 2 < data_end else 0xFF
        if (b0 | b1 | b2) < 0x80:  # the common case: three one-byte varints
            shared, non_shared, value_len = b0, b1, b2
            pos += 3
        else:
            try:
                shared, pos = decode_varint(block, pos, data_end)
                non_shared, pos = decode_varint(block, pos, data_end)
                value_len, pos = decode_varint(block, pos, data_end)
            except ProtoError:
                raise TableError(f"bad entry in the {what} block") from None
        if shared > len(key) or non_shared + value_len > data_end - pos:
            raise TableError(f"bad entry in the {what} block (lengths out of range)")
        key = key[:shared] + block[pos:pos + non_shared]
        budget[0] -= len(key)
        if budget[0] < 0:
            raise TableError(f"{what} block keys are larger than the file can justify")
        pos += non_shared
        out.append((key, block[pos:pos + value_len]))
        pos += value_len
    return out


def read_table(buf: bytes) -> list[tuple[bytes, bytes]]:
    """Every (key, value) of the table in ``buf``, in key order. Raises TableError."""
    size = len(buf)
    if size < FOOTER_SIZE:
        raise TableError(f"file is too short ({size} bytes) to be an sstable")
    footer = size - FOOTER_SIZE
    if int.from_bytes(buf[size - 8:], "little") != MAGIC:
        raise TableError("not an sstable (bad magic number)")
    _, _, pos = _handle(buf, footer, size - 8)  # the metaindex: no filters, nothing to read
    index_offset, index_size, _ = _handle(buf, pos, size - 8)
    index = _read_block(buf, index_offset, index_size, footer, "index")
    budget = [64 * size + (1 << 20)]
    out: list[tuple[bytes, bytes]] = []
    next_free = 0
    for _, handle in _block_entries(index, "index", budget):
        offset, length, end = _handle(handle, 0, len(handle))
        if end != len(handle):
            raise TableError("bad block handle in the index block")
        # data blocks are disjoint and in file order: reading them costs at most the file
        if offset < next_free:
            raise TableError(f"data block at offset {offset} overlaps the previous block")
        next_free = offset + length + TRAILER_SIZE
        block = _read_block(buf, offset, length, footer, "data")
        out.extend(_block_entries(block, "data", budget))
    for (k0, _), (k1, _) in zip(out, out[1:]):
        if not k0 < k1:
            raise TableError(f"keys out of order in the table ({k0!r} then {k1!r})")
    return out


# -- writing ----------------------------------------------------------------------------------
class _BlockBuilder:
    def __init__(self, restart_interval: int) -> None:
        self._interval = restart_interval
        self.reset()

    def reset(self) -> None:
        self._parts: list[bytes] = []
        self._size = 0
        self._restarts = [0]
        self._counter = 0
        self._last = b""

    @property
    def empty(self) -> bool:
        return not self._parts

    def size_estimate(self) -> int:
        return self._size + 4 * len(self._restarts) + 4

    def add(self, key: bytes, value: bytes) -> None:
        shared = 0
        if self._counter < self._interval:
            limit = min(len(key), len(self._last))
            while shared < limit and key[shared] == self._last[shared]:
                shared += 1
        else:
            self._restarts.append(self._size)
            self._counter = 0
        part = (encode_varint(shared) + encode_varint(len(key) - shared)
                + encode_varint(len(value)) + key[shared:] + value)
        self._parts.append(part)
        self._size += len(part)
        self._last = key
        self._counter += 1

    def finish(self) -> bytes:
        return b"".join(self._parts) + b"".join(
            r.to_bytes(4, "little") for r in self._restarts
        ) + len(self._restarts).to_bytes(4, "little")


def _shortest_separator(start: bytes, limit: bytes) -> bytes:
    """A short key k with start <= k < limit (LevelDB's BytewiseComparator)."""
    n = min(len(start), len(limit))
    i = 0
    while i < n and start[i] == limit[i]:
        i += 1
    if i < n:
        b = start[i]
        if b < 0xFF and b + 1 < limit[i]:
            return start[:i] + bytes([b + 1])
    return start


def _short_successor(key: bytes) -> bytes:
    """A short key >= ``key``."""
    for i, b in enumerate(key):
        if b != 0xFF:
            return key[:i] + bytes([b + 1])
    return key


class TableWriter:
    """Builds a table in memory (index files are small); keys must be added in strictly
    increasing order."""

    def __init__(self, block_size: int = BLOCK_SIZE, snappy: bool = False) -> None:
        # snappy: compress every block. TF writes bundles uncompressed; this exists to make
        # compressed tables that test readers (ours and TF's).
        self._block_size = block_size
        self._snappy = snappy
        self._out: list[bytes] = []
        self._offset = 0
        self._data = _BlockBuilder(RESTART_INTERVAL)
        self._index = _BlockBuilder(1)
        self._last = b""
        self._count = 0
        self._pending: tuple[int, int] | None = None

    def add(self, key: bytes, value: bytes) -> None:
        if self._count and key <= self._last:
            raise ValueError(f"table keys must increase: {key!r} after {self._last!r}")
        if self._pending is not None:
            self._index.add(_shortest_separator(self._last, key), _handle_bytes(*self._pending))
            self._pending = None
        self._data.add(key, value)
        self._last = key
        self._count += 1
        if self._data.size_estimate() >= self._block_size:
            self._flush()

    def _flush(self) -> None:
        if self._data.empty:
            return
        self._pending = self._write_block(self._data.finish())
        self._data.reset()

    def _write_block(self, contents: bytes) -> tuple[int, int]:
        kind = bytes([NO_COMPRESSION])
        if self._snappy:
            import cramjam

            contents = bytes(cramjam.snappy.compress_raw(contents))
            kind = bytes([SNAPPY_COMPRESSION])
        crc = _crc32c.mask(_crc32c.value(contents + kind))
        handle = (self._offset, len(contents))
        self._out.append(contents + kind + crc.to_bytes(4, "little"))
        self._offset += len(contents) + TRAILER_SIZE
        return handle

    def finish(self) -> bytes:
        self._flush()
        meta = self._write_block(_BlockBuilder(RESTART_INTERVAL).finish())
        if self._pending is not None:
            self._index.add(_short_successor(self._last), _handle_bytes(*self._pending))
            self._pending = None
        index = self._write_block(self._index.finish())
        footer = _handle_bytes(*meta) + _handle_bytes(*index)
        footer += b"\x00" * (FOOTER_SIZE - 8 - len(footer)) + MAGIC.to_bytes(8, "little")
        self._out.append(footer)
        return b"".join(self._out)


def _handle_bytes(offset: int, size: int) -> bytes:
    return encode_varint(offset) + encode_varint(size)
