"""``tf.spectral``: TF1's older name for the FFTs and DCTs of tf.signal."""

from __future__ import annotations

from varstore.ops.fft_ops import (
    fft,
    fft2d,
    fft3d,
    ifft,
    ifft2d,
    ifft3d,
    irfft,
    irfft2d,
    irfft3d,
    rfft,
    rfft2d,
    rfft3d,
)
from varstore.ops.signal_dct_mel_ops import dct, idct

__all__ = [
    "dct",
    "fft",
    "fft2d",
    "fft3d",
    "idct",
    "ifft",
    "ifft2d",
    "ifft3d",
    "irfft",
    "irfft2d",
    "irfft3d",
    "rfft",
    "rfft2d",
    "rfft3d",
]


def __getattr__(name: str) -> object:
    """A tf.spectral symbol varstore does not implement: an AttributeError that says so."""
    raise AttributeError(f"module 'varstore.spectral' has no attribute {name!r}: varstore "
                         f"lacks tf.spectral.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
