"""Reductions (reduce_sum, reduce_mean, reduce_max ... with TF's axis rules) and clipping, with
kernels and gradients. The gradients of Tile, GatherV2 and BroadcastTo (array ops whose
gradients are sums) are in array_grad.py.

matmul and tensordot are in math_matmul_ops.py; add_n, argmax / argmin, range, cumulative ops
and segment sums in math_sequence_ops.py."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import (
    CONSTANT_FOLDERS,
    constant_value,
    convert_index,
    convert_to_tensor,
)
from varstore.framework.graph import device, get_default_graph, name_scope
from varstore.framework.indexed_slices import IndexedSlices
from varstore.framework.op_def_library import (
    check_allowed,
    check_same_graph,
    typed_input,
)
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
from varstore.ops.array_ops import reshape, shape, shape_of
from varstore.ops.array_transform_ops import broadcast_to
from varstore.ops.math_ops import add, equal, maximum, multiply, realdiv, truediv
from varstore.ops.math_unary_ops import cast, sqrt

__all__ = [
    "clip_by_global_norm",
    "clip_by_norm",
    "clip_by_value",
    "count_nonzero",
    "global_norm",
    "reduce_all",
    "reduce_any",
    "reduce_logsumexp",
    "reduce_max",
    "reduce_mean",
    "reduce_min",
    "reduce_prod",
    "reduce_sum",
]

DType = _dtypes.DType
Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32
_int64 = _dtypes.int64
_MATMUL_TYPES = ("bfloat16, float16, float32, float64, int32, int64, uint8, uint16, uint32, "
                 "uint64, complex64, complex128")
_REDUCE_TYPES = ("float32, float64, int32, uint8, int16, int8, complex64, int64, qint8, quint8, "
                 "qint32, bfloat16, qint16, quint16, uint16, complex128, float16, uint32, uint64")


def _out(op: Operation) -> Tensor:
    return op._outputs[0]


# -- reductions -------------------------------------------------------------------------------------
def _reduce(op_type: str, input_tensor: Any, axis: Any, keepdims: Any, name: str | None,
            reduction_indices: Any, keep_dims: Any, allowed: str | None = _REDUCE_TYPES,
            bool_input: bool = False) -> Tensor:
    if axis is not None and reduction_indices is not None:
        raise ValueError("Cannot specify both 'reduction_indices' and 'axis'.")
    if reduction_indices is not None:
        axis = reduction_indices
    if keepdims is not None and keep_dims is not None:
        raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'.")
    if keep_dims is not None:
        keepdims = keep_dims
    keep = bool(keepdims)
    graph = check_same_graph(input_tensor, axis)
    dt = _dtypes.bool if bool_input else None
    x: Any = input_tensor
    if axis is None:
        # TF's _ReductionDims, in the current scope before the op: a Const of the axes for a
        # tensor (or variable) of known nonzero rank; else range(0, rank(x)) (Rank, then
        # range) -- a scalar too, since TF tests ``if x_rank:``.
        dims = (x._shape if isinstance(x, Tensor) else
                x.get_shape()._dims if hasattr(type(x), "_as_tensor") else None)
        if dims:
            axes_t = convert_to_tensor(np.arange(len(dims), dtype=np.int32), name="Const")
        else:
            if hasattr(type(x), "_as_tensor"):
                x = convert_to_tensor(x)
            axes_t = builders.range(0, builders.rank(x), 1)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        if not isinstance(x, Tensor):
            x = convert_to_tensor(x, dtype=dt, name="input")
        if axis is not None:
            axes_t = convert_index(axis, name="reduction_indices")
    if allowed is not None and x._dtype.name not in allowed.split(", "):
        check_allowed(x._dtype, allowed, "input")
    attrs = {"T": x._dtype, "Tidx": axes_t._dtype, "keep_dims": keep}
    if op_type in ("All", "Any"):
        del attrs["T"]  # (TF's All and Any take bools only: they have no type attr)
    if axes_t._shape is not None and len(axes_t._shape) > 1:
        raise node_error(f"Shape must be at most rank 1 but is rank {len(axes_t._shape)}", full,
                         op_type, ("" if op_type in ("All", "Any") else
                                   f"T={dt_enum(x._dtype)}, ") +
                         f"Tidx={dt_enum(axes_t._dtype)}, keep_dims={str(keep).lower()}",
                         [x, axes_t])
    out = _reduced_shape(full, op_type, x, axes_t, keep, attrs)
    if axis is None and not keep:
        out = ()  # TF's _may_reduce_to_scalar: reducing everything gives a scalar
    return _out(make_op(graph, full, op_type, [x, axes_t], attrs, [(x._dtype, out)]))


def _reduced_shape(full: str, op_type: str, x: Tensor, axes_t: Tensor, keep: bool,
                   attrs: dict[str, Any]) -> Dims:
    dims = x._shape
    av = constant_value(axes_t)
    if dims is None:
        return None
    if av is None:
        return (None,) * len(dims) if keep else None
    axes = [int(a) for a in av.reshape(-1)]
    r = len(dims)
    for a in axes:
        if not -r <= a < r:
            shown = " ".join(str(v) for v in axes) if av.ndim else str(axes[0])
            raise node_error(
                f"Invalid reduction dimension {a} for input with {r} dimensions.", full,
                op_type, f"T={dt_enum(x._dtype)}, Tidx={dt_enum(axes_t._dtype)}, "
                f"keep_dims={str(keep).lower()}", [x, axes_t],
                f" and with computed input tensors: input[1] = <{shown}>")
    norm = {a % r for a in axes} if r else set()
    if keep:
        return tuple(1 if i in norm else d for i, d in enumerate(dims))
    return tuple(d for i, d in enumerate(dims) if i not in norm)


def reduce_sum(input_tensor: Any, axis: Any = None, keepdims: Any = None,
               name: str | None = None, reduction_indices: Any = None,
               keep_dims: Any = None) -> Tensor:
    """``tf.reduce_sum``: op ``Sum``; without ``axis`` TF adds a ``Const`` (the indices) in
    the current name scope first."""
    return _reduce("Sum", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_mean(input_tensor: Any, axis: Any = None, keepdims: Any = None,
                name: str | None = None, reduction_indices: Any = None,
                keep_dims: Any = None) -> Tensor:
    """``tf.reduce_mean``: op ``Mean`` (integer inputs divide with truncation)."""
    return _reduce("Mean", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_max(input_tensor: Any, axis: Any = None, keepdims: Any = None,
               name: str | None = None, reduction_indices: Any = None,
               keep_dims: Any = None) -> Tensor:
    """``tf.reduce_max``: op ``Max``."""
    return _reduce("Max", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_min(input_tensor: Any, axis: Any = None, keepdims: Any = None,
               name: str | None = None, reduction_indices: Any = None,
               keep_dims: Any = None) -> Tensor:
    """``tf.reduce_min``: op ``Min``."""
    return _reduce("Min", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_prod(input_tensor: Any, axis: Any = None, keepdims: Any = None,
                name: str | None = None, reduction_indices: Any = None,
                keep_dims: Any = None) -> Tensor:
    """``tf.reduce_prod``: op ``Prod``."""
    return _reduce("Prod", input_tensor, axis, keepdims, name, reduction_indices, keep_dims)


def reduce_any(input_tensor: Any, axis: Any = None, keepdims: Any = None,
               name: str | None = None, reduction_indices: Any = None,
               keep_dims: Any = None) -> Tensor:
    """``tf.reduce_any``: op ``Any`` (bool)."""
    return _reduce("Any", input_tensor, axis, keepdims, name, reduction_indices, keep_dims,
                   allowed="bool", bool_input=True)


def reduce_all(input_tensor: Any, axis: Any = None, keepdims: Any = None,
               name: str | None = None, reduction_indices: Any = None,
               keep_dims: Any = None) -> Tensor:
    """``tf.reduce_all``: op ``All`` (bool)."""
    return _reduce("All", input_tensor, axis, keepdims, name, reduction_indices, keep_dims,
                   allowed="bool", bool_input=True)


def reduce_logsumexp(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                     name: str | None = None, reduction_indices: Any = None,
                     keep_dims: Any = None) -> Tensor:
    """``tf.reduce_logsumexp``: log(sum(exp(x))) computed stably (max subtracted)."""
    if keep_dims is not None:
        keepdims = keep_dims
    if reduction_indices is not None:
        axis = reduction_indices
    graph = check_same_graph(input_tensor)
    full = graph._op_name(name, "ReduceLogSumExp")
    with scope_of(graph, full):
        x = convert_to_tensor(input_tensor)
        raw_max = reduce_max(x, axis, keepdims=True)
        my_max = builders.stop_gradient(builders.where(
            builders.is_finite(raw_max), raw_max, builders.zeros_like(raw_max)))
        result = builders.log(reduce_sum(builders.exp(builders.subtract(x, my_max)), axis,
                                         keepdims=keepdims))
        if not keepdims:
            my_max = reshape(my_max, shape(result))
        return add(result, my_max)


def _axes_of(x: np.ndarray, a: np.ndarray) -> tuple[int, ...]:
    # TF's ReductionHelper::Simplify: each axis in range, then no axis twice (checked in order)
    r = x.ndim
    seen: set[int] = set()
    for v in np.reshape(a, -1).tolist():
        v = int(v)
        if not -r <= v < r:
            raise InvalidArgumentError(None, None, f"Invalid reduction dimension ({v} for input "
                                       f"with {r} dimension(s)")
        if v % r in seen:
            raise InvalidArgumentError(None, None, "Invalid reduction arguments: Axes contains "
                                       f"duplicate dimension: {v % r}")
        seen.add(v % r)
    return tuple(sorted(seen))


def _sum_kernel(op: Operation) -> Callable[..., Any]:
    keep = op._attrs["keep_dims"]
    dt = op._attrs["T"]._np
    return lambda x, a: np.asarray(np.sum(x, axis=_axes_of(x, a), keepdims=keep, dtype=dt))


def _mean_kernel(op: Operation) -> Callable[..., Any]:
    keep = op._attrs["keep_dims"]
    dt = op._attrs["T"]._np
    if np.dtype(dt).kind in "iu":
        def int_mean(x: np.ndarray, a: np.ndarray) -> np.ndarray:
            axes = _axes_of(x, a)
            n = 1
            for i in axes:
                n *= x.shape[i]
            total = np.sum(x, axis=axes, keepdims=keep, dtype=np.int64)
            return np.asarray(np.trunc(total / n) if n else total).astype(dt)
        return int_mean

    def mean(x: np.ndarray, a: np.ndarray) -> np.ndarray:
        axes = _axes_of(x, a)
        if x.size == 0:
            # TF: the mean of nothing is NaN, silently (np.mean warns "Mean of empty slice")
            with np.errstate(all="ignore"):
                return np.asarray(np.sum(x, axis=axes, keepdims=keep, dtype=dt)
                                  / np.zeros((), dt))
        return np.asarray(np.mean(x, axis=axes, keepdims=keep, dtype=dt))
    return mean


def _extreme_kernel(fn: Any, identity_of: Callable[[DType], Any]) -> Callable[..., Any]:
    def factory(op: Operation) -> Callable[..., Any]:
        keep = op._attrs["keep_dims"]
        dt = op._attrs["T"]

        def reduce_(x: np.ndarray, a: np.ndarray) -> np.ndarray:
            axes = _axes_of(x, a)
            if x.size == 0:
                return np.asarray(fn(x, axis=axes, keepdims=keep, initial=identity_of(dt)))
            return np.asarray(fn(x, axis=axes, keepdims=keep))
        return reduce_
    return factory


register_kernel("Sum")(_sum_kernel)


def _fold_sum(t: Tensor) -> np.ndarray | None:
    # TF's shape inference evaluates constant subgraphs, reductions included
    x, axes = (constant_value(i) for i in t._op._inputs)
    if x is None or axes is None:
        return None
    ax = tuple(int(a) for a in np.reshape(axes, -1))
    return np.asarray(np.sum(x, axis=ax, keepdims=bool(t._op._attrs["keep_dims"]))
                      ).astype(t._dtype._np)


CONSTANT_FOLDERS["Sum"] = _fold_sum
register_kernel("Mean")(_mean_kernel)
register_kernel("Max")(_extreme_kernel(np.max, lambda dt: -np.inf if dt.is_floating else
                                       dt.min))
register_kernel("Min")(_extreme_kernel(np.min, lambda dt: np.inf if dt.is_floating else dt.max))


@register_kernel("Prod")
def _prod_kernel(op: Operation) -> Callable[..., Any]:
    keep = op._attrs["keep_dims"]
    dt = op._attrs["T"]._np
    return lambda x, a: np.asarray(np.prod(x, axis=_axes_of(x, a), keepdims=keep, dtype=dt))


@register_kernel("Any")
def _any_kernel(op: Operation) -> Callable[..., Any]:
    keep = op._attrs["keep_dims"]
    return lambda x, a: np.asarray(np.any(x, axis=_axes_of(x, a), keepdims=keep))


@register_kernel("All")
def _all_kernel(op: Operation) -> Callable[..., Any]:
    keep = op._attrs["keep_dims"]
    return lambda x, a: np.asarray(np.all(x, axis=_axes_of(x, a), keepdims=keep))


NotDifferentiable("Any")
NotDifferentiable("All")


def _kept_shape(op: Operation) -> Any:
    """The reduction's output shape with the reduced axes kept as 1 (static when known)."""
    x, a = op._inputs
    av = constant_value(a)
    dims = x._shape
    if av is not None and dims is not None and None not in dims:
        r = len(dims)
        axes = {int(v) % r for v in av.reshape(-1)} if r else set()
        return [1 if i in axes else d for i, d in enumerate(dims)]
    input_shape = shape(x)
    with op._graph.colocate_with(input_shape):  # (TF's _SumGrad: beside the shape)
        return builders.reduced_shape(input_shape, a)


