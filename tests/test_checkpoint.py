"""Checkpoints: safetensors files, TF1's Saver and init_from_checkpoint, and their safety."""

from __future__ import annotations

import json
import os
import re
import signal
import struct
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from safetensors import safe_open
from safetensors.numpy import load_file, save_file

import varstore as tf
from varstore import train
from varstore.ops import state_ops
from varstore.train import safetensors_checkpoint as checkpoint
from varstore.cli import inspect_main
from varstore.errors import DataLossError, NotFoundError

ALL_DTYPES = ["float16", "float32", "float64", "int32", "int64", "bool", "int8", "uint8",
              "int16"]


def _value(dtype: str, shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if dtype == "bool":
        return rng.random(shape) > 0.5
    if dtype.startswith("float"):
        return rng.standard_normal(shape).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)


def _set(v: tf.Variable, value: Any) -> None:
    """Sets a variable's value directly (no session)."""
    arr = np.broadcast_to(np.asarray(value, dtype=v.dtype._np), v.shape.as_list())
    state_ops.write(v._graph, v._id, arr, v.dtype._np)


def _var(name: str, value: np.ndarray) -> tf.Variable:
    v = tf.get_variable(name, list(value.shape), dtype=tf.as_dtype(value.dtype.name),
                        initializer=tf.zeros_initializer())
    _set(v, value)
    return v


def _model() -> dict[str, tf.Variable]:
    with tf.variable_scope("model"):
        w = _var("w", _value("float32", (3, 4), 1))
        b = _var("b", _value("float32", (4,), 2))
        with tf.variable_scope("head"):
            k = _var("k", _value("float64", (2, 2), 3))
    step = _var("step", np.array(7, dtype=np.int64))
    return {"model/w": w, "model/b": b, "model/head/k": k, "step": step}


def _snapshot(variables: object) -> dict[str, np.ndarray]:
    vs = variables.values() if isinstance(variables, dict) else variables
    return {v.op.name: v.numpy() for v in vs}  # type: ignore[attr-defined]


def _assert_same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    assert a.keys() == b.keys()
    for k, value in a.items():
        np.testing.assert_array_equal(value, b[k], err_msg=k)


def _scramble(variables: object) -> None:
    vs = variables.values() if isinstance(variables, dict) else variables
    for v in vs:  # type: ignore[attr-defined]
        arr = v._view()
        _set(v, np.zeros_like(arr) if arr.dtype == bool else arr + 1)


# -- round trips --------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ALL_DTYPES)
@pytest.mark.parametrize("shape", [(), (0,), (5,), (2, 3, 4), (1, 0, 3)])
def test_round_trip_every_dtype(tmp_path: Path, dtype: str, shape: tuple[int, ...]) -> None:
    value = _value(dtype, shape)
    v = _var("v", value)
    path = tmp_path / "ckpt.safetensors"
    assert checkpoint.save(path) == str(path)
    _set(v, ~value if dtype == "bool" else value + 1)
    assert checkpoint.restore(path) == [v]
    np.testing.assert_array_equal(v.numpy(), value)
    assert v.numpy().dtype == np.dtype(dtype)
    assert checkpoint.list_variables(path) == [("v", list(shape), dtype, value.nbytes)]


