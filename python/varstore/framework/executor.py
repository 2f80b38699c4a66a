"""Plans: what a Session runs for one (fetches, feeds, targets) signature.

A plan is made once and cached (TF's DirectSession executor cache): the graph is pruned to
the ops the fetches and targets need given the feeds, ordered topologically, each op's kernel
is bound (its factory decodes attributes once), registered fusion rules merge chains such as
conv2d -> bias_add -> relu into one kernel, and each value's last use is recorded. The plan
is then compiled to one straight-line Python function: locals hold the values, each op is one
call, a value is dropped right after its last consumer ran (so peak memory follows the live
tensors), and ops inside a ``tf.cond`` branch run under an ``if`` on their predicate (TF's
dead-tensor semantics of Switch and Merge, decided when the plan is made).
"""

from __future__ import annotations

import itertools
import re
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore.errors import CancelledError, InvalidArgumentError, OpError
from varstore.framework import ops as _ops
from varstore.framework.ops import Operation, Tensor
from varstore.framework.plan_order import prune, ready_order, ref_variable
from varstore.framework.tensor_shape import shape_str

__all__ = ["Plan", "RunContext", "register_fusion", "run_deadline", "run_with_deadline"]


class _Step(threading.local):
    """The run (TF's step) this thread executes: its deadline (``RunOptions.timeout_in_ms``
    or the session's ``operation_timeout_in_ms``), which blocking kernels (queues) honour."""

    deadline: float | None = None


_step = _Step()


def run_deadline() -> float | None:
    """The ``time.monotonic()`` deadline of the run this thread executes, or None."""
    return _step.deadline


def run_with_deadline(timeout_ms: int, fn: Callable[[], Any]) -> Any:
    """Runs ``fn()`` as a run that times out after ``timeout_ms``; an inner run (a kernel
    that runs a session) keeps the outer deadline."""
    if _step.deadline is not None:
        return fn()
    _step.deadline = time.monotonic() + timeout_ms / 1000.0
    try:
        return fn()
    finally:
        _step.deadline = None


class RunContext:
    """The state a Session's kernels share across runs: which variables this session has
    initialised (None: the implicit eager session, where every variable counts as
    initialised once it has a value), stateful kernels' state (random streams) and
    resources (queues), a lock."""

    def __init__(self, graph: Any, session: Any, eager: bool = False) -> None:
        self.graph = graph
        self.session = session
        self.eager = eager
        self.initialized: set[int] = set()
        # The variables' values: TF gives every session its own. The first open session of
        # a graph (and the implicit eager one) use the graph's, which np.asarray(v) reads;
        # a session opened beside it keeps values of its own.
        owner = graph._values_owner() if graph._values_owner is not None else None
        self._shares_graph = eager or owner is None or owner.closed
        if self._shares_graph:
            self._var_values: list[Any] = graph._var_values
            self._var_lock = graph._var_lock
            if not eager:
                graph._values_owner = weakref.ref(self)
        else:
            self._var_values = []
            self._var_lock = threading.Lock()
        # op id -> a stateful kernel's state; (kind, name) -> a resource (a queue)
        self.state: dict[Any, Any] = {}
        self.lock = threading.Lock()
        self.closed = False

    def op_state(self, op: Operation, make: Callable[[], Any]) -> Any:
        """The per-session state of a stateful kernel (made on first use, shared by every
        plan of this session, as TF's OpSegment shares kernels)."""
        state = self.state.get(op._id)
        if state is None:
            with self.lock:
                state = self.state.get(op._id)
                if state is None:
                    state = self.state[op._id] = make()
        return state

    def resource(self, key: tuple[str, Any], make: Callable[[], Any],
                 check: Callable[[Any], None] | None = None) -> Any:
        """The session's resource ``key`` (made by the first op that runs it, as TF's
        ResourceMgr::LookupOrCreate; ``check`` vets a later op sharing it by name). A run
        still executing when its session closes gets TF's CancelledError."""
        with self.lock:
            if self.closed:
                raise CancelledError(None, None, "Session has been closed.")
            res = self.state.get(key)
            if res is None:
                res = self.state[key] = make()
            elif check is not None:
                check(res)
        return res

    def close(self) -> None:
        """Session.close: drops the state; a resource with ``session_closed`` (a queue) is
        told first, so the runs blocked in it end with CancelledError, as TF's close
        cancels every pending step."""
        with self.lock:
            self.closed = True
            states = list(self.state.values())
            self.state.clear()
        for st in states:
            closing = getattr(st, "session_closed", None)
            if closing is not None:
                closing()


