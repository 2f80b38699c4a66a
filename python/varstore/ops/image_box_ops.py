"""Box ops of ``tf.image`` (TF's gen_image_ops, image_grad.py): CropAndResize with its
gradients CropAndResizeGradImage / CropAndResizeGradBoxes, and the greedy non-max
suppressions NonMaxSuppressionV2/V3/V4/V5 and NonMaxSuppressionWithOverlaps.

The kernels follow crop_and_resize_op.cc and non_max_suppression_op.cc step by step in
float32 (the sampling positions, lerps and IoUs are TF's single-precision expressions; the
one double expression TF has, a single-row crop's centre, is double here too)."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    register_kernel,
    scope_of,
)

__all__ = [
    "crop_and_resize",
    "draw_bounding_boxes",
    "non_max_suppression",
    "non_max_suppression_overlaps",
    "non_max_suppression_v4",
    "non_max_suppression_with_scores",
]

_IMAGE_TYPES = "uint8, uint16, int8, int16, int32, int64, float16, float32, float64"
_F32 = np.float32


# -- CropAndResize ------------------------------------------------------------------------------
def crop_and_resize(image: Any, boxes: Any, box_ind: Any = None, crop_size: Any = None,
                    method: str = "bilinear", extrapolation_value: float = 0,
                    name: str | None = None, box_indices: Any = None) -> Tensor:
    """``tf.image.crop_and_resize`` (TF1's, box_ind or box_indices): op ``CropAndResize``,
    (num_boxes, crop_height, crop_width, depth) float32."""
    if box_ind is None:
        box_ind = box_indices
    graph = check_same_graph(image, boxes, box_ind, crop_size)
    full = graph._op_name(name, "CropAndResize")
    with scope_of(graph, full):
        x = first_input(image, "image")
        b = convert_to_tensor(boxes, dtype=_dtypes.float32, name="boxes")
        bi = convert_to_tensor(box_ind, dtype=_dtypes.int32, name="box_ind")
        cs = convert_to_tensor(crop_size, dtype=_dtypes.int32, name="crop_size")
    check_allowed(x._dtype, _IMAGE_TYPES, "image")
    if method not in ("bilinear", "nearest"):
        raise ValueError(f"Attr 'method' of 'CropAndResize' Op passed string '{method}' not in: "
                         '"bilinear", "nearest".')
    size = constant_value(cs)
    ch, cw = (int(size[0]), int(size[1])) if size is not None and np.size(size) == 2 else (
        None, None)
    n = b._shape[0] if b._shape is not None else None
    depth = x._shape[3] if x._shape is not None and len(x._shape) == 4 else None
    attrs = {"T": x._dtype, "method": method, "extrapolation_value": float(extrapolation_value)}
    return make_op(graph, full, "CropAndResize", [x, b, bi, cs], attrs,
                   [(_dtypes.float32, (n, ch, cw, depth))])._outputs[0]


def _check_boxes(boxes: np.ndarray, box_ind: np.ndarray, batch: int) -> None:
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError(f"boxes must be 2-D[num_boxes, 4] but got shape {list(boxes.shape)}")
    if box_ind.ndim != 1 or box_ind.shape[0] != boxes.shape[0]:
        raise ValueError("box_index has incompatible shape")
    if box_ind.size and (int(box_ind.min()) < 0 or int(box_ind.max()) >= batch):
        raise ValueError("box_index has values outside [0, batch_size)")


def _positions(lo: float, hi: float, n_out: int, n_in: int) -> np.ndarray:
    if n_out > 1:
        scale = _F32(_F32(hi - lo) * _F32(n_in - 1) / _F32(n_out - 1))
        pos: np.ndarray = (_F32(lo) * _F32(n_in - 1)
                           + np.arange(n_out, dtype=_F32) * scale).astype(_F32)
        return pos
    return np.asarray([_F32(0.5 * float(_F32(lo) + _F32(hi)) * (n_in - 1))], _F32)


def _sample_grid(box: np.ndarray, ch: int, cw: int, h: int, w: int) -> tuple[np.ndarray, ...]:
    y1, x1, y2, x2 = (_F32(v) for v in box)
    ys, xs = _positions(y1, y2, ch, h), _positions(x1, x2, cw, w)
    yok = (ys >= 0) & (ys <= h - 1)
    xok = (xs >= 0) & (xs <= w - 1)
    return ys, xs, yok, xok


@register_kernel("CropAndResize")
def _crop_kernel(op: Operation) -> Callable[..., Any]:
    method, extra = op._attrs["method"], _F32(op._attrs["extrapolation_value"])

    def kernel(image: np.ndarray, boxes: np.ndarray, box_ind: np.ndarray,
               crop_size: np.ndarray) -> np.ndarray:
        if image.ndim != 4:
            raise ValueError(f"input image must be 4-D{list(image.shape)}")
        batch, h, w, depth = image.shape
        if h <= 0 or w <= 0:
            raise ValueError("image dimensions must be positive")
        _check_boxes(boxes, box_ind, batch)
        if np.shape(crop_size) != (2,):
            raise ValueError(f"crop_size must be 1-D with 2 elements, got {list(np.shape(crop_size))}")
        ch, cw = int(crop_size[0]), int(crop_size[1])
        if ch <= 0 or cw <= 0:
            raise ValueError("crop dimensions must be positive")
        out = np.full((boxes.shape[0], ch, cw, depth), extra, _F32)
        img = image.astype(_F32)
        for k in range(boxes.shape[0]):
            ys, xs, yok, xok = _sample_grid(boxes[k], ch, cw, h, w)
            src = img[int(box_ind[k])]
            if method == "bilinear":
                ty, by = np.floor(ys).astype(np.int64), np.ceil(ys).astype(np.int64)
                lx, rx = np.floor(xs).astype(np.int64), np.ceil(xs).astype(np.int64)
                ty, by = np.clip(ty, 0, h - 1), np.clip(by, 0, h - 1)
                lx, rx = np.clip(lx, 0, w - 1), np.clip(rx, 0, w - 1)
                yl = (ys - np.floor(ys)).astype(_F32)[:, None, None]
                xl = (xs - np.floor(xs)).astype(_F32)[None, :, None]
                tl, tr = src[ty][:, lx], src[ty][:, rx]
                bl, br = src[by][:, lx], src[by][:, rx]
                top = tl + (tr - tl) * xl
                bottom = bl + (br - bl) * xl
                val = top + (bottom - top) * yl
            else:
                cy = np.clip(np.floor(ys + _F32(0.5)).astype(np.int64), 0, h - 1)
                cx = np.clip(np.floor(xs + _F32(0.5)).astype(np.int64), 0, w - 1)
                val = src[cy][:, cx]
            mask = yok[:, None] & xok[None, :]
            out[k][mask] = val[mask]
        return out

    return kernel


@RegisterGradient("CropAndResize")
def _crop_grad(op: Operation, grad: Tensor) -> list[Any]:
    image, boxes, box_ind = op._inputs[0], op._inputs[1], op._inputs[2]
    if image._shape is not None and all(d is not None for d in image._shape):
        image_shape: Any = list(image._shape)
    else:
        image_shape = builders.shape_of(image)
    grad0 = None
    if image._dtype in (_dtypes.float16, _dtypes.float32, _dtypes.float64):
        grad0 = _grad_image(grad, boxes, box_ind, image_shape, image._dtype, op._attrs["method"])
    grad1 = _grad_boxes(grad, image, boxes, box_ind)
    return [grad0, grad1, None, None]


def _grad_image(grads: Tensor, boxes: Tensor, box_ind: Tensor, image_size: Any, T: Any,
                method: str) -> Tensor:
    graph = check_same_graph(grads, boxes, box_ind, image_size)
    full = graph._op_name(None, "CropAndResizeGradImage")
    with scope_of(graph, full):
        size = convert_to_tensor(image_size, dtype=_dtypes.int32, name="image_size")
    sv = constant_value(size)
    shape = tuple(int(v) for v in sv) if sv is not None else (None, None, None, None)
    return make_op(graph, full, "CropAndResizeGradImage", [grads, boxes, box_ind, size],
                   {"T": T, "method": method}, [(T, shape)])._outputs[0]


def _grad_boxes(grads: Tensor, image: Tensor, boxes: Tensor, box_ind: Tensor) -> Tensor:
    graph = check_same_graph(grads, image, boxes, box_ind)
    full = graph._op_name(None, "CropAndResizeGradBoxes")
    return make_op(graph, full, "CropAndResizeGradBoxes", [grads, image, boxes, box_ind],
                   {"T": image._dtype, "method": "bilinear"},
                   [(_dtypes.float32, boxes._shape)])._outputs[0]


@register_kernel("CropAndResizeGradImage")
def _grad_image_kernel(op: Operation) -> Callable[..., Any]:
    method, dtype = op._attrs["method"], op._attrs["T"]._np

    def kernel(grads: np.ndarray, boxes: np.ndarray, box_ind: np.ndarray,
               image_size: np.ndarray) -> np.ndarray:
        if np.shape(image_size) != (4,):
            raise ValueError("image_size must be 1-D with 4 elements, got "
                             f"{list(np.shape(image_size))}")
        batch, h, w, depth = (int(v) for v in image_size)
        if h <= 0 or w <= 0:
            raise ValueError("image dimensions must be positive")
        _check_boxes(boxes, box_ind, batch)
        _, ch, cw, gd = grads.shape
        if gd != depth:
            raise ValueError("image_size and grads are incompatible")
        out = np.zeros((batch, h, w, depth), _F32)
        g = grads.astype(_F32)
        for k in range(boxes.shape[0]):
            ys, xs, yok, xok = _sample_grid(boxes[k], ch, cw, h, w)
            dst = out[int(box_ind[k])]
            for yi in np.nonzero(yok)[0]:
                y = ys[yi]
                for xi in np.nonzero(xok)[0]:
                    x = xs[xi]
                    gv = g[k, yi, xi]
                    if method == "bilinear":
                        ty, by = math.floor(y), math.ceil(y)
                        lx, rx = math.floor(x), math.ceil(x)
                        yl, xl = _F32(y - ty), _F32(x - lx)
                        dtop = (_F32(1) - yl) * gv
                        dst[ty, lx] += (_F32(1) - xl) * dtop
                        dst[ty, rx] += xl * dtop
                        dbottom = yl * gv
                        dst[by, lx] += (_F32(1) - xl) * dbottom
                        dst[by, rx] += xl * dbottom
                    else:
                        dst[math.floor(y + 0.5), math.floor(x + 0.5)] += gv
        return out.astype(dtype)

    return kernel


@register_kernel("CropAndResizeGradBoxes")
def _grad_boxes_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(grads: np.ndarray, image: np.ndarray, boxes: np.ndarray,
               box_ind: np.ndarray) -> np.ndarray:
        batch, h, w, _ = image.shape
        _check_boxes(boxes, box_ind, batch)
        _, ch, cw, _ = grads.shape
        out = np.zeros(boxes.shape, _F32)
        img = image.astype(_F32)
        g = grads.astype(_F32)
        hr = _F32(h - 1) / _F32(ch - 1) if ch > 1 else _F32(0)
        wr = _F32(w - 1) / _F32(cw - 1) if cw > 1 else _F32(0)
        for k in range(boxes.shape[0]):
            ys, xs, yok, xok = _sample_grid(boxes[k], ch, cw, h, w)
            src = img[int(box_ind[k])]
            for yi in np.nonzero(yok)[0]:
                y = ys[yi]
                ty, by = math.floor(y), math.ceil(y)
                yl = _F32(y - ty)
                for xi in np.nonzero(xok)[0]:
                    x = xs[xi]
                    lx, rx = math.floor(x), math.ceil(x)
                    xl = _F32(x - lx)
                    tl, tr, bl, br = src[ty, lx], src[ty, rx], src[by, lx], src[by, rx]
                    gy = ((_F32(1) - xl) * (bl - tl) + xl * (br - tr)) * g[k, yi, xi]
                    gx = ((_F32(1) - yl) * (tr - tl) + yl * (br - bl)) * g[k, yi, xi]
                    if ch > 1:
                        out[k, 0] += np.sum(gy * (_F32(h - 1) - _F32(yi) * hr))
                        out[k, 2] += np.sum(gy * (_F32(yi) * hr))
                    else:
                        out[k, 0] += np.sum(gy * _F32(0.5 * (h - 1)))
                        out[k, 2] += np.sum(gy * _F32(0.5 * (h - 1)))
                    if cw > 1:
                        out[k, 1] += np.sum(gx * (_F32(w - 1) - _F32(xi) * wr))
                        out[k, 3] += np.sum(gx * (_F32(xi) * wr))
                    else:
                        out[k, 1] += np.sum(gx * _F32(0.5 * (w - 1)))
                        out[k, 3] += np.sum(gx * _F32(0.5 * (w - 1)))
        return out

    return kernel




# -- non-max suppression ------------------------------------------------------------------------
def _iou(boxes: np.ndarray, i: int, j: int) -> Any:
    bi, bj = boxes[i], boxes[j]
    ymin_i, ymax_i = min(bi[0], bi[2]), max(bi[0], bi[2])
    xmin_i, xmax_i = min(bi[1], bi[3]), max(bi[1], bi[3])
    ymin_j, ymax_j = min(bj[0], bj[2]), max(bj[0], bj[2])
    xmin_j, xmax_j = min(bj[1], bj[3]), max(bj[1], bj[3])
    area_i = (ymax_i - ymin_i) * (xmax_i - xmin_i)
    area_j = (ymax_j - ymin_j) * (xmax_j - xmin_j)
    if area_i <= 0 or area_j <= 0:
        return _F32(0)
    iy = max(min(ymax_i, ymax_j) - max(ymin_i, ymin_j), _F32(0))
    ix = max(min(xmax_i, xmax_j) - max(xmin_i, xmin_j), _F32(0))
    inter = iy * ix
    return _F32(inter / (area_i + area_j - inter))


def _greedy(similarity: Callable[[int, int], Any], scores: np.ndarray, max_out: int,
            threshold: float, score_threshold: float, sigma: float
            ) -> tuple[list[int], list[float]]:
    """non_max_suppression_op.cc's DoNonMaxSuppressionOp: a score-ordered queue (ties to the
    lower index); soft-NMS re-queues a candidate whose score decayed."""
    scores = scores.astype(_F32)
    thr, sthr = _F32(threshold), _F32(score_threshold)
    scale = _F32(-0.5 / sigma) if sigma > 0 else _F32(0)
    queue = [(-scores[i], i, 0) for i in range(scores.shape[0]) if scores[i] > sthr]
    heapq.heapify(queue)
    selected: list[int] = []
    sel_scores: list[float] = []
    while len(selected) < max_out and queue:
        neg, idx, begin = heapq.heappop(queue)
        score = original = _F32(-neg)
        hard = False
        for j in range(len(selected) - 1, begin - 1, -1):
            sim = _F32(similarity(idx, selected[j]))
            score = _F32(score * (_F32(math.exp(scale * sim * sim)) if sim <= thr else _F32(0)))
            if sigma <= 0 and sim > thr:
                hard = True
                break
            if score <= sthr:
                break
        if hard:
            continue
        if score == original:
            selected.append(idx)
            sel_scores.append(float(score))
        elif score > sthr:
            heapq.heappush(queue, (-score, idx, len(selected)))
    return selected, sel_scores


def _nms_inputs(graph: Any, full: str, boxes: Any, scores: Any, max_output_size: Any,
                thresholds: list[tuple[Any, str]], box_name: str = "boxes"
                ) -> list[Tensor]:
    with scope_of(graph, full):
        b = first_input(boxes, box_name, _dtypes.float32)
        s = convert_to_tensor(scores, dtype=b._dtype, name="scores")
        m = convert_to_tensor(max_output_size, dtype=_dtypes.int32, name="max_output_size")
        rest = [convert_to_tensor(v, dtype=_dtypes.float32 if box_name == "boxes" else b._dtype,
                                  name=n) for v, n in thresholds]
    return [b, s, m, *rest]


def non_max_suppression(boxes: Any, scores: Any, max_output_size: Any,
                        iou_threshold: Any = 0.5, score_threshold: Any = float("-inf"),
                        name: str | None = None) -> Tensor:
    """``tf.image.non_max_suppression``: op ``NonMaxSuppressionV3`` under scope
    non_max_suppression."""
    with name_scope(name, "non_max_suppression"):
        iou = convert_to_tensor(iou_threshold, name="iou_threshold")
        st = convert_to_tensor(score_threshold, name="score_threshold")
        graph = check_same_graph(boxes, scores, max_output_size, iou, st)
        full = graph._op_name(None, "NonMaxSuppressionV3")
        b, s, m = _nms_inputs(graph, full, boxes, scores, max_output_size, [])
        return make_op(graph, full, "NonMaxSuppressionV3", [b, s, m, iou, st],
                       {"T": b._dtype, "T_threshold": iou._dtype},
                       [(_dtypes.int32, (None,))])._outputs[0]


def non_max_suppression_v4(boxes: Any, scores: Any, max_output_size: Any,
                           iou_threshold: Any = 0.5, score_threshold: Any = float("-inf"),
                           pad_to_max_output_size: bool = False,
                           name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.image.non_max_suppression_padded``'s op (TF1 graphs): ``NonMaxSuppressionV4``,
    (selected_indices, valid_outputs)."""
    graph = check_same_graph(boxes, scores, max_output_size, iou_threshold, score_threshold)
    full = graph._op_name(name, "NonMaxSuppressionV4")
    ins = _nms_inputs(graph, full, boxes, scores, max_output_size,
                      [(iou_threshold, "iou_threshold"), (score_threshold, "score_threshold")])
    m = constant_value(ins[2])
    n = int(m) if pad_to_max_output_size and m is not None else None
    op = make_op(graph, full, "NonMaxSuppressionV4", ins,
                 {"T": ins[0]._dtype, "T_threshold": ins[3]._dtype,
                  "pad_to_max_output_size": bool(pad_to_max_output_size)},
                 [(_dtypes.int32, (n,)), (_dtypes.int32, ())])
    return op._outputs[0], op._outputs[1]


