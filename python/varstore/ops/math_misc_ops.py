"""The rest of TF1's element-wise math: truncating division (TruncateDiv, TruncateMod), the
x-weighted logs and quotients (Xlogy, Xlog1py, Xdivy), NextAfter, the inverse error functions
(Erfinv, Ndtri), and InvertPermutation and LinSpace; each with TF's dtype list, a NumPy
kernel and TF's gradient (math_grad.py). Plus the composites TF builds from other ops:
scalar_mul, is_non_decreasing, is_strictly_increasing and polyval."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InternalError
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import (
    check_allowed,
    check_same_graph,
    first_input,
    typed_input,
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
from varstore.ops import math_reduce_ops
from varstore.ops.array_fill_ops import ones_like, zeros_like
from varstore.ops.math_grad import _pair
from varstore.ops.math_ops import (
    _binary_factory,
    _binary_node,
    add,
    less,
    less_equal,
    multiply,
    not_equal,
)
from varstore.ops.math_unary_ops import _unary, cast, exp, negative, square

__all__ = [
    "erfinv",
    "floor_div",
    "invert_permutation",
    "is_non_decreasing",
    "is_strictly_increasing",
    "lin_space",
    "linspace",
    "ndtri",
    "nextafter",
    "polyval",
    "scalar_mul",
    "truncatediv",
    "truncatemod",
    "xdivy",
    "xlog1py",
    "xlogy",
]

_REAL = "bfloat16, float16, float32, float64"
_TRUNC_DIV = ("bfloat16, float16, float32, float64, uint8, uint16, uint32, uint64, int8, int16, "
              "int32, int64, complex64, complex128")
_TRUNC_MOD = "int8, int16, int32, int64, uint8, uint16, uint32, uint64, bfloat16, float16, " \
             "float32, float64"
_XLOG = "float16, bfloat16, float32, float64, complex64, complex128"


def _binary(op_type: str, allowed: str) -> Callable[..., Tensor]:
    def f(x: Any, y: Any, name: str | None = None) -> Tensor:
        graph = check_same_graph(x, y)
        full = graph._op_name(name, op_type)
        with scope_of(graph, full):
            tx = first_input(x, "x")
            ty = typed_input(y, tx._dtype, op_type, "y", "x")
        check_allowed(tx._dtype, allowed, "x")
        return _binary_node(graph, full, op_type, tx, ty)
    f.__name__ = op_type.lower()
    f.__doc__ = f"``tf.{op_type.lower()}``: op ``{op_type}``."
    return f


truncatediv = _binary("TruncateDiv", _TRUNC_DIV)
truncatemod = _binary("TruncateMod", _TRUNC_MOD)
xlogy = _binary("Xlogy", _XLOG)
_xlog1py_op = _binary("Xlog1py", _XLOG)
_xdivy_op = _binary("Xdivy", _XLOG)


def xlog1py(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.math.xlog1py``: op ``Xlog1py`` in scope ``xlog1py``, as TF's math_ops."""
    with name_scope(name, "xlog1py", [x]):
        return _xlog1py_op(x, y)


