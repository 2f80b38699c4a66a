"""Keras compile / fit / evaluate / predict in graph mode: what the golden set kerasfit
cannot express (multi-output models, dropout's learning phase, the refusals by name)."""

from __future__ import annotations

import numpy as np
import pytest

import varstore as tf

K = tf.keras


def _two_output_model():
    inp = K.Input(shape=(3,), name="x")
    hidden = K.layers.Dense(4, activation="relu", name="h")(inp)
    a = K.layers.Dense(2, name="a")(hidden)
    b = K.layers.Dense(1, activation="sigmoid", name="b")(hidden)
    return K.Model(inp, [a, b])


def test_two_outputs_name_their_losses_and_metrics_and_weight_the_total():
    model = _two_output_model()
    model.compile("sgd", loss=["mse", "binary_crossentropy"], loss_weights=[1.0, 0.5],
                  metrics={"b": ["accuracy"]})
    assert model.metrics_names == ["loss", "a_loss", "b_loss", "b_accuracy"]
    x = np.random.RandomState(0).randn(6, 3).astype(np.float32)
    ya = np.ones((6, 2), np.float32)
    yb = np.array([0, 1, 0, 1, 1, 0], np.float32)
    loss, a_loss, b_loss, acc = model.test_on_batch(x, [ya, yb])
    np.testing.assert_allclose(loss, a_loss + 0.5 * b_loss, rtol=1e-6)
    assert 0.0 <= acc <= 1.0
    history = model.fit(x, {"a": ya, "b": yb}, epochs=2, verbose=0)
    assert sorted(history.history) == ["a_loss", "b_accuracy", "b_loss", "loss"]
    assert history.epoch == [0, 1]


def test_fit_feeds_the_learning_phase_so_dropout_is_active_only_in_training():
    inp = K.Input(shape=(50,))
    model = K.Model(inp, K.layers.Dropout(0.5)(inp))
    model.compile("sgd", "mse")
    x = np.ones((4, 50), np.float32)
    np.testing.assert_array_equal(model.predict(x), x)
    # mse against the input itself is 0 unless dropout zeroes (and rescales) units
    assert model.test_on_batch(x, x) == 0.0
    assert model.train_on_batch(x, x) > 0.0


@pytest.mark.parametrize(("kwargs", "what"), [
    ({"class_weight": {0: 1.0}, "verbose": 0}, r"fit\(class_weight=\.\.\.\)"),
    ({"steps_per_epoch": 2, "verbose": 0}, r"fit\(steps_per_epoch=")],
    ids=["class_weight", "steps"])
def test_fit_options_not_built_are_named(kwargs, what):
    model = _two_output_model()
    model.compile("sgd", ["mse", "mse"])
    x = np.ones((2, 3), np.float32)
    with pytest.raises(NotImplementedError, match=rf"varstore lacks tf\.keras\.Model\.{what}"):
        model.fit(x, [np.ones((2, 2)), np.ones((2, 1))], **kwargs)


def test_fit_on_a_tensor_is_refused_by_name():
    model = _two_output_model()
    model.compile("sgd", ["mse", "mse"])
    with pytest.raises(NotImplementedError, match="datasets and generators"):
        model.fit(tf.constant(np.ones((2, 3), np.float32)), None, verbose=0)


def test_subclassed_model_compile_is_refused_by_name():
    class Net(K.Model):
        def call(self, inputs):
            return inputs

    with pytest.raises(NotImplementedError, match="compile of a subclassed model"):
        Net().compile("sgd", "mse")


def test_tf_train_optimizer_trains_through_compile():
    inp = K.Input(shape=(2,))
    model = K.Model(inp, K.layers.Dense(1, kernel_initializer="ones")(inp))
    model.compile(tf.train.GradientDescentOptimizer(0.1), "mse")
    x = np.array([[1.0, 2.0]], np.float32)
    first = model.train_on_batch(x, np.zeros((1, 1)))
    second = model.train_on_batch(x, np.zeros((1, 1)))
    np.testing.assert_allclose(first, 9.0)
    assert second < first


def test_fit_callbacks_must_be_callbacks():
    model = _two_output_model()
    model.compile("sgd", ["mse", "mse"])
    with pytest.raises(TypeError, match="tf.keras.callbacks.Callback instances"):
        model.fit(np.ones((2, 3), np.float32), [np.ones((2, 2)), np.ones((2, 1))],
                  callbacks=[object()], verbose=0)
