"""Dirichlet and DirichletMultinomial (TF's dirichlet.py, dirichlet_multinomial.py), with
KL(Dirichlet || Dirichlet): distributions over the simplex and over class counts, sampled
through tf.random_gamma."""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore import dtypes
from varstore.distributions import distribution, kullback_leibler
from varstore.distributions import util as distribution_util
from varstore.distributions._tf import tf

__all__ = ["Dirichlet", "DirichletMultinomial"]


class Dirichlet(distribution.Distribution):
    """``tf.distributions.Dirichlet(concentration)``: normalised Gamma samples
    (reparameterized through RandomGamma's gradient)."""

    def __init__(self, concentration: Any, validate_args: bool = False,
                 allow_nan_stats: bool = True, name: str = "Dirichlet") -> None:
        parameters = dict(locals())
        with tf.name_scope(name, values=[concentration]) as scope:
            self._concentration = self._maybe_assert_valid_concentration(
                tf.convert_to_tensor(concentration, name="concentration"), validate_args)
            self._total_concentration = tf.reduce_sum(self._concentration, -1)
        super().__init__(dtype=self._concentration.dtype, validate_args=validate_args,
                         allow_nan_stats=allow_nan_stats,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         parameters=parameters,
                         graph_parents=[self._concentration, self._total_concentration],
                         name=scope)

    @property
    def concentration(self) -> Any:
        return self._concentration

    @property
    def total_concentration(self) -> Any:
        return self._total_concentration

    def _batch_shape_tensor(self) -> Any:
        return tf.shape(self.total_concentration)

    def _batch_shape(self) -> Any:
        return self.total_concentration.get_shape()

    def _event_shape_tensor(self) -> Any:
        return tf.shape(self.concentration)[-1:]

    def _event_shape(self) -> Any:
        return self.concentration.get_shape().with_rank_at_least(1)[-1:]

    def _sample_n(self, n: Any, seed: int | None = None) -> Any:
        gamma_sample = tf.random_gamma(shape=[n], alpha=self.concentration, dtype=self.dtype,
                                       seed=seed)
        return gamma_sample / tf.reduce_sum(gamma_sample, -1, keepdims=True)

    def _log_prob(self, x: Any) -> Any:
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _prob(self, x: Any) -> Any:
        return tf.exp(self._log_prob(x))

    def _log_unnormalized_prob(self, x: Any) -> Any:
        x = self._maybe_assert_valid_sample(x)
        return tf.reduce_sum(tf.xlogy(self.concentration - 1.0, x), -1)

    def _log_normalization(self) -> Any:
        return tf.lbeta(self.concentration)

    def _entropy(self) -> Any:
        k = tf.cast(self.event_shape_tensor()[0], self.dtype)
        return (self._log_normalization()
                + (self.total_concentration - k) * tf.digamma(self.total_concentration)
                - tf.reduce_sum((self.concentration - 1.0) * tf.digamma(self.concentration),
                                axis=-1))

    def _mean(self) -> Any:
        return self.concentration / self.total_concentration[..., tf.newaxis]

    def _covariance(self) -> Any:
        x = self._variance_scale_term() * self._mean()
        return tf.matrix_set_diag(-tf.matmul(x[..., tf.newaxis], x[..., tf.newaxis, :]),
                                  self._variance())

    def _variance(self) -> Any:
        scale = self._variance_scale_term()
        x = scale * self._mean()
        return x * (scale - x)

    def _variance_scale_term(self) -> Any:
        return tf.rsqrt(1.0 + self.total_concentration[..., tf.newaxis])

    def _mode(self) -> Any:
        k = tf.cast(self.event_shape_tensor()[0], self.dtype)
        mode = (self.concentration - 1.0) / (self.total_concentration[..., tf.newaxis] - k)
        if self.allow_nan_stats:
            nan = tf.fill(tf.shape(mode), np.array(np.nan, dtype=self.dtype.as_numpy_dtype()),
                          name="nan")
            return tf.where_v2(tf.reduce_all(self.concentration > 1.0, axis=-1), mode, nan)
        return tf.with_dependencies([tf.assert_less(
            tf.ones([], self.dtype), self.concentration,
            message="Mode undefined when any concentration <= 1")], mode)

    def _maybe_assert_valid_concentration(self, concentration: Any, validate_args: bool) -> Any:
        if not validate_args:
            return concentration
        return tf.with_dependencies([
            tf.assert_positive(concentration,
                               message="Concentration parameter must be positive."),
            tf.assert_rank_at_least(concentration, 1,
                                    message="Concentration parameter must have >=1 "
                                    "dimensions."),
            tf.assert_less(1, tf.shape(concentration)[-1],
                           message="Concentration parameter must have event_size >= 2."),
        ], concentration)

    def _maybe_assert_valid_sample(self, x: Any) -> Any:
        if not self.validate_args:
            return x
        return tf.with_dependencies([
            tf.assert_positive(x, message="samples must be positive"),
            tf.assert_near(tf.ones([], dtype=self.dtype), tf.reduce_sum(x, -1),
                           message="sample last-dimension must sum to `1`"),
        ], x)


