"""Diagonals and bands of matrices (TF's array_ops / linalg ops on the innermost two dims):
Diag, DiagPart, MatrixDiagV3, MatrixDiagPartV3, MatrixSetDiagV3, MatrixBandPart, with eye and
trace built from them, each with TF's shapes, kernels and gradients (array_grad.py).

Diagonals take one offset ``k`` (TF also accepts a band of offsets; varstore does not)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.op_def_library import check_same_graph, first_input, typed_input
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

__all__ = [
    "diag",
    "diag_part",
    "eye",
    "matrix_band_part",
    "matrix_diag",
    "matrix_diag_part",
    "matrix_set_diag",
    "trace",
]

Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32
_int64 = _dtypes.int64


def _scalar_k(k: Any) -> int:
    kv = constant_value(k) if isinstance(k, Tensor) else np.asarray(k)
    if kv is None or np.ndim(kv) != 0:
        raise ValueError(f"varstore supports one diagonal offset k (a Python int), got {k!r}")
    return int(kv)


# -- Diag, DiagPart -----------------------------------------------------------------------------
def diag(diagonal: Any, name: str | None = None) -> Tensor:
    """``tf.diag``: op ``Diag``, a tensor of shape diagonal.shape + diagonal.shape."""
    graph = check_same_graph(diagonal)
    full = graph._op_name(name, "Diag")
    with scope_of(graph, full):
        d = first_input(diagonal, "diagonal")
    out: Dims = None if d._shape is None else d._shape + d._shape
    return make_op(graph, full, "Diag", [d], {"T": d._dtype}, [(d._dtype, out)])._outputs[0]


def diag_part(input: Any, name: str | None = None) -> Tensor:
    """``tf.diag_part``: op ``DiagPart``, the inverse of diag (rank 2k to rank k)."""
    graph = check_same_graph(input)
    full = graph._op_name(name, "DiagPart")
    with scope_of(graph, full):
        x = first_input(input, "input")
    out: Dims = None
    if x._shape is not None:
        r = len(x._shape)
        if r % 2:
            raise node_error(f"Input must have even rank <= 6, input rank is {r}", full,
                             "DiagPart", f"T={dt_enum(x._dtype)}", [x])
        out = x._shape[:r // 2]
    return make_op(graph, full, "DiagPart", [x], {"T": x._dtype}, [(x._dtype, out)])._outputs[0]


@register_kernel("Diag")
def _diag_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(d: np.ndarray) -> np.ndarray:
        n = d.size
        out = np.zeros((n, n), dtype=d.dtype)
        out[np.arange(n), np.arange(n)] = d.reshape(-1)
        return out.reshape(d.shape + d.shape)
    return kernel


@register_kernel("DiagPart")
def _diag_part_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(x: np.ndarray) -> np.ndarray:
        half = x.shape[:x.ndim // 2]
        n = int(np.prod(half)) if half else 1
        if x.shape[x.ndim // 2:] != half:
            raise ValueError(f"Invalid shape {list(x.shape)}: dimensions must match")
        return np.ascontiguousarray(x.reshape(n, n).diagonal().reshape(half))
    return kernel


@RegisterGradient("Diag")
def _diag_grad(op: Operation, grad: Tensor) -> Tensor:
    return diag_part(grad)


@RegisterGradient("DiagPart")
def _diag_part_grad(op: Operation, grad: Tensor) -> Tensor:
    return diag(grad)


# -- MatrixDiagV3, MatrixDiagPartV3, MatrixSetDiagV3 --------------------------------------------
def matrix_diag(diagonal: Any, name: str = "diag", k: Any = 0, num_rows: Any = -1,
                num_cols: Any = -1, padding_value: Any = 0,
                align: str = "RIGHT_LEFT") -> Tensor:
    """``tf.linalg.diag`` / ``tf.matrix_diag``: op ``MatrixDiagV3`` (one offset k)."""
    graph = check_same_graph(diagonal)
    full = graph._op_name(name, "diag")
    kk = _scalar_k(k)
    with scope_of(graph, full):
        d = first_input(diagonal, "diagonal")
        kt = convert_to_tensor(kk, dtype=_int32, name="k")
        rows = convert_to_tensor(num_rows, dtype=_int32, name="num_rows")
        cols = convert_to_tensor(num_cols, dtype=_int32, name="num_cols")
        pad = convert_to_tensor(padding_value, dtype=d._dtype, name="padding_value")
    out: Dims = None
    if d._shape is not None:
        if not d._shape:
            raise node_error("Shape must be at least rank 1 but is rank 0", full,
                             "MatrixDiagV3", f"T={dt_enum(d._dtype)}, align=\"{align}\"",
                             [d, kt, rows, cols, pad])
        n = d._shape[-1]
        rv, cv = int(constant_value(rows)), int(constant_value(cols))  # type: ignore[arg-type]
        size = None if n is None else n + abs(kk)
        r = rv if rv != -1 else (size if cv == -1 else None)
        c = cv if cv != -1 else (size if rv == -1 else None)
        out = (*d._shape[:-1], r, c)
    return make_op(graph, full, "MatrixDiagV3", [d, kt, rows, cols, pad],
                   {"T": d._dtype, "align": align}, [(d._dtype, out)])._outputs[0]


def matrix_diag_part(input: Any, name: str = "diag_part", k: Any = 0, padding_value: Any = 0,
                     align: str = "RIGHT_LEFT") -> Tensor:
    """``tf.linalg.diag_part`` / ``tf.matrix_diag_part``: op ``MatrixDiagPartV3``."""
    graph = check_same_graph(input)
    full = graph._op_name(name, "diag_part")
    kk = _scalar_k(k)
    with scope_of(graph, full):
        x = first_input(input, "input")
        kt = convert_to_tensor(kk, dtype=_int32, name="k")
        pad = convert_to_tensor(padding_value, dtype=x._dtype, name="padding_value")
    out: Dims = None
    if x._shape is not None:
        if len(x._shape) < 2:
            raise node_error(f"Shape must be at least rank 2 but is rank {len(x._shape)}",
                             full, "MatrixDiagPartV3", f"T={dt_enum(x._dtype)}, "
                             f"align=\"{align}\"", [x, kt, pad])
        rows, cols = x._shape[-2:]
        n = None if rows is None or cols is None else max(
            0, min(rows + min(kk, 0), cols - max(kk, 0)))
        out = (*x._shape[:-2], n)
    return make_op(graph, full, "MatrixDiagPartV3", [x, kt, pad],
                   {"T": x._dtype, "align": align}, [(x._dtype, out)])._outputs[0]


def matrix_set_diag(input: Any, diagonal: Any, name: str = "set_diag", k: Any = 0,
                    align: str = "RIGHT_LEFT") -> Tensor:
    """``tf.linalg.set_diag`` / ``tf.matrix_set_diag``: op ``MatrixSetDiagV3``."""
    graph = check_same_graph(input, diagonal)
    full = graph._op_name(name, "set_diag")
    kk = _scalar_k(k)
    with scope_of(graph, full):
        x = first_input(input, "input")
        d = typed_input(diagonal, x._dtype, "MatrixSetDiagV3", "diagonal", "input")
        kt = convert_to_tensor(kk, dtype=_int32, name="k")
    if x._shape is not None and len(x._shape) < 2:
        raise node_error(f"Shape must be at least rank 2 but is rank {len(x._shape)}", full,
                         "MatrixSetDiagV3", f"T={dt_enum(x._dtype)}, align=\"{align}\"",
                         [x, d, kt])
    return make_op(graph, full, "MatrixSetDiagV3", [x, d, kt],
                   {"T": x._dtype, "align": align}, [(x._dtype, x._shape)])._outputs[0]


def _diag_index(rows: int, cols: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    n = max(0, min(rows + min(k, 0), cols - max(k, 0)))
    i = np.arange(n) - min(k, 0)
    return i, i + k


@register_kernel("MatrixDiagV3")
def _matrix_diag_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(d: np.ndarray, k: Any, num_rows: Any, num_cols: Any, pad: Any) -> np.ndarray:
        kk = int(k)
        n = d.shape[-1]
        rows, cols = int(num_rows), int(num_cols)
        if rows == -1 and cols == -1:
            rows = cols = n + abs(kk)
        elif rows == -1:
            rows = n - min(kk, 0)
        elif cols == -1:
            cols = n + max(kk, 0)
        out = np.full((*d.shape[:-1], rows, cols), pad, dtype=d.dtype)
        i, j = _diag_index(rows, cols, kk)
        out[..., i, j] = d[..., :len(i)]
        return out
    return kernel


@register_kernel("MatrixDiagPartV3")
def _matrix_diag_part_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(x: np.ndarray, k: Any, pad: Any) -> np.ndarray:
        i, j = _diag_index(x.shape[-2], x.shape[-1], int(k))
        return np.ascontiguousarray(x[..., i, j])
    return kernel


@register_kernel("MatrixSetDiagV3")
def _matrix_set_diag_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(x: np.ndarray, d: np.ndarray, k: Any) -> np.ndarray:
        i, j = _diag_index(x.shape[-2], x.shape[-1], int(k))
        if d.shape[-1] != len(i) or d.shape[:-1] != x.shape[:-2]:
            raise ValueError(f"diagonal must have shape {[*x.shape[:-2], len(i)]}, got "
                             f"{list(d.shape)}")
        out = np.array(x)
        out[..., i, j] = d
        return out
    return kernel


@RegisterGradient("MatrixDiagV3")
def _matrix_diag_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [matrix_diag_part(grad, k=_scalar_k(op._inputs[1])), None, None, None, None]


@RegisterGradient("MatrixDiagPartV3")
def _matrix_diag_part_grad(op: Operation, grad: Tensor) -> list[Any]:
    x = op._inputs[0]
    k = _scalar_k(op._inputs[1])
    dims = x._shape
    if dims is not None and None not in dims:
        return [matrix_diag(grad, k=k, num_rows=dims[-2], num_cols=dims[-1]), None, None]
    return [matrix_set_diag(builders.zeros_like(x), grad, k=k), None, None]


@RegisterGradient("MatrixSetDiagV3")
def _matrix_set_diag_grad(op: Operation, grad: Tensor) -> list[Any]:
    k = _scalar_k(op._inputs[2])
    d = op._inputs[1]
    zeros = builders.zeros(d._shape, dtype=grad._dtype) if d._shape is not None and \
        None not in d._shape else builders.zeros_like(d)
    return [matrix_set_diag(grad, zeros, k=k), matrix_diag_part(grad, k=k), None]


# -- MatrixBandPart ---------------------------------------------------------------------------------
def matrix_band_part(input: Any, num_lower: Any, num_upper: Any,
                     name: str | None = None) -> Tensor:
    """``tf.linalg.band_part``: op ``MatrixBandPart`` (a negative count keeps that whole
    triangle)."""
    graph = check_same_graph(input, num_lower, num_upper)
    full = graph._op_name(name, "MatrixBandPart")
    with scope_of(graph, full):
        x = first_input(input, "input")
        lo = convert_to_tensor(num_lower, dtype_hint=_int64, name="num_lower")
        hi = typed_input(num_upper, lo._dtype, "MatrixBandPart", "num_upper", "num_lower")
    if x._shape is not None and len(x._shape) < 2:
        raise node_error(f"Shape must be at least rank 2 but is rank {len(x._shape)}", full,
                         "MatrixBandPart", f"T={dt_enum(x._dtype)}, "
                         f"Tindex={dt_enum(lo._dtype)}", [x, lo, hi])
    return make_op(graph, full, "MatrixBandPart", [x, lo, hi],
                   {"T": x._dtype, "Tindex": lo._dtype}, [(x._dtype, x._shape)])._outputs[0]


@register_kernel("MatrixBandPart")
def _band_part_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(x: np.ndarray, lo: Any, hi: Any) -> np.ndarray:
        m, n = x.shape[-2:]
        lo_, hi_ = int(lo), int(hi)
        if lo_ > m:
            raise ValueError(f"num_lower must be negative or less or equal to number of rows "
                             f"({m}) got: {lo_}")
        if hi_ > n:
            raise ValueError(f"num_upper must be negative or less or equal to number of "
                             f"columns ({n}) got: {hi_}")
        i = np.arange(m)[:, None]
        j = np.arange(n)[None, :]
        keep = ((lo_ < 0) | (i - j <= lo_)) & ((hi_ < 0) | (j - i <= hi_))
        return np.where(keep, x, np.zeros((), x.dtype))
    return kernel


@RegisterGradient("MatrixBandPart")
def _band_part_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [matrix_band_part(grad, op._inputs[1], op._inputs[2]), None, None]


# -- eye, trace -------------------------------------------------------------------------------------
def eye(num_rows: Any, num_columns: Any = None, batch_shape: Any = None,
        dtype: Any = _dtypes.float32, name: str | None = None) -> Tensor:
    """``tf.eye`` (TF's linalg_ops_impl.eye): under ``eye``, a MatrixDiagV3 of ones when the
    matrix is square, else a MatrixSetDiagV3 of ones into zeros; the sizes and the batch shape
    may be tensors."""
    graph = check_same_graph(num_rows, num_columns, batch_shape)
    dt = _dtypes.as_dtype(dtype)
    full = graph._op_name(name, "eye")
    with scope_of(graph, full):
        is_square = num_columns is None
        batch: Any = [] if batch_shape is None else batch_shape
        cols = num_rows if num_columns is None else num_columns
        diag_size: Any
        if isinstance(num_rows, Tensor) or isinstance(cols, Tensor):
            diag_size = builders.minimum(num_rows, cols)
        else:
            if not isinstance(num_rows, (int, np.integer)) or not isinstance(
                    cols, (int, np.integer)):
                raise TypeError("Arguments `num_rows` and `num_columns` must be positive "
                                f"integer values. Received: num_rows={num_rows}, "
                                f"num_columns={num_columns}")
            is_square = num_rows == cols
            diag_size = int(min(num_rows, cols))
        shape: Any = None
        if isinstance(batch, Tensor) or isinstance(diag_size, Tensor):
            batch = convert_to_tensor(batch, name="shape", dtype=_int32)
            diag_shape: Any = builders.concat((batch, [diag_size]), axis=0)
            if not is_square:
                shape = builders.concat((batch, [num_rows, cols]), axis=0)
        else:
            batch = [int(b) for b in batch]
            diag_shape = [*batch, diag_size]
            if not is_square:
                shape = [*batch, int(num_rows), int(cols)]
        ones = builders.ones(diag_shape, dtype=dt)
        if is_square:
            return matrix_diag(ones)
        return matrix_set_diag(builders.zeros(shape, dtype=dt), ones)


def trace(x: Any, name: str | None = None) -> Tensor:
    """``tf.linalg.trace``: the sum of the main diagonal (a Sum named ``Trace``)."""
    graph = check_same_graph(x)
    full = graph._op_name(name, "Trace")
    with scope_of(graph, full):
        t = convert_to_tensor(x, name="x")
        return builders.reduce_sum(matrix_diag_part(t), [-1],  # type: ignore[no-any-return]
                                   name=full + "/")


builders.register(globals(), __all__)
