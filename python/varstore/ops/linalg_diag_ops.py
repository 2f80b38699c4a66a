"""Diagonals and bands of matrices (TF's array_ops / linalg ops on the innermost two dims):
Diag, DiagPart, MatrixDiagV3, MatrixDiagPartV3, MatrixSetDiagV3, MatrixBandPart, with eye and
trace built from them, each with TF's shapes, kernels and gradients (array_grad.py).

Diagonals take one offset ``k`` or a band ``(k_lower, k_upper)`` known at graph construction;
a band's diagonals are stacked from k_upper down, shorter ones padded as ``align`` says."""

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


def _k_band(k: Any, full: str = "", op_type: str = "", attrs: str = "",
            inputs: list[Tensor] | None = None) -> tuple[int, int]:
    """(lower, upper) diagonal offsets of ``k`` (one offset or a band)."""
    kv = constant_value(k) if isinstance(k, Tensor) else np.asarray(k)
    if kv is None:
        raise ValueError(f"varstore needs the diagonal offsets k at graph construction, got "
                         f"{k!r}")
    flat = np.reshape(kv, -1).astype(np.int64)
    shown = f" and with computed input tensors: input[1] = <{' '.join(map(str, flat))}>"
    if flat.size not in (1, 2):
        raise node_error(f"diag_index must be a vector with one or two elements. It has "
                         f"{flat.size} elements.", full, op_type, attrs, inputs or [], shown)
    lo, hi = int(flat[0]), int(flat[-1])
    if lo > hi:
        raise node_error("lower_diag_index is greater than upper_diag_index", full, op_type,
                         attrs, inputs or [], shown)
    return lo, hi


def _k_arg(lo: int, hi: int) -> Any:
    return lo if lo == hi else (lo, hi)


def _band(rows: int, cols: int, lo: int, hi: int, align: str
          ) -> tuple[int, list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]]:
    """max_diag_len and, per diagonal d = hi..lo: (row in the stacked diagonals, its matrix
    rows, its matrix columns, its positions in that row)."""
    max_len = max(0, min(rows + min(hi, 0), cols - max(lo, 0)))
    left_super = align in ("LEFT_LEFT", "LEFT_RIGHT")
    left_sub = align in ("LEFT_LEFT", "RIGHT_LEFT")
    out = []
    for r, d in enumerate(range(hi, lo - 1, -1)):
        length = max(0, min(rows + min(d, 0), cols - max(d, 0)))
        i = np.arange(length) - min(d, 0)
        left = (d >= 0 and left_super) or (d <= 0 and left_sub)
        out.append((r, i, i + d, np.arange(length) + (0 if left else max_len - length)))
    return max_len, out


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
    """``tf.linalg.diag`` / ``tf.matrix_diag``: op ``MatrixDiagV3``."""
    graph = check_same_graph(diagonal)
    full = graph._op_name(name, "diag")
    with scope_of(graph, full):
        d = first_input(diagonal, "diagonal")
        kt = convert_to_tensor(k, dtype=_int32, name="k")
        rows = convert_to_tensor(num_rows, dtype=_int32, name="num_rows")
        cols = convert_to_tensor(num_cols, dtype=_int32, name="num_cols")
        pad = convert_to_tensor(padding_value, dtype=d._dtype, name="padding_value")
    ins = [d, kt, rows, cols, pad]
    text = f"T={dt_enum(d._dtype)}, align=\"{align}\""
    lo, hi = _k_band(kt, full, "MatrixDiagV3", text, ins)
    out: Dims = None
    if d._shape is not None:
        need = 1 if lo == hi else 2
        if len(d._shape) < need:
            raise node_error(f"Shape must be at least rank {need} but is rank "
                             f"{len(d._shape)}", full, "MatrixDiagV3", text, ins)
        n = d._shape[-1]
        rv, cv = int(constant_value(rows)), int(constant_value(cols))  # type: ignore[arg-type]
        min_rows = None if n is None else n - min(hi, 0)
        min_cols = None if n is None else n + max(lo, 0)
        if rv == -1 and cv == -1:
            r = c = None if n is None else max(min_rows, min_cols)  # type: ignore[type-var]
        else:
            r = rv if rv != -1 else min_rows
            c = cv if cv != -1 else min_cols
        out = (*d._shape[:-need], r, c)
    return make_op(graph, full, "MatrixDiagV3", ins,
                   {"T": d._dtype, "align": align}, [(d._dtype, out)])._outputs[0]


