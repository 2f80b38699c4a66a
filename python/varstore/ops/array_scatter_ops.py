"""N-d gathers and scatters: GatherNd, ScatterNd and TensorScatterUpdate/Add/Sub with their
shape inference, kernels and gradients (TF's array_ops / array_grad), and the variable
scatters tf.scatter_update/add/sub/mul/div/max/min and tf.scatter_nd_update/add/sub (ref
variables: ScatterUpdate & co returning the ref; resource variables: ResourceScatterUpdate &
co read lazily afterwards, as TF's state_ops)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value_as_shape, convert_to_tensor
from varstore.framework.executor import RunContext
from varstore.framework.op_def_library import (
    check_allowed,
    check_same_graph,
    first_input,
    typed_input,
)
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.framework.tensor_shape import shape_str
from varstore.ops import state_ops as _state

__all__ = [
    "gather_nd",
    "scatter_add",
    "scatter_div",
    "scatter_max",
    "scatter_min",
    "scatter_mul",
    "scatter_nd",
    "scatter_nd_add",
    "scatter_nd_sub",
    "scatter_nd_update",
    "scatter_sub",
    "scatter_update",
    "tensor_scatter_add",
    "tensor_scatter_nd_add",
    "tensor_scatter_nd_max",
    "tensor_scatter_nd_min",
    "tensor_scatter_nd_sub",
    "tensor_scatter_nd_update",
    "tensor_scatter_sub",
    "tensor_scatter_update",
]

Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32
_ND_INDEX_TYPES = "int16, int32, int64"
_INDEX_TYPES = "int32, int64"


def merge_error(a: Dims, b: Dims) -> str | None:
    """TF's InferenceContext::Merge failure text for two shapes, None when they merge."""
    if a is None or b is None:
        return None
    if len(a) != len(b):
        return f"Shapes must be equal rank, but are {len(a)} and {len(b)}"
    for i, (x, y) in enumerate(zip(a, b)):
        if x is not None and y is not None and x != y:
            return (f"Dimension {i} in both shapes must be equal, but are {x} and {y}. "
                    f"Shapes are {shape_str(a)} and {shape_str(b)}.")
    return None


def _num_elements(dims: Dims) -> int | None:
    if dims is None:
        return None
    n = 1
    for d in dims:
        if d is None:
            return None
        n *= d
    return n


def _rank_error(dims: Dims) -> str | None:
    """TF's WithRankAtLeast(..., 1) failure text."""
    if dims is not None and len(dims) == 0:
        return "Shape must be at least rank 1 but is rank 0"
    return None


def _nd_shape_check(ind: Dims, upd: Dims, target: Dims) -> str | None:
    """TF's ScatterNdShapeHelper: nothing may be scattered into an empty target, the leading
    dims of indices and updates must match, and updates' tail the target's dims past
    indices.shape[-1]."""
    if _num_elements(target) == 0 and ((_num_elements(ind) or 0) > 0
                                       or (_num_elements(upd) or 0) > 0):
        return "Indices and updates specified for empty input"
    if ind is None or upd is None or len(upd) == 0 or not ind or ind[-1] is None:
        return None
    outer, ix = len(ind) - 1, ind[-1]
    pi, pu = ind[:outer], upd[:outer]
    bad = merge_error(pi, pu)
    if bad is not None:
        return (f"Dimensions [0,{outer}) of indices[shape={shape_str(ind)}] = {shape_str(pi)} "
                f"must match dimensions [0,{outer}) of updates[shape={shape_str(upd)}] = "
                f"{shape_str(pu)}: {bad}")
    if target is None:
        return None
    so, su = target[ix:], upd[outer:]
    bad = merge_error(so, su)
    if bad is not None:
        return (f"Dimensions [{ix},{len(target)}) of input[shape={shape_str(target)}] = "
                f"{shape_str(so)} must match dimensions [{outer},{len(upd)}) of "
                f"updates[shape={shape_str(upd)}] = {shape_str(su)}: {bad}")
    return None


def _nd_index(idx: np.ndarray, shape: tuple[int, ...], what: str) -> tuple[np.ndarray, ...]:
    """The numpy index of an [..., k] indices array into ``shape``; TF's error names the
    first index out of range."""
    k = idx.shape[-1]
    flat = idx.reshape(-1, k).astype(np.int64)
    lim = np.asarray(shape[:k], np.int64)
    bad = np.nonzero(((flat < 0) | (flat >= lim)).any(axis=1))[0]
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"indices[{i}] = [{', '.join(str(int(v)) for v in flat[i])}] does "
                         f"not index into {what} {shape_str(shape)}")
    return tuple(flat.T)


