"""Quantization-aware training's fake quantization (TF's fake_quant_ops): values clamped to
a range nudged so that 0 is exactly representable, then rounded to one of
``2**num_bits`` levels (``2**num_bits - 1`` with ``narrow_range``), still as float32.

- FakeQuantWithMinMaxArgs: the range as attributes;
- FakeQuantWithMinMaxVars: the range as two scalar tensors (trainable: its gradient reaches
  ``min`` and ``max`` through the clamped values);
- FakeQuantWithMinMaxVarsPerChannel: one range per entry of the last dimension.

The float32 arithmetic is TF's CPU kernels' step for step (fake_quant_ops_functor.h: the
nudge, the quantized zero, then floor(x + 0.5)), so results agree bit for bit. Each op's
gradient is its ``...Gradient`` op, which passes the incoming gradient where the input lies
inside the nudged range (and, for the Vars ops, sums the rest into ``min`` / ``max``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    RegisterGradient,
    Tensor,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.ops.array_ops import attr_text

__all__ = [
    "fake_quant_with_min_max_args",
    "fake_quant_with_min_max_args_gradient",
    "fake_quant_with_min_max_vars",
    "fake_quant_with_min_max_vars_gradient",
    "fake_quant_with_min_max_vars_per_channel",
    "fake_quant_with_min_max_vars_per_channel_gradient",
]

_f32 = np.float32


def _float_input(value: Any, arg: str, op_type: str) -> Tensor:
    t = value if isinstance(value, Tensor) else convert_to_tensor(value, dtype=_dtypes.float32,
                                                                 name=arg)
    if t.dtype.base_dtype != _dtypes.float32:
        raise TypeError(f"Input '{arg}' of '{op_type}' Op has type {t.dtype.name} that does "
                        "not match expected type of float32.")
    return t


def _levels(num_bits: int, narrow_range: bool) -> tuple[int, int]:
    return (1 if narrow_range else 0), (1 << num_bits) - 1


def _nudge(mn: Any, mx: Any, qmin: int, qmax: int) -> tuple[Any, Any, Any]:
    """TF's Nudge: (nudged_min, nudged_max, scale), the zero point rounded (half away from
    zero) and kept within the levels."""
    mn, mx = _f32(mn), _f32(mx)
    qminf, qmaxf = _f32(qmin), _f32(qmax)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scale = _f32((mx - mn) / (qmaxf - qminf))
        zero = _f32(qminf - _f32(mn / scale))
    if zero < qminf:
        nudged_zero = _f32(qmin)
    elif zero > qmaxf:
        nudged_zero = _f32(qmax)
    elif np.isnan(zero):
        nudged_zero = _f32(0)  # (a uint16 cast of NaN: 0 on x86)
    else:
        nudged_zero = _f32(np.floor(abs(zero) + _f32(0.5)) * np.sign(zero))
    return _f32((qminf - nudged_zero) * scale), _f32((qmaxf - nudged_zero) * scale), scale


def _quantize(x: np.ndarray, mn: Any, mx: Any, qmin: int, qmax: int, by_args: bool) -> Any:
    nmin, nmax, scale = _nudge(mn, mx, qmin, qmax)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # the Args kernel multiplies by (qmax - qmin) / (max - min), the Vars kernels divide by
        # the scale; both take the quantized zero from 1 / scale's product
        inv = (_f32(_f32(qmax - qmin) / _f32(_f32(mx) - _f32(mn))) if by_args
               else _f32(_f32(1.0) / scale))
        zero = np.floor(_f32(_f32(-nmin) * inv) + _f32(0.5)).astype(_f32)
        shifted = (np.maximum(np.minimum(x, nmax), nmin) - nmin).astype(_f32)
        steps = (shifted * inv).astype(_f32) if by_args else (shifted / scale).astype(_f32)
        level = np.floor(((steps - zero).astype(_f32) + _f32(0.5)).astype(_f32))
        return (level.astype(_f32) * scale).astype(_f32)


def _masks(x: np.ndarray, mn: Any, mx: Any, qmin: int, qmax: int) -> tuple[Any, Any, Any]:
    nmin, nmax, _ = _nudge(mn, mx, qmin, qmax)
    return (x >= nmin) & (x <= nmax), x < nmin, x > nmax


def _check_bits(op: Operation) -> tuple[int, int]:
    num_bits = op._attrs["num_bits"]
    if not 2 <= num_bits <= 16:
        raise InvalidArgumentError(None, op, "num_bits must be between 2 and 16, inclusive")
    return _levels(num_bits, op._attrs["narrow_range"])


def _attrs(num_bits: int, narrow_range: bool) -> dict[str, Any]:
    return {"narrow_range": bool(narrow_range), "num_bits": int(num_bits)}


# -- FakeQuantWithMinMaxArgs --------------------------------------------------------------------------
def fake_quant_with_min_max_args(inputs: Any, min: float = -6, max: float = 6,
                                 num_bits: int = 8, narrow_range: bool = False,
                                 name: str | None = None) -> Tensor:
    """``tf.quantization.fake_quant_with_min_max_args``: the range given as attributes."""
    graph = check_same_graph(inputs)
    full = graph._op_name(name, "FakeQuantWithMinMaxArgs")
    with scope_of(graph, full):
        x = _float_input(inputs, "inputs", "FakeQuantWithMinMaxArgs")
    attrs = {"max": float(max), "min": float(min), **_attrs(num_bits, narrow_range)}
    op = make_op(graph, full, "FakeQuantWithMinMaxArgs", [x], attrs, [(x.dtype, x._shape)])
    return op._outputs[0]


def _check_args_range(op: Operation) -> tuple[float, float]:
    mn, mx = op._attrs["min"], op._attrs["max"]
    if not mn < mx:
        raise InvalidArgumentError(None, op, f"min has to be smaller than max, was: "
                                   f"{_g(mn)} >= {_g(mx)}")
    return mn, mx


def _g(v: float) -> str:
    # TF prints a float attribute with %g
    return f"{v:g}"


@register_kernel("FakeQuantWithMinMaxArgs")
def _args_kernel(op: Operation) -> Callable[[np.ndarray], Any]:
    def kernel(x: np.ndarray) -> Any:
        mn, mx = _check_args_range(op)
        qmin, qmax = _check_bits(op)
        return _quantize(np.asarray(x, _f32), mn, mx, qmin, qmax, by_args=True)

    return kernel


def fake_quant_with_min_max_args_gradient(gradients: Any, inputs: Any, min: float = -6,
                                          max: float = 6, num_bits: int = 8,
                                          narrow_range: bool = False,
                                          name: str | None = None) -> Tensor:
    graph = check_same_graph(gradients, inputs)
    full = graph._op_name(name, "FakeQuantWithMinMaxArgsGradient")
    with scope_of(graph, full):
        g = _float_input(gradients, "gradients", "FakeQuantWithMinMaxArgsGradient")
        x = _float_input(inputs, "inputs", "FakeQuantWithMinMaxArgsGradient")
    attrs = {"max": float(max), "min": float(min), **_attrs(num_bits, narrow_range)}
    op = make_op(graph, full, "FakeQuantWithMinMaxArgsGradient", [g, x], attrs,
                 [(_dtypes.float32, x._shape if x._shape is not None else g._shape)])
    return op._outputs[0]


# TF declares the gradient ops themselves not differentiable
for _t in ("FakeQuantWithMinMaxArgsGradient", "FakeQuantWithMinMaxVarsGradient",
           "FakeQuantWithMinMaxVarsPerChannelGradient"):
    NotDifferentiable(_t)


@register_kernel("FakeQuantWithMinMaxArgsGradient")
def _args_grad_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(g: np.ndarray, x: np.ndarray) -> Any:
        mn, mx = _check_args_range(op)
        qmin, qmax = _check_bits(op)
        if g.shape != x.shape:
            raise InvalidArgumentError(None, op, "gradients and inputs must be the same size")
        inside, _, _ = _masks(np.asarray(x, _f32), mn, mx, qmin, qmax)
        return (g * inside).astype(_f32)

    return kernel


@RegisterGradient("FakeQuantWithMinMaxArgs")
def _args_grad(op: Operation, grad: Tensor) -> Tensor:
    a = op._attrs
    return fake_quant_with_min_max_args_gradient(grad, op._inputs[0], min=a["min"], max=a["max"],
                                                 num_bits=a["num_bits"],
                                                 narrow_range=a["narrow_range"])


# -- FakeQuantWithMinMaxVars / PerChannel ----------------------------------------------------------------
def _vars_node(op_type: str, per_channel: bool, tensors: list[Any], args: list[str],
               num_bits: int, narrow_range: bool, name: str | None,
               outputs: Callable[[list[Tensor]], list[tuple[Any, Any]]]) -> list[Tensor]:
    graph = check_same_graph(*tensors)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        ts = [_float_input(v, a, op_type) for v, a in zip(tensors, args)]
    attrs = _attrs(num_bits, narrow_range)
    text = attr_text(attrs)
    x, mn, mx = ts[-3], ts[-2], ts[-1]
    want = 1 if per_channel else 0
    if per_channel and x._shape is not None and len(x._shape) == 0:
        raise node_error("Shape must be at least rank 1 but is rank 0", full, op_type, text, ts)
    for t in (mn, mx):
        if t._shape is not None and len(t._shape) != want:
            raise node_error(f"Shape must be rank {want} but is rank {len(t._shape)}", full,
                             op_type, text, ts)
    if per_channel:
        last = None if x._shape is None else x._shape[-1]
        for a, b in ((last, _dim0(mn)), (last, _dim0(mx)), (_dim0(mn), _dim0(mx))):
            if a is not None and b is not None and a != b:
                raise node_error(f"Dimensions must be equal, but are {a} and {b}", full,
                                 op_type, text, ts)
    op = make_op(graph, full, op_type, ts, attrs, outputs(ts))
    return list(op._outputs)


def _dim0(t: Tensor) -> int | None:
    return None if t._shape is None or not t._shape else t._shape[0]


def fake_quant_with_min_max_vars(inputs: Any, min: Any, max: Any,
                                 num_bits: int = 8, narrow_range: bool = False,
                                 name: str | None = None) -> Tensor:
    """``tf.quantization.fake_quant_with_min_max_vars``: the range as scalar tensors."""
    return _vars_node("FakeQuantWithMinMaxVars", False, [inputs, min, max],
                      ["inputs", "min", "max"], num_bits, narrow_range, name,
                      lambda ts: [(_dtypes.float32, ts[0]._shape)])[0]


def fake_quant_with_min_max_vars_per_channel(inputs: Any, min: Any, max: Any,
                                             num_bits: int = 8, narrow_range: bool = False,
                                             name: str | None = None) -> Tensor:
    """``tf.quantization.fake_quant_with_min_max_vars_per_channel``: ``min[i]`` / ``max[i]``
    for the entries ``inputs[..., i]``."""
    return _vars_node("FakeQuantWithMinMaxVarsPerChannel", True, [inputs, min, max],
                      ["inputs", "min", "max"], num_bits, narrow_range, name,
                      lambda ts: [(_dtypes.float32, ts[0]._shape)])[0]


def fake_quant_with_min_max_vars_gradient(gradients: Any, inputs: Any, min: Any,
                                          max: Any, num_bits: int = 8,
                                          narrow_range: bool = False,
                                          name: str | None = None) -> list[Tensor]:
    return _vars_node("FakeQuantWithMinMaxVarsGradient", False, [gradients, inputs, min, max],
                      ["gradients", "inputs", "min", "max"], num_bits, narrow_range, name,
                      lambda ts: [(_dtypes.float32, ts[1]._shape), (_dtypes.float32, ()),
                                  (_dtypes.float32, ())])


def fake_quant_with_min_max_vars_per_channel_gradient(
        gradients: Any, inputs: Any, min: Any, max: Any,
        num_bits: int = 8, narrow_range: bool = False, name: str | None = None) -> list[Tensor]:
    return _vars_node("FakeQuantWithMinMaxVarsPerChannelGradient", True,
                      [gradients, inputs, min, max], ["gradients", "inputs", "min", "max"],
                      num_bits, narrow_range, name,
                      lambda ts: [(_dtypes.float32, ts[1]._shape),
                                  (_dtypes.float32, (_dim0(ts[2]),)),
                                  (_dtypes.float32, (_dim0(ts[2]),))])


def _channels(op: Operation, x: np.ndarray, mn: np.ndarray, mx: np.ndarray) -> int:
    depth = x.shape[-1]
    for what, t in (("min", mn), ("max", mx)):
        if t.shape != (depth,):
            raise InvalidArgumentError(None, op, f"{what} has incorrect size, expected "
                                       f"{depth} was {t.shape[0] if t.ndim else 0}")
    return int(depth)


@register_kernel("FakeQuantWithMinMaxVars")
def _vars_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(x: np.ndarray, mn: np.ndarray, mx: np.ndarray) -> Any:
        qmin, qmax = _check_bits(op)
        return _quantize(np.asarray(x, _f32), mn, mx, qmin, qmax, by_args=False)

    return kernel


@register_kernel("FakeQuantWithMinMaxVarsPerChannel")
def _per_channel_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(x: np.ndarray, mn: np.ndarray, mx: np.ndarray) -> Any:
        qmin, qmax = _check_bits(op)
        a = np.asarray(x, _f32)
        out = np.empty_like(a)
        for i in range(_channels(op, a, mn, mx)):
            out[..., i] = _quantize(a[..., i], mn[i], mx[i], qmin, qmax, by_args=False)
        return out

    return kernel


@register_kernel("FakeQuantWithMinMaxVarsGradient")
def _vars_grad_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(g: np.ndarray, x: np.ndarray, mn: np.ndarray, mx: np.ndarray) -> Any:
        qmin, qmax = _check_bits(op)
        if g.shape != x.shape:
            raise InvalidArgumentError(None, op, "gradients and inputs must be the same size")
        inside, below, above = _masks(np.asarray(x, _f32), mn, mx, qmin, qmax)
        return ((g * inside).astype(_f32), _f32(np.sum(g * below, dtype=_f32)),
                _f32(np.sum(g * above, dtype=_f32)))

    return kernel


@register_kernel("FakeQuantWithMinMaxVarsPerChannelGradient")
def _per_channel_grad_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(g: np.ndarray, x: np.ndarray, mn: np.ndarray, mx: np.ndarray) -> Any:
        qmin, qmax = _check_bits(op)
        a = np.asarray(x, _f32)
        if g.shape != a.shape:
            raise InvalidArgumentError(None, op, "gradients and inputs must be the same size")
        depth = _channels(op, a, mn, mx)
        dx = np.empty_like(a)
        dmin = np.empty([depth], _f32)
        dmax = np.empty([depth], _f32)
        for i in range(depth):
            inside, below, above = _masks(a[..., i], mn[i], mx[i], qmin, qmax)
            gi = g[..., i]
            dx[..., i] = gi * inside
            dmin[i] = np.sum(gi * below, dtype=_f32)
            dmax[i] = np.sum(gi * above, dtype=_f32)
        return dx, dmin, dmax

    return kernel


@RegisterGradient("FakeQuantWithMinMaxVars")
def _vars_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    x, mn, mx = op._inputs
    return fake_quant_with_min_max_vars_gradient(grad, x, mn, mx, num_bits=op._attrs["num_bits"],
                                                 narrow_range=op._attrs["narrow_range"])


@RegisterGradient("FakeQuantWithMinMaxVarsPerChannel")
def _per_channel_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    x, mn, mx = op._inputs
    return fake_quant_with_min_max_vars_per_channel_gradient(
        grad, x, mn, mx, num_bits=op._attrs["num_bits"], narrow_range=op._attrs["narrow_range"])
