"""Keys of the slices of partitioned variables (saved_tensor_slice_util.cc,
``EncodeTensorNameSlice``), in TF's OrderedCode (lib/strings/ordered_code.cc).

A slice of tensor ``name`` is stored under the binary key ``num(0) string(name) num(rank)``
followed by ``signed(start) signed(length)`` per dimension (length -1 for a full extent).
``num`` is a length byte and big-endian digits; ``string`` escapes ``\\x00`` as ``\\x00\\xff`` and
``\\xff`` as ``\\xff\\x00`` and ends with ``\\x00\\x01``; ``signed`` is OrderedCode's
order-preserving signed varint (1 byte for [-64, 64), ...). Every slice key starts with
``\\x00`` (``num(0)``), so it never collides with a tensor name.
"""

from __future__ import annotations

import re

__all__ = ["SliceKeyError", "decode_slice_key", "encode_slice_key", "is_slice_key"]

# OrderedCode kLengthToHeaderBits / kLengthToMask, indexed by encoded length
_HEADER = [(0, 0), (0x80, 0), (0xC0, 0), (0xE0, 0), (0xF0, 0), (0xF8, 0), (0xFC, 0),
           (0xFE, 0), (0xFF, 0), (0xFF, 0x80), (0xFF, 0xC0)]
_MASK = [0, 0x80, 0xC000, 0xE00000, 0xF0000000, 0xF800000000, 0xFC0000000000,
         0xFE000000000000, 0xFF00000000000000, 0x8000000000000000, 0]
_U64 = (1 << 64) - 1


class SliceKeyError(ValueError):
    """A malformed slice key."""


def is_slice_key(key: bytes) -> bool:
    return key[:1] == b"\x00"


def _write_num(value: int) -> bytes:
    digits = value.to_bytes((value.bit_length() + 7) // 8, "big") if value else b""
    return bytes([len(digits)]) + digits


def _write_string(s: bytes) -> bytes:
    escaped = re.sub(b"[\x00\xff]", lambda m: b"\x00\xff" if m.group() == b"\x00" else b"\xff\x00", s)
    return escaped + b"\x00\x01"


def _signed_length(value: int) -> int:
    x = ~value if value < 0 else value
    bits = x.bit_length() + 1  # the value bits plus the sign bit
    return min((bits + 6) // 7, 10)  # n bytes hold 7n - 1 value bits


def _write_signed(value: int) -> bytes:
    if not -(1 << 63) <= value < 1 << 63:
        raise SliceKeyError(f"slice bound {value} does not fit in int64")
    n = _signed_length(value)
    if n == 1:
        return bytes([(0x80 ^ value) & 0xFF])
    raw = bytearray((value & ((1 << 80) - 1)).to_bytes(10, "big"))[10 - n:]
    raw[0] ^= _HEADER[n][0]
    raw[1] ^= _HEADER[n][1]
    return bytes(raw)


def encode_slice_key(name: str, extents: tuple[tuple[int, int], ...]) -> bytes:
    """The key of the slice ``extents`` ((start, length) per dimension) of tensor ``name``."""
    out = _write_num(0) + _write_string(name.encode("utf-8")) + _write_num(len(extents))
    for start, length in extents:
        out += _write_signed(start) + _write_signed(length)
    return out


def _read_num(key: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(key):
        raise SliceKeyError("truncated number")
    n = key[pos]
    if n > 8 or pos + 1 + n > len(key):
        raise SliceKeyError("bad number")
    return int.from_bytes(key[pos + 1:pos + 1 + n], "big"), pos + 1 + n


def _read_string(key: bytes, pos: int) -> tuple[bytes, int]:
    out = bytearray()
    while True:
        nxt = min((i for i in (key.find(b"\x00", pos), key.find(b"\xff", pos)) if i >= 0),
                  default=-1)
        if nxt < 0 or nxt + 1 >= len(key):
            raise SliceKeyError("unterminated string")
        out += key[pos:nxt]
        pair = key[nxt:nxt + 2]
        pos = nxt + 2
        if pair == b"\x00\x01":
            return bytes(out), pos
        if pair == b"\x00\xff":
            out.append(0)
        elif pair == b"\xff\x00":
            out.append(0xFF)
        else:
            raise SliceKeyError("bad escape in string")


def _read_signed(key: bytes, pos: int) -> tuple[int, int]:
    if pos >= len(key):
        raise SliceKeyError("truncated signed number")
    xor = 0 if key[pos] & 0x80 else 0xFF
    first = key[pos] ^ xor
    if first != 0xFF:
        n = 8 - (first ^ 0xFF).bit_length()
    else:
        n = 8
        if pos + 8 > len(key):
            raise SliceKeyError("truncated signed number")
        second = key[pos + 1] ^ xor
        if second >= 0x80:
            if second < 0xC0:
                n = 9
            elif second == 0xC0 and pos + 2 < len(key) and key[pos + 2] ^ xor < 0x80:
                n = 10
            else:
                raise SliceKeyError("signed number too long")
    if pos + n > len(key):
        raise SliceKeyError("truncated signed number")
    raw = int.from_bytes(key[pos:pos + n], "big")
    if xor:  # negative: sign-extend
        raw |= ~((1 << (8 * n)) - 1)
    raw &= _U64
    raw ^= _MASK[n]
    value = raw - (1 << 64) if raw >= 1 << 63 else raw
    return value, pos + n


def decode_slice_key(key: bytes) -> tuple[str, tuple[tuple[int, int], ...]]:
    """(tensor name, extents) of a slice key; SliceKeyError if it is not one."""
    zero, pos = _read_num(key, 0)
    if zero != 0:
        raise SliceKeyError("not a slice key")
    name, pos = _read_string(key, pos)
    rank, pos = _read_num(key, pos)
    if rank > (len(key) - pos) // 2:
        raise SliceKeyError("rank larger than the key")
    extents = []
    for _ in range(rank):
        start, pos = _read_signed(key, pos)
        length, pos = _read_signed(key, pos)
        extents.append((start, length))
    if pos != len(key):
        raise SliceKeyError("trailing bytes after the slice")
    try:
        text = name.decode("utf-8")
    except UnicodeDecodeError:
        raise SliceKeyError("tensor name is not UTF-8") from None
    return text, tuple(extents)
