"""TF1's functional layers (``tf.layers.conv2d``, ``tf.layers.dense``) on get_variable.

Each call opens the layer's variable scope as TF1's legacy layers do: ``name`` (or a unique
``conv2d``, ``conv2d_1`` ... from the variable-scope counters), creates ``<scope>/kernel`` and
``<scope>/bias`` through get_variable, and names its ops in the scope's original name scope
(``conv2d/Conv2D``, ``conv2d/BiasAdd``, ``conv2d/Relu``). conv2d + bias + activation=relu runs
as one fused kernel pass.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from varstore import nn
from varstore.framework.graph import get_default_graph
from varstore.ops import init_ops as initializers
from varstore.ops import math_matmul_ops
from varstore.variable_scope import get_variable, variable_scope

__all__ = ["conv2d", "dense"]


def _normalize_tuple(value: Any, n: int, name: str, allow_zero: bool = False
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


def _pair(value: Any, arg: str, allow_zero: bool = False) -> tuple[int, int]:
    """A 2-tuple of ints as tf-keras' Conv2D builds it (varstore takes ints only)."""
    pair = _normalize_tuple(value, 2, arg, allow_zero)
    for item in pair:
        if isinstance(item, bool) or not isinstance(item, (int, np.integer)):
            raise TypeError("Dimension value must be integer or None or have an __index__ "
                            f"method, got value '{item!r}' with type '{type(item)}'")
    return int(pair[0]), int(pair[1])


def _static_shape(inputs: Any) -> tuple[int, ...]:
    """The shape of a Tensor, Variable, array or nested list, without creating an op."""
    shape = getattr(inputs, "shape", None)
    if shape is None:
        return tuple(np.shape(inputs))
    if hasattr(shape, "as_list"):
        return tuple(shape.as_list())
    return tuple(shape)


def _keras_name(name: str | None, base: str) -> str:
    """The layer's own name, used in its error messages: ``name``, or Keras' per-graph unique
    ``<base>_<n>`` (n from 1; every unnamed layer takes one, failed or not)."""
    if name is not None:
        return name
    graph = get_default_graph()
    uids: dict[str, int] = graph.__dict__.setdefault("_keras_uids", {})
    uids[base] = uids.get(base, 0) + 1
    return f"{base}_{uids[base]}"


def _float_dtype(inputs: Any) -> Any:
    """The dtype a layer builds in: its input's, when that is a floating type (TF's legacy
    layers take it from the input), else float32."""
    from varstore import dtypes

    dtype = getattr(inputs, "dtype", None)
    if dtype is None:
        arr = np.asarray(inputs)
        dtype = arr.dtype if arr.dtype.kind == "f" and isinstance(inputs, np.ndarray) \
            else np.float32
    try:
        dt = dtypes.as_dtype(dtype)
    except TypeError:
        return dtypes.float32
    return dt if dt.is_floating else dtypes.float32


def _layer_scope(name: str | None, default: str, reuse: Any) -> Any:
    """The variable scope of a legacy layer: ``name`` (or a unique ``default``)."""
    if name is not None:
        with variable_scope(name, reuse=reuse) as scope:
            return scope
    if reuse:
        with variable_scope(default, reuse=reuse) as scope:
            return scope
    with variable_scope(None, default_name=default) as scope:
        return scope


def _in_scope(scope: Any, reuse: Any, build: Callable[[], Any]) -> Any:
    graph = get_default_graph()
    with variable_scope(scope, reuse=reuse, auxiliary_name_scope=False), \
            graph.name_scope(scope.original_name_scope):
        return build()


