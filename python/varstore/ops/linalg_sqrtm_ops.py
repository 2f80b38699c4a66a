"""The matrix square root (TF's op ``MatrixSquareRoot``, Eigen's MatrixBase::sqrt): the real
Schur form T = U^T A U, the square root of the quasi-triangular T block by block, and
U sqrt(T) U^T; with its gradient (linalg_grad._MatrixSquareRootGrad, a Sylvester equation
solved through Kronecker products).

The Schur form is computed here (NumPy has none): Householder reduction to Hessenberg form,
then Francis double-shift QR steps with deflation (the EISPACK hqr2 scheme Eigen's RealSchur
follows). Like Eigen's, the result is NaN where no real square root exists (a negative real
eigenvalue) and inf / NaN where the triangular recurrence divides by zero (a repeated zero
eigenvalue)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.ops.linalg_decomp_ops import DECOMP_TYPES, check_input, check_matrix, no_cpu_kernel
from varstore.ops.linalg_diag_ops import eye
from varstore.ops.linalg_ops import matrix_solve, matrix_transpose

__all__ = ["matrix_square_root"]


def matrix_square_root(input: Any, name: str | None = None) -> Tensor:
    """``tf.linalg.sqrtm`` / ``tf.matrix_square_root``: op ``MatrixSquareRoot``, the principal
    square root of each innermost square matrix."""
    graph = check_same_graph(input)
    full = graph._op_name(name, "MatrixSquareRoot")
    with scope_of(graph, full):
        x = first_input(input, "input")
    check_allowed(x._dtype, DECOMP_TYPES, "input")
    attrs = {"T": x._dtype}
    check_matrix(full, "MatrixSquareRoot", attrs, x, [x], square=True)
    s = x._shape
    out = None if s is None else (*s[:-2], s[-2] if s[-2] is not None else s[-1],
                                  s[-1] if s[-1] is not None else s[-2])
    return make_op(graph, full, "MatrixSquareRoot", [x], attrs, [(x._dtype, out)])._outputs[0]


# -- the real Schur form --------------------------------------------------------------------------
def _hessenberg(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """H = Q^T A Q upper Hessenberg, by Householder reflections."""
    h = np.array(a, dtype=np.float64)
    n = h.shape[0]
    q = np.eye(n)
    for k in range(n - 2):
        x = h[k + 1:, k]
        alpha = np.linalg.norm(x)
        if alpha == 0.0:
            continue
        v = x.copy()
        v[0] += np.copysign(alpha, x[0])
        v /= np.linalg.norm(v)
        h[k + 1:, k:] -= 2.0 * np.outer(v, v @ h[k + 1:, k:])
        h[:, k + 1:] -= 2.0 * np.outer(h[:, k + 1:] @ v, v)
        q[:, k + 1:] -= 2.0 * np.outer(q[:, k + 1:] @ v, v)
        h[k + 2:, k] = 0.0
    return h, q


def _rotate(h: np.ndarray, v: np.ndarray, n: int, c: float, s: float, lo: int,
            hi: int) -> None:
    """Rows lo, lo+1 of h from column lo and columns lo, lo+1 of h and v by the rotation
    [[c, s], [-s, c]] (makes a 2x2 block with real eigenvalues triangular)."""
    r0, r1 = h[lo, lo:].copy(), h[lo + 1, lo:].copy()
    h[lo, lo:], h[lo + 1, lo:] = c * r0 + s * r1, c * r1 - s * r0
    c0, c1 = h[:hi + 1, lo].copy(), h[:hi + 1, lo + 1].copy()
    h[:hi + 1, lo], h[:hi + 1, lo + 1] = c * c0 + s * c1, c * c1 - s * c0
    u0, u1 = v[:, lo].copy(), v[:, lo + 1].copy()
    v[:, lo], v[:, lo + 1] = c * u0 + s * u1, c * u1 - s * u0


def real_schur(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[int]] | None:
    """(T, U, block starts) with A = U T U^T, T quasi upper triangular (2x2 blocks only for
    complex conjugate eigenvalue pairs); None if the QR iteration does not converge."""
    nn = a.shape[0]
    h, v = _hessenberg(a)
    eps = np.finfo(np.float64).eps
    norm = float(sum(np.abs(h[i, max(i - 1, 0):]).sum() for i in range(nn)))
    if norm == 0.0:  # Eigen: the zero matrix is its own Schur form
        return h, v, list(range(nn))
    consider_as_zero = max(norm * eps * eps, np.finfo(np.float64).tiny)
    blocks: list[int] = []
    n = nn - 1
    exshift = 0.0
    it = total = 0
    x = y = w = 0.0
    while n >= 0:
        lo = n
        while lo > 0:  # a negligible subdiagonal entry splits the matrix
            s = max(abs(h[lo - 1, lo - 1]) + abs(h[lo, lo]), consider_as_zero)
            if abs(h[lo, lo - 1]) <= eps * s:
                break
            lo -= 1
        if lo == n:  # one eigenvalue converged
            h[n, n] += exshift
            if n > 0:
                h[n, n - 1] = 0.0
            blocks.append(n)
            n -= 1
            it = 0
            continue
        if lo == n - 1:  # a 2x2 block converged
            w = h[n, n - 1] * h[n - 1, n]
            p = (h[n - 1, n - 1] - h[n, n]) / 2.0
            q = p * p + w
            h[n, n] += exshift
            h[n - 1, n - 1] += exshift
            if n > 1:
                h[n - 1, n - 2] = 0.0
            if q >= 0:  # real pair: triangularize the block
                z = p + np.sqrt(q) if p >= 0 else p - np.sqrt(q)
                xs = h[n, n - 1]
                sc = abs(xs) + abs(z)
                pp, qq = xs / sc, z / sc
                r = np.hypot(pp, qq)
                _rotate(h, v, nn, qq / r, pp / r, n - 1, n)
                h[n, n - 1] = 0.0
                blocks += [n, n - 1]
            else:
                blocks.append(n - 1)
            n -= 2
            it = 0
            continue
        # no convergence yet: form the shift
        x = h[n, n]
        y = h[n - 1, n - 1]
        w = h[n, n - 1] * h[n - 1, n]
        if it == 10:  # Wilkinson's exceptional shift
            exshift += x
            h[np.arange(n + 1), np.arange(n + 1)] -= x
            s = abs(h[n, n - 1]) + abs(h[n - 1, n - 2])
            x = y = 0.75 * s
            w = -0.4375 * s * s
        if it == 30:  # MATLAB's exceptional shift
            s = (y - x) / 2.0
            s = s * s + w
            if s > 0:
                s = np.sqrt(s)
                if y < x:
                    s = -s
                s = x - w / ((y - x) / 2.0 + s)
                h[np.arange(n + 1), np.arange(n + 1)] -= s
                exshift += s
                x = y = w = 0.964
        it += 1
        total += 1
        if total > 40 * nn:
            return None
        _francis_step(h, v, nn, lo, n, x, y, w, eps)
    tri = np.triu(h, -1)
    starts = sorted(blocks)
    two = {b for b in starts if b + 1 < nn and b + 1 not in starts}
    for i in range(nn - 1):
        if i not in two:
            tri[i + 1, i] = 0.0
    return tri, v, starts


def _francis_step(h: np.ndarray, v: np.ndarray, nn: int, lo: int, n: int, x: float, y: float,
                  w: float, eps: float) -> None:
    """One implicit double-shift QR step on rows and columns lo..n (hqr2's inner loop)."""
    m = n - 2
    while m >= lo:  # look for two consecutive small subdiagonal entries
        z = h[m, m]
        r = x - z
        s = y - z
        p = (r * s - w) / h[m + 1, m] + h[m, m + 1]
        q = h[m + 1, m + 1] - z - r - s
        r = h[m + 2, m + 1]
        s = abs(p) + abs(q) + abs(r)
        p, q, r = p / s, q / s, r / s
        if m == lo:
            break
        if abs(h[m, m - 1]) * (abs(q) + abs(r)) < eps * (
                abs(p) * (abs(h[m - 1, m - 1]) + abs(z) + abs(h[m + 1, m + 1]))):
            break
        m -= 1
    for i in range(m + 2, n + 1):
        h[i, i - 2] = 0.0
        if i > m + 2:
            h[i, i - 3] = 0.0
    for k in range(m, n):
        notlast = k != n - 1
        if k != m:
            p = h[k, k - 1]
            q = h[k + 1, k - 1]
            r = h[k + 2, k - 1] if notlast else 0.0
            x = abs(p) + abs(q) + abs(r)
            if x == 0.0:
                continue
            p, q, r = p / x, q / x, r / x
        s = np.sqrt(p * p + q * q + r * r)
        if p < 0:
            s = -s
        if s == 0.0:
            continue
        if k != m:
            h[k, k - 1] = -s * x
        elif lo != m:
            h[k, k - 1] = -h[k, k - 1]
        p = p + s
        x, y, z = p / s, q / s, r / s
        q, r = q / p, r / p
        rows = slice(k, k + 3) if notlast else slice(k, k + 2)
        refl = np.array([1.0, q, r]) if notlast else np.array([1.0, q])
        scale = np.array([x, y, z]) if notlast else np.array([x, y])
        # row modification, column modification, accumulation: I - scale refl^T
        pr = refl @ h[rows, k:]
        h[rows, k:] -= np.outer(scale, pr)
        top = min(n, k + 3) + 1
        pc = h[:top, rows] @ scale
        h[:top, rows] -= np.outer(pc, refl)
        pv = v[:, rows] @ scale
        v[:, rows] -= np.outer(pv, refl)


# -- the square root of the quasi-triangular factor -----------------------------------------------
def _sylvester(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """X with A X + X B = C for blocks of size 1 or 2 (Eigen solves the same Kronecker
    system)."""
    p, q = c.shape
    k = np.kron(np.eye(q), a) + np.kron(b.T, np.eye(p))
    try:
        sol = np.linalg.solve(k, c.reshape(-1, order="F"))
    except np.linalg.LinAlgError:
        return np.full_like(c, np.nan)
    return sol.reshape((p, q), order="F")


def _sqrt_quasi_triangular(t: np.ndarray, starts: list[int]) -> np.ndarray:
    n = t.shape[0]
    r = np.zeros_like(t)
    spans = [(b, (starts[i + 1] if i + 1 < len(starts) else n)) for i, b in enumerate(starts)]
    for b, e in spans:
        if e - b == 1:
            r[b, b] = np.sqrt(t[b, b]) if t[b, b] >= 0 else np.nan
        else:  # a complex conjugate pair: the real square root of the 2x2 block
            vals, vecs = np.linalg.eig(t[b:e, b:e])
            r[b:e, b:e] = (vecs @ np.diag(np.sqrt(vals.astype(np.complex128)))
                           @ np.linalg.inv(vecs)).real
    for j, (bj, ej) in enumerate(spans):
        for i in range(j - 1, -1, -1):
            bi, ei = spans[i]
            c = t[bi:ei, bj:ej] - r[bi:ei, ei:bj] @ r[ei:bj, bj:ej]
            if ei - bi == 1 and ej - bj == 1:
                r[bi, bj] = c[0, 0] / (r[bi, bi] + r[bj, bj])
            else:
                r[bi:ei, bj:ej] = _sylvester(r[bi:ei, bi:ei], r[bj:ej, bj:ej], c)
    return r


def sqrtm_one(a: np.ndarray) -> np.ndarray:
    n = a.shape[0]
    if not np.all(np.isfinite(a)):
        return np.full((n, n), np.nan)
    schur = real_schur(a)
    if schur is None:
        return np.full((n, n), np.nan)
    t, u, starts = schur
    return u @ _sqrt_quasi_triangular(t, starts) @ u.T  # type: ignore[no-any-return]


@register_kernel("MatrixSquareRoot")
def _sqrtm_kernel(op: Operation) -> Callable[..., Any]:
    if op._attrs["T"] is _dtypes.float16:
        raise no_cpu_kernel(op, op._attrs)

    def kernel(x: np.ndarray) -> np.ndarray:
        check_input(x, True)
        out = np.empty(x.shape, x.dtype)
        count = int(np.prod(x.shape[:-2]))
        flat, res = x.reshape((count, *x.shape[-2:])), out.reshape((count, *x.shape[-2:]))
        for i in range(flat.shape[0]):
            res[i] = sqrtm_one(flat[i])
        return out

    return kernel


# -- gradient -------------------------------------------------------------------------------------
def _kronecker_product(b1: Tensor, b2: Tensor) -> Tensor:
    """The Kronecker products of two batches of square matrices (TF's _KroneckerProduct)."""
    b1_shape = builders.shape(b1)
    b2_shape = builders.shape(b2)
    b1_order = b1_shape[-1]
    b2_order = b2_shape[-1]
    # TF auto-packs the one-element size list: a Pack here
    shape_slice_size = builders.stack([builders.subtract(builders.size(b1_shape), 2)])
    shape_slice = builders.slice(b1_shape, [0], shape_slice_size)  # the same for both
    b1_reshape_shape = builders.concat([shape_slice, [b1_order], [1], [b1_order], [1]], 0)
    b2_reshape_shape = builders.concat([shape_slice, [1], [b2_order], [1], [b2_order]], 0)
    b1_reshape = builders.reshape(b1, b1_reshape_shape)
    b2_reshape = builders.reshape(b2, b2_reshape_shape)
    order_prod = b1_order * b2_order
    kprod_shape = builders.concat([shape_slice, [order_prod], [order_prod]], 0)
    return builders.reshape(b1_reshape * b2_reshape, kprod_shape)  # type: ignore[no-any-return]


@RegisterGradient("MatrixSquareRoot")
def _sqrtm_grad(op: Operation, grad: Tensor) -> Tensor:
    """linalg_grad._MatrixSquareRootGrad: with R = sqrtm(A), dA = R dR + dR R, solved for dR
    as (I kron R^T + R kron I) vec(dR) = vec(dA)."""
    sqrtm = op._outputs[0]
    shape = builders.shape(sqrtm)
    order = shape[-1]
    matrix_count = builders.reduce_prod(shape[0:-2])
    ident = eye(order, dtype=sqrtm._dtype)
    eye_flat = builders.reshape(ident, [-1])
    eye_tiled = builders.tile(eye_flat, [matrix_count])
    eye_batch = builders.reshape(eye_tiled, shape)
    # R^T goes into the first product so that R is never transposed twice
    sqrtm_transpose = matrix_transpose(sqrtm)
    k1 = _kronecker_product(eye_batch, sqrtm_transpose)
    k2 = _kronecker_product(sqrtm, eye_batch)
    ksum = builders.add(k1, k2)
    shape_slice_size = builders.stack([builders.subtract(builders.size(shape), 2)])
    shape_slice = builders.slice(shape, [0], shape_slice_size)
    shape_vec_da = builders.concat([shape_slice, [order * order], [1]], 0)
    vec_da = builders.reshape(matrix_transpose(grad), shape_vec_da)
    vec_dsqrtm = matrix_solve(ksum, vec_da)
    dsqrtm_transpose = builders.reshape(vec_dsqrtm, shape)
    return matrix_transpose(dsqrtm_transpose)


builders.register(globals(), __all__)
