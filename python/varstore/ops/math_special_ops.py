"""Element-wise special math: inverse and hyperbolic trigonometry (Atan, Asin, Acos, Tan, Sinh,
Cosh, Asinh, Acosh, Atanh, Atan2), the gamma family (Lgamma, Digamma, Polygamma), Erfc and
log_sigmoid, each with TF's dtype lists, a NumPy kernel and TF's gradient (math_grad.py).

math_unary_ops.py holds the basic unary ops this module builds its gradients from."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

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
    register_kernel,
    scope_of,
)
from varstore.ops.math_grad import _conj, _pair
from varstore.ops.math_ops import (
    _binary_factory,
    _binary_node,
    add,
    multiply,
    realdiv,
    subtract,
)
from varstore.ops.math_unary_ops import (
    _FLOAT_TYPES,
    _unary,
    cos,
    exp,
    negative,
    reciprocal,
    sparse_values_map,
    sqrt,
    square,
)

__all__ = [
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "cosh",
    "digamma",
    "erfc",
    "lgamma",
    "log_sigmoid",
    "polygamma",
    "sinh",
    "tan",
]

# TF's real-only type list (Lgamma, Digamma, Erfc, Atan2, Polygamma).
_REAL_TYPES = "bfloat16, float16, float32, float64"


def _op(op_type: str, allowed: str) -> Callable[..., Tensor]:
    def f(x: Any, name: str | None = None) -> Tensor:
        return _unary(op_type, x, name, op_type, allowed)
    f.__name__ = op_type.lower()
    f.__doc__ = f"``tf.math.{op_type.lower()}``: op ``{op_type}``."
    return f


atan = _op("Atan", _FLOAT_TYPES)
asin = _op("Asin", _FLOAT_TYPES)
acos = _op("Acos", _FLOAT_TYPES)
tan = _op("Tan", _FLOAT_TYPES)
sinh = _op("Sinh", _FLOAT_TYPES)
cosh = _op("Cosh", _FLOAT_TYPES)
asinh = _op("Asinh", _FLOAT_TYPES)
acosh = _op("Acosh", _FLOAT_TYPES)
atanh = _op("Atanh", _FLOAT_TYPES)
lgamma = _op("Lgamma", _REAL_TYPES)
digamma = _op("Digamma", _REAL_TYPES)
erfc = _op("Erfc", _REAL_TYPES)


def atan2(y: Any, x: Any, name: str | None = None) -> Tensor:
    """``tf.atan2(y, x)``: op ``Atan2``, the angle of (x, y); y fixes the type."""
    graph = check_same_graph(y, x)
    full = graph._op_name(name, "Atan2")
    with scope_of(graph, full):
        ty = first_input(y, "y")
        tx = typed_input(x, ty._dtype, "Atan2", "x", "y")
    check_allowed(ty._dtype, _REAL_TYPES, "y")
    return _binary_node(graph, full, "Atan2", ty, tx)


def polygamma(a: Any, x: Any, name: str | None = None) -> Tensor:
    """``tf.math.polygamma(a, x)``: op ``Polygamma``, the a-th derivative of digamma."""
    graph = check_same_graph(a, x)
    full = graph._op_name(name, "Polygamma")
    with scope_of(graph, full):
        ta = first_input(a, "a")
        tx = typed_input(x, ta._dtype, "Polygamma", "x", "a")
    check_allowed(ta._dtype, "float32, float64", "a")
    return _binary_node(graph, full, "Polygamma", ta, tx)


def log_sigmoid(x: Any, name: str | None = None) -> Tensor:
    """``tf.math.log_sigmoid``: -softplus(-x) under ``LogSigmoid`` (the last Neg takes the
    scope's name, as TF builds it)."""
    graph = check_same_graph(x)
    full = graph._op_name(name, "LogSigmoid")
    with scope_of(graph, full):
        t = convert_to_tensor(x, name="x")
        sp = builders.softplus(negative(t))
    return negative(sp, name=full + "/")


# -- kernels ------------------------------------------------------------------------------------
def _vectorized(fn: Callable[[float], float]) -> Callable[[np.ndarray], np.ndarray]:
    def kernel(x: np.ndarray) -> np.ndarray:
        def safe(v: float) -> float:
            try:
                return fn(v)
            except (ValueError, OverflowError):
                # math.lgamma raises at the poles where TF's Eigen kernel gives inf
                return math.inf
        return np.vectorize(safe, otypes=[x.dtype])(x)  # type: ignore[no-any-return]
    return kernel


def _hurwitz_zeta(s: np.ndarray, q: np.ndarray) -> np.ndarray:
    """zeta(s, q) = sum_k (q + k)^-s by Euler-Maclaurin summation (s > 1, q > 0), the series
    Cephes (and so TF's Eigen) uses."""
    n = 9
    s = s.astype(np.float64)
    q = q.astype(np.float64)
    total = np.zeros(np.broadcast(s, q).shape)
    for k in range(n):
        total = total + (q + k) ** -s
    a = q + n
    total = total + a ** (1 - s) / (s - 1) + 0.5 * a ** -s
    # Bernoulli terms B_2j / (2j)! * s (s+1) ... (s+2j-2) * a^(-s-2j+1)
    bern = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)
    fact = s * a ** (-s - 1)
    for j, b in enumerate(bern, start=1):
        total = total + b / math.factorial(2 * j) * fact
        fact = fact * (s + 2 * j - 1) * (s + 2 * j) / (a * a)
    return np.asarray(total)


