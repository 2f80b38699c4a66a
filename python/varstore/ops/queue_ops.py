"""TF1's queues (TF's ops/data_flow_ops.py): ``tf.FIFOQueue``, ``tf.RandomShuffleQueue``,
``tf.PaddingFIFOQueue``, ``tf.PriorityQueue`` and their base ``tf.QueueBase``.

A queue object holds the queue op's resource tensor (``FIFOQueueV2`` ...); its methods
build TF's ops on it (``QueueEnqueueV2``, ``QueueEnqueueManyV2``, ``QueueDequeueV2``,
``QueueDequeueManyV2``, ``QueueDequeueUpToV2``, ``QueueCloseV2``, ``QueueSizeV2``,
``QueueIsClosedV2``) with TF's names (``<queue>_enqueue``, ``<queue>_Dequeue`` ...), checks and
static shapes. The queue itself (queue_impl.py) lives in the session that first runs the
queue op, as TF keeps it in the session's resource manager: each session has its own.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.executor import RunContext
from varstore.framework.graph import get_default_graph
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    builders,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.framework.random_seed import get_seed
from varstore.framework.tensor_shape import (
    Dimension,
    TensorShape,
    as_shape,
    shape_str,
    unknown_shape,
)
from varstore.ops import queue_impl

__all__ = ["FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "QueueBase", "RandomShuffleQueue"]


def _as_type_list(dtypes: Any) -> list[Any]:
    if not isinstance(dtypes, (list, tuple)):
        return [dtypes]
    return list(dtypes)


def _as_shape_list(shapes: Any, dtypes: Any, unknown_dim_allowed: bool = False,
                   unknown_rank_allowed: bool = False) -> list[TensorShape] | None:
    """TF's shapes argument rules (one shape, or a list of shapes), word for word."""
    del dtypes
    if unknown_dim_allowed and (
            not isinstance(shapes, (list, tuple)) or not shapes
            or any(shape is None or isinstance(shape, int) for shape in shapes)):
        raise ValueError("When providing partial shapes, a list of shapes must be provided.")
    if shapes is None:
        return None
    if isinstance(shapes, TensorShape):
        shapes = [shapes]
    if not isinstance(shapes, (tuple, list)):
        raise TypeError("Shapes must be a TensorShape or a list or tuple of TensorShapes, "
                        f"got {type(shapes)} instead.")
    if all(shape is None or isinstance(shape, int) for shape in shapes):
        shapes = [shapes]  # one shape given as its dims
    out = [as_shape(shape) for shape in shapes]
    if not unknown_dim_allowed and any(not s.is_fully_defined() for s in out):
        raise ValueError(f"All shapes must be fully defined: {out}")
    if not unknown_rank_allowed and any(s.dims is None for s in out):
        raise ValueError(f"All shapes must have a defined rank: {out}")
    return out


def _as_name_list(names: Any, dtypes: list[Any]) -> list[Any] | None:
    if names is None:
        return None
    if not isinstance(names, (list, tuple)):
        names = [names]
    if len(names) != len(dtypes):
        raise ValueError("List of names must have the same length as the list of dtypes, "
                         f"received len(names)={len(names)},len(dtypes)={len(dtypes)}")
    return list(names)


def _shape_common(s1: Any, s2: Any) -> TensorShape:
    """The most specific shape both shapes are instances of."""
    a, b = TensorShape(s1), TensorShape(s2)
    if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
        return unknown_shape()
    return TensorShape([d1 if d1 is not None and d1 == d2 else None
                        for d1, d2 in zip(a.as_list(), b.as_list())])


def _dims(shape: TensorShape) -> tuple[int | None, ...] | None:
    return shape._dims


