"""Sparse segment reductions (TF's math_ops over gen_math_ops): ``tf.sparse.segment_sum`` /
``segment_mean`` / ``segment_sqrt_n`` reduce the rows ``data[indices[i]]`` into segment
``segment_ids[i]`` (ops SparseSegmentSum/Mean/SqrtN, and their WithNumSegments forms), with
their gradients (SparseSegment*Grad; the ``sparse_gradient`` forms SparseSegment*GradV2,
an IndexedSlices at the sorted unique indices, as TF's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, convert_index
from varstore.framework.indexed_slices import IndexedSlices
from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
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

__all__ = [
    "sparse_segment_mean",
    "sparse_segment_sqrt_n",
    "sparse_segment_sum",
]

Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32
_INDEX_TYPES = "int32, int64"
_REAL = ("float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, float16, "
         "uint32, uint64")
_FLOAT = "bfloat16, float16, float32, float64"
_KIND = {"Sum": "sum", "Mean": "mean", "SqrtN": "sqrtn"}


def _segment_op(kind: str, data: Any, indices: Any, segment_ids: Any, name: str | None,
                num_segments: Any, sparse_gradient: bool) -> Tensor:
    base = f"SparseSegment{kind}"
    op_type = base if num_segments is None else base + "WithNumSegments"
    graph = check_same_graph(data, indices, segment_ids, num_segments)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        d = first_input(data, "data")
        check_allowed(d._dtype, _REAL if kind == "Sum" else _FLOAT, "data")
        i = convert_index(indices, name="indices")
        check_allowed(i._dtype, _INDEX_TYPES, "indices")
        s = convert_index(segment_ids, name="segment_ids")
        check_allowed(s._dtype, _INDEX_TYPES, "segment_ids")
        ins = [d, i, s]
        attrs: dict[str, Any] = {"T": d._dtype, "Tidx": i._dtype, "Tsegmentids": s._dtype}
        if num_segments is not None:
            n = convert_index(num_segments, name="num_segments")
            check_allowed(n._dtype, _INDEX_TYPES, "num_segments")
            ins.append(n)
            attrs["Tnumsegments"] = n._dtype
    attrs["sparse_gradient"] = bool(sparse_gradient)
    text = ", ".join(f"{k}={dt_enum(v) if isinstance(v, _dtypes.DType) else str(v).lower()}"
                     for k, v in sorted(attrs.items()))
    if d._shape is not None and len(d._shape) < 1:
        raise node_error("Shape must be at least rank 1 but is rank 0", full, op_type, text,
                         ins)
    for t in (i, s):
        if t._shape is not None and len(t._shape) != 1:
            raise node_error(f"Shape must be rank 1 but is rank {len(t._shape)}", full,
                             op_type, text, ins)
    a = None if i._shape is None else i._shape[0]
    b = None if s._shape is None else s._shape[0]
    if a is not None and b is not None and a != b:
        raise node_error(f"Dimension 0 in both shapes must be equal, but are {a} and {b}. "
                         f"Shapes are [{a}] and [{b}].", full, op_type, text, ins)
    rows: int | None = None
    if num_segments is not None:
        n = ins[3]
        if n._shape is not None and len(n._shape) != 0:
            raise node_error(f"Shape must be rank 0 but is rank {len(n._shape)}", full,
                             op_type, text, ins)
        nv = constant_value(n)
        if nv is not None:
            if int(nv) < 0:
                raise node_error("Cannot specify a negative value for num_segments", full,
                                 op_type, text, ins,
                                 f" and with computed input tensors: input[3] = <{int(nv)}>")
            rows = int(nv)
    out: Dims = None if d._shape is None else (rows, *d._shape[1:])
    return make_op(graph, full, op_type, ins, attrs, [(d._dtype, out)])._outputs[0]


def sparse_segment_sum(data: Any, indices: Any, segment_ids: Any, name: str | None = None,
                       num_segments: Any = None, sparse_gradient: bool = False) -> Tensor:
    """``tf.sparse.segment_sum`` (TF1): op ``SparseSegmentSum`` (or
    ``SparseSegmentSumWithNumSegments``)."""
    return _segment_op("Sum", data, indices, segment_ids, name, num_segments, sparse_gradient)


def sparse_segment_mean(data: Any, indices: Any, segment_ids: Any, name: str | None = None,
                        num_segments: Any = None, sparse_gradient: bool = False) -> Tensor:
    """``tf.sparse.segment_mean`` (TF1): op ``SparseSegmentMean`` (an empty segment is 0)."""
    return _segment_op("Mean", data, indices, segment_ids, name, num_segments, sparse_gradient)


def sparse_segment_sqrt_n(data: Any, indices: Any, segment_ids: Any, name: str | None = None,
                          num_segments: Any = None, sparse_gradient: bool = False) -> Tensor:
    """``tf.sparse.segment_sqrt_n`` (TF1): op ``SparseSegmentSqrtN``, the sum divided by the
    square root of the segment's size."""
    return _segment_op("SqrtN", data, indices, segment_ids, name, num_segments,
                       sparse_gradient)


