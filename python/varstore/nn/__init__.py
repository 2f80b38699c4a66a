"""``tf.nn``: activations, convolution, pooling, losses and normalisation."""

from __future__ import annotations

from varstore.nn import rnn_cell
from varstore.ops.math_unary_ops import sigmoid, tanh
from varstore.ops.nn_conv_ops import (
    conv2d,
    conv2d_backprop_filter,
    conv2d_backprop_input,
    conv2d_transpose,
)
from varstore.ops.nn_impl import (
    batch_normalization,
    dropout,
    embedding_lookup,
    fused_batch_norm,
    l2_normalize,
    moments,
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2,
    sparse_softmax_cross_entropy_with_logits,
    weighted_cross_entropy_with_logits,
    zero_fraction,
)
from varstore.ops.nn_ops import (
    bias_add,
    elu,
    in_top_k,
    l2_loss,
    leaky_relu,
    log_softmax,
    relu,
    relu6,
    selu,
    softmax,
    softplus,
    softsign,
)
from varstore.ops.nn_pool_ops import avg_pool, max_pool, max_pool2d
from varstore.ops.rnn import (
    bidirectional_dynamic_rnn,
    dynamic_rnn,
    static_bidirectional_rnn,
    static_rnn,
)

__all__ = [
    "avg_pool",
    "batch_normalization",
    "bias_add",
    "bidirectional_dynamic_rnn",
    "conv2d",
    "conv2d_backprop_filter",
    "conv2d_backprop_input",
    "conv2d_transpose",
    "dropout",
    "dynamic_rnn",
    "elu",
    "embedding_lookup",
    "fused_batch_norm",
    "in_top_k",
    "l2_loss",
    "l2_normalize",
    "leaky_relu",
    "log_softmax",
    "max_pool",
    "max_pool2d",
    "moments",
    "relu",
    "relu6",
    "rnn_cell",
    "selu",
    "sigmoid",
    "sigmoid_cross_entropy_with_logits",
    "softmax",
    "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2",
    "softplus",
    "softsign",
    "sparse_softmax_cross_entropy_with_logits",
    "static_bidirectional_rnn",
    "static_rnn",
    "tanh",
    "weighted_cross_entropy_with_logits",
    "zero_fraction",
]
