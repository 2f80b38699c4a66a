"""SparseTensor feeds and fetches through Session.run, and the sparse ops' values."""

from __future__ import annotations

import numpy as np

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
