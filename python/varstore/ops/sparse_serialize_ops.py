"""SparseTensors as strings: ``tf.serialize_sparse`` (SerializeSparse: one [3] row of
serialized TensorProtos, indices / values / dense_shape), ``tf.serialize_many_sparse``
(SerializeManySparse: one row per entry of the first dimension) and
``tf.deserialize_many_sparse`` (DeserializeManySparse: the rows back, concatenated along a new
first dimension, each other dimension the largest of the inputs'). The bytes are TF's:
``Tensor::AsProtoTensorContent`` (raw little-endian ``tensor_content``; strings as varint
lengths then bytes), so either side can read the other's. TF's variant ``out_type`` is not
supported (varstore has no variant tensors)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.graph import get_default_graph
from varstore.framework.op_def_registry import type_string
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.framework.sparse_tensor import SparseTensor
from varstore.ops.array_ops import attr_text
from varstore.ops.sparse_ops import _check_indices, _convert_to_sparse_tensor

__all__ = ["deserialize_many_sparse", "serialize_many_sparse", "serialize_sparse"]

_int64 = _dtypes.int64


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _tensor_proto(arr: np.ndarray, dtype: _dtypes.DType) -> bytes:
    """TensorProto{dtype=1, tensor_shape=2, tensor_content=4}, encoded as TF's C++ writes it
    (fields in number order, an empty content left out, a zero dim as an empty Dim)."""
    shape = b"".join(_field(2, _varint(1 << 3) + _varint(d) if d else b"")
                     for d in arr.shape)
    out = _varint(1 << 3) + _varint(dtype.as_datatype_enum) + _field(2, shape)
    if arr.size:
        if dtype == _dtypes.string:
            items = [v if isinstance(v, bytes) else str(v).encode() for v in arr.reshape(-1)]
            content = b"".join(_varint(len(v)) for v in items) + b"".join(items)
        else:
            content = np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tobytes()
        out += _field(4, content)
    return out


def _sparse_rows(sp: SparseTensor, op_type: str, name: str | None, out_type: Any,
                 shape: tuple[int | None, ...]) -> Any:
    graph = get_default_graph()
    full = graph._op_name(name, op_type)  # (taken before the check, as TF's op helper does)
    out_dt = _dtypes.as_dtype(out_type)
    if out_dt != _dtypes.string:
        raise TypeError(f"Value passed to parameter 'out_type' has DataType {out_dt.name} not "
                        "in list of allowed values: string, variant")
    op = make_op(graph, full, op_type, [sp.indices, sp.values, sp.dense_shape],
                 {"T": sp.dtype, "out_type": out_dt}, [(out_dt, shape)])
    return op._outputs[0]


def serialize_sparse(sp_input: Any, name: str | None = None,
                     out_type: Any = _dtypes.string) -> Any:
    """``tf.serialize_sparse``: a [3] string tensor (indices, values, dense_shape)."""
    sp = _convert_to_sparse_tensor(sp_input)
    return _sparse_rows(sp, "SerializeSparse", name, out_type, (3,))


def serialize_many_sparse(sp_input: Any, name: str | None = None,
                          out_type: Any = _dtypes.string) -> Any:
    """``tf.serialize_many_sparse``: an [N, 3] string tensor, row ``b`` the entries with first
    index ``b`` (that index dropped), N the first dimension."""
    sp = _convert_to_sparse_tensor(sp_input)
    # (TF's shape function leaves N unknown even for a constant dense shape)
    return _sparse_rows(sp, "SerializeManySparse", name, out_type, (None, 3))


def _serialize(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray,
               dtype: _dtypes.DType) -> np.ndarray:
    return np.array([_tensor_proto(idx.astype(np.int64), _int64),
                     _tensor_proto(vals, dtype),
                     _tensor_proto(shape.astype(np.int64), _int64)], dtype=object)


def _check_input(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray) -> None:
    if idx.ndim != 2:
        raise ValueError(f"Input indices should be a matrix but received shape "
                         f"{list(idx.shape)}")
    if vals.ndim != 1:
        raise ValueError(f"Input values should be a vector but received shape "
                         f"{list(vals.shape)}")
    if shape.ndim != 1:
        raise ValueError(f"Input shape should be a vector but received shape "
                         f"{list(shape.shape)}")


@register_kernel("SerializeSparse")
def _serialize_sparse_kernel(op: Operation) -> Callable[..., np.ndarray]:
    dtype = op._attrs["T"]

    def kernel(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray) -> np.ndarray:
        _check_input(idx, vals, shape)
        return _serialize(idx, vals, shape, dtype)

    return kernel


@register_kernel("SerializeManySparse")
def _serialize_many_kernel(op: Operation) -> Callable[..., np.ndarray]:
    dtype = op._attrs["T"]

    def kernel(idx: np.ndarray, vals: np.ndarray, shape: np.ndarray) -> np.ndarray:
        _check_input(idx, vals, shape)
        rank = shape.size
        if rank <= 1:
            raise ValueError(f"Rank of input SparseTensor should be > 1, but saw rank: {rank}")
        _check_indices(idx, shape, True)
        n = int(shape[0])
        rest = shape[1:]
        out = np.empty((n, 3), dtype=object)
        first = idx[:, 0] if idx.shape[0] else np.zeros([0], np.int64)
        for b in range(n):
            # the indices are sorted, so each row's entries are contiguous and in order
            lo, hi = np.searchsorted(first, b, "left"), np.searchsorted(first, b, "right")
            out[b] = _serialize(idx[lo:hi, 1:], vals[lo:hi], rest, dtype)
        return out

    return kernel


def deserialize_many_sparse(serialized_sparse: Any, dtype: Any, rank: int | None = None,
                            name: str | None = None) -> SparseTensor:
    """``tf.deserialize_many_sparse``: the [N, 3] rows back as one SparseTensor of rank one
    more; ``rank`` (the rows' rank plus one) sets the static shapes."""
    graph = get_default_graph()
    full = graph._op_name(name, "DeserializeManySparse")
    with scope_of(graph, full):
        x = serialized_sparse if isinstance(serialized_sparse, Tensor) else convert_to_tensor(
            serialized_sparse, dtype=_dtypes.string, name="serialized_sparse")
    if x._dtype != _dtypes.string:
        raise TypeError(f"Input 'serialized_sparse' of 'DeserializeManySparse' Op has type "
                        f"{x._dtype.name} that does not match expected type of string.")
    dt = _dtypes.as_dtype(dtype)
    attrs = {"dtype": dt}
    if x._shape is not None:
        if len(x._shape) != 2:
            raise node_error(f"Shape must be rank 2 but is rank {len(x._shape)}", full,
                             "DeserializeManySparse", attr_text(attrs), [x])
        if x._shape[1] is not None and x._shape[1] != 3:
            raise node_error(f"Dimension must be 3 but is {x._shape[1]}", full,
                             "DeserializeManySparse", attr_text(attrs), [x])
    op = make_op(graph, full, "DeserializeManySparse", [x], attrs,
                 [(_int64, (None, rank)), (dt, (None,)), (_int64, (rank,))])
    ind, val, shp = op._outputs
    return SparseTensor(ind, val, shp)


class _Reader:
    """The protobuf wire format, as much of it as a TensorProto needs."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def more(self) -> bool:
        return self.pos < len(self.data)

    def varint(self) -> int:
        shift = result = 0
        while True:
            byte = self.data[self.pos]  # IndexError when truncated
            self.pos += 1
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7

    def bytes_(self) -> bytes:
        size = self.varint()
        out = self.data[self.pos:self.pos + size]
        if len(out) != size:
            raise ValueError("truncated")
        self.pos += size
        return out

    def fields(self) -> Any:
        """(field number, int or bytes) pairs; other wire types are not TensorProto's."""
        while self.more():
            key = self.varint()
            if key & 7 == 0:
                yield key >> 3, self.varint()
            elif key & 7 == 2:
                yield key >> 3, self.bytes_()
            else:
                raise ValueError("unsupported wire type")


def _parse_tensor(data: bytes) -> tuple[_dtypes.DType, np.ndarray]:
    """A serialized TensorProto with its values in tensor_content (what TF's
    AsProtoTensorContent and varstore write) as a NumPy array."""
    enum, dims, content = 0, [], b""
    for number, value in _Reader(data).fields():
        if number == 1 and isinstance(value, int):
            enum = value
        elif number == 2 and isinstance(value, bytes):
            for dnum, dim in _Reader(value).fields():
                if dnum == 2 and isinstance(dim, bytes):
                    size = [v for n, v in _Reader(dim).fields() if n == 1]
                    dims.append(int(size[0]) if size else 0)
        elif number == 4 and isinstance(value, bytes):
            content = value
        else:
            raise ValueError("a TensorProto field varstore does not read")
    dt = _dtypes.as_dtype(enum)
    count = int(np.prod(dims, dtype=np.int64))
    if dt == _dtypes.string:
        reader = _Reader(content)
        lengths = [reader.varint() for _ in range(count)]
        items = []
        for n in lengths:
            items.append(content[reader.pos:reader.pos + n])
            reader.pos += n
        return dt, np.array(items, dtype=object).reshape(dims)
    arr = np.frombuffer(content, dtype=np.dtype(dt._np).newbyteorder("<"), count=count)
    return dt, arr.astype(dt._np).reshape(dims)


def _decode(data: bytes, op: Operation) -> tuple[_dtypes.DType, np.ndarray]:
    try:
        return _parse_tensor(data)
    except (ValueError, TypeError, IndexError, KeyError):
        raise InvalidArgumentError(None, op, "Could not parse serialized proto") from None


@register_kernel("DeserializeManySparse")
def _deserialize_kernel(op: Operation) -> Callable[..., tuple[Any, ...]]:
    dt = op._attrs["dtype"]

    def kernel(serialized: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        s = np.asarray(serialized, dtype=object)
        if s.ndim < 1 or s.shape[-1] != 3:
            raise InvalidArgumentError(None, op, "Serialized sparse should have 3 as the last "
                                       f"dimension {list(s.shape)}")
        batch = s.shape[:-1]
        rows = s.reshape(-1, 3)
        if rows.shape[0] == 0:
            r = len(batch)
            return (np.zeros((0, r), np.int64), np.zeros((0,), dt._np),
                    np.array(batch, np.int64))
        parts = []
        rank = None
        for i, (si, sv, ss) in enumerate(rows):
            _, idx = _decode(si, op)
            vdt, vals = _decode(sv, op)
            _, shp = _decode(ss, op)
            if vdt != dt:
                raise InvalidArgumentError(
                    None, op, f"Requested SparseTensor of type {type_string(dt.as_datatype_enum)}"
                    f" but SparseTensor[{i}].values.dtype() == "
                    f"{type_string(vdt.as_datatype_enum)}")
            if rank is not None and shp.size != rank:
                raise InvalidArgumentError(
                    None, op, "Inconsistent shape across SparseTensors: rank prior to "
                    f"SparseTensor[{i}] was: {rank} but rank of SparseTensor[{i}] is: "
                    f"{shp.size}")
            rank = shp.size
            parts.append((idx.reshape(-1, rank), vals.reshape(-1), shp))
        assert rank is not None
        shape = np.max(np.stack([p[2] for p in parts]), axis=0)
        coords = np.array(list(np.ndindex(*batch)), dtype=np.int64).reshape(-1, len(batch))
        idx_out = np.concatenate([
            np.hstack([np.repeat(coords[i:i + 1], p[0].shape[0], axis=0), p[0]])
            for i, p in enumerate(parts)])
        vals_out = np.concatenate([p[1] for p in parts]).astype(
            dt._np if dt != _dtypes.string else object)
        return idx_out, vals_out, np.concatenate([np.array(batch, np.int64), shape])

    return kernel


NotDifferentiable("SerializeSparse")
NotDifferentiable("SerializeManySparse")
NotDifferentiable("DeserializeManySparse")
