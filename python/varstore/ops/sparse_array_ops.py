"""Sparse shape manipulation (TF's sparse_ops over gen_sparse_ops): ``tf.sparse.concat``
(SparseConcat), ``tf.sparse.reshape`` (SparseReshape) and ``tf.sparse.fill_empty_rows``
(SparseFillEmptyRows and SparseFillEmptyRowsGrad), with TF's graphs, static shapes, kernel
checks and gradients. Slicing and splitting are in sparse_slice_ops.py."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InternalError
from varstore.framework.constant_op import (
    constant_value,
    constant_value_as_shape,
    convert_to_tensor,
)
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
)
from varstore.framework.sparse_tensor import SparseTensor
from varstore.framework.tensor_shape import Dimension, TensorShape
from varstore.ops.sparse_math_ops import _dbg, create_check
from varstore.ops.sparse_ops import _convert_to_sparse_tensor
from varstore.util.deprecation import deprecated_argument_lookup

__all__ = [
    "sparse_concat",
    "sparse_fill_empty_rows",
    "sparse_reshape",
]

Dims = tuple[int | None, ...] | None
_int64 = _dtypes.int64


def _num_elements(shape: Dims) -> int | None:
    """InferenceContext::NumElements of a shape tensor's static shape."""
    if shape is None or None in shape:
        return None
    return _prod(shape)


def _prod(dims: Any) -> int:
    """The product of dims known to be ints."""
    return math.prod(int(d) for d in dims)


def _convert_to_sparse_tensors(sp_inputs: Any) -> list[SparseTensor]:
    if isinstance(sp_inputs, list):
        return [_convert_to_sparse_tensor(sp) for sp in sp_inputs]
    if isinstance(sp_inputs, tuple):
        # TF returns a generator here, so a tuple of inputs fails where its length is taken.
        raise TypeError("object of type 'generator' has no len()")
    raise TypeError("Inputs must be a list or tuple.")


# -- SparseConcat ---------------------------------------------------------------------------------
def sparse_concat(axis: Any, sp_inputs: Any, name: str | None = None,
                  expand_nonconcat_dim: bool = False, concat_dim: Any = None,
                  expand_nonconcat_dims: Any = None) -> SparseTensor:
    """``tf.sparse.concat`` (TF1): op ``SparseConcat``; with ``expand_nonconcat_dim`` every
    input's shape is first widened to the inputs' maximum outside the concat dimension."""
    expand = deprecated_argument_lookup("expand_nonconcat_dims", expand_nonconcat_dims,
                                "expand_nonconcat_dim", expand_nonconcat_dim)
    if expand_nonconcat_dims is not None:
        expand = expand_nonconcat_dims
    axis = deprecated_argument_lookup("axis", axis, "concat_dim", concat_dim)
    sps = _convert_to_sparse_tensors(sp_inputs)
    if len(sps) == 1:
        return sps[0]
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise TypeError(f"Expected int for argument 'concat_dim' not {axis!r}.")
    inds = [sp.indices for sp in sps]
    vals = [sp.values for sp in sps]
    shapes = [sp.dense_shape for sp in sps]
    if expand:
        max_shape = builders.reduce_max(builders.concat(
            [builders.reshape(s, [1, -1]) for s in shapes], 0), 0)
        shapes = [builders.concat(
            [max_shape[:axis], s[-1:] if axis == -1 else s[axis:axis + 1],
             [] if axis == -1 else max_shape[axis + 1:]], 0) for s in shapes]
    out_ind, out_val, out_shape = _sparse_concat_op(inds, vals, shapes, axis, name)
    input_shapes = [sp.shape for sp in sps]
    static: TensorShape
    if all(s.ndims is not None for s in input_shapes):
        if expand:
            dims: list[Any] = []
            for d in range(input_shapes[0].ndims or 0):
                # TF takes Python's max over Dimensions: an unknown one compares as false.
                cur = _dim(input_shapes[0], d)
                for s in input_shapes[1:]:
                    nxt = _dim(s, d)
                    if cur.value is not None and nxt.value is not None and nxt.value > cur.value:
                        cur = nxt
                dims.append(cur.value)
        else:
            dims = input_shapes[0].as_list()
        total: int | None = 0
        for s in input_shapes:
            v = _dim(s, axis).value
            total = None if total is None or v is None else total + v
        dims[axis] = total
        static = TensorShape(dims)
    else:
        static = TensorShape(None)
    if all(s.is_fully_defined() for s in input_shapes):
        return SparseTensor(out_ind, out_val, convert_to_tensor(static.as_list(),
                                                                dtype=_int64))
    out = SparseTensor(out_ind, out_val, out_shape)
    out.set_shape(static)
    return out


