"""tf.split: ops Split (a count of equal parts) and SplitV (sizes, one of them -1 inferred),
with shape inference, kernels and gradients (a concat of the parts' gradients)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant_value, convert_index, convert_to_tensor
from varstore.framework.op_def_library import check_same_graph, first_input
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.framework.tensor_shape import undimension
from varstore.ops.array_slicing_ops import _int_list
from varstore.ops.array_stack_ops import concat

__all__ = ["split"]

Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32


def split(value: Any, num_or_size_splits: Any, axis: Any = 0, num: int | None = None,
          name: str = "split") -> list[Tensor]:
    """``tf.split``: op ``split`` (``Split`` for a count, ``SplitV`` for sizes)."""
    graph = check_same_graph(value, axis)
    full = graph._op_name(name, "split")
    num_or_size_splits = undimension(num_or_size_splits)  # x.shape[i] in TF1 code
    count: int | None = None
    sizes_t = None
    if isinstance(num_or_size_splits, (int, np.integer)) and not isinstance(
            num_or_size_splits, bool):
        count = int(num_or_size_splits)
    else:
        # TF's split converts the sizes before the op's scope (a list is "Const")
        sizes_t = convert_index(num_or_size_splits)
    with scope_of(graph, full):
        # the inputs in the OpDef's order: Split(split_dim, value), SplitV(value, ...,
        # split_dim): a variable's ReadVariableOp comes after split_dim for Split only
        if count is not None:
            a = convert_to_tensor(axis, dtype=_int32, name="split_dim")
            x = first_input(value, "value")
        else:
            x = first_input(value, "value")
            a = convert_to_tensor(axis, dtype=_int32, name="split_dim")
    av = constant_value(a)
    dims = x._shape
    ax = None if av is None or dims is None else int(av) % len(dims)
    if sizes_t is None:
        assert count is not None
        part: Dims = None
        if dims is not None and ax is not None:
            d = dims[ax]
            if d is not None and count and d % count:
                raise ValueError(f"Dimension size must be evenly divisible by {count} but is "
                                 f"{d} for '{{{{node {full}}}}} = Split'")
            part = (*dims[:ax], None if d is None else d // count, *dims[ax + 1:])
        op = make_op(graph, full, "Split", [a, x], {"T": x._dtype, "num_split": count},
                     [(x._dtype, part)] * count)
        return list(op._outputs)
    sv = _int_list(sizes_t)
    if sv is None:
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {sizes_t.shape}")
        sv_list: list[int | None] = [None] * num
    else:
        sv_list = list(sv)
        if dims is not None and ax is not None and dims[ax] is not None and -1 in sv_list:
            known = sum(v for v in sv_list if v != -1)  # type: ignore[misc]
            sv_list = [dims[ax] - known if v == -1 else v for v in sv_list]  # type: ignore[operator]
    outs: list[tuple[Any, Dims]] = []
    for v in sv_list:
        if dims is None or ax is None:
            outs.append((x._dtype, None if dims is None else (None,) * len(dims)))
        else:
            out_dims: tuple[int | None, ...] = (*dims[:ax], v, *dims[ax + 1:])
            outs.append((x._dtype, out_dims))
    op = make_op(graph, full, "SplitV", [x, sizes_t, a],
                 {"T": x._dtype, "Tlen": sizes_t._dtype, "num_split": len(sv_list)}, outs)
    return list(op._outputs)


@register_kernel("Split")
def _split_kernel(op: Operation) -> Callable[..., Any]:
    n = op._attrs["num_split"]
    return lambda a, x: tuple(np.split(x, n, axis=int(a)))


@register_kernel("SplitV")
def _split_v_kernel(op: Operation) -> Callable[..., Any]:
    def split_v(x: np.ndarray, sizes: np.ndarray, a: Any) -> tuple[np.ndarray, ...]:
        ax = int(a)
        s = sizes.tolist()
        if -1 in s:
            s[s.index(-1)] = x.shape[ax] - (sum(s) + 1)
        return tuple(np.split(x, np.cumsum(s)[:-1], axis=ax))

    return split_v


@RegisterGradient("Split")
def _split_grad(op: Operation, *grads: Any) -> list[Any]:
    gs = [g if g is not None else builders.zeros_like(t) for g, t in zip(grads, op._outputs)]
    return [None, concat(gs, op._inputs[0])]


@RegisterGradient("SplitV")
def _split_v_grad(op: Operation, *grads: Any) -> list[Any]:
    gs = [g if g is not None else builders.zeros_like(t) for g, t in zip(grads, op._outputs)]
    return [concat(gs, op._inputs[2]), None, None]


builders.register(globals(), __all__)
