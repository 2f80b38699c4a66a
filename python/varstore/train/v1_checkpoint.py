"""TF's V1 checkpoints (``Saver(write_version=V1)``, and every checkpoint before TF 0.12):
one sstable per shard (``model.ckpt``, or ``model.ckpt-00000-of-00002`` ...), read as TF's
TensorSliceReader reads them.

The table's empty key holds a ``SavedTensorSlices`` with the ``meta``: per tensor its name,
shape, dtype and the slices saved. Every other key holds one slice's ``data``: a
``SavedSlice`` (name, slice, a TensorProto whose values are in the repeated field of the
dtype: ``float_val``, ``int_val``, ``half_val`` ...). A tensor saved whole is one slice with
full extents; a partitioned variable saved by slices is assembled from them.

The protos (tensorflow/core/protobuf/saved_tensor_slice.proto):
SavedTensorSlices {meta = 1; data = 2}; SavedTensorSliceMeta {tensor = 1 (repeated
SavedSliceMeta); versions = 2}; SavedSliceMeta {name = 1; shape = 2; type = 3; slice = 4};
SavedSlice {name = 1; slice = 2; data = 3 (TensorProto)}.
"""

from __future__ import annotations

import glob
import os
import struct
from typing import Any

import numpy as np

from varstore.errors import DataLossError, NotFoundError, UnimplementedError
from varstore.train import bundle_proto as _bp
from varstore.train import tf_dtypes
from varstore.train.table import TableError, read_table
from varstore.train.tf_dtypes import TFType

__all__ = ["V1Source", "is_v1_pattern", "v1_files"]

# TensorProto's repeated value field of each DataType enum, and how its elements are read:
# "f32"/"f64" fixed-width floats; "varint" integers (int_val, int64_val, bool_val, half_val's
# bit patterns); "bytes" strings; complex as interleaved real/imaginary floats.
_FIELDS: dict[int, tuple[int, str]] = {
    1: (5, "f32"), 2: (6, "f64"), 3: (7, "varint"), 4: (7, "varint"), 5: (7, "varint"),
    6: (7, "varint"), 7: (8, "bytes"), 8: (9, "f32"), 9: (10, "varint"), 10: (11, "varint"),
    17: (7, "varint"), 18: (12, "f64"), 19: (13, "varint"), 22: (16, "varint"),
    23: (17, "varint"),
}


def v1_files(path: str) -> list[str]:
    """The V1 table files a checkpoint path names: the file itself, or the shards of a
    sharded save (``path-?????-of-?????``, or a glob pattern TF's reader takes)."""
    if os.path.isfile(path):
        return [path]
    shards = sorted(glob.glob(glob.escape(path) + "-?????-of-?????"))
    if shards:
        return shards
    if any(c in path for c in "*?["):
        return sorted(f for f in glob.glob(path) if os.path.isfile(f))
    return []


def is_v1_pattern(path: str) -> bool:
    return bool(v1_files(path))


class _Meta:
    __slots__ = ("dtype", "name", "shape", "slices")

    def __init__(self, name: str, shape: tuple[int, ...], dtype: int,
                 slices: list[tuple[tuple[int, int], ...]]) -> None:
        self.name = name
        self.shape = shape
        self.dtype = dtype
        self.slices = slices


def _text(buf: bytes, span: tuple[int, int]) -> str:
    return buf[span[0]:span[1]].decode("utf-8", "surrogateescape")


def _decode_meta_entry(buf: bytes, start: int, end: int) -> _Meta:
    name, dtype = "", 0
    dims: list[int] = []
    slices: list[tuple[tuple[int, int], ...]] = []
    for field, wire, value in _bp._fields(buf, start, end):
        if field == 1 and wire == 2:
            name = _text(buf, value)
        elif field == 2 and wire == 2:
            _bp._decode_shape(buf, value[0], value[1], dims, False)
        elif field == 3 and wire == 0:
            dtype = value
        elif field == 4 and wire == 2:
            slices.append(_bp._decode_slice(buf, value[0], value[1]))
    return _Meta(name, tuple(dims), dtype, slices)


