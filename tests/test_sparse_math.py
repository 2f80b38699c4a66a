"""tf.sparse.add of two SparseTensors, sparse maximum/minimum, the sparse reductions and the
sparse segment reductions: values against dense NumPy references, gradients, errors."""

from __future__ import annotations

import numpy as np
import pytest

import varstore as tf


def _run(fetches, feed=None):
    with tf.Session() as s:
        return s.run(fetches, feed)


def _dense(v):
    out = np.zeros(tuple(v.dense_shape), v.values.dtype)
    for i, x in zip(v.indices, v.values):
        out[tuple(i)] += x
    return out


def test_sparse_add_matches_dense_sum_and_threshold_drops_small_sums() -> None:
    a = tf.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [2, 3])
    b = tf.SparseTensor([[0, 0], [1, 1]], [-0.95, 4.0], [2, 3])
    s, st = _run([tf.sparse_add(a, b), tf.sparse_add(a, b, threshold=0.1)])
    np.testing.assert_allclose(_dense(s), [[0.05, 0, 0], [0, 4, 2]], rtol=1e-6)
    assert s.indices.tolist() == [[0, 0], [1, 1], [1, 2]]
    assert st.indices.tolist() == [[1, 1], [1, 2]]


def test_sparse_add_gradient_routes_to_both_operands_and_skips_dropped() -> None:
    a = tf.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [2, 3])
    b = tf.SparseTensor([[0, 0], [1, 1]], [-0.95, 4.0], [2, 3])
    st = tf.sparse_add(a, b, threshold=0.1)
    ga, gb = tf.gradients(st.values * tf.constant([10.0, 20.0]), [a.values, b.values])
    assert ga.op.type == "SparseAddGrad"
    va, vb = _run([ga, gb])
    assert va.tolist() == [0.0, 20.0]
    assert vb.tolist() == [0.0, 10.0]


def test_sparse_add_with_dense_operand_is_dense() -> None:
    a = tf.SparseTensor([[0, 1]], [3.0], [2, 2])
    out = tf.sparse_add(tf.ones([2, 2]), a)
    assert out.op.type == "SparseTensorDenseAdd"
    assert _run(out).tolist() == [[1.0, 4.0], [1.0, 1.0]]


def test_sparse_maximum_minimum_take_implicit_zeros() -> None:
    a = tf.SparseTensor([[0, 0], [0, 2]], [1.0, -2.0], [2, 3])
    b = tf.SparseTensor([[0, 0], [1, 0]], [4.0, -5.0], [2, 3])
    mx, mn = _run([tf.sparse_maximum(a, b), tf.sparse_minimum(a, b)])
    assert mx.indices.tolist() == [[0, 0], [0, 2], [1, 0]]
    assert mx.values.tolist() == [4.0, 0.0, 0.0]
    assert mn.values.tolist() == [1.0, -2.0, -5.0]


def test_sparse_maximum_gradient_fails_as_tf() -> None:
    a = tf.SparseTensor([[0, 0]], [1.0], [2, 2])
    m = tf.sparse_maximum(a, a)
    with pytest.raises(TypeError, match="takes 2 positional arguments but 3 were given"):
        tf.gradients(m.values, a.values)


@pytest.mark.parametrize("axis", [0, 1, -1, [0, 1], None])
@pytest.mark.parametrize("keepdims", [False, True])
def test_sparse_reduce_max_over_present_entries(axis, keepdims) -> None:
    rng = np.random.RandomState(3)
    dense = np.zeros((3, 4), np.float32)
    idx = [[0, 1], [0, 3], [2, 0], [2, 2]]
    vals = rng.randn(4).astype(np.float32) - 2.0
    for i, v in zip(idx, vals):
        dense[tuple(i)] = v
    present = np.full((3, 4), -np.inf, np.float32)
    for i, v in zip(idx, vals):
        present[tuple(i)] = v
    sp = tf.SparseTensor(idx, vals, [3, 4])
    got = _run(tf.sparse_reduce_max(sp, axis, keepdims=keepdims))
    ax = tuple(range(2)) if axis is None else axis
    ref = present.max(axis=tuple(np.atleast_1d(ax)), keepdims=keepdims)
    np.testing.assert_allclose(got, np.where(np.isinf(ref), 0.0, ref))


