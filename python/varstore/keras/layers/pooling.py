"""tf-keras' 1-D and 2-D pooling layers (MaxPool / AvgPool ops) and the global poolings."""

from __future__ import annotations

from typing import Any

from varstore.keras import backend
from varstore.keras.engine.base_layer import Layer
from varstore.keras.engine.input_spec import InputSpec
from varstore.layers import base_pooling
from varstore.layers.utils import normalize_data_format
from varstore.ops import math_reduce_ops, nn_pool_ops

__all__ = ["AveragePooling1D", "AveragePooling2D", "GlobalAveragePooling1D",
           "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "MaxPooling1D",
           "MaxPooling2D"]


def _data_format(value: Any) -> str:
    """conv_utils.normalize_data_format as Keras calls it: None reads the config."""
    return normalize_data_format(value, backend.image_data_format())


class KerasPooling(base_pooling.Pooling, Layer):
    """tf-keras' pools: ``strides`` None is ``pool_size``."""

    _spec = InputSpec

    def __init__(self, pool_size: Any = 2, strides: Any = None, padding: str = "valid",
                 data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pool_args(pool_size, strides, padding, data_format, backend.image_data_format())

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "pool_size": self.pool_size,
                "padding": self.padding, "strides": self.strides,
                "data_format": self.data_format}


class _Pooling2D(base_pooling.Pooling2D, KerasPooling):
    def __init__(self, pool_size: Any = (2, 2), strides: Any = None, padding: str = "valid",
                 data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class MaxPooling2D(_Pooling2D):
    _pool_function = staticmethod(nn_pool_ops.max_pool)


class AveragePooling2D(_Pooling2D):
    _pool_function = staticmethod(nn_pool_ops.avg_pool)


class _GlobalPooling2D(Layer):
    _reduce = staticmethod(math_reduce_ops.reduce_mean)

    def __init__(self, data_format: str | None = None, keepdims: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = _data_format(data_format)
        self.input_spec = InputSpec(ndim=4)
        self.keepdims = keepdims

    def call(self, inputs: Any) -> Any:
        axes = [1, 2] if self.data_format == "channels_last" else [2, 3]
        return type(self)._reduce(inputs, axis=axes, keepdims=self.keepdims)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}


class GlobalAveragePooling2D(_GlobalPooling2D):
    _reduce = staticmethod(math_reduce_ops.reduce_mean)


class GlobalMaxPooling2D(_GlobalPooling2D):
    _reduce = staticmethod(math_reduce_ops.reduce_max)


class _Pooling1D(base_pooling.Pooling1D, KerasPooling):
    def __init__(self, pool_size: Any = 2, strides: Any = None, padding: str = "valid",
                 data_format: str = "channels_last", **kwargs: Any) -> None:
        super().__init__(pool_size, strides, padding, data_format, **kwargs)


class MaxPooling1D(_Pooling1D):
    _pool_function = staticmethod(nn_pool_ops.max_pool)


class AveragePooling1D(_Pooling1D):
    _pool_function = staticmethod(nn_pool_ops.avg_pool)


class _GlobalPooling1D(Layer):
    _reduce = staticmethod(math_reduce_ops.reduce_mean)

    def __init__(self, data_format: str = "channels_last", keepdims: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = _data_format(data_format)
        self.input_spec = InputSpec(ndim=3)
        self.keepdims = keepdims

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}

    def call(self, inputs: Any) -> Any:
        steps_axis = 1 if self.data_format == "channels_last" else 2
        return type(self)._reduce(inputs, axis=steps_axis, keepdims=self.keepdims)


class GlobalAveragePooling1D(_GlobalPooling1D):
    _reduce = staticmethod(math_reduce_ops.reduce_mean)


class GlobalMaxPooling1D(_GlobalPooling1D):
    _reduce = staticmethod(math_reduce_ops.reduce_max)