# op type -> rule(op, view) -> None or (kernel, input tensors, replaced ops, final tensor)
_FUSIONS: dict[str, Callable[[Operation, FusionView], Any]] = {}


def register_fusion(op_type: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Registers a plan-time fusion rule that starts at ops of ``op_type`` (nn_ops: conv2d
    with its bias add and activation)."""

    def decorate(rule: Callable[..., Any]) -> Callable[..., Any]:
        _FUSIONS[op_type] = rule
        return rule

    return decorate


class FusionView:
    """What a fusion rule may ask of the plan being made."""

    def __init__(self, needed: set[int], fetched: set[int], ctx: RunContext,
                 ops: Sequence[Operation] = (), feeds: Sequence[Tensor] = ()) -> None:
        self._needed = needed
        self._fetched = fetched
        self.ctx = ctx
        self._ops = ops
        self._feeds = feeds
        self._fed_dependent: set[int] | None = None

    def depends_on_feeds(self, t: Tensor) -> bool:
        """Whether ``t`` is fed or computed (within the plan) from a fed tensor."""
        if self._fed_dependent is None:
            dep = {id(f) for f in self._feeds}
            if dep:
                for op in self._ops:  # topological order
                    if any(id(i) in dep for i in op._inputs):
                        dep.update(id(o) for o in op._outputs)
            self._fed_dependent = dep
        return id(t) in self._fed_dependent

    def sole_consumer(self, t: Tensor) -> Operation | None:
        """The only op of the plan that reads ``t``, if ``t`` is not fetched and nothing else
        (no other op, no control edge) needs it."""
        if id(t) in self._fetched:
            return None
        users = [op for op in (t._consumers or ()) if op._id in self._needed]
        if len(users) != 1:
            return None
        op = users[0]
        if sum(1 for i in op._inputs if i is t) != 1:
            return None
        return op


def _errstate_quiet() -> Any:
    state = np.errstate(all="ignore")
    state.__enter__()
    return state


def _errstate_restore(state: Any) -> None:
    state.__exit__(None, None, None)


# np.errstate costs ~1.3 us per run, a quarter of a one-op run: on NumPy 2 set its context
# variable to a prebuilt "ignore" state directly (what errstate.__enter__ does), else use it.
try:
    from numpy._core._ufunc_config import (  # type: ignore[attr-defined]
        _extobj_contextvar,
        _make_extobj,
    )

    _IGNORE_FP = _make_extobj(all="ignore")

    def _quiet_fp() -> Any:
        return _extobj_contextvar.set(_IGNORE_FP)

    _restore_fp: Callable[[Any], None] = _extobj_contextvar.reset
except ImportError:  # NumPy 1.x
    _quiet_fp = _errstate_quiet
    _restore_fp = _errstate_restore


class _Dead:
    """The value of a tensor on the branch of a cond that did not run."""

    def __repr__(self) -> str:
        return "<dead>"


DEAD = _Dead()
_plan_ids = itertools.count()
# plan source file name -> plan, for the step tracer (framework/step_trace.py), which maps a
# traced line back to its op
PLANS_BY_FILE: weakref.WeakValueDictionary[str, Plan] = weakref.WeakValueDictionary()


def _root_pred(t: Tensor) -> Tensor:
    """Predicates equal by construction share one guard key: follow Identity ops."""
    while t._op._type == "Identity" and t._op._inputs:
        t = t._op._inputs[0]
    return t


class Plan:
    """A compiled (fetches, feeds, targets) signature of one Session."""

    def __init__(self, ctx: RunContext, fetches: Sequence[Tensor], targets: Sequence[Operation],
                 feeds: Sequence[Tensor]) -> None:
        self.ctx = ctx
        self.fetches = list(fetches)
        self.feeds = list(feeds)
        self._line_ops: dict[int, Operation] = {}
        # A loop's body plan returns values of untaken cond branches too (saved for the
        # gradient, which skips the same branch); a Session's fetch of one is an error.
        self.allow_dead = False
        self.ops = ready_order(prune(fetches, targets, feeds), feeds)
        fed = {id(t) for t in feeds}
        self._ref_fetches = [(i, vid) for i, t in enumerate(self.fetches)
                             if id(t) not in fed and (vid := ref_variable(t)) is not None]
        self._compile()

    # -- compilation ----------------------------------------------------------------------
    def _compile(self) -> None:
        ctx = self.ctx
        ops = self.ops
        needed = {op._id for op in ops}
        fetched = {id(t) for t in self.fetches}
        for op in ops:
            if op._type == "Placeholder":
                raise _unfed(op)
        # Plan-time fusion (conv2d + bias + activation ...).
        view = FusionView(needed, fetched, ctx, ops, self.feeds)
        fused: dict[int, tuple[Any, list[Tensor], Tensor]] = {}  # first op id -> fusion
        dropped: set[int] = set()
        if _FUSIONS:
            for op in ops:
                rule = _FUSIONS.get(op._type)
                if rule is None or op._id in dropped:
                    continue
                found = rule(op, view)
                if found is not None:
                    kernel, inputs, replaced, final = found
                    # Emitted where the last op of the chain was (all inputs are ready there).
                    fused[final._op._id] = (kernel, inputs, final)
                    if final._op is not op:  # (a rule may replace its one op)
                        dropped.add(op._id)
                    for r in replaced:
                        if r is not final._op:
                            dropped.add(r._id)
        # Slots: one local per value; guards for cond branches.
        slot: dict[int, str] = {}  # id(tensor) -> local name
        consts: dict[str, Any] = {}
        counter = itertools.count()
        guards: dict[int, frozenset[tuple[str, bool]]] = {}  # id(tensor) -> guard
        op_guard: dict[int, frozenset[tuple[str, bool]]] = {}
        for i, t in enumerate(self.feeds):
            slot[id(t)] = f"f{i}"
        dead_slots: list[str] = []
        fed_ids = {id(t) for t in self.feeds}
        updated_refs: set[int] = set()  # ref variables an op emitted so far updates in place
        late_refs: dict[int, dict[int, int]] = {}  # op id -> {input index: vid} read late
        var_values = ctx._var_values

        def _ref_now(vid: int, snapshot: Any) -> Any:
            cur = var_values[vid] if vid < len(var_values) else None
            return snapshot if cur is None or snapshot is DEAD else cur

        consts["_ref_now"] = _ref_now

        def name_of(t: Tensor) -> str:
            return slot[id(t)]

        # (op, kernel local | "switch" | "merge", input locals, guard, output locals, cases)
        emitted: list[tuple[Operation, str, list[str], frozenset[tuple[str, bool]], list[str],
                            Any]] = []
        for op in ops:
            if op._id in dropped:
                continue
            if op._id in fused:
                kernel, inputs, final = fused[op._id]
                out_tensors = [final]
            else:
                kernel = None
                inputs = op._inputs
                out_tensors = op._outputs
            # guard of this op: its inputs' and control inputs' guards
            g: frozenset[tuple[str, bool]] = frozenset()
            for t in inputs:
                tg = guards.get(id(t))
                if tg:
                    g = g | tg
            for c in op._control_inputs:
                cg = op_guard.get(c._id)
                if cg:
                    g = g | cg
            if op._type == "Merge":
                live = [guards.get(id(t), frozenset()) for t in inputs]
                live = [lg for lg in live if not _contradicts(lg)]
                g = frozenset.intersection(*live) if live else frozenset({("False", True)})
                for c in op._control_inputs:
                    g = g | op_guard.get(c._id, frozenset())
            op_guard[op._id] = g
            for t in out_tensors:
                slot[id(t)] = f"s{next(counter)}"
                guards[id(t)] = g
            if g:
                dead_slots.extend(slot[id(t)] for t in out_tensors)
            if _contradicts(g):
                continue  # never live: its outputs stay dead
            refs = _ops.ref_inputs(op._type) if kernel is None else ()
            in_names = ["None" if j in refs and id(t) not in slot else name_of(t)
                        for j, t in enumerate(inputs)]
            if updated_refs:
                # TF1's ref variables alias: a read of one (its VariableV2 output, an Identity
                # of it) is the variable's buffer, which in-place updates change, so an op
                # that runs after an update of this run sees the new value (an average
                # applied under control_dependencies([train_op]) reads the trained weights)
                for j, t in enumerate(inputs):
                    if j not in refs and id(t) not in fed_ids:
                        vid = ref_variable(t)
                        if vid is not None and vid in updated_refs:
                            late_refs.setdefault(op._id, {})[j] = vid
            if refs:
                for j in refs:
                    vid = ref_variable(inputs[j]) if j < len(inputs) else None
                    if vid is not None:
                        updated_refs.add(vid)
            outs = [slot[id(t)] for t in out_tensors]
            if op._type == "Switch":
                pred = _root_pred(op._inputs[1])
                key = slot.get(id(pred))
                if key is None:  # the predicate is computed in this plan under another name
                    key = in_names[1]
                for port, t in enumerate(op._outputs):
                    guards[id(t)] = g | {(key, bool(port))}
                emitted.append((op, "switch", in_names, g, outs, None))
                continue
            if op._type == "Merge":
                cases = []
                for t, n in zip(inputs, in_names):
                    tg = guards.get(id(t), frozenset())
                    if _contradicts(tg):
                        continue
                    cases.append((tg - g, n))
                emitted.append((op, "merge", [n for _, n in cases], g, outs, cases))
                continue
            if kernel is None:
                factory = _ops.kernel_factory(op._type)
                if factory is None:
                    raise InvalidArgumentError(
                        None, op, f"No OpKernel was registered to support Op '{op._type}' "
                        f"used by {{{{node {op._name}}}}}: varstore lacks a kernel for "
                        f"{op._type}.")
                kernel = factory(op, ctx) if _wants_ctx(factory) else factory(op)
            if (not op._inputs and not _ops.is_stateful(op._type) and op._type != "Placeholder"
                    and len(outs) == 1 and not op._control_inputs and not g):
                # A source op with a fixed value (Const ...): computed once, bound by name.
                value = kernel()
                consts[outs[0]] = value
                slot[id(out_tensors[0])] = outs[0]
                continue
            kname = f"k{next(counter)}"
            consts[kname] = kernel
            emitted.append((op, kname, in_names, g, outs, None))
        # Last uses: drop a value right after its last consumer.
        last_use: dict[str, int] = {}
        for idx, entry in enumerate(emitted):
            for n in entry[2]:
                if n != "None":
                    last_use[n] = idx
            # a predicate is also read by the guards of the ops under it, which can run
            # after its last use as a data input (nested conds)
            guard_keys = [k for k, _ in entry[3]]
            for case_guard, _ in entry[5] or ():
                guard_keys.extend(k for k, _ in case_guard)
            for k in guard_keys:
                if k not in ("False", "True"):
                    last_use[k] = idx
        keep = {name_of(t) for t in self.fetches if id(t) in slot}
        # Missing fetches (a fed fetch is its feed; anything else must have a slot).
        fetch_names = []
        for t in self.fetches:
            found = slot.get(id(t))
            if found is None:
                raise InvalidArgumentError(None, t._op, f"Tensor {t.name} is not computed by "
                                           "this plan")
            fetch_names.append(found)
        # Code.
        body: list[str] = []
        body_ops: list[Operation | None] = []
        if self.feeds:
            body.append(", ".join(f"f{i}" for i in range(len(self.feeds))) +
                        (",) = feeds" if len(self.feeds) == 1 else " = feeds"))
            if len(self.feeds) == 1:
                body[-1] = "(" + body[-1]
            body_ops.append(None)
        if dead_slots:
            body.append(" = ".join(sorted(set(dead_slots))) + " = DEAD")
            body_ops.append(None)
        drops_after: dict[int, list[str]] = {}
        for n, idx in last_use.items():
            if n not in keep and n not in consts:
                drops_after.setdefault(idx, []).append(n)
        for idx, (op, kind, in_names, g, outs, cases) in enumerate(emitted):
            cond = _guard_expr(g)
            indent = ""
            if cond:
                body.append(f"if {cond}:")
                body_ops.append(op)
                indent = "    "
            if kind == "switch":
                text = " = ".join(outs) + f" = {in_names[0]}"
            elif kind == "merge":
                # The live input: the first whose own guard holds (TF's Merge).
                for j, (cg, n) in enumerate(cases):
                    kw = "if" if j == 0 else "elif"
                    idx_out = f"; {outs[1]} = _np_int32({j})" if len(outs) > 1 else ""
                    body.append(f"{indent}{kw} {_guard_expr(cg) or 'True'}:")
                    body_ops.append(op)
                    body.append(f"{indent}    {outs[0]} = {n}{idx_out}")
                    body_ops.append(op)
                text = ""
            else:
                late = late_refs.get(op._id)
                args = in_names if late is None else [
                    f"_ref_now({late[j]}, {n})" if j in late else n
                    for j, n in enumerate(in_names)]
                call = f"{kind}({', '.join(args)})"
                if not outs:
                    text = call
                elif len(outs) == 1:
                    text = f"{outs[0]} = {call}"
                else:
                    text = f"{', '.join(outs)} = {call}"
            if text:
                body.append(indent + text)
                body_ops.append(op)
            drops = [n for n in drops_after.get(idx, ()) if not n.startswith("f")]
            unused = [n for n in outs if n not in last_use and n not in keep]
            drops.extend(unused)
            if drops:
                body.append(f"{' = '.join(drops)} = None")
                body_ops.append(None)
        ret = ", ".join(fetch_names)
        body.append(f"return ({ret}{',' if len(fetch_names) == 1 else ''})")
        body_ops.append(None)
        params = ", ".join(f"{k}={k}" for k in consts)
        src = f"def run(feeds{', ' if params else ''}{params}):\n" + "".join(
            f"    {line}\n" for line in body)
        filename = f"<varstore-plan-{next(_plan_ids)}>"
        namespace: dict[str, Any] = {"DEAD": DEAD, "_np_int32": np.int32}
        namespace.update(consts)
        code = compile(src, filename, "exec")
        exec(code, namespace)  # noqa: S102 - the source is generated above from the graph
        self.run: Callable[[Sequence[Any]], tuple[Any, ...]] = namespace["run"]
        self.source = src
        self.filename = filename
        PLANS_BY_FILE[filename] = self
        self._line_ops = {i + 2: op for i, op in enumerate(body_ops) if op is not None}
        # The ops this plan runs a kernel for, in order (a fused chain is its last op).
        self.steps = [e[0]._name for e in emitted]
        self.has_dead = bool(dead_slots)

    def op_at(self, tb: Any) -> Operation | None:
        """The op whose line of this plan raised (from the traceback)."""
        for frame, lineno in traceback.walk_tb(tb):
            if frame.f_code.co_filename == self.filename:
                return self._line_ops.get(lineno)
        return None

    def execute(self, feed_values: Sequence[Any]) -> tuple[Any, ...]:
        token = _quiet_fp()  # TF kernels make inf/nan silently; so here
        try:
            out = self.run(feed_values)
        except OpError as exc:
            if exc.op is None:
                op = self.op_at(sys.exc_info()[2])
                if op is not None:
                    raise type(exc)(op.node_def, op, _with_node(exc.message, op)) from None
            raise
        except (ValueError, TypeError, IndexError, ArithmeticError, MemoryError) as exc:
            op = self.op_at(sys.exc_info()[2])
            if op is None:
                raise
            if isinstance(exc, MemoryError) or "array is too big" in str(exc):
                from varstore.errors import ResourceExhaustedError

                raise ResourceExhaustedError(op.node_def, op, _with_node(
                    f"OOM when allocating tensor: {exc}", op)) from None
            raise InvalidArgumentError(op.node_def, op, _with_node(_tf_text(str(exc)), op)) \
                from exc
        finally:
            _restore_fp(token)
        if self.has_dead and not self.allow_dead:
            for i, v in enumerate(out):
                if v is DEAD:
                    raise InvalidArgumentError(None, None, f"Retval[{i}] does not have value")
        if self._ref_fetches:
            out = self._read_refs(out)
        return out

    def _read_refs(self, out: tuple[Any, ...]) -> tuple[Any, ...]:
        """A fetched ref tensor (a ref variable, what Assign returns, an Identity of one)
        holds the variable's buffer, which TF's updates change in place and the fetch
        copies when the run ends: its value after every update of the run, wherever the
        executor ran the variable op (a training step fetched beside ``W`` shows the
        updated ``W``, as TF1 programs print it)."""
        ctx = self.ctx
        values = list(out)
        with ctx._var_lock:
            for i, vid in self._ref_fetches:
                current = ctx._var_values[vid] if vid < len(ctx._var_values) else None
                if current is not None:
                    values[i] = np.array(current, copy=True)
        return tuple(values)



_BROADCAST = re.compile(r"operands could not be broadcast together with shapes "
                        r"\(([\d,]*)\) \(([\d,]*)\)\s*$")


def _tf_text(message: str) -> str:
    """NumPy's broadcast failure of a binary kernel as TF's BCast message."""
    m = _BROADCAST.match(message)
    if m is None:
        return message
    a, b = (f"[{g.rstrip(',')}]" for g in m.groups())
    return f"Incompatible shapes: {a} vs. {b}"


def _with_node(message: str, op: Operation) -> str:
    return f"{message}\n\t [[{{{{node {op._name}}}}}]]"


def _contradicts(g: frozenset[tuple[str, bool]]) -> bool:
    if ("False", True) in g:
        return True
    seen: dict[str, bool] = {}
    for key, val in g:
        if seen.get(key, val) != val:
            return True
        seen[key] = val
    return False


def _guard_expr(g: frozenset[tuple[str, bool]]) -> str:
    return " and ".join(k if v else f"not {k}" for k, v in sorted(g))


def _wants_ctx(factory: Callable[..., Any]) -> bool:
    code = getattr(factory, "__code__", None)
    return code is not None and code.co_argcount >= 2


def _unfed(op: Operation) -> InvalidArgumentError:
    dt = op._attrs.get("dtype")
    shape = op._attrs.get("shape")
    dims = None if shape is None else shape._dims
    tf_name = {"float32": "float", "float64": "double", "float16": "half"}.get(
        dt.name if dt is not None else "float", dt.name if dt is not None else "float")
    shape_text = "" if dims is None else f" and shape {shape_str(dims)}"
    return InvalidArgumentError(
        op.node_def, op,
        f"You must feed a value for placeholder tensor '{op._name}' with dtype {tf_name}"
        f"{shape_text}\n\t [[{{{{node {op._name}}}}}]]")
