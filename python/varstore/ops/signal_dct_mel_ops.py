"""``tf.signal.dct`` / ``idct`` (types I-IV through RFFT / IRFFT, as TF's signal/dct_ops.py),
``linear_to_mel_weight_matrix`` (TF's mel_ops.py: HTK mel scale, triangular filters) and
``mfccs_from_log_mel_spectrograms`` (an orthonormal DCT-II, as TF's mfcc_ops.py)."""

from __future__ import annotations

import math as _math
from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.ops import Tensor
from varstore.ops.array_ops import expand_dims, reshape, shape
from varstore.ops.array_split_ops import split
from varstore.ops.array_stack_ops import concat
from varstore.ops.array_transform_ops import pad
from varstore.ops.control_flow_ops import smart_cond
from varstore.ops.fft_ops import irfft, rfft
from varstore.ops.math_complex_ops import complex, real
from varstore.ops.math_misc_ops import linspace
from varstore.ops.math_ops import maximum, minimum
from varstore.ops.math_sequence_ops import range as _range
from varstore.ops.math_unary_ops import cast, exp, log, rsqrt, sqrt
from varstore.ops.signal_shape_ops import frame

__all__ = ["dct", "idct", "linear_to_mel_weight_matrix", "mfccs_from_log_mel_spectrograms"]


# -- DCT ----------------------------------------------------------------------------------------
def _validate_dct_arguments(input_tensor: Any, dct_type: int, n: Any, axis: int,
                            norm: Any) -> None:
    if axis != -1:
        raise NotImplementedError(f"axis must be -1. Got: {axis}")
    if n is not None and n < 1:
        raise ValueError("n should be a positive integer or None")
    if dct_type not in (1, 2, 3, 4):
        raise ValueError("Types I, II, III and IV (I)DCT are supported.")
    if dct_type == 1:
        if norm == "ortho":
            raise ValueError("Normalization is not supported for the Type-I DCT.")
        dims = getattr(input_tensor, "_shape", None)
        if dims is not None and dims and dims[-1] is not None and dims[-1] < 2:
            raise ValueError("Type-I DCT requires the dimension to be greater than one.")
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")


def dct(input: Any, type: int = 2, n: Any = None, axis: int = -1, norm: Any = None,
        name: str | None = None) -> Tensor:
    """``tf.signal.dct``: the DCT of type 1, 2, 3 or 4 over the last axis (scipy's
    unnormalised definitions; ``norm='ortho'`` for types 2-4)."""
    _validate_dct_arguments(input, type, n, axis, norm)
    return _dct_internal(input, type, n, axis, norm, name)


def idct(input: Any, type: int = 2, n: Any = None, axis: int = -1, norm: Any = None,
         name: str | None = None) -> Tensor:
    """``tf.signal.idct``: the DCT of the inverse type (2 <-> 3; 1 and 4 are their own)."""
    _validate_dct_arguments(input, type, n, axis, norm)
    inverse_type = {1: 1, 2: 3, 3: 2, 4: 4}[type]
    return _dct_internal(input, type=inverse_type, n=n, axis=axis, norm=norm, name=name)


def _last_dim(t: Tensor) -> Any:
    d = t._shape[-1] if t._shape else None
    return d or shape(t)[-1]


def _dct_internal(input: Any, type: int = 2, n: Any = None, axis: int = -1,
                  norm: Any = None, name: str | None = None) -> Tensor:
    with name_scope(name, "dct", [input]):
        x = convert_to_tensor(input)
        zero = convert_to_tensor(0.0, dtype=x._dtype)
        seq_len = _last_dim(x)
        if n is not None:
            src = x

            def truncate_input() -> Tensor:
                return src[..., 0:n]

            def pad_input() -> Tensor:
                r = len(src._shape) if src._shape is not None else 0
                padding: Any = [[0, 0] for _ in range(r)]
                padding[r - 1][1] = n - seq_len
                padding = convert_to_tensor(padding, dtype=_dtypes.int32)
                return pad(src, paddings=padding)

            x = smart_cond(n <= seq_len, truncate_input, pad_input)
        axis_dim = _last_dim(x)
        axis_dim_float = cast(axis_dim, x._dtype)
        if type == 1:
            dct1_input = concat([x, x[..., -2:0:-1]], axis=-1)
            return real(rfft(dct1_input))
        if type == 2:
            scale = 2.0 * exp(complex(zero, -_range(axis_dim_float) * _math.pi * 0.5
                                      / axis_dim_float))
            dct2 = real(rfft(x, fft_length=[2 * axis_dim])[..., :axis_dim] * scale)
            if norm == "ortho":
                n1 = 0.5 * rsqrt(axis_dim_float)
                n2 = n1 * _math.sqrt(2.0)
                weights = pad(expand_dims(n1, 0), [[0, axis_dim - 1]], constant_values=n2)
                dct2 *= weights
            return dct2
        if type == 3:
            if norm == "ortho":
                n1 = sqrt(axis_dim_float)
                n2 = n1 * _math.sqrt(0.5)
                weights = pad(expand_dims(n1, 0), [[0, axis_dim - 1]], constant_values=n2)
                x *= weights
            else:
                x *= axis_dim_float
            scale = 2.0 * exp(complex(zero, _range(axis_dim_float) * _math.pi * 0.5
                                      / axis_dim_float))
            return real(irfft(scale * complex(x, zero),
                              fft_length=[2 * axis_dim]))[..., :axis_dim]
        dct2 = _dct_internal(x, type=2, n=2 * axis_dim, axis=axis, norm=None)
        dct4 = dct2[..., 1::2]
        if norm == "ortho":
            dct4 *= _math.sqrt(0.5) * rsqrt(axis_dim_float)
        return dct4


