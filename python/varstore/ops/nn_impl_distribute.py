"""``tf.nn.compute_average_loss`` and ``tf.nn.scale_regularization_loss`` (TF's
nn_impl_distribute.py): losses scaled for a distribution strategy's replicas. varstore runs
TF's default strategy (one replica, always in replica context), so the replica count is 1;
the graph is the one TF builds for it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import control_dependencies
from varstore.framework.ops import Tensor
from varstore.ops import check_ops, math_ops
from varstore.ops.array_ops import expand_dims, rank, shape, squeeze
from varstore.ops.control_flow_ops import cond
from varstore.ops.math_reduce_ops import reduce_sum
from varstore.ops.math_unary_ops import cast

__all__ = ["compute_average_loss", "scale_regularization_loss"]

_NUM_REPLICAS = 1  # the default strategy's num_replicas_in_sync


def scale_regularization_loss(regularization_loss: Any) -> Tensor:
    """The sum of ``regularization_loss`` over the replica count."""
    return reduce_sum(regularization_loss) / _NUM_REPLICAS


@contextmanager
def _check_per_example_loss_rank(loss: Tensor) -> Iterator[None]:
    # TF's losses.util.check_per_example_loss_rank: rank >= 1, statically when known
    loss_rank = loss.shape.rank
    if loss_rank is not None:
        if loss_rank == 0:
            raise ValueError("Invalid value passed for `per_example_loss`. Expected a tensor "
                             f"with at least rank 1. Received per_example_loss={loss} with "
                             f"rank {loss_rank}")
        yield
    else:
        with control_dependencies([check_ops.assert_greater_equal(
                rank(loss), cast(1, dtype=_dtypes.int32),
                message="Invalid value passed for `per_example_loss`. Expected a tensor "
                "with at least rank 1.")]):
            yield


def _match_weight_rank(losses: Tensor, weight: Tensor) -> Tensor:
    """The weight half of TF's losses.util.squeeze_or_expand_dimensions: a weight one rank
    above the losses loses its last axis, one rank below gains one; decided in the graph
    when a rank is unknown."""
    w_rank, l_rank = weight.shape.ndims, losses.shape.ndims
    if w_rank == 0:
        return weight
    if l_rank is not None and w_rank is not None:
        if w_rank - l_rank == 1:
            return squeeze(weight, [-1])
        if l_rank - w_rank == 1:
            return expand_dims(weight, [-1])
        return weight
    w_rank_t = rank(weight)
    diff = w_rank_t - rank(losses)

    def maybe_expand() -> Any:
        return cond(math_ops.equal(diff, -1), lambda: expand_dims(weight, [-1]),
                    lambda: weight)

    def maybe_adjust() -> Any:
        return cond(math_ops.equal(diff, 1), lambda: squeeze(weight, [-1]), maybe_expand)

    adjusted: Tensor = cond(math_ops.equal(w_rank_t, 0), lambda: weight, maybe_adjust)
    return adjusted


def compute_average_loss(per_example_loss: Any, sample_weight: Any = None,
                         global_batch_size: Any = None) -> Tensor:
    """The (``sample_weight``-weighted) per-example losses summed and divided by the global
    batch size (``global_batch_size``, else the first dimension times the replica count),
    0 for an empty batch (div_no_nan)."""
    loss = convert_to_tensor(per_example_loss)
    input_dtype = loss.dtype
    with _check_per_example_loss_rank(loss):
        if sample_weight is not None:
            weight = convert_to_tensor(sample_weight)
            # TF's scale_losses_by_sample_weight multiplies in float32
            loss32 = cast(loss, _dtypes.float32)
            weight32 = cast(weight, _dtypes.float32)
            loss = math_ops.multiply(loss32, _match_weight_rank(loss32, weight32))
        loss = cast(loss, input_dtype)
        if global_batch_size is None:
            global_batch_size = shape(loss)[0] * _NUM_REPLICAS
        # TF builds these checks and does not depend on them (graph mode leaves them unrun)
        check_ops.assert_scalar(global_batch_size, message="global_batch_size must be scalar.")
        check_ops.assert_integer(global_batch_size,
                                 message="global_batch_size must be an integer.")
        check_ops.assert_non_negative(global_batch_size,
                                      message="global_batch_size must be non-negative.")
        total = reduce_sum(loss)
        size = cast(global_batch_size, input_dtype)
        return math_ops.div_no_nan(total, size)
