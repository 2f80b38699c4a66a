"""Element-wise binary math: ops with broadcasting (TF's names, dtype rules and shape errors)
and the Tensor operators, each with its kernel and gradient.

Unary functions and casts are in math_unary_ops.py (which registers the unary operators);
reductions, matmul and the other math ops are in math_reduce_ops.py.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework import op_def_registry
from varstore.framework.constant_op import (
    CONSTANT_FOLDERS,
    constant_value,
    convert_to_tensor,
)
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import (
    check_allowed,
    check_same_graph,
    first_input,
    hinted_input,
    typed_input,
)
from varstore.framework.ops import (
    OPERATORS,
    NotDifferentiable,
    Operation,
    Tensor,
    builders,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)

__all__ = [
    "add",
    "div",
    "div_no_nan",
    "divide",
    "equal",
    "floordiv",
    "floormod",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "logical_and",
    "logical_or",
    "logical_xor",
    "maximum",
    "minimum",
    "mod",
    "multiply",
    "not_equal",
    "pow",
    "realdiv",
    "squared_difference",
    "subtract",
    "truediv",
]

DType = _dtypes.DType
Dims = tuple[int | None, ...] | None
_bool = _dtypes.bool

# Allowed values of each op's type attribute, in the order TF lists them.
_ADD_SUB_TYPES = ("bfloat16, float16, float32, float64, uint8, int8, uint16, int16, int32, "
                  "int64, complex64, complex128, uint32, uint64")
_ADDV2_TYPES = ("bfloat16, float16, float32, float64, uint8, uint16, uint32, uint64, int8, "
                "int16, int32, int64, complex64, complex128")
_MAXMIN_TYPES = ("bfloat16, float16, float32, float64, int8, uint8, int16, uint16, int32, "
                 "uint32, int64, uint64")
_TRUEDIV_EXPECTED = ("{tf.uint8, tf.int8, tf.uint16, tf.int16, tf.uint32, tf.int32, tf.uint64, "
                     "tf.int64, tf.bfloat16, tf.float16, tf.float32, tf.float64, tf.complex64, "
                     "tf.complex128}")
# __truediv__ casts integers before RealDiv; floats divide as they are.
_TRUEDIV_CAST = {"uint8": _dtypes.float32, "int8": _dtypes.float32, "int16": _dtypes.float32,
                 "uint16": _dtypes.float32, "int32": _dtypes.float64,
                 "int64": _dtypes.float64, "uint32": _dtypes.float64,
                 "uint64": _dtypes.float64}


def _out(op: Operation) -> Tensor:
    return op._outputs[0]


# -- broadcasting ---------------------------------------------------------------------------
def broadcast_shape(full: str, op_type: str, x: Tensor, y: Tensor) -> Dims:
    """TF's BroadcastBinaryOpShapeHelper on static shapes (None: unknown)."""
    sx, sy = x._shape, y._shape
    if sx is None or sy is None:
        return None
    if sx == sy:
        return sx
    rank_ = max(len(sx), len(sy))
    px = (1,) * (rank_ - len(sx)) + sx
    py = (1,) * (rank_ - len(sy)) + sy
    out: list[int | None] = []
    for a, b in zip(px, py):
        if a == 1:
            out.append(b)
        elif b == 1:
            out.append(a)
        elif a is None:
            out.append(b)
        elif b is None or a == b:
            out.append(a)
        else:
            extra = (", incompatible_shape_error=true" if op_type in _SHAPE_ERROR_ATTR
                     else "")
            raise node_error(f"Dimensions must be equal, but are {a} and {b}", full, op_type,
                             f"T={dt_enum(x._dtype)}{extra}", [x, y])
    return tuple(out)


_TF_TYPE_NAMES = {"float": "float32", "double": "float64", "half": "float16"}


