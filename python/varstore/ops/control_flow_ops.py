"""Control flow: no_op, group, tuple, with_dependencies and ``tf.cond``.

``tf.cond`` is built as TF1 builds it (control flow v1): ``cond/Switch`` on the predicate,
the ``switch_t`` / ``switch_f`` pivots, both branches under ``cond/`` with every tensor
they take from outside routed through a Switch, and one ``cond/Merge`` per output. With
control flow v2 on (TF 2.21's default, off under ``disable_v2_behavior``) each Merge is
followed by the Identity TF 2's cond ends in, so the results are named ``cond/Identity``,
``cond/Identity_1``... as TF 2.21 names them. The executor runs only the taken branch: each
op's guard (which Switch port it depends on) is decided when the plan is made.
``tf.while_loop`` is in while_v2.py.
"""

from __future__ import annotations

import builtins
import contextlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.framework.indexed_slices import IndexedSlices
from varstore.framework.mode import control_flow_v2_enabled
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.framework.random_seed import function_seed_scope
from varstore.framework.sparse_tensor import SparseTensor
from varstore.ops.array_ops import identity
from varstore.ops.tensor_array_ops import TensorArray
from varstore.util.nest import assert_same_structure, flatten, pack_sequence_as

__all__ = ["cond", "group", "no_op", "smart_cond", "tuple", "with_dependencies"]

builtins_tuple: Any = builtins.tuple  # this module defines tf.tuple


def no_op(name: str | None = None) -> Operation:
    """``tf.no_op``: an op that does nothing (a target for control dependencies)."""
    graph = get_default_graph()
    full = graph._op_name(name, "NoOp")
    return make_op(graph, full, "NoOp", (), {}, [])


@register_kernel("NoOp")
def _no_op_kernel(op: Operation) -> Callable[[], None]:
    return lambda: None


def _as_op(x: Any) -> Operation:
    if getattr(x, "_control_dep_via_op", False):  # a variable: its op (see graph.py)
        return x.op  # type: ignore[no-any-return]
    kind = getattr(x, "_graph_element_kind", None)
    if kind == "operation":
        return x  # type: ignore[no-any-return]
    if kind == "tensor":
        return x.op  # type: ignore[no-any-return]
    conv = getattr(x, "_as_graph_element", None)
    if conv is not None:
        return _as_op(conv())
    op = getattr(x, "op", None)
    if op is not None and getattr(op, "_graph_element_kind", None) == "operation":
        return op  # type: ignore[no-any-return]
    raise TypeError(f"'{x}' is not a tensor or an op")


def group(*inputs: Any, name: str | None = None) -> Operation:
    """``tf.group``: a NoOp ``group_deps`` that runs after every input."""
    flat: list[Any] = []
    for x in inputs:
        if isinstance(x, (list, builtins_tuple)):
            flat.extend(x)
        elif isinstance(x, dict):
            flat.extend(x.values())
        else:
            flat.append(x)
    graph = check_same_graph(flat)
    full = graph._op_name(name, "group_deps")
    ops_: list[Operation] = []
    for x in flat:
        if x is None:
            continue
        if not hasattr(x, "device"):
            raise TypeError("'inputs' should be zero or more (nested) Tensors. Received "
                            f"'{x}' with type '{type(x)}'.")
        op = _as_op(x)
        if op not in ops_:
            ops_.append(op)
    # TF's group: one NoOp on the inputs' device; inputs on several devices get a NoOp per
    # device (in sorted device order, under the group's name scope) that the root awaits
    by_device: dict[str, list[Operation]] = {}
    for op in ops_:
        by_device.setdefault(op.device, []).append(op)

    def on(dev: str) -> Any:
        return graph.device(dev) if dev else contextlib.nullcontext()

    with scope_of(graph, full):
        if len(by_device) <= 1:
            dev = next(iter(by_device), "")
            with on(dev), graph.control_dependencies(ops_):
                return make_op(graph, full, "NoOp", (), {}, [])
        deps = []
        for dev in sorted(by_device):
            with on(dev), graph.control_dependencies(by_device[dev]):
                deps.append(make_op(graph, graph._op_name(None, "NoOp"), "NoOp", (), {}, []))
        with graph.control_dependencies(deps):
            return make_op(graph, full, "NoOp", (), {}, [])


