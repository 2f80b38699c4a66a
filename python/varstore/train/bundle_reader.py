"""Reads TF's V2 checkpoints (tensor bundles) without TensorFlow.

A checkpoint ``prefix`` is ``prefix.index`` (a :mod:`~varstore.train.table` of
``BundleEntryProto`` s under the tensor names, and a ``BundleHeaderProto`` under ``""``) and
``prefix.data-SSSSS-of-NNNNN`` shards holding the tensors' bytes (tensor_bundle.cc).

Opening parses and validates the whole index: the header (shard count, byte order, format
version), every entry (known dtype, valid shape, byte size consistent with shape and dtype)
and every partitioned tensor's slices (in bounds, disjoint, covering the tensor, each stored
under its slice key). Shards are memory-mapped when first needed; each tensor's offset and size
are checked against its shard's size before anything is sliced, and its CRC-32C is checked
before its value is used. Every problem is one ``DataLossError`` (or ``NotFoundError`` for a
missing file) naming the file and the tensor.
"""

from __future__ import annotations

import collections
import contextlib
import mmap
import os
import sys
import threading
from typing import TYPE_CHECKING, Any

import numpy as np

from varstore.errors import DataLossError, InvalidArgumentError, NotFoundError
from varstore.train import _crc32c, tf_dtypes
from varstore.train.bundle_proto import (
    FULL_EXTENT,
    BundleEntry,
    BundleHeader,
    ProtoError,
    decode_entry,
    decode_header,
    decode_varint,
)
from varstore.train.slice_key import encode_slice_key, is_slice_key
from varstore.train.table import TableError, read_table
from varstore.train.tf_dtypes import TFType

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["BundleReader", "data_filename", "index_filename"]

TENSOR_BUNDLE_VERSION = 1  # kTensorBundleVersion
TENSOR_BUNDLE_MIN_PRODUCER = 0
_CHUNK = 1 << 22  # bytes per copy/CRC step: the mapping's pages are released behind it
_MAX_SLICES = 512  # per partitioned tensor (the overlap check is quadratic)
_HOST_BIG = sys.byteorder == "big"
# Parsed, validated indexes by their exact bytes: opening an unchanged checkpoint again
# (list_variables, then load_variable per name, as model converters do) reads the small index
# file but skips parsing it. Keyed by content, a changed file can never hit a stale entry.
_Index = tuple[BundleHeader, dict[str, BundleEntry], dict[bytes, BundleEntry]]
_CACHE: collections.OrderedDict[bytes, _Index] = collections.OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_ENTRIES = 8
_CACHE_MAX_BYTES = 4 << 20  # per index (the cache keeps at most 8 indexes)
_DONTNEED = getattr(mmap, "MADV_DONTNEED", None)


def index_filename(prefix: str) -> str:
    return f"{prefix}.index"


def data_filename(prefix: str, shard: int, num_shards: int) -> str:
    return f"{prefix}.data-{shard:05d}-of-{num_shards:05d}"


