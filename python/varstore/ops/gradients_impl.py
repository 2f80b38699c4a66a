"""``tf.gradients``: the backward graph, built as TF's gradients_util._GradientsHelper does.

The ops between ``xs`` and ``ys`` are found (forward reach from xs, backward from ys), each
gets a pending count (its consumers among them), and a queue walks them from the ys back:
an op's output gradients are summed (one AddN per tensor with several contributions, in the
``gradients`` scope), its registered gradient function runs in ``gradients/<op>_grad``, and
the gradients of its inputs are recorded. A variable's gradient is that of its handle (the
sum over every read of it). Unconnected xs get None (or zeros).

Gradients may be IndexedSlices (a gather's): several are concatenated rather than added, one
mixed with dense gradients is summed densely, and an op whose gradient function does not
take them (all but those in indexed_slices.SPARSE_GRADIENT_OPS) gets it densified.
"""

from __future__ import annotations

import collections
import contextlib
from collections.abc import Callable
from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.indexed_slices import (
    QUIET_DENSIFY_OPS,
    SPARSE_GRADIENT_OPS,
    IndexedSlices,
    convert_to_tensor_or_indexed_slices,
    densify,
)
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import (
    Operation,
    Tensor,
    builders,
    get_gradient_function,
    scope_of,
)

__all__ = ["AggregationMethod", "UnconnectedGradients", "gradients", "hessians"]


class UnconnectedGradients:
    NONE = "none"
    ZERO = "zero"


class AggregationMethod:
    ADD_N = 0
    DEFAULT = 0
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


def _as_list(x: Any) -> list[Any]:
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]


def _as_tensor_for_xs(x: Any) -> Tensor:
    """A gradient target: a tensor, or a variable's handle (resource) / ref tensor."""
    ops = getattr(x, "_ops", None)
    if ops is not None and hasattr(x, "_id"):
        return ops.handle  # type: ignore[no-any-return]
    # TF converts xs as references: a PartitionedVariable raises there (its concatenation
    # would be a new tensor that nothing depends on).
    return convert_to_tensor(x, as_ref=hasattr(type(x), "_get_variable_list"))


def _trainable(t: Tensor) -> bool:
    dt = t._dtype
    return dt.is_floating or dt.is_complex or dt is _dtypes.resource or dt is _dtypes.variant


def _reached_from(from_ops: list[Operation], allowed: set[int] | None = None) -> set[int]:
    """Ops forward-reachable from ``from_ops`` through data edges (through ``allowed`` ops
    only, when given: a GradientTape's recorded ops). tf.gradients follows trainable
    (float, complex, resource, variant) outputs only, as TF's _MarkReachedOps: an integer
    path carries no gradient."""
    reached: set[int] = set()
    stack = list(from_ops)
    while stack:
        op = stack.pop()
        if op._id in reached:
            continue
        reached.add(op._id)
        for t in op._outputs:
            if allowed is None and not _trainable(t):
                continue
            for c in t._consumers or ():
                if c._id not in reached and (allowed is None or c._id in allowed):
                    stack.append(c)
    return reached


def _pending_counts(to_ops: list[Operation], from_ops: list[Operation],
                    allowed: set[int] | None = None) -> tuple[dict[int, int], set[int]]:
    reached = _reached_from(from_ops, allowed)
    between: set[int] = set()
    between_list: list[Operation] = []
    stack = [op for op in to_ops if op._id in reached]
    while stack:
        op = stack.pop()
        if op._id in between:
            continue
        between.add(op._id)
        between_list.append(op)
        for t in op._inputs:
            if t._op._id in reached and t._op._id not in between:
                stack.append(t._op)
    pending: dict[int, int] = collections.defaultdict(int)
    for op in between_list:
        for t in op._inputs:
            if t._op._id in between:
                pending[t._op._id] += 1
    return pending, between


def _stop_ops(from_ops: list[Operation], stop_ids: set[int], pending: dict[int, int],
              between: set[int]) -> set[int]:
    """TF's _StopOps: xs ops none of whose inputs lie between xs and ys, and stop_gradients."""
    stops = set()
    for op in from_ops:
        if not any(t._op._id in between and pending.get(t._op._id, 0) > 0
                   for t in op._inputs):
            stops.add(op._id)
    return stops | stop_ids


