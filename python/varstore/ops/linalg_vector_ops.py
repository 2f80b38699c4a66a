"""Products and norms along the innermost dimension (TF's gen_math_ops / math_ops / nn_impl):
op ``Cross`` (tf.linalg.cross, tf.cross) with its gradient (math_grad._CrossGrad), and the
composites tf.linalg.matvec and tf.linalg.normalize."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore.errors import FailedPreconditionError
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.op_def_library import (
    check_allowed,
    check_same_graph,
    first_input,
    typed_input,
)
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
from varstore.framework.tensor_shape import merge_error, shape_str
from varstore.ops.array_ops import attr_text, expand_dims, squeeze
from varstore.ops.linalg_ops import norm
from varstore.ops.math_matmul_ops import matmul

__all__ = ["cross", "matvec", "normalize"]

_CROSS_TYPES = ("float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, "
                "float16, uint32, uint64")


def cross(a: Any, b: Any, name: str | None = None) -> Tensor:
    """``tf.linalg.cross`` / ``tf.cross``: op ``Cross``, the cross products of the 3-vectors
    on the innermost dimension of two tensors of one shape."""
    graph = check_same_graph(a, b)
    full = graph._op_name(name, "Cross")
    with scope_of(graph, full):
        x = first_input(a, "a")
        y = typed_input(b, x._dtype, "Cross", "b", "a")
    check_allowed(x._dtype, _CROSS_TYPES, "a")
    attrs = attr_text({"T": x._dtype})
    xs, ys = x._shape, y._shape
    for s in (xs, ys):
        if s is not None and len(s) < 1:
            raise node_error("Shape must be at least rank 1 but is rank 0", full, "Cross",
                             attrs, [x, y])
    out = xs if ys is None else ys if xs is None else None
    if xs is not None and ys is not None:
        if len(xs) != len(ys) or any(p is not None and q is not None and p != q
                                     for p, q in zip(xs, ys)):
            raise node_error(merge_error(xs, ys), full, "Cross", attrs, [x, y])
        out = tuple(p if p is not None else q for p, q in zip(xs, ys))
    if out is not None and out[-1] is not None and out[-1] != 3:
        raise node_error(f"Dimension must be 3 but is {out[-1]}", full, "Cross", attrs, [x, y])
    return make_op(graph, full, "Cross", [x, y], {"T": x._dtype},
                   [(x._dtype, out)])._outputs[0]


@register_kernel("Cross")
def _cross_kernel(op: Operation) -> Callable[..., Any]:
    def kernel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.shape != b.shape:
            raise ValueError(f"Both inputs must be of same shape: {shape_str(a.shape)} vs. "
                             f"{shape_str(b.shape)}")
        if a.ndim < 1:
            raise ValueError(f"Input must be at least 1D{shape_str(a.shape)}")
        if a.shape[-1] != 3:
            raise FailedPreconditionError(None, None, "Cross-products are only defined for "
                                          "3-element vectors.")
        return np.cross(a, b).astype(a.dtype)
    return kernel


@RegisterGradient("Cross")
def _cross_grad(op: Operation, grad: Tensor) -> list[Tensor]:
    u, v = op._inputs
    return [cross(v, grad), cross(grad, u)]


def matvec(a: Any, b: Any, transpose_a: bool = False, adjoint_a: bool = False,
           a_is_sparse: bool = False, b_is_sparse: bool = False,
           name: str | None = None) -> Tensor:
    """``tf.linalg.matvec``: a @ b for the vectors on b's innermost dimension, under
    ``MatVec`` (a MatMul with b as a column, squeezed)."""
    graph = check_same_graph(a, b)
    full = graph._op_name(name, "MatVec")
    with scope_of(graph, full):
        output = matmul(a, expand_dims(b, axis=-1), transpose_a=transpose_a,
                        adjoint_a=adjoint_a, a_is_sparse=a_is_sparse,
                        b_is_sparse=b_is_sparse)
        return squeeze(output, axis=-1)


def normalize(tensor: Any, ord: Any = "euclidean", axis: Any = None,
              name: str | None = None) -> tuple[Tensor, Tensor]:
    """``tf.linalg.normalize``: (tensor / norm, norm), the norm kept with size-1 axes, under
    ``normalize``."""
    graph = check_same_graph(tensor)
    full = graph._op_name(name, "normalize")
    with scope_of(graph, full):
        x = convert_to_tensor(tensor)
        n = builders.cast(norm(x, ord, axis, keepdims=True), x._dtype)
        return x / n, n


builders.register(globals(), __all__)
