"""Parsing ``tf.train.Example`` protos and raw bytes (TF's ops/parsing_ops.py and
parsing_config.py): ``FixedLenFeature``, ``FixedLenSequenceFeature`` (allow_missing,
padded to the batch's longest), ``VarLenFeature``, ``parse_example`` /
``parse_single_example`` (one ``ParseExampleV2`` op, as TF 2's graph builds for both; a
VarLenFeature comes back as a SparseTensor), ``decode_raw`` (``DecodeRaw``).

The kernel decodes each Example with protobuf (io/example_pb2.py) and gives TF's
run-time messages for missing features, wrong types and wrong sizes. RaggedFeature,
SparseFeature and the SequenceExample parsers are not implemented.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.graph import name_scope
from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    make_op,
    register_kernel,
    scope_of,
)
from varstore.framework.sparse_tensor import SparseTensor
from varstore.framework.tensor_shape import TensorShape, as_shape

__all__ = ["FixedLenFeature", "FixedLenSequenceFeature", "VarLenFeature", "decode_raw", "parse_example",
           "parse_single_example"]

_ALLOWED = "float32, int64, string"
_KIND = {"float32": "float_list", "int64": "int64_list", "string": "bytes_list"}
_TF_TYPE = {"float32": "float", "int64": "int64", "string": "string"}


class FixedLenFeature(NamedTuple):
    """Configuration for parsing a fixed-length input feature."""

    shape: Any
    dtype: Any
    default_value: Any = None


class FixedLenSequenceFeature(NamedTuple):
    """Configuration for parsing a variable-length feature into a dense tensor of shape
    ``[None] + shape`` (a batch padded with ``default_value``)."""

    shape: Any
    dtype: Any
    allow_missing: bool = False
    default_value: Any = None


class VarLenFeature(NamedTuple):
    """Configuration for parsing a variable-length input feature (a SparseTensor)."""

    dtype: Any


def _spec(features: Any) -> tuple[list[str], list[Any], list[str], list[Any]]:
    if not features:
        raise ValueError("Invalid argument: features cannot be empty.")
    sparse_keys: list[str] = []
    sparse_types: list[Any] = []
    dense_keys: list[str] = []
    dense: list[Any] = []
    for key in sorted(features):
        f = features[key]
        if isinstance(f, VarLenFeature):
            sparse_keys.append(key)
            sparse_types.append(_dtypes.as_dtype(f.dtype))
        elif isinstance(f, FixedLenSequenceFeature):
            if not f.allow_missing:
                raise ValueError("Unsupported: FixedLenSequenceFeature requires "
                                 "allow_missing to be True.")
            if any(d is None for d in as_shape(f.shape).as_list() or []):
                raise ValueError(f"varstore lacks FixedLenSequenceFeature shapes with "
                                 f"unknown dimensions ({key}: {f.shape})")
            dense_keys.append(key)
            dense.append(f)
        elif isinstance(f, FixedLenFeature):
            shape = as_shape(f.shape)
            if shape.ndims is None or any(d is None for d in shape.as_list()):
                raise ValueError(f"varstore lacks FixedLenFeature shapes with unknown "
                                 f"dimensions ({key}: {f.shape})")
            dense_keys.append(key)
            dense.append(f)
        else:
            raise ValueError(f"Unsupported {type(f).__name__} {f}.")  # noqa: TRY004 - TF's
    return sparse_keys, sparse_types, dense_keys, dense


def _parse(serialized: Tensor, features: Any, example_names: Any, name: str | None,
           single: bool) -> dict[str, Any]:
    sparse_keys, sparse_types, dense_keys, dense = _spec(features)
    with name_scope(name, "ParseExample", [serialized]):
        serialized = convert_to_tensor(serialized, name="serialized")
        rank = serialized.get_shape().ndims
        if rank is not None and rank > 1:
            raise ValueError(f"Shape must be at most rank 1 but is rank {rank} for "
                             "'{{node ParseExampleV2}}'")
        defaults, shapes = [], []
        for key, f in zip(dense_keys, dense):
            dtype = _dtypes.as_dtype(f.dtype)
            check_allowed(dtype, _ALLOWED, "dense_defaults")
            from varstore.ops.array_ops import reshape
            safe = re.sub("[^A-Za-z0-9_.\\-/]", "_", key)
            if isinstance(f, FixedLenSequenceFeature):
                # a variable-length dense feature: its default is the scalar padding value
                shape = TensorShape([None]).concatenate(as_shape(f.shape))
                if f.default_value is None:
                    defaults.append(convert_to_tensor("" if dtype is _dtypes.string else 0,
                                                      dtype=dtype))
                else:
                    d = convert_to_tensor(f.default_value, dtype=dtype, name=f"padding_{safe}")
                    defaults.append(reshape(d, []))
            else:
                shape = as_shape(f.shape)
                if f.default_value is None:
                    defaults.append(constant([], dtype=dtype))
                else:
                    d = convert_to_tensor(f.default_value, dtype=dtype, name=f"key_{safe}")
                    defaults.append(reshape(d, shape.as_list()))
            shapes.append(shape)
        for t in sparse_types:
            check_allowed(t, _ALLOWED, "sparse_types")
        graph = check_same_graph(serialized, *defaults)
        full = graph._op_name(None, "ParseExampleV2")
        with scope_of(graph, full):
            names = convert_to_tensor([] if example_names is None else example_names,
                                      dtype=_dtypes.string, name="names")
            keys = [constant(k, dtype=_dtypes.string, shape=[len(k)], name=n) for k, n in (
                (sparse_keys, "sparse_keys"), (dense_keys, "dense_keys"),
                ([], "ragged_keys"))]
        lead: tuple[int | None, ...] = () if rank == 0 else (
            (serialized.get_shape().as_list()[0],) if rank == 1 else (None,))
        srank = 1 + (0 if rank == 0 else 1)
        outs: list[tuple[Any, Any]] = [(_dtypes.int64, (None, srank)) for _ in sparse_keys]
        outs += [(t, (None,)) for t in sparse_types]
        outs += [(_dtypes.int64, (srank,)) for _ in sparse_keys]
        outs += [(_dtypes.as_dtype(f.dtype), lead + tuple(s.as_list()))
                 for f, s in zip(dense, shapes)]
        attrs = {"Tdense": [_dtypes.as_dtype(f.dtype) for f in dense],
                 "num_sparse": len(sparse_keys), "sparse_types": sparse_types,
                 "ragged_value_types": [], "ragged_split_types": [], "dense_shapes": shapes}
        op = make_op(graph, full, "ParseExampleV2", [serialized, names, *keys, *defaults],
                     attrs, outs)
        o, ns = op._outputs, len(sparse_keys)
        result: dict[str, Any] = {k: SparseTensor(o[i], o[ns + i], o[2 * ns + i])
                                  for i, k in enumerate(sparse_keys)}
        result.update({k: o[3 * ns + i] for i, k in enumerate(dense_keys)})
        return result


def parse_example(serialized: Any, features: Any, name: str | None = None,
                  example_names: Any = None) -> dict[str, Any]:
    """``tf.io.parse_example``: a batch (vector) of serialized Examples -> a dict of dense
    tensors ([batch] + shape) and SparseTensors (indices [example, position])."""
    return _parse(serialized, features, example_names, name, False)


def parse_single_example(serialized: Any, features: Any, name: str | None = None,
                         example_names: Any = None) -> dict[str, Any]:
    """``tf.io.parse_single_example``: one serialized Example (a scalar)."""
    if not features:
        raise ValueError("Invalid argument: features cannot be empty.")
    with name_scope(name, "ParseSingleExample", [serialized]):
        serialized = convert_to_tensor(serialized, name="serialized")
        ndims = serialized.get_shape().ndims
        if ndims is not None and ndims != 0:
            raise ValueError("Input serialized must be a scalar")
        return _parse(serialized, features, example_names, None, True)


# -- the kernel -----------------------------------------------------------------------------
def _values(feature: Any, key: str, dtype: _dtypes.DType, sparse: bool) -> list[Any] | None:
    kind = feature.WhichOneof("kind")
    want = _KIND[dtype.name]
    if kind is None:
        return []
    if kind != want:
        actual = kind.split("_")[0].replace("bytes", "string")
        if sparse:
            raise InvalidArgumentError(None, None, f"Key: {key}.  Data types don't match. "
                                       f"Expected type: {_TF_TYPE[dtype.name]}, Actual type: "
                                       f"{actual}")
        raise InvalidArgumentError(None, None, f"Key: {key}.  Data types don't match. Data "
                                   f"type: {actual} but expected type: "
                                   f"{_TF_TYPE[dtype.name]}")
    return list(getattr(feature, kind).value)


def _array(values: list[Any], dtype: _dtypes.DType) -> np.ndarray:
    if dtype is _dtypes.string:
        out = np.empty(len(values), dtype=object)
        out[:] = values
        return out
    return np.asarray(values, dtype=dtype._np).reshape(len(values))


@register_kernel("ParseExampleV2")
def _parse_kernel(op: Operation) -> Callable[..., Any]:
    # varstore.io imports this module: its parts are imported when a kernel is made
    from varstore.io.example_pb2 import Example
    from varstore.io.tf_record import as_bytes
    a = op._attrs
    sparse_types, dense_types = a["sparse_types"], a["Tdense"]
    shapes = [tuple(s.as_list()) for s in a["dense_shapes"]]

    def kernel(serialized: np.ndarray, names: np.ndarray, sparse_keys: np.ndarray,
               dense_keys: np.ndarray, ragged_keys: np.ndarray, *defaults: np.ndarray) -> Any:
        scalar = serialized.ndim == 0
        flat = serialized.reshape(-1)
        skeys = [as_bytes(k).decode() for k in sparse_keys.reshape(-1)]
        dkeys = [as_bytes(k).decode() for k in dense_keys.reshape(-1)]
        rows: list[list[list[Any]]] = [[] for _ in skeys]
        dense_out = [[] for _ in dkeys]  # type: list[list[np.ndarray]]
        ex_names = [as_bytes(n).decode() for n in names.reshape(-1)]
        for b, raw in enumerate(flat):
            try:
                ex = Example.FromString(as_bytes(raw))
            except Exception:  # noqa: BLE001 - protobuf's DecodeError and its kin
                shown = as_bytes(raw).decode("latin-1")
                raise InvalidArgumentError(None, None, "Could not parse example input, "
                                           f"value: '{shown}'") from None
            fmap = ex.features.feature
            for i, (k, t) in enumerate(zip(skeys, sparse_types)):
                rows[i].append(_values(fmap[k], k, t, True) or [] if k in fmap else [])
            for i, (k, t, shape) in enumerate(zip(dkeys, dense_types, shapes)):
                if shape and shape[0] is None:
                    vals = (_values(fmap[k], k, t, False) or []) if k in fmap else []
                    stride = int(np.prod(shape[1:]))
                    if (stride == 0 and vals) or (stride and len(vals) % stride):
                        raise InvalidArgumentError(
                            None, None, f"Error while parsing feature with key {k}: number "
                            f"of elements should be divisible by {stride}, found {len(vals)} "
                            "instead")
                    rows_n = len(vals) // stride if stride else 0
                    dense_out[i].append(_array(vals, t).reshape(rows_n, *shape[1:]))
                    continue
                if k not in fmap:
                    if defaults[i].size == 0 and int(np.prod(shape)) != 0:
                        shown_name = ex_names[b] if b < len(ex_names) else "<unknown>"
                        where = "" if scalar else f"Name: {shown_name}, "
                        raise InvalidArgumentError(
                            None, None, f"{where}Feature: {k} (data type: "
                            f"{_TF_TYPE[t.name]}) is required but could not be found.")
                    dense_out[i].append(np.asarray(defaults[i]).reshape(shape))
                    continue
                vals = _values(fmap[k], k, t, False) or []
                if len(vals) != int(np.prod(shape)):
                    raise InvalidArgumentError(
                        None, None, f"Key: {k}.  Can't parse serialized Example: Some "
                        f"{_KIND[t.name]} slice was not parsed.")
                dense_out[i].append(_array(vals, t).reshape(shape))
        out_i, out_v, out_s = [], [], []
        for i, t in enumerate(sparse_types):
            idx = [([] if scalar else [b]) + [j] for b, vs in enumerate(rows[i])
                   for j in range(len(vs))]
            width = 1 if scalar else 2
            out_i.append(np.asarray(idx, dtype=np.int64).reshape(len(idx), width))
            out_v.append(_array([v for vs in rows[i] for v in vs], t))
            longest = max((len(vs) for vs in rows[i]), default=0)
            out_s.append(np.asarray([longest] if scalar else [len(flat), longest],
                                    dtype=np.int64))
        dense_res = []
        for i, (t, shape) in enumerate(zip(dense_types, shapes)):
            if shape and shape[0] is None:
                # a sequence feature: each example padded to the batch's longest
                longest = max((len(v) for v in dense_out[i]), default=0)
                dense_out[i] = [np.concatenate([v, np.full(
                    (longest - len(v), *shape[1:]), defaults[i].reshape(()).item(),
                    dtype=v.dtype)]) if len(v) < longest else v for v in dense_out[i]]
                shape = (longest, *shape[1:])
            if scalar:
                dense_res.append(dense_out[i][0])
            else:
                stacked = (np.stack(dense_out[i]) if dense_out[i] else
                           np.empty((0, *shape), dtype=object if t is _dtypes.string
                                    else t._np))
                dense_res.append(stacked)
        res = tuple(out_i + out_v + out_s + dense_res)
        # an op with one output gives its array, not a 1-tuple
        return res if len(res) != 1 else res[0]

    return kernel


NotDifferentiable("ParseExampleV2")


# -- DecodeRaw ------------------------------------------------------------------------------
_RAW_TYPES = ("float16, float32, float64, int32, uint16, uint8, int16, int8, int64, "
              "complex64, complex128, bool, bfloat16")


def decode_raw(input_bytes: Any = None, out_type: Any = None, little_endian: bool = True,
               name: str | None = None, bytes: Any = None) -> Tensor:
    """``tf.io.decode_raw`` (TF1's decode_raw_v1: no fixed_length): op ``DecodeRaw``, each
    string reinterpreted as a vector of ``out_type`` (all strings of one size; the result
    has one more dimension)."""
    if input_bytes is not None and bytes is not None:
        raise ValueError("Cannot specify both 'input_bytes' and 'bytes'")
    if out_type is None:
        raise ValueError("decode_raw_v1() missing 1 positional argument: 'out_type'")
    value = input_bytes if input_bytes is not None else bytes
    graph = check_same_graph(value)
    full = graph._op_name(name, "DecodeRaw")
    dtype = _dtypes.as_dtype(out_type)
    with scope_of(graph, full):
        t = first_input(value, "bytes", _dtypes.string)
    if t.dtype is not _dtypes.string:
        raise TypeError(f"Input 'bytes' of 'DecodeRaw' Op has type {t.dtype.name} that does "
                        "not match expected type of string.")
    if dtype.name not in _RAW_TYPES.split(", "):
        raise TypeError(f"Value passed to parameter 'out_type' has DataType {dtype.name} not "
                        f"in list of allowed values: {_RAW_TYPES}")
    shape = None if t._shape is None else (*t._shape, None)
    return make_op(graph, full, "DecodeRaw", [t], {"out_type": dtype,
                                                  "little_endian": bool(little_endian)},
                   [(dtype, shape)])._outputs[0]


@register_kernel("DecodeRaw")
def _decode_raw_kernel(op: Operation) -> Callable[..., Any]:
    from varstore.io.tf_record import as_bytes
    dtype: _dtypes.DType = op._attrs["out_type"]
    np_type = np.dtype(dtype._np)
    np_type = np_type.newbyteorder("<" if op._attrs["little_endian"] else ">")

    def kernel(x: np.ndarray) -> np.ndarray:
        flat = [as_bytes(v) for v in np.asarray(x).reshape(-1)]
        size = len(flat[0]) if flat else 0
        for i, v in enumerate(flat):
            if len(v) != size:
                raise ValueError("DecodeRaw requires input strings to all be the same size, "
                                 f"but element {i} has size {size} != {len(v)}")
        if size % np_type.itemsize:
            raise ValueError(f"Input to DecodeRaw has length {size} that is not a multiple "
                             f"of {np_type.itemsize}, the size of {dtype.name}")
        n = size // np_type.itemsize
        data = b"".join(flat)
        out = np.frombuffer(data, dtype=np_type).astype(np.dtype(dtype._np), copy=True)
        return out.reshape(*x.shape, n)

    return kernel


NotDifferentiable("DecodeRaw")
