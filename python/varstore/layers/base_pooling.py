"""What tf.layers' and tf.keras' pooling layers share: tf-keras'
``layers/pooling/base_pooling{1,2,3}d.py``.

In TF the tf.layers pools subclass the Keras ones; here each side has its own Layer base, so
these are mixins placed before it (see base_conv.py): the argument rules and the ops; each
side adds its defaults (tf.layers' ``strides`` is required, Keras' defaults to
``pool_size``; Keras' ``data_format`` None reads its config), its InputSpec class
(``_spec``) and the pool function of each subclass (``_pool_function``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from varstore.framework.tensor_shape import TensorShape
from varstore.layers.base import SharedLayer
from varstore.layers.utils import (
    conv_output_length,
    int_tuple,
    normalize_data_format,
    normalize_padding,
    tf_format,
)
from varstore.ops import array_ops

__all__: list[str] = []


class Pooling(SharedLayer):
    """Pooling{1,2,3}D.__init__ for ``_rank`` spatial axes."""

    _rank = 2
    _pool_function: Callable[..., Any]
    pool_size: tuple[int, ...]
    strides: tuple[int, ...]
    padding: str
    data_format: str

    def _pool_args(self, pool_size: Any, strides: Any, padding: Any, data_format: Any,
                   default_format: str = "channels_last") -> None:
        """The rules in TF's order: ``strides`` None is ``pool_size``, both normalised,
        then the padding (conv_utils' rule: 'causal' passes here and fails in the op, as in
        TF) and the data format."""
        if strides is None:
            strides = pool_size
        n = self._rank
        self.pool_size = int_tuple(pool_size, n, "pool_size")
        self.strides = int_tuple(strides, n, "strides", allow_zero=True)
        self.padding = normalize_padding(padding, allow_causal=True)
        self.data_format = normalize_data_format(data_format, default_format)
        self.input_spec = self._spec(ndim=n + 2)

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        """Pooling{1,2,3}D.compute_output_shape: each spatial size as conv_output_length of
        the pool window and stride, the batch and channels kept."""
        dims = TensorShape(input_shape).as_list()
        first = 2 if self.data_format == "channels_first" else 1
        out = list(dims)
        for i in range(self._rank):
            out[first + i] = conv_output_length(dims[first + i], self.pool_size[i], self.padding,
                                                self.strides[i])
        return TensorShape(out)

    def _pool(self, inputs: Any, ksize: list[int], strides: list[int], fmt: str) -> Any:
        return type(self)._pool_function(inputs, ksize=ksize, strides=strides,
                                         padding=self.padding.upper(), data_format=fmt)


class Pooling1D(Pooling):
    """Pooling1D.call: a unit axis after the steps (ExpandDims), the 2-D pool (backend.pool2d,
    which on CPU transposes a channels_first input to NHWC and back), Squeeze."""

    _rank = 1

    def call(self, inputs: Any) -> Any:
        first = self.data_format == "channels_first"
        pad_axis = 3 if first else 2
        x = array_ops.expand_dims(inputs, pad_axis)
        if first:
            x = array_ops.transpose(x, (0, 2, 3, 1))
        out = self._pool(x, [1, self.pool_size[0], 1, 1], [1, self.strides[0], 1, 1], "NHWC")
        if first:
            out = array_ops.transpose(out, (0, 3, 1, 2))
        return array_ops.squeeze(out, pad_axis)


class Pooling2D(Pooling):
    """Pooling2D.call: one MaxPool / AvgPool in the input's data format."""

    def call(self, inputs: Any) -> Any:
        if self.data_format == "channels_last":
            ksize, strides = [1, *self.pool_size, 1], [1, *self.strides, 1]
        else:
            ksize, strides = [1, 1, *self.pool_size], [1, 1, *self.strides]
        return self._pool(inputs, ksize, strides, tf_format(self.data_format))


class Pooling3D(Pooling):
    """Pooling3D.call: MaxPool3D / AvgPool3D in NDHWC, a channels_first input transposed
    around it ("TF does not support channels_first with 3D pooling")."""

    _rank = 3

    def call(self, inputs: Any) -> Any:
        first = self.data_format == "channels_first"
        x = array_ops.transpose(inputs, (0, 2, 3, 4, 1)) if first else inputs
        out = type(self)._pool_function(x, ksize=[1, *self.pool_size, 1],
                                        strides=[1, *self.strides, 1],
                                        padding=self.padding.upper())
        return array_ops.transpose(out, (0, 4, 1, 2, 3)) if first else out
