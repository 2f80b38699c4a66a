"""Array ops that make tensors of a value: fill, zeros, ones, zeros_like, ones_like, each with
its shape inference, kernel and gradient (TF's array_ops)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework import constant_op
from varstore.framework.constant_op import (
    constant_value,
    constant_value_as_shape,
    convert_to_tensor,
)
from varstore.framework.op_def_library import check_same_graph, first_input
from varstore.framework.ops import (
    ZEROS_TENSORS,
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
from varstore.framework.tensor_shape import TensorShape, undimension
from varstore.ops.array_ops import _check_shape_values, _num, _out, attr_text, shape, shape_operand

__all__ = [
    "fill",
    "ones",
    "ones_like",
    "zeros",
    "zeros_like",
]

DType = _dtypes.DType
Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32
_int64 = _dtypes.int64


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
                         attr_text(attrs), [d, v])
    dv = constant_value(d)
    _check_shape_values(dv)
    out: Dims
    if dv is not None:
        vals = dv.reshape(-1).tolist()
        if any(x < 0 for x in vals):
            raise node_error("Fill dimensions must be >= 0", full, "Fill", attr_text(attrs),
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
        value = None
        if isinstance(shape_arg, Tensor):
            # TF fills a shape given as a tensor, even one of known value; a scalar (or
            # unranked) one is first reshaped to a vector.
            s = shape_operand(shape_arg, "dims")
            if not s._shape:
                s = builders.reshape(s, [-1])
            value = None
        else:
            s = None
            try:
                value = np.array(_static_dims(shape_arg), dtype=np.int64)
            except _DynamicDimError:
                # TF's fallback for a list holding tensors: convert_to_tensor packs it
                # (op ``<kind>/packed``)
                s = convert_to_tensor(shape_arg, dtype=_int32)
        n = None if value is None else math.prod(value.tolist())
        # TF makes a small Const only for a shape that is not a tensor (a tensor shape, even
        # a constant one, is always a Fill)
        if s is None and value is not None and n is not None and n < 1000 and \
                (value >= 0).all():
            return constant_op.make_const(graph, full, _filled_array(value.tolist(), dt, one),
                                          dt)
        if s is None:
            assert value is not None
            # TF goes through a TensorShape: int64 once a size does not fit in int32. But
            # first it tries a small Const by the int64 product: one that overflows to below
            # 1000 fails there, and TF falls back to an int32 conversion (sizes wrap).
            wrapped = int(np.prod(value, dtype=np.int64))
            dt_shape = _int32 if wrapped < 1000 <= (n or 0) else _shape_dtype(value.tolist())
            s = convert_to_tensor(value.tolist(), dtype=dt_shape, name="shape_as_tensor")
        c = constant_op.make_const(graph, graph._op_name("Const", "Const"),
                                   _filled_array([], dt, one), dt)
    return _fill_named(graph, full, s, c)


def _shape_dtype(dims: list[Any]) -> DType:
    """constant_op's TensorShape conversion: int64 when a size reaches 2**31, else int32."""
    return _dtypes.int64 if any(d is not None and int(d) >= 2**31 for d in dims) else _int32


def _filled_array(dims: list[int], dt: DType, one: bool) -> np.ndarray:
    """The zeros (ones) of ``dt``: a string's zero is b"" (TF's zeros on tf.string); a string
    has no one, and TF's conversion of the 1 says so."""
    if dt is _dtypes.string:
        if one:
            raise TypeError("Expected string, but got 1 of type 'int'.")
        return np.full(dims, b"", dtype=object)
    return np.ones(dims, dt._np) if one else np.zeros(dims, dt._np)


def _fill_named(graph: Any, full: str, dims: Tensor, value: Tensor) -> Tensor:
    attrs = {"T": value._dtype, "index_type": dims._dtype}
    dv = constant_value(dims)
    _check_shape_values(dv)
    if dv is not None and (dv < 0).any():
        raise node_error("Fill dimensions must be >= 0", full, "Fill", attr_text(attrs),
                         [dims, value], " and with input tensors computed as partial shapes: "
                         "input[0] = [" + ",".join("?" if x < 0 else str(x) for x in
                                                   dv.tolist()) + "]")
    out = tuple(int(x) for x in dv.tolist()) if dv is not None else \
        constant_value_as_shape(dims)
    return _out(make_op(graph, full, "Fill", [dims, value], attrs, [(value._dtype, out)]))


