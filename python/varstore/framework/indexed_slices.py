"""``tf.IndexedSlices``: a sparse slice of a dense tensor, ``values`` [N, ...] at rows
``indices`` [N] of a tensor of shape ``dense_shape`` (TF's framework/indexed_slices.py).

It is what TF1's gradients of ``tf.gather`` / ``tf.nn.embedding_lookup`` are: an embedding's
gradient names only the rows a batch touched, so ``tf.gradients`` returns one, contributions
are concatenated rather than added, and the optimizers update just those rows
(``SparseApplyMomentum`` ...). That last point is visible in the numbers: a momentum or
RMSProp slot of an untouched row does not decay, as it would under a dense update.

Like a SparseTensor it is not a graph element: Session.run expands it to its tensors,
fetching back an ``IndexedSlicesValue``. ``convert_to_tensor`` densifies it with an
``UnsortedSegmentSum`` (TF's ``_indexed_slices_to_tensor``, with its memory warning).
"""

from __future__ import annotations

import warnings
from typing import Any, NamedTuple

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import (
    constant_value,
    constant_value_as_shape,
    convert_to_tensor,
    register_tensor_conversion_function,
)
from varstore.framework.graph import Graph
from varstore.framework.ops import _SESSION_HOOKS, Operation, Tensor, builders
from varstore.framework.tensor_shape import TensorShape

__all__ = [
    "QUIET_DENSIFY_OPS",
    "SPARSE_GRADIENT_OPS",
    "IndexedSlices",
    "IndexedSlicesValue",
    "convert_to_tensor_or_indexed_slices",
    "densify",
]

# TF warns before densifying an IndexedSlices of at least this many elements.
_LARGE_SPARSE_NUM_ELEMENTS = 100000000

# Op types whose gradient function takes an IndexedSlices output gradient as it is; every
# other gradient function gets it densified first (what TF's do on their first use of it).
SPARSE_GRADIENT_OPS: set[str] = {"Identity", "ReadVariableOp", "Cast", "GatherV2",
                                 "ResourceGather", "Switch"}
# Op types whose TF gradient densifies an IndexedSlices through array_grad's
# _IndexedSlicesToTensorNoWarning (the same UnsortedSegmentSum, without the warning about
# an unknown dense shape): a gather's gradient reshaped back, as an RNN's logits often are.
QUIET_DENSIFY_OPS: frozenset[str] = frozenset({
    "Reshape", "ExpandDims", "Squeeze", "Gather", "GatherV2", "ExtractImagePatches",
    "ExtractVolumePatches"})


class IndexedSlicesValue(NamedTuple):
    """``tf.IndexedSlicesValue``: a fetched IndexedSlices' arrays (TF's namedtuple)."""

    values: Any
    indices: Any
    dense_shape: Any


