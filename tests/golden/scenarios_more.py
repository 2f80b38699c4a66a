# ruff: noqa: SIM117  (nested scopes are the point of these scenarios)
"""More golden scenarios: areas not covered by scenarios.py / scenarios_extra.py.

Same conventions as ``scenarios.py`` (whose helpers are reused): every
``scenario_<name>(tf)`` takes ``tensorflow.compat.v1`` (graph mode) or
``varstore`` and returns a JSON-serialisable dict.  Recorded by
``record_tf_more.py`` into ``tf1_expected_more.json`` and replayed by
``tests/test_golden_more.py``.

Topics: initializers called directly, tf.Variable names with '/', initializer /
initial_value names, Graph.unique_name(mark_as_used=False), re-used name_scope
strings, variable_scope(values=...), identity/op names colliding with variable
names, collections with non-variable items, scope objects across graphs,
reuse_variables + default names, AUTO_REUSE mismatches, dtypes x initializers,
trainable/collections, regularizers returning None, custom getters returning
tensors, numerics (reductions, matmul flags, pooling, strided conv), slicing
names, variable reads (ReadVariableOp) in scopes, op errors with node names.
"""

import importlib.util
import os
import re

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


def _err_node(fn):
    """Error record with the message prefix (before " for '") and the node name
    from ``{{node NAME}}`` (None if absent)."""
    r = _err(fn)
    msg = r["msg"]
    node = None
    if msg is not None:
        m = re.search(r"\{\{node ([^}]*)\}\}", msg)
        node = m.group(1) if m else None
        msg = msg.split(" for '")[0]
    return {"type": r["type"], "msg": msg, "node": node}


# Names of the helper ops TF builds inside an op's own scope (a Python operand's "add/y", a
# shape's "Reshape/shape", a variable's "w/Read/ReadVariableOp" ...). varstore does not create
# these hidden ops, so they are left out of the probes: they only matter if user code later
# names something with exactly such a path (a documented difference).
_HIDDEN = re.compile(r".*/(x|y|Read|Read/ReadVariableOp|ReadVariableOp|shape|stack(_\d+)?|"
                     r"reduction_indices)(_\d+)?$")


def _probe(tf, names):
    """Which names are taken: Graph.unique_name(n, mark_as_used=False) for each
    (call at the root name scope).  n itself = free, n_1 = taken once, ..."""
    g = tf.get_default_graph()
    return [g.unique_name(n, mark_as_used=False) for n in names if not _HIDDEN.match(n)]


def _tv(tf, t):
    """_t plus the evaluated value (no variable initialisation needed)."""
    d = _t(t)
    d["value"] = _dval(tf.Session().run(t))
    return d


# ===========================================================================
# initializers called directly
# ===========================================================================


def scenario_initcall_root_names(tf):
    ts = [
        tf.zeros_initializer()([2, 3]),
        tf.ones_initializer()([2]),
        tf.constant_initializer(2.0)([2]),
        tf.random_normal_initializer()([2]),
        tf.truncated_normal_initializer()([2]),
        tf.random_uniform_initializer()([2]),
        tf.glorot_uniform_initializer()([2, 3]),
        tf.glorot_normal_initializer()([2, 3]),
        tf.variance_scaling_initializer()([2, 3]),
    ]
    return {"ts": [_t(t) for t in ts]}


def scenario_initcall_in_name_scope(tf):
    with tf.name_scope("ns"):
        a = tf.zeros_initializer()([2])
        b = tf.ones_initializer()([2])
        c = tf.random_uniform_initializer(-1.0, 1.0)([2])
        d = tf.zeros_initializer()([2])
    return {"ts": [_t(t) for t in [a, b, c, d]]}


def scenario_initcall_in_variable_scope(tf):
    with tf.variable_scope("vs"):
        a = tf.constant_initializer(3.0)([2, 2])
        b = tf.glorot_uniform_initializer()([3, 3])
    with tf.variable_scope("vs"):
        c = tf.constant_initializer(3.0)([2, 2])
    return {"ts": [_t(t) for t in [a, b, c]]}


def scenario_initcall_values_dtypes(tf):
    a = tf.zeros_initializer()([2], dtype=tf.int32)
    b = tf.ones_initializer()([2], dtype=tf.float64)
    c = tf.constant_initializer(7)([3], dtype=tf.int64)
    d = tf.constant_initializer([1.0, 2.0])([2, 2])
    e = tf.ones_initializer(dtype=tf.int32)([2])
    return {"ts": [_tv(tf, t) for t in [a, b, c, d, e]]}


def scenario_initcall_then_variable_names(tf):
    a = tf.zeros_initializer()([2])
    v = tf.get_variable("zeros", [2], initializer=tf.zeros_initializer())
    b = tf.zeros_initializer()([2])
    return {"a": a.name, "v": v.name, "b": b.name,
            "init_val": v.initial_value.name}


def scenario_initcall_random_stats(tf):
    tf.set_random_seed(3)
    a = tf.random_uniform_initializer(2.0, 3.0)([1000])
    b = tf.truncated_normal_initializer(stddev=0.5)([2000])
    va, vb = tf.Session().run([a, b])
    return {"a_in_range": bool(va.min() >= 2.0 and va.max() < 3.0),
            "b_within": bool(np.abs(vb).max() <= 1.0 + 1e-6),
            "b_mean_small": bool(abs(vb.mean()) < 0.05),
            "dtypes": [a.dtype.name, b.dtype.name]}


# ===========================================================================
# initializer / initial_value names of variables
# ===========================================================================


def scenario_initop_names_get_variable(tf):
    a = tf.get_variable("a", [2])
    b = tf.get_variable("b", [2], initializer=tf.zeros_initializer())
    c = tf.get_variable("c", [2], initializer=tf.ones_initializer())
    d = tf.get_variable("d", [2], initializer=tf.constant_initializer(1.0))
    e = tf.get_variable("e", initializer=tf.constant([1.0, 2.0]))
    f = tf.get_variable("f", [2], initializer=tf.random_normal_initializer())
    g = tf.get_variable("g", [2], initializer=tf.truncated_normal_initializer())
    vs = [a, b, c, d, e, f, g]
    return {"init": [v.initializer.name for v in vs],
            "init_type": [v.initializer.type for v in vs],
            "iv": [v.initial_value.name for v in vs]}


def scenario_initop_names_in_scope(tf):
    with tf.variable_scope("s"):
        with tf.name_scope("ns"):
            a = tf.get_variable("a", [2], initializer=tf.zeros_initializer())
            b = tf.Variable(1.0, name="b")
    return {"a": [a.initializer.name, a.initial_value.name],
            "b": [b.name, b.initializer.name, b.initial_value.name]}


def scenario_initop_names_tf_variable(tf):
    a = tf.Variable(1.0)
    b = tf.Variable([1, 2], name="w")
    c = tf.Variable(tf.zeros([2]), name="w")
    return {"a": [a.initializer.name, a.initial_value.name],
            "b": [b.initializer.name, b.initial_value.name],
            "c": [c.name, c.initializer.name, c.initial_value.name]}


def scenario_initop_names_int_and_bool(tf):
    a = tf.get_variable("i", [2], dtype=tf.int32)
    b = tf.get_variable("bo", [2], dtype=tf.bool)
    c = tf.get_variable("h", [2], dtype=tf.float16)
    return {"iv": [v.initial_value.name for v in [a, b, c]]}


# ===========================================================================
# tf.Variable names with '/'
# ===========================================================================


def scenario_tfvar_slash_names_root(tf):
    a = tf.Variable(1.0, name="a/b")
    b = tf.Variable(1.0, name="a/b")
    c = tf.Variable(1.0, name="a")
    d = tf.constant(1.0, name="a/b")
    return {"names": _names([a, b, c, d]), "ops": _ops([a, b, c, d])}


def scenario_tfvar_slash_names_in_name_scope(tf):
    with tf.name_scope("ns"):
        a = tf.Variable(1.0, name="x/y")
        b = tf.Variable(1.0, name="x/y")
    with tf.name_scope("ns"):
        c = tf.Variable(1.0, name="x/y")
    return {"names": _names([a, b, c])}


def scenario_tfvar_slash_names_in_variable_scope(tf):
    with tf.variable_scope("vs"):
        a = tf.Variable(1.0, name="p/q")
        g = tf.get_variable("p/q", [1])
        b = tf.Variable(1.0, name="p/q")
    return {"names": _names([a, g, b]), "gvars": _names(tf.global_variables())}


