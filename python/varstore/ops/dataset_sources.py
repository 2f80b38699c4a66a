"""``tf.data.Dataset``'s sources (TF's from_tensor_slices_op.py, from_tensors_op.py,
range_op.py, from_generator_op.py, zip_op.py, random_op.py, counter_op.py,
directed_interleave_op.py, sample_from_datasets_op.py and Dataset.list_files): the static
constructors and the Python sources their kernels make."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant
from varstore.framework.graph import name_scope
from varstore.framework.tensor_shape import TensorShape
from varstore.ops.dataset_base import (
    DatasetBase,
    _Spec,
    flatten,
    int64_input,
    make_dataset,
    normalize_element,
    pack_as,
    register_dataset_kernels,
    seed_tensors,
    specs_of,
)
from varstore.ops.random_philox import PhiloxStream, SimplePhilox

if TYPE_CHECKING:
    from varstore.ops.dataset_ops import Dataset

__all__: list[str] = []


def philox_words(seed: int, seed2: int) -> SimplePhilox:
    """TF's ``SingleSampleAdapter<PhiloxRandom>(seed, seed2)``: 32-bit words in order (the
    datasets' generators; seeds (0, 0) draw a random key, as TF's RandomSeeds)."""
    stream = PhiloxStream(seed, seed2)
    return SimplePhilox(stream, stream._counter)


def check_datasets(datasets: Any, what: str = "datasets") -> list[Any]:
    flat = flatten(tuple(datasets) if isinstance(datasets, list) else datasets)
    for d in flat:
        if not isinstance(d, DatasetBase):
            raise TypeError(f"Invalid `{what}`. `{what}` is expected to be a (nested) "
                            f"structure of `tf.data.Dataset` objects. Encountered object "
                            f"with type {type(d)}.")
    return flat


class SourceMethods(DatasetBase):
    @staticmethod
    def from_tensor_slices(tensors: Any, name: str | None = None) -> Dataset:
        ts = normalize_element(tensors)
        flat = flatten(ts)
        if not flat:
            raise ValueError("Invalid `element`. `element` should not be empty.")
        dims = set()
        for t in flat:
            if t.get_shape().ndims == 0:
                raise ValueError(f"Unbatching a tensor is only supported for rank >= 1; "
                                 f"got {t.name} of shape {t.get_shape()}")
            dims.add(t.get_shape().as_list()[0] if t.get_shape().ndims is not None else None)
        known = {d for d in dims if d is not None}
        if len(known) > 1:
            raise ValueError("Dimensions " + " and ".join(str(d) for d in sorted(known))
                             + " are not compatible")
        structure = pack_as(ts, [_Spec(t.dtype, t.get_shape()[1:]) for t in flat])
        return make_dataset("TensorSliceDataset", flat, _Slices, structure,
                            {"is_files": False, "replicate_on_split": False})

    @staticmethod
    def from_tensors(tensors: Any, name: str | None = None) -> Dataset:
        ts = normalize_element(tensors)
        flat = flatten(ts)
        return make_dataset("TensorDataset", flat, _Single, specs_of(ts))

    @staticmethod
    def range(*args: Any, output_type: Any = _dtypes.int64, name: str | None = None) -> Dataset:
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Invalid `args`. The length of `args` should be between 1 and 3 "
                             f"but was {len(args)}.")
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (
            args[0], args[1], args[2] if len(args) == 3 else 1)
        ins = [int64_input(v, n) for v, n in ((start, "start"), (stop, "stop"), (step, "step"))]
        return make_dataset("RangeDataset", ins, lambda a, b, c: _Range(a, b, c, output_type),
                            _Spec(output_type, []), {"replicate_on_split": False})

    @staticmethod
    def from_generator(generator: Callable[..., Any], output_types: Any = None,
                       output_shapes: Any = None, args: Any = None,
                       output_signature: Any = None, name: str | None = None) -> Dataset:
        if not callable(generator):
            raise TypeError("`generator` must be a Python callable.")
        if output_types is None:
            raise TypeError("varstore's Dataset.from_generator needs `output_types`")
        types = output_types
        shapes = output_shapes if output_shapes is not None else pack_as(
            types, [TensorShape(None) for _ in flatten(types)])
        structure = pack_as(types, [_Spec(t, s) for t, s in zip(flatten(types),
                                                                  flatten(shapes))])
        gen_args = tuple(args or ())
        return make_dataset("FlatMapDataset", [],
                            lambda: _Generator(generator, gen_args, structure), structure)

    @staticmethod
    def zip(*args: Any, datasets: Any = None, name: str | None = None) -> Dataset:
        if datasets is None:
            datasets = args[0] if len(args) == 1 else args
        flat = check_datasets(datasets)
        structure = pack_as(datasets, [d._structure for d in flat])
        return make_dataset("ZipDataset", [d._variant_tensor for d in flat],
                            lambda *srcs: _Zip(srcs, [len(d._specs()) for d in flat]),
                            structure, {"N": len(flat)})

    @staticmethod
    def random(seed: int | None = None, rerandomize_each_iteration: bool | None = None,
               name: str | None = None) -> Dataset:
        if rerandomize_each_iteration:
            raise NotImplementedError("varstore lacks Dataset.random("
                                      "rerandomize_each_iteration=True) (RandomDatasetV2)")
        s1, s2, _ = seed_tensors(seed)
        return make_dataset("RandomDataset", [s1, s2], lambda a, b: _Random(int(a), int(b)),
                            _Spec(_dtypes.int64, []))

    @staticmethod
    def counter(start: Any = 0, step: Any = 1, dtype: Any = _dtypes.int64,
                name: str | None = None) -> Dataset:
        """TF's composite: a TensorDataset of ``start`` repeated forever, scanned by ``step``."""
        with name_scope("counter"):
            st = constant(start, dtype=dtype, name="start")
            sp = constant(step, dtype=dtype, name="step")
            ds = SourceMethods.from_tensors(0).repeat(None)
            def count(state: Any, _: Any) -> Any:
                return state + sp, state

            return ds.scan(st, count)

    @staticmethod
    def list_files(file_pattern: Any, shuffle: bool | None = None, seed: int | None = None,
                   name: str | None = None) -> Dataset:
        from varstore.ops.file_io_ops import matching_files
        with name_scope("list_files"):
            if shuffle is None:
                shuffle = True
            matching = matching_files(file_pattern)
            ds = SourceMethods.from_tensor_slices(matching)
            # TF asserts the match is not empty, but in TF1 graph mode the assertion is not
            # part of the dataset's function: an empty match is an empty dataset.
            if shuffle:
                ds = ds.shuffle(_size_of(matching), seed=seed)
            return ds

    @staticmethod
    def choose_from_datasets(datasets: Any, choice_dataset: Any,
                             stop_on_empty_dataset: bool = True) -> Dataset:
        return choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)

    @staticmethod
    def sample_from_datasets(datasets: Any, weights: Any = None, seed: int | None = None,
                             stop_on_empty_dataset: bool = False,
                             rerandomize_each_iteration: bool | None = None) -> Dataset:
        return sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)


