"""Element-wise unary math (abs, neg, exp, log, sqrt, sigmoid, tanh, trig, rounding, logical_not
...) and cast, each with its dtype checks, kernel and gradient (TF's math_ops)."""

from __future__ import annotations

import functools
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
from varstore.framework.indexed_slices import IndexedSlices
from varstore.framework.op_def_library import (
    check_allowed,
    check_same_graph,
    first_input,
)
from varstore.framework.ops import (
    OPERATORS,
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.ops.math_ops import (
    _binary_factory,
    _binary_function,
    _out,
    check_opdef_type,
    multiply,
    opdef_types,
)

__all__ = [
    "abs",
    "cast",
    "ceil",
    "cos",
    "erf",
    "exp",
    "expm1",
    "floor",
    "is_finite",
    "is_inf",
    "is_nan",
    "log",
    "log1p",
    "logical_not",
    "negative",
    "reciprocal",
    "rint",
    "round",
    "rsqrt",
    "saturate_cast",
    "sigmoid",
    "sign",
    "sin",
    "sqrt",
    "square",
    "tanh",
    "to_complex64",
    "to_complex128",
    "to_double",
    "to_float",
    "to_int32",
    "to_int64",
]

DType = _dtypes.DType
_bool = _dtypes.bool

# Allowed values of each op's type attribute, in the order TF lists them.
_NEG_TYPES = ("bfloat16, float16, float32, float64, int8, int16, int32, int64, complex64, "
              "complex128")
_FLOAT_TYPES = "bfloat16, float16, float32, float64, complex64, complex128"


# -- unary ops ------------------------------------------------------------------------------------
def _unary(op_type: str, x: Any, name: str | None, default: str, allowed: str | None,
           param: str = "x", out_dtype: DType | None = None) -> Tensor:
    graph = check_same_graph(x)
    full = graph._op_name(name, default)
    with scope_of(graph, full):
        t = first_input(x, param)
    # the recorded OpDef's list is TF's check; the hand-written one stands in without an OpDef
    if opdef_types(op_type) is not None:
        check_opdef_type(op_type, t._dtype)
    elif allowed is not None and t._dtype.name not in allowed.split(", "):
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
    """``tf.abs``: op ``Abs``; ``ComplexAbs`` (the real magnitude) of a complex tensor, as
    TF's math_ops.abs."""
    graph = check_same_graph(x)
    full = graph._op_name(name, "Abs")
    with scope_of(graph, full):
        t = first_input(x, "x")
    if t._dtype.is_complex:
        out = t._dtype.real_dtype
        return _out(make_op(graph, full, "ComplexAbs", [t], {"T": t._dtype, "Tout": out},
                            [(out, t._shape)]))
    check_opdef_type("Abs", t._dtype)
    return _out(make_op(graph, full, "Abs", [t], {"T": t._dtype}, [(t._dtype, t._shape)]))


def sign(x: Any, name: str | None = None) -> Tensor:
    """``tf.sign``: op ``Sign``; for a complex tensor TF's x / |x| instead (DivNoNan of x by
    its ComplexAbs cast back to complex, 0 where x is 0), so its gradient is not zero."""
    t = x if isinstance(x, Tensor) else convert_to_tensor(x)  # TF converts it unscoped
    if not t._dtype.is_complex:
        return _unary("Sign", t, name, "Sign", None)
    graph = check_same_graph(t)
    real = t._dtype.real_dtype
    mag = _out(make_op(graph, graph._op_name(None, "ComplexAbs"), "ComplexAbs", [t],
                       {"T": t._dtype, "Tout": real}, [(real, t._shape)]))
    return _binary_function("DivNoNan", "DivNoNan", t, cast(mag, t._dtype), name)


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


# Sigmoid / Tanh's OpDef types (their order is TF's message)
_SIGMOID_TANH_TYPES = "bfloat16, float16, float32, float64, complex64, complex128"


def sigmoid(x: Any, name: str | None = None) -> Tensor:
    """``tf.sigmoid``: op ``Sigmoid``."""
    graph = check_same_graph(x)
    full = graph._op_name(name, "Sigmoid")
    with scope_of(graph, full):
        t = first_input(x, "x")
    if t._dtype.name not in _SIGMOID_TANH_TYPES.split(", "):
        check_allowed(t._dtype, _SIGMOID_TANH_TYPES, "x")
    return _out(make_op(graph, full, "Sigmoid", [t], {"T": t._dtype}, [(t._dtype, t._shape)]))


def tanh(x: Any, name: str | None = None) -> Tensor:
    """``tf.tanh``: op ``Tanh``."""
    graph = check_same_graph(x)
    full = graph._op_name(name, "Tanh")
    with scope_of(graph, full):
        t = first_input(x, "x")
    if t._dtype.name not in _SIGMOID_TANH_TYPES.split(", "):
        check_allowed(t._dtype, _SIGMOID_TANH_TYPES, "x")
    return _out(make_op(graph, full, "Tanh", [t], {"T": t._dtype}, [(t._dtype, t._shape)]))


def round(x: Any, name: str | None = None) -> Tensor:
    """``tf.round``: banker's rounding, op ``Round``."""
    t = convert_to_tensor(x)
    if t._dtype.is_integer:
        return t
    return _unary("Round", t, name, "Round", None)


def rint(x: Any, name: str | None = None) -> Tensor:
    """``tf.math.rint``: op ``Rint``, round half to even (TF registers no gradient flow)."""
    return _unary("Rint", x, name, "Rint", "bfloat16, float16, float32, float64")


def logical_not(x: Any, name: str | None = None) -> Tensor:
    graph = check_same_graph(x)
    full = graph._op_name(name, "LogicalNot")
    with scope_of(graph, full):
        t = convert_to_tensor(x, dtype=_bool, name="x")
    return _out(make_op(graph, full, "LogicalNot", [t], {}, [(_bool, t._shape)]))


# (TF's IsNan / IsInf / IsFinite take real floating tensors only)
_REAL_FLOAT_TYPES = "bfloat16, float16, float32, float64"


def is_nan(x: Any, name: str | None = None) -> Tensor:
    return _unary("IsNan", x, name, "IsNan", _REAL_FLOAT_TYPES, out_dtype=_bool)


def is_inf(x: Any, name: str | None = None) -> Tensor:
    return _unary("IsInf", x, name, "IsInf", _REAL_FLOAT_TYPES, out_dtype=_bool)


def is_finite(x: Any, name: str | None = None) -> Tensor:
    return _unary("IsFinite", x, name, "IsFinite", _REAL_FLOAT_TYPES, out_dtype=_bool)


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
    return grad * sign(op._inputs[0])


@RegisterGradient("Sign")
def _sign_grad(op: Operation, grad: Tensor) -> Tensor:
    # TF's _SignGrad: zeros (a Const when the shape is known), not None
    return builders.zeros_like(op._inputs[0])  # type: ignore[no-any-return]


@RegisterGradient("Square")
def _square_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        # TF's complex gradients are taken against the conjugates (Conj is a no-op if real)
        x = _conj(op._inputs[0])
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


# TF's SqrtGrad / RsqrtGrad / ReciprocalGrad kernels conjugate y themselves; SigmoidGrad and
# TanhGrad do not (their Python gradients conjugate y first)
_GRAD_KERNELS: dict[str, Callable[..., Any]] = {
    "SqrtGrad": lambda y, dy: dy * 0.5 / np.conj(y),
    "RsqrtGrad": lambda y, dy: dy * (-0.5) * np.conj(y) ** 3,
    "SigmoidGrad": _sigmoid_grad_np,
    "TanhGrad": lambda y, dy: dy * (1 - y * y),
    "ReciprocalGrad": lambda y, dy: -dy * np.conj(y) ** 2,
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
    with builders.control_dependencies([grad]):
        return _grad_op("SigmoidGrad", _conj(op._outputs[0]), grad)


@RegisterGradient("Tanh")
def _tanh_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        return _grad_op("TanhGrad", _conj(op._outputs[0]), grad)


@RegisterGradient("Reciprocal")
def _reciprocal_grad(op: Operation, grad: Tensor) -> Tensor:
    # (no Conj op: TF's ReciprocalGrad kernel conjugates y itself)
    return _grad_op("ReciprocalGrad", op._outputs[0], grad)


def _conj(x: Tensor) -> Tensor:
    # TF's math_ops.conj: the tensor itself unless complex
    return builders.conj(x) if x._dtype.is_complex else x


@RegisterGradient("SqrtGrad")
def _sqrt_grad_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    a = op._inputs[0]
    y = op._outputs[0]  # y = 0.5 * b / conj(a)
    with builders.control_dependencies([grad]):
        ga = grad / a
        return [-_conj(ga) * y, 0.5 * ga]


@RegisterGradient("RsqrtGrad")
def _rsqrt_grad_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    a, b = op._inputs  # a = x^(-1/2), b = the backprop gradient for a
    with builders.control_dependencies([grad]):
        ca = _conj(a)
        cg = _conj(grad)
        grad_a = -1.5 * cg * b * square(ca)
        return [grad_a, _grad_op("RsqrtGrad", ca, grad)]


@RegisterGradient("ReciprocalGrad")
def _reciprocal_grad_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    b = op._inputs[1]  # y = -b * conj(a)^2
    with builders.control_dependencies([grad]):
        ca = _conj(op._inputs[0])
        cg = _conj(grad)
        return [cg * -2.0 * b * ca, _grad_op("ReciprocalGrad", ca, grad)]


@RegisterGradient("Inv")
def _inv_grad(op: Operation, grad: Tensor) -> Tensor:
    return _grad_op("ReciprocalGrad", op._outputs[0], grad)


@RegisterGradient("SigmoidGrad")
def _sigmoid_grad_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    with builders.control_dependencies([grad]):
        a = _conj(op._inputs[0])  # TF's: against the conjugates (no-ops for real tensors)
        b = _conj(op._inputs[1])
        gb = grad * b
        return [gb - 2.0 * gb * a, _grad_op("SigmoidGrad", a, grad)]


@RegisterGradient("TanhGrad")
def _tanh_grad_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    with builders.control_dependencies([grad]):
        a = _conj(op._inputs[0])
        b = _conj(op._inputs[1])
        return [grad * -2.0 * b * a, _grad_op("TanhGrad", a, grad)]


@RegisterGradient("Exp")
def _exp_grad(op: Operation, grad: Tensor) -> Tensor:
    # TF builds these with its operators (op "mul") under a control dependency on grad
    with builders.control_dependencies([grad]):
        return grad * _conj(op._outputs[0])


@RegisterGradient("Expm1")
def _expm1_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        return grad * exp(_conj(op._inputs[0]))


@RegisterGradient("Log")
def _log_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        return grad * reciprocal(_conj(op._inputs[0]))


@RegisterGradient("Log1p")
def _log1p_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        return grad * reciprocal(1 + _conj(op._inputs[0]))


@RegisterGradient("Sin")
def _sin_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        return grad * cos(_conj(op._inputs[0]))


@RegisterGradient("Cos")
def _cos_grad(op: Operation, grad: Tensor) -> Tensor:
    with builders.control_dependencies([grad]):
        return -grad * sin(_conj(op._inputs[0]))


@RegisterGradient("Erf")
def _erf_grad(op: Operation, grad: Tensor) -> Tensor:
    x = op._inputs[0]
    two_over_root_pi = convert_to_tensor(2.0 / np.sqrt(np.pi), dtype=grad._dtype)
    with builders.control_dependencies([grad]):
        return grad * two_over_root_pi * exp(-square(x))


# -- cast -------------------------------------------------------------------------------------------
def cast(x: Any, dtype: Any, name: str | None = None) -> Tensor:
    """``tf.cast``: op ``Cast``; a tensor of that dtype already is returned unchanged.
    Floats to integers truncate toward zero."""
    dt = _dtypes.as_dtype(dtype)
    if isinstance(x, Tensor) and x._dtype is dt:
        return x
    from varstore.framework.indexed_slices import IndexedSlices
    from varstore.framework.sparse_tensor import SparseTensor
    if isinstance(x, (SparseTensor, IndexedSlices)):
        # TF casts the values under the Cast name scope, keeping indices and shape
        graph = check_same_graph(x.values)
        values = cast(x.values, dt, name=graph._op_name(name, "Cast") + "/")
        if isinstance(x, SparseTensor):
            return SparseTensor(x.indices, values, x.dense_shape)  # type: ignore[return-value]
        return IndexedSlices(values, x.indices, x.dense_shape)  # type: ignore[return-value]
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
        if isinstance(grad, IndexedSlices):  # stays sparse, as TF's _CastGrad
            return IndexedSlices(cast(grad.values, src), grad.indices, grad.dense_shape)
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


def to_complex64(x: Any, name: str = "ToComplex64") -> Tensor:
    return cast(x, _dtypes.complex64, name=name)


def to_complex128(x: Any, name: str = "ToComplex128") -> Tensor:
    return cast(x, _dtypes.complex128, name=name)


def _neg_operator(x: Any) -> Tensor:
    return _unary("Neg", x, None, "Neg", _NEG_TYPES)


OPERATORS["neg"] = _neg_operator
OPERATORS["abs"] = lambda x: abs(x)  # tf.abs: this module's abs shadows the builtin


def _invert_operator(x: Any) -> Tensor:
    """``~x``: TF's invert_, logical_not for booleans and the bitwise Invert otherwise."""
    t = convert_to_tensor(x)
    if t._dtype is _bool:
        return logical_not(t)
    return builders.invert(t)  # type: ignore[no-any-return]


OPERATORS["invert"] = _invert_operator



# -- SparseTensor arguments -----------------------------------------------------------------------
def sparse_values_map(fn: Callable[..., Tensor], default: str | None) -> Callable[..., Any]:
    """TF's _UnaryMapValueDispatcher (sparse_ops.py), for the unary ops TF lists: a SparseTensor
    argument gives SparseTensor(indices, fn(values), dense_shape). TF reaches it only after the
    dense call has failed, and that attempt has already taken the name (``name`` or
    ``default``; None: the op converts its input before naming anything, as tf.sign)."""
    @functools.wraps(fn)
    def f(*args: Any, **kwargs: Any) -> Any:
        x = args[0] if args else kwargs.get("x")
        from varstore.framework.sparse_tensor import SparseTensor
        if not isinstance(x, SparseTensor):
            return fn(*args, **kwargs)
        rest = args[1:] if args else ()
        kw = {k: v for k, v in kwargs.items() if k != "x"}
        if default is not None:
            name = kw.get("name", rest[0] if rest else None)
            check_same_graph(x.values)._op_name(name, default)
        return SparseTensor(x.indices, fn(x.values, *rest, **kw), x.dense_shape)
    return f


abs = sparse_values_map(abs, "Abs")
negative = sparse_values_map(negative, "Neg")
sign = sparse_values_map(sign, None)
square = sparse_values_map(square, "Square")
sqrt = sparse_values_map(sqrt, "Sqrt")
erf = sparse_values_map(erf, "Erf")
tanh = sparse_values_map(tanh, "Tanh")
sin = sparse_values_map(sin, "Sin")

builders.register(globals(), __all__)
