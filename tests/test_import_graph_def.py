"""tf.import_graph_def: varstore graphs survive as_graph_def -> import_graph_def with the
same values and static shapes, imports are atomic, names follow TF's rules, and every op
type varstore runs has TF's OpDef. (TF-written GraphDefs: tests/golden/scenarios_metagraph.py.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from google.protobuf import text_format

import varstore as tf
from varstore.errors import NotFoundError
from varstore.framework import op_def_registry, op_registry

Program = Callable[[], tuple[dict[str, Any], dict[str, Any]]]
RNG = np.random.default_rng(0)


def _x(shape: tuple[int, ...]) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


def _mlp() -> tuple[dict[str, Any], dict[str, Any]]:
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.constant(_x((3, 4)))
    h = tf.nn.relu(tf.nn.bias_add(tf.matmul(x, w), tf.constant(_x((4,)))))
    out = tf.nn.softmax(tf.matmul(h, tf.constant(_x((4, 2)))), name="probs")
    loss = tf.reduce_mean(tf.reduce_sum(tf.square(out), axis=1))
    return {"out": out, "loss": loss, "argmax": tf.argmax(out, 1)}, {x: _x((5, 3))}


def _conv() -> tuple[dict[str, Any], dict[str, Any]]:
    x = tf.placeholder(tf.float32, [None, 8, 8, 3], name="images")
    c = tf.nn.relu(tf.nn.conv2d(x, tf.constant(_x((3, 3, 3, 4))), [1, 1, 1, 1], "SAME"))
    p = tf.nn.max_pool(c, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    a = tf.nn.avg_pool(p, [1, 2, 2, 1], [1, 1, 1, 1], "SAME")
    y, m, v = tf.nn.fused_batch_norm(a, tf.ones([4]), tf.zeros([4]), epsilon=1e-3)
    d = tf.nn.depthwise_conv2d(y, tf.constant(_x((2, 2, 4, 2))), [1, 1, 1, 1], "VALID")
    flat = tf.reshape(d, [-1, 3 * 3 * 8])
    return {"pool": p, "bn": y, "mean": m, "depthwise": d, "flat": flat}, \
        {x: _x((2, 8, 8, 3))}


def _arrays() -> tuple[dict[str, Any], dict[str, Any]]:
    x = tf.placeholder(tf.float32, [None, 4, 6], name="x")
    t = tf.transpose(x, [0, 2, 1])
    s = tf.strided_slice(x, [0, 1, 0], [0, 3, 6], [1, 1, 2], begin_mask=1, end_mask=1)
    parts = tf.split(x, 3, axis=2)
    st = tf.stack(parts, axis=1)
    un = tf.unstack(x, axis=1)
    cat = tf.concat([x, x * 2.0], axis=-1)
    g = tf.gather(x, [2, 0], axis=1)
    e = tf.expand_dims(tf.squeeze(tf.slice(x, [0, 0, 0], [-1, 1, -1]), axis=1), -1)
    pad = tf.pad(x, [[0, 0], [1, 2], [0, 1]])
    tile = tf.tile(x, [1, 2, 1])
    shape = tf.shape(x)
    rs = tf.reshape(x, tf.stack([shape[0], 24]))
    oh = tf.one_hot(tf.argmax(x, axis=2), 6)
    fill = tf.fill(tf.stack([shape[0], 2]), 3.0)
    where = tf.where(x > 0.0, x, tf.zeros_like(x))
    r = tf.range(0, 10, 3)
    top, idx = tf.nn.top_k(x, 2)
    return {"t": t, "s": s, "st": st, "un": un[1], "cat": cat, "g": g, "e": e, "pad": pad,
            "tile": tile, "rs": rs, "oh": oh, "fill": fill, "where": where, "range": r,
            "top": top, "idx": idx, "cast": tf.cast(x, tf.int32),
            "max": tf.reduce_max(x, axis=[1, 2], keepdims=True),
            "prod": tf.reduce_prod(x + 2.0, axis=-1),
            "any": tf.reduce_any(x > 1.0, axis=0)}, {x: _x((3, 4, 6))}


def _cond_and_variables() -> tuple[dict[str, Any], dict[str, Any]]:
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    flag = tf.placeholder(tf.bool, [], name="flag")
    v = tf.get_variable("v", [2, 2], initializer=tf.constant_initializer([[1., 2.], [3., 4.]]))
    y = tf.cond(flag, lambda: tf.matmul(x, v), lambda: x - 1.0)
    z = tf.identity(y, name="z")
    tf.global_variables_initializer()  # "init", run first by _run
    return {"z": z}, {x: _x((3, 2)), flag: True}


def _random_and_math() -> tuple[dict[str, Any], dict[str, Any]]:
    tf.set_random_seed(3)
    u = tf.random_uniform([3, 2], seed=1)
    n = tf.random_normal([2], seed=2)
    t = tf.truncated_normal([4], seed=4)
    a = tf.constant([[1., -2.], [3., 0.5]])
    return {"u": u, "n": n, "t": t, "log": tf.log1p(tf.abs(a)), "pow": tf.pow(a, 2.0),
            "floordiv": tf.floordiv(a, 0.7), "max": tf.maximum(a, 0.0),
            "cmp": tf.logical_and(a > 0.0, a < 2.0), "mm": tf.matmul(a, a, transpose_b=True),
            "sel": tf.where(a > 0.0, a, -a), "mean": tf.reduce_mean(a, 0),
            "l2": tf.nn.l2_loss(a), "xent": tf.nn.softmax_cross_entropy_with_logits_v2(
                labels=tf.nn.softmax(a), logits=a)}, {}


def _training() -> tuple[dict[str, Any], dict[str, Any]]:
    """Variables trained by several optimizers: the gradient and update ops too."""
    x = tf.placeholder(tf.float32, [None, 6, 6, 2], name="x")
    h = tf.layers.conv2d(x, 3, 3, activation=tf.nn.relu)
    h = tf.layers.batch_normalization(h, training=True)
    h = tf.layers.max_pooling2d(h, 2, 2)
    logits = tf.layers.dense(tf.layers.flatten(h), 2)
    loss = tf.losses.sparse_softmax_cross_entropy(tf.constant([0, 1]), logits)
    step = tf.train.get_or_create_global_step()
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train = tf.group(tf.train.AdamOptimizer(0.01).minimize(loss, global_step=step),
                         tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss),
                         tf.train.RMSPropOptimizer(0.1).minimize(loss))
    with tf.control_dependencies([train]):
        after = tf.identity(loss)
    init = tf.global_variables_initializer()
    with tf.control_dependencies([init]):
        first = tf.identity(logits)
    del first
    return {"loss": loss}, {x: _x((2, 6, 6, 2))}


PROGRAMS: dict[str, Program] = {"mlp": _mlp, "conv": _conv, "arrays": _arrays,
                                "cond_and_variables": _cond_and_variables,
                                "random_and_math": _random_and_math}
VALIDATED = {**PROGRAMS, "training": _training}


def _run(fetches: dict[str, Any], feed: dict[str, Any]) -> dict[str, Any]:
    g = tf.get_default_graph()
    with tf.Session() as s:
        if "init" in g._nodes_by_name:
            s.run("init")
        return dict(zip(fetches, s.run(list(fetches.values()), feed)))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_round_trip_values_and_shapes(name: str) -> None:
    g0 = tf.Graph()
    with g0.as_default():
        fetches, feed = PROGRAMS[name]()
        want = _run(fetches, feed)
    gd = g0.as_graph_def()
    g1 = tf.Graph()
    with g1.as_default():
        tf.import_graph_def(gd, name="")
        assert [o.name for o in g1.get_operations()] == [o.name for o in g0.get_operations()]
        got_fetches = {k: g1.get_tensor_by_name(t.name) for k, t in fetches.items()}
        for k, t in fetches.items():
            assert got_fetches[k].shape.as_list() == t.shape.as_list(), k
            assert got_fetches[k].dtype == t.dtype, k
        got = _run(got_fetches, {g1.get_tensor_by_name(t.name): v for t, v in feed.items()})
    for k in want:
        np.testing.assert_array_equal(np.asarray(got[k]), np.asarray(want[k]), err_msg=k)


@pytest.mark.parametrize("name", sorted(VALIDATED))
def test_graph_defs_are_valid_for_tf(name: str) -> None:
    """Every node varstore writes has TF's OpDef, no attr TF's lacks, every attr TF needs
    (what TF's importer checks), so TF imports the GraphDef."""
    g = tf.Graph()
    with g.as_default():
        VALIDATED[name]()
    for node in g.as_graph_def().node:
        op_def = op_def_registry.get(node.op)
        assert op_def is not None, node.op
        names = {a.name for a in op_def.attr}
        extra = [k for k in node.attr if k not in names and not k.startswith("_")]
        assert not extra, (node.name, node.op, extra)
        for a in op_def.attr:
            assert a.name in node.attr or a.HasField("default_value"), (node.name, a.name)
            if a.name in node.attr:
                assert op_def_registry.attr_problem(node.attr[a.name], a) is None, node.name


def test_every_kernel_op_type_has_an_op_def() -> None:
    internal = {"ReducedShape", "ReportUninitialized"}
    missing = sorted(t for t, info in op_registry._REGISTRY.items()
                     if info.kernel is not None and not t.startswith("_") and t not in internal
                     and op_def_registry.get(t) is None)
    assert not missing, ("record their OpDefs: tests/golden/record_op_defs.py "
                         + " ".join(missing))


def test_gradients_of_an_imported_graph() -> None:
    g0 = tf.Graph()
    with g0.as_default():
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        w = tf.constant(_x((3, 2)), name="w")
        loss = tf.reduce_sum(tf.nn.sigmoid(tf.matmul(x, w)), name="loss")
        (want_t,) = tf.gradients(loss, [x])
        feed = _x((4, 3))
        with tf.Session() as s:
            want = s.run(want_t, {x: feed})
    with tf.Graph().as_default():
        loss, x = tf.import_graph_def(g0.as_graph_def(), return_elements=["loss:0", "x:0"])
        (grad,) = tf.gradients(loss, [x])
        with tf.Session() as s:
            np.testing.assert_allclose(s.run(grad, {x: feed}), want, rtol=1e-6)


def _gd(text: str) -> Any:
    g = tf.GraphDef()
    text_format.Merge(text, g)
    return g


_GOOD = ('node { name: "a" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } '
         'attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 2 } '
         '} } } node { name: "v" op: "VarHandleOp" attr { key: "dtype" value { type: DT_FLOAT '
         '} } attr { key: "shape" value { shape {} } } attr { key: "shared_name" value { s: '
         '"v" } } } ')


def test_a_failed_import_leaves_the_graph_as_it_was() -> None:
    g = tf.get_default_graph()
    tf.constant(1.0, name="before")
    n_ops, n_vars = len(g.get_operations()), len(g._store)
    bad = _gd(_GOOD + 'node { name: "b" op: "MatMul" input: "a" input: "a" attr { key: "T" '
              'value { type: DT_FLOAT } } }')
    with pytest.raises(ValueError, match="Shape must be rank 2 but is rank 0"):
        tf.import_graph_def(bad)
    assert len(g.get_operations()) == n_ops and len(g._store) == n_vars
    assert "import/a" not in g._nodes_by_name
    (a,) = tf.import_graph_def(_gd(_GOOD), return_elements=["a:0"])
    assert a.name == "import_1/a:0" and a.consumers() == []


def test_unsupported_op_types_are_named() -> None:
    with pytest.raises(NotFoundError, match="Op type not registered 'FooBar'"):
        tf.import_graph_def(_gd('node { name: "f" op: "FooBar" }'))
    with pytest.raises(NotFoundError, match="varstore implements no kernel for the TF op "
                       "type StatelessIf"):
        tf.import_graph_def(_gd('node { name: "f" op: "StatelessIf" }'))
    g0 = tf.Graph()
    with g0.as_default():
        tf.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant(0)])
    with pytest.raises(ValueError, match=r"cannot import node 'import(_\d)?/while' of op type "
                       "StatelessWhile: its loop body is a function"):
        tf.import_graph_def(g0.as_graph_def())


