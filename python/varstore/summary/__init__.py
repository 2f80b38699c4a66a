"""The ``tf.summary`` namespace (TF1's tf.compat.v1.summary): summary ops and FileWriter.
The model-summary printer is ``tf.model_summary``."""

from __future__ import annotations

from varstore.summary.summary_ops import audio, histogram, image, merge, merge_all, scalar, text
from varstore.summary.writer import FileWriter, FileWriterCache

__all__ = ["FileWriter", "FileWriterCache", "audio", "histogram", "image", "merge", "merge_all", "scalar",
           "text"]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.summary' has no attribute {name!r}: varstore lacks "
                         f"tf.summary.{name}")