def scenario_tfvar_trailing_slash_name(tf):
    with tf.name_scope("ns"):
        a = tf.Variable(1.0, name="abs/")
    c = _err(lambda: tf.constant(1.0, name="abs"))
    d = tf.constant(1.0, name="abs_1")
    return {"a": a.name, "a_op": a.op.name, "c": c, "d": d.name}


def scenario_tfvar_slash_in_template(tf):
    def f():
        return tf.Variable(1.0, name="inner/v")

    t = tf.make_template("tm", f)
    v = t()
    return {"v": v.name, "tvars": _names(t.variables),
            "vs": t.variable_scope.name}


def scenario_tfvar_name_then_variable_scope(tf):
    a = tf.Variable(1.0, name="blk/w")
    with tf.variable_scope("blk") as s:
        b = tf.get_variable("w", [1])
        c = tf.constant(0.0)
    return {"a": a.name, "b": b.name, "c": c.name, "ons": s.original_name_scope}


def scenario_tfvar_value_index_graph(tf):
    v = tf.Variable([1.0, 2.0], name="vi")
    g = tf.get_variable("gv", [3])
    return {"vi": [v.value_index, g.value_index] if hasattr(v, "value_index") else None,
            "graph_same": v.graph is tf.get_default_graph() and g.graph is tf.get_default_graph(),
            "op_types": [v.op.type, g.op.type], "shape": [v.get_shape().as_list(), g.shape.as_list()]}


# ===========================================================================
# Graph.unique_name / get_name_scope
# ===========================================================================


def scenario_uniq_mark_as_used_false(tf):
    g = tf.get_default_graph()
    a = g.unique_name("foo", mark_as_used=False)
    b = g.unique_name("foo", mark_as_used=False)
    c = g.unique_name("foo")
    d = g.unique_name("foo", mark_as_used=False)
    e = tf.constant(1.0, name="foo").name
    return {"r": [a, b, c, d, e]}


def scenario_uniq_in_name_scope(tf):
    g = tf.get_default_graph()
    with tf.name_scope("ns"):
        a = g.unique_name("x", mark_as_used=False)
        b = g.unique_name("x")
        c = tf.constant(1.0, name="x").name
        d = g.unique_name("X")
    return {"r": [a, b, c, d]}


def scenario_uniq_affects_variables(tf):
    g = tf.get_default_graph()
    a = g.unique_name("w")
    v = tf.get_variable("w", [1])
    b = g.unique_name("s")
    with tf.variable_scope("s") as sc:
        c = tf.constant(1.0)
    with tf.name_scope("s") as ns:
        pass
    return {"a": a, "v": v.name, "b": b, "ons": sc.original_name_scope, "c": c.name, "ns": ns}


def scenario_uniq_explicit_suffix_then_ops(tf):
    g = tf.get_default_graph()
    r = [g.unique_name("op_1"), g.unique_name("op"), g.unique_name("op"), g.unique_name("op")]
    r.append(tf.constant(1.0, name="op").name)
    return {"r": r}


def scenario_uniq_case_mark_false(tf):
    g = tf.get_default_graph()
    tf.constant(1.0, name="Abc")
    r = [g.unique_name("abc", mark_as_used=False), g.unique_name("ABC"), g.unique_name("aBc", mark_as_used=False)]
    return {"r": r}


def scenario_get_name_scope_nesting(tf):
    g = tf.get_default_graph()
    out = [g.get_name_scope()]
    with tf.variable_scope("a"):
        out.append(g.get_name_scope())
        with tf.name_scope("b"):
            out.append(g.get_name_scope())
            with tf.variable_scope("c"):
                out.append(g.get_name_scope())
                out.append(tf.get_variable_scope().name)
        with tf.name_scope(None):
            out.append(g.get_name_scope())
        with tf.name_scope("abs/"):
            out.append(g.get_name_scope())
    with tf.variable_scope("a"):
        out.append(g.get_name_scope())
    return {"r": out}


def scenario_graph_name_scope_method(tf):
    g = tf.get_default_graph()
    with g.name_scope("gns") as s:
        a = tf.constant(1.0)
        with g.name_scope("in") as s2:
            b = tf.constant(1.0)
    with g.name_scope("gns") as s3:
        pass
    return {"s": s, "s2": s2, "s3": s3, "a": a.name, "b": b.name}


def scenario_graph_name_scope_on_other_graph(tf):
    g = tf.Graph()
    with g.as_default():
        with g.name_scope("x") as s:
            c = tf.constant(1.0)
        d = tf.constant(1.0)
    e = tf.constant(1.0)
    return {"s": s, "c": c.name, "d": d.name, "e": e.name,
            "c_graph": c.graph is g, "e_graph": e.graph is tf.get_default_graph()}


# ===========================================================================
# name_scope strings re-used
# ===========================================================================


def scenario_nsstr_reuse_for_ops(tf):
    with tf.name_scope("blk") as s:
        a = tf.constant(1.0)
    with tf.name_scope(s):
        b = tf.constant(1.0)
        c = tf.add(a, b)
    with tf.name_scope(s):
        with tf.name_scope("in"):
            d = tf.constant(1.0)
    with tf.name_scope(s):
        with tf.name_scope("in"):
            e = tf.constant(1.0)
    return {"names": _names([a, b, c, d, e])}


def scenario_nsstr_from_variable_scope(tf):
    with tf.variable_scope("vs") as vs:
        pass
    with tf.name_scope(vs.original_name_scope):
        a = tf.constant(1.0)
        v = tf.get_variable("w", [1])
    with tf.variable_scope("vs"):
        b = tf.constant(1.0)
    return {"a": a.name, "v": v.name, "b": b.name}


def scenario_nsstr_nested_scope_string_inside_other(tf):
    with tf.name_scope("a"):
        with tf.name_scope("b") as s:
            pass
    with tf.name_scope("z"):
        with tf.name_scope(s):
            c = tf.constant(1.0)
        with tf.name_scope(s[:-1]):
            d = tf.constant(1.0)
    return {"s": s, "c": c.name, "d": d.name}


def scenario_nsstr_get_name_scope_reentry(tf):
    with tf.name_scope("m"):
        with tf.name_scope("n"):
            cur = tf.get_default_graph().get_name_scope()
    with tf.name_scope(cur + "/"):
        a = tf.constant(1.0)
    with tf.name_scope(cur):
        b = tf.constant(1.0)
    return {"cur": cur, "a": a.name, "b": b.name}


def scenario_nsstr_variable_scope_with_ns_string(tf):
    with tf.name_scope("q") as s:
        pass
    with tf.variable_scope(s) as vs:
        v = tf.get_variable("w", [1])
        c = tf.constant(1.0)
    return {"vs": vs.name, "ons": vs.original_name_scope, "v": v.name, "c": c.name}


# ===========================================================================
# variable_scope(values=...)
# ===========================================================================


def scenario_vsvalues_tensor_same_graph(tf):
    x = tf.constant(1.0, name="x")
    with tf.variable_scope("s", values=[x]) as s:
        v = tf.get_variable("w", [1])
        y = x * 2.0
    with tf.variable_scope(None, default_name="d", values=[x, y]) as d:
        z = tf.identity(y)
    return {"s": _scope(s), "v": v.name, "y": y.name, "d": _scope(d), "z": z.name}


def scenario_vsvalues_other_graph_becomes_default(tf):
    g = tf.Graph()
    with g.as_default():
        t = tf.constant(1.0)
    with tf.variable_scope("s", values=[t]):
        c = tf.constant(2.0)
        v = tf.get_variable("w", [1])
        inner = tf.get_default_graph() is g
    after = tf.get_default_graph() is g
    return {"c": c.name, "c_in_g": c.graph is g, "v": v.name, "v_in_g": v.graph is g,
            "inner_default_is_g": inner, "after_default_is_g": after}


def scenario_vsvalues_variable_in_values(tf):
    v = tf.get_variable("v", [2])
    with tf.variable_scope("s", values=[v]):
        a = v * 2.0
    return {"a": a.name, "probe": _probe(tf, ["s/ReadVariableOp", "s/mul/y", "ReadVariableOp", "v/Read",
                                             "v/Read/ReadVariableOp", "s/Read", "mul/y"])}


def scenario_vsvalues_mixed_graphs_error(tf):
    g1 = tf.Graph()
    with g1.as_default():
        a = tf.constant(1.0)
    g2 = tf.Graph()
    with g2.as_default():
        b = tf.constant(1.0)
    r = _enter_err(lambda: tf.variable_scope("s", values=[a, b]))
    if r["msg"] is not None:
        r["msg"] = r["msg"].split(" (graphs are")[0]
    return r


# ===========================================================================
# identity / op names colliding with variable names
# ===========================================================================