class IndexedSlices:
    """``tf.IndexedSlices(values, indices, dense_shape=None)``: rows ``indices`` of a dense
    tensor hold ``values``; duplicate indices add up."""

    def __init__(self, values: Any, indices: Any, dense_shape: Any = None) -> None:
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    @property
    def values(self) -> Tensor:
        return self._values  # type: ignore[no-any-return]

    @property
    def indices(self) -> Tensor:
        return self._indices  # type: ignore[no-any-return]

    @property
    def dense_shape(self) -> Any:
        return self._dense_shape

    @property
    def name(self) -> str:
        return self._values.name  # type: ignore[no-any-return]

    @property
    def device(self) -> str:
        return self._values.device  # type: ignore[no-any-return]

    @property
    def op(self) -> Operation:
        """The op that produces ``values``."""
        return self._values.op  # type: ignore[no-any-return]

    @property
    def dtype(self) -> _dtypes.DType:
        return self._values.dtype  # type: ignore[no-any-return]

    @property
    def graph(self) -> Graph:
        return self._values.graph  # type: ignore[no-any-return]

    @property
    def shape(self) -> TensorShape:
        """The dense shape as far as it is known: ``dense_shape``'s constant value, else
        the values' shape with an unknown first dimension (TF's IndexedSlices.shape)."""
        if self._dense_shape is not None and isinstance(self._dense_shape, Tensor):
            return TensorShape._of(constant_value_as_shape(self._dense_shape))
        vs = self._values.shape
        if vs.ndims is None:
            return TensorShape(None)
        return TensorShape([None, *vs.as_list()[1:]])

    def get_shape(self) -> TensorShape:
        return self.shape

    def consumers(self) -> list[Operation]:
        seen: list[Operation] = []
        parts = [self._values, self._indices]
        if isinstance(self._dense_shape, Tensor):
            parts.append(self._dense_shape)
        for t in parts:
            for op in t.consumers():
                if op not in seen:
                    seen.append(op)
        return seen

    def eval(self, feed_dict: Any = None, session: Any = None) -> Any:
        """Its value in the default (or the given) session, an IndexedSlicesValue."""
        return _SESSION_HOOKS["run"](self, feed_dict, session)

    def __neg__(self) -> IndexedSlices:
        return IndexedSlices(builders.negative(self._values), self._indices,
                             self._dense_shape)

    def __str__(self) -> str:
        shape = "" if self._dense_shape is None else f", dense_shape={self._dense_shape}"
        return f"IndexedSlices(indices={self._indices}, values={self._values}{shape})"

    __repr__ = __str__


def densify(value: IndexedSlices, name: str | None = None, warn: bool = True) -> Tensor:
    """The dense tensor of ``value``: UnsortedSegmentSum(values, indices, dense_shape[0])."""
    if value.dense_shape is None:
        raise ValueError("Tensor conversion requested for IndexedSlices for argument `value` without "
                         f"dense_shape: {value}")
    if warn:
        known = constant_value(value.dense_shape)
        if known is not None:
            n = int(np.prod(known))
            if n >= _LARGE_SPARSE_NUM_ELEMENTS:
                warnings.warn(f"Converting sparse IndexedSlices to a dense Tensor with {n} "
                              "elements. This may consume a large amount of memory.",
                              stacklevel=3)
        elif value.dense_shape.op.type != "VariableShape":
            warnings.warn(f"Converting sparse IndexedSlices({value}) to a dense Tensor of "
                          "unknown shape. This may consume a large amount of memory.",
                          stacklevel=3)
    return builders.unsorted_segment_sum(value.values, value.indices,  # type: ignore[no-any-return]
                                         value.dense_shape[0], name=name)


def _to_tensor(value: IndexedSlices, dtype: Any = None, name: str | None = None,
               as_ref: bool = False) -> Tensor:
    if dtype is not None and not dtype.is_compatible_with(value.dtype):
        raise ValueError(f"Incompatible tensor conversion requested to `dtype` {dtype.name} "
                         f"for IndexedSlices ({value}) with dtype {value.dtype.name}")
    return densify(value, name=name)


register_tensor_conversion_function(IndexedSlices, _to_tensor)


def convert_to_tensor_or_indexed_slices(value: Any, dtype: Any = None,
                                        name: str | None = None) -> Any:
    """``tf.convert_to_tensor_or_indexed_slices``: an IndexedSlices (or IndexedSlicesValue)
    stays sparse; anything else becomes a Tensor."""
    if isinstance(value, IndexedSlicesValue):
        value = IndexedSlices(convert_to_tensor(value.values),
                              convert_to_tensor(value.indices),
                              None if value.dense_shape is None
                              else convert_to_tensor(value.dense_shape))
    if isinstance(value, IndexedSlices):
        if dtype is not None and not _dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
            raise ValueError(f"Tensor conversion requested dtype {_dtypes.as_dtype(dtype).name}"
                             f" for Tensor with dtype {value.dtype.name}: {value!r}")
        return value
    return convert_to_tensor(value, dtype=dtype, name=name)
