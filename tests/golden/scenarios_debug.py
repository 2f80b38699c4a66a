"""Golden scenarios of assertions, tf.Print, check_numerics and py_func (``record_tf.py --set debug``)."""

import re

import numpy as np
def scenario_asserts_print_py_func(tf):
    out = {}
    x = tf.placeholder(tf.float32, [None], name="x")
    yy = tf.placeholder(tf.float32, [], name="yy")
    a = tf.assert_equal(x, yy, message="xmsg", name="ae")
    with tf.control_dependencies([a]):
        y = tf.identity(x)
    with tf.Session() as s:
        try: s.run(y, {x: [1., 2.], yy: 1.0})
        except tf.errors.InvalidArgumentError as e: out["ae"] = e.message.split("assertion failed: ")[1].split("\n")[0]
        out["ok"] = s.run(y, {x: [1., 1.], yy: 1.0}).tolist()
    try: tf.assert_equal(tf.constant([1,2]), tf.constant([1,3]), message="static")
    except tf.errors.InvalidArgumentError as e: out["static"] = str(e).split("\n")[:2]
    try: tf.assert_rank(x, 2)
    except ValueError as e: out["rank"] = str(e)
    try: tf.assert_type(x, tf.int32)
    except TypeError as e: out["type"] = str(e)
    g = tf.assert_positive(x)
    cn = tf.check_numerics(x * 2.0, "bad x")
    gr = tf.gradients(cn, x)[0]
    pf = tf.py_func(lambda v: v * 2, [x], tf.float32)
    bad = tf.py_func(lambda v: 1 / 0, [x], tf.float32)
    ve = tf.py_func(lambda v: int("z"), [x], tf.float32)
    with tf.Session() as s:
        try: s.run(g, {x: [1., -1.]})
        except tf.errors.InvalidArgumentError as e: out["pos"] = e.message.split("assertion failed: ")[1].split("\n")[0]
        try: s.run(cn, {x: [np.nan]})
        except tf.errors.InvalidArgumentError as e: out["cn"] = e.message.split("\n")[-2] if "Node" in e.message else e.message
        out["grad"] = s.run(gr, {x: [1.0]}).tolist()
        out["pf"] = s.run(pf, {x: [1.5]}).tolist()
        try: s.run(bad, {x: [1.]})
        except tf.errors.OpError as e: out["bad"] = type(e).__name__
        try: s.run(ve, {x: [1.]})
        except tf.errors.OpError as e: out["ve"] = type(e).__name__
    out["names"] = [pf.op.type, cn.op.type, tf.Print(x, [x]).op.type]
    return out


def scenario_assert_variants(tf):
    x = tf.placeholder(tf.int32, [None])
    checks = {"less": tf.assert_less(x, 3), "less_equal": tf.assert_less_equal(x, 2),
              "greater": tf.assert_greater(x, 0), "greater_equal": tf.assert_greater_equal(x, 1),
              "none_equal": tf.assert_none_equal(x, 5), "non_negative": tf.assert_non_negative(x),
              "negative": tf.assert_negative(-x), "non_positive": tf.assert_non_positive(-x),
              "Assert": tf.Assert(tf.reduce_all(x < 10), ["too big", x], summarize=2)}
    out = {}
    with tf.Session() as s:
        for k in sorted(checks):
            s.run(checks[k], {x: [1, 2]})
            try:
                s.run(checks[k], {x: [7, 8, 9, 10, 11]})
                out[k] = "passed"
            except tf.errors.InvalidArgumentError as e:
                out[k] = e.message.split("assertion failed: ")[1].split("\n")[0]
    return out


def _err(f):
    try:
        r = f()
    except Exception as e:  # noqa: BLE001 - the type is part of what is recorded
        msg = getattr(e, "message", str(e))
        return [type(e).__name__, msg.split("\n\t [[")[0].split("\n")[-1]]
    return ["ok", getattr(r, "name", None) if not isinstance(r, (str, bool)) else r]


