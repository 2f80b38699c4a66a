"""Sorting, set and index ops: sort / argsort (TF's sort_ops graph on TopKV2), Unique,
UniqueWithCounts, ListDiff (setdiff1d), Roll with its gradient, meshgrid, searchsorted
(LowerBound / UpperBound), UnravelIndex and the broadcast-shape helpers (BroadcastArgs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import (
    SHAPE_FOLDERS,
    constant,
    constant_value,
    constant_value_as_shape,
    convert_index,
    convert_to_tensor,
)
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import (
    check_allowed,
    check_same_graph,
    first_input,
    typed_input,
)
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
    scope_of,
)
from varstore.framework.tensor_shape import TensorShape, as_shape, shape_str
from varstore.ops.nn_lrn_topk_ops import top_k

__all__ = [
    "argsort",
    "broadcast_dynamic_shape",
    "broadcast_static_shape",
    "meshgrid",
    "roll",
    "searchsorted",
    "setdiff1d",
    "sort",
    "unique",
    "unique_with_counts",
    "unravel_index",
]

Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32
_INDEX = "int32, int64"


# -- sort / argsort ------------------------------------------------------------------------------
def sort(values: Any, axis: Any = -1, direction: str = "ASCENDING",
         name: str | None = None) -> Tensor:
    """``tf.sort``: TopKV2 over the whole axis (values negated for ascending order)."""
    with name_scope(name, "sort"):
        return _sort_or_argsort(values, axis, direction, False)


def argsort(values: Any, axis: Any = -1, direction: str = "ASCENDING", stable: bool = False,
            name: str | None = None) -> Tensor:
    """``tf.argsort``: the TopKV2 indices of :func:`sort`'s graph (``stable`` is unused, as
    in TF: TopKV2 breaks ties by the lower index)."""
    del stable
    with name_scope(name, "argsort"):
        return _sort_or_argsort(values, axis, direction, True)


def _sort_or_argsort(values: Any, axis: Any, direction: str, return_argsort: bool) -> Tensor:
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError("Argument `direction` should be one of ASCENDING, DESCENDING. "
                         f"Received: direction={direction}")
    a = convert_to_tensor(axis, name="axis")
    av = constant_value(a)
    if (a._shape is not None and len(a._shape) != 0) or av is None:
        raise ValueError(f"Argument `axis` must be a constant scalar. Received: axis={a}.")
    x = convert_to_tensor(values, name="values")
    if direction == "DESCENDING":
        return _descending_sort(x, int(av), return_argsort)
    dt = x._dtype
    # Python operators, as TF's _ascending_sort (the constants convert to x's dtype)
    if dt.is_unsigned:
        # unsigned values flip around the type's maximum (they cannot be negated)
        offset = dt.max
        out = _descending_sort(offset - x, int(av), return_argsort)
        return out if return_argsort else offset - out
    if dt.is_integer:
        # -x - 1 keeps the type's minimum in range
        out = _descending_sort(-x - 1, int(av), return_argsort)
        return out if return_argsort else -out - 1
    out = _descending_sort(-x, int(av), return_argsort)
    return out if return_argsort else -out


def _descending_sort(x: Tensor, axis: int, return_argsort: bool) -> Tensor:
    k = builders.getitem(builders.shape(x), axis)
    rank_t = builders.rank(x)
    static_rank = None if x._shape is None else len(x._shape)
    transposition: Tensor | None = None
    if axis == -1 or axis + 1 == static_rank:
        top_in = x
    else:
        if axis < 0:
            axis += static_rank if static_rank else rank_t
        if static_rank is not None:
            perm = np.r_[np.arange(axis), [static_rank - 1],
                         np.arange(axis + 1, static_rank - 1), [axis]]
            transposition = constant(perm, name="transposition")
        else:
            last = builders.subtract(rank_t, 1)
            transposition = builders.tensor_scatter_nd_update(
                builders.range(rank_t), [[axis], [last]],
                builders.stack([last, axis]))
        top_in = builders.transpose(x, transposition)
    vals, idx = top_k(top_in, k)
    out = idx if return_argsort else vals
    if transposition is not None:
        out = builders.transpose(out, transposition)
    return out


# -- Unique, UniqueWithCounts, ListDiff ----------------------------------------------------------
class _Unique(NamedTuple):
    y: Tensor
    idx: Tensor


class _UniqueWithCounts(NamedTuple):
    y: Tensor
    idx: Tensor
    count: Tensor  # type: ignore[assignment]  # TF's field name shadows tuple.count


class _ListDiff(NamedTuple):
    out: Tensor
    idx: Tensor


def _unique_op(op_type: str, x: Any, out_idx: Any, name: str | None) -> Operation:
    graph = check_same_graph(x)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        t = first_input(x, "x")
    it = _dtypes.as_dtype(out_idx)
    check_allowed(it, _INDEX, "out_idx")
    if t._shape is not None and len(t._shape) != 1:
        raise node_error(f"Shape must be rank 1 but is rank {len(t._shape)}", full, op_type,
                         f"T={dt_enum(t._dtype)}, out_idx={dt_enum(it)}", [t])
    outs: list[tuple[_dtypes.DType, Dims]] = [(t._dtype, (None,)), (it, t._shape or (None,))]
    if op_type == "UniqueWithCounts":
        outs.append((it, (None,)))
    return make_op(graph, full, op_type, [t], {"T": t._dtype, "out_idx": it}, outs)


def unique(x: Any, out_idx: Any = _int32, name: str | None = None) -> _Unique:
    """``tf.unique``: op ``Unique``; (y, idx) with y in order of first appearance."""
    op = _unique_op("Unique", x, out_idx, name)
    return _Unique(op._outputs[0], op._outputs[1])


def unique_with_counts(x: Any, out_idx: Any = _int32, name: str | None = None
                       ) -> _UniqueWithCounts:
    """``tf.unique_with_counts``: op ``UniqueWithCounts``; (y, idx, count)."""
    op = _unique_op("UniqueWithCounts", x, out_idx, name)
    return _UniqueWithCounts(op._outputs[0], op._outputs[1], op._outputs[2])


def _first_appearance(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """TF's Unique: the distinct values in order of first appearance, each element's
    position among them, and their counts."""
    _, first, inv, counts = np.unique(x, return_index=True, return_inverse=True,
                                      return_counts=True)
    order = np.argsort(first, kind="stable")
    rank_of = np.empty_like(order)
    rank_of[order] = np.arange(order.size)
    return x[first[order]], rank_of[inv.reshape(-1)], counts[order]


@register_kernel("Unique")
def _unique_kernel(op: Operation) -> Callable[..., Any]:
    it = op._attrs["out_idx"]._np

    def unique_(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        y, idx, _ = _first_appearance(x)
        return y, idx.astype(it)

    return unique_


@register_kernel("UniqueWithCounts")
def _unique_counts_kernel(op: Operation) -> Callable[..., Any]:
    it = op._attrs["out_idx"]._np

    def unique_counts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        y, idx, counts = _first_appearance(x)
        return y, idx.astype(it), counts.astype(it)

    return unique_counts


def setdiff1d(x: Any, y: Any, index_dtype: Any = _int32, name: str | None = None
              ) -> _ListDiff:
    """``tf.setdiff1d``: op ``ListDiff``; the elements of x not in y (order and duplicates
    kept) and their positions in x."""
    graph = check_same_graph(x, y)
    full = graph._op_name(name, "ListDiff")
    with scope_of(graph, full):
        tx = first_input(x, "x")
        ty = typed_input(y, tx._dtype, "ListDiff", "y", "x")
    it = _dtypes.as_dtype(index_dtype)
    check_allowed(it, _INDEX, "out_idx")
    for t in (tx, ty):
        if t._shape is not None and len(t._shape) != 1:
            raise node_error(f"Shape must be rank 1 but is rank {len(t._shape)}", full,
                             "ListDiff", f"T={dt_enum(tx._dtype)}, out_idx={dt_enum(it)}",
                             [tx, ty])
    op = make_op(graph, full, "ListDiff", [tx, ty], {"T": tx._dtype, "out_idx": it},
                 [(tx._dtype, (None,)), (it, (None,))])
    return _ListDiff(op._outputs[0], op._outputs[1])


@register_kernel("ListDiff")
def _list_diff_kernel(op: Operation) -> Callable[..., Any]:
    it = op._attrs["out_idx"]._np

    def list_diff(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        keep = np.nonzero(~np.isin(x, y))[0]
        return x[keep], keep.astype(it)

    return list_diff


# TF registers no gradient for these: tf.gradients through them raises LookupError
for _t in ("LowerBound", "UpperBound", "UnravelIndex", "BroadcastArgs"):
    NotDifferentiable(_t)


# -- Roll ----------------------------------------------------------------------------------------
def roll(input: Any, shift: Any, axis: Any, name: str | None = None) -> Tensor:
    """``tf.roll``: op ``Roll``; elements shifted along each axis (wrapping round)."""
    graph = check_same_graph(input, shift, axis)
    full = graph._op_name(name, "Roll")
    with scope_of(graph, full):
        x = first_input(input, "input")
        s = convert_index(shift, name="shift", default=None)
        a = convert_index(axis, name="axis", default=None)
    check_allowed(s._dtype, _INDEX, "shift")
    check_allowed(a._dtype, _INDEX, "axis")
    text = f"T={dt_enum(x._dtype)}, Taxis={dt_enum(a._dtype)}, Tshift={dt_enum(s._dtype)}"
    inputs = [x, s, a]
    if x._shape is not None and len(x._shape) < 1:
        raise node_error("Shape must be at least rank 1 but is rank 0", full, "Roll", text,
                         inputs)
    for t in (s, a):
        if t._shape is not None and len(t._shape) > 1:
            raise node_error(f"Shape must be at most rank 1 but is rank {len(t._shape)}",
                             full, "Roll", text, inputs)
    if s._shape is not None and a._shape is not None and len(s._shape) == len(a._shape) == 1:
        n, m = s._shape[0], a._shape[0]
        if n is not None and m is not None and n != m:
            raise node_error(f"Dimension 0 in both shapes must be equal, but are {n} and {m}. "
                             f"Shapes are {shape_str(s._shape)} and {shape_str(a._shape)}.",
                             full, "Roll", text, inputs)
    return make_op(graph, full, "Roll", inputs,
                   {"T": x._dtype, "Taxis": a._dtype, "Tshift": s._dtype},
                   [(x._dtype, x._shape)])._outputs[0]


@register_kernel("Roll")
def _roll_kernel(op: Operation) -> Callable[..., Any]:
    def roll_(x: np.ndarray, s: np.ndarray, a: np.ndarray) -> np.ndarray:
        if np.shape(s) != np.shape(a):
            raise ValueError(f"shift and axis must have the same size, got {np.size(s)} and "
                             f"{np.size(a)}")
        axes = [int(v) for v in np.reshape(a, -1)]
        for ax in axes:
            if not -x.ndim <= ax < x.ndim:
                raise ValueError(f"axis {ax} is out of range")
        return np.roll(x, [int(v) for v in np.reshape(s, -1)], axes)

    return roll_


@RegisterGradient("Roll")
def _roll_grad(op: Operation, grad: Tensor) -> list[Any]:
    # the gradient is the roll reversed
    _, s, a = op._inputs
    return [roll(grad, builders.negative(s), a), None, None]


# -- meshgrid ------------------------------------------------------------------------------------
def meshgrid(*args: Any, **kwargs: Any) -> list[Tensor]:
    """``tf.meshgrid``: each input reshaped along its own axis, times ones of the grid's
    shape (``indexing='xy'`` swaps the first two axes)."""
    indexing = kwargs.pop("indexing", "xy")
    name = kwargs.pop("name", "meshgrid")
    if kwargs:
        key = next(iter(kwargs))
        raise TypeError(f"'{key}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError("Argument `indexing` parameter must be either 'xy' or 'ij', got "
                         f"'{indexing}'")
    with name_scope(name, "meshgrid", list(args)):
        ndim = len(args)
        s0 = (1,) * ndim
        if not ndim:
            return []
        output = [builders.reshape(builders.stack(x), (*s0[:i], -1, *s0[i + 1:]))
                  for i, x in enumerate(args)]
        shapes = [builders.size(x) for x in args]
        out_dtype = convert_to_tensor(args[0])._dtype
        if indexing == "xy" and ndim > 1:
            output[0] = builders.reshape(output[0], (1, -1, *(1,) * (ndim - 2)))
            output[1] = builders.reshape(output[1], (-1, 1, *(1,) * (ndim - 2)))
            shapes[0], shapes[1] = shapes[1], shapes[0]
        mult = builders.ones(shapes, out_dtype)
        return [x * mult for x in output]


# -- searchsorted --------------------------------------------------------------------------------
def searchsorted(sorted_sequence: Any, values: Any, side: str = "left", out_type: Any = _int32,
                 name: str | None = None) -> Tensor:
    """``tf.searchsorted``: both inputs flattened to 2-D, ``LowerBound`` (side='left') or
    ``UpperBound`` (side='right') row by row, reshaped back to the values' shape."""
    seq_size = builders.getitem(builders.shape(sorted_sequence), -1)
    val_size = builders.getitem(builders.shape(values), -1)
    seq2 = builders.reshape(sorted_sequence, builders.stack([-1, seq_size]))
    val2 = builders.reshape(values, builders.stack([-1, val_size]))
    if side == "right":
        op_type = "UpperBound"
    elif side == "left":
        op_type = "LowerBound"
    else:
        raise ValueError("Argument `side` must be either 'right' or 'left'. Received: "
                         f"`side` = '{side}'.")
    graph = check_same_graph(seq2, val2)
    full = graph._op_name(name, op_type)
    ot = _dtypes.as_dtype(out_type)
    check_allowed(ot, _INDEX, "out_type")
    v2 = typed_input(val2, seq2._dtype, op_type, "values", "sorted_inputs")
    text = f"T={dt_enum(seq2._dtype)}, out_type={dt_enum(ot)}"
    for t in (seq2, v2):
        if t._shape is not None and len(t._shape) != 2:
            raise node_error(f"Shape must be rank 2 but is rank {len(t._shape)}", full,
                             op_type, text, [seq2, v2])
    a, b = seq2._shape, v2._shape
    if a is not None and b is not None and None not in (a[0], b[0]) and a[0] != b[0]:
        raise node_error(f"Dimensions must be equal, but are {a[0]} and {b[0]}", full,
                         op_type, text, [seq2, v2])
    out = make_op(graph, full, op_type, [seq2, v2], {"T": seq2._dtype, "out_type": ot},
                  [(ot, v2._shape)])._outputs[0]
    return builders.reshape(out, builders.shape(values))  # type: ignore[no-any-return]


