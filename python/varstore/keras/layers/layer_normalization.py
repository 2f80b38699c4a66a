"""tf-keras' LayerNormalization: over trailing contiguous axes in float32 (epsilon >=
1.001e-5) TF's fused trick (the input reshaped to [1, pre, in, 1], FusedBatchNormV3 in NCHW
with unit scale and zero offset, reshaped back, then gamma and beta); otherwise moments
and batch_normalization."""

from __future__ import annotations

from typing import Any

from varstore.keras import constraints, initializers, regularizers
from varstore.keras.engine.base_layer import Layer
from varstore.keras.utils.generic_utils import serialize_optional as _ser
from varstore.layers.utils import axis_arg, validate_axis
from varstore.ops import array_fill_ops, array_ops, math_reduce_ops, math_unary_ops, nn_impl

__all__ = ["LayerNormalization"]


class LayerNormalization(Layer):
    def __init__(self, axis: Any = -1, epsilon: float = 1e-3, center: bool = True,
                 scale: bool = True, beta_initializer: Any = "zeros",
                 gamma_initializer: Any = "ones", beta_regularizer: Any = None,
                 gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis: Any = axis_arg(axis)
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self._fused = False

    def _fused_can_be_used(self, ndims: int) -> bool:
        axis = sorted(self.axis)
        can = axis[-1] == ndims - 1 and axis[-1] - axis[0] == len(axis) - 1
        return can and self.epsilon >= 1.001e-5 and self.dtype == "float32"

    def build(self, input_shape: Any) -> None:
        dims = None if input_shape.ndims is None else tuple(input_shape.as_list())
        self.axis = validate_axis(self.axis, dims)
        assert dims is not None
        param_shape = [dims[d] for d in self.axis]
        self.gamma = (self.add_weight(name="gamma", shape=param_shape,
                                      initializer=self.gamma_initializer,
                                      regularizer=self.gamma_regularizer,
                                      constraint=self.gamma_constraint, trainable=True)
                      if self.scale else None)
        self.beta = (self.add_weight(name="beta", shape=param_shape,
                                     initializer=self.beta_initializer,
                                     regularizer=self.beta_regularizer,
                                     constraint=self.beta_constraint, trainable=True)
                     if self.center else None)
        self._fused = self._fused_can_be_used(len(dims))
        self.built = True

    def call(self, inputs: Any) -> Any:
        if inputs.dtype.base_dtype.name != self.dtype:
            inputs = math_unary_ops.cast(inputs, self.dtype)
        dims = inputs.shape.as_list()
        ndims = len(dims)
        broadcast_shape = [1] * ndims
        for d in self.axis:
            broadcast_shape[d] = dims[d]

        def broadcast(v: Any) -> Any:
            if v is not None and len(v.shape) != ndims and self.axis != [ndims - 1]:
                return array_ops.reshape(v, broadcast_shape)
            return v

        if not self._fused:
            mean, variance = nn_impl.moments(inputs, self.axis, keep_dims=True)
            outputs = nn_impl.batch_normalization(inputs, mean, variance,
                                                  offset=broadcast(self.beta),
                                                  scale=broadcast(self.gamma),
                                                  variance_epsilon=self.epsilon)
        else:
            axis = sorted(self.axis)
            tensor_shape = array_ops.shape(inputs)
            pre_dim = math_reduce_ops.reduce_prod(tensor_shape[:axis[0]])
            in_dim = math_reduce_ops.reduce_prod(tensor_shape[axis[0]:])
            x = array_ops.reshape(inputs, [1, pre_dim, in_dim, 1])
            ones = array_fill_ops.ones([pre_dim], dtype=self.dtype)
            zeros = array_fill_ops.zeros([pre_dim], dtype=self.dtype)
            outputs, _, _ = nn_impl.fused_batch_norm(x, scale=ones, offset=zeros,
                                                     epsilon=self.epsilon,
                                                     data_format="NCHW")
            outputs = array_ops.reshape(outputs, tensor_shape)
            scale, offset = broadcast(self.gamma), broadcast(self.beta)
            if scale is not None:
                outputs = outputs * scale
            if offset is not None:
                outputs = outputs + offset
        outputs.set_shape(dims)
        return outputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": _ser(regularizers, self.beta_regularizer),
                "gamma_regularizer": _ser(regularizers, self.gamma_regularizer),
                "beta_constraint": _ser(constraints, self.beta_constraint),
                "gamma_constraint": _ser(constraints, self.gamma_constraint)}
