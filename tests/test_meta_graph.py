"""MetaGraphs: Saver.save writes <path>.meta, export_meta_graph / import_meta_graph round
trips (scopes, devices, text files, stripped defaults, collections), a Saver made from a
SaverDef saves and restores by running the graph's nodes (plain, sharded, partitioned), and
the committed varstore-written fixture still matches what varstore writes. (TF-written
MetaGraphs, and TF reading varstore's: tests/golden/scenarios_metagraph.py.)
"""

from __future__ import annotations

import importlib.util
import logging
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import varstore as tf
from varstore.errors import InvalidArgumentError, NotFoundError

GOLDEN = Path(__file__).parent / "golden"


def _model() -> tuple[Any, Any, Any, Any]:
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.get_variable("w", [3, 2], initializer=tf.constant_initializer(0.5))
    b = tf.get_variable("b", [2], initializer=tf.zeros_initializer())
    y = tf.nn.relu(tf.matmul(x, w) + b, name="y")
    loss = tf.reduce_sum(tf.square(y), axis=1)
    train = tf.train.GradientDescentOptimizer(0.1).minimize(
        tf.reduce_mean(loss, name="loss"), global_step=tf.train.get_or_create_global_step())
    return x, y, w, train


FEED = np.arange(6, dtype=np.float32).reshape(2, 3) / 6.0


def test_saver_writes_a_meta_graph_that_imports_and_trains(tmp_path: Path) -> None:
    x, y, w, train = _model()
    saver = tf.train.Saver()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(train, {x: FEED})
        path = saver.save(s, str(tmp_path / "model"), global_step=1)
        want_y = s.run(y, {x: FEED})
        s.run(train, {x: FEED})
        want_w = s.run(w)
    meta = tf.train.import_meta_graph  # (the TF1 idiom, in a fresh graph)
    with tf.Graph().as_default() as g:
        restorer = meta(path + ".meta")
        assert [v.name for v in tf.global_variables()] == ["w:0", "b:0", "global_step:0"]
        assert [v.name for v in tf.trainable_variables()] == ["w:0", "b:0"]
        with tf.Session() as s:
            restorer.restore(s, path)
            np.testing.assert_array_equal(s.run("y:0", {"x:0": FEED}), want_y)
            s.run(tf.get_collection(tf.GraphKeys.TRAIN_OP)[0], {"x:0": FEED})
            np.testing.assert_array_equal(s.run(tf.global_variables()[0]), want_w)
            assert s.run(tf.train.get_global_step()) == 2


def test_saver_def_and_write_meta_graph(tmp_path: Path) -> None:
    _model()
    saver = tf.train.Saver(max_to_keep=2, keep_checkpoint_every_n_hours=3.0)
    sd = saver.saver_def
    assert (sd.filename_tensor_name, sd.save_tensor_name, sd.restore_op_name) == (
        "save/Const:0", "save/control_dependency:0", "save/restore_all")
    assert (sd.max_to_keep, sd.keep_checkpoint_every_n_hours, sd.version) == (2, 3.0,
                                                                            tf.train.SaverDef.V2)
    assert saver.as_saver_def() is sd
    path = saver.save(None, str(tmp_path / "m"), write_meta_graph=False)
    assert not os.path.exists(path + ".meta")
    saver.save(None, str(tmp_path / "m"), meta_graph_suffix="mg")
    assert os.path.exists(str(tmp_path / "m.mg"))
    assert tf.train.Saver(allow_empty=True, var_list=[]).saver_def is None


def test_saver_from_saver_def_runs_the_graph(tmp_path: Path) -> None:
    x, y, w, _ = _model()
    saver = tf.train.Saver()
    graph_saver = tf.train.Saver(saver_def=saver.saver_def)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        path = graph_saver.save(s, str(tmp_path / "g"), global_step=3)
        assert path == str(tmp_path / "g-3")
        assert sorted(os.listdir(tmp_path)) == ["checkpoint", "g-3.data-00000-of-00001",
                                                "g-3.index", "g-3.meta"]
        direct = saver.save(s, str(tmp_path / "d"), write_meta_graph=False)
        # SaveV2 writes the bytes varstore's own Saver writes
        assert Path(path + ".index").read_bytes() == Path(direct + ".index").read_bytes()
        s.run(w.assign(tf.ones([3, 2])))
        graph_saver.restore(s, path)
        np.testing.assert_array_equal(s.run(w), np.full((3, 2), 0.5, np.float32))
    with tf.Session() as s:  # a restore initializes the variables of its session
        graph_saver.restore(s, path)
        s.run(y, {x: FEED})
    with pytest.raises(TypeError, match="'sess' must be a Session"):
        graph_saver.save(None, str(tmp_path / "x"))


