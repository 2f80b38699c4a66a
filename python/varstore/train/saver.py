"""TF1's ``tf.train`` checkpoint API: ``Saver``, ``latest_checkpoint``, ``init_from_checkpoint``.

``Saver.save`` writes one safetensors file at exactly the path it returns (``model.ckpt-10``
for ``global_step=10``; TF1 would write ``model.ckpt-10.index`` and ``.data-*`` files) and,
like TF1, keeps a ``checkpoint`` state file in the same directory naming the latest and the
kept checkpoints, so that ``latest_checkpoint(dir)`` finds them.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np

from varstore.framework.ops import Tensor
from varstore.framework.session import Session
from varstore.train import safetensors_checkpoint as _ckpt
from varstore.train.safetensors_checkpoint import init_from_checkpoint, load_variable
from varstore.variables import Variable

__all__ = [
    "CheckpointState",
    "Saver",
    "checkpoint_exists",
    "get_checkpoint_state",
    "init_from_checkpoint",
    "latest_checkpoint",
    "list_variables",
    "load_variable",
]


class CheckpointState(NamedTuple):
    """The contents of a ``checkpoint`` state file (TF's CheckpointState proto)."""

    model_checkpoint_path: str
    all_model_checkpoint_paths: list[str]


# -- the "checkpoint" state file (text protobuf, as TF writes it) -------------------------------
def _quote(s: str) -> str:
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{s}"'


_LINE = re.compile(r'^\s*(\w+)\s*:\s*"((?:[^"\\]|\\.)*)"\s*$')


def _unquote(s: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def _state_path(checkpoint_dir: str, latest_filename: str | None) -> str:
    return os.path.join(checkpoint_dir, latest_filename or "checkpoint")


def _write_state(checkpoint_dir: str, latest: str, all_paths: list[str],
                 latest_filename: str | None, relative: bool) -> None:
    def rel(p: str) -> str:
        # TF's generate_checkpoint_state_proto: paths are stored relative to the directory
        # when asked to, and always when the directory itself is relative (the reader joins
        # relative entries with the directory).
        if (relative and os.path.isabs(p)) or (
                not os.path.isabs(checkpoint_dir) and not os.path.isabs(p)):
            return os.path.relpath(p, checkpoint_dir)
        return p

    text = f"model_checkpoint_path: {_quote(rel(latest))}\n" + "".join(
        f"all_model_checkpoint_paths: {_quote(rel(p))}\n" for p in all_paths
    )
    path = _state_path(checkpoint_dir, latest_filename)
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def get_checkpoint_state(checkpoint_dir: str | os.PathLike[str],
                         latest_filename: str | None = None) -> CheckpointState | None:
    """The ``checkpoint`` state file of ``checkpoint_dir``, or None if there is none.
    Relative paths in it are taken relative to ``checkpoint_dir``."""
    d = os.fspath(checkpoint_dir)
    path = _state_path(d, latest_filename)
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return None
    latest = ""
    all_paths: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        m = _LINE.match(line)
        if m is None:
            raise ValueError(f"Unable to parse checkpoint state file {path}: {line.strip()!r}")
        key, value = m.group(1), _unquote(m.group(2))
        if not os.path.isabs(value):
            value = os.path.join(d, value)
        if key == "model_checkpoint_path":
            latest = value
        elif key == "all_model_checkpoint_paths":
            all_paths.append(value)
    if not latest:
        return None
    return CheckpointState(latest, all_paths)


def latest_checkpoint(checkpoint_dir: str | os.PathLike[str],
                      latest_filename: str | None = None) -> str | None:
    """The path of the latest checkpoint ``Saver.save`` recorded in ``checkpoint_dir``, or
    None if there is none (or its file is gone)."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None or not os.path.isfile(state.model_checkpoint_path):
        return None
    return state.model_checkpoint_path


def checkpoint_exists(checkpoint_prefix: str | os.PathLike[str]) -> bool:
    """Whether a checkpoint file exists at ``checkpoint_prefix``."""
    return os.path.isfile(os.fspath(checkpoint_prefix))


def list_variables(ckpt_dir_or_file: str | os.PathLike[str]) -> list[tuple[str, list[int]]]:
    """(name, shape) of every tensor in the checkpoint, as ``tf.train.list_variables``."""
    return [(name, shape) for name, shape, _, _ in _ckpt.list_variables(ckpt_dir_or_file)]


# -- Saver --------------------------------------------------------------------------------------
class Saver:
    """``tf.compat.v1.train.Saver``: saves and restores variables by their checkpoint names.

    ``var_list``: None (every global variable when the Saver is built), a list of variables
    (named by their op names) or a dict from checkpoint name to variable. ``max_to_keep``
    most recent checkpoints are kept (None or 0 keeps all), plus one every
    ``keep_checkpoint_every_n_hours``. Tensors in the file that the Saver does not restore are
    ignored, as in TF1.
    """

    def __init__(
        self,
        var_list: Iterable[Variable] | Mapping[str, Variable] | None = None,
        reshape: bool = False,
        sharded: bool = False,
        max_to_keep: int | None = 5,
        keep_checkpoint_every_n_hours: float = 10000.0,
        name: str | None = None,
        restore_sequentially: bool = False,
        saver_def: Any = None,
        builder: Any = None,
        defer_build: bool = False,
        allow_empty: bool = False,
        write_version: Any = None,
        pad_step_number: bool = False,
        save_relative_paths: bool = False,
        filename: str | None = None,
    ) -> None:
        self._vars = _ckpt._resolve(var_list)
        if not self._vars and not allow_empty:
            raise ValueError("No variables to save")
        self._max_to_keep = max_to_keep
        self._keep_every = float(keep_checkpoint_every_n_hours)
        self._next_keep_time = time.time() + self._keep_every * 3600
        self._pad_step_number = pad_step_number
        self._save_relative_paths = save_relative_paths
        self._filename = filename
        self._last: list[tuple[str, float]] = []
        self._to_delete: list[tuple[str, float]] = []

    @property
    def last_checkpoints(self) -> list[str]:
        """The paths of the checkpoints this Saver keeps, oldest first."""
        return [p for p, _ in self._last]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time: list[Any]) -> None:
        self._last = [(str(p), float(t)) for p, t in last_checkpoints_with_time]

    def recover_last_checkpoints(self, checkpoint_paths: Iterable[str]) -> None:
        """Takes over the existing ``checkpoint_paths`` (e.g. from ``get_checkpoint_state``)
        so that ``max_to_keep`` also deletes them."""
        now = time.time()
        self._last = [(p, os.path.getmtime(p) if os.path.exists(p) else now)
                      for p in checkpoint_paths if os.path.exists(p)]

    def save(
        self,
        sess: Any,
        save_path: str | os.PathLike[str],
        global_step: Any = None,
        latest_filename: str | None = None,
        meta_graph_suffix: str = "meta",
        write_meta_graph: bool = True,
        write_state: bool = True,
        strip_default_attrs: bool = False,
        save_debug_info: bool = False,
    ) -> str | None:
        """Writes the checkpoint to ``save_path`` (``save_path-<global_step>`` with a step)
        and returns that path; ``sess`` may be a Session or None (values live in the
        variables). Updates the ``checkpoint`` state file unless ``write_state`` is False."""
        if latest_filename is not None and os.path.basename(latest_filename) != latest_filename:
            raise ValueError("'latest_filename' must not contain path components")
        path = os.fspath(save_path)
        if global_step is not None:
            step = _step_value(global_step)
            path = f"{path}-{step:08d}" if self._pad_step_number else f"{path}-{step}"
        if not self._vars:
            return None
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise ValueError(f"Parent directory of {save_path} doesn't exist, can't save.")
        _ckpt.save(path, self._vars)
        if write_state:
            self._record(path)
            kept = self.last_checkpoints if self._max_to_keep else [path]
            _write_state(os.path.dirname(path) or ".", path, kept, latest_filename,
                         self._save_relative_paths)
            self._delete_old()
        return path

    def _record(self, path: str) -> None:
        if not self._max_to_keep:
            return
        self._last = [(p, t) for p, t in self._last if p != path]
        self._last.append((path, time.time()))
        self._to_delete = []
        while len(self._last) > self._max_to_keep:
            self._to_delete.append(self._last.pop(0))

    def _delete_old(self) -> None:
        for p, t in self._to_delete:
            if t > self._next_keep_time:
                self._next_keep_time += self._keep_every * 3600
                continue
            with contextlib.suppress(FileNotFoundError):
                os.unlink(p)
        self._to_delete = []

    def restore(self, sess: Any, save_path: str | os.PathLike[str] | None) -> None:
        """Loads every variable of the Saver from ``save_path``. Checks every name, shape and
        dtype first: on error no variable changes. The variables count as initialized in
        ``sess`` afterwards, as in TF1."""
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        if not self._vars:
            return
        path = os.fspath(save_path)
        if not os.path.isfile(path):
            raise ValueError(f"The passed save_path is not a valid checkpoint: {path}")
        restored = _ckpt.restore(path, self._vars, strict=False)
        if isinstance(sess, Session):
            sess._ctx.initialized.update(v._id for v in restored)


def _step_value(global_step: Any) -> int:
    if isinstance(global_step, Variable):
        return int(global_step.numpy())
    if isinstance(global_step, Tensor):
        return int(np.asarray(global_step))
    return int(global_step)
