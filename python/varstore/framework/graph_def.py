"""GraphDef serialization of a varstore Graph (TF's Graph.as_graph_def), for TensorBoard's
graph view, ``tf.train.write_graph`` and ``sess.graph_def``.

The protos are TensorFlow's own (graph.proto, node_def.proto, attr_value.proto,
tensor.proto), as tensorboardX ships them, so the bytes are what TF writes for the same
nodes: inputs spelled ``op``, ``op:1`` and ``^op`` for control inputs, the ops' attrs
(dtype, shape, value tensors, lists) and, with ``add_shapes``, ``_output_shapes`` (on ops
with outputs). ``tf.import_graph_def`` (framework/importer.py) reads them back, in varstore
or in TF. varstore keeps no function library: a while loop's bodies are not serialized as
functions, and attrs holding Python objects (a loop's sub-graphs) are left out, so a graph
with a ``tf.while_loop`` does not import (in varstore or TF).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.tensor_shape import TensorShape, as_shape

__all__ = ["GRAPH_DEF_VERSION", "as_graph_def", "attr_value", "graph_def_pb2", "make_tensor_proto",
           "node_def"]

# TF 2.21's GraphDef producer version (tensorflow/core/public/version.h), so that readers
# that check versions accept the file.
GRAPH_DEF_VERSION = 2474


def graph_def_pb2() -> Any:
    from tensorboardX.proto import graph_pb2  # type: ignore[import-untyped,unused-ignore]
    return graph_pb2


# dims -> a filled TensorShapeProto to copy (graphs repeat few shapes; a copy is one C call)
_SHAPES: dict[Any, Any] = {}


def _shape_proto(shape: Any, proto: Any) -> None:
    s = shape if isinstance(shape, TensorShape) else as_shape(shape)
    dims = s._dims
    made = _SHAPES.get(dims)
    if made is not None:
        proto.CopyFrom(made)
        return
    proto.SetInParent()  # a scalar's shape is present and empty, as in TF's protos
    if dims is None:
        proto.unknown_rank = True
    else:
        for d in dims:
            proto.dim.add().size = -1 if d is None else int(d)
    if len(_SHAPES) < 4096:
        copy = type(proto)()
        copy.CopyFrom(proto)
        _SHAPES[dims] = copy


def make_tensor_proto(value: Any, proto: Any) -> None:
    """Fills a TensorProto as TF's make_tensor_proto does for a Const: scalars and
    strings in the typed value fields, other arrays as little-endian tensor_content."""
    arr = np.asarray(value)
    dt = _dtypes.as_dtype(arr.dtype) if arr.dtype.kind not in "OUS" else _dtypes.string
    proto.dtype = dt.as_datatype_enum
    _shape_proto(arr.shape, proto.tensor_shape)
    if dt == _dtypes.string:
        for item in arr.reshape(-1):
            proto.string_val.append(item if isinstance(item, bytes) else str(item).encode())
        return
    if arr.ndim == 0:
        if dt in (_dtypes.float32,):
            proto.float_val.append(float(arr))
        elif dt == _dtypes.float64:
            proto.double_val.append(float(arr))
        elif dt == _dtypes.bool:
            proto.bool_val.append(bool(arr))
        elif dt in (_dtypes.int64,):
            proto.int64_val.append(int(arr))
        elif dt.is_integer:
            proto.int_val.append(int(arr))
        else:
            proto.tensor_content = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        return
    proto.tensor_content = arr.astype(arr.dtype.newbyteorder("<")).tobytes()


def _set_attr(attr: Any, value: Any) -> bool:
    """Fills an AttrValue; False when the value has no AttrValue form (a Python object)."""
    if isinstance(value, _dtypes.DType):
        attr.type = value.as_datatype_enum
    elif isinstance(value, bool):
        attr.b = value
    elif isinstance(value, (int, np.integer)):
        attr.i = int(value)
    elif isinstance(value, (float, np.floating)):
        attr.f = float(value)
    elif isinstance(value, str):
        attr.s = value.encode()
    elif isinstance(value, bytes):
        attr.s = value
    elif isinstance(value, TensorShape):
        _shape_proto(value, attr.shape)
    elif isinstance(value, np.ndarray):
        make_tensor_proto(value, attr.tensor)
    elif isinstance(value, (list, tuple)):
        lst = attr.list
        for v in value:
            if isinstance(v, _dtypes.DType):
                lst.type.append(v.as_datatype_enum)
            elif isinstance(v, bool):
                lst.b.append(v)
            elif isinstance(v, (int, np.integer)):
                lst.i.append(int(v))
            elif isinstance(v, (float, np.floating)):
                lst.f.append(float(v))
            elif isinstance(v, (str, bytes)):
                lst.s.append(v.encode() if isinstance(v, str) else v)
            elif isinstance(v, TensorShape) or v is None:
                _shape_proto(v if v is not None else TensorShape(None), lst.shape.add())
            else:
                return False
        if not value:
            attr.list.SetInParent()
    else:
        return False
    return True


def _input_name(t: Any) -> str:
    return t._op._name if t._index == 0 else f"{t._op._name}:{t._index}"


# The GraphDef is serialized here and parsed once (protobuf's C parser): filling its
# messages field by field costs ~50 us a node, the bytes a few. Attr values repeat (T=float,
# padding="SAME", shapes), so each hashable one is encoded once: value -> AttrValue bytes.
_ATTRS: dict[Any, bytes | None] = {}
_MISS = object()
_PLAIN = (bool, int, float, str, bytes, np.integer, np.floating, _dtypes.DType)


_ONE_BYTE = [bytes([i]) for i in range(128)]


def _varint(n: int) -> bytes:
    if 0 <= n < 128:
        return _ONE_BYTE[n]
    n &= (1 << 64) - 1  # (negative int64s: ten bytes, as protobuf writes them)
    out = bytearray()
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


_TAGS = {number: _varint((number << 3) | 2) for number in range(1, 16)}


def _field(number: int, data: bytes) -> bytes:
    """A length-delimited field: tag, length, bytes."""
    n = len(data)
    return _TAGS[number] + (_ONE_BYTE[n] if n < 128 else _varint(n)) + data


def _item_key(v: Any) -> Any:
    if isinstance(v, (float, np.floating)):
        return (type(v), v, repr(v))  # (0.0 and -0.0 are equal keys, not equal attrs)
    if isinstance(v, _PLAIN):
        return (type(v), v)
    if isinstance(v, TensorShape):
        return (TensorShape, v._dims)
    if v is None:
        return (None, None)
    return _MISS


def _cache_key(value: Any) -> Any:
    """A hashable key that tells the value (and its AttrValue form) apart, or _MISS."""
    if isinstance(value, (list, tuple)):
        items = tuple(_item_key(v) for v in value)
        return _MISS if _MISS in items else (list, items)
    return _item_key(value)


def _attr_bytes(value: Any) -> bytes | None:
    """The serialized AttrValue of an attr value (None: it has none, a Python object)."""
    key = _cache_key(value)
    if key is not _MISS:
        found = _ATTRS.get(key, _MISS)
        if found is not _MISS:
            return found  # type: ignore[return-value]
    from tensorboardX.proto import attr_value_pb2  # type: ignore[import-untyped,unused-ignore]

    attr = attr_value_pb2.AttrValue()
    data = attr.SerializeToString() if _set_attr(attr, value) else None
    if key is not _MISS and len(_ATTRS) < 65536:
        _ATTRS[key] = data
    return data


def _node_bytes(op: Any, add_shapes: bool) -> bytes:
    parts = [_field(1, op._name.encode()), _field(2, op._type.encode())]
    parts.extend(_field(3, _input_name(t).encode()) for t in op._inputs)
    parts.extend(_field(3, ("^" + c._name).encode()) for c in op._control_inputs)
    if op._device:
        parts.append(_field(4, op._device.encode()))
    for key, value in (op._attrs or {}).items():
        entry = _attr_entry(key, value)
        if entry is not None:
            parts.append(entry)
    if add_shapes and op._outputs:
        entry = _attr_entry("_output_shapes", [TensorShape._of(t._shape) for t in op._outputs])
        assert entry is not None
        parts.append(entry)
    return b"".join(parts)


def node_def(op: Any) -> Any:
    """``Operation.node_def``: the op's NodeDef proto, the bytes as_graph_def writes."""
    from tensorboardX.proto import node_def_pb2  # type: ignore[import-untyped,unused-ignore]

    return node_def_pb2.NodeDef.FromString(_node_bytes(op, False))