@functools.cache
def opdef_types(op_type: str, attr: str = "T") -> tuple[str, str] | None:
    """(the allowed values of ``op_type``'s type attr ``attr`` in OpDef order, as TF's message
    names them; the first input typed by it), from the recorded OpDef; None when the OpDef
    does not restrict it (or varstore has none)."""
    op_def = op_def_registry.get(op_type)
    if op_def is None:
        return None
    for a in op_def.attr:
        if a.name == attr and a.allowed_values.list.type:
            names = [op_def_registry.type_string(t) for t in a.allowed_values.list.type]
            params = [i.name for i in op_def.input_arg if i.type_attr == attr]
            return (", ".join(_TF_TYPE_NAMES.get(t, t) for t in names),
                    params[0] if params else attr)
    return None


def check_opdef_type(op_type: str, dtype: DType, attr: str = "T") -> None:
    """TF's op_def_library check of a type attr against the OpDef's allowed list (a
    TypeError naming the input parameter, as TF's message)."""
    allowed = opdef_types(op_type, attr)
    if allowed is not None and dtype.name not in allowed[0].split(", "):
        check_allowed(dtype, allowed[0], allowed[1])


def _binary_node(graph: Any, full: str, op_type: str, x: Tensor, y: Tensor,
                 out_dtype: DType | None = None) -> Tensor:
    if op_type == "AddV2" and x._dtype is _dtypes.string:
        op_type = "Add"  # TF's _add_dispatch: strings concatenate with the older Add op
    check_opdef_type(op_type, x._dtype)
    shape = broadcast_shape(full, op_type, x, y)
    dt = x._dtype if out_dtype is None else out_dtype
    attrs: dict[str, Any] = {"T": x._dtype}
    if op_type in _SHAPE_ERROR_ATTR:
        attrs["incompatible_shape_error"] = True
    return _out(make_op(graph, full, op_type, [x, y], attrs, [(dt, shape)]))


# Equal / NotEqual have TF's attr incompatible_shape_error; tf.equal leaves it true (an
# error for shapes that do not broadcast).
_SHAPE_ERROR_ATTR = frozenset(("Equal", "NotEqual"))


_ALLOWED = {"AddV2": _ADDV2_TYPES, "Sub": _ADD_SUB_TYPES, "Maximum": _MAXMIN_TYPES,
            "Minimum": _MAXMIN_TYPES}


def _binary_function(op_type: str, default: str, x: Any, y: Any, name: str | None,
                     out_dtype: DType | None = None) -> Tensor:
    """A function form (tf.add, tf.subtract ...): x fixes the type attribute, y must match."""
    graph = check_same_graph(x, y)
    full = graph._op_name(name, default)
    with scope_of(graph, full):
        tx = first_input(x, "x")
        ty = typed_input(y, tx._dtype, op_type, "y", "x")
    allowed = _ALLOWED.get(op_type)
    if allowed is not None and tx._dtype is _bool:
        check_allowed(tx._dtype, allowed, "x")
    return _binary_node(graph, full, op_type, tx, ty, out_dtype)


