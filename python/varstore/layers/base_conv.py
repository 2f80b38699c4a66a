"""What tf.layers' and tf.keras' convolution layers share: tf-keras'
``layers/convolutional/base_conv.py`` (Conv) and the Conv2DTranspose / Conv3D /
Conv3DTranspose it specialises.

In TF the tf.layers classes subclass the Keras ones; here each side has its own Layer base
(tf.layers': variable scopes and UPDATE_OPS; Keras': nodes and the learning phase), so these
classes are mixins that sit before that base: they hold every argument rule, weight, output
size and op of the convolutions, and the layers add only their own defaults (initializers
resolved by ``initializers.get`` or left to get_variable, ``data_format`` None read from
Keras' config or not) and the InputSpec class of their side (``_spec``).
"""

from __future__ import annotations

from typing import Any

from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.tensor_shape import TensorShape
from varstore.layers.base import WeightArgs, static_shape
from varstore.layers.utils import (
    conv_output_length,
    deconv_output_length,
    int_tuple,
    normalize_data_format,
    normalize_padding,
    tf_format,
)
from varstore.ops import (
    array_ops,
    array_stack_ops,
    array_transform_ops,
    nn_conv3d_ops,
    nn_conv_ops,
    nn_depthwise_ops,
    nn_ops,
)

__all__: list[str] = []


def _shape(input_shape: Any) -> TensorShape:
    """build's input shape (Keras passes a TensorShape, tf.layers a tuple) as the
    TensorShape TF's messages print (``?`` for an unknown size under v1 behaviour)."""
    return TensorShape(input_shape)


