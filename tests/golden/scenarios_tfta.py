"""Golden scenarios found by running TensorFlow's own math and array op unit tests against
varstore (``record_tf.py --set tfta``): reductions' axis checks, string zeros, NumPy string
conversion, the gradient checker on complex and IndexedSlices gradients."""

import numpy as np


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    if a.dtype.kind == "c":
        return [np.round(a.real.astype(np.float64), 5).tolist(),
                np.round(a.imag.astype(np.float64), 5).tolist()]
    if a.dtype.kind in "OS":
        return [b.decode() if isinstance(b, bytes) else repr(b) for b in a.reshape(-1)]
    return a.tolist()


def _err(fn):
    """Type and message of the exception ``fn`` raises (None, None if none); for a run-time
    error the message's line above '[[{{node ...}}]]' (TF adds traceback lines before it)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        msg = getattr(e, "message", None) or str(e)
        lines = [ln for ln in msg.split("\n") if ln.strip()]
        if len(lines) > 1 and lines[-1].strip().startswith("[[{{node"):
            return {"type": type(e).__name__, "msg": lines[-2].strip(),
                    "node": lines[-1].strip()}
        return {"type": type(e).__name__, "msg": msg}
    return {"type": None, "msg": None}


def _shape(t):
    return None if t.shape.ndims is None else t.shape.as_list()


# -- reductions -----------------------------------------------------------------------------------
def scenario_reduce_axis_checks(tf):
    c = tf.constant([1.0, 2.0])
    p = tf.placeholder(tf.int32)
    u = tf.placeholder(tf.float32)
    out = {}
    with tf.Session() as s:
        out["dup_const"] = _err(lambda: s.run(tf.reduce_sum(c, tf.constant([0, 0]))))
        out["dup_list"] = _err(lambda: s.run(tf.reduce_max(c, [0, -1])))
        out["dup_shape"] = _shape(tf.reduce_sum(c, [0, 0]))
        out["dup_all"] = _err(lambda: s.run(tf.reduce_all([True], p), {p: [0, 0]}))
        out["fed_range"] = _err(lambda: s.run(tf.reduce_sum(c, p), {p: [1]}))
        out["fed_neg"] = _err(lambda: s.run(tf.reduce_mean(c, p), {p: [-2, 0]}))
        out["fed_2d_ok"] = _v(s.run(tf.reduce_sum(c, p), {p: [[0]]}))
        out["fed_ok"] = _v(s.run(tf.reduce_prod(c, p), {p: [-1]}))
    out["rank2_unknown"] = _err(lambda: tf.reduce_sum(u, [[1], [2]]))
    out["rank2_known"] = _err(lambda: tf.reduce_sum(c, [[0]]))
    out["rank2_any"] = _err(lambda: tf.reduce_any([True, False], [[0]], keepdims=True))
    return out


def scenario_count_nonzero_strings(tf):
    x = np.asarray([["", "", "a", "", "", "b"], ["", "c", "", "d", "", ""]])
    t = tf.constant(x)
    with tf.Session() as s:
        return {"all": _v(s.run(tf.count_nonzero(t))),
                "ax0": _v(s.run(tf.count_nonzero(t, 0))),
                "ax1_keep": _v(s.run(tf.count_nonzero(t, [1], keepdims=True))),
                "one": _v(s.run(tf.count_nonzero(tf.constant(["test"]))))}


# -- string zeros and NumPy string conversion -----------------------------------------------------
def scenario_string_zeros(tf):
    x = tf.constant(np.asarray(["", "a"]))
    p = tf.placeholder(tf.string)
    out = {}
    with tf.Session() as s:
        out["zeros"] = _v(s.run(tf.zeros([2], tf.string)))
        out["zeros_big"] = _v(s.run(tf.zeros([1200], tf.string))[:3])
        out["zeros_like_fed"] = _v(s.run(tf.zeros_like(p), {p: ["a", "b"]}))
        out["zeros_like_big"] = _v(s.run(tf.zeros_like(tf.zeros([1500], tf.string)))[:2])
        out["zeros_like_dtype"] = _v(s.run(tf.zeros_like(x, dtype=tf.string)))
    out["ones_like"] = _err(lambda: tf.ones_like(x))
    out["ones"] = _err(lambda: tf.ones([2], tf.string))
    return out


def scenario_numpy_string_constants(tf):
    out = {}
    with tf.Session() as s:
        x = tf.constant(np.asarray(["", "a"]))
        out["unicode"] = _v(s.run(x))
        out["ne_empty"] = _v(s.run(tf.not_equal(x, "")))
        out["eq_bytes"] = _v(s.run(tf.equal(x, b"a")))
        out["object"] = _v(s.run(tf.constant(np.array([b"x", "y"], dtype=object))))
        out["np_str"] = _v(s.run(tf.constant(np.str_("ab"))))
        out["utf8"] = _v(s.run(tf.constant(np.array([["é"]]))))
        out["feed"] = _v(s.run(tf.identity(tf.placeholder_with_default(
            np.asarray(["q", "rs"]), [2]))))
    out["object_int"] = _err(lambda: tf.constant(np.array([1, 2], dtype=object)))
    return out


# -- the gradient checker ---------------------------------------------------------------------
def scenario_gradient_checker_complex_and_slices(tf):
    out = {}
    with tf.Session():
        z0 = np.array([1 + 2j, 3 - 1j], np.complex64)
        p = tf.constant(z0)
        jt, jn = tf.test.compute_gradient(p, [2], tf.reduce_sum(p * p), [], x_init_value=z0)
        out["complex"] = [_v(jt), np.round(jn.astype(np.float64), 2).tolist(), str(jt.dtype)]
        e = tf.constant(np.arange(6.0).reshape(3, 2))
        jt, jn = tf.test.compute_gradient(e, [3, 2], tf.gather(e, [2, 0, 2]), [3, 2])
        out["gather"] = [_v(jt), _v(jn)]
        out["int"] = _err(lambda: tf.test.compute_gradient(tf.constant([1, 2]), [2],
                                                           tf.constant([1, 2]) * 2, [2]))
    return out


# -- sorted segment reductions ------------------------------------------------------------------
def scenario_segment_id_checks(tf):
    x = tf.constant(np.arange(16.0).reshape(4, 4))
    out = {}
    with tf.Session() as s:
        for k, ids in {"size": [0, 1], "neg_last": [0, 0, 0, -1], "neg_last2": [0, 0, 0, -2],
                       "order": [0, 1, 0, 1], "neg_first": [-1, -1, 0, 0],
                       "unsorted": [0, 1, 2, 0]}.items():
            out[k] = _err(lambda: s.run(tf.math.segment_sum(x, ids)))
        out["hole_max"] = _v(s.run(tf.math.segment_max(x, [0, 0, 3, 3])))
        out["overflow"] = _err(lambda: s.run(tf.math.segment_max(np.ones((1, 10, 1)),
                                                                  [1676240524292489355])))
        out["ok"] = _v(s.run(tf.math.segment_mean(x, [0, 0, 1, 1])))
    out["scalar_data"] = _err(lambda: tf.math.segment_mean(np.uint16(10),
                                                           np.array([]).astype("int64")))
    return out


# -- index inputs keep an allowed NumPy dtype (TF's op_def_library rule) ------------------------
def scenario_index_inputs_keep_int64(tf):
    x = tf.constant(np.arange(16.0).reshape(4, 4))

    def i64(*v):
        return np.array(v, np.int64)

    made = {
        "reshape": lambda: tf.reshape(x, i64(16)).op.inputs[1:],
        "fill": lambda: tf.fill(i64(2), 1.0).op.inputs[:1],
        "tile": lambda: tf.tile(x, i64(1, 1)).op.inputs[1:],
        "transpose": lambda: tf.transpose(x, i64(1, 0)).op.inputs[1:],
        "slice": lambda: tf.slice(x, i64(0, 0), i64(2, 2)).op.inputs[1:],
        "concat": lambda: tf.concat([x, x], np.int64(0)).op.inputs[2:],
        "split": lambda: tf.split(x, i64(1, 3), axis=np.int64(0))[0].op.inputs[1:],
        "cumsum": lambda: tf.cumsum(x, np.int64(0)).op.inputs[1:],
        "expand_dims": lambda: tf.expand_dims(x, np.int64(0)).op.inputs[1:],
        "pad": lambda: tf.pad(x, i64(1, 1, 0, 0).reshape(2, 2)).op.inputs[1:],
        "reverse": lambda: tf.reverse(x, i64(0)).op.inputs[1:],
        "roll": lambda: tf.roll(x, i64(1), i64(0)).op.inputs[1:],
        "random_uniform": lambda: tf.random_uniform(i64(2, 2)).op.inputs[:1],
        "broadcast_to": lambda: tf.broadcast_to(x, i64(2, 4, 4)).op.inputs[1:],
        "unsorted_segment_sum": lambda: tf.math.unsorted_segment_sum(
            x, i64(0, 0, 1, 1), np.int64(2)).op.inputs[1:],
        "sparse_segment_sum": lambda: tf.sparse.segment_sum(x, i64(0, 1), i64(0, 0)).op.inputs[1:],
        "gather": lambda: tf.gather(x, i64(0), axis=np.int64(1)).op.inputs[1:],
        "reduce_sum": lambda: tf.reduce_sum(x, i64(0)).op.inputs[1:],
        "segment_max_big_id": lambda: tf.math.segment_max(
            np.ones((1, 10, 1)), [1676240524292489355]).op.inputs[1:],
        "reshape_list": lambda: tf.reshape(x, [16]).op.inputs[1:],
        "zeros": lambda: tf.zeros(i64(2000)).op.inputs[:1],
    }
    out = {k: [t.dtype.name for t in f()] for k, f in made.items()}
    out["float_ids"] = _err(lambda: tf.math.segment_max(x, np.array([0.0, 0, 1, 1])))
    out["int16_ids"] = _err(lambda: tf.math.segment_max(x, np.array([0, 0, 1, 1], np.int16)))
    # an attribute with no default (Slice's Index, GatherV2's Tindices, Roll's): no int32 hint
    v = tf.constant([1.0, 2.0])
    out["slice_empty_begin"] = _err(lambda: tf.slice(tf.constant(1.0), [], []))
    out["gather_empty"] = _err(lambda: tf.gather(v, []))
    out["gather_float_np"] = _err(lambda: tf.gather(v, np.array([0.0])))
    out["segment_empty"] = _err(lambda: tf.math.segment_sum(v, []))
    out["roll_empty"] = _err(lambda: tf.roll(v, [], []))
    out["slice_float_np"] = _err(lambda: tf.slice(v, np.array([0.0]), [1]))
    out["strided_ok"] = _shape(tf.strided_slice(v, [0], [1]))
    out["reshape_float_np"] = _shape(tf.reshape(v, np.array([2.0])))
    with tf.Session() as s:
        out["values"] = _v(s.run(tf.reduce_sum(tf.reshape(x, i64(2, 8)), i64(1))))
    return out


# -- clipping -------------------------------------------------------------------------------------
def scenario_clip_global_norm_graph_and_inf(tf):
    x0 = tf.constant([-2.0, 0.0, np.inf, 4.0, 0.0, 0.0], shape=[2, 3])
    x1 = tf.constant([1.0, -2.0])
    ans, norm = tf.clip_by_global_norm([x0, None, x1], 6.0)
    y0 = tf.constant([-2.0, 0.0, 0.0, 4.0, 0.0, 0.0], shape=[2, 3])
    ans2, norm2 = tf.clip_by_global_norm([y0, x1], tf.constant(4.0))
    ops = [[o.name, o.type, [i.name for i in o.inputs]]
           for o in tf.get_default_graph().get_operations()
           if o.name.startswith("clip_by_global_norm")]
    with tf.Session() as s:
        inf = s.run([ans[0], ans[2], norm])
        fin = s.run([ans2[0], ans2[1], norm2])
    return {"ops": ops, "none": ans[1] is None, "out_names": [ans[0].name, ans2[1].name],
            "inf": [np.isnan(inf[0]).all().item(), np.isnan(inf[1]).all().item(),
                    str(inf[2])], "finite": [_v(v) for v in fin]}


def scenario_clip_by_value_no_broadcast(tf):
    x = tf.constant([-5.0, 2.0, 3.0, 4.0, 5.0, 6.0], shape=[2, 3, 1])
    clip = tf.constant([1.0, 2.0])
    p = tf.placeholder(tf.float32)
    return {"both": _err(lambda: tf.clip_by_value(x, -clip, clip)),
            "max": _err(lambda: tf.clip_by_value(x, 1.0, clip)),
            "vector": _err(lambda: tf.clip_by_value(tf.constant([1.0, 2.0]), 1.0,
                                                    tf.constant([[1.0, 2.0], [3.0, 4.0]]))),
            "unknown": _shape(tf.clip_by_value(p, 1.0, tf.constant([[1.0, 2.0]]))),
            "same": _shape(tf.clip_by_value(x, 0.0, tf.ones([2, 3, 1])))}


# -- top_k ------------------------------------------------------------------------------------------
def scenario_top_k_k_dtypes(tf):
    x = [[0.1, 0.3, 0.2, 0.4], [0.1, 0.3, 0.4, 0.2]]
    out = {}
    with tf.Session() as s:
        for dt in (tf.int16, tf.int32, tf.int64):
            r = tf.nn.top_k(x, tf.constant(2, dtype=dt))
            out[dt.name] = [r.values.op.get_attr("Tk").name, _v(s.run(r.indices))]
        out["np_int64"] = tf.nn.top_k(x, np.int64(2)).values.op.inputs[1].dtype.name
    out["float_k"] = _err(lambda: tf.nn.top_k(x, tf.constant(2.0)))
    return out


# -- tensordot with unknown shapes, in_top_k out of range -------------------------------------------
def scenario_tensordot_dynamic(tf):
    a_np = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 10.0
    b_np = np.arange(12, dtype=np.float32).reshape(4, 3) / 10.0
    a = tf.placeholder(tf.float32)
    b = tf.placeholder(tf.float32)
    ax = tf.placeholder(tf.int32)
    by_int = tf.tensordot(a, b, 1)
    by_list = tf.tensordot(a, b, [[2], [0]])
    by_tensor = tf.tensordot(a, b, ax)
    neg = tf.tensordot(a, b, [[-1], [0]])
    pa = tf.placeholder(tf.float32, [None, 2])
    pb = tf.placeholder(tf.float32, [2, 3])
    part = tf.tensordot(pa, pb, 1)
    feed = {a: a_np, b: b_np, ax: [[2], [0]]}
    out = {"shapes": [_shape(t) for t in (by_int, by_list, by_tensor, neg, part)]}
    with tf.Session() as s:
        out["values"] = [_v(v) for v in s.run([by_int, by_list, by_tensor, neg], feed)]
        out["bad_dyn"] = _err(lambda: s.run(tf.tensordot(a, b, ax), {a: [[1.0, 2], [3, 4]],
                                                                    b: np.ones((3, 2)),
                                                                    ax: [[1], [0]]}))
    aa = [[1, 2], [3, 4]]
    out["bad_axes"] = [_err(lambda v=v: tf.tensordot(aa, aa, v))["type"]
                       for v in (-1, 3, [1], [[1]], [[1], [0, 1]])]
    out["neg_msg"] = _err(lambda: tf.tensordot(aa, aa, -1))
    return out


def scenario_in_top_k_out_of_range_targets(tf):
    with tf.Session() as s:
        return {"targets": _v(s.run(tf.nn.in_top_k([[0.0, 0.0]] * 4, [-1, 0, 1, 2], 1))),
                "tie": _v(s.run(tf.nn.in_top_k([[0.1, 0.3, 0.2, 0.2]] * 2, [2, 4], 2))),
                "nan": _v(s.run(tf.nn.in_top_k([[0.1, float("nan"), 0.2, 0.4]], [1], 2)))}


# -- transpose --------------------------------------------------------------------------------------
def scenario_transpose_checks_conjugate_unknown_rank(tf):
    x = np.arange(0.0, 30).reshape([2, 3, 5])
    p = tf.placeholder(tf.int32)
    u = tf.placeholder(tf.float32)
    out = {"rank2": _err(lambda: tf.transpose(x, [[0, 1], [2, 3]])),
           "range": _err(lambda: tf.transpose(x, [0, 1, 3])),
           "neg_range": _err(lambda: tf.transpose(x, [0, 1, -4])),
           "size": _err(lambda: tf.transpose(x, [0, 1])),
           "dup_shape": _shape(tf.transpose(x, [0, 1, 1])),
           "neg_shape": _shape(tf.transpose(tf.zeros([4, 3, 2]), [-1, -3, -2]))}
    tu = tf.transpose(u)
    out["unknown"] = [_shape(tu), [o.type for o in tf.get_default_graph().get_operations()
                                   if o.name.startswith(tu.op.name + "/")]]
    c = tf.constant(np.array([[1 + 2j, 3j]]))
    tc = tf.transpose(c, conjugate=True)
    out["conj_types"] = [tc.op.type, tf.transpose(tf.constant([1.0]), conjugate=True).op.type]
    with tf.Session() as s:
        out["dup"] = _err(lambda: s.run(tf.transpose(x, [0, 1, 1])))
        for k, v in {"fed_dup": [0, 1, 1], "fed_range": [0, 1, 3], "fed_neg": [0, -4, 1],
                     "fed_neg_dup": [0, 1, -3], "fed_size": [0, 1], "fed_rank": [[0, 1, 2]]}.items():
            out[k] = _err(lambda v=v: s.run(tf.transpose(x, p), {p: v}))
        out["fed_neg_ok"] = list(s.run(tf.transpose(x, p), {p: [0, -1, 1]}).shape)
        out["unknown_val"] = _v(s.run(tu, {u: [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]}))
        out["conj"] = _v(s.run(tc))
        out["scalar"] = _v(s.run(tf.transpose(tf.constant(42.0))))
        out["scalar_conj"] = _v(s.run(tf.transpose(tf.constant(np.array(1 + 2j)), conjugate=True)))
        g = tf.gradients(tf.transpose(c, [1, 0], conjugate=True), c,
                         grad_ys=tf.constant(np.array([[1 - 1j], [2 + 0.5j]])))[0]
        out["conj_grad"] = [g.op.type, _v(s.run(g))]
    out["complex_grad_ys"] = _err(lambda: tf.gradients(tc, c))
    return out


# -- gather; no gradients along integer paths -------------------------------------------------------
def scenario_gather_axis_checks_and_batch_grads(tf):
    out = {"axis_1": _err(lambda: tf.gather([0, 1, 2], 0, axis=1)),
           "axis_m2": _err(lambda: tf.gather([0, 1, 2], 0, axis=-2)),
           "unknown_axis": _shape(tf.gather(tf.constant([[0, 1, 2]]), tf.constant([[0, 0], [0, 0]]),
                                            axis=tf.placeholder(tf.int32))),
           "unknown_axis_bd": _shape(tf.gather(tf.zeros([2, 3, 4]), tf.zeros([2, 5], tf.int32),
                                               axis=tf.placeholder(tf.int32), batch_dims=1))}
    a = tf.placeholder(tf.int32)
    pp = tf.constant([[0.69]])
    params = [[10, 11, 12, 13], [20, 21, 22, 23]]
    with tf.Session() as s:
        out["fed_axis_5"] = _err(lambda: s.run(tf.gather(pp, [0], axis=a), {a: 5}))
        out["fed_axis_m3"] = _err(lambda: s.run(tf.gather(pp, [0], axis=a), {a: -3}))
        out["fed_axis_ok"] = _v(s.run(tf.gather(pp, [0], axis=a), {a: -2}))
        out["bd_none"] = _v(s.run(tf.gather([[10, 11, 12], [13, 14, 15]], [1, 0], axis=1,
                                            batch_dims=None)))
        grads = []
        for bd, ind in [(-1, [[2, 1], [0, 3]]), (1, [2, 1]), (1, [[2, 1], [0, 3]])]:
            f = tf.cast(params, tf.float64)
            g = tf.gradients(tf.gather(f, ind, batch_dims=bd), f)[0]
            grads.append(_v(s.run(tf.convert_to_tensor(g))))
        out["batch_grads"] = grads
    xi = tf.constant([[1, 2]], tf.int64)
    xf = tf.constant([1.0, 2.0])
    out["int_grads"] = [tf.gradients(tf.gather(xi, [0]), xi) == [None],
                        tf.gradients(xi * 2, xi) == [None],
                        tf.gradients(tf.reduce_sum(tf.cast(tf.cast(xf, tf.int32), tf.float32)),
                                     xf) == [None]]
    return out


# -- reshape ----------------------------------------------------------------------------------------
def scenario_reshape_sizes_and_partial_shapes(tf):
    z = np.zeros([0, 6], np.float32)
    x = tf.placeholder(tf.float32)
    p = tf.placeholder(tf.int32)
    out = {"zero_minus1": _shape(tf.reshape(z, [0, -1, 3])),
           "zero_minus1_b": _shape(tf.reshape(tf.ones([0, 3]), [-1, 0])),
           "pack_unknown": _shape(tf.reshape(x, [tf.placeholder(tf.int32), 37])),
           "bad_graph": _err(lambda: tf.reshape(tf.ones([2, 3]), [0, -1]))}
    with tf.Session() as s:
        out["zero_run"] = list(s.run(tf.reshape(z, [0, -1, 3])).shape)
        for k, v in {"fed_zero": [0, -1, 3], "fed_zero_b": [-1, 0]}.items():
            out[k] = list(s.run(tf.reshape(z, p), {p: v}).shape)
        for k, (t, v) in {"two_minus1": (z, [-1, -1]), "multiple": ([1, 2, 3], [-1, 2]),
                          "count": ([1, 2, 3], [4]), "negative": ([1, 2, 3], [-2, 3])}.items():
            out[k] = _err(lambda t=t, v=v: s.run(tf.reshape(t, p), {p: v}))
    return out


# -- concat's axis checks -------------------------------------------------------------------------
def scenario_concat_axis_checks(tf):
    a = tf.Variable(tf.constant(1.0, shape=[1]))
    b = tf.Variable(tf.constant(2.0, shape=[1]))
    return {"var_axis_single": _err(lambda: tf.concat(b, a)),
            "float_axis_single": _err(lambda: tf.concat(1, 4.2)),
            "var_axis_pair": _err(lambda: tf.concat([a, b], a)),
            "vector_axis_pair": _err(lambda: tf.concat([a, b], [3])),
            "empty": _err(lambda: tf.concat([], 0)),
            "scalar_ok": tf.concat(1, tf.constant(0, shape=[])).name,
            "vector_axis_single": _err(lambda: tf.concat(1, tf.constant(0, shape=[1]))),
            "list_axis_single": _err(lambda: tf.concat([a], [3])),
            "np_int64_single": tf.concat([a], np.int64(0)).name}


# -- split ------------------------------------------------------------------------------------------
def scenario_split_checks(tf):
    x = np.zeros((2, 2, 2))
    out = {"num_mismatch": _err(lambda: tf.split(list(range(10)), tf.constant([2, 2, 6]), num=4)),
           "rank0_sizes": _err(lambda: tf.split(tf.ones([4, 4]), tf.constant(2), axis=0)),
           "uneven": _err(lambda: tf.split([0, 1, 2, 3], 3, 0)),
           "too_big": _err(lambda: tf.split([0, 1], [3, -1], axis=0)),
           "axis_range": _err(lambda: tf.split([[0, 1], [2, 3]], 4, axis=2)),
           "neg_size": _err(lambda: tf.split(tf.constant([1.0, 2, 3]), [-1, -2], axis=0)),
           "bad_sizes": _err(lambda: tf.split(tf.constant([1.0, 2]), [1, 2], axis=0)),
           "scalar": _err(lambda: tf.split(tf.constant(1.0), [1], 0)),
           "two_minus1": _err(lambda: tf.split(tf.constant([1.0]), [-1, -1], 0)),
           "unknown_sizes": [_shape(t) for t in tf.split(tf.zeros([4, 6]),
                                                         tf.placeholder(tf.int32, [2]), 1)],
           "no_num": _err(lambda: tf.split(tf.zeros([4, 6]), tf.placeholder(tf.int32, [None]))),
           "minus1": [_shape(t) for t in tf.split([0, 1, 2], [2, -1], axis=0)]}
    p = tf.placeholder(tf.float32)
    a = tf.placeholder(tf.int32)
    sz = tf.placeholder(tf.int32, [2])
    with tf.Session() as s:
        out["one"] = [list(v.shape) for v in s.run(tf.split(x, 1, 0))]
        out["one_v"] = [_v(v) for v in s.run(tf.split(tf.constant([1, 2, 3]), [-1], axis=0))]
        for k, (t, f) in {"fed_uneven": (tf.split(p, 3, 0), {p: np.zeros(4)}),
                          "fed_axis": (tf.split(p, 2, a), {p: np.zeros(4), a: 3}),
                          "fed_axis_v": (tf.split(p, sz, a), {p: np.zeros(4), a: -2,
                                                              sz: [2, 2]}),
                          "fed_sum": (tf.split(p, sz, 0), {p: np.zeros(4), sz: [2, 3]}),
                          "fed_two_minus1": (tf.split(p, sz, 0), {p: np.zeros(4), sz: [-1, -1]}),
                          "fed_neg": (tf.split(p, sz, 0), {p: np.zeros(4), sz: [-2, 6]}),
                          "fed_scalar": (tf.split(p, 2, 0), {p: 1.0})}.items():
            out[k] = _err(lambda t=t, f=f: s.run(t, f))
        out["fed_minus1"] = [list(v.shape) for v in s.run(tf.split(p, sz, 0),
                                                          {p: np.zeros(4), sz: [3, -1]})]
    return out


# -- __getitem__ with int64 tensors; strided-slice shape errors -------------------------------------
def scenario_getitem_int64_and_scalar_errors(tf):
    a = tf.constant([0, 1, 2], dtype=tf.int32)
    i = tf.constant(1, dtype=tf.int64)
    j = tf.constant(1, dtype=tf.int32)
    b = tf.constant([0, 1, 2], dtype=tf.int64)
    made = {"index64": a[i], "slice64": a[i:i + 1], "open64": a[i:], "np64": a[np.int64(1)],
            "np0d": a[np.asarray(1).astype(np.int64)], "index32_on64": b[j]}
    out = {k: [[t.name, t.dtype.name] for t in v.op.inputs[1:]] for k, v in made.items()}
    out["ops"] = sorted(o.type for o in tf.get_default_graph().get_operations()
                        if o.name.startswith("strided_slice_1/"))
    with tf.Session() as s:
        out["values"] = {k: _v(s.run(v)) for k, v in made.items()}
    out["scalar"] = _err(lambda: tf.constant(0)[:])
    out["too_many"] = _err(lambda: a[1:, 1:])
    return out


# -- unsorted segment ops: negative ids dropped -------------------------------------------------------
def scenario_unsorted_segment_negative_ids(tf):
    x = tf.constant(np.arange(12, dtype=np.float64).reshape(6, 2))
    ids = tf.constant([0, -1, 2, 0, -1, 1])
    out = {}
    with tf.Session() as s:
        us = tf.math.unsorted_segment_sum(x, ids, 3)
        out["sum"] = _v(s.run(us))
        out["sum_grad"] = _v(s.run(tf.gradients(us, x, grad_ys=tf.ones([3, 2], tf.float64))[0]))
        out["all_neg"] = _v(s.run(tf.math.unsorted_segment_sum(np.ones((2, 1), np.float32),
                                                               [-1, -1], 2)))
        out["mean"] = _v(s.run(tf.math.unsorted_segment_mean(x, ids, 3)))
        out["max"] = _v(s.run(tf.math.unsorted_segment_max(x, ids, 3)))
        out["prod"] = _v(s.run(tf.math.unsorted_segment_prod(x, ids, 3)))
        out["bad"] = _err(lambda: s.run(tf.math.unsorted_segment_sum([[17]], [[2]], 2)))
        out["bad_max"] = _err(lambda: s.run(tf.math.unsorted_segment_max([[17.0]], [[7]], 2)))
        out["empty_inner"] = list(s.run(tf.math.unsorted_segment_sum(np.zeros((2, 0)), [0, 1],
                                                                     2)).shape)
        p = tf.placeholder(tf.int32)
        out["neg_count"] = _err(lambda: s.run(tf.math.unsorted_segment_sum([1.0], [0], p),
                                              {p: -2}))
    return out


# -- pad --------------------------------------------------------------------------------------------
def scenario_pad_checks_and_mirror_gradients(tf):
    x = tf.reshape([1, 2], shape=[1, 2])
    u = tf.placeholder(tf.int32)
    inp = tf.constant(0.0, shape=[4, 4])
    out = {"rank6": _err(lambda: tf.pad(tf.reshape([1, 2], [1, 2, 1, 1, 1, 1]),
                                        tf.reshape([1, 2], [1, 2]))),
           "vector": _err(lambda: tf.pad(x, tf.reshape([1, 2], [2]))),
           "cols": _err(lambda: tf.pad(x, tf.reshape([1, 2], [2, 1]))),
           "rows": _err(lambda: tf.pad(x, tf.reshape([1, 2, 3, 4, 5, 6], [3, 2]))),
           "negative": _err(lambda: tf.pad(tf.constant([1], shape=[1]),
                                           tf.constant([-1, 0], shape=[1, 2]))),
           "mode": _err(lambda: tf.pad([[1, 2, 3], [4, 5, 6]], [[1, 0], [2, 1]], mode="weird")),
           "partial": [_shape(tf.pad(inp, [[1, 2], u])), _shape(tf.pad(inp, [[u, 0], [1, 2]])),
                       _shape(tf.pad(inp, [tf.constant(1, shape=[2]), [0, u]])),
                       _shape(tf.pad(tf.placeholder(tf.int32, [None, None, 20]),
                                     [[0, 0], [0, u], [0, 0]])),
                       _shape(tf.pad(inp, tf.placeholder(tf.int32))),
                       _shape(tf.pad(tf.placeholder(tf.float32), [[2, 2], [2, 2]]))]}
    xv = np.arange(12, dtype=np.float64).reshape(3, 4) / 10.0
    xt = tf.constant(xv)
    gy = tf.constant(np.arange(48, dtype=np.float64).reshape(6, 8) / 7.0)
    with tf.Session() as s:
        out["reflect_bad"] = _err(lambda: s.run(tf.pad(tf.constant([1, 1]), [[2, 0]],
                                                       mode="REFLECT")))
        out["symmetric_bad"] = _err(lambda: s.run(tf.pad(tf.constant([1, 1]), [[0, 3]],
                                                         mode="SYMMETRIC")))
        for mode in ("REFLECT", "SYMMETRIC"):
            y = tf.pad(xt, [[1, 2], [2, 2]], mode=mode)
            g = tf.gradients(y, xt, grad_ys=gy)[0]
            out[mode] = [_v(s.run(y)), g.op.type, _v(s.run(g))]
    return out


# -- matmul adjoints of complex operands ------------------------------------------------------------
def scenario_matmul_complex_adjoint(tf):
    c = np.array([[1 + 2j, 3j], [2, 1 - 1j]], np.complex64)
    d = np.array([[0.5 - 1j, 2], [1j, -1 + 0.5j]], np.complex64)
    ct, dt = tf.constant(c), tf.constant(d)
    m1 = tf.matmul(ct, dt, adjoint_b=True)
    m2 = tf.matmul(ct, dt, adjoint_a=True)
    b3 = tf.matmul(tf.constant(np.stack([c, d])), tf.constant(np.stack([d, c])), adjoint_a=True,
                   adjoint_b=True)
    g = tf.gradients(m1, [ct, dt], grad_ys=tf.constant(np.ones((2, 2), np.complex64)))
    p = tf.placeholder(tf.float32)
    out = {"types": [m1.op.type, [i.op.type for i in m1.op.inputs], b3.op.type],
           "names": [o.name for o in tf.get_default_graph().get_operations()
                     if o.name.startswith("MatMul")][:6]}
    with tf.Session() as s:
        out["values"] = [_v(v) for v in s.run([m1, m2, b3])]
        out["grads"] = [_v(v) for v in s.run(g)]
        out["bad"] = _err(lambda: s.run(tf.matmul(p, np.ones((3, 4), np.float32)),
                                        {p: np.ones((2, 5))}))
        out["bad_t"] = _err(lambda: s.run(tf.matmul(p, np.ones((3, 4), np.float32),
                                                    transpose_b=True), {p: np.ones((2, 5))}))
    return out


# -- element-wise corners: float floormod's sign of zero, complex squared difference ---------------
def scenario_floormod_zero_sign_and_complex_squared_difference(tf):
    fa = np.array([-7, -3, 0, 3, 7, -0.0, 6.0], np.float32)
    fb = np.array([2, -2, 3, -3, 5, 3, -4], np.float32)
    with tf.Session() as s:
        fm = s.run(tf.floormod(fa, fb))
        fm64 = s.run(tf.floormod(fa.astype(np.float64), fb.astype(np.float64)))
        op = s.run(tf.constant(fa) % tf.constant(fb))
        sq = s.run(tf.squared_difference(np.array([1 + 1j, 2j], np.complex64),
                                         np.array([2 - 1j, 1], np.complex64)))
        sq_real = s.run(tf.squared_difference(np.float32([1, 2]), np.float32([3, -1])))
        im = s.run(tf.floormod(np.int32([-7, 7, -7]), np.int32([2, -2, -2])))
    return {"floormod": _v(fm), "signbit": np.signbit(fm).tolist(),
            "signbit64": np.signbit(fm64).tolist(), "operator": np.signbit(op).tolist(),
            "sqdiff_complex": _v(sq), "sqdiff_real": _v(sq_real), "int": _v(im)}


def scenario_is_finite_dtypes(tf):
    out = {}
    for f in (tf.is_finite, tf.is_nan, tf.is_inf):
        out[f.__name__] = [_err(lambda f=f: f(np.int32([1]))),
                           _err(lambda f=f: f(np.complex64([1]))),
                           f(np.float16([1])).dtype.name]
    with tf.Session() as s:
        out["values"] = _v(s.run(tf.is_finite(np.float32([1, np.inf, np.nan]))))
    return out


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
