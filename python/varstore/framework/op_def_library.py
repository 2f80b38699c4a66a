"""How an op's arguments become input tensors: TF's op_def_library rules.

An op's inputs are converted inside the op's own name scope (a Python operand of ``add``
becomes the Const ``add/y``, a variable the read ``add/ReadVariableOp``). Inputs that share
a type attribute take it from the first one: a later Python value is converted to it, a later
tensor of another dtype is the TypeError "Input 'y' of 'AddV2' Op has type int32 that does
not match type float32 of argument 'x'.".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework import constant_op
from varstore.framework.constant_op import convert_to_tensor, natural, python_natural, strict
from varstore.framework.graph import Graph, get_default_graph
from varstore.framework.ops import Tensor, make_op, scope_of
from varstore.framework.tensor_shape import Dimension

__all__ = [
    "apply_op",
    "check_allowed",
    "check_same_graph",
    "first_input",
    "hinted_input",
    "typed_input",
]

DType = _dtypes.DType

# Ops whose Python-value inputs TF converts with the op's type attribute directly (AddV2 and
# MatMul first convert with a dtype hint, so they report a type mismatch instead).
_CONVERTS_WITH_DTYPE = frozenset({"Mul", "Sub"})


def _is_variable(value: Any) -> bool:
    return hasattr(type(value), "_as_tensor")


def _graph_of(value: Any) -> Graph | None:
    if isinstance(value, Tensor):
        return value._op._graph
    if _is_variable(value):
        return value.graph  # type: ignore[no-any-return]
    return None


def _capturing() -> bool:
    return get_default_graph().__dict__.get("_capture_hook") is not None


def check_same_graph(*values: Any) -> Graph:
    """TF's _get_graph_from_inputs: the op's inputs must come from one graph; that graph
    (else the default graph) is where the op is made."""
    found: Graph | None = None
    first: Any = None
    for v in values:
        if isinstance(v, (list, tuple)):
            for item in v:
                g = _graph_of(item)
                if g is not None:
                    if found is None:
                        found, first = g, item
                    elif g is not found and not _capturing():
                        raise ValueError(f"{item} must be from the same graph as {first} "
                                         f"(graphs are {g!r} and {found!r}).")
            continue
        g = _graph_of(v)
        if g is None:
            continue
        if found is None:
            found, first = g, v
        elif g is not found and not _capturing():
            raise ValueError(f"{v} must be from the same graph as {first} (graphs are {g!r} "
                             f"and {found!r}).")
    default = get_default_graph()
    if found is None:
        return default
    if found is not default and default.__dict__.get("_capture_hook") is not None:
        return default  # a tf.data function's graph: make_op captures the outer inputs
    return found


def first_input(value: Any, arg: str, dtype: DType | None = None) -> Tensor:
    """The first input of an op whose type attribute is inferred from it."""
    if isinstance(value, Tensor):
        return value
    return convert_to_tensor(value, dtype=dtype, name=arg)


def natural_dtype_name(value: Any) -> str:
    """The dtype name TF infers for a non-tensor value (its conversion errors propagate)."""
    if isinstance(value, Tensor):
        return value._dtype.name
    if _is_variable(value):
        return str(value.dtype.name)
    return natural(value)[1].name if not isinstance(value, (list, tuple, float, int, bool)) \
        else python_natural(value)[1].name


def typed_input(value: Any, dtype: DType, op_type: str, arg: str, first_arg: str) -> Tensor:
    """An op input that must have the type attribute ``dtype`` already fixed by an earlier
    input (TF's op_def_library rule; a ref input is read as its base type)."""
    dtype = dtype._base
    if isinstance(value, Tensor):
        if value._dtype is dtype:
            return value
        observed = value._dtype.name
    elif _is_variable(value):
        if value.dtype._base is dtype:
            return convert_to_tensor(value)
        observed = value.dtype._base.name
    elif constant_op._contains_tensor(value):
        # A list holding tensors is packed with the attribute's dtype (TF's autopacking).
        return convert_to_tensor(value, dtype=dtype, name=arg)
    elif type(value) is Dimension:
        # a registered conversion (TF's _dimension_tensor_conversion_function): int32
        if dtype is _dtypes.int32:
            return convert_to_tensor(value, dtype=dtype, name=arg)
        observed = "int32"
    else:
        try:
            arr = strict(value, dtype)
        except (TypeError, ValueError) as exc:
            if op_type in _CONVERTS_WITH_DTYPE and isinstance(exc, TypeError):
                # These ops convert a Python value with the first input's dtype (no hint).
                raise TypeError(
                    f"Expected {dtype.name} passed to parameter '{arg}' of op '{op_type}', got "
                    f"{value!r} of type '{type(value).__name__}' instead. Error: {exc}"
                ) from None
            observed = natural_dtype_name(value)  # its own conversion errors propagate
        else:
            graph = get_default_graph()
            return constant_op.make_const(graph, graph._op_name(arg, arg), arr, dtype)
    raise TypeError(f"Input '{arg}' of '{op_type}' Op has type {observed} that does not match "
                    f"type {dtype.name} of argument '{first_arg}'.")


def hinted_input(value: Any, hint: DType, arg: str) -> Tensor:
    """convert_to_tensor(value, dtype_hint=hint, name=arg)."""
    if isinstance(value, Tensor):
        return value
    return convert_to_tensor(value, dtype_hint=hint, name=arg)


def check_allowed(dtype: DType, allowed: str, param: str) -> None:
    dtype = dtype._base  # a ref input is read as its base type
    if dtype.name not in allowed.split(", "):
        raise TypeError(f"Value passed to parameter '{param}' has DataType {dtype.name} not in "
                        f"list of allowed values: {allowed}")


def apply_op(op_type: str, name: str | None, default: str, inputs: Sequence[Any],
             arg_names: Sequence[str], attrs: dict[str, Any],
             out: Sequence[tuple[DType, Any]], data: Any = None) -> Any:
    """A generic op: ``inputs`` converted in the op's scope (a Python value becomes
    ``<op>/<arg>``), the node made with ``out`` = [(dtype, shape)], its outputs returned
    (one Tensor, or a list of several)."""
    graph = check_same_graph(*inputs)
    full = graph._op_name(name, default)
    with scope_of(graph, full):
        tensors = [v if isinstance(v, Tensor) else convert_to_tensor(v, name=a)
                   for v, a in zip(inputs, arg_names)]
    op = make_op(graph, full, op_type, tensors, attrs, out, data=data)
    return op._outputs[0] if len(op._outputs) == 1 else op._outputs
