"""``tf.flags`` / ``tf.app.flags`` (TF1's tensorflow/python/platform/flags.py): absl's flags
module, as TF1 re-exports it (DEFINE_string/integer/float/boolean/bool/list/enum, FLAGS)."""

from __future__ import annotations

from absl.flags import (
    FLAGS,
    DEFINE_bool,
    DEFINE_boolean,
    DEFINE_enum,
    DEFINE_float,
    DEFINE_integer,
    DEFINE_list,
    DEFINE_multi_string,
    DEFINE_string,
    Flag,
    FlagValues,
    mark_flag_as_required,
)

__all__ = ["FLAGS", "DEFINE_bool", "DEFINE_boolean", "DEFINE_enum", "DEFINE_float",
           "DEFINE_integer", "DEFINE_list", "DEFINE_multi_string", "DEFINE_string", "Flag",
           "FlagValues", "mark_flag_as_required"]
