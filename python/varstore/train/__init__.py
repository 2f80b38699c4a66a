"""``tf.train``: checkpoints (Saver, readers, warm starts).

Checkpoints are TF's V2 format (tensor bundles: ``.index`` + ``.data-*`` files, read and
written without TensorFlow) or safetensors files; every reader detects which from the files.
"""

from __future__ import annotations

from varstore.train.checkpoint_management import (
    CheckpointState,
    checkpoint_exists,
    get_checkpoint_state,
    latest_checkpoint,
    remove_checkpoint,
    update_checkpoint_state,
)
from varstore.train.checkpoint_reader import CheckpointReader, NewCheckpointReader
from varstore.train.checkpoint_utils import (
    init_from_checkpoint,
    list_variables,
    load_checkpoint,
    load_variable,
)
from varstore.train.saver import Saver, SaverDef

__all__ = [
    "CheckpointReader",
    "CheckpointState",
    "NewCheckpointReader",
    "Saver",
    "SaverDef",
    "checkpoint_exists",
    "get_checkpoint_state",
    "init_from_checkpoint",
    "latest_checkpoint",
    "list_variables",
    "load_checkpoint",
    "load_variable",
    "remove_checkpoint",
    "update_checkpoint_state",
]