def reduced_shape(input_shape: Any, axes: Any) -> Any:
    """TF's math_ops.reduced_shape: ``input_shape`` with the ``axes`` entries set to 1 (a
    NumPy array when both are constant, else a DynamicStitch of range(rank) and axes)."""
    constant_shape = constant_value(input_shape) if isinstance(input_shape, Tensor) \
        else np.asarray(input_shape)
    if constant_shape is not None:
        constant_axes = constant_value(axes) if isinstance(axes, Tensor) else np.asarray(axes)
        if constant_axes is not None:
            out = np.array(constant_shape, dtype=np.int32)
            out[np.array(constant_axes, dtype=np.int32)] = 1
            return out
    axes_t = convert_to_tensor(axes)
    input_rank = builders.size(input_shape, out_type=axes_t._dtype)
    axes_t = (axes_t + input_rank) % input_rank
    axes_shape = shape(axes_t)
    return builders.dynamic_stitch(
        [builders.range(input_rank), axes_t],
        [input_shape, builders.ones(axes_shape, dtype=input_shape._dtype)])


@RegisterGradient("Sum")
def _sum_grad(op: Operation, grad: Tensor) -> list[Any]:
    """TF's _SumGrad: with the input's rank and the axes known, a Reshape and a Tile (the
    input's static shape, or its Shape, for a full reduction; static multiples when the
    shape is fully known); otherwise a BroadcastTo to the input's Shape."""
    x, a = op._inputs
    dims = x._shape
    av = constant_value(a)
    if dims is not None and av is not None:
        rank = len(dims)
        if np.array_equal(av, np.arange(rank)):
            g = reshape(grad, [1] * rank)
            if None not in dims:
                multiples: Any = convert_to_tensor(list(dims), dtype=_dtypes.int32)
            else:
                multiples = shape(x)
            return [builders.tile(g, multiples), None]
        if None not in dims:
            kept = _kept_shape(op)
            scaling = [d // max(k, 1) for d, k in zip(dims, kept)]
            return [builders.tile(reshape(grad, kept), scaling), None]
    g = reshape(grad, _kept_shape(op)) if not op._attrs.get("keep_dims") else grad
    return [broadcast_to(g, shape_of(x)), None]


@RegisterGradient("Mean")
def _mean_grad(op: Operation, grad: Tensor) -> list[Any]:
    x = op._inputs[0]
    sum_grad = _sum_grad(op, grad)[0]
    in_n = _static_size(x._shape)
    out_n = _static_size(op._outputs[0]._shape)
    if in_n is not None and out_n is not None:
        factor = in_n // max(out_n, 1)
        return [realdiv(sum_grad, convert_to_tensor(factor, dtype=sum_grad._dtype)), None]
    # TF's _MeanGrad: the product of the reduced dimensions of the input's Shape
    input_shape = shape(x)
    input_rank = builders.size(input_shape)
    axes = (op._inputs[1] + input_rank) % input_rank
    factor_t = reduce_prod(builders.gather(input_shape, axes))
    return [truediv(sum_grad, cast(factor_t, sum_grad._dtype)), None]


def _static_size(dims: Dims) -> int | None:
    if dims is None or None in dims:
        return None
    n = 1
    for d in dims:
        n *= d  # type: ignore[operator]
    return n


def _minmax_grad(op: Operation, grad: Tensor) -> list[Any]:
    x = op._inputs[0]
    kept = _kept_shape(op)
    y = reshape(op._outputs[0], kept)
    g = reshape(grad, kept)
    indicators = cast(equal(y, x), g._dtype)
    num_selected = reshape(reduce_sum(indicators, op._inputs[1]), kept)
    return [multiply(realdiv(indicators, num_selected), g), None]


RegisterGradient("Max")(_minmax_grad)
RegisterGradient("Min")(_minmax_grad)


@RegisterGradient("Prod")
def _prod_grad(op: Operation, grad: Tensor) -> list[Any]:
    """TF's _ProdGrad: the product of everything but each element, from exclusive cumprods
    of the input with the reduced axes moved to the front (exact with zeros); the axes and
    sizes worked out in the graph, so any shape works."""
    x = op._inputs[0]
    input_shape = shape(x)
    reduction_indices = reshape(op._inputs[1], [-1])
    if not op._attrs["keep_dims"]:
        grad = reshape(grad, reduced_shape(input_shape, op._inputs[1]))
    grad = broadcast_to(grad, input_shape)
    with device("/cpu:0"):  # (TF places the index arithmetic on the host)
        rank = builders.rank(x)
        reduction_indices = builders.cast(reduction_indices, rank.dtype)
        reduced = (reduction_indices + rank) % rank
        idx = builders.range(0, rank)
        other, _ = builders.setdiff1d(idx, reduced, index_dtype=reduced.dtype)
        perm = builders.concat([reduced, other], 0)
        reduced_num = reduce_prod(builders.gather(input_shape, reduced))
        other_num = reduce_prod(builders.gather(input_shape, other))
    permuted = builders.transpose(x, perm)
    permuted_shape = shape(permuted)
    reshaped = reshape(permuted, (reduced_num, other_num))
    left = builders.cumprod(reshaped, axis=0, exclusive=True)
    right = builders.cumprod(reshaped, axis=0, exclusive=True, reverse=True)
    y = reshape(left * right, permuted_shape)
    out = grad * builders.transpose(y, builders.invert_permutation(perm))
    return [reshape(out, input_shape), None]


# -- clipping ---------------------------------------------------------------------------------------
# An IndexedSlices is clipped by its values alone, and stays sparse (as TF's clip_ops).
def _values(t: Any) -> Any:
    return t.values if isinstance(t, IndexedSlices) else t


def _like(t: Any, values: Any) -> Any:
    return IndexedSlices(values, t.indices, t.dense_shape) if isinstance(t, IndexedSlices) \
        else values


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any,
                  name: str | None = None) -> Tensor:
    """``tf.clip_by_value``: Minimum then Maximum, under ``clip_by_value``."""
    graph = check_same_graph(t, clip_value_min, clip_value_max)
    full = graph._op_name(name, "clip_by_value")
    with scope_of(graph, full):
        x = convert_to_tensor(_values(t), name="t")
        # A Python bound becomes a Const inside the op that takes it, as in TF
        # (clip_by_value/Minimum/y, then clip_by_value/y); tensors are type-checked here.
        lo = typed_input(clip_value_min, x._dtype, "Maximum", "y", "x") \
            if isinstance(clip_value_min, Tensor) else clip_value_min
        hi = typed_input(clip_value_max, x._dtype, "Minimum", "y", "x") \
            if isinstance(clip_value_max, Tensor) else clip_value_max
        m = builders.minimum(x, hi)
        # TF refuses a bound that would broadcast the result past t's shape
        x.get_shape().assert_is_compatible_with(m.get_shape())
        out = builders.maximum(m, lo, name=full + "/")
        x.get_shape().assert_is_compatible_with(out.get_shape())
    return _like(t, out)  # type: ignore[no-any-return]


