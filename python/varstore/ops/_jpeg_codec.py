"""JPEG decoding and encoding over Pillow's libjpeg-turbo, with TF's settings (jpeg_mem.cc).

TF decodes with ``dct_method=""`` = IFAST by default, and fancy (triangle) chroma upsampling.
Pillow's decoder has two settings: ISLOW with fancy upsampling, or (its "draft" mode) IFAST
with box upsampling. So TF's default is rebuilt exactly: Pillow decodes the IFAST planes in
YCbCr with box upsampling (each chroma sample repeated, so the samples are recovered as
they were), then libjpeg-turbo's own fancy upsampling (jdsample.c: h2v1, h1v2, h2v2 with
its rounding biases and edge replication) and YCbCr->RGB tables (jdcolor.c) run here in
integer NumPy. INTEGER_ACCURATE with fancy upsampling, and IFAST without, are Pillow's own
two paths. (ISLOW without fancy upsampling on a chroma-subsampled image is the one setting
neither path gives: it raises an error naming it.) A truncated file with try_recover_truncated
decodes, but the blocks at the cut differ from TF's (Pillow's source manager ends the data
differently from TF's); acceptable_fraction is not checked. DecodeAndCropJpeg: TF decodes only
the crop window widened to an iMCU boundary (jpeg_crop_scanline), whose fancy upsampling
replicates the window's edges; the default path rebuilds that exactly, the INTEGER_ACCURATE
path crops Pillow's full decode (its window-edge columns of a subsampled image may differ).
A one-pixel-wide window at an iMCU boundary can also differ."""

from __future__ import annotations

import io
from typing import Any

import numpy as np

_ERR = "jpeg::Uncompress failed. Invalid JPEG data or crop window."


class JpegError(ValueError):
    """TF's message for data libjpeg rejects."""


def pil() -> Any:
    try:
        import PIL.Image
        import PIL.ImageFile
    except ImportError as e:  # pragma: no cover - exercised without the extra
        raise ImportError("varstore's JPEG ops need the 'Pillow' package (pip install "
                          "'varstore[image]' or pip install Pillow)") from e
    return PIL


