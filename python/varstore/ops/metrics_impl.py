"""``tf.metrics`` (TF1's tensorflow/python/ops/metrics_impl.py): streaming metrics kept in
local variables (LOCAL_VARIABLES and METRIC_VARIABLES), each returning (value, update_op).

The variables are created through ``Variable`` with the collections TF's ``metric_variable``
uses, so ``tf.local_variables_initializer()`` resets them and a Saver skips them. The
threshold metrics (auc, *_at_thresholds) are in metrics_thresholds.py.
"""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import GraphKeys, add_to_collections, control_dependencies
from varstore.framework.ops import Tensor
from varstore.ops.array_fill_ops import ones_like, zeros, zeros_like
from varstore.ops.array_ops import expand_dims, identity, rank, size, squeeze
from varstore.ops.array_transform_ops import where
from varstore.ops.confusion_matrix import remove_squeezable_dimensions
from varstore.ops.control_flow_ops import cond
from varstore.ops.losses_impl import _broadcast_weights
from varstore.ops.math_ops import (
    div_no_nan,
    divide,
    equal,
    greater,
    less,
    logical_and,
    maximum,
    multiply,
    squared_difference,
    subtract,
)
from varstore.ops.math_reduce_ops import reduce_sum
from varstore.ops.math_unary_ops import abs as _abs
from varstore.ops.math_unary_ops import cast, sqrt
from varstore.ops.state_ops import assign_add
from varstore.variable_scope import variable_scope
from varstore.variables import Variable

__all__ = [
    "accuracy",
    "false_negatives",
    "false_positives",
    "mean",
    "mean_absolute_error",
    "mean_cosine_distance",
    "mean_relative_error",
    "mean_squared_error",
    "mean_tensor",
    "percentage_below",
    "precision",
    "recall",
    "root_mean_squared_error",
    "true_negatives",
    "true_positives",
]


def metric_variable(shape: Any, dtype: Any, name: str) -> Variable:
    return Variable(lambda: zeros(shape, dtype), trainable=False,
                    collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES],
                    name=name)


def _remove_squeezable(predictions: Any, labels: Any, weights: Any
                       ) -> tuple[Tensor, Any, Any]:
    """TF's metrics_impl._remove_squeezable_dimensions (static ranks)."""
    predictions = convert_to_tensor(predictions)
    if labels is not None:
        labels, predictions = remove_squeezable_dimensions(labels, predictions)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    if weights is None:
        return predictions, labels, None
    weights = convert_to_tensor(weights)
    wr = weights.get_shape().ndims
    if wr == 0:
        return predictions, labels, weights
    pr = predictions.get_shape().ndims
    if pr is not None and wr is not None:
        if wr - pr == 1:
            weights = squeeze(weights, [-1])
        elif pr - wr == 1:
            weights = expand_dims(weights, [-1])
        return predictions, labels, weights
    # TF's dynamic-rank branch: conds on the ranks, squeezing or expanding the weights
    w = weights
    weights_rank = rank(w)
    rank_diff = weights_rank - rank(predictions)

    def maybe_expand() -> Any:
        return cond(equal(rank_diff, -1), lambda: expand_dims(w, [-1]), lambda: w)

    dims = w.get_shape()
    if wr is not None and not dims.dims[-1].is_compatible_with(1):
        def maybe_squeeze() -> Any:
            return w
    else:
        def maybe_squeeze() -> Any:
            return squeeze(w, [-1])

    weights = cond(equal(weights_rank, 0), lambda: w,
                   lambda: cond(equal(rank_diff, 1), maybe_squeeze, maybe_expand))
    return predictions, labels, weights


def _collect(collections: Any, value: Tensor) -> None:
    if collections:
        add_to_collections(collections, value)


