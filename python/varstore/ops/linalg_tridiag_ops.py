"""Tridiagonal systems (TF's linalg_impl / gen_linalg_ops): ops ``TridiagonalSolve`` (partial
pivoting, the Thomas algorithm, or LAPACK-style perturbed pivots) and ``TridiagonalMatMul``,
their composites tf.linalg.tridiagonal_solve / tridiagonal_matmul in the compact, sequence and
matrix formats, NumPy kernels ported from TF's CPU kernels, and the gradients of
linalg_grad.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.op_def_library import (
    check_allowed,
    check_same_graph,
    first_input,
    typed_input,
)
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
from varstore.ops.array_ops import attr_text, expand_dims, squeeze
from varstore.ops.linalg_diag_ops import matrix_diag_part
from varstore.ops.linalg_ops import matrix_transpose
from varstore.ops.linalg_solve_ops import check_inputs, merge_batch, merge_dim, rank_at_least

__all__ = ["tridiagonal_matmul", "tridiagonal_solve"]

_TRIDIAG_TYPES = "float64, float32, complex64, complex128"


def _int_const(value: list[list[int]]) -> Tensor:
    """array_ops.constant of a small int32 table (a ``Const``)."""
    return convert_to_tensor(np.array(value, np.int32))


# -- TridiagonalSolve ---------------------------------------------------------------------------
def gen_tridiagonal_solve(diagonals: Any, rhs: Any, partial_pivoting: bool = True,
                          perturb_singular: bool = False, name: str | None = None) -> Tensor:
    """Op ``TridiagonalSolve`` (linalg_ops.tridiagonal_solve): diagonals [..., 3, M] (super,
    main, sub), rhs [..., M, K]."""
    graph = check_same_graph(diagonals, rhs)
    full = graph._op_name(name, "TridiagonalSolve")
    with scope_of(graph, full):
        d = first_input(diagonals, "diagonals")
        b = typed_input(rhs, d._dtype, "TridiagonalSolve", "rhs", "diagonals")
    check_allowed(d._dtype, _TRIDIAG_TYPES, "diagonals")
    attrs = {"T": d._dtype, "partial_pivoting": bool(partial_pivoting),
             "perturb_singular": bool(perturb_singular)}
    ins = [d, b]
    rank_at_least(full, "TridiagonalSolve", attrs, ins, d, 2)
    rank_at_least(full, "TridiagonalSolve", attrs, ins, b, 2)
    ds, bs = d._shape, b._shape
    if ds is not None and bs is not None:
        merge_batch(full, "TridiagonalSolve", attrs, ins, ds[:-2], bs[:-2])
        merge_dim(full, "TridiagonalSolve", attrs, ins, ds[-1], bs[-2])
    if ds is not None and ds[-2] is not None and ds[-2] != 3:
        raise node_error(f"Dimension must be 3 but is {ds[-2]}", full, "TridiagonalSolve",
                         attr_text(attrs), ins)
    return make_op(graph, full, "TridiagonalSolve", ins, attrs, [(d._dtype, bs)])._outputs[0]


def _solve_pivoting(sup: np.ndarray, dia: np.ndarray, sub: np.ndarray,
                    rhs: np.ndarray) -> np.ndarray:
    """Gaussian elimination with partial pivoting (TF's port of LAPACK's dgtsv)."""
    n = dia.shape[0]
    u = np.zeros((n, 3), rhs.dtype)
    x = np.array(rhs)
    u[0, 0], u[0, 1] = dia[0], sup[0]
    for i in range(n - 1):
        if abs(u[i, 0]) >= abs(sub[i + 1]):
            if u[i, 0] == 0:  # TF logs "The matrix is not invertible." and returns NaN
                return np.full_like(x, np.nan)
            factor = sub[i + 1] / u[i, 0]
            u[i + 1, 0] = dia[i + 1] - factor * u[i, 1]
            x[i + 1] = rhs[i + 1] - factor * x[i]
            if i != n - 2:
                u[i + 1, 1] = sup[i + 1]
                u[i, 2] = 0
        else:  # interchange rows i and i + 1
            factor = u[i, 0] / sub[i + 1]
            u[i, 0] = sub[i + 1]
            u[i + 1, 0] = u[i, 1] - factor * dia[i + 1]
            u[i, 1] = dia[i + 1]
            x[i + 1] = x[i] - factor * rhs[i + 1]
            x[i] = rhs[i + 1]
            if i != n - 2:
                u[i, 2] = sup[i + 1]
                u[i + 1, 1] = -factor * sup[i + 1]
    if u[n - 1, 0] == 0:
        return np.full_like(x, np.nan)
    x[n - 1] /= u[n - 1, 0]
    x[n - 2] = (x[n - 2] - u[n - 2, 1] * x[n - 1]) / u[n - 2, 0]
    for i in range(n - 3, -1, -1):
        x[i] = (x[i] - u[i, 1] * x[i + 1] - u[i, 2] * x[i + 2]) / u[i, 0]
    return x


def _solve_thomas(sup: np.ndarray, dia: np.ndarray, sub: np.ndarray,
                  rhs: np.ndarray) -> np.ndarray:
    """The Thomas algorithm (no pivoting): NaN where a pivot is zero, as TF's kernel."""
    n = dia.shape[0]
    u = np.zeros(n, rhs.dtype)
    x = np.array(rhs)
    if dia[0] == 0:
        return np.full_like(x, np.nan)
    u[0] = sup[0] / dia[0]
    x[0] = rhs[0] / dia[0]
    for i in range(1, n):
        denom = dia[i] - sub[i] * u[i - 1]
        if denom == 0:
            return np.full_like(x, np.nan)
        u[i] = sup[i] / denom
        x[i] = (rhs[i] - sub[i] * x[i - 1]) / denom
    for i in range(n - 2, -1, -1):
        x[i] -= u[i] * x[i + 1]
    return x


