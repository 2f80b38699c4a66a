"""tf.train.Saver writing TF's V2 checkpoints: what TF reads from them (golden), TF's file
names (sharded saves too), crash safety, conversion to and from safetensors, and the CLI."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file

import varstore as tf
from varstore.cli import main
from varstore.errors import DataLossError
from varstore.train import _crc32c
from varstore.train.bundle_reader import BundleReader
from varstore.train.convert import convert

HERE = Path(__file__).parent
GOLDEN = json.loads((HERE / "golden" / "tf_reads_varstore_checkpoint.json").read_text())
FIXTURES = HERE / "fixtures" / "tf_checkpoints"
VARSTORE_DTYPES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
                   "bool"]

from varstore.ops import state_ops


def _set(v: tf.Variable, value: object) -> None:
    """Sets a variable's value directly (no session)."""
    arr = np.broadcast_to(np.asarray(value, dtype=v.dtype._np), v.shape.as_list())
    state_ops.write(v._graph, v._id, arr, v.dtype._np)


def _golden_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("varstore_golden",
                                                  HERE / "fixtures" / "varstore_golden.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_writes_the_files_tf_read(tmp_path: Path) -> None:
    """TF 2.21 read this checkpoint (its reader and a Saver restore) and got back exactly the
    values varstore saved; and TF's own Saver writes the same bytes for the same values.
    varstore must still write those bytes."""
    prefix = _golden_module().write_varstore_checkpoint(str(tmp_path))
    assert prefix == str(tmp_path / "model.ckpt-1000")
    files = {p.name: _sha(p) for p in tmp_path.iterdir() if p.name != "checkpoint"}
    want = {k: v for k, v in GOLDEN["files"].items() if k != "checkpoint"}
    assert files == want
    assert GOLDEN["tf_saver_writes_identical_files"] is True
    values = _golden_module().golden_values()
    for name, info in GOLDEN["tensors"].items():
        want_bytes = bytes.fromhex(info["hex"])
        assert values[name].tobytes() == want_bytes, name
        assert GOLDEN["saver_restore"][name]["hex"] == info["hex"], name
        assert info["shape"] == list(values[name].shape)
    assert [n for n, _ in GOLDEN["list_variables"]] == sorted(values)


@pytest.mark.parametrize("dtype", VARSTORE_DTYPES, ids=VARSTORE_DTYPES)
@pytest.mark.parametrize("shape", [(), (0,), (5,), (2, 3, 4)], ids=["0d", "empty", "1d", "3d"])
def test_round_trip_every_dtype(tmp_path: Path, dtype: str, shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(3)
    if dtype == "bool":
        value = rng.random(shape) > 0.5
    elif dtype.startswith("float"):
        value = rng.standard_normal(shape).astype(dtype)
    else:
        info = np.iinfo(dtype)
        value = rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    v = tf.get_variable("v", list(shape), dtype=tf.as_dtype(dtype),
                        initializer=tf.zeros_initializer())
    _set(v, value)
    saver = tf.train.Saver()
    path = saver.save(None, str(tmp_path / "m"))
    assert path is not None
    _set(v, np.zeros(shape, dtype) if dtype != "bool" else ~value)
    saver.restore(None, path)
    assert v.numpy().tobytes() == value.tobytes() and v.numpy().dtype == value.dtype
    assert tf.train.list_variables(path) == [("v", list(shape))]


def test_sharded_save_has_tf_file_names(tmp_path: Path) -> None:
    tf.get_variable("a", [2, 3])
    tf.get_variable("b", [4], dtype=tf.int64, initializer=tf.zeros_initializer())
    saver = tf.train.Saver(sharded=True)
    path = saver.save(None, str(tmp_path / "model.ckpt"), global_step=5)
    assert path == str(tmp_path / "model.ckpt-5")
    # TF 2.21 on one CPU: <prefix>_temp/part-00000-of-00001 is written and merged away
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "model.ckpt-5.data-00000-of-00001",
                                            "model.ckpt-5.index", "model.ckpt-5.meta"]
    plain = tf.train.Saver().save(None, str(tmp_path / "plain"), global_step=5)
    assert plain is not None
    assert Path(path + ".index").read_bytes() == Path(plain + ".index").read_bytes()
    assert tf.train.latest_checkpoint(str(tmp_path)) == plain


def test_global_step_tensor_and_var_list_dict(tmp_path: Path) -> None:
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    gs = tf.get_variable("global_step", [], dtype=tf.int64, initializer=tf.zeros_initializer())
    _set(gs, 17)
    saver = tf.train.Saver({"renamed/w": w, "global_step": gs})
    path = saver.save(None, str(tmp_path / "m"), global_step=gs.read_value())
    assert path == str(tmp_path / "m-17")
    assert tf.train.list_variables(path) == [("global_step", []), ("renamed/w", [2])]
    assert os.path.exists(path + ".meta")  # the MetaGraphDef, as TF's Saver.save writes
    saver.save(None, str(tmp_path / "n"), write_meta_graph=False)
    assert not os.path.exists(str(tmp_path / "n.meta"))


def test_save_relative_paths_state_file(tmp_path: Path) -> None:
    tf.get_variable("w", [2])
    saver = tf.train.Saver(save_relative_paths=True, max_to_keep=2)
    for step in (1, 2, 3):
        saver.save(None, str(tmp_path / "m"), global_step=step)
    assert (tmp_path / "checkpoint").read_text() == (
        'model_checkpoint_path: "m-3"\n'
        'all_model_checkpoint_paths: "m-2"\n'
        'all_model_checkpoint_paths: "m-3"\n')
    assert not tf.train.checkpoint_exists(str(tmp_path / "m-1"))
    assert sorted(p.name for p in tmp_path.glob("m-1*")) == []


def test_restore_either_format_whatever_the_saver_writes(tmp_path: Path) -> None:
    w = tf.get_variable("w", [3], initializer=tf.ones_initializer())
    st = tf.train.Saver(format="safetensors").save(None, str(tmp_path / "m.safetensors"))
    tfc = tf.train.Saver().save(None, str(tmp_path / "m"))
    _set(w, np.zeros(3))
    tf.train.Saver().restore(None, st)
    np.testing.assert_array_equal(w.numpy(), 1)
    _set(w, np.zeros(3))
    tf.train.Saver(format="safetensors").restore(None, tfc)
    np.testing.assert_array_equal(w.numpy(), 1)
    with pytest.raises(ValueError, match="Saver format must be one of bundle, safetensors"):
        tf.train.Saver(format="h5")


def test_dtype_and_shape_mismatch_are_invalid_argument(tmp_path: Path) -> None:
    w = tf.get_variable("w", [3], initializer=tf.ones_initializer())
    path = tf.train.Saver().save(None, str(tmp_path / "m"))
    tf.reset_default_graph()
    w = tf.get_variable("w", [4], initializer=tf.zeros_initializer())
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"lhs shape= \[4\] rhs shape= "
                                                            r"\[3\]"):
        tf.train.Saver().restore(None, path)
    tf.reset_default_graph()
    w = tf.get_variable("w", [3], dtype=tf.float64, initializer=tf.zeros_initializer())
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="expected dtype float64 does not equal original dtype float32"):
        tf.train.Saver().restore(None, path)
    assert not w.numpy().any()


