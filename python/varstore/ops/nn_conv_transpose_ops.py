"""The transposed convolutions TF builds from the backprop ops: ``tf.nn.conv1d_transpose``
(ExpandDims + Conv2DBackpropInput + Squeeze), ``tf.nn.conv_transpose`` (the 1-, 2- or 3-D
transpose by the length of ``output_shape``) and ``tf.nn.atrous_conv2d_transpose``
(SpaceToBatchND, a VALID Conv2DBackpropInput, BatchToSpaceND), as TF's nn_ops.py does."""

from __future__ import annotations

from collections.abc import Sized
from typing import Any

import numpy as np

from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.ops import Tensor, builders
from varstore.ops import array_ops, array_space_ops, array_stack_ops, nn_conv3d_ops
from varstore.ops.nn_conv_ops import conv2d_backprop_input, conv2d_transpose, get_sequence

__all__ = [
    "atrous_conv2d_transpose",
    "conv1d_transpose",
    "conv_transpose",
]


def conv1d_transpose(input: Any, filters: Any, output_shape: Any, strides: Any,
                     padding: str = "SAME", data_format: str | None = "NWC",
                     dilations: Any = None, name: str | None = None) -> Tensor:
    """``tf.nn.conv1d_transpose``: under ``conv1d_transpose/``, ExpandDims of input and
    filter, the Conv2DBackpropInput named ``conv1d_transpose`` (output shape concatenated
    with a unit height) and ``conv1d_transpose/Squeeze``; filter [width, out, in]."""
    with name_scope(name, "conv1d_transpose", [input, filters, output_shape]) as scope:
        if data_format is None or data_format == "NWC":
            fmt, spatial, channel = "NHWC", 1, 2
        elif data_format == "NCW":
            fmt, spatial, channel = "NCHW", 2, 1
        else:
            raise ValueError("`data_format` must be 'NWC' or 'NCW'. Received: "
                             f"data_format={data_format}")
        s = [1, *get_sequence(strides, 1, channel, "stride")]
        d = [1, *get_sequence(dilations, 1, channel, "dilations")]
        x = array_ops.expand_dims(input, spatial)
        w = array_ops.expand_dims(filters, 0)
        shape = output_shape if isinstance(output_shape, Tensor) else list(output_shape)
        sizes = array_stack_ops.concat([shape[:spatial], [1], shape[spatial:]], 0)
        result = conv2d_backprop_input(sizes, w, x, strides=s, padding=padding,
                                       data_format=fmt, dilations=d, name=scope)
        return array_ops.squeeze(result, spatial)


def conv_transpose(input: Any, filters: Any, output_shape: Any, strides: Any,
                   padding: str = "SAME", data_format: str | None = None,
                   dilations: Any = None, name: str | None = None) -> Tensor:
    """``tf.nn.conv_transpose``: conv1d_transpose, conv2d_transpose or conv3d_transpose,
    by the length of ``output_shape``, under ``conv_transpose/``."""
    with name_scope(name, "conv_transpose", [input, filters, output_shape]) as scope:
        if isinstance(output_shape, Tensor):
            length = None if output_shape._shape is None else output_shape._shape[0]
            if length is None:
                raise TypeError("unsupported operand type(s) for -: 'NoneType' and 'int'")
        elif isinstance(output_shape, Sized):
            length = len(output_shape)
        else:
            raise ValueError(  # noqa: TRY004 - TF raises ValueError
                "`output_shape` must be a tensor or sized collection. Received: "
                f"output_shape={output_shape}")
        n = length - 2
        if not 1 <= n <= 3:
            raise ValueError(f"`output_shape` must be of length 3, 4 or 5. Received: "
                             f"output_shape={output_shape} of length {n + 2}.")
        if n == 1:
            return conv1d_transpose(input, filters, output_shape, strides, padding=padding,
                                    data_format=data_format, dilations=dilations, name=scope)
        if n == 2:
            fmt = "NHWC" if data_format is None else data_format
            channel = 1 if fmt.startswith("NC") else 3
            return conv2d_transpose(input, filters, output_shape,
                                    get_sequence(strides, 2, channel, "strides"),
                                    padding=padding, data_format=fmt, name=scope,
                                    dilations=get_sequence(dilations, 2, channel,
                                                           "dilations"))
        return nn_conv3d_ops.conv3d_transpose(input, filters, output_shape, strides,
                                              padding=padding, data_format=data_format or
                                              "NDHWC", dilations=dilations, name=scope)


