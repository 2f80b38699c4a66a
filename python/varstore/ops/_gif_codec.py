"""GIF decoding as TF's gif_io.cc does over giflib: every image block LZW-decoded, the frames
composed on a canvas of the largest frame's size, each frame starting from the previous one
(the first from black), a frame's transparent index leaving the pixel below it."""

from __future__ import annotations

import numpy as np


class GifError(ValueError):
    """Data giflib rejects (the message is giflib's error string)."""


def _lzw(data: bytes, min_size: int, count: int) -> bytes:
    clear, end = 1 << min_size, (1 << min_size) + 1
    out = bytearray()
    size = min_size + 1
    table: list[bytes] = [bytes([i]) for i in range(clear)] + [b"", b""]
    prev: bytes | None = None
    bitbuf = nbits = 0
    pos = 0
    while len(out) < count:
        while nbits < size:
            if pos >= len(data):
                return bytes(out)
            bitbuf |= data[pos] << nbits
            pos += 1
            nbits += 8
        code = bitbuf & ((1 << size) - 1)
        bitbuf >>= size
        nbits -= size
        if code == clear:
            table = table[:clear + 2]
            size = min_size + 1
            prev = None
            continue
        if code == end:
            break
        if code < len(table):
            entry = table[code]
            if prev is not None:
                table.append(prev + entry[:1])
        elif prev is not None and code == len(table):
            entry = prev + prev[:1]
            table.append(entry)
        else:
            raise GifError("Image is defective, decoding aborted")
        out += entry
        prev = entry
        if len(table) == (1 << size) and size < 12:
            size += 1
    return bytes(out)


def _sub_blocks(data: bytes, pos: int) -> tuple[bytes, int]:
    out = bytearray()
    while True:
        if pos >= len(data):
            raise GifError("Failed to read from given file")
        n = data[pos]
        pos += 1
        if n == 0:
            return bytes(out), pos
        if pos + n > len(data):
            raise GifError("Failed to read from given file")
        out += data[pos:pos + n]
        pos += n


def _color_table(data: bytes, pos: int, flags: int) -> tuple[np.ndarray, int]:
    n = 2 << (flags & 7)
    if pos + 3 * n > len(data):
        raise GifError("Failed to read from given file")
    return np.frombuffer(data, np.uint8, 3 * n, pos).reshape(n, 3), pos + 3 * n


def _frames(data: bytes) -> list[tuple[int, int, int, int, np.ndarray, np.ndarray | None, int]]:
    if len(data) < 13 or data[:3] != b"GIF":
        raise GifError("Data is not in GIF format")
    flags = data[10]
    pos = 13
    global_map = None
    if flags & 0x80:
        global_map, pos = _color_table(data, pos, flags)
    frames = []
    transparent = -1
    while pos < len(data):
        tag = data[pos]
        pos += 1
        if tag == 0x3B:
            break
        if tag == 0x21:
            if pos >= len(data):
                raise GifError("Failed to read from given file")
            label = data[pos]
            body, pos = _sub_blocks(data, pos + 1)
            if label == 0xF9 and len(body) >= 4:
                transparent = body[3] if body[0] & 1 else -1
            continue
        if tag != 0x2C:
            raise GifError("Wrong record type detected")
        if pos + 9 > len(data):
            raise GifError("Failed to read from given file")
        left, top, w, h = (int.from_bytes(data[pos + i:pos + i + 2], "little")
                           for i in (0, 2, 4, 6))
        iflags = data[pos + 8]
        pos += 9
        cmap = global_map
        if iflags & 0x80:
            cmap, pos = _color_table(data, pos, iflags)
        if pos >= len(data):
            raise GifError("Failed to read from given file")
        min_size = data[pos]
        raster, pos = _sub_blocks(data, pos + 1)
        pixels = _lzw(raster, min_size, w * h)
        px = np.zeros(w * h, np.uint8)
        px[:len(pixels)] = np.frombuffer(pixels, np.uint8)[:w * h]
        if iflags & 0x40:  # interlaced rows: passes 0::8, 4::8, 2::4, 1::2
            order = [r for s, d in ((0, 8), (4, 8), (2, 4), (1, 2)) for r in range(s, h, d)]
            rows = np.empty((h, w), np.uint8)
            rows[order] = px.reshape(h, w)
            px = rows.reshape(-1)
        frames.append((left, top, w, h, px.reshape(h, w), cmap, transparent))
        transparent = -1
    return frames


def decode(data: bytes, expand_animations: bool) -> np.ndarray:
    """TF's DecodeGif pixels: (frames, height, width, 3) uint8."""
    frames = _frames(data)
    if not frames:
        raise GifError("gif file does not contain any image")
    width = max(f[2] for f in frames)
    height = max(f[3] for f in frames)
    n = len(frames) if expand_animations else 1
    out = np.zeros((n, height, width, 3), np.uint8)
    for k in range(n):
        left, top, w, h, px, cmap, transparent = frames[k]
        if k > 0:
            out[k] = out[k - 1]
        if cmap is None:
            raise GifError(f"missing color map for frame {k}")
        x0, y0 = max(left, 0), max(top, 0)
        x1, y1 = min(left + w, width), min(top + h, height)
        if x1 <= x0 or y1 <= y0:
            continue
        idx = px[y0 - top:y1 - top, x0 - left:x1 - left].astype(np.int64)
        opaque = idx != transparent
        bad = idx[opaque]
        if bad.size and int(bad.max()) >= len(cmap):
            raise GifError(f"found color index {int(bad[bad >= len(cmap)][0])} outside of "
                           f"color map range {len(cmap)}")
        region = out[k, y0:y1, x0:x1]
        region[opaque] = cmap[idx[opaque]]
        if k == 0:
            region[~opaque] = 0
    return out
