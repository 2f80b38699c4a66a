"""``tf.keras.layers.InputSpec``: the one tf.layers uses too (layers/input_spec.py; in TF,
tf.layers' InputSpec is the Keras class)."""

from __future__ import annotations

from varstore.layers.input_spec import InputSpec, assert_input_compatibility

__all__ = ["InputSpec", "assert_input_compatibility"]
