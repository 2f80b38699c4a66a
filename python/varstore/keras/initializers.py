"""``tf.keras.initializers`` as TF 2.21's v1 Keras namespace exports it: the TF1 classes
(init_ops: Zeros, Ones, Constant, GlorotUniform ...), tf-keras' v1 random classes
(RandomNormal with stddev 0.05 ...), and ``get``, which resolves a string to the v2 classes
(stateless random ops) while v2 behaviour is on and to the TF1 ones after
``tf.disable_v2_behavior()``, as tf-keras' populate_deserializable_objects does.
"""

from __future__ import annotations

import inspect
from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.mode import tf2_enabled
from varstore.keras import initializers_v2 as _v2
from varstore.ops import init_ops as _v1
from varstore.ops.init_ops import (
    Constant,
    GlorotNormal,
    GlorotUniform,
    Identity,
    Ones,
    Orthogonal,
    VarianceScaling,
    Zeros,
)

__all__ = ["Constant", "Identity", "Initializer", "Ones", "Orthogonal", "RandomNormal",
           "RandomUniform", "TruncatedNormal", "VarianceScaling", "Zeros", "constant",
           "deserialize", "get", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform",
           "identity", "lecun_normal", "lecun_uniform", "normal", "ones", "orthogonal",
           "random_normal", "random_uniform", "serialize", "truncated_normal", "uniform",
           "zeros"]

Initializer = _v2.Initializer


class RandomNormal(_v1.RandomNormal):
    """tf-keras' initializers_v1.RandomNormal: TF1's, stddev 0.05 by default."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None,
                 dtype: Any = _dtypes.float32) -> None:
        super().__init__(mean=mean, stddev=stddev, seed=seed, dtype=dtype)


class RandomUniform(_v1.RandomUniform):
    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: int | None = None,
                 dtype: Any = _dtypes.float32) -> None:
        super().__init__(minval=minval, maxval=maxval, seed=seed, dtype=dtype)


class TruncatedNormal(_v1.TruncatedNormal):
    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: int | None = None,
                 dtype: Any = _dtypes.float32) -> None:
        super().__init__(mean=mean, stddev=stddev, seed=seed, dtype=dtype)


class _V1Preset(_v1.VarianceScaling):
    _preset: tuple[float, str, str] = (1.0, "fan_in", "truncated_normal")

    def __init__(self, seed: int | None = None) -> None:
        scale, mode, distribution = self._preset
        super().__init__(scale=scale, mode=mode, distribution=distribution, seed=seed)

    def get_config(self) -> dict[str, Any]:
        return {"seed": self.seed}


class HeNormal(_V1Preset):
    _preset = (2.0, "fan_in", "truncated_normal")


class HeUniform(_V1Preset):
    _preset = (2.0, "fan_in", "uniform")


class LecunNormal(_V1Preset):
    _preset = (1.0, "fan_in", "truncated_normal")


class LecunUniform(_V1Preset):
    _preset = (1.0, "fan_in", "uniform")


constant = Constant
glorot_normal = GlorotNormal
glorot_uniform = GlorotUniform
identity = Identity
ones = Ones
orthogonal = Orthogonal
zeros = Zeros
he_normal = HeNormal
he_uniform = HeUniform
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
normal = random_normal = RandomNormal
uniform = random_uniform = RandomUniform
truncated_normal = TruncatedNormal

_V2_CLASSES: dict[str, type] = {c.__name__: c for c in (
    _v2.Constant, _v2.GlorotNormal, _v2.GlorotUniform, _v2.HeNormal, _v2.HeUniform,
    _v2.Identity, _v2.LecunNormal, _v2.LecunUniform, _v2.Ones, _v2.Orthogonal,
    _v2.RandomNormal,
    _v2.RandomUniform, _v2.TruncatedNormal, _v2.VarianceScaling, _v2.Zeros)}
_V1_CLASSES: dict[str, type] = {
    "Constant": Constant, "GlorotNormal": GlorotNormal, "GlorotUniform": GlorotUniform,
    "Identity": Identity, "Ones": Ones, "Orthogonal": Orthogonal,
    "VarianceScaling": VarianceScaling, "Zeros": Zeros, "HeNormal": HeNormal,
    "HeUniform": HeUniform, "LecunNormal": LecunNormal, "LecunUniform": LecunUniform,
    "RandomNormal": RandomNormal, "RandomUniform": RandomUniform,
    "TruncatedNormal": TruncatedNormal}
# tf-keras' snake-case aliases (generic_utils.to_snake_case of each class name) and the
# short ones of the v1 table
_ALIASES = {"constant": "Constant", "glorot_normal": "GlorotNormal",
            "glorot_uniform": "GlorotUniform", "he_normal": "HeNormal",
            "he_uniform": "HeUniform", "identity": "Identity", "lecun_normal": "LecunNormal",
            "lecun_uniform": "LecunUniform", "ones": "Ones", "orthogonal": "Orthogonal",
            "random_normal": "RandomNormal", "random_uniform": "RandomUniform",
            "truncated_normal": "TruncatedNormal", "variance_scaling": "VarianceScaling",
            "zeros": "Zeros", "normal": "RandomNormal", "uniform": "RandomUniform"}


def _lookup(class_name: str) -> type:
    table = _V2_CLASSES if tf2_enabled() else _V1_CLASSES
    name = _ALIASES.get(class_name, class_name)
    if name not in table:
        raise ValueError(f"Unknown initializer: '{class_name}'. Please ensure you are using "
                         "a `keras.utils.custom_object_scope` and that this object is "
                         "included in the scope. See https://www.tensorflow.org/guide/keras/"
                         "save_and_serialize#registering_the_custom_object for details.")
    return table[name]


def serialize(initializer: Any) -> dict[str, Any]:
    """tf-keras' serialize_keras_object: module, class name, config."""
    return {"module": "keras.initializers", "class_name": type(initializer).__name__,
            "config": initializer.get_config(), "registered_name": None}


def deserialize(config: Any, custom_objects: Any = None) -> Any:
    if isinstance(config, str):
        return _lookup(config)()
    cls: Any = (custom_objects or {}).get(config["class_name"]) or _lookup(config["class_name"])
    return cls.from_config(config.get("config", {}))


def get(identifier: Any) -> Any:
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return deserialize({"class_name": identifier, "config": {}})
    if callable(identifier):
        return identifier() if inspect.isclass(identifier) else identifier
    raise ValueError("Could not interpret initializer identifier: " + str(identifier))
