"""``tf.io.serialize_tensor`` (``SerializeTensor``) and ``tf.io.parse_tensor``
(``ParseTensor``): a tensor as the bytes of TF's TensorProto and back.

The TensorProto class is TF's own tensor.proto as tensorboardX ships it. As TF's kernel, a
string tensor goes into ``string_val`` and any other into ``tensor_content`` (its
little-endian bytes), so the bytes match TF's. Parsing also reads the typed ``*_val``
fields other writers use (one value fills the whole shape, as TF's Tensor::FromProto).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.op_def_library import check_same_graph, first_input
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    make_op,
    register_kernel,
    scope_of,
)

__all__ = ["parse_tensor", "serialize_tensor"]

_TF_NAMES = {"float32": "float", "float64": "double", "float16": "half"}
# the TensorProto field holding each DataType's values when tensor_content is empty
_VAL_FIELDS = {1: "float_val", 2: "double_val", 3: "int_val", 4: "int_val", 5: "int_val",
               6: "int_val", 9: "int64_val", 10: "bool_val", 17: "int_val", 22: "uint32_val",
               23: "uint64_val", 19: "half_val"}


def _tensor_proto() -> Any:
    from tensorboardX.proto.tensor_pb2 import TensorProto
    return TensorProto


def serialize_tensor(tensor: Any, name: str | None = None) -> Tensor:
    """``tf.io.serialize_tensor``: a string scalar, the tensor's TensorProto bytes."""
    graph = check_same_graph(tensor)
    full = graph._op_name(name, "SerializeTensor")
    with scope_of(graph, full):
        t = first_input(tensor, "tensor")
    return make_op(graph, full, "SerializeTensor", [t], {"T": t.dtype},
                   [(_dtypes.string, ())])._outputs[0]


def parse_tensor(serialized: Any, out_type: Any, name: str | None = None) -> Tensor:
    """``tf.io.parse_tensor``: the tensor of a serialized TensorProto (shape unknown until
    run)."""
    graph = check_same_graph(serialized)
    full = graph._op_name(name, "ParseTensor")
    dtype = _dtypes.as_dtype(out_type)
    with scope_of(graph, full):
        s = first_input(serialized, "serialized", _dtypes.string)
    return make_op(graph, full, "ParseTensor", [s], {"out_type": dtype},
                   [(dtype, None)])._outputs[0]


def _unparsable(raw: bytes) -> str:
    return ("Could not parse `serialized` as TensorProto, base64: "
            + base64.b64encode(raw).decode())


def _tf_type(dtype: _dtypes.DType) -> Any:
    from varstore.train import tf_dtypes
    t = tf_dtypes.by_numpy(np.dtype(object) if dtype is _dtypes.string else np.dtype(dtype._np))
    if t is None:
        raise ValueError(f"varstore cannot serialize tensors of type {dtype.name}")
    return t


@register_kernel("SerializeTensor")
def _serialize_kernel(op: Operation) -> Callable[..., Any]:
    from varstore.io.tf_record import as_bytes
    dtype: _dtypes.DType = op._attrs["T"]

    def kernel(x: np.ndarray) -> np.ndarray:
        proto = _tensor_proto()()
        a = np.asarray(x)
        proto.dtype = _tf_type(dtype).enum
        proto.tensor_shape.SetInParent()
        for d in a.shape:
            proto.tensor_shape.dim.add(size=int(d))
        if dtype is _dtypes.string:
            proto.string_val.extend(as_bytes(v) for v in a.reshape(-1))
        else:
            proto.tensor_content = np.ascontiguousarray(
                a.astype(a.dtype.newbyteorder("<"), copy=False)).tobytes()
        return np.asarray(proto.SerializeToString(), dtype=object)

    return kernel


@register_kernel("ParseTensor")
def _parse_kernel(op: Operation) -> Callable[..., Any]:
    from varstore.io.tf_record import as_bytes
    dtype: _dtypes.DType = op._attrs["out_type"]
    want = _tf_type(dtype)

    def kernel(serialized: np.ndarray) -> np.ndarray:
        raw = as_bytes(np.asarray(serialized).reshape(()).item())
        proto = _tensor_proto()()
        try:
            proto.ParseFromString(raw)
        except Exception:  # noqa: BLE001 - protobuf's DecodeError and its kin
            raise InvalidArgumentError(None, None, _unparsable(raw)) from None
        if proto.dtype != want.enum:
            from varstore.train import tf_dtypes
            got = tf_dtypes.by_enum(proto.dtype)
            got_name = got.name if got is not None else str(proto.dtype)
            raise InvalidArgumentError(
                None, None, f"Type mismatch between parsed tensor ({_TF_NAMES.get(got_name, got_name)}"
                f") and dtype ({_TF_NAMES.get(dtype.name, dtype.name)})")
        shape = [int(d.size) for d in proto.tensor_shape.dim]
        n = int(np.prod(shape))
        if dtype is _dtypes.string:
            out = np.empty(n, dtype=object)
            out[:] = list(proto.string_val)
            return out.reshape(shape)
        np_type = np.dtype(dtype._np)
        if proto.tensor_content:
            flat = np.frombuffer(proto.tensor_content, dtype=np_type.newbyteorder("<"))
        else:
            vals = list(getattr(proto, _VAL_FIELDS.get(proto.dtype, "int_val")))
            flat = np.asarray(vals[:n] + vals[-1:] * (n - len(vals)) if vals else [0] * n)
        if flat.size != n:
            raise InvalidArgumentError(None, None, _unparsable(raw))
        return flat.astype(np_type).reshape(shape)

    return kernel


NotDifferentiable("SerializeTensor")
NotDifferentiable("ParseTensor")
