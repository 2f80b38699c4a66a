"""``tf.data.Dataset``'s transformations by traced functions (TF's map_op.py, filter_op.py,
flat_map_op.py, interleave_op.py, scan_op.py, take_while_op.py, unique_op.py,
group_by_window_op.py, Dataset.reduce / bucket_by_sequence_length, get_single_element) and
the Python sources their kernels make."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError, OpError
from varstore.framework.graph import get_default_graph
from varstore.framework.ops import NotDifferentiable, make_op, register_kernel
from varstore.framework.tensor_shape import TensorShape
from varstore.framework.type_spec import TensorSpec
from varstore.ops.dataset_base import (
    AUTOTUNE,
    DatasetBase,
    Traced,
    _Spec,
    dataset_arg,
    flatten,
    int64_input,
    normalize_element,
    pack_as,
    register_dataset_kernels,
    specs_of,
)

if TYPE_CHECKING:
    from varstore.ops.dataset_ops import Dataset

__all__: list[str] = []


def _relaxed(state: Any, new: Any, what: str) -> Any:
    """scan/reduce's state specs: new state must keep the dtypes; shapes are relaxed to
    what both agree on (TF retraces with the relaxed shapes)."""
    a, b = flatten(state), flatten(new)
    if len(a) != len(b):
        raise TypeError(f"The element structure of the new state of `{what}` must match "
                        f"the initial state's: {len(b)} vs {len(a)} components.")
    for x, y in zip(a, b):
        if x.dtype != y.dtype:
            raise TypeError(f"The element types for the new state must match the initial "
                            f"state. Expected {pack_as(state, [s.dtype for s in a])}; got "
                            f"{pack_as(state, [s.dtype for s in b])}.")
    return pack_as(state, [_Spec(x.dtype, x.shape.most_specific_compatible_shape(y.shape))
                           for x, y in zip(a, b)])


def _cycle(cycle_length: Any) -> Any:
    return AUTOTUNE if cycle_length is None else cycle_length


class FunctionalMethods(DatasetBase):
    def map(self, map_func: Callable[..., Any], num_parallel_calls: Any = None,
            deterministic: Any = None, name: str | None = None) -> Dataset:
        fn = Traced(map_func, self._structure, "map")
        # TF1's map (map_op._map_v1) does not preserve cardinality: a mapped dataset's
        # cardinality is unknown
        attrs: dict[str, Any] = {"use_inter_op_parallelism": True,
                                 "preserve_cardinality": False}
        if num_parallel_calls is None:
            return self._derive_fn("MapDataset", [], [fn],
                                   lambda src, runs: _Map(src, runs[0]), fn.structure, attrs)
        n = int64_input(num_parallel_calls, "num_parallel_calls")
        attrs["deterministic"] = "default" if deterministic is None else (
            "true" if deterministic else "false")
        return self._derive_fn("ParallelMapDatasetV2", [n], [fn],
                               lambda src, k, runs: _Map(src, runs[0]), fn.structure, attrs)

    def filter(self, predicate: Callable[..., Any], name: str | None = None) -> Dataset:
        fn = Traced(predicate, self._structure, "filter")
        specs = flatten(fn.structure)
        if fn.dataset or len(specs) != 1 or specs[0].dtype != _dtypes.bool or \
                specs[0].shape.ndims not in (0, None):
            raise ValueError("Invalid `predicate`. `predicate` must return a `tf.bool` scalar "
                             "tensor, but its return type is "
                             f"{pack_as(fn.structure, [s.dtype for s in specs])}.")
        return self._derive_fn("FilterDataset", [], [fn],
                               lambda src, runs: _Filter(src, runs[0]), self._structure)

    def flat_map(self, map_func: Callable[..., Any], name: str | None = None) -> Dataset:
        fn = _dataset_fn(map_func, self._structure, "flat_map")
        return self._derive_fn("FlatMapDataset", [], [fn],
                               lambda src, runs: _Interleave(src, runs[0], 1, 1), fn.structure)

    def interleave(self, map_func: Callable[..., Any], cycle_length: Any = None,
                   block_length: Any = None, num_parallel_calls: Any = None,
                   deterministic: Any = None, name: str | None = None) -> Dataset:
        """TF's deterministic interleave order (InterleaveDatasetOp), with or without
        ``num_parallel_calls`` (the parallel op yields the same order unless
        ``deterministic=False``); cycle_length None / AUTOTUNE means one per CPU."""
        fn = _dataset_fn(map_func, self._structure, "interleave")
        cl = int64_input(_cycle(cycle_length), "cycle_length")
        bl = int64_input(1 if block_length is None else block_length, "block_length")
        if num_parallel_calls is None:
            return self._derive_fn("InterleaveDataset", [cl, bl], [fn],
                                   lambda src, c, b, runs: _Interleave(src, runs[0], int(c),
                                                                       int(b)), fn.structure)
        bo = int64_input(AUTOTUNE, "buffer_output_elements")
        pi = int64_input(AUTOTUNE, "prefetch_input_elements")
        n = int64_input(num_parallel_calls, "num_parallel_calls")
        return self._derive_fn("ParallelInterleaveDatasetV4", [cl, bl, bo, pi, n], [fn],
                               lambda src, c, b, _o, _p, _n, runs: _Interleave(
                                   src, runs[0], int(c), int(b)),
                               fn.structure, {"deterministic": "default" if deterministic is None
                                              else ("true" if deterministic else "false")})

    def scan(self, initial_state: Any, scan_func: Callable[..., Any],
             name: str | None = None) -> Dataset:
        state = normalize_element(initial_state)
        state_specs = specs_of(state)
        fn = Traced(scan_func, (state_specs, self._structure), "scan")
        out = fn.structure
        if not isinstance(out, tuple) or len(out) != 2:
            raise TypeError("Invalid `scan_func`. `scan_func` should return a pair consisting "
                            "of new state and the output value but its return type is "
                            f"{out}.")
        relaxed = _relaxed(state_specs, out[0], "scan_func")
        if any(a.shape != b.shape for a, b in zip(flatten(relaxed), flatten(state_specs))):
            fn = Traced(scan_func, (relaxed, self._structure), "scan")
            out = fn.structure
        n_state = len(flatten(state))
        return self._derive_fn("ScanDataset", flatten(state), [fn],
                               lambda src, *init, runs: _Scan(src, runs[0], init, n_state),
                               out[1], {"preserve_cardinality": True,
                                        "use_default_device": True,
                                        "Tstate": [s.dtype for s in flatten(state_specs)]})

    def take_while(self, predicate: Callable[..., Any], name: str | None = None) -> Dataset:
        fn = Traced(predicate, self._structure, "take_while")
        specs = flatten(fn.structure)
        if fn.dataset or len(specs) != 1 or specs[0].dtype != _dtypes.bool or \
                specs[0].shape.ndims not in (0, None):
            raise ValueError("Invalid `predicate`. `predicate` must return a `tf.bool` scalar "
                             "tensor, but its return type is "
                             f"{pack_as(fn.structure, [s.dtype for s in specs])}.")
        return self._derive_fn("TakeWhileDataset", [], [fn],
                               lambda src, runs: _TakeWhile(src, runs[0]), self._structure)

    def unique(self, name: str | None = None) -> Dataset:
        specs = self._specs()
        if len(specs) != 1 or specs[0].dtype not in (_dtypes.int32, _dtypes.int64,
                                                     _dtypes.string):
            raise TypeError("`tf.data.Dataset.unique` does not support type "
                            f"{self.output_types} -- only `tf.int32`, `tf.int64` or "
                            "`tf.string` are supported.")
        return self._derive("UniqueDataset", [], lambda src: _Unique(src), self._structure)

    def reduce(self, initial_state: Any, reduce_func: Callable[..., Any],
               name: str | None = None) -> Any:
        """ReduceDataset: the final state, as tensors of this graph."""
        state = normalize_element(initial_state)
        state_specs = specs_of(state)
        fn = Traced(reduce_func, (state_specs, self._structure), "reduce")
        relaxed = _relaxed(state_specs, fn.structure, "reduce_func")
        if any(a.shape != b.shape for a, b in zip(flatten(relaxed), flatten(state_specs))):
            fn = Traced(reduce_func, (relaxed, self._structure), "reduce")
        specs = flatten(relaxed)
        graph = get_default_graph()
        full = graph._op_name(name, "ReduceDataset")
        op = make_op(graph, full, "ReduceDataset",
                     [self._variant_tensor, *flatten(state), *fn.captures],
                     {"output_types": [s.dtype for s in specs],
                      "output_shapes": [s.shape for s in specs],
                      "use_inter_op_parallelism": True,
                      "Tstate": [s.dtype for s in specs],
                      "Targuments": [t.dtype for t in fn.captures]},
                     [(s.dtype, _static(s.shape)) for s in specs],
                     data=(fn, len(specs)))
        return pack_as(relaxed, list(op._outputs))

    def get_single_element(self, name: str | None = None) -> Any:
        specs = self._specs()
        graph = get_default_graph()
        full = graph._op_name(name, "DatasetToSingleElement")
        op = make_op(graph, full, "DatasetToSingleElement", [self._variant_tensor],
                     {"output_types": [s.dtype for s in specs],
                      "output_shapes": [s.shape for s in specs]},
                     [(s.dtype, _static(s.shape)) for s in specs])
        return pack_as(self._structure, list(op._outputs))

    def group_by_window(self, key_func: Callable[..., Any], reduce_func: Callable[..., Any],
                        window_size: Any = None, window_size_func: Any = None,
                        name: str | None = None) -> Dataset:
        if window_size is not None:
            if window_size_func is not None:
                raise ValueError("Either the `window_size` argument or the "
                                 "`window_size_func` argument must be specified.")
            size = window_size

            def window_size_func(_key: Any) -> Any:
                from varstore.framework.constant_op import convert_to_tensor
                return convert_to_tensor(size, dtype=_dtypes.int64)
        elif window_size_func is None:
            raise ValueError("Either the `window_size` argument or the `window_size_func` "
                             "argument must be specified.")
        key = Traced(key_func, self._structure, "group_by_window")
        ks = flatten(key.structure)
        if key.dataset or len(ks) != 1 or ks[0].dtype != _dtypes.int64:
            raise ValueError("Invalid `key_func`. `key_func` must return a single tf.int64 "
                             "tensor. ")
        key_spec = _Spec(_dtypes.int64, [])
        size_fn = Traced(window_size_func, key_spec, "group_by_window")
        red = Traced(reduce_func, (key_spec, dataset_arg(self._structure)), "group_by_window")
        if not red.dataset:
            raise TypeError("Invalid `reduce_func`. `reduce_func` must return a single "
                            "`tf.data.Dataset` object.")
        return self._derive_fn("GroupByWindowDataset", [], [key, red, size_fn],
                               lambda src, runs: _GroupByWindow(src, runs[0], runs[2],
                                                                runs[1]),
                               red.structure, arg_attrs=("Tkey_func_other_arguments",
                                                         "Treduce_func_other_arguments",
                                                         "Twindow_size_func_other_arguments"))

    def bucket_by_sequence_length(self, element_length_func: Callable[..., Any],
                                  bucket_boundaries: Any, bucket_batch_sizes: Any,
                                  padded_shapes: Any = None, padding_values: Any = None,
                                  pad_to_bucket_boundary: bool = False,
                                  no_padding: bool = False, drop_remainder: bool = False,
                                  name: str | None = None) -> Dataset:
        """TF's composite: group_by_window keyed by the length's bucket, each window a
        (padded) batch of its bucket's batch size."""
        from varstore.framework.constant_op import constant
        from varstore.ops import math_ops
        from varstore.ops.array_slicing_ops import gather
        from varstore.ops.array_transform_ops import where
        from varstore.ops.math_reduce_ops import reduce_min
        if len(bucket_batch_sizes) != len(bucket_boundaries) + 1:
            raise ValueError(f"`len(bucket_batch_sizes)` must equal `len(bucket_boundaries) "
                             f"+ 1` but `len(bucket_batch_sizes)={len(bucket_batch_sizes)}` "
                             f"and `len(bucket_boundaries)={len(bucket_boundaries)}`.")
        if pad_to_bucket_boundary:
            raise NotImplementedError("varstore lacks bucket_by_sequence_length("
                                      "pad_to_bucket_boundary=True)")
        sizes = [int(b) for b in bucket_batch_sizes]
        batch_sizes_value = np.asarray(sizes, np.int64)
        constant(batch_sizes_value, dtype=_dtypes.int64)  # TF's outer `batch_sizes` Const

        def element_to_bucket_id(*args: Any) -> Any:
            seq_length = element_length_func(*args)
            boundaries = list(bucket_boundaries)
            buckets_min = [np.iinfo(np.int32).min, *boundaries]
            buckets_max = [*boundaries, np.iinfo(np.int32).max]
            conditions = math_ops.logical_and(math_ops.less_equal(buckets_min, seq_length),
                                              math_ops.less(seq_length, buckets_max))
            return reduce_min(where(conditions))

        def window_size_fn(bucket_id: Any) -> Any:
            return gather(constant(batch_sizes_value), bucket_id)

        def batching_fn(bucket_id: Any, grouped: Any) -> Any:
            batch_size = window_size_fn(bucket_id)
            if no_padding:
                return grouped.batch(batch_size, drop_remainder=drop_remainder)
            shapes = padded_shapes if padded_shapes is not None else pack_as(
                grouped._structure, [TensorShape([None if d is None else d for d in (
                    s.shape.as_list() if s.shape.ndims is not None else [])])
                    for s in grouped._specs()])
            return grouped.padded_batch(batch_size, shapes, padding_values,
                                        drop_remainder=drop_remainder)

        return self.group_by_window(element_to_bucket_id, batching_fn,
                                    window_size_func=window_size_fn)


