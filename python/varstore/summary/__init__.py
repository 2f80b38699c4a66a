"""The ``tf.summary`` namespace (TF1's tf.compat.v1.summary): summary ops and FileWriter.
The model-summary printer is ``tf.model_summary``."""

from __future__ import annotations

from varstore.summary.summary_ops import audio, histogram, image, merge, merge_all, scalar, text
from varstore.summary.writer import FileWriter, FileWriterCache, summary_iterator

__all__ = ["FileWriter", "FileWriterCache", "audio", "histogram", "image", "merge", "merge_all",
           "scalar", "summary_iterator", "text"]


# TF's tf.summary also exports the event/summary protos (tensorboardX ships TF's own)
_PROTO_CLASSES = {"Summary": "summary_pb2", "SummaryDescription": "summary_pb2",
                  "Event": "event_pb2", "SessionLog": "event_pb2",
                  "TaggedRunMetadata": "event_pb2"}


def __getattr__(name: str) -> object:
    if name in _PROTO_CLASSES:
        import importlib
        return getattr(importlib.import_module("tensorboardX.proto." + _PROTO_CLASSES[name]),
                       name)
    raise AttributeError(f"module 'varstore.summary' has no attribute {name!r}: varstore lacks "
                         f"tf.summary.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
