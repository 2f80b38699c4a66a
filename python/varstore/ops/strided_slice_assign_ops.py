"""Sliced assignment to a variable, ``v[1:3].assign(x)`` (TF's _SliceHelperVar): a slice of
a variable is the StridedSlice tensor with an ``assign`` method that writes the same slice
(op ``StridedSliceAssign`` on a ref variable, ``ResourceStridedSliceAssign`` on a resource
variable, with the slice's own begin/end/strides inputs and masks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.executor import RunContext
from varstore.framework.op_def_library import typed_input
from varstore.framework.ops import (
    SLICE_ASSIGN,
    NotDifferentiable,
    Operation,
    Tensor,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.ops import state_ops as _state
from varstore.ops.array_slicing_ops import _numpy_key

__all__ = ["sliced_variable"]

_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def sliced_variable(var: Any, t: Tensor) -> Tensor:
    """``t`` (``var``'s slice) made able to ``t.assign(value, name=None)`` into that slice
    of ``var`` (TF's _SliceHelperVar)."""
    if t._op._type != "StridedSlice":
        return t
    op = t._op
    _, b, e, s = op._inputs
    masks = {m: op._attrs[m] for m in _MASKS}

    def assign(value: Any, name: str | None = None) -> Any:
        if name is None:  # TF: the slice's name scope + "_assign" (strided_slice/_assign)
            name = op._name + "/_assign"
        return _slice_assign(var, b, e, s, value, masks, name)

    SLICE_ASSIGN[t] = assign
    return t


def _slice_assign(var: Any, b: Tensor, e: Tensor, s: Tensor, value: Any,
                  masks: dict[str, int], name: str | None) -> Any:
    graph = var.graph
    dt = var.dtype
    attrs: dict[str, Any] = {"T": dt, "Index": b._dtype, **masks}
    if var._is_ref:
        full = graph._op_name(name, "StridedSliceAssign")
        with scope_of(graph, full):
            v = typed_input(value, dt, "StridedSliceAssign", "value", "ref")
        return make_op(graph, full, "StridedSliceAssign", [var._ref_tensor(), b, e, s, v],
                       attrs, [(dt, var._shape_tuple())])._outputs[0]
    v = convert_to_tensor(value, dtype=dt)  # ResourceVariable converts first ("Const")
    full = graph._op_name(name, "ResourceStridedSliceAssign")
    op = make_op(graph, full, "ResourceStridedSliceAssign", [var._handle, b, e, s, v], attrs,
                 [])
    # varstore.variables imports the op families: imported here to keep the import acyclic
    from varstore._variable_unread import _UnreadVariable

    return _UnreadVariable._of(var, op)


def _kernel(ref: bool) -> Callable[[Operation, RunContext], Callable[..., Any]]:
    def factory(op: Operation, ctx: RunContext) -> Callable[..., Any]:
        read = _state.reader(ctx)
        ref_vid = _state._ref_vid(op._inputs[0]) if ref else None
        attrs = op._attrs

        def run(handle: Any, b: np.ndarray, e: np.ndarray, s: np.ndarray,
                value: np.ndarray) -> Any:
            vid = ref_vid if ref_vid is not None else int(handle)
            _state.require_initialized(read, vid, op, ref)  # first, as TF

            def fn(cur: np.ndarray, out: np.ndarray | None) -> None:
                assert out is not None
                if out is not cur:
                    np.copyto(out, cur)
                out[_numpy_key(b, e, s, attrs, out.ndim)] = value

            _state.update(ctx, vid, fn)
            if not ref:
                return None
            with ctx._var_lock:
                return ctx._var_values[vid]

        return run

    return factory


register_kernel("StridedSliceAssign", stateful=True, ref_inputs=(0,))(_kernel(True))
register_kernel("ResourceStridedSliceAssign", stateful=True)(_kernel(False))
NotDifferentiable("StridedSliceAssign")
NotDifferentiable("ResourceStridedSliceAssign")