def _aggregate(graph: Any, grads: list[Any]) -> Any:
    """The sum of a tensor's gradient contributions: an AddN when any is dense, else one
    IndexedSlices of the concatenated values and indices (TF's _AggregatedGrads)."""
    grads = [g for g in grads if g is not None]
    if not grads:
        return None
    if len(grads) == 1:
        return grads[0]
    if all(isinstance(g, IndexedSlices) for g in grads):
        return _concat_indexed_slices(grads)
    # TF's _MultiDeviceAddN: the sum colocated with the first contribution (one device)
    with graph.colocate_with(_op_of(grads[0]), ignore_existing=True):
        return builders.add_n(grads)


def _op_of(g: Any) -> Operation:
    return g.values._op if isinstance(g, IndexedSlices) else g._op


def _as_indexed_slices(x: Any) -> IndexedSlices:
    if isinstance(x, IndexedSlices):
        return x
    known = x._shape
    if known is not None and None not in known:
        x_shape: Any = convert_to_tensor(list(known), dtype=_dtypes.int32)
    else:
        x_shape = builders.shape(x)
    return IndexedSlices(x, builders.range(0, x_shape[0]), x_shape)


def _concat_indexed_slices(grads: list[Any]) -> IndexedSlices:
    """TF's AggregateIndexedSlicesGradients: int32 indices become int64 when the two mix."""
    slices = [_as_indexed_slices(g) for g in grads]
    int32 = [s for s in slices if s.indices.dtype is _dtypes.int32]
    if int32 and len(int32) != len(slices):
        slices = [IndexedSlices(s.values, builders.cast(s.indices, _dtypes.int64),
                                s.dense_shape) if s.indices.dtype is _dtypes.int32 else s
                  for s in slices]
    return IndexedSlices(builders.concat([s.values for s in slices], 0),
                         builders.concat([s.indices for s in slices], 0),
                         slices[0].dense_shape)


def _default_grad_ys(graph: Any, ys: list[Tensor], grad_ys: list[Any],
                     colocate: bool = False) -> list[Any]:
    """TF's _DefaultGradYs: ones for a missing grad_y; a given one converted (``grad_y_<i>``),
    type-checked against its y, then an Identity ``grad_ys_<i>`` in the gradients scope."""
    out: list[Any] = []
    for i, (y, gy) in enumerate(zip(ys, grad_ys)):
        if gy is None:
            if y._dtype.is_complex:
                raise TypeError(f"Gradients of complex tensors ({y}) must set grad_ys (y.dtype "
                                f"= {y._dtype.name})")
            shape = builders.shape(y)
            full = graph.unique_name(f"grad_ys_{i}")
            with scope_of(graph, full), \
                    graph.colocate_with(y._op) if colocate else contextlib.nullcontext():
                one = convert_to_tensor(1, dtype=y._dtype, name="Const")
                out.append(builders.fill(shape, one, name=full + "/"))
            continue
        g = convert_to_tensor_or_indexed_slices(gy, name=f"grad_y_{i}")
        gt = g.dtype
        if y._dtype.is_floating or y._dtype.is_integer:
            if not gt.is_floating and not gt.is_integer:
                raise TypeError(f"Gradient type {gt.name} generated for real or integer-valued "
                                f"tensor {y} with type {y._dtype.name} must be real or integer")
        elif y._dtype.is_complex:
            if not gt.is_complex:
                raise TypeError(f"Gradient type {gt.name} generated for complex-valued tensor "
                                f"{y} with type {y._dtype.name} must be real")
        elif y._dtype is _dtypes.variant:
            if gt is not _dtypes.variant:
                raise TypeError(f"Gradient type {gt.name} generated for variant tensor {y} "
                                f"with type {y._dtype.name} must be variant")
        elif y._dtype is not _dtypes.resource:
            raise TypeError(f"Tensor {y} with type {y._dtype.name} must be numeric to obtain a "
                            "default gradient")
        if isinstance(g, IndexedSlices):
            # (made in TF's order: indices, values, dense shape)
            idx, vals, dense = (
                builders.identity(t, name=f"grad_ys_{i}_{suffix}") if isinstance(t, Tensor)
                else t for t, suffix in ((g.indices, "indices"), (g.values, "values"),
                                         (g.dense_shape, "shape")))
            out.append(IndexedSlices(vals, idx, dense))
        else:
            out.append(builders.identity(g, name=f"grad_ys_{i}"))
    return out


