"""Golden scenarios of TF1's sparse family (``record_tf.py --set sparse``): SparseTensor feeds
and fetches, the sparse ops (to_dense, add, concat, reshape, slice, split, fill_empty_rows,
reductions, maximum/minimum, transpose, reset_shape, expand_dims, eye, from_dense,
to_indicator, merge, mask), the sparse segment reductions and the embedding lookups over
sparse ids: values, dense shapes, static shapes, op types, gradients, errors, and an
embedding_lookup_sparse + GradientDescent training run."""

import numpy as np


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    if a.dtype.kind == "c":
        return [np.round(a.real.astype(np.float64), 5).tolist(),
                np.round(a.imag.astype(np.float64), 5).tolist()]
    return a.tolist()


def _out(v):
    """A fetched value as JSON: a SparseTensorValue / IndexedSlicesValue as a dict."""
    if hasattr(v, "dense_shape") and hasattr(v, "values"):
        d = {"values": _v(v.values),
             "dense_shape": None if v.dense_shape is None else _v(v.dense_shape)}
        d["indices"] = _v(v.indices)
        return d
    return _v(v)


def _run(tf, fetches, feed=None):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        vals = s.run(fetches, feed)
    return {k: _out(v) for k, v in vals.items()}


def _err(fn):
    """Type and message of the exception ``fn`` raises (None, None if none)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e)}
    return {"type": None, "msg": None}


def _rt_err(tf, fetch, feed=None):
    """A run-time error: its type and the kernel's message (before TF's node marker, after
    the 'Graph execution error ... Node:' lines TF prefixes and varstore does not)."""
    try:
        with tf.Session() as s:
            s.run(fetch, feed)
    except Exception as e:  # noqa: BLE001
        text = str(e).split("\n\t [[")[0]
        if "Node: '" in text:
            text = text.split("Node: '", 1)[1].split("\n", 1)[1]
        return {"type": type(e).__name__, "msg": text}
    return {"type": None, "msg": None}


def _shape(t):
    return None if t.shape.ndims is None else t.shape.as_list()


def _spshape(sp):
    """Static shapes of a SparseTensor's components and its own static dense shape."""
    return {"indices": _shape(sp.indices), "values": _shape(sp.values),
            "dense_shape": _shape(sp.dense_shape),
            "shape": None if sp.shape.ndims is None else sp.shape.as_list()}


def _dense(tf, g):
    return tf.convert_to_tensor(g)


def _a(tf):
    return tf.SparseTensor([[0, 0], [0, 2], [1, 1], [2, 3]], [1.0, -2.0, 3.0, 4.0], [3, 4])


# -- the ops varstore had before this set -------------------------------------------------------
def scenario_feeds_to_dense_matmul(tf):
    sp = tf.sparse_placeholder(tf.float32, shape=[3, 4], name="sp")
    b = tf.constant(np.arange(8, dtype=np.float32).reshape(4, 2))
    m = tf.sparse_tensor_dense_matmul(sp, b)
    mt = tf.sparse.sparse_dense_matmul(sp, tf.transpose(b), adjoint_b=True)
    dense = tf.sparse.to_dense(sp, default_value=-1.0)
    s2d = tf.sparse_to_dense([[0, 1], [2, 2]], [3, 3], [5, 6], default_value=1)
    feed = {sp: tf.SparseTensorValue([[0, 1], [2, 0], [2, 3]], [1.0, -1.5, 2.0], [3, 4])}
    gv, gb = tf.gradients(tf.reduce_sum(m * tf.constant([[1., 2.]])), [sp.values, b])
    out = _run(tf, {"sp": sp, "m": m, "mt": mt, "dense": dense, "s2d": s2d, "gv": gv,
                    "gb": gb, "d_dense": tf.gradients(tf.reduce_sum(dense * 2.0), sp.values)[0]},
               feed)
    out["shapes"] = {"sp": _spshape(sp), "m": _shape(m), "dense": _shape(dense),
                     "s2d": _shape(s2d)}
    out["types"] = [m.op.type, dense.op.type, s2d.op.type]
    out["names"] = [sp.indices.name, sp.values.name, sp.dense_shape.name, m.name]
    out["bad_index"] = _rt_err(tf, dense, {sp: ([[5, 0]], [1.0], [3, 4])})
    out["unordered"] = _rt_err(tf, dense, {sp: ([[2, 0], [0, 0]], [1.0, 2.0], [3, 4])})
    return out


