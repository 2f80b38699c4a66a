"""The Gamma family: Gamma, Exponential and Beta (TF's gamma.py, exponential.py, beta.py),
with KL(Gamma || Gamma) and KL(Beta || Beta). Gamma samples through tf.random_gamma, whose
gradient in alpha makes them reparameterized."""

from __future__ import annotations

from typing import Any

import numpy as np

from varstore import dtypes
from varstore.distributions import distribution, kullback_leibler
from varstore.distributions import util as distribution_util
from varstore.distributions._tf import tf

__all__ = ["Beta", "Exponential", "Gamma"]


def _nan_fill(d: distribution.Distribution, shape: Any) -> Any:
    return tf.fill(shape, np.array(np.nan, dtype=d.dtype.as_numpy_dtype()), name="nan")


class Gamma(distribution.Distribution):
    """``tf.distributions.Gamma(concentration, rate)``: density
    rate^c x^(c-1) exp(-rate x) / Gamma(c)."""

    def __init__(self, concentration: Any, rate: Any, validate_args: bool = False,
                 allow_nan_stats: bool = True, name: str = "Gamma") -> None:
        parameters = dict(locals())
        with tf.name_scope(name, values=[concentration, rate]) as scope, tf.control_dependencies(
                [tf.assert_positive(concentration),
                 tf.assert_positive(rate)] if validate_args else []):
            self._concentration = tf.identity(concentration, name="concentration")
            self._rate = tf.identity(rate, name="rate")
            tf.assert_same_float_dtype([self._concentration, self._rate])
        super().__init__(dtype=self._concentration.dtype, validate_args=validate_args,
                         allow_nan_stats=allow_nan_stats,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         parameters=parameters,
                         graph_parents=[self._concentration, self._rate], name=scope)

    @staticmethod
    def _param_shapes(sample_shape: Any) -> dict[str, Any]:
        s = tf.convert_to_tensor(sample_shape, dtype=dtypes.int32)
        return {"concentration": s, "rate": s}

    @property
    def concentration(self) -> Any:
        return self._concentration

    @property
    def rate(self) -> Any:
        return self._rate

    def _batch_shape_tensor(self) -> Any:
        return tf.broadcast_dynamic_shape(tf.shape(self.concentration), tf.shape(self.rate))

    def _batch_shape(self) -> Any:
        return tf.broadcast_static_shape(self.concentration.get_shape(),
                                         self.rate.get_shape())

    def _event_shape_tensor(self) -> Any:
        return tf.constant([], dtype=dtypes.int32)

    def _event_shape(self) -> Any:
        return tf.TensorShape([])

    def _sample_n(self, n: Any, seed: int | None = None) -> Any:
        return tf.random_gamma(shape=[n], alpha=self.concentration, beta=self.rate,
                               dtype=self.dtype, seed=seed)

    def _log_prob(self, x: Any) -> Any:
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _cdf(self, x: Any) -> Any:
        x = self._maybe_assert_valid_sample(x)
        return tf.igamma(self.concentration, self.rate * x)

    def _log_unnormalized_prob(self, x: Any) -> Any:
        x = self._maybe_assert_valid_sample(x)
        return tf.xlogy(self.concentration - 1.0, x) - self.rate * x

    def _log_normalization(self) -> Any:
        return tf.lgamma(self.concentration) - self.concentration * tf.log(self.rate)

    def _entropy(self) -> Any:
        return (self.concentration - tf.log(self.rate) + tf.lgamma(self.concentration)
                + (1.0 - self.concentration) * tf.digamma(self.concentration))

    def _mean(self) -> Any:
        return self.concentration / self.rate

    def _variance(self) -> Any:
        return self.concentration / tf.square(self.rate)

    def _stddev(self) -> Any:
        return tf.sqrt(self.concentration) / self.rate

    def _mode(self) -> Any:
        mode = (self.concentration - 1.0) / self.rate
        if self.allow_nan_stats:
            nan = _nan_fill(self, self.batch_shape_tensor())
            return tf.where_v2(self.concentration > 1.0, mode, nan)
        return tf.with_dependencies([tf.assert_less(
            tf.ones([], self.dtype), self.concentration,
            message="mode not defined when any concentration <= 1")], mode)

    def _maybe_assert_valid_sample(self, x: Any) -> Any:
        tf.assert_same_float_dtype(tensors=[x], dtype=self.dtype)
        if not self.validate_args:
            return x
        return tf.with_dependencies([tf.assert_positive(x)], x)


