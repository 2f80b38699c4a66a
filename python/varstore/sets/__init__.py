"""``tf.sets``: TF1's set namespace over varstore.ops.sets_ops (SetSize and the dense/sparse
set operations)."""

from __future__ import annotations

from varstore.ops.sets_ops import (
    difference,
    intersection,
    set_difference,
    set_intersection,
    set_size,
    set_union,
    size,
    union,
)

__all__ = [
    "difference",
    "intersection",
    "set_difference",
    "set_intersection",
    "set_size",
    "set_union",
    "size",
    "union",
]


def __getattr__(name: str) -> object:
    """A tf.sets symbol varstore does not implement: an AttributeError that says so."""
    raise AttributeError(f"module 'varstore.sets' has no attribute {name!r}: varstore lacks "
                         f"tf.sets.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
