"""Reads of a resource variable by rows: ``ResourceGather`` (what ``tf.gather`` and
``tf.nn.embedding_lookup`` of a resource variable build, through ``Variable.sparse_read``)
and ``VariableShape``, with TF's gradient: an IndexedSlices of the variable's shape, so
that an optimizer updates the gathered rows only. And ``tf.count_up_to``
(``ResourceCountUpTo`` / TF1's ``CountUpTo``), the epoch counter of queue input pipelines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import OutOfRangeError
from varstore.framework.constant_op import convert_to_tensor, make_const
from varstore.framework.executor import RunContext
from varstore.framework.indexed_slices import IndexedSlices
from varstore.framework.op_def_library import check_allowed
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
)
from varstore.ops import state_ops

__all__ = ["count_up_to", "resource_gather", "variable_shape"]

_INDEX_TYPES = "int32, int64"


def resource_gather(var: Any, indices: Any, name: str | None = None) -> Tensor:
    """``var.sparse_read(indices)``: rows ``indices`` of a resource variable, op
    ``ResourceGather`` in the name scope ``Gather`` (TF's sparse_read)."""
    graph = var.graph
    with graph.name_scope("Gather" if name is None else name) as scope:
        i = convert_to_tensor(indices, dtype_hint=_dtypes.int32, name="indices")
        check_allowed(i._dtype, _INDEX_TYPES, "indices")
        vshape = var._shape_tuple()
        out = None if vshape is None or i._shape is None or not vshape \
            else tuple(i._shape) + tuple(vshape[1:])
        full = scope.removesuffix("/")
        op = make_op(graph, full, "ResourceGather", [var._handle, i],
                     {"batch_dims": 0, "validate_indices": True, "dtype": var.dtype,
                      "Tindices": i._dtype}, [(var.dtype, out)])
    return op._outputs[0]


@register_kernel("ResourceGather", stateful=True)
def _resource_gather_kernel(op: Operation, ctx: RunContext) -> Callable[..., np.ndarray]:
    read = state_ops.reader(ctx)

    def gather(vid: int, i: np.ndarray) -> np.ndarray:
        value = read(vid)
        n = value.shape[0] if value.ndim else 0
        bad = (i < 0) | (i >= n)
        if bad.any():
            k = int(np.flatnonzero(bad.reshape(-1))[0])
            # a ValueError: the executor reports it as InvalidArgumentError naming the node
            raise ValueError(f"indices[{k}] = {int(i.reshape(-1)[k])} is not in [0, {n})")
        return np.take(value, i, axis=0)

    return gather


def variable_shape(handle: Tensor, out_type: Any = _dtypes.int32) -> Tensor:
    """The shape of the variable behind ``handle``: a Const when it is fully known (TF's
    handle data), else a ``VariableShape`` op."""
    graph = handle._op._graph
    dt = _dtypes.as_dtype(out_type)
    shape = None
    if handle._op._type == "VarHandleOp":
        shape = graph._var_ops[handle._op._data].shape
    if shape is not None and None not in shape:
        return make_const(graph, graph._op_name(None, "Const"), np.array(shape, dt._np), dt)
    n = None if shape is None else len(shape)
    full = graph._op_name(None, "VariableShape")
    return make_op(graph, full, "VariableShape", [handle], {"out_type": dt},
                   [(dt, (n,))])._outputs[0]


@register_kernel("VariableShape", stateful=True)
def _variable_shape_kernel(op: Operation, ctx: RunContext) -> Callable[[int], np.ndarray]:
    read = state_ops.reader(ctx)
    np_dt = op._attrs["out_type"]._np
    return lambda vid: np.array(read(vid).shape, dtype=np_dt)


@RegisterGradient("ResourceGather")
def _resource_gather_grad(op: Operation, grad: Any) -> tuple[Any, None]:
    handle, indices = op._inputs
    params_shape = variable_shape(handle)
    size = builders.expand_dims(builders.size(indices), 0)
    values_shape = builders.concat([size, params_shape[1:]], 0)
    values = builders.reshape(grad, values_shape)
    flat = builders.reshape(indices, size)
    return IndexedSlices(values, flat, params_shape), None


NotDifferentiable("VariableShape")


def count_up_to(ref: Any, limit: int, name: str | None = None) -> Tensor:
    """``tf.count_up_to(ref, limit)``: adds 1 to the int32/int64 scalar variable ``ref`` and
    gives its value before; OutOfRangeError "Reached limit of <limit>" once it has reached
    ``limit``. A resource variable gets ``ResourceCountUpTo``, a ref variable ``CountUpTo``."""
    graph = ref.graph
    dt = ref.dtype
    check_allowed(dt, "int32, int64", "T")
    op_type = "CountUpTo" if ref._is_ref else "ResourceCountUpTo"
    full = graph._op_name(name, op_type)
    source = ref._ref_tensor() if ref._is_ref else ref._handle
    vshape = ref._shape_tuple()
    if vshape is not None and len(vshape) != 0:
        raise node_error(f"Shape must be rank 0 but is rank {len(vshape)}", full, op_type,
                         f"T={dt_enum(dt)}, limit={int(limit)}", [source])
    op = make_op(graph, full, op_type, [source], {"T": dt, "limit": int(limit)}, [(dt, ())])
    return op._outputs[0]


def _counter(op: Operation, ctx: RunContext) -> Callable[[int], np.ndarray]:
    read = state_ops.reader(ctx)
    graph = ctx.graph
    limit = op._attrs["limit"]

    def count(vid: int) -> np.ndarray:
        read(vid)  # the initialisation check

        def bump(cur: np.ndarray, out: np.ndarray | None) -> np.ndarray:
            before = np.array(cur, copy=True)
            if before >= limit:
                raise OutOfRangeError(None, None, f"Reached limit of {limit}")
            np.add(cur, 1, out=out)
            return before

        return state_ops.update(graph, vid, bump)  # type: ignore[no-any-return]

    return count


@register_kernel("ResourceCountUpTo", stateful=True)
def _resource_count_up_to_kernel(op: Operation, ctx: RunContext) -> Callable[[int], np.ndarray]:
    return _counter(op, ctx)


@register_kernel("CountUpTo", stateful=True, ref_inputs=(0,))
def _count_up_to_kernel(op: Operation, ctx: RunContext) -> Callable[[Any], np.ndarray]:
    vid = state_ops._ref_vid(op._inputs[0])
    count = _counter(op, ctx)
    return lambda _: count(vid)


NotDifferentiable("ResourceCountUpTo")
NotDifferentiable("CountUpTo")
builders.register(globals(), ["count_up_to"])
