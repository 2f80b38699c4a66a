"""TF's CTC label helpers built from other ops (tensorflow/python/ops/ctc_ops.py):
``tf.nn.collapse_repeated`` and ``tf.nn.ctc_unique_labels``."""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.ops import Tensor
from varstore.ops import (
    array_fill_ops,
    array_ops,
    array_scatter_ops,
    array_sort_ops,
    array_stack_ops,
    array_transform_ops,
    functional_ops,
    math_ops,
    math_reduce_ops,
    math_sequence_ops,
    math_unary_ops,
)

__all__ = ["collapse_repeated", "ctc_unique_labels"]


def _get_dim(tensor: Tensor, i: int) -> Any:
    """TF's _get_dim: the static size of dimension i when known, else a shape slice."""
    shape = tensor._shape
    if shape is not None and shape[i]:
        return shape[i]
    return array_ops.shape(tensor)[i]


def collapse_repeated(labels: Any, seq_length: Any, name: str | None = None
                      ) -> tuple[Tensor, Tensor]:
    """``tf.nn.collapse_repeated``: runs of a repeated label merged to one, per row of the
    [batch, max_len] ``labels``; the collapsed labels (zero-padded) and their lengths."""
    with name_scope(name, "collapse_repeated_labels", [labels, seq_length]):
        labels = convert_to_tensor(labels, name="labels")
        seq_length = convert_to_tensor(seq_length, name="seq_length")
        label_mask = array_stack_ops.concat([
            array_fill_ops.ones_like(labels[:, :1], _dtypes.bool),
            math_ops.not_equal(labels[:, 1:], labels[:, :-1])], axis=1)
        maxlen = _get_dim(labels, 1)
        seq_mask = array_transform_ops.sequence_mask(seq_length, maxlen=maxlen)
        label_mask = math_ops.logical_and(label_mask, seq_mask)
        new_seq_len = math_reduce_ops.reduce_sum(
            math_unary_ops.cast(label_mask, _dtypes.int32), axis=1)
        new_maxlen = math_reduce_ops.reduce_max(new_seq_len)
        idx_mask = array_transform_ops.sequence_mask(new_seq_len, maxlen=new_maxlen)
        flat_labels = array_ops.reshape(labels, [-1])
        flat_label_mask = array_ops.reshape(label_mask, [-1])
        flat_idx_mask = array_ops.reshape(idx_mask, [-1])
        idx = math_sequence_ops.range(_get_dim(flat_idx_mask, 0))
        flat = array_scatter_ops.scatter_nd(
            indices=array_ops.expand_dims(
                array_transform_ops.boolean_mask(idx, flat_idx_mask), axis=1),
            updates=array_transform_ops.boolean_mask(flat_labels, flat_label_mask),
            shape=array_ops.shape(flat_idx_mask))
        batch_size = _get_dim(labels, 0)
        return (array_ops.reshape(flat, [batch_size, new_maxlen]),
                math_unary_ops.cast(new_seq_len, seq_length.dtype))


def ctc_unique_labels(labels: Any, name: str | None = None) -> Any:
    """``tf.nn.ctc_unique_labels``: per row of the [batch, max_len] ``labels``, its unique
    labels in order of first appearance (zero-padded, int64) and each label's index into
    them (int32)."""
    with name_scope(name, "ctc_unique_labels", [labels]):
        labels = convert_to_tensor(labels, name="labels")

        def _unique(x: Tensor) -> list[Tensor]:
            u = array_sort_ops.unique(x)
            y = array_transform_ops.pad(u.y, [[0, _get_dim(u.idx, 0) - _get_dim(u.y, 0)]])
            y = math_unary_ops.cast(y, _dtypes.int64)
            return [y, u.idx]

        return functional_ops.map_fn(_unique, labels, dtype=[_dtypes.int64, _dtypes.int32])
