"""Element-wise math: binary ops with broadcasting (TF's names, dtype rules and shape
errors), the Tensor operators, unary functions and casts, each with its kernel and gradient.

Reductions, matmul and the other math ops are in math_reduce_ops.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import (
    CONSTANT_FOLDERS,
    SHAPE_FOLDERS,
    constant_value,
    constant_value_as_shape,
    convert_to_tensor,
    strict,
)
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
    RegisterGradient,
    Tensor,
    builders,
    dt_enum,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.ops.array_ops import reshape, shape_of

__all__ = [
    "abs",
    "add",
    "cast",
    "ceil",
    "cos",
    "div",
    "divide",
    "equal",
    "erf",
    "exp",
    "expm1",
    "floor",
    "floordiv",
    "floormod",
    "greater",
    "greater_equal",
    "is_finite",
    "is_inf",
    "is_nan",
    "less",
    "less_equal",
    "log",
    "log1p",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "maximum",
    "minimum",
    "mod",
    "multiply",
    "negative",
    "not_equal",
    "pow",
    "realdiv",
    "reciprocal",
    "round",
    "rsqrt",
    "saturate_cast",
    "sigmoid",
    "sign",
    "sin",
    "sqrt",
    "square",
    "squared_difference",
    "subtract",
    "tanh",
    "to_double",
    "to_float",
    "to_int32",
    "to_int64",
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
_NEG_TYPES = ("bfloat16, float16, float32, float64, int8, int16, int32, int64, complex64, "
              "complex128")
_FLOAT_TYPES = "bfloat16, float16, float32, float64, complex64, complex128"
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
            raise node_error(f"Dimensions must be equal, but are {a} and {b}", full, op_type,
                             f"T={dt_enum(x._dtype)}", [x, y])
    return tuple(out)


def _binary_node(graph: Any, full: str, op_type: str, x: Tensor, y: Tensor,
                 out_dtype: DType | None = None) -> Tensor:
    shape = broadcast_shape(full, op_type, x, y)
    dt = x._dtype if out_dtype is None else out_dtype
    return _out(make_op(graph, full, op_type, [x, y], {"T": x._dtype}, [(dt, shape)]))


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
        return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=full + "/")


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
            tx = cast(tx, cast_to)
            ty = cast(ty, cast_to)
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
_COMPARISONS = frozenset({"Less", "LessEqual", "Greater", "GreaterEqual"})


def _binary_operator(op_name: str, tensor: Any, other: Any, reverse: bool) -> Tensor:
    """``tensor <op> other`` (or ``other <op> tensor`` when ``reverse``): op ``add``/``sub``/
    ``mul``/``truediv``/``matmul`` ... under the current name scope, with TF's operator rules:
    forward, ``other`` is converted with the tensor's dtype when it fits and a mismatch is
    'Input 'y' of 'AddV2' Op has type ...'; reversed, ``other`` must convert to the tensor's
    dtype exactly ('Expected int32, but got 1.5 of type 'float'.')."""
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
        cx = cast(tx, _dtypes.int32)
        cy = cast(ty, _dtypes.int32)
        m = _binary_node(graph, graph._op_name("mul", "mul"), "Mul", cx, cy)
        return cast(m, _bool, name="Cast_2")


def _reverse_operand(value: Any, dt: DType, arg: str) -> Tensor:
    """convert_to_tensor(value, dtype=dt) for the left operand of a reflected operator."""
    if isinstance(value, Tensor) or hasattr(type(value), "_as_tensor"):
        t = convert_to_tensor(value)
        if t._dtype != dt:
            raise ValueError(f"Tensor conversion requested dtype {dt.name} for Tensor with "
                             f"dtype {t._dtype.name}: {t!r}")
        return t
    return convert_to_tensor(value, dtype=dt, name=arg)


def _neg_operator(x: Any) -> Tensor:
    return _unary("Neg", x, None, "Neg", _NEG_TYPES)


OPERATORS.update({name: _binary_operator_of(name) for name in (
    "add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor",
    "Less", "LessEqual", "Greater", "GreaterEqual")})
OPERATORS["neg"] = _neg_operator
OPERATORS["abs"] = lambda x: abs(x)
OPERATORS["invert"] = lambda x: logical_not(x)
OPERATORS["getitem"] = lambda x, key: builders.getitem(convert_to_tensor(x), key)


# -- kernels of the binary ops --------------------------------------------------------------------
def _floordiv(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if x.dtype.kind in "iu" and np.any(y == 0):
        raise ValueError("Integer division by zero")
    return np.floor_divide(x, y)  # type: ignore[no-any-return]


def _floormod(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if x.dtype.kind in "iu" and np.any(y == 0):
        raise ValueError("Integer division by zero")
    return np.mod(x, y)  # type: ignore[no-any-return]


def _pow(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if x.dtype.kind in "iu" and np.any(y < 0):
        raise ValueError("Integers to negative integer powers are not allowed")
    return np.power(x, y)  # type: ignore[no-any-return]


def _squared_difference(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    d = np.subtract(x, y)
    return np.multiply(d, d, out=d)  # type: ignore[no-any-return]


_BINARY_KERNELS: dict[str, Callable[..., Any]] = {
    "AddV2": np.add, "Add": np.add, "Sub": np.subtract, "Mul": np.multiply,
    "RealDiv": np.true_divide, "Maximum": np.maximum, "Minimum": np.minimum,
    "FloorDiv": _floordiv, "FloorMod": _floormod, "Pow": _pow,
    "SquaredDifference": _squared_difference, "Equal": np.equal, "NotEqual": np.not_equal,
    "Less": np.less, "LessEqual": np.less_equal, "Greater": np.greater,
    "GreaterEqual": np.greater_equal, "LogicalAnd": np.logical_and,
    "LogicalOr": np.logical_or, "DivNoNan": lambda x, y: np.where(y == 0, 0, x / np.where(
        y == 0, 1, y)).astype(x.dtype),
}


def _binary_factory(fn: Callable[..., Any]) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        return fn
    return factory


for _t, _fn in _BINARY_KERNELS.items():
    register_kernel(_t)(_binary_factory(_fn))
for _t in ("Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual", "LogicalAnd",
           "LogicalOr", "LogicalNot", "FloorDiv", "IsNan", "IsInf", "IsFinite", "Sign",
           "Floor", "Ceil", "Round", "Rint"):
    NotDifferentiable(_t)


def _fold_binary(fn: Callable[..., Any]) -> Callable[[Tensor], Any]:
    def fold(t: Tensor) -> Any:
        x, y = (constant_value(i) for i in t._op._inputs)
        if x is None or y is None:
            return None
        return np.asarray(fn(x, y)).astype(t._dtype._np)
    return fold


for _t in ("AddV2", "Sub", "Mul", "FloorDiv", "Maximum", "Minimum"):
    CONSTANT_FOLDERS[_t] = _fold_binary(_BINARY_KERNELS[_t])


# -- gradients of the binary ops -----------------------------------------------------------------
def _reduce_to(grad: Tensor, t: Tensor, axes: list[int] | None, other: Tensor) -> Tensor:
    """Sums ``grad`` over the axes ``t`` was broadcast along and reshapes it to ``t``'s
    shape: static axes when the shapes decide them (no BroadcastGradientArgs op), else TF's
    dynamic BroadcastGradientArgs."""
    if axes is None:
        rx, _ = builders.broadcast_gradient_args(builders.shape(t), builders.shape(other))
        return reshape(builders.reduce_sum(grad, rx), builders.shape(t))
    if not axes and grad._shape is not None and t._shape is not None and \
            len(grad._shape) == len(t._shape):
        return grad
    if axes:
        grad = builders.reduce_sum(grad, axes, keepdims=False)
    return reshape(grad, shape_of(t))


def _static_axes(sx: tuple[int | None, ...], sy: tuple[int | None, ...]) -> list[int] | None:
    """The axes to sum x's broadcast gradient over, when the static shapes decide them."""
    rank = max(len(sx), len(sy))
    px = (1,) * (rank - len(sx)) + sx
    py = (1,) * (rank - len(sy)) + sy
    out = []
    for i, (a, b) in enumerate(zip(px, py)):
        if i < rank - len(sx) or a == 1:
            out.append(i)  # x has no such axis, or size 1 (summing a size-1 axis is harmless)
        elif a is None and b != 1:
            return None  # x may be 1 here and y larger: only the run knows
    return out


