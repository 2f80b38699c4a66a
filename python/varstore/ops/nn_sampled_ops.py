"""TF's sampled losses (nn_impl.py): ``tf.nn.nce_loss`` and ``tf.nn.sampled_softmax_loss``.

Both are built as TF's ``_compute_sampled_logits`` builds them, op for op and under TF's
names: a log-uniform candidate sampler (unless ``sampled_values`` are given) behind
StopGradients, one embedding lookup of the true and sampled ids in the weights and one in the
biases (lists of weight shards go through the partitioned lookup, by ``partition_strategy``),
the true logits as row-wise dot products, the sampled ones as a matmul, accidental hits
masked with SparseToDense, and log Q subtracted. So a seeded loss samples TF's candidates and
its gradients reach the weights, the biases and the inputs through the same ops as in TF.
"""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.ops import Tensor
from varstore.ops import (
    array_fill_ops,
    array_ops,
    array_slicing_ops,
    array_stack_ops,
    candidate_sampling_ops,
    embedding_ops,
    math_matmul_ops,
    math_ops,
    math_unary_ops,
    nn_impl,
    sparse_ops,
)

__all__ = ["nce_loss", "sampled_softmax_loss"]


def _sum_rows(x: Tensor) -> Tensor:
    """Each row's sum as a matmul with a column of ones: TF's _sum_rows, chosen there for its
    cheaper gradient than reduce_sum's (and kept here for TF's ops and values)."""
    cols = array_ops.shape(x)[1]
    ones_shape = array_stack_ops.stack([cols, 1])
    ones = array_fill_ops.ones(ones_shape, x.dtype)
    return array_ops.reshape(math_matmul_ops.matmul(x, ones), [-1])


def _as_tensor(value: Any) -> Any:
    # A variable stays one: TF reads it where each op takes it (``MatMul/ReadVariableOp``).
    if isinstance(value, Tensor) or hasattr(type(value), "_as_tensor"):
        return value
    return convert_to_tensor(value)


def _cast(x: Tensor, dtype: Any) -> Tensor:
    # TF's math_ops.cast returns a tensor of the dtype already as it is.
    return x if x.dtype == dtype else math_unary_ops.cast(x, dtype)


