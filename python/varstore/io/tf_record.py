"""TFRecord files (TF's python/lib/io/tf_record.py over core/lib/io/record_writer.cc and
record_reader.cc), without TensorFlow.

A record is ``uint64 length | uint32 masked_crc32c(length) | data | uint32
masked_crc32c(data)``, little-endian; the mask is TF's ``((crc >> 15) | (crc << 17)) +
0xa282ead8``. ZLIB and GZIP files are one zlib stream over the whole record sequence, made
with TF's ZlibCompressionOptions defaults (level Z_DEFAULT_COMPRESSION, window bits 15 (+16
for GZIP), mem_level 9, Z_DEFAULT_STRATEGY), so the bytes match TF's files.
"""

from __future__ import annotations

import contextlib
import os
import struct
import zlib
from collections.abc import Iterator
from typing import IO, Any, ClassVar

from varstore import errors
from varstore.train import _crc32c

__all__ = ["RecordReader", "TFRecordCompressionType", "TFRecordOptions", "TFRecordWriter",
           "masked_crc32c", "tf_record_iterator"]

_HEADER = 12  # uint64 length + its uint32 crc


def masked_crc32c(data: bytes) -> int:
    return _crc32c.mask(_crc32c.value(data))


class TFRecordCompressionType:
    """The type of compression for the record."""

    NONE = 0
    ZLIB = 1
    GZIP = 2


class TFRecordOptions:
    """Options used for manipulating TFRecord files (the zlib knobs as TF's)."""

    compression_type_map: ClassVar[dict[int, str]] = {TFRecordCompressionType.ZLIB: "ZLIB",
                            TFRecordCompressionType.GZIP: "GZIP",
                            TFRecordCompressionType.NONE: ""}

    def __init__(self, compression_type: Any = None, flush_mode: Any = None,
                 input_buffer_size: Any = None, output_buffer_size: Any = None,
                 window_bits: Any = None, compression_level: Any = None,
                 compression_method: Any = None, mem_level: Any = None,
                 compression_strategy: Any = None) -> None:
        self.get_compression_type_string(compression_type)
        self.compression_type = compression_type
        self.flush_mode = flush_mode
        self.input_buffer_size = input_buffer_size
        self.output_buffer_size = output_buffer_size
        self.window_bits = window_bits
        self.compression_level = compression_level
        self.compression_method = compression_method
        self.mem_level = mem_level
        self.compression_strategy = compression_strategy

    @classmethod
    def get_compression_type_string(cls, options: Any) -> str:
        """'ZLIB', 'GZIP' or '' from a TFRecordOptions, a TFRecordCompressionType or a
        string; ValueError otherwise, as TF."""
        if not options:
            return ""
        if isinstance(options, TFRecordOptions):
            return cls.get_compression_type_string(options.compression_type)
        if isinstance(options, int) and options in cls.compression_type_map:
            return cls.compression_type_map[options]
        if isinstance(options, str) and options in cls.compression_type_map.values():
            return options
        raise ValueError(f'Not a valid compression_type: "{options}"')

    def _compressor(self) -> Any:
        kind = self.get_compression_type_string(self)
        if not kind:
            return None
        bits = 15 if self.window_bits is None else int(self.window_bits)
        return zlib.compressobj(
            -1 if self.compression_level is None else int(self.compression_level),
            zlib.DEFLATED if self.compression_method is None else int(self.compression_method),
            bits + 16 if kind == "GZIP" else bits,
            9 if self.mem_level is None else int(self.mem_level),
            zlib.Z_DEFAULT_STRATEGY if self.compression_strategy is None
            else int(self.compression_strategy))


def _path(path: Any) -> str:
    p = os.fspath(path)
    return p.decode() if isinstance(p, bytes) else p


def _open(path: str, mode: str) -> IO[bytes]:
    try:
        return open(path, mode)
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None
    except OSError as e:
        raise errors.UnknownError(None, None, f"{path}; {e.strerror}") from None


def as_bytes(value: Any) -> bytes:
    """A record or string-tensor element as bytes (a fed string tensor can hold str)."""
    if isinstance(value, str):
        return value.encode()
    return bytes(value)


def encode_record(data: bytes) -> bytes:
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", masked_crc32c(length)) + data
            + struct.pack("<I", masked_crc32c(data)))