def scenario_reduce_sum_reorder_retain_softmax(tf):
    a = tf.SparseTensor([[1, 1], [0, 2], [0, 0], [2, 3]], [3.0, -2.0, 1.0, 4.0], [3, 4])
    r = tf.sparse_reorder(a)
    rs = tf.sparse_reduce_sum(a, 1)
    rk = tf.sparse.reduce_sum(a, axis=0, keepdims=True)
    rall = tf.sparse_reduce_sum(a)
    ret = tf.sparse_retain(a, [True, False, True, True])
    sm = tf.sparse_softmax(tf.SparseTensor([[0, 0], [0, 2], [1, 1], [1, 3]],
                                           [1.0, 2.0, 0.5, -1.0], [2, 4]))
    ph = tf.sparse_placeholder(tf.float32, shape=[3, 4])
    fetch = {"r": r, "rs": rs, "rk": rk, "rall": rall, "ret": ret, "sm": sm,
             "d_r": tf.gradients(r.values * tf.constant([1., 2., 3., 4.]), a.values)[0],
             "d_rs": tf.gradients(rs * tf.constant([1., 2., 3.]), a.values)[0],
             "d_sm": tf.gradients(sm.values * tf.constant([1., 2., 3., 4.]), sm.op.inputs[1])[0]}
    out = _run(tf, fetch)
    out["shapes"] = {"r": _spshape(r), "rs": _shape(rs), "rk": _shape(rk), "rall": _shape(rall),
                     "ret": _spshape(ret), "ph_reduce": _shape(tf.sparse_reduce_sum(ph, 1))}
    out["types"] = [r.indices.op.type, rs.op.type, sm.values.op.type]
    out["bad_axis"] = _rt_err(tf, tf.sparse_reduce_sum(a, 2))
    return out


# -- SparseAdd ------------------------------------------------------------------------------------
def scenario_sparse_add(tf):
    a = _a(tf)
    b = tf.SparseTensor([[0, 0], [0, 1], [1, 1], [2, 0]], [0.5, 1.0, -3.05, 2.0], [3, 4])
    s = tf.sparse_add(a, b)
    st = tf.sparse.add(a, b, threshold=0.1)
    sd = tf.sparse_add(a, tf.ones([3, 4]))
    ga, gb = tf.gradients(st.values * tf.constant([1., 2., 3., 4., 5.]), [a.values, b.values])
    gd = tf.gradients(tf.reduce_sum(sd * tf.constant([[1., 2., 3., 4.]])), a.values)[0]
    out = _run(tf, {"s": s, "st": st, "sd": sd, "ga": ga, "gb": gb, "gd": gd})
    ph = tf.sparse_placeholder(tf.float32)
    pq = tf.sparse_placeholder(tf.float32, shape=[3, None])
    out["shapes"] = {"s": _spshape(s), "ph": _spshape(tf.sparse_add(a, ph)),
                     "pq": _spshape(tf.sparse_add(pq, pq)), "sd": _shape(sd)}
    out["types"] = [s.indices.op.type, sd.op.type, ga.op.type]
    y = tf.sparse_add(a, ph)
    out["rank_mismatch"] = _rt_err(tf, y, {ph: ([[0, 0]], [1.0], [3, 4, 1])})
    out["shape_mismatch"] = _rt_err(tf, y, {ph: ([[0, 0]], [1.0], [3, 5])})
    out["values_count"] = _rt_err(tf, y, {ph: ([[0, 0]], [1.0, 2.0], [3, 4])})
    out["index_width"] = _rt_err(tf, y, {ph: ([[0, 0, 0]], [1.0], [3, 4])})
    out["static_mismatch"] = _err(lambda: tf.sparse_add(a, tf.SparseTensor([[0, 0]], [1.], [2, 4])))
    out["dtype_mismatch"] = _err(lambda: tf.sparse_add(a, tf.SparseTensor([[0, 0]], [1], [3, 4])))
    out["no_sparse"] = _err(lambda: tf.sparse_add(tf.ones([2]), tf.ones([2])))
    out["both_thresh"] = _err(lambda: tf.sparse_add(a, b, threshold=0.1, thresh=0.2))
    return out


