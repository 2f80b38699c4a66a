"""``tf.keras`` as TF 2.21's compat.v1 exposes it (tf-keras' v1 API) in graph mode: layers
and models whose graphs are TF's (names, shapes, collections, values). Models are trained
with a tf.train optimizer in a Session; Keras' own training loops are not built.
"""

from __future__ import annotations

from varstore.keras import (
    activations,
    backend,
    constraints,
    initializers,
    layers,
    models,
    regularizers,
)
from varstore.keras.engine.input_layer import Input
from varstore.keras.engine.sequential import Sequential
from varstore.keras.engine.training import Model

__all__ = ["Input", "Model", "Sequential", "activations", "backend", "constraints",
           "initializers", "layers", "models", "regularizers"]


# tf.keras namespaces built in their own modules (losses, utils, datasets, optimizers):
# imported on first use, so that this package does not depend on them being there
_LAZY = ("datasets", "losses", "optimizers", "utils")


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        try:
            return importlib.import_module(f"varstore.keras.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"varstore.keras.{name}":
                raise
    raise AttributeError(f"module 'varstore.keras' has no attribute {name!r}: varstore "
                         f"lacks tf.keras.{name}")
