"""TensorList ops that move several items at once (TF's list_ops.py): ``TensorListGather``,
``TensorListScatterIntoExistingList``, ``TensorListConcatV2`` and ``TensorListSplit``, the
ops behind TensorArray.gather / scatter / concat / split, with TF's gradients.

Gradient lists are sparse, as in list_ops.py: the private ``_TensorListGrad*`` kernels read
an unset item as zeros shaped like the forward value, so a gradient never needs the list's
length or element shape at graph time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.framework.op_errors import dt_enum, node_error
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    RegisterGradient,
    Tensor,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.ops.list_ops import (
    Dims,
    TensorListValue,
    _shape_operand,
    clear_items,
    fully_defined,
    known_dims,
    merge_dims,
    operand_dims,
    partial_str,
)

__all__ = [
    "tensor_list_concat",
    "tensor_list_gather",
    "tensor_list_scatter",
    "tensor_list_split",
]

_variant = _dtypes.variant


def _unset_zeros(lst: TensorListValue, dt: Any, what: str) -> Any:
    shape = lst.unset_shape()
    if shape is None:
        raise InvalidArgumentError(None, None, f"Trying to {what} list with only "
                                   "uninitialized tensors but element_shape is not fully "
                                   "defined")
    return np.zeros(shape, dt)


# -- gather ---------------------------------------------------------------------------------
def tensor_list_gather(input_handle: Tensor, indices: Any, element_dtype: Any,
                       element_shape: Dims = None, name: str | None = None) -> Tensor:
    """``TensorListGather``: the items at ``indices``, stacked."""
    graph = get_default_graph()
    full = graph._op_name(name, "TensorListGather")
    with scope_of(graph, full):
        idx = convert_to_tensor(indices, dtype=_dtypes.int32, name="indices")
        shape_t = convert_to_tensor(_shape_operand(element_shape), dtype=_dtypes.int32,
                                    name="element_shape")
    dt = _dtypes.as_dtype(element_dtype)
    n = idx._shape[0] if idx._shape is not None and len(idx._shape) == 1 else None
    dims: Dims = None if element_shape is None else (n, *element_shape)
    return make_op(graph, full, "TensorListGather", [input_handle, idx, shape_t],
                   {"element_dtype": dt}, [(dt, dims)])._outputs[0]


@register_kernel("TensorListGather")
def _gather_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["element_dtype"].as_numpy_dtype

    def gather(lst: Any, indices: Any, shape: Any) -> Any:
        rows = [lst.get(int(i)) for i in np.reshape(indices, -1)]
        if any(r is None for r in rows):
            zero = _unset_zeros(lst, dt, "gather from")
            rows = [zero if r is None else r for r in rows]
        if not rows:
            dims = known_dims(lst, shape)
            if dims is None or not fully_defined(dims):
                raise InvalidArgumentError(None, None, "Tried to gather 0-elements from a list "
                                           f"with non-fully-defined shape: {partial_str(dims)}")
            return np.zeros((0, *(int(d) for d in dims if d is not None)), dt)
        return np.stack(rows).astype(dt, copy=False)

    return gather


@RegisterGradient("TensorListGather")
def _gather_grad(op: Operation, grad: Tensor) -> list[Any]:
    # TF scatters the gradient rows into a list as long as the input: here a sparse list
    g = make_op(get_default_graph(), get_default_graph()._op_name(None, "TensorListScatter"),
                "_TensorListGradScatter", [op._inputs[0], op._inputs[1], grad], {},
                [(_variant, ())])
    return [g._outputs[0], None, None]


@register_kernel("_TensorListGradScatter")
def _grad_scatter_kernel(op: Operation) -> Callable[..., Any]:
    def scatter(lst: Any, indices: Any, g: Any) -> Any:
        items: list[Any] = [None] * len(lst.items)
        for row, i in zip(g, np.reshape(indices, -1).tolist()):
            items[i] = row  # a repeated index keeps its last row, as TF's scatter does
        return TensorListValue(items, lst.dtype)

    return scatter


# -- scatter --------------------------------------------------------------------------------
def tensor_list_scatter(tensor: Any, indices: Any, input_handle: Tensor,
                        name: str | None = None) -> Tensor:
    """``TensorListScatterIntoExistingList``: ``input_handle`` with the rows of ``tensor``
    at ``indices`` (grown when an index is past its end, as TF's kernel)."""
    graph = get_default_graph()
    full = graph._op_name(name, "TensorListScatterIntoExistingList")
    with scope_of(graph, full):
        t = convert_to_tensor(tensor)
        idx = convert_to_tensor(indices, dtype=_dtypes.int32, name="indices")
    return make_op(graph, full, "TensorListScatterIntoExistingList", [input_handle, t, idx],
                   {"element_dtype": t._dtype}, [(_variant, ())])._outputs[0]


@register_kernel("TensorListScatterIntoExistingList")
def _scatter_kernel(op: Operation) -> Callable[..., Any]:
    def scatter(lst: Any, t: Any, indices: Any) -> Any:
        idx = np.reshape(indices, -1).tolist()
        if len(idx) != (t.shape[0] if t.ndim else 0):
            raise InvalidArgumentError(None, None, "Invalid number of rows in input tensor. "
                                       f"Expected: {len(idx)} Actual: "
                                       f"{t.shape[0] if t.ndim else 0}")
        out = lst
        for row, i in zip(t, idx):
            if i < 0:
                raise InvalidArgumentError(None, None, "Indices in TensorListScatter must all "
                                           f"be non-negative. Found: {i}")
            out = out.set(i, row, resize=True)
        return out

    return scatter


@RegisterGradient("TensorListScatterIntoExistingList")
def _scatter_grad(op: Operation, grad: Tensor) -> list[Any]:
    # TF's _TensorListScatterIntoExistingListGrad: the rows' gradients gathered from the
    # list's, whose scattered slots get none
    _, tensor, indices = op._inputs
    g_t = make_op(get_default_graph(), get_default_graph()._op_name(None, "TensorListGather"),
                  "_TensorListGradGather", [grad, indices, tensor], {},
                  [(tensor._dtype, tensor._shape)])
    return [clear_items(grad, indices), g_t._outputs[0], None]


@register_kernel("_TensorListGradGather")
def _grad_gather_kernel(op: Operation) -> Callable[..., Any]:
    def gather(lst: Any, indices: Any, like: Any) -> Any:
        out = np.zeros_like(like)
        if isinstance(lst, TensorListValue):
            for r, i in enumerate(np.reshape(indices, -1).tolist()):
                if 0 <= i < len(lst.items) and lst.items[i] is not None:
                    out[r] = lst.items[i]
        return out

    return gather


# -- concat and split -----------------------------------------------------------------------
def tensor_list_concat(input_handle: Tensor, element_dtype: Any, element_shape: Dims = None,
                       name: str | None = None) -> Tensor:
    """``TensorListConcatV2``: the items concatenated on axis 0 (output 1: their lengths)."""
    graph = get_default_graph()
    full = graph._op_name(name, "TensorListConcatV2")
    with scope_of(graph, full):
        shape_t = convert_to_tensor(_shape_operand(element_shape), dtype=_dtypes.int32,
                                    name="element_shape")
    leading = convert_to_tensor(np.zeros((0,), np.int64))
    dt = _dtypes.as_dtype(element_dtype)
    dims: Dims = None if element_shape is None else (None, *element_shape[1:])
    op = make_op(graph, full, "TensorListConcatV2", [input_handle, shape_t, leading],
                 {"element_dtype": dt, "shape_type": _dtypes.int32},
                 [(dt, dims), (_dtypes.int64, (None,))])
    return op._outputs[0]


@register_kernel("TensorListConcatV2")
def _concat_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["element_dtype"].as_numpy_dtype

    def concat(lst: Any, shape: Any, leading: Any) -> tuple[Any, Any]:
        items = list(lst.items)
        # TF's TensorListConcatV2 checks the items set first: each at least a vector, and
        # all agreeing on the dimensions after the first
        given = operand_dims(shape)
        rest = None if given is None else given[1:]
        for k, v in enumerate(items):
            if v is not None:
                if np.ndim(v) == 0:
                    raise InvalidArgumentError(None, None, f"Concat saw a scalar shape at "
                                               f"index {k} but requires at least vectors.")
                rest = merge_dims(rest, np.shape(v)[1:])
        if any(v is None for v in items):
            zero = np.zeros(_concat_unset_shape(lst, shape), dt)
            items = [zero if v is None else v for v in items]
        lengths = np.array([np.shape(v)[0] for v in items], np.int64)
        if not items:
            dims = merge_dims(operand_dims(shape), lst.shape)
            if dims is None or not fully_defined(dims[1:]):
                raise InvalidArgumentError(None, None, "All except the first dimension must "
                                           "be fully defined when concating an empty tensor "
                                           f"list. element_shape: {partial_str(dims)}")
            return np.zeros((0, *(int(d) for d in dims[1:] if d is not None)), dt), lengths
        return np.concatenate(items).astype(dt, copy=False), lengths

    return concat


def _concat_unset_shape(lst: TensorListValue, shape: Any) -> tuple[int, ...]:
    """The shape of an unset item in a concat: the reserved one if fully defined, else that
    of the items set when they all agree (TF reads the others' lengths from leading_dims,
    which TensorArray.concat leaves empty)."""
    if lst.shape is not None and all(d >= 0 for d in lst.shape):
        return tuple(lst.shape)
    shapes = {tuple(np.shape(v)) for v in lst.items if v is not None}
    if len(shapes) == 1:
        return shapes.pop()
    if not shapes and np.ndim(shape) == 0:
        raise InvalidArgumentError(None, None, "Trying to concat list with only "
                                   "uninitialized tensors but element_shape_except_first_dim "
                                   "is not fully defined: <unknown>")
    first = next(i for i, v in enumerate(lst.items) if v is None)
    raise InvalidArgumentError(None, None, f"List contains uninitialized tensor at index "
                               f"{first} but leading_dims has only 0 elements.")


@RegisterGradient("TensorListConcatV2")
def _concat_grad(op: Operation, grad: Tensor, _: Any = None) -> list[Any]:
    # TF's _TensorListConcatGrad: the gradient split by the items' lengths
    return [tensor_list_split(grad, None, op._outputs[1]), None, None]


def tensor_list_split(tensor: Any, element_shape: Dims, lengths: Any,
                      name: str | None = None) -> Tensor:
    """``TensorListSplit``: a new list of the pieces of ``tensor`` (on axis 0) of
    ``lengths``."""
    graph = get_default_graph()
    full = graph._op_name(name, "TensorListSplit")
    with scope_of(graph, full):
        t = convert_to_tensor(tensor)
        shape_t = convert_to_tensor(_shape_operand(element_shape), dtype=_dtypes.int32,
                                    name="element_shape")
        n = convert_to_tensor(lengths, dtype=_dtypes.int64, name="lengths")
    if t._shape is not None and len(t._shape) == 0:
        # TF's shape function: the tensor split must be at least a vector
        raise node_error("Shape must be at least rank 1 but is rank 0", full, "TensorListSplit",
                         f"element_dtype={dt_enum(t._dtype)}, shape_type=DT_INT32",
                         [t, shape_t, n])
    return make_op(graph, full, "TensorListSplit", [t, shape_t, n],
                   {"element_dtype": t._dtype, "shape_type": _dtypes.int32},
                   [(_variant, ())])._outputs[0]


@register_kernel("TensorListSplit")
def _split_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["element_dtype"]

    def split(t: Any, shape: Any, lengths: Any) -> Any:
        if np.ndim(t) == 0:
            raise InvalidArgumentError(None, None, "Tensor must be at least a vector, but "
                                       "saw shape: []")
        if np.ndim(lengths) != 1:
            raise InvalidArgumentError(None, None, "Expected lengths to be a vector, received "
                                       f"shape: {partial_str(np.shape(lengths))}")
        items = []
        start = 0
        for n in np.reshape(lengths, -1).tolist():
            if start + n > t.shape[0] or n < 0:
                raise InvalidArgumentError(None, None, f"Attempting to slice [{start}, "
                                           f"{start + n}] from tensor with length "
                                           f"{t.shape[0]}")
            items.append(t[start:start + n])
            start += n
        if start != t.shape[0]:
            raise InvalidArgumentError(None, None, "Unused values in tensor. Length of "
                                       f"tensor: {t.shape[0]} Values used: {start}")
        return TensorListValue(items, dt)

    return split


@RegisterGradient("TensorListSplit")
def _split_grad(op: Operation, grad: Tensor) -> list[Any]:
    # TF's _TensorListSplitGrad: the list's gradient concatenated back (here shaped like the
    # tensor, zeros for the pieces that got none)
    tensor, _, lengths = op._inputs
    g = make_op(get_default_graph(), get_default_graph()._op_name(None, "TensorListConcatV2"),
                "_TensorListGradConcat", [grad, tensor, lengths], {},
                [(tensor._dtype, tensor._shape)])
    return [g._outputs[0], None, None]


@register_kernel("_TensorListGradConcat")
def _grad_concat_kernel(op: Operation) -> Callable[..., Any]:
    def concat(lst: Any, like: Any, lengths: Any) -> Any:
        out = np.zeros_like(like)
        if isinstance(lst, TensorListValue):
            start = 0
            for i, n in enumerate(np.reshape(lengths, -1).tolist()):
                if i < len(lst.items) and lst.items[i] is not None:
                    out[start:start + n] = lst.items[i]
                start += n
        return out

    return concat


NotDifferentiable("_TensorListGradScatter")
NotDifferentiable("_TensorListGradGather")
NotDifferentiable("_TensorListGradConcat")
