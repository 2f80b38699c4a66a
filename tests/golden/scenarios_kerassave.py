"""Golden scenarios of Keras model serialization in graph mode: ``get_config`` and
``to_json`` of Sequential and functional models (shared layers, merges, nested models),
models rebuilt by ``from_config`` / ``model_from_json``, and whole-model HDF5 files
(``model.save`` / ``load_model``): the file's attributes and groups, the predictions of the
reloaded model, and training resumed from the saved optimizer state.

Weights are set from fixed arrays; fit does not shuffle. Conventions as ``scenarios.py``;
recorded by ``record_tf.py --set kerassave``.
"""

import json
import os
import tempfile

import numpy as np
from golden_helpers import error, scenarios_of, values


def _fix(model, k=0):
    model.set_weights([np.sin(np.arange(w.size) * 0.3 + i + k).reshape(w.shape)
                       .astype(np.float32) * 0.3 for i, w in enumerate(model.get_weights())])


def _data():
    rng = np.random.RandomState(0)
    return rng.randn(16, 6).astype(np.float32), rng.randn(16, 2).astype(np.float32)


def _functional(K, rate=0.2):
    inp = K.Input((6,), name="x")
    h = K.layers.Dense(8, activation="tanh", name="d1")(inp)
    shared = K.layers.Dense(8, name="sh")
    h2 = shared(h)
    h3 = shared(K.layers.Activation("relu", name="act")(h2))
    merged = K.layers.Concatenate(name="cat")([h2, h3])
    out = K.layers.Dense(2, name="out")(K.layers.Dropout(rate, name="drop")(merged))
    return K.Model(inp, [out, h3], name="net")


def scenario_configs(tf):
    K = tf.keras
    seq = K.Sequential([K.layers.Dense(4, activation="relu", input_shape=(6,), name="a"),
                        K.layers.BatchNormalization(name="bn"),
                        K.layers.Dense(2, name="b")], name="seq")
    lazy = K.Sequential([K.layers.Dense(3, name="c")], name="lazy")
    fn = _functional(K)
    outer_in = K.Input((6,), name="outer_x")
    nested = K.Model(outer_in, seq(outer_in), name="outer")
    return {"seq": seq.get_config(), "lazy": lazy.get_config(), "fn": fn.get_config(),
            "nested": nested.get_config(),
            "json": {k: v for k, v in json.loads(fn.to_json()).items() if k != "config"},
            "seq_json_class": json.loads(seq.to_json())["class_name"]}


def scenario_from_config_rebuilds(tf):
    K = tf.keras
    x, _ = _data()
    fn = _functional(K)
    _fix(fn)
    again = K.Model.from_config(fn.get_config())
    again.set_weights(fn.get_weights())
    from_json = K.models.model_from_json(fn.to_json())
    from_json.set_weights(fn.get_weights())
    seq = K.Sequential([K.layers.Dense(4, activation="relu", input_shape=(6,)),
                        K.layers.Dense(2)])
    _fix(seq, 1)
    seq2 = K.Sequential.from_config(seq.get_config())
    seq2.set_weights(seq.get_weights())
    return {"names": [la.name for la in again.layers],
            "fn": [values(p) for p in again.predict(x[:3])],
            "json": [values(p) for p in from_json.predict(x[:3])],
            "orig": [values(p) for p in fn.predict(x[:3])],
            "seq": values(seq2.predict(x[:3])),
            "seq_layers": [type(la).__name__ for la in seq2.layers],
            "bad": error(lambda: K.models.model_from_config([1, 2]))}


def _h5_layout(path):
    import h5py

    out = {}
    with h5py.File(path, "r") as f:
        out["attrs"] = sorted(f.attrs.keys())
        out["groups"] = sorted(f.keys())
        out["layer_names"] = [n.decode() if isinstance(n, bytes) else str(n)
                              for n in f["model_weights"].attrs["layer_names"]]
        out["model_config"] = json.loads(f.attrs["model_config"])
        if "training_config" in f.attrs:
            out["training_config"] = json.loads(f.attrs["training_config"])
        if "optimizer_weights" in f:
            out["n_optimizer_weights"] = len(f["optimizer_weights"].attrs["weight_names"])
    return out


def scenario_save_and_load_h5(tf):
    K = tf.keras
    x, y = _data()
    fn = _functional(K, rate=0.0)  # (no random dropout while training: streams differ)
    _fix(fn)
    fn.compile(K.optimizers.Adam(0.01), ["mse", "mae"], metrics=["mae"],
               loss_weights=[1.0, 0.5])
    fn.fit(x, [y, np.zeros((16, 8), np.float32)], batch_size=8, epochs=2, verbose=0,
           shuffle=False)
    seq = K.Sequential([K.layers.Dense(4, activation="relu", input_shape=(6,)),
                        K.layers.Dropout(0.0), K.layers.Dense(2)])
    _fix(seq, 2)
    seq.compile(K.optimizers.SGD(0.1, momentum=0.9), K.losses.MeanSquaredError())
    seq.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
    uncompiled = K.Sequential([K.layers.Dense(2, input_shape=(6,))])
    _fix(uncompiled, 3)
    d = tempfile.mkdtemp()
    out = {}
    for name, model in (("fn", fn), ("seq", seq), ("plain", uncompiled)):
        path = os.path.join(d, name + ".h5")
        model.save(path)
        layout = _h5_layout(path)
        loaded = K.models.load_model(path)
        pred = loaded.predict(x[:3])
        entry = {"layout": layout,
                 "pred": [values(p) for p in pred] if isinstance(pred, list) else values(pred),
                 "same": bool(all(np.allclose(a, b) for a, b in zip(
                     pred if isinstance(pred, list) else [pred],
                     model.predict(x[:3]) if isinstance(pred, list)
                     else [model.predict(x[:3])])))}
        if name == "fn":
            loaded.fit(x, [y, np.zeros((16, 8), np.float32)], batch_size=8, epochs=1,
                       verbose=0, shuffle=False)
            entry["resumed"] = [values(p) for p in loaded.predict(x[:3])]
            entry["optimizer"] = type(loaded.optimizer).__name__
        if name == "seq":
            loaded.fit(x, y, batch_size=8, epochs=1, verbose=0, shuffle=False)
            entry["resumed"] = values(loaded.predict(x[:3]))
        out[name] = entry
    return out


def _plain(config):
    # JSON as tf-keras' get_json_type writes NumPy values and tuples
    def default(obj):
        if isinstance(obj, (np.generic, np.ndarray)):
            return obj.tolist()
        return repr(obj)
    return json.loads(json.dumps(config, default=default))


