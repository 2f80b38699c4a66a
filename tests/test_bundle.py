"""TF's V2 checkpoint format: checkpoints written by TensorFlow 2.21 (tests/fixtures/
tf_checkpoints, made by make_tf_checkpoints.py) read exactly as TF's own reader reads them,
and our writer reproduces TF's files byte for byte."""

from __future__ import annotations

import base64
import collections
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import varstore as tf
from varstore.errors import DataLossError, InvalidArgumentError, NotFoundError, OpError
from varstore.train.bundle_reader import BundleReader
from varstore.train.bundle_writer import BundleWriter
from varstore.train.table import read_table
from varstore.train.tf_dtypes import by_enum

FIXTURES = Path(__file__).parent / "fixtures" / "tf_checkpoints"
EXPECTED: dict[str, Any] = json.loads((FIXTURES / "expected.json").read_text())
CASES = sorted(k for k in EXPECTED if not k.startswith("_"))


def _prefix(case: str) -> str:
    return str(FIXTURES / EXPECTED[case]["prefix"])


def _decode(info: dict[str, Any]) -> Any:
    if "strings" in info:
        items = [base64.b64decode(s) for s in info["strings"]]
        out = np.empty(len(items), dtype=object)
        out[:] = items
        return out.reshape(info["shape"])
    return bytes.fromhex(info["hex"])


def _have_ml_dtypes() -> bool:
    try:
        import ml_dtypes  # noqa: F401
    except ImportError:
        return False
    return True


# -- every fixture reads as TF reads it -------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=CASES)
def test_fixture_lists_as_tf(case: str) -> None:
    want = EXPECTED[case]
    assert tf.train.list_variables(_prefix(case)) == [tuple(x) for x in want["list_variables"]]
    reader = tf.train.load_checkpoint(_prefix(case))
    assert reader.format == "bundle"
    assert reader.get_variable_to_shape_map() == {
        n: info["shape"] for n, info in want["tensors"].items()}
    dtypes = reader.get_variable_to_dtype_map()
    assert {n: d.name for n, d in dtypes.items()} == {
        n: info["dtype"] for n, info in want["tensors"].items()}
    assert reader.debug_string() == base64.b64decode(want["debug_string"])


@pytest.mark.parametrize("case", CASES, ids=CASES)
def test_fixture_values_as_tf(case: str) -> None:
    reader = tf.train.load_checkpoint(_prefix(case))
    for name, info in EXPECTED[case]["tensors"].items():
        want = _decode(info)
        if info["dtype"] == "bfloat16" and not _have_ml_dtypes():
            with pytest.raises(InvalidArgumentError, match="install ml_dtypes"):
                reader.get_tensor(name)
            assert reader._source.raw(name) == want
            continue
        got = np.asarray(reader.get_tensor(name))
        assert list(got.shape) == info["shape"], name
        if isinstance(want, bytes):
            assert got.astype(got.dtype.newbyteorder("<")).tobytes() == want, name
            assert got.dtype.name == info["numpy"], name
        else:
            assert got.dtype == object
            assert got.tolist() == want.tolist(), name


def test_scalars_come_back_as_numpy_scalars_and_bytes() -> None:
    reader = tf.train.load_checkpoint(_prefix("dtypes"))
    value = reader.get_tensor("int64")
    assert isinstance(value, np.int64) and value == -(2**40) - 7
    assert reader.get_tensor("string_scalar") == b"a single string"
    assert tf.train.load_variable(_prefix("dtypes"), "int64:0") == value
    assert reader.has_tensor("int64") and not reader.has_tensor("int64:0")
    with pytest.raises(NotFoundError, match="Key nope not found in checkpoint"):
        reader.get_tensor("nope")


def test_dtype_map_values_are_varstore_dtypes() -> None:
    dtypes = tf.train.NewCheckpointReader(_prefix("dtypes")).get_variable_to_dtype_map()
    assert dtypes["scope/float32"] is tf.float32
    assert dtypes["int8"] == tf.int8 and dtypes["bool"] == tf.bool
    assert isinstance(dtypes["strings"], tf.DType) and dtypes["strings"].name == "string"
    assert dtypes["uint16"].name == "uint16" and dtypes["uint16"] != tf.int16


