"""``tf.layers.Conv3D``, ``Conv3DTranspose``, ``SeparableConv1D``, ``MaxPooling3D``,
``AveragePooling3D`` and their functions (tf-keras' ``legacy_tf_layers`` over
``layers/convolutional`` and ``layers/pooling``): TF's variable names (``kernel``, ``bias``,
``depthwise_kernel``, ``pointwise_kernel``), shapes, initializers, argument checks and ops.

Conv3D builds ``<scope>/Conv3D`` (tf.nn.convolution named after the class) then BiasAdd;
Conv3DTranspose computes its output size from the input's dynamic shape, as Keras' does;
SeparableConv1D runs separable_conv2d on the input with a unit height; the 3-D pools
transpose channels_first inputs to NDHWC and back, as Keras' Pooling3D does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from varstore import nn
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.layers.base import InputSpec, Layer, static_shape
from varstore.layers.utils import (
    deconv_output_length,
    int_tuple,
    normalize_data_format,
    normalize_padding,
)
from varstore.ops import (
    array_ops,
    array_stack_ops,
    array_transform_ops,
    nn_conv3d_ops,
    nn_depthwise_ops,
    nn_pool3d_ops,
)
from varstore.ops import init_ops as initializers

__all__ = [
    "AveragePooling3D",
    "Conv3D",
    "Conv3DTranspose",
    "MaxPooling3D",
    "SeparableConv1D",
    "average_pooling3d",
    "conv3d",
    "conv3d_transpose",
    "max_pooling3d",
    "separable_conv1d",
]


# -- conv_utils ------------------------------------------------------------------------------------
def _output_length(n: int | None, k: int, padding: str, stride: int, dilation: int = 1
                   ) -> int | None:
    """conv_utils.conv_output_length."""
    if n is None:
        return None
    k = k + (k - 1) * (dilation - 1)
    out = n if padding in ("same", "causal") else n - k + 1
    return (out + stride - 1) // stride


def _check_conv(layer: Any) -> None:
    """tf-keras' Conv._validate_init."""
    if not all(layer.strides):
        raise ValueError(f"The argument `strides` cannot contains 0(s). Received: "
                         f"{layer.strides}")
    if layer.padding == "causal" and not isinstance(layer, SeparableConv1D):
        raise ValueError("Causal padding is only supported for `Conv1D`and `SeparableConv1D`.")
    if max(layer.strides) > 1 and max(layer.dilation_rate) > 1:
        raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                         f"Received: strides={layer.strides} and "
                         f"dilation_rate={layer.dilation_rate}")


def _filters(filters: Any) -> int:
    if isinstance(filters, float):
        filters = int(filters)
    if filters is not None and filters <= 0:
        raise ValueError(f"Invalid value for argument `filters`. Expected a strictly positive "
                         f"value. Received filters={filters}.")
    return int(filters)


def _channels(input_shape: Any, axis: int, what: str = "") -> int:
    channels = input_shape[axis]
    if channels is None:
        raise ValueError(f"The channel dimension of the inputs{what} should be defined. The "
                         f"input_shape received is {tuple(input_shape)}, where axis {axis} "
                         "(0-based) is the channel dimension, which found to be `None`.")
    return int(channels)


