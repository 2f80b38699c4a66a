"""Golden scenarios of the normal samplers, bit for bit (``record_tf.py --set randbits``):
RandomStandardNormal, TruncatedNormal and their stateless V2 forms in float32, float64 and
half, and the initializers built on them, over large and odd-sized outputs. Each value is the
md5 of the raw bytes plus its first and last raw words, so one ulp anywhere fails. (TF's
Box-Muller calls the C library's float logf / sincosf: NumPy's own float functions differ in
~1% of the values.) These kernels' values do not depend on TF's intra-op sharding: every output
group starts at its own Philox counter. Half values that underflow to -0.0 stay -0.0 because
TF's session rewrites the Add of the zero mean away (zero_add_sign: where it does and where
not)."""

import hashlib

import numpy as np

# odd sizes on purpose: partial last groups of 4 (float) and 2 (double), one element, none
SHAPES = [[1000003], [1023, 977], [3, 5, 7], [1], [2], [0, 4]]


def _bits(v):
    a = np.ascontiguousarray(v)
    u = a.view(f"u{a.itemsize}").reshape(-1)
    return [str(a.dtype), list(a.shape), hashlib.md5(a.tobytes()).hexdigest(),
            u[:4].tolist(), u[-2:].tolist()]


def _runs(tf, ops, runs=2):
    """The bits of every op over ``runs`` runs of one session (the stream moves on)."""
    out = {}
    with tf.Session() as s:
        for _ in range(runs):
            for k, v in s.run(ops).items():
                out.setdefault(k, []).append(_bits(v))
    return out


def _dtypes(tf):
    return {"f32": tf.float32, "f64": tf.float64, "f16": tf.float16}


def _stateful(tf, fn):
    tf.set_random_seed(1234)
    ops = {}
    for dn, dt in _dtypes(tf).items():
        for i, shape in enumerate(SHAPES):
            ops[f"{dn}_{i}"] = fn(shape, dtype=dt, seed=i + 1)
        ops[f"{dn}_graph_seed"] = fn([4097], dtype=dt)
        ops[f"{dn}_scaled"] = fn([1001], mean=0.25, stddev=3.0, dtype=dt, seed=99)
    return _runs(tf, ops)


def scenario_random_normal(tf):
    return _stateful(tf, tf.random_normal)


def scenario_truncated_normal(tf):
    return _stateful(tf, tf.truncated_normal)


def _stateless(tf, fn):
    ops = {}
    seeds = [[1, 2], [-7, 123456789], [2 ** 31 - 1, -2 ** 31]]
    for dn, dt in _dtypes(tf).items():
        for i, shape in enumerate(SHAPES):
            ops[f"{dn}_{i}"] = fn(shape, seed=seeds[i % len(seeds)], dtype=dt)
        ops[f"{dn}_int64_seed"] = fn([5001], seed=tf.constant([2 ** 40 + 3, -5], tf.int64),
                                     dtype=dt)
        ops[f"{dn}_scaled"] = fn([999], seed=[3, 4], mean=-1.5, stddev=0.5, dtype=dt)
    return _runs(tf, ops, runs=1)


def scenario_stateless_normal(tf):
    return _stateless(tf, tf.random.stateless_normal)


def scenario_stateless_truncated_normal(tf):
    return _stateless(tf, tf.random.stateless_truncated_normal)


def scenario_initializers(tf):
    tf.set_random_seed(77)
    init = {
        "truncated": (tf.truncated_normal_initializer(mean=0.1, stddev=0.5, seed=3),
                      [1000, 1003], tf.float32),
        "normal": (tf.random_normal_initializer(seed=4), [999, 1001], tf.float32),
        "glorot": (tf.glorot_normal_initializer(seed=5), [513, 257], tf.float32),
        "glorot_graph_seed": (tf.glorot_normal_initializer(), [300, 301], tf.float32),
        "he": (tf.initializers.he_normal(seed=6), [3, 3, 64, 129], tf.float32),
        "lecun": (tf.initializers.lecun_normal(seed=8), [257, 63], tf.float32),
        "vs_untruncated": (tf.variance_scaling_initializer(
            scale=2.0, mode="fan_avg", distribution="untruncated_normal", seed=7),
            [401, 203], tf.float32),
        "vs_truncated_f64": (tf.variance_scaling_initializer(
            distribution="truncated_normal", seed=9), [333, 101], tf.float64),
        "truncated_f16": (tf.truncated_normal_initializer(stddev=0.02, seed=10),
                          [211, 97], tf.float16),
        "normal_f64": (tf.random_normal_initializer(mean=1.0, stddev=0.1, seed=11),
                       [1001, 3], tf.float64),
    }
    vs = {k: tf.get_variable(k, shape, dtype, initializer=i)
          for k, (i, shape, dtype) in init.items()}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return {k: _bits(v) for k, v in s.run(vs).items()}


def scenario_half_signed_zeros(tf):
    """Large half samples with values that underflow to -0.0, which TF keeps (its Add of the
    zero mean is rewritten away: scenario zero_add_sign)."""
    tf.set_random_seed(5)
    ops = {"truncated": tf.truncated_normal([4096, 4096], dtype=tf.float16, seed=1),
           "stateless": tf.random.stateless_normal([4097, 4093], seed=[11, 12],
                                                   dtype=tf.float16)}
    with tf.Session() as s:
        out = s.run(ops)
    res = {}
    for k, v in out.items():
        flat = v.reshape(-1)
        zeros = np.nonzero(flat == 0)[0]
        res[k] = {"bits": _bits(v), "zeros": zeros.tolist(),
                  "signbits": np.signbit(flat[zeros]).tolist()}
    return res


def scenario_zero_add_sign(tf):
    """Grappler's x + 0 -> x (which keeps -0.0) where TF applies it, and not where it does not:
    computed from a feed, an AddN, a zero that does not set the shape."""
    neg = np.array([-0.0, 1.0, 2.0], np.float32)
    p = tf.placeholder(tf.float32, [3])
    v = tf.Variable(neg)
    v16 = tf.Variable(neg.astype(np.float16))
    vm = tf.Variable(neg.reshape(1, 3))
    cases = {
        "var_plus_0": v + 0.0,
        "zero_plus_var": 0.0 + v,
        "var_add_zero_vector": tf.add(v, tf.constant([0.0, 0.0, 0.0])),
        "var_plus_zeros_2x3": v + tf.constant(np.zeros((2, 3), np.float32)),
        "var_2d_plus_zeros_3": vm + tf.constant([0.0, 0.0, 0.0]),
        "half_var_plus_0": v16 + tf.constant(0.0, tf.float16),
        "neg_of_var_plus_0": -(v + 0.0),
        "var_times_1_plus_0": v * 1.0 + 0.0,
        "var_plus_nonzero": v + 1e-30,
        "fed_plus_0": p + 0.0,
        "fed_times_2_plus_0": p * 2.0 + 0.0,
        "add_n": tf.add_n([v, tf.constant([0.0, 0.0, 0.0])]),
    }
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out = s.run(cases, {p: neg})
    return {k: np.signbit(np.asarray(r, np.float32)).reshape(-1).tolist()
            for k, r in out.items()}


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