def _static(shape: TensorShape) -> Any:
    return tuple(shape.as_list()) if shape.ndims is not None else None


def _dataset_fn(func: Callable[..., Any], structure: Any, what: str) -> Traced:
    fn = Traced(func, structure, what)
    if not fn.dataset:
        raise TypeError(f"The `map_func` argument must return a `Dataset` object. Got "
                        f"{_type_name(fn.structure)}.")
    return fn


def _type_name(structure: Any) -> str:
    return "Tensor" if isinstance(structure, TensorSpec) else type(structure).__name__


register_dataset_kernels("MapDataset", "ParallelMapDatasetV2", "FilterDataset",
                         "InterleaveDataset", "ParallelInterleaveDatasetV4", "ScanDataset",
                         "TakeWhileDataset", "UniqueDataset", "GroupByWindowDataset")


NotDifferentiable("ReduceDataset")  # as TF


@register_kernel("ReduceDataset", stateful=True)
def _reduce_kernel(op: Any) -> Callable[..., Any]:
    fn, n = op._data
    k = len(fn.captures)

    def kernel(src: Any, *args: Any) -> Any:
        init, values = (args[:len(args) - k], args[len(args) - k:]) if k else (args, ())
        run = fn.bind(tuple(values))
        state = tuple(np.asarray(v) for v in init)
        for e in src.iterate():
            state = tuple(np.asarray(v) for v in run((*state, *e)))
        return state if n != 1 else state[0]

    return kernel