def non_max_suppression_with_scores(boxes: Any, scores: Any, max_output_size: Any,
                                    iou_threshold: Any = 0.5,
                                    score_threshold: Any = float("-inf"),
                                    soft_nms_sigma: Any = 0.0,
                                    name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.image.non_max_suppression_with_scores``: op ``NonMaxSuppressionV5`` (soft-NMS
    when soft_nms_sigma > 0)."""
    with name_scope(name, "non_max_suppression_with_scores"):
        iou = convert_to_tensor(iou_threshold, name="iou_threshold")
        st = convert_to_tensor(score_threshold, name="score_threshold")
        sigma = convert_to_tensor(soft_nms_sigma, name="soft_nms_sigma")
        graph = check_same_graph(boxes, scores, max_output_size, iou, st, sigma)
        full = graph._op_name(None, "NonMaxSuppressionV5")
        b, s, m = _nms_inputs(graph, full, boxes, scores, max_output_size, [])
        op = make_op(graph, full, "NonMaxSuppressionV5", [b, s, m, iou, st, sigma],
                     {"T": b._dtype, "pad_to_max_output_size": False},
                     [(_dtypes.int32, (None,)), (b._dtype, (None,)), (_dtypes.int32, ())])
        return op._outputs[0], op._outputs[1]


def non_max_suppression_overlaps(overlaps: Any, scores: Any, max_output_size: Any,
                                 overlap_threshold: Any = 0.5,
                                 score_threshold: Any = float("-inf"),
                                 name: str | None = None) -> Tensor:
    """``tf.image.non_max_suppression_overlaps``: op ``NonMaxSuppressionWithOverlaps``."""
    with name_scope(name, "non_max_suppression_overlaps"):
        ot = convert_to_tensor(overlap_threshold, name="overlap_threshold")
        st = convert_to_tensor(score_threshold, name="score_threshold")
        graph = check_same_graph(overlaps, scores, max_output_size, ot, st)
        full = graph._op_name(None, "NonMaxSuppressionWithOverlaps")
        b, s, m = _nms_inputs(graph, full, overlaps, scores, max_output_size, [],
                              box_name="overlaps")
        return make_op(graph, full, "NonMaxSuppressionWithOverlaps", [b, s, m, ot, st], {},
                       [(_dtypes.int32, (None,))])._outputs[0]


def _check_nms(boxes: np.ndarray, scores: np.ndarray, max_out: np.ndarray, iou: np.ndarray,
               overlaps: bool = False) -> None:
    if np.ndim(max_out) != 0:
        raise ValueError(f"max_output_size must be 0-D, got shape {list(np.shape(max_out))}")
    if np.ndim(iou) != 0:
        what = "overlap_threshold" if overlaps else "iou_threshold"
        raise ValueError(f"{what} must be 0-D, got shape {list(np.shape(iou))}")
    if not overlaps and not 0 <= float(iou) <= 1:
        raise ValueError("iou_threshold must be in [0, 1]")
    if overlaps:
        if boxes.ndim != 2 or boxes.shape[0] != boxes.shape[1]:
            raise ValueError(f"overlaps must be square, got shape {list(boxes.shape)}")
    elif boxes.ndim != 2 or boxes.shape[1] != 4:
        raise ValueError(f"boxes must be 2-D[num_boxes, 4] but got shape {list(boxes.shape)}")
    if scores.ndim != 1 or scores.shape[0] != boxes.shape[0]:
        raise ValueError("scores has incompatible shape")


def _nms_kernel(version: int) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        pad = bool(op._attrs.get("pad_to_max_output_size", False))

        def kernel(boxes: np.ndarray, scores: np.ndarray, max_out: np.ndarray,
                   iou: np.ndarray, *rest: np.ndarray) -> Any:
            _check_nms(boxes, scores, max_out, iou, version == 0)
            st = float(rest[0]) if rest else float("-inf")
            sigma = float(rest[1]) if len(rest) > 1 else 0.0
            if version == 5 and sigma < 0:
                raise ValueError("soft_nms_sigma must be non-negative")
            b = boxes.astype(_F32)
            if version == 0:
                def sim(i: int, j: int) -> Any:
                    return b[i, j]
            else:
                def sim(i: int, j: int) -> Any:
                    return _iou(b, i, j)
            m = int(max_out)
            sel, sc = _greedy(sim, scores, m, float(iou), st, sigma)
            valid = len(sel)
            idx = np.asarray(sel, np.int32)
            scs = np.asarray(sc, scores.dtype)
            if pad:
                idx = np.concatenate([idx, np.zeros(max(m - valid, 0), np.int32)])
                scs = np.concatenate([scs, np.zeros(max(m - valid, 0), scores.dtype)])
            if version == 4:
                return idx, np.int32(valid)
            if version == 5:
                return idx, scs, np.int32(valid)
            return idx

        return kernel

    return factory


register_kernel("NonMaxSuppressionV2")(_nms_kernel(2))
register_kernel("NonMaxSuppressionV3")(_nms_kernel(3))
register_kernel("NonMaxSuppressionV4")(_nms_kernel(4))
register_kernel("NonMaxSuppressionV5")(_nms_kernel(5))
register_kernel("NonMaxSuppressionWithOverlaps")(_nms_kernel(0))
# as image_ops_impl.py: V2 and WithOverlaps are NotDifferentiable, V3-V5 have no gradient
NotDifferentiable("NonMaxSuppressionV2")
NotDifferentiable("NonMaxSuppressionWithOverlaps")

# -- DrawBoundingBoxes(V2) -----------------------------------------------------------------------
# draw_bounding_box_op.cc's default colour table (yellow, blue, red, lime, purple, olive, maroon,
# navy, aqua, fuchsia), RGBA
_COLORS = np.asarray([[1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1], [0.5, 0, 0.5, 1],
                      [0.5, 0.5, 0, 1], [0.5, 0, 0, 1], [0, 0, 0.5, 1], [0, 1, 1, 1],
                      [1, 0, 1, 1]], np.float32)


def draw_bounding_boxes(images: Any, boxes: Any, name: str | None = None,
                        colors: Any = None) -> Tensor:
    """``tf.image.draw_bounding_boxes``: op ``DrawBoundingBoxes``, or ``DrawBoundingBoxesV2``
    when colors are given (TF1's argument order: images, boxes, name, colors)."""
    op_type = "DrawBoundingBoxes" if colors is None else "DrawBoundingBoxesV2"
    graph = check_same_graph(images, boxes, colors)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        x = first_input(images, "images", _dtypes.float32)
        b = convert_to_tensor(boxes, dtype=_dtypes.float32, name="boxes")
        ins = [x, b]
        if colors is not None:
            ins.append(convert_to_tensor(colors, dtype=_dtypes.float32, name="colors"))
    check_allowed(x._dtype, "float32, float16", "images")
    return make_op(graph, full, op_type, ins, {"T": x._dtype},
                   [(x._dtype, x._shape)])._outputs[0]


def _draw_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(images: np.ndarray, boxes: np.ndarray, *colors: np.ndarray) -> np.ndarray:
        if images.ndim != 4:
            raise ValueError("The rank of the images should be 4")
        if boxes.ndim != 3:
            raise ValueError("The rank of the boxes tensor should be 3")
        if images.shape[0] != boxes.shape[0]:
            raise ValueError("The batch sizes should be the same")
        batch, h, w, depth = images.shape
        if depth not in (1, 3, 4):
            raise ValueError("Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)")
        if boxes.shape[2] != 4:
            raise ValueError("The size of the third dimension of the box must be 4. Received: "
                             f"{boxes.shape[2]}")
        table = None
        if colors:
            c = colors[0]
            shape = "[" + ",".join(str(d) for d in c.shape) + "]"
            if c.ndim != 2:
                raise ValueError(f"colors must be a 2-D matrix{shape}")
            if c.shape[1] < depth:
                raise ValueError("colors must have equal or more channels than the image "
                                 f"provided: {shape}")
            if c.size:
                table = c[:, :depth].astype(np.float32)
        if table is None:
            table = _COLORS.copy()[:, :depth]
            if depth == 1:
                table[:, 0] = 1
        out: np.ndarray = images.copy()
        f32 = boxes.astype(np.float32)
        for k in range(batch):
            for bb in range(boxes.shape[1]):
                col = table[bb % len(table)].astype(images.dtype)
                # float products truncated toward zero, as the kernel's int64 casts
                r0, c0, r1, c1 = (int(f32[k, bb, i] * np.float32(n - 1))
                                  for i, n in ((0, h), (1, w), (2, h), (3, w)))
                if r0 > r1 or c0 > c1 or r0 >= h or r1 < 0 or c0 >= w or c1 < 0:
                    continue
                rc0, rc1, cc0, cc1 = max(r0, 0), min(r1, h - 1), max(c0, 0), min(c1, w - 1)
                if r0 >= 0:
                    out[k, r0, cc0:cc1 + 1] = col
                if r1 < h:
                    out[k, r1, cc0:cc1 + 1] = col
                if c0 >= 0:
                    out[k, rc0:rc1 + 1, c0] = col
                if c1 < w:
                    out[k, rc0:rc1 + 1, c1] = col
        return out

    return kernel


register_kernel("DrawBoundingBoxes")(_draw_kernel)
register_kernel("DrawBoundingBoxesV2")(_draw_kernel)
NotDifferentiable("DrawBoundingBoxes")

builders.register(globals(), __all__)
