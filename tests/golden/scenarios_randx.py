"""Golden scenarios of the stateless ``tf.random`` samplers beyond uniform / normal
(``record_tf.py --set randx``): full-range integers (StatelessRandomUniformFullIntV2) and the
seed functions ``split`` / ``fold_in`` built on them, ``stateless_categorical`` /
``stateless_multinomial``, ``stateless_parameterized_truncated_normal`` and
``stateless_binomial``: values (md5 of the bytes where TF's are bit-exact), op names, types
and static shapes, and the errors of bad input."""

import hashlib

import numpy as np


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e).split("\n")[0]}
    return {"type": None, "msg": None}


def _run_err(tf, fetch, feed=None):
    """The run-time error of one fetch: its type and the message without TF's node lines."""
    try:
        with tf.Session() as s:
            s.run(fetch, feed)
    except tf.errors.OpError as e:
        return [type(e).__name__, e.message.split("\n\t [[")[0].split("\n")[-1]]
    return None


def _np(v):
    a = np.asarray(v)
    if a.dtype.kind in "iub":
        return a.tolist()
    return np.asarray(a, np.float64).round(5).tolist()


def _md5(v):
    a = np.ascontiguousarray(v)
    return [str(a.dtype), list(a.shape), hashlib.md5(a.tobytes()).hexdigest()]


def _shape(t):
    return t.shape.as_list() if t.shape.ndims is not None else None


def _meta(ts):
    return [[t.name, t.op.type, _shape(t), t.dtype.name] for t in ts]


def _ops(tf, prefix):
    return [[o.name, o.type, [i.name for i in o.inputs]]
            for o in tf.get_default_graph().get_operations() if o.name.startswith(prefix)]


def scenario_full_int_values(tf):
    a = tf.random.stateless_uniform([5], [1, 2], minval=None, maxval=None, dtype=tf.int32)
    b = tf.random.stateless_uniform([2, 3], tf.constant([7, -3], tf.int64), minval=None,
                                    maxval=None, dtype=tf.int64)
    c = tf.random.stateless_uniform([3], [5, 6], minval=None, maxval=None, dtype=tf.uint32)
    d = tf.random.stateless_uniform([3], [5, 6], minval=None, maxval=None, dtype=tf.uint64,
                                    name="full")
    e = tf.random.stateless_uniform([], [0, 0], minval=None, maxval=None, dtype=tf.int32)
    f = tf.random.stateless_uniform([0, 4], [1, 1], minval=None, maxval=None,
                                    dtype=tf.int64)
    g = tf.random.stateless_uniform(tf.constant([7], tf.int64), [2 ** 40, -1],
                                    minval=None, maxval=None, dtype=tf.int32)
    ts = [a, b, c, d, e, f, g]
    with tf.Session() as s:
        vals = s.run(ts)
    return {"vals": [_np(v) for v in vals], "meta": _meta(ts),
            "ops": _ops(tf, "full") + _ops(tf, "stateless_random_uniform_1")}


def scenario_full_int_long(tf):
    # long outputs: every Philox block's words in order (md5 of the bytes)
    ts = [tf.random.stateless_uniform([1001], [3, 4], minval=None, maxval=None, dtype=dt)
          for dt in (tf.int32, tf.int64, tf.uint32, tf.uint64)]
    with tf.Session() as s:
        vals = s.run(ts)
    return {"md5": [_md5(v) for v in vals]}


def scenario_full_int_errors(tf):
    out = {
        "one_none": _err(lambda: tf.random.stateless_uniform(
            [2], [1, 2], minval=None, maxval=3, dtype=tf.int32)),
        "unsigned_bounded": _err(lambda: tf.random.stateless_uniform(
            [2], [1, 2], minval=0, maxval=3, dtype=tf.uint32)),
        "bad_dtype": _err(lambda: tf.random.stateless_uniform(
            [2], [1, 2], minval=None, maxval=None, dtype=tf.int16)),
        "float_seed": _err(lambda: tf.random.stateless_uniform(
            [2], [1.0, 2.0], minval=None, maxval=None, dtype=tf.int32)),
    }
    out["bad_seed"] = _err(lambda: tf.random.stateless_uniform(
        [2], [1, 2, 3], minval=None, maxval=None, dtype=tf.int64))
    out["seed_rank0"] = _err(lambda: tf.random.stateless_uniform(
        [2], 7, minval=None, maxval=None, dtype=tf.int64))
    out["neg_shape"] = _err(lambda: tf.random.stateless_uniform(
        tf.constant([-2], tf.int32), [1, 2], minval=None, maxval=None, dtype=tf.int64))
    shp = tf.compat.v1.placeholder(tf.int32, [1])
    neg = tf.random.stateless_uniform(shp, [1, 2], minval=None, maxval=None, dtype=tf.int64)
    out["neg_shape_run"] = _run_err(tf, neg, {shp: [-2]})
    out["neg_static_shape"] = _shape(neg)
    return out


