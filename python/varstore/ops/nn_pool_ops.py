"""Pooling ops: max_pool (MaxPool, MaxPoolGrad; padding 'SAME', 'VALID' or explicit
[before, after] pairs), avg_pool (AvgPool, AvgPoolGrad), each with its shape inference,
kernel and gradient (TF's nn_ops)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value
from varstore.framework.graph import name_scope
from varstore.framework.importer import register_shape
from varstore.framework.op_def_library import (
    check_allowed,
    check_same_graph,
    first_input,
)
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.ops import (
    array_ops,
    nn_pool_v2_ops,  # noqa: F401 - registers MaxPoolV2 and its gradients
)
from varstore.ops import nn_pool_common as pool_common
from varstore.ops.nn_conv_ops import check_padding, get_sequence
from varstore.ops.nn_pool_common import Dims, check_batch, grad_grad_shape, pool_shape
from varstore.ops.nn_window_utils import convert_padding

__all__ = [
    "avg_pool",
    "avg_pool1d",
    "max_pool",
    "max_pool1d",
    "max_pool2d",
]

DType = _dtypes.DType


# -- pooling ------------------------------------------------------------------------------------------
def _pool(op_type: str, value: Any, ksize: Any, strides: Any, padding: Any, data_format: str,
          name: str | None, default: str) -> Tensor:
    graph = check_same_graph(value)
    full = graph._op_name(name, default)  # TF names the op before checking its arguments
    if data_format is None:
        data_format = "NHWC"
    channel_index = 1 if data_format.startswith("NC") else 3
    k4 = get_sequence(ksize, 2, channel_index, "ksize")
    s4 = get_sequence(strides, 2, channel_index, "strides")
    explicit: list[int] = []
    if op_type == "MaxPool":
        if isinstance(padding, (list, tuple)) and data_format == "NCHW_VECT_C":
            raise ValueError("`data_format='NCHW_VECT_C'` is not supported with explicit "
                             f"padding. Received: padding={padding}")
        # max_pool takes explicit [before, after] pairs too; avg_pool's op does not
        padding, explicit = convert_padding(padding)
    elif isinstance(padding, (list, tuple)):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    if op_type == "MaxPool" and 0 in k4:
        # only max_pool checks; TF's avg_pool builds the node (its kernel refuses it)
        raise ValueError(f"`ksize` cannot be zero. Received: ksize={ksize}")
    with scope_of(graph, full):
        # the op's input is `input` for MaxPool, `value` for AvgPool
        x = first_input(value, "input" if op_type == "MaxPool" else "value")
    check_padding(padding, op_type)
    formats = ("NHWC", "NCHW", "NCHW_VECT_C") if op_type == "MaxPool" else ("NHWC", "NCHW")
    if data_format not in formats:
        allowed_text = ", ".join(f'"{f}"' for f in formats)
        raise ValueError(f"Attr 'data_format' of '{op_type}' Op passed string '{data_format}' "
                         f"not in: {allowed_text}.")
    allowed = ("float16, bfloat16, float32, float64, int32, int64, uint8, int16, int8, uint16, "
               "qint8") if op_type == "MaxPool" else "float16, bfloat16, float32, float64"
    if x._dtype.name not in allowed.split(", "):
        # the op's input is named `input` for MaxPool, `value` for AvgPool
        check_allowed(x._dtype, allowed, "input" if op_type == "MaxPool" else "value")
    attrs = {"T": x._dtype, "data_format": data_format, "ksize": k4, "padding": padding,
             "strides": s4}
    if op_type == "MaxPool":
        attrs["explicit_paddings"] = explicit
    out = pool_shape(full, op_type, [x], attrs)
    return make_op(graph, full, op_type, [x], attrs, [(x._dtype, out)])._outputs[0]


def max_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
             name: str | None = None, input: Any = None) -> Tensor:
    """``tf.nn.max_pool`` (TF1): op ``MaxPool``; ksize/strides as an int, [h, w] or 4-list."""
    if input is not None:
        value = input
    return _pool("MaxPool", value, ksize, strides, padding, data_format, name, "MaxPool")


def max_pool2d(input: Any, ksize: Any, strides: Any, padding: Any,
               data_format: str = "NHWC", name: str | None = None) -> Tensor:
    """``tf.nn.max_pool2d``: op ``MaxPool2d`` (type ``MaxPool``)."""
    return _pool("MaxPool", input, ksize, strides, padding, data_format, name, "MaxPool2d")


def avg_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
             name: str | None = None, input: Any = None) -> Tensor:
    """``tf.nn.avg_pool``: op ``AvgPool`` (SAME padding averages the valid elements only)."""
    if input is not None:
        value = input
    return _pool("AvgPool", value, ksize, strides, padding, data_format, name, "AvgPool")


def _pool1d(op_type: str, input: Any, ksize: Any, strides: Any, padding: Any,
            data_format: str | None, name: str | None, default: str) -> Tensor:
    # TF's max_pool1d/avg_pool1d: a 2-D pool over [batch, 1, width, channels] (or NCHW), the
    # op named after the scope, between ExpandDims and Squeeze inside it.
    with name_scope(name, default, [input]) as scope:
        if data_format is None:
            data_format = "NWC"
        channel_index = 1 if data_format.startswith("NC") else 2
        k4 = [1, *get_sequence(ksize, 1, channel_index, "ksize")]
        s4 = [1, *get_sequence(strides, 1, channel_index, "strides")]
        expanding_dim = 1 if data_format == "NWC" else 2
        fmt = "NHWC" if data_format == "NWC" else "NCHW"
        if op_type == "MaxPool" and isinstance(padding, (list, tuple)):
            convert_padding(padding, 3)  # TF checks the 3 pairs, then adds one for the height
            padding = [[0, 0], *padding]
        x = array_ops.expand_dims(input, expanding_dim)
        result = _pool(op_type, x, k4, s4, padding, fmt, scope, default)
        return array_ops.squeeze(result, expanding_dim)


def max_pool1d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC",
               name: str | None = None) -> Tensor:
    """``tf.nn.max_pool1d``: ``MaxPool1d/`` ExpandDims, MaxPool, Squeeze (NWC or NCW)."""
    return _pool1d("MaxPool", input, ksize, strides, padding, data_format, name, "MaxPool1d")


def avg_pool1d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC",
               name: str | None = None) -> Tensor:
    """``tf.nn.avg_pool1d``: ``AvgPool1D/`` ExpandDims, AvgPool, Squeeze (NWC or NCW)."""
    return _pool1d("AvgPool", input, ksize, strides, padding, data_format, name, "AvgPool1D")


def _nhwc(fn: Callable[..., np.ndarray], nchw: bool, n_in: int = 1) -> Callable[..., Any]:
    """``fn`` over NHWC arrays, run on NCHW ones by transposing the first ``n_in`` inputs
    and the result."""
    if not nchw:
        return lambda *a: np.ascontiguousarray(fn(*a))

    def run(*a: np.ndarray) -> np.ndarray:
        t = [np.transpose(v, (0, 2, 3, 1)) if i < n_in else v for i, v in enumerate(a)]
        return np.ascontiguousarray(np.transpose(fn(*t), (0, 3, 1, 2)))

    return run


@register_kernel("MaxPool")
def _max_pool_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    check_batch(attrs)
    return _nhwc(lambda x: pool_common.max_pool(attrs, x), attrs["data_format"].startswith("NC"))


@register_kernel("AvgPool")
def _avg_pool_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    check_batch(attrs)
    return _nhwc(lambda x: pool_common.avg_pool(attrs, x), attrs["data_format"].startswith("NC"))


def _pool_grad_node(op_type: str, inputs: list[Tensor], attrs: dict[str, Any],
                    out_shape: Any) -> Tensor:
    graph = inputs[-1]._op._graph
    full = graph._op_name(None, op_type)
    return make_op(graph, full, op_type, inputs, dict(attrs),
                   [(inputs[-1]._dtype, out_shape)])._outputs[0]


@RegisterGradient("MaxPool")
def _max_pool_grad(op: Operation, grad: Tensor) -> Tensor:
    x = op._inputs[0]
    return _pool_grad_node("MaxPoolGrad", [x, op._outputs[0], grad], op._attrs, x._shape)


@RegisterGradient("AvgPool")
def _avg_pool_grad(op: Operation, grad: Tensor) -> Tensor:
    x = op._inputs[0]
    return _pool_grad_node("AvgPoolGrad", [builders.shape(x), grad], op._attrs, x._shape)


@register_kernel("MaxPoolGrad")
def _max_pool_grad_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    check_batch(attrs)
    return _nhwc(lambda x, y, dy: pool_common.max_pool_grad(attrs, x, y, dy),
                 attrs["data_format"].startswith("NC"), 3)


@register_shape("AvgPoolGrad")
def _avg_pool_grad_shape(full: str, op_type: str, inputs: list[Tensor],
                         attrs: dict[str, Any]) -> Dims:
    """TF's: MakeShapeFromShapeTensor of orig_input_shape, of rank 4."""
    shape_t = inputs[0]
    if shape_t._shape is not None and shape_t._shape != (4,):
        rank = len(shape_t._shape) if len(shape_t._shape) != 1 else shape_t._shape[0]
        raise node_error(f"Shape must be rank 4 but is rank {rank}", full, op_type,
                         pool_common.attrs_text(attrs, op_type), inputs)
    value = constant_value(shape_t)
    if value is None:
        return (None,) * 4
    dims: list[int | None] = []
    for v in np.reshape(value, -1).tolist():
        if v < -1:
            raise ValueError(f"Invalid value in tensor used for shape: {v}")
        dims.append(None if v == -1 else int(v))
    return tuple(dims)


