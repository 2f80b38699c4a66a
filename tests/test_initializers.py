"""initializers: TF 2.21's op names, configs, argument errors, fans and the store hooks."""

from __future__ import annotations

import math

import numpy as np
import pytest

import varstore as tf
from varstore import dtypes
from varstore.ops import init_ops
from varstore.framework.graph import reset_default_graph


@pytest.fixture(autouse=True)
def _fresh_graph():
    reset_default_graph()
    yield
    reset_default_graph()


@pytest.mark.parametrize(
    ("make", "op_name", "op_type", "config"),
    [
        (lambda: tf.zeros_initializer(), "zeros", "Const", {"dtype": "float32"}),
        (lambda: tf.ones_initializer(), "ones", "Const", {"dtype": "float32"}),
        (lambda: tf.constant_initializer(3), "Const", "Const", {"value": 3, "dtype": "float32"}),
        (lambda: tf.random_normal_initializer(), "random_normal", "AddV2",
         {"mean": 0.0, "stddev": 1.0, "seed": None, "dtype": "float32"}),
        (lambda: tf.truncated_normal_initializer(), "truncated_normal", "AddV2",
         {"mean": 0.0, "stddev": 1.0, "seed": None, "dtype": "float32"}),
        (lambda: tf.random_uniform_initializer(), "random_uniform", "AddV2",
         {"minval": 0.0, "maxval": None, "seed": None, "dtype": "float32"}),
        (lambda: tf.glorot_uniform_initializer(), "random_uniform", "AddV2",
         {"seed": None, "dtype": "float32"}),
        (lambda: tf.glorot_normal_initializer(), "truncated_normal", "AddV2",
         {"seed": None, "dtype": "float32"}),
        (lambda: tf.variance_scaling_initializer(), "truncated_normal", "AddV2",
         {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal", "seed": None,
          "dtype": "float32"}),
        (lambda: tf.variance_scaling_initializer(distribution="uniform"), "random_uniform",
         "AddV2", {"scale": 1.0, "mode": "fan_in", "distribution": "uniform", "seed": None,
                   "dtype": "float32"}),
        (lambda: tf.variance_scaling_initializer(distribution="untruncated_normal"),
         "random_normal", "AddV2", {"scale": 1.0, "mode": "fan_in",
                                    "distribution": "untruncated_normal", "seed": None,
                                    "dtype": "float32"}),
    ],
    ids=["zeros", "ones", "constant", "random_normal", "truncated_normal", "random_uniform",
         "glorot_uniform", "glorot_normal", "variance_scaling", "vs-uniform", "vs-untruncated"],
)
def test_call_names_and_config(make, op_name, op_type, config):
    ini = make()
    assert ini.get_config() == config
    t = ini([2, 3])
    assert (t.op.name, t.op.type, t.shape.as_list(), t.dtype) == (op_name, op_type, [2, 3],
                                                                   dtypes.float32)
    t64 = ini([2], dtype=dtypes.float64)
    assert t64.dtype == dtypes.float64
    assert t64.op.name == op_name + "_1"
    arr = _vals(ini, [4, 5], dtypes.float32)
    assert arr.shape == (4, 5)
    assert arr.dtype == np.float32


def _vals(initializer, shape, dtype):  # its values, run without a session
    return np.asarray(initializer(shape, dtype=dtype))


def test_fill_hook():
    assert tf.zeros_initializer()._fill == 0.0
    assert tf.ones_initializer()._fill == 1.0
    assert tf.constant_initializer(2.5)._fill == 2.5
    assert tf.constant_initializer([1, 2])._fill is None
    assert tf.random_normal_initializer()._fill is None
    assert tf.glorot_uniform_initializer()._fill is None


def test_constant_initializer_values():
    np.testing.assert_array_equal(tf.constant_initializer([1, 2])([3]).numpy(), [1, 2, 2])
    np.testing.assert_array_equal(tf.constant_initializer([1, 2, 3, 4])([2, 2]).numpy(),
                                  [[1, 2], [3, 4]])
    np.testing.assert_array_equal(_vals(tf.constant_initializer(5), [2, 2], dtypes.int32),
                                  np.full((2, 2), 5, np.int32))
    np.testing.assert_array_equal(_vals(tf.constant_initializer([1, 2]), [3], dtypes.float32),
                                  [1, 2, 2])
    with pytest.raises(TypeError, match=r"^Invalid type for initial value=.* of type: object. Expected "
                       r"Python scalar, list or tuple of values, or numpy.ndarray.$"):
        tf.constant_initializer(object())
    with pytest.raises(TypeError, match=r"^Invalid type for initial value="):
        tf.constant_initializer(tf.constant(1.0))


