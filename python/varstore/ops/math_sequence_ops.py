"""Math ops over sequences of values: add_n (AddN), argmax / argmin, range, cumulative sums and
products (Cumsum, Cumprod), segment sums, each with its shape inference, kernel and gradient
(TF's math_ops)."""

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
    evaluate_constant,
)
from varstore.framework.op_def_library import (
    check_same_graph,
    first_input,
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
from varstore.ops.array_slicing_ops import gather
from varstore.ops.list_ops import TensorListValue
from varstore.ops.math_ops import check_opdef_type
from varstore.ops.math_reduce_ops import _out
from varstore.ops.math_unary_ops import cast

__all__ = [
    "add_n",
    "arg_max",
    "arg_min",
    "argmax",
    "argmin",
    "cumprod",
    "cumsum",
    "range",
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
    check_opdef_type("AddN", xs[0]._dtype)
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
    def add_n_(*xs: Any) -> Any:
        lists: list[TensorListValue] = [x for x in xs if isinstance(x, TensorListValue)]
        if lists:
            # gradient TensorLists (variants): summed item by item, not wrapped in an
            # object array; a zero (ZerosLike of a list) adds nothing
            total = lists[0]
            for lst in lists[1:]:
                total = total + lst
            return total
        # np.add of two 0-d arrays gives a NumPy scalar, which cannot be an out= target
        out = np.asarray(np.add(xs[0], xs[1]))
        for x in xs[2:]:
            np.add(out, x, out=out)
        return out
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
    check_opdef_type(op_type, x._dtype)
    check_opdef_type(op_type, a._dtype, "Tidx")
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


def arg_max(input: Any, dimension: Any, output_type: Any = _int64, name: str | None = None
            ) -> Tensor:
    """TF1's ``tf.arg_max`` (gen_math_ops.arg_max): op ``ArgMax``, the axis spelt
    ``dimension`` and required."""
    return _arg("ArgMax", input, dimension, name, None, output_type)


def arg_min(input: Any, dimension: Any, output_type: Any = _int64, name: str | None = None
            ) -> Tensor:
    """TF1's ``tf.arg_min``: op ``ArgMin``."""
    return _arg("ArgMin", input, dimension, name, None, output_type)


def _arg_kernel(op: Operation, fn: Any, nan_as: float) -> Callable[..., Any]:
    dt = op._attrs["output_type"]._np

    def arg(x: np.ndarray, a: Any) -> np.ndarray:
        axis = int(a)
        if x.shape[axis] == 0:
            raise InvalidArgumentError(None, None, f"Reduction axis {axis} is empty in shape "
                                       f"{shape_str(x.shape)}")
        if x.dtype.kind == "f":
            # TF's arg-max/min skips NaN (the first index of the extreme of the other values,
            # 0 when all are NaN); NumPy's picks the first NaN
            x = np.where(np.isnan(x), x.dtype.type(nan_as), x)
        return np.asarray(fn(x, axis=axis)).astype(dt)

    return arg


@register_kernel("ArgMax")
def _argmax_kernel(op: Operation) -> Callable[..., Any]:
    return _arg_kernel(op, np.argmax, -np.inf)


@register_kernel("ArgMin")
def _argmin_kernel(op: Operation) -> Callable[..., Any]:
    return _arg_kernel(op, np.argmin, np.inf)


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
        # a Tensor argument keeps its dtype and is cast to ``dtype`` (TF's range: int32
        # tf.constant(4) with dtype=int64 is range/Cast, not a conversion error)
        ts = [v if isinstance(v, Tensor) else convert_to_tensor(v, dtype=dt, name=n)
              for v, n in ((start, "start"), (limit, "limit"), (delta, "delta"))]
        if dt is None:
            order = [_int32, _int64, _dtypes.float16, _dtypes.float32, _dtypes.float64]
            dt = max((t._dtype for t in ts), key=lambda d: order.index(d) if d in order else 0)
        ts = [t if t._dtype is dt else cast(t, dt) for t in ts]
    # TF's shape function sees small constant subgraphs evaluated (kaiser_window's bounds)
    vals = [evaluate_constant(t) for t in ts]
    n: int | None = None
    if all(v is not None for v in vals):
        s, lim, d = (v.item() for v in vals)  # type: ignore[union-attr]
        bad = _range_error(s, lim, d)
        if bad:
            shown = ", ".join(f"input[{i}] = <{_num(v)}>" for i, v in enumerate((s, lim, d)))
            raise node_error(bad, full, "Range", f"Tidx={dt_enum(dt)}", ts,
                             f" and with computed input tensors: {shown}")
        n = len(np.arange(s, lim, d))
    return _out(make_op(graph, full, "Range", ts, {"Tidx": dt}, [(dt, (n,))]))


def _num(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _range_error(start: Any, limit: Any, delta: Any) -> str:
    """TF's RangeOp checks (shape function and kernel alike): an empty range in the wrong
    direction is an error, not an empty result."""
    if delta == 0:
        return "Requires delta != 0"
    if delta > 0 and start > limit:
        return f"Requires start <= limit when delta > 0: {_num(start)}/{_num(limit)}"
    if delta < 0 and start < limit:
        return f"Requires start >= limit when delta < 0: {_num(start)}/{_num(limit)}"
    return ""


@register_kernel("Range")
def _range_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["Tidx"]._np

    def range_(s: np.ndarray, lim: np.ndarray, d: np.ndarray) -> np.ndarray:
        bad = _range_error(s.item(), lim.item(), d.item())
        if bad:
            # the kernel's message also shows the zero delta (the shape function's does not)
            raise InvalidArgumentError(None, op, bad + (f": {_num(d.item())}"
                                                        if d.item() == 0 else ""))
        return np.arange(s.item(), lim.item(), d.item(), dtype=dt)

    return range_


NotDifferentiable("Range")


def _fold_range(t: Tensor) -> np.ndarray | None:
    vals = [constant_value(i) for i in t._op._inputs]
    if any(v is None for v in vals):
        return None
    return np.arange(*(v.item() for v in vals), dtype=t._dtype._np)  # type: ignore[union-attr]


CONSTANT_FOLDERS["Range"] = _fold_range


# -- cumulative ops, segment sums -------------------------------------------------------------------
def _cum(op_type: str, x: Any, axis: Any, exclusive: bool, reverse: bool,
         name: str | None) -> Tensor:
    graph = check_same_graph(x, axis)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        t = first_input(x, "x")
        a = convert_index(axis, name="axis")
    check_opdef_type(op_type, t._dtype)
    check_opdef_type(op_type, a._dtype, "Tidx")
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
            # TF's ScanOp checks: a scalar axis in [-rank, rank) (its message shows the axis
            # after adding the rank to a negative one)
            if np.ndim(a) != 0:
                raise InvalidArgumentError(None, None, "ScanOp: axis must be a scalar, not "
                                           f"{shape_str(np.shape(a))}")
            ax = int(a) + x.ndim if int(a) < 0 else int(a)
            if not 0 <= ax < x.ndim:
                raise InvalidArgumentError(None, None, "ScanOp: Expected scan axis in the "
                                           f"range [{-x.ndim}, {x.ndim}), but got {ax}")
            if x.shape[ax] == 0:
                return np.array(x, copy=True)
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


@RegisterGradient("Cumprod")
def _cumprod_grad(op: Operation, grad: Tensor) -> list[Any]:
    # TF's _CumprodGrad: cumsum(cumprod(x) * grad) reversed, over x (0 where x is 0)
    x, axis = op._inputs
    exclusive, reverse = op._attrs["exclusive"], op._attrs["reverse"]
    prod = cumprod(x, axis, exclusive=exclusive, reverse=reverse)
    out = cumsum(prod * grad, axis, exclusive=exclusive, reverse=not reverse)
    return [builders.div_no_nan(out, x), None]


def unsorted_segment_sum(data: Any, segment_ids: Any, num_segments: Any,
                         name: str | None = None) -> Tensor:
    graph = check_same_graph(data, segment_ids, num_segments)
    full = graph._op_name(name, "UnsortedSegmentSum")
    with scope_of(graph, full):
        d = first_input(data, "data")
        s = convert_to_tensor(segment_ids, name="segment_ids")
        n = convert_index(num_segments, name="num_segments")
    nv = constant_value(n)
    out: Dims = None
    if d._shape is not None and s._shape is not None:
        out = (None if nv is None else int(nv), *d._shape[len(s._shape):])
    return _out(make_op(graph, full, "UnsortedSegmentSum", [d, s, n],
                        {"T": d._dtype, "Tindices": s._dtype, "Tnumsegments": n._dtype},
                        [(d._dtype, out)]))


def check_unsorted_ids(s: np.ndarray, n: int) -> np.ndarray:
    """TF's UnsortedSegmentReduction checks: a non-negative count, every id below it (TF names
    the first bad one by its full index); the mask of the ids kept (negative ones dropped)."""
    if n < 0:
        raise InvalidArgumentError(None, None, f"Input num_segments == {n} must not be "
                                   "negative.")
    flat = s.reshape(-1)
    if flat.size and flat.max() >= n:
        at = int(np.argmax(flat >= n))
        where = ",".join(str(int(i)) for i in np.unravel_index(at, s.shape))
        raise InvalidArgumentError(None, None, f"segment_ids[{where}] = {int(flat[at])} is out "
                                   f"of range [0, {n})")
    return flat >= 0


@register_kernel("UnsortedSegmentSum")
def _uss_kernel(op: Operation) -> Callable[..., Any]:
    def uss(d: np.ndarray, s: np.ndarray, n: Any) -> np.ndarray:
        keep = check_unsorted_ids(s, int(n))
        out = np.zeros((int(n), *d.shape[s.ndim:]), dtype=d.dtype)
        rows = d.reshape((s.size, *d.shape[s.ndim:]))  # (-1 fails for empty rows)
        np.add.at(out, s.reshape(-1)[keep], rows[keep])
        return out
    return uss


@RegisterGradient("UnsortedSegmentSum")
def _uss_grad(op: Operation, grad: Tensor) -> list[Any]:
    # TF's _GatherDropNegatives: a negative (dropped) id's rows get a zero gradient
    ids = op._inputs[1]
    zero = builders.zeros_like(ids)
    gathered = gather(grad, builders.maximum(ids, zero))
    is_positive = builders.greater_equal(ids, builders.zeros_like(ids))
    extra = builders.subtract(builders.rank(gathered), builders.rank(is_positive))
    bshape = builders.concat([builders.shape(is_positive),
                              builders.fill(builders.reshape(extra, [1]), 1)], 0)
    is_positive = builders.logical_and(builders.reshape(is_positive, bshape),
                                       builders.ones_like(gathered, dtype=_dtypes.bool))
    return [builders.where_v2(is_positive, gathered, builders.zeros_like(gathered)), None, None]

builders.register(globals(), __all__)
