"""The optimizers' update ops (TF's training_ops): ``ResourceApply<X>`` for resource
variables and ``Apply<X>`` for ref variables, one definition per update rule.

Each rule lists its slot inputs and scalar inputs in TF's input order and one NumPy body
that updates the variable and its slots in place, in the order of operations of TF's Eigen
kernels (training_ops.cc), so that float32 results match TF's to the last few ulps. The
kernels run under the graph's variable lock (state_ops.update): a concurrent read sees the
old or the new value of each variable, never a mix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework import ops as _ops
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.executor import RunContext
from varstore.framework.op_errors import node_error
from varstore.framework.ops import Operation, Tensor, make_op, register_kernel, scope_of
from varstore.framework.tensor_shape import shape_str
from varstore.ops import state_ops
from varstore.ops.array_scatter_ops import merge_error

__all__ = ["RULES", "SPARSE_RULES", "apply_update"]

_Body = Callable[..., None]


class _Rule:
    """One update rule: ``slots`` (the variables updated beside ``var``), ``scalars`` (the
    0-d inputs), where the gradient sits among the inputs, the body and its bool attrs."""

    def __init__(self, slots: Sequence[str], scalars: Sequence[str], grad_at: int,
                 body: _Body, attrs: Sequence[str] = (), int64_scalars: Sequence[str] = (),
                 sparse_body: _Body | None = None,
                 labels: dict[str, str] | None = None, ref: bool = True) -> None:
        self.slots = tuple(slots)
        self.scalars = tuple(scalars)
        self.grad_at = grad_at  # index of grad among the non-variable inputs
        self.body = body
        self.attrs = tuple(attrs)
        # scalars that are int64 whatever the variable's dtype (AdagradDA's global_step)
        self.int64_scalars = frozenset(int64_scalars)
        # a sparse form whose arithmetic differs from the dense one's (AdagradDA's)
        self.sparse_body = sparse_body
        # the scalars' names in TF's run-time "... is not a scalar" messages
        self.labels = labels or {}
        # whether TF has the ref-variable form Apply<X> too (the Keras-only ops have not)
        self.ref = ref


def _gradient_descent(var: np.ndarray, alpha: Any, delta: np.ndarray) -> None:
    var -= alpha * delta


def _momentum(var: np.ndarray, accum: np.ndarray, lr: Any, grad: np.ndarray, momentum: Any,
              use_nesterov: bool = False) -> None:
    accum *= momentum
    accum += grad
    if use_nesterov:
        var -= grad * lr + accum * momentum * lr
    else:
        var -= lr * accum


def _adam(var: np.ndarray, m: np.ndarray, v: np.ndarray, beta1_power: Any, beta2_power: Any,
          lr: Any, beta1: Any, beta2: Any, epsilon: Any, grad: np.ndarray,
          use_nesterov: bool = False) -> None:
    one = np.ones((), var.dtype)
    alpha = lr * np.sqrt(one - beta2_power) / (one - beta1_power)
    m += (grad - m) * (one - beta1)
    v += (np.square(grad) - v) * (one - beta2)
    if use_nesterov:
        var -= ((grad * (one - beta1) + beta1 * m) * alpha) / (np.sqrt(v) + epsilon)
    else:
        var -= (m * alpha) / (np.sqrt(v) + epsilon)


def _rmsprop(var: np.ndarray, ms: np.ndarray, mom: np.ndarray, lr: Any, rho: Any,
             momentum: Any, epsilon: Any, grad: np.ndarray) -> None:
    one = np.ones((), var.dtype)
    ms += (np.square(grad) - ms) * (one - rho)
    mom *= momentum
    mom += (grad * lr) / np.sqrt(ms + epsilon)
    var -= mom


def _centered_rmsprop(var: np.ndarray, mg: np.ndarray, ms: np.ndarray, mom: np.ndarray,
                      lr: Any, rho: Any, momentum: Any, epsilon: Any, grad: np.ndarray
                      ) -> None:
    one = np.ones((), var.dtype)
    ms += (np.square(grad) - ms) * (one - rho)
    mg += (grad - mg) * (one - rho)
    denom = (ms - np.square(mg)) + epsilon
    mom *= momentum
    mom += (grad * lr) / np.sqrt(denom)
    var -= mom


def _adagrad(var: np.ndarray, accum: np.ndarray, lr: Any, grad: np.ndarray,
             update_slots: bool = True) -> None:
    if update_slots:
        accum += np.square(grad)
    var -= grad * lr / np.sqrt(accum)


def _keras_momentum(var: np.ndarray, accum: np.ndarray, lr: Any, grad: np.ndarray,
                    momentum: Any, use_nesterov: bool = False) -> None:
    # Keras' velocity form: accum holds -lr * (the running gradient)
    accum[...] = accum * momentum - grad * lr
    if use_nesterov:
        var += accum * momentum - grad * lr
    else:
        var += accum


def _adagrad_v2(var: np.ndarray, accum: np.ndarray, lr: Any, epsilon: Any, grad: np.ndarray,
                update_slots: bool = True) -> None:
    if update_slots:
        accum += np.square(grad)
    var -= grad * lr / (np.sqrt(accum) + epsilon)


def _ada_max(var: np.ndarray, m: np.ndarray, v: np.ndarray, beta1_power: Any, lr: Any,
             beta1: Any, beta2: Any, epsilon: Any, grad: np.ndarray) -> None:
    one = np.ones((), var.dtype)
    m += (grad - m) * (one - beta1)
    np.maximum(beta2 * v, np.abs(grad), out=v)
    var -= lr / (one - beta1_power) * (m / (v + epsilon))


def _adam_with_amsgrad(var: np.ndarray, m: np.ndarray, v: np.ndarray, vhat: np.ndarray,
                       beta1_power: Any, beta2_power: Any, lr: Any, beta1: Any, beta2: Any,
                       epsilon: Any, grad: np.ndarray) -> None:
    one = np.ones((), var.dtype)
    alpha = lr * np.sqrt(one - beta2_power) / (one - beta1_power)
    m += (grad - m) * (one - beta1)
    v += (np.square(grad) - v) * (one - beta2)
    np.maximum(vhat, v, out=vhat)
    var -= (m * alpha) / (np.sqrt(vhat) + epsilon)


def _adadelta(var: np.ndarray, accum: np.ndarray, accum_update: np.ndarray, lr: Any, rho: Any,
              epsilon: Any, grad: np.ndarray) -> None:
    one = np.ones((), var.dtype)
    accum *= rho
    accum += np.square(grad) * (one - rho)
    update = np.sqrt(accum_update + epsilon) * (one / np.sqrt(accum + epsilon)) * grad
    var -= update * lr
    accum_update *= rho
    accum_update += np.square(update) * (one - rho)


def _proximal_step(var: np.ndarray, prox: np.ndarray, lr: Any, l1: Any, l2: Any) -> None:
    """TF's proximal shrinkage: soft-threshold by lr*l1 when l1 > 0, then scale by
    1 / (1 + lr*l2)."""
    one = np.ones((), var.dtype)
    if l1 > 0:
        var[...] = np.sign(prox) * np.maximum(np.abs(prox) - lr * l1, 0) / (one + lr * l2)
    else:
        var[...] = prox / (one + lr * l2)


def _proximal_gradient_descent(var: np.ndarray, alpha: Any, l1: Any, l2: Any,
                               delta: np.ndarray) -> None:
    _proximal_step(var, var - delta * alpha, alpha, l1, l2)


def _proximal_adagrad(var: np.ndarray, accum: np.ndarray, lr: Any, l1: Any, l2: Any,
                      grad: np.ndarray) -> None:
    accum += np.square(grad)
    rate = lr * (np.ones((), var.dtype) / np.sqrt(accum))
    _proximal_step(var, var - grad * rate, rate, l1, l2)


def _ftrl_core(var: np.ndarray, accum: np.ndarray, linear: np.ndarray, grad: np.ndarray,
               grad_shrunk: np.ndarray, lr: Any, l1: Any, l2: Any, lr_power: Any,
               multiply_linear_by_lr: bool) -> None:
    new_accum = accum + np.square(grad)
    if lr_power == -0.5:
        sigma = np.sqrt(new_accum) - np.sqrt(accum)
        y_base = np.sqrt(new_accum)
    else:
        sigma = np.power(new_accum, -lr_power) - np.power(accum, -lr_power)
        y_base = np.power(new_accum, -lr_power)
    two = np.asarray(2, var.dtype)
    if multiply_linear_by_lr:
        linear += grad_shrunk * lr - sigma * var
        l1_adj = np.clip(linear, -l1 * lr, l1 * lr)
        y = y_base + two * l2 * lr
        shrink_at = l1 * lr
    else:
        linear += grad_shrunk - sigma / lr * var
        l1_adj = np.clip(linear, -l1, l1)
        y = y_base / lr + two * l2
        shrink_at = l1
    pre_shrink = (l1_adj - linear) / y
    var[...] = np.where(np.abs(linear) > shrink_at, pre_shrink, np.zeros((), var.dtype))
    accum += np.square(grad)


def _ftrl(var: np.ndarray, accum: np.ndarray, linear: np.ndarray, grad: np.ndarray, lr: Any,
          l1: Any, l2: Any, lr_power: Any, multiply_linear_by_lr: bool = False) -> None:
    _ftrl_core(var, accum, linear, grad, grad, lr, l1, l2, lr_power, multiply_linear_by_lr)


def _ftrl_v2(var: np.ndarray, accum: np.ndarray, linear: np.ndarray, grad: np.ndarray,
             lr: Any, l1: Any, l2: Any, l2_shrinkage: Any, lr_power: Any,
             multiply_linear_by_lr: bool = False) -> None:
    # The shrinkage enters linear only; the accumulator grows by the raw gradient (TF's
    # ApplyFtrlV2).
    shrunk = grad + np.asarray(2, var.dtype) * l2_shrinkage * var
    _ftrl_core(var, accum, linear, grad, shrunk, lr, l1, l2, lr_power, multiply_linear_by_lr)


def _adagrad_da(var: np.ndarray, ga: np.ndarray, gga: np.ndarray, grad: np.ndarray, lr: Any,
                l1: Any, l2: Any, global_step: Any) -> None:
    # TF's ApplyAdagradDA functor: the step goes through float (static_cast<float>) even
    # for double variables, and the products run left to right as Eigen's expression does.
    dt = var.dtype
    ga += grad
    gga += np.square(grad)
    gs = np.asarray(np.float32(global_step), dt)
    neg = np.asarray(-1, dt)
    denom = l2 * (gs * lr) + np.sqrt(gga)
    if l1 > 0:
        var[...] = lr * neg * np.sign(ga) * np.maximum(np.abs(ga) - gs * l1, 0) / denom
    else:
        var[...] = lr * ga * neg / denom


def _sparse_adagrad_da(var: np.ndarray, ga: np.ndarray, gga: np.ndarray, grad: np.ndarray,
                       lr: Any, l1: Any, l2: Any, global_step: Any) -> None:
    # TF's SparseApplyAdagradDA has two arithmetics of its own: rows of more than one
    # element divide by the step in T; single elements are computed in double (with a
    # float sqrt of a float accumulator) and stored back as T.
    dt = var.dtype
    if int(np.prod(var.shape[1:])) > 1:
        gs = np.asarray(global_step, dt)
        gs_lr = gs * lr
        ga += grad
        gga += np.square(grad)
        neg = np.asarray(-1, dt)
        denom = l2 + np.sqrt(gga) / gs_lr
        if l1 > 0:
            var[...] = neg * np.sign(ga) * np.maximum(np.abs(ga) / gs - l1, 0) / denom
        else:
            var[...] = neg * (ga / gs) / denom
        return
    f64 = np.float64
    lr_d, l1_d, l2_d = f64(lr), f64(l1), f64(l2)
    gs_i = int(global_step)
    gs_l1 = f64(gs_i) * l1_d
    gs_l2_lr = f64(gs_i) * l2_d * lr_d
    g = grad.astype(f64)
    ga[...] = (ga.astype(f64) + g).astype(dt)
    gga[...] = (gga.astype(f64) + g * g).astype(dt)
    root = np.sqrt(gga).astype(f64)  # std::sqrt of a T
    if l1_d > 0:
        out = np.sign(-ga).astype(f64) * lr_d * np.maximum(np.abs(ga).astype(f64) - gs_l1,
                                                           0.0) / (gs_l2_lr + root)
    else:
        out = (-ga).astype(f64) * lr_d / (gs_l2_lr + root)
    var[...] = out.astype(dt)


# rule name -> _Rule; the op types are "ResourceApply" + name and "Apply" + name.
RULES: dict[str, _Rule] = {
    "GradientDescent": _Rule((), ("alpha",), 1, _gradient_descent),
    "Momentum": _Rule(("accum",), ("lr", "momentum"), 1, _momentum, ("use_nesterov",)),
    "Adam": _Rule(("m", "v"), ("beta1_power", "beta2_power", "lr", "beta1", "beta2",
                               "epsilon"), 6, _adam, ("use_nesterov",)),
    "RMSProp": _Rule(("ms", "mom"), ("lr", "rho", "momentum", "epsilon"), 4, _rmsprop),
    "CenteredRMSProp": _Rule(("mg", "ms", "mom"), ("lr", "rho", "momentum", "epsilon"), 4,
                             _centered_rmsprop),
    "Adagrad": _Rule(("accum",), ("lr",), 1, _adagrad, ("update_slots",)),
    "Adadelta": _Rule(("accum", "accum_update"), ("lr", "rho", "epsilon"), 3, _adadelta),
    "KerasMomentum": _Rule(("accum",), ("lr", "momentum"), 1, _keras_momentum,
                           ("use_nesterov",), ref=False),
    "AdagradV2": _Rule(("accum",), ("lr", "epsilon"), 2, _adagrad_v2, ("update_slots",)),
    "AdaMax": _Rule(("m", "v"), ("beta1_power", "lr", "beta1", "beta2", "epsilon"), 5,
                    _ada_max),
    "AdamWithAmsgrad": _Rule(("m", "v", "vhat"), ("beta1_power", "beta2_power", "lr", "beta1",
                                                  "beta2", "epsilon"), 6, _adam_with_amsgrad,
                             ref=False),
    "ProximalGradientDescent": _Rule((), ("alpha", "l1", "l2"), 3,
                                     _proximal_gradient_descent),
    "ProximalAdagrad": _Rule(("accum",), ("lr", "l1", "l2"), 3, _proximal_adagrad),
    "Ftrl": _Rule(("accum", "linear"), ("lr", "l1", "l2", "lr_power"), 0, _ftrl,
                  ("multiply_linear_by_lr",)),
    "FtrlV2": _Rule(("accum", "linear"), ("lr", "l1", "l2", "l2_shrinkage", "lr_power"), 0,
                    _ftrl_v2, ("multiply_linear_by_lr",)),
    "AdagradDA": _Rule(("accum", "accum"), ("lr", "l1", "l2", "global_step"), 0,
                       _adagrad_da, int64_scalars=("global_step",),
                       sparse_body=_sparse_adagrad_da,
                       labels={"l1": "l1 regularization strength",
                               "l2": "l2 regularization strength"}),
}
# The rules with a sparse form, SparseApply<X> / ResourceSparseApply<X>: the same inputs with
# ``indices`` after ``grad``, updating only those rows (GradientDescent and Adam have none:
# their optimizers scatter instead).
SPARSE_RULES = ("Momentum", "RMSProp", "CenteredRMSProp", "Adagrad", "Adadelta",
                "ProximalGradientDescent", "ProximalAdagrad", "Ftrl", "FtrlV2", "AdagradDA")
_INDEX_TYPES = ("int32", "int64")
_FLOATS = frozenset({"float16", "bfloat16", "float32", "float64", "complex64", "complex128"})


def apply_update(rule_name: str, var: Any, slots: Sequence[Any], scalars: Sequence[Any],
                 grad: Any, name: str | None = None, use_locking: bool = False,
                 indices: Any = None, **flags: bool) -> Operation | Tensor:
    """The update op of ``var`` (a varstore Variable) and its ``slots`` by ``rule_name``:
    ResourceApply<X> for resource variables (no output), Apply<X> for ref variables (the
    updated variable, as TF's ``out`` ref). With ``indices``, the sparse form
    (Resource)SparseApply<X>: ``grad`` holds the rows ``indices`` of the variable."""
    rule = RULES[rule_name]
    graph = var.graph
    ref = var._is_ref
    if ref and not rule.ref:
        # TF's Keras optimizers pass ``var.handle``, which a ref variable lacks
        raise AttributeError("'RefVariable' object has no attribute 'handle'")
    sparse = indices is not None
    op_type = ("" if ref else "Resource") + ("Sparse" if sparse else "") + "Apply" + rule_name
    full = graph._op_name(name, op_type)
    dt = var.dtype
    with scope_of(graph, full):
        g = convert_to_tensor(grad, dtype=dt, name="grad")
        sc = [convert_to_tensor(s, dtype=_dtypes.int64 if n in rule.int64_scalars else dt,
                                name=n) for s, n in zip(scalars, rule.scalars)]
        idx = convert_to_tensor(indices, name="indices") if sparse else None
    vshape = var._shape_tuple()
    if idx is not None and idx._dtype.name not in _INDEX_TYPES:
        raise TypeError(f"Value passed to parameter 'indices' has DataType "
                        f"{idx._dtype.name} not in list of allowed values: int32, int64")
    rest: list[Tensor] = list(sc)
    rest.insert(rule.grad_at, g)
    attrs: dict[str, Any] = {"T": dt, "use_locking": bool(use_locking)}
    if idx is not None:
        rest.insert(rule.grad_at + 1, idx)
        attrs["Tindices"] = idx._dtype
    for a in rule.attrs:
        attrs[a] = bool(flags.get(a, a == "update_slots"))
    firsts = ([var._ref_tensor()] + [s._ref_tensor() for s in slots] if ref
              else [var._handle] + [s._handle for s in slots])
    _check_shapes(full, op_type, attrs, firsts + rest, vshape, g, idx, sc)
    if ref:
        op = make_op(graph, full, op_type, firsts + rest, attrs, [(dt, vshape)])
        return op._outputs[0]
    return make_op(graph, full, op_type, firsts + rest, attrs, [])


def _check_shapes(full: str, op_type: str, attrs: dict[str, Any], inputs: list[Tensor],
                  vshape: tuple[int | None, ...] | None, g: Tensor, idx: Tensor | None,
                  scalars: Sequence[Tensor]) -> None:
    """TF's Apply* shape functions: the grad merges with the variable (its rows with the
    first dimension free when sparse), indices are a vector, the hyperparameters scalars;
    the failure worded as TF's shape inference (node, attrs, inputs and their shapes)."""
    text = ", ".join(f"{k}={_attr_text(attrs[k])}" for k in sorted(attrs))
    bad = None
    gshape = g._shape
    if idx is not None:
        if idx._shape is not None and len(idx._shape) != 1:
            bad = f"Shape must be rank 1 but is rank {len(idx._shape)}"
        elif gshape is not None and gshape:
            gshape = (None, *gshape[1:])
    if bad is None:
        bad = merge_error(vshape, gshape)
    if bad is None:
        for s in scalars:
            if s._shape is not None and len(s._shape) != 0:
                bad = f"Shape must be rank 0 but is rank {len(s._shape)}"
                break
    if bad is not None:
        raise node_error(bad, full, op_type, text, inputs)


