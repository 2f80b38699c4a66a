"""``tf.manip``: TF1's tensor-manipulation namespace (``tf.manip.roll``)."""

from __future__ import annotations

from varstore.ops.array_sort_ops import roll

__all__ = [
    "roll",
]
