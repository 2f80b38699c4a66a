"""``tf.saved_model.builder.SavedModelBuilder`` (alias ``tf.saved_model.Builder``): writes a
SavedModel as TF's v1 builder does (saved_model/builder_impl.py).

The layout is TF's: ``saved_model.pb`` (or ``saved_model.pbtxt``), the SavedModel proto
of the tagged MetaGraphDefs with their SignatureDefs; ``variables/variables.index`` and
``variables/variables.data-00000-of-00001``, the checkpoint of a sharded V2 Saver (whose
save and restore nodes are in every MetaGraph, as TF's are); ``assets/`` with the copied
asset files, named by the ``saved_model_assets`` collection of AssetFileDefs.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterable, Mapping
from typing import Any

from varstore.saved_model import constants

__all__ = ["SavedModelBuilder"]

_log = logging.getLogger("tensorflow")
_DT_INVALID = 0
_ASSET_TYPE_URL = "type.googleapis.com/tensorflow.AssetFileDef"


def _text(path: Any) -> str:
    return os.fsdecode(os.fspath(path))


def variables_path(export_dir: Any) -> str:
    """The checkpoint prefix of a SavedModel's variables (TF's path_helpers)."""
    return os.path.join(_text(export_dir), constants.VARIABLES_DIRECTORY,
                        constants.VARIABLES_FILENAME)


class SavedModelBuilder:
    """Builds a SavedModel: the first MetaGraph with the variables
    (``add_meta_graph_and_variables``), more MetaGraphs sharing them (``add_meta_graph``),
    each under its tags, then ``save``."""

    def __init__(self, export_dir: Any) -> None:
        from varstore.framework.meta_graph_pb2 import SavedModel

        self._saved_model = SavedModel(
            saved_model_schema_version=constants.SAVED_MODEL_SCHEMA_VERSION)
        self._export_dir = export_dir
        path = _text(export_dir)
        if os.path.exists(path):
            if os.path.isdir(path) and os.listdir(path):
                raise AssertionError(
                    f"Export directory {export_dir} already exists, and isn't empty. Please "
                    "choose a different export directory, or delete all the contents of the "
                    "specified directory.")
        else:
            os.makedirs(path)
        self._has_saved_variables = False
        self._saved_asset_files: set[str] = set()

    # -- assets and ops ---------------------------------------------------------------------
    def _save_and_write_assets(self, assets_collection_to_add: Any = None) -> None:
        filename_map = _maybe_save_assets(assets_collection_to_add)
        if not filename_map:
            _log.info("No assets to write.")
            return
        copy_assets_to_destination_dir(filename_map, self._export_dir,
                                       self._saved_asset_files)

    def _maybe_add_main_op(self, main_op: Any) -> None:
        from varstore.framework.graph import add_to_collection, get_collection
        from varstore.framework.ops import Operation

        if main_op is None:
            return
        if not isinstance(main_op, Operation):
            raise TypeError(f"Expected {main_op} to be an Operation but got type "
                            f"{type(main_op)} instead.")
        for key in (constants.MAIN_OP_KEY, constants.LEGACY_INIT_OP_KEY):
            if get_collection(key):
                raise ValueError("Graph already contains one or more main ops under the "
                                 f"collection {key}.")
        add_to_collection(constants.MAIN_OP_KEY, main_op)

    def _add_train_op(self, train_op: Any) -> None:
        from varstore.framework.graph import add_to_collection
        from varstore.framework.ops import Operation, Tensor

        if train_op is not None:
            if not isinstance(train_op, (Tensor, Operation)):
                raise TypeError(f"`train_op` {train_op} needs to be a Tensor or Op.")
            add_to_collection(constants.TRAIN_OP_KEY, train_op)

    def _add_collections(self, assets_collection: Any, main_op: Any, train_op: Any) -> None:
        self._save_and_write_assets(assets_collection)
        self._maybe_add_main_op(main_op)
        self._add_train_op(train_op)

    # -- checks -----------------------------------------------------------------------------
    def _validate_tensor_info(self, tensor_info: Any) -> None:
        if tensor_info is None:
            raise AssertionError("All TensorInfo protos used in the SignatureDefs must have "
                                 "the name and dtype fields set.")
        encoding = tensor_info.WhichOneof("encoding")
        if encoding is None:
            raise AssertionError(
                f"Invalid `tensor_info`: {tensor_info}. All TensorInfo protos used in the "
                "SignatureDefs must have one of the 'encoding' fields (e.g., name or "
                "coo_sparse) set.")
        if encoding == "composite_tensor":
            for component in tensor_info.composite_tensor.components:
                self._validate_tensor_info(component)
        elif tensor_info.dtype == _DT_INVALID:
            raise AssertionError(
                f"Invalid `tensor_info`: {tensor_info}. All TensorInfo protos used in the "
                "SignatureDefs must have the dtype field set.")

    def _validate_signature_def_map(self, signature_def_map: Mapping[str, Any]) -> None:
        for key in signature_def_map:
            sig = signature_def_map[key]
            for k in sig.inputs:
                self._validate_tensor_info(sig.inputs[k])
            for k in sig.outputs:
                self._validate_tensor_info(sig.outputs[k])
        if constants.INIT_OP_SIGNATURE_KEY in signature_def_map:
            raise KeyError(f'SignatureDef map key "{constants.INIT_OP_SIGNATURE_KEY}" is '
                           "reserved for initialization. Please use a different key.")
        if constants.TRAIN_OP_SIGNATURE_KEY in signature_def_map:
            raise KeyError(f'SignatureDef map key "{constants.TRAIN_OP_SIGNATURE_KEY}" is '
                           "reserved for the train op. Please use a different key.")

    # -- meta graphs ------------------------------------------------------------------------
    def _maybe_create_saver(self, saver: Any = None) -> Any:
        """The sharded V2 Saver of every saveable object that TF's builder makes."""
        if not saver:
            from varstore.framework.graph import get_collection
            from varstore.framework.graph_keys import GraphKeys
            from varstore.train.saver import Saver
            from varstore.variables import global_variables

            saver = Saver(global_variables() + get_collection(GraphKeys.SAVEABLE_OBJECTS),
                          sharded=True, allow_empty=True)
        return saver

    def _tag_and_add_meta_graph(self, meta_graph_def: Any, tags: Iterable[str],
                                signature_def_map: Mapping[str, Any] | None) -> None:
        for tag in tags:
            meta_graph_def.meta_info_def.tags.append(tag)
        if signature_def_map is not None:
            for key in signature_def_map:
                meta_graph_def.signature_def[key].CopyFrom(signature_def_map[key])
        self._saved_model.meta_graphs.add().CopyFrom(meta_graph_def)

    def add_meta_graph(self, tags: Iterable[str], signature_def_map: Any = None,
                       assets_collection: Any = None, legacy_init_op: Any = None,
                       clear_devices: bool = False, main_op: Any = None,
                       strip_default_attrs: bool = False, saver: Any = None) -> None:
        """Adds the default graph's MetaGraph under ``tags``; the variables must have been
        saved by ``add_meta_graph_and_variables`` first."""
        if not self._has_saved_variables:
            raise AssertionError("Graph state including variables and assets has not been "
                                 "saved yet. Please invoke `add_meta_graph_and_variables()` "
                                 "first.")
        signature_def_map = signature_def_map or {}
        self._validate_signature_def_map(signature_def_map)
        main_op = main_op if main_op is not None else legacy_init_op
        self._add_collections(assets_collection, main_op, None)
        saver = self._maybe_create_saver(saver)
        meta_graph_def = saver.export_meta_graph(clear_devices=clear_devices,
                                                 strip_default_attrs=strip_default_attrs)
        self._tag_and_add_meta_graph(meta_graph_def, tags, signature_def_map)

    def add_meta_graph_and_variables(self, sess: Any, tags: Iterable[str],
                                     signature_def_map: Any = None,
                                     assets_collection: Any = None,
                                     legacy_init_op: Any = None, clear_devices: bool = False,
                                     main_op: Any = None, strip_default_attrs: bool = False,
                                     saver: Any = None) -> None:
        """Saves the variables of ``sess`` under ``variables/`` and adds the default graph's
        MetaGraph under ``tags``; called once, first."""
        if self._has_saved_variables:
            raise AssertionError("Graph state including variables and assets has already "
                                 "been saved. Please invoke `add_meta_graph()` instead.")
        signature_def_map = signature_def_map or {}
        self._validate_signature_def_map(signature_def_map)
        main_op = main_op or legacy_init_op
        self._add_collections(assets_collection, main_op, None)
        path = variables_path(self._export_dir)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        saver = self._maybe_create_saver(saver)
        saver.save(sess, path, write_meta_graph=False, write_state=False)
        meta_graph_def = saver.export_meta_graph(clear_devices=clear_devices,
                                                 strip_default_attrs=strip_default_attrs)
        self._tag_and_add_meta_graph(meta_graph_def, tags, signature_def_map)
        self._has_saved_variables = True

    def save(self, as_text: bool = False, experimental_image_format: bool = False,
             experimental_image_writer_options: Any = None) -> bytes:
        """Writes ``saved_model.pb`` (deterministic bytes) or, ``as_text``,
        ``saved_model.pbtxt``; returns its path (bytes, as TF's)."""
        if experimental_image_format:
            raise RuntimeError("No proto_splitter is provided, cannot use "
                               "experimental_image_format.")
        directory = _text(self._export_dir)
        os.makedirs(directory, exist_ok=True)
        if as_text:
            path = os.path.join(directory, constants.SAVED_MODEL_FILENAME_PBTXT)
            with open(path, "w", encoding="utf-8") as f:
                f.write(str(self._saved_model))
        else:
            path = os.path.join(directory, constants.SAVED_MODEL_FILENAME_PB)
            with open(path, "wb") as f:
                f.write(self._saved_model.SerializeToString(deterministic=True))
        _log.info("SavedModel written to: %s", path)
        return os.fsencode(path)


