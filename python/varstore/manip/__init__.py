"""``tf.manip``: TF1's tensor-manipulation namespace, the same functions as their top-level
``tf.*`` names (``tf.manip.roll``, ``tf.manip.tile`` ...)."""

from __future__ import annotations

from varstore.ops.array_ops import (
    reshape,
)
from varstore.ops.array_scatter_ops import (
    gather_nd,
    scatter_nd,
)
from varstore.ops.array_sort_ops import roll
from varstore.ops.array_space_ops import (
    batch_to_space_nd,
    space_to_batch_nd,
)
from varstore.ops.array_transform_ops import (
    reverse,
    tile,
)

__all__ = [
    "batch_to_space_nd",
    "gather_nd",
    "reshape",
    "reverse",
    "roll",
    "scatter_nd",
    "space_to_batch_nd",
    "tile",
]


def __getattr__(name: str) -> object:
    """A tf.manip symbol varstore does not implement: an AttributeError that says so."""
    raise AttributeError(f"module 'varstore.manip' has no attribute {name!r}: varstore lacks "
                         f"tf.manip.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
