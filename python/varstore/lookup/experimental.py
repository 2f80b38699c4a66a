"""``tf.lookup.experimental``: MutableHashTable (DenseHashTable is not implemented)."""

from __future__ import annotations

from varstore.ops.lookup_ops import MutableHashTable

__all__ = ["MutableHashTable"]


def __getattr__(name: str) -> object:
    """A tf.lookup.experimental symbol varstore does not implement (DenseHashTable ...)."""
    raise AttributeError(f"module 'varstore.lookup.experimental' has no attribute {name!r}: "
                         f"varstore lacks tf.lookup.experimental.{name}")
