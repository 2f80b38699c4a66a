"""``tf.nn``: activations, convolution, pooling, losses and normalisation."""

from __future__ import annotations

from varstore.nn import rnn_cell
from varstore.ops.array_space_ops import depth_to_space, space_to_batch, space_to_depth
from varstore.ops.candidate_sampling_ops import (
    all_candidate_sampler,
    compute_accidental_hits,
    fixed_unigram_candidate_sampler,
    learned_unigram_candidate_sampler,
    log_uniform_candidate_sampler,
    uniform_candidate_sampler,
)
from varstore.ops.ctc_impl import collapse_repeated, ctc_unique_labels
from varstore.ops.ctc_ops import (
    ctc_beam_search_decoder,
    ctc_beam_search_decoder_v2,
    ctc_greedy_decoder,
    ctc_loss,
)
from varstore.ops.embedding_ops import (
    embedding_lookup,
    embedding_lookup_sparse,
    safe_embedding_lookup_sparse,
)
from varstore.ops.math_unary_ops import sigmoid, tanh
from varstore.ops.nn_argmax_dilation_ops import dilation2d, erosion2d, max_pool_with_argmax
from varstore.ops.nn_conv3d_ops import (
    conv3d,
    conv3d_backprop_filter,
    conv3d_backprop_filter_v2,
    conv3d_transpose,
)
from varstore.ops.nn_conv_ops import (
    conv2d,
    conv2d_backprop_filter,
    conv2d_backprop_input,
    conv2d_transpose,
)
from varstore.ops.nn_conv_transpose_ops import (
    atrous_conv2d_transpose,
    conv1d_transpose,
    conv_transpose,
)
from varstore.ops.nn_depthwise_ops import (
    atrous_conv2d,
    conv1d,
    convolution,
    depthwise_conv2d,
    depthwise_conv2d_native,
    depthwise_conv2d_native_backprop_filter,
    depthwise_conv2d_native_backprop_input,
    pool,
    separable_conv2d,
)
from varstore.ops.nn_impl import (
    batch_norm_with_global_normalization,
    batch_normalization,
    crelu,
    dropout,
    fused_batch_norm,
    l2_normalize,
    log_poisson_loss,
    moments,
    normalize_moments,
    relu_layer,
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2,
    sparse_softmax_cross_entropy_with_logits,
    sufficient_statistics,
    swish,
    weighted_cross_entropy_with_logits,
    weighted_moments,
    xw_plus_b,
    zero_fraction,
)
from varstore.ops.nn_impl_distribute import compute_average_loss, scale_regularization_loss
from varstore.ops.nn_lrn_topk_ops import local_response_normalization, lrn, top_k
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
from varstore.ops.nn_pool3d_ops import avg_pool3d, avg_pool_v2, max_pool3d, max_pool_v2
from varstore.ops.nn_pool_ops import avg_pool, avg_pool1d, max_pool, max_pool1d, max_pool2d
from varstore.ops.nn_sampled_ops import nce_loss, sampled_softmax_loss
from varstore.ops.rnn import (
    bidirectional_dynamic_rnn,
    dynamic_rnn,
    raw_rnn,
    static_bidirectional_rnn,
    static_rnn,
    static_state_saving_rnn,
)
from varstore.ops.space_to_batch_ops import with_space_to_batch

# TF 2 named swish silu; TF1 graph code uses either.
silu = swish
# TF1 exports the v1 avg_pool under both names (nn_ops.py: v1=["nn.avg_pool", "nn.avg_pool2d"]).
avg_pool2d = avg_pool
# TF1 exports the depthwise backprops under both names (nn_ops.py's v1 endpoints).
depthwise_conv2d_backprop_filter = depthwise_conv2d_native_backprop_filter
depthwise_conv2d_backprop_input = depthwise_conv2d_native_backprop_input

__all__ = [
    "all_candidate_sampler",
    "atrous_conv2d",
    "atrous_conv2d_transpose",
    "avg_pool",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "avg_pool_v2",
    "batch_norm_with_global_normalization",
    "batch_normalization",
    "bias_add",
    "bidirectional_dynamic_rnn",
    "collapse_repeated",
    "compute_accidental_hits",
    "compute_average_loss",
    "conv1d",
    "conv1d_transpose",
    "conv2d",
    "conv2d_backprop_filter",
    "conv2d_backprop_input",
    "conv2d_transpose",
    "conv3d",
    "conv3d_backprop_filter",
    "conv3d_backprop_filter_v2",
    "conv3d_transpose",
    "conv_transpose",
    "convolution",
    "crelu",
    "ctc_beam_search_decoder",
    "ctc_beam_search_decoder_v2",
    "ctc_greedy_decoder",
    "ctc_loss",
    "ctc_unique_labels",
    "depth_to_space",
    "depthwise_conv2d",
    "depthwise_conv2d_backprop_filter",
    "depthwise_conv2d_backprop_input",
    "depthwise_conv2d_native",
    "depthwise_conv2d_native_backprop_filter",
    "depthwise_conv2d_native_backprop_input",
    "dilation2d",
    "dropout",
    "dynamic_rnn",
    "elu",
    "embedding_lookup",
    "embedding_lookup_sparse",
    "erosion2d",
    "fixed_unigram_candidate_sampler",
    "fused_batch_norm",
    "in_top_k",
    "l2_loss",
    "l2_normalize",
    "leaky_relu",
    "learned_unigram_candidate_sampler",
    "local_response_normalization",
    "log_poisson_loss",
    "log_softmax",
    "log_uniform_candidate_sampler",
    "lrn",
    "max_pool",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
    "max_pool_v2",
    "max_pool_with_argmax",
    "moments",
    "nce_loss",
    "normalize_moments",
    "pool",
    "raw_rnn",
    "relu",
    "relu6",
    "relu_layer",
    "rnn_cell",
    "safe_embedding_lookup_sparse",
    "sampled_softmax_loss",
    "scale_regularization_loss",
    "selu",
    "separable_conv2d",
    "sigmoid",
    "sigmoid_cross_entropy_with_logits",
    "silu",
    "softmax",
    "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2",
    "softplus",
    "softsign",
    "space_to_batch",
    "space_to_depth",
    "sparse_softmax_cross_entropy_with_logits",
    "static_bidirectional_rnn",
    "static_rnn",
    "static_state_saving_rnn",
    "sufficient_statistics",
    "swish",
    "tanh",
    "top_k",
    "uniform_candidate_sampler",
    "weighted_cross_entropy_with_logits",
    "weighted_moments",
    "with_space_to_batch",
    "xw_plus_b",
    "zero_fraction",
]


def __getattr__(name: str) -> object:
    """A tf.nn symbol varstore does not build (fractional_max_pool, quantized_conv2d, ...): an
    AttributeError that says so (gelu too: TF1's tf.nn has none)."""
    raise AttributeError(f"module 'varstore.nn' has no attribute {name!r}: varstore lacks "
                         f"tf.nn.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
