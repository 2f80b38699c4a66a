"""Optimizers beyond the golden set: a variable shared by two branches learns from both,
the batch-norm UPDATE_OPS idiom, slots saved under TF's names, errors that change nothing."""

import numpy as np
import pytest

import varstore as tf


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def _disc(x, reuse):
    with tf.variable_scope("disc", reuse=reuse):
        w = tf.get_variable("w", [2, 1], initializer=tf.constant_initializer(0.5))
        return tf.matmul(x, w)


def test_shared_variable_gets_both_branches_gradients():
    real = tf.constant([[1.0, 2.0]])
    fake = tf.constant([[3.0, -1.0]])
    loss = tf.reduce_sum(_disc(real, False)) + tf.reduce_sum(_disc(fake, True))
    (w,) = tf.trainable_variables()
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        # d loss / d w = real^T + fake^T = [[4], [1]]
        np.testing.assert_allclose(sess.run(w), [[0.5 - 0.4], [0.5 - 0.1]], rtol=1e-6)


def test_update_ops_run_before_the_train_step():
    x = tf.constant([1.0, 3.0])
    w = tf.get_variable("w", [], initializer=tf.constant_initializer(1.0))
    moving = tf.get_variable("moving", [], initializer=tf.zeros_initializer(), trainable=False)
    tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, tf.assign_add(moving, tf.reduce_mean(x)))
    loss = tf.reduce_sum(w * x)
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train = tf.train.AdamOptimizer(0.01).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        assert sess.run(moving) == pytest.approx(6.0)
        assert sess.run(w) == pytest.approx(1.0 - 3 * 0.01, rel=1e-4)


def test_adam_slots_checkpoint_under_tf_names(tmp_path):
    w = tf.get_variable("w", [3], initializer=tf.constant_initializer(1.0))
    train = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(tf.square(w)))
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        path = saver.save(sess, str(tmp_path / "model.ckpt"))
    names = sorted(n for n, _ in tf.train.list_variables(path))
    assert names == ["beta1_power", "beta2_power", "w", "w/Adam", "w/Adam_1"]
    assert tf.train.load_variable(path, "beta1_power") == pytest.approx(0.81)


def test_uninitialized_slot_fails_and_changes_nothing():
    w = tf.get_variable("w", [2], initializer=tf.constant_initializer(1.0))
    train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(tf.reduce_sum(w))
    with tf.Session() as sess:
        sess.run(w.initializer)
        with pytest.raises(tf.errors.FailedPreconditionError, match="w/Momentum"):
            sess.run(train)
        np.testing.assert_array_equal(sess.run(w), [1.0, 1.0])


def test_grad_shape_mismatch_is_caught_at_build_time():
    w = tf.get_variable("w", [2])
    opt = tf.train.GradientDescentOptimizer(0.1)
    with pytest.raises(ValueError):
        opt.apply_gradients([(tf.constant([1.0, 2.0, 3.0]), w)])


def test_optimizer_rejects_non_variables():
    # A Tensor takes a (here absent) gradient, as in TF; a float has no ``op``.
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        tf.train.AdamOptimizer().minimize(tf.constant(1.0), var_list=[tf.constant(2.0)])
    with pytest.raises(AttributeError, match="'float' object has no attribute 'op'"):
        tf.train.AdamOptimizer().minimize(tf.constant(1.0), var_list=[2.0])
