"""``tf.train.Coordinator`` (TF's training/coordinator.py): a stop flag shared by threads,
the first exception reported by any of them re-raised by ``join``; and
``start_queue_runners``, which has nothing to start (varstore has no queues)."""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

from varstore import errors

__all__ = ["Coordinator", "LooperThread", "start_queue_runners"]


class Coordinator:
    def __init__(self, clean_stop_exception_types: Iterable[type[BaseException]] | None = None
                 ) -> None:
        self._clean_stop_exception_types = tuple(
            clean_stop_exception_types if clean_stop_exception_types is not None
            else (errors.OutOfRangeError,))
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info_to_raise: Any = None
        self._joined = False
        self._registered_threads: set[threading.Thread] = set()

    def request_stop(self, ex: Any = None) -> None:
        """Asks every thread to stop; ``ex`` (an exception or exc_info) is re-raised by
        join() unless it is a clean-stop type (OutOfRangeError by default)."""
        with self._lock:
            if ex is not None:
                info = ex if isinstance(ex, tuple) else (type(ex), ex, ex.__traceback__)
                if not isinstance(info[1], BaseException):
                    raise ValueError(f"ex must be a tuple or sys.exc_info style: {ex}")
                clean = isinstance(info[1], self._clean_stop_exception_types)
                if not clean and self._exc_info_to_raise is None:
                    self._exc_info_to_raise = info
            self._stop_event.set()

    def clear_stop(self) -> None:
        with self._lock:
            self._joined = False
            self._exc_info_to_raise = None
            self._stop_event.clear()

    def should_stop(self) -> bool:
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self) -> Iterator[None]:
        try:
            yield
        except Exception:  # noqa: BLE001 - handed to request_stop, re-raised by join
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout: float | None = None) -> bool:
        return self._stop_event.wait(timeout)

    def register_thread(self, thread: threading.Thread) -> None:
        with self._lock:
            self._registered_threads.add(thread)

    def join(self, threads: Iterable[threading.Thread] | None = None,
             stop_grace_period_secs: float = 120, ignore_live_threads: bool = False) -> None:
        """Waits for the threads after a stop request; re-raises the reported exception."""
        with self._lock:
            all_threads = set(self._registered_threads) | set(threads or ())
        while any(t.is_alive() for t in all_threads) and not self.wait_for_stop(1.0):
            pass
        deadline = time.time() + stop_grace_period_secs
        for t in all_threads:
            t.join(max(0.0, deadline - time.time()))
        stragglers = [t.name for t in all_threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            if self._exc_info_to_raise:
                _, value, tb = self._exc_info_to_raise
                raise value.with_traceback(tb)
        if stragglers and not ignore_live_threads:
            raise RuntimeError("Coordinator stopped with threads still running: "
                               + " ".join(stragglers))

    @property
    def joined(self) -> bool:
        return self._joined

    def raise_requested_exception(self) -> None:
        with self._lock:
            if self._exc_info_to_raise:
                _, value, tb = self._exc_info_to_raise
                raise value.with_traceback(tb)


class LooperThread(threading.Thread):
    """Calls ``target(*args)`` every ``timer_interval_secs`` until the coordinator stops."""

    def __init__(self, coord: Coordinator, timer_interval_secs: float | None,
                 target: Any = None, args: Any = None, kwargs: Any = None) -> None:
        if not isinstance(coord, Coordinator):
            raise ValueError(f"'coord' argument must be a Coordinator: {coord}")  # noqa: TRY004 - TF's type
        super().__init__()
        self.daemon = True
        self._coord = coord
        self._timer_interval_secs = timer_interval_secs
        self._target_fn = target
        self._args = args or ()
        self._kwargs = kwargs or {}
        self._coord.register_thread(self)

    def run(self) -> None:
        with self._coord.stop_on_exception():
            if self._timer_interval_secs is None:
                while not self._coord.should_stop():
                    self.run_loop()
            else:
                while not self._coord.wait_for_stop(self._timer_interval_secs):
                    self.run_loop()

    def run_loop(self) -> None:
        if self._target_fn:
            self._target_fn(*self._args, **self._kwargs)


def start_queue_runners(sess: Any = None, coord: Any = None, daemon: bool = True,
                        start: bool = True, collection: str = "queue_runners") -> list[Any]:
    """The threads of the graph's queue runners: none, since varstore has no input queues
    (a QueueRunner in the collection raises, naming what is missing)."""
    from varstore.framework.graph import get_collection
    runners = get_collection(collection)
    if runners:
        raise NotImplementedError("varstore lacks tf.train.QueueRunner: the graph's "
                                  f"'{collection}' collection cannot be started")
    return []
