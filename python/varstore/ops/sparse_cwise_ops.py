"""Sparse-dense coefficient-wise ops (TF's gen_sparse_ops SparseDenseCwiseAdd / Mul / Div):
a dense operand broadcast to the sparse one's dense shape, combined with its present entries
only. They are what ``sp * dense``, ``dense * sp`` and ``sp / dense`` build (TF's
SparseTensor operator overloads) and what SparseSoftmax's gradient uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import (
    Operation,
    RegisterGradient,
    Tensor,
    builders,
    make_op,
    register_kernel,
)
from varstore.framework.sparse_tensor import SparseTensor
from varstore.ops.sparse_math_ops import _dbg

__all__ = [
    "sparse_dense_cwise_add",
    "sparse_dense_cwise_div",
    "sparse_dense_cwise_mul",
]

_int64 = _dtypes.int64
# TF's math_ops._TRUEDIV_TABLE: what `/` casts each dtype to (None: itself).
_TRUEDIV = {"uint8": _dtypes.float32, "int8": _dtypes.float32, "uint16": _dtypes.float32,
            "int16": _dtypes.float32, "uint32": _dtypes.float64, "uint64": _dtypes.float64,
            "int32": _dtypes.float64, "int64": _dtypes.float64, "bfloat16": None,
            "float16": None, "float32": None, "float64": None, "complex64": None,
            "complex128": None}


def _cwise(op_type: str, sp_indices: Tensor, sp_values: Tensor, sp_shape: Tensor,
           dense: Tensor, name: str | None) -> Tensor:
    graph = check_same_graph(sp_indices, sp_values, sp_shape, dense)
    full = graph._op_name(name, op_type)
    if dense._dtype is not sp_values._dtype:
        raise TypeError(f"Input 'dense' of '{op_type}' Op has type {dense._dtype.name} that "
                        f"does not match type {sp_values._dtype.name} of argument 'sp_values'.")
    rows = None if sp_indices._shape is None else sp_indices._shape[0]
    op = make_op(graph, full, op_type, [sp_indices, sp_values, sp_shape, dense],
                 {"T": sp_values._dtype}, [(sp_values._dtype, (rows,))])
    return op._outputs[0]


def sparse_dense_cwise_add(sp_t: SparseTensor, dense_t: Any) -> SparseTensor:
    """TF's sparse_ops.sparse_dense_cwise_add: op SparseDenseCwiseAdd, a SparseTensor with
    the same indices."""
    result = _cwise("SparseDenseCwiseAdd", sp_t.indices, sp_t.values, sp_t.dense_shape,
                    dense_t, None)
    return SparseTensor(sp_t.indices, result, sp_t.dense_shape)


def sparse_dense_cwise_mul(sp_t: SparseTensor, dense_t: Any,
                           name: str | None = None) -> SparseTensor:
    """The values of ``sp_t`` times ``dense_t`` at their indices (op SparseDenseCwiseMul)."""
    result = _cwise("SparseDenseCwiseMul", sp_t.indices, sp_t.values, sp_t.dense_shape,
                    dense_t, name)
    return SparseTensor(sp_t.indices, result, sp_t.dense_shape)


def sparse_dense_cwise_div(sp_t: SparseTensor, dense_t: Any,
                           name: str | None = None) -> SparseTensor:
    """The values of ``sp_t`` divided by ``dense_t`` at their indices (SparseDenseCwiseDiv)."""
    result = _cwise("SparseDenseCwiseDiv", sp_t.indices, sp_t.values, sp_t.dense_shape,
                    dense_t, name)
    return SparseTensor(sp_t.indices, result, sp_t.dense_shape)


# -- the SparseTensor operators (TF's override_binary_operator_helper for SparseTensor) ---------
def sparse_tensor_mul(sp_x: SparseTensor, y: Any) -> SparseTensor:
    """``sp_x * y`` (SparseTensor.__mul__): op SparseDenseCwiseMul named ``mul``."""
    with name_scope(None, "mul", [sp_x.indices, sp_x.values, y]) as scope:
        yt = convert_to_tensor(y, dtype=sp_x.dtype, name="y")
        return SparseTensor(sp_x.indices, _cwise("SparseDenseCwiseMul", sp_x.indices,
                                                 sp_x.values, sp_x.dense_shape, yt, scope),
                            sp_x.dense_shape)


def sparse_tensor_truediv(sp_x: SparseTensor, y: Any) -> SparseTensor:
    """``sp_x / y`` (TF's _sparse_dense_truediv): integers are divided as floats (its truediv
    table)."""
    with name_scope(None, "truediv", [sp_x.indices, sp_x.values, y]) as scope:
        yt = convert_to_tensor(y, dtype=sp_x.dtype, name="y")
        values = sp_x.values
        x_dtype, y_dtype = values.dtype, yt.dtype
        if x_dtype is not y_dtype:
            raise TypeError(f"`x` and `y` must have the same dtype, got {x_dtype!r} != "
                            f"{y_dtype!r}.")
        if x_dtype.name not in _TRUEDIV:
            raise TypeError(f"Invalid dtype {x_dtype!r} in __truediv__. Expected one of "
                            f"{{{', '.join(repr(_dtypes.as_dtype(k)) for k in _TRUEDIV)}}}.")
        target = _TRUEDIV[x_dtype.name]
        if target is not None:
            values = builders.cast(values, target)
            yt = builders.cast(yt, target)
        return SparseTensor(sp_x.indices, _cwise("SparseDenseCwiseDiv", sp_x.indices, values,
                                                 sp_x.dense_shape, yt, scope),
                            sp_x.dense_shape)


def dense_mul_sparse(x: Tensor, sp_y: SparseTensor, name: str) -> SparseTensor:
    """TF's _mul_dispatch for ``dense * sparse``: SparseDenseCwiseMul named ``name``."""
    return SparseTensor(sp_y.indices, _cwise("SparseDenseCwiseMul", sp_y.indices, sp_y.values,
                                             sp_y.dense_shape, x, name), sp_y.dense_shape)




