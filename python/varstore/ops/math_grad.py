"""The gradients of the binary math ops (AddV2, Sub, Mul, RealDiv, DivNoNan, FloorMod,
Maximum, Minimum, SquaredDifference, Pow), as TF's math_grad.py builds them: each operand's
gradient summed over the axes it was broadcast along (static axes when the shapes decide
them, TF's BroadcastGradientArgs otherwise). The ops themselves are math_ops.py's."""

from __future__ import annotations

from typing import Any

from varstore.framework.ops import Operation, RegisterGradient, Tensor, builders
from varstore.ops.array_ops import reshape
from varstore.ops.math_ops import (
    div_no_nan,
    greater_equal,
    less_equal,
    multiply,
    pow,
    realdiv,
)

__all__ = ["reduce_gradient_args"]


# -- gradients of the binary ops -----------------------------------------------------------------
def _conj(t: Tensor) -> Tensor:
    """TF's math_ops.conj inside the gradients: a Conj op for a complex operand (the complex
    gradients are taken against the conjugates), the tensor itself for a real one."""
    return builders.conj(t) if t._dtype.is_complex else t


def _infer_axes(sx: tuple[int | None, ...] | None, sy: tuple[int | None, ...] | None
                ) -> tuple[list[int] | None, list[int] | None]:
    """TF's _InferGradientReductionAxes: the axes each operand was broadcast along, when the
    static shapes decide them (else None, None: BroadcastGradientArgs decides at run time)."""
    if sx is None or sy is None:
        return None, None
    rank = max(len(sx), len(sy))
    x_axes: list[int] = []
    y_axes: list[int] = []
    for axis in range(rank):
        a = 1 if axis < rank - len(sx) else sx[axis - (rank - len(sx))]
        b = 1 if axis < rank - len(sy) else sy[axis - (rank - len(sy))]
        if a == 1 and b != 1:
            x_axes.append(axis)
        elif b == 1 and a != 1:
            y_axes.append(axis)
        elif a is None or b is None:
            return None, None
    return x_axes, y_axes


def _pair(op: Operation, gx: Tensor | None, gy: Tensor | None) -> list[Any]:
    x, y = op._inputs[:2]
    return reduce_gradient_args(x, y, gx, gy)


def reduce_gradient_args(x: Tensor, y: Tensor, gx: Tensor | None, gy: Tensor | None
                         ) -> list[Any]:
    """TF's _ReduceGradientArgs: each operand's gradient summed (keepdims) over the axes it
    was broadcast along and reshaped to its shape; the shapes always built (tf.shape), the
    axes static when the shapes decide them, else BroadcastGradientArgs."""
    if gx is None and gy is None:
        return [None, None]
    shape_x, shape_y = builders.shape(x), builders.shape(y)
    axes_x, axes_y = _infer_axes(x._shape, y._shape)
    if axes_x is None or axes_y is None:
        rx, ry = builders.broadcast_gradient_args(shape_x, shape_y)
        reduce_x = reduce_y = True
        ax: Any = rx
        ay: Any = ry
    else:
        assert x._shape is not None and y._shape is not None
        ax, ay = axes_x, axes_y
        reduce_x = bool(axes_x) or len(x._shape) < len(y._shape)
        reduce_y = bool(axes_y) or len(y._shape) < len(x._shape)
    return [_reduce_arg(gx, shape_x, ax, reduce_x), _reduce_arg(gy, shape_y, ay, reduce_y)]


def _reduce_arg(grad: Tensor | None, shape: Tensor, axes: Any, must_reduce: bool) -> Any:
    if grad is not None and must_reduce:
        # (keepdims: TF's choice, which spares Sum's own gradient a reshape)
        grad = builders.reduce_sum(grad, axes, keepdims=True)
        grad = reshape(grad, shape)
    return grad


def _same_full_shapes(x: Tensor, y: Tensor, grad: Any) -> bool:
    # TF's _ShapesFullySpecifiedAndEqual
    sx = x._shape
    return (isinstance(grad, Tensor) and sx is not None and None not in sx
            and sx == y._shape == grad._shape)


@RegisterGradient("AddV2")
def _add_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    if _same_full_shapes(x, y, grad):
        return [grad, grad]
    return _pair(op, grad, grad)


RegisterGradient("Add")(_add_grad)


@RegisterGradient("Sub")
def _sub_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    if _same_full_shapes(x, y, grad):
        return [grad, -grad]
    return _pair(op, grad, -grad)


@RegisterGradient("Mul")
def _mul_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    if _same_full_shapes(x, y, grad) and grad._dtype.name in ("int32", "float32"):
        # TF's fast path: both products take grad first
        return [multiply(grad, y), multiply(grad, x)]
    if x._dtype.is_complex:  # TF multiplies by the conjugates (a no-op for real tensors)
        x, y = builders.conj(x), builders.conj(y)
    return _pair(op, multiply(grad, y), multiply(x, grad))


@RegisterGradient("RealDiv")
def _realdiv_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = _conj(op._inputs[0]), _conj(op._inputs[1])
    return _pair(op, realdiv(grad, y), grad * realdiv(realdiv(-x, y), y))


@RegisterGradient("DivNoNan")
def _div_no_nan_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = _conj(op._inputs[0]), _conj(op._inputs[1])
    return _pair(op, div_no_nan(grad, y), grad * div_no_nan(div_no_nan(-x, y), y))


@RegisterGradient("FloorMod")
def _floormod_grad(op: Operation, grad: Tensor) -> list[Any]:
    x, y = op._inputs
    floor_xy = builders.floor_div(x, y)  # TF's math_ops.floor_div: op FloorDiv
    return _pair(op, grad, grad * builders.negative(floor_xy))


def _minmax_grad(op: Operation, grad: Tensor, ge: bool) -> list[Any]:
    x, y = op._inputs
    zeros = builders.zeros_like(grad)
    mask = greater_equal(x, y) if ge else less_equal(x, y)
    return _pair(op, builders.where_v2(mask, grad, zeros), builders.where_v2(mask, zeros, grad))


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
        gx = builders.scalar_mul(2.0, grad) * (x - y)
    if _same_full_shapes(x, y, grad):
        return [gx, -gx]
    return _pair(op, gx, -gx)


@RegisterGradient("Pow")
def _pow_grad(op: Operation, grad: Tensor) -> list[Any]:
    x = op._inputs[0]
    cx, cy = _conj(x), _conj(op._inputs[1])
    gx = grad * cy * pow(cx, cy - 1)
    mask = builders.not_equal(cx, 0) if x._dtype.is_complex else cx > 0
    safe_x = builders.where(mask, cx, builders.ones_like(x))
    log_x = builders.where(mask, builders.log(safe_x), builders.zeros_like(x))
    gy = grad * _conj(op._outputs[0]) * log_x
    return _pair(op, gx, gy)
