"""Sparse ops (TF's sparse_ops.py over gen_sparse_ops): sparse_placeholder, SparseToDense
(``tf.sparse.to_dense``, ``tf.sparse_to_dense``), SparseTensorDenseMatMul, SparseReorder,
sparse_retain, SparseSoftmax, with TF's op names, static shapes, kernels (NumPy over the COO
triplets) and gradients (sparse_grad.py). Sums and reductions are in sparse_math_ops.py, shape
manipulation in sparse_array_ops.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore._core import kernels as _kernels
from varstore.framework.constant_op import (
    constant_value_as_shape,
    convert_to_tensor,
)
from varstore.framework.graph import get_default_graph, name_scope
from varstore.framework.op_def_library import check_same_graph, typed_input
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
from varstore.framework.sparse_tensor import SparseTensor, SparseTensorValue
from varstore.framework.tensor_shape import TensorShape, as_dimension, as_shape

__all__ = [
    "sparse_placeholder",
    "sparse_reorder",
    "sparse_retain",
    "sparse_softmax",
    "sparse_tensor_dense_matmul",
    "sparse_tensor_to_dense",
    "sparse_to_dense",
]

Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32
_int64 = _dtypes.int64


def _convert_to_sparse_tensor(sp_input: Any) -> SparseTensor:
    if isinstance(sp_input, SparseTensorValue):
        return SparseTensor.from_value(sp_input)
    if not isinstance(sp_input, SparseTensor):
        raise TypeError("Input must be a SparseTensor.")
    return sp_input


def build_shape_check(shape: np.ndarray) -> None:
    """TF's TensorShape::BuildTensorShape of a dense_shape: dimensions non-negative, and the
    element count must fit in int64 (the message gives the wrapped product, as TF's)."""
    n = 1
    for d in (int(v) for v in shape.reshape(-1)):
        if d < 0:
            raise ValueError(f"Expected shape dimensions to be non-negative, got {d}")
        m = n * d
        if m >= 2**63:
            wrapped = (m + 2**63) % 2**64 - 2**63
            raise ValueError(f"Encountered overflow when multiplying {n} with {d}, result: "
                             f"{wrapped}")
        n = m


def _index_input(value: Any, name: str) -> Tensor:
    return value if isinstance(value, Tensor) else convert_to_tensor(value, name=name,
                                                                     dtype_hint=_int64)


# -- sparse_placeholder -------------------------------------------------------------------------
def sparse_placeholder(dtype: Any, shape: Any = None, name: str | None = None) -> SparseTensor:
    """``tf.sparse_placeholder``: placeholders for values [None] and indices [None, rank]; the
    dense shape a placeholder (no ``shape``) or a PlaceholderWithDefault of ``shape`` (-1 for
    an unknown dim), so it can be fed too. The shape node is made first, as in TF."""
    from varstore.ops.array_ops import placeholder, placeholder_with_default

    shape_name = None if name is None else name + "/shape"
    default_name = None if name is None else name + "/shape_default"
    default: TensorShape
    if shape is None:
        rank: int | None = None
        dense_shape = placeholder(_int64, shape=[None], name=shape_name)
        default = TensorShape(None)
    else:
        if isinstance(shape, Tensor):
            rank = None if shape._shape is None else shape._shape[0]
            default = TensorShape._of(constant_value_as_shape(shape))
        else:
            dims = as_shape(shape).as_list()
            rank = len(dims)
            default = TensorShape([None if d == -1 else d for d in dims])
            shape = convert_to_tensor(tuple(-1 if d is None else d for d in dims),
                                      dtype=_int64, name=default_name)
        dense_shape = placeholder_with_default(shape, shape=shape.shape, name=shape_name)
    values = placeholder(dtype, shape=[None], name=None if name is None else name + "/values")
    indices = placeholder(_int64, shape=[None, rank],
                          name=None if name is None else name + "/indices")
    result = SparseTensor(indices, values, dense_shape)
    result._dense_shape_default = default
    return result


# -- SparseToDense --------------------------------------------------------------------------------
def _sparse_to_dense(sparse_indices: Any, output_shape: Any, sparse_values: Any,
                     default_value: Any, validate_indices: bool, name: str | None) -> Tensor:
    graph = check_same_graph(sparse_indices, output_shape, sparse_values, default_value)
    full = graph._op_name(name, "SparseToDense")
    with scope_of(graph, full):
        idx = _index_input(sparse_indices, "sparse_indices")
        shp = typed_input(output_shape, idx._dtype, "SparseToDense", "output_shape",
                          "sparse_indices") if not isinstance(output_shape, Tensor) \
            else output_shape
        vals = convert_to_tensor(sparse_values, name="sparse_values")
        dflt = typed_input(default_value, vals._dtype, "SparseToDense", "default_value",
                           "sparse_values")
    if shp._dtype is not idx._dtype:
        raise TypeError(f"Input 'output_shape' of 'SparseToDense' Op has type "
                        f"{shp._dtype.name} that does not match type {idx._dtype.name} of "
                        f"argument 'sparse_indices'.")
    attrs_s = f"T={dt_enum(vals._dtype)}, Tindices={dt_enum(idx._dtype)}, " \
              f"validate_indices={str(validate_indices).lower()}"
    ins = [idx, shp, vals, dflt]
    if idx._shape is not None and len(idx._shape) > 2:
        raise node_error(f"Shape must be at most rank 2 but is rank {len(idx._shape)}", full,
                         "SparseToDense", attrs_s, ins)
    if shp._shape is not None and len(shp._shape) > 1:
        raise node_error(f"Shape must be at most rank 1 but is rank {len(shp._shape)}", full,
                         "SparseToDense", attrs_s, ins)
    if dflt._shape is not None and len(dflt._shape) != 0:
        raise node_error(f"Shape must be rank 0 but is rank {len(dflt._shape)}", full,
                         "SparseToDense", attrs_s, ins)
    out = constant_value_as_shape(shp) if shp._shape is None or len(shp._shape) == 1 else ()
    return make_op(graph, full, "SparseToDense", ins,
                   {"T": vals._dtype, "Tindices": idx._dtype,
                    "validate_indices": bool(validate_indices)},
                   [(vals._dtype, out)])._outputs[0]


def sparse_tensor_to_dense(sp_input: Any, default_value: Any = None,
                           validate_indices: bool = True, name: str | None = None) -> Tensor:
    """``tf.sparse.to_dense``: op ``SparseToDense`` of the triplet; the default a scalar
    zeros (its own ``zeros`` op, made before the op, as TF makes it)."""
    sp = _convert_to_sparse_tensor(sp_input)
    if default_value is None:
        default_value = builders.zeros([], dtype=sp.dtype)
    return _sparse_to_dense(sp.indices, sp.dense_shape, sp.values, default_value,
                            validate_indices, name)


def sparse_to_dense(sparse_indices: Any, output_shape: Any, sparse_values: Any,
                    default_value: Any = 0, validate_indices: bool = True,
                    name: str | None = None) -> Tensor:
    """``tf.sparse_to_dense`` (TF1): op ``SparseToDense``; indices may be scalar or 1-D (for a
    1-D output) or [N, rank], values a scalar broadcast to every index."""
    return _sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value,
                            validate_indices, name)