def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """``tf.clip_by_norm``: t * clip_norm / max(l2norm(t), clip_norm), built as TF builds it
    (the two-tap where keeps the gradient of a zero norm finite)."""
    with name_scope(name, "clip_by_norm", [t, clip_norm]) as scope:
        values = convert_to_tensor(_values(t), name="t")
        l2sum = reduce_sum(values * values, axes, keepdims=True)
        pred = l2sum > 0
        l2sum_safe = builders.where(pred, l2sum, builders.ones_like(l2sum))
        l2norm = builders.where(pred, sqrt(l2sum_safe), l2sum)
        intermediate = values * clip_norm
        values.get_shape().assert_is_compatible_with(intermediate.get_shape())
        out: Tensor = builders.identity(intermediate / maximum(l2norm, clip_norm), name=scope)
        return _like(t, out)  # type: ignore[no-any-return]


def global_norm(t_list: Sequence[Any], name: str | None = None) -> Tensor:
    """``tf.linalg.global_norm``: sqrt(sum of l2_loss * 2) over the non-None tensors."""
    graph = check_same_graph(list(t_list))
    full = graph._op_name(name, "global_norm")
    with scope_of(graph, full):
        ts = [convert_to_tensor(_values(t), name=f"t_{i}") for i, t in enumerate(t_list)
              if t is not None]
        half = [builders.l2_loss(t) for t in ts]
        total = builders.stack(half) if len(half) != 1 else reshape(half[0], [1])
        two = convert_to_tensor(2.0, dtype=total._dtype)
        return sqrt(multiply(reduce_sum(total), two), name="global_norm")


