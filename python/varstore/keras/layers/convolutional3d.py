"""tf-keras' Conv3D (op ``Conv3D``) and the 3-D pools (MaxPool3D / AvgPool3D; channels_first
transposed around them, as tf-keras does). The output-size rule is tf.layers' (one class in
TF)."""

from __future__ import annotations

from typing import Any

from varstore.framework.graph import name_scope
from varstore.keras.engine.base_layer import Layer, shape_tuple
from varstore.keras.engine.input_spec import InputSpec
from varstore.keras.layers.convolutional import Conv2D
from varstore.keras.layers.pooling import _data_format
from varstore.layers import convolutional3d as _legacy
from varstore.layers.utils import int_tuple, normalize_padding
from varstore.ops import array_ops, nn_conv3d_ops, nn_ops, nn_pool3d_ops

__all__ = ["AveragePooling3D", "Conv3D", "MaxPooling3D"]


class Conv3D(Conv2D):
    """``activation(conv3d(inputs, kernel) + bias)``, kernel [d, h, w, in, filters]."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1, 1),
                 padding: str = "valid", data_format: str | None = None,
                 dilation_rate: Any = (1, 1, 1), **kwargs: Any) -> None:
        super().__init__(filters, 1, padding=padding, data_format=data_format, **kwargs)
        self.kernel_size = int_tuple(kernel_size, 3, "kernel_size")
        self.strides = int_tuple(strides, 3, "strides", allow_zero=True)
        self.dilation_rate = int_tuple(dilation_rate, 3, "dilation_rate")
        if not all(self.strides):
            raise ValueError(f"The argument `strides` cannot contains 0(s). Received: "
                             f"{self.strides}")
        self.input_spec = InputSpec(min_ndim=5)

    @property
    def _channel_axis(self) -> int:
        return 1 if self.data_format == "channels_first" else -1

    def _output_shape(self, shape: tuple[int | None, ...]) -> list[int | None]:
        return _legacy.Conv3D._output_shape(self, shape)  # type: ignore[arg-type]

    @property
    def _tf_format(self) -> str:
        return "NCDHW" if self.data_format == "channels_first" else "NDHWC"

    def build(self, input_shape: Any) -> None:
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=5, axes=self.input_spec.axes)

    def call(self, inputs: Any) -> Any:
        first = self._tf_format == "NCDHW"
        with name_scope("Conv3D") as scope:
            out = nn_conv3d_ops.conv3d_exact(
                inputs, self.kernel, [1, 1, *self.strides] if first else [1, *self.strides, 1],
                self.padding.upper(), self._tf_format,
                [1, 1, *self.dilation_rate] if first else [1, *self.dilation_rate, 1], scope)
        shape = shape_tuple(inputs)
        if shape is not None:
            out.set_shape(self._output_shape(shape))
        if self.use_bias:
            out = nn_ops.bias_add(out, self.bias, data_format=self._tf_format)
        if self.activation is not None:
            out = self.activation(out)
        return out


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
