"""``tf.while_loop`` as TF2's graph mode builds it (while_v2): ONE ``While`` op (or
``StatelessWhile``) named ``while``, whose inputs are the loop counter, the maximum number
of iterations, the loop variables and every outside tensor the loop reads (its captures),
followed by one ``while/Identity_<k>`` per output; the user's variables are outputs 2.. .

TF keeps cond and body in function graphs. Here they are ops of the same graph, under
``while/cond`` and ``while/body``, owned by a WhileContext: an outside tensor they read
becomes a capture (a placeholder inside, an input of the While op), so the outer plan never
reaches into the loop. The While kernel compiles the cond and the body to plans of their own
(feeds: the loop variables and captures) and runs them until the predicate is false.

Gradients as while_v2 builds them: the body's gradient is built once, symbolically, in a
WhileGradContext (its inputs: the gradients of the next iteration, and the forward tensors it
reads); the forward While then also outputs the values of those forward tensors at each
iteration (TF's accumulators), and a backward While runs the body's gradient from the last
iteration to the first, summing the gradients of the captures.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.executor import Plan
from varstore.framework.indexed_slices import IndexedSlices
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    is_stateful,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.framework.random_seed import function_seed_scope
from varstore.framework.sparse_tensor import SparseTensor
from varstore.framework.tensor_shape import TensorShape
from varstore.ops.array_ops import identity
from varstore.ops.list_ops import add_values, zeros_of
from varstore.ops.tensor_array_ops import TensorArray
from varstore.util.nest import assert_same_structure, flatten, is_nested, pack_sequence_as

__all__ = ["while_loop"]


def _owned_by(op: Operation, ctx: Any) -> bool:
    c = op._ctx
    while c is not None:
        if c is ctx:
            return True
        c = c.outer
    return False


def _placeholder(graph: Any, name: str | None, dtype: Any, dims: Any) -> Tensor:
    full = graph._op_name(name, "Placeholder")
    return make_op(graph, full, "Placeholder", [], {"dtype": dtype,
                                                    "shape": TensorShape._of(dims)},
                   [(dtype, dims)])._outputs[0]


class WhileContext:
    """The cond and body of a loop being built: ops made inside are owned by it; an
    outside tensor they read is captured (once) as a placeholder."""

    def __init__(self, graph: Any, outer: Any, scope: str) -> None:
        self.graph = graph
        self.outer = outer
        self.scope = scope
        self.captures: list[tuple[Tensor, Tensor]] = []  # (outer tensor, inner placeholder)
        self._by_outer: dict[int, Tensor] = {}
        self.external_controls: list[Operation] = []
        self.stateful = False

    def owns(self, op: Operation) -> bool:
        return _owned_by(op, self)

    def add_op(self, op: Operation) -> None:
        if is_stateful(op._type) and op._type != "Placeholder":
            self.stateful = True  # a random draw, an assign, a stateful inner loop
        if op._control_inputs:
            # An outside control input gates the While op, not one iteration of the body.
            keep = []
            for c in op._control_inputs:
                if _owned_by(c, self):
                    keep.append(c)
                elif c not in self.external_controls:
                    self.external_controls.append(c)
            op._control_inputs = keep

    def capture(self, t: Tensor) -> Tensor:
        if _owned_by(t._op, self):
            return t
        found = self._by_outer.get(id(t))
        if found is not None:
            return found
        src = self.outer.capture(t) if self.outer is not None else t
        graph = self.graph
        state = graph._thread
        saved = state.cond_ctx, state.control_deps, state.name_stack
        state.cond_ctx, state.control_deps, state.name_stack = self, [], self.scope
        try:
            ph = _placeholder(graph, None, t._dtype, t._shape)
        finally:
            state.cond_ctx, state.control_deps, state.name_stack = saved
        self.captures.append((src, ph))
        self._by_outer[id(t)] = ph
        return ph


class WhileGradContext:
    """The gradient of a loop's body being built: a forward tensor it reads is recorded
    (the forward loop saves its value at each iteration); an outside one becomes an input of
    the backward While op."""

    def __init__(self, forward: WhileContext, outer: Any) -> None:
        self.forward = forward
        self.outer = outer
        self.saved: list[Tensor] = []
        self._saved_ids: set[int] = set()
        self.ext_inner: list[Tensor] = []
        self.ext_outer: list[Tensor] = []
        self._ext_ids: set[int] = set()

    def owns(self, op: Operation) -> bool:
        return _owned_by(op, self)

    def add_op(self, op: Operation) -> None:
        op._control_inputs = [c for c in op._control_inputs if _owned_by(c, self)]

    def capture(self, t: Tensor) -> Tensor:
        if _owned_by(t._op, self):
            return t
        if _owned_by(t._op, self.forward):
            if id(t) not in self._saved_ids:
                self._saved_ids.add(id(t))
                self.saved.append(t)
            return t
        if id(t) not in self._ext_ids:
            self._ext_ids.add(id(t))
            self.ext_inner.append(t)
            self.ext_outer.append(self.outer.capture(t) if self.outer is not None else t)
        return t


class _Forward:
    """What a forward While op's kernel and gradient need (``op._data``)."""

    backward = False

    def __init__(self, ctx: WhileContext, var_phs: list[Tensor], pred: Tensor,
                 body_outs: list[Tensor]) -> None:
        self.ctx = ctx
        self.var_phs = var_phs
        self.cap_phs = [ph for _, ph in ctx.captures]
        self.pred = pred
        self.body_outs = body_outs
        self.saved: list[Tensor] = []  # forward tensors the gradient reads, per iteration
        self.stack: Tensor | None = None  # the output holding them
        self.back_prop = True


