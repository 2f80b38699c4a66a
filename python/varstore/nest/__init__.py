"""``tf.nest``: TF's nested-structure utilities (varstore.util.nest)."""

from __future__ import annotations

from varstore.util.nest import (
    assert_same_structure,
    flatten,
    is_nested,
    map_structure,
    pack_sequence_as,
)

__all__ = ["assert_same_structure", "flatten", "is_nested", "map_structure",
           "pack_sequence_as"]


def __getattr__(name: str) -> object:
    """A tf.nest symbol varstore does not implement: an AttributeError that says so."""
    raise AttributeError(f"module 'varstore.nest' has no attribute {name!r}: varstore lacks "
                         f"tf.nest.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
