"""tf.nn composite functions (ops/nn_impl.py): names, values and gradients against numpy
(the values were checked against TF 2.21's tensorflow.compat.v1)."""

import numpy as np
import pytest

import varstore as tf

XV = np.array([[1, -2, 3], [0.5, 0, -1]], np.float32)
YV = np.array([[0, 1, 0], [1, 0, 0]], np.float32)


def _run(t, feed=None):
    with tf.Session() as s:
        return s.run(t, feed)


def test_sigmoid_xent_name_value_grad():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 3])
    loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=YV, logits=x)
    assert loss.name == "logistic_loss:0"
    ref = np.maximum(XV, 0) - XV * YV + np.log1p(np.exp(-np.abs(XV)))
    np.testing.assert_allclose(_run(loss, {x: XV}), ref, rtol=1e-6)
    g = _run(tf.gradients(loss, x)[0], {x: XV})
    np.testing.assert_allclose(g, 1 / (1 + np.exp(-XV)) - YV, rtol=1e-5, atol=1e-6)


def test_softmax_xent_v1_stops_label_gradient():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [None, 3])
    v1 = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x)
    v2 = tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=x)
    assert v1.name == "softmax_cross_entropy_with_logits_sg/Reshape_2:0"
    assert v2.name == "softmax_cross_entropy_with_logits/Reshape_2:0"
    assert tf.gradients(v1, y) == [None]
    assert tf.gradients(v2, y)[0] is not None
    sm = np.exp(XV) / np.exp(XV).sum(1, keepdims=True)
    np.testing.assert_allclose(_run(v1, {x: XV, y: YV}), -(YV * np.log(sm)).sum(1), rtol=1e-5)


def test_sparse_xent_moments_batchnorm_l2n_embedding():
    tf.reset_default_graph()
    x = tf.constant(XV)
    sp = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 0], logits=x)
    assert sp.name == "SparseSoftmaxCrossEntropyWithLogits/SparseSoftmaxCrossEntropyWithLogits:0"
    mean, var = tf.nn.moments(x, [0])
    assert (mean.name, var.name) == ("moments/Squeeze:0", "moments/Squeeze_1:0")
    bn = tf.nn.batch_normalization(x, mean, var, None, None, 1e-3)
    assert bn.name == "batchnorm/add_1:0"
    l2n = tf.nn.l2_normalize(x, 1)
    emb = tf.nn.embedding_lookup(x, [1, 1, 0])
    zf = tf.nn.zero_fraction(x)
    out = _run([sp, mean, var, bn, l2n, emb, zf])
    np.testing.assert_allclose(out[1], XV.mean(0), rtol=1e-6)
    np.testing.assert_allclose(out[2], XV.var(0), rtol=1e-6)
    np.testing.assert_allclose(out[3], (XV - XV.mean(0)) / np.sqrt(XV.var(0) + 1e-3), rtol=1e-5)
    np.testing.assert_allclose(out[4], XV / np.linalg.norm(XV, axis=1, keepdims=True), rtol=1e-6)
    np.testing.assert_array_equal(out[5], XV[[1, 1, 0]])
    assert abs(out[6] - 1 / 6) < 1e-6


def test_dropout_redraws_each_run_and_scales():
    tf.reset_default_graph()
    x = tf.ones([1000])
    d = tf.nn.dropout(x, keep_prob=0.5)
    with tf.Session() as s:
        a, b = s.run(d), s.run(d)
    assert set(np.unique(a)) <= {0.0, 2.0} and not np.array_equal(a, b)
    assert 0.4 < (a == 0).mean() < 0.6


def test_fused_batch_norm_returns_bessel_corrected_variance():
    tf.reset_default_graph()
    xv = (np.arange(16, dtype=np.float32).reshape(2, 2, 2, 2)) ** 1.5
    y, m, v = tf.nn.fused_batch_norm(tf.constant(xv), tf.ones([2]), tf.zeros([2]))
    out = _run([y, m, v])
    flat = xv.reshape(-1, 2)
    np.testing.assert_allclose(out[1], flat.mean(0), rtol=1e-5)
    np.testing.assert_allclose(out[2], flat.var(0, ddof=1), rtol=1e-5)
    np.testing.assert_allclose(out[0].reshape(-1, 2),
                               (flat - flat.mean(0)) / np.sqrt(flat.var(0) + 1e-3), rtol=1e-4)


def test_cross_entropies_take_labels_and_logits_positionally_as_tf_2_21() -> None:
    # TF 2.21's v1 functions are (labels=None, logits=None, ...): no TF 1.x _sentinel, so old
    # programs that call them positionally run (igul222's improved-WGAN dcgan mode).
    import inspect

    assert list(inspect.signature(tf.nn.sigmoid_cross_entropy_with_logits).parameters) == [
        "labels", "logits", "name"]
    assert list(inspect.signature(tf.nn.softmax_cross_entropy_with_logits).parameters) == [
        "labels", "logits", "dim", "name", "axis"]
    assert list(inspect.signature(tf.nn.sparse_softmax_cross_entropy_with_logits).parameters) == [
        "labels", "logits", "name"]
    with tf.Session() as s:
        a, b, c = s.run([tf.nn.sigmoid_cross_entropy_with_logits([1.0], [2.0]),
                         tf.nn.softmax_cross_entropy_with_logits([[0.0, 1.0]], [[1.0, 2.0]]),
                         tf.nn.sparse_softmax_cross_entropy_with_logits([1], [[1.0, 2.0]])])
    np.testing.assert_allclose(a, [0.126928], rtol=1e-5)
    np.testing.assert_allclose(b, [0.313262], rtol=1e-5)
    np.testing.assert_allclose(c, [0.313262], rtol=1e-5)
    # TF 2.21's message, verbatim (it has no space before "Received").
    with pytest.raises(ValueError, match=r"^Both `labels` and `logits` must be provided for "
                       r"sigmoid_cross_entropy_with_logitsReceived: labels=\[1.0\] and "
                       r"logits=None$"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0])
