# ruff: noqa: SIM117  (nested scopes are the point of these scenarios)
"""Extra golden scenarios: realistic TF1 model code and combinations.

Same conventions as ``scenarios.py`` (whose helpers are reused): every
``scenario_<name>(tf)`` takes ``tensorflow.compat.v1`` (graph mode) or
``varstore`` and returns a JSON-serialisable dict.  Recorded by
``record_tf_extra.py`` into ``tf1_expected_extra.json`` and replayed by
``tests/test_golden_extra.py``.
"""

import importlib.util
import os

import numpy as np

_spec = importlib.util.spec_from_file_location(
    "golden_scenarios_base", os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenarios.py")
)
_base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_base)

_err = _base._err
_err_prefix = _base._err_prefix
_enter_err = _base._enter_err
_TMPL_MARK = _base._TMPL_MARK
_names = _base._names
_shape = _base._shape
_t = _base._t
_val = _base._val
_dval = _base._dval
_reuse = _base._reuse
_scope = _base._scope
_run = _base._run
_img = _base._img


def _ops(ts):
    return [t.op.name for t in ts]


def _full_scope(s):
    return {
        "name": s.name,
        "original_name_scope": s.original_name_scope,
        "reuse": _reuse(s.reuse),
        "dtype": s.dtype.name if hasattr(s.dtype, "name") else str(s.dtype),
        "initializer_none": s.initializer is None,
        "regularizer_none": s.regularizer is None,
        "custom_getter_none": s.custom_getter is None,
    }


# ===========================================================================
# GAN-style discriminators / generators
# ===========================================================================


def _disc_dense(tf, x, reuse):
    with tf.variable_scope("discriminator", reuse=reuse):
        h = tf.layers.dense(x, 4, activation=tf.nn.relu, name="h1")
        return tf.layers.dense(h, 1, name="out")


def scenario_gan_disc_dense_reuse_arg(tf):
    real = tf.ones([2, 3])
    fake = tf.zeros([2, 3])
    d_real = _disc_dense(tf, real, False)
    d_fake = _disc_dense(tf, fake, True)
    return {
        "d_real": _t(d_real),
        "d_fake": _t(d_fake),
        "vars": _names(tf.global_variables()),
        "disc_train": _names(tf.trainable_variables("discriminator")),
    }


def scenario_gan_disc_dense_auto_reuse(tf):
    outs = []
    for x in [tf.ones([2, 3]), tf.zeros([2, 3]), tf.ones([2, 3]) * 2.0]:
        outs.append(_disc_dense(tf, x, tf.AUTO_REUSE))
    return {"outs": _names(outs), "vars": _names(tf.global_variables())}


def scenario_gan_disc_dense_twice_without_reuse_error(tf):
    _disc_dense(tf, tf.ones([2, 3]), None)
    e = _err(lambda: _disc_dense(tf, tf.zeros([2, 3]), None))
    return {"err": e, "vars": _names(tf.global_variables())}


def scenario_gan_disc_manual_get_variable(tf):
    def disc(x):
        w1 = tf.get_variable("w1", [3, 4], initializer=tf.constant_initializer(0.1))
        b1 = tf.get_variable("b1", [4], initializer=tf.zeros_initializer())
        h = tf.nn.relu(tf.matmul(x, w1) + b1)
        w2 = tf.get_variable("w2", [4, 1], initializer=tf.constant_initializer(-0.5))
        return tf.matmul(h, w2)

    with tf.variable_scope("D") as scope:
        a = disc(tf.ones([2, 3]))
        scope.reuse_variables()
        b = disc(tf.constant([[1.0, 2.0, 3.0], [-1.0, -2.0, -3.0]]))
    return {
        "a": _t(a),
        "b": _t(b),
        "vars": _names(tf.global_variables()),
        "vals": _val(_run(tf, [a, b])),
    }


def scenario_gan_generator_and_discriminator_collections(tf):
    z = tf.ones([2, 2])
    with tf.variable_scope("generator"):
        g = tf.layers.dense(z, 3, activation=tf.nn.relu)
        g = tf.layers.dense(g, 3)
    with tf.variable_scope("discriminator"):
        d1 = tf.layers.dense(g, 1)
    with tf.variable_scope("discriminator", reuse=True):
        d2 = tf.layers.dense(tf.ones([2, 3]), 1)
    return {
        "g": g.name,
        "d1": d1.name,
        "d2": d2.name,
        "gen": _names(tf.trainable_variables(scope="generator")),
        "disc": _names(tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="discriminator")),
        "all": _names(tf.global_variables()),
    }


def scenario_gan_disc_conv_stack_reuse(tf):
    def disc(x, reuse=None):
        with tf.variable_scope("disc", reuse=reuse):
            h = tf.layers.conv2d(x, 2, 3, strides=2, padding="same", activation=tf.nn.relu)
            h = tf.layers.conv2d(h, 4, 3, strides=2, padding="same", activation=tf.nn.relu)
            h = tf.reshape(h, [-1, 2 * 2 * 4])
            return tf.layers.dense(h, 1)

    a = disc(tf.ones([1, 8, 8, 1]))
    b = disc(tf.zeros([1, 8, 8, 1]), reuse=True)
    return {"a": _t(a), "b": _t(b), "vars": [[v.name, _shape(v)] for v in tf.global_variables()]}


def scenario_gan_disc_object_reuse_in_name_scopes(tf):
    with tf.variable_scope("D") as dscope:
        w = tf.get_variable("w", [2, 1], initializer=tf.ones_initializer())
        a = tf.matmul(tf.ones([1, 2]), w)
    with tf.name_scope("fake"):
        with tf.variable_scope(dscope, reuse=True):
            w2 = tf.get_variable("w", [2, 1])
            b = tf.matmul(tf.ones([1, 2]), w2)
    return {"a": a.name, "b": b.name, "same": w is w2, "w2": w2.name}


# ===========================================================================
# multi-tower
# ===========================================================================


def scenario_tower_loop_name_scope_and_reuse(tf):
    outs = []
    for i in range(3):
        with tf.name_scope("tower_%d" % i):
            with tf.variable_scope("model", reuse=i > 0):
                w = tf.get_variable("w", [2, 2], initializer=tf.ones_initializer())
                outs.append(tf.matmul(tf.ones([1, 2]), w))
    return {"outs": _names(outs), "vars": _names(tf.global_variables())}


def scenario_tower_loop_current_scope_reuse(tf):
    outs = []
    for i in range(2):
        with tf.variable_scope(tf.get_variable_scope(), reuse=i > 0):
            with tf.name_scope("tower_%d" % i) as ns:
                w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
                outs.append([ns, (w * 2.0).name, tf.get_variable_scope().name])
    return {"outs": outs, "vars": _names(tf.global_variables())}


def scenario_tower_loop_reuse_variables(tf):
    outs = []
    for i in range(3):
        with tf.name_scope("t%d" % i):
            h = tf.layers.dense(tf.ones([1, 2]), 2, name="fc")
            outs.append(h.name)
            tf.get_variable_scope().reuse_variables()
    return {"outs": outs, "vars": _names(tf.global_variables()),
            "root_reuse": _reuse(tf.get_variable_scope().reuse)}


def scenario_tower_unnamed_dense_auto_reuse_reentry(tf):
    outs = []
    for _ in range(2):
        with tf.variable_scope("tower", reuse=tf.AUTO_REUSE):
            h = tf.layers.dense(tf.ones([1, 2]), 3)
            h = tf.layers.dense(h, 1)
            outs.append(h.name)
    return {"outs": outs, "vars": _names(tf.global_variables())}


def scenario_tower_unnamed_dense_no_reentry(tf):
    outs = []
    with tf.variable_scope("tower"):
        for _ in range(3):
            outs.append(tf.layers.dense(tf.ones([1, 2]), 2).name)
    return {"outs": outs, "vars": _names(tf.global_variables())}


def scenario_tower_gradient_average_like_names(tf):
    losses = []
    for i in range(2):
        with tf.name_scope("tower_%d" % i) as scope:
            with tf.variable_scope("net", reuse=tf.AUTO_REUSE):
                w = tf.get_variable("w", [3], initializer=tf.constant_initializer([1.0, 2.0, 3.0]))
            loss = tf.reduce_mean(w * float(i + 1), name="loss")
            tf.add_to_collection("losses", loss)
            losses.append([scope, loss.name])
    coll = tf.get_collection("losses", "tower_1")
    allc = tf.get_collection("losses")
    total = tf.add(allc[0], allc[1], name="total")
    return {"losses": losses, "coll": _names(coll), "total": total.name,
            "vals": _val(_run(tf, tf.get_collection("losses") + [total]))}


# ===========================================================================
# make_template
# ===========================================================================


def scenario_tmpl_loop_calls(tf):
    def f(x):
        w = tf.get_variable("w", [2], initializer=tf.constant_initializer([1.0, 2.0]))
        return tf.multiply(x, w, name="scaled")

    t = tf.make_template("scale", f)
    outs = [t(tf.ones([2]) * float(i)) for i in range(3)]
    return {"outs": _names(outs), "vars": _names(tf.global_variables()),
            "vals": _val(_run(tf, outs))}


def scenario_tmpl_loop_in_name_scopes(tf):
    t = tf.make_template("lin", lambda x: x * tf.get_variable("w", [1]))
    outs = []
    for i in range(2):
        with tf.name_scope("step%d" % i):
            outs.append(t(tf.ones([1])).name)
    return {"outs": outs, "vars": _names(tf.global_variables())}


def scenario_tmpl_loop_in_variable_scopes(tf):
    t = tf.make_template("lin", lambda x: x * tf.get_variable("w", [1]))
    outs = []
    for i in range(2):
        with tf.variable_scope("vs%d" % i):
            outs.append(t(tf.ones([1])).name)
    return {"outs": outs, "vars": _names(tf.global_variables()),
            "scope": t.variable_scope.name}


def scenario_tmpl_with_dense_layers(tf):
    def net(x):
        h = tf.layers.dense(x, 3, activation=tf.nn.relu)
        return tf.layers.dense(h, 1)

    t = tf.make_template("net", net)
    a = t(tf.ones([1, 2]))
    b = t(tf.zeros([1, 2]))
    c = t(tf.ones([4, 2]))
    return {"a": _t(a), "b": b.name, "c": _t(c), "vars": _names(tf.global_variables()),
            "tvars": _names(t.trainable_variables)}


def scenario_tmpl_many_templates_in_loop(tf):
    ts = [tf.make_template("blk", lambda x: x + tf.get_variable("b", [1])) for _ in range(3)]
    outs = []
    for t in ts:
        outs.append(t(tf.ones([1])).name)
    outs.append(ts[0](tf.ones([1])).name)
    return {"outs": outs, "vars": _names(tf.global_variables()),
            "scopes": [t.variable_scope.name for t in ts]}


