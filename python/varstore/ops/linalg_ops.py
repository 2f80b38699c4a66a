"""Dense linear algebra on the innermost two dims (TF's linalg_ops): MatrixInverse,
MatrixDeterminant, LogMatrixDeterminant, Cholesky, MatrixSolve, MatrixTriangularSolve, with
TF's dtype lists, shape checks, NumPy kernels and gradients (linalg_grad.py); and the
composites adjoint, matrix_transpose, logdet and norm.

Diagonal and band ops are in linalg_diag_ops.py, einsum in linalg_einsum_ops.py."""

from __future__ import annotations

import builtins
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
    dt_enum,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.ops.linalg_diag_ops import eye, matrix_band_part, matrix_diag_part, matrix_set_diag
from varstore.ops.math_matmul_ops import matmul
from varstore.ops.math_ops import add, multiply
from varstore.ops.math_unary_ops import abs, log, negative, sqrt

__all__ = [
    "adjoint",
    "cholesky",
    "logdet",
    "matrix_determinant",
    "matrix_inverse",
    "matrix_solve",
    "matrix_transpose",
    "matrix_triangular_solve",
    "norm",
    "slogdet",
]

Dims = tuple[int | None, ...] | None
_INV_TYPES = "float64, float32, float16, complex64, complex128"
_DET_TYPES = "float16, float32, float64, complex64, complex128"
_TRI_TYPES = "bfloat16, float64, float32, float16, complex64, complex128"


def _square(full: str, op_type: str, x: Tensor, attrs: str) -> None:
    s = x._shape
    if s is None:
        return
    if len(s) < 2:
        raise node_error(f"Shape must be at least rank 2 but is rank {len(s)}", full, op_type,
                         attrs, [x])
    if s[-1] is not None and s[-2] is not None and s[-1] != s[-2]:
        raise node_error(f"Dimensions must be equal, but are {s[-2]} and {s[-1]}", full,
                         op_type, attrs, [x])


def _matrix_unary(op_type: str, input: Any, name: str | None, allowed: str,
                  attrs: dict[str, Any], out_shape: Callable[[Dims], Dims],
                  n_out: int = 1) -> list[Tensor]:
    graph = check_same_graph(input)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        x = first_input(input, "input")
    check_allowed(x._dtype, allowed, "input")
    text = ", ".join([f"T={dt_enum(x._dtype)}"] + [f"{k}={str(v).lower()}"
                                                     for k, v in attrs.items()])
    _square(full, op_type, x, text)
    out = out_shape(x._shape)
    return make_op(graph, full, op_type, [x], {"T": x._dtype, **attrs},
                   [(x._dtype, out)] * n_out)._outputs


def matrix_inverse(input: Any, adjoint: bool = False, name: str | None = None) -> Tensor:
    """``tf.linalg.inv``: op ``MatrixInverse``."""
    return _matrix_unary("MatrixInverse", input, name, _INV_TYPES, {"adjoint": adjoint},
                         lambda s: s)[0]


def cholesky(input: Any, name: str | None = None) -> Tensor:
    """``tf.linalg.cholesky``: op ``Cholesky``, the lower factor."""
    return _matrix_unary("Cholesky", input, name, _INV_TYPES, {}, lambda s: s)[0]


def matrix_determinant(input: Any, name: str | None = None) -> Tensor:
    """``tf.linalg.det``: op ``MatrixDeterminant``."""
    return _matrix_unary("MatrixDeterminant", input, name, _DET_TYPES, {},
                         lambda s: None if s is None else s[:-2])[0]