def _as_index_rows(idx: np.ndarray) -> np.ndarray:
    if idx.ndim == 0:
        return idx.reshape(1, 1)
    if idx.ndim == 1:
        return idx.reshape(-1, 1)
    return idx


def _fmt(row: Any) -> str:
    return "[" + ",".join(str(int(v)) for v in row) + "]"


def _check_indices(rows: np.ndarray, shape: np.ndarray, validate: bool) -> None:
    """SparseToDense's checks, in TF's order for each index: in bounds, then (validated) in
    lexicographic order and not repeated."""
    for n, row in enumerate(rows):
        if np.any(row < 0) or np.any(row >= shape):
            raise ValueError(f"indices[{n}] = {_fmt(row)} is out of bounds: need 0 <= index < "
                             f"{_fmt(shape)}")
        if validate and n:
            prev = tuple(rows[n - 1])
            cur = tuple(row)
            if cur < prev:
                raise ValueError(f"indices[{n}] = {_fmt(row)} is out of order. Many sparse ops "
                                 "require sorted indices.\n    Use `tf.sparse.reorder` to "
                                 "create a correctly ordered copy.\n\n")
            if cur == prev:
                raise ValueError(f"indices[{n}] = {_fmt(row)} is repeated")


@register_kernel("SparseToDense")
def _sparse_to_dense_kernel(op: Operation) -> Callable[..., Any]:
    validate = bool(op._attrs["validate_indices"])

    def kernel(idx: np.ndarray, shape: np.ndarray, vals: np.ndarray,
               dflt: np.ndarray) -> np.ndarray:
        shape = np.asarray(shape).reshape(-1)
        rows = _as_index_rows(np.asarray(idx))
        if rows.shape[1] != shape.size:
            raise ValueError(f"sparse_indices should be a scalar, vector, or matrix, got "
                             f"shape {list(idx.shape)}" if idx.ndim > 2 else
                             f"output_shape has incorrect number of elements: {shape.size} "
                             f"should be: {rows.shape[1]}")
        n = rows.shape[0]
        if vals.ndim and vals.size != n:
            raise ValueError(f"sparse_values has incorrect shape {list(vals.shape)}, should "
                             f"be [] or [{n}]")
        _check_indices(rows, shape, validate)
        out = np.full(tuple(int(d) for d in shape), dflt, dtype=vals.dtype)
        if n:
            out[tuple(rows.T)] = vals
        return out
    return kernel