def _perturb_pivot(perturb: float, pivot: float, row: np.ndarray) -> tuple[float, np.ndarray]:
    """TF's MaybePerturbPivot (LAPACK xLAGTS): keep rhs / pivot and 1 / pivot finite."""
    finfo = np.finfo(row.dtype)
    tiny, small = float(finfo.tiny), 1.0 / float(finfo.max)
    safemin = tiny if small < tiny else (1.0 + float(finfo.eps)) * small
    bignum = 1.0 / safemin
    abs_pivot = abs(pivot)
    if abs_pivot >= 1:
        return pivot, row
    perturb = np.copysign(max(abs(perturb), safemin), pivot)
    max_factor = float(np.max(np.abs(row))) if row.size else 0.0
    while abs_pivot < 1:
        if abs_pivot < safemin:
            if abs_pivot == 0 or max_factor * safemin > abs_pivot:
                pivot += perturb
                perturb *= 2
            else:
                pivot *= bignum
                row = row * bignum
                break
        elif max_factor > abs_pivot * bignum:
            pivot += perturb
            perturb *= 2
        else:
            break
        abs_pivot = abs(pivot)
    return pivot, row


def _solve_perturbed(sup: np.ndarray, dia: np.ndarray, sub: np.ndarray,
                     rhs: np.ndarray) -> np.ndarray:
    """Pivoted LU that perturbs tiny pivots instead of failing (TF's perturb_singular)."""
    n = dia.shape[0]
    eps = float(np.finfo(rhs.dtype).eps)
    x = np.array(rhs)
    if n == 1:
        denom, row = _perturb_pivot(eps * abs(dia[0]), float(dia[0]), x[0])
        return (row * (1 / denom))[None]
    u = np.zeros((n, 3), np.float64)
    u[0, 0], u[0, 1] = dia[0], sup[0]
    max_abs_u = max(abs(u[0, 0]), abs(u[0, 1]))
    scale1 = abs(u[0, 0]) + abs(u[0, 1])
    for k in range(n - 1):
        u[k + 1, 0] = dia[k + 1]
        scale2 = abs(sub[k + 1]) + abs(u[k + 1, 0])
        if k < n - 2:
            scale2 += abs(sup[k + 1])
        if sub[k + 1] == 0:
            scale1 = scale2
            u[k + 1, 1] = sup[k + 1]
            u[k, 2] = 0
            x[k + 1] = rhs[k + 1]
        else:
            piv1 = 0.0 if u[k, 0] == 0 else abs(u[k, 0]) / scale1
            piv2 = abs(sub[k + 1]) / scale2
            if piv2 <= piv1:
                scale1 = scale2
                factor = sub[k + 1] / u[k, 0]
                u[k + 1, 0] = dia[k + 1] - factor * u[k, 1]
                u[k + 1, 1] = sup[k + 1]
                u[k, 2] = 0
                x[k + 1] = rhs[k + 1] - factor * x[k]
            else:
                factor = u[k, 0] / sub[k + 1]
                u[k, 0] = sub[k + 1]
                u[k + 1, 0] = u[k, 1] - factor * dia[k + 1]
                u[k, 1] = dia[k + 1]
                if k < n - 2:
                    u[k, 2] = sup[k + 1]
                    u[k + 1, 1] = -factor * sup[k + 1]
                x[k + 1] = x[k] - factor * rhs[k + 1]
                x[k] = rhs[k + 1]
        if k < n - 2:
            max_abs_u = max(max_abs_u, *np.abs(u[k]))
    max_abs_u = max(max_abs_u, abs(u[n - 1, 0]))
    tol = eps * max_abs_u
    denom, row = _perturb_pivot(tol, float(u[n - 1, 0]), x[n - 1])
    x[n - 1] = row * (1 / denom)
    denom = float(u[n - 2, 0])
    row = x[n - 2] - u[n - 2, 1] * x[n - 1]
    denom, row = _perturb_pivot(np.copysign(tol, denom), denom, row)
    x[n - 2] = row * (1 / denom)
    for k in range(n - 3, -1, -1):
        row = x[k] - u[k, 1] * x[k + 1] - u[k, 2] * x[k + 2]
        denom, row = _perturb_pivot(np.copysign(tol, float(u[k, 0])), float(u[k, 0]), row)
        x[k] = row * (1 / denom)
    return x


