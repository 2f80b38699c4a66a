"""Golden scenarios of tf.distributions and the gamma / poisson samplers
(``record_tf.py --set distributions``): values, static shapes, names, op types, gradients
(a VAE-style loss trained through Normal samples and KL), seeded samples."""

import numpy as np


def _clean(v):
    if isinstance(v, list):
        return [_clean(x) for x in v]
    if isinstance(v, float) and not np.isfinite(v):
        return str(v)  # JSON's NaN never equals itself
    return v


def _np(v):
    a = np.asarray(v)
    if a.dtype.kind in "iub":
        return a.astype(np.int64).tolist()
    return _clean(np.asarray(a, np.float64).round(5).tolist())


def _run(tf, fetches, feed=None):
    with tf.Session() as s:
        vals = s.run(fetches, feed)
    return {k: _np(v) for k, v in vals.items()}


def _shape(t):
    return t.shape.as_list() if t.shape.ndims is not None else None


def _stats(d, x, with_mode=True, with_cdf=True, with_entropy=True):
    out = {"log_prob": d.log_prob(x), "prob": d.prob(x), "mean": d.mean(),
           "stddev": d.stddev(), "variance": d.variance()}
    if with_mode:
        out["mode"] = d.mode()
    if with_cdf:
        out["cdf"] = d.cdf(x)
        out["log_cdf"] = d.log_cdf(x)
        out["survival"] = d.survival_function(x)
        out["log_survival"] = d.log_survival_function(x)
    if with_entropy:
        out["entropy"] = d.entropy()
    return out


def scenario_normal(tf):
    loc = tf.constant([0.0, 1.0, -2.0])
    scale = tf.constant([1.0, 0.5, 2.0])
    d = tf.distributions.Normal(loc=loc, scale=scale)
    x = tf.constant([[0.3, 1.2, -9.0], [7.0, -3.0, 0.0]])
    ops = _stats(d, x)
    ops["quantile"] = d.quantile([0.01, 0.5, 0.975])
    fetch = dict(ops)
    fetch["d_loc"], fetch["d_scale"] = tf.gradients(tf.reduce_sum(ops["log_prob"]), [loc, scale])
    out = _run(tf, fetch)
    out["names"] = {k: v.name for k, v in ops.items()}
    out["shapes"] = {k: _shape(v) for k, v in ops.items()}
    out["dist"] = [d.name, d.batch_shape.as_list(), d.event_shape.as_list(), d.dtype.name,
                   str(d.reparameterization_type), d.allow_nan_stats, d.validate_args,
                   sorted(d.parameters)]
    with tf.Session() as s:
        out["shape_tensors"] = [_np(s.run(d.batch_shape_tensor())),
                                _np(s.run(d.event_shape_tensor()))]
    return out


def scenario_normal_sample_reparameterized(tf):
    tf.set_random_seed(5)
    loc = tf.constant([[0.0, 1.0], [2.0, 3.0]])
    scale = tf.constant([0.5, 2.0])
    d = tf.distributions.Normal(loc, scale)
    s = d.sample([3], seed=2)
    s2 = d.sample(seed=4)
    s3 = d.sample((2, 1))
    g = tf.gradients(tf.reduce_sum(s * s), [loc, scale])
    out = _run(tf, {"s": s, "s2": s2, "s3": s3, "g_loc": g[0], "g_scale": g[1]})
    out["shapes"] = [_shape(s), _shape(s2), _shape(s3)]
    out["names"] = [s.name, s2.name, s3.name]
    out["types"] = sorted({o.type for o in tf.get_default_graph().get_operations()
                           if o.name.startswith("Normal/sample/")})
    return out


