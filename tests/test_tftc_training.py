"""Differences found by running TensorFlow's own training/variable unit tests against
varstore; every expected value here was recorded from TF 2.21 (tf.compat.v1, graph mode)."""

import numpy as np
import pytest

import varstore as tf


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


def test_minimize_callable_loss_graph_mode_uses_a_tape():
    # TF runs a callable loss under a GradientTape in graph mode too (momentum_test's
    # testMinimizeSparseResourceVariable); the variables default to the ones it read.
    v = tf.Variable([[1.0, 2.0]], use_resource=True, name="v")
    w = tf.Variable(3.0, name="w")

    def loss():
        x = tf.constant([[4.0], [5.0]])
        return tf.reduce_sum(tf.matmul(tf.nn.embedding_lookup([v], [0]), x) ** 2)

    opt = tf.train.MomentumOptimizer(1.0, 0.0)
    gv = opt.compute_gradients(loss)
    assert [(type(g).__name__, g.name, var.name) for g, var in gv] == [
        ("IndexedSlices", "gradient_tape/embedding_lookup/Reshape:0", "v:0")]
    gv2 = opt.compute_gradients(lambda: w * 2.0, var_list=[v, w])
    assert gv2[0][0] is None
    assert [var.name for _, var in gv2] == ["v:0", "w:0"]
    train = opt.minimize(loss)
    assert train.name == "Momentum"
    assert [i.name for i in train.control_inputs] == [
        "Momentum/update_v/ResourceSparseApplyMomentum"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(gv2[1][0]) == 2.0
        sess.run(train)
        np.testing.assert_allclose(sess.run(v), [[-111.0, -138.0]])


@pytest.mark.parametrize("make", [lambda: tf.constant([1, 2]), lambda: tf.constant(1),
                                  lambda: tf.placeholder(tf.float32),
                                  lambda: tf.Variable([0.0, 1.0])],
                         ids=["vector", "scalar", "unknown_shape", "variable"])
def test_iterating_a_graph_tensor_is_refused(make):
    # TF's graph-mode Tensor.__iter__ (variables_test's testIterableV1): any shape.
    t = make()
    with pytest.raises(TypeError, match=r"^Iterating over a symbolic `tf.Tensor` is not "
                                        r"allowed\. You can attempt"):
        iter(t)
    with pytest.raises(TypeError, match="Iterating over a symbolic"):
        _a, _b = t
