"""TF protos to varstore values: a TensorProto to an ndarray (TF's tensor_util.MakeNdarray),
a TensorShapeProto to dims, an AttrValue to the Python value varstore's ops keep in their
attrs (DType, TensorShape, str, int, float, bool, ndarray, or a list of one of these).

The reverse direction (values to protos) is in graph_def.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.tensor_shape import TensorShape

__all__ = ["attr_value", "make_ndarray", "shape_dims"]


def shape_dims(proto: Any) -> tuple[int | None, ...] | None:
    """The dims of a TensorShapeProto (-1: unknown; None for an unknown rank)."""
    if proto.unknown_rank:
        return None
    return tuple(None if d.size < 0 else int(d.size) for d in proto.dim)


def _dtype(enum: int) -> _dtypes.DType:
    try:
        return _dtypes.as_dtype(int(enum))
    except TypeError:
        from varstore.framework.op_def_registry import type_string

        raise TypeError(f"varstore has no dtype for TF's DataType {type_string(int(enum))} "
                        f"(enum {int(enum)})") from None


def make_ndarray(tensor: Any) -> np.ndarray:
    """TF's MakeNdarray: the value of a TensorProto (tensor_content, else the typed values,
    the last one repeated to fill the shape)."""
    shape = [int(d.size) for d in tensor.tensor_shape.dim]
    num = int(np.prod(shape, dtype=np.int64))
    dt = _dtype(tensor.dtype)
    if dt is _dtypes.resource or dt is _dtypes.variant:
        raise TypeError(f"Unsupported tensor type: {tensor.dtype}")
    np_dtype = np.dtype(dt._np)
    if tensor.tensor_content:
        return np.frombuffer(tensor.tensor_content,
                             dtype=np_dtype.newbyteorder("<")).astype(np_dtype).reshape(shape)
    if dt is _dtypes.string:
        strings = list(tensor.string_val)
        if num > len(strings):
            strings.extend([strings[-1] if strings else b""] * (num - len(strings)))
        out = np.empty(len(strings), dtype=object)
        out[:] = strings
        return out.reshape(shape)
    values: np.ndarray
    if dt is _dtypes.float16:
        values = np.fromiter(tensor.half_val, dtype=np.uint16).view(np.float16)
    elif dt is _dtypes.float32:
        values = np.fromiter(tensor.float_val, dtype=np.float32)
    elif dt is _dtypes.float64:
        values = np.fromiter(tensor.double_val, dtype=np.float64)
    elif dt in (_dtypes.int32, _dtypes.uint8, _dtypes.uint16, _dtypes.int16, _dtypes.int8):
        values = np.fromiter(tensor.int_val, dtype=np.int64).astype(np_dtype)
    elif dt is _dtypes.int64:
        values = np.fromiter(tensor.int64_val, dtype=np.int64)
    elif dt is _dtypes.uint32:
        values = np.fromiter(tensor.uint32_val, dtype=np.uint32)
    elif dt is _dtypes.uint64:
        values = np.fromiter(tensor.uint64_val, dtype=np.uint64)
    elif dt is _dtypes.complex64:
        flat = np.fromiter(tensor.scomplex_val, dtype=np.float32)
        values = flat[0::2] + 1j * flat[1::2]
        values = values.astype(np.complex64)
    elif dt is _dtypes.complex128:
        flat = np.fromiter(tensor.dcomplex_val, dtype=np.float64)
        values = flat[0::2] + 1j * flat[1::2]
    elif dt is _dtypes.bool:
        values = np.fromiter(tensor.bool_val, dtype=np.bool_)
    else:
        raise TypeError(f"Unsupported tensor type: {tensor.dtype}")
    if values.size == 0:
        return np.zeros(shape, dtype=np_dtype)
    if values.size != num:
        values = np.pad(values, (0, num - values.size), "edge")
    return values.reshape(shape)


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr.flags.writeable = False
    return arr


def _string(b: bytes) -> str | bytes:
    # varstore's ops keep text attrs (padding, data_format, names) as str; bytes that are
    # not UTF-8 stay bytes.
    try:
        return b.decode()
    except UnicodeDecodeError:
        return b


class UnsupportedAttr(ValueError):
    """An attr value varstore cannot hold (a function, a placeholder)."""


def attr_value(value: Any) -> Any:
    """The varstore form of an AttrValue proto."""
    kind = value.WhichOneof("value")
    if kind == "s":
        return _string(value.s)
    if kind == "i":
        return int(value.i)
    if kind == "f":
        return float(value.f)
    if kind == "b":
        return bool(value.b)
    if kind == "type":
        return _dtype(value.type)
    if kind == "shape":
        return TensorShape._of(shape_dims(value.shape))
    if kind == "tensor":
        return _frozen(make_ndarray(value.tensor))
    if kind == "list":
        lst = value.list
        if lst.s:
            return [_string(s) for s in lst.s]
        if lst.i:
            return [int(i) for i in lst.i]
        if lst.f:
            return [float(f) for f in lst.f]
        if lst.b:
            return [bool(b) for b in lst.b]
        if lst.type:
            return [_dtype(t) for t in lst.type]
        if lst.shape:
            return [TensorShape._of(shape_dims(s)) for s in lst.shape]
        if lst.tensor:
            return [_frozen(make_ndarray(t)) for t in lst.tensor]
        if lst.func:
            raise UnsupportedAttr("a list of functions")
        return []
    if kind == "func":
        raise UnsupportedAttr(f"the function {value.func.name!r}")
    if kind == "placeholder":
        raise UnsupportedAttr(f"the placeholder ${value.placeholder}")
    return None
