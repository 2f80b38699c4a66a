"""Summary ops (TF1's tensorflow/python/summary/summary.py and logging_ops): graph nodes whose
kernels return a serialized ``Summary`` protobuf as a scalar string tensor (fetched as
``bytes``), added to the SUMMARIES collection.

The protobuf classes come from tensorboardX (a dependency: protos and an event-file writer,
~90 kB over protobuf, where tensorboard would bring a web server). Building summary ops needs
nothing of it; running one where it is missing raises ImportError naming it.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.graph import (
    GraphKeys,
    add_to_collection,
    get_collection,
    get_default_graph,
    name_scope,
)
from varstore.framework.ops import NotDifferentiable, Operation, Tensor, make_op, register_kernel

__all__ = ["audio", "histogram", "image", "merge", "merge_all", "scalar", "text"]

# tensorboardX is a dependency of varstore; a broken install still gets a clear message
_EXTRA = ("tf.summary needs the Summary protobuf classes of tensorboardX, a dependency of "
          "varstore: pip install 'tensorboardX>=2.6'")


def summary_pb2() -> Any:
    try:
        from tensorboardX.proto import summary_pb2 as pb  # type: ignore[import-untyped,unused-ignore]
    except ImportError as exc:
        raise ImportError(_EXTRA) from exc
    return pb


def _collect(t: Tensor, collections: Sequence[str] | None) -> Tensor:
    for key in (collections if collections is not None else [GraphKeys.SUMMARIES]):
        add_to_collection(key, t)
    return t


_INVALID_TAG_CHARACTERS = re.compile(r"[^-/\w\.]")


def clean_tag(name: str | None) -> str | None:
    """TF's summary_op_util.clean_tag: characters a node name cannot hold become ``_`` and
    leading slashes go, so ``histogram(var.name, var)`` (``W1:0``) is the op ``W1_0``."""
    if name is None:
        return None
    return _INVALID_TAG_CHARACTERS.sub("_", name).lstrip("/")


def summary_scope(name: str, family: str | None, op_type: str) -> tuple[str, str]:
    """TF's summary_op_util.summary_scope: the op's (uniquified) name, under ``family`` when
    given, and its tag, which repeats the family before that name (``train/train/loss``)."""
    name, family = clean_tag(name) or "", clean_tag(family)
    full = get_default_graph()._op_name(name if family is None else f"{family}/{name}", op_type)
    return full, (full if family is None else f"{family}/{full}")


def _summary_op(op_type: str, name: str, family: str | None, tag_name: str, values: Any,
                attrs: dict[str, Any], collections: Sequence[str] | None) -> Tensor:
    graph = get_default_graph()
    full, tag = summary_scope(name, family, op_type)
    with name_scope(full + "/"):
        tags = constant(tag, name=tag_name)
        # the op converts its inputs in its own scope: a Python value is <op>/values, a
        # variable's read <op>/ReadVariableOp
        x = convert_to_tensor(values, name="tensor" if op_type == "ImageSummary" else "values")
    attrs = {"T": x._dtype, **attrs}
    op = make_op(graph, full, op_type, [tags, x], attrs, [(_dtypes.string, ())])
    return _collect(op._outputs[0], collections)


def scalar(name: str, tensor: Any, collections: Sequence[str] | None = None,
           family: str | None = None) -> Tensor:
    """``tf.summary.scalar``: op ``ScalarSummary`` named ``name``; its tag is the op name."""
    return _summary_op("ScalarSummary", name, family, "tags", tensor, {}, collections)


def histogram(name: str, values: Any, collections: Sequence[str] | None = None,
              family: str | None = None) -> Tensor:
    """``tf.summary.histogram``: op ``HistogramSummary`` with TF's default buckets."""
    return _summary_op("HistogramSummary", name, family, "tag", values, {}, collections)


def image(name: str, tensor: Any, max_outputs: int = 3, collections: Sequence[str] | None = None,
          family: str | None = None) -> Tensor:
    """``tf.summary.image``: op ``ImageSummary`` of up to ``max_outputs`` PNG images of a
    [batch, height, width, channels] tensor (channels 1, 3 or 4)."""
    attrs = {"max_images": int(max_outputs)}
    return _summary_op("ImageSummary", name, family, "tag", tensor, attrs, collections)


def audio(name: str, tensor: Any, sample_rate: Any, max_outputs: int = 3,
          collections: Sequence[str] | None = None, family: str | None = None) -> Tensor:
    """``tf.summary.audio``: op ``AudioSummaryV2`` of up to ``max_outputs`` clips of a float
    [batch, frames(, channels)] tensor, each a 16-bit WAV (TF's bytes, tf.audio.encode_wav's)."""
    graph = get_default_graph()
    full, tag = summary_scope(name, family, "AudioSummaryV2")
    with name_scope(full + "/"):
        rate = convert_to_tensor(sample_rate, dtype=_dtypes.float32, name="sample_rate")
        tags = constant(tag, name="tag")
        x = convert_to_tensor(tensor, name="tensor")
    if x._dtype is not _dtypes.float32:
        raise TypeError(f"Input 'tensor' of 'AudioSummaryV2' Op has type {x._dtype.name} that "
                        "does not match expected type of float32.")
    op = make_op(graph, full, "AudioSummaryV2", [tags, x, rate],
                 {"max_outputs": int(max_outputs)}, [(_dtypes.string, ())])
    return _collect(op._outputs[0], collections)


