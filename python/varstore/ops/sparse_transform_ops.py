"""Sparse composites that TF's sparse_ops.py builds from dense ops: ``tf.sparse.transpose``,
``reset_shape``, ``expand_dims``, ``eye``, ``from_dense``, ``to_indicator``, ``merge`` and
``mask`` (of IndexedSlices), with TF's graphs, so names, static shapes and gradients follow."""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.indexed_slices import IndexedSlices
from varstore.framework.ops import Tensor, builders
from varstore.framework.sparse_tensor import SparseTensor, SparseTensorValue
from varstore.framework.tensor_shape import as_dimension
from varstore.ops import check_ops, control_flow_ops
from varstore.ops.sparse_ops import (
    _convert_to_sparse_tensor,
    sparse_reorder,
    sparse_tensor_to_dense,
)

__all__ = [
    "from_dense",
    "sparse_expand_dims",
    "sparse_eye",
    "sparse_mask",
    "sparse_merge",
    "sparse_reset_shape",
    "sparse_to_indicator",
    "sparse_transpose",
]

_int32 = _dtypes.int32
_int64 = _dtypes.int64


# -- transpose ------------------------------------------------------------------------------------
def sparse_transpose(sp_input: Any, perm: Any = None, name: str | None = None) -> SparseTensor:
    """``tf.sparse.transpose``: the indices' columns gathered by ``perm`` (reversed by
    default), then SparseReorder; the dense shape a constant when it and ``perm`` are known."""
    with name_scope(name, "SparseTranspose", [sp_input]):
        if perm is None:
            rank = sp_input.shape.ndims
            if rank is not None:
                perm = (rank - 1) - np.arange(0, rank, 1)
            else:
                rank_t = builders.size(sp_input.dense_shape, name="Rank")
                perm = (rank_t - 1) - builders.range(0, rank_t, 1)
        indices = sp_input.indices
        transposed = builders.transpose(builders.gather(builders.transpose(indices), perm))
        perm_v = constant_value(convert_to_tensor(perm))
        dense_shape: Any
        if perm_v is not None and sp_input.get_shape().is_fully_defined():
            old = sp_input.get_shape().as_list()
            dense_shape = list(old)
            for i, p in enumerate(np.asarray(perm_v).reshape(-1)):
                dense_shape[i] = old[int(p)]
        else:
            dense_shape = builders.gather(sp_input.dense_shape, perm)
        return sparse_reorder(SparseTensor(transposed, sp_input.values, dense_shape))


# -- reset_shape ----------------------------------------------------------------------------------
def sparse_reset_shape(sp_input: Any, new_shape: Any = None) -> SparseTensor:
    """``tf.sparse.reset_shape``: the same entries with a tight (``new_shape`` None) or a
    larger dense shape; a shape unknown until run time is checked by asserts."""
    sp = _convert_to_sparse_tensor(sp_input)
    in_indices = builders.identity(sp.indices)
    in_values = builders.identity(sp.values)
    in_shape = builders.identity(sp.dense_shape)
    out_shape: Any
    if new_shape is None:
        low = builders.reduce_max(in_indices, axis=0)
        out_shape = builders.maximum(convert_to_tensor(0, dtype=_int64),
                                     builders.add(low, builders.ones_like(in_shape)))
    else:
        out_shape = convert_to_tensor(new_shape)
        out_shape.get_shape().assert_has_rank(1)
        out_shape = builders.cast(out_shape, _int64)
        if out_shape.get_shape().ndims is not None:
            as_dimension(out_shape.get_shape()[0]).assert_is_compatible_with(
                as_dimension(in_shape.get_shape()[0]))
        const = constant_value(out_shape)
        if const is not None and sp.get_shape().is_fully_defined():
            in_const = np.array(sp.get_shape().as_list())
            if not np.all(in_const <= const):
                # TF's message, its two labels swapped.
                raise ValueError(f"Requested new_shape should have dimension sizes >= "
                                 f"sp_input.shape.  Found new_shape ({in_const}), "
                                 f"sp_input.shape ({const}).")
            out_shape = const
        else:
            out_shape = control_flow_ops.with_dependencies([check_ops.assert_equal(
                builders.shape(in_shape), builders.shape(out_shape))], out_shape)
            out_shape = control_flow_ops.with_dependencies(
                [check_ops.assert_less_equal(in_shape, out_shape)], out_shape)
    return SparseTensor(in_indices, in_values, out_shape)


