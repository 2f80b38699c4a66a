"""TF's smaller math composites and the op they need: MulNoNan (``tf.math.multiply_no_nan``)
with its kernel and TF's gradient (math_grad.py); ``reciprocal_no_nan``, ``erfcinv`` and
``tf.clip_by_average_norm`` built from other ops under TF's scopes, as TF's math_ops and
clip_ops build them. (Cross, matvec and normalize are in linalg_vector_ops.py.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
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
    register_kernel,
    scope_of,
)
from varstore.ops.array_ops import identity, rank, size
from varstore.ops.math_grad import _pair
from varstore.ops.math_misc_ops import ndtri
from varstore.ops.math_ops import _binary_node, div_no_nan, minimum
from varstore.ops.math_reduce_ops import reduce_sum
from varstore.ops.math_sequence_ops import range as _range
from varstore.ops.math_unary_ops import cast, rsqrt

__all__ = [
    "clip_by_average_norm",
    "erfcinv",
    "multiply_no_nan",
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


# -- gradients (math_grad.py) -------------------------------------------------------------------
@RegisterGradient("MulNoNan")
def _mul_no_nan_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    return _pair(op, _mul_no_nan(grad, y), _mul_no_nan(x, grad))


builders.register(globals(), __all__)
