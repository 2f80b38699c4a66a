"""``tf.metrics`` (TF1's tensorflow/python/ops/metrics_impl.py): streaming metrics kept in
local variables (LOCAL_VARIABLES and METRIC_VARIABLES), each returning (value, update_op).

The variables are created through ``Variable`` with the collections TF's ``metric_variable``
uses, so ``tf.local_variables_initializer()`` resets them and a Saver skips them.
"""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import GraphKeys, add_to_collections, control_dependencies
from varstore.framework.ops import Tensor
from varstore.ops.array_fill_ops import ones_like, zeros
from varstore.ops.array_ops import size, squeeze
from varstore.ops.math_ops import div_no_nan, equal, maximum, multiply
from varstore.ops.math_reduce_ops import reduce_sum
from varstore.ops.math_unary_ops import cast
from varstore.ops.state_ops import assign_add
from varstore.variable_scope import variable_scope
from varstore.variables import Variable

__all__ = ["accuracy", "mean"]


def _metric_variable(shape: list[int], dtype: Any, name: str) -> Variable:
    return Variable(lambda: zeros(shape, dtype), trainable=False,
                    collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES],
                    name=name)


def _squeeze_last(a: Tensor, b: Tensor) -> Tensor:
    """Drops a trailing size-1 dim of ``a`` when it has one more dim than ``b`` (TF's
    confusion_matrix.remove_squeezable_dimensions for static ranks)."""
    ar, br = a.get_shape().ndims, b.get_shape().ndims
    if ar is not None and br is not None and ar - br == 1 and a.get_shape().as_list()[-1] == 1:
        return squeeze(a, [-1])
    return a


def _collect(collections: Any, value: Tensor) -> None:
    if collections:
        add_to_collections(collections, value)


def mean(values: Any, weights: Any = None, metrics_collections: Any = None,
         updates_collections: Any = None, name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.metrics.mean``: the running (weighted) mean of ``values``."""
    with variable_scope(name, "mean", (values, weights)):
        v = cast(values, _dtypes.float32)
        total = _metric_variable([], _dtypes.float32, "total")
        count = _metric_variable([], _dtypes.float32, "count")
        if weights is None:
            num_values = cast(size(v), _dtypes.float32)
        else:
            w = cast(weights, _dtypes.float32)
            w = _squeeze_last(w, v)
            w = multiply(w, ones_like(v))
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


def accuracy(labels: Any, predictions: Any, weights: Any = None,
             metrics_collections: Any = None, updates_collections: Any = None,
             name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.metrics.accuracy``: the running fraction of predictions equal to labels."""
    p = convert_to_tensor(predictions)
    lab = convert_to_tensor(labels)
    p = _squeeze_last(p, lab)
    lab = _squeeze_last(lab, p)
    p.get_shape().assert_is_compatible_with(lab.get_shape())
    if lab.dtype != p.dtype:
        p = cast(p, lab.dtype)
    is_correct = cast(equal(p, lab), _dtypes.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections,
                name or "accuracy")
