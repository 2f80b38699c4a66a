"""``tf.random`` (TF1's names): the random ops of ``varstore.ops.random_ops`` under their
``tf.random`` spellings, the candidate samplers, and the seed functions. Symbols varstore
lacks (the other stateless samplers) raise an AttributeError naming them."""

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
from varstore.ops.stateless_random_ops import stateless_random_normal as stateless_normal
from varstore.ops.stateless_random_ops import stateless_random_uniform as stateless_uniform
from varstore.ops.stateless_random_ops import stateless_truncated_normal

__all__ = [
    "all_candidate_sampler",
    "categorical",
    "fixed_unigram_candidate_sampler",
    "gamma",
    "get_seed",
    "learned_unigram_candidate_sampler",
    "log_uniform_candidate_sampler",
    "multinomial",
    "normal",
    "poisson",
    "set_random_seed",
    "shuffle",
    "stateless_gamma",
    "stateless_normal",
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
