"""tf.random_gamma / tf.random_poisson: TF's kernels' values for seeded ops (recorded from TF
2.21 graph mode), shapes, names, the alpha gradient (finite differences of the implicit
reparameterization) and the samplers' statistics."""

from __future__ import annotations

import numpy as np
import pytest

import varstore as tf

# TF 2.21: tf.set_random_seed(3); tf.random_gamma([5], [0.3, 1., 2.5, 40.], seed=7), first run
_TF_GAMMA_ROW0 = [8.7946039e-01, 6.8196070e-01, 1.6936527e+00, 4.7475899e+01]
# tf.random_poisson([0.5, 3., 12., 200.], [6], seed=2) under the same graph seed, first run
_TF_POISSON = [0, 2, 19, 214, 0, 3, 12, 207, 1, 2, 9, 196, 0, 2, 8, 201, 1, 5, 19, 217,
               1, 1, 21, 192]


def test_seeded_values_are_tfs() -> None:
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(3)
        s = tf.random_gamma([5], tf.constant([0.3, 1.0, 2.5, 40.0]), seed=7)
        _ = tf.random_gamma([3, 2], tf.constant([0.5, 3.0], tf.float64), beta=[2.0, 1.0],
                            dtype=tf.float64, seed=1)
        p = tf.random_poisson([0.5, 3.0, 12.0, 200.0], [6], seed=2)
        assert s.shape.as_list() == [5, 4] and p.shape.as_list() == [6, 4]
        assert s.name == "random_gamma/Maximum:0"
        assert p.name == "random_poisson/RandomPoissonV2:0"
        with tf.Session() as sess:
            sv, pv = sess.run([s, p])
    np.testing.assert_allclose(sv[0], _TF_GAMMA_ROW0, rtol=1e-6)
    np.testing.assert_array_equal(pv.reshape(-1), _TF_POISSON)


def test_statistics() -> None:
    with tf.Graph().as_default():
        s = tf.random_gamma([4000], [0.5, 2.0, 9.0], beta=[1.0, 2.0, 3.0], seed=1)
        p = tf.random.poisson([1.5, 30.0], [4000], seed=4, dtype=tf.int64)
        with tf.Session() as sess:
            sv, pv = sess.run([s, p])
    np.testing.assert_allclose(sv.mean(0), [0.5, 1.0, 3.0], rtol=0.08)
    np.testing.assert_allclose(sv.var(0), [0.5, 0.5, 1.0], rtol=0.15)
    assert pv.dtype == np.int64
    np.testing.assert_allclose(pv.mean(0), [1.5, 30.0], rtol=0.05)
    np.testing.assert_allclose(pv.var(0), [1.5, 30.0], rtol=0.15)


def test_alpha_gradient_is_implicit_reparameterization() -> None:
    # d sample / d alpha at a fixed CDF level: finite differences of the inverse CDF
    from varstore.ops.math_igamma_ops import _igamma

    with tf.Graph().as_default():
        a = tf.constant([0.7, 3.0])
        s = tf.random_gamma([3], a, seed=5)
        g = tf.gradients(tf.reduce_sum(s), a)[0]
        gs = tf.gradients(s, a)
        with tf.Session() as sess:
            sv, gv = sess.run([s, g])
        assert gs[0] is not None
    alphas = [0.7, 3.0]
    want = []
    for j, al in enumerate(alphas):
        tot = 0.0
        for x in sv[:, j]:
            level = _igamma(al, float(x))
            h = 1e-5

            def inv(aa: float, level: float = level, x0: float = float(x)) -> float:
                lo, hi = 0.0, x0 * 4 + 10
                for _ in range(200):
                    mid = (lo + hi) / 2
                    lo, hi = (mid, hi) if _igamma(aa, mid) < level else (lo, mid)
                return (lo + hi) / 2

            tot += (inv(al + h) - inv(al - h)) / (2 * h)
        want.append(tot)
    np.testing.assert_allclose(gv, want, rtol=1e-3)


def test_errors_and_dtypes() -> None:
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="alpha"):
            tf.random_gamma([2], [1, 2], dtype=tf.int32)
        with pytest.raises(TypeError, match="rate"):
            tf.random_poisson(tf.constant([True]), [2])
        s = tf.random_gamma([2, 0], [1.0])
        with tf.Session() as sess:
            assert sess.run(s).shape == (2, 0, 1)