def test_tf2_object_checkpoint_keys_and_object_graph() -> None:
    prefix = _prefix("tf2_object")
    names = [n for n, _ in tf.train.list_variables(prefix)]
    assert "_CHECKPOINTABLE_OBJECT_GRAPH" in names
    assert "model/kernel/.ATTRIBUTES/VARIABLE_VALUE" in names
    graph = tf.train.load_variable(prefix, "_CHECKPOINTABLE_OBJECT_GRAPH")
    assert isinstance(graph, bytes)
    from varstore.train.bundle_proto import object_graph_keys

    assert object_graph_keys(graph) == EXPECTED["_tf2_object_graph_keys"]  # TF's mapping
    kernel = tf.get_variable("kernel", [3, 2], initializer=tf.zeros_initializer())
    # a Saver restores the TF2 names it is given and ignores the rest (the object graph)
    tf.train.Saver({"model/kernel/.ATTRIBUTES/VARIABLE_VALUE": kernel}).restore(None, prefix)
    np.testing.assert_array_equal(kernel.numpy(), np.arange(6).reshape(3, 2))


def test_name_based_saver_restores_tf2_checkpoint_through_its_object_graph(
        caplog: pytest.LogCaptureFixture) -> None:
    """TF's Saver restores an object-based checkpoint by the variables' names, mapped to
    checkpoint keys by the object graph; so does ours."""
    with tf.variable_scope("dense"):
        kernel = tf.get_variable("kernel", [3, 2], initializer=tf.zeros_initializer())
        bias = tf.get_variable("bias", [2], initializer=tf.zeros_initializer())
    step = tf.get_variable("global_step", [], dtype=tf.int64, initializer=tf.zeros_initializer())
    tf.train.Saver().restore(None, _prefix("tf2_object"))
    np.testing.assert_array_equal(kernel.numpy(), np.arange(6).reshape(3, 2))
    np.testing.assert_array_equal(bias.numpy(), [0.5, -0.5])
    assert step.numpy() == 42
    assert "object-based checkpoint using a name-based saver" in caplog.text
    other = tf.get_variable("other", [1])
    with pytest.raises(NotFoundError, match="Existing variables not in the checkpoint: other"):
        tf.train.Saver([kernel, other]).restore(None, _prefix("tf2_object"))


def test_latest_checkpoint_reads_tf_state_files() -> None:
    adam = FIXTURES / "adam"
    assert tf.train.latest_checkpoint(str(adam)) == str(adam / "model.ckpt-3")
    state = tf.train.get_checkpoint_state(str(adam))
    assert state is not None
    assert state.all_model_checkpoint_paths == [str(adam / "model.ckpt-2"),
                                                str(adam / "model.ckpt-3")]
    sharded = FIXTURES / "sharded"
    assert tf.train.latest_checkpoint(str(sharded), "checkpoint_two") == \
        str(sharded / "two_devices.ckpt-5")
    assert tf.train.checkpoint_exists(str(adam / "model.ckpt-3"))
    assert not tf.train.checkpoint_exists(str(adam / "model.ckpt-1"))
    # a directory stands for its latest checkpoint
    assert tf.train.list_variables(str(adam)) == tf.train.list_variables(str(adam /
                                                                             "model.ckpt-3"))


def test_reopening_an_unchanged_index_reuses_its_parse(tmp_path: Path) -> None:
    prefix = _copy_fixture(tmp_path)
    first = BundleReader(prefix)
    again = BundleReader(prefix)
    assert again.entries is first.entries
    index = Path(prefix + ".index")
    raw = bytearray(index.read_bytes())
    raw[-1] ^= 1  # same size, same inode, maybe the same mtime: still parsed anew
    index.write_bytes(bytes(raw))
    with pytest.raises(DataLossError, match="bad magic"):
        BundleReader(prefix)


def test_two_shards() -> None:
    reader = BundleReader(_prefix("sharded_two_devices"))
    assert reader.header.num_shards == 2
    assert {e.shard_id for e in reader.entries.values()} == {0, 1}


def test_snappy_fixture_has_compressed_blocks() -> None:
    raw = (FIXTURES / "snappy" / "model.ckpt.index").read_bytes()
    assert read_table(raw) == read_table((FIXTURES / "dtypes" / "model.ckpt.index").read_bytes())
    # TF's own reader read the compressed table exactly as the original
    assert EXPECTED["snappy"]["tensors"] == EXPECTED["dtypes"]["tensors"]
    types = _block_types(raw)
    assert 1 in types and len(types) > 2


