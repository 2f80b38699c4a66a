"""The loss functions of ``tf.keras.losses`` (tf_keras' losses.py): no name scope of their
own, so their results are ``Mean:0``, ``Neg:0`` ...; probabilities are clipped to
``[epsilon, 1 - epsilon]``; hinge losses turn 0/1 labels into -1/1, at build time when the
labels are constant (TF's smart_cond over TF_TryEvaluateConstant)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from varstore.keras import _tf as tf
from varstore.keras import backend_nn as K
from varstore.keras._config import epsilon, floatx

__all__ = [
    "KLD", "MAE", "MAPE", "MSE", "MSLE", "binary_crossentropy", "binary_focal_crossentropy",
    "categorical_crossentropy", "categorical_focal_crossentropy", "categorical_hinge",
    "cosine", "cosine_proximity", "cosine_similarity", "hinge", "kl_divergence", "kld",
    "kullback_leibler_divergence", "log_cosh", "logcosh", "mae", "mape", "mean_absolute_error",
    "mean_absolute_percentage_error", "mean_squared_error", "mean_squared_logarithmic_error",
    "mse", "msle", "poisson", "sparse_categorical_crossentropy", "squared_hinge",
]


def _pair(y_true: Any, y_pred: Any) -> tuple[Any, Any]:
    y_pred = tf.convert_to_tensor(y_pred)
    return tf.cast(y_true, y_pred.dtype), y_pred


def mean_squared_error(y_true: Any, y_pred: Any) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)
    return tf.reduce_mean(tf.squared_difference(y_pred, y_true), axis=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)
    return tf.reduce_mean(tf.abs(y_pred - y_true), axis=-1)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)
    diff = tf.abs((y_true - y_pred) / tf.maximum(tf.abs(y_true), epsilon()))
    return 100.0 * tf.reduce_mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)
    first_log = tf.log(tf.maximum(y_pred, epsilon()) + 1.0)
    second_log = tf.log(tf.maximum(y_true, epsilon()) + 1.0)
    return tf.reduce_mean(tf.squared_difference(first_log, second_log), axis=-1)


def _try_evaluate(t: Any) -> Any:
    """What TF's smart_cond asks TF_TryEvaluateConstant: the value of a predicate computed
    only from constants (here: the Equal / LogicalOr / All chain of the hinge labels)."""
    from varstore.framework.constant_op import constant_value, evaluate_constant
    from varstore.framework.ops import kernel_factory

    v = constant_value(t)
    if v is not None:
        return v
    op = t.op
    if op.type in ("All", "LogicalOr"):
        ins = [_try_evaluate(i) for i in op.inputs]
        factory = kernel_factory(op.type)
        if factory is None or any(i is None for i in ins):
            return None
        out = factory(op._op if hasattr(op, "_op") else op)(*ins)
        return out[t.value_index] if isinstance(out, (tuple, list)) else out
    return evaluate_constant(t)


def _smart_cond(pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any]) -> Any:
    value = _try_evaluate(pred)
    if value is not None:
        return true_fn() if bool(value) else false_fn()
    return tf.cond(pred, true_fn, false_fn)


def _maybe_convert_labels(y_true: Any) -> Any:
    """0/1 labels become -1/1 (decided at build time when the labels are constant)."""
    is_binary = tf.reduce_all(tf.logical_or(tf.equal(y_true, 0), tf.equal(y_true, 1)))
    return _smart_cond(is_binary, lambda: 2.0 * y_true - 1.0, lambda: y_true)


def squared_hinge(y_true: Any, y_pred: Any) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _maybe_convert_labels(y_true)
    return tf.reduce_mean(tf.square(tf.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


def hinge(y_true: Any, y_pred: Any) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _maybe_convert_labels(y_true)
    return tf.reduce_mean(tf.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)
    pos = tf.reduce_sum(y_true * y_pred, axis=-1)
    neg = tf.reduce_max((1.0 - y_true) * y_pred, axis=-1)
    zero = tf.cast(0.0, y_pred.dtype)
    return tf.maximum(neg - pos + 1.0, zero)


def _huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Any:
    """tf_keras' huber (not in the v1 namespace; the Huber class uses it)."""
    y_pred = tf.cast(y_pred, dtype=floatx())
    y_true = tf.cast(y_true, dtype=floatx())
    delta_t = tf.cast(delta, dtype=floatx())
    error = tf.subtract(y_pred, y_true)
    abs_error = tf.abs(error)
    half = tf.convert_to_tensor(0.5, dtype=abs_error.dtype)
    return tf.reduce_mean(tf.where_v2(abs_error <= delta_t, half * tf.square(error),
                                      delta_t * abs_error - half * tf.square(delta_t)), axis=-1)


