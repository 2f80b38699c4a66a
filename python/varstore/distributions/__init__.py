"""``tf.distributions`` (TF1's tf.compat.v1.distributions): the Distribution base, the twelve
distributions and the KL registry, built from ops as TF's Python builds them."""

from __future__ import annotations

from varstore.distributions.dirichlet import Dirichlet, DirichletMultinomial
from varstore.distributions.discrete import Bernoulli, Categorical, Multinomial
from varstore.distributions.distribution import (
    FULLY_REPARAMETERIZED,
    NOT_REPARAMETERIZED,
    Distribution,
    ReparameterizationType,
)
from varstore.distributions.gamma import Beta, Exponential, Gamma
from varstore.distributions.kullback_leibler import RegisterKL, kl_divergence
from varstore.distributions.normal import Laplace, Normal, StudentT, Uniform

__all__ = [
    "FULLY_REPARAMETERIZED",
    "NOT_REPARAMETERIZED",
    "Bernoulli",
    "Beta",
    "Categorical",
    "Dirichlet",
    "DirichletMultinomial",
    "Distribution",
    "Exponential",
    "Gamma",
    "Laplace",
    "Multinomial",
    "Normal",
    "RegisterKL",
    "ReparameterizationType",
    "StudentT",
    "Uniform",
    "kl_divergence",
]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'varstore.distributions' has no attribute {name!r}: "
                         f"varstore lacks tf.distributions.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