# -- mel ----------------------------------------------------------------------------------------
_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(frequencies_hertz: Any, name: str | None = None) -> Tensor:
    with name_scope(name, "hertz_to_mel", [frequencies_hertz]):
        f = convert_to_tensor(frequencies_hertz)
        return _MEL_HIGH_FREQUENCY_Q * log(1.0 + f / _MEL_BREAK_FREQUENCY_HERTZ)


def _validate_mel_arguments(num_mel_bins: int, sample_rate: Any, lower_edge_hertz: float,
                            upper_edge_hertz: float, dtype: _dtypes.DType) -> None:
    if num_mel_bins <= 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {num_mel_bins}")
    if lower_edge_hertz < 0.0:
        raise ValueError(f"lower_edge_hertz must be non-negative. Got: {lower_edge_hertz}")
    if lower_edge_hertz >= upper_edge_hertz:
        raise ValueError(f"lower_edge_hertz {lower_edge_hertz:.1f} >= upper_edge_hertz "
                         f"{upper_edge_hertz:.1f}")
    if not isinstance(sample_rate, Tensor):
        if sample_rate <= 0.0:
            raise ValueError(f"sample_rate must be positive. Got: {sample_rate}")
        if upper_edge_hertz > sample_rate / 2:
            raise ValueError("upper_edge_hertz must not be larger than the Nyquist frequency "
                             f"(sample_rate / 2). Got {upper_edge_hertz} for sample_rate: "
                             f"{sample_rate}")
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Got: {dtype}")


def linear_to_mel_weight_matrix(num_mel_bins: int = 20, num_spectrogram_bins: int = 129,
                                sample_rate: Any = 8000, lower_edge_hertz: Any = 125.0,
                                upper_edge_hertz: Any = 3800.0, dtype: Any = _dtypes.float32,
                                name: str | None = None) -> Tensor:
    """``tf.signal.linear_to_mel_weight_matrix``: ``[num_spectrogram_bins, num_mel_bins]``
    triangular filters on the HTK mel scale (the DC bin's row is zero)."""
    dt = _dtypes.as_dtype(dtype)
    with name_scope(name, "linear_to_mel_weight_matrix") as scope:
        if isinstance(sample_rate, Tensor):
            maybe = constant_value(sample_rate)
            if maybe is not None:
                sample_rate = maybe
        _validate_mel_arguments(num_mel_bins, sample_rate, lower_edge_hertz, upper_edge_hertz,
                                dt)
        rate = cast(sample_rate, dt, name="sample_rate")
        lower = convert_to_tensor(lower_edge_hertz, dt, name="lower_edge_hertz")
        upper = convert_to_tensor(upper_edge_hertz, dt, name="upper_edge_hertz")
        zero = convert_to_tensor(0.0, dt)
        bands_to_zero = 1
        nyquist_hertz = rate / 2.0
        linear_frequencies = linspace(zero, nyquist_hertz, num_spectrogram_bins)[bands_to_zero:]
        spectrogram_bins_mel = expand_dims(_hertz_to_mel(linear_frequencies), 1)
        band_edges_mel = frame(linspace(_hertz_to_mel(lower), _hertz_to_mel(upper),
                                        num_mel_bins + 2), frame_length=3, frame_step=1)
        lower_edge_mel, center_mel, upper_edge_mel = (
            reshape(t, [1, num_mel_bins]) for t in split(band_edges_mel, 3, axis=1))
        lower_slopes = (spectrogram_bins_mel - lower_edge_mel) / (center_mel - lower_edge_mel)
        upper_slopes = (upper_edge_mel - spectrogram_bins_mel) / (upper_edge_mel - center_mel)
        mel_weights_matrix = maximum(zero, minimum(lower_slopes, upper_slopes))
        return pad(mel_weights_matrix, [[bands_to_zero, 0], [0, 0]], name=scope)


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms: Any,
                                    name: str | None = None) -> Tensor:
    """``tf.signal.mfccs_from_log_mel_spectrograms``: the DCT-II of the last axis scaled by
    1 / sqrt(2 num_mel_bins) (HTK's orthonormal MFCCs)."""
    with name_scope(name, "mfccs_from_log_mel_spectrograms", [log_mel_spectrograms]):
        x = convert_to_tensor(log_mel_spectrograms)
        num_mel_bins: Any
        if x._shape and x._shape[-1] is not None:
            num_mel_bins = x._shape[-1]
            if num_mel_bins == 0:
                raise ValueError(f"num_mel_bins must be positive. Got: {x}")
        else:
            num_mel_bins = shape(x)[-1]
        dct2 = dct(x, type=2)
        return dct2 * rsqrt(cast(num_mel_bins, dct2._dtype) * 2.0)