def _bound_kernel(side: str) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        ot = op._attrs["out_type"]._np

        def bound(seq: np.ndarray, vals: np.ndarray) -> np.ndarray:
            if seq.shape[0] != vals.shape[0]:
                raise ValueError("Leading dim_size of both tensors must match.")
            out = np.empty(vals.shape, ot)
            for r in range(vals.shape[0]):
                out[r] = np.searchsorted(seq[r], vals[r], side=side)  # type: ignore[call-overload]
            return out

        return bound

    return factory


register_kernel("LowerBound")(_bound_kernel("left"))
register_kernel("UpperBound")(_bound_kernel("right"))


# -- unravel_index, broadcast shapes -------------------------------------------------------------
def unravel_index(indices: Any, dims: Any, name: str | None = None) -> Tensor:
    """``tf.unravel_index``: op ``UnravelIndex``; flat indices to coordinates, one row per
    dimension."""
    graph = check_same_graph(indices, dims)
    full = graph._op_name(name, "UnravelIndex")
    with scope_of(graph, full):
        i = first_input(indices, "indices")
        d = typed_input(dims, i._dtype, "UnravelIndex", "dims", "indices")
    check_allowed(i._dtype, _INDEX, "indices")
    text = f"Tidx={dt_enum(i._dtype)}"
    if d._shape is not None and len(d._shape) != 1:
        raise node_error(f"Shape must be rank 1 but is rank {len(d._shape)}", full,
                         "UnravelIndex", text, [i, d])
    nd = None if d._shape is None else d._shape[0]
    out: Dims = None
    if i._shape is not None:
        n: int | None = 1
        for v in i._shape:
            n = None if n is None or v is None else n * v
        out = (nd,) if len(i._shape) == 0 else (nd, n)
    return make_op(graph, full, "UnravelIndex", [i, d], {"Tidx": i._dtype},
                   [(i._dtype, out)])._outputs[0]


