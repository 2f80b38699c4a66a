"""``tf.train.SessionRunHook`` and its run-time records (TF's training/session_run_hook.py):
what a hook may add to a ``MonitoredSession.run`` and what it gets back."""

from __future__ import annotations

from typing import Any, NamedTuple

__all__ = ["SessionRunArgs", "SessionRunContext", "SessionRunHook", "SessionRunValues"]


class SessionRunHook:
    """Callbacks around a MonitoredSession's life and each of its runs; all do nothing."""

    def begin(self) -> None:
        """Before the graph is finalized: the hook may still add ops."""

    def after_create_session(self, session: Any, coord: Any) -> None:
        """After the session is created and the variables initialized or restored."""

    def before_run(self, run_context: SessionRunContext) -> SessionRunArgs | None:
        """Fetches and feeds to add to the coming run."""
        return None

    def after_run(self, run_context: SessionRunContext, run_values: SessionRunValues) -> None:
        """After each run, with the values of the hook's own fetches."""

    def end(self, session: Any) -> None:
        """When the session closes without an error."""


class SessionRunArgs(NamedTuple):
    """What a hook adds to a run: ``fetches`` (any fetch structure), ``feed_dict``."""

    fetches: Any
    feed_dict: Any = None
    options: Any = None


class SessionRunValues(NamedTuple):
    """The results of a hook's fetches (same structure), with options and metadata."""

    results: Any
    options: Any
    run_metadata: Any


class SessionRunContext:
    """The run's original arguments and session; a hook may ask the loop to stop."""

    def __init__(self, original_args: SessionRunArgs, session: Any) -> None:
        self._original_args = original_args
        self._session = session
        self._stop_requested = False

    @property
    def original_args(self) -> SessionRunArgs:
        return self._original_args

    @property
    def session(self) -> Any:
        return self._session

    @property
    def stop_requested(self) -> bool:
        return self._stop_requested

    def request_stop(self) -> None:
        """``should_stop()`` becomes True after this run."""
        self._stop_requested = True
