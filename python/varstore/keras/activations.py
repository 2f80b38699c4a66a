"""``tf.keras.activations`` (tf-keras' ``activations.py``): the functions TF 2.21's v1
Keras namespace exports, ``get``, ``serialize`` and ``deserialize``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.ops import (
    array_transform_ops,
    math_ops,
    math_reduce_ops,
    math_unary_ops,
    nn_impl,
    nn_ops,
)

__all__ = ["deserialize", "elu", "exponential", "get", "hard_sigmoid", "linear", "mish",
           "relu", "selu", "serialize", "sigmoid", "softmax", "softplus", "softsign",
           "swish", "tanh"]


def softmax(x: Any, axis: int = -1) -> Any:
    x = convert_to_tensor(x)
    if x.shape.ndims is not None and x.shape.ndims <= 1:
        raise ValueError(f"Cannot apply softmax to a tensor that is 1D. Received input: {x}")
    return nn_ops.softmax(x, axis=axis)


def elu(x: Any, alpha: float = 1.0) -> Any:
    """tf-keras' backend.elu: Elu, and ``where(x > 0, elu, alpha * elu)`` for alpha != 1."""
    res = nn_ops.elu(x)
    if alpha == 1:
        return res
    return array_transform_ops.where_v2(math_ops.greater(x, 0), res, alpha * res)


def selu(x: Any) -> Any:
    return nn_ops.selu(x)


def softplus(x: Any) -> Any:
    return nn_ops.softplus(x)


def softsign(x: Any) -> Any:
    return nn_ops.softsign(x)


def swish(x: Any) -> Any:
    return nn_impl.swish(x)


def relu(x: Any, alpha: float = 0.0, max_value: Any = None, threshold: float = 0.0) -> Any:
    """tf-keras' backend.relu: Relu, LeakyRelu for alpha, Relu6 for max_value 6, a clip for
    another max_value, a mask for a threshold."""
    x = convert_to_tensor(x)
    dtype = x.dtype.base_dtype
    negative_part: Any = None
    if alpha != 0.0:
        if max_value is None and not threshold:
            return nn_ops.leaky_relu(x, alpha=alpha)
        negative_part = nn_ops.relu(-x + threshold) if threshold != 0 else nn_ops.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = x * math_unary_ops.cast(math_ops.greater(x, threshold), dtype)
    elif max_value == 6:
        x = nn_ops.relu6(x)
        clip_max = False
    else:
        x = nn_ops.relu(x)
    if clip_max:
        x = math_reduce_ops.clip_by_value(x, constant(0, dtype=dtype),
                                          constant(max_value, dtype=dtype))
    if alpha != 0.0:
        x = x - constant(alpha, dtype=dtype) * negative_part
    return x


def tanh(x: Any) -> Any:
    return math_unary_ops.tanh(x)


def sigmoid(x: Any) -> Any:
    return math_unary_ops.sigmoid(x)


def exponential(x: Any) -> Any:
    return math_unary_ops.exp(x)


def hard_sigmoid(x: Any) -> Any:
    """tf-keras' backend.hard_sigmoid: ``clip(0.2 x + 0.5, 0, 1)``."""
    x = convert_to_tensor(x)
    point_two = constant(0.2, dtype=x.dtype.base_dtype)
    point_five = constant(0.5, dtype=x.dtype.base_dtype)
    x = math_ops.add(math_ops.multiply(x, point_two, name="Mul"), point_five, name="Add")
    return math_reduce_ops.clip_by_value(x, 0.0, 1.0)


def mish(x: Any) -> Any:
    return x * math_unary_ops.tanh(nn_ops.softplus(x))


def linear(x: Any) -> Any:
    return x


_ALL: dict[str, Callable[..., Any]] = {f.__name__: f for f in (softmax, elu, selu, softplus, softsign, swish, relu, tanh,
                                sigmoid, exponential, hard_sigmoid, mish, linear)}


def serialize(activation: Any) -> Any:
    name = getattr(activation, "__name__", None)
    if name in _ALL and _ALL[name] is activation:
        return name
    if hasattr(activation, "get_config"):
        return {"module": "keras.layers", "class_name": type(activation).__name__,
                "config": activation.get_config(), "registered_name": None}
    raise ValueError(f"Unknown activation function '{activation}' cannot be serialized "
                     "due to invalid function name. Make sure to use an activation name "
                     "that matches the references defined in activations.py or use "
                     "`@keras.saving.register_keras_serializable()`to register any custom "
                     "activations. ")


def deserialize(name: Any, custom_objects: Any = None) -> Any:
    if isinstance(name, str):
        found = (custom_objects or {}).get(name) or _ALL.get(name)
        if found is None:
            raise ValueError(f"Unknown activation function '{name}' cannot be "
                             "deserialized.")
        return found
    raise TypeError(f"Could not interpret activation function identifier: {name}")


def get(identifier: Any) -> Any:
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret activation function identifier: {identifier}")
