"""``tf.random`` (TF1's names): the random ops of ``varstore.ops.random_ops`` under their
``tf.random`` spellings, and the seed functions. Symbols varstore lacks (the stateless and
gamma/poisson samplers, candidate samplers) raise an AttributeError naming them."""

from __future__ import annotations

from varstore.framework.random_seed import get_seed, set_random_seed
from varstore.ops.random_ops import (
    categorical,
    multinomial,
    truncated_normal,
)
from varstore.ops.random_ops import (
    random_normal as normal,
)
from varstore.ops.random_ops import (
    random_shuffle as shuffle,
)
from varstore.ops.random_ops import (
    random_uniform as uniform,
)

__all__ = [
    "categorical",
    "get_seed",
    "multinomial",
    "normal",
    "set_random_seed",
    "shuffle",
    "truncated_normal",
    "uniform",
]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.random' has no attribute {name!r}: varstore "
                         f"lacks tf.random.{name}")
