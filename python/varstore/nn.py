"""``tf.nn``: activations, bias_add, max_pool and conv2d with TF1 graph-mode names.

conv2d runs through ``_run_conv``: the C++ SIMD kernel
``varstore._core.kernels.conv2d_relu`` for float32 when the extension provides it, else the
NumPy reference ``_conv2d_reference`` (any dtype TF's Conv2D allows).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np

from varstore import _core
from varstore import dtypes as _dtypes
from varstore.graph import get_default_graph
from varstore.ops import (
    _check_allowed,
    _dt,
    _first_input,
    _input_name,
    _is_variable,
    _node_error,
    _strict,
    _typed_input,
    _value_of,
)
from varstore.tensor import Tensor

__all__ = [
    "bias_add",
    "conv2d",
    "l2_loss",
    "max_pool",
    "max_pool2d",
    "relu",
    "sigmoid",
    "softmax",
    "tanh",
]

_create = Tensor._create

_RELU_TYPES = ("float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, float16, "
               "uint32, uint64, qint8")
_CONV_TYPES = "float16, bfloat16, float32, float64, int32"
_FLOAT_TYPES = "float16, bfloat16, float32, float64"


def _unary(op_type: str, features: Any, name: str | None, allowed: str, param: str,
           fn: Any) -> Tensor:
    graph = get_default_graph()
    full = graph._op_name(name, op_type)
    arr, dt = _first_input(features)
    if dt.name not in allowed.split(", "):
        _check_allowed(dt, allowed, param)
    with np.errstate(all="ignore"):
        out = fn(arr)
    if out.dtype != dt._np:
        out = out.astype(dt._np)
    return _create(op_type, full, np.asarray(out), graph, dt)


def _relu_np(a: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.maximum(a, a.dtype.type(0))
    return out


def relu(features: Any, name: str | None = None) -> Tensor:
    """``tf.nn.relu``: op ``Relu``. After conv2d (+ bias) it is fused into the kernel."""
    graph = get_default_graph()
    pending = _take_pending(features, graph, relu_ok=True)
    if pending is not None:
        full = graph._op_name(name, "Relu")
        out = pending.extend(None, True).compute()
        return _create("Relu", full, out, graph, _dtypes.float32)
    return _unary("Relu", features, name, _RELU_TYPES, "features", _relu_np)


def _sigmoid_np(a: np.ndarray) -> np.ndarray:
    # exp(-|a|) never overflows: sigmoid(a) = 1/(1+e^-a) for a>=0, e^a/(1+e^a) otherwise.
    e = np.exp(-np.abs(a))
    out: np.ndarray = np.where(a >= 0, 1 / (1 + e), e / (1 + e))
    return out


def sigmoid(x: Any, name: str | None = None) -> Tensor:
    """``tf.nn.sigmoid``: op ``Sigmoid``."""
    return _unary("Sigmoid", x, name, _FLOAT_TYPES + ", complex64, complex128", "x",
                  _sigmoid_np)


def tanh(x: Any, name: str | None = None) -> Tensor:
    """``tf.nn.tanh``: op ``Tanh``."""
    return _unary("Tanh", x, name, _FLOAT_TYPES + ", complex64, complex128", "x", np.tanh)


def softmax(logits: Any, axis: int | None = None, name: str | None = None,
            dim: int | None = None) -> Tensor:
    """``tf.nn.softmax``: op ``Softmax`` over the last axis (or ``axis``)."""
    if axis is None:
        axis = -1 if dim is None else dim

    def fn(a: np.ndarray) -> np.ndarray:
        shifted = a - np.max(a, axis=axis, keepdims=True)
        e = np.exp(shifted)
        return e / np.sum(e, axis=axis, keepdims=True)  # type: ignore[no-any-return]

    return _unary("Softmax", logits, name, _FLOAT_TYPES, "logits", fn)


def l2_loss(t: Any, name: str | None = None) -> Tensor:
    """``tf.nn.l2_loss``: op ``L2Loss``, sum(t ** 2) / 2."""
    return _unary("L2Loss", t, name, _FLOAT_TYPES, "t",
                  lambda a: np.asarray(np.sum(np.square(a), dtype=a.dtype) / a.dtype.type(2)))


# ---------------------------------------------------------------------------------------
# bias_add
# ---------------------------------------------------------------------------------------
def bias_add(value: Any, bias: Any, data_format: str | None = None, name: str | None = None
             ) -> Tensor:
    """``tf.nn.bias_add``: op ``BiasAdd``; ``bias`` (rank 1) is added along the channel
    dimension (last for NHWC / None, 1 for NCHW)."""
    graph = get_default_graph()
    if data_format is None or data_format == "NHWC":
        fused = _fused_bias_add(value, bias, graph, name, "BiasAdd", "BiasAdd")
        if fused is not None:
            return fused
    full = graph._op_name(name, "BiasAdd")
    if data_format is None:
        fmt = "NHWC"
    elif data_format.startswith("NC"):
        fmt = "NCHW"
    elif data_format.startswith("N") and data_format.endswith("C"):
        fmt = "NHWC"
    else:
        raise ValueError("`data_format` must be of the form `N...C` or `NC...`. Received: "
                         f"data_format={data_format}")
    va, dt = _first_input(value)
    if isinstance(bias, Tensor) or _is_variable(bias):
        ba, bdt = _value_of(bias)
        if bdt != dt:
            shown = bias if isinstance(bias, Tensor) else bias._as_tensor()
            raise ValueError(f"bias: Tensor conversion requested dtype {dt.name} for Tensor "
                             f"with dtype {bdt.name}: {shown!r}")
    else:
        ba = _strict(bias, dt)
    # compat.v1 bias_add converts its value with name="input" inside the op's name scope.
    names = (_input_name(value, full, "input"), _input_name(bias, full, "bias"))
    attrs = f'T={_dt(dt)}, data_format="{fmt}"'
    shapes = (va.shape, ba.shape)
    min_rank = 3 if fmt == "NCHW" else 2
    if va.ndim < min_rank:
        raise _node_error(f"Shape must be at least rank {min_rank} but is rank {va.ndim}", full,
                          "BiasAdd", attrs, names, shapes)
    if ba.ndim != 1:
        raise _node_error(f"Shape must be rank 1 but is rank {ba.ndim}", full, "BiasAdd", attrs,
                          names, shapes)
    channel_axis = 1 if fmt.startswith("NC") else va.ndim - 1
    channels = va.shape[channel_axis]
    if channels != ba.shape[0]:
        raise _node_error(f"Dimensions must be equal, but are {channels} and {ba.shape[0]}",
                          full, "BiasAdd", attrs, names, shapes)
    if channel_axis != va.ndim - 1:
        ba = ba.reshape((-1,) + (1,) * (va.ndim - 2))
    with np.errstate(all="ignore"):
        out = va + ba
    if out.dtype != dt._np:
        out = out.astype(dt._np)
    return _create("BiasAdd", full, out, graph, dt)


# ---------------------------------------------------------------------------------------
# window arguments
# ---------------------------------------------------------------------------------------
def _get_sequence(value: Any, n: int, channel_index: int, name: str) -> list[int]:
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


def _check_padding(padding: Any, op_type: str) -> None:
    if padding is None:
        raise TypeError("Expected string for argument 'padding' not None.")
    if padding not in ("SAME", "VALID", "EXPLICIT"):
        raise ValueError(f"Attr 'padding' of '{op_type}' Op passed string '{padding}' not in: "
                         '"SAME", "VALID", "EXPLICIT".')


def _fmt_list(values: Sequence[int]) -> str:
    return "[" + ", ".join(str(v) for v in values) + "]"


def _out_size(n: int, k: int, s: int, d: int, padding: str, pad: tuple[int, int]
              ) -> tuple[int, int, int] | None:
    """(output size, pad before, pad after) of one spatial dimension; None for a negative
    VALID/explicit size."""
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


# ---------------------------------------------------------------------------------------
# conv2d
# ---------------------------------------------------------------------------------------
def _conv2d_reference(x: np.ndarray, w: np.ndarray, strides: tuple[int, int],
                      dilations: tuple[int, int], pads: tuple[int, int, int, int]
                      ) -> np.ndarray:
    """NHWC x (N,H,W,C), HWIO w (KH,KW,C/groups,O); pads (top, bottom, left, right).

    Accumulates one (kh, kw) tap at a time as a matrix product over the channels, in the
    input dtype (float32 stays float32, float64 stays float64)."""
    n, h, wd, c = x.shape
    kh, kw, cin, cout = w.shape
    sh, sw = strides
    dh, dw = dilations
    top, bottom, left, right = pads
    oh = (h + top + bottom - ((kh - 1) * dh + 1)) // sh + 1
    ow = (wd + left + right - ((kw - 1) * dw + 1)) // sw + 1
    if top or bottom or left or right:
        xp = np.zeros((n, h + top + bottom, wd + left + right, c), dtype=x.dtype)
        xp[:, top:top + h, left:left + wd, :] = x
    else:
        xp = x
    groups = c // cin
    out = np.zeros((n, oh, ow, cout), dtype=np.result_type(x.dtype, w.dtype))
    if oh <= 0 or ow <= 0 or n == 0:
        return out
    gout = cout // groups
    for i in range(kh):
        r0 = i * dh
        rows = xp[:, r0:r0 + (oh - 1) * sh + 1:sh]
        for j in range(kw):
            c0 = j * dw
            patch = rows[:, :, c0:c0 + (ow - 1) * sw + 1:sw, :]
            if groups == 1:
                out += patch @ w[i, j]
            else:
                for g in range(groups):
                    out[..., g * gout:(g + 1) * gout] += (
                        patch[..., g * cin:(g + 1) * cin] @ w[i, j, :, g * gout:(g + 1) * gout])
    return out


def _kernel() -> Any:
    kernels = getattr(_core, "kernels", None)
    if kernels is not None and hasattr(kernels, "conv2d_relu"):
        return kernels.conv2d_relu
    return None


def _run_conv(x: np.ndarray, w: np.ndarray, bias: np.ndarray | None,
              strides: tuple[int, int], dilations: tuple[int, int],
              pads: tuple[int, int, int, int], relu: bool) -> np.ndarray:
    """conv2d (+ bias, + ReLU) of NHWC ``x`` and HWIO ``w``: the SIMD kernel for float32 when
    available (ungrouped), else the NumPy reference."""
    kernel = _kernel()
    if (kernel is not None and x.dtype == np.float32 and w.dtype == np.float32
            and x.shape[3] == w.shape[2] and x.size > 0 and w.size > 0):
        return kernel(np.ascontiguousarray(x), np.ascontiguousarray(w),  # type: ignore[no-any-return]
                      bias=bias, strides=strides, dilations=dilations, padding=pads, relu=relu)
    out = _conv2d_reference(x, w, strides, dilations, pads)
    if bias is not None:
        out += bias
    if relu:
        np.maximum(out, out.dtype.type(0), out=out)
    return out


# ---------------------------------------------------------------------------------------
# Fusion: conv2d waits (as a pending tensor) for a following bias add and ReLU, so that
# relu(conv2d(x, w) + b) is one kernel pass that writes the output once. The pending value
# is computed on first use: when read, or when any other op is created in the graph.
# ---------------------------------------------------------------------------------------
class _PendingConv:
    """A float32 NHWC conv2d (+ bias, + ReLU) not run yet; ``shape`` is its output's."""

    __slots__ = ("bias", "dilations", "filter", "pads", "relu", "shape", "strides", "x")

    def __init__(self, x: np.ndarray, filt: Any, bias: np.ndarray | None,
                 strides: tuple[int, int], dilations: tuple[int, int],
                 pads: tuple[int, int, int, int], relu: bool, shape: tuple[int, ...]) -> None:
        self.x = x
        self.filter = filt
        self.bias = bias
        self.strides = strides
        self.dilations = dilations
        self.pads = pads
        self.relu = relu
        self.shape = shape

    def extend(self, bias: np.ndarray | None, relu: bool) -> _PendingConv:
        return _PendingConv(self.x, self.filter, self.bias if bias is None else bias,
                            self.strides, self.dilations, self.pads, self.relu or relu,
                            self.shape)

    def compute(self) -> np.ndarray:
        return _kernel()(self.x, self.filter, bias=self.bias,  # type: ignore[no-any-return]
                         strides=self.strides, dilations=self.dilations, padding=self.pads,
                         relu=self.relu)


