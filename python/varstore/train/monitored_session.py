"""``tf.train.MonitoredTrainingSession``, ``MonitoredSession``, ``SingularMonitoredSession``
and ``Scaffold`` (TF's training/monitored_session.py), single-process: a session that
initializes or restores the model, runs hooks around every run, stops when a hook asks or
the input ends (OutOfRangeError), and saves checkpoints and summaries through the standard
hooks; the graph's queue runners are started with the session, on its coordinator, and
stopped when it closes. There is no distributed (non-chief) worker and no recovery from a
lost worker."""

from __future__ import annotations

from typing import Any

from varstore import errors
from varstore.framework.graph import GraphKeys, add_to_collection, get_collection, get_default_graph
from varstore.framework.session import Session
from varstore.ops.control_flow_ops import group
from varstore.train import basic_session_run_hooks as hooks_lib
from varstore.train.checkpoint_management import get_checkpoint_state, latest_checkpoint
from varstore.train.coordinator import Coordinator
from varstore.train.queue_runner_impl import start_queue_runners
from varstore.train.session_run_hook import SessionRunArgs, SessionRunContext, SessionRunValues
from varstore.variables import (
    global_variables_initializer,
    local_variables_initializer,
    report_uninitialized_variables,
)

__all__ = [
    "ChiefSessionCreator",
    "MonitoredSession",
    "MonitoredTrainingSession",
    "Scaffold",
    "SessionCreator",
    "SingularMonitoredSession",
    "WorkerSessionCreator",
]

USE_DEFAULT = object()


class Scaffold:
    """The ops and saver a monitored session needs, built (and the graph finalized) by
    ``finalize()``; each defaults to the graph's collection entry, else TF's default."""

    def __init__(self, init_op: Any = None, init_feed_dict: Any = None, init_fn: Any = None,
                 ready_op: Any = None, ready_for_local_init_op: Any = None,
                 local_init_op: Any = None, summary_op: Any = None, saver: Any = None,
                 copy_from_scaffold: Any = None, local_init_feed_dict: Any = None) -> None:
        if copy_from_scaffold is not None:
            if not isinstance(copy_from_scaffold, Scaffold):
                raise TypeError("copy_from_scaffold is not a Scaffold instance.")
            c = copy_from_scaffold
            init_op = init_op or c.init_op
            init_feed_dict = init_feed_dict or c.init_feed_dict
            init_fn = init_fn or c.user_init_fn
            ready_op = ready_op or c.ready_op
            ready_for_local_init_op = ready_for_local_init_op or c.ready_for_local_init_op
            local_init_op = local_init_op or c.local_init_op
            local_init_feed_dict = local_init_feed_dict or c.local_init_feed_dict
            summary_op = summary_op or c.summary_op
            saver = saver or c.saver
        self._user_init_fn = init_fn
        self._init_fn = (lambda sess: init_fn(self, sess)) if init_fn else None
        self._init_op = init_op
        self._init_feed_dict = init_feed_dict
        self._ready_op = ready_op
        self._ready_for_local_init_op = ready_for_local_init_op
        self._local_init_op = local_init_op
        self._local_init_feed_dict = local_init_feed_dict
        self._summary_op = summary_op
        self._saver = saver

    @staticmethod
    def get_or_default(arg_name: str, collection_key: str, default_constructor: Any) -> Any:
        elements = get_collection(collection_key)
        if elements:
            if len(elements) > 1:
                raise RuntimeError(f"More than one item in the collection \"{collection_key}\". "
                                   f"Please indicate which one to use by passing it to the "
                                   f"tf.Scaffold constructor as:  tf.Scaffold({arg_name}=item "
                                   "to use)")
            return elements[0]
        op = default_constructor()
        if op is not None:
            add_to_collection(collection_key, op)
        return op

    @staticmethod
    def default_local_init_op() -> Any:
        return group(local_variables_initializer(), *get_collection(GraphKeys.TABLE_INITIALIZERS))

    def finalize(self) -> Scaffold:
        """Builds the missing ops and the saver, then finalizes the graph."""
        from varstore.summary.summary_ops import merge_all
        from varstore.train.saver import Saver
        if self._init_op is None:
            self._init_op = Scaffold.get_or_default("init_op", GraphKeys.INIT_OP,
                                                    global_variables_initializer)
        if self._ready_op is None:
            self._ready_op = Scaffold.get_or_default("ready_op", GraphKeys.READY_OP,
                                                     report_uninitialized_variables)
        if self._ready_for_local_init_op is None:
            self._ready_for_local_init_op = Scaffold.get_or_default(
                "ready_for_local_init_op", GraphKeys.READY_FOR_LOCAL_INIT_OP,
                lambda: report_uninitialized_variables(
                    get_collection(GraphKeys.GLOBAL_VARIABLES)))
        if self._local_init_op is None:
            self._local_init_op = Scaffold.get_or_default(
                "local_init_op", GraphKeys.LOCAL_INIT_OP, Scaffold.default_local_init_op)
        if self._summary_op is None:
            self._summary_op = Scaffold.get_or_default("summary_op", GraphKeys.SUMMARY_OP,
                                                       merge_all)
        if self._saver is None:
            savers = get_collection(GraphKeys.SAVERS)
            if savers:
                if len(savers) > 1:
                    raise RuntimeError(f"More than one item in collection {GraphKeys.SAVERS}. "
                                       "Please indicate which one to use by passing it to the "
                                       "constructor.")
                self._saver = savers[0]
            else:
                self._saver = Saver(sharded=True, allow_empty=True)
                add_to_collection(GraphKeys.SAVERS, self._saver)
        get_default_graph().finalize()
        return self

    init_fn = property(lambda self: self._init_fn)
    user_init_fn = property(lambda self: self._user_init_fn)
    init_op = property(lambda self: self._init_op)
    ready_op = property(lambda self: self._ready_op)
    ready_for_local_init_op = property(lambda self: self._ready_for_local_init_op)
    local_init_op = property(lambda self: self._local_init_op)
    local_init_feed_dict = property(lambda self: self._local_init_feed_dict)
    summary_op = property(lambda self: self._summary_op)
    saver = property(lambda self: self._saver)
    init_feed_dict = property(lambda self: self._init_feed_dict)