# -- Conv3D ----------------------------------------------------------------------------------------
class Conv3D(Layer):
    """3-D convolution: ``activation(conv3d(inputs, kernel) + bias)``; kernel
    [d, h, w, in, filters]."""

    _rank = 3

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1, 1),
                 padding: str = "valid", data_format: str = "channels_last",
                 dilation_rate: Any = (1, 1, 1), activation: Callable[..., Any] | None = None,
                 use_bias: bool = True, kernel_initializer: Any = None,
                 bias_initializer: Any = None, kernel_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None,
                 trainable: bool = True, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        n = self._rank
        self.filters = _filters(filters)
        self.kernel_size = int_tuple(kernel_size, n, "kernel_size")
        self.strides = int_tuple(strides, n, "strides", allow_zero=True)
        self.padding = normalize_padding(padding, allow_causal=True)
        self.data_format = normalize_data_format(data_format)
        self.dilation_rate = int_tuple(dilation_rate, n, "dilation_rate")
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = (initializers.zeros_initializer() if bias_initializer is None
                                 else bias_initializer)
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.input_spec = InputSpec(min_ndim=n + 2)
        _check_conv(self)
        self.kernel: Any = None
        self.bias: Any = None

    @property
    def _channel_axis(self) -> int:
        return 1 if self.data_format == "channels_first" else -1

    @property
    def _tf_format(self) -> str:
        return "NCDHW" if self.data_format == "channels_first" else "NDHWC"

    def build(self, input_shape: Any) -> None:
        channels = _channels(input_shape, self._channel_axis)
        self.input_spec = InputSpec(min_ndim=5, axes={self._channel_axis: channels})
        self.kernel = self.add_weight("kernel", [*self.kernel_size, channels, self.filters],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self._add_bias()
        self.built = True

    def _add_bias(self) -> None:
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.filters],
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def _output_shape(self, shape: tuple[int | None, ...]) -> list[int | None]:
        """Conv.compute_output_shape."""
        spatial = shape[2:] if self.data_format == "channels_first" else shape[1:-1]
        sizes = [_output_length(n, k, self.padding, s, d) for n, k, s, d in
                 zip(spatial, self.kernel_size, self.strides, self.dilation_rate)]
        if self.data_format == "channels_first":
            return [shape[0], self.filters, *sizes]
        return [shape[0], *sizes, self.filters]

    def _finish(self, out: Any, bias_format: str) -> Any:
        if self.use_bias:
            out = nn.bias_add(out, self.bias, data_format=bias_format)
        if self.activation is not None:
            out = self.activation(out)
        return out

    def call(self, inputs: Any) -> Any:
        with name_scope("Conv3D") as scope:
            out = nn_conv3d_ops.conv3d_exact(
                inputs, self.kernel, [1, *self.strides, 1] if self._tf_format == "NDHWC"
                else [1, 1, *self.strides], self.padding.upper(), self._tf_format,
                [1, *self.dilation_rate, 1] if self._tf_format == "NDHWC"
                else [1, 1, *self.dilation_rate], scope)
        shape = static_shape(inputs)
        if shape is not None:
            out.set_shape(self._output_shape(shape))
        return self._finish(out, self._tf_format)