@register_kernel("UnravelIndex")
def _unravel_kernel(op: Operation) -> Callable[..., Any]:
    def unravel(i: np.ndarray, d: np.ndarray) -> np.ndarray:
        if np.any(d <= 0):
            raise ValueError("dims must contain positive integers.")
        if np.any((i < 0) | (i >= np.prod(d))):
            raise ValueError("index is out of bound as with dims")
        flat = i if i.ndim == 0 else i.reshape(-1)
        return np.stack(np.unravel_index(flat, tuple(int(v) for v in d))).astype(i.dtype)

    return unravel


def broadcast_static_shape(shape_x: Any, shape_y: Any) -> TensorShape:
    """``tf.broadcast_static_shape``: TF's common_shapes.broadcast_shape of two
    TensorShapes (an unknown dimension broadcasts to the other's when that is > 1)."""
    sx, sy = as_shape(shape_x), as_shape(shape_y)
    dx, dy = sx._dims, sy._dims
    if dx is None or dy is None:
        return TensorShape(None)
    n = max(len(dx), len(dy))
    px = (1,) * (n - len(dx)) + tuple(dx)
    py = (1,) * (n - len(dy)) + tuple(dy)
    out: list[int | None] = []
    for a, b in zip(px, py):
        if a is None or b is None:
            out.append(a if a is not None and a > 1 else b if b is not None and b > 1
                       else None)
        elif a == 1:
            out.append(b)
        elif b == 1 or a == b:
            out.append(a)
        else:
            raise ValueError("Incompatible shapes for broadcasting. Two shapes are compatible "
                             "if for each dimension pair they are either equal or one of them "
                             f"is 1. Received: {sx} and {sy}.")
    return TensorShape(out)


