"""MirrorPad's kernel and gradient, and MirrorPadGrad (the op that gradient makes): the
padded gradient folded back onto the input, reflected parts summed in, as TF's kernel.
``tf.pad`` (array_transform_ops) builds MirrorPad nodes; MirrorPadGrad's gradient is a
MirrorPad of the same paddings, as TF's _MirrorPadGradGrad."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.framework.constant_op import convert_to_tensor, evaluate_constant
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.ops.array_slicing_ops import _out
from varstore.ops.array_transform_ops import pad

__all__ = ["mirror_pad_grad"]


def mirror_pad_grad(input: Any, paddings: Any, mode: str,
                    name: str | None = None) -> Tensor:
    """Op ``MirrorPadGrad``: the gradient of MirrorPad(x, paddings, mode) w.r.t. x."""
    x = convert_to_tensor(input, name="input")
    graph = x._op._graph
    full = graph._op_name(name, "MirrorPadGrad")
    with scope_of(graph, full):
        p = convert_to_tensor(paddings, name="paddings")
    pv = evaluate_constant(p)
    out: tuple[int | None, ...] | None = None
    if x._shape is not None:
        if pv is None:
            out = (None,) * len(x._shape)
        else:
            out = tuple(None if d is None else d - int(a) - int(b)
                        for d, (a, b) in zip(x._shape, pv.reshape(-1, 2).tolist()))
    return _out(make_op(graph, full, "MirrorPadGrad", [x, p],
                        {"T": x._dtype, "Tpaddings": p._dtype, "mode": mode},
                        [(x._dtype, out)]))


@register_kernel("MirrorPad")
def _mirror_pad_kernel(op: Operation) -> Callable[..., Any]:
    mode = "reflect" if op._attrs["mode"] == "REFLECT" else "symmetric"
    return lambda x, p: np.pad(x, p.tolist(), mode=mode)  # type: ignore[call-overload]


@register_kernel("MirrorPadGrad")
def _mirror_pad_grad_kernel(op: Operation) -> Callable[..., Any]:
    offset = 1 if op._attrs["mode"] == "REFLECT" else 0  # REFLECT skips the edge itself

    def fold(g: np.ndarray, p: np.ndarray) -> np.ndarray:
        for d, (before, after) in enumerate(p.reshape(-1, 2).tolist()):
            moved = np.moveaxis(g, d, 0)
            n = moved.shape[0] - before - after
            core = moved[before:before + n].copy()
            # padded row i < before mirrors input row before - i - 1 + offset; padded row
            # before + n + j mirrors input row n - 1 - j - offset
            np.add.at(core, [before - i - 1 + offset for i in range(before)],
                      moved[:before])
            np.add.at(core, [n - 1 - j - offset for j in range(after)],
                      moved[before + n:])
            g = np.moveaxis(core, 0, d)
        return np.ascontiguousarray(g)

    return fold


@RegisterGradient("MirrorPad")
def _mirror_pad_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [mirror_pad_grad(grad, op._inputs[1], mode=op._attrs["mode"]), None]


@RegisterGradient("MirrorPadGrad")
def _mirror_pad_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [pad(grad, op._inputs[1], mode=op._attrs["mode"]), None]
