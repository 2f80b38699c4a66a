"""``tf.train.SessionManager`` (TF's training/session_manager.py): makes a session whose
model is ready, by restoring the latest checkpoint or running the init op
(``prepare_session``), by restoring only (``recover_session``), or by waiting for another
process to initialize it (``wait_for_session``: single-process varstore has no such other
process, so a model that is not ready stays so until the wait ends).

Readiness is TF's: ``ready_op`` (typically ``report_uninitialized_variables``) returns
the names of the variables not yet initialized; empty means ready.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any, Callable

import numpy as np

from varstore import errors
from varstore.framework.graph import get_collection, get_default_graph
from varstore.framework.session import Session
from varstore.train import checkpoint_management

__all__ = ["SessionManager"]

_log = logging.getLogger("tensorflow")


def _maybe_name(obj: Any) -> str:
    if obj is None:
        return "None"
    if hasattr(obj, "name"):
        return str(obj.name)
    return f"<no name for {type(obj)}>"


def _restore(sess: Session, saver: Any, path: str) -> None:
    # TF runs a SavedModel's initializers first: restoring may not restore their tables.
    init_ops = get_collection("saved_model_initializers")
    if init_ops:
        sess.run(init_ops)
    saver.restore(sess, path)


class SessionManager:
    """Creates sessions whose model is initialized, restored or ready (TF's rules)."""

    def __init__(self, local_init_op: Any = None, ready_op: Any = None,
                 ready_for_local_init_op: Any = None, graph: Any = None,
                 recovery_wait_secs: float = 30, local_init_run_options: Any = None,
                 local_init_feed_dict: Any = None) -> None:
        if graph is None:
            graph = get_default_graph()
        self._local_init_op = local_init_op
        self._ready_op = ready_op
        self._ready_for_local_init_op = ready_for_local_init_op
        self._graph = graph
        self._recovery_wait_secs = recovery_wait_secs
        self._target: str | None = None
        self._local_init_run_options = local_init_run_options
        self._local_init_feed_dict = local_init_feed_dict
        if ready_for_local_init_op is not None and local_init_op is None:
            raise ValueError("If you pass a ready_for_local_init_op you must also pass a "
                             f"local_init_op , ready_for_local_init_op "
                             f"[{ready_for_local_init_op}]")

    def _restore_checkpoint(self, master: str, saver: Any = None,
                            checkpoint_dir: str | None = None,
                            checkpoint_filename_with_path: str | None = None,
                            wait_for_checkpoint: bool = False, max_wait_secs: float = 7200,
                            config: Any = None) -> tuple[Session, bool]:
        self._target = master
        sess = Session(self._target, graph=self._graph, config=config)
        if checkpoint_dir and checkpoint_filename_with_path:
            raise ValueError("Can not provide both checkpoint_dir and "
                             "checkpoint_filename_with_path.")
        if not saver or not (checkpoint_dir or checkpoint_filename_with_path):
            return sess, False
        if checkpoint_filename_with_path:
            _restore(sess, saver, checkpoint_filename_with_path)
            return sess, True
        wait_time: float = 0
        ckpt = checkpoint_management.get_checkpoint_state(checkpoint_dir or "")
        while not ckpt or not ckpt.model_checkpoint_path:
            if wait_for_checkpoint and wait_time < max_wait_secs:
                _log.info("Waiting for checkpoint to be available.")
                time.sleep(self._recovery_wait_secs)
                wait_time += self._recovery_wait_secs
                ckpt = checkpoint_management.get_checkpoint_state(checkpoint_dir or "")
            else:
                return sess, False
        _restore(sess, saver, ckpt.model_checkpoint_path)
        saver.recover_last_checkpoints(list(ckpt.all_model_checkpoint_paths))
        return sess, True

    def prepare_session(self, master: str, init_op: Any = None, saver: Any = None,
                        checkpoint_dir: str | None = None,
                        checkpoint_filename_with_path: str | None = None,
                        wait_for_checkpoint: bool = False, max_wait_secs: float = 7200,
                        config: Any = None, init_feed_dict: Any = None,
                        init_fn: Callable[[Any], Any] | None = None) -> Session:
        """A session restored from the latest checkpoint, or else initialized by
        ``init_op`` / ``init_fn``; then ``local_init_op``; then checked ready."""
        sess, loaded = self._restore_checkpoint(
            master, saver, checkpoint_dir=checkpoint_dir,
            checkpoint_filename_with_path=checkpoint_filename_with_path,
            wait_for_checkpoint=wait_for_checkpoint, max_wait_secs=max_wait_secs,
            config=config)
        if not loaded:
            if init_op is None and not init_fn and self._local_init_op is None:
                raise RuntimeError("Model is not initialized and no init_op or init_fn or "
                                   "local_init_op was given")
            if init_op is not None:
                sess.run(init_op, feed_dict=init_feed_dict)
            if init_fn:
                init_fn(sess)
        ok, msg = self._try_run_local_init_op(sess)
        if not ok:
            raise RuntimeError("Init operations did not make model ready for local_init.  "
                               f"Init op: {_maybe_name(init_op)}, init fn: {init_fn}, "
                               f"error: {msg}")
        ready, msg = self._model_ready(sess)
        if not ready:
            raise RuntimeError("Init operations did not make model ready.  Init op: "
                               f"{_maybe_name(init_op)}, init fn: {init_fn}, local_init_op: "
                               f"{self._local_init_op}, error: {msg}")
        return sess

    def recover_session(self, master: str, saver: Any = None,
                        checkpoint_dir: str | None = None,
                        checkpoint_filename_with_path: str | None = None,
                        wait_for_checkpoint: bool = False, max_wait_secs: float = 7200,
                        config: Any = None) -> tuple[Session, bool]:
        """``(session, True)`` when a checkpoint was restored and made the model ready,
        else ``(session, False)`` (the session is returned either way, as TF's)."""
        sess, loaded = self._restore_checkpoint(
            master, saver, checkpoint_dir=checkpoint_dir,
            checkpoint_filename_with_path=checkpoint_filename_with_path,
            wait_for_checkpoint=wait_for_checkpoint, max_wait_secs=max_wait_secs,
            config=config)
        ok, msg = self._try_run_local_init_op(sess)
        if not loaded:
            return sess, False
        restoring_file = checkpoint_dir or checkpoint_filename_with_path
        if not ok:
            _log.info("Restoring model from %s did not make model ready for local init: %s",
                      restoring_file, msg)
            return sess, False
        ready, msg = self._model_ready(sess)
        if not ready:
            _log.info("Restoring model from %s did not make model ready: %s",
                      restoring_file, msg)
            return sess, False
        _log.info("Restored model from %s", restoring_file)
        return sess, loaded

    def wait_for_session(self, master: str, config: Any = None,
                         max_wait_secs: float | None = float("Inf")) -> Session | None:
        """A session once the model is ready, polling every ``recovery_wait_secs``;
        DeadlineExceededError when ``max_wait_secs`` would pass."""
        self._target = master
        if max_wait_secs is None:
            max_wait_secs = float("Inf")
        start = time.time()
        while True:
            sess = Session(self._target, graph=self._graph, config=config)
            not_ready_msg = None
            ok, not_ready_local_msg = self._try_run_local_init_op(sess)
            if ok:
                ready, not_ready_msg = self._model_ready(sess)
                if ready:
                    return sess
            self._safe_close(sess)
            remaining = max(0.0, max_wait_secs - (time.time() - start))
            if remaining - self._recovery_wait_secs < 0:
                raise errors.DeadlineExceededError(
                    None, None, f"Session was not ready after waiting {int(max_wait_secs)} "
                    "secs.")
            _log.info("Waiting for model to be ready.  Ready_for_local_init_op:  %s, "
                      "ready: %s", not_ready_local_msg, not_ready_msg)
            time.sleep(self._recovery_wait_secs)

    @staticmethod
    def _safe_close(sess: Session) -> None:
        # TF ignores errors closing a probe session
        with contextlib.suppress(Exception):
            sess.close()

    def _model_ready(self, sess: Session) -> tuple[bool, str | None]:
        return _ready(self._ready_op, sess, "Model not ready")

    def _model_ready_for_local_init(self, sess: Session) -> tuple[bool, str | None]:
        return _ready(self._ready_for_local_init_op, sess, "Model not ready for local init")

    def _try_run_local_init_op(self, sess: Session) -> tuple[bool, str | None]:
        if self._local_init_op is not None:
            ready, msg = self._model_ready_for_local_init(sess)
            if ready:
                _log.info("Running local_init_op.")
                sess.run(self._local_init_op, feed_dict=self._local_init_feed_dict,
                         options=self._local_init_run_options)
                _log.info("Done running local_init_op.")
                return True, None
            return False, msg
        return True, None


def _ready(op: Any, sess: Session, msg: str) -> tuple[bool, str | None]:
    """TF's readiness: None, an int32 value or an empty list of names means ready."""
    if op is None:
        return True, None
    try:
        value = sess.run(op)
        if value is None or np.asarray(value).dtype == np.int32 or np.size(value) == 0:
            return True, None
        names = ", ".join(i.decode("utf-8") if isinstance(i, bytes) else str(i)
                          for i in np.asarray(value).ravel())
        return False, "Variables not initialized: " + names
    except errors.FailedPreconditionError as e:
        if "uninitialized" not in str(e):
            _log.warning("%s : error [%s]", msg, str(e))
            raise
        return False, str(e)
