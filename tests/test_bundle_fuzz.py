"""Hostile input for the checkpoint parsers (Hypothesis, bounded time): mutated and random
index tables, entries, slice keys and data files. Never a crash, a hang or an allocation the
file's size does not justify: only the documented errors."""

from __future__ import annotations

import contextlib
import shutil
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import varstore as tf
from varstore.errors import DataLossError, InvalidArgumentError, NotFoundError
from varstore.train.bundle_proto import BundleEntry, encode_entry
from varstore.train.slice_key import SliceKeyError, decode_slice_key, encode_slice_key
from varstore.train.table import TableError, TableWriter, read_table

FIXTURES = Path(__file__).parent / "fixtures" / "tf_checkpoints"
INDEX = (FIXTURES / "dtypes" / "model.ckpt.index").read_bytes()
SNAPPY_INDEX = (FIXTURES / "snappy" / "model.ckpt.index").read_bytes()
EXPECTED_ERRORS = (DataLossError, InvalidArgumentError, NotFoundError)
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    out = bytearray(data)
    for kind, pos, value in edits:
        if not out:
            break
        i = pos % len(out)
        if kind == 0:
            out[i] = value
        elif kind == 1:
            del out[i:i + 1 + value % 8]
        else:
            out[i:i] = bytes([value]) * (1 + value % 5)
    return bytes(out)


edits = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 1 << 16), st.integers(0, 255)),
                 min_size=1, max_size=6)


def _bounded(fn, size: int) -> None:  # type: ignore[no-untyped-def]
    """Runs ``fn``; the memory it allocates must stay within a small multiple of ``size``."""
    tracemalloc.start()
    try:
        fn()
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < 200 * size + (2 << 20), f"allocated {peak} bytes for a {size}-byte input"


@FAST
@given(edits, st.booleans())
def test_mutated_index_tables(changes: list[tuple[int, int, int]], snappy: bool) -> None:
    data = _mutate(SNAPPY_INDEX if snappy else INDEX, changes)

    def parse() -> None:
        with contextlib.suppress(TableError):
            read_table(data)

    _bounded(parse, len(data))


@FAST
@given(st.binary(max_size=600))
def test_random_tables(data: bytes) -> None:
    # a valid footer around random bytes gets past the magic check
    from varstore.train.bundle_proto import encode_varint
    from varstore.train.table import MAGIC

    handle = encode_varint(0) + encode_varint(0) + encode_varint(0) + encode_varint(len(data))
    footer = handle + b"\0" * (40 - len(handle)) + MAGIC.to_bytes(8, "little")
    for blob in (data, data + footer):
        with contextlib.suppress(TableError):
            read_table(blob)


def _block(entries: list[tuple[bytes, bytes, int]]) -> bytes:
    """A hostile data block: (key delta, value, shared) entries, few restarts."""
    from varstore.train.bundle_proto import encode_varint

    out = b""
    for delta, value, shared in entries:
        out += encode_varint(shared) + encode_varint(len(delta)) + encode_varint(len(value))
        out += delta + value
    return out + (0).to_bytes(4, "little") + (1).to_bytes(4, "little")


@FAST
@given(st.lists(st.tuples(st.binary(max_size=8), st.binary(max_size=8),
                          st.integers(0, 1 << 20)), max_size=40))
def test_hostile_blocks_stay_bounded(entries: list[tuple[bytes, bytes, int]]) -> None:
    from varstore.train import _crc32c
    from varstore.train.table import _block_entries

    block = _block(entries)

    def parse() -> None:
        with contextlib.suppress(TableError):
            _block_entries(block, "data", [64 * len(block) + 4096])

    _bounded(parse, len(block))
    del _crc32c


def test_quadratic_key_growth_is_refused() -> None:
    from varstore.train.table import _block_entries

    # every entry shares the whole previous key and adds one byte: keys of 1, 2, ... n bytes
    entries = [(b"k", b"", i) for i in range(20000)]
    block = _block(entries)
    with pytest.raises(TableError, match="larger than the file can justify"):
        _block_entries(block, "data", [64 * len(block)])


