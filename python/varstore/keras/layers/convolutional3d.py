"""tf-keras' Conv3D (op ``Conv3D``) and the 3-D pools (MaxPool3D / AvgPool3D; channels_first
transposed around them, as tf-keras does); the convolution itself is layers/base_conv.py's,
shared with tf.layers' Conv3D (one class in TF)."""

from __future__ import annotations

from typing import Any

from varstore.keras.engine.base_layer import Layer
from varstore.keras.engine.input_spec import InputSpec
from varstore.keras.layers.convolutional import Conv2D
from varstore.keras.layers.pooling import _data_format
from varstore.layers import base_conv
from varstore.layers.utils import int_tuple, normalize_padding
from varstore.ops import array_ops, nn_pool3d_ops

__all__ = ["AveragePooling3D", "Conv3D", "MaxPooling3D"]


class Conv3D(base_conv.Conv3D, Conv2D):
    """``activation(conv3d(inputs, kernel) + bias)``, kernel [d, h, w, in, filters]."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1, 1),
                 padding: str = "valid", data_format: str | None = None,
                 dilation_rate: Any = (1, 1, 1), **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)


class _Pooling3D(Layer):
    _pool_function = staticmethod(nn_pool3d_ops.max_pool3d)

    def __init__(self, pool_size: Any = (2, 2, 2), strides: Any = None,
                 padding: str = "valid", data_format: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if strides is None:
            strides = pool_size
        self.pool_size = int_tuple(pool_size, 3, "pool_size")
        self.strides = int_tuple(strides, 3, "strides", allow_zero=True)
        self.padding = normalize_padding(padding)
        self.data_format = _data_format(data_format)
        self.input_spec = InputSpec(ndim=5)

    def call(self, inputs: Any) -> Any:
        first = self.data_format == "channels_first"
        x = array_ops.transpose(inputs, (0, 2, 3, 4, 1)) if first else inputs
        out = type(self)._pool_function(x, ksize=[1, *self.pool_size, 1],
                                        strides=[1, *self.strides, 1],
                                        padding=self.padding.upper())
        return array_ops.transpose(out, (0, 4, 1, 2, 3)) if first else out


class MaxPooling3D(_Pooling3D):
    _pool_function = staticmethod(nn_pool3d_ops.max_pool3d)


class AveragePooling3D(_Pooling3D):
    _pool_function = staticmethod(nn_pool3d_ops.avg_pool3d)