# -- kernels --------------------------------------------------------------------------------------
def _cwise_kernel(fn: Callable[[np.ndarray, np.ndarray], np.ndarray]
                  ) -> Callable[[Operation], Callable[..., Any]]:
    def factory(op: Operation) -> Callable[..., Any]:
        def kernel(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray,
                   dense: np.ndarray) -> np.ndarray:
            if idx.ndim != 2:
                raise ValueError(f"Input sp_indices should be a matrix but received shape: "
                                 f"{_dbg(idx)}")
            if vals.ndim != 1 or shape.ndim != 1:
                raise ValueError(f"Inputs sp_values and sp_shape should be vectors but "
                                 f"received shapes: {_dbg(vals)} and {_dbg(shape)}")
            if vals.shape[0] != idx.shape[0]:
                raise ValueError(f"The first dimension of values and indices should match. "
                                 f"({vals.shape[0]} vs. {idx.shape[0]})")
            if shape.size != idx.shape[1]:
                raise ValueError(f"Number of dimensions must match second dimension of "
                                 f"indices. Got {shape.size} dimensions, indices shape: "
                                 f"{_dbg(idx)}")
            dims = tuple(int(d) for d in shape)
            try:
                ok = np.broadcast_shapes(dims, dense.shape) == dims
            except ValueError:
                ok = False
            if not ok:
                raise ValueError(f"SparseDenseBinaryOpShared broadcasts dense to sparse only; "
                                 f"got incompatible shapes: [{','.join(str(d) for d in dims)}]"
                                 f" vs. {_dbg(dense)}")
            full = np.broadcast_to(dense, dims)
            if idx.shape[0] and (np.any(idx < 0) or np.any(idx >= np.array(dims))):
                raise ValueError("Provided indices are out-of-bounds w.r.t. dense side with "
                                 "broadcasted shape")
            picked = full[tuple(idx.T)] if idx.shape[0] else np.zeros(0, dense.dtype)
            return np.asarray(fn(vals, picked)).astype(vals.dtype)
        return kernel
    return factory


def _divide(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    if x.dtype.kind in "iu":
        return np.trunc(x / y)  # type: ignore[no-any-return]
    return np.true_divide(x, y)  # type: ignore[no-any-return]


register_kernel("SparseDenseCwiseAdd")(_cwise_kernel(np.add))
register_kernel("SparseDenseCwiseMul")(_cwise_kernel(np.multiply))
register_kernel("SparseDenseCwiseDiv")(_cwise_kernel(_divide))


# -- gradients ------------------------------------------------------------------------------------
@RegisterGradient("SparseDenseCwiseAdd")
def _sparse_dense_cwise_add_grad(unused_op: Operation, unused_grad: Any) -> Any:
    raise NotImplementedError("Gradient for SparseDenseCwiseAdd is not implemented.")


def _mul_or_div_grad(op: Operation, grad: Tensor, is_mul: bool) -> list[Any]:
    """sparse_grad._SparseDenseCwiseMulOrDivGrad: the dense operand gathered at each entry's
    (broadcast-scaled) index; its own gradient summed back by SparseTensorDenseAdd."""
    x_indices, x_shape, y = op._inputs[0], op._inputs[2], op._inputs[3]
    y_shape = builders.cast(builders.shape(y), _int64)
    num_added = builders.expand_dims(builders.size(x_shape) - builders.size(y_shape), 0)
    augmented = builders.concat([builders.ones(num_added, _int64), y_shape], 0)
    scaling = x_shape // augmented
    scaled = x_indices // scaling
    scaled = builders.slice(scaled, builders.concat([[0], num_added], 0), [-1, -1])
    dense_vals = builders.gather_nd(y, scaled)
    if is_mul:
        dx = grad * dense_vals
        dy_val = grad * op._inputs[1]
    else:
        dx = grad / dense_vals
        dy_val = grad * (-op._inputs[1] / builders.square(dense_vals))
    dy = builders.sparse_add(builders.zeros_like(y), SparseTensor(scaled, dy_val, y_shape))
    return [None, dx, None, dy]


RegisterGradient("SparseDenseCwiseMul")(lambda op, grad: _mul_or_div_grad(op, grad, True))
RegisterGradient("SparseDenseCwiseDiv")(lambda op, grad: _mul_or_div_grad(op, grad, False))


builders.register(globals(), [*__all__, "dense_mul_sparse", "sparse_tensor_mul",
                              "sparse_tensor_truediv"])
