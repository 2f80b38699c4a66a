"""``tf.debugging``: assertions and numeric checks."""

from __future__ import annotations

from varstore.ops.check_ops import (
    Assert,
    assert_equal,
    assert_greater,
    assert_greater_equal,
    assert_less,
    assert_less_equal,
    assert_negative,
    assert_non_negative,
    assert_non_positive,
    assert_none_equal,
    assert_positive,
    assert_rank,
    assert_rank_at_least,
    assert_type,
)
from varstore.ops.logging_ops import check_numerics

__all__ = [
    "Assert",
    "assert_equal",
    "assert_greater",
    "assert_greater_equal",
    "assert_less",
    "assert_less_equal",
    "assert_negative",
    "assert_non_negative",
    "assert_non_positive",
    "assert_none_equal",
    "assert_positive",
    "assert_rank",
    "assert_rank_at_least",
    "assert_type",
    "check_numerics",
]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.debugging' has no attribute {name!r}: varstore "
                         f"lacks tf.debugging.{name}")