# -- concat, reshape ------------------------------------------------------------------------------
def scenario_sparse_concat(tf):
    a = tf.SparseTensor([[0, 2], [1, 0], [1, 1]], [1.0, 2.0, 3.0], [2, 3])
    b = tf.SparseTensor([[0, 1], [0, 2]], [4.0, 5.0], [2, 4])
    c = tf.SparseTensor([[0, 0], [2, 1]], [6.0, 7.0], [3, 2])
    ops = {"c1": tf.sparse_concat(1, [a, b]), "cm1": tf.sparse.concat(-1, [a, b]),
           "c0": tf.sparse_concat(0, [a, tf.SparseTensor([[0, 0]], [9.0], [1, 3])]),
           "ce0": tf.sparse_concat(0, [a, b, c], expand_nonconcat_dim=True),
           "ce1": tf.sparse.concat(axis=1, sp_inputs=[a, c], expand_nonconcat_dim=True)}
    out = _run(tf, ops)
    ph = tf.sparse_placeholder(tf.float32, shape=[None, 3])
    q = tf.sparse_placeholder(tf.float32)
    out["shapes"] = {k: _spshape(v) for k, v in ops.items()}
    out["shapes"]["ph"] = _spshape(tf.sparse_concat(0, [a, ph]))
    out["shapes"]["q"] = _spshape(tf.sparse_concat(1, [a, q]))
    out["types"] = sorted({v.indices.op.type for v in ops.values()})
    out["one_input_same"] = tf.sparse_concat(1, [a]) is a
    # (TF1's deprecated-alias lookup sees expand_nonconcat_dim=False as given too)
    out["both_expand"] = _err(lambda: tf.sparse_concat(1, [a, c], expand_nonconcat_dims=True))
    pc = tf.sparse_concat(0, [a, ph])
    out["mismatch"] = _rt_err(tf, pc, {ph: ([[0, 0]], [1.0], [2, 4])})
    out["rank"] = _rt_err(tf, tf.sparse_concat(1, [q, a]), {q: ([[0, 0, 0]], [1.0], [2, 3, 3])})
    out["axis"] = _rt_err(tf, tf.sparse_concat(3, [q, q]), {q: ([[0, 0]], [1.0], [2, 3])})
    out["grad"] = tf.gradients(ops["c1"].values, a.values)[0] is None
    out["dtypes"] = _err(lambda: tf.sparse_concat(1, [a, tf.SparseTensor([[0, 0]], [1], [2, 3])]))
    out["tuple"] = _err(lambda: tf.sparse_concat(1, (a, b)))
    out["not_list"] = _err(lambda: tf.sparse_concat(1, a))
    return out


def scenario_sparse_reshape(tf):
    a = tf.SparseTensor([[0, 2], [1, 0], [1, 1]], [1.0, 2.0, 3.0], [2, 3])
    ops = {"r32": tf.sparse_reshape(a, [3, -1]), "r6": tf.sparse.reshape(a, [6]),
           "r3": tf.sparse_reshape(a, tf.constant([3, 1, 2])), "same": tf.sparse_reshape(a, [2, 3])}
    fetch = dict(ops)
    fetch["d_r6"] = tf.gradients(ops["r6"].values * tf.constant([1., 2., 3.]), a.values)[0]
    out = _run(tf, fetch)
    out["shapes"] = {k: _spshape(v) for k, v in ops.items()}
    p = tf.sparse_placeholder(tf.float32)
    s = tf.placeholder(tf.int64, [None])
    out["shapes"]["p"] = _spshape(tf.sparse_reshape(p, [2, -1]))
    r = tf.sparse_reshape(a, s)
    out["shapes"]["dynamic"] = _spshape(r)
    out["types"] = [ops["r6"].indices.op.type, ops["r6"].values.op.type]
    out["two_unknown"] = _err(lambda: tf.sparse_reshape(a, [-1, -1]))
    out["bad_size"] = _err(lambda: tf.sparse_reshape(a, [4, 2]))
    out["bad_multiple"] = _err(lambda: tf.sparse_reshape(a, [4, -1]))
    out["rt_multiple"] = _rt_err(tf, r, {s: [4, -1]})
    out["rt_two"] = _rt_err(tf, r, {s: [-1, -1]})
    out["rt_size"] = _rt_err(tf, r, {s: [4, 2]})
    out["rt_zero"] = _rt_err(tf, r, {s: [0, -1]})
    out["rt_negative"] = _rt_err(tf, r, {s: [-2, 3]})
    return out


