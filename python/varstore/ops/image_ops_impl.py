"""``tf.image`` composites (TF's image_ops_impl.py): resizing with TF1's ``resize`` scope,
flips, rotations, crops and pads, dtype conversion, colour and contrast adjustments. The
image metrics (total_variation, psnr, image_gradients, sobel_edges) are in
image_metrics_ops.py.

Each is built from graph ops under TF's name scope, so gradients come from those ops and the
returned tensors carry TF's names. TF checks static shapes and constant arguments when the
graph is built (those raise here too); its run-time Assert ops for dynamic shapes are not
built, so an unknown-shape mismatch fails in the slicing or padding kernel instead.
"""

from __future__ import annotations

import enum
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.ops import Tensor
from varstore.ops import (
    array_fill_ops,
    array_ops,
    array_slicing_ops,
    array_stack_ops,
    array_transform_ops,
    control_flow_ops,
    image_ops,
    math_matmul_ops,
    math_ops,
    math_reduce_ops,
    math_unary_ops,
    random_ops,
)

__all__ = [
    "ResizeMethod",
    "adjust_brightness",
    "adjust_contrast",
    "central_crop",
    "convert_image_dtype",
    "crop_to_bounding_box",
    "flip_left_right",
    "flip_up_down",
    "grayscale_to_rgb",
    "pad_to_bounding_box",
    "per_image_standardization",
    "random_brightness",
    "random_contrast",
    "random_crop",
    "random_flip_left_right",
    "random_flip_up_down",
    "resize_image_with_crop_or_pad",
    "resize_images",
    "rgb_to_grayscale",
    "rot90",
    "transpose_image",
]

_Shape = tuple[int | None, ...] | None


class ResizeMethod(enum.IntEnum):
    """TF1's ResizeMethodV1 (plain ints in TF: ``ResizeMethod.BILINEAR == 0``)."""

    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


def _text(shape: _Shape) -> str:
    """A static shape as TF's TensorShape prints it."""
    if shape is None:
        return "<unknown>"
    dims = ["None" if d is None else str(d) for d in shape]
    return "(" + dims[0] + ",)" if len(dims) == 1 else "(" + ", ".join(dims) + ")"


def _check_3d(image: Tensor) -> Tensor:
    """TF's _AssertAtLeast3DImage for what is known when the graph is built: the image behind
    a ``control_dependency`` Identity."""
    _check_3d_static(image)
    return control_flow_ops.with_dependencies([], image)


def _check_3d_static(image: Tensor) -> None:
    """TF's _CheckAtLeast3DImage(require_static=False) on the static shape."""
    shape = image._shape
    if shape is not None:
        if len(shape) < 3:
            raise ValueError(f"'image' (shape {_text(shape)}) must be at least "
                             "three-dimensional.")
        if any(d == 0 for d in shape[-3:]):
            raise ValueError(f"inner 3 dims of 'image.shape' must be > 0: {_text(shape)}")


def _static_check(value: Any, message: str) -> None:
    """TF's _assert: a condition known when the graph is built raises now (a dynamic one is
    checked by the kernels that use the value)."""
    if isinstance(value, Tensor):
        value = constant_value(value)
        if value is None:
            return
    if not bool(np.all(value)):
        raise ValueError(message)


def _int_or_tensor(v: Any) -> Any:
    if isinstance(v, Tensor):
        c = constant_value(v)
        return v if c is None else int(c)
    return int(v)


def _dims4(image: Tensor) -> list[Any]:
    """TF's _ImageDimensions(image, 4): static sizes, a shape element where unknown."""
    shape = image._shape
    assert shape is not None
    if all(d is not None for d in shape):
        return list(shape)
    dynamic = array_stack_ops.unstack(array_ops.shape(image), 4)
    return [s if s is not None else d for s, d in zip(shape, dynamic)]