class QueueBase:
    """A queue of elements, each a tuple of tensors of ``dtypes`` (and ``shapes``, when
    given); with ``names``, elements are dicts keyed by them."""

    def __init__(self, dtypes: Any, shapes: Any, names: Any, queue_ref: Tensor) -> None:
        self._dtypes = [_dtypes.as_dtype(d) for d in dtypes]
        if shapes is not None:
            if len(shapes) != len(dtypes):
                raise ValueError("Queue shapes must have the same length as dtypes, received "
                                 f"len(shapes)={len(shapes)}, len(dtypes)={len(dtypes)}")
            self._shapes = [TensorShape(s) for s in shapes]
        else:
            self._shapes = [unknown_shape() for _ in self._dtypes]
        if names is not None:
            if len(names) != len(dtypes):
                raise ValueError("Queue names must have the same length as dtypes,received "
                                 f"len(names)={len(names)},len {len(dtypes)}")
            self._names: list[Any] | None = list(names)
        else:
            self._names = None
        self._queue_ref = queue_ref
        self._name = queue_ref.op.name.split("/")[-1]

    @staticmethod
    def from_list(index: Any, queues: Any) -> QueueBase:
        """The queue ``queues[index]``, chosen when run (a gather of their handles)."""
        if (not queues or not isinstance(queues, list)
                or not all(isinstance(x, QueueBase) for x in queues)):
            raise TypeError("A list of queues expected")
        dtypes = queues[0].dtypes
        if not all(dtypes == q.dtypes for q in queues[1:]):
            raise TypeError("Queues do not have matching component dtypes.")
        names = queues[0].names
        if not all(names == q.names for q in queues[1:]):
            raise TypeError("Queues do not have matching component names.")
        reduced = [functools.reduce(_shape_common, s) for s in zip(*[q.shapes for q in queues])]
        refs = builders.stack([q.queue_ref for q in queues])
        selected = builders.gather(refs, index)
        return QueueBase(dtypes=dtypes, shapes=reduced, names=names, queue_ref=selected)

    @property
    def queue_ref(self) -> Tensor:
        return self._queue_ref

    @property
    def name(self) -> str:
        return self._queue_ref.op.name

    @property
    def dtypes(self) -> list[Any]:
        return self._dtypes

    @property
    def shapes(self) -> list[TensorShape]:
        return self._shapes

    @property
    def names(self) -> list[Any] | None:
        return self._names

    def _check_enqueue_dtypes(self, vals: Any) -> list[Tensor]:
        if isinstance(vals, dict):
            if not self._names:
                raise ValueError("Queue must have names to enqueue a dictionary")
            if sorted(self._names, key=str) != sorted(vals.keys(), key=str):
                raise ValueError("Keys in dictionary to enqueue do not match names of Queue.  "
                                 f"Dictionary: {sorted(vals.keys())},"
                                 f"Queue: {sorted(self._names)}")
            vals = [vals[k] for k in self._names]
        else:
            if self._names:
                raise ValueError("You must enqueue a dictionary in a Queue with names")
            if not isinstance(vals, (list, tuple)):
                vals = [vals]
        return [convert_to_tensor(val, dtype=dtype, name=f"component_{i}")
                for i, (val, dtype) in enumerate(zip(vals, self._dtypes))]

    def _enqueue_op(self, op_type: str, full: str, tensors: list[Tensor]) -> Operation:
        graph = get_default_graph()
        return make_op(graph, full, op_type, [self._queue_ref, *tensors],
                       {"Tcomponents": [t.dtype for t in tensors], "timeout_ms": -1}, [])

    def enqueue(self, vals: Any, name: str | None = None) -> Operation:
        """The op that enqueues one element (blocking while the queue is full)."""
        graph = get_default_graph()
        full = graph._op_name(name, f"{self._name}_enqueue")
        with scope_of(graph, full):
            tensors = self._check_enqueue_dtypes(vals)
        for val, shape in zip(tensors, self._shapes):
            val.shape.assert_is_compatible_with(shape)
        return self._enqueue_op("QueueEnqueueV2", full, tensors)

    def enqueue_many(self, vals: Any, name: str | None = None) -> Operation:
        """The op that enqueues the slices of ``vals`` along dimension 0."""
        graph = get_default_graph()
        full = graph._op_name(name, f"{self._name}_EnqueueMany")
        with scope_of(graph, full):
            tensors = self._check_enqueue_dtypes(vals)
        batch_dim = Dimension(tensors[0].shape.with_rank_at_least(1)[0])
        for val, shape in zip(tensors, self._shapes):
            batch_dim = batch_dim.merge_with(Dimension(val.shape.with_rank_at_least(1)[0]))
            val.shape[1:].assert_is_compatible_with(shape)
        return self._enqueue_op("QueueEnqueueManyV2", full, tensors)

    def _dequeue_return_value(self, tensors: list[Tensor]) -> Any:
        if self._names:
            return {n: tensors[i] for i, n in enumerate(self._names)}
        if len(tensors) == 1:
            return tensors[0]
        return tensors

    def _dequeue_op(self, op_type: str, full: str, extra: list[Tensor],
                    shapes: list[TensorShape]) -> Any:
        graph = get_default_graph()
        op = make_op(graph, full, op_type, [self._queue_ref, *extra],
                     {"component_types": list(self._dtypes), "timeout_ms": -1},
                     [(dt, _dims(s)) for dt, s in zip(self._dtypes, shapes)])
        return self._dequeue_return_value(list(op._outputs))

    def dequeue(self, name: str | None = None) -> Any:
        """One element; blocks while the queue is empty, OutOfRangeError once it is closed
        and empty."""
        graph = get_default_graph()
        full = graph._op_name(name, f"{self._name}_Dequeue")
        return self._dequeue_op("QueueDequeueV2", full, [], self._shapes)

    def _count(self, graph: Any, full: str, n: Any) -> Tensor:
        with scope_of(graph, full):
            return convert_to_tensor(n, dtype=_dtypes.int32, name="n")

    def dequeue_many(self, n: Any, name: str | None = None) -> Any:
        """``n`` elements, each component stacked along a new dimension 0."""
        graph = get_default_graph()
        full = graph._op_name(name, f"{self._name}_DequeueMany")
        n_t = self._count(graph, full, n)
        value = constant_value(n_t)
        if value is not None and int(value) < 0:
            # the op's C++ shape function
            attrs = (f"component_types=[{', '.join(dt_enum(d) for d in self._dtypes)}], "
                     "timeout_ms=-1")
            raise node_error(f"Input 'n' must be >= 0, but is {int(value)}", full,
                             "QueueDequeueManyV2", attrs, [self._queue_ref, n_t],
                             f" and with computed input tensors: input[1] = <{int(value)}>")
        batch = TensorShape([None if value is None else int(value)])
        return self._dequeue_op("QueueDequeueManyV2", full, [n_t],
                                [batch.concatenate(s) for s in self._shapes])

    def dequeue_up_to(self, n: Any, name: str | None = None) -> Any:
        """Up to ``n`` elements: once the queue is closed, what is left (at least one)."""
        graph = get_default_graph()
        full = graph._op_name(name, f"{self._name}_DequeueUpTo")
        n_t = self._count(graph, full, n)
        return self._dequeue_op("QueueDequeueUpToV2", full, [n_t],
                                [TensorShape([None]).concatenate(s) for s in self._shapes])

    def close(self, cancel_pending_enqueues: bool = False, name: str | None = None
              ) -> Operation:
        """The op that closes the queue (and with ``cancel_pending_enqueues``, fails the
        enqueues blocked in it)."""
        graph = get_default_graph()
        full = graph._op_name(name, f"{self._name}_Close")
        return make_op(graph, full, "QueueCloseV2", [self._queue_ref],
                       {"cancel_pending_enqueues": bool(cancel_pending_enqueues)}, [])

    def is_closed(self, name: str | None = None) -> Tensor:
        graph = get_default_graph()
        full = graph._op_name(name, f"{self._name}_Is_Closed")
        return make_op(graph, full, "QueueIsClosedV2", [self._queue_ref], {},
                       [(_dtypes.bool, ())])._outputs[0]

    def size(self, name: str | None = None) -> Tensor:
        graph = get_default_graph()
        full = graph._op_name(name, f"{self._name}_Size")
        return make_op(graph, full, "QueueSizeV2", [self._queue_ref], {},
                       [(_dtypes.int32, ())])._outputs[0]


