"""``tf.data.Dataset``'s structural transformations (TF's concatenate_op.py, repeat_op.py,
take_op.py, skip_op.py, batch_op.py, padded_batch_op.py, unbatch_op.py, shuffle_op.py,
prefetch_op.py, cache_op.py, shard_op.py, Dataset.enumerate, ignore_errors_op.py and the
cardinality / options methods) and the Python sources their kernels make."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError, OpError
from varstore.framework.constant_op import constant
from varstore.framework.tensor_shape import TensorShape, as_shape
from varstore.ops.dataset_base import (
    INFINITE,
    UNKNOWN,
    DatasetBase,
    _Spec,
    flatten,
    int64_input,
    pack_as,
    register_dataset_kernels,
    seed_tensors,
)

if TYPE_CHECKING:
    from varstore.ops.dataset_ops import Dataset

__all__: list[str] = []


def _lead(batch_size: Any, drop_remainder: Any) -> int | None:
    return int(batch_size) if drop_remainder is True and isinstance(batch_size, int) else None


class TransformMethods(DatasetBase):
    def concatenate(self, dataset: Dataset, name: str | None = None) -> Dataset:
        mine, theirs = self._specs(), dataset._specs()
        if len(mine) != len(theirs) or any(a.dtype != b.dtype for a, b in zip(mine, theirs)):
            raise TypeError(f"Incompatible dataset elements:\n  {self.element_spec}\nvs.  "
                            f"{dataset.element_spec}")
        structure = pack_as(self._structure, [_Spec(a.dtype, _join(a.shape, b.shape))
                                              for a, b in zip(mine, theirs)])
        return self._derive("ConcatenateDataset", [dataset._variant_tensor],
                            lambda a, b: _Concat(a, b), structure)

    def repeat(self, count: Any = None, name: str | None = None) -> Dataset:
        c = int64_input(-1 if count is None else count, "count")
        return self._derive("RepeatDataset", [c], lambda src, n: _Repeat(src, int(n)),
                            self._structure)

    def take(self, count: Any, name: str | None = None) -> Dataset:
        c = int64_input(count, "count")
        return self._derive("TakeDataset", [c], lambda src, n: _Take(src, int(n)),
                            self._structure)

    def skip(self, count: Any, name: str | None = None) -> Dataset:
        c = int64_input(count, "count")
        return self._derive("SkipDataset", [c], lambda src, n: _Skip(src, int(n)),
                            self._structure)

    def shard(self, num_shards: Any, index: Any, name: str | None = None) -> Dataset:
        n = int64_input(num_shards, "num_shards")
        i = int64_input(index, "index")
        return self._derive("ShardDataset", [n, i], lambda src, a, b: _Shard(src, int(a),
                                                                            int(b)),
                            self._structure, {"require_non_empty": False})

    def enumerate(self, start: Any = 0, name: str | None = None) -> Dataset:
        """TF's composite: a zip of Dataset.range(start, int64 max) with this dataset."""
        from varstore.ops.dataset_sources import SourceMethods
        counter = SourceMethods.range(start, np.iinfo(np.int64).max)
        return SourceMethods.zip((counter, self))

    def batch(self, batch_size: Any, drop_remainder: Any = False,
              num_parallel_calls: Any = None, deterministic: Any = None,
              name: str | None = None) -> Dataset:
        bs = int64_input(batch_size, "batch_size")
        dr = constant(drop_remainder, dtype=_dtypes.bool, name="drop_remainder")
        lead = _lead(batch_size, drop_remainder)
        structure = pack_as(self._structure, [_Spec(s.dtype, TensorShape([lead]).concatenate(
            s.shape)) for s in self._specs()])
        return self._derive("BatchDatasetV2", [bs, dr],
                            lambda src, b, d: _Batch(src, int(b), bool(d)), structure,
                            {"parallel_copy": False})

    def padded_batch(self, batch_size: Any, padded_shapes: Any = None,
                     padding_values: Any = None, drop_remainder: bool = False,
                     name: str | None = None) -> Dataset:
        specs = self._specs()
        shapes = (flatten(padded_shapes) if padded_shapes is not None
                  else [s.shape for s in specs])
        pads = (flatten(padding_values) if padding_values is not None else [None] * len(specs))
        shapes = [as_shape(s) for s in shapes]
        lead = _lead(batch_size, drop_remainder)
        structure = pack_as(self._structure, [_Spec(s.dtype, TensorShape([lead]).concatenate(
            p)) for s, p in zip(specs, shapes)])
        bs = int64_input(batch_size, "batch_size")
        dr = constant(drop_remainder, dtype=_dtypes.bool, name="drop_remainder")
        return self._derive("PaddedBatchDatasetV2", [bs, dr],
                            lambda src, b, d: _Batch(src, int(b), bool(d), shapes, pads),
                            structure)

    def unbatch(self, name: str | None = None) -> Dataset:
        for s in self._specs():
            if s.shape.ndims == 0:
                raise ValueError("Cannot unbatch an input with scalar components.")
        structure = pack_as(self._structure, [_Spec(s.dtype, s.shape[1:]
                                                    if s.shape.ndims is not None else None)
                                              for s in self._specs()])
        return self._derive("UnbatchDataset", [], lambda src: _Unbatch(src), structure)

    def shuffle(self, buffer_size: Any, seed: int | None = None,
                reshuffle_each_iteration: bool | None = None,
                name: str | None = None) -> Dataset:
        """TF1's ShuffleDataset: the seeds ``(seed, seed2)`` seed a generator that gives
        each iteration (each epoch under repeat) its own Philox seeds, or, without
        reshuffling, every iteration the same ones; TF's element order."""
        bs = int64_input(buffer_size, "buffer_size")
        s1, s2, _ = seed_tensors(seed)
        reshuffle = True if reshuffle_each_iteration is None else bool(
            reshuffle_each_iteration)
        return self._derive("ShuffleDataset", [bs, s1, s2],
                            lambda src, b, a, c: _Shuffle(src, int(b), int(a), int(c),
                                                          reshuffle), self._structure,
                            {"reshuffle_each_iteration": reshuffle})

    def prefetch(self, buffer_size: Any, name: str | None = None) -> Dataset:
        # Elements are made on demand in the caller's thread: prefetching changes nothing
        # that a program can observe but speed.
        bs = int64_input(buffer_size, "buffer_size")
        return self._derive("PrefetchDataset", [bs], lambda src, b: src, self._structure)

    def cache(self, filename: str = "", name: str | None = None) -> Dataset:
        if filename:
            raise NotImplementedError("varstore lacks Dataset.cache(filename): only the "
                                      "in-memory cache")
        fn = constant("", dtype=_dtypes.string, name="filename")
        return self._derive("CacheDatasetV2", [fn], lambda src, f: _Cache(src),
                            self._structure)

    def window(self, size: Any, shift: Any = None, stride: Any = 1,
               drop_remainder: bool = False, name: str | None = None) -> Dataset:
        """WindowDataset: a dataset of windows, each component a dataset of ``size``
        elements ``stride`` apart, a window starting every ``shift`` elements (flat_map them
        to tensors, as TF programs do)."""
        from varstore.ops.dataset_base import dataset_arg
        sz = int64_input(size, "size")
        sh = int64_input(size if shift is None else shift, "shift")
        st = int64_input(stride, "stride")
        dr = constant(drop_remainder, dtype=_dtypes.bool, name="drop_remainder")
        structure = pack_as(self._structure, [dataset_arg(s) for s in self._specs()])
        return self._derive("WindowDataset", [sz, sh, st, dr],
                            lambda src, a, b, c, d: _Windows(src, int(a), int(b), int(c),
                                                             bool(d)), structure)

    def ignore_errors(self, log_warning: bool = False, name: str | None = None) -> Dataset:
        return self._derive("IgnoreErrorsDataset", [], lambda src: _IgnoreErrors(src),
                            self._structure, {"log_warning": bool(log_warning)})

    def assert_cardinality(self, expected_cardinality: Any) -> Dataset:
        c = int64_input(expected_cardinality, "expected_cardinality")
        return self._derive("AssertCardinalityDataset", [c],
                            lambda src, n: _AssertCardinality(src, int(n)), self._structure)

    def with_options(self, options: Any, name: str | None = None) -> Dataset:
        from varstore.ops.dataset_options import Options
        if not isinstance(options, Options):
            raise TypeError(f"`options` must be a `tf.data.Options` object but got {options}")
        merged = options if self._options is None else self._options.merge(options)
        out = self._derive("OptionsDataset", [], lambda src: src, self._structure,
                           {"serialized_options": b""})
        out._options = merged
        return out

    def options(self) -> Any:
        """The dataset's options, read-only as TF's (set them with ``with_options``)."""
        from varstore.ops.dataset_options import Options, merge_options
        out = merge_options(Options(), self._options) if self._options is not None else (
            Options())
        out._set_mutable(False)
        return out