def test_restore_invalidates_packed_conv_filters(tmp_path: Path) -> None:
    x = _value("float32", (1, 6, 6, 3), 5)
    w = _var("w", _value("float32", (3, 3, 3, 4), 6))
    b = _var("b", _value("float32", (4,), 7))
    checkpoint.save(tmp_path / "c")

    def run() -> np.ndarray:
        return np.array(tf.nn.relu(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME") + b))

    saved = run()
    _set(w, np.zeros((3, 3, 3, 4)))
    _set(b, np.ones(4))
    np.testing.assert_array_equal(run(), np.ones_like(saved))
    checkpoint.restore(tmp_path / "c")
    np.testing.assert_array_equal(run(), saved)


def test_special_float_values_round_trip(tmp_path: Path) -> None:
    value = np.array([np.nan, np.inf, -np.inf, -0.0, 1e-45, 3.4e38], dtype=np.float32)
    v = _var("v", value)
    checkpoint.save(tmp_path / "c")
    _set(v, np.zeros(6))
    checkpoint.restore(tmp_path / "c")
    assert v.numpy().tobytes() == value.tobytes()


def test_save_all_global_variables_by_op_name(tmp_path: Path) -> None:
    variables = _model()
    local = tf.Variable([1.0], name="local", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    path = checkpoint.save(tmp_path / "all")
    names = [row[0] for row in checkpoint.list_variables(path)]
    assert names == sorted(variables)
    assert local.op.name not in names
    want = _snapshot(variables)
    _scramble(variables)
    restored = checkpoint.restore(path)
    assert {v.op.name for v in restored} == set(variables)
    _assert_same(_snapshot(variables), want)


def test_var_list_as_list(tmp_path: Path) -> None:
    variables = _model()
    subset = [variables["model/w"], variables["step"]]
    checkpoint.save(tmp_path / "sub", subset)
    assert [r[0] for r in checkpoint.list_variables(tmp_path / "sub")] == ["model/w", "step"]
    want = _snapshot(subset)
    others = _snapshot([variables["model/b"]])
    _scramble(variables)
    assert checkpoint.restore(tmp_path / "sub", subset) == subset
    _assert_same(_snapshot(subset), want)
    # model/b was not restored
    assert not np.array_equal(variables["model/b"].numpy(), others["model/b"])


def test_var_list_as_dict_renames(tmp_path: Path) -> None:
    variables = _model()
    w = variables["model/w"]
    checkpoint.save(tmp_path / "d", {"encoder/kernel": w, "global_step": variables["step"]})
    f = load_file(str(tmp_path / "d"))
    assert sorted(f) == ["encoder/kernel", "global_step"]
    np.testing.assert_array_equal(f["encoder/kernel"], w.numpy())
    # restore into a different variable through the dict
    with tf.variable_scope("other"):
        w2 = tf.get_variable("w", [3, 4], initializer=tf.zeros_initializer())
    checkpoint.restore(tmp_path / "d", {"encoder/kernel": w2}, strict=False)
    np.testing.assert_array_equal(w2.numpy(), w.numpy())


def test_plain_variable_names(tmp_path: Path) -> None:
    with tf.name_scope("block"):
        v = tf.Variable(np.arange(3, dtype=np.float32), name="v")
        v2 = tf.Variable(np.ones(2, dtype=np.float32), name="v")
    assert v2.op.name == "block/v_1"
    checkpoint.save(tmp_path / "p", [v, v2])
    assert [r[0] for r in checkpoint.list_variables(tmp_path / "p")] == ["block/v", "block/v_1"]


def test_var_list_errors(tmp_path: Path) -> None:
    v = _var("v", np.ones(2, np.float32))
    with pytest.raises(ValueError, match="At least two variables have the same name: v"):
        checkpoint.save(tmp_path / "x", [v, v])
    with pytest.raises(TypeError, match="not a Variable"):
        checkpoint.save(tmp_path / "x", [np.ones(2)])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="__metadata__"):
        checkpoint.save(tmp_path / "x", {"__metadata__": v})
    with pytest.raises(ValueError, match=r"Parent directory of .* doesn't exist"):
        checkpoint.save(tmp_path / "nodir" / "x", [v])
    assert not (tmp_path / "x").exists()


def test_save_leaves_no_temporary_file_and_replaces(tmp_path: Path) -> None:
    v = _var("v", np.zeros(3, np.float32))
    path = tmp_path / "c"
    checkpoint.save(path)
    _set(v, [1.0, 2.0, 3.0])
    checkpoint.save(path)
    assert os.listdir(tmp_path) == ["c"]
    np.testing.assert_array_equal(load_file(str(path))["v"], [1.0, 2.0, 3.0])


def test_file_layout_is_aligned_safetensors(tmp_path: Path) -> None:
    _var("a_bool", np.array([True, False, True]))
    _var("b_f16", np.ones(3, np.float16))
    _var("c_f64", np.ones(3, np.float64))
    _var("d_i32", np.ones(1, np.int32))
    path = tmp_path / "c"
    checkpoint.save(path, metadata={"step": "12"})
    raw = path.read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    assert (8 + n) % 8 == 0
    header = json.loads(raw[8:8 + n])
    assert header["__metadata__"] == {"format": "np", "step": "12"}
    spans = sorted((h["data_offsets"], k) for k, h in header.items() if k != "__metadata__")
    # widest elements first: every tensor is aligned to its element size
    assert [k for _, k in spans] == ["c_f64", "d_i32", "b_f16", "a_bool"]
    itemsize = {"F64": 8, "I32": 4, "F16": 2, "BOOL": 1}
    end = 0
    for (b, e), k in spans:
        assert b == end and b % itemsize[header[k]["dtype"]] == 0
        end = e
    assert 8 + n + end == len(raw)
    with safe_open(str(path), framework="np") as f:
        assert f.metadata() == {"format": "np", "step": "12"}


# -- interop with the safetensors package ----------------------------------------------------------
def test_safetensors_reads_our_files(tmp_path: Path) -> None:
    values = {d: _value(d, (2, 3), i) for i, d in enumerate(ALL_DTYPES)}
    with tf.variable_scope("s"):
        for d, val in values.items():
            _var(d, val)
    path = checkpoint.save(tmp_path / "ours.safetensors")
    loaded = load_file(path)
    assert sorted(loaded) == sorted(f"s/{d}" for d in values)
    for d, val in values.items():
        assert loaded[f"s/{d}"].dtype == val.dtype
        np.testing.assert_array_equal(loaded[f"s/{d}"], val)


def test_we_read_safetensors_files(tmp_path: Path) -> None:
    values = {f"layer/{d}": _value(d, (3,) if i % 2 else (2, 2), i)
              for i, d in enumerate(ALL_DTYPES)}
    values["scalar"] = np.array(2.5, dtype=np.float32)
    path = str(tmp_path / "theirs.safetensors")
    save_file(values, path, metadata={"format": "pt"})
    variables = {}
    for name, val in values.items():
        variables[name] = _var(name, np.zeros_like(val))
    restored = checkpoint.restore(path)
    assert len(restored) == len(values)
    for name, val in values.items():
        np.testing.assert_array_equal(variables[name].numpy(), val)
    rows = checkpoint.list_variables(path)
    assert [r[0] for r in rows] == sorted(values)
    assert {r[0]: r[2] for r in rows}["layer/float16"] == "float16"


def test_foreign_dtype_is_listed_and_refused(tmp_path: Path) -> None:
    path = str(tmp_path / "u16.safetensors")
    save_file({"x": np.arange(4, dtype=np.uint16)}, path)
    assert checkpoint.list_variables(path) == [("x", [4], "uint16", 8)]
    x = _var("x", np.zeros(4, np.int16))
    with pytest.raises(ValueError, match="expected dtype int16 does not equal original dtype "
                                         "uint16"):
        checkpoint.restore(path)
    np.testing.assert_array_equal(x.numpy(), 0)


# -- errors leave the variables unchanged ---------------------------------------------------------
def test_missing_key_is_not_found_and_changes_nothing(tmp_path: Path) -> None:
    variables = _model()
    checkpoint.save(tmp_path / "c", [variables["model/w"]])
    extra = _var("extra", np.ones(2, np.float32))
    _scramble(variables)
    want = _snapshot([*variables.values(), extra])
    with pytest.raises(NotFoundError) as info:
        checkpoint.restore(tmp_path / "c")
    msg = str(info.value)
    assert "model/b" in msg and "extra" in msg and "step" in msg and "not found" in msg
    assert "\n" not in msg
    _assert_same(_snapshot([*variables.values(), extra]), want)


@pytest.mark.parametrize("kind", ["shape", "dtype", "rank"])
def test_mismatch_changes_nothing(tmp_path: Path, kind: str) -> None:
    variables = _model()
    path = checkpoint.save(tmp_path / "c")
    tf.reset_default_graph()
    with tf.variable_scope("model"):
        w = _var("w", np.zeros((3, 4), np.float32))
        if kind == "shape":
            b = _var("b", np.zeros(5, np.float32))
        elif kind == "dtype":
            b = _var("b", np.zeros(4, np.float64))
        else:
            b = _var("b", np.zeros((4, 1), np.float32))
        with tf.variable_scope("head"):
            k = _var("k", np.zeros((2, 2), np.float64))
    step = _var("step", np.array(0, np.int64))
    with pytest.raises(ValueError) as info:
        checkpoint.restore(path)
    msg = str(info.value)
    assert "model/b" in msg and "Nothing was restored" in msg
    if kind == "shape":
        assert "[5]" in msg and "[4]" in msg
    elif kind == "dtype":
        assert "expected dtype float64 does not equal original dtype float32" in msg
    else:
        assert "[4, 1]" in msg
    for v in (w, b, k, step):  # none written, even the ones listed before model/b
        assert not np.asarray(v).any()
    del variables


def test_unexpected_name_when_strict(tmp_path: Path) -> None:
    variables = _model()
    path = checkpoint.save(tmp_path / "c")
    w = variables["model/w"]
    want = w.numpy()
    _set(w, np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"unexpected 3 tensors .*model/b, model/head/k, step"):
        checkpoint.restore(path, [w])
    assert not w.numpy().any()
    assert checkpoint.restore(path, [w], strict=False) == [w]
    np.testing.assert_array_equal(w.numpy(), want)


def test_missing_path(tmp_path: Path) -> None:
    _model()
    missing = tmp_path / "nothere.safetensors"
    with pytest.raises(ValueError, match=r"not a valid checkpoint: .*nothere\.safetensors"):
        checkpoint.restore(missing)
    with pytest.raises(ValueError, match="nothere"):
        checkpoint.list_variables(missing)
    with pytest.raises(ValueError, match="is a directory"):
        checkpoint.restore(tmp_path)


def _valid_file(tmp_path: Path) -> tuple[Path, bytes]:
    path = tmp_path / "good"
    checkpoint.save(path)
    return path, path.read_bytes()


def _with_header(header: object, data: bytes = b"", raw: bytes | None = None) -> bytes:
    text = raw if raw is not None else json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def _f32_entry(offsets: list[int], shape: list[int] | None = None) -> dict[str, object]:
    return {"dtype": "F32", "shape": shape if shape is not None else [2],
            "data_offsets": offsets}


CORRUPT = {
    "empty": (b"", "less than the 8-byte header length"),
    "short": (b"\x10\x00\x00", "less than the 8-byte header length"),
    "huge header length": (struct.pack("<Q", 2**40) + b"{}", "larger than the limit"),
    "header past end": (struct.pack("<Q", 64) + b"{}      ", "runs past the end"),
    "bad json": (_with_header(None, raw=b'{"a": '), "not valid JSON"),
    "not utf-8": (_with_header(None, raw=b'{"\xff": 1}'), "not valid JSON"),
    "not an object": (_with_header([1, 2]), "not a JSON object"),
    "duplicate key": (_with_header(None, raw=b'{"a": {}, "a": {}}'), "duplicate key 'a'"),
    "entry not object": (_with_header({"a": 3}), "entry of tensor 'a' is not a JSON object"),
    "no dtype": (_with_header({"a": {"shape": [1], "data_offsets": [0, 4]}}, b"\0" * 4),
                 "no dtype"),
    "bad shape": (_with_header({"a": {"dtype": "F32", "shape": [-1],
                                      "data_offsets": [0, 4]}}, b"\0" * 4), "invalid shape"),
    "bad offsets": (_with_header({"a": _f32_entry([8, 0])}, b"\0" * 8),
                    "invalid data_offsets"),
    "offsets past end": (_with_header({"a": _f32_entry([0, 8])}, b"\0" * 4),
                         "run past the end"),
    "overlap": (_with_header({"a": _f32_entry([0, 8]), "b": _f32_entry([4, 12])},
                             b"\0" * 12), "overlap"),
    "wrong byte count": (_with_header({"a": _f32_entry([0, 12])}, b"\0" * 12),
                         "has 12 bytes of data, but shape \\[2\\] of float32 needs 8"),
    "bad metadata": (_with_header({"__metadata__": {"k": 1}}), "__metadata__"),
}


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_corrupted_file_is_one_clear_error(tmp_path: Path, case: str) -> None:
    a = _var("a", np.arange(2, dtype=np.float32))
    content, match = CORRUPT[case]
    path = tmp_path / "bad"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=match) as info:
        checkpoint.restore(path)
    assert "bad" in str(info.value) and "\n" not in str(info.value)
    np.testing.assert_array_equal(a.numpy(), [0, 1])
    with pytest.raises(ValueError, match=match):
        checkpoint.list_variables(path)


def test_every_truncation_is_detected(tmp_path: Path) -> None:
    variables = _model()
    path, good = _valid_file(tmp_path)
    want = _snapshot(variables)
    _scramble(variables)
    scrambled = _snapshot(variables)
    bad = tmp_path / "truncated"
    for cut in range(len(good)):
        bad.write_bytes(good[:cut])
        with pytest.raises(ValueError, match="not a valid safetensors checkpoint"):
            checkpoint.restore(bad)
        _assert_same(_snapshot(variables), scrambled)
    checkpoint.restore(path)
    _assert_same(_snapshot(variables), want)


def test_bool_bytes_other_than_one_read_as_true(tmp_path: Path) -> None:
    v = _var("flags", np.zeros(3, bool))
    header = {"flags": {"dtype": "BOOL", "shape": [3], "data_offsets": [0, 3]}}
    path = tmp_path / "b"
    path.write_bytes(_with_header(header, b"\x00\x02\xff"))
    checkpoint.restore(path)
    np.testing.assert_array_equal(v.numpy(), [False, True, True])
    assert np.asarray(v).view(np.uint8).tolist() == [0, 1, 1]


# -- crash safety -----------------------------------------------------------------------------------
_CHILD_SETUP = """
import sys, time
import numpy as np
import varstore as tf
from varstore.ops import state_ops
from varstore.train import safetensors_checkpoint as checkpoint

def _set(v, value):
    arr = np.broadcast_to(np.asarray(value, dtype=v.dtype._np), v.shape.as_list())
    state_ops.write(v._graph, v._id, arr, v.dtype._np)

path = sys.argv[1]
vs = [tf.get_variable(f"v{i}", [N], initializer=tf.zeros_initializer()) for i in range(K)]
"""


def _child(body: str, n: int, k: int) -> str:
    return (textwrap.dedent(_CHILD_SETUP).replace("N]", f"{n}]").replace("range(K)",
                                                                          f"range({k})")
            + textwrap.dedent(body))


def _old_checkpoint(path: Path, n: int, k: int) -> list[tf.Variable]:
    vs = [tf.get_variable(f"v{i}", [n], initializer=tf.zeros_initializer()) for i in range(k)]
    for v in vs:
        _set(v, -1.0)
    checkpoint.save(path, vs)
    return vs


def test_kill_mid_write_keeps_previous_checkpoint(tmp_path: Path) -> None:
    n, k = 1 << 18, 6
    path = tmp_path / "model.safetensors"
    vs = _old_checkpoint(path, n, k)
    body = """
    real_write = checkpoint._write_array
    count = [0]
    def slow_write(f, arr):
        real_write(f, arr)
        count[0] += 1
        if count[0] == 3:  # half the tensors are in the temporary file
            f.flush()
            print("MID", flush=True)
            time.sleep(60)
    checkpoint._write_array = slow_write
    for v in vs:
        _set(v, 5.0)
    checkpoint.save(path, vs)
    print("DONE", flush=True)
    """
    with subprocess.Popen([sys.executable, "-c", _child(body, n, k), str(path)],
                          stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "MID"
            tmp = Path(f"{path}.tmp-{proc.pid}")
            assert tmp.exists() and tmp.stat().st_size > 0
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == -signal.SIGKILL
    for v in vs:
        _set(v, 0.0)
    checkpoint.restore(path, vs)
    for v in vs:
        assert (v.numpy() == -1.0).all()
    # the half-written temporary file is detected as truncated
    with pytest.raises(ValueError, match="run past the end"):
        checkpoint.restore(tmp, vs)
    # and a later save still works
    checkpoint.save(path, vs)
    assert checkpoint.list_variables(path)[0][:3] == ("v0", [n], "float32")


def test_kill_during_save_loop_leaves_a_complete_checkpoint(tmp_path: Path) -> None:
    n, k = 1 << 20, 4  # 16 MiB per save
    path = tmp_path / "model.safetensors"
    vs = _old_checkpoint(path, n, k)
    body = """
    step = 0
    while True:
        step += 1
        for v in vs:
            _set(v, step)
        checkpoint.save(path, vs)
        print(step, flush=True)
    """
    with subprocess.Popen([sys.executable, "-c", _child(body, n, k), str(path)],
                          stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "1"
            time.sleep(0.05)
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    checkpoint.restore(path, vs)
    first = float(vs[0].numpy()[0])
    assert first >= 1  # a new, complete checkpoint: one step's values in every tensor
    for v in vs:
        assert (v.numpy() == first).all()


# -- train.Saver --------------------------------------------------------------------------------------
FORMATS = ["bundle", "safetensors"]


def _checkpoint_files(path: str, fmt: str) -> list[str]:
    # (with the MetaGraphDef TF's Saver.save writes beside the checkpoint)
    name = os.path.basename(path)
    if fmt == "safetensors":
        return [name, f"{name}.meta"]
    return [f"{name}.data-00000-of-00001", f"{name}.index", f"{name}.meta"]


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMATS)
def test_saver_global_step_and_state_file(tmp_path: Path, fmt: str) -> None:
    variables = _model()
    saver = train.Saver(format=fmt)
    prefix = str(tmp_path / "model.ckpt")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, prefix, global_step=10)
    assert path == f"{prefix}-10"
    assert sorted(os.listdir(tmp_path)) == sorted(["checkpoint", *_checkpoint_files(path, fmt)])
    if fmt == "safetensors":
        assert sorted(load_file(path)) == sorted(variables)
    assert train.load_checkpoint(path).format == fmt
    state = (tmp_path / "checkpoint").read_text()
    assert state == (f'model_checkpoint_path: "{path}"\n'
                     f'all_model_checkpoint_paths: "{path}"\n')
    assert train.latest_checkpoint(str(tmp_path)) == path
    assert train.get_checkpoint_state(str(tmp_path)) == train.CheckpointState(path, [path])
    assert train.checkpoint_exists(path)
    assert train.list_variables(str(tmp_path)) == [
        ("model/b", [4]), ("model/head/k", [2, 2]), ("model/w", [3, 4]), ("step", [])]
    np.testing.assert_array_equal(train.load_variable(path, "model/w"),
                                  variables["model/w"].numpy())


def test_saver_global_step_variable_and_padding(tmp_path: Path) -> None:
    _model()
    gs = tf.get_variable("global_step", [], dtype=tf.int64, initializer=tf.zeros_initializer())
    _set(gs, 42)
    prefix = str(tmp_path / "m")
    assert train.Saver().save(None, prefix, global_step=gs) == f"{prefix}-42"
    assert train.Saver(pad_step_number=True).save(None, prefix, global_step=3) == \
        f"{prefix}-00000003"
    assert train.Saver().save(None, prefix) == prefix


def test_saver_restore_marks_initialized(tmp_path: Path) -> None:
    variables = _model()
    saver = train.Saver()
    path = saver.save(None, str(tmp_path / "m"), global_step=1)
    assert path is not None
    want = _snapshot(variables)
    _scramble(variables)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(variables["model/w"])
        saver.restore(sess, path)
        np.testing.assert_array_equal(sess.run(variables["model/w"]), want["model/w"])
    _assert_same(_snapshot(variables), want)


def test_saver_var_list_dict_and_ignores_extra_tensors(tmp_path: Path) -> None:
    variables = _model()
    path = train.Saver().save(None, str(tmp_path / "m"))
    assert path is not None
    with tf.variable_scope("new"):
        kernel = tf.get_variable("kernel", [3, 4], initializer=tf.zeros_initializer())
    train.Saver({"model/w": kernel}).restore(None, path)  # other tensors: ignored, as TF1
    np.testing.assert_array_equal(kernel.numpy(), variables["model/w"].numpy())


def test_saver_var_list_is_fixed_when_built(tmp_path: Path) -> None:
    _model()
    saver = train.Saver()
    _var("later", np.ones(2, np.float32))
    path = saver.save(None, str(tmp_path / "m"))
    assert path is not None
    assert "later" not in dict(train.list_variables(path))


def test_saver_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="No variables to save"):
        train.Saver()
    assert train.Saver(allow_empty=True).save(None, str(tmp_path / "e")) is None
    v = _var("v", np.ones(2, np.float32))
    saver = train.Saver([v])
    with pytest.raises(ValueError, match="At least two variables have the same name: v"):
        train.Saver([v, v])
    with pytest.raises(ValueError, match=r"Can't load save_path when it is None\."):
        saver.restore(None, None)
    with pytest.raises(ValueError, match="The passed save_path is not a valid checkpoint: "):
        saver.restore(None, str(tmp_path / "missing"))
    with pytest.raises(ValueError, match=r"Parent directory of .* doesn't exist, can't save\."):
        saver.save(None, str(tmp_path / "no" / "such" / "m"))  # TF makes one level only
    other = tmp_path / "other"
    checkpoint.save(other, {"w": v})
    with pytest.raises(NotFoundError, match="Key v not found in checkpoint"):
        saver.restore(None, str(other))


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMATS)
def test_saver_max_to_keep(tmp_path: Path, fmt: str) -> None:
    _model()
    saver = train.Saver(max_to_keep=2, format=fmt)
    prefix = str(tmp_path / "m")
    paths = [saver.save(None, prefix, global_step=i) for i in range(5)]
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["checkpoint", *_checkpoint_files(f"{prefix}-3", fmt),
         *_checkpoint_files(f"{prefix}-4", fmt)])
    assert saver.last_checkpoints == paths[3:]
    state = train.get_checkpoint_state(str(tmp_path))
    assert state is not None
    assert state.all_model_checkpoint_paths == paths[3:]
    assert train.latest_checkpoint(str(tmp_path)) == paths[4]
    # saving the same path again moves it to the end instead of keeping it twice
    saver.save(None, prefix, global_step=3)
    assert saver.last_checkpoints == [paths[4], paths[3]]
    keep_all = train.Saver(max_to_keep=None, format=fmt)
    for i in range(3):
        keep_all.save(None, str(tmp_path / "k"), global_step=i)
    assert all(train.checkpoint_exists(str(tmp_path / f"k-{i}")) for i in range(3))