def _take_pending(value: Any, graph: Any, relu_ok: bool) -> _PendingConv | None:
    """The pending conv behind ``value`` if the next op can fuse into it (and detaches it
    from the graph, so that naming the next op does not run it)."""
    if not isinstance(value, Tensor) or value._val is not None:
        return None
    pending = value._pending
    if type(pending) is not _PendingConv or pending.relu or (not relu_ok and
                                                              pending.bias is not None):
        return None
    if graph._pending is value:
        graph._pending = None
    return pending


def _fusable_bias(bias: Any, cout: int) -> np.ndarray | None:
    """A float32 bias of length ``cout`` from a Tensor or Variable, else None."""
    if isinstance(bias, Tensor):
        if bias._dtype is not _dtypes.float32:
            return None
        arr = bias._value
    elif _is_variable(bias):
        if bias.dtype != _dtypes.float32:
            return None
        arr = bias._view()
    else:
        try:  # a NumPy array or a list, converted as TF does for the conv's dtype
            arr = _strict(bias, _dtypes.float32)
        except (TypeError, ValueError):
            return None
    if arr.shape != (cout,):
        return None
    return np.array(arr, dtype=np.float32, copy=True)


def _fused_bias_add(value: Any, bias: Any, graph: Any, name: str | None,
                    default: str, op_type: str) -> Tensor | None:
    """``value + bias`` as part of a pending conv, or None when it cannot fuse."""
    pending = _take_pending(value, graph, relu_ok=False)
    if pending is None:
        return None
    b = _fusable_bias(bias, pending.shape[3])
    if b is None:
        return None
    full = graph._op_name(name, default)
    out = Tensor(_op(op_type, full, graph), None, _dtypes.float32,
                 pending=pending.extend(b, False))
    out._op._outputs.append(weakref.ref(out))
    graph._pending = out
    return out


