"""``tf.io`` (TF1's tf.compat.v1.io): TFRecord files, Example parsing, raw decoding, whole
files, ``write_graph`` and ``tf.io.gfile``."""

from __future__ import annotations

from varstore.io import gfile
from varstore.io.tf_record import (
    TFRecordCompressionType,
    TFRecordOptions,
    TFRecordWriter,
    tf_record_iterator,
)
from varstore.ops.file_io_ops import matching_files, read_file, write_file
from varstore.ops.image_codec_ops import (
    decode_and_crop_jpeg,
    decode_bmp,
    decode_gif,
    decode_image,
    decode_jpeg,
    decode_png,
    encode_jpeg,
    encode_png,
    extract_jpeg_shape,
    is_jpeg,
)
from varstore.ops.parsing_csv_ops import decode_csv
from varstore.ops.parsing_ops import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    decode_raw,
    parse_example,
    parse_single_example,
)
from varstore.ops.parsing_sequence_ops import parse_single_sequence_example
from varstore.ops.queue_ops import PaddingFIFOQueue, PriorityQueue, QueueBase, RandomShuffleQueue
from varstore.ops.sparse_serialize_ops import (
    deserialize_many_sparse,
    serialize_many_sparse,
    serialize_sparse,
)
from varstore.ops.string_basic_ops import decode_base64, decode_compressed, encode_base64
from varstore.ops.tensor_proto_ops import parse_tensor, serialize_tensor
from varstore.train.graph_io import write_graph

__all__ = [
    "FixedLenFeature",
    "FixedLenSequenceFeature",
    "PaddingFIFOQueue",
    "PriorityQueue",
    "QueueBase",
    "RandomShuffleQueue",
    "TFRecordCompressionType",
    "TFRecordOptions",
    "TFRecordWriter",
    "VarLenFeature",
    "decode_and_crop_jpeg",
    "decode_base64",
    "decode_bmp",
    "decode_compressed",
    "decode_csv",
    "decode_gif",
    "decode_image",
    "decode_jpeg",
    "decode_png",
    "decode_raw",
    "deserialize_many_sparse",
    "encode_base64",
    "encode_jpeg",
    "encode_png",
    "extract_jpeg_shape",
    "gfile",
    "is_jpeg",
    "matching_files",
    "parse_example",
    "parse_single_example",
    "parse_single_sequence_example",
    "parse_tensor",
    "read_file",
    "serialize_many_sparse",
    "serialize_sparse",
    "serialize_tensor",
    "tf_record_iterator",
    "write_file",
    "write_graph",
]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.io' has no attribute {name!r}: varstore lacks "
                         f"tf.io.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
