"""The CIFAR batch files (pickled dicts of bytes keys), shared by cifar10 and cifar100."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np

from varstore.keras._config import image_data_format

__all__ = ["load_batch", "to_data_format"]


def load_batch(fpath: str, label_key: str = "labels") -> tuple[np.ndarray, Any]:
    """``(data [N, 3, 32, 32], labels)`` of one batch file."""
    with open(fpath, "rb") as f:
        d = pickle.load(f, encoding="bytes")
    d = {k.decode("utf8"): v for k, v in d.items()}
    data = d["data"]
    return data.reshape(data.shape[0], 3, 32, 32), d[label_key]


def to_data_format(x: np.ndarray) -> np.ndarray:
    """NCHW -> NHWC under the default "channels_last"."""
    return x.transpose(0, 2, 3, 1) if image_data_format() == "channels_last" else x
