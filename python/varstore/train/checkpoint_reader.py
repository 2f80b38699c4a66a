"""Opens a checkpoint of either format, detected from its files, behind one interface; and
TF's ``CheckpointReader`` (``tf.train.load_checkpoint``, ``NewCheckpointReader``) on it.

A path names a TF V2 checkpoint (tensor bundle) when ``path.index`` exists, or when it is the
``.index`` or a ``.data-*-of-*`` file itself; a safetensors checkpoint when it is a file whose
first 8 bytes are a little-endian header length followed by ``{``; and a directory stands for
the latest checkpoint its ``checkpoint`` state file names. A TF V1 checkpoint is one
sstable file, or the shards ``path-00000-of-0000N`` of one (v1_checkpoint.py).
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import DataLossError, InvalidArgumentError, NotFoundError, UnimplementedError
from varstore.train import safetensors_checkpoint as _st
from varstore.train import tf_dtypes
from varstore.train.bundle_reader import BundleReader
from varstore.train.table import MAGIC
from varstore.train.tf_dtypes import TFType
from varstore.train.v1_checkpoint import V1Source, v1_files

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["CheckpointReader", "NewCheckpointReader", "TensorSource", "open_checkpoint"]

_DATA_FILE = re.compile(r"^(.*)\.data-\d{5}-of-\d{5}$")


class TensorSource(Protocol):
    """What the rest of ``varstore.train`` needs from an open checkpoint."""

    path: str
    format: str  # "bundle", "safetensors" or "v1"

    def names(self) -> list[str]: ...
    def tf_type(self, name: str) -> TFType: ...
    def shape(self, name: str) -> tuple[int, ...]: ...
    def read(self, name: str) -> np.ndarray: ...
    def verify(self, name: str) -> None: ...
    def copy_into(self, name: str, dst: np.ndarray) -> None: ...
    def raw(self, name: str) -> bytes | np.ndarray: ...
    def debug_string(self) -> bytes: ...
    def close(self) -> None: ...


class _BundleSource:
    format = "bundle"

    def __init__(self, prefix: str) -> None:
        self.path = prefix
        self._r = BundleReader(prefix)

    def names(self) -> list[str]:
        return self._r.keys()

    def tf_type(self, name: str) -> TFType:
        return self._r.tf_type(name)

    def shape(self, name: str) -> tuple[int, ...]:
        return self._r.entry(name).shape

    def read(self, name: str) -> np.ndarray:
        return self._r.read(name)

    def verify(self, name: str) -> None:
        self._r.verify(name)

    def copy_into(self, name: str, dst: np.ndarray) -> None:
        self._r.copy_into(name, dst)

    def raw(self, name: str) -> bytes | np.ndarray:
        if self._r.entry(name).slices:
            return self.read(name)
        return self._r.read_raw(name)

    def debug_string(self) -> bytes:
        # TF's BundleReader::DebugString: every entry but the header, in key order, except
        # the full entries of partitioned tensors (their slices are listed, binary keys and
        # all): "<key> (<DT_...>) [d0,d1]\n".
        out = []
        items = [(k.encode("utf-8", "surrogateescape"), e) for k, e in self._r.entries.items()]
        items += list(self._r._slices.items())
        for key, e in sorted(items, key=lambda kv: kv[0]):
            if e.slices:
                continue
            t = tf_dtypes.by_enum(e.dtype)
            dt = t.tf_enum_name if t is not None else f"DT_{e.dtype}"
            shape = ",".join(str(d) for d in e.shape)
            out.append(key + f" ({dt}) [{shape}]\n".encode())
        return b"".join(out)

    def close(self) -> None:
        self._r.close()


class _SafetensorsSource:
    format = "safetensors"

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self._ck = _st._open(path)
        except ValueError as exc:
            raise DataLossError(None, None, str(exc)) from None

    def names(self) -> list[str]:
        return sorted(self._ck.entries)

    def _entry(self, name: str) -> Any:
        found = self._ck.entries.get(name)
        if found is None:
            raise NotFoundError(None, None, f"Key {name} not found in checkpoint")
        return found

    def tf_type(self, name: str) -> TFType:
        e = self._entry(name)
        t = tf_dtypes.by_safetensors_tag(e.tag)
        if t is None:
            return tf_dtypes.foreign(e.dtype_name, e.tag)
        return t

    def shape(self, name: str) -> tuple[int, ...]:
        shape: tuple[int, ...] = self._entry(name).shape
        return shape

    def _np(self, name: str) -> np.dtype[Any]:
        t = self.tf_type(name)
        dt = t.np
        if dt is None:
            hint = " (install ml_dtypes to read it)" if t.np_name is not None else ""
            raise InvalidArgumentError(None, None, f"Tensor {name} in {self.path} has dtype "
                                       f"{t.name}, which varstore cannot load{hint}")
        return dt

    def _view(self, name: str) -> np.ndarray:
        e = self._entry(name)
        dt = self._np(name)
        raw: np.ndarray = self._ck._data[e.begin:e.end]
        out: np.ndarray = raw.reshape(e.shape) if dt.kind == "b" else raw.view(dt).reshape(e.shape)
        return out

    def read(self, name: str) -> np.ndarray:
        out = np.empty(self.shape(name), dtype=self._np(name).newbyteorder("="))
        self.copy_into(name, out)
        return out

    def verify(self, name: str) -> None:
        self._entry(name)  # the header was validated when the file was opened; no CRCs here

    def copy_into(self, name: str, dst: np.ndarray) -> None:
        src = self._view(name)
        if dst.dtype.kind == "b":
            np.not_equal(src, 0, out=dst)  # any non-zero byte is True
        else:
            np.copyto(dst, src, casting="equiv")

    def raw(self, name: str) -> bytes | np.ndarray:
        e = self._entry(name)
        self.tf_type(name)
        data: np.ndarray = self._ck._data[e.begin:e.end]
        return data

    def debug_string(self) -> bytes:
        out = []
        for name in self.names():
            e = self._entry(name)
            t = tf_dtypes.by_safetensors_tag(e.tag)
            dt = t.tf_enum_name if t is not None else e.tag
            out.append(f"{name} ({dt}) [{','.join(str(d) for d in e.shape)}]\n".encode())
        return b"".join(out)

    def close(self) -> None:
        pass


def _latest_in(directory: str) -> str:
    from varstore.train.checkpoint_management import latest_checkpoint

    latest = latest_checkpoint(directory)
    if latest is None:
        raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory "
                         f"{directory}")
    return latest


def _sniff(path: str) -> str:
    """"safetensors", "sstable" (a TF V1 checkpoint) or "unknown", from the file's bytes."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        head = f.read(9)
        if size >= 48:
            f.seek(size - 8)
            tail = f.read(8)
        else:
            tail = b""
    if len(head) == 9 and head[8:9] == b"{" and int.from_bytes(head[:8], "little") <= size - 8:
        return "safetensors"
    if int.from_bytes(tail, "little") == MAGIC if tail else False:
        return "sstable"
    return "unknown"


