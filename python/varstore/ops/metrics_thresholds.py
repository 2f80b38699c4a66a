"""``tf.metrics`` over a grid of thresholds (TF1's metrics_impl.py): the confusion counts at
thresholds, auc, precision/recall at thresholds, sensitivity at specificity and back.

Each keeps one float32 local variable per count of shape [num_thresholds], updated by
summing (prediction > threshold) against the labels, as TF's
_confusion_matrix_at_thresholds does.
"""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant
from varstore.framework.ops import Tensor
from varstore.ops.array_fill_ops import ones_like
from varstore.ops.array_ops import expand_dims, identity, reshape, transpose
from varstore.ops.array_ops import shape as _shape
from varstore.ops.array_stack_ops import stack
from varstore.ops.array_transform_ops import tile, where
from varstore.ops.losses_impl import _broadcast_weights
from varstore.ops.math_ops import (
    div_no_nan,
    divide,
    equal,
    greater,
    logical_and,
    maximum,
    minimum,
    multiply,
)
from varstore.ops.math_reduce_ops import reduce_min, reduce_sum
from varstore.ops.math_sequence_ops import argmax, argmin, cumsum
from varstore.ops.math_unary_ops import abs as _abs
from varstore.ops.math_unary_ops import cast, log, logical_not
from varstore.ops.metrics_impl import _collect, _remove_squeezable, metric_variable
from varstore.ops.state_ops import assign_add
from varstore.variable_scope import variable_scope

__all__ = [
    "auc",
    "false_negatives_at_thresholds",
    "false_positives_at_thresholds",
    "precision_at_thresholds",
    "recall_at_thresholds",
    "sensitivity_at_specificity",
    "specificity_at_sensitivity",
    "true_negatives_at_thresholds",
    "true_positives_at_thresholds",
]

_ALL = ("tp", "fn", "tn", "fp")
_VAR_NAMES = {"tp": "true_positives", "fn": "false_negatives", "tn": "true_negatives",
              "fp": "false_positives"}


def _confusion_at_thresholds(labels: Any, predictions: Any, thresholds: list[float],
                             weights: Any = None, includes: tuple[str, ...] | None = None
                             ) -> tuple[dict[str, Any], dict[str, Tensor]]:
    includes = _ALL if includes is None else includes
    for inc in includes:
        if inc not in _ALL:
            raise ValueError(f"Invalid key: {inc}")
    # TF also gates the counts on asserts that predictions lie in [0, 1].
    p, lab, w = _remove_squeezable(cast(predictions, _dtypes.float32),
                                   cast(labels, _dtypes.bool), weights)
    n = len(thresholds)
    p2 = reshape(p, [-1, 1])
    l2 = reshape(cast(lab, _dtypes.bool), [1, -1])
    num_predictions: Any = p2.get_shape().as_list()[0]
    if num_predictions is None:
        num_predictions = _shape(p2)[0]
    thresh_tiled = tile(expand_dims(constant(thresholds), [1]), stack([1, num_predictions]))
    pred_is_pos = greater(tile(transpose(p2), [n, 1]), thresh_tiled)
    pred_is_neg = logical_not(pred_is_pos) if ("fn" in includes or "tn" in includes) else None
    label_is_pos = tile(l2, [n, 1])
    label_is_neg = logical_not(label_is_pos) if ("fp" in includes or "tn" in includes) else None
    weights_tiled = None
    if w is not None:
        w = _broadcast_weights(cast(w, _dtypes.float32), p)
        weights_tiled = tile(reshape(w, [1, -1]), [n, 1])
        thresh_tiled.get_shape().assert_is_compatible_with(weights_tiled.get_shape())
    pairs = {"tp": (label_is_pos, pred_is_pos), "fn": (label_is_pos, pred_is_neg),
             "tn": (label_is_neg, pred_is_neg), "fp": (label_is_neg, pred_is_pos)}
    values: dict[str, Any] = {}
    updates: dict[str, Tensor] = {}
    for key in _ALL:
        if key not in includes:
            continue
        var = metric_variable([n], _dtypes.float32, _VAR_NAMES[key])
        a, b = pairs[key]
        hit = cast(logical_and(a, b), _dtypes.float32)
        if weights_tiled is not None:
            hit = hit * weights_tiled
        updates[key] = assign_add(var, reduce_sum(hit, 1))
        values[key] = var
    return values, updates


