"""The hand-written BundleHeaderProto / BundleEntryProto codec against the protobuf package's
own encoder and parser. The message classes are built at run time from a FileDescriptorProto
that restates tensor_bundle.proto (and the messages it uses), so no TF is needed."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from varstore.train.bundle_proto import (
    FULL_EXTENT,
    BundleEntry,
    BundleHeader,
    ProtoError,
    decode_entry,
    decode_header,
    encode_entry,
    encode_header,
)

descriptor_pb2 = pytest.importorskip("google.protobuf.descriptor_pb2")
descriptor_pool = pytest.importorskip("google.protobuf.descriptor_pool")
message_factory = pytest.importorskip("google.protobuf.message_factory")

F = descriptor_pb2.FieldDescriptorProto
INT32, INT64, BOOL, STRING, FIXED32, FIXED64, MESSAGE, ENUM = (
    F.TYPE_INT32, F.TYPE_INT64, F.TYPE_BOOL, F.TYPE_STRING, F.TYPE_FIXED32, F.TYPE_FIXED64,
    F.TYPE_MESSAGE, F.TYPE_ENUM)
REPEATED = F.LABEL_REPEATED


def _message(parent: Any, name: str, fields: list[tuple[Any, ...]]) -> Any:
    m = parent.add(name=name)
    for spec in fields:
        fname, number, ftype = spec[:3]
        f = m.field.add(name=fname, number=number, type=ftype,
                        label=spec[4] if len(spec) > 4 else F.LABEL_OPTIONAL)
        if len(spec) > 3 and spec[3]:
            f.type_name = spec[3]
    return m


def _classes() -> dict[str, Any]:
    fdp = descriptor_pb2.FileDescriptorProto(name="varstore_test_tensor_bundle.proto",
                                             package="vt", syntax="proto3")
    dtype = fdp.enum_type.add(name="DataType")
    for i in range(32):
        dtype.value.add(name=f"DT_{i}", number=i)
    _message(fdp.message_type, "VersionDef", [("producer", 1, INT32), ("min_consumer", 2, INT32),
                                              ("bad_consumers", 3, INT32, "", REPEATED)])
    shape = _message(fdp.message_type, "TensorShapeProto", [
        ("dim", 2, MESSAGE, ".vt.TensorShapeProto.Dim", REPEATED), ("unknown_rank", 3, BOOL)])
    _message(shape.nested_type, "Dim", [("size", 1, INT64), ("name", 2, STRING)])
    sl = _message(fdp.message_type, "TensorSliceProto", [
        ("extent", 1, MESSAGE, ".vt.TensorSliceProto.Extent", REPEATED)])
    extent = _message(sl.nested_type, "Extent", [("start", 1, INT64), ("length", 2, INT64)])
    extent.oneof_decl.add(name="has_length")
    extent.field[1].oneof_index = 0
    header = _message(fdp.message_type, "BundleHeaderProto", [
        ("num_shards", 1, INT32), ("endianness", 2, ENUM, ".vt.BundleHeaderProto.Endianness"),
        ("version", 3, MESSAGE, ".vt.VersionDef")])
    endian = header.enum_type.add(name="Endianness")
    endian.value.add(name="LITTLE", number=0)
    endian.value.add(name="BIG", number=1)
    entry_fields: list[tuple[Any, ...]] = [
        ("dtype", 1, ENUM, ".vt.DataType"), ("shape", 2, MESSAGE, ".vt.TensorShapeProto"),
        ("shard_id", 3, INT32), ("offset", 4, INT64), ("size", 5, INT64),
        ("crc32c", 6, FIXED32), ("slices", 7, MESSAGE, ".vt.TensorSliceProto", REPEATED)]
    _message(fdp.message_type, "BundleEntryProto", entry_fields)
    # a later version of the message with fields this reader does not know
    _message(fdp.message_type, "FutureEntryProto", [
        *entry_fields, ("note", 99, STRING), ("stamp", 100, FIXED64), ("flag", 101, BOOL)])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return {name: message_factory.GetMessageClass(pool.FindMessageTypeByName(f"vt.{name}"))
            for name in ("BundleHeaderProto", "BundleEntryProto", "FutureEntryProto")}


PB = _classes()
int32s = st.integers(-(2**31), 2**31 - 1)
int64s = st.integers(-(2**63), 2**63 - 1)
extents = st.one_of(st.tuples(st.just(0), st.just(FULL_EXTENT)),
                    st.tuples(st.integers(0, 2**62), st.integers(0, 2**62)),
                    st.tuples(int64s, int64s.filter(lambda n: n != FULL_EXTENT)))
entries = st.builds(
    BundleEntry,
    dtype=st.integers(0, 31),
    shape=st.lists(st.integers(-1, 2**62), max_size=5).map(tuple),
    unknown_rank=st.booleans(),
    shard_id=int32s,
    offset=int64s,
    size=int64s,
    crc32c=st.integers(0, 2**32 - 1),
    slices=st.lists(st.lists(extents, max_size=4).map(tuple), max_size=3).map(tuple),
)
headers = st.builds(BundleHeader, num_shards=int32s, endianness=st.integers(0, 1),
                    producer=int32s, min_consumer=int32s,
                    bad_consumers=st.lists(int32s, max_size=4).map(tuple))


def _pb_entry(e: BundleEntry, cls: Any = None) -> Any:
    m = (cls or PB["BundleEntryProto"])()
    m.dtype = e.dtype
    m.shape.SetInParent()
    for d in e.shape:
        m.shape.dim.add(size=d)
    m.shape.unknown_rank = e.unknown_rank
    m.shard_id, m.offset, m.size, m.crc32c = e.shard_id, e.offset, e.size, e.crc32c
    for s in e.slices:
        sp = m.slices.add()
        for start, length in s:
            x = sp.extent.add()
            if length != FULL_EXTENT:
                x.start = start
                x.length = length
    return m


def _from_pb(m: Any) -> BundleEntry:
    return BundleEntry(
        dtype=m.dtype, shape=tuple(d.size for d in m.shape.dim),
        unknown_rank=m.shape.unknown_rank, shard_id=m.shard_id, offset=m.offset, size=m.size,
        crc32c=m.crc32c,
        slices=tuple(tuple((x.start, x.length if x.HasField("length") else FULL_EXTENT)
                           for x in s.extent) for s in m.slices))


@settings(max_examples=300, deadline=None)
@given(entries)
def test_entry_encoding_is_protobufs(e: BundleEntry) -> None:
    ours = encode_entry(e)
    pb = _pb_entry(e)
    assert pb.SerializeToString(deterministic=True) == ours
    parsed = PB["BundleEntryProto"]()
    parsed.ParseFromString(ours)
    assert _from_pb(parsed) == e
    assert decode_entry(pb.SerializeToString()) == e


@settings(max_examples=200, deadline=None)
@given(entries, st.text(max_size=20), st.integers(0, 2**64 - 1), st.booleans())
def test_entry_decoder_skips_unknown_fields(e: BundleEntry, note: str, stamp: int,
                                            flag: bool) -> None:
    future = _pb_entry(e, PB["FutureEntryProto"])
    future.note, future.stamp, future.flag = note, stamp, flag
    assert decode_entry(future.SerializeToString()) == e


@settings(max_examples=200, deadline=None)
@given(headers)
def test_header_encoding_is_protobufs(h: BundleHeader) -> None:
    pb = PB["BundleHeaderProto"]()
    pb.num_shards, pb.endianness = h.num_shards, h.endianness
    pb.version.SetInParent()
    pb.version.producer, pb.version.min_consumer = h.producer, h.min_consumer
    pb.version.bad_consumers.extend(h.bad_consumers)
    assert pb.SerializeToString(deterministic=True) == encode_header(h)
    assert decode_header(pb.SerializeToString()) == h
    parsed = PB["BundleHeaderProto"]()
    parsed.ParseFromString(encode_header(h))
    assert (parsed.num_shards, parsed.endianness, parsed.version.producer,
            parsed.version.min_consumer, tuple(parsed.version.bad_consumers)) == tuple(h)


def test_header_accepts_unpacked_bad_consumers() -> None:
    # VersionDef{bad_consumers: [3, 4]} written unpacked (proto2 style): tag 3, varint
    version = b"\x08\x01\x18\x03\x18\x04"
    assert decode_header(b"\x08\x02\x1a" + bytes([len(version)]) + version) == BundleHeader(
        num_shards=2, producer=1, bad_consumers=(3, 4))


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.binary(max_size=64),
                 # fields 1-7 and 99 with every wire type, groups included
                 st.lists(st.sampled_from([bytes([f << 3 | w]) for f in (1, 2, 6, 7, 15)
                                           for w in range(6)] + [b"\x00", b"\x80\x01", b"\x05"]),
                          max_size=12).map(b"".join)))
def test_decoders_reject_garbage_cleanly(data: bytes) -> None:
    for decode in (decode_entry, decode_header):
        with contextlib.suppress(ProtoError):
            decode(data)
    # whatever protobuf accepts, we accept with the same values
    pb = PB["BundleEntryProto"]()
    try:
        pb.ParseFromString(data)
    except Exception:  # noqa: BLE001 - protobuf's DecodeError and friends
        return
    try:
        ours = decode_entry(data)
    except ProtoError as e:
        # upb (protobuf 5+) accepts some tag-0 fields inside an unknown group (b"{\0\0|" parses,
        # b"{\0|" does not); the wire format forbids field number 0, and so do we.
        assert "field number 0" in str(e)
        return
    assert ours == _from_pb(pb)


def test_groups_are_skipped_as_protobuf_does() -> None:
    entry = encode_entry(BundleEntry(dtype=1, shape=(2,), size=8))
    group = b"\x3b\x08\x01\x43\x44\x3c"  # group 7 { 1: 1, group 8 {} }
    pb = PB["BundleEntryProto"]()
    pb.ParseFromString(entry + group)
    assert decode_entry(entry + group) == _from_pb(pb)
    with pytest.raises(ProtoError):
        decode_entry(entry + b"\x3b\x08\x01\x44")  # mismatched end group


def test_repeated_submessage_is_merged_as_protobuf_does() -> None:
    one = encode_entry(BundleEntry(dtype=1, shape=(2,), offset=5))
    two = encode_entry(BundleEntry(shape=(3, 4), size=9))
    pb = PB["BundleEntryProto"]()
    pb.ParseFromString(one + two)
    assert decode_entry(one + two) == _from_pb(pb) == BundleEntry(
        dtype=1, shape=(2, 3, 4), offset=5, size=9)