def scenario_split_fold_in(tf):
    s1 = tf.random.split([1, 2], 3)
    s2 = tf.random.split(tf.constant([7, -9], tf.int64))
    s3 = tf.random.split([5, 6], num=tf.constant(4))
    f1 = tf.random.fold_in([1, 2], 3)
    f2 = tf.random.fold_in(tf.constant([1, 2], tf.int64), tf.constant(2 ** 40, tf.int64))
    f3 = tf.random.experimental.stateless_fold_in([3, 4], 0)
    s4 = tf.random.experimental.stateless_split([3, 4], 1)
    # a split seed drives the other stateless samplers
    n = tf.random.stateless_normal([3], seed=s1[0, :])
    ts = [s1, s2, s3, f1, f2, f3, s4, n]
    with tf.Session() as s:
        vals = s.run(ts)
    return {"vals": [_np(v) for v in vals], "meta": _meta(ts),
            "ops": [[o.name, o.type] for o in tf.get_default_graph().get_operations()]}


def scenario_split_fold_in_errors(tf):
    return {
        "split_float_seed": _err(lambda: tf.random.split([1.0, 2.0])),
        "fold_float_data": _err(lambda: tf.random.fold_in([1, 2], 1.5)),
        "split_bad_alg": _err(lambda: tf.random.split([1, 2], alg="nope")),
        "split_seed": _err(lambda: tf.random.split([1, 2, 3])),
        "fold_seed": _err(lambda: tf.random.fold_in([[1, 2]], 3)),
        "fold_vector_data": _err(lambda: tf.random.fold_in([1, 2], [1, 2])),
    }


def scenario_categorical(tf):
    lg = tf.math.log([[0.5, 0.25, 0.25], [0.1, 0.1, 0.8]])
    a = tf.random.stateless_categorical(lg, 7, seed=[1, 2])
    b = tf.random.stateless_categorical(tf.constant([[0.0, 1.0, 2.0, 3.0]], tf.float64), 5,
                                        seed=tf.constant([9, 8], tf.int64), dtype=tf.int32,
                                        name="cat")
    c = tf.random.stateless_multinomial([[1.0, 1.0], [-1.0, 3.0], [0.0, 0.0]], 4,
                                        seed=[3, 4])
    d = tf.random.stateless_multinomial(tf.constant([[2.0, -np.inf, 1.0]], tf.float16), 6,
                                        seed=[3, 4], output_dtype=tf.int32, name="mn")
    e = tf.random.stateless_categorical([[0.0, 0.0]], 0, seed=[1, 1])
    num = tf.compat.v1.placeholder(tf.int32, [])
    f = tf.random.stateless_categorical([[0.0, 0.0, 0.0]], num, seed=[1, 1])
    ts = [a, b, c, d, e, f]
    with tf.Session() as s:
        vals = s.run(ts, {num: 9})
    return {"vals": [_np(v) for v in vals], "meta": _meta(ts),
            "ops": [[o.name, o.type, [i.name for i in o.inputs]]
                    for o in tf.get_default_graph().get_operations()]}


def scenario_categorical_long(tf):
    lg = tf.constant(np.linspace(-2.0, 2.0, 24).reshape(3, 8), tf.float32)
    a = tf.random.stateless_categorical(lg, 257, seed=[11, 12])
    with tf.Session() as s:
        v = s.run(a)
    return {"md5": _md5(v), "head": v[:, :10].tolist()}


