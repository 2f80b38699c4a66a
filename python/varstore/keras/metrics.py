"""The metric functions of ``tf.keras.metrics`` (tf_keras' accuracy_metrics.py and the loss
functions it re-exports). The Metric classes (stateful layers) are not built: they raise
AttributeError naming them."""

from __future__ import annotations

from typing import Any

from varstore.keras import _tf as tf
from varstore.keras._config import floatx
from varstore.keras.losses_functions import (
    KLD,
    MAE,
    MAPE,
    MSE,
    MSLE,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    cosine,
    cosine_proximity,
    hinge,
    kl_divergence,
    kld,
    kullback_leibler_divergence,
    log_cosh,
    logcosh,
    mae,
    mape,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    mse,
    msle,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)

__all__ = [
    "KLD", "MAE", "MAPE", "MSE", "MSLE", "binary_accuracy", "binary_crossentropy",
    "binary_focal_crossentropy", "categorical_accuracy", "categorical_crossentropy",
    "categorical_focal_crossentropy", "cosine", "cosine_proximity", "hinge", "kl_divergence",
    "kld", "kullback_leibler_divergence", "log_cosh", "logcosh", "mae", "mape",
    "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_error",
    "mean_squared_logarithmic_error", "mse", "msle", "poisson",
    "sparse_categorical_accuracy", "sparse_categorical_crossentropy",
    "sparse_top_k_categorical_accuracy", "squared_hinge", "top_k_categorical_accuracy",
]


def _binary_matches(y_true: Any, y_pred: Any, threshold: Any = 0.5) -> Any:
    y_pred = tf.convert_to_tensor(y_pred)
    threshold = tf.cast(threshold, y_pred.dtype)
    y_pred = tf.cast(y_pred > threshold, y_pred.dtype)
    return tf.cast(tf.equal(y_true, y_pred), floatx())


def _sparse_categorical_matches(y_true: Any, y_pred: Any) -> Any:
    """1.0 where argmax(y_pred) is the label; a trailing label dim of 1 is squeezed and the
    matches reshaped back."""
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.convert_to_tensor(y_true)
    y_true_org_shape = tf.shape(y_true)
    reshape = False
    if y_true.shape.ndims is not None and y_pred.shape.ndims is not None \
            and y_true.shape.ndims == y_pred.shape.ndims:
        y_true = tf.squeeze(y_true, [-1])
        reshape = True
    y_pred = tf.argmax(y_pred, axis=-1)
    if y_pred.dtype.base_dtype != y_true.dtype.base_dtype:
        y_pred = tf.cast(y_pred, y_true.dtype.base_dtype)
    matches = tf.cast(tf.equal(y_true, y_pred), floatx())
    return tf.reshape(matches, shape=y_true_org_shape) if reshape else matches


def _sparse_top_k_matches(y_true: Any, y_pred: Any, k: int = 5) -> Any:
    y_true = tf.convert_to_tensor(y_true)
    y_pred = tf.convert_to_tensor(y_pred)
    y_true_org_shape = tf.shape(y_true)
    reshape = False
    if y_true.shape.ndims is not None and y_pred.shape.ndims is not None:
        if y_pred.shape.ndims > 2:
            y_pred = tf.reshape(y_pred, [-1, y_pred.shape.as_list()[-1]])
        if y_true.shape.ndims > 1:
            reshape = True
            y_true = tf.reshape(y_true, [-1])
    matches = tf.cast(tf.nn.in_top_k(predictions=y_pred, targets=tf.cast(y_true, "int32"),
                                     k=k), dtype=floatx())
    return tf.reshape(matches, shape=y_true_org_shape) if reshape else matches


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> Any:
    return tf.reduce_mean(_binary_matches(y_true, y_pred, threshold), axis=-1)


def categorical_accuracy(y_true: Any, y_pred: Any) -> Any:
    return _sparse_categorical_matches(tf.argmax(y_true, axis=-1), y_pred)


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> Any:
    matches = _sparse_categorical_matches(y_true, y_pred)
    if matches.shape.ndims is not None and matches.shape.ndims > 1 \
            and matches.shape.as_list()[-1] == 1:
        matches = tf.squeeze(matches, [-1])
    return matches


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> Any:
    return _sparse_top_k_matches(tf.argmax(y_true, axis=-1), y_pred, k)


def sparse_top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> Any:
    return _sparse_top_k_matches(y_true, y_pred, k)


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.keras.metrics' has no attribute {name!r}: varstore "
                         f"lacks tf.keras.metrics.{name}")
