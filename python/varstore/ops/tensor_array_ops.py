"""``tf.TensorArray`` as TF2's graph mode builds it (_GraphTensorArrayV2): a variant
TensorList ``flow`` tensor that each write replaces, so a loop carries it as a loop variable.
"""

from __future__ import annotations

import traceback
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore import tf_logging
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.ops import Tensor
from varstore.framework.tensor_shape import TensorShape
from varstore.ops import list_ops, list_scatter_ops
from varstore.ops.array_ops import identity
from varstore.ops.math_unary_ops import cast

__all__ = ["TensorArray"]


class TensorArray:
    """``tf.TensorArray(dtype, size, ...)``: write/read/stack/unstack/gather/scatter/
    concat/split/size as TF; ``dynamic_size`` grows the list on a write past its end.
    ``clear_after_read`` is ignored, as TF2's graph TensorArray ignores it."""

    def __init__(self, dtype: Any, size: Any = None, dynamic_size: Any = None,
                 clear_after_read: Any = None, tensor_array_name: Any = None,
                 handle: Any = None, flow: Any = None, infer_shape: bool = True,
                 element_shape: Any = None, colocate_with_first_write_call: bool = True,
                 name: str | None = None) -> None:
        if flow is None and size is None:
            raise ValueError("Argument `size` must be provided if argument `flow` is not "
                             "provided.")
        if flow is not None and size is not None:
            raise ValueError("Cannot provide both `flow` and `size` arguments at the same "
                             "time.")
        self._dynamic_size = bool(dynamic_size)
        self._dtype = _dtypes.as_dtype(dtype)
        self._infer_shape = infer_shape
        # one list for this array and every array made from it by a write (TF's
        # build_ta_with_new_flow shares it): a shape learnt by one is known to all
        self._shape_ref = [TensorShape(element_shape)]
        self._size: int | None = None
        if flow is not None:
            if not isinstance(flow, Tensor) or flow._dtype is not _dtypes.variant:
                raise TypeError("Expected `flow` to be a variant tensor, but received "
                                f"`{getattr(flow, 'dtype', type(flow).__name__)}` instead.")
            self._flow = flow
        else:
            with name_scope(name or "TensorArrayV2") as scope:
                n = convert_to_tensor(size, dtype=_dtypes.int32, name="size") \
                    if not isinstance(size, int) else size
                static = size if isinstance(size, int) else constant_value(n)
                self._size = None if static is None else int(static)
                self._flow = list_ops.tensor_list_reserve(
                    self._element_shape._dims, n, self._dtype, name=scope)

    @property
    def flow(self) -> Tensor:
        return self._flow

    @property
    def dtype(self) -> Any:
        return self._dtype

    @property
    def handle(self) -> None:
        return None  # TF2's graph TensorArray has no resource handle: the list is the value

    @property
    def element_shape(self) -> TensorShape:
        return self._element_shape

    @property
    def _element_shape(self) -> TensorShape:
        return self._shape_ref[0]

    @_element_shape.setter
    def _element_shape(self, shape: TensorShape) -> None:
        self._shape_ref[0] = shape

    def _with_flow(self, flow: Tensor) -> TensorArray:
        ta = TensorArray(self._dtype, flow=flow, infer_shape=self._infer_shape)
        ta._shape_ref = self._shape_ref
        ta._size = self._size
        ta._dynamic_size = self._dynamic_size
        return ta

    def _merge_element_shape(self, shape: TensorShape) -> None:
        # TF's _check_element_shape: an incompatible shape is an error even without
        # infer_shape, which only decides whether the shape is learnt
        if not shape.is_compatible_with(self._element_shape):
            raise ValueError(f"Inconsistent shapes: saw {shape} but expected "
                             f"{self._element_shape} ")
        if self._infer_shape:
            self._element_shape = self._element_shape.merge_with(shape)

    def _elem_dims(self) -> tuple[int | None, ...] | None:
        return self._element_shape._dims

    def write(self, index: Any, value: Any, name: str | None = None) -> TensorArray:
        with name_scope(name or "TensorArrayV2Write"):
            # TF converts with the array's dtype only preferred: another dtype is logged as
            # an error here and fails when the write runs (TensorListSetItem)
            v = convert_to_tensor(value, preferred_dtype=self._dtype, name="value")
            if v.dtype.base_dtype != self._dtype:
                tf_logging.error(f"Error: Input value {v} has dtype {v.dtype}, but expected "
                                 f"dtype {self._dtype}.  This leads to undefined behavior and "
                                 "will be an error in future versions of TensorFlow.  "
                                 "Traceback:\n" + "".join(traceback.format_stack()))
            self._merge_element_shape(v.get_shape())
            flow = list_ops.tensor_list_set_item(
                self._flow, index, v, resize_if_index_out_of_bounds=self._dynamic_size)
        out = self._with_flow(flow)
        out._element_shape = self._element_shape
        return out

    def read(self, index: Any, name: str | None = None) -> Tensor:
        with name_scope(name or "TensorArrayV2Read"):
            return list_ops.tensor_list_get_item(self._flow, index, self._dtype,
                                                 self._elem_dims())

    def stack(self, name: str | None = None) -> Tensor:
        with name_scope(name or "TensorArrayV2Stack"):
            return list_ops.tensor_list_stack(
                self._flow, self._dtype, self._elem_dims(),
                num_elements=None if self._dynamic_size else self._size)

    def unstack(self, value: Any, name: str | None = None) -> TensorArray:
        with name_scope(name or "TensorArrayUnstack"):
            v = convert_to_tensor(value, dtype=self._dtype, name="value")
            shape = v.get_shape()
            if shape.rank is not None:
                self._merge_element_shape(shape[1:])
            flow = list_ops.tensor_list_from_tensor(v, self._elem_dims())
        out = self._with_flow(flow)
        first = shape.as_list()[0] if shape.rank else None
        if first is not None:
            out._size = int(first)
        return out

    def size(self, name: str | None = None) -> Tensor:
        if self._size is not None and not self._dynamic_size:
            return convert_to_tensor(self._size, dtype=_dtypes.int32, name=name or "Const")
        return list_ops.tensor_list_length(self._flow, name=name)

    def identity(self) -> TensorArray:
        return self._with_flow(identity(self._flow))

    def close(self, name: str | None = None) -> Any:
        from varstore.ops.control_flow_ops import no_op

        return no_op(name=name)

    def gather(self, indices: Any, name: str | None = None) -> Tensor:
        """The elements at ``indices``, stacked (TF opens no name scope here)."""
        return list_scatter_ops.tensor_list_gather(self._flow, indices, self._dtype,
                                                   self._elem_dims(), name=name)

    def scatter(self, indices: Any, value: Any, name: str | None = None) -> TensorArray:
        """The rows of ``value`` written at ``indices``."""
        with name_scope(name or "TensorArrayScatter"):
            v = convert_to_tensor(value, dtype=self._dtype, name="value")
            shape = v.get_shape()
            if shape.rank is not None:
                self._merge_element_shape(shape[1:])
            flow = list_scatter_ops.tensor_list_scatter(v, indices, self._flow)
        out = self._with_flow(flow)
        out._element_shape = self._element_shape
        return out

    def concat(self, name: str | None = None) -> Tensor:
        """The elements concatenated on their axis 0."""
        dims = self._elem_dims()
        shape = None if dims is None else (None, *dims[1:])
        return list_scatter_ops.tensor_list_concat(self._flow, self._dtype, shape,
                                                   name=name)

    def split(self, value: Any, lengths: Any, name: str | None = None) -> TensorArray:
        """The pieces of ``value`` (on axis 0) of ``lengths`` as the elements."""
        with name_scope(name or "TensorArraySplit"):
            v = convert_to_tensor(value, dtype=self._dtype, name="value")
            lengths_64 = cast(lengths, _dtypes.int64)
            known = constant_value(lengths_64)
            if v.get_shape().rank is not None and known is not None and \
                    np.ndim(known) and known.size and known.max() == known.min():
                # equal lengths: every element's shape is known
                self._merge_element_shape(TensorShape([int(known[0])]).concatenate(
                    v.get_shape()[1:]))
            flow = list_scatter_ops.tensor_list_split(v, self._elem_dims(), lengths_64)
        out = self._with_flow(flow)
        out._element_shape = self._element_shape
        return out

    def grad(self, source: Any, flow: Any = None, name: str | None = None) -> TensorArray:
        raise NotImplementedError()  # TF2's graph TensorArray has no gradient arrays