# -- GatherNd -------------------------------------------------------------------------------------
def gather_nd(params: Any, indices: Any, name: str | None = None, batch_dims: int = 0
              ) -> Tensor:
    """``tf.gather_nd``: op ``GatherNd``; out[i...] = params[indices[i..., :]]."""
    if batch_dims != 0:
        raise NotImplementedError("varstore's gather_nd takes batch_dims=0 only")
    graph = check_same_graph(params, indices)
    full = graph._op_name(name, "GatherNd")
    with scope_of(graph, full):
        p = first_input(params, "params")
        i = first_input(indices, "indices")
    check_allowed(i._dtype, _ND_INDEX_TYPES, "indices")
    attrs = {"Tparams": p._dtype, "Tindices": i._dtype, "bad_indices_policy": ""}
    out: Dims = None
    ps, ish = p._shape, i._shape
    if ish is not None and len(ish) < 1:
        raise node_error("Shape must be at least rank 1 but is rank 0", full, "GatherNd",
                         _gnd_text(attrs), [p, i])
    if ps is not None and ish is not None and ish[-1] is not None:
        if ish[-1] > len(ps):
            raise node_error(f"indices.shape[-1] must be <= params.rank, but saw indices "
                             f"shape: {shape_str(ish)} and params shape: {shape_str(ps)}",
                             full, "GatherNd", _gnd_text(attrs), [p, i])
        out = ish[:-1] + ps[ish[-1]:]
    return make_op(graph, full, "GatherNd", [p, i], attrs, [(p._dtype, out)])._outputs[0]


def _gnd_text(a: dict[str, Any]) -> str:
    return (f'Tindices={dt_enum(a["Tindices"])}, Tparams={dt_enum(a["Tparams"])}, '
            'bad_indices_policy=""')


@register_kernel("GatherNd")
def _gather_nd_kernel(op: Operation) -> Callable[..., Any]:
    name = op._name

    def gather_nd_(p: np.ndarray, i: np.ndarray) -> np.ndarray:
        k = i.shape[-1]
        try:
            ix = _nd_index(i, p.shape, "param shape")
        except ValueError as e:
            raise ValueError(f"{e}, node name: {name}") from None
        return np.asarray(p[ix]).reshape(i.shape[:-1] + p.shape[k:])

    return gather_nd_


@RegisterGradient("GatherNd")
def _gather_nd_grad(op: Operation, grad: Tensor) -> list[Any]:
    # TF's _GatherNdGrad (its IndexedSlices shortcut for [n, 1] indices aside: varstore's
    # gradients are dense, the same values).
    p, i = op._inputs
    return [scatter_nd(i, grad, builders.shape(p, out_type=i._dtype)), None]


# -- ScatterNd ------------------------------------------------------------------------------------
def _snd_text(a: dict[str, Any], lock: bool | None = None, policy: str = "") -> str:
    text = f'T={dt_enum(a["T"])}, Tindices={dt_enum(a["Tindices"])}, bad_indices_policy="{policy}"'
    return text if lock is None else f"{text}, use_locking={str(lock).lower()}"


def scatter_nd(indices: Any, updates: Any, shape: Any, name: str | None = None) -> Tensor:
    """``tf.scatter_nd``: op ``ScatterNd``; zeros of ``shape`` with ``updates`` summed in at
    ``indices``."""
    graph = check_same_graph(indices, updates, shape)
    full = graph._op_name(name, "ScatterNd")
    with scope_of(graph, full):
        i = first_input(indices, "indices")
        u = first_input(updates, "updates")
        s = convert_to_tensor(shape, dtype=i._dtype, name="shape")
    check_allowed(i._dtype, _ND_INDEX_TYPES, "indices")
    attrs = {"T": u._dtype, "Tindices": i._dtype, "bad_indices_policy": ""}
    out = constant_value_as_shape(s)
    bad = _rank_error(i._shape) or _rank_error(u._shape)
    if bad is None:
        bad = _nd_shape_check(i._shape, u._shape, None)
    if bad is not None:
        raise node_error(bad, full, "ScatterNd", _snd_text(attrs), [i, u, s])
    bad = _nd_shape_check(i._shape, u._shape, out)
    if bad is not None:
        # TF checks the tail on its second pass, with the shape read from the `shape`
        # input, and then names that shape
        extra = ("" if out is None or all(d is None for d in out) else
                 f" and with input tensors computed as partial shapes: input[2] = "
                 f"{shape_str(out)}")
        raise node_error(bad, full, "ScatterNd", _snd_text(attrs), [i, u, s], extra)
    return make_op(graph, full, "ScatterNd", [i, u, s], attrs, [(u._dtype, out)])._outputs[0]


