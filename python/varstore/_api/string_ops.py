"""The top-level ``tf.*`` names of TF1's string ops (TF's string_ops, parsing_ops).

``varstore/__init__.py`` star-imports this module; ``__all__`` is what it re-exports."""

from varstore.ops.string_basic_ops import (
    decode_base64,
    decode_compressed,
    encode_base64,
    string_join,
    string_strip,
    string_to_hash_bucket,
    string_to_hash_bucket_fast,
    string_to_hash_bucket_strong,
    string_to_number,
    substr,
)
from varstore.ops.string_regex_ops import regex_replace
from varstore.ops.string_split_ops import reduce_join, string_split

__all__ = [
    "decode_base64",
    "decode_compressed",
    "encode_base64",
    "reduce_join",
    "regex_replace",
    "string_join",
    "string_split",
    "string_strip",
    "string_to_hash_bucket",
    "string_to_hash_bucket_fast",
    "string_to_hash_bucket_strong",
    "string_to_number",
    "substr",
]
