"""The ``checkpoint`` state file and checkpoint files on disk (TF's checkpoint_management.py):
``get_checkpoint_state``, ``update_checkpoint_state``, ``latest_checkpoint``,
``checkpoint_exists``, ``remove_checkpoint``.

The state file is a text ``CheckpointState`` proto::

    model_checkpoint_path: "model.ckpt-20"
    all_model_checkpoint_paths: "model.ckpt-10"
    all_model_checkpoint_paths: "model.ckpt-20"

Relative paths in it are relative to the file's directory. It is replaced atomically.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import re
from collections.abc import Sequence
from typing import NamedTuple

from varstore.train.bundle_writer import fsync_dir

_logger = logging.getLogger("tensorflow")

__all__ = [
    "CheckpointState",
    "checkpoint_exists",
    "generate_checkpoint_state_proto",
    "get_checkpoint_mtimes",
    "get_checkpoint_state",
    "latest_checkpoint",
    "remove_checkpoint",
    "update_checkpoint_state",
]


class CheckpointState(NamedTuple):
    """The contents of a ``checkpoint`` state file (TF's CheckpointState proto)."""

    model_checkpoint_path: str
    all_model_checkpoint_paths: list[str]
    all_model_checkpoint_timestamps: Sequence[float] = ()
    last_preserved_timestamp: float = 0.0


def generate_checkpoint_state_proto(save_dir: str, model_checkpoint_path: str,
                                    all_model_checkpoint_paths: list[str] | None = None,
                                    all_model_checkpoint_timestamps: Sequence[float] | None
                                    = None, last_preserved_timestamp: float | None = None
                                    ) -> CheckpointState:
    """The state a ``checkpoint`` file would hold (TF's rule: the latest path ends the
    list; when ``save_dir`` is relative, relative paths become relative to it)."""
    if all_model_checkpoint_paths is None:
        all_model_checkpoint_paths = []
    # TF appends to the caller's list
    if not all_model_checkpoint_paths or \
            all_model_checkpoint_paths[-1] != model_checkpoint_path:
        all_model_checkpoint_paths.append(model_checkpoint_path)
    if all_model_checkpoint_timestamps and (len(all_model_checkpoint_timestamps)
                                            != len(all_model_checkpoint_paths)):
        raise ValueError("Checkpoint timestamps, if provided, must match checkpoint paths "
                         f"(got paths {all_model_checkpoint_paths} and timestamps "
                         f"{all_model_checkpoint_timestamps})")
    if not os.path.isabs(save_dir):
        if not os.path.isabs(model_checkpoint_path):
            model_checkpoint_path = os.path.relpath(model_checkpoint_path, save_dir)
        for i, p in enumerate(all_model_checkpoint_paths):
            if not os.path.isabs(p):
                all_model_checkpoint_paths[i] = os.path.relpath(p, save_dir)
    return CheckpointState(model_checkpoint_path, all_model_checkpoint_paths,
                           list(all_model_checkpoint_timestamps or ()),
                           float(last_preserved_timestamp or 0.0))


def get_checkpoint_mtimes(checkpoint_prefixes: Sequence[str]) -> list[float]:
    """The modification times (seconds) of the checkpoints found: the ``.index`` file of a
    V2 checkpoint, else the first file the prefix matches as a pattern (TF's rule)."""
    mtimes: list[float] = []

    def match(pattern: str) -> bool:
        names = sorted(glob.glob(pattern))
        if names:
            mtimes.append(os.stat(names[0]).st_mtime_ns / 1e9)
            return True
        return False

    for prefix in checkpoint_prefixes:
        if not match(os.fspath(prefix) + ".index"):
            match(os.fspath(prefix))
    return mtimes


def _quote(s: str) -> str:
    s = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{s}"'


_LINE = re.compile(r'^\s*(\w+)\s*:\s*"((?:[^"\\]|\\.)*)"\s*$')
_NUMBER_LINE = re.compile(r"^\s*(\w+)\s*:\s*[-+0-9.eE]+\s*$")


def _unquote(s: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def _state_path(checkpoint_dir: str, latest_filename: str | None) -> str:
    return os.path.join(checkpoint_dir, latest_filename or "checkpoint")


def update_checkpoint_state(save_dir: str | os.PathLike[str], model_checkpoint_path: str,
                            all_model_checkpoint_paths: list[str] | None = None,
                            latest_filename: str | None = None,
                            save_relative_paths: bool = False) -> None:
    """Writes the state file of ``save_dir`` (atomically: temp file, fsync, rename)."""
    checkpoint_dir = os.fspath(save_dir)
    paths = list(all_model_checkpoint_paths or [])
    if not paths or paths[-1] != model_checkpoint_path:
        paths.append(model_checkpoint_path)

    def rel(p: str) -> str:
        # TF's generate_checkpoint_state_proto: relative to the directory when asked to, and
        # always when the directory itself is relative (readers join such entries with it).
        if (save_relative_paths and os.path.isabs(p)) or (
                not os.path.isabs(checkpoint_dir) and not os.path.isabs(p)):
            return os.path.relpath(p, checkpoint_dir)
        return p

    text = f"model_checkpoint_path: {_quote(rel(model_checkpoint_path))}\n" + "".join(
        f"all_model_checkpoint_paths: {_quote(rel(p))}\n" for p in paths
    )
    path = _state_path(checkpoint_dir, latest_filename)
    if rel(model_checkpoint_path) == path:
        # TF compares the recorded path with the state file's (so an absolute save path
        # named like the state file fails, a relative one does not)
        raise RuntimeError(f"Save path '{model_checkpoint_path}' conflicts with path used for "
                           "checkpoint state.  Please use a different save path.")
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
    fsync_dir(checkpoint_dir)


def get_checkpoint_state(checkpoint_dir: str | os.PathLike[str],
                         latest_filename: str | None = None) -> CheckpointState | None:
    """The ``checkpoint`` state file of ``checkpoint_dir``, or None if there is none.
    Relative paths in it are taken relative to ``checkpoint_dir``."""
    d = os.fspath(checkpoint_dir)
    path = _state_path(d, latest_filename)
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except (FileNotFoundError, NotADirectoryError):
        return None
    latest = ""
    all_paths: list[str] = []
    for line in lines:
        if not line.strip() or _NUMBER_LINE.match(line):  # TF2 adds timestamps
            continue
        m = _LINE.match(line)
        if m is None:
            # TF logs the text-format ParseError and reports no state
            _logger.warning("%s: %s", "ParseError",
                            f"Unable to parse checkpoint state file {path}: {line.strip()!r}")
            return None
        key, value = m.group(1), _unquote(m.group(2))
        if not os.path.isabs(value):
            value = os.path.join(d, value)
        if key == "model_checkpoint_path":
            latest = value
        elif key == "all_model_checkpoint_paths":
            all_paths.append(value)
    if not latest:
        # an empty state file (or one without model_checkpoint_path) is TF's ValueError
        raise ValueError(f"Invalid checkpoint state loaded from {d}")
    return CheckpointState(latest, all_paths)


def checkpoint_exists(checkpoint_prefix: str | os.PathLike[str]) -> bool:
    """Whether a checkpoint is at ``checkpoint_prefix``: a TF V2 checkpoint
    (``prefix.index``), a single checkpoint file (V1, safetensors) or a V1 save's shards."""
    from varstore.train.v1_checkpoint import v1_files

    p = os.fspath(checkpoint_prefix)
    return os.path.isfile(p + ".index") or os.path.isfile(p) or bool(v1_files(p))


def latest_checkpoint(checkpoint_dir: str | os.PathLike[str],
                      latest_filename: str | None = None) -> str | None:
    """The latest checkpoint the state file of ``checkpoint_dir`` records, or None if there
    is none (or its files are gone)."""
    state = get_checkpoint_state(checkpoint_dir, latest_filename)
    if state is None or not checkpoint_exists(state.model_checkpoint_path):
        return None
    return state.model_checkpoint_path


def checkpoint_files(prefix: str) -> list[str]:
    """The files of the checkpoint at ``prefix``: its ``.index``, ``.data-*`` shards and
    ``.meta``, or the file itself."""
    if os.path.isfile(prefix + ".index"):
        escaped = glob.escape(prefix)
        found = [prefix + ".index", *glob.glob(escaped + ".data-?????-of-?????")]
        return found + [prefix + ".meta"] * os.path.isfile(prefix + ".meta")
    if not os.path.isfile(prefix):
        return []
    return [prefix] + [prefix + ".meta"] * os.path.isfile(prefix + ".meta")


def remove_checkpoint(checkpoint_prefix: str | os.PathLike[str],
                      checkpoint_format_version: object = None,
                      meta_graph_suffix: str = "meta") -> None:
    """Deletes the checkpoint's files (index first, so a half-deleted checkpoint is not
    found at all)."""
    for path in checkpoint_files(os.fspath(checkpoint_prefix)):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