Builder = SavedModelBuilder


# -- assets ---------------------------------------------------------------------------------------
def _maybe_save_assets(assets_to_add: Any = None) -> dict[str, str]:
    """Adds an AssetFileDef per asset path tensor to the ``saved_model_assets`` collection;
    returns asset file name -> source path."""
    filename_map: dict[str, str] = {}
    if assets_to_add is None:
        _log.info("No assets to save.")
        return filename_map
    for asset_tensor in assets_to_add:
        source = _asset_path_from_tensor(asset_tensor)
        if not source:
            raise ValueError(f"Asset filepath tensor {asset_tensor} in is invalid.")
        filename = get_asset_filename_to_add(source, filename_map)
        _add_asset_to_collection(filename, asset_tensor)
        filename_map[filename] = source
    _log.info("Assets added to graph.")
    return filename_map


def get_asset_filename_to_add(asset_filepath: str, asset_filename_map: Mapping[str, str]
                              ) -> str:
    """The asset's base name, suffixed ``_1``, ``_2`` ... when another file of that name
    with different contents is already in the map."""
    import filecmp

    filename = os.path.basename(asset_filepath)
    if filename not in asset_filename_map:
        return filename
    other = asset_filename_map[filename]
    if other == asset_filepath:
        return filename
    if not filecmp.cmp(asset_filepath, other, shallow=False):
        i = 1
        unique = filename
        while unique in asset_filename_map:
            unique = f"{filename}_{i}"
            i += 1
        return unique
    return filename


