"""``tf.train.QueueRunner``, ``tf.train.add_queue_runner`` and
``tf.train.start_queue_runners`` (TF's training/queue_runner_impl.py): threads that run a
queue's enqueue ops in a loop, close the queue when its input ends (OutOfRangeError) and
cancel its pending enqueues when their coordinator stops.
"""

from __future__ import annotations

import logging
import threading
import weakref
from typing import Any

from varstore import errors
from varstore.framework.graph import GraphKeys, add_to_collection, get_collection
from varstore.framework.session import BaseSession, get_default_session

__all__ = ["QueueRunner", "add_queue_runner", "start_queue_runners"]

_log = logging.getLogger("tensorflow")


class QueueRunner:
    """The enqueue ops of one queue, each to run in a thread of its own, with the ops that
    close the queue (``close_op``) and cancel its pending enqueues (``cancel_op``)."""

    def __init__(self, queue: Any = None, enqueue_ops: Any = None, close_op: Any = None,
                 cancel_op: Any = None, queue_closed_exception_types: Any = None,
                 queue_runner_def: Any = None, import_scope: Any = None) -> None:
        if queue_runner_def:
            if queue or enqueue_ops:
                raise ValueError("queue_runner_def and queue are mutually exclusive.")
            raise NotImplementedError("varstore lacks QueueRunnerDef protos (it writes no "
                                      "MetaGraphDef): build the QueueRunner from its queue")
        if not queue or not enqueue_ops:
            raise ValueError("Must provide queue and enqueue_ops.")
        if queue_closed_exception_types is not None and (
                not isinstance(queue_closed_exception_types, tuple)
                or not queue_closed_exception_types
                or not all(isinstance(t, type) and issubclass(t, errors.OpError)
                           for t in queue_closed_exception_types)):
            raise TypeError("queue_closed_exception_types, when provided, must be a tuple of "
                            f"tf.error types, but saw: {queue_closed_exception_types}")
        self._queue = queue
        self._enqueue_ops = enqueue_ops
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = (cancel_op if cancel_op is not None
                           else queue.close(cancel_pending_enqueues=True))
        self._queue_closed_exception_types = (
            tuple(queue_closed_exception_types) if queue_closed_exception_types
            else (errors.OutOfRangeError,))
        self._lock = threading.Lock()
        # session -> how many of its enqueue threads still run (the last one closes)
        self._runs_per_session: weakref.WeakKeyDictionary[Any, int] = \
            weakref.WeakKeyDictionary()
        self._exceptions_raised: list[BaseException] = []

    @property
    def queue(self) -> Any:
        return self._queue

    @property
    def enqueue_ops(self) -> Any:
        return self._enqueue_ops

    @property
    def close_op(self) -> Any:
        return self._close_op

    @property
    def cancel_op(self) -> Any:
        return self._cancel_op

    @property
    def queue_closed_exception_types(self) -> tuple[type[BaseException], ...]:
        return self._queue_closed_exception_types

    @property
    def exceptions_raised(self) -> list[BaseException]:
        """What the threads raised when no coordinator was given to report it to."""
        return self._exceptions_raised

    @property
    def name(self) -> str:
        return self._queue.name  # type: ignore[no-any-return]

    def _run(self, sess: Any, enqueue_op: Any, coord: Any = None) -> None:
        """Runs ``enqueue_op`` until the queue closes or the coordinator stops; the last
        thread of a session to see the queue closed closes it."""
        decremented = False
        try:
            enqueue_callable = sess.make_callable(enqueue_op)
            while True:
                if coord and coord.should_stop():
                    break
                try:
                    enqueue_callable()
                except self._queue_closed_exception_types:
                    with self._lock:
                        self._runs_per_session[sess] -= 1
                        decremented = True
                        if self._runs_per_session[sess] == 0:
                            try:
                                sess.run(self._close_op)
                            except Exception as e:  # noqa: BLE001 - TF ignores it
                                _log.debug("Ignored exception: %s", e)
                        return
        except Exception as e:
            if coord:
                coord.request_stop(e)
            else:
                _log.error("Exception in QueueRunner: %s", e)
                with self._lock:
                    self._exceptions_raised.append(e)
                raise
        finally:
            if not decremented:
                with self._lock:
                    self._runs_per_session[sess] -= 1

    def _close_on_stop(self, sess: Any, cancel_op: Any, coord: Any) -> None:
        coord.wait_for_stop()
        try:
            sess.run(cancel_op)
        except Exception as e:  # noqa: BLE001 - TF ignores it
            _log.debug("Ignored exception: %s", e)

    def create_threads(self, sess: Any, coord: Any = None, daemon: bool = False,
                       start: bool = False) -> list[threading.Thread]:
        """One thread per enqueue op (plus, with ``coord``, one that cancels the queue when
        it stops); none while this session's threads still run."""
        with self._lock:
            if self._runs_per_session.get(sess, 0) > 0:
                return []
            self._runs_per_session[sess] = len(self._enqueue_ops)
            self._exceptions_raised = []
        ret_threads = [threading.Thread(target=self._run, args=(sess, op, coord),
                                        name=f"QueueRunnerThread-{self.name}-{op.name}")
                       for op in self._enqueue_ops]
        if coord:
            ret_threads.append(threading.Thread(
                target=self._close_on_stop, args=(sess, self._cancel_op, coord),
                name=f"QueueRunnerThread-{self.name}-close_on_stop"))
        for t in ret_threads:
            if coord:
                coord.register_thread(t)
            if daemon:
                t.daemon = True
            if start:
                t.start()
        return ret_threads


def add_queue_runner(qr: QueueRunner, collection: str = GraphKeys.QUEUE_RUNNERS) -> None:
    """Adds ``qr`` to the graph's collection (``QUEUE_RUNNERS``) start_queue_runners reads."""
    add_to_collection(collection, qr)


def start_queue_runners(sess: Any = None, coord: Any = None, daemon: bool = True,
                        start: bool = True, collection: str = GraphKeys.QUEUE_RUNNERS
                        ) -> list[threading.Thread]:
    """Creates (and starts) the threads of every queue runner in ``collection``."""
    if sess is None:
        sess = get_default_session()
        if not sess:
            raise ValueError("Cannot start queue runners: No default session is registered. "
                             "Use `with sess.as_default()` or pass an explicit session to "
                             "tf.start_queue_runners(sess=sess)")
    if not isinstance(sess, BaseSession):
        if sess.__class__.__name__ in ("MonitoredSession", "SingularMonitoredSession"):
            return []  # they started theirs when made
        raise TypeError(f"sess must be a `tf.Session` object. Given class: {sess.__class__}")
    queue_runners = get_collection(collection)
    if not queue_runners:
        _log.warning("`tf.train.start_queue_runners()` was called when no queue runners were "
                     "defined. You can safely remove the call to this deprecated function.")
    with sess.graph.as_default():
        threads: list[threading.Thread] = []
        for qr in get_collection(collection):
            threads.extend(qr.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads
