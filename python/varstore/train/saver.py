"""``tf.compat.v1.train.Saver``: saves and restores variables by their checkpoint names.

``Saver.save`` writes TF's V2 checkpoint format by default (``format="bundle"``): for
``save(sess, "dir/model.ckpt", global_step=10)`` the files ``dir/model.ckpt-10.index`` and
``dir/model.ckpt-10.data-00000-of-00001``, byte for byte what TF 2.x's compat.v1 Saver
writes for the same variables, and TF reads them. ``format="safetensors"`` writes one
safetensors file at exactly the returned path instead. Either way a ``checkpoint`` state
file in the directory names the latest and the kept checkpoints, so ``latest_checkpoint(dir)``
finds them. ``restore`` reads either format (detected from the files), whatever the Saver's
own format.

Like TF's, a Saver adds its save and restore nodes to the graph (``save/Const``,
``save/SaveV2``, ``save/restore_all`` ...: train/saver_graph.py) and ``save`` writes the
graph's MetaGraphDef to ``<path>.meta`` (``write_meta_graph=True``), which TF's
``import_meta_graph`` reads. Its own save and restore do not run those nodes (they write and
read the files directly, byte for byte as TF); a Saver made from a SaverDef (what
``import_meta_graph`` returns) runs them, as TF's does.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Iterable, Mapping
from typing import Any

from varstore.errors import InvalidArgumentError, NotFoundError
from varstore.framework.graph import get_default_graph
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
from varstore.train.saver_graph import SaverNames, build_saver_graph
from varstore.variables import Variable

__all__ = ["FORMATS", "Saver", "write_bundle"]

FORMATS = ("bundle", "safetensors")
_log = logging.getLogger("varstore")
_tf_log = logging.getLogger("tensorflow")


class _Version:
    """SaverDef's checkpoint format versions (``tf.train.SaverDef.V2`` is the proto's)."""

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


def _concat_collected_partitions(graph: Any) -> None:
    """TF's Saver builds the concat of each PartitionedVariable kept in a collection: the
    exported meta graph then holds the ``<name>`` tensor that an importer looks up."""
    from varstore.partitioned_variables import PartitionedVariable

    for key in graph.get_all_collection_keys():
        for element in graph.get_collection(key):
            if isinstance(element, PartitionedVariable):
                try:
                    graph.get_operation_by_name(element.name)
                except KeyError:
                    element.as_tensor()


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
        write_version: int = _Version.V2,
        pad_step_number: bool = False,
        save_relative_paths: bool = False,
        filename: str | None = None,
        *,
        format: str = "bundle",
    ) -> None:
        if format not in FORMATS:
            raise ValueError(f"Saver format must be one of {', '.join(FORMATS)}, got "
                             f"{format!r}")
        if write_version == _Version.V1:
            raise ValueError("varstore writes V2 checkpoints only (write_version=SaverDef.V2)")
        if builder is not None:
            raise NotImplementedError("varstore's Saver builds TF's save graph itself: a "
                                      "custom builder (BaseSaverBuilder) is not supported")
        self._graph = get_default_graph()
        self._name = name
        self._format = format
        self._vars: dict[str, Variable] = {}
        self._sliced: dict[str, list[Variable]] = {}
        self._names: SaverNames | None = None
        self._saver_def: Any = None
        self._max_to_keep = max_to_keep
        self._keep_every = float(keep_checkpoint_every_n_hours)
        self._sharded = sharded
        self._filename = filename
        self._reshape = bool(reshape)
        self._pad_step_number = pad_step_number
        self._save_relative_paths = save_relative_paths
        self._last: list[tuple[str, float]] = []
        self._to_delete: list[tuple[str, float]] = []
        if saver_def is not None:
            self._from_saver_def(saver_def, name)
            self._built = True
        else:
            if defer_build and var_list:
                raise ValueError("If `var_list` is provided then build cannot be deferred. "
                                 "Either set defer_build=False or var_list=None.")
            self._var_list = var_list
            self._allow_empty = allow_empty
            self._built = False
            if not defer_build:
                self.build()
        self._next_keep_time = time.time() + self._keep_every * 3600

    def _from_saver_def(self, saver_def: Any, name: str | None) -> None:
        """A Saver that runs a graph's save and restore nodes (TF's Saver(saver_def=...));
        ``name`` is the scope the SaverDef's names were imported under."""
        from varstore.framework.meta_graph_pb2 import SaverDef

        if not isinstance(saver_def, SaverDef):
            serialize = getattr(saver_def, "SerializeToString", None)
            if serialize is None:
                raise ValueError(f"saver_def must be a saver_pb2.SaverDef: {saver_def}")
            saver_def = SaverDef.FromString(serialize())
        if name:
            # (in place, as TF's: the loader's MetaGraphDef then names the scoped nodes)
            from varstore._variable_def import prepend_name_scope

            for field in ("filename_tensor_name", "save_tensor_name", "restore_op_name"):
                setattr(saver_def, field, prepend_name_scope(getattr(saver_def, field), name))
        if not saver_def.save_tensor_name:
            raise ValueError(f"saver_def must specify the save_tensor_name: {saver_def}")
        if not saver_def.restore_op_name:
            raise ValueError(f"saver_def must specify the restore_op_name: {saver_def}")
        self._saver_def = saver_def
        self._max_to_keep = saver_def.max_to_keep
        self._keep_every = float(saver_def.keep_checkpoint_every_n_hours)
        self._sharded = saver_def.sharded

    @property
    def _runs_graph(self) -> bool:
        """Made from a SaverDef: saves and restores by running the graph's nodes."""
        return self._names is None and self._saver_def is not None

    @property
    def format(self) -> str:
        return self._format

    @property
    def last_checkpoints(self) -> list[str]:
        """The paths of the checkpoints this Saver keeps, oldest first."""
        return [p for p, _ in self._last]

    def set_last_checkpoints(self, last_checkpoints: list[str]) -> None:
        # TF asserts a list and stamps them "infinitely new" (kept by
        # keep_checkpoint_every_n_hours when they fall out of max_to_keep)
        if not isinstance(last_checkpoints, list):
            raise AssertionError  # noqa: TRY004 - TF asserts
        self._last = [(str(p), float("inf")) for p in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time: list[Any]) -> None:
        if not isinstance(last_checkpoints_with_time, list):
            raise AssertionError  # noqa: TRY004 - TF asserts
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
        """Resolves the variables and adds TF's save and restore nodes to the graph; after
        ``Saver(defer_build=True)`` it must be called before ``save``, as in TF."""
        if self._built:
            return
        with self._graph.as_default():
            self._vars, self._sliced = vio.resolve_saveables(self._var_list)
            if self._format == "safetensors":
                if self._sliced:
                    raise ValueError("safetensors checkpoints hold no slices: the partitioned "
                                     f"variable {min(self._sliced)} is saved by the "
                                     "'bundle' format only")
                self._vars = _st._resolve(self._vars)
            if not self._vars and not self._sliced:
                if not self._allow_empty:
                    raise ValueError("No variables to save")
                _tf_log.info("Saver is empty.")
            else:
                self._names = build_saver_graph(self._graph, self._vars, self._sliced,
                                                self._sharded, self._filename, self._name)
                _concat_collected_partitions(self._graph)
        self._built = True

    @property
    def saver_def(self) -> Any:
        """The SaverDef proto (None for an empty Saver)."""
        if self._saver_def is None and self._names is not None:
            from varstore.framework.meta_graph_pb2 import SaverDef

            n = self._names
            self._saver_def = SaverDef(
                filename_tensor_name=n.filename_tensor_name,
                save_tensor_name=n.save_tensor_name, restore_op_name=n.restore_op_name,
                max_to_keep=self._max_to_keep or 0, sharded=bool(self._sharded),
                keep_checkpoint_every_n_hours=self._keep_every, version=_Version.V2)
        return self._saver_def

    def as_saver_def(self) -> Any:
        return self.saver_def

    def to_proto(self, export_scope: str | None = None) -> Any:
        """The SaverDef with ``export_scope`` stripped from its names (None outside it)."""
        from varstore._variable_def import strip_name_scope
        from varstore.framework.meta_graph_pb2 import SaverDef

        sd = self.saver_def
        if sd is None:
            return None
        if export_scope is None:
            return sd
        if not (sd.filename_tensor_name.startswith(export_scope)
                and sd.save_tensor_name.startswith(export_scope)
                and sd.restore_op_name.startswith(export_scope)):
            return None
        out = SaverDef.FromString(sd.SerializeToString())
        for field in ("filename_tensor_name", "save_tensor_name", "restore_op_name"):
            setattr(out, field, strip_name_scope(getattr(out, field), export_scope))
        return out

    @staticmethod
    def from_proto(saver_def: Any, import_scope: str | None = None) -> Saver:
        return Saver(saver_def=saver_def, name=import_scope)

    def export_meta_graph(self, filename: str | None = None, collection_list: Any = None,
                          as_text: bool = False, export_scope: str | None = None,
                          clear_devices: bool = False, clear_extraneous_savers: bool = False,
                          strip_default_attrs: bool = False,
                          save_debug_info: bool = False) -> Any:
        """The graph's MetaGraphDef with this Saver's SaverDef (TF's Saver method)."""
        from varstore.framework.meta_graph import export_meta_graph

        graph = get_default_graph()
        return export_meta_graph(
            filename=filename, graph_def=graph.as_graph_def(add_shapes=True),
            saver_def=self.saver_def, collection_list=collection_list, as_text=as_text,
            graph=graph, export_scope=export_scope, clear_devices=clear_devices,
            clear_extraneous_savers=clear_extraneous_savers,
            strip_default_attrs=strip_default_attrs, save_debug_info=save_debug_info)

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
        state file unless ``write_state`` is False, and writes the graph's MetaGraphDef to
        ``<path>.<meta_graph_suffix>`` unless ``write_meta_graph`` is False."""
        with vio.session_values(sess):
            return self._save(sess, save_path, global_step, latest_filename,
                              meta_graph_suffix, write_meta_graph, write_state,
                              strip_default_attrs)

    def _save(self, sess: Any, save_path: str | os.PathLike[str], global_step: Any,
              latest_filename: str | None, meta_graph_suffix: str, write_meta_graph: bool,
              write_state: bool, strip_default_attrs: bool) -> str | None:
        if not self._built:
            raise RuntimeError("`build()` should be called before save if defer_build==True")
        if latest_filename is not None and os.path.basename(latest_filename) != latest_filename:
            raise ValueError("'latest_filename' must not contain path components")
        path = os.fspath(save_path)
        if global_step is not None:
            step = vio.step_value(global_step)
            path = f"{path}-{step:08d}" if self._pad_step_number else f"{path}-{step}"
        elif os.path.basename(path) == (latest_filename or "checkpoint") and not self._sharded:
            # the bundle's files would sit beside a state file of the same name
            raise ValueError("'latest_filename' collides with 'save_path': "
                             f"'{latest_filename or 'checkpoint'}' and '{path}'")
        saved: str | None = None
        if self._runs_graph:
            saved = self._save_by_graph(sess, path, save_path)
        elif self._vars or self._sliced:
            try:
                if self._format == "safetensors":
                    _st.save(path, self._vars)
                else:
                    write_bundle(path, self._vars, sharded=self._sharded, sliced=self._sliced)
            except OSError:
                if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
                    raise ValueError(f"Parent directory of {save_path} doesn't exist, can't "
                                     "save.") from None
                raise
            saved = path
        if saved is not None and write_state:
            self._record(saved)
            kept = self.last_checkpoints if self._max_to_keep else [saved]
            update_checkpoint_state(os.path.dirname(saved) or ".", saved, kept,
                                    latest_filename, self._save_relative_paths)
            self._delete_old()
        if write_meta_graph:
            self._write_meta_graph(sess, f"{path}.{meta_graph_suffix}", strip_default_attrs)
        return saved

    def _save_by_graph(self, sess: Any, path: str, save_path: Any) -> str:
        from varstore.errors import FailedPreconditionError
        from varstore.framework.session import BaseSession

        if not isinstance(sess, BaseSession):
            raise TypeError(f"'sess' must be a Session; {sess}")
        sd = self._saver_def
        try:
            out = sess.run(sd.save_tensor_name, {sd.filename_tensor_name: path})
        except (FailedPreconditionError, NotFoundError, OSError):
            if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
                raise ValueError(f"Parent directory of {save_path} doesn't exist, can't "
                                 "save.") from None
            raise
        return out.decode() if isinstance(out, bytes) else str(out)

    def _write_meta_graph(self, sess: Any, filename: str, strip_default_attrs: bool) -> None:
        """The graph's MetaGraphDef, as TF's Saver.save writes it. Needs protobuf (which
        tensorboardX, a dependency, brings); without it the checkpoint is still saved."""
        graph = getattr(sess, "graph", None) or self._graph
        try:
            import google.protobuf  # type: ignore[import-untyped,unused-ignore]  # noqa: F401
        except ImportError:
            _log.warning("protobuf is not installed: no MetaGraph written to %s (pip install "
                         "protobuf)", filename)
            return
        with graph.as_default():
            self.export_meta_graph(filename, strip_default_attrs=strip_default_attrs)

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
        with vio.session_values(sess):
            self._restore(sess, save_path)

    def _restore(self, sess: Any, save_path: str | os.PathLike[str] | None) -> None:
        if self._built and not self._runs_graph and not self._vars and not self._sliced:
            return  # an empty Saver (allow_empty=True) restores nothing, from any path
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        path = os.fspath(save_path)
        if not checkpoint_exists(path) or os.path.isdir(path):
            raise ValueError(f"The passed save_path is not a valid checkpoint: {path}")
        if self._runs_graph:
            self._restore_by_graph(sess, path)
            return
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
        except NotFoundError as err:
            raise _restore_error(err, "a Variable name or other graph key that is "
                                 "missing") from None
        except InvalidArgumentError as err:
            raise _restore_error(err, "a mismatch between the current graph and the "
                                 "graph") from None
        finally:
            source.close()
        vio.mark_initialized(sess, restored)

    def _restore_by_graph(self, sess: Any, path: str) -> None:
        """TF's graph-mode restore: runs ``restore_op_name`` with the path fed to the
        filename tensor; the errors say what TF's do."""
        _tf_log.info("Restoring parameters from %s", path)
        sd = self._saver_def
        try:
            sess.run(sd.restore_op_name, {sd.filename_tensor_name: path})
        except NotFoundError as err:
            raise _restore_error(err, "a Variable name or other graph key that is "
                                 "missing") from None
        except InvalidArgumentError as err:
            raise _restore_error(err, "a mismatch between the current graph and the "
                                 "graph") from None


def _restore_error(err: Any, verbiage: str) -> Any:
    return type(err)(err.node_def, err.op, (
        f"Restoring from checkpoint failed. This is most likely due to {verbiage} from the "
        "checkpoint. Please ensure that you have not altered the graph expected based on "
        f"the checkpoint. Original error:\n\n{err.message}"))


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
