"""tf-keras' v1 graph-mode training (training_v1.py, training_arrays_v1.py): ``compile``
builds the total loss and the stateful metrics (``total`` / ``count`` variables at the
graph's root), the train function is made on first use under ``training/``, and the array
loops batch, shuffle (NumPy's global RNG, as TF's ``np.random.shuffle(index_array)``) and
log as TF's do: the loss a sample-weighted mean over the epoch, the metrics their running
value, ``verbose=2`` one line per epoch, ``verbose=1`` tf-keras' Progbar.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from varstore.keras import _tf as tf
from varstore.keras import backend, losses, optimizers
from varstore.keras import losses_functions as lf
from varstore.keras import metrics as metrics_fns
from varstore.keras.callbacks import Callback, CallbackList, History
from varstore.keras.losses_classes import (
    BinaryCrossentropy,
    Loss,
    LossFunctionWrapper,
    SparseCategoricalCrossentropy,
)
from varstore.keras.optimizers.optimizer_v2 import OptimizerV2
from varstore.keras.utils.progbar import Progbar

__all__ = ["Compiled", "evaluate", "fit", "predict", "run_on_batch"]


class _MeanMetric:
    """tf-keras' MeanMetricWrapper in graph mode: ``total += sum(fn(y_true, y_pred))``,
    then ``count += size``; the result ``total / count`` (div_no_nan)."""

    def __init__(self, fn: Any, name: str) -> None:
        self.name = name
        self._fn = fn
        graph = tf.get_default_graph()
        with graph.name_scope(None):
            self.total = tf.Variable(0.0, name="total", trainable=False, collections=[],
                                     use_resource=True)
            self.count = tf.Variable(0.0, name="count", trainable=False, collections=[],
                                     use_resource=True)
        backend.track_variable(self.total)
        backend.track_variable(self.count)
        self.variables = [self.total, self.count]
        self._reset: Any = None

    def __call__(self, y_true: Any, y_pred: Any) -> Any:
        with tf.name_scope(self.name):
            values = tf.cast(self._fn(tf.cast(y_true, y_pred.dtype), y_pred), tf.float32)
            update_total = self.total.assign_add(tf.reduce_sum(values))
            with tf.control_dependencies([update_total]):
                update_count = self.count.assign_add(tf.cast(tf.size(values), tf.float32))
            with tf.control_dependencies([update_count]):
                return tf.math.divide_no_nan(self.total.read_value(),
                                             self.count.read_value())

    def reset_states(self) -> None:
        backend.batch_set_value([(v, 0.0) for v in self.variables])


def _is_sparse_ce(loss_fn: Any) -> bool:
    return isinstance(loss_fn, SparseCategoricalCrossentropy) or (
        isinstance(loss_fn, LossFunctionWrapper)
        and loss_fn.fn is lf.sparse_categorical_crossentropy)


def _is_binary_ce(loss_fn: Any) -> bool:
    return isinstance(loss_fn, BinaryCrossentropy) or (
        isinstance(loss_fn, LossFunctionWrapper) and loss_fn.fn is lf.binary_crossentropy)


def _metric_fn(metric: Any, loss_fn: Any, output_shape: tuple[Any, ...]) -> Any:
    """training_utils_v1.get_metric_function: 'accuracy' / 'acc' is binary for one unit or
    a binary crossentropy loss, sparse for a sparse one, else categorical."""
    if metric in ("accuracy", "acc"):
        if output_shape[-1] == 1 or _is_binary_ce(loss_fn):
            return metrics_fns.binary_accuracy
        if _is_sparse_ce(loss_fn):
            return metrics_fns.sparse_categorical_accuracy
        return metrics_fns.categorical_accuracy
    if metric in ("crossentropy", "ce"):
        if output_shape[-1] == 1 or _is_binary_ce(loss_fn):
            return lf.binary_crossentropy
        if _is_sparse_ce(loss_fn):
            return lf.sparse_categorical_crossentropy
        return lf.categorical_crossentropy
    if isinstance(metric, str):
        fn = getattr(metrics_fns, metric, None)
        if fn is None or not callable(fn):
            raise ValueError(f"Unknown metric function: '{metric}'. Please ensure you are "
                             "using a `keras.utils.custom_object_scope` and that this object "
                             "is included in the scope. See https://www.tensorflow.org/guide/"
                             "keras/save_and_serialize#registering_the_custom_object for "
                             "details.")
        return fn
    if callable(metric):
        return metric
    raise NotImplementedError(f"varstore lacks tf.keras.Model.compile(metrics=[{metric!r}])")


def _metric_name(metric: Any) -> str:
    if isinstance(metric, str):
        return metric
    return str(getattr(metric, "name", None) or metric.__name__)


def _loss_object(loss: Any) -> Any:
    fn = losses.get(loss)
    if isinstance(fn, Loss):
        return fn
    return LossFunctionWrapper(fn, name=getattr(fn, "__name__", None))


class Compiled:
    """What ``compile`` made: targets, total loss, metrics; the functions come later."""

    def __init__(self, model: Any, optimizer: Any, loss: Any, metrics: Any,
                 loss_weights: Any) -> None:
        if not (model.inputs and model.outputs):
            raise NotImplementedError("varstore lacks tf.keras.Model.compile of a subclassed "
                                      "model (no inputs and outputs to train from)")
        self.optimizer = optimizer if isinstance(optimizer, OptimizerV2) \
            or hasattr(optimizer, "compute_gradients") else optimizers.get(optimizer)
        outputs = model.outputs
        self.output_names = [o.op.name.split("/")[0] for o in outputs]
        names = [la.name for la in model.layers]
        self.output_names = [_node_layer_name(o, names) for o in outputs]
        losses_in = loss if isinstance(loss, (list, tuple)) else (
            [loss.get(n) for n in self.output_names] if isinstance(loss, dict)
            else [loss] * len(outputs))
        if len(losses_in) != len(outputs):
            raise ValueError(f"When passing a list as loss, it should have one entry per model "
                             f"outputs. The model has {len(outputs)} outputs, but you passed "
                             f"loss={loss}")
        self.loss_fns = [_loss_object(x) for x in losses_in]
        weights = list(loss_weights) if loss_weights is not None else [1.0] * len(outputs)
        self.targets = []
        self.sample_weights = []
        graph = tf.get_default_graph()
        total: Any = None
        output_losses = []
        for out, name, fn, w in zip(outputs, self.output_names, self.loss_fns, weights,
                                    strict=True):
            rank = out.shape.ndims
            with graph.name_scope(None):
                target = tf.placeholder(out.dtype.base_dtype, [None] * rank,
                                        name=f"{name}_target")
            self.targets.append(target)
            with tf.name_scope("loss"), tf.name_scope(f"{name}_loss"):
                per_sample = fn.call(target, out)
                sw = tf.placeholder_with_default(tf.ones_like(per_sample),
                                                 per_sample.shape, name="sample_weights")
                self.sample_weights.append(sw)
                weighted = tf.cast(per_sample, tf.float32) * sw
                out_loss = tf.math.divide_no_nan(tf.reduce_sum(weighted),
                                                 tf.cast(tf.size(weighted), tf.float32))
            output_losses.append(out_loss)
            term = out_loss * w
            total = term if total is None else total + term
        if model.losses:
            total = total + tf.add_n(list(model.losses))
        self.total_loss = total
        self.metrics: list[_MeanMetric] = []
        self.metric_tensors: list[Any] = []
        self.metrics_names = ["loss"]
        if len(outputs) > 1:
            self.metrics_names += [f"{n}_loss" for n in self.output_names]
            self.metric_tensors += output_losses
        per_output = metrics if isinstance(metrics, dict) else None
        for i, (out, name, fn) in enumerate(zip(outputs, self.output_names, self.loss_fns,
                                                strict=True)):
            wanted = (per_output.get(name, []) if per_output is not None
                      else list(metrics or []))
            if isinstance(wanted, (str,)) or callable(wanted):
                wanted = [wanted]
            for m in wanted:
                label = _metric_name(m)
                if len(outputs) > 1:
                    label = f"{name}_{label}"
                metric = _MeanMetric(_metric_fn(m, fn, tuple(out.shape.as_list())), label)
                self.metrics.append(metric)
                self.metric_tensors.append(metric(self.targets[i], out))
                self.metrics_names.append(label)
        self.model = model
        self.train_function: Any = None

    def make_train_function(self) -> Any:
        if self.train_function is None:
            before = {id(v) for v in tf.global_variables()}
            with tf.name_scope("training"):
                params = self.model.trainable_weights
                if isinstance(self.optimizer, OptimizerV2):
                    updates = self.optimizer.get_updates(self.total_loss, params)
                else:
                    updates = [self.optimizer.minimize(self.total_loss, var_list=params)]
            for v in tf.global_variables():
                if id(v) not in before:
                    backend.track_variable(v)
            with tf.control_dependencies([self.total_loss]):
                self.train_function = tf.group(*updates, *self.model.updates)
        return self.train_function

    def reset_metrics(self) -> None:
        for m in self.metrics:
            m.reset_states()


def _node_layer_name(t: Any, layer_names: list[str]) -> str:
    from varstore.keras.engine import node as _node

    node = _node.history_of(t)
    return node.layer.name if node is not None else layer_names[-1]


# -- data ------------------------------------------------------------------------------------
def _as_list(data: Any, names: list[str]) -> list[np.ndarray]:
    if data is None:
        return []
    if isinstance(data, dict):
        return [np.asarray(data[n]) for n in names]
    if isinstance(data, (list, tuple)):
        return [np.asarray(x) for x in data]
    if isinstance(data, tf.Tensor) or hasattr(data, "make_initializer") \
            or hasattr(data, "__next__"):
        raise NotImplementedError("varstore lacks tf.keras.Model.fit/evaluate/predict on "
                                  f"tensors, datasets and generators (got {type(data)})")
    return [np.asarray(data)]


def standardize_inputs(model: Any, x: Any) -> list[np.ndarray]:
    names = [_node_layer_name(t, []) for t in model.inputs]
    arrays = [a[:, None] if a.ndim == 1 else a for a in _as_list(x, names)]
    if len(arrays) != len(model.inputs):
        raise ValueError(f"Error when checking model input: the list of Numpy arrays that "
                         f"you are passing to your model is not the size the model expected. "
                         f"Expected to see {len(model.inputs)} array(s), but instead got "
                         f"{len(arrays)} arrays.")
    for a, t, name in zip(arrays, model.inputs, names, strict=True):
        shape = tuple(t.shape.as_list())
        if a.ndim != len(shape):
            raise ValueError(f"Error when checking input: expected {name} to have "
                             f"{len(shape)} dimensions, but got array with shape {a.shape}")
        for dim, ref in zip(a.shape[1:], shape[1:], strict=True):
            if ref is not None and dim != ref:
                raise ValueError(f"Error when checking input: expected {name} to have shape "
                                 f"{shape[1:]} but got array with shape {a.shape[1:]}")
    return arrays


_SAME_SHAPE_LOSSES = {lf.mean_squared_error, lf.binary_crossentropy, lf.categorical_crossentropy}


def standardize_targets(comp: Compiled, x: list[np.ndarray], y: Any) -> list[np.ndarray]:
    targets = [a[:, None] if a.ndim == 1 else a for a in _as_list(y, comp.output_names)]
    if len(targets) != len(comp.targets):
        raise ValueError(f"Error when checking model target: the list of Numpy arrays that "
                         f"you are passing to your model is not the size the model expected. "
                         f"Expected to see {len(comp.targets)} array(s), but instead got "
                         f"{len(targets)} arrays.")
    set_x = {a.shape[0] for a in x}
    set_y = {a.shape[0] for a in targets}
    if len(set_x) > 1:
        raise ValueError("All input arrays (x) should have the same number of samples. Got "
                         f"array shapes: {[a.shape for a in x]}")
    if len(set_y) > 1:
        raise ValueError("All target arrays (y) should have the same number of samples. Got "
                         f"array shapes: {[a.shape for a in targets]}")
    if set_x and set_y and set_x != set_y:
        raise ValueError(f"Input arrays should have the same number of samples as target "
                         f"arrays. Found {next(iter(set_x))} input samples and "
                         f"{next(iter(set_y))} target samples.")
    for a, out, fn in zip(targets, comp.model.outputs, comp.loss_fns, strict=True):
        if isinstance(fn, LossFunctionWrapper) and fn.fn in _SAME_SHAPE_LOSSES:
            shape = tuple(out.shape.as_list())
            for dim, ref in zip(a.shape[1:], shape[1:], strict=False):
                if ref is not None and dim != ref:
                    raise ValueError(f"A target array with shape {a.shape} was passed for an "
                                     f"output of shape {shape} while using as loss "
                                     f"`{fn.name}`. This loss expects targets to have the same "
                                     "shape as the output.")
    return targets


def _feed(comp: Compiled, x: list[np.ndarray], y: list[np.ndarray], sw: Any, train: bool
          ) -> dict[Any, Any]:
    feed: dict[Any, Any] = dict(zip(comp.model.inputs, x, strict=True))
    feed.update(zip(comp.targets, y, strict=True))
    if sw is not None:
        feed.update(zip(comp.sample_weights, sw, strict=True))
    phase = backend.learning_phase()
    if isinstance(phase, tf.Tensor):
        feed[phase] = train
    return feed


def run_on_batch(comp: Compiled, x: list[np.ndarray], y: list[np.ndarray], sw: Any,
                 train: bool) -> list[Any]:
    fetches = [comp.total_loss, *comp.metric_tensors]
    if train:
        fetches.append(comp.make_train_function())
    out = backend.get_session().run(fetches, _feed(comp, x, y, sw, train))
    return list(out[:1 + len(comp.metric_tensors)])


def _fmt(value: Any) -> str:
    return f" {value:.4f}" if value > 1e-3 else f" {value:.4e}"


def _loop(comp: Compiled, x: list[np.ndarray], y: list[np.ndarray], sw: Any,
          batch_size: int, train: bool, shuffle: Any, on_batch: Any = None,
          callbacks: CallbackList | None = None) -> list[Any]:
    n = x[0].shape[0]
    index = np.arange(n)
    if shuffle == "batch":
        count = n // batch_size
        last = index[count * batch_size:]
        head = index[:count * batch_size].reshape((count, batch_size))
        np.random.shuffle(head)
        index = np.append(head.flatten(), last)
    elif shuffle:
        np.random.shuffle(index)
    results: list[Any] = []
    starts = range(0, n, batch_size)
    for b, start in enumerate(starts):
        end = min(n, start + batch_size)
        ids = index[start:end]
        xb = x if len(starts) == 1 else [a[ids] for a in x]
        yb = y if len(starts) == 1 else [a[ids] for a in y]
        swb = sw if sw is None or len(starts) == 1 else [a[ids] for a in sw]
        if callbacks is not None:
            batch_logs: dict[str, Any] = {"batch": b, "size": end - start}
            callbacks.on_train_batch_begin(b, batch_logs)
        outs = run_on_batch(comp, xb, yb, swb, train)
        if callbacks is not None:
            # a new dict of Python floats, as TF's make_logs hands over
            end_logs = {**batch_logs, **{k: float(v) for k, v in
                                         zip(comp.metrics_names, outs, strict=True)}}
            callbacks.on_train_batch_end(b, end_logs)
        if on_batch is not None:
            on_batch(end - start, outs)
        if b == 0:
            results = [0.0] * len(outs)
        results[0] += float(outs[0]) * (end - start)  # TF's aggregator: a Python float
        results[1:] = outs[1:]
        if callbacks is not None and comp.model.stop_training:
            break  # (the epoch's loss is still divided by every sample, as TF's aggregator)
    if not results:
        raise ValueError("Empty training data.")
    results[0] /= n
    return results


def _sample_weights(sample_weight: Any, class_weight: Any, y: list[np.ndarray]) -> Any:
    if class_weight is not None:
        raise NotImplementedError("varstore lacks tf.keras.Model.fit(class_weight=...)")
    if sample_weight is None:
        return None
    sws = sample_weight if isinstance(sample_weight, (list, tuple)) else [sample_weight]
    return [np.asarray(w, np.float32) for w in sws]


def fit(model: Any, comp: Compiled, x: Any, y: Any, batch_size: int | None, epochs: int,
        verbose: int, callbacks: Any, validation_split: float, validation_data: Any,
        shuffle: Any, class_weight: Any, sample_weight: Any, initial_epoch: int) -> History:
    batch_size = 32 if batch_size is None else batch_size
    xs = standardize_inputs(model, x)
    ys = standardize_targets(comp, xs, y)
    sws = _sample_weights(sample_weight, class_weight, ys)
    val: tuple[list[np.ndarray], list[np.ndarray], Any] | None = None
    if validation_data is not None:
        vx, vy = validation_data[0], validation_data[1]
        vxs = standardize_inputs(model, vx)
        vsw = _sample_weights(validation_data[2] if len(validation_data) > 2 else None,
                              None, [])
        val = (vxs, standardize_targets(comp, vxs, vy), vsw)
    elif validation_split and 0.0 < validation_split < 1.0:
        split_at = int(xs[0].shape[0] * (1.0 - validation_split))
        val = ([a[split_at:] for a in xs], [a[split_at:] for a in ys],
               None if sws is None else [a[split_at:] for a in sws])
        xs, ys = [a[:split_at] for a in xs], [a[:split_at] for a in ys]
        sws = None if sws is None else [a[:split_at] for a in sws]
    n = xs[0].shape[0]
    if verbose:
        msg = f"Train on {n} samples"
        if val is not None and val[0][0].shape[0]:
            msg += f", validate on {val[0][0].shape[0]} samples"
        print(msg)
    names = list(comp.metrics_names)
    history = History()
    user = list(callbacks or [])
    for cb in user:
        if not isinstance(cb, Callback):
            raise TypeError(f"callbacks must be tf.keras.callbacks.Callback instances, got "
                            f"{cb!r}")
    # tf-keras' configure_callbacks: the user's callbacks, then History (the progress bar
    # is drawn by the loop below, after them, as its ProgbarLogger comes last)
    cbs = CallbackList([*user, history], model=model, batch_size=batch_size, epochs=epochs,
                       steps=None, samples=n, verbose=verbose, do_validation=val is not None,
                       metrics=names + ([f"val_{k}" for k in names] if val else []))
    model.history = history
    model.stop_training = False
    comp.make_train_function()  # (before the callbacks: they may read the optimizer's lr)
    cbs.on_train_begin({})
    for epoch in range(initial_epoch, epochs):
        if model.stop_training:
            break
        start = time.time()
        comp.reset_metrics()
        cbs.on_epoch_begin(epoch, {})
        # ProgbarLogger: the bar made before the epoch's header, fed each batch's loss and
        # the metrics' running values, then the epoch's logs at the end
        bar = Progbar(n, stateful_metrics=names[1:], unit_name="sample") \
            if verbose == 1 else None
        seen = [0]

        def on_batch(size: int, outs: list[Any], bar: Progbar | None = bar,
                     seen: list[int] = seen) -> None:
            if bar is not None:
                seen[0] += size
                bar.update(seen[0], list(zip(names, outs, strict=True)), finalize=False)

        if verbose and epochs > 1:
            print(f"Epoch {epoch + 1}/{epochs}")
        results = _loop(comp, xs, ys, sws, batch_size, True, shuffle, on_batch, cbs)
        logs = {k: float(v) for k, v in zip(names, results, strict=True)}
        if val is not None:
            comp.reset_metrics()
            # TF's validation runs model_iteration with its default shuffle=True: the
            # validation indices are shuffled too (NumPy's global RNG), whatever fit's shuffle
            val_results = _loop(comp, val[0], val[1], val[2], batch_size, False, True)
            logs.update({f"val_{k}": float(v) for k, v in zip(names, val_results, strict=True)})
        cbs.on_epoch_end(epoch, logs)
        elapsed = time.time() - start
        if bar is not None:
            bar.update(n, list(logs.items()), finalize=True)
        if verbose == 2:
            digits = int(np.log10(n)) + 1
            line = f"{n:{digits}d}/{n} - {elapsed:.0f}s"
            for k, v in logs.items():
                line += f" - {k}:{_fmt(v)}"
            line += f" -{_format_time(elapsed, 'epoch')} -{_format_time(elapsed / n, 'sample')}"
            print(line)
        if model.stop_training:
            break
    cbs.on_train_end({})
    return history


def _format_time(t: float, unit: str) -> str:
    if t >= 1 or t == 0:
        return f" {t:.0f}s/{unit}"
    if t >= 1e-3:
        return f" {t * 1000.0:.0f}ms/{unit}"
    return f" {t * 1000000.0:.0f}us/{unit}"


def evaluate(model: Any, comp: Compiled, x: Any, y: Any, batch_size: int | None,
             sample_weight: Any) -> Any:
    xs = standardize_inputs(model, x)
    ys = standardize_targets(comp, xs, y)
    comp.reset_metrics()
    results = _loop(comp, xs, ys, _sample_weights(sample_weight, None, ys),
                    32 if batch_size is None else batch_size, False, False)
    return results[0] if len(results) == 1 else results


def predict(model: Any, x: Any, batch_size: int | None) -> Any:
    xs = standardize_inputs(model, x)
    batch_size = 32 if batch_size is None else batch_size
    n = xs[0].shape[0]
    outs: list[list[np.ndarray]] = [[] for _ in model.outputs]
    phase = backend.learning_phase()
    for start in range(0, n, batch_size):
        feed: dict[Any, Any] = {t: a[start:start + batch_size]
                                for t, a in zip(model.inputs, xs, strict=True)}
        if isinstance(phase, tf.Tensor):
            feed[phase] = False
        for acc, v in zip(outs, backend.get_session().run(model.outputs, feed), strict=True):
            acc.append(v)
    joined = [np.concatenate(o) for o in outs]
    return joined[0] if len(joined) == 1 else joined