def xdivy(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.math.xdivy``: op ``Xdivy`` in scope ``xdivy``."""
    with name_scope(name, "xdivy", [x]):
        return _xdivy_op(x, y)


def nextafter(x1: Any, x2: Any, name: str | None = None) -> Tensor:
    """``tf.math.nextafter``: op ``NextAfter``, the next float after x1 towards x2."""
    graph = check_same_graph(x1, x2)
    full = graph._op_name(name, "NextAfter")
    with scope_of(graph, full):
        t1 = first_input(x1, "x1")
        t2 = typed_input(x2, t1._dtype, "NextAfter", "x2", "x1")
    check_allowed(t1._dtype, "float64, float32", "x1")
    return _binary_node(graph, full, "NextAfter", t1, t2)


def floor_div(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.floor_div``: op ``FloorDiv`` named after itself (tf.floordiv names it floordiv)."""
    graph = check_same_graph(x, y)
    full = graph._op_name(name, "FloorDiv")
    with scope_of(graph, full):
        tx = first_input(x, "x")
        ty = typed_input(y, tx._dtype, "FloorDiv", "y", "x")
    return _binary_node(graph, full, "FloorDiv", tx, ty)


def erfinv(x: Any, name: str | None = None) -> Tensor:
    """``tf.math.erfinv``: op ``Erfinv`` in scope ``erfinv``."""
    with name_scope(name, "erfinv", [x]):
        return _unary("Erfinv", x, None, "Erfinv", _REAL)


def ndtri(x: Any, name: str | None = None) -> Tensor:
    """``tf.math.ndtri``: op ``Ndtri`` in scope ``ndtri``, the standard normal quantile."""
    with name_scope(name, "ndtri", [x]):
        return _unary("Ndtri", x, None, "Ndtri", _REAL)


def invert_permutation(x: Any, name: str | None = None) -> Tensor:
    """``tf.invert_permutation``: op ``InvertPermutation`` of a 1-D int32/int64 vector."""
    graph = check_same_graph(x)
    full = graph._op_name(name, "InvertPermutation")
    with scope_of(graph, full):
        t = first_input(x, "x")
    check_allowed(t._dtype, "int32, int64", "x")
    if t._shape is not None and len(t._shape) != 1:
        raise node_error(f"Shape must be rank 1 but is rank {len(t._shape)}", full,
                         "InvertPermutation", f"T={dt_enum(t._dtype)}", [t])
    return make_op(graph, full, "InvertPermutation", [t], {"T": t._dtype},
                   [(t._dtype, t._shape)])._outputs[0]


def lin_space(start: Any, stop: Any, num: Any, name: str | None = None) -> Tensor:
    """``tf.linspace`` (TF1's lin_space): ``num`` evenly spaced values, the last exactly
    ``stop``. One LinSpace op, where TF 2.21 builds linspace_nd's graph of Slice/concat: the
    values are TF's, the op names are not."""
    graph = check_same_graph(start, stop, num)
    full = graph._op_name(name, "LinSpace")
    with scope_of(graph, full):
        ts = first_input(start, "start")
        te = typed_input(stop, ts._dtype, "LinSpace", "stop", "start")
        tn = convert_to_tensor(num, dtype=_dtypes.int32, name="num")
    check_allowed(ts._dtype, "bfloat16, float16, float32, float64", "start")
    nv = constant_value(tn)
    out = (int(nv),) if nv is not None else (None,)
    return make_op(graph, full, "LinSpace", [ts, te, tn], {"T": ts._dtype, "Tidx": tn._dtype},
                   [(ts._dtype, out)])._outputs[0]


linspace = lin_space


def scalar_mul(scalar: Any, x: Any, name: str | None = None) -> Tensor:
    """``tf.scalar_mul``: op Mul of scalar (a const named ``scalar``) and x; a non-scalar
    raises ValueError."""
    dt = _dtypes.as_dtype(x.dtype)
    s = convert_to_tensor(scalar, dtype=dt, name="scalar")
    if s._shape is None or len(s._shape) != 0:
        shape = "<unknown>" if s._shape is None else f"({', '.join(map(str, s._shape))},)"
        raise ValueError(f"The input scalar must be a 0-D value. Received shape {shape}.")
    return multiply(s, x, name=name)


def _pairwise(x: Any, cmp: Callable[..., Tensor], scope: str, name: str | None) -> Tensor:
    with name_scope(name, scope, [x]):
        t = convert_to_tensor(x, name="x")
        if not (t._dtype.is_integer or t._dtype.is_floating):
            raise TypeError(f"Expected x to be numeric, got {t._dtype!r}")
        flat = builders.reshape(t, [-1])
        return math_reduce_ops.reduce_all(cmp(flat[:-1], flat[1:]))


def is_non_decreasing(x: Any, name: str | None = None) -> Tensor:
    """``tf.is_non_decreasing``: every x[i] <= x[i+1] in row-major order."""
    return _pairwise(x, less_equal, "is_non_decreasing", name)


def is_strictly_increasing(x: Any, name: str | None = None) -> Tensor:
    return _pairwise(x, less, "is_strictly_increasing", name)


def polyval(coeffs: list[Any], x: Any, name: str | None = None) -> Tensor:
    """``tf.math.polyval``: Horner's rule, coeffs[0] the highest power."""
    if not isinstance(coeffs, list):
        raise ValueError(  # noqa: TRY004 - TF raises ValueError here
            f"Argument coeffs must be list type. Received type {type(coeffs)}.")
    with name_scope(name, "polyval", [*coeffs, x]) as scope:
        t = convert_to_tensor(x, name="x")
        if not coeffs:
            return zeros_like(t, name=scope)
        cs = [convert_to_tensor(c, name=f"coeff_{i}") for i, c in enumerate(coeffs)]
        p = cs[0]
        for c in cs[1:]:
            p = c + p * t  # the operators: TF's op names add / mul
        return p


# -- kernels ------------------------------------------------------------------------------------
# TF's CPU kernels report an integer zero divisor of TruncateDiv/TruncateMod as an internal
# error (its safe div-or-mod path is only wired for FloorDiv/FloorMod).
_TRUNC_ZERO = "Unexpected error in binary operator (only integer div and mod should have errors)"


def _truncatediv(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if x.dtype.kind in "iu":
        if np.any(y == 0):
            raise InternalError(None, None, _TRUNC_ZERO)
        q = np.abs(x) // np.abs(y)
        return (np.sign(x) * np.sign(y) * q).astype(x.dtype)  # type: ignore[no-any-return]
    with np.errstate(all="ignore"):
        return np.trunc(x / y).astype(x.dtype)  # type: ignore[no-any-return]


def _truncatemod(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if x.dtype.kind in "iu" and np.any(y == 0):
        raise InternalError(None, None, _TRUNC_ZERO)
    with np.errstate(all="ignore"):
        return np.fmod(x, y).astype(x.dtype)  # type: ignore[no-any-return]


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.where(x == 0, 0, x * np.log(y)).astype(x.dtype)


def _xlog1py(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.where(x == 0, 0, x * np.log1p(y)).astype(x.dtype)


def _xdivy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.where(x == 0, 0, x / y).astype(x.dtype)


def _nextafter(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.nextafter(x, y).astype(x.dtype)  # type: ignore[no-any-return]


for _t, _fn in {"TruncateDiv": _truncatediv, "TruncateMod": _truncatemod, "Xlogy": _xlogy,
                "Xlog1py": _xlog1py, "Xdivy": _xdivy, "NextAfter": _nextafter}.items():
    register_kernel(_t)(_binary_factory(_fn))


def _erfinv_scalar(p: float) -> float:
    """erf^-1 by Newton's method from a rational first guess: to float64 precision."""
    if p <= -1.0:
        return -math.inf if p == -1.0 else math.nan
    if p >= 1.0:
        return math.inf if p == 1.0 else math.nan
    w = -math.log((1.0 - p) * (1.0 + p))
    if w < 5.0:
        w -= 2.5
        x = 2.81022636e-08
        for c in (3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                  -0.00125372503, -0.00417768164, 0.246640727, 1.50140941):
            x = c + x * w
    else:
        w = math.sqrt(w) - 3.0
        x = -0.000200214257
        for c in (0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                  -0.0076224613, 0.00943887047, 1.00167406, 2.83297682):
            x = c + x * w
    x *= p
    for _ in range(3):  # Newton steps on erf(x) - p
        x -= (math.erf(x) - p) / (2.0 / math.sqrt(math.pi) * math.exp(-x * x))
    return x


_erfinv_np = np.vectorize(_erfinv_scalar, otypes=[np.float64])


@register_kernel("Erfinv")
def _erfinv_kernel(op: Operation) -> Callable[..., Any]:
    return lambda x: _erfinv_np(x.astype(np.float64)).astype(x.dtype)


@register_kernel("Ndtri")
def _ndtri_kernel(op: Operation) -> Callable[..., Any]:
    # ndtri(p) = sqrt(2) * erfinv(2p - 1)
    return lambda x: (math.sqrt(2.0) * _erfinv_np(2.0 * x.astype(np.float64) - 1.0)
                      ).astype(x.dtype)


@register_kernel("InvertPermutation")
def _invert_permutation_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(x: np.ndarray) -> np.ndarray:
        n = x.shape[0]
        out = np.full(n, -1, x.dtype)
        for i, d in enumerate(x.tolist()):
            if not 0 <= d < n:
                raise ValueError(f"{d} is not between 0 and {n}")
            if out[d] != -1:
                raise ValueError(f"{d} is duplicated in the input.")
            out[d] = i
        return out
    return kernel


@register_kernel("LinSpace")
def _lin_space_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(start: np.ndarray, stop: np.ndarray, num: np.ndarray) -> np.ndarray:
        if np.ndim(start) or np.ndim(stop) or np.ndim(num):
            raise ValueError("start, stop and num must be scalars")
        n = int(num)
        if n <= 0:
            raise ValueError(f"Requires num > 0: {n}")
        if n == 1:
            return np.asarray([start], start.dtype)
        # TF: start + i * step, step = (stop - start) / (num - 1), in the input dtype
        step = (stop - start) / start.dtype.type(n - 1)
        out: np.ndarray = (start + np.arange(n, dtype=start.dtype) * step).astype(start.dtype)
        out[-1] = stop
        return out
    return kernel


# -- gradients (math_grad.py, array_grad.py) ----------------------------------------------------
@RegisterGradient("TruncateDiv")
def _truncatediv_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [None, None]


def _not_zero(x: Tensor) -> Tensor:
    return cast(not_equal(x, cast(0.0, x._dtype)), x._dtype)


@RegisterGradient("Xlogy")
def _xlogy_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    with builders.control_dependencies([grad]):
        return _pair(op, multiply(xlogy(_not_zero(x), y), grad), multiply(xdivy(x, y), grad))


@RegisterGradient("Xlog1py")
def _xlog1py_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    with builders.control_dependencies([grad]):
        one = convert_to_tensor(1, dtype=y._dtype)
        return _pair(op, multiply(xlog1py(_not_zero(x), y), grad),
                     multiply(xdivy(x, add(y, one)), grad))


@RegisterGradient("Xdivy")
def _xdivy_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    with builders.control_dependencies([grad]):
        return _pair(op, multiply(xdivy(_not_zero(x), y), grad),
                     multiply(xdivy(negative(x), square(y)), grad))


@RegisterGradient("NextAfter")
def _nextafter_grad(op: Operation, grad: Tensor) -> list[Any]:
    x1, x2 = op._inputs
    with builders.control_dependencies([grad]):
        return _pair(op, multiply(ones_like(x1), grad), multiply(zeros_like(x2), grad))


@RegisterGradient("Erfinv")
def _erfinv_grad(op: Operation, grad: Tensor) -> Tensor:
    c = convert_to_tensor(np.sqrt(np.pi) / 2, dtype=grad._dtype)
    with builders.control_dependencies([grad]):
        return multiply(multiply(grad, c), exp(square(op._outputs[0])))


@RegisterGradient("Ndtri")
def _ndtri_grad(op: Operation, grad: Tensor) -> Tensor:
    c = convert_to_tensor(np.sqrt(2 * np.pi), dtype=grad._dtype)
    half = convert_to_tensor(0.5, dtype=grad._dtype)
    with builders.control_dependencies([grad]):
        return multiply(multiply(grad, c), exp(multiply(square(op._outputs[0]), half)))


NotDifferentiable("LinSpace")
NotDifferentiable("InvertPermutation")
# TF registers no gradient for TruncateMod: tf.gradients through it raises LookupError.

builders.register(globals(), __all__)
