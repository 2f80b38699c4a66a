"""tf.nn.embedding_lookup (sharded params, max_norm), embedding_lookup_sparse and
safe_embedding_lookup_sparse against NumPy references, their gradients to the params, the
graphs TF builds (fast path, Unique + lookup, ResourceGather) and a training step."""

from __future__ import annotations

import numpy as np
import pytest

import varstore as tf

INIT = np.arange(28, dtype=np.float32).reshape(7, 4) / 10.0
ROWS = [[0, 1], [3], [2, 5, 2], []]
WEIGHTS = [[0.5, 1.0], [2.0], [1.5, -0.5, 0.25], []]


def _sparse(values, dtype=None):
    idx = [[r, c] for r, row in enumerate(values) for c in range(len(row))]
    flat = [x for row in values for x in row]
    return tf.SparseTensor(idx, tf.constant(flat, dtype), [len(values), 3])


def _reference(combiner, weights=True, table=INIT):
    out = np.zeros((len(ROWS), table.shape[1]), np.float32)
    for r, (ids, ws) in enumerate(zip(ROWS, WEIGHTS)):
        if not ids:
            continue
        ws = ws if weights else [1.0] * len(ids)
        total = sum(w * table[i] for i, w in zip(ids, ws))
        denom = {"sum": 1.0, "mean": sum(ws), "sqrtn": np.sqrt(sum(w * w for w in ws))}
        out[r] = total / denom[combiner]
    return out[:3]


def _run(fetches):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run(fetches)


@pytest.mark.parametrize("combiner", ["sum", "mean", "sqrtn"])
@pytest.mark.parametrize("layout", ["one", "mod", "div", "tensor"])
def test_embedding_lookup_sparse_matches_reference(combiner, layout) -> None:
    if layout == "one":
        params = tf.get_variable("t", initializer=tf.constant(INIT))
    elif layout == "mod":
        params = [tf.get_variable(f"m{i}", initializer=tf.constant(INIT[i::3])) for i in range(3)]
    elif layout == "div":
        params = [tf.get_variable("d0", initializer=tf.constant(INIT[:3])),
                  tf.get_variable("d1", initializer=tf.constant(INIT[3:5])),
                  tf.get_variable("d2", initializer=tf.constant(INIT[5:]))]
    else:
        params = tf.constant(INIT)
    strategy = "div" if layout == "div" else "mod"
    ids = _sparse(ROWS, tf.int64)
    w = _sparse(WEIGHTS)
    weighted = tf.nn.embedding_lookup_sparse(params, ids, w, combiner=combiner,
                                             partition_strategy=strategy)
    plain = tf.nn.embedding_lookup_sparse(params, ids, None, combiner=combiner,
                                          partition_strategy=strategy)
    got_w, got_p = _run([weighted, plain])
    np.testing.assert_allclose(got_w, _reference(combiner), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got_p, _reference(combiner, weights=False), rtol=1e-5,
                               atol=1e-6)
    assert weighted.shape.as_list() == [None, 4]


def test_embedding_lookup_sparse_graph_paths() -> None:
    table = tf.constant(INIT)
    var = tf.get_variable("v", initializer=tf.constant(INIT))
    ids = _sparse(ROWS, tf.int64)
    fast = tf.nn.embedding_lookup_sparse(table, ids, None, combiner="sum")
    slow = tf.nn.embedding_lookup_sparse(var, ids, None, combiner="sum")
    assert fast.op.type == "SparseSegmentSum" and fast.op.get_attr("sparse_gradient")
    assert slow.op.type == "SparseSegmentSum" and not slow.op.get_attr("sparse_gradient")
    types = {o.type for o in tf.get_default_graph().get_operations()
             if o.name.startswith("embedding_lookup_sparse_1/")}
    assert {"Unique", "ResourceGather", "Identity"} <= types
    g = tf.gradients(fast, table)[0]
    # TF 2.21: the sparse_gradient path's IndexedSlices, values from SparseSegmentSumGradV2
    assert isinstance(g, tf.IndexedSlices) and g.op.type == "SparseSegmentSumGradV2"


