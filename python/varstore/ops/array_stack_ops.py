"""Array ops that join and split along an axis: concat (ConcatV2, ConcatOffset), stack (Pack),
unstack (Unpack), each with its shape inference, kernel and gradient (TF's array_ops)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework import constant_op
from varstore.framework.constant_op import (
    CONSTANT_FOLDERS,
    SHAPE_FOLDERS,
    constant_value,
    convert_index,
    convert_to_tensor,
)
from varstore.framework.op_def_library import check_same_graph, first_input
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.framework.tensor_shape import TensorShape, shape_str
from varstore.ops.array_fill_ops import zeros_like
from varstore.ops.array_ops import _out, attr_text, identity, shape_n

__all__ = [
    "concat",
    "stack",
    "unstack",
]

DType = _dtypes.DType
Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32
_int64 = _dtypes.int64


# -- concat / stack / unstack -----------------------------------------------------------------
def concat(values: Any, axis: Any, name: str = "concat") -> Tensor:
    """``tf.concat``: op ``concat`` (``ConcatV2``); one value gives ``concat/concat``
    (``Identity``)."""
    if not isinstance(values, (list, tuple)):
        values = [values]
    graph = check_same_graph(list(values), axis)
    full = graph._op_name(name, "concat")
    if len(values) == 1:
        with scope_of(graph, full):
            # TF's throwaway check of the degenerate case: an int32 scalar axis
            ax = convert_to_tensor(axis, dtype=_int32, name="concat_dim")
            TensorShape(ax._shape).assert_has_rank(0)
            return identity(values[0], name="concat")
    if not values:
        raise ValueError("List argument 'values' to 'ConcatV2' Op with length 0 shorter than "
                         "minimum length 2.")
    # TF's op_def_library converts the list's non-tensors to the dtype of its first Tensor
    # (so a [] beside int64 shapes is int64), each on its own if that fails.
    first = next((v._dtype for v in values if isinstance(v, Tensor)), None)
    with scope_of(graph, full):
        xs = [v if isinstance(v, Tensor) else _list_item(v, first, f"values_{i}")
              for i, v in enumerate(values)]
        if any(x._dtype is not xs[0]._dtype for x in xs):
            raise TypeError("Tensors in list passed to 'values' of 'ConcatV2' Op have types "
                            f"[{', '.join(x._dtype.name for x in xs)}] that don't all match.")
        ax = convert_index(axis, name="axis")
    if ax._dtype not in (_int32, _int64):
        raise TypeError(f"Value passed to parameter 'axis' has DataType {ax._dtype.name} not in "
                        "list of allowed values: int32, int64")
    dt = xs[0]._dtype
    attrs = {"N": len(xs), "T": dt, "Tidx": ax._dtype}
    out = _concat_shape(full, xs, ax, attrs)
    return _out(make_op(graph, full, "ConcatV2", [*xs, ax], attrs, [(dt, out)]))


def _list_item(value: Any, dtype: DType | None, name: str) -> Tensor:
    if dtype is not None:
        try:
            return convert_to_tensor(value, dtype=dtype, name=name)
        except (TypeError, ValueError):
            pass
    return convert_to_tensor(value, name=name)


def _concat_shape(full: str, xs: list[Tensor], ax: Tensor, attrs: dict[str, Any]) -> Dims:
    inputs = [*xs, ax]
    text = attr_text(attrs)
    if ax._shape is not None and ax._shape:
        raise node_error(f"Shape must be rank 0 but is rank {len(ax._shape)}", full, "ConcatV2",
                         text, inputs)
    ranks = [len(x._shape) for x in xs if x._shape is not None]
    if not ranks:
        return None
    rank_ = ranks[0]
    for x in xs:
        if x._shape is not None and len(x._shape) != rank_:
            raise node_error(f"Shape must be rank {rank_} but is rank {len(x._shape)}", full,
                             "ConcatV2", text, inputs)
    if rank_ == 0:
        raise node_error("Can't concatenate scalars (use tf.stack instead)", full, "ConcatV2",
                         text, inputs)
    av = constant_value(ax)
    if av is None:
        return (None,) * rank_
    a = int(av.reshape(-1)[0])
    extra = f" and with computed input tensors: input[{len(xs)}] = <{a}>"
    min_rank = -a if a < 0 else a + 1
    if rank_ < min_rank:
        raise node_error(f"Shape must be at least rank {min_rank} but is rank {rank_}", full,
                         "ConcatV2", text, inputs, extra)
    a %= rank_
    known = [x._shape for x in xs if x._shape is not None]
    # TF's ConcatShapeHelper merges each input, from the second-to-last back to the first,
    # into the last one's shape without the concat dimension (before it, then after it).
    last = list(known[-1])
    for dims in reversed(known[:-1]):
        for lo, hi in ((0, a), (a + 1, rank_)):
            for i in range(lo, hi):
                got, want = dims[i], last[i]
                if got is not None and want is not None and got != want:
                    part = dims[lo:hi]
                    ref = tuple(last[lo:hi])
                    raise node_error(
                        f"Dimension {i - lo} in both shapes must be equal, but are {got} and "
                        f"{want}. Shapes are {shape_str(part)} and {shape_str(ref)}.", full,
                        "ConcatV2", text, inputs, extra)
                if want is None:
                    last[i] = got
    total: int | None = 0
    for x in xs:
        d = None if x._shape is None else x._shape[a]
        total = None if d is None or total is None else total + d
    last[a] = total
    return tuple(last)


@register_kernel("ConcatV2")
def _concat_kernel(op: Operation) -> Callable[..., Any]:
    def concat_(*args: Any) -> np.ndarray:
        *xs, ax = args
        return np.concatenate(xs, axis=int(ax))

    return concat_


def _fold_concat(t: Tensor) -> np.ndarray | None:
    """TF's constant_value of a ConcatV2: the inputs' values joined, if all are known."""
    *xs, ax = t._op._inputs
    av = constant_value(ax)
    if av is None:
        return None
    values = []
    for x in xs:
        v = constant_value(x)
        if v is None:
            return None
        values.append(v)
    return np.concatenate(values, axis=int(av))


def _shape_concat(t: Tensor) -> Dims:
    """TF's constant_value_as_shape of a ConcatV2 of shape vectors: their partial shapes
    one after the other (an unknown part leaves the whole unknown)."""
    out: list[int | None] = []
    for x in t._op._inputs[:-1]:
        part = constant_op.constant_value_as_shape(x)
        if part is None:
            return None
        out.extend(part)
    return tuple(out)


CONSTANT_FOLDERS["ConcatV2"] = _fold_concat
SHAPE_FOLDERS["ConcatV2"] = _shape_concat


@RegisterGradient("ConcatV2")
def _concat_grad(op: Operation, grad: Tensor) -> list[Any]:
    xs = op._inputs[:-1]
    ax = op._inputs[-1]
    av = constant_value(ax)
    dims = [x._shape for x in xs]
    if av is not None and all(d is not None and None not in d for d in dims):
        a = int(av.reshape(-1)[0]) % len(dims[0])  # type: ignore[arg-type]
        sizes = [d[a] for d in dims]  # type: ignore[index]
        return [*builders.split(grad, sizes, axis=a), None]
    shapes = shape_n(list(xs))
    offsets = concat_offset(ax, shapes)
    return [*(builders.slice(grad, o, s) for o, s in zip(offsets, shapes)), None]


def concat_offset(concat_dim: Tensor, shapes: list[Tensor], name: str | None = None
                  ) -> list[Tensor]:
    graph = concat_dim._op._graph
    full = graph._op_name(name, "ConcatOffset")
    op = make_op(graph, full, "ConcatOffset", [concat_dim, *shapes], {"N": len(shapes)},
                 [(s._dtype, s._shape) for s in shapes])
    return list(op._outputs)


@register_kernel("ConcatOffset")
def _concat_offset_kernel(op: Operation) -> Callable[..., Any]:
    def offsets(dim: Any, *shapes: np.ndarray) -> tuple[np.ndarray, ...]:
        a = int(dim) % len(shapes[0])
        out = []
        acc = 0
        for s in shapes:
            o = np.zeros_like(s)
            o[a] = acc
            acc += int(s[a])
            out.append(o)
        return tuple(out)

    return offsets


NotDifferentiable("ConcatOffset")


def stack(values: Any, axis: int = 0, name: str = "stack") -> Tensor:
    """``tf.stack``: op ``stack`` (``Pack``); along axis 0 the list is converted as TF
    converts it (one Const of Python values, or the autopacked Pack)."""
    values = list(values)
    if axis == 0:
        # TF converts the list first: Python values alone make one Const, a list holding
        # tensors is autopacked (its Python elements become Consts ``stack/<i>``).
        try:
            return convert_to_tensor(values, name=name)
        except (TypeError, ValueError):
            pass
    graph = check_same_graph(values)
    full = graph._op_name(name, "stack")
    # TF's op_def_library converts the list's non-tensors to the dtype of its first Tensor
    # (so a [] beside int64 shapes is int64), each on its own if that fails.
    first = next((v._dtype for v in values if isinstance(v, Tensor)), None)
    with scope_of(graph, full):
        xs = [v if isinstance(v, Tensor) else _list_item(v, first, f"values_{i}")
              for i, v in enumerate(values)]
    return _pack_named(graph, full, xs, axis)


def _pack_named(graph: Any, full: str, xs: list[Tensor], axis: int) -> Tensor:
    if not xs:
        raise ValueError("stack needs at least one value")
    dt = xs[0]._dtype
    if any(x._dtype is not dt for x in xs):
        raise TypeError("Tensors in list passed to 'values' of 'Pack' Op have types "
                        f"[{', '.join(x._dtype.name for x in xs)}] that don't all match.")
    merged: Dims = None
    for x in xs:
        if x._shape is None:
            continue
        if merged is None:
            merged = x._shape
            continue
        if len(merged) != len(x._shape):
            raise ValueError(f"Shapes must be equal rank, but are {len(merged)} and "
                             f"{len(x._shape)}")
        new = []
        for i, (p, q) in enumerate(zip(merged, x._shape)):
            if p is not None and q is not None and p != q:
                raise ValueError(f"Dimension {i} in both shapes must be equal, but are {p} and "
                                 f"{q}. Shapes are {shape_str(merged)} and "
                                 f"{shape_str(x._shape)}.")
            new.append(p if p is not None else q)
        merged = tuple(new)
    out: Dims = None
    if merged is not None:
        r = len(merged) + 1
        if not -r <= axis < r:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-r}, {r})")
        a = axis % r
        out = (*merged[:a], len(xs), *merged[a:])
    return _out(make_op(graph, full, "Pack", xs, {"N": len(xs), "T": dt, "axis": axis},
                        [(dt, out)]))


@register_kernel("Pack")
def _pack_kernel(op: Operation) -> Callable[..., Any]:
    axis = op._attrs["axis"]
    return lambda *xs: np.stack(xs, axis=axis)


def _fold_pack(t: Tensor) -> np.ndarray | None:
    vals = [constant_value(x) for x in t._op._inputs]
    if any(v is None for v in vals):
        return None
    return np.stack(vals, axis=t._op._attrs["axis"])  # type: ignore[arg-type]


def _shape_pack(t: Tensor) -> Dims:
    op = t._op
    # (TF's ConstantPartialShape: each packed input a scalar, or of unknown shape)
    if op._attrs["axis"] != 0 or any(x._shape not in ((), None) for x in op._inputs):
        return None
    out = []
    for x in op._inputs:
        v = constant_value(x)
        out.append(None if v is None or int(v) < 0 else int(v))
    return tuple(out)


CONSTANT_FOLDERS["Pack"] = _fold_pack
SHAPE_FOLDERS["Pack"] = _shape_pack




@RegisterGradient("Pack")
def _pack_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    return unstack(grad, num=op._attrs["N"], axis=op._attrs["axis"])


def _nested_dtype(items: Any) -> DType | None:
    """The dtype of the first tensor in a nested list (TF's _get_dtype_from_nested_lists)."""
    for elem in items:
        if constant_op.is_tensor_like(elem):
            return elem.dtype  # type: ignore[no-any-return]
        if isinstance(elem, (list, tuple)):
            found = _nested_dtype(elem)
            if found is not None:
                return found
    return None


def _cast_nested(items: Any, dt: DType) -> Any:
    # TF casts the tensors of another dtype than the one asked for (op ``Cast``).
    if isinstance(items, (list, tuple)):
        return [_cast_nested(e, dt) for e in items]
    if constant_op.is_tensor_like(items) and items.dtype != dt:
        return builders.cast(items, dt)
    return items


def _autopack(value: Any, dtype: Any, name: str | None) -> Tensor:
    """convert_to_tensor of a (nested) list holding tensors: TF's autopacking helper (a Pack
    op named ``packed``; its Python elements become Consts ``packed/<i>`` of the first
    tensor's dtype; each nested list takes the name scope ``<i>``, packed or not)."""
    inferred = _nested_dtype(value)
    dt = inferred if dtype is None else _dtypes.as_dtype(dtype)
    if dt is not None and inferred is not None and dt != inferred:
        value = _cast_nested(value, dt)
    graph = check_same_graph(list(value))

    def helper(items: Any, nm: str) -> Any:
        full = graph._op_name(nm, nm)
        with scope_of(graph, full):
            elems: list[Any] = []
            must_pack = False
            for elem in items:
                if isinstance(elem, Tensor) or constant_op.is_tensor_like(elem):
                    if dt is not None and elem.dtype != dt:
                        raise TypeError(f"Cannot convert a list containing a tensor of dtype "
                                        f"{elem.dtype!r} to {dt!r} (Tensor is: {elem!r})")
                    elems.append(elem)
                    must_pack = True
                elif isinstance(elem, (list, tuple)):
                    sub = helper(elem, str(len(elems)))
                    must_pack = must_pack or isinstance(sub, Tensor)
                    elems.append(sub)
                else:
                    elems.append(elem)
            if not must_pack:
                return elems
            tensors = [convert_to_tensor(e) if constant_op.is_tensor_like(e) else
                       constant_op.constant(e, dtype=dt, name=str(i)) for i, e in
                       enumerate(elems)]
        return _pack_named(graph, full, tensors, 0)

    out = helper(value, name or "packed")
    if dt is not None and out._dtype != dt:
        raise ValueError(f"Tensor conversion requested dtype {dt.name} for Tensor with "
                         f"dtype {out._dtype.name}: {out!r}")
    return out  # type: ignore[no-any-return]


constant_op._AUTOPACK.append(_autopack)


def unstack(value: Any, num: int | None = None, axis: int = 0, name: str = "unstack"
            ) -> list[Tensor]:
    """``tf.unstack``: op ``unstack`` (``Unpack``) with ``num`` outputs."""
    graph = check_same_graph(value)
    if num is None and not isinstance(value, Tensor):
        # TF converts the value before the op's scope when it infers ``num`` (a variable's
        # read is ``ReadVariableOp``, not ``unstack/ReadVariableOp``)
        value = constant_op.convert_to_tensor(value)
    full = graph._op_name(name, "unstack")
    with scope_of(graph, full):
        x = first_input(value, "value")
    dims = x._shape
    if dims is not None:
        r = len(dims)
        if not -r <= axis < r:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-r}, {r})")
        a = axis % r
        if num is None:
            num = dims[a]
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {x.shape}")
        part: Dims = dims[:a] + dims[a + 1:]
    else:
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {x.shape}")
        part = None
    op = make_op(graph, full, "Unpack", [x], {"T": x._dtype, "num": num, "axis": axis},
                 [(x._dtype, part)] * num)
    return list(op._outputs)


@register_kernel("Unpack")
def _unpack_kernel(op: Operation) -> Callable[[Any], Any]:
    axis = op._attrs["axis"]
    num = op._attrs["num"]

    def unpack(x: np.ndarray) -> tuple[np.ndarray, ...]:
        if x.shape[axis] != num:
            raise ValueError(f"Input shape axis {axis} must equal {num}, got shape "
                             f"{shape_str(x.shape)}")
        parts = tuple(np.moveaxis(x, axis, 0))
        # a one-output op's kernel returns the array itself, not a 1-tuple
        return parts[0] if num == 1 else parts

    return unpack


@RegisterGradient("Unpack")
def _unpack_grad(op: Operation, *grads: Any) -> Tensor:
    gs = [g if g is not None else zeros_like(t) for g, t in zip(grads, op._outputs)]
    return stack(gs, axis=op._attrs["axis"])


builders.register(globals(), [*__all__, "concat_offset"])