@FAST
@given(st.binary(max_size=80))
def test_slice_keys(data: bytes) -> None:
    try:
        name, extents = decode_slice_key(data)
    except SliceKeyError:
        return
    assert encode_slice_key(name, extents) == data or data[:1] == b"\x00"


def _index_with(entries: dict[bytes, BundleEntry], header: bytes = b"\x08\x01\x1a\x02\x08\x01"
                ) -> bytes:
    table = TableWriter()
    table.add(b"", header)
    for key in sorted(entries):
        table.add(key, encode_entry(entries[key]))
    return table.finish()


dims = st.lists(st.integers(0, 1 << 62), max_size=4).map(tuple)
hostile_entries = st.builds(
    BundleEntry, dtype=st.sampled_from([1, 2, 7, 10, 14, 21, 99]), shape=dims,
    shard_id=st.integers(-2, 3), offset=st.integers(-5, 1 << 62),
    size=st.integers(-5, 1 << 62), crc32c=st.integers(0, 2**32 - 1),
    slices=st.lists(st.lists(st.tuples(st.integers(-2, 1 << 40), st.integers(-2, 1 << 40)),
                             max_size=3).map(tuple), max_size=3).map(tuple))


@FAST
@given(st.dictionaries(st.sampled_from([b"a", b"b/c", b"\x00a\x00\x01\x01\x01\x80\x82"]),
                       hostile_entries, max_size=3),
       st.binary(max_size=64), st.integers(1, 3))
def test_hostile_entries_and_data(tmp_path_factory: pytest.TempPathFactory,
                                  entries: dict[bytes, BundleEntry], data: bytes,
                                  num_shards: int) -> None:
    d = tmp_path_factory.mktemp("fuzz")
    prefix = str(d / "m")
    header = bytes([0x08, num_shards, 0x1A, 0x02, 0x08, 0x01])
    Path(prefix + ".index").write_bytes(_index_with(entries, header))
    for shard in range(num_shards):
        Path(f"{prefix}.data-{shard:05d}-of-{num_shards:05d}").write_bytes(data)

    def run() -> None:
        try:
            reader = tf.train.load_checkpoint(prefix)
            for name in reader.get_variable_to_shape_map():
                with contextlib.suppress(EXPECTED_ERRORS):
                    reader.get_tensor(name)
        except EXPECTED_ERRORS:
            pass

    _bounded(run, 4096)
    shutil.rmtree(d, ignore_errors=True)


@FAST
@given(edits)
def test_mutated_data_file(tmp_path_factory: pytest.TempPathFactory,
                           changes: list[tuple[int, int, int]]) -> None:
    d = tmp_path_factory.mktemp("data")
    shutil.copy(FIXTURES / "dtypes" / "model.ckpt.index", d / "m.index")
    data = (FIXTURES / "dtypes" / "model.ckpt.data-00000-of-00001").read_bytes()
    (d / "m.data-00000-of-00001").write_bytes(_mutate(data, changes))
    reader = tf.train.load_checkpoint(str(d / "m"))
    for name in reader.get_variable_to_shape_map():
        try:
            value = reader.get_tensor(name)
        except (DataLossError, InvalidArgumentError):
            continue
        assert np.asarray(value).shape is not None
    shutil.rmtree(d, ignore_errors=True)


@pytest.mark.parametrize("dtype", [1, 7], ids=["float32", "string"])
def test_huge_shapes_are_refused_before_allocating(tmp_path: Path, dtype: int) -> None:
    prefix = str(tmp_path / "m")
    count = 1 << 40
    entry = BundleEntry(dtype=dtype, shape=(1 << 20, 1 << 20), size=count * (4 if dtype == 1
                                                                              else 2))
    Path(prefix + ".index").write_bytes(_index_with({b"big": entry}))
    Path(prefix + ".data-00000-of-00001").write_bytes(b"\0" * 64)
    reader = tf.train.load_checkpoint(prefix)
    with pytest.raises(DataLossError, match="run past the end"):
        reader.get_tensor("big")
    big = tf.get_variable("v", [1, 1])
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.train.Saver({"big": big}).restore(None, prefix)