def clip_by_global_norm(t_list: Sequence[Any], clip_norm: Any, use_norm: Any = None,
                        name: str | None = None) -> tuple[list[Any], Tensor]:
    """``tf.clip_by_global_norm``: every tensor scaled by clip_norm / max(global_norm,
    clip_norm); None entries stay None."""
    if not isinstance(t_list, (list, tuple)) or isinstance(t_list, str):
        raise TypeError("`t_list` should be a sequence of tensors. Received "
                        f"{type(t_list)}.")
    t_list = list(t_list)
    norm = global_norm(t_list, "global_norm") if use_norm is None else use_norm
    graph = get_default_graph()
    full = graph._op_name(name, "clip_by_global_norm")
    with scope_of(graph, full):
        # TF's expression, op for op (truediv, Const, truediv_1, Minimum, mul, sub, add);
        # adding norm - norm makes the scale NaN when the global norm is inf or NaN
        inv_norm = 1.0 / norm
        one = convert_to_tensor(1.0, dtype=norm._dtype)
        scale_for_finite = clip_norm * builders.minimum(inv_norm, one / clip_norm)
        scale = scale_for_finite + (norm - norm)
        out: list[Any] = []
        for i, t in enumerate(t_list):
            if t is None:
                out.append(None)
                continue
            x = convert_to_tensor(_values(t), dtype_hint=norm._dtype, name=f"t_{i}")
            out.append(_like(t, builders.identity(x * cast(scale, x._dtype),
                                                  name=f"{full}/_{i}")))
    return out, norm


def count_nonzero(input_tensor: Any, axis: Any = None, keepdims: bool = False,
                  dtype: Any = _int64, name: str | None = None,
                  reduction_indices: Any = None, keep_dims: Any = None) -> Tensor:
    graph = check_same_graph(input_tensor)
    full = graph._op_name(name, "count_nonzero")
    with scope_of(graph, full):
        x = convert_to_tensor(input_tensor)
        nz = builders.not_equal(x, builders.zeros_like(x))
        return reduce_sum(cast(nz, dtype), axis, keepdims=keepdims if keep_dims is None
                          else keep_dims, reduction_indices=reduction_indices)


builders.register(globals(), [*__all__, "reduced_shape"])
