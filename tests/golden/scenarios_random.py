"""Golden scenarios of TF's seeded random streams (``record_tf.py --set random``): the
Philox kernels give TF's values, run after run, for op seeds, graph seeds and both."""

import numpy as np


def _draws(tf, ops, runs=3):
    out = {}
    with tf.Session() as s:
        for _ in range(runs):
            for k, v in s.run(ops).items():
                out.setdefault(k, []).append(np.asarray(v, np.float64).round(5).tolist())
    return out


def _all_kinds(tf, seed=None):
    return {"n32": tf.random_normal([3, 7], seed=seed),
            "n64": tf.random_normal([5], dtype=tf.float64, seed=seed),
            "t32": tf.truncated_normal([50], stddev=2.0, seed=seed),
            "t64": tf.truncated_normal([9], dtype=tf.float64, seed=seed),
            "u32": tf.random_uniform([2, 5], -3.0, 2.0, seed=seed),
            "u64": tf.random_uniform([5], dtype=tf.float64, seed=seed),
            "u16": tf.random_uniform([6], dtype=tf.float16, seed=seed),
            "i32": tf.random_uniform([7], 3, 1000, dtype=tf.int32, seed=seed),
            "i64": tf.random_uniform([5], -5, 10 ** 12, dtype=tf.int64, seed=seed),
            "drop": tf.nn.dropout(tf.ones([20]), keep_prob=0.5, seed=seed)}


def scenario_op_seeds(tf):
    return _draws(tf, _all_kinds(tf, seed=7))


def scenario_graph_seed_counter(tf):
    tf.set_random_seed(42)
    ops = _all_kinds(tf)
    v = tf.get_variable("v", [3, 4])
    w = tf.Variable(tf.truncated_normal([2, 2]))
    out = _draws(tf, ops)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out["v"] = s.run(v).round(5).tolist()
        out["w"] = s.run(w).round(5).tolist()
    out["seed2"] = sorted(o.get_attr("seed2") for o in tf.get_default_graph().get_operations()
                          if o.type in ("RandomUniform", "RandomStandardNormal", "TruncatedNormal",
                                        "RandomUniformInt"))
    return out


def scenario_seeded_initializers(tf):
    shapes = [[3, 4], [3, 3, 4], [2, 3, 3, 4]]
    out = {}
    inits = {"glorot_u": tf.glorot_uniform_initializer(seed=1), "glorot_n": tf.glorot_normal_initializer(seed=2),
             "tn": tf.truncated_normal_initializer(stddev=0.02, seed=3), "rn": tf.random_normal_initializer(seed=4),
             "ru": tf.random_uniform_initializer(-0.1, 0.1, seed=5),
             "vs": tf.variance_scaling_initializer(2.0, "fan_in", "truncated_normal", seed=6)}
    vs = {}
    for k, init in inits.items():
        for i, sh in enumerate(shapes):
            vs["%s_%d" % (k, i)] = tf.get_variable("%s_%d" % (k, i), sh, initializer=init)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for k, v in s.run(vs).items():
            out[k] = v.round(5).ravel()[:8].tolist()
    return out


def scenario_multinomial_shuffle(tf):
    lg = tf.constant(np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25], [0.3, 0.3, 0.4]],
                                     np.float32)))
    ops = {"multinomial": tf.multinomial(lg, 7, seed=3),
           "categorical": tf.random.categorical(lg, 5, seed=4, dtype=tf.int32),
           "masked": tf.random.categorical(tf.constant([[1.0, -np.inf, 2.0]]), 6, seed=5),
           "shuffle1d": tf.random_shuffle(tf.range(10), seed=3),
           "shuffle2d": tf.random.shuffle(tf.reshape(tf.range(12), [6, 2]), seed=4),
           "shuffle1": tf.random_shuffle(tf.constant([5]), seed=4),
           "normal": tf.random.normal([3], seed=6), "uniform": tf.random.uniform([3], seed=6),
           "crop": tf.random_crop(tf.reshape(tf.range(48), [6, 8]), [3, 4], seed=2)}
    out = _draws(tf, ops)
    out["names"] = {k: v.name for k, v in ops.items()}
    out["dtypes"] = {k: v.dtype.name for k, v in ops.items()}
    out["shapes"] = {k: v.shape.as_list() for k, v in ops.items()}
    try:
        tf.random.categorical(lg, 2, dtype=tf.float32)
    except ValueError as e:
        out["bad_dtype"] = type(e).__name__
    return out


