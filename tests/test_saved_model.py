"""tf.saved_model: SavedModelBuilder / simple_save write TF's layout and protos, loader.load
restores and serves them (tags, import scopes, input_map, assets, main ops, text files), the
SignatureDef / TensorInfo helpers, TF's errors, tf.io.write_graph, and the committed
SavedModel fixtures (TF's loaded here; varstore's still what varstore writes). (TF loading
varstore's SavedModel and varstore TF's, against recorded values:
tests/golden/scenarios_savedmodel.py.)
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
from varstore.framework import meta_graph_pb2 as pb
from varstore.saved_model import loader as loader_lib

GOLDEN = Path(__file__).parent / "golden"
FIXTURES = GOLDEN / "savedmodel"
XS = np.arange(8, dtype=np.float32).reshape(2, 4) / 4.0 - 1.0


def _model() -> tuple[Any, Any, Any]:
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    w = tf.get_variable("w", initializer=tf.constant(
        np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(4, 3)))
    b = tf.get_variable("b", [3], initializer=tf.constant_initializer(0.25))
    y = tf.nn.sigmoid(tf.matmul(x, w) + b, name="y")
    return x, y, w


def _fixture_program() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_savedmodel_fixtures", GOLDEN / "make_savedmodel_fixtures.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_simple_save_writes_tf_layout_and_loads(tmp_path: Path) -> None:
    export = tmp_path / "m"
    x, y, _ = _model()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        want = s.run(y, {x: XS})
        tf.saved_model.simple_save(s, str(export), {"x": x}, {"y": y})
    assert sorted(str(p.relative_to(export)) for p in export.rglob("*") if p.is_file()) == [
        "saved_model.pb", "variables/variables.data-00000-of-00001",
        "variables/variables.index"]
    sm = loader_lib.parse_saved_model(export)
    assert sm.saved_model_schema_version == 1
    mg = sm.meta_graphs[0]
    assert list(mg.meta_info_def.tags) == ["serve"]
    assert mg.saver_def.sharded and mg.saver_def.version == pb.SaverDef.V2
    sig = mg.signature_def["serving_default"]
    assert sig.method_name == "tensorflow/serving/predict"
    assert sig.inputs["x"].name == "x:0" and sig.outputs["y"].name == "y:0"
    assert [d.size for d in sig.inputs["x"].tensor_shape.dim] == [-1, 4]
    # deterministic bytes: the file is the proto serialized with sorted maps
    assert (export / "saved_model.pb").read_bytes() == sm.SerializeToString(deterministic=True)
    with tf.Session(graph=tf.Graph()) as s:
        got = tf.saved_model.loader.load(s, [tf.saved_model.SERVING], str(export))
        assert tf.get_default_graph() is s.graph
        assert [v.name for v in tf.global_variables()] == ["w:0", "b:0"]
        np.testing.assert_array_equal(s.run(got.signature_def["serving_default"]
                                            .outputs["y"].name, {"x:0": XS}), want)


def test_builder_text_two_meta_graphs_scope_and_input_map(tmp_path: Path) -> None:
    export = tmp_path / "m"
    b = tf.saved_model.builder.SavedModelBuilder(str(export))
    x, y, _ = _model()
    sig = tf.saved_model.predict_signature_def({"x": x}, {"y": y})
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        want = s.run(y, {x: XS})
        b.add_meta_graph_and_variables(s, ["serve"], {"serving_default": sig})
        b.add_meta_graph(["eval", "gpu"], {"e": sig}, strip_default_attrs=True)
    path = b.save(as_text=True)
    assert path == os.fsencode(str(export / "saved_model.pbtxt"))
    assert not (export / "saved_model.pb").exists()
    with tf.Session(graph=tf.Graph()) as s:
        mg = tf.saved_model.load(s, {"gpu", "eval"}, export, import_scope="imp")
        assert mg.meta_info_def.stripped_default_attrs
        assert mg.saver_def.restore_op_name == "imp/save_1/restore_all"  # (TF's, in place)
        out = tf.saved_model.get_tensor_from_tensor_info(mg.signature_def["e"].outputs["y"],
                                                         import_scope="imp")
        assert out.name == "imp/y:0"
        np.testing.assert_array_equal(s.run(out, {"imp/x:0": XS}), want)
    with tf.Session(graph=tf.Graph()) as s:
        feed = tf.constant(XS)
        tf.saved_model.loader.load(s, ["serve"], export, input_map={"x:0": feed})
        np.testing.assert_array_equal(s.run("y:0"), want)


def test_assets_and_main_op(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "a").mkdir(parents=True)
    (src / "b").mkdir()
    (src / "a" / "vocab.txt").write_text("abc")
    (src / "b" / "vocab.txt").write_text("abcdef")
    a1 = tf.constant(str(src / "a" / "vocab.txt"), name="a1")
    a2 = tf.constant(str(src / "b" / "vocab.txt"), name="a2")
    n = tf.Variable(tf.zeros([2], tf.int32), trainable=False, name="n",
                    collections=[tf.GraphKeys.LOCAL_VARIABLES])
    sizes = tf.stack([tf.size(tf.decode_raw(tf.read_file(a), tf.uint8)) for a in (a1, a2)])
    init = tf.group(tf.assign(n, sizes), name="init_n")
    export = tmp_path / "m"
    b = tf.saved_model.Builder(export)
    with tf.Session() as s:
        b.add_meta_graph_and_variables(s, ["serve"], assets_collection=[a1, a2],
                                       main_op=init)
    b.save()
    assert sorted(p.name for p in (export / "assets").iterdir()) == ["vocab.txt",
                                                                      "vocab.txt_1"]
    mg = loader_lib.parse_saved_model(export).meta_graphs[0]
    anys = mg.collection_def["saved_model_assets"].any_list.value
    assert [a.type_url for a in anys] == ["type.googleapis.com/tensorflow.AssetFileDef"] * 2
    assert [pb.AssetFileDef.FromString(a.value).filename for a in anys] == ["vocab.txt",
                                                                             "vocab.txt_1"]
    assert list(mg.collection_def["saved_model_main_op"].node_list.value) == ["init_n"]
    with tf.Session(graph=tf.Graph()) as s:
        tf.saved_model.loader.load(s, ["serve"], export)
        # the main op ran with the asset tensors fed the copies under assets/
        np.testing.assert_array_equal(s.run("n/Read/ReadVariableOp:0"), [3, 6])
        assert tf.get_collection("saved_model_assets")[0].type_url.endswith("AssetFileDef")


def test_builder_errors(tmp_path: Path) -> None:
    x, y, _ = _model()
    (tmp_path / "f").write_text("x")
    with pytest.raises(AssertionError, match="already exists, and isn't empty"):
        tf.saved_model.Builder(tmp_path)
    b = tf.saved_model.Builder(tmp_path / "m")
    with pytest.raises(AssertionError, match="has not been saved yet"):
        b.add_meta_graph(["serve"])
    sig = tf.saved_model.predict_signature_def({"x": x}, {"y": y})
    no_dtype = pb.SignatureDef()
    no_dtype.inputs["x"].name = "x:0"
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        with pytest.raises(KeyError, match="reserved for initialization"):
            b.add_meta_graph_and_variables(s, ["t"], {"__saved_model_init_op": sig})
        with pytest.raises(AssertionError, match="must have the dtype field set"):
            b.add_meta_graph_and_variables(s, ["t"], {"k": no_dtype})
        with pytest.raises(TypeError, match="to be an Operation"):
            b.add_meta_graph_and_variables(s, ["t"], legacy_init_op=y)
        b.add_meta_graph_and_variables(s, ["serve"], {"k": sig}, main_op=tf.no_op())
        with pytest.raises(AssertionError, match="already been saved"):
            b.add_meta_graph_and_variables(s, ["serve"])
        with pytest.raises(ValueError, match="already contains one or more main ops"):
            b.add_meta_graph(["t"], main_op=tf.no_op())
    b.save()
    with tf.Session(graph=tf.Graph()) as s, pytest.raises(
            RuntimeError, match=r"MetaGraphDef associated with tags 'train' could not be "
                                r"found in SavedModel, with available tags '\[\{'serve'\}\]'"):
        tf.saved_model.loader.load(s, ["train"], tmp_path / "m")
    with tf.Session(graph=tf.Graph()) as s, pytest.raises(
            OSError, match="SavedModel file does not exist at"):
        tf.saved_model.loader.load(s, ["serve"], tmp_path)
    (tmp_path / "saved_model.pb").write_bytes(b"\xff\xff")
    with pytest.raises(OSError, match="Cannot parse file"):
        loader_lib.parse_saved_model(tmp_path)
    assert tf.saved_model.maybe_saved_model_directory(tmp_path / "m")
    assert not tf.saved_model.contains_saved_model(tmp_path / "none")


def test_signature_defs_and_tensor_infos() -> None:
    sm = tf.saved_model
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    s = tf.placeholder(tf.string, [None], name="s")
    sp = tf.sparse_placeholder(tf.float32, [None, 5], name="sp")
    u = tf.placeholder(tf.int32, None, name="u")
    scores = tf.nn.softmax(x, name="scores")
    info = sm.build_tensor_info(sp)
    assert info.WhichOneof("encoding") == "coo_sparse"
    assert info.coo_sparse.values_tensor_name == "sp/values:0"
    back = sm.get_tensor_from_tensor_info(info)
    assert isinstance(back, tf.SparseTensor) and back.indices.name == "sp/indices:0"
    assert sm.build_tensor_info(u).tensor_shape.unknown_rank
    assert sm.build_tensor_info(tf.constant(1.0)).HasField("tensor_shape")
    assert sm.is_valid_signature(sm.classification_signature_def(s, None, scores))
    assert sm.is_valid_signature(sm.regression_signature_def(s, tf.reduce_sum(scores, 1)))
    assert not sm.is_valid_signature(sm.build_signature_def({}, {}, "custom"))
    with pytest.raises(ValueError, match="Regression input tensors must be of type string"):
        sm.regression_signature_def(x, scores)
    with pytest.raises(ValueError, match="cannot both be None"):
        sm.classification_signature_def(s, None, None)
    with pytest.raises(ValueError, match="Prediction `inputs` cannot be None or empty"):
        sm.predict_signature_def({}, {"y": x})
    sig = sm.build_signature_def(defaults={"k": tf.constant([1, 2])})
    assert sig.defaults["k"].tensor_shape.dim[0].size == 2
    with pytest.raises(ValueError, match="Unable to convert object"):
        sm.build_signature_def(defaults={"k": scores})


def test_main_op_groups_initializers() -> None:
    tf.get_variable("v", [2])
    op = tf.saved_model.main_op.main_op()
    assert op.type == "NoOp" and sorted(i.name for i in op.control_inputs) == [
        "init", "init_1", "init_all_tables"]
    with_restore = tf.saved_model.main_op_with_restore(tf.no_op(name="restore"))
    assert "restore" in [i.name for i in with_restore.control_inputs]
    with pytest.raises(TypeError, match="'inputs' should be zero or more"):
        tf.saved_model.main_op_with_restore("restore")


def test_missing_names_say_varstore_lacks_them() -> None:
    with pytest.raises(AttributeError, match=r"varstore lacks tf\.saved_model\.save"):
        tf.saved_model.save  # noqa: B018


def test_write_graph_text_and_binary(tmp_path: Path) -> None:
    tf.add(tf.constant(1.0, name="a"), 2.0, name="b")
    g = tf.get_default_graph()
    text = tf.io.write_graph(g, str(tmp_path / "d"), "g.pbtxt")
    binary = tf.train.write_graph(g.as_graph_def(), str(tmp_path / "d"), "g.pb",
                                  as_text=False)
    assert Path(binary).read_bytes() == g.as_graph_def().SerializeToString(deterministic=True)
    from google.protobuf import text_format

    gd = tf.GraphDef()
    text_format.Merge(Path(text).read_text(), gd)
    assert [n.name for n in gd.node] == ["a", "b/y", "b"]


def test_any_list_collection_round_trips_through_meta_graph() -> None:
    from google.protobuf import any_pb2

    item = any_pb2.Any(type_url="type.googleapis.com/x.Y", value=b"\x01")
    tf.add_to_collection("anys", item)
    mg = tf.train.export_meta_graph()
    assert mg.collection_def["anys"].WhichOneof("kind") == "any_list"
    with tf.Graph().as_default():
        tf.train.import_meta_graph(mg)
        assert tf.get_collection("anys") == [item]


def test_text_protos_with_datatypes_tensorboardx_lacks() -> None:
    from varstore.framework.meta_graph import parse_text

    op = parse_text('name: "X"\nattr {\n  name: "T"\n  allowed_values {\n    list {\n'
                    '      type: DT_UINT32\n      type: DT_FLOAT\n      type: DT_VARIANT_REF\n'
                    "    }\n  }\n}\n", pb.OpDef())
    assert list(op.attr[0].allowed_values.list.type) == [22, 1, 121]


def test_tf_fixture_loads_and_varstore_writes_the_same_files(tmp_path: Path) -> None:
    """TF's tf_dense: restored and served here; the same program written by varstore gives
    byte-identical variables, the same signatures, SaverDef and collections, and the
    committed varstore_dense fixture is still what varstore writes."""
    with tf.Session(graph=tf.Graph()) as s:
        mg = tf.saved_model.loader.load(s, ["serve"], FIXTURES / "tf_dense")
        assert [v.name for v in tf.local_variables()] == ["vocab_sum:0"]
        assert s.run("words:0") == 2648  # (the main op read the copied asset)
        probs = s.run(mg.signature_def["serving_default"].outputs["probs"].name,
                      {"x:0": XS})
        np.testing.assert_allclose(probs.sum(axis=1), [1.0, 1.0], rtol=1e-6)
    prog = _fixture_program()
    export = tmp_path / "vs"
    with tf.Graph().as_default():
        prog.write(tf, str(export))
    ours = loader_lib.parse_saved_model(export)
    theirs = loader_lib.parse_saved_model(FIXTURES / "tf_dense")
    committed = loader_lib.parse_saved_model(FIXTURES / "varstore_dense")
    for f in ("variables.index", "variables.data-00000-of-00001"):
        data = (export / "variables" / f).read_bytes()
        assert data == (FIXTURES / "tf_dense" / "variables" / f).read_bytes()
        assert data == (FIXTURES / "varstore_dense" / "variables" / f).read_bytes()
    for a, b, c in zip(ours.meta_graphs, theirs.meta_graphs, committed.meta_graphs):
        assert a.signature_def == b.signature_def
        assert a.saver_def == b.saver_def
        assert list(a.meta_info_def.tags) == list(b.meta_info_def.tags)
        assert sorted(a.collection_def) == sorted(b.collection_def)
        for key in a.collection_def:
            assert a.collection_def[key] == b.collection_def[key], key
        assert [(n.name, n.op) for n in a.graph_def.node] == [
            (n.name, n.op) for n in c.graph_def.node]


def test_load_without_variables_logs(tmp_path: Path, caplog: Any) -> None:
    x = tf.placeholder(tf.float32, [None], name="x")
    y = tf.identity(x * 2.0, name="y")
    with tf.Session() as s:
        tf.saved_model.simple_save(s, str(tmp_path / "m"), {"x": x}, {"y": y})
    assert not (tmp_path / "m" / "variables" / "variables.index").exists()
    with caplog.at_level(logging.INFO, logger="tensorflow"), \
            tf.Session(graph=tf.Graph()) as s:
        tf.saved_model.loader.load(s, ["serve"], tmp_path / "m")
        np.testing.assert_array_equal(s.run("y:0", {"x:0": [1.0, 2.0]}), [2.0, 4.0])
    assert "has no variables; no checkpoints were restored" in caplog.text
