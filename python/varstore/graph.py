"""Graphs: each owns a C++ variable store, its graph-wide name uniquifier and collections.

The name stack and the variable-scope state are per thread and per graph, as in TF1.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from typing import Any

from varstore import _core

__all__ = [
    "Graph",
    "GraphKeys",
    "add_to_collection",
    "add_to_collections",
    "get_collection",
    "get_collection_ref",
    "get_default_graph",
    "get_name_scope",
    "name_scope",
    "reset_default_graph",
]

_ROOT_PATTERN = r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$"
_SCOPE_PATTERN = r"^[A-Za-z0-9_.\\/>-]*$"
# How TF prints the compiled node-name regex in its error (backslashes doubled once more).
_ROOT_PATTERN_REPR = _ROOT_PATTERN.replace("\\", "\\\\")
_REGEX_CHARS = frozenset(".^$*+?{}[]\\|()")


class GraphKeys:
    """Standard collection names, as ``tf.GraphKeys``."""

    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"
    VARIABLES = "variables"


# Collections whose membership the C++ store also records, so that a scoped listing can
# walk the trie instead of filtering every variable (bit values of CollectionBits).
_STORE_BITS = {
    GraphKeys.GLOBAL_VARIABLES: 1,
    GraphKeys.TRAINABLE_VARIABLES: 2,
    GraphKeys.LOCAL_VARIABLES: 4,
}


class _ScopeState:
    """Per-thread, per-graph state: the name stack, the current variable scope and the
    variable-scope default_name counters (TF keeps these thread-local, per graph)."""

    __slots__ = ("counters", "depth", "name_stack", "var_scope")

    def __init__(self) -> None:
        self.name_stack = ""
        self.depth = 0  # open variable scopes
        self.var_scope: Any = None  # VariableScope; the root one is made on first use
        self.counters = _core.store.ScopeCounters()


# Name validity is checked on every op and scope: remember the answers for names seen.
_valid_root: dict[str, bool] = {}
_valid_scope: dict[str, bool] = {}
_CACHE_LIMIT = 100_000


def _is_valid_root(name: str) -> bool:
    ok = _valid_root.get(name)
    if ok is None:
        ok = bool(_core.store.is_valid_root_name(name))
        if len(_valid_root) < _CACHE_LIMIT:
            _valid_root[name] = ok
    return ok


def _is_valid_scope(name: str) -> bool:
    ok = _valid_scope.get(name)
    if ok is None:
        ok = bool(_core.store.is_valid_scope_name(name))
        if len(_valid_scope) < _CACHE_LIMIT:
            _valid_scope[name] = ok
    return ok


def _check_scope_name(name: str, nested: bool) -> None:
    """TF's name_scope validation: nested names may start with '_', '-', '/', '\\'."""
    if nested:
        if not _is_valid_scope(name):
            raise ValueError(
                f"'{name}' is not a valid scope name. A scope name has to match the following "
                f"pattern: {_SCOPE_PATTERN}"
            )
    elif not _is_valid_root(name):
        raise ValueError(
            f"'{name}' is not a valid root scope name. A root scope name has to match the "
            f"following pattern: {_ROOT_PATTERN}"
        )


_unique_name = _core.store.unique_name
_select_prefix = _core.store.select_prefix


class _GraphNameScope:
    """``Graph.name_scope(name)``: enters ``name`` (made unique) below the current name
    scope; '' or None goes back to the root, a trailing '/' re-enters a scope exactly."""

    __slots__ = ("_graph", "_name", "_old", "_state")

    def __init__(self, graph: Graph, name: str | None) -> None:
        if name and not isinstance(name, str):
            raise TypeError(f"name for name_scope must be a string, got {name!r}")
        self._graph = graph
        self._name = name

    def __enter__(self) -> str:
        state = self._graph._thread
        name = self._name
        old = state.name_stack
        if not name:
            new_stack = returned = ""
        else:
            _check_scope_name(name, bool(old))
            if name[-1] == "/":
                new_stack = name[:-1]
                returned = name
            else:
                new_stack = _unique_name(self._graph._store, old, name, True)
                returned = new_stack + "/"
        self._state = state
        self._old = old
        state.name_stack = new_stack
        return returned

    def __exit__(self, *exc: object) -> None:
        self._state.name_stack = self._old