def test_imported_names_are_used_and_variables_are_store_variables() -> None:
    g = tf.get_default_graph()
    n_vars = len(g._store)
    tf.import_graph_def(_gd(_GOOD), name="")
    assert tf.constant(3.0, name="a").name == "a_1:0"
    handle = g.get_operation_by_name("v")
    assert handle.type == "VarHandleOp" and g._store.graph_name(handle._data) == "v"
    assert len(g._store) == n_vars + 1
    assert g.get_tensor_by_name("v:0").shape.as_list() == []
    with pytest.raises(KeyError, match="exists but only has 1 outputs"):
        g.get_tensor_by_name("v:1")
    assert tf.global_variables() == []  # (a GraphDef has no collections)
    (again,) = tf.import_graph_def(_gd(_GOOD), name="", return_elements=["v"])
    assert again.name == "v_1" and again._data == handle._data  # one shared_name: one var


def test_merge_waits_for_one_input_and_back_edges_are_filled() -> None:
    """TF's order: a Merge is made once one data input exists; a later input is a back
    edge added after the other nodes."""
    text = (
        'node { name: "p" op: "Placeholder" attr { key: "dtype" value { type: DT_BOOL } } } '
        'node { name: "x" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { '
        'key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 3 } } } } '
        'node { name: "sw" op: "Switch" input: "x" input: "p" attr { key: "T" value { type: '
        'DT_FLOAT } } } '
        'node { name: "m" op: "Merge" input: "sw:1" input: "late" attr { key: "T" value { '
        'type: DT_FLOAT } } attr { key: "N" value { i: 2 } } } '
        'node { name: "late" op: "Neg" input: "sw" attr { key: "T" value { type: DT_FLOAT } '
        '} }')
    m, p = tf.import_graph_def(_gd(text), name="", return_elements=["m:0", "p:0"])
    g = tf.get_default_graph()
    assert [o.name for o in g.get_operations()] == ["p", "x", "sw", "m", "late"]
    assert [t.name for t in m.op.inputs] == ["sw:1", "late:0"]
    with tf.Session() as s:
        assert s.run(m, {p: True}) == 3.0 and s.run(m, {p: False}) == -3.0