def _batched(image: Tensor) -> tuple[Tensor, bool]:
    shape = image._shape
    if shape is None:
        out = array_ops.expand_dims(image, 0)
        out.set_shape([None] * 4)
        return out, False
    if len(shape) == 3:
        return array_ops.expand_dims(image, 0), False
    if len(shape) != 4:
        raise ValueError(f"'image' (shape {_text(shape)}) must have either 3 or 4 dimensions.")
    return image, True


# -- resizing ------------------------------------------------------------------------------------
def resize_images(images: Any, size: Any, method: Any = ResizeMethod.BILINEAR,
                  align_corners: bool = False, preserve_aspect_ratio: bool = False,
                  name: str | None = None) -> Tensor:
    """``tf.image.resize_images`` / TF1's ``tf.image.resize``: under ``resize/``, the op of
    ``method`` with ``half_pixel_centers=False``; a 3-D image is batched and squeezed; a
    static size equal to the image's returns the image itself."""
    with name_scope(name, "resize", [images, size]):
        x = convert_to_tensor(images, name="images")
        if x._shape is None:
            raise ValueError("'images' contains no shape.")
        is_batch = True
        if len(x._shape) == 3:
            is_batch = False
            x = array_ops.expand_dims(x, 0)
        elif len(x._shape) != 4:
            raise ValueError("'images' must have either 3 or 4 dimensions.")
        assert x._shape is not None
        _, height, width, _ = x._shape
        try:
            s = convert_to_tensor(size, dtype=_dtypes.int32, name="size")
        except (TypeError, ValueError):
            raise ValueError("'size' must be a 1-D int32 Tensor") from None
        if s._shape is not None and (len(s._shape) != 1 or s._shape[0] not in (None, 2)):
            raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
        if preserve_aspect_ratio:
            dims = _dims4(x)
            fh = math_ops.truediv(math_unary_ops.cast(s[0], _dtypes.float32),
                                  math_unary_ops.cast(dims[1], _dtypes.float32))
            fw = math_ops.truediv(math_unary_ops.cast(s[1], _dtypes.float32),
                                  math_unary_ops.cast(dims[2], _dtypes.float32))
            factor = math_ops.minimum(fh, fw)
            sh = math_unary_ops.cast(math_unary_ops.round(
                factor * math_unary_ops.cast(dims[1], _dtypes.float32)), _dtypes.int32)
            sw = math_unary_ops.cast(math_unary_ops.round(
                factor * math_unary_ops.cast(dims[2], _dtypes.float32)), _dtypes.int32)
            s = array_stack_ops.stack([sh, sw], name="size")
        new = constant_value(s)
        nh, nw = (None, None) if new is None else (int(new[0]), int(new[1]))
        if None not in (nh, nw, height, width) and (height, width) == (nh, nw):
            return x if is_batch else array_ops.squeeze(x, axis=[0])
        m = int(method)
        if m == ResizeMethod.BILINEAR:
            out = image_ops.resize_bilinear(x, s, align_corners=align_corners)
        elif m == ResizeMethod.NEAREST_NEIGHBOR:
            out = image_ops.resize_nearest_neighbor(x, s, align_corners=align_corners)
        elif m == ResizeMethod.BICUBIC:
            out = image_ops.resize_bicubic(x, s, align_corners=align_corners)
        elif m == ResizeMethod.AREA:
            out = image_ops.resize_area(x, s, align_corners=align_corners)
        else:
            raise ValueError(f"Resize method is not implemented: {method}")
        out.set_shape([None, nh, nw, None])
        return out if is_batch else array_ops.squeeze(out, axis=[0])


