"""``tf.data.experimental`` (TF's data/experimental/ops/*.py): the transformation functions
``dataset.apply`` takes (map_and_batch, shuffle_and_repeat, parallel_interleave, scan...),
the experimental sources (Counter, RandomDataset, choose/sample_from_datasets) and device
placement, which on varstore's single CPU device changes nothing, as TF on one CPU."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant
from varstore.framework.ops import NotDifferentiable, register_kernel
from varstore.ops.dataset_base import (
    AUTOTUNE,
    INFINITE,
    UNKNOWN,
    Traced,
    int64_input,
    pack_as,
    register_dataset_kernels,
    seed_tensors,
)
from varstore.ops.dataset_functional import _dataset_fn, _LegacyInterleave, _Map
from varstore.ops.dataset_ops import Dataset, cardinality
from varstore.ops.dataset_sources import SourceMethods, choose_from_datasets
from varstore.ops.dataset_sources import sample_from_datasets as _sample
from varstore.ops.dataset_transforms import _Batch, _lead, _Repeat, _Shuffle

__all__ = [
    "AUTOTUNE",
    "INFINITE_CARDINALITY",
    "UNKNOWN_CARDINALITY",
    "Counter",
    "RandomDataset",
    "Reducer",
    "assert_cardinality",
    "bucket_by_sequence_length",
    "cardinality",
    "choose_from_datasets",
    "copy_to_device",
    "enumerate_dataset",
    "from_list",
    "get_single_element",
    "get_structure",
    "group_by_reducer",
    "group_by_window",
    "ignore_errors",
    "map_and_batch",
    "parallel_interleave",
    "prefetch_to_device",
    "sample_from_datasets",
    "scan",
    "shuffle_and_repeat",
    "take_while",
    "unbatch",
    "unique",
]

INFINITE_CARDINALITY = INFINITE
UNKNOWN_CARDINALITY = UNKNOWN
Transformation = Callable[[Dataset], Dataset]


def Counter(start: Any = 0, step: Any = 1, dtype: Any = _dtypes.int64) -> Dataset:
    return SourceMethods.counter(start, step, dtype)


def RandomDataset(seed: int | None = None) -> Dataset:
    return SourceMethods.random(seed)


def sample_from_datasets(datasets: Any, weights: Any = None, seed: int | None = None,
                         stop_on_empty_dataset: bool = False) -> Dataset:
    return _sample(datasets, weights, seed, stop_on_empty_dataset)


def get_structure(dataset_or_iterator: Any) -> Any:
    """``tf.data.experimental.get_structure``: the element_spec of a dataset or iterator."""
    try:
        return dataset_or_iterator.element_spec
    except AttributeError:
        raise TypeError("Invalid `dataset_or_iterator`. `dataset_or_iterator` must be a "
                        "`tf.data.Dataset` or tf.data.Iterator object, but got "
                        f"{type(dataset_or_iterator)}.") from None


def get_single_element(dataset: Dataset) -> Any:
    if not isinstance(dataset, Dataset):
        raise TypeError(f"Invalid `dataset`. Expected a `tf.data.Dataset` object but got "
                        f"{type(dataset)}.")
    return dataset.get_single_element()


def _apply(name: str, *args: Any, **kwargs: Any) -> Transformation:
    return lambda ds: getattr(ds, name)(*args, **kwargs)


def assert_cardinality(expected_cardinality: Any) -> Transformation:
    return _apply("assert_cardinality", expected_cardinality)


def enumerate_dataset(start: Any = 0) -> Transformation:
    return _apply("enumerate", start)


def ignore_errors(log_warning: bool = False) -> Transformation:
    return _apply("ignore_errors", log_warning)


def unbatch() -> Transformation:
    return _apply("unbatch")


def unique() -> Transformation:
    return _apply("unique")


def take_while(predicate: Callable[..., Any]) -> Transformation:
    return _apply("take_while", predicate)


def scan(initial_state: Any, scan_func: Callable[..., Any]) -> Transformation:
    return _apply("scan", initial_state, scan_func)


def group_by_window(key_func: Callable[..., Any], reduce_func: Callable[..., Any],
                    window_size: Any = None, window_size_func: Any = None) -> Transformation:
    return _apply("group_by_window", key_func, reduce_func, window_size, window_size_func)


def bucket_by_sequence_length(element_length_func: Callable[..., Any], bucket_boundaries: Any,
                              bucket_batch_sizes: Any, padded_shapes: Any = None,
                              padding_values: Any = None, pad_to_bucket_boundary: bool = False,
                              no_padding: bool = False,
                              drop_remainder: bool = False) -> Transformation:
    return _apply("bucket_by_sequence_length", element_length_func, bucket_boundaries,
                  bucket_batch_sizes, padded_shapes, padding_values, pad_to_bucket_boundary,
                  no_padding, drop_remainder)


def map_and_batch(map_func: Callable[..., Any], batch_size: Any,
                  num_parallel_batches: Any = None, drop_remainder: bool = False,
                  num_parallel_calls: Any = None) -> Transformation:
    """MapAndBatchDataset: map then batch, one op (the elements of map(...).batch(...))."""
    if num_parallel_batches is not None and num_parallel_calls is not None:
        raise ValueError("`map_and_batch` allows only one of `num_parallel_batches` and "
                         "`num_parallel_calls` to be set, but `num_parallel_batches` was set "
                         f"to {num_parallel_batches} and `num_parallel_calls` as set to "
                         f"{num_parallel_calls}.")

    def apply(ds: Dataset) -> Dataset:
        from varstore.framework.tensor_shape import TensorShape
        from varstore.ops.dataset_base import _Spec, flatten
        fn = Traced(map_func, ds._structure, "map_and_batch")
        bs = int64_input(batch_size, "batch_size")
        calls = (num_parallel_calls if num_parallel_calls is not None else
                 int(batch_size) * (1 if num_parallel_batches is None else
                                    int(num_parallel_batches)) if isinstance(batch_size, int)
                 else 1)
        n = int64_input(calls, "num_parallel_calls")
        dr = constant(drop_remainder, dtype=_dtypes.bool, name="drop_remainder")
        lead = _lead(batch_size, drop_remainder)
        structure = pack_as(fn.structure, [_Spec(s.dtype, TensorShape([lead]).concatenate(
            s.shape)) for s in flatten(fn.structure)])
        return ds._derive_fn("MapAndBatchDataset", [bs, n, dr], [fn],
                             lambda src, b, _n, d, runs: _Batch(_Map(src, runs[0]), int(b),
                                                                bool(d)),
                             structure, {"preserve_cardinality": True})

    return apply


def map_and_batch_with_legacy_function(map_func: Callable[..., Any], batch_size: Any,
                                       num_parallel_batches: Any = None,
                                       drop_remainder: bool = False,
                                       num_parallel_calls: Any = None) -> Transformation:
    """As map_and_batch (TF's legacy Defun tracing gives the same elements)."""
    return map_and_batch(map_func, batch_size, num_parallel_batches, drop_remainder,
                         num_parallel_calls)


def shuffle_and_repeat(buffer_size: Any, count: Any = None,
                       seed: int | None = None) -> Transformation:
    """ShuffleAndRepeatDataset: the elements of shuffle(buffer_size, seed).repeat(count)
    (each epoch reshuffled from the seed generator, TF's order)."""

    def apply(ds: Dataset) -> Dataset:
        bs = int64_input(buffer_size, "buffer_size")
        c = int64_input(-1 if count is None else count, "count")
        s1, s2, _ = seed_tensors(seed)
        return ds._derive("ShuffleAndRepeatDataset", [bs, s1, s2, c],
                          lambda src, b, a, d, n: _Repeat(
                              _Shuffle(src, int(b), int(a), int(d), True), int(n)),
                          ds._structure, {"reshuffle_each_iteration": True})

    return apply


def parallel_interleave(map_func: Callable[..., Any], cycle_length: Any,
                        block_length: Any = 1, sloppy: bool | None = False,
                        buffer_output_elements: Any = None,
                        prefetch_input_elements: Any = None) -> Transformation:
    """LegacyParallelInterleaveDatasetV2; with ``sloppy`` False the interleave order of
    Dataset.interleave."""

    def apply(ds: Dataset) -> Dataset:
        fn = _dataset_fn(map_func, ds._structure, "parallel_interleave")
        cl = int64_input(cycle_length, "cycle_length")
        bl = int64_input(block_length, "block_length")
        bo = int64_input(AUTOTUNE if buffer_output_elements is None else
                         buffer_output_elements, "buffer_output_elements")
        pi = int64_input(AUTOTUNE if prefetch_input_elements is None else
                         prefetch_input_elements, "prefetch_input_elements")
        return ds._derive_fn("LegacyParallelInterleaveDatasetV2", [cl, bl, bo, pi], [fn],
                             lambda src, c, b, _o, _p, runs: _LegacyInterleave(
                                 src, runs[0], int(c), int(b)),
                             fn.structure, {"deterministic": "default" if sloppy is None else (
                                 "false" if sloppy else "true")})

    return apply


def prefetch_to_device(device: str, buffer_size: Any = None) -> Transformation:
    """On varstore's one CPU device: a prefetch (TF adds a copy to the device first, which
    changes no element)."""
    return lambda ds: ds.prefetch(AUTOTUNE if buffer_size is None else buffer_size)


def copy_to_device(target_device: str, source_device: str = "/cpu:0") -> Transformation:
    """On varstore's one CPU device the copy is the dataset itself."""
    return lambda ds: ds


register_dataset_kernels("MapAndBatchDataset", "ShuffleAndRepeatDataset",
                         "LegacyParallelInterleaveDatasetV2")


def from_list(elements: Any, name: str | None = None) -> Dataset:
    """ListDataset: one element per list item, each normalized apart (TF's from_list_op)."""
    from varstore.ops.dataset_base import _Spec, flatten, make_dataset, normalize_element
    if not isinstance(elements, list):
        raise TypeError("Invalid `elements`. `elements` must be a list of elements.")
    if not elements:
        raise ValueError("Invalid `elements`. `elements` should not be empty.")
    items = [normalize_element(e) for e in elements]
    flats = [flatten(i) for i in items]
    n = len(flats[0])
    for f in flats:
        if len(f) != n or any(a.dtype != b.dtype for a, b in zip(f, flats[0])):
            raise ValueError("Invalid `elements`. All elements must have the same structure "
                             "and types.")
    specs = []
    for c in range(n):
        shape = flats[0][c].get_shape()
        for f in flats[1:]:
            shape = shape.most_specific_compatible_shape(f[c].get_shape())
        specs.append(_Spec(flats[0][c].dtype, shape))
    structure = pack_as(items[0], specs)
    inputs = [t for f in flats for t in f]
    return make_dataset("ListDataset", inputs, lambda *arrays: _List(arrays, n), structure,
                        {"Tinput_types": [t.dtype for t in inputs]}, name=None)


class _List:
    def __init__(self, arrays: tuple[Any, ...], n: int) -> None:
        import numpy as np
        self.rows = [tuple(np.asarray(a) for a in arrays[i:i + n])
                     for i in range(0, len(arrays), n)]

    def cardinality(self) -> int:
        return len(self.rows)

    def iterate(self) -> Any:
        yield from self.rows


class Reducer:
    """``tf.data.experimental.Reducer``: a group's initial state from its key, the state
    updated by each element, finalized at the end."""

    def __init__(self, init_func: Callable[..., Any], reduce_func: Callable[..., Any],
                 finalize_func: Callable[..., Any]) -> None:
        self._init_func, self._reduce_func = init_func, reduce_func
        self._finalize_func = finalize_func

    @property
    def init_func(self) -> Callable[..., Any]:
        return self._init_func

    @property
    def reduce_func(self) -> Callable[..., Any]:
        return self._reduce_func

    @property
    def finalize_func(self) -> Callable[..., Any]:
        return self._finalize_func


def group_by_reducer(key_func: Callable[..., Any], reducer: Reducer) -> Transformation:
    """GroupByReducerDataset: one finalized state per key at the end of the input, smallest
    key first."""
    from varstore.ops.dataset_base import _Spec, flatten
    from varstore.ops.dataset_functional import _relaxed

    def apply(ds: Dataset) -> Dataset:
        key = Traced(key_func, ds._structure, "group_by_reducer")
        ks = flatten(key.structure)
        if key.dataset or len(ks) != 1 or ks[0].dtype != _dtypes.int64:
            raise ValueError("Invalid `key_func`. Expected `key_func` to return a scalar "
                             f"tf.int64 tensor, but instead `key_func` has output types="
                             f"{pack_as(key.structure, [s.dtype for s in ks])} and shapes="
                             f"{pack_as(key.structure, [s.shape for s in ks])}.")
        key_spec = _Spec(_dtypes.int64, [])
        init = Traced(reducer.init_func, key_spec, "group_by_reducer")
        state = init.structure
        red = Traced(reducer.reduce_func, (state, ds._structure), "group_by_reducer")
        relaxed = _relaxed(state, red.structure, "reduce_func")
        if any(a.shape != b.shape for a, b in zip(flatten(relaxed), flatten(state))):
            red = Traced(reducer.reduce_func, (relaxed, ds._structure), "group_by_reducer")
        fin = Traced(reducer.finalize_func, relaxed, "group_by_reducer")
        return ds._derive_fn("GroupByReducerDataset", [], [key, init, red, fin],
                             lambda src, runs: _GroupByReducer(src, *runs), fin.structure,
                             arg_attrs=("Tkey_func_other_arguments",
                                        "Tinit_func_other_arguments",
                                        "Treduce_func_other_arguments",
                                        "Tfinalize_func_other_arguments"))

    return apply


class _GroupByReducer:
    def __init__(self, src: Any, key: Any, init: Any, reduce: Any, finalize: Any) -> None:
        self.src, self.key, self.init, self.reduce, self.finalize = (src, key, init, reduce,
                                                                     finalize)

    def iterate(self) -> Any:
        import numpy as np
        states: dict[int, tuple[Any, ...]] = {}
        for e in self.src.iterate():
            k = int(self.key(e)[0])
            if k not in states:
                states[k] = self.init((np.asarray(k, np.int64),))
            states[k] = self.reduce((*states[k], *e))
        for k in sorted(states):  # TF's std::map order
            yield self.finalize(states[k])


register_dataset_kernels("ListDataset", "GroupByReducerDataset")


SHARD_HINT = -1  # tf.data.experimental.SHARD_HINT: a shard count filled in by auto-sharding


class TFRecordWriter:
    """``tf.data.experimental.TFRecordWriter``: ``write(dataset)`` is a DatasetToTFRecord op
    writing the dataset's scalar strings as one TFRecord file (overwritten), TF's bytes."""

    def __init__(self, filename: Any, compression_type: Any = None) -> None:
        from varstore.framework.constant_op import convert_to_tensor
        self._filename = convert_to_tensor(filename, _dtypes.string, name="filename")
        self._compression_type = convert_to_tensor(
            "" if compression_type is None else compression_type, _dtypes.string,
            name="compression_type")

    def write(self, dataset: Any) -> Any:
        from varstore.framework.graph import get_default_graph
        from varstore.framework.ops import make_op
        if not isinstance(dataset, Dataset):
            raise TypeError(f"Invalid `dataset.` Expected a `tf.data.Dataset` object but got "
                            f"{type(dataset)}.")
        specs = dataset._specs()
        if len(specs) != 1 or specs[0].dtype != _dtypes.string or not specs[0].shape.\
                is_compatible_with([]):
            raise TypeError("Invalid `dataset`. Expected a`dataset` that produces scalar "
                            "`tf.string` elements, but got a dataset which produces elements "
                            f"with shapes {dataset.output_shapes} and types "
                            f"{dataset.output_types}.")
        graph = get_default_graph()
        full = graph._op_name(None, "DatasetToTFRecord")
        return make_op(graph, full, "DatasetToTFRecord",
                       [dataset._variant_tensor, self._filename, self._compression_type], {},
                       [])


@register_kernel("DatasetToTFRecord", stateful=True)
def _to_tfrecord_kernel(op: Any) -> Callable[..., Any]:
    import numpy as np

    from varstore.io import tf_record
    from varstore.ops.readers import _kind

    def kernel(src: Any, filename: Any, compression: Any) -> None:
        name = tf_record.as_bytes(np.asarray(filename).reshape(()).item()).decode()
        with tf_record.TFRecordWriter(name, tf_record.TFRecordOptions(
                compression_type=_kind(compression) or None)) as w:
            for (record,) in src.iterate():
                w.write(np.asarray(record).reshape(()).item())

    return kernel


NotDifferentiable("DatasetToTFRecord")
