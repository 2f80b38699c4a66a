"""The ``tf.summary`` namespace (TF1's tf.compat.v1.summary): summary ops and FileWriter.
The model-summary printer is ``tf.model_summary``."""

from __future__ import annotations

from varstore.summary.summary_ops import histogram, image, merge, merge_all, scalar, text
from varstore.summary.writer import FileWriter, FileWriterCache, summary_iterator

__all__ = ["FileWriter", "FileWriterCache", "histogram", "image", "merge", "merge_all", "scalar",
           "summary_iterator", "text"]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.summary' has no attribute {name!r}: varstore lacks "
                         f"tf.summary.{name}")