@register_kernel("TridiagonalSolve")
def _tridiagonal_solve_kernel(op: Operation) -> Callable[..., Any]:
    pivoting = bool(op._attrs["partial_pivoting"])
    perturb = bool(op._attrs["perturb_singular"])
    if perturb and not pivoting:
        raise ValueError("Setting perturb_singular requires also setting partial_pivoting.")

    def one(d: np.ndarray, b: np.ndarray) -> np.ndarray:
        sup, dia, sub = d[0], d[1], d[2]
        n = dia.shape[0]
        if n == 0:
            return np.array(b)
        if pivoting and perturb:
            return _solve_perturbed(sup, dia, sub, b)
        if n == 1:  # TF logs "The matrix is not invertible: it is a scalar with value zero."
            return np.full_like(b, np.nan) if dia[0] == 0 else b / dia[0]
        return (_solve_pivoting if pivoting else _solve_thomas)(sup, dia, sub, b)

    def kernel(d: np.ndarray, b: np.ndarray) -> np.ndarray:
        check_inputs([d, b])
        if d.shape[-2] != 3:
            raise ValueError(f"Expected diagonals to be provided as a matrix with 3 rows, got "
                             f"{d.shape[-2]} rows.")
        if d.shape[-1] != b.shape[-2]:
            raise ValueError(f"Expected the same number of left-hand sides and right-hand "
                             f"sides, got {d.shape[-1]} and {b.shape[-2]}.")
        count = int(np.prod(d.shape[:-2]))
        fd = d.reshape((count, *d.shape[-2:]))
        fb = b.reshape((count, *b.shape[-2:]))
        out = np.empty(fb.shape, b.dtype)
        for i in range(count):
            out[i] = one(fd[i], fb[i])
        return out.reshape(b.shape)

    return kernel


