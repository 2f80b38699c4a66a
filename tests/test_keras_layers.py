"""tf.keras behaviour the golden set cannot express: the refusals (training loops, layers
varstore lacks), the v2-behaviour switch and its restore, the global session's
initialization, and sharing by layer object."""

from __future__ import annotations

import numpy as np
import pytest

import varstore as tf
from varstore.framework import mode

K = tf.keras


@pytest.mark.parametrize("method", ["fit_generator", "evaluate_generator", "predict_generator"])
def test_model_training_loops_raise_naming_the_method(method: str) -> None:
    inp = K.Input(shape=(3,))
    model = K.Model(inp, K.layers.Dense(1)(inp))
    with pytest.raises(NotImplementedError,
                       match=rf"varstore lacks tf\.keras\.Model\.{method}: .*tf\.train "
                             r"optimizer.*tf\.Session"):
        getattr(model, method)()


@pytest.mark.parametrize("name", ["ConvLSTM2D", "CuDNNLSTM", "Conv3DTranspose"])
def test_missing_layers_raise_attribute_error_naming_them(name: str) -> None:
    with pytest.raises(AttributeError, match=rf"varstore lacks tf\.keras\.layers\.{name}$"):
        getattr(K.layers, name)


def test_missing_keras_submodule_raises_naming_it() -> None:
    with pytest.raises(AttributeError, match=r"varstore lacks tf\.keras\.applications$"):
        _ = K.applications


def test_disable_v2_behavior_switches_initializers_and_enable_restores() -> None:
    assert mode.tf2_enabled()
    tf.disable_v2_behavior()
    try:
        assert not mode.tf2_enabled()
        K.layers.Dense(2)(tf.placeholder(tf.float32, [None, 3]))
        types = {op.type for op in tf.get_default_graph().get_operations()}
        assert "RandomUniform" in types and "StatelessRandomUniformV2" not in types
    finally:
        with pytest.raises(NotImplementedError, match=r"varstore lacks tf\.enable_v2_"):
            tf.enable_v2_behavior()
    assert mode.tf2_enabled()


def test_get_weights_through_keras_global_session_initializes_variables() -> None:
    d = K.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")
    d(tf.placeholder(tf.float32, [None, 3]))
    kernel, bias = d.get_weights()  # no default session: Keras' own, variables initialized
    np.testing.assert_array_equal(kernel, np.ones((3, 2), np.float32))
    np.testing.assert_array_equal(bias, np.zeros(2, np.float32))
    d.set_weights([np.full((3, 2), 2.0), np.ones(2)])
    np.testing.assert_array_equal(d.get_weights()[0], np.full((3, 2), 2.0, np.float32))
    K.backend.clear_session()


def test_keras_layers_ignore_variable_scope_reuse_and_share_by_object() -> None:
    x = tf.placeholder(tf.float32, [None, 3])
    with tf.variable_scope("s"):
        a = K.layers.Dense(2)
        a(x)
    with tf.variable_scope("s", reuse=True):
        K.layers.Dense(2)(x)  # a new layer: new variables, reuse plays no part
        a(x)  # the same layer: no new variables
    names = [v.name for v in tf.global_variables()]
    assert names == ["s/dense/kernel:0", "s/dense/bias:0", "s_1/dense_1/kernel:0",
                     "s_1/dense_1/bias:0"]


def test_batchnorm_updates_are_not_in_update_ops() -> None:
    bn = K.layers.BatchNormalization()
    bn(tf.placeholder(tf.float32, [None, 4]), training=True)
    assert len(bn.updates) == 2
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []


def test_learning_phase_is_one_placeholder_per_graph_and_settable() -> None:
    lp = K.backend.learning_phase()
    assert lp is K.backend.learning_phase()
    assert lp.op.type == "PlaceholderWithDefault"
    with K.backend.learning_phase_scope(1):
        assert K.backend.learning_phase() == 1
    assert K.backend.learning_phase() is lp
    with pytest.raises(ValueError, match=r"Expected learning phase to be 0 or 1\."):
        K.backend.set_learning_phase(2)
    with tf.Graph().as_default():
        assert K.backend.learning_phase() is not lp


def test_layer_unknown_keyword_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="Keyword argument not understood:"):
        K.layers.Dense(2, foo=1)


def test_model_weights_are_shared_between_calls() -> None:
    inp = K.Input(shape=(3,))
    model = K.Model(inp, K.layers.Dense(2)(inp))
    before = len(tf.global_variables())
    model(tf.placeholder(tf.float32, [None, 3]))
    model(tf.placeholder(tf.float32, [None, 3]))
    assert len(tf.global_variables()) == before == 2


def test_missing_backend_function_raises_naming_it() -> None:
    with pytest.raises(AttributeError, match=r"varstore lacks tf\.keras\.backend\.ctc_batch_cost$"):
        _ = K.backend.ctc_batch_cost


@pytest.mark.parametrize("method", ["get_updates_for", "get_losses_for"])
def test_unbuilt_layer_methods_raise_naming_them(method: str) -> None:
    with pytest.raises(NotImplementedError,
                       match=rf"varstore lacks tf\.keras\.layers\.Layer\.{method}"):
        getattr(K.layers.Dense(1), method)(None)