def _op(op_type: str, full: str, graph: Any) -> Any:
    from varstore.tensor import Operation

    return Operation(full, op_type, graph)


def _filter_for_kernel(filt: Any, wa: np.ndarray, graph: Any) -> Any:
    """A variable's filter is packed once per value (cached on its store version)."""
    if not _is_variable(filt):
        return np.ascontiguousarray(wa)
    key = filt._id
    version = filt._store.version(key)
    cached = graph._packed_filters.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    packed = _core.kernels.PackedFilter(np.ascontiguousarray(wa))
    graph._packed_filters[key] = (version, packed)
    return packed


def conv2d(input: Any, filter: Any = None, strides: Any = None,  # TF's argument names
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
    strides4 = _get_sequence(strides, 2, channel_index, "strides")
    dil4 = _get_sequence(dilations, 2, channel_index, "dilations")
    if padding is None or not isinstance(padding, (str, list, tuple)):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    graph = get_default_graph()
    explicit: list[int] = []
    if isinstance(padding, (list, tuple)):
        # Checked before the op is named, as TF's conv2d does.
        if len(padding) != 4:
            raise ValueError(f"When padding is a list, it must be of size 4. Received: "
                             f"padding={padding} of size {len(padding)}")
        explicit = [int(v) for pair in padding for v in pair]
        pad_attr = "EXPLICIT"
    else:
        if padding == "EXPLICIT":
            raise ValueError("'EXPLICIT' is not a valid value for `padding`. To use explicit "
                             "padding, `padding` must be a list.")
        pad_attr = padding
    # From here on TF has named the op (a failure uses up the name). _apply_op_helper
    # converts the inputs first, then checks the attributes in the op def's order
    # (padding before data_format), then runs the shape function.
    full = graph._op_name(name, "Conv2D")
    xa, dt = _first_input(input)
    if dt.name not in _CONV_TYPES.split(", "):
        _check_allowed(dt, _CONV_TYPES, "input")
    wa = _typed_input(filter, dt, "Conv2D", "filter", "input")
    if not isinstance(padding, (list, tuple)):
        _check_padding(padding, "Conv2D")
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"Attr 'data_format' of 'Conv2D' Op passed string '{data_format}' not "
                         'in: "NHWC", "NCHW".')
    def shape_error(message: str) -> ValueError:
        # The node description of TF's message, formatted only when there is an error.
        names = (_input_name(input, full, "input"), _input_name(filter, full, "filter"))
        attrs = (f'T={_dt(dt)}, data_format="{data_format}", dilations={_fmt_list(dil4)}, '
                 f"explicit_paddings={_fmt_list(explicit)}, padding=\"{pad_attr}\", "
                 f"strides={_fmt_list(strides4)}, "
                 f"use_cudnn_on_gpu={str(use_cudnn_on_gpu).lower()}")
        return _node_error(message, full, "Conv2D", attrs, names, (xa.shape, wa.shape))

    # Conv2D's shape function, in TF's order.
    if xa.ndim != 4:
        raise shape_error(f"Shape must be rank 4 but is rank {xa.ndim}")
    if wa.ndim != 4:
        raise shape_error(f"Shape must be rank 4 but is rank {wa.ndim}")
    x_nhwc = xa if channel_index == 3 else xa.transpose(0, 2, 3, 1)
    in_depth = x_nhwc.shape[3]
    f_depth = wa.shape[2]
    if f_depth == 0:
        raise shape_error("Depth of filter must not be 0")
    if in_depth % f_depth:
        raise shape_error(f"Depth of input ({in_depth}) is not a multiple of input depth of "
                          f"filter ({f_depth})")
    groups = in_depth // f_depth
    if in_depth != f_depth:
        if groups == 0:
            raise shape_error("Number of groups must not be 0")
        if wa.shape[3] % groups:
            raise shape_error(f"Depth of output ({wa.shape[3]}) is not a multiple of the number "
                              f"of groups ({groups})")
    if explicit:
        if len(explicit) != 8:
            raise ValueError(f"padding should be a list of 4 pairs, got {padding!r}")
        if any(v < 0 for v in explicit):
            raise shape_error("All elements of explicit_paddings must be nonnegative")
        batch_depth = (explicit[0:2] + explicit[2:4]) if channel_index == 1 else \
            (explicit[0:2] + explicit[6:8])
        if any(batch_depth):
            raise shape_error("Nonzero explicit padding in the batch or depth dimensions is not "
                              "supported")
    hw = (2, 3) if channel_index == 1 else (1, 2)
    sh, sw = strides4[hw[0]], strides4[hw[1]]
    dh, dw = dil4[hw[0]], dil4[hw[1]]
    for value, what in ((sh, "Stride"), (sw, "Stride"), (dh, "Dilation rate"),
                        (dw, "Dilation rate")):
        if value < 1:
            bound = "> 0" if what == "Stride" else ">= 1"
            raise shape_error(f"{what} must be {bound}, but got {value}")
    mode = "EXPLICIT" if explicit else padding
    pads: list[int] = []
    out_hw: list[int] = []
    for axis, k, s, d in ((1, wa.shape[0], sh, dh), (2, wa.shape[1], sw, dw)):
        n = x_nhwc.shape[axis]
        pair = (0, 0)
        if explicit:
            src = hw[axis - 1]
            pair = (explicit[2 * src], explicit[2 * src + 1])
        size = _out_size(n, k, s, d, mode, pair)
        if size is None:
            eff = (k - 1) * d + 1
            raise shape_error(f"Negative dimension size caused by subtracting {eff} from "
                              f"{n + pair[0] + pair[1]}")
        pads.extend(size[1:])
        out_hw.append(size[0])
    # The Conv2D kernel's checks: TF raises these only when the graph runs; varstore
    # computes now, so it raises them now.
    if strides4[0] != 1 or strides4[channel_index] != 1:
        raise ValueError("Current implementation does not yet support strides in the batch "
                         "and depth dimensions.")
    if dil4[0] != 1 or dil4[channel_index] != 1:
        raise ValueError("Current implementation does not yet support dilations in the batch "
                         "and depth dimensions.")
    if wa.size == 0:
        raise ValueError("filter must not have zero elements (i.e. all dimensions must be "
                         "non-zero)")
    pads4 = (pads[0], pads[1], pads[2], pads[3])
    if (channel_index == 3 and groups == 1 and dt is _dtypes.float32
            and _kernel() is not None and min(x_nhwc.shape) > 0 and min(wa.shape) > 0
            and min(out_hw) > 0):
        pending = _PendingConv(np.ascontiguousarray(x_nhwc),
                               _filter_for_kernel(filter, wa, graph), None, (sh, sw),
                               (dh, dw), pads4, False,
                               (x_nhwc.shape[0], out_hw[0], out_hw[1], wa.shape[3]))
        result = Tensor(_op("Conv2D", full, graph), None, dt, pending=pending)
        result._op._outputs.append(weakref.ref(result))
        graph._pending = result
        return result
    out = _run_conv(x_nhwc, wa, None, (sh, sw), (dh, dw), pads4, False)
    if out.dtype != dt._np:
        out = out.astype(dt._np)
    if channel_index == 1:
        out = np.ascontiguousarray(out.transpose(0, 3, 1, 2))
    return _create("Conv2D", full, out, graph, dt)


