"""``tf.keras.losses`` (tf_keras' losses.py, its v1 namespace): the loss functions, which
open no name scope (``Mean:0``), and the Loss classes, whose call runs under the loss's
name (``binary_crossentropy/...``) and reduces in ``weighted_loss`` (``.../value:0`` for
SUM_OVER_BATCH_SIZE and AUTO).

The v1 namespace has no ``Reduction`` and no ``huber`` function (TF exports both only to
TF2's); the reductions are the strings "auto", "none", "sum" and "sum_over_batch_size".
"""

from __future__ import annotations

import types
import warnings
from typing import Any

from varstore.keras import losses_functions as _fns
from varstore.keras.losses_classes import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    Huber,
    KLDivergence,
    LogCosh,
    Loss,
    LossFunctionWrapper,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
)
from varstore.keras.losses_functions import (
    KLD,
    MAE,
    MAPE,
    MSE,
    MSLE,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_hinge,
    cosine,
    cosine_proximity,
    cosine_similarity,
    hinge,
    kl_divergence,
    kld,
    kullback_leibler_divergence,
    log_cosh,
    logcosh,
    mae,
    mape,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    mse,
    msle,
    poisson,
    sparse_categorical_crossentropy,
    squared_hinge,
)
from varstore.keras.utils.generic_utils import lookup_custom_object

__all__ = [
    "KLD", "MAE", "MAPE", "MSE", "MSLE", "BinaryCrossentropy", "BinaryFocalCrossentropy",
    "CategoricalCrossentropy", "CategoricalFocalCrossentropy", "CategoricalHinge",
    "CosineSimilarity", "Hinge", "Huber", "KLDivergence", "LogCosh", "Loss",
    "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredError",
    "MeanSquaredLogarithmicError", "Poisson", "SparseCategoricalCrossentropy", "SquaredHinge",
    "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
    "categorical_focal_crossentropy", "categorical_hinge", "cosine", "cosine_proximity",
    "cosine_similarity", "deserialize", "get", "hinge", "kl_divergence", "kld",
    "kullback_leibler_divergence", "log_cosh", "logcosh", "mae", "mape",
    "mean_absolute_error", "mean_absolute_percentage_error", "mean_squared_error",
    "mean_squared_logarithmic_error", "mse", "msle", "poisson", "serialize",
    "sparse_categorical_crossentropy", "squared_hinge",
]




# what deserialize finds by name (tf_keras looks in its module globals)
_MODULE_OBJECTS: dict[str, Any] = {}


def _module_objects() -> dict[str, Any]:
    if not _MODULE_OBJECTS:
        g = globals()
        _MODULE_OBJECTS.update({k: g[k] for k in __all__ if k not in (
            "get", "serialize", "deserialize")})
        _MODULE_OBJECTS.update({"huber": _fns._huber, "huber_loss": _fns._huber,
                                "bce": binary_crossentropy,
                                "BCE": binary_crossentropy,
                                "LossFunctionWrapper": LossFunctionWrapper})
    return _MODULE_OBJECTS


def serialize(loss: Any, use_legacy_format: bool = False) -> Any:
    """A Loss object as ``{"module", "class_name", "config", "registered_name"}``; a
    function by its name."""
    if loss is None:
        return None
    if not isinstance(loss, Loss):
        warnings.warn("The `keras.losses.serialize()` API should only be used for objects of "
                      "type `keras.losses.Loss`. Found an instance of type "
                      f"{type(loss)}, which may lead to improper serialization.", stacklevel=2)
    if isinstance(loss, types.FunctionType):
        if use_legacy_format:
            return loss.__name__
        return {"module": "builtins", "class_name": "function", "config": loss.__name__,
                "registered_name": "function"}
    if use_legacy_format:
        return {"class_name": type(loss).__name__, "config": loss.get_config()}
    return {"module": "keras.losses", "class_name": type(loss).__name__,
            "config": loss.get_config(), "registered_name": None}


def _unknown(name: Any) -> ValueError:
    return ValueError(f"Unknown loss function: '{name}'. Please ensure you are using a "
                      "`keras.utils.custom_object_scope` and that this object is included in "
                      "the scope. See https://www.tensorflow.org/guide/keras/"
                      "save_and_serialize#registering_the_custom_object for details.")


def _lookup(name: str, custom_objects: dict[str, Any] | None) -> Any:
    obj = lookup_custom_object(name, custom_objects)
    if obj is None:
        obj = _module_objects().get(name)
    return obj


def deserialize(name: Any, custom_objects: dict[str, Any] | None = None,
                use_legacy_format: bool = False) -> Any:
    """A name gives the function (or an instance of the class) it names; a dict
    ``{"class_name", "config"}`` builds the class from its config."""
    del use_legacy_format  # both formats are read the same way here
    if isinstance(name, dict):
        cls_name = name.get("class_name")
        if cls_name == "function":
            return deserialize(name.get("config"), custom_objects)
        cls = _lookup(str(cls_name), custom_objects)
        if cls is None:
            raise _unknown(cls_name)
        config = dict(name.get("config") or {})
        return cls.from_config(config) if hasattr(cls, "from_config") else cls(**config)
    if isinstance(name, str):
        obj = _lookup(name, custom_objects)
        if obj is None:
            raise _unknown(name)
        return obj() if isinstance(obj, type) else obj
    raise _unknown(name)


def get(identifier: Any) -> Any:
    if identifier is None:
        return None
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret loss function identifier: {identifier}")


# names TF exports only to TF2's tf.keras.losses
_TF2_ONLY = ("Reduction", "huber")


def __getattr__(name: str) -> object:
    if name in _TF2_ONLY:
        raise AttributeError(f"module 'varstore.keras.losses' has no attribute {name!r}")
    raise AttributeError(f"module 'varstore.keras.losses' has no attribute {name!r}: varstore "
                         f"lacks tf.keras.losses.{name}")
