"""Convolution and pooling: Conv2D (with the plan-time conv2d -> bias -> ReLU fusion into the
SIMD kernel), its two backprops (also ``conv2d_transpose``), MaxPool, AvgPool and their
gradients. NHWC/HWIO as TF; NCHW inputs are transposed around the NHWC kernels."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import _core
from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError, UnimplementedError
from varstore.framework.constant_op import constant_value_as_shape, convert_to_tensor
from varstore.framework.executor import FusionView, register_fusion
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
from varstore.ops.nn_batch_dims import rank_of, squeeze_batch_dims
from varstore.ops.nn_conv_reference import (
    backprop_filter_ref,
    backprop_input_ref,
    conv_reference,
)
from varstore.ops.nn_window_utils import (
    check_explicit_paddings,
    conv2d_backprop_input_shape,
    convert_padding,
    windowed_output,
)

__all__ = [
    "conv2d",
    "conv2d_backprop_filter",
    "conv2d_backprop_input",
    "conv2d_transpose",
]

DType = _dtypes.DType
_CONV_TYPES = "float16, bfloat16, float32, float64, int32"
_kernels = getattr(_core, "kernels", None)


# -- window arguments -----------------------------------------------------------------------------
def get_sequence(value: Any, n: int, channel_index: int, name: str) -> list[int]:
    """TF's _get_sequence: an int or a list of length 1, n or n + 2 as n + 2 values."""
    if value is None:
        value = 1
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = [int(value)]
    elif not isinstance(value, Sequence):
        value = list(value)
    current_n = len(value)
    if current_n == n + 2:
        return [int(v) for v in value]
    if current_n == 1:
        value = list(value) * n
    elif current_n != n:
        raise ValueError(f"{name} should be of length 1, {n} or {n + 2}. Received: "
                         f"{name}={list(value)} of length {current_n}")
    if channel_index == 1:
        return [1, 1] + [int(v) for v in value]
    return [1] + [int(v) for v in value] + [1]


def check_padding(padding: Any, op_type: str) -> None:
    if padding is None:
        raise TypeError("Expected string for argument 'padding' not None.")
    if padding not in ("SAME", "VALID", "EXPLICIT"):
        raise ValueError(f"Attr 'padding' of '{op_type}' Op passed string '{padding}' not in: "
                         '"SAME", "VALID", "EXPLICIT".')


