"""TF's element-wise string ops (tf.strings): StringJoin, StringLength, StringLower/Upper,
StringStrip, Substr, StringToNumber, the hash buckets (StringToHashBucket{,Fast,Strong}),
EncodeBase64/DecodeBase64 (web-safe alphabet), DecodeCompressed, and the RE2 regex ops
(StaticRegexReplace/RegexReplace, StaticRegexFullMatch/RegexFullMatch) run by Python's
``re`` where RE2's syntax coincides with it (constructs that differ are refused by name).

String tensors are object arrays of bytes; kernels map over their elements. TF registers
no gradient for any of these ops."""

from __future__ import annotations

import base64
import binascii
import gzip
import re
import zlib
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.op_def_library import check_same_graph
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    builders,
    make_op,
    node_error,
    register_kernel,
    scope_of,
)
from varstore.ops.string_hash import fingerprint64, hash64, siphash

__all__ = ["decode_base64", "decode_compressed", "encode_base64", "lower", "string_join", "string_length", "string_strip",
           "string_to_hash_bucket", "string_to_hash_bucket_fast",
           "string_to_hash_bucket_strong", "string_to_number", "substr", "upper"]

Dims = tuple[int | None, ...] | None


def shape_text(dims: Any) -> str:
    """A shape as TF's messages print it: [2,3], ? for an unknown dimension."""
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def typed_in(value: Any, arg: str, op_type: str, dtype: _dtypes.DType = _dtypes.string
             ) -> Tensor:
    """An input of a fixed type (TF's op_def_library: a tensor of another dtype is refused,
    a Python value is converted to that dtype); call inside the op's scope."""
    t = value if isinstance(value, Tensor) else convert_to_tensor(value, dtype=dtype, name=arg)
    if t._dtype is not dtype:
        raise TypeError(f"Input '{arg}' of '{op_type}' Op has type {t._dtype.name} that does "
                        f"not match expected type of {dtype.name}.")
    return t


def strings_of(shape: tuple[int, ...], items: list[bytes]) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out.reshape(shape)


def as_b(v: Any) -> bytes:
    """An element of a string array as bytes (a fed or folded value may be a str)."""
    if isinstance(v, bytes):
        return v
    return v.encode() if isinstance(v, str) else bytes(v)


def map_strings(x: np.ndarray, f: Callable[[bytes], Any], otype: Any = object) -> np.ndarray:
    """f over every element of a string array, as an array of x's shape."""
    flat = [as_b(v) for v in np.asarray(x, dtype=object).reshape(-1)]
    if otype is object:
        return strings_of(np.shape(x), [f(v) for v in flat])
    return np.asarray([f(v) for v in flat], dtype=otype).reshape(np.shape(x))


def _unary(op_type: str, default: str, value: Any, name: str | None, attrs: dict[str, Any],
           out: _dtypes.DType = _dtypes.string, arg: str = "input") -> Tensor:
    graph = check_same_graph(value)
    full = graph._op_name(name, default)
    with scope_of(graph, full):
        t = typed_in(value, arg, op_type)
    return make_op(graph, full, op_type, [t], attrs, [(out, t._shape)])._outputs[0]


