"""``tf.repeat``, ``tf.parallel_stack`` and ``tf.batch_gather``, as TF's array_ops builds them:
repeat tiles a new axis and keeps the wanted copies with a sequence mask (boolean_mask), or
tiles and reshapes for a scalar count; parallel_stack is op ParallelConcat over ExpandDims
(TF registers no gradient for it: tf.gradients raises LookupError there too); batch_gather
offsets the indices of every batch into a flattened gather."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import get_default_graph, name_scope
from varstore.framework.ops import (
    Operation,
    Tensor,
    builders,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
)
from varstore.framework.tensor_shape import Dimension, TensorShape, merge, merge_error, shape_str
from varstore.ops.array_fill_ops import ones, zeros
from varstore.ops.array_ops import expand_dims, rank, reshape, shape
from varstore.ops.array_slicing_ops import gather
from varstore.ops.array_stack_ops import concat, stack
from varstore.ops.array_transform_ops import boolean_mask, broadcast_to, sequence_mask, tile
from varstore.ops.math_reduce_ops import reduce_max, reduce_prod, reduce_sum
from varstore.ops.math_sequence_ops import range as _range
from varstore.ops.math_unary_ops import cast

__all__ = ["batch_gather", "parallel_stack", "repeat"]

_int32 = _dtypes.int32


# -- parallel_stack -----------------------------------------------------------------------------
def parallel_stack(values: Any, name: str = "parallel_stack") -> Tensor:
    """``tf.parallel_stack``: op ``ParallelConcat`` of the values each expanded to a leading
    axis of 1; its ``shape`` attribute (len(values), *values[0].shape) must be fully known."""
    with name_scope(name):
        first = convert_to_tensor(values[0])
        value_shape = first._shape
        out_shape: tuple[int | None, ...] | None = \
            None if value_shape is None else (len(values), *value_shape)
        parts = [expand_dims(v, 0) for v in values]
        graph = get_default_graph()
        full = graph._op_name(None, "ParallelConcat")
        dt = parts[0]._dtype
        attrs = f"N={len(parts)}, T={dt_enum(dt)}, shape={shape_str(out_shape)}"
        if out_shape is None or None in out_shape:
            raise node_error("shape attr must be fully defined.", full, "ParallelConcat",
                             attrs, parts)
        cur: Any = (1, *out_shape[1:])
        for i, p in enumerate(parts):
            if p._shape is None or None in p._shape:
                raise node_error("All input shapes must be fully defined.", full,
                                 "ParallelConcat", attrs, parts)
            if p._shape[0] != 1:
                raise node_error("Size of first dimension must be 1.", full, "ParallelConcat",
                                 attrs, parts)
            merged = merge(p._shape, cur)
            if not isinstance(merged, tuple):
                raise node_error(f"{merge_error(p._shape, cur)}\n\tFrom merging shape {i} "
                                 "with other shapes.", full, "ParallelConcat", attrs, parts)
            cur = merged
        return make_op(graph, full, "ParallelConcat", parts,
                       {"N": len(parts), "T": dt, "shape": TensorShape(out_shape)},
                       [(dt, out_shape)])._outputs[0]


@register_kernel("ParallelConcat")
def _parallel_concat_kernel(op: Operation) -> Callable[..., Any]:
    # TF's graph rewrite turns it into in-place updates of one buffer: a concatenation
    return lambda *values: np.concatenate(values, axis=0)


# -- repeat -------------------------------------------------------------------------------------
def _positive_axis(axis: int, ndims: int | None) -> int:
    """TF's get_positive_axis(axis, ndims, ndims_name="rank(data)")."""
    if ndims is not None:
        if 0 <= axis < ndims:
            return axis
        if -ndims <= axis < 0:
            return axis + ndims
        raise ValueError(f"axis={axis} out of bounds: expected {-ndims}<=axis<{ndims}")
    if axis < 0:
        raise ValueError(f"axis={axis} may only be negative if rank(data) is statically "
                         "known.")
    return axis


def _tile_one_dimension(data: Tensor, axis: int, multiple: Any) -> Tensor:
    if data._shape is not None:
        multiples: Any = [1] * len(data._shape)
        multiples[axis] = multiple
        if isinstance(multiple, Tensor):
            multiples = stack(multiples)
    else:
        ones_value = ones(rank(data), _int32)
        multiples = concat([ones_value[:axis], [multiple], ones_value[axis + 1:]], axis=0)
    return tile(data, multiples)


def _all_dimensions(x: Tensor) -> Any:
    if x._shape is not None:
        return list(range(len(x._shape))) if x._shape else []
    return _range(0, rank(x), 1)


