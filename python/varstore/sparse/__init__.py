"""``tf.sparse``: TF1's sparse namespace over the sparse op families (varstore.ops.sparse_*,
embedding and segment ops) and the SparseTensor class (framework/sparse_tensor.py)."""

from __future__ import annotations

from varstore.framework.sparse_tensor import SparseTensor, SparseTensorValue
from varstore.ops.sparse_array_ops import sparse_concat as concat
from varstore.ops.sparse_array_ops import sparse_fill_empty_rows as fill_empty_rows
from varstore.ops.sparse_array_ops import sparse_reshape as reshape
from varstore.ops.sparse_math_ops import sparse_add as add
from varstore.ops.sparse_math_ops import sparse_maximum as maximum
from varstore.ops.sparse_math_ops import sparse_minimum as minimum
from varstore.ops.sparse_math_ops import sparse_reduce_max as reduce_max
from varstore.ops.sparse_math_ops import sparse_reduce_max_sparse as reduce_max_sparse
from varstore.ops.sparse_math_ops import sparse_reduce_sum as reduce_sum
from varstore.ops.sparse_math_ops import sparse_reduce_sum_sparse as reduce_sum_sparse
from varstore.ops.sparse_ops import sparse_placeholder as placeholder
from varstore.ops.sparse_ops import sparse_reorder as reorder
from varstore.ops.sparse_ops import sparse_retain as retain
from varstore.ops.sparse_ops import sparse_softmax as softmax
from varstore.ops.sparse_ops import sparse_tensor_dense_matmul as matmul
from varstore.ops.sparse_ops import sparse_tensor_dense_matmul as sparse_dense_matmul
from varstore.ops.sparse_ops import sparse_tensor_to_dense as to_dense
from varstore.ops.sparse_segment_ops import sparse_segment_mean as segment_mean
from varstore.ops.sparse_segment_ops import sparse_segment_sqrt_n as segment_sqrt_n
from varstore.ops.sparse_segment_ops import sparse_segment_sum as segment_sum
from varstore.ops.sparse_slice_ops import sparse_slice as slice
from varstore.ops.sparse_slice_ops import sparse_split as split
from varstore.ops.sparse_transform_ops import from_dense
from varstore.ops.sparse_transform_ops import sparse_expand_dims as expand_dims
from varstore.ops.sparse_transform_ops import sparse_eye as eye
from varstore.ops.sparse_transform_ops import sparse_mask as mask
from varstore.ops.sparse_transform_ops import sparse_merge as merge
from varstore.ops.sparse_transform_ops import sparse_reset_shape as reset_shape
from varstore.ops.sparse_transform_ops import sparse_to_indicator as to_indicator
from varstore.ops.sparse_transform_ops import sparse_transpose as transpose

__all__ = [
    "SparseTensor",
    "SparseTensorValue",
    "add",
    "concat",
    "expand_dims",
    "eye",
    "fill_empty_rows",
    "from_dense",
    "mask",
    "matmul",
    "maximum",
    "merge",
    "minimum",
    "placeholder",
    "reduce_max",
    "reduce_max_sparse",
    "reduce_sum",
    "reduce_sum_sparse",
    "reorder",
    "reset_shape",
    "reshape",
    "retain",
    "segment_mean",
    "segment_sqrt_n",
    "segment_sum",
    "slice",
    "softmax",
    "sparse_dense_matmul",
    "split",
    "to_dense",
    "to_indicator",
    "transpose",
]


def __getattr__(name: str) -> object:
    """A tf.sparse symbol varstore does not implement: an AttributeError that says so."""
    raise AttributeError(f"module 'varstore.sparse' has no attribute {name!r}: varstore "
                         f"lacks tf.sparse.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