def _join(a: TensorShape, b: TensorShape) -> TensorShape:
    if a.ndims is None or b.ndims is None or a.ndims != b.ndims:
        return TensorShape(None)
    return TensorShape([x if x == y else None for x, y in zip(a.as_list(), b.as_list())])


register_dataset_kernels("ConcatenateDataset", "RepeatDataset", "TakeDataset", "SkipDataset",
                         "ShardDataset", "BatchDatasetV2", "PaddedBatchDatasetV2",
                         "UnbatchDataset", "ShuffleDataset", "PrefetchDataset",
                         "CacheDatasetV2", "IgnoreErrorsDataset", "AssertCardinalityDataset",
                         "OptionsDataset", "WindowDataset")


def cardinality_of(src: Any) -> int:
    """TF's DatasetCardinality of a source: its length when known, INFINITE or UNKNOWN."""
    f = getattr(src, "cardinality", None)
    return int(f()) if f is not None else UNKNOWN


# -- sources --------------------------------------------------------------------------------
class _Concat:
    def __init__(self, a: Any, b: Any) -> None:
        self.a, self.b = a, b

    def cardinality(self) -> int:
        x, y = cardinality_of(self.a), cardinality_of(self.b)
        if INFINITE in (x, y):
            return INFINITE
        return UNKNOWN if UNKNOWN in (x, y) else x + y

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        yield from self.a.iterate()
        yield from self.b.iterate()