def with_dependencies(dependencies: Sequence[Any], output_tensor: Any,
                      name: str | None = None) -> Tensor:
    """``output_tensor`` (an Identity ``control_dependency``) that runs after
    ``dependencies``."""
    if isinstance(output_tensor, IndexedSlices):
        # TF's: the values through the Identity, indices and dense_shape as they are
        values = with_dependencies(dependencies, output_tensor.values, name)
        return IndexedSlices(values, output_tensor.indices,  # type: ignore[return-value]
                             output_tensor.dense_shape)
    graph = check_same_graph(list(dependencies), output_tensor)
    full = graph._op_name(name, "control_dependency")
    with scope_of(graph, full), graph.colocate_with(output_tensor), \
            graph.control_dependencies(dependencies):
        t = convert_to_tensor(output_tensor)
        return identity(t, name=full + "/")


def tuple(tensors: Sequence[Any], name: str | None = None,
          control_inputs: Sequence[Any] | None = None) -> list[Any]:
    """``tf.tuple``: the tensors, each available only once all of them are computed."""
    graph = check_same_graph(list(tensors))
    full = graph._op_name(name, "tuple")
    with scope_of(graph, full):
        gating = [_as_op(t) for t in tensors if t is not None]
        if control_inputs:
            gating.extend(_as_op(c) for c in control_inputs)
        gate = group(*gating)
        return [None if t is None else with_dependencies([gate], t) for t in tensors]


# -- cond: Switch, Merge and the branch contexts ---------------------------------------------------
def _switch(data: Tensor, pred: Tensor, name: str | None = None) -> list[Tensor]:
    graph = data._op._graph
    full = graph._op_name(name, "Switch")
    op = make_op(graph, full, "Switch", [data, pred], {"T": data._dtype},
                 [(data._dtype, data._shape), (data._dtype, data._shape)])
    return list(op._outputs)


def _merge(inputs: Sequence[Tensor], name: str | None = None, pred: Tensor | None = None
           ) -> list[Tensor]:
    graph = inputs[0]._op._graph
    full = graph._op_name(name, "Merge")
    shape: Any = inputs[0]._shape
    for t in inputs[1:]:
        if shape is None or t._shape is None or len(shape) != len(t._shape):
            shape = None
            break
        shape = builtins_tuple(p if p == q else None for p, q in zip(shape, t._shape))
    op = make_op(graph, full, "Merge", list(inputs), {"T": inputs[0]._dtype,
                                                      "N": len(inputs)},
                 [(inputs[0]._dtype, shape), (_dtypes.int32, ())], data=pred)
    return list(op._outputs)




# Switch and Merge are not run as kernels: the executor routes their values and guards the
# branch ops (see executor.py).
@register_kernel("Switch")
def _switch_kernel(op: Operation) -> Callable[..., Any]:
    raise AssertionError("Switch is executed by the plan itself")


@register_kernel("Merge")
def _merge_kernel(op: Operation) -> Callable[..., Any]:
    raise AssertionError("Merge is executed by the plan itself")


class CondContext:
    """One branch of a ``tf.cond`` being built: ops made inside belong to it; tensors they
    take from outside go through a Switch on the predicate (one per tensor, reused)."""

    def __init__(self, pred: Tensor, pivot: Tensor, branch: int, outer: CondContext | None
                 ) -> None:
        self.pred = pred
        self.pivot = pivot
        self.branch = branch
        self.outer = outer
        self._external: dict[int, Tensor] = {}
        self._ops: set[int] = set()

    def add_op(self, op: Operation) -> None:
        self._ops.add(op._id if op._id else id(op))
        if (not op._inputs and op is not self.pivot._op
                and not any(self.owns(c) for c in op._control_inputs)):
            # A source op (Const) inside a branch runs only with it: a control edge from
            # the branch's pivot, as TF's CondContext adds, also beside control inputs from
            # outside the cond (an outer tf.control_dependencies), which do not gate it.
            op._control_inputs.append(self.pivot._op)

    def owns(self, op: Operation) -> bool:
        ctx = op._ctx
        while ctx is not None:
            if ctx is self:
                return True
            ctx = ctx.outer
        return False

    def capture(self, t: Tensor) -> Tensor:
        if self.owns(t._op) or t is self.pivot or t is self.pred:
            return t
        found = self._external.get(id(t))
        if found is not None:
            return found
        src = self.outer.capture(t) if self.outer is not None else t
        graph = t._op._graph
        state = graph._thread
        saved_ctx, state.cond_ctx = state.cond_ctx, self.outer
        saved_deps, state.control_deps = state.control_deps, []
        try:
            switched = _switch(src, self.pred)[self.branch]
        finally:
            state.cond_ctx = saved_ctx
            state.control_deps = saved_deps
        self._external[id(t)] = switched
        return switched

    def output(self, v: Any) -> Tensor:
        """A branch result: an op becomes the pivot with a control edge; an outside tensor
        is switched."""
        if getattr(v, "_graph_element_kind", None) == "operation":
            with v.graph.control_dependencies([v]):
                return identity(self.pivot)
        t = convert_to_tensor(v)
        if self.owns(t._op):
            return t
        return self.capture(t)


