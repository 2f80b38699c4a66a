"""tf.distributions: moments of samples against the analytic statistics, the VAE path
(reparameterized samples and KL trained through), the KL registry, validate_args checks,
copy/parameters, and the error for a symbol varstore lacks."""

from __future__ import annotations

import numpy as np
import pytest

import varstore as tf

D = tf.distributions


@pytest.mark.parametrize("make", [
    lambda: D.Normal([0.0, 2.0], [1.0, 0.5]),
    lambda: D.Laplace([0.0, 2.0], [1.0, 0.5]),
    lambda: D.Uniform([0.0, -1.0], [1.0, 3.0]),
    lambda: D.Gamma([0.5, 4.0], [1.0, 2.0]),
    lambda: D.Exponential([1.0, 3.0]),
    lambda: D.Beta([0.5, 2.0], [2.0, 3.0]),
    lambda: D.StudentT([5.0, 8.0], [0.0, 1.0], [1.0, 2.0]),
    lambda: D.Bernoulli(probs=[0.2, 0.7], dtype=tf.float32),
    lambda: D.Dirichlet([[1.0, 2.0, 3.0], [4.0, 0.5, 0.5]]),
    lambda: D.Multinomial(4.0, probs=[[0.2, 0.3, 0.5], [0.6, 0.2, 0.2]]),
    lambda: D.DirichletMultinomial(4.0, [[1.0, 2.0, 3.0], [4.0, 0.5, 0.5]]),
])
def test_sample_moments_match_the_distribution(make: object) -> None:
    with tf.Graph().as_default():
        d = make()  # type: ignore[operator]
        s = d.sample(6000, seed=3)
        with tf.Session() as sess:
            sv, mean, var = sess.run([s, d.mean(), d.variance()])
        assert sv.shape == (6000, *d.batch_shape.as_list(), *d.event_shape.as_list())
        np.testing.assert_allclose(sv.mean(0), mean, rtol=0.08, atol=0.05)
        np.testing.assert_allclose(sv.var(0), var, rtol=0.2, atol=0.05)


def test_categorical_sample_frequencies() -> None:
    with tf.Graph().as_default():
        d = D.Categorical(probs=[[0.1, 0.6, 0.3]])
        s = d.sample(8000, seed=1)
        with tf.Session() as sess:
            sv = sess.run(s)
    assert sv.shape == (8000, 1) and sv.dtype == np.int32
    np.testing.assert_allclose(np.bincount(sv[:, 0], minlength=3) / 8000, [0.1, 0.6, 0.3],
                               atol=0.02)


def test_vae_trains_through_sample_and_kl() -> None:
    rs = np.random.RandomState(0)
    with tf.Graph().as_default():
        x = tf.constant(rs.rand(16, 5).astype(np.float32))
        w = tf.get_variable("w", initializer=rs.randn(5, 4).astype(np.float32) * 0.1)
        v = tf.get_variable("v", initializer=rs.randn(2, 5).astype(np.float32) * 0.1)
        h = tf.matmul(x, w)
        q = D.Normal(h[:, :2], tf.nn.softplus(h[:, 2:]) + 1e-3)
        assert q.reparameterization_type == D.FULLY_REPARAMETERIZED
        z = q.sample(seed=2)
        rec = tf.reduce_sum(D.Bernoulli(logits=tf.matmul(z, v)).log_prob(x), 1)
        kl = tf.reduce_sum(D.kl_divergence(q, D.Normal(0.0, 1.0)), 1)
        loss = tf.reduce_mean(kl - rec)
        gw, gv = tf.gradients(loss, [w, v])
        assert gw is not None and gv is not None
        step = tf.train.AdamOptimizer(0.05).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(loss)
            for _ in range(60):
                sess.run(step)
            last = sess.run(loss)
    assert last < first


def test_gamma_and_dirichlet_samples_are_reparameterized() -> None:
    with tf.Graph().as_default():
        a = tf.constant([1.5, 3.0])
        gs = tf.gradients(tf.reduce_sum(D.Gamma(a, 1.0).sample(50, seed=1)), a)[0]
        c = tf.constant([1.0, 2.0, 3.0])
        s = D.Dirichlet(c).sample(50, seed=2)
        gd = tf.gradients(tf.reduce_sum(s[:, 0]), c)[0]
        with tf.Session() as sess:
            gsv, gdv = sess.run([gs, gd])
    # d E[sum of 50 Gamma(a)] / da = 50
    np.testing.assert_allclose(gsv, [50.0, 50.0], rtol=0.3)
    assert gdv[0] > 0 > gdv[1]


def test_kl_registry_and_errors() -> None:
    with tf.Graph().as_default():
        with pytest.raises(NotImplementedError, match="No KL"):
            D.kl_divergence(D.Normal(0.0, 1.0), D.Gamma(1.0, 1.0))
        with pytest.raises(ValueError, match="already been registered"):
            D.RegisterKL(D.Normal, D.Normal)(lambda a, b, name=None: None)
        with pytest.raises(TypeError, match="kl_fn must be callable"):
            D.RegisterKL(D.Normal, D.Gamma)(3)
        # Exponential inherits Gamma's KL
        kl = D.kl_divergence(D.Exponential(2.0), D.Gamma(1.0, 1.0))
        with tf.Session() as sess:
            assert sess.run(kl) == pytest.approx(np.log(2.0) + 0.5 - 1.0, rel=1e-5)


def test_validate_args_and_nan_stats() -> None:
    with tf.Graph().as_default():
        p = tf.placeholder(tf.float32, [2])
        n = D.Normal(0.0, p, validate_args=True)
        g = D.Gamma(p, 1.0, allow_nan_stats=False)
        with tf.Session() as sess:
            assert sess.run(n.stddev(), {p: [1.0, 2.0]}).tolist() == [1.0, 2.0]
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(n.mean(), {p: [1.0, -2.0]})
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(g.mode(), {p: [0.5, 2.0]})
            assert np.isnan(sess.run(D.Gamma(p, 1.0).mode(), {p: [0.5, 2.0]})[0])


def test_copy_parameters_and_names() -> None:
    with tf.Graph().as_default():
        d = D.Normal(1.0, 2.0, name="enc")
        assert d.name == "enc/"
        assert sorted(d.parameters) == ["allow_nan_stats", "loc", "name", "scale",
                                        "validate_args"]
        c = d.copy(scale=5.0)
        assert c.name == "enc_1/"
        assert d.sample(seed=1).name.startswith("enc/sample/")
        assert repr(d) == ("<tfp.distributions.Normal 'enc/' batch_shape=() event_shape=() "
                           "dtype=float32>")
        with tf.Session() as sess:
            assert sess.run(c.scale) == 5.0
        with pytest.raises(ValueError, match="not both"):
            D.Bernoulli()
        with pytest.raises(NotImplementedError, match="quantile is not implemented: Gamma"):
            D.Gamma(1.0, 1.0).quantile(0.5)
        with pytest.raises(AttributeError, match=r"lacks tf\.distributions\.Poisson"):
            _ = D.Poisson