def test_producer_op_list_drops_newer_default_attrs() -> None:
    from varstore.framework.meta_graph_pb2 import OpList

    producer = OpList()
    neg = producer.op.add()
    neg.CopyFrom(op_def_registry.get("Neg"))
    extra = neg.attr.add(name="new_attr", type="int")
    extra.default_value.i = 7
    text = _GOOD + ('node { name: "b" op: "Neg" input: "a" attr { key: "T" value { type: '
                    'DT_FLOAT } } attr { key: "new_attr" value { i: 7 } } }')
    gd = _gd(text)
    (b,) = tf.import_graph_def(gd, return_elements=["b"], producer_op_list=producer)
    assert "new_attr" not in b.node_def.attr and "new_attr" not in gd.node[2].attr


def test_graph_def_argument_forms() -> None:
    gd = _gd(_GOOD)
    tf.import_graph_def(gd, name="p")  # adds TF's attr defaults to the caller's GraphDef
    assert "container" in gd.node[1].attr
    with pytest.raises(TypeError, match="Argument `graph_def` must be a GraphDef proto."):
        tf.import_graph_def(gd.SerializeToString())
    with pytest.raises(TypeError, match="All keys for argument `input_map` must be strings"):
        tf.import_graph_def(gd, input_map={1: tf.constant(1.0)})