def scenario_coll_identity_named_like_variable(tf):
    v = tf.get_variable("w", [2])
    i = tf.identity(v, name="w")
    with tf.variable_scope("", reuse=True):
        v2 = tf.get_variable("w")
    j = tf.identity(v2, name="w")
    return {"v": v.name, "i": i.name, "v2": v2.name, "same": v is v2, "j": j.name}


def scenario_coll_identity_before_variable(tf):
    x = tf.constant(1.0)
    i = tf.identity(x, name="w")
    with tf.variable_scope("s"):
        i2 = tf.identity(x, name="w")
        v = tf.get_variable("w", [1])
    v0 = tf.get_variable("w", [1])
    return {"names": _names([i, i2, v, v0])}


def scenario_coll_identity_names_read(tf):
    v = tf.get_variable("w", [2])
    with tf.name_scope("ns"):
        a = tf.identity(v)
        b = tf.identity(v, name="out")
    return {"a": a.name, "b": b.name,
            "probe": _probe(tf, ["ns/ReadVariableOp", "ns/ReadVariableOp_1", "ns/Read", "ns/Identity",
                                 "ns/out", "w/Read/ReadVariableOp"])}


def scenario_coll_op_named_like_scope_then_vars(tf):
    tf.constant(1.0, name="enc")
    with tf.variable_scope("enc") as s:
        v = tf.get_variable("w", [1])
        c = tf.constant(1.0)
    tf.identity(c, name="enc_1")
    with tf.variable_scope("enc") as s2:
        d = tf.constant(1.0)
    return {"ons": [s.original_name_scope, s2.original_name_scope], "v": v.name, "c": c.name, "d": d.name}


def scenario_coll_variable_name_taken_by_op_with_suffix(tf):
    tf.constant(1.0, name="w")
    tf.constant(1.0, name="w_1")
    v = tf.get_variable("w", [1])
    u = tf.get_variable("w_1", [1])
    return {"v": v.name, "u": u.name, "keys": _names(tf.global_variables())}


# ===========================================================================
# collections with custom keys and non-variable items
# ===========================================================================


def scenario_collx_custom_key_mixed_items(tf):
    v = tf.get_variable("a/w", [1])
    c = tf.constant(1.0, name="a/c")
    tf.add_to_collection("mine", v)
    tf.add_to_collection("mine", c)
    tf.add_to_collection("mine", 5)
    tf.add_to_collection("mine", "a/str")
    all_items = tf.get_collection("mine")
    scoped = tf.get_collection("mine", "a")
    return {"n_all": len(all_items), "scoped": _names(scoped),
            "kinds": [type(x).__name__ in ("int", "str") for x in all_items]}


def scenario_collx_add_then_scoped_get(tf):
    with tf.variable_scope("enc"):
        a = tf.get_variable("w", [1])
        t = tf.identity(a, name="t")
    with tf.variable_scope("dec"):
        b = tf.get_variable("w", [1])
    tf.add_to_collection("outs", t)
    tf.add_to_collection("outs", b)
    tf.add_to_collection("outs", a)
    return {"enc": _names(tf.get_collection("outs", "enc")),
            "dec": _names(tf.get_collection("outs", "dec")),
            "e": _names(tf.get_collection("outs", "e")),
            "none": _names(tf.get_collection("outs"))}


def scenario_collx_add_to_collections_list(tf):
    v = tf.get_variable("w", [1])
    tf.add_to_collections(["k1", "k2"], v)
    tf.add_to_collections(("k2",), v)
    return {"k1": _names(tf.get_collection("k1")), "k2": _names(tf.get_collection("k2"))}


def scenario_collx_collection_ref_mutation(tf):
    ref = tf.get_collection_ref("refkey")
    ref.append(tf.constant(1.0, name="r1"))
    tf.add_to_collection("refkey", tf.constant(1.0, name="r2"))
    cp = tf.get_collection("refkey")
    cp.append(None)
    return {"ref_len": len(ref), "get": _names(tf.get_collection("refkey")),
            "ref_is_same": ref is tf.get_collection_ref("refkey")}


def scenario_collx_graph_methods(tf):
    g = tf.get_default_graph()
    v = tf.get_variable("s/w", [1])
    g.add_to_collection("gk", v)
    return {"g_get": _names(g.get_collection("gk")), "g_get_scoped": _names(g.get_collection("gk", "s/")),
            "g_vars": _names(g.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, "s")),
            "ref_vars": _names(g.get_collection_ref(tf.GraphKeys.TRAINABLE_VARIABLES))}


def scenario_collx_scope_filter_matches_regex_chars(tf):
    with tf.variable_scope("a.b"):
        v1 = tf.get_variable("w", [1])
    with tf.variable_scope("axb"):
        v2 = tf.get_variable("w", [1])
    return {"dot": _names(tf.global_variables("a.b")), "esc": _names(tf.global_variables(r"a\.b")),
            "v": _names([v1, v2])}


def scenario_collx_non_variable_in_global(tf):
    c = tf.constant(1.0, name="fake")
    tf.add_to_collection(tf.GraphKeys.GLOBAL_VARIABLES, c)
    v = tf.get_variable("w", [1])
    return {"global": _names(tf.global_variables()), "train": _names(tf.trainable_variables())}


