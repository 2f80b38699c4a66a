"""Least squares (TF's linalg_ops): op ``MatrixSolveLs`` and tf.linalg.lstsq's composite
(the normal equations through Cholesky), and cholesky_solve; kernels in NumPy, gradients from
linalg_grad.py. The tridiagonal solvers are in linalg_tridiag_ops.py."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from varstore.framework.tensor_shape import merge_error
from varstore.ops.array_ops import attr_text
from varstore.ops.linalg_decomp_ops import DECOMP_TYPES, no_cpu_kernel
from varstore.ops.linalg_diag_ops import eye
from varstore.ops.linalg_ops import cholesky, gen_matrix_triangular_solve, matrix_transpose
from varstore.ops.math_matmul_ops import matmul

__all__ = ["cholesky_solve", "matrix_solve_ls"]

Dims = tuple[int | None, ...] | None
_TRIDIAG_TYPES = "float64, float32, complex64, complex128"
# TF's guess of the L2 cache size: above it (and with a batch larger than the smaller matrix
# dimension) lstsq runs the MatrixSolveLs kernel instead of the composite
_L2_CACHE_SIZE_GUESSTIMATE = 256000


def merge_batch(full: str, op_type: str, attrs: dict[str, Any], inputs: Sequence[Tensor],
                a: Dims, b: Dims) -> Dims:
    """InferenceContext::Merge of two (batch) shapes, with TF's error."""
    if a is None:
        return b
    if b is None:
        return a
    if len(a) != len(b) or any(x is not None and y is not None and x != y
                               for x, y in zip(a, b)):
        raise node_error(merge_error(a, b), full, op_type, attr_text(attrs), inputs)
    return tuple(x if x is not None else y for x, y in zip(a, b))


def merge_dim(full: str, op_type: str, attrs: dict[str, Any], inputs: Sequence[Tensor],
              a: int | None, b: int | None) -> int | None:
    if a is not None and b is not None and a != b:
        raise node_error(f"Dimensions must be equal, but are {a} and {b}", full, op_type,
                         attr_text(attrs), inputs)
    return a if a is not None else b


def rank_at_least(full: str, op_type: str, attrs: dict[str, Any], inputs: Sequence[Tensor],
                  t: Tensor, rank: int) -> None:
    if t._shape is not None and len(t._shape) < rank:
        raise node_error(f"Shape must be at least rank {rank} but is rank {len(t._shape)}",
                         full, op_type, attr_text(attrs), inputs)


def check_inputs(arrays: Sequence[np.ndarray]) -> None:
    """LinearAlgebraOp::AnalyzeInputs: rank >= 2 and one batch shape for every input."""
    first = arrays[0]
    if first.ndim < 2:
        raise ValueError(f"Input tensor 0 must have rank >= 2, got {first.ndim}")
    for x in arrays[1:]:
        if x.ndim != first.ndim:
            raise ValueError("All input tensors must have the same rank.")
        if x.shape[:-2] != first.shape[:-2]:
            raise ValueError("All input tensors must have the same outer dimensions.")


# -- MatrixSolveLs ------------------------------------------------------------------------------
def gen_matrix_solve_ls(matrix: Any, rhs: Any, l2_regularizer: Any, fast: bool = True,
                        name: str | None = None) -> Tensor:
    """Op ``MatrixSolveLs`` (gen_linalg_ops.matrix_solve_ls)."""
    graph = check_same_graph(matrix, rhs, l2_regularizer)
    full = graph._op_name(name, "MatrixSolveLs")
    with scope_of(graph, full):
        a = first_input(matrix, "matrix")
        b = typed_input(rhs, a._dtype, "MatrixSolveLs", "rhs", "matrix")
        if isinstance(l2_regularizer, Tensor) and l2_regularizer._dtype is not _dtypes.float64:
            raise TypeError(f"Input 'l2_regularizer' of 'MatrixSolveLs' Op has type "
                            f"{l2_regularizer._dtype.name} that does not match expected type "
                            f"of float64.")
        lam = convert_to_tensor(l2_regularizer, dtype=_dtypes.float64, name="l2_regularizer")
    check_allowed(a._dtype, DECOMP_TYPES, "matrix")
    attrs = {"T": a._dtype, "fast": bool(fast)}
    ins = [a, b, lam]
    if lam._shape is not None and len(lam._shape) != 0:
        raise node_error(f"Shape must be rank 0 but is rank {len(lam._shape)}", full,
                         "MatrixSolveLs", attr_text(attrs), ins)
    rank_at_least(full, "MatrixSolveLs", attrs, ins, a, 2)
    rank_at_least(full, "MatrixSolveLs", attrs, ins, b, 2)
    out: Dims = None
    if a._shape is not None and b._shape is not None:
        batch = merge_batch(full, "MatrixSolveLs", attrs, ins, a._shape[:-2], b._shape[:-2])
        merge_dim(full, "MatrixSolveLs", attrs, ins, a._shape[-2], b._shape[-2])
        assert batch is not None
        out = (*batch, a._shape[-1], b._shape[-1])
    elif a._shape is not None and b._shape is None:
        out = None
    return make_op(graph, full, "MatrixSolveLs", ins, attrs, [(a._dtype, out)])._outputs[0]


