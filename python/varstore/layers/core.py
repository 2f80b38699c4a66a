"""``tf.layers.Dense``, ``Flatten``, ``Dropout`` and their functional forms (tf-keras'
``legacy_tf_layers/core.py`` over ``layers/core``)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from typing import Any

from varstore import nn
from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.ops import Tensor
from varstore.framework.tensor_shape import Dimension, TensorShape
from varstore.layers.base import InputSpec, Layer, SharedLayer, WeightArgs, apply_once, static_shape
from varstore.layers.utils import normalize_data_format
from varstore.ops import array_ops, control_flow_ops, math_matmul_ops, nn_impl

__all__ = ["Dense", "Dropout", "Flatten", "dense", "dropout", "flatten"]


class Dense(WeightArgs, Layer):
    """``outputs = activation(inputs @ kernel + bias)``; a rank > 2 input contracts its last
    axis (TF's Tensordot)."""

    def __init__(self, units: int, activation: Callable[..., Any] | None = None,
                 use_bias: bool = True, kernel_initializer: Any = None,
                 bias_initializer: Any = None, kernel_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None,
                 trainable: bool = True, name: str | None = None, **kwargs: Any) -> None:
        super().__init__(trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        units_value: Any = units
        if isinstance(units_value, Dimension) and units_value.value is not None:
            units = units_value.value  # TF1 code passes x.get_shape()[-1] (v1 TensorShapes)
        if isinstance(units, bool) or not isinstance(units, int) or units < 0:
            raise ValueError("Received an invalid value for `units`, expected a positive "
                             f"integer. Received: units={units}")
        self.units = units
        self._weight_args(activation, use_bias, kernel_initializer, bias_initializer,
                          kernel_regularizer, bias_regularizer, kernel_constraint, bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.kernel: Any = None
        self.bias: Any = None

    def build(self, input_shape: Any) -> None:
        last = None if input_shape is None else input_shape[-1]
        if last is None:
            shown = "<unknown>" if input_shape is None else tuple(input_shape)
            raise ValueError("The last dimension of the inputs to a Dense layer should be "
                             f"defined. Found None. Full input shape received: {shown}")
        self.input_spec = InputSpec(min_ndim=2, axes={-1: int(last)})
        self.kernel = self.add_weight("kernel", [int(last), self.units],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight("bias", [self.units],
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def call(self, inputs: Any) -> Any:
        shape = static_shape(inputs)
        rank = 2 if shape is None else len(shape)
        if rank == 2:
            out = math_matmul_ops.matmul(inputs, self.kernel)
        else:
            out = math_matmul_ops.tensordot(inputs, self.kernel, [[rank - 1], [0]])
        if self.use_bias:
            out = nn.bias_add(out, self.bias)
        if self.activation is not None:
            out = self.activation(out)
        return out

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        return dense_output_shape(input_shape, self.units)


def dense_output_shape(input_shape: Any, units: int) -> TensorShape:
    """Dense.compute_output_shape (both sides): the last axis becomes ``units``; TF's
    ValueErrors for rank < 2 and an unknown last dimension."""
    shape = TensorShape(input_shape).with_rank_at_least(2)
    if shape.as_list()[-1] is None:
        raise ValueError("The last dimension of the input shape of a Dense layer should be "
                         f"defined. Found None. Received: input_shape={input_shape}")
    return TensorShape([*shape.as_list()[:-1], units])


def flatten_output_shape(input_shape: Any) -> TensorShape:
    """Flatten.compute_output_shape (both sides), tf-keras' rule as written: [batch, product
    of the rest], None when one of the rest is unknown or 0; a scalar's is [1, 1] (its [1]
    then the empty product)."""
    dims = TensorShape(input_shape).as_list()
    head = [dims[0]] if dims else [1]
    rest = dims[1:]
    known = [int(d) for d in rest if d]
    return TensorShape([*head, math.prod(known) if len(known) == len(rest) else None])


class Flatten(Layer):
    """Collapses every dimension after the first: ``Reshape`` to [-1, prod(rest)] (or
    [batch, -1] / [shape(x)[0], -1] when the rest is not fully known)."""

    def __init__(self, data_format: str | None = None, name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.data_format = normalize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs: Any) -> Any:
        return flatten_tensor(inputs, self.data_format == "channels_first")

    def compute_output_shape(self, input_shape: Any) -> TensorShape:
        return flatten_output_shape(input_shape)


def flatten_tensor(inputs: Any, channels_first: bool) -> Tensor:
    """tf-keras' Flatten.call, for tf.layers and tf.keras: the reshape that keeps the most
    static shape (an input of unknown rank becomes [shape(x)[0], -1])."""
    x = convert_to_tensor(inputs)
    shape = static_shape(x)
    if channels_first and shape is not None and len(shape) > 1:
        x = array_ops.transpose(x, [0, *range(2, len(shape)), 1])
        shape = static_shape(x)
    if shape is not None and len(shape) == 1:
        return array_ops.expand_dims(x, axis=1)
    rest = None if shape is None else shape[1:]
    if rest is not None and all(d is not None for d in rest):
        size = 1
        for d in rest:
            size *= int(d)  # type: ignore[arg-type]
        return array_ops.reshape(x, constant([-1, size]))
    if shape is not None and shape[0] is not None:
        return array_ops.reshape(x, constant([int(shape[0]), -1]))
    return array_ops.reshape(x, [array_ops.shape(x)[0], -1])


class DropoutBase(SharedLayer):
    """tf-keras' Dropout as a mixin placed before each side's Layer base (tf.layers'
    subclasses the Keras one in TF): ``tf.nn.dropout(x, rate)`` when training, Identity
    otherwise; a None in ``noise_shape`` is the input's size, and a seed is incremented per
    use (RandomGenerator's legacy seeds)."""

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def _dropout_args(self, rate: Any, noise_shape: Any, seed: int | None) -> None:
        if isinstance(rate, (int, float)) and not 0 <= rate <= 1:
            raise ValueError(f"Invalid value {rate} received for `rate`, expected a value "
                             "between 0 and 1.")
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self._legacy_seed = seed

    def _get_noise_shape(self, inputs: Any) -> Any:
        if self.noise_shape is None:
            return None
        concrete = array_ops.shape(inputs)
        dims = [concrete[i] if v is None else v for i, v in enumerate(self.noise_shape)]
        return convert_to_tensor(dims)  # packed (TF's autopacking) when a dim is a tensor

    def _seed(self) -> int | None:
        """tf-keras' RandomGenerator.make_legacy_seed: the seed, incremented per use."""
        if self._legacy_seed is None:
            return None
        seed = self._legacy_seed
        self._legacy_seed += 1
        return seed

    def _dropout(self, inputs: Any, training: Any,
                 learning_phase: Callable[[], Any] | None = None) -> Any:
        """Dropout.call; ``training`` None reads ``learning_phase`` (Keras')."""
        if isinstance(self.rate, numbers.Real) and self.rate == 0:
            return array_ops.identity(inputs)
        if training is None and learning_phase is not None:
            training = learning_phase()

        def dropped() -> Any:
            return nn_impl.dropout(inputs, noise_shape=self._get_noise_shape(inputs),
                                   seed=self._seed(), rate=self.rate)

        return control_flow_ops.smart_cond(training, dropped,
                                           lambda: array_ops.identity(inputs))


class Dropout(DropoutBase, Layer):
    """``training`` (a Python bool or a bool tensor) picks ``tf.nn.dropout(x, rate)`` or
    ``Identity``; a tensor builds a cond."""

    def __init__(self, rate: Any = 0.5, noise_shape: Any = None, seed: int | None = None,
                 name: str | None = None, **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self._dropout_args(rate, noise_shape, seed)

    def call(self, inputs: Any, training: Any = False) -> Any:
        return self._dropout(inputs, training)


def dense(inputs: Any, units: int, activation: Callable[..., Any] | None = None,
          use_bias: bool = True, kernel_initializer: Any = None, bias_initializer: Any = None,
          kernel_regularizer: Any = None, bias_regularizer: Any = None,
          activity_regularizer: Any = None, kernel_constraint: Any = None,
          bias_constraint: Any = None, trainable: bool = True, name: str | None = None,
          reuse: Any = None) -> Any:
    """``tf.layers.dense``: a Dense layer made and applied once."""
    return apply_once(Dense, locals())


def flatten(inputs: Any, name: str | None = None, data_format: str = "channels_last") -> Any:
    """``tf.layers.flatten``."""
    return apply_once(Flatten, locals())


def dropout(inputs: Any, rate: Any = 0.5, noise_shape: Any = None, seed: int | None = None,
            training: Any = False, name: str | None = None) -> Any:
    """``tf.layers.dropout``: identity unless ``training``."""
    return apply_once(Dropout, locals())
