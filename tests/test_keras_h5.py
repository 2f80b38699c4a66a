"""tf.keras Model.save_weights / load_weights in Keras' HDF5 layout and in TF's checkpoint
format, and ModelCheckpoint:
a file written by TF 2.21's tf-keras (tests/fixtures/keras_weights_tf.h5, made by the model
below with fixed weights) loads with TF's predictions; varstore's files have TF's layout and
round-trip; the same for TF's checkpoint format (tests/fixtures/keras_tf_ckpt); TF's errors
for mismatched files."""

from __future__ import annotations

import os

import numpy as np
import pytest

import varstore as tf

h5py = pytest.importorskip("h5py")
K = tf.keras
FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "keras_weights_tf.h5")
X = np.cos(np.arange(12).reshape(2, 6)).astype(np.float32)
# TF 2.21: the fixture's model predicts these for X
TF_PREDICTIONS = [[2.33109, 3.19374, 3.38152], [2.67196, 3.56459, 3.60755]]


def _model(units: int = 5):
    inp = K.Input((6,))
    h = K.layers.Dense(units, activation="relu", name="d1")(inp)
    h = K.layers.BatchNormalization(name="bn")(h)
    return K.Model(inp, K.layers.Dense(3, name="d2")(h))


def test_loads_a_file_tf_wrote() -> None:
    with tf.Graph().as_default():
        m = _model()
        m.load_weights(FIXTURE)
        np.testing.assert_allclose(m.predict(X), TF_PREDICTIONS, atol=1e-5)


def test_saved_file_has_tfs_layout_and_round_trips(tmp_path) -> None:
    path = str(tmp_path / "w.h5")
    with tf.Graph().as_default():
        m = _model()
        m.load_weights(FIXTURE)
        m.save_weights(path)
        want = m.get_weights()
    with h5py.File(path, "r") as f, h5py.File(FIXTURE, "r") as g:
        assert dict(f.attrs).keys() == dict(g.attrs).keys()
        assert list(f.attrs["layer_names"]) == list(g.attrs["layer_names"])
        names: list[str] = []
        f.visit(names.append)
        other: list[str] = []
        g.visit(other.append)
        assert names == other
        assert list(f["bn"].attrs["weight_names"]) == list(g["bn"].attrs["weight_names"])
        assert [str(n) for n in f["bn"].attrs["weight_names"]] == [
            "bn/gamma:0", "bn/beta:0", "bn/moving_mean:0", "bn/moving_variance:0"]
    with tf.Graph().as_default():
        m2 = _model()
        m2.load_weights(path)
        for a, b in zip(m2.get_weights(), want):
            np.testing.assert_array_equal(a, b)


def test_mismatched_files_raise_tfs_errors(tmp_path) -> None:
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=r"Shape mismatch in layer #0 \(named d1\) for "
                                             r"weight d1/kernel:0"):
            _model(units=4).load_weights(FIXTURE)
        small = K.Sequential([K.layers.Dense(2, input_shape=(6,))])
        with pytest.raises(ValueError, match="Layer count mismatch when loading weights "
                                             "from file. Model expected 1 layers, found 3"):
            small.load_weights(FIXTURE)


def test_model_checkpoint_saves_best_weights(tmp_path) -> None:
    rng = np.random.RandomState(0)
    x = rng.rand(32, 6).astype(np.float32)
    y = x @ rng.rand(6, 3).astype(np.float32)
    with tf.Graph().as_default():
        m = _model()
        m.compile("adam", "mse")
        pattern = str(tmp_path / "w-{epoch:02d}-{loss:.3f}.h5")
        cb = K.callbacks.ModelCheckpoint(pattern, monitor="loss", save_best_only=True,
                                         save_weights_only=True)
        h = m.fit(x, y, epochs=3, verbose=0, callbacks=[cb], shuffle=False)
        saved = sorted(os.listdir(tmp_path))
        losses = h.history["loss"]
        assert saved[0].startswith("w-01-") and len(saved) == 1 + sum(
            losses[i] < min(losses[:i]) for i in range(1, 3))
        whole = str(tmp_path / "model-{epoch}.h5")
        m.fit(x, y, epochs=1, verbose=0, callbacks=[K.callbacks.ModelCheckpoint(whole)],
              shuffle=False)
        loaded = K.models.load_model(str(tmp_path / "model-1.h5"))
        np.testing.assert_allclose(loaded.predict(x[:4]), m.predict(x[:4]), rtol=1e-6)


