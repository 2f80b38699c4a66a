"""TensorList ops: the variant values that ``tf.TensorArray`` is made of in TF2's graph mode
(TF's list_ops.py), which ``tf.while_loop`` carries from one iteration to the next.

A list value is immutable, as TF's is: SetItem returns a new list (a copy of the item
references, never of the tensors). Gradient lists are sparse: an item never written is a
zero, so a read in an RNN's loop contributes one item, not a dense tensor per step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.framework.op_def_registry import type_string
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    RegisterGradient,
    Tensor,
    make_op,
    register_kernel,
    scope_of,
)

__all__ = [
    "TensorListValue",
    "clear_items",
    "tensor_list_from_tensor",
    "tensor_list_get_item",
    "tensor_list_length",
    "tensor_list_reserve",
    "tensor_list_set_item",
    "tensor_list_stack",
]

_variant = _dtypes.variant
Dims = tuple[int | None, ...] | None


class TensorListValue:
    """The run-time value of a variant list tensor: ``items[i]`` is an array or None (unset:
    zeros when stacked). ``sparse`` lists are gradients, whose length is not known.
    ``shape`` is the element shape the list was reserved with (the shape of an unset item
    when it is fully defined), or None."""

    __slots__ = ("dtype", "items", "shape")

    def __init__(self, items: list[Any], dtype: Any, shape: Any = None) -> None:
        self.items = items
        self.dtype = dtype
        self.shape = shape

    def set(self, index: int, value: Any, resize: bool = False) -> TensorListValue:
        if resize and index >= len(self.items):
            # a TensorArray(dynamic_size=True) grows on a write past its end
            items = self.items + [None] * (index + 1 - len(self.items))
        elif not 0 <= index < len(self.items):
            raise InvalidArgumentError(None, None, f"Trying to modify element {index} in a "
                                       f"list with {len(self.items)} elements.")
        else:
            items = list(self.items)
        items[index] = value
        return TensorListValue(items, self.dtype, self.shape)

    def unset_shape(self) -> tuple[int, ...] | None:
        """The shape of an unset item: the reserved one if fully defined, else that of the
        first item set (as TF's kernels fill in uninitialized items); None if unknown."""
        if self.shape is not None and all(d >= 0 for d in self.shape):
            return tuple(self.shape)
        known = next((v for v in self.items if v is not None), None)
        return None if known is None else tuple(np.shape(known))

    def get(self, index: int) -> Any:
        if not 0 <= index < len(self.items):
            raise InvalidArgumentError(None, None, f"Trying to access element {index} in a "
                                       f"list with {len(self.items)} elements.")
        return self.items[index]

    def __add__(self, other: Any) -> TensorListValue:
        """The sum of two gradient lists (item by item; a missing item is zero)."""
        if not isinstance(other, TensorListValue):
            return self  # a zero from ZerosLike of a list
        n = max(len(self.items), len(other.items))
        items: list[Any] = []
        for i in range(n):
            a = self.items[i] if i < len(self.items) else None
            b = other.items[i] if i < len(other.items) else None
            items.append(b if a is None else a if b is None else a + b)
        return TensorListValue(items, self.dtype)

    __radd__ = __add__

    def __repr__(self) -> str:
        return f"<TensorList of {len(self.items)} {self.dtype}>"


def add_values(a: Any, b: Any) -> Any:
    """A gradient sum that also takes lists (the while loop accumulates captured ones)."""
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, TensorListValue) or isinstance(b, TensorListValue):
        return b + a if isinstance(b, TensorListValue) else a + b
    return a + b


def zeros_of(value: Any) -> Any:
    """The zero a missing gradient stands for, shaped like ``value``."""
    if isinstance(value, TensorListValue):
        return TensorListValue([None] * len(value.items), value.dtype)
    return np.zeros_like(value)


def _elem_dims(element_shape: Any) -> Dims:
    if element_shape is None:
        return None
    if isinstance(element_shape, Tensor):
        return None
    dims = getattr(element_shape, "_dims", element_shape)
    if dims is None:
        return None
    return tuple(None if d is None or d == -1 else int(d) for d in dims)


def operand_dims(shape: Any) -> Dims:
    """An ``element_shape`` operand's value (-1: unknown rank or dimension) as dims."""
    if np.ndim(shape) == 0:
        return None
    return tuple(None if int(d) < 0 else int(d) for d in np.reshape(shape, -1))


def fully_defined(dims: Dims) -> bool:
    return dims is not None and all(d is not None and d >= 0 for d in dims)


def known_dims(lst: TensorListValue, shape: Any) -> Dims:
    """The element shape a list op knows: its ``element_shape`` operand merged with the
    list's, then (while still partial) with the shapes of the items set, as TF's kernels."""
    dims = merge_dims(operand_dims(shape), lst.shape)
    if not fully_defined(dims):
        for item in lst.items:
            if item is not None:
                dims = merge_dims(dims, np.shape(item))
    return dims


