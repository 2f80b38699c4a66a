"""The context managers a Graph hands out: control_dependencies, device and
gradient_override_map. Each saves the thread's state on entry and restores it on exit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from varstore.framework.device import DeviceSpec, canonical_device, merge_devices

if TYPE_CHECKING:
    from varstore.framework.graph import Graph


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
    be stronger), and every op made takes the colocated op's device when it has one."""

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
            state.colocate = self._op
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