def test_graph_restore_errors_are_tfs(tmp_path: Path) -> None:
    v = tf.get_variable("v", [2], initializer=tf.zeros_initializer())
    other = tf.Graph()
    with other.as_default():
        u = tf.get_variable("u", [2])
        wide = tf.get_variable("v", [2], dtype=tf.float64)
        both = tf.train.Saver().save(None, str(tmp_path / "both"))
        only_u = tf.train.Saver([u]).save(None, str(tmp_path / "u"))
        del wide
    saver = tf.train.Saver(saver_def=tf.train.Saver([v]).saver_def)
    with tf.Session() as s, pytest.raises(InvalidArgumentError, match=(
            r"(?s)Restoring from checkpoint failed. This is most likely due to a mismatch "
            r"between the current graph and the graph from the checkpoint.*expected dtype "
            r"float32 does not equal original dtype float64")):
        saver.restore(s, both)
    with tf.Session() as s, pytest.raises(NotFoundError, match=(
            r"(?s)Restoring from checkpoint failed.*a Variable name or other graph key that "
            r"is missing.*Key v not found in checkpoint")):
        saver.restore(s, only_u)
    with tf.Session() as s, pytest.raises(ValueError, match="not a valid checkpoint"):
        saver.restore(s, str(tmp_path / "nothing"))


@pytest.mark.parametrize("sharded", [False, True])
def test_graph_save_of_partitioned_and_sharded_savers(tmp_path: Path, sharded: bool) -> None:
    p = tf.get_variable("p", [4, 2], initializer=tf.random_uniform_initializer(seed=1),
                        partitioner=tf.fixed_size_partitioner(2))
    q = tf.get_variable("q", [3], dtype=tf.int32, initializer=tf.ones_initializer())
    saver = tf.train.Saver(sharded=sharded)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        direct = saver.save(s, str(tmp_path / "direct"))
        want = s.run(p.as_tensor())
    with tf.Graph().as_default():
        restorer = tf.train.import_meta_graph(direct + ".meta")
        assert restorer.saver_def.sharded is sharded
        with tf.Session() as s:
            restorer.restore(s, direct)
            parts = [s.run(v) for v in tf.global_variables()]
            again = restorer.save(s, str(tmp_path / "again"))
    np.testing.assert_array_equal(np.concatenate(parts[:2]), want)
    np.testing.assert_array_equal(parts[2], [1, 1, 1])
    assert Path(again + ".index").read_bytes() == Path(direct + ".index").read_bytes()
    assert not os.path.exists(again + "_temp")
    del p, q


def test_export_scope_clear_devices_text_and_import_scope(tmp_path: Path) -> None:
    with tf.variable_scope("net"), tf.device("/cpu:0"):
        x = tf.placeholder(tf.float32, [None, 2], name="x")
        w = tf.get_variable("w", [2, 2], initializer=tf.constant_initializer(2.0))
        tf.matmul(x, w, name="y")
    outside = tf.constant(1.0, name="outside")
    del outside
    path = str(tmp_path / "net.pbtxt")
    mg = tf.train.export_meta_graph(path, export_scope="net", clear_devices=True,
                                    as_text=True)
    assert all(n.name.startswith(("x", "w", "y")) for n in mg.graph_def.node)
    assert all(not n.device for n in mg.graph_def.node)
    assert [v.decode() if isinstance(v, bytes) else v for v in
            mg.collection_def["trainable_variables"].bytes_list.value]
    with tf.Graph().as_default() as g:
        tf.train.import_meta_graph(path, import_scope="again")
        assert [v.name for v in tf.global_variables()] == ["again/w:0"]
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            assert s.run(g.get_tensor_by_name("again/y:0"), {"again/x:0": [[1.0, 1.0]]}
                         ).tolist() == [[4.0, 4.0]]


def test_unbound_inputs_need_an_input_map() -> None:
    a = tf.placeholder(tf.float32, [2], name="a")
    with tf.name_scope("inner"):
        tf.identity(a * 2.0, name="out")
    mg = tf.train.export_meta_graph(export_scope="inner")
    assert list(mg.collection_def["unbound_inputs"].bytes_list.value) == [b"$unbound_inputs_a"]
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Graph contains unbound inputs: "
                           r"\$unbound_inputs_a. Must provide these inputs through input_map."):
            tf.train.import_meta_graph(mg)
        feed = tf.constant([1.0, 2.0])
        tf.train.import_meta_graph(mg, import_scope="s",
                                   input_map={"$unbound_inputs_a": feed})
        with tf.Session() as s:
            assert s.run("s/out:0").tolist() == [2.0, 4.0]


def test_strip_default_attrs_and_stripped_op_list() -> None:
    tf.nn.conv2d(tf.zeros([1, 4, 4, 1]), tf.ones([2, 2, 1, 1]), [1, 1, 1, 1], "SAME")
    mg = tf.train.export_meta_graph(strip_default_attrs=True)
    conv = [n for n in mg.graph_def.node if n.op == "Conv2D"][0]
    assert "data_format" not in conv.attr and "dilations" not in conv.attr
    assert mg.meta_info_def.stripped_default_attrs
    assert [o.name for o in mg.meta_info_def.stripped_op_list.op] == ["Const", "Conv2D"]
    with tf.Graph().as_default():
        tf.train.import_meta_graph(mg)
        op = tf.get_default_graph().get_operation_by_name("Conv2D")
        assert op.get_attr("data_format") == b"NHWC" and op.get_attr("dilations") == [1] * 4