def partial_str(dims: Dims) -> str:
    """A partial shape as TF's kernels print it: ``<unknown>``, ``[?,2]``."""
    if dims is None:
        return "<unknown>"
    return "[" + ",".join("?" if d is None or d < 0 else str(d) for d in dims) + "]"


def _as_dims(shape: Any) -> Dims:
    if shape is None:
        return None
    return tuple(None if d is None or d < 0 else int(d) for d in shape)


def merge_dims(a: Any, b: Any) -> Dims:
    """TF's PartialTensorShape::MergeWith, with its errors (shapes of items in one list)."""
    x, y = _as_dims(a), _as_dims(b)
    if x is None or y is None:
        return y if x is None else x
    if len(x) != len(y):
        raise InvalidArgumentError(None, None, "PartialTensorShape: Incompatible ranks during "
                                   f"merge: {len(x)} vs. {len(y)}")
    if any(p is not None and q is not None and p != q for p, q in zip(x, y)):
        raise InvalidArgumentError(None, None, "PartialTensorShape: Incompatible shapes during "
                                   f"merge: {partial_str(x)} vs. {partial_str(y)}")
    return tuple(q if p is None else p for p, q in zip(x, y))


def _list_op(op_type: str, name: str, inputs: list[Tensor], attrs: dict[str, Any],
             outputs: list[tuple[Any, Dims]], data: Any = None) -> Operation:
    graph = get_default_graph()
    return make_op(graph, graph._op_name(None, name), op_type, inputs, attrs, outputs, data)


def tensor_list_reserve(element_shape: Any, num_elements: Any, element_dtype: Any,
                        name: str | None = None) -> Tensor:
    """``TensorListReserve``: a list of ``num_elements`` unset items."""
    graph = get_default_graph()
    full = graph._op_name(name, "TensorListReserve")
    dims = _elem_dims(element_shape)
    with scope_of(graph, full):
        shape_t = convert_to_tensor(_shape_operand(dims), dtype=_dtypes.int32,
                                    name="element_shape")
        n = convert_to_tensor(num_elements, dtype=_dtypes.int32, name="num_elements")
    dt = _dtypes.as_dtype(element_dtype)
    return make_op(graph, full, "TensorListReserve", [shape_t, n],
                   {"element_dtype": dt, "shape_type": _dtypes.int32}, [(_variant, ())],
                   data=dims)._outputs[0]


def _shape_operand(dims: Dims) -> Any:
    return -1 if dims is None else [(-1 if d is None else d) for d in dims]


@register_kernel("TensorListReserve")
def _reserve_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["element_dtype"]
    def reserve(shape: Any, n: Any) -> TensorListValue:
        dims = None if np.ndim(shape) == 0 else tuple(int(d) for d in shape)
        return TensorListValue([None] * int(n), dt, dims)

    return reserve


def tensor_list_from_tensor(tensor: Any, element_shape: Any = None,
                            name: str | None = None) -> Tensor:
    """``TensorListFromTensor``: the rows of ``tensor`` as a list."""
    graph = get_default_graph()
    full = graph._op_name(name, "TensorListFromTensor")
    with scope_of(graph, full):
        t = convert_to_tensor(tensor)
        dims = _elem_dims(element_shape)
        if dims is None and t._shape is not None:
            dims = t._shape[1:]
        shape_t = convert_to_tensor(_shape_operand(dims), dtype=_dtypes.int32,
                                    name="element_shape")
    if t._shape is not None and len(t._shape) == 0:
        raise ValueError(f"Shape must be at least rank 1 but is rank 0 for '{{{{node {full}}}}}"
                         " = TensorListFromTensor'")
    return make_op(graph, full, "TensorListFromTensor", [t, shape_t],
                   {"element_dtype": t._dtype, "shape_type": _dtypes.int32},
                   [(_variant, ())], data=dims)._outputs[0]


@register_kernel("TensorListFromTensor")
def _from_tensor_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["element_dtype"]
    return lambda t, shape: TensorListValue(list(np.asarray(t)), dt)


@RegisterGradient("TensorListFromTensor")
def _from_tensor_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [_list_op("_TensorListDense", "TensorListStack", [grad, op._inputs[0]], {},
                     [(op._inputs[0]._dtype, op._inputs[0]._shape)])._outputs[0], None]


@register_kernel("_TensorListDense")
def _dense_kernel(op: Operation) -> Callable[..., Any]:
    """A gradient list as the dense tensor shaped like the forward one (zeros where unset)."""

    def dense(lst: Any, like: Any) -> Any:
        out = np.zeros_like(like)
        if isinstance(lst, TensorListValue):
            for i, item in enumerate(lst.items[:len(out)]):
                if item is not None:
                    out[i] = item
        return out

    return dense