# -- flips and rotations ---------------------------------------------------------------------------
def _flip(image: Any, index: int, scope: str) -> Tensor:
    with name_scope(None, scope, [image]):
        x = _check_3d(convert_to_tensor(image, name="image"))
        rank = len(x._shape) if x._shape is not None else None
        if rank == 3:
            return array_transform_ops.reverse(x, [index])
        if rank == 4:
            return array_transform_ops.reverse(x, [index + 1])
        if rank is None:
            raise ValueError("varstore's image flips need an image of known rank")
        raise ValueError(f"'image' (shape {_text(x._shape)})must have either 3 or 4 "
                         "dimensions.")


def flip_left_right(image: Any) -> Tensor:
    """``tf.image.flip_left_right``: ``flip_left_right/ReverseV2`` of the width axis."""
    return _flip(image, 1, "flip_left_right")


def flip_up_down(image: Any) -> Tensor:
    """``tf.image.flip_up_down``: ``flip_up_down/ReverseV2`` of the height axis."""
    return _flip(image, 0, "flip_up_down")


def _random_flip(image: Any, index: int, seed: int | None, scope: str) -> Tensor:
    # TF flips a 3-D image through a cond; here every rank takes TF's batched form (a 0/1
    # mask per image), so the 3-D result is an AddV2 rather than cond/Identity.
    with name_scope(None, scope, [image]):
        x = _check_3d(convert_to_tensor(image, name="image"))
        shape = x._shape
        if shape is None or len(shape) not in (3, 4):
            raise ValueError(f"'image' (shape {_text(shape)}) must have either 3 or 4 "
                             "dimensions.")
        if len(shape) == 3:
            rnd = random_ops.random_uniform([], minval=0, maxval=1.0, seed=seed)
            flips = math_unary_ops.cast(math_unary_ops.round(rnd), x._dtype)
            flipped = array_transform_ops.reverse(x, [index])
        else:
            batch = array_ops.shape(x)[0]
            rnd = random_ops.random_uniform(array_stack_ops.stack([batch]), minval=0,
                                            maxval=1.0, seed=seed)
            flips = math_unary_ops.cast(math_unary_ops.round(
                array_ops.reshape(rnd, array_stack_ops.stack([batch, 1, 1, 1]))), x._dtype)
            flipped = array_transform_ops.reverse(x, [index + 1])
        result: Tensor = flips * flipped + (1 - flips) * x
        return result


def random_flip_left_right(image: Any, seed: int | None = None) -> Tensor:
    """``tf.image.random_flip_left_right``: each image flipped with probability 1/2."""
    return _random_flip(image, 1, seed, "random_flip_left_right")


def random_flip_up_down(image: Any, seed: int | None = None) -> Tensor:
    """``tf.image.random_flip_up_down``: each image flipped with probability 1/2."""
    return _random_flip(image, 0, seed, "random_flip_up_down")


def transpose_image(image: Any, name: str | None = None) -> Tensor:
    """``tf.image.transpose`` / ``transpose_image``: height and width swapped."""
    with name_scope(name, "transpose", [image]):
        x = _check_3d(convert_to_tensor(image, name="image"))
        rank = len(x._shape) if x._shape is not None else None
        if rank == 3:
            return array_ops.transpose(x, [1, 0, 2], name=name or "transpose")
        if rank == 4:
            return array_ops.transpose(x, [0, 2, 1, 3], name=name or "transpose")
        raise ValueError(f"'image' (shape {_text(x._shape)}) must have either 3 or 4 "
                         "dimensions.")