class _Repeat:
    def __init__(self, src: Any, count: int) -> None:
        self.src, self.count = src, count

    def cardinality(self) -> int:
        n = cardinality_of(self.src)
        if n == 0 or self.count == 0:
            return 0
        if self.count < 0 or n == INFINITE:
            return INFINITE
        return UNKNOWN if n == UNKNOWN else n * self.count

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        i = 0
        while self.count < 0 or i < self.count:
            empty = True
            for e in self.src.iterate():
                empty = False
                yield e
            if empty:
                return
            i += 1


class _Take:
    def __init__(self, src: Any, n: int) -> None:
        self.src, self.n = src, n

    def cardinality(self) -> int:
        c = cardinality_of(self.src)
        if self.n < 0:
            return c
        if c == INFINITE:
            return self.n
        return UNKNOWN if c == UNKNOWN else min(c, self.n)

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        if self.n == 0:
            return
        for i, e in enumerate(self.src.iterate()):
            yield e
            if self.n >= 0 and i + 1 >= self.n:
                return


class _Skip:
    def __init__(self, src: Any, n: int) -> None:
        self.src, self.n = src, n

    def cardinality(self) -> int:
        c = cardinality_of(self.src)
        if c in (INFINITE, UNKNOWN):
            return c
        return 0 if self.n < 0 else max(0, c - self.n)

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        for i, e in enumerate(self.src.iterate()):
            # skip(-1) skips everything, as TF's
            if self.n >= 0 and i >= self.n:
                yield e


