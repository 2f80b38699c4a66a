"""``tf.IndexedSlices`` and ``tf.IndexedSlicesValue``: slices ``values`` [D0, D1, ...] of a
larger dense tensor at rows ``indices`` [D0] (TF's framework/indexed_slices.py).

Session.run expands one to its tensors (values, indices and, when set, dense_shape) and
fetches back an IndexedSlicesValue; converting one to a Tensor sums its slices into the
dense shape (UnsortedSegmentSum), as TF's registered conversion does. varstore's own
gradients are dense, so IndexedSlices arise from user code and tf.sparse.mask."""

from __future__ import annotations

import warnings
from typing import Any, NamedTuple

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import (
    constant_value,
    constant_value_as_shape,
    register_tensor_conversion_function,
)
from varstore.framework.graph import Graph
from varstore.framework.ops import Operation, Tensor, builders
from varstore.framework.tensor_shape import TensorShape

__all__ = ["IndexedSlices", "IndexedSlicesValue"]

_LARGE_SPARSE_NUM_ELEMENTS = 100000000


class IndexedSlicesValue(NamedTuple):
    """``tf.IndexedSlicesValue``: a fetched IndexedSlices' arrays (TF's namedtuple)."""

    values: Any
    indices: Any
    dense_shape: Any


class IndexedSlices:
    """``tf.IndexedSlices(values, indices, dense_shape=None)``: a plain holder of its tensors,
    as TF's."""

    def __init__(self, values: Any, indices: Any, dense_shape: Any = None) -> None:
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    @property
    def values(self) -> Any:
        return self._values

    @property
    def indices(self) -> Any:
        return self._indices

    @property
    def dense_shape(self) -> Any:
        return self._dense_shape

    @property
    def shape(self) -> TensorShape:
        if self._dense_shape is None:
            return TensorShape(None)
        return TensorShape._of(constant_value_as_shape(self._dense_shape))

    @property
    def name(self) -> str:
        return str(self._values.name)

    @property
    def device(self) -> str:
        return str(self._values.device)

    @property
    def op(self) -> Operation:
        return self._values.op  # type: ignore[no-any-return]

    @property
    def dtype(self) -> _dtypes.DType:
        return self._values.dtype  # type: ignore[no-any-return]

    @property
    def graph(self) -> Graph:
        return self._values.graph  # type: ignore[no-any-return]

    def __str__(self) -> str:
        shape = "" if self._dense_shape is None else f", dense_shape={self._dense_shape}"
        return f"IndexedSlices(indices={self._indices}, values={self._values}{shape})"

    def __neg__(self) -> IndexedSlices:
        return IndexedSlices(-self._values, self._indices, self._dense_shape)

    def consumers(self) -> list[Operation]:
        seen: list[Operation] = []
        for t in (self._values, self._indices, self._dense_shape):
            if isinstance(t, Tensor):
                for op in t.consumers():
                    if op not in seen:
                        seen.append(op)
        return seen


def _indexed_slices_to_tensor(value: IndexedSlices, dtype: Any = None, name: Any = None,
                              as_ref: bool = False) -> Tensor:
    """TF's _indexed_slices_to_tensor: the slices summed into the dense shape."""
    del as_ref
    if dtype is not None and not dtype.is_compatible_with(value.dtype):
        raise ValueError(f"Incompatible tensor conversion requested to `dtype` {dtype.name} for "
                         f"IndexedSlices ({value}) with dtype {value.dtype.name}")
    if value.dense_shape is None:
        raise ValueError("Tensor conversion requested for IndexedSlices for argument `value` "
                         f"without dense_shape: {value!s}")
    shape_v = constant_value(value.dense_shape)
    if shape_v is not None:
        num = int(np.prod(shape_v))
        if num >= _LARGE_SPARSE_NUM_ELEMENTS:
            warnings.warn(f"Converting sparse IndexedSlices to a dense Tensor with {num} "
                          "elements. This may consume a large amount of memory.",
                          stacklevel=2)
    out: Tensor = builders.unsorted_segment_sum(value.values, value.indices,
                                                value.dense_shape[0], name=name)
    return out


register_tensor_conversion_function(IndexedSlices, _indexed_slices_to_tensor)