def scenario_vae_loss_gradient(tf):
    tf.set_random_seed(7)
    rs = np.random.RandomState(3)
    x = tf.constant(rs.rand(4, 6).astype(np.float32))
    w_enc = tf.get_variable("w_enc", initializer=rs.randn(6, 4).astype(np.float32) * 0.3)
    w_dec = tf.get_variable("w_dec", initializer=rs.randn(2, 6).astype(np.float32) * 0.3)
    h = tf.matmul(x, w_enc)
    mu, log_sigma = h[:, :2], h[:, 2:]
    q = tf.distributions.Normal(loc=mu, scale=tf.exp(log_sigma))
    prior = tf.distributions.Normal(loc=tf.zeros_like(mu), scale=tf.ones_like(mu))
    z = q.sample(seed=1)
    logits = tf.matmul(z, w_dec)
    px = tf.distributions.Bernoulli(logits=logits)
    rec = tf.reduce_sum(px.log_prob(x), axis=1)
    kl = tf.reduce_sum(tf.distributions.kl_divergence(q, prior), axis=1)
    loss = tf.reduce_mean(kl - rec)
    g = tf.gradients(loss, [w_enc, w_dec])
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        first = s.run({"loss": loss, "kl": kl, "rec": rec, "g_enc": g[0], "g_dec": g[1]})
        for _ in range(3):
            s.run(step)
        after = s.run(loss)
    out = {k: _np(v) for k, v in first.items()}
    out["after"] = _np(after)
    out["kl_name"] = kl.op.inputs[0].name
    return out


def scenario_kl_pairs(tf):
    n1 = tf.distributions.Normal(tf.constant([0.0, 1.0]), tf.constant([1.0, 2.0]))
    n2 = tf.distributions.Normal(tf.constant([0.5, -1.0]), tf.constant([1.5, 0.5]))
    b1 = tf.distributions.Bernoulli(logits=tf.constant([0.3, -2.0]))
    b2 = tf.distributions.Bernoulli(probs=tf.constant([0.6, 0.1]))
    c1 = tf.distributions.Categorical(logits=tf.constant([[0.1, 0.5, -1.0], [2.0, 0.0, 0.0]]))
    c2 = tf.distributions.Categorical(probs=tf.constant([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]))
    g1 = tf.distributions.Gamma(tf.constant([2.0, 0.5]), tf.constant([1.0, 3.0]))
    g2 = tf.distributions.Gamma(tf.constant([1.5, 1.0]), tf.constant([2.0, 1.0]))
    be1 = tf.distributions.Beta(tf.constant([2.0, 0.5]), tf.constant([1.0, 3.0]))
    be2 = tf.distributions.Beta(tf.constant([1.5, 1.0]), tf.constant([2.0, 1.0]))
    d1 = tf.distributions.Dirichlet(tf.constant([[1.0, 2.0, 3.0], [0.5, 0.5, 4.0]]))
    d2 = tf.distributions.Dirichlet(tf.constant([[2.0, 2.0, 2.0], [1.0, 3.0, 1.0]]))
    e1 = tf.distributions.Exponential(tf.constant([1.0, 2.0]))
    ops = {"normal": tf.distributions.kl_divergence(n1, n2),
           "bernoulli": tf.distributions.kl_divergence(b1, b2),
           "categorical": tf.distributions.kl_divergence(c1, c2),
           "gamma": tf.distributions.kl_divergence(g1, g2),
           "beta": tf.distributions.kl_divergence(be1, be2),
           "dirichlet": tf.distributions.kl_divergence(d1, d2),
           "exp_gamma": tf.distributions.kl_divergence(e1, g2),
           "method": n1.kl_divergence(n2),
           "checked": tf.distributions.kl_divergence(n1, n2, allow_nan_stats=False),
           "cross_entropy": n1.cross_entropy(n2),
           "ce_cat": c1.cross_entropy(c2)}
    out = _run(tf, ops)
    out["names"] = {k: v.name for k, v in ops.items()}
    try:
        tf.distributions.kl_divergence(n1, b1)
        out["missing"] = None
    except NotImplementedError as e:
        out["missing"] = str(e)
    return out


