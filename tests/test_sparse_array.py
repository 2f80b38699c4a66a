"""The sparse shape ops (concat, reshape, slice, split, fill_empty_rows), the composites
(transpose, reset_shape, expand_dims, eye, from_dense, to_indicator, merge), IndexedSlices
and tf.sparse.mask: dense-equivalent values, gradients, shapes and TF's graph details."""

from __future__ import annotations

import numpy as np
import pytest

import varstore as tf


def _run(fetches, feed=None):
    with tf.Session() as s:
        return s.run(fetches, feed)


def _dense(v):
    out = np.zeros(tuple(v.dense_shape), np.asarray(v.values).dtype)
    for i, x in zip(v.indices, v.values):
        out[tuple(i)] = x
    return out


def _random_sparse(rng, shape, n):
    flat = np.sort(rng.choice(int(np.prod(shape)), n, replace=False))
    idx = np.stack(np.unravel_index(flat, shape), 1).astype(np.int64)
    vals = rng.randn(n).astype(np.float32)
    dense = np.zeros(shape, np.float32)
    dense[tuple(idx.T)] = vals
    return tf.SparseTensor(idx, vals, list(shape)), dense


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_sparse_concat_matches_dense_concat(axis) -> None:
    rng = np.random.RandomState(1)
    a, da = _random_sparse(rng, (3, 4), 5)
    b, db = _random_sparse(rng, (3, 4), 4)
    out = _run(tf.sparse_concat(axis, [a, b]))
    np.testing.assert_allclose(_dense(out), np.concatenate([da, db], axis))
    order = np.lexsort(out.indices.T[::-1])
    assert order.tolist() == list(range(len(order)))


def test_sparse_concat_expand_nonconcat_dim_widens_shapes() -> None:
    a = tf.SparseTensor([[0, 0]], [1.0], [2, 3])
    b = tf.SparseTensor([[3, 4]], [2.0], [4, 5])
    out = tf.sparse_concat(0, [a, b], expand_nonconcat_dim=True)
    assert out.shape.as_list() == [6, 5]
    v = _run(out)
    assert v.dense_shape.tolist() == [6, 5]
    assert v.indices.tolist() == [[0, 0], [5, 4]]


@pytest.mark.parametrize("new_shape", [[6, 2], [-1], [3, -1, 2], [12, 1]])
def test_sparse_reshape_matches_dense_reshape(new_shape) -> None:
    rng = np.random.RandomState(2)
    a, da = _random_sparse(rng, (3, 4), 6)
    out = _run(tf.sparse_reshape(a, new_shape))
    np.testing.assert_allclose(_dense(out), da.reshape(new_shape))


def test_sparse_reshape_values_pass_through_identity() -> None:
    a = tf.SparseTensor([[0, 1]], [2.0], [2, 2])
    r = tf.sparse_reshape(a, [4])
    assert r.values.op.type == "Identity"
    assert r.indices.op.type == "SparseReshape"
    assert r.dense_shape.op.type == "Const"
    assert _run(tf.gradients(r.values * 3.0, a.values)[0]).tolist() == [3.0]


def test_sparse_slice_and_its_gradient() -> None:
    rng = np.random.RandomState(4)
    a, da = _random_sparse(rng, (4, 5), 8)
    s = tf.sparse_slice(a, [1, 1], [2, 3])
    g = tf.gradients(tf.reduce_sum(s.values * 2.0), a.values)[0]
    sv, gv, av = _run([s, g, a])
    np.testing.assert_allclose(_dense(sv), da[1:3, 1:4])
    inside = [(1 <= i < 3) and (1 <= j < 4) for i, j in av.indices]
    assert gv.tolist() == [2.0 if k else 0.0 for k in inside]
    assert g.op.type == "SparseSliceGrad"


def test_sparse_split_pieces_concatenate_back() -> None:
    rng = np.random.RandomState(5)
    a, da = _random_sparse(rng, (3, 7), 9)
    parts = _run(tf.sparse_split(sp_input=a, num_split=3, axis=1))
    assert [p.dense_shape.tolist() for p in parts] == [[3, 3], [3, 2], [3, 2]]
    np.testing.assert_allclose(np.concatenate([_dense(p) for p in parts], 1), da)


