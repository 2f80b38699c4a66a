"""``tf.keras.utils`` (tf_keras' v1 namespace): label encodings, sequence padding, the
file cache, custom-object registration and ``Sequence``."""

from __future__ import annotations

from varstore.keras.utils.data_utils import Sequence, get_file
from varstore.keras.utils.generic_utils import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from varstore.keras.utils.np_utils import normalize, pad_sequences, to_categorical, to_ordinal
from varstore.keras.utils.vis_utils import model_to_dot, plot_model

__all__ = [
    "CustomObjectScope", "Sequence", "custom_object_scope", "get_custom_objects", "get_file",
    "get_registered_name", "get_registered_object", "model_to_dot", "normalize",
    "pad_sequences", "plot_model", "register_keras_serializable", "to_categorical",
    "to_ordinal",
]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.keras.utils' has no attribute {name!r}: varstore "
                         f"lacks tf.keras.utils.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