def _axes(x: Tensor, y: Tensor) -> tuple[list[int] | None, list[int] | None]:
    sx, sy = x._shape, y._shape
    if sx is None or sy is None:
        return None, None
    if sx == sy and None not in sx:
        return [], []
    return _static_axes(sx, sy), _static_axes(sy, sx)


def _pair(op: Operation, gx: Tensor | None, gy: Tensor | None) -> list[Any]:
    x, y = op._inputs
    rx, ry = _axes(x, y)
    return [None if gx is None else _reduce_to(gx, x, rx, y),
            None if gy is None else _reduce_to(gy, y, ry, x)]


@RegisterGradient("AddV2")
def _add_grad(op: Operation, grad: Tensor) -> list[Any]:
    return _pair(op, grad, grad)


RegisterGradient("Add")(_add_grad)


@RegisterGradient("Sub")
def _sub_grad(op: Operation, grad: Tensor) -> list[Any]:
    return _pair(op, grad, negative(grad))


@RegisterGradient("Mul")
def _mul_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    return _pair(op, multiply(grad, y), multiply(x, grad))


@RegisterGradient("RealDiv")
def _realdiv_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    return _pair(op, realdiv(grad, y), multiply(grad, realdiv(realdiv(negative(x), y), y)))


@RegisterGradient("FloorMod")
def _floormod_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    return _pair(op, grad, multiply(grad, negative(floordiv(x, y))))