def test_sparse_fill_empty_rows_and_gradient() -> None:
    a = tf.SparseTensor([[1, 0], [1, 2], [3, 1]], [1.0, 2.0, 3.0], [4, 3])
    dv = tf.constant(-1.0)
    r, empty = tf.sparse_fill_empty_rows(a, dv)
    gv, gd = tf.gradients(r.values * tf.constant([1.0, 2.0, 3.0, 4.0, 5.0]), [a.values, dv])
    rv, ev, g1, g2 = _run([r, empty, gv, gd])
    assert rv.indices.tolist() == [[0, 0], [1, 0], [1, 2], [2, 0], [3, 1]]
    assert rv.values.tolist() == [-1.0, 1.0, 2.0, -1.0, 3.0]
    assert ev.tolist() == [True, False, True, False]
    assert g1.tolist() == [2.0, 3.0, 5.0]
    assert float(g2) == 5.0


def test_sparse_transpose_and_expand_dims() -> None:
    rng = np.random.RandomState(6)
    a, da = _random_sparse(rng, (2, 3, 4), 7)
    t, e0, e2 = _run([tf.sparse_transpose(a, [2, 0, 1]), tf.sparse.expand_dims(a, 0),
                      tf.sparse.expand_dims(a, -1)])
    np.testing.assert_allclose(_dense(t), np.transpose(da, [2, 0, 1]))
    np.testing.assert_allclose(_dense(e0), da[None])
    np.testing.assert_allclose(_dense(e2), da[..., None])


def test_sparse_reset_shape_eye_from_dense() -> None:
    a = tf.SparseTensor([[0, 1], [2, 0]], [1.0, 2.0], [5, 6])
    tight, big, eye, fd = _run([tf.sparse_reset_shape(a), tf.sparse_reset_shape(a, [6, 7]),
                                tf.sparse.eye(2, 3), tf.sparse.from_dense([[0, 3], [4, 0]])])
    assert tight.dense_shape.tolist() == [3, 2]
    assert big.dense_shape.tolist() == [6, 7]
    assert _dense(eye).tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    assert fd.indices.tolist() == [[0, 1], [1, 0]]
    assert fd.values.tolist() == [3, 4]


def test_sparse_to_indicator_and_merge() -> None:
    ids = tf.SparseTensor([[0, 0], [0, 1], [2, 0]], tf.constant([3, 1, 0], tf.int64), [3, 2])
    w = tf.SparseTensor([[0, 0], [0, 1], [2, 0]], [0.5, 2.0, 1.5], [3, 2])
    ind, merged = _run([tf.sparse_to_indicator(ids, 4), tf.sparse_merge(ids, w, 4)])
    assert ind.tolist() == [[False, True, False, True], [False] * 4, [True, False, False, False]]
    assert merged.indices.tolist() == [[0, 1], [0, 3], [2, 0]]
    assert merged.values.tolist() == [2.0, 0.5, 1.5]


def test_indexed_slices_fetch_feed_convert_and_mask() -> None:
    v = tf.placeholder(tf.float32, [None, 2])
    i = tf.placeholder(tf.int32, [None])
    s = tf.IndexedSlices(v, i, tf.constant([4, 2]))
    dense = tf.convert_to_tensor(s)
    assert dense.op.type == "UnsortedSegmentSum"
    masked = tf.sparse.mask(s, [1])
    feed = {s: (np.ones((3, 2), np.float32), [1, 3, 1])}
    d, m, f = _run([dense, masked, s], feed)
    assert d.tolist() == [[0, 0], [2, 2], [0, 0], [1, 1]]
    assert isinstance(m, tf.IndexedSlicesValue)
    assert m.indices.tolist() == [3]
    assert f.dense_shape.tolist() == [4, 2]


def test_ones_like_and_fill_shapes_follow_tf_graphs() -> None:
    x = tf.placeholder(tf.float32, [None, 3])
    o = tf.ones_like(x)
    assert o.op.type == "Fill" and o.shape.as_list() == [None, 3]
    z = tf.zeros([tf.constant(2), 3])
    assert z.op.type == "Fill" and z.op.inputs[0].op.type == "Pack"
    assert z.shape.as_list() == [2, 3]
    one = tf.ones(tf.constant(3, tf.int64))
    assert one.op.inputs[0].op.type == "Reshape" and one.shape.as_list() == [3]
    assert str(tf.placeholder(tf.float32)).endswith('dtype=float32)')
    assert "shape" not in str(tf.placeholder(tf.float32, name="u"))
