"""``tf.keras.regularizers`` (tf-keras' ``regularizers.py``): L1, L2, L1L2 (factors held
as float32, as tf-keras' cast_to_floatx), their aliases, ``get``/``serialize``."""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.ops import math_reduce_ops, math_unary_ops, nn_ops

__all__ = ["L1", "L1L2", "L2", "Regularizer", "deserialize", "get", "l1", "l1_l2", "l2",
           "serialize"]


def _factor(value: Any, name: str) -> Any:
    if value is None or not isinstance(value, (int, float, np.floating, np.integer)):
        raise ValueError(f"Value for argument {name} must be a float or an int. Received: "
                         f"{name}={value}")
    if not np.isfinite(value):
        raise ValueError(f"Value for argument {name} must be a finite value. Received: "
                         f"{name}={value}")
    return np.float32(value)


class Regularizer:
    def __call__(self, x: Any) -> Any:
        return 0.0

    def get_config(self) -> dict[str, Any]:
        raise NotImplementedError(f"{self} does not implement get_config()")

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        return cls(**config)


class L1L2(Regularizer):
    """``l1 * sum(|x|) + l2 * 2 * l2_loss(x)`` added onto a 0.0 constant."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1 = _factor(0.0 if l1 is None else l1, "l1")
        self.l2 = _factor(0.0 if l2 is None else l2, "l2")

    def __call__(self, x: Any) -> Any:
        x = convert_to_tensor(x)
        regularization: Any = constant(0.0, dtype=x.dtype)
        if self.l1:
            regularization += self.l1 * math_reduce_ops.reduce_sum(math_unary_ops.abs(x))
        if self.l2:
            regularization += 2.0 * self.l2 * nn_ops.l2_loss(x)
        return regularization

    def get_config(self) -> dict[str, Any]:
        return {"l1": float(self.l1), "l2": float(self.l2)}


class L1(Regularizer):
    def __init__(self, l1: float = 0.01, **kwargs: Any) -> None:
        l1 = kwargs.pop("l", l1)  # tf-keras' backwards-compatible name
        if kwargs:
            raise TypeError(f"Argument(s) not recognized: {kwargs}")
        self.l1 = _factor(0.01 if l1 is None else l1, "l1")

    def __call__(self, x: Any) -> Any:
        return self.l1 * math_reduce_ops.reduce_sum(math_unary_ops.abs(x))

    def get_config(self) -> dict[str, Any]:
        return {"l1": float(self.l1)}


class L2(Regularizer):
    def __init__(self, l2: float = 0.01, **kwargs: Any) -> None:
        l2 = kwargs.pop("l", l2)
        if kwargs:
            raise TypeError(f"Argument(s) not recognized: {kwargs}")
        self.l2 = _factor(0.01 if l2 is None else l2, "l2")

    def __call__(self, x: Any) -> Any:
        return 2.0 * self.l2 * nn_ops.l2_loss(x)

    def get_config(self) -> dict[str, Any]:
        return {"l2": float(self.l2)}


def l1_l2(l1: float = 0.01, l2: float = 0.01) -> L1L2:
    return L1L2(l1=l1, l2=l2)


l1 = L1
l2 = L2

_ALL: dict[str, type] = {"L1": L1, "L2": L2, "L1L2": L1L2, "l1": L1, "l2": L2,
                         "l1_l2": L1L2}


def serialize(regularizer: Any) -> dict[str, Any]:
    return {"module": "keras.regularizers", "class_name": type(regularizer).__name__,
            "config": regularizer.get_config(), "registered_name": None}


def deserialize(config: Any, custom_objects: Any = None) -> Any:
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    name = config["class_name"]
    cls: Any = (custom_objects or {}).get(name) or _ALL.get(name)
    if cls is None:
        raise ValueError(f"Unknown regularizer: '{name}'. Please ensure you are using a "
                         "`keras.utils.custom_object_scope` and that this object is "
                         "included in the scope. See https://www.tensorflow.org/guide/keras/"
                         "save_and_serialize#registering_the_custom_object for details.")
    return cls.from_config(config.get("config", {}))


def get(identifier: Any) -> Any:
    if identifier is None:
        return None
    if isinstance(identifier, (dict, str)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret regularizer identifier: {identifier}")
