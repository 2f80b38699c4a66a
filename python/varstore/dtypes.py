"""TF1 dtypes: ``float32`` and friends, ``as_dtype`` and TF's conversion rules."""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np

__all__ = [
    "DType",
    "as_dtype",
    "bool",
    "double",
    "float16",
    "float32",
    "float64",
    "half",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
]


class DType:
    """A TensorFlow element type (``tf.float32`` ...), backed by a NumPy dtype."""

    __slots__ = ("_code", "_name", "_np")

    def __init__(self, name: str, np_type: type[Any], code: int) -> None:
        self._name = name
        self._np = np.dtype(np_type)
        self._code = code

    @property
    def name(self) -> str:
        return self._name

    @property
    def as_numpy_dtype(self) -> type[Any]:
        return self._np.type

    @property
    def base_dtype(self) -> DType:
        return self

    @property
    def real_dtype(self) -> DType:
        return self

    @property
    def size(self) -> int:
        return int(self._np.itemsize)

    @property
    def is_floating(self) -> builtins.bool:
        return self._np.kind == "f"

    @property
    def is_integer(self) -> builtins.bool:
        return self._np.kind in "iu"

    @property
    def is_unsigned(self) -> builtins.bool:
        return self._np.kind == "u"

    @property
    def is_bool(self) -> builtins.bool:
        return self._np.kind == "b"

    @property
    def is_complex(self) -> builtins.bool:
        return False

    @property
    def is_numpy_compatible(self) -> builtins.bool:
        return True

    @property
    def min(self) -> Any:
        if self.is_bool:
            return False
        if self.is_floating:
            return np.finfo(self._np).min
        return np.iinfo(self._np).min

    @property
    def max(self) -> Any:
        if self.is_bool:
            return True
        if self.is_floating:
            return np.finfo(self._np).max
        return np.iinfo(self._np).max

    def is_compatible_with(self, other: Any) -> builtins.bool:
        return self == as_dtype(other)

    def __eq__(self, other: object) -> builtins.bool:
        if other is None:
            return False
        if isinstance(other, DType):
            return self._code == other._code
        try:
            return self._code == as_dtype(other)._code
        except TypeError:
            return False

    def __ne__(self, other: object) -> builtins.bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return hash(self._name)

    def __repr__(self) -> str:
        return f"tf.{self._name}"

    def __str__(self) -> str:
        return f"<dtype: '{self._name}'>"

    def __reduce__(self) -> tuple[Any, ...]:
        return as_dtype, (self._name,)


# Codes match varstore::DType in cpp/include/varstore/dtype.hpp.
float16 = DType("float16", np.float16, 0)
float32 = DType("float32", np.float32, 1)
float64 = DType("float64", np.float64, 2)
int32 = DType("int32", np.int32, 3)
int64 = DType("int64", np.int64, 4)
bool = DType("bool", np.bool_, 5)  # shadows the builtin: TF's public name
int8 = DType("int8", np.int8, 6)
uint8 = DType("uint8", np.uint8, 7)
int16 = DType("int16", np.int16, 8)
half = float16
double = float64

_ALL = (float16, float32, float64, int32, int64, bool, int8, uint8, int16)
_BY_CODE = {d._code: d for d in _ALL}
_BY_NAME: dict[str, DType] = {d.name: d for d in _ALL}
_BY_NAME.update({"half": float16, "float": float32, "double": float64})
_BY_NUMPY: dict[np.dtype[Any], DType] = {d._np: d for d in _ALL}
# TF's DataType enum values, accepted by as_dtype like TF does (tf.as_dtype(1) is float32).
_BY_ENUM = {1: float32, 2: float64, 3: int32, 4: uint8, 5: int16, 6: int8, 9: int64, 10: bool,
            19: float16}


def as_dtype(type_value: Any) -> DType:
    """Converts ``type_value`` (a DType, name, NumPy dtype or type, Python type) to a DType."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        found = _BY_NAME.get(type_value)
        if found is not None:
            return found
    elif isinstance(type_value, int) and not isinstance(type_value, builtins.bool):
        found = _BY_ENUM.get(type_value)
        if found is not None:
            return found
    elif type_value is float:
        return float32
    elif type_value is builtins.bool:
        return bool
    elif isinstance(type_value, (type, np.dtype)):
        try:
            return _BY_NUMPY[np.dtype(type_value)]
        except (TypeError, KeyError):
            pass
    raise TypeError(
        f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType."
    )


def _from_code(code: int) -> DType:
    return _BY_CODE[code]


def _from_numpy(dtype: np.dtype[Any]) -> DType:
    """The DType of a NumPy array; TypeError for types TF1 tensors here do not support."""
    try:
        return _BY_NUMPY[dtype]
    except KeyError:
        raise TypeError(f"Unsupported NumPy dtype {dtype} for a varstore tensor") from None
