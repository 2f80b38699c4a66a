"""Segment reductions (SegmentSum/Mean/Max/Min/Prod over sorted ids, UnsortedSegmentMax/Min/
Prod, the unsorted_segment_mean / sqrt_n composites) and counting ops (DenseBincount,
HistogramFixedWidth), with TF's shape rules, kernels and gradients (math_grad.py).

UnsortedSegmentSum is in math_sequence_ops.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant_value, convert_index, convert_to_tensor
from varstore.framework.graph import name_scope
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
from varstore.ops.array_slicing_ops import gather
from varstore.ops.check_ops import Assert
from varstore.ops.math_ops import equal, greater_equal, maximum, multiply, realdiv
from varstore.ops.math_sequence_ops import check_unsorted_ids, unsorted_segment_sum
from varstore.ops.math_unary_ops import cast, sqrt

__all__ = [
    "bincount",
    "histogram_fixed_width",
    "histogram_fixed_width_bins",
    "segment_max",
    "segment_mean",
    "segment_min",
    "segment_prod",
    "segment_sum",
    "unsorted_segment_max",
    "unsorted_segment_mean",
    "unsorted_segment_min",
    "unsorted_segment_prod",
    "unsorted_segment_sqrt_n",
]

Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32
_INT64_MAX = 2**63 - 1
_INDEX_TYPES = "int32, int64"
_REAL_NUMBER_TYPES = ("float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, "
                      "float16, uint32, uint64")
_NUMBER_TYPES = ("float32, float64, int32, uint8, int16, int8, complex64, int64, qint8, quint8, "
                 "qint32, bfloat16, qint16, quint16, uint16, complex128, float16, uint32, uint64")


def _segment(op_type: str, data: Any, segment_ids: Any, name: str | None,
             allowed: str) -> Tensor:
    graph = check_same_graph(data, segment_ids)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        d = first_input(data, "data")
        s = convert_index(segment_ids, name="segment_ids", default=None)
    check_allowed(d._dtype, allowed, "data")
    check_allowed(s._dtype, _INDEX_TYPES, "segment_ids")
    text = f"T={dt_enum(d._dtype)}, Tindices={dt_enum(s._dtype)}"
    if d._shape is not None and not d._shape:
        raise node_error("Shape must be at least rank 1 but is rank 0", full, op_type, text,
                         [d, s])
    if s._shape is not None and len(s._shape) != 1:
        raise node_error(f"Shape must be rank 1 but is rank {len(s._shape)}", full, op_type,
                         text, [d, s])
    out: Dims = None if d._shape is None else (None, *d._shape[1:])
    return make_op(graph, full, op_type, [d, s], {"T": d._dtype, "Tindices": s._dtype},
                   [(d._dtype, out)])._outputs[0]


def segment_sum(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    """``tf.math.segment_sum``: op ``SegmentSum`` (ids sorted)."""
    return _segment("SegmentSum", data, segment_ids, name, _NUMBER_TYPES)


def segment_mean(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    return _segment("SegmentMean", data, segment_ids, name, _NUMBER_TYPES)


def segment_max(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    return _segment("SegmentMax", data, segment_ids, name, _REAL_NUMBER_TYPES)


def segment_min(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    return _segment("SegmentMin", data, segment_ids, name, _REAL_NUMBER_TYPES)


def segment_prod(data: Any, segment_ids: Any, name: str | None = None) -> Tensor:
    return _segment("SegmentProd", data, segment_ids, name, _NUMBER_TYPES)


def _unsorted(op_type: str, data: Any, segment_ids: Any, num_segments: Any, name: str | None,
              allowed: str) -> Tensor:
    graph = check_same_graph(data, segment_ids, num_segments)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        d = first_input(data, "data")
        s = convert_index(segment_ids, name="segment_ids", default=None)
        n = convert_index(num_segments, name="num_segments")
    check_allowed(d._dtype, allowed, "data")
    check_allowed(s._dtype, _INDEX_TYPES, "segment_ids")
    nv = constant_value(n)
    out: Dims = None
    if d._shape is not None and s._shape is not None:
        out = (None if nv is None else int(nv), *d._shape[len(s._shape):])
    return make_op(graph, full, op_type, [d, s, n],
                   {"T": d._dtype, "Tindices": s._dtype, "Tnumsegments": n._dtype},
                   [(d._dtype, out)])._outputs[0]


def unsorted_segment_max(data: Any, segment_ids: Any, num_segments: Any,
                         name: str | None = None) -> Tensor:
    return _unsorted("UnsortedSegmentMax", data, segment_ids, num_segments, name,
                     _REAL_NUMBER_TYPES)


def unsorted_segment_min(data: Any, segment_ids: Any, num_segments: Any,
                         name: str | None = None) -> Tensor:
    return _unsorted("UnsortedSegmentMin", data, segment_ids, num_segments, name,
                     _REAL_NUMBER_TYPES)


def unsorted_segment_prod(data: Any, segment_ids: Any, num_segments: Any,
                          name: str | None = None) -> Tensor:
    return _unsorted("UnsortedSegmentProd", data, segment_ids, num_segments, name,
                     _NUMBER_TYPES)


def _segment_counts(d: Tensor, s: Tensor, num_segments: Any) -> Tensor:
    """TF's _unsorted_segment_N: the count of each segment, at least 1, shaped to broadcast
    against the segment sums."""
    ones = builders.ones(builders.shape(s), dtype=d._dtype)
    n = unsorted_segment_sum(ones, s, num_segments)
    if d._shape is not None and s._shape is not None:
        extra = len(d._shape) - len(s._shape)
        n = builders.reshape(n, [-1] + [1] * extra)
    return maximum(n, convert_to_tensor(1, dtype=d._dtype))


def unsorted_segment_mean(data: Any, segment_ids: Any, num_segments: Any,
                          name: str | None = None) -> Tensor:
    """``tf.math.unsorted_segment_mean``: the segment sums over the segment counts, under
    ``UnsortedSegmentMean``."""
    graph = check_same_graph(data, segment_ids, num_segments)
    full = graph._op_name(name, "UnsortedSegmentMean")
    with scope_of(graph, full):
        d = convert_to_tensor(data, name="data")
        s = convert_to_tensor(segment_ids, name="segment_ids")
        n = _segment_counts(d, s, num_segments)
        return realdiv(unsorted_segment_sum(d, s, num_segments), n, name="truediv")


def unsorted_segment_sqrt_n(data: Any, segment_ids: Any, num_segments: Any,
                            name: str | None = None) -> Tensor:
    """``tf.math.unsorted_segment_sqrt_n``: the segment sums over sqrt(count)."""
    graph = check_same_graph(data, segment_ids, num_segments)
    full = graph._op_name(name, "UnsortedSegmentSqrtN")
    with scope_of(graph, full):
        d = convert_to_tensor(data, name="data")
        s = convert_to_tensor(segment_ids, name="segment_ids")
        n = _segment_counts(d, s, num_segments)
        return realdiv(unsorted_segment_sum(d, s, num_segments), sqrt(n), name="truediv")


# -- kernels ----------------------------------------------------------------------------------------
def _lowest(dt: np.dtype[Any]) -> Any:
    return np.finfo(dt).min if dt.kind == "f" else np.iinfo(dt).min


def _highest(dt: np.dtype[Any]) -> Any:
    return np.finfo(dt).max if dt.kind == "f" else np.iinfo(dt).max


_REDUCERS: dict[str, tuple[Any, Callable[[np.dtype[Any]], Any]]] = {
    "Sum": (np.add, lambda dt: 0), "Mean": (np.add, lambda dt: 0),
    "Max": (np.maximum, _lowest), "Min": (np.minimum, _highest),
    "Prod": (np.multiply, lambda dt: 1),
}


def _reduce_segments(kind: str, d: np.ndarray, ids: np.ndarray, n: int) -> np.ndarray:
    ufunc, init = _REDUCERS[kind]
    rows = d.reshape((ids.size, *d.shape[ids.ndim:]))  # (-1 fails for empty rows)
    flat = ids.reshape(-1)
    keep = check_unsorted_ids(ids, n)  # unsorted ops drop negative ids, as TF does
    out = np.full((n, *rows.shape[1:]), init(d.dtype), dtype=d.dtype)
    ufunc.at(out, flat[keep], rows[keep])
    if kind == "Mean":
        counts = np.bincount(flat[keep], minlength=n).reshape((n,) + (1,) * (rows.ndim - 1))
        out = (out / np.maximum(counts, 1)).astype(d.dtype)
    return out


def _check_sorted_ids(d: np.ndarray, s: np.ndarray) -> int:
    """TF's SegmentReductionOp checks, in its order; the number of output rows."""
    if s.size != (d.shape[0] if d.ndim else 1):
        raise InvalidArgumentError(None, None, "segment_ids should be the same size as "
                                   "dimension 0 of input.")
    if not s.size:
        return 0
    n = int(s[-1]) + 1
    if n <= 0:
        raise InvalidArgumentError(None, None, "segment ids must be >= 0")
    _check_rows(n, d.shape[1:])
    # TF walks the runs of equal ids: before a run's rows are reduced, the next run's id
    # must be larger ("not increasing"), then the run's id must be a row of the output
    starts = np.concatenate([[0], np.flatnonzero(np.diff(s)) + 1])
    v = s[starts].astype(np.int64)
    bad_order = np.concatenate([v[:-1] >= v[1:], [False]])
    bad_range = (v < 0) | (v >= n)
    bad = np.flatnonzero(bad_order | bad_range)
    if bad.size:
        k = int(bad[0])
        if bad_order[k]:
            raise InvalidArgumentError(None, None, "segment ids are not increasing")
        raise InvalidArgumentError(None, None, f"Segment id {int(v[k])} out of range [0, {n}), "
                                   "possibly because 'segment_ids' input is not sorted.")
    return n


