"""The discrete distributions over logits or probs: Bernoulli, Categorical and Multinomial
(TF's bernoulli.py, categorical.py, multinomial.py), with their KLs. Their samples are not
reparameterized."""

from __future__ import annotations

from typing import Any

from varstore import dtypes
from varstore.distributions import distribution, kullback_leibler
from varstore.distributions import util as distribution_util
from varstore.distributions._tf import tf

__all__ = ["Bernoulli", "Categorical", "Multinomial"]


class Bernoulli(distribution.Distribution):
    """``tf.distributions.Bernoulli(logits=None, probs=None, dtype=tf.int32)``."""

    def __init__(self, logits: Any = None, probs: Any = None, dtype: Any = dtypes.int32,
                 validate_args: bool = False, allow_nan_stats: bool = True,
                 name: str = "Bernoulli") -> None:
        parameters = dict(locals())
        with tf.name_scope(name) as scope:
            self._logits, self._probs = distribution_util.get_logits_and_probs(
                logits=logits, probs=probs, validate_args=validate_args, name=scope)
        super().__init__(dtype=dtype, reparameterization_type=distribution.NOT_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters, graph_parents=[self._logits, self._probs],
                         name=scope)

    @staticmethod
    def _param_shapes(sample_shape: Any) -> dict[str, Any]:
        return {"logits": tf.convert_to_tensor(sample_shape, dtype=dtypes.int32)}

    @property
    def logits(self) -> Any:
        return self._logits

    @property
    def probs(self) -> Any:
        return self._probs

    def _batch_shape_tensor(self) -> Any:
        return tf.shape(self._logits)

    def _batch_shape(self) -> Any:
        return self._logits.get_shape()

    def _event_shape_tensor(self) -> Any:
        return tf.constant([], dtype=dtypes.int32)

    def _event_shape(self) -> Any:
        return tf.TensorShape([])

    def _sample_n(self, n: Any, seed: int | None = None) -> Any:
        new_shape = tf.concat([[n], self.batch_shape_tensor()], 0)
        uniform = tf.random_uniform(new_shape, seed=seed, dtype=self.probs.dtype)
        sample = tf.less(uniform, self.probs)
        return tf.cast(sample, self.dtype)

    def _log_prob(self, event: Any) -> Any:
        if self.validate_args:
            event = distribution_util.embed_check_integer_casting_closed(
                event, target_dtype=dtypes.bool)
        event = tf.cast(event, self.logits.dtype)
        logits = self.logits
        if not (event.get_shape().is_fully_defined() and logits.get_shape().is_fully_defined()
                and event.get_shape() == logits.get_shape()):
            logits, event = (tf.ones_like(event) * logits, tf.ones_like(logits) * event)
        return -tf.nn.sigmoid_cross_entropy_with_logits(labels=event, logits=logits)

    def _entropy(self) -> Any:
        return (-self.logits * (tf.sigmoid(self.logits) - 1)
                + tf.nn.softplus(-self.logits))

    def _mean(self) -> Any:
        return tf.identity(self.probs)

    def _variance(self) -> Any:
        return self._mean() * (1.0 - self.probs)

    def _mode(self) -> Any:
        return tf.cast(self.probs > 0.5, self.dtype)