def _transpose_tridiagonal(diags: Tensor) -> Tensor:
    """linalg_grad._TransposeTridiagonalMatrix: the diagonals of the transposed matrix."""
    diag = diags[..., 1, :]
    s = diags._shape
    if s is not None and None not in s:
        zeros = builders.zeros([*s[:-2], 1], dtype=diags._dtype)
        superdiag = builders.concat((diags[..., 2, 1:], zeros), axis=-1)
        subdiag = builders.concat((zeros, diags[..., 0, :-1]), axis=-1)
    else:
        rank = builders.rank(diags)
        zeros = builders.zeros(builders.stack([rank - 2, 2]), dtype=_dtypes.int32)
        superdiag_pad = builders.concat((zeros, _int_const([[0, 1]])), axis=0)
        superdiag = builders.pad(diags[..., 2, 1:], superdiag_pad)
        subdiag_pad = builders.concat((zeros, _int_const([[1, 0]])), axis=0)
        subdiag = builders.pad(diags[..., 0, :-1], subdiag_pad)
    return builders.stack([superdiag, diag, subdiag], axis=-2)  # type: ignore[no-any-return]


def _matmul_three_diagonals(x: Tensor, y_tr: Tensor) -> Tensor:
    """linalg_grad._MatmulExtractingThreeDiagonals: the three diagonals of x @ y_tr^T in
    O(MK)."""
    diag = builders.reduce_sum(x * y_tr, axis=-1)
    s = y_tr._shape
    if s is not None and None not in s:
        xs = x._shape
        assert xs is not None
        zeros = builders.zeros([*xs[:-2], 1, xs[-1]], dtype=x._dtype)
        superdiag = builders.reduce_sum(
            x * builders.concat((y_tr[..., 1:, :], zeros), axis=-2), axis=-1)
        subdiag = builders.reduce_sum(
            x * builders.concat((zeros, y_tr[..., :-1, :]), axis=-2), axis=-1)
    else:
        rank = builders.rank(y_tr)
        zeros = builders.zeros(builders.stack([rank - 2, 2]), dtype=_dtypes.int32)
        superdiag_pad = builders.concat((zeros, _int_const([[0, 1], [0, 0]])), axis=0)
        superdiag = builders.reduce_sum(x * builders.pad(y_tr[..., 1:, :], superdiag_pad),
                                        axis=-1)
        subdiag_pad = builders.concat((zeros, _int_const([[1, 0], [0, 0]])), axis=0)
        subdiag = builders.reduce_sum(x * builders.pad(y_tr[..., :-1, :], subdiag_pad),
                                      axis=-1)
    return builders.stack([superdiag, diag, subdiag], axis=-2)  # type: ignore[no-any-return]


@RegisterGradient("TridiagonalSolve")
def _tridiagonal_solve_grad(op: Operation, grad: Tensor) -> list[Any]:
    """linalg_grad._TridiagonalSolveGrad: solve with the transposed matrix (built here, as TF
    does for its GPU kernels' sake), then the three diagonals of -grad_rhs x^T."""
    diags = op._inputs[0]
    x = op._outputs[0]
    diags_transposed = _transpose_tridiagonal(diags)
    grad_rhs = gen_tridiagonal_solve(diags_transposed, grad,
                                     partial_pivoting=op._attrs["partial_pivoting"],
                                     perturb_singular=op._attrs["perturb_singular"])
    grad_diags = -_matmul_three_diagonals(grad_rhs, x)
    return [grad_diags, grad_rhs]