class SessionCreator:
    """Makes the tf.Session a monitored session wraps."""

    def create_session(self) -> Any:
        raise NotImplementedError(f"create_session is not implemented for {self}.")


class ChiefSessionCreator(SessionCreator):
    """Restores the latest checkpoint of ``checkpoint_dir`` (or the given file) when there
    is one, else runs the init op; then the local init op; then checks the model is ready
    (TF's SessionManager.prepare_session)."""

    def __init__(self, scaffold: Scaffold | None = None, master: str = "", config: Any = None,
                 checkpoint_dir: str | None = None,
                 checkpoint_filename_with_path: str | None = None) -> None:
        self._checkpoint_dir = checkpoint_dir
        self._checkpoint_filename_with_path = checkpoint_filename_with_path
        self._scaffold = scaffold or Scaffold()
        self._master = master
        self._config = config

    def create_session(self) -> Session:
        sc = self._scaffold.finalize()
        sess = Session(self._master, config=self._config)
        path = self._checkpoint_filename_with_path
        state = None
        if path is None and self._checkpoint_dir:
            path = latest_checkpoint(self._checkpoint_dir)
            state = get_checkpoint_state(self._checkpoint_dir)
        if path:
            sc.saver.restore(sess, path)
            if state is not None:
                # TF's SessionManager: the Saver takes over the directory's checkpoint list,
                # so max_to_keep counts the earlier run's checkpoints too.
                sc.saver.recover_last_checkpoints(list(state.all_model_checkpoint_paths))
        else:
            if sc.init_op is not None:
                sess.run(sc.init_op, feed_dict=sc.init_feed_dict)
            if sc.init_fn is not None:
                sc.init_fn(sess)
        if sc.local_init_op is not None:
            sess.run(sc.local_init_op, feed_dict=sc.local_init_feed_dict)
        if sc.ready_op is not None:
            not_ready = sess.run(sc.ready_op)
            if len(not_ready):
                sess.close()
                names = ", ".join(n.decode() if isinstance(n, bytes) else str(n)
                                  for n in not_ready)
                raise RuntimeError("Init operations did not make model ready.  Init op: "
                                   f"{getattr(sc.init_op, 'name', None)}, init fn: "
                                   f"{sc.init_fn}, error: Variables not initialized: {names}")
        return sess


class WorkerSessionCreator(SessionCreator):
    """A non-chief worker's session: it waits (``max_wait_secs``) for the model the chief
    initializes (TF's SessionManager.wait_for_session); in one process that is a model the
    local init op alone makes ready."""

    def __init__(self, scaffold: Scaffold | None = None, master: str = "", config: Any = None,
                 max_wait_secs: float = 30 * 60) -> None:
        self._scaffold = scaffold or Scaffold()
        self._session_manager: Any = None
        self._master = master
        self._config = config
        self._max_wait_secs = max_wait_secs

    def _get_session_manager(self) -> Any:
        if self._session_manager is None:
            from varstore.train.session_manager import SessionManager

            sc = self._scaffold
            self._session_manager = SessionManager(
                local_init_op=sc.local_init_op, local_init_feed_dict=sc.local_init_feed_dict,
                ready_op=sc.ready_op, ready_for_local_init_op=sc.ready_for_local_init_op,
                graph=get_default_graph())
        return self._session_manager

    def create_session(self) -> Any:
        self._scaffold.finalize()
        return self._get_session_manager().wait_for_session(
            self._master, config=self._config, max_wait_secs=self._max_wait_secs)


