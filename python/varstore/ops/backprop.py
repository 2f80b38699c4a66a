"""``tf.GradientTape`` in graph mode, as TF's eager/backprop.py records it there: while a tape
is recording, every op built with a watched input is recorded and its outputs are watched
in turn; a trainable resource variable read inside the tape (ReadVariableOp,
ResourceGather) is watched automatically (``watch_accessed_variables``). ``gradient`` builds
the backward graph of the recorded ops alone (gradients_impl's walk, limited to them), each
op's gradient in ``gradient_tape/<the scope the op was built in>/`` as TF names them.

``jacobian`` and ``batch_jacobian`` differentiate one element (one column) of the target at
a time and stack the results: TF vectorizes the same loop with pfor, so the values are
TF's; the target's element count must be static here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.framework.indexed_slices import IndexedSlices
from varstore.framework.ops import Operation, Tensor, builders
from varstore.framework.sparse_tensor import SparseTensor
from varstore.ops import gradients_impl
from varstore.util import nest

__all__ = ["GradientTape"]

_NON_PERSISTENT = ("A non-persistent GradientTape can only be used to compute one set of "
                   "gradients (or jacobians)")


def _handle_or_self(x: Any) -> Any:
    """A variable's handle (what the tape watches and differentiates), else ``x``."""
    ops = getattr(x, "_ops", None)
    if ops is not None and hasattr(x, "_id"):
        return ops.handle
    return x


def _is_variable(x: Any) -> bool:
    return getattr(x, "_ops", None) is not None and hasattr(x, "_id")


def _watchable(obj: Any) -> list[Any]:
    """TF's _extract_tensors_and_variables: the tensors and variables of a structure."""
    out: list[Any] = []
    for x in nest.flatten(obj):
        if isinstance(x, Tensor) or _is_variable(x):
            out.append(x)
        elif isinstance(x, IndexedSlices):
            out.extend([x.values, x.indices])
        elif isinstance(x, SparseTensor):
            out.extend([x.indices, x.values, x.dense_shape])
        else:
            raise ValueError(f"Passed in object {x} of type {type(x).__name__!r}, not "
                             "tf.Tensor or tf.Variable or ExtensionType.")
    return out


class _Tape:
    """What a GradientTape has recorded: the watched tensors (op id, output index), the
    recorded ops and the name scope each was built in, the watched variables in order."""

    __slots__ = ("graph", "persistent", "recorded", "scopes", "variables", "watch_accessed",
                 "watched")

    def __init__(self, graph: Any, persistent: bool, watch_accessed: bool) -> None:
        self.graph = graph
        self.persistent = persistent
        self.watch_accessed = watch_accessed
        self.watched: set[tuple[int, int]] = set()
        self.recorded: set[int] = set()
        self.scopes: dict[int, str] = {}
        self.variables: list[Any] = []

    def watch_tensor(self, t: Tensor) -> None:
        self.watched.add((t._op._id, t._index))

    def watch_variable(self, v: Any) -> None:
        # (Variable._wrap makes a new wrapper of the same variable: compare store ids)
        if all(w._id != v._id for w in self.variables):
            self.variables.append(v)
        self.watch_tensor(v._ops.handle)

    def record(self, op: Operation) -> None:
        """Called by make_op for each new op while this tape is recording."""
        inputs = op._inputs
        if self.watch_accessed and op._type in ("ReadVariableOp", "ResourceGather") and inputs:
            self._watch_accessed(inputs[0])
        watched = self.watched
        if any((t._op._id, t._index) in watched for t in inputs):
            self.recorded.add(op._id)
            self.scopes[op._id] = self.graph._thread.name_stack
            for t in op._outputs:
                watched.add((op._id, t._index))

    def _watch_accessed(self, handle: Tensor) -> None:
        h_op = handle._op
        if h_op._type != "VarHandleOp" or h_op._data is None:
            return
        from varstore.variables import Variable

        v = Variable._wrap(self.graph, h_op._data)
        if v.trainable:
            self.watch_variable(v)


