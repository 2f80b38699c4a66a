"""The tf.signal windows, built as TF's signal/window_ops.py builds them: hann / hamming
(raised cosines; a ``cond`` on length 1 when the length is not a constant), kaiser (through
bessel_i0e), kaiser_bessel_derived and vorbis."""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant, constant_value, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.ops import Tensor
from varstore.ops.array_fill_ops import ones
from varstore.ops.array_stack_ops import concat
from varstore.ops.control_flow_ops import cond
from varstore.ops.fft_ops import math_mod
from varstore.ops.math_bessel_ops import bessel_i0e
from varstore.ops.math_ops import equal, pow
from varstore.ops.math_sequence_ops import cumsum
from varstore.ops.math_sequence_ops import range as _range
from varstore.ops.math_unary_ops import cast, cos, exp, sin, sqrt, square
from varstore.ops.nn_ops import relu

__all__ = [
    "hamming_window",
    "hann_window",
    "kaiser_bessel_derived_window",
    "kaiser_window",
    "vorbis_window",
]


def _check_params(window_length: Any, dtype: _dtypes.DType) -> Tensor:
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {dtype}")
    length = convert_to_tensor(window_length, dtype=_dtypes.int32)
    length.shape.assert_has_rank(0)
    return length


def kaiser_window(window_length: Any, beta: Any = 12.0, dtype: Any = _dtypes.float32,
                  name: str | None = None) -> Tensor:
    """``tf.signal.kaiser_window``: I0(beta sqrt(1 - (2n/(N-1) - 1)^2)) / I0(beta)."""
    dt = _dtypes.as_dtype(dtype)
    with name_scope(name, "kaiser_window"):
        length = _check_params(window_length, dt)
        length_const = constant_value(length)
        if length_const is not None and int(length_const) == 1:
            return ones([1], dtype=dt)
        halflen_float = (cast(length, dtype=_dtypes.float32) - 1.0) / 2.0
        arg = _range(-halflen_float, halflen_float + 0.1, dtype=_dtypes.float32)
        arg = cast(arg, dtype=dt)
        b = cast(beta, dtype=dt)
        one = cast(1.0, dtype=dt)
        halflen_float = cast(halflen_float, dtype=dt)
        num = b * sqrt(relu(one - square(arg / halflen_float)))
        return exp(num - b) * (bessel_i0e(num) / bessel_i0e(b))


def kaiser_bessel_derived_window(window_length: Any, beta: Any = 12.0,
                                 dtype: Any = _dtypes.float32,
                                 name: str | None = None) -> Tensor:
    """``tf.signal.kaiser_bessel_derived_window``: the square root of the normalised cumulative
    Kaiser window, mirrored."""
    dt = _dtypes.as_dtype(dtype)
    with name_scope(name, "kaiser_bessel_derived_window"):
        length = _check_params(window_length, dt)
        halflen = length // 2
        kaiserw = kaiser_window(halflen + 1, beta, dtype=dt)
        kaiserw_csum = cumsum(kaiserw)
        halfw = sqrt(kaiserw_csum[:-1] / kaiserw_csum[-1])
        return concat((halfw, halfw[::-1]), axis=0)


def vorbis_window(window_length: Any, dtype: Any = _dtypes.float32,
                  name: str | None = None) -> Tensor:
    """``tf.signal.vorbis_window``: sin(pi/2 sin^2(pi (n + 1/2) / N))."""
    dt = _dtypes.as_dtype(dtype)
    with name_scope(name, "vorbis_window"):
        length = _check_params(window_length, dt)
        arg = cast(_range(length), dtype=dt)
        return sin(np.pi / 2.0 * pow(sin(np.pi / cast(length, dtype=dt) * (arg + 0.5)), 2.0))


def hann_window(window_length: Any, periodic: Any = True, dtype: Any = _dtypes.float32,
                name: str | None = None) -> Tensor:
    """``tf.signal.hann_window``: 0.5 - 0.5 cos(2 pi n / N) (N = length if periodic, else
    length - 1)."""
    return _raised_cosine_window(name, "hann_window", window_length, periodic, dtype, 0.5, 0.5)


def hamming_window(window_length: Any, periodic: Any = True, dtype: Any = _dtypes.float32,
                   name: str | None = None) -> Tensor:
    """``tf.signal.hamming_window``: 0.54 - 0.46 cos(2 pi n / N)."""
    return _raised_cosine_window(name, "hamming_window", window_length, periodic, dtype,
                                 0.54, 0.46)


def _raised_cosine_window(name: str | None, default_name: str, window_length: Any,
                          periodic: Any, dtype: Any, a: float, b: float) -> Tensor:
    dt = _dtypes.as_dtype(dtype)
    if not dt.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {dt}")
    with name_scope(name, default_name, [window_length, periodic]):
        length = convert_to_tensor(window_length, dtype=_dtypes.int32, name="window_length")
        length.shape.assert_has_rank(0)
        length_const = constant_value(length)
        if length_const is not None and int(length_const) == 1:
            return ones([1], dtype=dt)
        per = cast(convert_to_tensor(periodic, dtype=_dtypes.bool, name="periodic"),
                   _dtypes.int32)
        per.shape.assert_has_rank(0)
        even = 1 - math_mod(length, 2)
        n = cast(length + per * even - 1, dtype=dt)
        count = cast(_range(length), dt)
        cos_arg = constant(2 * np.pi, dtype=dt) * count / n
        if length_const is not None:
            return cast(a - b * cos(cos_arg), dtype=dt)
        return cond(equal(length, 1), lambda: ones([length], dtype=dt),  # type: ignore[no-any-return]
                    lambda: cast(a - b * cos(cos_arg), dtype=dt))