def rot90(image: Any, k: Any = 1, name: str | None = None) -> Tensor:
    """``tf.image.rot90``: k quarter turns counter-clockwise, chosen at run time by conds
    (TF's tf.case), so height and width are unknown statically, as in TF."""
    with name_scope(name, "rot90", [image, k]):
        x = _check_3d(convert_to_tensor(image, name="image"))
        kt = convert_to_tensor(k, dtype=_dtypes.int32, name="k")
        if kt._shape is not None and len(kt._shape) != 0:
            raise ValueError(f"Shape {_text(kt._shape)} must have rank 0")
        kt = math_ops.mod(kt, 4)
        shape = x._shape
        if shape is None or len(shape) not in (3, 4):
            raise ValueError(f"'image' (shape {_text(shape)}) must have either 3 or 4 "
                             "dimensions.")
        h = len(shape) - 3
        perm = [1, 0, 2] if h == 0 else [0, 2, 1, 3]

        def r90() -> Tensor:
            return array_ops.transpose(array_transform_ops.reverse(x, [h + 1]), perm)

        def r180() -> Tensor:
            return array_transform_ops.reverse(x, [h, h + 1])

        def r270() -> Tensor:
            return array_transform_ops.reverse(array_ops.transpose(x, perm), [h + 1])

        def unknown(t: Tensor) -> Tensor:
            # Every branch has the same static shape: TF's merged (..., None, None, C).
            out = array_ops.reshape(t, array_ops.shape(t))
            out._shape = (*tuple(shape[:h]), None, None, shape[-1])
            return out

        result = control_flow_ops.cond(
            math_ops.equal(kt, 1), lambda: unknown(r90()),
            lambda: control_flow_ops.cond(
                math_ops.equal(kt, 2), lambda: unknown(r180()),
                lambda: control_flow_ops.cond(math_ops.equal(kt, 3), lambda: unknown(r270()),
                                              lambda: unknown(x))))
        assert isinstance(result, Tensor)
        return result


# -- crops and pads --------------------------------------------------------------------------------
def crop_to_bounding_box(image: Any, offset_height: Any, offset_width: Any, target_height: Any,
                         target_width: Any) -> Tensor:
    """``tf.image.crop_to_bounding_box``: ``crop_to_bounding_box/Slice``."""
    with name_scope(None, "crop_to_bounding_box", [image]):
        x, is_batch = _batched(convert_to_tensor(image, name="image"))
        _check_3d_static(x)
        batch, height, width, depth = _dims4(x)
        oh, ow = _int_or_tensor(offset_height), _int_or_tensor(offset_width)
        th, tw = _int_or_tensor(target_height), _int_or_tensor(target_width)
        _static_check(ow >= 0, "offset_width must be >= 0.")
        _static_check(oh >= 0, "offset_height must be >= 0.")
        _static_check(tw > 0, "target_width must be > 0.")
        _static_check(th > 0, "target_height must be > 0.")
        _static_check(width >= tw + ow, "width must be >= target + offset.")
        _static_check(height >= th + oh, "height must be >= target + offset.")
        x = control_flow_ops.with_dependencies([], x)
        shape = array_ops.shape(x)
        cropped = array_slicing_ops.slice(
            x, array_stack_ops.stack([0, oh, ow, 0]),
            array_stack_ops.stack([shape[0], th, tw, shape[3]]))
        cropped.set_shape([None if isinstance(v, Tensor) else v
                           for v in (batch, th, tw, depth)])
        return cropped if is_batch else array_ops.squeeze(cropped, axis=[0])


def pad_to_bounding_box(image: Any, offset_height: Any, offset_width: Any, target_height: Any,
                        target_width: Any) -> Tensor:
    """``tf.image.pad_to_bounding_box``: ``pad_to_bounding_box/Pad`` with zeros."""
    with name_scope(None, "pad_to_bounding_box", [image]):
        x, is_batch = _batched(convert_to_tensor(image, name="image"))
        batch, height, width, depth = _dims4(x)
        oh, ow = _int_or_tensor(offset_height), _int_or_tensor(offset_width)
        th, tw = _int_or_tensor(target_height), _int_or_tensor(target_width)
        after_w = tw - ow - width
        after_h = th - oh - height
        _check_3d_static(x)
        _static_check(oh >= 0, "offset_height must be >= 0")
        _static_check(ow >= 0, "offset_width must be >= 0")
        _static_check(after_w >= 0, "width must be <= target - offset")
        _static_check(after_h >= 0, "height must be <= target - offset")
        x = control_flow_ops.with_dependencies([], x)
        paddings = array_ops.reshape(
            array_stack_ops.stack([0, 0, oh, after_h, ow, after_w, 0, 0]), [4, 2])
        padded = array_transform_ops.pad(x, paddings)
        padded.set_shape([None if isinstance(v, Tensor) else v
                          for v in (batch, th, tw, depth)])
        return padded if is_batch else array_ops.squeeze(padded, axis=[0])


