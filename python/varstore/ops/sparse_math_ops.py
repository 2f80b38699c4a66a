"""Sparse arithmetic and reductions (TF's sparse_ops over gen_sparse_ops): ``tf.sparse.add``
of two SparseTensors (SparseAdd, its gradient SparseAddGrad) or of one dense operand
(SparseTensorDenseAdd), ``tf.sparse.maximum`` / ``minimum`` (SparseSparseMaximum/Minimum), and
the reductions SparseReduceSum / SparseReduceMax with their sparse-output forms.

The kernels follow TF's: merge walks over the operands' (assumed row-major) indices, and
reductions over the groups of present entries that share their kept coordinates (an empty
group reduces to 0, a present one ignores the implicit zeros)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InternalError
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import check_allowed, check_same_graph, typed_input
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
from varstore.framework.sparse_tensor import SparseTensor, SparseTensorValue
from varstore.ops.sparse_ops import _convert_to_sparse_tensor, _reduction_dims, build_shape_check
from varstore.util.deprecation import deprecated_argument_lookup

__all__ = [
    "sparse_add",
    "sparse_maximum",
    "sparse_minimum",
    "sparse_reduce_max",
    "sparse_reduce_max_sparse",
    "sparse_reduce_sum",
    "sparse_reduce_sum_sparse",
]

Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32
_int64 = _dtypes.int64
# TF's realnumbertype, in the order its type errors list it.
_REAL = ("float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, float16, "
         "uint32, uint64")


def _dbg(a: np.ndarray) -> str:
    """TensorShape::DebugString: [2,3]."""
    return "[" + ",".join(str(d) for d in a.shape) + "]"


def _summary(v: np.ndarray) -> str:
    """Tensor::SummarizeValue(10) of a shape vector: space-separated, '...' past ten."""
    flat = [str(int(x)) for x in np.asarray(v).reshape(-1)]
    return " ".join(flat[:10]) + ("..." if len(flat) > 10 else "")


def _cmp(a: np.ndarray, i: int, b: np.ndarray, j: int) -> int:
    """sparse::DimComparator::cmp: row ``i`` of ``a`` against row ``j`` of ``b``."""
    for x, y in zip(a[i], b[j]):
        if x < y:
            return -1
        if x > y:
            return 1
    return 0


# -- SparseAdd, SparseTensorDenseAdd ------------------------------------------------------------
def sparse_add(a: Any, b: Any, threshold: Any = None, thresh: Any = None) -> Any:
    """``tf.sparse.add`` (TF1): two sparse operands give op ``SparseAdd`` (entries whose summed
    magnitude is below ``threshold`` dropped) and a SparseTensor; one dense operand gives op
    ``SparseTensorDenseAdd`` and a dense Tensor."""
    threshold = deprecated_argument_lookup("threshold", threshold, "thresh", thresh)
    if threshold is None:
        threshold = 0
    sparse_classes = (SparseTensor, SparseTensorValue)
    if not any(isinstance(x, sparse_classes) for x in (a, b)):
        raise TypeError("At least one input should be SparseTensor; do you mean to use "
                        "tf.add()?")
    if all(isinstance(x, sparse_classes) for x in (a, b)):
        sa = _convert_to_sparse_tensor(a)
        sb = _convert_to_sparse_tensor(b)
        thr = convert_to_tensor(threshold, dtype=sa.values.dtype.real_dtype, name="threshold")
        ind, val, shp = _sparse_add_op(sa, sb, thr)
        sa.get_shape().assert_is_compatible_with(sb.get_shape())
        static = builders.broadcast_static_shape(sa.get_shape(), sb.get_shape())
        return SparseTensor(ind, val, static.as_list() if static.is_fully_defined() else shp)
    if isinstance(b, sparse_classes):
        a, b = b, a
    sp = _convert_to_sparse_tensor(a)
    graph = check_same_graph(sp.indices, sp.values, sp.dense_shape, b)
    full = graph._op_name(None, "SparseTensorDenseAdd")
    with scope_of(graph, full):
        bt = typed_input(b, sp.dtype, "SparseTensorDenseAdd", "b", "a_values")
    return make_op(graph, full, "SparseTensorDenseAdd",
                   [sp.indices, sp.values, sp.dense_shape, bt],
                   {"T": sp.dtype, "Tindices": sp.indices._dtype},
                   [(sp.dtype, bt._shape)])._outputs[0]


def _sparse_add_op(sa: SparseTensor, sb: SparseTensor, thr: Tensor) -> list[Tensor]:
    graph = check_same_graph(sa.indices, sa.values, sb.indices, sb.values, thr)
    full = graph._op_name(None, "SparseAdd")
    if sb.dtype is not sa.dtype:
        raise TypeError(f"Input 'b_values' of 'SparseAdd' Op has type {sb.dtype.name} that "
                        f"does not match type {sa.dtype.name} of argument 'a_values'.")
    ins = [sa.indices, sa.values, sa.dense_shape, sb.indices, sb.values, sb.dense_shape, thr]
    a_shape = sa.dense_shape._shape
    if a_shape is not None and len(a_shape) != 1:
        raise node_error(f"Shape must be rank 1 but is rank {len(a_shape)}", full, "SparseAdd",
                         f"T={dt_enum(sa.dtype)}, Treal={dt_enum(thr._dtype)}", ins)
    rank = None if a_shape is None else a_shape[0]
    op = make_op(graph, full, "SparseAdd", ins, {"T": sa.dtype, "Treal": thr._dtype},
                 [(_int64, (None, rank)), (sa.dtype, (None,)), (_int64, a_shape)])
    return list(op._outputs)


@register_kernel("SparseAdd")
def _sparse_add_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(ai: np.ndarray, av: np.ndarray, ash: np.ndarray, bi: np.ndarray,
               bv: np.ndarray, bsh: np.ndarray, thr: np.ndarray) -> tuple[Any, Any, Any]:
        if ai.ndim != 2 or bi.ndim != 2:
            raise ValueError(f"Input indices should be matrices but received shapes: "
                             f"{_dbg(ai)} and {_dbg(bi)}")
        ndims = ai.shape[1]
        if bi.shape[1] != ndims:
            raise ValueError(f"Input indices must have the same dimension, got {ndims} and "
                             f"{bi.shape[1]}")
        if av.ndim != 1 or bv.ndim != 1:
            raise ValueError(f"Input values should be vectors but received shapes: "
                             f"{_dbg(av)} and {_dbg(bv)}")
        na, nb = ai.shape[0], bi.shape[0]
        if av.size != na or bv.size != nb:
            raise ValueError(f"Expected {na} and {nb} non-empty input values, got {av.size} "
                             f"and {bv.size}")
        if ash.ndim != 1 or bsh.ndim != 1:
            raise ValueError(f"Input shapes should be a vector but received shapes "
                             f"{_dbg(ash)} and {_dbg(bsh)}")
        if ash.size != ndims:
            raise ValueError(f"Second dimension of a_indices and length of a_shape must "
                             f"match, got {ndims} and {ash.size}")
        if ndims <= 0:
            raise ValueError("Tesors must not be empty")
        if ash.size != bsh.size:
            raise ValueError(f"Operands do not have the same ranks; got shapes: "
                             f"{_summary(ash)} and {_summary(bsh)}")
        for d in range(ash.size):
            if ash[d] != bsh[d]:
                raise ValueError(f"Operands' shapes do not match: got {int(ash[d])} and "
                                 f"{int(bsh[d])} for dimension {d}")
        if thr.ndim != 0:
            raise ValueError(f"The magnitude threshold must be a scalar: got shape "
                             f"{_dbg(thr)}")
        rows: list[np.ndarray] = []
        vals: list[Any] = []
        i = j = 0
        while i < na and j < nb:
            c = _cmp(ai, i, bi, j)
            if c < 0:
                rows.append(ai[i])
                vals.append(av[i])
                i += 1
            elif c > 0:
                rows.append(bi[j])
                vals.append(bv[j])
                j += 1
            else:
                s = av[i] + bv[j]
                if thr <= abs(s):
                    rows.append(ai[i])
                    vals.append(s)
                i += 1
                j += 1
        rows.extend(ai[i:])
        vals.extend(av[i:])
        rows.extend(bi[j:])
        vals.extend(bv[j:])
        out_i = np.array(rows, np.int64).reshape(len(rows), ndims)
        return out_i, np.array(vals, dtype=av.dtype).reshape(-1), ash.copy()
    return kernel


@RegisterGradient("SparseAdd")
def _sparse_add_grad(op: Operation, *grads: Any) -> list[Any]:
    """sparse_grad._SparseAddGrad: SparseAddGrad routes the sum's value gradients back to
    the operands' entries (the threshold needs no care: it only drops sum entries)."""
    a_indices, b_indices = op._inputs[0], op._inputs[3]
    ga, gb = _sparse_add_grad_op(grads[1], a_indices, b_indices, op._outputs[0])
    ga.set_shape(op._inputs[1]._shape)
    gb.set_shape(op._inputs[4]._shape)
    return [None, ga, None, None, gb, None, None]