def scenario_tmpl_create_scope_now_loop(tf):
    with tf.variable_scope("m"):
        t = tf.make_template("now", lambda: tf.get_variable("w", [1]) * 2.0, create_scope_now_=True)
    outs = [t().name for _ in range(3)]
    with tf.name_scope("q"):
        outs.append(t().name)
    return {"outs": outs, "vars": _names(tf.global_variables()),
            "scope": [t.variable_scope.name, t.variable_scope.original_name_scope]}


def scenario_tmpl_shape_mismatch_second_call(tf):
    t = tf.make_template("d", lambda x: tf.layers.dense(x, 2))
    t(tf.ones([1, 3]))
    e = _err_prefix(lambda: t(tf.ones([1, 4])), _TMPL_MARK)
    return {"err": e, "vars": _names(tf.global_variables())}


def scenario_tmpl_reuse_scope_idiom_inside(tf):
    def f():
        a = tf.get_variable("a", [1])
        with tf.variable_scope("inner"):
            b = tf.get_variable("b", [1])
        return a, b

    t = tf.make_template("tp", f)
    a1, b1 = t()
    a2, b2 = t()
    return {"first": _names([a1, b1]), "second": _names([a2, b2]), "same": a1 is a2 and b1 is b2,
            "scope_reuse_after": _reuse(tf.get_variable_scope().reuse)}


def scenario_tmpl_default_name_scopes_inside(tf):
    def f(x):
        for _ in range(2):
            with tf.variable_scope(None, default_name="layer"):
                x = x * tf.get_variable("w", [1], initializer=tf.ones_initializer())
        return x

    t = tf.make_template("stack", f)
    a = t(tf.ones([1]))
    b = t(tf.ones([1]))
    return {"a": a.name, "b": b.name, "vars": _names(tf.global_variables())}


# ===========================================================================
# variable_scope objects re-entered in other scopes
# ===========================================================================


def scenario_vsobj_inside_name_scope(tf):
    with tf.variable_scope("foo") as foo:
        pass
    with tf.name_scope("ns"):
        with tf.variable_scope(foo) as s:
            c = tf.constant(1.0)
            v = tf.get_variable("w", [1])
            ns_inner = tf.get_default_graph().get_name_scope()
    return {"s": _scope(s), "c": c.name, "v": v.name, "ns": ns_inner}


def scenario_vsobj_nested_object_reentry(tf):
    with tf.variable_scope("a") as a:
        with tf.variable_scope("b") as b:
            pass
    with tf.variable_scope("c"):
        with tf.variable_scope(b):
            with tf.variable_scope("d") as d:
                c = tf.constant(1.0).name
                v = tf.get_variable("w", [1]).name
    return {"a": _scope(a), "d": _scope(d), "c": c, "v": v}


def scenario_vsobj_reentry_in_reentry(tf):
    with tf.variable_scope("x") as x:
        pass
    with tf.variable_scope("y") as y:
        pass
    with tf.variable_scope(x):
        with tf.variable_scope(y) as yy:
            c = tf.constant(1.0).name
            v = tf.get_variable("v", [1]).name
    return {"yy": _scope(yy), "c": c, "v": v}


def scenario_vsobj_reentry_root_many_times(tf):
    with tf.variable_scope("foo") as foo:
        pass
    out = []
    for _ in range(3):
        with tf.variable_scope(foo) as s:
            out.append([s.original_name_scope, tf.constant(0.0).name])
    return {"out": out}


def scenario_vsobj_default_name_children_counters(tf):
    with tf.variable_scope("net") as net:
        with tf.variable_scope(None, default_name="blk") as b0:
            pass
    out = [b0.name]
    for _ in range(2):
        with tf.variable_scope(net):
            for _ in range(2):
                with tf.variable_scope(None, default_name="blk") as b:
                    out.append([b.name, b.original_name_scope])
    with tf.variable_scope("net"):
        with tf.variable_scope(None, default_name="blk") as b:
            out.append([b.name, b.original_name_scope])
    return {"out": out}


def scenario_vsobj_initializer_override(tf):
    with tf.variable_scope("s", initializer=tf.constant_initializer(2.0)) as s:
        pass
    with tf.variable_scope(s, initializer=tf.constant_initializer(3.0)):
        a = tf.get_variable("a", [1])
    with tf.variable_scope(s):
        b = tf.get_variable("b", [1])
    return {"vals": _val(_run(tf, [a, b])), "names": _names([a, b])}


def scenario_vsobj_auto_reuse_arg(tf):
    with tf.variable_scope("s") as s:
        a = tf.get_variable("a", [1])
    with tf.variable_scope(s, reuse=tf.AUTO_REUSE) as s2:
        a2 = tf.get_variable("a", [1])
        b = tf.get_variable("b", [1])
    return {"s2": _scope(s2), "same": a is a2, "b": b.name, "s_reuse": _reuse(s.reuse)}


def scenario_vsobj_aux_false_inside_name_scope(tf):
    with tf.variable_scope("s") as s:
        pass
    with tf.name_scope("n"):
        with tf.variable_scope(s, auxiliary_name_scope=False) as s2:
            c = tf.constant(1.0).name
            v = tf.get_variable("v", [1]).name
    return {"s2": _scope(s2), "c": c, "v": v}


def scenario_vsobj_original_name_scope_as_name_scope(tf):
    # the tf.layers idiom: re-enter by object without aux scope, then open
    # the object's original_name_scope explicitly
    with tf.variable_scope("blk") as blk:
        tf.constant(0.0)
    outs = []
    for _ in range(2):
        with tf.variable_scope(blk, auxiliary_name_scope=False):
            with tf.name_scope(blk.original_name_scope):
                outs.append(tf.constant(1.0).name)
    return {"outs": outs}


def scenario_vsobj_reentry_inside_reuse_true_then_create(tf):
    with tf.variable_scope("obj") as obj:
        pass
    with tf.variable_scope("outer", reuse=True):
        with tf.variable_scope(obj) as s:
            v = tf.get_variable("new", [1]).name
            inner = _reuse(s.reuse)
    return {"v": v, "reuse": inner}


def scenario_vsobj_from_get_variable_scope_nested(tf):
    with tf.variable_scope("a"):
        with tf.variable_scope("b"):
            cur = tf.get_variable_scope()
    with tf.variable_scope("z"):
        with tf.variable_scope(cur) as s:
            c = tf.constant(1.0).name
            v = tf.get_variable("v", [1]).name
    return {"s": _scope(s), "c": c, "v": v}


# ===========================================================================
# tf.layers.dense / conv2d stacks
# ===========================================================================


def scenario_dense_unnamed_stack(tf):
    x = tf.ones([2, 3])
    h1 = tf.layers.dense(x, 4)
    h2 = tf.layers.dense(h1, 4, activation=tf.nn.relu)
    h3 = tf.layers.dense(h2, 2, use_bias=False)
    return {
        "outs": [_t(h) for h in [h1, h2, h3]],
        "vars": [[v.name, _shape(v)] for v in tf.global_variables()],
    }


def scenario_dense_named_reuse(tf):
    x = tf.ones([2, 3])
    a = tf.layers.dense(x, 2, name="fc")
    b = tf.layers.dense(x, 2, name="fc", reuse=True)
    c = tf.layers.dense(x, 2, name="fc", reuse=tf.AUTO_REUSE)
    return {"outs": _names([a, b, c]), "vars": _names(tf.global_variables())}


def scenario_dense_named_twice_error(tf):
    x = tf.ones([2, 3])
    tf.layers.dense(x, 2, name="fc")
    return {"err": _err(lambda: tf.layers.dense(x, 2, name="fc")),
            "vars": _names(tf.global_variables())}


def scenario_dense_reuse_wrong_units(tf):
    x = tf.ones([2, 3])
    tf.layers.dense(x, 2, name="fc")
    return {"err": _err(lambda: tf.layers.dense(x, 5, name="fc", reuse=True))}


def scenario_dense_reuse_wrong_input_dim(tf):
    tf.layers.dense(tf.ones([2, 3]), 2, name="fc")
    return {"err": _err(lambda: tf.layers.dense(tf.ones([2, 4]), 2, name="fc", reuse=True))}


def scenario_dense_reuse_missing(tf):
    return {"err": _err(lambda: tf.layers.dense(tf.ones([2, 3]), 2, name="fc", reuse=True)),
            "vars": _names(tf.global_variables())}


def scenario_dense_reuse_true_unnamed_fresh(tf):
    return {"err": _err(lambda: tf.layers.dense(tf.ones([2, 3]), 2, reuse=True))}


def scenario_dense_values(tf):
    x = tf.constant([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])
    y = tf.layers.dense(
        x, 2,
        kernel_initializer=tf.constant_initializer([0.1, -0.2, 0.3, 0.4, -0.5, 0.6]),
        bias_initializer=tf.constant_initializer([1.0, -1.0]),
        activation=tf.nn.relu,
    )
    return {"y": _t(y), "val": _val(_run(tf, y))}


def scenario_dense_in_variable_scope_and_reuse(tf):
    x = tf.ones([1, 2])
    with tf.variable_scope("enc"):
        a = tf.layers.dense(x, 2)
        b = tf.layers.dense(a, 2)
    with tf.variable_scope("enc", reuse=True):
        c = tf.layers.dense(x, 2)
        d = tf.layers.dense(c, 2)
    return {"outs": _names([a, b, c, d]), "vars": _names(tf.global_variables())}


def scenario_dense_in_name_scope(tf):
    x = tf.ones([1, 2])
    tf.layers.dense(x, 2)
    with tf.name_scope("head"):
        y = tf.layers.dense(x, 2)
        z = tf.layers.dense(x, 2, name="named")
    return {"y": y.name, "z": z.name, "vars": _names(tf.global_variables())}


def scenario_dense_float64_input(tf):
    x = tf.constant(np.ones([1, 2]))
    y = tf.layers.dense(x, 2, kernel_initializer=tf.ones_initializer())
    return {"y": _t(y), "vars": [[v.name, v.dtype.name] for v in tf.global_variables()],
            "val": _dval(_run(tf, y))}


def scenario_dense_numpy_input(tf):
    x = np.ones([1, 2], dtype=np.float32)
    y = tf.layers.dense(x, 3, kernel_initializer=tf.ones_initializer())
    return {"y": _t(y), "val": _val(_run(tf, y))}


def scenario_dense_regularizers(tf):
    reg = lambda t: tf.reduce_sum(t)
    x = tf.ones([1, 2])
    tf.layers.dense(x, 2, kernel_regularizer=reg, bias_regularizer=reg)
    tf.layers.dense(x, 2, kernel_regularizer=reg, name="fc")
    tf.layers.dense(x, 2, kernel_regularizer=reg, name="fc", reuse=True)
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    return {"losses": _names(losses), "fc_only": _names(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES, "fc"))}


def scenario_dense_trainable_false(tf):
    x = tf.ones([1, 2])
    tf.layers.dense(x, 2, trainable=False, name="frozen")
    tf.layers.dense(x, 2, name="live")
    return {"global": _names(tf.global_variables()), "trainable": _names(tf.trainable_variables())}


