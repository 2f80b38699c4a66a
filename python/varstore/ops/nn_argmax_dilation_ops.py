"""``tf.nn.max_pool_with_argmax`` (MaxPoolWithArgmax; gradient MaxPoolGradWithArgmax) and
the grayscale morphology ops ``tf.nn.dilation2d`` (Dilation2D; gradients
Dilation2DBackpropInput / Dilation2DBackpropFilter) and ``tf.nn.erosion2d`` (TF's dual:
-dilation2d(-value, reversed kernel)), with TF's checks, shape functions and CPU kernels.

Both kernels scan a window in row-major order and keep the first strict maximum, as TF's do
(a NaN never wins in a dilation, and wins a max pool only as a window's first element);
the gradients go to that one element."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError, UnimplementedError
from varstore.framework.graph import name_scope
from varstore.framework.importer import register_shape
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
from varstore.ops import array_transform_ops, math_unary_ops
from varstore.ops.nn_window_utils import (
    attrs_text,
    check_choice,
    check_min_length,
    int_list,
    padding_str,
    windowed_output,
)

__all__ = [
    "dilation2d",
    "erosion2d",
    "max_pool_with_argmax",
]

_REAL = ("float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, float16, "
         "uint32, uint64")


# gen_nn_ops' result type (its class named MaxPoolWithArgmax): (output, argmax) by position
# or name
MaxPoolWithArgmaxOutput = namedtuple(  # type: ignore[name-match]  # noqa: PYI024
    "MaxPoolWithArgmax", ["output", "argmax"])


def _lowest(dtype: np.dtype[Any]) -> Any:
    return np.finfo(dtype).min if dtype.kind == "f" else np.iinfo(dtype).min


def _shape_text(shape: tuple[int, ...]) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _static_windowed(n: int | None, k: int | None, stride: int, padding: str,
                     error: Callable[[str], ValueError]) -> int | None:
    """GetWindowedOutputSizeFromDimsV2 with dilation 1 (MaxPoolShape)."""
    if stride <= 0:
        raise error(f"Stride must be > 0, but got {stride}")
    if padding == "SAME":
        return None if n is None else (n + stride - 1) // stride
    if n is None or k is None:
        return None
    if n < k:
        raise error(f"Negative dimension size caused by subtracting {k} from {n}")
    return (n - k + stride) // stride


# -- MaxPoolWithArgmax --------------------------------------------------------------------------------
def max_pool_with_argmax(input: Any, ksize: Any, strides: Any, padding: Any,
                         data_format: str = "NHWC", Targmax: Any = None,
                         name: str | None = None, output_dtype: Any = None,
                         include_batch_in_index: bool = False) -> Any:
    """``tf.nn.max_pool_with_argmax`` (TF1): op ``MaxPoolWithArgmax``, outputs (max, argmax);
    argmax flattens ``[b, y, x, c]`` to ``(y * width + x) * channels + c`` (with
    ``b * height`` added to y when ``include_batch_in_index``)."""
    if data_format != "NHWC":
        raise ValueError("`data_format` values other  than 'NHWC' are not supported. "
                         f"Received: data_format={data_format}")
    if Targmax is not None and output_dtype is not None:
        raise ValueError("Cannot specify both 'Targmax' and 'output_dtype'.")
    targ = output_dtype if Targmax is None else Targmax
    targ = _dtypes.int64 if targ is None else _dtypes.as_dtype(targ)
    k = int_list(ksize, "ksize", "max_pool_with_argmax")
    s = int_list(strides, "strides", "max_pool_with_argmax")
    pad = padding_str(padding)
    with_batch = bool(include_batch_in_index)
    graph = check_same_graph(input)
    full = graph._op_name(name, "MaxPoolWithArgmax")
    with scope_of(graph, full):
        x = first_input(input, "input")
    check_allowed(x._dtype, _REAL, "input")
    check_min_length(k, "ksize", "MaxPoolWithArgmax", 4)
    check_min_length(s, "strides", "MaxPoolWithArgmax", 4)
    check_allowed(targ, "int32, int64", "Targmax")
    check_choice(pad, "padding", "MaxPoolWithArgmax", ("SAME", "VALID"))
    attrs = {"T": x._dtype, "Targmax": targ, "include_batch_in_index": with_batch,
             "ksize": k, "padding": pad, "strides": s}
    out = _max_pool_shape(full, x, attrs)
    op = make_op(graph, full, "MaxPoolWithArgmax", [x], attrs, [(x._dtype, out), (targ, out)])
    return MaxPoolWithArgmaxOutput(op._outputs[0], op._outputs[1])


def _max_pool_shape(full: str, x: Tensor, attrs: dict[str, Any]) -> tuple[int | None, ...]:
    """TF's MaxPoolShape (NHWC): rows, columns and depth windowed."""
    def error(message: str) -> ValueError:
        return node_error(message, full, "MaxPoolWithArgmax", attrs_text(attrs), [x])

    if x._shape is not None and len(x._shape) != 4:
        raise error(f"Shape must be rank 4 but is rank {len(x._shape)}")
    k, s = attrs["ksize"], attrs["strides"]
    if len(s) != 4:
        raise error(f"MaxPool requires the stride attribute to contain 4 values, but got: "
                    f"{len(s)}")
    if len(k) != 4:
        raise error(f"MaxPool requires the ksize attribute to contain 4 values, but got: "
                    f"{len(k)}")
    for v in k:
        if v <= 0:
            raise error(f"ksize must be a positive int32 value, got:{v}")
    xs = x._shape or (None,) * 4
    rows, cols, depth = (_static_windowed(xs[i], k[i], s[i], attrs["padding"], error)
                         for i in (1, 2, 3))
    return (xs[0], rows, cols, depth)


