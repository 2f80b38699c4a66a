"""``tf.keras.datasets.mnist``: ``mnist.npz`` from the Keras cache (verified by its sha256,
downloaded by get_file when absent)."""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore.keras.datasets._common import ORIGIN_FOLDER, prepare_cache_dir
from varstore.keras.utils.data_utils import get_file

__all__ = ["load_data"]


def load_data(path: str = "mnist.npz", cache_dir: str | None = None) -> Any:
    """``(x_train, y_train), (x_test, y_test)``: uint8 images [N, 28, 28] and labels [N]."""
    cache_dir = prepare_cache_dir(cache_dir)
    path = get_file(path, origin=ORIGIN_FOLDER + "mnist.npz",
                    file_hash="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
                    cache_dir=cache_dir)
    with np.load(path, allow_pickle=True) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
