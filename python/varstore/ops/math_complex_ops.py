"""Complex numbers: ``tf.complex`` (op Complex) and ``tf.real``, ``tf.imag``, ``tf.angle``,
``tf.conj`` (ops Real, Imag, Angle, Conj), as TF's math_ops builds them (each under its scope;
real tensors pass through real/conj, give zeros for imag and 0/pi for angle), with TF's
gradients (math_grad.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.graph import get_default_graph, name_scope
from varstore.framework.op_def_library import check_allowed
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    register_kernel,
)
from varstore.ops.array_fill_ops import ones_like, zeros_like
from varstore.ops.array_transform_ops import where
from varstore.ops.math_grad import _pair
from varstore.ops.math_ops import broadcast_shape, div_no_nan
from varstore.ops.math_unary_ops import reciprocal

__all__ = ["angle", "complex", "conj", "imag", "real"]

_COMPLEX_OF = {"float32": _dtypes.complex64, "float64": _dtypes.complex128}
_COMPLEX = "complex64, complex128"


def complex(real: Any, imag: Any, name: str | None = None) -> Tensor:
    """``tf.complex``: op ``Complex`` of two float32 (complex64) or float64 (complex128)
    tensors, broadcast against each other."""
    re = convert_to_tensor(real, name="real")
    im = convert_to_tensor(imag, name="imag")
    with name_scope(name, "Complex", [re, im]) as scope:
        if re._dtype is not im._dtype or re._dtype.name not in _COMPLEX_OF:
            raise TypeError(f"The `real` and `imag` components have incorrect types: "
                            f"{re._dtype.name} {im._dtype.name}. They must be consistent, and "
                            "one of [tf.float32, tf.float64]")
        tout = _COMPLEX_OF[re._dtype.name]
        graph = get_default_graph()
        full = graph._op_name(scope, "Complex")
        shape = broadcast_shape(full, "Complex", re, im)
        return make_op(graph, full, "Complex", [re, im], {"T": re._dtype, "Tout": tout},
                       [(tout, shape)])._outputs[0]


def _part(op_type: str, t: Tensor, scope: str) -> Tensor:
    check_allowed(t._dtype, _COMPLEX, "input")
    graph = get_default_graph()
    full = graph._op_name(scope, op_type)
    out = t._dtype.real_dtype
    return make_op(graph, full, op_type, [t], {"T": t._dtype, "Tout": out},
                   [(out, t._shape)])._outputs[0]


def real(input: Any, name: str | None = None) -> Tensor:
    """``tf.real``: op ``Real`` of a complex tensor; a real numeric tensor is returned."""
    with name_scope(name, "Real", [input]) as scope:
        t = convert_to_tensor(input, name="input")
        if t._dtype.is_complex:
            return _part("Real", t, scope)
        if t._dtype.is_floating or t._dtype.is_integer:
            return t
        raise TypeError(f"input must be a numeric tensor, but got tensor with dtype {t._dtype}")


def imag(input: Any, name: str | None = None) -> Tensor:
    """``tf.imag``: op ``Imag`` of a complex tensor; zeros for a real one."""
    with name_scope(name, "Imag", [input]) as scope:
        t = convert_to_tensor(input, name="input")
        if t._dtype.is_complex:
            return _part("Imag", t, scope)
        return zeros_like(t)


def angle(input: Any, name: str | None = None) -> Tensor:
    """``tf.angle``: op ``Angle`` (the argument) of a complex tensor; 0 or pi for a real one."""
    with name_scope(name, "Angle", [input]) as scope:
        t = convert_to_tensor(input, name="input")
        if t._dtype.is_complex:
            return _part("Angle", t, scope)
        return where(t < 0, np.pi * ones_like(t), zeros_like(t))


def conj(x: Any, name: str | None = None) -> Tensor:
    """``tf.conj``: op ``Conj`` of a complex tensor; a real tensor is returned as it is."""
    if isinstance(x, Tensor) and (x._dtype.is_floating or x._dtype.is_integer):
        return x
    with name_scope(name, "Conj", [x]) as scope:
        t = convert_to_tensor(x, name="x")
        if t._dtype.is_complex:
            graph = get_default_graph()
            full = graph._op_name(scope, "Conj")
            return make_op(graph, full, "Conj", [t], {"T": t._dtype},
                           [(t._dtype, t._shape)])._outputs[0]
        if t._dtype.is_floating or t._dtype.is_integer:
            return t
        raise TypeError(f"Expected numeric or variant tensor, got dtype {t._dtype!r}.")


# -- kernels ------------------------------------------------------------------------------------
def _factory(fn: Callable[..., Any], out_attr: str | None
             ) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        dt = op._attrs[out_attr or "T"]._np
        return lambda *xs: np.asarray(fn(*xs)).astype(dt)
    return factory


register_kernel("Complex")(_factory(lambda re, im: re + 1j * im, "Tout"))
register_kernel("Real")(_factory(np.real, "Tout"))
register_kernel("Imag")(_factory(np.imag, "Tout"))
register_kernel("Angle")(_factory(np.angle, "Tout"))
register_kernel("Conj")(_factory(np.conj, None))
register_kernel("ComplexAbs")(_factory(np.abs, "Tout"))


# -- gradients (math_grad.py) -------------------------------------------------------------------
@RegisterGradient("Complex")
def _complex_grad(op: Operation, grad: Tensor) -> list[Any]:
    return _pair(op, real(grad), imag(grad))


@RegisterGradient("Real")
def _real_grad(op: Operation, grad: Tensor) -> Tensor:
    return complex(grad, constant(0, dtype=grad._dtype))


@RegisterGradient("Imag")
def _imag_grad(op: Operation, grad: Tensor) -> Tensor:
    return complex(constant(0, dtype=grad._dtype), grad)


@RegisterGradient("Angle")
def _angle_grad(op: Operation, grad: Tensor) -> Tensor:
    x = op._inputs[0]
    with builders.control_dependencies([grad]):
        z = reciprocal(complex(imag(x), real(x)))
        complex_grad = complex(grad, constant(0, dtype=grad._dtype))
        return -complex_grad * z


@RegisterGradient("ComplexAbs")
def _complex_abs_grad(op: Operation, grad: Tensor) -> Tensor:
    return div_no_nan(complex(grad, zeros_like(grad)) * op._inputs[0],
                      complex(op._outputs[0], zeros_like(op._outputs[0])))


@RegisterGradient("Conj")
def _conj_grad(op: Operation, grad: Tensor) -> Tensor:
    return conj(grad)


builders.register(globals(), __all__)
