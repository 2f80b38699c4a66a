"""Colour-space ops of ``tf.image`` (TF's gen_image_ops and image_ops_impl): RGBToHSV (with
TF's gradient, image_grad._RGBToHSVGrad), HSVToRGB, AdjustHue and AdjustSaturation with TF's
CPU formulas, and the composites adjust_hue/saturation/gamma, random_hue/saturation and the
YUV/YIQ conversions (tensordot with TF's kernels)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    RegisterGradient,
    Tensor,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.ops import (
    array_stack_ops,
    check_ops,
    control_flow_ops,
    math_matmul_ops,
    math_ops,
    math_unary_ops,
    random_ops,
)
from varstore.ops.image_ops_impl import convert_image_dtype

__all__ = [
    "adjust_gamma",
    "adjust_hue",
    "adjust_saturation",
    "hsv_to_rgb",
    "random_hue",
    "random_saturation",
    "rgb_to_hsv",
    "rgb_to_yiq",
    "rgb_to_yuv",
    "yiq_to_rgb",
    "yuv_to_rgb",
]

_FLOATS = "float16, bfloat16, float32, float64"


def _three_channel_op(op_type: str, images: Any, extra: list[tuple[str, Any]],
                      allowed: str, name: str | None) -> Tensor:
    graph = check_same_graph(images)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        x = first_input(images, "images")
        extras = [convert_to_tensor(v, dtype=_dtypes.float32, name=n) for n, v in extra]
    check_allowed(x._dtype, allowed, "images")
    s = x._shape
    attrs = f"T={dt_enum(x._dtype)}"
    if s is not None:
        if len(s) < 1:
            raise node_error(f"Shape must be at least rank 1 but is rank {len(s)}", full,
                             op_type, attrs, [x, *extras])
        if s[-1] is not None and s[-1] != 3:
            raise node_error(f"Dimension must be 3 but is {s[-1]}", full, op_type, attrs,
                             [x, *extras])
    return make_op(graph, full, op_type, [x, *extras], {"T": x._dtype},
                   [(x._dtype, s)])._outputs[0]


def rgb_to_hsv(images: Any, name: str | None = None) -> Tensor:
    """``tf.image.rgb_to_hsv``: op ``RGBToHSV``, hue in [0, 1)."""
    return _three_channel_op("RGBToHSV", images, [], _FLOATS, name)


def hsv_to_rgb(images: Any, name: str | None = None) -> Tensor:
    """``tf.image.hsv_to_rgb``: op ``HSVToRGB`` (no gradient in TF)."""
    return _three_channel_op("HSVToRGB", images, [], _FLOATS, name)


def _rgb_to_hsv_np(x: np.ndarray) -> np.ndarray:
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    v = np.maximum(np.maximum(r, g), b)
    rng = v - np.minimum(np.minimum(r, g), b)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(v > 0, rng / v, 0).astype(x.dtype)
        norm = (1 / rng) * x.dtype.type(1.0 / 6.0)
        h = np.where(r == v, norm * (g - b),
                     np.where(g == v, norm * (b - r) + x.dtype.type(2.0 / 6.0),
                              norm * (r - g) + x.dtype.type(4.0 / 6.0)))
    h = np.where(rng > 0, h, 0)
    h = np.where(h < 0, h + 1, h)
    return np.stack([h, s, v], axis=-1).astype(x.dtype)


def _hsv_to_rgb_np(x: np.ndarray) -> np.ndarray:
    h, s, v = x[..., 0], x[..., 1], x[..., 2]
    dh = h * x.dtype.type(6)
    dr = np.clip(np.abs(dh - 3) - 1, 0, 1)
    dg = np.clip(-np.abs(dh - 2) + 2, 0, 1)
    db = np.clip(-np.abs(dh - 4) + 2, 0, 1)
    one_s = 1 - s
    return np.stack([(one_s + s * dr) * v, (one_s + s * dg) * v, (one_s + s * db) * v],
                    axis=-1).astype(x.dtype)


@register_kernel("RGBToHSV")
def _rgb_to_hsv_kernel(op: Operation) -> Callable[..., Any]:
    return _rgb_to_hsv_np


@register_kernel("HSVToRGB")
def _hsv_to_rgb_kernel(op: Operation) -> Callable[..., Any]:
    return _hsv_to_rgb_np


NotDifferentiable("HSVToRGB")


# -- AdjustHue / AdjustSaturation: TF's CPU kernels (adjust_hue_op.cc, adjust_saturation_op.cc)
_PERMS = {  # h_category -> (index of v_max, v_mid, v_min) in (r, g, b)
    0: (0, 1, 2), 1: (1, 0, 2), 2: (1, 2, 0), 3: (2, 1, 0), 4: (2, 0, 1), 5: (0, 2, 1)}


def _adjust_hue_np(x: np.ndarray, delta: float) -> np.ndarray:
    """TF's hue rotation on the hue-and-value-range form: each pixel keeps its min and max,
    its hue moves by 6 * delta, wrapped into [0, 6)."""
    p = x.reshape(-1, 3).astype(np.float32)
    r, g, b = p[:, 0], p[:, 1], p[:, 2]
    # TF's branch order: ties fall on the side its comparisons pick.
    cat = np.where(r < g, np.where(b < r, 1, np.where(b > g, 3, 2)),
                   np.where(b < g, 0, np.where(b > r, 4, 5)))
    idx = np.array([_PERMS[int(c)] for c in range(6)])[cat]
    rows = np.arange(p.shape[0])
    vmax, vmid, vmin = (p[rows, idx[:, k]] for k in range(3))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (vmid - vmin) / (vmax - vmin)
    h = cat + np.where(cat % 2 == 0, ratio, 1 - ratio)
    h = np.where(vmax == vmin, 0, h).astype(np.float32)
    h = h + np.float32(delta) * np.float32(6)
    h = np.where(h < 0, h + 6, h)
    h = np.where(h >= 6, h - 6, h)
    hc = np.clip(h.astype(np.int64), 0, 5)
    ratio = h - hc
    ratio = np.where(hc % 2 == 0, ratio, 1 - ratio)
    vmid = vmin + ratio * (vmax - vmin)
    out = np.empty_like(p)
    order = np.array([_PERMS[c] for c in range(6)])[hc]
    out[rows, order[:, 0]] = vmax
    out[rows, order[:, 1]] = vmid
    out[rows, order[:, 2]] = vmin
    return out.reshape(x.shape).astype(x.dtype)


def _adjust_saturation_np(x: np.ndarray, scale: float) -> np.ndarray:
    """TF's saturation scaling through its own HSV round trip, s clipped to [0, 1]."""
    p = x.astype(np.float32)
    r, g, b = p[..., 0], p[..., 1], p[..., 2]
    vv = np.maximum(r, np.maximum(g, b))
    rng = vv - np.minimum(r, np.minimum(g, b))
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(vv > 0, rng / vv, 0).astype(np.float32)
        norm = np.float32(1.0) / (np.float32(6.0) * rng)
        hh = np.where(r == vv, norm * (g - b),
                      np.where(g == vv, norm * (b - r) + np.float32(2.0 / 6.0),
                               norm * (r - g) + np.float32(4.0 / 6.0)))
    hh = np.where(rng <= 0, 0, hh)
    hh = np.where(hh < 0, hh + 1, hh).astype(np.float32)
    s = np.minimum(np.float32(1), np.maximum(np.float32(0), s * np.float32(scale)))
    c = s * vv
    m = vv - c
    dh = hh * np.float32(6)
    cat = dh.astype(np.int64)
    fm = np.mod(dh, np.float32(2))
    fm = np.where(fm <= 0, fm + 2, fm)
    xx = c * (1 - np.abs(fm - 1))
    z = np.zeros_like(c)
    table = [(c, xx, z), (xx, c, z), (z, c, xx), (z, xx, c), (xx, z, c), (c, z, xx)]
    out = [np.select([cat == k for k in range(6)], [t[ch] for t in table], 0) + m
           for ch in range(3)]
    return np.stack(out, axis=-1).astype(x.dtype)


