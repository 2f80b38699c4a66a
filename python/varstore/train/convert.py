"""Converting checkpoints between TF's V2 format and safetensors (``varstore convert``),
and the table ``varstore inspect`` prints.

Tensors are copied as raw bytes, so dtypes NumPy lacks (bfloat16, float8) convert too. What
the target cannot hold is skipped and reported: safetensors has no strings (e.g. a TF2
checkpoint's ``_CHECKPOINTABLE_OBJECT_GRAPH``) and no complex128.
"""

from __future__ import annotations

import os
from typing import NamedTuple

import numpy as np

from varstore.train import safetensors_checkpoint as _st
from varstore.train.bundle_writer import BundleWriter
from varstore.train.checkpoint_reader import TensorSource, open_checkpoint

__all__ = ["TensorInfo", "convert", "describe", "output_format"]


class TensorInfo(NamedTuple):
    name: str
    shape: tuple[int, ...]
    dtype: str
    nbytes: int


def _nbytes(source: TensorSource, name: str) -> int:
    t = source.tf_type(name)
    if t.enum < 0:  # a safetensors dtype TF lacks: its stored bytes
        return len(source.raw(name))
    if t.fixed_size:
        count = 1
        for d in source.shape(name):
            count *= d
        return count * t.itemsize
    return sum(len(s) for s in source.read(name).reshape(-1))


def describe(path: str | os.PathLike[str]) -> tuple[str, list[TensorInfo]]:
    """The checkpoint's format and (name, shape, dtype, bytes) of each tensor, by name."""
    source = open_checkpoint(path)
    try:
        rows = [TensorInfo(n, source.shape(n), source.tf_type(n).name, _nbytes(source, n))
                for n in source.names()]
        return source.format, rows
    finally:
        source.close()


def output_format(path: str) -> str:
    """The format ``convert`` writes to ``path`` when none is given: safetensors for a
    ``.safetensors`` name, else a TF checkpoint prefix."""
    return "safetensors" if path.endswith(".safetensors") else "bundle"


def _little_endian_bytes(source: TensorSource, name: str) -> np.ndarray:
    raw = source.raw(name)
    if isinstance(raw, np.ndarray) and raw.dtype != np.uint8:  # a partitioned tensor
        arr = np.ascontiguousarray(raw)
        if arr.dtype.byteorder == ">":
            arr = arr.astype(arr.dtype.newbyteorder("<"))
        return arr.reshape(-1).view(np.uint8)
    return np.frombuffer(raw, dtype=np.uint8) if isinstance(raw, bytes) else raw


def convert(src: str | os.PathLike[str], dst: str | os.PathLike[str],
            fmt: str | None = None) -> list[str]:
    """Writes the checkpoint ``src`` (either format) to ``dst`` in ``fmt`` ("bundle" or
    "safetensors"; by default from ``dst``'s name). Returns the names it had to skip."""
    out = os.fspath(dst)
    fmt = fmt or output_format(out)
    if fmt not in ("bundle", "safetensors"):
        raise ValueError(f"unknown checkpoint format {fmt!r} (bundle or safetensors)")
    source = open_checkpoint(src)
    skipped: list[str] = []
    try:
        names = source.names()
        for name in names:  # every CRC first: a corrupt input writes nothing
            source.verify(name)
        if fmt == "safetensors":
            tensors = []
            for name in names:
                t = source.tf_type(name)
                if t.st_tag is None:
                    skipped.append(f"{name} ({t.name})")
                    continue
                tensors.append((name, t.st_tag, source.shape(name),
                                _little_endian_bytes(source, name)))
            _st.write_tensors(out, tensors, {"format": "np"})
        else:
            with BundleWriter(out) as writer:
                for name in names:
                    t = source.tf_type(name)
                    if t.fixed_size:
                        writer.add_raw(name, t, source.shape(name),
                                       _little_endian_bytes(source, name))
                    elif t.enum == 7:
                        writer.add(name, source.read(name))
                    else:
                        skipped.append(f"{name} ({t.name})")
                writer.finish()
    finally:
        source.close()
    return skipped
