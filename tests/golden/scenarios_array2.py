"""Golden scenarios of TF1's n-d gathers and scatters, variable scatters, sorting / set ops,
roll, meshgrid, searchsorted and the space <-> depth / batch rearrangements
(``record_tf.py --set array2``): values, static shapes, op types, gradients and errors."""

import numpy as np


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    return a.tolist()


def _run(tf, fetches, feed=None):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
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


def scenario_gather_scatter_nd(tf):
    p = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 4.0)
    i2 = tf.constant([[0, 1], [1, 2], [0, 1]])
    i1 = tf.constant([[1], [0]])
    i3 = tf.constant([[[0, 0, 3]], [[1, 2, 1]]])
    u = tf.constant([1.5, -2.0, 3.0, 0.5])
    t = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    ti = tf.constant([[0, 1], [2, 3], [0, 1]])
    tu = tf.constant([10., 20., 30.])
    ops = {"g2": tf.gather_nd(p, i2), "g1": tf.gather_nd(p, i1), "g3": tf.gather_nd(p, i3),
           "sn": tf.scatter_nd(tf.constant([[1], [3], [1], [0]]), u, [5]),
           "sn2": tf.scatter_nd(tf.constant([[0, 1], [2, 0]]), tf.constant([[1., 2.], [3., 4.]]),
                                tf.constant([3, 2, 2])),
           "tsu": tf.tensor_scatter_nd_update(t, ti[1:], tu[1:]),
           "tsa": tf.tensor_scatter_nd_add(t, ti, tu),
           "tss": tf.tensor_scatter_nd_sub(t, ti, tu),
           "tsa_rows": tf.tensor_scatter_nd_add(t, tf.constant([[2], [0]]), tf.ones([2, 4]))}
    w = tf.constant(np.random.RandomState(0).randn(3, 4).astype(np.float32))
    fetch = dict(ops)
    fetch["d_g2"] = tf.gradients(ops["g2"] * tf.constant([[1.], [2.], [3.]]), p)[0]
    # TF returns IndexedSlices for [n, 1] indices; its dense value is what is compared
    fetch["d_g1"] = tf.convert_to_tensor(tf.gradients(ops["g1"], p)[0])
    fetch["d_sn"] = tf.gradients(ops["sn"] * tf.constant([1., 2., 3., 4., 5.]), u)[0]
    for k in ("tsu", "tsa", "tss"):
        fetch[f"d_{k}_t"], fetch[f"d_{k}_u"] = tf.gradients(ops[k] * w, [t, tu])
    fetch["d_tsu_u"] = tf.gradients(ops["tsu"] * w, tu)[0]
    out = _run(tf, fetch)
    out["shapes"] = {k: _shape(v) for k, v in ops.items()}
    out["types"] = {k: v.op.type for k, v in ops.items()}
    out["grad_types"] = {k: fetch[k].op.type for k in fetch
                        if k.startswith("d_") and k != "d_g1"}
    out["attrs"] = {"gather_nd": sorted(ops["g2"].op.node_def.attr.keys()),
                    "scatter_nd": sorted(ops["sn"].op.node_def.attr.keys())}
    ph = tf.placeholder(tf.float32, [None, 5])
    out["ph_shape"] = _shape(tf.gather_nd(ph, tf.zeros([7, 1], tf.int32)))
    dyn = tf.placeholder(tf.int32, [2])
    out["sn_dyn_shape"] = _shape(tf.scatter_nd([[0, 1]], [1.], dyn))
    out["errors"] = {
        "g_rank": _err(lambda: tf.gather_nd(p, [[1, 2, 3, 0]])),
        "g_float": _err(lambda: tf.gather_nd(p, [0.5])),
        "sn_prefix": _err(lambda: tf.scatter_nd(i2, [1., 2.], [3, 4])),
        "sn_suffix": _err(lambda: tf.scatter_nd([[1]], [[1., 2., 3.]], [3, 4])),
        "ts_dtype": _err(lambda: tf.tensor_scatter_nd_update(t, ti, tf.constant([1, 2, 3]))),
        "sn_dyn": _err(lambda: tf.scatter_nd([[0]], [1.], dyn)),
        "ts_suffix": _err(lambda: tf.tensor_scatter_nd_add(t, [[1]], tf.zeros([1, 5]))),
    }
    with tf.Session() as s:
        out["run_errors"] = {
            "g_oob": _run_err(lambda: s.run(tf.gather_nd(t, [[5, 0]])),
                              "indices[0] = [5, 0] does not index into param shape [3,4]"),
            "sn_oob": _run_err(lambda: s.run(tf.scatter_nd([[0], [7]], [1., 2.], [3])),
                               "indices[1] = [7] does not index into shape [3]"),
            "ts_oob": _run_err(lambda: s.run(tf.tensor_scatter_nd_update(t, [[1, 4]], [1.])),
                               "indices[0] = [1, 4] does not index into shape [3,4]"),
        }
    return out


