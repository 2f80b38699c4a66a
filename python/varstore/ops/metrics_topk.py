"""The top-k metrics of ``tf.metrics`` (TF1's metrics_impl): precision_at_k, recall_at_k,
precision_at_top_k, recall_at_top_k, average_precision_at_k and the deprecated
sparse_precision_at_k / sparse_average_precision_at_k, as TF builds them: true and false
positives (and false negatives) counted with the set ops of ``tf.sets`` between the top-k
class ids and the labels, accumulated in float64 local metric variables named after their
scopes (``precision_at_2/true_positive_at_2``), each metric returning (value, update).

Labels are int64 class ids, dense ([batch, num_labels], or [batch] for one label each; -1
pads) or a SparseTensor of the same dense shape."""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import add_to_collections, control_dependencies, name_scope
from varstore.framework.ops import Tensor, builders
from varstore.framework.sparse_tensor import SparseTensor, convert_to_tensor_or_sparse_tensor
from varstore.ops.array_fill_ops import fill, ones_like, zeros_like
from varstore.ops.array_ops import expand_dims, rank, reshape, shape, size
from varstore.ops.array_slicing_ops import slice as slice_
from varstore.ops.array_stack_ops import concat
from varstore.ops.array_transform_ops import tile, where_v2
from varstore.ops.control_flow_ops import cond
from varstore.ops.losses_impl import _assert_broadcastable, _broadcast_weights, _deps
from varstore.ops.math_ops import (
    add,
    div_no_nan,
    divide,
    equal,
    greater_equal,
    minimum,
    multiply,
)
from varstore.ops.math_reduce_ops import reduce_max, reduce_sum, reduced_shape
from varstore.ops.math_sequence_ops import cumsum
from varstore.ops.math_unary_ops import cast
from varstore.ops.metrics_impl import metric_variable
from varstore.ops.nn_lrn_topk_ops import top_k
from varstore.ops.sets_ops import set_difference, set_intersection, set_size
from varstore.ops.sparse_array_ops import sparse_concat, sparse_reshape
from varstore.ops.sparse_ops import sparse_retain
from varstore.ops.state_ops import assign_add

__all__ = [
    "average_precision_at_k",
    "precision_at_k",
    "precision_at_top_k",
    "recall_at_k",
    "recall_at_top_k",
    "sparse_average_precision_at_k",
    "sparse_precision_at_k",
]

_int64 = _dtypes.int64
_float64 = _dtypes.float64


def _at_k_name(name: str, k: int | None = None, class_id: int | None = None) -> str:
    name = f"{name}_at_{k:d}" if k is not None else f"{name}_at_k"
    if class_id is not None:
        name = f"{name}_class{class_id:d}"
    return name


def _collect(collections: Any, value: Tensor) -> None:
    if collections:
        add_to_collections(collections, value)


def _maybe_expand_labels(labels: Any, predictions: Tensor) -> Any:
    """Labels of rank(predictions) - 1 get a last axis of 1 (``expand_labels``)."""
    with name_scope(None, "expand_labels", (labels, predictions)) as scope:
        labels = convert_to_tensor_or_sparse_tensor(labels)
        if isinstance(labels, SparseTensor):
            sp = labels
            # TF conds on the SparseTensor itself; varstore's cond takes tensors only, so
            # the three components go through it and are put back together.
            parts = cond(equal(rank(predictions), size(sp.dense_shape) + 1),
                         lambda: _parts(sparse_reshape(
                             sp, shape=concat((sp.dense_shape, (1,)), 0), name=scope)),
                         lambda: _parts(sp))
            return SparseTensor(*parts)
        lr = labels._shape
        if lr is not None:
            pr = predictions._shape
            if pr is not None:
                if len(pr) == len(lr):
                    return labels
                if len(pr) == len(lr) + 1:
                    return expand_dims(labels, -1, name=scope)
                raise ValueError(f"Unexpected labels shape {labels.get_shape()} for "
                                 f"predictions shape {predictions.get_shape()}. Predictions "
                                 "rank should be the same rank as labels rank or labels rank "
                                 "plus one .")
        return cond(equal(rank(predictions), rank(labels) + 1),
                    lambda: expand_dims(labels, -1, name=scope), lambda: labels)


def _parts(sp: SparseTensor) -> tuple[Tensor, Tensor, Tensor]:
    return sp.indices, sp.values, sp.dense_shape


def _select_class_id(ids: Any, selected_id: int) -> SparseTensor:
    """The entries of ``ids`` equal to ``selected_id``, as a SparseTensor of ids' shape."""
    ids = convert_to_tensor_or_sparse_tensor(ids)
    if isinstance(ids, SparseTensor):
        return sparse_retain(ids, equal(ids.values, selected_id))
    ids_shape = shape(ids, out_type=_int64)
    ids_last_dim = size(ids_shape) - 1
    filled_selected_id_shape = reduced_shape(ids_shape, reshape(ids_last_dim, [1]))
    filled_selected_id = fill(filled_selected_id_shape, cast(selected_id, _int64))
    result = set_intersection(filled_selected_id, ids)
    return SparseTensor(result.indices, result.values, ids_shape)


