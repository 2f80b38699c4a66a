"""Data-flow ops of TF's data_flow_ops family: ``tf.dynamic_partition`` (DynamicPartition)
and ``tf.dynamic_stitch`` (DynamicStitch, and ParallelDynamicStitch, which
embedding_lookup uses on partitioned params)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.op_def_library import check_same_graph, first_input
from varstore.framework.ops import (
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

__all__ = ["dynamic_partition", "dynamic_stitch", "parallel_dynamic_stitch"]

Dims = Any


def dynamic_partition(data: Any, partitions: Any, num_partitions: Any,
                      name: str | None = None) -> list[Tensor]:
    """``tf.dynamic_partition``: ``outputs[i] = data[partitions == i]`` (op
    DynamicPartition; each output's first dimension is unknown)."""
    graph = check_same_graph(data, partitions)
    full = graph._op_name(name, "DynamicPartition")
    if isinstance(num_partitions, float) and num_partitions.is_integer():
        num_partitions = int(num_partitions)  # (TF's int attributes take 2.0)
    if not isinstance(num_partitions, int) or isinstance(num_partitions, bool):
        raise TypeError(f"Expected int for argument 'num_partitions' not {num_partitions!r}.")
    if num_partitions < 1:
        raise ValueError(f"Attr 'num_partitions' of 'DynamicPartition' Op passed "
                         f"{num_partitions} less than minimum 1.")
    with scope_of(graph, full):
        x = first_input(data, "data")
        p = convert_to_tensor(partitions, dtype=_dtypes.int32, name="partitions")
    xd, pd = x._shape, p._shape
    out: Dims = None
    if xd is not None and pd is not None:
        for a, b in zip(xd, pd):
            if a is not None and b is not None and a != b:
                raise node_error(f"Dimensions must be equal, but are {a} and {b}", full,
                                 "DynamicPartition",
                                 f"T={dt_enum(x._dtype)}, num_partitions={num_partitions}",
                                 [x, p])
        out = None if len(pd) > len(xd) else (None, *xd[len(pd):])
    op = make_op(graph, full, "DynamicPartition", [x, p],
                 {"T": x._dtype, "num_partitions": num_partitions},
                 [(x._dtype, out)] * num_partitions)
    return list(op._outputs)


@register_kernel("DynamicPartition")
def _dynamic_partition_kernel(op: Operation) -> Callable[..., Any]:
    n = op._attrs["num_partitions"]

    def kernel(x: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, ...]:
        if p.size and (p.min() < 0 or p.max() >= n):
            flat = p.reshape(-1)
            at = int(np.flatnonzero((flat < 0) | (flat >= n))[0])
            where = ",".join(str(int(i)) for i in np.unravel_index(at, p.shape))
            raise ValueError(f"partitions[{where}] = {int(flat[at])} is not in [0, {n})")
        flat_x = x.reshape((p.size, *x.shape[p.ndim:]))
        flat_p = p.reshape(-1)
        return tuple(np.ascontiguousarray(flat_x[flat_p == i]) for i in range(n))

    return kernel


def _stitch(op_type: str, py_name: str, indices: Any, data: Any,
            name: str | None) -> Tensor:
    if not isinstance(indices, (list, tuple)) or not isinstance(data, (list, tuple)):
        raise TypeError(f"Expected list for 'indices' and 'data' of '{op_type}' Op.")
    if len(indices) != len(data):
        raise ValueError(f"List argument 'data' to '{py_name}' Op with length "
                         f"{len(data)} "
                         f"must match length {len(indices)} of argument 'indices'.")
    graph = check_same_graph(*indices, *data)
    full = graph._op_name(name, op_type)
    with scope_of(graph, full):
        idx = [convert_to_tensor(t, dtype=_dtypes.int32, name=f"indices_{k}")
               for k, t in enumerate(indices)]
        vals = [first_input(t, f"data_{k}") for k, t in enumerate(data)]
    dtype = vals[0]._dtype
    if any(v._dtype is not dtype for v in vals):
        raise TypeError(f"Tensors in list passed to 'data' of '{op_type}' Op have types "
                        f"[{', '.join(v._dtype.name for v in vals)}] that don't all match.")
    elem: Dims = None
    for i, v in zip(idx, vals):
        if i._shape is not None and v._shape is not None:
            for a, b in zip(v._shape, i._shape):
                if a is not None and b is not None and a != b:
                    raise node_error(f"Dimensions must be equal, but are {a} and {b}", full,
                                     op_type, f"N={len(idx)}, T={dt_enum(dtype)}", [*idx, *vals])
            if elem is None:
                elem = v._shape[len(i._shape):]
    # (TF's shape function: with every index a constant, the length is the largest + 1.)
    known = [constant_value(i) for i in idx]
    size = None
    if all(k is not None for k in known):
        arrays = [np.asarray(k) for k in known]
        size = max((int(a.max()) + 1 for a in arrays if a.size), default=0)
    out = None if elem is None else (size, *elem)
    op = make_op(graph, full, op_type, [*idx, *vals], {"T": dtype, "N": len(idx)},
                 [(dtype, out)])
    return op._outputs[0]


def dynamic_stitch(indices: Any, data: Any, name: str | None = None) -> Tensor:
    """``tf.dynamic_stitch``: ``merged[indices[m][i]] = data[m][i]`` (op DynamicStitch;
    later entries win on repeated indices)."""
    return _stitch("DynamicStitch", "dynamic_stitch", indices, data, name)


def parallel_dynamic_stitch(indices: Any, data: Any, name: str | None = None) -> Tensor:
    """Op ParallelDynamicStitch (what TF's embedding_lookup stitches its parts with)."""
    return _stitch("ParallelDynamicStitch", "parallel_dynamic_stitch", indices, data, name)


def _stitch_kernel(op: Operation) -> Callable[..., Any]:
    n = op._attrs["N"]

    def kernel(*arrays: np.ndarray) -> np.ndarray:
        idx, vals = arrays[:n], arrays[n:]
        first = next((k for k in range(n) if idx[k].size), 0)
        elem = vals[first].shape[idx[first].ndim:]
        size = max((int(i.max()) + 1 for i in idx if i.size), default=0)
        out = np.zeros((size, *elem), dtype=vals[0].dtype)
        for i, v in zip(idx, vals):
            if i.size and i.min() < 0:
                raise ValueError(f"indices[{int(i.min())}] is out of range")
            out[i.reshape(-1)] = v.reshape((i.size, *elem))
        return out

    return kernel


register_kernel("DynamicStitch")(_stitch_kernel)
register_kernel("ParallelDynamicStitch")(_stitch_kernel)


def _stitch_grad(op: Operation, grad: Any) -> list[Any]:
    # Each data input gets the rows of the gradient at its indices (TF's _DynamicStitchGrads;
    # a repeated index sends its gradient to every entry that wrote it).
    n = op._attrs["N"]
    idx = op._inputs[:n]
    return [None] * n + [builders.gather(grad, i) for i in idx]


RegisterGradient("DynamicStitch")(_stitch_grad)
RegisterGradient("ParallelDynamicStitch")(_stitch_grad)


@RegisterGradient("DynamicPartition")
def _dynamic_partition_grad(op: Operation, *grads: Any) -> list[Any]:
    # TF's _DynamicPartitionGrads: stitch the gradients back at the positions each element
    # came from.
    data, partitions = op._inputs
    prefix = builders.shape(partitions)
    original = builders.reshape(builders.range(builders.reduce_prod(prefix)), prefix)
    where = dynamic_partition(original, partitions, op._attrs["num_partitions"])
    stitched = parallel_dynamic_stitch(where, list(grads))
    return [builders.reshape(stitched, builders.shape(data)), None]

builders.register(globals(), __all__)
