"""SparseTensor feeds and fetches through Session.run, and the sparse ops' values."""

from __future__ import annotations

import re

import numpy as np
import pytest

import varstore as tf


def test_sparse_fetch_returns_sparse_tensor_value_fed_from_tuple() -> None:
    sp = tf.sparse_placeholder(tf.float32, shape=[3, 4])
    with tf.Session() as s:
        v = s.run(sp, {sp: ([[0, 0]], [5.0], [3, 4])})
        nested = s.run({"a": [sp]}, {sp: tf.SparseTensorValue([[1, 2]], [2.0], [3, 4])})
    assert isinstance(v, tf.SparseTensorValue)
    assert v.indices.tolist() == [[0, 0]]
    assert v.values.tolist() == [5.0]
    assert v.dense_shape.tolist() == [3, 4]
    assert isinstance(nested["a"][0], tf.SparseTensorValue)
    assert nested["a"][0].indices.tolist() == [[1, 2]]


def test_sparse_ops_values_and_gradients_match_dense() -> None:
    sp = tf.sparse_placeholder(tf.float32, shape=[3, 4])
    b = tf.constant(np.arange(8, dtype=np.float32).reshape(4, 2))
    m = tf.sparse_tensor_dense_matmul(sp, b)
    gv, gb = tf.gradients(tf.reduce_sum(m), [sp.values, b])
    feed = {sp: tf.SparseTensorValue([[0, 1], [2, 3]], [1.0, 2.0], [3, 4])}
    with tf.Session() as s:
        d, mv, r, gvv, gbv = s.run([tf.sparse.to_dense(sp), m, tf.sparse_reduce_sum(sp, 1),
                                    gv, gb], feed)
    dense = np.zeros((3, 4), np.float32)
    dense[0, 1], dense[2, 3] = 1.0, 2.0
    np.testing.assert_allclose(d, dense)
    np.testing.assert_allclose(mv, dense @ np.arange(8).reshape(4, 2))
    np.testing.assert_allclose(r, dense.sum(1))
    np.testing.assert_allclose(gvv, [5.0, 13.0])
    np.testing.assert_allclose(gbv, dense.T @ np.ones((3, 2)))


def test_sparse_missing_symbol_is_attribute_error() -> None:
    try:
        _ = tf.sparse.nosuch
    except AttributeError as exc:
        assert "varstore lacks tf.sparse.nosuch" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def _sequential_spmm(idx, vals, shape, b, adj_a, adj_b):
    """TF's CPU kernel, entry by entry: out[m] += a_value * b[k] in index order (half in a
    float32 sum, TF's SumType<half>, rounded once at the end)."""
    bb = b.conj().T if adj_b else b
    rows = shape[1] if adj_a else shape[0]
    acc = np.float32 if b.dtype == np.float16 else b.dtype
    bb, vals = bb.astype(acc), np.asarray(vals).astype(acc)
    out = np.zeros((rows, bb.shape[1]), acc)
    for n in range(len(idx)):
        m, k = (idx[n, 1], idx[n, 0]) if adj_a else (idx[n, 0], idx[n, 1])
        out[m] += (vals[n].conj() if adj_a else vals[n]) * bb[k]
    return out.astype(b.dtype)


def test_sparse_dense_matmul_sums_in_index_order_bitwise() -> None:
    # Unsorted indices with repeats: the vectorised kernel must add each row's entries in
    # index order, as TF's loop does, so float32 sums round the same way.
    rng = np.random.RandomState(3)
    idx = np.stack([rng.randint(0, 7, 300), rng.randint(0, 5, 300)], 1).astype(np.int64)
    # float32/float64 (and half, summed in float32) run the C++ loop; complex the NumPy passes.
    for dt in (np.float32, np.float64, np.float16, np.complex64):
        vals = (rng.randn(300) * 1e3).astype(dt)
        if dt == np.complex64:
            vals = vals + 1j * (rng.randn(300) * 1e3).astype(dt)
        for adj_a in (False, True):
            for adj_b in (False, True):
                inner = 7 if adj_a else 5
                b = rng.randn(*((3, inner) if adj_b else (inner, 3))).astype(dt)
                sp = tf.SparseTensor(idx, vals, [7, 5])
                got = tf.Session().run(tf.sparse_tensor_dense_matmul(sp, b, adjoint_a=adj_a,
                                                                      adjoint_b=adj_b))
                want = _sequential_spmm(idx, vals, [7, 5], b, adj_a, adj_b)
                assert got.dtype == dt
                np.testing.assert_array_equal(got, want)
    vals = (rng.randn(300) * 1e3).astype(np.float32)
    # Sorted (canonical) indices take the no-sort path: same answer.
    order = np.lexsort((idx[:, 1], idx[:, 0]))
    b = rng.randn(5, 3).astype(np.float32)
    got = tf.Session().run(tf.sparse_tensor_dense_matmul(
        tf.SparseTensor(idx[order], vals[order], [7, 5]), b))
    np.testing.assert_array_equal(got, _sequential_spmm(idx[order], vals[order], [7, 5], b,
                                                        False, False))


def test_sparse_dense_matmul_reports_first_bad_index_as_tf() -> None:
    # TF checks entry by entry, k (the inner index) before m.
    b = np.ones((4, 2), np.float32)
    # Messages recorded from TF 2.21.
    cases = [([[0, 1], [9, 9]], "k (9) from index[1,1] out of bounds (>=4)"),
             ([[0, 1], [1, 7], [5, 0]], "k (7) from index[1,1] out of bounds (>=4)"),
             ([[4, 0], [0, 9]], "m (4) from index[0,0] out of bounds (>=3)")]
    for idx, msg in cases:
        sp = tf.SparseTensor(np.array(idx, np.int64), np.ones(len(idx), np.float32), [3, 4])
        with pytest.raises(tf.errors.InvalidArgumentError, match=re.escape(msg)):
            tf.Session().run(tf.sparse_tensor_dense_matmul(sp, b))
