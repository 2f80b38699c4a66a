"""The image op types (TF's gen_image_ops): ResizeBilinear, ResizeNearestNeighbor,
ResizeBicubic, ResizeArea and the gradients TF has for them, ExtractImagePatches and
AdjustContrastv2. The composites of ``tf.image`` are in image_ops_impl.py.

Bilinear, bicubic and area resizing are separable: each is one (out, in) weight matrix per
spatial axis, built from TF's sampling rules (legacy corner-aligned or half-pixel centres),
so the forward pass is two contractions and the gradient the same contractions transposed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import UnimplementedError
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.ops.nn_conv_ops import check_padding, fmt_list, out_size

__all__ = [
    "adjust_contrastv2",
    "extract_image_patches",
    "extract_patches",
    "extract_volume_patches",
    "resize_area",
    "resize_bicubic",
    "resize_bilinear",
    "resize_nearest_neighbor",
]

DType = _dtypes.DType
_RESIZE_TYPES = ("int8, uint8, int16, uint16, int32, int64, bfloat16, float16, float32, "
                 "float64")
_Shape = tuple[int | None, ...] | None


# -- the resize ops ----------------------------------------------------------------------------------
def _resize(op_type: str, images: Any, size: Any, align_corners: bool,
            half_pixel_centers: bool | None, name: str | None, out_float: bool) -> Tensor:
    """One resize node; ``half_pixel_centers`` None for ResizeArea, which lacks that attr."""
    graph = check_same_graph(images, size)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        x = first_input(images, "images")
        s = convert_to_tensor(size, dtype=_dtypes.int32, name="size")
    if x._dtype.name not in _RESIZE_TYPES.split(", "):
        check_allowed(x._dtype, _RESIZE_TYPES, "images")
    attrs: dict[str, Any] = {"T": x._dtype, "align_corners": bool(align_corners)}
    text = f"T={dt_enum(x._dtype)}, align_corners={str(bool(align_corners)).lower()}"
    if half_pixel_centers is not None:
        attrs["half_pixel_centers"] = bool(half_pixel_centers)
        text += f", half_pixel_centers={str(bool(half_pixel_centers)).lower()}"
    xs, ss = x._shape, s._shape
    if xs is not None and len(xs) != 4:
        raise node_error(f"Shape must be rank 4 but is rank {len(xs)}", full, op_type, text,
                         [x, s])
    if ss is not None and len(ss) != 1:
        raise node_error(f"Shape must be rank 1 but is rank {len(ss)}", full, op_type, text,
                         [x, s])
    if ss is not None and ss[0] is not None and ss[0] != 2:
        raise node_error(f"Dimension must be 2 but is {ss[0]}", full, op_type, text, [x, s])
    new = constant_value(s)
    hw: tuple[int | None, int | None] = (None, None)
    if new is not None:
        if (new < 0).any():
            raise node_error("size contains negative values", full, op_type, text, [x, s])
        hw = (int(new[0]), int(new[1]))
    out: _Shape = None
    if xs is not None:
        out = (xs[0], hw[0], hw[1], xs[3])
    elif new is not None:
        out = (None, hw[0], hw[1], None)
    dt = _dtypes.float32 if out_float else x._dtype
    return make_op(graph, full, op_type, [x, s], attrs, [(dt, out)])._outputs[0]


def resize_bilinear(images: Any, size: Any, align_corners: bool = False,
                    half_pixel_centers: bool = False, name: str | None = None) -> Tensor:
    """``tf.image.resize_bilinear``: op ``ResizeBilinear`` (float32 output)."""
    return _resize("ResizeBilinear", images, size, align_corners, half_pixel_centers, name, True)


def resize_nearest_neighbor(images: Any, size: Any, align_corners: bool = False,
                            half_pixel_centers: bool = False, name: str | None = None) -> Tensor:
    """``tf.image.resize_nearest_neighbor``: op ``ResizeNearestNeighbor`` (input dtype)."""
    return _resize("ResizeNearestNeighbor", images, size, align_corners, half_pixel_centers,
                   name, False)


def resize_bicubic(images: Any, size: Any, align_corners: bool = False,
                   half_pixel_centers: bool = False, name: str | None = None) -> Tensor:
    """``tf.image.resize_bicubic``: op ``ResizeBicubic`` (Keys' cubic, float32 output)."""
    return _resize("ResizeBicubic", images, size, align_corners, half_pixel_centers, name, True)


def resize_area(images: Any, size: Any, align_corners: bool = False,
                name: str | None = None) -> Tensor:
    """``tf.image.resize_area``: op ``ResizeArea`` (box averages, float32 output)."""
    return _resize("ResizeArea", images, size, align_corners, None, name, True)


def _scale(n_in: int, n_out: int, align_corners: bool) -> float:
    if align_corners and n_out > 1:
        return (n_in - 1) / (n_out - 1)
    return n_in / n_out if n_out else 0.0


def _linear_weights(n_in: int, n_out: int, align: bool, half: bool) -> np.ndarray:
    scale = _scale(n_in, n_out, align)
    w = np.zeros((n_out, n_in))
    for i in range(n_out):
        src = (i + 0.5) * scale - 0.5 if half else i * scale
        f = math.floor(src)
        lo, hi = max(f, 0), min(math.ceil(src), n_in - 1)
        lerp = src - f
        w[i, lo] += 1.0 - lerp
        w[i, hi] += lerp
    return w


def _cubic(t: float, a: float) -> list[float]:
    """Keys' cubic convolution weights of the taps at -1, 0, 1, 2 for fraction t."""
    def k(x: float) -> float:
        x = abs(x)
        if x <= 1:
            return ((a + 2) * x - (a + 3)) * x * x + 1
        if x < 2:
            return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
        return 0.0
    return [k(t + 1), k(t), k(1 - t), k(2 - t)]


def _cubic_weights(n_in: int, n_out: int, align: bool, half: bool) -> np.ndarray:
    # TF: a = -0.75 for the legacy sampling; -0.5 with half-pixel centres, where taps outside
    # the image are dropped and the rest renormalised.
    scale = _scale(n_in, n_out, align)
    a = -0.5 if half else -0.75
    w = np.zeros((n_out, n_in))
    for i in range(n_out):
        src = (i + 0.5) * scale - 0.5 if half else i * scale
        f = math.floor(src)
        taps = _cubic(src - f, a)
        idx = [f - 1, f, f + 1, f + 2]
        if half:
            kept = [(j, t) for j, t in zip(idx, taps) if 0 <= j < n_in]
            total = sum(t for _, t in kept)
            for j, t in kept:
                w[i, j] += t / total if total else 0.0
        else:
            for j, t in zip(idx, taps):
                w[i, min(max(j, 0), n_in - 1)] += t
    return w


def _area_weights(n_in: int, n_out: int, align: bool) -> np.ndarray:
    scale = _scale(n_in, n_out, align)
    w = np.zeros((n_out, n_in))
    for i in range(n_out):
        lo, hi = i * scale, (i + 1) * scale
        j = math.floor(lo)
        while j < hi:
            w[i, min(j, n_in - 1)] += (min(j + 1, hi) - max(j, lo)) / scale
            j += 1
    return w


def _nearest_index(n_in: int, n_out: int, align: bool, half: bool) -> np.ndarray:
    scale = _scale(n_in, n_out, align)
    idx = np.zeros(n_out, dtype=np.int64)
    for i in range(n_out):
        if half:
            src = (i + 0.5) * scale
            j = round(src) if align else math.floor(src)
        else:
            j = round(i * scale) if align else math.floor(i * scale)
        idx[i] = max(min(j, n_in - 1), 0)
    return idx


def _matrices(op_type: str, attrs: dict[str, Any], in_hw: tuple[int, int],
              out_hw: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    align = attrs["align_corners"]
    half = attrs.get("half_pixel_centers", False)
    if op_type == "ResizeBilinear":
        return (_linear_weights(in_hw[0], out_hw[0], align, half),
                _linear_weights(in_hw[1], out_hw[1], align, half))
    if op_type == "ResizeBicubic":
        return (_cubic_weights(in_hw[0], out_hw[0], align, half),
                _cubic_weights(in_hw[1], out_hw[1], align, half))
    return _area_weights(in_hw[0], out_hw[0], align), _area_weights(in_hw[1], out_hw[1], align)


def _check_size(size: np.ndarray, x: np.ndarray, attrs: dict[str, Any]) -> tuple[int, int]:
    if size.shape != (2,):
        raise ValueError(f"shape_t must have two elements {list(size.shape)}")
    oh, ow = int(size[0]), int(size[1])
    if oh <= 0 or ow <= 0:
        raise ValueError("output dimensions must be positive")
    if attrs["align_corners"] and attrs.get("half_pixel_centers"):
        raise ValueError("If half_pixel_centers is True, align_corners must be False.")
    if x.shape[1] == 0 or x.shape[2] == 0:
        raise ValueError("input image must be of non-zero size")
    return oh, ow


def _separable_kernel(op: Operation) -> Callable[..., Any]:
    op_type, attrs = op._type, op._attrs

    def resize(x: np.ndarray, size: np.ndarray) -> np.ndarray:
        oh, ow = _check_size(size, x, attrs)
        wh, ww = _matrices(op_type, attrs, (x.shape[1], x.shape[2]), (oh, ow))
        out: np.ndarray = np.einsum("ah,nhwc,bw->nabc", wh, x.astype(np.float64), ww,
                                    optimize=True)
        return out.astype(np.float32)

    return resize


for _t in ("ResizeBilinear", "ResizeBicubic", "ResizeArea"):
    register_kernel(_t)(_separable_kernel)


@register_kernel("ResizeNearestNeighbor")
def _nearest_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs

    def resize(x: np.ndarray, size: np.ndarray) -> np.ndarray:
        oh, ow = _check_size(size, x, attrs)
        iy = _nearest_index(x.shape[1], oh, attrs["align_corners"], attrs["half_pixel_centers"])
        ix = _nearest_index(x.shape[2], ow, attrs["align_corners"], attrs["half_pixel_centers"])
        return np.ascontiguousarray(x[:, iy][:, :, ix])

    return resize


# -- their gradients ---------------------------------------------------------------------------------
def _grad_op(op: Operation, op_type: str, grad: Tensor, second: Tensor, out_shape: _Shape,
             out_dtype: DType) -> Tensor:
    graph = op._graph
    full = graph._op_name(None, op_type)
    attrs = {"T": out_dtype, "align_corners": op._attrs["align_corners"],
             "half_pixel_centers": op._attrs["half_pixel_centers"]}
    return make_op(graph, full, op_type, [grad, second], attrs,
                   [(out_dtype, out_shape)])._outputs[0]


@RegisterGradient("ResizeBilinear")
def _resize_bilinear_grad(op: Operation, grad: Tensor) -> list[Any]:
    x = op._inputs[0]
    return [_grad_op(op, "ResizeBilinearGrad", grad, x, x._shape, x._dtype), None]


@RegisterGradient("ResizeBicubic")
def _resize_bicubic_grad(op: Operation, grad: Tensor) -> list[Any]:
    x = op._inputs[0]
    if not x._dtype.is_floating:
        return [None, None]
    return [_grad_op(op, "ResizeBicubicGrad", grad, x, x._shape, x._dtype), None]


@RegisterGradient("ResizeNearestNeighbor")
def _resize_nearest_grad(op: Operation, grad: Tensor) -> list[Any]:
    x = op._inputs[0]
    xs = x._shape
    size: Any
    if xs is not None and xs[1] is not None and xs[2] is not None:
        size = convert_to_tensor([xs[1], xs[2]], dtype=_dtypes.int32)
    else:
        size = builders.strided_slice(builders.shape_of(x), [1], [3], [1])
    out = None if xs is None else xs
    return [_grad_op(op, "ResizeNearestNeighborGrad", grad, size, out, grad._dtype), None]


def _linear_grad_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    forward = "ResizeBilinear" if op._type == "ResizeBilinearGrad" else "ResizeBicubic"

    def grad(g: np.ndarray, x: np.ndarray) -> np.ndarray:
        wh, ww = _matrices(forward, attrs, (x.shape[1], x.shape[2]), (g.shape[1], g.shape[2]))
        out: np.ndarray = np.einsum("ah,nabc,bw->nhwc", wh, g.astype(np.float64), ww,
                                    optimize=True)
        return out.astype(x.dtype)

    return grad


register_kernel("ResizeBilinearGrad")(_linear_grad_kernel)
register_kernel("ResizeBicubicGrad")(_linear_grad_kernel)


@register_kernel("ResizeNearestNeighborGrad")
def _nearest_grad_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs

    def grad(g: np.ndarray, size: np.ndarray) -> np.ndarray:
        h, w = int(size[0]), int(size[1])
        iy = _nearest_index(h, g.shape[1], attrs["align_corners"], attrs["half_pixel_centers"])
        ix = _nearest_index(w, g.shape[2], attrs["align_corners"], attrs["half_pixel_centers"])
        out = np.zeros((g.shape[0], h, w, g.shape[3]), dtype=g.dtype)
        np.add.at(out, (slice(None), iy[:, None], ix[None, :]), g)  # type: ignore[arg-type]
        return out

    return grad


NotDifferentiable("ResizeArea")
NotDifferentiable("ResizeBilinearGrad")  # as TF (no third order)


# -- ExtractImagePatches -----------------------------------------------------------------------------
def _four(value: Any, arg: str) -> list[int]:
    values = [int(v) for v in value]
    if len(values) != 4:
        raise ValueError(f"Attr '{arg}' of 'ExtractImagePatches' Op has to have at least 4 "
                         "elements")
    return values


def extract_image_patches(images: Any, ksizes: Any = None, strides: Any = None,
                          rates: Any = None, padding: Any = None, name: str | None = None,
                          sizes: Any = None) -> Tensor:
    """``tf.image.extract_image_patches``: op ``ExtractImagePatches``; each output pixel holds
    its ksize window flattened in (row, column, channel) order."""
    if ksizes is None:
        ksizes = sizes
    graph = check_same_graph(images)
    full = graph._op_name(name, "ExtractImagePatches")
    with scope_of(graph, full):
        x = first_input(images, "images")
    k4, s4, r4 = _four(ksizes, "ksizes"), _four(strides, "strides"), _four(rates, "rates")
    check_padding(padding, "ExtractImagePatches")
    attrs = {"T": x._dtype, "ksizes": k4, "padding": padding, "rates": r4, "strides": s4}
    text = (f"T={dt_enum(x._dtype)}, ksizes={fmt_list(k4)}, padding=\"{padding}\", "
            f"rates={fmt_list(r4)}, strides={fmt_list(s4)}")
    xs = x._shape
    if xs is not None and len(xs) != 4:
        raise node_error(f"Shape must be rank 4 but is rank {len(xs)}", full,
                         "ExtractImagePatches", text, [x])
    if k4[0] != 1 or k4[3] != 1 or s4[0] != 1 or s4[3] != 1 or r4[0] != 1 or r4[3] != 1:
        raise node_error("ExtractImagePatches is only supported across rows and columns",
                         full, "ExtractImagePatches", text, [x])
    out: _Shape = None
    if xs is not None:
        dims: list[int | None] = []
        for a in (1, 2):
            got = out_size(xs[a], k4[a], s4[a], r4[a], padding, (0, 0))
            if got is None:
                eff = (k4[a] - 1) * r4[a] + 1
                raise node_error(f"Negative dimension size caused by subtracting {eff} from "
                                 f"{xs[a]}", full, "ExtractImagePatches", text, [x])
            dims.append(got[0])
        depth = None if xs[3] is None else xs[3] * k4[1] * k4[2]
        out = (xs[0], dims[0], dims[1], depth)
    return make_op(graph, full, "ExtractImagePatches", [x], attrs,
                   [(x._dtype, out)])._outputs[0]


def extract_patches(images: Any, sizes: Any, strides: Any, rates: Any, padding: Any,
                    name: str | None = None) -> Tensor:
    """``tf.image.extract_patches`` (TF2's name of extract_image_patches)."""
    return extract_image_patches(images, sizes, strides, rates, padding, name)


def _patch_filter(k: tuple[int, int], depth: int, dtype: Any) -> np.ndarray:
    # ExtractImagePatches is a convolution with a one-hot filter (its output channels are the
    # window's (row, column, channel) positions): the gradient is that convolution's.
    kh, kw = k
    w = np.zeros((kh, kw, depth, kh * kw * depth), dtype=dtype)
    for i in range(kh):
        for j in range(kw):
            for c in range(depth):
                w[i, j, c, (i * kw + j) * depth + c] = 1
    return w


@register_kernel("ExtractImagePatches")
def _patches_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    k, s, r = attrs["ksizes"], attrs["strides"], attrs["rates"]

    def patches(x: np.ndarray) -> np.ndarray:
        geo = [out_size(x.shape[a], k[a], s[a], r[a], attrs["padding"], (0, 0)) for a in (1, 2)]
        (oh, top, bottom), (ow, left, right) = geo  # type: ignore[misc]
        assert oh is not None and ow is not None
        xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
        parts = []
        for i in range(k[1]):
            for j in range(k[2]):
                parts.append(xp[:, i * r[1]:i * r[1] + (oh - 1) * s[1] + 1:s[1],
                                j * r[2]:j * r[2] + (ow - 1) * s[2] + 1:s[2], :])
        return np.concatenate(parts, axis=3)

    return patches


@RegisterGradient("ExtractImagePatches")
def _patches_grad(op: Operation, grad: Tensor) -> list[Any]:
    x = op._inputs[0]
    attrs = op._attrs
    depth = x._shape[3] if x._shape is not None else None
    if depth is None:
        raise ValueError("varstore differentiates ExtractImagePatches only with a static "
                         "channel count")
    w = convert_to_tensor(_patch_filter((attrs["ksizes"][1], attrs["ksizes"][2]), depth,
                                        x._dtype._np))
    return [builders.conv2d_backprop_input(builders.shape_of(x), w, grad,
                                           strides=attrs["strides"], padding=attrs["padding"],
                                           dilations=attrs["rates"])]


# -- ExtractVolumePatches ----------------------------------------------------------------------------
def _five(value: Any, arg: str) -> list[int]:
    values = [int(v) for v in value]
    if len(values) < 5:
        raise ValueError(f"Attr '{arg}' of 'ExtractVolumePatches' Op has to have at least 5 "
                         "elements")
    return values


def extract_volume_patches(input: Any, ksizes: Any, strides: Any, padding: Any,
                           name: str | None = None) -> Tensor:
    """``tf.extract_volume_patches``: op ``ExtractVolumePatches``, each output voxel holds its
    ksize window flattened in (plane, row, column, channel) order."""
    graph = check_same_graph(input)
    full = graph._op_name(name, "ExtractVolumePatches")
    with scope_of(graph, full):
        x = first_input(input, "input")
    k5, s5 = _five(ksizes, "ksizes"), _five(strides, "strides")
    check_padding(padding, "ExtractVolumePatches")
    attrs = {"T": x._dtype, "ksizes": k5, "padding": padding, "strides": s5}
    text = (f"T={dt_enum(x._dtype)}, ksizes={fmt_list(k5)}, padding=\"{padding}\", "
            f"strides={fmt_list(s5)}")
    xs = x._shape
    if xs is not None and len(xs) != 5:
        raise node_error(f"Shape must be rank 5 but is rank {len(xs)}", full,
                         "ExtractVolumePatches", text, [x])
    out: _Shape = None
    if xs is not None:
        dims: list[int | None] = []
        for a in (1, 2, 3):
            got = out_size(xs[a], k5[a], s5[a], 1, padding, (0, 0))
            if got is None:
                raise node_error(f"Negative dimension size caused by subtracting {k5[a]} from "
                                 f"{xs[a]}", full, "ExtractVolumePatches", text, [x])
            dims.append(got[0])
        depth = None if xs[4] is None else xs[4] * k5[1] * k5[2] * k5[3]
        out = (xs[0], dims[0], dims[1], dims[2], depth)
    return make_op(graph, full, "ExtractVolumePatches", [x], attrs,
                   [(x._dtype, out)])._outputs[0]


@register_kernel("ExtractVolumePatches")
def _volume_patches_kernel(op: Operation) -> Callable[..., Any]:
    k, s = op._attrs["ksizes"], op._attrs["strides"]

    def patches(x: np.ndarray) -> np.ndarray:
        # the kernel's checks (TF builds the node and fails when it runs)
        if k[0] != 1 or k[4] != 1:
            raise UnimplementedError(None, None, "Only support ksizes across space.")
        if s[0] != 1 or s[4] != 1:
            raise UnimplementedError(None, None, "Only support strides across space.")
        geo = [out_size(x.shape[a], k[a], s[a], 1, op._attrs["padding"], (0, 0))
               for a in (1, 2, 3)]
        (op_, p0, p1), (orr, r0, r1), (oc, c0, c1) = geo  # type: ignore[misc]
        assert op_ is not None and orr is not None and oc is not None
        xp = np.pad(x, ((0, 0), (p0, p1), (r0, r1), (c0, c1), (0, 0)))
        parts = [xp[:, i:i + (op_ - 1) * s[1] + 1:s[1], j:j + (orr - 1) * s[2] + 1:s[2],
                    m:m + (oc - 1) * s[3] + 1:s[3], :]
                 for i in range(k[1]) for j in range(k[2]) for m in range(k[3])]
        return np.concatenate(parts, axis=4)

    return patches


@RegisterGradient("ExtractVolumePatches")
def _volume_patches_grad(op: Operation, grad: Tensor) -> list[Any]:
    # as ExtractImagePatches': the gradient of a convolution with a one-hot filter
    x = op._inputs[0]
    k = op._attrs["ksizes"]
    depth = x._shape[4] if x._shape is not None else None
    if depth is None:
        raise ValueError("varstore differentiates ExtractVolumePatches only with a static "
                         "channel count")
    w = np.zeros((k[1], k[2], k[3], depth, k[1] * k[2] * k[3] * depth), x._dtype._np)
    for n, (i, j, m, c) in enumerate(np.ndindex(k[1], k[2], k[3], depth)):
        w[i, j, m, c, n] = 1
    return [builders.conv3d_backprop_input_v2(builders.shape_of(x), convert_to_tensor(w), grad,
                                              strides=op._attrs["strides"],
                                              padding=op._attrs["padding"])]


# -- AdjustContrastv2 --------------------------------------------------------------------------------
def adjust_contrastv2(images: Any, contrast_factor: Any, name: str | None = None) -> Tensor:
    """Op ``AdjustContrastv2``: (x - mean) * factor + mean, the mean per image and channel."""
    graph = check_same_graph(images, contrast_factor)
    full = graph._op_name(name, "AdjustContrastv2")
    with scope_of(graph, full):
        x = first_input(images, "images")
        f = convert_to_tensor(contrast_factor, dtype=_dtypes.float32, name="contrast_factor")
    check_allowed(x._dtype, "float16, float32", "images")
    xs = x._shape
    if xs is not None and len(xs) < 3:
        raise node_error(f"Shape must be at least rank 3 but is rank {len(xs)}", full,
                         "AdjustContrastv2", f"T={dt_enum(x._dtype)}", [x, f])
    return make_op(graph, full, "AdjustContrastv2", [x, f], {"T": x._dtype},
                   [(x._dtype, xs)])._outputs[0]


@register_kernel("AdjustContrastv2")
def _contrast_kernel(op: Operation) -> Callable[..., Any]:
    def contrast(x: np.ndarray, f: np.ndarray) -> np.ndarray:
        if np.ndim(f) != 0:
            raise ValueError(f"contrast_factor must be scalar: {list(np.shape(f))}")
        x32 = x.astype(np.float32)
        mean = x32.mean(axis=(-3, -2), keepdims=True, dtype=np.float32)
        out: np.ndarray = ((x32 - mean) * np.float32(f) + mean).astype(x.dtype)
        return out

    return contrast


# TF registers no gradient for AdjustContrastv2: tf.gradients through it raises LookupError.


builders.register(globals(), __all__)
