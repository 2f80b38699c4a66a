"""``tf.saved_model.loader``: loads a SavedModel's tagged MetaGraph into a session and
restores its variables (TF's saved_model/loader_impl.py).

``load`` imports the MetaGraphDef (tf.train.import_meta_graph: the graph, collections and
a Saver from its SaverDef), runs the Saver's restore op on ``variables/variables``, then the
init op (``__saved_model_init_op`` signature, else the ``saved_model_main_op`` or
``legacy_init_op`` collection) with the asset tensors fed their paths under ``assets/``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from typing import Any

from varstore.saved_model import constants
from varstore.saved_model.builder import variables_path

__all__ = ["load", "maybe_saved_model_directory"]

_log = logging.getLogger("tensorflow")
_ASSET_TYPE = "tensorflow.AssetFileDef"


def _dir(export_dir: Any) -> str:
    return os.fsdecode(os.fspath(export_dir))


def parse_saved_model(export_dir: Any) -> Any:
    """The SavedModel proto of ``saved_model.pb``, else ``saved_model.pbtxt`` (OSError when
    neither exists or parses)."""
    from google.protobuf import (  # type: ignore[import-untyped,unused-ignore]
        message,
        text_format,
    )

    from varstore.framework.meta_graph import parse_text
    from varstore.framework.meta_graph_pb2 import SavedModel

    directory = _dir(export_dir)
    pb = os.path.join(directory, constants.SAVED_MODEL_FILENAME_PB)
    pbtxt = os.path.join(directory, constants.SAVED_MODEL_FILENAME_PBTXT)
    saved_model = SavedModel()
    if os.path.exists(pb):
        with open(pb, "rb") as f:
            data = f.read()
        try:
            saved_model.ParseFromString(data)
        except message.DecodeError as e:
            raise OSError(f"Cannot parse file {os.fsencode(pb)!r}: {e!s}.") from e
    elif os.path.exists(pbtxt):
        with open(pbtxt, "rb") as f:
            data = f.read()
        try:
            parse_text(data.decode("utf-8"), saved_model)
        except text_format.ParseError as e:
            raise OSError(f"Cannot parse file {os.fsencode(pbtxt)!r}: {e!s}.") from e
    else:
        raise OSError(f"SavedModel file does not exist at: {directory}{os.path.sep}"
                      f"{{{constants.SAVED_MODEL_FILENAME_PBTXT}|"
                      f"{constants.SAVED_MODEL_FILENAME_PB}}}")
    return saved_model


def get_asset_tensors(export_dir: Any, meta_graph_def_to_load: Any,
                      import_scope: str | None = None) -> dict[str, str]:
    """Asset tensor name -> the asset's path under the SavedModel's ``assets/``."""
    from varstore.framework.meta_graph_pb2 import AssetFileDef

    protos: list[Any] = list(meta_graph_def_to_load.asset_file_def)
    collection_def = meta_graph_def_to_load.collection_def
    if not protos and constants.ASSETS_KEY in collection_def:
        for any_proto in collection_def[constants.ASSETS_KEY].any_list.value:
            proto = AssetFileDef()
            if any_proto.type_url.rpartition("/")[2] == _ASSET_TYPE:
                proto.ParseFromString(any_proto.value)
            protos.append(proto)
    assets_dir = os.path.join(_dir(export_dir), constants.ASSETS_DIRECTORY)
    out = {}
    for proto in protos:
        name = proto.tensor_info.name
        if import_scope:
            name = f"{import_scope}/{name}"
        out[name] = os.path.join(assets_dir, proto.filename)
    return out


def _get_main_op_tensor(meta_graph_def_to_load: Any,
                        init_op_key: str = constants.MAIN_OP_KEY) -> Any:
    from varstore.framework.graph import get_collection

    collection_def = meta_graph_def_to_load.collection_def
    if init_op_key not in collection_def:
        return None
    ops = collection_def[init_op_key].node_list.value
    if len(ops) != 1:
        raise RuntimeError("Expected exactly one SavedModel init op. Found "
                           f"{len(ops)}: {ops}.")
    return get_collection(init_op_key)[0]


def _get_op_from_signature_def(meta_graph_def: Any, key: str,
                               import_scope: str | None) -> Any:
    from varstore.saved_model.signature_def_utils import load_op_from_signature_def

    if key in meta_graph_def.signature_def:
        return load_op_from_signature_def(meta_graph_def.signature_def[key], key,
                                          import_scope)
    return None


def get_init_op(meta_graph_def: Any, import_scope: str | None = None) -> Any:
    return (_get_op_from_signature_def(meta_graph_def, constants.INIT_OP_SIGNATURE_KEY,
                                       import_scope)
            or _get_main_op_tensor(meta_graph_def, constants.MAIN_OP_KEY)
            or _get_main_op_tensor(meta_graph_def, constants.LEGACY_INIT_OP_KEY))


def get_train_op(meta_graph_def: Any, import_scope: str | None = None) -> Any:
    op = _get_op_from_signature_def(meta_graph_def, constants.TRAIN_OP_SIGNATURE_KEY,
                                    import_scope)
    if op is None:
        op = _get_main_op_tensor(meta_graph_def, constants.TRAIN_OP_KEY)
    return op


def maybe_saved_model_directory(export_dir: Any) -> bool:
    """Whether ``export_dir`` holds a SavedModel file (it may still fail to load)."""
    directory = _dir(export_dir)
    return any(os.path.exists(os.path.join(directory, name)) for name in (
        constants.SAVED_MODEL_FILENAME_PBTXT, constants.SAVED_MODEL_FILENAME_PB,
        constants.SAVED_MODEL_FILENAME_CPB))


contains_saved_model = maybe_saved_model_directory


def load(sess: Any, tags: Iterable[str], export_dir: Any, import_scope: str | None = None,
         **saver_kwargs: Any) -> Any:
    """Loads the MetaGraphDef tagged ``tags`` into ``sess``'s graph, restores its variables
    and runs its init op; returns the MetaGraphDef."""
    return SavedModelLoader(export_dir).load(sess, tags, import_scope, **saver_kwargs)


class SavedModelLoader:
    """Loads graphs and restores variable values from a SavedModel."""

    def __init__(self, export_dir: Any) -> None:
        self._export_dir = export_dir
        self._variables_path = variables_path(export_dir)
        self._saved_model = parse_saved_model(export_dir)

    @property
    def export_dir(self) -> Any:
        return self._export_dir

    @property
    def variables_path(self) -> str:
        return self._variables_path

    @property
    def saved_model(self) -> Any:
        return self._saved_model

    def get_meta_graph_def_from_tags(self, tags: Iterable[str]) -> Any:
        """The MetaGraphDef whose tags are exactly ``tags`` (RuntimeError naming the tags and
        those available otherwise)."""
        available = []
        for mg in self._saved_model.meta_graphs:
            available.append(set(mg.meta_info_def.tags))
            if set(mg.meta_info_def.tags) == set(tags):
                return mg
        raise RuntimeError(
            f"MetaGraphDef associated with tags {str(tags).strip('[]')} could not be found "
            f"in SavedModel, with available tags '{available}'. To inspect available "
            "tag-sets in the SavedModel, please use the SavedModel CLI: `saved_model_cli`.")

    def load_graph(self, graph: Any, tags: Iterable[str], import_scope: str | None = None,
                   **saver_kwargs: Any) -> tuple[Any, Any]:
        """Imports the tagged MetaGraph into ``graph``: (its Saver, the return elements)."""
        from varstore.framework.meta_graph import import_meta_graph_with_return_elements

        mg = self.get_meta_graph_def_from_tags(tags)
        with graph.as_default():
            return import_meta_graph_with_return_elements(mg, import_scope=import_scope,
                                                          **saver_kwargs)

    def restore_variables(self, sess: Any, saver: Any, import_scope: str | None = None
                          ) -> None:
        """Restores ``variables/variables`` into ``sess`` with ``saver``."""
        from varstore.framework.graph import get_collection
        from varstore.framework.graph_keys import GraphKeys
        from varstore.train.saver import Saver
        from varstore.variables import global_variables

        with sess.graph.as_default():
            if saver is None and not (global_variables(import_scope) or get_collection(
                    GraphKeys.SAVEABLE_OBJECTS, import_scope)):
                _log.info("The specified SavedModel has no variables; no checkpoints were "
                          "restored.")
            elif isinstance(saver, Saver):
                saver.restore(sess, self._variables_path)
            else:
                raise ValueError(
                    "No tf.train.Saver object was passed to the function "
                    "`SavedModelLoader.restore_variables`. Since there are variables in the "
                    "graph, a saver is required.")

    def run_init_ops(self, sess: Any, tags: Iterable[str],
                     import_scope: str | None = None) -> None:
        """Runs the MetaGraph's init op, the asset tensors fed their files' paths."""
        mg = self.get_meta_graph_def_from_tags(tags)
        with sess.graph.as_default():
            assets = get_asset_tensors(self._export_dir, mg, import_scope=import_scope)
            init_op = get_init_op(mg, import_scope)
            if init_op is not None:
                sess.run(fetches=[init_op], feed_dict=assets)

    def load(self, sess: Any, tags: Iterable[str], import_scope: str | None = None,
             **saver_kwargs: Any) -> Any:
        """Imports the tagged MetaGraph, restores the variables, runs the init op; returns
        the MetaGraphDef."""
        with sess.graph.as_default():
            saver, _ = self.load_graph(sess.graph, tags, import_scope, **saver_kwargs)
            self.restore_variables(sess, saver, import_scope)
            self.run_init_ops(sess, tags, import_scope)
        return self.get_meta_graph_def_from_tags(tags)
