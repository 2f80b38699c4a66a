"""``tf.debugging.assert_shapes`` (TF1's check_ops.assert_shapes): a list of (tensor, shape
spec) pairs whose ranks and named dimension sizes must agree. A spec is a sequence of sizes:
ints, symbols (a symbol names one size shared by every tensor that uses it), None or '.' for
any size, and a leading ... or '*' for any number of outer dimensions.

What the static shapes decide raises ValueError when the graph is built (TF's texts); the rest
becomes rank assertions and Assert ops, grouped under control dependencies on the rank
checks, exactly as TF builds them."""

from __future__ import annotations

from typing import Any, NamedTuple

from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.graph import control_dependencies, name_scope
from varstore.framework.ops import Operation
from varstore.framework.sparse_tensor import SparseTensor
from varstore.ops.array_ops import rank as _rank
from varstore.ops.array_ops import shape as _shape
from varstore.ops.check_ops import (
    Assert,
    _prefix,
    assert_rank,
    assert_rank_at_least,
    assert_rank_in,
)
from varstore.ops.control_flow_ops import cond, group
from varstore.ops.math_ops import equal

__all__ = ["assert_shapes"]


class _TensorDimSizes(NamedTuple):
    x: Any
    unspecified_dim: bool
    actual_sizes: Any
    symbolic_sizes: Any


def _dimension_sizes(x: Any) -> Any:
    """The sizes of x's dimensions: ints where static, else entries of tf.shape(x); a scalar
    counts as [1]."""
    dynamic_shape = _shape(x)
    dims = x._shape
    if dims is not None and len(dims) == 0:
        return (1,)
    if dims is not None:
        return [int(d) if d is not None else dynamic_shape[i] for i, d in enumerate(dims)]
    has_rank_zero = equal(_rank(x), 0)
    return cond(has_rank_zero, lambda: constant([1]), lambda: dynamic_shape)


def _symbolic_dimension_sizes(symbolic_shape: tuple[Any, ...]) -> tuple[Any, ...]:
    return symbolic_shape if symbolic_shape else (1,)


def _has_known_value(dimension_size: Any) -> bool:
    try:
        int(dimension_size)
    except (ValueError, TypeError):
        return False
    return dimension_size is not None


def _is_symbol_for_any_size(symbol: Any) -> bool:
    return symbol in [None, "."]


def assert_shapes(shapes: Any, data: Any = None, summarize: int | None = None,
                  message: str | None = None, name: str | None = None) -> Operation:
    """``tf.debugging.assert_shapes``: the op (a NoOp group) that checks at run time what the
    static shapes could not decide; ValueError for what they can."""
    if isinstance(shapes, dict):
        shapes = shapes.items()
    message_prefix = _prefix(message)
    with name_scope(name, "assert_shapes", [shapes, data]):
        constraints = [(x if isinstance(x, SparseTensor) else convert_to_tensor(x), s)
                       for x, s in shapes if s is not None]

        def tensor_name(x: Any) -> str:
            if isinstance(x, SparseTensor):
                return f"shape={x.shape} dtype={x.dtype.name}"
            return str(x.name)

        tensor_dim_sizes = []
        for tensor, symbolic_shape in constraints:
            if not (hasattr(symbolic_shape, "__iter__") or hasattr(symbolic_shape,
                                                                   "__getitem__")):
                raise ValueError(f"{message_prefix}Tensor {tensor_name(tensor)}.  Specified "
                                 "shape must be an iterable.  An iterable has the attribute "
                                 "`__iter__` or `__getitem__`.  Received specified shape: "
                                 f"{symbolic_shape}")
            spec = tuple(symbolic_shape)
            innermost = False
            for i, symbol in enumerate(spec):
                if symbol is not Ellipsis and symbol != "*":
                    continue
                if i != 0:
                    raise ValueError(f"{message_prefix}Tensor {tensor_name(tensor)} specified "
                                     f"shape index {i}.  Symbol `...` or `*` for a variable "
                                     "number of unspecified dimensions is only allowed as the "
                                     "first entry")
                innermost = True
            tensor_dim_sizes.append(_TensorDimSizes(
                tensor, innermost, _dimension_sizes(tensor),
                _symbolic_dimension_sizes(spec[1:] if innermost else spec)))

        rank_assertions = []
        for sizes in tensor_dim_sizes:
            rank = len(sizes.symbolic_sizes)
            rank_zero_or_one = rank in [0, 1]
            if sizes.unspecified_dim:
                if rank_zero_or_one:
                    continue
                assertion = assert_rank_at_least(x=sizes.x, rank=rank, data=data,
                                                 summarize=summarize, message=message,
                                                 name=name)
            elif rank_zero_or_one:
                assertion = assert_rank_in(x=sizes.x, ranks=[0, 1], data=data,
                                           summarize=summarize, message=message, name=name)
            else:
                assertion = assert_rank(x=sizes.x, rank=rank, data=data, summarize=summarize,
                                        message=message, name=name)
            rank_assertions.append(assertion)

        size_assertions = []
        size_specifications: dict[Any, tuple[Any, Any, int]] = {}
        for sizes in tensor_dim_sizes:
            for i, size_symbol in enumerate(sizes.symbolic_sizes):
                if _is_symbol_for_any_size(size_symbol):
                    continue
                tensor_dim = i - len(sizes.symbolic_sizes) if sizes.unspecified_dim else i
                if size_symbol in size_specifications or _has_known_value(size_symbol):
                    if _has_known_value(size_symbol):
                        specified_size = int(size_symbol)
                        size_check_message = "Specified explicitly"
                    else:
                        specified_size, specified_by_y, specified_at_dim = \
                            size_specifications[size_symbol]
                        size_check_message = (f"Specified by tensor {tensor_name(specified_by_y)}"
                                              f" dimension {specified_at_dim:d}")
                    with control_dependencies(rank_assertions):
                        actual_size = sizes.actual_sizes[tensor_dim]
                    if _has_known_value(actual_size) and _has_known_value(specified_size):
                        if int(actual_size) != int(specified_size):
                            raise ValueError(
                                f"{message_prefix}{size_check_message}.  Tensor "
                                f"{tensor_name(sizes.x)} dimension {tensor_dim} must have size "
                                f"{int(specified_size):d}.  Received size {int(actual_size):d}, "
                                f"shape {sizes.x.get_shape()}")
                        continue
                    condition = equal(convert_to_tensor(actual_size),
                                      convert_to_tensor(specified_size))
                    data_ = data
                    if data is None:
                        data_ = [message_prefix, size_check_message,
                                 f"Tensor {tensor_name(sizes.x)} dimension", tensor_dim,
                                 "must have size", specified_size, "Received shape: ",
                                 _shape(sizes.x)]
                    size_assertions.append(Assert(condition, data_, summarize=summarize))
                else:
                    with control_dependencies(rank_assertions):
                        size = sizes.actual_sizes[tensor_dim]
                    size_specifications[size_symbol] = (size, sizes.x, tensor_dim)
    with control_dependencies(rank_assertions):
        return group(size_assertions)
