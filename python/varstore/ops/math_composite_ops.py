"""TF's smaller math composites and the two ops they need: MulNoNan (``tf.math.multiply_no_nan``)
and Cross (``tf.cross`` / ``tf.linalg.cross``), each with its kernel and TF's gradient
(math_grad.py); ``reciprocal_no_nan``, ``erfcinv``, ``tf.linalg.matvec``,
``tf.linalg.normalize`` and ``tf.clip_by_average_norm`` built from other ops under TF's
scopes, as TF's math_ops, nn_impl and clip_ops build them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import FailedPreconditionError
from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.graph import name_scope
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
from varstore.framework.tensor_shape import merge, merge_error, shape_str
from varstore.ops.array_ops import expand_dims, identity, rank, size, squeeze
from varstore.ops.linalg_ops import norm
from varstore.ops.math_matmul_ops import matmul
from varstore.ops.math_misc_ops import ndtri
from varstore.ops.math_ops import _binary_node, _pair, div_no_nan, minimum
from varstore.ops.math_reduce_ops import reduce_sum
from varstore.ops.math_sequence_ops import range as _range
from varstore.ops.math_unary_ops import cast, rsqrt

__all__ = [
    "clip_by_average_norm",
    "cross",
    "erfcinv",
    "matvec",
    "multiply_no_nan",
    "normalize",
    "reciprocal_no_nan",
]

_MUL_NO_NAN = "bfloat16, float16, float32, float64, complex64, complex128"
_CROSS = ("float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, float16, "
          "uint32, uint64")


def multiply_no_nan(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.math.multiply_no_nan``: op ``MulNoNan`` named after its scope, x * y with 0
    wherever y is 0 (even where x is inf or NaN)."""
    with name_scope(name, "multiply_no_nan", [x, y]) as scope:
        tx = convert_to_tensor(x, name="x")
        ty = convert_to_tensor(y, name="y", dtype=tx._dtype)
        if tx._dtype is not ty._dtype:
            raise TypeError(f"`x` and `y` must have the same dtype, got {tx._dtype!r} != "
                            f"{ty._dtype!r}")
        return _mul_no_nan(tx, ty, scope)


def _mul_no_nan(x: Any, y: Any, name: str | None = None) -> Tensor:
    """gen_math_ops.mul_no_nan: the bare op (the gradient builds it too)."""
    graph = check_same_graph(x, y)
    full = graph._op_name(name, "MulNoNan")
    with scope_of(graph, full):
        tx = first_input(x, "x")
        ty = typed_input(y, tx._dtype, "MulNoNan", "y", "x")
    check_allowed(tx._dtype, _MUL_NO_NAN, "x")
    return _binary_node(graph, full, "MulNoNan", tx, ty)


def reciprocal_no_nan(x: Any, name: str | None = None) -> Tensor:
    """``tf.math.reciprocal_no_nan``: DivNoNan(1, x) named after its scope (0 where x is 0)."""
    with name_scope(name, "reciprocal_no_nan", [x]) as scope:
        t = convert_to_tensor(x, name="x")
        one = constant(1, dtype=t._dtype, name="one")
        return div_no_nan(one, t, name=scope)


def erfcinv(x: Any, name: str | None = None) -> Tensor:
    """``tf.math.erfcinv``: -ndtri(0.5 * x) * sqrt(0.5) under ``erfcinv``."""
    with name_scope(name, "erfcinv", [x]):
        t = convert_to_tensor(x, name="start")
        return -ndtri(0.5 * t) * np.sqrt(0.5)  # type: ignore[no-any-return]