def test_saver_relative_paths_and_latest_checkpoint(tmp_path: Path) -> None:
    _model()
    saver = train.Saver(save_relative_paths=True)
    path = saver.save(None, str(tmp_path / "m"), global_step=7)
    assert (tmp_path / "checkpoint").read_text().startswith('model_checkpoint_path: "m-7"\n')
    assert train.latest_checkpoint(str(tmp_path)) == path
    assert train.latest_checkpoint(str(tmp_path / "empty")) is None
    assert path is not None
    train.remove_checkpoint(path)
    assert train.latest_checkpoint(str(tmp_path)) is None


# -- init_from_checkpoint -----------------------------------------------------------------------------
def _old_model(tmp_path: Path) -> tuple[str, dict[str, np.ndarray]]:
    with tf.variable_scope("old"):
        _var("a", _value("float32", (2,), 10))
        _var("b", _value("float32", (3,), 11))
        with tf.variable_scope("sub"):
            _var("c", _value("float32", (1,), 12))
    _var("r", _value("float32", (1,), 13))
    saver = train.Saver()
    path = saver.save(None, str(tmp_path / "model.ckpt"), global_step=20)
    assert path is not None
    values = {name: train.load_variable(path, name) for name, _ in train.list_variables(path)}
    tf.reset_default_graph()
    return path, values


