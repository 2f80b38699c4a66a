"""``tf.image.sample_distorted_bounding_box`` (TF1's): op ``SampleDistortedBoundingBoxV2``.

The kernel is sample_distorted_bounding_box_op.cc's loop, step by step: each run reserves
``4 * max_attempts`` words of the op's Philox stream (GuardedPhiloxRandom::ReserveSamples32)
and draws from them with SimplePhilox (a float aspect ratio, then exact uniform integers for
the height and offsets), in float32 arithmetic with lrintf's round-half-to-even, so a seeded
op gives TF's crops run for run. TF1's Python passes seed and seed2 straight to the op
(no graph seed), as here.

Also ``tf.image.extract_glimpse`` (TF1's): op ``ExtractGlimpse`` (eigen_attention.h's
GlimpseExtractionOp); a glimpse reaching outside the image is filled with noise as TF's
(uniform in the image's range, gaussian of each channel's mean and deviation, or zeros);
TF's noise is unseeded, so only the zero fill and the pixels inside are reproducible."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.executor import RunContext
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    builders,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.ops.random_philox import PhiloxStream, SimplePhilox

__all__ = ["extract_glimpse", "sample_distorted_bounding_box"]

_F = np.float32


def sample_distorted_bounding_box(image_size: Any, bounding_boxes: Any, seed: int | None = None,
                                  seed2: int | None = None, min_object_covered: Any = 0.1,
                                  aspect_ratio_range: Any = None, area_range: Any = None,
                                  max_attempts: int | None = None,
                                  use_image_if_no_bounding_boxes: bool | None = None,
                                  name: str | None = None) -> tuple[Tensor, Tensor, Tensor]:
    """(begin, size, bboxes): a random crop covering ``min_object_covered`` of a box, for
    tf.slice and draw_bounding_boxes."""
    with name_scope(name, "sample_distorted_bounding_box"):
        graph = check_same_graph(image_size, bounding_boxes, min_object_covered)
        full = graph._op_name(name, "SampleDistortedBoundingBoxV2")
        with scope_of(graph, full):
            size = first_input(image_size, "image_size", _dtypes.int32)
            boxes = convert_to_tensor(bounding_boxes, dtype=_dtypes.float32,
                                      name="bounding_boxes")
            cover = convert_to_tensor(min_object_covered, dtype=_dtypes.float32,
                                      name="min_object_covered")
        check_allowed(size._dtype, "uint8, int8, int16, int32, int64", "image_size")
        attrs = {"T": size._dtype, "seed": int(seed or 0), "seed2": int(seed2 or 0),
                 "aspect_ratio_range": [float(v) for v in (aspect_ratio_range or (0.75, 1.33))],
                 "area_range": [float(v) for v in (area_range or (0.05, 1.0))],
                 "max_attempts": 100 if max_attempts is None else int(max_attempts),
                 "use_image_if_no_bounding_boxes": bool(use_image_if_no_bounding_boxes)}
        op = make_op(graph, full, "SampleDistortedBoundingBoxV2", [size, boxes, cover], attrs,
                     [(size._dtype, (3,)), (size._dtype, (3,)), (_dtypes.float32, (1, 1, 4))])
        return op._outputs[0], op._outputs[1], op._outputs[2]


def _area(r: tuple[int, int, int, int]) -> Any:
    return _F((r[2] - r[0]) * (r[3] - r[1]))


def _intersect(a: tuple[int, int, int, int], b: tuple[int, int, int, int]
               ) -> tuple[int, int, int, int]:
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[2], b[2]), min(a[3], b[3])
    if x0 > x1 or y0 > y1:
        return (0, 0, 0, 0)
    return (x0, y0, x1, y1)


def _covers(crop: tuple[int, int, int, int], cover: np.float32,
            boxes: list[tuple[int, int, int, int]]) -> bool:
    if _area(crop) < 1:
        return False
    for box in boxes:
        area = _area(box)
        if area < 1:
            continue
        if _F(_area(_intersect(crop, box)) / area) >= cover:
            return True
    return False


def _lrint(v: Any) -> int:
    return int(np.rint(_F(v)))


def _random_crop(w: int, h: int, lo: np.float32, hi: np.float32, aspect: np.float32,
                 rnd: SimplePhilox) -> tuple[int, int, int, int] | None:
    if hi <= 0 or aspect <= 0 or w <= 0 or h <= 0 or lo > hi:
        return None
    min_area = _F(_F(lo * _F(w)) * _F(h))
    max_area = _F(_F(hi * _F(w)) * _F(h))
    height = _lrint(np.sqrt(_F(min_area / aspect)))
    max_height = _lrint(np.sqrt(_F(max_area / aspect)))
    if _lrint(_F(max_height) * aspect) > w:
        max_height = int((w + 0.5 - float(_F(0.0000001))) / float(aspect))
        if _lrint(_F(max_height) * aspect) > w:
            max_height -= 1
    max_height = min(max_height, h)
    height = min(height, max_height)
    if height < max_height:
        height += rnd.uniform(max_height - height + 1)
    width = _lrint(_F(height) * aspect)
    area = _F(width * height)
    if area < min_area:
        height += 1
        width = _lrint(_F(height) * aspect)
        area = _F(width * height)
    if area > max_area:
        height -= 1
        width = _lrint(_F(height) * aspect)
        area = _F(width * height)
    if (area < min_area or area > max_area or width > w or height > h or width <= 0
            or height <= 0):
        return None
    y = rnd.uniform(h - height) if height < h else 0
    x = rnd.uniform(w - width) if width < w else 0
    return (x, y, x + width, y + height)


def _check_attrs(a: dict[str, Any]) -> None:
    ar, area = a["aspect_ratio_range"], a["area_range"]
    if len(ar) != 2:
        raise ValueError("Aspect ratio range field must specify 2 dimensions")
    if not (ar[0] > 0 and ar[1] > 0):
        raise ValueError(f"Aspect ratio range must be non-negative: [{ar[0]:g}, {ar[1]:g}]")
    if len(area) != 2:
        raise ValueError("Area range field must specify 2 dimensions")
    if not (area[0] > 0 and area[1] > 0):
        raise ValueError(f"Area range must be non-negative: [{area[0]:g}, {area[1]:g}]")
    if not (area[0] <= 1 and area[1] <= 1):
        raise ValueError(f"Area range must be less then or equal to 1.0: [{area[0]:g}, "
                         f"{area[1]:g}]")
    if a["max_attempts"] <= 0:
        raise ValueError(f"Max attempts must be non-negative: {a['max_attempts']}")


@register_kernel("SampleDistortedBoundingBoxV2", stateful=True)
def _sample_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    a = op._attrs
    out_dt = a["T"]._np
    stream: PhiloxStream = ctx.op_state(op, lambda: PhiloxStream(int(a["seed"]),
                                                                 int(a["seed2"])))

    def kernel(image_size: np.ndarray, boxes: np.ndarray, cover: np.ndarray) -> tuple[Any, ...]:
        _check_attrs(a)
        attempts = int(a["max_attempts"])
        rnd = stream.reserve_samples32(4 * attempts)
        if np.ndim(image_size) != 1:
            raise ValueError(f"image_size must be 1-dimensional{list(np.shape(image_size))}")
        if np.shape(image_size)[0] != 3:
            raise ValueError(f"image_size must contain 3 elements{list(np.shape(image_size))}")
        h, w = int(image_size[0]), int(image_size[1])
        if not 0 <= h < 2 ** 31 - 1:
            raise ValueError("image height cannot be >= int32 max")
        if not 0 <= w < 2 ** 31 - 1:
            raise ValueError("image width cannot be >= int32 max")
        if boxes.ndim != 3:
            raise ValueError("input boxes must be 3-dimensional [batch, num_boxes, coords]: "
                             f"{list(boxes.shape)}")
        if boxes.shape[-1] != 4:
            raise ValueError(f"bounding boxes must have shape [4] or [*, 4], got "
                             f"{list(boxes.shape)}")
        if np.ndim(cover) != 0:
            raise ValueError(f"min_object_covered must be 0-D, got shape {list(np.shape(cover))}")
        cov = _F(cover)
        if not cov >= 0:
            raise ValueError(f"Min object covered must be non-negative: {float(cov):g}")
        rects: list[tuple[int, int, int, int]] = []
        for b in boxes.reshape(-1, 4).astype(_F):
            for v in b:
                if not 0.0 <= v <= 1.0:
                    raise ValueError("All bounding box coordinates must be in [0.0, 1.0]: "
                                     f"{float(v):g}")
            rects.append((int(_F(b[1] * _F(w))), int(_F(b[0] * _F(h))),
                          int(_F(b[3] * _F(w))), int(_F(b[2] * _F(h)))))
        image = (0, 0, w, h)
        if not rects:
            if not a["use_image_if_no_bounding_boxes"]:
                raise ValueError("No bounding boxes provided as input. One must enable "
                                 "use_image_if_no_bounding_boxes if you wish to not provide "
                                 "any bounding boxes.")
            rects.append(image)
        lo, hi = _F(a["area_range"][0]), _F(a["area_range"][1])
        amin, amax = _F(a["aspect_ratio_range"][0]), _F(a["aspect_ratio_range"][1])
        crop = None
        for _ in range(attempts):
            aspect = _F(_F(rnd.rand_float() * _F(amax - amin)) + amin)
            got = _random_crop(w, h, lo, hi, aspect, rnd)
            if got is not None and _covers(got, cov, rects):
                crop = got
                break
        if crop is None:
            crop = image
        x0, y0, x1, y1 = crop
        begin = np.asarray([y0, x0, 0], np.int64).astype(out_dt)
        size = np.asarray([y1 - y0, x1 - x0, -1], np.int64).astype(out_dt)
        bbox = np.asarray([[[_F(y0) / _F(h), _F(x0) / _F(w), _F(y1) / _F(h), _F(x1) / _F(w)]]],
                          _F)
        return begin, size, bbox

    return kernel


NotDifferentiable("SampleDistortedBoundingBoxV2")


# -- ExtractGlimpse --------------------------------------------------------------------------------
def extract_glimpse(input: Any, size: Any, offsets: Any, centered: bool = True,
                    normalized: bool = True, uniform_noise: bool = True,
                    name: str | None = None) -> Tensor:
    """TF1's ``tf.image.extract_glimpse``: op ``ExtractGlimpse``, (batch, size, depth)
    windows at (y, x) offsets."""
    graph = check_same_graph(input, size, offsets)
    full = graph._op_name(name, "ExtractGlimpse")
    with scope_of(graph, full):
        x = first_input(input, "input", _dtypes.float32)
        sz = convert_to_tensor(size, dtype=_dtypes.int32, name="size")
        off = convert_to_tensor(offsets, dtype=_dtypes.float32, name="offsets")
    from varstore.framework.constant_op import constant_value

    sv = constant_value(sz)
    hw = (int(sv[0]), int(sv[1])) if sv is not None and np.size(sv) == 2 else (None, None)
    shape = None
    if x._shape is not None and len(x._shape) == 4:
        shape = (x._shape[0], hw[0], hw[1], x._shape[3])
    attrs = {"centered": bool(centered), "normalized": bool(normalized),
             "uniform_noise": bool(uniform_noise), "noise": "uniform"}
    return make_op(graph, full, "ExtractGlimpse", [x, sz, off], attrs,
                   [(_dtypes.float32, shape)])._outputs[0]


@register_kernel("ExtractGlimpse", stateful=True)
def _glimpse_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    a = op._attrs
    noise = a["noise"] or ("uniform" if a["uniform_noise"] else "gaussian")
    rng = np.random.default_rng()

    def kernel(image: np.ndarray, size: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        if image.ndim != 4:
            raise ValueError(f"input must be 4-dimensional{list(image.shape)}")
        batch, ih, iw, depth = image.shape
        if np.shape(size) != (2,):
            raise ValueError(f"input must be a vector of size 2 (height, width){list(np.shape(size))}")
        gh, gw = int(size[0]), int(size[1])
        if offsets.ndim != 2 or offsets.shape[0] != batch or offsets.shape[1] != 2:
            raise ValueError("input must be a matrix")
        out = np.zeros((batch, gh, gw, depth), _F)
        for i in range(batch):
            y, xx = _F(offsets[i, 0]), _F(offsets[i, 1])
            if a["normalized"]:
                xx, y = _F(xx * _F(iw)), _F(y * _F(ih))
            if a["centered"]:
                # centred offsets run over [-1, 1] (halved, then moved to the image centre)
                xx = _F(_F(xx / _F(2)) + _F(iw / 2.0))
                y = _F(_F(y / _F(2)) + _F(ih / 2.0))
            # the offset is the glimpse's centre: remove half of the window
            xx, y = _F(xx - _F(gw / 2.0)), _F(y - _F(gh / 2.0))
            ox, oy = int(xx), int(y)
            src = image[i].astype(_F)
            if noise == "uniform":
                lo, hi = src.min(), src.max()
                fill = lo + rng.random((gh, gw, depth), dtype=_F) * (hi - lo)
            elif noise == "gaussian":
                mean, sig = src.mean(axis=(0, 1)), src.std(axis=(0, 1))
                fill = np.clip(mean + rng.standard_normal((gh, gw, depth)).astype(_F) * sig,
                               src.min(axis=(0, 1)), src.max(axis=(0, 1)))
            else:
                fill = np.zeros((gh, gw, depth), _F)
            out[i] = fill
            y0, y1 = max(oy, 0), min(oy + gh, ih)
            x0, x1 = max(ox, 0), min(ox + gw, iw)
            if y1 > y0 and x1 > x0:
                out[i, y0 - oy:y1 - oy, x0 - ox:x1 - ox] = src[y0:y1, x0:x1]
        return out

    return kernel


NotDifferentiable("ExtractGlimpse")

builders.register(globals(), __all__)
