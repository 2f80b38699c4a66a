"""Writes TF's V2 checkpoints (tensor bundles) as TF's ``BundleWriter`` does, and merges
the per-device bundles of a sharded save as ``MergeBundles`` does.

Tensors are written to the data file in the order they are added (``Saver`` adds them sorted
by name, as TF's does), each followed by no padding (``data_alignment`` 1); the index lists
them sorted, after the header. Every chunk is copied into a staging buffer first, and both
the CRC and the file write use that copy, so a value changed by another thread mid-save can
never give a tensor whose CRC does not match its bytes (TF's FileOutputBuffer does the same).

Crash safety: the data file and then the index are written under temporary names, fsynced
and renamed into place, and the directory is fsynced. The index is renamed last, so a crash
never leaves an index without its data. (Overwriting an existing checkpoint with the same
prefix has a window between the two renames where the new data sits under the old index;
its CRCs then fail, so a reader reports DataLossError instead of returning mixed values.)
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import sys
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from varstore.train import _crc32c, tf_dtypes
from varstore.train.bundle_proto import BundleEntry, BundleHeader, encode_entry, encode_header
from varstore.train.bundle_reader import (
    TENSOR_BUNDLE_VERSION,
    BundleReader,
    data_filename,
    index_filename,
)
from varstore.train.slice_key import encode_slice_key
from varstore.train.table import TableWriter
from varstore.train.tf_dtypes import TFType

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["BundleWriter", "fsync_dir", "merge_bundles", "write_index"]

_CHUNK = 1 << 22
_ENDIANNESS = 1 if sys.byteorder == "big" else 0


def fsync_dir(directory: str) -> None:
    """Makes renames in ``directory`` durable (not supported everywhere: best effort)."""
    try:
        fd = os.open(directory or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temp_name(path: str) -> str:
    return f"{path}.tempstate{secrets.randbits(63)}"


def write_index(prefix: str, entries: Iterable[tuple[bytes, BundleEntry]],
                num_shards: int = 1, endianness: int = _ENDIANNESS) -> None:
    """Writes ``prefix.index`` (header + ``entries`` in key order) crash-safely."""
    header = BundleHeader(num_shards=num_shards, endianness=endianness,
                          producer=TENSOR_BUNDLE_VERSION)
    table = TableWriter()
    table.add(b"", encode_header(header))
    for key, entry in sorted(entries, key=lambda kv: kv[0]):
        table.add(key, encode_entry(entry))
    _write_file(index_filename(prefix), table.finish())


def _write_file(path: str, data: bytes) -> None:
    tmp = _temp_name(path)
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class BundleWriter:
    """``add`` tensors, then ``finish`` (or ``abort``). Use as a context manager to abort
    on an exception."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        directory = os.path.dirname(prefix)
        if directory and not os.path.isdir(directory):
            # TF's BundleWriter creates the prefix's directory, one level only: saving to
            # ./model/x.ckpt makes ./model, ./a/b/x.ckpt without ./a fails (NotFound)
            os.mkdir(directory)
        self._data_path = data_filename(prefix, 0, 1)
        self._tmp = _temp_name(self._data_path)
        self._file: IO[bytes] | None = open(self._tmp, "wb")  # noqa: SIM115 - closed in finish
        self._size = 0
        self._entries: dict[bytes, BundleEntry] = {}
        self._stage = np.empty(_CHUNK, dtype=np.uint8)

    def _out(self) -> IO[bytes]:
        if self._file is None:
            raise ValueError("BundleWriter is closed")
        return self._file

    def _key(self, key: bytes) -> None:
        if key == b"":
            raise ValueError("the empty key is the bundle's header")
        if key in self._entries:
            raise ValueError(f"Adding duplicate key: {key.decode('utf-8', 'replace')}")

    def _write_bytes(self, flat: np.ndarray) -> int:
        """Appends the bytes of the 1-d uint8 array ``flat``; returns their CRC-32C."""
        out = self._out()
        crc = 0
        stage = self._stage
        view = stage.data
        for i in range(0, flat.size, _CHUNK):
            n = min(_CHUNK, flat.size - i)
            np.copyto(stage[:n], flat[i:i + n])
            crc = _crc32c.extend(crc, stage[:n])
            out.write(view[:n])
        return crc

    def add_raw(self, name: str, t: TFType, shape: tuple[int, ...], data: Any) -> None:
        """Adds a fixed-size tensor from its bytes in this host's byte order."""
        key = name.encode("utf-8")
        self._key(key)
        flat = np.frombuffer(data, dtype=np.uint8) if not isinstance(data, np.ndarray) else data
        count = 1
        for d in shape:
            count *= d
        if not t.fixed_size or flat.size != count * t.itemsize:
            raise ValueError(f"tensor {name}: {flat.size} bytes for shape {list(shape)} of "
                             f"{t.name}")
        self._entries[key] = self._add_bytes(t, shape, flat.reshape(-1))

    def _add_bytes(self, t: TFType, shape: tuple[int, ...], flat: np.ndarray) -> BundleEntry:
        offset = self._size
        crc = self._write_bytes(flat)
        self._size += flat.size
        return BundleEntry(dtype=t.enum, shape=shape, offset=offset, size=int(flat.size),
                           crc32c=_crc32c.mask(crc))

    def add(self, name: str, value: Any) -> None:
        """Adds tensor ``name`` (a NumPy array or anything ``np.asarray`` takes; bytes/str
        elements make a DT_STRING tensor)."""
        key = name.encode("utf-8")
        self._key(key)
        self._entries[key] = self._add_value(name, value)

    def _add_value(self, name: str, value: Any) -> BundleEntry:
        arr = value if isinstance(value, np.ndarray) else np.asarray(value)
        t = tf_dtypes.by_numpy(arr.dtype)
        if t is None:
            raise TypeError(f"tensor {name} has dtype {arr.dtype}, which TF checkpoints here "
                            "do not support")
        if t.enum == 7:
            return self._add_strings(arr)
        shape = tuple(int(d) for d in arr.shape)
        arr = np.ascontiguousarray(arr)  # (which makes a 0-d array 1-d: keep the shape above)
        if arr.dtype.byteorder not in ("=", "|"):
            arr = arr.astype(arr.dtype.newbyteorder("="))
        return self._add_bytes(t, shape, arr.reshape(-1).view(np.uint8))

    def _add_strings(self, arr: np.ndarray) -> BundleEntry:
        items = [s.encode("utf-8") if isinstance(s, str) else bytes(s) for s in arr.reshape(-1)]
        from varstore.train.bundle_proto import encode_varint

        lengths = b"".join(encode_varint(len(s)) for s in items)
        crc = _crc32c.value(b"".join(
            len(s).to_bytes(4 if len(s) <= 0xFFFFFFFF else 8, "little") for s in items
        ))
        length_crc = _crc32c.mask(crc).to_bytes(4, "little")
        crc = _crc32c.extend(crc, length_crc)
        payload = b"".join(items)
        crc = _crc32c.extend(crc, payload)
        blob = lengths + length_crc + payload
        offset = self._size
        self._out().write(blob)
        self._size += len(blob)
        return BundleEntry(dtype=7, shape=tuple(arr.shape), offset=offset, size=len(blob),
                           crc32c=_crc32c.mask(crc))

    def add_slice(self, name: str, full_shape: tuple[int, ...],
                  extents: tuple[tuple[int, int], ...], value: Any) -> None:
        """Adds one slice (``(start, length)`` per dimension) of partitioned tensor ``name``,
        as ``BundleWriter::AddSlice``."""
        arr = np.asarray(value)
        key = name.encode("utf-8")
        t = tf_dtypes.by_numpy(arr.dtype)
        full = self._entries.get(key)
        if full is not None and (not full.slices or full.dtype != (t.enum if t else -1)
                                 or full.shape != full_shape):
            raise ValueError(f"slice of {name} does not match its other slices")
        slice_key = encode_slice_key(name, extents)
        self._key(slice_key)
        self._entries[slice_key] = self._add_value(name, arr)
        prior = full.slices if full is not None else ()
        assert t is not None
        self._entries[key] = BundleEntry(dtype=t.enum, shape=full_shape,
                                         slices=(*prior, extents))

    def finish(self) -> None:
        """Makes the data file and then the index durable under their final names."""
        out = self._out()
        try:
            out.flush()
            os.fsync(out.fileno())
            out.close()
            self._file = None
            os.replace(self._tmp, self._data_path)
            write_index(self.prefix, self._entries.items())
        except BaseException:
            self.abort()
            raise
        fsync_dir(os.path.dirname(self.prefix))

    def abort(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        with contextlib.suppress(OSError):
            os.unlink(self._tmp)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None or self._file is not None:
            self.abort()


def merge_bundles(prefixes: list[str], merged_prefix: str, delete_old_dirs: bool = True) -> None:
    """``MergeBundles``: the bundles at ``prefixes`` become one at ``merged_prefix`` (their
    data files renamed to its shards, one merged index written); the old index files, and
    with ``delete_old_dirs`` their directories if then empty, are removed."""
    entries: dict[bytes, BundleEntry] = {}
    renames: list[tuple[str, str]] = []
    shard_ids: dict[str, int] = {}
    endianness: int | None = None
    for prefix in prefixes:
        with BundleReader(prefix) as reader:
            h = reader.header
            if endianness is None:
                endianness = h.endianness
            elif endianness != h.endianness:
                raise ValueError("Merging bundles with conflicting endianness; inputs corrupted?")
            items = [*reader.entries.items()]
            slices = list(reader._slices.items())
        for key_s, entry in items:
            key = key_s.encode("utf-8", "surrogateescape")
            if key in entries:
                if not entries[key].slices or not entry.slices:
                    raise ValueError(f"Duplicate tensor keyed by {key_s} encountered, when "
                                     f"merging prefix: {prefix}")
                entries[key] = entries[key]._replace(slices=entries[key].slices + entry.slices)
                continue
            entries[key] = entry if entry.slices else _renumber(entry, prefix, h.num_shards,
                                                                 shard_ids)
        for key, entry in slices:
            entries[key] = _renumber(entry, prefix, h.num_shards, shard_ids)
    total = len(shard_ids)
    for path, shard in shard_ids.items():
        renames.append((path, data_filename(merged_prefix, shard, total)))
    for src, dst in renames:
        os.replace(src, dst)
    write_index(merged_prefix, entries.items(), num_shards=max(total, 1),
                endianness=endianness if endianness is not None else _ENDIANNESS)
    fsync_dir(os.path.dirname(merged_prefix))
    for prefix in prefixes:
        with contextlib.suppress(OSError):
            os.unlink(index_filename(prefix))
        if delete_old_dirs:
            directory = os.path.dirname(prefix)
            if directory and not os.listdir(directory):
                shutil.rmtree(directory, ignore_errors=True)


def _renumber(entry: BundleEntry, prefix: str, num_shards: int,
              shard_ids: dict[str, int]) -> BundleEntry:
    path = data_filename(prefix, entry.shard_id, num_shards)
    new = shard_ids.setdefault(path, len(shard_ids))
    return entry._replace(shard_id=new)