class Conv3DTranspose(Conv3D):
    """The transpose of Conv3D (``Conv3DBackpropInputV2`` named ``conv3d_transpose``);
    kernel [d, h, w, filters, in]."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1, 1),
                 padding: str = "valid", data_format: str = "channels_last",
                 activation: Callable[..., Any] | None = None, use_bias: bool = True,
                 kernel_initializer: Any = None, bias_initializer: Any = None,
                 kernel_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None,
                 bias_constraint: Any = None, trainable: bool = True,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         trainable=trainable, name=name, **kwargs)

    def build(self, input_shape: Any) -> None:
        if len(input_shape) != 5:
            raise ValueError(f"Inputs should have rank 5. Received input_shape="
                             f"{tuple(input_shape)}.")
        channels = _channels(input_shape, self._channel_axis, " to `Conv3DTranspose`")
        self.input_spec = InputSpec(ndim=5, axes={self._channel_axis: channels})
        self.kernel = self.add_weight("kernel", [*self.kernel_size, self.filters, channels],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self._add_bias()
        self.built = True

    def _lengths(self, dims: list[Any]) -> list[Any]:
        return [deconv_output_length(n, k, self.padding, s)
                for n, k, s in zip(dims, self.kernel_size, self.strides)]

    def call(self, inputs: Any) -> Any:
        x = convert_to_tensor(inputs)
        dyn = array_ops.shape(x)
        first = self.data_format == "channels_first"
        axes = (2, 3, 4) if first else (1, 2, 3)
        # Keras' Conv3DTranspose takes every size from the dynamic shape
        batch, sizes = dyn[0], self._lengths([dyn[a] for a in axes])
        dims = [batch, self.filters, *sizes] if first else [batch, *sizes, self.filters]
        strides = [1, 1, *self.strides] if first else [1, *self.strides, 1]
        out = nn_conv3d_ops.conv3d_transpose(x, self.kernel, array_stack_ops.stack(dims),
                                             strides, padding=self.padding.upper(),
                                             data_format=self._tf_format)
        shape = static_shape(x)
        if shape is not None:
            static = self._lengths([shape[a] for a in axes])
            out.set_shape([shape[0], self.filters, *static] if first
                          else [shape[0], *static, self.filters])
        return self._finish(out, "NCHW" if first else "NHWC")


def conv3d(inputs: Any, filters: int, kernel_size: Any, strides: Any = (1, 1, 1),
           padding: str = "valid", data_format: str = "channels_last",
           dilation_rate: Any = (1, 1, 1), activation: Callable[..., Any] | None = None,
           use_bias: bool = True, kernel_initializer: Any = None, bias_initializer: Any = None,
           kernel_regularizer: Any = None, bias_regularizer: Any = None,
           activity_regularizer: Any = None, kernel_constraint: Any = None,
           bias_constraint: Any = None, trainable: bool = True, name: str | None = None,
           reuse: Any = None) -> Any:
    """``tf.layers.conv3d``: a Conv3D layer made and applied once."""
    layer = Conv3D(filters, kernel_size, strides=strides, padding=padding,
                   data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                   use_bias=use_bias, kernel_initializer=kernel_initializer,
                   bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                   bias_regularizer=bias_regularizer,
                   activity_regularizer=activity_regularizer,
                   kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                   trainable=trainable, name=name, _scope=name, _reuse=reuse)
    return layer(inputs)


def conv3d_transpose(inputs: Any, filters: int, kernel_size: Any, strides: Any = (1, 1, 1),
                     padding: str = "valid", data_format: str = "channels_last",
                     activation: Callable[..., Any] | None = None, use_bias: bool = True,
                     kernel_initializer: Any = None, bias_initializer: Any = None,
                     kernel_regularizer: Any = None, bias_regularizer: Any = None,
                     activity_regularizer: Any = None, kernel_constraint: Any = None,
                     bias_constraint: Any = None, trainable: bool = True,
                     name: str | None = None, reuse: Any = None) -> Any:
    """``tf.layers.conv3d_transpose``: a Conv3DTranspose layer made and applied once."""
    layer = Conv3DTranspose(filters, kernel_size, strides=strides, padding=padding,
                            data_format=data_format, activation=activation, use_bias=use_bias,
                            kernel_initializer=kernel_initializer,
                            bias_initializer=bias_initializer,
                            kernel_regularizer=kernel_regularizer,
                            bias_regularizer=bias_regularizer,
                            activity_regularizer=activity_regularizer,
                            kernel_constraint=kernel_constraint,
                            bias_constraint=bias_constraint, trainable=trainable, name=name,
                            _scope=name, _reuse=reuse)
    return layer(inputs)


# -- SeparableConv1D -------------------------------------------------------------------------------
class SeparableConv1D(Conv3D):
    """Depthwise then pointwise 1-D convolution of (batch, steps, channels):
    ``depthwise_kernel`` [k, in, depth_multiplier], ``pointwise_kernel``
    [1, in * depth_multiplier, filters], ``bias``; padding 'valid', 'same' or 'causal'."""

    _rank = 1

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1,
                 padding: str = "valid", data_format: str = "channels_last",
                 dilation_rate: Any = 1, depth_multiplier: int = 1,
                 activation: Callable[..., Any] | None = None, use_bias: bool = True,
                 depthwise_initializer: Any = None, pointwise_initializer: Any = None,
                 bias_initializer: Any = None, depthwise_regularizer: Any = None,
                 pointwise_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, depthwise_constraint: Any = None,
                 pointwise_constraint: Any = None, bias_constraint: Any = None,
                 trainable: bool = True, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         bias_constraint=bias_constraint, trainable=trainable, name=name,
                         **kwargs)
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = depthwise_initializer
        self.pointwise_initializer = pointwise_initializer
        self.depthwise_regularizer = depthwise_regularizer
        self.pointwise_regularizer = pointwise_regularizer
        self.depthwise_constraint = depthwise_constraint
        self.pointwise_constraint = pointwise_constraint
        self.depthwise_kernel: Any = None
        self.pointwise_kernel: Any = None

    def build(self, input_shape: Any) -> None:
        axis = self._channel_axis
        channels = input_shape[axis]
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. The "
                             f"input_shape received is {tuple(input_shape)}, where axis {axis} "
                             "(0-based) is the channel dimension, which found to be `None`.")
        channels = int(channels)
        self.input_spec = InputSpec(ndim=3, axes={axis: channels})
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel", [*self.kernel_size, channels, self.depth_multiplier],
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.pointwise_kernel = self.add_weight(
            "pointwise_kernel", [1, self.depth_multiplier * channels, self.filters],
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)
        self._add_bias()
        self.built = True

    def call(self, inputs: Any) -> Any:
        x = inputs
        if self.padding == "causal":
            # Conv._compute_causal_padding: the whole dilated window before each step
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            pads = [[0, 0], [left, 0], [0, 0]] if self.data_format == "channels_last" \
                else [[0, 0], [0, 0], [left, 0]]
            x = array_transform_ops.pad(x, pads)
        first = self.data_format == "channels_first"
        spatial = 2 if first else 1
        strides = [1, 1, self.strides[0], self.strides[0]] if first \
            else [1, self.strides[0], self.strides[0], 1]
        x = array_ops.expand_dims(x, spatial)
        dw = array_ops.expand_dims(self.depthwise_kernel, 0)
        pw = array_ops.expand_dims(self.pointwise_kernel, 0)
        out = nn_depthwise_ops.separable_conv2d(
            x, dw, pw, strides=strides,
            padding="VALID" if self.padding == "causal" else self.padding.upper(),
            rate=[1, self.dilation_rate[0]], data_format="NCHW" if first else "NHWC")
        if self.use_bias:
            out = nn.bias_add(out, self.bias, data_format="NCHW" if first else "NHWC")
        out = array_ops.squeeze(out, [spatial])
        if self.activation is not None:
            out = self.activation(out)
        return out


def separable_conv1d(inputs: Any, filters: int, kernel_size: Any, strides: Any = 1,
                     padding: str = "valid", data_format: str = "channels_last",
                     dilation_rate: Any = 1, depth_multiplier: int = 1,
                     activation: Callable[..., Any] | None = None, use_bias: bool = True,
                     depthwise_initializer: Any = None, pointwise_initializer: Any = None,
                     bias_initializer: Any = None, depthwise_regularizer: Any = None,
                     pointwise_regularizer: Any = None, bias_regularizer: Any = None,
                     activity_regularizer: Any = None, depthwise_constraint: Any = None,
                     pointwise_constraint: Any = None, bias_constraint: Any = None,
                     trainable: bool = True, name: str | None = None, reuse: Any = None
                     ) -> Any:
    """``tf.layers.separable_conv1d``: a SeparableConv1D layer made and applied once."""
    layer = SeparableConv1D(filters, kernel_size, strides=strides, padding=padding,
                            data_format=data_format, dilation_rate=dilation_rate,
                            depth_multiplier=depth_multiplier, activation=activation,
                            use_bias=use_bias, depthwise_initializer=depthwise_initializer,
                            pointwise_initializer=pointwise_initializer,
                            bias_initializer=bias_initializer,
                            depthwise_regularizer=depthwise_regularizer,
                            pointwise_regularizer=pointwise_regularizer,
                            bias_regularizer=bias_regularizer,
                            activity_regularizer=activity_regularizer,
                            depthwise_constraint=depthwise_constraint,
                            pointwise_constraint=pointwise_constraint,
                            bias_constraint=bias_constraint, trainable=trainable, name=name,
                            _scope=name, _reuse=reuse)
    return layer(inputs)


# -- the 3-D pools ---------------------------------------------------------------------------------
class _Pooling3D(Layer):
    _pool_function = staticmethod(nn_pool3d_ops.max_pool3d)

    def __init__(self, pool_size: Any, strides: Any, padding: str = "valid",
                 data_format: str = "channels_last", name: str | None = None,
                 **kwargs: Any) -> None:
        if strides is None:
            raise ValueError("Argument `strides` must not be None.")
        super().__init__(name=name, **kwargs)
        self.pool_size = int_tuple(pool_size, 3, "pool_size")
        self.strides = int_tuple(strides, 3, "strides", allow_zero=True)
        self.padding = normalize_padding(padding, allow_causal=True)
        self.data_format = normalize_data_format(data_format)
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs: Any) -> Any:
        first = self.data_format == "channels_first"
        x = array_ops.transpose(inputs, (0, 2, 3, 4, 1)) if first else inputs
        # (Keras transposes: "TF does not support channels_first with 3D pooling")
        out = type(self)._pool_function(x, ksize=[1, *self.pool_size, 1],
                                        strides=[1, *self.strides, 1],
                                        padding=self.padding.upper())
        return array_ops.transpose(out, (0, 4, 1, 2, 3)) if first else out


class MaxPooling3D(_Pooling3D):
    """Max over each ``pool_size`` window (op MaxPool3D)."""

    _pool_function = staticmethod(nn_pool3d_ops.max_pool3d)


class AveragePooling3D(_Pooling3D):
    """Mean over each ``pool_size`` window (op AvgPool3D; SAME averages the valid ones)."""

    _pool_function = staticmethod(nn_pool3d_ops.avg_pool3d)


def max_pooling3d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                  data_format: str = "channels_last", name: str | None = None) -> Any:
    """``tf.layers.max_pooling3d``."""
    return MaxPooling3D(pool_size, strides, padding=padding, data_format=data_format,
                        name=name)(inputs)


def average_pooling3d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                      data_format: str = "channels_last", name: str | None = None) -> Any:
    """``tf.layers.average_pooling3d``."""
    return AveragePooling3D(pool_size, strides, padding=padding, data_format=data_format,
                            name=name)(inputs)
