"""tf.losses and tf.metrics beyond the golden set: collections, dtypes, training through a
loss, and local-variable initialisation."""

from __future__ import annotations

import numpy as np
import pytest

import varstore as tf


def test_loss_collection_none_adds_nothing():
    tf.losses.mean_squared_error([1.0], [2.0], loss_collection=None)
    assert tf.losses.get_losses() == []


def test_reduction_validate_rejects_unknown_key():
    with pytest.raises(ValueError, match="Invalid Reduction Key bogus"):
        tf.losses.Reduction.validate("bogus")


def test_minimize_mean_squared_error_converges():
    w = tf.Variable(np.zeros([3], np.float32), name="w")
    loss = tf.losses.mean_squared_error([1.0, 2.0, 3.0], w)
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(50):
            sess.run(train)
        np.testing.assert_allclose(sess.run(w), [1.0, 2.0, 3.0], atol=1e-3)


def test_zero_weights_give_zero_loss_not_nan():
    loss = tf.losses.absolute_difference([1.0, 2.0], [3.0, 5.0], weights=0.0)
    with tf.Session() as sess:
        assert sess.run(loss) == 0.0


def test_metric_variables_are_local_and_reset():
    acc, update = tf.metrics.accuracy([1, 2, 3], [1, 0, 3])
    assert [v.name for v in tf.local_variables()] == ["accuracy/total:0", "accuracy/count:0"]
    assert tf.global_variables() == []
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        assert sess.run(update) == pytest.approx(2 / 3)
        assert sess.run(update) == pytest.approx(2 / 3)
        sess.run(tf.local_variables_initializer())
        assert sess.run(acc) == 0.0


def test_metric_collections_receive_value_and_update():
    m, up = tf.metrics.mean([1.0, 3.0], metrics_collections=["m"], updates_collections=["u"])
    assert tf.get_collection("m") == [m]
    assert tf.get_collection("u") == [up]


def test_metrics_on_inputs_of_unknown_rank_as_tf() -> None:
    # TF's dynamic-rank branches (remove_squeezable_dimensions, the metrics' weights, and
    # assert_broadcastable's run-time check); values recorded from TF 2.21.
    lab, pred, w = tf.placeholder(tf.int64), tf.placeholder(tf.int64), tf.placeholder(tf.float32)
    _, update = tf.metrics.accuracy(lab, pred, weights=w)
    cl, cp = tf.placeholder(tf.int32), tf.placeholder(tf.int32)
    cm = tf.confusion_matrix(cl, cp, num_classes=3)
    mw = tf.placeholder(tf.float32)
    _, mean_update = tf.metrics.mean(tf.constant([[1.0, 2.0], [3.0, 4.0]]), weights=mw)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        got = [sess.run(update, {lab: [[1], [2], [3]], pred: [1, 2, 4], w: [1.0, 1.0, 0.5]}),
               sess.run(update, {lab: [1, 2, 3], pred: [[1], [2], [4]], w: [[2.0], [1.0], [1.0]]})]
        np.testing.assert_allclose(got, [0.8, 0.7692307829856873], rtol=1e-6)
        assert sess.run(cm, {cl: [[0], [1], [2]], cp: [0, 2, 2]}).tolist() == [
            [1, 0, 0], [0, 0, 1], [0, 0, 1]]
        assert sess.run(mean_update, {mw: [[1.0], [0.0]]}) == pytest.approx(1.5)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"weights can not be broadcast to values\.\] \[weights\.shape=\]"):
            sess.run(mean_update, {mw: [1.0, 0.0, 1.0]})
