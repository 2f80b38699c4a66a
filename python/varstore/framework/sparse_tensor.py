"""``tf.SparseTensor`` and ``tf.SparseTensorValue``: a sparse tensor as TF keeps it, three
dense tensors (int64 ``indices`` [N, rank], ``values`` [N], int64 ``dense_shape`` [rank]).

A SparseTensor is not a graph element: Session.run expands it to its three tensors, feeding
from a SparseTensorValue or an (indices, values, dense_shape) tuple and fetching back a
SparseTensorValue (TF's session._REGISTERED_EXPANSIONS).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from varstore import dtypes as _dtypes
from varstore.framework import ops as _ops
from varstore.framework.constant_op import constant_value_as_shape, convert_to_tensor
from varstore.framework.graph import Graph, name_scope
from varstore.framework.ops import _SESSION_HOOKS, Operation, Tensor
from varstore.framework.tensor_shape import TensorShape, as_dimension, as_shape

__all__ = [
    "SparseTensor",
    "SparseTensorValue",
    "convert_to_tensor_or_sparse_tensor",
    "is_sparse",
]

class SparseTensorValue(NamedTuple):
    """``tf.SparseTensorValue``: a fetched sparse tensor's three arrays (TF's namedtuple)."""

    indices: Any
    values: Any
    dense_shape: Any


class SparseTensor:
    """``tf.SparseTensor(indices, values, dense_shape)``: the components are converted under
    the name scope ``SparseTensor`` (indices and dense_shape to int64), and their static
    shapes checked against each other as TF does."""

    def __init__(self, indices: Any, values: Any, dense_shape: Any) -> None:
        with name_scope(None, "SparseTensor", [indices, values, dense_shape]):
            idx = convert_to_tensor(indices, name="indices", dtype=_dtypes.int64)
            vals = convert_to_tensor(values, name="values")
            shp = convert_to_tensor(dense_shape, name="dense_shape", dtype=_dtypes.int64)
            default = TensorShape._of(constant_value_as_shape(shp))
        self._indices = idx
        self._values = vals
        self._dense_shape = shp
        self._dense_shape_default = default
        indices_shape = idx.shape.with_rank(2)
        values_shape = vals.shape.with_rank(1)
        dense_shape_shape = shp.shape.with_rank(1)
        as_dimension(indices_shape[0]).assert_is_compatible_with(values_shape[0])
        as_dimension(indices_shape[1]).assert_is_compatible_with(dense_shape_shape[0])

    @classmethod
    def from_value(cls, sparse_tensor_value: Any) -> SparseTensor:
        if not is_sparse(sparse_tensor_value):
            raise TypeError(f"Argument sparse_tensor_value={sparse_tensor_value} is neither a "
                            "SparseTensor nor SparseTensorValue.")
        return SparseTensor(sparse_tensor_value.indices, sparse_tensor_value.values,
                            sparse_tensor_value.dense_shape)

    @property
    def indices(self) -> Tensor:
        return self._indices

    @property
    def values(self) -> Tensor:
        return self._values

    @property
    def dense_shape(self) -> Tensor:
        return self._dense_shape

    @property
    def op(self) -> Operation:
        """The op that produces ``values``."""
        return self._values.op

    @property
    def dtype(self) -> _dtypes.DType:
        return self._values.dtype

    @property
    def graph(self) -> Graph:
        return self._indices.graph

    @property
    def shape(self) -> TensorShape:
        """The static dense shape (what ``dense_shape`` holds at graph-construction time)."""
        return self._dense_shape_default

    def get_shape(self) -> TensorShape:
        return self._dense_shape_default

    def set_shape(self, shape: Any) -> None:
        self._dense_shape_default = self._dense_shape_default.merge_with(as_shape(shape))

    def with_values(self, new_values: Any) -> SparseTensor:
        return SparseTensor(self._indices, new_values, self._dense_shape)

    # TF overrides these two operators for a dense right operand (SparseDenseCwiseMul/Div);
    # the ops are in varstore.ops.sparse_cwise_ops.
    def __mul__(self, other: Any) -> SparseTensor:
        return _ops.builders.sparse_tensor_mul(self, other)  # type: ignore[no-any-return]

    def __truediv__(self, other: Any) -> SparseTensor:
        return _ops.builders.sparse_tensor_truediv(self, other)  # type: ignore[no-any-return]

    def consumers(self) -> list[Operation]:
        seen: list[Operation] = []
        for t in (self._indices, self._values, self._dense_shape):
            for op in t.consumers():
                if op not in seen:
                    seen.append(op)
        return seen

    def eval(self, feed_dict: Any = None, session: Any = None) -> Any:
        """Its value in the default (or the given) session, a SparseTensorValue."""
        return _SESSION_HOOKS["run"](self, feed_dict, session)

    def __repr__(self) -> str:
        return (f"SparseTensor(indices={self._indices}, values={self._values}, "
                f"dense_shape={self._dense_shape})")


def is_sparse(x: Any) -> bool:
    """``tf.compat.v1.sparse.is_sparse`` (TF's private helper of the same name)."""
    return isinstance(x, (SparseTensor, SparseTensorValue))


def convert_to_tensor_or_sparse_tensor(value: Any, dtype: Any = None,
                                       name: str | None = None) -> Any:
    """A SparseTensorValue becomes a SparseTensor, a SparseTensor stays, anything else is
    converted to a Tensor."""
    if dtype is not None:
        dtype = _dtypes.as_dtype(dtype)
    if isinstance(value, SparseTensorValue):
        value = SparseTensor.from_value(value)
    if isinstance(value, SparseTensor):
        if dtype and not dtype.is_compatible_with(value.dtype):
            raise RuntimeError(f"Sparse dtype mismatch. Requested: {dtype.name}, "
                               f" Actual: {value.dtype.name}")
        return value
    return convert_to_tensor(value, dtype=dtype, name=name)