def _count_at_thresholds(key: str, default_name: str) -> Any:
    def metric(labels: Any, predictions: Any, thresholds: Any, weights: Any = None,
               metrics_collections: Any = None, updates_collections: Any = None,
               name: str | None = None) -> tuple[Tensor, Tensor]:
        with variable_scope(name, default_name, (predictions, labels, weights)):
            values, updates = _confusion_at_thresholds(labels, predictions, list(thresholds),
                                                       weights, includes=(key,))
            value = identity(values[key])  # TF's read_var: an Identity of the variable
            _collect(metrics_collections, value)
            _collect(updates_collections, updates[key])
            return value, updates[key]
    metric.__name__ = metric.__qualname__ = f"{default_name}_at_thresholds"
    metric.__doc__ = f"``tf.metrics.{default_name}_at_thresholds``: one count per threshold."
    return metric


true_positives_at_thresholds = _count_at_thresholds("tp", "true_positives")
false_positives_at_thresholds = _count_at_thresholds("fp", "false_positives")
true_negatives_at_thresholds = _count_at_thresholds("tn", "true_negatives")
false_negatives_at_thresholds = _count_at_thresholds("fn", "false_negatives")


def _ratio_at_thresholds(default_name: str, other: str) -> Any:
    prefix = default_name.split("_", 1)[0]

    def metric(labels: Any, predictions: Any, thresholds: Any, weights: Any = None,
               metrics_collections: Any = None, updates_collections: Any = None,
               name: str | None = None) -> tuple[Tensor, Tensor]:
        with variable_scope(name, default_name, (predictions, labels, weights)):
            values, updates = _confusion_at_thresholds(labels, predictions, list(thresholds),
                                                       weights, includes=("tp", other))

            def compute(tp: Any, o: Any, nm: str) -> Tensor:
                return divide(tp, 1e-7 + tp + o, name=f"{prefix}_{nm}")

            value = compute(values["tp"], values[other], "value")
            _collect(metrics_collections, value)
            update_op = compute(updates["tp"], updates[other], "update_op")
            _collect(updates_collections, update_op)
            return value, update_op
    metric.__name__ = metric.__qualname__ = default_name
    metric.__doc__ = f"``tf.metrics.{default_name}``: tp / (tp + {other}) per threshold."
    return metric


precision_at_thresholds = _ratio_at_thresholds("precision_at_thresholds", "fp")
recall_at_thresholds = _ratio_at_thresholds("recall_at_thresholds", "fn")


def _grid(num_thresholds: int) -> list[float]:
    kepsilon = 1e-7  # TF's margin so that predictions of exactly 0 and 1 fall inside
    inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return [0.0 - kepsilon, *inner, 1.0 + kepsilon]


def auc(labels: Any, predictions: Any, weights: Any = None, num_thresholds: int = 200,
        metrics_collections: Any = None, updates_collections: Any = None,
        curve: str = "ROC", name: str | None = None,
        summation_method: str = "trapezoidal", thresholds: Any = None
        ) -> tuple[Tensor, Tensor]:
    """``tf.metrics.auc``: the area under the ROC or PR curve over a threshold grid."""
    with variable_scope(name, "auc", (labels, predictions, weights)):
        if curve not in ("ROC", "PR"):
            raise ValueError(f"Curve must be either ROC or PR. Curve {curve} is unknown.")
        if thresholds is not None:
            inner = sorted(thresholds)
            num_thresholds = len(inner) + 2
            grid = [0.0 - 1e-7, *inner, 1.0 + 1e-7]
        else:
            grid = _grid(num_thresholds)
        values, updates = _confusion_at_thresholds(labels, predictions, grid, weights)
        epsilon = 1.0e-6
        k = num_thresholds

        def interpolate_pr_auc(tp: Any, fp: Any, fn: Any) -> Tensor:
            dtp = tp[:k - 1] - tp[1:]
            p = tp + fp
            prec_slope = div_no_nan(dtp, maximum(p[:k - 1] - p[1:], 0), name="prec_slope")
            intercept = tp[1:] - multiply(prec_slope, p[1:])
            safe_p_ratio = where(logical_and(p[:k - 1] > 0, p[1:] > 0),
                                 div_no_nan(p[:k - 1], maximum(p[1:], 0),
                                            name="recall_relative_ratio"),
                                 ones_like(p[1:]))
            return reduce_sum(div_no_nan(prec_slope * (dtp + intercept * log(safe_p_ratio)),
                                         maximum(tp[1:] + fn[1:], 0), name="pr_auc_increment"),
                              name="interpolate_pr_auc")

        def compute_auc(tp: Any, fn: Any, tn: Any, fp: Any, nm: str) -> Tensor:
            if curve == "PR" and summation_method == "careful_interpolation":
                return interpolate_pr_auc(tp, fp, fn)
            rec = divide(tp + epsilon, tp + fn + epsilon)
            if curve == "ROC":
                x, y = divide(fp, fp + tn + epsilon), rec
            else:
                x, y = rec, divide(tp + epsilon, tp + fp + epsilon)
            if summation_method in ("trapezoidal", "careful_interpolation"):
                return reduce_sum(multiply(x[:k - 1] - x[1:], (y[:k - 1] + y[1:]) / 2.0),
                                  name=nm)
            if summation_method == "minoring":
                return reduce_sum(multiply(x[:k - 1] - x[1:], minimum(y[:k - 1], y[1:])),
                                  name=nm)
            if summation_method == "majoring":
                return reduce_sum(multiply(x[:k - 1] - x[1:], maximum(y[:k - 1], y[1:])),
                                  name=nm)
            raise ValueError(f"Invalid summation_method: {summation_method} summation_method "
                             "should be 'trapezoidal', 'careful_interpolation', 'minoring', "
                             "or 'majoring'.")

        value = compute_auc(values["tp"], values["fn"], values["tn"], values["fp"], "value")
        _collect(metrics_collections, value)
        update_op = compute_auc(updates["tp"], updates["fn"], updates["tn"], updates["fp"],
                                "update_op")
        _collect(updates_collections, update_op)
        return value, update_op