def _minmax_grad(op: Operation, grad: Tensor, ge: bool) -> list[Any]:
    x, y = op._inputs
    mask = greater_equal(x, y) if ge else less_equal(x, y)
    zeros = builders.zeros_like(grad)
    return _pair(op, builders.where(mask, grad, zeros), builders.where(mask, zeros, grad))


@RegisterGradient("Maximum")
def _maximum_grad(op: Operation, grad: Tensor) -> list[Any]:
    return _minmax_grad(op, grad, True)


@RegisterGradient("Minimum")
def _minimum_grad(op: Operation, grad: Tensor) -> list[Any]:
    return _minmax_grad(op, grad, False)


@RegisterGradient("SquaredDifference")
def _squared_difference_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    with builders.control_dependencies([grad]):
        two = convert_to_tensor(2.0, dtype=grad._dtype)
        gx = multiply(multiply(grad, two), subtract(x, y))
    return _pair(op, gx, negative(gx))


@RegisterGradient("Pow")
def _pow_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    z = op._outputs[0]
    one = convert_to_tensor(1, dtype=y._dtype)
    gx = multiply(multiply(grad, y), pow(x, subtract(y, one)))
    if x._dtype.is_floating:
        zero = builders.zeros_like(x)
        safe_x = builders.where(greater(x, zero), x, builders.ones_like(x))
        log_x = builders.where(greater(x, zero), log(safe_x), zero)
        gy = multiply(multiply(grad, z), log_x)
    else:
        gy = None
    return _pair(op, gx, gy)


# -- unary ops ------------------------------------------------------------------------------------
def _unary(op_type: str, x: Any, name: str | None, default: str, allowed: str | None,
           param: str = "x", out_dtype: DType | None = None) -> Tensor:
    graph = check_same_graph(x)
    full = graph._op_name(name, default)
    with scope_of(graph, full):
        t = first_input(x, param)
    if allowed is not None and t._dtype.name not in allowed.split(", "):
        check_allowed(t._dtype, allowed, param)
    dt = t._dtype if out_dtype is None else out_dtype
    return _out(make_op(graph, full, op_type, [t], {"T": t._dtype}, [(dt, t._shape)]))


def _float_unary(op_type: str) -> Callable[..., Tensor]:
    def f(x: Any, name: str | None = None) -> Tensor:
        return _unary(op_type, x, name, op_type, _FLOAT_TYPES)
    f.__name__ = op_type.lower()
    f.__doc__ = f"``tf.{op_type.lower()}``: op ``{op_type}``."
    return f


