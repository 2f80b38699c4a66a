"""``tf.distributions.Distribution`` (TF's distribution.py): the public methods open the
distribution's name scope and a method scope, convert the value, and call the subclass's
``_method``, falling back as TF does (log_prob from prob and back, stddev from variance ...);
``sample`` flattens the sample shape to ``n``, draws ``_sample_n(n)`` and reshapes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from varstore import dtypes
from varstore.distributions import kullback_leibler
from varstore.distributions import util as distribution_util
from varstore.distributions._tf import tf

__all__ = ["FULLY_REPARAMETERIZED", "NOT_REPARAMETERIZED", "Distribution",
           "ReparameterizationType"]


class ReparameterizationType:
    """Whether samples are differentiable in the parameters: the two instances
    FULLY_REPARAMETERIZED and NOT_REPARAMETERIZED, compared by identity."""

    def __init__(self, rep_type: str) -> None:
        self._rep_type = rep_type

    def __repr__(self) -> str:
        return f"<Reparameterization Type: {self._rep_type}>"

    def __eq__(self, other: object) -> bool:
        return self is other

    __hash__ = object.__hash__


FULLY_REPARAMETERIZED = ReparameterizationType("FULLY_REPARAMETERIZED")
NOT_REPARAMETERIZED = ReparameterizationType("NOT_REPARAMETERIZED")


def _convert_to_tensor(value: Any, name: str | None = None, preferred_dtype: Any = None) -> Any:
    return tf.convert_to_tensor(value, name=name, preferred_dtype=preferred_dtype)


class Distribution:
    """A batch of probability distributions over ``event_shape`` values."""

    def __init__(self, dtype: Any, reparameterization_type: ReparameterizationType,
                 validate_args: bool, allow_nan_stats: bool,
                 parameters: dict[str, Any] | None = None, graph_parents: Any = None,
                 name: str | None = None) -> None:
        graph_parents = [] if graph_parents is None else graph_parents
        for i, t in enumerate(graph_parents):
            if t is None or not tf.is_tensor(t):
                raise ValueError(f"Graph parent item {i} is not a Tensor; {t}.")
        if not name or name[-1] != "/":  # not a name_scope's name: make it unique
            with tf.name_scope(name or type(self).__name__) as scope:
                name = scope
        self._dtype = dtype
        self._reparameterization_type = reparameterization_type
        self._allow_nan_stats = allow_nan_stats
        self._validate_args = validate_args
        self._parameters = parameters or {}
        self._graph_parents = list(graph_parents)
        self._name = name

    @property
    def _parameters(self) -> dict[str, Any]:
        return self._parameter_dict

    @_parameters.setter
    def _parameters(self, value: dict[str, Any]) -> None:
        value.pop("self", None)
        value.pop("__class__", None)
        self._parameter_dict = value

    @classmethod
    def param_shapes(cls, sample_shape: Any, name: str = "DistributionParamShapes") -> Any:
        with tf.name_scope(name, values=[sample_shape]):
            return cls._param_shapes(sample_shape)

    @classmethod
    def param_static_shapes(cls, sample_shape: Any) -> dict[str, Any]:
        if isinstance(sample_shape, tf.TensorShape):
            if not sample_shape.is_fully_defined():
                raise ValueError("TensorShape sample_shape must be fully defined")
            sample_shape = sample_shape.as_list()
        params = cls.param_shapes(sample_shape)
        static_params = {}
        for name, shape in params.items():
            static_shape = tf.get_static_value(shape)
            if static_shape is None:
                raise ValueError("sample_shape must be a fully-defined TensorShape or "
                                 "list/tuple")
            static_params[name] = tf.TensorShape(static_shape)
        return static_params

    @staticmethod
    def _param_shapes(sample_shape: Any) -> Any:
        raise NotImplementedError("_param_shapes not implemented")

    @property
    def name(self) -> str:
        return self._name

    @property
    def dtype(self) -> Any:
        return self._dtype

    @property
    def parameters(self) -> dict[str, Any]:
        return {k: v for k, v in self._parameters.items()
                if not k.startswith("__") and k != "self"}

    @property
    def reparameterization_type(self) -> ReparameterizationType:
        return self._reparameterization_type

    @property
    def allow_nan_stats(self) -> bool:
        return self._allow_nan_stats

    @property
    def validate_args(self) -> bool:
        return self._validate_args

    def copy(self, **override_parameters_kwargs: Any) -> Distribution:
        parameters = dict(self.parameters, **override_parameters_kwargs)
        return type(self)(**parameters)

    def _not_implemented(self, what: str) -> NotImplementedError:
        return NotImplementedError(f"{what} is not implemented: {type(self).__name__}")

    # -- shapes -----------------------------------------------------------------------------
    def _batch_shape_tensor(self) -> Any:
        raise self._not_implemented("batch_shape_tensor")

    def batch_shape_tensor(self, name: str = "batch_shape_tensor") -> Any:
        with self._name_scope(name):
            if self.batch_shape.is_fully_defined():
                return tf.convert_to_tensor(self.batch_shape.as_list(), dtype=dtypes.int32,
                                            name="batch_shape")
            return self._batch_shape_tensor()

    def _batch_shape(self) -> Any:
        return tf.TensorShape(None)

    @property
    def batch_shape(self) -> Any:
        return tf.TensorShape(self._batch_shape())

    def _event_shape_tensor(self) -> Any:
        raise self._not_implemented("event_shape_tensor")

    def event_shape_tensor(self, name: str = "event_shape_tensor") -> Any:
        with self._name_scope(name):
            if self.event_shape.is_fully_defined():
                return tf.convert_to_tensor(self.event_shape.as_list(), dtype=dtypes.int32,
                                            name="event_shape")
            return self._event_shape_tensor()

    def _event_shape(self) -> Any:
        return tf.TensorShape(None)

    @property
    def event_shape(self) -> Any:
        return tf.TensorShape(self._event_shape())

    def is_scalar_event(self, name: str = "is_scalar_event") -> Any:
        with self._name_scope(name):
            return tf.convert_to_tensor(
                self._is_scalar_helper(self.event_shape, self.event_shape_tensor),
                name="is_scalar_event")

    def is_scalar_batch(self, name: str = "is_scalar_batch") -> Any:
        with self._name_scope(name):
            return tf.convert_to_tensor(
                self._is_scalar_helper(self.batch_shape, self.batch_shape_tensor),
                name="is_scalar_batch")

    # -- sampling ---------------------------------------------------------------------------
    def _sample_n(self, n: Any, seed: int | None = None) -> Any:
        raise self._not_implemented("sample_n")

    def _call_sample_n(self, sample_shape: Any, seed: int | None, name: str,
                       **kwargs: Any) -> Any:
        with self._name_scope(name, values=[sample_shape]):
            sample_shape = tf.convert_to_tensor(sample_shape, dtype=dtypes.int32,
                                                name="sample_shape")
            sample_shape, n = self._expand_sample_shape_to_vector(sample_shape, "sample_shape")
            samples = self._sample_n(n, seed, **kwargs)
            batch_event_shape = tf.shape(samples)[1:]
            final_shape = tf.concat([sample_shape, batch_event_shape], 0)
            samples = tf.reshape(samples, final_shape)
            return self._set_sample_static_shape(samples, sample_shape)

    def sample(self, sample_shape: Any = (), seed: int | None = None,
               name: str = "sample") -> Any:
        return self._call_sample_n(sample_shape, seed, name)

    # -- densities and distribution functions ----------------------------------------------
    def _call(self, name: str, value: Any, first: str, fallback: str, wrap: Any) -> Any:
        """TF's _call_<method>: ``first(value)``, else ``wrap(fallback(value))``; the first
        method's NotImplementedError when neither exists."""
        with self._name_scope(name, values=[value]):
            value = _convert_to_tensor(value, name="value", preferred_dtype=self.dtype)
            try:
                return getattr(self, first)(value)
            except NotImplementedError as original_exception:
                try:
                    return wrap(getattr(self, fallback)(value))
                except NotImplementedError:
                    raise original_exception from None

    def _log_prob(self, value: Any) -> Any:
        raise self._not_implemented("log_prob")

    def log_prob(self, value: Any, name: str = "log_prob") -> Any:
        return self._call(name, value, "_log_prob", "_prob", tf.log)

    def _prob(self, value: Any) -> Any:
        raise self._not_implemented("prob")

    def prob(self, value: Any, name: str = "prob") -> Any:
        return self._call(name, value, "_prob", "_log_prob", tf.exp)

    def _log_cdf(self, value: Any) -> Any:
        raise self._not_implemented("log_cdf")

    def log_cdf(self, value: Any, name: str = "log_cdf") -> Any:
        return self._call(name, value, "_log_cdf", "_cdf", tf.log)

    def _cdf(self, value: Any) -> Any:
        raise self._not_implemented("cdf")

    def cdf(self, value: Any, name: str = "cdf") -> Any:
        return self._call(name, value, "_cdf", "_log_cdf", tf.exp)

    def _log_survival_function(self, value: Any) -> Any:
        raise self._not_implemented("log_survival_function")

    def log_survival_function(self, value: Any, name: str = "log_survival_function") -> Any:
        # TF's fallback is log1p(-cdf), through the public cdf (its own scopes)
        return self._call(name, value, "_log_survival_function", "cdf",
                          lambda c: tf.log1p(-c))

    def _survival_function(self, value: Any) -> Any:
        raise self._not_implemented("survival_function")

    def survival_function(self, value: Any, name: str = "survival_function") -> Any:
        return self._call(name, value, "_survival_function", "cdf", lambda c: 1.0 - c)

    def _quantile(self, value: Any) -> Any:
        raise self._not_implemented("quantile")

    def quantile(self, value: Any, name: str = "quantile") -> Any:
        with self._name_scope(name, values=[value]):
            value = _convert_to_tensor(value, name="value", preferred_dtype=self.dtype)
            return self._quantile(value)

    # -- statistics -------------------------------------------------------------------------
    def _entropy(self) -> Any:
        raise self._not_implemented("entropy")

    def entropy(self, name: str = "entropy") -> Any:
        with self._name_scope(name):
            return self._entropy()

    def _mean(self) -> Any:
        raise self._not_implemented("mean")

    def mean(self, name: str = "mean") -> Any:
        with self._name_scope(name):
            return self._mean()

    def _variance(self) -> Any:
        raise self._not_implemented("variance")

    def variance(self, name: str = "variance") -> Any:
        with self._name_scope(name):
            try:
                return self._variance()
            except NotImplementedError as original_exception:
                try:
                    return tf.square(self._stddev())
                except NotImplementedError:
                    raise original_exception from None

    def _stddev(self) -> Any:
        raise self._not_implemented("stddev")

    def stddev(self, name: str = "stddev") -> Any:
        with self._name_scope(name):
            try:
                return self._stddev()
            except NotImplementedError as original_exception:
                try:
                    return tf.sqrt(self._variance())
                except NotImplementedError:
                    raise original_exception from None

    def _covariance(self) -> Any:
        raise self._not_implemented("covariance")

    def covariance(self, name: str = "covariance") -> Any:
        with self._name_scope(name):
            return self._covariance()

    def _mode(self) -> Any:
        raise self._not_implemented("mode")

    def mode(self, name: str = "mode") -> Any:
        with self._name_scope(name):
            return self._mode()

    def _cross_entropy(self, other: Distribution) -> Any:
        return kullback_leibler.cross_entropy(self, other, allow_nan_stats=self.allow_nan_stats)

    def cross_entropy(self, other: Distribution, name: str = "cross_entropy") -> Any:
        with self._name_scope(name):
            return self._cross_entropy(other)

    def _kl_divergence(self, other: Distribution) -> Any:
        return kullback_leibler.kl_divergence(self, other, allow_nan_stats=self.allow_nan_stats)

    def kl_divergence(self, other: Distribution, name: str = "kl_divergence") -> Any:
        with self._name_scope(name):
            return self._kl_divergence(other)

    def __str__(self) -> str:
        batch = (f", batch_shape={self.batch_shape}" if self.batch_shape.ndims is not None
                 else "")
        event = (f", event_shape={self.event_shape}" if self.event_shape.ndims is not None
                 else "")
        return (f'tfp.distributions.{type(self).__name__}("{self.name}"{batch}{event}, '
                f"dtype={self.dtype.name})")

    def __repr__(self) -> str:
        return (f"<tfp.distributions.{type(self).__name__} '{self.name}' "
                f"batch_shape={self.batch_shape} event_shape={self.event_shape} "
                f"dtype={self.dtype.name}>")

    @contextlib.contextmanager
    def _name_scope(self, name: str | None = None, values: Any = None) -> Iterator[str]:
        with tf.name_scope(self.name), tf.name_scope(
                name, values=([] if values is None else values) + self._graph_parents) as scope:
            yield scope

    def _expand_sample_shape_to_vector(self, x: Any, name: str) -> tuple[Any, Any]:
        """The sample shape as a vector and the number of samples it holds."""
        x_static_val = tf.get_static_value(x)
        if x_static_val is None:
            prod = tf.reduce_prod(x)
        else:
            prod = np.prod(x_static_val, dtype=x.dtype.as_numpy_dtype())
        ndims = x.get_shape().ndims
        if ndims is None:
            ndims = tf.rank(x)
            expanded_shape = distribution_util.pick_vector(
                tf.equal(ndims, 0), np.array([1], dtype=np.int32), tf.shape(x))
            x = tf.reshape(x, expanded_shape)
        elif ndims == 0:
            if x_static_val is not None:
                x = tf.convert_to_tensor(np.array([x_static_val],
                                                  dtype=x.dtype.as_numpy_dtype()), name=name)
            else:
                x = tf.reshape(x, [1])
        elif ndims != 1:
            raise ValueError("Input is neither scalar nor vector.")
        return x, prod

    def _set_sample_static_shape(self, x: Any, sample_shape: Any) -> Any:
        """Merges the static sample, batch and event shapes into the samples' shape."""
        sample_shape = tf.TensorShape(tf.get_static_value(sample_shape))
        ndims = x.get_shape().ndims
        sample_ndims = sample_shape.ndims
        batch_ndims = self.batch_shape.ndims
        event_ndims = self.event_shape.ndims
        if (ndims is None and sample_ndims is not None and batch_ndims is not None
                and event_ndims is not None):
            ndims = sample_ndims + batch_ndims + event_ndims
            x.set_shape([None] * ndims)
        if ndims is not None and sample_ndims is not None:
            shape = sample_shape.concatenate([None] * (ndims - sample_ndims))
            x.set_shape(x.get_shape().merge_with(shape))
        if ndims is not None and event_ndims is not None:
            shape = tf.TensorShape([None] * (ndims - event_ndims)).concatenate(self.event_shape)
            x.set_shape(x.get_shape().merge_with(shape))
        if batch_ndims is not None:
            if ndims is not None:
                if sample_ndims is None and event_ndims is not None:
                    sample_ndims = ndims - batch_ndims - event_ndims
                elif event_ndims is None and sample_ndims is not None:
                    event_ndims = ndims - batch_ndims - sample_ndims
            if sample_ndims is not None and event_ndims is not None:
                shape = tf.TensorShape([None] * sample_ndims).concatenate(
                    self.batch_shape).concatenate([None] * event_ndims)
                x.set_shape(x.get_shape().merge_with(shape))
        return x

    def _is_scalar_helper(self, static_shape: Any, dynamic_shape_fn: Any) -> Any:
        if static_shape.ndims is not None:
            return static_shape.ndims == 0
        shape = dynamic_shape_fn()
        if (shape.get_shape().ndims is not None
                and tf.dimension_value(shape.get_shape()[0]) is not None):
            return shape.get_shape().as_list() == [0]
        return tf.equal(tf.shape(shape)[0], 0)
