"""The top-level ``tf.*`` names of TF1's parsing and file ops (TF's parsing_ops, io_ops).

``varstore/__init__.py`` star-imports this module; ``__all__`` is what it re-exports."""

from varstore.ops.io_ops import read_file, write_file
from varstore.ops.parsing_ops import (
    FixedLenFeature,
    VarLenFeature,
    decode_raw,
    parse_example,
    parse_single_example,
)

__all__ = [
    "FixedLenFeature",
    "VarLenFeature",
    "decode_raw",
    "parse_example",
    "parse_single_example",
    "read_file",
    "write_file",
]
