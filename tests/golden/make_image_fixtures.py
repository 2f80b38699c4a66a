"""Writes tests/golden/image_fixtures.py: tiny encoded images (base64) for the 'imagecodec'
golden set. PNGs are written by hand here (every colour type and bit depth, tRNS, Adam7
interlacing, all five row filters), GIFs by hand (LZW at 8 bits/code-size, sub-frames and a
transparent index, interlaced rows), BMPs by hand; JPEGs by Pillow (4:2:0, 4:2:2, 4:4:4,
grayscale, progressive). Run once with Pillow installed:
``python tests/golden/make_image_fixtures.py``."""

import base64
import io
import os
import struct
import zlib

import numpy as np

_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
          (0, 1, 1, 2))


def _chunk(t, body):
    return struct.pack(">I", len(body)) + t + body + struct.pack(">I", zlib.crc32(t + body))


def _pack(samples, depth):
    """(h, n) sample rows -> packed bytes rows."""
    if depth == 16:
        return [r.astype(">u2").tobytes() for r in samples]
    if depth == 8:
        return [r.astype(np.uint8).tobytes() for r in samples]
    out = []
    for r in samples:
        bits = np.unpackbits(r.astype(np.uint8)[:, None], axis=1)[:, 8 - depth:].reshape(-1)
        out.append(np.packbits(bits).tobytes())
    return out


def _filter(rows, bpp, start):
    out, prev = bytearray(), bytes(len(rows[0])) if rows else b""
    for i, row in enumerate(rows):
        f = (start + i) % 5
        cur = bytearray()
        for j, x in enumerate(row):
            a = row[j - bpp] if j >= bpp else 0
            b = prev[j]
            c = prev[j - bpp] if j >= bpp else 0
            if f == 0:
                pred = 0
            elif f == 1:
                pred = a
            elif f == 2:
                pred = b
            elif f == 3:
                pred = (a + b) >> 1
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            cur.append((x - pred) & 0xFF)
        out.append(f)
        out += cur
        prev = row
    return bytes(out)


def png(samples, color, depth, interlace=False, palette=None, trns=None):
    h, w, c = samples.shape
    bpp = max(1, c * depth // 8)
    if interlace:
        raw = b""
        for k, (x0, y0, dx, dy) in enumerate(_ADAM7):
            sub = samples[y0::dy, x0::dx]
            if sub.size:
                raw += _filter(_pack(sub.reshape(sub.shape[0], -1), depth), bpp, k)
    else:
        raw = _filter(_pack(samples.reshape(h, -1), depth), bpp, 0)
    out = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color, 0,
                                                              0, int(interlace)))
    if palette is not None:
        out += _chunk(b"PLTE", np.asarray(palette, np.uint8).tobytes())
    if trns is not None:
        out += _chunk(b"tRNS", trns)
    comp = zlib.compress(raw, 9)
    half = len(comp) // 2  # two IDAT chunks, as libpng may write
    return out + _chunk(b"IDAT", comp[:half]) + _chunk(b"IDAT", comp[half:]) + _chunk(b"IEND", b"")


def _lzw(indices, min_size):
    # one code per pixel with a clear code before the table would grow: simple and valid
    clear, end = 1 << min_size, (1 << min_size) + 1
    size = min_size + 1
    codes, n = [clear], 0
    for v in indices:
        codes.append(int(v))
        n += 1
        if n == (1 << size) - (clear + 2) - 1:
            codes.append(clear)
            n = 0
    codes.append(end)
    bits, nbits, out = 0, 0, bytearray()
    for code in codes:
        bits |= code << nbits
        nbits += size
        while nbits >= 8:
            out.append(bits & 0xFF)
            bits >>= 8
            nbits -= 8
    if nbits:
        out.append(bits & 0xFF)
    return bytes(out)


def _blocks(data):
    out = bytearray()
    for i in range(0, len(data), 255):
        out.append(len(data[i:i + 255]))
        out += data[i:i + 255]
    return bytes(out) + b"\x00"


def gif(width, height, palette, frames, interlace=False):
    """frames: (left, top, idx (h, w), transparent or None, local palette or None)."""
    pal = np.asarray(palette, np.uint8)
    bits = int(np.log2(len(pal))) - 1
    out = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80 | bits, 0, 0) + pal.tobytes()
    for left, top, idx, transparent, local in frames:
        if transparent is not None:
            out += b"\x21\xf9\x04" + bytes([1, 0, 0, transparent, 0])
        h, w = idx.shape
        flags = 0x40 if interlace else 0
        lpal = b""
        if local is not None:
            lp = np.asarray(local, np.uint8)
            flags |= 0x80 | (int(np.log2(len(lp))) - 1)
            lpal = lp.tobytes()
        rows = idx
        if interlace:
            order = [r for s, d in ((0, 8), (4, 8), (2, 4), (1, 2)) for r in range(s, h, d)]
            rows = idx[order]
        min_size = max(2, bits + 1)
        out += b"\x2c" + struct.pack("<HHHHB", left, top, w, h, flags) + lpal
        out += bytes([min_size]) + _blocks(_lzw(rows.reshape(-1), min_size))
    return out + b"\x3b"


def bmp(pixels, top_down=False):
    h, w, c = pixels.shape
    row = (c * w + 3) // 4 * 4
    body = bytearray()
    order = range(h) if top_down else range(h - 1, -1, -1)
    for r in order:
        line = pixels[r][..., [2, 1, 0, 3][:c]] if c >= 3 else pixels[r]
        body += line.astype(np.uint8).tobytes() + b"\x00" * (row - c * w)
    header = 54 + (1024 if c == 1 else 0)
    info = struct.pack("<IiiHHIIiiII", 40, w, -h if top_down else h, 1, 8 * c, 0, len(body),
                       2835, 2835, 0, 0)
    pal = b"".join(bytes([i, i, i, 0]) for i in range(256)) if c == 1 else b""
    return (b"BM" + struct.pack("<IHHI", header + len(body), 0, 0, header) + info + pal
            + bytes(body))