def _sparse_add_grad_op(grad: Tensor, a_indices: Tensor, b_indices: Tensor,
                        sum_indices: Tensor) -> list[Tensor]:
    graph = check_same_graph(grad, a_indices, b_indices, sum_indices)
    full = graph._op_name(None, "SparseAddGrad")
    ad, bd = a_indices._shape, b_indices._shape
    op = make_op(graph, full, "SparseAddGrad", [grad, a_indices, b_indices, sum_indices],
                 {"T": grad._dtype},
                 [(grad._dtype, (None if ad is None else ad[0],)),
                  (grad._dtype, (None if bd is None else bd[0],))])
    return list(op._outputs)


NotDifferentiable("SparseAddGrad")  # as TF


@register_kernel("SparseAddGrad")
def _sparse_add_grad_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(g: np.ndarray, ai: np.ndarray, bi: np.ndarray,
               si: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if ai.ndim != 2 or bi.ndim != 2 or si.ndim != 2:
            raise ValueError(f"Input indices should be matrices but received shapes: "
                             f"{_dbg(ai)} and {_dbg(bi)} and {_dbg(si)}")
        if g.ndim != 1:
            raise ValueError(f"Input backprop_val_grad should be a vector but received "
                             f"shape: {_dbg(g)}")
        if not ai.shape[1] == bi.shape[1] == si.shape[1]:
            raise ValueError(f"The densified operands should have the same ndims; for A, B, "
                             f"sum got: {ai.shape[1]}{bi.shape[1]}{si.shape[1]}")
        if g.size != si.shape[0]:
            raise ValueError(f"# elements of backprop_val_grad and # rows of sum_indices "
                             f"should match (#nnz of sum): got {g.size} and {si.shape[0]}")
        na, nb, ns = ai.shape[0], bi.shape[0], g.size
        ga = np.zeros(na, g.dtype)
        gb = np.zeros(nb, g.dtype)
        i = j = k = 0

        # TF's merge walk: a position gets the sum's gradient when its index equals the
        # current sum index; the sum pointer moves once neither operand is behind it.
        def step(ix: np.ndarray, n: int, out: np.ndarray) -> tuple[int, bool]:
            c = _cmp(ix, n, si, k)
            if c == 0:
                out[n] = g[k]
                return n + 1, True
            if c < 0:
                return n + 1, False
            return n, True

        while i < na and j < nb and k < ns:
            i, a_geq = step(ai, i, ga)
            j, b_geq = step(bi, j, gb)
            if a_geq and b_geq:
                k += 1
        while i < na and k < ns:
            i, a_geq = step(ai, i, ga)
            if a_geq:
                k += 1
        while j < nb and k < ns:
            j, b_geq = step(bi, j, gb)
            if b_geq:
                k += 1
        return ga, gb
    return kernel


@register_kernel("SparseTensorDenseAdd")
def _sparse_dense_add_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray,
               b: np.ndarray) -> np.ndarray:
        if list(shape) != list(b.shape):
            raise ValueError(f"Dimension 0 does not equal (no broadcasting is supported): "
                             f"sparse side {int(shape[0])} vs dense side {b.shape[0]}"
                             if shape.size and b.ndim else
                             "Dimensions of a_shape and b do not match")
        out = b.copy()
        bad = (idx < 0) | (idx >= shape) if idx.size else np.zeros((0, 0), bool)
        if bad.any():
            # the kernel's row-major bounds scan: the first bad (entry, dimension) is named
            i, d = (int(k) for k in np.argwhere(bad)[0])
            raise ValueError(f"Sparse tensor has an invalid index on dimension {d}: "
                             f"a_indices({i},{d}) = {int(idx[i, d])}, dense tensor shape: "
                             + " ".join(str(int(n)) for n in b.shape))
        if idx.size:
            np.add.at(out, tuple(idx.T), vals)
        return np.asarray(out)
    return kernel


