"""The context managers a Graph hands out: name_scope, control_dependencies, device and
gradient_override_map, over the thread's _ScopeState. Each saves the thread's state on entry
and restores it on exit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from varstore import _core
from varstore.framework.device import DeviceSpec, canonical_device, merge_devices
from varstore.framework.name_rules import _check_scope_name

if TYPE_CHECKING:
    from varstore.framework.graph import Graph


class _ScopeState:
    """Per-thread, per-graph state: the name stack, the current variable scope and the
    variable-scope default_name counters (TF keeps these thread-local, per graph)."""

    __slots__ = ("colocate", "cond_ctx", "control_deps", "counters", "depth", "device",
                 "name_stack", "tapes", "var_scope")

    def __init__(self) -> None:
        self.name_stack = ""
        self.depth = 0  # open variable scopes
        self.var_scope: Any = None  # VariableScope; the root one is made on first use
        self.counters = _core.store.ScopeCounters()
        self.control_deps: list[Any] = []  # open control_dependencies blocks, outermost first
        self.device = ""  # the innermost tf.device string (recorded on ops, else unused)
        self.cond_ctx: Any = None  # the innermost tf.cond branch being built
        self.colocate: Any = None  # the ops of the open colocate_with blocks (a tuple)
        self.tapes: list[Any] = []  # the recording GradientTapes (ops/backprop.py)


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
                new_stack = _core.store.unique_name(self._graph._store, old, name, True)
                returned = new_stack + "/"
        self._state = state
        self._old = old
        state.name_stack = new_stack
        return returned

    def __exit__(self, *exc: object) -> None:
        self._state.name_stack = self._old


class _ControlDependencies:
    """``Graph.control_dependencies``: one entry of the thread's control-dependency stack.
    ``seen`` holds the ops made inside it (TF's _ControlDependenciesController)."""

    __slots__ = ("_graph", "_old", "control_inputs", "seen")

    def __init__(self, graph: Graph, control_inputs: Any) -> None:
        self._graph = graph
        if control_inputs is None:
            self.control_inputs: list[Any] | None = None
        else:
            ops: list[Any] = []
            for c in control_inputs:
                c = _as_control_op(graph, c)
                if c is not None and c not in ops:
                    ops.append(c)
            self.control_inputs = ops
        self.seen: set[int] = set()

    def __enter__(self) -> None:
        state = self._graph._thread
        self._old = state.control_deps
        if self.control_inputs is None:
            state.control_deps = []  # clears every outer block (and starts a new stack)
        else:
            state.control_deps = [*self._old, self]

    def __exit__(self, *exc: object) -> None:
        self._graph._thread.control_deps = self._old


def _as_control_op(graph: Graph, c: Any) -> Any:
    """A control input: an Operation (a tensor's op; a variable's op); None skips it."""
    if getattr(c, "_control_dep_via_op", False):
        # TF: a variable (or what assign returns) gates on its op, so depending on an
        # assign result waits for the assign and triggers no read
        return c.op
    conv = getattr(c, "_as_graph_element", None)
    if conv is not None and callable(conv):
        c = conv()
    kind = getattr(c, "_graph_element_kind", None)
    if kind == "tensor":
        return c.op
    if kind == "operation":
        return c
    if callable(c):  # TF allows a callable in eager mode only
        raise TypeError(f"Can not convert a {type(c).__name__} into a Operation.")
    if isinstance(c, str):
        return graph.as_graph_element(c)
    raise TypeError(f"Can not convert a {type(c).__name__} into a Tensor or Operation.")


def _apply_device(dev: Any, op: Any) -> str:
    if callable(dev):
        return canonical_device(dev(op) or "")
    return merge_devices(dev, op._device) if op._device else canonical_device(dev)


def _compose(inner: Any, outer: Any) -> Any:
    """The device function of a block ``inner`` nested in ``outer``: TF's stack order."""

    def device_function(op: Any) -> str:
        op._device = _apply_device(inner, op)
        return _apply_device(outer, op)

    return device_function


class _DeviceScope:
    __slots__ = ("_device", "_graph", "_old")

    def __init__(self, graph: Graph, device: Any) -> None:
        self._graph = graph
        if isinstance(device, DeviceSpec):
            device = device.to_string()
        if device is not None and not isinstance(device, str) and not callable(device):
            device = str(device)
        if isinstance(device, str):
            canonical_device(device)  # a bad spec fails here, at tf.device(), as in TF
        self._device = device

    def __enter__(self) -> None:
        state = self._graph._thread
        self._old = outer = state.device
        dev = self._device
        if dev is None:
            state.device = ""  # tf.device(None) clears the outer blocks
        elif callable(dev) or callable(outer):
            # TF applies the block stack innermost first, each seeing the op's device so
            # far (a string block fills only the fields still unset)
            state.device = _compose(dev, outer) if outer else dev
        else:  # nested blocks merge, the inner one's fields winning
            state.device = merge_devices(outer, dev)

    def __exit__(self, *exc: object) -> None:
        self._graph._thread.device = self._old


class _Colocation:
    """TF's colocate_with: the device blocks are set aside inside (colocation is meant to
    be stronger); every op made gets the ``_class`` attr of the colocation groups of the
    open blocks' ops (``loc:@<name>``) and the newest one's device when it has one."""

    __slots__ = ("_graph", "_ignore", "_old", "_op")

    def __init__(self, graph: Graph, op: Any, ignore_existing: bool) -> None:
        if op is None and not ignore_existing:
            raise ValueError("Trying to reset colocation (op is None) but ignore_existing is "
                             "not True")
        self._graph = graph
        self._ignore = ignore_existing
        # a Variable or a Tensor stands for its op, as TF's _op_to_colocate_with
        handle = getattr(op, "_handle", None)
        self._op = getattr(op, "op", None) if handle is None else handle.op
        if op is not None and self._op is None:
            self._op = op

    def __enter__(self) -> None:
        state = self._graph._thread
        self._old = (state.device, state.colocate)
        state.device = ""
        if self._op is not None:
            # TF's colocation stack: the blocks add up unless ignore_existing
            outer = () if self._ignore or not state.colocate else state.colocate
            state.colocate = (*outer, self._op)
        elif self._ignore:
            state.colocate = None

    def __exit__(self, *exc: object) -> None:
        self._graph._thread.device, self._graph._thread.colocate = self._old


class _GradientOverride:
    __slots__ = ("_graph", "_map", "_old")

    def __init__(self, graph: Graph, op_type_map: dict[str, str]) -> None:
        if not isinstance(op_type_map, dict):
            raise TypeError("op_type_map must be a dictionary mapping strings to strings")
        self._graph = graph
        self._map = op_type_map

    def __enter__(self) -> None:
        self._old = dict(self._graph._gradient_overrides)
        self._graph._gradient_overrides.update(self._map)

    def __exit__(self, *exc: object) -> None:
        self._graph._gradient_overrides = self._old


# -- the default graph: one per thread (the main thread's is a module global), plus a