def fmt_list(values: Sequence[int]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


def out_size(n: int | None, k: int | None, s: int, d: int, padding: str,
             pad: tuple[int, int]) -> tuple[int | None, int, int] | None:
    """(output size, pad before, pad after) of one spatial dimension; None for a negative
    VALID/explicit size; unknown sizes give (None, 0, 0)."""
    if n is None or k is None:
        return (None, 0, 0)
    eff = (k - 1) * d + 1
    if padding == "SAME":
        out = -(-n // s)
        total = max((out - 1) * s + eff - n, 0)
        return out, total // 2, total - total // 2
    before, after = pad
    span = n + before + after - eff
    if span < 0:
        return None
    return span // s + 1, before, after


# -- conv2d -----------------------------------------------------------------------------------------
def conv2d(input: Any, filter: Any = None, strides: Any = None,
           padding: Any = None, use_cudnn_on_gpu: bool = True, data_format: str = "NHWC",
           dilations: Any = (1, 1, 1, 1), name: str | None = None, filters: Any = None
           ) -> Tensor:
    """``tf.nn.conv2d`` (TF1 signature): op ``Conv2D``. NHWC (or NCHW) input, HWIO filter;
    strides and dilations as an int, [h, w] or the full 4-list; padding 'SAME' (TF's split:
    the extra row/column goes after), 'VALID' or explicit [[0,0],[t,b],[l,r],[0,0]]."""
    if filter is None:
        filter = filters
    elif filters is not None:
        raise ValueError("filter and filters cannot both be specified")
    if data_format is None:
        data_format = "NHWC"
    channel_index = 1 if data_format.startswith("NC") else 3
    strides4 = get_sequence(strides, 2, channel_index, "strides")
    dil4 = get_sequence(dilations, 2, channel_index, "dilations")
    if padding is None or not isinstance(padding, (str, list, tuple)):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    explicit: list[int] = []
    if isinstance(padding, (list, tuple)):
        pad_attr, explicit = convert_padding(padding)
    else:
        if padding == "EXPLICIT":
            raise ValueError("'EXPLICIT' is not a valid value for `padding`. To use explicit "
                             "padding, `padding` must be a list.")
        pad_attr = padding
    ndims = rank_of(input)
    if ndims is not None and ndims > 4:
        # TF's conv2d: more than one batch dim folds into one around the Conv2D
        return squeeze_batch_dims(input, lambda t: conv2d(
            t, filter, strides4, padding, use_cudnn_on_gpu, data_format, dil4), 3, name)
    graph = check_same_graph(input, filter)
    full = graph._op_name(name, "Conv2D")
    with scope_of(graph, full):
        x = first_input(input, "input")
        if x._dtype.name not in _CONV_TYPES.split(", "):
            check_allowed(x._dtype, _CONV_TYPES, "input")
        w = typed_input(filter, x._dtype, "Conv2D", "filter", "input")
    if not isinstance(padding, (list, tuple)):
        check_padding(padding, "Conv2D")
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"Attr 'data_format' of 'Conv2D' Op passed string '{data_format}' not "
                         'in: "NHWC", "NCHW".')
    attrs = {"T": x._dtype, "data_format": data_format, "dilations": dil4,
             "explicit_paddings": explicit, "padding": pad_attr, "strides": strides4,
             "use_cudnn_on_gpu": use_cudnn_on_gpu}
    out = _conv_shape(full, x, w, attrs)
    return make_op(graph, full, "Conv2D", [x, w], attrs, [(x._dtype, out)])._outputs[0]


def _attrs_text(attrs: dict[str, Any]) -> str:
    return (f'T={dt_enum(attrs["T"])}, data_format="{attrs["data_format"]}", '
            f'dilations={fmt_list(attrs["dilations"])}, '
            f'explicit_paddings={fmt_list(attrs["explicit_paddings"])}, '
            f'padding="{attrs["padding"]}", strides={fmt_list(attrs["strides"])}, '
            f'use_cudnn_on_gpu={str(attrs["use_cudnn_on_gpu"]).lower()}')


def _conv_shape(full: str, x: Tensor, w: Tensor, attrs: dict[str, Any]
                ) -> tuple[int | None, ...] | None:
    """Conv2D's shape function, in TF's order of checks."""
    def shape_error(message: str) -> ValueError:
        return node_error(message, full, "Conv2D", _attrs_text(attrs), [x, w])

    xs, ws = x._shape, w._shape
    if xs is not None and len(xs) != 4:
        raise shape_error(f"Shape must be rank 4 but is rank {len(xs)}")
    if ws is not None and len(ws) != 4:
        raise shape_error(f"Shape must be rank 4 but is rank {len(ws)}")
    nchw = attrs["data_format"] == "NCHW"
    strides4, dil4 = attrs["strides"], attrs["dilations"]
    explicit = attrs["explicit_paddings"]
    hw = (2, 3) if nchw else (1, 2)
    if xs is None:
        xs = (None,) * 4
    if ws is None:
        ws = (None,) * 4
    n, c = xs[0], xs[1 if nchw else 3]
    ih, iw = xs[hw[0]], xs[hw[1]]
    kh, kw, f_depth, cout = ws
    if f_depth == 0:
        raise shape_error("Depth of filter must not be 0")
    if c is not None and f_depth is not None:
        if c % f_depth:
            raise shape_error(f"Depth of input ({c}) is not a multiple of input depth of "
                              f"filter ({f_depth})")
        groups = c // f_depth
        if c != f_depth and cout is not None and cout % groups:
            raise shape_error(f"Depth of output ({cout}) is not a multiple of the number of "
                              f"groups ({groups})")
    if explicit:
        if len(explicit) != 8:
            raise ValueError("padding should be a list of 4 pairs")
        if any(v < 0 for v in explicit):
            raise shape_error("All elements of explicit_paddings must be nonnegative")
        batch_depth = (explicit[0:2] + explicit[2:4]) if nchw else \
            (explicit[0:2] + explicit[6:8])
        if any(batch_depth):
            raise shape_error("Nonzero explicit padding in the batch or depth dimensions is not "
                              "supported")
    sh, sw = strides4[hw[0]], strides4[hw[1]]
    dh, dw = dil4[hw[0]], dil4[hw[1]]
    for value, what in ((sh, "Stride"), (sw, "Stride"), (dh, "Dilation rate"),
                        (dw, "Dilation rate")):
        if value < 1:
            bound = "> 0" if what == "Stride" else ">= 1"
            raise shape_error(f"{what} must be {bound}, but got {value}")
    mode = attrs["padding"]
    sizes = []
    for axis, size_in, k, s, d in ((0, ih, kh, sh, dh), (1, iw, kw, sw, dw)):
        pair = (0, 0)
        if explicit:
            src = hw[axis]
            pair = (explicit[2 * src], explicit[2 * src + 1])
        got = out_size(size_in, k, s, d, mode, pair)
        if got is None:
            assert k is not None and size_in is not None
            eff = (k - 1) * d + 1
            raise shape_error(f"Negative dimension size caused by subtracting {eff} from "
                              f"{size_in + pair[0] + pair[1]}")
        sizes.append(got[0])
    if nchw:
        return (n, cout, sizes[0], sizes[1])
    return (n, sizes[0], sizes[1], cout)


def conv_geometry(attrs: dict[str, Any], x_shape: tuple[int, ...], w_shape: tuple[int, ...]
                  ) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int, int, int],
                             tuple[int, int]]:
    """(strides, dilations, pads (top, bottom, left, right), output (h, w)) of an NHWC
    conv with TF's SAME / VALID / EXPLICIT padding."""
    nchw = attrs["data_format"] == "NCHW"
    hw = (2, 3) if nchw else (1, 2)
    s = (attrs["strides"][hw[0]], attrs["strides"][hw[1]])
    d = (attrs["dilations"][hw[0]], attrs["dilations"][hw[1]])
    explicit = attrs["explicit_paddings"]
    pads: list[int] = []
    outs: list[int] = []
    for i in range(2):
        pair = (explicit[2 * hw[i]], explicit[2 * hw[i] + 1]) if explicit else (0, 0)
        if attrs["padding"] == "SAME":
            out, before, after = windowed_output(x_shape[1 + i], w_shape[i], s[i], d[i], "SAME")
        else:
            # TF's run-time rule (truncating division): a window longer than the input by
            # less than a stride gives an empty output, not an error
            out, _, _ = windowed_output(x_shape[1 + i] + pair[0] + pair[1], w_shape[i], s[i],
                                        d[i], "VALID")
            before, after = pair
        outs.append(out)
        pads.extend((before, after))
    return s, d, (pads[0], pads[1], pads[2], pads[3]), (outs[0], outs[1])