# -- kernels ----------------------------------------------------------------------------------------
def _validate(data: np.ndarray, idx: np.ndarray, seg: np.ndarray) -> None:
    if idx.ndim != 1:
        raise ValueError("indices should be a vector.")
    if seg.ndim != 1:
        raise ValueError("segment_ids should be a vector.")
    if idx.size != seg.size:
        raise ValueError("segment_ids and indices should have same size.")
    if data.ndim < 1:
        raise ValueError("Shape must be at least rank 1 but is rank 0")


_INT32_MAX = 2**31 - 1


def _check_volume(dims: tuple[int, ...]) -> None:
    """TensorShape::AddDimWithStatus of the output: its element count must fit in int64
    (MultiplyWithoutOverflow's -1 is the result TF reports)."""
    count = 1
    for d in dims:
        if count * d >= 2**63:
            raise ValueError(f"Encountered overflow when multiplying {count} with {d}, "
                             "result: -1")
        count *= d


def _reduce(kind: str, data: np.ndarray, idx: np.ndarray, seg: np.ndarray,
            num_segments: int | None) -> np.ndarray:
    """TF's SparseSegmentReductionOpBase, one shard: segments in order, each checked to
    increase and to be in range, its rows to be in range, gaps left 0."""
    n = int(idx.size)
    last_plus_one = int(seg[-1]) + 1 if n else 0
    if n and idx.dtype == np.int32 and last_plus_one > _INT32_MAX:
        # the output row count is held in the indices' type
        raise ValueError(f"Last segment id must be < kintmax, got {last_plus_one - 1} limit "
                         f"{_INT32_MAX}")
    if num_segments is not None:
        rows = num_segments
        if idx.dtype == np.int32:  # TF keeps it in the indices' type: an int64 truncates
            rows = (rows + 2**31) % 2**32 - 2**31
        if rows < last_plus_one:
            raise ValueError("segment ids must be < num_segments")
    else:
        rows = last_plus_one
    if rows < 0:
        raise ValueError("segment ids must be >= 0")
    _check_volume((rows, *data.shape[1:]))
    out = np.zeros((rows, *data.shape[1:]), data.dtype)
    if n == 0:
        return out
    if rows <= 0:
        raise ValueError("segment ids must be >= 0")
    start = 0
    out_index = int(seg[0])
    cur = 1
    while True:
        nxt = 0
        if cur < n:
            nxt = int(seg[cur])
            if nxt == out_index:
                cur += 1
                continue
            if not out_index < nxt:
                raise ValueError("segment ids are not increasing")
        if not 0 <= out_index < rows:
            raise ValueError(f"Segment id {out_index} out of range [0, {rows}), possibly "
                             "because 'segment_ids' input is not sorted.")
        picked = idx[start:cur]
        bad = np.flatnonzero((picked < 0) | (picked >= data.shape[0]))
        if bad.size:
            at = start + int(bad[0])
            raise ValueError(f"Bad: indices[{at}] == {int(idx[at])} out of range [0, "
                             f"{data.shape[0]})")
        total = data[picked].sum(axis=0, dtype=data.dtype)
        count = cur - start
        # Eigen divides by the count (its square root) as a product with its reciprocal.
        one = data.dtype.type(1)
        if kind == "mean":
            total = total * (one / data.dtype.type(count))
        elif kind == "sqrtn":
            total = total * (one / data.dtype.type(np.sqrt(count)))
        out[out_index] = total
        start = cur
        cur += 1
        out_index = nxt
        if cur > n:
            break
    return out


def _segment_kernel(kind: str, with_num: bool) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        def kernel(data: np.ndarray, idx: np.ndarray, seg: np.ndarray,
                   *num: np.ndarray) -> np.ndarray:
            if with_num and num[0].ndim != 0:
                raise ValueError(f"num_segments should be a scalar, not shape "
                                 f"[{','.join(str(d) for d in num[0].shape)}]")
            _validate(data, idx, seg)
            return _reduce(kind, data, idx, seg, int(num[0]) if with_num else None)
        return kernel
    return factory


for _k, _v in _KIND.items():
    register_kernel(f"SparseSegment{_k}")(_segment_kernel(_v, False))
    register_kernel(f"SparseSegment{_k}WithNumSegments")(_segment_kernel(_v, True))


# -- gradients ------------------------------------------------------------------------------------
def _first_bad(idx: np.ndarray, m: int, seg: np.ndarray, num_segments: int) -> None:
    """The output loop's checks, entry by entry: its index, then its segment id."""
    bad_i = (idx < 0) | (idx >= m)
    bad_s = (seg < 0) | (seg >= num_segments)
    either = bad_i | bad_s
    if either.any():
        n = int(np.argmax(either))
        if bad_i[n]:
            raise ValueError(f"Index {int(idx[n])} out of range [0, {m}).")
        raise ValueError(f"Segment id {int(seg[n])} out of range [0, {num_segments}).")


