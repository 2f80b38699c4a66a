"""``tf.layers.MaxPooling2D``, ``AveragePooling2D`` and ``max_pooling2d``,
``average_pooling2d`` (tf-keras' ``legacy_tf_layers/pooling.py``): ops ``MaxPool`` and
``AvgPool`` in the layer's scope; ``strides`` defaults to ``pool_size``."""

from __future__ import annotations

from typing import Any

from varstore.layers.base import InputSpec, Layer
from varstore.layers.utils import normalize_data_format, normalize_padding, pair, tf_format
from varstore.ops import nn_pool_ops

__all__ = ["AveragePooling2D", "MaxPooling2D", "average_pooling2d", "max_pooling2d"]


class _Pooling2D(Layer):
    _pool_function = staticmethod(nn_pool_ops.max_pool)

    def __init__(self, pool_size: Any, strides: Any = None, padding: str = "valid",
                 data_format: str = "channels_last", name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        if strides is None:
            strides = pool_size
        self.pool_size = pair(pool_size, "pool_size")
        self.strides = pair(strides, "strides", allow_zero=True)
        self.padding = normalize_padding(padding)
        self.data_format = normalize_data_format(data_format)
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs: Any) -> Any:
        if self.data_format == "channels_last":
            ksize = [1, *self.pool_size, 1]
            strides = [1, *self.strides, 1]
        else:
            ksize = [1, 1, *self.pool_size]
            strides = [1, 1, *self.strides]
        return type(self)._pool_function(inputs, ksize=ksize, strides=strides,
                                         padding=self.padding.upper(),
                                         data_format=tf_format(self.data_format))


class MaxPooling2D(_Pooling2D):
    """Max over each ``pool_size`` window."""

    _pool_function = staticmethod(nn_pool_ops.max_pool)


class AveragePooling2D(_Pooling2D):
    """Mean over each ``pool_size`` window (SAME padding averages the valid elements)."""

    _pool_function = staticmethod(nn_pool_ops.avg_pool)


def max_pooling2d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                  data_format: str = "channels_last", name: str | None = None) -> Any:
    """``tf.layers.max_pooling2d``."""
    return MaxPooling2D(pool_size, strides, padding=padding, data_format=data_format,
                        name=name)(inputs)


def average_pooling2d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                      data_format: str = "channels_last", name: str | None = None) -> Any:
    """``tf.layers.average_pooling2d``."""
    return AveragePooling2D(pool_size, strides, padding=padding, data_format=data_format,
                            name=name)(inputs)
