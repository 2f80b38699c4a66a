"""``tf.signal.frame`` and ``tf.signal.overlap_and_add``, built as TF's signal/shape_ops.py and
reconstruction_ops.py build them (subframes of gcd(frame_length, frame_step) samples gathered
into frames; overlap-add as pad / reshape / transpose / reduce_sum), so their graphs and
gradients are TF's. util_ops.gcd: folded when both are constants, else a While loop."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant, constant_value, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.ops import Tensor
from varstore.ops.array_fill_ops import zeros, zeros_like
from varstore.ops.array_ops import rank, reshape, shape, size, transpose
from varstore.ops.array_slicing_ops import gather, strided_slice
from varstore.ops.array_split_ops import split
from varstore.ops.array_stack_ops import concat
from varstore.ops.array_transform_ops import pad
from varstore.ops.fft_ops import math_mod
from varstore.ops.math_ops import greater, maximum
from varstore.ops.math_reduce_ops import reduce_sum
from varstore.ops.math_sequence_ops import range as _range
from varstore.ops.while_v2 import while_loop

__all__ = ["frame", "overlap_and_add"]


def gcd(a: Any, b: Any, name: str | None = None) -> Tensor:
    """TF's signal util_ops.gcd: Euclid's algorithm on two scalar integer tensors (a Python
    constant when both are known)."""
    with name_scope(name, "gcd", [a, b]):
        ta = convert_to_tensor(a)
        tb = convert_to_tensor(b)
        ta.shape.assert_has_rank(0)
        tb.shape.assert_has_rank(0)
        if not ta._dtype.is_integer:
            raise ValueError(f"a must be an integer type. Got: {ta._dtype}")
        if not tb._dtype.is_integer:
            raise ValueError(f"b must be an integer type. Got: {tb._dtype}")
        const_a = constant_value(ta)
        const_b = constant_value(tb)
        if const_a is not None and const_b is not None:
            return convert_to_tensor(math.gcd(int(const_a), int(const_b)))
        out = while_loop(lambda _, y: greater(y, zeros_like(y)),
                         lambda x, y: [y, math_mod(x, y)], [ta, tb], back_prop=False)
        return out[0]  # type: ignore[no-any-return]


def _infer_frame_shape(signal: Tensor, frame_length: Tensor, frame_step: Tensor,
                       pad_end: bool, axis: Tensor) -> list[int | None] | None:
    fl = constant_value(frame_length)
    fs = constant_value(frame_step)
    ax = constant_value(axis)
    if signal._shape is None:
        return None
    if ax is None:
        return [None] * (len(signal._shape) + 1)
    signal_shape = list(signal._shape)
    num_frames = None
    a = int(ax)
    frame_axis = signal_shape[a]
    outer = signal_shape[:a]
    inner = signal_shape[a:][1:]
    if signal_shape and frame_axis is not None:
        if fs is not None and pad_end:
            num_frames = max(0, -(-frame_axis // int(fs)))
        elif fs is not None and fl is not None:
            num_frames = max(0, (frame_axis - int(fl) + int(fs)) // int(fs))
    return [*outer, num_frames, None if fl is None else int(fl), *inner]


def frame(signal: Any, frame_length: Any, frame_step: Any, pad_end: bool = False,
          pad_value: Any = 0, axis: Any = -1, name: str | None = None) -> Tensor:
    """``tf.signal.frame``: ``axis`` of ``signal`` cut into frames of ``frame_length`` samples
    every ``frame_step`` samples (the end padded with ``pad_value`` if ``pad_end``)."""
    with name_scope(name, "frame", [signal, frame_length, frame_step, pad_value]):
        sig = convert_to_tensor(signal, name="signal")
        fl = convert_to_tensor(frame_length, name="frame_length")
        fs = convert_to_tensor(frame_step, name="frame_step")
        ax = convert_to_tensor(axis, name="axis")
        sig.shape.with_rank_at_least(1)
        fl.shape.assert_has_rank(0)
        fs.shape.assert_has_rank(0)
        ax.shape.assert_has_rank(0)
        result_shape = _infer_frame_shape(sig, fl, fs, pad_end, ax)

        sig_shape_t = shape(sig)
        sig_shape_static = constant_value(sig_shape_t)
        axis_static = constant_value(ax)
        signal_shape: Any
        axis_v: Any
        outer_dimensions: Any
        inner_dimensions: Any
        if sig_shape_static is not None and axis_static is not None:
            signal_shape = sig_shape_static
            axis_v = range(len(signal_shape))[int(axis_static)]
            outer_dimensions, length_arr, inner_dimensions = np.split(
                signal_shape, indices_or_sections=[axis_v, axis_v + 1])
            length_samples: Any = length_arr.item()
        else:
            signal_shape = sig_shape_t
            signal_rank = rank(sig)
            axis_v = _range(signal_rank)[ax if axis_static is None else int(axis_static)]
            outer_dimensions, length_samples, inner_dimensions = split(
                signal_shape, [axis_v, 1, signal_rank - 1 - axis_v])
            length_samples = reshape(length_samples, [])
        num_outer_dimensions = size(outer_dimensions)
        num_inner_dimensions = size(inner_dimensions)

        if pad_end:
            pv = convert_to_tensor(pad_value, sig._dtype)
            pv.shape.assert_has_rank(0)
            num_frames = -(-length_samples // fs)
            pad_samples = maximum(0, fl + fs * (num_frames - 1) - length_samples)
            paddings = concat([zeros([num_outer_dimensions, 2], dtype=pad_samples._dtype),
                               convert_to_tensor([[0, pad_samples]]),
                               zeros([num_inner_dimensions, 2], dtype=pad_samples._dtype)], 0)
            sig = pad(sig, paddings, constant_values=pv)
            signal_shape = shape(sig)
            length_samples = signal_shape[axis_v]
        else:
            num_frames = maximum(constant(0, dtype=fl._dtype),
                                 1 + (length_samples - fl) // fs)

        sub = gcd(fl, fs)
        sub_static = constant_value(sub)
        subframe_length: Any = sub if sub_static is None else sub_static
        subframes_per_frame = fl // subframe_length
        subframes_per_hop = fs // subframe_length
        num_subframes = length_samples // subframe_length

        slice_shape = concat([outer_dimensions, [num_subframes * subframe_length],
                              inner_dimensions], 0)
        subframe_shape = concat([outer_dimensions, [num_subframes, subframe_length],
                                 inner_dimensions], 0)
        subframes = reshape(strided_slice(sig, zeros_like(signal_shape), slice_shape),
                            subframe_shape)
        frame_selector = reshape(_range(num_frames, dtype=fl._dtype) * subframes_per_hop,
                                 [num_frames, 1])
        subframe_selector = reshape(_range(subframes_per_frame, dtype=fl._dtype),
                                    [1, subframes_per_frame])
        selector = frame_selector + subframe_selector
        outer_t = convert_to_tensor(outer_dimensions)
        inner_t = convert_to_tensor(inner_dimensions, dtype=outer_t._dtype)
        mid_t = convert_to_tensor([num_frames, fl], dtype=outer_t._dtype)
        frames = reshape(gather(subframes, selector, axis=axis_v),
                         concat([outer_t, mid_t, inner_t], 0))
        if result_shape:
            frames.set_shape(result_shape)
        return frames


def overlap_and_add(signal: Any, frame_step: Any, name: str | None = None) -> Tensor:
    """``tf.signal.overlap_and_add``: frames ``[..., frames, frame_length]`` added back into
    a signal of ``frame_length + frame_step * (frames - 1)`` samples."""
    with name_scope(name, "overlap_and_add", [signal, frame_step]):
        sig = convert_to_tensor(signal, name="signal")
        sig.shape.with_rank_at_least(2)
        fs_t = convert_to_tensor(frame_step, name="frame_step")
        fs_t.shape.assert_has_rank(0)
        if not fs_t._dtype.is_integer:
            raise ValueError(f"frame_step must be an integer. Got {fs_t._dtype}")
        fs_static = constant_value(fs_t)
        step: Any = fs_t if fs_static is None else fs_static
        signal_shape: Any = shape(sig)
        shape_static = constant_value(signal_shape)
        if shape_static is not None:
            signal_shape = shape_static
        outer_dimensions = signal_shape[:-2]
        outer_rank: Any = size(outer_dimensions)
        outer_static = constant_value(outer_rank)
        if outer_static is not None:
            outer_rank = outer_static

        def full_shape(inner_shape: Any) -> Tensor:
            return concat([outer_dimensions, inner_shape], 0)

        frame_length = signal_shape[-1]
        frames = signal_shape[-2]
        output_length = frame_length + step * (frames - 1)
        if fs_static is not None and sig._shape is not None and step == sig._shape[-1]:
            return reshape(sig, full_shape([output_length]), name="fast_path")

        segments = -(-frame_length // step)
        paddings: Any = [[0, segments], [0, segments * step - frame_length]]
        outer_paddings = zeros([outer_rank, 2], _dtypes.int32)
        paddings = concat([outer_paddings, paddings], 0)
        sig = pad(sig, paddings)
        sig = reshape(sig, full_shape([frames + segments, segments, step]))
        # TF adds [1, 0, 2] to the rank: elementwise (a folded NumPy scalar or a tensor)
        perm: Any = concat([_range(outer_rank), outer_rank + np.array([1, 0, 2], np.int32)],
                           0)
        perm_static = constant_value(perm)
        if perm_static is not None:
            perm = perm_static
        sig = transpose(sig, perm)
        sig = reshape(sig, full_shape([(frames + segments) * segments, step]))
        sig = sig[..., :(frames + segments - 1) * segments, :]
        sig = reshape(sig, full_shape([segments, frames + segments - 1, step]))
        sig = reduce_sum(sig, -3)
        sig = reshape(sig, full_shape([(frames + segments - 1) * step]))
        return sig[..., :output_length]
