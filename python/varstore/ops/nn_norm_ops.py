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

from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.op_def_library import check_same_graph, first_input
from varstore.framework.ops import (
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
from varstore.framework.tensor_shape import shape_str

__all__ = ["fused_batch_norm_v3"]


_FORMATS = ("NHWC", "NCHW", "NDHWC", "NCDHW")


def _channel(shape: tuple[int | None, ...] | None, data_format: str) -> int | None:
    if shape is None:
        return None
    return shape[1] if data_format.startswith("NC") else shape[-1]


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
    if data_format not in _FORMATS:
        raise ValueError(f"varstore's FusedBatchNormV3 supports data_format NHWC, NCHW, NDHWC "
                         f"or NCDHW, got {data_format!r}")
    attrs = {"T": t._dtype, "U": params[0]._dtype, "data_format": data_format,
             "epsilon": float(epsilon), "exponential_avg_factor": float(exponential_avg_factor),
             "is_training": bool(is_training)}
    shape, c = _fused_bn_shape(full, t, params, attrs)
    u = params[0]._dtype
    outs = [(t._dtype, shape)] + [(u, (c,))] * 4 + [(u, None)]
    return list(make_op(graph, full, "FusedBatchNormV3", [t, *params], attrs, outs)._outputs)


def _fused_bn_shape(full: str, t: Tensor, params: list[Tensor], attrs: dict[str, Any]
                    ) -> tuple[tuple[int | None, ...], int | None]:
    """TF's FusedBatchNormV3Shape: x of rank 4 (5 for NDHWC / NCDHW); scale and offset (and
    mean, variance unless training without averaging) vectors merged with x's channels."""
    fmt = attrs["data_format"]
    rank = 5 if "D" in fmt else 4
    text = (f"T={dt_enum(attrs['T'])}, U={dt_enum(attrs['U'])}, data_format=\"{fmt}\", "
            f"epsilon={attrs['epsilon']:g}, "
            f"exponential_avg_factor={attrs['exponential_avg_factor']:g}, "
            f"is_training={'true' if attrs['is_training'] else 'false'}")
    inputs = [t, *params]
    shape = t._shape if t._shape is not None else (None,) * rank
    if len(shape) != rank:
        raise node_error(f"Shape must be rank {rank} but is rank {len(shape)}", full,
                         "FusedBatchNormV3", text, inputs)
    axis = 1 if fmt.startswith("NC") else rank - 1
    c = shape[axis]
    n = 3 if attrs["is_training"] and attrs["exponential_avg_factor"] == 1.0 else 5
    for p in params[:n - 1]:
        if p._shape is None:
            continue
        if len(p._shape) != 1:
            raise node_error(f"Shape must be rank 1 but is rank {len(p._shape)}", full,
                             "FusedBatchNormV3", text, inputs)
        d = p._shape[0]
        if c is not None and d is not None and c != d:
            raise node_error(f"Dimensions must be equal, but are {c} and {d}", full,
                             "FusedBatchNormV3", text, inputs)
        c = d if c is None else c
    return (*shape[:axis], c, *shape[axis + 1:]), c


def _check_bn_inputs(x: np.ndarray, fmt: str, params: tuple[np.ndarray, ...], training: bool,
                     factor: float) -> None:
    """TF's FusedBatchNormOp checks at run time."""
    rank = 5 if "D" in fmt else 4
    if x.ndim != rank:
        raise InvalidArgumentError(None, None, f"input must be {rank}-dimensional"
                                   f"{shape_str(x.shape)}")
    c = x.shape[1] if fmt.startswith("NC") else x.shape[-1]
    names = ["scale", "offset", "mean", "variance"]
    for name, p in zip(names, params):
        if p.ndim != 1:
            what = {"mean": "estimated_mean", "variance": "estimated_variance"}.get(name, name)
            raise InvalidArgumentError(None, None, f"{what} must be 1-dimensional"
                                       f"{shape_str(p.shape)}")
    for name, p in zip(names[:2], params[:2]):
        if p.size != c:
            raise InvalidArgumentError(None, None, f"{name} must have the same number of "
                                       f"elements as the channels of x, got {p.size} and {c}")
    if not training or factor != 1.0:
        prefix = "When exponential_avg_factor != 1" if training else "When is_training=false"
        for name, p in zip(names[2:], params[2:]):
            if p.size != c:
                raise InvalidArgumentError(None, None, f"{prefix}, {name} must have the same "
                                           f"number of elements as the channels of x, got "
                                           f"{p.size} and {c}")


def _layout(x: np.ndarray, data_format: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(reduction axes, per-channel broadcast shape) of a 4-D or 5-D input."""
    if data_format.startswith("NC"):
        return (0, *range(2, x.ndim)), (1, -1) + (1,) * (x.ndim - 2)
    return tuple(range(x.ndim - 1)), (1,) * (x.ndim - 1) + (-1,)


@register_kernel("FusedBatchNormV3")
def _fused_bn_kernel(op: Operation) -> Callable[..., Any]:
    eps = op._attrs["epsilon"]
    factor = op._attrs["exponential_avg_factor"]
    fmt = op._attrs["data_format"]
    training = op._attrs["is_training"]

    def fused_bn(x: np.ndarray, scale: np.ndarray, offset: np.ndarray, mean: np.ndarray,
                 var: np.ndarray) -> tuple[np.ndarray, ...]:
        _check_bn_inputs(x, fmt, (scale, offset, mean, var), training, factor)
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


# FusedBatchNormGradV3's own gradient (second derivatives) is in nn_norm_grad_ops.py.

builders.register(globals(), __all__)