@register_kernel("DatasetToSingleElement", stateful=True)
def _single_kernel(op: Any) -> Callable[..., Any]:
    def kernel(src: Any) -> Any:
        it = src.iterate()
        first = next(it, None)
        if first is None:
            raise InvalidArgumentError(None, op, "Dataset was empty.")
        if next(it, None) is not None:
            raise InvalidArgumentError(None, op, "Dataset had more than one element.")
        return first if len(first) != 1 else first[0]

    return kernel


# -- sources --------------------------------------------------------------------------------
class _Map:
    def __init__(self, src: Any, fn: Callable[..., Any]) -> None:
        self.src, self.fn = src, fn

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        for e in self.src.iterate():
            yield self.fn(e)

    def iterate_skipping_errors(self) -> Iterator[tuple[Any, ...]]:
        # ignore_errors: an element whose function fails is dropped, the next one made
        for e in self.src.iterate():
            try:
                out = self.fn(e)
            except (OpError, ValueError):
                continue
            yield out


class _Filter:
    def __init__(self, src: Any, fn: Callable[..., Any]) -> None:
        self.src, self.fn = src, fn

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        for e in self.src.iterate():
            if bool(self.fn(e)[0]):
                yield e


class _Interleave:
    """TF's deterministic interleave (InterleaveDatasetOp): ``cycle`` open elements visited
    in turn, ``block`` outputs from each; an empty slot opens the next input element's
    dataset at once, a dataset that ends frees its slot and the turn moves on."""

    def __init__(self, src: Any, fn: Callable[..., Any], cycle: int, block: int) -> None:
        if cycle == AUTOTUNE:
            cycle = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
                os.cpu_count() or 1)
        if cycle <= 0:
            raise InvalidArgumentError(None, None, "cycle_length must be greater than zero.")
        if block <= 0:
            raise InvalidArgumentError(None, None, "block_length must be greater than zero.")
        self.src, self.fn, self.cycle, self.block = src, fn, cycle, block

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        inputs = self.src.iterate()
        slots: list[Iterator[tuple[Any, ...]] | None] = [None] * self.cycle
        index = block_index = live = 0
        end_of_input = False
        while not end_of_input or live > 0:
            it = slots[index]
            if it is not None:
                value = next(it, None)
                if value is not None:
                    block_index += 1
                    if block_index == self.block:
                        index, block_index = (index + 1) % self.cycle, 0
                    yield value
                    continue
                slots[index] = None
                live -= 1
                index, block_index = (index + 1) % self.cycle, 0
            elif not end_of_input:
                e = next(inputs, None)
                if e is None:
                    end_of_input = True
                else:
                    (inner,) = self.fn(e)
                    slots[index] = inner.iterate()
                    live += 1
            else:
                index, block_index = (index + 1) % self.cycle, 0


