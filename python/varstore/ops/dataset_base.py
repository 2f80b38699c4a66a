"""The shared machinery of ``tf.data`` datasets (TF's data/ops/dataset_ops.py and
data/util/structure.py, nest.py, random_seed.py): nested element structures, the per-
component specs, the graph op every dataset is, and traced functions.

Each Dataset is a graph op of TF's type (``TensorSliceDataset``, ``MapDataset``,
``BatchDatasetV2``...) whose output is a variant tensor. Its kernel returns a *source*: a
Python object whose ``iterate()`` makes a fresh iterator of elements (tuples of NumPy
arrays, one per flat component). Iterators (iterator_ops.py) hold those per session, so
each ``IteratorGetNext`` run advances once. Functions given to ``map``/``filter``/
``interleave``... are traced once, as TF traces them, into a private graph run by a private
session; an outer tensor they use is captured as TF captures it (a placeholder of the
function's graph fed from an extra input of the dataset op, its value fixed when the dataset
is made, i.e. when the iterator is initialized); variables and datasets of the outer graph
cannot be captured, and say so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.graph import get_default_graph, name_scope
from varstore.framework.ops import Operation, Tensor, make_op, register_kernel
from varstore.framework.random_seed import get_seed
from varstore.framework.tensor_shape import TensorShape
from varstore.framework.type_spec import TensorSpec

if TYPE_CHECKING:
    from varstore.ops.dataset_ops import Dataset

__all__ = ["flatten", "pack_as"]

# tf.data.AUTOTUNE / INFINITE_CARDINALITY / UNKNOWN_CARDINALITY
AUTOTUNE = -1
INFINITE = -1
UNKNOWN = -2


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


def to_tensors(value: Any, what: str) -> Any:
    """A nested structure of tensors (a list is one tensor, as in TF)."""
    if isinstance(value, Mapping):
        return type(value)((k, to_tensors(value[k], what)) for k in value)  # type: ignore[call-arg]
    if isinstance(value, tuple):
        items = [to_tensors(v, what) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    return convert_to_tensor(value)


def normalize_element(value: Any) -> Any:
    """TF's structure.normalize_element: the components converted under the
    ``normalize_element`` scope as ``component_<i>``."""
    with name_scope("normalize_element"):
        flat = flatten(value)
        tensors = [v if isinstance(v, Tensor) else convert_to_tensor(v, name=f"component_{i}")
                   for i, v in enumerate(flat)]
    return pack_as(value, tensors)


def _Spec(dtype: Any, shape: Any) -> TensorSpec:
    """One flat component: a TensorSpec (what TF's element_spec shows), made dtype first."""
    return TensorSpec(shape, dtype)


def specs_of(tensors: Any) -> Any:
    return pack_as(tensors, [_Spec(t.dtype, t.get_shape()) for t in flatten(tensors)])


def check_same_structure(a: Any, b: Any, what: str) -> None:
    fa, fb = flatten(a), flatten(b)
    if len(fa) != len(fb) or any(x.dtype != y.dtype for x, y in zip(fa, fb)):
        raise TypeError(f"{what}: the structures {_types(a)} and {_types(b)} differ")


def _types(s: Any) -> Any:
    return pack_as(s, [x.dtype for x in flatten(s)])


class StructuredOutputs:
    """TF1's legacy element properties of datasets and iterators, over ``_structure``
    (a TensorSpec per component)."""

    _structure: Any

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


class DatasetBase(StructuredOutputs):
    """A pipeline of elements; ``structure`` holds a TensorSpec per component."""

    _options: Any = None

    def __init__(self, variant: Tensor, structure: Any) -> None:
        self._variant_tensor = variant
        self._structure = structure

    def _specs(self) -> list[TensorSpec]:
        return flatten(self._structure)

    def _derive(self, op_type: str, inputs: list[Tensor], source: Any, structure: Any,
                attrs: dict[str, Any] | None = None) -> Dataset:
        out = make_dataset(op_type, [self._variant_tensor, *inputs], source, structure, attrs)
        out._options = self._options
        return out


    def _derive_fn(self, op_type: str, inputs: list[Tensor], fns: Sequence[Traced],
                   source: Callable[..., Any], structure: Any,
                   attrs: dict[str, Any] | None = None,
                   arg_attrs: Sequence[str] = ("Targuments",)) -> Dataset:
        """A dataset op over traced functions: their captured outer tensors follow
        ``inputs`` (TF's other_arguments), typed by ``arg_attrs`` (one attr for all, or one
        per function); ``source(*input_values, runs=...)`` gets the bound runners."""
        caps, make, _ = with_captures(fns, source)
        a = dict(attrs or {})
        if len(arg_attrs) == 1:
            a[arg_attrs[0]] = [t.dtype for t in caps]
        else:
            for name, f in zip(arg_attrs, fns):
                a[name] = [t.dtype for t in f.captures]
        return self._derive(op_type, [*inputs, *caps], make, structure, a)


_DATASET_CLASS: list[Any] = []
# lookup tables live in the session, like TF's resources; a captured handle is that table
_TABLE_OPS = frozenset({"HashTableV2", "MutableHashTableV2", "MutableHashTableOfTensorsV2"})
_VARIABLE_READS = frozenset({"ReadVariableOp", "VariableV2", "VarHandleOp", "Variable"})
# the ops whose OpDef names the element types Toutput_types
_T_OUTPUT_TYPES = frozenset({"TensorSliceDataset", "TensorDataset"})


def make_dataset(op_type: str, inputs: list[Tensor], source: Any, structure: Any,
                 attrs: dict[str, Any] | None = None, name: str | None = None) -> Dataset:
    """One dataset op of TF's type; ``source(*input_values)`` makes its source."""
    graph = get_default_graph()
    specs = flatten(structure)
    types = "Toutput_types" if op_type in _T_OUTPUT_TYPES else "output_types"
    a = {types: [s.dtype for s in specs], "output_shapes": [s.shape for s in specs]}
    a.update(attrs or {})
    full = graph._op_name(name, op_type)
    op = make_op(graph, full, op_type, inputs, a, [(_dtypes.variant, ())], data=source)
    ds: Dataset = _DATASET_CLASS[0](op._outputs[0], structure)
    return ds


def _source(value: Any) -> Any:
    # a dataset fed to a traced function's variant placeholder arrives as a 0-d object array
    if isinstance(value, np.ndarray) and value.dtype == object and value.ndim == 0:
        item = value.item()
        if hasattr(item, "iterate"):
            return item
    return value


def _dataset_kernel(op: Operation) -> Callable[..., Any]:
    make = op._data
    return lambda *args: make(*(_source(a) for a in args))


def register_dataset_kernels(*op_types: str) -> None:
    # stateful: never folded into a constant (a source is a Python object, not an array)
    for t in op_types:
        register_kernel(t, stateful=True)(_dataset_kernel)


def int64_input(value: Any, name: str) -> Tensor:
    if isinstance(value, Tensor):
        return value
    return constant(value, dtype=_dtypes.int64, name=name)


def seed_tensors(seed: Any) -> tuple[Tensor, Tensor, bool]:
    """TF's data/util/random_seed.get_seed: the ``seed`` and ``seed2`` int64 tensors (seed2
    replaced by 2**31 - 1 when both would be 0); and whether either is set."""
    from varstore.ops.array_transform_ops import where_v2
    from varstore.ops.math_ops import equal, logical_and
    s1, s2 = get_seed(seed)
    seed_t = constant(0 if s1 is None else s1, dtype=_dtypes.int64, name="seed")
    if s2 is None:
        return seed_t, constant(0, dtype=_dtypes.int64, name="seed2"), s1 is not None
    with name_scope("seed2") as scope:
        s2_t = constant(s2, dtype=_dtypes.int64)
        seed2 = where_v2(logical_and(equal(seed_t, 0), equal(s2_t, 0)),
                         constant(2**31 - 1, dtype=_dtypes.int64), s2_t, name=scope)
    return seed_t, seed2, True


# -- traced functions -----------------------------------------------------------------------
class Traced:
    """A function traced once on placeholders of an element structure in a private graph
    (TF traces into a function graph). ``run(values)`` gives its flat outputs;
    ``structure`` is the output structure (of specs, or the element structure of the
    dataset it returns when ``dataset``)."""

    def __init__(self, func: Callable[..., Any], structure: Any, what: str,
                 unpack: bool = True) -> None:
        from varstore.framework.graph import Graph
        from varstore.ops.array_ops import placeholder
        self.graph = g = Graph()
        self.dataset = False
        self.outer = get_default_graph()
        self.captures: list[Tensor] = []  # outer tensors, fed to cap_phs at run time
        self.cap_phs: list[Tensor] = []
        self._captured: dict[int, Tensor] = {}
        g.__dict__["_capture_hook"] = self._capture
        with g.as_default():
            g.seed = self.outer.seed
            args, self.phs = self._args(structure, placeholder)
            try:
                if unpack and isinstance(args, tuple) and not hasattr(args, "_fields"):
                    out = func(*args)
                else:
                    out = func(args)
            except ValueError as e:
                if "must be from the same graph" in str(e):
                    raise ValueError(f"varstore's Dataset.{what} runs its function in its own "
                                     "graph: it cannot use tensors or variables of the outer "
                                     f"graph ({e})") from e
                raise
            if isinstance(out, DatasetBase):
                self.dataset = True
                self.structure = out._structure
                self.flat_out: list[Any] = [out._variant_tensor]
            else:
                if isinstance(out, list):
                    out = tuple(out)
                out = to_tensors(out, "output")
                self.flat_out = flatten(out)
                self.structure = specs_of(out)
        del g.__dict__["_capture_hook"]
        self._sessions: dict[int, Any] = {}

    def _capture(self, t: Tensor) -> Tensor:
        """The function graph's placeholder for an outer tensor ``t`` (TF's captured inputs:
        the dataset op takes the outer tensors as inputs, their values fixed when the
        dataset is made, i.e. when its iterator is initialized)."""
        from varstore.ops.array_ops import placeholder
        got = self._captured.get(id(t))
        if got is not None:
            return got
        # a variable's value would be read once, not per element as TF reads it
        table = t._op._type in _TABLE_OPS  # a lookup table: the session's table object
        if (t.dtype in (_dtypes.resource, _dtypes.variant) and not table) \
                or t.dtype.name.endswith("_ref") or t._op._type in _VARIABLE_READS:
            raise ValueError(f"varstore's tf.data functions cannot capture {t} (a variable "
                             "or dataset of the outer graph): pass its value in the dataset")
        source = t
        if t._op._graph is not self.outer:
            hook = self.outer.__dict__.get("_capture_hook")
            if hook is None:
                raise ValueError(f"Tensor {t} must be from the same graph as the function "
                                 "that uses it")
            source = hook(t)
        with self.graph.as_default():
            ph = placeholder(t.dtype, t.get_shape(), name=f"captured_{len(self.cap_phs)}")
        self.captures.append(source)
        self.cap_phs.append(ph)
        self._captured[id(t)] = ph
        return ph

    def bind(self, values: tuple[Any, ...]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
        """A runner for one instantiation (one run of the dataset op): the captured tensors'
        values fed, and its own private session, so stateful ops in the function (seeded
        random ops) start over with each new dataset, as TF's function instances do."""
        extra = dict(zip(self.cap_phs, values))
        sessions: dict[int, Any] = {}
        return lambda element: self.run(element, extra, sessions)

    @staticmethod
    def _args(structure: Any, placeholder: Any) -> tuple[Any, list[Any]]:
        phs: list[Any] = []

        def make(s: Any) -> Any:
            if isinstance(s, _DatasetArg):
                ph = placeholder(_dtypes.variant, [], name=f"args_{len(phs)}")
                phs.append(ph)
                ds = _DATASET_CLASS[0](ph, s.structure)
                return ds
            ph = placeholder(s.dtype, s.shape, name=f"args_{len(phs)}")
            phs.append(ph)
            return ph

        return pack_as(structure, [make(leaf) for leaf in flatten(structure)]), phs

    def run(self, values: tuple[Any, ...], extra: dict[Tensor, Any] | None = None,
            sessions: dict[int, Any] | None = None) -> tuple[Any, ...]:
        from varstore.framework.session import Session
        if self.cap_phs and not extra:
            raise ValueError("a traced function with captures runs through bind()")
        pool = self._sessions if sessions is None else sessions
        key = threading.get_ident()
        sess = pool.get(key)
        if sess is None:
            sess = pool[key] = Session(graph=self.graph)
        feed = dict(zip(self.phs, values))
        if extra:
            feed.update(extra)
        return tuple(sess.run(self.flat_out, feed))


def with_captures(fns: Sequence[Traced], source: Callable[..., Any]
                  ) -> tuple[list[Tensor], Callable[..., Any], dict[str, Any]]:
    """The captured inputs of ``fns`` (appended to a dataset op's inputs), a source factory
    that binds their values, and TF's ``Targuments``-style attr value (their dtypes).
    ``source(*args, runs=[bound run per fn])`` makes the source."""
    caps = [t for f in fns for t in f.captures]
    sizes = [len(f.captures) for f in fns]

    def make(*args: Any) -> Any:
        n = len(caps)
        base, values = (args[:len(args) - n], args[len(args) - n:]) if n else (args, ())
        runs, i = [], 0
        for f, k in zip(fns, sizes):
            runs.append(f.bind(tuple(values[i:i + k])))
            i += k
        return source(*base, runs=runs)

    return caps, make, {"Targuments": [t.dtype for t in caps]}


class _DatasetArg:
    """A component that is a dataset (group_by_window's window argument, an element of
    Dataset.window): a variant scalar in the graph."""

    def __init__(self, structure: Any) -> None:
        self.structure = structure
        self.dtype = _dtypes.variant
        self.shape = TensorShape([])


def dataset_arg(structure: Any) -> _DatasetArg:
    return _DatasetArg(structure)


def unknown_shape_like(structure: Any) -> Any:
    return pack_as(structure, [_Spec(s.dtype, TensorShape(None)) for s in flatten(structure)])
