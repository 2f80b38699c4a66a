"""Array ops that look at a tensor's bytes, or only pass it on: ``tf.bitcast`` (Bitcast),
``tf.fingerprint`` (Fingerprint, FarmHash's Fingerprint64 of each batch row, as TF's
fingerprint_op.cc computes it) and ``tf.guarantee_const`` (GuaranteeConst, an identity that
tells TF's grappler the value is constant)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant_value, convert_to_tensor
from varstore.framework.op_def_library import check_allowed, check_same_graph, first_input
from varstore.framework.ops import (
    Operation,
    Tensor,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.ops.array_ops import attr_text
from varstore.ops.string_hash import fingerprint64

__all__ = ["bitcast", "fingerprint", "guarantee_const"]

# Bitcast's OpDef list (TF's quantized types aside, which varstore has no dtypes for).
_BITCAST_TYPES = ("bfloat16, float16, float32, float64, int64, int32, uint8, uint16, uint32, "
                  "uint64, int8, int16, complex64, complex128, qint8, quint8, qint16, quint16, "
                  "qint32")


def bitcast(input: Any, type: Any, name: str | None = None) -> Tensor:
    """``tf.bitcast``: ``input``'s bytes read as ``type``. A narrower type adds a last
    dimension of the size ratio; a wider one needs the last dimension to equal it, and drops
    it."""
    graph = check_same_graph(input)
    full = graph._op_name(name, "Bitcast")
    with scope_of(graph, full):
        x = first_input(input, "input")
    out_dt = _dtypes.as_dtype(type)
    check_allowed(x._dtype, _BITCAST_TYPES, "input")
    check_allowed(out_dt, _BITCAST_TYPES, "type")
    attrs = {"T": x._dtype, "type": out_dt}
    in_size, out_size = x._dtype._np.itemsize, out_dt._np.itemsize
    shape = x._shape
    if shape is not None:
        if in_size > out_size:
            shape = (*shape, in_size // out_size)
        elif in_size < out_size:
            if len(shape) == 0:
                raise node_error("Shape must be at least rank 1 but is rank 0", full,
                                 "Bitcast", attr_text(attrs), [x])
            ratio = out_size // in_size
            if shape[-1] is not None and shape[-1] != ratio:
                raise node_error(
                    f"Cannot bitcast from {x._dtype.as_datatype_enum} to "
                    f"{out_dt.as_datatype_enum} due to shape. {shape[-1]} does not match "
                    f"{ratio}", full, "Bitcast", attr_text(attrs), [x])
            shape = shape[:-1]
    op = make_op(graph, full, "Bitcast", [x], attrs, [(out_dt, shape)])
    return op._outputs[0]


@register_kernel("Bitcast")
def _bitcast_kernel(op: Operation) -> Callable[[np.ndarray], np.ndarray]:
    in_dt, out_dt = op._attrs["T"], op._attrs["type"]
    in_size, out_size = in_dt._np.itemsize, out_dt._np.itemsize

    def kernel(x: np.ndarray) -> np.ndarray:
        a: np.ndarray = np.asarray(x)
        if not a.flags.c_contiguous:  # (ascontiguousarray would make a scalar 1-D)
            a = a.copy()
        if in_size == out_size:
            return a.view(out_dt._np)
        if in_size > out_size:
            # a last axis of one element splits into the ratio of narrower elements
            return a.reshape((*a.shape, 1)).view(out_dt._np)
        if a.ndim == 0 or a.shape[-1] != out_size // in_size:
            raise InvalidArgumentError(None, op, f"Cannot bitcast from "
                                       f"{in_dt.as_datatype_enum} to {out_dt.as_datatype_enum}")
        wide: np.ndarray = a.view(out_dt._np)
        return wide.reshape(a.shape[:-1])

    return kernel


def fingerprint(data: Any, method: Any = "farmhash64", name: str | None = None) -> Tensor:
    """``tf.fingerprint``: an 8-byte fingerprint (uint8, little-endian) of each ``data[i]``.
    Numbers are hashed as their raw bytes; strings each by itself, then the row of their
    fingerprints, so one string per row is its plain Fingerprint64."""
    graph = check_same_graph(data, method)
    full = graph._op_name(name, "Fingerprint")
    with scope_of(graph, full):
        x = first_input(data, "data")
        m = method if isinstance(method, Tensor) else convert_to_tensor(
            method, dtype=_dtypes.string, name="method")
    if m._dtype != _dtypes.string:
        raise TypeError(f"Input 'method' of 'Fingerprint' Op has type {m._dtype.name} that "
                        "does not match expected type of string.")
    attrs = {"T": x._dtype}
    if x._shape is not None and len(x._shape) == 0:
        raise node_error("Shape must be at least rank 1 but is rank 0", full, "Fingerprint",
                         attr_text(attrs), [x, m])
    if m._shape is not None and len(m._shape) != 0:
        raise node_error(f"Shape must be rank 0 but is rank {len(m._shape)}", full,
                         "Fingerprint", attr_text(attrs), [x, m])
    mv = constant_value(m)
    size: int | None = None
    if mv is not None:
        text = mv.item().decode() if isinstance(mv.item(), bytes) else str(mv.item())
        if text != "farmhash64":
            raise node_error(f"Unsupported method: {text}", full, "Fingerprint",
                             attr_text(attrs), [x, m],
                             f" and with computed input tensors: input[1] = <{text}>")
        size = 8
    batch = None if x._shape is None else x._shape[0]
    op = make_op(graph, full, "Fingerprint", [x, m], attrs, [(_dtypes.uint8, (batch, size))])
    return op._outputs[0]


def _row_fingerprints(rows: list[bytes]) -> np.ndarray:
    values = np.array([fingerprint64(r) for r in rows], dtype="<u8")
    return values.view(np.uint8).reshape(len(rows), 8)


@register_kernel("Fingerprint")
def _fingerprint_kernel(op: Operation) -> Callable[[np.ndarray, Any], np.ndarray]:
    is_string = op._attrs["T"] == _dtypes.string

    def kernel(x: np.ndarray, method: Any) -> np.ndarray:
        m = np.asarray(method).item()
        text = m.decode() if isinstance(m, bytes) else str(m)
        if text != "farmhash64":
            raise InvalidArgumentError(None, op, f"Unsupported fingerprint method: {text}")
        a = np.asarray(x)
        if a.ndim == 0:
            raise InvalidArgumentError(None, op, "`data` should have at least one dimension: "
                                       "[]")
        batch = a.shape[0]
        if batch == 0:
            return np.zeros((0, 8), np.uint8)
        if is_string:
            flat = [s if isinstance(s, bytes) else str(s).encode() for s in a.reshape(-1)]
            if len(flat) == batch:
                return _row_fingerprints(flat)
            per = _row_fingerprints(flat).reshape(batch, -1)
            return _row_fingerprints([row.tobytes() for row in per])
        raw = np.ascontiguousarray(a).reshape(batch, -1)
        return _row_fingerprints([row.tobytes() for row in raw])

    return kernel


def guarantee_const(input: Any, name: str | None = None) -> Tensor:
    """``tf.guarantee_const``: ``input`` unchanged, marked constant for TF's optimizers."""
    graph = check_same_graph(input)
    full = graph._op_name(name, "GuaranteeConst")
    with scope_of(graph, full):
        x = first_input(input, "input")
    op = make_op(graph, full, "GuaranteeConst", [x], {"T": x._dtype}, [(x._dtype, x._shape)])
    return op._outputs[0]


# TF registers no gradient for these three: tf.gradients through one raises LookupError.
register_kernel("GuaranteeConst")(lambda op: lambda x: x)