def _llt_solve(gram: np.ndarray, rhs: np.ndarray, message: str) -> np.ndarray:
    try:
        chol = np.linalg.cholesky(gram)
    except np.linalg.LinAlgError:
        raise ValueError(message) from None
    y = np.linalg.solve(chol, rhs)
    return np.linalg.solve(chol.T, y)


@register_kernel("MatrixSolveLs")
def _solve_ls_kernel(op: Operation) -> Callable[..., Any]:
    fast = bool(op._attrs["fast"])
    if op._attrs["T"] is _dtypes.float16:
        raise no_cpu_kernel(op, op._attrs)

    def one(a: np.ndarray, b: np.ndarray, lam: float) -> np.ndarray:
        rows, cols = a.shape
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        if not fast:
            # the minimum-norm least-squares solution, also for a rank-deficient matrix (TF:
            # Eigen's complete orthogonal decomposition; l2_regularizer is ignored)
            return np.linalg.lstsq(a64, b64, rcond=None)[0]
        if rows >= cols:
            gram = a64.T @ a64
            if lam > 0:
                gram += lam * np.eye(cols)
            return _llt_solve(gram, a64.T @ b64, "Input matrix was rank deficient or "
                              "ill-conditioned. Try setting fast=False or provide a larger "
                              "l2_regularizer > 0.")
        gram = a64 @ a64.T
        if lam > 0:
            gram += lam * np.eye(rows)
        return a64.T @ _llt_solve(gram, b64, "Input matrix was rank deficient or "  # type: ignore[no-any-return]
                                  "ill-conditioned. Try setting fast=False or provide an "
                                  "l2_regularizer > 0.")

    def kernel(a: np.ndarray, b: np.ndarray, lam: np.ndarray) -> np.ndarray:
        check_inputs([a, b])
        if a.shape[-2] != b.shape[-2]:
            raise ValueError("Input matrix and rhs are incompatible.")
        if np.ndim(lam) != 0:
            raise ValueError(f"l2_regularizer must be scalar, got shape "
                             f"[{','.join(str(d) for d in np.shape(lam))}]")
        lam_ = float(lam)
        if not lam_ >= 0:
            raise ValueError("l2_regularizer must be >= 0.")
        out = np.zeros((*a.shape[:-1][:-1], a.shape[-1], b.shape[-1]), a.dtype)
        if 0 in a.shape[-2:] or 0 in b.shape[-2:]:
            return out
        count = int(np.prod(a.shape[:-2]))
        fa, fb = a.reshape((count, *a.shape[-2:])), b.reshape((count, *b.shape[-2:]))
        fo = out.reshape((count, *out.shape[-2:]))
        for i in range(count):
            fo[i] = one(fa[i], fb[i], lam_)
        return out

    return kernel


def _regularized_gramian_cholesky(matrix: Tensor, l2_regularizer: Any,
                                  first_kind: bool) -> Tensor:
    """linalg_ops._RegularizedGramianCholesky: chol(A^H A + lambda I) (first kind) or
    chol(A A^H + lambda I)."""
    gramian = matmul(matrix, matrix, adjoint_a=first_kind, adjoint_b=not first_kind)
    if isinstance(l2_regularizer, Tensor) or l2_regularizer != 0:
        matrix_shape = builders.shape(matrix)
        batch_shape = matrix_shape[:-2]
        small_dim = matrix_shape[-1] if first_kind else matrix_shape[-2]
        identity = eye(small_dim, batch_shape=batch_shape, dtype=matrix._dtype)
        s = matrix._shape
        if s is not None:
            small_static = s[-1 if first_kind else -2]
            identity.set_shape((*s[:-2], small_static, small_static))
        gramian += l2_regularizer * identity
    return cholesky(gramian)


def cholesky_solve(chol: Any, rhs: Any, name: str | None = None) -> Tensor:
    """``tf.linalg.cholesky_solve``: X with (chol chol^H) X = rhs, by two triangular solves
    under ``cholesky_solve`` (only the lower triangle of chol is read)."""
    graph = check_same_graph(chol, rhs)
    full = graph._op_name(name, "cholesky_solve")
    with scope_of(graph, full):
        y = gen_matrix_triangular_solve(chol, rhs, adjoint=False, lower=True)
        return gen_matrix_triangular_solve(chol, y, adjoint=True, lower=True)


