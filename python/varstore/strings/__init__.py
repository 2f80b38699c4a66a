"""``tf.strings`` (TF1's tf.compat.v1.strings): the string ops of varstore.ops.string_*
(``split`` returns a SparseTensor of any rank, as TF1's does; its RaggedTensor result is
refused)."""

from __future__ import annotations

from varstore.ops.string_basic_ops import (
    lower,
    substr,
    upper,
)
from varstore.ops.string_basic_ops import (
    string_join as join,
)
from varstore.ops.string_basic_ops import (
    string_length as length,
)
from varstore.ops.string_basic_ops import (
    string_strip as strip,
)
from varstore.ops.string_basic_ops import (
    string_to_hash_bucket as to_hash_bucket,
)
from varstore.ops.string_basic_ops import (
    string_to_hash_bucket_fast as to_hash_bucket_fast,
)
from varstore.ops.string_basic_ops import (
    string_to_hash_bucket_strong as to_hash_bucket_strong,
)
from varstore.ops.string_basic_ops import (
    string_to_number as to_number,
)
from varstore.ops.string_ops import as_string
from varstore.ops.string_regex_ops import regex_full_match, regex_replace
from varstore.ops.string_split_ops import (
    reduce_join,
    unsorted_segment_join,
)
from varstore.ops.string_split_ops import (
    string_format as format,
)
from varstore.ops.string_split_ops import (
    strings_split as split,
)

__all__ = [
    "as_string",
    "format",
    "join",
    "length",
    "lower",
    "reduce_join",
    "regex_full_match",
    "regex_replace",
    "split",
    "strip",
    "substr",
    "to_hash_bucket",
    "to_hash_bucket_fast",
    "to_hash_bucket_strong",
    "to_number",
    "unsorted_segment_join",
    "upper",
]


def __getattr__(name: str) -> object:
    """A tf.strings symbol varstore does not implement: an AttributeError that says so."""
    raise AttributeError(f"module 'varstore.strings' has no attribute {name!r}: varstore "
                         f"lacks tf.strings.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