@RegisterGradient("SparseToDense")
def _sparse_to_dense_grad(op: Operation, grad: Tensor) -> list[Any]:
    sparse_indices = op._inputs[0]
    sparse_values_grad = builders.gather_nd(grad, sparse_indices)
    default_value_grad = builders.subtract(builders.reduce_sum(grad),
                                           builders.reduce_sum(sparse_values_grad))
    return [builders.zeros_like(sparse_indices), builders.zeros_like(op._inputs[1]),
            sparse_values_grad, default_value_grad]


# -- the reduction axes of a SparseTensor ------------------------------------------------------
def _reduction_dims(sp: SparseTensor, axis: Any) -> Any:
    """TF's math_ops._ReductionDims for a SparseTensor: ``axis``, else every dimension (a
    constant when the rank is known)."""
    if axis is not None:
        return axis
    rank = sp.shape.ndims
    if rank is not None:
        return convert_to_tensor(np.arange(rank, dtype=np.int32))
    return builders.range(0, builders.size(sp.dense_shape, out_type=_int32))


# -- tf.shape / tf.size / tf.rank of a SparseTensor ---------------------------------------------
def _raw_cast(t: Tensor, dt: _dtypes.DType) -> Tensor:
    """gen_math_ops.cast: a Cast node even when ``t`` already has dtype ``dt`` (TF's
    shape_internal and size_internal build one for int64 too)."""
    graph = check_same_graph(t)
    return make_op(graph, graph._op_name(None, "Cast"), "Cast", [t],
                   {"SrcT": t._dtype, "DstT": dt, "Truncate": False}, [(dt, t._shape)])._outputs[0]


def sparse_shape(sp_input: Any, name: str | None = None, out_type: Any = None) -> Tensor:
    """TF's shape_internal for a SparseTensor: its dense_shape cast to ``out_type``
    (``Shape/Cast``); the static shape stays that of dense_shape."""
    sp = _convert_to_sparse_tensor(sp_input)
    with name_scope(name, "Shape", [sp.dense_shape]):
        return _raw_cast(sp.dense_shape, _int32 if out_type is None else _dtypes.as_dtype(out_type))


def sparse_size(sp_input: Any, name: str | None = None, out_type: Any = None) -> Tensor:
    """TF's size_internal for a SparseTensor: Prod (named ``Size``) of the cast dense_shape."""
    sp = _convert_to_sparse_tensor(sp_input)
    with name_scope(name, "Size", [sp.dense_shape]) as scope:
        dims = _raw_cast(sp.dense_shape, _int32 if out_type is None else _dtypes.as_dtype(out_type))
        out: Tensor = builders.reduce_prod(dims, 0, name=scope)
        return out


def sparse_rank(sp_input: Any, name: str | None = None) -> Tensor:
    """TF's rank_internal for a SparseTensor: a Size node (named ``Rank``) of dense_shape,
    never folded to a constant."""
    sp = _convert_to_sparse_tensor(sp_input)
    graph = check_same_graph(sp.dense_shape)
    return make_op(graph, graph._op_name(name, "Rank"), "Size", [sp.dense_shape],
                   {"T": sp.dense_shape._dtype, "out_type": _int32}, [(_int32, ())])._outputs[0]


