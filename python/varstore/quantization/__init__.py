"""``tf.quantization``: fake quantization for quantization-aware training
(varstore.ops.fake_quant_ops). The quantized-dtype ops (quantize, dequantize,
quantized_concat ...) need TF's qint8 / quint8 dtypes, which varstore does not have: they
raise an AttributeError naming them."""

from __future__ import annotations

from varstore.ops.fake_quant_ops import (
    fake_quant_with_min_max_args,
    fake_quant_with_min_max_args_gradient,
    fake_quant_with_min_max_vars,
    fake_quant_with_min_max_vars_gradient,
    fake_quant_with_min_max_vars_per_channel,
    fake_quant_with_min_max_vars_per_channel_gradient,
)

__all__ = [
    "fake_quant_with_min_max_args",
    "fake_quant_with_min_max_args_gradient",
    "fake_quant_with_min_max_vars",
    "fake_quant_with_min_max_vars_gradient",
    "fake_quant_with_min_max_vars_per_channel",
    "fake_quant_with_min_max_vars_per_channel_gradient",
]


def __getattr__(name: str) -> object:
    """A tf.quantization symbol varstore does not implement: an AttributeError naming it."""
    raise AttributeError(f"module 'varstore.quantization' has no attribute {name!r}: varstore "
                         f"lacks tf.quantization.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