def _new_model() -> dict[str, tf.Variable]:
    with tf.variable_scope("new"):
        a = tf.get_variable("a", [2], initializer=tf.zeros_initializer())
        b = tf.get_variable("b", [3], initializer=tf.zeros_initializer())
        with tf.variable_scope("sub"):
            c = tf.get_variable("c", [1], initializer=tf.zeros_initializer())
    other = tf.get_variable("other", [2], initializer=tf.zeros_initializer())
    return {"new/a": a, "new/b": b, "new/sub/c": c, "other": other}


def test_init_from_checkpoint_scope_to_scope(tmp_path: Path) -> None:
    path, old = _old_model(tmp_path)
    new = _new_model()
    train.init_from_checkpoint(str(tmp_path), {"old/": "new/"})  # a directory: latest
    np.testing.assert_array_equal(new["new/a"].numpy(), old["old/a"])
    np.testing.assert_array_equal(new["new/b"].numpy(), old["old/b"])
    np.testing.assert_array_equal(new["new/sub/c"].numpy(), old["old/sub/c"])
    assert not new["other"].numpy().any()
    del path


def test_init_from_checkpoint_variable_names_and_objects(tmp_path: Path) -> None:
    path, old = _old_model(tmp_path)
    new = _new_model()
    train.init_from_checkpoint(path, {"old/a": "new/a"})
    np.testing.assert_array_equal(new["new/a"].numpy(), old["old/a"])
    assert not new["new/b"].numpy().any()
    train.init_from_checkpoint(path, [("old/b", new["new/b"]), ("old/a", new["other"])])
    np.testing.assert_array_equal(new["new/b"].numpy(), old["old/b"])
    np.testing.assert_array_equal(new["other"].numpy(), old["old/a"])


def test_init_from_checkpoint_root(tmp_path: Path) -> None:
    path, old = _old_model(tmp_path)
    r = tf.get_variable("r", [1], initializer=tf.zeros_initializer())
    with tf.variable_scope("x"):
        xr = tf.get_variable("r", [1], initializer=tf.zeros_initializer())
    train.init_from_checkpoint(path, {"/": "x/"})  # checkpoint root -> scope x/
    np.testing.assert_array_equal(xr.numpy(), old["r"])
    assert not r.numpy().any()
    with tf.variable_scope("y"), tf.variable_scope("old"):
        ya = tf.get_variable("a", [2], initializer=tf.zeros_initializer())
    train.init_from_checkpoint(path, {"/": "y/"})
    np.testing.assert_array_equal(ya.numpy(), old["old/a"])


def test_init_from_checkpoint_into_root(tmp_path: Path) -> None:
    path, old = _old_model(tmp_path)
    a = tf.get_variable("a", [2], initializer=tf.zeros_initializer())
    with tf.variable_scope("sub"):
        c = tf.get_variable("c", [1], initializer=tf.zeros_initializer())
    train.init_from_checkpoint(path, {"old/": "/"})
    np.testing.assert_array_equal(a.numpy(), old["old/a"])
    np.testing.assert_array_equal(c.numpy(), old["old/sub/c"])


def test_init_from_checkpoint_keeps_values_through_initializer(tmp_path: Path) -> None:
    path, old = _old_model(tmp_path)
    new = _new_model()
    train.init_from_checkpoint(path, {"old/": "new/"})
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(new["new/a"]), old["old/a"])


def test_init_from_checkpoint_scope_not_in_graph_does_nothing(tmp_path: Path) -> None:
    path, _ = _old_model(tmp_path)
    new = _new_model()
    train.init_from_checkpoint(path, {"old/": "nope/"})
    assert not any(v.numpy().any() for v in new.values())


def test_init_from_checkpoint_errors_change_nothing(tmp_path: Path) -> None:
    path, _ = _old_model(tmp_path)
    new = _new_model()
    with pytest.raises(ValueError, match=r"Tensor nope/a \(a in nope/\) is not found in"):
        train.init_from_checkpoint(path, {"nope/": "new/"})
    with pytest.raises(ValueError, match=r"Tensor old/zz is not found in .* checkpoint"):
        train.init_from_checkpoint(path, {"old/zz": "new/a"})
    with pytest.raises(ValueError, match=re.escape(
            "Assignment map with scope only name new should map to scope only old/a. Should "
            "be 'scope/': 'other_scope/'.")):
        train.init_from_checkpoint(path, {"old/a": "new/zz"})
    with pytest.raises(ValueError, match=r"Shape of variable new/b:0 \(\[3\]\) doesn't match "
                                         r"with shape of tensor old/a \(\[2\]\)"):
        train.init_from_checkpoint(path, {"old/a": new["new/b"]})
    f64 = tf.get_variable("f64", [2], dtype=tf.float64, initializer=tf.zeros_initializer())
    with pytest.raises(ValueError, match="Dtype of variable f64:0 \\(float64\\)"):
        train.init_from_checkpoint(path, {"old/a": f64})
    with pytest.raises(NotFoundError, match="Failed to find any matching files for"):
        train.init_from_checkpoint(str(tmp_path / "none"), {"old/": "new/"})
    assert not any(v.numpy().any() for v in new.values())