def scenario_collx_local_variables(tf):
    a = tf.get_variable("loc", [1], collections=[tf.GraphKeys.LOCAL_VARIABLES], trainable=False)
    b = tf.Variable(1.0, name="loc2", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    return {"local": _names(tf.local_variables()), "global": _names(tf.global_variables()),
            "train": _names(tf.trainable_variables()),
            "local_scoped": _names(tf.local_variables("loc2"))}


# ===========================================================================
# scope objects across graphs
# ===========================================================================


def scenario_xgraph_scope_object_with_reuse(tf):
    with tf.variable_scope("m") as m:
        tf.get_variable("w", [1])
    g = tf.Graph()
    with g.as_default():
        with tf.variable_scope(m, reuse=True) as m2:
            e = _err(lambda: tf.get_variable("w", [1]))
        with tf.variable_scope(m) as m3:
            v = tf.get_variable("w", [1])
            c = tf.constant(1.0)
    return {"m2": _scope(m2), "e": e, "m3": _scope(m3), "v": v.name, "c": c.name}


def scenario_xgraph_default_name_counters(tf):
    with tf.variable_scope(None, default_name="blk"):
        pass
    g = tf.Graph()
    with g.as_default():
        with tf.variable_scope(None, default_name="blk") as a:
            pass
    with tf.variable_scope(None, default_name="blk") as b:
        pass
    return {"a": a.name, "b": b.name}


def scenario_xgraph_template_in_two_graphs(tf):
    def f(x):
        w = tf.get_variable("w", [1], initializer=tf.ones_initializer())
        return x * w

    t = tf.make_template("net", f)
    a = t(tf.constant(1.0))
    g = tf.Graph()
    with g.as_default():
        r = _err_prefix(lambda: t(tf.constant(1.0)), _TMPL_MARK)
    return {"a": a.name, "r_type": r["type"]}


def scenario_xgraph_get_variable_scope_per_graph(tf):
    with tf.variable_scope("outer"):
        g = tf.Graph()
        with g.as_default():
            inner = tf.get_variable_scope().name
            v = tf.get_variable("w", [1])
        outer = tf.get_variable_scope().name
    return {"inner": inner, "v": v.name, "outer": outer}


# ===========================================================================
# reuse_variables() + nested default_name scopes
# ===========================================================================


def scenario_reusevars_then_default_name_children(tf):
    with tf.variable_scope("m") as s:
        with tf.variable_scope(None, default_name="blk"):
            tf.get_variable("w", [1])
        s.reuse_variables()
        with tf.variable_scope(None, default_name="blk") as b:
            e = _err(lambda: tf.get_variable("w", [1]))
        with tf.variable_scope("blk") as b2:
            v = tf.get_variable("w", [1])
    return {"b": _scope(b), "e": e, "b2": _scope(b2), "v": v.name}


def scenario_reusevars_in_child_does_not_leak(tf):
    with tf.variable_scope("p"):
        with tf.variable_scope("c") as c:
            c.reuse_variables()
            r1 = _reuse(tf.get_variable_scope().reuse)
        r2 = _reuse(tf.get_variable_scope().reuse)
        v = tf.get_variable("w", [1])
    with tf.variable_scope("p/c") as pc:
        r3 = _reuse(pc.reuse)
    return {"r": [r1, r2, r3], "v": v.name}


def scenario_reusevars_default_name_counter_after_reuse(tf):
    with tf.variable_scope("m") as s:
        with tf.variable_scope(None, default_name="l") as l1:
            pass
        s.reuse_variables()
        with tf.variable_scope(None, default_name="l") as l2:
            pass
        with tf.variable_scope(None, default_name="l") as l3:
            pass
    return {"ls": [_scope(x) for x in [l1, l2, l3]]}


def scenario_reusevars_then_auto_reuse_child(tf):
    with tf.variable_scope("m") as s:
        s.reuse_variables()
        with tf.variable_scope("k", reuse=tf.AUTO_REUSE) as k:
            v = tf.get_variable("w", [1])
            v2 = tf.get_variable("w", [1])
    return {"k": _scope(k), "v": v.name, "same": v is v2}


def scenario_reusevars_layers_dense(tf):
    x = tf.ones([2, 3])
    with tf.variable_scope("net") as s:
        a = tf.layers.dense(x, 2)
        s.reuse_variables()
        b = tf.layers.dense(x, 2, name="dense")
        e = _err(lambda: tf.layers.dense(x, 2))
    return {"a": a.name, "b": b.name, "e": e, "vars": _names(tf.global_variables())}


# ===========================================================================
# AUTO_REUSE mismatches
# ===========================================================================


def scenario_autoreuse_shape_rank_mismatch(tf):
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        tf.get_variable("w", [2, 3])
        e1 = _err(lambda: tf.get_variable("w", [3, 2]))
        e2 = _err(lambda: tf.get_variable("w", [6]))
        e3 = _err(lambda: tf.get_variable("w", []))
        ok = tf.get_variable("w").name
    return {"e": [e1, e2, e3], "ok": ok}


def scenario_autoreuse_initializer_ignored_on_reuse(tf):
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        a = tf.get_variable("w", [2], initializer=tf.ones_initializer())
        b = tf.get_variable("w", [2], initializer=tf.zeros_initializer())
        c = tf.get_variable("w", initializer=tf.constant([5.0, 5.0]))
    return {"same": a is b, "c": c.name, "val": _val(_run(tf, b))}


def scenario_autoreuse_constant_initializer_shape_mismatch(tf):
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        tf.get_variable("w", [2])
        e = _err(lambda: tf.get_variable("w", initializer=tf.constant([1.0, 2.0, 3.0])))
    return {"e": e}


def scenario_autoreuse_trainable_mismatch(tf):
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        a = tf.get_variable("w", [1], trainable=False)
        b = tf.get_variable("w", [1], trainable=True)
    return {"same": a is b, "train": _names(tf.trainable_variables()), "b_tr": b.trainable}


def scenario_autoreuse_int_dtype_default(tf):
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        tf.get_variable("i", [1], dtype=tf.int64)
        e = _err(lambda: tf.get_variable("i", [1]))
        e2 = _err(lambda: tf.get_variable("i", [1], dtype=tf.int32))
        ok = tf.get_variable("i", [1], dtype=tf.int64).name
    return {"e": e, "e2": e2, "ok": ok}


def scenario_autoreuse_none_dim_shape(tf):
    with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
        tf.get_variable("w", [2, 3])
        a = tf.get_variable("w", [None, 3]).name
        e = _err(lambda: tf.get_variable("w", [None, 4]))
    return {"a": a, "e": e}


# ===========================================================================
# dtypes x initializers
# ===========================================================================


def _gv_dtype_init(tf, dtype, init):
    r = _err(lambda: tf.get_variable("v", [3], dtype=dtype, initializer=init))
    if r["type"] is not None:
        return r
    with tf.variable_scope("", reuse=True):
        v = tf.get_variable("v", [3], dtype=dtype)
    return {"dtype": v.dtype.name, "val": _dval(_run(tf, v))}


def scenario_dtinit_int64_all(tf):
    out = {}
    for key, init in [("zeros", tf.zeros_initializer()), ("ones", tf.ones_initializer()),
                      ("const", tf.constant_initializer(4)), ("none", None)]:
        tf.reset_default_graph()
        out[key] = _gv_dtype_init(tf, tf.int64, init)
    return out


def scenario_dtinit_int64_random_errors(tf):
    out = {}
    for key, init in [("normal", tf.random_normal_initializer()),
                      ("trunc", tf.truncated_normal_initializer()),
                      ("glorot", tf.glorot_uniform_initializer())]:
        tf.reset_default_graph()
        r = _err(lambda init=init: tf.get_variable("v", [3], dtype=tf.int64, initializer=init))
        out[key] = r["type"]
    return out


def scenario_dtinit_int64_random_uniform(tf):
    tf.set_random_seed(1)
    v = tf.get_variable("v", [200], dtype=tf.int64, initializer=tf.random_uniform_initializer(0, 5))
    a = _run(tf, v)
    return {"dtype": v.dtype.name, "ok": bool(a.min() >= 0 and a.max() < 5), "ints": a.dtype.kind}


def scenario_dtinit_bool_variants(tf):
    out = {}
    for key, init in [("zeros", tf.zeros_initializer()), ("ones", tf.ones_initializer()),
                      ("none", None), ("const_true", tf.constant_initializer(True))]:
        tf.reset_default_graph()
        out[key] = _gv_dtype_init(tf, tf.bool, init)
    return out


def scenario_dtinit_bool_random_error(tf):
    return {"normal": _err(lambda: tf.get_variable("v", [3], dtype=tf.bool,
                                                   initializer=tf.random_normal_initializer()))["type"]}


def scenario_dtinit_float16_all(tf):
    out = {}
    for key, init in [("zeros", tf.zeros_initializer()), ("ones", tf.ones_initializer()),
                      ("const", tf.constant_initializer(0.5))]:
        tf.reset_default_graph()
        out[key] = _gv_dtype_init(tf, tf.float16, init)
    return out


def scenario_dtinit_float16_random(tf):
    tf.set_random_seed(2)
    vs = [tf.get_variable("n", [500], dtype=tf.float16, initializer=tf.random_normal_initializer()),
          tf.get_variable("u", [500], dtype=tf.float16, initializer=tf.random_uniform_initializer(-1, 1)),
          tf.get_variable("t", [500], dtype=tf.float16, initializer=tf.truncated_normal_initializer()),
          tf.get_variable("g", [20, 25], dtype=tf.float16)]
    vals = _run(tf, vs)
    return {"dtypes": [v.dtype.name for v in vs], "np": [str(a.dtype) for a in vals],
            "u_range": bool(np.abs(vals[1]).max() <= 1.0),
            "t_range": bool(np.abs(vals[2]).max() <= 2.01)}


def scenario_dtinit_float64_const_from_list(tf):
    v = tf.get_variable("v", [2, 2], dtype=tf.float64, initializer=tf.constant_initializer([1, 2, 3, 4]))
    return {"dtype": v.dtype.name, "val": _dval(_run(tf, v))}


def scenario_dtinit_int32_constant_float_error(tf):
    return _err(lambda: tf.get_variable("v", [2], dtype=tf.int32, initializer=tf.constant_initializer(1.5)))


def scenario_dtinit_tf_variable_dtypes(tf):
    vs = [tf.Variable(np.int64(3)), tf.Variable(True), tf.Variable(np.float16(1.5)),
          tf.Variable([1.0, 2.0], dtype=tf.float64), tf.Variable(tf.ones([2], dtype=tf.int64))]
    return {"dt": [v.dtype.name for v in vs], "vals": [_dval(x) for x in _run(tf, vs)]}


# ===========================================================================
# trainable=False + collections
# ===========================================================================


def scenario_trainx_scoped_lists(tf):
    with tf.variable_scope("net"):
        a = tf.get_variable("a", [1])
        b = tf.get_variable("b", [1], trainable=False)
        with tf.variable_scope("sub") as sub:
            c = tf.get_variable("c", [1], trainable=False)
            d = tf.get_variable("d", [1])
        net = tf.get_variable_scope()
    return {"tv_net": _names(tf.trainable_variables("net")), "gv_net": _names(tf.global_variables("net")),
            "tv_sub": _names(tf.trainable_variables("net/sub")),
            "scope_gv": _names(net.global_variables()), "scope_tv": _names(net.trainable_variables()),
            "sub_gv": _names(sub.global_variables()), "sub_tv": _names(sub.trainable_variables()),
            "flags": [v.trainable for v in [a, b, c, d]]}


def scenario_trainx_scope_object_lists_prefix(tf):
    with tf.variable_scope("ab"):
        tf.get_variable("w", [1])
    with tf.variable_scope("a") as a:
        tf.get_variable("w", [1])
    with tf.variable_scope("a_b"):
        tf.get_variable("w", [1])
    return {"a_gv": _names(a.global_variables()), "a_tv": _names(a.trainable_variables()),
            "fn": _names(tf.global_variables("a"))}


def scenario_trainx_collections_and_trainable_false(tf):
    a = tf.get_variable("a", [1], trainable=False, collections=["c1"])
    b = tf.get_variable("b", [1], trainable=False, collections=["c1", tf.GraphKeys.GLOBAL_VARIABLES])
    c = tf.Variable(1.0, name="c", trainable=False, collections=["c1"])
    d = tf.Variable(1.0, name="d", collections=["c2"])
    return {"c1": _names(tf.get_collection("c1")), "c2": _names(tf.get_collection("c2")),
            "global": _names(tf.global_variables()), "train": _names(tf.trainable_variables()),
            "flags": [v.trainable for v in [a, b, c, d]]}


def scenario_trainx_model_variables_key(tf):
    a = tf.get_variable("m", [1], collections=[tf.GraphKeys.MODEL_VARIABLES, tf.GraphKeys.GLOBAL_VARIABLES])
    return {"model": _names(tf.model_variables()), "global": _names(tf.global_variables()),
            "train": _names(tf.trainable_variables()), "a": a.name}


def scenario_trainx_template_trainable_variables(tf):
    def f():
        a = tf.get_variable("a", [1])
        b = tf.get_variable("b", [1], trainable=False)
        return a, b

    t = tf.make_template("tp", f)
    t()
    t()
    return {"vars": _names(t.variables), "tv": _names(t.trainable_variables),
            "vs": _scope(t.variable_scope)}


def scenario_trainx_dense_trainable_false_scoped(tf):
    with tf.variable_scope("m"):
        tf.layers.dense(tf.ones([1, 2]), 3, trainable=False)
        tf.layers.dense(tf.ones([1, 2]), 3)
    return {"tv": _names(tf.trainable_variables("m")), "gv": _names(tf.global_variables("m"))}


# ===========================================================================
# regularizers
# ===========================================================================


def scenario_regx_none_in_scope_and_dense(tf):
    calls = []

    def reg(w):
        calls.append(w.name)
        return None

    with tf.variable_scope("s", regularizer=reg):
        tf.get_variable("w", [1])
        tf.layers.dense(tf.ones([1, 2]), 2)
    return {"calls": calls, "losses": _names(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))}


