"""``tf.saved_model.signature_def_utils.MethodNameUpdater``: rewrites the method names of a
SavedModel's SignatureDefs (TF's saved_model/method_name_updater.py)."""

from __future__ import annotations

import logging
import os
from typing import Any

from varstore.saved_model import constants
from varstore.saved_model.loader import parse_saved_model

__all__ = ["MethodNameUpdater"]

_log = logging.getLogger("tensorflow")


class MethodNameUpdater:
    """Replaces ``method_name`` in the SignatureDefs of the SavedModel in ``export_dir``;
    ``save`` writes the proto back (binary or text, as it was read), nothing else."""

    def __init__(self, export_dir: Any) -> None:
        self._export_dir = export_dir
        self._saved_model = parse_saved_model(export_dir)

    def replace_method_name(self, signature_key: str, method_name: str,
                            tags: Any = None) -> None:
        """Sets the method name of the signature ``signature_key`` in every MetaGraph (or
        the one tagged exactly ``tags``)."""
        if not signature_key:
            raise ValueError("`signature_key` must be defined.")
        if not method_name:
            raise ValueError("`method_name` must be defined.")
        if tags is not None and not isinstance(tags, list):
            tags = [tags]
        found = False
        for mg in self._saved_model.meta_graphs:
            if tags is None or set(tags) == set(mg.meta_info_def.tags):
                if signature_key not in mg.signature_def:
                    raise ValueError(
                        f"MetaGraphDef associated with tags {tags} does not have a "
                        f"signature_def with key: '{signature_key}'. This means either you "
                        "specified the wrong signature key or forgot to put the "
                        "signature_def with the corresponding key in your SavedModel.")
                mg.signature_def[signature_key].method_name = method_name
                found = True
        if not found:
            raise ValueError(
                f"MetaGraphDef associated with tags {tags} could not be found in SavedModel. "
                "This means either you specified invalid tags or your SavedModel does not "
                "have a MetaGraphDef with the specified tags.")

    def save(self, new_export_dir: Any = None) -> None:
        """Writes the updated proto to ``new_export_dir`` (default: over the input)."""
        source = os.fsdecode(os.fspath(self._export_dir))
        text = os.path.exists(os.path.join(source, constants.SAVED_MODEL_FILENAME_PBTXT))
        target = os.fsdecode(os.fspath(new_export_dir)) if new_export_dir else source
        if text:
            path = os.path.join(target, constants.SAVED_MODEL_FILENAME_PBTXT)
            with open(path, "w", encoding="utf-8") as f:
                f.write(str(self._saved_model))
        else:
            path = os.path.join(target, constants.SAVED_MODEL_FILENAME_PB)
            with open(path, "wb") as f:
                f.write(self._saved_model.SerializeToString(deterministic=True))
        _log.info("SavedModel written to: %s", path)