@kullback_leibler.RegisterKL(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(a: Bernoulli, b: Bernoulli, name: str | None = None) -> Any:
    with tf.name_scope(name, "kl_bernoulli_bernoulli", values=[a.logits, b.logits]):
        delta_probs0 = tf.nn.softplus(-b.logits) - tf.nn.softplus(-a.logits)
        delta_probs1 = tf.nn.softplus(b.logits) - tf.nn.softplus(a.logits)
        return tf.sigmoid(a.logits) * delta_probs0 + tf.sigmoid(-a.logits) * delta_probs1


def _broadcast_cat_event_and_params(event: Any, params: Any, base_dtype: Any
                                    ) -> tuple[Any, Any]:
    """The event and the parameters broadcast against each other (the event as integers)."""
    if event.dtype.is_integer:
        pass
    elif event.dtype.is_floating:
        event = tf.cast(event, dtype=dtypes.int32)
    else:
        raise TypeError(f"`value` should have integer `dtype` or `self.dtype` ({base_dtype})")
    shape_known_statically = (params.shape.ndims is not None
                              and params.shape[:-1].is_fully_defined()
                              and event.shape.is_fully_defined())
    if not shape_known_statically or params.shape[:-1] != event.shape:
        params *= tf.ones_like(event[..., tf.newaxis], dtype=params.dtype)
        params_shape = tf.shape(params)[:-1]
        event *= tf.ones(params_shape, dtype=event.dtype)
        if params.shape.ndims is not None:
            event.set_shape(tf.TensorShape(params.shape[:-1]))
    return event, params


class Categorical(distribution.Distribution):
    """``tf.distributions.Categorical(logits=None, probs=None, dtype=tf.int32)``: classes
    0 ... K-1 over the last axis; samples through tf.multinomial."""

    def __init__(self, logits: Any = None, probs: Any = None, dtype: Any = dtypes.int32,
                 validate_args: bool = False, allow_nan_stats: bool = True,
                 name: str = "Categorical") -> None:
        parameters = dict(locals())
        with tf.name_scope(name, values=[logits, probs]) as scope:
            self._logits, self._probs = distribution_util.get_logits_and_probs(
                logits=logits, probs=probs, validate_args=validate_args,
                multidimensional=True, name=scope)
            if validate_args:
                self._logits = distribution_util.embed_check_categorical_event_shape(
                    self._logits)
            logits_shape_static = self._logits.get_shape().with_rank_at_least(1)
            if logits_shape_static.ndims is not None:
                self._batch_rank = tf.convert_to_tensor(logits_shape_static.ndims - 1,
                                                        dtype=dtypes.int32, name="batch_rank")
            else:
                with tf.name_scope(name="batch_rank"):
                    self._batch_rank = tf.rank(self._logits) - 1
            logits_shape = tf.shape(self._logits, name="logits_shape")
            if tf.dimension_value(logits_shape_static[-1]) is not None:
                self._event_size = tf.convert_to_tensor(tf.dimension_value(logits_shape_static[-1]),
                                                        dtype=dtypes.int32, name="event_size")
            else:
                with tf.name_scope(name="event_size"):
                    self._event_size = logits_shape[self._batch_rank]
            if logits_shape_static[:-1].is_fully_defined():
                self._batch_shape_val = tf.constant(logits_shape_static[:-1].as_list(),
                                                    dtype=dtypes.int32, name="batch_shape")
            else:
                with tf.name_scope(name="batch_shape"):
                    self._batch_shape_val = logits_shape[:-1]
        super().__init__(dtype=dtype, reparameterization_type=distribution.NOT_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters, graph_parents=[self._logits, self._probs],
                         name=scope)

    @property
    def event_size(self) -> Any:
        return self._event_size

    @property
    def logits(self) -> Any:
        return self._logits

    @property
    def probs(self) -> Any:
        return self._probs

    def _batch_shape_tensor(self) -> Any:
        return tf.identity(self._batch_shape_val)

    def _batch_shape(self) -> Any:
        return self.logits.get_shape()[:-1]

    def _event_shape_tensor(self) -> Any:
        return tf.constant([], dtype=dtypes.int32)

    def _event_shape(self) -> Any:
        return tf.TensorShape([])

    def _sample_n(self, n: Any, seed: int | None = None) -> Any:
        if self.logits.get_shape().ndims == 2:
            logits_2d = self.logits
        else:
            logits_2d = tf.reshape(self.logits, [-1, self.event_size])
        sample_dtype = dtypes.int64 if self.dtype.size > 4 else dtypes.int32
        draws = tf.multinomial(logits_2d, n, seed=seed, output_dtype=sample_dtype)
        draws = tf.reshape(tf.transpose(draws), tf.concat([[n], self.batch_shape_tensor()], 0))
        return tf.cast(draws, self.dtype)

    def _cdf(self, k: Any) -> Any:
        k = tf.convert_to_tensor(k, name="k")
        if self.validate_args:
            k = distribution_util.embed_check_integer_casting_closed(
                k, target_dtype=dtypes.int32)
        k, probs = _broadcast_cat_event_and_params(k, self.probs,
                                                   base_dtype=self.dtype.base_dtype)
        batch_flattened_probs = tf.reshape(probs, (-1, self._event_size))
        batch_flattened_k = tf.reshape(k, [-1])
        to_sum_over = tf.where(tf.sequence_mask(batch_flattened_k, self._event_size),
                               batch_flattened_probs, tf.zeros_like(batch_flattened_probs))
        batch_flattened_cdf = tf.reduce_sum(to_sum_over, axis=-1)
        return tf.reshape(batch_flattened_cdf, tf.shape(k))

    def _log_prob(self, k: Any) -> Any:
        k = tf.convert_to_tensor(k, name="k")
        if self.validate_args:
            k = distribution_util.embed_check_integer_casting_closed(
                k, target_dtype=dtypes.int32)
        k, logits = _broadcast_cat_event_and_params(k, self.logits,
                                                    base_dtype=self.dtype.base_dtype)
        return -tf.nn.sparse_softmax_cross_entropy_with_logits(labels=k, logits=logits)

    def _entropy(self) -> Any:
        return -tf.reduce_sum(tf.nn.log_softmax(self.logits) * self.probs, axis=-1)

    def _mode(self) -> Any:
        ret = tf.argmax(self.logits, axis=self._batch_rank)
        ret = tf.cast(ret, self.dtype)
        ret.set_shape(self.batch_shape)
        return ret


@kullback_leibler.RegisterKL(Categorical, Categorical)
def _kl_categorical_categorical(a: Categorical, b: Categorical,
                                name: str | None = None) -> Any:
    with tf.name_scope(name, "kl_categorical_categorical", values=[a.logits, b.logits]):
        delta_log_probs1 = tf.nn.log_softmax(a.logits) - tf.nn.log_softmax(b.logits)
        return tf.reduce_sum(tf.nn.softmax(a.logits) * delta_log_probs1, axis=-1)


class Multinomial(distribution.Distribution):
    """``tf.distributions.Multinomial(total_count, logits=None, probs=None)``: class counts of
    ``total_count`` categorical draws; samples by a tf.map_fn of tf.multinomial per batch
    member."""

    def __init__(self, total_count: Any, logits: Any = None, probs: Any = None,
                 validate_args: bool = False, allow_nan_stats: bool = True,
                 name: str = "Multinomial") -> None:
        parameters = dict(locals())
        with tf.name_scope(name, values=[total_count, logits, probs]) as scope:
            self._total_count = tf.convert_to_tensor(total_count, name="total_count")
            if validate_args:
                self._total_count = distribution_util.embed_check_nonnegative_integer_form(
                    self._total_count)
            self._logits, self._probs = distribution_util.get_logits_and_probs(
                logits=logits, probs=probs, multidimensional=True,
                validate_args=validate_args, name=scope)
            self._mean_val = self._total_count[..., tf.newaxis] * self._probs
        super().__init__(dtype=self._probs.dtype,
                         reparameterization_type=distribution.NOT_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats,
                         parameters=parameters,
                         graph_parents=[self._total_count, self._logits, self._probs],
                         name=scope)

    @property
    def total_count(self) -> Any:
        return self._total_count

    @property
    def logits(self) -> Any:
        return self._logits

    @property
    def probs(self) -> Any:
        return self._probs

    def _batch_shape_tensor(self) -> Any:
        return tf.shape(self._mean_val)[:-1]

    def _batch_shape(self) -> Any:
        return self._mean_val.get_shape().with_rank_at_least(1)[:-1]

    def _event_shape_tensor(self) -> Any:
        return tf.shape(self._mean_val)[-1:]

    def _event_shape(self) -> Any:
        return self._mean_val.get_shape().with_rank_at_least(1)[-1:]

    def _sample_n(self, n: Any, seed: int | None = None) -> Any:
        n_draws = tf.cast(self.total_count, dtype=dtypes.int32)
        k = self.event_shape_tensor()[0]
        n_draws = tf.ones_like(self.logits[..., 0], dtype=n_draws.dtype) * n_draws
        logits = tf.ones_like(n_draws[..., tf.newaxis], dtype=self.logits.dtype) * self.logits
        flat_logits = tf.reshape(logits, [-1, k])
        flat_ndraws = n * tf.reshape(n_draws, [-1])

        def _sample_single(args: Any) -> Any:
            logits, n_draw = args[0], args[1]
            x = tf.multinomial(logits[tf.newaxis, ...], n_draw, seed)
            x = tf.reshape(x, shape=[n, -1])
            return tf.reduce_sum(tf.one_hot(x, depth=k), axis=-2)

        x = tf.map_fn(_sample_single, [flat_logits, flat_ndraws], dtype=self.dtype)
        x = tf.transpose(x, perm=[1, 0, 2])
        final_shape = tf.concat([[n], self.batch_shape_tensor(), [k]], 0)
        return tf.reshape(x, final_shape)

    def _log_prob(self, counts: Any) -> Any:
        return self._log_unnormalized_prob(counts) - self._log_normalization(counts)

    def _log_unnormalized_prob(self, counts: Any) -> Any:
        counts = self._maybe_assert_valid_sample(counts)
        return tf.reduce_sum(counts * tf.nn.log_softmax(self.logits), -1)

    def _log_normalization(self, counts: Any) -> Any:
        counts = self._maybe_assert_valid_sample(counts)
        return -distribution_util.log_combinations(self.total_count, counts)

    def _mean(self) -> Any:
        return tf.identity(self._mean_val)

    def _covariance(self) -> Any:
        p = self.probs * tf.ones_like(self.total_count)[..., tf.newaxis]
        return tf.matrix_set_diag(-tf.matmul(self._mean_val[..., tf.newaxis],
                                             p[..., tf.newaxis, :]), self._variance())

    def _variance(self) -> Any:
        p = self.probs * tf.ones_like(self.total_count)[..., tf.newaxis]
        return self._mean_val - self._mean_val * p

    def _maybe_assert_valid_sample(self, counts: Any) -> Any:
        if not self.validate_args:
            return counts
        counts = distribution_util.embed_check_nonnegative_integer_form(counts)
        return tf.with_dependencies([tf.assert_equal(
            self.total_count, tf.reduce_sum(counts, -1),
            message="counts must sum to `self.total_count`")], counts)