# -- join, length, case, strip ----------------------------------------------------------
def string_join(inputs: Any, separator: str = "", name: str | None = None) -> Tensor:
    """``tf.strings.join``: op ``StringJoin``; the inputs are scalars or of one shape."""
    if isinstance(inputs, Tensor):
        inputs = [inputs]
    graph = check_same_graph(list(inputs))
    full = graph._op_name(name, "StringJoin")
    with scope_of(graph, full):
        ts = [v if isinstance(v, Tensor) else convert_to_tensor(v, dtype=_dtypes.string,
                                                                name=f"inputs_{i}")
              for i, v in enumerate(inputs)]
    if any(t._dtype is not _dtypes.string for t in ts):
        names = ", ".join(t._dtype.name for t in ts)
        raise TypeError(f"Tensors in list passed to 'inputs' of 'StringJoin' Op have types "
                        f"[{names}] that do not match expected type string.")
    shape: Dims = ()
    for t in ts:
        s = t._shape
        if s == ():
            continue
        if shape == ():
            shape = s
            continue
        if shape is None or s is None:
            shape = shape if s is None else s
            continue
        if len(shape) != len(s):
            raise node_error(f"Shapes must be equal rank, but are {len(shape)} and {len(s)}",
                             full, "StringJoin", f'N={len(ts)}, separator="{separator}"', ts)
        merged: list[int | None] = []
        for i, (a, b) in enumerate(zip(shape, s)):
            if a is not None and b is not None and a != b:
                raise node_error(
                    f"Dimension {i} in both shapes must be equal, but are {a} and {b}. "
                    f"Shapes are {shape_text(shape)} and {shape_text(s)}.", full,
                    "StringJoin", f'N={len(ts)}, separator="{separator}"', ts)
            merged.append(a if a is not None else b)
        shape = tuple(merged)
    return make_op(graph, full, "StringJoin", ts, {"N": len(ts), "separator": separator},
                   [(_dtypes.string, shape)])._outputs[0]


@register_kernel("StringJoin")
def _string_join_kernel(op: Operation) -> Callable[..., Any]:
    sep = op._attrs.get("separator", "")
    sep_b = sep.encode() if isinstance(sep, str) else bytes(sep)

    def kernel(*xs: np.ndarray) -> np.ndarray:
        arrays = [np.asarray(x, dtype=object) for x in xs]
        shape: tuple[int, ...] = ()
        for _i, a in enumerate(arrays):
            if a.shape == ():
                continue
            if shape and a.shape != shape:
                raise InvalidArgumentError(None, None, "Input shapes do not match: "
                                           f"{shape_text(shape)} vs. {shape_text(a.shape)}")
            shape = a.shape
        n = int(np.prod(shape))
        cols = [[as_b(a.item())] * n if a.shape == () else [as_b(v) for v in a.reshape(-1)]
                for a in arrays]
        return strings_of(shape, [sep_b.join(parts) for parts in zip(*cols)] if cols
                          else [b""] * n)
    return kernel


_UNITS = ("BYTE", "UTF8_CHAR")


def _check_unit(unit: str) -> str:
    if unit not in _UNITS:
        raise ValueError(f"Attr 'unit' of 'StringLength' Op passed string '{unit}' not in: "
                         '"BYTE", "UTF8_CHAR".')
    return unit


def string_length(input: Any, name: str | None = None, unit: str = "BYTE") -> Tensor:
    """``tf.strings.length`` (v1 argument order): op ``StringLength``, int32 lengths in
    bytes or UTF-8 characters."""
    return _unary("StringLength", "StringLength", input, name, {"unit": _check_unit(unit)},
                  _dtypes.int32)


def _utf8_len(s: bytes) -> int:
    # TF counts the bytes that are not UTF-8 continuation bytes (no validation)
    return sum(1 for b in s if (b & 0xC0) != 0x80)


@register_kernel("StringLength")
def _string_length_kernel(op: Operation) -> Callable[..., Any]:
    f = len if op._attrs["unit"] == "BYTE" else _utf8_len
    return lambda x: map_strings(x, f, np.int32)


def _case(op_type: str, input: Any, encoding: str, name: str | None) -> Tensor:
    if encoding not in ("", "utf-8"):
        raise InvalidArgumentError(None, None, f"encoding must be '' or 'utf-8': {encoding}")
    return _unary(op_type, op_type, input, name, {"encoding": encoding})


def lower(input: Any, encoding: str = "", name: str | None = None) -> Tensor:
    """``tf.strings.lower``: op ``StringLower`` (ASCII only unless encoding='utf-8')."""
    return _case("StringLower", input, encoding, name)