class _MonitoredSession:
    def __init__(self, session_creator: SessionCreator, hooks: Any,
                 stop_grace_period_secs: float = 120) -> None:
        graph = get_default_graph()
        self._graph = graph
        self._graph_was_finalized = graph.finalized
        self._hooks = list(hooks or [])
        for h in self._hooks:
            h.begin()
        self._stop_grace_period_secs = stop_grace_period_secs
        self._tf_sess: Any = None
        try:
            self._tf_sess = session_creator.create_session()
            # TF's _CoordinatedSessionCreator: every exception a thread reports is an error
            self._coord = Coordinator(clean_stop_exception_types=[])
            if get_collection(GraphKeys.QUEUE_RUNNERS):
                start_queue_runners(sess=self._tf_sess, coord=self._coord)
            for h in self._hooks:
                h.after_create_session(self._tf_sess, self._coord)
        except BaseException:
            if self._tf_sess is not None:
                self._tf_sess.close()
            if not self._graph_was_finalized:
                graph._unsafe_unfinalize()
            raise
        self._should_stop = False
        self._closed = False

    @property
    def graph(self) -> Any:
        return self._graph

    def should_stop(self) -> bool:
        """True once a hook, the input or the coordinator asked to stop; raises what a
        queue-runner thread reported to the coordinator (TF's _CoordinatedSession)."""
        if self._closed:
            return True
        self._coord.raise_requested_exception()
        return self._should_stop or self._coord.should_stop()

    def _hook_feeds(self, run_context: SessionRunContext, fetches: dict[Any, Any],
                    user_feed_dict: Any) -> Any:
        hook_feeds: dict[Any, Any] = {}
        for hook in self._hooks:
            request = hook.before_run(run_context)
            if request is None:
                continue
            if request.fetches is not None:
                fetches[hook] = request.fetches
            if request.feed_dict:
                if set(hook_feeds) & set(request.feed_dict):
                    raise RuntimeError("Same tensor is fed by two hooks.")
                hook_feeds.update(request.feed_dict)
        if not hook_feeds:
            return user_feed_dict
        if not user_feed_dict:
            return hook_feeds
        if set(hook_feeds) & set(user_feed_dict):
            raise RuntimeError("Same tensor is fed by a SessionRunHook and user.")
        merged = dict(user_feed_dict)
        merged.update(hook_feeds)
        return merged

    def run(self, fetches: Any, feed_dict: Any = None, options: Any = None,
            run_metadata: Any = None) -> Any:
        """Runs ``fetches`` with every hook's fetches and feeds added; an OutOfRangeError
        (the input is exhausted) marks the session stopped and propagates, as in TF."""
        if self.should_stop():
            raise RuntimeError("Run called even after should_stop requested.")
        actual: dict[Any, Any] = {"caller": fetches}
        run_context = SessionRunContext(SessionRunArgs(fetches, feed_dict), self._tf_sess)
        feeds = self._hook_feeds(run_context, actual, feed_dict)
        try:
            outputs = self._tf_sess.run(actual, feed_dict=feeds, options=options,
                                        run_metadata=run_metadata)
        except errors.OutOfRangeError:
            self._should_stop = True
            raise
        except Exception as original:
            # TF re-raises a preemption its threads reported in place of the run's error
            try:
                self._coord.raise_requested_exception()
            except (errors.AbortedError, errors.UnavailableError):
                raise
            except Exception:  # noqa: BLE001 - the run's own error is the one to report
                raise original from None
            raise
        for hook in self._hooks:
            hook.after_run(run_context, SessionRunValues(outputs.get(hook), options,
                                                         run_metadata))
        self._should_stop = self._should_stop or run_context.stop_requested
        return outputs["caller"]

    def run_step_fn(self, step_fn: Any) -> Any:
        class _StepContext:
            def __init__(ctx, sess: Any) -> None:
                ctx.session = sess

            def run_with_hooks(ctx, *args: Any, **kwargs: Any) -> Any:
                return self.run(*args, **kwargs)

            def request_stop(ctx) -> None:
                self._should_stop = True
        return step_fn(_StepContext(self._tf_sess))

    def close(self) -> None:
        self._close_internal(None)

    def _close_internal(self, exception_type: Any) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if exception_type is None:
                for h in self._hooks:
                    h.end(self._tf_sess)
        finally:
            try:
                self._coord.request_stop()
                self._coord.join(stop_grace_period_secs=self._stop_grace_period_secs,
                                 ignore_live_threads=True)
            finally:
                self._tf_sess.close()
                if not self._graph_was_finalized:
                    self._graph._unsafe_unfinalize()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, exception_type: type[BaseException] | None,
                 exception_value: BaseException | None, traceback: object) -> bool:
        if exception_type is not None and issubclass(exception_type,
                                                     (errors.OutOfRangeError, StopIteration)):
            exception_type = None
        self._close_internal(exception_type)
        return exception_type is None


