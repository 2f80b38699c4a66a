"""PNG decoding and encoding in NumPy over zlib, with the transforms TF's png_io.cc asks
libpng for (so the decoded pixels equal TF's): palette to RGB, tRNS to alpha, 1/2/4-bit
gray expanded, alpha stripped or a filler added (libpng's filler is the source's
``(1 << bit_depth) - 1``), RGB to gray with libpng's integer 0.299/0.587 weights, 16 bits
stripped to the high byte or 8 bits synthesized to 16, Adam7 de-interlacing.

The encoder writes what TF's writer (libpng) writes: signature, IHDR, IDAT, IEND, each row
filtered by libpng's default heuristic (the filter with the least sum of absolute
differences), compressed by zlib at the requested level with libpng's strategy."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
          (0, 1, 1, 2))
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


class PngError(ValueError):
    """Data libpng rejects; ``in_data`` when it fails past the header (libpng's
    png_read_info stops at the first IDAT, so TF reports those failures differently)."""

    def __init__(self, message: str, in_data: bool = False) -> None:
        super().__init__(message)
        self.in_data = in_data


def _unfilter(raw: bytes, pos: int, rows: int, row_bytes: int, bpp: int
              ) -> tuple[np.ndarray, int]:
    out = np.zeros((rows, row_bytes), dtype=np.uint8)
    prev = np.zeros(row_bytes, dtype=np.int32)
    for r in range(rows):
        if pos + 1 + row_bytes > len(raw):
            raise PngError("Not enough image data", True)
        ftype = raw[pos]
        line = np.frombuffer(raw, dtype=np.uint8, count=row_bytes, offset=pos + 1).astype(np.int32)
        pos += 1 + row_bytes
        if ftype == 0:
            cur = line
        elif ftype == 1:
            cur = line.copy()
            for i in range(bpp, row_bytes):
                cur[i] = (cur[i] + cur[i - bpp]) & 0xFF
        elif ftype == 2:
            cur = (line + prev) & 0xFF
        elif ftype == 3:
            cur = line.copy()
            for i in range(row_bytes):
                left = cur[i - bpp] if i >= bpp else 0
                cur[i] = (cur[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif ftype == 4:
            cur = line.copy()
            pl = cur.tolist()
            up = prev.tolist()
            for i in range(row_bytes):
                a = pl[i - bpp] if i >= bpp else 0
                c = up[i - bpp] if i >= bpp else 0
                b = up[i]
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if (pa <= pb and pa <= pc) else (b if pb <= pc else c)
                pl[i] = (pl[i] + pred) & 0xFF
            cur = np.asarray(pl, dtype=np.int32)
        else:
            raise PngError("bad adaptive filter value", True)
        out[r] = cur
        prev = cur
    return out, pos


def _samples(rows: np.ndarray, width: int, depth: int, channels: int) -> np.ndarray:
    """Filtered-away rows -> (h, width, channels) samples (uint8 or uint16)."""
    h = rows.shape[0]
    if depth == 16:
        return rows.view(">u2")[:, :width * channels].astype(np.uint16).reshape(h, width, channels)
    if depth == 8:
        return rows[:, :width * channels].reshape(h, width, channels)
    bits = np.unpackbits(rows, axis=1).reshape(h, -1, depth)
    weights = (1 << np.arange(depth - 1, -1, -1)).astype(np.uint8)
    vals: np.ndarray = (bits * weights).sum(axis=2).astype(np.uint8)
    return vals[:, :width * channels].reshape(h, width, channels)


def read_chunks(data: bytes) -> tuple[dict[str, Any], bytes]:
    if not data.startswith(SIGNATURE):
        raise PngError("Not a PNG file")
    pos, idat = 8, bytearray()
    info: dict[str, Any] = {}
    seen_ihdr = False
    while True:
        if pos + 8 > len(data):
            raise PngError("Read Error", bool(idat))
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if len(body) < length or pos + 12 + length > len(data):
            raise PngError("Read Error", bool(idat) or ctype == b"IDAT")
        crc = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
        if zlib.crc32(ctype + body) & 0xFFFFFFFF != crc and ctype[0] & 0x20 == 0:
            raise PngError("CRC error", bool(idat) or ctype == b"IDAT")
        pos += 12 + length
        if ctype == b"IHDR":
            if length != 13:
                raise PngError("Invalid IHDR length")
            w, h, depth, ctype_, comp, filt, inter = struct.unpack(">IIBBBBB", body)
            if (ctype_ not in _CHANNELS or depth not in (1, 2, 4, 8, 16)
                    or (ctype_ in (2, 4, 6) and depth < 8) or (ctype_ == 3 and depth > 8)
                    or comp or filt or inter > 1 or w == 0 or h == 0 or w > 2 ** 31 - 1
                    or h > 2 ** 31 - 1):
                raise PngError("Invalid IHDR data")
            info.update(width=w, height=h, depth=depth, color=ctype_, interlace=inter)
            seen_ihdr = True
        elif not seen_ihdr:
            raise PngError("Missing IHDR before " + ctype.decode("latin-1"))
        elif ctype == b"PLTE":
            info["palette"] = np.frombuffer(body, dtype=np.uint8).reshape(-1, 3)
        elif ctype == b"tRNS":
            info["trns"] = body
        elif ctype == b"IDAT":
            idat += body
        elif ctype == b"IEND":
            break
    if info.get("color") == 3 and "palette" not in info:
        raise PngError("Missing PLTE before IDAT")
    return info, bytes(idat)


def decode(data: bytes, channels: int, out_bits: int) -> np.ndarray:
    """TF's DecodePng pixels: (height, width, channels) uint8 or uint16."""
    info, idat = read_chunks(data)
    w, h = int(info["width"]), int(info["height"])
    depth, color = int(info["depth"]), int(info["color"])
    nch = _CHANNELS[color]
    fast = _pillow_samples(data, w, h, depth, color)
    if fast is not None:
        return _transform(fast, info, channels, out_bits)
    try:
        raw = zlib.decompressobj().decompress(idat)
    except zlib.error as e:
        raise PngError("IDAT: invalid data", True) from e
    bpp = max(1, nch * depth // 8)
    if info["interlace"]:
        img = np.zeros((h, w, nch), dtype=np.uint16 if depth == 16 else np.uint8)
        pos = 0
        for x0, y0, dx, dy in _ADAM7:
            pw, ph = (w - x0 + dx - 1) // dx, (h - y0 + dy - 1) // dy
            if pw <= 0 or ph <= 0:
                continue
            rows, pos = _unfilter(raw, pos, ph, (pw * nch * depth + 7) // 8, bpp)
            img[y0::dy, x0::dx] = _samples(rows, pw, depth, nch)
    else:
        rows, _ = _unfilter(raw, 0, h, (w * nch * depth + 7) // 8, bpp)
        img = _samples(rows, w, depth, nch)
    return _transform(img, info, channels, out_bits)


def _pillow_samples(data: bytes, w: int, h: int, depth: int, color: int) -> np.ndarray | None:
    """The raw 8-bit samples through Pillow's C unfiltering when it is installed (the
    NumPy Paeth/Average loops are slow on large images); None sends the file to the
    decoder here, which also gives TF's errors for what Pillow rejects."""
    mode = {0: "L", 2: "RGB", 4: "LA", 6: "RGBA"}.get(color)
    if depth != 8 or mode is None:
        return None
    try:
        import PIL.Image
    except ImportError:
        return None
    try:
        with PIL.Image.open(io.BytesIO(data), formats=["PNG"]) as im:
            if im.mode != mode or im.size != (w, h):
                return None
            im.load()
            arr = np.asarray(im)
    except Exception:  # noqa: BLE001 - any Pillow failure: the decoder here decides
        return None
    return arr.reshape(h, w, -1)


def _transform(img: np.ndarray, info: dict[str, Any], channels: int,
               out_bits: int) -> np.ndarray:
    depth, color = int(info["depth"]), int(info["color"])
    trns: bytes = info.get("trns") or b""
    has_trns = "trns" in info
    if channels == 0:
        channels = (4 if has_trns else 3) if color == 3 else _CHANNELS[color]
    want_alpha = channels % 2 == 0
    filler = (1 << depth) - 1
    v = img.astype(np.int64)
    if color == 3:
        pal = np.asarray(info["palette"], dtype=np.int64)
        idx = v[..., 0]
        if idx.size and int(idx.max()) >= len(pal):
            # libpng maps an out-of-palette index to black (a benign error in 1.6)
            pal = np.concatenate([pal, np.zeros((256 - len(pal), 3), np.int64)])
        rgb = pal[idx]
        if want_alpha and has_trns:
            alpha = np.full(256, 255, np.int64)
            t = np.frombuffer(bytes(trns), dtype=np.uint8)[:256]
            alpha[:len(t)] = t
            v = np.concatenate([rgb, alpha[idx][..., None]], axis=-1)
        else:
            v = rgb
        depth_now = 8
    else:
        depth_now = depth
        if color in (0, 4) and depth < 8:
            v = v * (255 // ((1 << depth) - 1))
            depth_now = 8
        if want_alpha and color in (0, 2) and has_trns:
            key = np.frombuffer(bytes(trns), dtype=">u2").astype(np.int64)
            key = key[:_CHANNELS[color]]
            match = np.all(img.astype(np.int64) == key, axis=-1)
            amax = (1 << max(depth_now, 8)) - 1
            v = np.concatenate([v, np.where(match, 0, amax)[..., None]], axis=-1)
    has_alpha_now = v.shape[-1] in (2, 4)
    if not want_alpha and has_alpha_now:
        v = v[..., :-1]
    if channels < 3 and v.shape[-1] >= 3:
        v = _rgb_to_gray(v, depth_now)
    if channels >= 3 and v.shape[-1] <= 2:
        v = np.concatenate([v[..., :1]] * 3 + [v[..., 1:]], axis=-1)
    if depth_now == 16 and out_bits == 8:
        v = v >> 8
        depth_now = 8
    if want_alpha and v.shape[-1] % 2 == 1:
        fill = filler & (0xFFFF if depth_now == 16 else 0xFF)
        v = np.concatenate([v, np.full((*v.shape[:-1], 1), fill, np.int64)], axis=-1)
    if out_bits == 16 and depth_now <= 8:
        return (v * 257).astype(np.uint16)
    return v.astype(np.uint16 if out_bits == 16 else np.uint8)


def _rgb_to_gray(v: np.ndarray, depth: int) -> np.ndarray:
    # png_set_rgb_to_gray(png, 1, 0.299, 0.587): weights in 1/32768 as libpng computes them
    rc, gc = 29900 * 32768 // 100000, 58700 * 32768 // 100000
    bc = 32768 - rc - gc
    r, g, b = v[..., 0], v[..., 1], v[..., 2]
    mix = rc * r + gc * g + bc * b
    gray = mix >> 15 if depth <= 8 else (mix + 16384) >> 15
    gray = np.where((r == g) & (g == b), r, gray)
    return np.concatenate([gray[..., None], v[..., 3:]], axis=-1)


def header(data: bytes) -> tuple[int, int]:
    info, _ = read_chunks(data)
    return int(info["width"]), int(info["height"])


# -- encoding -----------------------------------------------------------------------------------
def _chunk(ctype: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + ctype + body
            + struct.pack(">I", zlib.crc32(ctype + body) & 0xFFFFFFFF))


def _filter_rows(rows: np.ndarray, bpp: int) -> bytes:
    """libpng's default filter choice: per row, the filter whose output has the least sum of
    bytes taken as signed magnitudes (ties to the lower filter number)."""
    out = bytearray()
    prev = np.zeros(rows.shape[1], dtype=np.int32)
    for row in rows.astype(np.int32):
        left = np.concatenate([np.zeros(bpp, np.int32), row[:-bpp]])
        upleft = np.concatenate([np.zeros(bpp, np.int32), prev[:-bpp]])
        p = left + prev - upleft
        pa, pb, pc = np.abs(p - left), np.abs(p - prev), np.abs(p - upleft)
        paeth = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, prev, upleft))
        cands = [row, row - left, row - prev, row - ((left + prev) >> 1), row - paeth]
        best, best_sum = 0, None
        for f, c in enumerate(cands):
            b = c & 0xFF
            s = int(np.where(b < 128, b, 256 - b).sum())
            if best_sum is None or s < best_sum:
                best, best_sum = f, s
        out.append(best)
        out += (cands[best] & 0xFF).astype(np.uint8).tobytes()
        prev = row
    return bytes(out)


def encode(image: np.ndarray, compression: int) -> bytes:
    """TF's EncodePng bytes for a (height, width, channels) uint8/uint16 image."""
    h, w, c = image.shape
    depth = 16 if image.dtype == np.uint16 else 8
    color = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    rows = (image.astype(">u2").view(np.uint8) if depth == 16 else image).reshape(h, -1)
    bpp = c * depth // 8
    filtered = _filter_rows(rows, bpp)
    level = 6 if compression < 0 else compression
    # libpng's png_deflate_claim: the window shrinks while the image (+262) fits in half of it
    size = len(filtered)
    wbits = 15
    if size <= 16384:
        half = 1 << (wbits - 1)
        while size + 262 <= half:
            half >>= 1
            wbits -= 1
    comp = zlib.compressobj(level, zlib.DEFLATED, max(wbits, 9), 9, zlib.Z_FILTERED)
    z = bytearray(comp.compress(filtered) + comp.flush())
    _optimize_cmf(z, size)
    body = b"".join(_chunk(b"IDAT", bytes(z[i:i + 8192])) for i in range(0, len(z), 8192))
    ihdr = struct.pack(">IIBBBBB", w, h, depth, color, 0, 0, 0)
    return SIGNATURE + _chunk(b"IHDR", ihdr) + body + _chunk(b"IEND", b"")


def _optimize_cmf(z: bytearray, size: int) -> None:
    """libpng's optimize_cmf: the zlib header names the smallest window holding the image."""
    if size > 16384 or z[0] & 0x0F != 8 or z[0] & 0xF0 > 0x70:
        return
    cinfo = z[0] >> 4
    half = 1 << (cinfo + 7)
    if size <= half:
        while True:
            half >>= 1
            cinfo -= 1
            if not (cinfo > 0 and size <= half):
                break
        z[0] = (z[0] & 0x0F) | (cinfo << 4)
        flg = z[1] & 0xE0
        flg += 0x1F - ((z[0] << 8) + flg) % 0x1F
        z[1] = flg
