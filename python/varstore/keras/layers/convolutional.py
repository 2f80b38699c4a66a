"""tf-keras' Conv1D, Conv2D and Conv2DTranspose (``layers/convolutional``): HWIO kernels (HW, out,
in for the transpose), ops named as tf.layers' (the legacy layers are these classes in TF).
"""

from __future__ import annotations

from typing import Any

from varstore.keras import activations, backend, constraints, initializers, regularizers
from varstore.keras.engine.base_layer import Layer, shape_tuple
from varstore.keras.engine.input_spec import InputSpec
from varstore.layers.utils import deconv_output_length, normalize_padding, pair, tf_format
from varstore.ops import array_ops, array_stack_ops, nn_conv_ops, nn_depthwise_ops, nn_ops

__all__ = ["Conv1D", "Conv2D", "Conv2DTranspose"]


def _data_format(value: Any) -> str:
    value = backend.image_data_format() if value is None else value
    data_format = str(value).lower()
    if data_format not in {"channels_first", "channels_last"}:
        raise ValueError("The `data_format` argument must be one of \"channels_first\", "
                         f"\"channels_last\". Received: {value}")
    return data_format


class Conv2D(Layer):
    """``activation(conv2d(inputs, kernel) + bias)``."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1),
                 padding: str = "valid", data_format: str | None = None,
                 dilation_rate: Any = (1, 1), groups: int = 1, activation: Any = None,
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if isinstance(filters, float):
            filters = int(filters)
        if filters is not None and filters <= 0:
            raise ValueError(f"Invalid value for argument `filters`. Expected a strictly "
                             f"positive value. Received filters={filters}.")
        if groups != 1:
            raise NotImplementedError("varstore lacks tf.keras.layers.Conv2D(groups > 1)")
        self.filters = filters
        self.groups = groups
        self.kernel_size: tuple[int, ...] = pair(kernel_size, "kernel_size")
        self.strides: tuple[int, ...] = pair(strides, "strides", allow_zero=True)
        self.padding = normalize_padding(padding)
        self.data_format = _data_format(data_format)
        self.dilation_rate: tuple[int, ...] = pair(dilation_rate, "dilation_rate")
        if not all(self.strides):
            raise ValueError(f"The argument `strides` cannot contains 0(s). Received: "
                             f"{self.strides}")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=4)

    @property
    def _channel_axis(self) -> int:
        return -3 if self.data_format == "channels_first" else -1

    def _kernel_shape(self, channels: int) -> list[int]:
        return [*self.kernel_size, channels, self.filters]

    def build(self, input_shape: Any) -> None:
        dims = input_shape.as_list()
        channels = dims[self._channel_axis]
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. The "
                             f"input_shape received is {input_shape}, where axis "
                             f"{self._channel_axis} (0-based) is the channel dimension, "
                             "which found to be `None`.")
        self.kernel = self.add_weight("kernel", shape=self._kernel_shape(int(channels)),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, trainable=True,
                                      dtype=self.dtype)
        self.bias = (self.add_weight("bias", shape=(self.filters,),
                                     initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer,
                                     constraint=self.bias_constraint, trainable=True,
                                     dtype=self.dtype) if self.use_bias else None)
        self.input_spec = InputSpec(min_ndim=4, axes={self._channel_axis: int(channels)})
        self.built = True

    def _finish(self, out: Any) -> Any:
        if self.use_bias:
            out = nn_ops.bias_add(out, self.bias, data_format=tf_format(self.data_format))
        if self.activation is not None:
            out = self.activation(out)
        return out

    def call(self, inputs: Any) -> Any:
        out = nn_conv_ops.conv2d(inputs, self.kernel, strides=list(self.strides),
                                 padding=self.padding.upper(),
                                 dilations=list(self.dilation_rate),
                                 data_format=tf_format(self.data_format))
        return self._finish(out)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "groups": self.groups,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer)}


class Conv2DTranspose(Conv2D):
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

    def _kernel_shape(self, channels: int) -> list[int]:
        return [*self.kernel_size, self.filters, channels]

    def build(self, input_shape: Any) -> None:
        if input_shape.ndims != 4:
            raise ValueError(f"Inputs should have rank 4. Received input_shape="
                             f"{input_shape}.")
        super().build(input_shape)
        self.input_spec = InputSpec(ndim=4, axes=self.input_spec.axes)

    def _output_dims(self, h: Any, w: Any) -> tuple[Any, Any]:
        return (deconv_output_length(h, self.kernel_size[0], self.padding, self.strides[0]),
                deconv_output_length(w, self.kernel_size[1], self.padding, self.strides[1]))

    def call(self, inputs: Any) -> Any:
        dyn = array_ops.shape(inputs)
        batch = dyn[0]
        h_axis, w_axis = (2, 3) if self.data_format == "channels_first" else (1, 2)
        shape = shape_tuple(inputs)
        assert shape is not None
        height = shape[h_axis] if shape[h_axis] is not None else dyn[h_axis]
        width = shape[w_axis] if shape[w_axis] is not None else dyn[w_axis]
        out_h, out_w = self._output_dims(height, width)
        dims = ((batch, self.filters, out_h, out_w) if self.data_format == "channels_first"
                else (batch, out_h, out_w, self.filters))
        output_shape = array_stack_ops.stack(list(dims))
        # tf-keras' backend.conv2d_transpose tests `output_shape[0] is None` on the stacked
        # tensor: a StridedSlice that TF's graph keeps, unused
        _ = output_shape[0]
        out = nn_conv_ops.conv2d_transpose(
            inputs, self.kernel, output_shape, strides=list(self.strides),
            padding=self.padding.upper(), data_format=tf_format(self.data_format))
        sh, sw = self._output_dims(shape[h_axis], shape[w_axis])
        static = ((shape[0], self.filters, sh, sw) if self.data_format == "channels_first"
                  else (shape[0], sh, sw, self.filters))
        out.set_shape(list(static))
        return self._finish(out)


class Conv1D(Conv2D):
    """1-D convolution (``Conv1D``: ExpandDims, a Conv2D op, Squeeze), kernel
    (width, in, filters)."""

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1,
                 padding: str = "valid", data_format: str = "channels_last",
                 dilation_rate: Any = 1, **kwargs: Any) -> None:
        if padding == "causal":
            raise NotImplementedError("varstore lacks tf.keras.layers.Conv1D("
                                      "padding='causal')")

        def one(v: Any) -> int:
            return int(v if isinstance(v, int) else v[0])

        super().__init__(filters, (one(kernel_size), 1), strides=(one(strides), 1),
                         padding=padding, data_format=data_format,
                         dilation_rate=(one(dilation_rate), 1), **kwargs)
        self.kernel_size = (one(kernel_size),)
        self.strides = (one(strides),)
        self.dilation_rate = (one(dilation_rate),)
        self.input_spec = InputSpec(min_ndim=3)

    @property
    def _channel_axis(self) -> int:
        return -2 if self.data_format == "channels_first" else -1

    def _kernel_shape(self, channels: int) -> list[int]:
        return [self.kernel_size[0], channels, self.filters]

    def build(self, input_shape: Any) -> None:
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=3, axes=self.input_spec.axes)

    def _finish(self, out: Any) -> Any:
        if self.use_bias and self.data_format == "channels_first":
            out = out + array_ops.reshape(self.bias, (1, self.filters, 1))
        elif self.use_bias:
            out = nn_ops.bias_add(out, self.bias)
        if self.activation is not None:
            out = self.activation(out)
        return out

    def call(self, inputs: Any) -> Any:
        if inputs.shape.ndims is not None and inputs.shape.ndims > 3:
            raise NotImplementedError("varstore lacks tf.keras.layers.Conv1D on inputs of "
                                      "rank > 3 (extra batch dimensions)")
        out = nn_depthwise_ops.conv1d(inputs, self.kernel, stride=self.strides[0],
                                      padding=self.padding.upper(),
                                      data_format="NCW" if self.data_format ==
                                      "channels_first" else "NWC",
                                      dilations=self.dilation_rate[0], name="Conv1D")
        return self._finish(out)
