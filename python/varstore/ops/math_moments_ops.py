"""Reductions built on math_reduce_ops: reduce_variance and reduce_std (TF's composites of
Mean, Sub and Square), reduce_euclidean_norm (op EuclideanNorm), cumulative_logsumexp (op
CumulativeLogsumexp) and accumulate_n, with kernels and TF's gradients."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.ops.math_ops import multiply, realdiv, subtract
from varstore.ops.math_reduce_ops import _REDUCE_TYPES, _axes_of, _kept_shape, _reduce, reduce_mean
from varstore.ops.math_sequence_ops import add_n
from varstore.ops.math_unary_ops import exp, log, negative, sqrt, square

__all__ = [
    "accumulate_n",
    "cumulative_logsumexp",
    "reduce_euclidean_norm",
    "reduce_std",
    "reduce_variance",
]

_int32 = _dtypes.int32


def reduce_variance(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                    name: str | None = None) -> Tensor:
    """``tf.math.reduce_variance``: mean(square(x - mean(x))) under ``reduce_variance``."""
    graph = check_same_graph(input_tensor)
    full = graph._op_name(name, "reduce_variance")
    with scope_of(graph, full):
        x = convert_to_tensor(input_tensor, name="input_tensor")
        if x._dtype.is_integer or x._dtype is _dtypes.bool:
            raise TypeError(f"Input must be either real or complex. Received integer type "
                            f"{x._dtype!r}.")
        means = reduce_mean(x, axis=axis, keepdims=True)
        squared = square(subtract(x, means))
        return reduce_mean(squared, axis=axis, keepdims=keepdims)


def reduce_std(input_tensor: Any, axis: Any = None, keepdims: bool = False,
               name: str | None = None) -> Tensor:
    """``tf.math.reduce_std``: sqrt(reduce_variance(x)) under ``reduce_std``."""
    graph = check_same_graph(input_tensor)
    full = graph._op_name(name, "reduce_std")
    with scope_of(graph, full):
        x = convert_to_tensor(input_tensor, name="input_tensor")
        if x._dtype.is_integer or x._dtype is _dtypes.bool:
            raise TypeError(f"Input must be either real or complex. Received integer type "
                            f"{x._dtype!r}.")
        return sqrt(reduce_variance(x, axis=axis, keepdims=keepdims))


def reduce_euclidean_norm(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                          name: str | None = None) -> Tensor:
    """``tf.math.reduce_euclidean_norm``: op ``EuclideanNorm``, sqrt(sum(x**2)) (integers
    keep their type, the root truncated)."""
    return _reduce("EuclideanNorm", input_tensor, axis, keepdims, name, None, None,
                   _REDUCE_TYPES)


@register_kernel("EuclideanNorm")
def _euclidean_norm_kernel(op: Operation) -> Callable[..., Any]:
    keep = op._attrs["keep_dims"]
    dt = op._attrs["T"]._np

    def norm(x: np.ndarray, a: np.ndarray) -> np.ndarray:
        axes = _axes_of(x, a)
        s = np.sum(np.abs(x).astype(np.float64) ** 2 if x.dtype.kind in "iu" else
                   np.abs(x) ** 2, axis=axes, keepdims=keep)
        return np.asarray(np.sqrt(s)).astype(dt)
    return norm


@RegisterGradient("EuclideanNorm")
def _euclidean_norm_grad(op: Operation, grad: Tensor) -> list[Any]:
    # math_grad._EuclideanNormGrad: x / norm, the norm and the gradient reshaped to keep dims
    x = op._inputs[0]
    output = op._outputs[0]
    if not op._attrs["keep_dims"]:
        kept = _kept_shape(op)
        grad = builders.reshape(grad, kept)
        output = builders.reshape(output, kept)
    return [multiply(realdiv(x, output), grad), None]


# -- cumulative_logsumexp -------------------------------------------------------------------------
def cumulative_logsumexp(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
                         name: str | None = None) -> Tensor:
    """``tf.math.cumulative_logsumexp``: op ``CumulativeLogsumexp``."""
    graph = check_same_graph(x, axis)
    full = graph._op_name(name, "CumulativeLogsumexp")
    with scope_of(graph, full):
        t = first_input(x, "x")
        a = convert_to_tensor(axis, dtype_hint=_int32, name="axis")
    check_allowed(t._dtype, "float16, float32, float64", "x")
    return make_op(graph, full, "CumulativeLogsumexp", [t, a],
                   {"T": t._dtype, "Tidx": a._dtype, "exclusive": exclusive,
                    "reverse": reverse}, [(t._dtype, t._shape)])._outputs[0]


@register_kernel("CumulativeLogsumexp")
def _cumlogsumexp_kernel(op: Operation) -> Callable[..., Any]:
    excl = op._attrs["exclusive"]
    rev = op._attrs["reverse"]

    def kernel(x: np.ndarray, a: Any) -> np.ndarray:
        ax = int(a) % max(x.ndim, 1)
        v = np.flip(x, ax) if rev else x
        with np.errstate(all="ignore"):
            out = np.logaddexp.accumulate(v, axis=ax)
        if excl:
            lead = np.full_like(np.take(out, [0], axis=ax), -np.inf)
            out = np.concatenate([lead, np.take(out, np.arange(out.shape[ax] - 1), axis=ax)],
                                 axis=ax)
        return np.ascontiguousarray(np.flip(out, ax) if rev else out)
    return kernel


@RegisterGradient("CumulativeLogsumexp")
def _cumlogsumexp_grad(op: Operation, grad: Tensor) -> list[Any]:
    # math_grad._CumulativeLogsumexpGrad: the positive and negative parts of grad in log space
    x = op._inputs[0]
    axis = op._inputs[1]
    out = op._outputs[0]
    excl = op._attrs["exclusive"]
    rev = op._attrs["reverse"]
    zero = convert_to_tensor(0, dtype=grad._dtype)
    min_v = convert_to_tensor(np.finfo(grad._dtype._np).min, dtype=grad._dtype)
    log_grad_pos = builders.where_v2(builders.greater(grad, zero), log(grad), min_v)
    log_grad_neg = builders.where_v2(builders.less(grad, zero), log(negative(grad)), min_v)
    out_pos = exp(builders.add(cumulative_logsumexp(
        subtract(log_grad_pos, out), axis=axis, reverse=not rev, exclusive=excl), x))
    out_neg = exp(builders.add(cumulative_logsumexp(
        subtract(log_grad_neg, out), axis=axis, reverse=not rev, exclusive=excl), x))
    return [subtract(out_pos, out_neg), None]


# -- accumulate_n ---------------------------------------------------------------------------------
def accumulate_n(inputs: Sequence[Any], shape: Any = None, tensor_dtype: Any = None,
                 name: str | None = None) -> Tensor:
    """``tf.math.accumulate_n``: in TF1 graph mode an ``AddN`` of the inputs, after TF's
    checks of their dtypes and shapes."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be an iterable of at least one Tensor/IndexedSlices "
                         "with the same dtype and shape")
    xs = [convert_to_tensor(v) for v in inputs]
    if any(x._dtype is not xs[0]._dtype for x in xs):
        raise ValueError("inputs must be an iterable of at least one Tensor/IndexedSlices "
                         "with the same dtype and shape")
    if tensor_dtype is not None and _dtypes.as_dtype(tensor_dtype) is not xs[0]._dtype:
        raise TypeError(f"tensor_dtype is {_dtypes.as_dtype(tensor_dtype)!r}, but input is "
                        f"of type {xs[0]._dtype!r}")
    if len(xs) == 1 and name is None:
        return xs[0]
    return add_n(xs, name=name)


builders.register(globals(), __all__)