class MonitoredSession(_MonitoredSession):
    def __init__(self, session_creator: SessionCreator | None = None, hooks: Any = None,
                 stop_grace_period_secs: float = 120) -> None:
        super().__init__(session_creator or ChiefSessionCreator(), hooks,
                         stop_grace_period_secs)


class SingularMonitoredSession(_MonitoredSession):
    def __init__(self, hooks: Any = None, scaffold: Scaffold | None = None, master: str = "",
                 config: Any = None, checkpoint_dir: str | None = None,
                 stop_grace_period_secs: float = 120,
                 checkpoint_filename_with_path: str | None = None) -> None:
        creator = ChiefSessionCreator(scaffold=scaffold, master=master, config=config,
                                      checkpoint_dir=checkpoint_dir,
                                      checkpoint_filename_with_path=checkpoint_filename_with_path)
        super().__init__(creator, hooks, stop_grace_period_secs)

    def raw_session(self) -> Any:
        return self._tf_sess


def MonitoredTrainingSession(
        master: str = "", is_chief: bool = True, checkpoint_dir: str | None = None,
        scaffold: Scaffold | None = None, hooks: Any = None, chief_only_hooks: Any = None,
        save_checkpoint_secs: Any = USE_DEFAULT, save_summaries_steps: Any = USE_DEFAULT,
        save_summaries_secs: Any = USE_DEFAULT, config: Any = None,
        stop_grace_period_secs: float = 120, log_step_count_steps: int = 100,
        max_wait_secs: float = 7200, save_checkpoint_steps: Any = USE_DEFAULT,
        summary_dir: str | None = None, save_graph_def: bool = True) -> MonitoredSession:
    """A MonitoredSession with TF's default hooks: step counter and summaries into
    ``summary_dir`` (default ``checkpoint_dir``), checkpoints every 600 s unless told."""
    if not is_chief:
        raise NotImplementedError("varstore lacks distributed training: "
                                  "MonitoredTrainingSession(is_chief=False) needs a worker")
    if save_summaries_steps is USE_DEFAULT and save_summaries_secs is USE_DEFAULT:
        save_summaries_steps, save_summaries_secs = 100, None
    elif save_summaries_secs is USE_DEFAULT:
        save_summaries_secs = None
    elif save_summaries_steps is USE_DEFAULT:
        save_summaries_steps = None
    if save_checkpoint_steps is USE_DEFAULT and save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_steps, save_checkpoint_secs = None, 600
    elif save_checkpoint_secs is USE_DEFAULT:
        save_checkpoint_secs = None
    elif save_checkpoint_steps is USE_DEFAULT:
        save_checkpoint_steps = None
    scaffold = scaffold or Scaffold()
    all_hooks: list[Any] = list(chief_only_hooks or [])
    creator = ChiefSessionCreator(scaffold=scaffold, checkpoint_dir=checkpoint_dir,
                                  master=master, config=config)
    summary_dir = summary_dir or checkpoint_dir
    if summary_dir:
        if log_step_count_steps and log_step_count_steps > 0:
            all_hooks.append(hooks_lib.StepCounterHook(output_dir=summary_dir,
                                                       every_n_steps=log_step_count_steps))
        if (save_summaries_steps and save_summaries_steps > 0) or (
                save_summaries_secs and save_summaries_secs > 0):
            all_hooks.append(hooks_lib.SummarySaverHook(
                scaffold=scaffold, save_steps=save_summaries_steps,
                save_secs=save_summaries_secs, output_dir=summary_dir))
    if checkpoint_dir and ((save_checkpoint_secs and save_checkpoint_secs > 0) or (
            save_checkpoint_steps and save_checkpoint_steps > 0)):
        all_hooks.append(hooks_lib.CheckpointSaverHook(
            checkpoint_dir, save_steps=save_checkpoint_steps, save_secs=save_checkpoint_secs,
            scaffold=scaffold, save_graph_def=save_graph_def))
    all_hooks.extend(hooks or [])
    return MonitoredSession(session_creator=creator, hooks=all_hooks,
                            stop_grace_period_secs=stop_grace_period_secs)
