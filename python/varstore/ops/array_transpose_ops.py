"""``tf.transpose``: ops Transpose and ConjugateTranspose, with TF's shape function, the
kernel's perm checks and the gradients (array_ops re-exports ``transpose``, where TF keeps
it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant_value, convert_index, convert_to_tensor
from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
from varstore.framework.ops import (
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

__all__ = ["transpose"]

Dims = tuple[int | None, ...] | None


def _out(op: Operation) -> Tensor:
    return op._outputs[0]


def transpose(a: Any, perm: Any = None, name: str = "transpose", conjugate: bool = False
              ) -> Tensor:
    """``tf.transpose``: op ``transpose`` of type ``Transpose`` (``ConjugateTranspose`` for a
    complex tensor with ``conjugate``); axes reversed by default (``Range(Rank - 1, -1, -1)``
    when the rank is unknown)."""
    graph = check_same_graph(a, perm)
    full = graph._op_name(name, "transpose")
    with scope_of(graph, full):
        x = first_input(a, "a")
        op_type = "ConjugateTranspose" if conjugate and x._dtype.is_complex else "Transpose"
        if perm is None:
            if x._shape is None:
                p = builders.range(builders.rank(x) - 1, -1, -1)
            else:
                p = convert_to_tensor(np.arange(len(x._shape) - 1, -1, -1, dtype=np.int32),
                                      name="perm")
        else:
            p = convert_index(perm, name="perm")
    check_allowed(p._dtype, "int32, int64", "perm")
    text = f"T={dt_enum(x._dtype)}, Tperm={dt_enum(p._dtype)}"
    dims = x._shape
    # TF's TransposeShapeFn: perm a vector of the input's rank, each entry in [-rank, rank)
    if p._shape is not None and len(p._shape) != 1:
        raise node_error(f"Shape must be rank 1 but is rank {len(p._shape)}", full, op_type,
                         text, [x, p])
    n = p._shape[0] if p._shape is not None else None
    if dims is not None and n is not None and n != len(dims):
        raise node_error(f"Dimension must be {len(dims)} but is {n}", full, op_type, text,
                         [x, p])
    pv = constant_value(p)
    out: Dims = None
    if pv is not None:
        axes = [int(v) for v in pv.reshape(-1)]
        if dims is not None:
            r = len(dims)
            for v in axes:
                if not -r <= v < r:
                    raise node_error(f"perm dim {v} is out of range of input rank {r}", full,
                                     op_type, text, [x, p], " and with computed input tensors: "
                                     f"input[1] = <{' '.join(str(v) for v in axes)}>")
            out = tuple(dims[v % r] for v in axes)
        else:
            out = (None,) * len(axes)
    elif dims is not None:
        out = (None,) * len(dims)
    elif n is not None:
        out = (None,) * n
    return _out(make_op(graph, full, op_type, [x, p], {"T": x._dtype, "Tperm": p._dtype},
                        [(x._dtype, out)]))


def _checked_perm(x: np.ndarray, p: np.ndarray) -> list[int]:
    """TF's TransposeOp checks on the fed perm: a vector of the input's rank, negative entries
    wrapped, each in range, none twice."""
    if p.ndim != 1:
        raise InvalidArgumentError(None, None, "perm must be rank 1, got shape "
                                   f"[{','.join(str(d) for d in p.shape)}]")
    r = x.ndim
    if p.size != r:
        raise InvalidArgumentError(None, None, f"transpose expects a vector of size {r}. But "
                                   f"input(1) is a vector of size {p.size}")
    axes = [int(v) + r if int(v) < 0 else int(v) for v in p.tolist()]
    for v in axes:
        if not 0 <= v < r:
            raise InvalidArgumentError(None, None, f"{v} is out of range [0 .. {r})")
    missing = sorted(set(range(r)) - set(axes))
    if missing:
        raise InvalidArgumentError(None, None, f"{missing[0]} is missing from "
                                   f"{{{','.join(str(v) for v in axes)}}}.")
    return axes


@register_kernel("Transpose")
def _transpose_kernel(op: Operation) -> Callable[[Any, Any], Any]:
    # (np.ascontiguousarray would make a scalar a vector)
    return lambda x, p: np.require(np.transpose(x, _checked_perm(x, p)), requirements="C")


@register_kernel("ConjugateTranspose")
def _conjugate_transpose_kernel(op: Operation) -> Callable[[Any, Any], Any]:
    return lambda x, p: np.require(np.conj(np.transpose(x, _checked_perm(x, p))),
                                   requirements="C")


@RegisterGradient("ConjugateTranspose")
def _conjugate_transpose_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [transpose(grad, builders.invert_permutation(op._inputs[1]), conjugate=True), None]


@RegisterGradient("Transpose")
def _transpose_grad(op: Operation, grad: Tensor) -> list[Any]:
    pv = constant_value(op._inputs[1])
    if pv is not None:
        inv = np.argsort(pv.reshape(-1)).astype(np.int32)
        return [transpose(grad, inv.tolist()), None]
    return [transpose(grad, builders.invert_permutation(op._inputs[1])), None]