def _sequential():
    return K.Sequential([K.layers.Dense(5, activation="relu", input_shape=(6,)),
                         K.layers.Dropout(0.1), K.layers.BatchNormalization(),
                         K.layers.Dense(3)])


def test_loads_tfs_checkpoint_format_weights() -> None:
    # tests/fixtures/keras_tf_ckpt: TF 2.21's save_weights("w") of this model, same weights
    with tf.Graph().as_default():
        m = _sequential()
        m.load_weights(os.path.join(os.path.dirname(__file__), "fixtures", "keras_tf_ckpt",
                                    "w"))
        np.testing.assert_allclose(m.predict(X), TF_PREDICTIONS, atol=1e-5)


def test_checkpoint_format_keys_and_round_trip(tmp_path) -> None:
    prefix = str(tmp_path / "ck" / "w")
    with tf.Graph().as_default():
        m = _sequential()
        m.load_weights(os.path.join(os.path.dirname(__file__), "fixtures", "keras_tf_ckpt",
                                    "w"))
        m.save_weights(prefix)
        want = m.get_weights()
    names = [n for n, _ in tf.train.list_variables(prefix)]
    assert names == [n for n, _ in tf.train.list_variables(os.path.join(
        os.path.dirname(__file__), "fixtures", "keras_tf_ckpt", "w"))]
    assert "layer_with_weights-1/moving_mean/.ATTRIBUTES/VARIABLE_VALUE" in names
    assert tf.train.latest_checkpoint(str(tmp_path / "ck")) == prefix
    with tf.Graph().as_default():
        m2 = _sequential()
        m2.load_weights(prefix)
        for a, b in zip(m2.get_weights(), want):
            np.testing.assert_array_equal(a, b)
        wrong = K.Sequential([K.layers.Dense(4, input_shape=(6,))])
        with pytest.raises(ValueError, match="incompatible tensor with shape"):
            wrong.load_weights(prefix)
        with pytest.raises(ValueError, match="Unknown format"):
            wrong.save_weights(prefix, save_format="pickle")


MODEL_FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "keras_model_tf.h5")


def test_loads_a_whole_model_file_tf_wrote() -> None:
    # tf-keras 2.21 wrote it (model.save after 2 epochs of Adam): a functional model with a
    # shared Dense, compiled with mse and the mae metric; the predictions and the values
    # after one more epoch (resumed from the file's Adam state) are TF's, rounded to 1e-5
    rng = np.random.RandomState(0)
    x = rng.randn(16, 6).astype(np.float32)
    y = rng.randn(16, 2).astype(np.float32)
    with tf.Graph().as_default():
        m = K.models.load_model(MODEL_FIXTURE)
        assert [la.name for la in m.layers] == ["x", "d1", "sh", "act", "add", "out"]
        assert type(m.optimizer).__name__ == "Adam"
        np.testing.assert_allclose(m.predict(x[:3]), [[-0.02448, -0.11109],
                                                      [-0.16108, -0.21394],
                                                      [-0.18801, -0.26937]], atol=2e-5)
        m.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
        np.testing.assert_allclose(m.predict(x[:3]), [[0.22887, 0.15971],
                                                      [-0.01771, -0.05924],
                                                      [-0.00182, -0.07267]], atol=2e-5)


def test_whole_model_save_refuses_what_it_lacks(tmp_path) -> None:
    with tf.Graph().as_default():
        m = _model()
        with pytest.raises(NotImplementedError, match="SavedModel"):
            m.save(str(tmp_path / "dir"))
        m.save(str(tmp_path / "m.h5"))
        before = os.path.getsize(tmp_path / "m.h5")
        m.save(str(tmp_path / "m.h5"), overwrite=False)  # kept as it was
        assert os.path.getsize(tmp_path / "m.h5") == before
        with pytest.raises(NotImplementedError, match="SavedModel directory"):
            K.models.load_model(str(tmp_path))
