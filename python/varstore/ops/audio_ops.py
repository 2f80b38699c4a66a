"""``tf.audio.decode_wav`` / ``encode_wav`` (ops DecodeWav / EncodeWav), as TF's
core/lib/wav/wav_io.cc: 16-bit PCM little-endian only; samples scaled by 2^15 (encoding
rounds half away from zero and clamps); decoding skips TF's list of padding chunks before
"fmt " and unknown chunks after it, replicates the last channel and zero-pads samples up to
``desired_channels`` / ``desired_samples``. The header TF writes is reproduced byte for byte."""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.op_def_library import check_same_graph, first_input
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)

__all__ = ["decode_wav", "encode_wav"]

# chunks TF skips between "WAVE" and "fmt "
_PADDING_CHUNKS = frozenset({b"JUNK", b"bext", b"iXML", b"qlty", b"mext", b"levl", b"link",
                             b"axml"})


class DecodeWav(NamedTuple):
    """The outputs of DecodeWav, as TF's generated op returns them."""

    audio: Tensor
    sample_rate: Tensor


def decode_wav(contents: Any, desired_channels: int = -1, desired_samples: int = -1,
               name: str | None = None) -> DecodeWav:
    """``tf.audio.decode_wav``: a 16-bit PCM WAV string to float32 ``[samples, channels]``
    in [-1, 1) and its int32 sample rate."""
    graph = check_same_graph(contents)
    full = graph._op_name(name, "DecodeWav")
    with scope_of(graph, full):
        c = first_input(contents, "contents", _dtypes.string)
    if c._dtype is not _dtypes.string:
        raise TypeError(f"Input 'contents' of 'DecodeWav' Op has type {c._dtype.name} that "
                        "does not match expected type of string.")
    for arg, v in (("desired_channels", desired_channels),
                   ("desired_samples", desired_samples)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"Expected int for argument '{arg}' not {v!r}.")
    attrs = {"desired_channels": int(desired_channels),
             "desired_samples": int(desired_samples)}
    if c._shape is not None and len(c._shape) != 0:
        raise node_error(f"Shape must be rank 0 but is rank {len(c._shape)}", full,
                         "DecodeWav", f"desired_channels={desired_channels}, "
                         f"desired_samples={desired_samples}", [c])
    samples = None if desired_samples == -1 else int(desired_samples)
    channels = None if desired_channels == -1 else int(desired_channels)
    op = make_op(graph, full, "DecodeWav", [c], attrs,
                 [(_dtypes.float32, (samples, channels)), (_dtypes.int32, ())])
    return DecodeWav(op._outputs[0], op._outputs[1])


def encode_wav(audio: Any, sample_rate: Any, name: str | None = None) -> Tensor:
    """``tf.audio.encode_wav``: float32 ``[samples, channels]`` audio as a 16-bit PCM WAV
    string (TF's exact bytes)."""
    graph = check_same_graph(audio, sample_rate)
    full = graph._op_name(name, "EncodeWav")
    with scope_of(graph, full):
        a = first_input(audio, "audio", _dtypes.float32)
        r = first_input(sample_rate, "sample_rate", _dtypes.int32)
    if a._dtype is not _dtypes.float32:
        raise TypeError(f"Input 'audio' of 'EncodeWav' Op has type {a._dtype.name} that does "
                        "not match expected type of float32.")
    if r._dtype is not _dtypes.int32:
        raise TypeError(f"Input 'sample_rate' of 'EncodeWav' Op has type {r._dtype.name} "
                        "that does not match expected type of int32.")
    if a._shape is not None and len(a._shape) != 2:
        raise node_error(f"Shape must be rank 2 but is rank {len(a._shape)}", full,
                         "EncodeWav", "", [a, r])
    if r._shape is not None and len(r._shape) != 0:
        raise node_error(f"Shape must be rank 0 but is rank {len(r._shape)}", full,
                         "EncodeWav", "", [a, r])
    return make_op(graph, full, "EncodeWav", [a, r], {}, [(_dtypes.string, ())])._outputs[0]


# -- WAV bytes (wav_io.cc) ----------------------------------------------------------------------
def encode_s16le_wav(audio: np.ndarray, sample_rate: int) -> bytes:
    """TF's EncodeAudioAsS16LEWav: a 44-byte header, then the samples interleaved."""
    frames, channels = audio.shape
    if sample_rate <= 0 or sample_rate > 0xFFFFFFFF:
        raise ValueError(f"sample_rate must be in (0, 2^32), got: {sample_rate}")
    if channels == 0 or channels > 0xFFFF:
        raise ValueError(f"num_channels must be in (0, 2^16), got: {channels}")
    data_size = frames * channels * 2
    file_size = 44 + data_size
    if file_size > 0xFFFFFFFF:
        raise ValueError("Provided channels and frames cannot be encoded as a WAV.")
    header = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", file_size - 8, b"WAVE", b"fmt ", 16,
                         1, channels, sample_rate, (sample_rate * 2 * channels) & 0xFFFFFFFF,
                         2 * channels, 16, b"data", data_size)
    scaled = np.asarray(audio, np.float32).reshape(-1) * np.float32(1 << 15)
    # roundf: half away from zero (exact in float64 for float32 values)
    mag = np.floor(np.abs(scaled).astype(np.float64) + 0.5)
    rounded = np.clip(np.copysign(mag, scaled), -32768, 32767)
    return header + bytes(rounded.astype("<i2").tobytes())


