"""tf-keras' Conv3D (op ``Conv3D``) and the 3-D pools (MaxPool3D / AvgPool3D; channels_first
transposed around them, as tf-keras does); the convolution itself is layers/base_conv.py's,
shared with tf.layers' Conv3D (one class in TF)."""

from __future__ import annotations

from typing import Any

from varstore.keras.layers.convolutional import Conv2D
from varstore.keras.layers.pooling import KerasPooling
from varstore.layers import base_conv, base_pooling
from varstore.ops import nn_pool3d_ops

__all__ = ["AveragePooling3D", "Conv3D", "MaxPooling3D"]


class Conv3D(base_conv.Conv3D, Conv2D):
    """``activation(conv3d(inputs, kernel) + bias)``, kernel [d, h, w, in, filters]."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1, 1),
                 padding: str = "valid", data_format: str | None = None,
                 dilation_rate: Any = (1, 1, 1), **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)


class _Pooling3D(base_pooling.Pooling3D, KerasPooling):
    def __init__(self, pool_size: Any = (2, 2, 2), strides: Any = None,
                 padding: str = "valid", data_format: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class MaxPooling3D(_Pooling3D):
    _pool_function = staticmethod(nn_pool3d_ops.max_pool3d)


class AveragePooling3D(_Pooling3D):
    _pool_function = staticmethod(nn_pool3d_ops.avg_pool3d)