class GradientTape:
    """``tf.GradientTape``: records the ops built inside its context for differentiation."""

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True) -> None:
        self._tape: _Tape | None = None
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._watched_variables: tuple[Any, ...] = ()
        self._recording = False
        self._graph: Any = None

    def __enter__(self) -> GradientTape:  # noqa: PYI034 - not subclassed
        self._push_tape()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._recording:
            self._pop_tape()

    def _push_tape(self) -> None:
        if self._recording:
            raise ValueError("Tape is still recording, This can happen if you try to "
                             "re-enter an already-active tape.")
        graph = get_default_graph()
        if self._tape is None or self._tape.graph is not graph:
            self._tape = _Tape(graph, self._persistent, self._watch_accessed_variables)
        graph._thread.tapes.append(self._tape)
        self._graph = graph
        self._recording = True

    def _pop_tape(self) -> None:
        if not self._recording:
            raise ValueError("Tape is not recording.")
        tapes = self._graph._thread.tapes
        for i in range(len(tapes) - 1, -1, -1):
            if tapes[i] is self._tape:
                del tapes[i]
                break
        self._recording = False

    @contextlib.contextmanager
    def _ensure_recording(self) -> Iterator[None]:
        if self._recording:
            yield
            return
        self._push_tape()
        try:
            yield
        finally:
            self._pop_tape()

    def watch(self, tensor: Any) -> None:
        """Ensures that ``tensor`` (a tensor, variable or a structure of them) is traced."""
        items = _watchable(tensor)
        if self._tape is None:
            self._tape = _Tape(get_default_graph(), self._persistent,
                               self._watch_accessed_variables)
        for t in items:
            if _is_variable(t):
                self._tape.watch_variable(t)
            else:
                self._tape.watch_tensor(t)

    @contextlib.contextmanager
    def stop_recording(self) -> Iterator[None]:
        """A block whose ops are not recorded (the tape must be recording)."""
        if self._tape is None:
            raise RuntimeError("Trying to stop recording a tape which is not recording.")
        self._pop_tape()
        try:
            yield
        finally:
            self._push_tape()

    def reset(self) -> None:
        """Clears what the tape has recorded (inside its context)."""
        self._pop_tape()
        self._tape = None
        self._push_tape()

    def watched_variables(self) -> tuple[Any, ...]:
        if self._tape is not None:
            self._watched_variables = tuple(self._tape.variables)
        return self._watched_variables

    def gradient(self, target: Any, sources: Any, output_gradients: Any = None,
                 unconnected_gradients: Any = gradients_impl.UnconnectedGradients.NONE
                 ) -> Any:
        """The gradients of ``target`` w.r.t. ``sources`` (nested as ``sources``) through
        the recorded ops; None (or zeros) for a source the target does not depend on."""
        if self._tape is None:
            raise RuntimeError(_NON_PERSISTENT)
        if self._recording and not self._persistent:
            self._pop_tape()
        if target is None:
            raise TypeError("Argument `target` should be a list or nested structure of "
                            "Tensors, Variables or CompositeTensors to be differentiated, "
                            "but received None.")
        grads = self._gradients(nest.flatten(target), nest.flatten(sources), output_gradients,
                                unconnected_gradients)
        if not self._persistent:
            self._watched_variables = tuple(self._tape.variables)
            self._tape = None
        return nest.pack_sequence_as(sources, grads)

    def _gradients(self, targets: list[Any], sources: list[Any], output_gradients: Any,
                   unconnected_gradients: Any) -> list[Any]:
        tape = self._tape
        assert tape is not None
        unconnected = getattr(unconnected_gradients, "value", unconnected_gradients)
        if unconnected not in (gradients_impl.UnconnectedGradients.NONE,
                               gradients_impl.UnconnectedGradients.ZERO):
            raise ValueError(f"Unknown value for unconnected_gradients: "
                             f"{unconnected_gradients!r}")
        ys = [convert_to_tensor(_handle_or_self(t)) for t in targets]
        xs = [convert_to_tensor(_handle_or_self(s)) for s in sources]
        if output_gradients is None:
            grad_ys: list[Any] = [None] * len(ys)
        else:
            grad_ys = [None if g is None else convert_to_tensor(g)
                       for g in nest.flatten(output_gradients)]
        # TF's tape seeds each target with ones of its shape
        grad_ys = [builders.ones_like(y) if g is None else g for y, g in zip(ys, grad_ys)]
        allowed = set(tape.recorded)
        scopes = tape.scopes

        def scope_for(op: Operation) -> str:
            fwd = scopes.get(op._id, "")
            return "gradient_tape/" + fwd if fwd else "gradient_tape"

        return gradients_impl._build(tape.graph, ys, xs, grad_ys, [], False, unconnected,
                                     allowed, scope_for)

    def jacobian(self, target: Any, sources: Any,
                 unconnected_gradients: Any = gradients_impl.UnconnectedGradients.NONE,
                 parallel_iterations: Any = None, experimental_use_pfor: bool = True) -> Any:
        """d target[i...] / d source[j...] for each source: shape target.shape +
        source.shape."""
        if self._tape is None:
            raise RuntimeError(_NON_PERSISTENT)
        flat_sources = nest.flatten(sources)
        target = convert_to_tensor(target)
        size = target.shape.num_elements()
        if size is None:
            raise ValueError("varstore's GradientTape.jacobian needs a target with a static "
                             f"number of elements, got shape {target.shape}")
        with self._ensure_recording():
            flat = builders.reshape(target, [-1])
            rows = [builders.gather(flat, i) for i in range(size)]
        per_row = [self._gradients([y], flat_sources, None, unconnected_gradients)
                   for y in rows]
        if not self._persistent:
            self._watched_variables = tuple(self._tape.variables)
            self._tape = None
        out: list[Any] = []
        for j, src in enumerate(flat_sources):
            col = [r[j] for r in per_row]
            src_t = convert_to_tensor(src)  # (a variable's value: its shape, zeros)
            if all(g is None for g in col):
                out.append(None)
                continue
            dense = [builders.zeros_like(src_t) if g is None else convert_to_tensor(g)
                     for g in col]
            stacked = builders.stack(dense) if dense else builders.zeros(
                [0, *src_t.shape.as_list()], src_t.dtype)
            shape = builders.concat([builders.shape(target), builders.shape(src_t)], 0)
            out.append(builders.reshape(stacked, shape))
        return nest.pack_sequence_as(sources, out)

    def batch_jacobian(self, target: Any, source: Any,
                       unconnected_gradients: Any = gradients_impl.UnconnectedGradients.NONE,
                       parallel_iterations: Any = None,
                       experimental_use_pfor: bool = True) -> Tensor:
        """d target[b, i...] / d source[b, j...]: shape [batch] + target.shape[1:] +
        source.shape[1:] (each example's target depends on its own source row only)."""
        if self._tape is None:
            raise RuntimeError(_NON_PERSISTENT)
        target = convert_to_tensor(target)
        src_t = convert_to_tensor(source)  # (a variable's value: its shape, zeros)
        ts, ss = target.shape, src_t.shape
        if ts.ndims is None or ts.ndims < 1 or ss.ndims is None or ss.ndims < 1:
            raise ValueError(f"Need first dimension of target shape ({ts}) and source shape "
                             f"({ss}) to match.")
        if ts[0] is not None and ss[0] is not None and ts[0] != ss[0]:
            raise InvalidArgumentError(
                None, None, f"Need first dimension of target shape ({ts}) and source shape "
                f"({ss}) to match.")
        row_size = ts[1:].num_elements()
        if row_size is None:
            raise ValueError("varstore's GradientTape.batch_jacobian needs a target with a "
                             f"static number of elements per example, got shape {ts}")
        with self._ensure_recording():
            flat = builders.reshape(target, [-1, row_size])
            cols = [builders.gather(flat, i, axis=1) for i in range(row_size)]
        grads = [self._gradients([y], [source], None, unconnected_gradients)[0] for y in cols]
        if not self._persistent:
            self._watched_variables = tuple(self._tape.variables)
            self._tape = None
        new_shape = builders.concat([builders.shape(target),
                                     builders.shape(src_t)[1:]], 0)
        if all(g is None for g in grads):
            # TF returns zeros here whatever unconnected_gradients says
            return builders.zeros(new_shape, target.dtype)  # type: ignore[no-any-return]
        dense = [builders.zeros_like(src_t) if g is None else convert_to_tensor(g)
                 for g in grads]
        batch = builders.shape(src_t)[:1]
        per_col = [builders.reshape(g, builders.concat([batch, [-1]], 0)) for g in dense]
        out = builders.stack(per_col, axis=1)  # [batch, row_size, source row]
        return builders.reshape(out, new_shape)  # type: ignore[no-any-return]
