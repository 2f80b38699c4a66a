"""``tf.keras.datasets.fashion_mnist``: the four gzipped IDX files in
``datasets/fashion-mnist`` of the cache (no hash is checked)."""

from __future__ import annotations

import gzip
import os
from typing import Any

import numpy as np

from varstore.keras.datasets._common import ORIGIN_FOLDER, prepare_cache_dir
from varstore.keras.utils.data_utils import get_file

__all__ = ["load_data"]

_FILES = ["train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
          "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"]


def load_data(cache_dir: str | None = None) -> Any:
    """``(x_train, y_train), (x_test, y_test)``: uint8 images [N, 28, 28] and labels [N]."""
    dirname = os.path.join("datasets", "fashion-mnist")
    cache_dir = prepare_cache_dir(cache_dir)
    paths = [get_file(fname, origin=ORIGIN_FOLDER + fname, cache_dir=cache_dir,
                      cache_subdir=dirname) for fname in _FILES]

    def labels(p: str) -> np.ndarray:
        with gzip.open(p, "rb") as f:
            return np.frombuffer(f.read(), np.uint8, offset=8)

    def images(p: str, n: int) -> np.ndarray:
        with gzip.open(p, "rb") as f:
            return np.frombuffer(f.read(), np.uint8, offset=16).reshape(n, 28, 28)

    y_train = labels(paths[0])
    x_train = images(paths[1], len(y_train))
    y_test = labels(paths[2])
    x_test = images(paths[3], len(y_test))
    return (x_train, y_train), (x_test, y_test)