def _check_rows(n: int, inner: tuple[int, ...]) -> None:
    """TF's TensorShape overflow check for an output of ``n`` rows (the int64 product)."""
    total = n
    for dim in inner:
        if total * dim > _INT64_MAX:
            wrapped = (total * dim + 2**63) % 2**64 - 2**63
            raise InvalidArgumentError(None, None, f"Encountered overflow when multiplying "
                                       f"{total} with {dim}, result: {wrapped}")
        total *= dim


def _sorted_kernel(kind: str) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        def kernel(d: np.ndarray, s: np.ndarray) -> np.ndarray:
            n = _check_sorted_ids(d, s)
            out = _reduce_segments(kind, d, s, n)
            if kind in ("Max", "Min"):
                # sorted segment max/min give 0 for an empty segment (unsorted: the extreme)
                present = np.zeros(n, dtype=bool)
                present[s] = True
                out[~present] = 0
            return out
        return kernel
    return factory


def _unsorted_kernel(kind: str) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        return lambda d, s, n: _reduce_segments(kind, d, s, int(n))
    return factory


for _k in ("Sum", "Mean", "Max", "Min", "Prod"):
    register_kernel("Segment" + _k)(_sorted_kernel(_k))
for _k in ("Max", "Min", "Prod"):
    register_kernel("UnsortedSegment" + _k)(_unsorted_kernel(_k))


