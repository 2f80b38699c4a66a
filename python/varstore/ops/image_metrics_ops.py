"""The ``tf.image`` metrics and gradients (TF's image_ops_impl.py): total_variation, psnr,
image_gradients and sobel_edges, built from graph ops under TF's name scopes, so their
gradients come from those ops."""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.ops import Tensor
from varstore.ops import (
    array_fill_ops,
    array_ops,
    array_stack_ops,
    array_transform_ops,
    math_ops,
    math_reduce_ops,
    math_unary_ops,
)
from varstore.ops.image_ops_impl import _text, convert_image_dtype

__all__ = ["image_gradients", "psnr", "sobel_edges", "total_variation"]


# -- metrics and gradients -------------------------------------------------------------------------
def total_variation(images: Any, name: str | None = None) -> Tensor:
    """``tf.image.total_variation``: summed absolute differences of neighbouring pixels (per
    image for a batch)."""
    with name_scope(name, "total_variation"):
        x = convert_to_tensor(images)
        ndims = len(x._shape) if x._shape is not None else None
        if ndims == 3:
            d1 = x[1:, :, :] - x[:-1, :, :]
            d2 = x[:, 1:, :] - x[:, :-1, :]
            axis: Any = None
        elif ndims == 4:
            d1 = x[:, 1:, :, :] - x[:, :-1, :, :]
            d2 = x[:, :, 1:, :] - x[:, :, :-1, :]
            axis = [1, 2, 3]
        else:
            raise ValueError("'images' must be either 3 or 4-dimensional.")
        return (math_reduce_ops.reduce_sum(math_unary_ops.abs(d1), axis=axis)
                + math_reduce_ops.reduce_sum(math_unary_ops.abs(d2), axis=axis))


def psnr(a: Any, b: Any, max_val: Any, name: str | None = None) -> Tensor:
    """``tf.image.psnr``: 20 log10(max_val) - 10 log10(MSE) over the last three axes."""
    with name_scope(name, "PSNR", [a, b]):
        ta, tb = convert_to_tensor(a), convert_to_tensor(b)
        mv = convert_image_dtype(math_unary_ops.cast(max_val, ta._dtype), _dtypes.float32)
        ta = convert_image_dtype(ta, _dtypes.float32)
        tb = convert_image_dtype(tb, _dtypes.float32)
        s1, s2 = ta._shape, tb._shape
        for s in (s1, s2):
            if s is not None and len(s) < 3:
                raise ValueError(f"Shape {_text(s)} must have rank at least 3")
        if s1 is not None and s2 is not None:
            for d1, d2 in zip(s1[-3:], s2[-3:]):
                if d1 is not None and d2 is not None and d1 != d2:
                    raise ValueError(f"Shapes {_text(s1[-3:])} and {_text(s2[-3:])} are "
                                     "incompatible")
        mse = math_reduce_ops.reduce_mean(math_ops.squared_difference(ta, tb), [-3, -2, -1])
        value = math_ops.subtract(
            20 * math_unary_ops.log(mv) / math_unary_ops.log(10.0),
            np.float32(10 / np.log(10)) * math_unary_ops.log(mse), name="psnr")
        return array_ops.identity(value)


def image_gradients(image: Any) -> tuple[Tensor, Tensor]:
    """``tf.image.image_gradients``: forward differences (dy, dx), zero in the last row and
    column."""
    x = convert_to_tensor(image)
    if x._shape is None or len(x._shape) != 4:
        raise ValueError("image_gradients expects a 4D tensor [batch_size, h, w, d], not "
                         f"{_text(x._shape)}.")
    shape = array_ops.shape(x)
    batch, height, width, depth = array_stack_ops.unstack(shape)
    dy = x[:, 1:, :, :] - x[:, :-1, :, :]
    dx = x[:, :, 1:, :] - x[:, :, :-1, :]
    dy = array_stack_ops.concat(
        [dy, array_fill_ops.zeros(array_stack_ops.stack([batch, 1, width, depth]), x._dtype)], 1)
    dy = array_ops.reshape(dy, shape)
    dx = array_stack_ops.concat(
        [dx, array_fill_ops.zeros(array_stack_ops.stack([batch, height, 1, depth]), x._dtype)],
        2)
    dx = array_ops.reshape(dx, shape)
    return dy, dx


def sobel_edges(image: Any) -> Tensor:
    """``tf.image.sobel_edges``: [dy, dx] Sobel responses stacked on a new last axis
    (reflect-padded, a depthwise convolution)."""
    from varstore.ops import nn_depthwise_ops

    x = convert_to_tensor(image)
    static = x._shape
    shape = array_ops.shape(x)
    kernels = np.array([[[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
                        [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]])
    kernels = np.expand_dims(np.transpose(kernels, (1, 2, 0)), -2)
    k = convert_to_tensor(kernels.astype(x._dtype._np), dtype=x._dtype)
    k = array_transform_ops.tile(k, array_stack_ops.stack([1, 1, shape[-1], 1]),
                                 name="sobel_filters")
    padded = array_transform_ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    out = nn_depthwise_ops.depthwise_conv2d(padded, k, [1, 1, 1, 1], "VALID")
    out = array_ops.reshape(out, array_stack_ops.concat([shape, [2]], 0))
    if static is not None:
        out.set_shape([*static, 2])
    return out