def test_sparse_reduce_sum_static_shape_needs_a_constant_dense_shape() -> None:
    ph = tf.sparse_placeholder(tf.float32, shape=[2, 3])
    const = tf.SparseTensor([[0, 0]], [1.0], [2, 3])
    assert tf.sparse_reduce_sum(ph, 1).shape.ndims is None
    assert tf.sparse_reduce_sum(const, 1).shape.as_list() == [2]
    assert tf.sparse_reduce_sum(const, 5).shape.as_list() == [2]


def test_sparse_reduce_sparse_outputs_one_entry_per_group() -> None:
    sp = tf.SparseTensor([[0, 1], [1, 1], [0, 0]], [1.0, 2.0, 3.0], [2, 3])
    out = _run(tf.sparse_reduce_sum_sparse(sp, 1, keepdims=True))
    assert out.indices.tolist() == [[0, 0], [1, 0]]
    assert out.values.tolist() == [4.0, 2.0]
    assert out.dense_shape.tolist() == [2, 1]


def test_sparse_reduce_out_of_bounds_is_internal_error() -> None:
    sp = tf.SparseTensor([[5, 0]], [1.0], [2, 2])
    with pytest.raises(tf.errors.InternalError, match="write index of 5"):
        _run(tf.sparse_reduce_sum(sp, 1))


def _segment_ref(kind, data, idx, seg, rows):
    out = np.zeros((rows, *data.shape[1:]), data.dtype)
    for s in range(rows):
        members = [i for i, g in zip(idx, seg) if g == s]
        if members:
            total = data[members].sum(0)
            n = len(members)
            out[s] = total / (n if kind == "mean" else np.sqrt(n) if kind == "sqrt_n" else 1)
    return out


@pytest.mark.parametrize("kind", ["sum", "mean", "sqrt_n"])
def test_sparse_segment_reductions_and_gradients(kind) -> None:
    rng = np.random.RandomState(0)
    data = rng.randn(5, 3).astype(np.float32)
    idx = [4, 0, 0, 2, 1, 3]
    seg = [0, 0, 1, 3, 3, 3]
    fn = getattr(tf, "sparse_segment_" + kind)
    x = tf.constant(data)
    r = fn(x, idx, seg)
    rn = fn(x, idx, seg, num_segments=6)
    w = tf.constant(rng.randn(4, 3).astype(np.float32))
    g = tf.gradients(tf.reduce_sum(r * w), x)[0]
    gs = tf.gradients(tf.reduce_sum(fn(x, idx, seg, sparse_gradient=True) * w), x)[0]
    rv, rnv, gv, gsv, wv = _run([r, rn, g, gs, w])
    np.testing.assert_allclose(rv, _segment_ref(kind, data, idx, seg, 4), rtol=1e-5)
    np.testing.assert_allclose(rnv, _segment_ref(kind, data, idx, seg, 6), rtol=1e-5)
    scale = {"sum": lambda n: 1.0, "mean": lambda n: 1.0 / n, "sqrt_n": lambda n: n ** -0.5}
    ref = np.zeros_like(data)
    for i, s in zip(idx, seg):
        ref[i] += wv[s] * scale[kind](seg.count(s))
    np.testing.assert_allclose(gv, ref, rtol=1e-5)
    # the sparse_gradient form is TF's IndexedSlices (values at the sorted unique indices)
    assert isinstance(gs, tf.IndexedSlices)
    dense = np.zeros_like(data)
    np.add.at(dense, gsv.indices, gsv.values)
    assert gsv.indices.tolist() == sorted(set(idx))
    np.testing.assert_allclose(dense, ref, rtol=1e-5)
    assert g.op.type == "SparseSegment" + {"sum": "Sum", "mean": "Mean",
                                           "sqrt_n": "SqrtN"}[kind] + "Grad"


def test_sparse_segment_errors() -> None:
    data = tf.constant([[1.0], [2.0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="not increasing"):
        _run(tf.sparse_segment_sum(data, [0, 1], [1, 0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Bad: indices\[1\] == 7"):
        _run(tf.sparse_segment_mean(data, [0, 7], [0, 1]))
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal"):
        tf.sparse_segment_sum(data, [0], [0, 1])