def _maybe_select_class_id(labels: Any, predictions_idx: Any, selected_id: int | None
                           ) -> tuple[Any, Any]:
    if selected_id is None:
        return labels, predictions_idx
    return _select_class_id(labels, selected_id), _select_class_id(predictions_idx, selected_id)


def _weighted(count: Tensor, weights: Any) -> Tensor:
    count = cast(count, _float64)
    if weights is not None:
        # TF hands the weights as given to assert_broadcastable (its ``weights`` Const)
        with control_dependencies(_deps(_assert_broadcastable(weights, count))):
            count = multiply(count, cast(weights, _float64))
    return count


def _sparse_true_positive_at_k(labels: Any, predictions_idx: Any, class_id: int | None = None,
                               weights: Any = None, name: str | None = None) -> Tensor:
    with name_scope(name, "true_positives", (predictions_idx, labels, weights)):
        labels, predictions_idx = _maybe_select_class_id(labels, predictions_idx, class_id)
        return _weighted(set_size(set_intersection(predictions_idx, labels)), weights)


def _sparse_false_positive_at_k(labels: Any, predictions_idx: Any,
                                class_id: int | None = None, weights: Any = None) -> Tensor:
    with name_scope(None, "false_positives", (predictions_idx, labels, weights)):
        labels, predictions_idx = _maybe_select_class_id(labels, predictions_idx, class_id)
        return _weighted(set_size(set_difference(predictions_idx, labels, aminusb=True)),
                         weights)


def _sparse_false_negative_at_k(labels: Any, predictions_idx: Any,
                                class_id: int | None = None, weights: Any = None) -> Tensor:
    with name_scope(None, "false_negatives", (predictions_idx, labels, weights)):
        labels, predictions_idx = _maybe_select_class_id(labels, predictions_idx, class_id)
        return _weighted(set_size(set_difference(predictions_idx, labels, aminusb=False)),
                         weights)


def _streaming(kind: str, counter: Any, labels: Any, predictions_idx: Any, k: int | None,
               class_id: int | None, weights: Any) -> tuple[Any, Tensor]:
    """A float64 metric variable named after the scope ``<kind>_at_<k>`` and its update (the
    batch's total added)."""
    with name_scope(None, _at_k_name(kind, k, class_id=class_id),
                    (predictions_idx, labels, weights)) as scope:
        counts = counter(labels=labels, predictions_idx=predictions_idx, class_id=class_id,
                         weights=weights)
        batch_total = cast(reduce_sum(counts), _float64)
        var = metric_variable([], _float64, name=scope)
        return var, assign_add(var, batch_total, name="update")


def _ratio_at_top_k(kind: str, other: str, counter: Any) -> Any:
    def metric(labels: Any, predictions_idx: Any, k: int | None = None,
               class_id: int | None = None, weights: Any = None,
               metrics_collections: Any = None, updates_collections: Any = None,
               name: str | None = None) -> tuple[Tensor, Tensor]:
        with name_scope(name, _at_k_name(kind, k, class_id=class_id),
                        (predictions_idx, labels, weights)) as scope:
            labels = _maybe_expand_labels(labels, convert_to_tensor(predictions_idx))
            top_k_idx = cast(predictions_idx, _int64)
            tp, tp_update = _streaming("true_positive", _sparse_true_positive_at_k, labels,
                                       top_k_idx, k, class_id, weights)
            o, o_update = _streaming(other, counter, labels, top_k_idx, k, class_id, weights)
            value = divide(tp, add(tp, o), name=scope)
            _collect(metrics_collections, value)
            update = divide(tp_update, add(tp_update, o_update), name="update")
            _collect(updates_collections, update)
            return value, update
    metric.__name__ = metric.__qualname__ = f"{kind}_at_top_k"
    metric.__doc__ = (f"``tf.metrics.{kind}_at_top_k``: tp / (tp + {other}) of the given top-k "
                      "class ids against the labels, streamed in local variables.")
    return metric


precision_at_top_k = _ratio_at_top_k("precision", "false_positive", _sparse_false_positive_at_k)
recall_at_top_k = _ratio_at_top_k("recall", "false_negative", _sparse_false_negative_at_k)


