"""``tf.layers.Conv1D``, ``Conv2D``, ``SeparableConv2D``, ``Conv2DTranspose`` and their
functions (tf-keras' ``legacy_tf_layers/convolutional.py`` over ``layers/convolutional``).

Kernels are HWIO for Conv2D and (h, w, filters, in_channels) for Conv2DTranspose, as TF's;
channels_first runs the NCHW form of the ops. conv2d + bias + relu is fused by the executor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from varstore import nn
from varstore.framework.constant_op import convert_to_tensor
from varstore.layers.base import InputSpec, Layer, static_shape
from varstore.layers.utils import (
    deconv_output_length,
    normalize_data_format,
    normalize_padding,
    normalize_tuple,
    pair,
    tf_format,
)
from varstore.ops import array_ops, array_stack_ops, nn_conv_ops, nn_depthwise_ops
from varstore.ops import init_ops as initializers

__all__ = [
    "Conv1D",
    "Conv2D",
    "Conv2DTranspose",
    "SeparableConv2D",
    "conv1d",
    "conv2d",
    "conv2d_transpose",
    "separable_conv2d",
]


class Conv2D(Layer):
    """2-D convolution: ``activation(conv2d(inputs, kernel) + bias)``."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1),
                 padding: str = "valid", data_format: str = "channels_last",
                 dilation_rate: Any = (1, 1), activation: Callable[..., Any] | None = None,
                 use_bias: bool = True, kernel_initializer: Any = None,
                 bias_initializer: Any = None, kernel_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None,
                 trainable: bool = True, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        if isinstance(filters, bool) or not isinstance(filters, int) or filters <= 0:
            raise ValueError(f"Invalid value for argument `filters`. Expected a strictly "
                             f"positive value. Received filters={filters}.")
        # tf-keras' Conv.__init__ order: kernel_size, strides, padding, data_format,
        # dilation_rate, then _validate_init.
        self.filters = filters
        self.kernel_size: tuple[int, ...] = pair(kernel_size, "kernel_size")
        self.strides: tuple[int, ...] = pair(strides, "strides", allow_zero=True)
        self.padding = normalize_padding(padding)
        self.data_format = normalize_data_format(data_format)
        self.dilation_rate: tuple[int, ...] = pair(dilation_rate, "dilation_rate")
        if not all(self.strides):
            raise ValueError(f"The argument `strides` cannot contains 0(s). Received: "
                             f"{self.strides}")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate "
                             f"> 1`. Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")
        self.activation = activation
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = (initializers.zeros_initializer() if bias_initializer is None
                                 else bias_initializer)
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint
        self.input_spec = InputSpec(min_ndim=4)
        self.kernel: Any = None
        self.bias: Any = None

    _what = ""  # Conv2DTranspose names itself in the channel message

    @property
    def _channel_axis(self) -> int:
        return -3 if self.data_format == "channels_first" else -1

    def _kernel_shape(self, channels: int) -> list[int]:
        return [*self.kernel_size, channels, self.filters]

    def build(self, input_shape: Any) -> None:
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(f"The channel dimension of the inputs{self._what} should be "
                             f"defined. The input_shape received is {tuple(input_shape)}, "
                             f"where axis {self._channel_axis} (0-based) is the channel "
                             "dimension, which found to be `None`.")
        self.input_spec = InputSpec(min_ndim=4, axes={self._channel_axis: int(channels)})
        self.kernel = self.add_weight("kernel", self._kernel_shape(int(channels)),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.filters],
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def _finish(self, out: Any) -> Any:
        if self.use_bias:
            out = nn.bias_add(out, self.bias, data_format=tf_format(self.data_format))
        if self.activation is not None:
            out = self.activation(out)
        return out

    def call(self, inputs: Any) -> Any:
        out = nn.conv2d(inputs, self.kernel, strides=list(self.strides),
                        padding=self.padding.upper(), dilations=list(self.dilation_rate),
                        data_format=tf_format(self.data_format))
        return self._finish(out)


