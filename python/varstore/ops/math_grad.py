"""The gradients of the binary math ops (AddV2, Sub, Mul, RealDiv, DivNoNan, FloorMod,
Maximum, Minimum, SquaredDifference, Pow), as TF's math_grad.py builds them: each operand's
gradient summed over the axes it was broadcast along (static axes when the shapes decide
them, TF's BroadcastGradientArgs otherwise). The ops themselves are math_ops.py's."""

from __future__ import annotations

from typing import Any

from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.ops import Operation, RegisterGradient, Tensor, builders
from varstore.ops.array_ops import reshape, shape_of
from varstore.ops.math_ops import (
    div_no_nan,
    floordiv,
    greater,
    greater_equal,
    less_equal,
    multiply,
    pow,
    realdiv,
    subtract,
)

__all__: list[str] = []


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
    return _pair(op, grad, builders.negative(grad))


@RegisterGradient("Mul")
def _mul_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    sx = x._shape
    if (isinstance(grad, Tensor) and sx is not None and None not in sx
            and sx == y._shape == grad._shape and grad._dtype.name in ("int32", "float32")):
        # TF's fast path for equal, fully known shapes: both products take grad first
        return [multiply(grad, y), multiply(grad, x)]
    if x._dtype.is_complex:  # TF multiplies by the conjugates (a no-op for real tensors)
        x, y = builders.conj(x), builders.conj(y)
    return _pair(op, multiply(grad, y), multiply(x, grad))


@RegisterGradient("RealDiv")
def _realdiv_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    return _pair(op, realdiv(grad, y), multiply(grad, realdiv(realdiv(builders.negative(x), y), y)))


@RegisterGradient("DivNoNan")
def _div_no_nan_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    return _pair(op, div_no_nan(grad, y),
                 multiply(grad, div_no_nan(div_no_nan(builders.negative(x), y), y)))


@RegisterGradient("FloorMod")
def _floormod_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    return _pair(op, grad, multiply(grad, builders.negative(floordiv(x, y))))


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
    return _pair(op, gx, builders.negative(gx))


@RegisterGradient("Pow")
def _pow_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    z = op._outputs[0]
    one = convert_to_tensor(1, dtype=y._dtype)
    gx = multiply(multiply(grad, y), pow(x, subtract(y, one)))
    if x._dtype.is_floating:
        zero = builders.zeros_like(x)
        safe_x = builders.where(greater(x, zero), x, builders.ones_like(x))
        log_x = builders.where(greater(x, zero), builders.log(safe_x), zero)
        gy = multiply(multiply(grad, z), log_x)
    else:
        gy = None
    return _pair(op, gx, gy)