def _block_types(raw: bytes) -> list[int]:
    """The type byte of every block of a table (index block first)."""
    from varstore.train.table import FOOTER_SIZE, _block_entries, _handle, _read_block

    footer = len(raw) - FOOTER_SIZE
    _, _, pos = _handle(raw, footer, len(raw) - 8)
    offset, size, _ = _handle(raw, pos, len(raw) - 8)
    types = [raw[offset + size]]
    for _, handle in _block_entries(_read_block(raw, offset, size, footer, "index"), "index",
                                    [1 << 30]):
        off, n, _ = _handle(handle, 0, len(handle))
        types.append(raw[off + n])
    return types


def test_snappy_without_cramjam_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from varstore.train import bundle_reader

    monkeypatch.setattr(bundle_reader, "_CACHE", collections.OrderedDict())  # parse again
    monkeypatch.setitem(sys.modules, "cramjam", None)
    with pytest.raises(DataLossError, match=r"needs the 'cramjam' package \(pip install "
                                            r"cramjam"):
        tf.train.load_checkpoint(_prefix("snappy"))


# -- restoring TF's checkpoints into varstore variables -----------------------------------------
def test_saver_restores_tf_adam_checkpoint() -> None:
    tensors = EXPECTED["adam"]["tensors"]
    variables = {}
    for name, info in tensors.items():
        variables[name] = tf.get_variable(name, info["shape"], dtype=tf.as_dtype(info["dtype"]),
                                          initializer=tf.zeros_initializer())
    saver = tf.train.Saver()
    with tf.Session() as sess:
        saver.restore(sess, tf.train.latest_checkpoint(str(FIXTURES / "adam")))
        for name, v in variables.items():
            assert np.asarray(sess.run(v)).tobytes() == _decode(tensors[name]), name
    assert sorted(variables) == ["beta1_power", "beta2_power", "dense/bias", "dense/bias/Adam",
                                 "dense/bias/Adam_1", "dense/kernel", "dense/kernel/Adam",
                                 "dense/kernel/Adam_1", "global_step"]


def test_partitioned_tensor_restores_into_one_variable() -> None:
    tensors = EXPECTED["partitioned"]["tensors"]
    emb = tf.get_variable("emb", [10, 3], initializer=tf.zeros_initializer())
    with tf.variable_scope("dense"):
        kernel = tf.get_variable("kernel", [4, 6], initializer=tf.zeros_initializer())
    tf.train.Saver([emb, kernel]).restore(None, _prefix("partitioned"))
    assert emb.numpy().tobytes() == _decode(tensors["emb"])
    assert kernel.numpy().tobytes() == _decode(tensors["dense/kernel"])


def test_init_from_tf_checkpoint() -> None:
    with tf.variable_scope("new"):
        kernel = tf.get_variable("kernel", [3, 2], initializer=tf.zeros_initializer())
        bias = tf.get_variable("bias", [2], initializer=tf.zeros_initializer())
    tf.train.init_from_checkpoint(str(FIXTURES / "adam"), {"dense/": "new/"})
    tensors = EXPECTED["adam"]["tensors"]
    assert kernel.numpy().tobytes() == _decode(tensors["dense/kernel"])
    assert bias.numpy().tobytes() == _decode(tensors["dense/bias"])


# -- the writer reproduces TF's files ---------------------------------------------------------
def _rewrite(case: str, out: Path) -> str:
    """Writes the fixture's tensors again with BundleWriter, in the order TF wrote them (by
    name for a Saver, by object graph for a TF2 Checkpoint)."""
    reader = BundleReader(_prefix(case))
    prefix = str(out / "model.ckpt")

    def written_at(name: str) -> int:
        return min(e.offset for e, _ in reader._pieces(name))

    with BundleWriter(prefix) as w:
        for name in sorted(reader.keys(), key=written_at):
            e = reader.entry(name)
            t = by_enum(e.dtype)
            assert t is not None
            if e.slices:
                full = reader.read(name)
                for extents in e.slices:
                    where = tuple(slice(a, a + n) for a, n in extents)
                    w.add_slice(name, e.shape, extents, full[where])
            elif t.np is None:
                w.add_raw(name, t, e.shape, reader.read_raw(name))
            else:
                w.add(name, reader.read(name))
        w.finish()
    return prefix


@pytest.mark.parametrize("case", ["dtypes", "adam", "partitioned", "sharded_one_device",
                                  "tf2_object"],
                         ids=["dtypes", "adam", "partitioned", "sharded_one_device",
                              "tf2_object"])
