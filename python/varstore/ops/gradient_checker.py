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
from varstore.framework.indexed_slices import IndexedSlices
from varstore.framework.session import get_default_session
from varstore.ops.array_ops import identity
from varstore.ops.gradients_impl import gradients

__all__ = ["compute_gradient", "compute_gradient_error"]

_ALLOWED = (_dtypes.float16, _dtypes.float32, _dtypes.float64,
            _dtypes.complex64, _dtypes.complex128)


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
    # TF treats a complex vector as one of twice as many reals (real, imaginary interleaved,
    # NumPy's real view)
    if x.dtype.is_complex:
        x_shape = (*tuple(x_shape), 2)
    x_size = _product(x_shape)
    x_val_size = _product(list(x_shape)[1:])  # a row of an IndexedSlices gradient
    dy_size = _product(dy_shape) * (2 if dy.dtype.is_complex else 1)
    jacobian = np.zeros((x_size, dy_size), dtype=x.dtype.real_dtype.as_numpy_dtype)
    dy_data = np.zeros(dy_shape, dtype=dy.dtype.as_numpy_dtype)
    dy_flat = dy_data.ravel().view(dy.dtype.real_dtype.as_numpy_dtype)
    sess = _session()
    if dx is None:
        # TF fails on the assert `isinstance(dx, Tensor)`: y does not depend on x.
        raise ValueError(f"compute_gradient: y does not depend on {x.name} (its gradient "
                         "is None)")
    feeds = _extra_feeds(extra, {x: x_data, dy: dy_data})
    for col in range(dy_size):
        dy_flat[col] = 1
        if isinstance(dx, IndexedSlices):
            # rows of a sparse gradient add up where an index repeats, as TF's checker
            indices, values = sess.run([dx.indices, dx.values], feed_dict=feeds)
            for i, v in zip(indices, values):
                start = int(i) * x_val_size
                jacobian[start:start + x_val_size, col] += np.asarray(v).ravel().view(
                    jacobian.dtype)
        else:
            backprop = sess.run(dx, feed_dict=feeds)
            jacobian[:, col] = np.asarray(backprop).ravel().view(jacobian.dtype)
        dy_flat[col] = 0
    if not dy_size:
        backprop = sess.run(dx, feed_dict=feeds)
        if isinstance(dx, IndexedSlices):
            backprop = backprop.values
        if not isinstance(dx, IndexedSlices) and backprop.shape != x_data.shape:
            raise ValueError(f"Empty gradient has wrong shape: expected {x_data.shape}, "
                             f"got {backprop.shape}")
        if np.any(backprop):
            raise ValueError("Empty tensor with nonzero gradients")
    return jacobian


def _numeric_jacobian(x: Any, x_shape: Any, x_data: np.ndarray, y: Any, y_shape: Any,
                      delta: float, extra: dict[Any, Any] | None) -> np.ndarray:
    x_size = _product(x_shape) * (2 if x.dtype.is_complex else 1)
    y_size = _product(y_shape) * (2 if y.dtype.is_complex else 1)
    x_dtype = x.dtype.real_dtype.as_numpy_dtype
    y_dtype = y.dtype.real_dtype.as_numpy_dtype
    x_data = np.asarray(x_data, dtype=x.dtype.as_numpy_dtype)
    scale = np.asarray(2 * delta, dtype=y_dtype)[()]
    jacobian = np.zeros((x_size, y_size), dtype=x_dtype)
    sess = _session()
    for row in range(x_size):
        x_pos = x_data.copy()
        x_neg = x_data.copy()
        x_pos.ravel().view(x_dtype)[row] += delta
        y_pos = sess.run(y, feed_dict=_extra_feeds(extra, {x: x_pos}))
        x_neg.ravel().view(x_dtype)[row] -= delta
        y_neg = sess.run(y, feed_dict=_extra_feeds(extra, {x: x_neg}))
        jacobian[row, :] = np.asarray((y_pos - y_neg) / scale).ravel().view(y_dtype)
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
