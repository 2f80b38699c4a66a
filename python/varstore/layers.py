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

from varstore import initializers, nn
from varstore.graph import get_default_graph
from varstore.variable_scope import get_variable, variable_scope

__all__ = ["conv2d", "dense"]


def _pair(value: Any, arg: str) -> tuple[int, int]:
    if isinstance(value, int) and not isinstance(value, bool):
        pair = (value, value)
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        pair = (value[0], value[1])
    else:
        raise ValueError(f"The `{arg}` argument must be a tuple of 2 integers. "
                         f"Received: {value}")
    for item in pair:
        if isinstance(item, bool) or not isinstance(item, int) or item <= 0:
            raise ValueError(f"The `{arg}` argument must be a tuple of 2 integers. Received: "
                             f"{value} including {item} that does not satisfy value > 0")
    return pair


def _static_shape(inputs: Any) -> tuple[int, ...]:
    """The shape of a Tensor, Variable, array or nested list, without creating an op."""
    shape = getattr(inputs, "shape", None)
    if shape is None:
        return tuple(np.shape(inputs))
    if hasattr(shape, "as_list"):
        return tuple(shape.as_list())
    return tuple(shape)


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
    kh, kw = _pair(kernel_size, "kernel_size")
    sh, sw = _pair(strides, "strides")
    dh, dw = _pair(dilation_rate, "dilation_rate")
    if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
        raise ValueError('The `padding` argument must be a list/tuple or one of "valid", '
                         f'"same" (or "causal", only for `Conv1D). Received: {padding}')
    if data_format != "channels_last":
        raise ValueError("varstore's layers.conv2d supports data_format='channels_last' only; "
                         f"got data_format={data_format!r}")
    shape = _static_shape(inputs)
    if bias_initializer is None:
        bias_initializer = initializers.zeros_initializer()
    scope = _layer_scope(name, "conv2d", reuse)  # taken before the input check, as in TF
    if len(shape) != 4:
        raise ValueError(f"Input 0 of layer \"{scope.name.split('/')[-1]}\" is incompatible "
                         f"with the layer: expected min_ndim=4, found ndim={len(shape)}. Full "
                         f"shape received: {shape}")
    cin = int(shape[-1])

    def build() -> Any:
        kernel = get_variable("kernel", [kh, kw, cin, filters], initializer=kernel_initializer,
                              regularizer=kernel_regularizer, trainable=trainable,
                              constraint=kernel_constraint)
        bias = None
        if use_bias:
            bias = get_variable("bias", [filters], initializer=bias_initializer,
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
    from varstore import ops

    if isinstance(units, bool) or not isinstance(units, int) or units <= 0:
        raise ValueError("Received an invalid value for `units`, expected a positive "
                         f"integer. Received: units={units}")
    shape = _static_shape(inputs)
    if len(shape) != 2:
        raise ValueError(f"layers.dense supports rank-2 inputs here; got shape {shape}")
    if bias_initializer is None:
        bias_initializer = initializers.zeros_initializer()
    scope = _layer_scope(name, "dense", reuse)

    def build() -> Any:
        kernel = get_variable("kernel", [int(shape[-1]), units],
                              initializer=kernel_initializer, regularizer=kernel_regularizer,
                              trainable=trainable, constraint=kernel_constraint)
        out = ops.matmul(inputs, kernel)
        if use_bias:
            bias = get_variable("bias", [units], initializer=bias_initializer,
                                regularizer=bias_regularizer, trainable=trainable,
                                constraint=bias_constraint)
            out = nn.bias_add(out, bias)
        if activation is not None:
            out = activation(out)
        return out

    return _in_scope(scope, reuse, build)
