"""TF1's queue-based input pipelines (TF's training/input.py): the producers
(``tf.train.input_producer``, ``string_input_producer``, ``range_input_producer``,
``slice_input_producer``, ``limit_epochs``) and the batchers (``tf.train.batch``,
``shuffle_batch``, ``batch_join``, ``shuffle_batch_join`` and their ``maybe_`` forms).

Each builds TF's graph: a queue (FIFOQueue, PaddingFIFOQueue with ``dynamic_pad``,
RandomShuffleQueue for the shuffling ones), its enqueue op(s) in a QueueRunner of the
QUEUE_RUNNERS collection, a "fraction_of_<capacity>_full" (or
"fraction_over_<min>_of_<capacity - min>_full") scalar summary, and the dequeue op named
after the scope ("batch" ...). ``num_epochs`` counts epochs in the local variable
``limit_epochs/epochs``: the producer's enqueue fails with OutOfRangeError after the last
epoch, its queue runner closes the queue, and the batch queue drains, ending the consumer
with OutOfRangeError. SparseTensor inputs (TF's sparse tensor maps) are not supported.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.graph import GraphKeys, control_dependencies, name_scope
from varstore.framework.ops import Tensor
from varstore.framework.sparse_tensor import SparseTensor
from varstore.framework.tensor_shape import as_shape
from varstore.ops import math_ops
from varstore.ops.array_ops import identity, shape, size
from varstore.ops.array_slicing_ops import gather
from varstore.ops.check_ops import Assert
from varstore.ops.control_flow_ops import no_op, smart_cond
from varstore.ops.data_flow_ops import dynamic_partition
from varstore.ops.math_sequence_ops import range as _range
from varstore.ops.math_unary_ops import cast
from varstore.ops.queue_ops import FIFOQueue, PaddingFIFOQueue, QueueBase, RandomShuffleQueue
from varstore.ops.random_ops import random_shuffle
from varstore.summary import summary_ops
from varstore.train.queue_runner_impl import QueueRunner, add_queue_runner
from varstore.variables import Variable

__all__ = [
    "batch",
    "batch_join",
    "input_producer",
    "limit_epochs",
    "maybe_batch",
    "maybe_batch_join",
    "maybe_shuffle_batch",
    "maybe_shuffle_batch_join",
    "range_input_producer",
    "shuffle_batch",
    "shuffle_batch_join",
    "slice_input_producer",
    "string_input_producer",
]


# -- producers ------------------------------------------------------------------------------
def limit_epochs(tensor: Any, num_epochs: int | None = None, name: str | None = None) -> Any:
    """``tensor``, each evaluation counted in the local variable ``<name>/epochs``; the
    ``num_epochs + 1``-th raises OutOfRangeError."""
    if num_epochs is None:
        return tensor
    if num_epochs <= 0:
        raise ValueError(f"num_epochs must be > 0 not {num_epochs}.")
    with name_scope(name, "limit_epochs", [tensor]) as scope:
        zero64 = constant(0, dtype=_dtypes.int64)
        epochs = Variable(zero64, name="epochs", trainable=False,
                          collections=[GraphKeys.LOCAL_VARIABLES])
        counter = epochs.count_up_to(num_epochs)
        with control_dependencies([counter]):
            return identity(tensor, name=scope)


def input_producer(input_tensor: Any, element_shape: Any = None, num_epochs: int | None = None,
                   shuffle: bool = True, seed: int | None = None, capacity: int = 32,
                   shared_name: str | None = None, summary_name: str | None = None,
                   name: str | None = None, cancel_op: Any = None) -> QueueBase:
    """A FIFOQueue fed the rows of ``input_tensor`` (shuffled each epoch when ``shuffle``)
    by a queue runner, ``num_epochs`` times or forever."""
    with name_scope(name, "input_producer", [input_tensor]):
        input_tensor = convert_to_tensor(input_tensor, name="input_tensor")
        element_shape = input_tensor.shape[1:].merge_with(element_shape)
        if not element_shape.is_fully_defined():
            raise ValueError("Either `input_tensor` must have a fully defined shape or "
                             "`element_shape` must be specified")
        if shuffle:
            input_tensor = random_shuffle(input_tensor, seed=seed)
        input_tensor = limit_epochs(input_tensor, num_epochs)
        q = FIFOQueue(capacity=capacity, dtypes=[input_tensor.dtype.base_dtype],
                      shapes=[element_shape], shared_name=shared_name, name=name)
        enq = q.enqueue_many([input_tensor])
        add_queue_runner(QueueRunner(q, [enq], cancel_op=cancel_op))
        if summary_name is not None:
            summary_ops.scalar(summary_name,
                               cast(q.size(), _dtypes.float32) * (1. / capacity))
        return q


def string_input_producer(string_tensor: Any, num_epochs: int | None = None,
                          shuffle: bool = True, seed: int | None = None, capacity: int = 32,
                          shared_name: str | None = None, name: str | None = None,
                          cancel_op: Any = None) -> QueueBase:
    """A queue of the strings of ``string_tensor`` (file names, typically)."""
    not_null_err = "string_input_producer requires a non-null input tensor"
    if not isinstance(string_tensor, Tensor) and not string_tensor:
        raise ValueError(not_null_err)
    with name_scope(name, "input_producer", [string_tensor]) as scope:
        string_tensor = convert_to_tensor(string_tensor, dtype=_dtypes.string)
        with control_dependencies([Assert(math_ops.greater(size(string_tensor), 0),
                                          [not_null_err])]):
            string_tensor = identity(string_tensor)
        return input_producer(input_tensor=string_tensor, element_shape=[],
                              num_epochs=num_epochs, shuffle=shuffle, seed=seed,
                              capacity=capacity, shared_name=shared_name, name=scope,
                              summary_name=f"fraction_of_{capacity}_full", cancel_op=cancel_op)


def range_input_producer(limit: Any, num_epochs: int | None = None, shuffle: bool = True,
                         seed: int | None = None, capacity: int = 32,
                         shared_name: str | None = None, name: str | None = None
                         ) -> QueueBase:
    """A queue of the integers 0 .. limit - 1."""
    with name_scope(name, "input_producer", [limit]) as scope:
        range_tensor = _range(limit)
        return input_producer(range_tensor, [], num_epochs, shuffle, seed, capacity,
                              shared_name, f"fraction_of_{capacity}_full", scope)


def slice_input_producer(tensor_list: Any, num_epochs: int | None = None, shuffle: bool = True,
                         seed: int | None = None, capacity: int = 32,
                         shared_name: str | None = None, name: str | None = None
                         ) -> list[Tensor]:
    """One row of each tensor of ``tensor_list`` (the same row of each), from a
    range_input_producer of row indices."""
    with name_scope(name, "input_producer", tensor_list):
        tensors = _convert_n(tensor_list)
        if not tensors:
            raise ValueError("Expected at least one tensor in slice_input_producer().")
        range_size = shape(tensors[0])[0]
        queue = range_input_producer(range_size, num_epochs=num_epochs, shuffle=shuffle,
                                     seed=seed, capacity=capacity, shared_name=shared_name)
        index = queue.dequeue()
        return [gather(t, index) for t in tensors]


# -- batching -------------------------------------------------------------------------------
def _convert_n(values: Any) -> list[Any]:
    out = []
    for v in values:
        if isinstance(v, SparseTensor):
            raise NotImplementedError("varstore lacks SparseTensor inputs to queue-based "
                                      "batching (TF's AddSparseToTensorsMap)")
        out.append(convert_to_tensor(v))
    return out


def _flatten(tensor_list_list: Sequence[Sequence[Any]]) -> list[Any]:
    return [tensor for tensor_list in tensor_list_list for tensor in tensor_list]


def _as_tensor_list(tensors: Any) -> Any:
    if isinstance(tensors, dict):
        return [tensors[k] for k in sorted(tensors, key=str)]
    return tensors


def _as_tensor_list_list(tensors_list: Any) -> Any:
    if not tensors_list:
        raise ValueError("Expected at least one set of tensors")
    if isinstance(tensors_list[0], dict):
        expected_keys = set(tensors_list[0].keys())
        for tensors in tensors_list[1:]:
            if set(tensors.keys()) != expected_keys:
                raise ValueError("All dictionaries in tensors_list must have the same keys")
        return [_as_tensor_list(tensors) for tensors in tensors_list]
    return tensors_list


def _as_original_type(original_tensors: Any, tensor_list: Any) -> Any:
    if isinstance(original_tensors, dict):
        if len(original_tensors) == 1:
            tensor_list = [tensor_list]
        return {k: tensor_list[i] for i, k in enumerate(sorted(original_tensors, key=str))}
    return tensor_list


def _validate(tensor_list: Any) -> list[Any]:
    tensors = _convert_n(tensor_list)
    if not tensors:
        raise ValueError("Expected at least one tensor in batch().")
    return tensors


def _validate_join(tensor_list_list: Any) -> list[list[Any]]:
    lists = [_convert_n(tl) for tl in tensor_list_list]
    if not lists:
        raise ValueError("Expected at least one input in batch_join().")
    return lists


def _validate_keep_input(keep_input: Any, enqueue_many: bool) -> Tensor:
    keep = convert_to_tensor(keep_input)
    if keep.shape.ndims is None:
        raise ValueError("`keep_input` dimensions must be known at graph construction.")
    if not enqueue_many and keep.shape.ndims == 1:
        raise ValueError("`keep_input` cannot be a vector when `enqueue_many=False`.")
    if keep.shape.ndims > 1:
        raise ValueError("`keep_input` must be 0 or 1 dimensions.")
    return keep


def _dtypes_of(tensor_list_list: list[list[Any]]) -> list[Any]:
    all_types = [[t.dtype for t in tl] for tl in tensor_list_list]
    types = all_types[0]
    for other_types in all_types[1:]:
        if other_types != types:
            raise TypeError("Expected types to be consistent: "
                            f"{', '.join(x.name for x in types)} vs. "
                            f"{', '.join(x.name for x in other_types)}.")
    return types


def _merge_shapes(shape_list: list[Any], enqueue_many: bool) -> list[int | None]:
    shapes = [as_shape(s) for s in shape_list]
    if enqueue_many:
        shapes = [s.with_rank_at_least(1)[1:] for s in shapes]
    merged = shapes[0]
    for s in shapes[1:]:
        merged.merge_with(s)  # TF checks compatibility and keeps the first shape
    return merged.as_list()


def _shapes_of(tensor_list_list: list[list[Any]], shapes: Any, enqueue_many: bool) -> Any:
    if shapes is None:
        len0 = len(tensor_list_list[0])
        for tl in tensor_list_list:
            for i in range(len0):
                if tl[i].shape.ndims is None:
                    raise ValueError(f"Cannot infer Tensor's rank: {tl[i]}")
        shapes = [_merge_shapes([tl[i].shape.as_list() for tl in tensor_list_list],
                                enqueue_many) for i in range(len0)]
    return shapes


def _select_which_to_enqueue(tensor_list: list[Any], keep_input: Tensor) -> list[Any]:
    select_i = cast(keep_input, _dtypes.int32)
    return [dynamic_partition(x, select_i, num_partitions=2)[1] for x in tensor_list]


def _enqueue_fn(queue: QueueBase, enqueue_many: bool) -> Callable[[Any], Any]:
    return queue.enqueue_many if enqueue_many else queue.enqueue


def _enqueue_join(queue: QueueBase, tensor_list_list: list[list[Any]], enqueue_many: bool,
                  keep_input: Tensor) -> None:
    enqueue_fn = _enqueue_fn(queue, enqueue_many)
    if keep_input.shape.ndims == 1:
        enqueue_ops = [enqueue_fn(_select_which_to_enqueue(x, keep_input))
                       for x in tensor_list_list]
    else:
        enqueue_ops = [smart_cond(keep_input, functools.partial(enqueue_fn, tl), no_op)
                       for tl in tensor_list_list]
    add_queue_runner(QueueRunner(queue, enqueue_ops))


def _enqueue(queue: QueueBase, tensor_list: list[Any], threads: int, enqueue_many: bool,
             keep_input: Tensor) -> None:
    enqueue_fn = _enqueue_fn(queue, enqueue_many)
    if keep_input.shape.ndims == 1:
        enqueue_ops = [enqueue_fn(_select_which_to_enqueue(tensor_list, keep_input))] * threads
    else:
        enqueue_ops = [smart_cond(keep_input, lambda: enqueue_fn(tensor_list),
                                  no_op)] * threads
    add_queue_runner(QueueRunner(queue, enqueue_ops))


def _dequeue(queue: QueueBase, batch_size: Any, allow_smaller_final_batch: bool,
             name: str) -> Any:
    if allow_smaller_final_batch:
        return queue.dequeue_up_to(batch_size, name=name)
    return queue.dequeue_many(batch_size, name=name)


def _fraction_full(queue: QueueBase, capacity: int) -> None:
    summary_ops.scalar(f"fraction_of_{capacity}_full",
                       cast(queue.size(), _dtypes.float32) * (1. / capacity))


def _fraction_over(queue: QueueBase, capacity: int, min_after_dequeue: int) -> None:
    full = cast(math_ops.maximum(0, queue.size() - min_after_dequeue), _dtypes.float32) * (
        1. / (capacity - min_after_dequeue))
    summary_ops.scalar(f"fraction_over_{min_after_dequeue}_of_"
                       f"{capacity - min_after_dequeue}_full", full)


def _batch(tensors: Any, batch_size: Any, keep_input: Any, num_threads: int = 1,
           capacity: int = 32, enqueue_many: bool = False, shapes: Any = None,
           dynamic_pad: bool = False, allow_smaller_final_batch: bool = False,
           shared_name: str | None = None, name: str | None = None) -> Any:
    tensor_list = _as_tensor_list(tensors)
    with name_scope(name, "batch", [*list(tensor_list), keep_input]) as scope:
        tensor_list = _validate(tensor_list)
        keep = _validate_keep_input(keep_input, enqueue_many)
        types = _dtypes_of([tensor_list])
        shapes = _shapes_of([tensor_list], shapes, enqueue_many)
        queue_cls = PaddingFIFOQueue if dynamic_pad else FIFOQueue
        queue = queue_cls(capacity=capacity, dtypes=types, shapes=shapes,
                          shared_name=shared_name)
        _enqueue(queue, tensor_list, num_threads, enqueue_many, keep)
        _fraction_full(queue, capacity)
        dequeued = _dequeue(queue, batch_size, allow_smaller_final_batch, scope)
        return _as_original_type(tensors, dequeued)


def _batch_join(tensors_list: Any, batch_size: Any, keep_input: Any, capacity: int = 32,
                enqueue_many: bool = False, shapes: Any = None, dynamic_pad: bool = False,
                allow_smaller_final_batch: bool = False, shared_name: str | None = None,
                name: str | None = None) -> Any:
    tensor_list_list = _as_tensor_list_list(tensors_list)
    with name_scope(name, "batch_join", [*_flatten(tensor_list_list), keep_input]) as scope:
        lists = _validate_join(tensor_list_list)
        keep = _validate_keep_input(keep_input, enqueue_many)
        types = _dtypes_of(lists)
        shapes = _shapes_of(lists, shapes, enqueue_many)
        queue_cls = PaddingFIFOQueue if dynamic_pad else FIFOQueue
        queue = queue_cls(capacity=capacity, dtypes=types, shapes=shapes,
                          shared_name=shared_name)
        _enqueue_join(queue, lists, enqueue_many, keep)
        _fraction_full(queue, capacity)
        dequeued = _dequeue(queue, batch_size, allow_smaller_final_batch, scope)
        return _as_original_type(tensors_list[0], dequeued)


def _shuffle_batch(tensors: Any, batch_size: Any, capacity: int, min_after_dequeue: int,
                   keep_input: Any, num_threads: int = 1, seed: int | None = None,
                   enqueue_many: bool = False, shapes: Any = None,
                   allow_smaller_final_batch: bool = False, shared_name: str | None = None,
                   name: str | None = None) -> Any:
    tensor_list = _as_tensor_list(tensors)
    with name_scope(name, "shuffle_batch", [*list(tensor_list), keep_input]) as scope:
        if capacity <= min_after_dequeue:
            raise ValueError(f"capacity {capacity} must be bigger than min_after_dequeue "
                             f"{min_after_dequeue}.")
        tensor_list = _validate(tensor_list)
        keep = _validate_keep_input(keep_input, enqueue_many)
        types = _dtypes_of([tensor_list])
        shapes = _shapes_of([tensor_list], shapes, enqueue_many)
        queue = RandomShuffleQueue(capacity=capacity, min_after_dequeue=min_after_dequeue,
                                   seed=seed, dtypes=types, shapes=shapes,
                                   shared_name=shared_name)
        _enqueue(queue, tensor_list, num_threads, enqueue_many, keep)
        _fraction_over(queue, capacity, min_after_dequeue)
        dequeued = _dequeue(queue, batch_size, allow_smaller_final_batch, scope)
        return _as_original_type(tensors, dequeued)


def _shuffle_batch_join(tensors_list: Any, batch_size: Any, capacity: int,
                        min_after_dequeue: int, keep_input: Any, seed: int | None = None,
                        enqueue_many: bool = False, shapes: Any = None,
                        allow_smaller_final_batch: bool = False,
                        shared_name: str | None = None, name: str | None = None) -> Any:
    tensor_list_list = _as_tensor_list_list(tensors_list)
    with name_scope(name, "shuffle_batch_join",
                    [*_flatten(tensor_list_list), keep_input]) as scope:
        lists = _validate_join(tensor_list_list)
        keep = _validate_keep_input(keep_input, enqueue_many)
        types = _dtypes_of(lists)
        shapes = _shapes_of(lists, shapes, enqueue_many)
        queue = RandomShuffleQueue(capacity=capacity, min_after_dequeue=min_after_dequeue,
                                   seed=seed, dtypes=types, shapes=shapes,
                                   shared_name=shared_name)
        _enqueue_join(queue, lists, enqueue_many, keep)
        _fraction_over(queue, capacity, min_after_dequeue)
        dequeued = _dequeue(queue, batch_size, allow_smaller_final_batch, scope)
        return _as_original_type(tensors_list[0], dequeued)


def batch(tensors: Any, batch_size: Any, num_threads: int = 1, capacity: int = 32,
          enqueue_many: bool = False, shapes: Any = None, dynamic_pad: bool = False,
          allow_smaller_final_batch: bool = False, shared_name: str | None = None,
          name: str | None = None) -> Any:
    """Batches of ``batch_size`` of ``tensors`` (a list or dict), in order, from a queue
    ``num_threads`` threads fill; one tensor in gives one tensor out."""
    return _batch(tensors, batch_size, True, num_threads=num_threads, capacity=capacity,
                  enqueue_many=enqueue_many, shapes=shapes, dynamic_pad=dynamic_pad,
                  allow_smaller_final_batch=allow_smaller_final_batch,
                  shared_name=shared_name, name=name)


def maybe_batch(tensors: Any, keep_input: Any, batch_size: Any, num_threads: int = 1,
                capacity: int = 32, enqueue_many: bool = False, shapes: Any = None,
                dynamic_pad: bool = False, allow_smaller_final_batch: bool = False,
                shared_name: str | None = None, name: str | None = None) -> Any:
    """``batch`` of the elements for which ``keep_input`` holds."""
    return _batch(tensors, batch_size, keep_input, num_threads=num_threads,
                  capacity=capacity, enqueue_many=enqueue_many, shapes=shapes,
                  dynamic_pad=dynamic_pad, allow_smaller_final_batch=allow_smaller_final_batch,
                  shared_name=shared_name, name=name)


def batch_join(tensors_list: Any, batch_size: Any, capacity: int = 32,
               enqueue_many: bool = False, shapes: Any = None, dynamic_pad: bool = False,
               allow_smaller_final_batch: bool = False, shared_name: str | None = None,
               name: str | None = None) -> Any:
    """Batches from several lists of tensors, one enqueueing thread per list."""
    return _batch_join(tensors_list, batch_size, True, capacity=capacity,
                       enqueue_many=enqueue_many, shapes=shapes, dynamic_pad=dynamic_pad,
                       allow_smaller_final_batch=allow_smaller_final_batch,
                       shared_name=shared_name, name=name)


def maybe_batch_join(tensors_list: Any, keep_input: Any, batch_size: Any, capacity: int = 32,
                     enqueue_many: bool = False, shapes: Any = None, dynamic_pad: bool = False,
                     allow_smaller_final_batch: bool = False, shared_name: str | None = None,
                     name: str | None = None) -> Any:
    return _batch_join(tensors_list, batch_size, keep_input, capacity=capacity,
                       enqueue_many=enqueue_many, shapes=shapes, dynamic_pad=dynamic_pad,
                       allow_smaller_final_batch=allow_smaller_final_batch,
                       shared_name=shared_name, name=name)


def shuffle_batch(tensors: Any, batch_size: Any, capacity: int, min_after_dequeue: int,
                  num_threads: int = 1, seed: int | None = None, enqueue_many: bool = False,
                  shapes: Any = None, allow_smaller_final_batch: bool = False,
                  shared_name: str | None = None, name: str | None = None) -> Any:
    """Batches drawn at random from a RandomShuffleQueue that keeps ``min_after_dequeue``
    elements to mix."""
    return _shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, True,
                          num_threads=num_threads, seed=seed, enqueue_many=enqueue_many,
                          shapes=shapes, allow_smaller_final_batch=allow_smaller_final_batch,
                          shared_name=shared_name, name=name)


def maybe_shuffle_batch(tensors: Any, batch_size: Any, capacity: int, min_after_dequeue: int,
                        keep_input: Any, num_threads: int = 1, seed: int | None = None,
                        enqueue_many: bool = False, shapes: Any = None,
                        allow_smaller_final_batch: bool = False,
                        shared_name: str | None = None, name: str | None = None) -> Any:
    return _shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, keep_input,
                          num_threads=num_threads, seed=seed, enqueue_many=enqueue_many,
                          shapes=shapes, allow_smaller_final_batch=allow_smaller_final_batch,
                          shared_name=shared_name, name=name)


def shuffle_batch_join(tensors_list: Any, batch_size: Any, capacity: int,
                       min_after_dequeue: int, seed: int | None = None,
                       enqueue_many: bool = False, shapes: Any = None,
                       allow_smaller_final_batch: bool = False,
                       shared_name: str | None = None, name: str | None = None) -> Any:
    return _shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue, True,
                               seed=seed, enqueue_many=enqueue_many, shapes=shapes,
                               allow_smaller_final_batch=allow_smaller_final_batch,
                               shared_name=shared_name, name=name)


def maybe_shuffle_batch_join(tensors_list: Any, batch_size: Any, capacity: int,
                             min_after_dequeue: int, keep_input: Any, seed: int | None = None,
                             enqueue_many: bool = False, shapes: Any = None,
                             allow_smaller_final_batch: bool = False,
                             shared_name: str | None = None, name: str | None = None) -> Any:
    return _shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue,
                               keep_input, seed=seed, enqueue_many=enqueue_many, shapes=shapes,
                               allow_smaller_final_batch=allow_smaller_final_batch,
                               shared_name=shared_name, name=name)

