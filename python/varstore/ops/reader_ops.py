"""TF1's queue-fed readers (TF's io_ops.py ReaderBase): ``tf.TFRecordReader`` (op
``TFRecordReaderV2``) with ``read`` (``ReaderReadV2``: the next (key, value), dequeuing the
next filename from a string queue when the current file is done), ``read_up_to``
(``ReaderReadUpToV2``), ``num_records_produced``, ``num_work_units_completed`` and ``reset``.

The reader's state (its current file and offset) lives in the session, as TF keeps the
reader in the session's resource manager. A key is ``"<filename>:<offset>"``, the record's
byte offset in the (uncompressed) file, as TF's TFRecordReader gives it. Serializing a
reader's state is unimplemented, as it is for TF's TFRecordReader; the one-record readers
(WholeFileReader, IdentityReader) serialize TF's ReaderBaseState bytes. ``restore_state``
is not implemented.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.errors import InvalidArgumentError, UnimplementedError
from varstore.framework.constant_op import convert_to_tensor
from varstore.framework.executor import RunContext
from varstore.framework.graph import get_default_graph
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    make_op,
    register_kernel,
    scope_of,
)

__all__ = ["ReaderBase", "TFRecordReader"]


class ReaderBase:
    """A reader of records from the files named by a queue's string work units."""

    def __init__(self, reader_ref: Tensor, supports_serialize: bool = False) -> None:
        self._reader_ref = reader_ref
        self._supports_serialize = supports_serialize

    @property
    def reader_ref(self) -> Tensor:
        return self._reader_ref

    @property
    def supports_serialize(self) -> bool:
        return self._supports_serialize

    def _op(self, op_type: str, default: str, extra: list[Tensor], outputs: list[Any],
            name: str | None) -> Operation:
        graph = get_default_graph()
        full = graph._op_name(name, default)
        return make_op(graph, full, op_type, [self._reader_ref, *extra], {}, outputs)

    @staticmethod
    def _queue_ref(queue: Any) -> Tensor:
        return queue if isinstance(queue, Tensor) else queue.queue_ref

    def read(self, queue: Any, name: str | None = None) -> tuple[Tensor, Tensor]:
        """The next record: (key, value) string scalars."""
        op = self._op("ReaderReadV2", "ReaderReadV2", [self._queue_ref(queue)],
                      [(_dtypes.string, ()), (_dtypes.string, ())], name)
        return op._outputs[0], op._outputs[1]

    def read_up_to(self, queue: Any, num_records: Any,
                   name: str | None = None) -> tuple[Tensor, Tensor]:
        """Up to ``num_records`` records of the current file (fewer at its end)."""
        graph = get_default_graph()
        full = graph._op_name(name, "ReaderReadUpToV2")
        with scope_of(graph, full):
            n = convert_to_tensor(num_records, dtype=_dtypes.int64, name="num_records")
        op = make_op(graph, full, "ReaderReadUpToV2", [self._reader_ref,
                                                        self._queue_ref(queue), n], {},
                     [(_dtypes.string, (None,)), (_dtypes.string, (None,))])
        return op._outputs[0], op._outputs[1]

    def num_records_produced(self, name: str | None = None) -> Tensor:
        return self._op("ReaderNumRecordsProducedV2", "ReaderNumRecordsProducedV2", [],
                        [(_dtypes.int64, ())], name)._outputs[0]

    def num_work_units_completed(self, name: str | None = None) -> Tensor:
        return self._op("ReaderNumWorkUnitsCompletedV2", "ReaderNumWorkUnitsCompletedV2",
                        [], [(_dtypes.int64, ())], name)._outputs[0]

    def reset(self, name: str | None = None) -> Operation:
        return self._op("ReaderResetV2", "ReaderResetV2", [], [], name)

    def serialize_state(self, name: str | None = None) -> Tensor:
        return self._op("ReaderSerializeStateV2", "ReaderSerializeStateV2", [],
                        [(_dtypes.string, ())], name)._outputs[0]


class TFRecordReader(ReaderBase):
    """A Reader that outputs the records from a TFRecords file."""

    def __init__(self, name: str | None = None, options: Any = None) -> None:
        from varstore.io.tf_record import TFRecordOptions
        kind = TFRecordOptions.get_compression_type_string(options)
        graph = get_default_graph()
        full = graph._op_name(name, "TFRecordReaderV2")
        op = make_op(graph, full, "TFRecordReaderV2", [],
                     {"container": "", "shared_name": "", "compression_type": kind},
                     [(_dtypes.resource, ())])
        super().__init__(op._outputs[0])


Records = Iterator[tuple[bytes, bytes]]


def _tfrecords(kind: str) -> Callable[[str], Records]:
    def records(path: str) -> Records:
        from varstore.io.tf_record import RecordReader, _open
        with _open(path, "rb") as f:
            reader = RecordReader(f, kind)
            while True:
                offset = reader.offset
                record = reader.next()
                if record is None:
                    return
                yield f"{path}:{offset}".encode(), record
    return records


