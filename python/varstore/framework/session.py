"""``tf.Session``: runs fetches of a graph with feeds, through cached plans.

``Session.run`` flattens the fetches (tensors, ops, variables, ``'name:0'`` strings, and
nested lists, tuples, dicts and namedtuples of them), checks and converts the feeds, and runs
the plan cached for that (fetches, feeds, targets) signature (see executor.py). Variables
live in the graph's store; each session records which of them it has initialised, so a read
before initialisation is TF's FailedPreconditionError. ``np.asarray(tensor)`` runs through an
implicit per-graph session in which every variable counts as initialised.
"""

from __future__ import annotations

import collections
import contextlib
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework import ops as _ops
from varstore.framework.device import LOCAL_CPU, is_local_cpu
from varstore.framework.executor import Plan, RunContext, run_deadline, run_with_deadline
from varstore.framework.graph import Graph, get_default_graph
from varstore.framework.indexed_slices import IndexedSlices, IndexedSlicesValue
from varstore.framework.ops import Operation, Tensor
from varstore.framework.sparse_tensor import SparseTensor, SparseTensorValue
from varstore.framework.step_trace import StepTrace, tracing_requested
from varstore.util import nest

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["InteractiveSession", "Session", "get_default_session"]


# -- the default session: a per-thread stack (Session.as_default()) ------------------------
class _SessionStack(threading.local):
    def __init__(self) -> None:
        self.stack: list[BaseSession] = []


_session_stack = _SessionStack()


def get_default_session() -> BaseSession | None:
    """The innermost session of this thread's ``as_default()`` / ``with Session():``."""
    stack = _session_stack.stack
    return stack[-1] if stack else None


@contextlib.contextmanager
def _default(session: BaseSession) -> Iterator[BaseSession]:
    _session_stack.stack.append(session)
    try:
        yield session
    finally:
        stack = _session_stack.stack
        if stack and stack[-1] is session:
            stack.pop()
        elif session in stack:
            stack.remove(session)


# -- fetches ---------------------------------------------------------------------------------
def _is_namedtuple(x: Any) -> bool:
    return isinstance(x, tuple) and hasattr(x, "_fields")


class _Fetches:
    """A fetch structure flattened to graph elements, with the function that rebuilds it."""

    __slots__ = ("elements", "rebuild")

    def __init__(self, graph: Graph, fetches: Any) -> None:
        self.elements: list[Any] = []
        self.rebuild = self._flatten(graph, fetches)

    def _flatten(self, graph: Graph, fetch: Any) -> Callable[[list[Any]], Any]:
        if fetch is None:
            raise TypeError('Argument `fetch` = None has invalid type "NoneType". '
                            "Cannot be None")
        if isinstance(fetch, (list, tuple)) and not hasattr(fetch, "_as_graph_element"):
            parts = [self._flatten(graph, f) for f in fetch]
            if _is_namedtuple(fetch):
                cls = type(fetch)
                return lambda vals: cls(*[p(vals) for p in parts])
            if isinstance(fetch, tuple):
                return lambda vals: tuple(p(vals) for p in parts)
            return lambda vals: [p(vals) for p in parts]
        if isinstance(fetch, Mapping):
            keys = list(fetch.keys())
            parts = [self._flatten(graph, fetch[k]) for k in keys]
            mapping_cls: Any = type(fetch)

            def rebuild_dict(vals: list[Any]) -> Any:
                items = [(k, p(vals)) for k, p in zip(keys, parts)]
                if mapping_cls is dict:
                    return dict(items)
                try:
                    return mapping_cls(items)
                except TypeError:
                    return dict(items)

            return rebuild_dict
        if isinstance(fetch, SparseTensor):
            # TF's expansion: its three tensors, fetched back as one SparseTensorValue
            parts = [self._flatten(graph, t)
                     for t in (fetch.indices, fetch.values, fetch.dense_shape)]
            return lambda vals: SparseTensorValue(*[p(vals) for p in parts])
        if isinstance(fetch, IndexedSlices):
            # values, indices and (when it has one) dense_shape: an IndexedSlicesValue
            comps = [fetch.values, fetch.indices]
            if fetch.dense_shape is not None:
                comps.append(fetch.dense_shape)
            parts = [self._flatten(graph, t) for t in comps]
            return lambda vals: IndexedSlicesValue(
                *[p(vals) for p in parts], *([None] * (3 - len(parts))))
        element = _as_fetch(graph, fetch)
        index = len(self.elements)
        self.elements.append(element)
        return lambda vals: vals[index]