def broadcast_dynamic_shape(shape_x: Any, shape_y: Any) -> Tensor:
    """``tf.broadcast_dynamic_shape``: op ``BroadcastArgs``."""
    graph = check_same_graph(shape_x, shape_y)
    full = graph._op_name(None, "BroadcastArgs")
    with scope_of(graph, full):
        x = first_input(shape_x, "s0")
        y = typed_input(shape_y, x._dtype, "BroadcastArgs", "s1", "s0")
    check_allowed(x._dtype, _INDEX, "s0")
    text = f"T={dt_enum(x._dtype)}"
    for t in (x, y):
        if t._shape is not None and len(t._shape) != 1:
            raise node_error(f"Shape must be rank 1 but is rank {len(t._shape)}", full,
                             "BroadcastArgs", text, [x, y])
    out: Dims = (None,)
    if x._shape is not None and y._shape is not None and None not in (x._shape[0],
                                                                      y._shape[0]):
        out = (max(x._shape[0], y._shape[0]),)  # type: ignore[type-var]
    return make_op(graph, full, "BroadcastArgs", [x, y], {"T": x._dtype},
                   [(x._dtype, out)])._outputs[0]


@register_kernel("BroadcastArgs")
def _broadcast_args_kernel(op: Operation) -> Callable[..., Any]:
    def broadcast_args(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        try:
            out = np.broadcast_shapes(tuple(int(v) for v in a), tuple(int(v) for v in b))
        except ValueError:
            raise ValueError(f"Incompatible shapes: {shape_str(tuple(a.tolist()))} vs. "
                             f"{shape_str(tuple(b.tolist()))}") from None
        return np.asarray(out, a.dtype)

    return broadcast_args


def _shape_broadcast_args(t: Tensor) -> tuple[int | None, ...] | None:
    """BroadcastArgs of two fully known shapes, as TF's shape functions evaluate the small
    constant subgraph (tf.random_gamma's BroadcastTo gets its static shape from it)."""
    a, b = (constant_value_as_shape(i) for i in t._op._inputs)
    if a is None or b is None or None in a or None in b:
        return None
    try:
        return tuple(np.broadcast_shapes(tuple(a), tuple(b)))  # type: ignore[arg-type]
    except ValueError:
        return None


SHAPE_FOLDERS["BroadcastArgs"] = _shape_broadcast_args

builders.register(globals(), __all__)
