"""``tf.losses`` (TF1's tensorflow/python/ops/losses/losses_impl.py): weighted losses, their
reductions and the LOSSES collection.

Every loss opens its own name scope (``absolute_difference``...) and reduces inside it, so
the result is ``<scope>/value:0`` (``DivNoNan`` named ``value``) as in TF. TF also adds
``assert_broadcastable`` nodes that only check shapes; here that check is made when the
graph is built (the same ValueError as TF's static check) and records no nodes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.graph import (
    GraphKeys,
    add_to_collection,
    control_dependencies,
    get_collection,
    name_scope,
)
from varstore.framework.ops import Tensor
from varstore.ops import nn_impl
from varstore.ops.array_fill_ops import ones_like, zeros_like
from varstore.ops.array_ops import expand_dims, rank, size, squeeze, stop_gradient
from varstore.ops.array_ops import shape as _shape
from varstore.ops.array_slicing_ops import strided_slice
from varstore.ops.array_stack_ops import concat
from varstore.ops.array_transform_ops import where
from varstore.ops.confusion_matrix import remove_squeezable_dimensions
from varstore.ops.control_flow_ops import cond
from varstore.ops.math_ops import (
    add,
    div_no_nan,
    equal,
    maximum,
    minimum,
    multiply,
    squared_difference,
    subtract,
)
from varstore.ops.math_reduce_ops import reduce_sum
from varstore.ops.math_sequence_ops import add_n
from varstore.ops.math_sequence_ops import range as _range
from varstore.ops.math_unary_ops import abs as _abs
from varstore.ops.math_unary_ops import cast, log, square
from varstore.ops.nn_ops import relu
from varstore.util.deprecation import deprecated_argument_lookup

__all__ = [
    "Reduction",
    "absolute_difference",
    "add_loss",
    "compute_weighted_loss",
    "cosine_distance",
    "get_losses",
    "get_regularization_loss",
    "get_regularization_losses",
    "get_total_loss",
    "hinge_loss",
    "huber_loss",
    "log_loss",
    "mean_pairwise_squared_error",
    "mean_squared_error",
    "sigmoid_cross_entropy",
    "softmax_cross_entropy",
    "sparse_softmax_cross_entropy",
]


class Reduction:
    """Types of loss reduction (TF1's ``tf.losses.Reduction``)."""

    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    # TF keeps the old name as an alias of the same value
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls) -> tuple[str, ...]:
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE,
                cls.SUM_OVER_NONZERO_WEIGHTS, cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key: Any) -> None:
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}. Key should be one of {cls.all()}.")


def _dims(t: Tensor) -> list[int | None] | None:
    s = t.get_shape()
    return None if s.ndims is None else s.as_list()


def _assert_broadcastable(weights: Any, values: Any) -> Any:
    """weights_broadcast_ops.assert_broadcastable: weights must be a scalar or have the rank
    of values, each dim 1 or equal to the values' dim. What the static shapes settle is
    checked here (a ValueError, TF's message); otherwise the check is returned as an Assert
    op for the caller to depend on (None when nothing is left to check). The ops and names
    are TF's (the run-time message names the ``assert_broadcastable/values`` tensor)."""
    with name_scope(None, "assert_broadcastable", (weights, values)) as scope:
        with name_scope(None, "weights", (weights,)) as weights_scope:
            weights = convert_to_tensor(weights, name=weights_scope)
            weights_shape = _shape(weights, name="shape")
            weights_rank = rank(weights, name="rank")
        with name_scope(None, "values", (values,)) as values_scope:
            values = convert_to_tensor(values, name=values_scope)
            values_shape = _shape(values, name="shape")
            values_rank = rank(values, name="rank")
        w, v = _dims(weights), _dims(values)
        if w is not None and v is not None:
            if len(w) == 0:
                return None
            received = f"Received weights={weights}, values={values}"
            if len(w) != len(v):
                raise ValueError(f"weights can not be broadcast to values. values.rank="
                                 f"{len(v)}. weights.rank={len(w)}. values.shape="
                                 f"{values.shape}. weights.shape={weights.shape}. {received}")
            if None not in w and None not in v:
                for i, (wd, vd) in enumerate(zip(w, v)):
                    if wd not in (1, vd):
                        # TF prints the shapes as the NumPy arrays its constant folding gives
                        raise ValueError(
                            f"weights can not be broadcast to values. Mismatch at dim {i}. "
                            f"values.shape={np.array(v, np.int32)}, weights.shape="
                            f"{np.array(w, np.int32)}. {received}")
                return None
        return _dynamic_assert_broadcastable(weights, weights_shape, weights_rank, values,
                                             values_shape, values_rank, scope)