def cross(a: Any, b: Any, name: str | None = None) -> Tensor:
    """``tf.cross`` / ``tf.linalg.cross``: op ``Cross``, the cross product of the 3-vectors
    along the last axis of two tensors of one shape."""
    graph = check_same_graph(a, b)
    full = graph._op_name(name, "Cross")
    with scope_of(graph, full):
        ta = first_input(a, "a")
        tb = typed_input(b, ta._dtype, "Cross", "b", "a")
    check_allowed(ta._dtype, _CROSS, "a")
    attrs = f"T={dt_enum(ta._dtype)}"
    for t in (ta, tb):
        if t._shape is not None and len(t._shape) < 1:
            raise node_error(f"Shape must be at least rank 1 but is rank {len(t._shape)}",
                             full, "Cross", attrs, [ta, tb])
    out = merge(ta._shape, tb._shape)
    if out is not None and not isinstance(out, tuple):
        raise node_error(merge_error(ta._shape, tb._shape), full, "Cross", attrs, [ta, tb])
    if out is not None and out[-1] is not None and out[-1] != 3:
        raise node_error(f"Dimension must be 3 but is {out[-1]}", full, "Cross", attrs,
                         [ta, tb])
    return make_op(graph, full, "Cross", [ta, tb], {"T": ta._dtype},
                   [(ta._dtype, out)])._outputs[0]


def matvec(a: Any, b: Any, transpose_a: bool = False, adjoint_a: bool = False,
           a_is_sparse: bool = False, b_is_sparse: bool = False,
           name: str | None = None) -> Tensor:
    """``tf.linalg.matvec``: squeeze(matmul(a, expand_dims(b, -1)), -1) under ``MatVec``."""
    with name_scope(name, "MatVec", [a, b]):
        output = matmul(a, expand_dims(b, axis=-1), transpose_a=transpose_a,
                        adjoint_a=adjoint_a, a_is_sparse=a_is_sparse, b_is_sparse=b_is_sparse)
        return squeeze(output, axis=-1)


def normalize(tensor: Any, ord: Any = "euclidean", axis: Any = None,
              name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.linalg.normalize``: (tensor / norm, norm), the norm kept with size-1 axes."""
    with name_scope(name, "normalize", [tensor]):
        t = convert_to_tensor(tensor)
        n = cast(norm(t, ord, axis, keepdims=True), t._dtype)
        return t / n, n


def clip_by_average_norm(t: Any, clip_norm: Any, name: str | None = None) -> Tensor:
    """``tf.clip_by_average_norm``: t * clip_norm * min(n / l2norm(t), 1 / clip_norm) for n
    the number of elements, an Identity named after the scope (TF's clip_ops)."""
    with name_scope(name, "clip_by_average_norm", [t, clip_norm]) as scope:
        x = convert_to_tensor(t, name="t")
        n_element = cast(size(x), _dtypes.float32)
        l2norm_inv = rsqrt(reduce_sum(x * x, _range(rank(x))))
        return identity(x * clip_norm * minimum(l2norm_inv * n_element,
                                                constant(1.0) / clip_norm), name=scope)


# -- kernels ------------------------------------------------------------------------------------
@register_kernel("MulNoNan")
def _mul_no_nan_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            prod = np.multiply(x, y)
        return np.where(y == 0, np.zeros((), prod.dtype), prod).astype(x.dtype)
    return kernel


@register_kernel("Cross")
def _cross_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.shape != b.shape:
            raise ValueError(f"Both inputs must be of same shape: {shape_str(a.shape)} vs. "
                             f"{shape_str(b.shape)}")
        if a.ndim < 1:
            raise ValueError(f"Input must be at least 1D{shape_str(a.shape)}")
        if a.shape[-1] != 3:
            raise FailedPreconditionError(
                None, None, "Cross-products are only defined for 3-element vectors.")
        with np.errstate(over="ignore"):
            return np.cross(a, b).astype(a.dtype)
    return kernel


# -- gradients (math_grad.py) -------------------------------------------------------------------
@RegisterGradient("MulNoNan")
def _mul_no_nan_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    return _pair(op, _mul_no_nan(grad, y), _mul_no_nan(x, grad))


@RegisterGradient("Cross")
def _cross_grad(op: Operation, grad: Tensor) -> list[Any]:
    u, v = op._inputs
    return [cross(v, grad), cross(grad, u)]


builders.register(globals(), __all__)
