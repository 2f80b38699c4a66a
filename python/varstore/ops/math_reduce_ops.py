"""Math ops beyond element-wise: reductions, matmul, add_n, argmax/argmin, range, cumulative
sums and products, segment sums, clipping; with kernels and gradients. The gradients of
Tile, GatherV2 and BroadcastTo (array ops whose gradients are sums) are registered here."""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.framework.op_def_library import (
    check_allowed,
    check_same_graph,
    first_input,
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
from varstore.framework.tensor_shape import shape_str
from varstore.ops.array_ops import reshape, shape, shape_of
from varstore.ops.array_slicing_ops import gather
from varstore.ops.array_transform_ops import broadcast_to
from varstore.ops.math_ops import add, equal, maximum, multiply, realdiv, truediv
from varstore.ops.math_unary_ops import cast, sqrt

__all__ = [
    "add_n",
    "argmax",
    "argmin",
    "clip_by_global_norm",
    "clip_by_norm",
    "clip_by_value",
    "count_nonzero",
    "cumprod",
    "cumsum",
    "global_norm",
    "matmul",
    "range",
    "reduce_all",
    "reduce_any",
    "reduce_logsumexp",
    "reduce_max",
    "reduce_mean",
    "reduce_min",
    "reduce_prod",
    "reduce_sum",
    "tensordot",
    "unsorted_segment_sum",
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
    if hasattr(type(x), "_as_tensor"):
        x = convert_to_tensor(x)
    if axis is None:
        # TF's _ReductionDims, in the current scope before the op: a Const of the axes for a
        # tensor of known rank; else range(0, rank(x)) (a Python value: Rank, then range).
        if isinstance(x, Tensor) and x._shape is not None:
            axes_t = convert_to_tensor(np.arange(len(x._shape), dtype=np.int32), name="Const")
        else:
            axes_t = builders.range(0, builders.rank(x), 1)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        if not isinstance(x, Tensor):
            x = convert_to_tensor(x, dtype=dt, name="input")
        if axis is not None:
            axes_t = convert_to_tensor(axis, dtype_hint=_int32, name="reduction_indices")
    if allowed is not None and x._dtype.name not in allowed.split(", "):
        check_allowed(x._dtype, allowed, "input")
    attrs = {"T": x._dtype, "Tidx": axes_t._dtype, "keep_dims": keep}
    out = _reduced_shape(full, op_type, x, axes_t, keep, attrs)
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
    r = x.ndim
    return tuple(sorted({int(v) % r for v in np.reshape(a, -1)})) if r else ()


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
    return lambda x, a: np.asarray(np.mean(x, axis=_axes_of(x, a), keepdims=keep, dtype=dt))


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
    return builders.reduced_shape(shape(x), a)


def reduced_shape(input_shape: Tensor, axes: Tensor) -> Tensor:
    graph = input_shape._op._graph
    full = graph._op_name(None, "ReducedShape")
    return _out(make_op(graph, full, "ReducedShape", [input_shape, axes], {},
                        [(input_shape._dtype, input_shape._shape)]))


@register_kernel("ReducedShape")
def _reduced_shape_kernel(op: Operation) -> Callable[..., Any]:
    def kept(s: np.ndarray, a: np.ndarray) -> np.ndarray:
        out = s.copy()
        r = len(s)
        for v in np.reshape(a, -1):
            out[int(v) % r] = 1
        return out  # type: ignore[no-any-return]
    return kept


@RegisterGradient("Sum")
def _sum_grad(op: Operation, grad: Tensor) -> list[Any]:
    x = op._inputs[0]
    g = reshape(grad, _kept_shape(op))
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
    factor_t = cast(builders.floordiv(builders.size(x), maximum(
        builders.size(op._outputs[0]), 1)), sum_grad._dtype)
    return [realdiv(sum_grad, factor_t), None]


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
    """TF's _ProdGrad: products of everything but each element, via exclusive cumprods
    (exact with zeros)."""
    x = op._inputs[0]
    dims = x._shape
    av = constant_value(op._inputs[1])
    if dims is None or None in dims or av is None:
        raise LookupError("varstore's Prod gradient needs a static input shape and axes")
    r = len(dims)
    axes = sorted({int(v) % r for v in av.reshape(-1)})
    other = [i for i in builtins.range(r) if i not in axes]
    perm = axes + other
    red = math.prod([dims[i] for i in axes])  # type: ignore[misc]
    oth = math.prod([dims[i] for i in other])  # type: ignore[misc]
    g = broadcast_to(reshape(grad, _kept_shape(op)), list(dims))
    permuted = builders.transpose(x, perm)
    reshaped = reshape(permuted, [red, oth])
    left = cumprod(reshaped, axis=0, exclusive=True)
    right = cumprod(reshaped, axis=0, exclusive=True, reverse=True)
    y = reshape(multiply(left, right), [dims[i] for i in perm])
    inv = np.argsort(perm).tolist()
    return [multiply(g, builders.transpose(y, inv)), None]


# -- matmul -----------------------------------------------------------------------------------------
def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False,
           adjoint_a: bool = False, adjoint_b: bool = False, a_is_sparse: bool = False,
           b_is_sparse: bool = False, output_type: Any = None, grad_a: bool = False,
           grad_b: bool = False, name: str | None = None) -> Tensor:
    """``tf.matmul``: op ``MatMul`` (``BatchMatMulV2`` for rank > 2 operands)."""
    if transpose_a and adjoint_a:
        raise ValueError("Only one of transpose_a and adjoint_a can be True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of transpose_b and adjoint_b can be True.")
    graph = check_same_graph(a, b)
    full = graph._op_name(name, "MatMul")
    with scope_of(graph, full):
        ta_ = first_input(a, "a")
        tb_ = typed_input(b, ta_._dtype, "MatMul", "b", "a")
    return _matmul_node(graph, full, ta_, tb_, bool(transpose_a or adjoint_a),
                        bool(transpose_b or adjoint_b))


def _matmul_node(graph: Any, full: str, a: Tensor, b: Tensor, ta: bool, tb: bool) -> Tensor:
    dt = a._dtype
    if dt.name not in _MATMUL_TYPES.split(", "):
        check_allowed(dt, _MATMUL_TYPES, "a")
    sa, sb = a._shape, b._shape
    batch = (sa is not None and len(sa) > 2) or (sb is not None and len(sb) > 2)
    if not batch:
        attrs = {"T": dt, "transpose_a": ta, "transpose_b": tb, "grad_a": False,
                 "grad_b": False}
        text = (f"T={dt_enum(dt)}, grad_a=false, grad_b=false, transpose_a={str(ta).lower()}, "
                f"transpose_b={str(tb).lower()}")
        for s in (sa, sb):
            if s is not None and len(s) != 2:
                raise node_error(f"Shape must be rank 2 but is rank {len(s)}", full, "MatMul",
                                 text, [a, b])
        m = None if sa is None else (sa[1] if ta else sa[0])
        ka = None if sa is None else (sa[0] if ta else sa[1])
        kb = None if sb is None else (sb[1] if tb else sb[0])
        n = None if sb is None else (sb[0] if tb else sb[1])
        if ka is not None and kb is not None and ka != kb:
            raise node_error(f"Dimensions must be equal, but are {ka} and {kb}", full,
                             "MatMul", text, [a, b])
        return _out(make_op(graph, full, "MatMul", [a, b], attrs, [(dt, (m, n))]))
    attrs = {"T": dt, "adj_x": ta, "adj_y": tb, "grad_x": False, "grad_y": False}
    text = (f"T={dt_enum(dt)}, adj_x={str(ta).lower()}, adj_y={str(tb).lower()}, "
            "grad_x=false, grad_y=false")
    out: Dims = None
    if sa is not None and sb is not None:
        for s in (sa, sb):
            if len(s) < 2:
                raise node_error(f"Shape must be at least rank 2 but is rank {len(s)}", full,
                                 "BatchMatMulV2", text, [a, b])
        ka = sa[-2] if ta else sa[-1]
        kb = sb[-1] if tb else sb[-2]
        if ka is not None and kb is not None and ka != kb:
            raise node_error(f"Dimensions must be equal, but are {ka} and {kb}", full,
                             "BatchMatMulV2", text, [a, b])
        ba, bb = sa[:-2], sb[:-2]
        r = max(len(ba), len(bb))
        pa = (1,) * (r - len(ba)) + ba
        pb = (1,) * (r - len(bb)) + bb
        batch_dims: list[int | None] = []
        for p, q in zip(pa, pb):
            if p == 1:
                batch_dims.append(q)
            elif q == 1 or q is None:
                batch_dims.append(p if q is not None or p is not None else None)
            elif p is None:
                batch_dims.append(q)
            elif p != q:
                raise node_error(f"Dimensions must be equal, but are {p} and {q}", full,
                                 "BatchMatMulV2", text, [a, b])
            else:
                batch_dims.append(p)
        out = (*batch_dims, sa[-1] if ta else sa[-2], sb[-2] if tb else sb[-1])
    return _out(make_op(graph, full, "BatchMatMulV2", [a, b], attrs, [(dt, out)]))


@register_kernel("MatMul")
def _matmul_kernel(op: Operation) -> Callable[..., Any]:
    ta = op._attrs["transpose_a"]
    tb = op._attrs["transpose_b"]
    if not ta and not tb:
        return _checked_matmul(np.matmul)
    return _checked_matmul(lambda x, y: np.matmul(x.T if ta else x, y.T if tb else y))


def _checked_matmul(fn: Callable[..., Any]) -> Callable[..., Any]:
    def mm(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        try:
            return np.asarray(fn(x, y))
        except ValueError:
            raise ValueError(f"Matrix size-incompatible: In[0]: {shape_str(x.shape)}, In[1]: "
                             f"{shape_str(y.shape)}") from None
    return mm


@register_kernel("BatchMatMulV2")
def _batch_matmul_kernel(op: Operation) -> Callable[..., Any]:
    ta = op._attrs["adj_x"]
    tb = op._attrs["adj_y"]
    return _checked_matmul(lambda x, y: np.matmul(np.swapaxes(x, -1, -2) if ta else x,
                                                  np.swapaxes(y, -1, -2) if tb else y))


@RegisterGradient("MatMul")
def _matmul_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    a, b = op._inputs
    ta = op._attrs["transpose_a"]
    tb = op._attrs["transpose_b"]
    graph = grad._op._graph

    def mm(x: Tensor, y: Tensor, tx: bool, ty: bool) -> Tensor:
        return _matmul_node(graph, graph._op_name("MatMul", "MatMul"), x, y, tx, ty)

    if not ta and not tb:
        return [mm(grad, b, False, True), mm(a, grad, True, False)]
    if not ta and tb:
        return [mm(grad, b, False, False), mm(grad, a, True, False)]
    if ta and not tb:
        return [mm(b, grad, False, True), mm(a, grad, False, False)]
    return [mm(b, grad, True, True), mm(grad, a, True, True)]


@RegisterGradient("BatchMatMulV2")
def _batch_matmul_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    x, y = op._inputs
    ax = op._attrs["adj_x"]
    ay = op._attrs["adj_y"]
    graph = grad._op._graph

    def mm(p: Tensor, q: Tensor, tp: bool, tq: bool) -> Tensor:
        return _matmul_node(graph, graph._op_name("MatMul", "MatMul"), p, q, tp, tq)

    if not ax:
        gx = mm(grad, y, False, True) if not ay else mm(grad, y, False, False)
    else:
        gx = mm(y, grad, False, True) if not ay else mm(y, grad, True, True)
    if not ay:
        gy = mm(x, grad, True, False) if not ax else mm(x, grad, False, False)
    else:
        gy = mm(grad, x, True, False) if not ax else mm(grad, x, True, True)
    return [_unbatch(gx, x), _unbatch(gy, y)]


def _unbatch(g: Tensor, t: Tensor) -> Tensor:
    """Sums a batch-matmul gradient over the batch dimensions ``t`` was broadcast along."""
    sg, st = g._shape, t._shape
    if sg is not None and st is not None and None not in sg and None not in st:
        if sg == st:
            return g
        lead = len(sg) - len(st)
        axes = list(builtins.range(lead)) + [lead + i for i, d in enumerate(st[:-2])
                                    if d == 1 and sg[lead + i] != 1]
        return reshape(reduce_sum(g, axes), list(st))
    rx, _ = builders.broadcast_gradient_args(shape(t)[:-2], shape(g)[:-2])
    return reshape(reduce_sum(g, rx), shape(t))


# -- add_n, argmax, range ----------------------------------------------------------------------------
def add_n(inputs: Sequence[Any], name: str | None = None) -> Tensor:
    """``tf.add_n``: op ``AddN`` (one input: it is returned, TF's shortcut)."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices with "
                         "the same dtype and shape.")
    graph = check_same_graph(list(inputs))
    xs = [convert_to_tensor(v) for v in inputs]
    if len(xs) == 1:
        return builders.identity(xs[0], name=name) if name else xs[0]
    if any(x._dtype is not xs[0]._dtype for x in xs):
        raise TypeError("Tensors in list passed to 'inputs' of 'AddN' Op have types "
                        f"[{', '.join(x._dtype.name for x in xs)}] that don't all match.")
    full = graph._op_name(name, "AddN")
    shape_: Dims = None
    for x in xs:
        if x._shape is not None:
            shape_ = x._shape if shape_ is None else tuple(
                p if p is not None else q for p, q in zip(shape_, x._shape))
    return _out(make_op(graph, full, "AddN", xs, {"N": len(xs), "T": xs[0]._dtype},
                        [(xs[0]._dtype, shape_)]))


@register_kernel("AddN")
def _add_n_kernel(op: Operation) -> Callable[..., Any]:
    def add_n_(*xs: np.ndarray) -> np.ndarray:
        out = np.add(xs[0], xs[1])
        for x in xs[2:]:
            np.add(out, x, out=out)
        return out  # type: ignore[no-any-return]
    return add_n_


@RegisterGradient("AddN")
def _add_n_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    return [grad] * len(op._inputs)


def _arg(op_type: str, input: Any, axis: Any, name: str | None, dimension: Any,
         output_type: Any) -> Tensor:
    if dimension is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dimension'")
        axis = dimension
    if axis is None:
        axis = 0
    graph = check_same_graph(input, axis)
    full = graph._op_name(name, op_type)
    out_dt = _int64 if output_type is None else _dtypes.as_dtype(output_type)
    with scope_of(graph, full):
        x = first_input(input, "input")
        a = convert_to_tensor(axis, dtype_hint=_int32, name="dimension")
    av = constant_value(a)
    out: Dims = None
    if x._shape is not None:
        if av is None:
            out = (None,) * (len(x._shape) - 1)
        else:
            ax = int(av) % len(x._shape)
            out = x._shape[:ax] + x._shape[ax + 1:]
    return _out(make_op(graph, full, op_type, [x, a], {"T": x._dtype, "Tidx": a._dtype,
                                                       "output_type": out_dt},
                        [(out_dt, out)]))


def argmax(input: Any, axis: Any = None, name: str | None = None, dimension: Any = None,
           output_type: Any = None) -> Tensor:
    """``tf.argmax`` (TF1: axis defaults to 0): op ``ArgMax``."""
    return _arg("ArgMax", input, axis, name, dimension, output_type)


def argmin(input: Any, axis: Any = None, name: str | None = None, dimension: Any = None,
           output_type: Any = None) -> Tensor:
    """``tf.argmin``: op ``ArgMin``."""
    return _arg("ArgMin", input, axis, name, dimension, output_type)


@register_kernel("ArgMax")
def _argmax_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["output_type"]._np
    return lambda x, a: np.asarray(np.argmax(x, axis=int(a))).astype(dt)


@register_kernel("ArgMin")
def _argmin_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["output_type"]._np
    return lambda x, a: np.asarray(np.argmin(x, axis=int(a))).astype(dt)


NotDifferentiable("ArgMax")
NotDifferentiable("ArgMin")


def range(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None,
          name: str = "range") -> Tensor:
    """``tf.range``: op ``range`` (``Range``)."""
    if limit is None:
        start, limit = 0, start
    graph = check_same_graph(start, limit, delta)
    full = graph._op_name(name, "range")
    with scope_of(graph, full):
        dt = None if dtype is None else _dtypes.as_dtype(dtype)
        ts = [convert_to_tensor(v, dtype=dt, name=n) for v, n in
              ((start, "start"), (limit, "limit"), (delta, "delta"))]
        if dt is None:
            order = [_int32, _int64, _dtypes.float32, _dtypes.float64]
            best = max((t._dtype for t in ts), key=lambda d: order.index(d) if d in order else 0)
            ts = [t if t._dtype is best else cast(t, best) for t in ts]
            dt = best
    vals = [constant_value(t) for t in ts]
    n: int | None = None
    if all(v is not None for v in vals):
        n = len(np.arange(*(v.item() for v in vals)))  # type: ignore[union-attr]
    return _out(make_op(graph, full, "Range", ts, {"Tidx": dt}, [(dt, (n,))]))


@register_kernel("Range")
def _range_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["Tidx"]._np
    return lambda s, lim, d: np.arange(s, lim, d, dtype=dt)


NotDifferentiable("Range")


# -- cumulative ops, segment sums -------------------------------------------------------------------
def _cum(op_type: str, x: Any, axis: Any, exclusive: bool, reverse: bool,
         name: str | None) -> Tensor:
    graph = check_same_graph(x, axis)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        t = first_input(x, "x")
        a = convert_to_tensor(axis, dtype_hint=_int32, name="axis")
    return _out(make_op(graph, full, op_type, [t, a], {"T": t._dtype, "Tidx": a._dtype,
                                                       "exclusive": exclusive,
                                                       "reverse": reverse},
                        [(t._dtype, t._shape)]))


def cumsum(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
           name: str | None = None) -> Tensor:
    return _cum("Cumsum", x, axis, exclusive, reverse, name)


def cumprod(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
            name: str | None = None) -> Tensor:
    return _cum("Cumprod", x, axis, exclusive, reverse, name)


def _cum_kernel(fn: Any, ident: int) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        excl = op._attrs["exclusive"]
        rev = op._attrs["reverse"]

        def cum(x: np.ndarray, a: Any) -> np.ndarray:
            ax = int(a)
            v = np.flip(x, ax) if rev else x
            out = fn(v, axis=ax, dtype=x.dtype)
            if excl:
                out = np.concatenate([np.full_like(np.take(out, [0], axis=ax), ident),
                                      np.take(out, np.arange(out.shape[ax] - 1), axis=ax)],
                                     axis=ax)
            return np.ascontiguousarray(np.flip(out, ax) if rev else out)
        return cum
    return factory


register_kernel("Cumsum")(_cum_kernel(np.cumsum, 0))
register_kernel("Cumprod")(_cum_kernel(np.cumprod, 1))


@RegisterGradient("Cumsum")
def _cumsum_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [cumsum(grad, op._inputs[1], exclusive=op._attrs["exclusive"],
                   reverse=not op._attrs["reverse"]), None]


def unsorted_segment_sum(data: Any, segment_ids: Any, num_segments: Any,
                         name: str | None = None) -> Tensor:
    graph = check_same_graph(data, segment_ids, num_segments)
    full = graph._op_name(name, "UnsortedSegmentSum")
    with scope_of(graph, full):
        d = first_input(data, "data")
        s = convert_to_tensor(segment_ids, name="segment_ids")
        n = convert_to_tensor(num_segments, dtype_hint=_int32, name="num_segments")
    nv = constant_value(n)
    out: Dims = None
    if d._shape is not None and s._shape is not None:
        out = (None if nv is None else int(nv), *d._shape[len(s._shape):])
    return _out(make_op(graph, full, "UnsortedSegmentSum", [d, s, n],
                        {"T": d._dtype, "Tindices": s._dtype, "Tnumsegments": n._dtype},
                        [(d._dtype, out)]))


@register_kernel("UnsortedSegmentSum")
def _uss_kernel(op: Operation) -> Callable[..., Any]:
    def uss(d: np.ndarray, s: np.ndarray, n: Any) -> np.ndarray:
        out = np.zeros((int(n), *d.shape[s.ndim:]), dtype=d.dtype)
        np.add.at(out, s.reshape(-1), d.reshape((-1, *d.shape[s.ndim:])))
        return out
    return uss


@RegisterGradient("UnsortedSegmentSum")
def _uss_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [gather(grad, op._inputs[1]), None, None]


# -- gradients of array ops that are sums -----------------------------------------------------------
@RegisterGradient("GatherV2")
def _gather_grad(op: Operation, grad: Tensor) -> list[Any]:
    params, indices, axis = op._inputs
    av = constant_value(axis)
    if av is None or int(av) != 0:
        raise LookupError("varstore's GatherV2 gradient supports axis=0")
    flat_idx = reshape(indices, [-1])
    p = params._shape
    inner = list(p[1:]) if p is not None and None not in p[1:] else None
    if inner is not None:
        values = reshape(grad, [-1, *inner])
    else:
        values = reshape(grad, builders.concat([[-1], shape(params)[1:]], 0))
    n = p[0] if p is not None and p[0] is not None else shape(params)[0]
    return [unsorted_segment_sum(values, flat_idx, n), None, None]


@RegisterGradient("Tile")
def _tile_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, m = op._inputs
    mv = constant_value(m)
    dims = x._shape
    if mv is None or dims is None or None in dims:
        raise LookupError("varstore's Tile gradient needs static shapes and multiples")
    split = []
    for k, d in zip(mv.reshape(-1).tolist(), dims):
        split += [int(k), d]
    g = reshape(grad, split)
    return [reduce_sum(g, list(np.arange(0, len(split), 2))), None]


@RegisterGradient("BroadcastTo")
def _broadcast_to_grad(op: Operation, grad: Tensor) -> list[Any]:
    x = op._inputs[0]
    sx, sg = x._shape, grad._shape
    if sx is not None and sg is not None and None not in sx and None not in sg:
        from varstore.ops.array_slicing_ops import broadcast_reduction_axes

        rx, _ = broadcast_reduction_axes(sx, sg)  # type: ignore[arg-type]
        g = reduce_sum(grad, rx, keepdims=False) if rx else grad
        return [reshape(g, list(sx)), None]
    rx, _ = builders.broadcast_gradient_args(shape(x), op._inputs[1])
    return [reshape(reduce_sum(grad, rx), shape(x)), None]


# -- clipping ---------------------------------------------------------------------------------------
def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any,
                  name: str | None = None) -> Tensor:
    """``tf.clip_by_value``: Minimum then Maximum, under ``clip_by_value``."""
    graph = check_same_graph(t, clip_value_min, clip_value_max)
    full = graph._op_name(name, "clip_by_value")
    with scope_of(graph, full):
        x = convert_to_tensor(t, name="t")
        lo = typed_input(clip_value_min, x._dtype, "Maximum", "y", "x")
        hi = typed_input(clip_value_max, x._dtype, "Minimum", "y", "x")
        m = builders.minimum(x, hi)
    return builders.maximum(m, lo, name=full + "/")  # type: ignore[no-any-return]


def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None, name: str | None = None) -> Tensor:
    """``tf.clip_by_norm``: t * clip_norm / max(l2norm(t), clip_norm)."""
    graph = check_same_graph(t, clip_norm)
    full = graph._op_name(name, "clip_by_norm")
    with scope_of(graph, full):
        x = convert_to_tensor(t, name="t")
        l2sum = reduce_sum(multiply(x, x), axes, keepdims=True)
        pred = builders.greater(l2sum, 0)
        l2sum_safe = builders.where(pred, l2sum, builders.ones_like(l2sum))
        l2norm = builders.where(pred, sqrt(l2sum_safe), l2sum)
        cn = convert_to_tensor(clip_norm, dtype=x._dtype)
        intermediate = multiply(x, cn)
        values_clip = builders.identity(truediv(intermediate, maximum(l2norm, cn)))
    del values_clip
    return builders.identity(truediv(intermediate, maximum(l2norm, cn)), name=full + "/")  # type: ignore[no-any-return]


def global_norm(t_list: Sequence[Any], name: str | None = None) -> Tensor:
    """``tf.linalg.global_norm``: sqrt(sum of l2_loss * 2) over the non-None tensors."""
    graph = check_same_graph(list(t_list))
    full = graph._op_name(name, "global_norm")
    with scope_of(graph, full):
        ts = [convert_to_tensor(t) for t in t_list if t is not None]
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
        cn = convert_to_tensor(clip_norm, dtype=norm._dtype, name="clip_norm")
        one = convert_to_tensor(1.0, dtype=norm._dtype)
        scale = multiply(cn, builders.minimum(realdiv(one, norm), realdiv(one, cn)))
        out: list[Any] = []
        for t in t_list:
            if t is None:
                out.append(None)
                continue
            x = convert_to_tensor(t)
            out.append(builders.identity(multiply(x, cast(scale, x._dtype))))
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




# -- tensordot ------------------------------------------------------------------------------------
def _tensordot_reshape(a: Tensor, axes: list[int], flipped: bool = False
                       ) -> tuple[Tensor, Any, Any]:
    """TF's _tensordot_reshape: ``a`` as a matrix (free dims x contracted dims)."""
    dims = a._shape
    if dims is not None and None not in dims:
        shape_a = list(dims)
        axes = [i if i >= 0 else i + len(shape_a) for i in axes]
        free = [i for i in builtins.range(len(shape_a)) if i not in axes]
        free_dims = [shape_a[i] for i in free]
        prod_free = math.prod(free_dims)  # type: ignore[arg-type]
        prod_axes = math.prod([shape_a[i] for i in axes])  # type: ignore[misc]
        perm = list(axes) + free if flipped else free + list(axes)
        new_shape = [prod_axes, prod_free] if flipped else [prod_free, prod_axes]
        a_trans = builders.transpose(a, perm) if perm != list(builtins.range(len(shape_a))) else a
        reshaped = reshape(a_trans, new_shape) if list(a_trans._shape or ()) != new_shape \
            else a_trans
        return reshaped, free_dims, free_dims
    if dims is None:
        raise ValueError("varstore's tensordot needs tensors of known rank")
    shape_l = list(dims)
    axes = [i if i >= 0 else i + len(shape_l) for i in axes]
    free_l = [i for i in builtins.range(len(shape_l)) if i not in axes]
    free_static = [shape_l[i] for i in free_l]
    axes_t = convert_to_tensor(np.array(axes, dtype=np.int32), name="axes")
    free_t = convert_to_tensor(np.array(free_l, dtype=np.int32), name="free")
    shape_t = shape(a)
    free_dims_t = gather(shape_t, free_t)
    axes_dims_t = gather(shape_t, axes_t)
    prod_free_t = reduce_prod(free_dims_t)
    prod_axes_t = reduce_prod(axes_dims_t)
    if flipped:
        perm_t = builders.concat([axes_t, free_t], 0)
        new_shape_t = builders.stack([prod_axes_t, prod_free_t])
    else:
        perm_t = builders.concat([free_t, axes_t], 0)
        new_shape_t = builders.stack([prod_free_t, prod_axes_t])
    return reshape(builders.transpose(a, perm_t), new_shape_t), free_dims_t, free_static


def tensordot(a: Any, b: Any, axes: Any, name: str | None = None) -> Tensor:
    """``tf.tensordot`` with axes an int or a pair of axis lists (TF's static-shape path:
    transpose, reshape, one MatMul, reshape; the dynamic one with Shape/GatherV2/Prod)."""
    graph = check_same_graph(a, b)
    full = graph._op_name(name, "Tensordot")
    with scope_of(graph, full):
        ta = convert_to_tensor(a, name="a")
        tb = convert_to_tensor(b, name="b")
        if isinstance(axes, (int, np.integer)):
            n = int(axes)
            ra = len(ta._shape) if ta._shape is not None else None
            if ra is None:
                raise ValueError("tensordot with an int axes needs a known rank")
            a_axes, b_axes = list(builtins.range(ra - n, ra)), list(builtins.range(n))
        else:
            a_axes, b_axes = ([int(v) for v in np.atleast_1d(x)] for x in axes)
        a_r, a_free, a_static = _tensordot_reshape(ta, a_axes)
        b_r, b_free, b_static = _tensordot_reshape(tb, b_axes, True)
        ab = matmul(a_r, b_r)
        if isinstance(a_free, list) and isinstance(b_free, list):
            if ab._shape is not None and None not in ab._shape and \
                    list(ab._shape) == a_free + b_free:
                return ab
            return reshape(ab, a_free + b_free, name=full + "/")
        a_free_t = convert_to_tensor(a_free, dtype=_int32)
        b_free_t = convert_to_tensor(b_free, dtype=_int32)
        product = reshape(ab, builders.concat([a_free_t, b_free_t], 0), name=full + "/")
        if a_static is not None and b_static is not None:
            product.set_shape(list(a_static) + list(b_static))
        return product


builders.register(globals(), [*__all__, "reduced_shape"])
builders.matmul_node = _matmul_node