def _as_fetch(graph: Graph, fetch: Any) -> Any:
    # TF 2.x's messages, word for word
    try:
        return graph.as_graph_element(fetch, allow_tensor=True, allow_operation=True)
    except TypeError as exc:
        raise TypeError(f"Argument `fetch` = {fetch} has invalid type "
                        f'"{type(fetch).__name__}" must be a string or Tensor. '
                        f"({exc})") from None
    except (ValueError, KeyError) as exc:
        raise ValueError(f"Argument `fetch` = {fetch} cannot be interpreted as a Tensor. "
                         f"({exc})") from None


def _result(value: Any) -> Any:
    """What run() returns for a value: a NumPy scalar for 0-d; a copy of anything that
    aliases memory the runtime keeps (variables, constants: read-only arrays)."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return value[()]
        if not value.flags.writeable:
            return value.copy()
    return value


# -- feeds -----------------------------------------------------------------------------------
def _feed_key(graph: Graph, key: Any) -> Tensor:
    as_key = getattr(key, "_as_feed_key", None)
    if as_key is not None:
        key = as_key()
    try:
        t = graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
    except Exception as exc:  # noqa: BLE001 - TF reports every failure as this TypeError
        raise TypeError(f"Cannot interpret feed_dict key as Tensor: {exc}") from None
    return t  # type: ignore[no-any-return]


def _expand_feeds(feed_dict: Mapping[Any, Any]) -> Iterator[tuple[Any, Any]]:
    """The (key, value) feeds of ``feed_dict``, a SparseTensor key expanded to its three
    tensors, fed from a SparseTensorValue or any (indices, values, dense_shape) sequence
    (zipped as TF zips them: a shorter value feeds fewer components)."""
    for key, value in feed_dict.items():
        if isinstance(key, SparseTensor):
            yield from zip((key.indices, key.values, key.dense_shape), value)
        elif isinstance(key, IndexedSlices):
            comps = [key.values, key.indices]
            if key.dense_shape is not None:
                comps.append(key.dense_shape)
            yield from zip(comps, value)
        else:
            yield key, value


def _feed_value(t: Tensor, value: Any) -> np.ndarray:
    """TF's feed checks and conversion (session.py: np.asarray with the tensor's dtype)."""
    if isinstance(value, Tensor) or hasattr(type(value), "_as_tensor"):
        raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable feed "
                        "values include Python scalars, strings, lists, numpy ndarrays, or "
                        "TensorHandles. For reference, the tensor object was "
                        f"{value} which was passed to the argument `feed_dict` with key {t}.")
    dt = t._dtype
    if (isinstance(value, int) and not isinstance(value, bool) and dt.is_integer
            and np.asarray(value).astype(dt._np) != value):
        raise TypeError(f"Type of feed value {value} with type {type(value)} is not "
                        f"compatible with Tensor type {dt!r}. Try explicitly setting the "
                        "type of the feed tensor to a larger type (e.g. int64).")
    if dt is _dtypes.string:
        arr = np.asarray(value, dtype=object)
        if arr.dtype == object and any(isinstance(v, str) for v in arr.reshape(-1)):
            # TF holds a fed str as its UTF-8 bytes (what string kernels see and fetches give)
            arr = np.vectorize(lambda v: v.encode() if isinstance(v, str) else v,
                               otypes=[object])(arr)
    else:
        try:
            arr = np.asarray(value, dtype=dt._np)
        except OverflowError:
            # TF (numpy_compat.np_asarray) converts then casts, so out-of-range Python
            # ints in a list wrap as they did under NumPy 1
            arr = np.asarray(value).astype(dt._np)
    shape = t._shape
    if shape is not None:
        ok = len(shape) == arr.ndim and all(
            d is None or d == a for d, a in zip(shape, arr.shape))
        if not ok:
            raise ValueError(f"Cannot feed value of shape {arr.shape} for Tensor {t.name}, "
                             f"which has shape {t.shape}")
    return arr


def _feed_converter(t: Tensor) -> Callable[[Any], Any]:
    """The feed check of ``t`` for the fast path: an ndarray of the right dtype and shape
    passes untouched, anything else takes TF's full conversion."""
    np_dt = t._dtype._np
    shape = t._shape

    def convert(value: Any) -> Any:
        if type(value) is np.ndarray and value.dtype == np_dt and shape is not None and \
                value.ndim == len(shape):
            for d, a in zip(shape, value.shape):
                if d is not None and d != a:
                    break
            else:
                return value
        return _feed_value(t, value)

    return convert