def precision_at_k(labels: Any, predictions: Any, k: int, class_id: int | None = None,
                   weights: Any = None, metrics_collections: Any = None,
                   updates_collections: Any = None, name: str | None = None
                   ) -> tuple[Tensor, Tensor]:
    """``tf.metrics.precision_at_k``: precision_at_top_k of top_k(predictions, k)."""
    with name_scope(name, _at_k_name("precision", k, class_id=class_id),
                    (predictions, labels, weights)) as scope:
        _, top_k_idx = top_k(predictions, k)
        return precision_at_top_k(labels=labels, predictions_idx=top_k_idx, k=k,  # type: ignore[no-any-return]
                                  class_id=class_id, weights=weights,
                                  metrics_collections=metrics_collections,
                                  updates_collections=updates_collections, name=scope)


def recall_at_k(labels: Any, predictions: Any, k: int, class_id: int | None = None,
                weights: Any = None, metrics_collections: Any = None,
                updates_collections: Any = None, name: str | None = None
                ) -> tuple[Tensor, Tensor]:
    """``tf.metrics.recall_at_k``: recall_at_top_k of top_k(predictions, k)."""
    with name_scope(name, _at_k_name("recall", k, class_id=class_id),
                    (predictions, labels, weights)) as scope:
        _, top_k_idx = top_k(predictions, k)
        return recall_at_top_k(labels=labels, predictions_idx=top_k_idx, k=k,  # type: ignore[no-any-return]
                               class_id=class_id, weights=weights,
                               metrics_collections=metrics_collections,
                               updates_collections=updates_collections, name=scope)


def sparse_precision_at_k(labels: Any, predictions: Any, k: int, class_id: int | None = None,
                          weights: Any = None, metrics_collections: Any = None,
                          updates_collections: Any = None, name: str | None = None
                          ) -> tuple[Tensor, Tensor]:
    """TF1's deprecated name of :func:`precision_at_k`."""
    return precision_at_k(labels, predictions, k, class_id, weights, metrics_collections,
                          updates_collections, name)


# -- average precision --------------------------------------------------------------------------
def _expand_and_tile(tensor: Any, multiple: int, dim: int = 0, name: str | None = None
                     ) -> Any:
    if multiple < 1:
        raise ValueError(f"Invalid argument multiple={multiple} for expand_and_tile  call. "
                         "`multiple` must be an integer > 0")
    with name_scope(name, "expand_and_tile", (tensor, multiple, dim)) as scope:
        tensor = convert_to_tensor_or_sparse_tensor(tensor)
        if isinstance(tensor, SparseTensor):
            if dim < 0:
                at: Any = reshape(size(tensor.dense_shape) + dim, [1])
            else:
                at = [dim]
            expanded_shape = concat((slice_(tensor.dense_shape, [0], at), [1],
                                     slice_(tensor.dense_shape, at, [-1])), 0,
                                    name="expanded_shape")
            sp_expanded = sparse_reshape(tensor, shape=expanded_shape, name="expand")
            if multiple == 1:
                return sp_expanded
            return sparse_concat(dim - 1 if dim < 0 else dim, [sp_expanded] * multiple,
                                 name=scope)
        expanded = expand_dims(tensor, dim if dim >= 0 else dim - 1, name="expand")
        if multiple == 1:
            return expanded
        ones_ = ones_like(shape(tensor))
        tile_multiples = concat((ones_[:dim], (multiple,), ones_[dim:]), 0, name="multiples")
        return tile(expanded, tile_multiples, name=scope)


def _num_relevant(labels: Any, k: int) -> Tensor:
    if k < 1:
        raise ValueError(f"Invalid k={k}")
    with name_scope(None, "num_relevant", (labels,)) as scope:
        labels = convert_to_tensor_or_sparse_tensor(labels)
        if isinstance(labels, SparseTensor):
            return minimum(set_size(labels), k, name=scope)
        num_labels = reduce_sum(where_v2(greater_equal(labels, 0), ones_like(labels),
                                         zeros_like(labels)), axis=-1)
        return minimum(num_labels, k, name=scope)


def _sparse_average_precision_at_top_k(labels: Any, predictions_idx: Any) -> Tensor:
    with name_scope(None, "average_precision", (predictions_idx, labels)) as scope:
        predictions_idx = cast(predictions_idx, _int64, name="predictions_idx")
        if predictions_idx._shape is not None and len(predictions_idx._shape) == 0:
            raise ValueError("The rank of `predictions_idx` must be at least 1.")
        k = None if predictions_idx._shape is None else predictions_idx._shape[-1]
        if k is None:
            raise ValueError("The last dimension of predictions_idx must be set. Currently, "
                             "it is None.")
        labels = _maybe_expand_labels(labels, predictions_idx)
        predictions_idx_per_k = expand_dims(predictions_idx, -1, name="predictions_idx_per_k")
        labels_per_k = _expand_and_tile(labels, multiple=k, dim=-1, name="labels_per_k")
        relevant_per_k = _sparse_true_positive_at_k(labels_per_k, predictions_idx_per_k,
                                                    name="relevant_per_k")
        tp_per_k = cumsum(relevant_per_k, axis=-1, name="tp_per_k")
        retrieved_per_k = cumsum(ones_like(relevant_per_k), axis=-1, name="retrieved_per_k")
        precision_per_k = divide(cast(tp_per_k, _float64), cast(retrieved_per_k, _float64),
                                 name="precision_per_k")
        relevant_precision_per_k = multiply(precision_per_k, cast(relevant_per_k, _float64),
                                            name="relevant_precision_per_k")
        precision_sum = reduce_sum(relevant_precision_per_k, axis=(-1,), name="precision_sum")
        num_relevant_items = cast(_num_relevant(labels, k), _float64)
        return divide(precision_sum, num_relevant_items, name=scope)


