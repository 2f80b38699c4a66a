"""``tf.saved_model.simple_save`` (TF's saved_model/simple_save.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["simple_save"]


def simple_save(session: Any, export_dir: Any, inputs: Mapping[str, Any],
                outputs: Mapping[str, Any], legacy_init_op: Any = None) -> None:
    """A serving SavedModel: the ``serve`` tag, one Predict signature ``serving_default``
    of ``inputs`` and ``outputs``, the ASSET_FILEPATHS collection's assets, no devices."""
    from varstore.framework.graph import get_collection
    from varstore.framework.graph_keys import GraphKeys
    from varstore.saved_model import signature_constants, tag_constants
    from varstore.saved_model.builder import SavedModelBuilder
    from varstore.saved_model.signature_def_utils import predict_signature_def

    signature_def_map = {signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY:
                         predict_signature_def(inputs, outputs)}
    b = SavedModelBuilder(export_dir)
    b.add_meta_graph_and_variables(
        session, tags=[tag_constants.SERVING], signature_def_map=signature_def_map,
        assets_collection=get_collection(GraphKeys.ASSET_FILEPATHS),
        main_op=legacy_init_op, clear_devices=True)
    b.save()
