"""``tf.image.combined_non_max_suppression``: op ``CombinedNonMaxSuppression``
(non_max_suppression_op.cc's BatchedNonMaxSuppressionOp): the greedy NMS of image_box_ops.py
per (batch entry, class), then the best of all classes by score, clipped to [0, 1] when
clip_boxes. TF orders the per-class results with std::sort (not stable): equal scores of
different classes may come out in another order than here (class, then rank)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import (
    Operation,
    Tensor,
    builders,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.ops.image_box_ops import _greedy, _iou

__all__ = ["combined_non_max_suppression"]

_F32 = np.float32


def _similarity(bx: np.ndarray) -> Callable[[int, int], Any]:
    def sim(i: int, j: int) -> Any:
        return _iou(bx, i, j)
    return sim


def combined_non_max_suppression(boxes: Any, scores: Any, max_output_size_per_class: Any,
                                 max_total_size: Any, iou_threshold: Any = 0.5,
                                 score_threshold: Any = float("-inf"),
                                 pad_per_class: bool = False, clip_boxes: bool = True,
                                 name: str | None = None) -> tuple[Tensor, ...]:
    """``tf.image.combined_non_max_suppression``: op ``CombinedNonMaxSuppression``, per-class
    greedy NMS then the best ``max_total_size`` of each batch entry: (nmsed_boxes,
    nmsed_scores, nmsed_classes, valid_detections)."""
    with name_scope(name, "combined_non_max_suppression"):
        iou = convert_to_tensor(iou_threshold, dtype=_dtypes.float32, name="iou_threshold")
        st = convert_to_tensor(score_threshold, dtype=_dtypes.float32, name="score_threshold")
        total = convert_to_tensor(max_total_size)
        graph = check_same_graph(boxes, scores, max_output_size_per_class, total, iou, st)
        full = graph._op_name(name, "CombinedNonMaxSuppression")
        with scope_of(graph, full):
            b = convert_to_tensor(boxes, dtype=_dtypes.float32, name="boxes")
            sc = convert_to_tensor(scores, dtype=_dtypes.float32, name="scores")
            per = convert_to_tensor(max_output_size_per_class, dtype=_dtypes.int32,
                                    name="max_output_size_per_class")
        if total._dtype != _dtypes.int32:
            raise TypeError("Input 'max_total_size' of 'CombinedNonMaxSuppression' Op has type "
                            f"{total._dtype.name} that does not match expected type of int32.")
        pv, tv = constant_value(per), constant_value(total)
        batch = sc._shape[0] if sc._shape is not None else None
        classes = sc._shape[2] if sc._shape is not None and len(sc._shape) == 3 else None
        size = None
        if tv is not None:
            size = int(tv)
            if pad_per_class and pv is not None and classes is not None:
                size = min(int(pv) * classes, int(tv))
        op = make_op(graph, full, "CombinedNonMaxSuppression", [b, sc, per, total, iou, st],
                     {"pad_per_class": bool(pad_per_class), "clip_boxes": bool(clip_boxes)},
                     [(_dtypes.float32, (batch, size, 4)), (_dtypes.float32, (batch, size)),
                      (_dtypes.float32, (batch, size)), (_dtypes.int32, (batch,))])
        return tuple(op._outputs)


@register_kernel("CombinedNonMaxSuppression")
def _combined_nms_kernel(op: Operation) -> Callable[..., Any]:
    pad, clip = bool(op._attrs["pad_per_class"]), bool(op._attrs["clip_boxes"])

    def kernel(boxes: np.ndarray, scores: np.ndarray, per_class: np.ndarray,
               total: np.ndarray, iou: np.ndarray, score_thr: np.ndarray) -> tuple[Any, ...]:
        if boxes.ndim != 4:
            raise ValueError(f"boxes must be 4-D{list(boxes.shape)}")
        if scores.ndim != 3:
            raise ValueError(f"scores must be 3-D{list(scores.shape)}")
        batch, n, q, _ = boxes.shape
        classes = scores.shape[2]
        if q not in (1, classes):
            raise ValueError("third dimension of boxes must be either 1 or num classes")
        m, t = int(per_class), int(total)
        if m <= 0:
            raise ValueError("max_size_per_class must be > 0")
        if t <= 0:
            raise ValueError("max_total_size must be > 0")
        thr, sthr = float(iou), _F32(score_thr)
        if not 0 <= thr <= 1:
            raise ValueError("iou_threshold must be in [0, 1]")
        per_batch = min(m * classes, t) if pad else t
        size_per_class = min(m, n)
        out_boxes = np.zeros((batch, per_batch, 4), _F32)
        out_scores = np.zeros((batch, per_batch), _F32)
        out_classes = np.zeros((batch, per_batch), _F32)
        valid = np.zeros(batch, np.int32)
        for k in range(batch):
            found: list[tuple[float, int, int, int]] = []  # (score, class, rank, box)
            for c in range(classes):
                bx = boxes[k, :, 0 if q == 1 else c].astype(_F32)
                sel, sc = _greedy(_similarity(bx), scores[k, :, c], size_per_class, thr,
                                  float(sthr), 0.0)
                found.extend((s, c, r, i) for r, (i, s) in enumerate(zip(sel, sc)))
            # the kernel sorts its per-class slots by score (ties: class, then rank)
            found.sort(key=lambda e: (-e[0], e[1], e[2]))
            count = min(len(found), per_batch if pad else t)
            valid[k] = count
            for r, (s, c, _, i) in enumerate(found[:count]):
                box = boxes[k, i, 0 if q == 1 else c].astype(_F32)
                out_boxes[k, r] = np.clip(box, 0, 1) if clip else box
                out_scores[k, r] = s
                out_classes[k, r] = c
        return out_boxes, out_scores, out_classes, valid

    return kernel


builders.register(globals(), __all__)