# the AttrValue fields TF's Operation.get_attr reads a list from, in its order
_LIST_FIELDS = ("s", "i", "f", "b", "type", "shape", "tensor", "func")


def attr_value(value: Any) -> Any:
    """``Operation.get_attr``'s value: the attr's AttrValue decoded as TF's get_attr does
    (strings as bytes, shapes as TensorShapeProto, tensors as TensorProto, types as DType);
    a value with no AttrValue form (a Python object) is returned as it is."""
    if isinstance(value, (bool, int, float, _dtypes.DType)) and not isinstance(value, np.generic):
        return value
    from tensorboardX.proto import attr_value_pb2  # type: ignore[import-untyped,unused-ignore]

    attr = attr_value_pb2.AttrValue()
    if not _set_attr(attr, value):
        return value
    which = attr.WhichOneof("value")
    if which is None:
        return []
    if which == "list":
        for f in _LIST_FIELDS:
            items = getattr(attr.list, f)
            if items:
                if f == "type":
                    return [_dtypes.as_dtype(t) for t in items]
                return list(items)
        return []
    if which == "type":
        return _dtypes.as_dtype(attr.type)
    return getattr(attr, which)


_ENTRIES: dict[Any, bytes | None] = {}


def _attr_entry(key: str, value: Any) -> bytes | None:
    """The NodeDef field of one attr (a map entry: the key and its AttrValue)."""
    cache_key = _cache_key(value)
    if cache_key is not _MISS:
        found = _ENTRIES.get((key, cache_key), _MISS)
        if found is not _MISS:
            return found  # type: ignore[return-value]
    data = _attr_bytes(value)
    entry = None if data is None else _field(5, _field(1, key.encode()) + _field(2, data))
    if cache_key is not _MISS and len(_ENTRIES) < 65536:
        _ENTRIES[(key, cache_key)] = entry
    return entry


def as_graph_def(graph: Any, from_version: int | None = None,
                 add_shapes: bool = False) -> Any:
    """The GraphDef of ``graph``'s nodes (those added after node ``from_version`` when
    given, as TF counts them)."""
    pb = graph_def_pb2()
    with graph._lock:
        ops = list(graph._ops)
    parts = [_field(1, _node_bytes(op, add_shapes)) for op in ops
             if from_version is None or op._id > from_version]
    parts.append(_field(4, b"\x08" + _varint(GRAPH_DEF_VERSION)))  # versions.producer
    return pb.GraphDef.FromString(b"".join(parts))