def _grad_rows(kind: str, grad: np.ndarray, idx: np.ndarray, seg: np.ndarray, m: int,
               v2: bool) -> tuple[np.ndarray, np.ndarray]:
    """The weighted rows of ``grad`` each entry sends back to ``indices[i]``. A segment's
    weight is 1, or 1 / (the square root of) how often its id occurs, counted over all the
    ids as TF's scaling loop does (which for the V1 mean / sqrt_n ops runs, and checks the
    ids, before the output loop checks the indices)."""
    if idx.ndim != 1:
        raise ValueError("indices should be a vector.")
    if seg.ndim != 1:
        raise ValueError("segment_ids should be a vector.")
    if idx.size != seg.size:
        raise ValueError("segment_ids and indices should have same size.")
    num = int(grad.shape[0])
    if idx.size and int(seg[-1]) + 1 > num:
        raise ValueError("Invalid number of segments")
    if kind != "sum" and not v2:
        _first_bad(np.zeros_like(idx), 1, seg, num)
    _first_bad(idx, m, seg, num)
    weights = np.ones(seg.size, np.float64)
    if kind != "sum":
        counts = np.bincount(seg.astype(np.int64), minlength=num)[seg].astype(np.float64)
        weights = 1.0 / (np.sqrt(counts) if kind == "sqrtn" else counts)
    rows = grad[seg] * weights.astype(grad.dtype).reshape((-1,) + (1,) * (grad.ndim - 1))
    return rows.astype(grad.dtype), idx


def _grad_kernel(kind: str) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        def kernel(grad: np.ndarray, idx: np.ndarray, seg: np.ndarray,
                   dim0: np.ndarray) -> np.ndarray:
            if dim0.ndim != 0:
                raise ValueError("output_dim0 should be a scalar.")
            m = int(dim0)
            out = np.zeros((m, *grad.shape[1:]), grad.dtype)
            if m == 0 or idx.size == 0:  # TF returns the empty output unchecked
                return out
            rows, at = _grad_rows(kind, grad, idx, seg, m, False)
            np.add.at(out, at, rows)
            return out
        return kernel
    return factory


def _grad_v2_kernel(kind: str) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        def kernel(grad: np.ndarray, idx: np.ndarray, seg: np.ndarray,
                   dim0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            if dim0.ndim != 0:
                raise ValueError("dense_output_dim0 should be a scalar.")
            if int(dim0) == 0:  # TF: an empty output, no indices, nothing checked
                return np.zeros((0, *grad.shape[1:]), grad.dtype), np.zeros(0, idx.dtype)
            unique = np.unique(idx).astype(idx.dtype)
            out = np.zeros((unique.size, *grad.shape[1:]), grad.dtype)
            if idx.size == 0:
                return out, unique
            rows, at = _grad_rows(kind, grad, idx, seg, int(dim0), True)
            np.add.at(out, np.searchsorted(unique, at), rows)
            return out, unique
        return kernel
    return factory


for _k, _v in _KIND.items():
    register_kernel(f"SparseSegment{_k}Grad")(_grad_kernel(_v))
    register_kernel(f"SparseSegment{_k}GradV2")(_grad_v2_kernel(_v))


def _grad_op(kind: str, grad: Tensor, indices: Tensor, segment_ids: Tensor,
             dim0: Tensor, v2: bool) -> list[Tensor]:
    op_type = f"SparseSegment{kind}Grad" + ("V2" if v2 else "")
    graph = check_same_graph(grad, indices, segment_ids, dim0)
    full = graph._op_name(None, op_type)
    attrs = {"T": grad._dtype, "Tidx": indices._dtype, "Tsegmentids": segment_ids._dtype}
    rest = () if grad._shape is None else grad._shape[1:]
    if v2:
        outs = [(grad._dtype, None if grad._shape is None else (None, *rest)),
                (indices._dtype, (None,))]
    else:
        dv = constant_value(dim0)
        first = None if dv is None else int(dv)
        outs = [(grad._dtype, None if grad._shape is None else (first, *rest))]
    return list(make_op(graph, full, op_type, [grad, indices, segment_ids, dim0], attrs,
                        outs)._outputs)


def _segment_grad(kind: str, op: Operation, grad: Tensor) -> list[Any]:
    """math_grad._SparseSegment*Grad: SparseSegment*Grad over the data's first dimension;
    with ``sparse_gradient`` the V2 op's values at its sorted unique indices, an
    IndexedSlices of the data's shape (as TF's _SparseSegmentReduceGradV2)."""
    data, indices, segment_ids = op._inputs[:3]
    data_shape = builders.shape(data)
    dim0 = data_shape[0]
    rest: list[Any] = [None] * (len(op._inputs) - 1)
    if op._attrs.get("sparse_gradient"):
        values, unique = _grad_op(kind, grad, indices, segment_ids, dim0, True)
        return [IndexedSlices(values, unique, data_shape), *rest]
    return [_grad_op(kind, grad, indices, segment_ids, dim0, False)[0], *rest]


for _k in _KIND:
    for _suffix in ("", "WithNumSegments"):
        RegisterGradient(f"SparseSegment{_k}{_suffix}")(
            lambda op, grad, _kind=_k: _segment_grad(_kind, op, grad))


builders.register(globals(), __all__)