@RegisterGradient("SparseTensorDenseAdd")
def _sparse_dense_add_grad(op: Operation, out_grad: Tensor) -> list[Any]:
    return [None, builders.gather_nd(out_grad, op._inputs[0]), None, out_grad]


# -- SparseSparseMaximum / SparseSparseMinimum ----------------------------------------------------
def _validate(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray, bounds: bool = True) -> None:
    """SparseTensor::ValidateSparseTensor: ranks, sizes and (unordered ``bounds``
    validation) every index in bounds."""
    if idx.ndim != 2:
        raise ValueError(f"Sparse indices must be rank 2 but is rank {idx.ndim}")
    if vals.ndim != 1:
        raise ValueError(f"Sparse values must be rank 1 but is rank {vals.ndim}")
    if shape.ndim != 1:
        raise ValueError(f"Sparse shape must be rank 1 but is rank {shape.ndim}")
    if vals.size != idx.shape[0]:
        raise ValueError(f"Number of elements in indices ({idx.shape[0]}) and values "
                         f"({vals.size}) do not match")
    if shape.size != idx.shape[1]:
        raise ValueError(f"Index rank ({idx.shape[1]}) and shape rank ({shape.size}) do not "
                         "match")
    if bounds and idx.size:
        bad = ((idx < 0) | (idx >= shape)).any(axis=1)
        if bad.any():
            n = int(np.argmax(bad))  # the first bad entry, as TF's loop reports it
            at = ", ".join(str(int(v)) for v in idx[n])
            raise ValueError(f"Sparse index tuple indices[{n}, :] = [{at}] is out of bounds")