def _size_of(matching: Any) -> Any:
    from varstore.ops.array_ops import shape
    from varstore.ops.math_ops import maximum
    return maximum(shape(matching, out_type=_dtypes.int64)[0], 1)


def choose_from_datasets(datasets: Any, choice_dataset: Any,
                         stop_on_empty_dataset: bool = False) -> Dataset:
    """DirectedInterleaveDataset: element i from ``datasets[choice[i]]``."""
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    flat = check_datasets(list(datasets))
    if not isinstance(choice_dataset, DatasetBase):
        raise TypeError(f"Invalid `choice_dataset`. `choice_dataset` should be a "
                        f"`tf.data.Dataset` but is {type(choice_dataset)}.")
    specs = choice_dataset._specs()
    if len(specs) != 1 or specs[0].dtype != _dtypes.int64 or specs[0].shape.ndims not in (
            0, None):
        raise TypeError(f"Invalid `choice_dataset`. Elements of `choice_dataset` must be "
                        f"scalar `tf.int64` tensors but are {choice_dataset.output_types}.")
    return _directed(choice_dataset, flat, stop_on_empty_dataset)


def _directed(selector: Any, flat: list[Any], stop: bool) -> Dataset:
    first = flat[0]
    for d in flat[1:]:
        if [s.dtype for s in d._specs()] != [s.dtype for s in first._specs()]:
            raise TypeError(f"Invalid `datasets`. `datasets` must have compatible element "
                            f"specs.\n Dataset 0 element_spec={first.element_spec}.\n"
                            f"Dataset element_spec={d.element_spec}.")
    shapes = [s.shape for s in first._specs()]
    for d in flat[1:]:
        shapes = [a.most_specific_compatible_shape(b.shape) if hasattr(
            a, "most_specific_compatible_shape") else a for a, b in zip(shapes, d._specs())]
    structure = pack_as(first._structure, [_Spec(s.dtype, sh)
                                           for s, sh in zip(first._specs(), shapes)])
    # TF wraps the selector in a RewriteDataset only for choose_from_datasets' V2 graphs; the
    # elements are the same.
    return make_dataset("DirectedInterleaveDataset",
                        [selector._variant_tensor, *(d._variant_tensor for d in flat)],
                        lambda sel, *srcs: _Directed(sel, srcs, stop), structure,
                        {"N": len(flat), "stop_on_empty_dataset": bool(stop)})