# -- slice, split, fill_empty_rows ----------------------------------------------------------------
def scenario_sparse_slice_split(tf):
    a = tf.SparseTensor([[0, 2], [1, 0], [1, 1], [1, 4]], [1.0, 2.0, 3.0, 4.0], [2, 5])
    sl = tf.sparse_slice(a, [0, 1], [2, 3])
    sl2 = tf.sparse.slice(a, [1, 4], [5, 5])
    sl3 = tf.sparse_slice(a, [3, 0], [1, 1])
    sp = tf.sparse_split(sp_input=a, num_split=2, axis=1)
    sp0 = tf.sparse.split(sp_input=a, num_split=2, axis=-2)
    fetch = {"sl": sl, "sl2": sl2, "sl3": sl3, "sp_0": sp[0], "sp_1": sp[1], "sp0_0": sp0[0],
             "sp0_1": sp0[1],
             "d_sl": tf.gradients(sl.values * tf.constant([2.0, 3.0]), a.values)[0]}
    out = _run(tf, fetch)
    out["shapes"] = {"sl": _spshape(sl), "sp": _spshape(sp[0]),
                     "p": _spshape(tf.sparse_slice(tf.sparse_placeholder(tf.float32), [0], [1]))}
    out["types"] = [sl.indices.op.type, sp[0].indices.op.type, fetch["d_sl"].op.type]
    out["names"] = [sl.indices.name, sp[1].values.name, sp[0].dense_shape.name]
    p = tf.sparse_placeholder(tf.float32)
    out["start_len"] = _rt_err(tf, tf.sparse_slice(p, [0], [1]), {p: ([[0, 0]], [1.0], [2, 3])})
    out["neg_size"] = _rt_err(tf, tf.sparse_slice(a, [0, 0], [-1, 1]))
    out["too_many"] = _rt_err(tf, tf.sparse_split(sp_input=a, num_split=3, axis=0))
    out["axis_range"] = _rt_err(tf, tf.sparse_split(sp_input=a, num_split=2, axis=2))
    out["no_keywords"] = _err(lambda: tf.sparse_split(a, 2, 1))
    out["no_axis"] = _err(lambda: tf.sparse_split(sp_input=a, num_split=2))
    out["zero_split"] = _err(lambda: tf.sparse_split(sp_input=a, num_split=0, axis=1))
    out["int32_axis"] = _err(lambda: tf.sparse_split(sp_input=a, num_split=2,
                                                     axis=tf.constant(1)))
    out["split_grad"] = _err(lambda: tf.gradients(sp[0].values, a.values))
    return out


def scenario_sparse_fill_empty_rows(tf):
    a = tf.SparseTensor([[0, 2], [2, 0], [2, 1], [4, 4]], [1.0, 2.0, 3.0, 4.0], [5, 5])
    dv = tf.constant(7.0)
    r, e = tf.sparse_fill_empty_rows(a, dv)
    r2, e2 = tf.sparse.fill_empty_rows(tf.SparseTensor([[1, 0], [0, 0]], [1, 2], [3, 2]), -1)
    g = tf.gradients(r.values * tf.range(1.0, 7.0), [a.values, dv])
    out = _run(tf, {"r": r, "e": e, "r2": r2, "e2": e2, "g_values": g[0], "g_default": g[1]})
    p = tf.sparse_placeholder(tf.float32)
    rp, ep = tf.sparse_fill_empty_rows(p, 0.0)
    out["shapes"] = {"r": _spshape(r), "e": _shape(e), "rp": _spshape(rp), "ep": _shape(ep)}
    out["names"] = [r.indices.name, e.name, g[0].name]
    out["types"] = [r.indices.op.type, g[0].op.type]
    out["bad_row"] = _rt_err(tf, rp, {p: ([[5, 0]], [1.0], [2, 3])})
    out["values_count"] = _rt_err(tf, rp, {p: ([[0, 0]], [1.0, 2.0], [2, 3])})
    out["rank"] = _rt_err(tf, rp, {p: ([[0, 0]], [1.0], [2, 3, 3])})
    out["default_rank"] = _err(lambda: tf.sparse_fill_empty_rows(a, [1.0, 2.0]))
    out["default_dtype"] = _err(lambda: tf.sparse_fill_empty_rows(
        tf.SparseTensor([[0, 0]], [1], [2, 2]), 1.5))
    return out