def test_embedding_lookup_sparse_gradient_matches_numeric() -> None:
    var = tf.get_variable("g", initializer=tf.constant(INIT))
    out = tf.nn.embedding_lookup_sparse(var, _sparse(ROWS, tf.int64), _sparse(WEIGHTS),
                                        combiner="sqrtn")
    coef = tf.constant(np.random.RandomState(0).randn(3, 4).astype(np.float32))
    g = tf.gradients(tf.reduce_sum(out * coef), var)[0]
    assert isinstance(g, tf.IndexedSlices)  # a gather's gradient, as TF's
    gv, cv = _run([tf.convert_to_tensor(g), coef])
    ref = np.zeros_like(INIT)
    for r, (ids, ws) in enumerate(zip(ROWS[:3], WEIGHTS[:3])):
        norm = np.sqrt(sum(w * w for w in ws))
        for i, w in zip(ids, ws):
            ref[i] += cv[r] * w / norm
    np.testing.assert_allclose(gv, ref, rtol=1e-5, atol=1e-6)


def test_embedding_lookup_max_norm_clips_each_row() -> None:
    table = tf.constant(INIT)
    out = _run(tf.nn.embedding_lookup(table, [[6, 0], [2, 2]], max_norm=1.0))
    norms = np.linalg.norm(INIT, axis=1)
    ref = INIT * np.minimum(1.0, 1.0 / np.maximum(norms, 1e-30))[:, None]
    np.testing.assert_allclose(out, ref[[[6, 0], [2, 2]]], rtol=1e-5)


def test_resource_gather_reads_the_variable_and_checks_indices() -> None:
    var = tf.get_variable("r", initializer=tf.constant(INIT))
    g = tf.gather(var, [[1, 6]])
    assert g.op.type == "ResourceGather" and g.op.name == "Gather"
    assert g.shape.as_list() == [1, 2, 4]
    grad = tf.gradients(tf.reduce_sum(g), var)[0]
    assert isinstance(grad, tf.IndexedSlices) and grad.dense_shape.op.type == "Const"
    gv, grv = _run([g, tf.convert_to_tensor(grad)])
    np.testing.assert_allclose(gv, INIT[[[1, 6]]])
    assert grv.sum(1).tolist() == [0, 4, 0, 0, 0, 0, 4]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[0,1\] = 9 is not in"):
        _run(tf.gather(var, [[1, 9]]))


def test_safe_embedding_lookup_sparse_prunes_and_fills() -> None:
    table = tf.get_variable("s", initializer=tf.constant(INIT))
    ids = _sparse([[0, -1], [3], [], [2, 5, 2]], tf.int64)
    ws = _sparse([[1.0, 1.0], [-2.0], [], [1.5, 0.5, 1.0]])
    mean = tf.nn.safe_embedding_lookup_sparse(table, ids, ws)
    dflt = tf.nn.safe_embedding_lookup_sparse(table, ids, ws, combiner="sum", default_id=6)
    mv, dv = _run([mean, dflt])
    np.testing.assert_allclose(mv[0], INIT[0])
    np.testing.assert_allclose(mv[1], 0.0)
    np.testing.assert_allclose(mv[2], 0.0)
    np.testing.assert_allclose(mv[3], (1.5 * INIT[2] + 0.5 * INIT[5] + INIT[2]) / 3.0,
                               rtol=1e-5)
    np.testing.assert_allclose(dv[1], -2.0 * INIT[3])
    np.testing.assert_allclose(dv[2], INIT[6])
    assert mean.shape.as_list() == [4, 4]


def test_embedding_lookup_sparse_training_step_lowers_the_loss() -> None:
    table = tf.get_variable("train", initializer=tf.constant(INIT))
    out = tf.nn.embedding_lookup_sparse(table, _sparse(ROWS, tf.int64), _sparse(WEIGHTS))
    loss = tf.reduce_mean(tf.square(out - 1.0))
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        before = s.run(loss)
        for _ in range(5):
            s.run(step)
        after, tv = s.run([loss, table])
    assert after < before
    np.testing.assert_allclose(tv[[4, 6]], INIT[[4, 6]])