class Graph:
    """A TF1 graph: the owner of one variable store, its names and its collections."""

    # The attributes the C fast paths read on every call are slots (one load there); every
    # other attribute lives in the instance dict as usual.
    __slots__ = ("__dict__", "__weakref__", "_collections", "_init_kinds", "_store", "_tls",
                 "_variables")

    def __init__(self) -> None:
        self._store = _core.store.VariableStore()
        self._tls = threading.local()
        self._lock = threading.RLock()
        self._collections: dict[Any, list[Any]] = {
            GraphKeys.GLOBAL_VARIABLES: [],
            GraphKeys.TRAINABLE_VARIABLES: [],
        }
        # Collections changed by hand can no longer be listed through the store's trie.
        self._hand_edited: set[Any] = set()
        # The Python wrapper of each store id (None while its creator is still filling it).
        self._variables: list[Any] = []
        self.seed: int | None = None
        self._last_id = 0
        self._finalized = False
        self._packed_filters: dict[int, Any] = {}
        self._constraints: dict[int, Any] = {}
        self._exact_names: set[str] = set()
        self._pending: Any = None  # the tensor of a conv2d waiting to fuse (see nn.py)
        # Variable.initial_value's op: a kind byte per variable, a name where it is special.
        self._init_kinds = bytearray()
        self._initial_names: dict[int, str] = {}

    @property
    def _thread(self) -> _ScopeState:
        """This thread's scope state in this graph."""
        try:
            return self._tls.state  # type: ignore[no-any-return]
        except AttributeError:
            state = _ScopeState()
            self._tls.state = state
            return state

    # -- names ----------------------------------------------------------------------------
    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """The name an op called ``name`` gets under the current name scope."""
        return str(_unique_name(self._store, self._thread.name_stack, name, mark_as_used))

    def get_name_scope(self) -> str:
        return str(self._thread.name_stack)

    def _op_name(self, name: str | None, default: str) -> str:
        """The full name of a new op: ``name`` (or ``default``) made unique under the current
        name scope; a trailing '/' names the op exactly. The full name must be a valid node
        name (checked after the name is taken, as TF does)."""
        pending = self._pending
        if pending is not None:
            # A conv2d waiting to fuse with a bias add or ReLU: another op comes first.
            self._pending = None
            pending._value  # noqa: B018 - computes it
        if name is None:
            name = default
        elif not isinstance(name, str):
            raise TypeError(f"name must be a string, got {type(name).__name__}: {name!r}")
        if name and name[-1] == "/":
            full = name[:-1]
            # An exact name is not marked in the uniquifier, but two ops cannot share it.
            if full in self._exact_names:
                raise ValueError(f"Duplicate node name in graph: '{full}'")
            self._exact_names.add(full)
        else:
            full = _unique_name(self._store, self._thread.name_stack, name, True)
            if full in self._exact_names:  # taken by an op named exactly ("abs/")
                raise ValueError(f"Duplicate node name in graph: '{full}'")
        if not _core.store.is_valid_root_name(full):
            raise ValueError(
                f"`{full}` is not a valid node name. Accepted names conform to Regex "
                f"/re.compile('{_ROOT_PATTERN_REPR}')/"
            )
        self._last_id += 1
        return str(full)

    def name_scope(self, name: str | None) -> _GraphNameScope:
        """Graph.name_scope: enters ``name`` (made unique) below the current name scope."""
        return _GraphNameScope(self, name)

    # -- default graph --------------------------------------------------------------------
    @contextlib.contextmanager
    def as_default(self) -> Iterator[Graph]:
        _push_default(self)
        try:
            yield self
        finally:
            _pop_default()

    @property
    def building_function(self) -> bool:
        return False

    @property
    def finalized(self) -> bool:
        return self._finalized

    def finalize(self) -> None:
        self._finalized = True

    @property
    def graph_def_versions(self) -> Any:
        return None

    # -- collections ----------------------------------------------------------------------
    def add_to_collection(self, name: Any, value: Any) -> None:
        with self._lock:
            self._collections.setdefault(name, []).append(value)
            if name in _STORE_BITS:
                self._hand_edited.add(name)

    def add_to_collections(self, names: Any, value: Any) -> None:
        if isinstance(names, str):
            names = (names,)
        for name in set(names):
            self.add_to_collection(name, value)

    def _add_variable_to_collections(self, names: Any, variable: Any) -> None:
        """Adds a new variable to its collections (the store already knows its bits)."""
        with self._lock:
            for name in names:
                self._collections.setdefault(name, []).append(variable)

    def get_collection_ref(self, name: Any) -> list[Any]:
        with self._lock:
            coll = self._collections.get(name)
            if coll is None:
                coll = []
                self._collections[name] = coll
            if name in _STORE_BITS:
                # The caller may edit the list: stop trusting the store's bits.
                self._hand_edited.add(name)
            return coll

    def get_collection(self, name: Any, scope: str | None = None) -> list[Any]:
        with self._lock:
            coll = self._collections.get(name)
            if coll is None:
                return []
            if scope is None:
                return list(coll)
            bits = _STORE_BITS.get(name)
            if (
                bits is not None
                and name not in self._hand_edited
                and isinstance(scope, str)
                and _REGEX_CHARS.isdisjoint(scope)
            ):
                # re.match of a literal is a prefix test: walk only the matching subtrie.
                # (An id whose wrapper another thread is still publishing is left out.)
                return _select_prefix(self._store, scope, bits, self._variables)
            regex = re.compile(scope)
            out = []
            for item in coll:
                try:
                    item_name = item.name
                except AttributeError:
                    continue
                if item_name is not None and regex.match(item_name):
                    out.append(item)
            return out

    def get_all_collection_keys(self) -> list[Any]:
        with self._lock:
            return [k for k, v in self._collections.items() if isinstance(k, str)]

    def clear_collection(self, name: Any) -> None:
        with self._lock:
            self._collections.pop(name, None)
            if name in _STORE_BITS:
                self._hand_edited.add(name)

    def __repr__(self) -> str:
        return f"<varstore.Graph object at {id(self):#x}>"


