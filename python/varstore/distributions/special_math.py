"""TF's special_math (tensorflow/python/ops/distributions/special_math.py): the normal CDF,
its log with the asymptotic series below -20 (float64) / -10 (float32), its inverse, and the
Laplace log-CDF, built from ops as TF builds them."""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore.distributions._tf import tf

__all__ = ["log_cdf_laplace", "log_ndtr", "ndtr", "ndtri"]

_LOWER = {np.float64: np.array(-20, np.float64), np.float32: np.array(-10, np.float32)}
_UPPER = {np.float64: np.array(8, np.float64), np.float32: np.array(5, np.float32)}


def ndtr(x: Any, name: str = "ndtr") -> Any:
    with tf.name_scope(name, values=[x]):
        x = tf.convert_to_tensor(x, name="x")
        if x.dtype.as_numpy_dtype not in (np.float32, np.float64):
            raise TypeError(f"x.dtype={x.dtype} is not handled, see docstring for supported "
                            "types.")
        return _ndtr(x)


def _ndtr(x: Any) -> Any:
    half_sqrt_2 = tf.constant(0.5 * np.sqrt(2.0), dtype=x.dtype, name="half_sqrt_2")
    w = x * half_sqrt_2
    z = tf.abs(w)
    y = tf.where_v2(tf.less(z, half_sqrt_2), 1.0 + tf.erf(w),
                    tf.where_v2(tf.greater(w, 0.0), 2.0 - tf.erfc(z), tf.erfc(z)))
    return 0.5 * y


def ndtri(p: Any, name: str = "ndtri") -> Any:
    with tf.name_scope(name, values=[p]):
        p = tf.convert_to_tensor(p, name="p")
        if p.dtype.as_numpy_dtype not in (np.float32, np.float64):
            raise TypeError(f"p.dtype={p.dtype} is not handled, see docstring for supported "
                            "types.")
        return _ndtri(p)


# Cephes' rational approximations, as TF's _ndtri writes them
_P0 = [-1.2391658386738125, 13.931260938727968, -56.67628574690703, 98.00107541859997,
       -59.96335010141079]
_Q0 = [-1.1833162112133, 15.90562251262117, -82.03722561683334, 200.26021238006066,
       -225.46268785411937, 86.36024213908905, 4.676279128988815, 1.9544885833814176, 1.0]
_P1 = [-0.0008574567851546854, -0.03504246268278482, -0.1402560791713545, 2.1866330685079025,
       14.684956192885803, 44.08050738932008, 57.16281922464213, 31.525109459989388,
       4.0554489230596245]
_Q1 = [-0.0009332594808954574, -0.03808064076915783, -0.14218292285478779, 2.504649462083094,
       15.04253856929075, 41.3172038254672, 45.39076351288792, 15.779988325646675, 1.0]
_P2 = [6.239745391849833e-09, 2.6580697468673755e-06, 0.00030158155350823543,
       0.012371663481782003, 0.20148538954917908, 1.3330346081580755, 3.9388102529247444,
       6.915228890689842, 3.2377489177694603]
_Q2 = [6.790194080099813e-09, 2.8924786474538068e-06, 0.00032801446468212774,
       0.013420400608854318, 0.21623699359449663, 1.3770209948908132, 3.6798356385616087,
       6.02427039364742, 1.0]


def _polynomial(var: Any, coeffs: Any) -> Any:
    coeffs = np.array(coeffs, var.dtype.as_numpy_dtype)
    if not coeffs.size:
        return tf.zeros_like(var)
    return coeffs[0] + _polynomial(var, coeffs[1:]) * var


def _ndtri(p: Any) -> Any:
    maybe_complement_p = tf.where_v2(p > -np.expm1(-2.0), 1.0 - p, p)
    sanitized_mcp = tf.where_v2(maybe_complement_p <= 0.0,
                                tf.fill(tf.shape(p), np.array(0.5, p.dtype.as_numpy_dtype)),
                                maybe_complement_p)
    w = sanitized_mcp - 0.5
    ww = w ** 2
    x_for_big_p = w + w * ww * (_polynomial(ww, _P0) / _polynomial(ww, _Q0))
    x_for_big_p *= -np.sqrt(2.0 * np.pi)
    z = tf.sqrt(-2.0 * tf.log(sanitized_mcp))
    first_term = z - tf.log(z) / z
    second_term_small_p = _polynomial(1.0 / z, _P2) / _polynomial(1.0 / z, _Q2) / z
    second_term_otherwise = _polynomial(1.0 / z, _P1) / _polynomial(1.0 / z, _Q1) / z
    x_for_small_p = first_term - second_term_small_p
    x_otherwise = first_term - second_term_otherwise
    x = tf.where_v2(sanitized_mcp > np.exp(-2.0), x_for_big_p,
                    tf.where_v2(z >= 8.0, x_for_small_p, x_otherwise))
    x = tf.where_v2(p > 1.0 - np.exp(-2.0), x, -x)
    infinity = tf.fill(tf.shape(p), tf.constant(np.inf, dtype=p.dtype))
    return tf.where_v2(p <= 0.0, -infinity, tf.where_v2(p >= 1.0, infinity, x))


def log_ndtr(x: Any, series_order: int = 3, name: str = "log_ndtr") -> Any:
    if not isinstance(series_order, int):
        raise TypeError("series_order must be a Python integer.")
    if series_order < 0:
        raise ValueError("series_order must be non-negative.")
    if series_order > 30:
        raise ValueError("series_order must be <= 30.")
    with tf.name_scope(name, values=[x]):
        x = tf.convert_to_tensor(x, name="x")
        np_dt = x.dtype.as_numpy_dtype
        if np_dt not in _LOWER:
            raise TypeError(f"x.dtype={x.dtype} is not supported.")
        lower, upper = _LOWER[np_dt], _UPPER[np_dt]
        return tf.where_v2(
            tf.greater(x, upper), -_ndtr(-x),
            tf.where_v2(tf.greater(x, lower), tf.log(_ndtr(tf.maximum(x, lower))),
                        _log_ndtr_lower(tf.minimum(x, lower), series_order)))


def _log_ndtr_lower(x: Any, series_order: int) -> Any:
    x_2 = tf.square(x)
    log_scale = -0.5 * x_2 - tf.log(-x) - 0.5 * np.log(2.0 * np.pi)
    return log_scale + tf.log(_log_ndtr_asymptotic_series(x, series_order))


def _log_ndtr_asymptotic_series(x: Any, series_order: int) -> Any:
    dtype = x.dtype.as_numpy_dtype
    if series_order <= 0:
        return np.array(1, dtype)
    x_2 = tf.square(x)
    even_sum = tf.zeros_like(x)
    odd_sum = tf.zeros_like(x)
    x_2n = x_2
    for n in range(1, series_order + 1):
        y = np.array(np.prod(np.arange(2 * n - 1, 1, -2)), dtype) / x_2n
        if n % 2:
            odd_sum += y
        else:
            even_sum += y
        x_2n *= x_2
    return 1.0 + even_sum - odd_sum


def log_cdf_laplace(x: Any, name: str = "log_cdf_laplace") -> Any:
    with tf.name_scope(name, values=[x]):
        x = tf.convert_to_tensor(x, name="x")
        lower_solution = -np.log(2.0) + x
        safe_exp_neg_x = tf.exp(-tf.abs(x))
        upper_solution = tf.log1p(-0.5 * safe_exp_neg_x)
        return tf.where_v2(x < 0.0, lower_solution, upper_solution)
