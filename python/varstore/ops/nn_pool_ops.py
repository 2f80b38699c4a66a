"""Pooling ops: max_pool (MaxPool, MaxPoolGrad; padding 'SAME', 'VALID' or explicit
[before, after] pairs), avg_pool (AvgPool, AvgPoolGrad), each with its shape inference,
kernel and gradient (TF's nn_ops)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import _core
from varstore import dtypes as _dtypes
from varstore.errors import UnimplementedError
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import (
    check_allowed,
    check_same_graph,
    first_input,
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
from varstore.framework.tensor_shape import compatible, merge_error
from varstore.ops import array_ops
from varstore.ops.nn_conv_ops import check_padding, fmt_list, get_sequence, out_size
from varstore.ops.nn_window_utils import convert_padding

__all__ = [
    "avg_pool",
    "avg_pool1d",
    "max_pool",
    "max_pool1d",
    "max_pool2d",
]

DType = _dtypes.DType
_CONV_TYPES = "float16, bfloat16, float32, float64, int32"
_kernels = getattr(_core, "kernels", None)


# -- pooling ------------------------------------------------------------------------------------------
def _pool(op_type: str, value: Any, ksize: Any, strides: Any, padding: Any, data_format: str,
          name: str | None, default: str) -> Tensor:
    graph = check_same_graph(value)
    full = graph._op_name(name, default)  # TF names the op before checking its arguments
    if data_format is None:
        data_format = "NHWC"
    channel_index = 1 if data_format.startswith("NC") else 3
    k4 = get_sequence(ksize, 2, channel_index, "ksize")
    s4 = get_sequence(strides, 2, channel_index, "strides")
    explicit: list[int] = []
    if op_type == "MaxPool":
        # max_pool takes explicit [before, after] pairs too; avg_pool's op does not
        padding, explicit = convert_padding(padding)
    elif isinstance(padding, (list, tuple)):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    if 0 in k4:
        raise ValueError(f"`ksize` cannot be zero. Received: ksize={ksize}")
    with scope_of(graph, full):
        x = first_input(value, "input")
    check_padding(padding, op_type)
    allowed = ("float16, bfloat16, float32, float64, int32, int64, uint8, int16, int8, uint16, "
               "qint8") if op_type == "MaxPool" else "float16, bfloat16, float32, float64"
    if x._dtype.name not in allowed.split(", "):
        # the op's input is named `input` for MaxPool, `value` for AvgPool
        check_allowed(x._dtype, allowed, "input" if op_type == "MaxPool" else "value")
    attrs = {"T": x._dtype, "data_format": data_format, "ksize": k4, "padding": padding,
             "strides": s4}
    if op_type == "MaxPool":
        attrs["explicit_paddings"] = explicit
    text = (f'T={dt_enum(x._dtype)}, data_format="{data_format}", '
            + (f"explicit_paddings={fmt_list(explicit)}, " if op_type == "MaxPool" else "")
            + f'ksize={fmt_list(k4)}, padding="{padding}", strides={fmt_list(s4)}')
    dims = x._shape
    out: tuple[int | None, ...] | None = (None,) * 4  # TF's shape function: rank 4
    if dims is not None:
        if len(dims) != 4:
            raise node_error(f"Shape must be rank 4 but is rank {len(dims)}", full, op_type,
                             text, [x])
        # pooling over the batch (both ops) or depth (AvgPool) is refused by TF's kernels at
        # run time; the shape function keeps the batch size
        hw = (2, 3) if channel_index == 1 else (1, 2)
        if explicit:
            # TF's CheckValidPadding
            if any(v < 0 for v in explicit):
                raise node_error("All elements of explicit_paddings must be nonnegative", full,
                                 op_type, text, [x])
            if any(explicit[2 * a + i] for a in (0, channel_index) for i in (0, 1)):
                raise node_error("Nonzero explicit padding in the batch or depth dimensions is "
                                 "not supported", full, op_type, text, [x])
        sizes = []
        for a in hw:
            pair = (explicit[2 * a], explicit[2 * a + 1]) if explicit else (0, 0)
            got = out_size(dims[a], k4[a], s4[a], 1, padding, pair)
            if got is None:
                size = int(dims[a] or 0) + pair[0] + pair[1]
                raise node_error(f"Negative dimension size caused by subtracting {k4[a]} from "
                                 f"{size}", full, op_type, text, [x])
            sizes.append(got[0])
        c = dims[channel_index]
        if op_type == "MaxPool":
            # TF's MaxPoolShape windows the depth as well (depthwise max pooling)
            got = out_size(c, k4[channel_index], s4[channel_index], 1, padding, (0, 0))
            if got is None:
                raise node_error(f"Negative dimension size caused by subtracting "
                                 f"{k4[channel_index]} from {c}", full, op_type, text, [x])
            c = got[0]
        out = (dims[0], c, sizes[0], sizes[1]) if channel_index == 1 else \
            (dims[0], sizes[0], sizes[1], c)
    return make_op(graph, full, op_type, [x], attrs, [(x._dtype, out)])._outputs[0]


def max_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
             name: str | None = None, input: Any = None) -> Tensor:
    """``tf.nn.max_pool`` (TF1): op ``MaxPool``; ksize/strides as an int, [h, w] or 4-list."""
    if input is not None:
        value = input
    return _pool("MaxPool", value, ksize, strides, padding, data_format, name, "MaxPool")


def max_pool2d(input: Any, ksize: Any, strides: Any, padding: Any,
               data_format: str = "NHWC", name: str | None = None) -> Tensor:
    """``tf.nn.max_pool2d``: op ``MaxPool2d`` (type ``MaxPool``)."""
    return _pool("MaxPool", input, ksize, strides, padding, data_format, name, "MaxPool2d")


def avg_pool(value: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NHWC",
             name: str | None = None, input: Any = None) -> Tensor:
    """``tf.nn.avg_pool``: op ``AvgPool`` (SAME padding averages the valid elements only)."""
    if input is not None:
        value = input
    return _pool("AvgPool", value, ksize, strides, padding, data_format, name, "AvgPool")


def _pool1d(op_type: str, input: Any, ksize: Any, strides: Any, padding: Any,
            data_format: str | None, name: str | None, default: str) -> Tensor:
    # TF's max_pool1d/avg_pool1d: a 2-D pool over [batch, 1, width, channels] (or NCHW), the
    # op named after the scope, between ExpandDims and Squeeze inside it.
    with name_scope(name, default, [input]) as scope:
        if data_format is None:
            data_format = "NWC"
        channel_index = 1 if data_format.startswith("NC") else 2
        k4 = [1, *get_sequence(ksize, 1, channel_index, "ksize")]
        s4 = [1, *get_sequence(strides, 1, channel_index, "strides")]
        expanding_dim = 1 if data_format == "NWC" else 2
        fmt = "NHWC" if data_format == "NWC" else "NCHW"
        if op_type == "MaxPool" and isinstance(padding, (list, tuple)):
            convert_padding(padding, 3)  # TF checks the 3 pairs, then adds one for the height
            padding = [[0, 0], *padding]
        x = array_ops.expand_dims(input, expanding_dim)
        result = _pool(op_type, x, k4, s4, padding, fmt, scope, default)
        return array_ops.squeeze(result, expanding_dim)


def max_pool1d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC",
               name: str | None = None) -> Tensor:
    """``tf.nn.max_pool1d``: ``MaxPool1d/`` ExpandDims, MaxPool, Squeeze (NWC or NCW)."""
    return _pool1d("MaxPool", input, ksize, strides, padding, data_format, name, "MaxPool1d")


def avg_pool1d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NWC",
               name: str | None = None) -> Tensor:
    """``tf.nn.avg_pool1d``: ``AvgPool1D/`` ExpandDims, AvgPool, Squeeze (NWC or NCW)."""
    return _pool1d("AvgPool", input, ksize, strides, padding, data_format, name, "AvgPool1D")


def _pool_geometry(attrs: dict[str, Any], shape: tuple[int, ...]) -> tuple[Any, ...]:
    nchw = attrs["data_format"].startswith("NC")
    hw = (2, 3) if nchw else (1, 2)
    k = [attrs["ksize"][a] for a in hw]
    s = [attrs["strides"][a] for a in hw]
    explicit = attrs.get("explicit_paddings") or []
    geo = []
    for i in range(2):
        pair = (explicit[2 * hw[i]], explicit[2 * hw[i] + 1]) if explicit else (0, 0)
        for side, pad in zip((("Top", "Bottom"), ("Left", "Right"))[i], pair):
            if pad >= k[i]:
                raise ValueError(f"{side} padding {pad} needs to be smaller than the window size "
                                 f"{k[i]}")
        got = out_size(shape[1 + i], k[i], s[i], 1, attrs["padding"], pair)
        assert got is not None and got[0] is not None
        geo.append(got)
    return k, s, geo


def _check_pool_dims(attrs: dict[str, Any], depth: int | None, what: str = "") -> int:
    """TF's pooling kernels' checks (at run time): no pooling over the batch; pooling over
    the depth only for MaxPool, alone, in windows that tile the depth. The depth window."""
    k, s = attrs["ksize"], attrs["strides"]
    c = 1 if attrs["data_format"].startswith("NC") else 3
    if k[0] != 1 or s[0] != 1:
        raise UnimplementedError(None, None, "Pooling is not yet supported on the batch "
                                 "dimension.")
    if k[c] == 1:
        return 1
    if what:
        raise UnimplementedError(None, None, what)
    if any(k[a] != 1 for a in range(1, 4) if a != c):
        raise UnimplementedError(None, None, "MaxPooling supports exactly one of pooling "
                                 "across depth or pooling across width/height.")
    if depth is not None and depth % k[c]:
        raise UnimplementedError(None, None, "Depthwise max pooling requires the depth window "
                                 "to evenly divide the input depth")
    if s[c] != k[c]:
        raise UnimplementedError(None, None, "Depthwise max pooling requires the depth window "
                                 "to equal the depth stride")
    return int(k[c])


def _windows(x: np.ndarray, k: list[int], s: list[int], geo: list[Any], fill: Any
             ) -> tuple[np.ndarray, int, int]:
    (oh, top, bottom), (ow, left, right) = geo
    if top or bottom or left or right:
        xp = np.full((x.shape[0], x.shape[1] + top + bottom, x.shape[2] + left + right,
                      x.shape[3]), fill, dtype=x.dtype)
        xp[:, top:top + x.shape[1], left:left + x.shape[2], :] = x
    else:
        xp = x
    return xp, oh, ow


def _nhwc(fn: Callable[[np.ndarray], np.ndarray], nchw: bool) -> Callable[[np.ndarray],
                                                                         np.ndarray]:
    if not nchw:
        return fn
    return lambda x: np.ascontiguousarray(np.transpose(fn(np.transpose(x, (0, 2, 3, 1))),
                                                       (0, 3, 1, 2)))


@register_kernel("MaxPool")
def _max_pool_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs

    def max_pool_(x: np.ndarray) -> np.ndarray:
        depth = _check_pool_dims(attrs, x.shape[3])
        if depth > 1:
            # TF's depthwise max pooling: the max of each run of `depth` channels
            return np.fmax.reduce(x.reshape(*x.shape[:3], -1, depth), axis=-1)  # type: ignore[no-any-return]
        k, s, geo = _pool_geometry(attrs, x.shape)
        low = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
        xp, oh, ow = _windows(x, k, s, geo, low)
        out = None
        for i in range(k[0]):
            rows = xp[:, i:i + (oh - 1) * s[0] + 1:s[0]]
            for j in range(k[1]):
                patch = rows[:, :, j:j + (ow - 1) * s[1] + 1:s[1], :]
                # TF's max pool skips NaN (a NaN only wins when the window is all NaN)
                out = patch.copy() if out is None else np.fmax(out, patch, out=out)
        assert out is not None
        if out.dtype.kind == "f":
            # TF's max pool starts from the dtype's lowest finite value: a window of only
            # -inf / NaN (or padding) gives -FLT_MAX, not -inf or NaN
            np.fmax(out, np.finfo(out.dtype).min, out=out)
        return out  # type: ignore[no-any-return]

    return _nhwc(max_pool_, attrs["data_format"].startswith("NC"))


@register_kernel("AvgPool")
def _avg_pool_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs

    def avg_pool_(x: np.ndarray) -> np.ndarray:
        _check_pool_dims(attrs, x.shape[3], "Non-spatial pooling is not yet supported. "
                         "Volunteers? :)")
        k, s, geo = _pool_geometry(attrs, x.shape)
        xp, oh, ow = _windows(x, k, s, geo, 0)
        ones = np.ones((1, x.shape[1], x.shape[2], 1), dtype=x.dtype)
        cp, _, _ = _windows(ones, k, s, geo, 0)
        total = np.zeros((x.shape[0], oh, ow, x.shape[3]), dtype=x.dtype)
        count = np.zeros((1, oh, ow, 1), dtype=x.dtype)
        for i in range(k[0]):
            for j in range(k[1]):
                sl = (slice(None), slice(i, i + (oh - 1) * s[0] + 1, s[0]),
                      slice(j, j + (ow - 1) * s[1] + 1, s[1]), slice(None))
                total += xp[sl]
                count += cp[sl]
        return total / count

    return _nhwc(avg_pool_, attrs["data_format"].startswith("NC"))


def _pool_grad_node(op_type: str, inputs: list[Tensor], attrs: dict[str, Any],
                    out_shape: Any) -> Tensor:
    graph = inputs[-1]._op._graph
    full = graph._op_name(None, op_type)
    return make_op(graph, full, op_type, inputs, dict(attrs),
                   [(inputs[-1]._dtype, out_shape)])._outputs[0]


@RegisterGradient("MaxPool")
def _max_pool_grad(op: Operation, grad: Tensor) -> Tensor:
    x = op._inputs[0]
    return _pool_grad_node("MaxPoolGrad", [x, op._outputs[0], grad], op._attrs, x._shape)


@RegisterGradient("AvgPool")
def _avg_pool_grad(op: Operation, grad: Tensor) -> Tensor:
    x = op._inputs[0]
    return _pool_grad_node("AvgPoolGrad", [builders.shape(x), grad], op._attrs, x._shape)


@register_kernel("MaxPoolGrad")
def _max_pool_grad_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    nchw = attrs["data_format"].startswith("NC")

    def grad_(x: np.ndarray, y: np.ndarray, dy: np.ndarray) -> np.ndarray:
        _check_pool_dims(attrs, None, "MaxPoolingGrad is not yet supported on the depth "
                         "dimension.")
        if nchw:
            x, y, dy = (np.transpose(a, (0, 2, 3, 1)) for a in (x, y, dy))
        k, s, geo = _pool_geometry(attrs, x.shape)
        low = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
        xp, oh, ow = _windows(x, k, s, geo, low)
        dxp = np.zeros(xp.shape, dtype=dy.dtype)
        taken = np.zeros(y.shape, dtype=bool)  # TF routes the gradient to the first maximum
        for i in range(k[0]):
            for j in range(k[1]):
                sl = (slice(None), slice(i, i + (oh - 1) * s[0] + 1, s[0]),
                      slice(j, j + (ow - 1) * s[1] + 1, s[1]), slice(None))
                hit = (xp[sl] == y) & ~taken
                dxp[sl] += np.where(hit, dy, 0)
                taken |= hit
        (_, top, _), (_, left, _) = geo
        out = dxp[:, top:top + x.shape[1], left:left + x.shape[2], :]
        return np.ascontiguousarray(np.transpose(out, (0, 3, 1, 2)) if nchw else out)

    return grad_


@register_kernel("AvgPoolGrad")
def _avg_pool_grad_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    nchw = attrs["data_format"].startswith("NC")

    def grad_(shape: np.ndarray, dy: np.ndarray) -> np.ndarray:
        dims = tuple(int(v) for v in shape)
        if nchw:
            dims = (dims[0], dims[2], dims[3], dims[1])
            dy = np.transpose(dy, (0, 2, 3, 1))
        k, s, geo = _pool_geometry(attrs, dims)
        (oh, top, bottom), (ow, left, right) = geo
        ones = np.ones((1, dims[1], dims[2], 1), dtype=dy.dtype)
        cp, _, _ = _windows(ones, k, s, geo, 0)
        count = np.zeros((1, oh, ow, 1), dtype=dy.dtype)
        slices = []
        for i in range(k[0]):
            for j in range(k[1]):
                sl = (slice(None), slice(i, i + (oh - 1) * s[0] + 1, s[0]),
                      slice(j, j + (ow - 1) * s[1] + 1, s[1]), slice(None))
                count += cp[sl]
                slices.append(sl)
        share = dy / count
        dxp = np.zeros((dims[0], dims[1] + top + bottom, dims[2] + left + right, dims[3]),
                       dtype=dy.dtype)
        for sl in slices:
            dxp[sl] += share
        out = dxp[:, top:top + dims[1], left:left + dims[2], :]
        return np.ascontiguousarray(np.transpose(out, (0, 3, 1, 2)) if nchw else out)

    return grad_


def _grad_grad_attrs(op: Operation) -> dict[str, Any]:
    a = op._attrs
    return {"T": a["T"], "data_format": a["data_format"], "ksize": list(a["ksize"]),
            "padding": a["padding"], "strides": list(a["strides"])}


@RegisterGradient("MaxPoolGrad")
def _max_pool_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y, _ = op._inputs
    if op._attrs["padding"] == "EXPLICIT":  # MaxPoolGradGrad has no explicit paddings
        raise ValueError("Attr 'padding' of 'MaxPoolGradGrad' Op passed string 'EXPLICIT' not "
                         'in: "SAME", "VALID".')
    graph = grad._op._graph
    full = graph._op_name(None, "MaxPoolGradGrad")
    attrs = _grad_grad_attrs(op)
    if not compatible(x._shape, grad._shape):
        text = (f'T={dt_enum(attrs["T"])}, data_format="{attrs["data_format"]}", '
                f'ksize={fmt_list(attrs["ksize"])}, padding="{attrs["padding"]}", '
                f'strides={fmt_list(attrs["strides"])}')
        raise node_error(merge_error(x._shape, grad._shape), full, "MaxPoolGradGrad", text,
                         [x, y, grad])
    gg = make_op(graph, full, "MaxPoolGradGrad", [x, y, grad], attrs, [(grad._dtype, y._shape)])
    return [builders.zeros_like(x), builders.zeros_like(y), gg._outputs[0]]


@register_kernel("MaxPoolGradGrad")
def _max_pool_grad_grad_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    nchw = attrs["data_format"].startswith("NC")

    def grad_grad(x: np.ndarray, y: np.ndarray, g: np.ndarray) -> np.ndarray:
        if nchw:
            x, y, g = (np.transpose(a, (0, 2, 3, 1)) for a in (x, y, g))
        k, s, geo = _pool_geometry(attrs, x.shape)
        low = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
        xp, oh, ow = _windows(x, k, s, geo, low)
        gp, _, _ = _windows(g, k, s, geo, 0)
        out = np.zeros(y.shape, dtype=g.dtype)
        taken = np.zeros(y.shape, dtype=bool)
        for i in range(k[0]):
            for j in range(k[1]):
                sl = (slice(None), slice(i, i + (oh - 1) * s[0] + 1, s[0]),
                      slice(j, j + (ow - 1) * s[1] + 1, s[1]), slice(None))
                # TF's kernel: the grad at the first input (in window order) equal to the max
                hit = (xp[sl] == y) & ~taken
                out += np.where(hit, gp[sl], g.dtype.type(0))
                taken |= hit
        return np.ascontiguousarray(np.transpose(out, (0, 3, 1, 2)) if nchw else out)

    return grad_grad


@RegisterGradient("MaxPoolGradGrad")
def _max_pool_grad_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y, _ = op._inputs
    attrs = {**_grad_grad_attrs(op), "explicit_paddings": []}
    return [builders.zeros_like(x), builders.zeros_like(y),
            _pool_grad_node("MaxPoolGrad", [x, y, grad], attrs, x._shape)]


builders.register(globals(), __all__)