def _queue_op(op_type: str, name: str | None, dtypes: list[Any], shapes: list[TensorShape] | None,
              capacity: int, shared_name: str | None, **attrs: Any) -> Tensor:
    graph = get_default_graph()
    full = graph._op_name(name, op_type)  # name=None given: the op type, as TF's
    all_attrs: dict[str, Any] = {"component_types": [_dtypes.as_dtype(d) for d in dtypes],
                                 "shapes": list(shapes or []), "capacity": int(capacity),
                                 "container": "", "shared_name": shared_name or ""}
    all_attrs.update(attrs)
    return make_op(graph, full, op_type, [], all_attrs, [(_dtypes.resource, ())])._outputs[0]


class FIFOQueue(QueueBase):
    """Dequeues in first-in first-out order."""

    def __init__(self, capacity: int, dtypes: Any, shapes: Any = None, names: Any = None,
                 shared_name: str | None = None, name: str | None = "fifo_queue") -> None:
        dtypes = _as_type_list(dtypes)
        shapes = _as_shape_list(shapes, dtypes)
        names = _as_name_list(names, dtypes)
        graph = get_default_graph()
        # TF builds it in init_scope on the CPU: free of the enclosing control dependencies
        with graph.control_dependencies(None), graph.device("CPU"):
            ref = _queue_op("FIFOQueueV2", name, dtypes, shapes, capacity, shared_name)
        super().__init__(dtypes, shapes, names, ref)


