"""tf.test.compute_gradient and compute_gradient_error: TF1's gradient checker
(TF's ops/gradient_checker.py).

The theoretical Jacobian comes from the symbolic gradient with one-hot upstream gradients fed
into an Identity of a constant (one run per element of y); the numerical one from central
differences of y (two runs per element of x). Both run in the default session, as TF's do.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant
from varstore.framework.session import get_default_session
from varstore.ops.array_ops import identity
from varstore.ops.gradients_impl import gradients

__all__ = ["compute_gradient", "compute_gradient_error"]

_ALLOWED = (_dtypes.float16, _dtypes.float32, _dtypes.float64)


def _product(t: Any) -> int:
    if isinstance(t, int):
        return t
    y = 1
    for x in t:
        y *= int(x)
    return y


def _extra_feeds(extra: dict[Any, Any] | None, new: dict[Any, Any]) -> dict[Any, Any]:
    if not extra:
        return new
    r = dict(extra)
    r.update(new)
    return r


def _session() -> Any:
    sess = get_default_session()
    if sess is None:
        raise ValueError("compute_gradient runs in the default session: call it inside "
                         "`with tf.Session():` (or a test's cached_session())")
    return sess


def _theoretical_jacobian(x: Any, x_shape: Any, x_data: np.ndarray, dy: Any, dy_shape: Any,
                          dx: Any, extra: dict[Any, Any] | None) -> np.ndarray:
    x_size = _product(x_shape)
    dy_size = _product(dy_shape)
    jacobian = np.zeros((x_size, dy_size), dtype=x.dtype.as_numpy_dtype)
    dy_data = np.zeros(dy_shape, dtype=dy.dtype.as_numpy_dtype)
    dy_flat = dy_data.ravel()
    sess = _session()
    if dx is None:
        # TF fails on the assert `isinstance(dx, Tensor)`: y does not depend on x.
        raise ValueError(f"compute_gradient: y does not depend on {x.name} (its gradient "
                         "is None)")
    for col in range(dy_size):
        dy_flat[col] = 1
        backprop = sess.run(dx, feed_dict=_extra_feeds(extra, {x: x_data, dy: dy_data}))
        jacobian[:, col] = np.asarray(backprop).ravel()
        dy_flat[col] = 0
    if not dy_size:
        backprop = sess.run(dx, feed_dict=_extra_feeds(extra, {x: x_data, dy: dy_data}))
        if backprop.shape != x_data.shape:
            raise ValueError(f"Empty gradient has wrong shape: expected {x_data.shape}, "
                             f"got {backprop.shape}")
        if np.any(backprop):
            raise ValueError("Empty tensor with nonzero gradients")
    return jacobian


def _numeric_jacobian(x: Any, x_shape: Any, x_data: np.ndarray, y: Any, y_shape: Any,
                      delta: float, extra: dict[Any, Any] | None) -> np.ndarray:
    x_size = _product(x_shape)
    y_size = _product(y_shape)
    x_dtype = x.dtype.as_numpy_dtype
    y_dtype = y.dtype.as_numpy_dtype
    x_data = np.asarray(x_data, dtype=x_dtype)
    scale = np.asarray(2 * delta, dtype=y_dtype)[()]
    jacobian = np.zeros((x_size, y_size), dtype=x_dtype)
    sess = _session()
    for row in range(x_size):
        x_pos = x_data.copy()
        x_neg = x_data.copy()
        x_pos.ravel()[row] += delta
        y_pos = sess.run(y, feed_dict=_extra_feeds(extra, {x: x_pos}))
        x_neg.ravel()[row] -= delta
        y_neg = sess.run(y, feed_dict=_extra_feeds(extra, {x: x_neg}))
        jacobian[row, :] = ((y_pos - y_neg) / scale).ravel()
    return jacobian


def _dx_and_dy(x: Any, y: Any, y_shape: Any) -> tuple[Any, Any]:
    with x.graph.as_default():
        dy_orig = constant(1.0, shape=y_shape, dtype=y.dtype)
        dy = identity(dy_orig)
    grads = gradients(y, x, dy)
    return grads[0], dy_orig


def _check_dtype(t: Any, what: str) -> None:
    if _dtypes.as_dtype(t.dtype).base_dtype not in _ALLOWED:
        raise TypeError(f"Don't support type {t.dtype.name} for {what}")


def _one(x: Any, x_shape: Any, dx: Any, y: Any, y_shape: Any, dy: Any, x_init_value: Any,
         delta: float, extra: dict[Any, Any] | None) -> tuple[np.ndarray, np.ndarray]:
    _check_dtype(x, "x")
    _check_dtype(y, "y")
    if x_init_value is not None:
        if list(x_shape) != list(np.shape(x_init_value)):
            raise ValueError(f"x_shape = {list(x_shape)}, init_data shape = "
                             f"{list(np.shape(x_init_value))}")
        x_data = np.asarray(x_init_value)
    else:
        x_data = np.random.random_sample(x_shape).astype(x.dtype.as_numpy_dtype)
    jacob_t = _theoretical_jacobian(x, x_shape, x_data, dy, y_shape, dx, extra)
    jacob_n = _numeric_jacobian(x, x_shape, x_data, y, y_shape, delta, extra)
    return jacob_t, jacob_n


def compute_gradient(x: Any, x_shape: Any, y: Any, y_shape: Any, x_init_value: Any = None,
                     delta: float = 1e-3, init_targets: Any = None,
                     extra_feed_dict: dict[Any, Any] | None = None) -> Any:
    """(theoretical, numerical) Jacobians of y w.r.t. x, each of shape (x size, y size); for
    a list of x, a list of such pairs."""
    extra = extra_feed_dict or {}
    if isinstance(x, list):
        pairs = [_dx_and_dy(xi, y, y_shape) for xi in x]
        if init_targets is not None:
            for init in init_targets:
                init.run()
        inits = x_init_value if x_init_value is not None else [None] * len(x)
        return [_one(xi, si, dxi, y, y_shape, dyi, ii, delta, extra)
                for xi, si, (dxi, dyi), ii in zip(x, x_shape, pairs, inits)]
    if init_targets is not None:
        for init in init_targets:
            init.run()
    dx, dy = _dx_and_dy(x, y, y_shape)
    return _one(x, x_shape, dx, y, y_shape, dy, x_init_value, delta, extra)


def compute_gradient_error(x: Any, x_shape: Any, y: Any, y_shape: Any,
                           x_init_value: Any = None, delta: float = 1e-3,
                           init_targets: Any = None,
                           extra_feed_dict: dict[Any, Any] | None = None) -> float:
    """The largest absolute difference between the theoretical and numerical Jacobians."""
    grad = compute_gradient(x, x_shape, y, y_shape, x_init_value, delta, init_targets,
                            extra_feed_dict=extra_feed_dict)
    if isinstance(grad, tuple):
        grad = [grad]
    error = 0.0
    for j_t, j_n in grad:
        if j_t.size or j_n.size:
            error = max(error, float(np.fabs(j_t - j_n).max()))
    return error
