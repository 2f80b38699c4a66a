"""Golden scenarios of assertions, tf.Print, check_numerics and py_func (``record_tf.py --set debug``)."""

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


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