def _anon(err):
    # TF's message names the input after graph optimisation (a fed placeholder becomes
    # _arg_x_0_0), which varstore does not reproduce
    return [err[0], re.sub(r"^Shape of tensor \S+ ", "Shape of tensor T ", err[1])]


def scenario_more_asserts_and_ensure_shape(tf):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    u = tf.placeholder(tf.float32, None, name="u")
    out = {"static": {
        "scalar_ok": _err(lambda: tf.assert_scalar(tf.constant(1.0), name="sc").name),
        "scalar_bad": _err(lambda: tf.assert_scalar(x, message="need scalar")),
        "integer_ok": _err(lambda: tf.assert_integer(tf.constant([1]))),
        "integer_bad": _err(lambda: tf.assert_integer(x, message="ints")),
        "rank_in_ok": _err(lambda: tf.assert_rank_in(x, [1, 2])),
        "rank_in_bad": _err(lambda: tf.assert_rank_in(x, (0, 3), message="ranks")),
        "same_float": _err(lambda: tf.assert_same_float_dtype([x, tf.constant(1.0)]).name),
        "same_float_none": _err(lambda: tf.assert_same_float_dtype(None).name),
        "same_float_mix": _err(lambda: tf.assert_same_float_dtype(
            [x, tf.constant(1.0, tf.float64)])),
        "same_float_int": _err(lambda: tf.assert_same_float_dtype([tf.constant(1)])),
        "proper_bad": _err(lambda: tf.assert_proper_iterable(np.ones(2))),
        "proper_str": _err(lambda: tf.assert_proper_iterable("ab")),
        "proper_int": _err(lambda: tf.assert_proper_iterable(3)),
        "proper_ok": _err(lambda: tf.assert_proper_iterable([1, 2]) is None),
        "numeric": [tf.is_numeric_tensor(x), tf.is_numeric_tensor(tf.constant("a")),
                    tf.is_numeric_tensor(3.0)],
        "ensure_bad": _err(lambda: tf.ensure_shape(x, [2, 4])),
    }}
    near = tf.assert_near(x, tf.ones([2, 3]), message="close")
    near_tol = tf.assert_near(x, tf.ones([2, 3]), rtol=0.1, atol=0.1, summarize=2)
    rank_dyn = tf.assert_rank_in(u, [1, 2], message="dyn")
    # through an identity: TF names a fed placeholder _arg_x_0_0 in the run-time message
    e1 = tf.ensure_shape(tf.identity(x, name="xi"), [2, None])
    e2 = tf.ensure_shape(tf.identity(u, name="ui"), (None, 3), name="es")
    g = tf.gradients(tf.reduce_sum(e1 * e1), x)[0]
    # (the asserts on float data are guarded by a cond v2 in TF 2.21, so only the int/string
    # one is named here)
    out["names"] = [rank_dyn.name, e1.name, e1.shape.as_list(),
                    e2.name, e2.shape.as_list(), e1.op.type, g.name]
    ok = np.ones([2, 3], np.float32)
    off = ok + np.float32(0.05)
    with tf.Session() as s:
        out["run"] = {
            "near_ok": _err(lambda: s.run(near, {x: ok}) is None),
            "near_bad": _err(lambda: s.run(near, {x: off})),
            "near_tol": _err(lambda: s.run(near_tol, {x: off}) is None),
            "near_tol_bad": _err(lambda: s.run(near_tol, {x: off * 2})),
            "rank_ok": _err(lambda: s.run(rank_dyn, {u: [1.0]}) is None),
            "rank_bad": _err(lambda: s.run(rank_dyn, {u: 1.0})),
            "e1": _err(lambda: s.run(e1, {x: ok}).tolist() and True),
            "e1_bad": _anon(_err(lambda: s.run(e1, {x: np.ones([3, 3], np.float32)}))),
            "e2_bad": _anon(_err(lambda: s.run(e2, {u: np.ones([2, 2], np.float32)}))),
            "grad": s.run(g, {x: ok}).tolist(),
        }
    return out


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
