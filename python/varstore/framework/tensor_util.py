"""``tf.get_static_value``: TF's tensor_util.constant_value, the value of a tensor computed
at graph-construction time from the ops TF folds (Const, Shape, Size, Rank, Range, Cast,
Concat/ConcatV2, Pack, Unpack, Split, Fill, Equal, NotEqual, StopGradient, Identity) and
nothing else: ``tf.get_static_value(c + 1)`` is None in TF, so it is here too.

constant_op.constant_value is varstore's own (wider) folding for static shapes; this module
is TF's public function, with its rules: a non-tensor is returned as it is, a variable gives
None, and ``partial=True`` lets a Pack hold None for the parts it cannot fold. (TF also marks
a folded tensor unfeedable; varstore does not track feedability.)"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.ops import Tensor

__all__ = ["get_static_value", "is_symbolic_tensor", "make_tensor_proto"]


def _fully_defined(shape: tuple[int | None, ...] | None) -> bool:
    return shape is not None and None not in shape


def _value(tensor: Tensor, partial: bool) -> Any:
    op = tensor._op
    t = op._type
    inputs = op._inputs
    if t == "Const":
        return np.array(op._data, copy=True)
    if t == "Shape":
        shape = inputs[0]._shape
        if not _fully_defined(shape):
            return None
        return np.array(shape, dtype=tensor._dtype._np)
    if t == "Size":
        shape = inputs[0]._shape
        if shape is None or None in shape:
            return None
        return np.int32(math.prod(d for d in shape if d is not None))
    if t == "Rank":
        shape = inputs[0]._shape
        return None if shape is None else np.array(len(shape), dtype=np.int32)
    if t == "Range":
        bounds = [get_static_value(i) for i in inputs]
        if any(b is None for b in bounds):
            return None
        return np.arange(*bounds, dtype=tensor._dtype._np)
    if t == "Cast":
        pre = get_static_value(inputs[0])
        return None if pre is None else pre.astype(op._attrs["DstT"]._np)
    if t in ("Concat", "ConcatV2"):
        dim = get_static_value(inputs[0] if t == "Concat" else inputs[-1])
        if dim is None:
            return None
        values = []
        for x in (inputs[1:] if t == "Concat" else inputs[:-1]):
            v = get_static_value(x)
            if v is None:
                return None
            values.append(v)
        return np.concatenate(values, axis=int(dim))
    if t == "Pack":
        if not inputs or op._attrs.get("axis", 0) != 0:
            return None
        values = []
        for x in inputs:
            v = get_static_value(x, partial)
            if v is None and not partial:
                return None
            values.append(v)
        try:
            return np.array(values)
        except ValueError:
            return np.array(values, dtype=object)  # partial: some values are None
    if t == "Unpack":
        if op._attrs.get("axis", 0) != 0:
            return None
        v = get_static_value(inputs[0], partial)
        return None if v is None else v[tensor._index]
    if t == "Split":
        dim = get_static_value(inputs[0])
        v = get_static_value(inputs[1], partial)
        if v is None or dim is None:
            return None
        return np.split(v, op._attrs["num_split"], int(dim))[tensor._index]
    if t == "Fill":
        fill = get_static_value(inputs[1])
        if _fully_defined(tensor._shape) and fill is not None:
            return np.full(tensor._shape, fill, dtype=fill.dtype)
        return None
    if t in ("Equal", "NotEqual"):
        a = get_static_value(inputs[0])
        if a is None:
            return None
        b = get_static_value(inputs[1])
        if b is None:
            return None
        return np.equal(a, b) if t == "Equal" else np.not_equal(a, b)
    if t in ("StopGradient", "Identity", "CheckNumericsV2", "DebugIdentityV2"):
        return get_static_value(inputs[0], partial)
    return None


def get_static_value(tensor: Any, partial: bool = False) -> Any:
    """``tf.get_static_value``: the constant value of ``tensor`` if TF can fold it when the
    graph is built, else None; a non-tensor value is returned unchanged."""
    if isinstance(tensor, Tensor):
        if tensor._dtype is _dtypes.resource or tensor._dtype is _dtypes.variant:
            return None
        return _value(tensor, partial)
    if hasattr(type(tensor), "_as_tensor") or hasattr(tensor, "_as_graph_element"):
        return None  # a variable (tensor-like, but not a graph tensor): TF gives None
    return tensor


# TF's _TENSOR_CONTENT_TYPES (of the dtypes varstore has): a tensor of more than one element
# of these, with as many values as its shape holds, is stored as raw little-endian bytes
_CONTENT_TYPES = frozenset(("float16", "float32", "float64", "int32", "uint8", "int16", "int8",
                            "int64", "uint32", "uint64"))


def _dense_dims(value: Any) -> list[int]:
    """TF's _GetDenseDimensions: the shape a nested list claims, from its first elements."""
    if not isinstance(value, (list, tuple)):
        return []
    if not value:
        return [0]
    return [len(value), *_dense_dims(value[0])]


