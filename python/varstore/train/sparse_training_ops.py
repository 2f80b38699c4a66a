"""The sparse update ops (TF's ``ResourceSparseApply<X>`` and ``SparseApply<X>``): the rule
of training_ops.py applied to the rows ``indices`` of the variable and its slots, as TF's
optimizers update an embedding from the IndexedSlices gradient of a ResourceGather.

varstore's own optimizers apply dense gradients; these kernels run the graphs TF wrote
(``import_meta_graph``): the input order is the dense op's with ``indices`` after ``grad``.
TF's kernels walk the indices in order, so a repeated row is updated once per occurrence;
unique indices (what TF's optimizers pass, after deduplicating) are updated at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.errors import InvalidArgumentError
from varstore.framework import ops as _ops
from varstore.framework.executor import RunContext
from varstore.framework.ops import Operation, register_kernel
from varstore.framework.tensor_shape import shape_str
from varstore.ops import state_ops
from varstore.train.training_ops import RULES, _check_float, _Rule, _update_all

__all__: list[str] = []

# The rules TF has sparse kernels for (GradientDescent and Adam update through scatters).
_SPARSE = ("Adagrad", "Momentum", "RMSProp", "CenteredRMSProp", "ProximalAdagrad",
           "ProximalGradientDescent", "Adadelta", "Ftrl", "FtrlV2")


def _rows_body(rule: _Rule, indices: np.ndarray, n_vars: int) -> Callable[..., None]:
    """The dense body run on the selected rows of every variable (the gradient's rows line
    up with ``indices``)."""
    unique = len(np.unique(indices)) == len(indices)

    def body(*args: Any, **flags: bool) -> None:
        arrays, rest = args[:n_vars], list(args[n_vars:])
        grad = rest[rule.grad_at]
        if unique:
            rows = [a[indices] for a in arrays]
            rule.body(*rows, *rest, **flags)
            for a, r in zip(arrays, rows):
                a[indices] = r
            return
        for i, index in enumerate(indices.tolist()):
            rows = [a[index:index + 1] for a in arrays]
            rest[rule.grad_at] = grad[i:i + 1]
            rule.body(*rows, *rest, **flags)
            for a, r in zip(arrays, rows):
                a[index:index + 1] = r

    return body


def _factory(rule: _Rule, op_type: str, ref: bool) -> Callable[..., Any]:
    n_vars = 1 + len(rule.slots)
    at = rule.grad_at + 1  # where indices sit among the inputs after the variables

    def factory(op: Operation, ctx: RunContext) -> Callable[..., Any]:
        _check_float(op)
        graph = ctx.graph
        read = state_ops.reader(ctx)
        flags = {a: op._attrs[a] for a in rule.attrs}
        np_dtype = op._attrs["T"]._np
        vids = [state_ops._ref_vid(t) for t in op._inputs[:n_vars]] if ref else []

        def kernel(*args: Any) -> Any:
            ids = vids if ref else list(args[:n_vars])
            rest = list(args[n_vars:])
            indices = np.asarray(rest.pop(at))
            values = [read(vid) for vid in ids]
            grad = np.asarray(rest[rule.grad_at])
            shape = values[0].shape
            if indices.ndim != 1:
                raise InvalidArgumentError(None, op, "indices must be one-dimensional")
            if not shape:
                raise InvalidArgumentError(None, op, "var must be at least 1 dimensional")
            if grad.shape[1:] != shape[1:]:
                raise InvalidArgumentError(
                    None, op, f"var and grad must match in dimension 1: {shape_str(shape)} "
                    f"{shape_str(grad.shape)}")
            if grad.shape[:1] != indices.shape:
                raise InvalidArgumentError(None, op, "grad must be the same size as indices "
                                           "in the first dimension.")
            bad = np.flatnonzero((indices < 0) | (indices >= shape[0]))
            if bad.size:
                raise InvalidArgumentError(
                    None, op, f"Index {int(indices[bad[0]])} at offset {int(bad[0])} in "
                    f"indices is out of range")
            scal = [np.asarray(s, dtype=np_dtype) for s in rest]
            del values
            body = _rows_body(rule, indices.astype(np.int64), n_vars)
            _update_all(graph, ids, body, scal, flags)
            if ref:
                with graph._var_lock:
                    return graph._var_values[ids[0]]
            return None

        return kernel

    factory.__name__ = f"_{op_type}_kernel"
    return factory


for _name in _SPARSE:
    for _ref in (False, True):
        _t = ("SparseApply" if _ref else "ResourceSparseApply") + _name
        _rule = RULES[_name]
        register_kernel(_t, stateful=True,
                        ref_inputs=tuple(range(1 + len(_rule.slots))) if _ref else ())(
            _factory(_rule, _t, _ref))
        _ops.NotDifferentiable(_t)
