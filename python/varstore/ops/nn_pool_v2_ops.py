"""MaxPoolV2, MaxPoolGradV2 and MaxPoolGradGradV2 (``tf.raw_ops`` / gen_nn_ops only): max
pooling with ksize and strides as int32 inputs instead of attrs, so the window can be fed.
Their shape functions (unknown until both are constant), kernels (the MaxPool ones, with the
window read at run time) and gradients, as TF's nn_grad chains them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.framework.constant_op import constant_value
from varstore.framework.importer import register_shape
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    node_error,
    register_kernel,
)
from varstore.ops import nn_pool_common as pool_common
from varstore.ops.nn_pool_common import Dims

__all__: list[str] = []


def _window(full: str, op_type: str, inputs: list[Tensor], attrs: dict[str, Any]
            ) -> dict[str, Any] | None:
    """TF's MaxPoolV2Shape up to the window: ``attrs`` with ksize and strides once both
    inputs are constant, else None (the output shape is then unknown)."""
    text = pool_common.attrs_text(attrs, op_type)

    def fail(message: str) -> ValueError:
        return node_error(message, full, op_type, text, inputs)

    x = inputs[0]
    if x._shape is not None and len(x._shape) != 4:
        raise fail(f"Shape must be rank 4 but is rank {len(x._shape)}")
    values = []
    for t in inputs[-2:]:
        if t._shape is not None:
            if len(t._shape) != 1:
                raise fail(f"Shape must be rank 1 but is rank {len(t._shape)}")
            if t._shape[0] is not None and t._shape[0] != 4:
                raise fail(f"Dimension must be 4 but is {t._shape[0]}")
        values.append(constant_value(t))
    k, s = values
    if k is None or s is None:
        return None
    ksize, strides = ([int(v) for v in np.reshape(a, -1)] for a in (k, s))
    n = len(inputs)
    # the shape function has read both window tensors: its later errors show them
    computed = (f" and with computed input tensors: input[{n - 2}] = <{_text(ksize)}>, "
                f"input[{n - 1}] = <{_text(strides)}>")
    return {**attrs, "ksize": ksize, "strides": strides, "explicit_paddings": [],
            "_computed": computed}


def _text(values: list[int]) -> str:
    return " ".join(str(v) for v in values)


def _shape_of_window(full: str, op_type: str, inputs: list[Tensor], window: dict[str, Any]
                     ) -> Dims:
    attrs = {k: v for k, v in window.items() if k != "_computed"}
    return pool_common.pool_shape(full, op_type, inputs, attrs, window["_computed"])


@register_shape("MaxPoolV2")
def _max_pool_v2_shape(full: str, op_type: str, inputs: list[Tensor], attrs: dict[str, Any]
                       ) -> Dims:
    window = _window(full, op_type, inputs, attrs)
    if window is None:
        return None
    return _shape_of_window(full, op_type, inputs, window)


@register_shape("MaxPoolGradV2")
def _max_pool_grad_v2_shape(full: str, op_type: str, inputs: list[Tensor],
                            attrs: dict[str, Any]) -> Dims:
    s = inputs[0]._shape
    if s is not None and len(s) != 4:
        raise node_error(f"Shape must be rank 4 but is rank {len(s)}", full, op_type,
                         pool_common.attrs_text(attrs, op_type), inputs)
    return s if s is not None else (None,) * 4


@register_shape("MaxPoolGradGradV2")
def _max_pool_grad_grad_v2_shape(full: str, op_type: str, inputs: list[Tensor],
                                 attrs: dict[str, Any]) -> Dims:
    window = _window(full, op_type, inputs, attrs)
    out = None if window is None else _shape_of_window(full, op_type, inputs, window)
    text = pool_common.attrs_text(attrs, op_type)
    computed = "" if window is None else window["_computed"]

    def fail(message: str) -> ValueError:
        return node_error(message, full, op_type, text, inputs, computed)

    pool_common.merge_or_fail(inputs[0]._shape, inputs[2]._shape, fail)
    pool_common.merge_or_fail(inputs[1]._shape, out, fail)
    return out


def _run_attrs(attrs: dict[str, Any], ksize: np.ndarray, strides: np.ndarray
               ) -> dict[str, Any]:
    a = {**attrs, "ksize": [int(v) for v in np.reshape(ksize, -1)],
         "strides": [int(v) for v in np.reshape(strides, -1)], "explicit_paddings": []}
    pool_common.check_batch(a)
    return a


def _nhwc(fn: Callable[..., np.ndarray], nchw: bool, *arrays: np.ndarray) -> np.ndarray:
    if not nchw:
        return np.ascontiguousarray(fn(*arrays))
    out = fn(*(np.transpose(a, (0, 2, 3, 1)) for a in arrays))
    return np.ascontiguousarray(np.transpose(out, (0, 3, 1, 2)))


@register_kernel("MaxPoolV2")
def _max_pool_v2_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    nchw = attrs["data_format"].startswith("NC")

    def run(x: np.ndarray, ksize: np.ndarray, strides: np.ndarray) -> np.ndarray:
        a = _run_attrs(attrs, ksize, strides)
        if x.ndim != 4:
            raise ValueError("tensor_in must be 4-dimensional")
        return _nhwc(lambda v: pool_common.max_pool(a, v), nchw, x)

    return run


@register_kernel("MaxPoolGradV2")
def _max_pool_grad_v2_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    nchw = attrs["data_format"].startswith("NC")

    def run(x: np.ndarray, y: np.ndarray, dy: np.ndarray, ksize: np.ndarray,
            strides: np.ndarray) -> np.ndarray:
        a = _run_attrs(attrs, ksize, strides)
        return _nhwc(lambda *v: pool_common.max_pool_grad(a, *v), nchw, x, y, dy)

    return run


@register_kernel("MaxPoolGradGradV2")
def _max_pool_grad_grad_v2_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    nchw = attrs["data_format"].startswith("NC")

    def run(x: np.ndarray, y: np.ndarray, g: np.ndarray, ksize: np.ndarray,
            strides: np.ndarray) -> np.ndarray:
        a = _run_attrs(attrs, ksize, strides)
        return _nhwc(lambda *v: pool_common.max_pool_grad_grad(a, *v), nchw, x, y, g)

    return run


def _node(op_type: str, inputs: list[Tensor], attrs: dict[str, Any]) -> Tensor:
    graph = inputs[2]._op._graph
    full = graph._op_name(None, op_type)
    a = {"T": attrs["T"], "data_format": attrs["data_format"], "padding": attrs["padding"]}
    shape_fn = (_max_pool_grad_v2_shape if op_type == "MaxPoolGradV2"
                else _max_pool_grad_grad_v2_shape)
    out = shape_fn(full, op_type, inputs, a)
    return make_op(graph, full, op_type, inputs, a, [(inputs[2]._dtype, out)])._outputs[0]


@RegisterGradient("MaxPoolV2")
def _max_pool_v2_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, ksize, strides = op._inputs
    return [_node("MaxPoolGradV2", [x, op._outputs[0], grad, ksize, strides], op._attrs),
            None, None]


@RegisterGradient("MaxPoolGradV2")
def _max_pool_grad_v2_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y, _, ksize, strides = op._inputs
    return [builders.zeros_like(x), builders.zeros_like(y),
            _node("MaxPoolGradGradV2", [x, y, grad, ksize, strides], op._attrs), None, None]


@RegisterGradient("MaxPoolGradGradV2")
def _max_pool_grad_grad_v2_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y, _, ksize, strides = op._inputs
    return [builders.zeros_like(x), builders.zeros_like(y),
            _node("MaxPoolGradV2", [x, y, grad, ksize, strides], op._attrs), None, None]