def _open(data: bytes, mode: str | None, scale: int, draft: int) -> Any:
    PIL = pil()
    try:
        im = PIL.Image.open(io.BytesIO(data), formats=["JPEG"])
    except Exception as err:
        raise JpegError(_ERR) from err
    d, e, o, a = im.tile[0]
    if mode is not None and a[0] == "RGB" and mode in ("L", "YCbCr"):
        im._mode = mode
        a = (mode, "")
    w, h = im.size
    if scale > 1:
        e = (e[0], e[1], (e[2] - e[0] + scale - 1) // scale + e[0],
             (e[3] - e[1] + scale - 1) // scale + e[1])
        im._size = ((w + scale - 1) // scale, (h + scale - 1) // scale)
    tile_cls = getattr(PIL.ImageFile, "_Tile", None)
    im.tile = [tile_cls(d, e, o, a) if tile_cls is not None else (d, e, o, a)]
    im.decoderconfig = (scale, draft)
    return im


def _load(im: Any, recover: bool) -> np.ndarray:
    PIL = pil()
    old = PIL.ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        PIL.ImageFile.LOAD_TRUNCATED_IMAGES = recover
        im.load()
    except Exception as err:
        raise JpegError(_ERR) from err
    finally:
        PIL.ImageFile.LOAD_TRUNCATED_IMAGES = old
    arr: np.ndarray = np.asarray(im)
    return arr[..., None] if arr.ndim == 2 else arr


def _fancy(plane: np.ndarray, rh: int, rv: int, out_h: int, out_w: int, do_fancy: bool,
           wide: bool) -> np.ndarray:
    """A component's full-size plane as libjpeg upsamples its (box-repeated) samples;
    ``wide``: the whole image's component is more than 2 samples wide (jinit_upsampler
    picks the fancy h2 upsamplers on that, before any crop window narrows it)."""
    x = plane[::rv, ::rh].astype(np.int32)
    dh, dw = x.shape
    if (rh, rv) == (1, 1):
        return plane
    if do_fancy and rv == 2 and (rh == 1 or wide):
        above = np.concatenate([x[:1], x[:-1]], axis=0)
        below = np.concatenate([x[1:], x[-1:]], axis=0)
        if rh == 1:
            rows = np.empty((2 * dh, dw), np.int32)
            rows[0::2] = (3 * x + above + 1) >> 2
            rows[1::2] = (3 * x + below + 2) >> 2
            return rows[:out_h, :out_w].astype(np.uint8)
        out = np.empty((2 * dh, 2 * dw), np.int32)
        for v, near in ((0, above), (1, below)):
            c = 3 * x + near
            left = np.concatenate([c[:, :1], c[:, :-1]], axis=1)
            right = np.concatenate([c[:, 1:], c[:, -1:]], axis=1)
            out[v::2, 0::2] = (3 * c + left + 8) >> 4
            out[v::2, 1::2] = (3 * c + right + 7) >> 4
        return out[:out_h, :out_w].astype(np.uint8)
    if do_fancy and rv == 1 and rh == 2 and wide:
        left = np.concatenate([x[:, :1], x[:, :-1]], axis=1)
        right = np.concatenate([x[:, 1:], x[:, -1:]], axis=1)
        out = np.empty((dh, 2 * dw), np.int32)
        out[:, 0::2] = (3 * x + left + 1) >> 2
        out[:, 1::2] = (3 * x + right + 2) >> 2
        return out[:out_h, :out_w].astype(np.uint8)
    return plane


def _upsampling(h: int, v: int, max_h: int, max_v: int, min_size: int) -> tuple[int, int]:
    # jdmaster.c: a component's IDCT scales up (to at most 8) while that halves its
    # upsampling in both directions; the upsampler does the rest
    size = min_size
    while (size < 8 and (max_h * min_size) % (h * size * 2) == 0
           and (max_v * min_size) % (v * size * 2) == 0):
        size *= 2
    return max_h * min_size // (h * size), max_v * min_size // (v * size)


def _ycc_to_rgb(y: np.ndarray, cb: np.ndarray, cr: np.ndarray) -> np.ndarray:
    # jdcolor.c's build_ycc_rgb_table: 16-bit fixed point, ONE_HALF rounding on R and B
    one_half = 1 << 15
    cbx, crx = cb.astype(np.int64) - 128, cr.astype(np.int64) - 128
    yy = y.astype(np.int64)
    r = yy + ((int(1.40200 * 65536 + 0.5) * crx + one_half) >> 16)
    g = yy + (((-int(0.34414 * 65536 + 0.5)) * cbx + one_half
               + (-int(0.71414 * 65536 + 0.5)) * crx) >> 16)
    b = yy + ((int(1.77200 * 65536 + 0.5) * cbx + one_half) >> 16)
    rgb: np.ndarray = np.clip(np.stack([r, g, b], axis=-1), 0, 255).astype(np.uint8)
    return rgb


def _cropped(img: np.ndarray, crop: tuple[int, int, int, int] | None, x0: int = 0
             ) -> np.ndarray:
    if crop is None:
        return img
    y, x, h, w = crop
    return img[y:y + h, x - x0:x - x0 + w]


def decode(data: bytes, channels: int, ratio: int, fancy: bool, dct_method: str,
           recover: bool, crop: tuple[int, int, int, int] | None = None) -> np.ndarray:
    """TF's DecodeJpeg pixels: (height, width, channels) uint8; with ``crop`` (y, x, height,
    width) DecodeAndCropJpeg's."""
    accurate = dct_method == "INTEGER_ACCURATE"
    probe = _open(data, None, 1, 0)
    mode = probe.mode
    layers = getattr(probe, "layer", None) or []
    if mode not in ("L", "RGB"):
        raise JpegError(f"varstore's DecodeJpeg lacks {mode} JPEGs")
    want = channels or (1 if mode == "L" else 3)
    samp = [(int(h), int(v)) for _, h, v, _ in layers]
    max_h = max((h for h, _ in samp), default=1)
    max_v = max((v for _, v in samp), default=1)
    ratios = [_upsampling(h, v, max_h, max_v, 8 // ratio) for h, v in samp]
    subsampled = mode == "RGB" and want == 3 and any(r != (1, 1) for r in ratios[:3])
    if crop is not None:
        out_w, out_h = ((d + ratio - 1) // ratio for d in probe.size)
        y, x, h, w = crop
        if y < 0 or x < 0 or h <= 0 or w <= 0 or y + h > out_h or x + w > out_w:
            raise JpegError(_ERR)
    if not subsampled or accurate == fancy:
        # Pillow's own paths: ISLOW + fancy (draft 0) or IFAST + box (draft 1)
        out_mode = "L" if want == 1 else None
        im = _open(data, out_mode, ratio, 0 if accurate else 1)
        arr = _load(im, recover)
        if want == 3 and arr.shape[-1] == 1:
            arr = np.repeat(arr, 3, axis=-1)
        return _cropped(arr, crop)
    if accurate:
        raise JpegError("varstore's DecodeJpeg lacks dct_method='INTEGER_ACCURATE' with "
                        "fancy_upscaling=False on a chroma-subsampled JPEG")
    im = _open(data, "YCbCr", ratio, 1)
    ycc = _load(im, recover)
    x0 = 0
    wide = [-(-ycc.shape[1] // rh) > 2 for rh, _ in ratios[:3]]
    if crop is not None:
        # jpeg_crop_scanline widens the window left to an iMCU boundary and decodes only it:
        # its fancy upsampling replicates the window's own edge columns
        align = max_h * (8 // ratio)
        x0 = crop[1] // align * align
        ycc = ycc[:, x0:crop[1] + crop[3]]
    out_h, out_w = ycc.shape[:2]
    do_fancy = ratio < 8
    planes = [_fancy(ycc[..., i], rh, rv, out_h, out_w, do_fancy, wide[i])
              for i, (rh, rv) in enumerate(ratios[:3])]
    return _cropped(_ycc_to_rgb(*planes), crop, x0)


def shape(data: bytes) -> tuple[int, int, int]:
    im = _open(data, None, 1, 0)
    w, h = im.size
    return h, w, (1 if im.mode == "L" else 3 if im.mode in ("RGB", "YCbCr") else 4)


def encode(image: np.ndarray, fmt: str, quality: int, progressive: bool, optimize: bool,
           chroma: bool, density_unit: str, xd: int, yd: int, xmp: bytes) -> bytes:
    """TF's EncodeJpeg: a JFIF file of the image (1 channel: grayscale, 3: YCbCr)."""
    PIL = pil()
    chans = image.shape[-1]
    if fmt == "grayscale":
        chans = 1
    elif fmt == "rgb":
        chans = 3
    arr = image[..., 0] if chans == 1 else image
    im = PIL.Image.fromarray(np.ascontiguousarray(arr), "L" if chans == 1 else "RGB")
    buf = io.BytesIO()
    # TF samples a grayscale image 1x1 (libjpeg's default for one component)
    kw: dict[str, Any] = {"quality": quality, "progressive": progressive,
                          "optimize": optimize, "subsampling": 2 if chroma and chans == 3 else 0}
    if xmp:
        kw["xmp"] = xmp
    im.save(buf, "JPEG", **kw)
    out = bytearray(buf.getvalue())
    # the JFIF APP0 density fields as TF sets them (Pillow writes inches only)
    if out[6:11] == b"JFIF\0":
        out[13] = 1 if density_unit == "in" else 2
        out[14:18] = (xd & 0xFFFF).to_bytes(2, "big") + (yd & 0xFFFF).to_bytes(2, "big")
    return bytes(out)