def _elements(shape: tuple[int, ...]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def _empty(shape: tuple[int, ...], dtype: Any, name: str) -> np.ndarray:
    """np.empty, with a checkpoint error for a shape NumPy cannot hold: an entry of zero
    elements may still declare dims whose product overflows NumPy's size limit."""
    try:
        return np.empty(shape, dtype=dtype)
    except (ValueError, MemoryError):
        raise InvalidArgumentError(
            None, None, f"Tensor {name} has shape [{','.join(str(d) for d in shape)}], which "
            "is too big to represent as an array") from None


class _Shard:
    """One memory-mapped data file."""

    def __init__(self, path: str) -> None:
        self.path = path
        with open(path, "rb") as f:
            self.size = os.fstat(f.fileno()).st_size
            self._map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if self.size else None
        self.bytes: np.ndarray = (np.frombuffer(self._map, dtype=np.uint8) if self._map is not None
                                  else np.zeros(0, dtype=np.uint8))

    def release(self, start: int, end: int) -> None:
        """Drops the mapping's pages in [start, end) from this process (they stay in the
        page cache): a restore of N bytes does not leave N bytes of mapped file resident."""
        if self._map is None or _DONTNEED is None or end <= start:
            return
        page = mmap.PAGESIZE
        begin = start - start % page
        with contextlib.suppress(OSError, ValueError):  # advice only
            self._map.madvise(_DONTNEED, begin, min(end, self.size) - begin)

    def close(self) -> None:
        self.bytes = np.zeros(0, dtype=np.uint8)
        if self._map is not None:
            with contextlib.suppress(BufferError):  # a view is still held: the GC closes it
                self._map.close()
            self._map = None


class BundleReader:
    """An open V2 checkpoint: ``keys()``, ``entry(name)``, ``read(name)``, and the two-pass
    ``verify`` / ``copy_into`` that restores use (check everything, then write)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.index_path = index_filename(prefix)
        try:
            with open(self.index_path, "rb") as f:
                raw = f.read()
        except FileNotFoundError:
            raise NotFoundError(None, None, "Unsuccessful TensorSliceReader constructor: "
                                f"Failed to find any matching files for {prefix}") from None
        except IsADirectoryError:
            raise NotFoundError(None, None, f"{self.index_path} is a directory") from None
        with _CACHE_LOCK:
            cached = _CACHE.get(raw)
            if cached is not None:
                _CACHE.move_to_end(raw)
        if cached is None:
            cached = self._parse(raw)
            if len(raw) <= _CACHE_MAX_BYTES:
                with _CACHE_LOCK:
                    _CACHE[raw] = cached
                    while len(_CACHE) > _CACHE_ENTRIES:
                        _CACHE.popitem(last=False)
        self.header: BundleHeader = cached[0]
        self.entries: dict[str, BundleEntry] = cached[1]  # shared with the cache: read-only
        self._slices: dict[bytes, BundleEntry] = cached[2]
        self._shards: dict[int, _Shard] = {}
        self._lock = threading.Lock()

    def _parse(self, raw: bytes) -> _Index:
        """Parses and validates the whole index."""
        try:
            table = read_table(raw)
        except TableError as exc:
            raise self._corrupt(f"{exc}") from None
        if not table or table[0][0] != b"":
            raise self._corrupt("failed to seek to header entry")
        try:
            self.header = decode_header(table[0][1])
        except ProtoError as exc:
            raise self._corrupt(f"unable to parse header ({exc})") from None
        self._check_header()
        entries: dict[str, BundleEntry] = {}
        self._slices = {}
        for key, value in table[1:]:
            try:
                entry = decode_entry(value)
            except ProtoError as exc:
                raise self._corrupt(f"entry for key {key!r} not parseable ({exc})") from None
            if is_slice_key(key):
                self._slices[key] = entry
            else:
                entries[key.decode("utf-8", "surrogateescape")] = entry
        for name, entry in entries.items():
            self._check_entry(name, entry)
        return self.header, entries, self._slices

    # -- validation ---------------------------------------------------------------------------
    def _corrupt(self, detail: str, name: str | None = None) -> DataLossError:
        where = f" (tensor {name})" if name is not None else ""
        return DataLossError(None, None, f"Unable to read checkpoint index {self.index_path}"
                                         f"{where}: {detail}. Perhaps the file is corrupt or "
                                         "truncated.")

    def _check_header(self) -> None:
        h = self.header
        if h.num_shards < 1:
            raise self._corrupt(f"header has {h.num_shards} shards")
        if h.endianness not in (0, 1):
            raise self._corrupt(f"header has an unknown byte order ({h.endianness})")
        if h.producer < TENSOR_BUNDLE_MIN_PRODUCER:
            raise InvalidArgumentError(None, None, f"Checkpoint {self.index_path}: producer "
                                       f"version {h.producer} below min producer "
                                       f"{TENSOR_BUNDLE_MIN_PRODUCER} supported by varstore")
        if h.min_consumer > TENSOR_BUNDLE_VERSION:
            raise InvalidArgumentError(None, None, f"Checkpoint {self.index_path}: min "
                                       f"consumer version {h.min_consumer} above current "
                                       f"version {TENSOR_BUNDLE_VERSION} for checkpoint")
        if TENSOR_BUNDLE_VERSION in h.bad_consumers:
            raise InvalidArgumentError(None, None, f"Checkpoint {self.index_path}: version "
                                       f"{TENSOR_BUNDLE_VERSION} of checkpoint disallowed")

    def _check_entry(self, name: str, e: BundleEntry) -> None:
        t = tf_dtypes.by_enum(e.dtype)
        if t is None:
            raise self._corrupt(f"unknown dtype {e.dtype}", name)
        if e.unknown_rank or any(d < 0 for d in e.shape):
            raise self._corrupt(f"invalid tensor shape {list(e.shape)}", name)
        count = _elements(e.shape)
        if e.slices:
            self._check_slices(name, e, t)
            return
        self._check_stored(name, e, t, count)

    def _check_stored(self, name: str, e: BundleEntry, t: TFType, count: int) -> None:
        if not 0 <= e.shard_id < self.header.num_shards:
            raise self._corrupt(f"shard id {e.shard_id} of {self.header.num_shards}", name)
        if e.offset < 0 or e.size < 0:
            raise self._corrupt(f"negative offset or size ({e.offset}, {e.size})", name)
        if t.fixed_size and e.size != count * t.itemsize:
            raise self._corrupt(f"invalid size in bundle entry: stored size {e.size}; "
                                f"expected size {count * t.itemsize}", name)
        if t.enum == 7 and e.size < count:  # one length byte at least per string
            raise self._corrupt(f"invalid size in bundle entry: stored size {e.size}; "
                                f"expected size is at least {count}", name)

    def _check_slices(self, name: str, e: BundleEntry, t: TFType) -> None:
        if len(e.slices) > _MAX_SLICES:
            raise self._corrupt(f"{len(e.slices)} slices (at most {_MAX_SLICES} supported)",
                                name)
        if not t.fixed_size:
            raise self._corrupt(f"partitioned tensor of dtype {t.name}", name)
        boxes: list[tuple[tuple[int, int], ...]] = []
        covered = 0
        for extents in e.slices:
            if len(extents) != len(e.shape):
                raise self._corrupt(f"slice of rank {len(extents)} for shape {list(e.shape)}",
                                    name)
            box = []
            for (start, length), dim in zip(extents, e.shape):
                if length == FULL_EXTENT:
                    start, length = 0, dim
                if start < 0 or length < 0 or start + length > dim:
                    raise self._corrupt(f"slice {extents} out of bounds of {list(e.shape)}",
                                        name)
                box.append((start, start + length))
            key = encode_slice_key(name, extents)
            stored = self._slices.get(key)
            if stored is None:
                raise self._corrupt(f"slice {extents} is not stored", name)
            slice_shape = tuple(hi - lo for lo, hi in box)
            if stored.dtype != e.dtype or stored.shape != slice_shape or stored.slices:
                raise self._corrupt(f"slice {extents} is stored as dtype {stored.dtype}, shape "
                                    f"{list(stored.shape)}", name)
            self._check_stored(name, stored, t, _elements(slice_shape))
            for other in boxes:
                if all(lo < ohi and olo < hi for (lo, hi), (olo, ohi) in zip(box, other)):
                    raise self._corrupt(f"overlapping slices {box} and {other}", name)
            boxes.append(tuple(box))
            covered += _elements(slice_shape)
        if covered != _elements(e.shape):
            raise self._corrupt("the slices do not cover the tensor", name)

    # -- lookups ------------------------------------------------------------------------------
    def keys(self) -> list[str]:
        """The tensor names, sorted (slices of partitioned tensors are not listed)."""
        return list(self.entries)

    def entry(self, name: str) -> BundleEntry:
        found = self.entries.get(name)
        if found is None:
            raise NotFoundError(None, None, f"Key {name} not found in checkpoint")
        return found

    def tf_type(self, name: str) -> TFType:
        t = tf_dtypes.by_enum(self.entry(name).dtype)
        assert t is not None  # checked when opened
        return t

    def _pieces(self, name: str) -> list[tuple[BundleEntry, tuple[slice, ...]]]:
        """Where the tensor's bytes are: (stored entry, the part of the full tensor it
        holds) for each slice, or the entry itself."""
        e = self.entry(name)
        if not e.slices:
            return [(e, ())]
        out = []
        for extents in e.slices:
            where = tuple(slice(None) if length == FULL_EXTENT else slice(start, start + length)
                          for start, length in extents)
            out.append((self._slices[encode_slice_key(name, extents)], where))
        return out

    def _shard(self, e: BundleEntry, name: str) -> _Shard:
        shard = self._shards.get(e.shard_id)
        if shard is None:
            with self._lock:  # restores read tensors from a few threads
                shard = self._shards.get(e.shard_id)
                if shard is None:
                    path = data_filename(self.prefix, e.shard_id, self.header.num_shards)
                    try:
                        shard = _Shard(path)
                    except FileNotFoundError:
                        raise NotFoundError(None, None, f"Checkpoint data file {path} (needed "
                                            f"by tensor {name}) not found") from None
                    self._shards[e.shard_id] = shard
        if e.offset + e.size > shard.size:
            raise DataLossError(None, None, f"Tensor {name} of checkpoint {self.prefix}: its "
                                f"bytes [{e.offset}, {e.offset + e.size}) run past the end of "
                                f"{shard.path} ({shard.size} bytes; truncated file?)")
        return shard

    def _crc_error(self, name: str, shard: _Shard, e: BundleEntry, actual: int,
                   what: str = "Checksum") -> DataLossError:
        return DataLossError(None, None, f"Checksum does not match for tensor {name} in "
                             f"{shard.path} ({e.size} bytes at offset {e.offset}): {what} "
                             f"stored {_crc32c.unmask(e.crc32c):08x} vs. calculated on the "
                             f"restored bytes {actual:08x}. The checkpoint is corrupt.")

    def _check_crc(self, name: str, e: BundleEntry, release: bool = True) -> None:
        shard = self._shard(e, name)
        crc = 0
        for start in range(e.offset, e.offset + e.size, _CHUNK):
            end = min(start + _CHUNK, e.offset + e.size)
            crc = _crc32c.extend(crc, shard.bytes[start:end])
            if release:
                shard.release(start, end)
        if crc != _crc32c.unmask(e.crc32c):
            raise self._crc_error(name, shard, e, crc)

    def verify(self, name: str, release: bool = True) -> None:
        """Checks that tensor ``name``'s bytes are all there and match their CRCs.
        ``release``: drop the mapped pages behind the check (a restore checks everything
        before it copies anything; one tensor read right away keeps them for its copy)."""
        t = self.tf_type(name)
        for e, _ in self._pieces(name):
            if t.enum == 7:
                self._read_strings(name, e)
            else:
                self._check_crc(name, e, release)

    def copy_into(self, name: str, dst: np.ndarray) -> None:
        """Copies the (verified) tensor into ``dst`` (C-contiguous, the tensor's shape and
        dtype), piece by piece straight from the mapping."""
        t = self.tf_type(name)
        src_dtype = self._numpy_dtype(name, t)
        for e, where in self._pieces(name):
            shard = self._shard(e, name)
            target = dst[where] if where else dst
            if target.flags.c_contiguous:
                flat = target.reshape(-1)
                per = max(1, _CHUNK // max(t.itemsize, 1))
                for i in range(0, flat.size, per):
                    n = min(per, flat.size - i)
                    lo = e.offset + i * t.itemsize
                    self._copy(flat[i:i + n], shard.bytes[lo:lo + n * t.itemsize], src_dtype)
                    shard.release(lo, lo + n * t.itemsize)
            else:
                raw = shard.bytes[e.offset:e.offset + e.size]
                self._copy(target, raw, src_dtype)
                shard.release(e.offset, e.offset + e.size)

    @staticmethod
    def _copy(dst: np.ndarray, raw: np.ndarray, src_dtype: np.dtype[Any]) -> None:
        if dst.size == 0:
            return
        if dst.dtype.kind == "b":
            np.not_equal(raw.reshape(dst.shape), 0, out=dst)  # any non-zero byte is True
        else:
            np.copyto(dst, raw.view(src_dtype).reshape(dst.shape), casting="equiv")

    def _numpy_dtype(self, name: str, t: TFType) -> np.dtype[Any]:
        dt = t.np
        if dt is None or not t.fixed_size:
            extra = (" (install ml_dtypes to read it)"
                     if t.np_name is not None and t.fixed_size else "")
            raise InvalidArgumentError(None, None, f"Tensor {name} in checkpoint {self.prefix} "
                                       f"has dtype {t.name}, which varstore cannot load{extra}")
        if dt.kind == "b":
            return np.dtype(np.uint8)
        big = self.header.endianness == 1
        return dt.newbyteorder(">" if big else "<") if dt.itemsize > 1 else dt

    def read(self, name: str) -> np.ndarray:
        """A new array holding tensor ``name`` (CRC-checked; strings: an object array of
        bytes)."""
        t = self.tf_type(name)
        e = self.entry(name)
        if t.enum == 7:
            return self._read_strings(name, e)
        dt = self._numpy_dtype(name, t)
        self.verify(name, release=False)  # before allocating: the bytes are there, CRC ok
        out = _empty(e.shape, np.bool_ if t.enum == 10 else dt.newbyteorder("="), name)
        self.copy_into(name, out)
        return out

    def read_raw(self, name: str) -> bytes:
        """The tensor's bytes as stored (CRC-checked; fixed-size dtypes, not partitioned)."""
        e = self.entry(name)
        if e.slices or not self.tf_type(name).fixed_size:
            raise InvalidArgumentError(None, None, f"Tensor {name} has no raw byte layout")
        self._check_crc(name, e)
        shard = self._shard(e, name)
        return shard.bytes[e.offset:e.offset + e.size].tobytes()

    # -- strings --------------------------------------------------------------------------------
    def _read_strings(self, name: str, e: BundleEntry) -> np.ndarray:
        """DT_STRING: varint64 length per element, a masked CRC of the lengths (summed as
        uint32, or uint64 for lengths >= 2**32), then the bytes; the entry CRC covers all."""
        count = _elements(e.shape)
        if count == 0:
            return _empty(e.shape, object, name)
        shard = self._shard(e, name)  # bounds first: count <= size <= the file's size
        out = _empty(e.shape, object, name)
        flat = out.reshape(-1)
        buf = shard.bytes[e.offset:e.offset + e.size]
        head = buf[:count]
        if bool((head < 0x80).all()):  # every length fits one byte
            lengths = [int(x) for x in head]
            pos = count
        else:
            raw = buf.tobytes()
            lengths = []
            pos = 0
            try:
                for _ in range(count):
                    n, pos = decode_varint(raw, pos)
                    lengths.append(n)
            except ProtoError:
                raise DataLossError(None, None, f"Tensor {name} in {shard.path}: bad string "
                                    "lengths (truncated or corrupt)") from None
        if pos + 4 > e.size or sum(lengths) > e.size - pos - 4:
            raise DataLossError(None, None, f"Tensor {name} in {shard.path}: string lengths "
                                f"longer than the entry's {e.size} bytes")
        length_bytes = b"".join(
            n.to_bytes(4 if n <= 0xFFFFFFFF else 8, "little") for n in lengths
        )
        crc = _crc32c.value(length_bytes)
        stored_lengths_crc = buf[pos:pos + 4].tobytes()
        if _crc32c.unmask(int.from_bytes(stored_lengths_crc, "little")) != crc:
            raise DataLossError(None, None, f"Tensor {name} in {shard.path}: the length "
                                "checksum does not match (corrupt checkpoint)")
        crc = _crc32c.extend(crc, stored_lengths_crc)
        pos += 4
        data = buf[pos:pos + sum(lengths)].tobytes()
        crc = _crc32c.extend(crc, data)
        if crc != _crc32c.unmask(e.crc32c):
            raise self._crc_error(name, shard, e, crc)
        at = 0
        for i, n in enumerate(lengths):
            flat[i] = data[at:at + n]
            at += n
        return out

    def close(self) -> None:
        for shard in self._shards.values():
            shard.close()
        self._shards.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