def slogdet(input: Any, name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.linalg.slogdet``: op ``LogMatrixDeterminant`` -> (sign, log_abs_determinant)."""
    sign, logabs = _matrix_unary("LogMatrixDeterminant", input, name, _DET_TYPES, {},
                                 lambda s: None if s is None else s[:-2], n_out=2)
    return sign, logabs


def _solve_shape(full: str, op_type: str, a: Tensor, b: Tensor, attrs: str) -> Dims:
    _square(full, op_type, a, attrs)
    sa, sb = a._shape, b._shape
    if sb is not None and len(sb) < 2:
        raise node_error(f"Shape must be at least rank 2 but is rank {len(sb)}", full,
                         op_type, attrs, [a, b])
    if sa is None or sb is None:
        return None if sb is None else (*(None,) * (len(sb) - 2), sb[-2], sb[-1])
    if sa[-1] is not None and sb[-2] is not None and sa[-1] != sb[-2]:
        raise node_error(f"Dimensions must be equal, but are {sa[-1]} and {sb[-2]}", full,
                         op_type, attrs, [a, b])
    batch = sa[:-2] if len(sa) >= len(sb) else sb[:-2]
    return (*batch, sa[-1] if sb[-2] is None else sb[-2], sb[-1])


def matrix_solve(matrix: Any, rhs: Any, adjoint: bool = False,
                 name: str | None = None) -> Tensor:
    """``tf.linalg.solve``: op ``MatrixSolve``, X with matrix @ X = rhs."""
    graph = check_same_graph(matrix, rhs)
    full = graph._op_name(name, "MatrixSolve")
    with scope_of(graph, full):
        a = first_input(matrix, "matrix")
        b = typed_input(rhs, a._dtype, "MatrixSolve", "rhs", "matrix")
    check_allowed(a._dtype, _INV_TYPES, "matrix")
    attrs = f"T={dt_enum(a._dtype)}, adjoint={str(adjoint).lower()}"
    out = _solve_shape(full, "MatrixSolve", a, b, attrs)
    return make_op(graph, full, "MatrixSolve", [a, b], {"T": a._dtype, "adjoint": adjoint},
                   [(a._dtype, out)])._outputs[0]


def gen_matrix_triangular_solve(matrix: Any, rhs: Any, lower: bool = True,
                                adjoint: bool = False, name: str | None = None) -> Tensor:
    """Op ``MatrixTriangularSolve`` itself (gen_linalg_ops.matrix_triangular_solve: no
    ``triangular_solve`` scope, as cholesky_solve builds it)."""
    graph = check_same_graph(matrix, rhs)
    full = graph._op_name(name, "MatrixTriangularSolve")
    with scope_of(graph, full):
        a = first_input(matrix, "matrix")
        b = typed_input(rhs, a._dtype, "MatrixTriangularSolve", "rhs", "matrix")
    check_allowed(a._dtype, _TRI_TYPES, "matrix")
    attrs = (f"T={dt_enum(a._dtype)}, adjoint={str(adjoint).lower()}, "
             f"lower={str(lower).lower()}")
    out = _solve_shape(full, "MatrixTriangularSolve", a, b, attrs)
    return make_op(graph, full, "MatrixTriangularSolve", [a, b],
                   {"T": a._dtype, "lower": lower, "adjoint": adjoint},
                   [(a._dtype, out)])._outputs[0]


def matrix_triangular_solve(matrix: Any, rhs: Any, lower: bool = True, adjoint: bool = False,
                            name: str | None = None) -> Tensor:
    """``tf.linalg.triangular_solve``: op ``MatrixTriangularSolve`` under
    ``triangular_solve`` (only the lower or upper triangle of matrix is read)."""
    graph = check_same_graph(matrix, rhs)
    scope = graph._op_name(name, "triangular_solve")
    with scope_of(graph, scope):
        return gen_matrix_triangular_solve(matrix, rhs, lower=lower, adjoint=adjoint)


# -- kernels ----------------------------------------------------------------------------------------
def _adj(x: np.ndarray) -> np.ndarray:
    return np.asarray(np.conj(np.swapaxes(x, -1, -2)))


def _inverse_kernel_factory(op: Operation) -> Callable[..., Any]:
    adjoint = op._attrs["adjoint"]

    def kernel(x: np.ndarray) -> np.ndarray:
        m = _adj(x) if adjoint else x
        try:
            return np.linalg.inv(m).astype(x.dtype)
        except np.linalg.LinAlgError:
            raise ValueError("Input is not invertible.") from None
    return kernel


def _cholesky_one(m: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.cholesky(m)
    except np.linalg.LinAlgError:
        # TF's CPU kernel leaves NaN in the lower triangle of a matrix that is not positive
        # definite (no error)
        return np.tril(np.full_like(m, np.nan))


def _cholesky_kernel_factory(op: Operation) -> Callable[..., Any]:
    def kernel(x: np.ndarray) -> np.ndarray:
        flat = x.reshape((-1, *x.shape[-2:]))
        out = np.stack([_cholesky_one(m) for m in flat]) if flat.shape[0] else flat
        return out.reshape(x.shape).astype(x.dtype)
    return kernel


def _det_kernel_factory(op: Operation) -> Callable[..., Any]:
    return lambda x: np.asarray(np.linalg.det(x)).astype(x.dtype)


def _slogdet_kernel_factory(op: Operation) -> Callable[..., Any]:
    def kernel(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sign, logabs = np.linalg.slogdet(x)
        return np.asarray(sign).astype(x.dtype), np.asarray(logabs).astype(x.dtype)
    return kernel


def _solve_kernel_factory(op: Operation) -> Callable[..., Any]:
    adjoint = op._attrs["adjoint"]

    def kernel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        m = _adj(a) if adjoint else a
        try:
            return np.linalg.solve(m, b).astype(a.dtype)
        except np.linalg.LinAlgError:
            raise ValueError("Input matrix is not invertible.") from None
    return kernel


def _triangular_kernel_factory(op: Operation) -> Callable[..., Any]:
    lower = op._attrs["lower"]
    adjoint = op._attrs["adjoint"]

    def kernel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        tri = np.tril(a) if lower else np.triu(a)
        m = _adj(tri) if adjoint else tri
        with np.errstate(all="ignore"):
            return np.linalg.solve(m, b).astype(a.dtype)
    return kernel


register_kernel("MatrixInverse")(_inverse_kernel_factory)
register_kernel("Cholesky")(_cholesky_kernel_factory)
register_kernel("MatrixDeterminant")(_det_kernel_factory)
register_kernel("LogMatrixDeterminant")(_slogdet_kernel_factory)
register_kernel("MatrixSolve")(_solve_kernel_factory)
register_kernel("MatrixTriangularSolve")(_triangular_kernel_factory)


# -- gradients (linalg_grad.py) ---------------------------------------------------------------------
@RegisterGradient("MatrixInverse")
def _inverse_grad(op: Operation, grad: Tensor) -> Tensor:
    ainv = op._outputs[0]
    op_adjoint = bool(op._attrs["adjoint"])
    return negative(matmul(ainv, matmul(grad, ainv, adjoint_a=op_adjoint,
                                        adjoint_b=not op_adjoint), adjoint_a=not op_adjoint))


def _expand2(t: Tensor) -> Tensor:
    """``t`` with two trailing unit dims (TF: Reshape to concat([shape(t), [1, 1]]))."""
    return builders.expand_dims(builders.expand_dims(t, -1), -1)  # type: ignore[no-any-return]


@RegisterGradient("MatrixDeterminant")
def _determinant_grad(op: Operation, grad: Tensor) -> Tensor:
    a = op._inputs[0]
    a_adj_inv = matrix_inverse(a, adjoint=True)
    multiplier = _expand2(multiply(grad, op._outputs[0]))
    return multiply(multiplier, a_adj_inv)


@RegisterGradient("LogMatrixDeterminant")
def _slogdet_grad(op: Operation, grad_sign: Any, grad_logabs: Tensor) -> Tensor:
    a = op._inputs[0]
    a_adj_inv = matrix_inverse(a, adjoint=True)
    return multiply(_expand2(grad_logabs), a_adj_inv)


@RegisterGradient("Cholesky")
def _cholesky_grad(op: Operation, grad: Tensor) -> Tensor:
    """linalg_grad._CholeskyGrad (Iain Murray's formula, arXiv:1602.07527)."""
    chol = op._outputs[0]
    shape = builders.shape(chol)
    l_inverse = matrix_triangular_solve(chol, eye(shape[-1], batch_shape=shape[:-2],
                                                  dtype=chol._dtype))
    middle = matmul(chol, grad, adjoint_a=True)
    half = convert_to_tensor(0.5, dtype=chol._dtype)
    middle = matrix_set_diag(middle, multiply(half, matrix_diag_part(middle)))
    middle = matrix_band_part(middle, -1, 0)
    grad_a = matmul(matmul(l_inverse, middle, adjoint_a=True), l_inverse)
    grad_a = add(grad_a, adjoint(grad_a))
    return multiply(grad_a, half)


@RegisterGradient("MatrixSolve")
def _solve_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    a = op._inputs[0]
    adjoint_a = op._attrs["adjoint"]
    c = op._outputs[0]
    grad_b = matrix_solve(a, grad, adjoint=not adjoint_a)
    if adjoint_a:
        grad_a = negative(matmul(c, grad_b, adjoint_b=True))
    else:
        grad_a = negative(matmul(grad_b, c, adjoint_b=True))
    return [grad_a, grad_b]


@RegisterGradient("MatrixTriangularSolve")
def _triangular_solve_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    a = op._inputs[0]
    adjoint_a = op._attrs["adjoint"]
    lower_a = op._attrs["lower"]
    c = op._outputs[0]
    grad_b = matrix_triangular_solve(a, grad, lower=lower_a, adjoint=not adjoint_a)
    if adjoint_a:
        grad_a = negative(matmul(c, grad_b, adjoint_b=True))
    else:
        grad_a = negative(matmul(grad_b, c, adjoint_b=True))
    grad_a = matrix_band_part(grad_a, -1, 0) if lower_a else matrix_band_part(grad_a, 0, -1)
    return [grad_a, grad_b]


# -- composites ---------------------------------------------------------------------------------
def matrix_transpose(a: Any, name: str = "matrix_transpose", conjugate: bool = False) -> Tensor:
    """``tf.linalg.matrix_transpose``: a Transpose of the two innermost dims."""
    graph = check_same_graph(a)
    full = graph._op_name(name, "matrix_transpose")
    with scope_of(graph, full):
        x = convert_to_tensor(a, name="a")
        if x._shape is None:
            raise ValueError("varstore's matrix_transpose needs a tensor of known rank")
        r = len(x._shape)
        if r < 2:
            raise ValueError(f"Argument 'a' should be a (batch) matrix with rank >= 2.  "
                             f"Received: {x!r}")
        perm = [*builtins.range(r - 2), r - 1, r - 2]
        return builders.transpose(x, perm)  # type: ignore[no-any-return]


def adjoint(matrix: Any, name: str | None = None) -> Tensor:
    """``tf.linalg.adjoint``: the conjugate transpose, under ``adjoint``."""
    graph = check_same_graph(matrix)
    full = graph._op_name(name, "adjoint")
    with scope_of(graph, full):
        return matrix_transpose(convert_to_tensor(matrix, name="matrix"), conjugate=True)


def logdet(matrix: Any, name: str | None = None) -> Tensor:
    """``tf.linalg.logdet``: 2 * sum(log(diag(cholesky(matrix)))) for a Hermitian positive
    definite matrix, under ``logdet``."""
    graph = check_same_graph(matrix)
    full = graph._op_name(name, "logdet")
    with scope_of(graph, full):
        chol = cholesky(convert_to_tensor(matrix, name="matrix"))
        s = builders.reduce_sum(log(matrix_diag_part(chol)), axis=[-1])
        return 2.0 * s  # type: ignore[no-any-return]


def _norm_axis(axis: Any) -> tuple[bool, Any]:
    if axis is None:
        return False, None
    if isinstance(axis, (list, tuple)):
        if len(axis) == 2 and axis[0] != axis[1] and all(
                isinstance(a, (int, np.integer)) for a in axis):
            return True, [int(a) for a in axis]
        if len(axis) == 1 and isinstance(axis[0], (int, np.integer)):
            return False, [int(axis[0])]
        raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, "
                         f"got {tuple(axis)}")
    if isinstance(axis, (int, np.integer)):
        return False, [int(axis)]
    raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got "
                     f"{axis}")


