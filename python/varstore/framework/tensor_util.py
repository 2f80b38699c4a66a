"""``tf.get_static_value``: TF's tensor_util.constant_value, the value of a tensor computed
at graph-construction time from the ops TF folds (Const, Shape, Size, Rank, Range, Cast,
Concat/ConcatV2, Pack, Unpack, Split, Fill, Equal, NotEqual, StopGradient, Identity) and
nothing else: ``tf.get_static_value(c + 1)`` is None in TF, so it is here too.

constant_op.constant_value is varstore's own (wider) folding for static shapes; this module
is TF's public function, with its rules: a non-tensor is returned as it is, a variable gives
None, and ``partial=True`` lets a Pack hold None for the parts it cannot fold. (TF also marks
a folded tensor unfeedable; varstore does not track feedability.)"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.ops import Tensor

__all__ = ["get_static_value"]


def _fully_defined(shape: tuple[int | None, ...] | None) -> bool:
    return shape is not None and None not in shape


def _value(tensor: Tensor, partial: bool) -> Any:
    op = tensor._op
    t = op._type
    inputs = op._inputs
    if t == "Const":
        return np.array(op._data, copy=True)
    if t == "Shape":
        shape = inputs[0]._shape
        if not _fully_defined(shape):
            return None
        return np.array(shape, dtype=tensor._dtype._np)
    if t == "Size":
        shape = inputs[0]._shape
        if shape is None or None in shape:
            return None
        return np.int32(math.prod(d for d in shape if d is not None))
    if t == "Rank":
        shape = inputs[0]._shape
        return None if shape is None else np.array(len(shape), dtype=np.int32)
    if t == "Range":
        bounds = [get_static_value(i) for i in inputs]
        if any(b is None for b in bounds):
            return None
        return np.arange(*bounds, dtype=tensor._dtype._np)
    if t == "Cast":
        pre = get_static_value(inputs[0])
        return None if pre is None else pre.astype(op._attrs["DstT"]._np)
    if t in ("Concat", "ConcatV2"):
        dim = get_static_value(inputs[0] if t == "Concat" else inputs[-1])
        if dim is None:
            return None
        values = []
        for x in (inputs[1:] if t == "Concat" else inputs[:-1]):
            v = get_static_value(x)
            if v is None:
                return None
            values.append(v)
        return np.concatenate(values, axis=int(dim))
    if t == "Pack":
        if not inputs or op._attrs.get("axis", 0) != 0:
            return None
        values = []
        for x in inputs:
            v = get_static_value(x, partial)
            if v is None and not partial:
                return None
            values.append(v)
        try:
            return np.array(values)
        except ValueError:
            return np.array(values, dtype=object)  # partial: some values are None
    if t == "Unpack":
        if op._attrs.get("axis", 0) != 0:
            return None
        v = get_static_value(inputs[0], partial)
        return None if v is None else v[tensor._index]
    if t == "Split":
        dim = get_static_value(inputs[0])
        v = get_static_value(inputs[1], partial)
        if v is None or dim is None:
            return None
        return np.split(v, op._attrs["num_split"], int(dim))[tensor._index]
    if t == "Fill":
        fill = get_static_value(inputs[1])
        if _fully_defined(tensor._shape) and fill is not None:
            return np.full(tensor._shape, fill, dtype=fill.dtype)
        return None
    if t in ("Equal", "NotEqual"):
        a = get_static_value(inputs[0])
        if a is None:
            return None
        b = get_static_value(inputs[1])
        if b is None:
            return None
        return np.equal(a, b) if t == "Equal" else np.not_equal(a, b)
    if t in ("StopGradient", "Identity", "CheckNumericsV2", "DebugIdentityV2"):
        return get_static_value(inputs[0], partial)
    return None


def get_static_value(tensor: Any, partial: bool = False) -> Any:
    """``tf.get_static_value``: the constant value of ``tensor`` if TF can fold it when the
    graph is built, else None; a non-tensor value is returned unchanged."""
    if isinstance(tensor, Tensor):
        if tensor._dtype is _dtypes.resource or tensor._dtype is _dtypes.variant:
            return None
        return _value(tensor, partial)
    if hasattr(type(tensor), "_as_tensor") or hasattr(tensor, "_as_graph_element"):
        return None  # a variable (tensor-like, but not a graph tensor): TF gives None
    return tensor
