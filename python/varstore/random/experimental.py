"""``tf.random.experimental``: the stateless seed functions under their experimental names.
Symbols varstore lacks (``Generator``, ``index_shuffle``, ``stateless_shuffle`` ...) raise an
AttributeError naming them."""

from __future__ import annotations

from varstore.ops.stateless_random_extra_ops import fold_in as stateless_fold_in
from varstore.ops.stateless_random_extra_ops import split as stateless_split

__all__ = ["stateless_fold_in", "stateless_split"]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.random.experimental' has no attribute {name!r}: "
                         f"varstore lacks tf.random.experimental.{name}")