# ---------------------------------------------------------------------------------------
# max_pool
# ---------------------------------------------------------------------------------------
def _max_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str,
              name: str | None, default: str) -> Tensor:
    graph = get_default_graph()
    full = graph._op_name(name, default)
    if data_format is None:
        data_format = "NHWC"
    channel_index = 1 if data_format.startswith("NC") else 3
    k4 = _get_sequence(ksize, 2, channel_index, "ksize")
    s4 = _get_sequence(strides, 2, channel_index, "strides")
    if 0 in k4:
        raise ValueError(f"`ksize` cannot be zero. Received: ksize={ksize}")
    if isinstance(padding, (list, tuple)):
        raise ValueError("Explicit padding is not supported by varstore's max_pool")  # noqa: TRY004 - TF's type
    _check_padding(padding, "MaxPool")
    xa, dt = _first_input(value)
    allowed = "float16, bfloat16, float32, float64, int32, int64, uint8, int16, int8, uint16, " \
        "qint8"
    if dt.name not in allowed.split(", "):
        _check_allowed(dt, allowed, "input")
    attrs = (f'T={_dt(dt)}, data_format="{data_format}", explicit_paddings=[], '
             f'ksize={_fmt_list(k4)}, padding="{padding}", strides={_fmt_list(s4)}')
    names = (_input_name(value, full, "input"),)
    if xa.ndim != 4:
        raise _node_error(f"Shape must be rank 4 but is rank {xa.ndim}", full, "MaxPool", attrs,
                          names, (xa.shape,))
    if k4[0] != 1 or k4[channel_index] != 1 or s4[0] != 1 or s4[channel_index] != 1:
        raise ValueError("Pooling is not yet supported on the batch nor depth dimensions.")
    x = xa if channel_index == 3 else xa.transpose(0, 2, 3, 1)
    hw = (2, 3) if channel_index == 1 else (1, 2)
    kh, kw = k4[hw[0]], k4[hw[1]]
    sh, sw = s4[hw[0]], s4[hw[1]]
    pads = []
    for axis, k, s in ((1, kh, sh), (2, kw, sw)):
        size = _out_size(x.shape[axis], k, s, 1, padding, (0, 0))
        if size is None:
            raise _node_error(f"Negative dimension size caused by subtracting {k} from "
                              f"{x.shape[axis]}", full, "MaxPool", attrs, names, (xa.shape,))
        pads.append(size)
    (oh, top, bottom), (ow, left, right) = pads
    if top or bottom or left or right:
        low = -np.inf if dt.is_floating else dt.min
        xp = np.full((x.shape[0], x.shape[1] + top + bottom, x.shape[2] + left + right,
                      x.shape[3]), low, dtype=x.dtype)
        xp[:, top:top + x.shape[1], left:left + x.shape[2], :] = x
    else:
        xp = x
    out = None
    for i in range(kh):
        rows = xp[:, i:i + (oh - 1) * sh + 1:sh]
        for j in range(kw):
            patch = rows[:, :, j:j + (ow - 1) * sw + 1:sw, :]
            out = patch.copy() if out is None else np.maximum(out, patch, out=out)
    assert out is not None
    if channel_index == 1:
        out = np.ascontiguousarray(out.transpose(0, 3, 1, 2))
    return _create("MaxPool", full, out, graph, dt)


def max_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
             name: str | None = None, input: Any = None) -> Tensor:  # TF's argument names
    """``tf.nn.max_pool`` (TF1): op ``MaxPool``; ksize/strides as an int, [h, w] or 4-list."""
    if input is not None:
        value = input
    return _max_pool(value, ksize, strides, padding, data_format, name, "MaxPool")


def max_pool2d(input: Any, ksize: Any, strides: Any, padding: Any,  # TF's argument names
               data_format: str = "NHWC", name: str | None = None) -> Tensor:
    """``tf.nn.max_pool2d``: op ``MaxPool2d`` (type ``MaxPool``)."""
    return _max_pool(input, ksize, strides, padding, data_format, name, "MaxPool2d")


_dtypes_ref = _dtypes  # keep the import for type checkers
