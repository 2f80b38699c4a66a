"""The incomplete gamma and beta functions and Hurwitz's zeta: ops Igamma, Igammac,
IgammaGradA (d igamma / da, for Igamma's gradient), Zeta and Betainc, and the composite
``tf.math.lbeta``, with TF's dtype lists, shape functions and gradients (math_grad.py).

The kernels follow the Cephes algorithms TF's Eigen kernels use (igamma's series and
continued fraction, and their forward-mode derivative in a; zeta's Euler-Maclaurin sum, with
Eigen's domain rules: zeta(1, q) = inf, x < 1 is NaN, q a non-positive integer is inf), all in
float64 with NumPy and the math module, then rounded to the input dtype; betainc is the
continued fraction of the regularised incomplete beta function (modified Lentz), with Eigen's
edge values (0 at x = 0, 1 at x = 1, NaN outside [0, 1] or for a, b <= 0)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.framework.constant_op import convert_to_tensor
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
from varstore.ops.math_grad import _pair
from varstore.ops.math_misc_ops import xlog1py, xlogy
from varstore.ops.math_ops import _binary_node, multiply, subtract
from varstore.ops.math_reduce_ops import reduce_sum
from varstore.ops.math_special_ops import lgamma
from varstore.ops.math_unary_ops import exp, log, negative

__all__ = ["betainc", "igamma", "igammac", "lbeta", "zeta"]

_IGAMMA_TYPES = "bfloat16, float16, float32, float64"
_FLOAT_DOUBLE = "float32, float64"
_MACHEP = np.finfo(np.float64).eps / 2
_BIG = 1.0 / np.finfo(np.float64).eps
_BIGINV = np.finfo(np.float64).eps


def _binary(op_type: str, first: str, second: str, allowed: str) -> Callable[..., Tensor]:
    def f(x: Any, y: Any, name: str | None = None) -> Tensor:
        graph = check_same_graph(x, y)
        full = graph._op_name(name, op_type)
        with scope_of(graph, full):
            tx = first_input(x, first)
            ty = typed_input(y, tx._dtype, op_type, second, first)
        check_allowed(tx._dtype, allowed, first)
        return _binary_node(graph, full, op_type, tx, ty)
    f.__name__ = f.__qualname__ = op_type.lower()
    return f


igamma = _binary("Igamma", "a", "x", _IGAMMA_TYPES)
igamma.__doc__ = "``tf.math.igamma``: op ``Igamma``, the regularised lower incomplete gamma P(a, x)."
igammac = _binary("Igammac", "a", "x", _IGAMMA_TYPES)
igammac.__doc__ = "``tf.math.igammac``: op ``Igammac``, Q(a, x) = 1 - P(a, x)."
zeta = _binary("Zeta", "x", "q", _FLOAT_DOUBLE)
zeta.__doc__ = "``tf.math.zeta``: op ``Zeta``, Hurwitz's zeta sum_n (q + n)^-x."
_igamma_grad_a = _binary("IgammaGradA", "a", "x", _FLOAT_DOUBLE)


def betainc(a: Any, b: Any, x: Any, name: str | None = None) -> Tensor:
    """``tf.math.betainc``: op ``Betainc``, the regularised incomplete beta I_x(a, b); the
    inputs have one shape, any of them may be a scalar."""
    graph = check_same_graph(a, b, x)
    full = graph._op_name(name, "Betainc")
    with scope_of(graph, full):
        ta = first_input(a, "a")
        tb = typed_input(b, ta._dtype, "Betainc", "b", "a")
        tx = typed_input(x, ta._dtype, "Betainc", "x", "a")
    check_allowed(ta._dtype, _FLOAT_DOUBLE, "a")
    inputs = [ta, tb, tx]
    out: Any = None
    scalars = 0
    some_non_scalar: Any = None
    for t in inputs:
        if t._shape is None:
            some_non_scalar = None
        elif len(t._shape) == 0:
            scalars += 1
        else:
            merged = merge(out, t._shape)
            if not isinstance(merged, tuple):
                raise node_error(merge_error(out, t._shape), full, "Betainc",
                                 f"T={dt_enum(ta._dtype)}", inputs)
            out = some_non_scalar = merged
    if scalars == 2:
        out = some_non_scalar
    elif scalars == 3:
        out = ()
    return make_op(graph, full, "Betainc", inputs, {"T": ta._dtype},
                   [(ta._dtype, out)])._outputs[0]


def lbeta(x: Any, name: str | None = None) -> Tensor:
    """``tf.math.lbeta``: log(|Beta(x)|) over the last axis, sum(lgamma(x)) -
    lgamma(sum(x)) under ``lbeta``."""
    with name_scope(name, "lbeta", [x]):
        t = convert_to_tensor(x, name="x")
        log_prod_gamma_x = reduce_sum(lgamma(t), axis=[-1])
        sum_x = reduce_sum(t, axis=[-1])
        log_gamma_sum_x = lgamma(sum_x)
        return log_prod_gamma_x - log_gamma_sum_x


# -- kernels ------------------------------------------------------------------------------------
def _log(x: float) -> float:
    return math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _digamma(x: float) -> float:
    if x <= 0 and x == math.floor(x):
        return math.nan
    acc = 0.0
    if x < 0.5:
        return _digamma(1.0 - x) - math.pi / math.tan(math.pi * x)
    while x < 6:
        acc -= 1.0 / x
        x += 1.0
    y2 = 1.0 / (x * x)
    return acc + math.log(x) - 0.5 / x - y2 * (1 / 12 - y2 * (1 / 120 - y2 * (
        1 / 252 - y2 * (1 / 240 - y2 / 132))))


def _igammac_cf(a: float, x: float, derivative: bool) -> float:
    """Cephes igamc's continued fraction (a > 0, x >= 1, x >= a), and with ``derivative`` its
    forward-mode derivative in a (Eigen's igammac_cf_impl)."""
    if math.isinf(x):
        return 0.0
    y = 1.0 - a
    z = x + y + 1.0
    c = 0.0
    pkm2, qkm2, pkm1, qkm1 = 1.0, x, x + 1.0, z * x
    ans = pkm1 / qkm1
    dpkm2, dqkm2, dpkm1, dqkm1 = 0.0, 0.0, 0.0, -x
    dans = (dpkm1 - ans * dqkm1) / qkm1
    for _ in range(500 if derivative else 2000):
        c += 1.0
        y += 1.0
        z += 2.0
        yc = y * c
        pk = pkm1 * z - pkm2 * yc
        qk = qkm1 * z - qkm2 * yc
        dpk = dpkm1 * z - pkm1 - dpkm2 * yc + pkm2 * c
        dqk = dqkm1 * z - qkm1 - dqkm2 * yc + qkm2 * c
        if qk != 0:
            ans_prev, dans_prev = ans, dans
            ans = pk / qk
            dans = (dpk - ans * dqk) / qk
            if not derivative and abs(ans_prev - ans) <= _MACHEP * abs(ans):
                break
            if derivative and abs(dans - dans_prev) <= _MACHEP:
                break
        pkm2, pkm1, qkm2, qkm1 = pkm1, pk, qkm1, qk
        dpkm2, dpkm1, dqkm2, dqkm1 = dpkm1, dpk, dqkm1, dqk
        if abs(pk) > _BIG:
            pkm2 *= _BIGINV
            pkm1 *= _BIGINV
            qkm2 *= _BIGINV
            qkm1 *= _BIGINV
            dpkm2 *= _BIGINV
            dpkm1 *= _BIGINV
            dqkm2 *= _BIGINV
            dqkm1 *= _BIGINV
    ax = _exp(a * _log(x) - x - math.lgamma(a))
    if not derivative:
        return ans * ax
    return ans * ax * (_log(x) - _digamma(a)) + dans * ax


def _igamma_series(a: float, x: float, derivative: bool) -> float:
    """Cephes igam's power series (x > 0, a > 0, not (x > 1 and x > a)), and its derivative
    in a (Eigen's igamma_series_impl)."""
    r, c, ans = a, 1.0, 1.0
    dc, dans = 0.0, 0.0
    for _ in range(500 if derivative else 2000):
        r += 1.0
        term = x / r
        dterm = -x / (r * r)
        dc = term * dc + dterm * c
        dans += dc
        c *= term
        ans += c
        if not derivative and c <= _MACHEP * ans:
            break
        if derivative and abs(dc) <= _MACHEP * abs(dans):
            break
    ax = _exp(a * _log(x) - x - math.lgamma(a + 1.0))
    if not derivative:
        return ans * ax
    return ans * ax * (_log(x) - _digamma(a + 1.0)) + dans * ax


def _igamma(a: float, x: float, derivative: bool = False) -> float:
    if x == 0:
        return 0.0
    if x < 0 or a <= 0 or math.isnan(a) or math.isnan(x):
        return math.nan
    if x > 1 and x > a:
        ret = _igammac_cf(a, x, derivative)
        return -ret if derivative else 1.0 - ret
    return _igamma_series(a, x, derivative)


def _igammac(a: float, x: float) -> float:
    if x < 0 or a <= 0 or math.isnan(a) or math.isnan(x):
        return math.nan
    if x < 1 or x < a:
        return 1.0 - _igamma_series(a, x, False)
    return _igammac_cf(a, x, False)


_ZETA_A = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9,
           7.47242496e10, -2.950130727918164224e12, 1.1646782814350067249e14,
           -4.5979787224074726105e15, 1.8152105401943546773e17, -7.1661652561756670113e18)


