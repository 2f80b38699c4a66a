"""tf-keras' DepthwiseConv2D (backend.depthwise_conv2d: DepthwiseConv2dNative named
``depthwise``) and SeparableConv2D (tf.nn.separable_conv2d: ``separable_conv2d/depthwise``
then the 1x1 Conv2D), channels_last."""

from __future__ import annotations

from typing import Any

from varstore.keras import constraints, initializers, regularizers
from varstore.keras.engine.input_spec import InputSpec
from varstore.keras.layers.convolutional import Conv2D
from varstore.keras.utils.generic_utils import serialize_optional as _ser
from varstore.layers import base_conv
from varstore.ops import nn_depthwise_ops

__all__ = ["DepthwiseConv2D", "SeparableConv2D"]


class DepthwiseConv2D(Conv2D):
    _what = " to `DepthwiseConv`"
    def __init__(self, kernel_size: Any, strides: Any = (1, 1), padding: str = "valid",
                 depth_multiplier: int = 1, data_format: str | None = None,
                 dilation_rate: Any = (1, 1), activation: Any = None, use_bias: bool = True,
                 depthwise_initializer: Any = "glorot_uniform",
                 bias_initializer: Any = "zeros", depthwise_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None,
                 depthwise_constraint: Any = None, bias_constraint: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(filters=None, kernel_size=kernel_size,  # type: ignore[arg-type]
                         strides=strides, padding=padding, data_format=data_format,
                         dilation_rate=dilation_rate, activation=activation,
                         use_bias=use_bias, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         bias_constraint=bias_constraint, bias_initializer=bias_initializer,
                         **kwargs)
        if self.data_format == "channels_first":
            raise NotImplementedError("varstore lacks tf.keras.layers.DepthwiseConv2D("
                                      "data_format='channels_first')")
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def build(self, input_shape: Any) -> None:
        if len(input_shape) != 4:
            raise ValueError(f"Inputs to `DepthwiseConv` should have rank 4. Received "
                             f"input_shape={input_shape}.")
        channels = self._channels(input_shape)
        self.depthwise_kernel = self.add_weight(
            shape=(*self.kernel_size, channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, name="depthwise_kernel",
            regularizer=self.depthwise_regularizer, constraint=self.depthwise_constraint)
        self._add_bias(channels * self.depth_multiplier)
        self.input_spec = InputSpec(min_ndim=4, axes={-1: channels})
        self.built = True

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        for key in ("filters", "kernel_initializer", "kernel_regularizer", "kernel_constraint"):
            config.pop(key)
        return {**config, "depth_multiplier": self.depth_multiplier,
                "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
                "depthwise_regularizer": _ser(regularizers, self.depthwise_regularizer),
                "depthwise_constraint": _ser(constraints, self.depthwise_constraint)}

    def call(self, inputs: Any) -> Any:
        out = nn_depthwise_ops.depthwise_conv2d(
            inputs, self.depthwise_kernel, strides=[1, *self.strides, 1],
            padding=self.padding.upper(), dilations=list(self.dilation_rate),
            data_format="NHWC")
        return self._finish(out)


class SeparableConv2D(base_conv.SeparableConv, Conv2D):
    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1),
                 padding: str = "valid", data_format: str | None = None,
                 dilation_rate: Any = (1, 1), depth_multiplier: int = 1,
                 activation: Any = None, use_bias: bool = True,
                 depthwise_initializer: Any = "glorot_uniform",
                 pointwise_initializer: Any = "glorot_uniform",
                 bias_initializer: Any = "zeros", depthwise_regularizer: Any = None,
                 pointwise_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, depthwise_constraint: Any = None,
                 pointwise_constraint: Any = None, bias_constraint: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         bias_constraint=bias_constraint, **kwargs)
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "depth_multiplier": self.depth_multiplier,
                "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
                "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
                "depthwise_regularizer": _ser(regularizers, self.depthwise_regularizer),
                "pointwise_regularizer": _ser(regularizers, self.pointwise_regularizer),
                "depthwise_constraint": _ser(constraints, self.depthwise_constraint),
                "pointwise_constraint": _ser(constraints, self.pointwise_constraint)}
