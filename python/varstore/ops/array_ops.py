"""Array ops: placeholders, identity, shapes and layout (reshape, expand_dims, squeeze; transpose
in array_transpose_ops.py, re-exported here), each with its shape inference, kernel and
gradient.

TF keeps all array ops in one array_ops.py; varstore splits the family by what the ops do:
concat / stack / unstack in array_stack_ops.py, fill / zeros / ones / *_like in
array_fill_ops.py, and slicing and gathering (slice, strided_slice / ``__getitem__``, gather,
split) in array_slicing_ops.py, and tile, pad, reverse, broadcast_to, one_hot, where in
array_transform_ops.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
    inferred_shape,
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
from varstore.framework.sparse_tensor import SparseTensor, SparseTensorValue
from varstore.framework.tensor_shape import TensorShape, as_shape, shape_str
from varstore.ops.array_transpose_ops import transpose

__all__ = [
    "expand_dims",
    "identity",
    "identity_n",
    "placeholder",
    "placeholder_with_default",
    "rank",
    "reshape",
    "shape",
    "shape_n",
    "size",
    "squeeze",
    "stop_gradient",
    "transpose",
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


for _t in ("Identity", "StopGradient", "Snapshot", "PreventGradient"):
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
    if isinstance(input, (SparseTensor, SparseTensorValue)):  # its dense_shape, as TF's
        return builders.sparse_shape(input, name, out_type)  # type: ignore[no-any-return]
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
    if isinstance(input, (SparseTensor, SparseTensorValue)):
        return builders.sparse_size(input, name, out_type)  # type: ignore[no-any-return]
    graph = check_same_graph(input)
    dt = _int_out(out_type)
    full = graph._op_name(name, "Size")
    with scope_of(graph, full):
        x = first_input(input, "Const")  # TF's size_internal: convert_to_tensor(input)
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
    return rank_internal(input, name)


def rank_internal(input: Any, name: str | None = None, optimize: bool = True) -> Tensor:
    """TF's array_ops.rank_internal: ``optimize=False`` keeps the Rank op of a known rank."""
    if isinstance(input, (SparseTensor, SparseTensorValue)):
        return builders.sparse_rank(input, name)  # type: ignore[no-any-return]
    graph = check_same_graph(input)
    full = graph._op_name(name, "Rank")
    with scope_of(graph, full):
        x = first_input(input, "input")
    if optimize and x._shape is not None:
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
    t = convert_index(shape_arg, name=name)
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
        partial = inferred_shape(s)
        if partial is None or x._shape is None:
            return partial
        dims = [-1 if d is None else d for d in partial]
    else:
        if value.ndim != 1 and value.ndim == 0:
            raise node_error("Shape must be rank 1 but is rank 0", full, "Reshape",
                             _attr_text(attrs), [x, s])
        dims = [int(d) for d in value.reshape(-1).tolist()]
    unknown = [i for i, d in enumerate(dims) if d == -1]
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
        if unknown and known:
            # TF's shape function leaves the -1 unknown when the other sizes multiply to 0
            dims[unknown[0]] = size_ // known
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
        return np.reshape(x, _reshape_sizes(x.shape, s))

    return reshape_


def _reshape_sizes(in_shape: tuple[int, ...], sizes: np.ndarray) -> list[int]:
    """TF's ReshapeOp::ValidateSizes: a -1 is inferred from the non-zero sizes (so a zero-size
    tensor's -1 is still determined: [2, 0] to [-1, 0] is [2, 0]), with TF's errors."""
    out: list[int] = []
    unknown = -1
    product = 1
    has_zero = False
    for d, size in enumerate(int(v) for v in sizes.reshape(-1).tolist()):
        if size == -1:
            if unknown != -1:
                raise ValueError(f"Only one input size may be -1, not both {unknown} and {d}")
            unknown = d
            out.append(1)
        elif size < 0:
            raise ValueError(f"Size {d} must be non-negative, not {size}")
        else:
            has_zero = has_zero or size == 0
            product *= size if size else 1
            out.append(size)
    n = int(np.prod(in_shape, dtype=np.int64))
    if unknown != -1:
        count = 1
        zero_in = False
        for dim in in_shape:
            if dim > 0 or not has_zero:
                count *= dim
            else:
                zero_in = True
        missing = count // product
        if not zero_in and product * missing != count:
            raise ValueError(f"Input to reshape is a tensor with {count} values, but the "
                             f"requested shape requires a multiple of {product}")
        out[unknown] = missing
    want = int(np.prod(out, dtype=np.int64))
    if want != n:
        raise ValueError(f"Input to reshape is a tensor with {n} values, but the requested "
                         f"shape has {want}")
    return out


def _fold_reshape(t: Tensor) -> np.ndarray | None:
    x = constant_value(t._op._inputs[0])
    s = constant_value(t._op._inputs[1])
    if x is None or s is None:
        return None
    return np.reshape(x, _reshape_sizes(x.shape, s))


CONSTANT_FOLDERS["Reshape"] = _fold_reshape
# TF's tensor_util.constant_value looks through Identity and StopGradient.
CONSTANT_FOLDERS["Identity"] = lambda t: constant_value(t._op._inputs[0])
CONSTANT_FOLDERS["StopGradient"] = lambda t: constant_value(t._op._inputs[0])


@RegisterGradient("Reshape")
def _reshape_grad(op: Operation, grad: Tensor) -> list[Any]:
    # TF's _ReshapeGrad: one unknown dim (and no zero) becomes -1 in a constant shape, so
    # the gradient needs no Shape op at run time
    dims = op._inputs[0]._shape
    if dims is not None and dims.count(None) == 1 and 0 not in dims:
        return [reshape(grad, [-1 if d is None else d for d in dims]), None]
    return [reshape(grad, _shape_of(op._inputs[0])), None]


def _shape_of(t: Tensor) -> Any:
    """TF's array_ops.shape(t) as gradients use it: a Const named Shape when the shape is
    fully known, else a Shape op."""
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
        a = convert_index(axis, name="dim")
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


def _fold_expand_dims(t: Tensor) -> np.ndarray | None:
    # TF's shape inference evaluates a constant ExpandDims (a scalar made a shape vector).
    x, a = (constant_value(i) for i in t._op._inputs)
    if x is None or a is None:
        return None
    return np.expand_dims(x, int(np.reshape(a, -1)[0]))


CONSTANT_FOLDERS["ExpandDims"] = _fold_expand_dims


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


def check_dtype_allowed(dtype: DType, allowed: str, param: str) -> None:
    check_allowed(dtype, allowed, param)


builders.register(globals(), [*__all__, "shape_of"])