def _take(data: bytes, offset: int, n: int) -> tuple[bytes, int]:
    if offset + n > len(data):
        raise ValueError("Data too short when trying to read string")
    return data[offset:offset + n], offset + n


def _expect(data: bytes, text: bytes, offset: int) -> int:
    found, offset = _take(data, offset, len(text))
    if found != text:
        raise ValueError(f"Header mismatch: Expected {text.decode()} but found "
                         f"{found.decode('latin-1')}")
    return offset


def _value(data: bytes, fmt: str, offset: int) -> tuple[int, int]:
    raw, offset = _take(data, offset, struct.calcsize(fmt))
    return int(struct.unpack(fmt, raw)[0]), offset


def decode_lin16_wav(data: bytes) -> tuple[np.ndarray, int, int, int]:
    """TF's DecodeLin16WaveAsFloatVector: (interleaved float32 samples, sample count,
    channel count, sample rate), with TF's messages for malformed files."""
    off = _expect(data, b"RIFF", 0)
    _, off = _value(data, "<I", off)
    off = _expect(data, b"WAVE", off)
    chunk, off = _take(data, off, 4)
    while chunk != b"fmt ":
        if chunk not in _PADDING_CHUNKS:
            raise ValueError(f"Unexpected field {chunk.decode('latin-1')}")
        size, off = _value(data, "<I", off)
        if off + size > len(data):
            raise ValueError("Data too short when trying to read string")
        off += size
        chunk, off = _take(data, off, 4)
    fmt_size, off = _value(data, "<I", off)
    if fmt_size not in (16, 18):
        raise ValueError(f"Bad format chunk size for WAV: Expected 16 or 18, but got{fmt_size}")
    audio_format, off = _value(data, "<H", off)
    if audio_format != 1:
        raise ValueError(f"Bad audio format for WAV: Expected 1 (PCM), but got{audio_format}")
    channels, off = _value(data, "<H", off)
    if channels < 1:
        raise ValueError(f"Bad number of channels for WAV: Expected at least 1, but got "
                         f"{channels}")
    rate, off = _value(data, "<I", off)
    bytes_per_second, off = _value(data, "<I", off)
    bytes_per_sample, off = _value(data, "<H", off)
    bits, off = _value(data, "<H", off)
    if bits != 16:
        raise ValueError(f"Can only read 16-bit WAV files, but received {bits}")
    expected = (bits * channels + 7) // 8
    if bytes_per_sample != expected:
        raise ValueError(f"Bad bytes per sample in WAV header: Expected {expected} but got "
                         f"{bytes_per_sample}")
    if bytes_per_second != (bytes_per_sample * rate) & 0xFFFFFFFF:
        raise ValueError(f"Bad bytes per second in WAV header: Expected "
                         f"{bytes_per_sample * rate} but got {bytes_per_second} (sample_rate="
                         f"{rate}, bytes_per_sample={bytes_per_sample})")
    if fmt_size == 18:
        off += 2
    samples: np.ndarray | None = None
    count = 0
    while off < len(data):
        chunk, off = _take(data, off, 4)
        size, off = _value(data, "<I", off)
        if size > 0x7FFFFFFF:
            raise ValueError(f"WAV data chunk '{chunk.decode('latin-1')}' is too large: {size} "
                             "bytes, but the limit is 2147483647")
        if chunk == b"data":
            if samples is not None:
                raise ValueError("More than one data chunk found in WAV")
            count = size // bytes_per_sample
            n = count * channels
            raw, off = _take(data, off, 2 * n)
            samples = np.frombuffer(raw, "<i2").astype(np.float32) * np.float32(1.0 / (1 << 15))
        else:
            off += size
    if samples is None:
        raise ValueError("No data chunk found in WAV")
    return samples, count, channels, rate


@register_kernel("DecodeWav")
def _decode_wav_kernel(op: Operation) -> Callable[..., Any]:
    want_channels = int(op._attrs["desired_channels"])
    want_samples = int(op._attrs["desired_samples"])

    def kernel(contents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if np.ndim(contents) != 0:
            raise ValueError(f"contents must be scalar, got shape {list(np.shape(contents))}")
        raw = np.asarray(contents).item()
        samples, count, channels, rate = decode_lin16_wav(
            raw.encode() if isinstance(raw, str) else bytes(raw))
        if want_channels < -1:
            raise ValueError(f"desired_channels must be >= -1, got {want_channels}")
        if want_samples < -1:
            raise ValueError(f"desired_samples must be >= -1, got {want_samples}")
        out_samples = count if want_samples == -1 else want_samples
        out_channels = channels if want_channels == -1 else want_channels
        decoded = samples.reshape(count, channels)
        out = np.zeros((out_samples, out_channels), np.float32)
        keep = min(out_samples, count)
        if out_channels and keep:
            source = np.minimum(np.arange(out_channels), channels - 1)
            out[:keep] = decoded[:keep][:, source]
        return out, np.asarray(rate, np.int32)

    return kernel


@register_kernel("EncodeWav")
def _encode_wav_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(audio: np.ndarray, sample_rate: np.ndarray) -> np.ndarray:
        if np.ndim(audio) != 2:
            raise ValueError(f"audio must be 2-dimensional {list(np.shape(audio))}")
        if np.ndim(sample_rate) != 0:
            raise ValueError(f"Input sample_rate should be a scalar tensor, got "
                             f"{list(np.shape(sample_rate))} instead.")
        return np.asarray(encode_s16le_wav(audio, int(sample_rate)), dtype=object)

    return kernel


NotDifferentiable("DecodeWav")
NotDifferentiable("EncodeWav")