class Conv(WeightArgs):
    """tf-keras' Conv for ``_rank`` spatial axes (2 here; Conv1D and Conv3D say theirs)."""

    _rank = 2
    _what = ""  # the transposes name themselves in the channel message
    filters: Any
    kernel_size: tuple[int, ...]
    strides: tuple[int, ...]
    padding: str
    data_format: str
    dilation_rate: tuple[int, ...]

    def _conv_args(self, filters: Any, kernel_size: Any, strides: Any, padding: Any,
                   data_format: Any, dilation_rate: Any,
                   default_format: str = "channels_last") -> None:
        """Conv.__init__'s argument rules in its order (``data_format`` None is
        ``default_format``: Keras' reads its config), then Conv._validate_init."""
        if isinstance(filters, float):
            filters = int(filters)
        if filters is not None and filters <= 0:
            raise ValueError(f"Invalid value for argument `filters`. Expected a strictly "
                             f"positive value. Received filters={filters}.")
        n = self._rank
        self.filters = filters
        self.kernel_size = int_tuple(kernel_size, n, "kernel_size")
        self.strides = int_tuple(strides, n, "strides", allow_zero=True)
        self.padding = normalize_padding(padding, allow_causal=True)
        self.data_format = normalize_data_format(data_format, default_format)
        self.dilation_rate = int_tuple(dilation_rate, n, "dilation_rate")
        if not all(self.strides):
            raise ValueError(f"The argument `strides` cannot contains 0(s). Received: "
                             f"{self.strides}")
        if self.padding == "causal" and not self._causal_ok:
            raise ValueError("Causal padding is only supported for `Conv1D`and "
                             "`SeparableConv1D`.")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate "
                             f"> 1`. Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}")

    _causal_ok = False  # Conv1D and SeparableConv1D take padding='causal'

    @property
    def _channel_axis(self) -> int:
        """Conv._get_channel_axis."""
        return -1 - self._rank if self.data_format == "channels_first" else -1

    @property
    def _tf_format(self) -> str:
        """conv_utils.convert_data_format for rank + 2 dimensions."""
        if self._rank == 3:
            return "NCDHW" if self.data_format == "channels_first" else "NDHWC"
        return tf_format(self.data_format)

    def _channels(self, input_shape: Any) -> int:
        """Conv._get_input_channel, with the message of the layer (``_what``)."""
        shape = _shape(input_shape)
        channels = shape.as_list()[self._channel_axis]
        if channels is None:
            raise ValueError(f"The channel dimension of the inputs{self._what} should be "
                             f"defined. The input_shape received is {shape}, where axis "
                             f"{self._channel_axis} (0-based) is the channel dimension, "
                             "which found to be `None`.")
        return int(channels)

    def _kernel_shape(self, channels: int) -> list[int]:
        return [*self.kernel_size, channels, self.filters]

    def _built_spec(self, channels: int) -> Any:
        return self._spec(min_ndim=self._rank + 2, axes={self._channel_axis: channels})

    def build(self, input_shape: Any) -> None:
        channels = self._channels(input_shape)
        self.input_spec = self._built_spec(channels)
        self.kernel = self.add_weight("kernel", self._kernel_shape(channels),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self._add_bias(self.filters)
        self.built = True

    def _add_bias(self, size: int) -> None:
        self.bias = (self.add_weight("bias", [size], initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer,
                                     constraint=self.bias_constraint)
                     if self.use_bias else None)

    def _finish(self, out: Any) -> Any:
        """Conv.call after the convolution: the bias (reshaped and added for a
        channels_first Conv1D, which BiasAdd cannot take), then the activation."""
        if self.use_bias and self._rank == 1 and self.data_format == "channels_first":
            out = out + array_ops.reshape(self.bias, (1, self.filters, 1))
        elif self.use_bias:
            out = nn_ops.bias_add(out, self.bias, data_format=self._tf_format)
        if self.activation is not None:
            out = self.activation(out)
        return out

    def _causal_pad(self, inputs: Any) -> Any:
        """Conv.call's causal padding (Conv._compute_causal_padding: the whole dilated
        window before each step, one Pad op), the op then padding VALID."""
        if self.padding != "causal":
            return inputs
        left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
        shape = static_shape(inputs)
        batch_rank = 1 if shape is None else len(shape) - 2
        pads = ([[0, 0]] * batch_rank + [[left, 0], [0, 0]]
                if self.data_format == "channels_last"
                else [[0, 0]] * batch_rank + [[0, 0], [left, 0]])
        return array_transform_ops.pad(inputs, pads)

    @property
    def _op_padding(self) -> str:
        """Conv._get_padding_op."""
        return "VALID" if self.padding == "causal" else self.padding.upper()

    def _spatial_output_shape(self, spatial: list[Any]) -> list[Any]:
        return [conv_output_length(n, k, self.padding, st, d) for n, k, st, d in
                zip(spatial, self.kernel_size, self.strides, self.dilation_rate)]

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        """Conv.compute_output_shape: the batch axes kept, each spatial size as
        conv_output_length, the channels ``filters``; TF's ValueError when a size falls to
        zero or below."""
        dims = TensorShape(input_shape).as_list()
        batch_rank = len(dims) - self._rank - 1
        if self.data_format == "channels_last":
            out = [*dims[:batch_rank], *self._spatial_output_shape(dims[batch_rank:-1]),
                   self.filters]
        else:
            out = [*dims[:batch_rank], self.filters,
                   *self._spatial_output_shape(dims[batch_rank + 1:])]
        try:
            return TensorShape(out)
        except ValueError:
            raise ValueError(f"One of the dimensions in the output is <= 0 due to downsampling "
                             f"in {self.name}. Consider increasing the input size. Received "
                             f"input shape {dims} which would produce output shape with a zero "
                             "or negative value in a dimension.") from None

    def call(self, inputs: Any) -> Any:
        if max(self.dilation_rate) > 1:
            # tf-keras' tf.nn.convolution named after the class: a dilated conv is TF's
            # space-to-batch composite
            out = nn_depthwise_ops.convolution(
                inputs, self.kernel, self.padding.upper(), strides=list(self.strides),
                dilation_rate=list(self.dilation_rate), name="Conv2D",
                data_format=self._tf_format)
            return self._finish(out)
        out = nn_conv_ops.conv2d(inputs, self.kernel, strides=list(self.strides),
                                 padding=self.padding.upper(),
                                 dilations=list(self.dilation_rate),
                                 data_format=self._tf_format)
        return self._finish(out)


class Conv1D(Conv):
    """Conv1D: op ``Conv1D`` (a Conv2D between ExpandDims and Squeeze, as Keras'
    nn.convolution builds it); padding 'causal' pads the steps first."""

    _rank = 1
    _causal_ok = True

    def call(self, inputs: Any) -> Any:
        out = nn_depthwise_ops.conv1d(self._causal_pad(inputs), self.kernel,
                                      stride=self.strides[0], padding=self._op_padding,
                                      data_format="NCW" if self.data_format ==
                                      "channels_first" else "NWC",
                                      dilations=self.dilation_rate[0], name="Conv1D")
        return self._finish(out)


class ConvTranspose(Conv):
    """What Conv2DTranspose and Conv3DTranspose add: the (h, w, filters, in) kernel, the
    rank check, and the output size as conv_utils.deconv_output_length."""

    def _kernel_shape(self, channels: int) -> list[int]:
        return [*self.kernel_size, self.filters, channels]

    def _built_spec(self, channels: int) -> Any:
        return self._spec(ndim=self._rank + 2, axes={self._channel_axis: channels})

    def build(self, input_shape: Any) -> None:
        shape = _shape(input_shape)
        if shape.ndims != self._rank + 2:
            raise ValueError(f"Inputs should have rank {self._rank + 2}. Received "
                             f"input_shape={shape}.")
        super().build(input_shape)

    def _lengths(self, dims: list[Any]) -> list[Any]:
        return [deconv_output_length(n, k, self.padding, s)
                for n, k, s in zip(dims, self.kernel_size, self.strides)]

    def _out_shape(self, batch: Any, sizes: list[Any]) -> list[Any]:
        if self.data_format == "channels_first":
            return [batch, self.filters, *sizes]
        return [batch, *sizes, self.filters]

    @property
    def _spatial_axes(self) -> list[int]:
        first = 2 if self.data_format == "channels_first" else 1
        return list(range(first, first + self._rank))

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        """Conv{2,3}DTranspose.compute_output_shape: the channels ``filters``, each spatial
        size as deconv_output_length."""
        dims = TensorShape(input_shape).as_list()
        out = list(dims)
        out[1 if self.data_format == "channels_first" else -1] = self.filters
        for a, n in zip(self._spatial_axes, self._lengths([dims[a] for a in self._spatial_axes])):
            out[a] = n
        return TensorShape(out)


class Conv2DTranspose(ConvTranspose):
    """Conv2DTranspose.call: the sizes known statically stay ints in the stacked output
    shape, the others come from the dynamic shape (``Conv2DBackpropInput``)."""

    _what = " to `Conv2DTranspose`"

    def call(self, inputs: Any) -> Any:
        x = convert_to_tensor(inputs)
        dyn = array_ops.shape(x)
        shape = static_shape(x)
        assert shape is not None
        sizes = [shape[a] if shape[a] is not None else dyn[a] for a in self._spatial_axes]
        output_shape = array_stack_ops.stack(self._out_shape(dyn[0], self._lengths(sizes)))
        # tf-keras' backend.conv2d_transpose tests `output_shape[0] is None` on the stacked
        # tensor: a StridedSlice that TF's graph keeps, unused
        _ = output_shape[0]
        out = nn_conv_ops.conv2d_transpose(
            x, self.kernel, output_shape, strides=list(self.strides),
            padding=self.padding.upper(), data_format=self._tf_format)
        # the static shape as compute_output_shape gives it (the stacked output shape holds
        # tensors, so the op alone cannot know it)
        static = self._lengths([shape[a] for a in self._spatial_axes])
        out.set_shape(self._out_shape(shape[0], static))
        return self._finish(out)


class Conv3D(Conv):
    """Conv3D: op ``Conv3D`` (tf.nn.convolution named after the class), its static shape
    as compute_output_shape gives it."""

    _rank = 3

    def call(self, inputs: Any) -> Any:
        first = self.data_format == "channels_first"
        with name_scope("Conv3D") as scope:
            out = nn_conv3d_ops.conv3d_exact(
                inputs, self.kernel, [1, 1, *self.strides] if first else [1, *self.strides, 1],
                self.padding.upper(), self._tf_format,
                [1, 1, *self.dilation_rate] if first else [1, *self.dilation_rate, 1], scope)
        shape = static_shape(inputs)
        if shape is not None:
            out.set_shape(self.compute_output_shape(shape))
        return self._finish(out)


class Conv3DTranspose(ConvTranspose):
    """Conv3DTranspose.call: every size from the dynamic shape (``Conv3DBackpropInputV2``
    named ``conv3d_transpose``)."""

    _rank = 3
    _what = " to `Conv3DTranspose`"

    def call(self, inputs: Any) -> Any:
        x = convert_to_tensor(inputs)
        dyn = array_ops.shape(x)
        first = self.data_format == "channels_first"
        # the batch size read first, then the spatial ones, as Keras' call reads them
        batch, sizes = dyn[0], self._lengths([dyn[a] for a in self._spatial_axes])
        strides = [1, 1, *self.strides] if first else [1, *self.strides, 1]
        out = nn_conv3d_ops.conv3d_transpose(x, self.kernel,
                                             array_stack_ops.stack(self._out_shape(batch,
                                                                                   sizes)),
                                             strides, padding=self.padding.upper(),
                                             data_format=self._tf_format)
        shape = static_shape(x)
        if shape is not None:
            static = self._lengths([shape[a] for a in self._spatial_axes])
            out.set_shape(self._out_shape(shape[0], static))
        return self._finish(out)


class SeparableConv(Conv):
    """tf-keras' SeparableConv: ``depthwise_kernel`` kernel_size + (in, depth_multiplier),
    ``pointwise_kernel`` (1,) * rank + (in * depth_multiplier, filters), ``bias``; call is
    SeparableConv2D's (SeparableConv1D adds the unit height)."""

    depth_multiplier: int
    depthwise_initializer: Any
    pointwise_initializer: Any
    depthwise_regularizer: Any
    pointwise_regularizer: Any
    depthwise_constraint: Any
    pointwise_constraint: Any
    depthwise_kernel: Any
    pointwise_kernel: Any

    def build(self, input_shape: Any) -> None:
        channels = self._channels(input_shape)
        self.input_spec = self._spec(ndim=self._rank + 2, axes={self._channel_axis: channels})
        self.depthwise_kernel = self.add_weight(
            "depthwise_kernel", [*self.kernel_size, channels, self.depth_multiplier],
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.pointwise_kernel = self.add_weight(
            "pointwise_kernel", [1] * self._rank + [channels * self.depth_multiplier,
                                                    self.filters],
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)
        self._add_bias(self.filters)
        self.built = True

    def call(self, inputs: Any) -> Any:
        fmt = self._tf_format
        strides = [1, *self.strides, 1] if fmt == "NHWC" else [1, 1, *self.strides]
        out = nn_depthwise_ops.separable_conv2d(
            inputs, self.depthwise_kernel, self.pointwise_kernel, strides=strides,
            padding=self.padding.upper(), rate=list(self.dilation_rate), data_format=fmt)
        return self._finish(out)
