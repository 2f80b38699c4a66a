"""tf-keras' Conv1D, Conv2D and Conv2DTranspose (``layers/convolutional``): HWIO kernels (HW, out,
in for the transpose), ops named as tf.layers' (the legacy layers are these classes in TF).
"""

from __future__ import annotations

from typing import Any

from varstore.keras import activations, backend, constraints, initializers, regularizers
from varstore.keras.engine.base_layer import Layer
from varstore.keras.engine.input_spec import InputSpec
from varstore.keras.layers.core import RESOLVERS
from varstore.keras.utils.generic_utils import serialize_optional as _ser
from varstore.layers import base_conv

__all__ = ["Conv1D", "Conv2D", "Conv2DTranspose"]


class Conv2D(base_conv.Conv, Layer):
    """``activation(conv2d(inputs, kernel) + bias)``."""

    _spec = InputSpec

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1),
                 padding: str = "valid", data_format: str | None = None,
                 dilation_rate: Any = (1, 1), groups: int = 1, activation: Any = None,
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self._conv_args(filters, kernel_size, strides, padding,
                        data_format, dilation_rate,
                        backend.image_data_format())
        if groups != 1:
            raise NotImplementedError("varstore lacks tf.keras.layers.Conv2D(groups > 1)")
        self.groups = groups
        self._weight_args(activation, use_bias, kernel_initializer, bias_initializer,
                          kernel_regularizer, bias_regularizer, kernel_constraint,
                          bias_constraint, RESOLVERS)
        self.input_spec = InputSpec(min_ndim=self._rank + 2)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "groups": self.groups,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": _ser(regularizers, self.kernel_regularizer),
                "bias_regularizer": _ser(regularizers, self.bias_regularizer),
                "activity_regularizer": _ser(regularizers, self._activity_regularizer),
                "kernel_constraint": _ser(constraints, self.kernel_constraint),
                "bias_constraint": _ser(constraints, self.bias_constraint)}


class Conv2DTranspose(base_conv.Conv2DTranspose, Conv2D):
    """The transpose of Conv2D (``Conv2DBackpropInput``), output sizes as tf-keras'
    deconv_output_length."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1),
                 padding: str = "valid", output_padding: Any = None,
                 data_format: str | None = None, dilation_rate: Any = (1, 1),
                 **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)
        if output_padding is not None:
            raise NotImplementedError("varstore lacks tf.keras.layers.Conv2DTranspose("
                                      "output_padding=...)")
        self.output_padding = output_padding

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "output_padding": self.output_padding}


class Conv1D(base_conv.Conv1D, Conv2D):
    """1-D convolution (``Conv1D``: ExpandDims, a Conv2D op, Squeeze), kernel
    (width, in, filters)."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1,
                 padding: str = "valid", data_format: str = "channels_last",
                 dilation_rate: Any = 1, **kwargs: Any) -> None:
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)

    def call(self, inputs: Any) -> Any:
        if inputs.shape.ndims is not None and inputs.shape.ndims > 3:
            raise NotImplementedError("varstore lacks tf.keras.layers.Conv1D on inputs of "
                                      "rank > 3 (extra batch dimensions)")
        return super().call(inputs)
