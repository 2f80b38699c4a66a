"""``tf.keras`` as TF 2.21's compat.v1 exposes it (tf-keras' v1 API) in graph mode: layers
and models whose graphs are TF's (names, shapes, collections, values), the losses, the
backend, utils, datasets, the Keras optimizers, the metric functions and the fit callbacks. ``Model.compile`` /
``fit`` / ``evaluate`` / ``predict`` run TF's v1 array loops (engine/training_fit.py).
"""

from __future__ import annotations

from varstore.keras import (
    activations,
    backend,
    callbacks,
    constraints,
    datasets,
    initializers,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    regularizers,
    utils,
)
from varstore.keras.engine.input_layer import Input
from varstore.keras.engine.sequential import Sequential
from varstore.keras.engine.training import Model

__all__ = ["Input", "Model", "Sequential", "activations", "backend", "callbacks", "constraints",
           "datasets", "initializers", "layers", "losses", "metrics", "models", "optimizers",
           "regularizers", "utils"]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.keras' has no attribute {name!r}: varstore "
                         f"lacks tf.keras.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