# -- gradients --------------------------------------------------------------------------------------
def _gather_drop_negatives(params: Tensor, ids: Tensor) -> tuple[Tensor, Tensor]:
    """TF's _GatherDropNegatives: gather with negative ids giving zeros; also the mask."""
    zero_clipped = maximum(ids, builders.zeros_like(ids))
    gathered = gather(params, zero_clipped)
    is_positive = greater_equal(ids, builders.zeros_like(ids))
    # reshaped to broadcast over the slices each id gathers
    extra = builders.subtract(builders.rank(gathered), builders.rank(is_positive))
    bshape = builders.concat([builders.shape(is_positive),
                              builders.fill(builders.reshape(extra, [1]), 1)], 0)
    is_positive = builders.logical_and(builders.reshape(is_positive, bshape),
                                       builders.ones_like(gathered, dtype=_dtypes.bool))
    return builders.where_v2(is_positive, gathered, builders.zeros_like(gathered)), is_positive


@RegisterGradient("SegmentSum")
def _segment_sum_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [gather(grad, op._inputs[1]), None]


@RegisterGradient("SegmentMean")
def _segment_mean_grad(op: Operation, grad: Tensor) -> list[Any]:
    d, s = op._inputs
    ones = builders.ones_like(s, dtype=d._dtype)
    counts = segment_sum(ones, s)
    if d._shape is not None:
        counts = builders.reshape(counts, [-1] + [1] * (len(d._shape) - 1))
    return [gather(realdiv(grad, counts), s), None]


def _min_or_max_grad(op: Operation, grad: Tensor, sorted_: bool) -> list[Any]:
    d, s = op._inputs[0], op._inputs[1]
    zeros = builders.zeros_like(d)
    if sorted_:
        gathered = gather(op._outputs[0], s)
        is_selected = equal(d, gathered)
        num_selected = segment_sum(cast(is_selected, grad._dtype), s)
        weighted = builders.divide(grad, num_selected)
        return [builders.where(is_selected, gather(weighted, s), zeros), None]
    gathered, is_positive = _gather_drop_negatives(op._outputs[0], s)
    is_selected = builders.logical_and(equal(d, gathered), is_positive)
    num_selected = unsorted_segment_sum(cast(is_selected, grad._dtype), s, op._inputs[2])
    weighted = builders.divide(grad, num_selected)
    gathered_grads, _ = _gather_drop_negatives(weighted, s)
    return [builders.where(is_selected, gathered_grads, zeros), None, None]


