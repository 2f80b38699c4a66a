"""conv2d + bias + ReLU chains run as one fused kernel pass, with TF's op names, and every
intermediate the user keeps still reads as its own value."""

from __future__ import annotations

import numpy as np
import pytest

import varstore as tf


def _ref(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, relu: bool) -> np.ndarray:
    n, h, wd, _ = x.shape
    kh, kw, _, co = w.shape
    xp = np.pad(x.astype(np.float64), ((0, 0), (kh // 2, (kh - 1) // 2),
                                       (kw // 2, (kw - 1) // 2), (0, 0)))
    out = np.zeros((n, h, wd, co))
    for i in range(kh):
        for j in range(kw):
            out += np.einsum("nhwc,co->nhwo", xp[:, i:i + h, j:j + wd, :], w[i, j])
    if b is not None:
        out = out + b
    return np.maximum(out, 0.0) if relu else out


@pytest.fixture
def data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 9, 7, 5)).astype(np.float32)
    w = rng.standard_normal((3, 3, 5, 6)).astype(np.float32)
    b = rng.standard_normal(6).astype(np.float32)
    return x, w, b


@pytest.mark.parametrize("form", ["bias_add", "operator", "tf.add"],
                         ids=["bias_add", "operator", "tf.add"])
def test_chain_names_and_values(data: tuple[np.ndarray, np.ndarray, np.ndarray],
                                form: str) -> None:
    x, w, b = data
    wv = tf.get_variable("w", initializer=w)
    bv = tf.get_variable("b", initializer=b)
    conv = tf.nn.conv2d(x, wv, strides=[1, 1, 1, 1], padding="SAME")
    if form == "bias_add":
        biased = tf.nn.bias_add(conv, bv)
    elif form == "operator":
        biased = conv + bv
    else:
        biased = tf.add(conv, bv)
    out = tf.nn.relu(biased)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(out)
        plan = list(sess._plans.values())[-1]
    # One kernel pass: the plan runs the fused chain at its last op, not Conv2D or the add.
    assert [s for s in plan.steps if not s.endswith("ReadVariableOp")] == ["Relu"]
    expected_bias_op = {"bias_add": "BiasAdd", "operator": "add", "tf.add": "Add"}[form]
    assert conv.op.name == "Conv2D"
    assert conv.op.type == "Conv2D"
    assert biased.op.name == expected_bias_op
    assert out.name == "Relu:0"
    assert out.shape.as_list() == [2, 9, 7, 6]
    np.testing.assert_allclose(out.numpy(), _ref(x, w, b, True), rtol=1e-4, atol=1e-4)
    # Intermediates the user kept give their own values.
    np.testing.assert_allclose(np.asarray(biased), _ref(x, w, b, False), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(np.asarray(conv), _ref(x, w, None, False), rtol=1e-4, atol=1e-4)


def test_fetched_intermediate_is_not_fused(
        data: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    x, w, b = data
    conv = tf.nn.conv2d(x, w, strides=1, padding="SAME")
    out = tf.nn.relu(tf.nn.bias_add(conv, b))
    with tf.Session() as sess:
        got_conv, got_out = sess.run([conv, out])
        (plan,) = sess._plans.values()
    assert "Conv2D" in plan.steps and "Relu" in plan.steps
    np.testing.assert_allclose(got_conv, _ref(x, w, None, False), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(got_out, _ref(x, w, b, True), rtol=1e-4, atol=1e-4)


def test_assign_is_seen_by_the_next_run(
        data: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    x, w, _ = data
    wv = tf.get_variable("w", initializer=w)
    y = tf.nn.relu(tf.nn.conv2d(x, wv, strides=1, padding="SAME"))
    with tf.Session() as sess:
        sess.run(wv.initializer)
        first = sess.run(y)
        sess.run(wv.assign(-w))
        second = sess.run(y)
    np.testing.assert_allclose(first, _ref(x, w, None, True), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(second, _ref(x, -w, None, True), rtol=1e-4, atol=1e-4)


def test_bias_of_other_length_is_not_fused_and_raises_tf_error(
        data: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    x, w, _ = data
    conv = tf.nn.conv2d(x, w, strides=1, padding="SAME")
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 6 and 4"):
        tf.nn.bias_add(conv, np.zeros(4, np.float32))


def test_layers_conv2d_fuses_bias_and_relu(
        data: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    x, _, _ = data
    y = tf.layers.conv2d(x, 6, 3, padding="same", activation=tf.nn.relu)
    kernel, bias = tf.global_variables()
    assert [kernel.name, bias.name] == ["conv2d/kernel:0", "conv2d/bias:0"]
    assert y.name == "conv2d/Relu:0"
    np.testing.assert_allclose(y.numpy(), _ref(x, np.asarray(kernel), np.asarray(bias), True),
                               rtol=1e-4, atol=1e-4)
    y2 = tf.layers.conv2d(x, 6, 3, padding="same", name="conv2d", reuse=True)
    assert y2.name == "conv2d_1/BiasAdd:0"
    assert len(tf.global_variables()) == 2