def _asset_path_from_tensor(path_tensor: Any) -> str:
    import numpy as np

    from varstore import dtypes
    from varstore.framework.ops import Tensor

    if not isinstance(path_tensor, Tensor):
        raise TypeError(f"Asset path tensor {path_tensor} must be a Tensor.")
    if path_tensor.op.type != "Const":
        raise TypeError(f"Asset path tensor {path_tensor} must be of type constant.Has type "
                        f"{path_tensor.op.type} instead.")
    if path_tensor.dtype != dtypes.string:
        raise TypeError(f"Asset path tensor {path_tensor}` must be of dtype string.Has type "
                        f"{path_tensor.dtype} instead.")
    values = np.asarray(path_tensor.op._attrs["value"]).reshape(-1)
    if values.size != 1:
        raise TypeError(f"Asset path tensor {path_tensor} must be a scalar.")
    return os.fsdecode(values[0])


def _add_asset_to_collection(asset_filename: str, asset_tensor: Any) -> None:
    """The AssetFileDef packed in an Any under TF's type URL, so TF's loader unpacks it."""
    from google.protobuf import any_pb2  # type: ignore[import-untyped,unused-ignore]

    from varstore.framework.graph import add_to_collection
    from varstore.framework.meta_graph_pb2 import AssetFileDef

    proto = AssetFileDef(filename=asset_filename)
    proto.tensor_info.name = asset_tensor.name
    add_to_collection(constants.ASSETS_KEY,
                      any_pb2.Any(type_url=_ASSET_TYPE_URL, value=proto.SerializeToString()))


def copy_assets_to_destination_dir(asset_filename_map: Mapping[str, str],
                                   destination_dir: Any, saved_files: set[str] | None = None
                                   ) -> None:
    """Copies each asset into ``<destination_dir>/assets`` once."""
    saved_files = set() if saved_files is None else saved_files
    assets_dir = os.path.join(_text(destination_dir), constants.ASSETS_DIRECTORY)
    os.makedirs(assets_dir, exist_ok=True)
    for basename, source in asset_filename_map.items():
        target = os.path.join(assets_dir, basename)
        if os.path.exists(source) and source != target and target not in saved_files:
            shutil.copyfile(source, target)
            saved_files.add(target)
    _log.info("Assets written to: %s", assets_dir)

