"""Graphs: each holds its operations and owns a C++ variable store (its graph-wide name
uniquifier, variables) and collections.

The name stack, variable-scope state, control-dependency and device stacks are per thread and
per graph, as in TF1; so is the default graph (a new thread starts with its own).
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from typing import Any

from varstore import _core
from varstore.framework.graph_contexts import (
    _ControlDependencies,
    _DeviceScope,
    _GradientOverride,
    _GraphNameScope,
    _ScopeState,
)
from varstore.framework.graph_keys import _STORE_BITS, GraphKeys
from varstore.framework.name_rules import (
    _REGEX_CHARS,
    _ROOT_PATTERN_REPR,
    _check_scope_name,
    _valid_root,
    _valid_scope,
)

__all__ = [
    "Graph",
    "GraphKeys",
    "add_to_collection",
    "add_to_collections",
    "colocate_with",
    "container",
    "control_dependencies",
    "device",
    "get_collection",
    "get_collection_ref",
    "get_default_graph",
    "get_name_scope",
    "name_scope",
    "reset_default_graph",
]


_unique_name = _core.store.unique_name
_select_prefix = _core.store.select_prefix


class Graph:
    """A TF1 graph: its operations, one variable store (names, variables, uniquifier) and
    its collections. Building an op records a node; running is a Session's job."""

    # The attributes the C fast paths read on every call are slots (one load there); every
    # other attribute lives in the instance dict as usual.
    __slots__ = ("__dict__", "__weakref__", "_collections", "_init_kinds", "_nodes_by_name",
                 "_ops", "_store", "_tls", "_variables")
    _shares_graph = True  # a space of variable values (state_ops): the graph's own

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
        # The nodes, in creation order, and by name.
        self._ops: list[Any] = []
        self._nodes_by_name: dict[str, Any] = {}
        self.seed: int | None = None
        # Unseeded random ops made under a graph seed so far (TF 2's _graph_to_seed_dict).
        self._random_seed_count = 0
        self._finalized = False
        self._constraints: dict[int, Any] = {}
        # Variable.initial_value's op: a kind byte per variable, a name where it is special.
        self._init_kinds = bytearray()
        self._initial_names: dict[int, str] = {}
        # Per variable id: its ops (handle, initializer, read) as made by variables.py.
        self._var_ops: dict[int, Any] = {}
        # Per variable id: its current value (an ndarray, None until first initialised).
        # Writers hold _var_lock; values are replaced or written in place (see state_ops).
        self._var_values: list[Any] = []
        self._var_lock = threading.Lock()
        self._values_owner: Any = None  # a weakref to the session context using them
        self._eager: Any = None  # the implicit session of np.asarray(tensor)
        self._seed_ops = 0  # ops that asked for a random seed (TF's op-seed default)
        self._building_function = False
        self._gradient_overrides: dict[str, str] = {}

    @property
    def _thread(self) -> _ScopeState:
        """This thread's scope state in this graph."""
        try:
            return self._tls.state  # type: ignore[no-any-return]
        except AttributeError:
            state = _ScopeState()
            self._tls.state = state
            return state

    def switch_to_thread_local(self) -> None:
        """TF's switch from scope stacks shared by all threads to per-thread stacks: varstore
        keeps the name / device / control-dependency state per thread from the start
        (``_thread``), so after this call the graph behaves as TF's does."""

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
        if name is None:
            name = default
        elif not isinstance(name, str):
            raise TypeError(f"name must be a string, got {type(name).__name__}: {name!r}")
        if name and name[-1] == "/":
            full = name[:-1]
        else:
            full = _unique_name(self._store, self._thread.name_stack, name, True)
        if full in self._nodes_by_name:
            raise ValueError(f"Duplicate node name in graph: '{full}'")
        if not _core.store.is_valid_root_name(full):
            raise ValueError(
                f"`{full}` is not a valid node name. Accepted names conform to Regex "
                f"/re.compile('{_ROOT_PATTERN_REPR}')/"
            )
        return str(full)

    def name_scope(self, name: str | None) -> _GraphNameScope:
        """Graph.name_scope: enters ``name`` (made unique) below the current name scope."""
        return _GraphNameScope(self, name)

    # -- nodes ----------------------------------------------------------------------------
    def get_operations(self) -> list[Any]:
        return list(self._ops)

    def get_operation_by_name(self, name: str) -> Any:
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not "
                            f"{type(name).__name__}.")
        op = self._nodes_by_name.get(name)
        if op is None:  # TF's messages ("... appears to refer to a Tensor", KeyError)
            return self._as_graph_element(name, allow_tensor=False, allow_operation=True)
        return op

    def get_tensor_by_name(self, name: str) -> Any:
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj: Any, allow_tensor: bool = True,
                         allow_operation: bool = True) -> Any:
        """TF's Graph.as_graph_element: a Tensor, Operation, or a name of one, in this graph."""
        with self._lock:
            return self._as_graph_element(obj, allow_tensor, allow_operation)

    def _as_graph_element(self, obj: Any, allow_tensor: bool, allow_operation: bool) -> Any:
        if allow_tensor and allow_operation:
            types_str = "Tensor or Operation"
        elif allow_tensor:
            types_str = "Tensor"
        else:
            types_str = "Operation"
        conv = getattr(obj, "_as_graph_element", None)
        if conv is not None and callable(conv):
            obj = conv()
        if isinstance(obj, str):
            name = obj
            if ":" in name and allow_tensor:
                op_name, _, index = name.rpartition(":")
                try:
                    out_n = int(index)
                except ValueError:
                    raise ValueError(f"The name {name!r} looks a like a Tensor name, but is not "
                                     "a valid one. Tensor names must be of the form "
                                     '"<op_name>:<output_index>".') from None
                op = self._nodes_by_name.get(op_name)
                if op is None:
                    raise KeyError(f"The name {name!r} refers to a Tensor which does not exist. "
                                   f"The operation, {op_name!r}, does not exist in the graph.")
                outputs = op._outputs
                if not 0 <= out_n < len(outputs):
                    raise KeyError(f"The name {name!r} refers to a Tensor which does not exist. "
                                   f"The operation, {op_name!r}, exists but only has "
                                   f"{len(outputs)} outputs.")
                return outputs[out_n]
            if ":" in name and not allow_tensor:
                raise ValueError(f"Name {name!r} appears to refer to a Tensor, not a "
                                 f"{types_str}.")
            if ":" not in name and allow_operation:
                op = self._nodes_by_name.get(name)
                if op is None:
                    raise KeyError(f"The name {name!r} refers to an Operation not in the graph.")
                return op
            op = self._nodes_by_name.get(name)
            if op is not None:
                raise ValueError(f"The name {name!r} refers to an Operation, not a {types_str}. "
                                 "Tensor names must be of the form "
                                 '"<op_name>:<output_index>".')
            raise ValueError(f"The name {name!r} looks like an (invalid) Operation name, not a "
                             f"{types_str}. Tensor names must be of the form "
                             '"<op_name>:<output_index>".')
        kind = getattr(obj, "_graph_element_kind", None)
        if kind == "tensor" and allow_tensor:
            if obj.graph is not self:
                raise ValueError(f"Tensor {obj} is not an element of this graph.")
            return obj
        if kind == "operation" and allow_operation:
            if obj.graph is not self:
                raise ValueError(f"Operation {obj} is not an element of this graph.")
            return obj
        raise TypeError(f"Can not convert a {type(obj).__name__} into a {types_str}.")

    def _check_not_finalized(self) -> None:
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")

    @property
    def version(self) -> int:
        return len(self._ops)

    # -- default graph and contexts -------------------------------------------------------
    @contextlib.contextmanager
    def as_default(self) -> Iterator[Graph]:
        _push_default(self)
        try:
            yield self
        finally:
            # TF's _DefaultGraphStack.get_controller: exiting out of order raises and leaves
            # the stack as it is (popping the wrong graph would corrupt it silently).
            stack = _default_stack()
            if stack and stack[-1] is not self:
                raise AssertionError(
                    f"Nesting violated for default stack of {type(self)} objects")
            _pop_default()

    @property
    def building_function(self) -> bool:
        return self._building_function

    @property
    def finalized(self) -> bool:
        return self._finalized

    def finalize(self) -> None:
        self._finalized = True

    def _unsafe_unfinalize(self) -> None:
        self._finalized = False

    @property
    def graph_def_versions(self) -> Any:
        """The VersionDef the GraphDef carries (TF 2.21's producer version)."""
        from varstore.framework.graph_def import GRAPH_DEF_VERSION, graph_def_pb2
        versions = graph_def_pb2().GraphDef().versions
        versions.producer = GRAPH_DEF_VERSION
        return versions

    def as_graph_def(self, from_version: int | None = None, add_shapes: bool = False) -> Any:
        """The graph as a GraphDef proto (TF's protos; see framework/graph_def.py for what
        is and is not in it)."""
        from varstore.framework.graph_def import as_graph_def
        return as_graph_def(self, from_version, add_shapes)

    @property
    def seed_value(self) -> int | None:
        return self.seed

    def control_dependencies(self, control_inputs: Any) -> Any:
        """Ops made inside run after ``control_inputs`` (TF's rules; None clears them)."""
        return _ControlDependencies(self, control_inputs)

    def device(self, device_name_or_function: Any) -> Any:
        """Devices are recorded on ops (``op.device``), and otherwise ignored: one CPU."""
        return _DeviceScope(self, device_name_or_function)

    def colocate_with(self, op: Any, ignore_existing: bool = False) -> Any:
        """Ops made inside are colocated with ``op`` as TF's: the ``_class`` attr of its
        colocation groups, and its device (varstore has one CPU: only the recorded
        device strings follow TF)."""
        from varstore.framework.graph_contexts import _Colocation

        return _Colocation(self, op, ignore_existing)

    def gradient_override_map(self, op_type_map: dict[str, str]) -> Any:
        return _GradientOverride(self, op_type_map)

    def _current_control_flow_context(self) -> Any:
        return self._thread.cond_ctx

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


