"""``tf.compat.v1.train.Saver``: saves and restores variables by their checkpoint names.

``Saver.save`` writes TF's V2 checkpoint format by default (``format="bundle"``): for
``save(sess, "dir/model.ckpt", global_step=10)`` the files ``dir/model.ckpt-10.index`` and
``dir/model.ckpt-10.data-00000-of-00001``, byte for byte what TF 2.x's compat.v1 Saver
writes for the same variables, and TF reads them. ``format="safetensors"`` writes one
safetensors file at exactly the returned path instead. Either way a ``checkpoint`` state
file in the directory names the latest and the kept checkpoints, so ``latest_checkpoint(dir)``
finds them. ``restore`` reads either format (detected from the files), whatever the Saver's
own format. No ``.meta`` file (MetaGraphDef) is written: varstore's graphs are Python
programs, and ``write_meta_graph`` is accepted and ignored.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Iterable, Mapping
from typing import Any

from varstore.errors import NotFoundError
from varstore.train import _variable_io as vio
from varstore.train import safetensors_checkpoint as _st
from varstore.train.bundle_proto import object_graph_keys
from varstore.train.bundle_writer import BundleWriter, merge_bundles
from varstore.train.checkpoint_management import (
    checkpoint_exists,
    checkpoint_files,
    remove_checkpoint,
    update_checkpoint_state,
)
from varstore.train.checkpoint_reader import TensorSource, open_checkpoint
from varstore.train.checkpoint_utils import restore_slices, restore_variables
from varstore.variables import Variable

__all__ = ["FORMATS", "Saver", "SaverDef", "write_bundle"]

FORMATS = ("bundle", "safetensors")
_log = logging.getLogger("varstore")


class SaverDef:
    """The checkpoint format versions (``tf.train.SaverDef.V1`` / ``V2``)."""

    LEGACY = 0
    V1 = 1
    V2 = 2


def write_bundle(prefix: str, named: Mapping[str, Variable], sharded: bool = False,
                 sliced: Mapping[str, list[Variable]] | None = None) -> None:
    """Writes the variables as TF's V2 checkpoint at ``prefix``, tensors sorted by name (as
    TF's Saver orders them). ``sliced``: entries saved as slices, one per part of a
    partitioned variable (its ``_save_slice_info``). ``sharded`` reproduces TF's sharded
    save on one device: a bundle under ``<prefix>_temp/part-00000-of-00001``, then merged
    into ``prefix`` (the same final files)."""
    target = f"{prefix}_temp/part-00000-of-00001" if sharded else prefix
    sliced = sliced or {}
    with BundleWriter(target) as writer:
        for name in sorted([*named, *sliced]):
            if name in named:
                writer.add(name, vio.var_value(named[name]))
                continue
            for part in sliced[name]:
                info = part._get_save_slice_info()
                extents = tuple((int(o), int(n)) for o, n in zip(info.var_offset,
                                                                 info.var_shape))
                writer.add_slice(name, tuple(int(d) for d in info.full_shape), extents,
                                 vio.var_value(part))
        writer.finish()
    if sharded:
        try:
            merge_bundles([target], prefix)
        finally:
            shutil.rmtree(f"{prefix}_temp", ignore_errors=True)


class Saver:
    """``tf.compat.v1.train.Saver``.

    ``var_list``: None (every global variable when the Saver is built), a list of variables
    (named by their op names) or a dict from checkpoint name to variable. ``max_to_keep``
    most recent checkpoints are kept (None or 0 keeps all), plus one every
    ``keep_checkpoint_every_n_hours``. Tensors in the file that the Saver does not restore are
    ignored, as in TF1. ``format``: ``"bundle"`` (TF's checkpoint, the default) or
    ``"safetensors"``.
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
        write_version: int = SaverDef.V2,
        pad_step_number: bool = False,
        save_relative_paths: bool = False,
        filename: str | None = None,
        *,
        format: str = "bundle",
    ) -> None:
        if format not in FORMATS:
            raise ValueError(f"Saver format must be one of {', '.join(FORMATS)}, got "
                             f"{format!r}")
        if write_version == SaverDef.V1:
            raise ValueError("varstore writes V2 checkpoints only (write_version=SaverDef.V2)")
        if saver_def is not None:
            # (TF rebuilds a Saver from the SaverDef's op names; varstore graphs keep none.)
            raise NotImplementedError("varstore's Saver is built from var_list only: "
                                      "saver_def (a SaverDef of a MetaGraph) is not supported")
        if builder is not None:
            raise NotImplementedError("varstore's Saver has no graph-building step: a custom "
                                      "builder (BaseSaverBuilder) is not supported")
        self._built = not defer_build
        self._format = format
        self._vars, self._sliced = vio.resolve_saveables(var_list)
        if format == "safetensors":
            if self._sliced:
                raise ValueError("safetensors checkpoints hold no slices: the partitioned "
                                 f"variable {min(self._sliced)} is saved by the "
                                 "'bundle' format only")
            self._vars = _st._resolve(self._vars)
        if not self._vars and not self._sliced and not allow_empty:
            raise ValueError("No variables to save")
        self._reshape = bool(reshape)
        self._sharded = sharded
        self._max_to_keep = max_to_keep
        self._keep_every = float(keep_checkpoint_every_n_hours)
        self._next_keep_time = time.time() + self._keep_every * 3600
        self._pad_step_number = pad_step_number
        self._save_relative_paths = save_relative_paths
        self._filename = filename
        self._last: list[tuple[str, float]] = []
        self._to_delete: list[tuple[str, float]] = []

    @property
    def format(self) -> str:
        return self._format

    @property
    def last_checkpoints(self) -> list[str]:
        """The paths of the checkpoints this Saver keeps, oldest first."""
        return [p for p, _ in self._last]

    def set_last_checkpoints(self, last_checkpoints: list[str]) -> None:
        self._last = [(str(p), time.time()) for p in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time: list[Any]) -> None:
        self._last = [(str(p), float(t)) for p, t in last_checkpoints_with_time]

    def recover_last_checkpoints(self, checkpoint_paths: Iterable[str]) -> None:
        """Takes over the existing ``checkpoint_paths`` (e.g. from ``get_checkpoint_state``)
        so that ``max_to_keep`` also deletes them."""
        kept = []
        for p in checkpoint_paths:
            files = checkpoint_files(p)
            if files:
                kept.append((p, os.path.getmtime(files[0])))
        self._last = kept

    def build(self) -> None:
        """Nothing to build (saving and restoring run directly); after
        ``Saver(defer_build=True)`` it must still be called before ``save``, as in TF."""
        self._built = True

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
        """Writes the checkpoint to ``save_path`` (``save_path-<global_step>`` with a step:
        an int, or a variable or tensor whose value is used) and returns that path; ``sess``
        may be a Session or None (values live in the variables). Updates the ``checkpoint``
        state file unless ``write_state`` is False. No ``.meta`` file is written."""
        if not self._built:
            raise RuntimeError("`build()` should be called before save if defer_build==True")
        if latest_filename is not None and os.path.basename(latest_filename) != latest_filename:
            raise ValueError("'latest_filename' must not contain path components")
        path = os.fspath(save_path)
        if global_step is not None:
            step = vio.step_value(global_step)
            path = f"{path}-{step:08d}" if self._pad_step_number else f"{path}-{step}"
        if not self._vars and not self._sliced:
            return None
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise ValueError(f"Parent directory of {save_path} doesn't exist, can't save.")
        if self._format == "safetensors":
            _st.save(path, self._vars)
        else:
            write_bundle(path, self._vars, sharded=self._sharded, sliced=self._sliced)
        if write_state:
            self._record(path)
            kept = self.last_checkpoints if self._max_to_keep else [path]
            update_checkpoint_state(os.path.dirname(path) or ".", path, kept, latest_filename,
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
            remove_checkpoint(p)
        self._to_delete = []

    def restore(self, sess: Any, save_path: str | os.PathLike[str] | None) -> None:
        """Loads every variable of the Saver from ``save_path`` (either format). Checks every
        name, shape, dtype and checksum first: on error no variable changes. The variables
        count as initialized in ``sess`` afterwards, as in TF1."""
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        path = os.fspath(save_path)
        if not checkpoint_exists(path) or os.path.isdir(path):
            raise ValueError(f"The passed save_path is not a valid checkpoint: {path}")
        if not self._vars and not self._sliced:
            return
        source = open_checkpoint(path)
        try:
            named = self._vars
            present = set(source.names())
            if OBJECT_GRAPH_KEY in present and not set(named) <= present:
                named = _names_in_object_graph(source, named)
            # (checked, not yet written)
            slices = restore_slices(source, self._sliced)
            restored = restore_variables(source, named, reshape=self._reshape)
            restored += slices()
        finally:
            source.close()
        vio.mark_initialized(sess, restored)


OBJECT_GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


def _names_in_object_graph(source: TensorSource,
                           named: Mapping[str, Variable]) -> dict[str, Variable]:
    """A name-based restore from a TF2 object-based checkpoint, as TF's Saver does it: the
    object graph maps each variable's name (``full_name``) to its checkpoint key."""
    keys = object_graph_keys(bytes(source.read(OBJECT_GRAPH_KEY)[()]))
    _log.warning("Restoring an object-based checkpoint using a name-based saver. This may be "
                 "somewhat fragile; consider tf.train.Checkpoint for object-based checkpoints.")
    missing = [n for n in named if n not in keys]
    if missing:
        raise NotFoundError(None, None, "Existing variables not in the checkpoint: "
                            + ", ".join(sorted(missing)))
    return {keys[n]: v for n, v in named.items()}