def conv2d(
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any = (1, 1),
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate: Any = (1, 1),
    activation: Callable[..., Any] | None = None,
    use_bias: bool = True,
    kernel_initializer: Any = None,
    bias_initializer: Any = None,
    kernel_regularizer: Any = None,
    bias_regularizer: Any = None,
    activity_regularizer: Any = None,
    kernel_constraint: Any = None,
    bias_constraint: Any = None,
    trainable: bool = True,
    name: str | None = None,
    reuse: Any = None,
) -> Any:
    """2-D convolution layer (NHWC): ``tf.layers.conv2d``."""
    if isinstance(filters, bool) or not isinstance(filters, int) or filters <= 0:
        raise ValueError(f"Invalid value for argument `filters`. Expected a strictly positive "
                         f"value. Received filters={filters}.")
    # tf-keras' Conv.__init__ order: kernel_size, strides, padding, data_format,
    # dilation_rate, then _validate_init.
    kh, kw = _pair(kernel_size, "kernel_size")
    sh, sw = _pair(strides, "strides", allow_zero=True)
    if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
        shown = padding.lower() if isinstance(padding, str) else padding
        raise ValueError('The `padding` argument must be a list/tuple or one of "valid", '
                         f'"same" (or "causal", only for `Conv1D). Received: {shown}')
    if isinstance(data_format, str) and data_format.lower() not in ("channels_first",
                                                                      "channels_last"):
        raise ValueError('The `data_format` argument must be one of "channels_first", '
                         f'"channels_last". Received: {data_format}')
    dh, dw = _pair(dilation_rate, "dilation_rate")
    if not (sh and sw):
        raise ValueError(f"The argument `strides` cannot contains 0(s). Received: {(sh, sw)}")
    if max(sh, sw) > 1 and max(dh, dw) > 1:
        raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                         f"Received: strides={(sh, sw)} and dilation_rate={(dh, dw)}")
    if not isinstance(data_format, str) or data_format.lower() != "channels_last":
        raise ValueError("varstore's layers.conv2d supports data_format='channels_last' only; "
                         f"got data_format={data_format!r}")
    shape = _static_shape(inputs)
    if bias_initializer is None:
        bias_initializer = initializers.zeros_initializer()
    layer_name = _keras_name(name, "conv2d")
    scope = _layer_scope(name, "conv2d", reuse)  # taken before the input check, as in TF
    if len(shape) != 4:
        raise ValueError(f"Input 0 of layer \"{layer_name}\" is incompatible "
                         f"with the layer: expected min_ndim=4, found ndim={len(shape)}. Full "
                         f"shape received: {shape}")
    cin = int(shape[-1])
    dtype = _float_dtype(inputs)

    def build() -> Any:
        kernel = get_variable("kernel", [kh, kw, cin, filters], dtype=dtype,
                              initializer=kernel_initializer, regularizer=kernel_regularizer,
                              trainable=trainable, constraint=kernel_constraint)
        bias = None
        if use_bias:
            bias = get_variable("bias", [filters], dtype=dtype, initializer=bias_initializer,
                                regularizer=bias_regularizer, trainable=trainable,
                                constraint=bias_constraint)
        out = nn.conv2d(inputs, kernel, strides=[1, sh, sw, 1], padding=padding.upper(),
                        dilations=[1, dh, dw, 1])
        if bias is not None:
            out = nn.bias_add(out, bias)
        if activation is not None:
            out = activation(out)
        return out

    return _in_scope(scope, reuse, build)


def dense(
    inputs: Any,
    units: int,
    activation: Callable[..., Any] | None = None,
    use_bias: bool = True,
    kernel_initializer: Any = None,
    bias_initializer: Any = None,
    kernel_regularizer: Any = None,
    bias_regularizer: Any = None,
    activity_regularizer: Any = None,
    kernel_constraint: Any = None,
    bias_constraint: Any = None,
    trainable: bool = True,
    name: str | None = None,
    reuse: Any = None,
) -> Any:
    """Densely-connected layer on a rank-2 input: ``tf.layers.dense``."""
    if isinstance(units, bool) or not isinstance(units, int) or units < 0:
        raise ValueError("Received an invalid value for `units`, expected a positive "
                         f"integer. Received: units={units}")
    shape = _static_shape(inputs)
    if bias_initializer is None:
        bias_initializer = initializers.zeros_initializer()
    layer_name = _keras_name(name, "dense")
    scope = _layer_scope(name, "dense", reuse)  # taken before the input check, as in TF
    if len(shape) < 2:
        raise ValueError(f"Input 0 of layer \"{layer_name}\" is incompatible with the layer: "
                         f"expected min_ndim=2, found ndim={len(shape)}. Full shape received: "
                         f"{shape}")
    dtype = _float_dtype(inputs)

    def build() -> Any:
        kernel = get_variable("kernel", [int(shape[-1]), units], dtype=dtype,
                              initializer=kernel_initializer, regularizer=kernel_regularizer,
                              trainable=trainable, constraint=kernel_constraint)
        if len(shape) == 2:
            out = math_matmul_ops.matmul(inputs, kernel)
        else:
            # Rank > 2: TF's Dense contracts the last axis with tensordot ("Tensordot").
            out = math_matmul_ops.tensordot(inputs, kernel, [[len(shape) - 1], [0]])
        if use_bias:
            bias = get_variable("bias", [units], dtype=dtype, initializer=bias_initializer,
                                regularizer=bias_regularizer, trainable=trainable,
                                constraint=bias_constraint)
            out = nn.bias_add(out, bias)
        if activation is not None:
            out = activation(out)
        return out

    return _in_scope(scope, reuse, build)