class _Backward:
    backward = True

    def __init__(self, gys: list[Tensor], gctx: WhileGradContext, gx_vars: list[Any],
                 gx_caps: list[Any]) -> None:
        self.gys = gys
        self.saved = gctx.saved
        self.ext_inner = gctx.ext_inner
        self.gx_vars = gx_vars
        self.gx_caps = gx_caps
        self.zero_specs: list[Any] = []


def _is_ta(x: Any) -> bool:
    return isinstance(x, TensorArray)


def _trainable(dt: Any) -> bool:
    return bool(dt.is_floating or dt.is_complex or dt is _dtypes.variant)


def _cap_trainable(dt: Any) -> bool:
    # a captured variable handle: its gradient is that of the reads inside the loop
    return _trainable(dt) or dt is _dtypes.resource


def while_loop(cond: Callable[..., Any], body: Callable[..., Any], loop_vars: Any,
               shape_invariants: Any = None, parallel_iterations: int = 10,
               back_prop: bool = True, swap_memory: bool = False, name: str | None = None,
               maximum_iterations: Any = None, return_same_structure: bool = False) -> Any:
    """``tf.while_loop``: repeats ``body`` while ``cond`` holds; returns the loop variables'
    final values in the structure of ``loop_vars``."""
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if not isinstance(parallel_iterations, int) or parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    if not isinstance(loop_vars, (list, tuple)):
        loop_vars = [loop_vars]
    if not flatten(loop_vars):
        raise ValueError("No loop variables provided")
    leaves = flatten(loop_vars)
    if any(isinstance(v, (SparseTensor, IndexedSlices)) for v in leaves):
        return _composite_while(cond, body, loop_vars, shape_invariants, parallel_iterations,
                                back_prop, swap_memory, name, maximum_iterations,
                                return_same_structure)
    graph = check_same_graph([v.flow if _is_ta(v) else v for v in leaves])
    state = graph._thread
    full = graph._op_name(name, "while")
    with scope_of(graph, full):
        flat_in = [v.flow if _is_ta(v) else convert_to_tensor(v) for v in leaves]
        if shape_invariants is not None:
            inv = flatten(shape_invariants)
            if len(inv) != len(flat_in):
                raise ValueError("The two structures don't have the same nested structure.")
            dims = [None if _is_ta(v) else TensorShape(s)._dims
                    for v, s in zip(leaves, inv)]
            for t, d in zip(flat_in, dims):
                if not TensorShape._of(t._shape).is_compatible_with(TensorShape._of(d)):
                    raise ValueError(f"The shape invariant specified for {t.name} is not "
                                     "compatible with the initial shape of the loop "
                                     f"variable. It enters the loop with shape "
                                     f"{TensorShape._of(t._shape)}, but the specified shape "
                                     f"invariant is {TensorShape._of(d)}.")
        else:
            dims = [t._shape for t in flat_in]
        dims = [() if _is_ta(v) else d for v, d in zip(leaves, dims)]
        max_it = convert_to_tensor(-1 if maximum_iterations is None else maximum_iterations,
                                   dtype=_dtypes.int32, name="maximum_iterations")
        counter = convert_to_tensor(0, dtype=_dtypes.int32, name="loop_counter")
        ctx = WhileContext(graph, state.cond_ctx, full)
        saved = state.cond_ctx, state.control_deps
        state.cond_ctx, state.control_deps = ctx, []
        try:
            var_phs = [_placeholder(graph, None, t._dtype, d) for t, d in zip(flat_in, dims)]

            def inner_vars() -> list[Any]:
                flat = [v._with_flow(ph) if _is_ta(v) else ph for v, ph in zip(leaves, var_phs)]
                return list(pack_sequence_as(loop_vars, flat))

            with scope_of(graph, graph.unique_name("cond")), function_seed_scope(graph):
                pred = convert_to_tensor(cond(*inner_vars()))
                if pred._dtype is not _dtypes.bool or (pred._shape is not None
                                                       and pred._shape != ()):
                    raise TypeError(f"The loop's cond must return a boolean scalar tensor, "
                                    f"got {pred}")
                pred = ctx.capture(pred)
            with scope_of(graph, graph.unique_name("body")), function_seed_scope(graph):
                outs = body(*inner_vars())
                if not is_nested(outs):
                    outs = [outs]
                # TF checks the body's result against the loop variables with nest (a list
                # and a tuple count as the same; a dict for a list of one dict does not)
                assert_same_structure(outs, loop_vars, check_types=False)
                body_outs = [ctx.capture(o.flow if _is_ta(o) else convert_to_tensor(o))
                             for o in flatten(outs)]
            for t_in, o, d in zip(flat_in, body_outs, dims):
                if o._dtype is not t_in._dtype:
                    raise TypeError(f"Loop var {t_in.name} enters the loop with type "
                                    f"{t_in._dtype} but has type {o._dtype} after 1 "
                                    f"iteration. {t_in.name} type should remain constant.")
                if not TensorShape._of(d).is_compatible_with(TensorShape._of(o._shape)) or (
                        d is not None and o._shape is not None and None in o._shape
                        and any(p is not None and q is None for p, q in zip(d, o._shape))):
                    raise ValueError(
                        f"Input tensor `{t_in.name}` enters the loop with shape "
                        f"{TensorShape._of(d)}, but has shape {TensorShape._of(o._shape)} "
                        "after one iteration. To allow the shape to vary across iterations, "
                        "use the `shape_invariants` argument of tf.while_loop to specify a "
                        "less-specific shape.")
        finally:
            state.cond_ctx, state.control_deps = saved
        info = _Forward(ctx, var_phs, pred, body_outs)
        info.back_prop = bool(back_prop)
        caps = [src for src, _ in ctx.captures]
        inputs = [counter, max_it, *flat_in, *caps]
        out_specs = [(_dtypes.int32, ()), (_dtypes.int32, ()),
                     *[(t._dtype, d) for t, d in zip(flat_in, dims)],
                     *[(t._dtype, t._shape) for t in caps]]
        op = make_op(graph, full, "While" if ctx.stateful else "StatelessWhile", inputs,
                     {"T": [t._dtype for t in inputs], "parallel_iterations":
                      parallel_iterations}, out_specs, data=info,
                     control_inputs=ctx.external_controls)
        results = [identity(t, name="Identity") for t in op._outputs]
    final_vars = [leaf._with_flow(r) if _is_ta(leaf) else r
                  for leaf, r in zip(leaves, results[2:2 + len(leaves)])]
    # A body TensorArray's element shape (learnt from its writes) carries to the output.
    for f, o in zip(final_vars, flatten(outs)):
        if isinstance(f, TensorArray) and isinstance(o, TensorArray):
            f._element_shape = o._element_shape
    packed = pack_sequence_as(loop_vars, final_vars)
    if not return_same_structure and len(packed) == 1:
        return packed[0]
    return packed


