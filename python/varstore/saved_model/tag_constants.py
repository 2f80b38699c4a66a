"""``tf.saved_model.tag_constants``: the common MetaGraph tags (TF's tag_constants.py)."""

from __future__ import annotations

__all__ = ["GPU", "SERVING", "TPU", "TRAINING"]

SERVING = "serve"
TRAINING = "train"
EVAL = "eval"
GPU = "gpu"
TPU = "tpu"