def matrix_diag_part(input: Any, name: str = "diag_part", k: Any = 0, padding_value: Any = 0,
                     align: str = "RIGHT_LEFT") -> Tensor:
    """``tf.linalg.diag_part`` / ``tf.matrix_diag_part``: op ``MatrixDiagPartV3``."""
    graph = check_same_graph(input)
    full = graph._op_name(name, "diag_part")
    with scope_of(graph, full):
        x = first_input(input, "input")
        kt = convert_to_tensor(k, dtype=_int32, name="k")
        pad = convert_to_tensor(padding_value, dtype=x._dtype, name="padding_value")
    ins = [x, kt, pad]
    text = f"T={dt_enum(x._dtype)}, align=\"{align}\""
    lo, hi = _k_band(kt, full, "MatrixDiagPartV3", text, ins)
    out: Dims = None
    if x._shape is not None:
        if len(x._shape) < 2:
            raise node_error(f"Shape must be at least rank 2 but is rank {len(x._shape)}",
                             full, "MatrixDiagPartV3", text, ins)
        rows, cols = x._shape[-2:]
        shown = (f" and with computed input tensors: input[1] = "
                 f"<{lo if lo == hi and kt._shape == () else f'{lo} {hi}'}>")
        if rows is not None and cols is not None:
            if lo != 0 and not -rows < lo < cols:
                raise node_error("lower_diag_index is out of bound.", full,
                                 "MatrixDiagPartV3", text, ins, shown)
            if hi != 0 and not -rows < hi < cols:
                raise node_error("upper_diag_index is out of bound.", full,
                                 "MatrixDiagPartV3", text, ins, shown)
        n = None if rows is None or cols is None else max(
            0, min(rows + min(hi, 0), cols - max(lo, 0)))
        out = (*x._shape[:-2], n) if lo == hi else (*x._shape[:-2], hi - lo + 1, n)
    return make_op(graph, full, "MatrixDiagPartV3", ins,
                   {"T": x._dtype, "align": align}, [(x._dtype, out)])._outputs[0]


def matrix_set_diag(input: Any, diagonal: Any, name: str = "set_diag", k: Any = 0,
                    align: str = "RIGHT_LEFT") -> Tensor:
    """``tf.linalg.set_diag`` / ``tf.matrix_set_diag``: op ``MatrixSetDiagV3``."""
    graph = check_same_graph(input, diagonal)
    full = graph._op_name(name, "set_diag")
    with scope_of(graph, full):
        x = first_input(input, "input")
        d = typed_input(diagonal, x._dtype, "MatrixSetDiagV3", "diagonal", "input")
        kt = convert_to_tensor(k, dtype=_int32, name="k")
    ins = [x, d, kt]
    text = f"T={dt_enum(x._dtype)}, align=\"{align}\""
    _k_band(kt, full, "MatrixSetDiagV3", text, ins)
    if x._shape is not None and len(x._shape) < 2:
        raise node_error(f"Shape must be at least rank 2 but is rank {len(x._shape)}", full,
                         "MatrixSetDiagV3", text, ins)
    return make_op(graph, full, "MatrixSetDiagV3", ins,
                   {"T": x._dtype, "align": align}, [(x._dtype, x._shape)])._outputs[0]