# -- SparseTensor / IndexedSlices loop variables -------------------------------------------------
class _SparseParts(builtins.tuple):  # type: ignore[type-arg]
    """A SparseTensor loop variable as its (indices, values, dense_shape)."""


class _SliceParts(builtins.tuple):  # type: ignore[type-arg]
    """An IndexedSlices loop variable as its (values, indices[, dense_shape])."""


def _split(x: Any) -> Any:
    if isinstance(x, SparseTensor):
        return _SparseParts((x.indices, x.values, x.dense_shape))
    if isinstance(x, IndexedSlices):
        extra = () if x.dense_shape is None else (x.dense_shape,)
        return _SliceParts((x.values, x.indices, *extra))
    return _restructure(x, _split)


def _join(x: Any) -> Any:
    if isinstance(x, _SparseParts):
        return SparseTensor(*x)
    if isinstance(x, _SliceParts):
        return IndexedSlices(*x)
    return _restructure(x, _join)


def _restructure(x: Any, fn: Callable[[Any], Any]) -> Any:
    if isinstance(x, dict):
        return type(x)((k, fn(v)) for k, v in x.items())
    if isinstance(x, builtins.tuple) and hasattr(x, "_fields"):
        return type(x)(*[fn(e) for e in x])
    if isinstance(x, (list, builtins.tuple)):
        return type(x)(fn(e) for e in x)
    return x