# -- reductions, maximum / minimum ----------------------------------------------------------------
def scenario_sparse_reduce_max_min(tf):
    a = tf.SparseTensor([[0, 0], [0, 2], [1, 1], [1, 2]], [1.0, -2.0, 3.0, -4.0], [3, 3])
    b = tf.SparseTensor([[0, 0], [1, 0], [1, 1]], [4.0, -5.0, 1.0], [3, 3])
    ops = {"max1": tf.sparse_reduce_max(a, 1), "max_all": tf.sparse.reduce_max(a),
           "max0k": tf.sparse_reduce_max(a, 0, keepdims=True),
           "maxs": tf.sparse_reduce_max_sparse(a, 1),
           "sums0": tf.sparse_reduce_sum_sparse(a, 0),
           "sumsk": tf.sparse.reduce_sum_sparse(a, -1, keepdims=True),
           "dup": tf.sparse_reduce_max(tf.SparseTensor([[0, 0], [0, 0]], [1.0, 5.0], [2, 2]), 1),
           "int": tf.sparse_reduce_max(tf.SparseTensor([[1, 0]], [3], [2, 2]), 1),
           "maximum": tf.sparse_maximum(a, b), "minimum": tf.sparse.minimum(a, b)}
    out = _run(tf, ops)
    out["shapes"] = {k: (_spshape(v) if hasattr(v, "dense_shape") else _shape(v))
                     for k, v in ops.items()}
    ph = tf.sparse_placeholder(tf.float32, shape=[None, 3])
    out["shapes"]["ph"] = _shape(tf.sparse_reduce_max(ph, 1))
    out["types"] = [ops["max1"].op.type, ops["maxs"].indices.op.type,
                    ops["sums0"].indices.op.type, ops["maximum"].indices.op.type]
    out["names"] = [ops["maximum"].indices.name, ops["max1"].op.inputs[3].name]
    out["max_grad"] = _err(lambda: tf.gradients(ops["max1"], a.values))
    out["sparse_sum_grad"] = _err(lambda: tf.gradients(ops["sums0"].values, a.values))
    out["maximum_grad"] = _err(lambda: tf.gradients(ops["maximum"].values, a.values))
    out["out_of_bounds"] = _rt_err(tf, tf.sparse_reduce_max(
        tf.SparseTensor([[5, 0]], [1.0], [2, 2]), 1))
    p = tf.sparse_placeholder(tf.float32)
    mm = tf.sparse_maximum(a, p)
    out["mm_shape"] = _rt_err(tf, mm, {p: ([[0, 0]], [1.0], [3, 4])})
    out["mm_rank"] = _rt_err(tf, mm, {p: ([[0, 0]], [1.0], [3, 3, 1])})
    out["mm_bounds"] = _rt_err(tf, mm, {p: ([[5, 0]], [1.0], [3, 3])})
    out["string_max"] = _err(lambda: tf.sparse_reduce_max(
        tf.SparseTensor([[0, 0]], ["x"], [2, 2]), 1))
    return out


# -- transforms -----------------------------------------------------------------------------------
def scenario_sparse_transforms(tf):
    a = tf.SparseTensor([[0, 0], [0, 2], [1, 1]], [1.0, -2.0, 3.0], [2, 3])
    a3 = tf.SparseTensor([[0, 0, 1], [0, 2, 0], [1, 1, 1]], [1.0, -2.0, 3.0], [2, 3, 2])
    ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 1]], tf.constant([3, 1, 0, 3], tf.int64),
                          [3, 2])
    vals = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [2, 1]], [0.5, 1.5, -1.0, 2.0], [3, 2])
    ops = {"t": tf.sparse_transpose(a), "t3": tf.sparse.transpose(a3, [2, 0, 1]),
           "reset": tf.sparse_reset_shape(a), "reset34": tf.sparse.reset_shape(a, [3, 4]),
           "ed1": tf.sparse.expand_dims(a, 1), "ed": tf.sparse.expand_dims(a),
           "edm3": tf.sparse.expand_dims(a, -3), "eye": tf.sparse.eye(3),
           "eye24": tf.sparse.eye(2, 4, dtype=tf.int32),
           "fd": tf.sparse.from_dense(tf.constant([[1., 0., 2.], [0., 0., 3.]])),
           "ind": tf.sparse_to_indicator(ids, 4), "merge": tf.sparse_merge(ids, vals, 5),
           "merge_sorted": tf.sparse.merge(ids, vals, 4, already_sorted=True)}
    fetch = dict(ops)
    fetch["d_t"] = tf.gradients(ops["t"].values * tf.constant([1., 2., 3.]), a.values)[0]
    fetch["d_ed"] = tf.gradients(ops["ed1"].values * 2.0, a.values)[0]
    out = _run(tf, fetch)
    out["shapes"] = {k: (_spshape(v) if hasattr(v, "dense_shape") else _shape(v))
                     for k, v in ops.items()}
    p = tf.sparse_placeholder(tf.float32)
    out["shapes"]["tp"] = _spshape(tf.sparse_transpose(p))
    out["shapes"]["edp"] = _spshape(tf.sparse.expand_dims(p, 0))
    out["types"] = {"t": ops["t"].indices.op.type, "ind": ops["ind"].op.type,
                    "fd": ops["fd"].indices.op.type}
    out["names"] = [ops["t"].indices.name, ops["ind"].name, ops["eye"].dense_shape.name]
    out["reset_small"] = _err(lambda: tf.sparse_reset_shape(a, [1, 4]))
    out["reset_rank"] = _err(lambda: tf.sparse_reset_shape(a, [[1, 4]]))
    out["reset_len"] = _err(lambda: tf.sparse_reset_shape(a, [1, 4, 5]))
    rp = tf.sparse_reset_shape(p, [3, 4])
    out["reset_dynamic"] = _run(tf, {"r": rp}, {p: ([[0, 0]], [1.0], [2, 3])})["r"]
    out["reset_too_small"] = _rt_err(tf, rp, {p: ([[0, 0]], [1.0], [4, 3])})["type"]
    out["ed_axis"] = _err(lambda: tf.sparse.expand_dims(a, 1.5))
    out["eye_float"] = _err(lambda: tf.sparse.eye(2.0))
    out["merge_vocab"] = _err(lambda: tf.sparse_merge(ids, vals, 2.5))
    out["merge_lengths"] = _err(lambda: tf.sparse_merge([ids], vals, [4, 5]))
    return out


