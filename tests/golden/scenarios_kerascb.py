"""Golden scenarios of ``tf.keras.callbacks`` in graph-mode ``Model.fit``: the hooks' order
and logs (Python floats), EarlyStopping / LearningRateScheduler / ReduceLROnPlateau changing
the run, CSVLogger's rows, TensorBoard's epoch scalars, TerminateOnNaN. Weights are set from
fixed arrays and fit does not shuffle, so both runs see the same batches.

Conventions as ``scenarios.py``; recorded by ``record_tf.py --set kerascb``.
"""

import os
import tempfile

import numpy as np
from golden_helpers import error, scenarios_of


def _r(v):
    return float(np.round(float(v), 4))


def _model(tf, lr=0.01, loss="sparse_categorical_crossentropy"):
    K = tf.keras
    m = K.Sequential([K.layers.Dense(16, activation="relu", input_shape=(8,)),
                      K.layers.Dense(2, activation="softmax")])
    m.set_weights([np.sin(np.arange(w.size) * 0.3).reshape(w.shape).astype(np.float32) * 0.3
                   for w in m.get_weights()])
    m.compile(optimizer=K.optimizers.Adam(lr), loss=loss, metrics=["accuracy"])
    return m


def _data():
    rng = np.random.RandomState(0)
    x = rng.rand(64, 8).astype(np.float32)
    return x, (x.sum(1) > 4).astype(np.int64)


def scenario_callbacks_hooks_and_logs(tf):
    K = tf.keras
    x, y = _data()
    m = _model(tf)
    events = []

    def rec(kind):
        def hook(*args, **kwargs):
            logs = kwargs.get("logs", args[-1] if args else None)
            events.append([kind] + [a for a in args[:-1]] +
                          [sorted((k, type(v).__name__) for k, v in (logs or {}).items())])
        return hook

    cb = K.callbacks.LambdaCallback(on_epoch_begin=rec("eb"), on_epoch_end=rec("ee"),
                                    on_batch_begin=rec("bb"), on_batch_end=rec("be"),
                                    on_train_begin=rec("tb"), on_train_end=rec("te"))
    h = m.fit(x, y, batch_size=32, epochs=2, verbose=0, callbacks=[cb],
              validation_data=(x[:16], y[:16]), shuffle=False)
    return {"events": events, "params": cb.params, "model_is": cb.model is m,
            "history": {k: [_r(v) for v in vs] for k, vs in sorted(h.history.items())},
            "epoch": h.epoch, "same_history": m.history is h}


def scenario_callbacks_schedules_and_early_stopping(tf):
    K = tf.keras
    x, y = _data()
    m = _model(tf)
    d = tempfile.mkdtemp()
    csv_path = os.path.join(d, "log.csv")
    cbs = [K.callbacks.EarlyStopping(monitor="loss", patience=1, min_delta=0.05),
           K.callbacks.LearningRateScheduler(lambda e, lr: lr * 0.5),
           K.callbacks.ReduceLROnPlateau(monitor="val_loss", patience=1, factor=0.5,
                                         min_delta=0.5),
           K.callbacks.CSVLogger(csv_path)]
    h = m.fit(x, y, batch_size=16, epochs=8, verbose=0, callbacks=cbs,
              validation_split=0.25, shuffle=False)
    with open(csv_path) as f:
        rows = [line.strip().split(",") for line in f]
    return {"history": {k: [_r(v) for v in vs] for k, vs in sorted(h.history.items())},
            "epoch": h.epoch, "stopped": cbs[0].stopped_epoch, "wait": cbs[0].wait,
            "lr": _r(K.backend.get_value(m.optimizer.lr)),
            "csv_header": rows[0], "csv": [[r[0]] + [str(_r(v)) for v in r[1:]]
                                           for r in rows[1:]],
            "bad_factor": error(lambda: K.callbacks.ReduceLROnPlateau(factor=1.5),
                                first_line=True)}


def scenario_callbacks_restore_best_and_tensorboard(tf):
    K = tf.keras
    x, y = _data()
    m = _model(tf, lr=0.05)
    d = tempfile.mkdtemp()
    es = K.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True,
                                   baseline=0.9)
    tb = K.callbacks.TensorBoard(log_dir=d)
    h = m.fit(x, y, batch_size=16, epochs=6, verbose=0, callbacks=[es, tb],
              validation_data=(x[:16], y[:16]), shuffle=False)
    tags = []
    for name in sorted(os.listdir(d)):
        if name.startswith("events"):
            for event in tf.train.summary_iterator(os.path.join(d, name)):
                for v in event.summary.value:
                    tags.append([int(event.step), v.tag, _r(v.simple_value)])
    return {"history": {k: [_r(v) for v in vs] for k, vs in sorted(h.history.items())},
            "best_epoch": es.best_epoch, "stopped": es.stopped_epoch,
            "weights": [_r(w.ravel()[0]) for w in m.get_weights()], "tags": tags}


def scenario_callbacks_terminate_on_nan(tf):
    K = tf.keras
    x, y = _data()
    m = _model(tf, lr=1e30, loss="mse")
    h = m.fit(x, np.eye(2, dtype=np.float32)[y] * 1e30, batch_size=8, epochs=3, verbose=0,
              callbacks=[K.callbacks.TerminateOnNaN()], shuffle=False)
    return {"epoch": h.epoch, "nan": [bool(np.isnan(v) or np.isinf(v))
                                      for v in h.history["loss"]]}


def all_scenarios():
    return scenarios_of(globals())
