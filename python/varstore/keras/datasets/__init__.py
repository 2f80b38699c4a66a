"""``tf.keras.datasets``: the loaders of TF's small datasets, reading the files TF caches
under ``~/.keras/datasets`` (get_file downloads them when absent, as TF's does)."""

from __future__ import annotations

from varstore.keras.datasets import (
    boston_housing,
    cifar10,
    cifar100,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)

__all__ = ["boston_housing", "cifar10", "cifar100", "fashion_mnist", "imdb", "mnist",
           "reuters"]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.keras.datasets' has no attribute {name!r}: "
                         f"varstore lacks tf.keras.datasets.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