class _LegacyInterleave(_Interleave):
    """LegacyParallelInterleaveDatasetV2's deterministic order: as interleave, except that a
    slot whose element ends keeps the turn's block count when no input is left to refill it
    (the turn goes on to the next slot mid-block), and a refilled slot passes the turn."""

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        inputs = self.src.iterate()
        slots: list[Iterator[tuple[Any, ...]] | None] = []
        for _ in range(self.cycle):
            e = next(inputs, None)
            if e is None:
                break
            slots.append(self.fn(e)[0].iterate())
        slots += [None] * (self.cycle - len(slots))
        index = block_count = 0
        while any(it is not None for it in slots):
            it = slots[index]
            if it is None:
                index = (index + 1) % self.cycle
                continue
            value = next(it, None)
            if value is not None:
                block_count += 1
                if block_count == self.block:
                    index, block_count = (index + 1) % self.cycle, 0
                yield value
                continue
            e = next(inputs, None)
            if e is None:
                slots[index] = None
            else:
                slots[index] = self.fn(e)[0].iterate()
                block_count = 0
            index = (index + 1) % self.cycle


class _Scan:
    def __init__(self, src: Any, fn: Callable[..., Any], init: tuple[Any, ...],
                 n_state: int) -> None:
        self.src, self.fn, self.init, self.n = src, fn, init, n_state

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        state = tuple(np.asarray(v) for v in self.init)
        for e in self.src.iterate():
            out = self.fn((*state, *e))
            state = tuple(np.asarray(v) for v in out[:self.n])
            yield tuple(out[self.n:])