@register_kernel("AvgPoolGrad")
def _avg_pool_grad_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    check_batch(attrs)
    nchw = attrs["data_format"].startswith("NC")

    def grad_(shape: np.ndarray, dy: np.ndarray) -> np.ndarray:
        if shape.shape != (4,):
            raise ValueError("out_backprop must be 1-dimensional and 4 elements")
        dims = tuple(int(v) for v in shape)
        if any(d < 0 for d in dims):
            raise ValueError(f"Dimension {min(dims)} must be >= 0")
        if nchw:
            dims = (dims[0], dims[2], dims[3], dims[1])
            dy = np.transpose(dy, (0, 2, 3, 1))
        out = pool_common.avg_pool_grad(attrs, dims, dy)
        return np.ascontiguousarray(np.transpose(out, (0, 3, 1, 2)) if nchw else out)

    return grad_


def _grad_grad_attrs(op: Operation) -> dict[str, Any]:
    a = op._attrs
    return {"T": a["T"], "data_format": a["data_format"], "ksize": list(a["ksize"]),
            "padding": a["padding"], "strides": list(a["strides"])}


@RegisterGradient("MaxPoolGrad")
def _max_pool_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y, _ = op._inputs
    if op._attrs["padding"] == "EXPLICIT":  # MaxPoolGradGrad has no explicit paddings
        raise ValueError("Attr 'padding' of 'MaxPoolGradGrad' Op passed string 'EXPLICIT' not "
                         'in: "SAME", "VALID".')
    graph = grad._op._graph
    full = graph._op_name(None, "MaxPoolGradGrad")
    attrs = _grad_grad_attrs(op)
    out = grad_grad_shape(full, "MaxPoolGradGrad", [x, y, grad], attrs)
    gg = make_op(graph, full, "MaxPoolGradGrad", [x, y, grad], attrs, [(grad._dtype, out)])
    return [builders.zeros_like(x), builders.zeros_like(y), gg._outputs[0]]


register_shape("MaxPoolGradGrad")(grad_grad_shape)


@register_kernel("MaxPoolGradGrad")
def _max_pool_grad_grad_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    check_batch(attrs)
    return _nhwc(lambda x, y, g: pool_common.max_pool_grad_grad(attrs, x, y, g),
                 attrs["data_format"].startswith("NC"), 3)


@RegisterGradient("MaxPoolGradGrad")
def _max_pool_grad_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y, _ = op._inputs
    attrs = {**_grad_grad_attrs(op), "explicit_paddings": []}
    return [builders.zeros_like(x), builders.zeros_like(y),
            _pool_grad_node("MaxPoolGrad", [x, y, grad], attrs, x._shape)]


builders.register(globals(), __all__)