def test_init_from_checkpoint_checks_all_before_writing(tmp_path: Path) -> None:
    path, _ = _old_model(tmp_path)
    new = _new_model()
    # 'old/a' -> new/a is valid and comes first; 'old/b' -> other has the wrong shape
    with pytest.raises(ValueError, match="Shape of variable other:0"):
        train.init_from_checkpoint(path, {"old/a": "new/a", "old/b": "other"})
    assert not new["new/a"].numpy().any()


def test_init_from_checkpoint_ignores_plain_variables_by_name(tmp_path: Path) -> None:
    path, _ = _old_model(tmp_path)
    tf.Variable([0.0, 0.0], name="pv")
    # As in TF1, names refer to get_variable's variables only.
    with pytest.raises(ValueError, match="Assignment map with scope only name"):
        train.init_from_checkpoint(path, {"old/a": "pv"})


# -- inspect ---------------------------------------------------------------------------------------------
def test_inspect_main_prints_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _model()
    path = checkpoint.save(tmp_path / "m.safetensors")
    assert inspect_main(path) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["name", "shape", "dtype", "bytes"]
    rows = {line.split()[0]: line for line in out[2:-2]}
    assert set(rows) == {"model/b", "model/head/k", "model/w", "step"}
    assert "[3, 4]" in rows["model/w"] and "float32" in rows["model/w"]
    assert rows["model/w"].rstrip().endswith(" 48")
    assert "[]" in rows["step"] and "int64" in rows["step"]
    assert out[-1] == "4 tensors, 21 parameters, 104 bytes (104 B), safetensors"


