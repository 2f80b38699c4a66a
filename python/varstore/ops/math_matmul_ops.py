"""Matrix products: matmul (MatMul, BatchMatMulV2) and tensordot, each with its shape
inference, kernel and gradient (TF's math_ops)."""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.op_def_library import (
    check_allowed,
    check_same_graph,
    first_input,
    typed_input,
)
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
from varstore.framework.tensor_shape import shape_str
from varstore.ops.array_ops import reshape, shape
from varstore.ops.array_slicing_ops import gather
from varstore.ops.math_reduce_ops import _out, reduce_prod, reduce_sum

__all__ = [
    "matmul",
    "sparse_matmul",
    "tensordot",
]

DType = _dtypes.DType
Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32
_int64 = _dtypes.int64
_MATMUL_TYPES = ("bfloat16, float16, float32, float64, int32, int64, uint8, uint16, uint32, "
                 "uint64, complex64, complex128")
_REDUCE_TYPES = ("float32, float64, int32, uint8, int16, int8, complex64, int64, qint8, quint8, "
                 "qint32, bfloat16, qint16, quint16, uint16, complex128, float16, uint32, uint64")


# -- matmul -----------------------------------------------------------------------------------------
def matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False,
           adjoint_a: bool = False, adjoint_b: bool = False, a_is_sparse: bool = False,
           b_is_sparse: bool = False, output_type: Any = None, grad_a: bool = False,
           grad_b: bool = False, name: str | None = None) -> Tensor:
    """``tf.matmul``: op ``MatMul``; ``BatchMatMulV2`` when an operand may have batch
    dimensions (rank above 2 or unknown); ``SparseMatMul`` for float32 operands flagged
    ``a_is_sparse`` / ``b_is_sparse``, as TF chooses."""
    graph = check_same_graph(a, b)
    full = graph._op_name(name, "MatMul")  # TF takes the name before it checks the flags
    if transpose_a and adjoint_a:
        raise ValueError(f"Only one of `transpose_a` and `adjoint_a` can be True. Received "
                         f"`transpose_a`={transpose_a}, `adjoint_a`={adjoint_a}.")
    if transpose_b and adjoint_b:
        raise ValueError(f"Only one of `transpose_b` and `adjoint_b` can be True. Received "
                         f"`transpose_b`={transpose_b}, `adjoint_b`={adjoint_b}.")
    with scope_of(graph, full):
        ta_ = first_input(a, "a")
        tb_ = typed_input(b, ta_._dtype, "MatMul", "b", "a")
        if ta_._dtype.is_complex:
            # TF's matmul: MatMul has no adjoint, so an adjoint operand is conjugated and
            # transposed; BatchMatMulV2 has no plain transpose, so a transposed operand is
            # conjugated and passed as an adjoint (adj_x / adj_y conjugate it back)
            matrix = _matrices(ta_, tb_, a_is_sparse or b_is_sparse)
            if adjoint_a if matrix else transpose_a:
                ta_ = builders.conj(ta_)
            if adjoint_b if matrix else transpose_b:
                tb_ = builders.conj(tb_)
    ta, tb = bool(transpose_a or adjoint_a), bool(transpose_b or adjoint_b)
    if (a_is_sparse or b_is_sparse) and ta_._dtype == tb_._dtype == _dtypes.float32:
        return _sparse_matmul_node(graph, full, ta_, tb_, ta, tb, bool(a_is_sparse),
                                   bool(b_is_sparse))
    return _matmul_node(graph, full, ta_, tb_, ta, tb, bool(grad_a), bool(grad_b),
                        matrix_only=bool(a_is_sparse or b_is_sparse))


def _matrices(a: Tensor, b: Tensor, sparse: bool) -> bool:
    """Whether TF builds a MatMul (not BatchMatMulV2): both operands of rank 2 at most."""
    return bool(sparse) or not (a._shape is None or len(a._shape) > 2 or b._shape is None
                                or len(b._shape) > 2)


def _flag(v: bool) -> str:
    return str(v).lower()