def _safe_mean(losses: Tensor, num_present: Tensor) -> Tensor:
    total_loss = reduce_sum(losses)
    return div_no_nan(total_loss, num_present, name="value")


def _num_elements(losses: Tensor) -> Tensor:
    with name_scope(None, "num_elements", [losses]) as scope:
        return cast(size(losses, name=scope), dtype=losses.dtype)


def _broadcast_weights(weights: Tensor, values: Tensor) -> Tensor:
    """weights_broadcast_ops.broadcast_weights: weights * ones_like(values), skipped when the
    static shapes already agree (as TF does). When a rank is unknown the check runs in the
    graph (TF's assert_broadcastable dynamic branch)."""
    with name_scope(None, "broadcast_weights", [weights, values]) as scope:
        w, v = _dims(weights), _dims(values)
        if w is not None and v is not None and w == v and None not in v:
            return weights
        with control_dependencies(_deps(_assert_broadcastable(weights, values))):
            return multiply(weights, ones_like(values), name=scope)


def _deps(check: Any) -> list[Any]:
    return [] if check is None else [check]


def _dynamic_assert_broadcastable(weights: Tensor, weights_shape: Tensor,
                                  weights_rank: Tensor, values: Tensor, values_shape: Tensor,
                                  values_rank: Tensor, scope: str) -> Any:
    """assert_broadcastable's run-time branch (TF's ops and message): weights are a scalar,
    or of the values' rank with each dim 1 or the values' (a set difference of the dims)."""
    from varstore.ops.check_ops import Assert
    from varstore.ops.sets_ops import set_difference

    is_scalar = equal(0, weights_rank, name="is_scalar")

    def valid_dims() -> Tensor:
        with name_scope(None, "has_invalid_dims", (weights_shape, values_shape)) as sc:
            values_2d = expand_dims(values_shape, -1)
            valid = concat((values_2d, ones_like(values_2d)), axis=1)
            invalid = set_difference(expand_dims(weights_shape, -1), valid)
            num_invalid = size(invalid.values, name="num_invalid_dims")
            return equal(0, num_invalid, name=sc)

    def valid_nonscalar() -> Any:
        with name_scope(None, "has_valid_nonscalar_shape",
                        (weights_rank, weights_shape, values_rank, values_shape)) as sc:
            same_rank = equal(values_rank, weights_rank, name="is_same_rank")
            return cond(same_rank, valid_dims, lambda: same_rank, name=sc)

    is_valid = cond(is_scalar, lambda: is_scalar, valid_nonscalar, name="is_valid_shape")
    data = ("weights can not be broadcast to values.", "weights.shape=", weights.name,
            weights_shape, "values.shape=", values.name, values_shape, "is_scalar=",
            is_scalar)
    return Assert(is_valid, data, name=scope)


def _num_present(losses: Tensor, weights: Any, per_batch: bool = False) -> Tensor:
    if isinstance(weights, float) and weights != 0.0:
        return _num_elements(losses)
    with name_scope(None, "num_present", [losses, weights]) as scope:
        w = cast(weights, dtype=_dtypes.float32)
        present = where(equal(w, 0.0), zeros_like(w), ones_like(w))
        present = _broadcast_weights(present, losses)
        if per_batch:
            return reduce_sum(present, axis=_range(1, rank(present)), keepdims=True,
                              name=scope)
        return reduce_sum(present, name=scope)


