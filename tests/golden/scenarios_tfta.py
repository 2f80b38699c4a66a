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


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