def add(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.add``: op ``Add`` of type ``AddV2``."""
    return _binary_function("AddV2", "Add", x, y, name)


def subtract(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.subtract``: op ``Sub``."""
    return _binary_function("Sub", "Sub", x, y, name)


def multiply(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.multiply``: op ``Mul``."""
    return _binary_function("Mul", "Mul", x, y, name)


def maximum(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.maximum``: op ``Maximum``."""
    return _binary_function("Maximum", "Maximum", x, y, name)


def minimum(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.minimum``: op ``Minimum``."""
    return _binary_function("Minimum", "Minimum", x, y, name)


def squared_difference(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary_function("SquaredDifference", "SquaredDifference", x, y, name)


def pow(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.pow``: op ``Pow``."""
    return _binary_function("Pow", "Pow", x, y, name)


def floordiv(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary_function("FloorDiv", "floordiv", x, y, name)


def floormod(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary_function("FloorMod", "FloorMod", x, y, name)


mod = floormod


def realdiv(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _binary_function("RealDiv", "RealDiv", x, y, name)


def div_no_nan(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.div_no_nan``: op ``DivNoNan``, x / y with 0 wherever y is 0."""
    return _binary_function("DivNoNan", "div_no_nan", x, y, name)


def _compare(op_type: str, x: Any, y: Any, name: str | None) -> Tensor:
    return _binary_function(op_type, op_type, x, y, name, out_dtype=_bool)


def equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _compare("Equal", x, y, name)


def not_equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _compare("NotEqual", x, y, name)


def less(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _compare("Less", x, y, name)


def less_equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _compare("LessEqual", x, y, name)


def greater(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _compare("Greater", x, y, name)


def greater_equal(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _compare("GreaterEqual", x, y, name)


def _logical(op_type: str, x: Any, y: Any, name: str | None) -> Tensor:
    graph = check_same_graph(x, y)
    full = graph._op_name(name, op_type)
    for arg, v in (("x", x), ("y", y)):
        if isinstance(v, Tensor) and v._dtype is not _bool:  # TF's op_def_library message
            raise TypeError(f"Input '{arg}' of '{op_type}' Op has type {v._dtype.name} that "
                            f"does not match expected type of bool.")
    with scope_of(graph, full):
        tx = convert_to_tensor(x, dtype=_bool, name="x")
        ty = convert_to_tensor(y, dtype=_bool, name="y")
    shape = broadcast_shape(full, op_type, tx, ty)
    return _out(make_op(graph, full, op_type, [tx, ty], {}, [(_bool, shape)]))


def logical_and(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _logical("LogicalAnd", x, y, name)


def logical_or(x: Any, y: Any, name: str | None = None) -> Tensor:
    return _logical("LogicalOr", x, y, name)


def logical_xor(x: Any, y: Any, name: str = "LogicalXor") -> Tensor:
    """``tf.math.logical_xor``: (x | y) & ~(x & y), as TF builds it."""
    graph = check_same_graph(x, y)
    full = graph._op_name(name, "LogicalXor")
    with scope_of(graph, full):
        return logical_and(logical_or(x, y), builders.logical_not(logical_and(x, y)), name=full + "/")


def truediv(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.truediv``: op ``truediv`` of type ``RealDiv``; integers are cast first (int32 and
    int64 to float64, smaller ones to float32); the two dtypes must be equal."""
    graph = check_same_graph(x, y)
    full = graph._op_name(name, "truediv")
    with scope_of(graph, full):
        tx = first_input(x, "x")
        ty = hinted_input(y, tx._dtype, "y")
    return _truediv(graph, full, tx, ty)


def _truediv(graph: Any, full: str, tx: Tensor, ty: Tensor) -> Tensor:
    if tx._dtype is not ty._dtype:
        raise TypeError(f"`x` and `y` must have the same dtype, got {tx._dtype!r} != "
                        f"{ty._dtype!r}.")
    if tx._dtype is _bool or tx._dtype is _dtypes.string:
        raise TypeError(f"Invalid dtype {tx._dtype!r} in __truediv__. Expected one of "
                        f"{_TRUEDIV_EXPECTED}.")
    cast_to = _TRUEDIV_CAST.get(tx._dtype.name)
    if cast_to is not None:
        with scope_of(graph, full):
            tx = builders.cast(tx, cast_to)
            ty = builders.cast(ty, cast_to)
    return _binary_node(graph, full, "RealDiv", tx, ty)


def divide(x: Any, y: Any, name: str | None = None) -> Tensor:
    """``tf.divide``: ``x / y`` (op ``truediv``), or op ``name`` when given."""
    if name is not None:
        return truediv(x, y, name)
    return _binary_operator("truediv", x, y, False) if isinstance(x, Tensor) else \
        truediv(x, y, name)


def div(x: Any, y: Any, name: str | None = None) -> Tensor:
    """TF1's ``tf.div``: Python 2 division (floor division for integers)."""
    graph = check_same_graph(x, y)
    full = graph._op_name(name, "div")
    with scope_of(graph, full):
        tx = first_input(x, "x")
        ty = typed_input(y, tx._dtype, "RealDiv", "y", "x")
    if tx._dtype.is_integer:
        return _binary_node(graph, full, "FloorDiv", tx, ty)
    return _binary_node(graph, full, "RealDiv", tx, ty)


# -- operators ----------------------------------------------------------------------------------
_OPERATOR_TYPES = {"add": "AddV2", "sub": "Sub", "mul": "Mul", "floordiv": "FloorDiv",
                   "mod": "FloorMod", "pow": "Pow", "Less": "Less", "LessEqual": "LessEqual",
                   "Greater": "Greater", "GreaterEqual": "GreaterEqual", "and": "LogicalAnd",
                   "or": "LogicalOr", "xor": "LogicalXor"}
_BITWISE = {"LogicalAnd": "bitwise_and", "LogicalOr": "bitwise_or", "LogicalXor": "bitwise_xor"}
_COMPARISONS = frozenset({"Less", "LessEqual", "Greater", "GreaterEqual"})


def _binary_operator(op_name: str, tensor: Any, other: Any, reverse: bool) -> Tensor:
    """``tensor <op> other`` (or ``other <op> tensor`` when ``reverse``): op ``add``/``sub``/
    ``mul``/``truediv``/``matmul`` ... under the current name scope, with TF's operator rules:
    forward, ``other`` is converted with the tensor's dtype when it fits and a mismatch is
    'Input 'y' of 'AddV2' Op has type ...'; reversed, ``other`` must convert to the tensor's
    dtype exactly ('Expected int32, but got 1.5 of type 'float'.')."""
    if op_name == "mul" and not reverse and hasattr(type(other), "dense_shape") and \
            hasattr(other, "indices") and not hasattr(other, "_as_tensor"):
        # TF's _mul_dispatch: dense * SparseTensor is SparseDenseCwiseMul, a SparseTensor.
        with name_scope(None, "mul", [tensor, other.values]) as scope:
            return builders.dense_mul_sparse(  # type: ignore[no-any-return]
                convert_to_tensor(tensor), other, scope)
    graph = check_same_graph(other, tensor) if reverse else check_same_graph(tensor, other)
    if not isinstance(tensor, Tensor):
        tensor = convert_to_tensor(tensor)
    dt = tensor._dtype
    full = graph._op_name(None, op_name)
    if op_name == "matmul":
        with scope_of(graph, full):
            if reverse:
                ta = _reverse_operand(other, dt, "a")
                tb = tensor
            else:
                ta = tensor
                tb = typed_input(other, dt, "MatMul", "b", "a")
        return builders.matmul_node(graph, full, ta, tb, False, False)  # type: ignore[no-any-return]
    with scope_of(graph, full):
        if op_name == "truediv":
            if reverse:
                tx = _reverse_operand(other, dt, "x")
                return _truediv(graph, full, tx, tensor)
            ty = hinted_input(other, dt, "y")
            return _truediv(graph, full, tensor, ty)
        op_type = _OPERATOR_TYPES[op_name]
        if op_type.startswith("Logical") and dt.is_integer:
            # TF's and_/or_/xor_: integers take the bitwise op inside the operator's scope
            # (`and/BitwiseAnd`, a Python operand its own `and/BitwiseAnd/y`)
            bitwise = getattr(builders, _BITWISE[op_type])
            if reverse:
                return bitwise(_reverse_operand(other, dt, "x"), tensor)  # type: ignore[no-any-return]
            return bitwise(tensor, other)  # type: ignore[no-any-return]
        if op_type.startswith("Logical"):
            tx = convert_to_tensor(tensor if not reverse else other, dtype=_bool, name="x")
            ty = convert_to_tensor(other if not reverse else tensor, dtype=_bool, name="y")
            if op_type == "LogicalXor":
                return logical_xor(tx, ty, name=full + "/")
            shape = broadcast_shape(full, op_type, tx, ty)
            return _out(make_op(graph, full, op_type, [tx, ty], {}, [(_bool, shape)]))
        if reverse:
            tx = _reverse_operand(other, dt, "x")
            ty = tensor
        else:
            tx = tensor
            ty = typed_input(other, dt, op_type, "y", "x")
    if op_type == "Mul" and dt is _bool:
        return _bool_mul(graph, full, tx, ty)
    if op_type in ("AddV2", "Sub") and dt is _bool:
        check_allowed(dt, _ALLOWED[op_type], "x")
    return _binary_node(graph, full, op_type, tx, ty,
                        _bool if op_type in _COMPARISONS else None)


def _binary_operator_of(op_name: str) -> Callable[[Any, Any, bool], Tensor]:
    def operator(x: Any, y: Any, reverse: bool) -> Tensor:
        return _binary_operator(op_name, x, y, reverse)
    return operator


def _bool_mul(graph: Any, full: str, tx: Tensor, ty: Tensor) -> Tensor:
    """TF multiplies booleans through int32: Cast, Cast_1, the Mul, then Cast_2 back."""
    with scope_of(graph, full):
        cx = builders.cast(tx, _dtypes.int32)
        cy = builders.cast(ty, _dtypes.int32)
        m = _binary_node(graph, graph._op_name("mul", "mul"), "Mul", cx, cy)
        return builders.cast(m, _bool, name="Cast_2")  # type: ignore[no-any-return]


def _reverse_operand(value: Any, dt: DType, arg: str) -> Tensor:
    """convert_to_tensor(value, dtype=dt) for the left operand of a reflected operator."""
    if isinstance(value, Tensor) or hasattr(type(value), "_as_tensor"):
        t = convert_to_tensor(value)
        if t._dtype != dt:
            raise ValueError(f"Tensor conversion requested dtype {dt.name} for Tensor with "
                             f"dtype {t._dtype.name}: {t!r}")
        return t
    return convert_to_tensor(value, dtype=dt, name=arg)


OPERATORS.update({name: _binary_operator_of(name) for name in (
    "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor",
    "Less", "LessEqual", "Greater", "GreaterEqual")})
# neg, abs and invert are registered by math_unary_ops.
OPERATORS["getitem"] = lambda x, key: builders.getitem(convert_to_tensor(x), key)


# -- kernels of the binary ops --------------------------------------------------------------------
def _divides_by_zero(x: np.ndarray, y: np.ndarray) -> bool:
    """TF checks integer divisors per output element: an empty result (a scalar's gradient
    reduces over an empty axis list modulo rank 0) divides nothing."""
    return x.dtype.kind in "iu" and np.broadcast(x, y).size > 0 and bool(np.any(y == 0))


def _floordiv(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if _divides_by_zero(x, y):
        raise ValueError("Integer division by zero")
    return np.floor_divide(x, y)  # type: ignore[no-any-return]


def _floormod(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if _divides_by_zero(x, y):
        raise ValueError("Integer division by zero")
    if np.result_type(x, y).kind not in "fc":
        return np.mod(x, y)  # type: ignore[no-any-return]
    # TF's float FloorMod: fmod, moved by y when the signs differ; a zero keeps fmod's sign
    # (3 % -3 is +0 and -0 % 3 is -0, where np.mod gives -0 and +0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.fmod(x, y)
        return np.asarray(np.where((r != 0) & ((y < 0) != (r < 0)), r + y, r)).astype(
            r.dtype)


def _pow(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if x.dtype.kind in "iu" and np.any(y < 0):
        raise ValueError("Integers to negative integer powers are not allowed")
    return np.power(x, y)  # type: ignore[no-any-return]


def _squared_difference(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    d = np.asarray(np.subtract(x, y))  # (scalar operands give a NumPy scalar: no out=)
    if d.dtype.kind == "c":
        return np.multiply(d, np.conj(d))  # type: ignore[no-any-return]  # TF: |x - y|^2
    return np.multiply(d, d, out=d)  # type: ignore[no-any-return]


_BINARY_KERNELS: dict[str, Callable[..., Any]] = {
    "AddV2": np.add, "Add": np.add, "Sub": np.subtract, "Mul": np.multiply,
    "RealDiv": np.true_divide, "Maximum": np.maximum, "Minimum": np.minimum,
    "FloorDiv": _floordiv, "FloorMod": _floormod, "Pow": _pow,
    "SquaredDifference": _squared_difference, "Less": np.less, "LessEqual": np.less_equal, "Greater": np.greater,
    "GreaterEqual": np.greater_equal, "LogicalAnd": np.logical_and,
    "LogicalOr": np.logical_or, "DivNoNan": lambda x, y: np.where(y == 0, 0, x / np.where(
        y == 0, 1, y)).astype(x.dtype),
}


# TF 2.21's CPU kernels of these ops cover fewer types than their OpDefs (recorded from its
# kernel registry): another type builds, and fails when the session makes the kernel.
_CPU_KERNEL_TYPES: dict[str, frozenset[str]] = {
    # (no integer kernel)
    "Reciprocal": frozenset({"bfloat16", "complex128", "complex64", "float16", "float32",
                             "float64"}),
    "Inv": frozenset({"bfloat16", "complex128", "complex64", "float16", "float32", "float64"}),
    "Lgamma": frozenset({"float16", "float32", "float64"}),
    "Digamma": frozenset({"float16", "float32", "float64"}),
    "Rint": frozenset({"float32", "float64"}),
    "Round": frozenset({"bfloat16", "float16", "float32", "float64", "int32", "int64"}),
    "RealDiv": frozenset({"bfloat16", "complex128", "complex64", "float16", "float32",
                          "float64"}),
    # (no complex kernel)
    "FloorDiv": frozenset({"bfloat16", "float16", "float32", "float64", "int16", "int32", "int64",
                           "int8", "uint16", "uint32", "uint64", "uint8"}),
    "TruncateDiv": frozenset({"bfloat16", "float16", "float32", "float64", "int16", "int32",
                              "int64", "int8", "uint16", "uint32", "uint64", "uint8"}),
    "TruncateMod": frozenset({"float32", "float64", "int32", "int64"}),
    "Mod": frozenset({"float32", "float64", "int32", "int64"}),
}


def _binary_factory(fn: Callable[..., Any]) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        kernel_types = _CPU_KERNEL_TYPES.get(op._type)
        dt = op._attrs.get("T")
        if kernel_types is not None and dt is not None and dt.name not in kernel_types:
            raise InvalidArgumentError(
                None, op, f"No OpKernel was registered to support Op '{op._type}' used by "
                f"{{{{node {op._name}}}}} with these attrs: [T={dt_enum(dt)}]")
        return fn
    return factory


for _t, _fn in _BINARY_KERNELS.items():
    register_kernel(_t)(_binary_factory(_fn))


def _equality_factory(fn: Callable[..., Any], differ: bool) -> Callable[..., Any]:
    def factory(op: Operation) -> Callable[..., Any]:
        if op._attrs.get("incompatible_shape_error", True):
            return fn

        def compare(x: np.ndarray, y: np.ndarray) -> np.ndarray:
            # TF's kernel: operands that do not broadcast are simply unequal (a scalar)
            try:
                np.broadcast_shapes(np.shape(x), np.shape(y))
            except ValueError:
                return np.array(differ)
            return fn(x, y)  # type: ignore[no-any-return]
        return compare
    return factory


register_kernel("Equal")(_equality_factory(np.equal, False))
register_kernel("NotEqual")(_equality_factory(np.not_equal, True))
for _t in ("Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual", "LogicalAnd",
           "LogicalOr", "LogicalNot", "FloorDiv", "IsNan", "IsInf", "IsFinite",
           "Floor", "Ceil", "Round", "Rint"):
    NotDifferentiable(_t)


def _fold_binary(fn: Callable[..., Any]) -> Callable[[Tensor], Any]:
    def fold(t: Tensor) -> Any:
        x, y = (constant_value(i) for i in t._op._inputs)
        if x is None or y is None:
            return None
        return np.asarray(fn(x, y)).astype(t._dtype._np)
    return fold


# (Equal / NotEqual as TF's tensor_util.constant_value; the other comparisons only in
# shape inference: constant_op.evaluate_constant)
_FOLDED: dict[str, Callable[..., Any]] = {
    k: _BINARY_KERNELS[k]
    for k in ("AddV2", "Sub", "Mul", "FloorDiv", "FloorMod", "Maximum", "Minimum")}
_FOLDED.update(Equal=np.equal, NotEqual=np.not_equal)
for _t, _fn in _FOLDED.items():
    CONSTANT_FOLDERS[_t] = _fold_binary(_fn)


builders.register(globals(), [*__all__, "broadcast_shape"])

# Grappler's x + 0 rewrite for Add / AddV2 (its sign of zero), registered with these ops.
from varstore.ops import zero_add_rule as _zero_add_rule  # noqa: F401
