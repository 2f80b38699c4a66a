"""``tf.layers.MaxPooling1D``, ``AveragePooling1D``, ``MaxPooling2D``, ``AveragePooling2D``
and their functions (tf-keras' ``legacy_tf_layers/pooling.py``): ops ``MaxPool`` and
``AvgPool`` in the layer's scope (the 1-D forms between ExpandDims and Squeeze, as Keras'
Pooling1D); ``strides`` defaults to ``pool_size``."""

from __future__ import annotations

from typing import Any

from varstore.layers.base import InputSpec, Layer
from varstore.layers.utils import (
    normalize_data_format,
    normalize_padding,
    normalize_tuple,
    pair,
    tf_format,
)
from varstore.ops import array_ops, nn_pool_ops

__all__ = [
    "AveragePooling1D",
    "AveragePooling2D",
    "MaxPooling1D",
    "MaxPooling2D",
    "average_pooling1d",
    "average_pooling2d",
    "max_pooling1d",
    "max_pooling2d",
]


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


class _Pooling1D(Layer):
    _pool_function = staticmethod(nn_pool_ops.max_pool)

    def __init__(self, pool_size: Any, strides: Any = None, padding: str = "valid",
                 data_format: str = "channels_last", name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        if strides is None:
            strides = pool_size
        self.pool_size = (int(normalize_tuple(pool_size, 1, "pool_size")[0]),)
        self.strides = (int(normalize_tuple(strides, 1, "strides", allow_zero=True)[0]),)
        self.padding = normalize_padding(padding)
        self.data_format = normalize_data_format(data_format)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs: Any) -> Any:
        # Keras pools (steps, 1) windows of the input with a unit axis after the steps.
        pad_axis = 2 if self.data_format == "channels_last" else 3
        x = array_ops.expand_dims(inputs, pad_axis)
        if self.data_format == "channels_last":
            ksize = [1, self.pool_size[0], 1, 1]
            strides = [1, self.strides[0], 1, 1]
        else:
            ksize = [1, 1, self.pool_size[0], 1]
            strides = [1, 1, self.strides[0], 1]
        out = type(self)._pool_function(x, ksize=ksize, strides=strides,
                                        padding=self.padding.upper(),
                                        data_format=tf_format(self.data_format))
        return array_ops.squeeze(out, pad_axis)


class MaxPooling1D(_Pooling1D):
    """Max over each ``pool_size`` window of the steps axis."""

    _pool_function = staticmethod(nn_pool_ops.max_pool)


class AveragePooling1D(_Pooling1D):
    """Mean over each ``pool_size`` window of the steps axis."""

    _pool_function = staticmethod(nn_pool_ops.avg_pool)


def max_pooling1d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                  data_format: str = "channels_last", name: str | None = None) -> Any:
    """``tf.layers.max_pooling1d``."""
    return MaxPooling1D(pool_size, strides, padding=padding, data_format=data_format,
                        name=name)(inputs)


def average_pooling1d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                      data_format: str = "channels_last", name: str | None = None) -> Any:
    """``tf.layers.average_pooling1d``."""
    return AveragePooling1D(pool_size, strides, padding=padding, data_format=data_format,
                            name=name)(inputs)