def _simd_ok(x: np.ndarray, w: np.ndarray) -> bool:
    # The kernel handles empty tensors and IEEE specials as TF does (any Cout, N, H, W = 0).
    return (_kernels is not None and x.dtype == np.float32 and w.dtype == np.float32
            and x.ndim == 4 and w.ndim == 4 and x.shape[3] == w.shape[2]
            and w.shape[0] > 0 and w.shape[1] > 0)


def run_conv(x: np.ndarray, w: np.ndarray, bias: np.ndarray | None, strides: tuple[int, int],
             dilations: tuple[int, int], pads: tuple[int, int, int, int],
             activation: str = "none", alpha: float = 0.0) -> np.ndarray:
    """conv2d (+ bias, + ReLU / leaky ReLU) of NHWC ``x`` and HWIO ``w``: the SIMD kernel for
    float32 (ungrouped), else the NumPy reference."""
    if _simd_ok(x, w) and _kernels is not None:
        oh = (x.shape[1] + pads[0] + pads[1] - ((w.shape[0] - 1) * dilations[0] + 1))
        ow = (x.shape[2] + pads[2] + pads[3] - ((w.shape[1] - 1) * dilations[1] + 1))
        if oh >= 0 and ow >= 0:
            return _kernels.conv2d_relu(  # type: ignore[no-any-return]
                np.ascontiguousarray(x), np.ascontiguousarray(w), bias=bias, strides=strides,
                dilations=dilations, padding=pads, activation=activation, alpha=alpha)
    out = conv_reference(x, w, strides, dilations, pads)
    if bias is not None:
        out += bias
    if activation == "relu":
        np.maximum(out, out.dtype.type(0), out=out)
    elif activation == "leaky_relu":
        out = np.where(out > 0, out, out * out.dtype.type(alpha))
    return out