class TFRecordWriter:
    """A class to write records to a TFRecords file (a context manager)."""

    def __init__(self, path: Any, options: Any = None) -> None:
        if not isinstance(options, TFRecordOptions):
            options = TFRecordOptions(compression_type=options)
        self._compressor = options._compressor()
        self._file: IO[bytes] | None = _open(_path(path), "wb")

    def _live(self) -> IO[bytes]:
        if self._file is None:
            raise errors.FailedPreconditionError(None, None, "Writer is closed.")
        return self._file

    def write(self, record: Any) -> None:
        """Write a string record to the file."""
        f = self._live()
        chunk = encode_record(as_bytes(record))
        f.write(self._compressor.compress(chunk) if self._compressor is not None else chunk)

    def flush(self) -> None:
        """Flush the file; a compressed stream is flushed with Z_PARTIAL_FLUSH, as TF's
        ZlibOutputBuffer::Flush (so the bytes after a flush still match TF's)."""
        f = self._live()
        if self._compressor is not None:
            f.write(self._compressor.flush(zlib.Z_PARTIAL_FLUSH))
        f.flush()

    def close(self) -> None:
        """Close the file."""
        if self._file is None:
            return
        if self._compressor is not None:
            self._file.write(self._compressor.flush(zlib.Z_FINISH))
        self._file.close()
        self._file = None

    def __enter__(self) -> TFRecordWriter:  # noqa: PYI034 - not subclassed
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # a finalizer must not raise
            self.close()


class _Inflated:
    """A compressed file read as its uncompressed bytes, a chunk at a time (TF's
    ZlibInputStream): ``read(n)`` gives up to n bytes, fewer only at the end."""

    _CHUNK = 256 * 1024

    def __init__(self, f: IO[bytes], kind: str) -> None:
        self._f = f
        self._z = zlib.decompressobj(47 if kind == "GZIP" else 15)
        self._buf = b""

    def read(self, n: int) -> bytes:
        while len(self._buf) < n and not self._z.eof:
            chunk = self._f.read(self._CHUNK)
            if not chunk:
                break
            try:
                self._buf += self._z.decompress(chunk)
            except zlib.error as e:
                # TF's ZlibInputStream reports inflate's failures as DataLoss
                text = str(e).split(": ", 1)[-1]
                raise errors.DataLossError(None, None, f"inflate() failed with error -3: "
                                           f"{text}") from None
        out, self._buf = self._buf[:n], self._buf[n:]
        return out


class RecordReader:
    """Reads the records of one open file in order, streaming (TF's RecordReader):
    ``next()`` gives the next record's bytes, None at the end; DataLossError on a corrupted
    or truncated record, with TF's messages and offsets (in the uncompressed stream)."""

    def __init__(self, f: IO[bytes], compression_type: str = "") -> None:
        self._src: Any = _Inflated(f, compression_type) if compression_type else f
        # what TF's input stream says when a record's data stops short
        self._short = "EOF reached" if compression_type else "Read less bytes than requested"
        self.offset = 0

    def next(self) -> bytes | None:
        off = self.offset
        head: bytes = self._src.read(_HEADER)
        if len(head) < _HEADER:
            # an empty or partial header is the end of the file, as TF's reader sees it
            return None
        if struct.unpack("<I", head[8:])[0] != masked_crc32c(head[:8]):
            hint = " (Is this even a TFRecord file?)" if off == 0 else ""
            raise errors.DataLossError(None, None, f"corrupted record at {off}{hint}")
        (length,) = struct.unpack("<Q", head[:8])
        start = off + _HEADER
        body: bytes = self._src.read(length + 4)
        if len(body) < length + 4:
            raise errors.DataLossError(None, None, f"truncated record at {off}' failed with "
                                       f"{self._short}")
        record = body[:length]
        if struct.unpack("<I", body[length:])[0] != masked_crc32c(record):
            raise errors.DataLossError(None, None, f"corrupted record at {start}")
        self.offset = start + length + 4
        return record


def read_records(path: Any, compression_type: str = "") -> Iterator[bytes]:
    """The records of one file; the file is opened when iteration starts and closed at its
    end (or when the iterator is dropped)."""
    with _open(_path(path), "rb") as f:
        reader = RecordReader(f, compression_type)
        while (record := reader.next()) is not None:
            yield record


def tf_record_iterator(path: Any, options: Any = None) -> Iterator[bytes]:
    """An iterator that reads the records from a TFRecords file (NotFoundError at once for
    a missing file, as TF's)."""
    kind = TFRecordOptions.get_compression_type_string(options)
    _open(_path(path), "rb").close()
    return read_records(path, kind)