def _spectral_norm(tensor: Tensor, axis: list[int]) -> Tensor:
    """TF's matrix 2-norm: the two axes moved last, max |singular value|, moved back."""
    from varstore.ops.control_flow_ops import cond
    from varstore.ops.functional_ops import map_fn

    rank = builders.rank(tensor)
    positive_axis = map_fn(lambda i: cond(i >= 0, lambda: i, lambda: i + rank),
                           convert_to_tensor(axis))
    axes = builders.range(rank)
    perm_before = builders.concat([builders.setdiff1d(axes, positive_axis)[0], positive_axis],
                                  axis=0)
    perm_after = map_fn(lambda i: builders.cast(builders.squeeze(builders.where_v2(
        builders.equal(perm_before, i))), dtype=_dtypes.int32), axes)
    permed = builders.transpose(tensor, perm=perm_before)
    matrix_2_norm = builders.expand_dims(builders.reduce_max(
        abs(builders.svd(permed, compute_uv=False)), axis=-1, keepdims=True), axis=-1)
    return builders.transpose(matrix_2_norm, perm=perm_after)  # type: ignore[no-any-return]


def norm(tensor: Any, ord: Any = "euclidean", axis: Any = None, keepdims: Any = None,
         name: str | None = None, keep_dims: Any = None) -> Tensor:
    """``tf.norm`` / ``tf.linalg.norm``: vector norms (euclidean, 1, inf, p > 0) and the
    matrix norms fro, euclidean, 1 and inf, under ``norm`` (TF's composite of Abs / Sum /
    Max / Pow / Sqrt, then Squeeze unless keepdims); the spectral norm (ord=2 over a matrix)
    is the largest singular value, the two axes moved last as TF moves them (map_fn, cond,
    ListDiff: the permutation is computed in the graph)."""
    if keep_dims is not None:
        keepdims = keep_dims
    keep = bool(keepdims)
    is_matrix, axes = _norm_axis(axis)
    if is_matrix:
        supported = ["euclidean", "fro", 1, 2, np.inf]
        if ord not in supported:
            raise ValueError(f"'ord' must be a supported matrix norm in {supported}, got "
                             f"{ord}")
    else:
        if not (ord == "euclidean" or (isinstance(ord, (int, float)) and not isinstance(
                ord, bool) and ord > 0)):
            raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    graph = check_same_graph(tensor)
    full = graph._op_name(name, "norm")
    with scope_of(graph, full):
        x = convert_to_tensor(tensor, name="tensor")
        if is_matrix and ord == 2:
            result = _spectral_norm(x, axes)
        elif ord in ("euclidean", "fro") or ord == 2:
            result = sqrt(builders.reduce_sum(multiply(x, x), axes, keepdims=True))
        else:
            result = abs(x)
            if ord == 1:
                sum_axis = None if axes is None else axes[0]
                result = builders.reduce_sum(result, sum_axis, keepdims=True)
                if is_matrix:
                    result = builders.reduce_max(result, axes[-1], keepdims=True)
            elif ord == np.inf:
                if is_matrix:
                    result = builders.reduce_sum(result, axes[1], keepdims=True)
                max_axis = None if axes is None else axes[0]
                result = builders.reduce_max(result, max_axis, keepdims=True)
            else:
                p = convert_to_tensor(ord, dtype=x._dtype)
                result = builders.pow(builders.reduce_sum(builders.pow(result, p), axes,
                                                          keepdims=True),
                                      convert_to_tensor(1.0 / ord, dtype=x._dtype))
        if not keep:
            result = builders.squeeze(result, axes)
        return result


builders.register(globals(), __all__)