# The SIMD conv kernel takes a leaky ReLU too (TF's v > 0 ? v : alpha * v).
_LEAKY_FUSED = _kernels is not None and "activation" in (
    getattr(_kernels.conv2d_relu, "__doc__", "") or "")


def _conv_kernel_fn(attrs: dict[str, Any], bias: bool, activation: str = "none",
                    alpha: float = 0.0) -> Callable[..., Any]:
    nchw = attrs["data_format"] == "NCHW"
    out_dt = attrs["T"]._np

    def conv(x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
        if attrs["strides"][0] != 1 or attrs["strides"][1 if nchw else 3] != 1:
            raise UnimplementedError(None, None, "Current implementation does not yet "
                                     "support strides in the batch and depth dimensions.")
        if w.size == 0 and x.size and w.shape[3] != 0:
            raise ValueError("filter must not have zero elements (i.e. all dimensions must be "
                             "non-zero)")
        xn = np.transpose(x, (0, 2, 3, 1)) if nchw else x
        if w.ndim == 4 and w.shape[2] and xn.shape[3] % w.shape[2]:
            raise InvalidArgumentError(None, None, "input depth must be evenly divisible by "
                                       f"filter depth: {xn.shape[3]} vs {w.shape[2]}")
        s, d, pads, _ = conv_geometry(attrs, xn.shape, w.shape)
        out = run_conv(xn, w, b, s, d, pads, activation, alpha)
        if out.dtype != out_dt:
            out = out.astype(out_dt)
        return np.ascontiguousarray(np.transpose(out, (0, 3, 1, 2))) if nchw else out

    if bias:
        return conv
    return lambda x, w: conv(x, w)


@register_kernel("Conv2D")
def _conv2d_kernel(op: Operation) -> Callable[..., Any]:
    return _conv_kernel_fn(op._attrs, False)


@register_fusion("Conv2D")
def _fuse_conv(op: Operation, view: FusionView) -> Any:
    """Conv2D -> BiasAdd (or Add of a [Cout] bias) -> Relu, none of the intermediates
    fetched or used elsewhere: one kernel pass writes the result once."""
    attrs = op._attrs
    if attrs["data_format"] != "NHWC" or attrs["T"] is not _dtypes.float32:
        return None
    conv_out = op._outputs[0]
    cout = conv_out._shape[3] if conv_out._shape is not None else None
    inputs = list(op._inputs)
    replaced: list[Operation] = []
    final = conv_out
    nxt = view.sole_consumer(final)
    if nxt is not None and nxt._type in ("BiasAdd", "AddV2", "Add") and cout is not None:
        other = nxt._inputs[1] if nxt._inputs[0] is final else nxt._inputs[0]
        ok = other._shape == (cout,) and other._dtype is _dtypes.float32 and (
            nxt._type != "BiasAdd" or nxt._attrs.get("data_format", "NHWC") == "NHWC")
        if ok and nxt._outputs[0]._shape == conv_out._shape:
            inputs.append(other)
            replaced.append(nxt)
            final = nxt._outputs[0]
            nxt = view.sole_consumer(final)
    activation = "none"
    alpha = 0.0
    if nxt is not None and nxt._type == "Relu":
        activation = "relu"
    elif nxt is not None and nxt._type == "LeakyRelu" and _LEAKY_FUSED:
        activation = "leaky_relu"
        alpha = float(nxt._attrs["alpha"])
    if activation != "none":
        assert nxt is not None
        replaced.append(nxt)
        final = nxt._outputs[0]
    if not replaced:
        return None
    kernel = _conv_kernel_fn(attrs, len(inputs) == 3, activation, alpha)
    return kernel, inputs, replaced, final


# -- backprops ---------------------------------------------------------------------------------------
def _backprop(op_type: str, sizes: Any, second: Any, dy: Any, strides: Any, padding: Any,
              use_cudnn_on_gpu: bool, data_format: str, dilations: Any, name: str | None,
              default: str) -> Tensor:
    channel_index = 1 if data_format.startswith("NC") else 3
    strides4 = get_sequence(strides, 2, channel_index, "strides")
    dil4 = get_sequence(dilations, 2, channel_index, "dilations")
    explicit: list[int] = []
    if isinstance(padding, (list, tuple)):
        pad_attr, explicit = convert_padding(padding)
    else:
        check_padding(padding, op_type)
        pad_attr = padding
    graph = check_same_graph(sizes, second, dy)
    full = graph._op_name(name, default)
    with scope_of(graph, full):
        sz = convert_to_tensor(sizes, dtype_hint=_dtypes.int32,
                               name="input_sizes" if op_type == "Conv2DBackpropInput"
                               else "filter_sizes")
        if op_type == "Conv2DBackpropInput":
            w = first_input(second, "filter")
            g = typed_input(dy, w._dtype, op_type, "out_backprop", "filter")
            inputs = [sz, w, g]
        else:
            x = first_input(second, "input")
            g = typed_input(dy, x._dtype, op_type, "out_backprop", "input")
            inputs = [x, sz, g]
    dt = g._dtype
    out = constant_value_as_shape(sz)
    attrs = {"T": dt, "data_format": data_format, "dilations": dil4,
             "explicit_paddings": explicit, "padding": pad_attr, "strides": strides4,
             "use_cudnn_on_gpu": use_cudnn_on_gpu}
    if op_type == "Conv2DBackpropInput":
        out = conv2d_backprop_input_shape(full, sz, inputs[1], g, attrs, out,
                                          _attrs_text(attrs))
    return make_op(graph, full, op_type, inputs, attrs, [(dt, out)])._outputs[0]


def conv2d_backprop_input(input_sizes: Any, filter: Any = None, out_backprop: Any = None,
                          strides: Any = None, padding: Any = None,
                          use_cudnn_on_gpu: bool = True, data_format: str = "NHWC",
                          dilations: Any = (1, 1, 1, 1), name: str | None = None,
                          filters: Any = None) -> Tensor:
    """``tf.nn.conv2d_backprop_input``: op ``Conv2DBackpropInput``."""
    if filter is None:
        filter = filters
    return _backprop("Conv2DBackpropInput", input_sizes, filter, out_backprop, strides,
                     padding, use_cudnn_on_gpu, data_format, dilations, name,
                     "Conv2DBackpropInput")


def conv2d_backprop_filter(input: Any, filter_sizes: Any, out_backprop: Any, strides: Any,
                           padding: Any, use_cudnn_on_gpu: bool = True,
                           data_format: str = "NHWC", dilations: Any = (1, 1, 1, 1),
                           name: str | None = None) -> Tensor:
    """``tf.nn.conv2d_backprop_filter``: op ``Conv2DBackpropFilter``."""
    return _backprop("Conv2DBackpropFilter", filter_sizes, input, out_backprop, strides,
                     padding, use_cudnn_on_gpu, data_format, dilations, name,
                     "Conv2DBackpropFilter")


def conv2d_transpose(value: Any = None, filter: Any = None, output_shape: Any = None,
                     strides: Any = None, padding: str = "SAME", data_format: str = "NHWC",
                     name: str | None = None, input: Any = None, filters: Any = None,
                     dilations: Any = None) -> Tensor:
    """``tf.nn.conv2d_transpose`` (TF1 signature): op ``conv2d_transpose`` of type
    ``Conv2DBackpropInput``; the filter is [h, w, out_channels, in_channels]."""
    if input is not None:
        value = input
    if filters is not None:
        filter = filters
    graph = check_same_graph(value, filter, output_shape)
    full = graph._op_name(name, "conv2d_transpose")
    with scope_of(graph, full):
        return conv2d_backprop_input(output_shape, filter, value, strides, padding,
                                     data_format=data_format,
                                     dilations=dilations if dilations is not None else 1,
                                     name=full + "/")


def _backprop_geometry(attrs: dict[str, Any], in_shape: tuple[int, ...],
                       f_shape: tuple[int, ...]) -> tuple[Any, Any, Any, Any]:
    return conv_geometry(attrs, in_shape, f_shape)


@register_kernel("Conv2DBackpropInput")
def _bp_input_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    check_explicit_paddings(attrs)
    nchw = attrs["data_format"] == "NCHW"
    simd = getattr(_kernels, "conv2d_backprop_input", None)

    def bp_input(sizes: np.ndarray, w: np.ndarray, dy: np.ndarray) -> np.ndarray:
        in_shape = tuple(int(v) for v in sizes)
        if nchw:
            dy = np.transpose(dy, (0, 2, 3, 1))
            if len(in_shape) == 4:
                in_shape = (in_shape[0], in_shape[2], in_shape[3], in_shape[1])
        if len(in_shape) == 2:
            # only the spatial dims: the batch is out_backprop's, the depth the filter's
            in_shape = (dy.shape[0], *in_shape, w.shape[2])
        s, d, pads, (oh, ow) = conv_geometry(attrs, in_shape, w.shape)
        if dy.shape[1:3] != (oh, ow) or dy.shape[3] != w.shape[3]:
            raise ValueError(f"Conv2DSlowBackpropInput: Size of out_backprop doesn't match "
                             f"computed: actual = {dy.shape[1]}, computed = {oh}")
        if simd is not None and dy.dtype == np.float32 and dy.size and w.size:
            out = simd(np.ascontiguousarray(dy), np.ascontiguousarray(w), in_shape, s, d, pads)
        else:
            out = backprop_input_ref(dy, w, in_shape, s, d, pads)
        return np.ascontiguousarray(np.transpose(out, (0, 3, 1, 2))) if nchw else out

    return bp_input


@register_kernel("Conv2DBackpropFilter")
def _bp_filter_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    check_explicit_paddings(attrs)
    nchw = attrs["data_format"] == "NCHW"
    simd = getattr(_kernels, "conv2d_backprop_filter", None)

    def bp_filter(x: np.ndarray, sizes: np.ndarray, dy: np.ndarray) -> np.ndarray:
        f_shape = tuple(int(v) for v in sizes)
        if nchw:
            x = np.transpose(x, (0, 2, 3, 1))
            dy = np.transpose(dy, (0, 2, 3, 1))
        s, d, pads, _ = conv_geometry(attrs, x.shape, f_shape)
        if simd is not None and dy.dtype == np.float32 and dy.size and x.size:
            return simd(np.ascontiguousarray(x), np.ascontiguousarray(dy),  # type: ignore[no-any-return]
                        f_shape, s, d, pads)
        return backprop_filter_ref(x, dy, f_shape, s, d, pads)

    return bp_filter


def _same_attrs(op: Operation) -> dict[str, Any]:
    a = op._attrs
    padding = a["padding"]
    if padding == "EXPLICIT":
        e = a["explicit_paddings"]
        padding = [[e[0], e[1]], [e[2], e[3]], [e[4], e[5]], [e[6], e[7]]]
    return {"strides": a["strides"], "padding": padding, "data_format": a["data_format"],
            "dilations": a["dilations"], "use_cudnn_on_gpu": a.get("use_cudnn_on_gpu", True)}


@RegisterGradient("Conv2D")
def _conv2d_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    x, w = op._inputs
    kw = _same_attrs(op)
    # one ShapeN for both sizes, as TF's _Conv2DGrad builds it
    shape_x, shape_w = builders.shape_n([x, w])
    return [conv2d_backprop_input(shape_x, w, grad, **kw),
            conv2d_backprop_filter(x, shape_w, grad, **kw)]


@RegisterGradient("Conv2DBackpropInput")
def _conv2d_bp_input_grad(op: Operation, grad: Tensor) -> list[Any]:
    _, w, dy = op._inputs
    kw = _same_attrs(op)
    return [None, conv2d_backprop_filter(grad, builders.shape_of(w), dy, **kw),
            conv2d(grad, w, **kw)]


@RegisterGradient("Conv2DBackpropFilter")
def _conv2d_bp_filter_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, _, dy = op._inputs
    kw = _same_attrs(op)
    return [conv2d_backprop_input(builders.shape_of(x), grad, dy, **kw), None,
            conv2d(x, grad, **kw)]


builders.register(globals(), [*__all__, "conv_geometry", "run_conv", "get_sequence"])
