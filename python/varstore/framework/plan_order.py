"""The order a plan runs its ops in (executor.py's Plan): the pruning to what the fetches
need, TF's executor order over it, and which fetched tensors are ref-variable buffers (read
when the run ends)."""

from __future__ import annotations

from collections.abc import Sequence

from varstore.errors import InvalidArgumentError
from varstore.framework import ops as _ops
from varstore.framework.ops import Operation, Tensor

__all__ = ["prune", "ready_order", "ref_variable"]


def prune(fetches: Sequence[Tensor], targets: Sequence[Operation],
          feeds: Sequence[Tensor]) -> list[Operation]:
    """The ops the fetches and targets need given the feeds, in a topological order (depth
    first; a cycle is an InvalidArgumentError)."""
    fed = {id(t) for t in feeds}
    order: list[Operation] = []
    state: dict[int, int] = {}  # op id -> 1 visiting, 2 done
    roots = [t._op for t in fetches if id(t) not in fed] + list(targets)
    for root in roots:
        if state.get(root._id) == 2:
            continue
        stack: list[tuple[Operation, int]] = [(root, 0)]
        while stack:
            op, i = stack.pop()
            if i == 0:
                if state.get(op._id) == 2:
                    continue
                state[op._id] = 1
            deps = op._inputs
            n_in = len(deps)
            n = n_in + len(op._control_inputs)
            refs = _ops.ref_inputs(op._type)
            while i < n:
                if i < n_in:
                    t = deps[i]
                    i += 1
                    if id(t) in fed or ((i - 1) in refs and not _updates(t)):
                        continue
                    dep = t._op
                else:
                    dep = op._control_inputs[i - n_in]
                    i += 1
                    # a control edge on a fed op (a fed placeholder) is met by the feed,
                    # as in TF, where the feed replaces the node
                    if dep._outputs and all(id(o) in fed for o in dep._outputs):
                        continue
                s = state.get(dep._id)
                if s is None:
                    stack.append((op, i))
                    stack.append((dep, 0))
                    break
                if s == 1:
                    raise InvalidArgumentError(None, op, f"Graph has a cycle through node "
                                               f"'{op._name}'")
            else:
                state[op._id] = 2
                order.append(op)
    return order


def _updates(t: Tensor) -> bool:
    """Whether a ref input comes from an in-place update (an Assign's output chained into
    another assign): the update must run first, as TF's data edge orders it. A ref
    variable's own output needs nothing run."""
    return t._op._type in _ops.REF_OUTPUT_OPS and t._op._type != "VariableV2"


def ready_order(ops: list[Operation], feeds: Sequence[Tensor]) -> list[Operation]:
    """The pruned ops in the order TF's executor runs them on one thread: the ops with
    nothing to wait for first, in graph order, then each op as soon as its last input
    is ready, first ready first run. Stateful ops that race in a run (a variable read
    fetched beside an assign to it, with no edge between them) then see what TF's do:
    the read runs early, before the assign."""
    if len(ops) < 3:
        return ops
    fed = {id(t) for t in feeds}
    index = {op._id: i for i, op in enumerate(ops)}
    pending = [0] * len(ops)
    succ: list[list[int]] = [[] for _ in ops]
    for i, op in enumerate(ops):
        refs = _ops.ref_inputs(op._type)
        deps = {index[t._op._id] for k, t in enumerate(op._inputs)
                if id(t) not in fed and (k not in refs or _updates(t)) and t._op._id in index}
        deps.update(index[c._id] for c in op._control_inputs if c._id in index)
        deps.discard(i)
        pending[i] = len(deps)
        for d in deps:
            succ[d].append(i)
    queue = sorted((i for i in range(len(ops)) if not pending[i]),
                   key=lambda i: ops[i]._id)
    order: list[Operation] = []
    head = 0
    while head < len(queue):
        i = queue[head]
        head += 1
        order.append(ops[i])
        for j in sorted(succ[i], key=lambda j: ops[j]._id):
            pending[j] -= 1
            if not pending[j]:
                queue.append(j)
    return order if len(order) == len(ops) else ops


# ops whose output 0 is the variable buffer of their input 0: the assignments return the
# ref they assigned, and Identity forwards a ref's buffer without a copy (a ref variable's
# value() and read_value() are Identity ops), so later in-place updates show through
_REF_FORWARDING = frozenset({"Assign", "AssignAdd", "AssignSub", "Identity"})


def ref_variable(t: Tensor) -> int | None:
    """The variable id whose buffer a fetched tensor is (a ref variable's output, what an
    assignment returns, an Identity of either), else None."""
    op = t._op
    while op._type in _REF_FORWARDING and op._inputs and t._index == 0:
        t = op._inputs[0]
        op = t._op
    if op._type == "VariableV2":
        return op._data  # type: ignore[no-any-return]
    return None