def _dim(shape: TensorShape, index: int) -> Dimension:
    """tensor_shape.dimension_at_index."""
    dims = shape._dims
    if dims is None:
        return Dimension(None)
    return Dimension(list(dims)[index])


def _sparse_concat_op(inds: list[Tensor], vals: list[Tensor], shapes: list[Tensor],
                      axis: int, name: str | None) -> list[Tensor]:
    graph = check_same_graph(inds, vals, shapes)
    full = graph._op_name(name, "SparseConcat")
    dt = vals[0]._dtype
    if any(v._dtype is not dt for v in vals):
        names = ", ".join(v._dtype.name for v in vals)
        raise TypeError(f"Tensors in list passed to 'values' of 'SparseConcat' Op have types "
                        f"[{names}] that don't all match.")
    n = len(inds)
    ins = [*inds, *vals, *shapes]
    attrs_s = f"N={n}, T={dt_enum(dt)}, concat_dim={axis}"
    rows: int | None = 0
    cols: int | None = None
    rank: int | None = None
    for i in range(n):
        ind, val, shp = inds[i]._shape, vals[i]._shape, shapes[i]._shape
        r_ind = None if ind is None else ind[0]
        r_val = None if val is None else val[0]
        if r_ind is not None and r_val is not None and r_ind != r_val:
            raise node_error(f"Dimensions must be equal, but are {r_ind} and {r_val}", full,
                             "SparseConcat", attrs_s, ins)
        num = r_ind if r_ind is not None else r_val
        rows = None if rows is None or num is None else rows + num
        c = None if ind is None else ind[1]
        if cols is not None and c is not None and cols != c:
            raise node_error(f"Dimensions must be equal, but are {cols} and {c}", full,
                             "SparseConcat", attrs_s, ins)
        cols = c if cols is None else cols
        s = None if shp is None else shp[0]
        if rank is not None and s is not None and rank != s:
            raise node_error(f"Dimension 0 in both shapes must be equal, but are {rank} and "
                             f"{s}. Shapes are [{rank}] and [{s}].", full, "SparseConcat",
                             attrs_s, ins)
        rank = s if rank is None else rank
    op = make_op(graph, full, "SparseConcat", ins, {"concat_dim": axis, "N": n, "T": dt},
                 [(_int64, (rows, cols)), (dt, (rows,)), (_int64, (rank,))])
    return list(op._outputs)


