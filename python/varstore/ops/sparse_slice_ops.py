"""Sparse slicing (TF's sparse_ops over gen_sparse_ops): ``tf.sparse.slice`` (SparseSlice and
its gradient SparseSliceGrad) and ``tf.sparse.split`` (SparseSplit, no gradient in TF), with
TF's graphs, static shapes and kernel checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InternalError
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.framework.sparse_tensor import SparseTensor
from varstore.ops.sparse_array_ops import _num_elements
from varstore.ops.sparse_math_ops import _dbg, _validate
from varstore.ops.sparse_ops import _convert_to_sparse_tensor
from varstore.util.deprecation import deprecated_argument_lookup

__all__ = [
    "sparse_slice",
    "sparse_split",
]

_int64 = _dtypes.int64


# -- SparseSlice ----------------------------------------------------------------------------------
def sparse_slice(sp_input: Any, start: Any, size: Any, name: str | None = None) -> SparseTensor:
    """``tf.sparse.slice``: op ``SparseSlice``; the entries inside [start, start + size),
    re-based at ``start``, and the slice's shape clipped to the input's."""
    sp = _convert_to_sparse_tensor(sp_input)
    start_t = convert_to_tensor(start, _int64)
    size_t = convert_to_tensor(size, _int64)
    with name_scope(name, "SparseSlice", [sp.indices, sp.values, sp.dense_shape]) as scope:
        graph = check_same_graph(sp.indices, sp.values, sp.dense_shape, start_t, size_t)
        full = graph._op_name(scope, "SparseSlice")
        op = make_op(graph, full, "SparseSlice",
                     [sp.indices, sp.values, sp.dense_shape, start_t, size_t],
                     {"T": sp.dtype},
                     [(_int64, (None, _num_elements(sp.dense_shape._shape))),
                      (sp.dtype, (None,)), (_int64, sp.dense_shape._shape)])
        return SparseTensor(*op._outputs)


@register_kernel("SparseSlice")
def _sparse_slice_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray, start: np.ndarray,
               size: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        for what, t, nd in (("indices", idx, 2), ("values", vals, 1), ("shape", shape, 1),
                            ("start", start, 1), ("size", size, 1)):
            if t.ndim != nd:
                kind = "a matrix" if nd == 2 else "a vector"
                raise ValueError(f"Input {what} should be {kind} but received shape "
                                 f"{_dbg(t)}")
        rank = int(shape.size)
        for what, t in (("start", start), ("size", size)):
            if t.size != rank:
                raise ValueError(f"Expected {what} to be a vector of length {rank} but got "
                                 f"length {t.size}")
        _validate(idx, vals, shape, bounds=False)
        for d in shape:
            if d < 0:
                raise ValueError(f"Expected shape dimensions to be non-negative, got {int(d)}")
        for v in size:
            if v < 0:
                raise ValueError(f"Expected a non-negative size, got {int(v)}")
        end = start + size
        keep = np.all((idx >= start) & (idx < end), axis=1) if idx.shape[0] else \
            np.zeros(0, bool)
        out_shape = np.maximum(np.minimum(end, shape) - start, 0).astype(np.int64)
        return ((idx[keep] - start).astype(np.int64).reshape(-1, rank), vals[keep],
                out_shape)
    return kernel


@RegisterGradient("SparseSlice")
def _sparse_slice_grad(op: Operation, *grads: Any) -> list[Any]:
    """sparse_grad._SparseSliceGrad: SparseSliceGrad puts each sliced entry's gradient back
    at its input entry (zeros elsewhere)."""
    graph = op._graph
    full = graph._op_name(None, "SparseSliceGrad")
    grad = grads[1]
    ins = [grad, op._inputs[0], op._inputs[3], op._outputs[0]]
    out = make_op(graph, full, "SparseSliceGrad", ins, {"T": grad._dtype},
                  [(grad._dtype, op._inputs[1]._shape)])._outputs[0]
    return [None, out, None, None, None]


@register_kernel("SparseSliceGrad")
def _sparse_slice_grad_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(g: np.ndarray, in_idx: np.ndarray, start: np.ndarray,
               out_idx: np.ndarray) -> np.ndarray:
        if in_idx.ndim != 2 or out_idx.ndim != 2:
            raise ValueError(f"input_indices and output_indices should be matrices but "
                             f"received shapes: {_dbg(in_idx)} and {_dbg(out_idx)}")
        if g.ndim != 1:
            raise ValueError(f"backprop_val_grad should be a vector but received shape: "
                             f"{_dbg(g)}")
        out = np.zeros(in_idx.shape[0], g.dtype)
        j = 0
        for i in range(in_idx.shape[0]):
            if j >= out_idx.shape[0]:
                break
            if np.array_equal(in_idx[i], out_idx[j] + start):
                out[i] = g[j]
                j += 1
        if j != out_idx.shape[0]:
            raise InternalError(None, None, f"Elements of backprop_val_grad aren't all "
                                f"propagated. Num elements:{out_idx.shape[0]}, used: {j}")
        return out
    return kernel


# -- SparseSplit ----------------------------------------------------------------------------------
class KeywordRequired:
    """TF's sentinel: sparse_split takes its arguments by keyword only."""

    def __repr__(self) -> str:
        return "KeywordRequired()"


