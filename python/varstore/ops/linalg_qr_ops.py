"""The QR decomposition (TF's linalg_ops.qr): op ``Qr`` with TF's dtype list, shapes and
gradient (linalg_grad._QrGrad), and the orthogonal initializer's need for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.ops.array_stack_ops import concat
from varstore.ops.linalg_diag_ops import matrix_band_part
from varstore.ops.linalg_ops import adjoint, matrix_triangular_solve
from varstore.ops.math_matmul_ops import matmul
from varstore.ops.math_ops import add, subtract

__all__ = ["qr"]

_QR_TYPES = "float64, float32, float16, complex64, complex128"


def qr(input: Any, full_matrices: bool = False, name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.linalg.qr``: op ``Qr`` -> (q, r); reduced (P = min(M, N)) unless full_matrices."""
    graph = check_same_graph(input)
    full = graph._op_name(name, "Qr")
    with scope_of(graph, full):
        x = first_input(input, "input")
    check_allowed(x._dtype, _QR_TYPES, "input")
    s = x._shape
    q_shape: tuple[int | None, ...] | None = None
    r_shape: tuple[int | None, ...] | None = None
    if s is not None:
        if len(s) < 2:
            raise node_error(f"Shape must be at least rank 2 but is rank {len(s)}", full, "Qr",
                             f"T={dt_enum(x._dtype)}, full_matrices={str(full_matrices).lower()}",
                             [x])
        m, n = s[-2], s[-1]
        p = m if full_matrices else (None if m is None or n is None else min(m, n))
        q_shape = (*s[:-2], m, p)
        r_shape = (*s[:-2], p, n)
    op = make_op(graph, full, "Qr", [x], {"T": x._dtype, "full_matrices": bool(full_matrices)},
                 [(x._dtype, q_shape), (x._dtype, r_shape)])
    return op._outputs[0], op._outputs[1]


@register_kernel("Qr")
def _qr_kernel(op: Operation) -> Callable[..., Any]:
    complete = bool(op._attrs["full_matrices"])

    def kernel(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        work = x.astype(np.float32) if x.dtype == np.float16 else x
        q, r = np.linalg.qr(work, mode="complete") if complete else np.linalg.qr(work)
        return q.astype(x.dtype), r.astype(x.dtype)

    return kernel


def _triangular_solve(x: Tensor, r: Tensor) -> Tensor:
    """x r^-1, as TF: adjoint(triangular_solve(r, adjoint(x), lower=False))."""
    return adjoint(matrix_triangular_solve(r, adjoint(x), lower=False, adjoint=False))


def _square_and_deep(q: Tensor, r: Tensor, dq: Tensor, dr: Tensor) -> Tensor:
    qdq = matmul(q, dq, adjoint_a=True)
    qdq_ = subtract(qdq, adjoint(qdq))
    rdr = matmul(r, dr, adjoint_b=True)
    rdr_ = subtract(rdr, adjoint(rdr))
    tril = matrix_band_part(add(qdq_, rdr_), -1, 0)
    grad_a = matmul(q, add(dr, _triangular_solve(tril, r)))
    grad_b = _triangular_solve(subtract(dq, matmul(q, qdq)), r)
    return add(grad_a, grad_b)


@RegisterGradient("Qr")
def _qr_grad(op: Operation, dq: Tensor, dr: Tensor) -> Tensor:
    """linalg_grad._QrGrad: static shapes only, and not the full_matrices deep case, as TF."""
    q, r = op._outputs
    qs, rs = q._shape, r._shape
    if rs is None or rs[-2] is None or rs[-1] is None:
        raise NotImplementedError("QrGrad not implemented with dynamic shapes. Received "
                                  f"r.shape: {rs}")
    assert qs is not None
    if rs[-2] > rs[-1] and qs[-2] == qs[-1]:
        raise NotImplementedError("QrGrad not implemented when nrows > ncols and "
                                  "full_matrices is true. Received r.shape="
                                  f"{rs} with nrows={rs[-2]}and ncols={rs[-1]}.")
    num_rows, num_cols = qs[-2], rs[-1]
    assert num_rows is not None
    if num_rows >= num_cols:
        return _square_and_deep(q, r, dq, dr)
    # Wide: a = [x, y], r = [u, v]; reduce to the square case (TF's partition).
    a = op._inputs[0]
    y = a[..., :, num_rows:]
    u = r[..., :, :num_rows]
    dv = dr[..., :, num_rows:]
    du = dr[..., :, :num_rows]
    dy = matmul(q, dv)
    dx = _square_and_deep(q, u, add(dq, matmul(y, dv, adjoint_b=True)), du)
    out: Tensor = concat([dx, dy], axis=-1)
    return out