@kullback_leibler.RegisterKL(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(d1: Dirichlet, d2: Dirichlet, name: str | None = None) -> Any:
    with tf.name_scope(name, "kl_dirichlet_dirichlet",
                       values=[d1.concentration, d2.concentration]):
        digamma_sum_d1 = tf.digamma(tf.reduce_sum(d1.concentration, axis=-1, keepdims=True))
        digamma_diff = tf.digamma(d1.concentration) - digamma_sum_d1
        concentration_diff = d1.concentration - d2.concentration
        return (tf.reduce_sum(concentration_diff * digamma_diff, axis=-1)
                - tf.lbeta(d1.concentration) + tf.lbeta(d2.concentration))


class DirichletMultinomial(distribution.Distribution):
    """``tf.distributions.DirichletMultinomial(total_count, concentration)``: class counts
    of multinomial draws from Dirichlet-distributed probabilities."""

    def __init__(self, total_count: Any, concentration: Any, validate_args: bool = False,
                 allow_nan_stats: bool = True, name: str = "DirichletMultinomial") -> None:
        parameters = dict(locals())
        with tf.name_scope(name, values=[total_count, concentration]) as scope:
            self._total_count = tf.convert_to_tensor(total_count, name="total_count")
            if validate_args:
                self._total_count = distribution_util.embed_check_nonnegative_integer_form(
                    self._total_count)
            self._concentration = self._maybe_assert_valid_concentration(
                tf.convert_to_tensor(concentration, name="concentration"), validate_args)
            self._total_concentration = tf.reduce_sum(self._concentration, -1)
        super().__init__(dtype=self._concentration.dtype, validate_args=validate_args,
                         allow_nan_stats=allow_nan_stats,
                         reparameterization_type=distribution.NOT_REPARAMETERIZED,
                         parameters=parameters,
                         graph_parents=[self._total_count, self._concentration], name=scope)

    @property
    def total_count(self) -> Any:
        return self._total_count

    @property
    def concentration(self) -> Any:
        return self._concentration

    @property
    def total_concentration(self) -> Any:
        return self._total_concentration

    def _batch_shape_tensor(self) -> Any:
        return tf.shape(self.total_concentration)

    def _batch_shape(self) -> Any:
        return self.total_concentration.get_shape()

    def _event_shape_tensor(self) -> Any:
        return tf.shape(self.concentration)[-1:]

    def _event_shape(self) -> Any:
        return self.concentration.get_shape().with_rank_at_least(1)[-1:]

    def _sample_n(self, n: Any, seed: int | None = None) -> Any:
        n_draws = tf.cast(self.total_count, dtype=dtypes.int32)
        k = self.event_shape_tensor()[0]
        unnormalized_logits = tf.reshape(tf.log(tf.random_gamma(
            shape=[n], alpha=self.concentration, dtype=self.dtype, seed=seed)), shape=[-1, k])
        draws = tf.multinomial(logits=unnormalized_logits, num_samples=n_draws,
                               seed=distribution_util.gen_new_seed(
                                   seed, salt="dirichlet_multinomial"))
        x = tf.reduce_sum(tf.one_hot(draws, depth=k), -2)
        final_shape = tf.concat([[n], self.batch_shape_tensor(), [k]], 0)
        x = tf.reshape(x, final_shape)
        return tf.cast(x, self.dtype)

    def _log_prob(self, counts: Any) -> Any:
        counts = self._maybe_assert_valid_sample(counts)
        ordered_prob = (tf.lbeta(self.concentration + counts)
                        - tf.lbeta(self.concentration))
        return ordered_prob + distribution_util.log_combinations(self.total_count, counts)

    def _prob(self, counts: Any) -> Any:
        return tf.exp(self._log_prob(counts))

    def _mean(self) -> Any:
        return self.total_count * (self.concentration
                                   / self.total_concentration[..., tf.newaxis])

    def _covariance(self) -> Any:
        x = self._variance_scale_term() * self._mean()
        return tf.matrix_set_diag(-tf.matmul(x[..., tf.newaxis], x[..., tf.newaxis, :]),
                                  self._variance())

    def _variance(self) -> Any:
        scale = self._variance_scale_term()
        x = scale * self._mean()
        return x * (self.total_count * scale - x)

    def _variance_scale_term(self) -> Any:
        c0 = self.total_concentration[..., tf.newaxis]
        return tf.sqrt((1.0 + c0 / self.total_count) / (1.0 + c0))

    def _maybe_assert_valid_concentration(self, concentration: Any, validate_args: bool) -> Any:
        if not validate_args:
            return concentration
        concentration = distribution_util.embed_check_categorical_event_shape(concentration)
        return tf.with_dependencies([tf.assert_positive(
            concentration, message="Concentration parameter must be positive.")],
            concentration)

    def _maybe_assert_valid_sample(self, counts: Any) -> Any:
        if not self.validate_args:
            return counts
        counts = distribution_util.embed_check_nonnegative_integer_form(counts)
        return tf.with_dependencies([tf.assert_equal(
            self.total_count, tf.reduce_sum(counts, -1),
            message="counts last-dimension must sum to `self.total_count`")], counts)
