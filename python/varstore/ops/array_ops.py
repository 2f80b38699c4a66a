"""Array ops: placeholders, identity, shapes and layout (reshape, transpose, concat, stack,
expand_dims, squeeze, fill ...), each with its shape inference, kernel and gradient.

Slicing and gathering (slice, strided_slice / ``__getitem__``, gather, split, pad, tile,
one_hot, where) live in array_slicing_ops.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework import constant_op
from varstore.framework.constant_op import (
    CONSTANT_FOLDERS,
    SHAPE_FOLDERS,
    constant_value,
    constant_value_as_shape,
    convert_to_tensor,
)
from varstore.framework.executor import _unfed
from varstore.framework.graph import get_default_graph
from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
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

__all__ = [
    "concat",
    "expand_dims",
    "fill",
    "identity",
    "identity_n",
    "ones",
    "ones_like",
    "placeholder",
    "placeholder_with_default",
    "rank",
    "reshape",
    "shape",
    "shape_n",
    "size",
    "squeeze",
    "stack",
    "stop_gradient",
    "transpose",
    "unstack",
    "zeros",
    "zeros_like",
]

DType = _dtypes.DType
Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32
_int64 = _dtypes.int64


def _out(op: Operation) -> Tensor:
    return op._outputs[0]


def _num(dims: Dims) -> int | None:
    if dims is None or None in dims:
        return None
    n = 1
    for d in dims:
        n *= d  # type: ignore[operator]
    return n


# -- placeholders -----------------------------------------------------------------------------
def placeholder(dtype: Any, shape: Any = None, name: str | None = None) -> Tensor:
    """``tf.placeholder``: a tensor whose value every run must feed."""
    dt = _dtypes.as_dtype(dtype)
    dims = as_shape(shape)._dims
    graph = get_default_graph()
    full = graph._op_name(name, "Placeholder")
    return _out(make_op(graph, full, "Placeholder", (),
                        {"dtype": dt, "shape": TensorShape._of(dims)}, [(dt, dims)]))


@register_kernel("Placeholder", stateful=True)
def _placeholder_kernel(op: Operation) -> Callable[[], Any]:
    def unfed() -> Any:
        raise _unfed(op)

    return unfed


NotDifferentiable("Placeholder")


def placeholder_with_default(input: Any, shape: Any, name: str | None = None) -> Tensor:
    """``tf.placeholder_with_default``: ``input`` unless a run feeds it."""
    graph = check_same_graph(input)
    full = graph._op_name(name, "PlaceholderWithDefault")
    with scope_of(graph, full):
        x = first_input(input, "input")
    dims = as_shape(shape)._dims
    if not TensorShape._of(dims).is_compatible_with(x.shape):
        raise ValueError(f"Shapes must be equal rank, but are {len(x._shape or ())} and "
                         f"{len(dims or ())}")
    return _out(make_op(graph, full, "PlaceholderWithDefault", [x],
                        {"dtype": x._dtype, "shape": TensorShape._of(dims)}, [(x._dtype, dims)]))


@register_kernel("PlaceholderWithDefault")
def _pwd_kernel(op: Operation) -> Callable[[Any], Any]:
    return lambda x: x


@RegisterGradient("PlaceholderWithDefault")
def _pwd_grad(op: Operation, grad: Tensor) -> Tensor:
    return grad


# -- identity ---------------------------------------------------------------------------------
def _unary_same(op_type: str, input: Any, name: str | None, default: str) -> Tensor:
    graph = check_same_graph(input)
    full = graph._op_name(name, default)
    with scope_of(graph, full):
        x = first_input(input, "input")
    return _out(make_op(graph, full, op_type, [x], {"T": x._dtype}, [(x._dtype, x._shape)]))


def identity(input: Any, name: str | None = None) -> Tensor:
    """``tf.identity``: op ``Identity``."""
    return _unary_same("Identity", input, name, "Identity")


def stop_gradient(input: Any, name: str | None = None) -> Tensor:
    """``tf.stop_gradient``: its value, with no gradient through it."""
    return _unary_same("StopGradient", input, name, "StopGradient")


def _identity_kernel(op: Operation) -> Callable[[Any], Any]:
    return lambda x: x


for _t in ("Identity", "StopGradient", "Snapshot", "PreventGradient", "CheckNumerics",
           "EnsureShape"):
    register_kernel(_t)(_identity_kernel)


@RegisterGradient("Identity")
def _identity_grad(op: Operation, grad: Tensor) -> Tensor:
    return grad


NotDifferentiable("StopGradient")


def identity_n(input: Sequence[Any], name: str | None = None) -> list[Tensor]:
    graph = check_same_graph(list(input))
    full = graph._op_name(name, "IdentityN")
    with scope_of(graph, full):
        xs = [convert_to_tensor(v) for v in input]
    op = make_op(graph, full, "IdentityN", xs, {"T": [x._dtype for x in xs]},
                 [(x._dtype, x._shape) for x in xs])
    return list(op._outputs)


@register_kernel("IdentityN")
def _identity_n_kernel(op: Operation) -> Callable[..., Any]:
    return lambda *xs: xs


@RegisterGradient("IdentityN")
def _identity_n_grad(op: Operation, *grads: Tensor) -> list[Tensor]:
    return list(grads)


# -- shape, size, rank ------------------------------------------------------------------------
def _int_out(out_type: Any) -> DType:
    dt = _int32 if out_type is None else _dtypes.as_dtype(out_type)
    if dt not in (_int32, _int64):
        raise TypeError(f"Value passed to parameter 'out_type' has DataType {dt.name} not in "
                        "list of allowed values: int32, int64")
    return dt


def shape(input: Any, name: str | None = None, out_type: Any = None) -> Tensor:
    """``tf.shape``: op ``Shape`` (a ``Const`` when the static shape is fully known, as TF's
    graph-mode ``shape`` folds it)."""
    graph = check_same_graph(input)
    dt = _int_out(out_type)
    full = graph._op_name(name, "Shape")
    with scope_of(graph, full):
        x = first_input(input, "input")
    dims = x._shape
    if dims is not None and None not in dims:
        return constant_op.make_const(graph, full, np.array(dims, dtype=dt._np), dt)
    n = None if dims is None else len(dims)
    return _out(make_op(graph, full, "Shape", [x], {"T": x._dtype, "out_type": dt},
                        [(dt, (n,))]))


@register_kernel("Shape")
def _shape_kernel(op: Operation) -> Callable[[Any], np.ndarray]:
    np_dt = op._attrs["out_type"]._np
    return lambda x: np.array(np.shape(x), dtype=np_dt)


def _fold_shape(t: Tensor) -> np.ndarray | None:
    dims = t._op._inputs[0]._shape
    if dims is None or None in dims:
        return None
    return np.array(dims, dtype=t._dtype._np)


CONSTANT_FOLDERS["Shape"] = _fold_shape
SHAPE_FOLDERS["Shape"] = lambda t: t._op._inputs[0]._shape
NotDifferentiable("Shape")


def shape_n(input: Sequence[Any], out_type: Any = None, name: str | None = None) -> list[Tensor]:
    dt = _int_out(out_type)
    graph = check_same_graph(list(input))
    full = graph._op_name(name, "ShapeN")
    with scope_of(graph, full):
        xs = [convert_to_tensor(v) for v in input]
    op = make_op(graph, full, "ShapeN", xs, {"T": xs[0]._dtype if xs else None,
                                             "out_type": dt, "N": len(xs)},
                 [(dt, (None if x._shape is None else len(x._shape),)) for x in xs])
    return list(op._outputs)


@register_kernel("ShapeN")
def _shape_n_kernel(op: Operation) -> Callable[..., Any]:
    np_dt = op._attrs["out_type"]._np
    return lambda *xs: tuple(np.array(np.shape(x), dtype=np_dt) for x in xs)


NotDifferentiable("ShapeN")


def size(input: Any, name: str | None = None, out_type: Any = None) -> Tensor:
    """``tf.size``: op ``Size`` (a Const when the shape is fully known)."""
    graph = check_same_graph(input)
    dt = _int_out(out_type)
    full = graph._op_name(name, "Size")
    with scope_of(graph, full):
        x = first_input(input, "input")
    n = _num(x._shape)
    if n is not None:
        return constant_op.make_const(graph, full, np.array(n, dtype=dt._np), dt)
    return _out(make_op(graph, full, "Size", [x], {"T": x._dtype, "out_type": dt}, [(dt, ())]))


@register_kernel("Size")
def _size_kernel(op: Operation) -> Callable[[Any], np.ndarray]:
    np_dt = op._attrs["out_type"]._np
    return lambda x: np.array(np.size(x), dtype=np_dt)


NotDifferentiable("Size")


def rank(input: Any, name: str | None = None) -> Tensor:
    """``tf.rank``: op ``Rank`` (a Const when the rank is known)."""
    graph = check_same_graph(input)
    full = graph._op_name(name, "Rank")
    with scope_of(graph, full):
        x = first_input(input, "input")
    if x._shape is not None:
        return constant_op.make_const(graph, full, np.array(len(x._shape), dtype=np.int32),
                                      _int32)
    return _out(make_op(graph, full, "Rank", [x], {"T": x._dtype}, [(_int32, ())]))


@register_kernel("Rank")
def _rank_kernel(op: Operation) -> Callable[[Any], np.ndarray]:
    return lambda x: np.array(np.ndim(x), dtype=np.int32)


NotDifferentiable("Rank")


# -- shape arguments --------------------------------------------------------------------------
def shape_operand(shape_arg: Any, param: str, name: str = "shape") -> Tensor:
    """A shape passed as an op input (Reshape's ``shape``, Fill's ``dims``...): an int32 or
    int64 tensor (a Python list of floats or strings is TF's dtype TypeError)."""
    if isinstance(shape_arg, TensorShape):
        shape_arg = shape_arg.as_list() if shape_arg.is_fully_defined() else shape_arg
    t = convert_to_tensor(shape_arg, dtype_hint=_int32, name=name)
    if t._dtype not in (_int32, _int64):
        raise TypeError(f"Value passed to parameter '{param}' has DataType {t._dtype.name} not "
                        "in list of allowed values: int32, int64")
    return t


def _check_shape_values(value: np.ndarray | None) -> None:
    """TF's MakeShapeFromShapeTensor: -1 is an unknown dimension, anything below an error."""
    if value is None:
        return
    for d in value.reshape(-1).tolist():
        if d < -1:
            raise ValueError(f"Invalid value in tensor used for shape: {d}")


# -- reshape ----------------------------------------------------------------------------------
def reshape(tensor: Any, shape: Any, name: str | None = None) -> Tensor:
    """``tf.reshape``: op ``Reshape``; one -1 dimension is inferred."""
    graph = check_same_graph(tensor, shape)
    full = graph._op_name(name, "Reshape")
    with scope_of(graph, full):
        x = first_input(tensor, "tensor")
        s = shape_operand(shape, "shape")
    value = constant_value(s)
    _check_shape_values(value)
    attrs = {"T": x._dtype, "Tshape": s._dtype}
    out_dims = _reshape_shape(full, x, s, value, attrs)
    return _out(make_op(graph, full, "Reshape", [x, s], attrs, [(x._dtype, out_dims)]))


def _reshape_shape(full: str, x: Tensor, s: Tensor, value: np.ndarray | None,
                   attrs: dict[str, Any]) -> Dims:
    if value is None:
        partial = constant_value_as_shape(s)
        if partial is None or x._shape is None:
            return partial
        dims = [-1 if d is None else d for d in partial]
    else:
        if value.ndim != 1 and value.ndim == 0:
            raise node_error("Shape must be rank 1 but is rank 0", full, "Reshape",
                             _attr_text(attrs), [x, s])
        dims = [int(d) for d in value.reshape(-1).tolist()]
    unknown = [i for i, d in enumerate(dims) if d == -1]
    if len(unknown) > 1 and value is not None:
        raise ValueError(f"Only one input size may be -1, not both {unknown[0]} and "
                         f"{unknown[1]}")
    known = 1
    for d in dims:
        if d != -1:
            known *= d
    size_ = _num(x._shape)
    partial_txt = "[" + ",".join("?" if d == -1 else str(d) for d in dims) + "]"
    extra = f" and with input tensors computed as partial shapes: input[1] = {partial_txt}"
    if size_ is not None and len(unknown) <= 1:
        if unknown and known != 0 and size_ % known:
            raise node_error(f"Dimension size must be evenly divisible by {known} but is "
                             f"{size_}", full, "Reshape", _attr_text(attrs), [x, s], extra)
        if (unknown and known == 0 and size_ != 0) or (not unknown and known != size_):
            raise node_error(f"Cannot reshape a tensor with {size_} elements to shape "
                             f"{partial_txt} ({known} elements)", full, "Reshape",
                             _attr_text(attrs), [x, s], extra)
        if unknown:
            dims[unknown[0]] = size_ // known if known else 0
    elif unknown and len(unknown) == 1 and x._shape is not None and known != 0:
        # An unknown input size: the -1 stays unknown unless the others determine it.
        pass
    return tuple(None if d == -1 else d for d in dims)


def _attr_text(attrs: dict[str, Any]) -> str:
    parts = []
    for k in sorted(attrs):
        v = attrs[k]
        if isinstance(v, DType):
            parts.append(f"{k}={dt_enum(v)}")
        elif isinstance(v, bool):
            parts.append(f"{k}={'true' if v else 'false'}")
        elif isinstance(v, (list, tuple)):
            parts.append(f"{k}=[{', '.join(str(i) for i in v)}]")
        elif isinstance(v, str):
            parts.append(f'{k}="{v}"')
        else:
            parts.append(f"{k}={v}")
    return ", ".join(parts)


attr_text = _attr_text


@register_kernel("Reshape")
def _reshape_kernel(op: Operation) -> Callable[[Any, Any], Any]:
    def reshape_(x: np.ndarray, s: np.ndarray) -> np.ndarray:
        try:
            return np.reshape(x, s.tolist())
        except ValueError:
            raise ValueError(f"Input to reshape is a tensor with {np.size(x)} values, but the "
                             f"requested shape has {int(np.prod(s))}") from None

    return reshape_


def _fold_reshape(t: Tensor) -> np.ndarray | None:
    x = constant_value(t._op._inputs[0])
    s = constant_value(t._op._inputs[1])
    if x is None or s is None:
        return None
    return np.reshape(x, s.tolist())


CONSTANT_FOLDERS["Reshape"] = _fold_reshape


@RegisterGradient("Reshape")
def _reshape_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [reshape(grad, _shape_of(op._inputs[0])), None]


def _shape_of(t: Tensor) -> Any:
    """A shape argument for ``t``'s shape: its static dims when fully known (no op), else a
    Shape op."""
    dims = t._shape
    if dims is not None and None not in dims:
        return list(dims)
    return shape(t)


shape_of = _shape_of


# -- expand_dims / squeeze --------------------------------------------------------------------
def expand_dims(input: Any, axis: Any = None, name: str | None = None, dim: Any = None
                ) -> Tensor:
    """``tf.expand_dims``: op ``ExpandDims``."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    graph = check_same_graph(input, axis)
    full = graph._op_name(name, "ExpandDims")
    with scope_of(graph, full):
        x = first_input(input, "input")
        a = convert_to_tensor(axis, dtype_hint=_int32, name="dim")
    av = constant_value(a)
    dims = x._shape
    out: Dims = None
    if av is not None and dims is not None:
        ax = int(av.reshape(-1)[0])
        rank_ = len(dims)
        if not -rank_ - 1 <= ax <= rank_:
            raise ValueError(f"Tried to expand dim index {ax} for tensor with {rank_} dimensions."
                             f" for '{{{{node {full}}}}} = ExpandDims[T={dt_enum(x._dtype)}, "
                             f"Tdim={dt_enum(a._dtype)}]({x._op._name}, {a._op._name})' with "
                             f"input shapes: {shape_str(dims)}, [] and with computed input "
                             f"tensors: input[1] = <{ax}>.")
        if ax < 0:
            ax += rank_ + 1
        out = (*dims[:ax], 1, *dims[ax:])
    elif dims is not None:
        out = (None,) * (len(dims) + 1)
    return _out(make_op(graph, full, "ExpandDims", [x, a], {"T": x._dtype, "Tdim": a._dtype},
                        [(x._dtype, out)]))


@register_kernel("ExpandDims")
def _expand_dims_kernel(op: Operation) -> Callable[[Any, Any], Any]:
    return lambda x, a: np.expand_dims(x, int(np.reshape(a, -1)[0]))


@RegisterGradient("ExpandDims")
def _expand_dims_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [reshape(grad, _shape_of(op._inputs[0])), None]


def squeeze(input: Any, axis: Any = None, name: str | None = None,
            squeeze_dims: Any = None) -> Tensor:
    """``tf.squeeze``: op ``Squeeze``."""
    if squeeze_dims is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'squeeze_dims' and 'axis'")
        axis = squeeze_dims
    if axis is None:
        axes: list[int] = []
    elif isinstance(axis, (list, tuple)):
        axes = [int(a) for a in axis]
    else:
        axes = [int(axis)]
    graph = check_same_graph(input)
    full = graph._op_name(name, "Squeeze")
    with scope_of(graph, full):
        x = first_input(input, "input")
    dims = x._shape
    out: Dims = None
    if dims is not None:
        r = len(dims)
        norm = []
        for a in axes:
            if not -r <= a < r:
                raise ValueError(f"Tried to squeeze dim index {a} for tensor with {r} "
                                 f"dimensions. for '{{{{node {full}}}}} = Squeeze[T="
                                 f"{dt_enum(x._dtype)}, squeeze_dims=[{', '.join(map(str, axes))}]]"
                                 f"({x._op._name})' with input shapes: {shape_str(dims)}.")
            norm.append(a % r)
        kept = []
        for i, d in enumerate(dims):
            if norm:
                if i in norm:
                    if d is not None and d != 1:
                        raise ValueError(f"Can not squeeze dim[{i}], expected a dimension of 1, "
                                         f"got {d} for '{{{{node {full}}}}} = Squeeze[T="
                                         f"{dt_enum(x._dtype)}, squeeze_dims=["
                                         f"{', '.join(map(str, axes))}]]({x._op._name})' with "
                                         f"input shapes: {shape_str(dims)}.")
                    continue
                kept.append(d)
            elif d != 1:
                if d is None:
                    kept = None  # type: ignore[assignment]
                    break
                kept.append(d)
        out = None if kept is None else tuple(kept)
    return _out(make_op(graph, full, "Squeeze", [x], {"T": x._dtype, "squeeze_dims": axes},
                        [(x._dtype, out)]))


@register_kernel("Squeeze")
def _squeeze_kernel(op: Operation) -> Callable[[Any], Any]:
    axes = tuple(op._attrs["squeeze_dims"])
    if axes:
        return lambda x: np.squeeze(x, axis=axes)
    return np.squeeze


@RegisterGradient("Squeeze")
def _squeeze_grad(op: Operation, grad: Tensor) -> Tensor:
    return reshape(grad, _shape_of(op._inputs[0]))


# -- transpose --------------------------------------------------------------------------------
def transpose(a: Any, perm: Any = None, name: str = "transpose", conjugate: bool = False
              ) -> Tensor:
    """``tf.transpose``: op ``transpose`` of type ``Transpose`` (reverses axes by default)."""
    graph = check_same_graph(a, perm)
    full = graph._op_name(name, "transpose")
    with scope_of(graph, full):
        x = first_input(a, "a")
        if perm is None:
            if x._shape is None:
                raise ValueError("transpose of a tensor of unknown rank needs perm")
            p = convert_to_tensor(list(range(len(x._shape) - 1, -1, -1)), dtype=_int32,
                                  name="perm")
        else:
            p = convert_to_tensor(perm, dtype_hint=_int32, name="perm")
    pv = constant_value(p)
    dims = x._shape
    out: Dims = None
    if pv is not None:
        axes = [int(v) for v in pv.reshape(-1)]
        if dims is not None:
            if sorted(axes) != list(range(len(dims))):
                raise ValueError(f"{axes} is not a permutation of the dimensions of a tensor "
                                 f"of rank {len(dims)}")
            out = tuple(dims[i] for i in axes)
        else:
            out = (None,) * len(axes)
    elif dims is not None:
        out = (None,) * len(dims)
    return _out(make_op(graph, full, "Transpose", [x, p], {"T": x._dtype, "Tperm": p._dtype},
                        [(x._dtype, out)]))


@register_kernel("Transpose")
def _transpose_kernel(op: Operation) -> Callable[[Any, Any], Any]:
    return lambda x, p: np.ascontiguousarray(np.transpose(x, p.tolist()))


@RegisterGradient("Transpose")
def _transpose_grad(op: Operation, grad: Tensor) -> list[Any]:
    pv = constant_value(op._inputs[1])
    if pv is not None:
        inv = np.argsort(pv.reshape(-1)).astype(np.int32)
        return [transpose(grad, inv.tolist()), None]
    return [transpose(grad, invert_permutation(op._inputs[1])), None]


def invert_permutation(x: Any, name: str | None = None) -> Tensor:
    graph = check_same_graph(x)
    full = graph._op_name(name, "InvertPermutation")
    with scope_of(graph, full):
        t = first_input(x, "x")
    return _out(make_op(graph, full, "InvertPermutation", [t], {"T": t._dtype},
                        [(t._dtype, t._shape)]))


@register_kernel("InvertPermutation")
def _invert_perm_kernel(op: Operation) -> Callable[[Any], Any]:
    return lambda p: np.argsort(p).astype(p.dtype)


NotDifferentiable("InvertPermutation")


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
            ax = convert_to_tensor(axis, dtype_hint=_int32, name="concat_dim")
            if ax._dtype not in (_int32, _int64):
                raise TypeError(f"Value passed to parameter 'axis' has DataType {ax._dtype.name}"
                                " not in list of allowed values: int32, int64")
            return identity(values[0], name="concat")
    with scope_of(graph, full):
        xs = [v if isinstance(v, Tensor) else convert_to_tensor(v, name=f"values_{i}")
              for i, v in enumerate(values)]
        if any(x._dtype is not xs[0]._dtype for x in xs):
            raise TypeError("Tensors in list passed to 'values' of 'ConcatV2' Op have types "
                            f"[{', '.join(x._dtype.name for x in xs)}] that don't all match.")
        ax = convert_to_tensor(axis, dtype_hint=_int32, name="axis")
    if ax._dtype not in (_int32, _int64):
        raise TypeError(f"Value passed to parameter 'axis' has DataType {ax._dtype.name} not in "
                        "list of allowed values: int32, int64")
    dt = xs[0]._dtype
    attrs = {"N": len(xs), "T": dt, "Tidx": ax._dtype}
    out = _concat_shape(full, xs, ax, attrs)
    return _out(make_op(graph, full, "ConcatV2", [*xs, ax], attrs, [(dt, out)]))


def _concat_shape(full: str, xs: list[Tensor], ax: Tensor, attrs: dict[str, Any]) -> Dims:
    inputs = [*xs, ax]
    text = _attr_text(attrs)
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
    """``tf.stack``: op ``stack`` (``Pack``); a list of Python values along axis 0 is one
    Const, as TF converts it."""
    values = list(values)
    if axis == 0 and not constant_op._contains_tensor(values):
        try:
            return convert_to_tensor(values, name=name)
        except (TypeError, ValueError):
            pass
    graph = check_same_graph(values)
    full = graph._op_name(name, "stack")
    with scope_of(graph, full):
        xs = [v if isinstance(v, Tensor) else convert_to_tensor(v, name=f"values_{i}")
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
    if op._attrs["axis"] != 0 or any(x._shape != () for x in op._inputs):
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


def _autopack(value: Any, dtype: Any, name: str | None) -> Tensor:
    """convert_to_tensor of a (nested) list holding tensors: TF's autopacking helper (a Pack
    op named ``packed``; its Python elements become Consts ``packed/<i>``)."""
    dt = None if dtype is None else _dtypes.as_dtype(dtype)
    graph = check_same_graph(list(value))

    def helper(items: Any, nm: str) -> Any:
        full = graph._op_name(nm, nm)
        with scope_of(graph, full):
            elems: list[Any] = []
            must_pack = False
            for i, elem in enumerate(items):
                if isinstance(elem, Tensor) or constant_op.is_tensor_like(elem):
                    elems.append(convert_to_tensor(elem, dtype=dt))
                    must_pack = True
                elif isinstance(elem, (list, tuple)):
                    sub = helper(elem, str(i)) if constant_op._contains_tensor(elem) else elem
                    must_pack = must_pack or isinstance(sub, Tensor)
                    elems.append(sub)
                else:
                    elems.append(elem)
            tensors = [e if isinstance(e, Tensor) else
                       constant_op.constant(e, dtype=dt, name=str(i)) for i, e in
                       enumerate(elems)]
        if any(t._dtype is not tensors[0]._dtype for t in tensors):
            raise TypeError("Cannot convert a list containing a tensor of dtype "
                            f"{tensors[0]._dtype!r} to {dt!r} (Tensor is: {tensors[0]!r})")
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
        return tuple(np.moveaxis(x, axis, 0))

    return unpack


@RegisterGradient("Unpack")
def _unpack_grad(op: Operation, *grads: Any) -> Tensor:
    gs = [g if g is not None else zeros_like(t) for g, t in zip(grads, op._outputs)]
    return stack(gs, axis=op._attrs["axis"])


# -- fill / zeros / ones ----------------------------------------------------------------------
def fill(dims: Any, value: Any, name: str | None = None) -> Tensor:
    """``tf.fill``: op ``Fill``."""
    graph = check_same_graph(dims, value)
    full = graph._op_name(name, "Fill")
    with scope_of(graph, full):
        d = shape_operand(dims, "dims", name="dims")
        v = first_input(value, "value")
    attrs = {"T": v._dtype, "index_type": d._dtype}
    if v._shape is not None and len(v._shape) != 0:
        raise node_error(f"Shape must be rank 0 but is rank {len(v._shape)}", full, "Fill",
                         _attr_text(attrs), [d, v])
    dv = constant_value(d)
    _check_shape_values(dv)
    out: Dims
    if dv is not None:
        vals = dv.reshape(-1).tolist()
        if any(x < 0 for x in vals):
            raise node_error("Fill dimensions must be >= 0", full, "Fill", _attr_text(attrs),
                             [d, v], " and with input tensors computed as partial shapes: "
                             "input[0] = [" + ",".join("?" if x < 0 else str(x) for x in vals)
                             + "]")
        out = tuple(int(x) for x in vals)
    else:
        out = constant_value_as_shape(d)
    return _out(make_op(graph, full, "Fill", [d, v], attrs, [(v._dtype, out)]))


@register_kernel("Fill")
def _fill_kernel(op: Operation) -> Callable[[Any, Any], Any]:
    return lambda d, v: np.full(d.tolist(), v, dtype=np.asarray(v).dtype)


@RegisterGradient("Fill")
def _fill_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [None, builders.reduce_sum(grad)]


def _filled(kind: str, shape_arg: Any, dtype: Any, name: str | None, one: bool) -> Tensor:
    dt = _dtypes.as_dtype(dtype)
    graph = check_same_graph(shape_arg)
    full = graph._op_name(name, kind)
    with scope_of(graph, full):
        if isinstance(shape_arg, Tensor):
            s = shape_operand(shape_arg, "dims")
            value = constant_value(s)
        else:
            s = None
            dims_list = _static_dims(shape_arg)
            value = np.array(dims_list, dtype=np.int64)
        n = None if value is None else math.prod(value.tolist())
        if value is not None and n is not None and n < 1000 and (value >= 0).all():
            arr = np.zeros(value.tolist(), dt._np) if not one else np.ones(value.tolist(),
                                                                           dt._np)
            return constant_op.make_const(graph, full, arr, dt)
        if s is None:
            assert value is not None
            s = convert_to_tensor(value.tolist(), dtype_hint=_int32, name="shape_as_tensor")
        c = constant_op.make_const(graph, graph._op_name("Const", "Const"),
                                   np.array(1 if one else 0, dt._np), dt)
    return _fill_named(graph, full, s, c)


def _fill_named(graph: Any, full: str, dims: Tensor, value: Tensor) -> Tensor:
    attrs = {"T": value._dtype, "index_type": dims._dtype}
    dv = constant_value(dims)
    _check_shape_values(dv)
    if dv is not None and (dv < 0).any():
        raise node_error("Fill dimensions must be >= 0", full, "Fill", _attr_text(attrs),
                         [dims, value], " and with input tensors computed as partial shapes: "
                         "input[0] = [" + ",".join("?" if x < 0 else str(x) for x in
                                                   dv.tolist()) + "]")
    out = tuple(int(x) for x in dv.tolist()) if dv is not None else \
        constant_value_as_shape(dims)
    return _out(make_op(graph, full, "Fill", [dims, value], attrs, [(value._dtype, out)]))


def _static_dims(shape_arg: Any) -> list[int]:
    if isinstance(shape_arg, TensorShape):
        if not shape_arg.is_fully_defined():
            raise ValueError(f"Cannot convert a partially known TensorShape {shape_arg} to a "
                             "Tensor.")
        return shape_arg.as_list()  # type: ignore[return-value]
    if isinstance(shape_arg, (int, np.integer)) and not isinstance(shape_arg, bool):
        return [int(shape_arg)]
    if isinstance(shape_arg, np.ndarray):
        shape_arg = shape_arg.tolist()
    if not isinstance(shape_arg, (list, tuple)):
        raise TypeError(f"Expected int32, but got {shape_arg!r} of type "
                        f"'{type(shape_arg).__name__}'.")
    out = []
    for d in shape_arg:
        if d is None:
            raise ValueError(f"Cannot convert a partially known TensorShape "
                             f"{TensorShape(shape_arg)} to a Tensor.")
        if isinstance(d, Tensor):
            v = constant_value(d)
            if v is None:
                raise TypeError("Expected a static shape")
            d = int(v)
        if isinstance(d, (bool, np.bool_)) or not isinstance(d, (int, np.integer)):
            if isinstance(d, float):
                raise TypeError("Value passed to parameter 'shape' has DataType float32 not "
                                "in list of allowed values: int32, int64")
            raise TypeError(f"Expected int32, but got {d!r} of type '{type(d).__name__}'.")
        if d < -1:
            raise ValueError(f"Invalid value in tensor used for shape: {d}")
        out.append(int(d))
    return out


def zeros(shape: Any, dtype: Any = _dtypes.float32, name: str | None = None) -> Tensor:
    """``tf.zeros``: op ``zeros`` of type ``Const`` (below 1000 elements) or ``Fill``."""
    return _filled("zeros", shape, dtype, name, False)


def ones(shape: Any, dtype: Any = _dtypes.float32, name: str | None = None) -> Tensor:
    """``tf.ones``: op ``ones`` of type ``Const`` (below 1000 elements) or ``Fill``."""
    return _filled("ones", shape, dtype, name, True)


def zeros_like(tensor: Any, dtype: Any = None, name: str | None = None,
               optimize: bool = True) -> Tensor:
    """``tf.zeros_like``: a Const/Fill of zeros for a static shape, else op ``ZerosLike``."""
    return _like(tensor, dtype, name, optimize, False)


def ones_like(tensor: Any, dtype: Any = None, name: str | None = None,
              optimize: bool = True) -> Tensor:
    """``tf.ones_like``: op ``ones_like`` (``Fill``, or ``OnesLike`` for a dynamic shape)."""
    return _like(tensor, dtype, name, optimize, True)


def _like(tensor: Any, dtype: Any, name: str | None, optimize: bool, one: bool) -> Tensor:
    graph = check_same_graph(tensor)
    kind = "ones_like" if one else "zeros_like"
    full = graph._op_name(name, kind)
    with scope_of(graph, full):
        x = first_input(tensor, "tensor")
        dt = x._dtype if dtype is None else _dtypes.as_dtype(dtype)
        dims = x._shape
        if optimize and dims is not None and None not in dims:
            if not one:
                n = _num(dims) or 0
                if n < 1000:
                    zeros_arr = np.zeros([int(d) for d in dims if d is not None], dt._np)
                    return constant_op.make_const(graph, full, zeros_arr, dt)
                s = convert_to_tensor(list(dims), dtype=_int32, name="shape_as_tensor")
                c = constant_op.make_const(graph, graph._op_name("Const", "Const"),
                                           np.array(0, dt._np), dt)
                return _fill_named(graph, full, s, c)
            s = convert_to_tensor(list(dims), dtype=_int32, name="Shape")
            c = constant_op.make_const(graph, graph._op_name("Const", "Const"),
                                       np.array(1, dt._np), dt)
            return _fill_named(graph, full, s, c)
        if dt is not x._dtype:
            s = shape(x)
            c = constant_op.make_const(graph, graph._op_name("Const", "Const"),
                                       np.array(1 if one else 0, dt._np), dt)
            return _fill_named(graph, full, s, c)
    op_type = "OnesLike" if one else "ZerosLike"
    return _out(make_op(graph, full, op_type, [x], {"T": x._dtype}, [(x._dtype, dims)]))


@register_kernel("ZerosLike")
def _zeros_like_kernel(op: Operation) -> Callable[[Any], Any]:
    return np.zeros_like


@register_kernel("OnesLike")
def _ones_like_kernel(op: Operation) -> Callable[[Any], Any]:
    return np.ones_like


NotDifferentiable("ZerosLike")
NotDifferentiable("OnesLike")


def check_dtype_allowed(dtype: DType, allowed: str, param: str) -> None:
    check_allowed(dtype, allowed, param)


builders.register(globals(), [*__all__, "invert_permutation", "shape_of", "concat_offset"])