def _matmul_node(graph: Any, full: str, a: Tensor, b: Tensor, ta: bool, tb: bool,
                 grad_a: bool = False, grad_b: bool = False,
                 matrix_only: bool = False) -> Tensor:
    dt = a._dtype
    if dt.name not in _MATMUL_TYPES.split(", "):
        check_allowed(dt, _MATMUL_TYPES, "a")
    sa, sb = a._shape, b._shape
    # TF's output_may_have_non_empty_batch_shape; sparsity hints (and TF's MatMul gradient)
    # always build a MatMul
    batch = not matrix_only and (sa is None or len(sa) > 2 or sb is None or len(sb) > 2)
    if not batch:
        attrs = {"T": dt, "transpose_a": ta, "transpose_b": tb, "grad_a": grad_a,
                 "grad_b": grad_b}
        text = (f"T={dt_enum(dt)}, grad_a={_flag(grad_a)}, grad_b={_flag(grad_b)}, "
                f"transpose_a={_flag(ta)}, transpose_b={_flag(tb)}")
        return _out(make_op(graph, full, "MatMul", [a, b], attrs,
                            [(dt, _matrix_shape(full, "MatMul", text, a, b, ta, tb))]))
    attrs = {"T": dt, "adj_x": ta, "adj_y": tb, "grad_x": grad_a, "grad_y": grad_b}
    text = (f"T={dt_enum(dt)}, adj_x={_flag(ta)}, adj_y={_flag(tb)}, "
            f"grad_x={_flag(grad_a)}, grad_y={_flag(grad_b)}")
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
    elif sa is not None or sb is not None:
        # one operand of unknown rank: only the other's rank-2 check can fail here
        for known in (sa, sb):
            if known is not None and len(known) < 2:
                raise node_error(f"Shape must be at least rank 2 but is rank {len(known)}", full,
                                 "BatchMatMulV2", text, [a, b])
    return _out(make_op(graph, full, "BatchMatMulV2", [a, b], attrs, [(dt, out)]))


def _matrix_shape(full: str, op_type: str, text: str, a: Tensor, b: Tensor, ta: bool,
                  tb: bool) -> Dims:
    """MatMul's shape function (SparseMatMul's too): rank 2 operands, inner sizes equal."""
    sa, sb = a._shape, b._shape
    for s in (sa, sb):
        if s is not None and len(s) != 2:
            raise node_error(f"Shape must be rank 2 but is rank {len(s)}", full, op_type,
                             text, [a, b])
    m = None if sa is None else (sa[1] if ta else sa[0])
    ka = None if sa is None else (sa[0] if ta else sa[1])
    kb = None if sb is None else (sb[1] if tb else sb[0])
    n = None if sb is None else (sb[0] if tb else sb[1])
    if ka is not None and kb is not None and ka != kb:
        raise node_error(f"Dimensions must be equal, but are {ka} and {kb}", full, op_type,
                         text, [a, b])
    return (m, n)


# -- SparseMatMul: a MatMul hinted that an operand is mostly zeros -----------------------------------
_SPARSE_MATMUL_TYPES = "float32, bfloat16"


def sparse_matmul(a: Any, b: Any, transpose_a: bool = False, transpose_b: bool = False,
                  a_is_sparse: bool = False, b_is_sparse: bool = False,
                  name: str | None = None) -> Tensor:
    """``tf.sparse_matmul`` (TF1): op ``SparseMatMul``, float32 operands, a float32
    product; the sparsity flags are hints, the product is exact."""
    graph = check_same_graph(a, b)
    full = graph._op_name(name, "SparseMatMul")
    with scope_of(graph, full):
        ta_ = first_input(a, "a")
        tb_ = first_input(b, "b")
    check_allowed(ta_._dtype, _SPARSE_MATMUL_TYPES, "a")
    check_allowed(tb_._dtype, _SPARSE_MATMUL_TYPES, "b")
    return _sparse_matmul_node(graph, full, ta_, tb_, bool(transpose_a), bool(transpose_b),
                               bool(a_is_sparse), bool(b_is_sparse))


