"""The two protos of a tensor bundle's index, parsed and serialized by hand.

tensorflow/core/protobuf/tensor_bundle.proto (proto3)::

    message BundleHeaderProto {
      int32 num_shards = 1;
      enum Endianness { LITTLE = 0; BIG = 1; }
      Endianness endianness = 2;
      VersionDef version = 3;          // producer = 1, min_consumer = 2, bad_consumers = 3
    }
    message BundleEntryProto {
      DataType dtype = 1;
      TensorShapeProto shape = 2;      // dim = 2 {size = 1, name = 2}, unknown_rank = 3
      int32 shard_id = 3;
      int64 offset = 4;
      int64 size = 5;
      fixed32 crc32c = 6;
      repeated TensorSliceProto slices = 7;  // extent = 1 {start = 1, oneof {length = 2}}
    }

The encoder writes what protobuf's C++ ``SerializeAsString`` writes (fields in number order,
proto3 defaults left out, negative ints as 10-byte varints), so our index files are byte for
byte TF's. The decoder accepts what protobuf's parser accepts (fields in any order, packed or unpacked
repeated ints, last value wins, unknown fields and known fields of an unexpected wire type
skipped by their wire type); anything malformed raises :class:`ProtoError`.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = [
    "BundleEntry",
    "BundleHeader",
    "ProtoError",
    "decode_entry",
    "decode_header",
    "decode_varint",
    "encode_entry",
    "encode_header",
    "encode_varint",
    "object_graph_keys",
]

_U64 = (1 << 64) - 1
FULL_EXTENT = -1  # TensorSlice's kFullExtent: the extent covers the whole dimension


class ProtoError(ValueError):
    """A malformed protobuf message."""


class BundleHeader(NamedTuple):
    num_shards: int = 0
    endianness: int = 0  # 0 = LITTLE, 1 = BIG
    producer: int = 0
    min_consumer: int = 0
    bad_consumers: tuple[int, ...] = ()


class BundleEntry(NamedTuple):
    dtype: int = 0
    shape: tuple[int, ...] = ()
    unknown_rank: bool = False
    shard_id: int = 0
    offset: int = 0
    size: int = 0
    crc32c: int = 0  # masked
    slices: tuple[tuple[tuple[int, int], ...], ...] = ()  # per slice: (start, length) per dim


# -- wire format ------------------------------------------------------------------------------
def encode_varint(value: int) -> bytes:
    """Base-128 varint of ``value`` as an unsigned 64-bit number (negatives: two's complement)."""
    value &= _U64
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_varint(buf: bytes, pos: int, end: int | None = None) -> tuple[int, int]:
    """The unsigned varint at ``buf[pos:]`` and the position after it."""
    limit = len(buf) if end is None else end
    result = 0
    shift = 0
    while True:
        if pos >= limit:
            raise ProtoError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result & _U64, pos
        shift += 7
        if shift >= 70:
            raise ProtoError("varint longer than 10 bytes")


def _int64(u: int) -> int:
    return u - (1 << 64) if u >= 1 << 63 else u


def _int32(u: int) -> int:
    u &= 0xFFFFFFFF
    return u - (1 << 32) if u >= 1 << 31 else u


def _fields(buf: bytes, start: int = 0, end: int | None = None):  # type: ignore[no-untyped-def]
    """Yields (field number, wire type, value): an int for varint/fixed fields, a (start,
    end) pair for length-delimited ones."""
    pos = start
    limit = len(buf) if end is None else end
    while pos < limit:
        key, pos = decode_varint(buf, pos, limit)
        field, wire = key >> 3, key & 7
        if field == 0:
            raise ProtoError("field number 0")
        if wire == 0:
            v, pos = decode_varint(buf, pos, limit)
            yield field, wire, v
        elif wire == 1:
            if pos + 8 > limit:
                raise ProtoError("truncated fixed64")
            yield field, wire, int.from_bytes(buf[pos:pos + 8], "little")
            pos += 8
        elif wire == 2:
            n, pos = decode_varint(buf, pos, limit)
            if n > limit - pos:
                raise ProtoError("length-delimited field runs past the end")
            yield field, wire, (pos, pos + n)
            pos += n
        elif wire == 5:
            if pos + 4 > limit:
                raise ProtoError("truncated fixed32")
            yield field, wire, int.from_bytes(buf[pos:pos + 4], "little")
            pos += 4
        elif wire == 3:  # a (deprecated) group: protobuf keeps it as an unknown field
            pos = _skip_group(buf, pos, limit, field, 0)
        else:
            raise ProtoError(f"unsupported wire type {wire}")


def _skip_group(buf: bytes, pos: int, limit: int, field: int, depth: int) -> int:
    """The position after the end-group tag of group ``field`` (nested groups skipped)."""
    if depth > 100:  # protobuf's recursion limit
        raise ProtoError("groups nested too deeply")
    while True:
        key, pos = decode_varint(buf, pos, limit)
        f, wire = key >> 3, key & 7
        if wire == 4:
            if f != field:
                raise ProtoError("mismatched end-group tag")
            return pos
        if f == 0:
            raise ProtoError("field number 0")
        if wire == 0:
            _, pos = decode_varint(buf, pos, limit)
        elif wire in (1, 5):
            pos += 8 if wire == 1 else 4
            if pos > limit:
                raise ProtoError("truncated fixed field")
        elif wire == 2:
            n, pos = decode_varint(buf, pos, limit)
            if n > limit - pos:
                raise ProtoError("length-delimited field runs past the end")
            pos += n
        elif wire == 3:
            pos = _skip_group(buf, pos, limit, f, depth + 1)
        else:
            raise ProtoError(f"unsupported wire type {wire}")


def _packed_or_single(buf: bytes, wire: int, value: object, out: list[int]) -> None:
    if wire == 0:
        assert isinstance(value, int)
        out.append(_int32(value))
    elif wire == 2:
        assert isinstance(value, tuple)
        pos, end = value
        while pos < end:
            v, pos = decode_varint(buf, pos, end)
            out.append(_int32(v))
    else:
        raise ProtoError(f"repeated int32 with wire type {wire}")


# -- BundleHeaderProto ------------------------------------------------------------------------
def decode_header(buf: bytes) -> BundleHeader:
    num_shards = endianness = producer = min_consumer = 0
    bad: list[int] = []
    for field, wire, value in _fields(buf):
        if field == 1:
            if wire != 0:
                continue  # a wire type protobuf would keep as an unknown field
            num_shards = _int32(value)
        elif field == 2:
            if wire != 0:
                continue  # a wire type protobuf would keep as an unknown field
            endianness = _int32(value)
        elif field == 3:
            if wire != 2:
                continue  # a wire type protobuf would keep as an unknown field
            start, end = value
            for f2, w2, v2 in _fields(buf, start, end):
                if f2 == 1:
                    if w2 != 0:
                        continue  # a wire type protobuf would keep as an unknown field
                    producer = _int32(v2)
                elif f2 == 2:
                    if w2 != 0:
                        continue  # a wire type protobuf would keep as an unknown field
                    min_consumer = _int32(v2)
                elif f2 == 3:
                    _packed_or_single(buf, w2, v2, bad)
    return BundleHeader(num_shards, endianness, producer, min_consumer, tuple(bad))


def _tag(field: int, wire: int) -> bytes:
    return encode_varint(field << 3 | wire)


def len_field(field: int, payload: bytes) -> bytes:
    return _tag(field, 2) + encode_varint(len(payload)) + payload


def int_field(field: int, value: int) -> bytes:
    return _tag(field, 0) + encode_varint(value) if value else b""


def encode_header(h: BundleHeader) -> bytes:
    version = int_field(1, h.producer) + int_field(2, h.min_consumer)
    if h.bad_consumers:
        version += len_field(3, b"".join(encode_varint(v) for v in h.bad_consumers))
    out = int_field(1, h.num_shards) + int_field(2, h.endianness)
    # protobuf writes a set submessage even when it is empty
    return out + len_field(3, version)


# -- BundleEntryProto -------------------------------------------------------------------------
def _decode_shape(buf: bytes, start: int, end: int, dims: list[int],
                  unknown_rank: bool) -> bool:
    """Appends the dims to ``dims`` and returns unknown_rank (a message that appears more
    than once is merged, as protobuf merges it). One-byte tags and lengths, the layout TF
    writes, take a fast path; anything else goes through :func:`_fields`."""
    pos = start
    while pos < end:
        # the common dim: 0x12 <len> 0x08 <one-byte size> or an empty dim (size 0)
        if buf[pos] == 0x12 and pos + 1 < end:
            n = buf[pos + 1]
            if n == 0:
                dims.append(0)
                pos += 2
                continue
            if 2 <= n <= 11 and pos + 2 + n <= end and buf[pos + 2] == 0x08:
                size, after = decode_varint(buf, pos + 3, pos + 2 + n)
                if after == pos + 2 + n:
                    dims.append(size if size < 1 << 63 else size - (1 << 64))
                    pos = after
                    continue
        break
    for field, wire, value in _fields(buf, pos, end):
        if field == 2:
            if wire != 2:
                continue  # a wire type protobuf would keep as an unknown field
            size = 0
            for f2, w2, v2 in _fields(buf, value[0], value[1]):
                if f2 == 1:
                    if w2 != 0:
                        continue  # a wire type protobuf would keep as an unknown field
                    size = _int64(v2)
            dims.append(size)
        elif field == 3:
            if wire != 0:
                continue  # a wire type protobuf would keep as an unknown field
            unknown_rank = value != 0
    return unknown_rank


def _decode_slice(buf: bytes, start: int, end: int) -> tuple[tuple[int, int], ...]:
    extents: list[tuple[int, int]] = []
    for field, wire, value in _fields(buf, start, end):
        if field == 1:
            if wire != 2:
                continue  # a wire type protobuf would keep as an unknown field
            begin, length = 0, FULL_EXTENT
            for f2, w2, v2 in _fields(buf, value[0], value[1]):
                if f2 == 1:
                    if w2 != 0:
                        continue  # a wire type protobuf would keep as an unknown field
                    begin = _int64(v2)
                elif f2 == 2:
                    if w2 != 0:
                        continue  # a wire type protobuf would keep as an unknown field
                    length = _int64(v2)
            extents.append((begin, length))
    return tuple(extents)


def decode_entry(buf: bytes) -> BundleEntry:
    """Parses a BundleEntryProto. One pass, with inline one-byte varints (an index holds one
    entry per tensor: this is the hot loop of opening a checkpoint)."""
    dtype = shard_id = offset = size = crc = 0
    dims: list[int] = []
    unknown_rank = False
    slices: list[tuple[tuple[int, int], ...]] = []
    n = len(buf)
    pos = 0
    while pos < n:
        key = buf[pos]
        if key < 0x80:
            pos += 1
        else:
            key, pos = decode_varint(buf, pos, n)
        field, wire = key >> 3, key & 7
        if field == 0:
            raise ProtoError("field number 0")
        if wire == 0:
            if pos >= n:
                raise ProtoError("truncated varint")
            v = buf[pos]
            if v < 0x80:
                pos += 1
            else:
                v, pos = decode_varint(buf, pos, n)
            if field == 1:
                dtype = _int32(v)
            elif field == 3:
                shard_id = _int32(v)
            elif field == 4:
                offset = _int64(v)
            elif field == 5:
                size = _int64(v)
        elif wire == 2:
            if pos >= n:
                raise ProtoError("truncated varint")
            length = buf[pos]
            if length < 0x80:
                pos += 1
            else:
                length, pos = decode_varint(buf, pos, n)
            if length > n - pos:
                raise ProtoError("length-delimited field runs past the end")
            end = pos + length
            if field == 2:
                unknown_rank = _decode_shape(buf, pos, end, dims, unknown_rank)
            elif field == 7:
                slices.append(_decode_slice(buf, pos, end))
            pos = end
        elif wire == 5:
            if pos + 4 > n:
                raise ProtoError("truncated fixed32")
            if field == 6:
                crc = int.from_bytes(buf[pos:pos + 4], "little")
            pos += 4
        elif wire == 1:
            if pos + 8 > n:
                raise ProtoError("truncated fixed64")
            pos += 8
        elif wire == 3:
            pos = _skip_group(buf, pos, n, field, 0)
        else:
            raise ProtoError(f"unsupported wire type {wire}")
    return BundleEntry(dtype, tuple(dims), unknown_rank, shard_id, offset, size, crc,
                       tuple(slices))


def _encode_shape(shape: tuple[int, ...], unknown_rank: bool) -> bytes:
    out = b"".join(len_field(2, int_field(1, d)) for d in shape)
    if unknown_rank:
        out += _tag(3, 0) + b"\x01"
    return out


def _encode_slice(extents: tuple[tuple[int, int], ...]) -> bytes:
    out = b""
    for begin, length in extents:
        inner = b""
        if length != FULL_EXTENT:  # TensorSlice::AsProto leaves full extents empty
            inner = int_field(1, begin) + _tag(2, 0) + encode_varint(length)
        out += len_field(1, inner)
    return out


def encode_entry(e: BundleEntry) -> bytes:
    out = int_field(1, e.dtype) + len_field(2, _encode_shape(e.shape, e.unknown_rank))
    out += int_field(3, e.shard_id) + int_field(4, e.offset) + int_field(5, e.size)
    if e.crc32c:
        out += _tag(6, 5) + (e.crc32c & 0xFFFFFFFF).to_bytes(4, "little")
    for s in e.slices:
        out += len_field(7, _encode_slice(s))
    return out


# -- TrackableObjectGraph (TF2 object-based checkpoints) --------------------------------------
def object_graph_keys(buf: bytes) -> dict[str, str]:
    """``full_name -> checkpoint_key`` of every attribute in a serialized
    TrackableObjectGraph (``nodes = 1`` of TrackableObject, whose ``attributes = 2`` are
    SerializedTensor ``{name = 1, full_name = 2, checkpoint_key = 3}``), as TF's
    ``object_graph_key_mapping`` reads it (a later node wins a repeated full name)."""
    out: dict[str, str] = {}
    for field, wire, value in _fields(buf):
        if field != 1 or wire != 2:
            continue
        for f2, w2, v2 in _fields(buf, value[0], value[1]):
            if f2 != 2 or w2 != 2:
                continue
            full_name = key = ""
            for f3, w3, v3 in _fields(buf, v2[0], v2[1]):
                if w3 != 2:
                    continue
                text = buf[v3[0]:v3[1]].decode("utf-8", "surrogateescape")
                if f3 == 2:
                    full_name = text
                elif f3 == 3:
                    key = text
            out[full_name] = key
    return out
