"""The gradients of the array ops whose gradients are sums (TF's array_grad.py): GatherV2
(an IndexedSlices along axis 0; TF's batch-gather form with batch_dims), Tile and
BroadcastTo. They live apart from their ops because they are built from reductions and
segment sums, which the array op modules cannot import."""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.indexed_slices import IndexedSlices, densify
from varstore.framework.ops import Operation, RegisterGradient, Tensor, builders
from varstore.ops.array_ops import reshape, shape
from varstore.ops.math_reduce_ops import reduce_prod, reduce_sum
from varstore.ops.math_unary_ops import cast

__all__: list[str] = []


@RegisterGradient("GatherV2")
def _gather_grad(op: Operation, grad: Any) -> list[Any]:
    """TF's _GatherV2Grad: along axis 0 an IndexedSlices (the gathered rows' gradients, at
    the gathered indices, of the params' shape); along another axis the rows are moved to
    the front, summed by UnsortedSegmentSum and moved back."""
    params, indices, axis = op._inputs
    if op._attrs.get("batch_dims", 0):
        return _batch_gather_grad(op, grad)
    with op._graph.colocate_with(params):  # (TF's: the shape read beside the params)
        params_shape = shape(params)
    indices_size = builders.expand_dims(builders.size(indices), 0)
    av = constant_value(axis)
    if isinstance(grad, IndexedSlices):
        grad = densify(grad, warn=False)
    if av is not None and int(av) == 0:
        values_shape = builders.concat([indices_size, params_shape[1:]], 0)
        values = reshape(grad, values_shape)
        flat = reshape(indices, indices_size)
        return [IndexedSlices(values, flat, params_shape), None, None]
    if av is None:
        raise LookupError("varstore's GatherV2 gradient needs a constant axis")
    rank = len(params._shape) if params._shape is not None else None
    if rank is None:
        raise LookupError("varstore's GatherV2 gradient needs params of known rank")
    ax = int(av) % rank
    outer = params_shape[:ax]
    inner = params_shape[ax + 1:]
    values = reshape(grad, builders.concat([outer, [-1], inner], 0))
    perm = [ax, *builtins.range(ax), *builtins.range(ax + 1, rank)]
    inverse = [*builtins.range(1, ax + 1), 0, *builtins.range(ax + 1, rank)]
    moved = builders.transpose(values, perm)
    summed = builders.unsorted_segment_sum(moved, reshape(indices, indices_size),
                                           params_shape[ax])
    return [builders.transpose(summed, inverse), None, None]


def _batch_gather_grad(op: Operation, grad: Any) -> list[Any]:
    """TF's _GatherV2Grad with batch_dims b: the gathered axis moved to b, the batch dims
    flattened into it with each batch's indices offset by its index times the axis' size
    (TF's _GetBatchIndices), one UnsortedSegmentSum, then reshaped and moved back."""
    params, indices, axis = op._inputs
    av = constant_value(axis)
    if av is None or params._shape is None or indices._shape is None:
        raise LookupError("varstore's GatherV2 gradient with batch_dims needs a constant "
                          "axis and params and indices of known rank")
    rank, irank = len(params._shape), len(indices._shape)
    b = int(op._attrs["batch_dims"])
    b = b + irank if b < 0 else b  # (batch_dims may equal the indices' rank)
    ax = int(av) % rank
    if isinstance(grad, IndexedSlices):
        grad = densify(grad, warn=False)
    params_shape = shape(params)
    values = reshape(grad, builders.concat([params_shape[:ax], [-1], params_shape[ax + 1:]], 0))
    perm = [*builtins.range(b), ax, *builtins.range(b, ax), *builtins.range(ax + 1, rank)]
    inverse = [int(i) for i in np.argsort(perm)]
    moved = builders.transpose(values, perm)
    dt = indices._dtype
    dims = cast(params_shape, dt)
    batch = reduce_prod(dims[:b])
    n = dims[ax]
    offsets = builders.range(convert_to_tensor(0, dtype=dt), batch) * n
    offsets = reshape(offsets, builders.concat([params_shape[:b], [1] * (irank - b)], 0))
    flat_idx = reshape(indices + offsets, [-1])
    rest = builders.concat([params_shape[b:ax], params_shape[ax + 1:]], 0)
    flat_vals = reshape(moved, builders.concat([[-1], rest], 0))
    summed = builders.unsorted_segment_sum(flat_vals, flat_idx, batch * n)
    summed = reshape(summed, builders.concat([params_shape[:b], [-1], rest], 0))
    out = builders.transpose(summed, inverse)
    out.set_shape(params._shape)
    return [out, None, None]


@RegisterGradient("Tile")
def _tile_grad(op: Operation, grad: Any) -> list[Any]:
    """TF's _TileGrad: the gradient reshaped to interleaved (multiple, size) pairs and
    summed over the multiples (dynamic shapes too)."""
    x, m = op._inputs
    input_shape = shape(x, out_type=m._dtype)
    split_shape = reshape(builders.transpose(builders.stack([m, input_shape])), [-1])
    axes = builders.range(0, builders.size(split_shape), 2)
    input_grad = reduce_sum(reshape(grad, split_shape), axes)
    if x._shape is not None:
        input_grad.set_shape(x._shape)
    return [input_grad, None]


@RegisterGradient("BroadcastTo")
def _broadcast_to_grad(op: Operation, grad: Tensor) -> list[Any]:
    x = op._inputs[0]
    sx, sg = x._shape, grad._shape
    if sx is not None and sg is not None and None not in sx and None not in sg:
        from varstore.ops.array_slicing_ops import broadcast_reduction_axes

        rx, _ = broadcast_reduction_axes(sx, sg)  # type: ignore[arg-type]
        g = reduce_sum(grad, rx, keepdims=False) if rx else grad
        return [reshape(g, list(sx)), None]
    rx, _ = builders.broadcast_gradient_args(shape(x), op._inputs[1])
    return [reshape(reduce_sum(grad, rx), shape(x)), None]