@RegisterGradient("SegmentMax")
def _segment_max_grad(op: Operation, grad: Tensor) -> list[Any]:
    return _min_or_max_grad(op, grad, True)


@RegisterGradient("SegmentMin")
def _segment_min_grad(op: Operation, grad: Tensor) -> list[Any]:
    return _min_or_max_grad(op, grad, True)


@RegisterGradient("UnsortedSegmentMax")
def _unsorted_segment_max_grad(op: Operation, grad: Tensor) -> list[Any]:
    return _min_or_max_grad(op, grad, False)


@RegisterGradient("UnsortedSegmentMin")
def _unsorted_segment_min_grad(op: Operation, grad: Tensor) -> list[Any]:
    return _min_or_max_grad(op, grad, False)


def _prod_grad(op: Operation, grad: Tensor, sorted_: bool) -> list[Any]:
    """math_grad._UnsortedSegmentProdGrad: zeros are handled apart (a segment with one zero
    passes the product of the others to it, with two or more nothing)."""
    d, s = op._inputs[0], op._inputs[1]
    zero = convert_to_tensor(0, dtype=d._dtype)
    is_zero = equal(d, zero)
    nseg: Any = op._inputs[2] if not sorted_ else None

    def seg_sum(x: Tensor) -> Tensor:
        return segment_sum(x, s) if sorted_ else unsorted_segment_sum(x, s, nseg)

    def gath(x: Tensor) -> Tensor:
        return gather(x, s) if sorted_ else _gather_drop_negatives(x, s)[0]

    num_zeros = seg_sum(cast(is_zero, _int32))
    grad = builders.where(builders.greater(num_zeros, 1), builders.zeros_like(grad), grad)
    non_zero_data = builders.where(is_zero, builders.ones_like(d), d)
    non_zero_prod = segment_prod(non_zero_data, s) if sorted_ else \
        unsorted_segment_prod(non_zero_data, s, nseg)
    gathered_prod = gath(op._outputs[0])
    gathered_non_zero_prod = gath(non_zero_prod)
    prod_divided_by_el = realdiv(gathered_prod, non_zero_data)
    partial = builders.where(is_zero, gathered_non_zero_prod, prod_divided_by_el)
    out = multiply(gath(grad), partial)
    return [out, None] if sorted_ else [out, None, None]


@RegisterGradient("SegmentProd")
def _segment_prod_grad(op: Operation, grad: Tensor) -> list[Any]:
    return _prod_grad(op, grad, True)


@RegisterGradient("UnsortedSegmentProd")
def _unsorted_segment_prod_grad(op: Operation, grad: Tensor) -> list[Any]:
    return _prod_grad(op, grad, False)


# -- bincount, histogram_fixed_width ------------------------------------------------------------
def bincount(arr: Any, weights: Any = None, minlength: Any = None, maxlength: Any = None,
             dtype: Any = _int32, name: str | None = None) -> Tensor:
    """``tf.math.bincount`` (TF1's, no binary_output / axis): op ``DenseBincount`` under
    ``bincount``, built as TF's bincount_ops: the size is max(arr)+1 (0 for an empty arr) bounded
    by minlength / maxlength, in arr's integer type; the counts take the weights' type (dtype
    only types the counts of an unweighted call)."""
    with name_scope(name or "bincount"):
        a = convert_to_tensor(arr, name="arr")
        w = None if weights is None else convert_to_tensor(weights, name="weights")
        if not a._dtype.is_integer:  # TF casts a non-integer arr (an empty list is float32)
            a = cast(a, _int32)
        check_allowed(a._dtype, _INDEX_TYPES, "input")
        size_v = _static_bincount_size(a, minlength, maxlength)
        array_is_nonempty = builders.size(a) > 0
        output_size = cast(array_is_nonempty, a._dtype) * (builders.reduce_max(a) + 1)
        if minlength is not None:
            lo = convert_to_tensor(minlength, name="minlength", dtype=a._dtype)
            output_size = maximum(lo, output_size)
        if maxlength is not None:
            hi = convert_to_tensor(maxlength, name="maxlength", dtype=a._dtype)
            output_size = builders.minimum(hi, output_size)
        if w is not None:
            w = builders.reshape(w, [-1])
        a = builders.reshape(a, [-1])
        if w is None:
            w = convert_to_tensor(np.zeros((0,), _dtypes.as_dtype(dtype)._np), name="Const")
        out_dt = w._dtype
        check_allowed(out_dt, "int32, int64, float32, float64", "weights")
        graph = check_same_graph(a)
        return make_op(graph, graph._op_name(None, "DenseBincount"), "DenseBincount",
                       [a, output_size, w], {"Tidx": a._dtype, "T": out_dt,
                                             "binary_output": False},
                       [(out_dt, (size_v,))])._outputs[0]


