"""``tf.summary.FileWriter`` (TF1's tensorflow/python/summary/writer/writer.py): writes Event
protos to ``<logdir>/events.out.tfevents.<time>.<host>`` through tensorboardX's
EventFileWriter (TFRecord framing with masked CRC32C), readable by TensorBoard."""

from __future__ import annotations

import atexit
import time
import weakref
from collections.abc import Iterator
from typing import Any

from varstore.framework.graph import Graph
from varstore.summary.summary_ops import _EXTRA

__all__ = ["FileWriter", "FileWriterCache", "summary_iterator"]


def _event_pb2() -> Any:
    try:
        from tensorboardX.proto import event_pb2  # type: ignore[import-untyped,unused-ignore]
    except ImportError as exc:
        raise ImportError(_EXTRA) from exc
    return event_pb2


# Writers still open at exit are closed then: tensorboardX's writer thread waits on a
# multiprocessing queue that breaks during interpreter shutdown (a traceback after the
# program's last line, and the queued events lost). TF1 programs often never close theirs.
# The hook is registered after tensorboardX (so multiprocessing) is imported: atexit runs
# last-registered first, so the writers close before multiprocessing finalizes its queues.
_OPEN_WRITERS: weakref.WeakSet[FileWriter] = weakref.WeakSet()
_EXIT_HOOK: list[bool] = []


def _close_open_writers() -> None:
    for writer in list(_OPEN_WRITERS):
        writer.close()


def _track(writer: FileWriter) -> None:
    if not _EXIT_HOOK:
        atexit.register(_close_open_writers)
        _EXIT_HOOK.append(True)
    _OPEN_WRITERS.add(writer)


class FileWriter:
    """``FileWriter(logdir, graph=None, max_queue=10, flush_secs=120, filename_suffix=None)``."""

    def __init__(self, logdir: str, graph: Graph | None = None, max_queue: int = 10,
                 flush_secs: int = 120, graph_def: Any = None,
                 filename_suffix: str | None = None, session: Any = None) -> None:
        event_pb2 = _event_pb2()
        from tensorboardX.event_file_writer import EventFileWriter  # type: ignore[import-untyped,unused-ignore]

        self._pb = event_pb2
        self._logdir = str(logdir)
        self._args = (max_queue, flush_secs, filename_suffix or "")
        self._writer = EventFileWriter(self._logdir, *self._args)
        self._closed = False
        _track(self)
        self._run_tags: set[str] = set()
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    def get_logdir(self) -> str:
        return self._logdir

    def add_event(self, event: Any) -> None:
        if not self._closed:
            self._writer.add_event(event)

    def add_summary(self, summary: Any, global_step: int | None = None) -> None:
        """Writes a Summary (a proto or the bytes a summary op returns) at ``global_step``."""
        ev = self._pb.Event(wall_time=time.time())
        if isinstance(summary, (bytes, bytearray)):
            ev.summary.ParseFromString(bytes(summary))
        else:
            ev.summary.CopyFrom(summary)
        if global_step is not None:
            ev.step = int(global_step)
        self.add_event(ev)

    def add_graph(self, graph: Graph | None, global_step: int | None = None,
                  graph_def: Any = None) -> None:
        """Writes the graph's GraphDef (with ``_output_shapes``, as TF's writer adds them)
        for TensorBoard's graph view; or ``graph_def`` as given."""
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        if graph is not None:
            if not hasattr(graph, "as_graph_def"):
                raise TypeError(f"graph must be a tf.Graph, got {type(graph).__name__}")
            true_graph_def = graph.as_graph_def(add_shapes=True)
        elif graph_def is not None:
            true_graph_def = graph_def
        else:
            raise ValueError("Either graph or graph_def must be specified")
        data = (true_graph_def if isinstance(true_graph_def, (bytes, bytearray))
                else true_graph_def.SerializeToString())
        ev = self._pb.Event(wall_time=time.time(), graph_def=bytes(data))
        if global_step is not None:
            ev.step = int(global_step)
        self.add_event(ev)

    def add_meta_graph(self, meta_graph_def: Any, global_step: int | None = None) -> None:
        """Writes a MetaGraphDef (a proto or its bytes) as an event, as TF's writer."""
        data = (meta_graph_def if isinstance(meta_graph_def, (bytes, bytearray))
                else meta_graph_def.SerializeToString())
        ev = self._pb.Event(wall_time=time.time(), meta_graph_def=bytes(data))
        if global_step is not None:
            ev.step = int(global_step)
        self.add_event(ev)

    def add_run_metadata(self, run_metadata: Any, tag: str,
                         global_step: int | None = None) -> None:
        """Writes a traced step's RunMetadata under ``tag`` (TensorBoard's per-step compute
        times); each tag once, as TF's writer allows."""
        if tag in self._run_tags:
            raise ValueError("The provided tag was already used for this event type")
        self._run_tags.add(tag)
        tagged = self._pb.TaggedRunMetadata(tag=tag,
                                            run_metadata=run_metadata.SerializeToString())
        ev = self._pb.Event(wall_time=time.time(), tagged_run_metadata=tagged)
        if global_step is not None:
            ev.step = int(global_step)
        self.add_event(ev)

    def add_session_log(self, session_log: Any, global_step: int | None = None) -> None:
        ev = self._pb.Event(wall_time=time.time(), session_log=session_log)
        if global_step is not None:
            ev.step = int(global_step)
        self.add_event(ev)

    def flush(self) -> None:
        self._writer.flush()

    def close(self) -> None:
        if not self._closed:
            self._writer.close()
            self._closed = True
            _OPEN_WRITERS.discard(self)

    def reopen(self) -> None:
        """After ``close``: later events go to a new event file (TF's reopen);
        tensorboardX's own reopen cannot run after its close, so a new writer is made."""
        if self._closed:
            from tensorboardX.event_file_writer import EventFileWriter  # type: ignore[import-untyped,unused-ignore]

            self._writer = EventFileWriter(self._logdir, *self._args)
            self._closed = False
            _track(self)

    def __enter__(self) -> FileWriter:  # noqa: PYI034 - not subclassed
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class FileWriterCache:
    """One FileWriter per logdir (``tf.summary.FileWriterCache``)."""

    _cache: dict[str, FileWriter] = {}  # noqa: RUF012 - a class-level cache, as TF's

    @staticmethod
    def get(logdir: str) -> FileWriter:
        w = FileWriterCache._cache.get(logdir)
        if w is None:
            # TF's cache writes the default graph with the writer it makes.
            from varstore.framework.graph import get_default_graph
            w = FileWriterCache._cache[logdir] = FileWriter(logdir, graph=get_default_graph())
        return w

    @staticmethod
    def clear() -> None:
        for w in FileWriterCache._cache.values():
            w.close()
        FileWriterCache._cache.clear()


def summary_iterator(path: Any) -> Iterator[Any]:
    """The Event protos of the event file ``path`` in order (TF's summary_iterator: each
    TFRecord of the file parsed as an Event)."""
    event_pb2 = _event_pb2()
    from varstore.io.tf_record import tf_record_iterator

    for record in tf_record_iterator(path):
        yield event_pb2.Event.FromString(record)
