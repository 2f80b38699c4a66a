"""Golden scenarios of Keras training in TF1 graph mode (TF_USE_LEGACY_KERAS=1): the Keras
optimizers step by step (Adagrad, Adamax, SGD momentum / nesterov, Adam amsgrad) and
``Model.compile`` / ``fit`` / ``evaluate`` / ``predict`` / ``*_on_batch`` from fixed weights.

Same conventions as ``scenarios.py``: ``scenario_<name>(tf)`` returns JSON-able data; TF's
results are recorded by ``record_tf.py --set kerasfit`` into ``tf1_expected_kerasfit.json``.
Weights are set from fixed NumPy arrays after building (unseeded initializers differ), NumPy's
global RNG is seeded where fit shuffles, printed output is captured with its timings cut.
"""


import contextlib
import io
import re

import numpy as np


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    return a.tolist()


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return [type(e).__name__, str(e)]
    return None


def _steps(tf, make_opt, n=3):
    w = tf.Variable([1.0, -2.0, 0.5], name="w")
    b = tf.Variable([[0.25, -0.75]], name="b")
    opt = make_opt()
    op = opt.minimize(lambda: tf.reduce_sum(w * w * w) + tf.reduce_sum(tf.sin(b) * 3.0),
                      var_list=[w, b])
    steps = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(n):
            sess.run(op)
            steps.append([_v(sess.run(w)), _v(sess.run(b))])
    ops = sorted({o.type for o in tf.get_default_graph().get_operations()
                  if o.type.startswith("ResourceApply")})
    return {"steps": steps, "variables": [v.name for v in opt.variables()],
            "update": op.name, "apply_ops": ops, "config": {
                k: (float(v) if isinstance(v, (float, np.floating)) else v)
                for k, v in opt.get_config().items()}}


def scenario_optimizer_adagrad(tf):
    return _steps(tf, lambda: tf.keras.optimizers.Adagrad(0.2, initial_accumulator_value=0.5))


def scenario_optimizer_adagrad_defaults(tf):
    return _steps(tf, tf.keras.optimizers.Adagrad, n=2)


def scenario_optimizer_adamax(tf):
    return _steps(tf, lambda: tf.keras.optimizers.Adamax(0.1, beta_1=0.8, beta_2=0.9))


def scenario_optimizer_sgd_momentum(tf):
    return _steps(tf, lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9))


def scenario_optimizer_sgd_nesterov(tf):
    return _steps(tf, lambda: tf.keras.optimizers.SGD(0.05, momentum=0.5, nesterov=True), n=4)


def scenario_optimizer_adam_amsgrad(tf):
    return _steps(tf, lambda: tf.keras.optimizers.Adam(0.1, amsgrad=True), n=4)


def scenario_optimizer_new_errors(tf):
    return {"adagrad_accum": _err(lambda: tf.keras.optimizers.Adagrad(
                initial_accumulator_value=-1.0)),
            "sgd_momentum": _err(lambda: tf.keras.optimizers.SGD(momentum=1.5)),
            "by_name": [type(tf.keras.optimizers.get(n)).__name__
                        for n in ("adagrad", "adamax", "Adagrad")]}


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in sorted(globals().items())
            if k.startswith("scenario_")}


_RNG = np.random.RandomState(0)
_X = _RNG.randn(10, 3).astype(np.float32)
_Y = _RNG.randint(0, 3, size=10)
_YREG = _RNG.randn(10, 2).astype(np.float32)


def _model(tf, units=3, activation="softmax"):
    m = tf.keras.Sequential([tf.keras.layers.Dense(4, activation="relu", input_shape=(3,)),
                             tf.keras.layers.Dense(units, activation=activation)])
    rng = np.random.RandomState(1)
    m.set_weights([(rng.randn(*w.shape) * 0.5).astype(np.float32) for w in m.get_weights()])
    return m


def _hist(h):
    return {k: _v(v) for k, v in h.history.items()}


def _printed(fn):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        out = fn()
    text = re.sub(r"\d+(ms|us|s)/(epoch|sample|step)", "T", buf.getvalue())
    return re.sub(r" - \d+s(?= )", " - Ts", text), out


def scenario_fit_sparse_adam_history(tf):
    m = _model(tf)
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    np.random.seed(3)
    h = m.fit(_X, _Y, batch_size=4, epochs=3, verbose=0)
    return {"history": _hist(h), "epoch": h.epoch, "params": h.params,
            "metrics_names": m.metrics_names, "rng_after": _v(np.random.rand()),
            "variables": [v.name for v in tf.global_variables()],
            "metric_vars": [[v.name for v in x.variables] for x in m.metrics]}