def _scatter_into(out: np.ndarray, i: np.ndarray, u: np.ndarray, how: str) -> None:
    """``out`` updated in place at the n-d ``indices`` (duplicates accumulate for add/sub,
    as TF's kernels do)."""
    k = i.shape[-1]
    n = int(np.prod(i.shape[:-1], dtype=np.int64))  # not -1: empty slices leave it open
    vals = np.broadcast_to(u, i.shape[:-1] + out.shape[k:]).reshape((n, *out.shape[k:]))
    if k == 0:
        # indices.shape[-1] == 0: every update is a whole-target slice
        for v in vals:
            out[...] = v if how == "update" else _COMBINE[how](out, v)
        return
    ix = _nd_index(i, out.shape, "shape")
    if how == "update":
        out[ix] = vals
    elif how == "add":
        np.add.at(out, ix, vals)
    elif how == "sub":
        np.subtract.at(out, ix, vals)
    elif how == "max":
        np.maximum.at(out, ix, vals)
    elif how == "min":
        np.minimum.at(out, ix, vals)


_COMBINE: dict[str, Any] = {"add": np.add, "sub": np.subtract, "max": np.maximum,
                            "min": np.minimum}


@register_kernel("ScatterNd")
def _scatter_nd_kernel(op: Operation) -> Callable[..., Any]:
    def scatter_nd_(i: np.ndarray, u: np.ndarray, s: np.ndarray) -> np.ndarray:
        shape = tuple(int(d) for d in s)
        if int(np.prod(shape, dtype=np.int64)) == 0 and (i.size or u.size):
            raise ValueError("Indices and updates specified for empty output.  indices "
                             f"shape: {shape_str(i.shape)}")
        # a string scatter starts from empty strings and concatenates duplicates (TF's
        # kernel adds with string +)
        out = (np.full(shape, b"", dtype=object) if u.dtype == object
               else np.zeros(shape, u.dtype))
        _scatter_into(out, i, u, "add")
        return out

    return scatter_nd_


@RegisterGradient("ScatterNd")
def _scatter_nd_grad(op: Operation, grad: Tensor) -> list[Any]:
    return [None, gather_nd(grad, op._inputs[0]), None]


# -- TensorScatterUpdate / Add / Sub --------------------------------------------------------------
def _tensor_scatter(op_type: str, tensor: Any, indices: Any, updates: Any,
                    name: str | None) -> Tensor:
    graph = check_same_graph(tensor, indices, updates)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        t = first_input(tensor, "tensor")
        i = first_input(indices, "indices")
        u = typed_input(updates, t._dtype, op_type, "updates", "tensor")
    check_allowed(i._dtype, _ND_INDEX_TYPES, "indices")
    attrs = {"T": t._dtype, "Tindices": i._dtype, "bad_indices_policy": ""}
    bad = (_rank_error(t._shape) or _rank_error(i._shape)
           or _nd_shape_check(i._shape, u._shape, t._shape))
    if bad is not None:
        raise node_error(bad, full, op_type, _snd_text(attrs), [t, i, u])
    return make_op(graph, full, op_type, [t, i, u], attrs, [(t._dtype, t._shape)])._outputs[0]


def tensor_scatter_nd_update(tensor: Any, indices: Any, updates: Any,
                             name: str | None = None) -> Tensor:
    """``tf.tensor_scatter_nd_update``: op ``TensorScatterUpdate``."""
    return _tensor_scatter("TensorScatterUpdate", tensor, indices, updates, name)


def tensor_scatter_nd_add(tensor: Any, indices: Any, updates: Any,
                          name: str | None = None) -> Tensor:
    """``tf.tensor_scatter_nd_add``: op ``TensorScatterAdd``."""
    return _tensor_scatter("TensorScatterAdd", tensor, indices, updates, name)