def _var_scatters(tf, prefix):
    init = np.arange(8, dtype=np.float32).reshape(4, 2) + 1.0
    vs = {k: tf.Variable(init, name=f"{prefix}_{k}") for k in
          ("upd", "add", "sub", "mul", "div", "max", "min", "nd_upd", "nd_add", "nd_sub")}
    rows = [[9., 9.], [-1., 7.]]
    ops = {"upd": tf.scatter_update(vs["upd"], [0, 2], rows),
           "add": tf.scatter_add(vs["add"], [1, 1], rows),
           "sub": tf.scatter_sub(vs["sub"], [3, 0], rows),
           "mul": tf.scatter_mul(vs["mul"], [2], [[2., 0.5]]),
           "div": tf.scatter_div(vs["div"], [0, 3], [[2., 4.], [8., 0.5]]),
           "max": tf.scatter_max(vs["max"], [0, 1], rows),
           "min": tf.scatter_min(vs["min"], [0, 1], rows),
           "nd_upd": tf.scatter_nd_update(vs["nd_upd"], [[0, 1], [3, 0]], [50., 60.]),
           "nd_add": tf.scatter_nd_add(vs["nd_add"], [[1], [1]], rows),
           "nd_sub": tf.scatter_nd_sub(vs["nd_sub"], [[2, 1]], [0.25])}
    out = {"types": {k: v.op.type for k, v in ops.items()},
           "attrs": {k: sorted(a for a in v.op.node_def.attr.keys() if not a.startswith("_"))
                     for k, v in ops.items()},
           "inputs": {k: [x.name for x in v.op.inputs] for k, v in ops.items()},
           "shapes": {k: _shape(v) for k, v in ops.items()},
           "use_locking": {k: ops[k].op.get_attr("use_locking") for k in ("add", "nd_upd")
                           if "use_locking" in ops[k].op.node_def.attr}}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out["values"] = {k: _v(s.run(v)) for k, v in ops.items()}
        out["after"] = {k: _v(s.run(v)) for k, v in vs.items()}
        out["twice"] = _v(s.run(tf.scatter_add(vs["add"], [0], [[1., 1.]])))
        out["run_errors"] = {
            "oob": _run_err(lambda: s.run(tf.scatter_update(vs["upd"], [7], [[1., 1.]])),
                            "indices[0] = 7 is not in [0, 4)"),
            "neg": _run_err(lambda: s.run(tf.scatter_add(vs["add"], [1, -1], rows)),
                            "indices[1] = -1 is not in [0, 4)"),
            "nd_oob": _run_err(lambda: s.run(tf.scatter_nd_update(vs["nd_upd"], [[4]], [[1., 1.]])),
                               "indices[0] = [4] does not index into shape [4,2]"),
        }
    fresh = tf.Variable(init, name=f"{prefix}_fresh")
    with tf.Session() as s:
        out["uninit"] = _err(lambda: s.run(tf.scatter_add(fresh, [0], [[1., 1.]])))["type"]
    out["errors"] = {
        "rows": _err(lambda: tf.scatter_update(vs["upd"], [1], [[1., 1., 1.]], name="bad")),
        "nd": _err(lambda: tf.scatter_nd_add(vs["nd_add"], [[1]], [[1., 1., 1.]])),
        "float_idx": _err(lambda: tf.scatter_update(vs["upd"], [1.5], [[1., 1.]])),
    }
    return out


def scenario_variable_scatters_resource(tf):
    return _var_scatters(tf, "r")


def scenario_variable_scatters_ref(tf):
    tf.disable_resource_variables()
    try:
        return _var_scatters(tf, "v")
    finally:
        tf.enable_resource_variables()


