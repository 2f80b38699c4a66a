"""``tf.metrics`` over classes (TF1's metrics_impl.py): ``mean_iou``, accumulated in a float64
[n, n] confusion matrix (``total_confusion_matrix``), and ``mean_per_class_accuracy``, kept in
two float32 [n] counts (``total``, ``count``) updated by scatter_add at the labels.

Both flatten labels and predictions of rank above 1, as TF does; like TF they read the
rank of labels and predictions statically (an unknown rank fails in the comparison).
"""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.graph import add_to_collections
from varstore.framework.ops import Tensor
from varstore.ops.array_fill_ops import ones, ones_like
from varstore.ops.array_ops import reshape, size
from varstore.ops.array_scatter_ops import scatter_add
from varstore.ops.array_transform_ops import where
from varstore.ops.confusion_matrix import confusion_matrix
from varstore.ops.linalg_diag_ops import diag_part
from varstore.ops.math_ops import div_no_nan, divide, equal, greater, maximum, not_equal
from varstore.ops.math_reduce_ops import reduce_mean, reduce_sum
from varstore.ops.math_unary_ops import cast
from varstore.ops.metrics_impl import _collect, metric_variable
from varstore.ops.state_ops import assign_add
from varstore.variable_scope import variable_scope

__all__ = ["mean_iou", "mean_per_class_accuracy"]


def _rank(t: Any) -> Any:
    # TF compares ``get_shape().ndims > 1`` directly: None (unknown rank) raises TypeError.
    return t.get_shape().ndims


def _streaming_confusion_matrix(labels: Any, predictions: Any, num_classes: Any,
                                weights: Any = None) -> tuple[Any, Any]:
    """TF's _streaming_confusion_matrix: the float64 local ``total_confusion_matrix`` and the
    assign_add of this batch's confusion matrix into it."""
    total_cm = metric_variable([num_classes, num_classes], _dtypes.float64,
                               "total_confusion_matrix")
    predictions = cast(predictions, _dtypes.int64)
    labels = cast(labels, _dtypes.int64)
    num_classes = cast(num_classes, _dtypes.int64)
    if _rank(predictions) > 1:
        predictions = reshape(predictions, [-1])
    if _rank(labels) > 1:
        labels = reshape(labels, [-1])
    if weights is not None and _rank(weights) > 1:
        weights = reshape(weights, [-1])
    current_cm = confusion_matrix(labels, predictions, num_classes, weights=weights,
                                  dtype=_dtypes.float64)
    return total_cm, assign_add(total_cm, current_cm)


def mean_iou(labels: Any, predictions: Any, num_classes: Any, weights: Any = None,
             metrics_collections: Any = None, updates_collections: Any = None,
             name: str | None = None) -> tuple[Tensor, Any]:
    """``tf.metrics.mean_iou``: the mean over classes present (in labels or predictions) of
    tp / (tp + fp + fn), read from the running confusion matrix."""
    with variable_scope(name, "mean_iou", (predictions, labels, weights)):
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        total_cm, update_op = _streaming_confusion_matrix(labels, predictions, num_classes,
                                                          weights)
        sum_over_row = cast(reduce_sum(total_cm, 0), _dtypes.float32)
        sum_over_col = cast(reduce_sum(total_cm, 1), _dtypes.float32)
        cm_diag = cast(diag_part(total_cm), _dtypes.float32)
        denominator = sum_over_row + sum_over_col - cm_diag
        # Classes absent from both labels and predictions (denominator 0) are left out of
        # the mean; their denominator becomes 1 so that the division stays finite.
        num_valid_entries = reduce_sum(cast(not_equal(denominator, 0), dtype=_dtypes.float32))
        denominator = where(greater(denominator, 0), denominator, ones_like(denominator))
        iou = divide(cm_diag, denominator)
        value = where(greater(num_valid_entries, 0),
                      reduce_sum(iou, name="mean_iou") / num_valid_entries, 0)
        _collect(metrics_collections, value)
        if updates_collections:
            add_to_collections(updates_collections, update_op)
        return value, update_op


def mean_per_class_accuracy(labels: Any, predictions: Any, num_classes: Any,
                            weights: Any = None, metrics_collections: Any = None,
                            updates_collections: Any = None, name: str | None = None
                            ) -> tuple[Tensor, Tensor]:
    """``tf.metrics.mean_per_class_accuracy``: the mean over classes of the (weighted)
    fraction of each class's labels predicted right; the update op returns the per-class
    accuracies."""
    with variable_scope(name, "mean_accuracy", (predictions, labels, weights)):
        labels = cast(labels, _dtypes.int64)
        if _rank(labels) > 1:
            labels = reshape(labels, [-1])
        if _rank(predictions) > 1:
            predictions = reshape(predictions, [-1])
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        total = metric_variable([num_classes], _dtypes.float32, "total")
        count = metric_variable([num_classes], _dtypes.float32, "count")
        ones_t = ones([size(labels)], _dtypes.float32)
        if labels.dtype != predictions.dtype:
            predictions = cast(predictions, labels.dtype)
        is_correct = cast(equal(predictions, labels), _dtypes.float32)
        if weights is not None:
            if _rank(weights) > 1:
                weights = reshape(weights, [-1])
            weights = cast(weights, _dtypes.float32)
            is_correct *= weights
            ones_t *= weights
        update_total_op = scatter_add(total, labels, ones_t)
        update_count_op = scatter_add(count, labels, is_correct)
        per_class_accuracy = div_no_nan(count, maximum(total, 0), name=None)
        value = reduce_mean(per_class_accuracy, name="mean_accuracy")
        _collect(metrics_collections, value)
        update_op = div_no_nan(update_count_op, maximum(update_total_op, 0), name="update_op")
        _collect(updates_collections, update_op)
        return value, update_op