class _TakeWhile:
    def __init__(self, src: Any, fn: Callable[..., Any]) -> None:
        self.src, self.fn = src, fn

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        for e in self.src.iterate():
            if not bool(self.fn(e)[0]):
                return
            yield e


class _Unique:
    def __init__(self, src: Any) -> None:
        self.src = src

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        seen: set[Any] = set()
        for e in self.src.iterate():
            v = e[0]
            k = v.item() if v.ndim == 0 else (v.shape, v.tobytes())
            if k not in seen:
                seen.add(k)
                yield e


class _Window:
    """The dataset of one group_by_window window (its elements, in order)."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows

    def cardinality(self) -> int:
        return len(self.rows)

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        yield from self.rows


class _GroupByWindow:
    """GroupByWindowDataset: elements gathered per key; a group that reaches its window size
    (fixed when the key is first seen) is reduced and emitted at once; at the end the
    groups left are reduced smallest key first (TF's std::map order)."""

    def __init__(self, src: Any, key: Callable[..., Any], size: Callable[..., Any],
                 reduce: Callable[..., Any]) -> None:
        self.src, self.key, self.size, self.reduce = src, key, size, reduce

    def _flush(self, k: int, rows: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        (ds,) = self.reduce((np.asarray(k, np.int64), _Window(rows)))
        yield from ds.iterate()

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        groups: dict[int, list[tuple[Any, ...]]] = {}
        sizes: dict[int, int] = {}
        for e in self.src.iterate():
            k = int(self.key(e)[0])
            if k not in groups:
                n = int(self.size((np.asarray(k, np.int64),))[0])
                if n <= 0:
                    raise InvalidArgumentError(None, None, f"Window size must be greater "
                                               f"than zero, but got {n}.")
                sizes[k], groups[k] = n, []
            groups[k].append(e)
            if len(groups[k]) == sizes[k]:
                yield from self._flush(k, groups.pop(k))
        for k in sorted(groups):
            yield from self._flush(k, groups[k])