def tensor_scatter_nd_sub(tensor: Any, indices: Any, updates: Any,
                          name: str | None = None) -> Tensor:
    """``tf.tensor_scatter_nd_sub``: op ``TensorScatterSub``."""
    return _tensor_scatter("TensorScatterSub", tensor, indices, updates, name)


def tensor_scatter_nd_max(tensor: Any, indices: Any, updates: Any,
                          name: str | None = None) -> Tensor:
    """``tf.tensor_scatter_nd_max``: op ``TensorScatterMax``, the elementwise max in place."""
    return _tensor_scatter("TensorScatterMax", tensor, indices, updates, name)


def tensor_scatter_nd_min(tensor: Any, indices: Any, updates: Any,
                          name: str | None = None) -> Tensor:
    """``tf.tensor_scatter_nd_min``: op ``TensorScatterMin``."""
    return _tensor_scatter("TensorScatterMin", tensor, indices, updates, name)


# TF 1's names of the same functions
tensor_scatter_update = tensor_scatter_nd_update
tensor_scatter_add = tensor_scatter_nd_add
tensor_scatter_sub = tensor_scatter_nd_sub


def _tensor_scatter_kernel(how: str) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        def run(t: np.ndarray, i: np.ndarray, u: np.ndarray) -> np.ndarray:
            if np.ndim(u) == 0:
                raise ValueError("Updates shape must have rank at least one. Found:[]")
            if t.size == 0 and (i.size or u.size):
                raise ValueError("Indices and updates specified for empty output shape")
            out = np.array(t, copy=True)
            _scatter_into(out, i, u, how)
            return out

        return run

    return factory


for _t, _how in (("TensorScatterUpdate", "update"), ("TensorScatterAdd", "add"),
                 ("TensorScatterSub", "sub"), ("TensorScatterMax", "max"),
                 ("TensorScatterMin", "min")):
    register_kernel(_t)(_tensor_scatter_kernel(_how))


@RegisterGradient("TensorScatterUpdate")
def _tensor_scatter_update_grad(op: Operation, grad: Tensor) -> list[Any]:
    i = op._inputs[1]
    updates_grad = gather_nd(grad, i)
    tensor_grad = tensor_scatter_nd_update(builders.identity(grad), i,
                                           builders.zeros_like(op._inputs[2],
                                                               dtype=grad._dtype))
    return [tensor_grad, None, updates_grad]


@RegisterGradient("TensorScatterAdd")
def _tensor_scatter_add_grad(op: Operation, grad: Tensor) -> list[Any]:
    updates_grad = gather_nd(grad, op._inputs[1])
    return [builders.identity(grad), None, updates_grad]


@RegisterGradient("TensorScatterSub")
def _tensor_scatter_sub_grad(op: Operation, grad: Tensor) -> list[Any]:
    updates_grad = gather_nd(grad, op._inputs[1])
    return [builders.identity(grad), None, builders.negative(updates_grad)]


def _tensor_scatter_min_or_max_grad(op: Operation, grad: Tensor) -> list[Any]:
    """TF's _TensorScatterMinOrMaxGrad: the gradient goes to the elements equal to the
    output, split evenly between ties of the tensor and the updates."""
    x, indices, y = op._inputs
    output = op._outputs[0]
    x_indicators = builders.cast(builders.equal(x, output), grad._dtype)
    y_output = gather_nd(output, indices)
    y_indicators = builders.cast(builders.equal(y, y_output), grad._dtype)
    ys_indicators = scatter_nd(indices, y_indicators,
                               builders.shape(x, out_type=indices._dtype))
    indicators = x_indicators + ys_indicators  # all elements are >= 1
    x_grad = grad * x_indicators / indicators
    y_grad = gather_nd(grad / indicators, indices) * y_indicators
    return [x_grad, None, y_grad]


RegisterGradient("TensorScatterMax")(_tensor_scatter_min_or_max_grad)
RegisterGradient("TensorScatterMin")(_tensor_scatter_min_or_max_grad)


# -- variable scatters ----------------------------------------------------------------------------
# op suffix -> how the kernel combines the variable's rows with the updates
_UFUNCS: dict[str, Any] = {"Update": None, "Add": np.add, "Sub": np.subtract,
                           "Mul": np.multiply, "Div": np.divide, "Max": np.maximum,
                           "Min": np.minimum}


