"""Zero states of RNN cells (TF's rnn_cell_impl._concat and zero_state_tensors): the
dynamic ``[batch, *size]`` shape of a state or output, and the zero tensors of a
``state_size`` structure, built with the same ops TF builds."""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant, constant_value
from varstore.framework.ops import Tensor
from varstore.framework.tensor_shape import TensorShape
from varstore.ops.array_fill_ops import zeros
from varstore.ops.array_ops import expand_dims
from varstore.ops.array_stack_ops import concat
from varstore.util.nest import is_nested, map_structure

__all__ = ["concat_shape", "zero_state_tensors"]


def concat_shape(prefix: Any, suffix: Any) -> tuple[Tensor, list[int | None]]:
    """TF's rnn_cell_impl._concat: the dynamic [batch, *state] shape and its static value;
    the Const ops are made in TF's order (the static pass builds unused constants too)."""
    def part(v: Any) -> tuple[Tensor, list[int | None]]:
        if isinstance(v, Tensor):
            static = constant_value(v)
            t = expand_dims(v, 0) if v._shape == () else v
            vals: list[int | None] = [None] if static is None \
                else [int(s) for s in static.reshape(-1)]
            return t, vals
        if isinstance(v, TensorShape):
            v = v.as_list()
        dims: list[int | None] = [int(v)] if not is_nested(v) else [int(d) for d in v]
        return constant(dims, dtype=_dtypes.int32), dims

    p, p_static = part(prefix)
    s, s_static = part(suffix)
    shape_t = concat((p, s), 0)
    return shape_t, p_static + s_static


def zero_state_tensors(state_size: Any, batch_size: Any, dtype: Any) -> Any:
    def one(s: Any) -> Tensor:
        c, static = concat_shape(batch_size, s)
        z = zeros(c, dtype=dtype)
        for v in (batch_size, s):  # TF's static _concat pass: its ops, unused
            if isinstance(v, Tensor):
                if v._shape == ():
                    expand_dims(v, 0)
            else:
                dims = TensorShape(v)
                if dims.is_fully_defined():
                    constant(dims.as_list(), dtype=_dtypes.int32)
        z.set_shape(static)
        return z

    return map_structure(one, state_size)
