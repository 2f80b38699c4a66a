"""tf.IndexedSlices beyond the golden scenarios: conversion errors, sparse updates' checks,
duplicate indices, and the constraint rule."""

import numpy as np
import pytest

import varstore as tf


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()


def test_conversion_without_dense_shape_is_a_value_error():
    sl = tf.IndexedSlices(tf.constant([[1.0]]), tf.constant([0]))
    with pytest.raises(ValueError, match="without dense_shape"):
        tf.convert_to_tensor(sl)
    assert tf.convert_to_tensor_or_indexed_slices(sl) is sl


def test_negation_and_str():
    sl = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1]), tf.constant([2, 2]))
    neg = -sl
    assert isinstance(neg, tf.IndexedSlices)
    assert "IndexedSlices(indices=" in str(sl)
    with tf.Session() as s:
        assert s.run(tf.convert_to_tensor(neg)).tolist() == [[0.0, 0.0], [-1.0, -2.0]]


def test_sparse_update_of_repeated_rows_applies_each_in_turn():
    # the kernel walks indices in order, as TF's: momentum of row 0 updated twice
    v = tf.get_variable("v", initializer=np.zeros((3, 2), np.float32))
    opt = tf.train.MomentumOptimizer(1.0, 0.5)
    g = tf.IndexedSlices(tf.constant([[1.0, 1.0], [2.0, 2.0]]), tf.constant([0, 0]),
                         tf.constant([3, 2]))
    train = opt.apply_gradients([(g, v)])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(train)
        # deduplicated first (TF's default): one update with the summed gradient 3
        assert s.run(v).tolist() == [[-3.0, -3.0], [0.0, 0.0], [0.0, 0.0]]
        assert s.run(opt.get_slot(v, "momentum")).tolist()[0] == [3.0, 3.0]


def test_out_of_range_sparse_update_names_the_index_and_changes_nothing():
    v = tf.get_variable("v", initializer=np.ones((3, 2), np.float32))
    opt = tf.train.AdagradOptimizer(0.1)
    idx = tf.placeholder(tf.int32, [None])
    g = tf.IndexedSlices(tf.ones([2, 2]), idx, tf.constant([3, 2]))
    train = opt.apply_gradients([(g, v)])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="Index 7 at offset 1"):
            s.run(train, {idx: [0, 7]})
        assert s.run(v).tolist() == [[1.0, 1.0]] * 3


def test_constraint_on_a_sparsely_updated_variable_is_refused():
    v = tf.get_variable("v", initializer=np.ones((3, 2), np.float32),
                        constraint=lambda x: tf.clip_by_value(x, 0.0, 1.0))
    loss = tf.reduce_sum(tf.gather(v, [0]))
    with pytest.raises(RuntimeError, match="Cannot use a constraint function on a sparse"):
        tf.train.GradientDescentOptimizer(0.1).minimize(loss)


def test_gather_with_batch_dims_gradient_against_finite_differences():
    xv = np.random.RandomState(1).randn(2, 3, 4)
    x = tf.placeholder(tf.float64, [2, 3, 4])
    idx = tf.constant([[3, 0, 3], [1, 2, 2]])
    y = tf.gather(x, idx, axis=2, batch_dims=1)
    w = np.random.RandomState(2).randn(*y.shape.as_list())
    loss = tf.reduce_sum(y * w)
    g = tf.gradients(loss, x)[0]
    with tf.Session() as s:
        gv = s.run(g, {x: xv})
        num = np.zeros_like(xv)
        for k in np.ndindex(*xv.shape):
            d = np.zeros_like(xv)
            d[k] = 1e-6
            num[k] = (s.run(loss, {x: xv + d}) - s.run(loss, {x: xv - d})) / 2e-6
    np.testing.assert_allclose(gv, num, atol=1e-6)


def test_tile_gradient_with_dynamic_multiples():
    x = tf.placeholder(tf.float32, [None, 2])
    y = tf.tile(x, tf.stack([tf.shape(x)[0], 2]))
    g = tf.gradients(tf.reduce_sum(y * y), x)[0]
    with tf.Session() as s:
        out = s.run(g, {x: [[1.0, 2.0], [3.0, 4.0]]})
    # each element appears rows * 2 = 4 times: d/dx sum(4 x^2) = 8 x
    assert np.allclose(out, 8 * np.array([[1.0, 2.0], [3.0, 4.0]]))