def _part_invariants(v: Any, shape: Any) -> list[TensorShape]:
    """TF's shape invariants of a composite's tensors: a SparseTensor's invariant is its dense
    shape's (indices [None, rank], values [None], dense_shape [rank]; by default its nnz may
    vary); an IndexedSlices' is its values' (indices [rows], dense_shape [rank])."""
    if isinstance(v, SparseTensor):
        rank: int | None = v.indices.shape[1]
        if shape is not None:
            # TF's backward-compatible reading: a vector invariant is dense_shape's own
            # shape, so [None] (like an unknown shape) lets the rank vary
            inv = TensorShape(shape)
            rank = None if inv.rank is None else (inv[0] if inv.rank == 1 else inv.rank)
        return [TensorShape([None, rank]), TensorShape([None]), TensorShape([rank])]
    if isinstance(v, IndexedSlices):
        vals = v.values.shape if shape is None else TensorShape(shape)
        rows = vals[0] if vals.rank else None
        out = [vals, TensorShape([rows]) if shape is not None else v.indices.shape]
        if v.dense_shape is not None:
            out.append(TensorShape([vals.rank]) if shape is not None else v.dense_shape.shape)
        return out
    if isinstance(v, TensorArray):
        return [TensorShape(None)]
    return [convert_to_tensor(v).shape if shape is None else TensorShape(shape)]