def scenario_bernoulli_categorical(tf):
    b = tf.distributions.Bernoulli(logits=tf.constant([[0.3, -2.0, 1.0]]))
    bp = tf.distributions.Bernoulli(probs=[0.2, 0.7], dtype=tf.float32)
    c = tf.distributions.Categorical(logits=tf.constant([[0.1, 0.5, -1.0], [2.0, 0.0, 0.0]]))
    cp = tf.distributions.Categorical(probs=[0.2, 0.3, 0.5], dtype=tf.int64)
    ev = tf.constant([[1, 0, 1], [0, 0, 1]])
    ops = {"b_log_prob": b.log_prob(ev), "b_prob": b.prob([1, 1, 0]), "b_entropy": b.entropy(),
           "b_mean": b.mean(), "b_var": b.variance(), "b_mode": b.mode(), "b_std": b.stddev(),
           "bp_logits": bp.logits, "bp_log_prob": bp.log_prob([1.0, 0.0]), "bp_mode": bp.mode(),
           "c_log_prob": c.log_prob([2, 0]), "c_log_prob_b": c.log_prob([[0], [1]]),
           "c_prob": c.prob(1), "c_cdf": c.cdf([1, 3]), "c_entropy": c.entropy(),
           "c_mode": c.mode(), "c_probs": c.probs, "cp_logits": cp.logits,
           "cp_log_prob": cp.log_prob(2), "cp_mode": cp.mode(),
           "c_event_size": c.event_size}
    out = _run(tf, ops)
    out["shapes"] = {k: _shape(v) for k, v in ops.items()}
    out["dtypes"] = {k: v.dtype.name for k, v in ops.items()}
    out["names"] = sorted(v.name for v in ops.values())
    out["meta"] = [b.batch_shape.as_list(), c.batch_shape.as_list(), bp.dtype.name,
                   cp.dtype.name, str(c.reparameterization_type), c.name, cp.name]
    return out


def scenario_continuous_families(tf):
    x = tf.constant([0.2, 0.5, 0.9])
    dists = {
        "gamma": tf.distributions.Gamma(concentration=[2.0, 0.5, 3.0], rate=[1.0, 2.0, 0.5]),
        "exponential": tf.distributions.Exponential(rate=[1.0, 2.0, 0.5]),
        "beta": tf.distributions.Beta([2.0, 0.5, 3.0], [1.5, 2.0, 0.5]),
        "laplace": tf.distributions.Laplace(loc=[0.0, 1.0, -1.0], scale=[1.0, 0.5, 2.0]),
        "student_t": tf.distributions.StudentT(df=[3.0, 1.5, 0.8], loc=[0.0, 1.0, -1.0],
                                               scale=[1.0, 0.5, 2.0]),
        "uniform": tf.distributions.Uniform(low=[0.0, 0.4, -1.0], high=[1.0, 2.0, 0.5]),
    }
    fetch = {}
    names = {}
    for k, d in dists.items():
        ops = _stats(d, x, with_mode=k != "uniform")
        if k == "uniform":
            ops["range"] = d.range()
        for m, t in ops.items():
            fetch[k + "." + m] = t
            names[k + "." + m] = t.name
    out = _run(tf, fetch)
    out["names"] = names
    out["batch"] = {k: d.batch_shape.as_list() for k, d in dists.items()}
    return out


def scenario_parameter_gradients(tf):
    a = tf.constant([2.0, 0.7])
    b = tf.constant([1.5, 3.0])
    x = tf.constant([0.3, 0.6])
    lps = {"gamma": tf.distributions.Gamma(a, b).log_prob(x),
           "beta": tf.distributions.Beta(a, b).log_prob(x),
           "laplace": tf.distributions.Laplace(a, b).log_prob(x),
           "student_t": tf.distributions.StudentT(a, x, b).log_prob(x + 1.0),
           "uniform": tf.distributions.Uniform(-a, b).log_prob(x),
           "exponential": tf.distributions.Exponential(b).log_prob(x),
           "dirichlet": tf.distributions.Dirichlet(tf.stack([a, b], 1)).log_prob(
               tf.stack([x, 1.0 - x], 1)),
           "normal_cdf": tf.distributions.Normal(a, b).cdf(x),
           "laplace_cdf": tf.distributions.Laplace(a, b).log_cdf(x)}
    fetch = dict(lps)
    for k, v in lps.items():
        g = tf.gradients(tf.reduce_sum(v), [a, b])
        fetch["da_" + k] = g[0] if g[0] is not None else tf.constant(0.0)
        fetch["db_" + k] = g[1] if g[1] is not None else tf.constant(0.0)
    return _run(tf, fetch)


