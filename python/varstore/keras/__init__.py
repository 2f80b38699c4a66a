"""``tf.keras`` (tf_keras' v1 namespace, TF_USE_LEGACY_KERAS=1): losses, the backend math,
utils, datasets, optimizers and the metric functions."""

from __future__ import annotations

from varstore.keras import backend_math, datasets, losses, metrics, optimizers, utils

__all__ = ["backend", "datasets", "losses", "metrics", "optimizers", "utils"]

backend = backend_math


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.keras' has no attribute {name!r}: varstore lacks "
                         f"tf.keras.{name}")
