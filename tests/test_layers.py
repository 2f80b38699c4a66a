"""tf.layers beyond the golden set: channels_first against channels_last, gradients through
the layers, the unbuilt-symbol and unbuilt-argument errors, UPDATE_OPS de-duplication and a
Layer subclass."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import varstore as tf


def _rand(*shape: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def _nchw(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a.transpose(0, 3, 1, 2))


@pytest.mark.parametrize(
    "build",
    [
        lambda x, fmt: tf.layers.conv2d(x, 3, 3, padding="same", data_format=fmt,
                                        kernel_initializer=tf.constant_initializer(0.1),
                                        bias_initializer=tf.constant_initializer(0.2)),
        lambda x, fmt: tf.layers.conv2d_transpose(
            x, 3, 3, strides=2, padding="same", data_format=fmt,
            kernel_initializer=tf.constant_initializer(0.1)),
        lambda x, fmt: tf.layers.max_pooling2d(x, 2, 2, data_format=fmt),
        lambda x, fmt: tf.layers.average_pooling2d(x, 3, 1, padding="same", data_format=fmt),
    ],
    ids=["conv2d", "conv2d_transpose", "max_pool", "avg_pool"],
)
def test_channels_first_matches_channels_last(build: Any) -> None:
    a = _rand(2, 5, 5, 2)
    last = build(tf.constant(a), "channels_last")
    first = build(tf.constant(_nchw(a)), "channels_first")
    assert first.shape.as_list() == [last.shape[0], last.shape[3], last.shape[1],
                                     last.shape[2]]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got_last, got_first = sess.run([last, first])
    np.testing.assert_allclose(got_first, _nchw(got_last), rtol=1e-5, atol=1e-5)


def test_flatten_channels_first_orders_as_channels_last() -> None:
    a = _rand(2, 3, 3, 2)
    last = tf.layers.flatten(tf.constant(a))
    first = tf.layers.flatten(tf.constant(_nchw(a)), data_format="channels_first")
    with tf.Session() as sess:
        np.testing.assert_array_equal(*sess.run([last, first]))


def test_batch_norm_channels_first_matches_channels_last() -> None:
    a = _rand(4, 3, 3, 2) * 2.0 + 1.0
    last = tf.layers.batch_normalization(tf.constant(a), training=True)
    first = tf.layers.batch_normalization(tf.constant(_nchw(a)), axis=1, training=True)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got_last, got_first, _ = sess.run([last, first, updates])
        stats = sess.run([v for v in tf.global_variables() if "moving_" in v.name])
    np.testing.assert_allclose(got_first, _nchw(got_last), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(stats[0], stats[2], rtol=1e-6)
    np.testing.assert_allclose(stats[1], stats[3], rtol=1e-6)
    # The fused path moves towards the n/(n-1)-corrected batch variance.
    n = a.shape[0] * a.shape[1] * a.shape[2]
    expected = 1.0 - (1.0 - a.var(axis=(0, 1, 2)) * n / (n - 1)) * 0.01
    np.testing.assert_allclose(stats[1], expected, rtol=1e-5)


def test_gradients_reach_every_trainable_variable() -> None:
    x = tf.constant(_rand(2, 4))
    h = tf.layers.dense(x, 2 * 2 * 3, activation=tf.nn.relu)
    h = tf.reshape(h, [-1, 2, 2, 3])
    h = tf.layers.conv2d_transpose(h, 2, 3, strides=2, padding="same")
    h = tf.layers.batch_normalization(h, training=True)
    h = tf.layers.max_pooling2d(tf.nn.relu(h), 2, 1)
    loss = tf.reduce_sum(tf.square(tf.layers.flatten(h)))
    tvars = tf.trainable_variables()
    assert len(tvars) == 6
    grads = tf.gradients(loss, tvars)
    assert all(g is not None for g in grads)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run(grads)
    assert all(np.all(np.isfinite(v)) for v in values)


def test_unbuilt_layers_name_themselves() -> None:
    with pytest.raises(AttributeError, match=r"varstore lacks tf\.layers\.Conv4D"):
        _ = tf.layers.Conv4D
    with pytest.raises(AttributeError, match=r"tf\.layers\.conv4d_transpose"):
        _ = tf.layers.conv4d_transpose


def test_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="Keyword argument not understood: 'unitz'"):
        tf.layers.Dense(3, unitz=4)


def test_update_ops_collected_once_per_update() -> None:
    bn = tf.layers.BatchNormalization()
    x = tf.zeros([2, 3])
    bn(x, training=True)
    bn(x, training=False)
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 2
    assert len(bn.updates) == 2


def test_layer_subclass_builds_once_and_reuses() -> None:
    class Scale(tf.layers.Layer):
        def build(self, input_shape: Any) -> None:
            self.w = self.add_weight("w", [int(input_shape[-1])],
                                     initializer=tf.constant_initializer(2.0))
            self.built = True

        def call(self, inputs: Any) -> Any:
            return inputs * self.w

    layer = Scale()
    a = layer(tf.ones([1, 3]))
    b = layer(tf.ones([2, 3]))
    assert layer.name == "scale_1"
    assert layer.scope_name == "scale"
    assert [v.name for v in layer.weights] == ["scale/w:0"]
    assert [v.name for v in tf.global_variables()] == ["scale/w:0"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(b), np.full((2, 3), 2.0, np.float32))
        np.testing.assert_array_equal(sess.run(a), np.full((1, 3), 2.0, np.float32))


def test_tf_layers_compute_output_shape_as_tf() -> None:
    # Recorded from TF 2.21 (tf.compat.v1.layers over tf-keras 2.21).
    L = tf.layers

    def s(layer, shape):
        return tf.TensorShape(layer.compute_output_shape(shape)).as_list()

    assert s(L.Dense(3), (None, 4)) == [None, 3]
    assert s(L.Dense(3), (2, 5, 4)) == [2, 5, 3]
    with pytest.raises(ValueError, match="last dimension of the input shape of a Dense"):
        L.Dense(3).compute_output_shape((None, None))
    with pytest.raises(ValueError):
        L.Dense(3).compute_output_shape((4,))
    assert s(L.Flatten(), (1, 2, 3, 2)) == [1, 12]
    assert s(L.Flatten(), (None, 3, None)) == [None, None]
    assert s(L.Flatten(), ()) == [1, 1]  # tf-keras' rule, as written
    assert s(L.Conv2D(4, 3), (2, 10, 9, 3)) == [2, 8, 7, 4]
    assert s(L.Conv2D(4, 3, strides=2, padding="same"), (None, 10, 9, 3)) == [None, 5, 5, 4]
    assert s(L.Conv2D(4, 3, data_format="channels_first"), (2, 3, 10, 9)) == [2, 4, 8, 7]
    with pytest.raises(ValueError, match=r"One of the dimensions in the output is <= 0 due "
                       r"to downsampling in conv2d_\d+\. Consider increasing the input size\. "
                       r"Received input shape \[2, 3, 3, 3\]"):
        L.Conv2D(4, 5).compute_output_shape((2, 3, 3, 3))
    assert s(L.Conv1D(4, 3, dilation_rate=2), (2, 10, 3)) == [2, 6, 4]
    assert s(L.Conv3D(2, 2), (1, 4, 5, 6, 3)) == [1, 3, 4, 5, 2]
    assert s(L.Conv2DTranspose(4, 3, strides=2), (2, 5, 6, 3)) == [2, 11, 13, 4]
    assert s(L.Conv2DTranspose(4, 3, strides=2, padding="same"), (None, 5, None, 3)) == [
        None, 10, None, 4]
    assert s(L.Conv3DTranspose(2, 2, strides=2), (1, 4, 5, 6, 3)) == [1, 8, 10, 12, 2]
    assert s(L.MaxPooling2D(2, 2), (2, 9, 8, 3)) == [2, 4, 4, 3]
    assert s(L.AveragePooling2D(3, 2, padding="same"), (None, 9, 8, 3)) == [None, 5, 4, 3]
    assert s(L.MaxPooling1D(2, 2), (2, 9, 3)) == [2, 4, 3]
    assert s(L.MaxPooling3D(2, 2), (2, 4, 5, 6, 3)) == [2, 2, 2, 3, 3]
    assert s(L.Dropout(0.5), tf.TensorShape((2, 3))) == [2, 3]
    assert s(L.BatchNormalization(), tf.TensorShape((2, 3))) == [2, 3]


def test_tf_layers_losses_rebuild_weight_regularizers_as_tf() -> None:
    # TF's graph-mode Layer.losses: the activity loss, then each weight regularizer built
    # anew on every access (names recorded from TF 2.21); a reused layer adds none.
    reg = lambda x: tf.reduce_sum(x) * 1e-3
    x = tf.ones([5, 3])
    d = tf.layers.Dense(2, name="my_dense", kernel_regularizer=reg, bias_regularizer=reg,
                        activity_regularizer=reg)
    d(x)
    assert d.activity_regularizer is reg
    assert [t.name for t in d.losses] == ["my_dense/ActivityRegularizer/truediv:0",
                                          "kernel/Regularizer/mul:0", "bias/Regularizer/mul:0"]
    assert [t.name for t in d.losses] == ["my_dense/ActivityRegularizer/truediv:0",
                                          "kernel/Regularizer_1/mul:0",
                                          "bias/Regularizer_1/mul:0"]
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 3
    tf.layers.dense(x, 2, name="my_dense", kernel_regularizer=reg, bias_regularizer=reg,
                    reuse=True)
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 3
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        k, b = sess.run([d.kernel, d.bias])
        got = sess.run(d.losses[1:])
    np.testing.assert_allclose(got, [k.sum() * 1e-3, b.sum() * 1e-3], rtol=1e-6)


def test_fused_batch_norm_bessel_flag_as_tf() -> None:
    # TF's legacy BN tests turn off the fused kernel's Bessel correction of the moving
    # variance (_bessels_correction_test_only = False): the update then takes the batch's
    # population variance.
    x = np.arange(16, dtype=np.float32).reshape(2, 2, 2, 2)
    for flag, ddof in ((True, 1), (False, 0)):
        with tf.Graph().as_default():
            bn = tf.layers.BatchNormalization(momentum=0.0, fused=True)
            bn._bessels_correction_test_only = flag
            bn(tf.constant(x), training=True)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                sess.run(bn.updates)
                got = sess.run(bn.moving_variance)
        np.testing.assert_allclose(got, x.reshape(-1, 2).var(0, ddof=ddof), rtol=1e-5)


def test_tf_layers_layer_api_as_tf() -> None:
    # tf.layers.Layer's InputSpec checks, conditional updates/losses, count_params and
    # add_weight's synchronization rules; messages recorded from TF 2.21 (tf-keras 2.21).
    def spec_error(spec, x):
        class L(tf.layers.Layer):
            def __init__(self):
                super().__init__()
                self.input_spec = tf.layers.InputSpec(**spec)

            def call(self, inputs):
                return inputs

        with pytest.raises(ValueError) as info:
            L()(x)
        return str(info.value).split(": ", 1)[1]

    assert spec_error({"max_ndim": 2}, tf.constant([[[1], [2]]])) == \
        "expected max_ndim=2, found ndim=3"
    assert spec_error({"dtype": "float32"}, tf.constant(1)) == \
        "expected dtype=float32, found dtype=<dtype: 'int32'>"
    assert spec_error({"shape": (None, 3)}, tf.constant([[1, 2]])) == \
        "expected shape=(None, 3), found shape=(1, 2)"
    assert spec_error({"axes": {-1: 2}}, tf.constant([1, 2, 3])) == \
        "expected axis -1 of input shape to have value 2, but received input with shape (3,)"

    class MyLayer(tf.layers.Layer):
        def build(self, input_shape):
            self.a = self.add_weight("a", (), tf.float32, trainable=False)
            self.add_update(tf.assign_add(self.a, 1.0, name="b_update"))
            self.add_loss(self.a)
            super().build(input_shape)

        def call(self, inputs):
            self.add_update(tf.assign_add(self.a, inputs, name="a_update"))
            self.add_loss(inputs, inputs=True)
            return inputs + 1

    layer = MyLayer()
    inputs = tf.placeholder(tf.float32, (), "inputs")
    outputs = layer(inputs + 1)
    assert [len(layer.updates), len(layer.get_updates_for(None)),
            len(layer.get_updates_for([inputs])), len(layer.get_updates_for([outputs]))] == [
        2, 1, 1, 0]
    assert [len(layer.losses), len(layer.get_losses_for(None)),
            len(layer.get_losses_for([inputs])), len(layer.get_losses_for([outputs]))] == [
        2, 1, 1, 0]

    d = tf.layers.Dense(16)
    d.build((None, 4))
    assert d.count_params() == 80
    with pytest.raises(ValueError, match=r"^You tried to call `count_params` on dense_\d+, "
                       r"but the layer isn't built"):
        tf.layers.Dense(3).count_params()

    sync = tf.layers.Layer(name="sync")
    v = sync.add_weight("v", [2], initializer=tf.zeros_initializer(),
                        synchronization=tf.VariableSynchronization.ON_READ,
                        aggregation=tf.VariableAggregation.SUM)
    assert (v.name, v.trainable, sync.non_trainable_variables) == ("sync/v:0", False, [v])
    with pytest.raises(ValueError, match=r"VariableSynchronization\.ON_READ only for "
                       r"non-trainable variables\. You have specified trainable=True"):
        sync.add_weight("w", [2], synchronization=tf.VariableSynchronization.ON_READ,
                        trainable=True)
    with pytest.raises(TypeError, match="Unknown keyword argument"):
        sync.add_weight("w", [2], foo=1)
