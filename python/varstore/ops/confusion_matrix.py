"""``tf.confusion_matrix`` / ``tf.math.confusion_matrix`` (TF's ops/confusion_matrix.py).

The same graph as TF's: labels and predictions cast to int64, each gated (an Identity
``control_dependency``) on ``assert_non_negative`` and, given ``num_classes``, on
``assert_less``, then one ``ScatterNd`` of ones (or the weights) at [label, prediction] into
a [n, n] matrix. Without ``num_classes`` n is 1 + the largest label or prediction.
"""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.ops import Tensor
from varstore.ops.array_fill_ops import ones_like
from varstore.ops.array_ops import rank, squeeze
from varstore.ops.array_scatter_ops import scatter_nd
from varstore.ops.array_stack_ops import stack
from varstore.ops.check_ops import assert_less, assert_non_negative
from varstore.ops.control_flow_ops import cond, with_dependencies
from varstore.ops.math_ops import equal, maximum
from varstore.ops.math_reduce_ops import reduce_max
from varstore.ops.math_unary_ops import cast

__all__ = ["confusion_matrix", "remove_squeezable_dimensions"]


def remove_squeezable_dimensions(labels: Any, predictions: Any, expected_rank_diff: int = 0,
                                 name: str | None = None) -> tuple[Tensor, Tensor]:
    """TF's confusion_matrix.remove_squeezable_dimensions: squeezes the trailing size-1 dim
    of whichever side has one dim too many (by the static ranks, else in the graph)."""
    with name_scope(name, "remove_squeezable_dimensions", [labels, predictions]):
        predictions = convert_to_tensor(predictions)
        labels = convert_to_tensor(labels)
        ps, ls = predictions.get_shape(), labels.get_shape()
        if ps.ndims is not None and ls.ndims is not None:
            rank_diff = ps.ndims - ls.ndims
            if rank_diff == expected_rank_diff + 1 and ps.dims[-1].is_compatible_with(1):
                predictions = squeeze(predictions, [-1])
            elif rank_diff == expected_rank_diff - 1 and ls.dims[-1].is_compatible_with(1):
                labels = squeeze(labels, [-1])
            return labels, predictions
        # TF's dynamic-rank branch: a cond on the rank difference for each side
        diff = rank(predictions) - rank(labels)
        p, lab = predictions, labels
        if ps.ndims is None or ps.dims[-1].is_compatible_with(1):
            predictions = cond(equal(expected_rank_diff + 1, diff),
                               lambda: squeeze(p, [-1]), lambda: p)
        if ls.ndims is None or ls.dims[-1].is_compatible_with(1):
            labels = cond(equal(expected_rank_diff - 1, diff),
                          lambda: squeeze(lab, [-1]), lambda: lab)
        return labels, predictions


def confusion_matrix(labels: Any, predictions: Any, num_classes: Any = None,
                     dtype: Any = _dtypes.int32, name: str | None = None,
                     weights: Any = None) -> Tensor:
    """``tf.confusion_matrix`` (TF1's argument order: dtype and name before weights): rows
    are labels, columns predictions; cell [i, j] counts (or sums the weights of) the
    examples with label i predicted j."""
    dtype = _dtypes.as_dtype(dtype)
    with name_scope(name, "confusion_matrix", (predictions, labels, num_classes, weights)):
        labels, predictions = remove_squeezable_dimensions(
            convert_to_tensor(labels, name="labels"),
            convert_to_tensor(predictions, name="predictions"))
        predictions = cast(predictions, _dtypes.int64)
        labels = cast(labels, _dtypes.int64)
        # TF's sanity checks: ScatterNd must never see an index outside [0, n).
        labels = with_dependencies(
            [assert_non_negative(labels, message="`labels` contains negative values")], labels)
        predictions = with_dependencies(
            [assert_non_negative(predictions, message="`predictions` contains negative values")],
            predictions)
        if num_classes is None:
            num_classes = maximum(reduce_max(predictions), reduce_max(labels)) + 1
        else:
            n64 = cast(num_classes, _dtypes.int64)
            labels = with_dependencies(
                [assert_less(labels, n64, message="`labels` out of bound")], labels)
            predictions = with_dependencies(
                [assert_less(predictions, n64, message="`predictions` out of bound")],
                predictions)
        if weights is not None:
            weights = convert_to_tensor(weights, name="weights")
            predictions.get_shape().assert_is_compatible_with(weights.get_shape())
            weights = cast(weights, dtype)
        shape = stack([num_classes, num_classes])
        indices = stack([labels, predictions], axis=1)
        values = ones_like(predictions, dtype) if weights is None else weights
        return scatter_nd(indices=indices, updates=values, shape=cast(shape, _dtypes.int64))