# -- the default graph: a global one, plus a per-thread stack of as_default() graphs -------
class _DefaultStack(threading.local):
    def __init__(self) -> None:
        self.stack: list[Graph] = []


_default_graph_stack = _DefaultStack()
_global_default_graph: Graph | None = None
_global_lock = threading.Lock()
# How many as_default() contexts are open in all threads: while none is, the default graph
# is the global one and get_default_graph() need not look at the thread-local stack.
_open_defaults = [0]


def _default_stack() -> list[Graph]:
    return _default_graph_stack.stack


def _push_default(graph: Graph) -> None:
    with _global_lock:
        _open_defaults[0] += 1
    _default_graph_stack.stack.append(graph)


def _pop_default() -> None:
    _default_graph_stack.stack.pop()
    with _global_lock:
        _open_defaults[0] -= 1


def get_default_graph() -> Graph:
    """The innermost ``as_default()`` graph of this thread, else the global default graph."""
    if _open_defaults[0]:
        stack = _default_graph_stack.stack
        if stack:
            return stack[-1]
    graph = _global_default_graph
    if graph is None:
        return _make_global_default()
    return graph


def _make_global_default() -> Graph:
    global _global_default_graph
    with _global_lock:
        if _global_default_graph is None:
            _global_default_graph = Graph()
        return _global_default_graph


def reset_default_graph() -> None:
    """Clears the default graph: a new, empty graph (with a new store) replaces it."""
    global _global_default_graph
    graph = _global_default_graph
    if _default_graph_stack.stack or (graph is not None and graph._thread.depth):
        # TF's variable_scope enters its graph as the default, so this covers it too.
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a "
            "cleared graph, exit the nesting and create a new graph."
        )
    with _global_lock:
        _global_default_graph = Graph()


def get_name_scope() -> str:
    return get_default_graph().get_name_scope()


class _name_scope:
    """``tf.name_scope(name, default_name=None, values=None)``: a scope for op names."""

    __slots__ = ("_default_name", "_name", "_old", "_pushed", "_state", "_values")

    def __init__(self, name: str | None, default_name: str | None = None,
                 values: Any = None) -> None:
        self._name = default_name if name is None else name
        self._default_name = default_name
        self._values = values
        self._pushed = False

    @property
    def name(self) -> str | None:
        return self._name

    def __enter__(self) -> str:
        name = self._name
        values = self._values
        if name is None and values is not None:
            raise ValueError(
                f"At least one of name ({self._name}) and default_name ({self._default_name}) "
                "must be provided."
            )
        graph = get_default_graph()
        if values:
            other = _graph_of_values(values)
            if other is not graph:
                graph = other
                self._pushed = True
                _push_default(graph)
        try:
            state = graph._tls.state
        except AttributeError:
            state = graph._thread
        old = state.name_stack
        if not name:
            new_stack = returned = ""
        else:
            try:
                # Graph.name_scope's rules (see _GraphNameScope), inlined: this is hot.
                if type(name) is not str:
                    raise TypeError(f"name for name_scope must be a string, got {name!r}")
                if (_valid_scope if old else _valid_root).get(name) is not True:
                    _check_scope_name(name, bool(old))
            except BaseException:
                if self._pushed:
                    self._pushed = False
                    _pop_default()
                raise
            if name[-1] == "/":
                new_stack = name[:-1]
                returned = name
            else:
                new_stack = _unique_name(graph._store, old, name, True)
                returned = new_stack + "/"
        self._state = state
        self._old = old
        state.name_stack = new_stack
        return returned

    def __exit__(self, *exc: object) -> None:
        self._state.name_stack = self._old
        if self._pushed:
            self._pushed = False
            _pop_default()


# tf.name_scope: a C context manager that enters name_scope("name") itself (no Python frame)
# and hands every other form to _name_scope above, which owns the rules.
_name_scope.__qualname__ = "name_scope"  # TF's wording in argument errors
_name_scope.__init__.__qualname__ = "name_scope.__init__"
name_scope = _core.store.make_name_scope_type(_name_scope, get_default_graph)


def _graph_of_values(values: Any) -> Graph:
    """The graph of the values that have one (tensors, variables), else the default; all of
    them must share it (TF's _get_graph_from_inputs)."""
    try:
        items = list(values)
    except TypeError:
        items = [values]
    found: Graph | None = None
    first: Any = None
    for item in items:
        graph = getattr(item, "graph", None)
        if not isinstance(graph, Graph):
            continue
        if found is None:
            found, first = graph, item
        elif graph is not found:
            raise ValueError(f"{item} must be from the same graph as {first} (graphs are "
                             f"{graph!r} and {found!r}).")
    return found if found is not None else get_default_graph()


def get_collection(key: Any, scope: str | None = None) -> list[Any]:
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key: Any) -> list[Any]:
    return get_default_graph().get_collection_ref(key)


def add_to_collection(name: Any, value: Any) -> None:
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names: Any, value: Any) -> None:
    get_default_graph().add_to_collections(names, value)
