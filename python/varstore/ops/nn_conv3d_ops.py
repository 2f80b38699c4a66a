"""3-D convolution: ``Conv3D`` and its two gradient ops ``Conv3DBackpropInputV2`` (also
``tf.nn.conv3d_transpose``) and ``Conv3DBackpropFilterV2``, with TF's argument checks, shape
functions, NumPy kernels and the gradients nn_grad.py registers.

The kernels follow TF's default CPU build (oneDNN): NCDHW and dilated convolutions run
(NCDHW through a transpose); TF's Eigen-only build rejects both at run time. Run-time
errors carry the Eigen kernels' messages where oneDNN's are internal ("could not create a
primitive descriptor")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import UnimplementedError
from varstore.framework.constant_op import constant_value_as_shape, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import (
    check_allowed,
    check_same_graph,
    first_input,
    hinted_input,
    typed_input,
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
from varstore.ops.nn_conv_ops import get_sequence
from varstore.ops.nn_window_utils import (
    attrs_text,
    check_choice,
    check_min_length,
    conv_nd,
    conv_nd_backprop_filter,
    conv_nd_backprop_input,
    geometry,
    int_list,
    padding_str,
    to_channels_first,
    to_channels_last,
)

__all__ = [
    "conv3d",
    "conv3d_backprop_filter",
    "conv3d_backprop_filter_v2",
    "conv3d_backprop_input_v2",
    "conv3d_transpose",
]

_FLOATS = "float16, bfloat16, float32, float64"
_FORMATS = ("NDHWC", "NCDHW")


# -- the attributes, in gen_nn_ops' and op_def_library's order -----------------------------------
def _python_attrs(api: str, strides: Any, padding: Any, data_format: Any, dilations: Any
                  ) -> tuple[list[int], str, str, list[int]]:
    """What the generated wrapper checks before it makes the op."""
    s = int_list(strides, "strides", api)
    pad = padding_str(padding)
    fmt = "NDHWC" if data_format is None else str(data_format)
    d = int_list([1, 1, 1, 1, 1] if dilations is None else dilations, "dilations", api)
    return s, pad, fmt, d


def _check_attrs(op_type: str, strides: list[int], padding: str, data_format: str) -> None:
    """op_def_library's checks of the op's attributes (after its inputs are converted)."""
    check_min_length(strides, "strides", op_type, 5)
    check_choice(padding, "padding", op_type, ("SAME", "VALID"))
    check_choice(data_format, "data_format", op_type, _FORMATS)
    # (dilations has no minimum length: the shape function rejects other than 5 values)


def _spatial(fmt: str, values: list[Any]) -> list[Any]:
    return values[2:5] if fmt == "NCDHW" else values[1:4]


# -- Conv3D -----------------------------------------------------------------------------------------
def conv3d(input: Any, filter: Any = None, strides: Any = None, padding: Any = None,
           data_format: str = "NDHWC", dilations: Any = (1, 1, 1, 1, 1),
           name: str | None = None, filters: Any = None) -> Tensor:
    """``tf.nn.conv3d`` (TF1): op ``Conv3D``. Input [batch, depth, height, width, channels]
    (NDHWC) or NCDHW, filter [depth, height, width, in, out]; strides and dilations as
    5-lists; padding 'SAME' or 'VALID'."""
    if filter is not None and filters is not None:
        raise ValueError("Cannot specify both 'filter' and 'filters'.")
    if filter is None:
        filter = filters
    return _conv3d(input, filter, strides, padding, data_format, dilations, name, True)


def conv3d_exact(input: Any, filter: Any, strides: Any, padding: Any, data_format: str,
                 dilations: Any, name: str | None) -> Tensor:
    """The Conv3D of tf.nn.convolution and the Conv3D layer: TF builds a dilated one around
    SpaceToBatchND, whose static shape is right; varstore sets the op's dilations and
    infers that shape (not the raw op's, whose height and width dilations TF swaps)."""
    return _conv3d(input, filter, strides, padding, data_format, dilations, name, False)


def _conv3d(input: Any, filter: Any, strides: Any, padding: Any, data_format: Any,
            dilations: Any, name: str | None, swapped: bool) -> Tensor:
    s, pad, fmt, d = _python_attrs("conv3d", strides, padding, data_format, dilations)
    graph = check_same_graph(input, filter)
    full = graph._op_name(name, "Conv3D")
    with scope_of(graph, full):
        x = first_input(input, "input")
        check_allowed(x._dtype, _FLOATS, "input")
        if filter is None:
            raise ValueError("Tried to convert 'filter' to a tensor and failed. Error: None "
                             "values not supported.")
        w = typed_input(filter, x._dtype, "Conv3D", "filter", "input")
    _check_attrs("Conv3D", s, pad, fmt)
    attrs = {"T": x._dtype, "data_format": fmt, "dilations": d, "padding": pad, "strides": s}
    out = _conv3d_shape(full, x, w, attrs, swapped)
    return make_op(graph, full, "Conv3D", [x, w], attrs, [(x._dtype, out)])._outputs[0]


def _static_size(n: int | None, k: int | None, stride: int, dilation: int, padding: str,
                 error: Callable[[str], ValueError]) -> int | None:
    """TF's GetWindowedOutputSizeFromDimsV2 on possibly unknown dims."""
    if stride <= 0:
        raise error(f"Stride must be > 0, but got {stride}")
    if dilation < 1:
        raise error(f"Dilation rate must be >= 1, but got {dilation}")
    if padding == "SAME":
        return None if n is None else (n + stride - 1) // stride
    if n is None or k is None:
        return None
    eff = (k - 1) * dilation + 1
    if n < eff:
        raise error(f"Negative dimension size caused by subtracting {eff} from {n}")
    return (n - eff + stride) // stride


def _conv3d_shape(full: str, x: Tensor, w: Tensor, attrs: dict[str, Any], swapped: bool
                  ) -> tuple[int | None, ...]:
    """TF's Conv3DShape, in its order of checks."""
    def error(message: str) -> ValueError:
        return node_error(message, full, "Conv3D", attrs_text(attrs), [x, w])

    for shape in (x._shape, w._shape):
        if shape is not None and len(shape) != 5:
            raise error(f"Shape must be rank 5 but is rank {len(shape)}")
    strides, dilations = attrs["strides"], attrs["dilations"]
    if len(dilations) != 5:
        raise error(f"Conv3D requires the dilation attribute to contain 5 values, but got: "
                    f"{len(dilations)}")
    if len(strides) != 5:
        raise error(f"Conv3D requires the stride attribute to contain 5 values, but got: "
                    f"{len(strides)}")
    ncdhw = attrs["data_format"] == "NCDHW"
    xs = x._shape or (None,) * 5
    ws = w._shape or (None,) * 5
    if ncdhw:
        xs = (xs[0], xs[2], xs[3], xs[4], xs[1])
    s = _spatial(attrs["data_format"], strides)
    d = _spatial(attrs["data_format"], dilations)
    if swapped:
        # TF's shape function swaps the row and column dilations (dilation_cols takes the
        # height's, dilation_rows the width's); the static shape is TF's, the kernel right
        d = [d[0], d[2], d[1]]
    c, f_in, cout = xs[4], ws[3], ws[4]
    if f_in == 0:
        raise error("Depth of filter must not be 0")
    if c is not None and f_in is not None:
        if c % f_in:
            raise error(f"Depth of input ({c}) is not a multiple of input depth of filter "
                        f"({f_in})")
        groups = c // f_in
        if c != f_in and cout is not None and cout % groups:
            raise error(f"Depth of output ({cout}) is not a multiple of the number of groups "
                        f"({groups})")
    sizes = [_static_size(n, k, si, di, attrs["padding"], error)
             for n, k, si, di in zip(xs[1:4], ws[:3], s, d)]
    if ncdhw:
        return (xs[0], cout, *sizes)
    return (xs[0], *sizes, cout)


def _check_strides_dilations(attrs: dict[str, Any], unimplemented: bool) -> None:
    """The kernels' constructor checks: no stride or dilation on the batch or channels
    (Conv3D reports a batch or channel stride as Unimplemented, its backprops as
    InvalidArgument)."""
    c = 1 if attrs["data_format"] == "NCDHW" else 4
    s, d = attrs["strides"], attrs["dilations"]
    if s[0] != 1 or s[c] != 1:
        message = ("Current implementation does not yet support strides in the batch and "
                   "depth dimensions.")
        if unimplemented:
            raise UnimplementedError(None, None, message)
        raise ValueError(message)
    if d[0] != 1 or d[c] != 1:
        raise ValueError("Current implementation does not yet support dilations rates in the "
                         "batch and depth dimensions.")


@register_kernel("Conv3D")
def _conv3d_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    ncdhw = attrs["data_format"] == "NCDHW"
    s = _spatial(attrs["data_format"], attrs["strides"])
    d = _spatial(attrs["data_format"], attrs["dilations"])

    def conv(x: np.ndarray, w: np.ndarray) -> np.ndarray:
        _check_strides_dilations(attrs, True)
        if x.ndim != 5:
            raise ValueError("input must be 5-dimensional")
        if w.ndim != 5:
            raise ValueError("filter must be 5-dimensional")
        if w.size == 0:
            raise ValueError("filter must not have zero elements (i.e. all dimensions must be "
                             "non-zero)")
        xl = to_channels_last(x) if ncdhw else x
        if xl.shape[4] != w.shape[3]:
            raise ValueError(f"input and filter must have the same depth: {xl.shape[4]} vs "
                             f"{w.shape[3]}")
        geo = geometry(xl.shape[1:4], w.shape[:3], s, d, attrs["padding"])
        out = conv_nd(xl, w, s, d, geo)
        return to_channels_first(out) if ncdhw else out

    return conv


# -- the backprops ------------------------------------------------------------------------------
def _backprop(op_type: str, api: str, sizes: Any, second: Any, dy: Any, strides: Any,
              padding: Any, data_format: Any, dilations: Any, name: str | None) -> Tensor:
    s, pad, fmt, d = _python_attrs(api, strides, padding, data_format, dilations)
    graph = check_same_graph(sizes, second, dy)
    full = graph._op_name(name, op_type)
    is_input = op_type == "Conv3DBackpropInputV2"
    with scope_of(graph, full):
        if is_input:
            sz = hinted_input(sizes, _dtypes.int32, "input_sizes")
            check_allowed(sz._dtype, "int32, int64", "input_sizes")
            w = first_input(second, "filter")
            check_allowed(w._dtype, _FLOATS, "filter")
            g = typed_input(dy, w._dtype, op_type, "out_backprop", "filter")
            inputs = [sz, w, g]
        else:
            x = first_input(second, "input")
            check_allowed(x._dtype, _FLOATS, "input")
            sz = convert_to_tensor(sizes, dtype_hint=_dtypes.int32, name="filter_sizes")
            if sz._dtype is not _dtypes.int32:
                raise TypeError(f"Input 'filter_sizes' of '{op_type}' Op has type "
                                f"{sz._dtype.name} that does not match expected type of int32.")
            g = typed_input(dy, x._dtype, op_type, "out_backprop", "input")
            inputs = [x, sz, g]
    _check_attrs(op_type, s, pad, fmt)
    attrs: dict[str, Any] = {"T": g._dtype, "data_format": fmt, "dilations": d,
                             "padding": pad, "strides": s}
    if is_input:
        attrs["Tshape"] = sz._dtype
    # The shape functions: the shape the sizes tensor holds, of rank 5.
    if sz._shape is not None and len(sz._shape) != 1:
        raise node_error(f"Shape must be rank 1 but is rank {len(sz._shape)}", full, op_type,
                         attrs_text(attrs), inputs)
    out = constant_value_as_shape(sz)
    if out is None:
        out = (None,) * 5
    elif len(out) != 5:
        raise node_error(f"Shape must be rank 5 but is rank {len(out)}", full, op_type,
                         attrs_text(attrs), inputs)
    return make_op(graph, full, op_type, inputs, attrs, [(g._dtype, out)])._outputs[0]


def conv3d_backprop_input_v2(input_sizes: Any, filter: Any, out_backprop: Any, strides: Any,
                             padding: Any, data_format: str = "NDHWC",
                             dilations: Any = (1, 1, 1, 1, 1), name: str | None = None
                             ) -> Tensor:
    """gen_nn_ops.conv3d_backprop_input_v2: op ``Conv3DBackpropInputV2`` (Conv3D's gradient
    with respect to its input; TF1's tf.nn does not export it)."""
    return _backprop("Conv3DBackpropInputV2", "conv3d_backprop_input_v2", input_sizes, filter,
                     out_backprop, strides, padding, data_format, dilations, name)


def conv3d_backprop_filter_v2(input: Any, filter_sizes: Any, out_backprop: Any, strides: Any,
                              padding: Any, data_format: str = "NDHWC",
                              dilations: Any = (1, 1, 1, 1, 1), name: str | None = None
                              ) -> Tensor:
    """``tf.nn.conv3d_backprop_filter_v2`` (and ``tf.nn.conv3d_backprop_filter``): op
    ``Conv3DBackpropFilterV2``."""
    return _backprop("Conv3DBackpropFilterV2", "conv3d_backprop_filter_v2", filter_sizes,
                     input, out_backprop, strides, padding, data_format, dilations, name)


conv3d_backprop_filter = conv3d_backprop_filter_v2


def conv3d_transpose(value: Any = None, filter: Any = None, output_shape: Any = None,
                     strides: Any = None, padding: str = "SAME", data_format: str = "NDHWC",
                     name: str | None = None, input: Any = None, filters: Any = None,
                     dilations: Any = None) -> Tensor:
    """``tf.nn.conv3d_transpose`` (TF1): the ``Conv3DBackpropInputV2`` named
    ``conv3d_transpose``; filter [depth, height, width, output_channels, in_channels]."""
    if filter is not None and filters is not None:
        raise ValueError("Cannot specify both 'filter' and 'filters'.")
    if value is not None and input is not None:
        raise ValueError("Cannot specify both 'value' and 'input'.")
    filter = filters if filter is None else filter
    value = input if value is None else value
    with name_scope(name, "conv3d_transpose", [value, filter, output_shape]) as scope:
        fmt = "NDHWC" if data_format is None else data_format
        channel = 1 if fmt.startswith("NC") else 4
        return conv3d_backprop_input_v2(
            output_shape, filter, value, get_sequence(strides, 3, channel, "strides"),
            padding, data_format=fmt, dilations=get_sequence(dilations, 3, channel,
                                                             "dilations"), name=scope)


def _backprop_dims(label: str, in_shape: tuple[int, ...], f_shape: tuple[int, ...],
                   dy_shape: tuple[int, ...], attrs: dict[str, Any]) -> Any:
    """conv_grad_ops_3d.cc's checks, then ConvBackpropComputeDimensionsV2 (channels-last
    shapes); returns the geometry."""
    if len(in_shape) != 5:
        raise ValueError("input tensor must have 5 dimensions")
    if len(f_shape) != 5:
        raise ValueError("filter_sizes tensor must have 5 dimensions")
    if len(dy_shape) != 5:
        raise ValueError("out_backprop tensor must have 5 dimensions")
    if in_shape[4] != f_shape[3]:
        # (oneDNN's message; TF's Eigen kernels say "input and filter_sizes must have the
        # same number of channels. Got 5 for input and 4 for filter_sizes")
        raise ValueError(f"input and filter must have the same depth: {in_shape[4]} vs "
                         f"{f_shape[3]}")
    if dy_shape[4] != f_shape[4]:
        raise ValueError(f"out_backprop and filter_sizes must have the same number of channels."
                         f" Got {dy_shape[4]} for out_backprop and {f_shape[4]} for "
                         "filter_sizes")
    if in_shape[0] != dy_shape[0]:
        raise ValueError(f"{label}: input and out_backprop must have the same batch size. "
                         f"Input batch: {in_shape[0]}, outbackprop batch: {dy_shape[0]}, "
                         "batch_dim: 0")
    s = _spatial(attrs["data_format"], attrs["strides"])
    d = _spatial(attrs["data_format"], attrs["dilations"])
    geo = geometry(in_shape[1:4], f_shape[:3], s, d, attrs["padding"])
    for i, (g, n, k) in enumerate(zip(geo, in_shape[1:4], f_shape[:3])):
        if dy_shape[1 + i] != g[0]:
            raise ValueError(f"{label}: Size of out_backprop doesn't match computed: actual = "
                             f"{dy_shape[1 + i]}, computed = {g[0]} spatial_dim: {1 + i} "
                             f"input: {n} filter: {k} output: {dy_shape[1 + i]} stride: "
                             f"{s[i]} dilation: {d[i]}")
    return s, d, geo


def _last(shape: tuple[int, ...], ncdhw: bool) -> tuple[int, ...]:
    return (shape[0], *shape[2:], shape[1]) if ncdhw and len(shape) == 5 else shape


@register_kernel("Conv3DBackpropInputV2")
def _bp_input_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    ncdhw = attrs["data_format"] == "NCDHW"

    def bp_input(sizes: np.ndarray, w: np.ndarray, dy: np.ndarray) -> np.ndarray:
        _check_strides_dilations(attrs, False)
        in_shape = _last(tuple(int(v) for v in np.reshape(sizes, -1)), ncdhw)
        dyl = to_channels_last(dy) if ncdhw and dy.ndim == 5 else dy
        s, d, geo = _backprop_dims("Conv3DBackpropInputOp", in_shape, w.shape, dyl.shape,
                                   attrs)
        out = conv_nd_backprop_input(dyl, w, in_shape, s, d, geo)
        return to_channels_first(out) if ncdhw else out

    return bp_input


@register_kernel("Conv3DBackpropFilterV2")
def _bp_filter_kernel(op: Operation) -> Callable[..., Any]:
    attrs = op._attrs
    ncdhw = attrs["data_format"] == "NCDHW"

    def bp_filter(x: np.ndarray, sizes: np.ndarray, dy: np.ndarray) -> np.ndarray:
        _check_strides_dilations(attrs, False)
        f_shape = tuple(int(v) for v in np.reshape(sizes, -1))
        xl = to_channels_last(x) if ncdhw and x.ndim == 5 else x
        dyl = to_channels_last(dy) if ncdhw and dy.ndim == 5 else dy
        s, d, geo = _backprop_dims("Conv3DBackpropFilterOp", xl.shape, f_shape, dyl.shape,
                                   attrs)
        return conv_nd_backprop_filter(xl, dyl, f_shape, s, d, geo)

    return bp_filter


# -- gradients (nn_grad.py) -------------------------------------------------------------------------
def _kw(op: Operation) -> dict[str, Any]:
    a = op._attrs
    return {"strides": a["strides"], "padding": a["padding"], "data_format": a["data_format"],
            "dilations": a["dilations"]}


@RegisterGradient("Conv3D")
def _conv3d_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    x, w = op._inputs
    return [conv3d_backprop_input_v2(builders.shape_of(x), w, grad, **_kw(op)),
            conv3d_backprop_filter_v2(x, builders.shape_of(w), grad, **_kw(op))]


@RegisterGradient("Conv3DBackpropInputV2")
def _conv3d_bp_input_grad(op: Operation, grad: Tensor) -> list[Any]:
    _, w, dy = op._inputs
    return [None, conv3d_backprop_filter_v2(grad, builders.shape_of(w), dy, **_kw(op)),
            conv3d(grad, w, **_kw(op))]


@RegisterGradient("Conv3DBackpropFilterV2")
def _conv3d_bp_filter_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, _, dy = op._inputs
    return [conv3d_backprop_input_v2(builders.shape_of(x), grad, dy, **_kw(op)), None,
            conv3d(x, grad, **_kw(op))]


builders.register(globals(), [*__all__, "conv3d_exact"])