def _stacked(d: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return d[..., None, :] if lo == hi else d


@register_kernel("MatrixDiagV3")
def _matrix_diag_kernel(op: Operation) -> Callable[..., Any]:
    align = op._attrs["align"]

    def kernel(d: np.ndarray, k: Any, num_rows: Any, num_cols: Any, pad: Any) -> np.ndarray:
        lo, hi = _k_band(k)
        diags = _stacked(d, lo, hi)
        if diags.shape[-2] != hi - lo + 1:
            raise ValueError("The number of diagonals provided in the input does not match "
                             "the lower_diag_index and upper_diag_index range.")
        n = diags.shape[-1]
        rows, cols = int(num_rows), int(num_cols)
        min_rows, min_cols = n - min(hi, 0), n + max(lo, 0)
        if rows == -1 and cols == -1:
            rows = cols = max(min_rows, min_cols)
        elif rows == -1:
            rows = min_rows
        elif cols == -1:
            cols = min_cols
        max_len, band = _band(rows, cols, lo, hi, align)
        if max_len != n:
            raise ValueError(f"The number of elements in each diagonal must be {max_len}, "
                             f"got {n}.")
        out = np.full((*diags.shape[:-2], rows, cols), pad, dtype=d.dtype)
        for r, i, j, pos in band:
            out[..., i, j] = diags[..., r, pos]
        return out
    return kernel


@register_kernel("MatrixDiagPartV3")
def _matrix_diag_part_kernel(op: Operation) -> Callable[..., Any]:
    align = op._attrs["align"]

    def kernel(x: np.ndarray, k: Any, pad: Any) -> np.ndarray:
        lo, hi = _k_band(k)
        max_len, band = _band(x.shape[-2], x.shape[-1], lo, hi, align)
        out = np.full((*x.shape[:-2], hi - lo + 1, max_len), pad, dtype=x.dtype)
        for r, i, j, pos in band:
            out[..., r, pos] = x[..., i, j]
        return out[..., 0, :] if lo == hi else out
    return kernel


@register_kernel("MatrixSetDiagV3")
def _matrix_set_diag_kernel(op: Operation) -> Callable[..., Any]:
    align = op._attrs["align"]

    def kernel(x: np.ndarray, d: np.ndarray, k: Any) -> np.ndarray:
        lo, hi = _k_band(k)
        max_len, band = _band(x.shape[-2], x.shape[-1], lo, hi, align)
        diags = _stacked(d, lo, hi)
        want = (*x.shape[:-2], hi - lo + 1, max_len)
        if diags.shape != want:
            shown = want if lo != hi else (*x.shape[:-2], max_len)
            raise ValueError(f"diagonal must have shape {list(shown)}, got {list(d.shape)}")
        out = np.array(x)
        for r, i, j, pos in band:
            out[..., i, j] = diags[..., r, pos]
        return out
    return kernel


@RegisterGradient("MatrixDiagV3")
def _matrix_diag_grad(op: Operation, grad: Tensor) -> list[Any]:
    lo, hi = _k_band(op._inputs[1])
    return [matrix_diag_part(grad, k=_k_arg(lo, hi), align=op._attrs["align"]),
            None, None, None, None]


@RegisterGradient("MatrixDiagPartV3")
def _matrix_diag_part_grad(op: Operation, grad: Tensor) -> list[Any]:
    x = op._inputs[0]
    k = _k_arg(*_k_band(op._inputs[1]))
    align = op._attrs["align"]
    dims = x._shape
    if dims is not None and None not in dims:
        return [matrix_diag(grad, k=k, num_rows=dims[-2], num_cols=dims[-1], align=align),
                None, None]
    return [matrix_set_diag(builders.zeros_like(x), grad, k=k, align=align), None, None]


@RegisterGradient("MatrixSetDiagV3")
def _matrix_set_diag_grad(op: Operation, grad: Tensor) -> list[Any]:
    k = _k_arg(*_k_band(op._inputs[2]))
    align = op._attrs["align"]
    d = op._inputs[1]
    zeros = builders.zeros(d._shape, dtype=grad._dtype) if d._shape is not None and \
        None not in d._shape else builders.zeros_like(d)
    return [matrix_set_diag(grad, zeros, k=k, align=align),
            matrix_diag_part(grad, k=k, align=align), None]


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