def _decode_meta(buf: bytes) -> list[_Meta]:
    out = []
    for field, wire, value in _bp._fields(buf):
        if field == 1 and wire == 2:  # SavedTensorSlices.meta
            for f2, w2, v2 in _bp._fields(buf, value[0], value[1]):
                if f2 == 1 and w2 == 2:
                    out.append(_decode_meta_entry(buf, v2[0], v2[1]))
    return out


def _values(buf: bytes, start: int, end: int, dtype: int, count: int, name: str) -> Any:
    """The elements of a TensorProto's repeated value field, as a flat NumPy array."""
    spec = _FIELDS.get(dtype)
    t = tf_dtypes.by_enum(dtype)
    if spec is None or t is None or (t.np is None and dtype != 7):
        raise UnimplementedError(None, None, f"varstore cannot read tensor {name} of "
                                 f"DataType {dtype} from a V1 checkpoint")
    number, kind = spec
    floats: list[float] = []
    ints: list[int] = []
    strings: list[bytes] = []
    for field, wire, value in _bp._fields(buf, start, end):
        if field != number:
            continue
        if kind in ("f32", "f64"):
            size = 4 if kind == "f32" else 8
            code = "<f" if kind == "f32" else "<d"
            if wire == 2:
                raw = buf[value[0]:value[1]]
                floats.extend(np.frombuffer(raw, code, len(raw) // size).tolist())
            else:
                floats.append(struct.unpack(code, value.to_bytes(size, "little"))[0])
        elif kind == "varint":
            if wire == 2:
                pos, stop = value
                while pos < stop:
                    v, pos = _bp.decode_varint(buf, pos, stop)
                    ints.append(v)
            else:
                ints.append(value)
        elif wire == 2:
            strings.append(buf[value[0]:value[1]])
    if kind == "bytes":
        arr: np.ndarray = np.empty(len(strings), dtype=object)
        arr[:] = strings
    elif dtype in (8, 18):  # complex: (real, imaginary) pairs
        pairs = np.asarray(floats, np.float32 if dtype == 8 else np.float64)
        arr = pairs[0::2] + 1j * pairs[1::2]
    elif kind in ("f32", "f64"):
        arr = np.asarray(floats, np.float32 if kind == "f32" else np.float64)
    elif dtype == 19:  # half_val: the float16 bit patterns
        arr = np.asarray(ints, np.uint16).view(np.float16)
    elif dtype == 10:
        arr = np.asarray(ints, np.uint64) != 0
    else:
        wide = np.asarray(ints, np.uint64)  # varints of negative numbers are 64-bit
        arr = wide.astype(t.np, casting="unsafe") if t.np is not None else wide
    if arr.size == 1 and count > 1:
        arr = np.repeat(arr, count)  # (a TensorProto may give one value for all)
    if arr.size != count:
        raise DataLossError(None, None, f"V1 checkpoint slice of tensor {name} has "
                            f"{arr.size} values where its slice holds {count}")
    return arr


def _extent_slices(extents: tuple[tuple[int, int], ...],
                   shape: tuple[int, ...]) -> tuple[slice, ...]:
    out = []
    for (begin, length), dim in zip(extents, shape, strict=True):
        out.append(slice(0, dim) if length == _bp.FULL_EXTENT else slice(begin, begin + length))
    return tuple(out)


class V1Source:
    """A TensorSource (checkpoint_reader.py) over the files of one V1 checkpoint."""

    format = "v1"

    def __init__(self, path: str) -> None:
        self.path = path
        files = v1_files(path)
        if not files:
            raise NotFoundError(None, None, "Unsuccessful TensorSliceReader constructor: "
                                f"Failed to find any matching files for {path}")
        self._meta: dict[str, _Meta] = {}
        # name -> its slices: (extents, the table value holding it, its TensorProto's span)
        self._data: dict[str, list[tuple[tuple[tuple[int, int], ...], bytes, int, int]]] = {}
        for f in files:
            with open(f, "rb") as fh:
                buf = fh.read()
            try:
                entries = read_table(buf)
            except TableError as exc:
                raise DataLossError(None, None, f"Unable to open table file {f}: {exc}") \
                    from None
            for key, value in entries:
                if key == b"":
                    for m in _decode_meta(value):
                        if any(d < 0 for d in m.shape):
                            raise DataLossError(None, None, f"V1 checkpoint {f} gives "
                                                f"tensor {m.name} the shape {list(m.shape)}")
                        self._meta.setdefault(m.name, m)
                else:
                    self._add_slice(value)

    def _add_slice(self, value: bytes) -> None:
        for field, wire, span in _bp._fields(value):
            if field != 2 or wire != 2:  # SavedTensorSlices.data
                continue
            name, data = "", (0, 0)
            extents: tuple[tuple[int, int], ...] = ()
            for f2, w2, v2 in _bp._fields(value, span[0], span[1]):
                if f2 == 1 and w2 == 2:
                    name = _text(value, v2)
                elif f2 == 2 and w2 == 2:
                    extents = _bp._decode_slice(value, v2[0], v2[1])
                elif f2 == 3 and w2 == 2:
                    data = v2
            self._data.setdefault(name, []).append(
                (extents, value, data[0], data[1]))

    def _entry(self, name: str) -> _Meta:
        found = self._meta.get(name)
        if found is None:
            raise NotFoundError(None, None, f"Key {name} not found in checkpoint")
        return found

    def names(self) -> list[str]:
        return sorted(self._meta)

    def tf_type(self, name: str) -> TFType:
        dtype = self._entry(name).dtype
        t = tf_dtypes.by_enum(dtype)
        if t is None:
            raise UnimplementedError(None, None, f"tensor {name} has DataType {dtype}, which "
                                     "varstore does not read")
        return t

    def shape(self, name: str) -> tuple[int, ...]:
        return self._entry(name).shape

    def sliced(self, name: str) -> bool:
        """Whether the tensor was saved in slices (TF's reader refuses get_tensor of it)."""
        m = self._entry(name)
        return len(m.slices) != 1 or any(length != _bp.FULL_EXTENT and
                                         (begin, length) != (0, dim)
                                         for (begin, length), dim in zip(m.slices[0],
                                                                         m.shape))

    def read(self, name: str) -> np.ndarray:
        m = self._entry(name)
        t = self.tf_type(name)
        out: np.ndarray = np.empty(m.shape, dtype=object if m.dtype == 7 else t.np)
        filled = 0
        for extents, buf, start, end in self._data.get(name, []):
            if extents and len(extents) != len(m.shape):
                raise DataLossError(None, None, f"V1 checkpoint {self.path} has a slice of "
                                    f"rank {len(extents)} for tensor {name} of shape "
                                    f"{list(m.shape)}")
            where = _extent_slices(extents, m.shape) if extents else ()
            part = out[where] if where else out
            values = _values(buf, start, end, m.dtype, int(np.prod(part.shape)), name)
            part[...] = values.reshape(part.shape)
            filled += part.size
        if filled < out.size:
            raise DataLossError(None, None, f"V1 checkpoint {self.path} lacks slices of "
                                f"tensor {name}: {filled} of {out.size} values saved")
        return out

    def verify(self, name: str) -> None:
        self._entry(name)  # (a V1 table has no per-tensor checksums to check)

    def copy_into(self, name: str, dst: np.ndarray) -> None:
        np.copyto(dst, self.read(name), casting="unsafe")

    def raw(self, name: str) -> bytes | np.ndarray:
        return self.read(name)

    def debug_string(self) -> bytes:
        out = []
        for name in self.names():
            m = self._meta[name]
            t = tf_dtypes.by_enum(m.dtype)
            dt = t.tf_enum_name if t is not None else f"DT_{m.dtype}"
            shape = ",".join(str(d) for d in m.shape)
            # (TF's V1 reader lists a tensor saved in slices with their count)
            more = f", {len(m.slices)} slices" if self.sliced(name) else ""
            out.append(f"{name} ({dt}) [{shape}]{more}\n".encode())
        return b"".join(out)

    def close(self) -> None:
        self._data.clear()
