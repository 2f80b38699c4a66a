"""``tf.audio``: TF1's WAV codec namespace over varstore.ops.audio_ops."""

from __future__ import annotations

from varstore.ops.audio_ops import decode_wav, encode_wav

__all__ = ["decode_wav", "encode_wav"]


def __getattr__(name: str) -> object:
    """A tf.audio symbol varstore does not implement: an AttributeError that says so."""
    raise AttributeError(f"module 'varstore.audio' has no attribute {name!r}: varstore lacks "
                         f"tf.audio.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