# SummaryMetadata(plugin_data=PluginData(plugin_name="text")) serialized: a constant of the
# graph, so building a text summary needs no protobuf classes
_TEXT_METADATA = b"\n\x06\n\x04text"


def text(name: str, tensor: Any, collections: Sequence[str] | None = None) -> Tensor:
    """``tf.summary.text``: op ``TensorSummaryV2`` of a string tensor with the text plugin's
    metadata (input ``<name>/serialized_summary_metadata``)."""
    graph = get_default_graph()
    full, _ = summary_scope(name, None, "TensorSummaryV2")
    x = convert_to_tensor(tensor)
    if x._dtype != _dtypes.string:
        raise ValueError(f"Expected tensor {x.name} to have dtype string, got {x._dtype}")
    with name_scope(full + "/"):
        tag = constant(full, name="tag")
        meta = constant(_TEXT_METADATA, name="serialized_summary_metadata")
    op = make_op(graph, full, "TensorSummaryV2", [tag, x, meta], {"T": x._dtype},
                 [(_dtypes.string, ())])
    return _collect(op._outputs[0], collections)


def merge(inputs: Sequence[Any], collections: Sequence[str] | None = None,
          name: str | None = None) -> Tensor:
    """``tf.summary.merge``: op ``<scope>/MergeSummary`` (scope ``Merge``)."""
    graph = get_default_graph()
    with name_scope(name, "Merge", list(inputs)):
        xs = [convert_to_tensor(t) for t in inputs]
        full = graph._op_name(None, "MergeSummary")
        op = make_op(graph, full, "MergeSummary", xs, {"N": len(xs)}, [(_dtypes.string, ())])
    t: Tensor = op._outputs[0]
    for key in collections or []:
        add_to_collection(key, t)
    return t


def merge_all(key: str = GraphKeys.SUMMARIES, scope: str | None = None,
              name: str | None = None) -> Tensor | None:
    """``tf.summary.merge_all``: merges the ``key`` collection, or None when it is empty."""
    summaries = get_collection(key, scope)
    if not summaries:
        return None
    return merge(summaries, name=name)


# -- kernels -----------------------------------------------------------------------------
def _scalar_text(b: Any) -> str:
    return b.decode() if isinstance(b, bytes) else str(b)


def _bytes_out(s: Any) -> np.ndarray:
    return np.array(s.SerializeToString(), dtype=object)


@register_kernel("ScalarSummary")
def _scalar_kernel(op: Operation) -> Callable[..., Any]:
    def run(tags: np.ndarray, values: np.ndarray) -> np.ndarray:
        pb = summary_pb2()
        if tags.shape != values.shape:
            raise ValueError(f"tags and values are not the same shape: {list(tags.shape)} != "
                             f"{list(values.shape)}")
        s = pb.Summary()
        for t, v in zip(np.ravel(tags), np.ravel(values)):
            s.value.add(tag=_scalar_text(t), simple_value=float(v))
        return _bytes_out(s)
    return run


def _default_limits() -> np.ndarray:
    # TF's histogram.cc default buckets: +-1e-12 * 1.1**k up to 1e20, 0 and +-DBL_MAX
    pos = []
    v = 1.0e-12
    while v < 1.0e20:
        pos.append(v)
        v *= 1.1
    dbl_max = float(np.finfo(np.float64).max)
    pos.append(dbl_max)
    return np.array([-x for x in reversed(pos)] + [0.0] + pos, np.float64)


_LIMITS = _default_limits()


@register_kernel("HistogramSummary")
def _histogram_kernel(op: Operation) -> Callable[..., Any]:
    def run(tag: np.ndarray, values: np.ndarray) -> np.ndarray:
        pb = summary_pb2()
        x = np.ravel(values).astype(np.float64)
        if not np.all(np.isfinite(x)):
            raise ValueError("Nan in summary histogram for: " + _scalar_text(tag.item()))
        counts = np.bincount(np.searchsorted(_LIMITS, x, side="right"),
                             minlength=len(_LIMITS))[:len(_LIMITS)]
        s = pb.Summary()
        h = s.value.add(tag=_scalar_text(tag.item())).histo
        h.min = float(x.min()) if x.size else float(np.finfo(np.float64).max)
        h.max = float(x.max()) if x.size else -float(np.finfo(np.float64).max)
        h.num, h.sum, h.sum_squares = float(x.size), float(x.sum()), float((x * x).sum())
        # runs of empty buckets collapse into one, as TF's EncodeToProto does
        i = 0
        while i < len(counts):
            end, count, j = _LIMITS[i], counts[i], i + 1
            while count <= 0 and j < len(counts) and counts[j] <= 0:
                end, count, j = _LIMITS[j], counts[j], j + 1
            h.bucket_limit.append(float(end))
            h.bucket.append(float(count))
            i = j
        return _bytes_out(s)
    return run