@RegisterGradient("_TensorListDense")
def _dense_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [tensor_list_from_tensor(grad), None]


def tensor_list_set_item(input_handle: Tensor, index: Any, item: Any,
                         resize_if_index_out_of_bounds: bool = False,
                         name: str | None = None) -> Tensor:
    """``TensorListSetItem``: a new list with ``item`` at ``index`` (grown to hold it if
    ``resize_if_index_out_of_bounds``)."""
    graph = get_default_graph()
    full = graph._op_name(name, "TensorListSetItem")
    with scope_of(graph, full):
        i = convert_to_tensor(index, dtype=_dtypes.int32, name="index")
        v = convert_to_tensor(item)
    attrs: dict[str, Any] = {"element_dtype": v._dtype}
    if resize_if_index_out_of_bounds:
        attrs["resize_if_index_out_of_bounds"] = True
    return make_op(graph, full, "TensorListSetItem", [input_handle, i, v], attrs,
                   [(_variant, ())])._outputs[0]


@register_kernel("TensorListSetItem")
def _set_item_kernel(op: Operation) -> Callable[..., Any]:
    resize = bool(op._attrs.get("resize_if_index_out_of_bounds", False))
    dt = op._attrs["element_dtype"]

    def set_item(lst: Any, i: Any, v: Any) -> Any:
        if lst.dtype is not None and _dtypes.as_dtype(lst.dtype) != dt:
            raise InvalidArgumentError(None, None, "Invalid data types; op elements "
                                       f"{type_string(dt.as_datatype_enum)} but list elements "
                                       f"{type_string(_dtypes.as_dtype(lst.dtype).as_datatype_enum)}")
        return lst.set(int(i), v, resize)

    return set_item


@RegisterGradient("TensorListSetItem")
def _set_item_grad(op: Operation, grad: Tensor) -> list[Any]:
    # TF's _TensorListSetItemGrad: the item's gradient is read from the list's, and the
    # overwritten slot gets none (an earlier write there did not reach the output)
    item = op._inputs[2]
    g_item = _list_op("_TensorListGradItem", "TensorListGetItem",
                      [grad, op._inputs[1], item], {}, [(item._dtype, item._shape)])
    return [clear_items(grad, op._inputs[1]), None, g_item._outputs[0]]


def clear_items(grad: Tensor, indices: Tensor) -> Tensor:
    """A gradient list with the items at ``indices`` (a scalar or a vector) unset."""
    return _list_op("_TensorListGradClear", "TensorListSetItem", [grad, indices], {},
                    [(_variant, ())])._outputs[0]


@register_kernel("_TensorListGradClear")
def _grad_clear_kernel(op: Operation) -> Callable[..., Any]:
    def clear(lst: Any, indices: Any) -> Any:
        if not isinstance(lst, TensorListValue):
            return lst
        items = list(lst.items)
        for k in np.reshape(indices, -1).tolist():
            if 0 <= k < len(items):
                items[k] = None
        return TensorListValue(items, lst.dtype)

    return clear


@RegisterGradient("_TensorListGradClear")
def _grad_clear_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [clear_items(grad, op._inputs[1]), None]


@register_kernel("_TensorListGradItem")
def _grad_item_kernel(op: Operation) -> Callable[..., Any]:
    """Item ``i`` of a gradient list, zeros shaped like the forward item where unset."""

    def item(lst: Any, i: Any, like: Any) -> Any:
        if isinstance(lst, TensorListValue):
            k = int(i)
            if 0 <= k < len(lst.items) and lst.items[k] is not None:
                return lst.items[k]
        return np.zeros_like(like)

    return item


@RegisterGradient("_TensorListGradItem")
def _grad_item_grad(op: Operation, grad: Tensor) -> list[Any]:
    # reading item i of a gradient list: its gradient is a list holding ``grad`` at i (so a
    # TensorArray's gradient can be differentiated again, as TF's TensorList gradients can)
    g = _list_op("_TensorListGradAt", "TensorListSetItem", [op._inputs[0], op._inputs[1], grad],
                 {}, [(_variant, ())])
    return [g._outputs[0], None, None]


def tensor_list_get_item(input_handle: Tensor, index: Any, element_dtype: Any,
                         element_shape: Dims = None, name: str | None = None) -> Tensor:
    """``TensorListGetItem``: item ``index`` (zeros of the element shape if unset)."""
    graph = get_default_graph()
    full = graph._op_name(name, "TensorListGetItem")
    with scope_of(graph, full):
        i = convert_to_tensor(index, dtype=_dtypes.int32, name="index")
        shape_t = convert_to_tensor(_shape_operand(element_shape), dtype=_dtypes.int32,
                                    name="element_shape")
    dt = _dtypes.as_dtype(element_dtype)
    return make_op(graph, full, "TensorListGetItem", [input_handle, i, shape_t],
                   {"element_dtype": dt}, [(dt, element_shape)])._outputs[0]


