"""``tf.random`` (TF1's names): the random ops of ``varstore.ops.random_ops`` under their
``tf.random`` spellings, the candidate samplers, the stateless samplers, and the seed
functions (``split`` / ``fold_in`` too). Symbols varstore lacks (``Generator``,
``Algorithm``, the global generators) raise an AttributeError naming them."""

from __future__ import annotations

from varstore.framework.random_seed import get_seed, set_random_seed
from varstore.ops.candidate_sampling_ops import (
    all_candidate_sampler,
    fixed_unigram_candidate_sampler,
    learned_unigram_candidate_sampler,
    log_uniform_candidate_sampler,
    uniform_candidate_sampler,
)
from varstore.ops.random_gamma_ops import random_gamma as gamma
from varstore.ops.random_gamma_ops import random_poisson as poisson
from varstore.ops.random_gamma_ops import stateless_random_gamma as stateless_gamma
from varstore.ops.random_gamma_ops import stateless_random_poisson as stateless_poisson
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
from varstore.ops.stateless_random_extra_ops import (
    fold_in,
    split,
    stateless_categorical,
    stateless_multinomial,
)
from varstore.ops.stateless_random_extra_ops import (
    stateless_random_binomial as stateless_binomial,
)
from varstore.ops.stateless_random_ops import stateless_random_normal as stateless_normal
from varstore.ops.stateless_random_ops import stateless_random_uniform as stateless_uniform
from varstore.ops.stateless_random_ops import stateless_truncated_normal
from varstore.ops.stateless_random_ptn_ops import stateless_parameterized_truncated_normal
from varstore.random import experimental

__all__ = [
    "all_candidate_sampler",
    "categorical",
    "experimental",
    "fixed_unigram_candidate_sampler",
    "fold_in",
    "gamma",
    "get_seed",
    "learned_unigram_candidate_sampler",
    "log_uniform_candidate_sampler",
    "multinomial",
    "normal",
    "poisson",
    "set_random_seed",
    "shuffle",
    "split",
    "stateless_binomial",
    "stateless_categorical",
    "stateless_gamma",
    "stateless_multinomial",
    "stateless_normal",
    "stateless_parameterized_truncated_normal",
    "stateless_poisson",
    "stateless_truncated_normal",
    "stateless_uniform",
    "truncated_normal",
    "uniform",
    "uniform_candidate_sampler",
]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.random' has no attribute {name!r}: varstore "
                         f"lacks tf.random.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