def scenario_regx_conditional_none(tf):
    def reg(w):
        if "bias" in w.name:
            return None
        return tf.reduce_sum(w)

    with tf.variable_scope("s", regularizer=reg):
        tf.layers.dense(tf.ones([1, 2]), 2)
    c = tf.reduce_sum(tf.ones([2]))
    return {"losses": _names(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)), "c": c.name}


def scenario_regx_returns_python_float(tf):
    def reg(w):
        return tf.constant(0.5) * tf.reduce_sum(w)

    v = tf.get_variable("w", [2], initializer=tf.ones_initializer(), regularizer=reg)
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    return {"names": _names(losses), "vals": _val(_run(tf, losses)), "v": v.name}


def scenario_regx_tf_variable_no_regularizer(tf):
    with tf.variable_scope("s", regularizer=lambda w: tf.reduce_sum(w)):
        tf.Variable(1.0, name="tv")
        tf.get_variable("gv", [1])
    return {"losses": _names(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES))}


def scenario_regx_values_l2(tf):
    def l2(w):
        return 0.5 * tf.reduce_sum(w * w)

    with tf.variable_scope("s", regularizer=l2):
        tf.get_variable("w", [2, 2], initializer=tf.constant_initializer([1.0, 2.0, 3.0, 4.0]))
    with tf.variable_scope("s", reuse=True):
        tf.get_variable("w", [2, 2])
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    return {"names": _names(losses), "vals": _val(_run(tf, losses)),
            "probe": _probe(tf, ["mul", "mul_1", "Sum", "mul/x", "ReadVariableOp", "s/w/Regularizer/mul",
                                 "s/w/Regularizer/Sum", "s/w/Regularizer/mul_1"])}


# ===========================================================================
# custom getters returning tensors
# ===========================================================================


def scenario_cgx_returns_tensor_op_names(tf):
    def g(getter, *args, **kwargs):
        v = getter(*args, **kwargs)
        return tf.identity(v) * 2.0

    with tf.variable_scope("a", custom_getter=g):
        with tf.name_scope("deep"):
            x = tf.get_variable("w", [1])
            y = tf.get_variable("u", [1])
    return {"x": _t(x), "y": y.name, "vars": _names(tf.global_variables())}


def scenario_cgx_returns_constant_named(tf):
    def g(getter, name, *args, **kwargs):
        getter(name, *args, **kwargs)
        return tf.constant(3.0, name=name.split("/")[-1])

    with tf.variable_scope("a", custom_getter=g):
        x = tf.get_variable("w", [])
        y = tf.get_variable("w2", [])
    with tf.variable_scope("a", custom_getter=g, reuse=True):
        z = tf.get_variable("w", [])
    return {"names": _names([x, y, z]), "vars": _names(tf.global_variables())}


def scenario_cgx_tensor_result_used_in_dense(tf):
    def g(getter, *args, **kwargs):
        return getter(*args, **kwargs) * 0.0

    with tf.variable_scope("m", custom_getter=g):
        out = tf.layers.dense(tf.ones([1, 2]), 2, kernel_initializer=tf.ones_initializer())
    return {"out": _t(out), "val": _val(_run(tf, out)), "vars": _names(tf.global_variables())}


def scenario_cgx_getter_counts_calls_on_reuse(tf):
    seen = []

    def g(getter, name, *args, **kwargs):
        seen.append((name, _reuse(kwargs.get("reuse"))))
        return getter(name, *args, **kwargs)

    with tf.variable_scope("a", custom_getter=g):
        tf.get_variable("w", [1])
    with tf.variable_scope("a", reuse=True, custom_getter=g):
        tf.get_variable("w", [1])
    with tf.variable_scope("a", reuse=tf.AUTO_REUSE, custom_getter=g):
        tf.get_variable("w", [1])
    return {"seen": [list(s) for s in seen]}


def scenario_cgx_getter_changes_shape_kwarg(tf):
    def g(getter, *args, **kwargs):
        kwargs["shape"] = [4]
        return getter(*args, **kwargs)

    with tf.variable_scope("a", custom_getter=g):
        v = tf.get_variable("w", [2])
    return {"v": _t(v)}


# ===========================================================================
# numerics
# ===========================================================================


def scenario_numx_reduce_axis_keepdims(tf):
    x = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    ts = [tf.reduce_sum(x, axis=[0, 2]), tf.reduce_sum(x, axis=1, keepdims=True),
          tf.reduce_mean(x, axis=[-1, 0], keepdims=True), tf.reduce_mean(x, axis=None, keepdims=True),
          tf.reduce_sum(x, axis=(1,)), tf.reduce_max(x, axis=2)]
    return {"ts": [_t(t) for t in ts], "vals": _val(_run(tf, ts, init=False))}


def scenario_numx_reduce_empty_axis_list(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    ts = [tf.reduce_sum(x, axis=[]), tf.reduce_mean(x, axis=[])]
    return {"ts": [_t(t) for t in ts], "vals": _val(_run(tf, ts, init=False))}


def scenario_numx_reduce_int_keepdims(tf):
    x = tf.constant([[1, 2, 3], [4, 5, 7]])
    ts = [tf.reduce_sum(x, 0, keepdims=True), tf.reduce_mean(x, 1), tf.reduce_mean(x)]
    return {"ts": [_t(t) for t in ts], "vals": [_dval(v) for v in _run(tf, ts, init=False)]}


def scenario_numx_reduce_bool_error(tf):
    x = tf.constant([True, False])
    return {"sum": _err(lambda: tf.reduce_sum(x))["type"]}


def scenario_numx_matmul_transpose_both(tf):
    a = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2))
    b = tf.constant(np.arange(8, dtype=np.float32).reshape(4, 2))
    ts = [tf.matmul(a, b, transpose_b=True), tf.matmul(b, a, transpose_b=True),
          tf.matmul(a, a, transpose_a=True), tf.matmul(b, a, transpose_a=False, transpose_b=True, name="tt")]
    return {"ts": [_t(t) for t in ts], "vals": _val(_run(tf, ts, init=False))}


def scenario_numx_matmul_transpose_a_error(tf):
    a = tf.ones([3, 2])
    with tf.variable_scope("mm"):
        r = _err_node(lambda: tf.matmul(a, a, transpose_a=True, transpose_b=True))
        ok = tf.matmul(a, a, transpose_a=True)
    return {"r": r, "ok": _t(ok)}


def scenario_numx_matmul_batched_3d(tf):
    a = tf.constant(np.arange(12, dtype=np.float32).reshape(2, 2, 3))
    b = tf.constant(np.arange(12, dtype=np.float32).reshape(2, 3, 2))
    c = tf.matmul(a, b)
    return {"c": _t(c), "val": _val(_run(tf, c, init=False))}