def _at_rate(default_name: str, arg_name: str, labels: Any, predictions: Any,
             target: float, weights: Any, num_thresholds: int, metrics_collections: Any,
             updates_collections: Any, name: str | None) -> tuple[Tensor, Tensor]:
    """sensitivity_at_specificity / specificity_at_sensitivity: the other rate at the
    threshold whose rate is nearest the target (TF's argmin over |rate - target|)."""
    if target < 0 or target > 1:
        # TF words the two differently ("got" for specificity, "is" for sensitivity)
        verb = "got" if arg_name == "specificity" else "is"
        raise ValueError(f"`{arg_name}` must be in the range [0, 1]. Currently, "
                         f"`{arg_name}` {verb} {target}.")
    with variable_scope(name, default_name, (predictions, labels, weights)):
        kepsilon = 1e-7
        values, updates = _confusion_at_thresholds(labels, predictions,
                                                   _grid(num_thresholds), weights)

        def compute(tp: Any, tn: Any, fp: Any, fn: Any, nm: str) -> Tensor:
            if default_name == "sensitivity_at_specificity":
                rates = divide(tn, tn + fp + kepsilon)
                idx = cast(argmin(_abs(rates - target), 0), _dtypes.int32)
                return divide(tp[idx], tp[idx] + fn[idx] + kepsilon, nm)
            # TF takes the last of the thresholds nearest the target sensitivity:
            # argmax of the running count of minima.
            rates = divide(tp, tp + fn + kepsilon)
            min_val = reduce_min(_abs(rates - target))
            at_min = cumsum(cast(equal(_abs(rates - target), min_val), _dtypes.int64))
            idx = cast(argmax(at_min, 0), _dtypes.int32)
            return divide(tn[idx], tn[idx] + fp[idx] + kepsilon, nm)

        value = compute(values["tp"], values["tn"], values["fp"], values["fn"], "value")
        _collect(metrics_collections, value)
        update_op = compute(updates["tp"], updates["tn"], updates["fp"], updates["fn"],
                            "update_op")
        _collect(updates_collections, update_op)
        return value, update_op


# Spelled out rather than made by a factory so that the target keeps TF's keyword name
# (``specificity=`` / ``sensitivity=``), which TF1 programs pass by name.
def sensitivity_at_specificity(labels: Any, predictions: Any, specificity: float,
                               weights: Any = None, num_thresholds: int = 200,
                               metrics_collections: Any = None,
                               updates_collections: Any = None, name: str | None = None
                               ) -> tuple[Tensor, Tensor]:
    """``tf.metrics.sensitivity_at_specificity``."""
    return _at_rate("sensitivity_at_specificity", "specificity", labels, predictions,
                    specificity, weights, num_thresholds, metrics_collections,
                    updates_collections, name)


def specificity_at_sensitivity(labels: Any, predictions: Any, sensitivity: float,
                               weights: Any = None, num_thresholds: int = 200,
                               metrics_collections: Any = None,
                               updates_collections: Any = None, name: str | None = None
                               ) -> tuple[Tensor, Tensor]:
    """``tf.metrics.specificity_at_sensitivity``."""
    return _at_rate("specificity_at_sensitivity", "sensitivity", labels, predictions,
                    sensitivity, weights, num_thresholds, metrics_collections,
                    updates_collections, name)