def _apply_rows(out: np.ndarray, i: np.ndarray, u: np.ndarray, kind: str) -> None:
    n = out.shape[0] if out.ndim else 0
    flat = i.reshape(-1).astype(np.int64)
    bad = np.nonzero((flat < 0) | (flat >= n))[0]
    if bad.size:
        raise ValueError(f"indices[{int(bad[0])}] = {int(flat[bad[0]])} is not in [0, {n})")
    vals = np.broadcast_to(u, i.shape + out.shape[1:]).reshape((-1, *out.shape[1:]))
    uf = _UFUNCS[kind]
    if uf is None:
        out[flat] = vals
    elif uf is np.divide and out.dtype.kind in "iu":
        # C++ integer division truncates toward zero (-7 / 2 == -3), NumPy's floors; rows
        # in order, so repeated indices divide in turn as TF's kernel does
        with np.errstate(divide="ignore", invalid="ignore"):
            for row, v in zip(flat, vals):
                q = np.floor_divide(out[row], v)
                out[row] = q + ((q < 0) & (q * v != out[row]))
    else:
        uf.at(out, flat, vals)


def _apply_nd(out: np.ndarray, i: np.ndarray, u: np.ndarray, kind: str) -> None:
    if out.ndim == 0:
        raise ValueError(f"Output must be at least 1-D, got shape: {shape_str(out.shape)}")
    _scatter_into(out, i, u, kind.lower())


def _var_kernel(apply: Callable[[np.ndarray, np.ndarray, np.ndarray, str], None], kind: str,
                ref: bool) -> Callable[[Operation, RunContext], Callable[..., Any]]:
    def factory(op: Operation, ctx: RunContext) -> Callable[..., Any]:
        read = _state.reader(ctx)
        ref_vid = _state._ref_vid(op._inputs[0]) if ref else None

        def run(handle: Any, i: np.ndarray, u: np.ndarray) -> Any:
            vid = ref_vid if ref_vid is not None else int(handle)
            _state.require_initialized(read, vid, op, ref)  # first, as TF

            def fn(cur: np.ndarray, out: np.ndarray | None) -> None:
                assert out is not None
                if out is not cur:
                    np.copyto(out, cur)
                apply(out, i, np.asarray(u, cur.dtype), kind)

            _state.update(ctx, vid, fn)
            if not ref:
                return None
            with ctx._var_lock:
                return ctx._var_values[vid]

        return run

    return factory


for _kind in _UFUNCS:
    register_kernel(f"Scatter{_kind}", stateful=True, ref_inputs=(0,))(
        _var_kernel(_apply_rows, _kind, True))
    register_kernel(f"ResourceScatter{_kind}", stateful=True)(
        _var_kernel(_apply_rows, _kind, False))
    NotDifferentiable(f"Scatter{_kind}")
    NotDifferentiable(f"ResourceScatter{_kind}")
for _kind in ("Update", "Add", "Sub"):
    register_kernel(f"ScatterNd{_kind}", stateful=True, ref_inputs=(0,))(
        _var_kernel(_apply_nd, _kind, True))
    register_kernel(f"ResourceScatterNd{_kind}", stateful=True)(
        _var_kernel(_apply_nd, _kind, False))
    NotDifferentiable(f"ScatterNd{_kind}")
    NotDifferentiable(f"ResourceScatterNd{_kind}")