def _png(img: np.ndarray) -> bytes:
    """A PNG (8-bit gray, RGB or RGBA, no filter) of an [h, w, c] uint8 array."""
    h, w, c = img.shape
    color = {1: 0, 3: 2, 4: 6}[c]
    raw = b"".join(b"\x00" + img[r].tobytes() for r in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@register_kernel("ImageSummary")
def _image_kernel(op: Operation) -> Callable[..., Any]:
    max_images = int(op._attrs["max_images"])

    def run(tag: np.ndarray, images: np.ndarray) -> np.ndarray:
        pb = summary_pb2()
        if images.ndim != 4 or images.shape[-1] not in (1, 3, 4):
            raise ValueError("Tensor must be 4-D with last dim 1, 3, or 4, not "
                             f"{list(images.shape)}")
        base = _scalar_text(tag.item())
        s = pb.Summary()
        for i, im in enumerate(images[:max_images]):
            if im.dtype == np.uint8:
                u8 = im
            else:
                # TF scales floats: [0, 1] images by 255, others so that the largest
                # magnitude maps to 255 (and negative values keep 127 as zero)
                f = im.astype(np.float64)
                lo, hi = (f.min(), f.max()) if f.size else (0.0, 0.0)
                if lo >= 0:
                    scale = 255.0 if hi <= 1 else 255.0 / hi
                    u8 = np.clip(np.round(f * scale), 0, 255).astype(np.uint8)
                else:
                    scale = 127.0 / max(abs(lo), abs(hi))
                    u8 = np.clip(np.round(f * scale + 128), 0, 255).astype(np.uint8)
            tag_i = f"{base}/image/{i}" if max_images > 1 else f"{base}/image"
            v = s.value.add(tag=tag_i)
            v.image.height, v.image.width, v.image.colorspace = im.shape[0], im.shape[1], im.shape[2]
            v.image.encoded_image_string = _png(np.ascontiguousarray(u8))
        return _bytes_out(s)
    return run


@register_kernel("TensorSummaryV2")
def _tensor_summary_kernel(op: Operation) -> Callable[..., Any]:
    def run(tag: np.ndarray, tensor: np.ndarray, meta: np.ndarray) -> np.ndarray:
        pb = summary_pb2()
        s = pb.Summary()
        v = s.value.add(tag=_scalar_text(tag.item()))
        v.metadata.ParseFromString(meta.item())
        v.tensor.dtype = 7  # DT_STRING
        for d in tensor.shape:
            v.tensor.tensor_shape.dim.add(size=d)
        for item in np.ravel(tensor):
            v.tensor.string_val.append(item if isinstance(item, bytes) else str(item).encode())
        return _bytes_out(s)
    return run


@register_kernel("MergeSummary")
def _merge_kernel(op: Operation) -> Callable[..., Any]:
    def run(*inputs: np.ndarray) -> np.ndarray:
        pb = summary_pb2()
        s = pb.Summary()
        seen: set[str] = set()
        for b in inputs:
            part = pb.Summary.FromString(b.item())
            for v in part.value:
                if v.tag in seen:
                    raise ValueError(f"Duplicate tag {v.tag} found in summary inputs")
                seen.add(v.tag)
                s.value.add().CopyFrom(v)
        return _bytes_out(s)
    return run


@register_kernel("AudioSummaryV2")
def _audio_kernel(op: Operation) -> Callable[..., Any]:
    from varstore.ops.audio_ops import encode_s16le_wav

    max_outputs = int(op._attrs["max_outputs"])

    def run(tag: np.ndarray, clips: np.ndarray, sample_rate: np.ndarray) -> np.ndarray:
        pb = summary_pb2()
        if tag.ndim != 0:
            raise ValueError("Tags must be a scalar")
        if not 2 <= clips.ndim <= 3:
            raise ValueError(f"Tensor must be 3-D or 2-D, got: {list(clips.shape)}")
        rate = float(sample_rate)
        if not rate > 0.0:
            raise ValueError("sample_rate must be > 0")
        frames = clips.shape[1]
        channels = 1 if clips.ndim == 2 else clips.shape[2]
        data = clips.reshape(clips.shape[0], frames, channels)
        base = _scalar_text(tag.item())
        wav_rate = max(int(np.rint(np.float32(rate))), 1)  # lrintf, at least 1
        s = pb.Summary()
        for i in range(min(max_outputs, clips.shape[0])):
            v = s.value.add(tag=f"{base}/audio/{i}" if max_outputs > 1 else f"{base}/audio")
            v.audio.sample_rate = rate
            v.audio.num_channels = channels
            v.audio.length_frames = frames
            v.audio.content_type = "audio/wav"
            v.audio.encoded_audio_string = encode_s16le_wav(data[i], wav_rate)
        return _bytes_out(s)
    return run


for _t in ("ScalarSummary", "HistogramSummary", "ImageSummary", "TensorSummaryV2",
           "MergeSummary", "AudioSummaryV2"):
    NotDifferentiable(_t)
