"""The Keras settings the math and losses read: ``floatx()``, ``epsilon()`` and
``image_data_format()`` (tf_keras' backend_config.py). One module owns them so
``keras.backend`` and the losses see the same values."""

from __future__ import annotations

__all__ = ["epsilon", "floatx", "image_data_format", "set_epsilon", "set_floatx",
           "set_image_data_format"]

_EPSILON = 1e-7
_FLOATX = "float32"
_IMAGE_DATA_FORMAT = "channels_last"


def epsilon() -> float:
    """The fuzz factor of numeric expressions (1e-7 by default)."""
    return _EPSILON


def set_epsilon(value: float) -> None:
    global _EPSILON
    _EPSILON = value


def floatx() -> str:
    """The default float type name ("float32")."""
    return _FLOATX


def set_floatx(value: str) -> None:
    global _FLOATX
    accepted = {"float16", "float32", "float64"}
    if value not in accepted:
        raise ValueError(f"Unknown `floatx` value: {value}. Expected one of {accepted}")
    _FLOATX = str(value)


def image_data_format() -> str:
    """``"channels_last"`` by default (what ``bias_add`` assumes without a data_format)."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format: str) -> None:
    global _IMAGE_DATA_FORMAT
    accepted = {"channels_first", "channels_last"}
    if data_format not in accepted:
        raise ValueError(f"Unknown `data_format`: {data_format}. Expected one of {accepted}")
    _IMAGE_DATA_FORMAT = str(data_format)