class PaddingFIFOQueue(QueueBase):
    """A FIFOQueue whose shapes may have unknown dimensions, which dequeue_many pads."""

    def __init__(self, capacity: int, dtypes: Any, shapes: Any, names: Any = None,
                 shared_name: str | None = None, name: str | None = "padding_fifo_queue") -> None:
        dtypes = _as_type_list(dtypes)
        shapes = _as_shape_list(shapes, dtypes, unknown_dim_allowed=True)
        names = _as_name_list(names, dtypes)
        assert shapes is not None
        if len(dtypes) != len(shapes):
            raise ValueError("Shapes must be provided for all components, but received "
                             f"{len(dtypes)} dtypes and {len(shapes)} shapes.")
        ref = _queue_op("PaddingFIFOQueueV2", name, dtypes, shapes, capacity, shared_name)
        super().__init__(dtypes, shapes, names, ref)


class RandomShuffleQueue(QueueBase):
    """Dequeues in a random order, keeping ``min_after_dequeue`` elements while open."""

    def __init__(self, capacity: int, min_after_dequeue: int, dtypes: Any, shapes: Any = None,
                 names: Any = None, seed: int | None = None, shared_name: str | None = None,
                 name: str | None = "random_shuffle_queue") -> None:
        dtypes = _as_type_list(dtypes)
        shapes = _as_shape_list(shapes, dtypes)
        names = _as_name_list(names, dtypes)
        seed1, seed2 = get_seed(seed)
        if seed1 is None and seed2 is None:
            seed1, seed2 = 0, 0
        elif seed is None and shared_name is not None:
            # a graph seed only: seed2 from the graph seed and the shared name, as TF
            digest = hashlib.md5((str(seed1) + shared_name).encode("utf-8")).hexdigest()
            seed2 = int(digest[:8], 16) & 0x7FFFFFFF
        ref = _queue_op("RandomShuffleQueueV2", name, dtypes, shapes, capacity, shared_name,
                        min_after_dequeue=int(min_after_dequeue), seed=int(seed1 or 0),
                        seed2=int(seed2 or 0))
        super().__init__(dtypes, shapes, names, ref)


class PriorityQueue(QueueBase):
    """Dequeues the smallest int64 priority first: each element starts with its priority
    (an int64 scalar; a vector of them for enqueue_many)."""

    def __init__(self, capacity: int, types: Any, shapes: Any = None, names: Any = None,
                 shared_name: str | None = None, name: str | None = "priority_queue") -> None:
        types = _as_type_list(types)
        shapes = _as_shape_list(shapes, types)
        if shapes is None:  # the op's shapes attr has no default: TF's generated wrapper
            raise TypeError("Expected list for 'shapes' argument to 'priority_queue_v2' Op, "
                            "not None.")
        ref = _queue_op("PriorityQueueV2", name, types, shapes, capacity, shared_name)
        priority_dtypes = [_dtypes.int64, *types]
        priority_shapes = [TensorShape([]), *shapes] if shapes else shapes
        super().__init__(priority_dtypes, priority_shapes, names, ref)