def _append_values(proto: Any, arr: np.ndarray, dt: Any) -> None:
    """TF's GetNumpyAppendFn: the typed value field of each dtype."""
    flat = arr.reshape(-1)
    name = dt.name
    if name == "float16":
        proto.half_val.extend(flat.view(np.uint16).astype(np.int64).tolist())
    elif name == "float32":
        proto.float_val.extend(flat.tolist())
    elif name == "float64":
        proto.double_val.extend(flat.tolist())
    elif name in ("int32", "int16", "int8", "uint8", "uint16"):
        proto.int_val.extend(flat.astype(np.int64).tolist())
    elif name == "int64":
        proto.int64_val.extend(flat.tolist())
    elif name == "uint32":
        proto.uint32_val.extend(flat.tolist())
    elif name == "uint64":
        proto.uint64_val.extend(flat.tolist())
    elif name in ("complex64", "complex128"):
        field = proto.scomplex_val if name == "complex64" else proto.dcomplex_val
        for c in flat.tolist():
            field.extend([c.real, c.imag])
    elif name == "bool":
        proto.bool_val.extend(flat.tolist())
    elif name == "string":
        proto.string_val.extend(v if isinstance(v, bytes) else str(v).encode()
                                for v in flat.tolist())
    else:
        raise TypeError(f"Element type not supported in TensorProto: {name}.")


def make_tensor_proto(values: Any, dtype: Any = None, shape: Any = None,
                      verify_shape: bool = False, allow_broadcast: bool = False) -> Any:
    """``tf.make_tensor_proto``: a TensorProto of ``values`` as TF writes it (raw
    tensor_content for multi-element numeric tensors that fill their shape, else the typed
    value fields; a shorter value list is left for the reader to pad with its last value)."""
    from tensorboardX.proto import tensor_pb2  # type: ignore[import-untyped,unused-ignore]

    from varstore.framework import constant_op
    from varstore.framework.graph_def import _shape_proto

    if allow_broadcast and verify_shape:
        raise ValueError("allow_broadcast and verify_shape are not both allowed.")
    if isinstance(values, tensor_pb2.TensorProto):
        return values
    dt = _dtypes.as_dtype(dtype) if dtype else None
    if isinstance(values, Tensor) or (isinstance(values, (list, tuple))
                                      and constant_op._contains_tensor(values)):
        raise TypeError(f"Failed to convert elements of {values} to Tensor. Consider casting "
                        "elements to a supported type. See https://www.tensorflow.org/"
                        "api_docs/python/tf/dtypes for supported TF dtypes.")
    if isinstance(values, (np.ndarray, np.generic)):
        arr = np.asarray(values)
        if dt is not None and dt is not _dtypes.string:
            arr = arr.astype(dt._np)
    elif values is None:
        raise ValueError("None values not supported.")
    elif shape is not None and np.prod(shape, dtype=np.int64) == 0:
        arr = np.empty([int(d) for d in shape],
                       dtype=dt._np if dt is not None and dt is not _dtypes.string else None)
    else:
        if dt is not None:
            arr = constant_op.strict(values, dt)
        else:
            arr, _ = constant_op.python_natural(values)
        dims = _dense_dims(values)
        if list(arr.shape) != dims:
            raise ValueError(f"Expected values {values} to be a dense tensor with shape "
                             f"{dims}, but got shape {list(arr.shape)}.")
    arr_dt = (_dtypes.string if arr.dtype.kind in "OSU"
              else _dtypes.as_dtype(arr.dtype))
    if dt is not None and dt.base_dtype != arr_dt:
        raise TypeError(f"`dtype` {dt} is not compatible with {values} of dtype "
                        f"{arr.dtype}.")
    if shape is None:
        dims_t = tuple(arr.shape)
        same_size = True
        size = arr.size
    else:
        dims_t = tuple(int(d) for d in shape)
        size = int(np.prod(dims_t, dtype=np.int64))
        same_size = size == arr.size
        if allow_broadcast:
            if arr.shape not in ((1,), ()) and arr.size != size:
                raise TypeError(f"Expected Tensor's shape: {dims_t}, but got {arr.shape}.")
        else:
            if verify_shape and arr.shape != dims_t:
                raise TypeError(f"Expected Tensor's shape: {dims_t}, but got {arr.shape}.")
            if arr.size > size:
                raise ValueError("Too many elements provided. Takes at most "
                                 f"{size:d}, but got {arr.size:d}.")
    proto = tensor_pb2.TensorProto()
    proto.dtype = arr_dt.as_datatype_enum
    _shape_proto(dims_t, proto.tensor_shape)
    if same_size and arr_dt.name in _CONTENT_TYPES and size > 1:
        proto.tensor_content = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        return proto
    _append_values(proto, arr, arr_dt)
    return proto



def is_symbolic_tensor(tensor: Any) -> bool:
    """``tf.is_symbolic_tensor``: whether ``tensor`` is a graph Tensor. TF 2's test is
    ``isinstance(tensor, SymbolicTensor)``, so a variable, a SparseTensor or IndexedSlices is
    not one."""
    return isinstance(tensor, Tensor)
