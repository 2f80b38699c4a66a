"""tf-keras' ``Masking`` layer (``layers/core/masking.py``): timesteps whose features all
equal ``mask_value`` are zeroed and masked for the layers after it."""

from __future__ import annotations

from typing import Any

from varstore.keras._tensor_attrs import set_attr
from varstore.keras.engine.base_layer import Layer
from varstore.ops import array_ops, math_ops, math_reduce_ops, math_unary_ops

__all__ = ["Masking"]


class Masking(Layer):
    def __init__(self, mask_value: Any = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True
        self.mask_value = mask_value

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        return math_reduce_ops.reduce_any(math_ops.not_equal(inputs, self.mask_value),
                                          axis=-1)

    def call(self, inputs: Any) -> Any:
        boolean_mask = math_reduce_ops.reduce_any(
            math_ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=True)
        outputs = inputs * math_unary_ops.cast(boolean_mask, inputs.dtype)
        # call computes the mask with the output (tf-keras' _compute_output_and_mask_jointly)
        set_attr(outputs, "_keras_mask", array_ops.squeeze(boolean_mask, axis=-1))
        return outputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "mask_value": self.mask_value}