@register_kernel("TensorListGetItem")
def _get_item_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["element_dtype"].as_numpy_dtype

    def get(lst: Any, i: Any, shape: Any) -> Any:
        v = lst.get(int(i))
        if v is None:
            # TF's TensorListGetItem: the element shape asked for, merged with the list's,
            # then (when still partial) with the shapes of the items that are set
            dims = known_dims(lst, shape)
            if dims is None or not fully_defined(dims):
                raise InvalidArgumentError(None, None, "Trying to read an uninitialized "
                                           "tensor but element_shape is not fully defined: "
                                           f"{partial_str(dims)} and no list element is set.")
            return np.zeros(tuple(int(d) for d in dims if d is not None), dt)
        return v

    return get


@RegisterGradient("TensorListGetItem")
def _get_item_grad(op: Operation, grad: Tensor) -> list[Any]:
    g = _list_op("_TensorListGradAt", "TensorListSetItem", [op._inputs[0], op._inputs[1], grad],
                 {}, [(_variant, ())])
    return [g._outputs[0], None, None]


@register_kernel("_TensorListGradAt")
def _grad_at_kernel(op: Operation) -> Callable[..., Any]:
    """The gradient list of a read: ``grad`` at the read index, nothing elsewhere."""

    def at(lst: Any, i: Any, g: Any) -> Any:
        k = int(i)
        items: list[Any] = [None] * max(len(lst.items), k + 1)
        items[k] = g
        return TensorListValue(items, lst.dtype)

    return at


@RegisterGradient("_TensorListGradAt")
def _grad_at_grad(op: Operation, grad: Tensor) -> list[Any]:
    g = op._inputs[2]
    item = _list_op("_TensorListGradItem", "TensorListGetItem", [grad, op._inputs[1], g], {},
                    [(g._dtype, g._shape)])
    return [None, None, item._outputs[0]]


def tensor_list_stack(input_handle: Tensor, element_dtype: Any, element_shape: Dims = None,
                      num_elements: int | None = None, name: str | None = None) -> Tensor:
    """``TensorListStack``: the items stacked on a new axis 0 (unset ones are zeros)."""
    graph = get_default_graph()
    full = graph._op_name(name, "TensorListStack")
    with scope_of(graph, full):
        shape_t = convert_to_tensor(_shape_operand(element_shape), dtype=_dtypes.int32,
                                    name="element_shape")
    dt = _dtypes.as_dtype(element_dtype)
    dims: Dims = None if element_shape is None else (num_elements, *element_shape)
    return make_op(graph, full, "TensorListStack", [input_handle, shape_t],
                   {"element_dtype": dt, "num_elements": -1 if num_elements is None
                    else num_elements}, [(dt, dims)])._outputs[0]


@register_kernel("TensorListStack")
def _stack_kernel(op: Operation) -> Callable[..., Any]:
    dt = op._attrs["element_dtype"].as_numpy_dtype
    expected = op._attrs["num_elements"]

    def stack(lst: Any, shape: Any) -> Any:
        items = lst.items
        if expected != -1 and len(items) != expected:
            raise InvalidArgumentError(None, None, f"Operation expected a list with "
                                       f"{expected} elements but got a list with "
                                       f"{len(items)} elements.")
        given = merge_dims(operand_dims(shape), lst.shape)
        if not items and not fully_defined(given):
            raise InvalidArgumentError(None, None, "Tried to stack elements of an empty list "
                                       "with non-fully-defined element_shape: "
                                       f"{partial_str(given)}")
        dims = known_dims(lst, shape)
        if dims is None or not fully_defined(dims):
            raise InvalidArgumentError(None, None, "Tried to stack list which only contains "
                                       "uninitialized tensors and has a non-fully-defined "
                                       f"element_shape: {partial_str(dims)}")
        zero = np.zeros(tuple(int(d) for d in dims if d is not None), dt)
        if not items:
            return np.zeros((0, *zero.shape), dt)
        return np.stack([zero if v is None else v for v in items]).astype(dt, copy=False)

    return stack


@RegisterGradient("TensorListStack")
def _stack_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [tensor_list_from_tensor(grad), None]


def tensor_list_length(input_handle: Tensor, name: str | None = None) -> Tensor:
    """``TensorListLength``: the number of items."""
    return _list_op("TensorListLength", name or "TensorListLength", [input_handle], {},
                    [(_dtypes.int32, ())])._outputs[0]


@register_kernel("TensorListLength")
def _length_kernel(op: Operation) -> Callable[..., Any]:
    return lambda lst: np.int32(len(lst.items))


NotDifferentiable("TensorListReserve")
NotDifferentiable("TensorListLength")
