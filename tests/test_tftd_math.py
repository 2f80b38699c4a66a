"""Differences found by running TensorFlow's own element-wise math and matmul unit tests
against varstore; every expected value here was recorded from TF 2.21 (tf.compat.v1, graph
mode)."""

import numpy as np
import pytest

import varstore as tf


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()
    yield
    tf.reset_default_graph()


_A = np.array([[1 + 2j, 3 - 1j], [0.5j, -2 + 1j], [1, 1j]], np.complex64)
_B = np.array([[2 - 1j, 1 + 1j], [1j, 3], [-1, 2 + 2j]], np.complex64)


def test_matmul_transpose_of_unknown_rank_complex_is_not_conjugated():
    # matmul_op_test (placeholders): BatchMatMulV2 has only adjoints, so TF conjugates a
    # transposed operand first and lets adj_x / adj_y conjugate it back
    a = tf.placeholder(tf.complex64)
    b = tf.placeholder(tf.complex64)
    r1 = tf.matmul(a, b, transpose_a=True)
    r2 = tf.matmul(b, a, transpose_b=True)
    assert [o.type for o in tf.get_default_graph().get_operations()] == [
        "Placeholder", "Placeholder", "Conj", "BatchMatMulV2", "Conj", "BatchMatMulV2"]
    with tf.Session() as s:
        v1, v2 = s.run([r1, r2], {a: _A, b: _B})
    np.testing.assert_allclose(v1, [[2.5 + 3j, 1 + 6.5j], [4 - 8j, -4 + 7j]], rtol=1e-6)
    np.testing.assert_allclose(v2, [[8 + 5j, -2.5, 1], [7 - 2j, -6.5 + 3j, 4j],
                                    [7 + 2j, -6 - 2.5j, -3 + 2j]], rtol=1e-6)


@pytest.mark.parametrize("name, expected", [
    ("truediv", ([0.6 + 0.2j, 1 + 1j], [-0.2 + 0.6j, -1.6 + 2.2j])),
    ("div_no_nan", ([0.6 + 0.2j, 1 + 1j], [-0.2 + 0.6j, -1.6 + 2.2j])),
    ("pow", ([12.503969 + 17.360863j, -7.3867026e-03 - 0.02213117j],
             [0.12686253 - 29.283236j, 0.01722829 + 0.14155732j])),
])
def test_complex_binary_gradients_use_the_conjugates(name, expected):
    # cwise_ops_binary_test testComplex64Basic / testComplexPowGrad: RealDiv, DivNoNan and Pow
    # take their complex gradients against conj(x), conj(y) (and conj(z) for Pow)
    fn = {"truediv": tf.truediv, "div_no_nan": tf.math.divide_no_nan, "pow": tf.pow}[name]
    x = tf.constant([1 + 2j, -3 + 0.5j], tf.complex64)
    y = tf.constant([2 - 1j, 0.5 + 1.5j], tf.complex64)
    g = tf.constant([1 + 1j, 2 - 1j], tf.complex64)
    gx, gy = tf.gradients(fn(x, y), [x, y], grad_ys=g)
    with tf.Session() as s:
        vx, vy = s.run([gx, gy])
    np.testing.assert_allclose(vx, expected[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(vy, expected[1], rtol=1e-5, atol=1e-6)
