"""``tf.data`` (TF1's tf.compat.v1.data): datasets and graph-mode iterators."""

from __future__ import annotations

from varstore.data import experimental
from varstore.ops.dataset_base import AUTOTUNE, INFINITE, UNKNOWN
from varstore.ops.dataset_ops import Dataset
from varstore.ops.dataset_options import Options, ThreadingOptions
from varstore.ops.iterator_ops import (
    Iterator,
    get_output_classes,
    get_output_shapes,
    get_output_types,
    make_initializable_iterator,
    make_one_shot_iterator,
)
from varstore.ops.readers import FixedLengthRecordDataset, TextLineDataset, TFRecordDataset

INFINITE_CARDINALITY = INFINITE
UNKNOWN_CARDINALITY = UNKNOWN

__all__ = [
    "AUTOTUNE",
    "INFINITE_CARDINALITY",
    "UNKNOWN_CARDINALITY",
    "Dataset",
    "FixedLengthRecordDataset",
    "Iterator",
    "Options",
    "TFRecordDataset",
    "TextLineDataset",
    "ThreadingOptions",
    "experimental",
    "get_output_classes",
    "get_output_shapes",
    "get_output_types",
    "make_initializable_iterator",
    "make_one_shot_iterator",
]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.data' has no attribute {name!r}: varstore lacks "
                         f"tf.data.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