def cond(pred: Any, true_fn: Callable[[], Any] | None = None,
         false_fn: Callable[[], Any] | None = None, strict: bool = False,
         name: str | None = None, fn1: Any = None, fn2: Any = None) -> Any:
    """``tf.cond(pred, true_fn, false_fn)``: both branches are built (under ``cond/``), one
    runs. The results are the ``cond/Identity`` outputs (v2, TF 2.21's names) or the
    ``cond/Merge`` ones (control flow v1), in the structure ``true_fn`` returns (a
    single-element list is unpacked unless ``strict``, in v1)."""
    if fn1 is not None:
        true_fn = fn1
    if fn2 is not None:
        false_fn = fn2
    if true_fn is None:
        raise TypeError("cond(): 'true_fn' argument required")
    if false_fn is None:
        raise TypeError("cond(): 'false_fn' argument required")
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    if isinstance(pred, (bool, np.bool_)):
        raise TypeError("pred must not be a Python bool", pred)
    graph = check_same_graph(pred)
    full = graph._op_name(name, "cond")
    state = graph._thread
    with scope_of(graph, full):
        p = convert_to_tensor(pred, dtype=_dtypes.bool)
        if p._shape is not None and p._shape != ():
            raise ValueError(f"Shape must be rank 0 but is rank {len(p._shape)} for "
                             f"'{{{{node {full}/Switch}}}} = Switch[T=DT_BOOL]'")
        p_f, p_t = _switch(p, p)
        pivot_t = identity(p_t, name="switch_t")
        pivot_f = identity(p_f, name="switch_f")
        pred_id = identity(p, name="pred_id")
        outer = state.cond_ctx
        results = []
        structures = []
        ctxs: list[CondContext] = []
        for branch, fn, pivot in ((1, true_fn, pivot_t), (0, false_fn, pivot_f)):
            ctx = CondContext(pred_id, pivot, branch, outer)
            state.cond_ctx = ctx
            try:
                with function_seed_scope(graph):
                    orig = fn()
                if orig is None:
                    raise ValueError("true_fn and false_fn must return a value (varstore "
                                     "builds TF1's cond, whose branches must return "
                                     "tensors or ops)")
                # a TensorArray passes through as its flow, a SparseTensor or IndexedSlices
                # as its tensors; they are rebuilt on the merged ones
                flat = [ctx.output(c) for v in flatten(orig) for c in _components(v)]
            finally:
                state.cond_ctx = outer
            results.append(flat)
            structures.append(orig)
            ctxs.append(ctx)
        _match_slice_indices(state, ctxs, structures, results)
        res_t, res_f = results
        v2 = control_flow_v2_enabled()
        _check_branches(v2, structures[0], structures[1], res_t, res_f)
        merges = [_merge([f, t], pred=pred_id)[0] for f, t in zip(res_f, res_t)]
        if v2 and all(isinstance(m, Tensor) for m in merges):
            # TF 2.21's cond_v2 ends in one Identity per output (``cond/Identity``,
            # ``cond/Identity_1``, ...): the names programs and UPDATE_OPS see
            merges = [identity(m, name="Identity") for m in merges]
        outs = _rebuild(flatten(structures[0]), flatten(structures[1]), merges)
    out = pack_sequence_as(structures[0], outs)
    # TF1's cond unpacks a single-element list unless strict; TF 2's (cond_v2, the default
    # in graph mode too) returns the structure as the branch built it
    if not v2 and not strict and isinstance(out, (list, builtins_tuple)) and \
            len(out) == 1 and not hasattr(out, "_fields"):
        return out[0]
    return out


def _components(v: Any) -> list[Any]:
    if isinstance(v, TensorArray):
        return [v.flow]
    if isinstance(v, SparseTensor):
        return [v.indices, v.values, v.dense_shape]
    if isinstance(v, IndexedSlices):
        return [v.values, v.indices] + ([] if v.dense_shape is None else [v.dense_shape])
    return [v]