def sample_from_datasets(datasets: Any, weights: Any = None, seed: int | None = None,
                         stop_on_empty_dataset: bool = False) -> Dataset:
    """TF's composite: a RandomDataset batched by 2 gives each draw's seed pair to a
    StatelessMultinomial over log(weights), which picks the dataset of the next element."""
    from varstore.framework.constant_op import convert_to_tensor
    from varstore.framework.ops import Tensor
    from varstore.ops.stateless_random_ops import stateless_multinomial
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    datasets = list(datasets)
    if isinstance(weights, DatasetBase):
        raise NotImplementedError("varstore lacks sample_from_datasets with a dataset of "
                                  "weights")
    if weights is None:
        logits_value: Any = np.array([[1.0] * len(datasets)], np.float32)
    else:
        if not isinstance(weights, Tensor):
            if len(datasets) != len(weights):
                raise ValueError(f"Invalid `weights`. `weights` should have the same length "
                                 f"as `datasets` but got `len(weights)={len(weights)}` vs. "
                                 f"`len(datasets)={len(datasets)}`.")
            kept = [(d, w) for d, w in zip(datasets, weights) if w > 0]
            datasets, weights = ([d for d, _ in kept], [w for _, w in kept]) if kept else (
                [datasets[0].take(0)], [1.0])
        w = convert_to_tensor(weights, name="weights")
        if w.dtype not in (_dtypes.float32, _dtypes.float64):
            raise TypeError(f"Invalid `weights`. `weights` type must be either `tf.float32` "
                            f"or `tf.float64` but is {w.dtype}.")
        from varstore.framework.constant_op import constant_value
        value = constant_value(w)
        if value is None:
            raise NotImplementedError("varstore's sample_from_datasets needs constant weights")
        with np.errstate(divide="ignore"):
            logits_value = np.log(value)[None, :]
    flat = check_datasets(datasets)
    if len(flat) == 1:
        return flat[0]  # type: ignore[no-any-return]

    def select(seed_pair: Any) -> Any:
        from varstore.ops.array_ops import squeeze
        logits = convert_to_tensor(logits_value)
        return squeeze(stateless_multinomial(logits, 1, seed_pair), axis=[0, 1])

    selector = SourceMethods.random(seed=seed).batch(2).map(select)
    return _directed(selector, flat, stop_on_empty_dataset)


