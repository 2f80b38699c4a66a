"""Grappler's ``x + 0 -> Snapshot(x)``, as a plan rule: a rewrite of TF's default session
optimizer whose values differ from running the graph as built (only in the sign of zeros).

TF's constant folding (grappler/optimizers/constant_folding.cc, SimplifyArithmeticOperations)
replaces ``Add`` / ``AddV2`` of a constant all-zero tensor by a copy of the other input when
that input's statically inferred shape equals the output's (by a BroadcastTo of it when the
zeros have the output's shape instead). IEEE addition turns ``-0.0 + 0.0``
into ``+0.0``; the copy keeps ``-0.0``. That is visible in the sign of zeros, e.g. in
``tf.random_normal(..., dtype=tf.float16)`` (mean 0: ``Add(rnd * 1, 0)``), whose half values
underflow to -0.0 a few times in ten million. Grappler infers shapes with the fed tensors'
shapes unknown (assume_valid_feeds is off), so an input computed from a feed is not rewritten
(``placeholder + 0.0`` stays an addition); varstore's rule requires a fully defined static
shape and no feed upstream, and matches TF there. (``x * 1`` is rewritten too, but the
product is already x bit for bit. ``BiasAdd`` of zeros, which TF also keeps at -0.0, is not
covered.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.framework.executor import FusionView, register_fusion
from varstore.framework.ops import Operation, Tensor

# Only the floating types have a signed zero for the rewrite to keep.
_SIGNED_ZERO_KINDS = frozenset("fc")


def _is_const_zeros(t: Tensor) -> bool:
    op = t._op
    if op._type != "Const":
        return False
    value = np.asarray(op._data)
    return value.dtype.kind in "fcbiu" and not np.any(value)


def _snapshot() -> Callable[[np.ndarray], np.ndarray]:
    return lambda x: np.array(x, copy=True)


def _broadcast(shape: tuple[int, ...]) -> Callable[[np.ndarray], np.ndarray]:
    return lambda x: np.array(np.broadcast_to(x, shape), copy=True)


def _defined(shape: tuple[int | None, ...] | None) -> bool:
    return shape is not None and all(d is not None for d in shape)


def _dims(shape: tuple[int | None, ...] | None) -> tuple[int, ...]:
    return tuple(d for d in shape or () if d is not None)  # (a defined shape: all of them)


def _zero_add(op: Operation, view: FusionView) -> Any:
    x, y = op._inputs
    out = op._outputs[0]
    if np.dtype(out._dtype._np).kind not in _SIGNED_ZERO_KINDS or not _defined(out._shape):
        return None
    for zeros, other in ((x, y), (y, x)):
        if not _is_const_zeros(zeros) or not _defined(other._shape):
            continue
        if view.depends_on_feeds(zeros) or view.depends_on_feeds(other):
            continue
        if other._shape == out._shape:
            return _snapshot(), [other], [op], out
        if zeros._shape == out._shape:
            # the zeros set the shape: TF's ReplaceBinaryOperationWithBroadcastTo
            return _broadcast(_dims(out._shape)), [other], [op], out
    return None


register_fusion("AddV2")(_zero_add)
register_fusion("Add")(_zero_add)
