"""The location-scale distributions: Normal, Laplace, StudentT and Uniform (TF's normal.py,
laplace.py, student_t.py, uniform.py), with KL(Normal || Normal)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from varstore import dtypes
from varstore.distributions import distribution, kullback_leibler, special_math
from varstore.distributions import util as distribution_util
from varstore.distributions._tf import tf

__all__ = ["Laplace", "Normal", "StudentT", "Uniform"]


def _int32_shapes(names: tuple[str, ...], sample_shape: Any) -> dict[str, Any]:
    shape = tf.convert_to_tensor(sample_shape, dtype=dtypes.int32)
    return {n: shape for n in names}


class _LocScale(distribution.Distribution):
    """What Normal and Laplace share: scalar events, a batch shape broadcast from ``loc``
    and ``scale`` (TF writes these methods out in each class)."""

    _loc: Any
    _scale: Any

    @staticmethod
    def _param_shapes(sample_shape: Any) -> dict[str, Any]:
        return _int32_shapes(("loc", "scale"), sample_shape)

    @property
    def loc(self) -> Any:
        return self._loc

    @property
    def scale(self) -> Any:
        return self._scale

    def _batch_shape_tensor(self) -> Any:
        return tf.broadcast_dynamic_shape(tf.shape(self.loc), tf.shape(self.scale))

    def _batch_shape(self) -> Any:
        return tf.broadcast_static_shape(self.loc.get_shape(), self.scale.get_shape())

    def _event_shape_tensor(self) -> Any:
        return tf.constant([], dtype=dtypes.int32)

    def _event_shape(self) -> Any:
        return tf.TensorShape([])


class Normal(_LocScale):
    """``tf.distributions.Normal(loc, scale)``: samples ``loc + scale * N(0, 1)``
    (reparameterized)."""

    def __init__(self, loc: Any, scale: Any, validate_args: bool = False,
                 allow_nan_stats: bool = True, name: str = "Normal") -> None:
        parameters = dict(locals())
        with tf.name_scope(name, values=[loc, scale]) as scope, tf.control_dependencies(
                [tf.assert_positive(scale)] if validate_args else []):
            self._loc = tf.identity(loc, name="loc")
            self._scale = tf.identity(scale, name="scale")
            tf.assert_same_float_dtype([self._loc, self._scale])
        super().__init__(dtype=self._scale.dtype,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters, graph_parents=[self._loc, self._scale],
                         name=scope)

    def _sample_n(self, n: Any, seed: int | None = None) -> Any:
        shape = tf.concat([[n], self.batch_shape_tensor()], 0)
        sampled = tf.random_normal(shape=shape, mean=0.0, stddev=1.0, dtype=self.loc.dtype,
                                   seed=seed)
        return sampled * self.scale + self.loc

    def _log_prob(self, x: Any) -> Any:
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _log_cdf(self, x: Any) -> Any:
        return special_math.log_ndtr(self._z(x))

    def _cdf(self, x: Any) -> Any:
        return special_math.ndtr(self._z(x))

    def _log_survival_function(self, x: Any) -> Any:
        return special_math.log_ndtr(-self._z(x))

    def _survival_function(self, x: Any) -> Any:
        return special_math.ndtr(-self._z(x))

    def _log_unnormalized_prob(self, x: Any) -> Any:
        return -0.5 * tf.square(self._z(x))

    def _log_normalization(self) -> Any:
        return 0.5 * math.log(2.0 * math.pi) + tf.log(self.scale)

    def _entropy(self) -> Any:
        scale = self.scale * tf.ones_like(self.loc)
        return 0.5 * math.log(2.0 * math.pi * math.e) + tf.log(scale)

    def _mean(self) -> Any:
        return self.loc * tf.ones_like(self.scale)

    def _quantile(self, p: Any) -> Any:
        return self._inv_z(special_math.ndtri(p))

    def _stddev(self) -> Any:
        return self.scale * tf.ones_like(self.loc)

    def _mode(self) -> Any:
        return self._mean()

    def _z(self, x: Any) -> Any:
        with tf.name_scope("standardize", values=[x]):
            return (x - self.loc) / self.scale

    def _inv_z(self, z: Any) -> Any:
        with tf.name_scope("reconstruct", values=[z]):
            return z * self.scale + self.loc


@kullback_leibler.RegisterKL(Normal, Normal)
def _kl_normal_normal(n_a: Normal, n_b: Normal, name: str | None = None) -> Any:
    with tf.name_scope(name, "kl_normal_normal", [n_a.loc, n_b.loc]):
        one = tf.constant(1, dtype=n_a.dtype)
        two = tf.constant(2, dtype=n_a.dtype)
        half = tf.constant(0.5, dtype=n_a.dtype)
        s_a_squared = tf.square(n_a.scale)
        s_b_squared = tf.square(n_b.scale)
        ratio = s_a_squared / s_b_squared
        return (tf.squared_difference(n_a.loc, n_b.loc) / (two * s_b_squared)
                + half * (ratio - one - tf.log(ratio)))


class Laplace(_LocScale):
    """``tf.distributions.Laplace(loc, scale)``: density exp(-|x - loc| / scale) / (2 scale);
    samples by the inverse CDF of a uniform on (-1, 1)."""

    def __init__(self, loc: Any, scale: Any, validate_args: bool = False,
                 allow_nan_stats: bool = True, name: str = "Laplace") -> None:
        parameters = dict(locals())
        with tf.name_scope(name, values=[loc, scale]) as scope, tf.control_dependencies(
                [tf.assert_positive(scale)] if validate_args else []):
            self._loc = tf.identity(loc, name="loc")
            self._scale = tf.identity(scale, name="scale")
            tf.assert_same_float_dtype([self._loc, self._scale])
            super().__init__(dtype=self._loc.dtype,
                             reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                             validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                             parameters=parameters, graph_parents=[self._loc, self._scale],
                             name=scope)

    def _sample_n(self, n: Any, seed: int | None = None) -> Any:
        shape = tf.concat([[n], self.batch_shape_tensor()], 0)
        np_dt = self.dtype.as_numpy_dtype
        uniform_samples = tf.random_uniform(shape=shape,
                                            minval=np.nextafter(np_dt(-1.0), np_dt(0.0)),
                                            maxval=1.0, dtype=self.dtype, seed=seed)
        return self.loc - self.scale * tf.sign(uniform_samples) * tf.log1p(
            -tf.abs(uniform_samples))

    def _log_prob(self, x: Any) -> Any:
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _prob(self, x: Any) -> Any:
        return tf.exp(self._log_prob(x))

    def _log_cdf(self, x: Any) -> Any:
        return special_math.log_cdf_laplace(self._z(x))

    def _log_survival_function(self, x: Any) -> Any:
        return special_math.log_cdf_laplace(-self._z(x))

    def _cdf(self, x: Any) -> Any:
        z = self._z(x)
        return 0.5 + 0.5 * tf.sign(z) * (1.0 - tf.exp(-tf.abs(z)))

    def _log_unnormalized_prob(self, x: Any) -> Any:
        return -tf.abs(self._z(x))

    def _log_normalization(self) -> Any:
        return math.log(2.0) + tf.log(self.scale)

    def _entropy(self) -> Any:
        scale = self.scale + tf.zeros_like(self.loc)
        return math.log(2.0) + 1.0 + tf.log(scale)

    def _mean(self) -> Any:
        return self.loc + tf.zeros_like(self.scale)

    def _stddev(self) -> Any:
        return math.sqrt(2.0) * self.scale + tf.zeros_like(self.loc)

    def _median(self) -> Any:
        return self._mean()

    def _mode(self) -> Any:
        return self._mean()

    def _z(self, x: Any) -> Any:
        return (x - self.loc) / self.scale


class StudentT(distribution.Distribution):
    """``tf.distributions.StudentT(df, loc, scale)``: samples a normal over the root of a
    Gamma(df / 2, 1 / 2) / df (the second sampler seeded by gen_new_seed)."""

    def __init__(self, df: Any, loc: Any, scale: Any, validate_args: bool = False,
                 allow_nan_stats: bool = True, name: str = "StudentT") -> None:
        parameters = dict(locals())
        with tf.name_scope(name, values=[df, loc, scale]) as scope, tf.control_dependencies(
                [tf.assert_positive(df)] if validate_args else []):
            self._df = tf.identity(df, name="df")
            self._loc = tf.identity(loc, name="loc")
            self._scale = tf.identity(scale, name="scale")
            tf.assert_same_float_dtype((self._df, self._loc, self._scale))
        super().__init__(dtype=self._scale.dtype,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters,
                         graph_parents=[self._df, self._loc, self._scale], name=scope)

    @staticmethod
    def _param_shapes(sample_shape: Any) -> dict[str, Any]:
        return _int32_shapes(("df", "loc", "scale"), sample_shape)

    @property
    def df(self) -> Any:
        return self._df

    @property
    def loc(self) -> Any:
        return self._loc

    @property
    def scale(self) -> Any:
        return self._scale

    def _batch_shape_tensor(self) -> Any:
        return tf.broadcast_dynamic_shape(
            tf.shape(self.df), tf.broadcast_dynamic_shape(tf.shape(self.loc),
                                                          tf.shape(self.scale)))

    def _batch_shape(self) -> Any:
        return tf.broadcast_static_shape(
            tf.broadcast_static_shape(self.df.get_shape(), self.loc.get_shape()),
            self.scale.get_shape())

    def _event_shape_tensor(self) -> Any:
        return tf.constant([], dtype=dtypes.int32)

    def _event_shape(self) -> Any:
        return tf.TensorShape([])

    def _sample_n(self, n: Any, seed: int | None = None) -> Any:
        shape = tf.concat([[n], self.batch_shape_tensor()], 0)
        normal_sample = tf.random_normal(shape, dtype=self.dtype, seed=seed)
        df = self.df * tf.ones(self.batch_shape_tensor(), dtype=self.dtype)
        gamma_sample = tf.random_gamma(
            [n], 0.5 * df, beta=0.5, dtype=self.dtype,
            seed=distribution_util.gen_new_seed(seed, salt="student_t"))
        samples = normal_sample * tf.rsqrt(gamma_sample / df)
        return samples * self.scale + self.loc

    def _log_prob(self, x: Any) -> Any:
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _log_unnormalized_prob(self, x: Any) -> Any:
        y = (x - self.loc) / self.scale
        return -0.5 * (self.df + 1.0) * tf.log1p(y ** 2.0 / self.df)

    def _log_normalization(self) -> Any:
        return (tf.log(tf.abs(self.scale)) + 0.5 * tf.log(self.df) + 0.5 * np.log(np.pi)
                + tf.lgamma(0.5 * self.df) - tf.lgamma(0.5 * (self.df + 1.0)))

    def _cdf(self, x: Any) -> Any:
        y = (x - self.loc) / tf.abs(self.scale)
        x_t = self.df / (y ** 2.0 + self.df)
        neg_cdf = 0.5 * tf.betainc(0.5 * self.df, 0.5, x_t)
        return tf.where_v2(tf.less(y, 0.0), neg_cdf, 1.0 - neg_cdf)

    def _entropy(self) -> Any:
        v = tf.ones(self.batch_shape_tensor(), dtype=self.dtype)[..., tf.newaxis]
        u = v * self.df[..., tf.newaxis]
        beta_arg = tf.concat([u, v], -1) / 2.0
        return (tf.log(tf.abs(self.scale)) + 0.5 * tf.log(self.df) + tf.lbeta(beta_arg)
                + 0.5 * (self.df + 1.0) * (tf.digamma(0.5 * (self.df + 1.0))
                                           - tf.digamma(0.5 * self.df)))

    def _nan(self) -> Any:
        return np.array(np.nan, dtype=self.dtype.as_numpy_dtype())

    def _mean(self) -> Any:
        mean = self.loc * tf.ones(self.batch_shape_tensor(), dtype=self.dtype)
        if self.allow_nan_stats:
            return tf.where_v2(
                tf.greater(self.df, tf.ones(self.batch_shape_tensor(), dtype=self.dtype)),
                mean, tf.fill(self.batch_shape_tensor(), self._nan(), name="nan"))
        return tf.with_dependencies([tf.assert_less(
            tf.ones([], dtype=self.dtype), self.df,
            message="mean not defined for components of df <= 1")], mean)

    def _variance(self) -> Any:
        denom = tf.where_v2(tf.greater(self.df, 2.0), self.df - 2.0, tf.ones_like(self.df))
        var = (tf.ones(self.batch_shape_tensor(), dtype=self.dtype) * tf.square(self.scale)
               * self.df / denom)
        inf = np.array(np.inf, dtype=self.dtype.as_numpy_dtype())
        result_where_defined = tf.where_v2(
            self.df > tf.fill(self.batch_shape_tensor(), 2.0), var,
            tf.fill(self.batch_shape_tensor(), inf, name="inf"))
        if self.allow_nan_stats:
            return tf.where_v2(
                tf.greater(self.df, tf.ones(self.batch_shape_tensor(), dtype=self.dtype)),
                result_where_defined, tf.fill(self.batch_shape_tensor(), self._nan(),
                                              name="nan"))
        return tf.with_dependencies([tf.assert_less(
            tf.ones([], dtype=self.dtype), self.df,
            message="variance not defined for components of df <= 1")], result_where_defined)

    def _mode(self) -> Any:
        return tf.identity(self.loc)


class Uniform(distribution.Distribution):
    """``tf.distributions.Uniform(low=0., high=1.)``: samples ``low + (high - low) * U``
    (reparameterized)."""

    def __init__(self, low: Any = 0.0, high: Any = 1.0, validate_args: bool = False,
                 allow_nan_stats: bool = True, name: str = "Uniform") -> None:
        parameters = dict(locals())
        with tf.name_scope(name, values=[low, high]) as scope, tf.control_dependencies(
                [tf.assert_less(
                    low, high, message="uniform not defined when low >= high.")]
                    if validate_args else []):
            self._low = tf.identity(low, name="low")
            self._high = tf.identity(high, name="high")
            tf.assert_same_float_dtype([self._low, self._high])
        super().__init__(dtype=self._low.dtype,
                         reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters, graph_parents=[self._low, self._high],
                         name=scope)

    @staticmethod
    def _param_shapes(sample_shape: Any) -> dict[str, Any]:
        return _int32_shapes(("low", "high"), sample_shape)

    @property
    def low(self) -> Any:
        return self._low

    @property
    def high(self) -> Any:
        return self._high

    def range(self, name: str = "range") -> Any:
        """``high - low``."""
        with self._name_scope(name):
            return self.high - self.low

    def _batch_shape_tensor(self) -> Any:
        return tf.broadcast_dynamic_shape(tf.shape(self.low), tf.shape(self.high))

    def _batch_shape(self) -> Any:
        return tf.broadcast_static_shape(self.low.get_shape(), self.high.get_shape())

    def _event_shape_tensor(self) -> Any:
        return tf.constant([], dtype=dtypes.int32)

    def _event_shape(self) -> Any:
        return tf.TensorShape([])

    def _sample_n(self, n: Any, seed: int | None = None) -> Any:
        shape = tf.concat([[n], self.batch_shape_tensor()], 0)
        samples = tf.random_uniform(shape=shape, dtype=self.dtype, seed=seed)
        return self.low + self.range() * samples

    def _prob(self, x: Any) -> Any:
        broadcasted_x = x * tf.ones(self.batch_shape_tensor(), dtype=x.dtype)
        return tf.where_v2(
            tf.is_nan(broadcasted_x), broadcasted_x,
            tf.where_v2(tf.logical_or(broadcasted_x < self.low, broadcasted_x >= self.high),
                        tf.zeros_like(broadcasted_x),
                        tf.ones_like(broadcasted_x) / self.range()))

    def _cdf(self, x: Any) -> Any:
        broadcast_shape = tf.broadcast_dynamic_shape(tf.shape(x), self.batch_shape_tensor())
        zeros = tf.zeros(broadcast_shape, dtype=self.dtype)
        ones = tf.ones(broadcast_shape, dtype=self.dtype)
        broadcasted_x = x * ones
        result_if_not_big = tf.where_v2(x < self.low, zeros,
                                        (broadcasted_x - self.low) / self.range())
        return tf.where_v2(x >= self.high, ones, result_if_not_big)

    def _entropy(self) -> Any:
        return tf.log(self.range())

    def _mean(self) -> Any:
        return (self.low + self.high) / 2.0

    def _variance(self) -> Any:
        return tf.square(self.range()) / 12.0

    def _stddev(self) -> Any:
        return self.range() / math.sqrt(12.0)
