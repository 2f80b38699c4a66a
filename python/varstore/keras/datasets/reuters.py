"""``tf.keras.datasets.reuters``: ``reuters.npz`` from the cache, shuffled with
``RandomState(seed)``, word indices shifted and filtered, split at ``1 - test_split``."""

from __future__ import annotations

import json
import logging
from typing import Any

import numpy as np

from varstore.keras.datasets._common import ORIGIN_FOLDER, prepare_cache_dir, remove_long_seq
from varstore.keras.datasets._common import words as _words
from varstore.keras.utils.data_utils import get_file

__all__ = ["get_label_names", "get_word_index", "load_data"]


def load_data(path: str = "reuters.npz", num_words: int | None = None, skip_top: int = 0,
              maxlen: int | None = None, test_split: float = 0.2, seed: int = 113,
              start_char: int | None = 1, oov_char: int | None = 2, index_from: int = 3,
              cache_dir: str | None = None, **kwargs: Any) -> Any:
    if "nb_words" in kwargs:
        logging.getLogger("tensorflow").warning(
            "The `nb_words` argument in `load_data` has been renamed `num_words`.")
        num_words = kwargs.pop("nb_words")
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {kwargs!s}")
    cache_dir = prepare_cache_dir(cache_dir)
    path = get_file(path, origin=ORIGIN_FOLDER + "reuters.npz",
                    file_hash="d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",
                    cache_dir=cache_dir)
    with np.load(path, allow_pickle=True) as f:
        xs, labels = f["x"], f["y"]
    indices = np.arange(len(xs))
    np.random.RandomState(seed).shuffle(indices)
    xs, labels = xs[indices], labels[indices]
    seqs: Any = xs
    if start_char is not None:
        seqs = [[start_char] + [w + index_from for w in x] for x in seqs]
    elif index_from:
        seqs = [[w + index_from for w in x] for x in seqs]
    if maxlen:
        seqs, labels = remove_long_seq(maxlen, seqs, labels)
    out = _words(seqs, None, 0, num_words, skip_top, oov_char)
    idx = int(len(out) * (1 - test_split))
    return ((np.array(out[:idx], dtype="object"), np.array(labels[:idx])),
            (np.array(out[idx:], dtype="object"), np.array(labels[idx:])))


def get_word_index(path: str = "reuters_word_index.json") -> Any:
    path = get_file(path, origin=ORIGIN_FOLDER + "reuters_word_index.json",
                    file_hash="4d44cc38712099c9e383dc6e5f11a921")
    with open(path) as f:
        return json.load(f)


_LABELS = ("cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing",
           "money-supply", "coffee", "sugar", "trade", "reserves", "ship", "cotton", "carcass",
           "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp", "meal-feed", "alum",
           "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail", "ipi",
           "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
           "dlr", "gas", "silver", "wpi", "hog", "lead")


def get_label_names() -> tuple[str, ...]:
    """The 46 topic names, by label index."""
    return _LABELS