def scenario_multivariate(tf):
    conc = tf.constant([[1.0, 2.0, 3.0], [0.5, 0.5, 4.0]])
    d = tf.distributions.Dirichlet(conc)
    m = tf.distributions.Multinomial(total_count=[5.0, 5.0], logits=[[0.1, 0.2, -0.3],
                                                                     [1.0, 0.0, 0.0]])
    mp = tf.distributions.Multinomial(total_count=3.0, probs=[0.2, 0.3, 0.5])
    dm = tf.distributions.DirichletMultinomial(total_count=5.0, concentration=conc)
    xs = tf.constant([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
    counts = tf.constant([[1.0, 2.0, 2.0], [0.0, 1.0, 4.0]])
    ops = {"d_log_prob": d.log_prob(xs), "d_prob": d.prob(xs), "d_mean": d.mean(),
           "d_var": d.variance(), "d_cov": d.covariance(), "d_entropy": d.entropy(),
           "d_mode": tf.distributions.Dirichlet([1.5, 2.0, 3.0]).mode(), "d_std": d.stddev(),
           "m_log_prob": m.log_prob(counts), "m_mean": m.mean(), "m_var": m.variance(),
           "m_cov": m.covariance(), "mp_log_prob": mp.log_prob([1.0, 1.0, 1.0]),
           "dm_log_prob": dm.log_prob(counts), "dm_prob": dm.prob(counts), "dm_mean": dm.mean(),
           "dm_var": dm.variance(), "dm_cov": dm.covariance()}
    out = _run(tf, ops)
    out["shapes"] = {k: _shape(v) for k, v in ops.items()}
    out["meta"] = [d.batch_shape.as_list(), d.event_shape.as_list(), m.batch_shape.as_list(),
                   m.event_shape.as_list(), dm.event_shape.as_list(), mp.batch_shape.as_list()]
    g = tf.gradients(tf.reduce_sum(ops["d_log_prob"]) + tf.reduce_sum(ops["dm_log_prob"]), conc)
    out["grad"] = _run(tf, {"g": g[0]})["g"]
    return out


def scenario_seeded_samples(tf):
    tf.set_random_seed(11)
    ops = {
        "uniform": tf.distributions.Uniform([0.0, 1.0], [1.0, 3.0]).sample(3, seed=1),
        "bernoulli": tf.distributions.Bernoulli(probs=[0.3, 0.8]).sample(4, seed=2),
        "categorical": tf.distributions.Categorical(logits=[[0.0, 1.0, 2.0],
                                                            [1.0, 1.0, 1.0]]).sample(5, seed=3),
        "exponential": tf.distributions.Exponential([1.0, 0.5]).sample(3, seed=4),
        "laplace": tf.distributions.Laplace([0.0, 1.0], [1.0, 2.0]).sample(3, seed=5),
        "gamma": tf.distributions.Gamma([0.5, 2.0], [1.0, 3.0]).sample(3, seed=6),
        "beta": tf.distributions.Beta([0.5, 2.0], [1.5, 3.0]).sample(3, seed=7),
        "dirichlet": tf.distributions.Dirichlet([1.0, 2.0, 0.5]).sample(2, seed=8),
        "student_t": tf.distributions.StudentT([3.0, 5.0], 0.0, 1.0).sample(3, seed=9),
        "normal": tf.distributions.Normal(0.0, 1.0).sample([2, 2], seed=10),
        "random_gamma": tf.random_gamma([4], [0.3, 1.0, 2.5], beta=[1.0, 2.0, 1.0], seed=12),
        "random_gamma64": tf.random.gamma([3], tf.constant([0.5, 8.0], tf.float64),
                                          dtype=tf.float64, seed=13),
        "random_poisson": tf.random_poisson([0.5, 4.0, 25.0], [5], seed=14),
        "random_poisson_int": tf.random.poisson(tf.constant([3.0, 150.0], tf.float64), [2, 3],
                                                dtype=tf.int32, seed=15),
        "unseeded_op_seed": tf.random_gamma([2], 2.0),
    }
    with tf.Session() as s:
        first = s.run(ops)
        second = s.run(ops)
    out = {k: _np(v) for k, v in first.items()}
    out["second_gamma"] = _np(second["random_gamma"])
    out["second_poisson"] = _np(second["random_poisson"])
    out["shapes"] = {k: _shape(v) for k, v in ops.items()}
    out["names"] = {k: v.name for k, v in ops.items()}
    out["dtypes"] = {k: v.dtype.name for k, v in ops.items()}
    return out


def scenario_random_gamma_graph(tf):
    alpha = tf.constant([[1.0, 2.0], [0.5, 3.0]])
    beta = tf.constant([2.0, 1.0])
    s = tf.random_gamma([3, 2], alpha, beta=beta, seed=3)
    p = tf.random_poisson(alpha, [2], seed=4)
    g = tf.gradients(tf.reduce_sum(tf.square(s)), [alpha, beta])
    out = {"shapes": [_shape(s), _shape(p), _shape(g[0]), _shape(g[1])],
           "names": [s.name, p.name, g[0].name, g[1].name],
           "types": sorted(o.type for o in tf.get_default_graph().get_operations()
                           if o.name.startswith("random_gamma/")),
           "attrs": [p.op.get_attr("dtype").name, p.op.get_attr("seed2"),
                     p.op.get_attr("seed")],
           "grad_types": sorted({o.type for o in tf.get_default_graph().get_operations()
                                 if o.name.startswith("gradients/random_gamma/RandomGamma_grad")})}
    with tf.Session() as sess:
        sv, gv = sess.run([s, g])
    out["sample"] = _np(sv)
    out["grads"] = [_np(gv[0]), _np(gv[1])]
    return out


def scenario_validate_args_and_errors(tf):
    def err(f):
        try:
            f()
        except (ValueError, TypeError, NotImplementedError) as e:
            return [type(e).__name__, str(e)]
        return None

    out = {"both": err(lambda: tf.distributions.Bernoulli(logits=[0.0], probs=[0.5])),
           "neither": err(lambda: tf.distributions.Categorical()),
           "int_logits": err(lambda: tf.distributions.Bernoulli(logits=[1, 2])),
           "one_class": err(lambda: tf.distributions.Categorical(logits=[[1.0]],
                                                                 validate_args=True)),
           "dtype_mix": err(lambda: tf.distributions.Normal(tf.constant(0.0),
                                                            tf.constant(1.0, tf.float64))),
           "no_quantile": err(lambda: tf.distributions.Gamma(1.0, 1.0).quantile(0.5)),
           "bad_sample_shape": err(lambda: tf.distributions.Normal(0.0, 1.0).sample([[2]]))}
    try:
        tf.distributions.Normal(0.0, tf.constant([1.0, -1.0]), validate_args=True)
        out["static_neg_scale"] = None
    except tf.errors.InvalidArgumentError as e:
        out["static_neg_scale"] = type(e).__name__
    ph = tf.placeholder(tf.float32, [2])
    n = tf.distributions.Normal(0.0, ph, validate_args=True)
    u = tf.distributions.Uniform(low=ph[0], high=ph[1], validate_args=True)
    g = tf.distributions.Gamma(ph, 1.0, allow_nan_stats=False)
    b = tf.distributions.Bernoulli(probs=ph, validate_args=True)
    with tf.Session() as s:
        for key, t in (("normal_neg_scale", n.mean()), ("uniform_low_high", u.mean()),
                       ("gamma_mode", g.mode()), ("bernoulli_probs", b.mean()),
                       ("bernoulli_event", b.log_prob(ph))):
            row = []
            for feed in ([1.0, 2.0], [2.0, -1.0], [0.5, 0.25]):
                try:
                    s.run(t, {ph: feed})
                    row.append(None)
                except tf.errors.InvalidArgumentError as e:
                    row.append(type(e).__name__)
            out[key] = row
    cp = tf.distributions.Normal(1.0, 2.0, name="orig").copy(scale=3.0)
    out["copy"] = [cp.name, _np(tf.Session().run(cp.scale)), sorted(cp.parameters)]
    out["reparam"] = [str(tf.distributions.FULLY_REPARAMETERIZED),
                      str(tf.distributions.NOT_REPARAMETERIZED),
                      tf.distributions.Gamma(1.0, 1.0).reparameterization_type
                      == tf.distributions.FULLY_REPARAMETERIZED]
    return out


def scenario_register_kl(tf):
    class MyNormal(tf.distributions.Normal):
        pass

    a = MyNormal(0.0, 1.0)
    b = tf.distributions.Normal(1.0, 2.0)
    inherited = tf.distributions.kl_divergence(a, b)

    @tf.distributions.RegisterKL(MyNormal, MyNormal)
    def _kl(x, y, name=None):
        return tf.identity(x.loc - y.loc, name="my_kl")

    custom = tf.distributions.kl_divergence(a, MyNormal(3.0, 1.0))
    dup = None
    try:
        tf.distributions.RegisterKL(MyNormal, MyNormal)(_kl)
    except ValueError:
        dup = "ValueError"
    out = _run(tf, {"inherited": inherited, "custom": custom})
    out["names"] = [inherited.name, custom.name]
    out["dup"] = dup
    return out


def scenario_stateless_gamma_poisson(tf):
    alpha = tf.constant([0.5, 1.0, 3.0])
    g = tf.random.stateless_gamma([4, 3], [1, 2], alpha, beta=2.0)
    g64 = tf.random.stateless_gamma([2], tf.constant([7, -3], tf.int64),
                                    tf.constant(1.5, tf.float64), dtype=tf.float64)
    p = tf.random.stateless_poisson([5, 2], [3, 4], [1.5, 40.0])
    p64 = tf.random.stateless_poisson([3], [3, 4], tf.constant(4.0, tf.float64),
                                      dtype=tf.float32)
    grad = tf.gradients(tf.reduce_sum(g), alpha)[0]
    out = _run(tf, {"g": g, "g64": g64, "p": p, "p64": p64, "grad": grad})
    out["meta"] = [[t.name, _shape(t), t.dtype.name] for t in (g, g64, p, p64, grad)]
    out["ops"] = [[o.name, o.type, [i.name for i in o.inputs]]
                  for o in tf.get_default_graph().get_operations()
                  if o.name.startswith("stateless_random")]
    return out


def scenario_sampler_long_runs(tf):
    # rates near 10 and tiny alphas: long Knuth runs and rejection loops; float16 casts
    import hashlib

    p = tf.random_poisson([9.9, 0.01, 1e-3, 10.0, 1000.0], [3000], seed=5, dtype=tf.int64)
    g = tf.random_gamma([3000], [0.05, 1e-3, 1.0, 0.999, 1e4], seed=6)
    h = tf.random_gamma([500], tf.constant([0.3, 7.0], tf.float16), dtype=tf.float16, seed=6)
    with tf.Session() as s:
        a, b, c = s.run([p, g, h])
    return {"md5": [hashlib.md5(np.ascontiguousarray(x).tobytes()).hexdigest()
                    for x in (a, b, c)],
            "poisson_sums": a.sum(0).tolist(), "poisson_max": int(a.max())}


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