def test_inspect_main_bad_input(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="missing"):
        inspect_main(str(tmp_path / "missing"))
    (tmp_path / "junk").write_bytes(b"not a checkpoint at all")
    with pytest.raises(DataLossError, match="junk: it is neither a TF checkpoint"):
        inspect_main(str(tmp_path / "junk"))


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMATS)
def test_inspect_main_directory_uses_latest_checkpoint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    _var("v", np.ones(3, np.float16))
    train.Saver(format=fmt).save(None, str(tmp_path / "m"), global_step=5)
    assert inspect_main(str(tmp_path)) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2].split() == ["v", "[3]", "float16", "6"]
    kind = "TF checkpoint" if fmt == "bundle" else "safetensors"
    assert out[-1] == f"1 tensor, 3 parameters, 6 bytes (6 B), {kind}"
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="Couldn't find 'checkpoint' file or checkpoints"):
        inspect_main(str(tmp_path / "empty"))


def test_latest_checkpoint_with_a_relative_directory(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    tf.get_variable("w", [2])
    os.makedirs("ckpt")
    saver = tf.train.Saver()
    path = saver.save(None, "ckpt/model.ckpt", global_step=3)
    assert path == "ckpt/model.ckpt-3"
    assert tf.train.latest_checkpoint("ckpt") == os.path.join("ckpt", "model.ckpt-3")
    saver.restore(None, tf.train.latest_checkpoint("ckpt"))