@kullback_leibler.RegisterKL(Gamma, Gamma)
def _kl_gamma_gamma(g0: Gamma, g1: Gamma, name: str | None = None) -> Any:
    with tf.name_scope(name, "kl_gamma_gamma",
                       values=[g0.concentration, g0.rate, g1.concentration, g1.rate]):
        return ((g0.concentration - g1.concentration) * tf.digamma(g0.concentration)
                + tf.lgamma(g1.concentration) - tf.lgamma(g0.concentration)
                + g1.concentration * tf.log(g0.rate) - g1.concentration * tf.log(g1.rate)
                + g0.concentration * (g1.rate / g0.rate - 1.0))


class Exponential(Gamma):
    """``tf.distributions.Exponential(rate)``: Gamma(1, rate), sampled as -log(U) / rate."""

    def __init__(self, rate: Any, validate_args: bool = False, allow_nan_stats: bool = True,
                 name: str = "Exponential") -> None:
        parameters = dict(locals())
        with tf.name_scope(name, values=[rate]) as scope:
            self._rate = tf.convert_to_tensor(rate, name="rate")
        super().__init__(concentration=tf.ones([], dtype=self._rate.dtype), rate=self._rate,
                         allow_nan_stats=allow_nan_stats, validate_args=validate_args,
                         name=scope)
        self._parameters = parameters
        self._graph_parents += [self._rate]

    @staticmethod
    def _param_shapes(sample_shape: Any) -> dict[str, Any]:
        return {"rate": tf.convert_to_tensor(sample_shape, dtype=dtypes.int32)}

    @property
    def rate(self) -> Any:
        return self._rate

    def _log_survival_function(self, value: Any) -> Any:
        return self._log_prob(value) - tf.log(self._rate)

    def _sample_n(self, n: Any, seed: int | None = None) -> Any:
        shape = tf.concat([[n], tf.shape(self._rate)], 0)
        sampled = tf.random_uniform(shape, minval=np.finfo(self.dtype.as_numpy_dtype).tiny,
                                    maxval=1.0, seed=seed, dtype=self.dtype)
        return -tf.log(sampled) / self._rate