def log_cosh(y_true: Any, y_pred: Any) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)

    def _logcosh(x: Any) -> Any:
        return x + tf.math.softplus(-2.0 * x) - tf.cast(tf.log(2.0), x.dtype)

    return tf.reduce_mean(_logcosh(y_pred - y_true), axis=-1)


def _check_axis(axis: Any) -> None:
    if isinstance(axis, bool):
        raise ValueError(  # noqa: TRY004 - TF raises ValueError
            f"`axis` must be of type `int`. Received: axis={axis} of type "
                         f"{type(axis)}")


def _smooth(label_smoothing: Any, fn: Callable[[], Any], y_true: Any) -> Any:
    return _smart_cond(label_smoothing, fn, lambda: y_true)


def categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False,
                             label_smoothing: float = 0.0, axis: int = -1) -> Any:
    _check_axis(axis)
    y_true, y_pred = _pair(y_true, y_pred)
    ls = tf.convert_to_tensor(label_smoothing, dtype=y_pred.dtype)
    if y_pred.shape.ndims and y_pred.shape.as_list()[-1] == 1:
        warnings.warn("In loss categorical_crossentropy, expected y_pred.shape to be "
                      "(batch_size, num_classes) with num_classes > 1. Received: "
                      f"y_pred.shape={y_pred.shape}. Consider using 'binary_crossentropy' if "
                      "you only have 2 classes.", SyntaxWarning, stacklevel=2)

    def _smooth_labels() -> Any:
        num_classes = tf.cast(tf.shape(y_true)[axis], y_pred.dtype)
        return y_true * (1.0 - ls) + (ls / num_classes)

    y_true = _smooth(ls, _smooth_labels, y_true)
    return K.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def categorical_focal_crossentropy(y_true: Any, y_pred: Any, alpha: float = 0.25,
                                   gamma: float = 2.0, from_logits: bool = False,
                                   label_smoothing: float = 0.0, axis: int = -1) -> Any:
    _check_axis(axis)
    y_true, y_pred = _pair(y_true, y_pred)
    ls = tf.convert_to_tensor(label_smoothing, dtype=y_pred.dtype)

    def _smooth_labels() -> Any:
        num_classes = tf.cast(tf.shape(y_true)[-1], y_pred.dtype)
        return y_true * (1.0 - ls) + (ls / num_classes)

    y_true = _smooth(ls, _smooth_labels, y_true)
    return K.categorical_focal_crossentropy(y_true, y_pred, alpha=alpha, gamma=gamma,
                                            from_logits=from_logits, axis=axis)


def sparse_categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False,
                                    axis: int = -1, ignore_class: Any = None) -> Any:
    return K.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits,
                                             ignore_class=ignore_class, axis=axis)


def binary_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False,
                        label_smoothing: float = 0.0, axis: int = -1) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)
    ls = tf.convert_to_tensor(label_smoothing, dtype=y_pred.dtype)
    y_true = _smooth(ls, lambda: y_true * (1.0 - ls) + 0.5 * ls, y_true)
    return tf.reduce_mean(K.binary_crossentropy(y_true, y_pred, from_logits=from_logits),
                          axis=axis)


def binary_focal_crossentropy(y_true: Any, y_pred: Any, apply_class_balancing: bool = False,
                              alpha: float = 0.25, gamma: float = 2.0,
                              from_logits: bool = False, label_smoothing: float = 0.0,
                              axis: int = -1) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)
    ls = tf.convert_to_tensor(label_smoothing, dtype=y_pred.dtype)
    y_true = _smooth(ls, lambda: y_true * (1.0 - ls) + 0.5 * ls, y_true)
    return tf.reduce_mean(K.binary_focal_crossentropy(
        y_true, y_pred, apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
        from_logits=from_logits), axis=axis)


def kl_divergence(y_true: Any, y_pred: Any) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = tf.clip_by_value(y_true, epsilon(), 1)
    y_pred = tf.clip_by_value(y_pred, epsilon(), 1)
    return tf.reduce_sum(y_true * tf.log(y_true / y_pred), axis=-1)


def poisson(y_true: Any, y_pred: Any) -> Any:
    y_true, y_pred = _pair(y_true, y_pred)
    return tf.reduce_mean(y_pred - y_true * tf.log(y_pred + epsilon()), axis=-1)


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Any:
    y_true = tf.math.l2_normalize(y_true, axis=axis)
    y_pred = tf.math.l2_normalize(y_pred, axis=axis)
    return -tf.reduce_sum(y_true * y_pred, axis=axis)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
cosine = cosine_proximity = cosine_similarity
