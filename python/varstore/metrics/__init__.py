"""The ``tf.metrics`` namespace (TF1's tf.compat.v1.metrics)."""

from __future__ import annotations

from varstore.ops.metrics_impl import accuracy, mean

__all__ = ["accuracy", "mean"]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.metrics' has no attribute {name!r}: varstore lacks "
                         f"tf.metrics.{name}")
