"""tf.split: ops Split (a count of equal parts) and SplitV (sizes, one of them -1 inferred),
with shape inference, kernels and gradients (a concat of the parts' gradients)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant_value, convert_index, convert_to_tensor
from varstore.framework.op_def_library import check_same_graph, first_input
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.framework.tensor_shape import undimension
from varstore.ops.array_ops import attr_text
from varstore.ops.array_slicing_ops import _int_list
from varstore.ops.array_stack_ops import concat

__all__ = ["split"]

Dims = tuple[int | None, ...] | None
_int32 = _dtypes.int32


def split(value: Any, num_or_size_splits: Any, axis: Any = 0, num: int | None = None,
          name: str = "split") -> list[Tensor]:
    """``tf.split``: op ``split`` (``Split`` for a count, ``SplitV`` for sizes)."""
    graph = check_same_graph(value, axis)
    num_or_size_splits = undimension(num_or_size_splits)  # x.shape[i] in TF1 code
    count: int | None = None
    sizes_t = None
    if isinstance(num_or_size_splits, (int, np.integer)) and not isinstance(
            num_or_size_splits, bool):
        count = int(num_or_size_splits)
    else:
        # TF's split converts the sizes before the op's scope (a list is "Const")
        sizes_t = convert_index(num_or_size_splits, allowed=("int8", "int32", "int64"))
        if sizes_t._shape is not None and not sizes_t._shape:
            raise ValueError("Rank-0 tensors are not supported as the num_or_size_splits "
                             f"argument to split. Argument provided: {num_or_size_splits}")
        if num is None:
            num = sizes_t._shape[0] if sizes_t._shape else None
            if num is None:
                raise ValueError("Cannot infer argument `num` from shape "
                                 f"{num_or_size_splits}")
    full = graph._op_name(name, "split")  # (TF's checks above come before the op's scope)
    with scope_of(graph, full):
        # the inputs in the OpDef's order: Split(split_dim, value), SplitV(value, ...,
        # split_dim): a variable's ReadVariableOp comes after split_dim for Split only
        if count is not None:
            a = convert_to_tensor(axis, dtype=_int32, name="split_dim")
            x = first_input(value, "value")
        else:
            x = first_input(value, "value")
            a = convert_to_tensor(axis, dtype=_int32, name="split_dim")
    if sizes_t is None:
        assert count is not None
        attrs = {"T": x._dtype, "num_split": count}
        part = _split_shape(full, x, a, count, attrs)
        op = make_op(graph, full, "Split", [a, x], attrs, [(x._dtype, part)] * count)
        return list(op._outputs)
    assert num is not None
    attrs = {"T": x._dtype, "Tlen": sizes_t._dtype, "num_split": num}
    outs = _split_v_shapes(full, x, sizes_t, a, num, attrs)
    op = make_op(graph, full, "SplitV", [x, sizes_t, a], attrs, [(x._dtype, d) for d in outs])
    return list(op._outputs)


def _split_dim(full: str, op_type: str, x: Tensor, a: Tensor, inputs: list[Tensor],
               attrs: dict[str, Any]) -> int | None:
    """TF's MakeDimForScalarInputWithNegativeIndexing: the split axis, in range."""
    av = constant_value(a)
    if av is None or x._shape is None:
        return None
    r, v = len(x._shape), int(av)
    if r == 0 and op_type == "SplitV":
        return 0  # (TF's SplitV then refuses the scalar: "Can't split scalars")
    if not -r <= v < r:
        at = inputs.index(a)
        raise node_error(f"Dimension size, given by scalar input {v} must be in range "
                         f"[-{r}, {r})", full, op_type, attr_text(attrs), inputs,
                         f" and with computed input tensors: input[{at}] = <{v}>")
    return v % r