def scenario_dense_and_conv_counters_independent(tf):
    img = tf.ones([1, 4, 4, 1])
    a = tf.layers.conv2d(img, 1, 1)
    b = tf.layers.dense(tf.ones([1, 2]), 1)
    c = tf.layers.conv2d(img, 1, 1)
    d = tf.layers.dense(tf.ones([1, 2]), 1)
    return {"outs": _names([a, b, c, d]), "vars": _names(tf.global_variables())}


def scenario_dense_unnamed_in_scope_then_root(tf):
    x = tf.ones([1, 2])
    with tf.variable_scope("a"):
        a = tf.layers.dense(x, 1)
    b = tf.layers.dense(x, 1)
    with tf.variable_scope("a"):
        e = _err(lambda: tf.layers.dense(x, 1))
    return {"outs": _names([a, b]), "e": e, "vars": _names(tf.global_variables())}


def scenario_dense_after_name_scope_collision(tf):
    x = tf.ones([1, 2])
    with tf.name_scope("dense"):
        tf.constant(1.0)
    y = tf.layers.dense(x, 1)
    return {"y": y.name, "vars": _names(tf.global_variables())}


def scenario_dense_after_variable_scope_collision(tf):
    x = tf.ones([1, 2])
    with tf.variable_scope("dense"):
        w = tf.get_variable("w", [1])
    y = tf.layers.dense(x, 1)
    return {"w": w.name, "y": y.name, "vars": _names(tf.global_variables())}


def scenario_dense_rank1_input_error(tf):
    return {"err": _err(lambda: tf.layers.dense(tf.ones([3]), 2))}


def scenario_dense_bad_units(tf):
    return {"zero": _err(lambda: tf.layers.dense(tf.ones([1, 3]), 0)),
            "neg": _err(lambda: tf.layers.dense(tf.ones([1, 3]), -2))}


def scenario_dense_scope_initializer_used(tf):
    x = tf.ones([1, 2])
    with tf.variable_scope("s", initializer=tf.constant_initializer(0.5)):
        y = tf.layers.dense(x, 2)
    k, b = tf.global_variables()
    return {"y": _val(_run(tf, y)), "k": _val(_run(tf, k)), "b": _val(_run(tf, b))}


def scenario_dense_scope_dtype_float64_float32_input(tf):
    x = tf.ones([1, 2])
    with tf.variable_scope("s", dtype=tf.float64):
        r = _err(lambda: tf.layers.dense(x, 2))
    return {"r": r, "vars": [[v.name, v.dtype.name] for v in tf.global_variables()]}


def scenario_dense_scope_custom_getter(tf):
    seen = []

    def getter(getter, name, *a, **k):
        seen.append([name, list(k["shape"]) if k.get("shape") is not None else None, k["dtype"].name, k["trainable"]])
        return getter(name, *a, **k)

    with tf.variable_scope("s", custom_getter=getter):
        tf.layers.dense(tf.ones([1, 2]), 3)
    return {"seen": seen}


def scenario_dense_slash_name(tf):
    y = tf.layers.dense(tf.ones([1, 2]), 1, name="a/b")
    return {"y": y.name, "vars": _names(tf.global_variables())}


def scenario_cnn_pipeline_names(tf):
    x = tf.ones([2, 8, 8, 3])
    with tf.variable_scope("cnn"):
        h = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu, name="conv1")
        h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
        h = tf.layers.conv2d(h, 8, 3, padding="same", activation=tf.nn.relu, name="conv2")
        h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID", name="pool2")
        flat = tf.reshape(h, [-1, 2 * 2 * 8])
        logits = tf.layers.dense(flat, 10, name="logits")
        loss = tf.reduce_mean(logits, name="loss")
    return {
        "ts": [_t(t) for t in [h, flat, logits, loss]],
        "vars": [[v.name, _shape(v)] for v in tf.global_variables()],
    }


def scenario_conv_unnamed_in_scope_then_root(tf):
    x = tf.ones([1, 4, 4, 1])
    with tf.variable_scope("a"):
        a = tf.layers.conv2d(x, 1, 1)
    b = tf.layers.conv2d(x, 1, 1)
    return {"outs": _names([a, b]), "vars": _names(tf.global_variables())}


def scenario_conv_scope_reuse_object(tf):
    x = tf.ones([1, 4, 4, 1])
    with tf.variable_scope("feat") as sc:
        a = tf.layers.conv2d(x, 2, 3, name="c1")
    with tf.variable_scope(sc, reuse=True):
        b = tf.layers.conv2d(x, 2, 3, name="c1")
    return {"a": a.name, "b": b.name, "vars": _names(tf.global_variables())}


def scenario_conv_float64_input(tf):
    x = tf.constant(np.ones([1, 3, 3, 1]))
    y = tf.layers.conv2d(x, 1, 2, kernel_initializer=tf.ones_initializer())
    return {"y": _t(y), "vars": [[v.name, v.dtype.name] for v in tf.global_variables()],
            "val": _dval(_run(tf, y))}


def scenario_conv_trainable_false_and_regularizer(tf):
    x = tf.ones([1, 4, 4, 1])
    tf.layers.conv2d(x, 1, 1, trainable=False, kernel_regularizer=lambda t: tf.reduce_sum(t))
    return {"global": _names(tf.global_variables()), "trainable": _names(tf.trainable_variables()),
            "losses": _names(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))}


def scenario_conv_rank3_input_error(tf):
    return {"err": _err(lambda: tf.layers.conv2d(tf.ones([4, 4, 1]), 1, 1))}


# ===========================================================================
# custom getters
# ===========================================================================


def scenario_cg_scale_getter_values_and_names(tf):
    def getter(getter, name, *a, **k):
        return getter(name, *a, **k) * 0.5

    with tf.variable_scope("s", custom_getter=getter):
        w = tf.get_variable("w", [2], initializer=tf.constant_initializer([2.0, 4.0]))
        y = w + 1.0
    return {"w": _t(w), "y": y.name, "val": _val(_run(tf, [w, y])),
            "vars": _names(tf.global_variables())}


def scenario_cg_identity_named(tf):
    def getter(getter, name, *a, **k):
        return tf.identity(getter(name, *a, **k), name="read_" + name.split("/")[-1])

    with tf.variable_scope("s", custom_getter=getter):
        a = tf.get_variable("a", [1])
        b = tf.get_variable("b", [1])
    with tf.variable_scope("s", custom_getter=getter, reuse=True):
        a2 = tf.get_variable("a", [1])
    return {"names": _names([a, b, a2])}


def scenario_cg_override_initializer(tf):
    def getter(getter, name, *a, **k):
        k["initializer"] = tf.constant_initializer(7.0)
        return getter(name, *a, **k)

    with tf.variable_scope("s", custom_getter=getter, initializer=tf.zeros_initializer()):
        v = tf.get_variable("v", [2])
    return {"val": _val(_run(tf, v))}


def scenario_cg_force_not_trainable(tf):
    def getter(getter, name, *a, **k):
        k["trainable"] = False
        return getter(name, *a, **k)

    with tf.variable_scope("frozen", custom_getter=getter):
        tf.get_variable("w", [1])
        tf.layers.dense(tf.ones([1, 2]), 1)
    tf.get_variable("free", [1])
    return {"global": _names(tf.global_variables()), "trainable": _names(tf.trainable_variables())}


def scenario_cg_caching_ema_style(tf):
    cache = {}
    calls = []

    def getter(getter, name, *a, **k):
        calls.append(name)
        if name not in cache:
            cache[name] = getter(name, *a, **k)
        return cache[name]

    with tf.variable_scope("m", custom_getter=getter):
        a = tf.get_variable("w", [1])
    with tf.variable_scope("m", custom_getter=getter):
        b = tf.get_variable("w", [1])
    return {"same": a is b, "calls": calls, "vars": _names(tf.global_variables())}


def scenario_cg_dtype_change(tf):
    def getter(getter, name, *a, **k):
        k["dtype"] = tf.float64
        return getter(name, *a, **k)

    with tf.variable_scope("s", custom_getter=getter):
        v = tf.get_variable("v", [1], initializer=tf.ones_initializer())
    return {"v": _t(v)}


def scenario_cg_raises_store_unchanged(tf):
    def getter(getter, name, *a, **k):
        raise RuntimeError("nope " + name)

    with tf.variable_scope("s", custom_getter=getter):
        e = _err(lambda: tf.get_variable("v", [1]))
    with tf.variable_scope("s"):
        v = tf.get_variable("v", [1])
    return {"e": e, "v": v.name}


def scenario_cg_nested_three_levels_order(tf):
    log = []

    def mk(tag):
        def g(getter, name, *a, **k):
            log.append(tag + ">" + name)
            r = getter(name, *a, **k)
            log.append(tag + "<")
            return r
        return g

    with tf.variable_scope("a", custom_getter=mk("A")):
        with tf.variable_scope("b"):
            with tf.variable_scope("c", custom_getter=mk("C")):
                with tf.variable_scope("d", custom_getter=mk("D")):
                    tf.get_variable("w", [1])
    return {"log": log}


def scenario_cg_rename_then_reuse(tf):
    def getter(getter, name, *a, **k):
        return getter(name + "_renamed", *a, **k)

    with tf.variable_scope("s", custom_getter=getter):
        a = tf.get_variable("w", [1])
    with tf.variable_scope("s", reuse=True):
        b = tf.get_variable("w_renamed", [1])
        e = _err(lambda: tf.get_variable("w", [1]))
    return {"a": a.name, "same": a is b, "e": e}


def scenario_cg_getter_sees_reuse_values(tf):
    log = []

    def getter(getter, name, *a, **k):
        log.append([name, _reuse(k["reuse"])])
        return getter(name, *a, **k)

    with tf.variable_scope("s", custom_getter=getter):
        tf.get_variable("w", [1])
    with tf.variable_scope("s", custom_getter=getter, reuse=True):
        tf.get_variable("w", [1])
    with tf.variable_scope("t", custom_getter=getter, reuse=tf.AUTO_REUSE):
        tf.get_variable("w", [1])
    return {"log": log}


def scenario_cg_getter_creates_op_name_collision(tf):
    def getter(getter, name, *a, **k):
        v = getter(name, *a, **k)
        return tf.add(v, 0.0, name="post")

    with tf.variable_scope("s", custom_getter=getter):
        a = tf.get_variable("a", [1])
        b = tf.get_variable("b", [1])
    c = tf.constant(1.0, name="post")
    return {"names": _names([a, b, c])}


# ===========================================================================
# AUTO_REUSE loops
# ===========================================================================


def scenario_auto_reuse_loop_shape_mismatch(tf):
    outs = []
    for shape in ([2], [2], [3]):
        with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
            outs.append(_err(lambda: tf.get_variable("w", shape)))
    return {"outs": outs, "vars": _names(tf.global_variables())}


def scenario_auto_reuse_nested_reuse_false_child(tf):
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        with tf.variable_scope("c", reuse=False) as c:
            a = tf.get_variable("w", [1])
            b = tf.get_variable("w", [1])
    return {"c": _scope(c), "same": a is b}