def scenario_sort_argsort(tf):
    rs = np.random.RandomState(3)
    x = tf.constant(rs.randn(2, 3, 4).astype(np.float32))
    xi = tf.constant([[5, -3, 2, 2], [0, 9, -9, 1]])
    xu = tf.constant([3, 250, 0, 7], tf.uint8)
    ops = {"asc": tf.sort(x), "desc": tf.sort(x, direction="DESCENDING"),
           "ax0": tf.sort(x, axis=0), "ax1": tf.sort(x, axis=1, direction="DESCENDING"),
           "axm2": tf.sort(x, axis=-2),
           "arg": tf.argsort(x), "arg_ax1": tf.argsort(x, axis=1),
           "arg_desc": tf.argsort(x, axis=0, direction="DESCENDING"),
           "int": tf.sort(xi), "int_arg": tf.argsort(xi, stable=True),
           "uint8": tf.sort(xu), "uint8_desc": tf.sort(xu, direction="DESCENDING")}
    fetch = dict(ops)
    w = tf.constant(rs.randn(2, 3, 4).astype(np.float32))
    for k in ("asc", "ax0", "ax1"):
        fetch["d_" + k] = tf.gradients(ops[k] * w, x)[0]
    out = _run(tf, fetch)
    out["names"] = {k: v.name for k, v in ops.items()}
    out["shapes"] = {k: _shape(v) for k, v in ops.items()}
    out["dtypes"] = {k: v.dtype.name for k, v in ops.items()}
    out["graph"] = sorted(o.type for o in tf.get_default_graph().get_operations()
                          if o.name.startswith("sort_3/"))
    ph = tf.placeholder(tf.float32, [None, 5])
    out["ph_shape"] = _shape(tf.sort(ph, axis=0))
    out["errors"] = {"direction": _err(lambda: tf.sort(x, direction="UP")),
                     "axis": _err(lambda: tf.sort(x, axis=tf.placeholder(tf.int32)))["type"]}
    return out


def scenario_unique_setdiff(tf):
    x = tf.constant([4, 1, 4, 2, 7, 1, 1])
    u = tf.unique(x)
    uc = tf.unique_with_counts(tf.constant([2.5, -1.0, 2.5, 3.0]), out_idx=tf.int64)
    d = tf.setdiff1d([5, 1, 3, 1, 9, 2], [1, 2, 7])
    out = _run(tf, {"y": u.y, "idx": u.idx, "cy": uc.y, "cidx": uc.idx, "count": uc.count,
                    "dout": d.out, "didx": d.idx})
    out["fields"] = [list(type(u)._fields), list(type(uc)._fields), list(type(d)._fields)]
    out["names"] = [t.name for t in (*u, *uc, *d)]
    out["shapes"] = [_shape(t) for t in (*u, *uc, *d)]
    out["dtypes"] = [t.dtype.name for t in (*uc, *d)]
    out["types"] = [u.y.op.type, uc.y.op.type, d.out.op.type]
    f = tf.constant([1.0, 2.0, 1.0])
    out["errors"] = {"rank": _err(lambda: tf.unique([[1, 2]])),
                     "grad": _err(lambda: tf.gradients(tf.unique(f).y, f))["type"],
                     "ld_dtype": _err(lambda: tf.setdiff1d(tf.constant([1, 2]), tf.constant([1.0])))}
    return out


def scenario_roll_meshgrid(tf):
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    ops = {"r1": tf.roll(x, 1, 1), "r2": tf.roll(x, [-1, 2], [0, 1]),
           "r_same": tf.roll(x, [1, 1], [1, 1]), "r_neg_axis": tf.roll(x, 5, -1),
           "r_manip": tf.manip.roll(x, 2, 0)}
    fetch = dict(ops)
    w = tf.constant(np.random.RandomState(2).randn(3, 4).astype(np.float32))
    fetch["d_r2"] = tf.gradients(ops["r2"] * w, x)[0]
    mx, my = tf.meshgrid([1, 2, 3], [10, 20])
    ix, iy, iz = tf.meshgrid([1., 2.], [3., 4., 5.], [6.], indexing="ij")
    fetch.update({"mx": mx, "my": my, "ix": ix, "iy": iy, "iz": iz})
    out = _run(tf, fetch)
    out["shapes"] = {k: _shape(v) for k, v in {**ops, "mx": mx, "my": my, "ix": ix, "iz": iz}.items()}
    out["names"] = [t.name for t in (ops["r1"], mx, my, ix, iz)]
    out["attrs"] = sorted(ops["r1"].op.node_def.attr.keys())
    out["grad_type"] = fetch["d_r2"].op.type
    out["empty"] = tf.meshgrid()
    out["errors"] = {"mismatch": _err(lambda: tf.roll(x, [1, 2], [0])),
                     "kw": _err(lambda: tf.meshgrid([1], foo=1)),
                     "indexing": _err(lambda: tf.meshgrid([1], indexing="yx")),
                     "scalar": _err(lambda: tf.roll(tf.constant(1.0), 1, 0))}
    return out


