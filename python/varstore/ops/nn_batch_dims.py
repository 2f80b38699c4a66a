"""TF's nn_ops.squeeze_batch_dims: conv2d and conv1d take inputs with several leading batch
dims by folding them into one for the op (a Reshape before, a Reshape back after)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.ops import Tensor
from varstore.framework.tensor_shape import TensorShape
from varstore.ops.array_ops import reshape
from varstore.ops.array_ops import shape as _shape
from varstore.ops.array_stack_ops import concat

__all__: list[str] = []


def squeeze_batch_dims(inp: Any, op: Callable[[Tensor], Tensor], inner_rank: int,
                       name: str | None = None) -> Tensor:
    """``op`` of ``inp`` reshaped to [-1] + its inner ``inner_rank`` dims, reshaped back to
    the batch dims + the output's inner dims (static where known, as TF)."""
    with name_scope(name, "squeeze_batch_dims", [inp]):
        x = convert_to_tensor(inp, name="input")
        shape = TensorShape(x.shape)
        inner = shape[-inner_rank:]
        batch = shape[:-inner_rank]
        inner_v: Any = inner.as_list() if inner.is_fully_defined() else \
            _shape(x)[-inner_rank:]
        batch_v: Any = batch.as_list() if batch.is_fully_defined() else \
            _shape(x)[:-inner_rank]
        if isinstance(inner_v, list):
            flat = reshape(x, [-1, *inner_v])
        else:
            flat = reshape(x, concat(([-1], inner_v), axis=-1))
        out_flat = op(flat)
        out_inner_shape = TensorShape(out_flat.shape)[-inner_rank:]
        out_inner: Any = out_inner_shape.as_list() if out_inner_shape.is_fully_defined() \
            else _shape(out_flat)[-inner_rank:]
        out = reshape(out_flat, concat((batch_v, out_inner), axis=-1))
        out.set_shape(batch.concatenate(TensorShape(out.shape)[-inner_rank:]))
        return out


def rank_of(value: Any) -> int | None:
    """TF's ``getattr(input.shape, "ndims", len(shape))``: a Python list has no shape."""
    shape = getattr(value, "shape", None)
    if shape is None:
        return None
    ndims = getattr(shape, "ndims", -1)
    return len(shape) if ndims == -1 else ndims