# -- SparseTensorDenseMatMul ------------------------------------------------------------------
def sparse_tensor_dense_matmul(sp_a: Any, b: Any, adjoint_a: bool = False,
                               adjoint_b: bool = False, name: str | None = None) -> Tensor:
    """``tf.sparse.sparse_dense_matmul``: op ``SparseTensorDenseMatMul`` inside the name scope
    ``SparseTensorDenseMatMul``; a sparse ``b`` is the transposed product, as in TF."""
    if isinstance(b, (SparseTensor, SparseTensorValue)):
        if adjoint_a != adjoint_b:
            out: Tensor = builders.transpose(
                sparse_tensor_dense_matmul(b, sp_a, adjoint_a, adjoint_b))
            return out
        out = builders.transpose(sparse_tensor_dense_matmul(
            b, sp_a, adjoint_a=not adjoint_a, adjoint_b=not adjoint_b))
        return out
    sp = _convert_to_sparse_tensor(sp_a)
    with name_scope(name, "SparseTensorDenseMatMul", [sp.indices, sp.values, b]):
        bt = convert_to_tensor(b, name="b")
        return _sparse_dense_matmul(sp.indices, sp.values, sp.dense_shape, bt, adjoint_a,
                                    adjoint_b)


def _sparse_dense_matmul(a_indices: Tensor, a_values: Tensor, a_shape: Tensor, b: Tensor,
                         adjoint_a: bool, adjoint_b: bool) -> Tensor:
    graph = check_same_graph(a_indices, a_values, a_shape, b)
    full = graph._op_name(None, "SparseTensorDenseMatMul")
    if b._dtype is not a_values._dtype:
        raise TypeError(f"Input 'b' of 'SparseTensorDenseMatMul' Op has type {b._dtype.name} "
                        f"that does not match type {a_values._dtype.name} of argument "
                        "'a_values'.")
    ins = [a_indices, a_values, a_shape, b]
    attrs_s = (f"T={dt_enum(b._dtype)}, Tindices={dt_enum(a_indices._dtype)}, "
               f"adjoint_a={str(adjoint_a).lower()}, adjoint_b={str(adjoint_b).lower()}")
    a_dims = constant_value_as_shape(a_shape)
    if a_dims is not None and len(a_dims) != 2:
        raise node_error(f"Shape must be rank 2 but is rank {len(a_dims)}", full,
                         "SparseTensorDenseMatMul", attrs_s, ins)
    if b._shape is not None and len(b._shape) != 2:
        raise node_error(f"Shape must be rank 2 but is rank {len(b._shape)}", full,
                         "SparseTensorDenseMatMul", attrs_s, ins)
    left = None if a_dims is None else a_dims[1 if adjoint_a else 0]
    inner_a = None if a_dims is None else a_dims[0 if adjoint_a else 1]
    right = None if b._shape is None else b._shape[0 if adjoint_b else 1]
    inner_b = None if b._shape is None else b._shape[1 if adjoint_b else 0]
    if inner_a is not None and inner_b is not None and inner_a != inner_b:
        raise node_error(f"Dimensions must be equal, but are {inner_a} and {inner_b}", full,
                         "SparseTensorDenseMatMul", attrs_s, ins)
    return make_op(graph, full, "SparseTensorDenseMatMul", ins,
                   {"T": b._dtype, "Tindices": a_indices._dtype, "adjoint_a": bool(adjoint_a),
                    "adjoint_b": bool(adjoint_b)},
                   [(b._dtype, (left, right))])._outputs[0]


