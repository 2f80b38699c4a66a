"""Golden scenarios of the small TF1 surface programs hit (``record_tf.py --set surface``):
the aliases (arg_max, reverse_v2, tf.manip, tf.debugging.is_*, ...), tf.bitwise, MulNoNan,
Cross, matvec / normalize, tensor_scatter_nd_max/min, repeat, parallel_stack, batch_gather,
histogram_fixed_width_bins, count_up_to, mean_pairwise_squared_error, tf.sets, the top-k
metrics, assert_shapes, the incomplete gamma / beta / zeta and Bessel functions, as_string,
complex numbers and the static shapes TF's shape inference folds: values, static shapes, op
types and names, gradients and errors."""

import numpy as np


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    if a.dtype.kind == "O" or a.dtype.kind == "S":
        return [v.decode() if isinstance(v, bytes) else v for v in a.reshape(-1).tolist()]
    return a.tolist()


def _run(tf, fetches, feed=None, init=True):
    with tf.Session() as s:
        if init:
            s.run(tf.global_variables_initializer())
            s.run(tf.local_variables_initializer())
        vals = s.run(fetches, feed)
    return {k: _v(v) for k, v in vals.items()}


def _err(fn):
    """Type and message of the exception ``fn`` raises (None, None if none)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e)}
    return {"type": None, "msg": None}


def _run_err(fn, needle):
    """Type of a run-time error and whether its message contains ``needle``."""
    r = _err(fn)
    return {"type": r["type"], "has": needle in (r["msg"] or "")}


def _shape(t):
    return None if t.shape.ndims is None else t.shape.as_list()


def _sp(v):
    return {"indices": np.asarray(v.indices).tolist(), "values": _v(v.values),
            "shape": np.asarray(v.dense_shape).tolist()}


def scenario_aliases(tf):
    x = tf.constant([[1., 5., 2.], [7., 0., 3.]])
    am = tf.arg_max(x, 1)
    an = tf.arg_min(x, dimension=0, output_type=tf.int32)
    rv = tf.reverse_v2(x, [1])
    out = _run(tf, {"arg_max": am, "arg_min": an, "reverse_v2": rv,
                    "newaxis": x[:, tf.newaxis, 1],
                    "manip_tile": tf.manip.tile(x, [1, 2]),
                    "manip_reverse": tf.manip.reverse(x, [0]),
                    "manip_reshape": tf.manip.reshape(x, [3, 2]),
                    "manip_gather_nd": tf.manip.gather_nd(x, [[1, 0]]),
                    "manip_scatter_nd": tf.manip.scatter_nd([[1]], [4.], [3]),
                    "is_nan": tf.debugging.is_nan(x / 0. - x / 0.),
                    "is_inf": tf.debugging.is_inf(x / 0.),
                    "is_finite": tf.debugging.is_finite(x),
                    "is_non_decreasing": tf.debugging.is_non_decreasing([1, 2, 2]),
                    "is_strictly_increasing": tf.debugging.is_strictly_increasing([1, 2, 2]),
                    "all_finite": tf.debugging.assert_all_finite(x, "bad"),
                    "dcast": tf.dtypes.cast(x, tf.int32),
                    "dsat": tf.dtypes.saturate_cast(tf.constant([300., -5.]), tf.uint8),
                    "mod": tf.math.mod(tf.constant([7, -7]), 3),
                    "divide_no_nan": tf.math.divide_no_nan(x, tf.constant([0., 1., 2.])),
                    "l2n": tf.math.l2_normalize(x, axis=1),
                    "top_k": tf.math.top_k(x, 2).indices,
                    "zero_fraction": tf.math.zero_fraction(tf.constant([0., 1., 0., 3.])),
                    "rint": tf.math.rint(tf.constant([0.5, 1.5, -2.5, 2.7])),
                    "top_rint": tf.rint(tf.constant([3.5]))})
    out["types"] = [am.op.type, am.dtype.name, an.dtype.name, rv.op.type,
                    tf.math.rint(x).op.type, tf.math.mod(1, 2).op.type]
    out["names"] = [am.op.name, am.op.inputs[1].op.name, an.op.name]
    gv = tf.Variable(1.0, name="gv")
    iv = tf.initialize_variables([gv])
    tb = tf.tables_initializer()
    out["inits"] = [iv.type, iv.name, [c.name for c in iv.control_inputs], tb.type, tb.name,
                    tf.initialize_all_tables().name,
                    tf.initializers.tables_initializer().name]
    out["same"] = [tf.no_gradient is tf.NotDifferentiable, tf.NoGradient is tf.no_gradient,
                   tf.newaxis is None,
                   tf.train.piecewise_constant_decay is tf.train.piecewise_constant]
    step = tf.constant(5, tf.int64)
    lr = tf.train.piecewise_constant_decay(step, [3, 8], [1.0, 0.5, 0.1])
    out["piecewise"] = _run(tf, {"lr": lr})["lr"]
    return out


def scenario_get_static_value(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    c = tf.constant([1, 2])
    v = tf.Variable(2.0)
    return {
        "const": tf.get_static_value(c).tolist(),
        "python": tf.get_static_value(5),
        "list": tf.get_static_value([1, 2]),
        "variable": tf.get_static_value(v),
        "partial_shape": tf.get_static_value(tf.shape(p)),
        "full_shape": tf.get_static_value(tf.shape(tf.zeros([2, 4]))).tolist(),
        "add_not_folded": tf.get_static_value(c + 1),
        "range": tf.get_static_value(tf.range(1, 7, 2)).tolist(),
        "concat": tf.get_static_value(tf.concat([c, [5]], 0)).tolist(),
        "fill": tf.get_static_value(tf.fill([2], 7)).tolist(),
        "equal": tf.get_static_value(tf.equal(c, 2)).tolist(),
        "identity": tf.get_static_value(tf.identity(c)).tolist(),
        "rank": int(tf.get_static_value(tf.rank(p))),
        "cast": tf.get_static_value(tf.cast(c, tf.float32)).tolist(),
        "pack_partial": [None if e is None else int(e) for e in tf.get_static_value(
            tf.stack([tf.shape(p)[0], 3]), partial=True)],
        "pack_whole": tf.get_static_value(tf.stack([tf.shape(p)[0], 3])),
    }


def scenario_bitwise(tf):
    out = {}
    for dt in (tf.int8, tf.int32, tf.uint8, tf.int64, tf.uint16):
        signed = not dt.is_unsigned
        x = tf.constant([1, -3 if signed else 200, 5, 7, 100], dt)
        y = tf.constant([-1 if signed else 0, 3, 8, 70, 7], dt)
        out[dt.name] = _run(tf, {
            "and": tf.bitwise.bitwise_and(x, y), "or": tf.bitwise.bitwise_or(x, y),
            "xor": tf.bitwise.bitwise_xor(x, y), "invert": tf.bitwise.invert(x),
            "left": tf.bitwise.left_shift(x, y), "right": tf.bitwise.right_shift(x, y),
            "op_and": x & y, "op_or": x | y, "op_xor": x ^ y, "op_invert": ~x})
    x = tf.constant([1, 2])
    out["types"] = [(x & 3).op.type, (x | 3).op.type, (x ^ x).op.type, (~x).op.type,
                    (tf.constant([True]) & True).op.type, (~tf.constant([True])).op.type]
    out["names"] = [(3 & x).op.name, tf.bitwise.left_shift(x, 1).op.inputs[1].op.name,
                    tf.bitwise.invert(x).op.name]
    out["grad"] = [g is None for g in tf.gradients(
        tf.cast(tf.bitwise.left_shift(x, 1), tf.float32), x)]
    out["err_float"] = _err(lambda: tf.bitwise.left_shift(tf.constant([1.]), 2.))
    out["err_bool"] = _err(lambda: tf.bitwise.invert(tf.constant([True])))
    return out


def scenario_nonan_cross(tf):
    x = tf.constant([[1., 2., 3.], [0., 1., 0.]])
    y = tf.constant([[4., -5., 6.], [1., 1., 1.]])
    cr = tf.cross(x, y)
    m = tf.math.multiply_no_nan(tf.constant([np.inf, np.nan, 1.]), tf.constant([0., 0., 2.]))
    mx = tf.math.multiply_no_nan(x, tf.constant([0., 1., 2.]))
    r = tf.math.reciprocal_no_nan(tf.constant([0., 2., -4.]))
    e = tf.math.erfcinv(tf.constant([0.5, 1.0, 1.5]))
    mv = tf.linalg.matvec(tf.reshape(tf.range(6.), [2, 3]), tf.constant([1., 0., -1.]))
    mvt = tf.linalg.matvec(tf.reshape(tf.range(6.), [2, 3]), tf.constant([1., 2.]),
                           transpose_a=True)
    nn, nm = tf.linalg.normalize(tf.constant([[3., 4.], [6., 8.]]), axis=1)
    n1, _ = tf.linalg.normalize(tf.constant([1., -3.]), ord=1)
    cb = tf.clip_by_average_norm(tf.constant([[1., 2.], [3., 4.]]), 0.5)
    ein = tf.constant([0.3, 1.2])
    ma = tf.constant([[1., 2.], [3., 4.]])
    mb = tf.constant([0.5, -1.])
    ct = tf.constant([[0.1, 0.2], [0.3, 0.1]])
    out = _run(tf, {"cross": cr, "lcross": tf.linalg.cross(y, x), "mul_no_nan": m,
                    "mx": mx, "recip": r, "erfcinv": e, "matvec": mv, "matvec_t": mvt,
                    "normalized": nn, "norm": nm, "n1": n1, "clip_avg": cb,
                    "d_cross": tf.gradients(tf.reduce_sum(cr * cr), [x, y]),
                    "d_mul_no_nan": tf.gradients(mx, x)[0],
                    "d_recip": tf.gradients(tf.math.reciprocal_no_nan(x + 1.), x)[0],
                    "d_erfcinv": tf.gradients(tf.math.erfcinv(ein), ein)[0],
                    "d_matvec_a": tf.gradients(tf.linalg.matvec(ma, mb), ma)[0],
                    "d_matvec_b": tf.gradients(tf.linalg.matvec(ma, mb), mb)[0],
                    "d_clip": tf.gradients(tf.clip_by_average_norm(ct, 0.5), ct)[0]})
    out["names"] = [cr.op.name, m.op.name, m.op.type, r.op.name, r.op.type,
                    r.op.inputs[0].op.name, e.op.name, mv.op.name, nn.op.name, nm.op.name,
                    cb.op.name, cb.op.type]
    out["shapes"] = [_shape(cr), _shape(mv), _shape(nm),
                     _shape(tf.cross(tf.placeholder(tf.float32, [None, 3]),
                                     tf.placeholder(tf.float32, [2, None]))),
                     _shape(tf.cross(tf.placeholder(tf.float32), tf.zeros([4, 3])))]
    out["err_dim"] = _err(lambda: tf.cross(tf.constant([1., 2.]), tf.constant([1., 2.])))
    out["err_rank"] = _err(lambda: tf.cross(tf.zeros([1, 3]), tf.zeros([3])))
    out["err_type"] = _err(lambda: tf.cross(tf.constant([True, False, True]),
                                            tf.constant([True, False, True])))
    out["err_mnn_type"] = _err(lambda: tf.math.multiply_no_nan(tf.constant([1]),
                                                               tf.constant([1])))
    with tf.Session() as s:
        out["run_shape"] = _run_err(lambda: s.run(tf.cross(
            tf.placeholder_with_default(tf.ones([2, 3]), [None, 3]),
            tf.placeholder_with_default(tf.ones([3, 3]), [None, 3]))),
            "Both inputs must be of same shape: [2,3] vs. [3,3]")
        out["run_dim"] = _run_err(lambda: s.run(tf.cross(
            tf.placeholder_with_default(tf.ones([2, 4]), [None, None]),
            tf.placeholder_with_default(tf.ones([2, 4]), [None, None]))),
            "Cross-products are only defined for 3-element vectors.")
    return out


def scenario_tensor_scatter_min_max(tf):
    t = tf.constant([[1., 5.], [3., 2.], [0., 0.]])
    i = tf.constant([[0], [1], [0]])
    u = tf.constant([[4., 5.], [3., 1.], [2., 6.]])
    w = tf.constant([[1., 2.], [3., 4.], [5., 6.]])
    mx = tf.tensor_scatter_nd_max(t, i, u)
    mn = tf.tensor_scatter_nd_min(t, i, u)
    out = _run(tf, {"max": mx, "min": mn,
                    "d_max": tf.gradients(tf.reduce_sum(mx * w), [t, u]),
                    "d_min": tf.gradients(tf.reduce_sum(mn * w), [t, u]),
                    "int": tf.tensor_scatter_nd_max(tf.zeros([3, 2], tf.int32),
                                                    [[0, 1], [2, 0]], [7, -1])})
    out["types"] = [mx.op.type, mn.op.type, mx.op.name]
    out["shape"] = _shape(mx)
    return out


def scenario_repeat_stack_gather(tf):
    m = tf.constant([[1, 2], [3, 4]])
    p = tf.placeholder(tf.float32, [None, 2])
    r0 = tf.repeat(m, [1, 2], axis=0)
    r1 = tf.repeat(m, 2)
    r2 = tf.repeat(tf.constant([[1., 2.], [3., 4.]]), [2, 3], axis=1)
    r5 = tf.repeat(p, 2, axis=1)
    r6 = tf.repeat(p, [1, 3], axis=1)
    ps = tf.parallel_stack([tf.constant([1., 2.]), tf.constant([3., 4.])])
    bg = tf.batch_gather(tf.constant([[1, 2, 3], [4, 5, 6]]), tf.constant([[2, 0], [1, 1]]))
    bg3 = tf.batch_gather(tf.reshape(tf.range(24.), [2, 3, 4]),
                          tf.constant([[[0], [2], [3]], [[1], [1], [0]]]))
    h = tf.histogram_fixed_width_bins(tf.constant([[-1., 0., 1.5], [2., 5., 15.]]),
                                      [0., 5.], nbins=5)
    x = tf.constant([[1., 2.], [3., 4.]])
    pa = tf.constant([[1., 2., 3.], [4., 5., 6.]])
    feed = {p: [[1., 2.], [3., 4.]]}
    out = _run(tf, {"r0": r0, "r1": r1, "r2": r2, "r3": tf.repeat(tf.constant(5), 3),
                    "r5": r5, "r6": r6, "ps": ps, "bg": bg, "bg3": bg3, "h": h,
                    "d_r0": tf.gradients(tf.reduce_sum(tf.repeat(x, [1, 2], axis=0) *
                                                       tf.constant([[1.], [2.], [3.]])), x)[0],
                    "d_r1": tf.gradients(tf.reduce_sum(tf.repeat(x, 3) * tf.range(12.)), x)[0],
                    "d_r2": tf.gradients(tf.reduce_sum(tf.repeat(x, [1, 3], axis=1) *
                                                       tf.reshape(tf.range(8.), [2, 4])), x)[0],
                    "d_bg": tf.gradients(tf.reduce_sum(tf.batch_gather(
                        pa, tf.constant([[2, 0], [1, 1]])) * tf.constant([[1., 2.], [3., 4.]])),
                        pa)[0]}, feed)
    out["shapes"] = [_shape(t) for t in (r0, r1, r2, r5, r6, ps, bg, bg3, h)]
    out["types"] = [r0.op.type, r1.op.type, r2.op.type, ps.op.type, ps.op.name,
                    [i.op.name for i in ps.op.inputs], bg.op.name, h.op.name, h.dtype.name]
    out["err_ps_grad"] = _err(lambda: tf.gradients(ps, ps.op.inputs[0]))["type"]
    out["err_ps_shape"] = _err(lambda: tf.parallel_stack([p, p]))
    out["err_ps_merge"] = _err(lambda: tf.parallel_stack([tf.constant([1., 2.]),
                                                          tf.constant([1., 2., 3.])]))
    out["err_repeat_len"] = _err(lambda: tf.repeat(tf.constant([1, 2]), [1, 2, 3], axis=0))
    out["err_repeat_rank"] = _err(lambda: tf.repeat(tf.constant([1, 2]), [[1, 2]], axis=0))
    out["err_repeat_axis"] = _err(lambda: tf.repeat(tf.constant([1, 2]), 2, axis=2))
    out["err_bg"] = _err(lambda: tf.batch_gather(tf.constant([1, 2]), tf.placeholder(tf.int32)))
    return out


def scenario_count_up_to(tf):
    v = tf.Variable(0, name="cnt")
    c = tf.count_up_to(v, 2)
    c2 = v.count_up_to(3)
    out = {"op": [c.op.name, c.op.type, _shape(c), c.dtype.name,
                  [i.name for i in c.op.inputs], c.op.get_attr("limit"), c2.op.name]}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out["values"] = [int(s.run(c)), int(s.run(c)), int(s.run(v))]
        out["limit"] = _run_err(lambda: s.run(c), "Reached limit of 2")
        out["after"] = int(s.run(v))
    out["err_float"] = _err(lambda: tf.count_up_to(tf.Variable(0.5), 2))
    out["err_rank"] = _err(lambda: tf.count_up_to(tf.Variable([1, 2]), 2))
    out["grad"] = [g is None for g in tf.gradients(tf.cast(c, tf.float32), v)]
    tf.disable_resource_variables()
    try:
        w = tf.Variable(5, name="w")
        cw = tf.count_up_to(w, 6)
        out["ref"] = [cw.op.name, cw.op.type, cw.dtype.name, w.count_up_to(9).op.name]
        with tf.Session() as s:
            s.run(w.initializer)
            out["ref_values"] = [int(s.run(cw)), _run_err(lambda: s.run(cw),
                                                          "Reached limit of 6")]
        out["ref_err_rank"] = _err(lambda: tf.count_up_to(tf.Variable([1, 2]), 2))
    finally:
        tf.enable_resource_variables()
    return out


def scenario_mean_pairwise_squared_error(tf):
    lab = tf.constant([[1., 2., 4.], [0., 1., 3.]])
    pred = tf.constant([[1.5, 2., 3.], [1., 1., 1.]])
    l1 = tf.losses.mean_pairwise_squared_error(lab, pred)
    l2 = tf.losses.mean_pairwise_squared_error(lab, pred, weights=[[2.], [0.]])
    l3 = tf.losses.mean_pairwise_squared_error(tf.constant([[[1., 2.], [3., 4.]]]),
                                               tf.constant([[[0., 2.], [1., 5.]]]), weights=3.0)
    l4 = tf.losses.mean_pairwise_squared_error(lab, pred, weights=0.0)
    out = _run(tf, {"l1": l1, "l2": l2, "l3": l3, "l4": l4,
                    "grad": tf.gradients(l1, pred)[0]})
    out["names"] = [l1.name, l2.name, _shape(l1), len(tf.get_collection(tf.GraphKeys.LOSSES))]
    return out


def scenario_sets(tf):
    a = tf.constant([[1, 2, 2, 5], [3, 3, 3, 3]], tf.int64)
    b = tf.constant([[2, 7, 1, 1], [4, 5, 6, 3]], tf.int64)
    sp = tf.SparseTensor([[0, 0], [0, 2], [1, 1]], tf.constant([2, 9, 3], tf.int64), [2, 4])
    sp2 = tf.SparseTensor([[0, 1], [1, 0], [1, 3]], tf.constant([9, 3, 4], tf.int64), [2, 5])
    ops = {"i": tf.sets.intersection(a, b), "u": tf.sets.union(a, b),
           "d": tf.sets.difference(a, b), "db": tf.sets.difference(a, b, aminusb=False),
           "ds": tf.sets.set_intersection(a, sp), "sd": tf.sets.difference(sp, a),
           "ss": tf.sets.union(sp, sp2), "ssd": tf.sets.set_difference(sp, sp2),
           "s3": tf.sets.union(tf.constant([[[1, 2], [3, 3]], [[5, 5], [6, 1]]]),
                               tf.constant([[[2, 3], [4, 4]], [[6, 6], [7, 2]]])),
           "str": tf.sets.intersection(tf.constant([[b"a", b"b"], [b"c", b"a"]]),
                                       tf.constant([[b"b", b"x"], [b"a", b"a"]]))}
    out = {"static": {k: [v.indices.op.type, _shape(v.indices), _shape(v.values),
                          _shape(v.dense_shape)] for k, v in ops.items()}}
    with tf.Session() as s:
        vals = s.run(ops)
        out["values"] = {k: _sp(v) for k, v in vals.items()}
        sizes = s.run([tf.sets.size(ops["u"]), tf.sets.size(sp), tf.sets.set_size(ops["i"])])
        out["sizes"] = [x.tolist() for x in sizes]
        out["run_mismatch"] = _run_err(lambda: s.run(tf.sets.intersection(
            tf.placeholder_with_default(a, [None, None]),
            tf.placeholder_with_default(tf.constant([[1, 2]], tf.int64), [None, None])).values),
            "Mismatched shapes [2] vs [1]")
        bad = tf.SparseTensor([[1, 0], [0, 2]], tf.constant([2, 9], tf.int64), [2, 4])
        out["run_order"] = _run_err(lambda: s.run(tf.sets.size(bad)), "is out of order")
        out["unvalidated"] = s.run(tf.sets.size(bad, validate_indices=False)).tolist()
    out["size_type"] = [tf.sets.size(sp).op.type, _shape(tf.sets.size(sp)),
                        tf.sets.size(sp).dtype.name]
    out["err_rank"] = _err(lambda: tf.sets.intersection(tf.constant([1, 2]),
                                                        tf.constant([1, 2])))
    out["err_rank2"] = _err(lambda: tf.sets.intersection(tf.constant([[1, 2]]),
                                                         tf.constant([[[1, 2]]])))
    out["err_group"] = _err(lambda: tf.sets.intersection(tf.constant([[1, 2]]),
                                                         tf.constant([[1, 2], [3, 4]])))
    out["err_types"] = _err(lambda: tf.sets.intersection(tf.constant([[1, 2]]),
                                                         tf.constant([[1, 2]], tf.int64)))
    out["err_dense_size"] = _err(lambda: tf.sets.size(tf.constant([[1, 2]])))["type"]
    out["err_float"] = _err(lambda: tf.sets.union(tf.constant([[1.]]), tf.constant([[1.]])))[
        "type"]
    out["grad"] = [g is None for g in tf.gradients(tf.cast(tf.sets.size(sp), tf.float32),
                                                   sp.values)]
    return out


def scenario_metrics_at_k(tf):
    labels = tf.constant([[0, 2], [1, 3], [2, -1]], tf.int64)
    pred = tf.constant([[0.1, 0.5, 0.3, 0.1], [0.6, 0.2, 0.1, 0.1], [0.1, 0.1, 0.7, 0.1]])
    lab1 = tf.constant([1, 0, 2], tf.int64)
    idx = tf.constant([[1, 2], [0, 3], [2, 1]])
    ms = {"p": tf.metrics.precision_at_k(labels, pred, 2),
          "r": tf.metrics.recall_at_k(labels, pred, 2),
          "pc": tf.metrics.precision_at_k(labels, pred, 2, class_id=2),
          "rc": tf.metrics.recall_at_k(labels, pred, 2, class_id=1),
          "ap": tf.metrics.average_precision_at_k(labels, pred, 3),
          "pw": tf.metrics.precision_at_k(lab1, pred, 1, weights=[1., 0.5, 2.]),
          "rw": tf.metrics.recall_at_k(lab1, pred, 2, weights=[0., 1., 3.]),
          "ptk": tf.metrics.precision_at_top_k(labels, idx),
          "rtk": tf.metrics.recall_at_top_k(labels, idx, k=2),
          "sp": tf.metrics.sparse_precision_at_k(labels, pred, 1),
          "sap": tf.metrics.sparse_average_precision_at_k(labels, pred, 2,
                                                          weights=[1., 2., 0.]),
          "ap_oor": tf.metrics.average_precision_at_k(
              tf.constant([[0, 7], [1, 3], [2, 9]], tf.int64), pred, 2)}
    out = {"names": {k: [m[0].name, m[1].name] for k, m in ms.items()},
           "locals": sorted(v.name for v in tf.local_variables()),
           "metric_vars": len(tf.get_collection(tf.GraphKeys.METRIC_VARIABLES))}
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        first = s.run({k: m[1] for k, m in ms.items()})
        second = s.run({k: m[1] for k, m in ms.items()})
        value = s.run({k: m[0] for k, m in ms.items()})
    out["first"] = {k: _v(v) for k, v in first.items()}
    out["second"] = {k: _v(v) for k, v in second.items()}
    out["value"] = {k: _v(v) for k, v in value.items()}
    out["err_k"] = _err(lambda: tf.metrics.average_precision_at_k(labels, pred, 0))
    out["err_rank"] = _err(lambda: tf.metrics.precision_at_top_k(
        tf.constant([[[1]]], tf.int64), tf.constant([1])))
    return out


def scenario_assert_shapes(tf):
    x = tf.zeros([2, 3])
    y = tf.zeros([3, 4])
    z = tf.zeros([4])
    ok = tf.debugging.assert_shapes([(x, ("N", "K")), (y, ("K", "M")), (z, ("M",))])
    out = {"ok": [ok.type, ok.name, sorted(c.name for c in ok.control_inputs)]}
    out["err_symbol"] = _err(lambda: tf.debugging.assert_shapes([(x, ("N", "K")),
                                                                 (y, ("N", "M"))]))
    out["err_explicit"] = _err(lambda: tf.debugging.assert_shapes([(x, (2, 4))]))
    out["err_rank"] = _err(lambda: tf.debugging.assert_shapes([(x, (2,))]))
    out["err_ellipsis"] = _err(lambda: tf.debugging.assert_shapes([(x, ("N", ...))]))
    out["err_iterable"] = _err(lambda: tf.debugging.assert_shapes([(x, 5)]))
    ell = tf.debugging.assert_shapes([(x, (..., 3)), (z, ("*", 4))])
    out["ellipsis"] = [ell.type, [c.name for c in ell.control_inputs]]
    d = tf.debugging.assert_shapes({x: ("N", "."), tf.zeros([]): ()}, message="msg")
    out["dict"] = [d.type, sorted(c.name for c in d.control_inputs)]
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.placeholder(tf.float32, [None])
    a = tf.debugging.assert_shapes([(p, ("B", 3)), (q, ("B",))])
    with tf.control_dependencies([a]):
        o = tf.identity(q)
    with tf.Session() as s:
        out["run_ok"] = s.run(o, {p: np.zeros((2, 3)), q: np.zeros(2)}).tolist()
        out["run_bad"] = _run_err(lambda: s.run(o, {p: np.zeros((2, 3)), q: np.zeros(3)}),
                                  "[Specified by tensor Placeholder:0 dimension 0] [Tensor "
                                  "Placeholder_1:0 dimension] [0] [must have size] [2]")
    return out


def scenario_incomplete_gamma_beta_zeta(tf):
    a = tf.constant([0.5, 1.0, 2.5, 10.0, 0.1, 3.0, -1.0, 2.0, 0.0, 50.0], tf.float64)
    x = tf.constant([0.3, 2.0, 2.5, 8.0, 5.0, 0.0, 1.0, -1.0, 1.0, 60.0], tf.float64)
    zx = tf.constant([2.0, 3.5, 1.0, 0.5, 4.0, 2.0, 3.0, 1.5], tf.float64)
    zq = tf.constant([1.0, 0.3, 2.0, 1.0, -1.0, -1.5, -2.5, 100.0], tf.float64)
    ba = tf.constant([0.5, 1.0, 2.0, 10.0, 0.2, 3.0, -1.0, 2.0, 5.0], tf.float64)
    bb = tf.constant([0.5, 3.0, 2.0, 20.0, 0.3, 1.0, 1.0, 2.0, 0.5], tf.float64)
    bx = tf.constant([0.2, 0.5, 0.0, 0.4, 0.9, 1.0, 0.5, 1.5, 0.99], tf.float64)
    ga = tf.constant([0.5, 2.0, 3.0, 10.], tf.float32)
    gx = tf.constant([0.7, 1.0, 5.0, 9.], tf.float32)
    ops = {"igamma": tf.math.igamma(a, x), "igammac": tf.math.igammac(a, x),
           "igamma_f": tf.igamma(tf.cast(a, tf.float32), tf.cast(x, tf.float32)),
           "zeta": tf.math.zeta(zx, zq), "betainc": tf.math.betainc(ba, bb, bx),
           "betainc_s": tf.math.betainc(2.0, 3.0, tf.constant([0.1, 0.5, 0.7])),
           "lbeta": tf.math.lbeta(tf.constant([[1., 2., 3.], [0.5, 0.5, 4.]])),
           "lbeta1": tf.lbeta(tf.constant([2.5, 1.5]))}
    fetch = {k: tf.where(tf.is_nan(v), -tf.ones_like(v) * 99, tf.where(
        tf.is_inf(v), tf.ones_like(v) * 1e9, v)) for k, v in ops.items()}
    fetch["d_igamma"] = tf.gradients(tf.math.igamma(ga, gx), [ga, gx])
    fetch["d_igammac"] = tf.gradients(tf.math.igammac(ga, gx), [ga, gx])
    fetch["d_zeta_q"] = tf.gradients(tf.math.zeta(ga + 2.0, gx), gx)
    fetch["d_betainc_x"] = tf.gradients(tf.math.betainc(ga, ga + 1, gx / 10.), gx)
    fetch["d_lbeta"] = tf.gradients(tf.math.lbeta(tf.reshape(ga, [2, 2])), ga)
    out = _run(tf, fetch)
    out["no_grads"] = [tf.gradients(tf.math.zeta(ga + 2.0, gx), ga)[0] is None,
                       tf.gradients(tf.math.betainc(ga, ga + 1, gx / 10.), ga)[0] is None]
    out["types"] = {k: [v.op.type, _shape(v)] for k, v in ops.items()}
    out["err_betainc"] = _err(lambda: tf.math.betainc(tf.constant([1., 2.]),
                                                      tf.constant([1., 2., 3.]), 0.5))
    out["err_zeta"] = _err(lambda: tf.math.zeta(tf.constant([1, 2]), tf.constant([1, 2])))
    with tf.Session() as s:
        out["run_betainc"] = _run_err(lambda: s.run(tf.math.betainc(
            tf.placeholder_with_default([1., 2.], [None]),
            tf.placeholder_with_default([1., 2., 3.], [None]), 0.5)),
            "Shapes of a and b are inconsistent: [2] vs. [3]")
    return out


def scenario_bessel(tf):
    xs = [0.0, 0.1, -0.5, 1.0, 3.7, -8.0, 8.5, 20.0, -50.0, 99.0, 120.0, 300.0]
    fs = {"i0": tf.math.bessel_i0, "i0e": tf.math.bessel_i0e, "i1": tf.math.bessel_i1,
          "i1e": tf.math.bessel_i1e}
    fetch = {}
    for k, f in fs.items():
        for dt in (tf.float32, tf.float64):
            fetch[f"{k}_{dt.name}"] = f(tf.constant(xs[:9] if k in ("i0", "i1") else xs, dt))
    g = tf.constant([0.0, 0.5, -2.0, 6.0], tf.float32)
    for k, f in fs.items():
        fetch["d_" + k] = tf.gradients(f(g), g)[0]
    out = _run(tf, fetch)
    t = tf.math.bessel_i0e(g)
    out["names"] = [t.op.name, t.op.type, tf.math.bessel_i1(g, name="b1").op.name]
    out["err"] = _err(lambda: tf.math.bessel_i0(tf.constant([1])))
    return out


def scenario_as_string(tf):
    f = tf.constant([1.5, -2.25, 1e10, 3.14159265, np.nan, np.inf, 0.0001234])
    i = tf.constant([7, -42, 0])
    ops = {"f": tf.as_string(f), "p2": tf.as_string(f, precision=2),
           "sci": tf.as_string(f, scientific=True), "short": tf.as_string(f, shortest=True),
           "w0": tf.as_string(f, width=12, fill="0", precision=3),
           "i": tf.as_string(i), "iw": tf.as_string(i, width=5),
           "il": tf.as_string(i, width=5, fill="-"), "ip": tf.as_string(i, fill="+"),
           "u": tf.as_string(tf.constant([7, 200], tf.uint8), width=4, fill="0"),
           "b": tf.as_string(tf.constant([True, False])),
           "c": tf.as_string(tf.constant([1 + 2j, -0.5j], tf.complex64), precision=1),
           "d": tf.dtypes.as_string(tf.constant([1.5, 2.0], tf.float64), shortest=True,
                                    precision=3),
           "s": tf.as_string(tf.constant([b"ab", b"xyz"]), width=5),
           "hash": tf.as_string(f, fill="#", precision=0)}
    out = _run(tf, ops)
    out["op"] = [ops["f"].op.type, ops["f"].op.name, ops["f"].dtype.name, _shape(ops["f"])]
    with tf.Session() as s:
        for k, fn, needle in (
                ("err_prec", lambda: tf.as_string(i, precision=2),
                 "precision not supported for datatype int32"),
                ("err_sci", lambda: tf.as_string(i, scientific=True),
                 "scientific and shortest format not supported for datatype int32"),
                ("err_both", lambda: tf.as_string(f, scientific=True, shortest=True),
                 "Cannot select both scientific and shortest notation"),
                ("err_fill", lambda: tf.as_string(f, fill="x"),
                 'Fill argument not supported: "x"'),
                ("err_fill2", lambda: tf.as_string(f, fill="00"),
                 "Fill string must be one or fewer characters")):
            t = fn()
            out[k] = _run_err(lambda t=t: s.run(t), needle)
    return out


def scenario_complex(tf):
    re = tf.constant([1., -2., 0.5])
    im = tf.constant([0.5, 3., -1.])
    c = tf.complex(re, im)
    c2 = tf.dtypes.complex(tf.constant([1.], tf.float64), tf.constant([2.], tf.float64))
    x = tf.constant([1., 2., 3.])
    y = tf.constant([0.5, -1., 2.])
    z = tf.complex(x, y) * tf.complex(y, x)
    loss = tf.reduce_sum(tf.real(z) * 2. + tf.imag(z) * 3. + tf.angle(tf.complex(x, y)) +
                         tf.real(tf.conj(tf.complex(x, y)) * tf.complex(y, y)))
    out = _run(tf, {"real": tf.real(c), "imag": tf.math.imag(c), "angle": tf.angle(c),
                    "conj_re": tf.real(tf.conj(c)), "conj_im": tf.imag(tf.math.conj(c)),
                    "angle_real": tf.angle(tf.constant([-1., 2.])), "imag_real": tf.imag(re),
                    "c2": tf.real(c2), "grads": tf.gradients(loss, [x, y])})
    out["ops"] = [c.op.name, c.op.type, c.dtype.name, c2.dtype.name, tf.real(c).op.name,
                  tf.imag(c).op.type, tf.angle(c).op.name, tf.conj(c).op.name,
                  tf.real(re) is re, tf.conj(re) is re]
    out["err"] = _err(lambda: tf.complex(re, tf.constant([1.], tf.float64)))
    return out


def scenario_shape_folding(tf):
    p = tf.placeholder(tf.float32, [None, 2])
    x = tf.placeholder(tf.float32)
    s = tf.shape(p)
    return {
        "mul": _shape(tf.reshape(x, [s[1] * 2])),
        "slice": _shape(tf.reshape(x, [s[1]])),
        "sum": _shape(tf.reshape(x, [tf.reduce_sum(tf.constant([2, 3]))])),
        "broadcast": _shape(tf.reshape(x, [tf.reduce_sum(tf.broadcast_to(
            tf.constant([2, 3]), [s[1]]))])),
        "add": _shape(tf.reshape(x, [s[1] + 1])),
        "max": _shape(tf.reshape(x, [tf.maximum(s[1], 3)])),
        "fill": _shape(tf.fill([s[1] * 2], 1.)),
        "concat": _shape(tf.reshape(x, tf.concat([s[:1], [s[1] * 3]], 0))),
        "range": _shape(tf.reshape(x, [tf.reduce_sum(tf.range(4))])),
        "zeros_types": [tf.zeros(tf.constant([2, 3])).op.type,
                        tf.ones(tf.concat([[2], [3]], 0)).op.type,
                        tf.zeros(tf.shape(tf.ones([2, 3]))).op.type, tf.zeros([2, 3]).op.type],
        "tile_grad": _run(tf, {"g": tf.gradients(tf.reduce_sum(tf.tile(
            p, tf.stack([tf.shape(p)[0], 2])) * 2.), p)[0]}, {p: [[1., 2.], [3., 4.]]})["g"],
    }


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
