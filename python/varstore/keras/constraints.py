"""``tf.keras.constraints`` (tf-keras' ``constraints.py``): MaxNorm, NonNeg, UnitNorm,
MinMaxNorm and their aliases, ``get``/``serialize``."""

from __future__ import annotations

from typing import Any

from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.ops import math_ops, math_reduce_ops, math_unary_ops

__all__ = ["Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "deserialize",
           "get", "max_norm", "min_max_norm", "non_neg", "serialize", "unit_norm"]


def _epsilon() -> float:
    from varstore.keras import backend

    return backend.epsilon()


def _norms(w: Any, axis: Any) -> Any:
    """tf-keras' backend.sqrt(reduce_sum(square(w), axis, keepdims)): the sum clamped at 0
    (Maximum) before Sqrt."""
    total = math_reduce_ops.reduce_sum(math_unary_ops.square(w), axis=axis, keepdims=True)
    zero = constant(0.0, dtype=total.dtype.base_dtype)
    return math_unary_ops.sqrt(math_ops.maximum(total, zero))


def _clip(x: Any, lo: float, hi: float) -> Any:
    hi = max(hi, lo)
    return math_reduce_ops.clip_by_value(x, lo, hi)


class Constraint:
    def __call__(self, w: Any) -> Any:
        return w

    def get_config(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        return cls(**config)


class MaxNorm(Constraint):
    def __init__(self, max_value: float = 2, axis: Any = 0) -> None:
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w: Any) -> Any:
        w = convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = _clip(norms, 0, self.max_value)
        return w * (desired / (_epsilon() + norms))

    def get_config(self) -> dict[str, Any]:
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    def __call__(self, w: Any) -> Any:
        from varstore.keras import backend

        w = convert_to_tensor(w)
        return w * math_unary_ops.cast(math_ops.greater_equal(w, 0.0), backend.floatx())


class UnitNorm(Constraint):
    def __init__(self, axis: Any = 0) -> None:
        self.axis = axis

    def __call__(self, w: Any) -> Any:
        w = convert_to_tensor(w)
        return w / (_epsilon() + _norms(w, self.axis))

    def get_config(self) -> dict[str, Any]:
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    def __init__(self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0,
                 axis: Any = 0) -> None:
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w: Any) -> Any:
        w = convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = (self.rate * _clip(norms, self.min_value, self.max_value)
                   + (1 - self.rate) * norms)
        return w * (desired / (_epsilon() + norms))

    def get_config(self) -> dict[str, Any]:
        return {"min_value": self.min_value, "max_value": self.max_value,
                "rate": self.rate, "axis": self.axis}


max_norm = MaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
min_max_norm = MinMaxNorm

_ALL: dict[str, type] = {"MaxNorm": MaxNorm, "NonNeg": NonNeg, "UnitNorm": UnitNorm,
                         "MinMaxNorm": MinMaxNorm, "max_norm": MaxNorm, "non_neg": NonNeg,
                         "unit_norm": UnitNorm, "min_max_norm": MinMaxNorm}


def serialize(constraint: Any) -> dict[str, Any]:
    return {"module": "keras.constraints", "class_name": type(constraint).__name__,
            "config": constraint.get_config(), "registered_name": None}


def deserialize(config: Any, custom_objects: Any = None) -> Any:
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    name = config["class_name"]
    cls: Any = (custom_objects or {}).get(name) or _ALL.get(name)
    if cls is None:
        raise ValueError(f"Unknown constraint: '{name}'. Please ensure you are using a "
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
    raise ValueError(f"Could not interpret constraint identifier: {identifier}")