@register_shape("MaxPoolWithArgmax")
def _raw_max_pool_shape(full: str, op_type: str, inputs: list[Tensor], attrs: dict[str, Any]
                        ) -> list[tuple[int | None, ...]]:
    # tf.raw_ops.MaxPoolWithArgmax runs the same shape function (both outputs)
    out = _max_pool_shape(full, inputs[0], attrs)
    return [out, out]


def _pool_checks(attrs: dict[str, Any], x: np.ndarray) -> list[tuple[int, int, int]]:
    k, s = attrs["ksize"], attrs["strides"]
    if k[0] != 1 or s[0] != 1:
        raise UnimplementedError(None, None, "Pooling is not yet supported on the batch "
                                 "dimension.")
    if x.ndim != 4:
        raise ValueError("tensor_in must be 4-dimensional")
    if k[3] != 1 and (k[1] != 1 or k[2] != 1):
        raise UnimplementedError(None, None, "MaxPooling supports exactly one of pooling "
                                 "across depth or pooling across width/height.")
    # the CPU kernel pools rows and columns only (a depth window or stride is not applied)
    return [windowed_output(x.shape[i], k[i], s[i], 1, attrs["padding"]) for i in (1, 2)]


def _argmax_pool(x: np.ndarray, attrs: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """The max of each window and its flat index: the first element, then each strictly
    greater one."""
    (oh, top, _), (ow, left, _) = _pool_checks(attrs, x)
    n, h, w, c = x.shape
    kh, kw = attrs["ksize"][1], attrs["ksize"][2]
    sh, sw = attrs["strides"][1], attrs["strides"][2]
    best = np.zeros((n, oh, ow, c), dtype=x.dtype)
    arg = np.full((n, oh, ow, c), -1, dtype=np.int64)
    rows = np.arange(oh) * sh - top
    cols = np.arange(ow) * sw - left
    for i in range(kh):
        hi = rows + i
        for j in range(kw):
            wj = cols + j
            valid = ((hi >= 0) & (hi < h))[:, None] & ((wj >= 0) & (wj < w))[None, :]
            vals = x[:, np.clip(hi, 0, h - 1)][:, :, np.clip(wj, 0, w - 1)]
            take = valid[None, :, :, None] & ((arg < 0) | (vals > best))
            best = np.where(take, vals, best)
            flat = (np.clip(hi, 0, h - 1)[:, None] * w + np.clip(wj, 0, w - 1)[None, :])
            index = flat[None, :, :, None] * c + np.arange(c)[None, None, None, :]
            arg = np.where(take, index, arg)
    return best, arg


@register_kernel("MaxPoolWithArgmax")
def _max_pool_with_argmax_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    arg_dt = attrs["Targmax"]._np

    def pool(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        best, arg = _argmax_pool(x, attrs)
        if attrs["include_batch_in_index"]:
            arg = arg + (np.arange(x.shape[0]) * (x.shape[1] * x.shape[2] * x.shape[3])
                         )[:, None, None, None]
        return best, arg.astype(arg_dt)

    return pool


def _max_pool_grad_with_argmax(x: Tensor, grad: Tensor, argmax: Tensor,
                               attrs: dict[str, Any]) -> Tensor:
    """``MaxPoolGradWithArgmax`` (shape: the input's, of rank 4)."""
    graph = grad._op._graph
    full = graph._op_name(None, "MaxPoolGradWithArgmax")
    a = {"T": grad._dtype, "Targmax": argmax._dtype, **attrs}
    if x._shape is not None and len(x._shape) != 4:
        raise node_error(f"Shape must be rank 4 but is rank {len(x._shape)}", full,
                         "MaxPoolGradWithArgmax", attrs_text(a), [x, grad, argmax])
    return make_op(graph, full, "MaxPoolGradWithArgmax", [x, grad, argmax], a,
                   [(grad._dtype, x._shape or (None,) * 4)])._outputs[0]


@register_kernel("MaxPoolGradWithArgmax")
def _max_pool_grad_with_argmax_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs

    def grad(x: np.ndarray, dy: np.ndarray, argmax: np.ndarray) -> np.ndarray:
        if argmax.dtype != np.int64:
            # TF's CPU kernel takes int64 indices only
            raise InvalidArgumentError(
                None, None, "No OpKernel was registered to support Op 'MaxPoolGradWithArgmax' "
                f"used by {{{{node {op._name}}}}} with these attrs: [{attrs_text(attrs)}]\n"
                "Registered devices: [CPU]\nRegistered kernels:\n  device='CPU'; T in "
                f"[{dt_enum(attrs['T'])}]; Targmax in [DT_INT64]")
        (oh, _, _), (ow, _, _) = _pool_checks(attrs, x)
        expected = (x.shape[0], oh, ow, x.shape[3])
        for what, a in (("grad", dy), ("argmax", argmax)):
            if a.shape != expected:
                raise ValueError(f"Expected {what} shape to be {_shape_text(expected)}, but got "
                                 f"{_shape_text(a.shape)}")
        total = x.size
        index = argmax.astype(np.int64)
        if not attrs["include_batch_in_index"]:
            index = index + (np.arange(x.shape[0]) * (total // max(x.shape[0], 1))
                             )[:, None, None, None]
        bad = (index < 0) | (index >= total)
        if bad.any():
            raise ValueError(f"Invalid output gradient index: {int(index[bad][0])}, 0, {total}")
        out = np.zeros(total, dtype=dy.dtype)
        np.add.at(out, index.reshape(-1), dy.reshape(-1))
        return out.reshape(x.shape)

    return grad


@RegisterGradient("MaxPoolWithArgmax")
def _max_pool_with_argmax_grad(op: Operation, grad: Tensor, _argmax_grad: Any) -> Tensor:
    a = op._attrs
    return _max_pool_grad_with_argmax(
        op._inputs[0], grad, op._outputs[1],
        {"include_batch_in_index": a["include_batch_in_index"], "ksize": a["ksize"],
         "padding": a["padding"], "strides": a["strides"]})


# -- Dilation2D -----------------------------------------------------------------------------------
def dilation2d(input: Any, filter: Any = None, strides: Any = None, rates: Any = None,
               padding: Any = None, name: str | None = None, filters: Any = None,
               dilations: Any = None) -> Tensor:
    """``tf.nn.dilation2d`` (TF1): op ``Dilation2D``; input [batch, h, w, depth], filter
    [fh, fw, depth]; out = max over the window of input + filter."""
    if filter is not None and filters is not None:
        raise ValueError("Cannot specify both 'filter' and 'filters'.")
    if rates is not None and dilations is not None:
        raise ValueError("Cannot specify both 'rates' and 'dilations'.")
    filter = filters if filter is None else filter
    rates = dilations if rates is None else rates
    return _dilation("Dilation2D", [input, filter], strides, rates, padding, name)


def _dilation(op_type: str, values: list[Any], strides: Any, rates: Any, padding: Any,
              name: str | None) -> Tensor:
    s = int_list(strides, "strides", "dilation2d")
    r = int_list(rates, "rates", "dilation2d")
    pad = padding_str(padding)
    graph = check_same_graph(*values)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        x = first_input(values[0], "input")
        check_allowed(x._dtype, _REAL, "input")
        rest = [typed_input(v, x._dtype, op_type, arg, "input")
                for v, arg in zip(values[1:], ("filter", "out_backprop"))]
    check_min_length(s, "strides", op_type, 4)
    check_min_length(r, "rates", op_type, 4)
    check_choice(pad, "padding", op_type, ("SAME", "VALID"))
    attrs = {"T": x._dtype, "padding": pad, "rates": r, "strides": s}
    inputs = [x, *rest]
    if op_type == "Dilation2D":
        out = _dilation_shape(full, inputs, attrs)
    else:  # the backprops: UnchangedShape of input or filter
        out = (x if op_type == "Dilation2DBackpropInput" else rest[0])._shape
    return make_op(graph, full, op_type, inputs, attrs, [(x._dtype, out)])._outputs[0]


def _dilation_shape(full: str, inputs: list[Tensor], attrs: dict[str, Any]) -> Any:
    x, w = inputs

    def error(message: str) -> ValueError:
        return node_error(message, full, "Dilation2D", attrs_text(attrs), inputs)

    for t, rank in ((x, 4), (w, 3)):
        if t._shape is not None and len(t._shape) != rank:
            raise error(f"Shape must be rank {rank} but is rank {len(t._shape)}")
    s, r = attrs["strides"], attrs["rates"]
    if len(s) != 4:
        raise error(f"Dilation2D requires the stride attribute to contain 4 values, but got: "
                    f"{len(s)}")
    if len(r) != 4:
        raise error(f"Dilation2D requires the rates attribute to contain 4 values, but got: "
                    f"{len(r)}")
    xs = x._shape or (None,) * 4
    ws = w._shape or (None,) * 3
    if None in (xs[1], xs[2], ws[0], ws[1]):
        return (xs[0], None, None, ws[2])
    if xs[3] is not None and ws[2] is not None and xs[3] != ws[2]:
        raise error(f"Dimensions must be equal, but are {xs[3]} and {ws[2]}")
    sizes = []
    for n, k, si, ri in ((xs[1], ws[0], s[1], r[1]), (xs[2], ws[1], s[2], r[2])):
        assert n is not None and k is not None
        if si <= 0:
            raise error(f"Stride must be > 0, but got {si}")
        try:
            sizes.append(windowed_output(n, k + (k - 1) * (ri - 1), si, 1, attrs["padding"])[0])
        except ValueError as exc:
            raise error(str(exc)) from None
    return (xs[0], sizes[0], sizes[1], ws[2])


def _dilation_scan(op: Operation, x: np.ndarray, w: np.ndarray) -> Any:
    """Dilation2D's CPU loop, vectorised over the outputs: per filter tap in row-major
    order, the first strict maximum of input + filter over the valid positions."""
    a = op._attrs
    s, r = a["strides"], a["rates"]
    if s[0] != 1 or s[3] != 1:
        raise UnimplementedError(None, None, "Stride is only supported across spatial "
                                 "dimensions.")
    if r[0] != 1 or r[3] != 1:
        raise UnimplementedError(None, None, "Rate is only supported across spatial "
                                 "dimensions.")
    if x.ndim != 4:
        raise ValueError(f"input must be 4-dimensional{_shape_text(x.shape)}")
    if w.ndim != 3:
        raise ValueError(f"filter must be 3-dimensional: {_shape_text(w.shape)}")
    if x.shape[3] != w.shape[2]:
        raise ValueError(f"input and filter must have the same depth: {x.shape[3]} vs "
                         f"{w.shape[2]}")
    n, h, wd, c = x.shape
    kh, kw = w.shape[:2]
    oh, top, _ = windowed_output(h, kh + (kh - 1) * (r[1] - 1), s[1], 1, a["padding"])
    ow, left, _ = windowed_output(wd, kw + (kw - 1) * (r[2] - 1), s[2], 1, a["padding"])
    rows0, cols0 = np.arange(oh) * s[1] - top, np.arange(ow) * s[2] - left
    best = np.full((n, oh, ow, c), _lowest(x.dtype), dtype=x.dtype)
    shape = (n, oh, ow, c)
    in_h = np.broadcast_to(np.maximum(rows0, 0)[None, :, None, None], shape).copy()
    in_w = np.broadcast_to(np.maximum(cols0, 0)[None, None, :, None], shape).copy()
    f_h = np.zeros(shape, dtype=np.int64)
    f_w = np.zeros(shape, dtype=np.int64)
    for i in range(kh):
        hi = rows0 + i * r[1]
        for j in range(kw):
            wj = cols0 + j * r[2]
            valid = ((hi >= 0) & (hi < h))[:, None] & ((wj >= 0) & (wj < wd))[None, :]
            vals = x[:, np.clip(hi, 0, h - 1)][:, :, np.clip(wj, 0, wd - 1)] + w[i, j]
            take = valid[None, :, :, None] & (vals > best)
            best = np.where(take, vals, best)
            in_h = np.where(take, np.clip(hi, 0, h - 1)[None, :, None, None], in_h)
            in_w = np.where(take, np.clip(wj, 0, wd - 1)[None, None, :, None], in_w)
            f_h = np.where(take, i, f_h)
            f_w = np.where(take, j, f_w)
    return best, (in_h, in_w, f_h, f_w)


@register_kernel("Dilation2D")
def _dilation2d_kernel(op: Operation) -> Callable[..., Any]:
    return lambda x, w: _dilation_scan(op, x, w)[0]


def _check_backprop(x: np.ndarray, best: np.ndarray, dy: np.ndarray) -> None:
    if dy.shape != best.shape:
        raise ValueError("out_backprop has incompatible size.")


@register_kernel("Dilation2DBackpropInput")
def _dilation2d_bp_input_kernel(op: Operation) -> Callable[..., Any]:
    def bp_input(x: np.ndarray, w: np.ndarray, dy: np.ndarray) -> np.ndarray:
        if dy.ndim != 4:
            raise ValueError(f"out_backprop must be 4-dimensional{_shape_text(dy.shape)}")
        best, (in_h, in_w, _, _) = _dilation_scan(op, x, w)
        _check_backprop(x, best, dy)
        out = np.zeros(x.shape, dtype=dy.dtype)
        b = np.arange(x.shape[0])[:, None, None, None]
        d = np.arange(x.shape[3])[None, None, None, :]
        np.add.at(out, (np.broadcast_to(b, dy.shape), in_h, in_w,
                        np.broadcast_to(d, dy.shape)), dy)
        return out

    return bp_input


@register_kernel("Dilation2DBackpropFilter")
def _dilation2d_bp_filter_kernel(op: Operation) -> Callable[..., Any]:
    def bp_filter(x: np.ndarray, w: np.ndarray, dy: np.ndarray) -> np.ndarray:
        if dy.ndim != 4:
            raise ValueError(f"out_backprop must be 4-dimensional{_shape_text(dy.shape)}")
        best, (_, _, f_h, f_w) = _dilation_scan(op, x, w)
        _check_backprop(x, best, dy)
        out = np.zeros(w.shape, dtype=dy.dtype)
        d = np.broadcast_to(np.arange(w.shape[2])[None, None, None, :], dy.shape)
        np.add.at(out, (f_h, f_w, d), dy)
        return out

    return bp_filter


@RegisterGradient("Dilation2D")
def _dilation2d_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    x, w = op._inputs
    a = op._attrs
    return [_dilation(t, [x, w, grad], a["strides"], a["rates"], a["padding"], None)
            for t in ("Dilation2DBackpropInput", "Dilation2DBackpropFilter")]


def erosion2d(value: Any, kernel: Any, strides: Any, rates: Any, padding: Any,
              name: str | None = None) -> Tensor:
    """``tf.nn.erosion2d``: ``-dilation2d(-value, reverse(kernel, [0, 1]))`` under
    ``erosion2d/``, the Dilation2D named ``erosion2d``."""
    with name_scope(name, "erosion2d", [value, kernel]) as scope:
        out = _dilation("Dilation2D", [math_unary_ops.negative(value),
                                       array_transform_ops.reverse(kernel, [0, 1])],
                        strides, rates, padding, scope)
        return math_unary_ops.negative(out)


builders.register(globals(), __all__)
