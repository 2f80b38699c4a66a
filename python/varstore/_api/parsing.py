"""The top-level ``tf.*`` names of TF1's parsing and file ops (TF's parsing_ops, io_ops).

``varstore/__init__.py`` star-imports this module; ``__all__`` is what it re-exports."""

from varstore.ops.file_io_ops import read_file, write_file
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
from varstore.ops.reader_formats import (
    FixedLengthRecordReader,
    IdentityReader,
    TextLineReader,
    WholeFileReader,
)
from varstore.ops.reader_ops import ReaderBase, TFRecordReader
from varstore.ops.tensor_proto_ops import parse_tensor, serialize_tensor

__all__ = [
    "FixedLenFeature",
    "FixedLenSequenceFeature",
    "FixedLengthRecordReader",
    "IdentityReader",
    "ReaderBase",
    "TFRecordReader",
    "TextLineReader",
    "VarLenFeature",
    "WholeFileReader",
    "decode_csv",
    "decode_raw",
    "parse_example",
    "parse_single_example",
    "parse_single_sequence_example",
    "parse_tensor",
    "read_file",
    "serialize_tensor",
    "write_file",
]