def test_stateless_samplers_repeat_and_check_shapes() -> None:
    with tf.Graph().as_default():
        g = tf.random.stateless_gamma([4, 3], [1, 2], [0.5, 1.0, 3.0], beta=2.0)
        p = tf.random.stateless_poisson([5, 2], [3, 4], [1.5, 40.0])
        ph = tf.placeholder(tf.float32, [3])
        bad = tf.random.stateless_gamma([3, 2], [1, 2], ph)
        assert g.shape.as_list() == [4, 3] and p.dtype == tf.int32
        with tf.Session() as sess:
            a, b = sess.run([g, p])
            a2, b2 = sess.run([g, p])
            with pytest.raises(tf.errors.InvalidArgumentError, match="must end with"):
                sess.run(bad, {ph: [1.0, 2.0, 3.0]})
    np.testing.assert_array_equal(a, a2)
    np.testing.assert_array_equal(b, b2)
    # TF 2.21's values for these seeds
    np.testing.assert_allclose(a[0], [0.033477, 0.114974, 2.051861], rtol=1e-5)
    np.testing.assert_array_equal(b[:, 1], [51, 35, 42, 45, 46])


def test_imported_graph_runs_the_samplers() -> None:
    with tf.Graph().as_default() as g1:
        tf.set_random_seed(3)
        tf.random_gamma([5], [0.3, 1.0, 2.5, 40.0], seed=7, name="gam")
        tf.random_poisson([0.5, 3.0, 12.0, 200.0], [6], seed=2, name="poi")
        gd = g1.as_graph_def()
    with tf.Graph().as_default():
        s, p = tf.import_graph_def(gd, return_elements=["gam/Maximum:0",
                                                        "poi/RandomPoissonV2:0"])
        assert s.shape.as_list() == [5, 4] and p.shape.as_list() == [6, 4]
        with tf.Session() as sess:
            sv, pv = sess.run([s, p])
    np.testing.assert_allclose(sv[0], _TF_GAMMA_ROW0, rtol=1e-6)
    np.testing.assert_array_equal(pv.reshape(-1), _TF_POISSON)


def test_imported_stateless_gamma_v2_is_tfs() -> None:
    # a TF 2.3-2.5 graph: StatelessRandomGammaV2(shape, seed, alpha), values and the alpha
    # gradient recorded from TF 2.21 (raw_ops.StatelessRandomGammaV2, seed [5, 6])
    with tf.Graph().as_default() as g1:
        tf.constant([4, 3], name="shape")
        tf.constant([5, 6], name="seed")
        tf.constant([0.5, 2.0, 1.0], name="alpha")
        gd = g1.as_graph_def()
    node = gd.node.add()
    node.name, node.op = "g", "StatelessRandomGammaV2"
    node.input.extend(["shape", "seed", "alpha"])
    for key, src in (("dtype", "alpha"), ("T", "shape"), ("Tseed", "seed")):
        node.attr[key].type = next(n for n in gd.node if n.name == src).attr["dtype"].type
    with tf.Graph().as_default() as g2:
        tf.import_graph_def(gd, name="")
        s = g2.get_tensor_by_name("g:0")
        a = g2.get_tensor_by_name("alpha:0")
        grad = tf.gradients(tf.reduce_sum(s), a)[0]
        with tf.Session() as sess:
            sv, gv = sess.run([s, grad])
    np.testing.assert_allclose(sv[0], [0.023146, 7.418783, 0.740685], rtol=1e-5)
    np.testing.assert_allclose(sv[:, 2], [0.740685, 3.985316, 0.372003, 1.460284], rtol=1e-5)
    np.testing.assert_allclose(gv, [1.25955, 5.23548, 5.26191], rtol=1e-4)


def test_degenerate_alphas_give_tfs_samples() -> None:
    # TF 2.21: RandomGamma(shape=[3], alpha=[0, -1, -0.5, nan, 1e-30, 1e-3], seed=1, seed2=2)
    tf_rows = [[0.0, np.nan, 0.3004463315010071, np.nan, 0.0, 0.0],
               [0.0, np.nan, 175.96377563476562, np.nan, 0.0, 0.0],
               [0.0, np.nan, 0.16594074666500092, np.nan, 0.0, 0.0]]
    with tf.Graph().as_default() as g:
        tf.set_random_seed(1)
        tf.random_gamma([3], tf.constant([0.0, -1.0, -0.5, np.nan, 1e-30, 1e-3]), seed=2)
        raw = next(o for o in g.get_operations() if o.type == "RandomGamma")._outputs[0]
        p = tf.random_poisson([0.0, -1.0, 1e-30, np.inf], [2], seed=3)
        with tf.Session() as sess:
            rv, pv = sess.run([raw, p])
    np.testing.assert_allclose(rv, tf_rows, rtol=1e-6)
    assert pv[:, :3].tolist() == [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