def scenario_categorical_errors(tf):
    out = {
        "bad_dtype": _err(lambda: tf.random.stateless_categorical([[0.0, 1.0]], 2, [1, 2],
                                                                  dtype=tf.int16)),
        "bad_output_dtype": _err(lambda: tf.random.stateless_multinomial(
            [[0.0, 1.0]], 2, [1, 2], output_dtype=tf.float32)),
        "rank1": _err(lambda: tf.random.stateless_categorical([0.0, 1.0], 2, [1, 2])),
        "float_seed": _err(lambda: tf.random.stateless_categorical([[0.0, 1.0]], 2,
                                                                   [1.0, 2.0])),
        "seed_rank2": _err(lambda: tf.random.stateless_categorical([[0.0, 1.0]], 2,
                                                                   [[1, 2]])),
        "samples_vector": _err(lambda: tf.random.stateless_categorical([[0.0, 1.0]], [2],
                                                                       [1, 2])),
    }
    out["seed3"] = _err(lambda: tf.random.stateless_categorical([[0.0, 1.0]], 2, [1, 2, 3]))
    n = tf.compat.v1.placeholder(tf.int32, [])
    out["negative_run"] = _run_err(tf, tf.random.stateless_categorical([[0.0, 1.0]], n,
                                                                      [1, 2]), {n: -1})
    out["no_classes_run"] = _run_err(tf, tf.random.stateless_categorical(
        tf.zeros([2, 0]), 3, [1, 2]))
    return out


def scenario_ptn_values(tf):
    ptn = tf.random.stateless_parameterized_truncated_normal
    ts = [
        ptn([3, 2], [1, 2], means=[0.0, 1.0], minvals=-1.0, maxvals=[1.0, 5.0]),
        # the normal-rejection sampler (wide bounds), the uniform one (narrow), the
        # exponential one (a far lower bound), an upper bound below the mean (flipped)
        ptn([6], [3, 4], means=0.0, stddevs=1.0, minvals=-3.0, maxvals=3.0),
        ptn([6], [3, 4], means=0.0, stddevs=1.0, minvals=-0.2, maxvals=0.3),
        ptn([6], [3, 4], means=0.0, stddevs=1.0, minvals=2.5, maxvals=np.inf),
        ptn([6], [3, 4], means=0.0, stddevs=2.0, minvals=-np.inf, maxvals=-5.0),
        ptn([5], [3, 4], means=1.0, stddevs=0.5, minvals=1.5, maxvals=1.6),
        ptn([2, 3], tf.constant([5, 6], tf.int64), means=tf.constant([0.0, 1.0, 2.0],
                                                                     tf.float64),
            stddevs=tf.constant(2.0, tf.float64), minvals=tf.constant(-1.0, tf.float64),
            maxvals=tf.constant([[4.0], [8.0]], tf.float64), name="wide"),
        ptn([4], [7, 7], means=tf.constant(0.0, tf.float16),
            stddevs=tf.constant(1.0, tf.float16), minvals=tf.constant(-1.0, tf.float16),
            maxvals=tf.constant(1.0, tf.float16)),
        ptn(tf.constant([2, 2], tf.int64), [1, 1]),
        ptn([0, 3], [1, 1]),
    ]
    with tf.Session() as s:
        vals = s.run(ts)
    return {"vals": [_np(v) for v in vals], "meta": _meta(ts),
            "ops": _ops(tf, "wide") + _ops(tf, "stateless_parameterized_truncated_normal/")}


def scenario_ptn_long(tf):
    ptn = tf.random.stateless_parameterized_truncated_normal
    ts = [ptn([300], [1, 2], minvals=-0.5, maxvals=0.5),
          ptn([100, 3], [1, 2], means=[0.0, 0.0, 1.0], stddevs=[1.0, 0.5, 2.0],
              minvals=[-5.0, 0.8, -1.0], maxvals=[5.0, 1.0, 10.0]),
          ptn([250], [1, 2], means=tf.constant(0.0, tf.float64),
              stddevs=tf.constant(1.0, tf.float64), minvals=tf.constant(3.0, tf.float64),
              maxvals=tf.constant(np.inf, tf.float64)),
          ptn([130], [4, 2], means=tf.constant(0.0, tf.float16),
              stddevs=tf.constant(1.0, tf.float16), minvals=tf.constant(-4.0, tf.float16),
              maxvals=tf.constant(0.5, tf.float16))]
    with tf.Session() as s:
        vals = s.run(ts)
    return {"md5": [_md5(v) for v in vals], "head": [_np(v.reshape(-1)[:8]) for v in vals]}