def _sparse_matmul_node(graph: Any, full: str, a: Tensor, b: Tensor, ta: bool, tb: bool,
                        a_sparse: bool, b_sparse: bool) -> Tensor:
    attrs = {"Ta": a._dtype, "Tb": b._dtype, "a_is_sparse": a_sparse, "b_is_sparse": b_sparse,
             "transpose_a": ta, "transpose_b": tb}
    text = (f"Ta={dt_enum(a._dtype)}, Tb={dt_enum(b._dtype)}, a_is_sparse={_flag(a_sparse)}, "
            f"b_is_sparse={_flag(b_sparse)}, transpose_a={_flag(ta)}, transpose_b={_flag(tb)}")
    out = _matrix_shape(full, "SparseMatMul", text, a, b, ta, tb)
    return _out(make_op(graph, full, "SparseMatMul", [a, b], attrs, [(_dtypes.float32, out)]))


@register_kernel("SparseMatMul")
def _sparse_matmul_kernel(op: Operation) -> Callable[..., Any]:
    ta = op._attrs["transpose_a"]
    tb = op._attrs["transpose_b"]
    return _checked_matmul(lambda x, y: np.matmul(x.T if ta else x, y.T if tb else y)
                           .astype(np.float32))


@RegisterGradient("SparseMatMul")
def _sparse_matmul_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    """TF's _SparseMatMulGrad: each product through tf.matmul with the operands' sparsity
    flags (the incoming gradient counted sparse when a ReluGrad made it)."""
    ta, tb = op._attrs["transpose_a"], op._attrs["transpose_b"]
    a, b = op._inputs
    flags = {id(a): op._attrs["a_is_sparse"], id(b): op._attrs["b_is_sparse"],
             id(grad): grad._op._type == "ReluGrad"}

    def mm(t1: Tensor, t2: Tensor, out_dtype: Any, transpose_a: bool = False,
           transpose_b: bool = False) -> Tensor:
        s1, s2 = flags[id(t1)], flags[id(t2)]
        if transpose_b:
            t2 = builders.transpose(t2)
            transpose_b = False
        prod = matmul(t1, t2, transpose_a=transpose_a, transpose_b=transpose_b,
                      a_is_sparse=s1, b_is_sparse=s2)
        return prod if prod.dtype == out_dtype else builders.cast(prod, out_dtype)

    da, db = a._dtype, b._dtype
    if not ta and not tb:
        return [mm(grad, b, da, transpose_b=True), mm(a, grad, db, transpose_a=True)]
    if not ta and tb:
        return [mm(grad, b, da), mm(grad, a, db, transpose_a=True)]
    if ta and not tb:
        return [mm(b, grad, da, transpose_b=True), mm(a, grad, db)]
    return [mm(b, grad, da, transpose_a=True, transpose_b=True),
            mm(grad, a, db, transpose_a=True, transpose_b=True)]


@register_kernel("MatMul")
def _matmul_kernel(op: Operation) -> Callable[..., Any]:
    ta = op._attrs["transpose_a"]
    tb = op._attrs["transpose_b"]
    if not ta and not tb:
        return _checked_matmul(np.matmul)
    return _checked_matmul(lambda x, y: np.matmul(x.T if ta else x, y.T if tb else y))


