"""initializers: TF 2.21's op names, configs, argument errors, fans and the store hooks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from varstore import dtypes, initializers as init, ops
from varstore.graph import reset_default_graph


@pytest.fixture(autouse=True)
def _fresh_graph():
    reset_default_graph()
    yield
    reset_default_graph()


@pytest.mark.parametrize(
    ("make", "op_name", "op_type", "config"),
    [
        (lambda: init.zeros_initializer(), "zeros", "Const", {"dtype": "float32"}),
        (lambda: init.ones_initializer(), "ones", "Const", {"dtype": "float32"}),
        (lambda: init.constant_initializer(3), "Const", "Const", {"value": 3, "dtype": "float32"}),
        (lambda: init.random_normal_initializer(), "random_normal", "AddV2",
         {"mean": 0.0, "stddev": 1.0, "seed": None, "dtype": "float32"}),
        (lambda: init.truncated_normal_initializer(), "truncated_normal", "AddV2",
         {"mean": 0.0, "stddev": 1.0, "seed": None, "dtype": "float32"}),
        (lambda: init.random_uniform_initializer(), "random_uniform", "AddV2",
         {"minval": 0.0, "maxval": None, "seed": None, "dtype": "float32"}),
        (lambda: init.glorot_uniform_initializer(), "random_uniform", "AddV2",
         {"seed": None, "dtype": "float32"}),
        (lambda: init.glorot_normal_initializer(), "truncated_normal", "AddV2",
         {"seed": None, "dtype": "float32"}),
        (lambda: init.variance_scaling_initializer(), "truncated_normal", "AddV2",
         {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal", "seed": None,
          "dtype": "float32"}),
        (lambda: init.variance_scaling_initializer(distribution="uniform"), "random_uniform",
         "AddV2", {"scale": 1.0, "mode": "fan_in", "distribution": "uniform", "seed": None,
                   "dtype": "float32"}),
        (lambda: init.variance_scaling_initializer(distribution="untruncated_normal"),
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
    arr = ini._numpy([4, 5], dtypes.float32)
    assert arr.shape == (4, 5)
    assert arr.dtype == np.float32


def test_fill_hook():
    assert init.zeros_initializer()._fill == 0.0
    assert init.ones_initializer()._fill == 1.0
    assert init.constant_initializer(2.5)._fill == 2.5
    assert init.constant_initializer([1, 2])._fill is None
    assert init.random_normal_initializer()._fill is None
    assert init.glorot_uniform_initializer()._fill is None


def test_constant_initializer_values():
    np.testing.assert_array_equal(init.constant_initializer([1, 2])([3]).numpy(), [1, 2, 2])
    np.testing.assert_array_equal(init.constant_initializer([1, 2, 3, 4])([2, 2]).numpy(),
                                  [[1, 2], [3, 4]])
    np.testing.assert_array_equal(init.constant_initializer(5)._numpy([2, 2], dtypes.int32),
                                  np.full((2, 2), 5, np.int32))
    np.testing.assert_array_equal(init.constant_initializer([1, 2])._numpy([3], dtypes.float32),
                                  [1, 2, 2])
    with pytest.raises(TypeError, match=r"^Invalid type for initial value=.* of type: object. Expected "
                       r"Python scalar, list or tuple of values, or numpy.ndarray.$"):
        init.constant_initializer(object())
    with pytest.raises(TypeError, match=r"^Invalid type for initial value="):
        init.constant_initializer(ops.constant(1.0))


def test_argument_errors():
    with pytest.raises(ValueError, match=r"^Argument `scale` must be a positive float. Received: 0$"):
        init.variance_scaling_initializer(scale=0)
    with pytest.raises(ValueError, match=r"^Argument `mode` should be one of \('fan_in', 'fan_out', "
                       r"'fan_avg'\). Received: x$"):
        init.variance_scaling_initializer(mode="x")
    with pytest.raises(ValueError, match=r"^Argument `distribution` should be one of \('normal', "
                       r"uniform', 'truncated_normal', 'untruncated_normal'\). Received: x$"):
        init.variance_scaling_initializer(distribution="x")
    with pytest.raises(ValueError, match=r"^Argument `dtype` is expected to be floating point. "
                       r"Received: <dtype: 'int32'>.$"):
        init.variance_scaling_initializer(dtype=dtypes.int32)
    with pytest.raises(ValueError, match=r"^Argument `dtype` is expected to be floating point."):
        init.random_normal_initializer(dtype=dtypes.int32)
    # TF 2.21's GlorotUniform ignores its dtype argument.
    init.glorot_uniform_initializer(dtype=dtypes.int32)
    with pytest.raises(TypeError, match=r"^Expected int32, but got 0.0 of type 'float'.$"):
        init.random_normal_initializer()([2], dtype=dtypes.int32)
    with pytest.raises(ValueError, match=r"^Must specify maxval for integer dtype tf.int32$"):
        init.random_uniform_initializer(dtype=dtypes.int32)([2])
    t = init.random_uniform_initializer(0, 10, dtype=dtypes.int32)([2])
    assert (t.op.name, t.op.type) == ("random_uniform", "RandomUniformInt")
    assert init.zeros_initializer()([2], dtype=dtypes.bool).dtype == dtypes.bool


@pytest.mark.parametrize(
    ("shape", "fans"),
    [([], (1, 1)), ([5], (5, 5)), ([3, 7], (3, 7)), ([5, 5, 32, 64], (800, 1600))],
    ids=["scalar", "vector", "matrix", "conv-kernel"],
)
def test_compute_fans(shape, fans):
    assert init._compute_fans(tuple(shape)) == fans


def test_variance_scaling_statistics():
    big = [100, 200]
    gu = init.glorot_uniform_initializer(seed=1)._numpy(big, dtypes.float32)
    limit = math.sqrt(6.0 / 300)
    assert gu.min() >= -limit and gu.max() <= limit
    assert abs(gu.std() - limit / math.sqrt(3)) < 0.01 * limit
    vs = init.variance_scaling_initializer(scale=2.0, seed=1)._numpy([400, 300], dtypes.float64)
    # stddev after truncation is sqrt(scale / fan_in); values stay within 2 stddev (before it).
    assert abs(vs.std() - math.sqrt(2.0 / 400)) < 0.02 * math.sqrt(2.0 / 400)
    bound = 2 * math.sqrt(2.0 / 400) / 0.87962566103423978
    assert np.abs(vs).max() <= bound + 1e-12
    un = init.variance_scaling_initializer(distribution="untruncated_normal", mode="fan_out",
                                           seed=2)._numpy([100, 400], dtypes.float32)
    assert abs(un.std() - math.sqrt(1.0 / 400)) < 0.03 * math.sqrt(1.0 / 400)
    avg = init.variance_scaling_initializer(mode="fan_avg", distribution="uniform", seed=3)
    a = avg._numpy([3, 3, 16, 32], dtypes.float32)
    assert np.abs(a).max() <= math.sqrt(3.0 / ((144 + 288) / 2))


def test_seeded_initializers_are_reproducible():
    ops.set_random_seed(7)
    a = init.glorot_uniform_initializer()._numpy([3, 4], dtypes.float32)
    reset_default_graph()
    ops.set_random_seed(7)
    b = init.glorot_uniform_initializer()._numpy([3, 4], dtypes.float32)
    np.testing.assert_array_equal(a, b)
    reset_default_graph()
    c = init.random_normal_initializer(seed=4)._numpy([5], dtypes.float32)
    reset_default_graph()
    np.testing.assert_array_equal(c, init.random_normal_initializer(seed=4)([5]).numpy())