def test_writer_is_byte_identical_to_tf(tmp_path: Path, case: str) -> None:
    prefix = _rewrite(case, tmp_path)
    for suffix in (".index", ".data-00000-of-00001"):
        assert Path(prefix + suffix).read_bytes() == Path(_prefix(case) + suffix).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "model.ckpt.data-00000-of-00001", "model.ckpt.index"]


# -- damaged files: one clear error, as TF's types ----------------------------------------------
def _copy_fixture(tmp_path: Path, case: str = "dtypes") -> str:
    src = Path(_prefix(case))
    for f in src.parent.glob(src.name + ".*"):
        shutil.copy(f, tmp_path / f.name)
    return str(tmp_path / src.name)


def test_tf_raises_op_errors_for_the_same_damage() -> None:
    # TF 2.21 raises a bare OpError for damaged files and NotFoundError for a missing one;
    # our DataLossError is an OpError, so code catching TF's classes catches ours.
    errors = EXPECTED["_errors"]
    assert errors["missing_checkpoint"] == "NotFoundError"
    for case in ("truncated_index", "bad_magic", "flipped_data_byte_get_tensor",
                 "missing_data_file_get_tensor"):
        assert errors[case] == "OpError", case
    assert issubclass(DataLossError, OpError) and issubclass(NotFoundError, OpError)


def test_every_truncated_index_is_data_loss(tmp_path: Path) -> None:
    prefix = _copy_fixture(tmp_path)
    index = Path(prefix + ".index")
    good = index.read_bytes()
    for cut in range(len(good)):
        index.write_bytes(good[:cut])
        with pytest.raises(DataLossError, match=r"model\.ckpt\.index"):
            tf.train.load_checkpoint(prefix)


def test_every_flipped_index_byte_is_detected(tmp_path: Path) -> None:
    """Every byte TF's reader reads is checked: the data and index blocks (CRCs), the index
    handle and the magic. (Like TF, we never read the empty metaindex block, its handle or
    the footer's padding.)"""
    from varstore.train.table import FOOTER_SIZE, _handle

    prefix = _copy_fixture(tmp_path)
    index = Path(prefix + ".index")
    good = index.read_bytes()
    footer = len(good) - FOOTER_SIZE
    meta_offset, _, handle_at = _handle(good, footer, len(good))
    _, _, handle_end = _handle(good, handle_at, len(good))
    read = [*range(meta_offset), *range(handle_at, handle_end), *range(len(good) - 8, len(good))]
    assert len(read) > len(good) * 0.8
    for i in read:
        bad = bytearray(good)
        bad[i] ^= 0x41
        index.write_bytes(bytes(bad))
        with pytest.raises((DataLossError, InvalidArgumentError)):
            reader = tf.train.load_checkpoint(prefix)
            for name in reader.get_variable_to_shape_map():
                reader._source.verify(name)


@pytest.mark.parametrize("name", sorted(EXPECTED["dtypes"]["tensors"]),
                         ids=sorted(EXPECTED["dtypes"]["tensors"]))
def test_flipped_data_byte_names_file_and_tensor(tmp_path: Path, name: str) -> None:
    prefix = _copy_fixture(tmp_path)
    entry = BundleReader(prefix).entry(name)
    if entry.size == 0:
        pytest.skip("an empty tensor has no bytes to damage")
    data = Path(prefix + ".data-00000-of-00001")
    blob = bytearray(data.read_bytes())
    blob[entry.offset + entry.size - 1] ^= 0x01
    data.write_bytes(bytes(blob))
    reader = tf.train.load_checkpoint(prefix)
    with pytest.raises(DataLossError) as info:
        if reader.get_variable_to_dtype_map()[name].name == "bfloat16":
            reader._source.raw(name)  # get_tensor needs ml_dtypes for this one
        else:
            reader.get_tensor(name)
    assert name in str(info.value) and "data-00000-of-00001" in str(info.value)


def test_truncated_data_file_names_file_and_tensor(tmp_path: Path) -> None:
    prefix = _copy_fixture(tmp_path)
    data = Path(prefix + ".data-00000-of-00001")
    data.write_bytes(data.read_bytes()[:-3])
    reader = tf.train.load_checkpoint(prefix)
    last = max(reader.get_variable_to_shape_map(), key=lambda n: BundleReader(prefix).entry(n)
               .offset)
    with pytest.raises(DataLossError, match=rf"Tensor {last} .*run past the end.*truncated"):
        reader.get_tensor(last)


