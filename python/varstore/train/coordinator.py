"""``tf.train.Coordinator`` and ``tf.train.LooperThread`` (TF's training/coordinator.py): a
stop flag shared by threads; the first exception reported before the stop (unless of a
clean-stop type, OutOfRangeError by default) is re-raised by ``join``."""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

from varstore import errors

__all__ = ["Coordinator", "LooperThread"]

_log = logging.getLogger("tensorflow")


class Coordinator:
    def __init__(self, clean_stop_exception_types: Iterable[type[BaseException]] | None = None
                 ) -> None:
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (errors.OutOfRangeError,)
        self._clean_stop_exception_types = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info_to_raise: Any = None
        self._joined = False
        self._registered_threads: set[threading.Thread] = set()

    def _filter_exception(self, ex: Any) -> Any:
        ex2 = ex[1] if isinstance(ex, tuple) else ex
        if isinstance(ex2, self._clean_stop_exception_types):
            return None
        return ex

    def request_stop(self, ex: Any = None) -> None:
        """Asks every thread to stop. ``ex`` (an exception or exc_info), when it is the
        first reported and not a clean-stop type, is what join() re-raises; reported after
        the stop it is dropped, and after join() it is raised here, as in TF."""
        with self._lock:
            ex = self._filter_exception(ex)
            if self._joined:
                if isinstance(ex, tuple):
                    raise ex[1]
                if ex is not None:
                    raise sys.exc_info()[1] or ex
            if not self._stop_event.is_set():
                if ex and self._exc_info_to_raise is None:
                    if isinstance(ex, tuple):
                        _log.info("Error reported to Coordinator: %s", ex[1], exc_info=ex)
                        self._exc_info_to_raise = ex
                    else:
                        _log.info("Error reported to Coordinator: %s, %s", type(ex), ex)
                        self._exc_info_to_raise = sys.exc_info()
                    info = self._exc_info_to_raise
                    if len(info) != 3 or not info[0] or not info[1]:
                        try:
                            raise ValueError("ex must be a tuple or sys.exc_info must return "
                                             f"the current exception: {info}")
                        except ValueError:
                            self._exc_info_to_raise = sys.exc_info()
                self._stop_event.set()

    def clear_stop(self) -> None:
        with self._lock:
            self._joined = False
            self._exc_info_to_raise = None
            if self._stop_event.is_set():
                self._stop_event.clear()

    def should_stop(self) -> bool:
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self) -> Iterator[None]:
        try:
            yield
        except:  # noqa: E722 - TF's bare except: every exception stops the threads
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout: float | None = None) -> bool:
        return self._stop_event.wait(timeout)

    def register_thread(self, thread: threading.Thread) -> None:
        with self._lock:
            self._registered_threads.add(thread)

    def join(self, threads: Iterable[threading.Thread] | None = None,
             stop_grace_period_secs: float = 120, ignore_live_threads: bool = False) -> None:
        """Waits for the threads once a stop is requested (then at most
        ``stop_grace_period_secs``); re-raises the reported exception, else a
        RuntimeError naming threads still running (unless ``ignore_live_threads``)."""
        with self._lock:
            if threads is None:
                all_threads = list(self._registered_threads)
            else:
                all_threads = list(self._registered_threads.union(set(threads)))
        while any(t.is_alive() for t in all_threads) and not self.wait_for_stop(1.0):
            pass
        # TF's back-off: check again after 1 ms, 2 ms, 4 ms ... within the grace period
        wait = 0.001
        while any(t.is_alive() for t in all_threads) and stop_grace_period_secs >= 0.0:
            time.sleep(wait)
            stop_grace_period_secs -= wait
            wait = max(min(2 * wait, stop_grace_period_secs), 0.001)
        stragglers = [t.name for t in all_threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered_threads = set()
            if self._exc_info_to_raise:
                raise self._exc_info_to_raise[1]
            if stragglers:
                if ignore_live_threads:
                    _log.info("Coordinator stopped with threads still running: %s",
                              " ".join(stragglers))
                else:
                    raise RuntimeError("Coordinator stopped with threads still running: "
                                       + " ".join(stragglers))

    @property
    def joined(self) -> bool:
        return self._joined

    def raise_requested_exception(self) -> None:
        with self._lock:
            if self._exc_info_to_raise:
                raise self._exc_info_to_raise[1]


class LooperThread(threading.Thread):
    """Calls ``target(*args)`` back to back (or every ``timer_interval_secs``) until the
    coordinator stops."""

    def __init__(self, coord: Coordinator, timer_interval_secs: float | None,
                 target: Any = None, args: Any = None, kwargs: Any = None) -> None:
        if not isinstance(coord, Coordinator):
            raise ValueError(f"'coord' argument must be a Coordinator: {coord}")  # noqa: TRY004 - TF's type
        super().__init__()
        self.daemon = True
        self._coord = coord
        self._timer_interval_secs = timer_interval_secs
        self._target_fn = target
        if target:
            self._args = args or ()
            self._kwargs = kwargs or {}
        elif args or kwargs:
            raise ValueError("'args' and 'kwargs' argument require that you also pass "
                             "'target'")
        self._coord.register_thread(self)

    @staticmethod
    def loop(coord: Coordinator, timer_interval_secs: float | None, target: Any,
             args: Any = None, kwargs: Any = None) -> LooperThread:
        looper = LooperThread(coord, timer_interval_secs, target=target, args=args,
                              kwargs=kwargs)
        looper.start()
        return looper

    def run(self) -> None:
        with self._coord.stop_on_exception():
            self.start_loop()
            if self._timer_interval_secs is None:
                while not self._coord.should_stop():
                    self.run_loop()
            else:
                next_timer_time = time.time()
                while not self._coord.wait_for_stop(next_timer_time - time.time()):
                    next_timer_time += self._timer_interval_secs
                    self.run_loop()
            self.stop_loop()

    def start_loop(self) -> None:
        """Called once when the thread starts."""

    def stop_loop(self) -> None:
        """Called once when the thread stops."""

    def run_loop(self) -> None:
        if self._target_fn:
            self._target_fn(*self._args, **self._kwargs)