class _State:
    """One session's reader: the current work unit and the iterator of its records (a
    generator that owns the open file: closing it closes the file)."""

    def __init__(self, records: Callable[[str], Records]) -> None:
        self.records = records
        self.work: str | None = None
        self.it: Records | None = None
        self.produced = 0
        self.completed = 0
        self.started = 0
        self.serializable = self.single = False

    def reset(self) -> None:
        if self.it is not None:
            self.it.close()  # type: ignore[attr-defined]
        self.work = self.it = None
        self.produced = self.completed = self.started = 0

    def session_closed(self) -> None:
        """Session.close: the open file is closed with the session's state."""
        if self.it is not None:
            self.it.close()  # type: ignore[attr-defined]
        self.it = None

    def next_in_work(self) -> tuple[bytes, bytes] | None:
        """The current work unit's next record; None (and the unit completed) at its end."""
        if self.it is None:
            return None
        item = next(self.it, None)
        if item is None:
            self.it = None
            self.completed += 1
            return None
        self.produced += 1
        if self.single:
            # a one-record reader ends its work unit with that record (TF's at_end)
            self.it.close()  # type: ignore[attr-defined]
            self.it = None
            self.completed += 1
        return item

    def next(self, queue: Any, op: Operation) -> tuple[bytes, bytes]:
        from varstore.io.tf_record import as_bytes
        while True:
            if self.it is None:
                # blocks while the queue is empty; OutOfRangeError once it is closed
                (unit,) = queue.dequeue(op)
                self.work = as_bytes(np.asarray(unit).item()).decode()
                self.started += 1
                self.it = self.records(self.work)
            item = self.next_in_work()
            if item is not None:
                return item


def _records_of(reader_op: Operation) -> Callable[[str], Records]:
    from varstore.ops.reader_formats import RECORDS
    make = RECORDS.get(reader_op._type)
    if make is None:
        return _tfrecords(reader_op._attrs["compression_type"])
    return make(reader_op)


def _state(handle: Any) -> _State:
    """The reader a handle holds: the reader op's output is its session state (so an
    imported graph's reader ops need nothing but their inputs)."""
    if isinstance(handle, np.ndarray):
        handle = handle.item()
    if not isinstance(handle, _State):
        raise InvalidArgumentError(None, None, "The handle is not a reader")
    return handle


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _base_state(state: _State) -> bytes:
    """TF's ReaderBaseState proto bytes: work_started (1), work_finished (2),
    num_records_produced (3), current_work (4); zero fields are left out (proto3)."""
    out = b""
    for field, n in ((1, state.started), (2, state.completed), (3, state.produced)):
        if n:
            out += bytes([field << 3]) + _varint(n)
    work = (state.work or "").encode()
    if work:
        out += bytes([(4 << 3) | 2]) + _varint(len(work)) + work
    return out


def reader_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    """A reader op's kernel: its per-session state, made at its first run."""
    def make() -> _State:
        if not op._attrs.get("shared_name"):
            # a ResourceOpKernel (as TF's queues): its private name takes a process-wide id
            from varstore.ops.queue_impl import private_name
            private_name(op._name)
        state = _State(_records_of(op))
        # TF's WholeFileReader and IdentityReader serialize ReaderBase's state
        state.serializable = state.single = op._type in ("WholeFileReaderV2",
                                                        "IdentityReaderV2")
        return state

    return lambda: ctx.op_state(op, make)


register_kernel("TFRecordReaderV2", stateful=True)(reader_kernel)


@register_kernel("ReaderReadV2", stateful=True)
def _read_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    from varstore.ops.queue_ops import _queue
    def kernel(handle: Any, queue: Any) -> Any:
        key, value = _state(handle).next(_queue(queue), op)
        return np.asarray(key, dtype=object), np.asarray(value, dtype=object)

    return kernel


@register_kernel("ReaderReadUpToV2", stateful=True)
def _read_up_to_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    from varstore.ops.queue_ops import _queue
    def kernel(handle: Any, queue: Any, n: np.ndarray) -> Any:
        state = _state(handle)
        count = int(n)
        keys, values = [], []
        key, value = state.next(_queue(queue), op)
        keys.append(key)
        values.append(value)
        # the rest only from the same file: TF's ReadUpTo stops at a file's end
        while len(keys) < count:
            item = state.next_in_work()
            if item is None:
                break
            keys.append(item[0])
            values.append(item[1])
        k = np.empty(len(keys), dtype=object)
        k[:] = keys
        v = np.empty(len(values), dtype=object)
        v[:] = values
        return k, v

    return kernel


@register_kernel("ReaderNumRecordsProducedV2", stateful=True)
def _produced_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    return lambda handle: np.int64(_state(handle).produced)


@register_kernel("ReaderNumWorkUnitsCompletedV2", stateful=True)
def _completed_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    return lambda handle: np.int64(_state(handle).completed)


@register_kernel("ReaderResetV2", stateful=True)
def _reset_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    def kernel(handle: Any) -> None:
        _state(handle).reset()

    return kernel


@register_kernel("ReaderSerializeStateV2", stateful=True)
def _serialize_kernel(op: Operation, ctx: RunContext) -> Callable[..., Any]:
    def kernel(handle: Any) -> Any:
        state = _state(handle)
        if state.serializable:
            return np.asarray(_base_state(state), dtype=object)
        # TF 2.21's message for the readers that cannot serialize (TFRecord, TextLine ...)
        raise UnimplementedError(None, None, "Reader SerializeState")

    return kernel


for _t in ("TFRecordReaderV2", "ReaderReadV2", "ReaderReadUpToV2",
           "ReaderNumRecordsProducedV2", "ReaderNumWorkUnitsCompletedV2", "ReaderResetV2",
           "ReaderSerializeStateV2"):
    NotDifferentiable(_t)