def scenario_indexed_slices_mask(tf):
    v = tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3))
    a = tf.IndexedSlices(v, tf.constant([12, 26, 37, 45]), tf.constant([50, 3]))
    m = tf.sparse_mask(a, [12, 45])
    m2 = tf.sparse.mask(a, tf.constant([26]), name="m")
    out = _run(tf, {"m": m, "m2": m2, "plain": tf.IndexedSlices(v, tf.constant([0, 1, 2, 3])),
                    "dense": tf.convert_to_tensor(tf.IndexedSlices(v[:2], tf.constant([3, 3]),
                                                                   tf.constant([5, 3])))})
    out["names"] = [m.values.name, m.indices.name, m2.values.name]
    out["types"] = [m.values.op.type, m.indices.op.type]
    out["shape"] = a.shape.as_list()
    out["no_dense_shape"] = _err(lambda: tf.convert_to_tensor(tf.IndexedSlices(v, v[:, 0])))
    out["dtype"] = _err(lambda: tf.convert_to_tensor(a, dtype=tf.int32))
    return out


# -- sparse * dense -------------------------------------------------------------------------------
def scenario_sparse_dense_cwise(tf):
    a = tf.SparseTensor([[0, 0], [1, 2], [2, 1]], [1.0, 2.0, -3.0], [3, 3])
    d = tf.constant([[1., 2., 3.], [4., 5., 6.], [7., 8., 9.]])
    row = tf.constant([10., 20., 30.])
    ai = tf.SparseTensor([[0, 0], [1, 1]], [4, 7], [2, 3])
    ops = {"mul": a * d, "mul_row": a * row, "rmul": d * a, "div": a / row, "div_scalar": a / 2.0,
           "int_div": ai / 2}
    fetch = dict(ops)
    g = tf.gradients(ops["mul_row"].values * tf.constant([1., 2., 3.]), [a.values, row])
    gq = tf.gradients(ops["div"].values, [a.values, row])
    fetch.update({"g_values": g[0], "g_row": g[1], "gq_values": gq[0], "gq_row": gq[1]})
    sm = tf.sparse_softmax(tf.SparseTensor([[0, 0], [0, 2], [1, 1], [1, 3]],
                                           [1.0, 2.0, 0.5, -1.0], [2, 4]))
    gs = tf.gradients(sm.values * tf.constant([1., 2., 3., 4.]), sm.op.inputs[1])[0]
    fetch["g_softmax"] = gs
    out = _run(tf, fetch)
    out["shapes"] = {k: _spshape(v) for k, v in ops.items()}
    out["names"] = {k: v.values.name for k, v in ops.items()}
    out["types"] = {k: v.values.op.type for k, v in ops.items()}
    out["grad_types"] = [g[0].op.type, g[1].op.type, gs.op.inputs[0].op.type]
    out["add"] = _err(lambda: a + d)
    out["scalar_left"] = _err(lambda: 2.0 * a)
    out["dtype"] = _err(lambda: a * tf.constant([1, 2, 3]))
    p = tf.sparse_placeholder(tf.float32)
    mp = p * row
    out["rank"] = _rt_err(tf, mp, {p: ([[0, 0]], [1.0], [2, 3, 3])})
    out["broadcast"] = _rt_err(tf, mp, {p: ([[0, 0]], [1.0], [2, 2])})
    out["bounds"] = _rt_err(tf, mp, {p: ([[0, 5]], [1.0], [2, 3])})
    return out


