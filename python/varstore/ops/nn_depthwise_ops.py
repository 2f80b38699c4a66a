"""Depthwise convolution (DepthwiseConv2dNative and its two backprops) and the convolutions
TF builds from Conv2D or it: depthwise_conv2d, separable_conv2d, conv1d (ExpandDims +
Conv2D + Squeeze), atrous_conv2d and nn.convolution / nn.pool for two spatial dimensions.

Dilation is a kernel attribute here: where TF wraps a dilated depthwise or atrous
convolution in SpaceToBatchND / BatchToSpaceND, varstore sets ``dilations`` on the one op
(the values are the same; the result is the convolution op, not ``.../BatchToSpaceND``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError, UnimplementedError
from varstore.framework.constant_op import constant_value_as_shape, convert_to_tensor
from varstore.framework.graph import name_scope
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
from varstore.framework.tensor_shape import TensorShape
from varstore.ops import array_ops, nn_conv3d_ops, nn_pool3d_ops, nn_pool_ops
from varstore.ops.nn_batch_dims import rank_of, squeeze_batch_dims
from varstore.ops.nn_conv_ops import (
    check_padding,
    conv2d,
    conv_geometry,
    fmt_list,
    get_sequence,
    out_size,
)
from varstore.ops.nn_window_utils import check_explicit_paddings, convert_padding
from varstore.ops.space_to_batch_ops import with_space_to_batch

__all__ = [
    "atrous_conv2d",
    "conv1d",
    "convolution",
    "depthwise_conv2d",
    "depthwise_conv2d_native",
    "depthwise_conv2d_native_backprop_filter",
    "depthwise_conv2d_native_backprop_input",
    "pool",
    "separable_conv2d",
]

_TYPES = "half, bfloat16, float, double"
_NP_TYPES = ("float16", "bfloat16", "float32", "float64")


# -- DepthwiseConv2dNative ---------------------------------------------------------------------------
def _attrs(dtype: Any, strides: Any, padding: Any, data_format: str | None, dilations: Any
           ) -> dict[str, Any]:
    fmt = data_format or "NHWC"
    channel = 1 if fmt.startswith("NC") else 3
    explicit: list[int] = []
    if isinstance(padding, (list, tuple)):
        # TF's depthwise ops take explicit [before, after] pairs too
        padding, explicit = convert_padding(padding)
    check_padding(padding, "DepthwiseConv2dNative")
    return {"T": dtype, "data_format": fmt,
            "dilations": get_sequence(dilations, 2, channel, "dilations"),
            "explicit_paddings": explicit, "padding": padding,
            "strides": get_sequence(strides, 2, channel, "strides")}


def _text(a: dict[str, Any]) -> str:
    return (f'T={dt_enum(a["T"])}, data_format="{a["data_format"]}", '
            f'dilations={fmt_list(a["dilations"])}, '
            f'explicit_paddings={fmt_list(a["explicit_paddings"])}, '
            f'padding="{a["padding"]}", strides={fmt_list(a["strides"])}')


def _padding_arg(a: dict[str, Any]) -> Any:
    """The padding argument that rebuilds ``a`` (the pairs of an EXPLICIT one)."""
    e = a["explicit_paddings"]
    if a["padding"] != "EXPLICIT":
        return a["padding"]
    return [[e[i], e[i + 1]] for i in range(0, len(e), 2)]


def depthwise_conv2d_native(input: Any, filter: Any, strides: Any, padding: Any,
                            data_format: str = "NHWC", dilations: Any = (1, 1, 1, 1),
                            name: str | None = None) -> Tensor:
    """``tf.nn.depthwise_conv2d_native``: op ``DepthwiseConv2dNative``; filter
    [h, w, in_channels, multiplier], output channel c * multiplier + m."""
    graph = check_same_graph(input, filter)
    full = graph._op_name(name, "DepthwiseConv2dNative")
    with scope_of(graph, full):
        x = first_input(input, "input")
        if x._dtype.name not in _NP_TYPES:
            check_allowed(x._dtype, "float16, bfloat16, float32, float64", "input")
        w = typed_input(filter, x._dtype, "DepthwiseConv2dNative", "filter", "input")
    attrs = _attrs(x._dtype, strides, padding, data_format, dilations)
    nchw = attrs["data_format"] == "NCHW"
    xs, ws = x._shape, w._shape
    for s in (xs, ws):
        if s is not None and len(s) != 4:
            raise node_error(f"Shape must be rank 4 but is rank {len(s)}", full,
                             "DepthwiseConv2dNative", _text(attrs), [x, w])
    xs = xs or (None,) * 4
    ws = ws or (None,) * 4
    c = xs[1 if nchw else 3]
    if c is not None and ws[2] is not None and c != ws[2]:
        raise node_error(f"Dimensions must be equal, but are {c} and {ws[2]}", full,
                         "DepthwiseConv2dNative", _text(attrs), [x, w])
    hw = (2, 3) if nchw else (1, 2)
    e = attrs["explicit_paddings"]
    if e:
        try:
            check_explicit_paddings(attrs)
        except InvalidArgumentError as err:
            raise node_error(err.message, full, "DepthwiseConv2dNative", _text(attrs),
                             [x, w]) from None
    sizes = []
    for axis, k in zip(hw, ws[:2]):
        pair = (e[2 * axis], e[2 * axis + 1]) if e else (0, 0)
        got = out_size(xs[axis], k, attrs["strides"][axis], attrs["dilations"][axis],
                       attrs["padding"], pair)
        if got is None:
            assert k is not None
            eff = (k - 1) * attrs["dilations"][axis] + 1
            raise node_error(f"Negative dimension size caused by subtracting {eff} from "
                             f"{(xs[axis] or 0) + pair[0] + pair[1]}", full,
                             "DepthwiseConv2dNative", _text(attrs), [x, w])
        sizes.append(got[0])
    cin = c if c is not None else ws[2]
    depth = None if cin is None or ws[3] is None else cin * ws[3]
    out = (xs[0], depth, sizes[0], sizes[1]) if nchw else (xs[0], sizes[0], sizes[1], depth)
    return make_op(graph, full, "DepthwiseConv2dNative", [x, w], attrs,
                   [(x._dtype, out)])._outputs[0]


def _nhwc(attrs: dict[str, Any], a: np.ndarray) -> np.ndarray:
    return np.transpose(a, (0, 2, 3, 1)) if attrs["data_format"] == "NCHW" else a


def _back(attrs: dict[str, Any], a: np.ndarray) -> np.ndarray:
    if attrs["data_format"] == "NCHW":
        return np.ascontiguousarray(np.transpose(a, (0, 3, 1, 2)))
    return a


def _geometry(attrs: dict[str, Any], x_shape: tuple[int, ...], f_shape: tuple[int, ...]
              ) -> Any:
    return conv_geometry(attrs, x_shape, f_shape)


def _taps(xp: np.ndarray, i: int, j: int, d: tuple[int, int], s: tuple[int, int],
          oh: int, ow: int) -> np.ndarray:
    return xp[:, i * d[0]:i * d[0] + (oh - 1) * s[0] + 1:s[0],
              j * d[1]:j * d[1] + (ow - 1) * s[1] + 1:s[1], :]


def _pad(x: np.ndarray, pads: tuple[int, int, int, int]) -> np.ndarray:
    return np.pad(x, ((0, 0), (pads[0], pads[1]), (pads[2], pads[3]), (0, 0)))


@register_kernel("DepthwiseConv2dNative")
def _depthwise_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    _check_strides(attrs)

    def depthwise(x: np.ndarray, w: np.ndarray) -> np.ndarray:
        xn = _nhwc(attrs, x)
        s, d, pads, (oh, ow) = _geometry(attrs, xn.shape, w.shape)
        n, _, _, c = xn.shape
        kh, kw, _, m = w.shape
        out = np.zeros((n, oh, ow, c, m), dtype=x.dtype)
        xp = _pad(xn, pads)
        for i in range(kh):
            for j in range(kw):
                out += _taps(xp, i, j, d, s, oh, ow)[..., None] * w[i, j]
        return _back(attrs, out.reshape(n, oh, ow, c * m))

    return depthwise


def _backprop(op_type: str, first: Tensor, second: Tensor, dy: Tensor,
              attrs: dict[str, Any], out_shape: Any) -> Tensor:
    graph = dy._op._graph
    full = graph._op_name(None, op_type)
    return make_op(graph, full, op_type, [first, second, dy], dict(attrs),
                   [(dy._dtype, out_shape)])._outputs[0]


def depthwise_conv2d_native_backprop_input(input_sizes: Any, filter: Any, out_backprop: Any,
                                           strides: Any, padding: Any,
                                           data_format: str = "NHWC",
                                           dilations: Any = (1, 1, 1, 1),
                                           name: str | None = None) -> Tensor:
    """Op ``DepthwiseConv2dNativeBackpropInput``."""
    graph = check_same_graph(input_sizes, filter, out_backprop)
    full = graph._op_name(name, "DepthwiseConv2dNativeBackpropInput")
    with scope_of(graph, full):
        sz = convert_to_tensor(input_sizes, dtype=_dtypes.int32, name="input_sizes")
        w = first_input(filter, "filter")
        g = typed_input(out_backprop, w._dtype, "DepthwiseConv2dNativeBackpropInput",
                        "out_backprop", "filter")
    attrs = _attrs(w._dtype, strides, padding, data_format, dilations)
    return make_op(graph, full, "DepthwiseConv2dNativeBackpropInput", [sz, w, g], attrs,
                   [(w._dtype, constant_value_as_shape(sz))])._outputs[0]


def depthwise_conv2d_native_backprop_filter(input: Any, filter_sizes: Any, out_backprop: Any,
                                            strides: Any, padding: Any,
                                            data_format: str = "NHWC",
                                            dilations: Any = (1, 1, 1, 1),
                                            name: str | None = None) -> Tensor:
    """Op ``DepthwiseConv2dNativeBackpropFilter``."""
    graph = check_same_graph(input, filter_sizes, out_backprop)
    full = graph._op_name(name, "DepthwiseConv2dNativeBackpropFilter")
    with scope_of(graph, full):
        x = first_input(input, "input")
        sz = convert_to_tensor(filter_sizes, dtype=_dtypes.int32, name="filter_sizes")
        g = typed_input(out_backprop, x._dtype, "DepthwiseConv2dNativeBackpropFilter",
                        "out_backprop", "input")
    attrs = _attrs(x._dtype, strides, padding, data_format, dilations)
    return make_op(graph, full, "DepthwiseConv2dNativeBackpropFilter", [x, sz, g], attrs,
                   [(x._dtype, constant_value_as_shape(sz))])._outputs[0]


def _check_strides(attrs: dict[str, Any], error: type[Exception] = UnimplementedError
                   ) -> None:
    # TF's depthwise kernels (built before they run) stride over rows and columns only; the
    # forward one raises UnimplementedError, the backprops InvalidArgumentError
    c = 1 if attrs["data_format"] == "NCHW" else 3
    if attrs["strides"][0] != 1 or attrs["strides"][c] != 1:
        raise error(None, None, "Current implementation does not yet support strides in the "
                    "batch and depth dimensions.")


def _check_equal_strides(attrs: dict[str, Any]) -> None:
    _check_strides(attrs, InvalidArgumentError)
    # TF's CPU backprop kernels (not its forward one) take equal row and column strides only
    hw = (2, 3) if attrs["data_format"] == "NCHW" else (1, 2)
    if attrs["strides"][hw[0]] != attrs["strides"][hw[1]]:
        raise InvalidArgumentError(None, None, "Current implementation only supports equal "
                                   "length strides in the row and column dimensions.")


@register_kernel("DepthwiseConv2dNativeBackpropInput")
def _bp_input_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    check_explicit_paddings(attrs)
    _check_equal_strides(attrs)

    def bp_input(sizes: np.ndarray, w: np.ndarray, dy: np.ndarray) -> np.ndarray:
        shape = tuple(int(v) for v in sizes)
        if attrs["data_format"] == "NCHW":
            shape = (shape[0], shape[2], shape[3], shape[1])
        g = _nhwc(attrs, dy)
        s, d, pads, (oh, ow) = _geometry(attrs, shape, w.shape)
        n, h, wd, c = shape
        kh, kw, _, m = w.shape
        g5 = g.reshape(n, oh, ow, c, m)
        dxp = np.zeros((n, h + pads[0] + pads[1], wd + pads[2] + pads[3], c), dtype=dy.dtype)
        for i in range(kh):
            for j in range(kw):
                dxp[:, i * d[0]:i * d[0] + (oh - 1) * s[0] + 1:s[0],
                    j * d[1]:j * d[1] + (ow - 1) * s[1] + 1:s[1], :] += (g5 * w[i, j]).sum(-1)
        return _back(attrs, dxp[:, pads[0]:pads[0] + h, pads[2]:pads[2] + wd, :])

    return bp_input


@register_kernel("DepthwiseConv2dNativeBackpropFilter")
def _bp_filter_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    check_explicit_paddings(attrs)
    _check_equal_strides(attrs)

    def bp_filter(x: np.ndarray, sizes: np.ndarray, dy: np.ndarray) -> np.ndarray:
        f_shape = tuple(int(v) for v in sizes)
        xn, g = _nhwc(attrs, x), _nhwc(attrs, dy)
        s, d, pads, (oh, ow) = _geometry(attrs, xn.shape, f_shape)
        kh, kw, c, m = f_shape
        g5 = g.reshape(g.shape[0], oh, ow, c, m)
        xp = _pad(xn, pads)
        dw = np.zeros(f_shape, dtype=dy.dtype)
        for i in range(kh):
            for j in range(kw):
                dw[i, j] = np.einsum("nhwc,nhwcm->cm", _taps(xp, i, j, d, s, oh, ow), g5)
        return dw

    return bp_filter


def _kw(op: Operation) -> dict[str, Any]:
    a = op._attrs
    return {"strides": a["strides"], "padding": _padding_arg(a),
            "data_format": a["data_format"], "dilations": a["dilations"]}


@RegisterGradient("DepthwiseConv2dNative")
def _depthwise_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    x, w = op._inputs
    return [depthwise_conv2d_native_backprop_input(builders.shape_of(x), w, grad, **_kw(op)),
            depthwise_conv2d_native_backprop_filter(x, builders.shape_of(w), grad, **_kw(op))]


# -- the composites ------------------------------------------------------------------------------------
def _rate(rate: Any, dilations: Any) -> Any:
    if rate is not None and dilations is not None:
        raise ValueError("`rate` and `dilations` cannot both be specified.")
    value = rate if rate is not None else dilations
    return [1, 1] if value is None else value


def depthwise_conv2d(input: Any, filter: Any, strides: Any, padding: Any, rate: Any = None,
                     name: str | None = None, data_format: str | None = None,
                     dilations: Any = None) -> Tensor:
    """``tf.nn.depthwise_conv2d``: the DepthwiseConv2dNative named ``depthwise``."""
    from varstore.ops.space_to_batch_ops import with_space_to_batch

    with name_scope(name, "depthwise", [input, filter]) as scope:
        x = convert_to_tensor(input, name="tensor_in")
        w = convert_to_tensor(filter, name="filter_in")

        def op(converted: Any, _: Any, pad: Any) -> Tensor:
            return depthwise_conv2d_native(converted, w, strides, pad,
                                           data_format=data_format or "NHWC", name=scope)

        # TF's: the rate through with_space_to_batch (its Shape and dilation_rate nodes
        # even at rate 1; SpaceToBatchND around the op above it)
        return with_space_to_batch(x, _rate(rate, dilations), padding, op,  # type: ignore[no-any-return]
                                   filter_shape=array_ops.shape(w), data_format=data_format)


def separable_conv2d(input: Any, depthwise_filter: Any, pointwise_filter: Any, strides: Any,
                     padding: Any, rate: Any = None, name: str | None = None,
                     data_format: str | None = None, dilations: Any = None) -> Tensor:
    """``tf.nn.separable_conv2d``: ``separable_conv2d/depthwise`` then the 1x1 Conv2D named
    ``separable_conv2d``."""
    with name_scope(name, "separable_conv2d",
                    [input, depthwise_filter, pointwise_filter]) as scope:
        x = convert_to_tensor(input, name="tensor_in")
        dw = convert_to_tensor(depthwise_filter, name="depthwise_filter")
        pw = convert_to_tensor(pointwise_filter, name="pointwise_filter")
        ps = pw._shape
        if ps is not None:
            if len(ps) != 4:
                raise ValueError(f"Shape {tuple(ps)} must have rank 4")
            for d in ps[:2]:
                if d not in (None, 1):
                    raise ValueError(f"Dimensions {d} and 1 are not compatible")
        from varstore.ops.space_to_batch_ops import with_space_to_batch

        def op(converted: Any, _: Any, pad: Any) -> Tensor:
            return depthwise_conv2d_native(converted, dw, strides, pad,
                                           data_format=data_format or "NHWC",
                                           name="depthwise")

        depthwise = with_space_to_batch(x, _rate(rate, dilations), padding, op,
                                        filter_shape=array_ops.shape(dw),
                                        data_format=data_format)
        return conv2d(depthwise, pw, [1, 1, 1, 1], padding="VALID",
                      data_format=data_format or "NHWC", name=scope)


def conv1d(value: Any = None, filters: Any = None, stride: Any = None, padding: Any = None,
           use_cudnn_on_gpu: bool = True, data_format: str | None = None,
           name: str | None = None, input: Any = None, dilations: Any = None) -> Tensor:
    """``tf.nn.conv1d``: under ``conv1d/``, ExpandDims of input and filter, the Conv2D named
    ``conv1d`` and ``conv1d/Squeeze``."""
    if input is not None:
        value = input
    with name_scope(name, "conv1d", [value, filters]) as scope:
        if data_format is None or data_format in ("NHWC", "NWC"):
            data_format, spatial, channel = "NHWC", 1, 2
        elif data_format in ("NCHW", "NCW"):
            data_format, spatial, channel = "NCHW", 2, 1
        else:
            raise ValueError("`data_format` must be 'NWC' or 'NCW'. Received: "
                             f"data_format={data_format}")
        strides = [1, *get_sequence(stride, 1, channel, "stride")]
        dil = [1, *get_sequence(dilations, 1, channel, "dilations")]
        x = array_ops.expand_dims(value, spatial)
        w = array_ops.expand_dims(filters, 0)
        result = conv2d(x, w, strides=strides, padding=padding,
                        use_cudnn_on_gpu=use_cudnn_on_gpu, data_format=data_format,
                        dilations=dil, name=scope)
        return array_ops.squeeze(result, [spatial])


def atrous_conv2d(value: Any, filters: Any, rate: int, padding: Any,
                  name: str | None = None) -> Tensor:
    """``tf.nn.atrous_conv2d``: a Conv2D with dilations ``rate`` (TF: SpaceToBatchND around
    a Conv2D named ``convolution``; same values)."""
    if int(rate) < 1:
        raise ValueError(f"rate {rate} should be >= 1.")
    return convolution(value, filters, padding, dilation_rate=[rate, rate],
                       name=name)


def convolution(input: Any, filter: Any, padding: Any, strides: Any = None,
                dilation_rate: Any = None, name: str | None = None,
                data_format: str | None = None, filters: Any = None,
                dilations: Any = None) -> Tensor:
    """``tf.nn.convolution`` for 1-, 2- and 3-D inputs: the conv1d, Conv2D or Conv3D named
    ``convolution``."""
    if filters is not None:
        filter = filters
    if dilations is not None:
        dilation_rate = dilations
    x = convert_to_tensor(input)
    rank = len(x._shape) if x._shape is not None else None
    # TF counts the spatial dims from the filter's rank (the input may have several batch
    # dims), from the input's when the filter's is unknown
    w_rank = rank_of(filter)
    if w_rank is not None:
        rank = w_rank
    if rank == 3:
        return conv1d(x, filter, strides if strides is not None else 1, padding,
                      data_format=data_format, dilations=dilation_rate,
                      name=name or "convolution")
    if rank == 5:
        channel = 1 if data_format is not None and data_format.startswith("NC") else 4
        st3 = get_sequence(strides, 3, channel, "strides")
        dil3 = get_sequence(dilation_rate, 3, channel, "dilations")
        with name_scope(name, "convolution", [x, filter]) as scope:
            if x._shape is not None and len(x._shape) > 5:
                # TF's _conv3d_expanded_batch: several batch dims fold into one
                return squeeze_batch_dims(x, lambda t: nn_conv3d_ops.conv3d_exact(
                    t, filter, st3, padding, data_format or "NDHWC", dil3, None), 4, scope)
            return nn_conv3d_ops.conv3d_exact(x, filter, st3, padding, data_format or "NDHWC",
                                              dil3, scope)
    if rank != 4:
        raise NotImplementedError(f"varstore's nn.convolution takes 1, 2 or 3 spatial dims, not "
                                  f"{None if rank is None else rank - 2}")
    fmt = data_format or "NHWC"
    channel = 1 if fmt.startswith("NC") else 3
    dil = get_sequence(dilation_rate, 2, channel, "dilations")
    with name_scope(name, "convolution", [x, filter]) as scope:
        if all(d == 1 for d in dil):
            return conv2d(x, filter, strides=strides if strides is not None else 1,
                          padding=padding, data_format=fmt, dilations=dil, name=scope)
        # TF's Convolution for a dilated conv: a VALID Conv2D of the space-to-batch input
        # (a variable filter is read by that Conv2D, after the SpaceToBatchND, as in TF)
        w = filter if hasattr(filter, "shape") else convert_to_tensor(filter)
        rates = dil[2:] if channel == 1 else dil[1:3]
        dims = TensorShape(w.shape).as_list() if TensorShape(w.shape).ndims else None
        fshape = None if dims is None else dims[:2]

        def op(converted: Tensor, _: Any, converted_padding: Any) -> Tensor:
            return conv2d(converted, w, strides=strides if strides is not None else 1,
                          padding=converted_padding, data_format=fmt, name=scope)

        return with_space_to_batch(  # type: ignore[no-any-return]
            input=x, dilation_rate=rates, padding=padding, op=op, filter_shape=fshape,
            spatial_dims=[2, 3] if channel == 1 else [1, 2])


def _strides_and_dilation_rate(n: int, strides: Any, dilation_rate: Any
                               ) -> tuple[np.ndarray, np.ndarray]:
    """TF's _get_strides_and_dilation_rate (its checks and messages)."""
    if dilation_rate is None:
        dilation_rate = [1] * n
    elif len(dilation_rate) != n:
        raise ValueError(f"`len(dilation_rate)` should be {n}. Received: dilation_rate="
                         f"{dilation_rate} of length {len(dilation_rate)}")
    rate = np.array(dilation_rate, dtype=np.int32)
    if np.any(rate < 1):
        raise ValueError(f"all values of `dilation_rate` must be positive. Received: "
                         f"dilation_rate={rate}")
    if strides is None:
        strides = [1] * n
    elif len(strides) != n:
        raise ValueError(f"`len(strides)` should be {n}. Received: strides={strides} of "
                         f"length {len(strides)}")
    st = np.array(strides, dtype=np.int32)
    if np.any(st < 1):
        raise ValueError(f"all values of `strides` must be positive. Received: strides={st}")
    if np.any(st > 1) and np.any(rate > 1):
        raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > "
                         f"1`. Received: strides={st} and dilation_rate={rate}")
    return st, rate


