"""``tf.python_io`` (TF1): the TFRecord writer, options and iterator, as in ``tf.io``."""

from __future__ import annotations

from varstore.io.tf_record import (
    TFRecordCompressionType,
    TFRecordOptions,
    TFRecordWriter,
    tf_record_iterator,
)

__all__ = ["TFRecordCompressionType", "TFRecordOptions", "TFRecordWriter",
           "tf_record_iterator"]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.python_io' has no attribute {name!r}: varstore "
                         f"lacks tf.python_io.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