class Beta(distribution.Distribution):
    """``tf.distributions.Beta(concentration1, concentration0)``: sampled as
    G1 / (G1 + G0) of two Gamma samples (the second seeded by gen_new_seed)."""

    def __init__(self, concentration1: Any = None, concentration0: Any = None,
                 validate_args: bool = False, allow_nan_stats: bool = True,
                 name: str = "Beta") -> None:
        parameters = dict(locals())
        with tf.name_scope(name, values=[concentration1, concentration0]) as scope:
            self._concentration1 = self._maybe_assert_valid_concentration(
                tf.convert_to_tensor(concentration1, name="concentration1"), validate_args)
            self._concentration0 = self._maybe_assert_valid_concentration(
                tf.convert_to_tensor(concentration0, name="concentration0"), validate_args)
            tf.assert_same_float_dtype([self._concentration1, self._concentration0])
            self._total_concentration = self._concentration1 + self._concentration0
        super().__init__(dtype=self._total_concentration.dtype, validate_args=validate_args,
                         allow_nan_stats=allow_nan_stats,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         parameters=parameters,
                         graph_parents=[self._concentration1, self._concentration0,
                                        self._total_concentration], name=scope)

    @staticmethod
    def _param_shapes(sample_shape: Any) -> dict[str, Any]:
        s = tf.convert_to_tensor(sample_shape, dtype=dtypes.int32)
        return {"concentration1": s, "concentration0": s}

    @property
    def concentration1(self) -> Any:
        return self._concentration1

    @property
    def concentration0(self) -> Any:
        return self._concentration0

    @property
    def total_concentration(self) -> Any:
        return self._total_concentration

    def _batch_shape_tensor(self) -> Any:
        return tf.shape(self.total_concentration)

    def _batch_shape(self) -> Any:
        return self.total_concentration.get_shape()

    def _event_shape_tensor(self) -> Any:
        return tf.constant([], dtype=dtypes.int32)

    def _event_shape(self) -> Any:
        return tf.TensorShape([])

    def _sample_n(self, n: Any, seed: int | None = None) -> Any:
        ones = tf.ones_like(self.total_concentration, dtype=self.dtype)
        expanded_concentration1 = ones * self.concentration1
        expanded_concentration0 = tf.ones_like(self.total_concentration,
                                               dtype=self.dtype) * self.concentration0
        gamma1_sample = tf.random_gamma(shape=[n], alpha=expanded_concentration1,
                                        dtype=self.dtype, seed=seed)
        gamma2_sample = tf.random_gamma(shape=[n], alpha=expanded_concentration0,
                                        dtype=self.dtype,
                                        seed=distribution_util.gen_new_seed(seed, "beta"))
        return gamma1_sample / (gamma1_sample + gamma2_sample)

    def _log_prob(self, x: Any) -> Any:
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _prob(self, x: Any) -> Any:
        return tf.exp(self._log_prob(x))

    def _log_cdf(self, x: Any) -> Any:
        return tf.log(self._cdf(x))

    def _cdf(self, x: Any) -> Any:
        return tf.betainc(self.concentration1, self.concentration0, x)

    def _log_unnormalized_prob(self, x: Any) -> Any:
        x = self._maybe_assert_valid_sample(x)
        return (tf.xlogy(self.concentration1 - 1.0, x)
                + (self.concentration0 - 1.0) * tf.log1p(-x))

    def _log_normalization(self) -> Any:
        return (tf.lgamma(self.concentration1) + tf.lgamma(self.concentration0)
                - tf.lgamma(self.total_concentration))

    def _entropy(self) -> Any:
        return (self._log_normalization()
                - (self.concentration1 - 1.0) * tf.digamma(self.concentration1)
                - (self.concentration0 - 1.0) * tf.digamma(self.concentration0)
                + (self.total_concentration - 2.0) * tf.digamma(self.total_concentration))

    def _mean(self) -> Any:
        return self._concentration1 / self._total_concentration

    def _variance(self) -> Any:
        return self._mean() * (1.0 - self._mean()) / (1.0 + self.total_concentration)

    def _mode(self) -> Any:
        mode = (self.concentration1 - 1.0) / (self.total_concentration - 2.0)
        if self.allow_nan_stats:
            nan = _nan_fill(self, self.batch_shape_tensor())
            is_defined = tf.logical_and(self.concentration1 > 1.0, self.concentration0 > 1.0)
            return tf.where_v2(is_defined, mode, nan)
        return tf.with_dependencies([
            tf.assert_less(tf.ones([], dtype=self.dtype), self.concentration1,
                           message="Mode undefined for concentration1 <= 1."),
            tf.assert_less(tf.ones([], dtype=self.dtype), self.concentration0,
                           message="Mode undefined for concentration0 <= 1.")], mode)

    def _maybe_assert_valid_concentration(self, concentration: Any, validate_args: bool) -> Any:
        if not validate_args:
            return concentration
        return tf.with_dependencies([tf.assert_positive(
            concentration, message="Concentration parameter must be positive.")],
            concentration)

    def _maybe_assert_valid_sample(self, x: Any) -> Any:
        if not self.validate_args:
            return x
        return tf.with_dependencies([
            tf.assert_positive(x, message="sample must be positive"),
            tf.assert_less(x, tf.ones([], self.dtype), message="sample must be less than `1`.")
        ], x)


@kullback_leibler.RegisterKL(Beta, Beta)
def _kl_beta_beta(d1: Beta, d2: Beta, name: str | None = None) -> Any:
    def delta(fn: str, is_property: bool = True) -> Any:
        fn1 = getattr(d1, fn)
        fn2 = getattr(d2, fn)
        return fn2 - fn1 if is_property else fn2() - fn1()

    with tf.name_scope(name, "kl_beta_beta",
                       values=[d1.concentration1, d1.concentration0, d1.total_concentration,
                               d2.concentration1, d2.concentration0, d2.total_concentration]):
        return (delta("_log_normalization", is_property=False)
                - tf.digamma(d1.concentration1) * delta("concentration1")
                - tf.digamma(d1.concentration0) * delta("concentration0")
                + tf.digamma(d1.total_concentration) * delta("total_concentration"))
