"""tf.pad: ops Pad, PadV2 (a constant value) and MirrorPad (REFLECT / SYMMETRIC), with TF's
shape function (paddings a [rank, 2] matrix of non-negative sizes), the Python wrapper's
restored partial shape, kernels and gradients (a slice; MirrorPadGrad folds the mirrored
borders back)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import (
    constant_value,
    convert_index,
    convert_to_tensor,
    evaluate_constant,
)
from varstore.framework.op_def_library import check_same_graph, first_input
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.ops.array_ops import attr_text, reshape, shape
from varstore.ops.array_slicing_ops import _out
from varstore.ops.array_slicing_ops import slice as _slice_op

__all__ = ["pad"]

Dims = tuple[int | None, ...] | None


def pad(tensor: Any, paddings: Any, mode: str = "CONSTANT", name: str | None = None,
        constant_values: Any = 0) -> Tensor:
    """``tf.pad``: op ``Pad`` (``PadV2`` with a constant value, ``MirrorPad``)."""
    graph = check_same_graph(tensor, paddings)
    mode_u = mode.upper()
    default = {"CONSTANT": "Pad", "REFLECT": "MirrorPad", "SYMMETRIC": "MirrorPad"}.get(mode_u)
    if default is None:
        raise ValueError(f"Value of argument `mode` expected to be one of \"CONSTANT\", "
                         f"\"REFLECT\", or \"SYMMETRIC\". Received `mode` = {mode_u}")
    # TF's rule: a zero Python/NumPy scalar makes Pad, anything else (a tensor) PadV2
    plain = mode_u == "CONSTANT" and not isinstance(constant_values, Tensor) \
        and not hasattr(type(constant_values), "_as_tensor") \
        and np.ndim(constant_values) == 0 \
        and bool(constant_values == np.zeros_like(constant_values))
    op_type = default if mode_u != "CONSTANT" or plain else "PadV2"
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        x = first_input(tensor, "input")
        p = convert_index(paddings, name="paddings")
        cv = None
        if op_type == "PadV2":
            cv = convert_to_tensor(constant_values, dtype=x._dtype, name="constant_values")
    attrs: dict[str, Any] = {"T": x._dtype, "Tpaddings": p._dtype}
    if op_type == "MirrorPad":
        attrs["mode"] = mode_u
    inputs = [x, p] if cv is None else [x, p, cv]
    out = _pad_shape(full, op_type, x, p, attrs, inputs)
    result = _out(make_op(graph, full, op_type, inputs, attrs, [(x._dtype, out)]))
    if x._shape is not None and (out is None or None in out):
        # TF's wrapper restores what a partly constant paddings list tells
        known = _paddings_constant(paddings)
        if known is not None:
            dims = [None if pr is None or d is None or None in pr
                    else d + sum(int(v) for v in pr if v is not None)
                    for pr, d in zip(known, x._shape)]
            result.set_shape(dims)
    return result


def _pad_shape(full: str, op_type: str, x: Tensor, p: Tensor, attrs: dict[str, Any],
               inputs: list[Tensor]) -> Dims:
    """TF's PadShapeFn: paddings a [rank, 2] matrix; known paddings non-negative."""
    text = attr_text(attrs)
    ps = p._shape
    if ps is not None and len(ps) != 2:
        raise node_error(f"Shape must be rank 2 but is rank {len(ps)}", full, op_type, text,
                         inputs)
    if ps is not None and ps[1] is not None and ps[1] != 2:
        raise node_error(f"Dimension must be 2 but is {ps[1]}", full, op_type, text, inputs)
    n = ps[0] if ps is not None else None
    dims = x._shape
    if n is not None and dims is not None and len(dims) != n:
        raise node_error(f"Shape must be rank {n} but is rank {len(dims)}", full, op_type,
                         text, inputs)
    if n is None and dims is not None:
        n = len(dims)
    pv = evaluate_constant(p)  # (TF's shape function sees small constant subgraphs)
    if pv is None:
        return None if n is None else (None,) * n
    pv = pv.reshape(-1, 2)
    if (pv < 0).any():
        shown = " ".join(str(int(v)) for v in pv.reshape(-1))
        raise node_error("Paddings must be non-negative", full, op_type, text, inputs,
                         f" and with computed input tensors: input[1] = <[{shown}]>")
    if dims is None:
        return (None,) * len(pv)
    return tuple(None if d is None else d + int(a) + int(b)
                 for d, (a, b) in zip(dims, pv.tolist()))


def _paddings_constant(paddings: Any) -> list[list[int | None] | None] | None:
    """TF's _get_paddings_constant: the paddings' known entries (None where unknown)."""
    if isinstance(paddings, Tensor):
        v = constant_value(paddings)
        return None if v is None else [[int(a), int(b)] for a, b in v.reshape(-1, 2)]
    if not isinstance(paddings, (list, tuple)):
        try:
            return [[int(a), int(b)] for a, b in np.asarray(paddings).reshape(-1, 2)]
        except (TypeError, ValueError):
            return None
    out: list[list[int | None] | None] = []
    for row in paddings:
        if isinstance(row, Tensor):
            v = constant_value(row)
            out.append(None if v is None else [int(e) for e in v.reshape(-1)])
            continue
        vals: list[int | None] = []
        for e in row:
            ev = constant_value(e) if isinstance(e, Tensor) else e
            vals.append(None if ev is None else int(ev))
        out.append(vals)
    return out