def test_missing_data_file_is_not_found(tmp_path: Path) -> None:
    prefix = _copy_fixture(tmp_path)
    Path(prefix + ".data-00000-of-00001").unlink()
    reader = tf.train.load_checkpoint(prefix)  # the index alone lists the tensors
    assert len(reader.get_variable_to_shape_map()) == len(EXPECTED["dtypes"]["tensors"])
    with pytest.raises(NotFoundError, match=r"data-00000-of-00001 \(needed by tensor int8\)"):
        reader.get_tensor("int8")


def test_missing_checkpoint_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="Failed to find any matching files for"):
        tf.train.load_checkpoint(str(tmp_path / "nothing"))
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file or checkpoints"):
        tf.train.list_variables(str(tmp_path))


def test_corrupt_tensor_restores_nothing(tmp_path: Path) -> None:
    prefix = _copy_fixture(tmp_path, "adam")
    tensors = EXPECTED["adam"]["tensors"]
    variables = [tf.get_variable(n, info["shape"], dtype=tf.as_dtype(info["dtype"]),
                                 initializer=tf.zeros_initializer())
                 for n, info in tensors.items()]
    entry = BundleReader(prefix).entry("global_step")  # the last tensor written
    data = Path(prefix + ".data-00000-of-00001")
    blob = bytearray(data.read_bytes())
    blob[entry.offset] ^= 0xFF
    data.write_bytes(bytes(blob))
    with pytest.raises(DataLossError, match="global_step"):
        tf.train.Saver().restore(None, prefix)
    for v in variables:  # nothing changed, though every other tensor is fine
        assert not v.numpy().any(), v.name


def test_big_endian_producer_is_byte_swapped(tmp_path: Path) -> None:
    from varstore.train.bundle_writer import write_index

    values = {"f32": np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5,
              "i64": np.array([1, -(2**40)], dtype=np.int64),
              "c64": np.array([1 + 2j], dtype=np.complex64),
              "f16": np.array([0.5, -3.0], dtype=np.float16)}
    prefix = str(tmp_path / "be")
    with BundleWriter(prefix) as w:
        for name, value in sorted(values.items()):
            t = tf_dtypes_by_numpy(value.dtype)
            w.add_raw(name, t, value.shape, value.astype(value.dtype.newbyteorder(">")).view(
                np.uint8).reshape(-1))
        w.finish()
    entries = BundleReader(prefix).entries
    write_index(prefix, [(k.encode(), e) for k, e in entries.items()], endianness=1)
    reader = tf.train.load_checkpoint(prefix)
    for name, value in values.items():
        got = reader.get_tensor(name)
        np.testing.assert_array_equal(got, value)
        assert got.dtype == value.dtype and got.dtype.isnative
    f32 = tf.get_variable("f32", [2, 3], initializer=tf.zeros_initializer())
    tf.train.Saver([f32]).restore(None, prefix)
    np.testing.assert_array_equal(f32.numpy(), values["f32"])


def tf_dtypes_by_numpy(dtype: np.dtype[Any]) -> Any:
    from varstore.train.tf_dtypes import by_numpy

    t = by_numpy(dtype)
    assert t is not None
    return t


def test_merged_bundles_have_several_shards(tmp_path: Path) -> None:
    from varstore.train.bundle_writer import merge_bundles

    parts = []
    for i, names in enumerate([["a", "c"], ["b"]]):
        part = str(tmp_path / "tmp" / f"part-{i:05d}-of-00002")
        with BundleWriter(part) as w:
            for n in names:
                w.add(n, np.full(3, ord(n), np.int32))
            w.finish()
        parts.append(part)
    merge_bundles(parts, str(tmp_path / "merged"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "merged.data-00000-of-00002", "merged.data-00001-of-00002", "merged.index"]
    reader = BundleReader(str(tmp_path / "merged"))
    assert reader.header.num_shards == 2
    assert {n: reader.entry(n).shard_id for n in "abc"} == {"a": 0, "b": 1, "c": 0}
    for n in "abc":
        np.testing.assert_array_equal(reader.read(n), ord(n))


def test_a_lone_table_file_reads_as_a_v1_checkpoint(tmp_path: Path) -> None:
    v1 = tmp_path / "model.ckpt"  # a single table file with no .index: TF's V1 layout
    shutil.copy(FIXTURES / "dtypes" / "model.ckpt.index", v1)
    # a V2 index holds no V1 tensor metadata: TF 2.21's reader lists no tensors either
    assert tf.train.load_checkpoint(str(v1)).get_variable_to_shape_map() == {}
