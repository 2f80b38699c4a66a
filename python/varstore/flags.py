"""``tf.flags`` / ``tf.app.flags`` (TF1's tensorflow/python/platform/flags.py): absl's whole
flags module, as TF1 re-exports it, with TF's two compatibility layers:

- ``FLAGS`` parses ``sys.argv`` the first time a flag is read before anything parsed it
  (absl raises ``UnparsedFlagAccessError`` there), so scripts that read ``FLAGS.x`` without
  ``tf.app.run`` work as under TF1;
- ``DEFINE_string/boolean/bool/float/integer`` accept TF1's old keyword names
  ``flag_name``, ``default_value`` and ``docstring``.
"""

from __future__ import annotations

import functools
import sys as _sys
from collections.abc import Callable, Iterator
from typing import Any

import absl.flags as _absl_flags
from absl.flags import *  # TF's flags module is absl's, name for name

from varstore import tf_logging as _tf_logging

__all__ = list(_absl_flags.__all__)

# TF1 disclaims its own module's key flags, so `--helpfull` lists them under absl's rules.
_absl_flags.disclaim_key_flags()

_RENAMED_ARGUMENTS = {"flag_name": "name", "default_value": "default", "docstring": "help"}


def _wrap_define_function(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        renamed = False
        for old_name, new_name in _RENAMED_ARGUMENTS.items():
            if old_name in kwargs:
                renamed = True
                kwargs[new_name] = kwargs.pop(old_name)
        if renamed:
            _tf_logging.warning(
                "Use of the keyword argument names (flag_name, default_value, docstring) is "
                "deprecated, please use (name, default, help) instead.")
        return original(*args, **kwargs)

    return wrapper


class _FlagValuesWrapper:
    """absl's FLAGS, except that reading a flag before parsing parses ``sys.argv`` first."""

    def __init__(self, flags_object: _absl_flags.FlagValues) -> None:
        self.__dict__["__wrapped"] = flags_object

    def __getattribute__(self, name: str) -> Any:
        if name == "__dict__":
            return super().__getattribute__(name)
        return self.__dict__["__wrapped"].__getattribute__(name)

    def __getattr__(self, name: str) -> Any:
        wrapped = self.__dict__["__wrapped"]
        if not wrapped.is_parsed():
            wrapped(_sys.argv)
        return wrapped.__getattr__(name)

    def __setattr__(self, name: str, value: Any) -> None:
        self.__dict__["__wrapped"].__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        self.__dict__["__wrapped"].__delattr__(name)

    def __dir__(self) -> list[str]:
        return list(self.__dict__["__wrapped"].__dir__())

    def __getitem__(self, name: str) -> Any:
        return self.__dict__["__wrapped"].__getitem__(name)

    def __setitem__(self, name: str, flag: Any) -> None:
        self.__dict__["__wrapped"].__setitem__(name, flag)

    def __len__(self) -> int:
        return int(self.__dict__["__wrapped"].__len__())

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__["__wrapped"])

    def __str__(self) -> str:
        return str(self.__dict__["__wrapped"])

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.__dict__["__wrapped"](*args, **kwargs)


DEFINE_string = _wrap_define_function(_absl_flags.DEFINE_string)
DEFINE_boolean = _wrap_define_function(_absl_flags.DEFINE_boolean)
DEFINE_bool = DEFINE_boolean
DEFINE_float = _wrap_define_function(_absl_flags.DEFINE_float)
DEFINE_integer = _wrap_define_function(_absl_flags.DEFINE_integer)

# Replaces the star-imported absl FLAGS, as TF's module does.
FLAGS: Any = _FlagValuesWrapper(_absl_flags.FLAGS)  # type: ignore[no-redef]