# per-thread stack of as_default() graphs ---------------------------------------------------
class _DefaultStack(threading.local):
    def __init__(self) -> None:
        self.stack: list[Graph] = []
        self.is_main = threading.current_thread() is threading.main_thread()
        self.graph: Graph | None = None  # this thread's own default graph (not the main's)


_global_lock = threading.Lock()
_default_graph_stack = _DefaultStack()
_global_default_graph: Graph | None = None


def _default_stack() -> list[Graph]:
    return _default_graph_stack.stack


def _push_default(graph: Graph) -> None:
    _default_graph_stack.stack.append(graph)


def _pop_default() -> None:
    _default_graph_stack.stack.pop()


def get_default_graph() -> Graph:
    """The innermost ``as_default()`` graph of this thread, else this thread's default graph
    (TF gives every thread its own)."""
    # Always touch the thread-local: its first access in a new thread is what gives that thread
    # a graph of its own (a shared counter checked first would let a new thread read the main
    # thread's graph until something else touched the local).
    local = _default_graph_stack
    stack = local.stack
    if stack:
        return stack[-1]
    if not local.is_main:
        graph = local.graph
        if graph is None:
            graph = local.graph = Graph()
        return graph
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
    """Clears this thread's default graph: a new, empty graph (with a new store) replaces it."""
    global _global_default_graph
    local = _default_graph_stack
    graph = _global_default_graph if local.is_main else local.graph
    if local.stack or (graph is not None and graph._thread.depth):
        # TF's variable_scope enters its graph as the default, so this covers it too.
        raise AssertionError(
            "Do not use tf.reset_default_graph() to clear nested graphs. If you need a "
            "cleared graph, exit the nesting and create a new graph."
        )
    if local.is_main:
        with _global_lock:
            _global_default_graph = Graph()
    else:
        local.graph = Graph()


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
        # in a tf.data function's graph, outer values are captured, not entered
        if values and graph.__dict__.get("_capture_hook") is None:
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


def control_dependencies(control_inputs: Any) -> Any:
    """``tf.control_dependencies``: ops made inside run after ``control_inputs``."""
    return get_default_graph().control_dependencies(control_inputs)


def device(device_name_or_function: Any) -> Any:
    """``tf.device``: recorded on the ops made inside (``op.device``); varstore has one CPU."""
    return get_default_graph().device(device_name_or_function)


def colocate_with(op: Any, ignore_existing: bool = False) -> Any:
    return get_default_graph().colocate_with(op, ignore_existing)


def container(container_name: str) -> Any:
    return contextlib.nullcontext()