class Conv2DTranspose(Conv2D):
    """The transpose of Conv2D (``Conv2DBackpropInput``): output height
    ``h * stride`` (same) or ``h * stride + max(k - stride, 0)`` (valid)."""

    _what = " to `Conv2DTranspose`"

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1),
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

    def _kernel_shape(self, channels: int) -> list[int]:
        return [*self.kernel_size, self.filters, channels]

    def build(self, input_shape: Any) -> None:
        if len(input_shape) != 4:
            raise ValueError(f"Inputs should have rank 4. Received input_shape="
                             f"{tuple(input_shape)}")
        super().build(input_shape)
        self.input_spec = InputSpec(ndim=4, axes=self.input_spec.axes
                                    if self.input_spec is not None else {})

    def _output_dims(self, h: Any, w: Any) -> tuple[Any, Any]:
        return (deconv_output_length(h, self.kernel_size[0], self.padding, self.strides[0]),
                deconv_output_length(w, self.kernel_size[1], self.padding, self.strides[1]))

    def call(self, inputs: Any) -> Any:
        x = convert_to_tensor(inputs)
        dyn = array_ops.shape(x)
        batch = dyn[0]
        h_axis, w_axis = (2, 3) if self.data_format == "channels_first" else (1, 2)
        shape = static_shape(x)
        assert shape is not None
        height = shape[h_axis] if shape[h_axis] is not None else dyn[h_axis]
        width = shape[w_axis] if shape[w_axis] is not None else dyn[w_axis]
        out_h, out_w = self._output_dims(height, width)
        dims = ((batch, self.filters, out_h, out_w) if self.data_format == "channels_first"
                else (batch, out_h, out_w, self.filters))
        output_shape = array_stack_ops.stack(list(dims))
        # tf-keras' backend.conv2d_transpose tests `output_shape[0] is None` on the stacked
        # tensor: a StridedSlice that TF's graph keeps, unused
        _ = output_shape[0]
        out = nn_conv_ops.conv2d_transpose(
            x, self.kernel, output_shape, strides=list(self.strides),
            padding=self.padding.upper(), data_format=tf_format(self.data_format))
        # The static shape as Keras' compute_output_shape gives it (the stacked output
        # shape holds tensors, so the op alone cannot know it).
        sh, sw = self._output_dims(shape[h_axis], shape[w_axis])
        static = ((shape[0], self.filters, sh, sw) if self.data_format == "channels_first"
                  else (shape[0], sh, sw, self.filters))
        out.set_shape(list(static))
        return self._finish(out)


def conv2d(inputs: Any, filters: int, kernel_size: Any, strides: Any = (1, 1),
           padding: str = "valid", data_format: str = "channels_last",
           dilation_rate: Any = (1, 1), activation: Callable[..., Any] | None = None,
           use_bias: bool = True, kernel_initializer: Any = None, bias_initializer: Any = None,
           kernel_regularizer: Any = None, bias_regularizer: Any = None,
           activity_regularizer: Any = None, kernel_constraint: Any = None,
           bias_constraint: Any = None, trainable: bool = True, name: str | None = None,
           reuse: Any = None) -> Any:
    """``tf.layers.conv2d``: a Conv2D layer made and applied once."""
    layer = Conv2D(filters, kernel_size, strides=strides, padding=padding,
                   data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                   use_bias=use_bias, kernel_initializer=kernel_initializer,
                   bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                   bias_regularizer=bias_regularizer,
                   activity_regularizer=activity_regularizer,
                   kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                   trainable=trainable, name=name, _scope=name, _reuse=reuse)
    return layer(inputs)