# -- sparse segment reductions --------------------------------------------------------------------
def scenario_sparse_segments(tf):
    data = tf.constant([[1., 2.], [3., 4.], [5., 6.]])
    idx = tf.constant([0, 2, 1, 1])
    seg = tf.constant([0, 0, 1, 3])
    ops = {"sum": tf.sparse_segment_sum(data, idx, seg),
           "mean": tf.sparse_segment_mean(data, idx, seg),
           "sqrt": tf.sparse_segment_sqrt_n(data, idx, seg),
           "sum_n": tf.sparse.segment_sum(data, idx, seg, num_segments=5),
           "mean_n": tf.sparse.segment_mean(data, idx, seg, num_segments=5),
           "sqrt_n": tf.sparse.segment_sqrt_n(data, idx, seg, num_segments=5),
           "int": tf.sparse_segment_sum(tf.constant([1, 2, 3]), [0, 1], [0, 1]),
           "i64": tf.sparse_segment_sum(data, tf.constant([0, 1], tf.int64), [0, 1])}
    fetch = dict(ops)
    x = tf.constant(np.ones((3, 2), np.float32))
    for k in ("sum", "mean", "sqrt", "sum_n", "mean_n", "sqrt_n"):
        fetch["d_" + k] = tf.gradients(ops[k] * tf.constant([[1.], [2.], [3.], [4.], [5.]][
            :4 if "_n" not in k else 5]), data)[0]
    fetch["d_sparse"] = _dense(tf, tf.gradients(tf.sparse.segment_mean(
        x, [0, 2, 2], [0, 0, 2], sparse_gradient=True), x)[0])
    out = _run(tf, fetch)
    out["shapes"] = {k: _shape(v) for k, v in ops.items()}
    p = tf.placeholder(tf.float32, [None, 4])
    out["shapes"]["p"] = _shape(tf.sparse_segment_sum(p, idx, seg))
    out["shapes"]["p_n"] = _shape(tf.sparse_segment_sum(p, idx, seg, num_segments=7))
    out["types"] = {k: v.op.type for k, v in ops.items()}
    out["grad_types"] = [fetch["d_sum"].op.type, fetch["d_mean_n"].op.type]
    out["names"] = [tf.sparse_segment_sum(data, [0, 1], [0, 1], name="foo").name,
                    ops["sum_n"].op.inputs[3].name]
    out["bad_index"] = _rt_err(tf, tf.sparse_segment_sum(data, [0, 5], [0, 1]))
    out["not_increasing"] = _rt_err(tf, tf.sparse_segment_sum(data, [0, 1], [1, 0]))
    out["negative"] = _rt_err(tf, tf.sparse_segment_sum(data, [0, 1], [-1, 0]))
    out["too_many"] = _rt_err(tf, tf.sparse_segment_sum(data, [0, 1], [0, 1], num_segments=1))
    out["lengths"] = _err(lambda: tf.sparse_segment_sum(data, [0, 1], [0, 0, 1]))
    out["mean_int"] = _err(lambda: tf.sparse_segment_mean(tf.constant([1, 2]), [0], [0]))
    out["idx_rank"] = _err(lambda: tf.sparse_segment_sum(data, [[0]], [0]))
    out["float_idx"] = _err(lambda: tf.sparse_segment_sum(data, [0., 1.], [0, 1]))
    out["neg_n"] = _err(lambda: tf.sparse_segment_sum(data, [0], [0], num_segments=-1))
    return out


# -- embedding lookups over sparse ids ------------------------------------------------------------
def _tables(tf):
    init = np.arange(24, dtype=np.float32).reshape(6, 4) / 10.0
    w = tf.get_variable("w", initializer=tf.constant(init))
    mod = [tf.get_variable(f"mod{i}", initializer=tf.constant(init[i::2])) for i in range(2)]
    div = [tf.get_variable("div0", initializer=tf.constant(init[:3])),
           tf.get_variable("div1", initializer=tf.constant(init[3:]))]
    return init, w, mod, div


def _ids(tf):
    idx = [[0, 0], [0, 1], [1, 0], [2, 0], [2, 1], [2, 2]]
    sp = tf.SparseTensor(idx, tf.constant([0, 1, 3, 2, 5, 2], tf.int64), [4, 3])
    spw = tf.SparseTensor(idx, [0.1, 1.0, 0.5, 2.0, -1.0, 0.3], [4, 3])
    return sp, spw