def _use_composite_impl(fast: bool, matrix: Tensor) -> bool:
    """TF: the composite unless fast=False, or the tensor overflows the cache and the batch is
    larger than the smaller matrix dimension (then the per-matrix kernel is faster)."""
    if fast is False:
        return False
    s = matrix._shape
    if s is None or None in s:
        return True
    dims = [int(d) for d in s if d is not None]
    size = int(np.prod(dims)) * matrix._dtype.size
    is_io_bound = int(np.prod(dims[:-2])) > min(dims[-2:])
    return not (size > _L2_CACHE_SIZE_GUESSTIMATE and is_io_bound)


def _overdetermined(matrix: Tensor, rhs: Any, l2_regularizer: Any) -> Tensor:
    chol = _regularized_gramian_cholesky(matrix, l2_regularizer, first_kind=True)
    return cholesky_solve(chol, matmul(matrix, rhs, adjoint_a=True))


def _underdetermined(matrix: Tensor, rhs: Any, l2_regularizer: Any) -> Tensor:
    chol = _regularized_gramian_cholesky(matrix, l2_regularizer, first_kind=False)
    return matmul(matrix, cholesky_solve(chol, rhs), adjoint_a=True)


def matrix_solve_ls(matrix: Any, rhs: Any, l2_regularizer: Any = 0.0, fast: bool = True,
                    name: str | None = None) -> Tensor:
    """``tf.linalg.lstsq`` / ``tf.matrix_solve_ls``: least squares (regularized by
    l2_regularizer) through the normal equations under ``matrix_solve_ls`` when fast, else op
    ``MatrixSolveLs`` (the minimum-norm solution)."""
    m = convert_to_tensor(matrix, name="matrix")
    if not _use_composite_impl(fast, m):
        return gen_matrix_solve_ls(m, rhs, l2_regularizer, fast=fast, name=name)
    graph = check_same_graph(m, rhs, l2_regularizer)
    full = graph._op_name(name, "matrix_solve_ls")
    with scope_of(graph, full):
        s = m._shape
        if s is not None and s[-2] is not None and s[-1] is not None:
            if s[-2] >= s[-1]:
                return _overdetermined(m, rhs, l2_regularizer)
            return _underdetermined(m, rhs, l2_regularizer)
        # the matrix shape is known only at run time: both branches, one taken
        dims = builders.shape(m)[-2:]
        return builders.cond(  # type: ignore[no-any-return]
            builders.greater_equal(dims[-2], dims[-1]),
            lambda: _overdetermined(m, rhs, l2_regularizer),
            lambda: _underdetermined(m, rhs, l2_regularizer))


@RegisterGradient("MatrixSolveLs")
def _solve_ls_grad(op: Operation, grad: Tensor) -> list[Any]:
    """linalg_grad._MatrixSolveLsGrad (the normal equations of the first or second kind)."""

    def overdetermined() -> list[Any]:
        a, b = op._inputs[0], op._inputs[1]
        x = op._outputs[0]
        l2 = builders.cast(op._inputs[2], a._dtype)
        chol = _regularized_gramian_cholesky(a, l2, first_kind=True)
        # z = (A^T A + lambda I)^-1 grad
        z = cholesky_solve(chol, grad)
        xzt = matmul(x, z, adjoint_b=True)
        zx_sym = xzt + matrix_transpose(xzt)
        grad_a = -matmul(a, zx_sym) + matmul(b, z, adjoint_b=True)
        grad_b = matmul(a, z)
        return [grad_a, grad_b, None]

    def underdetermined() -> list[Any]:
        a, b = op._inputs[0], op._inputs[1]
        l2 = builders.cast(op._inputs[2], a._dtype)
        chol = _regularized_gramian_cholesky(a, l2, first_kind=False)
        grad_b = cholesky_solve(chol, matmul(a, grad))
        # tmp = (A A^T + lambda I)^-1 B
        tmp = cholesky_solve(chol, b)
        a1 = matmul(tmp, a, adjoint_a=True)
        a1 = -matmul(grad_b, a1)
        a2 = grad - matmul(a, grad_b, adjoint_a=True)
        a2 = matmul(tmp, a2, adjoint_b=True)
        return [a1 + a2, grad_b, None]

    if op._attrs["fast"] is False:
        raise ValueError("Gradient not defined for fast=False")
    s = op._inputs[0]._shape
    if s is not None and s[-2] is not None and s[-1] is not None:
        return overdetermined() if s[-2] >= s[-1] else underdetermined()
    dims = builders.shape(op._inputs[0])[-2:]
    out = builders.cond(builders.greater_equal(dims[-2], dims[-1]),
                        lambda: overdetermined()[:2], lambda: underdetermined()[:2])
    return [out[0], out[1], None]


builders.register(globals(), __all__)