def pool(input: Any, window_shape: Any, pooling_type: str, padding: Any,
         dilation_rate: Any = None, strides: Any = None, name: str | None = None,
         data_format: str | None = None, dilations: Any = None) -> Tensor:
    """``tf.nn.pool``: TF's composite, a max/avg pool of 1, 2 or 3 spatial dimensions inside
    ``with_space_to_batch`` (a dilated pool is a VALID pool of the space-to-batch input)."""
    rate = dilations if dilations is not None else dilation_rate
    with name_scope(name, f"{pooling_type.lower()}_pool", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        n = len(window_shape)
        if n < 1 or n > 3:
            raise ValueError(f"`len(window_shape)` must be 1, 2, or 3. Received: window_shape="
                             f"{window_shape} of length {len(window_shape)}")
        x.get_shape().with_rank(n + 2)
        st, rate_ = _strides_and_dilation_rate(n, strides, rate)
        if padding == "SAME" and np.any(rate_ > 1):
            raise ValueError("pooling with 'SAME' padding is not implemented for "
                             f"`dilation_rate` > 1. Received: padding={padding} and "
                             f"dilation_rate={rate_}")
        if np.any(st > window_shape):
            raise ValueError("`strides` > `window_shape` not supported due to inconsistency "
                             f"between CPU and GPU implementations. Received: strides={st} "
                             f"and window_shape={window_shape}")
        ops_: dict[tuple[str, int], Callable[..., Tensor]] = {
            ("MAX", 1): nn_pool_ops.max_pool, ("MAX", 2): nn_pool_ops.max_pool,
            ("MAX", 3): nn_pool3d_ops.max_pool3d, ("AVG", 1): nn_pool_ops.avg_pool,
            ("AVG", 2): nn_pool_ops.avg_pool, ("AVG", 3): nn_pool3d_ops.avg_pool3d}
        fn: Callable[..., Tensor] | None = ops_.get((pooling_type, n))
        if fn is None:
            raise ValueError(f"{n}-D {pooling_type} pooling is not supported.")
        if data_format is None or not data_format.startswith("NC"):
            window = [1, *window_shape, 1]
            steps = [1, *st.tolist(), 1]
            spatial = list(range(1, n + 1))
        else:
            window = [1, 1, *window_shape]
            steps = [1, 1, *st.tolist()]
            spatial = list(range(2, n + 2))
        fmt: Any = data_format
        if n == 1:
            if data_format is None or data_format == "NWC":
                fmt = "NHWC"
            elif data_format == "NCW":
                fmt = "NCHW"
            else:
                raise ValueError("data_format must be either 'NWC' or 'NCW'. Received: "
                                 f"data_format={data_format}")
            window = [1, *window]
            steps = [1, *steps]
        elif fmt is None:
            fmt = "NHWC" if n == 2 else "NDHWC"

        pool_fn: Callable[..., Tensor] = fn

        def op(converted: Tensor, _: Any, converted_padding: Any) -> Tensor:
            if n == 1:
                converted = array_ops.expand_dims(converted, spatial[0])
            result = pool_fn(converted, window, steps, converted_padding, name=scope,
                                data_format=fmt)
            if n == 1:
                result = array_ops.squeeze(result, [spatial[0]])
            return result

        return with_space_to_batch(input=x, dilation_rate=rate_, padding=padding, op=op,  # type: ignore[no-any-return]
                                   spatial_dims=spatial, filter_shape=window_shape)


builders.register(globals(), __all__)