def _tridiagonal_solve_compact(diagonals: Tensor, rhs: Tensor, transpose_rhs: bool,
                               conjugate_rhs: bool, partial_pivoting: bool,
                               perturb_singular: bool, name: str | None) -> Tensor:
    ds, rs = diagonals._shape, rhs._shape
    diags_rank = None if ds is None else len(ds)
    rhs_rank = None if rs is None else len(rs)
    if diags_rank:
        assert ds is not None
        if diags_rank < 2:
            raise ValueError(f"Expected diagonals to have rank at least 2, got {diags_rank}")
        if rhs_rank and rhs_rank != diags_rank and rhs_rank != diags_rank - 1:
            raise ValueError(f"Expected the rank of rhs to be {diags_rank - 1} or "
                             f"{diags_rank}, got {rhs_rank}")
        if rhs_rank and rs is not None:
            a, b = ds[:-2], rs[:diags_rank - 2]
            if len(a) != len(b) or any(x is not None and y is not None and x != y
                                       for x, y in zip(a, b)):
                raise ValueError(f"Batch shapes {_shape_text(a)} and {_shape_text(b)} are "
                                 f"incompatible")
    if ds is not None and ds[-2] and ds[-2] != 3:
        raise ValueError(f"Expected 3 diagonals got {ds[-2]}")

    def check_num_lhs_matches_num_rhs(r: Tensor) -> None:
        m_lhs = None if ds is None else ds[-1]
        m_rhs = None if r._shape is None else r._shape[-2]
        if m_lhs and m_rhs and m_lhs != m_rhs:
            raise ValueError(f"Expected number of left-hand sided and right-hand sides to be "
                             f"equal, got {m_lhs} and {m_rhs}")

    if rhs_rank and diags_rank and rhs_rank == diags_rank - 1:
        # conjugating a real rhs is the identity (math_ops.conj makes no op)
        rhs = expand_dims(rhs, -1)
        check_num_lhs_matches_num_rhs(rhs)
        return squeeze(gen_tridiagonal_solve(diagonals, rhs, partial_pivoting,
                                             perturb_singular, name), -1)
    if transpose_rhs:
        rhs = matrix_transpose(rhs, conjugate=conjugate_rhs)
    check_num_lhs_matches_num_rhs(rhs)
    return gen_tridiagonal_solve(diagonals, rhs, partial_pivoting, perturb_singular, name)


def _shape_text(dims: tuple[int | None, ...]) -> str:
    """TensorShape's repr, as TF's messages print a shape: (2,) or (None, 3)."""
    return str(tuple(dims))


def tridiagonal_solve(diagonals: Any, rhs: Any, diagonals_format: str = "compact",
                      transpose_rhs: bool = False, conjugate_rhs: bool = False,
                      name: str | None = None, partial_pivoting: bool = True,
                      perturb_singular: bool = False) -> Tensor:
    """``tf.linalg.tridiagonal_solve``: X with T X = rhs for the tridiagonal T given as
    [..., 3, M] (compact: super, main and sub diagonal), (super, main, sub) (sequence) or
    [..., M, M] (matrix: only its three diagonals are read); rhs [..., M] or [..., M, K]."""
    if perturb_singular and not partial_pivoting:
        raise ValueError("partial_pivoting must be True if perturb_singular is.")
    if diagonals_format == "compact":
        return _tridiagonal_solve_compact(convert_to_tensor(diagonals),
                                          convert_to_tensor(rhs), transpose_rhs,
                                          conjugate_rhs, partial_pivoting, perturb_singular,
                                          name)
    if diagonals_format == "sequence":
        if not isinstance(diagonals, (tuple, list)) or len(diagonals) != 3:
            raise ValueError("Expected diagonals to be a sequence of length 3.")
        superdiag, maindiag, subdiag = (convert_to_tensor(d) for d in diagonals)
        if (not _compatible(subdiag, maindiag) or not _compatible(superdiag, maindiag)):
            raise ValueError(
                "Tensors representing the three diagonals must have the same shape,except "
                f"for the last dimension, got {subdiag.shape}, {maindiag.shape}, "
                f"{superdiag.shape}")
        m = None if maindiag._shape is None else maindiag._shape[-1]

        def pad_if_necessary(t: Tensor, what: str, last_dim_padding: list[int]) -> Tensor:
            n = None if t._shape is None else t._shape[-1]
            if not n or n == m:
                return t
            if m is not None and n == m - 1:
                assert t._shape is not None
                paddings = [[0, 0] for _ in range(len(t._shape) - 1)] + [last_dim_padding]
                return builders.pad(t, paddings)  # type: ignore[no-any-return]
            raise ValueError(f"Expected {what} to be have length {m} or "
                             f"{None if m is None else m - 1}, got {n}.")

        subdiag = pad_if_necessary(subdiag, "subdiagonal", [1, 0])
        superdiag = pad_if_necessary(superdiag, "superdiagonal", [0, 1])
        stacked = builders.stack((superdiag, maindiag, subdiag), axis=-2)
        return _tridiagonal_solve_compact(stacked, convert_to_tensor(rhs), transpose_rhs,
                                          conjugate_rhs, partial_pivoting, perturb_singular,
                                          name)
    if diagonals_format == "matrix":
        d = convert_to_tensor(diagonals)
        _check_square(d)
        compact = matrix_diag_part(d, k=(-1, 1), padding_value=0.0, align="LEFT_RIGHT")
        return _tridiagonal_solve_compact(compact, convert_to_tensor(rhs), transpose_rhs,
                                          conjugate_rhs, partial_pivoting, perturb_singular,
                                          name)
    raise ValueError(f"Unrecognized diagonals_format: {diagonals_format}")


