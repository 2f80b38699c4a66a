"""``tf.keras.datasets.imdb``: ``imdb.npz`` from the cache, shuffled with
``RandomState(seed)``, word indices shifted and filtered as tf_keras does."""

from __future__ import annotations

import json
import logging
from typing import Any

import numpy as np

from varstore.keras.datasets._common import ORIGIN_FOLDER, prepare_cache_dir, remove_long_seq
from varstore.keras.datasets._common import words as _words
from varstore.keras.utils.data_utils import get_file

__all__ = ["get_word_index", "load_data"]


def load_data(path: str = "imdb.npz", num_words: int | None = None, skip_top: int = 0,
              maxlen: int | None = None, seed: int = 113, start_char: int | None = 1,
              oov_char: int | None = 2, index_from: int = 3, cache_dir: str | None = None,
              **kwargs: Any) -> Any:
    """``(x_train, y_train), (x_test, y_test)``: object arrays of word-index lists and
    their 0/1 labels."""
    if "nb_words" in kwargs:
        logging.getLogger("tensorflow").warning(
            "The `nb_words` argument in `load_data` has been renamed `num_words`.")
        num_words = kwargs.pop("nb_words")
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {kwargs!s}.")
    cache_dir = prepare_cache_dir(cache_dir)
    path = get_file(path, origin=ORIGIN_FOLDER + "imdb.npz",
                    file_hash="69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
                    cache_dir=cache_dir)
    with np.load(path, allow_pickle=True) as f:
        x_train, labels_train = f["x_train"], f["y_train"]
        x_test, labels_test = f["x_test"], f["y_test"]
    rng = np.random.RandomState(seed)
    indices = np.arange(len(x_train))
    rng.shuffle(indices)
    x_train, labels_train = x_train[indices], labels_train[indices]
    indices = np.arange(len(x_test))
    rng.shuffle(indices)
    x_test, labels_test = x_test[indices], labels_test[indices]
    # without a shift the NumPy arrays stay arrays (so ``x_train + x_test`` below is
    # NumPy's element-wise add, as in tf_keras)
    tr: Any = x_train
    te: Any = x_test
    if start_char is not None:
        tr = [[start_char] + [w + index_from for w in x] for x in tr]
        te = [[start_char] + [w + index_from for w in x] for x in te]
    elif index_from:
        tr = [[w + index_from for w in x] for x in tr]
        te = [[w + index_from for w in x] for x in te]
    if maxlen:
        tr, labels_train = remove_long_seq(maxlen, tr, labels_train)
        te, labels_test = remove_long_seq(maxlen, te, labels_test)
        if not tr or not te:
            raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen!s}, no "
                             "sequence was kept. Increase maxlen.")
    xs = _words(tr + te, None, 0, num_words, skip_top, oov_char)
    labels = np.concatenate([labels_train, labels_test])
    idx = len(tr)
    return ((np.array(xs[:idx], dtype="object"), labels[:idx]),
            (np.array(xs[idx:], dtype="object"), labels[idx:]))


def get_word_index(path: str = "imdb_word_index.json") -> Any:
    path = get_file(path, origin=ORIGIN_FOLDER + "imdb_word_index.json",
                    file_hash="bfafd718b763782e994055a2d397834f")
    with open(path) as f:
        return json.load(f)
