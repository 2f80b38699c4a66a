"""TF1's other queue-fed readers, over reader_ops' ReaderBase and per-session state:
``tf.TextLineReader`` (TextLineReaderV2: one record per line, key "<file>:<line number>"
counted from 1 with the skipped header lines), ``tf.WholeFileReader`` (WholeFileReaderV2:
the whole file, keyed by its name), ``tf.IdentityReader`` (IdentityReaderV2: the work unit
as key and value) and ``tf.FixedLengthRecordReader`` (FixedLengthRecordReaderV2: records of
``record_bytes`` after ``header_bytes``, before ``footer_bytes``, every ``hop_bytes`` if set;
key "<file>:<record number>" from 0; a GZIP/ZLIB ``encoding`` is inflated first)."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from varstore import dtypes as _dtypes
from varstore.errors import DataLossError
from varstore.framework.graph import get_default_graph
from varstore.framework.ops import NotDifferentiable, Operation, make_op, register_kernel
from varstore.ops.reader_ops import ReaderBase, reader_kernel

__all__ = ["FixedLengthRecordReader", "IdentityReader", "TextLineReader", "WholeFileReader"]

Records = Iterator[tuple[bytes, bytes]]


def _reader_op(op_type: str, name: str | None, attrs: dict[str, Any]) -> Any:
    graph = get_default_graph()
    full = graph._op_name(name, op_type)
    all_attrs = {**attrs, "container": "", "shared_name": ""}
    return make_op(graph, full, op_type, [], all_attrs, [(_dtypes.resource, ())])._outputs[0]


class TextLineReader(ReaderBase):
    """A Reader that outputs the lines of a file delimited by newlines."""

    def __init__(self, skip_header_lines: int | None = None, name: str | None = None) -> None:
        ref = _reader_op("TextLineReaderV2", name,
                         {"skip_header_lines": int(skip_header_lines or 0)})
        super().__init__(ref)


class WholeFileReader(ReaderBase):
    """A Reader that outputs the entire contents of a file as a value."""

    def __init__(self, name: str | None = None) -> None:
        super().__init__(_reader_op("WholeFileReaderV2", name, {}), supports_serialize=True)


class IdentityReader(ReaderBase):
    """A Reader that outputs the queued work as both the key and value."""

    def __init__(self, name: str | None = None) -> None:
        super().__init__(_reader_op("IdentityReaderV2", name, {}), supports_serialize=True)


class FixedLengthRecordReader(ReaderBase):
    """A Reader that outputs fixed-length records from a file."""

    def __init__(self, record_bytes: int, header_bytes: int | None = None,
                 footer_bytes: int | None = None, hop_bytes: int | None = None,
                 name: str | None = None, encoding: str | None = None) -> None:
        ref = _reader_op("FixedLengthRecordReaderV2", name,
                         {"header_bytes": int(header_bytes or 0),
                          "record_bytes": int(record_bytes),
                          "footer_bytes": int(footer_bytes or 0),
                          "hop_bytes": int(hop_bytes or 0), "encoding": encoding or ""})
        super().__init__(ref)


def _read(path: str) -> bytes:
    from varstore.io.tf_record import _open
    with _open(path, "rb") as f:
        return f.read()


def _text_lines(op: Operation) -> Callable[[str], Records]:
    skip = op._attrs.get("skip_header_lines", 0)

    def records(path: str) -> Records:
        data = _read(path)
        lines = data.split(b"\n")
        if lines[-1] == b"":
            lines.pop()  # a final newline ends the last line, it starts none
        for n, line in enumerate(lines, start=1):
            if n <= skip:
                continue
            # TF's ReadLine drops the '\r' of a "\r\n" line end
            yield f"{path}:{n}".encode(), line[:-1] if line.endswith(b"\r") else line
    return records


def _whole_file(op: Operation) -> Callable[[str], Records]:
    def records(path: str) -> Records:
        yield path.encode(), _read(path)
    return records


def _identity(op: Operation) -> Callable[[str], Records]:
    def records(work: str) -> Records:
        yield work.encode(), work.encode()
    return records


def _fixed_length(op: Operation) -> Callable[[str], Records]:
    a = op._attrs
    header, size, footer = a.get("header_bytes", 0), a["record_bytes"], a.get("footer_bytes", 0)
    hop, encoding = a.get("hop_bytes", 0), a.get("encoding", "")

    def records(path: str) -> Records:
        data = _read(path)
        try:
            if encoding == "GZIP":
                data = gzip.decompress(data)
            elif encoding == "ZLIB":
                data = zlib.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise DataLossError(None, None, f"{path}: {exc}") from None
        body = data[header:max(header, len(data) - footer)]
        step = hop if hop > 0 else size
        n, pos = 0, 0
        while pos + size <= len(body):
            yield f"{path}:{n}".encode(), body[pos:pos + size]
            n += 1
            pos += step
    return records


RECORDS: dict[str, Callable[[Operation], Callable[[str], Records]]] = {
    "TextLineReaderV2": _text_lines, "WholeFileReaderV2": _whole_file,
    "IdentityReaderV2": _identity, "FixedLengthRecordReaderV2": _fixed_length}

for _t in RECORDS:
    register_kernel(_t, stateful=True)(reader_kernel)
    NotDifferentiable(_t)
