"""``tf.signal.stft`` / ``inverse_stft`` / ``inverse_stft_window_fn`` and ``mdct`` /
``inverse_mdct``, built as TF's signal/spectral_ops.py builds them: frame, window, then RFFT
(or DCT-IV for the MDCT); the inverses IRFFT, window and overlap_and_add."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant, constant_value, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.ops import Tensor
from varstore.ops.array_fill_ops import zeros, zeros_like
from varstore.ops.array_ops import rank, reshape, shape
from varstore.ops.array_split_ops import split
from varstore.ops.array_stack_ops import concat
from varstore.ops.array_transform_ops import pad, reverse, tile, where
from varstore.ops.fft_ops import irfft, rfft
from varstore.ops.math_ops import equal, maximum, pow
from varstore.ops.math_reduce_ops import reduce_sum
from varstore.ops.math_unary_ops import cast, ceil, log, square
from varstore.ops.signal_dct_mel_ops import dct
from varstore.ops.signal_shape_ops import frame, overlap_and_add
from varstore.ops.signal_window_ops import hann_window, vorbis_window

__all__ = ["inverse_mdct", "inverse_stft", "inverse_stft_window_fn", "mdct", "stft"]

WindowFn = Callable[..., Tensor]


def _enclosing_power_of_two(value: Tensor) -> Tensor:
    static = constant_value(value)
    if static is not None:
        return constant(int(2 ** np.ceil(np.log(static) / np.log(2.0))), value._dtype)
    return cast(pow(2.0, ceil(log(cast(value, _dtypes.float32)) / log(2.0))), value._dtype)


def stft(signals: Any, frame_length: Any, frame_step: Any, fft_length: Any = None,
         window_fn: WindowFn | None = hann_window, pad_end: bool = False,
         name: str | None = None) -> Tensor:
    """``tf.signal.stft``: the RFFT of windowed frames, ``[..., frames, fft_length // 2 + 1]``
    (fft_length defaults to the power of two enclosing frame_length)."""
    with name_scope(name, "stft", [signals, frame_length, frame_step]):
        sig = convert_to_tensor(signals, name="signals")
        sig.shape.with_rank_at_least(1)
        fl = convert_to_tensor(frame_length, name="frame_length")
        fl.shape.assert_has_rank(0)
        fs = convert_to_tensor(frame_step, name="frame_step")
        fs.shape.assert_has_rank(0)
        n = _enclosing_power_of_two(fl) if fft_length is None \
            else convert_to_tensor(fft_length, name="fft_length")
        framed = frame(sig, fl, fs, pad_end=pad_end)
        if window_fn is not None:
            window = window_fn(fl, dtype=framed._dtype)
            framed *= window
        return rfft(framed, [n])


def inverse_stft_window_fn(frame_step: Any, forward_window_fn: WindowFn = hann_window,
                           name: str | None = None) -> WindowFn:
    """``tf.signal.inverse_stft_window_fn``: a window_fn for inverse_stft that undoes the
    forward window's overlap (the forward window over the sum of its squares' overlaps)."""

    def inverse_stft_window_fn_inner(frame_length: Any, dtype: Any) -> Tensor:
        with name_scope(name, "inverse_stft_window_fn", [forward_window_fn]):
            step = convert_to_tensor(frame_step, name="frame_step")
            step.shape.assert_has_rank(0)
            fl = convert_to_tensor(frame_length, name="frame_length")
            fl.shape.assert_has_rank(0)
            forward_window = forward_window_fn(fl, dtype=dtype)
            denom = square(forward_window)
            overlaps = -(-fl // step)
            denom = pad(denom, [(0, overlaps * step - fl)])
            denom = reshape(denom, [overlaps, step])
            denom = reduce_sum(denom, 0, keepdims=True)
            denom = tile(denom, [overlaps, 1])
            denom = reshape(denom, [overlaps * step])
            denom = denom[:fl]
            return where(equal(denom, 0.0), zeros_like(forward_window),
                         forward_window / denom)

    return inverse_stft_window_fn_inner


def inverse_stft(stfts: Any, frame_length: Any, frame_step: Any, fft_length: Any = None,
                 window_fn: WindowFn | None = hann_window,
                 name: str | None = None) -> Tensor:
    """``tf.signal.inverse_stft``: IRFFT of each frame, cut or padded to frame_length,
    windowed and overlap-added."""
    with name_scope(name, "inverse_stft", [stfts]):
        st = convert_to_tensor(stfts, name="stfts")
        st.shape.with_rank_at_least(2)
        fl = convert_to_tensor(frame_length, name="frame_length")
        fl.shape.assert_has_rank(0)
        fs = convert_to_tensor(frame_step, name="frame_step")
        fs.shape.assert_has_rank(0)
        if fft_length is None:
            n = _enclosing_power_of_two(fl)
        else:
            n = convert_to_tensor(fft_length, name="fft_length")
            n.shape.assert_has_rank(0)
        real_frames = irfft(st, [n])
        fl_static = constant_value(fl)
        dims = real_frames._shape
        if fl_static is None or dims is None or dims[-1] is None:
            real_frames = real_frames[..., :fl]
            frames_rank = rank(real_frames)
            frames_shape = shape(real_frames)
            paddings = concat([zeros([frames_rank - 1, 2], dtype=fl._dtype),
                               [[0, maximum(0, fl - frames_shape[-1])]]], 0)
            real_frames = pad(real_frames, paddings)
        elif dims[-1] > int(fl_static):
            real_frames = real_frames[..., :int(fl_static)]
        elif dims[-1] < int(fl_static):
            pad_amount = int(fl_static) - dims[-1]
            real_frames = pad(real_frames, [[0, 0]] * (len(dims) - 1) + [[0, pad_amount]])
        if fl_static is not None and real_frames._shape is not None:
            real_frames.set_shape([None] * (len(real_frames._shape) - 1) + [int(fl_static)])
        if window_fn is not None:
            window = window_fn(fl, dtype=st._dtype.real_dtype)
            real_frames *= window
        return overlap_and_add(real_frames, fs)


def mdct(signals: Any, frame_length: Any, window_fn: WindowFn | None = vorbis_window,
         pad_end: bool = False, norm: Any = None, name: str | None = None) -> Tensor:
    """``tf.signal.mdct``: the MDCT of frames hopped by frame_length / 2 (a DCT-IV of the
    folded, windowed frames)."""
    with name_scope(name, "mdct", [signals, frame_length]):
        sig = convert_to_tensor(signals, name="signals")
        sig.shape.with_rank_at_least(1)
        fl = convert_to_tensor(frame_length, name="frame_length")
        fl.shape.assert_has_rank(0)
        fl_static = constant_value(fl)
        if fl_static is not None:
            if int(fl_static) % 4 != 0:
                raise ValueError("The frame length must be a multiple of 4.")
            fs = convert_to_tensor(int(fl_static) // 2, dtype=fl._dtype)
        else:
            fs = fl // 2
        framed = frame(sig, fl, fs, pad_end=pad_end)
        if window_fn is not None:
            window = window_fn(fl, dtype=framed._dtype)
            framed *= window
        else:
            framed *= 1.0 / np.sqrt(2)
        parts = split(framed, 4, axis=-1)
        first = -reverse(parts[2], [-1]) - parts[3]
        second = parts[0] - reverse(parts[1], [-1])
        return dct(concat((first, second), axis=-1), type=4, norm=norm)


def inverse_mdct(mdcts: Any, window_fn: WindowFn | None = vorbis_window, norm: Any = None,
                 name: str | None = None) -> Tensor:
    """``tf.signal.inverse_mdct``: DCT-IV, unfolded, windowed and overlap-added."""
    with name_scope(name, "inverse_mdct", [mdcts]):
        m = convert_to_tensor(mdcts, name="mdcts")
        m.shape.with_rank_at_least(2)
        half_len = cast(m._shape[-1] if m._shape is not None else None, dtype=_dtypes.int32)
        if norm is None:
            half_len_float = cast(half_len, dtype=m._dtype)
            result_idct4 = 0.5 / half_len_float * dct(m, type=4)
        elif norm == "ortho":
            result_idct4 = dct(m, type=4, norm="ortho")
        parts = split(result_idct4, 2, axis=-1)
        real_frames = concat((parts[1], -reverse(parts[1], [-1]), -reverse(parts[0], [-1]),
                              -parts[0]), axis=-1)
        if window_fn is not None:
            window = window_fn(2 * half_len, dtype=m._dtype)
            real_frames *= window
        else:
            real_frames *= 1.0 / np.sqrt(2)
        return overlap_and_add(real_frames, half_len)