def _min_or_max(op_type: str, sp_a: Any, sp_b: Any, name: str | None) -> SparseTensor:
    with name_scope(name, op_type,
                    [sp_a.indices, sp_a.values, sp_b.indices, sp_b.values]) as scope:
        graph = check_same_graph(sp_a.indices, sp_a.values, sp_b.indices, sp_b.values)
        full = graph._op_name(scope, op_type)
        if sp_b.values.dtype is not sp_a.values.dtype:
            raise TypeError(f"Input 'b_values' of '{op_type}' Op has type "
                            f"{sp_b.values.dtype.name} that does not match type "
                            f"{sp_a.values.dtype.name} of argument 'a_values'.")
        check_allowed(sp_a.values.dtype, _REAL, "a_values")
        op = make_op(graph, full, op_type,
                     [sp_a.indices, sp_a.values, sp_a.dense_shape, sp_b.indices, sp_b.values,
                      sp_b.dense_shape], {"T": sp_a.values.dtype},
                     [(_int64, (None, None)), (sp_a.values.dtype, (None,))])
    return SparseTensor(op._outputs[0], op._outputs[1], sp_a.dense_shape)


def sparse_maximum(sp_a: Any, sp_b: Any, name: str | None = None) -> SparseTensor:
    """``tf.sparse.maximum``: op ``SparseSparseMaximum`` over the union of the operands'
    entries (an entry on one side only meets an implicit zero)."""
    return _min_or_max("SparseSparseMaximum", sp_a, sp_b, name)