def _max(a: Any, b: Any) -> Any:
    return math_ops.maximum(a, b) if isinstance(a, Tensor) or isinstance(b, Tensor) \
        else max(a, b)


def _min(a: Any, b: Any) -> Any:
    return math_ops.minimum(a, b) if isinstance(a, Tensor) or isinstance(b, Tensor) \
        else min(a, b)


def resize_image_with_crop_or_pad(image: Any, target_height: Any, target_width: Any
                                  ) -> Tensor:
    """``tf.image.resize_image_with_crop_or_pad``: a central crop and/or a zero pad to the
    target size."""
    with name_scope(None, "resize_image_with_crop_or_pad", [image]):
        x, is_batch = _batched(convert_to_tensor(image, name="image"))
        _check_3d_static(x)
        th, tw = _int_or_tensor(target_height), _int_or_tensor(target_width)
        _static_check(tw > 0, "target_width must be > 0.")
        _static_check(th > 0, "target_height must be > 0.")
        x = control_flow_ops.with_dependencies([], x)
        _, height, width, _ = _dims4(x)
        wd = tw - width
        hd = th - height
        cropped = crop_to_bounding_box(x, _max(-hd // 2, 0), _max(-wd // 2, 0),
                                       _min(th, height), _min(tw, width))
        resized = pad_to_bounding_box(cropped, _max(hd // 2, 0), _max(wd // 2, 0), th, tw)
        resized = control_flow_ops.with_dependencies([], resized)
        return resized if is_batch else array_ops.squeeze(resized, axis=[0])


def central_crop(image: Any, central_fraction: float) -> Tensor:
    """``tf.image.central_crop`` with a Python fraction: ``central_crop/Slice``."""
    with name_scope(None, "central_crop", [image]):
        x = convert_to_tensor(image, name="image")
        fraction = constant_value(central_fraction) if isinstance(central_fraction, Tensor) \
            else central_fraction
        if fraction is None:
            raise ValueError("varstore's central_crop needs a constant central_fraction")
        fraction = float(fraction)
        if fraction <= 0.0 or fraction > 1.0:
            raise ValueError("central_fraction must be within (0, 1]")
        if fraction == 1.0:
            return x
        _check_3d(x)
        rank = len(x._shape) if x._shape is not None else None
        if rank not in (3, 4):
            raise ValueError("`image` should either be a Tensor with rank = 3 or rank = 4. Had "
                             f"rank = {rank}.")
        assert x._shape is not None and rank is not None
        h, w = x._shape[rank - 3], x._shape[rank - 2]
        if h is None or w is None:
            raise ValueError("varstore's central_crop needs a static height and width")
        sh = int((float(h) - float(h) * fraction) / 2)
        sw = int((float(w) - float(w) * fraction) / 2)
        begin = [sh, sw, 0] if rank == 3 else [0, sh, sw, 0]
        size = [h - 2 * sh, w - 2 * sw, -1] if rank == 3 else [-1, h - 2 * sh, w - 2 * sw, -1]
        out = array_slicing_ops.slice(x, array_stack_ops.stack(begin),
                                      array_stack_ops.stack(size))
        out.set_shape([*list(x._shape[:rank - 3]), h - 2 * sh, w - 2 * sw, x._shape[-1]])
        return out


def random_crop(value: Any, size: Any, seed: int | None = None, name: str | None = None
                ) -> Tensor:
    """``tf.image.random_crop`` (``tf.random_crop``): a slice of ``size`` at a uniformly
    drawn offset (the tensor named ``random_crop``)."""
    with name_scope(name, "random_crop", [value, size]) as scope:
        x = convert_to_tensor(value, name="value")
        s = convert_to_tensor(size, dtype=_dtypes.int32, name="size")
        shape = array_ops.shape(x)
        known, want = x._shape, constant_value(s)
        static = known is not None and want is not None and all(d is not None for d in known)
        if static and (len(want) != len(known)  # type: ignore[arg-type]
                       or any(int(a) > int(b) for a, b in zip(want, known))):  # type: ignore[arg-type]
                raise ValueError("Need value.shape >= size, got "
                                 f"{list(known or ())} vs {[int(v) for v in want]}"  # type: ignore[union-attr]
                                 )
        limit = shape - s + 1
        offset = math_ops.mod(random_ops.random_uniform(
            array_ops.shape(shape), dtype=_dtypes.int32, maxval=np.iinfo(np.int32).max,
            seed=seed), limit)
        return array_slicing_ops.slice(x, offset, s, name=scope)


# -- dtype and colour ------------------------------------------------------------------------------
def convert_image_dtype(image: Any, dtype: Any, saturate: bool = False,
                        name: str | None = None) -> Tensor:
    """``tf.image.convert_image_dtype``: floats in [0, 1], integers over their full range."""
    x = convert_to_tensor(image, name="image")
    dt = _dtypes.as_dtype(dtype)
    if not dt.is_floating and not dt.is_integer:
        raise AttributeError("dtype must be either floating point or integer")
    if not x._dtype.is_floating and not x._dtype.is_integer:
        raise AttributeError("image dtype must be either floating point or integer")
    if dt is x._dtype:
        return array_ops.identity(x, name=name)
    with name_scope(name, "convert_image", [x]) as scope:
        cast = math_unary_ops.saturate_cast if saturate else math_unary_ops.cast
        if x._dtype.is_integer and dt.is_integer:
            scale_in, scale_out = int(x._dtype.max), int(dt.max)
            if scale_in > scale_out:
                scaled = math_ops.floordiv(x, (scale_in + 1) // (scale_out + 1))
                return cast(scaled, dt, name=scope)
            return math_ops.multiply(cast(x, dt), (scale_out + 1) // (scale_in + 1),
                                     name=scope)
        if x._dtype.is_floating and dt.is_floating:
            return math_unary_ops.cast(x, dt, name=scope)
        if x._dtype.is_integer:
            return math_ops.multiply(math_unary_ops.cast(x, dt), 1.0 / int(x._dtype.max),
                                     name=scope)
        scaled = math_ops.multiply(x, float(dt.max) + 0.5)
        return cast(scaled, dt, name=scope)


def rgb_to_grayscale(images: Any, name: str | None = None) -> Tensor:
    """``tf.image.rgb_to_grayscale``: the ITU-R 601 luma of the last axis, kept as size 1."""
    with name_scope(name, "rgb_to_grayscale", [images]) as scope:
        x = convert_to_tensor(images, name="images")
        flt = convert_image_dtype(x, _dtypes.float32)
        gray = math_matmul_ops.tensordot(flt, [0.2989, 0.587, 0.114], [-1, -1])
        gray = array_ops.expand_dims(gray, -1)
        return convert_image_dtype(gray, x._dtype, name=scope)


def grayscale_to_rgb(images: Any, name: str | None = None) -> Tensor:
    """``tf.image.grayscale_to_rgb``: the single channel tiled three times."""
    with name_scope(name, "grayscale_to_rgb", [images]) as scope:
        x = convert_to_tensor(images, name="images")
        shape = x._shape
        if shape is not None:
            if len(shape) < 2:
                raise ValueError(f"'image' (shape {_text(shape)}) must be at least "
                                 "two-dimensional.")
            if shape[-1] not in (None, 1):
                raise ValueError(f"Last dimension of a grayscale image should be size 1. "
                                 f"Got {_text(shape)}")
        x = control_flow_ops.with_dependencies([], x)
        rank_1 = array_ops.expand_dims(array_ops.rank(x) - 1, 0)
        multiples = array_stack_ops.concat(
            [array_fill_ops.ones(rank_1, dtype=_dtypes.int32), array_ops.expand_dims(3, 0)], 0)
        rgb = array_transform_ops.tile(x, multiples, name=scope)
        if shape is not None:
            rgb.set_shape([*shape[:-1], 3])
        return rgb


def _float_image(x: Tensor) -> Tensor:
    if x._dtype in (_dtypes.float16, _dtypes.float32):
        return x
    return convert_image_dtype(x, _dtypes.float32)


def adjust_brightness(image: Any, delta: Any) -> Tensor:
    """``tf.image.adjust_brightness``: image + delta, in float (``adjust_brightness/Identity``
    for float inputs, as TF's convert_image_dtype to the same dtype)."""
    with name_scope(None, "adjust_brightness", [image, delta]) as scope:
        x = convert_to_tensor(image, name="image")
        flt = _float_image(x)
        adjusted = math_ops.add(flt, math_unary_ops.cast(delta, flt._dtype), name=scope)
        return convert_image_dtype(adjusted, x._dtype, saturate=True)


def adjust_contrast(images: Any, contrast_factor: Any) -> Tensor:
    """``tf.image.adjust_contrast``: op ``AdjustContrastv2`` (named after the scope)."""
    with name_scope(None, "adjust_contrast", [images, contrast_factor]) as scope:
        x = convert_to_tensor(images, name="images")
        flt = _float_image(x)
        adjusted = image_ops.adjust_contrastv2(flt, contrast_factor, name=scope)
        return convert_image_dtype(adjusted, x._dtype, saturate=True)


def random_brightness(image: Any, max_delta: float, seed: int | None = None) -> Tensor:
    """``tf.image.random_brightness``: a delta drawn from U[-max_delta, max_delta)."""
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    delta = random_ops.random_uniform([], -max_delta, max_delta, seed=seed)
    return adjust_brightness(image, delta)


def random_contrast(image: Any, lower: float, upper: float, seed: int | None = None
                    ) -> Tensor:
    """``tf.image.random_contrast``: a factor drawn from U[lower, upper)."""
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    factor = random_ops.random_uniform([], lower, upper, seed=seed)
    return adjust_contrast(image, factor)


def per_image_standardization(image: Any) -> Tensor:
    """``tf.image.per_image_standardization``: (x - mean) / max(stddev, 1/sqrt(N)) per
    image, as float32 (the RealDiv named ``per_image_standardization``)."""
    with name_scope(None, "per_image_standardization", [image]) as scope:
        x = _check_3d(convert_to_tensor(image, name="image"))
        x = math_unary_ops.cast(x, _dtypes.float32)
        num_pixels = math_reduce_ops.reduce_prod(array_ops.shape(x)[-3:])
        mean = math_reduce_ops.reduce_mean(x, axis=[-1, -2, -3], keepdims=True)
        with name_scope(None, "reduce_std", [x]):
            with name_scope(None, "reduce_variance", [x]):
                m = math_reduce_ops.reduce_mean(x, axis=[-1, -2, -3], keepdims=True)
                variance = math_reduce_ops.reduce_mean(
                    math_unary_ops.square(math_ops.subtract(x, m)), axis=[-1, -2, -3],
                    keepdims=True)
            stddev = math_unary_ops.sqrt(variance)
        min_stddev = math_unary_ops.rsqrt(math_unary_ops.cast(num_pixels, _dtypes.float32))
        adjusted = math_ops.maximum(stddev, min_stddev)
        x = x - mean
        return math_ops.truediv(x, adjusted, name=scope)