# -- kernels --------------------------------------------------------------------------------
_TF_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _types_str(dts: Sequence[np.dtype[Any]]) -> str:
    names = [_dtypes.as_dtype(d).name if d != object else "string" for d in dts]
    return ", ".join(_TF_TYPE_NAMES.get(n, n) for n in names)


def _shapes_str(shapes: Sequence[Any] | None) -> str:
    return "[" + ", ".join(shape_str(tuple(s)) for s in shapes or []) + "]"


def _check_shared(q: queue_impl.Queue, mine: queue_impl.Queue, op_type: str) -> None:
    """A second op sharing a queue by name must describe the same queue (TF's
    MatchesNodeDef)."""
    if type(mine) is not type(q):
        raise InvalidArgumentError(None, None, f"Expected {q.type_name}, found {op_type}")
    if mine.capacity != q.capacity:
        raise InvalidArgumentError(None, None, f"Shared queue '{q.name}' has capacity "
                                   f"{q.capacity} but requested capacity was {mine.capacity}")
    if mine.dtypes != q.dtypes:
        raise InvalidArgumentError(None, None, f"Shared queue '{q.name}' has component types "
                                   f"{_types_str(q.dtypes)} but requested component types "
                                   f"were {_types_str(mine.dtypes)}")
    if mine.shapes != q.shapes:
        raise InvalidArgumentError(None, None, f"Shared queue '{q.name}' has component shapes "
                                   f"{_shapes_str(q.shapes)} but requested component shapes "
                                   f"were {_shapes_str(mine.shapes)}")


def _queue_kernel(op: Operation, ctx: RunContext,
                  make: Callable[[str], queue_impl.Queue]) -> Callable[[], Any]:
    """The queue op's kernel: the session's queue, made at its first run."""
    shared = op._attrs["shared_name"]
    if not shared:
        key = ("queue", op._id)
        return lambda: ctx.resource(key, lambda: make(queue_impl.private_name(op._name)))
    checked: list[queue_impl.Queue] = []

    def check(q: queue_impl.Queue) -> None:
        if not (checked and checked[0] is q):
            _check_shared(q, make(q.name), op._type)
            checked[:] = [q]

    shared_key = ("queue", shared)
    return lambda: ctx.resource(shared_key, lambda: make(shared), check)


def _component_types(op: Operation) -> list[np.dtype[Any]]:
    return [d._np for d in op._attrs["component_types"]]


def _component_shapes(op: Operation) -> list[tuple[int | None, ...]]:
    return [s._dims for s in op._attrs["shapes"]]


@register_kernel("FIFOQueueV2", stateful=True)
def _fifo_queue_kernel(op: Operation, ctx: RunContext) -> Callable[[], Any]:
    types, shapes, cap = _component_types(op), _component_shapes(op), op._attrs["capacity"]
    return _queue_kernel(op, ctx, lambda name: queue_impl.FIFOQueue(name, cap, types, shapes))


@register_kernel("PaddingFIFOQueueV2", stateful=True)
def _padding_fifo_queue_kernel(op: Operation, ctx: RunContext) -> Callable[[], Any]:
    types, shapes, cap = _component_types(op), _component_shapes(op), op._attrs["capacity"]
    return _queue_kernel(op, ctx,
                         lambda name: queue_impl.PaddingFIFOQueue(name, cap, types, shapes))