def test_graph_util_sub_graphs_and_checks() -> None:
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.identity(tf.check_numerics(x * 2.0, "bad"), name="y")
    tf.constant(1.0, name="unused")
    gd = tf.get_default_graph().as_graph_def()
    sub = tf.graph_util.extract_sub_graph(gd, ["y"])
    assert [n.name for n in sub.node] == ["x", "mul/y", "mul", "CheckNumerics", "y"]
    pruned = tf.graph_util.remove_training_nodes(sub, protected_nodes=["y"])
    assert [n.name for n in pruned.node] == ["x", "mul/y", "mul", "y"]
    assert list(pruned.node[-1].input) == []  # (TF drops, not rewires, a CheckNumerics input)
    with pytest.raises(TypeError, match="graph_def must be a graph_pb2.GraphDef proto"):
        tf.graph_util.extract_sub_graph(b"", ["y"])
    with pytest.raises(TypeError, match="dest_nodes must be an iterable of strings"):
        tf.graph_util.extract_sub_graph(gd, "y")
    with pytest.raises(AssertionError, match="nope is not in graph"):
        tf.graph_util.extract_sub_graph(gd, ["nope"])
    assert tf.graph_util.must_run_on_cpu(tf.constant(1).op)
    assert not tf.graph_util.must_run_on_cpu(y.op)
    assert tf.graph_util.must_run_on_cpu(gd.node[1]) is False
    assert tf.graph_util.tensor_shape_from_node_def_name(
        tf.get_default_graph(), "y").as_list() == [2]