def _zeta(x: float, q: float) -> float:
    """Cephes zeta(x, q): the sum up to a = q + n > 9, then Euler-Maclaurin's tail."""
    if x == 1:
        return math.inf
    if x < 1:
        return math.nan
    if q <= 0:
        if q == math.floor(q):
            return math.inf
        if x != math.floor(x):
            return math.nan
    xs, qs = np.float64(x), np.float64(q)
    s = qs ** -xs
    a = qs
    b = np.float64(0.0)
    i = 0
    while i < 9 or a <= 9.0:
        i += 1
        a += 1.0
        b = a ** -xs
        s += b
        if abs(b / s) < _MACHEP:
            return float(s)
    w = a
    s += b * w / (xs - 1.0)
    s -= 0.5 * b
    a = np.float64(1.0)
    k = np.float64(0.0)
    for coef in _ZETA_A:
        a *= xs + k
        b /= w
        t = a * b / coef
        s = s + t
        if abs(t / s) < _MACHEP:
            break
        k += 1.0
        a *= xs + k
        b /= w
        k += 1.0
    return float(s)


def _betacf(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b) by the modified Lentz method."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 20000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    if math.isnan(a) or math.isnan(b) or math.isnan(x) or a <= 0 or b <= 0:
        return math.nan
    if x <= 0 or x >= 1:
        if x == 0:
            return 0.0
        if x == 1:
            return 1.0
        return math.nan
    log_front = (a * math.log(x) + b * math.log1p(-x) - math.lgamma(a) - math.lgamma(b)
                 + math.lgamma(a + b))
    if x < (a + 1.0) / (a + b + 2.0):
        return _exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - _exp(log_front) * _betacf(b, a, 1.0 - x) / b