def _safe_scalar_div(numerator: Tensor, denominator: Tensor, name: str) -> Tensor:
    numerator.get_shape().with_rank_at_most(1)
    denominator.get_shape().with_rank_at_most(1)
    return div_no_nan(numerator, denominator, name=name)


def _streaming_sparse_average_precision_at_top_k(
        labels: Any, predictions_idx: Any, weights: Any = None, metrics_collections: Any = None,
        updates_collections: Any = None, name: str | None = None) -> tuple[Tensor, Tensor]:
    with name_scope(name, "average_precision_at_top_k",
                    (predictions_idx, labels, weights)) as scope:
        average_precision = _sparse_average_precision_at_top_k(
            predictions_idx=predictions_idx, labels=labels)
        if weights is not None:
            weights = _broadcast_weights(cast(weights, _float64), average_precision)
            average_precision = multiply(average_precision, weights)
        with name_scope(None, "max", (average_precision,)) as max_scope:
            max_var = metric_variable([], _float64, name=max_scope)
            if weights is None:
                batch_max = cast(size(average_precision, name="batch_max"), _float64)
            else:
                batch_max = reduce_sum(weights, name="batch_max")
            max_update = assign_add(max_var, batch_max, name="update")
        with name_scope(None, "total", (average_precision,)) as total_scope:
            total_var = metric_variable([], _float64, name=total_scope)
            batch_total = reduce_sum(average_precision, name="batch_total")
            total_update = assign_add(total_var, batch_total, name="update")
        mean_average_precision = _safe_scalar_div(convert_to_tensor(total_var),
                                                  convert_to_tensor(max_var), name="mean")
        _collect(metrics_collections, mean_average_precision)
        update = _safe_scalar_div(convert_to_tensor(total_update),
                                  convert_to_tensor(max_update), name=scope)
        _collect(updates_collections, update)
        return mean_average_precision, update


def _clean_out_of_range_indices(labels: Any, num_classes: Tensor) -> Any:
    """Labels >= num_classes become -1 (under a cond, only when there are any)."""
    labels = convert_to_tensor_or_sparse_tensor(labels)
    sparse = isinstance(labels, SparseTensor)

    def clean(values: Tensor) -> Tensor:
        return where_v2(greater_equal(values, num_classes), -1 * ones_like(values), values)

    max_labels = reduce_max(labels.values if sparse else labels)
    if sparse:
        # Only the values change; varstore's cond takes tensors, not a SparseTensor.
        values = cond(greater_equal(max_labels, num_classes), lambda: clean(labels.values),
                      lambda: labels.values)
        return SparseTensor(labels.indices, values, labels.dense_shape)
    return cond(greater_equal(max_labels, num_classes), lambda: clean(labels),
                lambda: labels)


def average_precision_at_k(labels: Any, predictions: Any, k: int, weights: Any = None,
                           metrics_collections: Any = None, updates_collections: Any = None,
                           name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.metrics.average_precision_at_k``: the mean over rows of the average precision of
    the top k predictions against the labels (local variables ``total`` and ``max``)."""
    if k < 1:
        raise ValueError(f"Invalid k={k}. `k` should be >= 1.")
    with name_scope(name, _at_k_name("average_precision", k),
                    (predictions, labels, weights)) as scope:
        _, predictions_idx = top_k(predictions, k)
        labels = _clean_out_of_range_indices(
            labels, cast(shape(predictions)[-1], _int64))
        return _streaming_sparse_average_precision_at_top_k(
            labels=labels, predictions_idx=predictions_idx, weights=weights,
            metrics_collections=metrics_collections, updates_collections=updates_collections,
            name=scope)


def sparse_average_precision_at_k(labels: Any, predictions: Any, k: int, weights: Any = None,
                                  metrics_collections: Any = None,
                                  updates_collections: Any = None, name: str | None = None
                                  ) -> tuple[Tensor, Tensor]:
    """TF1's deprecated name of :func:`average_precision_at_k`."""
    return average_precision_at_k(labels, predictions, k, weights, metrics_collections,
                                  updates_collections, name)


builders.register(globals(), __all__)