def compute_weighted_loss(losses: Any, weights: Any = 1.0, scope: str | None = None,
                          loss_collection: str | None = GraphKeys.LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    """``tf.losses.compute_weighted_loss``: losses * weights, reduced as ``reduction`` says,
    cast back to the losses' dtype and added to ``loss_collection``."""
    Reduction.validate(reduction)
    with name_scope(scope, "weighted_loss", [losses, weights]):
        # TF checks the weights against the losses before anything else, so that weights fed
        # with a bad shape fail on its Assert rather than on the Mul
        check = _assert_broadcastable(weights, losses)
        with control_dependencies(_deps(check)):
            return _weighted_loss(convert_to_tensor(losses), weights, loss_collection,
                                  reduction)


def _weighted_loss(losses_t: Tensor, weights: Any, loss_collection: str | None,
                   reduction: str) -> Tensor:
    input_dtype = losses_t.dtype
    losses_t = cast(losses_t, dtype=_dtypes.float32)
    weights_t = cast(weights, dtype=_dtypes.float32)
    weighted = multiply(losses_t, weights_t)
    if reduction == Reduction.NONE:
        loss = weighted
    else:
        loss = reduce_sum(weighted)
        if reduction == Reduction.MEAN:
            loss = _safe_mean(loss, reduce_sum(multiply(ones_like(losses_t), weights_t)))
        elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
            loss = _safe_mean(loss, _num_present(losses_t, weights))
        elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
            loss = _safe_mean(loss, _num_elements(losses_t))
    loss = cast(loss, input_dtype)
    add_loss(loss, loss_collection)
    return loss


def _check_compatible(a: Tensor, b: Tensor) -> None:
    a.get_shape().assert_is_compatible_with(b.get_shape())


def _prepare(labels: Any, predictions: Any, lname: str, pname: str) -> tuple[Tensor, Tensor]:
    if labels is None:
        raise ValueError(f"Argument `{lname}` must not be None.")
    if predictions is None:
        raise ValueError(f"Argument `{pname}` must not be None.")
    p = cast(predictions, dtype=_dtypes.float32)
    lab = cast(labels, dtype=p.dtype)
    _check_compatible(p, lab)
    return lab, p


def absolute_difference(labels: Any, predictions: Any, weights: Any = 1.0,
                        scope: str | None = None,
                        loss_collection: str | None = GraphKeys.LOSSES,
                        reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    with name_scope(scope, "absolute_difference", [predictions, labels, weights]) as sc:
        lab, p = _prepare(labels, predictions, "labels", "predictions")
        losses = _abs(subtract(p, lab))
        return compute_weighted_loss(losses, weights, sc, loss_collection, reduction)


def mean_squared_error(labels: Any, predictions: Any, weights: Any = 1.0,
                       scope: str | None = None,
                       loss_collection: str | None = GraphKeys.LOSSES,
                       reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    with name_scope(scope, "mean_squared_error", [predictions, labels, weights]) as sc:
        lab, p = _prepare(labels, predictions, "labels", "predictions")
        losses = squared_difference(p, lab)
        return compute_weighted_loss(losses, weights, sc, loss_collection, reduction)


def mean_pairwise_squared_error(labels: Any, predictions: Any, weights: Any = 1.0,
                                scope: str | None = None,
                                loss_collection: str | None = GraphKeys.LOSSES) -> Tensor:
    """``tf.losses.mean_pairwise_squared_error``: per batch element, the mean over pairs of its
    entries of ((p_i - p_j) - (l_i - l_j))^2, as TF computes it from the sums of the diffs
    and of their squares; weighted per batch element and summed (0 without present
    elements)."""
    if labels is None:
        raise ValueError("Argument `labels` must not be None.")
    if predictions is None:
        raise ValueError("Argument `predictions` must not be None.")
    with name_scope(scope, "mean_pairwise_squared_error", [predictions, labels, weights]):
        w = cast(weights, dtype=_dtypes.float32)
        lab = cast(labels, dtype=_dtypes.float32)
        with control_dependencies(_deps(_assert_broadcastable(w, lab))):
            p = cast(predictions, dtype=_dtypes.float32)
            _check_compatible(p, lab)
            diffs = subtract(p, lab)
            axis = _range(1, rank(diffs))
            sum_squares_diff_per_batch = reduce_sum(square(diffs), axis=axis, keepdims=True)
            num_present_per_batch = _num_present(diffs, w, per_batch=True)
            term1 = 2.0 * div_no_nan(sum_squares_diff_per_batch,
                                     maximum(num_present_per_batch - 1, 0), name="value")
            sum_diff = reduce_sum(diffs, axis=axis, keepdims=True)
            term2 = 2.0 * div_no_nan(square(sum_diff),
                                     maximum(multiply(num_present_per_batch,
                                                      num_present_per_batch - 1), 0),
                                     name="value")
            weighted_losses = multiply(term1 - term2, w)
            loss = reduce_sum(weighted_losses)
            mean_loss = where(reduce_sum(num_present_per_batch) > 0, loss, zeros_like(loss),
                              name="value")
            add_loss(mean_loss, loss_collection)
            return mean_loss


def log_loss(labels: Any, predictions: Any, weights: Any = 1.0, epsilon: float = 1e-7,
             scope: str | None = None, loss_collection: str | None = GraphKeys.LOSSES,
             reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    with name_scope(scope, "log_loss", [predictions, labels, weights]) as sc:
        lab, p = _prepare(labels, predictions, "labels", "predictions")
        # the binary operator, as TF writes it: its node is ``sub_2``, not ``Sub``
        losses = -multiply(lab, log(p + epsilon)) - multiply(1 - lab, log(1 - p + epsilon))
        return compute_weighted_loss(losses, weights, sc, loss_collection, reduction)


def hinge_loss(labels: Any, logits: Any, weights: Any = 1.0, scope: str | None = None,
               loss_collection: str | None = GraphKeys.LOSSES,
               reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    with name_scope(scope, "hinge_loss", [logits, labels, weights]) as sc:
        lab, lg = _prepare(labels, logits, "labels", "logits")
        # labels in {0, 1} become {-1, 1}
        all_ones = ones_like(lab)
        lab = subtract(2 * lab, all_ones)
        losses = relu(subtract(all_ones, multiply(lab, lg)))
        return compute_weighted_loss(losses, weights, sc, loss_collection, reduction)


def huber_loss(labels: Any, predictions: Any, weights: Any = 1.0, delta: float = 1.0,
               scope: str | None = None, loss_collection: str | None = GraphKeys.LOSSES,
               reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    with name_scope(scope, "huber_loss", [predictions, labels, weights]) as sc:
        lab, p = _prepare(labels, predictions, "labels", "predictions")
        error = subtract(p, lab)
        abs_error = _abs(error)
        quadratic = minimum(abs_error, delta)
        # linear = abs_error - quadratic, not a where(), so the gradient at |error| == delta
        # is TF's
        linear = subtract(abs_error, quadratic)
        losses = add(multiply(0.5, multiply(quadratic, quadratic)), multiply(delta, linear))
        return compute_weighted_loss(losses, weights, sc, loss_collection, reduction)


def sigmoid_cross_entropy(multi_class_labels: Any, logits: Any, weights: Any = 1.0,
                          label_smoothing: float = 0, scope: str | None = None,
                          loss_collection: str | None = GraphKeys.LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    if multi_class_labels is None:
        raise ValueError("Argument `multi_class_labels` must not be None.")
    if logits is None:
        raise ValueError("Argument `logits` must not be None.")
    with name_scope(scope, "sigmoid_cross_entropy_loss",
                    [logits, multi_class_labels, weights]) as sc:
        lg = convert_to_tensor(logits)
        lab = cast(multi_class_labels, lg.dtype)
        _check_compatible(lg, lab)
        if label_smoothing > 0:
            lab = lab * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = nn_impl.sigmoid_cross_entropy_with_logits(labels=lab, logits=lg,
                                                           name="xentropy")
        return compute_weighted_loss(losses, weights, sc, loss_collection, reduction)


def softmax_cross_entropy(onehot_labels: Any, logits: Any, weights: Any = 1.0,
                          label_smoothing: float = 0, scope: str | None = None,
                          loss_collection: str | None = GraphKeys.LOSSES,
                          reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    if onehot_labels is None:
        raise ValueError("Argument `onehot_labels` must not be None.")
    if logits is None:
        raise ValueError("Argument `logits` must not be None.")
    with name_scope(scope, "softmax_cross_entropy_loss",
                    [logits, onehot_labels, weights]) as sc:
        lg = convert_to_tensor(logits)
        lab = cast(onehot_labels, lg.dtype)
        _check_compatible(lg, lab)
        if label_smoothing > 0:
            num_classes = cast(strided_slice(_shape(lab), [-1], [0], [1], shrink_axis_mask=1),
                               lg.dtype)
            smooth_positives = 1.0 - label_smoothing
            smooth_negatives = label_smoothing / num_classes
            lab = lab * smooth_positives + smooth_negatives
        lab = stop_gradient(lab, name="labels_stop_gradient")
        losses = nn_impl.softmax_cross_entropy_with_logits_v2(labels=lab, logits=lg,
                                                              name="xentropy")
        return compute_weighted_loss(losses, weights, sc, loss_collection, reduction)


def _remove_squeezable(labels: Tensor, logits: Tensor, weights: Any) -> tuple[Tensor, Any]:
    """TF's _remove_squeezable_dimensions with expected_rank_diff=1: the labels lose a
    trailing dim of size 1 (only one that can be 1) when they have as many dims as the
    logits; the weights lose a trailing dim when they have one more than the labels. By the
    static ranks, else under a cond on the ranks in the graph, as TF does."""
    labels, logits = remove_squeezable_dimensions(labels, logits, expected_rank_diff=1)
    if weights is None:
        return labels, weights
    w = convert_to_tensor(weights)
    lr, ws = labels.get_shape().ndims, w.get_shape()
    if lr is not None and ws.ndims is not None:
        return labels, (squeeze(w, [-1]) if ws.ndims - lr == 1 else w)
    rank_diff = rank(w) - rank(labels)
    if ws.ndims is None or (ws.ndims > 0 and ws[-1].is_compatible_with(1)):
        w = cond(equal(1, rank_diff), lambda: squeeze(w, [-1]), lambda: w)
    return labels, w


def sparse_softmax_cross_entropy(labels: Any, logits: Any, weights: Any = 1.0,
                                 scope: str | None = None,
                                 loss_collection: str | None = GraphKeys.LOSSES,
                                 reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS) -> Tensor:
    if labels is None:
        raise ValueError("Argument `labels` must not be None.")
    if logits is None:
        raise ValueError("Argument `logits` must not be None.")
    with name_scope(scope, "sparse_softmax_cross_entropy_loss",
                    [logits, labels, weights]) as sc:
        lab = convert_to_tensor(labels)
        lg = convert_to_tensor(logits)
        lab, w = _remove_squeezable(lab, lg, weights)
        losses = nn_impl.sparse_softmax_cross_entropy_with_logits(labels=lab, logits=lg,
                                                                  name="xentropy")
        return compute_weighted_loss(losses, w, sc, loss_collection, reduction)


def cosine_distance(labels: Any, predictions: Any, axis: int | None = None,
                    weights: Any = 1.0, scope: str | None = None,
                    loss_collection: str | None = GraphKeys.LOSSES,
                    reduction: str = Reduction.SUM_BY_NONZERO_WEIGHTS,
                    dim: int | None = None) -> Tensor:
    """``tf.losses.cosine_distance``: 1 - sum(labels * predictions, axis) (inputs assumed
    unit-normalised, as TF says)."""
    axis = deprecated_argument_lookup("axis", axis, "dim", dim)
    if axis is None:
        raise ValueError("You must specify argument `axis`.")
    with name_scope(scope, "cosine_distance_loss", [predictions, labels, weights]) as sc:
        lab, p = _prepare(labels, predictions, "labels", "predictions")
        radial_diffs = multiply(p, lab)
        losses = 1 - reduce_sum(radial_diffs, axis=(axis,), keepdims=True)
        return compute_weighted_loss(losses, weights, sc, loss_collection, reduction)


def add_loss(loss: Any, loss_collection: str | None = GraphKeys.LOSSES) -> None:
    """``tf.losses.add_loss``: appends ``loss`` to ``loss_collection`` (None: nowhere)."""
    if loss_collection:
        add_to_collection(loss_collection, loss)


def get_losses(scope: str | None = None, loss_collection: str = GraphKeys.LOSSES) -> list[Any]:
    return get_collection(loss_collection, scope)


def get_regularization_losses(scope: str | None = None) -> list[Any]:
    return get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope: str | None = None,
                            name: str = "total_regularization_loss") -> Tensor:
    """The sum of the regularization losses (``add_n`` named ``name``), or a 0.0 constant."""
    losses = get_regularization_losses(scope)
    if losses:
        return add_n(losses, name=name)
    return constant(0.0)


def get_total_loss(add_regularization_losses: bool = True, name: str = "total_loss",
                   scope: str | None = None) -> Tensor:
    """``tf.losses.get_total_loss``: ``add_n`` of LOSSES (and REGULARIZATION_LOSSES)."""
    losses = get_losses(scope=scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope=scope)
    return add_n(losses, name=name)
