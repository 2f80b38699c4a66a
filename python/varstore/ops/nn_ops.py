"""Neural-network ops: activations (relu, relu6, leaky_relu, elu, selu, softplus,
softsign), bias_add, softmax / log_softmax, l2_loss and in_top_k, with kernels and gradients
(the softmax cross-entropy ops are in nn_xent_ops.py). Convolution and pooling are in nn_conv_ops.py, the
composite functions (dropout, moments, batch_normalization ...) in nn_impl.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import _core
from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import convert_to_tensor, strict
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
from varstore.framework.tensor_util import get_static_value

__all__ = [
    "bias_add",
    "elu",
    "in_top_k",
    "l2_loss",
    "leaky_relu",
    "log_softmax",
    "relu",
    "relu6",
    "selu",
    "softmax",
    "softplus",
    "softsign",
]

DType = _dtypes.DType
_RELU_TYPES = ("float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, float16, "
               "uint32, uint64, qint8")
_FLOAT_TYPES = "float16, bfloat16, float32, float64"


def _out(op: Operation) -> Tensor:
    return op._outputs[0]


def _unary(op_type: str, features: Any, name: str | None, allowed: str, param: str,
           attrs: dict[str, Any] | None = None) -> Tensor:
    graph = check_same_graph(features)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        x = first_input(features, param)
    if x._dtype.name not in allowed.split(", "):
        check_allowed(x._dtype, allowed, param)
    a = {"T": x._dtype}
    if attrs:
        a.update(attrs)
    return _out(make_op(graph, full, op_type, [x], a, [(x._dtype, x._shape)]))


def relu(features: Any, name: str | None = None) -> Tensor:
    """``tf.nn.relu``: op ``Relu`` (after conv2d + bias it runs inside the conv kernel)."""
    return _unary("Relu", features, name, _RELU_TYPES, "features")


def relu6(features: Any, name: str | None = None) -> Tensor:
    return _unary("Relu6", features, name, _RELU_TYPES, "features")


def elu(features: Any, name: str | None = None) -> Tensor:
    return _unary("Elu", features, name, _FLOAT_TYPES, "features")


def selu(features: Any, name: str | None = None) -> Tensor:
    return _unary("Selu", features, name, _FLOAT_TYPES, "features")


def softplus(features: Any, name: str | None = None) -> Tensor:
    return _unary("Softplus", features, name, _FLOAT_TYPES, "features")


def softsign(features: Any, name: str | None = None) -> Tensor:
    return _unary("Softsign", features, name, _FLOAT_TYPES, "features")


def leaky_relu(features: Any, alpha: float = 0.2, name: str | None = None) -> Tensor:
    """``tf.nn.leaky_relu``: op ``LeakyRelu`` (alpha * x for x < 0)."""
    graph = check_same_graph(features)
    full = graph._op_name(name, "LeakyRelu")
    with scope_of(graph, full):
        x = convert_to_tensor(features, name="features")
        if x._dtype.is_integer:
            x = builders.cast(x, _dtypes.float32)
    return _out(make_op(graph, full, "LeakyRelu", [x], {"T": x._dtype, "alpha": float(alpha)},
                        [(x._dtype, x._shape)]))


# TF's kernels are max(x, 0) through Eigen, which keeps NaN: NumPy's maximum does too.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _relu_np(x: np.ndarray) -> np.ndarray:
    # (The sign of relu(-0.0) is not pinned: TF gives -0.0 on its scalar path and +0.0 in its
    # vector packets.)
    return np.maximum(x, x.dtype.type(0))  # type: ignore[no-any-return]


def _softplus_np(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(x, x.dtype.type(0)).astype(x.dtype, copy=False)  # type: ignore[no-any-return]


def _elu_np(x: np.ndarray) -> np.ndarray:
    # TF's Eigen kernel: x < 0 ? exp(x) - 1 : x (not expm1: elu(-1e-8) is 0 in float32), so
    # elu(-0.0) is -0.0 and NaN stays NaN
    one = x.dtype.type(1)
    return np.where(x < 0, np.exp(np.minimum(x, 0)) - one, x).astype(x.dtype, copy=False)


def _selu_np(x: np.ndarray) -> np.ndarray:
    # TF's kernel: x < 0 ? scale_alpha * (exp(x) - 1) : scale * x, in the input's dtype
    t = x.dtype.type
    neg = t(_SELU_SCALE * _SELU_ALPHA) * (np.exp(np.minimum(x, 0)) - t(1))
    out: np.ndarray = np.where(x < 0, neg, t(_SELU_SCALE) * x).astype(x.dtype, copy=False)
    return out


_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "Relu": _relu_np,
    "Relu6": lambda x: np.minimum(np.maximum(x, x.dtype.type(0)), x.dtype.type(6)),
    "Elu": _elu_np,
    "Selu": _selu_np,
    "Softplus": _softplus_np,
    "Softsign": lambda x: x / (1 + np.abs(x)),
}


def _factory(fn: Callable[..., Any]) -> Callable[[Operation], Callable[..., Any]]:
    return lambda op: fn


for _t, _fn in _ACTIVATIONS.items():
    register_kernel(_t)(_factory(_fn))


@register_kernel("LeakyRelu")
def _leaky_relu_kernel(op: Operation) -> Callable[[Any], Any]:
    alpha = op._attrs["alpha"]

    def leaky(x: np.ndarray) -> np.ndarray:
        return np.where(x > 0, x, x * x.dtype.type(alpha)).astype(x.dtype, copy=False)

    def leaky_max(x: np.ndarray) -> np.ndarray:
        # x > 0 ? x : alpha * x is max(x, alpha * x) for 0 < alpha <= 1: one product and
        # an in-place max, without where's mask and third array (NaN and -0.0 alike)
        out: np.ndarray = np.multiply(x, x.dtype.type(alpha))
        if not isinstance(out, np.ndarray):  # (a 0-d input gives a NumPy scalar)
            return np.asarray(np.maximum(x, out))
        np.maximum(x, out, out=out)
        return out

    floating = op._attrs["T"].is_floating
    return leaky_max if floating and 0.0 < alpha <= 1.0 else leaky


def _grad_node(op_type: str, inputs: list[Tensor], attrs: dict[str, Any] | None = None
               ) -> Tensor:
    graph = inputs[0]._op._graph
    full = graph._op_name(None, op_type)
    a = {"T": inputs[0]._dtype}
    if attrs:
        a.update(attrs)
    return _out(make_op(graph, full, op_type, inputs, a,
                        [(inputs[0]._dtype, inputs[0]._shape)]))


@RegisterGradient("Relu")
def _relu_grad(op: Operation, grad: Tensor) -> Tensor:
    return _grad_node("ReluGrad", [grad, op._outputs[0]])


@RegisterGradient("Relu6")
def _relu6_grad(op: Operation, grad: Tensor) -> Tensor:
    return _grad_node("Relu6Grad", [grad, op._outputs[0]])


@RegisterGradient("LeakyRelu")
def _leaky_relu_grad(op: Operation, grad: Tensor) -> Tensor:
    return _grad_node("LeakyReluGrad", [grad, op._inputs[0]], {"alpha": op._attrs["alpha"]})


@RegisterGradient("Elu")
def _elu_grad(op: Operation, grad: Tensor) -> Tensor:
    return _grad_node("EluGrad", [grad, op._outputs[0]])


@RegisterGradient("Selu")
def _selu_grad(op: Operation, grad: Tensor) -> Tensor:
    return _grad_node("SeluGrad", [grad, op._outputs[0]])


@RegisterGradient("Softplus")
def _softplus_grad(op: Operation, grad: Tensor) -> Tensor:
    # TF's _SoftplusGrad multiplies by the sigmoid rather than building SoftplusGrad
    return grad * builders.sigmoid(op._inputs[0])  # type: ignore[no-any-return]


@RegisterGradient("Softsign")
def _softsign_grad(op: Operation, grad: Tensor) -> Tensor:
    return _grad_node("SoftsignGrad", [grad, op._inputs[0]])


def _relu_grad_np(g: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.where(y > 0, g, g.dtype.type(0))


def _leaky_grad_factory(op: Operation) -> Callable[..., Any]:
    alpha = op._attrs["alpha"]
    return lambda g, x: np.where(x > 0, g, g * g.dtype.type(alpha))


_GRADS: dict[str, Callable[..., Any]] = {
    "ReluGrad": _relu_grad_np,
    "Relu6Grad": lambda g, y: np.where((y > 0) & (y < 6), g, g.dtype.type(0)),
    "EluGrad": lambda g, y: np.where(y > 0, g, g * (y + 1)),
    # TF's kernels: the alpha branch only where y < 0 (at 0 the gradient is scale)
    "SeluGrad": lambda g, y: np.where(y < 0, g * (y + _SELU_SCALE * _SELU_ALPHA),
                                      g * _SELU_SCALE).astype(g.dtype, copy=False),
    "SoftplusGrad": lambda g, x: (g / (1 + np.exp(-x))).astype(g.dtype, copy=False),
    "SoftsignGrad": lambda g, x: g / np.square(1 + np.abs(x)),
}
for _t, _fn in _GRADS.items():
    register_kernel(_t)(_factory(_fn))
register_kernel("LeakyReluGrad")(_leaky_grad_factory)


@RegisterGradient("ReluGrad")
def _relu_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    y = op._inputs[1]
    return [_grad_node("ReluGrad", [grad, y]), builders.zeros_like(y)]


@RegisterGradient("LeakyReluGrad")
def _leaky_relu_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    x = op._inputs[1]
    return [_grad_node("LeakyReluGrad", [grad, x], {"alpha": op._attrs["alpha"]}),
            builders.zeros_like(x)]


@RegisterGradient("EluGrad")
def _elu_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    elu_x = op._inputs[1]
    zero = builders.zeros_like(elu_x)
    return [_grad_node("EluGrad", [grad, elu_x]),
            builders.where(builders.less(elu_x, zero),
                           builders.multiply(grad, op._inputs[0]), zero)]


@RegisterGradient("SeluGrad")
def _selu_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    # TF's _SeluGradGrad: d(SeluGrad)/dy is the incoming gradient where y < 0
    selu_x = op._inputs[1]
    first = _grad_node("SeluGrad", [grad, selu_x])
    neg = selu_x < 0.0
    return [first, builders.where(neg, grad * op._inputs[0], builders.zeros_like(selu_x))]


@RegisterGradient("Relu6Grad")
def _relu6_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    x = op._inputs[1]
    return [_grad_node("Relu6Grad", [grad, x]), builders.zeros_like(x)]


@RegisterGradient("SoftplusGrad")
def _softplus_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    # TF's _SoftplusGradGrad: (SoftplusGrad(ddx, x), ddx * dy / (exp(-x) + 2 + exp(x)))
    dy, x = op._inputs
    with op._graph.control_dependencies([grad]):
        ddy = _grad_node("SoftplusGrad", [grad, x])
        d2x = grad * dy / (builders.exp(-x) + 2.0 + builders.exp(x))
    return [ddy, d2x]


# -- bias_add --------------------------------------------------------------------------------------
def bias_add(value: Any, bias: Any, data_format: str | None = None, name: str | None = None
             ) -> Tensor:
    """``tf.nn.bias_add``: op ``BiasAdd``; ``bias`` (rank 1) is added along the channel
    dimension (last for NHWC / None, 1 for NCHW)."""
    if data_format is None:
        fmt = "NHWC"
    elif data_format.startswith("NC"):
        fmt = "NCHW"
    elif data_format.startswith("N") and data_format.endswith("C"):
        fmt = "NHWC"
    else:
        raise ValueError("`data_format` must be of the form `N...C` or `NC...`. Received: "
                         f"data_format={data_format}")
    graph = check_same_graph(value, bias)
    full = graph._op_name(name, "BiasAdd")
    with scope_of(graph, full):
        x = first_input(value, "input")
        if isinstance(bias, Tensor) or hasattr(type(bias), "_as_tensor"):
            b = convert_to_tensor(bias)
            if b._dtype != x._dtype:
                raise ValueError(f"bias: Tensor conversion requested dtype {x._dtype.name} for "
                                 f"Tensor with dtype {b._dtype.name}: {b!r}")
        else:
            b = convert_to_tensor(strict(bias, x._dtype), name="bias")
    attrs = {"T": x._dtype, "data_format": fmt}
    text = f'T={dt_enum(x._dtype)}, data_format="{fmt}"'
    xs, bs = x._shape, b._shape
    min_rank = 3 if fmt == "NCHW" else 2
    if xs is not None and len(xs) < min_rank:
        raise node_error(f"Shape must be at least rank {min_rank} but is rank {len(xs)}", full,
                         "BiasAdd", text, [x, b])
    if bs is not None and len(bs) != 1:
        raise node_error(f"Shape must be rank 1 but is rank {len(bs)}", full, "BiasAdd", text,
                         [x, b])
    out = xs
    if xs is not None and bs is not None:
        axis = 1 if fmt == "NCHW" else len(xs) - 1
        c = xs[axis]
        if c is not None and bs[0] is not None and c != bs[0]:
            raise node_error(f"Dimensions must be equal, but are {c} and {bs[0]}", full,
                             "BiasAdd", text, [x, b])
        if c is None and bs[0] is not None:
            out = (*xs[:axis], bs[0], *xs[axis + 1:])
    return _out(make_op(graph, full, "BiasAdd", [x, b], attrs, [(x._dtype, out)]))


@register_kernel("BiasAdd")
def _bias_add_kernel(op: Operation) -> Callable[..., Any]:
    if op._attrs["data_format"] == "NCHW":
        def nchw(x: np.ndarray, b: np.ndarray) -> np.ndarray:
            return x + b.reshape((-1,) + (1,) * (x.ndim - 2))  # type: ignore[no-any-return]
        return nchw
    return np.add


@RegisterGradient("BiasAdd")
def _bias_add_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    graph = grad._op._graph
    full = graph._op_name(None, "BiasAddGrad")
    b = op._inputs[1]
    g_b = _out(make_op(graph, full, "BiasAddGrad", [grad],
                       {"T": grad._dtype, "data_format": op._attrs["data_format"]},
                       [(grad._dtype, b._shape)]))
    return [grad, g_b]


_kernels = getattr(_core, "kernels", None)


@register_kernel("BiasAddGrad")
def _bias_add_grad_kernel(op: Operation) -> Callable[..., Any]:
    nchw = op._attrs["data_format"] == "NCHW"
    simd = getattr(_kernels, "bias_add_grad", None)

    def bias_grad(g: np.ndarray) -> np.ndarray:
        if simd is not None and not nchw and g.dtype == np.float32 and g.ndim >= 1:
            # Pairwise float32 partial sums, multi-threaded (TF sums in float too).
            return simd(np.ascontiguousarray(g))  # type: ignore[no-any-return]
        axes = tuple(i for i in range(g.ndim) if i != (1 if nchw else g.ndim - 1))
        return np.asarray(np.sum(g, axis=axes, dtype=g.dtype))

    return bias_grad


@RegisterGradient("BiasAddGrad")
def _bias_add_grad_grad(op: Operation, grad: Tensor) -> Tensor:
    x = op._inputs[0]
    dims = x._shape
    if dims is None or None in dims:
        raise LookupError("varstore's BiasAddGrad gradient needs a static shape")
    fmt = op._attrs["data_format"]
    axis = 1 if fmt == "NCHW" else len(dims) - 1
    shape = [1] * len(dims)
    shape[axis] = int(dims[axis])  # type: ignore[arg-type]
    return builders.broadcast_to(builders.reshape(grad, shape), list(dims))  # type: ignore[no-any-return]


# -- softmax ---------------------------------------------------------------------------------------
def _swap_axis(x: Tensor, dim_index: Any, last_index: Tensor, name: str | None = None
               ) -> Tensor:
    # TF's permutation is built in the graph (Range / Pack / ConcatV2), so an axis tensor works
    # and the nodes are TF's.
    perm = builders.concat([builders.range(dim_index), [last_index],
                            builders.range(dim_index + 1, last_index), [dim_index]], 0)
    return builders.transpose(x, perm, name=name)  # type: ignore[no-any-return]


def _softmax(op_type: str, logits: Any, axis: Any, name: str | None, dim: Any) -> Tensor:
    """TF's _wrap_2d_function: the op over the last axis; another axis (a Python int or a
    tensor) is swapped to the end and back, the permutations computed in the graph."""
    if axis is None:
        axis = -1 if dim is None else dim
    x = convert_to_tensor(logits)
    ndims = None if x._shape is None else len(x._shape)
    # As TF: `ndims - 1` with an unknown rank is Python's TypeError.
    if axis == -1 or (not isinstance(axis, Tensor) and axis == ndims - 1):  # type: ignore[operator]
        return _unary(op_type, x, name, _FLOAT_TYPES, "logits")
    if ndims is None:
        raise TypeError("unsupported operand type(s) for -: 'NoneType' and 'int'")
    dim_val = axis
    if isinstance(axis, Tensor):
        dim_val = get_static_value(axis)
    if dim_val is not None and not -ndims <= dim_val < ndims:
        raise InvalidArgumentError(
            None, None, f"`dim` must be in the range [{-ndims}, {ndims}) where {ndims} is the "
            f"number of dimensions in the input. Received: dim={dim_val}")
    rank = builders.rank(x)
    if not isinstance(axis, Tensor):
        if axis < 0:
            axis = axis + rank
    else:
        axis = builders.where(builders.less(axis, 0), axis + rank, axis)
    input_rank = builders.rank(x)
    dim_axis = axis % ndims
    y = _unary(op_type, _swap_axis(x, dim_axis, builders.subtract(input_rank, 1)), None,
               _FLOAT_TYPES, "logits")
    out = _swap_axis(y, dim_axis, builders.subtract(input_rank, 1), name=name)
    out.set_shape(x._shape)  # the transposes by a computed permutation lose the static shape
    return out


def softmax(logits: Any, axis: Any = None, name: str | None = None, dim: Any = None) -> Tensor:
    """``tf.nn.softmax``: op ``Softmax`` over the last axis (or ``axis``)."""
    return _softmax("Softmax", logits, axis, name, dim)


def log_softmax(logits: Any, axis: Any = None, name: str | None = None, dim: Any = None
                ) -> Tensor:
    """``tf.nn.log_softmax``: op ``LogSoftmax``."""
    return _softmax("LogSoftmax", logits, axis, name, dim)


def _softmax_np(x: np.ndarray) -> np.ndarray:
    if x.size == 0:
        return np.empty_like(x)  # TF: zero classes (or rows) give an empty result
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)  # type: ignore[no-any-return]


def _log_softmax_np(x: np.ndarray) -> np.ndarray:
    if x.size == 0:
        return np.empty_like(x)  # as _softmax_np
    shifted = x - np.max(x, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))  # type: ignore[no-any-return]


register_kernel("Softmax")(_factory(_softmax_np))
register_kernel("LogSoftmax")(_factory(_log_softmax_np))


@RegisterGradient("Softmax")
def _softmax_grad(op: Operation, grad: Tensor) -> Tensor:
    y = op._outputs[0]
    # TF's operators: ops named mul / sub, as TF's _SoftmaxGrad
    s = builders.reduce_sum(grad * y, -1, keepdims=True)
    return (grad - s) * y  # type: ignore[no-any-return]


@RegisterGradient("LogSoftmax")
def _log_softmax_grad(op: Operation, grad: Tensor) -> Tensor:
    softmax_ = builders.exp(op._outputs[0])
    return grad - builders.reduce_sum(grad, -1, keepdims=True) * softmax_  # type: ignore[no-any-return]


# -- l2_loss ---------------------------------------------------------------------------------------
def l2_loss(t: Any, name: str | None = None) -> Tensor:
    """``tf.nn.l2_loss``: op ``L2Loss``, sum(t ** 2) / 2."""
    graph = check_same_graph(t)
    full = graph._op_name(name, "L2Loss")
    with scope_of(graph, full):
        x = first_input(t, "t")
    if x._dtype.name not in _FLOAT_TYPES.split(", "):
        check_allowed(x._dtype, _FLOAT_TYPES, "t")
    return _out(make_op(graph, full, "L2Loss", [x], {"T": x._dtype}, [(x._dtype, ())]))


@register_kernel("L2Loss")
def _l2_loss_kernel(op: Operation) -> Callable[..., Any]:
    def l2(x: np.ndarray) -> np.ndarray:
        flat = x.reshape(-1)
        return np.asarray(np.dot(flat, flat) / x.dtype.type(2), dtype=x.dtype)

    return l2


@RegisterGradient("L2Loss")
def _l2_loss_grad(op: Operation, grad: Tensor) -> Tensor:
    return op._inputs[0] * grad  # TF's `x * grad`: an op named "mul"


def in_top_k(predictions: Any, targets: Any, k: Any, name: str | None = None) -> Tensor:
    """``tf.nn.in_top_k``: op ``in_top_k/InTopKV2`` with ``k`` an input of the targets'
    dtype (TF's name_scope, then gen_nn_ops.in_top_kv2)."""
    graph = check_same_graph(predictions, targets, k)
    with graph.name_scope(name or "in_top_k"):
        full = graph._op_name(None, "InTopKV2")
        with scope_of(graph, full):
            p = convert_to_tensor(predictions, name="predictions")
            t = convert_to_tensor(targets, name="targets")
            kt = k if isinstance(k, Tensor) else convert_to_tensor(k, dtype=t._dtype, name="k")
    batch = p._shape[0] if p._shape is not None else None
    if batch is None and t._shape:
        batch = t._shape[0]  # TF's shape function merges the targets' dim
    return _out(make_op(graph, full, "InTopKV2", [p, t, kt], {"T": t._dtype},
                        [(_dtypes.bool, (batch,))]))


@register_kernel("InTopKV2")
def _in_top_k_kernel(op: Operation) -> Callable[..., Any]:
    def in_top(p: np.ndarray, t: np.ndarray, k: np.ndarray) -> np.ndarray:
        # TF says False for a target out of [0, classes) ("cannot say"), as for a non-finite
        # target prediction
        valid = (t >= 0) & (t < p.shape[1])
        target = p[np.arange(len(t)), np.where(valid, t, 0)] if p.shape[1] else \
            np.zeros(len(t), p.dtype)
        better = (p > target[:, None]).sum(axis=1)
        return (better < int(k)) & np.isfinite(target) & valid  # type: ignore[no-any-return]

    return in_top


NotDifferentiable("InTopKV2")


builders.register(globals(), __all__)