def _add_rows_in_order(out: np.ndarray, rows: np.ndarray, terms: np.ndarray) -> None:
    """out[rows[n]] += terms[n], adding into each row in the order n runs, as TF's kernel does,
    so float sums round as TF's (the float32/float64 path, half included as TF sums it in
    float32, runs the same loop in C++; this one serves complex). Vectorised across rows:
    the j-th term of every row is added in pass j, so the passes number the most terms any
    one row has."""
    terms = terms.astype(out.dtype, copy=False)
    if not (rows[1:] >= rows[:-1]).all():  # canonical (row-major) indices need no sort
        order = np.argsort(rows, kind="stable")
        rows, terms = rows[order], terms[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    lengths = np.diff(np.r_[starts, rows.size])
    by_len = np.argsort(-lengths, kind="stable")  # longest first: pass j takes a prefix
    starts, lengths = starts[by_len], lengths[by_len]
    acc = out[rows[starts]] + terms[starts]
    for j in range(1, int(lengths[0])):
        live = int(np.count_nonzero(lengths > j))
        acc[:live] += terms[starts[:live] + j]
    out[rows[starts]] = acc


@register_kernel("SparseTensorDenseMatMul")
def _sparse_dense_matmul_kernel(op: Operation) -> Callable[..., Any]:
    adj_a = bool(op._attrs["adjoint_a"])
    adj_b = bool(op._attrs["adjoint_b"])

    def kernel(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray,
               b: np.ndarray) -> np.ndarray:
        if shape.size != 2:
            raise ValueError(f"Tensor 'a_shape' is not a vector of length 2 but has "
                             f"{shape.size} elements")
        bb = b.conj().T if adj_b else b
        rows_a, cols_a = int(shape[0]), int(shape[1])
        out_rows, inner = (cols_a, rows_a) if adj_a else (rows_a, cols_a)
        if inner != bb.shape[0]:
            raise ValueError(f"Cannot multiply A and B because inner dimension does not match: "
                             f"{inner} vs. {bb.shape[0]}.  Did you forget a transpose?  "
                             f"Dimensions of A: [{rows_a}, {cols_a}).  Dimensions of B: "
                             f"{list(b.shape)}")
        ms = idx[:, 1 if adj_a else 0].astype(np.int64)
        ks = idx[:, 0 if adj_a else 1].astype(np.int64)
        bad = (ks < 0) | (ks >= inner) | (ms < 0) | (ms >= out_rows)
        if bad.any():
            # TF checks entry by entry, k before m: report the first bad entry as it does.
            n = int(np.argmax(bad))
            k, m = int(ks[n]), int(ms[n])
            if not 0 <= k < inner:
                raise ValueError(f"k ({k}) from index[{n},{0 if adj_a else 1}] out of bounds "
                                 f"(>={inner})")
            raise ValueError(f"m ({m}) from index[{n},{1 if adj_a else 0}] out of bounds "
                             f"(>={out_rows})")
        v = vals.conj() if adj_a else vals
        if b.dtype == np.float16:
            # TF's SumType<Eigen::half> is float: products and sums in float32, one rounding
            bb, v = bb.astype(np.float32), v.astype(np.float32)
        out = np.zeros((out_rows, bb.shape[1]), dtype=bb.dtype)
        if ms.size and out.dtype in (np.float32, np.float64):
            _kernels.sparse_dense_matmul_rows(out, ms, ks, np.ascontiguousarray(v, out.dtype),
                                              np.ascontiguousarray(bb))
        elif ms.size:
            _add_rows_in_order(out, ms, v[:, None] * bb[ks])
        return out.astype(b.dtype, copy=False)
    return kernel


@RegisterGradient("SparseTensorDenseMatMul")
def _sparse_dense_matmul_grad(op: Operation, grad: Tensor) -> list[Any]:
    """sparse_grad._SparseTensorDenseMatMulGrad: the dense gradient by another sparse product;
    the values' gradient as row-by-row dot products of gathered rows."""
    a_indices, a_values, a_shape, b = op._inputs
    adj_a = bool(op._attrs["adjoint_a"])
    adj_b = bool(op._attrs["adjoint_b"])
    b_grad = _sparse_dense_matmul(a_indices, a_values, a_shape, grad, not adj_a, False)
    if adj_b:
        b_grad = builders.matrix_transpose(b_grad, conjugate=True)
    rows = a_indices[:, 0]
    cols = a_indices[:, 1]
    parts_a = builders.gather(grad, cols if adj_a else rows)
    parts_b = builders.gather(builders.transpose(b) if adj_b else b, rows if adj_a else cols)
    ex = builders.expand_dims
    mm = builders.matmul
    if not adj_a and not adj_b:
        g = mm(ex(parts_a, -2), ex(parts_b, -2), adjoint_b=True)
    elif adj_a and not adj_b:
        g = mm(ex(parts_a, -1), ex(parts_b, -1), adjoint_a=True)
    elif not adj_a and adj_b:
        g = mm(ex(parts_a, -2), ex(parts_b, -1))
    else:
        g = mm(ex(parts_a, -1), ex(parts_b, -2), adjoint_a=True, adjoint_b=True)
    return [None, builders.squeeze(g, axis=[-2, -1]), None, b_grad]


# -- SparseReorder, sparse_retain --------------------------------------------------------------
def sparse_reorder(sp_input: Any, name: str | None = None) -> SparseTensor:
    """``tf.sparse.reorder``: op ``SparseReorder`` (row-major order); the dense shape a
    constant when known, else an identity of the input's."""
    sp = _convert_to_sparse_tensor(sp_input)
    graph = check_same_graph(sp.indices, sp.values, sp.dense_shape)
    full = graph._op_name(name, "SparseReorder")
    op = make_op(graph, full, "SparseReorder", [sp.indices, sp.values, sp.dense_shape],
                 {"T": sp.dtype}, [(_int64, sp.indices._shape), (sp.dtype, sp.values._shape)])
    ind, val = op._outputs
    if sp.get_shape().is_fully_defined():
        return SparseTensor(ind, val, sp.get_shape().as_list())
    out = SparseTensor(ind, val, builders.identity(sp.dense_shape))
    out.set_shape(sp.shape)
    return out


@register_kernel("SparseReorder")
def _sparse_reorder_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray) -> tuple[Any, Any]:
        if idx.shape[0] == 0:
            return idx.copy(), vals.copy()
        order = np.lexsort(idx.T[::-1])
        return idx[order], vals[order]
    return kernel