# -- crash safety -------------------------------------------------------------------------------
_CHILD = """
import sys
import numpy as np
import varstore as tf
from varstore.ops import state_ops
def _set(v, value):
    state_ops.write(v._graph, v._id, np.asarray(value, dtype=np.float32), np.float32)
vs = [tf.get_variable(f"v{i}", [1 << 20], initializer=tf.zeros_initializer()) for i in range(8)]
saver = tf.train.Saver(max_to_keep=None)
for step in range(1, 1000):
    for v in vs:
        _set(v, np.full(1 << 20, step, np.float32))
    saver.save(None, sys.argv[1], global_step=step)
    print(step, flush=True)
"""


def test_kill_during_save_loop_leaves_complete_checkpoints(tmp_path: Path) -> None:
    prefix = str(tmp_path / "m")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    with subprocess.Popen([sys.executable, "-c", textwrap.dedent(_CHILD), prefix],
                          stdout=subprocess.PIPE, text=True, env=env) as proc:
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "1"
            time.sleep(0.3)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    latest = tf.train.latest_checkpoint(str(tmp_path))
    assert latest is not None
    vs = [tf.get_variable(f"v{i}", [1 << 20], initializer=tf.zeros_initializer())
          for i in range(8)]
    tf.train.Saver().restore(None, latest)
    step = float(latest.rsplit("-", 1)[1])
    for v in vs:
        assert (v.numpy() == step).all()
    # whatever the kill interrupted is a temp file or a complete checkpoint, never a
    # half-written one under a final name
    for index in tmp_path.glob("m-*.index"):
        reader = tf.train.load_checkpoint(str(index)[:-len(".index")])
        for name in reader.get_variable_to_shape_map():
            reader.get_tensor(name)