def _layer_cases(K):
    L = K.layers
    return {
        "Conv2D": (lambda: L.Conv2D(4, 3, strides=2, padding="same", activation="relu"),
                   (8, 8, 3)),
        "Conv1D": (lambda: L.Conv1D(4, 3), (8, 3)),
        "Conv2DTranspose": (lambda: L.Conv2DTranspose(4, 3, strides=2), (8, 8, 3)),
        "SeparableConv2D": (lambda: L.SeparableConv2D(4, 3), (8, 8, 3)),
        "DepthwiseConv2D": (lambda: L.DepthwiseConv2D(3), (8, 8, 3)),
        "Conv3D": (lambda: L.Conv3D(2, 3), (6, 6, 6, 1)),
        "MaxPooling2D": (lambda: L.MaxPooling2D(), (8, 8, 3)),
        "AveragePooling2D": (lambda: L.AveragePooling2D(3, 2, "same"), (8, 8, 3)),
        "GlobalAveragePooling2D": (lambda: L.GlobalAveragePooling2D(), (8, 8, 3)),
        "GlobalMaxPooling1D": (lambda: L.GlobalMaxPooling1D(), (8, 3)),
        "MaxPooling1D": (lambda: L.MaxPooling1D(), (8, 3)),
        "Flatten": (lambda: L.Flatten(), (8, 8, 3)),
        "Reshape": (lambda: L.Reshape((64, 3)), (8, 8, 3)),
        "Permute": (lambda: L.Permute((2, 1)), (8, 3)),
        "RepeatVector": (lambda: L.RepeatVector(2), (3,)),
        "Embedding": (lambda: L.Embedding(10, 4), (5,)),
        "LSTM": (lambda: L.LSTM(4, return_sequences=True), (5, 3)),
        "GRU": (lambda: L.GRU(4), (5, 3)),
        "SimpleRNN": (lambda: L.SimpleRNN(4), (5, 3)),
        "Bidirectional": (lambda: L.Bidirectional(L.LSTM(2)), (5, 3)),
        "TimeDistributed": (lambda: L.TimeDistributed(L.Dense(2)), (5, 3)),
        "LayerNormalization": (lambda: L.LayerNormalization(), (5, 3)),
        "LeakyReLU": (lambda: L.LeakyReLU(0.2), (3,)),
        "ReLU": (lambda: L.ReLU(), (3,)),
        "ELU": (lambda: L.ELU(), (3,)),
        "PReLU": (lambda: L.PReLU(), (3,)),
        "Softmax": (lambda: L.Softmax(), (3,)),
        "UpSampling2D": (lambda: L.UpSampling2D(), (4, 4, 3)),
        "ZeroPadding2D": (lambda: L.ZeroPadding2D(), (4, 4, 3)),
        "Cropping2D": (lambda: L.Cropping2D(1), (4, 4, 3)),
        "GaussianNoise": (lambda: L.GaussianNoise(0.1), (3,)),
        "GaussianDropout": (lambda: L.GaussianDropout(0.1), (3,)),
        "SpatialDropout2D": (lambda: L.SpatialDropout2D(0.1), (4, 4, 3)),
        "Masking": (lambda: L.Masking(), (5, 3)),
        "Dense_reg": (lambda: L.Dense(2, kernel_regularizer=K.regularizers.l2(0.01),
                                      kernel_constraint=K.constraints.max_norm(2.0),
                                      kernel_initializer="he_normal"), (3,)),
        "Lambda": (lambda: L.Lambda(lambda t: t * 2.0), (3,)),
        "BatchNormalization": (lambda: L.BatchNormalization(axis=1), (4, 3)),
    }


def scenario_layer_configs(tf):
    # every layer's get_config (its build_config too) as tf-keras writes it; a Lambda's
    # bytecode depends on the file's path, so only its kind is recorded
    K = tf.keras
    out = {}
    for name, (make, shape) in _layer_cases(K).items():
        layer = make()
        layer(K.Input(shape))
        config = _plain(layer.get_config())
        if name == "Lambda":
            config["function"] = type(config["function"]).__name__
        out[name] = config
    return out


def scenario_clone_and_layer_serialize(tf):
    K = tf.keras
    seq = K.Sequential([K.layers.Dense(3, input_shape=(2,), name="a"),
                        K.layers.Dense(1, name="b")], name="s")
    inp = K.Input((2,), name="i")
    fn = K.Model(inp, K.layers.Dense(2, name="q")(inp), name="f")
    c1, c2 = K.models.clone_model(seq), K.models.clone_model(fn)
    dense = K.layers.Dense(4, activation="tanh", name="z")
    ser = K.layers.serialize(dense)
    back = K.layers.deserialize(ser)
    legacy = K.layers.serialize(dense, use_legacy_format=True)
    model_back = K.layers.deserialize({"class_name": "Sequential",
                                       "config": seq.get_config()})
    return {"seq": [c1.name, [la.name for la in c1.layers], len(c1.weights)],
            "fn": [c2.name, [la.name for la in c2.layers]],
            "new_weights": [w1 is not w2 for w1, w2 in zip(c1.weights, seq.weights)],
            "ser": ser, "legacy": legacy,
            "back": [type(back).__name__, back.name, back.units, back.get_config()],
            "model_back": [type(model_back).__name__, [la.name for la in model_back.layers]],
            "subclassed": error(lambda: K.models.clone_model(K.layers.Dense(1)))}


def all_scenarios():
    return scenarios_of(globals())