class _Shard:
    def __init__(self, src: Any, n: int, index: int) -> None:
        if n <= 0:
            raise InvalidArgumentError(None, None, f"Number of shards must be greater than "
                                       f"zero (currently num_shards = {n}).")
        if index < 0 or index >= n:
            raise InvalidArgumentError(None, None, f"Index must be between 0 and {n - 1} "
                                       f"(currently index = {index}).")
        self.src, self.n, self.index = src, n, index

    def cardinality(self) -> int:
        c = cardinality_of(self.src)
        if c in (INFINITE, UNKNOWN):
            return c
        return c // self.n + (1 if self.index < c % self.n else 0)

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        for i, e in enumerate(self.src.iterate()):
            if i % self.n == self.index:
                yield e


class _Batch:
    def __init__(self, src: Any, size: int, drop: bool, shapes: Any = None,
                 pads: Any = None) -> None:
        if size <= 0:
            raise InvalidArgumentError(None, None, "Batch size must be greater than zero.")
        self.src, self.size, self.drop, self.shapes, self.pads = src, size, drop, shapes, pads

    def cardinality(self) -> int:
        c = cardinality_of(self.src)
        if c in (INFINITE, UNKNOWN):
            return c
        return c // self.size if self.drop else -(-c // self.size)

    def _stack(self, rows: list[tuple[Any, ...]]) -> tuple[Any, ...]:
        return stack_rows(rows, self.shapes, self.pads)

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        for e in self.src.iterate():
            rows.append(e)
            if len(rows) == self.size:
                yield self._stack(rows)
                rows = []
        if rows and not self.drop:
            yield self._stack(rows)


def stack_rows(rows: list[tuple[Any, ...]], shapes: Any = None,
               pads: Any = None) -> tuple[Any, ...]:
    """One batch of elements (padded to ``shapes`` with ``pads`` when given)."""
    out: list[np.ndarray] = []
    for c, parts in enumerate(zip(*rows)):
        if shapes is None:
            first = parts[0].shape
            for i, p in enumerate(parts):
                if p.shape != first:
                    raise InvalidArgumentError(
                        None, None, f"Cannot batch tensors with different shapes in "
                        f"component {c}. First element had shape {list(first)} and "
                        f"element {i} had shape {list(p.shape)}.")
            out.append(np.stack(parts))
            continue
        want = shapes[c].as_list() if shapes[c].ndims is not None else None
        ndim = parts[0].ndim
        target = [max(p.shape[d] for p in parts) if want is None or want[d] is None
                  else want[d] for d in range(ndim)]
        pad = pads[c]
        arr = np.full([len(parts), *target], 0 if pad is None else np.asarray(pad),
                      dtype=parts[0].dtype)
        if pad is None and parts[0].dtype == object:
            arr[...] = b""
        for i, p in enumerate(parts):
            if any(p.shape[d] > target[d] for d in range(ndim)):
                raise InvalidArgumentError(None, None, "Attempted to pad to a smaller "
                                           "size than the input element.")
            index: tuple[Any, ...] = (i, *[slice(0, s) for s in p.shape])
            arr[index] = p
        out.append(arr)
    return tuple(out)


class _Unbatch:
    def __init__(self, src: Any) -> None:
        self.src = src

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        for e in self.src.iterate():
            n = {a.shape[0] for a in e}
            if len(n) > 1:
                raise InvalidArgumentError(None, None, "Input element must have the same "
                                           "batch size in each component.")
            for i in range(e[0].shape[0]):
                yield tuple(a[i] for a in e)


