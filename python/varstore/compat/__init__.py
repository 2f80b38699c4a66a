"""``tf.compat``: ``tf.compat.v1`` is varstore itself (``import varstore.compat.v1 as tf``
works as ``import tensorflow.compat.v1 as tf``), plus TF's bytes/str helpers."""

from __future__ import annotations

import datetime
import numbers
from typing import Any

import numpy as np

__all__ = [
    "as_bytes",
    "as_str",
    "as_str_any",
    "as_text",
    "bytes_or_text_types",
    "complex_types",
    "forward_compatibility_horizon",
    "forward_compatible",
    "integral_types",
    "path_to_str",
    "real_types",
]

bytes_or_text_types = (bytes, str)
integral_types = (numbers.Integral, np.integer)
real_types = (numbers.Real, np.integer, np.floating)
complex_types = (numbers.Complex, np.number)


def as_bytes(bytes_or_text: Any, encoding: str = "utf-8") -> bytes:
    """TF's compat.as_bytes: str encoded, bytes/bytearray as bytes, else TypeError."""
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text: Any, encoding: str = "utf-8") -> str:
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


as_str = as_text


def as_str_any(value: Any, encoding: str = "utf-8") -> str:
    if isinstance(value, bytes):
        return as_str(value, encoding=encoding)
    return str(value)


def path_to_str(path: Any) -> Any:
    import os
    return os.fspath(path) if hasattr(path, "__fspath__") else path


def forward_compatible(year: int, month: int, day: int) -> bool:
    """True once TF 2.21's forward-compatibility horizon is past the date: varstore's graphs
    are those of TF 2.21, whose horizon is 2026-01-16."""
    return datetime.date(2026, 1, 16) > datetime.date(year, month, day)


def forward_compatibility_horizon(year: int, month: int, day: int) -> Any:
    raise NotImplementedError("varstore lacks tf.compat.forward_compatibility_horizon: its "
                              "graphs follow TF 2.21's fixed horizon")


def __getattr__(name: str) -> object:
    if name == "v1":
        import varstore
        return varstore
    raise AttributeError(f"module 'varstore.compat' has no attribute {name!r}: varstore "
                         f"lacks tf.compat.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
