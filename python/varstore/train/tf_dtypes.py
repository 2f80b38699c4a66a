"""TF's ``DataType`` enum (tensorflow/core/framework/types.proto) as checkpoints store it.

Each value maps to TF's dtype name, the NumPy dtype its bytes hold (little-endian) and the
safetensors tag, so that both checkpoint formats speak of dtypes the same way. ``bfloat16``
and the float8 types have NumPy dtypes only when ``ml_dtypes`` is installed; without it they
are still listed (and converted between formats as raw bytes), but ``get_tensor`` refuses them
with a message naming the package.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from varstore import dtypes as _dtypes

__all__ = ["TFType", "by_enum", "by_numpy", "by_safetensors_tag", "foreign", "varstore_dtype"]


class TFType(NamedTuple):
    """One DataType value."""

    enum: int  # DataType enum value
    name: str  # TF's dtype name ("float32"); DT_FLOAT is ``"DT_" + ...`` in debug strings
    tf_enum_name: str  # "DT_FLOAT"
    itemsize: int  # bytes per element; 0 for strings and variants
    np_name: str | None  # NumPy dtype name, or None when NumPy has no such type
    st_tag: str | None  # safetensors dtype tag, or None when safetensors has none

    @property
    def np(self) -> np.dtype[Any] | None:
        """The little-endian NumPy dtype of one element, or None."""
        if self.np_name is None:
            return None
        if self.np_name in _ML_DTYPES:
            try:
                import ml_dtypes  # type: ignore[import-not-found, unused-ignore]
            except ImportError:
                return None
            found: np.dtype[Any] = np.dtype(getattr(ml_dtypes, self.np_name))
            return found
        if self.np_name == "object":
            return np.dtype(object)
        little: np.dtype[Any] = np.dtype(self.np_name).newbyteorder("<")
        return little

    @property
    def fixed_size(self) -> bool:
        return self.itemsize > 0


_ML_DTYPES = {"bfloat16", "float8_e5m2", "float8_e4m3fn"}

_TABLE = [
    TFType(1, "float32", "DT_FLOAT", 4, "float32", "F32"),
    TFType(2, "float64", "DT_DOUBLE", 8, "float64", "F64"),
    TFType(3, "int32", "DT_INT32", 4, "int32", "I32"),
    TFType(4, "uint8", "DT_UINT8", 1, "uint8", "U8"),
    TFType(5, "int16", "DT_INT16", 2, "int16", "I16"),
    TFType(6, "int8", "DT_INT8", 1, "int8", "I8"),
    TFType(7, "string", "DT_STRING", 0, "object", None),
    TFType(8, "complex64", "DT_COMPLEX64", 8, "complex64", "C64"),
    TFType(9, "int64", "DT_INT64", 8, "int64", "I64"),
    TFType(10, "bool", "DT_BOOL", 1, "bool", "BOOL"),
    TFType(11, "qint8", "DT_QINT8", 1, None, None),
    TFType(12, "quint8", "DT_QUINT8", 1, None, None),
    TFType(13, "qint32", "DT_QINT32", 4, None, None),
    TFType(14, "bfloat16", "DT_BFLOAT16", 2, "bfloat16", "BF16"),
    TFType(15, "qint16", "DT_QINT16", 2, None, None),
    TFType(16, "quint16", "DT_QUINT16", 2, None, None),
    TFType(17, "uint16", "DT_UINT16", 2, "uint16", "U16"),
    TFType(18, "complex128", "DT_COMPLEX128", 16, "complex128", None),
    TFType(19, "float16", "DT_HALF", 2, "float16", "F16"),
    TFType(20, "resource", "DT_RESOURCE", 0, None, None),
    TFType(21, "variant", "DT_VARIANT", 0, None, None),
    TFType(22, "uint32", "DT_UINT32", 4, "uint32", "U32"),
    TFType(23, "uint64", "DT_UINT64", 8, "uint64", "U64"),
    TFType(24, "float8_e5m2", "DT_FLOAT8_E5M2", 1, "float8_e5m2", "F8_E5M2"),
    TFType(25, "float8_e4m3fn", "DT_FLOAT8_E4M3FN", 1, "float8_e4m3fn", "F8_E4M3"),
]
_BY_ENUM = {t.enum: t for t in _TABLE}
_BY_TAG = {t.st_tag: t for t in _TABLE if t.st_tag is not None}
_BY_NP = {t.np_name: t for t in _TABLE if t.np_name is not None and t.np_name != "object"}


def by_enum(enum: int) -> TFType | None:
    """The DataType with enum value ``enum``, or None for values this reader does not know."""
    return _BY_ENUM.get(enum)


def by_safetensors_tag(tag: str) -> TFType | None:
    return _BY_TAG.get(tag)


def by_numpy(dtype: np.dtype[Any]) -> TFType | None:
    """The DataType of a NumPy array's elements (strings/bytes are DT_STRING)."""
    if dtype.kind in "OSU":
        return _BY_ENUM[7]
    return _BY_NP.get(dtype.name)


_FOREIGN: dict[str, _dtypes.DType] = {}


def varstore_dtype(t: TFType) -> _dtypes.DType:
    """The varstore DType for ``t``: ``tf.float32`` and friends for the types varstore has;
    for the others (string, uint16, bfloat16, complex ...) a DType of that name, which no
    variable can have (its code is outside the store's range)."""
    try:
        return _dtypes.as_dtype(t.name)
    except TypeError:
        pass
    found = _FOREIGN.get(t.name)
    if found is None:
        np_type: Any = t.np if t.np is not None else f"V{max(t.itemsize, 1)}"
        code = 1000 + t.enum if t.enum > 0 else 2000 + len(_FOREIGN)
        found = _dtypes.DType(t.name, np_type, code)
        _FOREIGN[t.name] = found
    return found


def foreign(name: str, tag: str) -> TFType:
    """A safetensors dtype TF has no DataType for (``F8_E8M0``, ``F4`` ...): listed and
    converted to safetensors as raw bytes, never loaded."""
    return TFType(-1, name, "DT_INVALID", 0, None, tag)