def _adjust_op(op_type: str, arg: str, images: Any, value: Any, name: str | None) -> Tensor:
    return _three_channel_op(op_type, images, [(arg, value)], "float16, float32", name)


@register_kernel("AdjustHue")
def _adjust_hue_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(x: np.ndarray, delta: np.ndarray) -> np.ndarray:
        if np.ndim(delta) != 0:
            raise ValueError(f"delta must be scalar: {list(np.shape(delta))}")
        return _adjust_hue_np(x, float(delta))
    return kernel


@register_kernel("AdjustSaturation")
def _adjust_saturation_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(x: np.ndarray, scale: np.ndarray) -> np.ndarray:
        if np.ndim(scale) != 0:
            raise ValueError(f"scale must be scalar: {list(np.shape(scale))}")
        return _adjust_saturation_np(x, float(scale))
    return kernel


# TF registers no gradient for AdjustHue or AdjustSaturation: tf.gradients raises LookupError.


def _float_of(image: Any) -> tuple[Tensor, Any]:
    x = convert_to_tensor(image, name="image")
    if x._dtype in (_dtypes.float16, _dtypes.float32):
        return x, x._dtype
    return convert_image_dtype(x, _dtypes.float32), x._dtype


def adjust_hue(image: Any, delta: Any, name: str | None = None) -> Tensor:
    """``tf.image.adjust_hue``: op ``AdjustHue`` on the float image."""
    with name_scope(name, "adjust_hue", [image]):
        flt, orig = _float_of(image)
        altered = _adjust_op("AdjustHue", "delta", flt, delta, None)
        return convert_image_dtype(altered, orig)