def scenario_searchsorted_unravel_broadcast(tf):
    seq = tf.constant([[0., 1., 3., 3., 7.], [2., 4., 6., 8., 10.]])
    vals = tf.constant([[3., 0.5, 8.], [1., 10., 6.]])
    ops = {"left": tf.searchsorted(seq, vals), "right": tf.searchsorted(seq, vals, side="right"),
           "one_d": tf.searchsorted([1., 2., 2., 4.], [2., 3., 5.], side="right",
                                    out_type=tf.int64),
           "unravel": tf.unravel_index([5, 7, 0], [3, 4]),
           "unravel_s": tf.unravel_index(13, [2, 3, 4]),
           "bargs": tf.broadcast_dynamic_shape([2, 1, 3], [4, 1]),
           "bargs64": tf.broadcast_dynamic_shape(tf.constant([5], tf.int64),
                                                 tf.constant([1], tf.int64))}
    out = _run(tf, ops)
    out["types"] = {k: v.op.type for k, v in ops.items()}
    out["names"] = {k: v.name for k, v in ops.items()}
    out["shapes"] = {k: _shape(v) for k, v in ops.items()}
    out["dtypes"] = {k: v.dtype.name for k, v in ops.items()}
    out["inner"] = [ops["left"].op.inputs[0].op.type, ops["right"].op.inputs[0].op.inputs[0].name]
    bs = tf.broadcast_static_shape
    out["static"] = [str(bs(tf.TensorShape([None, 1, 3]), tf.TensorShape([4, 1]))),
                     str(bs(tf.TensorShape([2, None]), tf.TensorShape([None]))),
                     str(bs(tf.TensorShape(None), tf.TensorShape([3]))),
                     str(bs(tf.TensorShape([1]), tf.TensorShape([]))),
                     type(bs(tf.TensorShape([1]), tf.TensorShape([2]))).__name__]
    with tf.Session() as s:
        out["run_errors"] = {
            "unravel": _run_err(lambda: s.run(tf.unravel_index([15], [3, 4])),
                                "index is out of bound as with dims"),
            "bargs": _run_err(lambda: s.run(tf.broadcast_dynamic_shape([2], [3])),
                              "Incompatible shapes: [2] vs. [3]")}
    out["errors"] = {"side": _err(lambda: tf.searchsorted([1., 2.], [1.], side="mid")),
                     "static": _err(lambda: bs(tf.TensorShape([2]), tf.TensorShape([3]))),
                     "unravel_rank": _err(lambda: tf.unravel_index([[1]], [3, 4]))}
    return out


def scenario_space_depth_batch(tf):
    rs = np.random.RandomState(7)
    x = tf.constant(rs.randn(2, 4, 6, 3).astype(np.float32))
    xc = tf.constant(rs.randn(1, 8, 2, 4).astype(np.float32))
    ops = {"s2d": tf.space_to_depth(x, 2), "d2s": tf.depth_to_space(tf.space_to_depth(x, 2), 2),
           "s2b": tf.space_to_batch_nd(x, [2, 3], [[0, 0], [1, 2]]),
           "b2s": tf.batch_to_space_nd(tf.constant(rs.randn(4, 2, 3, 1).astype(np.float32)),
                                       [2, 2], [[0, 1], [1, 0]]),
           "s2b_1d": tf.space_to_batch_nd(tf.constant(rs.randn(1, 5, 2).astype(np.float32)),
                                          [2], [[1, 0]]),
           "s2b_v1": tf.space_to_batch(x, [[0, 0], [1, 1]], 2),
           "b2s_v1": tf.batch_to_space(tf.constant(rs.randn(8, 2, 3, 2).astype(np.float32)),
                                       [[1, 0], [0, 2]], 2)}
    fetch = dict(ops)
    for k, src in (("s2d", x), ("d2s", x), ("s2b", x), ("s2b_v1", x)):
        w = tf.constant(rs.randn(*ops[k].shape.as_list()).astype(np.float32))
        g = tf.gradients(ops[k] * w, src)[0]
        fetch["d_" + k] = g
    out = _run(tf, fetch)
    # TF's CPU kernels take NHWC only (a graph holding an NCHW one cannot run): NCHW is
    # checked for its static shapes, after the run
    nchw = {"d2s_c": tf.depth_to_space(xc, 2, data_format="NCHW"),
            "s2d_c": tf.space_to_depth(xc, 2, data_format="NCHW")}
    out["shapes"] = {k: _shape(v) for k, v in {**ops, **nchw}.items()}
    out["types"] = {k: v.op.type for k, v in ops.items()}
    out["nchw_grad"] = tf.gradients(nchw["d2s_c"], xc)[0].op.type
    out["grad_types"] = {k: v.op.type for k, v in fetch.items() if k.startswith("d_")}
    out["attrs"] = {k: sorted(ops[k].op.node_def.attr.keys()) for k in ("s2d", "s2b", "b2s")}
    out["block_dtype"] = ops["s2b_v1"].op.inputs[1].dtype.name
    ph = tf.placeholder(tf.float32, [None, 4, None, 3])
    out["ph"] = [_shape(tf.space_to_depth(ph, 2)),
                 _shape(tf.space_to_batch_nd(ph, [2, 2], [[0, 0], [0, 0]])),
                 _shape(tf.space_to_batch_nd(ph, tf.placeholder(tf.int32, [2]), [[0, 0], [0, 0]]))]
    return out


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