def _compatible(a: Tensor, b: Tensor) -> bool:
    """TensorShape.is_compatible_with of the two shapes without their last dimension."""
    if a._shape is None or b._shape is None:
        return True
    x, y = a._shape[:-1], b._shape[:-1]
    return len(x) == len(y) and all(p is None or q is None or p == q for p, q in zip(x, y))


def _check_square(d: Tensor) -> None:
    m1 = None if d._shape is None else d._shape[-1]
    m2 = None if d._shape is None else d._shape[-2]
    if m1 and m2 and m1 != m2:
        raise ValueError(f"Expected last two dimensions of diagonals to be same, got {m1} "
                         f"and {m2}")


# -- TridiagonalMatMul --------------------------------------------------------------------------
def gen_tridiagonal_mat_mul(superdiag: Any, maindiag: Any, subdiag: Any, rhs: Any,
                            name: str | None = None) -> Tensor:
    """Op ``TridiagonalMatMul``: the three diagonals as [..., 1, M] each, rhs [..., M, N]."""
    graph = check_same_graph(superdiag, maindiag, subdiag, rhs)
    full = graph._op_name(name, "TridiagonalMatMul")
    with scope_of(graph, full):
        sup = first_input(superdiag, "superdiag")
        dia = typed_input(maindiag, sup._dtype, "TridiagonalMatMul", "maindiag", "superdiag")
        sub = typed_input(subdiag, sup._dtype, "TridiagonalMatMul", "subdiag", "superdiag")
        b = typed_input(rhs, sup._dtype, "TridiagonalMatMul", "rhs", "superdiag")
    check_allowed(sup._dtype, _TRIDIAG_TYPES, "superdiag")
    attrs = {"T": sup._dtype}
    ins = [sup, dia, sub, b]
    for t in ins:
        rank_at_least(full, "TridiagonalMatMul", attrs, ins, t, 2)
    main = merge_batch(full, "TridiagonalMatMul", attrs, ins, sup._shape, dia._shape)
    if dia._shape is not None and b._shape is not None:
        merge_batch(full, "TridiagonalMatMul", attrs, ins, dia._shape[:-2], b._shape[:-2])
    main = merge_batch(full, "TridiagonalMatMul", attrs, ins, sup._shape, dia._shape)
    main = merge_batch(full, "TridiagonalMatMul", attrs, ins, sub._shape, main)
    if main is not None and b._shape is not None:
        merge_dim(full, "TridiagonalMatMul", attrs, ins, main[-1], b._shape[-2])
    if main is not None and main[-2] is not None and main[-2] != 1:
        raise node_error(f"Dimension must be 1 but is {main[-2]}", full, "TridiagonalMatMul",
                         attr_text(attrs), ins)
    return make_op(graph, full, "TridiagonalMatMul", ins, attrs,
                   [(sup._dtype, b._shape)])._outputs[0]


