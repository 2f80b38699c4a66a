"""``tf.keras.optimizers`` (tf_keras' v1 namespace: the legacy OptimizerV2 classes) as far
as varstore's training ops go: SGD, Adam, RMSprop, Adadelta, Adagrad, Adamax, Ftrl and Nadam;
the schedules are ExponentialDecay, InverseTimeDecay, PolynomialDecay, PiecewiseConstantDecay
and CosineDecay."""

from __future__ import annotations

from typing import Any

from varstore.keras.optimizers import schedules
from varstore.keras.optimizers.adagrad_adamax import Adagrad, Adamax
from varstore.keras.optimizers.nadam import Nadam
from varstore.keras.optimizers.optimizer_v2 import OptimizerV2
from varstore.keras.optimizers.optimizers_impl import SGD, Adadelta, Adam, Ftrl, RMSprop

__all__ = ["SGD", "Adadelta", "Adagrad", "Adam", "Adamax", "Ftrl", "Nadam", "Optimizer", "RMSprop", "deserialize", "get",
           "schedules", "serialize"]

Optimizer = OptimizerV2

_BY_NAME: dict[str, Any] = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop,
                            "adadelta": Adadelta, "adagrad": Adagrad, "adamax": Adamax, "ftrl": Ftrl, "nadam": Nadam}


def serialize(optimizer: OptimizerV2) -> dict[str, Any]:
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config: dict[str, Any], custom_objects: Any = None) -> OptimizerV2:
    name = str(config["class_name"])
    cls = _BY_NAME.get(name.lower())
    if cls is None:
        raise ValueError(f"Unknown optimizer: '{name}'. Please ensure you are using a "
                         "`keras.utils.custom_object_scope` and that this object is included "
                         "in the scope. See https://www.tensorflow.org/guide/keras/"
                         "save_and_serialize#registering_the_custom_object for details.")
    return cls.from_config(dict(config.get("config") or {}), custom_objects)  # type: ignore[no-any-return]


def get(identifier: Any) -> Any:
    """An optimizer from an instance, a name ("adam"...) or a config dict."""
    if isinstance(identifier, OptimizerV2):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.keras.optimizers' has no attribute {name!r}: "
                         f"varstore lacks tf.keras.optimizers.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