def negative(x: Any, name: str | None = None) -> Tensor:
    """``tf.negative``: op ``Neg``."""
    return _unary("Neg", x, name, "Neg", _NEG_TYPES)


def square(x: Any, name: str | None = None) -> Tensor:
    """``tf.square``: op ``Square``."""
    return _unary("Square", x, name, "Square",
                  "bfloat16, float16, float32, float64, int8, int16, int32, int64, uint8, "
                  "uint16, uint32, uint64, complex64, complex128")


def abs(x: Any, name: str | None = None) -> Tensor:
    """``tf.abs``: op ``Abs``."""
    return _unary("Abs", x, name, "Abs", None)


def sign(x: Any, name: str | None = None) -> Tensor:
    return _unary("Sign", x, name, "Sign", None)


sqrt = _float_unary("Sqrt")
rsqrt = _float_unary("Rsqrt")
exp = _float_unary("Exp")
expm1 = _float_unary("Expm1")
log = _float_unary("Log")
log1p = _float_unary("Log1p")
reciprocal = _float_unary("Reciprocal")
sin = _float_unary("Sin")
cos = _float_unary("Cos")
erf = _float_unary("Erf")
floor = _float_unary("Floor")
ceil = _float_unary("Ceil")


def sigmoid(x: Any, name: str | None = None) -> Tensor:
    """``tf.sigmoid``: op ``Sigmoid``."""
    graph = check_same_graph(x)
    full = graph._op_name(name, "Sigmoid")
    with scope_of(graph, full):
        t = first_input(x, "x")
    return _out(make_op(graph, full, "Sigmoid", [t], {"T": t._dtype}, [(t._dtype, t._shape)]))


def tanh(x: Any, name: str | None = None) -> Tensor:
    """``tf.tanh``: op ``Tanh``."""
    graph = check_same_graph(x)
    full = graph._op_name(name, "Tanh")
    with scope_of(graph, full):
        t = first_input(x, "x")
    return _out(make_op(graph, full, "Tanh", [t], {"T": t._dtype}, [(t._dtype, t._shape)]))


def round(x: Any, name: str | None = None) -> Tensor:
    """``tf.round``: banker's rounding, op ``Round``."""
    t = convert_to_tensor(x)
    if t._dtype.is_integer:
        return t
    return _unary("Round", t, name, "Round", None)


def logical_not(x: Any, name: str | None = None) -> Tensor:
    graph = check_same_graph(x)
    full = graph._op_name(name, "LogicalNot")
    with scope_of(graph, full):
        t = convert_to_tensor(x, dtype=_bool, name="x")
    return _out(make_op(graph, full, "LogicalNot", [t], {}, [(_bool, t._shape)]))


def is_nan(x: Any, name: str | None = None) -> Tensor:
    return _unary("IsNan", x, name, "IsNan", None, out_dtype=_bool)


def is_inf(x: Any, name: str | None = None) -> Tensor:
    return _unary("IsInf", x, name, "IsInf", None, out_dtype=_bool)


def is_finite(x: Any, name: str | None = None) -> Tensor:
    return _unary("IsFinite", x, name, "IsFinite", None, out_dtype=_bool)


def _rsqrt(x: np.ndarray) -> np.ndarray:
    return np.reciprocal(np.sqrt(x))  # type: ignore[no-any-return]


def _sigmoid_np(x: np.ndarray) -> np.ndarray:
    # 1 / (1 + exp(-x)) without overflow warnings; exact for large |x| like TF's Eigen.
    out = np.negative(x)
    np.exp(out, out=out)
    out += 1
    return np.reciprocal(out, out=out)  # type: ignore[no-any-return]


def _erf(x: np.ndarray) -> np.ndarray:
    import math

    return np.vectorize(math.erf, otypes=[x.dtype])(x)  # type: ignore[no-any-return]