def _match_slice_indices(state: Any, ctxs: list[CondContext], structures: list[Any],
                         results: list[list[Tensor]]) -> None:
    """TF's _make_indexed_slices_indices_types_match: IndexedSlices outputs whose indices
    are int32 in one branch and int64 in the other get int64 (a Cast in the int32 branch)."""
    at = 0
    for leaf_t, leaf_f in zip(flatten(structures[0]), flatten(structures[1])):
        n = len(_components(leaf_t))
        if isinstance(leaf_t, IndexedSlices) and isinstance(leaf_f, IndexedSlices):
            pos = at + 1
            if results[0][pos]._dtype is not results[1][pos]._dtype:
                for b in (0, 1):
                    if results[b][pos]._dtype is _dtypes.int32:
                        saved, state.cond_ctx = state.cond_ctx, ctxs[b]
                        try:
                            results[b][pos] = builders.cast(results[b][pos], _dtypes.int64)
                        finally:
                            state.cond_ctx = saved
        at += n


def _rebuild(leaves_t: list[Any], leaves_f: list[Any], merges: list[Tensor]) -> list[Any]:
    """The cond's results from the merged tensors: TensorArrays and SparseTensors again, a
    SparseTensor shaped as both branches' agree (TF's common SparseTensorSpec)."""
    outs: list[Any] = []
    at = 0
    for leaf, other in zip(leaves_t, leaves_f):
        n = len(_components(leaf))
        part = merges[at:at + n]
        at += n
        if isinstance(leaf, TensorArray):
            outs.append(leaf._with_flow(part[0]))
        elif isinstance(leaf, IndexedSlices):
            outs.append(IndexedSlices(part[0], part[1], part[2] if len(part) > 2 else None))
        elif isinstance(leaf, SparseTensor):
            sp = SparseTensor(*part)
            if isinstance(other, SparseTensor):
                sp.set_shape(leaf.shape.most_specific_compatible_shape(other.shape))
            outs.append(sp)
        else:
            outs.append(part[0])
    return outs


def _check_branches(v2: bool, orig_t: Any, orig_f: Any, res_t: list[Tensor],
                    res_f: list[Tensor]) -> None:
    """TF's checks that both branches return the same structure and dtypes: cond_v2's
    TypeError (an AssertionError of the two output counts first), or cond v1's errors."""
    if v2:
        if len(res_t) != len(res_f):
            raise AssertionError(str([len(res_t), len(res_f)]))
        prefix = ("true_fn and false_fn arguments to tf.cond must have the same number, type, "
                  "and overall structure of return values.\n\n"
                  f"true_fn output: {orig_t}\nfalse_fn output: {orig_f}\n\nError details:\n")
        try:
            assert_same_structure(orig_t, orig_f)
        except (TypeError, ValueError) as e:
            raise TypeError(prefix + str(e)) from None
        for a, b in zip(res_t, res_f):
            if a._dtype is not b._dtype:
                raise TypeError(prefix + f"{a} and {b} have different types")
        return
    try:
        assert_same_structure(orig_t, orig_f)
    except TypeError as e:
        raise TypeError(f"Incompatible return types of `true_fn` and `false_fn`: {e}") from None
    except ValueError as e:
        raise ValueError(f"Incompatible return values of `true_fn` and `false_fn`: {e}"
                         ) from None
    for a, b in zip(res_t, res_f):
        if a._dtype is not b._dtype:
            raise ValueError(f"Outputs of true_fn and false_fn must have the same type: "
                             f"{a._dtype.name}, {b._dtype.name}")


def smart_cond(pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any],
               name: str | None = None) -> Any:
    """A Python bool or a constant predicate calls its branch directly; a tensor builds a
    cond (TF's smart_cond, which tf.layers uses for ``training``)."""
    if isinstance(pred, (bool, np.bool_, int)) and not isinstance(pred, Tensor):
        return true_fn() if pred else false_fn()
    if hasattr(type(pred), "_as_tensor"):
        pred = convert_to_tensor(pred)
    if isinstance(pred, Tensor):
        v = constant_value(pred)
        if v is not None:
            return true_fn() if bool(v) else false_fn()
    return cond(pred, true_fn, false_fn, name=name)


