"""tf-keras' 1-D and 2-D pooling layers (MaxPool / AvgPool ops) and the global poolings."""

from __future__ import annotations

from typing import Any

from varstore.keras import backend
from varstore.keras.engine.base_layer import Layer
from varstore.keras.engine.input_spec import InputSpec
from varstore.layers.utils import normalize_padding, pair, tf_format
from varstore.ops import math_reduce_ops, nn_pool_ops

__all__ = ["AveragePooling1D", "AveragePooling2D", "GlobalAveragePooling1D",
           "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "MaxPooling1D",
           "MaxPooling2D"]


def _data_format(value: Any) -> str:
    value = backend.image_data_format() if value is None else value
    data_format = str(value).lower()
    if data_format not in {"channels_first", "channels_last"}:
        raise ValueError("The `data_format` argument must be one of \"channels_first\", "
                         f"\"channels_last\". Received: {value}")
    return data_format


class _Pooling2D(Layer):
    _pool_function = staticmethod(nn_pool_ops.max_pool)

    def __init__(self, pool_size: Any = (2, 2), strides: Any = None, padding: str = "valid",
                 data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if strides is None:
            strides = pool_size
        self.pool_size = pair(pool_size, "pool_size")
        self.strides = pair(strides, "strides", allow_zero=True)
        self.padding = normalize_padding(padding)
        self.data_format = _data_format(data_format)
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs: Any) -> Any:
        if self.data_format == "channels_last":
            ksize, strides = [1, *self.pool_size, 1], [1, *self.strides, 1]
        else:
            ksize, strides = [1, 1, *self.pool_size], [1, 1, *self.strides]
        return type(self)._pool_function(inputs, ksize=ksize, strides=strides,
                                         padding=self.padding.upper(),
                                         data_format=tf_format(self.data_format))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "pool_size": self.pool_size,
                "padding": self.padding, "strides": self.strides,
                "data_format": self.data_format}


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


class _Pooling1D(Layer):
    """tf-keras' Pooling1D: a unit axis after the steps (ExpandDims), the 2-D pool, then
    Squeeze."""

    _pool_function = staticmethod(nn_pool_ops.max_pool)

    def __init__(self, pool_size: Any = 2, strides: Any = None, padding: str = "valid",
                 data_format: str = "channels_last", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if strides is None:
            strides = pool_size
        self.pool_size = (int(pool_size if isinstance(pool_size, int) else pool_size[0]),)
        self.strides = (int(strides if isinstance(strides, int) else strides[0]),)
        self.padding = normalize_padding(padding)
        self.data_format = _data_format(data_format)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs: Any) -> Any:
        from varstore.ops import array_ops

        pad_axis = 2 if self.data_format == "channels_last" else 3
        x = array_ops.expand_dims(inputs, pad_axis)
        if self.data_format == "channels_last":
            ksize, strides = [1, self.pool_size[0], 1, 1], [1, self.strides[0], 1, 1]
        else:
            ksize, strides = [1, 1, self.pool_size[0], 1], [1, 1, self.strides[0], 1]
        out = type(self)._pool_function(x, ksize=ksize, strides=strides,
                                        padding=self.padding.upper(),
                                        data_format=tf_format(self.data_format))
        return array_ops.squeeze(out, pad_axis)


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

    def call(self, inputs: Any) -> Any:
        steps_axis = 1 if self.data_format == "channels_last" else 2
        return type(self)._reduce(inputs, axis=steps_axis, keepdims=self.keepdims)


class GlobalAveragePooling1D(_GlobalPooling1D):
    _reduce = staticmethod(math_reduce_ops.reduce_mean)


class GlobalMaxPooling1D(_GlobalPooling1D):
    _reduce = staticmethod(math_reduce_ops.reduce_max)