register_dataset_kernels("TensorSliceDataset", "TensorDataset", "RangeDataset",
                         "FlatMapDataset", "ZipDataset", "RandomDataset",
                         "DirectedInterleaveDataset")


# -- sources: iterate() gives a fresh iterator of flat element tuples -----------------------
class _Slices:
    def __init__(self, *arrays: Any) -> None:
        self.arrays = [np.asarray(a) for a in arrays]
        n = {a.shape[0] for a in self.arrays}
        if len(n) > 1:
            raise InvalidArgumentError(None, None, "All components must have the same size "
                                       "in the 0th dimension")

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        for i in range(self.arrays[0].shape[0]):
            yield tuple(a[i] for a in self.arrays)


class _Single:
    def __init__(self, *arrays: Any) -> None:
        self.values = tuple(np.asarray(a) for a in arrays)

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        yield self.values


class _Range:
    def __init__(self, start: Any, stop: Any, step: Any, dtype: Any) -> None:
        if int(step) == 0:
            raise InvalidArgumentError(None, None, "step must be a non-zero integer.")
        self.r = range(int(start), int(stop), int(step))
        self.np = _dtypes.as_dtype(dtype)._np

    def cardinality(self) -> int:
        return len(self.r)

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        for v in self.r:
            yield (np.asarray(v, self.np),)


class _Random:
    """RandomDataset: the 32-bit words of Philox(seed, seed2) as int64, from the start on
    each iteration (TF's V1 op)."""

    def __init__(self, seed: int, seed2: int) -> None:
        if seed == 0 and seed2 == 0:
            seed, seed2 = (int.from_bytes(np.random.bytes(8), "little") for _ in range(2))
        self.seeds = (seed, seed2)

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        words = philox_words(*self.seeds)
        while True:
            yield (np.asarray(words.rand32(), np.int64),)


class _Generator:
    def __init__(self, gen: Callable[..., Any], args: tuple[Any, ...], structure: Any) -> None:
        self.gen, self.args, self.structure = gen, args, structure

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        specs = flatten(self.structure)
        for item in self.gen(*self.args):
            flat = (flatten(tuple(item) if isinstance(item, list) else item)
                    if isinstance(self.structure, (tuple, Mapping)) else [item])
            out = []
            for v, s in zip(flat, specs):
                a = np.asarray(v, dtype=s.dtype._np if s.dtype != _dtypes.string else object)
                if not s.shape.is_compatible_with(a.shape):
                    raise InvalidArgumentError(
                        None, None, f"`generator` yielded an element of shape {a.shape} where "
                        f"an element of shape {s.shape} was expected.")
                out.append(a)
            yield tuple(out)


class _Zip:
    def __init__(self, srcs: tuple[Any, ...], sizes: list[int]) -> None:
        self.srcs, self.sizes = srcs, sizes

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        for parts in zip(*(s.iterate() for s in self.srcs)):
            yield tuple(v for p in parts for v in p)


class _Directed:
    """DirectedInterleaveDataset: each selector value picks the input of the next element;
    an exhausted input ends the dataset when ``stop`` (else it is skipped: TF logs it)."""

    def __init__(self, selector: Any, srcs: tuple[Any, ...], stop: bool) -> None:
        self.selector, self.srcs, self.stop = selector, srcs, stop

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        its: list[Iterator[tuple[Any, ...]] | None] = [s.iterate() for s in self.srcs]
        for (choice,) in self.selector.iterate():
            i = int(choice)
            if i < 0 or i >= len(its):
                raise InvalidArgumentError(None, None, f"Selector index out of range: {i} >= "
                                           f"{len(its)}")
            it = its[i]
            if it is None:
                continue
            try:
                yield next(it)
            except StopIteration:
                if self.stop:
                    return
                its[i] = None
                if all(x is None for x in its):
                    return