@register_kernel("TridiagonalMatMul")
def _tridiagonal_matmul_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(sup: np.ndarray, dia: np.ndarray, sub: np.ndarray, b: np.ndarray) -> np.ndarray:
        check_inputs([sup, dia, sub, b])
        n = b.shape[-2]
        for d, what in ((sup, "superdiagonal"), (dia, "main diagonal"), (sub, "subdiagonal")):
            if d.shape[-2:] != (1, n):
                raise ValueError(f"Invalid {what} shape.")
        out: np.ndarray = dia[..., 0, :, None] * b
        # row i gets sub[i] * rhs[i - 1] and super[i] * rhs[i + 1]: sub[0], super[-1] unused
        out[..., 1:, :] += sub[..., 0, 1:, None] * b[..., :-1, :]
        out[..., :-1, :] += sup[..., 0, :-1, None] * b[..., 1:, :]
        return out
    return kernel


def _shift_pad(x: Tensor, pad: list[list[int]], left: bool) -> Tensor:
    """linalg_grad._LeftShift / _RightShift: the next-to-last dim shifted, zero filled."""
    rank = builders.rank(x)
    zeros = builders.zeros(builders.stack([rank - 2, 2]), dtype=_dtypes.int32)
    paddings = builders.concat([zeros, _int_const(pad)], axis=0)
    return builders.pad(x[..., 1:, :] if left else x[..., :-1, :],  # type: ignore[no-any-return]
                        paddings)


def _left_shift(x: Tensor) -> Tensor:
    return _shift_pad(x, [[0, 1], [0, 0]], True)


def _right_shift(x: Tensor) -> Tensor:
    return _shift_pad(x, [[1, 0], [0, 0]], False)


@RegisterGradient("TridiagonalMatMul")
def _tridiagonal_matmul_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    """linalg_grad._TridiagonalMatMulGrad (conjugation is the identity on real tensors)."""
    superdiag_conj = matrix_transpose(op._inputs[0], conjugate=True)
    maindiag_conj = matrix_transpose(op._inputs[1], conjugate=True)
    subdiag_conj = matrix_transpose(op._inputs[2], conjugate=True)
    rhs_conj = op._inputs[3]
    superdiag_grad = builders.reduce_sum(_left_shift(rhs_conj) * grad, axis=-1)
    maindiag_grad = builders.reduce_sum(rhs_conj * grad, axis=-1)
    subdiag_grad = builders.reduce_sum(_right_shift(rhs_conj) * grad, axis=-1)
    rhs_grad = (_right_shift(superdiag_conj * grad) + maindiag_conj * grad
                + _left_shift(subdiag_conj * grad))
    return [expand_dims(superdiag_grad, -2), expand_dims(maindiag_grad, -2),
            expand_dims(subdiag_grad, -2), rhs_grad]


def tridiagonal_matmul(diagonals: Any, rhs: Any, diagonals_format: str = "compact",
                       name: str | None = None) -> Tensor:
    """``tf.linalg.tridiagonal_matmul``: T @ rhs for the tridiagonal T in the compact
    ([..., 3, M]), sequence ((super, main, sub)) or matrix ([..., M, M]) format."""
    if diagonals_format == "compact":
        d = convert_to_tensor(diagonals)
        superdiag, maindiag, subdiag = d[..., 0, :], d[..., 1, :], d[..., 2, :]
    elif diagonals_format == "sequence":
        superdiag, maindiag, subdiag = diagonals
    elif diagonals_format == "matrix":
        d = convert_to_tensor(diagonals)
        _check_square(d)
        diags = matrix_diag_part(d, k=(-1, 1), padding_value=0.0, align="LEFT_RIGHT")
        superdiag, maindiag, subdiag = diags[..., 0, :], diags[..., 1, :], diags[..., 2, :]
    else:
        raise ValueError(f"Unrecognized diagonals_format: {diagonals_format}")
    superdiag = expand_dims(superdiag, -2)
    maindiag = expand_dims(maindiag, -2)
    subdiag = expand_dims(subdiag, -2)
    return gen_tridiagonal_mat_mul(superdiag, maindiag, subdiag, rhs, name)


builders.register(globals(), __all__)