def _shape_text(t: Tensor) -> str:
    dims = t._shape
    if dims is None:
        return "<unknown>"
    inner = ", ".join("None" if d is None else str(d) for d in dims)
    return f"({inner},)" if len(dims) == 1 else f"({inner})"


def _dim(t: Tensor, i: int) -> int | None:
    return None if t._shape is None else t._shape[i]


def atrous_conv2d_transpose(value: Any, filters: Any, output_shape: Any, rate: int,
                            padding: str, name: str | None = None) -> Tensor:
    """``tf.nn.atrous_conv2d_transpose``: NHWC value, filters [h, w, out, in]; the
    transpose of atrous_conv2d by TF's construction (rate 1: conv2d_transpose)."""
    with name_scope(name, "atrous_conv2d_transpose", [value, filters, output_shape]):
        x = convert_to_tensor(value, name="value")
        w = convert_to_tensor(filters, name="filters")
        if x._shape is None:
            raise TypeError("'NoneType' object is not subscriptable")
        xc, wc = x._shape[3], _dim(w, 3)
        if xc is not None and wc is not None and xc != wc:
            raise ValueError(
                "`value` channel count must be compatible with `filters` input channel count."
                f" Received: value.shape={_shape_text(x)} with channel count {xc} and "
                f"filters.shape={_shape_text(w)} with input channel count {wc}.")
        if rate < 1:
            raise ValueError(f"`rate` cannot be less than one. Received: rate={rate}")
        if rate == 1:
            return conv2d_transpose(x, w, output_shape, strides=[1, 1, 1, 1], padding=padding,
                                    data_format="NHWC")
        shape_t = convert_to_tensor(output_shape, name="output_shape")
        if shape_t._shape is not None and (len(shape_t._shape) != 1 or
                                           shape_t._shape[0] not in (None, 4)):
            raise ValueError(f"`output_shape` must have shape (4,). Received: "
                             f"output_shape={_shape_text(shape_t)}")
        if isinstance(output_shape, tuple):
            output_shape = list(output_shape)
        if isinstance(output_shape, (list, np.ndarray)):
            out_c, w_out = output_shape[3], _dim(w, 2)
            if w_out is not None and out_c is not None and int(out_c) != w_out:
                raise ValueError(
                    "`output_shape` channel count must be compatible with `filters` output "
                    f"channel count. Received: output_shape={output_shape} with channel count "
                    f"{out_c} and filters.shape={_shape_text(w)} with output channel count "
                    f"{wc}.")
        if padding == "SAME":
            ws = w._shape
            fshape: Any = list(ws) if ws is not None and None not in ws else \
                array_ops.shape(w)
            fh, fw = fshape[0], fshape[1]
            pad_h = fh + (fh - 1) * (rate - 1) - 1
            pad_w = fw + (fw - 1) * (rate - 1) - 1
            # an odd padding puts its extra row (column) at the bottom (right), as conv2d
            top, left = pad_h // 2, pad_w // 2
            bottom, right = pad_h - top, pad_w - left
        elif padding == "VALID":
            top = bottom = left = right = 0
        else:
            raise ValueError("`padding` must be either 'VALID' or 'SAME'. Received: "
                             f"padding={padding}")
        in_h = output_shape[1] + top + bottom
        in_w = output_shape[2] + left + right
        # more padding, so that rate divides the height and width
        extra_b = (rate - in_h % rate) % rate
        extra_r = (rate - in_w % rate) % rate
        x = array_space_ops.space_to_batch(x, [[0, extra_b], [0, extra_r]], block_size=rate)
        sizes = [rate * rate * output_shape[0], (in_h + extra_b) // rate,
                 (in_w + extra_r) // rate, output_shape[3]]
        x = conv2d_backprop_input(sizes, w, x, strides=[1, 1, 1, 1], padding="VALID",
                                  data_format="NHWC")
        return array_space_ops.batch_to_space(
            x, [[top, bottom + extra_b], [left, right + extra_r]], block_size=rate)


builders.register(globals(), __all__)
