"""tf.gradients: every op's gradient against float64 central finite differences, and the
machinery (aggregation of shared uses, None for unconnected xs, stop_gradient, grad_ys,
variables, second derivatives)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import varstore as tf

RNG = np.random.default_rng(7)


def _numeric(f: Callable[[list[np.ndarray]], float], values: list[np.ndarray], i: int,
             eps: float = 1e-6) -> np.ndarray:
    grad = np.zeros_like(values[i])
    flat = grad.reshape(-1)
    for k in range(flat.size):
        plus = [v.copy() for v in values]
        minus = [v.copy() for v in values]
        plus[i].reshape(-1)[k] += eps
        minus[i].reshape(-1)[k] -= eps
        flat[k] = (f(plus) - f(minus)) / (2 * eps)
    return grad


def check(build: Callable[..., Any], *values: np.ndarray, atol: float = 1e-6,
          rtol: float = 1e-5) -> None:
    """d sum(w * build(x...)) / dx by tf.gradients equals central differences (float64)."""
    graph = tf.Graph()
    with graph.as_default():
        phs = [tf.placeholder(tf.float64, v.shape) for v in values]
        y = build(*phs)
        shape = tuple(y.shape.as_list())
        weights = RNG.standard_normal(shape)
        loss = tf.reduce_sum(y * tf.constant(weights))
        # a gather's gradient is an IndexedSlices (as TF's): compare its dense form
        grads = [tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g
                 for g in tf.gradients(loss, phs)]
        with tf.Session() as sess:
            feed = dict(zip(phs, values))
            analytic = sess.run([g for g in grads if g is not None], feed)

            def f(vals: list[np.ndarray]) -> float:
                return float(sess.run(loss, dict(zip(phs, vals))))

            k = 0
            for i, g in enumerate(grads):
                if g is None:
                    continue
                np.testing.assert_allclose(analytic[k], _numeric(f, list(values), i),
                                           atol=atol, rtol=rtol, err_msg=f"input {i}")
                k += 1
    assert k > 0


def _r(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape)


def _pos(*shape: int) -> np.ndarray:
    return RNG.uniform(0.5, 2.0, shape)


CASES: dict[str, tuple[Callable[..., Any], list[np.ndarray]]] = {
    "add-broadcast": (lambda a, b: a + b, [_r(3, 4), _r(4)]),
    "add-broadcast-col": (lambda a, b: tf.add(a, b), [_r(3, 1), _r(1, 4)]),
    "sub": (lambda a, b: a - b, [_r(2, 3), _r(2, 1)]),
    "mul": (lambda a, b: a * b, [_r(2, 3), _r(3)]),
    "div": (lambda a, b: a / b, [_r(2, 3), _pos(2, 3)]),
    "maximum": (lambda a, b: tf.maximum(a, b), [_r(3, 4), _r(3, 4)]),
    "minimum": (lambda a, b: tf.minimum(a, b), [_r(3, 4), _r(4)]),
    "pow": (lambda a, b: tf.pow(a, b), [_pos(3), _r(3)]),
    "squared-difference": (lambda a, b: tf.squared_difference(a, b), [_r(2, 3), _r(3)]),
    "neg-abs-square": (lambda a: -tf.abs(a) + tf.square(a), [_r(5) + 0.1]),
    "sqrt-rsqrt": (lambda a: tf.sqrt(a) + tf.rsqrt(a), [_pos(4)]),
    "exp-log-log1p": (lambda a: tf.exp(a) + tf.log(a) + tf.log1p(a), [_pos(4)]),
    "sin-cos-erf": (lambda a: tf.sin(a) * tf.cos(a) + tf.erf(a), [_r(4)]),
    "sigmoid-tanh": (lambda a: tf.sigmoid(a) + tf.tanh(a), [_r(3, 2)]),
    "reciprocal": (lambda a: tf.reciprocal(a), [_pos(4)]),
    "matmul": (lambda a, b: tf.matmul(a, b), [_r(3, 4), _r(4, 2)]),
    "matmul-ta": (lambda a, b: tf.matmul(a, b, transpose_a=True), [_r(4, 3), _r(4, 2)]),
    "matmul-tb": (lambda a, b: tf.matmul(a, b, transpose_b=True), [_r(3, 4), _r(2, 4)]),
    "matmul-tt": (lambda a, b: tf.matmul(a, b, True, True), [_r(4, 3), _r(2, 4)]),
    "batch-matmul": (lambda a, b: tf.matmul(a, b), [_r(2, 3, 4), _r(2, 4, 5)]),
    "batch-matmul-bcast": (lambda a, b: tf.matmul(a, b), [_r(2, 3, 4), _r(4, 5)]),
    "sum-axis": (lambda a: tf.reduce_sum(a, 1), [_r(3, 4)]),
    "sum-keepdims": (lambda a: tf.reduce_sum(a, [0, 2], keepdims=True), [_r(2, 3, 4)]),
    "mean": (lambda a: tf.reduce_mean(a, 0), [_r(3, 4)]),
    "mean-all": (lambda a: tf.reduce_mean(a), [_r(3, 4)]),
    "max": (lambda a: tf.reduce_max(a, 1), [_r(3, 4)]),
    "min": (lambda a: tf.reduce_min(a, [0, 1]), [_r(3, 4)]),
    "prod": (lambda a: tf.reduce_prod(a, 1), [_r(3, 4)]),
    "logsumexp": (lambda a: tf.reduce_logsumexp(a, 1), [_r(3, 4)]),
    "reshape": (lambda a: tf.reshape(a, [4, 3]) * 2.0, [_r(3, 4)]),
    "transpose": (lambda a: tf.transpose(a, [1, 2, 0]), [_r(2, 3, 4)]),
    "concat": (lambda a, b: tf.concat([a, b, a], 1), [_r(2, 3), _r(2, 2)]),
    "stack-unstack": (lambda a: tf.stack(tf.unstack(a, axis=1)[::-1], axis=0), [_r(2, 3)]),
    "split": (lambda a: tf.split(a, [1, 3], axis=1)[1] * 3.0, [_r(2, 4)]),
    "slice": (lambda a: tf.slice(a, [1, 0], [2, -1]), [_r(3, 4)]),
    "strided-slice": (lambda a: a[1:, ::2] + a[0, ::2], [_r(3, 4)]),
    "gather": (lambda a: tf.gather(a, [2, 0, 2]), [_r(3, 2)]),
    "tile": (lambda a: tf.tile(a, [2, 3]), [_r(2, 2)]),
    "pad": (lambda a: tf.pad(a, [[1, 0], [0, 2]]), [_r(2, 3)]),
    "expand-squeeze": (lambda a: tf.squeeze(tf.expand_dims(a, 1), [1]) * a, [_r(3)]),
    "where": (lambda a, b: tf.where(a > 0.0, a, b), [_r(4) + 0.05, _r(4)]),
    "clip": (lambda a: tf.clip_by_value(a, -0.5, 0.5), [_r(6) + 0.01]),
    "cumsum": (lambda a: tf.cumsum(a, 1), [_r(2, 4)]),
    "add-n": (lambda a, b: tf.add_n([a, b, a]), [_r(3), _r(3)]),
    "identity-stop": (lambda a, b: tf.identity(a) + tf.stop_gradient(b) * a, [_r(3), _r(3)]),
    "relu": (lambda a: tf.nn.relu(a), [_r(3, 4) + 0.01]),
    "relu6": (lambda a: tf.nn.relu6(a * 4.0), [_r(8) + 0.01]),
    "leaky-relu": (lambda a: tf.nn.leaky_relu(a, 0.1), [_r(3, 4) + 0.01]),
    "elu-selu": (lambda a: tf.nn.elu(a) + tf.nn.selu(a), [_r(6) + 0.01]),
    "softplus-softsign": (lambda a: tf.nn.softplus(a) + tf.nn.softsign(a), [_r(5) + 0.01]),
    "softmax": (lambda a: tf.nn.softmax(a), [_r(3, 4)]),
    "softmax-axis0": (lambda a: tf.nn.softmax(a, axis=0), [_r(3, 4)]),
    "log-softmax": (lambda a: tf.nn.log_softmax(a), [_r(3, 4)]),
    "l2-loss": (lambda a: tf.nn.l2_loss(a), [_r(3, 4)]),
    "bias-add": (lambda a, b: tf.nn.bias_add(a, b), [_r(2, 3, 4), _r(4)]),
    "conv2d-same": (lambda x, w: tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"),
                    [_r(2, 5, 5, 3), _r(3, 3, 3, 2)]),
    "conv2d-valid-s2": (lambda x, w: tf.nn.conv2d(x, w, [1, 2, 2, 1], "VALID"),
                        [_r(1, 7, 6, 2), _r(3, 2, 2, 3)]),
    "conv2d-dilated": (lambda x, w: tf.nn.conv2d(x, w, 1, "SAME", dilations=2),
                       [_r(1, 6, 6, 2), _r(2, 2, 2, 2)]),
    "conv2d-transpose": (lambda x, w: tf.nn.conv2d_transpose(x, w, [2, 6, 6, 3],
                                                             [1, 2, 2, 1], "SAME"),
                         [_r(2, 3, 3, 4), _r(3, 3, 3, 4)]),
    "max-pool": (lambda a: tf.nn.max_pool(a, 2, 2, "VALID"), [_r(1, 4, 4, 2)]),
    "max-pool-same": (lambda a: tf.nn.max_pool(a, 3, 2, "SAME"), [_r(1, 5, 5, 1)]),
    "avg-pool-same": (lambda a: tf.nn.avg_pool(a, 3, 2, "SAME"), [_r(1, 5, 5, 2)]),
    "cond": (lambda a: tf.cond(tf.constant(True), lambda: a * 2.0, lambda: a + 1.0),
             [_r(3)]),
    "cond-false": (lambda a, b: tf.cond(tf.constant(False), lambda: a * b, lambda: a - b),
                   [_r(3), _r(3)]),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_gradient_matches_finite_differences(case: str) -> None:
    build, values = CASES[case]
    check(build, *values)


def test_softmax_cross_entropy_gradients() -> None:
    labels = np.eye(4)[[0, 2, 3]]
    sparse = np.array([0, 2, 3], np.int32)

    def dense(logits: Any) -> Any:
        loss, _ = tf.ops.nn_xent_ops.softmax_cross_entropy_with_logits_raw(
            logits, tf.constant(labels))
        return loss

    def sparse_loss(logits: Any) -> Any:
        loss, _ = tf.ops.nn_xent_ops.sparse_softmax_cross_entropy_with_logits_raw(
            logits, tf.constant(sparse))
        return loss

    check(dense, _r(3, 4))
    check(sparse_loss, _r(3, 4))


def test_shared_variable_gets_the_sum_of_both_uses() -> None:
    w = tf.get_variable("w", initializer=np.array([2.0, 3.0]))
    y = tf.reduce_sum(w * 3.0) + tf.reduce_sum(w * w)
    (g,) = tf.gradients(y, [w])
    assert g.op.type == "AddN"
    with tf.Session() as sess:
        sess.run(w.initializer)
        np.testing.assert_allclose(sess.run(g), 3.0 + 2 * np.array([2.0, 3.0]))


def test_unconnected_x_gets_none_or_zeros() -> None:
    a = tf.constant([1.0, 2.0])
    b = tf.constant([3.0])
    y = tf.reduce_sum(a * 2.0)
    assert tf.gradients(y, [a, b])[1] is None
    zero = tf.gradients(y, [b], unconnected_gradients="zero")[0]
    np.testing.assert_array_equal(np.asarray(zero), [0.0])


def test_stop_gradients_argument_blocks_the_path() -> None:
    a = tf.constant(2.0)
    b = a * 3.0
    y = b * a
    (ga,) = tf.gradients(y, [a], stop_gradients=[b])
    assert float(np.asarray(ga)) == 6.0  # only the direct use: b is treated as constant


def test_grad_ys_weights_the_outputs() -> None:
    a = tf.constant([1.0, 2.0])
    y = a * a
    (g,) = tf.gradients(y, [a], grad_ys=[tf.constant([10.0, 100.0])])
    np.testing.assert_allclose(np.asarray(g), [20.0, 400.0])


def test_names_live_under_the_gradients_scope() -> None:
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.get_variable("w", [3, 2])
    loss = tf.reduce_mean(tf.matmul(x, w))
    (g,) = tf.gradients(loss, [w])
    assert g.name == "gradients/MatMul_grad/MatMul_1:0"
    (g2,) = tf.gradients(loss, [w])
    assert g2.name.startswith("gradients_1/")
    assert all(op.name.startswith(("gradients/", "gradients_1/"))
               for op in tf.get_default_graph().get_operations()
               if op.name.startswith("gradients"))


def test_second_derivative_of_a_small_mlp() -> None:
    x = tf.placeholder(tf.float64, [2, 3])
    w = tf.constant(RNG.standard_normal((3, 2)))
    h = tf.tanh(tf.matmul(x, w))
    y = tf.reduce_sum(h * h)
    (gx,) = tf.gradients(y, [x])
    penalty = tf.reduce_sum(tf.square(gx))  # WGAN-GP's shape: a norm of a gradient
    (ggx,) = tf.gradients(penalty, [x])
    xv = RNG.standard_normal((2, 3))
    with tf.Session() as sess:
        analytic = sess.run(ggx, {x: xv})

        def f(vals: list[np.ndarray]) -> float:
            return float(sess.run(penalty, {x: vals[0]}))

        np.testing.assert_allclose(analytic, _numeric(f, [xv], 0), rtol=1e-5, atol=1e-6)


def test_gradient_through_relu_conv_bias_chain_of_a_variable() -> None:
    x = RNG.standard_normal((2, 6, 6, 3))
    w = tf.get_variable("w", initializer=RNG.standard_normal((3, 3, 3, 4)))
    b = tf.get_variable("b", initializer=RNG.standard_normal(4))
    y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), b))
    loss = tf.reduce_sum(y * y)
    gw, gb = tf.gradients(loss, [w, b])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got_w, got_b, w0, b0 = sess.run([gw, gb, w, b])

    def f_np(wv: np.ndarray, bv: np.ndarray) -> float:
        g = tf.Graph()
        with g.as_default():
            out = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, wv, [1, 1, 1, 1], "SAME"), bv))
            return float(np.sum(np.asarray(out) ** 2))

    eps = 1e-6
    k = (1, 2, 0, 3)
    wp, wm = w0.copy(), w0.copy()
    wp[k] += eps
    wm[k] -= eps
    np.testing.assert_allclose(got_w[k], (f_np(wp, b0) - f_np(wm, b0)) / (2 * eps), rtol=1e-5)
    bp, bm = b0.copy(), b0.copy()
    bp[2] += eps
    bm[2] -= eps
    np.testing.assert_allclose(got_b[2], (f_np(w0, bp) - f_np(w0, bm)) / (2 * eps), rtol=1e-5)


def test_integer_path_and_missing_gradient_raise_lookup_error() -> None:
    a = tf.constant([1.0, 2.0])
    y = tf.reduce_sum(tf.cast(tf.argmax(tf.reshape(a, [1, 2]), 1), tf.float32) * a)
    (g,) = tf.gradients(y, [a])  # argmax has no gradient: only the direct use counts
    assert g is not None


def test_cast_between_floats_passes_the_gradient_and_ints_stop_it() -> None:
    a = tf.constant([1.5, -2.0], dtype=tf.float64)
    y = tf.cast(tf.reduce_sum(tf.cast(a, tf.float32) * 3.0), tf.float64) + tf.reduce_sum(
        tf.cast(tf.cast(a, tf.int32), tf.float64))
    (g,) = tf.gradients(y, [a])
    assert g.dtype == tf.float64
    np.testing.assert_array_equal(np.asarray(g), [3.0, 3.0])


@pytest.mark.parametrize("padding", ["SAME", "VALID"], ids=["same", "valid"])
@pytest.mark.parametrize("stride", [1, 2], ids=["s1", "s2"])
def test_float32_conv_gradients_use_the_simd_kernels_and_match_float64(padding: str,
                                                                      stride: int) -> None:
    x = RNG.standard_normal((2, 9, 8, 5))
    w = RNG.standard_normal((3, 3, 5, 7))
    b = RNG.standard_normal(7)
    out = {}
    for dt in (tf.float32, tf.float64):
        g = tf.Graph()
        with g.as_default():
            xt = tf.constant(x, dtype=dt)
            wt = tf.constant(w, dtype=dt)
            bt = tf.constant(b, dtype=dt)
            y = tf.nn.leaky_relu(tf.nn.bias_add(tf.nn.conv2d(xt, wt, stride, padding), bt), 0.2)
            loss = tf.reduce_sum(y * tf.constant(np.cos(np.arange(y.shape.num_elements()))
                                                 .reshape(y.shape.as_list()), dtype=dt))
            with tf.Session() as sess:
                out[dt.name] = sess.run(tf.gradients(loss, [xt, wt, bt]))
    for got, want in zip(out["float32"], out["float64"]):
        np.testing.assert_allclose(got, want, rtol=2e-4, atol=2e-4)