def scenario_ptn_errors(tf):
    ptn = tf.random.stateless_parameterized_truncated_normal
    out = {
        "int_means": _err(lambda: ptn([2], [1, 2], means=tf.constant(0, tf.int32),
                                      stddevs=tf.constant(1, tf.int32),
                                      minvals=tf.constant(-1, tf.int32),
                                      maxvals=tf.constant(1, tf.int32))),
        "mixed_dtypes": _err(lambda: ptn([2], [1, 2], means=tf.constant(0.0, tf.float64))),
        "float_seed": _err(lambda: ptn([2], [1.0, 2.0])),
    }
    out["bad_stddev_run"] = _run_err(tf, ptn([3], [1, 2], stddevs=-1.0))
    out["min_above_max_run"] = _run_err(tf, ptn([3], [1, 2], minvals=2.0, maxvals=1.0))
    out["both_inf_run"] = _run_err(tf, ptn([3], [1, 2], minvals=-np.inf, maxvals=np.inf))
    out["not_ending_run"] = _run_err(tf, ptn([3, 2], [1, 2], means=[0.0, 1.0, 2.0]))
    out["seed"] = _err(lambda: ptn([3], [1, 2, 3]))
    out["bcast"] = _err(lambda: ptn([4, 3], [1, 2], means=[0.0, 1.0, 2.0],
                                    stddevs=[1.0, 2.0]))
    return out


def scenario_binomial_values(tf):
    sb = tf.random.stateless_binomial
    ts = [
        sb([4, 2], [1, 2], counts=[10.0, 20.0], probs=[0.3]),
        # inversion (count * p < 10), BTRS (>= 10), p > 1/2 (through q), p <= 0, p >= 1,
        # a zero count
        sb([6], [3, 4], counts=5.0, probs=0.4),
        sb([6], [3, 4], counts=100.0, probs=0.3),
        sb([6], [3, 4], counts=50.0, probs=0.9),
        sb([6], [3, 4], counts=30.0, probs=0.95),
        sb([3, 4], [5, 6], counts=[10.0, 10.0, 0.0, 7.0], probs=[0.0, 1.0, 0.5, -0.5]),
        sb([2, 3], tf.constant([8, 9], tf.int64), counts=tf.constant([[5.0], [500.0]],
                                                                      tf.float64),
           probs=tf.constant([0.1, 0.5, 0.7], tf.float64), output_dtype=tf.int64,
           name="bin64"),
        sb([5], [2, 2], counts=tf.constant(40.0, tf.float16), probs=tf.constant(0.25,
                                                                               tf.float16),
           output_dtype=tf.float32),
        sb([4], [2, 2], counts=[1000.0, 3.0, 60.0, 12.0], probs=[0.5, 0.5, 0.2, 0.9],
           output_dtype=tf.float64),
        sb(tf.constant([2], tf.int64), [1, 1], counts=4.0, probs=0.5),
        sb([0, 2], [1, 1], counts=4.0, probs=0.5),
    ]
    with tf.Session() as s:
        vals = s.run(ts)
    return {"vals": [_np(v) for v in vals], "meta": _meta(ts),
            "ops": _ops(tf, "bin64") + _ops(tf, "stateless_random_binomial/")}


def scenario_binomial_long(tf):
    sb = tf.random.stateless_binomial
    ts = [sb([500, 4], [1, 2], counts=[3.0, 40.0, 1e4, 25.0], probs=[0.6, 0.2, 0.5, 0.97]),
          sb([300], [9, 1], counts=tf.constant(17.0, tf.float64),
             probs=tf.constant(0.55, tf.float64), output_dtype=tf.float64)]
    with tf.Session() as s:
        vals = s.run(ts)
    return {"md5": [_md5(v) for v in vals], "head": [_np(v.reshape(-1)[:12]) for v in vals]}


