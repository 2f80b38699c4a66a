"""``tf.data.Dataset`` in graph mode (TF's data/ops/dataset_ops.py, compat.v1 flavour).

Each Dataset is a graph op of TF's type (``TensorSliceDataset``, ``MapDataset``,
``BatchDatasetV2``...) whose output is a variant tensor. Its kernel returns a *source*: a
Python object whose ``iterate()`` makes a fresh iterator of elements (tuples of NumPy
arrays, one per flat component). Iterators (iterator_ops.py) hold those per session, so
each ``IteratorGetNext`` run advances once. Functions given to ``map``/``filter`` are traced
once, as TF traces them, into a private graph run by a private session; they cannot capture
tensors of the outer graph (TF could), and say so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.graph import get_default_graph, name_scope
from varstore.framework.ops import Operation, Tensor, make_op, register_kernel
from varstore.framework.random_seed import get_seed
from varstore.framework.tensor_shape import TensorShape, as_shape

__all__ = ["Dataset", "flatten", "pack_as"]


# -- nested structures (tf.nest: dicts by sorted key, tuples, namedtuples) ---------------
def flatten(s: Any) -> list[Any]:
    if isinstance(s, Mapping):
        return [leaf for k in sorted(s) for leaf in flatten(s[k])]
    if isinstance(s, tuple):
        return [leaf for item in s for leaf in flatten(item)]
    return [s]


def pack_as(structure: Any, flat: list[Any]) -> Any:
    it = iter(flat)

    def pack(s: Any) -> Any:
        if isinstance(s, Mapping):
            return type(s)((k, pack(s[k])) for k in sorted(s))  # type: ignore[call-arg]
        if isinstance(s, tuple):
            items = [pack(item) for item in s]
            return type(s)(*items) if hasattr(s, "_fields") else tuple(items)
        return next(it)

    return pack(structure)


def _to_tensors(value: Any, what: str) -> Any:
    """A nested structure of tensors (a list is one tensor, as in TF)."""
    if isinstance(value, Mapping):
        return type(value)((k, _to_tensors(value[k], what)) for k in value)  # type: ignore[call-arg]
    if isinstance(value, tuple):
        items = [_to_tensors(v, what) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    return convert_to_tensor(value)


class _Spec:
    """One flat component: dtype and static shape."""

    __slots__ = ("dtype", "shape")

    def __init__(self, dtype: Any, shape: Any) -> None:
        self.dtype = _dtypes.as_dtype(dtype)
        self.shape = as_shape(shape)


class Dataset:
    """A pipeline of elements; ``structure`` holds a _Spec per component."""

    def __init__(self, variant: Tensor, structure: Any) -> None:
        self._variant_tensor = variant
        self._structure = structure

    # -- element structure --------------------------------------------------------------
    @property
    def output_types(self) -> Any:
        return pack_as(self._structure, [s.dtype for s in flatten(self._structure)])

    @property
    def output_shapes(self) -> Any:
        return pack_as(self._structure, [s.shape for s in flatten(self._structure)])

    @property
    def output_classes(self) -> Any:
        return pack_as(self._structure, [Tensor for _ in flatten(self._structure)])

    @property
    def element_spec(self) -> Any:
        return self._structure

    def _specs(self) -> list[_Spec]:
        return flatten(self._structure)

    def _derive(self, op_type: str, inputs: list[Tensor], source: Any, structure: Any,
                attrs: dict[str, Any] | None = None) -> Dataset:
        return _make_dataset(op_type, [self._variant_tensor, *inputs], source, structure,
                             attrs)

    # -- sources ------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors: Any, name: str | None = None) -> Dataset:
        with name_scope("normalize_element"):
            ts = _to_tensors(tensors, "tensors")
        flat = flatten(ts)
        if not flat:
            raise ValueError("Invalid `element`. `element` should not be empty.")
        dims = set()
        for t in flat:
            if t.get_shape().ndims == 0:
                raise ValueError(f"Unbatching a tensor is only supported for rank >= 1; "
                                 f"got {t.name} of shape {t.get_shape()}")
            dims.add(t.get_shape().as_list()[0])
        known = {d for d in dims if d is not None}
        if len(known) > 1:
            raise ValueError("Dimensions " + " and ".join(str(d) for d in sorted(known))
                             + " are not compatible")
        structure = pack_as(ts, [_Spec(t.dtype, t.get_shape()[1:]) for t in flat])
        return _make_dataset("TensorSliceDataset", flat, _Slices, structure)

    @staticmethod
    def from_tensors(tensors: Any, name: str | None = None) -> Dataset:
        with name_scope("normalize_element"):
            ts = _to_tensors(tensors, "tensors")
        flat = flatten(ts)
        structure = pack_as(ts, [_Spec(t.dtype, t.get_shape()) for t in flat])
        return _make_dataset("TensorDataset", flat, _Single, structure)

    @staticmethod
    def range(*args: Any, output_type: Any = _dtypes.int64) -> Dataset:
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Invalid `args`. The length of `args` should be between 1 and 3 "
                             f"but was {len(args)}.")
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (
            args[0], args[1], args[2] if len(args) == 3 else 1)
        ins = [constant(v, dtype=_dtypes.int64, name=n)
               for v, n in ((start, "start"), (stop, "stop"), (step, "step"))]
        return _make_dataset("RangeDataset", ins, lambda a, b, c: _Range(a, b, c, output_type),
                             _Spec(output_type, []))

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
        return _make_dataset("FlatMapDataset", [],
                             lambda: _Generator(generator, gen_args, structure), structure)

    @staticmethod
    def zip(datasets: Any, name: str | None = None) -> Dataset:
        flat = flatten(datasets)
        for d in flat:
            if not isinstance(d, Dataset):
                raise TypeError(f"Invalid `datasets`. `datasets` is expected to be a (nested) "
                                f"structure of `tf.data.Dataset` objects. Encountered object "
                                f"with type {type(d)}.")
        structure = pack_as(datasets, [d._structure for d in flat])
        return _make_dataset("ZipDataset", [d._variant_tensor for d in flat],
                             lambda *srcs: _Zip(srcs, [len(d._specs()) for d in flat]),
                             structure)

    # -- transformations ----------------------------------------------------------------
    def concatenate(self, dataset: Dataset, name: str | None = None) -> Dataset:
        return self._derive("ConcatenateDataset", [dataset._variant_tensor],
                            lambda a, b: _Concat(a, b), self._structure)

    def repeat(self, count: Any = None, name: str | None = None) -> Dataset:
        c = constant(-1 if count is None else count, dtype=_dtypes.int64, name="count")
        return self._derive("RepeatDataset", [c], lambda src, n: _Repeat(src, int(n)),
                            self._structure)

    def take(self, count: Any, name: str | None = None) -> Dataset:
        c = constant(count, dtype=_dtypes.int64, name="count")
        return self._derive("TakeDataset", [c], lambda src, n: _Take(src, int(n)),
                            self._structure)

    def skip(self, count: Any, name: str | None = None) -> Dataset:
        c = constant(count, dtype=_dtypes.int64, name="count")
        return self._derive("SkipDataset", [c], lambda src, n: _Skip(src, int(n)),
                            self._structure)

    def batch(self, batch_size: Any, drop_remainder: bool = False,
              num_parallel_calls: Any = None, deterministic: Any = None,
              name: str | None = None) -> Dataset:
        bs = constant(batch_size, dtype=_dtypes.int64, name="batch_size")
        dr = constant(drop_remainder, dtype=_dtypes.bool, name="drop_remainder")
        lead = int(batch_size) if drop_remainder and isinstance(batch_size, int) else None
        structure = pack_as(self._structure, [_Spec(s.dtype, TensorShape([lead]).concatenate(
            s.shape)) for s in self._specs()])
        return self._derive("BatchDatasetV2", [bs, dr],
                            lambda src, b, d: _Batch(src, int(b), bool(d)), structure)

    def padded_batch(self, batch_size: Any, padded_shapes: Any = None,
                     padding_values: Any = None, drop_remainder: bool = False,
                     name: str | None = None) -> Dataset:
        specs = self._specs()
        shapes = (flatten(padded_shapes) if padded_shapes is not None
                  else [s.shape for s in specs])
        pads = (flatten(padding_values) if padding_values is not None else [None] * len(specs))
        shapes = [as_shape(s) for s in shapes]
        lead = int(batch_size) if drop_remainder and isinstance(batch_size, int) else None
        structure = pack_as(self._structure, [_Spec(s.dtype, TensorShape([lead]).concatenate(
            p)) for s, p in zip(specs, shapes)])
        bs = constant(batch_size, dtype=_dtypes.int64, name="batch_size")
        dr = constant(drop_remainder, dtype=_dtypes.bool, name="drop_remainder")
        return self._derive("PaddedBatchDatasetV2", [bs, dr],
                            lambda src, b, d: _Batch(src, int(b), bool(d), shapes, pads),
                            structure)

    def unbatch(self, name: str | None = None) -> Dataset:
        structure = pack_as(self._structure, [_Spec(s.dtype, s.shape[1:])
                                              for s in self._specs()])
        return self._derive("UnbatchDataset", [], lambda src: _Unbatch(src), structure)

    def shuffle(self, buffer_size: Any, seed: int | None = None,
                reshuffle_each_iteration: bool | None = None,
                name: str | None = None) -> Dataset:
        graph_seed, op_seed = get_seed(seed)
        bs = constant(buffer_size, dtype=_dtypes.int64, name="buffer_size")
        s1 = constant(graph_seed or 0, dtype=_dtypes.int64, name="seed")
        s2 = constant(op_seed or 0, dtype=_dtypes.int64, name="seed2")
        fixed = graph_seed is not None or op_seed is not None
        reshuffle = True if reshuffle_each_iteration is None else reshuffle_each_iteration
        return self._derive("ShuffleDatasetV3", [bs, s1, s2],
                            lambda src, b, a, c: _Shuffle(src, int(b), (int(a), int(c)), fixed,
                                                          reshuffle), self._structure)

    def prefetch(self, buffer_size: Any, name: str | None = None) -> Dataset:
        # Elements are made on demand in the caller's thread: prefetching changes nothing
        # that a program can observe but speed.
        bs = constant(buffer_size, dtype=_dtypes.int64, name="buffer_size")
        return self._derive("PrefetchDataset", [bs], lambda src, b: src, self._structure)

    def cache(self, filename: str = "", name: str | None = None) -> Dataset:
        if filename:
            raise NotImplementedError("varstore lacks Dataset.cache(filename): only the "
                                      "in-memory cache")
        fn = constant("", dtype=_dtypes.string, name="filename")
        return self._derive("CacheDatasetV2", [fn], lambda src, f: _Cache(src),
                            self._structure)

    def map(self, map_func: Callable[..., Any], num_parallel_calls: Any = None,
            deterministic: Any = None, name: str | None = None) -> Dataset:
        fn, out_structure = _trace(map_func, self._structure, "map")
        op_type = "MapDataset" if num_parallel_calls is None else "ParallelMapDatasetV2"
        return self._derive(op_type, [], lambda src: _Map(src, fn), out_structure)

    def filter(self, predicate: Callable[..., Any], name: str | None = None) -> Dataset:
        fn, out = _trace(predicate, self._structure, "filter")
        specs = flatten(out)
        if len(specs) != 1 or specs[0].dtype != _dtypes.bool or specs[0].shape.ndims not in (
                0, None):
            raise ValueError("Invalid `predicate`. `predicate` must return a `tf.bool` scalar "
                             "tensor.")
        return self._derive("FilterDataset", [], lambda src: _Filter(src, fn), self._structure)

    def apply(self, transformation_func: Callable[[Dataset], Dataset]) -> Dataset:
        out = transformation_func(self)
        if not isinstance(out, Dataset):
            raise TypeError("`transformation_func` must return a `tf.data.Dataset` object. "
                            f"Got {type(out)}.")
        return out

    def make_one_shot_iterator(self) -> Any:
        from varstore.ops.iterator_ops import make_one_shot_iterator
        return make_one_shot_iterator(self)

    def make_initializable_iterator(self, shared_name: str | None = None) -> Any:
        from varstore.ops.iterator_ops import make_initializable_iterator
        return make_initializable_iterator(self, shared_name)

    def __iter__(self) -> Iterator[Any]:
        raise RuntimeError("`tf.data.Dataset` only supports Python-style iteration in eager "
                           "mode or within tf.function.")

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"'Dataset' object has no attribute {name!r}: varstore lacks "
                             f"tf.data.Dataset.{name}")


# -- graph ops ------------------------------------------------------------------------------
def _make_dataset(op_type: str, inputs: list[Tensor], source: Any, structure: Any,
                  attrs: dict[str, Any] | None = None) -> Dataset:
    graph = get_default_graph()
    specs = flatten(structure)
    a = {"output_types": [s.dtype for s in specs], "output_shapes": [s.shape for s in specs]}
    a.update(attrs or {})
    full = graph._op_name(None, op_type)
    op = make_op(graph, full, op_type, inputs, a, [(_dtypes.variant, ())], data=source)
    return Dataset(op._outputs[0], structure)


def _dataset_kernel(op: Operation) -> Callable[..., Any]:
    make = op._data
    return lambda *args: make(*args)


for _t in ("TensorSliceDataset", "TensorDataset", "RangeDataset", "FlatMapDataset",
           "ZipDataset", "ConcatenateDataset", "RepeatDataset", "TakeDataset", "SkipDataset",
           "BatchDatasetV2", "PaddedBatchDatasetV2", "UnbatchDataset", "ShuffleDatasetV3",
           "PrefetchDataset", "CacheDatasetV2", "MapDataset", "ParallelMapDatasetV2",
           "FilterDataset"):
    # stateful: never folded into a constant (a source is a Python object, not an array)
    register_kernel(_t, stateful=True)(_dataset_kernel)


# -- traced functions -----------------------------------------------------------------------
def _trace(func: Callable[..., Any], structure: Any, what: str) -> tuple[Any, Any]:
    """Traces ``func`` once on placeholders of the element structure in a private graph
    (TF traces into a function graph); returns a runner (element values -> flat outputs)
    and the output structure."""
    from varstore.framework.graph import Graph
    from varstore.framework.session import Session
    from varstore.ops.array_ops import placeholder
    g = Graph()
    with g.as_default():
        g.seed = get_default_graph().seed
        phs = [placeholder(s.dtype, s.shape, name=f"args_{i}")
               for i, s in enumerate(flatten(structure))]
        args = pack_as(structure, phs)
        try:
            if isinstance(args, tuple) and not hasattr(args, "_fields"):
                out = func(*args)
            else:
                out = func(args)
        except ValueError as e:
            if "must be from the same graph" in str(e):
                raise ValueError(f"varstore's Dataset.{what} runs its function in its own "
                                 "graph: it cannot use tensors or variables of the outer "
                                 f"graph ({e})") from e
            raise
        out = _to_tensors(out, "output")
        flat_out = flatten(out)
    out_structure = pack_as(out, [_Spec(t.dtype, t.get_shape()) for t in flat_out])
    sessions: dict[int, Any] = {}

    def run(values: tuple[Any, ...]) -> tuple[Any, ...]:
        import threading
        key = threading.get_ident()
        sess = sessions.get(key)
        if sess is None:
            sess = sessions[key] = Session(graph=g)
        return tuple(sess.run(flat_out, dict(zip(phs, values))))

    return run, out_structure


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

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        for v in self.r:
            yield (np.asarray(v, self.np),)


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


class _Concat:
    def __init__(self, a: Any, b: Any) -> None:
        self.a, self.b = a, b

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        yield from self.a.iterate()
        yield from self.b.iterate()


class _Repeat:
    def __init__(self, src: Any, count: int) -> None:
        self.src, self.count = src, count

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

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        for i, e in enumerate(self.src.iterate()):
            # skip(-1) skips everything, as TF's
            if self.n >= 0 and i >= self.n:
                yield e


class _Batch:
    def __init__(self, src: Any, size: int, drop: bool, shapes: Any = None,
                 pads: Any = None) -> None:
        if size <= 0:
            raise InvalidArgumentError(None, None, "Batch size must be greater than zero.")
        self.src, self.size, self.drop, self.shapes, self.pads = src, size, drop, shapes, pads

    def _stack(self, rows: list[tuple[Any, ...]]) -> tuple[Any, ...]:
        out: list[np.ndarray] = []
        for c, parts in enumerate(zip(*rows)):
            if self.shapes is None:
                first = parts[0].shape
                for p in parts:
                    if p.shape != first:
                        raise InvalidArgumentError(
                            None, None, f"Cannot batch tensors with different shapes in "
                            f"component {c}. First element had shape {list(first)} and "
                            f"element {len(out)} had shape {list(p.shape)}.")
                out.append(np.stack(parts))
                continue
            want = self.shapes[c].as_list() if self.shapes[c].ndims is not None else None
            ndim = parts[0].ndim
            target = [max(p.shape[d] for p in parts) if want is None or want[d] is None
                      else want[d] for d in range(ndim)]
            pad = self.pads[c]
            arr = np.full([len(parts), *target], 0 if pad is None else np.asarray(pad),
                          dtype=parts[0].dtype)
            for i, p in enumerate(parts):
                if any(p.shape[d] > target[d] for d in range(ndim)):
                    raise InvalidArgumentError(None, None, "Attempted to pad to a smaller "
                                               "size than the input element.")
                index: tuple[Any, ...] = (i, *[slice(0, s) for s in p.shape])
                arr[index] = p
            out.append(arr)
        return tuple(out)

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        for e in self.src.iterate():
            rows.append(e)
            if len(rows) == self.size:
                yield self._stack(rows)
                rows = []
        if rows and not self.drop:
            yield self._stack(rows)


class _Unbatch:
    def __init__(self, src: Any) -> None:
        self.src = src

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        for e in self.src.iterate():
            for i in range(e[0].shape[0]):
                yield tuple(a[i] for a in e)


class _Shuffle:
    """Buffer shuffle as TF's: fill a buffer, emit a random slot, refill it."""

    def __init__(self, src: Any, size: int, seeds: tuple[int, int], fixed: bool,
                 reshuffle: bool) -> None:
        if size <= 0:
            raise InvalidArgumentError(None, None, "buffer_size must be greater than zero.")
        self.src, self.size, self.reshuffle = src, size, reshuffle
        self.seed_seq = np.random.SeedSequence(list(seeds)) if fixed else np.random.SeedSequence()
        self.epoch = 0

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        child = self.seed_seq.spawn(1)[0] if self.reshuffle or self.epoch == 0 else None
        if child is None:
            child = np.random.SeedSequence(self.seed_seq.entropy)
        self.epoch += 1
        rng = np.random.default_rng(child)
        buf: list[tuple[Any, ...]] = []
        for e in self.src.iterate():
            if len(buf) < self.size:
                buf.append(e)
                continue
            i = int(rng.integers(len(buf)))
            yield buf[i]
            buf[i] = e
        while buf:
            i = int(rng.integers(len(buf)))
            buf[i], buf[-1] = buf[-1], buf[i]
            yield buf.pop()


class _Cache:
    def __init__(self, src: Any) -> None:
        self.src = src
        self.items: list[tuple[Any, ...]] | None = None

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        if self.items is not None:
            yield from self.items
            return
        items = []
        for e in self.src.iterate():
            items.append(e)
            yield e
        self.items = items


class _Map:
    def __init__(self, src: Any, fn: Callable[..., Any]) -> None:
        self.src, self.fn = src, fn

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        for e in self.src.iterate():
            yield self.fn(e)


class _Filter:
    def __init__(self, src: Any, fn: Callable[..., Any]) -> None:
        self.src, self.fn = src, fn

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        for e in self.src.iterate():
            if bool(self.fn(e)[0]):
                yield e
