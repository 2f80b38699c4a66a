"""TF1 dtypes: ``float32`` and friends, ``as_dtype`` and TF's conversion rules."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

import numpy as np

__all__ = [
    "DType",
    "as_dtype",
    "bool",
    "complex64",
    "complex128",
    "double",
    "float16",
    "float32",
    "float64",
    "half",
    "int8",
    "int16",
    "int32",
    "int64",
    "resource",
    "string",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "variant",
]


class DType:
    """A TensorFlow element type (``tf.float32`` ...), backed by a NumPy dtype."""

    # A ref dtype (``float32_ref``, a RefVariable's and its VariableV2/Assign outputs' type
    # under TF1 semantics) is its own DType object: unequal to its base, with code and enum
    # +100 as TF's DataType, sharing the base's NumPy type. Tensors store the base dtype
    # (``Tensor._dtype``); only the public ``dtype`` of a ref output reports the ref.
    __slots__ = ("_base", "_code", "_name", "_np", "_ref")

    def __init__(self, name: str, np_type: type[Any], code: int,
                 base: DType | None = None) -> None:
        self._name = name
        self._np = np.dtype(np_type)
        self._code = code
        self._base = self if base is None else base
        self._ref = self if base is not None else DType(name + "_ref", np_type, code + 100, self)

    @property
    def name(self) -> str:
        return self._name

    @property
    def as_numpy_dtype(self) -> type[Any]:
        return self._np.type

    @property
    def base_dtype(self) -> DType:
        return self._base

    @property
    def _is_ref_dtype(self) -> builtins.bool:
        return self._base is not self

    @property
    def _as_ref(self) -> DType:
        return self._ref

    @property
    def real_dtype(self) -> DType:
        base = self._base._name
        if base == "complex64":
            return float32
        if base == "complex128":
            return float64
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
        return self._np.kind == "c"

    @property
    def is_numpy_compatible(self) -> builtins.bool:
        return self._base._code < _FIRST_OPAQUE

    @property
    def is_quantized(self) -> builtins.bool:
        return False

    @property
    def as_datatype_enum(self) -> int:
        base = self._base
        return _ENUM_OF[base._name] + (100 if base is not self else 0)

    @property
    def limits(self) -> tuple[Any, Any]:
        return self.min, self.max

    @property
    def min(self) -> Any:
        if self.is_bool:
            return False
        if self.is_floating:
            return np.finfo(self._np).min
        if self.is_integer:
            return np.iinfo(self._np).min
        raise TypeError(f"Cannot find minimum value of {self}.")

    @property
    def max(self) -> Any:
        if self.is_bool:
            return True
        if self.is_floating:
            return np.finfo(self._np).max
        if self.is_integer:
            return np.iinfo(self._np).max
        raise TypeError(f"Cannot find maximum value of {self}.")

    def is_compatible_with(self, other: Any) -> builtins.bool:
        # TF's rule: a base type accepts its ref (float32 takes float32_ref), not conversely
        other = as_dtype(other)
        return self._code in (other._code, other._base._code)

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


# Codes match varstore::DType in cpp/include/varstore/dtype.hpp (variables can hold these);
# from _FIRST_OPAQUE on, types only tensors have (strings, resource handles, variants).
float16 = DType("float16", np.float16, 0)
float32 = DType("float32", np.float32, 1)
float64 = DType("float64", np.float64, 2)
int32 = DType("int32", np.int32, 3)
int64 = DType("int64", np.int64, 4)
bool = DType("bool", np.bool_, 5)  # shadows the builtin: TF's public name
int8 = DType("int8", np.int8, 6)
uint8 = DType("uint8", np.uint8, 7)
int16 = DType("int16", np.int16, 8)
uint16 = DType("uint16", np.uint16, 9)
uint32 = DType("uint32", np.uint32, 10)
uint64 = DType("uint64", np.uint64, 11)
complex64 = DType("complex64", np.complex64, 12)
complex128 = DType("complex128", np.complex128, 13)
_FIRST_OPAQUE = 14
string = DType("string", np.object_, 14)  # elements are bytes objects, as TF's
resource = DType("resource", np.object_, 15)
variant = DType("variant", np.object_, 16)
half = float16
double = float64

_ALL = (float16, float32, float64, int32, int64, bool, int8, uint8, int16, uint16, uint32,
        uint64, complex64, complex128, string, resource, variant)
_BY_CODE = {d._code: d for d in _ALL}
_BY_NAME: dict[str, DType] = {d.name: d for d in _ALL}
_BY_NAME.update({"half": float16, "float": float32, "double": float64})
_BY_NAME.update({d._ref.name: d._ref for d in _ALL})
_BY_NUMPY: dict[np.dtype[Any], DType] = {d._np: d for d in _ALL[:_FIRST_OPAQUE + 1]}
# TF's DataType enum values, accepted by as_dtype like TF does (tf.as_dtype(1) is float32).
_ENUM_OF = {"float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5, "int8": 6,
            "string": 7, "complex64": 8, "int64": 9, "bool": 10, "complex128": 18,
            "float16": 19, "resource": 20, "variant": 21, "uint16": 17, "uint32": 22,
            "uint64": 23}
_BY_ENUM = {v: _BY_NAME[k] for k, v in _ENUM_OF.items()}
_BY_ENUM.update({v + 100: _BY_NAME[k]._ref for k, v in _ENUM_OF.items()})


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
    elif type_value is builtins.str or type_value is builtins.bytes:
        return string
    elif type_value is complex:
        return complex128
    elif isinstance(type_value, (type, np.dtype)):
        try:
            np_type = np.dtype(type_value)
        except TypeError:
            pass
        else:
            if np_type.kind in "SUO":
                return string
            found = _BY_NUMPY.get(np_type)
            if found is not None:
                return found
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
        if dtype.kind in "SUO":
            return string
        raise TypeError(f"Unsupported NumPy dtype {dtype} for a varstore tensor") from None


# tf.dtypes also exports the cast ops, which are built on this module: resolved on first use
# (a module __getattr__ hidden from mypy, so attribute typos on dtypes stay type errors).
_OPS = {"as_string": "string_ops", "cast": "math_unary_ops", "complex": "math_complex_ops",
        "saturate_cast": "math_unary_ops"}

if not TYPE_CHECKING:
    def __getattr__(name: str) -> object:
        module = _OPS.get(name)
        if module is not None:
            import importlib

            return getattr(importlib.import_module(f"varstore.ops.{module}"), name)
        raise AttributeError(f"module 'varstore.dtypes' has no attribute {name!r}: varstore "
                             f"lacks tf.dtypes.{name}")
