"""The op families (TF's ``tensorflow/python/ops``). Importing this package registers every
op type's kernel and gradient."""

from __future__ import annotations

from varstore.ops import (  # noqa: F401 - imported for their registrations
    array_fill_ops,
    array_ops,
    array_scatter_ops,
    array_slicing_ops,
    array_sort_ops,
    array_space_ops,
    array_stack_ops,
    array_transform_ops,
    control_flow_ops,
    data_flow_ops,
    gradients_impl,
    image_color_ops,
    image_ops,
    image_ops_impl,
    init_ops,
    io_ops,
    linalg_diag_ops,
    linalg_einsum_ops,
    linalg_ops,
    list_ops,
    math_matmul_ops,
    math_misc_ops,
    math_moments_ops,
    math_ops,
    math_reduce_ops,
    math_segment_ops,
    math_sequence_ops,
    math_special_ops,
    math_unary_ops,
    nn_conv_ops,
    nn_depthwise_ops,
    nn_lrn_topk_ops,
    nn_norm_ops,
    nn_ops,
    nn_pool_ops,
    random_ops,
    sparse_ops,
    state_ops,
    tensor_array_ops,
    while_v2,
)

__all__: list[str] = []