def gradients(ys: Any, xs: Any, grad_ys: Any = None, name: str = "gradients",
              colocate_gradients_with_ops: bool = False, gate_gradients: bool = False,
              aggregation_method: Any = None, stop_gradients: Any = None,
              unconnected_gradients: Any = UnconnectedGradients.NONE) -> list[Any]:
    """``tf.gradients``: the symbolic derivatives of the sum of ``ys`` w.r.t. each of
    ``xs`` (None for an x that ys do not depend on, or zeros with
    ``unconnected_gradients="zero"``)."""
    ys_l = _as_list(ys)
    xs_l = _as_list(xs)
    grad_ys_l = [None] * len(ys_l) if grad_ys is None else _as_list(grad_ys)
    stop_l = [] if stop_gradients is None else _as_list(stop_gradients)
    unconnected = getattr(unconnected_gradients, "value", unconnected_gradients)
    if unconnected not in (UnconnectedGradients.NONE, UnconnectedGradients.ZERO):
        raise ValueError(f"Unknown value for unconnected_gradients: {unconnected_gradients!r}")
    graph = check_same_graph(ys_l, xs_l, stop_l, [g for g in grad_ys_l if g is not None])
    full = graph.unique_name(name or "gradients")
    state = graph._thread
    saved_ctx, state.cond_ctx = state.cond_ctx, None
    try:
        with scope_of(graph, full):
            ys_t = [convert_to_tensor(y, name="y") for y in ys_l]
            xs_t = [_as_tensor_for_xs(x) for x in xs_l]
            stop_t = [_as_tensor_for_xs(s) for s in stop_l]
            if len(grad_ys_l) != len(ys_l):  # (TF raises it in the gradients scope)
                raise ValueError(f"Length mismatch. Passed {len(grad_ys_l)} grad_ys for "
                                 f"{len(ys_l)} ys")
            return _build(graph, ys_t, xs_t, grad_ys_l, stop_t, gate_gradients, unconnected,
                          colocate=bool(colocate_gradients_with_ops))
    finally:
        state.cond_ctx = saved_ctx


def _build(graph: Any, ys: list[Tensor], xs: list[Tensor], grad_ys: list[Any],
           stops: list[Tensor], gate_gradients: bool, unconnected: str,
           allowed: set[int] | None = None,
           scope_for: Callable[[Operation], str] | None = None,
           colocate: bool = False) -> list[Any]:
    """The gradients of ``ys`` w.r.t. ``xs``; ``allowed`` limits the backward graph to those
    ops (a tape's), ``scope_for`` names each op's gradient scope (default
    ``<op>_grad`` in the current scope); ``grad_ys`` are tensors when ``scope_for`` is set.
    ``colocate`` puts each op's gradient ops with the op (colocate_gradients_with_ops)."""
    to_ops = [y._op for y in ys]
    from_ops = [x._op for x in xs]
    pending, between = _pending_counts(to_ops, from_ops, allowed)
    stop_ids = {t._op._id for t in stops}
    stop_ops = _stop_ops(from_ops, stop_ids, pending, between)
    grad_ys_t = _default_grad_ys(graph, ys, grad_ys, colocate) if scope_for is None \
        else grad_ys
    # grads[op id][output index] -> contributions
    grads: dict[int, list[list[Any]]] = {}

    def add_grad(t: Tensor, g: Any) -> None:
        per_op = grads.get(t._op._id)
        if per_op is None:
            per_op = grads[t._op._id] = [[] for _ in t._op._outputs]
        per_op[t._index].append(g)

    for y, gy in zip(ys, grad_ys_t):
        add_grad(y, gy)
    queue: collections.deque[Operation] = collections.deque()
    queued: set[int] = set()
    for op in to_ops:
        if pending.get(op._id, 0) == 0 and op._id not in queued and op._id in between:
            queue.append(op)
            queued.add(op._id)
    # ys that are also between ops wait for their consumers; ys outside the xs' reach get
    # no gradient flow at all (their xs are unconnected).
    while queue:
        op = queue.popleft()
        with graph.colocate_with(op) if colocate else contextlib.nullcontext():
            in_grads = _op_grads(graph, op, grads, stop_ops, gate_gradients, scope_for)
        _add_input_grads(op, in_grads, add_grad)
        for t_in in op._inputs:
            src = t_in._op
            if src._id not in between:
                continue
            pending[src._id] -= 1
            if pending[src._id] == 0 and src._id not in queued:
                queue.append(src)
                queued.add(src._id)
    out: list[Any] = []
    for x in xs:
        per_op = grads.get(x._op._id)
        g = None
        if per_op is not None:
            g = _aggregate(graph, per_op[x._index])
        if g is None and unconnected == UnconnectedGradients.ZERO:
            g = builders.zeros_like(x)
        out.append(g)
    return out


