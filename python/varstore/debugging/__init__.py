"""``tf.debugging``: assertions and numeric checks."""

from __future__ import annotations

from varstore.ops.check_ops import (
    Assert,
    assert_equal,
    assert_greater,
    assert_greater_equal,
    assert_integer,
    assert_less,
    assert_less_equal,
    assert_near,
    assert_negative,
    assert_non_negative,
    assert_non_positive,
    assert_none_equal,
    assert_positive,
    assert_proper_iterable,
    assert_rank,
    assert_rank_at_least,
    assert_rank_in,
    assert_same_float_dtype,
    assert_scalar,
    assert_type,
    is_numeric_tensor,
)
from varstore.ops.check_shapes_ops import (
    assert_shapes,
)
from varstore.ops.logging_ops import check_numerics
from varstore.ops.logging_ops import verify_tensor_all_finite as assert_all_finite
from varstore.ops.math_misc_ops import (
    is_non_decreasing,
    is_strictly_increasing,
)
from varstore.ops.math_unary_ops import (
    is_finite,
    is_inf,
    is_nan,
)

__all__ = [
    "Assert",
    "assert_all_finite",
    "assert_equal",
    "assert_greater",
    "assert_greater_equal",
    "assert_integer",
    "assert_less",
    "assert_less_equal",
    "assert_near",
    "assert_negative",
    "assert_non_negative",
    "assert_non_positive",
    "assert_none_equal",
    "assert_positive",
    "assert_proper_iterable",
    "assert_rank",
    "assert_rank_at_least",
    "assert_rank_in",
    "assert_same_float_dtype",
    "assert_scalar",
    "assert_shapes",
    "assert_type",
    "check_numerics",
    "disable_traceback_filtering",
    "enable_traceback_filtering",
    "get_log_device_placement",
    "is_finite",
    "is_inf",
    "is_nan",
    "is_non_decreasing",
    "is_numeric_tensor",
    "is_strictly_increasing",
    "is_traceback_filtering_enabled",
    "set_log_device_placement",
]

# TF's process-wide switches. varstore runs every op on its one CPU device and shows its own
# frames in tracebacks, so these only record the setting, where TF reports it back.
_SETTINGS = {"log_device_placement": False, "traceback_filtering": True}


def set_log_device_placement(enabled: bool) -> None:
    """``tf.debugging.set_log_device_placement``: recorded; get_log_device_placement reads it
    (graph sessions take ConfigProto.log_device_placement, as in TF)."""
    _SETTINGS["log_device_placement"] = bool(enabled)


def get_log_device_placement() -> bool:
    return _SETTINGS["log_device_placement"]


def enable_traceback_filtering() -> None:
    _SETTINGS["traceback_filtering"] = True


def disable_traceback_filtering() -> None:
    _SETTINGS["traceback_filtering"] = False


def is_traceback_filtering_enabled() -> bool:
    return _SETTINGS["traceback_filtering"]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.debugging' has no attribute {name!r}: varstore "
                         f"lacks tf.debugging.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
