"""The example the design comes from, unchanged apart from the import."""

from __future__ import annotations

import numpy as np
import pytest

import varstore as tf


def _my_image_filter(input_images: object) -> tf.Tensor:
    conv1_weights = tf.get_variable("conv1_weights", [5, 5, 32, 32],
                                    initializer=tf.random_normal_initializer())
    conv1_biases = tf.get_variable("conv1_biases", [32], initializer=tf.zeros_initializer())
    conv1 = tf.nn.conv2d(input_images, conv1_weights, strides=[1, 1, 1, 1], padding="SAME")
    return tf.nn.relu(conv1 + conv1_biases)


def _reference(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    n, h, wd, _ = x.shape
    kh, kw, _, co = w.shape
    xp = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    out = np.zeros((n, h, wd, co), np.float64)
    for i in range(kh):
        for j in range(kw):
            out += np.einsum("nhwc,co->nhwo", xp[:, i:i + h, j:j + wd, :], w[i, j])
    return np.maximum(out + b, 0.0)


def test_seed_example_shares_weights_and_names_like_tf1() -> None:
    rng = np.random.default_rng(1)
    image1 = rng.random((1, 32, 32, 32)).astype(np.float32)
    image2 = rng.random((1, 32, 32, 32)).astype(np.float32)
    with tf.variable_scope("image_filters") as scope:
        result1 = _my_image_filter(image1)
        scope.reuse_variables()
        result2 = _my_image_filter(image2)
    with tf.variable_scope("foo"):
        with tf.name_scope("bar"):
            v = tf.get_variable("v", [1])
            x = 1.0 + v
    assert v.name == "foo/v:0"
    assert x.op.name == "foo/bar/add"

    names = [var.name for var in tf.global_variables()]
    assert names == ["image_filters/conv1_weights:0", "image_filters/conv1_biases:0", "foo/v:0"]
    assert result1.name == "image_filters/Relu:0"
    assert result2.name == "image_filters/Relu_1:0"
    w = np.asarray(tf.global_variables()[0])
    b = np.asarray(tf.global_variables()[1])
    np.testing.assert_allclose(np.asarray(result1), _reference(image1, w, b), rtol=1e-4,
                               atol=1e-3)
    np.testing.assert_allclose(np.asarray(result2), _reference(image2, w, b), rtol=1e-4,
                               atol=1e-3)


def test_seed_filter_twice_without_reuse_raises_tf_error() -> None:
    image = np.zeros((1, 8, 8, 32), np.float32)
    with tf.variable_scope("image_filters"):
        _my_image_filter(image)
        with pytest.raises(ValueError) as info:
            _my_image_filter(image)
    assert str(info.value) == (
        "Variable image_filters/conv1_weights already exists, disallowed. Did you mean to set "
        "reuse=True or reuse=tf.AUTO_REUSE in VarScope?"
    )
    assert len(tf.global_variables()) == 2