def test_argument_errors():
    with pytest.raises(ValueError, match=r"^Argument `scale` must be a positive float. Received: 0$"):
        tf.variance_scaling_initializer(scale=0)
    with pytest.raises(ValueError, match=r"^Argument `mode` should be one of \('fan_in', 'fan_out', "
                       r"'fan_avg'\). Received: x$"):
        tf.variance_scaling_initializer(mode="x")
    with pytest.raises(ValueError, match=r"^Argument `distribution` should be one of \('normal', "
                       r"uniform', 'truncated_normal', 'untruncated_normal'\). Received: x$"):
        tf.variance_scaling_initializer(distribution="x")
    with pytest.raises(ValueError, match=r"^Argument `dtype` is expected to be floating point. "
                       r"Received: <dtype: 'int32'>.$"):
        tf.variance_scaling_initializer(dtype=dtypes.int32)
    with pytest.raises(ValueError, match=r"^Argument `dtype` is expected to be floating point."):
        tf.random_normal_initializer(dtype=dtypes.int32)
    # TF 2.21's GlorotUniform ignores its dtype argument.
    tf.glorot_uniform_initializer(dtype=dtypes.int32)
    with pytest.raises(TypeError, match=r"^Expected int32, but got 0.0 of type 'float'.$"):
        tf.random_normal_initializer()([2], dtype=dtypes.int32)
    with pytest.raises(ValueError, match=r"^Must specify maxval for integer dtype tf.int32$"):
        tf.random_uniform_initializer(dtype=dtypes.int32)([2])
    t = tf.random_uniform_initializer(0, 10, dtype=dtypes.int32)([2])
    assert (t.op.name, t.op.type) == ("random_uniform", "RandomUniformInt")
    assert tf.zeros_initializer()([2], dtype=dtypes.bool).dtype == dtypes.bool


@pytest.mark.parametrize(
    ("shape", "fans"),
    [([], (1, 1)), ([5], (5, 5)), ([3, 7], (3, 7)), ([5, 5, 32, 64], (800, 1600))],
    ids=["scalar", "vector", "matrix", "conv-kernel"],
)
def test_compute_fans(shape, fans):
    assert init_ops._compute_fans(tuple(shape)) == fans


def test_variance_scaling_statistics():
    big = [100, 200]
    gu = _vals(tf.glorot_uniform_initializer(seed=1), big, dtypes.float32)
    limit = math.sqrt(6.0 / 300)
    assert gu.min() >= -limit and gu.max() <= limit
    assert abs(gu.std() - limit / math.sqrt(3)) < 0.01 * limit
    vs = _vals(tf.variance_scaling_initializer(scale=2.0, seed=1), [400, 300], dtypes.float64)
    # stddev after truncation is sqrt(scale / fan_in); values stay within 2 stddev (before it).
    assert abs(vs.std() - math.sqrt(2.0 / 400)) < 0.02 * math.sqrt(2.0 / 400)
    bound = 2 * math.sqrt(2.0 / 400) / 0.87962566103423978
    assert np.abs(vs).max() <= bound + 1e-12
    un = _vals(tf.variance_scaling_initializer(distribution="untruncated_normal", mode="fan_out",
                                           seed=2), [100, 400], dtypes.float32)
    assert abs(un.std() - math.sqrt(1.0 / 400)) < 0.03 * math.sqrt(1.0 / 400)
    avg = tf.variance_scaling_initializer(mode="fan_avg", distribution="uniform", seed=3)
    a = _vals(avg, [3, 3, 16, 32], dtypes.float32)
    assert np.abs(a).max() <= math.sqrt(3.0 / ((144 + 288) / 2))


def test_seeded_initializers_are_reproducible():
    tf.set_random_seed(7)
    a = _vals(tf.glorot_uniform_initializer(), [3, 4], dtypes.float32)
    reset_default_graph()
    tf.set_random_seed(7)
    b = _vals(tf.glorot_uniform_initializer(), [3, 4], dtypes.float32)
    np.testing.assert_array_equal(a, b)
    reset_default_graph()
    c = _vals(tf.random_normal_initializer(seed=4), [5], dtypes.float32)
    reset_default_graph()
    np.testing.assert_array_equal(c, tf.random_normal_initializer(seed=4)([5]).numpy())