def _var_nodes(name: str, value: np.ndarray) -> str:
    vals = " ".join(f"float_val: {v}" for v in value.reshape(-1))
    dims = " ".join(f"dim {{ size: {d} }}" for d in value.shape)
    return (
        f'node {{ name: "{name}" op: "VarHandleOp" attr {{ key: "dtype" value {{ type: '
        f'DT_FLOAT }} }} attr {{ key: "shape" value {{ shape {{ {dims} }} }} }} attr {{ key: '
        f'"shared_name" value {{ s: "{name}" }} }} }} '
        f'node {{ name: "{name}/init" op: "Const" attr {{ key: "dtype" value {{ type: DT_FLOAT '
        f'}} }} attr {{ key: "value" value {{ tensor {{ dtype: DT_FLOAT tensor_shape {{ {dims} '
        f'}} {vals} }} }} }} }} '
        f'node {{ name: "{name}/Assign" op: "AssignVariableOp" input: "{name}" input: '
        f'"{name}/init" attr {{ key: "dtype" value {{ type: DT_FLOAT }} }} }} ')


def test_resource_gather_and_sparse_apply_kernels() -> None:
    """What TF's embedding_lookup and its sparse optimizers put in a graph: ResourceGather
    and ResourceSparseApplyAdagrad (rows of the variable and its accumulator)."""
    emb = np.arange(12, dtype=np.float32).reshape(4, 3) / 4
    text = (_var_nodes("emb", emb) + _var_nodes("acc", np.full((4, 3), 0.1, np.float32)) +
            'node { name: "ids" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 '
            '} } attr { key: "shape" value { shape { dim { size: -1 } } } } } '
            'node { name: "rows" op: "ResourceGather" input: "emb" input: "ids" attr { key: '
            '"dtype" value { type: DT_FLOAT } } attr { key: "Tindices" value { type: DT_INT32 '
            '} } } '
            'node { name: "lr" op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr '
            '{ key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {} float_val: 0.5 } '
            '} } } '
            'node { name: "apply" op: "ResourceSparseApplyAdagrad" input: "emb" input: "acc" '
            'input: "lr" input: "rows" input: "ids" attr { key: "T" value { type: DT_FLOAT } } '
            'attr { key: "Tindices" value { type: DT_INT32 } } }')
    rows, apply = tf.import_graph_def(_gd(text), name="", return_elements=["rows:0", "apply"])
    assert rows.shape.as_list() == [None, 3]
    with tf.Session() as s:
        s.run(["emb/Assign", "acc/Assign"])
        np.testing.assert_array_equal(s.run(rows, {"ids:0": [2, 0]}), emb[[2, 0]])
        s.run(apply, {"ids:0": [2, 0]})
        after = s.run(rows, {"ids:0": [0, 1, 2, 3]})
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[0\] = 7 is not in "
                           r"\[0, 4\)"):
            s.run(rows, {"ids:0": [7]})
    acc = 0.1 + emb[[2, 0]] ** 2
    want = emb.copy()
    want[[2, 0]] -= 0.5 * emb[[2, 0]] / np.sqrt(acc)
    np.testing.assert_allclose(after, want, rtol=1e-6)


def test_equality_without_incompatible_shape_error() -> None:
    # TF 2's `==` on tensors builds Equal with incompatible_shape_error=false: operands that
    # do not broadcast compare unequal instead of failing (TF's kernel)
    gd = text_format.Parse("""
        node { name: "a" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "b" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } }
        node { name: "eq" op: "Equal" input: "a" input: "b"
               attr { key: "T" value { type: DT_FLOAT } }
               attr { key: "incompatible_shape_error" value { b: false } } }
        node { name: "ne" op: "NotEqual" input: "a" input: "b"
               attr { key: "T" value { type: DT_FLOAT } }
               attr { key: "incompatible_shape_error" value { b: false } } }
        """, tf.GraphDef())
    with tf.Graph().as_default() as g:
        tf.import_graph_def(gd, name="")
        a, b, eq, ne = (g.get_tensor_by_name(n + ":0") for n in ("a", "b", "eq", "ne"))
        with tf.Session() as s:
            assert s.run([eq, ne], {a: [1.0, 2.0], b: [1.0, 2.0, 3.0]}) == [False, True]
            v = s.run([eq, ne], {a: [1.0, 2.0], b: [1.0, 3.0]})
        assert v[0].tolist() == [True, False] and v[1].tolist() == [False, True]
        with tf.Graph().as_default():
            e = tf.equal(tf.zeros([2]), 1.0)
            assert e.op.get_attr("incompatible_shape_error") is True
            with pytest.raises(ValueError, match=r"Equal\[T=DT_FLOAT, incompatible_shape_error"
                                                 r"=true\]"):
                tf.not_equal(tf.zeros([2]), tf.zeros([3]))