def sparse_minimum(sp_a: Any, sp_b: Any, name: str | None = None) -> SparseTensor:
    """``tf.sparse.minimum``: op ``SparseSparseMinimum`` (see sparse_maximum)."""
    return _min_or_max("SparseSparseMinimum", sp_a, sp_b, name)


def _min_max_kernel(fn: Callable[..., Any]) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        def kernel(ai: np.ndarray, av: np.ndarray, ash: np.ndarray, bi: np.ndarray,
                   bv: np.ndarray, bsh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            _validate(ai, av, ash)
            _validate(bi, bv, bsh)
            if ash.size != bsh.size:
                raise ValueError(f"Operands do not have the same ranks; got shapes: "
                                 f"{_summary(ash)} and {_summary(bsh)}")
            for d in range(ash.size):
                if ash[d] != bsh[d]:
                    raise ValueError(f"Operands' shapes do not match: got {int(ash[d])} and "
                                     f"{int(bsh[d])} for dimension {d}")
            zero = av.dtype.type(0)
            rows: list[np.ndarray] = []
            left: list[Any] = []
            right: list[Any] = []
            i = j = 0
            na, nb = ai.shape[0], bi.shape[0]
            while i < na and j < nb:
                c = _cmp(ai, i, bi, j)
                if c < 0:
                    rows.append(ai[i]); left.append(av[i]); right.append(zero)
                    i += 1
                elif c > 0:
                    rows.append(bi[j]); left.append(zero); right.append(bv[j])
                    j += 1
                else:
                    rows.append(ai[i]); left.append(av[i]); right.append(bv[j])
                    i += 1
                    j += 1
            for n in range(i, na):
                rows.append(ai[n]); left.append(av[n]); right.append(zero)
            for n in range(j, nb):
                rows.append(bi[n]); left.append(zero); right.append(bv[n])
            out_i = np.array(rows, np.int64).reshape(len(rows), ai.shape[1])
            out_v = fn(np.array(left, av.dtype), np.array(right, av.dtype))
            return out_i, np.asarray(out_v, av.dtype).reshape(-1)
        return kernel
    return factory


register_kernel("SparseSparseMaximum")(_min_max_kernel(np.maximum))
register_kernel("SparseSparseMinimum")(_min_max_kernel(np.minimum))


# TF registers these with a one-gradient signature for two-output ops, so calling them fails
# with Python's own TypeError; the same definitions fail the same way here.
@RegisterGradient("SparseSparseMaximum")
def _SparseSparseMaximumGrad(unused_op: Operation, unused_grad: Any) -> Any:
    raise NotImplementedError("Gradient for SparseSparseMaximum is not implemented.")


@RegisterGradient("SparseSparseMinimum")
def _SparseSparseMinimumGrad(unused_op: Operation, unused_grad: Any) -> Any:
    raise NotImplementedError("Gradient for SparseSparseMinimum is not implemented.")


# -- SparseReduceSum / SparseReduceMax (+ Sparse outputs) ---------------------------------------
def _reduce(op_type: str, sp_input: Any, axis: Any, keepdims: Any, name: str | None) -> Any:
    keep = bool(keepdims) if keepdims is not None else False
    sp = _convert_to_sparse_tensor(sp_input)
    axes = _reduction_dims(sp, axis)
    graph = check_same_graph(sp.indices, sp.values, sp.dense_shape, axes)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        ax = convert_to_tensor(axes, dtype=_int32, name="reduction_axes")
    allowed = _REAL if "Max" in op_type else None
    if allowed is not None:
        check_allowed(sp.dtype, allowed, "input_values")
    ins = [sp.indices, sp.values, sp.dense_shape, ax]
    if op_type.endswith("Sparse"):
        op = make_op(graph, full, op_type, ins, {"T": sp.dtype, "keep_dims": keep},
                     [(_int64, None), (sp.dtype, None), (_int64, None)])
        return SparseTensor(*op._outputs)
    # TF's SparseReduceShapeFn: a static shape only from constant shape and axes.
    out: Dims = None
    shape_v, axes_v = constant_value(sp.dense_shape), constant_value(ax)
    if shape_v is not None and axes_v is not None:
        dims = [int(d) for d in np.asarray(shape_v).reshape(-1)]
        r = len(dims)
        if r == 0:
            raise node_error("Number of dims in shape tensor must not be 0", full, op_type,
                             f"T={dt_enum(sp.dtype)}, keep_dims={str(keep).lower()}", ins,
                             " and with computed input tensors: input[2] = <>, input[3] = "
                             f"<{' '.join(str(int(a)) for a in axes_v.reshape(-1))}>")
        red = {(int(a) + r) % r for a in np.asarray(axes_v).reshape(-1)}
        out = tuple(1 if i in red else d for i, d in enumerate(dims) if keep or i not in red)
    return make_op(graph, full, op_type, ins, {"T": sp.dtype, "keep_dims": keep},
                   [(sp.dtype, out)])._outputs[0]


def sparse_reduce_sum(sp_input: Any, axis: Any = None, keepdims: Any = None,
                      reduction_axes: Any = None, keep_dims: Any = None) -> Tensor:
    """``tf.sparse.reduce_sum`` (TF1): op ``SparseReduceSum``, a dense result."""
    keepdims = deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    axis = deprecated_argument_lookup("axis", axis, "reduction_axes", reduction_axes)
    out: Tensor = _reduce("SparseReduceSum", sp_input, axis, keepdims, None)
    return out


def sparse_reduce_max(sp_input: Any, axis: Any = None, keepdims: Any = None,
                      reduction_axes: Any = None, keep_dims: Any = None) -> Tensor:
    """``tf.sparse.reduce_max`` (TF1): op ``SparseReduceMax`` over the present entries only
    (an empty group gives 0), a dense result."""
    keepdims = deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    axis = deprecated_argument_lookup("axis", axis, "reduction_axes", reduction_axes)
    out: Tensor = _reduce("SparseReduceMax", sp_input, axis, keepdims, None)
    return out


def sparse_reduce_sum_sparse(sp_input: Any, axis: Any = None, keepdims: Any = None,
                             reduction_axes: Any = None,
                             keep_dims: Any = None) -> SparseTensor:
    """``tf.sparse.reduce_sum_sparse``: op ``SparseReduceSumSparse``, one entry per
    non-empty group."""
    keepdims = deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    axis = deprecated_argument_lookup("axis", axis, "reduction_axes", reduction_axes)
    out: SparseTensor = _reduce("SparseReduceSumSparse", sp_input, axis, keepdims, None)
    return out


def sparse_reduce_max_sparse(sp_input: Any, axis: Any = None, keepdims: Any = None,
                             reduction_axes: Any = None,
                             keep_dims: Any = None) -> SparseTensor:
    """``tf.sparse.reduce_max_sparse``: op ``SparseReduceMaxSparse``."""
    keepdims = deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    axis = deprecated_argument_lookup("axis", axis, "reduction_axes", reduction_axes)
    out: SparseTensor = _reduce("SparseReduceMaxSparse", sp_input, axis, keepdims, None)
    return out


def create_check(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray) -> None:
    """The checks of TF's kernels that build a sparse::SparseTensor (SparseTensor::Create
    after BuildTensorShape)."""
    build_shape_check(shape)
    if idx.ndim != 2:
        raise ValueError(f"indices must be a matrix, but got: {_dbg(idx)}")
    if vals.ndim != 1:
        raise ValueError(f"vals must be a vec, but got: {_dbg(vals)}")
    if idx.shape[0] != vals.shape[0]:
        raise ValueError(f"indices and values rows (indexing dimension) must match. (indices "
                         f"= {idx.shape[0]}, values = {vals.shape[0]})")
    if idx.shape[1] != shape.size:
        raise ValueError("Order length must be SparseTensor rank.")


def _groups(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray, axes: np.ndarray,
            keep: bool) -> tuple[list[int], list[int], list[tuple[tuple[int, ...], Any]]]:
    """TF's SparseTensorReduceHelper and grouping: the kept dims, the reduced shape, and the
    (kept coordinates, values) of each group in row-major order of the kept dims."""
    if shape.ndim != 1:
        raise ValueError(f"Expected input_shape to be a vector; got shape: {_dbg(shape)}")
    if axes.ndim > 1:
        raise ValueError(f"Expected reduction_axes to be a scalar or a vector; got shape: "
                         f"{_dbg(axes)}")
    r = int(shape.size)
    for a in axes.reshape(-1):
        if not -r <= a < r:
            raise ValueError(f"Invalid reduction dimension {int(a)}, for input with {r} "
                             "dimensions.")
    create_check(idx, vals, shape)
    red = sorted((int(a) + r) % r for a in axes.reshape(-1))
    kept = [d for d in range(r) if d not in red]
    dims = [int(d) for d in shape]
    out_dims = [dims[d] if d in kept else 1 for d in range(r)] if keep else \
        [dims[d] for d in kept]
    groups: list[tuple[tuple[int, ...], Any]] = []
    if idx.shape[0]:
        order = kept + [d for d in range(r) if d not in kept]
        perm = np.lexsort(idx[:, order].T[::-1])
        keys = [tuple(int(v) for v in idx[p, kept]) for p in perm]
        start = 0
        for n in range(1, len(perm) + 1):
            if n == len(perm) or keys[n] != keys[start]:
                groups.append((keys[start], vals[perm[start:n]]))
                start = n
    return kept, out_dims, groups


def _reduce_kernel(kind: str) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        keep = bool(op._attrs["keep_dims"])

        def kernel(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray,
                   axes: np.ndarray) -> np.ndarray:
            kept, out_dims, groups = _groups(idx, vals, shape, axes, keep)
            out = np.zeros(int(np.prod(out_dims, dtype=np.int64)), vals.dtype)
            strides = [1] * len(kept)
            for d in range(len(kept) - 2, -1, -1):
                strides[d] = strides[d + 1] * int(shape[kept[d + 1]])
            for key, members in groups:
                at = sum(c * s for c, s in zip(key, strides))
                if not 0 <= at < out.size:
                    raise InternalError(None, None, f"Obtained a write index of {at} which is "
                                        f"outside of bounds of [0, {out.size})")
                out[at] = members.sum(dtype=vals.dtype) if kind == "sum" else members.max()
            return out.reshape(out_dims)
        return kernel
    return factory


def _reduce_sparse_kernel(kind: str) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        keep = bool(op._attrs["keep_dims"])

        def kernel(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray,
                   axes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            kept, out_dims, groups = _groups(idx, vals, shape, axes, keep)
            out_i = np.zeros((len(groups), len(out_dims)), np.int64)
            out_v = np.zeros(len(groups), vals.dtype)
            for n, (key, members) in enumerate(groups):
                for j, c in enumerate(key):
                    out_i[n, kept[j] if keep else j] = c
                out_v[n] = members.sum(dtype=vals.dtype) if kind == "sum" else members.max()
            return out_i, out_v, np.array(out_dims, np.int64)
        return kernel
    return factory


register_kernel("SparseReduceSum")(_reduce_kernel("sum"))
register_kernel("SparseReduceMax")(_reduce_kernel("max"))
register_kernel("SparseReduceSumSparse")(_reduce_sparse_kernel("sum"))
register_kernel("SparseReduceMaxSparse")(_reduce_sparse_kernel("max"))


@RegisterGradient("SparseReduceSum")
def _sparse_reduce_sum_grad(op: Operation, out_grad: Tensor) -> list[Any]:
    """sparse_grad._SparseReduceSumGrad: the output gradient, reshaped to the kept-dims shape,
    gathered at each entry's (scaled-down) index."""
    sp_indices, sp_shape = op._inputs[0], op._inputs[2]
    kept = builders.reduced_shape(sp_shape, op._inputs[3])
    reshaped = builders.reshape(out_grad, kept)
    scale = builders.floordiv(sp_shape, builders.cast(kept, _int64))
    return [None, builders.gather_nd(reshaped, builders.floordiv(sp_indices, scale)), None,
            None]


builders.register(globals(), __all__)
