"""``tf.keras.datasets.cifar100``: ``cifar-100-python`` untarred from the cached
``cifar-100-python.tar.gz`` (verified by its sha256), with fine or coarse labels."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from varstore.keras.datasets._common import prepare_cache_dir
from varstore.keras.datasets.cifar import load_batch, to_data_format
from varstore.keras.utils.data_utils import get_file

__all__ = ["load_data"]


def load_data(label_mode: str = "fine", cache_dir: str | None = None) -> Any:
    """``(x_train, y_train), (x_test, y_test)``: uint8 images [N, 32, 32, 3] and labels
    [N, 1] (``label_mode`` "fine" or "coarse")."""
    if label_mode not in ["fine", "coarse"]:
        raise ValueError('`label_mode` must be one of `"fine"`, `"coarse"`. '
                         f"Received: label_mode={label_mode}.")
    cache_dir = prepare_cache_dir(cache_dir)
    path = get_file("cifar-100-python",
                    origin="https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz", untar=True,
                    file_hash="85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7",
                    cache_dir=cache_dir)
    x_train, y_train = load_batch(os.path.join(path, "train"), label_key=label_mode + "_labels")
    x_test, y_test = load_batch(os.path.join(path, "test"), label_key=label_mode + "_labels")
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    return (to_data_format(x_train), y_train), (to_data_format(x_test), y_test)