def _checked_matmul(fn: Callable[..., Any], flags: tuple[bool, bool] | None = None
                    ) -> Callable[..., Any]:
    tail = "" if flags is None else f" {int(flags[0])} {int(flags[1])}"

    def mm(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        try:
            return np.asarray(fn(x, y))
        except ValueError:
            raise ValueError(f"Matrix size-incompatible: In[0]: {shape_str(x.shape)}, In[1]: "
                             f"{shape_str(y.shape)}{tail}") from None
    return mm


@register_kernel("BatchMatMulV2")
def _batch_matmul_kernel(op: Operation) -> Callable[..., Any]:
    ta = op._attrs["adj_x"]
    tb = op._attrs["adj_y"]
    # TF's float32 / bfloat16 BatchMatMul (its oneDNN kernel) ends the size message with the
    # two adjoint flags; the other types' kernel does not
    flags = (ta, tb) if op._attrs["T"].name in ("float32", "bfloat16") else None
    # adj_x / adj_y are adjoints: conjugated transposes for complex operands
    def adjoint(m: np.ndarray) -> np.ndarray:
        t = np.swapaxes(m, -1, -2)
        return np.conj(t) if m.dtype.kind == "c" else t  # (conj copies even a real array)

    def batch_matmul(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        a = adjoint(x) if ta else x
        b = adjoint(y) if tb else y
        if (a.ndim == 3 and b.ndim == 3 and a.shape[1] == 1 and b.shape[2] == 1
                and a.shape[0] == b.shape[0] > 64 and a.shape[2] == b.shape[1]):
            # a stack of dot products (a sparse matmul's values gradient: nnz 1xK by Kx1):
            # NumPy's matmul loops over the stack matrix by matrix, einsum's sum of products
            # is 3-4x faster there
            return np.einsum("nk,nk->n", a[:, 0, :], b[:, :, 0])[:, None, None]  # type: ignore[no-any-return]
        return np.matmul(a, b)  # type: ignore[no-any-return]

    return _checked_matmul(batch_matmul, flags)


@RegisterGradient("MatMul")
def _matmul_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    a, b = op._inputs
    ta = op._attrs["transpose_a"]
    tb = op._attrs["transpose_b"]
    graph = grad._op._graph
    if a._dtype.is_complex:
        # TF's _MatMulGrad works on the conjugated operands (a no-op for real ones)
        a, b = builders.conj(a), builders.conj(b)

    def mm(x: Tensor, y: Tensor, tx: bool, ty: bool, first: bool) -> Tensor:
        # TF's _MatMulGrad builds gen_math_ops.mat_mul with grad_a / grad_b set
        return _matmul_node(graph, graph._op_name("MatMul", "MatMul"), x, y, tx, ty,
                            grad_a=first, grad_b=not first, matrix_only=True)

    if not ta and not tb:
        return [mm(grad, b, False, True, True), mm(a, grad, True, False, False)]
    if not ta and tb:
        return [mm(grad, b, False, False, True), mm(grad, a, True, False, False)]
    if ta and not tb:
        return [mm(b, grad, False, True, True), mm(a, grad, False, False, False)]
    return [mm(b, grad, True, True, True), mm(grad, a, True, True, False)]


@RegisterGradient("BatchMatMulV2")
def _batch_matmul_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    x, y = op._inputs
    ax = op._attrs["adj_x"]
    ay = op._attrs["adj_y"]
    graph = grad._op._graph

    def mm(p: Tensor, q: Tensor, tp: bool, tq: bool, first: bool) -> Tensor:
        # TF's gradient calls math_ops.matmul with grad_a / grad_b set
        return _matmul_node(graph, graph._op_name("MatMul", "MatMul"), p, q, tp, tq,
                            grad_a=first, grad_b=not first)

    if not ax:
        gx = mm(grad, y, False, True, True) if not ay else mm(grad, y, False, False, True)
    else:
        gx = mm(y, grad, False, True, True) if not ay else mm(y, grad, True, True, True)
    if not ay:
        gy = mm(x, grad, True, False, False) if not ax else mm(x, grad, False, False, False)
    else:
        gy = mm(grad, x, True, False, False) if not ax else mm(grad, x, True, True, False)
    return _unbatch_pair(x, y, gx, gy)


def _unbatch_pair(x: Tensor, y: Tensor, gx: Tensor, gy: Tensor) -> list[Tensor]:
    """TF's tail of _BatchMatMulV2: unless both operands are matrices, or their batch shapes
    are statically known and equal, each gradient is summed over the batch dimensions its
    operand was broadcast along (BroadcastGradientArgs of the two batch shapes)."""
    sx, sy = x.get_shape(), y.get_shape()
    may_batch = sx.rank is None or sx.rank > 2 or sy.rank is None or sy.rank > 2
    if not may_batch or (sx[:-2].is_fully_defined() and sy[:-2].is_fully_defined()
                         and sx[:-2] == sy[:-2]):
        return [gx, gy]
    shape_x, shape_y = shape(x), shape(y)
    rx, ry = builders.broadcast_gradient_args(shape_x[:-2], shape_y[:-2])
    return [reshape(reduce_sum(gx, rx), shape_x), reshape(reduce_sum(gy, ry), shape_y)]


# -- tensordot ------------------------------------------------------------------------------------
def _tensordot_reshape(a: Tensor, axes: Any, flipped: bool = False
                       ) -> tuple[Tensor, Any, Any]:
    """TF's _tensordot_reshape: ``a`` as a matrix (free dims x contracted dims)."""
    dims = a._shape
    if dims is not None and None not in dims and isinstance(axes, list):
        shape_a = list(dims)
        axes = [i if i >= 0 else i + len(shape_a) for i in axes]
        free = [i for i in builtins.range(len(shape_a)) if i not in axes]
        free_dims = [shape_a[i] for i in free]
        prod_free = math.prod(free_dims)  # type: ignore[arg-type]
        prod_axes = math.prod([shape_a[i] for i in axes])
        perm = list(axes) + free if flipped else free + list(axes)
        new_shape = [prod_axes, prod_free] if flipped else [prod_free, prod_axes]
        a_trans = builders.transpose(a, perm) if perm != list(builtins.range(len(shape_a))) else a
        reshaped = reshape(a_trans, new_shape) if list(a_trans._shape or ()) != new_shape \
            else a_trans
        return reshaped, free_dims, free_dims
    if dims is not None and isinstance(axes, list):
        shape_l = list(dims)
        axes = [i if i >= 0 else i + len(shape_l) for i in axes]
        free_l = [i for i in builtins.range(len(shape_l)) if i not in axes]
        free_static: Any = [shape_l[i] for i in free_l]
        axes_t = convert_to_tensor(axes, dtype=_int32, name="axes")
        free_t = convert_to_tensor(free_l, dtype=_int32, name="free")
        shape_t = shape(a)
    else:
        # unknown rank (or axes given as a tensor): TF's dynamic path, negative axes wrapped
        # with Select and the free axes a ListDiff of range(rank)
        free_static = None
        shape_t = shape(a)
        rank_a = builders.rank(a)
        axes_t = convert_to_tensor(axes, dtype=_int32, name="axes")
        axes_t = builders.where(axes_t >= 0, axes_t, axes_t + rank_a)
        free_t, _ = builders.setdiff1d(builders.range(rank_a), axes_t)
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


def _tensordot_axes(a: Tensor, axes: Any) -> tuple[Any, Any]:
    """TF's _tensordot_axes: the contraction axes of ``a`` and ``b`` (lists, or tensors when
    the rank or the axes are known only at run time)."""
    if isinstance(axes, (int, np.integer)) and not isinstance(axes, bool):
        n = int(axes)
        if n < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {n}.")
        if a._shape is not None:
            r = len(a._shape)
            if n > r:
                raise ValueError("`axes` must not be larger than the number of dimensions of "
                                 f"tensor {a}.  Received {n}, vs tensor dimensions {r}.")
            return list(builtins.range(r - n, r)), list(builtins.range(n))
        rank = builders.rank(a)
        return (builders.range(rank - n, rank, dtype=_int32),
                builders.range(n, dtype=_int32))
    if isinstance(axes, (list, tuple)):
        if len(axes) != 2:
            raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
        a_axes, b_axes = axes
        if isinstance(a_axes, (int, np.integer)) and isinstance(b_axes, (int, np.integer)):
            a_axes, b_axes = [a_axes], [b_axes]
        if len(a_axes) != len(b_axes):
            raise ValueError("Different number of contraction axes `a` and `b`, "
                             f"{len(a_axes)} != {len(b_axes)}.")
        return [int(v) for v in a_axes], [int(v) for v in b_axes]
    axes_t = convert_to_tensor(axes, name="axes", dtype=_int32)
    return axes_t[0], axes_t[1]


def tensordot(a: Any, b: Any, axes: Any, name: str | None = None) -> Tensor:
    """``tf.tensordot``: transpose, reshape, one MatMul, reshape (TF's static-shape path; with
    an unknown shape, rank or axes tensor, the dynamic one with Shape/GatherV2/Prod)."""
    graph = check_same_graph(a, b, axes)
    full = graph._op_name(name, "Tensordot")
    with scope_of(graph, full):
        ta = convert_to_tensor(a, name="a")
        tb = convert_to_tensor(b, name="b")
        a_axes, b_axes = _tensordot_axes(ta, axes)
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

builders.register(globals(), __all__)
builders.matmul_node = _matmul_node