@RegisterGradient("SparseReorder")
def _sparse_reorder_grad(op: Operation, unused_indices_grad: Any,
                         values_grad: Tensor) -> list[Any]:
    input_indices, input_shape = op._inputs[0], op._inputs[2]
    num_entries = builders.shape(input_indices)[0]
    entry_indices = builders.range(num_entries)
    sp_ordered = sparse_reorder(SparseTensor(input_indices, entry_indices, input_shape))
    inverted = builders.invert_permutation(sp_ordered.values)
    return [None, builders.gather(values_grad, inverted), None]


def sparse_retain(sp_input: Any, to_retain: Any) -> SparseTensor:
    """``tf.sparse.retain``: the entries whose ``to_retain`` is true (a where and two
    gathers)."""
    sp = _convert_to_sparse_tensor(sp_input)
    keep = convert_to_tensor(to_retain)
    keep.get_shape().assert_has_rank(1)
    if sp.values.get_shape().ndims is not None:
        as_dimension(sp.values.get_shape()[0]).assert_is_compatible_with(keep.get_shape()[0])
    where_true = builders.reshape(builders.where_v2(keep), [-1])
    return SparseTensor(builders.gather(sp.indices, where_true),
                        builders.gather(sp.values, where_true),
                        builders.identity(sp.dense_shape))


# -- SparseSoftmax -----------------------------------------------------------------------------
def sparse_softmax(sp_input: Any, name: str | None = None) -> SparseTensor:
    """``tf.sparse.softmax``: op ``SparseSoftmax`` over the last dimension's present
    entries, inside the name scope ``SparseSoftmax``."""
    sp = _convert_to_sparse_tensor(sp_input)
    with name_scope(name, "SparseSoftmax", [sp.indices, sp.values]):
        graph = get_default_graph()
        full = graph._op_name(None, "SparseSoftmax")
        vals = make_op(graph, full, "SparseSoftmax", [sp.indices, sp.values, sp.dense_shape],
                       {"T": sp.dtype}, [(sp.dtype, sp.values._shape)])._outputs[0]
        return SparseTensor(sp.indices, vals, sp.dense_shape)


@register_kernel("SparseSoftmax")
def _sparse_softmax_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray) -> np.ndarray:
        if shape.size < 2:
            raise ValueError(f"Input should have rank >= 2, but received shape: "
                             f"{list(shape)}")
        build_shape_check(shape)
        out = np.empty_like(vals)
        groups: dict[tuple[int, ...], list[int]] = {}
        for n in range(idx.shape[0]):
            groups.setdefault(tuple(int(v) for v in idx[n, :-1]), []).append(n)
        for members in groups.values():
            x = vals[members]
            e = np.exp(x - x.max())
            out[members] = e / e.sum()
        return out
    return kernel


@RegisterGradient("SparseSoftmax")
def _sparse_softmax_grad(op: Operation, grad: Tensor) -> list[Any]:
    """sparse_grad._SparseSoftmaxGrad: (grad - the row sums of grad * softmax) * softmax, the
    row sums by SparseReduceSum added back at the entries by SparseDenseCwiseAdd."""
    indices, shape = op._inputs[0], op._inputs[2]
    out_vals = op._outputs[0]
    sp_grad = SparseTensor(indices, grad, shape)
    product = SparseTensor(indices, out_vals * grad, shape)
    sum_reduced = -builders.sparse_reduce_sum(product, [-1], keepdims=True)
    sp_sum = builders.sparse_dense_cwise_add(sp_grad, sum_reduced)
    return [None, sp_sum.values * out_vals, None]


builders.register(globals(), [*__all__, "sparse_shape", "sparse_size", "sparse_rank"])