def _split_shape(full: str, x: Tensor, a: Tensor, count: int, attrs: dict[str, Any]) -> Dims:
    ax = _split_dim(full, "Split", x, a, [a, x], attrs)
    dims = x._shape
    if dims is None or ax is None:
        return None if dims is None else (None,) * len(dims)
    d = dims[ax]
    if d is not None and count and d % count:
        raise node_error(f"Dimension size must be evenly divisible by {count} but is {d}\n\t"
                         "Number of ways to split should evenly divide the split dimension",
                         full, "Split", attr_text(attrs), [a, x],
                         f" and with computed input tensors: input[0] = <{int(ax)}>")
    return (*dims[:ax], None if d is None else d // count, *dims[ax + 1:])


def _split_v_shapes(full: str, x: Tensor, sizes_t: Tensor, a: Tensor, num: int,
                    attrs: dict[str, Any]) -> list[Dims]:
    """TF's SplitV shape function."""
    inputs = [x, sizes_t, a]
    text = attr_text(attrs)
    ax = _split_dim(full, "SplitV", x, a, inputs, attrs)
    dims = x._shape
    if dims is None:
        return [None] * num
    if not dims:
        raise node_error("Can't split scalars", full, "SplitV", text, inputs)
    sv = _int_list(sizes_t)
    if ax is None:
        return [(None,) * len(dims)] * num
    if sv is None:
        return [(*dims[:ax], None, *dims[ax + 1:])] * num
    av = constant_value(a)
    computed = (f" and with computed input tensors: input[1] = <{' '.join(map(str, sv))}>, "
                f"input[2] = <{int(av) if av is not None else ax}>")
    if len(sv) != num:
        raise node_error("Length of size_splits should be equal to num_outputs", full,
                         "SplitV", text, inputs, computed)
    if sv.count(-1) > 1:
        raise node_error("size_splits can only have one -1", full, "SplitV", text, inputs,
                         computed)
    total = sum(v for v in sv if v != -1)
    d = dims[ax]
    outs: list[Dims] = []
    for i, v in enumerate(sv):
        size = d - total if v == -1 and d is not None else v
        if size < -1 or (size == -1 and d is not None):
            raise node_error(f"Split size at index {i} must be >= 0. Got: {size}", full,
                             "SplitV", text, inputs, computed)
        outs.append((*dims[:ax], None if size == -1 else size, *dims[ax + 1:]))
    if d is not None and (total > d if -1 in sv else total != d):
        raise node_error(f"can't split axis of size {d} into pieces of size "
                         f"[{','.join(map(str, sv))}]", full, "SplitV", text, inputs, computed)
    return outs


def _kernel_axis(x: np.ndarray, a: Any) -> int:
    a = np.asarray(a)
    if a.size != 1:
        raise InvalidArgumentError(None, None, "split_dim_tensor must have exactly one "
                                   "element.")
    v = int(a.reshape(-1)[0])
    ax = v + x.ndim if v < 0 else v
    if not 0 <= ax < x.ndim:
        raise InvalidArgumentError(None, None, f"-input rank(-{x.ndim}) <= split_dim < input "
                                   f"rank ({x.ndim}), but got {v}")
    return ax


@register_kernel("Split")
def _split_kernel(op: Operation) -> Callable[..., Any]:
    n = op._attrs["num_split"]

    def split_(a: Any, x: np.ndarray) -> Any:
        ax = _kernel_axis(x, a)
        if x.shape[ax] % n:
            raise InvalidArgumentError(None, None, "Number of ways to split should evenly "
                                       f"divide the split dimension, but got split_dim {ax} "
                                       f"(size = {x.shape[ax]}) and num_split {n}")
        parts = tuple(np.split(x, n, axis=ax))
        return parts if n != 1 else parts[0]  # (a one-output op's kernel gives the array)

    return split_


@register_kernel("SplitV")
def _split_v_kernel(op: Operation) -> Callable[..., Any]:
    def split_v(x: np.ndarray, sizes: np.ndarray, a: Any) -> Any:
        ax = _kernel_axis(x, a)
        s = [int(v) for v in np.reshape(sizes, -1).tolist()]
        if s.count(-1) > 1:
            raise InvalidArgumentError(None, None, "There can only be one -1 in the input.")
        for i, v in enumerate(s):
            if v < -1:
                raise InvalidArgumentError(None, None, f"Split size at index {i} must be >= 0. "
                                           f"Got: {v}")
        determined = sum(v for v in s if v != -1)
        n = x.shape[ax]
        if (-1 not in s and determined != n) or (-1 in s and determined > n):
            raise InvalidArgumentError(
                None, None, "Determined shape must either match input shape along split_dim "
                "exactly if fully specified, or be less than the size of the input along "
                f"split_dim if not fully specified.  Got: {determined}")
        if -1 in s:
            s[s.index(-1)] = n - determined
        parts = tuple(np.split(x, np.cumsum(s)[:-1], axis=ax))
        return parts if len(parts) != 1 else parts[0]

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