def _elementwise(fn: Callable[..., float], nargs: int = 2
                 ) -> Callable[[Operation], Callable[..., Any]]:
    """A kernel factory applying the float64 scalar function ``fn`` element by element (the
    inputs broadcast), the result in the first input's dtype."""
    ufunc = np.frompyfunc(lambda *v: fn(*(float(u) for u in v)), nargs, 1)

    def factory(op: Operation) -> Callable[..., Any]:
        def kernel(*xs: np.ndarray) -> np.ndarray:
            dt = xs[0].dtype
            with np.errstate(all="ignore"):
                out = ufunc(*(np.asarray(v, np.float64) for v in xs))
            return np.asarray(out, dtype=np.float64).astype(dt)
        return kernel
    return factory


def _betainc_checked(op: Operation) -> Callable[..., Any]:
    run = _elementwise(_betainc, 3)(op)

    def kernel(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> np.ndarray:
        # TF's Betainc kernel: the non-scalar inputs must have one shape
        named = (("a", a), ("b", b), ("x", x))
        for i, (n1, v1) in enumerate(named):
            for n2, v2 in named[i + 1:]:
                if v1.ndim and v2.ndim and v1.shape != v2.shape:
                    raise ValueError(f"Shapes of {n1} and {n2} are inconsistent: "
                                     f"{shape_str(v1.shape)} vs. {shape_str(v2.shape)}")
        return run(a, b, x)  # type: ignore[no-any-return]
    return kernel


register_kernel("Igamma")(_elementwise(_igamma))
register_kernel("Igammac")(_elementwise(_igammac))
register_kernel("IgammaGradA")(_elementwise(lambda a, x: _igamma(a, x, True)))
register_kernel("Zeta")(_elementwise(_zeta))
register_kernel("Betainc")(_betainc_checked)


# -- gradients (math_grad.py) -------------------------------------------------------------------
def _igamma_grads(op: Operation, grad: Tensor) -> list[Any]:
    a, x = op._inputs
    with builders.control_dependencies([grad]):
        partial_a = _igamma_grad_a(a, x)
        # in log space before summing: Gamma(a) and Gamma'(a) can be large
        partial_x = exp(subtract(negative(x) + (a - 1) * log(x), lgamma(a)))
        return _pair(op, multiply(partial_a, grad), multiply(partial_x, grad))


@RegisterGradient("Igamma")
def _igamma_grad(op: Operation, grad: Tensor) -> list[Any]:
    return _igamma_grads(op, grad)


@RegisterGradient("Igammac")
def _igammac_grad(op: Operation, grad: Tensor) -> list[Any]:
    ga, gx = _igamma_grads(op, grad)
    return [None if ga is None else negative(ga), None if gx is None else negative(gx)]


@RegisterGradient("Betainc")
def _betainc_grad(op: Operation, grad: Tensor) -> list[Any]:
    # TF: no gradient for a and b
    a, b, x = op._inputs
    sa = builders.shape(a)
    sx = builders.shape(x)
    _, rx = builders.broadcast_gradient_args(sa, sx)
    log_beta = lgamma(a) + lgamma(b) - lgamma(a + b)
    partial_x = exp(xlog1py(b - 1, -x) + xlogy(a - 1, x) - log_beta)
    return [None, None, builders.reshape(reduce_sum(partial_x * grad, rx), sx)]


@RegisterGradient("Zeta")
def _zeta_grad(op: Operation, grad: Tensor) -> list[Any]:
    # TF: no gradient for x
    x, q = op._inputs
    with builders.control_dependencies([grad]):
        partial_q = -x * zeta(x + 1, q)
        return _pair(op, None, multiply(partial_q, grad))


builders.register(globals(), __all__)
