"""``tf.bitwise``: TF1's bit-manipulation namespace over varstore.ops.bitwise_ops."""

from __future__ import annotations

from varstore.ops.bitwise_ops import (
    bitwise_and,
    bitwise_or,
    bitwise_xor,
    invert,
    left_shift,
    right_shift,
)

__all__ = [
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "invert",
    "left_shift",
    "right_shift",
]


def __getattr__(name: str) -> object:
    """A tf.bitwise symbol varstore does not implement: an AttributeError that says so."""
    raise AttributeError(f"module 'varstore.bitwise' has no attribute {name!r}: varstore lacks "
                         f"tf.bitwise.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