@register_kernel("SparseConcat")
def _sparse_concat_kernel(op: Operation) -> Callable[..., Any]:
    n = int(op._attrs["N"])
    attr_dim = int(op._attrs["concat_dim"])

    def kernel(*arrays: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        inds, vals, shapes = arrays[:n], arrays[n:2 * n], arrays[2 * n:]
        for i, ind in enumerate(inds):
            if ind.ndim != 2:
                raise ValueError(f"Input indices should be a matrix but received shape "
                                 f"{_dbg(ind)} at position {i}")
        for i, v in enumerate(vals):
            if v.ndim != 1:
                raise ValueError(f"Input values should be a vector but received shape "
                                 f"{_dbg(v)} at position {i}")
        for i, s in enumerate(shapes):
            if s.ndim != 1:
                raise ValueError(f"Input shapes should be a vector but received shape "
                                 f"{_dbg(s)} at position {i}")
        first = shapes[0]
        rank = int(first.size)
        dim = rank + attr_dim if attr_dim < 0 else attr_dim
        if not 0 <= dim < rank:
            raise ValueError(f"Concat dimension must be in range [{-rank}, {rank}), got "
                             f"{attr_dim}")
        for i in range(1, n):
            cur = shapes[i]
            if cur.size != rank:
                raise ValueError(f"Ranks of all input tensors must match: expected {rank} but "
                                 f"got {cur.size} at position {i}")
            for j in range(rank):
                if j != dim and first[j] != cur[j]:
                    raise ValueError(f"Input shapes must match: expected {int(first[j])} for "
                                     f"dimension {j} but got {int(cur[j])} at position {i}")
        if any(np.any(sh < 0) for sh in shapes):
            raise InternalError(None, None, "Encountered overflow from large input shape.")
        for i in range(n):
            create_check(inds[i], vals[i], shapes[i])
        offset = 0
        parts = []
        for i in range(n):
            moved = inds[i].copy()
            moved[:, dim] += offset
            parts.append(moved)
            offset += int(shapes[i][dim])
        all_ind = np.concatenate(parts, 0).astype(np.int64)
        all_val = np.concatenate(vals, 0)
        out_shape = first.astype(np.int64).copy()
        out_shape[dim] = offset
        if all_ind.shape[0]:
            order = np.lexsort(all_ind.T[::-1])
            all_ind, all_val = all_ind[order], all_val[order]
        return all_ind, all_val, out_shape
    return kernel


NotDifferentiable("SparseConcat")


# -- SparseReshape --------------------------------------------------------------------------------
def sparse_reshape(sp_input: Any, shape: Any, name: str | None = None) -> SparseTensor:
    """``tf.sparse.reshape``: op ``SparseReshape`` recomputes the indices; the values pass
    through an Identity. A fully known result shape becomes a constant, checked as TF
    checks it."""
    sp = _convert_to_sparse_tensor(sp_input)
    shape_t = builders.cast(shape, _int64)
    with name_scope(name, "SparseReshape", [sp.indices, sp.values, sp.dense_shape]) as scope:
        graph = check_same_graph(sp.indices, sp.dense_shape, shape_t)
        full = graph._op_name(scope, "SparseReshape")
        ins = [sp.indices, sp.dense_shape, shape_t]
        for t in ins:
            if t._shape is not None and len(t._shape) != (2 if t is sp.indices else 1):
                raise node_error(f"Shape must be rank {2 if t is sp.indices else 1} but is "
                                 f"rank {len(t._shape)}", full, "SparseReshape", "", ins)
        new_rank = None if shape_t._shape is None else shape_t._shape[0]
        rows = None if sp.indices._shape is None else sp.indices._shape[0]
        # TF's shape fn: WithRank(new_shape, 1), so an unknown new shape is still a vector
        op = make_op(graph, full, "SparseReshape", ins, {},
                     [(_int64, (rows, new_rank)), (_int64, (new_rank,))])
        out_ind, out_shape = op._outputs
        result_shape: Any = out_shape
        const_shape = constant_value_as_shape(shape_t)
        if const_shape is not None and sp.shape.is_fully_defined():
            by_user = constant_value(shape_t)
            if by_user is not None and int(np.sum(by_user == -1)) > 1:
                raise ValueError(f"At most one dimension can be inferred (-1). Found: "
                                 f"{by_user}")
            dims: list[int | None] = list(const_shape)
            original = list(dims)
            in_size = _prod(sp.shape.as_list())
            implied = sum(d is None for d in dims)
            if implied == 1 and 0 not in dims:
                at = original.index(None)
                rest = [d for i, d in enumerate(original) if i != at]
                dims[at] = int(in_size // _prod(rest))
            if implied == 0 or (implied == 1 and 0 not in dims):
                size = _prod(dims)
                if size != in_size:
                    raise ValueError(f"Cannot reshape a tensor with {in_size} elements to "
                                     f"shape {_list_text(original)} ({size} elements).")
                result_shape = convert_to_tensor(np.array(dims, np.int64))
        return SparseTensor(out_ind, builders.identity(sp.values), result_shape)


def _list_text(dims: list[int | None]) -> str:
    return "[" + ", ".join("None" if d is None else str(d) for d in dims) + "]"


@register_kernel("SparseReshape")
def _sparse_reshape_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(idx: np.ndarray, in_shape: np.ndarray,
               target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if idx.ndim != 2:
            raise ValueError(f"Input indices should be a matrix but received shape "
                             f"{_dbg(idx)}")
        if in_shape.ndim != 1:
            raise ValueError(f"Input shape should be a vector but received shape "
                             f"{_dbg(in_shape)}")
        if target.ndim != 1:
            raise ValueError(f"Target shape should be a vector but received shape "
                             f"{_dbg(target)}")
        if idx.shape[1] != in_shape.size:
            raise ValueError("Input tensor rank must match input shape length.")
        for d in in_shape:
            if d < 0:
                raise ValueError(f"Expected shape dimensions to be non-negative, got {int(d)}")
        dense_size = int(np.prod(in_shape, dtype=np.int64))
        out = []
        product = 1
        unknown = -1
        for d, size in enumerate(int(s) for s in target):
            if size == -1:
                if unknown != -1:
                    raise ValueError(f"only one output dimension may be -1, not both "
                                     f"{unknown} and {d}")
                unknown = d
                out.append(1)
            else:
                if size < 0:
                    raise ValueError(f"size {d} must be non-negative, not {size}")
                product *= size
                out.append(size)
        shown = "[" + ",".join(str(int(s)) for s in in_shape) + "]"
        if unknown != -1:
            if product <= 0:
                raise ValueError("reshape cannot infer the missing input size for an empty "
                                 "tensor unless all specified input sizes are non-zero")
            missing = dense_size // product
            if product * missing != dense_size:
                raise ValueError(f"Input to reshape is a SparseTensor with {dense_size} dense "
                                 f"values, but the requested shape requires a multiple of "
                                 f"{product}. input_shape={shown} output_shape="
                                 f"[{','.join(str(s) for s in out)}]")
            out[unknown] = missing
        if int(np.prod(out, dtype=np.int64)) != dense_size:
            raise ValueError(f"Input to reshape is a tensor with {dense_size} dense values, "
                             f"but the requested shape has {int(np.prod(out, dtype=np.int64))}"
                             f". input_shape={shown} output_shape="
                             f"[{','.join(str(s) for s in out)}]")
        out_shape = np.array(out, np.int64)
        if idx.shape[0] and (dense_size == 0 or not out_shape.all()):
            raise ValueError(f"Input tensor has {idx.shape[0]} non zero elements but input "
                             f"shape ({shown}) or output shape "
                             f"([{','.join(str(s) for s in out)}]) is empty")
        if list(out) == [int(s) for s in in_shape]:
            return idx, in_shape
        if idx.shape[0] == 0:
            return np.zeros((0, len(out)), np.int64), out_shape
        in_strides = np.ones(in_shape.size, np.int64)
        for d in range(in_shape.size - 2, -1, -1):
            in_strides[d] = in_strides[d + 1] * in_shape[d + 1]
        out_strides = np.ones(len(out), np.int64)
        for d in range(len(out) - 2, -1, -1):
            out_strides[d] = out_strides[d + 1] * out[d + 1]
        linear = idx.astype(np.int64) @ in_strides
        new = np.empty((idx.shape[0], len(out)), np.int64)
        for d in range(len(out)):
            new[:, d] = linear // out_strides[d]
            linear = linear % out_strides[d]
        return new, out_shape
    return kernel


# -- SparseFillEmptyRows --------------------------------------------------------------------------
def sparse_fill_empty_rows(sp_input: Any, default_value: Any,
                           name: str | None = None) -> tuple[SparseTensor, Tensor]:
    """``tf.sparse.fill_empty_rows``: op ``SparseFillEmptyRows`` inside its name scope; each
    empty row gets one entry [row, 0, ...] = ``default_value``. Also returns the
    empty-row indicator."""
    sp = _convert_to_sparse_tensor(sp_input)
    with name_scope(name, "SparseFillEmptyRows", [sp.indices, sp.values, sp.dense_shape]):
        dv = convert_to_tensor(default_value, dtype=sp.values.dtype)
        graph = check_same_graph(sp.indices, sp.values, sp.dense_shape, dv)
        full = graph._op_name(None, "SparseFillEmptyRows")
        ins = [sp.indices, sp.values, sp.dense_shape, dv]
        attrs_s = f"T={dt_enum(sp.dtype)}"
        for t, want in zip(ins, (2, 1, 1, 0)):
            if t._shape is not None and len(t._shape) != want:
                raise node_error(f"Shape must be rank {want} but is rank {len(t._shape)}",
                                 full, "SparseFillEmptyRows", attrs_s, ins)
        n = None if sp.indices._shape is None else sp.indices._shape[0]
        if n is None and sp.values._shape is not None:
            n = sp.values._shape[0]
        dense = constant_value_as_shape(sp.dense_shape)
        rows = None if not dense else dense[0]
        op = make_op(graph, full, "SparseFillEmptyRows", ins, {"T": sp.dtype},
                     [(_int64, (None, _num_elements(sp.dense_shape._shape))),
                      (sp.dtype, (None,)), (_dtypes.bool, (rows,)), (_int64, (n,))])
        out_i, out_v, empty, _ = op._outputs
        return SparseTensor(out_i, out_v, sp.dense_shape), empty


@register_kernel("SparseFillEmptyRows")
def _fill_empty_rows_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray,
               dv: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        if shape.ndim != 1:
            raise ValueError(f"dense_shape must be a vector, saw: {_dbg(shape)}")
        if idx.ndim != 2:
            raise ValueError(f"indices must be a matrix, saw: {_dbg(idx)}")
        if vals.ndim != 1:
            raise ValueError(f"values must be a vector, saw: {_dbg(vals)}")
        if idx.shape[0] != vals.shape[0]:
            raise ValueError(f"The length of `values` ({vals.shape[0]}) must match the first "
                             f"dimension of `indices` ({idx.shape[0]}).")
        if idx.shape[1] != shape.shape[0]:
            raise ValueError(f"The length of `dense_shape` ({shape.shape[0]}) must match the "
                             f"second dimension of `indices` ({idx.shape[1]}).")
        if dv.ndim != 0:
            raise ValueError(f"default_value must be a scalar, saw: {_dbg(dv)}")
        if shape.size == 0:
            raise ValueError("Dense shape cannot be empty.")
        n_rows = int(shape[0])
        n = idx.shape[0]
        if n_rows == 0 and n:
            raise ValueError(f"Received SparseTensor with dense_shape[0] = 0 but "
                             f"indices.shape[0] = {n}")
        rows = idx[:, 0].astype(np.int64)
        bad = (rows < 0) | (rows >= n_rows)
        if bad.any():
            i = int(np.argmax(bad))
            raise ValueError(f"indices({i}, 0) is invalid: {int(rows[i])} >= {n_rows}")
        # Row by row: an empty row gets one default entry; a row's entries keep their order.
        counts = np.bincount(rows, minlength=n_rows)
        empty = counts == 0
        slots = np.where(empty, 1, counts)
        row_start = np.concatenate([[0], np.cumsum(slots)[:-1]]).astype(np.int64)
        total = n + int(empty.sum())
        out_i = np.zeros((total, idx.shape[1]), np.int64)
        out_v = np.empty(total, vals.dtype)
        order = np.argsort(rows, kind="stable")
        first_of_row = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        at = row_start[rows[order]] + (np.arange(n) - first_of_row[rows[order]])
        out_i[at] = idx[order]
        out_v[at] = vals[order]
        reverse = np.zeros(n, np.int64)
        reverse[order] = at
        e_at = row_start[empty]
        out_i[e_at, 0] = np.flatnonzero(empty)
        out_v[e_at] = dv
        return out_i, out_v, empty, reverse
    return kernel


@RegisterGradient("SparseFillEmptyRows")
def _fill_empty_rows_grad(op: Operation, unused_grad_indices: Any, grad_values: Tensor,
                          unused_grad_empty: Any, unused_grad_reverse: Any) -> list[Any]:
    """sparse_grad._SparseFillEmptyRowsGrad: SparseFillEmptyRowsGrad gathers the values'
    gradient through the reverse index map; the rest flows to the default value."""
    graph = op._graph
    full = graph._op_name(None, "SparseFillEmptyRowsGrad")
    rev = op._outputs[3]
    d_values, d_default = make_op(
        graph, full, "SparseFillEmptyRowsGrad", [rev, grad_values], {"T": grad_values._dtype},
        [(grad_values._dtype, rev._shape), (grad_values._dtype, ())])._outputs
    return [None, d_values, None, d_default]


@register_kernel("SparseFillEmptyRowsGrad")
def _fill_empty_rows_grad_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(rev: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if rev.ndim != 1:
            raise ValueError(f"reverse_index_map must be a vector, saw: {_dbg(rev)}")
        if g.ndim != 1:
            raise ValueError(f"grad_values must be a vector, saw: {_dbg(g)}")
        used = np.zeros(g.size, bool)
        d_values = np.zeros(rev.size, g.dtype)
        for i, r in enumerate(rev):
            if not 0 <= r < g.size:
                raise ValueError(f"Elements in reverse index must be in [0, {g.size}) but got "
                                 f"{int(r)}")
            d_values[i] = g[r]
            used[r] = True
        return d_values, np.asarray(g[~used].sum(dtype=g.dtype))
    return kernel


builders.register(globals(), __all__)