def _composite_while(cond: Callable[..., Any], body: Callable[..., Any], loop_vars: Any,
                     shape_invariants: Any, parallel_iterations: int, back_prop: bool,
                     swap_memory: bool, name: str | None, maximum_iterations: Any,
                     return_same_structure: bool) -> Any:
    """tf.while_loop over SparseTensor / IndexedSlices loop variables: the loop carries their
    component tensors (TF's expand_composites), rebuilt for cond and body and at the end."""
    leaves = flatten(loop_vars)
    given = [None] * len(leaves) if shape_invariants is None else flatten(shape_invariants)
    if len(given) != len(leaves):
        raise ValueError("The two structures don't have the same nested structure.")
    parts = _split(loop_vars)
    inv = pack_sequence_as(parts, [s for v, g in zip(leaves, given)
                                   for s in _part_invariants(v, g)])

    def cond_fn(*vs: Any) -> Any:
        return cond(*_join(list(vs)))

    def body_fn(*vs: Any) -> Any:
        outs = body(*_join(list(vs)))
        return _split(outs if is_nested(outs) else [outs])

    result = _join(while_loop(cond_fn, body_fn, parts, shape_invariants=inv,
                              parallel_iterations=parallel_iterations, back_prop=back_prop,
                              swap_memory=swap_memory, name=name,
                              maximum_iterations=maximum_iterations,
                              return_same_structure=True))
    if not return_same_structure and len(result) == 1:
        return result[0]
    return result


def _forward_kernel(op: Operation, run_ctx: Any, info: _Forward) -> Callable[..., Any]:
    n = len(info.var_phs)
    feeds = info.var_phs + info.cap_phs
    saved = list(info.saved)
    cond_plan = Plan(run_ctx, [info.pred], [], feeds)
    body_plan = Plan(run_ctx, info.body_outs + saved, [], feeds)
    body_plan.allow_dead = True
    keep = info.stack is not None

    def run(counter: Any, max_it: Any, *rest: Any) -> tuple[Any, ...]:
        vals = list(rest[:n])
        caps = list(rest[n:])
        i = int(counter)
        limit = int(max_it)
        records: list[Any] = []
        while limit < 0 or i < limit:
            if not cond_plan.execute(vals + caps)[0]:
                break
            out = body_plan.execute(vals + caps)
            vals = list(out[:n])
            if keep:
                records.append(out[n:])
            i += 1
        result = (np.int32(i), np.int32(limit), *vals, *caps)
        return (*result, (saved, records)) if keep else result

    return run


def _backward_kernel(op: Operation, run_ctx: Any, info: _Backward) -> Callable[..., Any]:
    fetches = [g for g in info.gx_vars + info.gx_caps if g is not None]
    plan = Plan(run_ctx, fetches, [], info.gys + info.saved + info.ext_inner)
    plan.allow_dead = True
    nv = len(info.gys)
    nc = len(info.gx_caps)
    nl = sum(spec is None for spec in info.zero_specs)

    def run(*inputs: Any) -> tuple[Any, ...]:
        g = list(inputs[:nv])
        snap, records = inputs[nv]
        like_it = iter(inputs[nv + 1:nv + 1 + nl])
        ext = list(inputs[nv + 1 + nl:])
        pos = {id(t): i for i, t in enumerate(snap)}
        idx = [pos[id(t)] for t in info.saved]
        acc: list[Any] = [None] * nc
        for rec in reversed(records):
            out = iter(plan.execute(g + [rec[i] for i in idx] + ext))
            g = [next(out) if gx is not None else zeros_of(gv)
                 for gx, gv in zip(info.gx_vars, g)]
            for k in range(nc):
                acc[k] = add_values(acc[k], next(out))
        likes = [next(like_it) if spec is None else None for spec in info.zero_specs]
        for k, a in enumerate(acc):
            if a is None:
                spec = info.zero_specs[k]
                acc[k] = zeros_of(likes[k]) if spec is None else np.zeros(
                    tuple(d or 0 for d in spec[1] or ()), spec[0])
        result = (*g, *acc)
        return result if len(result) != 1 else result[0]  # a one-output kernel's value

    return run


