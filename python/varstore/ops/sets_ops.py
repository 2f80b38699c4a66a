"""``tf.sets`` (TF's sets_impl over gen_set_ops): SetSize and the set operations
DenseToDenseSetOperation, DenseToSparseSetOperation and SparseToSparseSetOperation, with TF's
shape functions and the kernels of set_kernels.cc.

A set is the last dimension of a tensor of rank >= 2 (a dense row holds all of its values, a
sparse row the values present); the result is a SparseTensor of the group shape plus the
largest result set, each row's values sorted ascending and empty rows left out. None of these
ops is differentiable (TF registers no gradient for them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InternalError, InvalidArgumentError
from varstore.framework.graph import get_default_graph
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    builders,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
)
from varstore.framework.sparse_tensor import SparseTensor, convert_to_tensor_or_sparse_tensor
from varstore.framework.tensor_shape import merge, merge_error

__all__ = [
    "difference",
    "intersection",
    "set_difference",
    "set_intersection",
    "set_size",
    "set_union",
    "size",
    "union",
]

_int64 = _dtypes.int64
_VALID_DTYPES = frozenset([_dtypes.int8, _dtypes.int16, _dtypes.int32, _dtypes.int64,
                           _dtypes.uint8, _dtypes.uint16, _dtypes.string])
_OPERATIONS = ("a-b", "b-a", "intersection", "union")


# -- the Python API (sets_impl.py) --------------------------------------------------------------
def set_size(a: Any, validate_indices: bool = True) -> Tensor:
    """``tf.sets.size``: op ``SetSize``, the number of unique values in each row of the
    SparseTensor ``a`` (int32, shape = a's dense shape without its last dimension)."""
    a = convert_to_tensor_or_sparse_tensor(a, name="a")
    if not isinstance(a, SparseTensor):
        raise TypeError(f"Expected `SparseTensor`, got {a}.")
    if a.values.dtype not in _VALID_DTYPES:
        raise TypeError(f"Invalid dtype `{a.values.dtype}` not in supported dtypes: "
                        f"`{_VALID_DTYPES}`.")
    graph = check_same_graph(a.indices, a.values, a.dense_shape)
    full = graph._op_name(None, "SetSize")
    return make_op(graph, full, "SetSize", [a.indices, a.values, a.dense_shape],
                   {"validate_indices": bool(validate_indices), "T": a.values.dtype},
                   [(_dtypes.int32, None)])._outputs[0]


def _convert_pair(a: Any, b: Any) -> tuple[Any, Any, bool]:
    a = convert_to_tensor_or_sparse_tensor(a, name="a")
    if a.dtype not in _VALID_DTYPES:
        raise TypeError(f"'a' has invalid dtype `{a.dtype}` not in supported dtypes: "
                        f"`{_VALID_DTYPES}`.")
    b = convert_to_tensor_or_sparse_tensor(b, name="b")
    if b.dtype != a.dtype:
        raise TypeError(f"Types don't match, {a.dtype} vs {b.dtype}.")
    if isinstance(a, SparseTensor) and not isinstance(b, SparseTensor):
        return b, a, True
    return a, b, False


def _rank_at_least_2(t: Tensor, full: str, op_type: str, attrs: str,
                     inputs: list[Tensor]) -> None:
    if t._shape is not None and len(t._shape) < 2:
        raise node_error(f"Shape must be at least rank 2 but is rank {len(t._shape)}", full,
                         op_type, attrs, inputs)


def _sparse_rank(shape: Tensor) -> int | None:
    return None if shape._shape is None else shape._shape[0]


def _set_operation(a: Any, b: Any, set_operation: str, validate_indices: bool) -> SparseTensor:
    sparse_a, sparse_b = isinstance(a, SparseTensor), isinstance(b, SparseTensor)
    if sparse_a and not sparse_b:
        raise ValueError("Sparse,Dense is not supported, but Dense,Sparse is. Please flip the "
                         "order of your inputs.")
    graph = get_default_graph()
    dt = a.dtype
    attrs = {"set_operation": set_operation, "validate_indices": bool(validate_indices),
             "T": dt}
    text = f"T={dt_enum(dt)}, set_operation=\"{set_operation}\", " \
           f"validate_indices={str(bool(validate_indices)).lower()}"
    if sparse_a:
        op_type = "SparseToSparseSetOperation"
        inputs = [a.indices, a.values, a.dense_shape, b.indices, b.values, b.dense_shape]
        full = graph._op_name(None, op_type)
        r0, r1 = _sparse_rank(a.dense_shape), _sparse_rank(b.dense_shape)
        for i, r in ((0, r0), (1, r1)):
            if r is not None and r < 2 and (i == 0 or r0 is None):
                raise node_error(f"Input {i}, expected rank >= 2, got {r}.", full, op_type,
                                 text, inputs)
        if r0 is not None and r1 is not None and r0 != r1:
            raise node_error(f"Dimension must be {r0} but is {r1}", full, op_type, text,
                             inputs)
        rank = r0 if r0 is not None else r1
    elif sparse_b:
        op_type = "DenseToSparseSetOperation"
        inputs = [a, b.indices, b.values, b.dense_shape]
        full = graph._op_name(None, op_type)
        _rank_at_least_2(a, full, op_type, text, inputs)
        r1 = _sparse_rank(b.dense_shape)
        if a._shape is not None and r1 is not None and r1 != len(a._shape):
            raise node_error(f"Dimension must be {len(a._shape)} but is {r1}", full, op_type,
                             text, inputs)
        rank = len(a._shape) if a._shape is not None else r1
    else:
        op_type = "DenseToDenseSetOperation"
        inputs = [a, b]
        full = graph._op_name(None, op_type)
        _rank_at_least_2(a, full, op_type, text, inputs)
        if a._shape is not None:
            if b._shape is not None and len(b._shape) != len(a._shape):
                raise node_error(f"Shape must be rank {len(a._shape)} but is rank "
                                 f"{len(b._shape)}", full, op_type, text, inputs)
            if b._shape is not None:
                g0, g1 = a._shape[:-1], b._shape[:-1]
                if not isinstance(merge(g0, g1), tuple):
                    raise node_error(merge_error(g0, g1), full, op_type, text, inputs)
            rank = len(a._shape)
        else:
            _rank_at_least_2(b, full, op_type, text, inputs)
            rank = None if b._shape is None else len(b._shape)
    op = make_op(graph, full, op_type, inputs, attrs,
                 [(_int64, (None, rank)), (dt, (None,)), (_int64, (rank,))])
    indices, values, shape = op._outputs
    return SparseTensor(indices, values, shape)


def set_intersection(a: Any, b: Any, validate_indices: bool = True) -> SparseTensor:
    """``tf.sets.intersection``: the values in both ``a`` and ``b``, row by row."""
    a, b, _ = _convert_pair(a, b)
    return _set_operation(a, b, "intersection", validate_indices)


def set_difference(a: Any, b: Any, aminusb: bool = True,
                   validate_indices: bool = True) -> SparseTensor:
    """``tf.sets.difference``: a - b (or b - a), row by row."""
    a, b, flipped = _convert_pair(a, b)
    if flipped:
        aminusb = not aminusb
    return _set_operation(a, b, "a-b" if aminusb else "b-a", validate_indices)


def set_union(a: Any, b: Any, validate_indices: bool = True) -> SparseTensor:
    """``tf.sets.union``: the values in ``a`` or ``b``, row by row."""
    a, b, _ = _convert_pair(a, b)
    return _set_operation(a, b, "union", validate_indices)


size = set_size
intersection = set_intersection
difference = set_difference
union = set_union


# -- kernels (set_kernels.cc) -------------------------------------------------------------------
def _join(dims: Any) -> str:
    return ",".join(str(int(d)) for d in dims)


def _group_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    if len(shape) < 2:
        raise InvalidArgumentError(None, None, f"Shape [{_join(shape)}] has rank {len(shape)} "
                                   "< 2")
    return shape[:-1]


def _group_shape_of(s1: tuple[int, ...], s2: tuple[int, ...]) -> tuple[int, ...]:
    g1, g2 = _group_shape(s1), _group_shape(s2)
    if g1 != g2:
        raise InvalidArgumentError(None, None, f"Mismatched shapes [{_join(g1)}] vs "
                                   f"[{_join(g2)}]")
    return g1


def _item(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def _sparse_groups(indices: np.ndarray, values: np.ndarray, shape: np.ndarray,
                   validate: bool) -> tuple[tuple[int, ...], list[tuple[tuple[int, ...], set[Any]]]]:
    """A SparseTensor's shape and its rows (runs of equal leading indices, in order) as sets;
    TF's SparseTensorFromContext checks (rank >= 2, then the indices when validating)."""
    dims = tuple(int(d) for d in np.reshape(shape, -1))
    if len(dims) < 2:
        raise InvalidArgumentError(None, None, f"Invalid rank {len(dims)}.")
    rows = np.asarray(indices, np.int64).reshape(-1, len(dims)) if indices.size else \
        np.zeros((0, len(dims)), np.int64)
    if validate:
        for n, row in enumerate(rows):
            if np.any(row < 0) or np.any(row >= np.asarray(dims)):
                raise InvalidArgumentError(None, None, f"indices[{n}] = [{_join(row)}] is out "
                                           f"of bounds: need 0 <= index < [{_join(dims)}]")
            if n:
                prev, cur = tuple(rows[n - 1]), tuple(row)
                if cur < prev:
                    raise InvalidArgumentError(
                        None, None, f"indices[{n}] = [{_join(row)}] is out of order. Many "
                        "sparse ops require sorted indices.\n    Use `tf.sparse.reorder` to "
                        "create a correctly ordered copy.\n\n")
                if cur == prev:
                    raise InvalidArgumentError(None, None,
                                               f"indices[{n}] = [{_join(row)}] is repeated")
    groups: list[tuple[tuple[int, ...], set[Any]]] = []
    for row, v in zip(rows, values.reshape(-1)):
        key = tuple(int(i) for i in row[:-1])
        for j, d in enumerate(dims):
            if not 0 <= row[j] < d:
                raise InternalError(None, None, f"indices[0, {j}] expected < {d}, got "
                                    f"{int(row[j])}.")
        if groups and groups[-1][0] == key:
            groups[-1][1].add(_item(v))
        else:
            groups.append((key, {_item(v)}))
    return dims, groups


def _dense_groups(x: np.ndarray, group: tuple[int, ...]) -> list[set[Any]]:
    flat = x.reshape((int(np.prod(group, dtype=np.int64)), x.shape[-1]))
    return [{_item(v) for v in row} for row in flat]


def _apply(how: str, s1: set[Any], s2: set[Any]) -> list[Any]:
    if how == "a-b":
        out = s1 - s2
    elif how == "b-a":
        out = s2 - s1
    elif how == "intersection":
        out = s1 & s2
    else:
        out = s1 | s2
    return sorted(out)


def _output(group: tuple[int, ...], results: list[tuple[tuple[int, ...], list[Any]]],
            dt: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rank = len(group) + 1
    width = max((len(v) for _, v in results), default=0)
    idx: list[list[int]] = []
    vals: list[Any] = []
    for key, items in results:
        for j, v in enumerate(items):
            idx.append([*key, j])
            vals.append(v)
    indices = np.array(idx, np.int64).reshape(len(idx), rank)
    values = np.array(vals, dtype=dt) if vals else np.zeros((0,), dt)
    return indices, values, np.array([*group, width], np.int64)


def _operation(op: Operation) -> str:
    how = str(op._attrs["set_operation"]).lower()
    if how not in _OPERATIONS:
        raise InvalidArgumentError(None, None, f"Invalid set_operation {how}.")
    return how


@register_kernel("DenseToDenseSetOperation")
def _dense_dense_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["T"]._np

    def kernel(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        how = _operation(op)
        group = _group_shape_of(a.shape, b.shape)
        keys = list(np.ndindex(*group))
        results = []
        for key, s1, s2 in zip(keys, _dense_groups(a, group), _dense_groups(b, group)):
            items = _apply(how, s1, s2)
            if items:
                results.append((tuple(int(i) for i in key), items))
        return _output(group, results, dt)
    return kernel


@register_kernel("DenseToSparseSetOperation")
def _dense_sparse_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["T"]._np
    validate = bool(op._attrs["validate_indices"])

    def kernel(a: np.ndarray, b_indices: np.ndarray, b_values: np.ndarray, b_shape: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        how = _operation(op)
        b_dims, b_groups = _sparse_groups(b_indices, b_values, b_shape, validate)
        group = _group_shape_of(a.shape, b_dims)
        by_key = dict(b_groups)
        results = []
        for key, s1 in zip(np.ndindex(*group), _dense_groups(a, group)):
            k = tuple(int(i) for i in key)
            items = _apply(how, s1, by_key.get(k, set()))
            if items:
                results.append((k, items))
        return _output(group, results, dt)
    return kernel


@register_kernel("SparseToSparseSetOperation")
def _sparse_sparse_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["T"]._np
    validate = bool(op._attrs["validate_indices"])

    def kernel(a_indices: np.ndarray, a_values: np.ndarray, a_shape: np.ndarray,
               b_indices: np.ndarray, b_values: np.ndarray, b_shape: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        how = _operation(op)
        a_dims, a_groups = _sparse_groups(a_indices, a_values, a_shape, validate)
        b_dims, b_groups = _sparse_groups(b_indices, b_values, b_shape, validate)
        group = _group_shape_of(a_dims, b_dims)
        ga, gb = dict(a_groups), dict(b_groups)
        results = []
        # the rows present in either, in row-major order (TF walks both groupings together)
        for key in sorted(set(ga) | set(gb)):
            items = _apply(how, ga.get(key, set()), gb.get(key, set()))
            if items:
                results.append((key, items))
        return _output(group, results, dt)
    return kernel


@register_kernel("SetSize")
def _set_size_kernel(op: Operation) -> Callable[..., Any]:
    validate = bool(op._attrs["validate_indices"])

    def kernel(indices: np.ndarray, values: np.ndarray, shape: np.ndarray) -> np.ndarray:
        dims, groups = _sparse_groups(indices, values, shape, validate)
        out = np.zeros(_group_shape(dims), np.int32)
        for key, items in groups:
            out[key] = len(items)
        return out
    return kernel


for _t in ("SetSize", "DenseToDenseSetOperation", "DenseToSparseSetOperation",
           "SparseToSparseSetOperation"):
    NotDifferentiable(_t)

builders.register(globals(), ["set_difference", "set_intersection", "set_size", "set_union"])