def adjust_saturation(image: Any, saturation_factor: Any, name: str | None = None) -> Tensor:
    """``tf.image.adjust_saturation``: op ``AdjustSaturation`` on the float image."""
    with name_scope(name, "adjust_saturation", [image]):
        flt, orig = _float_of(image)
        adjusted = _adjust_op("AdjustSaturation", "scale", flt, saturation_factor, None)
        return convert_image_dtype(adjusted, orig)


def random_hue(image: Any, max_delta: float, seed: int | None = None) -> Tensor:
    """``tf.image.random_hue``: a delta drawn from U[-max_delta, max_delta)."""
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    delta = random_ops.random_uniform([], -max_delta, max_delta, seed=seed)
    return adjust_hue(image, delta)


def random_saturation(image: Any, lower: float, upper: float, seed: int | None = None
                      ) -> Tensor:
    """``tf.image.random_saturation``: a factor drawn from U[lower, upper)."""
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    factor = random_ops.random_uniform([], lower, upper, seed=seed)
    return adjust_saturation(image, factor)


def adjust_gamma(image: Any, gamma: Any = 1, gain: Any = 1) -> Tensor:
    """``tf.image.adjust_gamma``: gain * image ** gamma in float, saturated back. As TF's
    _assert: a negative Python gamma raises ValueError now, a tensor gamma gets an Assert."""
    msg = "Gamma should be a non-negative real number."
    with name_scope(None, "adjust_gamma", [image, gamma, gain]):
        flt, orig = _float_of(image)
        if isinstance(gamma, Tensor):
            gamma = control_flow_ops.with_dependencies(
                [check_ops.Assert(gamma >= 0, [msg])], gamma)
        elif not gamma >= 0:
            raise ValueError(msg)
        adjusted = gain * flt ** gamma
        return convert_image_dtype(adjusted, orig, saturate=True)


_RGB_TO_YIQ: list[list[float]] = [[0.299, 0.59590059, 0.2115], [0.587, -0.27455667, -0.52273617],
               [0.114, -0.32134392, 0.31119955]]
_YIQ_TO_RGB: list[list[float]] = [[1, 1, 1], [0.95598634, -0.27201283, -1.10674021],
               [0.6208248, -0.64720424, 1.70423049]]
_RGB_TO_YUV: list[list[float]] = [[0.299, -0.14714119, 0.61497538], [0.587, -0.28886916, -0.51496512],
               [0.114, 0.43601035, -0.10001026]]
_YUV_TO_RGB: list[list[float]] = [[1, 1, 1], [0, -0.394642334, 2.03206185], [1.13988303, -0.58062185, 0]]


def _colour_matrix(images: Any, kernel: list[list[float]]) -> Tensor:
    x = convert_to_tensor(images, name="images")
    k = convert_to_tensor(kernel, dtype=x._dtype, name="kernel")
    nd = len(x._shape) if x._shape is not None else None
    if nd is None:
        raise ValueError("varstore's colour conversions need the images' static rank")
    return math_matmul_ops.tensordot(x, k, axes=[[nd - 1], [0]])


