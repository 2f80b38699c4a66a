"""The gradient of FusedBatchNormGradV3 (second derivatives of batch normalisation), as TF's
nn_fused_batch_norm_grad.py: FusedBatchNormGradV3's result rebuilt from element-wise ops
(_BatchNormGrad) under a GradientTape, whose gradient is the answer."""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.ops import Operation, RegisterGradient, Tensor, builders
from varstore.ops import backprop

__all__: list[str] = []


def _batch_norm_grad(grad_y: Tensor, x: Tensor, scale: Tensor, pop_mean: Tensor,
                     pop_var: Tensor, epsilon: float, data_format: str, is_training: bool
                     ) -> tuple[Tensor, Tensor, Tensor]:
    """TF's _BatchNormGrad: (grad_x, grad_scale, grad_offset) from differentiable ops."""
    x_dtype = x._dtype
    if x_dtype is _dtypes.float16:
        x = builders.cast(x, _dtypes.float32)
        grad_y = builders.cast(grad_y, _dtypes.float32)
    nc = data_format.startswith("NC")
    axes = {"NHWC": [0, 1, 2], "NDHWC": [0, 1, 2, 3], "NCHW": [0, 2, 3],
            "NCDHW": [0, 2, 3, 4]}[data_format]
    ones = [1] * (len(axes) - 1)
    if is_training:
        if nc:
            scale = builders.reshape(scale, [1, builders.size(scale), *ones])
        mean_grad_y = builders.reduce_mean(grad_y, axes, keepdims=nc)
        mean_x = builders.reduce_mean(x, axes, keepdims=nc)
        var_x = builders.reduce_mean(
            builders.squared_difference(x, builders.stop_gradient(mean_x)), axes, keepdims=nc)
        grad_y_offset = grad_y - mean_grad_y
        x_offset = x - mean_x
        mean = builders.reduce_mean(grad_y * x_offset, axis=axes, keepdims=nc)
        grad_x = scale * builders.rsqrt(var_x + epsilon) * (
            grad_y_offset - builders.reciprocal(var_x + epsilon) * mean * x_offset)
        grad_scale = builders.rsqrt(var_x + epsilon) * builders.reduce_sum(
            grad_y * x_offset, axis=axes, keepdims=nc)
        if nc:
            grad_scale = builders.squeeze(grad_scale)
        grad_offset = builders.reduce_sum(grad_y, axis=axes)
        return builders.cast(grad_x, x_dtype), grad_scale, grad_offset
    if nc:
        shape = [1, builders.size(pop_mean), *ones]
        pop_mean = builders.reshape(pop_mean, shape)
        pop_var = builders.reshape(pop_var, shape)
        scale = builders.reshape(scale, shape)
    grad_offset = builders.reduce_sum(grad_y, axis=axes)
    var_rsqrt = builders.rsqrt(pop_var + epsilon)
    grad_scale = builders.reduce_sum(grad_y * (x - pop_mean) * var_rsqrt, axis=axes)
    grad_x = grad_y * scale * var_rsqrt
    return builders.cast(grad_x, x_dtype), grad_scale, grad_offset


@RegisterGradient("FusedBatchNormGradV3")
def _fused_bn_grad_grad(op: Operation, *grad: Any) -> list[Any]:
    grad_y, x, scale, pop_mean, pop_var = op._inputs[:5]
    with backprop.GradientTape() as tape:
        tape.watch(grad_y)
        tape.watch(x)
        tape.watch(scale)
        grads = _batch_norm_grad(grad_y, x, scale, pop_mean, pop_var, op._attrs["epsilon"],
                                 op._attrs["data_format"], op._attrs["is_training"])
        grad_initial = [grad[0], grad[1], grad[2]]
    gg_y, g_x, g_scale = tape.gradient(list(grads), [grad_y, x, scale], grad_initial)
    return [gg_y, g_x, g_scale, None, None, None]