def mean(values: Any, weights: Any = None, metrics_collections: Any = None,
         updates_collections: Any = None, name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.metrics.mean``: the running (weighted) mean of ``values``."""
    with variable_scope(name, "mean", (values, weights)):
        v = cast(values, _dtypes.float32)
        total = metric_variable([], _dtypes.float32, "total")
        count = metric_variable([], _dtypes.float32, "count")
        if weights is None:
            num_values = cast(size(v), _dtypes.float32)
        else:
            v, _, w = _remove_squeezable(v, None, weights)
            w = _broadcast_weights(cast(w, _dtypes.float32), v)
            v = multiply(v, w)
            num_values = reduce_sum(w)
        update_total_op = assign_add(total, reduce_sum(v))
        with control_dependencies([v]):
            update_count_op = assign_add(count, num_values)
        mean_t = div_no_nan(total, maximum(count, 0), name="value")
        _collect(metrics_collections, mean_t)
        update_op = div_no_nan(update_total_op, maximum(update_count_op, 0), name="update_op")
        _collect(updates_collections, update_op)
        return mean_t, update_op


def mean_tensor(values: Any, weights: Any = None, metrics_collections: Any = None,
                updates_collections: Any = None, name: str | None = None
                ) -> tuple[Tensor, Tensor]:
    """``tf.metrics.mean_tensor``: the running elementwise mean of ``values``."""
    with variable_scope(name, "mean", (values, weights)):
        v = cast(values, _dtypes.float32)
        total = metric_variable(v.get_shape(), _dtypes.float32, "total_tensor")
        count = metric_variable(v.get_shape(), _dtypes.float32, "count_tensor")
        num_values = ones_like(v)
        if weights is not None:
            v, _, w = _remove_squeezable(v, None, weights)
            w = _broadcast_weights(cast(w, _dtypes.float32), v)
            v = multiply(v, w)
            num_values = multiply(num_values, w)
        update_total_op = assign_add(total, v)
        with control_dependencies([v]):
            update_count_op = assign_add(count, num_values)
        mean_t = div_no_nan(total, maximum(count, 0), name="value")
        _collect(metrics_collections, mean_t)
        update_op = div_no_nan(update_total_op, maximum(update_count_op, 0), name="update_op")
        _collect(updates_collections, update_op)
        return mean_t, update_op


def accuracy(labels: Any, predictions: Any, weights: Any = None,
             metrics_collections: Any = None, updates_collections: Any = None,
             name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.metrics.accuracy``: the running fraction of predictions equal to labels."""
    p, lab, w = _remove_squeezable(predictions, labels, weights)
    if lab.dtype != p.dtype:
        p = cast(p, lab.dtype)
    is_correct = cast(equal(p, lab), _dtypes.float32)
    return mean(is_correct, w, metrics_collections, updates_collections,
                name or "accuracy")


def mean_squared_error(labels: Any, predictions: Any, weights: Any = None,
                       metrics_collections: Any = None, updates_collections: Any = None,
                       name: str | None = None) -> tuple[Tensor, Tensor]:
    p, lab, w = _remove_squeezable(predictions, labels, weights)
    return mean(squared_difference(lab, p), w, metrics_collections, updates_collections,
                name or "mean_squared_error")


def root_mean_squared_error(labels: Any, predictions: Any, weights: Any = None,
                            metrics_collections: Any = None, updates_collections: Any = None,
                            name: str | None = None) -> tuple[Tensor, Tensor]:
    p, lab, w = _remove_squeezable(predictions, labels, weights)
    mse, update_mse = mean_squared_error(lab, p, w, None, None,
                                         name or "root_mean_squared_error")
    rmse = sqrt(mse)
    _collect(metrics_collections, rmse)
    update_rmse = sqrt(update_mse)
    _collect(updates_collections, update_rmse)
    return rmse, update_rmse


def mean_absolute_error(labels: Any, predictions: Any, weights: Any = None,
                        metrics_collections: Any = None, updates_collections: Any = None,
                        name: str | None = None) -> tuple[Tensor, Tensor]:
    p, lab, w = _remove_squeezable(predictions, labels, weights)
    return mean(_abs(p - lab), w, metrics_collections, updates_collections,
                name or "mean_absolute_error")


def mean_relative_error(labels: Any, predictions: Any, normalizer: Any, weights: Any = None,
                        metrics_collections: Any = None, updates_collections: Any = None,
                        name: str | None = None) -> tuple[Tensor, Tensor]:
    p, lab, w = _remove_squeezable(predictions, labels, weights)
    p, norm = remove_squeezable_dimensions(p, normalizer)
    p.get_shape().assert_is_compatible_with(norm.get_shape())
    relative_errors = where(equal(norm, 0.0), zeros_like(lab), divide(_abs(lab - p), norm))
    return mean(relative_errors, w, metrics_collections, updates_collections,
                name or "mean_relative_error")


def mean_cosine_distance(labels: Any, predictions: Any, dim: int, weights: Any = None,
                         metrics_collections: Any = None, updates_collections: Any = None,
                         name: str | None = None) -> tuple[Tensor, Tensor]:
    p, lab, w = _remove_squeezable(predictions, labels, weights)
    radial = reduce_sum(multiply(p, lab), axis=[dim], keepdims=True)
    mean_distance, update_op = mean(radial, w, None, None, name or "mean_cosine_distance")
    mean_distance = subtract(1.0, mean_distance)
    update_op = subtract(1.0, update_op)
    _collect(metrics_collections, mean_distance)
    _collect(updates_collections, update_op)
    return mean_distance, update_op


def percentage_below(values: Any, threshold: Any, weights: Any = None,
                     metrics_collections: Any = None, updates_collections: Any = None,
                     name: str | None = None) -> tuple[Tensor, Tensor]:
    below = cast(less(values, threshold), _dtypes.float32)
    return mean(below, weights, metrics_collections, updates_collections,
                name or "percentage_below_threshold")


def _count_condition(values: Tensor, weights: Any, metrics_collections: Any,
                     updates_collections: Any) -> tuple[Tensor, Tensor]:
    if values.dtype != _dtypes.bool:
        raise TypeError(f"{values.name} must be of type tf.bool; got {values.dtype.name}")
    count = metric_variable([], _dtypes.float32, "count")
    v = cast(values, _dtypes.float32)
    if weights is not None:
        wr, vr = weights.get_shape().ndims, v.get_shape().ndims
        if wr is not None and vr is not None and wr not in (0, vr):
            raise ValueError(f"weights rank {wr} must be 0 or the rank of the values ({vr})")
        v = multiply(v, cast(weights, _dtypes.float32))
    value = identity(count)  # TF's read_var: an Identity of the variable
    _collect(metrics_collections, value)
    update_op = assign_add(count, reduce_sum(v))
    _collect(updates_collections, update_op)
    return value, update_op


def _bool_pair(labels: Any, predictions: Any, weights: Any) -> tuple[Tensor, Tensor, Any]:
    p, lab, w = _remove_squeezable(cast(predictions, _dtypes.bool),
                                   cast(labels, _dtypes.bool), weights)
    return lab, p, w


def _counter(default_name: str, label_value: bool, pred_value: bool) -> Any:
    def metric(labels: Any, predictions: Any, weights: Any = None,
               metrics_collections: Any = None, updates_collections: Any = None,
               name: str | None = None) -> tuple[Tensor, Tensor]:
        with variable_scope(name, default_name, (predictions, labels, weights)):
            lab, p, w = _bool_pair(labels, predictions, weights)
            hit = logical_and(equal(lab, label_value), equal(p, pred_value))
            return _count_condition(hit, w, metrics_collections, updates_collections)
    metric.__name__ = metric.__qualname__ = default_name
    metric.__doc__ = (f"``tf.metrics.{default_name}``: the running (weighted) count of "
                      f"labels == {label_value} and predictions == {pred_value}.")
    return metric


true_positives = _counter("true_positives", True, True)
false_positives = _counter("false_positives", False, True)
true_negatives = _counter("true_negatives", False, False)
false_negatives = _counter("false_negatives", True, False)


def _ratio(default_name: str, other: Any) -> Any:
    def metric(labels: Any, predictions: Any, weights: Any = None,
               metrics_collections: Any = None, updates_collections: Any = None,
               name: str | None = None) -> tuple[Tensor, Tensor]:
        with variable_scope(name, default_name, (predictions, labels, weights)):
            lab, p, w = _bool_pair(labels, predictions, weights)
            tp, tp_update = true_positives(lab, p, w)
            o, o_update = other(lab, p, w)

            def compute(a: Tensor, b: Tensor, nm: str) -> Tensor:
                return where(greater(a + b, 0), divide(a, a + b), 0, nm)

            value = compute(tp, o, "value")
            _collect(metrics_collections, value)
            update_op = compute(tp_update, o_update, "update_op")
            _collect(updates_collections, update_op)
            return value, update_op
    metric.__name__ = metric.__qualname__ = default_name
    metric.__doc__ = f"``tf.metrics.{default_name}``: tp / (tp + {other.__name__})."
    return metric


precision = _ratio("precision", false_positives)
recall = _ratio("recall", false_negatives)