def _static_bincount_size(a: Tensor, minlength: Any, maxlength: Any) -> int | None:
    """The output length TF's shape inference finds when arr and the bounds are constants."""
    av = constant_value(a)
    if av is None:
        return None
    size = int(av.max()) + 1 if av.size else 0
    for bound, pick in ((minlength, max), (maxlength, min)):
        if bound is not None:
            bv = constant_value(convert_to_tensor(bound)) if isinstance(bound, Tensor) else bound
            if bv is None:
                return None
            size = pick(size, int(np.asarray(bv)))
    return size


@register_kernel("DenseBincount")
def _dense_bincount_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["T"]._np

    def kernel(a: np.ndarray, size: Any, w: np.ndarray) -> np.ndarray:
        n = int(size)
        if n < 0:
            raise ValueError(f"size ({n}) must be non-negative")
        flat = a.reshape(-1)
        if flat.size and flat.min() < 0:
            raise ValueError("Input arr must be non-negative!")
        keep = flat < n
        out = np.zeros(n, dtype=dt)
        if w.size:
            np.add.at(out, flat[keep], w.reshape(-1)[keep].astype(dt))
        else:
            np.add.at(out, flat[keep], 1)
        return out
    return kernel


def histogram_fixed_width(values: Any, value_range: Any, nbins: Any = 100,
                          dtype: Any = _int32, name: str | None = None) -> Tensor:
    """``tf.histogram_fixed_width``: op ``HistogramFixedWidth``; values outside the range go
    to the first or last bin."""
    graph = check_same_graph(values, value_range, nbins)
    full = graph._op_name(name, "histogram_fixed_width")
    with scope_of(graph, full):
        v = convert_to_tensor(values, name="values")
        r = convert_to_tensor(value_range, dtype=v._dtype, name="value_range")
        n = convert_to_tensor(nbins, dtype=_int32, name="nbins")
    check_allowed(v._dtype, "int32, int64, float32, float64", "values")
    out_dt = _dtypes.as_dtype(dtype)
    nv = constant_value(n)
    return make_op(graph, full, "HistogramFixedWidth", [v, r, n],
                   {"T": v._dtype, "dtype": out_dt},
                   [(out_dt, (None if nv is None else int(nv),))])._outputs[0]


def histogram_fixed_width_bins(values: Any, value_range: Any, nbins: Any = 100,
                               dtype: Any = _int32, name: str | None = None) -> Tensor:
    """``tf.histogram_fixed_width_bins``: the int32 bin of every value (TF's histogram_ops
    composite: floor(nbins * scaled value) clipped to [0, nbins - 1], after an Assert that
    nbins > 0); ``dtype`` is ignored, as in TF."""
    with name_scope(name, "histogram_fixed_width_bins", [values, value_range, nbins]):
        v = convert_to_tensor(values, name="values")
        shape = builders.shape(v)
        v = builders.reshape(v, [-1])
        r = convert_to_tensor(value_range, name="value_range")
        n = convert_to_tensor(nbins, dtype=_int32, name="nbins")
        check = Assert(builders.greater(n, 0), [f"nbins {n} must > 0"])
        n = builders.with_dependencies([check], n)
        nbins_float = builders.cast(n, v._dtype)
        scaled = builders.truediv(v - r[0], r[1] - r[0], name="scaled_values")
        indices = builders.floor(nbins_float * scaled, name="indices")
        indices = builders.cast(builders.clip_by_value(indices, 0, nbins_float - 1), _int32)
        return builders.reshape(indices, shape)  # type: ignore[no-any-return]


@register_kernel("HistogramFixedWidth")
def _histogram_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["dtype"]._np

    def kernel(v: np.ndarray, r: np.ndarray, n: Any) -> np.ndarray:
        nbins = int(n)
        if nbins <= 0:
            raise ValueError(f"nbins should be a positive number, but got '{nbins}'")
        lo, hi = float(r[0]), float(r[1])
        if not lo < hi:
            raise ValueError(f"value_range should satisfy value_range[0] < value_range[1], "
                             f"but got '[{r[0]}, {r[1]}]'")
        idx = np.floor((v.reshape(-1).astype(np.float64) - lo) / (hi - lo) * nbins)
        idx = np.clip(idx, 0, nbins - 1).astype(np.int64)
        return np.bincount(idx, minlength=nbins).astype(dt)
    return kernel


for _t in ("DenseBincount", "HistogramFixedWidth"):
    NotDifferentiable(_t)


builders.register(globals(), __all__)
