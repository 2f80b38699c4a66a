"""Local response normalisation (LRN, LRNGrad) and top-k selection (TopKV2), each with its
shape inference, kernel and gradient (TF's nn_ops)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, convert_index
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

__all__ = [
    "local_response_normalization",
    "lrn",
    "top_k",
]

_LRN_TYPES = "half, bfloat16, float"
_TOPK_TYPES = ("float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, "
               "float16, uint32, uint64")


# -- LRN -----------------------------------------------------------------------------------------------
def local_response_normalization(input: Any, depth_radius: int = 5, bias: float = 1.0,
                                 alpha: float = 1.0, beta: float = 0.5,
                                 name: str | None = None) -> Tensor:
    """``tf.nn.lrn``: op ``LRN``; x / (bias + alpha * sum of x^2 over the channels within
    depth_radius) ** beta, for float16/bfloat16/float32 4-D inputs."""
    graph = check_same_graph(input)
    full = graph._op_name(name, "LRN")
    with scope_of(graph, full):
        x = first_input(input, "input")
    if x._dtype.name not in ("float16", "bfloat16", "float32"):
        check_allowed(x._dtype, _LRN_TYPES, "input")
    attrs = {"T": x._dtype, "alpha": float(alpha), "beta": float(beta), "bias": float(bias),
             "depth_radius": int(depth_radius)}
    if x._shape is not None and len(x._shape) != 4:
        text = (f"T={dt_enum(x._dtype)}, alpha={alpha:g}, beta={beta:g}, bias={bias:g}, "
                f"depth_radius={int(depth_radius)}")
        raise node_error(f"Shape must be rank 4 but is rank {len(x._shape)}", full, "LRN",
                         text, [x])
    return make_op(graph, full, "LRN", [x], attrs, [(x._dtype, x._shape)])._outputs[0]


lrn = local_response_normalization


def _window_sum(a: np.ndarray, r: int) -> np.ndarray:
    """Sum over the last axis within [c - r, c + r] (clipped)."""
    c = a.shape[-1]
    cs = np.concatenate([np.zeros((*a.shape[:-1], 1), a.dtype), np.cumsum(a, axis=-1)], -1)
    hi = np.minimum(np.arange(c) + r + 1, c)
    lo = np.maximum(np.arange(c) - r, 0)
    return cs[..., hi] - cs[..., lo]  # type: ignore[no-any-return]


@register_kernel("LRN")
def _lrn_kernel(op: Operation) -> Callable[..., Any]:
    a = op._attrs

    def lrn_(x: np.ndarray) -> np.ndarray:
        if x.ndim != 4:
            raise ValueError(f"in must be 4-dimensional, got {x.ndim}")
        x64 = x.astype(np.float64)
        norm = a["bias"] + a["alpha"] * _window_sum(x64 * x64, a["depth_radius"])
        out: np.ndarray = (x64 * norm ** -a["beta"]).astype(x.dtype)
        return out

    return lrn_


@RegisterGradient("LRN")
def _lrn_grad(op: Operation, grad: Tensor) -> Tensor:
    x, y = op._inputs[0], op._outputs[0]
    graph = op._graph
    full = graph._op_name(None, "LRNGrad")
    return make_op(graph, full, "LRNGrad", [grad, x, y], dict(op._attrs),
                   [(x._dtype, x._shape)])._outputs[0]


@register_kernel("LRNGrad")
def _lrn_grad_kernel(op: Operation) -> Callable[..., Any]:
    a = op._attrs
    r, alpha, beta = a["depth_radius"], a["alpha"], a["beta"]

    def lrn_grad(g: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        # y_i = x_i N_i^-b, N_i = bias + alpha sum_{j in W(i)} x_j^2, W symmetric:
        # dx_j = g_j N_j^-b - 2 alpha b x_j sum_{i in W(j)} g_i x_i N_i^(-b-1)
        g64, x64 = g.astype(np.float64), x.astype(np.float64)
        norm = a["bias"] + alpha * _window_sum(x64 * x64, r)
        inner = _window_sum(g64 * x64 * norm ** (-beta - 1), r)
        out: np.ndarray = (g64 * norm ** -beta - 2 * alpha * beta * x64 * inner).astype(g.dtype)
        return out

    return lrn_grad


NotDifferentiable("LRNGrad")


# -- TopKV2 --------------------------------------------------------------------------------------------
class TopKV2(NamedTuple):
    """What TF's top_k returns: the namedtuple (values, indices) of gen_nn_ops."""

    values: Tensor
    indices: Tensor