def sparse_split(keyword_required: Any = KeywordRequired(), sp_input: Any = None,  # noqa: B008
                 num_split: Any = None, axis: Any = None, name: str | None = None,
                 split_dim: Any = None) -> list[SparseTensor]:
    """``tf.sparse.split`` (TF1): op ``SparseSplit``; the first ``shape[axis] % num_split``
    pieces are one longer."""
    if not isinstance(keyword_required, KeywordRequired):
        raise ValueError("Keyword arguments are required for this function.")  # noqa: TRY004 - TF's type
    if sp_input is None:
        raise ValueError("sp_input is required")
    if num_split is None:
        raise ValueError("num_split is required")
    if axis is None:
        raise ValueError("axis is required")
    axis = deprecated_argument_lookup("axis", axis, "split_dim", split_dim)
    sp = _convert_to_sparse_tensor(sp_input)
    graph = check_same_graph(sp.indices, sp.values, sp.dense_shape, axis)
    full = graph._op_name(name, "SparseSplit")
    if isinstance(num_split, bool) or not isinstance(num_split, int):
        raise TypeError(f"Expected int for argument 'num_split' not {num_split!r}.")
    if num_split < 1:
        raise ValueError(f"Attr 'num_split' of 'SparseSplit' Op passed {num_split} less than "
                         "minimum 1.")
    with scope_of(graph, full):
        if isinstance(axis, Tensor):
            if axis._dtype is not _int64:
                raise TypeError(f"Input 'split_dim' of 'SparseSplit' Op has type "
                                f"{axis._dtype.name} that does not match expected type of "
                                "int64.")
            dim = axis
        else:
            dim = convert_to_tensor(axis, dtype=_int64, name="split_dim")
    cols = _num_elements(sp.dense_shape._shape)
    outs = ([(_int64, (None, cols))] * num_split + [(sp.dtype, (None,))] * num_split
            + [(_int64, sp.dense_shape._shape)] * num_split)
    op = make_op(graph, full, "SparseSplit", [dim, sp.indices, sp.values, sp.dense_shape],
                 {"num_split": num_split, "T": sp.dtype}, outs)
    o = op._outputs
    return [SparseTensor(o[i], o[num_split + i], o[2 * num_split + i])
            for i in range(num_split)]


@register_kernel("SparseSplit")
def _sparse_split_kernel(op: Operation) -> Callable[..., Any]:
    n = int(op._attrs["num_split"])

    def kernel(axis_in: np.ndarray, idx: np.ndarray, vals: np.ndarray,
               shape: np.ndarray) -> tuple[np.ndarray, ...]:
        if idx.ndim != 2:
            raise ValueError(f"Input indices should be a matrix but received shape "
                             f"{_dbg(idx)}")
        if vals.ndim != 1:
            raise ValueError(f"Input values should be a vector but received shape "
                             f"{_dbg(idx)}")
        if shape.ndim != 1:
            raise ValueError(f"Input shape should be a vector but received shape "
                             f"{_dbg(shape)}")
        _validate(idx, vals, shape)
        rank = int(shape.size)
        a = int(axis_in)
        axis = rank + a if a < 0 else a
        if not 0 <= axis < rank:
            raise ValueError(f"Input axis should be in range [{-rank}, {rank}), got {a}")
        dim_size = int(shape[axis])
        if not 1 <= n <= dim_size:
            raise ValueError(f"Input num_split should be between 1 and the splitting "
                             f"dimension size ({dim_size}), got {n}")
        size, residual = dim_size // n, dim_size % n
        cut = residual * (size + 1)
        coord = idx[:, axis] if idx.shape[0] else np.zeros(0, np.int64)
        piece = np.where(coord < cut, coord // (size + 1), residual + (coord - cut) // size)
        local = np.where(coord < cut, coord % (size + 1), (coord - cut) % size)
        out_i, out_v, out_s = [], [], []
        for p in range(n):
            mask = piece == p
            ind = idx[mask].astype(np.int64).reshape(-1, rank)
            ind[:, axis] = local[mask]
            out_i.append(ind)
            out_v.append(vals[mask])
            s = shape.astype(np.int64).copy()
            s[axis] = size + 1 if p < residual else size
            out_s.append(s)
        return (*out_i, *out_v, *out_s)
    return kernel


builders.register(globals(), __all__)