_UNARY_KERNELS: dict[str, Callable[..., Any]] = {
    "Neg": np.negative, "Square": np.square, "Abs": np.abs, "Sign": np.sign,
    "Sqrt": np.sqrt, "Rsqrt": _rsqrt, "Exp": np.exp, "Expm1": np.expm1, "Log": np.log,
    "Log1p": np.log1p, "Sigmoid": _sigmoid_np, "Tanh": np.tanh,
    "Reciprocal": np.reciprocal, "Inv": np.reciprocal, "Sin": np.sin, "Cos": np.cos,
    "Erf": _erf, "Floor": np.floor, "Ceil": np.ceil, "Round": np.rint, "Rint": np.rint,
    "LogicalNot": np.logical_not, "IsNan": np.isnan, "IsInf": np.isinf,
    "IsFinite": np.isfinite,
}
for _t, _fn in _UNARY_KERNELS.items():
    register_kernel(_t)(_binary_factory(_fn))


@RegisterGradient("Neg")
def _neg_grad(op: Operation, grad: Tensor) -> Tensor:
    return negative(grad)


@RegisterGradient("Abs")
def _abs_grad(op: Operation, grad: Tensor) -> Tensor:
    return multiply(grad, sign(op._inputs[0]))


@RegisterGradient("Square")
def _square_grad(op: Operation, grad: Tensor) -> Tensor:
    x = op._inputs[0]
    with builders.control_dependencies([grad]):
        y = multiply(x, convert_to_tensor(2.0, dtype=x._dtype))
    return multiply(grad, y)


def _grad_op(op_type: str, y: Tensor, dy: Tensor) -> Tensor:
    """TF's fused gradient ops (SqrtGrad, RsqrtGrad, SigmoidGrad, TanhGrad, ReciprocalGrad):
    f(y, dy) where y is the forward output."""
    graph = dy._op._graph
    full = graph._op_name(None, op_type)
    return _out(make_op(graph, full, op_type, [y, dy], {"T": y._dtype}, [(y._dtype, y._shape)]))


def _sigmoid_grad_np(y: np.ndarray, dy: np.ndarray) -> np.ndarray:
    return dy * y * (1 - y)  # type: ignore[no-any-return]


_GRAD_KERNELS: dict[str, Callable[..., Any]] = {
    "SqrtGrad": lambda y, dy: dy * 0.5 / y,
    "RsqrtGrad": lambda y, dy: dy * (-0.5) * y * y * y,
    "SigmoidGrad": _sigmoid_grad_np,
    "TanhGrad": lambda y, dy: dy * (1 - y * y),
    "ReciprocalGrad": lambda y, dy: -dy * y * y,
}
for _t, _fn in _GRAD_KERNELS.items():
    register_kernel(_t)(_binary_factory(_fn))


@RegisterGradient("Sqrt")
def _sqrt_grad(op: Operation, grad: Tensor) -> Tensor:
    return _grad_op("SqrtGrad", op._outputs[0], grad)


@RegisterGradient("Rsqrt")
def _rsqrt_grad(op: Operation, grad: Tensor) -> Tensor:
    return _grad_op("RsqrtGrad", op._outputs[0], grad)


@RegisterGradient("Sigmoid")
def _sigmoid_grad(op: Operation, grad: Tensor) -> Tensor:
    return _grad_op("SigmoidGrad", op._outputs[0], grad)


@RegisterGradient("Tanh")
def _tanh_grad(op: Operation, grad: Tensor) -> Tensor:
    return _grad_op("TanhGrad", op._outputs[0], grad)


@RegisterGradient("Reciprocal")
def _reciprocal_grad(op: Operation, grad: Tensor) -> Tensor:
    return _grad_op("ReciprocalGrad", op._outputs[0], grad)


@RegisterGradient("SigmoidGrad")
def _sigmoid_grad_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    y, dy = op._inputs
    with builders.control_dependencies([grad]):
        a = multiply(dy, grad)
        two = convert_to_tensor(2.0, dtype=y._dtype)
        b = multiply(a, subtract(convert_to_tensor(1.0, dtype=y._dtype), multiply(two, y)))
        return [b, _grad_op("SigmoidGrad", y, grad)]


@RegisterGradient("TanhGrad")
def _tanh_grad_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    y, dy = op._inputs
    with builders.control_dependencies([grad]):
        m2 = convert_to_tensor(-2.0, dtype=y._dtype)
        return [multiply(multiply(multiply(grad, dy), m2), y), _grad_op("TanhGrad", y, grad)]


@RegisterGradient("Exp")
def _exp_grad(op: Operation, grad: Tensor) -> Tensor:
    return multiply(grad, op._outputs[0])