# -- expand_dims, eye, from_dense -----------------------------------------------------------------
def sparse_expand_dims(sp_input: Any, axis: Any = None, name: str | None = None
                       ) -> SparseTensor:
    """``tf.sparse.expand_dims``: a zero index column and a 1 in the dense shape at ``axis``
    (-1 by default), by slices and concats."""
    rank: Any = sp_input.dense_shape.get_shape()[0]
    if rank is None:
        rank = builders.shape(sp_input.dense_shape)[0]
    axis = -1 if axis is None else axis
    with name_scope(name, "expand_dims", [sp_input]):
        if isinstance(axis, numbers.Integral) and not isinstance(axis, bool):
            axis = convert_to_tensor(int(axis), name="axis", dtype=_int32)
        elif not isinstance(axis, Tensor):
            raise TypeError("axis must be an integer value in range [-rank(sp_input) - 1, "
                            "rank(sp_input)]")
        axis = builders.where_v2(axis >= 0, axis, axis + rank + 1)
        column_size = builders.shape(sp_input.indices)[0]
        new_index = builders.zeros([column_size, 1], dtype=_int64)
        before = builders.slice(sp_input.indices, [0, 0], [-1, axis])
        after = builders.slice(sp_input.indices, [0, axis], [-1, -1])
        indices = builders.concat([before, new_index, after], axis=1)
        shape_before = builders.slice(sp_input.dense_shape, [0], [axis])
        shape_after = builders.slice(sp_input.dense_shape, [axis], [-1])
        new_shape = convert_to_tensor([1], name="new_shape", dtype=_int64)
        shape = builders.concat([shape_before, new_shape, shape_after], axis=0)
        return SparseTensor(indices, sp_input.values, shape)


def _make_int64_tensor(value: Any, name: str) -> Tensor:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return convert_to_tensor(int(value), name=name, dtype=_int64)
    if not isinstance(value, Tensor):
        raise TypeError(f"{name} must be an integer value")
    if value.dtype is _int64:
        return value
    out: Tensor = builders.cast(value, _int64)
    return out


def sparse_eye(num_rows: Any, num_columns: Any = None, dtype: Any = _dtypes.float32,
               name: str | None = None) -> SparseTensor:
    """``tf.sparse.eye``: ones on the diagonal of a [num_rows, num_columns] SparseTensor."""
    with name_scope(name, "eye", [num_rows, num_columns]):
        rows = _make_int64_tensor(num_rows, "num_rows")
        cols = rows if num_columns is None else _make_int64_tensor(num_columns, "num_columns")
        diag_size = builders.minimum(rows, cols)
        diag_range = builders.range(diag_size, dtype=_int64)
        return SparseTensor(builders.stack([diag_range, diag_range], axis=1),
                            builders.ones(diag_size, dtype=dtype), [rows, cols])


def from_dense(tensor: Any, name: str | None = None) -> SparseTensor:
    """``tf.sparse.from_dense``: the non-zero entries of ``tensor`` (Where, GatherNd)."""
    with name_scope(name, "dense_to_sparse"):
        t = convert_to_tensor(tensor)
        indices = builders.where_v2(builders.not_equal(t, builders.zeros_like(t)))
        values = builders.gather_nd(t, indices)
        shape = builders.shape(t, out_type=_int64)
        return SparseTensor(indices, values, shape)