def test_collections_that_cannot_be_serialized_are_skipped(caplog: Any) -> None:
    tf.add_to_collection("objects", object())
    tf.add_to_collection("mixed", 1)
    tf.add_to_collection("mixed", "text")
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        mg = tf.train.export_meta_graph()
    assert "objects" not in mg.collection_def and "mixed" not in mg.collection_def
    assert "Issue encountered when serializing objects" in caplog.text


def test_import_meta_graph_without_variables_or_file(tmp_path: Path) -> None:
    tf.constant(1.0, name="c")
    mg = tf.train.export_meta_graph()
    with tf.Graph().as_default():
        assert tf.train.import_meta_graph(mg) is None
    with pytest.raises(OSError, match="File does not exist"):
        tf.train.import_meta_graph(str(tmp_path / "none.meta"))
    bad = tmp_path / "bad.meta"
    bad.write_bytes(b"\xff\xfe not a proto {")
    with pytest.raises(OSError, match="Cannot parse file"):
        tf.train.import_meta_graph(str(bad))


def test_ref_variables_round_trip(tmp_path: Path) -> None:
    tf.disable_resource_variables()
    try:
        x, y, w, train = _model()
        saver = tf.train.Saver()
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            s.run(train, {x: FEED})
            path = saver.save(s, str(tmp_path / "ref"))
            want = s.run(w)
        with tf.Graph().as_default() as g:
            restorer = tf.train.import_meta_graph(path + ".meta")
            assert g.get_operation_by_name("w").type == "VariableV2"
            v = tf.global_variables()[0]
            assert v._is_ref and v.initializer.name == "w/Assign"
            with tf.Session() as s:
                restorer.restore(s, path)
                np.testing.assert_array_equal(s.run(v), want)
                s.run(v.assign(v * 2.0))
                np.testing.assert_array_equal(s.run(v), want * 2.0)
    finally:
        tf.enable_resource_variables()


def test_monitored_training_session_checkpoints_import(tmp_path: Path) -> None:
    x, _, _, train = _model()
    with tf.train.MonitoredTrainingSession(checkpoint_dir=str(tmp_path),
                                           save_checkpoint_steps=100) as s:
        s.run(train, {x: FEED})
    latest = tf.train.latest_checkpoint(str(tmp_path))
    assert latest is not None and os.path.exists(latest + ".meta")
    with tf.Graph().as_default():
        restorer = tf.train.import_meta_graph(latest + ".meta")
        assert restorer.saver_def.sharded
        with tf.Session() as s:
            restorer.restore(s, latest)
            assert s.run(tf.train.get_global_step()) == 1
    from varstore.summary.writer import FileWriterCache

    FileWriterCache.clear()  # (closes the hooks' event writers)


def test_committed_varstore_fixture_is_current() -> None:
    """make_varstore_metagraph.py's program still gives the committed .meta's nodes."""
    spec = importlib.util.spec_from_file_location(
        "make_varstore_metagraph", GOLDEN / "make_varstore_metagraph.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(tf)
    saver = tf.train.Saver()
    tf.global_variables_initializer()  # (the script's session makes it after the Saver)
    fresh = saver.export_meta_graph()
    committed = tf.MetaGraphDef.FromString(
        (GOLDEN / "metagraph" / "varstore_mlp.ckpt.meta").read_bytes())

    def nodes(mg: Any) -> list[tuple[str, str, list[str]]]:
        return [(n.name, n.op, list(n.input)) for n in mg.graph_def.node]

    assert nodes(fresh) == nodes(committed), "rerun tests/golden/make_varstore_metagraph.py"
    assert fresh.saver_def == committed.saver_def


def test_clear_extraneous_savers_keeps_one_savers_nodes() -> None:
    v = tf.get_variable("v", [2])
    tf.train.Saver()
    second = tf.train.Saver([v])
    mg = second.export_meta_graph(clear_extraneous_savers=True)
    assert sorted({n.name.split("/")[0] for n in mg.graph_def.node}) == ["save_1", "v"]
    assert mg.saver_def.restore_op_name == "save_1/restore_all"


def test_save_without_protobuf_skips_the_meta_graph(tmp_path: Path, monkeypatch: Any,
                                                    caplog: Any) -> None:
    """protobuf comes with tensorboardX; were it missing, the checkpoint is still saved."""
    import sys

    tf.get_variable("v", [2])
    saver = tf.train.Saver()
    monkeypatch.setitem(sys.modules, "google.protobuf", None)
    with caplog.at_level(logging.WARNING, logger="varstore"):
        path = saver.save(None, str(tmp_path / "m"))
    assert os.path.exists(path + ".index") and not os.path.exists(path + ".meta")
    assert "protobuf is not installed: no MetaGraph written" in caplog.text