def main():
    import PIL.Image

    rng = np.random.default_rng(7)
    fx = {}
    for depth in (1, 2, 4, 8, 16):
        fx[f"png_gray{depth}"] = png(rng.integers(0, 1 << depth, (5, 7, 1)), 0, depth)
    fx["png_gray8_trns"] = png(rng.integers(0, 4, (4, 6, 1)) * 60, 0, 8, trns=b"\x00\x3c")
    fx["png_gray2_trns"] = png(rng.integers(0, 4, (4, 6, 1)), 0, 2, trns=b"\x00\x01")
    for depth in (8, 16):
        fx[f"png_ga{depth}"] = png(rng.integers(0, 1 << depth, (4, 5, 2)), 4, depth)
        fx[f"png_rgb{depth}"] = png(rng.integers(0, 1 << depth, (6, 5, 3)), 2, depth)
        fx[f"png_rgba{depth}"] = png(rng.integers(0, 1 << depth, (5, 6, 4)), 6, depth)
    fx["png_rgb8_trns"] = png(rng.integers(0, 2, (4, 4, 3)) * 200, 2, 8, trns=b"\x00\xc8\x00\x00\x00\xc8")
    fx["png_rgb16_trns"] = png(rng.integers(0, 2, (4, 4, 3)) * 40000, 2, 16,
                               trns=struct.pack(">HHH", 40000, 0, 40000))
    pal = rng.integers(0, 256, (16, 3))
    fx["png_pal4"] = png(rng.integers(0, 16, (5, 9, 1)), 3, 4, palette=pal)
    fx["png_pal8_trns"] = png(rng.integers(0, 16, (6, 5, 1)), 3, 8, palette=pal,
                              trns=bytes([0, 128, 255, 7]))
    fx["png_pal1"] = png(rng.integers(0, 2, (3, 11, 1)), 3, 1, palette=pal[:2])
    fx["png_rgb8_interlaced"] = png(rng.integers(0, 256, (11, 10, 3)), 2, 8, interlace=True)
    fx["png_gray16_interlaced"] = png(rng.integers(0, 65536, (9, 13, 1)), 0, 16, interlace=True)
    fx["png_pal2_interlaced"] = png(rng.integers(0, 4, (10, 9, 1)), 3, 2, interlace=True,
                                    palette=pal[:4], trns=bytes([10]))
    gpal = rng.integers(0, 256, (8, 3))
    fx["gif_single"] = gif(6, 5, gpal, [(0, 0, rng.integers(0, 8, (5, 6)), None, None)])
    fx["gif_anim"] = gif(7, 6, gpal, [
        (0, 0, rng.integers(0, 8, (6, 7)), 3, None),
        (2, 1, rng.integers(0, 8, (3, 4)), 5, None),
        (0, 0, rng.integers(0, 4, (6, 7)), None, rng.integers(0, 256, (4, 3)) // 2 * 2),
    ])
    fx["gif_subframe"] = gif(6, 6, gpal, [(1, 1, rng.integers(0, 8, (4, 5)), 2, None),
                                          (0, 0, rng.integers(0, 8, (2, 3)), None, None)])
    fx["gif_interlaced"] = gif(5, 11, gpal, [(0, 0, rng.integers(0, 8, (11, 5)), None, None)],
                               interlace=True)
    fx["bmp24"] = bmp(rng.integers(0, 256, (5, 7, 3)))
    fx["bmp32_topdown"] = bmp(rng.integers(0, 256, (4, 5, 4)), top_down=True)
    fx["bmp8"] = bmp(rng.integers(0, 256, (3, 6, 1)))

    y, x = np.mgrid[0:37, 0:53]
    base = np.stack([(x * 7 + y * 3) % 256, (x * x + y * 5) % 256,
                     128 + 60 * np.sin(x / 3.0) * np.cos(y / 5.0)], -1)
    base = np.clip(base + rng.integers(-20, 20, base.shape), 0, 255).astype(np.uint8)
    for name, kw in {"jpeg_420": {"subsampling": 2}, "jpeg_422": {"subsampling": 1},
                     "jpeg_444": {"subsampling": 0},
                     "jpeg_progressive": {"subsampling": 2, "progressive": True}}.items():
        buf = io.BytesIO()
        PIL.Image.fromarray(base[:29, :43] if name == "jpeg_422" else base).save(
            buf, "JPEG", quality=85, **kw)
        fx[name] = buf.getvalue()
    buf = io.BytesIO()
    PIL.Image.fromarray(base[:19, :23, 0]).save(buf, "JPEG", quality=90)
    fx["jpeg_gray"] = buf.getvalue()

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "image_fixtures.py")
    with open(path, "w") as f:
        f.write('"""Tiny encoded images for the imagecodec golden set (written by '
                'make_image_fixtures.py)."""\n\nimport base64\n\n_B64 = {\n')
        for k in sorted(fx):
            f.write(f'    "{k}": "{base64.b64encode(fx[k]).decode()}",\n')
        f.write("}\n\nFIXTURES = {k: base64.b64decode(v) for k, v in _B64.items()}\n")
    print(path, sum(len(v) for v in fx.values()), "bytes")


if __name__ == "__main__":
    main()
