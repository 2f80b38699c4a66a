"""``tf.lookup`` (TF1's tf.compat.v1.lookup): static and vocabulary tables with their
initializers, and ``tf.lookup.experimental.MutableHashTable`` (varstore.ops.lookup_ops)."""

from __future__ import annotations

from varstore.lookup import experimental
from varstore.ops.lookup_ops import (
    KeyValueTensorInitializer,
    StaticHashTable,
    StaticVocabularyTable,
    TextFileIndex,
    TextFileInitializer,
)

__all__ = [
    "KeyValueTensorInitializer",
    "StaticHashTable",
    "StaticVocabularyTable",
    "TextFileIndex",
    "TextFileInitializer",
    "experimental",
]


def __getattr__(name: str) -> object:
    """A tf.lookup symbol varstore does not implement: an AttributeError that says so."""
    raise AttributeError(f"module 'varstore.lookup' has no attribute {name!r}: varstore "
                         f"lacks tf.lookup.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
