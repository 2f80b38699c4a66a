"""``tf.keras.models``: the model classes (saving and cloning are not built)."""

from __future__ import annotations

from varstore.keras.engine.sequential import Sequential
from varstore.keras.engine.training import Model

__all__ = ["Model", "Sequential"]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.keras.models' has no attribute {name!r}: "
                         f"varstore lacks tf.keras.models.{name}")