def _digamma_np(x: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        v = x.astype(np.float64)
        reflect = v < 0.5
        y = np.where(reflect, 1 - v, v)
        acc = np.zeros_like(y)
        while True:
            small = y < 6
            if not small.any():
                break
            acc = acc - np.where(small, 1 / y, 0)
            y = np.where(small, y + 1, y)
        y2 = 1 / (y * y)
        psi = np.log(y) - 0.5 / y - y2 * (1 / 12 - y2 * (1 / 120 - y2 * (1 / 252 - y2 * (
            1 / 240 - y2 / 132))))
        psi = psi + acc
        psi = np.where(reflect, psi - np.pi / np.tan(np.pi * v), psi)
        psi = np.where((v <= 0) & (v == np.floor(v)), np.nan, psi)
        return psi.astype(x.dtype)


def _polygamma_np(a: np.ndarray, x: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        a, x = np.broadcast_arrays(a, x)
        n = a.astype(np.float64)
        fact = np.vectorize(lambda k: math.gamma(k + 1) if k >= 0 else math.nan)(n)
        sign = np.where(np.mod(n, 2) == 0, -1.0, 1.0)
        out = sign * fact * _hurwitz_zeta(n + 1, x)
        out = np.where(n == 0, _digamma_np(x), out)
        # Non-integer or negative orders and x <= 0 are outside the series (TF: NaN)
        out = np.where((n != np.floor(n)) | (n < 0) | ((x <= 0) & (n > 0)), np.nan, out)
        return out.astype(x.dtype)


def _atan2_np(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.arctan2(y, x)  # type: ignore[no-any-return]


_KERNELS: dict[str, Callable[..., Any]] = {
    "Atan": np.arctan, "Asin": np.arcsin, "Acos": np.arccos, "Tan": np.tan, "Sinh": np.sinh,
    "Cosh": np.cosh, "Asinh": np.arcsinh, "Acosh": np.arccosh, "Atanh": np.arctanh,
    "Lgamma": _vectorized(math.lgamma), "Digamma": _digamma_np,
    "Erfc": _vectorized(math.erfc), "Atan2": _atan2_np, "Polygamma": _polygamma_np,
}


def _quiet(fn: Callable[..., Any]) -> Callable[..., Any]:
    # Out-of-domain inputs give NaN/inf silently, as TF's kernels do.
    def kernel(*xs: np.ndarray) -> Any:
        with np.errstate(all="ignore"):
            return fn(*xs)
    return kernel


for _t, _fn in _KERNELS.items():
    register_kernel(_t)(_binary_factory(_quiet(_fn)))


# -- gradients (math_grad.py) -------------------------------------------------------------------
def _one(x: Tensor) -> Tensor:
    return convert_to_tensor(1, dtype=x._dtype)


@RegisterGradient("Atan")
def _atan_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        x = _conj(op._inputs[0])  # TF's complex gradient: against the conjugate
        x2 = square(x)
        inv = reciprocal(add(_one(x), x2))
        return grad * inv


@RegisterGradient("Asin")
def _asin_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        x = _conj(op._inputs[0])  # TF's complex gradient: against the conjugate
        x2 = square(x)
        inv = reciprocal(sqrt(subtract(_one(x), x2)))
        return grad * inv


@RegisterGradient("Acos")
def _acos_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        x = _conj(op._inputs[0])  # TF's complex gradient: against the conjugate
        x2 = square(x)
        inv = reciprocal(sqrt(subtract(_one(x), x2)))
        return -grad * inv


@RegisterGradient("Tan")
def _tan_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        x = _conj(op._inputs[0])  # TF's complex gradient: against the conjugate
        secx = reciprocal(cos(x))
        return square(secx) * grad


@RegisterGradient("Sinh")
def _sinh_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        return grad * cosh(_conj(op._inputs[0]))


@RegisterGradient("Cosh")
def _cosh_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        return grad * sinh(_conj(op._inputs[0]))


@RegisterGradient("Asinh")
def _asinh_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        return realdiv(grad, cosh(_conj(op._outputs[0])), name="truediv")


@RegisterGradient("Acosh")
def _acosh_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        return realdiv(grad, sinh(_conj(op._outputs[0])), name="truediv")


@RegisterGradient("Atanh")
def _atanh_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        x = _conj(op._inputs[0])  # TF's complex gradient: against the conjugate
        inv = reciprocal(subtract(_one(x), square(x)))
        return grad * inv


@RegisterGradient("Atan2")
def _atan2_grad(op: Operation, grad: Tensor) -> list[Any]:
    y, x = op._inputs
    with builders.control_dependencies([grad]):
        grad_inv = realdiv(grad, add(square(x), square(y)), name="truediv")
        return _pair(op, multiply(x, grad_inv), multiply(negative(y), grad_inv))


@RegisterGradient("Lgamma")
def _lgamma_grad(op: Operation, grad: Tensor) -> Tensor:
    x = op._inputs[0]
    with builders.control_dependencies([grad]):
        return grad * digamma(x)


@RegisterGradient("Digamma")
def _digamma_grad(op: Operation, grad: Tensor) -> Tensor:
    x = op._inputs[0]
    with builders.control_dependencies([grad]):
        partial_x = polygamma(convert_to_tensor(1, dtype=x._dtype), x)
        return grad * partial_x


@RegisterGradient("Polygamma")
def _polygamma_grad(op: Operation, grad: Tensor) -> list[Any]:
    a, x = op._inputs
    with builders.control_dependencies([grad]):
        partial_x = polygamma(add(a, _one(a)), x)
    return _pair(op, None, multiply(grad, partial_x))


@RegisterGradient("Erfc")
def _erfc_grad(op: Operation, grad: Tensor) -> Tensor:
    x = op._inputs[0]
    minus_two_over_root_pi = convert_to_tensor(-2 / np.sqrt(np.pi), dtype=grad._dtype)
    with builders.control_dependencies([grad]):
        return grad * minus_two_over_root_pi * exp(-square(x))


# TF maps these over a SparseTensor's values (sparse_ops._UNARY_OPS)
asinh = sparse_values_map(asinh, "Asinh")
tan = sparse_values_map(tan, "Tan")
atan = sparse_values_map(atan, "Atan")
asin = sparse_values_map(asin, "Asin")
atanh = sparse_values_map(atanh, "Atanh")

builders.register(globals(), __all__)