def upper(input: Any, encoding: str = "", name: str | None = None) -> Tensor:
    """``tf.strings.upper``: op ``StringUpper`` (ASCII only unless encoding='utf-8')."""
    return _case("StringUpper", input, encoding, name)


_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
_ASCII_UPPER = bytes.maketrans(b"abcdefghijklmnopqrstuvwxyz", b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _case_kernel(op: Operation, table: bytes, method: str) -> Callable[..., Any]:
    if op._attrs["encoding"] == "utf-8":
        def f(s: bytes) -> bytes:
            return getattr(s.decode("utf-8", "replace"), method)().encode()  # type: ignore[no-any-return]
    else:
        def f(s: bytes) -> bytes:
            return s.translate(table)
    return lambda x: map_strings(x, f)


register_kernel("StringLower")(lambda op: _case_kernel(op, _ASCII_LOWER, "lower"))
register_kernel("StringUpper")(lambda op: _case_kernel(op, _ASCII_UPPER, "upper"))


def string_strip(input: Any, name: str | None = None) -> Tensor:
    """``tf.strings.strip``: op ``StringStrip``, ASCII whitespace off both ends."""
    return _unary("StringStrip", "StringStrip", input, name, {})


@register_kernel("StringStrip")
def _strip_kernel(op: Operation) -> Callable[..., Any]:
    return lambda x: map_strings(x, lambda s: s.strip(b" \t\n\v\f\r"))


# -- substr -------------------------------------------------------------------------------
def substr(input: Any, pos: Any, len: Any, name: str | None = None,
           unit: str = "BYTE") -> Tensor:
    """``tf.strings.substr``: op ``Substr``; pos and len of one shape, broadcast against
    input; a negative pos counts from the end; pos out of range is InvalidArgument."""
    graph = check_same_graph(input, pos, len)
    full = graph._op_name(name, "Substr")
    with scope_of(graph, full):
        t = typed_in(input, "input", "Substr")
        p = pos if isinstance(pos, Tensor) else convert_to_tensor(pos, name="pos")
        n = len if isinstance(len, Tensor) else convert_to_tensor(len, dtype=p._dtype,
                                                                  name="len")
    if p._dtype not in (_dtypes.int32, _dtypes.int64):
        raise TypeError(f"Value passed to parameter 'pos' has DataType {p._dtype.name} not in "
                        "list of allowed values: int32, int64")
    if n._dtype is not p._dtype:
        raise TypeError(f"Input 'len' of 'Substr' Op has type {n._dtype.name} that does not "
                        f"match type {p._dtype.name} of argument 'pos'.")
    if unit not in _UNITS:
        raise ValueError(f"Attr 'unit' of 'Substr' Op passed string '{unit}' not in: "
                         '"BYTE", "UTF8_CHAR".')
    attrs = {"T": p._dtype, "unit": unit}
    sp, sn = p._shape, n._shape
    if sp is not None and sn is not None and builtin_len(sp) != builtin_len(sn):
        raise node_error(f"Shape must be rank {builtin_len(sn)} but is rank "
                         f"{builtin_len(sp)}", full, "Substr",
                         f'T={_enum(p._dtype)}, unit="{unit}"', [t, p, n])
    from varstore.ops.math_ops import broadcast_shape
    shape = broadcast_shape(full, "Substr", t, p)
    return make_op(graph, full, "Substr", [t, p, n], attrs,
                   [(_dtypes.string, shape)])._outputs[0]


builtin_len = len


def _enum(dt: _dtypes.DType) -> str:
    from varstore.framework.ops import dt_enum
    return dt_enum(dt)


def _utf8_starts(s: bytes) -> list[int]:
    return [i for i, b in enumerate(s) if (b & 0xC0) != 0x80]


@register_kernel("Substr")
def _substr_kernel(op: Operation) -> Callable[..., Any]:
    utf8 = op._attrs["unit"] == "UTF8_CHAR"

    def one(s: bytes, pos: int, n: int, i: int) -> bytes:
        if utf8:
            starts = _utf8_starts(s)
            size = builtin_len(starts)
        else:
            size = builtin_len(s)
        if not -size <= pos <= size:
            # TF's UTF8_CHAR message does not show the string
            shown = "" if utf8 else f"b'{_escape(s)}' "
            raise InvalidArgumentError(None, None, f"pos {pos} out of range for string "
                                       f"{shown}at index {i}")
        if pos < 0:
            pos += size
        end = size if n < 0 else min(size, pos + n)
        if not utf8:
            return s[pos:end]
        starts.append(builtin_len(s))
        return s[starts[pos]:starts[end]]

    def kernel(x: np.ndarray, pos: np.ndarray, n: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=object)
        pos, n = np.asarray(pos), np.asarray(n)
        if pos.shape != n.shape:
            raise InvalidArgumentError(None, None, "pos and len should have the same shape, "
                                       f"got: {shape_text(pos.shape)} vs. "
                                       f"{shape_text(n.shape)}")
        try:
            bx, bp, bn = np.broadcast_arrays(x, pos, n)
        except ValueError:
            raise InvalidArgumentError(None, None, "Incompatible shapes: "
                                       f"{shape_text(x.shape)} vs. "
                                       f"{shape_text(pos.shape)}") from None
        items = [one(as_b(s), int(p), int(k), i) for i, (s, p, k) in
                 enumerate(zip(bx.reshape(-1), bp.reshape(-1), bn.reshape(-1)))]
        return strings_of(bx.shape, items)
    return kernel


def utf8_safe_escape(s: bytes) -> str:
    """absl::Utf8SafeCEscape: CEscape that passes bytes >= 0x80 (UTF-8) through."""
    out = bytearray()
    for b in s:
        c = chr(b)
        if c in "\n\r\t":
            out += {"\n": b"\\n", "\r": b"\\r", "\t": b"\\t"}[c]
        elif c in "\"'\\":
            out += b"\\" + bytes([b])
        elif b >= 0x80 or 32 <= b < 127:
            out.append(b)
        else:
            out += f"\\{b:03o}".encode()
    return out.decode("utf-8", "replace")


def _escape(s: bytes) -> str:
    """absl::CEscape, as TF's messages print a string."""
    out = []
    for b in s:
        c = chr(b)
        if c in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[c])
        elif c in "\"'\\":
            out.append("\\" + c)
        elif 32 <= b < 127:
            out.append(c)
        else:
            out.append(f"\\{b:03o}")
    return "".join(out)


