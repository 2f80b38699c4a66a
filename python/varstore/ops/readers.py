"""File-reading datasets (TF's data/ops/readers.py): ``TFRecordDataset``, ``TextLineDataset``
and ``FixedLengthRecordDataset``, one string element per record / line / fixed-size record.

Each is one graph op of TF's dataset type over its ``filenames`` (a string scalar or
vector: a list or a tensor), ``compression_type`` and ``buffer_size`` inputs (TF wraps a
list in a TensorSliceDataset + FlatMapDataset; the records are the same, read file after
file, or with ``num_parallel_reads`` interleaved one by one as TF's interleave does). Files
are opened when iteration reaches them, so a missing file or a corrupted
record fails the ``get_next`` run that needs it, with TF's NotFoundError / DataLossError.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError
from varstore.framework.constant_op import constant, convert_to_tensor
from varstore.framework.ops import register_kernel
from varstore.io import tf_record
from varstore.io.tf_record import as_bytes
from varstore.ops.dataset_ops import Dataset, _make_dataset, _Spec

__all__ = ["FixedLengthRecordDataset", "TFRecordDataset", "TextLineDataset"]

_DEFAULT_BUFFER = 256 * 1024


def _filenames(filenames: Any) -> Any:
    t = convert_to_tensor(filenames, dtype=_dtypes.string, name="filenames")
    if t.get_shape().ndims not in (None, 0, 1):
        raise TypeError("`filenames` must be a `tf.Tensor` of dtype `tf.string` dtype. "
                        f"Got {t.get_shape()}")
    return t


def _compression(compression_type: Any) -> Any:
    return convert_to_tensor("" if compression_type is None else compression_type,
                             dtype=_dtypes.string, name="compression_type")


def _names(arr: Any) -> list[str]:
    return [as_bytes(f).decode() for f in np.asarray(arr).reshape(-1)]


def _kind(arr: Any) -> str:
    kind = as_bytes(np.asarray(arr).reshape(()).item()).decode()
    if kind not in ("", "ZLIB", "GZIP"):
        raise InvalidArgumentError(None, None, f"Unsupported compression_type: {kind}.")
    return kind


def _read(path: str, kind: str) -> bytes:
    """A whole file, inflated if compressed (a bad stream: TF's DataLossError)."""
    from varstore.io.tf_record import _Inflated, _open
    with _open(path, "rb") as f:
        return _Inflated(f, kind).read(1 << 62) if kind else f.read()


def _interleave(streams: list[Callable[[], Iterator[Any]]], cycle: int) -> Iterator[Any]:
    """TF's deterministic interleave (InterleaveDatasetOp) with block_length 1: the slots
    are visited in turn; an empty slot opens the next stream and reads from it at once, a
    stream that ends empties its slot and the turn moves on."""
    pending = iter(streams)
    slots: list[Iterator[Any] | None] = [None] * cycle
    index, live, exhausted = 0, 0, False
    while not exhausted or live > 0:
        it = slots[index]
        if it is not None:
            try:
                value = next(it)
            except StopIteration:
                slots[index] = None
                live -= 1
                index = (index + 1) % cycle
                continue
            index = (index + 1) % cycle
            yield value
        elif not exhausted:
            following = next(pending, None)
            if following is None:
                exhausted = True
            else:
                slots[index] = following()
                live += 1
        else:
            index = (index + 1) % cycle


class _FileSource:
    """Elements read file by file, or from ``parallel`` files interleaved (TF's
    num_parallel_reads)."""

    def __init__(self, filenames: Any, kind: Any, parallel: int) -> None:
        self.files, self.kind, self.parallel = _names(filenames), _kind(kind), parallel

    def _file(self, f: str) -> Iterator[tuple[Any, ...]]:
        raise NotImplementedError

    def iterate(self) -> Iterator[tuple[Any, ...]]:
        if self.parallel > 1:
            yield from _interleave([functools.partial(self._file, f) for f in self.files],
                                   self.parallel)
            return
        for f in self.files:
            yield from self._file(f)


class _Records(_FileSource):
    def _file(self, f: str) -> Iterator[tuple[Any, ...]]:
        for record in tf_record.read_records(f, self.kind):
            yield (np.asarray(record, dtype=object),)


class _Lines(_FileSource):
    def _file(self, f: str) -> Iterator[tuple[Any, ...]]:
        lines = _read(f, self.kind).split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        for line in lines:
            # TF's TextLineDataset drops a trailing "\r" of each line
            yield (np.asarray(line.removesuffix(b"\r"), dtype=object),)


class _Fixed(_FileSource):
    def __init__(self, filenames: Any, header: Any, record: Any, footer: Any,
                 kind: Any, parallel: int) -> None:
        super().__init__(filenames, kind, parallel)
        self.header, self.record, self.footer = int(header), int(record), int(footer)
        if self.record <= 0:
            raise InvalidArgumentError(None, None, f"record_bytes must be > 0 but it is "
                                       f"{self.record}")

    def _file(self, f: str) -> Iterator[tuple[Any, ...]]:
        data = _read(f, self.kind)
        body = data[self.header:len(data) - self.footer]
        if not self.kind and len(body) % self.record:
            raise InvalidArgumentError(
                None, None, f"Excluding the header ({self.header} bytes) and footer "
                f"({self.footer} bytes), input file \"{f}\" has body length {len(body)} "
                f"bytes, which is not an exact multiple of the record length "
                f"({self.record} bytes).")
        for i in range(len(body) // self.record):
            chunk = body[i * self.record:(i + 1) * self.record]
            yield (np.asarray(chunk, dtype=object),)


def _parallel(num_parallel_reads: Any) -> int:
    return 1 if num_parallel_reads is None else int(num_parallel_reads)


def TFRecordDataset(filenames: Any, compression_type: Any = None, buffer_size: Any = None,
                    num_parallel_reads: Any = None, name: str | None = None) -> Dataset:
    """``tf.data.TFRecordDataset``: the records of one or more TFRecord files."""
    f = _filenames(filenames)
    c = _compression(compression_type)
    b = constant(_DEFAULT_BUFFER if buffer_size is None else buffer_size, dtype=_dtypes.int64,
                 name="buffer_size")
    n = _parallel(num_parallel_reads)

    def source(files: Any, kind: Any, size: Any) -> _Records:
        return _Records(files, kind, n)

    return _make_dataset("TFRecordDataset", [f, c, b], source, _Spec(_dtypes.string, []))


def TextLineDataset(filenames: Any, compression_type: Any = None, buffer_size: Any = None,
                    num_parallel_reads: Any = None, name: str | None = None) -> Dataset:
    """``tf.data.TextLineDataset``: the lines of text files, without their newlines."""
    f = _filenames(filenames)
    c = _compression(compression_type)
    b = constant(_DEFAULT_BUFFER if buffer_size is None else buffer_size, dtype=_dtypes.int64,
                 name="buffer_size")
    n = _parallel(num_parallel_reads)

    def source(files: Any, kind: Any, size: Any) -> _Lines:
        return _Lines(files, kind, n)

    return _make_dataset("TextLineDataset", [f, c, b], source, _Spec(_dtypes.string, []))


def FixedLengthRecordDataset(filenames: Any, record_bytes: Any, header_bytes: Any = None,
                             footer_bytes: Any = None, buffer_size: Any = None,
                             compression_type: Any = None, num_parallel_reads: Any = None,
                             name: str | None = None) -> Dataset:
    """``tf.data.FixedLengthRecordDataset``: fixed-size records between a header and a
    footer of each file (an uncompressed file whose body is not a whole number of records
    is an InvalidArgumentError when reached, as TF's)."""
    f = _filenames(filenames)
    ins = [f] + [constant(0 if v is None else v, dtype=_dtypes.int64, name=n) for v, n in (
        (header_bytes, "header_bytes"), (record_bytes, "record_bytes"),
        (footer_bytes, "footer_bytes"), (buffer_size, "buffer_size"))]
    ins.append(_compression(compression_type))
    n = _parallel(num_parallel_reads)

    def source(files: Any, header: Any, record: Any, footer: Any, size: Any,
               kind: Any) -> _Fixed:
        return _Fixed(files, header, record, footer, kind, n)

    return _make_dataset("FixedLengthRecordDatasetV2", ins, source, _Spec(_dtypes.string, []))


for _t in ("TFRecordDataset", "TextLineDataset", "FixedLengthRecordDatasetV2"):
    register_kernel(_t, stateful=True)(lambda op: (lambda *args: op._data(*args)))
