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


def _string_lengths(items: list[bytes]) -> bytes:
    # TF's port::EncodeStringList: each length as a varint, then the bytes
    out = bytearray()
    for item in items:
        n = len(item)
        while n > 0x7F:
            out.append(n & 0x7F | 0x80)
            n >>= 7
        out.append(n)
    return bytes(out) + b"".join(items)


def _tensor_proto(arr: np.ndarray, dtype: _dtypes.DType) -> bytes:
    """Tensor::AsProtoTensorContent's TensorProto: every value in tensor_content (little
    endian; strings as their varint lengths, then their bytes), nothing for no elements."""
    proto = _tensor_proto_class()()
    proto.dtype = dtype.as_datatype_enum
    proto.tensor_shape.SetInParent()
    for d in arr.shape:
        proto.tensor_shape.dim.add(size=int(d))
    if arr.size:
        if dtype == _dtypes.string:
            proto.tensor_content = _string_lengths(
                [v if isinstance(v, bytes) else str(v).encode() for v in arr.reshape(-1)])
        else:
            proto.tensor_content = np.ascontiguousarray(arr).astype(
                arr.dtype.newbyteorder("<")).tobytes()
    data: bytes = proto.SerializeToString()
    return data


def _tensor_proto_class() -> Any:
    from tensorboardX.proto.tensor_pb2 import TensorProto  # type: ignore[import-untyped,unused-ignore]

    return TensorProto


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


def _parse_tensor(data: bytes) -> tuple[_dtypes.DType, np.ndarray]:
    """A TensorProto written with AsProtoTensorContent (TF's and varstore's serialize ops)
    back as a NumPy array."""
    proto = _tensor_proto_class()()
    proto.ParseFromString(data)
    dt = _dtypes.as_dtype(proto.dtype)
    dims = [int(d.size) for d in proto.tensor_shape.dim]
    count = int(np.prod(dims, dtype=np.int64))
    content = proto.tensor_content
    if dt == _dtypes.string:
        lengths, pos = [], 0
        for _ in range(count):
            shift = n = 0
            while True:
                byte = content[pos]  # IndexError when the content is short
                pos += 1
                n |= (byte & 0x7F) << shift
                shift += 7
                if not byte & 0x80:
                    break
            lengths.append(n)
        items = []
        for n in lengths:
            items.append(content[pos:pos + n])
            pos += n
        return dt, np.array(items, dtype=object).reshape(dims)
    arr = np.frombuffer(content, dtype=np.dtype(dt._np).newbyteorder("<"), count=count)
    return dt, arr.astype(dt._np).reshape(dims)


def _decode(data: bytes, op: Operation) -> tuple[_dtypes.DType, np.ndarray]:
    try:
        return _parse_tensor(data)
    except Exception:  # noqa: BLE001 - protobuf's DecodeError and short or bad contents
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