# -- to_number ----------------------------------------------------------------------------
_NUMBER_TYPES = ("float32", "float64", "int32", "int64", "uint32", "uint64")
_INT_RE = re.compile(rb"[+-]?[0-9]+")
_FLOAT_RE = re.compile(rb"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
_HEX_RE = re.compile(rb"[+-]?0[xX][0-9a-fA-F]+")
_HEX_FLOAT_RE = re.compile(rb"[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)"
                           rb"([pP][+-]?[0-9]+)?")
_SPECIAL = {b"inf": np.inf, b"infinity": np.inf, b"nan": np.nan}


def string_to_number(string_tensor: Any = None, out_type: Any = _dtypes.float32,
                     name: str | None = None, input: Any = None) -> Tensor:
    """``tf.strings.to_number`` (v1): op ``StringToNumber``."""
    if input is not None:
        if string_tensor is not None:
            raise ValueError("Cannot specify both 'input' and 'string_tensor'")
        string_tensor = input
    dt = _dtypes.as_dtype(out_type)
    if dt.name not in _NUMBER_TYPES:
        raise TypeError(f"Value passed to parameter 'out_type' has DataType {dt.name} not in "
                        "list of allowed values: float32, float64, int32, int64, uint32, "
                        "uint64")
    return _unary("StringToNumber", "StringToNumber", string_tensor, name, {"out_type": dt},
                  dt, arg="string_tensor")


def _parse_number(s: bytes, dt: _dtypes.DType) -> Any:
    """TF's safe_strto*: surrounding whitespace allowed; integers in range; floats in
    decimal or hex (0x10, 0x1p3), inf/infinity/nan in any case, too large ones +-inf; None
    when it does not parse."""
    t = s.strip(b" \t\n\v\f\r")
    if dt.is_integer:
        if not _INT_RE.fullmatch(t):
            return None
        v = int(t)
        info = np.iinfo(dt.as_numpy_dtype)
        return v if info.min <= v <= info.max else None
    body = t.lstrip(b"+-").lower()
    if body in _SPECIAL:
        special = float(_SPECIAL[body])
        return -special if t.startswith(b"-") else special
    if _HEX_RE.fullmatch(t):
        return float(int(t, 16))
    if _HEX_FLOAT_RE.fullmatch(t):
        try:
            return float.fromhex(t.decode())
        except OverflowError:
            return -np.inf if t.startswith(b"-") else np.inf
    if not _FLOAT_RE.fullmatch(t):
        return None
    # out of range is +-inf (strtod's overflow, which TF's conversion keeps)
    return float(t)


@register_kernel("StringToNumber")
def _to_number_kernel(op: Operation) -> Callable[..., Any]:
    dt: _dtypes.DType = op._attrs["out_type"]

    def one(s: bytes) -> Any:
        v = _parse_number(s, dt)
        if v is None:
            raise InvalidArgumentError(None, None, "StringToNumberOp could not correctly "
                                       f"convert string: {s.decode('utf-8', 'replace')}")
        return v
    return lambda x: map_strings(x, one, dt.as_numpy_dtype)


# -- hash buckets ---------------------------------------------------------------------------
def _bucket_op(op_type: str, value: Any, num_buckets: Any, name: str | None,
               arg: str, **extra: Any) -> Tensor:
    if num_buckets is None:
        raise TypeError(f"{op_type} missing required argument 'num_buckets'")
    n = int(num_buckets)
    if n < 1:
        raise ValueError(f"Attr 'num_buckets' of '{op_type}' Op passed {n} less than "
                         "minimum 1.")
    return _unary(op_type, op_type, value, name, {"num_buckets": n, **extra}, _dtypes.int64,
                  arg=arg)


def string_to_hash_bucket_fast(input: Any, num_buckets: int, name: str | None = None
                               ) -> Tensor:
    """``tf.strings.to_hash_bucket_fast``: Fingerprint64(s) % num_buckets."""
    return _bucket_op("StringToHashBucketFast", input, num_buckets, name, "input")


def string_to_hash_bucket_strong(input: Any, num_buckets: int, key: Any,
                                 name: str | None = None) -> Tensor:
    """``tf.strings.to_hash_bucket_strong``: SipHash-2-4 under ``key`` % num_buckets."""
    return _bucket_op("StringToHashBucketStrong", input, num_buckets, name, "input",
                      key=[int(k) for k in key])


def string_to_hash_bucket(string_tensor: Any = None, num_buckets: Any = None,
                          name: str | None = None, input: Any = None) -> Tensor:
    """``tf.strings.to_hash_bucket`` (v1): TF's legacy Hash64(s) % num_buckets."""
    if input is not None:
        if string_tensor is not None:
            raise ValueError("Cannot specify both 'input' and 'string_tensor'")
        string_tensor = input
    return _bucket_op("StringToHashBucket", string_tensor, num_buckets, name,
                      "string_tensor")


def _bucket_kernel(op: Operation, h: Callable[[bytes], int]) -> Callable[..., Any]:
    n = op._attrs["num_buckets"]
    return lambda x: map_strings(x, lambda s: h(s) % n, np.int64)


register_kernel("StringToHashBucketFast")(lambda op: _bucket_kernel(op, fingerprint64))
register_kernel("StringToHashBucket")(lambda op: _bucket_kernel(op, hash64))


@register_kernel("StringToHashBucketStrong")
def _strong_kernel(op: Operation) -> Callable[..., Any]:
    key = op._attrs["key"]
    if builtin_len(key) != 2:
        raise InvalidArgumentError(None, None, "Key must have 2 elements")
    k0, k1 = (int(k) & 0xFFFFFFFFFFFFFFFF for k in key)
    return _bucket_kernel(op, lambda s: siphash(k0, k1, s))


# -- base64, compression ------------------------------------------------------------------
def encode_base64(input: Any, pad: bool = False, name: str | None = None) -> Tensor:
    """``tf.io.encode_base64``: web-safe base64 ('-', '_'), '=' padding only if ``pad``."""
    return _unary("EncodeBase64", "EncodeBase64", input, name, {"pad": bool(pad)})


@register_kernel("EncodeBase64")
def _encode_base64_kernel(op: Operation) -> Callable[..., Any]:
    pad = op._attrs["pad"]

    def f(s: bytes) -> bytes:
        out = base64.urlsafe_b64encode(s)
        return out if pad else out.rstrip(b"=")
    return lambda x: map_strings(x, f)


def decode_base64(input: Any, name: str | None = None) -> Tensor:
    """``tf.io.decode_base64``: web-safe base64, padded or not."""
    return _unary("DecodeBase64", "DecodeBase64", input, name, {})


_B64 = re.compile(rb"[A-Za-z0-9_-]*")


@register_kernel("DecodeBase64")
def _decode_base64_kernel(op: Operation) -> Callable[..., Any]:
    def f(s: bytes) -> bytes:
        body = s
        if builtin_len(body) % 4 == 0 and body:
            body = body[:-2] if body.endswith(b"==") else body[:-1] if body.endswith(b"=") \
                else body
        # TF looks at the characters before the length
        if not _B64.fullmatch(body):
            raise InvalidArgumentError(None, None, "Invalid character found in base64.")
        if builtin_len(body) % 4 == 1:
            raise InvalidArgumentError(None, None,
                                       "Base64 string length cannot be 1 modulo 4.")
        try:
            return base64.urlsafe_b64decode(body + b"=" * (-builtin_len(body) % 4))
        except binascii.Error as exc:
            raise InvalidArgumentError(None, None, str(exc)) from None
    return lambda x: map_strings(x, f)


def decode_compressed(bytes: Any, compression_type: str = "",
                      name: str | None = None) -> Tensor:
    """``tf.io.decode_compressed``: ZLIB, GZIP or '' (the bytes unchanged)."""
    if compression_type not in ("", "ZLIB", "GZIP"):
        raise InvalidArgumentError(None, None, "Only ZLIB, GZIP or NONE are supported "
                                   "compressions")
    return _unary("DecodeCompressed", "DecodeCompressed", bytes, name,
                  {"compression_type": compression_type}, arg="bytes")


@register_kernel("DecodeCompressed")
def _decode_compressed_kernel(op: Operation) -> Callable[..., Any]:
    kind = op._attrs["compression_type"]

    def f(s: bytes) -> bytes:
        try:
            if kind == "ZLIB":
                return zlib.decompress(s)
            if kind == "GZIP":
                return gzip.decompress(s)
        except (zlib.error, OSError, EOFError) as exc:
            raise InvalidArgumentError(None, None, f"Failed to decompress: {exc}") from None
        return s
    return lambda x: map_strings(x, f)


NotDifferentiable("StringLength")
for _t in ("StringJoin", "StringLower", "StringUpper", "StringStrip", "Substr",
           "StringToNumber", "StringToHashBucketFast", "StringToHashBucket",
           "StringToHashBucketStrong", "EncodeBase64", "DecodeBase64", "DecodeCompressed"):
    NotDifferentiable(_t)

builders.register(globals(), __all__)