def _while_kernel(op: Operation, run_ctx: Any) -> Callable[..., Any]:
    info = op._data
    if info.backward:
        return _backward_kernel(op, run_ctx, info)
    return _forward_kernel(op, run_ctx, info)


register_kernel("While", stateful=True)(_while_kernel)
register_kernel("StatelessWhile")(_while_kernel)


def _while_grad(op: Operation, *grads: Any) -> list[Any]:
    info = op._data
    if info.backward:
        raise LookupError("varstore cannot differentiate the gradient of a while loop "
                          "(no second derivatives through tf.while_loop)")
    n = len(info.var_phs)
    if not info.back_prop:  # while_loop(back_prop=False): no gradient flows through it
        return [None] * len(op._inputs)
    var_grads = grads[2:2 + n]
    train = [j for j in range(n) if _trainable(info.var_phs[j]._dtype)
             and var_grads[j] is not None]
    cap_train = [k for k, ph in enumerate(info.cap_phs) if _cap_trainable(ph._dtype)]
    if not train:
        return [None] * len(op._inputs)
    from varstore.ops.gradients_impl import _build  # gradients_impl builds on every family

    graph = op._graph
    state = graph._thread
    gctx = WhileGradContext(info.ctx, state.cond_ctx)
    saved = state.cond_ctx, state.control_deps
    state.cond_ctx, state.control_deps = gctx, []
    try:
        with scope_of(graph, graph.unique_name("body")):
            gys = [_placeholder(graph, None, info.var_phs[j]._dtype, info.var_phs[j]._shape)
                   for j in train]
            xs = [info.var_phs[j] for j in train] + [info.cap_phs[k] for k in cap_train]
            gx = _build(graph, [info.body_outs[j] for j in train], xs, list(gys), [], False,
                        "none")
            # a gather inside the body gives its input an IndexedSlices gradient: the
            # backward loop carries it dense (the values TF's IndexedSlices accumulator sums)
            gx = [convert_to_tensor(g) if isinstance(g, IndexedSlices) else g for g in gx]
    finally:
        state.cond_ctx, state.control_deps = saved
    gx_vars, gx_caps = gx[:len(train)], gx[len(train):]
    known = {id(t) for t in info.saved}
    info.saved.extend(t for t in gctx.saved if id(t) not in known)
    if info.stack is None:
        info.stack = Tensor(op, len(op._outputs), _dtypes.variant, ())
        op._outputs.append(info.stack)
    kept = [(k, g) for k, g in zip(cap_train, gx_caps) if g is not None]
    bw_info = _Backward(gys, gctx, gx_vars, [g for _, g in kept])
    caps = [src for src, _ in info.ctx.captures]
    # zeros for a capture's gradient when the loop ran no iteration: shaped like the capture
    # (an input), or for a variable handle by the gradient's static shape
    likes = [caps[k] for k, g in kept if caps[k]._dtype is not _dtypes.resource]
    bw_info.zero_specs = [None if caps[k]._dtype is not _dtypes.resource
                          else (g._dtype.as_numpy_dtype, g._shape) for k, g in kept]
    inputs = [var_grads[j] for j in train] + [info.stack] + likes + gctx.ext_outer
    outputs = [(info.var_phs[j]._dtype, info.var_phs[j]._shape) for j in train] + \
        [(g._dtype, g._shape) for _, g in kept]
    full = graph._op_name(None, "while")
    bw = make_op(graph, full, "While", inputs, {"T": [t._dtype for t in inputs]}, outputs,
                 data=bw_info)
    with scope_of(graph, full):
        outs = [identity(t, name="Identity") for t in bw._outputs]
    result: list[Any] = [None] * len(op._inputs)
    for pos, j in enumerate(train):
        result[2 + j] = outs[pos]
    for pos, (k, _) in enumerate(kept):
        result[2 + n + k] = outs[len(train) + pos]
    return result


RegisterGradient("While")(_while_grad)
RegisterGradient("StatelessWhile")(_while_grad)