@RegisterGradient("Expm1")
def _expm1_grad(op: Operation, grad: Tensor) -> Tensor:
    return multiply(grad, exp(op._inputs[0]))


@RegisterGradient("Log")
def _log_grad(op: Operation, grad: Tensor) -> Tensor:
    return multiply(grad, reciprocal(op._inputs[0]))


@RegisterGradient("Log1p")
def _log1p_grad(op: Operation, grad: Tensor) -> Tensor:
    x = op._inputs[0]
    return multiply(grad, reciprocal(add(convert_to_tensor(1.0, dtype=x._dtype), x)))


@RegisterGradient("Sin")
def _sin_grad(op: Operation, grad: Tensor) -> Tensor:
    return multiply(grad, cos(op._inputs[0]))


@RegisterGradient("Cos")
def _cos_grad(op: Operation, grad: Tensor) -> Tensor:
    return negative(multiply(grad, sin(op._inputs[0])))


@RegisterGradient("Erf")
def _erf_grad(op: Operation, grad: Tensor) -> Tensor:
    x = op._inputs[0]
    two_over_root_pi = convert_to_tensor(2.0 / np.sqrt(np.pi), dtype=grad._dtype)
    return multiply(multiply(grad, two_over_root_pi), exp(negative(square(x))))


# -- cast -------------------------------------------------------------------------------------------
def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """``tf.cast``: op ``Cast``; a tensor of that dtype already is returned unchanged.
    Floats to integers truncate toward zero."""
    dt = _dtypes.as_dtype(dtype)
    if isinstance(x, Tensor) and x._dtype is dt:
        return x
    graph = check_same_graph(x)
    full = graph._op_name(name, "Cast")
    with scope_of(graph, full):
        t = convert_to_tensor(x, name="x")
        if t._dtype is dt:
            return t
    return _out(make_op(graph, full, "Cast", [t], {"SrcT": t._dtype, "DstT": dt,
                                                    "Truncate": False}, [(dt, t._shape)]))


@register_kernel("Cast")
def _cast_kernel(op: Operation) -> Callable[[Any], Any]:
    dst = op._attrs["DstT"]._np
    src = op._attrs["SrcT"]
    if src.is_complex and not op._attrs["DstT"].is_complex:
        return lambda x: np.real(x).astype(dst)
    return lambda x: np.asarray(x).astype(dst)


def _fold_cast(t: Tensor) -> Any:
    v = constant_value(t._op._inputs[0])
    return None if v is None else v.astype(t._dtype._np)


CONSTANT_FOLDERS["Cast"] = _fold_cast
SHAPE_FOLDERS["Cast"] = lambda t: constant_value_as_shape(t._op._inputs[0])


@RegisterGradient("Cast")
def _cast_grad(op: Operation, grad: Tensor) -> Any:
    src = op._attrs["SrcT"]
    dst = op._attrs["DstT"]
    if (src.is_floating or src.is_complex) and (dst.is_floating or dst.is_complex):
        return cast(grad, src)
    return None


def saturate_cast(value: Any, dtype: Any, name: str | None = None) -> Tensor:
    dt = _dtypes.as_dtype(dtype)
    t = convert_to_tensor(value)
    if (dt.is_integer or dt.is_floating) and (t._dtype.is_floating or t._dtype.is_integer):
        lo = max(float(t._dtype.min), float(dt.min))
        hi = min(float(t._dtype.max), float(dt.max))
        t = builders.clip_by_value(t, strict(lo, t._dtype), strict(hi, t._dtype))
    return cast(t, dt, name=name)


def to_float(x: Any, name: str = "ToFloat") -> Tensor:
    return cast(x, _dtypes.float32, name=name)


def to_double(x: Any, name: str = "ToDouble") -> Tensor:
    return cast(x, _dtypes.float64, name=name)


def to_int32(x: Any, name: str = "ToInt32") -> Tensor:
    return cast(x, _dtypes.int32, name=name)


def to_int64(x: Any, name: str = "ToInt64") -> Tensor:
    return cast(x, _dtypes.int64, name=name)


builders.register(globals(), [*__all__, "broadcast_shape"])
