"""TF's distribution_util helpers the distributions use (tensorflow/python/ops/distributions/
util.py): parameter conversion, the embedded argument checks and seeds for second samplers."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from varstore import dtypes
from varstore.distributions._tf import tf

__all__ = [
    "assert_integer_form",
    "embed_check_categorical_event_shape",
    "embed_check_integer_casting_closed",
    "embed_check_nonnegative_integer_form",
    "gen_new_seed",
    "get_logits_and_probs",
    "log_combinations",
    "pick_vector",
]


def assert_integer_form(x: Any, data: Any = None, summarize: int | None = None,
                        message: str | None = None, int_dtype: Any = None,
                        name: str = "assert_integer_form") -> Any:
    """Asserts that ``x`` equals itself cast to an integer type and back."""
    with tf.name_scope(name, values=[x, data]):
        x = tf.convert_to_tensor(x, name="x")
        if x.dtype.is_integer:
            return tf.no_op()
        message = message or f"{x} has non-integer components"
        if int_dtype is None:
            try:
                int_dtype = {dtypes.float16: dtypes.int16, dtypes.float32: dtypes.int32,
                             dtypes.float64: dtypes.int64}[x.dtype.base_dtype]
            except KeyError:
                raise TypeError(f"Unrecognized type {x.dtype.name}") from None
        return tf.assert_equal(x, tf.cast(tf.cast(x, int_dtype), x.dtype), data=data,
                               summarize=summarize, message=message, name=name)


def embed_check_nonnegative_integer_form(
        x: Any, name: str = "embed_check_nonnegative_integer_form") -> Any:
    """``x`` behind assertions that it is non-negative and integer-valued."""
    with tf.name_scope(name, values=[x]):
        x = tf.convert_to_tensor(x, name="x")
        assertions = [tf.assert_non_negative(x, message=f"'{x}' must be non-negative.")]
        if not x.dtype.is_integer:
            assertions += [assert_integer_form(
                x, message=f"'{x}' cannot contain fractional components.")]
        return tf.with_dependencies(assertions, x)


def get_logits_and_probs(logits: Any = None, probs: Any = None, multidimensional: bool = False,
                         validate_args: bool = False, name: str = "get_logits_and_probs",
                         dtype: Any = None) -> tuple[Any, Any]:
    """(logits, probs) from exactly one of them: sigmoid / softmax one way, log-odds / log the
    other."""
    with tf.name_scope(name, values=[probs, logits]):
        if (probs is None) == (logits is None):
            raise ValueError("Must pass probs or logits, but not both.")
        if probs is None:
            logits = tf.convert_to_tensor(logits, name="logits", dtype=dtype)
            if not logits.dtype.is_floating:
                raise TypeError("logits must having floating type.")
            if multidimensional:
                if validate_args:
                    logits = embed_check_categorical_event_shape(logits)
                return logits, tf.nn.softmax(logits, name="probs")
            return logits, tf.sigmoid(logits, name="probs")
        probs = tf.convert_to_tensor(probs, name="probs", dtype=dtype)
        if not probs.dtype.is_floating:
            raise TypeError("probs must having floating type.")
        if validate_args:
            with tf.name_scope("validate_probs"):
                one = tf.constant(1.0, probs.dtype)
                dependencies = [tf.assert_non_negative(probs)]
                if multidimensional:
                    probs = embed_check_categorical_event_shape(probs)
                    dependencies += [tf.assert_near(tf.reduce_sum(probs, -1), one,
                                                    message="probs does not sum to 1.")]
                else:
                    dependencies += [tf.assert_less_equal(
                        probs, one, message="probs has components greater than 1.")]
                probs = tf.with_dependencies(dependencies, probs)
        with tf.name_scope("logits"):
            if multidimensional:
                return tf.log(probs), probs
            return tf.log(probs) - tf.log1p(-1.0 * probs), probs


def _is_known_unsigned_by_dtype(dt: Any) -> bool:
    return dt.base_dtype in (dtypes.bool, dtypes.uint8, dtypes.uint16)


def _is_known_signed_by_dtype(dt: Any) -> bool:
    return dt.base_dtype in (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int8,
                             dtypes.int16, dtypes.int32, dtypes.int64)


def _is_known_dtype(dt: Any) -> bool:
    return _is_known_unsigned_by_dtype(dt) or _is_known_signed_by_dtype(dt)


def _largest_integer_by_dtype(dt: Any) -> int:
    if not _is_known_dtype(dt):
        raise TypeError(f"Unrecognized dtype: {dt.name}")
    if dt.is_floating:
        return int(2 ** (np.finfo(dt.as_numpy_dtype).nmant + 1))
    if dt.is_integer:
        return int(np.iinfo(dt.as_numpy_dtype).max)
    if dt.base_dtype == dtypes.bool:
        return 1
    raise TypeError(f"Unrecognized dtype: {dt.name}")


def _smallest_integer_by_dtype(dt: Any) -> int:
    if not _is_known_dtype(dt):
        raise TypeError(f"Unrecognized dtype: {dt.name}")
    if _is_known_unsigned_by_dtype(dt):
        return 0
    return -1 * _largest_integer_by_dtype(dt)


def _is_integer_like_by_dtype(dt: Any) -> bool:
    if not _is_known_dtype(dt):
        raise TypeError(f"Unrecognized dtype: {dt.name}")
    return bool(dt.is_integer or dt.base_dtype == dtypes.bool)


def embed_check_categorical_event_shape(
        categorical_param: Any, name: str = "embed_check_categorical_event_shape") -> Any:
    """A categorical parameter with at least 2 events, no more than its dtype counts exactly."""
    with tf.name_scope(name, values=[categorical_param]):
        x = tf.convert_to_tensor(categorical_param, name="categorical_param")
        x_dtype = x.dtype.base_dtype
        max_event_size = _largest_integer_by_dtype(x_dtype) if x_dtype.is_floating else 0
        if max_event_size == 0:
            raise TypeError(f"Unable to validate size of unrecognized dtype ({x_dtype.name}).")
        try:
            x_shape_static = x.get_shape().with_rank_at_least(1)
        except ValueError:
            raise ValueError("A categorical-distribution parameter must have at least 1 "
                             "dimension.") from None
        if tf.dimension_value(x_shape_static[-1]) is not None:
            event_size = tf.dimension_value(x_shape_static[-1])
            if event_size < 2:
                raise ValueError("A categorical-distribution parameter must have at least 2 "
                                 "events.")
            if event_size > max_event_size:
                raise ValueError(f"Number of classes exceeds `dtype` precision, i.e., "
                                 f"{x_dtype.name} implies shape ({event_size}) cannot exceed "
                                 f"{max_event_size}.")
            return x
        event_size_t = tf.shape(x, name="x_shape")[-1]
        return tf.with_dependencies([
            tf.assert_rank_at_least(x, 1, message="A categorical-distribution parameter must "
                                    "have at least 1 dimension."),
            tf.assert_greater_equal(tf.shape(x)[-1], 2, message="A categorical-distribution "
                                    "parameter must have at least 2 events."),
            tf.assert_less_equal(event_size_t, max_event_size, message=(
                f"Number of classes exceeds `dtype` precision, i.e., {x_dtype.name} dtype "
                f"cannot exceed {max_event_size} shape.")),
        ], x)


def embed_check_integer_casting_closed(x: Any, target_dtype: Any, assert_nonnegative: bool = True,
                                       name: str = "embed_check_casting_closed") -> Any:
    """``x`` behind assertions that casting it to ``target_dtype`` loses nothing."""
    with tf.name_scope(name, values=[x]):
        x = tf.convert_to_tensor(x, name="x")
        if not _is_integer_like_by_dtype(x.dtype) and not x.dtype.is_floating:
            raise TypeError(f"{x.dtype.name}.dtype must be floating- or integer-type.")
        if not _is_integer_like_by_dtype(target_dtype) and not target_dtype.is_floating:
            raise TypeError(f"target_dtype ({target_dtype.name}) must be floating- or "
                            "integer-type.")
        if not _is_integer_like_by_dtype(x.dtype) and not _is_integer_like_by_dtype(target_dtype):
            raise TypeError(f"At least one of {x}.dtype ({x.dtype.name}) and target_dtype "
                            f"({target_dtype.name}) must be integer-type.")
        assertions = []
        if assert_nonnegative:
            assertions += [tf.assert_non_negative(x, message="Elements must be non-negative.")]
        if x.dtype.is_floating:
            assertions += [assert_integer_form(
                x, int_dtype=target_dtype,
                message=f"Elements must be {target_dtype.name}-equivalent.")]
        else:
            top = _largest_integer_by_dtype(target_dtype)
            if _largest_integer_by_dtype(x.dtype) > top:
                assertions += [tf.assert_less_equal(x, top,
                                                    message=f"Elements cannot exceed {top}.")]
            low = _smallest_integer_by_dtype(target_dtype)
            if not assert_nonnegative and _smallest_integer_by_dtype(x.dtype) < low:
                assertions += [tf.assert_greater_equal(
                    x, low, message=f"Elements cannot be smaller than {low}.")]
        if not assertions:
            return x
        return tf.with_dependencies(assertions, x)


def log_combinations(n: Any, counts: Any, name: str = "log_combinations") -> Any:
    """log(n! / prod(counts!)), over the last axis of ``counts``."""
    with tf.name_scope(name, values=[n, counts]):
        n = tf.convert_to_tensor(n, name="n")
        counts = tf.convert_to_tensor(counts, name="counts")
        total_permutations = tf.lgamma(n + 1)
        counts_factorial = tf.lgamma(counts + 1)
        redundant_permutations = tf.reduce_sum(counts_factorial, axis=[-1])
        return total_permutations - redundant_permutations


def pick_vector(cond: Any, true_vector: Any, false_vector: Any,
                name: str = "pick_vector") -> Any:
    """One of two vectors by a scalar condition, statically when it is a constant."""
    with tf.name_scope(name, values=(cond, true_vector, false_vector)):
        cond = tf.convert_to_tensor(cond, name="cond")
        if cond.dtype != dtypes.bool:
            raise TypeError(f"{cond}.dtype={cond.dtype} which is not {dtypes.bool}")
        static = tf.get_static_value(cond)
        if static is not None:
            return true_vector if static else false_vector
        true_vector = tf.convert_to_tensor(true_vector, name="true_vector")
        false_vector = tf.convert_to_tensor(false_vector, name="false_vector")
        if true_vector.dtype != false_vector.dtype:
            raise TypeError(f"{true_vector}.dtype={true_vector.dtype} does not match "
                            f"{false_vector}.dtype={false_vector.dtype}")
        n = tf.shape(true_vector)[0]
        return tf.slice(tf.concat([true_vector, false_vector], 0),
                        [tf.where_v2(cond, 0, n)], [tf.where(cond, n, -1)])


def gen_new_seed(seed: int | None, salt: str) -> int | None:
    """TF's seed for a distribution's second sampler: md5 of the seed and a salt."""
    if seed is None:
        return None
    string = (str(seed) + salt).encode("utf-8")
    return int(hashlib.md5(string).hexdigest()[:8], 16) & 0x7FFFFFFF