# -- convert and the CLI ------------------------------------------------------------------------
def test_convert_tf_checkpoint_to_safetensors_and_back(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    src = str(FIXTURES / "adam" / "model.ckpt-3")
    st = str(tmp_path / "adam.safetensors")
    assert main(["convert", src, st]) == 0
    tensors = load_file(st)  # the safetensors package (PyTorch's loader) reads it
    reader = tf.train.load_checkpoint(src)
    assert sorted(tensors) == sorted(reader.get_variable_to_shape_map())
    for name, value in tensors.items():
        np.testing.assert_array_equal(value, reader.get_tensor(name))
    back = str(tmp_path / "back" / "model.ckpt-3")
    assert main(["convert", st, back]) == 0
    # back in TF's format: byte for byte the file TF wrote
    for suffix in (".index", ".data-00000-of-00001"):
        assert Path(back + suffix).read_bytes() == Path(src + suffix).read_bytes()
    assert "wrote TF checkpoint" in capsys.readouterr().out


def test_convert_skips_what_safetensors_cannot_hold(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    st = str(tmp_path / "tf2.safetensors")
    assert main(["convert", str(FIXTURES / "tf2_object"), st]) == 0
    err = capsys.readouterr().err
    assert "skipped _CHECKPOINTABLE_OBJECT_GRAPH (string)" in err
    assert "model/kernel/.ATTRIBUTES/VARIABLE_VALUE" in load_file(st)
    # bfloat16 converts as raw bytes, with or without ml_dtypes
    assert main(["convert", str(FIXTURES / "dtypes" / "model.ckpt"),
                 str(tmp_path / "d.safetensors")]) == 0
    assert "skipped complex128 (complex128)" in capsys.readouterr().err
    from varstore.train.checkpoint_reader import open_checkpoint

    source = open_checkpoint(str(tmp_path / "d.safetensors"))
    assert bytes(source.raw("bfloat16")) == bytes.fromhex("c03f00c05040")


def test_cli_inspect_tf_checkpoint(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", str(FIXTURES / "adam")]) == 0
    out = capsys.readouterr().out.splitlines()
    rows = {line.split()[0]: line.split() for line in out[2:-2]}
    assert rows["dense/kernel/Adam"] == ["dense/kernel/Adam", "[3,", "2]", "float32", "24"]
    assert out[-1] == "9 tensors, 27 parameters, 112 bytes (112 B), TF checkpoint"
    assert main(["inspect", str(FIXTURES / "nothing")]) == 1
    assert "Failed to find any matching files" in capsys.readouterr().err


def test_cli_reports_corruption(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "m.index").write_bytes(b"\0" * 100)
    assert main(["inspect", str(tmp_path / "m")]) == 1
    assert "not an sstable (bad magic number)" in capsys.readouterr().err


# -- CRC-32C ------------------------------------------------------------------------------------
@pytest.mark.parametrize("native", [True, False], ids=["native", "bytes"])
def test_crc32c_both_paths(native: bool) -> None:
    try:
        _crc32c._use_native(native)
        if native and _crc32c.implementation() != "native":
            pytest.skip("google-crc32c's shared library is not reachable here")
        assert _crc32c.implementation() == ("native" if native else "bytes")
        assert _crc32c.value(b"123456789") == 0xE3069283  # the CRC-32C check value
        data = np.random.default_rng(0).integers(0, 256, size=(1 << 23) + 13, dtype=np.uint8)
        assert _crc32c.value(data) == _crc32c.extend(_crc32c.value(data[:1000]), data[1000:])
        assert _crc32c.value(data[::1]) == _crc32c.value(data.tobytes())
    finally:
        _crc32c._use_native(True)


def test_crc32c_mask_is_tfs() -> None:
    # crc32c_test.cc: Mask is not the identity, not idempotent, and Unmask inverts it
    crc = _crc32c.value(b"foo")
    assert _crc32c.mask(crc) != crc
    assert _crc32c.mask(_crc32c.mask(crc)) != _crc32c.mask(crc)
    assert _crc32c.unmask(_crc32c.mask(crc)) == crc
    assert _crc32c.unmask(_crc32c.unmask(_crc32c.mask(_crc32c.mask(crc)))) == crc


def test_partitioned_slices_read_with_fallback_crc() -> None:
    try:
        _crc32c._use_native(False)
        reader = BundleReader(str(FIXTURES / "partitioned" / "model.ckpt"))
        assert reader.read("emb").shape == (10, 3)
    finally:
        _crc32c._use_native(True)


def test_corrupt_input_converts_nothing(tmp_path: Path) -> None:
    src = tmp_path / "m"
    for f in (FIXTURES / "adam").glob("model.ckpt-3.*"):
        (tmp_path / f.name.replace("model.ckpt-3", "m")).write_bytes(f.read_bytes())
    data = tmp_path / "m.data-00000-of-00001"
    blob = bytearray(data.read_bytes())
    blob[-1] ^= 1
    data.write_bytes(bytes(blob))
    with pytest.raises(DataLossError):
        convert(str(src), str(tmp_path / "out.safetensors"))
    assert not (tmp_path / "out.safetensors").exists()


def test_threaded_restore_checks_everything_before_writing(tmp_path: Path) -> None:
    """Large restores verify and copy on a few threads: still nothing changes on error."""
    n = 3 << 20  # 3 x 12 MB: over the threshold for threads
    vs = [tf.get_variable(f"big{i}", [n], initializer=tf.zeros_initializer()) for i in range(3)]
    for i, v in enumerate(vs):
        _set(v, np.full(n, i + 1, np.float32))
    path = tf.train.Saver().save(None, str(tmp_path / "m"))
    assert path is not None
    for v in vs:
        _set(v, np.zeros(n, np.float32))
    tf.train.Saver().restore(None, path)
    assert [float(v.numpy()[-1]) for v in vs] == [1.0, 2.0, 3.0]
    entry = BundleReader(path).entry("big0")  # the first tensor: later ones may copy first
    data = Path(path + ".data-00000-of-00001")
    with open(data, "r+b") as f:
        f.seek(entry.offset + entry.size // 2)
        f.write(b"\xff")
    for v in vs:
        _set(v, np.zeros(n, np.float32))
    with pytest.raises(DataLossError, match="big0"):
        tf.train.Saver().restore(None, path)
    assert not any(v.numpy().any() for v in vs)


def test_keep_checkpoint_every_n_hours_keeps_old_checkpoints(tmp_path: Path) -> None:
    tf.get_variable("w", [2])
    saver = tf.train.Saver(max_to_keep=1, keep_checkpoint_every_n_hours=1e-9)
    paths = []
    for step in range(3):
        time.sleep(0.01)
        paths.append(saver.save(None, str(tmp_path / "m"), global_step=step))
    # max_to_keep drops them from the state file, the hours rule keeps their files
    assert all(tf.train.checkpoint_exists(p) for p in paths if p is not None)
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state is not None and state.all_model_checkpoint_paths == [paths[-1]]
    never = tf.train.Saver(max_to_keep=1)
    for step in range(3):
        never.save(None, str(tmp_path / "n"), global_step=step)
    assert [tf.train.checkpoint_exists(str(tmp_path / f"n-{s}")) for s in range(3)] == [
        False, False, True]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_threaded_restore_works_in_a_forked_child(tmp_path: Path) -> None:
    n = 3 << 20
    vs = [tf.get_variable(f"big{i}", [n], initializer=tf.ones_initializer()) for i in range(3)]
    path = tf.train.Saver().save(None, str(tmp_path / "m"))
    tf.train.Saver().restore(None, path)  # the parent's pool now has threads
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            for v in vs:
                _set(v, np.zeros(n, np.float32))
            tf.train.Saver().restore(None, path)
            code = 0 if all(v.numpy().all() for v in vs) else 2
        finally:
            os._exit(code)
    deadline = time.time() + 60
    while time.time() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    pytest.fail("the forked child's restore hung")


def test_safetensors_dtypes_tf_lacks_are_listed_and_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json as _json
    import struct

    header = _json.dumps({"e8m0": {"dtype": "F8_E8M0", "shape": [3], "data_offsets": [0, 3]},
                          "u16": {"dtype": "U16", "shape": [1], "data_offsets": [3, 5]}})
    text = header.encode() + b" " * (-len(header) % 8)
    path = tmp_path / "foreign.safetensors"
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"\x01\x02\x03\x07\x00")
    reader = tf.train.load_checkpoint(str(path))
    assert reader.get_variable_to_shape_map() == {"e8m0": [3], "u16": [1]}
    dtypes = reader.get_variable_to_dtype_map()
    assert dtypes["e8m0"].name == "float8_e8m0fnu" and dtypes["u16"].name == "uint16"
    assert reader.get_tensor("u16").tolist() == [7]
    with pytest.raises(tf.errors.InvalidArgumentError, match="float8_e8m0fnu, which varstore "
                                                             "cannot load"):
        reader.get_tensor("e8m0")
    assert main(["inspect", str(path)]) == 0
    assert "float8_e8m0fnu" in capsys.readouterr().out
    assert main(["convert", str(path), str(tmp_path / "again.safetensors")]) == 0
    assert main(["convert", str(path), str(tmp_path / "tfc")]) == 0
    assert "skipped e8m0 (float8_e8m0fnu)" in capsys.readouterr().err
