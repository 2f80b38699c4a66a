"""Argument normalisation shared by the layers, as tf-keras' ``utils/conv_utils.py`` and
``tf_utils.validate_axis`` do it (their messages included)."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__: list[str] = []


def normalize_tuple(value: Any, n: int, name: str, allow_zero: bool = False
                    ) -> tuple[Any, ...]:
    """tf-keras' conv_utils.normalize_tuple, with its messages (including the missing space
    before "including element")."""
    error_msg = f"The `{name}` argument must be a tuple of {n} integers. Received: {value}"
    if isinstance(value, int):
        value_tuple: tuple[Any, ...] = (value,) * n
    else:
        try:
            value_tuple = tuple(value)
        except TypeError:
            raise ValueError(error_msg) from None
        if len(value_tuple) != n:
            raise ValueError(error_msg)
        for single_value in value_tuple:
            try:
                int(single_value)
            except (ValueError, TypeError):
                raise ValueError(f"{error_msg}including element {single_value} of type "
                                 f"{type(single_value)}") from None
    if allow_zero:
        unqualified = {v for v in value_tuple if v < 0}
        req_msg = ">= 0"
    else:
        unqualified = {v for v in value_tuple if v <= 0}
        req_msg = "> 0"
    if unqualified:
        raise ValueError(f"{error_msg} including {unqualified} that does not satisfy the "
                         f"requirement `{req_msg}`.")
    return value_tuple


def int_tuple(value: Any, n: int, arg: str, allow_zero: bool = False) -> tuple[int, ...]:
    """An n-tuple of ints as tf-keras' convolution layers build it (varstore takes ints
    only)."""
    got = normalize_tuple(value, n, arg, allow_zero)
    for item in got:
        if isinstance(item, bool) or not isinstance(item, (int, np.integer)):
            raise TypeError("Dimension value must be integer or None or have an __index__ "
                            f"method, got value '{item!r}' with type '{type(item)}'")
    return tuple(int(v) for v in got)


def pair(value: Any, arg: str, allow_zero: bool = False) -> tuple[int, int]:
    """A 2-tuple of ints as tf-keras' Conv2D builds it."""
    first, second = int_tuple(value, 2, arg, allow_zero)
    return first, second


def normalize_padding(value: Any, allow_causal: bool = False) -> str:
    """conv_utils.normalize_padding: 'valid' or 'same' ('causal' too where the layer takes
    it), with TF's message."""
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    if not isinstance(value, str) or value.lower() not in allowed:
        shown = value.lower() if isinstance(value, str) else value
        raise ValueError('The `padding` argument must be a list/tuple or one of "valid", '
                         f'"same" (or "causal", only for `Conv1D). Received: {shown}')
    return value.lower()


def normalize_data_format(value: Any, default: str = "channels_last") -> str:
    """conv_utils.normalize_data_format; None takes ``default`` (tf.layers' channels_last, or
    the Keras layers' backend.image_data_format(), which this module cannot import: keras
    imports layers)."""
    if value is None:
        value = default
    fmt = str(value).lower()
    if fmt not in ("channels_first", "channels_last"):
        raise ValueError('The `data_format` argument must be one of "channels_first", '
                         f'"channels_last". Received: {value}')
    return fmt


def tf_format(data_format: str) -> str:
    """conv_utils.convert_data_format for 4-D tensors."""
    return "NCHW" if data_format == "channels_first" else "NHWC"


def conv_output_length(length: int | None, filter_size: int, padding: str, stride: int,
                       dilation: int = 1) -> int | None:
    """conv_utils.conv_output_length (a Conv layer's compute_output_shape)."""
    if length is None:
        return None
    dilated = filter_size + (filter_size - 1) * (dilation - 1)
    out = length if padding in ("same", "causal") else length - dilated + 1
    return (out + stride - 1) // stride


def deconv_output_length(length: Any, filter_size: int, padding: str, stride: int) -> Any:
    """conv_utils.deconv_output_length without output_padding or dilation (tf.layers'
    Conv2DTranspose has neither); ``length`` may be an int, None or a scalar tensor."""
    if length is None:
        return None
    if padding == "valid":
        return length * stride + max(filter_size - stride, 0)
    return length * stride


def axis_arg(axis: Any) -> Any:
    """The ``axis`` argument of BatchNormalization and LayerNormalization: an int, or a
    list/tuple (kept as a list), with their TypeError."""
    if isinstance(axis, (list, tuple)):
        return list(axis)
    if isinstance(axis, int):
        return axis
    raise TypeError("Expected an int or a list/tuple of ints for the argument 'axis', "
                    f"but received: {axis!r}")


def validate_axis(axis: Any, shape: tuple[int | None, ...] | None) -> list[int]:
    """tf_utils.validate_axis: ``axis`` (int or list) as non-negative ints for ``shape``."""
    rank = None if shape is None else len(shape)
    if not rank:
        shown = "<unknown>" if shape is None else "()"
        raise ValueError(f"Input has undefined rank. Received: input_shape={shown}")
    axes = [axis] if isinstance(axis, int) else list(axis)
    axes = [a + rank if a < 0 else a for a in axes]
    for a in axes:
        if a < 0 or a >= rank:
            raise ValueError("Invalid value for `axis` argument. Expected 0 <= axis < "
                             f"inputs.rank (with inputs.rank={rank}). Received: "
                             f"axis={tuple(axes)}")
    if len(axes) != len(set(axes)):
        raise ValueError(f"Duplicate axis: {tuple(axes)}")
    return axes