def _attr_text(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return _ops.dt_enum(v)


def _check_float(op: Operation) -> None:
    dt = op._attrs["T"]
    if dt.name not in _FLOATS:
        raise TypeError(f"Value passed to parameter 'var' has DataType {dt.name} not in list "
                        "of allowed values: float32, float64, float16, bfloat16, complex64, "
                        "complex128")


def _factory(rule: _Rule, op_type: str, ref: bool, sparse: bool = False
             ) -> Callable[..., Any]:
    n_vars = 1 + len(rule.slots)

    def factory(op: Operation, ctx: RunContext) -> Callable[..., Any]:
        _check_float(op)
        read = state_ops.reader(ctx)
        flags = {a: op._attrs[a] for a in rule.attrs}
        body = rule.sparse_body if sparse and rule.sparse_body is not None else rule.body
        np_dtype = op._attrs["T"]._np
        # the dtype of each non-grad input in order (int64 ones stay int64)
        kinds = [np.int64 if n in rule.int64_scalars else np_dtype for n in rule.scalars]
        kinds.insert(rule.grad_at, np_dtype)
        if ref:
            vids = [state_ops._ref_vid(t) for t in op._inputs[:n_vars]]
        names = ("var", *rule.slots)

        def kernel(*args: Any) -> Any:
            ids = vids if ref else list(args[:n_vars])
            rest = args[n_vars:]
            values = [read(vid) for vid in ids]  # the initialisation check, as TF's LookUp
            grad = np.asarray(rest[rule.grad_at])
            shape = values[0].shape
            for nm, val in zip(names, values):
                if val.shape != shape:
                    raise InvalidArgumentError(
                        None, op, f"var and {nm} do not have the same shape"
                        f"{shape_str(shape)} {shape_str(val.shape)}")
            if sparse:
                rows = _check_rows(op, shape, grad, np.asarray(rest[rule.grad_at + 1]))
                rest = rest[:rule.grad_at + 1] + rest[rule.grad_at + 2:]
                scal = [np.asarray(s, dtype=k) for s, k in zip(rest, kinds)]
                scal[rule.grad_at] = grad.astype(np_dtype, copy=False)
                del values
                _update_rows(ctx, ids, body, scal, flags, rows, rule.grad_at)
                if ref:
                    with ctx._var_lock:
                        return ctx._var_values[ids[0]]
                return None
            if grad.shape != shape:
                raise InvalidArgumentError(
                    None, op, f"var and grad do not have the same shape{shape_str(shape)} "
                    f"{shape_str(grad.shape)}")
            scal = [np.asarray(s, dtype=k) for s, k in zip(rest, kinds)]
            for s, nm in zip((s for i, s in enumerate(scal) if i != rule.grad_at),
                             rule.scalars):
                if s.ndim != 0:
                    raise InvalidArgumentError(
                        None, op, f"{rule.labels.get(nm, nm)} is not a scalar: "
                        f"{shape_str(s.shape)}")
            scal[rule.grad_at] = grad.astype(np_dtype, copy=False)
            del values  # our references would make every update a copy
            _update_all(ctx, ids, body, scal, flags)
            if ref:
                with ctx._var_lock:
                    return ctx._var_values[ids[0]]
            return None

        return kernel

    factory.__name__ = f"_{op_type}_kernel"
    return factory


def _update_all(space: Any, ids: Sequence[int], body: _Body, rest: Sequence[Any],
                flags: dict[str, bool]) -> None:
    """Runs ``body`` on writable arrays of every variable under the graph's lock: each is
    updated in place when nobody else holds it, else its new value goes into a copy
    (copy-on-write, as state_ops.update)."""
    with space._var_lock:
        values = space._var_values
        arrays = []
        for vid in ids:
            cur = values[vid]
            if state_ops._getrefcount(cur) <= state_ops._EXCLUSIVE and state_ops._thaw(cur):
                arrays.append(cur)
            else:
                arrays.append(np.array(cur, copy=True))
        try:
            body(*arrays, *rest, **flags)
        finally:
            for vid, arr in zip(ids, arrays):
                arr.flags.writeable = False
                values[vid] = arr


def _check_rows(op: Operation, shape: tuple[int, ...], grad: np.ndarray,
                indices: np.ndarray) -> np.ndarray:
    """TF's SparseApply* checks: one index per row of ``grad``, each a row of the variable."""
    if indices.ndim != 1:
        raise InvalidArgumentError(None, op, "indices must be one-dimensional")
    if len(shape) == 0:
        raise InvalidArgumentError(None, op, "var must be at least 1 dimensional")
    if grad.ndim != len(shape) or grad.shape[1:] != shape[1:]:
        for d in range(1, min(grad.ndim, len(shape))):
            if grad.shape[d] != shape[d]:
                raise InvalidArgumentError(None, op,
                                           f"var and grad must match in dimension {d}")
        raise InvalidArgumentError(None, op, "var and grad must match in dimension "
                                   f"{min(grad.ndim, len(shape))}")
    if grad.shape[0] != indices.shape[0]:
        raise InvalidArgumentError(None, op, "grad must be the same size as indices in the "
                                   "first dimension.")
    bad = np.flatnonzero((indices < 0) | (indices >= shape[0]))
    if bad.size:
        i = int(bad[0])
        raise InvalidArgumentError(None, op, f"Index {int(indices[i])} at offset {i} in "
                                   "indices is out of range")
    return indices.astype(np.int64, copy=False)


def _update_rows(space: Any, ids: Sequence[int], body: _Body, rest: Sequence[Any],
                 flags: dict[str, bool], rows: np.ndarray, g_at: int) -> None:
    """The sparse update: ``body`` on the rows ``rows`` of every variable. TF's kernels walk
    the indices in order, so a repeated index is updated once per occurrence; unique
    indices (what the optimizers pass, deduplicated) go in one vectorised step."""
    grad = rest[g_at]

    def sparse_body(*arrays: np.ndarray, **kw: bool) -> None:
        groups = [rows] if np.unique(rows).size == rows.size else [rows[i:i + 1] for i in
                                                                   range(rows.size)]
        start = 0
        for sel in groups:
            parts = [a[sel] for a in arrays]
            args = list(rest)
            args[g_at] = grad[start:start + sel.size]
            body(*parts, *args, **kw)
            for a, part in zip(arrays, parts):
                a[sel] = part
            start += sel.size

    _update_all(space, ids, sparse_body, (), flags)


for _name, _rule in RULES.items():
    for _ref in (False, True) if _rule.ref else (False,):
        for _sparse in (False, True) if _name in SPARSE_RULES else (False,):
            _t = ("" if _ref else "Resource") + ("Sparse" if _sparse else "") + "Apply" + _name
            register_kernel(_t, stateful=True,
                            ref_inputs=tuple(range(1 + len(_rule.slots))) if _ref else ())(
                _factory(_rule, _t, _ref, _sparse))
            _ops.NotDifferentiable(_t)