def rgb_to_yiq(images: Any) -> Tensor:
    return _colour_matrix(images, _RGB_TO_YIQ)


def yiq_to_rgb(images: Any) -> Tensor:
    return _colour_matrix(images, _YIQ_TO_RGB)


def rgb_to_yuv(images: Any) -> Tensor:
    return _colour_matrix(images, _RGB_TO_YUV)


def yuv_to_rgb(images: Any) -> Tensor:
    return _colour_matrix(images, _YUV_TO_RGB)


# -- RGBToHSV's gradient: image_grad._RGBToHSVGrad term for term ------------------------------
@RegisterGradient("RGBToHSV")
def _rgb_to_hsv_grad(op: Operation, grad: Tensor) -> Tensor:
    x = op._inputs[0]
    dt = x._dtype
    red, green, blue = x[..., 0], x[..., 1], x[..., 2]
    sat, val = op._outputs[0][..., 1], op._outputs[0][..., 2]

    def c(t: Tensor) -> Tensor:
        return math_unary_ops.cast(t, dt)

    def rec(t: Tensor) -> Tensor:
        return math_ops.div_no_nan(math_unary_ops.cast(1.0, dt), t)

    sq = math_unary_ops.square
    r_big = c((red >= blue) & (red >= green))
    g_big = c((green > red) & (green >= blue))
    b_big = c((blue > red) & (blue > green))
    r_small = c((red < blue) & (red < green))
    g_small = c((green <= red) & (green < blue))
    b_small = c((blue <= red) & (blue <= green))
    r_pos, g_pos, b_pos = c(red > 0), c(green > 0), c(blue > 0)

    ds_dr = r_pos * math_ops.add(r_big * math_ops.add(g_small * green, b_small * blue)
                                 * rec(sq(red)),
                                 r_small * -1 * rec((g_big * green) + (b_big * blue)))
    ds_dg = g_pos * math_ops.add(g_big * math_ops.add(r_small * red, b_small * blue)
                                 * rec(sq(green)),
                                 g_small * -1 * rec((r_big * red) + (b_big * blue)))
    ds_db = b_pos * math_ops.add(b_big * math_ops.add(g_small * green, r_small * red)
                                 * rec(sq(blue)),
                                 b_small * -1 * rec((g_big * green) + (r_big * red)))
    sv = rec(sq(sat)) * rec(sq(val))
    dh_dr = (60 * (r_pos * r_big * -1 * (green - blue) * sv)
             + 60 * (g_pos * g_big * r_small * (blue - green) * rec(sq(red - green)))
             + 60 * (g_pos * g_big * b_small * -1 * rec(green - blue))
             + 60 * (b_pos * b_big * r_small * (blue - green) * rec(sq(blue - red)))
             + 60 * (b_pos * b_big * g_small * rec(blue - green))) / 360
    dh_dg = (60 * (g_pos * g_big * -1 * (blue - red) * sv)
             + 60 * (r_pos * r_big * g_small * (red - blue) * rec(sq(red - green)))
             + 60 * (r_pos * r_big * b_small * rec(red - blue))
             + 60 * (b_pos * b_big * g_small * (red - blue) * rec(sq(blue - green)))
             + 60 * (b_pos * b_big * r_small * -1 * rec(blue - red))) / 360
    dh_db = (60 * (b_pos * b_big * -1 * (red - green) * sv)
             + 60 * (r_pos * r_big * b_small * (green - red) * rec(sq(red - blue)))
             + 60 * (r_pos * r_big * g_small * -1 * rec(red - green))
             + 60 * (g_pos * g_big * b_small * (green - red) * rec(sq(green - blue)))
             + 60 * (g_pos * g_big * r_small * rec(green - red))) / 360
    gh, gs, gv = grad[..., 0], grad[..., 1], grad[..., 2]
    stack = array_stack_ops.stack
    dv = stack([gv * r_big, gv * g_big, gv * b_big], axis=-1)
    ds = stack([gs * ds_dr, gs * ds_dg, gs * ds_db], axis=-1)
    dh = stack([gh * dh_dr, gh * dh_dg, gh * dh_db], axis=-1)
    return math_ops.add(math_ops.add(dv, ds), dh)