class _Shuffle:
    """TF's shuffle buffer: fill up to ``size`` elements, emit the one at a uniformly random
    offset (a Philox word modulo the count), move the oldest into its slot. Each iteration
    takes its Philox seeds from a generator seeded by (seed, seed2) (TF's
    RandomSeedGenerator), or keeps (seed, seed2) without reshuffling."""

    def __init__(self, src: Any, size: int, seed: int, seed2: int, reshuffle: bool) -> None:
        if size <= 0:
            raise InvalidArgumentError(None, None, "buffer_size must be greater than zero.")
        from varstore.ops.dataset_sources import philox_words
        if seed == 0 and seed2 == 0:
            seed, seed2 = (int.from_bytes(np.random.bytes(8), "little") for _ in range(2))
        self.src, self.size, self.reshuffle = src, size, reshuffle
        self.seeds = (seed, seed2)
        self.generator = philox_words(seed, seed2)

    def cardinality(self) -> int:
        return cardinality_of(self.src)

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        from varstore.ops.dataset_sources import philox_words
        if self.reshuffle:
            words = philox_words(self.generator.rand32(), self.generator.rand32())
        else:
            words = philox_words(*self.seeds)
        buf: list[Any] = [None] * self.size
        start = end = 0
        it = self.src.iterate()
        done = False
        while True:
            while not done and end - start < self.size:
                e = next(it, None)
                if e is None:
                    done = True
                    break
                buf[end % self.size] = e
                end += 1
            if end == start:
                return
            index = (start + words.rand32() % (end - start)) % self.size
            out = buf[index]
            buf[index] = buf[start % self.size]
            buf[start % self.size] = None
            start += 1
            yield out


class _Cache:
    def __init__(self, src: Any) -> None:
        self.src = src
        self.items: list[tuple[Any, ...]] | None = None

    def cardinality(self) -> int:
        return cardinality_of(self.src)

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        if self.items is not None:
            yield from self.items
            return
        items = []
        for e in self.src.iterate():
            items.append(e)
            yield e
        self.items = items


class _Windows:
    """WindowDataset's elements: per window one dataset per component."""

    def __init__(self, src: Any, size: int, shift: int, stride: int, drop: bool) -> None:
        for what, v in (("size", size), ("shift", shift), ("stride", stride)):
            if v <= 0:
                raise InvalidArgumentError(None, None, f"Window {what} must be greater than "
                                           f"zero, but got {v}.")
        self.src, self.size, self.shift, self.stride, self.drop = (src, size, shift, stride,
                                                                   drop)

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        # streams: holds only the rows from the current window's start on
        from collections import deque

        from varstore.ops.dataset_functional import _Window
        it = self.src.iterate()
        buf: deque[tuple[Any, ...]] = deque()
        base = 0  # the index of buf[0]
        done = False
        start = 0
        span = (self.size - 1) * self.stride + 1
        while True:
            while not done and base + len(buf) < start + span:
                e = next(it, None)
                if e is None:
                    done = True
                else:
                    buf.append(e)
            while buf and base < start:
                buf.popleft()
                base += 1
            if not buf:
                return
            window = [buf[i] for i in range(0, min(span, len(buf)), self.stride)]
            if self.drop and len(window) < self.size:
                return
            yield tuple(_Window([(r[c],) for r in window]) for c in range(len(window[0])))
            start += self.shift
            if done and start >= base + len(buf):
                return


class _IgnoreErrors:
    """IgnoreErrorsDataset: an element whose making fails is dropped (TF ends the input
    iterator's element, not the input: a Python generator that raised is done, so later
    elements come from the sources that can go on, i.e. per-element maps and filters)."""

    def __init__(self, src: Any) -> None:
        self.src = src

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        it = self.src.iterate_skipping_errors() if hasattr(
            self.src, "iterate_skipping_errors") else self.src.iterate()
        while True:
            try:
                e = next(it)
            except StopIteration:
                return
            except (OpError, ValueError):
                return
            yield e


class _AssertCardinality:
    def __init__(self, src: Any, n: int) -> None:
        self.src, self.n = src, n

    def cardinality(self) -> int:
        return self.n

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        count = 0
        for e in self.src.iterate():
            count += 1
            if self.n != INFINITE and count > self.n:
                raise _failed(f"Input dataset was expected to contain {_elements(self.n)} "
                              f"but contained at least {_elements(count)}.")
            yield e
        if self.n == INFINITE or count < self.n:
            raise _failed(f"Input dataset was expected to contain {_elements(self.n)} but "
                          f"contained only {_elements(count)}.")


def _elements(n: int) -> str:
    if n == INFINITE:
        return "an infinite number of elements"
    return f"{n} element" + ("" if n == 1 else "s")


def _failed(msg: str) -> Exception:
    from varstore.errors import FailedPreconditionError
    return FailedPreconditionError(None, None, msg)
