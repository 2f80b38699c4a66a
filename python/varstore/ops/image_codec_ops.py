"""The image codec op types (TF's gen_image_ops / image_ops_impl.py): DecodePng, DecodeJpeg,
DecodeAndCropJpeg, DecodeGif, DecodeBmp, DecodeImage, EncodePng, EncodeJpeg,
EncodeJpegVariableQuality, ExtractJpegShape, and the composites is_jpeg, decode_image,
adjust_jpeg_quality, random_jpeg_quality.

As in TF, every decode op runs one kernel (decode_image_op.cc's DecodeImageV2Op): the format
is found from the magic bytes, so decode_png also decodes a JPEG or a GIF, while decode_bmp
decodes BMPs only; the op type decides the output rank and the dtype. PNG and GIF are decoded
here (_png_codec, _gif_codec), BMP by TF's own byte rules, JPEG through Pillow (_jpeg_codec:
the optional ``image`` extra). TF registers no gradient for any of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
from varstore.framework.ops import (
    Operation,
    Tensor,
    builders,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.ops import _gif_codec, _jpeg_codec, _png_codec

__all__ = [
    "adjust_jpeg_quality",
    "decode_and_crop_jpeg",
    "decode_bmp",
    "decode_gif",
    "decode_image",
    "decode_jpeg",
    "decode_png",
    "encode_jpeg",
    "encode_png",
    "extract_jpeg_shape",
    "is_jpeg",
    "random_jpeg_quality",
]

_DECODE_TYPES = ("DecodeJpeg", "DecodeAndCropJpeg", "DecodePng", "DecodeGif", "DecodeBmp",
                 "DecodeImage")


def _b(v: bool) -> str:
    return "true" if v else "false"


def _attr_text(attrs: dict[str, Any]) -> str:
    parts = []
    for k in sorted(attrs):
        v = attrs[k]
        if isinstance(v, bool):
            parts.append(f"{k}={_b(v)}")
        elif isinstance(v, _dtypes.DType):
            parts.append(f"{k}={dt_enum(v)}")
        elif isinstance(v, str):
            parts.append(f'{k}="{v}"')
        else:
            parts.append(f"{k}={v}")
    return ", ".join(parts)


def _contents(graph: Any, full: str, op_type: str, contents: Any, attrs: dict[str, Any]
              ) -> Tensor:
    with scope_of(graph, full):
        c = first_input(contents, "contents", _dtypes.string)
    if c._dtype != _dtypes.string:
        raise TypeError(f"Input 'contents' of '{op_type}' Op has type {c._dtype.name} that does "
                        "not match expected type of string.")
    if c._shape is not None and len(c._shape) != 0:
        raise node_error(f"Shape must be rank 0 but is rank {len(c._shape)}", full, op_type,
                         _attr_text(attrs), [c])
    return c


def _decode(op_type: str, default: str, contents: Any, attrs: dict[str, Any],
            shape: tuple[int | None, ...] | None, dtype: Any, name: str | None,
            extra: list[Any] | None = None) -> Tensor:
    graph = check_same_graph(contents, *(extra or []))
    full = graph._op_name(name, default)
    c = _contents(graph, full, op_type, contents, attrs)
    inputs = [c]
    if extra:
        with scope_of(graph, full):
            w = convert_to_tensor(extra[0], dtype=_dtypes.int32, name="crop_window")
        inputs.append(w)
        window = constant_value(w)
        if window is not None and np.asarray(window).shape == (4,):
            win = [int(v) for v in np.asarray(window)]
            shape = (win[2], win[3], shape[2] if shape is not None else None)
    return make_op(graph, full, op_type, inputs, attrs, [(dtype, shape)])._outputs[0]


def _channels(channels: Any) -> int:
    return 0 if channels is None else int(channels)


def decode_png(contents: Any, channels: int = 0, dtype: Any = _dtypes.uint8,
               name: str | None = None) -> Tensor:
    """``tf.io.decode_png``: op ``DecodePng``, (height, width, channels) uint8 or uint16."""
    dt = _dtypes.as_dtype(dtype)
    check_allowed(dt, "uint8, uint16", "dtype")
    ch = _channels(channels)
    return _decode("DecodePng", "DecodePng", contents, {"channels": ch, "dtype": dt},
                   (None, None, ch or None), dt, name)


def _jpeg_attrs(channels: Any, ratio: int, fancy_upscaling: bool, try_recover_truncated: bool,
                acceptable_fraction: float, dct_method: str) -> dict[str, Any]:
    return {"channels": _channels(channels), "ratio": int(ratio),
            "fancy_upscaling": bool(fancy_upscaling),
            "try_recover_truncated": bool(try_recover_truncated),
            "acceptable_fraction": float(acceptable_fraction), "dct_method": str(dct_method)}


def decode_jpeg(contents: Any, channels: int = 0, ratio: int = 1, fancy_upscaling: bool = True,
                try_recover_truncated: bool = False, acceptable_fraction: float = 1,
                dct_method: str = "", name: str | None = None) -> Tensor:
    """``tf.io.decode_jpeg``: op ``DecodeJpeg``, (height, width, channels) uint8."""
    attrs = _jpeg_attrs(channels, ratio, fancy_upscaling, try_recover_truncated,
                        acceptable_fraction, dct_method)
    return _decode("DecodeJpeg", "DecodeJpeg", contents, attrs,
                   (None, None, attrs["channels"] or None), _dtypes.uint8, name)


def decode_and_crop_jpeg(contents: Any, crop_window: Any, channels: int = 0, ratio: int = 1,
                         fancy_upscaling: bool = True, try_recover_truncated: bool = False,
                         acceptable_fraction: float = 1, dct_method: str = "",
                         name: str | None = None) -> Tensor:
    """``tf.io.decode_and_crop_jpeg``: op ``DecodeAndCropJpeg``; crop_window is
    [y, x, height, width]."""
    attrs = _jpeg_attrs(channels, ratio, fancy_upscaling, try_recover_truncated,
                        acceptable_fraction, dct_method)
    return _decode("DecodeAndCropJpeg", "DecodeAndCropJpeg", contents, attrs,
                   (None, None, attrs["channels"] or None), _dtypes.uint8, name, [crop_window])


def decode_bmp(contents: Any, channels: int = 0, name: str | None = None) -> Tensor:
    """``tf.io.decode_bmp``: op ``DecodeBmp``, (height, width, channels) uint8."""
    ch = _channels(channels)
    return _decode("DecodeBmp", "DecodeBmp", contents, {"channels": ch},
                   (None, None, ch or None), _dtypes.uint8, name)


def decode_gif(contents: Any, name: str | None = None) -> Tensor:
    """``tf.io.decode_gif``: op ``DecodeGif``, (frames, height, width, 3) uint8."""
    return _decode("DecodeGif", "DecodeGif", contents, {}, (None, None, None, 3),
                   _dtypes.uint8, name)


def decode_image(contents: Any, channels: int | None = None, dtype: Any = _dtypes.uint8,
                 name: str | None = None, expand_animations: bool = True) -> Tensor:
    """``tf.io.decode_image``: op ``DecodeImage`` under scope ``decode_image`` (another dtype
    than uint8/uint16/float32 decodes to uint16 and converts, as TF's Python does)."""
    from varstore.ops.image_ops_impl import convert_image_dtype

    dt = _dtypes.as_dtype(dtype)
    with name_scope(name, "decode_image"):
        ch = _channels(channels)
        decode_dt = dt if dt in (_dtypes.float32, _dtypes.uint8, _dtypes.uint16) else _dtypes.uint16
        shape = None if expand_animations else (None, None, ch or None)
        image = _decode("DecodeImage", "DecodeImage", contents,
                        {"channels": ch, "dtype": decode_dt,
                         "expand_animations": bool(expand_animations)},
                        shape, decode_dt, None)
        if decode_dt != dt:
            image = convert_image_dtype(image, dt)
        return image


def extract_jpeg_shape(contents: Any, output_type: Any = _dtypes.int32,
                       name: str | None = None) -> Tensor:
    """``tf.io.extract_jpeg_shape``: op ``ExtractJpegShape``, [height, width, channels]."""
    dt = _dtypes.as_dtype(output_type)
    check_allowed(dt, "int32, int64", "output_type")
    return _decode("ExtractJpegShape", "ExtractJpegShape", contents, {"output_type": dt}, (3,),
                   dt, name)


def is_jpeg(contents: Any, name: str | None = None) -> Tensor:
    """``tf.io.is_jpeg``: Substr(contents, 0, 3) == b'\\xff\\xd8\\xff' under scope is_jpeg."""
    with name_scope(name, "is_jpeg"):
        head = builders.substr(contents, 0, 3)
        out: Tensor = builders.equal(head, b"\xff\xd8\xff", name=name)
        return out


def encode_png(image: Any, compression: int = -1, name: str | None = None) -> Tensor:
    """``tf.io.encode_png``: op ``EncodePng``, one PNG per image of the batch dims."""
    graph = check_same_graph(image)
    full = graph._op_name(name, "EncodePng")
    with scope_of(graph, full):
        x = first_input(image, "image")
    check_allowed(x._dtype, "uint8, uint16", "image")
    attrs = {"T": x._dtype, "compression": int(compression)}
    xs = x._shape
    if xs is not None and len(xs) < 3:
        raise node_error(f"Shape must be at least rank 3 but is rank {len(xs)}", full,
                         "EncodePng", _attr_text(attrs), [x])
    out = None if xs is None else tuple(xs[:-3])
    return make_op(graph, full, "EncodePng", [x], attrs, [(_dtypes.string, out)])._outputs[0]


def _uint8_rank3(graph: Any, full: str, op_type: str, image: Any, attrs: dict[str, Any]
                 ) -> Tensor:
    with scope_of(graph, full):
        x = first_input(image, "image", _dtypes.uint8)
    if x._dtype != _dtypes.uint8:
        raise TypeError(f"Input 'image' of '{op_type}' Op has type {x._dtype.name} that does not "
                        "match expected type of uint8.")
    if x._shape is not None and len(x._shape) != 3:
        raise node_error(f"Shape must be rank 3 but is rank {len(x._shape)}", full, op_type,
                         _attr_text(attrs), [x])
    return x


def encode_jpeg(image: Any, format: str = "", quality: int = 95, progressive: bool = False,
                optimize_size: bool = False, chroma_downsampling: bool = True,
                density_unit: str = "in", x_density: int = 300, y_density: int = 300,
                xmp_metadata: str = "", name: str | None = None) -> Tensor:
    """``tf.io.encode_jpeg``: op ``EncodeJpeg``, a JPEG of a (height, width, 1|3) uint8."""
    graph = check_same_graph(image)
    full = graph._op_name(name, "EncodeJpeg")
    attrs = {"format": str(format), "quality": int(quality), "progressive": bool(progressive),
             "optimize_size": bool(optimize_size),
             "chroma_downsampling": bool(chroma_downsampling),
             "density_unit": str(density_unit), "x_density": int(x_density),
             "y_density": int(y_density), "xmp_metadata": str(xmp_metadata)}
    for attr, allowed in (("format", ("", "grayscale", "rgb")), ("density_unit", ("in", "cm"))):
        if attrs[attr] not in allowed:
            listed = ", ".join(f'"{a}"' for a in allowed)
            raise ValueError(f"Attr '{attr}' of 'EncodeJpeg' Op passed string '{attrs[attr]}' "
                             f"not in: {listed}.")
    x = _uint8_rank3(graph, full, "EncodeJpeg", image, attrs)
    return make_op(graph, full, "EncodeJpeg", [x], attrs, [(_dtypes.string, ())])._outputs[0]


def _encode_jpeg_variable_quality(images: Any, quality: Any, name: str | None = None) -> Tensor:
    graph = check_same_graph(images, quality)
    full = graph._op_name(name, "EncodeJpegVariableQuality")
    with scope_of(graph, full):
        x = first_input(images, "images", _dtypes.uint8)
        q = convert_to_tensor(quality, dtype=_dtypes.int32, name="quality")
    return make_op(graph, full, "EncodeJpegVariableQuality", [x, q], {},
                   [(_dtypes.string, ())])._outputs[0]


def adjust_jpeg_quality(image: Any, jpeg_quality: Any, dct_method: str = "",
                        name: str | None = None) -> Tensor:
    """``tf.image.adjust_jpeg_quality``: convert to uint8, EncodeJpegVariableQuality,
    DecodeJpeg, convert back (TF's composite)."""
    from varstore.ops.image_ops_impl import convert_image_dtype

    with name_scope(name, "adjust_jpeg_quality"):
        x = convert_to_tensor(image, name="image")
        if x._shape is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        channels = x._shape[-1]
        orig = x._dtype
        x = convert_image_dtype(x, _dtypes.uint8, saturate=True)
        q = jpeg_quality if isinstance(jpeg_quality, Tensor) else convert_to_tensor(
            jpeg_quality, dtype=_dtypes.int32)
        data = _encode_jpeg_variable_quality(x, q)
        out = decode_jpeg(data, channels=channels or 0, dct_method=dct_method)
        return convert_image_dtype(out, orig, saturate=True)


def random_jpeg_quality(image: Any, min_jpeg_quality: int, max_jpeg_quality: int,
                        seed: int | None = None) -> Tensor:
    """``tf.image.random_jpeg_quality``: a uniform int32 quality in [min, max)."""
    if (min_jpeg_quality < 0 or max_jpeg_quality < 0 or min_jpeg_quality > 100
            or max_jpeg_quality > 100):
        raise ValueError("jpeg encoding range must be between 0 and 100.")
    if min_jpeg_quality >= max_jpeg_quality:
        raise ValueError("`min_jpeg_quality` must be less than `max_jpeg_quality`.")
    from varstore.ops.random_ops import random_uniform

    q = random_uniform([], min_jpeg_quality, max_jpeg_quality, seed=seed, dtype=_dtypes.int32)
    return adjust_jpeg_quality(image, q)


# -- kernels ------------------------------------------------------------------------------------
def _bytes(v: np.ndarray) -> bytes:
    from varstore.io.tf_record import as_bytes
    return as_bytes(np.asarray(v).reshape(()).item())


def _format(data: bytes) -> str:
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(_png_codec.SIGNATURE):
        return "PNG"
    if data.startswith(b"GIF8"):
        return "GIF"
    if data.startswith(b"BM"):
        return "BMP"
    if data.startswith(b"RIFF") and len(data) > 12 and data[8:12] == b"WEBP":
        return "WebP"
    return "UNKNOWN"


def _decode_bmp(data: bytes, channels: int) -> np.ndarray:
    if channels == 1:
        raise ValueError(f"`channels` must be 0, 3 or 4 for BMP, but got {channels}")
    if len(data) < 32:
        raise ValueError("Incomplete bmp content, requires at least 32 bytes to find the "
                         f"header size, width, height, and bpp, got {len(data)} bytes")
    header = int.from_bytes(data[10:14], "little", signed=True)
    width = int.from_bytes(data[18:22], "little", signed=True)
    height = int.from_bytes(data[22:26], "little", signed=True)
    bpp = int.from_bytes(data[28:30], "little", signed=True)
    img_ch = int(bpp / 8)
    if img_ch not in (1, 3, 4):
        raise ValueError("Number of channels inherent in the image must be 1, 3 or 4, was "
                         f"{img_ch}")
    want = channels or img_ch
    if width <= 0:
        raise ValueError("Width must be positive")
    if height == 0:
        raise ValueError("Height must be nonzero")
    if header < 0:
        raise ValueError("header size must be nonnegative")
    if width * abs(height) >= (2 ** 31 - 1) // 8:
        raise ValueError("Total possible pixel bytes must be less than 2^30")
    h = abs(height)
    row = (img_ch * width + 3) // 4 * 4
    diff = len(data) - header - row * h
    if diff != 0:
        raise ValueError("Input size should match (header_size + row_size * abs_height) but they "
                         f"differ by {diff}")
    expected = header + (h - 1) * row + (width - 1) * img_ch + img_ch
    if expected > len(data):
        raise ValueError(f"Incomplete bmp content, requires at least {expected} bytes, got "
                         f"{len(data)} bytes")
    raw = np.frombuffer(data, np.uint8, h * row - (row - width * img_ch), header)
    rows = np.zeros((h, row), np.uint8)
    rows.reshape(-1)[:raw.size] = raw
    px = rows[:, :width * img_ch].reshape(h, width, img_ch)
    if height > 0:
        px = px[::-1]
    if img_ch == 1:
        out = np.repeat(px, 3, axis=-1) if want >= 3 else px
    else:
        out = px[..., [2, 1, 0] + ([3] if img_ch == 4 else [])]
    if want == 4 and out.shape[-1] == 3:
        out = np.concatenate([out, np.full((h, width, 1), 255, np.uint8)], axis=-1)
    return np.ascontiguousarray(out[..., :want])


def _crop_window(window: np.ndarray) -> tuple[int, int, int, int]:
    w = np.asarray(window)
    if w.ndim != 1:
        raise ValueError(f"crop_window must be 1-D, got shape {list(w.shape)}")
    if w.shape[0] != 4:
        raise ValueError(f"crop_size must have four elements {list(w.shape)}")
    y, x, ch, cw = (int(v) for v in w)
    return y, x, ch, cw


def _scale(img: np.ndarray, dtype: Any, bits16: bool) -> np.ndarray:
    if dtype == np.uint8:
        return img
    if dtype == np.uint16:
        return img if bits16 else img.astype(np.uint16) * np.uint16(256)
    scale = np.float32(1.0 / (65535 if bits16 else 255))
    out: np.ndarray = img.astype(np.float32) * scale
    return out


@register_kernel("DecodeImage")
def _decode_kernel(op: Operation) -> Callable[..., Any]:
    op_type = op._type
    a = op._attrs
    channels = 3 if op_type == "DecodeGif" else int(a["channels"])
    dtype = a["dtype"]._np if "dtype" in a else np.uint8
    expand = bool(a.get("expand_animations", True))
    jpeg_op = op_type in ("DecodeJpeg", "DecodeAndCropJpeg")
    ratio = int(a["ratio"]) if jpeg_op else 1
    fancy = bool(a["fancy_upscaling"]) if jpeg_op else True
    dct = str(a["dct_method"]) if jpeg_op else ""
    recover = bool(a["try_recover_truncated"]) if jpeg_op else False

    def check_attrs() -> None:
        if jpeg_op:
            if ratio not in (1, 2, 4, 8):
                raise ValueError(f"ratio must be 1, 2, 4, or 8, got {ratio}")
            if dct not in ("", "INTEGER_FAST", "INTEGER_ACCURATE"):
                raise ValueError("dct_method must be one of {'', 'INTEGER_FAST', "
                                 "'INTEGER_ACCURATE'}")
        if channels not in (0, 1, 3, 4):
            raise ValueError(f"`channels` must be 0, 1, 3 or 4 but got {channels}")

    def wrong(fmt: str, use: str) -> ValueError:
        if op_type == "DecodeAndCropJpeg":
            return ValueError("DecodeAndCropJpeg operation can run on JPEG only, but detected "
                              f"{fmt}.")
        return ValueError(f"Trying to decode {fmt} format using DecodeBmp op. Use `{use}` or "
                          "`decode_image` instead.")

    def kernel(contents: np.ndarray, *window: np.ndarray) -> np.ndarray:
        check_attrs()
        if np.ndim(contents) != 0:
            raise ValueError(f"`contents` must be scalar but got shape{list(np.shape(contents))}")
        data = _bytes(contents)
        if not data:
            raise ValueError("Input is empty.")
        fmt = _format(data)
        four_d = op_type == "DecodeGif"
        if fmt == "JPEG":
            if channels == 4:
                raise ValueError("JPEG does not support 4 channels")
            if op_type == "DecodeBmp":
                raise wrong("JPEG", "decode_jpeg")
            crop = _crop_window(window[0]) if op_type == "DecodeAndCropJpeg" else None
            img = _jpeg_codec.decode(data, channels, ratio, fancy, dct, recover, crop)
            img = _scale(img, dtype, False)
        elif fmt == "PNG":
            bits16 = dtype != np.uint8
            try:
                img = _png_codec.decode(data, channels, 16 if bits16 else 8)
            except _png_codec.PngError as e:
                if e.in_data and op_type not in ("DecodeBmp", "DecodeAndCropJpeg"):
                    raise ValueError(f"Invalid PNG data, size {len(data)}") from e
                if not e.in_data:
                    raise ValueError("Invalid PNG. Failed to initialize decoder.") from e
                raise wrong("PNG", "decode_png") from e
            if op_type in ("DecodeBmp", "DecodeAndCropJpeg"):
                raise wrong("PNG", "decode_png")
            img = _scale(img, dtype, True) if dtype == np.float32 else img
        elif fmt == "GIF":
            if channels not in (0, 3):
                raise ValueError(f"channels must be 0 or 3 for GIF, got {channels}")
            if op_type in ("DecodeBmp", "DecodeAndCropJpeg"):
                raise wrong("GIF", "decode_gif")
            try:
                frames = _gif_codec.decode(data, expand or op_type != "DecodeImage")
            except _gif_codec.GifError as e:
                raise ValueError(f"Invalid GIF data (size {len(data)}), {e}") from e
            if op_type in ("DecodePng", "DecodeJpeg"):
                if frames.shape[0] != 1:
                    raise ValueError(f"Got {frames.shape[0]} frames, but animated gifs can only "
                                     "be decoded by tf.io.decode_gif or tf.io.decode_image")
                frames = frames[0]
            elif op_type == "DecodeImage" and not expand:
                frames = frames[0]
            return _scale(frames, dtype, False)
        elif fmt == "BMP":
            if channels == 1:
                raise ValueError(f"`channels` must be 0, 3 or 4 for BMP, but got {channels}")
            if op_type not in ("DecodeBmp", "DecodeImage"):
                if op_type == "DecodeAndCropJpeg":
                    raise wrong("BMP", "decode_bmp")
                raise ValueError("Trying to decode BMP format using a wrong op. Use `decode_bmp` "
                                 f"or `decode_image` instead. Op used: {op_type}")
            img = _scale(_decode_bmp(data, channels), dtype, False)
        elif fmt == "WebP":
            raise ValueError(f"varstore's {op_type} lacks WebP images")
        else:
            raise ValueError("Unknown image file format. One of JPEG, JPEG XL, PNG, GIF, BMP, "
                             "WebP required.")
        return img[None] if four_d else img

    return kernel


# TF registers no gradient (nor NotDifferentiable) for the codec ops: their inputs are strings
# or uint8, which tf.gradients never reaches
for _t in _DECODE_TYPES[:-1]:
    register_kernel(_t)(_decode_kernel)


@register_kernel("EncodePng")
def _encode_png_kernel(op: Operation) -> Callable[..., Any]:
    level = int(op._attrs["compression"])

    def kernel(image: np.ndarray) -> np.ndarray:
        if not -1 <= level <= 9:
            raise ValueError(f"compression should be in [-1,9], got {level}")
        c = image.shape[-1]
        if not 1 <= c <= 4:
            raise ValueError(f"image must have 1, 2, 3, or 4 channels, got {c}")
        batch = image.shape[:-3]
        flat = image.reshape((-1, *image.shape[-3:]))
        out = np.empty(flat.shape[0], dtype=object)
        for i, img in enumerate(flat):
            if img.shape[0] == 0 or img.shape[1] == 0:
                raise ValueError("PNG encoding failed")
            out[i] = _png_codec.encode(img, level)
        return out.reshape(batch)

    return kernel


def _jpeg_channels(image: np.ndarray, fmt: str) -> None:
    if image.ndim != 3:
        raise ValueError(f"image must be 3-dimensional{list(image.shape)}")
    c = image.shape[2]
    shape = "[" + ",".join(str(d) for d in image.shape) + "]"
    if fmt == "":
        if c not in (1, 3):
            raise ValueError(f"image must have 1 or 3 channels, got {shape}")
    else:
        want = 1 if fmt == "grayscale" else 3
        if c != want:
            raise ValueError(f"format {fmt} expects {want} channels, got {shape}")


@register_kernel("EncodeJpeg")
def _encode_jpeg_kernel(op: Operation) -> Callable[..., Any]:
    a = op._attrs

    def kernel(image: np.ndarray) -> np.ndarray:
        if a["format"] not in ("", "grayscale", "rgb"):
            raise ValueError(f"format must be '', grayscale or rgb, got {a['format']}")
        if not 0 <= a["quality"] <= 100:
            raise ValueError(f"quality must be in [0,100], got {a['quality']}")
        if a["density_unit"] not in ("in", "cm"):
            raise ValueError(f"density_unit must be 'in' or 'cm'{a['density_unit']}")
        _jpeg_channels(image, a["format"])
        return np.asarray(_jpeg_codec.encode(
            image, a["format"], a["quality"], a["progressive"], a["optimize_size"],
            a["chroma_downsampling"], a["density_unit"], a["x_density"], a["y_density"],
            a["xmp_metadata"].encode()), dtype=object)

    return kernel


@register_kernel("EncodeJpegVariableQuality")
def _encode_jpeg_vq_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(image: np.ndarray, quality: np.ndarray) -> np.ndarray:
        if image.ndim != 3:
            raise ValueError(f"image must be 3-dimensional{list(image.shape)}")
        if np.ndim(quality) != 0:
            raise ValueError(f"quality must be scalar: {list(np.shape(quality))}")
        q = int(quality)
        if not 0 <= q <= 100:
            raise ValueError(f"quality must be in [0,100], got {q}")
        _jpeg_channels(image, "")
        return np.asarray(_jpeg_codec.encode(image, "", q, False, False, True, "in", 300, 300,
                                             b""), dtype=object)

    return kernel


@register_kernel("ExtractJpegShape")
def _jpeg_shape_kernel(op: Operation) -> Callable[..., Any]:
    dtype = op._attrs["output_type"]._np

    def kernel(contents: np.ndarray) -> np.ndarray:
        if np.ndim(contents) != 0:
            raise ValueError(f"contents must be scalar, got shape {list(np.shape(contents))}")
        data = _bytes(contents)
        try:
            h, w, c = _jpeg_codec.shape(data)
        except _jpeg_codec.JpegError as e:
            raise ValueError("Invalid JPEG data, size " + str(len(data))) from e
        return np.asarray([h, w, c], dtype=dtype)

    return kernel


builders.register(globals(), __all__)
