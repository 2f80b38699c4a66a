"""``tf.signal``: TF1's signal-processing namespace over varstore.ops.fft_ops and the
signal_* composites (framing, windows, STFT, MDCT, DCT, mel filters, MFCCs)."""

from __future__ import annotations

from varstore.ops.fft_ops import (
    fft,
    fft2d,
    fft3d,
    fftshift,
    ifft,
    ifft2d,
    ifft3d,
    ifftshift,
    irfft,
    irfft2d,
    irfft3d,
    rfft,
    rfft2d,
    rfft3d,
)
from varstore.ops.signal_dct_mel_ops import (
    dct,
    idct,
    linear_to_mel_weight_matrix,
    mfccs_from_log_mel_spectrograms,
)
from varstore.ops.signal_shape_ops import frame, overlap_and_add
from varstore.ops.signal_spectral_ops import (
    inverse_mdct,
    inverse_stft,
    inverse_stft_window_fn,
    mdct,
    stft,
)
from varstore.ops.signal_window_ops import (
    hamming_window,
    hann_window,
    kaiser_bessel_derived_window,
    kaiser_window,
    vorbis_window,
)

__all__ = [
    "dct",
    "fft",
    "fft2d",
    "fft3d",
    "fftshift",
    "frame",
    "hamming_window",
    "hann_window",
    "idct",
    "ifft",
    "ifft2d",
    "ifft3d",
    "ifftshift",
    "inverse_mdct",
    "inverse_stft",
    "inverse_stft_window_fn",
    "irfft",
    "irfft2d",
    "irfft3d",
    "kaiser_bessel_derived_window",
    "kaiser_window",
    "linear_to_mel_weight_matrix",
    "mdct",
    "mfccs_from_log_mel_spectrograms",
    "overlap_and_add",
    "rfft",
    "rfft2d",
    "rfft3d",
    "stft",
    "vorbis_window",
]


def __getattr__(name: str) -> object:
    """A tf.signal symbol varstore does not implement: an AttributeError that says so."""
    raise AttributeError(f"module 'varstore.signal' has no attribute {name!r}: varstore lacks "
                         f"tf.signal.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
