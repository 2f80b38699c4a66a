"""What the dataset loaders share: the origin folder of TF's dataset files, the cache-dir
argument rule and the sequence filters of imdb / reuters."""

from __future__ import annotations

import os
from typing import Any

__all__ = ["ORIGIN_FOLDER", "prepare_cache_dir", "remove_long_seq", "words"]

ORIGIN_FOLDER = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def prepare_cache_dir(cache_dir: str | None) -> str | None:
    if cache_dir:
        cache_dir = os.path.expanduser(cache_dir)
        os.makedirs(cache_dir, exist_ok=True)
    return cache_dir


def remove_long_seq(maxlen: int, seq: Any, label: Any) -> tuple[list[Any], list[Any]]:
    """The sequences shorter than ``maxlen`` and their labels."""
    new_seq, new_label = [], []
    for x, y in zip(seq, label, strict=False):
        if len(x) < maxlen:
            new_seq.append(x)
            new_label.append(y)
    return new_seq, new_label


def words(xs: Any, start_char: int | None, index_from: int, num_words: int | None,
          skip_top: int, oov_char: int | None) -> list[list[int]]:
    """imdb/reuters' word-index rules: a start char, indices shifted by ``index_from``,
    words outside ``[skip_top, num_words)`` replaced by ``oov_char`` (or dropped)."""
    if start_char is not None:
        xs = [[start_char] + [w + index_from for w in x] for x in xs]
    elif index_from:
        xs = [[w + index_from for w in x] for x in xs]
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        return [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    return [[w for w in x if skip_top <= w < num_words] for x in xs]