@RegisterGradient("Switch")
def _switch_grad(op: Operation, *grads: Any) -> list[Any]:
    """TF's _SwitchGrad outside a while loop: merge the two ports' gradients; a port that
    got none gets zeros that are live exactly when its branch runs."""
    g_f, g_t = grads
    if g_f is None and g_t is None:
        return [None, None]
    dt = op._outputs[0]._dtype
    # a TensorArray's list (variant) carries the gradients of its reads in a branch
    if not (dt.is_floating or dt is _dtypes.resource or dt is _dtypes.variant):
        return [None, None]
    if dt is _dtypes.resource and (g_f is None or g_t is None):
        # zeros for the other port when the gradient's shape is static; else (a sparse
        # read's IndexedSlices) TF's _SwitchGrad: the one gradient merged with itself
        g = g_t if g_f is None else g_f
        zeros = _port_zeros(op, 0 if g_f is None else 1, g)
        if zeros is None:
            return [_merge_grads([g, g], "cond_resource_grad"), None]
        g_f, g_t = (zeros, g_t) if g_f is None else (g_f, zeros)
    if g_f is None:
        g_f = _port_zeros(op, 0, g_t)
    if g_t is None:
        g_t = _port_zeros(op, 1, g_f)
    if g_f is None or g_t is None:
        return [None, None]
    return [_merge_grads([g_f, g_t], "cond_grad"), None]


def _merge_grads(grads: list[Any], name: str) -> Any:
    """TF's merge of gradients: IndexedSlices component by component (values, indices,
    dense_shape); in a mix, a dense one becomes an IndexedSlices of all its rows (TF's
    _as_indexed_slices_list, int64 indices when any are)."""
    if any(isinstance(g, IndexedSlices) for g in grads):
        wide = any(isinstance(g, IndexedSlices) and g.indices._dtype is _dtypes.int64
                   for g in grads)
        idx_dt = _dtypes.int64 if wide else _dtypes.int32
        slices = []
        for g in grads:
            if not isinstance(g, IndexedSlices):
                # gated by g: a folded Const shape would be live in the branch not taken
                with get_default_graph().control_dependencies([g.op]):
                    shape = builders.shape(g, out_type=idx_dt)
                    g = IndexedSlices(g, builders.range(0, shape[0]), shape)
            elif g.indices._dtype is not idx_dt:
                g = IndexedSlices(g.values, builders.cast(g.indices, idx_dt), g.dense_shape)
            slices.append(g)
        grads = slices
    if all(isinstance(g, IndexedSlices) for g in grads):
        parts = [_merge([g.values for g in grads], name=name)[0],
                 _merge([g.indices for g in grads], name=name)[0]]
        shapes = [g.dense_shape for g in grads]
        dense = (None if any(d is None for d in shapes)
                 else _merge(shapes, name=name)[0])
        return IndexedSlices(parts[0], parts[1], dense)
    return _merge([convert_to_tensor(g) for g in grads], name=name)[0]


def _port_zeros(op: Operation, port: int, other: Any) -> Any:
    """Zeros for the port of a Switch whose branch sent back no gradient, live exactly when
    that branch runs. The gate is a Switch of the predicate on itself, made here: the
    forward port itself cannot gate, because a loop's gradient is fed the forward values.
    For a variable handle (read inside a branch) the zeros take the variable's static
    shape from the other port's gradient; None if it has none."""
    pred = op._inputs[1]
    gate = identity(_switch(pred, pred)[port])
    with get_default_graph().control_dependencies([gate.op]):
        if op._outputs[0]._dtype is not _dtypes.resource:
            return builders.zeros_like(op._outputs[port], optimize=False)
        dims = other._shape if isinstance(other, Tensor) else None
        if dims is None or None in dims:
            return None
        return builders.fill(list(dims), convert_to_tensor(0, dtype=other._dtype))


@RegisterGradient("Merge")
def _merge_grad(op: Operation, grad: Tensor, _: Any = None) -> list[Any]:
    """TF's _MergeGrad in a cond: the gradient goes to the input of the branch that ran (a
    Switch of the gradient on the cond's predicate, ``cond_grad``)."""
    pred = op._data
    if pred is None:
        # A Merge of no cond built here (an imported one): TF's fallback, a Switch of the
        # gradient on which input the Merge forwarded (its value_index output).
        return [_switch(grad, builders.equal(op._outputs[1], i))[1]
                for i in builtins.range(len(op._inputs))]
    g_f, g_t = _switch(grad, pred, name="cond_grad")
    return [g_f, g_t] + [None] * (len(op._inputs) - 2)


builders.register(globals(), ["cond", "group", "no_op", "smart_cond", "with_dependencies"])
builders.tuple_ = tuple
builders.control_dependencies = lambda deps: get_default_graph().control_dependencies(deps)