def open_checkpoint(path: str | os.PathLike[str]) -> TensorSource:
    """Opens the checkpoint at ``path`` (see the module docstring). Raises NotFoundError if
    nothing is there, DataLossError for a corrupt file, ValueError for a directory without
    checkpoints."""
    p = os.fspath(path)
    if os.path.isdir(p):
        p = _latest_in(p)
    if os.path.isfile(p + ".index"):
        return _BundleSource(p)
    if p.endswith(".index") and os.path.isfile(p):
        return _BundleSource(p[:-len(".index")])
    m = _DATA_FILE.match(p)
    if m is not None and os.path.isfile(m.group(1) + ".index"):
        return _BundleSource(m.group(1))
    if os.path.isfile(p):
        kind = _sniff(p)
        if kind == "safetensors":
            return _SafetensorsSource(p)
        if kind == "sstable":
            return V1Source(p)
        raise DataLossError(None, None, f"Unable to open checkpoint {p}: it is neither a TF "
                            "checkpoint (.index + .data files) nor a safetensors file")
    if v1_files(p):  # a sharded V1 save (prefix-00000-of-00002 ...) or a glob pattern
        return V1Source(p)
    raise NotFoundError(None, None, "Unsuccessful TensorSliceReader constructor: Failed to "
                        f"find any matching files for {p}")


class CheckpointReader:
    """``tf.train.load_checkpoint`` / ``tf.compat.v1.train.NewCheckpointReader``: the tensors
    of a checkpoint (either format) by name."""

    def __init__(self, filepattern: str | os.PathLike[str]) -> None:
        self._source = open_checkpoint(filepattern)

    @property
    def format(self) -> str:
        """``"bundle"`` (TF's V2 checkpoint), ``"v1"`` or ``"safetensors"``."""
        return self._source.format

    def get_tensor(self, tensor_str: str) -> Any:
        """A new array with the tensor's value (DT_STRING: an object array of bytes); a
        0-d value comes back as a NumPy scalar (``bytes`` for a string), as TF's does."""
        key = _key(tensor_str)
        sliced = getattr(self._source, "sliced", None)
        if sliced is not None and key in set(self._source.names()) and sliced(key):
            # (TF's CheckpointReader reads a V1 tensor saved in slices no more than this;
            # Saver.restore assembles it)
            raise UnimplementedError(None, None, "Sliced checkpoints are not supported")
        out = self._source.read(key)
        return out[()] if out.ndim == 0 else out

    def has_tensor(self, tensor_str: str) -> bool:
        return _key(tensor_str) in set(self._source.names())

    def get_variable_to_shape_map(self) -> dict[str, list[int]]:
        return {n: list(self._source.shape(n)) for n in self._source.names()}

    def get_variable_to_dtype_map(self) -> dict[str, _dtypes.DType]:
        return {n: tf_dtypes.varstore_dtype(self._source.tf_type(n))
                for n in self._source.names()}

    def debug_string(self) -> bytes:
        """``"<name> (<DT_...>) [<shape>]\\n"`` per tensor, as TF's (bytes, like TF's)."""
        return self._source.debug_string()

    def close(self) -> None:
        self._source.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _key(name: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"tensor names are strings, got {name!r}")
    return name


def NewCheckpointReader(filepattern: str | os.PathLike[str]) -> CheckpointReader:
    """``tf.compat.v1.train.NewCheckpointReader``."""
    return CheckpointReader(filepattern)