def scenario_binomial_errors(tf):
    sb = tf.random.stateless_binomial
    out = {
        "float_seed": _err(lambda: sb([2], [1.0, 2.0], counts=1.0, probs=0.5)),
        "bad_output": _err(lambda: sb([2], [1, 2], counts=1.0, probs=0.5,
                                      output_dtype=tf.uint8)),
        "mixed": _err(lambda: sb([2], [1, 2], counts=tf.constant(1.0, tf.float64),
                                 probs=0.5)),
    }
    out["seed"] = _err(lambda: sb([2], [1, 2, 3], counts=1.0, probs=0.5))
    out["not_ending_run"] = _run_err(tf, sb([2, 3], [1, 2], counts=[1.0, 2.0], probs=0.5))
    out["bcast_run"] = _run_err(tf, sb([4, 3], [1, 2], counts=[1.0, 2.0, 3.0],
                                       probs=[0.5, 0.2]))
    return out


def scenario_explicit_alg(tf):
    # alg='philox' scrambles the seed in the graph (a full-range draw at GenerateKey's key),
    # giving the key and counter auto_select's StatelessRandomGetKeyCounter gives;
    # 'threefry' builds its key and counter and TF's CPU kernel rejects them
    a = tf.random.stateless_normal([3], [1, 2], alg="philox")
    b = tf.random.stateless_uniform([3], [1, -2], alg="threefry")
    c = tf.random.split(tf.constant([3, 4], tf.int64), 2, alg="PHILOX")
    d = tf.random.stateless_uniform([4], [5, 6], minval=0, maxval=10, dtype=tf.int64, alg=1)
    e = tf.random.fold_in([7, 8], 5, alg="auto-select")
    with tf.Session() as s:
        vals = s.run([a, c, d, e])
    return {
        "vals": [_np(v) for v in vals],
        "threefry_run": _run_err(tf, b),
        "errs": [_err(lambda alg=alg: tf.random.stateless_normal([2], [1, 2], alg=alg))
                 for alg in (4, 0, 1.5, "nope")],
        "ops": [[o.name, o.type, [i.name for i in o.inputs]]
                for o in tf.get_default_graph().get_operations()
                if o.name.startswith(("stateless_random_normal/", "stateless_random_uniform/"))],
        "meta": _meta([a, b, c, d, e]),
    }


def scenario_no_cpu_kernel(tf):
    # TF registers these CPU kernels for floating dtypes only: the run fails (its attrs
    # print in no fixed order, so only the message up to them is kept)
    out = {}
    for k, build in (("int_logits", lambda: tf.random.stateless_categorical(
                         tf.constant([[1, 2]]), 3, seed=[1, 2])),
                     ("int_logits_stateful", lambda: tf.random.categorical(
                         tf.constant([[1, 2]], tf.int64), 3, seed=4)),
                     ("int_counts", lambda: tf.random.stateless_binomial(
                         [2], [1, 2], counts=tf.constant(3), probs=tf.constant(1)))):
        tf.compat.v1.reset_default_graph()
        t = build()
        try:
            with tf.Session() as sess:
                sess.run(t)
            out[k] = None
        except tf.errors.OpError as e:
            line = next(ln for ln in e.message.split("\n") if ln.startswith("No OpKernel"))
            out[k] = [type(e).__name__, line.split(" with these attrs")[0], _shape(t)]
    return out


def scenario_ptn_gradient(tf):
    # TF's implicit-reparameterization gradient, summed over the sample dimensions and each
    # parameter's broadcast ones
    m = tf.constant([0.0, 1.0, 2.0])
    sd = tf.constant(1.5)
    lo = tf.constant([[-1.0], [0.5]])
    hi = tf.constant(3.0)
    y = tf.random.stateless_parameterized_truncated_normal([4, 2, 3], [1, 2], m, sd, lo, hi)
    g = tf.gradients(tf.reduce_sum(y * 3.0), [m, sd, lo, hi])
    m64 = tf.constant(0.5, tf.float64)
    y2 = tf.random.stateless_parameterized_truncated_normal(
        [5], [3, 2], m64, tf.constant(2.0, tf.float64), tf.constant(-1.0, tf.float64),
        tf.constant(np.inf, tf.float64))
    g2 = tf.gradients(y2, [m64])
    with tf.Session() as s:
        vals = s.run([g, g2])
    return {"grads": [_np(v) for v in vals[0]], "g2": [_np(v) for v in vals[1]],
            "shapes": [_shape(t) for t in g + g2],
            "ops": [[o.name, o.type] for o in tf.get_default_graph().get_operations()
                    if o.name.startswith("gradients/stateless")]}


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
