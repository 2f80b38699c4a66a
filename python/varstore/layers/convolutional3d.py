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
from varstore.layers import base_conv, base_pooling
from varstore.layers.base import InputSpec, Layer, apply_once
from varstore.layers.pooling import LegacyPooling
from varstore.ops import (
    array_ops,
    nn_depthwise_ops,
    nn_pool3d_ops,
)

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


# -- Conv3D ----------------------------------------------------------------------------------------
class Conv3D(base_conv.Conv3D, Layer):
    """3-D convolution: ``activation(conv3d(inputs, kernel) + bias)``; kernel
    [d, h, w, in, filters]."""

    _spec = InputSpec

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
        self._conv_args(filters, kernel_size, strides, padding,
                        data_format, dilation_rate)
        self._weight_args(activation, use_bias, kernel_initializer, bias_initializer,
                          kernel_regularizer, bias_regularizer, kernel_constraint, bias_constraint)
        self.input_spec = InputSpec(min_ndim=self._rank + 2)
        self.kernel: Any = None
        self.bias: Any = None


class Conv3DTranspose(base_conv.Conv3DTranspose, Conv3D):
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


def conv3d(inputs: Any, filters: int, kernel_size: Any, strides: Any = (1, 1, 1),
           padding: str = "valid", data_format: str = "channels_last",
           dilation_rate: Any = (1, 1, 1), activation: Callable[..., Any] | None = None,
           use_bias: bool = True, kernel_initializer: Any = None, bias_initializer: Any = None,
           kernel_regularizer: Any = None, bias_regularizer: Any = None,
           activity_regularizer: Any = None, kernel_constraint: Any = None,
           bias_constraint: Any = None, trainable: bool = True, name: str | None = None,
           reuse: Any = None) -> Any:
    """``tf.layers.conv3d``: a Conv3D layer made and applied once."""
    return apply_once(Conv3D, locals())


def conv3d_transpose(inputs: Any, filters: int, kernel_size: Any, strides: Any = (1, 1, 1),
                     padding: str = "valid", data_format: str = "channels_last",
                     activation: Callable[..., Any] | None = None, use_bias: bool = True,
                     kernel_initializer: Any = None, bias_initializer: Any = None,
                     kernel_regularizer: Any = None, bias_regularizer: Any = None,
                     activity_regularizer: Any = None, kernel_constraint: Any = None,
                     bias_constraint: Any = None, trainable: bool = True,
                     name: str | None = None, reuse: Any = None) -> Any:
    """``tf.layers.conv3d_transpose``: a Conv3DTranspose layer made and applied once."""
    return apply_once(Conv3DTranspose, locals())


# -- SeparableConv1D -------------------------------------------------------------------------------
class SeparableConv1D(base_conv.SeparableConv, Conv3D):
    """Depthwise then pointwise 1-D convolution of (batch, steps, channels):
    ``depthwise_kernel`` [k, in, depth_multiplier], ``pointwise_kernel``
    [1, in * depth_multiplier, filters], ``bias``; padding 'valid', 'same' or 'causal'."""

    _rank = 1
    _causal_ok = True

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

    def call(self, inputs: Any) -> Any:
        x = self._causal_pad(inputs)
        first = self.data_format == "channels_first"
        spatial = 2 if first else 1
        strides = [1, 1, self.strides[0], self.strides[0]] if first \
            else [1, self.strides[0], self.strides[0], 1]
        x = array_ops.expand_dims(x, spatial)
        dw = array_ops.expand_dims(self.depthwise_kernel, 0)
        pw = array_ops.expand_dims(self.pointwise_kernel, 0)
        out = nn_depthwise_ops.separable_conv2d(
            x, dw, pw, strides=strides,
            padding=self._op_padding,
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
    return apply_once(SeparableConv1D, locals())


# -- the 3-D pools ---------------------------------------------------------------------------------
class _Pooling3D(base_pooling.Pooling3D, LegacyPooling):
    _pool_function = staticmethod(nn_pool3d_ops.max_pool3d)


class MaxPooling3D(_Pooling3D):
    """Max over each ``pool_size`` window (op MaxPool3D)."""

    _pool_function = staticmethod(nn_pool3d_ops.max_pool3d)


class AveragePooling3D(_Pooling3D):
    """Mean over each ``pool_size`` window (op AvgPool3D; SAME averages the valid ones)."""

    _pool_function = staticmethod(nn_pool3d_ops.avg_pool3d)


def max_pooling3d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                  data_format: str = "channels_last", name: str | None = None) -> Any:
    """``tf.layers.max_pooling3d``."""
    return apply_once(MaxPooling3D, locals())


def average_pooling3d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                      data_format: str = "channels_last", name: str | None = None) -> Any:
    """``tf.layers.average_pooling3d``."""
    return apply_once(AveragePooling3D, locals())