def scenario_numx_maxpool_same_odd(tf):
    x = tf.constant(_img(1, 5, 5, 1))
    a = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    b = tf.nn.max_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME")
    c = tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    d = tf.nn.max_pool(-x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    return {"ts": [_t(t) for t in [a, b, c, d]], "vals": _val(_run(tf, [a, b, c, d], init=False))}


def scenario_numx_maxpool_same_odd_multichannel_rect(tf):
    x = tf.constant(_img(2, 3, 7, 2))
    a = tf.nn.max_pool(x, [1, 2, 3, 1], [1, 2, 3, 1], "SAME", name="mp")
    return {"a": _t(a), "val": _val(_run(tf, a, init=False))}


def scenario_numx_conv_stride2_same_odd_bias_relu_scope(tf):
    x = tf.constant(_img(1, 5, 5, 2) / 10.0 - 2.0)
    with tf.variable_scope("c1"):
        w = tf.get_variable("w", [3, 3, 2, 3], initializer=tf.constant_initializer(
            np.linspace(-1, 1, 54).astype(np.float32).tolist()))
        b = tf.get_variable("b", [3], initializer=tf.constant_initializer([0.5, -0.5, 0.0]))
        y = tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME")
        z = tf.nn.bias_add(y, b)
        r = tf.nn.relu(z)
    return {"ts": [_t(t) for t in [y, z, r]], "vals": _val(_run(tf, [y, r]))}


def scenario_numx_conv_stride2_same_even_kernel_odd_input(tf):
    x = tf.constant(_img(1, 7, 6, 1))
    w = tf.constant(np.arange(8, dtype=np.float32).reshape(2, 2, 1, 2) - 3.0)
    y = tf.nn.conv2d(x, w, strides=[1, 2, 2, 1], padding="SAME")
    return {"y": _t(y), "val": _val(_run(tf, y, init=False))}


def scenario_numx_conv_stride_list_len2(tf):
    x = tf.constant(_img(1, 5, 5, 1))
    w = tf.ones([3, 3, 1, 1])
    y = tf.nn.conv2d(x, w, strides=[2, 2], padding="SAME")
    z = tf.nn.conv2d(x, w, strides=2, padding="VALID")
    return {"y": _t(y), "z": _t(z), "vals": _val(_run(tf, [y, z], init=False))}


def scenario_numx_conv_stride2_layers_same_odd(tf):
    x = tf.constant(_img(1, 5, 5, 1) / 25.0)
    with tf.variable_scope("enc"):
        y = tf.layers.conv2d(x, 2, 3, strides=2, padding="same", activation=tf.nn.relu,
                             kernel_initializer=tf.constant_initializer(0.1),
                             bias_initializer=tf.constant_initializer(-0.2))
    return {"y": _t(y), "val": _val(_run(tf, y)), "vars": _names(tf.global_variables())}


def scenario_numx_bias_add_relu_values_int(tf):
    x = tf.constant([[1, -2], [-3, 4]])
    b = tf.constant([1, 1])
    y = tf.nn.relu(tf.nn.bias_add(x, b))
    return {"y": _t(y), "val": _dval(_run(tf, y, init=False))}


def scenario_numx_broadcast_ops_values(tf):
    a = tf.constant([[1.0], [2.0], [3.0]])
    b = tf.constant([10.0, 20.0])
    ts = [a + b, a * b, b - a, a / b, tf.maximum(a, b / 10.0), tf.minimum(a, 2.0)]
    return {"shapes": [_shape(t) for t in ts], "names": _names(ts), "vals": _val(_run(tf, ts, init=False))}


# ===========================================================================
# slicing names
# ===========================================================================


def scenario_slice_ellipsis_and_ranges(tf):
    x = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    ts = [x[1:], x[..., 0], x[:, ::2], x[0, ..., 1:3], x[::-1], x[:, -1, :]]
    return {"ts": [_t(t) for t in ts], "vals": _val(_run(tf, ts, init=False))}


def scenario_slice_newaxis(tf):
    x = tf.constant([1.0, 2.0, 3.0])
    ts = [x[None], x[:, None], x[None, 1:]]
    return {"ts": [_t(t) for t in ts], "vals": _val(_run(tf, ts, init=False))}


def scenario_slice_names_in_scopes(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.variable_scope("vs"):
        a = x[0]
        with tf.name_scope("ns"):
            b = x[1:]
    c = x[..., 0]
    return {"names": _names([a, b, c]),
            "probe": _probe(tf, ["vs/strided_slice/stack", "vs/strided_slice", "vs/ns/strided_slice/stack_1",
                                 "strided_slice/stack_2", "strided_slice", "vs/ns/strided_slice"])}


def scenario_slice_variable(tf):
    v = tf.get_variable("v", [3, 2], initializer=tf.constant_initializer([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    with tf.variable_scope("s"):
        a = v[1:]
        b = v[..., 0]
    return {"a": _t(a), "b": _t(b),
            "probe": _probe(tf, ["s/ReadVariableOp", "s/ReadVariableOp_1", "s/strided_slice/stack",
                                 "s/Read", "s/strided_slice_1/stack"]),
            "vals": _val(_run(tf, [a, b]))}


def scenario_slice_out_of_range_error(tf):
    x = tf.constant([1.0, 2.0])
    return {"idx": _err_node(lambda: x[5]), "rank": _err_node(lambda: x[0, 0]),
            "next": x[1].name}


def scenario_slice_int_and_step_values(tf):
    x = tf.constant([[1, 2, 3, 4], [5, 6, 7, 8]])
    ts = [x[:, 1::2], x[1, ::-2], x[-1:, :2]]
    return {"ts": [_t(t) for t in ts], "vals": [_dval(v) for v in _run(tf, ts, init=False)]}


# ===========================================================================
# variable reads in scopes (ReadVariableOp naming)
# ===========================================================================


def scenario_read_op_in_nested_scopes(tf):
    v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
    with tf.variable_scope("a"):
        with tf.name_scope("b"):
            x = v + 1.0
            y = v * v
    return {"x": x.name, "y": y.name,
            "probe": _probe(tf, ["a/b/ReadVariableOp", "a/b/ReadVariableOp_1", "a/b/ReadVariableOp_2",
                                 "a/b/add/y", "a/b/Read", "a/ReadVariableOp", "ReadVariableOp"])}


def scenario_read_op_then_named_ops(tf):
    v = tf.get_variable("v", [2])
    a = v + 1.0
    b = tf.constant(1.0, name="ReadVariableOp")
    c = tf.constant(1.0, name="add")
    with tf.name_scope("Read") as rs:
        pass
    return {"a": a.name, "b": b.name, "c": c.name, "rs": rs}


def scenario_read_op_scalar_const_names(tf):
    x = tf.constant([1.0, 2.0])
    a = x + 1.0
    b = 2.0 * x
    c = x - 3.0
    return {"names": _names([a, b, c]),
            "probe": _probe(tf, ["add/y", "mul/x", "mul/y", "sub/y", "Const", "y", "x"])}


def scenario_read_op_variable_matmul_in_scope(tf):
    w = tf.get_variable("w", [2, 2], initializer=tf.ones_initializer())
    x = tf.ones([1, 2])
    with tf.variable_scope("layer"):
        y = tf.matmul(x, w)
        z = x @ w
    return {"y": y.name, "z": z.name,
            "probe": _probe(tf, ["layer/ReadVariableOp", "layer/ReadVariableOp_1", "layer/Read",
                                 "layer/MatMul", "layer/matmul"])}


def scenario_read_op_two_variables_ops(tf):
    a = tf.get_variable("a", [1])
    b = tf.get_variable("b", [1])
    with tf.name_scope("m"):
        c = a + b
        d = tf.add(a, b, name="sum")
    return {"c": c.name, "d": d.name,
            "probe": _probe(tf, ["m/ReadVariableOp", "m/ReadVariableOp_1", "m/ReadVariableOp_2",
                                 "m/ReadVariableOp_3", "m/sum", "m/add"])}


def scenario_read_op_tf_variable_operators(tf):
    v = tf.Variable(2.0, name="v")
    with tf.name_scope("s"):
        a = -v
        b = v / 2.0
    return {"a": a.name, "b": b.name,
            "probe": _probe(tf, ["s/ReadVariableOp", "s/ReadVariableOp_1", "s/truediv/y", "s/Neg",
                                 "s/Read", "v/Read"])}


def scenario_read_op_reduce_on_variable(tf):
    v = tf.get_variable("v", [2, 2], initializer=tf.ones_initializer())
    with tf.variable_scope("r"):
        s = tf.reduce_sum(v)
        m = tf.reduce_mean(v, axis=0)
    return {"s": s.name, "m": m.name,
            "probe": _probe(tf, ["r/ReadVariableOp", "r/ReadVariableOp_1", "r/Const", "r/Mean/reduction_indices",
                                 "r/Sum/reduction_indices", "r/Const_1"])}


def scenario_read_op_value_and_read_value(tf):
    v = tf.get_variable("v", [1])
    a = v.value()
    b = v.read_value()
    with tf.name_scope("s"):
        c = v.value()
        d = v.read_value()
    return {"names": _names([a, b, c, d]), "types": [t.op.type for t in [a, b, c, d]]}


def scenario_read_op_relu_on_variable(tf):
    v = tf.get_variable("v", [2], initializer=tf.constant_initializer([-1.0, 2.0]))
    with tf.name_scope("act"):
        r = tf.nn.relu(v)
        r2 = tf.nn.relu(v, name="named")
    return {"r": r.name, "r2": r2.name,
            "probe": _probe(tf, ["act/ReadVariableOp", "act/ReadVariableOp_1", "act/named/ReadVariableOp",
                                 "act/Relu"]),
            "val": _val(_run(tf, r))}


def scenario_read_op_reshape_variable(tf):
    v = tf.get_variable("v", [2, 3], initializer=tf.zeros_initializer())
    with tf.name_scope("rs"):
        r = tf.reshape(v, [3, 2])
        r2 = tf.reshape(v, [-1])
    return {"r": _t(r), "r2": _t(r2),
            "probe": _probe(tf, ["rs/ReadVariableOp", "rs/ReadVariableOp_1", "rs/Reshape/shape",
                                 "rs/Reshape_1/shape", "rs/Reshape"])}


def scenario_read_op_conv_with_variable(tf):
    w = tf.get_variable("k", [1, 1, 1, 1], initializer=tf.ones_initializer())
    x = tf.ones([1, 2, 2, 1])
    with tf.name_scope("cv"):
        y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    return {"y": y.name, "probe": _probe(tf, ["cv/ReadVariableOp", "cv/Conv2D", "cv/Read", "k/Read"])}


# ===========================================================================
# op errors inside named scopes (node names)
# ===========================================================================


def scenario_errnode_matmul_in_scopes(tf):
    a = tf.ones([2, 3])
    with tf.variable_scope("vs"):
        with tf.name_scope("ns"):
            r1 = _err_node(lambda: tf.matmul(a, a))
            r2 = _err_node(lambda: a @ a)
            r3 = _err_node(lambda: tf.matmul(a, a, name="mm"))
            nxt = tf.matmul(a, a, transpose_b=True)
    return {"r": [r1, r2, r3], "next": nxt.name}


def scenario_errnode_reshape_in_scope(tf):
    x = tf.ones([2, 3])
    with tf.name_scope("rs"):
        r1 = _err_node(lambda: tf.reshape(x, [4]))
        r2 = _err_node(lambda: tf.reshape(x, [-1, 4]))
        # (reshape(x, [-1, -1]) fails only when TF's graph runs; eager varstore raises at once)
        nxt = tf.reshape(x, [6])
    return {"r": [r1, r2], "next": nxt.name}


def scenario_errnode_conv_in_scope(tf):
    x = tf.ones([1, 4, 4, 3])
    w = tf.ones([3, 3, 2, 4])
    with tf.variable_scope("c"):
        r1 = _err_node(lambda: tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"))
        r2 = _err_node(lambda: tf.nn.conv2d(x, tf.ones([5, 5, 3, 1]), [1, 1, 1, 1], "VALID"))
        r3 = _err_node(lambda: tf.nn.conv2d(tf.ones([4, 4, 3]), tf.ones([1, 1, 3, 1]), [1, 1, 1, 1], "VALID"))
        nxt = tf.nn.conv2d(x, tf.ones([1, 1, 3, 1]), [1, 1, 1, 1], "VALID")
    return {"r": [r1, r2, r3], "next": nxt.name}


def scenario_errnode_add_in_scope(tf):
    with tf.name_scope("s"):
        r1 = _err_node(lambda: tf.ones([2]) + tf.ones([3]))
        r2 = _err_node(lambda: tf.add(tf.ones([2]), tf.ones([3]), name="named"))
        nxt = tf.ones([2]) + tf.ones([2])
    return {"r": [r1, r2], "next": nxt.name}


def scenario_errnode_full_matmul_message(tf):
    a = tf.ones([2, 3], name="a")
    b = tf.ones([2, 3], name="b")
    with tf.name_scope("s"):
        return _err(lambda: tf.matmul(a, b))


def scenario_errnode_full_reshape_message(tf):
    x = tf.ones([2, 3], name="x")
    with tf.name_scope("s"):
        return _err(lambda: tf.reshape(x, [4], name="r"))


def scenario_errnode_bias_add_in_scope(tf):
    with tf.variable_scope("b"):
        r = _err_node(lambda: tf.nn.bias_add(tf.ones([2, 3]), tf.ones([4])))
        r2 = _err_node(lambda: tf.nn.bias_add(tf.ones([2, 3]), tf.ones([1, 3])))
    return {"r": r, "r2": r2}


def scenario_errnode_maxpool_errors(tf):
    x = tf.ones([1, 2, 2, 1])
    with tf.name_scope("p"):
        r1 = _err_node(lambda: tf.nn.max_pool(x, [1, 3, 3, 1], [1, 1, 1, 1], "VALID"))
        r2 = _err(lambda: tf.nn.max_pool(x, [1, 2, 2, 1], [1, 1, 1, 1], "FOO"))
        r3 = _err(lambda: tf.nn.max_pool(tf.ones([2, 2]), [1, 1, 1, 1], [1, 1, 1, 1], "VALID"))["type"]
    return {"r1": r1, "r2": r2, "r3": r3}


def scenario_errnode_dense_input_mismatch_reuse(tf):
    with tf.variable_scope("d"):
        tf.layers.dense(tf.ones([1, 3]), 2, name="fc")
    with tf.variable_scope("d", reuse=True):
        r = _err(lambda: tf.layers.dense(tf.ones([1, 4]), 2, name="fc"))
    return {"r": r}


def scenario_errnode_conv_in_template(tf):
    def f(x):
        w = tf.get_variable("w", [1, 1, 3, 2])
        return tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")

    t = tf.make_template("ct", f)
    t(tf.ones([1, 2, 2, 3]))
    r = _err(lambda: t(tf.ones([1, 2, 2, 4])))
    msg = r["msg"] or ""
    m = re.search(r"\{\{node ([^}]*)\}\}", msg)
    return {"type": r["type"], "prefix": msg.split(" for '")[0], "node": m.group(1) if m else None,
            "has_mark": _TMPL_MARK in msg}


# ===========================================================================
# misc combinations
# ===========================================================================


def scenario_mixm_dense_names_values(tf):
    x = tf.constant([[1.0, 2.0]])
    with tf.variable_scope("mlp"):
        h = tf.layers.dense(x, 3, activation=tf.nn.relu, kernel_initializer=tf.constant_initializer(0.5),
                            bias_initializer=tf.constant_initializer(-1.0), name="h")
        o = tf.layers.dense(h, 1, use_bias=False, kernel_initializer=tf.ones_initializer())
    return {"h": _t(h), "o": _t(o), "val": _val(_run(tf, [h, o])),
            "probe": _probe(tf, ["mlp/h/MatMul", "mlp/h/BiasAdd", "mlp/h/Relu", "mlp/dense/MatMul",
                                 "mlp/h/MatMul/ReadVariableOp", "mlp/h/BiasAdd/ReadVariableOp",
                                 "mlp/dense/MatMul/ReadVariableOp", "mlp/h/Tensordot"])}


def scenario_mixm_dense_3d_input(tf):
    x = tf.ones([2, 3, 4])
    y = tf.layers.dense(x, 5)
    return {"y": _t(y), "vars": [_t(v) for v in tf.global_variables()]}


def scenario_mixm_variable_scope_name_with_dot_and_dash(tf):
    with tf.variable_scope("a.b-c") as s:
        v = tf.get_variable("w.x-y", [1])
        c = tf.constant(1.0)
    with tf.variable_scope("a.b-c"):
        d = tf.constant(1.0)
    return {"s": _scope(s), "v": v.name, "c": c.name, "d": d.name}


def scenario_mixm_get_variable_in_name_scope_only(tf):
    with tf.name_scope("only_ns"):
        v = tf.get_variable("w", [1])
        t = v * 2.0
    with tf.name_scope("only_ns"):
        e = _err(lambda: tf.get_variable("w", [1]))
    return {"v": v.name, "t": t.name, "e": e}


def scenario_mixm_template_in_name_scope_values(tf):
    def f(x):
        w = tf.get_variable("w", [2], initializer=tf.constant_initializer([1.0, 2.0]))
        return x * w

    t = tf.make_template("sc", f)
    with tf.name_scope("a"):
        y1 = t(tf.ones([2]))
    with tf.name_scope("a"):
        y2 = t(tf.ones([2]) * 3.0)
    return {"names": _names([y1, y2]), "vals": _val(_run(tf, [y1, y2])), "vars": _names(tf.global_variables())}


def scenario_mixm_template_variable_scope_attrs(tf):
    t = tf.make_template("tt", lambda: tf.get_variable("w", [1]))
    before = t.variable_scope is None
    with tf.variable_scope("o"):
        t()
    vs = t.variable_scope
    return {"before_none": before, "vs": _scope(vs), "name": t.name if hasattr(t, "name") else None,
            "gv": _names(vs.global_variables()), "tv": _names(vs.trainable_variables())}


def scenario_mixm_scope_default_name_and_values_identity(tf):
    x = tf.constant(1.0)

    def block(inp, name=None):
        with tf.variable_scope(name, default_name="block", values=[inp]):
            w = tf.get_variable("w", [], initializer=tf.ones_initializer())
            return tf.identity(inp * w, name="out")

    a = block(x)
    b = block(a)
    c = block(b, name="final")
    d = _err(lambda: block(c, name="block"))
    return {"names": _names([a, b, c]), "d": d, "vars": _names(tf.global_variables())}


def scenario_mixm_variable_scope_reuse_true_get_missing_in_dense(tf):
    with tf.variable_scope("x", reuse=True):
        r = _err(lambda: tf.layers.dense(tf.ones([1, 2]), 2, name="fc"))
    return {"r": r, "vars": _names(tf.global_variables())}


def scenario_mixm_ops_named_with_scope_string(tf):
    with tf.variable_scope("vs") as s:
        pass
    c = tf.constant(1.0, name=s.original_name_scope + "c")
    d = tf.constant(1.0, name=s.name + "/d")
    e = tf.constant(1.0, name=s.name + "/c")
    return {"names": _names([c, d, e])}


def scenario_mixm_identity_chain_names_scopes(tf):
    x = tf.constant(1.0)
    with tf.variable_scope("a"):
        y = tf.identity(x)
        with tf.variable_scope("b"):
            z = tf.identity(y, name="Identity")
    with tf.variable_scope("a"):
        w = tf.identity(z)
    return {"names": _names([y, z, w])}


def scenario_mixm_int_variable_ops(tf):
    v = tf.get_variable("c", [], dtype=tf.int32, initializer=tf.zeros_initializer())
    a = v + 1
    b = v * 3
    e = _err(lambda: v + 1.5)
    return {"a": _t(a), "b": _t(b), "e": e, "vals": _val(_run(tf, [a, b]))}


def scenario_mixm_int64_variable_plus_int32_error(tf):
    v = tf.get_variable("c", [], dtype=tf.int64, initializer=tf.zeros_initializer())
    a = v + 1
    e = _err(lambda: v + tf.constant(1))
    return {"a": _t(a), "e": e}


def scenario_mixm_float16_ops(tf):
    a = tf.constant([1.5, 2.5], dtype=tf.float16)
    b = a * 2.0 + 1.0
    s = tf.reduce_sum(b)
    return {"b": _t(b), "s": _t(s), "vals": [_dval(x) for x in _run(tf, [b, s], init=False)]}


def scenario_mixm_cast_names(tf):
    x = tf.constant([1.7, -1.7])
    a = tf.cast(x, tf.int32)
    with tf.name_scope("c"):
        b = tf.cast(x, tf.float32)
        c = tf.cast(a, tf.bool)
    return {"ts": [_t(t) for t in [a, b, c]], "vals": [_dval(v) for v in _run(tf, [a, c], init=False)]}


def scenario_mixm_concat_names_values(tf):
    a = tf.constant([[1.0, 2.0]])
    b = tf.constant([[3.0, 4.0]])
    with tf.name_scope("cc"):
        c = tf.concat([a, b], 0)
        d = tf.concat([a, b], axis=-1, name="side")
    return {"ts": [_t(t) for t in [c, d]], "vals": _val(_run(tf, [c, d], init=False))}


def scenario_mixm_fill_and_ones_like(tf):
    a = tf.fill([2, 2], 3.0)
    b = tf.ones_like(a)
    c = tf.zeros_like(a) if hasattr(tf, "zeros_like") else tf.fill([2, 2], 0.0)
    d = tf.fill([2], 7)
    return {"ts": [_t(t) for t in [a, b, c, d]], "vals": [_dval(v) for v in _run(tf, [a, b, c, d], init=False)]}


def scenario_mixm_shape_op(tf):
    x = tf.ones([2, 3])
    s = tf.shape(x)
    with tf.name_scope("q"):
        s2 = tf.shape(x, name="sh")
    return {"s": _t(s), "s2": _t(s2), "vals": [_dval(v) for v in _run(tf, [s, s2], init=False)]}


def scenario_mixm_convert_to_tensor_names(tf):
    a = tf.convert_to_tensor([1.0, 2.0])
    b = tf.convert_to_tensor(np.array([1, 2]), name="arr")
    v = tf.get_variable("v", [1])
    with tf.name_scope("s"):
        c = tf.convert_to_tensor(v)
    return {"ts": [_t(t) for t in [a, b, c]]}


def scenario_mixm_global_variables_initializer_in_scope(tf):
    tf.get_variable("w", [1])
    with tf.variable_scope("s"):
        i = tf.global_variables_initializer()
    with tf.name_scope("n"):
        j = tf.global_variables_initializer()
    return {"i": i.name, "j": j.name, "types": [i.type, j.type]}


def scenario_mixm_variable_scope_reuse_inside_name_scope_reenter(tf):
    with tf.name_scope("outer"):
        with tf.variable_scope("enc") as s:
            a = tf.get_variable("w", [1])
            c1 = tf.constant(1.0)
    with tf.name_scope("outer"):
        with tf.variable_scope("enc", reuse=True):
            b = tf.get_variable("w", [1])
            c2 = tf.constant(1.0)
    return {"s": _scope(s), "same": a is b, "c": _names([c1, c2])}


def scenario_mixm_deep_default_name_inside_template_loop(tf):
    def f(x):
        for _ in range(2):
            with tf.variable_scope(None, default_name="layer"):
                w = tf.get_variable("w", [], initializer=tf.ones_initializer())
                x = x * w
        return x

    t = tf.make_template("deep", f)
    a = t(tf.constant(1.0))
    b = t(tf.constant(2.0))
    return {"a": a.name, "b": b.name, "vars": _names(tf.global_variables())}


def scenario_mixm_name_scope_default_name_values_variable(tf):
    v = tf.get_variable("v", [1])
    with tf.name_scope(None, "dflt", [v]) as s:
        c = tf.constant(1.0)
    with tf.name_scope(None, "dflt", [v]) as s2:
        pass
    return {"s": s, "s2": s2, "c": c.name}


def scenario_mixm_variable_assign_names_values(tf):
    v = tf.get_variable("v", [2], initializer=tf.zeros_initializer())
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(v.assign([1.0, 2.0]))
    a = sess.run(v)
    sess.run(v.assign_add([1.0, 1.0]))
    b = sess.run(v)
    return {"a": _val(a), "b": _val(b)}


def scenario_mixm_get_variable_partial_shape_from_initializer(tf):
    v = tf.get_variable("v", initializer=np.zeros((2, 3), dtype=np.float32))
    w = tf.get_variable("w", initializer=lambda: tf.ones([2]))
    return {"v": _t(v), "w": _t(w), "wval": _val(_run(tf, w))}


def scenario_mixm_callable_initializer_names(tf):
    w = tf.get_variable("w", initializer=lambda: tf.ones([2]) * 3.0)
    with tf.variable_scope("s"):
        u = tf.get_variable("u", initializer=lambda: tf.constant([1.0]), dtype=tf.float32)
    return {"w": w.name, "u": u.name, "w_iv": w.initial_value.name, "u_iv": u.initial_value.name}


def scenario_mixm_tensor_initializer_int_var_names(tf):
    c = tf.constant([1, 2], name="c0")
    v = tf.get_variable("iv", initializer=c)
    return {"v": _t(v), "iv": v.initial_value.name, "val": _dval(_run(tf, v))}


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