def scenario_auto_reuse_default_name_children(tf):
    out = []
    for _ in range(2):
        with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
            for _ in range(2):
                with tf.variable_scope(None, default_name="blk") as b:
                    v = tf.get_variable("w", [1])
                    out.append([b.name, _reuse(b.reuse), v.name])
    return {"out": out, "vars": _names(tf.global_variables())}


def scenario_auto_reuse_tf_variable_not_shared(tf):
    out = []
    for _ in range(2):
        with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
            out.append(tf.Variable(1.0, name="v").name)
            out.append(tf.get_variable("g", [1]).name)
    return {"out": out, "vars": _names(tf.global_variables())}


def scenario_auto_reuse_dtype_mismatch(tf):
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        tf.get_variable("i", [1], dtype=tf.int32)
        e1 = _err(lambda: tf.get_variable("i", [1]))
        ok = tf.get_variable("i", [1], dtype=tf.int32).name
    return {"e1": e1, "ok": ok}


def scenario_auto_reuse_function_in_name_scopes(tf):
    def f(x):
        with tf.variable_scope("shared", reuse=tf.AUTO_REUSE):
            w = tf.get_variable("w", [1], initializer=tf.constant_initializer(3.0))
            return tf.multiply(x, w, name="y")

    outs = []
    for i in range(3):
        with tf.name_scope("call%d" % i):
            outs.append(f(tf.constant([float(i)])))
    return {"outs": _names(outs), "vars": _names(tf.global_variables()), "vals": _val(_run(tf, outs))}


# ===========================================================================
# collections with regex scopes
# ===========================================================================


def _coll_model(tf):
    for scope in ["gen", "gen_ext", "disc", "tower_0", "tower_1", "tower_10"]:
        with tf.variable_scope(scope):
            tf.get_variable("w", [1])
            tf.get_variable("b", [1], trainable=False)


def scenario_coll_regex_alternation(tf):
    _coll_model(tf)
    return {
        "alt": _names(tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, "disc|gen")),
        "gen_slash": _names(tf.global_variables("gen/")),
        "gen": _names(tf.global_variables("gen")),
        "class": _names(tf.trainable_variables("tower_[01]/")),
        "lookahead": _names(tf.trainable_variables("(?!tower)")),
        "dotstar_b": _names(tf.global_variables(".*/b")),
        "anchored_end": _names(tf.global_variables("tower_1/w:0$")),
    }


def scenario_coll_scope_none_and_empty(tf):
    _coll_model(tf)
    return {
        "none": len(tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, None)),
        "empty": len(tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, "")),
        "trainable_all": len(tf.trainable_variables()),
    }


def scenario_coll_custom_with_tensors_and_strings(tf):
    with tf.name_scope("ns"):
        c = tf.constant(1.0, name="c")
    tf.add_to_collection("mix", c)
    tf.add_to_collection("mix", "a string")
    tf.add_to_collection("mix", 3)
    tf.add_to_collections(["mix", "other"], tf.constant(2.0, name="d"))
    return {
        "all_len": len(tf.get_collection("mix")),
        "ns": _names(tf.get_collection("mix", "ns")),
        "any": _names(tf.get_collection("mix", ".*")),
        "other": _names(tf.get_collection("other")),
    }


def scenario_coll_get_collection_ref(tf):
    ref = tf.get_collection_ref("mine")
    ref.append(tf.constant(1.0, name="x"))
    copy = tf.get_collection("mine")
    copy.append(None)
    return {"mine": _names(tf.get_collection("mine")), "ref_len": len(ref)}


def scenario_coll_regularization_regex(tf):
    reg = lambda t: tf.reduce_sum(t)
    for s in ["enc", "enc2", "dec"]:
        with tf.variable_scope(s, regularizer=reg):
            tf.get_variable("w", [1])
    return {
        "enc": _names(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES, "enc")),
        "enc_slash": _names(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES, "enc/")),
        "not_enc": _names(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES, "(?!enc)")),
    }


def scenario_coll_model_and_local_variables(tf):
    tf.get_variable("m", [1], collections=[tf.GraphKeys.MODEL_VARIABLES, tf.GraphKeys.GLOBAL_VARIABLES])
    tf.get_variable("l", [1], collections=[tf.GraphKeys.LOCAL_VARIABLES], trainable=False)
    return {
        "model": _names(tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)),
        "local": _names(tf.get_collection(tf.GraphKeys.LOCAL_VARIABLES)),
        "global": _names(tf.global_variables()),
        "trainable": _names(tf.trainable_variables()),
    }


# ===========================================================================
# tf.Variable vs get_variable clashes
# ===========================================================================


def scenario_clash_variable_then_get_variable_in_scope(tf):
    with tf.variable_scope("s"):
        a = tf.Variable(1.0, name="w")
        b = tf.get_variable("w", [1])
    with tf.variable_scope("s", reuse=True):
        c = tf.get_variable("w", [1])
    return {"names": _names([a, b, c]), "same": b is c}


def scenario_clash_get_variable_then_variable_in_scope(tf):
    with tf.variable_scope("s"):
        a = tf.get_variable("w", [1])
        b = tf.Variable(1.0, name="w")
    with tf.variable_scope("s"):
        c = tf.Variable(1.0, name="w")
    return {"names": _names([a, b, c])}


def scenario_clash_variable_explicit_path_then_scope(tf):
    a = tf.Variable(1.0, name="s/w")
    with tf.variable_scope("s"):
        b = tf.get_variable("w", [1])
        c = tf.constant(1.0)
    return {"names": _names([a, b, c])}


def scenario_clash_get_variable_reuse_finds_uniquified(tf):
    with tf.name_scope("s"):
        tf.constant(1.0, name="w")
    with tf.variable_scope("s"):
        a = tf.get_variable("w", [1])
    with tf.variable_scope("s", reuse=True):
        b = tf.get_variable("w")
    return {"a": a.name, "b": b.name, "same": a is b}


def scenario_clash_variable_in_template_first_call_ok(tf):
    def f():
        return tf.Variable(1.0, name="v") + tf.get_variable("g", [])

    t = tf.make_template("tt", f)
    y = t()
    return {"y": y.name, "vars": _names(tf.global_variables())}


def scenario_clash_variable_name_vs_scope_name(tf):
    v = tf.Variable(1.0, name="blk")
    with tf.variable_scope("blk") as s:
        w = tf.get_variable("w", [1])
        c = tf.constant(1.0)
    return {"v": v.name, "s": _scope(s), "w": w.name, "c": c.name}


# ===========================================================================
# name_scope objects / strings reused as names
# ===========================================================================


def scenario_ns_function_identity_idiom(tf):
    def my_op(x, name=None):
        with tf.name_scope(name, "MyOp", [x]) as scope:
            y = x * 2.0
            return tf.identity(y, name=scope)

    a = my_op(tf.ones([1]))
    b = my_op(tf.ones([1]))
    c = my_op(tf.ones([1]), name="custom")
    with tf.name_scope("outer"):
        d = my_op(tf.ones([1]))
    return {"outs": [_t(t) for t in [a, b, c, d]]}


def scenario_ns_returned_string_as_op_name(tf):
    with tf.name_scope("a") as s:
        pass
    x = tf.constant(1.0, name=s)
    e = _err(lambda: tf.constant(1.0, name=s))
    with tf.name_scope(s):
        y = tf.constant(1.0)
    return {"s": s, "x": x.name, "e": e, "y": y.name}


def scenario_ns_returned_string_reentered_in_other_scope(tf):
    with tf.name_scope("a"):
        with tf.name_scope("b") as s:
            pass
    with tf.name_scope("z"):
        with tf.name_scope(s) as s2:
            c = tf.constant(1.0).name
    return {"s": s, "s2": s2, "c": c}


def scenario_ns_returned_string_as_variable_scope(tf):
    with tf.name_scope("blk") as s:
        pass
    with tf.variable_scope(s) as vs:
        v = tf.get_variable("w", [1])
        c = tf.constant(1.0)
    return {"vs": _scope(vs), "v": v.name, "c": c.name}


def scenario_ns_none_inside_variable_scope(tf):
    with tf.variable_scope("vs"):
        with tf.name_scope(None):
            c = tf.constant(1.0).name
            v = tf.get_variable("w", [1]).name
            cur = tf.get_variable_scope().name
    return {"c": c, "v": v, "cur": cur}


def scenario_ns_default_name_values_nested(tf):
    out = []
    with tf.name_scope("o"):
        for n in [None, None, "named", None]:
            with tf.name_scope(n, "Dflt", [tf.constant(1.0)]) as s:
                out.append(s)
    return {"out": out}


def scenario_ns_get_name_scope_and_vs_name(tf):
    out = {}
    with tf.variable_scope("v1"):
        with tf.name_scope("n1"):
            out["gns"] = tf.get_default_graph().get_name_scope()
            out["vs"] = tf.get_variable_scope().name
            out["vs_ons"] = tf.get_variable_scope().original_name_scope
            with tf.variable_scope("v2") as v2:
                out["v2"] = _scope(v2)
                out["gns2"] = tf.get_default_graph().get_name_scope()
    with tf.name_scope("root_ns"):
        out["root_vs"] = _scope(tf.get_variable_scope())
    return out


def scenario_ns_case_and_suffix_with_vars(tf):
    with tf.name_scope("Block"):
        a = tf.constant(1.0)
    with tf.variable_scope("block"):
        b = tf.constant(1.0)
        v = tf.get_variable("w", [1])
    with tf.variable_scope("BLOCK_1"):
        c = tf.constant(1.0)
    return {"names": _names([a, b, v, c])}


# ===========================================================================
# graphs
# ===========================================================================


def scenario_graph_nested_as_default(tf):
    g1 = tf.Graph()
    g2 = tf.Graph()
    out = {}
    with g1.as_default():
        a = tf.constant(1.0)
        with g2.as_default():
            b = tf.constant(1.0)
            out["inner_is_g2"] = tf.get_default_graph() is g2
            with tf.variable_scope("s"):
                out["v_g2"] = tf.get_variable("v", [1]).name
        c = tf.constant(1.0)
        out["back_is_g1"] = tf.get_default_graph() is g1
        with tf.variable_scope("s") as s:
            out["v_g1"] = tf.get_variable("v", [1]).name
            out["s"] = _scope(s)
    out["names"] = _names([a, b, c])
    out["a_graph"] = a.graph is g1
    out["default_globals"] = len(tf.global_variables())
    return out


def scenario_graph_as_default_inside_variable_scope(tf):
    out = {}
    with tf.variable_scope("outer"):
        with tf.name_scope("ns"):
            g = tf.Graph()
            with g.as_default():
                out["c"] = tf.constant(1.0).name
                out["v"] = tf.get_variable("v", [1]).name
                out["vs"] = tf.get_variable_scope().name
        out["after_c"] = tf.constant(1.0).name
        out["after_v"] = tf.get_variable("v", [1]).name
    return out


def scenario_graph_same_graph_nested_twice(tf):
    g = tf.Graph()
    with g.as_default():
        with tf.name_scope("a"):
            with g.as_default():
                c = tf.constant(1.0).name
    return {"c": c}


def scenario_graph_reset_then_old_scope_object(tf):
    with tf.variable_scope("keep") as keep:
        tf.get_variable("w", [1])
    tf.reset_default_graph()
    with tf.variable_scope(keep) as s:
        v = tf.get_variable("w", [1]).name
        c = tf.constant(1.0).name
    return {"s": _scope(s), "v": v, "c": c, "globals": _names(tf.global_variables())}


def scenario_graph_reset_clears_collections_and_counters(tf):
    tf.add_to_collection("c", tf.constant(1.0))
    tf.layers.dense(tf.ones([1, 1]), 1)
    tf.make_template("t", lambda: tf.get_variable("w", [1]))()
    tf.reset_default_graph()
    t = tf.make_template("t", lambda: tf.get_variable("w", [1]))
    return {
        "c": len(tf.get_collection("c")),
        "dense": tf.layers.dense(tf.ones([1, 1]), 1).name,
        "tmpl": t().name,
        "globals": _names(tf.global_variables()),
    }


def scenario_graph_variables_per_graph(tf):
    g = tf.Graph()
    with g.as_default():
        tf.get_variable("gw", [1])
        inner = _names(tf.global_variables())
    tf.get_variable("dw", [1])
    with g.as_default():
        inner2 = _names(tf.global_variables())
    return {"inner": inner, "inner2": inner2, "outer": _names(tf.global_variables())}


def scenario_graph_reset_inside_name_scope_then_vs(tf):
    with tf.name_scope("ns"):
        tf.reset_default_graph()
        c = tf.constant(1.0).name
        with tf.variable_scope("v") as s:
            x = tf.constant(1.0).name
    return {"c": c, "s": _scope(s), "x": x}


# ===========================================================================
# initializer / dtype inheritance
# ===========================================================================


def scenario_init_scope_init_child_dtype(tf):
    with tf.variable_scope("a", initializer=tf.constant_initializer(2.0)):
        with tf.variable_scope("b", dtype=tf.float64):
            v = tf.get_variable("v", [2])
            e = _err(lambda: tf.get_variable("i", [2], dtype=tf.int32))
    return {"v": _t(v), "e": e, "vals": _dval(_run(tf, v)), "globals": _names(tf.global_variables())}


def scenario_init_scope_constant_float_for_int_var(tf):
    with tf.variable_scope("a", initializer=tf.constant_initializer(0.5)):
        e = _err(lambda: tf.get_variable("i", [2], dtype=tf.int32))
    return {"e": e, "globals": _names(tf.global_variables())}


def scenario_init_scope_glorot_for_int_var(tf):
    with tf.variable_scope("a", initializer=tf.glorot_uniform_initializer()):
        e = _err(lambda: tf.get_variable("i", [2], dtype=tf.int32))
    return {"e": e}


def scenario_init_scope_random_normal_for_bool_var(tf):
    with tf.variable_scope("a", initializer=tf.random_normal_initializer()):
        e = _err(lambda: tf.get_variable("b", [2], dtype=tf.bool))
    return {"e": e}


def scenario_init_scope_ones_for_int_var(tf):
    with tf.variable_scope("a", initializer=tf.ones_initializer()):
        i = tf.get_variable("i", [2], dtype=tf.int32)
        b = tf.get_variable("b", [2], dtype=tf.bool)
    return {"vals": [_dval(x) for x in _run(tf, [i, b])]}


def scenario_init_scope_dtype_int_default_zeros(tf):
    with tf.variable_scope("a", dtype=tf.int32):
        i = tf.get_variable("i", [2])
        f = tf.get_variable("f", [2], dtype=tf.float32, initializer=tf.ones_initializer())
    return {"i": _t(i), "f": _t(f), "vals": [_dval(x) for x in _run(tf, [i, f])]}


def scenario_init_scope_dtype_float16(tf):
    with tf.variable_scope("h", dtype=tf.float16):
        v = tf.get_variable("v", [3, 3])
        c = tf.get_variable("c", [2], initializer=tf.constant_initializer(0.1))
    val = _run(tf, [v, c])
    return {"v": _t(v), "c_val": _dval(val[1]), "v_dtype": str(np.asarray(val[0]).dtype)}


def scenario_init_override_chain(tf):
    with tf.variable_scope("a", initializer=tf.constant_initializer(1.0)):
        x = tf.get_variable("x", [1])
        with tf.variable_scope("b", initializer=tf.constant_initializer(2.0)):
            y = tf.get_variable("y", [1])
            z = tf.get_variable("z", [1], initializer=tf.constant_initializer(3.0))
        w = tf.get_variable("w", [1])
    return {"vals": _val(_run(tf, [x, y, z, w]))}


def scenario_init_root_set_initializer(tf):
    tf.get_variable_scope().set_initializer(tf.constant_initializer(4.0))
    a = tf.get_variable("a", [1])
    with tf.variable_scope("s"):
        b = tf.get_variable("b", [1])
    return {"vals": _val(_run(tf, [a, b]))}


def scenario_init_scope_initializer_on_reuse_ignored(tf):
    with tf.variable_scope("s", initializer=tf.constant_initializer(1.0)):
        a = tf.get_variable("a", [1])
    with tf.variable_scope("s", reuse=True, initializer=tf.constant_initializer(9.0)):
        b = tf.get_variable("a", [1])
    return {"same": a is b, "val": _val(_run(tf, b))}


def scenario_init_constant_initializer_shapes(tf):
    a = tf.get_variable("a", [2, 2], initializer=tf.constant_initializer([[1.0, 2.0], [3.0, 4.0]]))
    b = tf.get_variable("b", [3], initializer=tf.constant_initializer(np.array([1.0, 2.0, 3.0])))
    c = tf.get_variable("c", [2, 3], initializer=tf.constant_initializer([5.0]))
    e = _err(lambda: tf.get_variable("d", [2], initializer=tf.constant_initializer([1.0, 2.0, 3.0])))
    return {"vals": _val(_run(tf, [a, b, c])), "e": e}


def scenario_init_dtype_string_and_numpy(tf):
    a = tf.get_variable("a", [1], dtype="float64")
    b = tf.get_variable("b", [1], dtype=np.int32)
    c = tf.get_variable("c", [1], dtype=tf.as_dtype("float16"))
    return {"dtypes": [a.dtype.name, b.dtype.name, c.dtype.name]}


def scenario_init_variable_from_initializer_value(tf):
    w = tf.get_variable("w", initializer=tf.constant([[1.0, 2.0]]))
    i = tf.get_variable("i", initializer=np.array([1, 2], dtype=np.int64))
    return {"w": _t(w), "i": _t(i), "vals": [_dval(x) for x in _run(tf, [w, i])]}


# ===========================================================================
# regularizer collections
# ===========================================================================


def scenario_reg_scope_with_dense_layers(tf):
    with tf.variable_scope("net", regularizer=lambda t: tf.reduce_sum(t)):
        tf.layers.dense(tf.ones([1, 2]), 2)
        tf.layers.dense(tf.ones([1, 2]), 2, name="fc")
    return {"losses": _names(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))}


def scenario_reg_auto_reuse_loop_once(tf):
    for _ in range(3):
        with tf.variable_scope("s", reuse=tf.AUTO_REUSE, regularizer=lambda t: tf.reduce_sum(t * t)):
            tf.get_variable("w", [2], initializer=tf.constant_initializer([1.0, 2.0]))
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    return {"losses": _names(losses), "vals": _val(_run(tf, losses))}


def scenario_reg_inside_name_scope(tf):
    with tf.name_scope("ns"):
        with tf.variable_scope("vs"):
            tf.get_variable("w", [1], regularizer=lambda t: tf.reduce_mean(t, name="l"))
    return {"losses": _names(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)),
            "next": tf.reduce_mean(tf.ones([1]), name="l").name}


def scenario_reg_multiply_scalar_weight_decay(tf):
    def wd(t):
        return tf.multiply(tf.reduce_sum(t * t), 0.01, name="weight_loss")

    with tf.variable_scope("l1", regularizer=wd):
        tf.get_variable("w", [2], initializer=tf.constant_initializer([3.0, 4.0]))
    with tf.variable_scope("l2", regularizer=wd):
        tf.get_variable("w", [1], initializer=tf.constant_initializer(10.0))
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    total = tf.add(losses[0], losses[1], name="total_reg")
    return {"losses": _names(losses), "total": total.name, "vals": _val(_run(tf, losses + [total]))}


def scenario_reg_trainable_false_still_added(tf):
    tf.get_variable("w", [1], trainable=False, regularizer=lambda t: tf.reduce_sum(t))
    return {"losses": _names(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))}


# ===========================================================================
# trainable=False
# ===========================================================================


def scenario_trainable_false_mixed(tf):
    with tf.variable_scope("bn"):
        tf.get_variable("gamma", [2])
        tf.get_variable("moving_mean", [2], trainable=False)
        tf.Variable(0, name="count", trainable=False)
    with tf.variable_scope("bn", reuse=True):
        m = tf.get_variable("moving_mean", [2])
    return {
        "global": _names(tf.global_variables()),
        "trainable": _names(tf.trainable_variables()),
        "bn_trainable": _names(tf.trainable_variables("bn")),
        "m_trainable": m.trainable,
    }


def scenario_trainable_false_reuse_with_trainable_true(tf):
    a = tf.get_variable("a", [1], trainable=False)
    with tf.variable_scope("", reuse=True):
        b = tf.get_variable("a", [1], trainable=True)
    return {"same": a is b, "trainable": b.trainable, "tv": _names(tf.trainable_variables())}


def scenario_global_step_idiom(tf):
    gs = tf.get_variable("global_step", [], dtype=tf.int64, initializer=tf.zeros_initializer(),
                         trainable=False, collections=[tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.GLOBAL_STEP])
    return {"gs": _t(gs), "coll": _names(tf.get_collection(tf.GraphKeys.GLOBAL_STEP)),
            "val": _dval(_run(tf, gs)), "trainable": _names(tf.trainable_variables())}


# ===========================================================================
# op names of chains
# ===========================================================================


def scenario_chain_conv_relu_in_scopes(tf):
    def layer(x):
        w = tf.get_variable("w", [2, 2, 1, 2], initializer=tf.ones_initializer())
        b = tf.get_variable("b", [2], initializer=tf.constant_initializer([-10.0, 1.0]))
        return tf.nn.relu(tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="VALID") + b)

    x = tf.constant(_img(1, 3, 3, 1))
    with tf.variable_scope("l") as sc:
        a = layer(x)
    with tf.variable_scope(sc, reuse=True):
        b = layer(x)
    with tf.variable_scope("l", reuse=True):
        c = layer(x)
    return {"outs": [_t(t) for t in [a, b, c]], "val": _val(_run(tf, a))}


def scenario_chain_identity_named_repeated(tf):
    x = tf.ones([2])
    out = []
    with tf.variable_scope("s"):
        out.append(tf.identity(x, name="out").name)
        out.append(tf.identity(x, name="out").name)
        out.append(tf.identity(x).name)
    with tf.variable_scope("s"):
        out.append(tf.identity(x, name="out").name)
    out.append(tf.identity(x, name="out").name)
    return {"out": out}


def scenario_chain_reshape_names_and_shapes(tf):
    x = tf.constant(np.arange(12, dtype=np.float32))
    with tf.name_scope("r"):
        a = tf.reshape(x, [3, 4])
        b = tf.reshape(a, [-1, 2], name="flat2")
        c = tf.reshape(b, [2, -1, 3])
    d = tf.reshape(x, (2, 6))
    return {"ts": [_t(t) for t in [a, b, c, d]], "val": _val(_run(tf, c))}


def scenario_chain_reshape_error(tf):
    # (reshape(x, [-1, -1]) only fails when TF's graph runs; eager varstore raises at once,
    # so it is not recorded.)
    x = tf.ones([2, 3])
    return {"bad": _err_prefix(lambda: tf.reshape(x, [4, 2]), " for '")}


def scenario_chain_reduce_mean_names(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 5.0]])
    a = tf.reduce_mean(x, name="loss")
    b = tf.reduce_mean(x, axis=0)
    c = tf.reduce_mean(x, axis=1, keepdims=True)
    with tf.variable_scope("m"):
        d = tf.reduce_mean(x, name="loss")
        e = tf.reduce_sum(x, axis=[0, 1], name="loss")
    return {"ts": [_t(t) for t in [a, b, c, d, e]], "vals": _val(_run(tf, [a, b, c, d, e]))}


def scenario_chain_getitem(tf):
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    a = x[0]
    b = x[1]
    with tf.name_scope("s"):
        c = x[0]
    return {"ts": [_t(t) for t in [a, b, c]], "vals": _val(_run(tf, [a, b, c]))}


def scenario_chain_getitem_slices(tf):
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    a = x[:, 1]
    b = x[0, 1:]
    c = x[-1]
    return {"ts": [_t(t) for t in [a, b, c]], "vals": _val(_run(tf, [a, b, c]))}


def scenario_chain_neg_names(tf):
    x = tf.constant([1.0, -2.0])
    a = -x
    b = -(-x)
    with tf.variable_scope("s"):
        c = -x
    d = tf.negative(x) if hasattr(tf, "negative") else -x
    return {"names": _names([a, b, c, d]), "types": [t.op.type for t in [a, b, c]],
            "vals": _val(_run(tf, [a, b, c]))}


def scenario_chain_matmul_op_then_function(tf):
    x = tf.ones([2, 2])
    with tf.variable_scope("s"):
        a = x @ x
        b = tf.matmul(x, x)
        c = x @ x
        d = tf.matmul(x, x, name="mm")
    return {"names": _names([a, b, c, d])}


def scenario_chain_python_scalars(tf):
    x = tf.constant([1.0, 2.0])
    y = 2.0 * x + 1.0
    z = 1.0 - x / 4.0
    w = (x - 1.0) * (x + 1.0)
    return {"y": y.name, "z": z.name, "w": w.name, "vals": _val(_run(tf, [y, z, w]))}


def scenario_chain_ops_in_reused_scope(tf):
    with tf.variable_scope("s"):
        a = tf.get_variable("w", [1], initializer=tf.ones_initializer()) * 2.0
    with tf.variable_scope("s", reuse=True):
        b = tf.get_variable("w", [1]) * 2.0
    with tf.variable_scope("s", reuse=True):
        c = tf.get_variable("w", [1]) * 2.0
    return {"names": _names([a, b, c])}


def scenario_chain_identity_of_variable(tf):
    with tf.variable_scope("s"):
        v = tf.get_variable("v", [2], dtype=tf.int32)
        i = tf.identity(v)
    return {"i": _t(i), "val": _dval(_run(tf, i))}


def scenario_chain_bias_add_names(tf):
    x = tf.ones([2, 3])
    b = tf.constant([1.0, 2.0, 3.0])
    with tf.name_scope("n"):
        a = tf.nn.bias_add(x, b)
        c = tf.nn.bias_add(x, b, name="ba")
    return {"a": _t(a), "c": _t(c), "val": _val(_run(tf, a))}


def scenario_chain_bias_add_shape_error(tf):
    return {"e": _err_prefix(lambda: tf.nn.bias_add(tf.ones([2, 3]), tf.ones([2])), " for '")}


def scenario_chain_add_multiply_subtract_named(tf):
    x = tf.constant([1.0, 2.0])
    y = tf.constant([3.0, 4.0])
    with tf.variable_scope("ops"):
        a = tf.add(x, y, name="sum")
        b = tf.subtract(x, y)
        c = tf.multiply(x, y)
        d = tf.add(x, y)
        e = x + y
    return {"names": _names([a, b, c, d, e]), "types": [t.op.type for t in [a, b, c, d, e]]}


# ===========================================================================
# numerics
# ===========================================================================


def scenario_num_conv2d_same_multichannel(tf):
    x = tf.constant(_img(1, 4, 4, 2) / 10.0)
    w = tf.constant(np.linspace(-1.0, 1.0, 3 * 3 * 2 * 2).reshape(3, 3, 2, 2).astype(np.float32))
    y = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME")
    return {"y": _t(y), "val": _val(_run(tf, y, init=False))}


def scenario_num_conv2d_valid_stride2(tf):
    x = tf.constant(_img(2, 5, 5, 1))
    w = tf.constant(np.array([[1, 0], [0, -1]], dtype=np.float32).reshape(2, 2, 1, 1))
    y = tf.nn.conv2d(x, w, strides=[1, 2, 2, 1], padding="VALID")
    return {"y": _t(y), "val": _val(_run(tf, y, init=False))}


def scenario_num_conv2d_strides_int(tf):
    x = tf.constant(_img(1, 4, 4, 1))
    w = tf.ones([2, 2, 1, 1])
    y = tf.nn.conv2d(x, w, strides=2, padding="VALID")
    z = tf.nn.conv2d(x, w, strides=[2, 2], padding="SAME")
    return {"y": _t(y), "z": _t(z), "vals": _val(_run(tf, [y, z], init=False))}


def scenario_num_conv2d_dilated_same(tf):
    x = tf.constant(_img(1, 5, 5, 1))
    w = tf.ones([2, 2, 1, 1])
    y = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME", dilations=[1, 2, 2, 1])
    return {"y": _t(y), "val": _val(_run(tf, y, init=False))}


def scenario_num_maxpool_variants(tf):
    x = tf.constant(np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3],
                             dtype=np.float32).reshape(1, 5, 5, 1))
    a = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    b = tf.nn.max_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME")
    c = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], "SAME", name="mp")
    return {"ts": [_t(t) for t in [a, b, c]], "vals": _val(_run(tf, [a, b, c], init=False))}


def scenario_num_maxpool_int_ksize(tf):
    x = tf.constant(_img(1, 4, 4, 2))
    a = tf.nn.max_pool(x, 2, 2, "VALID")
    return {"a": _t(a), "val": _val(_run(tf, a, init=False))}


def scenario_num_matmul_int32(tf):
    a = tf.constant([[1, 2, 3], [4, 5, 6]])
    b = tf.constant([[1, 0], [0, 1], [2, -1]])
    y = tf.matmul(a, b)
    return {"y": _t(y), "val": _dval(_run(tf, y, init=False))}


def scenario_num_matmul_transpose_flags(tf):
    a = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    b = tf.constant([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    x = tf.matmul(a, b, transpose_a=True, transpose_b=True)
    y = tf.matmul(a, a, transpose_a=True)
    return {"x": _t(x), "y": _t(y), "vals": _val(_run(tf, [x, y], init=False))}


def scenario_num_matmul_shape_error(tf):
    a = tf.ones([2, 3])
    return {"fn": _err_prefix(lambda: tf.matmul(a, a), " for '"),
            "op": _err_prefix(lambda: a @ a, " for '"),
            "rank1": _err_prefix(lambda: tf.matmul(tf.ones([3]), tf.ones([3])), " for '")}


def scenario_num_bias_add_4d(tf):
    x = tf.constant(_img(1, 2, 2, 3))
    y = tf.nn.bias_add(x, tf.constant([1.0, -1.0, 0.5]))
    return {"y": _t(y), "val": _val(_run(tf, y, init=False))}


def scenario_num_relu_mixed(tf):
    x = tf.constant([[-1.5, 0.0, 2.5], [3.0, -0.1, 0.1]])
    return {"val": _val(_run(tf, tf.nn.relu(x), init=False))}


def scenario_num_reduce_axes_negative(tf):
    x = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    a = tf.reduce_sum(x, axis=-1)
    b = tf.reduce_mean(x, axis=[0, 2])
    c = tf.reduce_sum(x, axis=(1,), keepdims=True)
    return {"ts": [_t(t) for t in [a, b, c]], "vals": _val(_run(tf, [a, b, c], init=False))}


def scenario_num_conv_bias_relu_pool_net(tf):
    x = tf.constant(_img(1, 4, 4, 1) / 8.0 - 1.0)
    with tf.variable_scope("net"):
        w = tf.get_variable("w", [3, 3, 1, 2],
                            initializer=tf.constant_initializer(np.linspace(-0.5, 0.5, 18).tolist()))
        b = tf.get_variable("b", [2], initializer=tf.constant_initializer([0.1, -0.1]))
        h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), b))
        p = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
        out = tf.reduce_sum(p, name="out")
    return {"h": _t(h), "p": _t(p), "out": _t(out), "vals": _val(_run(tf, [h, p, out]))}


