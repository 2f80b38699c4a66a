"""``tf.batch_scatter_update`` (TF's state_ops): scatter_update along the last axis of
``indices`` for every leading (batch) position, built as TF builds it, one
ScatterNdUpdate (ResourceScatterNdUpdate for a resource variable) whose indices are the
batch coordinates (a Range per leading dimension) beside the given ones."""

from __future__ import annotations

from typing import Any

from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.ops.array_fill_ops import ones_like
from varstore.ops.array_ops import expand_dims, reshape, shape
from varstore.ops.array_scatter_ops import scatter_nd_update
from varstore.ops.array_stack_ops import concat
from varstore.ops.math_sequence_ops import range as _range
from varstore.ops.math_unary_ops import cast

__all__ = ["batch_scatter_update"]


def batch_scatter_update(ref: Any, indices: Any, updates: Any, use_locking: bool = True,
                         name: str | None = None) -> Any:
    """``ref[b..., indices[b..., i], ...] = updates[b..., i, ...]``: the leading dims of
    ``indices`` index the first dims of ``ref`` one to one, its last dim the next one."""
    with name_scope(name):
        idx = convert_to_tensor(indices, name="indices")
        idx_shape = shape(idx)
        ndims = idx.get_shape().ndims
        if ndims is None:
            raise ValueError("batch_gather does not allow indices with unknown shape.")
        nd_indices = expand_dims(idx, axis=-1)
        parts = []
        for dim in range(ndims - 1):
            # the coordinate of dimension ``dim``, broadcast over the others
            size = idx_shape[dim]
            broadcast: list[Any] = [1] * (ndims + 1)
            broadcast[dim] = size
            coords = reshape(_range(0, size, 1, name="Range"), broadcast)
            if coords.dtype.base_dtype != nd_indices.dtype:
                coords = cast(coords, nd_indices.dtype)
            parts.append(coords * ones_like(nd_indices))
        parts.append(nd_indices)
        final = concat(parts, axis=-1)
        return scatter_nd_update(ref, final, updates, use_locking=use_locking)