# -- sessions --------------------------------------------------------------------------------
class BaseSession:
    """A TF1 session over one graph (``tf.Session``)."""

    def __init__(self, target: str = "", graph: Graph | None = None, config: Any = None) -> None:
        if graph is None:
            graph = get_default_graph()
        elif not isinstance(graph, Graph):
            raise TypeError(f"graph must be a tf.Graph, but got {type(graph)}")
        self._graph = graph
        self._config = config
        self._closed = False
        self._ctx = RunContext(graph, self)
        self._plans: dict[tuple[Any, ...], Plan] = {}
        self._fast: dict[Any, Any] = {}  # run signature -> (plan, feed converters, ...)
        self._plan_lock = threading.Lock()
        self._placed = 0  # how many of the graph's ops have been checked for placement
        self._soft_placement = bool(getattr(config, "allow_soft_placement", False)) \
            if config is not None else False
        # ConfigProto.operation_timeout_in_ms: the deadline of every run that sets none
        self._timeout_ms = int(getattr(config, "operation_timeout_in_ms", 0) or 0) \
            if config is not None else 0
        if config is not None:
            threads = getattr(config, "intra_op_parallelism_threads", 0)
            if threads:
                from varstore import kernels

                kernels.set_num_threads(int(threads))

    @property
    def graph(self) -> Graph:
        return self._graph

    @property
    def graph_def(self) -> Any:
        """The session graph's GraphDef (``graph.as_graph_def(add_shapes=True)``, as TF's)."""
        return self._graph.as_graph_def(add_shapes=True)

    @property
    def sess_str(self) -> str:
        return ""

    def list_devices(self) -> list[Any]:
        return []

    # -- running ---------------------------------------------------------------------------
    def run(self, fetches: Any, feed_dict: Any = None, options: Any = None,
            run_metadata: Any = None) -> Any:
        """Runs the ops and evaluates the tensors in ``fetches``, with ``feed_dict``."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        if run_metadata is not None:
            # TF parses the step's metadata into run_metadata, replacing what it held: the
            # kernels' times when traced, else nothing
            if tracing_requested(options, run_metadata):
                with StepTrace() as trace:
                    result = self.run(fetches, feed_dict, options)
                run_metadata.Clear()
                trace.fill(run_metadata)
            else:
                result = self.run(fetches, feed_dict, options)
                run_metadata.Clear()
            return result
        if (options is not None or self._timeout_ms) and run_deadline() is None:
            timeout = self._timeout(options)
            if timeout > 0:
                return run_with_deadline(timeout, lambda: self.run(fetches, feed_dict))
        graph = self._graph
        if not graph._ops:
            raise RuntimeError("The Session graph is empty. Add operations to the graph before "
                               "calling run().")
        # The fast path: a signature seen before (fetches and feed keys that are graph
        # objects, which live as long as the graph, so their ids are a sound key).
        kind = type(fetches)
        if kind is Tensor or kind is Operation:
            fkey: Any = id(fetches)
        elif kind is list or kind is tuple:
            fkey = (kind, *map(id, fetches))
        else:
            fkey = None
        if fkey is not None:
            key = (fkey, tuple(map(id, feed_dict)) if feed_dict else ())
            fast = self._fast.get(key)
            if fast is not None:
                plan, convert, where, rebuild_kind = fast
                values = plan.execute([c(v) for c, v in zip(convert, feed_dict.values())]
                                      if feed_dict else ())
                results = [None if i < 0 else _result(values[i]) for i in where]
                if rebuild_kind is None:
                    return results[0]
                return results if rebuild_kind is list else tuple(results)
        if type(fetches) is Tensor:  # the common case: one tensor
            fetch_list: list[Any] = [fetches]
            if fetches._op._graph is not graph:
                _as_fetch(graph, fetches)
            rebuild = None
        else:
            flat = _Fetches(graph, fetches)
            fetch_list = flat.elements
            rebuild = flat.rebuild
        feed_tensors: list[Tensor] = []
        feed_values: list[Any] = []
        if feed_dict:
            if any(type(k) is not Tensor and isinstance(k, tuple) for k in feed_dict):
                # nested keys (an RNN's state tuple) feed their leaves, as TF's
                feed_dict = nest.flatten_dict_items(feed_dict)
            for feed_key, value in _expand_feeds(feed_dict):
                t = _feed_key(graph, feed_key)
                feed_tensors.append(t)
                feed_values.append(_feed_value(t, value))
        values = self._run(fetch_list, feed_tensors, feed_values)
        # Only flat fetches: the fast path returns a flat list (a nested fetch has list or
        # tuple elements, whose ids do not pin their contents).
        if fkey is not None and all(type(f) is Tensor or type(f) is Operation
                                    for f in (fetch_list if kind is Tensor or kind is Operation
                                              else fetches)) and \
                all(type(k) is Tensor for k in (feed_dict or ())):
            self._remember(key, fetch_list, feed_tensors,
                           None if kind is Tensor or kind is Operation else kind)
        if rebuild is None:
            return values[0]
        return rebuild(values)

    def _timeout(self, options: Any) -> int:
        """The run's timeout in ms: RunOptions.timeout_in_ms, else the session's
        operation_timeout_in_ms (0: none)."""
        return int(getattr(options, "timeout_in_ms", 0) or 0) or self._timeout_ms

    def _remember(self, key: Any, fetch_list: Sequence[Any], feed_tensors: Sequence[Tensor],
                  rebuild_kind: Any) -> None:
        """Caches the prepared signature of a run for the fast path."""
        tensors = [f for f in fetch_list if type(f) is Tensor]
        targets = [f for f in fetch_list if type(f) is not Tensor]
        pkey = (tuple(map(id, tensors)), tuple(map(id, targets)), tuple(map(id, feed_tensors)))
        plan = self._plans.get(pkey)
        if plan is None:
            return
        where = []
        n = 0
        for f in fetch_list:
            if type(f) is Tensor:
                where.append(n)
                n += 1
            else:
                where.append(-1)
        convert = [_feed_converter(t) for t in feed_tensors]
        with self._plan_lock:
            if len(self._fast) > 4096:
                self._fast.clear()
            self._fast[key] = (plan, convert, where, rebuild_kind)

    def _run(self, fetch_list: Sequence[Any], feed_tensors: Sequence[Tensor],
             feed_values: Sequence[Any]) -> list[Any]:
        tensors: list[Tensor] = []
        targets: list[Operation] = []
        where: list[int] = []  # index into tensors, or -1 for an op
        for f in fetch_list:
            if type(f) is Tensor:
                where.append(len(tensors))
                tensors.append(f)
            else:
                where.append(-1)
                targets.append(f)
        key = (tuple(map(id, tensors)), tuple(map(id, targets)), tuple(map(id, feed_tensors)))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._make_plan(key, tensors, targets, feed_tensors)
        out = plan.execute(feed_values)
        return [None if i < 0 else _result(out[i]) for i in where]

    def _check_placement(self) -> None:
        """TF's placer: every op of the graph (fetched or not) goes on a device the session
        has, which here is the local CPU; an op pinned elsewhere (``/gpu:0``,
        ``/job:worker``) fails the run; ConfigProto.allow_soft_placement moves an op of
        another device type or index to the CPU, but not one of another job or task.
        TF places a no-input generator with its consumer, so when a generator and a
        consumer are both misplaced the consumer is the op it names."""
        ops = self._graph._ops
        if self._placed >= len(ops):
            return
        soft = self._soft_placement
        bad = [op for op in ops[self._placed:] if not is_local_cpu(op._device, soft)]
        if bad:
            op = next((o for o in bad if o._inputs), bad[0])
            raise InvalidArgumentError(
                op.node_def, op,
                f"Cannot assign a device for operation {op.name}: {{{{node {op.name}}}}} was "
                f"explicitly assigned to {op._device} but available devices are "
                f"[ {LOCAL_CPU} ]. Make sure the device specification refers to a valid "
                "device.")
        self._placed = len(ops)

    def _make_plan(self, key: tuple[Any, ...], tensors: list[Tensor], targets: list[Operation],
                   feeds: Sequence[Tensor]) -> Plan:
        self._check_placement()
        plan = Plan(self._ctx, tensors, targets, list(feeds))
        with self._plan_lock:
            # The key holds ids: keep the objects alive as long as the plan (in the plan).
            self._plans[key] = plan
        return plan

    def make_callable(self, fetches: Any, feed_list: Any = None,
                      accept_options: bool = False) -> Callable[..., Any]:
        """A function running ``fetches`` with the values of ``feed_list`` as positional
        arguments (TF's make_callable)."""
        graph = self._graph
        flat = _Fetches(graph, fetches)
        feeds = [_feed_key(graph, k) for k in (feed_list or [])]
        elements = flat.elements
        rebuild = flat.rebuild
        single = type(fetches) is Tensor or (not isinstance(fetches, (list, tuple, Mapping)))

        def call(*args: Any, **kwargs: Any) -> Any:
            if len(args) != len(feeds):
                raise TypeError(f"Expected {len(feeds)} argument(s), got {len(args)}")
            values = [_feed_value(t, v) for t, v in zip(feeds, args)]
            if self._closed:
                raise RuntimeError("Attempted to use a closed Session.")
            timeout = self._timeout(kwargs.get("options") if accept_options else None)
            if timeout > 0 and run_deadline() is None:
                out = run_with_deadline(timeout, lambda: self._run(elements, feeds, values))
            else:
                out = self._run(elements, feeds, values)
            if single:
                return out[0]
            return rebuild(out)

        return call

    def partial_run_setup(self, fetches: Any, feeds: Any = None) -> Any:
        raise NotImplementedError("varstore lacks Session.partial_run_setup")

    def close(self) -> None:
        """Closes the session: runs blocked in its queues end with CancelledError."""
        self._closed = True
        self._plans.clear()
        self._fast.clear()
        self._ctx.close()

    def as_default(self) -> Any:
        """Makes this the default session (``tf.get_default_session()``) inside the block;
        leaving it does not close the session."""
        return _default(self)

    def __enter__(self) -> Self:
        # TF's Session.__enter__: the session's graph becomes the default graph too, so
        # `with tf.Session(graph=g):` builds (and loads SavedModels) into g
        self._graph_cm: Any = self.graph.as_default()
        self._graph_cm.__enter__()
        self._default_cm: Any = _default(self)
        self._default_cm.__enter__()
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        cm = getattr(self, "_default_cm", None)
        if cm is not None:
            self._default_cm = None
            cm.__exit__(exc_type, exc, tb)
        graph_cm = getattr(self, "_graph_cm", None)
        if graph_cm is not None:
            self._graph_cm = None
            graph_cm.__exit__(exc_type, exc, tb)
        self.close()

    def __del__(self) -> None:
        self._closed = True


class Session(BaseSession):
    """``tf.Session(target='', graph=None, config=None)``."""

    @staticmethod
    def reset(target: str, containers: Any = None, config: Any = None) -> None:
        return None


class InteractiveSession(BaseSession):
    """A session that makes itself the default on creation (``InteractiveSession``)."""

    def __init__(self, target: str = "", graph: Graph | None = None, config: Any = None) -> None:
        super().__init__(target, graph, config)
        self._interactive_cm: Any = _default(self)
        self._interactive_cm.__enter__()

    def close(self) -> None:
        super().close()
        cm = getattr(self, "_interactive_cm", None)
        if cm is not None:
            self._interactive_cm = None
            cm.__exit__(None, None, None)


# -- running without a session: Tensor.eval / Operation.run, and np.asarray(tensor) --------
def _run_in(fetch: Any, feed_dict: Any, session: Any) -> Any:
    if session is None:
        session = get_default_session()
        if session is None:
            # TF's two messages differ in wording (and in the colon after as_default())
            if isinstance(fetch, Operation):
                raise ValueError("Cannot execute operation using `run()`: No default session "
                                 "is registered. Use `with sess.as_default():` or pass an "
                                 "explicit session to `run(session=sess)`")
            raise ValueError("Cannot evaluate tensor using `eval()`: No default session is "
                             "registered. Use `with sess.as_default()` or pass an explicit "
                             "session to `eval(session=sess)`")
    if fetch.graph is not session.graph:
        raise ValueError("Cannot use the given session to evaluate tensor: the tensor's graph "
                         "is different from the session's graph.")
    return session.run(fetch, feed_dict)


class _EagerSession(BaseSession):
    """The implicit session behind ``np.asarray(tensor)``: no feeds, every variable counts
    as initialised (one without a value yet runs its initializer first), plans kept in a
    small LRU cache."""

    _MAX_PLANS = 256

    def __init__(self, graph: Graph) -> None:
        super().__init__(graph=graph)
        self._ctx = RunContext(graph, self, eager=True)
        self._lru: collections.OrderedDict[tuple[Any, ...], Plan] = collections.OrderedDict()

    def _make_plan(self, key: tuple[Any, ...], tensors: list[Tensor], targets: list[Operation],
                   feeds: Sequence[Tensor]) -> Plan:
        plan = Plan(self._ctx, tensors, targets, list(feeds))
        with self._plan_lock:
            self._plans[key] = plan
            self._lru[key] = plan
            while len(self._lru) > self._MAX_PLANS:
                old, _ = self._lru.popitem(last=False)
                self._plans.pop(old, None)
        return plan


def eager_session(graph: Graph) -> BaseSession:
    session = graph._eager
    if session is None:
        with graph._lock:
            session = graph._eager
            if session is None:
                session = graph._eager = _EagerSession(graph)
    return session  # type: ignore[no-any-return]


def _eager_value(t: Tensor) -> Any:
    return eager_session(t._op._graph).run(t)


_ops._SESSION_HOOKS["run"] = _run_in
_ops._SESSION_HOOKS["eager"] = _eager_value
