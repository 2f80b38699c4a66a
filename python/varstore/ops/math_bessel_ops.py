"""The modified Bessel functions of the first kind of orders 0 and 1: ops BesselI0, BesselI0e,
BesselI1 and BesselI1e (``tf.math.bessel_i0`` ..., each under its TF scope), with TF's
gradients (math_grad.py).

The kernels compute in float64 with NumPy alone: the power series sum_k (x/2)^(2k+n) /
(k! (k+n)!) (all terms positive, so accurate to a few ulps) up to |x| = 100, and beyond it
the asymptotic expansion e^|x| / sqrt(2 pi |x|) * sum_k (-1)^k a_k(n) / |x|^k, whose error
there is far below float64's; the results are rounded to the input dtype (exact to float32,
where TF's Eigen kernels use Chebyshev fits)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.framework.graph import name_scope
from varstore.framework.ops import Operation, RegisterGradient, Tensor, builders, register_kernel
from varstore.ops.array_transform_ops import where_v2
from varstore.ops.math_ops import div, equal
from varstore.ops.math_unary_ops import _unary, cast, reciprocal, sign, sparse_values_map

__all__ = ["bessel_i0", "bessel_i0e", "bessel_i1", "bessel_i1e"]

_TYPES = "bfloat16, float16, float32, float64"
_SERIES_MAX = 100.0


def _op(op_type: str, scope: str, doc: str) -> Callable[..., Tensor]:
    def f(x: Any, name: str | None = None) -> Tensor:
        with name_scope(name, scope, [x]):
            return _unary(op_type, x, None, op_type, _TYPES)
    f.__name__ = f.__qualname__ = scope
    f.__doc__ = doc
    return f


bessel_i0 = _op("BesselI0", "bessel_i0", "``tf.math.bessel_i0``: op ``BesselI0``, I0(x).")
bessel_i0e = _op("BesselI0e", "bessel_i0e",
                 "``tf.math.bessel_i0e``: op ``BesselI0e``, exp(-|x|) I0(x).")
bessel_i1 = _op("BesselI1", "bessel_i1", "``tf.math.bessel_i1``: op ``BesselI1``, I1(x).")
bessel_i1e = _op("BesselI1e", "bessel_i1e",
                 "``tf.math.bessel_i1e``: op ``BesselI1e``, exp(-|x|) I1(x).")


# -- kernels ------------------------------------------------------------------------------------
def _series(ax: np.ndarray, n: int) -> np.ndarray:
    """sum_k (ax/2)^(2k+n) / (k! (k+n)!) for 0 <= ax <= 100 (no overflow: I_n(100) ~ 1e42)."""
    q = (ax / 2) ** 2
    term = (ax / 2) ** n if n else np.ones_like(ax)
    total = term.copy()
    k = 0
    while True:
        k += 1
        term = term * q / (k * (k + n))
        total += term
        if not np.any(term > total * 1e-17):
            return np.asarray(total)


def _asymptotic_scaled(ax: np.ndarray, n: int) -> np.ndarray:
    """exp(-x) I_n(x) for x > 100: (2 pi x)^-1/2 sum_k (-1)^k a_k / x^k with
    a_k = prod_{j <= k} (4 n^2 - (2j - 1)^2) / (k! 8^k)."""
    mu = 4.0 * n * n
    total = np.ones_like(ax)
    term = np.ones_like(ax)
    for k in range(1, 40):
        term = term * -(mu - (2 * k - 1) ** 2) / (k * 8.0 * ax)
        total += term
        if not np.any(np.abs(term) > np.abs(total) * 1e-17):
            break
    return total / np.sqrt(2.0 * np.pi * ax)


def _bessel(x: np.ndarray, n: int, scaled: bool) -> np.ndarray:
    v = np.asarray(x, np.float64)
    ax = np.abs(v)
    out = np.empty_like(ax)
    small = ax <= _SERIES_MAX
    with np.errstate(all="ignore"):
        s = _series(ax[small], n)
        out[small] = s * np.exp(-ax[small]) if scaled else s
        big = ~small & ~np.isnan(ax)
        e = _asymptotic_scaled(ax[big], n)
        out[big] = e if scaled else e * np.exp(ax[big])
        out[np.isnan(ax)] = np.nan
        if n == 1:
            out = np.where(v < 0, -out, out)  # I1 is odd, I0 even
    return out.astype(np.asarray(x).dtype)


def _kernel_factory(n: int, scaled: bool) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        return lambda x: _bessel(x, n, scaled)
    return factory


for _t, _n, _scaled in (("BesselI0", 0, False), ("BesselI0e", 0, True),
                        ("BesselI1", 1, False), ("BesselI1e", 1, True)):
    register_kernel(_t)(_kernel_factory(_n, _scaled))


# -- gradients (math_grad.py) -------------------------------------------------------------------
@RegisterGradient("BesselI0")
def _bessel_i0_grad(op: Operation, grad: Tensor) -> Tensor:
    x = op._inputs[0]
    with builders.control_dependencies([grad]):
        return grad * bessel_i1(x)


@RegisterGradient("BesselI0e")
def _bessel_i0e_grad(op: Operation, grad: Tensor) -> Tensor:
    x, y = op._inputs[0], op._outputs[0]
    with builders.control_dependencies([grad]):
        return grad * (bessel_i1e(x) - sign(x) * y)


@RegisterGradient("BesselI1")
def _bessel_i1_grad(op: Operation, grad: Tensor) -> Tensor:
    x, y = op._inputs[0], op._outputs[0]
    with builders.control_dependencies([grad]):
        # at x = 0 the main branch divides by zero: TF imputes the limit 1
        dy_dx = where_v2(equal(x, 0.0), cast(1.0, x._dtype), bessel_i0(x) - div(y, x))
        return grad * dy_dx


@RegisterGradient("BesselI1e")
def _bessel_i1e_grad(op: Operation, grad: Tensor) -> Tensor:
    x, y = op._inputs[0], op._outputs[0]
    with builders.control_dependencies([grad]):
        # the limit at x = 0 is 0.5
        dy_dx = where_v2(equal(x, 0.0), cast(0.5, x._dtype),
                         bessel_i0e(x) - y * (sign(x) + reciprocal(x)))
        return grad * dy_dx


# TF maps these over a SparseTensor's values (sparse_ops._UNARY_OPS)
bessel_i0e = sparse_values_map(bessel_i0e, "bessel_i0e")
bessel_i1e = sparse_values_map(bessel_i1e, "bessel_i1e")

builders.register(globals(), __all__)