def scenario_fit_verbose2_validation_split(tf):
    m = _model(tf)
    m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["acc"])
    np.random.seed(5)
    text, h = _printed(lambda: m.fit(_X, _Y, batch_size=3, epochs=2, verbose=2,
                                     validation_split=0.3))
    return {"printed": text, "history": _hist(h), "params": h.params}


def scenario_fit_validation_data_no_shuffle_mse(tf):
    m = _model(tf, 2, None)
    m.compile(optimizer=tf.keras.optimizers.SGD(0.05, momentum=0.9), loss="mse",
              metrics=["mae", "mse"])
    text, h = _printed(lambda: m.fit(_X[:7], _YREG[:7], batch_size=2, epochs=3, verbose=2,
                                     shuffle=False, validation_data=(_X[7:], _YREG[7:])))
    return {"printed": text, "history": _hist(h),
            "evaluate": _v(m.evaluate(_X, _YREG, batch_size=4, verbose=0)),
            "predict": _v(m.predict(_X[:5], batch_size=2))}


def scenario_fit_binary_accuracy_and_initial_epoch(tf):
    m = _model(tf, 1, "sigmoid")
    m.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
    np.random.seed(7)
    h = m.fit(_X, (_Y > 0).astype(np.float32), batch_size=5, epochs=3, initial_epoch=1,
              verbose=0, shuffle="batch")
    return {"history": _hist(h), "epoch": h.epoch, "rng_after": _v(np.random.rand())}


def scenario_on_batch_and_evaluate(tf):
    m = _model(tf)
    m.compile(optimizer=tf.keras.optimizers.Adagrad(0.1), loss="categorical_crossentropy",
              metrics=["accuracy", "categorical_crossentropy"])
    y = np.eye(3, dtype=np.float32)[_Y]
    out = {"train": [_v(m.train_on_batch(_X[:4], y[:4])) for _ in range(3)],
           "test": _v(m.test_on_batch(_X[4:], y[4:])),
           "predict_on_batch": _v(m.predict_on_batch(_X[:2])),
           "evaluate": _v(m.evaluate(_X, y, verbose=0)),
           "weighted": _v(m.train_on_batch(_X[:4], y[:4],
                                           sample_weight=np.array([1.0, 0.0, 2.0, 0.5])))}
    m2 = _model(tf, 2, None)
    m2.compile("sgd", "mse")
    out["loss_only"] = [_v(m2.train_on_batch(_X[:3], _YREG[:3])), m2.metrics_names,
                        _v(m2.evaluate(_X, _YREG, verbose=0))]
    return out


def scenario_fit_errors(tf):
    m = _model(tf, 2, None)
    fresh = _model(tf, 2, None)
    out = {"not_compiled": _err(lambda: fresh.fit(_X, _YREG, verbose=0))}
    m.compile("sgd", "mse")
    out.update({
        "bad_shape": _err(lambda: m.fit(np.ones((5, 4)), _YREG[:5], verbose=0)),
        "bad_rank": _err(lambda: m.fit(np.ones((5, 3, 1)), _YREG[:5], verbose=0)),
        "counts": _err(lambda: m.fit(_X, _YREG[:4], verbose=0)),
        "target_shape": _err(lambda: m.fit(_X, np.ones((10, 3)), verbose=0)),
        "predict_shape": _err(lambda: m.predict(np.ones((2, 5)))),
        "unknown_optimizer": _err(lambda: m.compile("nope", "mse")),
        "unknown_loss": _err(lambda: m.compile("sgd", "nope")),
        "evaluate_not_compiled": _err(lambda: fresh.evaluate(_X, _YREG, verbose=0))})
    return out


def scenario_fit_verbose1_progbar_final_lines(tf):
    """verbose=1: the bar's last rewrite of each epoch (the intermediate ones depend on
    timing, 0.05 s apart at most) and the first batch's line, which is always shown."""
    m = _model(tf)
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    np.random.seed(11)
    text, h = _printed(lambda: m.fit(_X, _Y, batch_size=4, epochs=2, verbose=1,
                                     validation_data=(_X[:3], _Y[:3])))
    text = re.sub(r"ETA: \d+s", "ETA: T", text).replace("\b", "")
    lines = []
    for line in text.split("\n"):
        parts = [p.rstrip() for p in line.split("\r")]
        lines.append(parts[-1] if len(parts) == 1 else [parts[1], parts[-1]])
    return {"lines": lines, "history": _hist(h)}
