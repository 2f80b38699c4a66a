"""``tf.bitwise``: BitwiseAnd, BitwiseOr, BitwiseXor, Invert, LeftShift and RightShift on
integers (TF's gen_bitwise_ops), with the kernels' semantics: a shift amount is clamped to
[0, bits - 1] (so shifting by the width or more, or by a negative amount, never wraps around
as C's undefined shifts would), left shifts are done on the unsigned representation and right
shifts are arithmetic for signed types. TF registers none of them as differentiable.

The ``&``, ``|``, ``^`` and ``~`` operators of integer tensors build these ops too (TF's
``and_``, ``or_``, ``xor_`` and ``invert_``); booleans keep the logical ops."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.framework.op_def_library import (
    check_allowed,
    check_same_graph,
    first_input,
    typed_input,
)
from varstore.framework.ops import NotDifferentiable, Tensor, builders, register_kernel, scope_of
from varstore.ops.math_ops import _binary_factory, _binary_node
from varstore.ops.math_unary_ops import _unary

__all__ = [
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "invert",
    "left_shift",
    "right_shift",
]

_INT_TYPES = "int8, int16, int32, int64, uint8, uint16, uint32, uint64"


def _binary(op_type: str, doc: str) -> Callable[..., Tensor]:
    def f(x: Any, y: Any, name: str | None = None) -> Tensor:
        graph = check_same_graph(x, y)
        full = graph._op_name(name, op_type)
        with scope_of(graph, full):
            tx = first_input(x, "x")
            ty = typed_input(y, tx._dtype, op_type, "y", "x")
        check_allowed(tx._dtype, _INT_TYPES, "x")
        return _binary_node(graph, full, op_type, tx, ty)
    f.__doc__ = doc
    return f


bitwise_and = _binary("BitwiseAnd", "``tf.bitwise.bitwise_and``: op ``BitwiseAnd``.")
bitwise_or = _binary("BitwiseOr", "``tf.bitwise.bitwise_or``: op ``BitwiseOr``.")
bitwise_xor = _binary("BitwiseXor", "``tf.bitwise.bitwise_xor``: op ``BitwiseXor``.")
left_shift = _binary("LeftShift", "``tf.bitwise.left_shift``: op ``LeftShift``; the shift is "
                     "clamped to [0, bits - 1].")
right_shift = _binary("RightShift", "``tf.bitwise.right_shift``: op ``RightShift`` "
                      "(arithmetic for signed types); the shift is clamped to [0, bits - 1].")
for _f, _n in ((bitwise_and, "bitwise_and"), (bitwise_or, "bitwise_or"),
               (bitwise_xor, "bitwise_xor"), (left_shift, "left_shift"),
               (right_shift, "right_shift")):
    _f.__name__ = _f.__qualname__ = _n


def invert(x: Any, name: str | None = None) -> Tensor:
    """``tf.bitwise.invert``: op ``Invert``, every bit flipped."""
    return _unary("Invert", x, name, "Invert", _INT_TYPES)


# -- kernels ------------------------------------------------------------------------------------
def _clamped_shift(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    bits = np.dtype(x.dtype).itemsize * 8
    return np.asarray(np.clip(y, 0, bits - 1))


def _left_shift(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    # TF shifts the unsigned representation (no signed-overflow UB): int8 1 << 7 is -128
    unsigned = np.dtype(f"u{np.dtype(x.dtype).itemsize}")
    ux = np.asarray(x).astype(unsigned)
    out = np.left_shift(ux, _clamped_shift(x, y).astype(unsigned))
    return np.asarray(out).astype(x.dtype)


def _right_shift(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.asarray(np.right_shift(x, _clamped_shift(x, y).astype(x.dtype))).astype(x.dtype)


_KERNELS: dict[str, Callable[..., Any]] = {
    "BitwiseAnd": np.bitwise_and, "BitwiseOr": np.bitwise_or, "BitwiseXor": np.bitwise_xor,
    "Invert": np.invert, "LeftShift": _left_shift, "RightShift": _right_shift}
for _t, _fn in _KERNELS.items():
    register_kernel(_t)(_binary_factory(_fn))
    NotDifferentiable(_t)

builders.register(globals(), __all__)
