"""Running an op on a dilated (atrous) input through SpaceToBatchND / BatchToSpaceND:
``tf.required_space_to_batch_paddings`` (TF's array_ops) computes the paddings that make
each block dimension divide the padded input, and ``tf.nn.with_space_to_batch`` (TF's
nn_ops ``_WithSpaceToBatch``) wraps any op in the pair of transforms, as TF built atrous
convolution before Conv2D had ``dilations``. Constant shapes give constant paddings, as in
TF; unknown ones are computed in the graph."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.ops import Tensor
from varstore.ops.array_fill_ops import zeros
from varstore.ops.array_ops import shape as _shape
from varstore.ops.array_space_ops import batch_to_space_nd, space_to_batch_nd
from varstore.ops.array_stack_ops import concat, stack
from varstore.ops.nn_window_utils import convert_padding

__all__ = ["required_space_to_batch_paddings", "with_space_to_batch"]


def required_space_to_batch_paddings(input_shape: Any, block_shape: Any,
                                     base_paddings: Any = None,
                                     name: str | None = None) -> tuple[Tensor, Tensor]:
    """``(paddings, crops)``, int32 [N, 2]: ``paddings[i] = [base[i, 0], base[i, 1] + e]``
    with the least ``e`` that makes ``block_shape[i]`` divide the padded size, and
    ``crops[i] = [0, e]``."""
    with name_scope(name, "required_space_to_batch_paddings", [input_shape, block_shape]):
        in_t = convert_to_tensor(input_shape, dtype=_dtypes.int32, name="input_shape")
        block_t = convert_to_tensor(block_shape, dtype=_dtypes.int32, name="block_shape")
        block_t.get_shape().assert_is_fully_defined()
        block_t.get_shape().assert_has_rank(1)
        n = int(block_t.get_shape()[0])
        if n == 0:
            return zeros([0, 2], _dtypes.int32), zeros([0, 2], _dtypes.int32)
        in_t.get_shape().assert_is_compatible_with([n])
        if base_paddings is not None:
            base_t = convert_to_tensor(base_paddings, dtype=_dtypes.int32, name="base_paddings")
            base_t.get_shape().assert_is_compatible_with([n, 2])
        else:
            base_t = zeros([n, 2], _dtypes.int32)
        block: Any = block_t
        size: Any = in_t
        base: Any = base_t
        const_block, const_size, const_base = (constant_value(block_t), constant_value(in_t),
                                               constant_value(base_t))
        if const_block is not None and const_size is not None and const_base is not None:
            # TF folds a fully known case into NumPy, so the results are two Consts
            block, size, base = const_block, const_size, const_base
        pad_start = base[:, 0]
        orig_pad_end = base[:, 1]
        full = size + pad_start + orig_pad_end
        pad_end_extra = (block - full % block) % block
        pad_end = orig_pad_end + pad_end_extra
        paddings = stack([[pad_start[i], pad_end[i]] for i in range(n)], name="paddings")
        crops = stack([[0, pad_end_extra[i]] for i in range(n)], name="crops")
        return paddings, crops


def _base_paddings(filter_shape: Any, num_spatial_dims: int, rate: Any) -> Tensor:
    # The zero-inserted filter's extent less one, split as conv2d's SAME splits it (the
    # odd one at the end).
    extra = (filter_shape[:num_spatial_dims] - 1) * rate
    start = extra // 2
    end = extra - start
    return stack([[start[i], end[i]] for i in range(num_spatial_dims)])


def _adjust(orig: Any, fill_value: int, spatial_dims: Sequence[int]) -> Any:
    """``orig`` (one row per spatial dim) widened to one row per dim from 1 to the last
    spatial dim, the rows of non-spatial dims filled with ``fill_value``."""
    t = orig if isinstance(orig, Tensor) else convert_to_tensor(orig)
    fill_dims = t.get_shape().as_list()[1:]
    dtype = t.dtype._np
    const = constant_value(t)
    src = const if const is not None else t
    parts: list[Any] = []
    prev = 0
    i = 0
    while i < len(spatial_dims):
        start_i = i
        if spatial_dims[i] > 1:
            parts.append(np.full([spatial_dims[i] - 1 - prev, *fill_dims], fill_value,
                                 dtype=dtype))
        while i + 1 < len(spatial_dims) and spatial_dims[i + 1] == spatial_dims[i] + 1:
            i += 1
        parts.append(src[start_i:i + 1])
        prev = spatial_dims[i]
        i += 1
    if const is not None:
        return np.concatenate(parts)
    return concat(parts, 0)


def with_space_to_batch(input: Any, dilation_rate: Any, padding: Any,
                        op: Callable[..., Any], filter_shape: Any = None,
                        spatial_dims: Any = None, data_format: str | None = None) -> Any:
    """``tf.nn.with_space_to_batch``: ``op(converted, num_spatial_dims, "VALID")`` on the
    SpaceToBatchND of ``input`` by ``dilation_rate`` (padded for SAME from
    ``filter_shape``), then BatchToSpaceND back; with every rate 1, ``op(input, n,
    padding)`` directly."""
    x = convert_to_tensor(input, name="input")
    input_shape = x.get_shape()
    rate_t = convert_to_tensor(dilation_rate, _dtypes.int32, name="dilation_rate")
    if rate_t.shape.ndims not in (None, 1):
        raise ValueError("`dilation_rate.shape.rank` must be 1. Received: "
                         f"dilation_rate={rate_t} of rank {rate_t.shape.rank}")
    if not rate_t.shape.is_fully_defined():
        raise ValueError("`dilation_rate.shape` must be fully defined. Received: "
                         f"dilation_rate={rate_t} with shape {rate_t.shape}")
    n = int(rate_t.shape[0])
    channels_first = data_format is not None and data_format.startswith("NC")
    first_spatial = 2 if channels_first else 1
    if spatial_dims is None:
        spatial_dims = range(first_spatial, n + first_spatial)
    orig_dims = list(spatial_dims)
    dims = sorted({int(d) for d in orig_dims})
    if dims != orig_dims or any(d < 1 for d in dims):
        raise ValueError("`spatial_dims` must be a monotonically increasing sequence of "
                         f"positive integers. Received: spatial_dims={orig_dims}")
    expected_rank = dims[-1] if channels_first else dims[-1] + 1
    try:
        input_shape.with_rank_at_least(expected_rank)
    except ValueError:
        raise ValueError(f"`input.shape.rank` must be at least {expected_rank}. Received: "
                         f"input.shape={input_shape} with rank {input_shape.rank}") from None
    const_rate = constant_value(rate_t)
    rate: Any = rate_t
    if const_rate is not None:
        rate = const_rate
        if np.any(const_rate < 1):
            raise ValueError(f"`dilation_rate` must be positive. Received: "
                             f"dilation_rate={const_rate}")
        if np.all(const_rate == 1):
            return op(x, n, padding)
    padding, explicit = convert_padding(padding)
    base: Any
    if padding == "SAME":
        if filter_shape is None:
            raise ValueError("`filter_shape` must be specified for `padding='SAME'`. "
                             f"Received: filter_shape={filter_shape} and padding={padding}")
        fs = convert_to_tensor(filter_shape, name="filter_shape")
        const_fs = constant_value(fs)
        if const_fs is None:
            # TF defers to the filter's run-time shape, and with_space_to_batch has no
            # filter: its array_ops.shape(None) fails the same way
            raise ValueError("None values not supported.")
        base = _base_paddings(const_fs, n, rate)
    elif padding == "VALID":
        base = np.zeros([n, 2], np.int32)
    elif padding == "EXPLICIT":
        pairs = np.array(explicit).reshape([n + 2, 2])
        base = pairs[2:] if channels_first else pairs[1:-1]
    else:
        raise ValueError("`padding` must be one of 'SAME' or 'VALID'. Received: "
                         f"padding={padding}")
    spatial: Any = None
    if input_shape.ndims is not None:
        dims_list = input_shape.as_list()
        spatial = [dims_list[i] for i in dims]
    if spatial is None or None in spatial:
        shape_t = _shape(x)
        spatial = stack([shape_t[i] for i in dims])
    paddings, crops = required_space_to_batch_paddings(input_shape=spatial,
                                                       base_paddings=base, block_shape=rate_t)
    block = _adjust(rate_t, 1, dims)
    # TF adjusts the paddings and the crops before SpaceToBatchND (its node order)
    paddings = _adjust(paddings, 0, dims)
    crops = _adjust(crops, 0, dims)
    converted = space_to_batch_nd(input=x, block_shape=block, paddings=paddings)
    result = op(converted, n, "VALID")
    return batch_to_space_nd(input=result, block_shape=block, crops=crops)
