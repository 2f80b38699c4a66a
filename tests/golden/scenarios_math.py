"""Golden scenarios of tf.math special functions, moments, segment ops and tf.linalg
(``record_tf.py --set math``): values, static shapes, op types and gradients."""

import numpy as np


def _run(tf, fetches, feed=None):
    with tf.Session() as s:
        vals = s.run(fetches, feed)
    return {k: np.asarray(v, np.float64).round(5).tolist() for k, v in vals.items()}


def scenario_special_values_and_grads(tf):
    x = tf.constant([0.2, 0.5, 0.7], tf.float32)
    big = tf.constant([1.5, 2.5, 3.0], tf.float32)
    ops = {"acos": tf.acos(x), "asin": tf.asin(x), "atan": tf.atan(x), "atanh": tf.atanh(x),
           "asinh": tf.asinh(x), "acosh": tf.acosh(big), "cosh": tf.cosh(x),
           "lgamma": tf.lgamma(big), "digamma": tf.digamma(big), "erfc": tf.erfc(x),
           "atan2": tf.atan2(x, big), "log_sigmoid": tf.log_sigmoid(x - 0.5)}
    fetch = dict(ops)
    for k, v in ops.items():
        src = big if k in ("acosh", "lgamma", "digamma") else x
        fetch["d_" + k] = tf.gradients(v, src)[0]
    out = _run(tf, fetch)
    out["types"] = sorted(v.op.type for v in ops.values())
    return out


def scenario_moments_reductions(tf):
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4) / 5.0)
    ops = {"var": tf.math.reduce_variance(x, axis=1), "std": tf.math.reduce_std(x, axis=0, keepdims=True),
           "norm": tf.math.reduce_euclidean_norm(x, axis=1),
           "cls": tf.math.cumulative_logsumexp(x, axis=1),
           "acc": tf.accumulate_n([x, x * 2.0, x * 3.0])}
    fetch = dict(ops)
    for k in ("var", "std", "norm", "cls"):
        fetch["d_" + k] = tf.gradients(ops[k], x)[0]
    out = _run(tf, fetch)
    out["shapes"] = {k: v.shape.as_list() for k, v in ops.items()}
    return out


def scenario_segments(tf):
    data = tf.constant([[1., 2.], [3., 4.], [5., 6.], [-1., 0.5]])
    seg = tf.constant([0, 0, 1, 1])
    useg = tf.constant([2, 0, 2, 0])
    ops = {"sum": tf.segment_sum(data, seg), "mean": tf.segment_mean(data, seg),
           "max": tf.segment_max(data, seg), "min": tf.segment_min(data, seg),
           "prod": tf.segment_prod(data, seg),
           "usum": tf.unsorted_segment_sum(data, useg, 3), "umax": tf.unsorted_segment_max(data, useg, 3),
           "umean": tf.math.unsorted_segment_mean(data, useg, 3),
           "usqrt": tf.math.unsorted_segment_sqrt_n(data, useg, 3),
           "bincount": tf.math.bincount(tf.constant([1, 1, 3, 0, 3, 3])),
           "hist": tf.histogram_fixed_width(tf.constant([0.1, 0.5, 0.9, 1.5, -1.0]), [0.0, 1.0], nbins=4)}
    fetch = dict(ops)
    for k in ("sum", "mean", "max", "prod", "usum", "umax"):
        fetch["d_" + k] = tf.gradients(ops[k], data)[0]
    out = _run(tf, fetch)
    out["types"] = {k: v.op.type for k, v in ops.items()}
    return out


def scenario_linalg(tf):
    a_np = np.array([[4., 1., 0.5], [1., 3., 0.2], [0.5, 0.2, 2.]], np.float32)
    a = tf.constant(a_np)
    b = tf.constant([[1., 2.], [0., 1.], [3., -1.]])
    ops = {"inv": tf.matrix_inverse(a), "det": tf.matrix_determinant(a),
           "slogdet": tf.linalg.slogdet(a)[1], "chol": tf.cholesky(a),
           "solve": tf.matrix_solve(a, b), "tri": tf.matrix_triangular_solve(tf.cholesky(a), b),
           "norm": tf.norm(b), "norm1": tf.norm(b, ord=1, axis=0),
           "band": tf.matrix_band_part(a, 0, 1), "diag": tf.matrix_diag(tf.constant([1., 2.])),
           "diag_part": tf.matrix_diag_part(a), "set_diag": tf.matrix_set_diag(a, tf.constant([7., 8., 9.])),
           "trace": tf.trace(a), "eye": tf.eye(2, 3), "einsum": tf.einsum("ij,jk->ik", a, b),
           "einsum_t": tf.einsum("ij->ji", b), "tensordot": tf.tensordot(a, b, axes=1)}
    fetch = dict(ops)
    for k in ("inv", "det", "chol", "solve", "band", "trace", "einsum"):
        fetch["d_" + k] = tf.gradients(ops[k], a)[0]
    fetch["d_solve_b"] = tf.gradients(ops["solve"], b)[0]
    fetch["d_norm"] = tf.gradients(ops["norm"], b)[0]
    out = _run(tf, fetch)
    out["shapes"] = {k: v.shape.as_list() for k, v in ops.items()}
    return out