def top_k(input: Any, k: Any = 1, sorted: bool = True, name: str | None = None,
          index_type: Any = _dtypes.int32) -> TopKV2:
    """``tf.nn.top_k`` / ``tf.math.top_k``: op ``TopKV2``; (values, indices) of the k largest
    entries of the last axis, ties by lower index."""
    graph = check_same_graph(input, k)
    full = graph._op_name(name, "TopKV2")
    with scope_of(graph, full):
        x = first_input(input, "input")
        kt = convert_index(k, name="k")
    if x._dtype.name not in _TOPK_TYPES.split(", "):
        check_allowed(x._dtype, _TOPK_TYPES, "input")
    check_allowed(kt._dtype, "int16, int32, int64", "k")  # TF 2.21's Tk attribute
    it = _dtypes.as_dtype(index_type)
    attrs = {"T": x._dtype, "Tk": kt._dtype, "index_type": it, "sorted": bool(sorted)}
    text = (f"T={dt_enum(x._dtype)}, Tk={dt_enum(kt._dtype)}, index_type={dt_enum(it)}, "
            f"sorted={str(bool(sorted)).lower()}")
    kv = constant_value(kt)
    if kt._shape is not None and len(kt._shape) != 0:
        raise node_error(f"Shape must be rank 0 but is rank {len(kt._shape)}", full, "TopKV2",
                         text, [x, kt])
    kint = None if kv is None else int(kv)
    if kint is not None and kint < 0:
        raise node_error(f"Need k >= 0, got {kint}", full, "TopKV2", text, [x, kt])
    out = None
    if x._shape is not None:
        if len(x._shape) < 1:
            raise node_error("Shape must be at least rank 1 but is rank 0", full, "TopKV2",
                             text, [x, kt])
        last = x._shape[-1]
        if last is not None and kint is not None and last < kint:
            # k was read from the constant input, so TF's message shows it
            raise node_error(f"input must have last dimension >= k = {kint} but is {last}",
                             full, "TopKV2", text, [x, kt],
                             f" and with computed input tensors: input[1] = <{kint}>")
        out = (*x._shape[:-1], kint)
    op = make_op(graph, full, "TopKV2", [x, kt], attrs, [(x._dtype, out), (it, out)])
    return TopKV2(op._outputs[0], op._outputs[1])


@register_kernel("TopKV2")
def _top_k_kernel(op: Operation) -> Callable[..., Any]:
    it = op._attrs["index_type"]._np

    def top(x: np.ndarray, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        kk = int(k)
        if kk < 0:
            raise ValueError(f"Need k >= 0, got {kk}")
        if x.shape[-1] < kk:
            raise ValueError(f"input must have at least k columns. Had {x.shape[-1]}, "
                             f"needed {kk}")
        order = np.argsort(-x if x.dtype.kind == "f" else -(x.astype(np.float64)), axis=-1,
                           kind="stable")[..., :kk]
        return np.take_along_axis(x, order, -1), order.astype(it)

    return top


@RegisterGradient("TopKV2")
def _top_k_grad(op: Operation, grad: Tensor, _grad_indices: Any) -> list[Any]:
    # Scatter each row's k gradients back to their positions: one segment sum over the
    # flattened input, each row's indices offset by row * n.
    x, idx = op._inputs[0], op._outputs[1]
    shape = builders.shape(x)  # a tensor: it is indexed below
    n = builders.getitem(shape, -1)
    flat_idx = builders.reshape(builders.cast(idx, _dtypes.int32), [-1])
    k = builders.getitem(builders.shape(idx), -1)
    rows = builders.floordiv(builders.size(x), n)
    offsets = builders.reshape(builders.multiply(builders.range(rows), n), [-1, 1])
    ids = builders.reshape(builders.add(builders.reshape(flat_idx, builders.stack([-1, k])),
                                        offsets), [-1])
    summed = builders.unsorted_segment_sum(builders.reshape(grad, [-1]), ids,
                                           builders.size(x))
    return [builders.reshape(summed, shape), None]


builders.register(globals(), __all__)