def scenario_num_dense_matmul_chain(tf):
    x = tf.constant([[1.0, -1.0]])
    with tf.variable_scope("mlp"):
        w1 = tf.get_variable("w1", [2, 3], initializer=tf.constant_initializer([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
        h = tf.nn.relu(x @ w1 + tf.constant([0.5, 0.5, 0.5]))
        w2 = tf.get_variable("w2", [3, 1], initializer=tf.ones_initializer())
        y = tf.matmul(h, w2)
    return {"h": _t(h), "y": _t(y), "vals": _val(_run(tf, [h, y]))}


def scenario_num_float64_conv(tf):
    x = tf.constant(np.arange(9, dtype=np.float64).reshape(1, 3, 3, 1))
    w = tf.constant(np.ones((2, 2, 1, 1), dtype=np.float64))
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "VALID")
    return {"y": _t(y), "val": _dval(_run(tf, y, init=False))}


def scenario_num_conv_dtype_mismatch_error(tf):
    x = tf.constant(np.ones((1, 3, 3, 1), dtype=np.float64))
    w = tf.ones([2, 2, 1, 1])
    return {"e": _err(lambda: tf.nn.conv2d(x, w, [1, 1, 1, 1], "VALID"))}


def scenario_num_conv_channel_mismatch_error(tf):
    x = tf.ones([1, 3, 3, 2])
    w = tf.ones([2, 2, 3, 1])
    return {"e": _err_prefix(lambda: tf.nn.conv2d(x, w, [1, 1, 1, 1], "VALID"), " for '")}


# ===========================================================================
# dtype promotion errors
# ===========================================================================


def scenario_dtype_f32_plus_f64_tensor(tf):
    a = tf.ones([2])
    b = tf.constant(np.ones(2))
    return {"add": _err(lambda: a + b), "radd": _err(lambda: b + a),
            "fn": _err(lambda: tf.add(a, b)), "mul": _err(lambda: a * b),
            "sub": _err(lambda: a - b)}


def scenario_dtype_truediv_mismatch(tf):
    i = tf.constant([1, 2])
    f = tf.constant([1.0, 2.0])
    return {"i_div_f": _err(lambda: i / f), "f_div_i": _err(lambda: f / i),
            "i_div_float": _err(lambda: i / 2.5)}


def scenario_dtype_int_mul_float_scalar(tf):
    i = tf.constant([1, 2])
    return {"mul": _err(lambda: i * 2.5), "rmul": _err(lambda: 2.5 * i),
            "rsub": _err(lambda: 2.5 - i), "sub": _err(lambda: i - 0.5)}


def scenario_dtype_int64_int32(tf):
    a = tf.constant(np.array([1, 2], dtype=np.int64))
    b = tf.constant([1, 2])
    return {"add": _err(lambda: a + b), "mm": _err(lambda: tf.matmul(tf.reshape(a, [1, 2]), tf.reshape(b, [2, 1])))}


def scenario_dtype_matmul_operator_f32_f64(tf):
    a = tf.ones([2, 2])
    b = tf.constant(np.ones((2, 2)))
    return {"op": _err(lambda: a @ b), "fn": _err(lambda: tf.matmul(b, a))}


def scenario_dtype_variable_plus_float64_constant(tf):
    v = tf.get_variable("v", [2])
    c = tf.constant(np.array([1.0, 2.0]))
    return {"e": _err(lambda: v + c), "ok": _t(v + np.array([1.0, 2.0]))}


def scenario_dtype_python_values_follow_tensor(tf):
    h = tf.constant([1.0, 2.0], dtype=tf.float16)
    d = tf.constant([1.0, 2.0], dtype=tf.float64)
    i64 = tf.constant(np.array([1, 2], dtype=np.int64))
    outs = [h + 1.0, 2 * h, d + 1, d * np.float32(2.0), i64 + 1, i64 * np.int32(3)]
    return {"dtypes": [t.dtype.name for t in outs], "vals": _val(_run(tf, outs, init=False))}


def scenario_dtype_float_tensor_plus_int_ndarray(tf):
    f = tf.constant([1.0, 2.0])
    r = _err(lambda: (f + np.array([1, 2])).dtype.name)
    out = None
    if r["type"] is None:
        out = (f + np.array([1, 2])).dtype.name
    return {"r": r, "dtype": out}


def scenario_dtype_int_tensor_plus_float_ndarray(tf):
    i = tf.constant([1, 2])
    return {"e": _err(lambda: i + np.array([1.5, 2.5]))}


def scenario_dtype_bool_add_error(tf):
    b = tf.constant([True, False])
    return {"e": _err_prefix(lambda: b + b, "; NodeDef")}


def scenario_dtype_reduce_sum_int_and_bool(tf):
    i = tf.constant([[1, 2], [3, 4]])
    a = tf.reduce_sum(i)
    b = tf.reduce_mean(i, axis=0)
    return {"a": _t(a), "b": _t(b), "vals": [_dval(x) for x in _run(tf, [a, b], init=False)]}


def scenario_dtype_int_div_int_values(tf):
    a = tf.constant([7, -7, 3])
    b = tf.constant([2, 2, 4])
    q = a / b
    return {"q": _t(q), "val": _dval(_run(tf, q, init=False))}


def scenario_dtype_constant_dtype_conversions(tf):
    out = {}
    out["int_to_f64"] = tf.constant([1, 2], dtype=tf.float64).dtype.name
    out["f_to_i64_err"] = _err(lambda: tf.constant([1.5], dtype=tf.int64))
    out["bool_to_int"] = _err(lambda: tf.constant(True, dtype=tf.int32))
    out["np_f64_to_f32"] = tf.constant(np.array([1.5]), dtype=tf.float32).dtype.name
    out["big_int32_err"] = _err(lambda: tf.constant(2 ** 40, dtype=tf.int32))
    return out


# ===========================================================================
# Session.run structures
# ===========================================================================


def scenario_sess_nested_structures(tf):
    a = tf.constant(1.0)
    b = tf.constant([1, 2])
    v = tf.get_variable("v", [], initializer=tf.constant_initializer(3.0))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    r = sess.run({"x": [a, (b, v)], "y": {"z": a}})
    return {
        "keys": sorted(r.keys()),
        "x_type": type(r["x"]).__name__,
        "x1_type": type(r["x"][1]).__name__,
        "y_type": type(r["y"]).__name__,
        "vals": [_val(r["x"][0]), _val(r["x"][1][0]), _val(r["x"][1][1]), _val(r["y"]["z"])],
        "scalar_type": type(r["x"][0]).__name__,
        "int_type": type(r["x"][1][0]).__name__,
    }


def scenario_sess_scalar_types(tf):
    i = tf.constant(3)
    d = tf.constant(np.float64(2.5))
    b = tf.constant(True)
    v = tf.get_variable("v", [], dtype=tf.int64, initializer=tf.zeros_initializer())
    sess = tf.Session()
    init_res = sess.run(tf.global_variables_initializer())
    r = sess.run([i, d, b, v])
    return {"types": [type(x).__name__ for x in r], "vals": _val(r), "init_res": init_res}


def scenario_sess_single_element_list_and_tuple(tf):
    a = tf.constant([1.0, 2.0])
    sess = tf.Session()
    r1 = sess.run([a])
    r2 = sess.run((a,))
    r3 = sess.run([])
    return {"r1": [type(r1).__name__, len(r1)], "r2": [type(r2).__name__, len(r2)], "r3": r3,
            "arr_type": type(r1[0]).__name__}


def scenario_sess_same_tensor_twice(tf):
    a = tf.constant([1.0, 2.0])
    r = tf.Session().run([a, a, {"k": a}])
    return {"vals": [_val(r[0]), _val(r[1]), _val(r[2]["k"])]}


def scenario_sess_run_variable_after_assign_like_ops(tf):
    v = tf.get_variable("v", [2], initializer=tf.constant_initializer([1.0, 2.0]))
    y = v * 3.0
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    return {"val": _val(sess.run(y)), "v": _val(sess.run(v))}


def scenario_sess_run_operation_returns_none(tf):
    init = tf.global_variables_initializer()
    r = tf.Session().run([init, tf.constant(1.0)])
    return {"r0": r[0], "r1": _val(r[1])}


# ===========================================================================
# global_variables_initializer names
# ===========================================================================


def scenario_init_op_names_in_scopes(tf):
    tf.get_variable("v", [1])
    a = tf.global_variables_initializer()
    with tf.name_scope("ns"):
        b = tf.global_variables_initializer()
    with tf.variable_scope("vs"):
        c = tf.global_variables_initializer()
    tf.constant(1.0, name="init_3")
    d = tf.global_variables_initializer()
    return {"names": [op.name for op in [a, b, c, d]], "types": [op.type for op in [a, b, c, d]]}


def scenario_init_op_after_const_named_init(tf):
    tf.constant(1.0, name="init")
    op = tf.global_variables_initializer()
    return {"name": op.name}


# ===========================================================================
# VariableScope attributes
# ===========================================================================


def scenario_vsattr_defaults(tf):
    with tf.variable_scope("a") as a:
        pass
    return {"a": _full_scope(a), "root": _full_scope(tf.get_variable_scope())}


def scenario_vsattr_inherited(tf):
    init = tf.ones_initializer()
    reg = lambda t: tf.reduce_sum(t)
    with tf.variable_scope("a", initializer=init, regularizer=reg, dtype=tf.float64) as a:
        with tf.variable_scope("b") as b:
            out = {"a": _full_scope(a), "b": _full_scope(b),
                   "init_same": b.initializer is init, "reg_same": b.regularizer is reg}
    return out


def scenario_vsattr_in_name_scope(tf):
    with tf.name_scope("ns"):
        with tf.variable_scope("vs") as vs:
            with tf.name_scope("inner"):
                cur = tf.get_variable_scope()
                out = {"vs": _full_scope(vs), "cur": _full_scope(cur), "same": cur is vs}
    return out


def scenario_vsattr_set_dtype_affects_later(tf):
    with tf.variable_scope("s") as s:
        a = tf.get_variable("a", [1])
        s.set_dtype(tf.float64)
        b = tf.get_variable("b", [1])
        with tf.variable_scope("c"):
            c = tf.get_variable("c", [1])
    with tf.variable_scope("s"):
        d = tf.get_variable("d", [1])
    return {"dtypes": [v.dtype.name for v in [a, b, c, d]], "s": _full_scope(s)}


def scenario_vsattr_get_variable_scope_identity(tf):
    with tf.variable_scope("a") as a:
        same = tf.get_variable_scope() is a
        with tf.name_scope("x"):
            same2 = tf.get_variable_scope() is a
    return {"same": same, "same2": same2}


def scenario_vsattr_reuse_after_reuse_variables(tf):
    out = []
    with tf.variable_scope("a") as a:
        out.append(_reuse(a.reuse))
        with tf.variable_scope("child") as c0:
            out.append(_reuse(c0.reuse))
        a.reuse_variables()
        out.append(_reuse(a.reuse))
        with tf.variable_scope("child") as c1:
            out.append(_reuse(c1.reuse))
    with tf.variable_scope("a") as a2:
        out.append(_reuse(a2.reuse))
    return {"out": out}


# ===========================================================================
# get_variable failure modes
# ===========================================================================


def scenario_gvf_callable_initializer_no_shape(tf):
    return {"e": _err(lambda: tf.get_variable("w", initializer=tf.zeros_initializer())),
            "e2": _err(lambda: tf.get_variable("w2", initializer=tf.glorot_uniform_initializer())),
            "globals": _names(tf.global_variables())}


def scenario_gvf_unexpected_kwarg(tf):
    return {"gv": _err(lambda: tf.get_variable("w", [1], reuse=True)),
            "vs": _enter_err(lambda: tf.variable_scope("a", bogus=1))}


def scenario_gvf_name_not_string(tf):
    # (get_variable(None) at the root makes a variable called "Variable" in TF's graph mode:
    # an accident of its name_scope(None, "Variable") that varstore rejects; not recorded.)
    with tf.variable_scope("s"):
        nested_none = _err(lambda: tf.get_variable(None, [1]))
    return {"nested_none": nested_none,
            "int": _err(lambda: tf.get_variable(3, [1])),
            "globals": _names(tf.global_variables())}


def scenario_gvf_store_unchanged_after_errors(tf):
    with tf.variable_scope("s"):
        tf.get_variable("w", [2])
    with tf.variable_scope("s", reuse=True):
        e1 = _err(lambda: tf.get_variable("w", [3]))
        e2 = _err(lambda: tf.get_variable("w", [2], dtype=tf.float64))
        e3 = _err(lambda: tf.get_variable("x", [2]))
    with tf.variable_scope("s"):
        e4 = _err(lambda: tf.get_variable("bad", [-1]))
        ok = tf.get_variable("bad", [1]).name
    return {"errs": [e1, e2, e3, e4], "ok": ok, "globals": _names(tf.global_variables())}


def scenario_gvf_reuse_rank_mismatch_nested(tf):
    with tf.variable_scope("a"):
        with tf.variable_scope("b"):
            tf.get_variable("w", [2, 3])
    with tf.variable_scope("a/b", reuse=True):
        r1 = _err(lambda: tf.get_variable("w", [6]))
        r2 = _err(lambda: tf.get_variable("w", [2, 3, 1]))
        ok = tf.get_variable("w", [2, 3]).name
    with tf.variable_scope("a", reuse=True):
        r3 = _err(lambda: tf.get_variable("b/w", [3, 2]))
    return {"r1": r1, "r2": r2, "ok": ok, "r3": r3}


def scenario_gvf_dtype_mismatch_variants(tf):
    tf.get_variable("f64", [1], dtype=tf.float64)
    tf.get_variable("b", [1], dtype=tf.bool)
    with tf.variable_scope("", reuse=True):
        return {
            "f64_default": _err(lambda: tf.get_variable("f64", [1])),
            "f64_as_f16": _err(lambda: tf.get_variable("f64", [1], dtype=tf.float16)),
            "bool_as_int": _err(lambda: tf.get_variable("b", [1], dtype=tf.int32)),
        }


def scenario_gvf_constant_initializer_tensor_with_shape(tf):
    return {"tensor": _err(lambda: tf.get_variable("a", [2], initializer=tf.constant([1.0, 2.0]))),
            "ndarray": _err(lambda: tf.get_variable("b", [2], initializer=np.ones(2, dtype=np.float32))),
            "scalar_list": _err(lambda: tf.get_variable("c", [], initializer=[1.0]))}


def scenario_gvf_constant_initializer_dtype_clash(tf):
    return {"int_vs_f32": _err(lambda: tf.get_variable("a", initializer=tf.constant([1, 2]), dtype=tf.float32)),
            "f64_vs_f32": _err(lambda: tf.get_variable("b", initializer=np.ones(2), dtype=tf.float32)),
            "ok": tf.get_variable("c", initializer=tf.constant([1.0]), dtype=tf.float32).name}


def scenario_gvf_shape_kinds(tf):
    a = tf.get_variable("a", np.array([2, 3]))
    b = tf.get_variable("b", (np.int64(2),))
    c = tf.get_variable("c", tf.TensorShape([4]) if hasattr(tf, "TensorShape") else [4])
    return {"shapes": [_shape(v) for v in [a, b, c]]}


def scenario_gvf_reuse_none_shape_returns(tf):
    with tf.variable_scope("s"):
        w = tf.get_variable("w", [2, 3], dtype=tf.int32)
    with tf.variable_scope("s", reuse=True):
        w2 = tf.get_variable("w", dtype=tf.int32)
        w3 = tf.get_variable("w", [None, 3], dtype=tf.int32)
    return {"same": w is w2 and w is w3, "shape": _shape(w2)}


def scenario_gvf_error_messages_in_auto_reuse_nested_names(tf):
    with tf.variable_scope("m", reuse=tf.AUTO_REUSE):
        with tf.variable_scope("blk"):
            tf.get_variable("w", [1], dtype=tf.int64)
            return {
                "shape": _err(lambda: tf.get_variable("w", [1, 1], dtype=tf.int64)),
                "dtype": _err(lambda: tf.get_variable("w", [1])),
                "no_shape": _err(lambda: tf.get_variable("new")),
            }


def scenario_gvf_invalid_nested_name_in_default_scope(tf):
    with tf.variable_scope(None, default_name="blk"):
        return {"space": _err(lambda: tf.get_variable("a b", [1])),
                "colon": _err(lambda: tf.get_variable("a:0", [1]))}


def scenario_gvf_reuse_true_root_message(tf):
    tf.get_variable_scope().reuse_variables()
    return {"e": _err(lambda: tf.get_variable("nope", [1])),
            "e2": _err(lambda: tf.layers.dense(tf.ones([1, 2]), 1))}


def scenario_gvf_variable_scope_bad_initializer(tf):
    with tf.variable_scope("s", initializer=5):
        e = _err(lambda: tf.get_variable("w", [2]))
    return {"e": e}


def scenario_gvf_regularizer_not_callable(tf):
    return {"e": _err(lambda: tf.get_variable("w", [2], regularizer=5))}


# ===========================================================================
# follow-ups: layer dtype from input, python-scalar conversion, fetch types
# ===========================================================================


def scenario_dense_numpy_float64_input(tf):
    y = tf.layers.dense(np.ones([1, 2]), 2, kernel_initializer=tf.ones_initializer())
    return {"y": _t(y), "vars": [[v.name, v.dtype.name] for v in tf.global_variables()],
            "val": _dval(_run(tf, y))}


def scenario_dense_float16_input(tf):
    y = tf.layers.dense(tf.ones([1, 2], dtype=tf.float16), 2, kernel_initializer=tf.ones_initializer())
    return {"y": _t(y), "vars": [[v.name, v.dtype.name] for v in tf.global_variables()]}


def scenario_dense_units_zero(tf):
    r = _err(lambda: tf.layers.dense(tf.ones([1, 2]), 0))
    return {"r": r, "vars": [[v.name, _shape(v)] for v in tf.global_variables()]}


def scenario_layers_error_names_consume_keras_uids(tf):
    e1 = _err(lambda: tf.layers.dense(tf.ones([3]), 2))
    e2 = _err(lambda: tf.layers.dense(tf.ones([3]), 2))
    ok = tf.layers.dense(tf.ones([1, 3]), 2).name
    e3 = _err(lambda: tf.layers.dense(tf.ones([3]), 2))
    e4 = _err(lambda: tf.layers.dense(tf.ones([3]), 2, name="c"))
    e5 = _err(lambda: tf.layers.conv2d(tf.ones([3, 3, 1]), 1, 1))
    return {"errs": [e1, e2, e3, e4, e5], "ok": ok, "vars": _names(tf.global_variables())}


def scenario_dtype_int_tensor_integral_float_scalar(tf):
    i = tf.constant([1, 2])
    return {"add": _err(lambda: i + 2.0), "mul": _err(lambda: i * 2.0),
            "sub": _err(lambda: i - 1.0), "radd": _err(lambda: 2.0 + i)}


def scenario_dtype_int_tensor_float_scalar_functions(tf):
    i = tf.constant([1, 2])
    return {"add": _err(lambda: tf.add(i, 2.5)), "multiply": _err(lambda: tf.multiply(i, 2.5)),
            "subtract": _err(lambda: tf.subtract(i, 0.5)),
            "matmul": _err(lambda: tf.matmul(tf.reshape(i, [1, 2]), [[1.5], [2.5]]))}


def scenario_dtype_integral_float_to_int_constant(tf):
    return {"constant": _err(lambda: tf.constant(2.0, dtype=tf.int32)),
            "constant_list": _err(lambda: tf.constant([1.0, 2.0], dtype=tf.int64)),
            "variable": _err(lambda: tf.Variable(2.0, dtype=tf.int32)),
            "np_float_array": _err(lambda: tf.constant(np.array([1.0, 2.0]), dtype=tf.int32))}


def scenario_init_constant_initializer_integral_float_int_var(tf):
    return {"scalar": _err(lambda: tf.get_variable("a", [2], dtype=tf.int32,
                                                   initializer=tf.constant_initializer(3.0))),
            "list": _err(lambda: tf.get_variable("b", [2], dtype=tf.int64,
                                                 initializer=tf.constant_initializer([1.0, 2.0]))),
            "globals": _names(tf.global_variables())}


def scenario_sess_fetch_types_of_scalars(tf):
    v = tf.get_variable("v", [], initializer=tf.constant_initializer(2.0))
    s = tf.reduce_sum(tf.ones([3]))
    m = tf.reduce_mean(tf.constant([1, 2]))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    rv, rs, rm = sess.run(v), sess.run(s), sess.run(m)
    r1 = sess.run(tf.ones([1]))
    return {"types": [type(x).__name__ for x in [rv, rs, rm, r1]], "vals": _val([rv, rs, rm, r1])}


def scenario_dtype_constant_mixed_lists(tf):
    out = {}
    out["int_float"] = tf.constant([1, 2.5]).dtype.name
    out["bool_int"] = _err(lambda: tf.constant([True, 1]))
    out["ragged"] = _err(lambda: tf.constant([[1, 2], [3]]))
    return out


def scenario_num_reduce_bad_axis(tf):
    x = tf.ones([2, 3])
    return {"sum": _err_prefix(lambda: tf.reduce_sum(x, axis=2), " for '"),
            "mean": _err_prefix(lambda: tf.reduce_mean(x, axis=-3), " for '")}


def scenario_num_divide_by_zero(tf):
    f = tf.constant([1.0, -1.0, 0.0]) / 0.0
    i = tf.constant([1, -1, 0]) / tf.constant([0, 0, 0])
    vf, vi = _run(tf, [f, i], init=False)
    return {"f": [str(x) for x in np.asarray(vf).tolist()], "i": [str(x) for x in np.asarray(vi).tolist()],
            "i_dtype": i.dtype.name}


def scenario_tmpl_first_call_in_name_scope(tf):
    t = tf.make_template("tp", lambda x: x * tf.get_variable("w", [1]))
    with tf.name_scope("ns"):
        a = t(tf.ones([1]))
    b = t(tf.ones([1]))
    return {"a": a.name, "b": b.name, "vars": _names(tf.global_variables()),
            "scope": [t.variable_scope.name, t.variable_scope.original_name_scope]}


def scenario_ones_zeros_dtypes_and_names(tf):
    a = tf.ones([2, 3], dtype=tf.int64)
    b = tf.zeros([2], dtype=tf.bool)
    c = tf.ones([], name="one")
    d = tf.zeros((1, 2), tf.float64)
    return {"ts": [_t(t) for t in [a, b, c, d]], "vals": [_dval(x) for x in _run(tf, [a, b, c, d], init=False)]}


# ---------------------------------------------------------------------------
# registry
# ---------------------------------------------------------------------------


def all_scenarios():
    """{name: function} for every scenario, in definition order."""
    return {
        k[len("scenario_") :]: v
        for k, v in globals().items()
        if k.startswith("scenario_") and callable(v)
    }


SCENARIOS = all_scenarios()
