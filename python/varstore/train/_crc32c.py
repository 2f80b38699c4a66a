"""CRC-32C (Castagnoli), as TF's checkpoints use it, and TF's CRC masking (crc32c.h).

The checksums come from google-crc32c (Google's hardware-accelerated crc32c library). Its
public functions take only ``bytes`` (the ``y#`` argument format rejects memoryviews, mmaps
and NumPy arrays), which would cost a copy of every tensor. So when the wheel's extension
links the library as a shared object (Linux and macOS wheels do), :func:`extend` calls the
library's own ``crc32c_extend`` through ctypes on the buffer's address: no copy, and the GIL is
released during the call. The fast path is checked against the public function on a test
vector when first used; if it cannot be set up, the public function runs on ``bytes`` copies
of 4 MiB chunks (same result, about 30 % slower on a 200 MB restore).
"""

from __future__ import annotations

import ctypes
from typing import Any, Callable, Union

import google_crc32c
import numpy as np

__all__ = ["extend", "implementation", "mask", "unmask", "value"]

Buffer = Union[bytes, bytearray, memoryview, np.ndarray]

_MASK_DELTA = 0xA282EAD8
_U32 = 0xFFFFFFFF
_CHUNK = 1 << 22  # bytes per call: bounds the copies of the fallback path

_native: Callable[[int, int, int], int] | None = None
_probed = False


def mask(crc: int) -> int:
    """TF's ``crc32c::Mask``: rotate right by 15 bits, add a constant (stored CRCs)."""
    return ((((crc >> 15) | (crc << 17)) & _U32) + _MASK_DELTA) & _U32


def unmask(masked: int) -> int:
    """The inverse of :func:`mask`."""
    rot = (masked - _MASK_DELTA) & _U32
    return ((rot >> 17) | (rot << 15)) & _U32


def _load_native() -> Callable[[int, int, int], int] | None:
    try:
        from google_crc32c import _crc32c

        lib = ctypes.CDLL(_crc32c.__file__)
        fn: Any = lib.crc32c_extend
    except (ImportError, OSError, AttributeError):
        return None
    fn.restype = ctypes.c_uint32
    fn.argtypes = [ctypes.c_uint32, ctypes.c_void_p, ctypes.c_size_t]
    probe = np.frombuffer(b"123456789" * 1000, dtype=np.uint8)
    try:
        ok = int(fn(0, probe.ctypes.data, probe.size)) == int(google_crc32c.value(probe.tobytes()))
    except (ctypes.ArgumentError, OSError):  # pragma: no cover - defensive
        ok = False
    return fn if ok else None


def _get_native() -> Callable[[int, int, int], int] | None:
    global _native, _probed
    if not _probed:
        _native = _load_native()
        _probed = True
    return _native


def _use_native(enabled: bool) -> None:
    """Tests: force the fallback path (False) or re-probe the fast path (True)."""
    global _native, _probed
    _native = None
    _probed = not enabled


def implementation() -> str:
    """``"native"`` (zero-copy calls into libcrc32c) or ``"bytes"`` (the public API)."""
    return "native" if _get_native() is not None else "bytes"


def extend(crc: int, data: Buffer) -> int:
    """The CRC-32C of the bytes so far (``crc``) followed by ``data`` (not masked)."""
    if isinstance(data, bytes) and (len(data) <= _CHUNK or _get_native() is None):
        return int(google_crc32c.extend(crc, data))
    arr = data if isinstance(data, np.ndarray) else np.frombuffer(data, dtype=np.uint8)
    if arr.dtype != np.uint8 or arr.ndim != 1:
        if not arr.flags.c_contiguous:
            raise ValueError("crc32c needs a contiguous buffer")
        arr = arr.reshape(-1).view(np.uint8)
    n = int(arr.size)
    fn = _get_native()
    if fn is not None:
        if not arr.flags.c_contiguous:  # pragma: no cover - 1-d uint8 views here are
            arr = np.ascontiguousarray(arr)
        base = int(arr.ctypes.data) if n else 0
        for start in range(0, n, _CHUNK):
            crc = int(fn(crc, base + start, min(_CHUNK, n - start)))
        return crc
    for start in range(0, n, _CHUNK):
        crc = int(google_crc32c.extend(crc, arr[start:start + _CHUNK].tobytes()))
    return crc


def value(data: Buffer) -> int:
    """The CRC-32C of ``data`` (not masked)."""
    return extend(0, data)