def scenario_more_initializers(tf):
    inits = {"orth": tf.orthogonal_initializer(seed=1), "orth_gain": tf.orthogonal_initializer(gain=2.0, seed=2),
             "uus": tf.uniform_unit_scaling_initializer(1.43, seed=3),
             "he_n": tf.initializers.he_normal(seed=4), "he_u": tf.initializers.he_uniform(seed=5),
             "lecun_n": tf.initializers.lecun_normal(seed=6), "lecun_u": tf.initializers.lecun_uniform(seed=7),
             "ini_orth": tf.initializers.orthogonal(seed=8), "ini_tn": tf.initializers.truncated_normal(seed=9)}
    out, vs = {}, {}
    for k, init in inits.items():
        for i, sh in enumerate([[4, 6], [6, 4], [2, 3, 5]]):
            vs["%s_%d" % (k, i)] = tf.get_variable("%s_%d" % (k, i), sh, initializer=init)
    vs["ident"] = tf.get_variable("ident", [3, 4], initializer=tf.initializers.identity(gain=0.5))
    with tf.Session() as s:
        s.run(tf.initializers.global_variables())
        for k, v in s.run(vs).items():
            out[k] = v.round(5).ravel()[:10].tolist()
        w = s.run(vs["orth_0"])
        out["orth_rows_orthonormal"] = np.allclose(w @ w.T, np.eye(4), atol=1e-5)
    out["orth_ops"] = [o.type for o in tf.get_default_graph().get_operations()
                       if o.name.startswith("orth_0/Initializer")]
    try:
        tf.get_variable("bad", [3], initializer=tf.orthogonal_initializer())
    except ValueError as e:
        out["orth_1d"] = str(e)
    return out


def scenario_qr(tf):
    a_np = np.array([[2., 1., 0.5], [1., 3., -1.], [0.5, 2., 1.], [1., -1., 2.]], np.float32)
    out = {}
    for name, a in (("deep", tf.constant(a_np)), ("wide", tf.constant(a_np.T)),
                    ("batch", tf.constant(np.stack([a_np[:3], a_np[1:]])))):
        q, r = tf.linalg.qr(a)
        w = tf.constant(np.arange(1, q.shape.num_elements() + 1, dtype=np.float32).reshape(q.shape.as_list()) / 10)
        loss = tf.reduce_sum(q * w) + tf.reduce_sum(r * r)
        g = tf.gradients(loss, a)[0]
        with tf.Session() as s:
            qv, rv, gv = s.run([q, r, g])
        out[name] = {"q": qv.round(4).tolist(), "r": rv.round(4).tolist(), "g": gv.round(3).tolist(),
                     "shapes": [q.shape.as_list(), r.shape.as_list()]}
    qf, rf = tf.linalg.qr(tf.constant(a_np), full_matrices=True)
    out["full_shapes"] = [qf.shape.as_list(), rf.shape.as_list()]
    return out


def scenario_mode_shims(tf):
    tf.disable_eager_execution()
    tf.disable_v2_behavior()
    with tf.control_dependencies([tf.no_op(name="dep")]):
        with tf.init_scope():
            a = tf.constant(1.0, name="a")
        b = tf.constant(2.0, name="b")
    return {"eager": tf.executing_eagerly(), "a_deps": [o.name for o in a.op.control_inputs],
            "b_deps": [o.name for o in b.op.control_inputs],
            "bytes": tf.compat.as_bytes("x").decode(), "text": tf.compat.as_text(b"y"),
            "fc": tf.compat.forward_compatible(2020, 1, 1)}


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