def scenario_embedding_lookup_sparse(tf):
    init, w, mod, div = _tables(tf)
    sp, spw = _ids(tf)
    ops = {}
    for comb in ("sum", "mean", "sqrtn"):
        ops["w_" + comb] = tf.nn.embedding_lookup_sparse(w, sp, spw, combiner=comb)
        ops["ones_" + comb] = tf.nn.embedding_lookup_sparse(w, sp, None, combiner=comb)
        ops["mod_" + comb] = tf.nn.embedding_lookup_sparse(mod, sp, spw, combiner=comb)
        ops["div_" + comb] = tf.nn.embedding_lookup_sparse(div, sp, spw, combiner=comb,
                                                           partition_strategy="div")
        ops["tensor_" + comb] = tf.nn.embedding_lookup_sparse(tf.constant(init), sp, None,
                                                              combiner=comb)
        ops["clip_" + comb] = tf.nn.embedding_lookup_sparse(w, sp, spw, combiner=comb,
                                                            max_norm=1.5)
    fetch = dict(ops)
    for k, v in ops.items():
        if k.startswith("tensor_"):
            continue
        targets = mod if k.startswith("mod") else div if k.startswith("div") else [w]
        for i, g in enumerate(tf.gradients(v * tf.constant([1., -1., 2., 0.5]), targets)):
            fetch[f"d_{k}_{i}"] = _dense(tf, g)
    out = _run(tf, fetch)
    out["shapes"] = {k: _shape(v) for k, v in ops.items()}
    out["types"] = {k: v.op.type for k, v in ops.items() if k.endswith("mean")}
    out["names"] = [ops["w_sum"].name, ops["tensor_mean"].name]
    lookup = tf.nn.embedding_lookup(w, [[0, 5], [3, 3]], max_norm=1.0)
    lookup_mod = tf.nn.embedding_lookup(mod, tf.constant([5, 0, 3]), max_norm=2.0)
    out["lookup"] = _run(tf, {"l": lookup, "lm": lookup_mod})
    out["lookup_shapes"] = [_shape(lookup), _shape(lookup_mod)]
    out["bad_combiner"] = _err(lambda: tf.nn.embedding_lookup_sparse(w, sp, spw, combiner="max"))
    out["ids_type"] = _err(lambda: tf.nn.embedding_lookup_sparse(w, [1], spw))
    out["weights_type"] = _err(lambda: tf.nn.embedding_lookup_sparse(w, sp, [1.0]))
    out["empty_params"] = _err(lambda: tf.nn.embedding_lookup([], [1]))
    out["bad_strategy"] = _err(lambda: tf.nn.embedding_lookup(mod, [1],
                                                              partition_strategy="foo"))
    return out


def scenario_safe_embedding_lookup_sparse(tf):
    _init, w, mod, div = _tables(tf)
    sp, spw = _ids(tf)
    ops = {}
    for comb in ("sum", "mean", "sqrtn"):
        ops["w_" + comb] = tf.nn.safe_embedding_lookup_sparse(w, sp, spw, combiner=comb)
        ops["div_default_" + comb] = tf.nn.safe_embedding_lookup_sparse(
            div, sp, spw, combiner=comb, default_id=3)
        ops["mod_ones_" + comb] = tf.nn.safe_embedding_lookup_sparse(
            mod, sp, None, combiner=comb, partition_strategy="mod")
    sp3 = tf.SparseTensor([[0, 0, 0], [0, 1, 0], [1, 0, 1], [1, 1, 0]],
                          tf.constant([0, -1, 3, 2], tf.int64), [2, 2, 2])
    ops["rank3"] = tf.nn.safe_embedding_lookup_sparse(w, sp3, None)
    fetch = dict(ops)
    for k, v in ops.items():
        targets = mod if k.startswith("mod") else div if k.startswith("div") else [w]
        for i, g in enumerate(tf.gradients(tf.reduce_sum(v * v), targets)):
            fetch[f"d_{k}_{i}"] = _dense(tf, g)
    out = _run(tf, fetch)
    out["shapes"] = {k: _shape(v) for k, v in ops.items()}
    out["names"] = [ops["w_mean"].name, ops["div_default_mean"].name]
    out["missing"] = _err(lambda: tf.nn.safe_embedding_lookup_sparse(None, sp))
    out["empty"] = _err(lambda: tf.nn.safe_embedding_lookup_sparse([], sp))
    return out


def scenario_embedding_sparse_training(tf):
    """embedding_lookup_sparse into a squared loss, three GradientDescent steps from the same
    initial table (TF applies the gradient sparsely, varstore densely: the same values)."""
    init = np.arange(24, dtype=np.float32).reshape(6, 4) / 10.0
    w = tf.get_variable("table", initializer=tf.constant(init))
    parts = [tf.get_variable(f"part{i}", initializer=tf.constant(init[i::2])) for i in range(2)]
    idx = [[0, 0], [0, 1], [1, 0], [2, 0], [2, 1]]
    sp = tf.SparseTensor(idx, tf.constant([0, 1, 3, 2, 5], tf.int64), [3, 2])
    spw = tf.SparseTensor(idx, [0.5, 1.0, 2.0, 1.5, 0.25], [3, 2])
    y = tf.constant([[1., 0., 0., 1.], [0., 1., 1., 0.], [1., 1., 0., 0.]])
    emb = tf.nn.embedding_lookup_sparse(w, sp, spw, combiner="mean")
    emb2 = tf.nn.embedding_lookup_sparse(parts, sp, None, combiner="sqrtn")
    loss = tf.reduce_mean(tf.square(emb - y)) + tf.reduce_mean(tf.square(emb2 - y))
    step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    losses = []
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(3):
            losses.append(_v(s.run([loss, step])[0]))
        final = {"table": _v(s.run(w)), "part0": _v(s.run(parts[0])),
                 "part1": _v(s.run(parts[1]))}
    return {"losses": losses, "final": final, "shape": _shape(emb)}


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
