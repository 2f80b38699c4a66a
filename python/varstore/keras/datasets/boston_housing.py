"""``tf.keras.datasets.boston_housing``: ``boston_housing.npz`` from the cache, shuffled
with ``RandomState(seed)`` and split at ``1 - test_split``."""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore.keras.datasets._common import ORIGIN_FOLDER, prepare_cache_dir
from varstore.keras.utils.data_utils import get_file

__all__ = ["load_data"]


def load_data(path: str = "boston_housing.npz", test_split: float = 0.2, seed: int = 113,
              cache_dir: str | None = None) -> Any:
    assert 0 <= test_split < 1  # tf_keras checks with an assert (an AssertionError)
    cache_dir = prepare_cache_dir(cache_dir)
    path = get_file(path, origin=ORIGIN_FOLDER + "boston_housing.npz",
                    file_hash="f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5",
                    cache_dir=cache_dir)
    with np.load(path, allow_pickle=True) as f:
        x, y = f["x"], f["y"]
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    n = int(len(x) * (1 - test_split))
    return (np.array(x[:n]), np.array(y[:n])), (np.array(x[n:]), np.array(y[n:]))
