"""Batch normalisation as one op: FusedBatchNormV3 and its gradient FusedBatchNormGradV3
(TF's gen_nn_ops), with shape inference and kernels. ``tf.nn.fused_batch_norm`` (nn_impl.py)
and the fused path of ``tf.layers.BatchNormalization`` build it.

Training normalises with the batch's biased variance and returns the batch mean and the
n/(n-1)-corrected variance (blended with the given mean/variance when
``exponential_avg_factor`` != 1); reserve_space_1/2 keep the batch mean and biased variance
for the gradient, as TF's CPU kernel does. Inference normalises with the given statistics.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.op_def_library import check_same_graph, first_input
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    register_kernel,
    scope_of,
)

__all__ = ["fused_batch_norm_v3"]


def _channel(shape: tuple[int | None, ...] | None, data_format: str) -> int | None:
    if shape is None:
        return None
    return shape[1] if data_format == "NCHW" else shape[3]


def fused_batch_norm_v3(x: Any, scale: Any, offset: Any, mean: Any, variance: Any,
                        epsilon: float = 0.0001, exponential_avg_factor: float = 1.0,
                        data_format: str = "NHWC", is_training: bool = True,
                        name: str | None = None) -> list[Tensor]:
    """Op ``FusedBatchNormV3``: [y, batch_mean, batch_variance, reserve_space_1,
    reserve_space_2, reserve_space_3]."""
    graph = check_same_graph(x, scale, offset, mean, variance)
    full = graph._op_name(name, "FusedBatchNormV3")
    with scope_of(graph, full):
        t = first_input(x, "x")
        params = [convert_to_tensor(v) for v in (scale, offset, mean, variance)]
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"varstore's FusedBatchNormV3 supports data_format NHWC or NCHW, "
                         f"got {data_format!r}")
    shape = t._shape
    if shape is not None and len(shape) != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {len(shape)} for "
                         f"'{{{{node {full}}}}} = FusedBatchNormV3'")
    c = _channel(shape, data_format)
    attrs = {"T": t._dtype, "U": params[0]._dtype, "data_format": data_format,
             "epsilon": float(epsilon), "exponential_avg_factor": float(exponential_avg_factor),
             "is_training": bool(is_training)}
    u = params[0]._dtype
    outs = [(t._dtype, shape)] + [(u, (c,))] * 4 + [(u, (None,))]
    return list(make_op(graph, full, "FusedBatchNormV3", [t, *params], attrs, outs)._outputs)


def _layout(x: np.ndarray, data_format: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(reduction axes, per-channel broadcast shape) of a 4-D input."""
    if data_format == "NCHW":
        return (0, 2, 3), (1, -1, 1, 1)
    return (0, 1, 2), (1, 1, 1, -1)


@register_kernel("FusedBatchNormV3")
def _fused_bn_kernel(op: Operation) -> Callable[..., Any]:
    eps = op._attrs["epsilon"]
    factor = op._attrs["exponential_avg_factor"]
    fmt = op._attrs["data_format"]
    training = op._attrs["is_training"]

    def fused_bn(x: np.ndarray, scale: np.ndarray, offset: np.ndarray, mean: np.ndarray,
                 var: np.ndarray) -> tuple[np.ndarray, ...]:
        axes, bshape = _layout(x, fmt)
        xf = x.astype(np.float32) if x.dtype == np.float16 else x
        if training:
            m = xf.mean(axis=axes)
            v = np.square(xf - m.reshape(bshape)).mean(axis=axes)
            n = int(np.prod([x.shape[a] for a in axes]))
            corrected = v * (n / (n - 1.0)) if n > 1 else np.zeros_like(v)
            out_m, out_v = m, corrected
            if factor != 1.0:
                out_m = (1.0 - factor) * mean + factor * m
                out_v = (1.0 - factor) * var + factor * corrected
        else:
            m, v, out_m, out_v = mean, var, mean, var
        inv = (scale / np.sqrt(v + eps)).reshape(bshape)
        y = (xf - m.reshape(bshape)) * inv + offset.reshape(bshape)
        u = scale.dtype
        return (y.astype(x.dtype), np.asarray(out_m, u), np.asarray(out_v, u),
                np.asarray(m, u), np.asarray(v, u), np.zeros((0,), u))

    return fused_bn


@RegisterGradient("FusedBatchNormV3")
def _fused_bn_grad(op: Operation, *grads: Any) -> list[Any]:
    x, scale = op._inputs[0], op._inputs[1]
    dy = grads[0] if grads[0] is not None else builders.zeros_like(op._outputs[0])
    if op._attrs["is_training"]:
        pop_mean, pop_var = op._outputs[3], op._outputs[4]
    else:
        pop_mean, pop_var = op._inputs[3], op._inputs[4]
    graph = x._op._graph
    full = graph._op_name(None, "FusedBatchNormGradV3")
    attrs = {k: op._attrs[k] for k in ("T", "U", "data_format", "epsilon", "is_training")}
    u = scale._dtype
    c = _channel(x._shape, op._attrs["data_format"])
    node = make_op(graph, full, "FusedBatchNormGradV3",
                   [dy, x, scale, pop_mean, pop_var, op._outputs[5]], attrs,
                   [(x._dtype, x._shape), (u, (c,)), (u, (c,)), (u, (0,)), (u, (0,))])
    dx, dscale, doffset = node._outputs[:3]
    return [dx, dscale, doffset, None, None]


@register_kernel("FusedBatchNormGradV3")
def _fused_bn_grad_kernel(op: Operation) -> Callable[..., Any]:
    eps = op._attrs["epsilon"]
    fmt = op._attrs["data_format"]
    training = op._attrs["is_training"]

    def fused_bn_grad(dy: np.ndarray, x: np.ndarray, scale: np.ndarray, mean: np.ndarray,
                      var: np.ndarray, _reserve: np.ndarray) -> tuple[np.ndarray, ...]:
        axes, bshape = _layout(x, fmt)
        dyf = dy.astype(np.float32) if dy.dtype == np.float16 else dy
        xf = x.astype(np.float32) if x.dtype == np.float16 else x
        rstd = (1.0 / np.sqrt(var + eps)).reshape(bshape)
        xhat = (xf - mean.reshape(bshape)) * rstd
        dscale = (dyf * xhat).sum(axis=axes)
        doffset = dyf.sum(axis=axes)
        if training:
            n = int(np.prod([x.shape[a] for a in axes]))
            dx = scale.reshape(bshape) * rstd * (
                dyf - (doffset / n).reshape(bshape) - xhat * (dscale / n).reshape(bshape))
        else:
            dx = dyf * scale.reshape(bshape) * rstd
        u = scale.dtype
        empty = np.zeros((0,), u)
        return (dx.astype(x.dtype), np.asarray(dscale, u), np.asarray(doffset, u), empty,
                empty)

    return fused_bn_grad


# Second derivatives of batch normalisation are not built (TF has them).
NotDifferentiable("FusedBatchNormGradV3")

builders.register(globals(), __all__)