# -- mask (IndexedSlices) -------------------------------------------------------------------------
def sparse_mask(a: Any, mask_indices: Any, name: str | None = None) -> IndexedSlices:
    """``tf.sparse.mask``: the slices of IndexedSlices ``a`` whose index is not in
    ``mask_indices`` (ListDiff, and a gather named as its scope)."""
    with name_scope(name, "sparse_mask", [a.values, a.indices, mask_indices]) as scope:
        out_indices, to_gather = builders.setdiff1d(a.indices, mask_indices)
        out_values = builders.gather(a.values, to_gather, name=scope)
        return IndexedSlices(out_values, out_indices, a.dense_shape)


# -- to_indicator, merge --------------------------------------------------------------------------
def sparse_to_indicator(sp_input: Any, vocab_size: Any, name: str | None = None) -> Tensor:
    """``tf.sparse.to_indicator``: a dense bool tensor, True at [..., id] for each id in the
    last dimension's entries."""
    sp = _convert_to_sparse_tensor(sp_input)
    with name_scope(name, "SparseToIndicator", [sp]) as scope:
        num_entries = builders.shape(sp.indices)[0]
        new_values = builders.fill(builders.expand_dims(num_entries, 0), True)
        sp_values = SparseTensor(sp.indices, new_values, sp.dense_shape)
        sp_new = _sparse_merge_impl(sp, sp_values, vocab_size, scope)
        return sparse_tensor_to_dense(sp_new, default_value=False, validate_indices=False,
                                      name=scope)


def sparse_merge(sp_ids: Any, sp_values: Any, vocab_size: Any, name: str | None = None,
                 already_sorted: bool = False) -> SparseTensor:
    """``tf.sparse.merge`` (TF1): the ids of ``sp_ids`` become the new last index column(s)
    of ``sp_values``' entries."""
    return _sparse_merge_impl(sp_ids, sp_values, vocab_size, name, already_sorted)


def _is_int_or_tensor(v: Any) -> bool:
    return isinstance(v, (Tensor, numbers.Integral))


def _sparse_merge_impl(sp_ids: Any, sp_values: Any, vocab_size: Any, name: str | None = None,
                       already_sorted: bool = False) -> SparseTensor:
    if isinstance(sp_ids, (SparseTensorValue, SparseTensor)):
        sp_ids = [sp_ids]
        if not _is_int_or_tensor(vocab_size):
            raise TypeError(f"vocab_size has to be a Tensor or Python int. Found "
                            f"{type(vocab_size)}")
        vocab_size = [vocab_size]
    else:
        if not isinstance(sp_ids, Iterable):
            raise TypeError(f"sp_ids has to be a SparseTensor or list thereof. Found "
                            f"{type(sp_ids)}")
        if not isinstance(vocab_size, Iterable):
            raise TypeError(f"vocab_size has to be a list of Tensors or Python ints. Found "
                            f"{type(vocab_size)}")
        for dim in vocab_size:
            if not _is_int_or_tensor(dim):
                raise TypeError(f"vocab_size has to be a list of Tensors or Python ints. "
                                f"Found {type(dim)}")
    sp_ids = list(sp_ids)
    vocab_size = list(vocab_size)
    if len(sp_ids) != len(vocab_size):
        raise ValueError("sp_ids and vocab_size have to have equal lengths.")
    with name_scope(name, "SparseMerge", [sp_ids, sp_values]):
        ids_sp = [_convert_to_sparse_tensor(s) for s in sp_ids]
        vals_sp = _convert_to_sparse_tensor(sp_values)
        ids = []
        for s in ids_sp:
            col = s.values
            if s.dtype is not _int64:
                col = builders.cast(col, _int64)
            ids.append(builders.expand_dims(col, axis=1))
        sizes = [builders.cast(x, _int64) for x in vocab_size]
        keep = ids_sp[0].indices[:, :-1]
        new_indices = builders.concat([keep, *ids], 1)
        new_shape = builders.concat([ids_sp[0].dense_shape[:-1], sizes], 0)
        result = SparseTensor(new_indices, vals_sp.values, new_shape)
        if already_sorted:
            return result
        ordered = sparse_reorder(result)
        return SparseTensor(ordered.indices, ordered.values, new_shape)


builders.register(globals(), __all__)
