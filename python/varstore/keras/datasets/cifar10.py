"""``tf.keras.datasets.cifar10``: ``cifar-10-batches-py`` untarred from the cached
``cifar-10-batches-py.tar.gz`` (verified by its sha256)."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from varstore.keras.datasets._common import prepare_cache_dir
from varstore.keras.datasets.cifar import load_batch, to_data_format
from varstore.keras.utils.data_utils import get_file

__all__ = ["load_data"]


def load_data(cache_dir: str | None = None) -> Any:
    """``(x_train, y_train), (x_test, y_test)``: uint8 images [N, 32, 32, 3] and labels
    [N, 1]."""
    cache_dir = prepare_cache_dir(cache_dir)
    path = get_file("cifar-10-batches-py",
                    origin="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz", untar=True,
                    file_hash="6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
                    cache_dir=cache_dir)
    num_train_samples = 50000
    x_train = np.empty((num_train_samples, 3, 32, 32), dtype="uint8")
    y_train = np.empty((num_train_samples,), dtype="uint8")
    for i in range(1, 6):
        data, labels = load_batch(os.path.join(path, "data_batch_" + str(i)))
        x_train[(i - 1) * 10000: i * 10000, :, :, :] = data
        y_train[(i - 1) * 10000: i * 10000] = labels
    x_test, y_test = load_batch(os.path.join(path, "test_batch"))
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    x_train, x_test = to_data_format(x_train), to_data_format(x_test)
    return (x_train, y_train), (x_test.astype(x_train.dtype), y_test.astype(y_train.dtype))