def _compute_sampled_logits(weights: Any, biases: Any, labels: Any, inputs: Any,
                            num_sampled: int, num_classes: int, num_true: int = 1,
                            sampled_values: Any = None, subtract_log_q: bool = True,
                            remove_accidental_hits: bool = False,
                            partition_strategy: str = "mod", name: str | None = None,
                            seed: int | None = None) -> tuple[Tensor, Tensor]:
    """TF's _compute_sampled_logits: ([batch, num_true + num_sampled] logits, their labels
    (1 / num_true for the true classes, 0 for the sampled))."""
    if hasattr(type(weights), "_get_variable_list"):
        weights = list(weights._get_variable_list())  # a PartitionedVariable's shards
    if not isinstance(weights, list):
        weights = [weights]
    with name_scope(name, "compute_sampled_logits", [*weights, biases, inputs, labels]):
        labels = _as_tensor(labels)
        inputs = _as_tensor(inputs)
        if labels.dtype != _dtypes.int64:
            labels = math_unary_ops.cast(labels, _dtypes.int64)
        labels_flat = array_ops.reshape(labels, [-1])

        # sampled: [num_sampled]; true_expected_count: [batch, num_true];
        # sampled_expected_count: [num_sampled].
        if sampled_values is None:
            sampled_values = candidate_sampling_ops.log_uniform_candidate_sampler(
                true_classes=labels, num_true=num_true, num_sampled=num_sampled, unique=True,
                range_max=num_classes, seed=seed)
        sampled, true_expected_count, sampled_expected_count = (
            array_ops.stop_gradient(s) for s in sampled_values)
        sampled = _cast(sampled, _dtypes.int64)

        # The true ids then the sampled ones, looked up at once in the weights and biases.
        all_ids = array_stack_ops.concat([labels_flat, sampled], 0)
        all_w = embedding_ops.embedding_lookup(weights, all_ids,
                                         partition_strategy=partition_strategy)
        if all_w.dtype != inputs.dtype:
            all_w = math_unary_ops.cast(all_w, inputs.dtype)
        n_true = array_ops.shape(labels_flat)[0]
        true_w = array_slicing_ops.slice(all_w, [0, 0], array_stack_ops.stack([n_true, -1]))
        sampled_w = array_slicing_ops.slice(
            all_w, array_stack_ops.stack([array_ops.shape(labels_flat)[0], 0]), [-1, -1])
        # [batch, dim] x [num_sampled, dim]' -> [batch, num_sampled]
        sampled_logits = math_matmul_ops.matmul(inputs, sampled_w, transpose_b=True)

        all_b = embedding_ops.embedding_lookup(biases, all_ids,
                                         partition_strategy=partition_strategy)
        if all_b.dtype != inputs.dtype:
            all_b = math_unary_ops.cast(all_b, inputs.dtype)
        true_b = array_slicing_ops.slice(all_b, [0], array_ops.shape(labels_flat))
        sampled_b = array_slicing_ops.slice(all_b, array_ops.shape(labels_flat), [-1])

        # The true logits: row-wise dots of [batch, 1, dim] and [batch, num_true, dim].
        dim = array_ops.shape(true_w)[1:2]
        new_true_w_shape = array_stack_ops.concat([[-1, num_true], dim], 0)
        row_wise_dots = math_ops.multiply(array_ops.expand_dims(inputs, 1),
                                          array_ops.reshape(true_w, new_true_w_shape))
        dots_as_matrix = array_ops.reshape(row_wise_dots,
                                           array_stack_ops.concat([[-1], dim], 0))
        true_logits = array_ops.reshape(_sum_rows(dots_as_matrix), [-1, num_true])
        true_b = array_ops.reshape(true_b, [-1, num_true])
        true_logits += true_b
        sampled_logits += sampled_b

        if remove_accidental_hits:
            acc_indices, acc_ids, acc_weights = candidate_sampling_ops.compute_accidental_hits(
                labels, sampled, num_true=num_true)
            # [row, position] pairs, as SparseToDense takes its indices.
            acc_indices_2d = array_ops.reshape(acc_indices, [-1, 1])
            acc_ids_2d_int32 = array_ops.reshape(math_unary_ops.cast(acc_ids, _dtypes.int32),
                                                 [-1, 1])
            sparse_indices = array_stack_ops.concat([acc_indices_2d, acc_ids_2d_int32], 1,
                                                    "sparse_indices")
            sampled_logits_shape = array_stack_ops.concat(
                [array_ops.shape(labels)[:1], array_ops.expand_dims(num_sampled, 0)], 0)
            if sampled_logits.dtype != acc_weights.dtype:
                acc_weights = math_unary_ops.cast(acc_weights, sampled_logits.dtype)
            sampled_logits += sparse_ops.sparse_to_dense(
                sparse_indices, sampled_logits_shape, acc_weights, default_value=0.0,
                validate_indices=False)

        if subtract_log_q:
            # Q(l), the chance that l is among the sampled.
            true_logits -= math_unary_ops.log(true_expected_count)
            sampled_logits -= math_unary_ops.log(sampled_expected_count)

        out_logits = array_stack_ops.concat([true_logits, sampled_logits], 1)
        # Each row's true labels sum to 1.
        out_labels = array_stack_ops.concat([
            array_fill_ops.ones_like(true_logits) / num_true,
            array_fill_ops.zeros_like(sampled_logits)], 1)
        return out_logits, out_labels


def nce_loss(weights: Any, biases: Any, labels: Any, inputs: Any, num_sampled: int,
             num_classes: int, num_true: int = 1, sampled_values: Any = None,
             remove_accidental_hits: bool = False, partition_strategy: str = "mod",
             name: str = "nce_loss") -> Tensor:
    """``tf.nn.nce_loss`` (TF1): the [batch] noise-contrastive estimation loss, a logistic
    loss of the true and sampled logits (``sampled_losses``) summed per row."""
    logits, out_labels = _compute_sampled_logits(
        weights=weights, biases=biases, labels=labels, inputs=inputs,
        num_sampled=num_sampled, num_classes=num_classes, num_true=num_true,
        sampled_values=sampled_values, subtract_log_q=True,
        remove_accidental_hits=remove_accidental_hits,
        partition_strategy=partition_strategy, name=name)
    sampled_losses = nn_impl.sigmoid_cross_entropy_with_logits(
        labels=out_labels, logits=logits, name="sampled_losses")
    return _sum_rows(sampled_losses)


def sampled_softmax_loss(weights: Any, biases: Any, labels: Any, inputs: Any,
                         num_sampled: int, num_classes: int, num_true: int = 1,
                         sampled_values: Any = None, remove_accidental_hits: bool = True,
                         partition_strategy: str = "mod", name: str = "sampled_softmax_loss",
                         seed: int | None = None) -> Tensor:
    """``tf.nn.sampled_softmax_loss`` (TF1): the [batch] softmax cross-entropy over the true
    and sampled logits, the labels behind a StopGradient (``labels_stop_gradient``)."""
    logits, out_labels = _compute_sampled_logits(
        weights=weights, biases=biases, labels=labels, inputs=inputs,
        num_sampled=num_sampled, num_classes=num_classes, num_true=num_true,
        sampled_values=sampled_values, subtract_log_q=True,
        remove_accidental_hits=remove_accidental_hits,
        partition_strategy=partition_strategy, name=name, seed=seed)
    out_labels = array_ops.stop_gradient(out_labels, name="labels_stop_gradient")
    return nn_impl.softmax_cross_entropy_with_logits_v2(labels=out_labels, logits=logits)