def _repeat_with_axis(data: Any, repeats: Any, axis: Any, name: str | None) -> Tensor:
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise TypeError(f"Argument `axis` must be an int. Received `axis` = {axis} of type "
                        f"{type(axis).__name__}")
    with name_scope(name, "Repeat", [data, repeats]):
        d = convert_to_tensor(data, name="data")
        r = convert_to_tensor(repeats, name="repeats", preferred_dtype=_int32)
        if not r._dtype.is_integer:
            raise TypeError(f"Argument `tensor` (name: repeats) must be of type integer. "
                            f"Received `tensor` = {r} of dtype: {r._dtype!r}")
        r = cast(r, _int32)
        r.shape.with_rank_at_most(1)
        # a scalar is upgraded to a vector
        if d._shape is not None:
            if not d._shape:
                d = stack([d])
        else:
            d = reshape(d, concat([[1], shape(d)], axis=0)[-rank(d):])
        data_shape = shape(d, out_type=r._dtype)
        axis = _positive_axis(axis, None if d._shape is None else len(d._shape))
        if r.shape.num_elements() == 1:
            r = reshape(r, [])
            expanded = expand_dims(d, axis + 1)
            tiled = _tile_one_dimension(expanded, axis + 1, r)
            result_shape = concat([data_shape[:axis], [r * data_shape[axis]],
                                   data_shape[axis + 1:]], axis=0)
            return reshape(tiled, result_shape)
        if r._shape is not None and len(r._shape) == 1 and d._shape is not None:
            Dimension(d._shape[axis]).assert_is_compatible_with(r._shape[0])
        r = broadcast_to(r, [data_shape[axis]])
        repeats_original = r
        if r._shape is None or len(r._shape) != axis + 1:
            repeats_shape = shape(r)
            repeats_ndims = rank(r)
            bshape = concat([data_shape[:axis + 1 - repeats_ndims], repeats_shape], axis=0)
            r = broadcast_to(r, bshape)
            r.set_shape([None] * (axis + 1))
        max_repeat = reduce_max(r, _all_dimensions(r), name="Max")
        max_repeat = builders.maximum(convert_to_tensor(0, name="zero", dtype=max_repeat._dtype),
                                      max_repeat)
        mask = sequence_mask(r, max_repeat)
        expanded = expand_dims(d, axis + 1)
        tiled = _tile_one_dimension(expanded, axis + 1, max_repeat)
        masked = boolean_mask(tiled, mask)
        if axis == 0:
            result = masked
        else:
            repeated_dim_size = reduce_sum(repeats_original,
                                           _range(0, rank(repeats_original), 1), name="Sum")
            result_shape = concat([data_shape[:axis], [repeated_dim_size],
                                   data_shape[axis + 1:]], axis=0)
            result = reshape(masked, result_shape)
        if d._shape is not None:
            new_axis_size = 0 if r._shape is not None and r._shape[0] == 0 else None
            result.set_shape((*d._shape[:axis], new_axis_size, *d._shape[axis + 1:]))
        return result


def repeat(input: Any, repeats: Any, axis: Any = None, name: str | None = None) -> Tensor:
    """``tf.repeat``: each element (or slice along ``axis``) repeated ``repeats`` times, as
    numpy.repeat; without an axis the input is flattened first."""
    if axis is None:
        input = reshape(input, [-1])
        axis = 0
    return _repeat_with_axis(input, repeats, axis, name)


# -- batch_gather -------------------------------------------------------------------------------
def batch_gather(params: Any, indices: Any, name: str | None = None) -> Tensor:
    """TF1's ``tf.batch_gather``: a gather per batch, every dimension of ``indices`` but the
    last being a batch dimension shared with ``params``."""
    with name_scope(name, "BatchGather", [params, indices]):
        i = convert_to_tensor(indices, name="indices")
        p = convert_to_tensor(params, name="params")
        if i._shape is None:
            raise ValueError("batch_gather does not allow indices with unknown shape.")
        return _batch_gather(p, i, len(i._shape) - 1)


def _batch_gather(params: Tensor, indices: Tensor, batch_dims: int) -> Tensor:
    """TF's array_ops._batch_gather (axis=None)."""
    indices = convert_to_tensor(indices, name="indices")
    params = convert_to_tensor(params, name="params")
    assert indices._shape is not None
    indices_ndims = len(indices._shape)
    if batch_dims < 0:
        batch_dims += indices_ndims
    if batch_dims < 0 or batch_dims >= indices_ndims:
        raise ValueError(f"Argument `batch_dims` = {batch_dims} must be less than "
                         f"rank(`indices`) = {indices_ndims}")
    if params._shape is not None and batch_dims >= len(params._shape):
        raise ValueError(f"Argument `batch_dims` = {batch_dims} must be less than "
                         f"rank(`params`) = {len(params._shape)}")
    indices_shape = shape(indices)
    params_shape = shape(params)
    batch_indices = indices
    dt = indices._dtype
    accum_dim_value = ones((), dtype=dt)
    casted_params_shape = cast(params_shape, dt)
    for dim in range(batch_dims, 0, -1):
        dim_value = casted_params_shape[dim - 1]
        accum_dim_value *= casted_params_shape[dim]
        start = zeros((), dtype=dt)
        step = ones((), dtype=dt)
        dim_indices = _range(start, dim_value, step)
        dim_indices *= accum_dim_value
        dim_shape = stack([1] * (dim - 1) + [dim_value] + [1] * (indices_ndims - dim), axis=0)
        batch_indices += reshape(dim_indices, dim_shape)
    flat_indices = reshape(batch_indices, [-1])
    outer_shape = params_shape[batch_dims + 1:]
    flat_inner_shape = reduce_prod(params_shape[:batch_dims + 1], [0], False, name="Prod")
    flat_params = reshape(params, concat([[flat_inner_shape], outer_shape], axis=0))
    flat_result = gather(flat_params, flat_indices)
    result = reshape(flat_result, concat([indices_shape, outer_shape], axis=0))
    final = indices.shape[:batch_dims].merge_with(params.shape[:batch_dims])
    final = final.concatenate(indices.shape[batch_dims:])
    final = final.concatenate(params.shape[batch_dims + 1:])
    result.set_shape(final)
    return result


builders.register(globals(), __all__)