def conv2d_transpose(inputs: Any, filters: int, kernel_size: Any, strides: Any = (1, 1),
                     padding: str = "valid", data_format: str = "channels_last",
                     activation: Callable[..., Any] | None = None, use_bias: bool = True,
                     kernel_initializer: Any = None, bias_initializer: Any = None,
                     kernel_regularizer: Any = None, bias_regularizer: Any = None,
                     activity_regularizer: Any = None, kernel_constraint: Any = None,
                     bias_constraint: Any = None, trainable: bool = True,
                     name: str | None = None, reuse: Any = None) -> Any:
    """``tf.layers.conv2d_transpose``: a Conv2DTranspose layer made and applied once."""
    layer = Conv2DTranspose(filters, kernel_size, strides=strides, padding=padding,
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


def _single(value: Any, arg: str) -> int:
    got = normalize_tuple(value, 1, arg)
    return int(got[0])


class Conv1D(Conv2D):
    """1-D convolution of (batch, steps, channels): kernel [k, in, filters]; the Conv2D
    named ``Conv1D`` between ExpandDims and Squeeze, as Keras' nn.convolution builds it."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1,
                 padding: str = "valid", data_format: str = "channels_last",
                 dilation_rate: Any = 1, activation: Callable[..., Any] | None = None,
                 use_bias: bool = True, kernel_initializer: Any = None,
                 bias_initializer: Any = None, kernel_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None,
                 trainable: bool = True, name: str | None = None, **kwargs: Any) -> None:
        k, st, d = (_single(kernel_size, "kernel_size"), _single(strides, "strides"),
                    _single(dilation_rate, "dilation_rate"))
        super().__init__(filters, (k, k), strides=(st, st), padding=padding,
                         data_format=data_format, dilation_rate=(d, d),
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         trainable=trainable, name=name, **kwargs)
        self.kernel_size = (k,)
        self.strides = (st,)
        self.dilation_rate = (d,)
        self.input_spec = InputSpec(min_ndim=3)

    @property
    def _channel_axis(self) -> int:
        return -2 if self.data_format == "channels_first" else -1

    def build(self, input_shape: Any) -> None:
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=3, axes=self.input_spec.axes
                                    if self.input_spec is not None else {})

    def call(self, inputs: Any) -> Any:
        out = nn_depthwise_ops.conv1d(inputs, self.kernel, stride=self.strides[0],
                                      padding=self.padding.upper(),
                                      data_format="NCW" if self.data_format ==
                                      "channels_first" else "NWC",
                                      dilations=self.dilation_rate[0], name="Conv1D")
        return self._finish(out)


class SeparableConv2D(Conv2D):
    """Depthwise then 1x1 convolution: ``depthwise_kernel`` [h, w, in, depth_multiplier],
    ``pointwise_kernel`` [1, 1, in * depth_multiplier, filters], ``bias``."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1),
                 padding: str = "valid", data_format: str = "channels_last",
                 dilation_rate: Any = (1, 1), depth_multiplier: int = 1,
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
        self.depth_multiplier = int(depth_multiplier)
        self.depthwise_initializer = depthwise_initializer
        self.pointwise_initializer = pointwise_initializer
        self.depthwise_regularizer = depthwise_regularizer
        self.pointwise_regularizer = pointwise_regularizer
        self.depthwise_constraint = depthwise_constraint
        self.pointwise_constraint = pointwise_constraint
        self.depthwise_kernel: Any = None
        self.pointwise_kernel: Any = None

    def build(self, input_shape: Any) -> None:
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found "
                             "`None`.")
        channels = int(channels)
        self.input_spec = InputSpec(ndim=4, axes={self._channel_axis: channels})
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel", [*self.kernel_size, channels, self.depth_multiplier],
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.pointwise_kernel = self.add_weight(
            "pointwise_kernel", [1, 1, channels * self.depth_multiplier, self.filters],
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.filters],
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def call(self, inputs: Any) -> Any:
        fmt = tf_format(self.data_format)
        strides = ([1, *self.strides, 1] if fmt == "NHWC" else [1, 1, *self.strides])
        out = nn_depthwise_ops.separable_conv2d(
            inputs, self.depthwise_kernel, self.pointwise_kernel, strides=strides,
            padding=self.padding.upper(), rate=list(self.dilation_rate), data_format=fmt)
        return self._finish(out)


def conv1d(inputs: Any, filters: int, kernel_size: Any, strides: Any = 1,
           padding: str = "valid", data_format: str = "channels_last", dilation_rate: Any = 1,
           activation: Callable[..., Any] | None = None, use_bias: bool = True,
           kernel_initializer: Any = None, bias_initializer: Any = None,
           kernel_regularizer: Any = None, bias_regularizer: Any = None,
           activity_regularizer: Any = None, kernel_constraint: Any = None,
           bias_constraint: Any = None, trainable: bool = True, name: str | None = None,
           reuse: Any = None) -> Any:
    """``tf.layers.conv1d``: a Conv1D layer made and applied once."""
    layer = Conv1D(filters, kernel_size, strides=strides, padding=padding,
                   data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                   use_bias=use_bias, kernel_initializer=kernel_initializer,
                   bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                   bias_regularizer=bias_regularizer,
                   activity_regularizer=activity_regularizer,
                   kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                   trainable=trainable, name=name, _scope=name, _reuse=reuse)
    return layer(inputs)


def separable_conv2d(inputs: Any, filters: int, kernel_size: Any, strides: Any = (1, 1),
                     padding: str = "valid", data_format: str = "channels_last",
                     dilation_rate: Any = (1, 1), depth_multiplier: int = 1,
                     activation: Callable[..., Any] | None = None, use_bias: bool = True,
                     depthwise_initializer: Any = None, pointwise_initializer: Any = None,
                     bias_initializer: Any = None, depthwise_regularizer: Any = None,
                     pointwise_regularizer: Any = None, bias_regularizer: Any = None,
                     activity_regularizer: Any = None, depthwise_constraint: Any = None,
                     pointwise_constraint: Any = None, bias_constraint: Any = None,
                     trainable: bool = True, name: str | None = None, reuse: Any = None
                     ) -> Any:
    """``tf.layers.separable_conv2d``: a SeparableConv2D layer made and applied once."""
    layer = SeparableConv2D(filters, kernel_size, strides=strides, padding=padding,
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