@register_kernel("RandomShuffleQueueV2", stateful=True)
def _random_shuffle_queue_kernel(op: Operation, ctx: RunContext) -> Callable[[], Any]:
    types, shapes = _component_types(op), _component_shapes(op)
    a = op._attrs
    cap = a["capacity"] if a["capacity"] >= 0 else queue_impl._UNBOUNDED
    after = a["min_after_dequeue"]

    def make(name: str) -> queue_impl.Queue:
        # the kernel's construction checks, at its first run as in TF
        if after < 0:
            raise InvalidArgumentError(None, None, f"min_after_dequeue {after} must be >= 0")
        if after >= cap:
            raise InvalidArgumentError(None, None,
                                       f"min_after_dequeue {after} must be < capacity {cap}")
        return queue_impl.RandomShuffleQueue(name, cap, types, shapes, after, a["seed"],
                                             a["seed2"])

    return _queue_kernel(op, ctx, make)


@register_kernel("PriorityQueueV2", stateful=True)
def _priority_queue_kernel(op: Operation, ctx: RunContext) -> Callable[[], Any]:
    types = [np.dtype(np.int64), *_component_types(op)]
    shapes = _component_shapes(op)
    full_shapes = [(), *shapes] if shapes else []
    cap = op._attrs["capacity"]
    return _queue_kernel(op, ctx,
                         lambda name: queue_impl.PriorityQueue(name, cap, types, full_shapes))


def _queue(handle: Any) -> queue_impl.Queue:
    if isinstance(handle, np.ndarray):  # a handle picked by QueueBase.from_list
        handle = handle.item()
    return handle  # type: ignore[no-any-return]


def _outputs(element: tuple[np.ndarray, ...]) -> Any:
    return element[0] if len(element) == 1 else element


@register_kernel("QueueEnqueueV2", stateful=True)
def _enqueue_kernel(op: Operation) -> Callable[..., None]:
    return lambda handle, *comps: _queue(handle).enqueue(op, comps)


@register_kernel("QueueEnqueueManyV2", stateful=True)
def _enqueue_many_kernel(op: Operation) -> Callable[..., None]:
    return lambda handle, *comps: _queue(handle).enqueue_many(op, comps)


@register_kernel("QueueDequeueV2", stateful=True)
def _dequeue_kernel(op: Operation) -> Callable[[Any], Any]:
    return lambda handle: _outputs(_queue(handle).dequeue(op))


def _dequeue_many(op: Operation, label: str, allow_small_batch: bool) -> Callable[..., Any]:
    def kernel(handle: Any, n: np.ndarray) -> Any:
        count = int(n)
        if count < 0:
            raise InvalidArgumentError(None, None, f"{label} requested {count} < 0 elements")
        return _outputs(_queue(handle).dequeue_many(op, count, allow_small_batch))

    return kernel


@register_kernel("QueueDequeueManyV2", stateful=True)
def _dequeue_many_kernel(op: Operation) -> Callable[..., Any]:
    return _dequeue_many(op, "DequeueManyOp", False)


@register_kernel("QueueDequeueUpToV2", stateful=True)
def _dequeue_up_to_kernel(op: Operation) -> Callable[..., Any]:
    return _dequeue_many(op, "DequeueUpToOp", True)


@register_kernel("QueueCloseV2", stateful=True)
def _close_kernel(op: Operation) -> Callable[[Any], None]:
    cancel = bool(op._attrs["cancel_pending_enqueues"])
    return lambda handle: _queue(handle).close(op, cancel)


@register_kernel("QueueSizeV2", stateful=True)
def _size_kernel(op: Operation) -> Callable[[Any], np.ndarray]:
    return lambda handle: np.array(_queue(handle).size(), np.int32)


@register_kernel("QueueIsClosedV2", stateful=True)
def _is_closed_kernel(op: Operation) -> Callable[[Any], np.ndarray]:
    return lambda handle: np.array(_queue(handle).is_closed())


for _t in ("FIFOQueueV2", "PaddingFIFOQueueV2", "RandomShuffleQueueV2", "PriorityQueueV2",
           "QueueEnqueueV2", "QueueEnqueueManyV2", "QueueDequeueV2", "QueueDequeueManyV2",
           "QueueDequeueUpToV2", "QueueCloseV2", "QueueSizeV2", "QueueIsClosedV2"):
    NotDifferentiable(_t)
