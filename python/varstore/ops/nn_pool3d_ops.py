"""3-D pooling: ``MaxPool3D`` (gradient ``MaxPool3DGrad``, whose gradient is
``MaxPool3DGradGrad``) and ``AvgPool3D`` (gradient ``AvgPool3DGrad``), with TF's checks,
shape functions, kernels and nn_grad.py's gradients; and TF1's rank-dispatching
``tf.nn.max_pool_v2`` / ``avg_pool_v2``.

The kernels follow TF's default CPU build (oneDNN): NCDHW runs (TF's Eigen-only build
rejects it); a max starts from the lowest float (NaN never wins; a window of -inf / NaN
gives -FLT_MAX); the gradient of a max goes to the first maximum of each window (oneDNN's
workspace); only float32 has a CPU kernel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.errors import InvalidArgumentError, UnimplementedError
from varstore.framework.constant_op import constant_value_as_shape, convert_to_tensor
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
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.framework.tensor_shape import merge, merge_error
from varstore.ops import nn_pool_ops
from varstore.ops.nn_conv_ops import get_sequence
from varstore.ops.nn_window_utils import (
    Geometry,
    attrs_text,
    check_choice,
    check_min_length,
    crop,
    geometry,
    int_list,
    pad_input,
    padding_str,
    tap_slices,
    to_channels_first,
    to_channels_last,
)

__all__ = [
    "avg_pool3d",
    "avg_pool_v2",
    "max_pool3d",
    "max_pool_v2",
]

_FORMATS = ("NDHWC", "NCDHW")
_ONES = (1, 1, 1)


# -- the ops ---------------------------------------------------------------------------------------
def _python_attrs(api: str, ksize: Any, strides: Any, padding: Any, data_format: Any
                  ) -> tuple[list[int], list[int], str, str]:
    k = int_list(ksize, "ksize", api)
    s = int_list(strides, "strides", api)
    pad = padding_str(padding)
    fmt = "NDHWC" if data_format is None else str(data_format)
    return k, s, pad, fmt


def _check_attrs(op_type: str, k: list[int], s: list[int], pad: str, fmt: str) -> None:
    check_min_length(k, "ksize", op_type, 5)
    check_min_length(s, "strides", op_type, 5)
    check_choice(pad, "padding", op_type, ("SAME", "VALID"))
    check_choice(fmt, "data_format", op_type, _FORMATS)


def _spatial(fmt: str, values: list[Any]) -> list[Any]:
    return values[2:5] if fmt == "NCDHW" else values[1:4]


def _pool3d_shape(full: str, op_type: str, x: Tensor, attrs: dict[str, Any],
                  inputs: list[Tensor]) -> tuple[int | None, ...]:
    """TF's Pool3DShape."""
    def error(message: str) -> ValueError:
        return node_error(message, full, op_type, attrs_text(attrs), inputs)

    if x._shape is not None and len(x._shape) != 5:
        raise error(f"Shape must be rank 5 but is rank {len(x._shape)}")
    if len(attrs["strides"]) != 5:
        raise error(f"Pool3D ops require the stride attribute to contain 5 values, but got: "
                    f"{len(attrs['strides'])}")
    if len(attrs["ksize"]) != 5:
        raise error(f"Pool3D op must have ksize with 5 values, but got: {len(attrs['ksize'])}")
    fmt = attrs["data_format"]
    xs = x._shape or (None,) * 5
    if fmt == "NCDHW":
        xs = (xs[0], xs[2], xs[3], xs[4], xs[1])
    sizes = []
    for n, k, s in zip(xs[1:4], _spatial(fmt, attrs["ksize"]), _spatial(fmt, attrs["strides"])):
        if s <= 0:
            raise error(f"Stride must be > 0, but got {s}")
        if attrs["padding"] == "SAME":
            sizes.append(None if n is None else (n + s - 1) // s)
        elif n is None:
            sizes.append(None)
        elif n < k:
            raise error(f"Negative dimension size caused by subtracting {k} from {n}")
        else:
            sizes.append((n - k + s) // s)
    if fmt == "NCDHW":
        return (xs[0], xs[4], *sizes)
    return (xs[0], *sizes, xs[4])


def _pool3d(op_type: str, input: Any, ksize: Any, strides: Any, padding: Any, data_format: Any,
            name: str | None) -> Tensor:
    """gen_nn_ops.max_pool3d / avg_pool3d."""
    api = "max_pool3d" if op_type == "MaxPool3D" else "avg_pool3d"
    k, s, pad, fmt = _python_attrs(api, ksize, strides, padding, data_format)
    graph = check_same_graph(input)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        x = first_input(input, "input")
        check_allowed(x._dtype, "float16, bfloat16, float32" if op_type == "MaxPool3D"
                      else "float16, bfloat16, float32, float64", "input")
    _check_attrs(op_type, k, s, pad, fmt)
    attrs = {"T": x._dtype, "data_format": fmt, "ksize": k, "padding": pad, "strides": s}
    out = _pool3d_shape(full, op_type, x, attrs, [x])
    return make_op(graph, full, op_type, [x], attrs, [(x._dtype, out)])._outputs[0]


def max_pool3d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NDHWC",
               name: str | None = None) -> Tensor:
    """``tf.nn.max_pool3d``: op ``MaxPool3D``; ksize/strides as an int, 3 or 5 values."""
    with name_scope(name, "MaxPool3D", [input]) as scope:
        fmt = "NDHWC" if data_format is None else data_format
        channel = 1 if fmt.startswith("NC") else 4
        return _pool3d("MaxPool3D", input, get_sequence(ksize, 3, channel, "ksize"),
                       get_sequence(strides, 3, channel, "strides"), padding, fmt, scope)


def avg_pool3d(input: Any, ksize: Any, strides: Any, padding: Any, data_format: str = "NDHWC",
               name: str | None = None) -> Tensor:
    """``tf.nn.avg_pool3d``: op ``AvgPool3D`` (SAME padding averages the valid elements)."""
    with name_scope(name, "AvgPool3D", [input]) as scope:
        fmt = "NDHWC" if data_format is None else data_format
        # TF's avg_pool3d passes channel index 3 for NDHWC: only "NC..." formats differ.
        channel = 1 if fmt.startswith("NC") else 3
        return _pool3d("AvgPool3D", input, get_sequence(ksize, 3, channel, "ksize"),
                       get_sequence(strides, 3, channel, "strides"), padding, fmt, scope)


def _grad_op(op_type: str, inputs: list[Tensor], attrs: dict[str, Any], dtype: Any,
             out: Any) -> Tensor:
    graph = inputs[-1]._op._graph
    full = graph._op_name(None, op_type)
    return make_op(graph, full, op_type, inputs, attrs, [(dtype, out)])._outputs[0]


def _pool_attrs(op: Operation) -> dict[str, Any]:
    a = op._attrs
    return {"data_format": a["data_format"], "ksize": list(a["ksize"]),
            "padding": a["padding"], "strides": list(a["strides"])}


def max_pool3d_grad(orig_input: Tensor, orig_output: Tensor, grad: Tensor,
                    attrs: dict[str, Any]) -> Tensor:
    """``MaxPool3DGrad`` (shape: orig_input's, of rank 5)."""
    graph = grad._op._graph
    full = graph._op_name(None, "MaxPool3DGrad")
    full_attrs = {**attrs, "T": grad._dtype, "TInput": orig_input._dtype}
    inputs = [orig_input, orig_output, grad]
    xs = orig_input._shape
    if xs is not None and len(xs) != 5:
        raise node_error(f"Shape must be rank 5 but is rank {len(xs)}", full, "MaxPool3DGrad",
                         attrs_text(full_attrs), inputs)
    return make_op(graph, full, "MaxPool3DGrad", inputs, full_attrs,
                   [(grad._dtype, xs if xs is not None else (None,) * 5)])._outputs[0]


def max_pool3d_grad_grad(orig_input: Tensor, orig_output: Tensor, grad: Tensor,
                         attrs: dict[str, Any]) -> Tensor:
    """``MaxPool3DGradGrad``: Pool3DShape of orig_input, merged with orig_output's; grad
    must have orig_input's shape."""
    graph = grad._op._graph
    full = graph._op_name(None, "MaxPool3DGradGrad")
    full_attrs = {**attrs, "T": grad._dtype}
    inputs = [orig_input, orig_output, grad]
    out: Any = _pool3d_shape(full, "MaxPool3DGradGrad", orig_input, full_attrs, inputs)
    for a, b in ((orig_input._shape, grad._shape), (orig_output._shape, out)):
        merged = merge(a, b)
        if merged is not None and not isinstance(merged, tuple):
            raise node_error(merge_error(a, b), full, "MaxPool3DGradGrad",
                             attrs_text(full_attrs), inputs)
    out = merge(orig_output._shape, out)
    return make_op(graph, full, "MaxPool3DGradGrad", inputs, full_attrs,
                   [(grad._dtype, out)])._outputs[0]


def avg_pool3d_grad(orig_input_shape: Tensor, grad: Tensor, attrs: dict[str, Any]) -> Tensor:
    """``AvgPool3DGrad`` (shape: the one orig_input_shape holds)."""
    out = constant_value_as_shape(orig_input_shape)
    return _grad_op("AvgPool3DGrad", [orig_input_shape, grad], {**attrs, "T": grad._dtype},
                    grad._dtype, out if out is not None and len(out) == 5 else (None,) * 5)


# -- kernels ---------------------------------------------------------------------------------------
def _float32_only(op: Operation, arrays: tuple[np.ndarray, ...]) -> None:
    """TF's CPU registers these kernels for float32 (and bfloat16) only."""
    if any(a.dtype != np.float32 for a in arrays):
        raise InvalidArgumentError(
            None, None, f"No OpKernel was registered to support Op '{op._type}' used by "
            f"{{{{node {op._name}}}}} with these attrs: [{attrs_text(op._attrs)}]\n"
            "Registered devices: [CPU]\nRegistered kernels:\n  device='CPU'; T in "
            "[DT_BFLOAT16]\n  device='CPU'; T in [DT_FLOAT]")


def _window_checks(attrs: dict[str, Any]) -> tuple[list[int], list[int]]:
    """Pooling3DOp's constructor checks."""
    k, s, fmt = attrs["ksize"], attrs["strides"], attrs["data_format"]
    if any(v <= 0 for v in k):
        raise ValueError("Sliding window ksize must be positive. The specified or inferred "
                         f"ksize is: {','.join(str(v) for v in k)}")
    c = 1 if fmt == "NCDHW" else 4
    if k[0] != 1 or s[0] != 1:
        raise UnimplementedError(None, None, "Pooling is not yet supported on the batch "
                                 "dimension.")
    if k[c] != 1 or s[c] != 1:
        raise UnimplementedError(None, None, "Pooling is not yet supported on the depth "
                                 "dimension.")
    return _spatial(fmt, k), _spatial(fmt, s)


def _in_layout(attrs: dict[str, Any], *arrays: np.ndarray) -> list[np.ndarray]:
    for a in arrays:
        if a.ndim != 5:
            raise ValueError("tensor_in must be 5-dimensional")
    if attrs["data_format"] == "NCDHW":
        return [to_channels_last(a) for a in arrays]
    return list(arrays)


def _out_layout(attrs: dict[str, Any], a: np.ndarray) -> np.ndarray:
    return to_channels_first(a) if attrs["data_format"] == "NCDHW" else a


def _geo(attrs: dict[str, Any], shape: tuple[int, ...], k: list[int], s: list[int]) -> Geometry:
    return geometry(shape[1:4], k, s, _ONES, attrs["padding"])


def _taps(k: list[int], s: list[int], geo: Geometry) -> list[tuple[slice, ...]]:
    return [tap_slices(tap, _ONES, s, geo) for tap in np.ndindex(*k)]


def _out_shape(x: np.ndarray, geo: Geometry) -> tuple[int, ...]:
    return (x.shape[0], *[g[0] for g in geo], x.shape[4])


def _check_out(what: str, got: np.ndarray, expected: tuple[int, ...], attrs: dict[str, Any]
               ) -> None:
    shape = tuple(got.shape)
    if attrs["data_format"] == "NCDHW":
        expected = (expected[0], expected[4], *expected[1:4])
        shape = (shape[0], shape[4], *shape[1:4]) if len(shape) == 5 else shape
    if shape != expected:
        raise ValueError(f"Expected {what} shape to be [{','.join(map(str, expected))}], but "
                         f"got [{','.join(map(str, shape))}]")


@register_kernel("MaxPool3D")
def _max_pool3d_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs

    def max_pool(x: np.ndarray) -> np.ndarray:
        _float32_only(op, (x,))
        k, s = _window_checks(attrs)
        (xl,) = _in_layout(attrs, x)
        geo = _geo(attrs, xl.shape, k, s)
        # oneDNN's max starts from the lowest float: NaN never wins, and a window of only
        # -inf / NaN gives -FLT_MAX
        out = np.full(_out_shape(xl, geo), np.finfo(xl.dtype).min, dtype=xl.dtype)
        if out.size:
            xp = pad_input(xl, geo, np.nan)
            for sl in _taps(k, s, geo):
                np.fmax(out, xp[sl], out=out)
        return _out_layout(attrs, out)

    return max_pool


def _argmax_taps(xl: np.ndarray, geo: Geometry, taps: list[tuple[slice, ...]]) -> np.ndarray:
    """The tap of each window's maximum as oneDNN's forward records it for the gradient:
    the first valid element strictly above the running maximum (from the lowest float), or
    the window's first valid element when none is."""
    xp = pad_input(xl, geo, np.nan)
    valid = pad_input(np.ones((1, *xl.shape[1:4], 1), dtype=bool), geo, False)
    shape = _out_shape(xl, geo)
    best = np.full(shape, np.finfo(xl.dtype).min, dtype=xl.dtype)
    arg = np.full(shape, -1, dtype=np.int64)
    first = np.full(shape, -1, dtype=np.int64)
    for t, sl in enumerate(taps):
        ok = valid[sl]
        hit = ok & (xp[sl] > best)
        best = np.where(hit, xp[sl], best)
        arg = np.where(hit, t, arg)
        first = np.where((first < 0) & ok, t, first)
    return np.where(arg < 0, first, arg)


@register_kernel("MaxPool3DGrad")
def _max_pool3d_grad_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs

    def grad(x: np.ndarray, y: np.ndarray, dy: np.ndarray) -> np.ndarray:
        _float32_only(op, (x, y, dy))
        k, s = _window_checks(attrs)
        xl, yl, dyl = _in_layout(attrs, x, y, dy)
        geo = _geo(attrs, xl.shape, k, s)
        _check_out("orig_output", yl, _out_shape(xl, geo), attrs)
        _check_out("grad", dyl, _out_shape(xl, geo), attrs)
        shape = (xl.shape[0], *[n + g[1] + g[2] for n, g in zip(xl.shape[1:4], geo)],
                 xl.shape[4])
        dxp = np.zeros(shape, dtype=dyl.dtype)
        if yl.size:
            # TF's default CPU build routes each window's gradient to its forward argmax
            # (oneDNN's workspace), one element per window
            taps = _taps(k, s, geo)
            arg = _argmax_taps(xl, geo, taps)
            for t, sl in enumerate(taps):
                dxp[sl] += np.where(arg == t, dyl, dyl.dtype.type(0))
        return _out_layout(attrs, np.ascontiguousarray(crop(dxp, geo, xl.shape[1:4])))

    return grad


@register_kernel("MaxPool3DGradGrad")
def _max_pool3d_grad_grad_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs

    def grad_grad(x: np.ndarray, y: np.ndarray, g: np.ndarray) -> np.ndarray:
        _float32_only(op, (x, y, g))
        k, s = _window_checks(attrs)
        xl, yl, gl = _in_layout(attrs, x, y, g)
        geo = _geo(attrs, xl.shape, k, s)
        _check_out("orig_output", yl, _out_shape(xl, geo), attrs)
        if gl.shape != xl.shape:
            raise ValueError(f"Expected grad shape to be [{','.join(map(str, xl.shape))}], but "
                             f"got [{','.join(map(str, gl.shape))}]")
        xp = pad_input(xl, geo, np.nan)
        gp = pad_input(gl, geo)
        out = np.zeros(yl.shape, dtype=gl.dtype)
        taken = np.zeros(yl.shape, dtype=bool)
        for sl in _taps(k, s, geo):
            # TF's kernel: the grad at the first input (in window order) equal to orig_output
            hit = (xp[sl] == yl) & ~taken
            out += np.where(hit, gp[sl], gl.dtype.type(0))
            taken |= hit
        return _out_layout(attrs, out)

    return grad_grad


def _avg_count(xshape: tuple[int, ...], geo: Geometry, taps: list[tuple[slice, ...]],
               dtype: Any) -> np.ndarray:
    ones = pad_input(np.ones((1, *xshape[1:4], 1), dtype=dtype), geo)
    count = np.zeros((1, *[g[0] for g in geo], 1), dtype=dtype)
    for sl in taps:
        count += ones[sl]
    return count


@register_kernel("AvgPool3D")
def _avg_pool3d_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs

    def avg_pool(x: np.ndarray) -> np.ndarray:
        _float32_only(op, (x,))
        k, s = _window_checks(attrs)
        (xl,) = _in_layout(attrs, x)
        geo = _geo(attrs, xl.shape, k, s)
        taps = _taps(k, s, geo)
        total = np.zeros(_out_shape(xl, geo), dtype=xl.dtype)
        if total.size:
            xp = pad_input(xl, geo)
            for sl in taps:
                total += xp[sl]
            total /= _avg_count(xl.shape, geo, taps, xl.dtype)
        return _out_layout(attrs, total)

    return avg_pool


@register_kernel("AvgPool3DGrad")
def _avg_pool3d_grad_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs

    def grad(shape: np.ndarray, dy: np.ndarray) -> np.ndarray:
        _float32_only(op, (dy,))
        k, s = _window_checks(attrs)
        dims = tuple(int(v) for v in np.reshape(shape, -1))
        if len(dims) != 5:
            raise ValueError("orig_input_shape must have 5 elements")
        if attrs["data_format"] == "NCDHW":
            dims = (dims[0], *dims[2:], dims[1])
        (dyl,) = _in_layout(attrs, dy)
        geo = _geo(attrs, dims, k, s)
        _check_out("grad", dyl, (dims[0], *[g[0] for g in geo], dims[4]), attrs)
        taps = _taps(k, s, geo)
        dxp = np.zeros((dims[0], *[n + g[1] + g[2] for n, g in zip(dims[1:4], geo)], dims[4]),
                       dtype=dyl.dtype)
        if dyl.size:
            share = dyl / _avg_count(dims, geo, taps, dyl.dtype)
            for sl in taps:
                dxp[sl] += share
        return _out_layout(attrs, np.ascontiguousarray(crop(dxp, geo, dims[1:4])))

    return grad


# -- gradients (nn_grad.py) -------------------------------------------------------------------------
@RegisterGradient("MaxPool3D")
def _max_pool3d_grad(op: Operation, grad: Tensor) -> Tensor:
    return max_pool3d_grad(op._inputs[0], op._outputs[0], grad, _pool_attrs(op))


@RegisterGradient("MaxPool3DGrad")
def _max_pool3d_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y, _ = op._inputs
    return [builders.zeros_like(x), builders.zeros_like(y),
            max_pool3d_grad_grad(x, y, grad, _pool_attrs(op))]


@RegisterGradient("MaxPool3DGradGrad")
def _max_pool3d_grad_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y, _ = op._inputs
    return [builders.zeros_like(x), builders.zeros_like(y),
            max_pool3d_grad(x, y, grad, _pool_attrs(op))]


@RegisterGradient("AvgPool3D")
def _avg_pool3d_grad(op: Operation, grad: Tensor) -> Tensor:
    return avg_pool3d_grad(builders.shape(op._inputs[0]), grad, _pool_attrs(op))


@RegisterGradient("AvgPool3DGrad")
def _avg_pool3d_grad_grad(op: Operation, grad: Tensor) -> list[Any]:
    a = _pool_attrs(op)
    return [None, _pool3d("AvgPool3D", grad, a["ksize"], a["strides"], a["padding"],
                          a["data_format"], None)]


# -- tf.nn.max_pool_v2 / avg_pool_v2: the pool of the input's rank --------------------------------
def _rank_of(input: Any, data_format: str | None) -> int:
    shape = input._shape if isinstance(input, Tensor) else np.shape(input)
    if shape is None:
        raise ValueError("Cannot take the length of shape with unknown rank.")
    n = len(shape) - 2
    if not 1 <= n <= 3:
        shown = "(" + ", ".join("None" if d is None else str(d) for d in shape) + \
            ("," if len(shape) == 1 else "") + ")"
        raise ValueError(f"`input.shape.rank` must be 3, 4 or 5. Received: input.shape={shown} "
                         f"of rank {n + 2}.")
    return n


def max_pool_v2(input: Any, ksize: Any, strides: Any, padding: Any,
                data_format: str | None = None, name: str | None = None) -> Tensor:
    """``tf.nn.max_pool_v2`` (TF1's name for TF2's max_pool): max_pool1d, max_pool2d or
    MaxPool3D by the input's rank."""
    n = _rank_of(input, data_format)
    channel = n + 1 if data_format is None or not data_format.startswith("NC") else 1
    k = get_sequence(ksize, n, channel, "ksize")
    s = get_sequence(strides, n, channel, "strides")
    if isinstance(padding, (list, tuple)) and n == 3:
        raise ValueError(f"Explicit padding is not supported with an input tensor of rank 5. "
                         f"Received: padding={padding}")
    if n == 1:
        return nn_pool_ops.max_pool1d(input, k, s, padding, data_format or "NWC", name)
    if n == 2:
        return nn_pool_ops.max_pool2d(input, k, s, padding, data_format or "NHWC", name)
    return _pool3d("MaxPool3D", input, k, s, padding, data_format, name)


def avg_pool_v2(input: Any, ksize: Any, strides: Any, padding: Any,
                data_format: str | None = None, name: str | None = None) -> Tensor:
    """``tf.nn.avg_pool_v2``: avg_pool1d, AvgPool or AvgPool3D by the input's rank."""
    n = _rank_of(input, data_format)
    channel = n + 1 if data_format is None or not data_format.startswith("NC") else 1
    k = get_sequence(ksize, n, channel, "ksize")
    s = get_sequence(strides, n, channel, "strides")
    if n == 1:
        return nn_pool_ops.avg_pool1d(input, k, s, padding, data_format or "NWC", name)
    if n == 2:
        return _avg_pool2d(input, k, s, padding, data_format, name)
    return _pool3d("AvgPool3D", input, k, s, padding, data_format, name)


def _avg_pool2d(input: Any, k: list[int], s: list[int], padding: Any, data_format: str | None,
                name: str | None) -> Tensor:
    # gen_nn_ops.avg_pool: the op is AvgPool, its Python operand AvgPool/value
    graph = check_same_graph(input)
    full = graph._op_name(name, "AvgPool")
    with scope_of(graph, full):
        x = input if isinstance(input, Tensor) else convert_to_tensor(input, name="value")
    return nn_pool_ops.avg_pool(x, k, s, padding, data_format or "NHWC", name=full + "/")


builders.register(globals(), [*__all__, "max_pool3d_grad"])
