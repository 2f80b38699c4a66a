"""Golden scenarios of the normal samplers, bit for bit (``record_tf.py --set randbits``):
RandomStandardNormal, TruncatedNormal and their stateless V2 forms in float32, float64 and
half, and the initializers built on them, over large and odd-sized outputs. Each value is the
md5 of the raw bytes plus its first and last raw words, so one ulp anywhere fails. (TF's
Box-Muller calls the C library's float logf / sincosf: NumPy's own float functions differ in
~1% of the values.) These kernels' values do not depend on TF's intra-op sharding: every output
group starts at its own Philox counter."""

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


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