def _op_grads(graph: Any, op: Operation, grads: dict[int, list[list[Any]]],
              stop_ops: set[int], gate_gradients: bool,
              scope_for: Callable[[Operation], str] | None) -> list[Any]:
    """The gradients of ``op``'s inputs from its outputs' aggregated contributions."""
    per_op = grads.get(op._id)
    out_grads: list[Any] = []
    if per_op is not None:
        for i, contribs in enumerate(per_op):
            agg = _aggregate(graph, contribs)
            per_op[i] = [agg] if agg is not None else []
            out_grads.append(agg)
    else:
        out_grads = [None] * len(op._outputs)
    has_out = any(g is not None for g in out_grads)
    in_grads: list[Any] = [None] * len(op._inputs)
    if has_out and op._id not in stop_ops:
        grad_fn = get_gradient_function(op)
        if grad_fn is not None:
            for i, g in enumerate(out_grads):
                if g is None and _trainable(op._outputs[i]) and op._type not in (
                        "Switch", "Merge"):
                    # TF's ZerosLike(op, i): an op even for a known shape (optimize off)
                    out_grads[i] = builders.zeros_like(op._outputs[i], optimize=False)
            scope = (graph.unique_name(op._name + "_grad") if scope_for is None
                     else scope_for(op))
            with scope_of(graph, scope):
                if op._type not in SPARSE_GRADIENT_OPS:
                    warn = op._type not in QUIET_DENSIFY_OPS
                    out_grads = [densify(g, warn=warn) if isinstance(g, IndexedSlices)
                                 else g for g in out_grads]
                result = grad_fn(op, *out_grads)
                in_grads = _as_list(result) if result is not None else []
                if len(in_grads) < len(op._inputs):
                    in_grads += [None] * (len(op._inputs) - len(in_grads))
                if len(in_grads) != len(op._inputs):
                    raise ValueError(f"Num gradients {len(in_grads)} generated for op "
                                     f"{op.node_def} do not match num inputs "
                                     f"{len(op._inputs)}")
                if gate_gradients and sum(g is not None for g in in_grads) > 1:
                    # (TF builds the tuple with the colocation cleared; each output is
                    # then colocated with its gradient)
                    with graph.colocate_with(None, ignore_existing=True):
                        in_grads = builders.tuple_(in_grads)
    return in_grads


def _add_input_grads(op: Operation, in_grads: list[Any],
                     add_grad: Callable[[Tensor, Any], None]) -> None:
    """Each input's gradient, its static shape checked against the input's."""
    for i, (t_in, g) in enumerate(zip(op._inputs, in_grads)):
        if g is not None:
            if isinstance(g, Tensor) and t_in._dtype is not _dtypes.resource and \
                    t_in._shape is not None:
                try:
                    g.set_shape(t_in._shape)
                except ValueError:
                    raise ValueError(
                        "Incompatible shapes between op input and calculated input "
                        f"gradient. Forward operation: {op._name}. Input index: {i}. "
                        f"Original input shape: {t_in.shape}. Calculated input gradient "
                        f"shape: {g.shape}") from None
            add_grad(t_in, g)


def hessians(ys: Any, xs: Any, name: str = "hessians", colocate_gradients_with_ops: bool = False,
             gate_gradients: bool = False, aggregation_method: Any = None) -> list[Any]:
    """``tf.hessians`` for xs of known static shapes: the second derivatives, one row of
    the flattened gradient at a time."""
    xs_l = _as_list(xs)
    graph = check_same_graph(_as_list(ys), xs_l)
    full = graph.unique_name(name)
    out = []
    with scope_of(graph, full):
        grads = gradients(ys, xs_l)
        for g, x in zip(grads, xs_l):
            xt = _as_tensor_for_xs(x)
            dims = xt._shape
            if g is None or dims is None or None in dims:
                raise ValueError("varstore's hessians needs gradients of xs with static shapes")
            n = 1
            for d in dims:
                n *= d  # type: ignore[operator]
            flat = builders.reshape(g, [-1])
            rows = [gradients(flat[i], x)[0] for i in range(n)]
            rows = [builders.zeros_like(xt) if r is None else r for r in rows]
            out.append(builders.reshape(builders.stack(rows), [*dims, *dims]))
    return out

