"""tf-keras' activation layers: LeakyReLU, ReLU, ELU, Softmax, ThresholdedReLU, PReLU."""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore.framework.constant_op import convert_to_tensor
from varstore.keras import activations, constraints, initializers, regularizers
from varstore.keras.engine.base_layer import Layer
from varstore.keras.engine.input_spec import InputSpec
from varstore.keras.utils.generic_utils import serialize_optional as _ser
from varstore.ops import math_ops, math_unary_ops

__all__ = ["ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax", "ThresholdedReLU"]


def _floatx(value: Any) -> Any:
    """tf-keras' backend.cast_to_floatx of a Python number."""
    from varstore.keras import backend

    return np.asarray(value, dtype=backend.floatx())[()]


class _Elementwise(Layer):
    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape


class LeakyReLU(_Elementwise):
    def __init__(self, alpha: float = 0.3, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if alpha is None:
            raise ValueError("The alpha value of a Leaky ReLU layer cannot be None, "
                             f"Expecting a float. Received: {alpha}")
        self.supports_masking = True
        self.alpha = _floatx(alpha)

    def call(self, inputs: Any) -> Any:
        return activations.relu(inputs, alpha=float(self.alpha))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "alpha": float(self.alpha)}


class ReLU(_Elementwise):
    def __init__(self, max_value: Any = None, negative_slope: float = 0.0,
                 threshold: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError("max_value of a ReLU layer cannot be a negative value. "
                             f"Received: {max_value}")
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError("negative_slope of a ReLU layer cannot be a negative value. "
                             f"Received: {negative_slope}")
        if threshold is None or threshold < 0.0:
            raise ValueError("threshold of a ReLU layer cannot be a negative value. "
                             f"Received: {threshold}")
        self.supports_masking = True
        self.max_value = None if max_value is None else _floatx(max_value)
        self.negative_slope = _floatx(negative_slope)
        self.threshold = _floatx(threshold)

    def call(self, inputs: Any) -> Any:
        return activations.relu(inputs, alpha=float(self.negative_slope),
                                max_value=None if self.max_value is None
                                else float(self.max_value),
                                threshold=float(self.threshold))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}


class ELU(_Elementwise):
    def __init__(self, alpha: float = 1.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if alpha is None:
            raise ValueError("Alpha of an ELU layer cannot be None, expecting a float. "
                             f"Received: {alpha}")
        self.supports_masking = True
        self.alpha = _floatx(alpha)

    def call(self, inputs: Any) -> Any:
        return activations.elu(inputs, float(self.alpha))

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "alpha": float(self.alpha)}


class Softmax(_Elementwise):
    def __init__(self, axis: Any = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.axis = axis

    def call(self, inputs: Any, mask: Any = None) -> Any:
        if mask is not None:
            raise NotImplementedError("varstore lacks tf.keras.layers.Softmax(mask=...)")
        if isinstance(self.axis, (tuple, list)):
            if len(self.axis) > 1:
                from varstore.ops import math_reduce_ops

                return math_unary_ops.exp(inputs - math_reduce_ops.reduce_logsumexp(
                    inputs, axis=self.axis, keepdims=True))
            return activations.softmax(inputs, axis=self.axis[0])
        return activations.softmax(inputs, axis=self.axis)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}


class ThresholdedReLU(_Elementwise):
    def __init__(self, theta: float = 1.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if theta is None:
            raise ValueError("Theta of a Thresholded ReLU layer cannot be None, expecting "
                             f"a float. Received: {theta}")
        if theta < 0:
            raise ValueError("The theta value of a Thresholded ReLU layer should be >=0. "
                             f"Received: {theta}")
        self.supports_masking = True
        self.theta = _floatx(theta)

    def call(self, inputs: Any) -> Any:
        dtype = inputs.dtype.base_dtype
        return inputs * math_unary_ops.cast(math_ops.greater(inputs, float(self.theta)),
                                            dtype)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "theta": float(self.theta)}


class PReLU(_Elementwise):
    """``relu(x) - alpha * relu(-x)`` with a learned ``alpha`` per input element (shared
    along ``shared_axes``)."""

    def __init__(self, alpha_initializer: Any = "zeros", alpha_regularizer: Any = None,
                 alpha_constraint: Any = None, shared_axes: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes: list[int] | None = None
        elif not isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)

    def build(self, input_shape: Any) -> None:
        dims = input_shape.as_list()
        param_shape = list(dims[1:])
        if self.shared_axes is not None:
            for i in self.shared_axes:
                param_shape[i - 1] = 1
        self.alpha = self.add_weight(shape=param_shape, name="alpha",
                                     initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)
        axes = {}
        if self.shared_axes:
            for i in range(1, len(dims)):
                if i not in self.shared_axes:
                    axes[i] = dims[i]
        self.input_spec = InputSpec(ndim=len(dims), axes=axes)
        self.built = True

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(),
                "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": _ser(regularizers, self.alpha_regularizer),
                "alpha_constraint": _ser(constraints, self.alpha_constraint),
                "shared_axes": self.shared_axes}

    def call(self, inputs: Any) -> Any:
        pos = activations.relu(inputs)
        # TF's variable negation reads the variable first (ReadVariableOp, then Neg)
        neg = -convert_to_tensor(self.alpha) * activations.relu(-inputs)
        return pos + neg