@register_kernel("Pad")
def _pad_kernel(op: Operation) -> Callable[..., Any]:
    return lambda x, p: np.pad(x, p.tolist())


@register_kernel("PadV2")
def _pad_v2_kernel(op: Operation) -> Callable[..., Any]:
    return lambda x, p, c: np.pad(x, p.tolist(), constant_values=c)


def _check_mirror(x: np.ndarray, p: np.ndarray, symmetric: bool) -> None:
    # TF's MirrorPadOp: each padding at most the dimension (SYMMETRIC) or below it (REFLECT)
    for d, (a, b) in zip(x.shape, p.reshape(-1, 2).tolist()):
        if symmetric and (a > d or b > d):
            raise InvalidArgumentError(None, None, "paddings must be no greater than the "
                                       f"dimension size: {a}, {b} greater than {d}")
        if not symmetric and (a >= d or b >= d):
            raise InvalidArgumentError(None, None, "paddings must be less than the dimension "
                                       f"size: {a}, {b} not less than {d}")


@register_kernel("MirrorPad")
def _mirror_pad_kernel(op: Operation) -> Callable[..., Any]:
    symmetric = op._attrs["mode"] == "SYMMETRIC"

    def mirror_pad(x: np.ndarray, p: np.ndarray) -> np.ndarray:
        _check_mirror(x, p, symmetric)
        return np.pad(x, p.tolist(), mode="symmetric" if symmetric else "reflect")

    return mirror_pad


@register_kernel("MirrorPadGrad")
def _mirror_pad_grad_kernel(op: Operation) -> Callable[..., Any]:
    symmetric = op._attrs["mode"] == "SYMMETRIC"

    def fold(g: np.ndarray, p: np.ndarray) -> np.ndarray:
        # each padded border's gradient is added onto the entries it mirrors, axis by axis
        out = g
        for axis, (a, b) in enumerate(p.reshape(-1, 2).tolist()):
            n = out.shape[axis] - a - b
            core = np.take(out, range(a, a + n), axis=axis).copy()
            shift = 0 if symmetric else 1
            for i in range(a):
                src = np.take(out, [i], axis=axis)
                dst = a - 1 - i + shift
                idx = [slice(None)] * out.ndim
                idx[axis] = slice(dst, dst + 1)
                core[tuple(idx)] += src
            for j in range(b):
                src = np.take(out, [a + n + j], axis=axis)
                dst = n - 1 - j - shift
                idx = [slice(None)] * out.ndim
                idx[axis] = slice(dst, dst + 1)
                core[tuple(idx)] += src
            out = core
        return np.asarray(out)

    return fold


def _pad_grad_slice(op: Operation, grad: Tensor) -> Tensor:
    x, p = op._inputs[0], op._inputs[1]
    pv = constant_value(p)
    if pv is not None and x._shape is not None and None not in x._shape:
        begin = pv.reshape(-1, 2)[:, 0].tolist()
        return _slice_op(grad, begin, list(x._shape))
    begin = reshape(builders.slice(p, [0, 0], [-1, 1]), [-1])
    return _slice_op(grad, begin, shape(x))


@RegisterGradient("Pad")
def _pad_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [_pad_grad_slice(op, grad), None]


@RegisterGradient("PadV2")
def _pad_v2_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [_pad_grad_slice(op, grad), None, None]


def _mirror_pad_grad_op(grad: Tensor, p: Tensor, mode: str) -> Tensor:
    graph = grad._op._graph
    full = graph._op_name(None, "MirrorPadGrad")
    out: Dims = None
    pv = constant_value(p)
    if grad._shape is not None and pv is not None:
        out = tuple(None if d is None else d - int(a) - int(b)
                    for d, (a, b) in zip(grad._shape, pv.reshape(-1, 2).tolist()))
    elif grad._shape is not None:
        out = (None,) * len(grad._shape)
    return _out(make_op(graph, full, "MirrorPadGrad", [grad, p],
                        {"T": grad._dtype, "Tpaddings": p._dtype, "mode": mode},
                        [(grad._dtype, out)]))


@RegisterGradient("MirrorPad")
def _mirror_pad_grad(op: Operation, grad: Tensor) -> list[Any]:
    """TF's _MirrorPadGrad: one MirrorPadGrad."""
    return [_mirror_pad_grad_op(grad, op._inputs[1], op._attrs["mode"]), None]


@RegisterGradient("MirrorPadGrad")
def _mirror_pad_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    """TF's _MirrorPadGradGrad: the second derivative mirrors the gradient again."""
    return [pad(grad, op._inputs[1], mode=op._attrs["mode"]), None]


builders.register(globals(), __all__)