class _DynamicDimError(Exception):
    """A shape list holds a tensor whose value is unknown until run time."""


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
    shape_arg = undimension(shape_arg)
    if isinstance(shape_arg, int):
        return [shape_arg]
    if not isinstance(shape_arg, (list, tuple)):
        raise TypeError(f"Expected int32, but got {shape_arg!r} of type "
                        f"'{type(shape_arg).__name__}'.")
    out = []
    for d in shape_arg:
        if d is None:
            raise ValueError(f"Cannot convert a partially known TensorShape "
                             f"{TensorShape(shape_arg)} to a Tensor.")
        if isinstance(d, Tensor):
            # TF's np.prod / TensorShape fail on any tensor, constant or not, and it packs.
            raise _DynamicDimError
        if isinstance(d, np.ndarray) and d.ndim == 0 and d.dtype.kind in "iu":
            d = d.item()  # a folded scalar (constant_value), as TF's packing accepts
        if isinstance(d, (bool, np.bool_)) or not isinstance(d, (int, np.integer)):
            if isinstance(d, float):
                raise TypeError("Value passed to parameter 'shape' has DataType float32 not "
                                "in list of allowed values: int32, int64")
            raise TypeError(f"Expected int32, but got {d!r} of type '{type(d).__name__}'.")
        if d < -1:
            raise ValueError(f"Invalid value in tensor used for shape: {d}")
        out.append(int(d))
    return out


def _tag_zeros(t: Tensor) -> Tensor:
    # TF tags what tf.zeros / zeros_like make (_is_zeros_tensor): a fused op's gradient then
    # knows an unconnected output's zero gradient needs no second-order term
    ZEROS_TENSORS.add(t)
    return t


def zeros(shape: Any, dtype: Any = _dtypes.float32, name: str | None = None) -> Tensor:
    """``tf.zeros``: op ``zeros`` of type ``Const`` (below 1000 elements) or ``Fill``."""
    return _tag_zeros(_filled("zeros", shape, dtype, name, False))


def ones(shape: Any, dtype: Any = _dtypes.float32, name: str | None = None) -> Tensor:
    """``tf.ones``: op ``ones`` of type ``Const`` (below 1000 elements) or ``Fill``."""
    return _filled("ones", shape, dtype, name, True)


def zeros_like(tensor: Any, dtype: Any = None, name: str | None = None,
               optimize: bool = True) -> Tensor:
    """``tf.zeros_like``: a Const/Fill of zeros for a static shape, else op ``ZerosLike``."""
    return _tag_zeros(_like(tensor, dtype, name, optimize, False))


def ones_like(tensor: Any, dtype: Any = None, name: str | None = None,
              optimize: bool = True) -> Tensor:
    """``tf.ones_like``: op ``ones_like`` (``Fill`` of the static shape, or of ``Shape``)."""
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
                    zeros_arr = _filled_array([int(d) for d in dims if d is not None], dt,
                                              False)
                    return constant_op.make_const(graph, full, zeros_arr, dt)
                s = convert_to_tensor(list(dims), dtype=_shape_dtype(list(dims)),
                                      name="shape_as_tensor")
                c = constant_op.make_const(graph, graph._op_name("Const", "Const"),
                                           _filled_array([], dt, False), dt)
                return _fill_named(graph, full, s, c)
            # TF's shape_internal converts the static shape in a "Shape" scope
            s = convert_to_tensor(list(dims), dtype=_int32, name="Shape/shape_as_tensor")
            c = constant_op.make_const(graph, graph._op_name("Const", "Const"),
                                       _filled_array([], dt, True), dt)
            return _fill_named(graph, full, s, c)
        # TF's ones_like is always ones(shape(x)); zeros_like keeps ZerosLike for its dtype.
        if one or dt is not x._dtype:
            s = shape(x)
            c = constant_op.make_const(graph, graph._op_name("Const", "Const"),
                                       _filled_array([], dt, one), dt)
            return _fill_named(graph, full, s, c)
    op_type = "OnesLike" if one else "ZerosLike"
    return _out(make_op(graph, full, op_type, [x], {"T": x._dtype}, [(x._dtype, dims)]))


@register_kernel("ZerosLike")
def _zeros_like_kernel(op: Operation) -> Callable[[Any], Any]:
    if op._attrs["T"] is _dtypes.string:
        return lambda x: np.full(np.shape(x), b"", dtype=object)
    return np.zeros_like


@register_kernel("OnesLike")
def _ones_like_kernel(op: Operation) -> Callable[[Any], Any]:
    return np.ones_like


NotDifferentiable("ZerosLike")
NotDifferentiable("OnesLike")


builders.register(globals(), __all__)
