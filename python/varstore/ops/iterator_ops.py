"""tf.data iterators in graph mode (TF's data/ops/iterator_ops.py): ``OneShotIterator``,
``IteratorV2`` + ``MakeIterator`` (initializable and reinitializable iterators) and
``IteratorGetNext``.

An iterator op's output is a resource handle; its state (the Python iterator of the
dataset's source) lives in the session (RunContext.op_state), so two sessions iterate
independently and a re-run initializer restarts. ``IteratorGetNext`` is stateful: each run
that needs it advances once, whichever of its outputs are fetched.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import FailedPreconditionError, InvalidArgumentError, OutOfRangeError
from varstore.framework.executor import RunContext
from varstore.framework.graph import get_default_graph
from varstore.framework.ops import NotDifferentiable, Operation, make_op, register_kernel
from varstore.framework.random_seed import get_seed
from varstore.framework.tensor_shape import as_shape
from varstore.ops.dataset_base import StructuredOutputs
from varstore.ops.dataset_ops import Dataset, _Spec, flatten, pack_as

__all__ = ["Iterator", "Optional", "get_next_as_optional", "get_output_classes", "get_output_shapes", "get_output_types",
           "make_initializable_iterator", "make_one_shot_iterator"]


class _State:
    """One iterator's position in one session; its resource handle at run time (so a
    handle fed through a string handle reaches it)."""

    __slots__ = ("__weakref__", "it")

    def __init__(self) -> None:
        self.it: Any = None


# string handles -> live iterator states (TF's handles name a resource of the session's
# resource manager; a handle of a closed session's iterator finds nothing)
_HANDLES: weakref.WeakValueDictionary[bytes, _State] = weakref.WeakValueDictionary()


def _resolve(handle: Any, default: _State) -> _State:
    if isinstance(handle, np.ndarray) and handle.dtype == object and handle.ndim == 0:
        handle = handle.item()
    return handle if isinstance(handle, _State) else default


class Iterator(StructuredOutputs):
    """A TF1 iterator over elements of one structure."""

    def __init__(self, resource: Any, initializer: Any, structure: Any) -> None:
        self._iterator_resource = resource
        self._initializer = initializer
        self._structure = structure
        self._get_next_call_count = 0

    @staticmethod
    def from_structure(output_types: Any, output_shapes: Any = None,
                       shared_name: str | None = None, output_classes: Any = None) -> Iterator:
        """A reinitializable iterator: ``make_initializer(dataset)`` points it at a dataset
        of the same structure."""
        flat_types = flatten(output_types)
        flat_shapes = (flatten(output_shapes) if output_shapes is not None
                       else [None] * len(flat_types))
        structure = pack_as(output_types, [_Spec(t, s) for t, s in zip(flat_types,
                                                                       flat_shapes)])
        return Iterator(_iterator_op("IteratorV2", [], structure), None, structure)

    @property
    def initializer(self) -> Any:
        if self._initializer is None:
            raise ValueError("The iterator does not have an initializer. This means it was "
                             "likely created using `tf.data.Dataset.make_one_shot_iterator()`. "
                             "For an initializable iterator, use "
                             "`tf.data.Dataset.make_initializable_iterator()` instead.")
        return self._initializer

    def make_initializer(self, dataset: Dataset, name: str | None = None) -> Operation:
        """The op that (re)starts this iterator on ``dataset``."""
        mine, theirs = flatten(self._structure), flatten(dataset._structure)
        if len(mine) != len(theirs) or any(
                a.dtype != b.dtype for a, b in zip(mine, theirs)):
            raise TypeError(f"Expected output types {self.output_types} but got dataset with "
                            f"output types {dataset.output_types}.")
        for a, b in zip(mine, theirs):
            if not a.shape.is_compatible_with(b.shape):
                raise TypeError(f"Expected output shapes compatible with {self.output_shapes} "
                                f"but got dataset with output shapes {dataset.output_shapes}.")
        return _make_iterator(dataset, self._iterator_resource, name)

    def get_next(self, name: str | None = None) -> Any:
        """The next element, as tensors of the element structure; OutOfRangeError at the
        end, FailedPreconditionError before initialization."""
        self._get_next_call_count += 1
        graph = get_default_graph()
        specs = flatten(self._structure)
        full = graph._op_name(name, "IteratorGetNext")
        op = make_op(graph, full, "IteratorGetNext", [self._iterator_resource],
                     {"output_types": [s.dtype for s in specs],
                      "output_shapes": [s.shape for s in specs]},
                     [(s.dtype, tuple(s.shape.as_list()) if s.shape.ndims is not None
                       else None) for s in specs],
                     data=self._iterator_resource.op)
        return pack_as(self._structure, list(op._outputs))

    def string_handle(self, name: str | None = None) -> Any:
        """IteratorToStringHandle: a string naming this iterator in the session it runs in,
        to feed to an iterator ``from_string_handle``."""
        graph = get_default_graph()
        full = graph._op_name(name, "IteratorToStringHandle")
        return make_op(graph, full, "IteratorToStringHandle", [self._iterator_resource], {},
                       [(_dtypes.string, ())])._outputs[0]

    @staticmethod
    def from_string_handle(string_handle: Any, output_types: Any, output_shapes: Any = None,
                           output_classes: Any = None) -> Iterator:
        """A feedable iterator (IteratorFromStringHandleV2): each run advances the iterator
        whose string handle is fed, which must have this element structure."""
        from varstore.framework.constant_op import convert_to_tensor
        flat_types = flatten(output_types)
        flat_shapes = (flatten(output_shapes) if output_shapes is not None
                       else [None] * len(flat_types))
        structure = pack_as(output_types, [_Spec(t, s) for t, s in zip(flat_types,
                                                                       flat_shapes)])
        h = convert_to_tensor(string_handle, dtype=_dtypes.string)
        graph = get_default_graph()
        specs = flatten(structure)
        full = graph._op_name(None, "IteratorFromStringHandleV2")
        op = make_op(graph, full, "IteratorFromStringHandleV2", [h],
                     {"output_types": [s.dtype for s in specs],
                      "output_shapes": [as_shape(s.shape) for s in specs]},
                     [(_dtypes.resource, ())])
        return Iterator(op._outputs[0], None, structure)


def _iterator_op(op_type: str, inputs: list[Any], structure: Any,
                 data: Any = None) -> Any:
    graph = get_default_graph()
    specs = flatten(structure)
    full = graph._op_name(None, op_type)
    op = make_op(graph, full, op_type, inputs,
                 {"shared_name": "", "container": "",
                  "output_types": [s.dtype for s in specs],
                  "output_shapes": [as_shape(s.shape) for s in specs]},
                 [(_dtypes.resource, ())], data=data)
    return op._outputs[0]


def _make_iterator(dataset: Dataset, resource: Any, name: str | None) -> Operation:
    graph = get_default_graph()
    full = graph._op_name(name, "MakeIterator")
    return make_op(graph, full, "MakeIterator", [dataset._variant_tensor, resource], {}, [],
                   data=resource.op)


def _check_iterable(dataset: Dataset) -> None:
    from varstore.ops.dataset_base import _DatasetArg
    if any(isinstance(s, _DatasetArg) for s in flatten(dataset._structure)):
        raise TypeError("varstore lacks iterators over a dataset of datasets (the windows of "
                        "Dataset.window): flat_map them into tensors first")


def make_one_shot_iterator(dataset: Dataset) -> Iterator:
    """An iterator that starts itself on its first use in each session."""
    _check_iterable(dataset)
    # TF draws an op seed here to re-seed the Defun that rebuilds the dataset: later
    # unseeded random ops of the graph count one further
    get_seed(None)
    res = _iterator_op("OneShotIterator", [dataset._variant_tensor], dataset._structure)
    return Iterator(res, None, dataset._structure)


def make_initializable_iterator(dataset: Dataset, shared_name: str | None = None) -> Iterator:
    _check_iterable(dataset)
    res = _iterator_op("IteratorV2", [], dataset._structure)
    return Iterator(res, _make_iterator(dataset, res, None), dataset._structure)


def get_output_types(dataset_or_iterator: Any) -> Any:
    return dataset_or_iterator.output_types


def get_output_shapes(dataset_or_iterator: Any) -> Any:
    return dataset_or_iterator.output_shapes


def get_output_classes(dataset_or_iterator: Any) -> Any:
    return dataset_or_iterator.output_classes


# -- kernels --------------------------------------------------------------------------------
@register_kernel("OneShotIterator", stateful=True)
def _one_shot_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    state: _State = ctx.op_state(op, _State)

    def kernel(source: Any) -> Any:
        if state.it is None:
            state.it = source.iterate()
        return state

    return kernel


@register_kernel("IteratorV2", stateful=True)
def _iterator_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    state: _State = ctx.op_state(op, _State)
    return lambda: state


@register_kernel("MakeIterator", stateful=True)
def _make_iterator_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    state: _State = ctx.op_state(op._data, _State)

    def kernel(source: Any, handle: Any) -> None:
        state.it = source.iterate()

    return kernel


@register_kernel("IteratorGetNext", stateful=True)
def _get_next_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    state: _State = ctx.op_state(op._data, _State)
    specs = [(s.as_list() if s.ndims is not None else None) for s in op._attrs["output_shapes"]]

    def kernel(handle: Any) -> Any:
        st = _resolve(handle, state)
        if st.it is None:
            raise FailedPreconditionError(
                None, op, "GetNext() failed because the iterator has not been initialized. "
                "Ensure that you have run the initializer operation for this iterator before "
                "getting the next element.")
        try:
            element = tuple(np.asarray(v) for v in next(st.it))
        except StopIteration:
            raise OutOfRangeError(None, op, "End of sequence") from None
        for v, want in zip(element, specs):
            if want is not None and (len(want) != v.ndim or any(
                    w is not None and w != d for w, d in zip(want, v.shape))):
                raise InvalidArgumentError(None, op, f"Incompatible shapes: element has shape "
                                           f"{list(v.shape)}, expected {want}")
        return element if len(element) != 1 else element[0]

    return kernel


@register_kernel("IteratorToStringHandle", stateful=True)
def _to_string_handle_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(handle: Any) -> Any:
        st = _resolve(handle, _State())
        key = f"varstore-iterator:{id(st):x}".encode()
        _HANDLES[key] = st
        return np.asarray(key, dtype=object)

    return kernel


@register_kernel("IteratorFromStringHandleV2", stateful=True)
def _from_string_handle_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(string_handle: Any) -> Any:
        key = np.asarray(string_handle).reshape(()).item()
        key = key if isinstance(key, bytes) else str(key).encode()
        st = _HANDLES.get(key)
        if st is None:
            raise InvalidArgumentError(None, op, f"Could not find the iterator of string "
                                       f"handle {key!r}: it was not made in a live session")
        return st

    return kernel


for _t in ("OneShotIterator", "IteratorV2", "MakeIterator", "IteratorGetNext",
           "IteratorToStringHandle", "IteratorFromStringHandleV2"):
    NotDifferentiable(_t)


# -- tf.data.experimental.Optional / get_next_as_optional (TF's optional_ops.py) -------------
class Optional:
    """A value that may be absent: an ``IteratorGetNextAsOptional`` variant read by
    ``OptionalHasValue`` / ``OptionalGetValue``."""

    def __init__(self, variant: Any, structure: Any) -> None:
        self._variant_tensor = variant
        self._element_spec = structure

    @property
    def element_spec(self) -> Any:
        return self._element_spec

    def has_value(self, name: str | None = None) -> Any:
        graph = get_default_graph()
        full = graph._op_name(name, "OptionalHasValue")
        return make_op(graph, full, "OptionalHasValue", [self._variant_tensor], {},
                       [(_dtypes.bool, ())])._outputs[0]

    def get_value(self, name: str | None = None) -> Any:
        graph = get_default_graph()
        specs = flatten(self._element_spec)
        full = graph._op_name(name, "OptionalGetValue")
        op = make_op(graph, full, "OptionalGetValue", [self._variant_tensor],
                     {"output_types": [s.dtype for s in specs],
                      "output_shapes": [s.shape for s in specs]},
                     [(s.dtype, tuple(s.shape.as_list()) if s.shape.ndims is not None
                       else None) for s in specs])
        return pack_as(self._element_spec, list(op._outputs))


class _OptionalValue:
    """An Optional's run-time value: the element's arrays, or None."""

    __slots__ = ("values",)

    def __init__(self, values: tuple[Any, ...] | None) -> None:
        self.values = values


def get_next_as_optional(iterator: Iterator) -> Optional:
    graph = get_default_graph()
    specs = flatten(iterator._structure)
    full = graph._op_name(None, "IteratorGetNextAsOptional")
    op = make_op(graph, full, "IteratorGetNextAsOptional", [iterator._iterator_resource],
                 {"output_types": [s.dtype for s in specs],
                  "output_shapes": [s.shape for s in specs]},
                 [(_dtypes.variant, ())], data=iterator._iterator_resource.op)
    return Optional(op._outputs[0], iterator._structure)


Iterator.get_next_as_optional = get_next_as_optional  # type: ignore[attr-defined]


@register_kernel("IteratorGetNextAsOptional", stateful=True)
def _get_next_optional_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    state: _State = ctx.op_state(op._data, _State)

    def kernel(handle: Any) -> Any:
        st = _resolve(handle, state)
        if st.it is None:
            raise FailedPreconditionError(
                None, op, "GetNext() failed because the iterator has not been initialized. "
                "Ensure that you have run the initializer operation for this iterator before "
                "getting the next element.")
        try:
            element = tuple(np.asarray(v) for v in next(st.it))
        except StopIteration:
            return _OptionalValue(None)
        return _OptionalValue(element)

    return kernel


def _optional(value: Any) -> _OptionalValue:
    if isinstance(value, np.ndarray) and value.dtype == object and value.ndim == 0:
        value = value.item()
    if not isinstance(value, _OptionalValue):
        raise InvalidArgumentError(None, None, "Input tensor must be an Optional")
    return value


@register_kernel("OptionalHasValue")
def _has_value_kernel(op: Operation) -> Callable[..., Any]:
    return lambda v: np.asarray(_optional(v).values is not None)


@register_kernel("OptionalGetValue")
def _get_value_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(v: Any) -> Any:
        values = _optional(v).values
        if values is None:
            raise InvalidArgumentError(None, op, "The given optional does not have a value.")
        return values if len(values) != 1 else values[0]

    return kernel


for _t in ("IteratorGetNextAsOptional", "OptionalHasValue", "OptionalGetValue"):
    NotDifferentiable(_t)
