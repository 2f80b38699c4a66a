"""``tf.image`` composites built as TF's image_ops_impl.py builds them: ssim, ssim_multiscale
(the Gaussian window as TF's _fspecial_gauss, a softmax; depthwise VALID convolutions as the
local means) and TF1's resize_image_with_pad.

As in psnr, TF's run-time Assert ops on dynamic shapes are not built: the shape checks are
made on static shapes when the graph is built. ssim_multiscale decides each scale's
symmetric padding from the static image size (TF builds a tf.cond on it); it needs the last
three dimensions known."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.ops import Tensor
from varstore.ops import (
    array_ops,
    array_slicing_ops,
    array_stack_ops,
    array_transform_ops,
    math_ops,
    math_reduce_ops,
    math_sequence_ops,
    math_unary_ops,
    nn_depthwise_ops,
    nn_ops,
    nn_pool_ops,
)
from varstore.ops.image_ops_impl import (
    ResizeMethod,
    _text,
    convert_image_dtype,
    pad_to_bounding_box,
    resize_images,
)

__all__ = ["resize_image_with_pad", "ssim", "ssim_multiscale"]

_MSSSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def _verify(img1: Tensor, img2: Tensor) -> None:
    s1, s2 = img1._shape, img2._shape
    for s in (s1, s2):
        if s is not None and len(s) < 3:
            raise ValueError(f"Shape {_text(s)} must have rank at least 3")
    if s1 is not None and s2 is not None:
        for d1, d2 in zip(s1[-3:], s2[-3:]):
            if d1 is not None and d2 is not None and d1 != d2:
                raise ValueError(f"Shapes {_text(s1[-3:])} and {_text(s2[-3:])} are "
                                 "incompatible")


def _fspecial_gauss(size: Tensor, sigma: Tensor) -> Tensor:
    coords = math_unary_ops.cast(math_sequence_ops.range(size), sigma._dtype)
    coords = math_ops.subtract(coords, math_ops.divide(
        math_unary_ops.cast(math_ops.subtract(size, 1), sigma._dtype), 2.0))
    g = math_unary_ops.square(coords)
    g = math_ops.multiply(g, math_ops.divide(-0.5, math_unary_ops.square(sigma)))
    g = math_ops.add(array_ops.reshape(g, [1, -1]), array_ops.reshape(g, [-1, 1]))
    g = nn_ops.softmax(array_ops.reshape(g, [1, -1]))
    return array_ops.reshape(g, array_stack_ops.stack([size, size, 1, 1]))


def _ssim_per_channel(img1: Tensor, img2: Tensor, max_val: Any, filter_size: int,
                      filter_sigma: float, k1: float, k2: float,
                      return_index_map: bool = False) -> tuple[Tensor, Tensor]:
    for s in (img1._shape, img2._shape):
        if s is not None and any(d is not None and d < filter_size for d in s[-3:-1]):
            raise ValueError(f"the images ({_text(s)}) must be at least {filter_size}x"
                             f"{filter_size} for the SSIM filter")
    size = convert_to_tensor(filter_size, dtype=_dtypes.int32)
    sigma = convert_to_tensor(filter_sigma, dtype=img1._dtype)
    shape1 = array_ops.shape(img1)
    img1 = array_ops.identity(img1)
    kernel = _fspecial_gauss(size, sigma)
    depth = array_slicing_ops.strided_slice(shape1, [-1], [0], [1], shrink_axis_mask=1)
    kernel = array_transform_ops.tile(kernel, array_stack_ops.stack([1, 1, depth, 1]))

    def reducer(x: Tensor) -> Tensor:
        shape = array_ops.shape(x)
        flat = array_ops.reshape(x, array_stack_ops.concat(
            [[-1], array_slicing_ops.strided_slice(shape, [-3], [0], [1], end_mask=1)], 0))
        y = nn_depthwise_ops.depthwise_conv2d(flat, kernel, strides=[1, 1, 1, 1],
                                              padding="VALID")
        return array_ops.reshape(y, array_stack_ops.concat(
            [array_slicing_ops.strided_slice(shape, [0], [-3], [1], begin_mask=1),
             array_slicing_ops.strided_slice(array_ops.shape(y), [1], [0], [1], end_mask=1)], 0))

    c1 = math_unary_ops.square(math_ops.multiply(k1, max_val))
    c2 = math_unary_ops.square(math_ops.multiply(k2, max_val))
    mean0, mean1 = reducer(img1), reducer(img2)
    num0 = math_ops.multiply(math_ops.multiply(mean0, mean1), 2.0)
    den0 = math_ops.add(math_unary_ops.square(mean0), math_unary_ops.square(mean1))
    luminance = math_ops.divide(math_ops.add(num0, c1), math_ops.add(den0, c1))
    num1 = math_ops.multiply(reducer(math_ops.multiply(img1, img2)), 2.0)
    den1 = reducer(math_ops.add(math_unary_ops.square(img1), math_unary_ops.square(img2)))
    c2 = math_ops.multiply(c2, 1.0)
    cs = math_ops.divide(math_ops.add(math_ops.subtract(num1, num0), c2),
                         math_ops.add(math_ops.subtract(den1, den0), c2))
    if return_index_map:
        return math_ops.multiply(luminance, cs), cs
    axes = convert_to_tensor(np.asarray([-3, -2], np.int32))
    return (math_reduce_ops.reduce_mean(math_ops.multiply(luminance, cs), axes),
            math_reduce_ops.reduce_mean(cs, axes))


def _prepare(img1: Any, img2: Any, max_val: Any) -> tuple[Tensor, Tensor, Tensor]:
    a = convert_to_tensor(img1, name="img1")
    b = convert_to_tensor(img2, name="img2")
    _verify(a, b)
    a = array_ops.identity(a)
    mv = convert_image_dtype(math_unary_ops.cast(max_val, a._dtype), _dtypes.float32)
    return (convert_image_dtype(a, _dtypes.float32), convert_image_dtype(b, _dtypes.float32),
            mv)


def ssim(img1: Any, img2: Any, max_val: Any, filter_size: int = 11, filter_sigma: float = 1.5,
         k1: float = 0.01, k2: float = 0.03, return_index_map: bool = False) -> Tensor:
    """``tf.image.ssim``: the mean structural similarity per image (scope SSIM)."""
    with name_scope(None, "SSIM", [img1, img2]):
        a, b, mv = _prepare(img1, img2, max_val)
        per_channel, _ = _ssim_per_channel(a, b, mv, filter_size, filter_sigma, k1, k2,
                                           return_index_map)
        return math_reduce_ops.reduce_mean(per_channel, [-1])


def ssim_multiscale(img1: Any, img2: Any, max_val: Any,
                    power_factors: Any = _MSSSIM_WEIGHTS, filter_size: int = 11,
                    filter_sigma: float = 1.5, k1: float = 0.01, k2: float = 0.03) -> Tensor:
    """``tf.image.ssim_multiscale``: MS-SSIM over len(power_factors) scales (scope MS-SSIM)."""
    with name_scope(None, "MS-SSIM", [img1, img2]):
        a, b, mv = _prepare(img1, img2, max_val)
        s = a._shape
        if s is None or any(d is None for d in s[-3:]):
            raise ValueError("varstore's ssim_multiscale needs images whose height, width and "
                             "channels are known when the graph is built")
        imgs = [a, b]
        heads = [array_slicing_ops.strided_slice(array_ops.shape(x), [0], [-3], [1], begin_mask=1)
                 for x in imgs]
        tail = [int(d) for d in s[-3:]]  # type: ignore[arg-type]
        mcs: list[Tensor] = []
        per_channel: Tensor | None = None
        for k in range(len(power_factors)):
            with name_scope(None, f"Scale{k}", imgs):
                if k > 0:
                    flat = [array_ops.reshape(x, [-1, *tail]) for x in imgs]
                    rem = [tail[0] % 2, tail[1] % 2]
                    if any(rem):
                        pads = [[0, 0], [0, rem[0]], [0, rem[1]], [0, 0]]
                        flat = [array_transform_ops.pad(x, pads, mode="SYMMETRIC")
                                for x in flat]
                    down = [nn_pool_ops.avg_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1],
                                                 padding="VALID") for x in flat]
                    tail = [(tail[0] + rem[0]) // 2, (tail[1] + rem[1]) // 2, tail[2]]
                    imgs = [array_ops.reshape(x, array_stack_ops.concat([h, tail], 0))
                            for x, h in zip(down, heads)]
                per_channel, cs = _ssim_per_channel(imgs[0], imgs[1], mv, filter_size,
                                                    filter_sigma, k1, k2)
                mcs.append(nn_ops.relu(cs))
        assert per_channel is not None
        mcs.pop()
        stacked = array_stack_ops.stack([*mcs, nn_ops.relu(per_channel)], axis=-1)
        ms = math_reduce_ops.reduce_prod(
            math_ops.pow(stacked, convert_to_tensor(np.asarray(power_factors, np.float32))),
            [-1])
        return math_reduce_ops.reduce_mean(ms, [-1])


def resize_image_with_pad(image: Any, target_height: Any, target_width: Any,
                          method: Any = ResizeMethod.BILINEAR,
                          align_corners: bool = False) -> Tensor:
    """TF1's ``tf.image.resize_image_with_pad``: resized keeping the aspect ratio, then
    zero-padded (centred) to the target size."""
    def resize(im: Tensor, size: Any) -> Tensor:
        return resize_images(im, size, method, align_corners=align_corners)

    return _resize_with_pad(image, target_height, target_width, resize)


def _resize_with_pad(image: Any, target_height: Any, target_width: Any,
                     resize_fn: Callable[[Tensor, Any], Tensor]) -> Tensor:
    with name_scope(None, "resize_image_with_pad", [image]):
        x = convert_to_tensor(image, name="image")
        shape = x._shape
        is_batch = True
        if shape is None or len(shape) == 3:
            is_batch = False
            x = array_ops.expand_dims(x, 0)
        elif len(shape) != 4:
            raise ValueError(f"'image' (shape {_text(shape)}) must have either 3 or 4 "
                             "dimensions.")
        for v, what in ((target_width, "target_width"), (target_height, "target_height")):
            if not isinstance(v, Tensor) and v <= 0:
                raise ValueError(f"{what} must be > 0.")
        xs = x._shape
        dyn = array_ops.shape(x)
        height: Any = xs[1] if xs is not None and xs[1] is not None else dyn[1]
        width: Any = xs[2] if xs is not None and xs[2] is not None else dyn[2]
        f_h = math_unary_ops.cast(height, _dtypes.float32)
        f_w = math_unary_ops.cast(width, _dtypes.float32)
        f_th = math_unary_ops.cast(target_height, _dtypes.float32)
        f_tw = math_unary_ops.cast(target_width, _dtypes.float32)
        ratio = math_ops.maximum(math_ops.divide(f_w, f_tw), math_ops.divide(f_h, f_th))
        rh_f = math_ops.divide(f_h, ratio)
        rw_f = math_ops.divide(f_w, ratio)
        rh = math_unary_ops.cast(math_unary_ops.floor(rh_f), _dtypes.int32)
        rw = math_unary_ops.cast(math_unary_ops.floor(rw_f), _dtypes.int32)
        pad_h = math_ops.divide(math_ops.subtract(f_th, rh_f), 2)
        pad_w = math_ops.divide(math_ops.subtract(f_tw, rw_f), 2)
        p_h = math_ops.maximum(0, math_unary_ops.cast(math_unary_ops.floor(pad_h),
                                                      _dtypes.int32))
        p_w = math_ops.maximum(0, math_unary_ops.cast(math_unary_ops.floor(pad_w),
                                                      _dtypes.int32))
        resized = resize_fn(x, array_stack_ops.stack([rh, rw]))
        padded = pad_to_bounding_box(resized, p_h, p_w, target_height, target_width)
        if not is_batch:
            padded = array_ops.squeeze(padded, axis=[0])
        return padded