def scenario_misc_math(tf):
    a = tf.constant([7, -7, 9, -9], tf.int32)
    b = tf.constant([2, 2, -4, -4], tf.int32)
    x = tf.constant([0.0, 0.5, 2.0, -1.5])
    y = tf.constant([0.3, 2.0, 0.0, 4.0])
    p = tf.constant([0.01, 0.3, 0.5, 0.97])
    ops = {"truncatediv": tf.truncatediv(a, b), "truncatemod": tf.truncatemod(a, b),
           "truncatediv_f": tf.truncatediv(x, y + 1.0), "truncatemod_f": tf.truncatemod(x * 3.0, y + 1.0),
           "floor_div": tf.floor_div(a, b), "xlogy": tf.math.xlogy(x, y), "xlog1py": tf.math.xlog1py(x, y),
           "xdivy": tf.math.xdivy(x, y), "nextafter": tf.math.nextafter(x, y),
           "erfinv": tf.math.erfinv(p * 2.0 - 1.0), "ndtri": tf.math.ndtri(p),
           "invperm": tf.invert_permutation([2, 0, 3, 1]), "linspace": tf.linspace(-1.0, 2.0, 7),
           "lin_space": tf.lin_space(0.0, 1.0, 1), "scalar_mul": tf.scalar_mul(3.0, x),
           "nondec": tf.is_non_decreasing([1, 2, 2, 3]), "strict": tf.is_strictly_increasing([1, 2, 2, 3]),
           "polyval": tf.math.polyval([1.0, -2.0, 3.0], x)}
    fetch = dict(ops)
    for k in ("xlogy", "xlog1py", "xdivy", "nextafter"):
        fetch["d_" + k] = tf.gradients(ops[k], [x, y])
    fetch["d_erfinv"] = tf.gradients(ops["erfinv"], p)[0]
    fetch["d_ndtri"] = tf.gradients(ops["ndtri"], p)[0]
    fetch["d_tdiv"] = [g if g is not None else tf.constant(-99.0)
                       for g in tf.gradients(ops["truncatediv_f"], [x, y])]
    with tf.Session() as s:
        vals = s.run(fetch)
    out = {k: np.asarray(v, np.float64).round(4).tolist() for k, v in vals.items()}
    # linspace: TF 2.21 builds linspace_nd's Slice graph, varstore one LinSpace op.
    out["names"] = {k: v.name for k, v in ops.items() if "lin" not in k}
    out["shapes"] = {k: v.shape.as_list() for k, v in ops.items()}
    try:
        tf.gradients(ops["truncatemod_f"], x)
    except LookupError as e:
        out["d_tmod"] = str(e).split(".")[0]
    with tf.Session() as s:
        for k, t in (("perm_dup", tf.invert_permutation([0, 0])), ("perm_range", tf.invert_permutation([0, 5])),
                     ("tdiv0", tf.truncatediv(a, tf.zeros_like(a))),
                     ("tmod0", tf.truncatemod(a, tf.zeros_like(a)))):
            try:
                s.run(t)
            except tf.errors.OpError as e:
                out["err_" + k] = [type(e).__name__, e.message.split("\n\t [[")[0].split("\n")[-1]]
    return out


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}


def _text(v):
    return v.decode() if isinstance(v, bytes) else v


def scenario_pool1d_and_weighted_moments(tf):
    rs = np.random.RandomState(11)
    x = tf.constant(rs.randn(2, 7, 3).astype(np.float32))
    ops = {"max_same": tf.nn.max_pool1d(x, 2, 2, "SAME"),
           "max_valid3": tf.nn.max_pool1d(x, [3], [1, 2, 1], "VALID"),
           "avg_valid": tf.nn.avg_pool1d(x, 3, 1, "VALID"),
           "avg2d": tf.nn.avg_pool2d(tf.reshape(x, [1, 2, 7, 3]), 2, 1, "SAME")}
    w = tf.constant(rs.uniform(0, 2, (2, 7, 1)).astype(np.float32))
    m, v = tf.nn.weighted_moments(x, [0, 1], w)
    mk, vk = tf.nn.weighted_moments(x, [1], w, keep_dims=True, name="wm")
    m0, v0 = tf.nn.weighted_moments(x, [1], tf.zeros([2, 7, 1]))
    ops.update({"m": m, "v": v, "mk": mk, "vk": vk, "m0": m0, "v0": v0})
    fetch = dict(ops)
    fetch["d_max"] = tf.gradients(ops["max_same"] * 1.5, x)[0]
    fetch["d_avg"] = tf.gradients(ops["avg_valid"], x)[0]
    fetch["d_wm"] = tf.gradients(tf.reduce_sum(m * v) + tf.reduce_sum(vk), [x, w])
    with tf.Session() as s:
        vals = s.run(fetch)
    out = {k: np.asarray(val, np.float64).round(4).tolist() for k, val in vals.items()
           if k != "d_wm"}
    out["d_wm"] = [np.asarray(g, np.float64).round(4).tolist() for g in vals["d_wm"]]
    out["names"] = {k: [t.name, t.shape.as_list()] for k, t in ops.items()}
    # TF's CPU kernels reject NCHW pooling at run time; varstore runs it, so only the graph
    # side (names, shapes, attrs) is compared
    ncw = tf.nn.avg_pool1d(tf.transpose(x, [0, 2, 1]), 2, 3, "SAME", data_format="NCW")
    out["ncw"] = [ncw.name, ncw.shape.as_list(), ncw.op.inputs[0].op.get_attr("ksize"),
                  _text(ncw.op.inputs[0].op.get_attr("data_format"))]
    out["pool_ops"] = sorted(o.name for o in tf.get_default_graph().get_operations()
                             if o.type in ("MaxPool", "AvgPool", "ExpandDims", "Squeeze"))

    def err(f):
        try:
            f()
        except (ValueError, TypeError) as e:
            return [type(e).__name__, str(e)]
        return None

    out["errors"] = [err(lambda: tf.nn.max_pool1d(tf.ones([2, 3]), 2, 2, "SAME")),
                     err(lambda: tf.nn.avg_pool1d(tf.ones([2, 3, 4]), [2, 2], 1, "SAME")),
                     err(lambda: tf.nn.weighted_moments(x, [1], w, keep_dims=True,
                                                        keepdims=True))]
    return out