def _variable_scatter(kind: str, nd: bool, ref: Any, indices: Any, updates: Any,
                      use_locking: bool, name: str | None) -> Any:
    if not _state._is_variable(ref):
        raise _state.not_a_variable(ref, "_lazy_read")  # TF's state_ops reads it first
    var = ref
    graph = var.graph
    dt = var.dtype
    is_ref = var._is_ref
    base = f"Scatter{'Nd' if nd else ''}{kind}"
    op_type = base if is_ref else f"Resource{base}"
    vshape: Dims = var._shape_tuple()
    policy = ""
    if is_ref and nd:
        # TF's state_ops passes `name` positionally into the gen op's bad_indices_policy
        # slot, so a ref scatter_nd_* op keeps its default name and records the name there.
        policy, name = name or "", None
    upd_pre = None
    if not is_ref:
        # the resource path converts updates before the op's name scope (as TF: Const_N)
        upd_pre = convert_to_tensor(updates, dtype=dt)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        i = convert_to_tensor(indices, name="indices")
        u = upd_pre if upd_pre is not None else convert_to_tensor(updates, dtype=dt,
                                                                   name="updates")
    check_allowed(i._dtype, _ND_INDEX_TYPES if nd else _INDEX_TYPES, "indices")
    first = var._ref_tensor() if is_ref else var._handle
    attrs: dict[str, Any]
    if nd:
        attrs = {"T": dt, "Tindices": i._dtype, "bad_indices_policy": policy,
                 "use_locking": bool(use_locking) if is_ref else True}
        text = _snd_text(attrs, attrs["use_locking"], policy)
        bad = _nd_shape_check(i._shape, u._shape, vshape)
    else:
        if is_ref:
            attrs = {"T": dt, "Tindices": i._dtype, "use_locking": bool(use_locking)}
            text = (f"T={dt_enum(dt)}, Tindices={dt_enum(i._dtype)}, "
                    f"use_locking={str(bool(use_locking)).lower()}")
        else:
            attrs = {"Tindices": i._dtype, "dtype": dt}
            text = f"Tindices={dt_enum(i._dtype)}, dtype={dt_enum(dt)}"
        bad = None
        if vshape is not None and i._shape is not None and u._shape is not None and \
                len(u._shape) != 0 and len(vshape) >= 1:
            bad = merge_error(u._shape, i._shape + vshape[1:])
    if bad is not None:
        raise node_error(bad, full, op_type, text, [first, i, u])
    if is_ref:
        return make_op(graph, full, op_type, [first, i, u], attrs, [(dt, vshape)])._outputs[0]
    op = make_op(graph, full, op_type, [first, i, u], attrs, [])
    # varstore.variables imports the op families: imported here to keep the import acyclic
    from varstore._variable_unread import _UnreadVariable

    return _UnreadVariable._of(var, op)


def scatter_update(ref: Any, indices: Any, updates: Any, use_locking: bool = True,
                   name: str | None = None) -> Any:
    """``tf.scatter_update``: ref[indices] = updates (op ``ScatterUpdate``, or
    ``ResourceScatterUpdate`` on a resource variable)."""
    return _variable_scatter("Update", False, ref, indices, updates, use_locking, name)


def scatter_add(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                name: str | None = None) -> Any:
    """``tf.scatter_add``: op ``ScatterAdd`` / ``ResourceScatterAdd``."""
    return _variable_scatter("Add", False, ref, indices, updates, use_locking, name)


def scatter_sub(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                name: str | None = None) -> Any:
    """``tf.scatter_sub``: op ``ScatterSub`` / ``ResourceScatterSub``."""
    return _variable_scatter("Sub", False, ref, indices, updates, use_locking, name)


def scatter_mul(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                name: str | None = None) -> Any:
    """``tf.scatter_mul``: op ``ScatterMul`` / ``ResourceScatterMul``."""
    return _variable_scatter("Mul", False, ref, indices, updates, use_locking, name)


def scatter_div(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                name: str | None = None) -> Any:
    """``tf.scatter_div``: op ``ScatterDiv`` / ``ResourceScatterDiv``."""
    return _variable_scatter("Div", False, ref, indices, updates, use_locking, name)


def scatter_max(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                name: str | None = None) -> Any:
    """``tf.scatter_max``: op ``ScatterMax`` / ``ResourceScatterMax``."""
    return _variable_scatter("Max", False, ref, indices, updates, use_locking, name)


def scatter_min(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                name: str | None = None) -> Any:
    """``tf.scatter_min``: op ``ScatterMin`` / ``ResourceScatterMin``."""
    return _variable_scatter("Min", False, ref, indices, updates, use_locking, name)


def scatter_nd_update(ref: Any, indices: Any, updates: Any, use_locking: bool = True,
                      name: str | None = None) -> Any:
    """``tf.scatter_nd_update``: op ``ScatterNdUpdate`` / ``ResourceScatterNdUpdate``."""
    return _variable_scatter("Update", True, ref, indices, updates, use_locking, name)


def scatter_nd_add(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                   name: str | None = None) -> Any:
    """``tf.scatter_nd_add``: op ``ScatterNdAdd`` / ``ResourceScatterNdAdd``."""
    return _variable_scatter("Add", True, ref, indices, updates, use_locking, name)


def scatter_nd_sub(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                   name: str | None = None) -> Any:
    """``tf.scatter_nd_sub``: op ``ScatterNdSub`` / ``ResourceScatterNdSub``."""
    return _variable_scatter("Sub", True, ref, indices, updates, use_locking, name)


builders.register(globals(), __all__)
