"""``tf.layers.MaxPooling1D``, ``AveragePooling1D``, ``MaxPooling2D``, ``AveragePooling2D``
and their functions (tf-keras' ``legacy_tf_layers/pooling.py``): ops ``MaxPool`` and
``AvgPool`` in the layer's scope (the 1-D forms between ExpandDims and Squeeze, as Keras'
Pooling1D); ``strides`` is required, as TF's. The rules and ops are base_pooling.py's,
shared with tf.keras' pools."""

from __future__ import annotations

from typing import Any

from varstore.layers import base_pooling
from varstore.layers.base import InputSpec, Layer, apply_once
from varstore.ops import nn_pool_ops

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


class LegacyPooling(base_pooling.Pooling, Layer):
    """tf-keras' legacy pools: ``strides`` is required (None refused), as TF's are."""

    _spec = InputSpec

    def __init__(self, pool_size: Any, strides: Any, padding: str = "valid",
                 data_format: str = "channels_last", name: str | None = None,
                 **kwargs: Any) -> None:
        if strides is None:
            raise ValueError("Argument `strides` must not be None.")
        super().__init__(name=name, **kwargs)
        self._pool_args(pool_size, strides, padding, data_format)


class _Pooling2D(base_pooling.Pooling2D, LegacyPooling):
    _pool_function = staticmethod(nn_pool_ops.max_pool)


class MaxPooling2D(_Pooling2D):
    """Max over each ``pool_size`` window."""

    _pool_function = staticmethod(nn_pool_ops.max_pool)


class AveragePooling2D(_Pooling2D):
    """Mean over each ``pool_size`` window (SAME padding averages the valid elements)."""

    _pool_function = staticmethod(nn_pool_ops.avg_pool)


def max_pooling2d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                  data_format: str = "channels_last", name: str | None = None) -> Any:
    """``tf.layers.max_pooling2d``."""
    return apply_once(MaxPooling2D, locals())


def average_pooling2d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                      data_format: str = "channels_last", name: str | None = None) -> Any:
    """``tf.layers.average_pooling2d``."""
    return apply_once(AveragePooling2D, locals())


class _Pooling1D(base_pooling.Pooling1D, LegacyPooling):
    _pool_function = staticmethod(nn_pool_ops.max_pool)


class MaxPooling1D(_Pooling1D):
    """Max over each ``pool_size`` window of the steps axis."""

    _pool_function = staticmethod(nn_pool_ops.max_pool)


class AveragePooling1D(_Pooling1D):
    """Mean over each ``pool_size`` window of the steps axis."""

    _pool_function = staticmethod(nn_pool_ops.avg_pool)


def max_pooling1d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                  data_format: str = "channels_last", name: str | None = None) -> Any:
    """``tf.layers.max_pooling1d``."""
    return apply_once(MaxPooling1D, locals())


def average_pooling1d(inputs: Any, pool_size: Any, strides: Any, padding: str = "valid",
                      data_format: str = "channels_last", name: str | None = None) -> Any:
    """``tf.layers.average_pooling1d``."""
    return apply_once(AveragePooling1D, locals())
