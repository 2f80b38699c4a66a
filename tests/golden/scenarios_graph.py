# ruff: noqa: SIM117
"""Golden scenarios of the graph runtime: placeholders, Session.run with feeds and fetch
structures, stateful ops run on every run, control dependencies, tf.cond, the implicit ops
TF adds (``add/y``, ``<var>/Read/ReadVariableOp``), gradients, and TF's run-time errors.

Same conventions as ``scenarios.py``: ``scenario_<name>(tf)`` returns JSON-able data; TF's
results are recorded by ``record_tf.py --set graph`` into ``tf1_expected_graph.json``.
Error messages of TF's run-time errors embed its node traceback: ``_first_line`` keeps the
text varstore reproduces (the message proper, after the "Graph execution error" header).
"""

import collections

import numpy as np


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e)}
    return {"type": None, "msg": None}


def _err_type(fn):
    return _err(fn)["type"]


def _run_err(fn, needle):
    """Type of a run-time error and whether its message contains ``needle``."""
    r = _err(fn)
    return {"type": r["type"], "has": needle in (r["msg"] or "")}


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    if a.dtype.kind == "O":
        return [b.decode() if isinstance(b, bytes) else b for b in a.reshape(-1)]
    return a.tolist()


def _ops(tf):
    return [[o.name, o.type, [i.name for i in o.inputs], [c.name for c in o.control_inputs]]
            for o in tf.get_default_graph().get_operations()]


def scenario_placeholder_shapes_and_names(tf):
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    y = tf.placeholder(tf.int32)
    z = tf.placeholder(tf.float64, shape=[2, 3])
    return {"x": [x.name, x.shape.as_list(), x.op.type, x.dtype.name],
            "y": [y.name, y.shape.ndims], "z": [z.name, z.shape.as_list()]}


def scenario_feed_and_fetch_structures(tf):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    a = x * 2.0
    b = tf.reduce_sum(x, 1)
    Pair = collections.namedtuple("Pair", ["first", "second"])
    sess = tf.Session()
    feed = {x: [[1.0, 2.0], [3.0, 4.0]]}
    r_list = sess.run([a, b], feed)
    r_tuple = sess.run((a, [b, a]), feed)
    r_dict = sess.run({"a": a, "nest": {"b": b}}, feed)
    r_named = sess.run(Pair(a, b), feed)
    r_str = sess.run("mul:0", feed)
    r_op = sess.run(a.op, feed)
    return {"list": _v(r_list[0]) + _v(r_list[1]), "tuple": [_v(r_tuple[0]), _v(r_tuple[1][0])],
            "dict": [sorted(r_dict), _v(r_dict["nest"]["b"])], "named": type(r_named).__name__,
            "named_first": _v(r_named.first), "str": _v(r_str), "op": r_op,
            "scalar_type": type(sess.run(tf.reduce_sum(x), feed)).__name__}


def scenario_feed_any_tensor(tf):
    x = tf.placeholder(tf.float32, [3])
    y = x * 2.0
    z = y + 1.0
    sess = tf.Session()
    return {"fed_mid": _v(sess.run(z, {y: [10.0, 20.0, 30.0]})),
            "fed_both": _v(sess.run([y, z], {x: [1.0, 2.0, 3.0]})[1]),
            "fetch_fed": _v(sess.run(y, {y: [5.0, 6.0, 7.0]}))}


def scenario_placeholder_with_default(tf):
    p = tf.placeholder_with_default(tf.constant([1.0, 2.0]), [2])
    q = p * 3.0
    sess = tf.Session()
    return {"default": _v(sess.run(q)), "fed": _v(sess.run(q, {p: [5.0, 5.0]})),
            "name": p.name, "type": p.op.type}


def scenario_unfed_placeholder_error(tf):
    x = tf.placeholder(tf.float32, [None, 784], name="x")
    y = x * 2.0
    sess = tf.Session()
    return {"r": _run_err(lambda: sess.run(y), "You must feed a value for placeholder tensor "
                          "'x' with dtype float and shape [?,784]")}


def scenario_feed_errors(tf):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    i = tf.placeholder(tf.int32, [2], name="i")
    sess = tf.Session()
    return {
        "shape": _err(lambda: sess.run(x, {x: np.zeros(3)})),
        "scalar": _err(lambda: sess.run(x, {x: 1.0})),
        "ragged": _err_type(lambda: sess.run(x, {x: [[1, 2], [3]]})),
        "object": _err_type(lambda: sess.run(x, {x: np.array([object()], dtype=object)})),
        "tensor_value": _err_type(lambda: sess.run(x, {x: tf.constant([[1.0, 2.0]])})),
        "bad_key": _err_type(lambda: sess.run(x, {"nope:0": [[1.0, 2.0]]})),
        "int_wrap": _v(sess.run(i, {i: [2**40, 1]})),
        "float_to_int": _v(sess.run(i, {i: [1.5, 2.7]})),
    }


def scenario_fetch_errors(tf):
    c = tf.constant(1.0)
    g2 = tf.Graph()
    with g2.as_default():
        other = tf.constant(2.0)
    sess = tf.Session()
    return {
        "other_graph": _err(lambda: sess.run(other)),
        "none": _err(lambda: sess.run(None)),
        "int": _err(lambda: sess.run(5)),
        "missing_name": _err(lambda: sess.run("nope:0")),
        "ok": _v(sess.run(c)),
    }


def scenario_empty_and_closed_session(tf):
    empty = tf.Session()
    r = {"empty": _err(lambda: empty.run([]))}
    c = tf.constant(3.0)
    sess = tf.Session()
    sess.close()
    r["closed"] = _err(lambda: sess.run(c))
    return r


def scenario_variable_values_change_between_runs(tf):
    v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
    y = v * 3
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    first = sess.run(y)
    v.load([10, 20], sess)
    second = sess.run(y)
    sess.run(v.assign([1.0, 2.0]))
    third = sess.run(y)
    sess.run(tf.global_variables_initializer())
    fourth = sess.run(y)
    return {"runs": [_v(first), _v(second), _v(third), _v(fourth)]}


def scenario_assign_ops_act_only_when_run(tf):
    v = tf.get_variable("v", [2], initializer=tf.zeros_initializer())
    a = v.assign_add([1.0, 1.0])
    b = tf.assign_sub(v, [0.5, 0.5])
    c = tf.assign(v, [7.0, 8.0])
    sess = tf.Session()
    sess.run(v.initializer)
    start = sess.run(v)
    r1 = sess.run(a)
    r2 = sess.run(a)
    r3 = sess.run(b)
    r4 = sess.run(c)
    return {"start": _v(start), "add": _v(r1), "add2": _v(r2), "sub": _v(r3), "set": _v(r4),
            "final": _v(sess.run(v)), "a_name": a.name, "a_op": a.op.type}


def scenario_uninitialized_variable_read(tf):
    v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
    y = v * 2.0
    sess = tf.Session()
    r = {"read": _run_err(lambda: sess.run(y), "Could not find variable v"),
         "fetch": _run_err(lambda: sess.run(v), "Could not find variable v")}
    sess.run(v.initializer)
    r["after"] = _v(sess.run(y))
    other = tf.Session()
    r["other_session"] = _run_err(lambda: other.run(y), "Could not find variable v")
    return r


def scenario_variable_ops_listing(tf):
    tf.get_variable("w", [2, 3])
    tf.get_variable("b", [3], initializer=tf.zeros_initializer())
    tf.Variable(3.0, name="s")
    return {"ops": _ops(tf)}


def scenario_implicit_nodes_and_collisions(tf):
    x = tf.placeholder(tf.float32, [2], name="x")
    y = x + 1.0
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    z = x * w
    r = tf.reshape(z, [1, 2])
    with tf.name_scope("add/"):
        c1 = tf.constant(1.0, name="y_1")
    with tf.name_scope("w/Read/"):
        c2 = tf.identity(x, name="Identity")
    return {"ops": _ops(tf), "names": [y.name, z.name, r.name, c1.name, c2.name]}


def scenario_graph_api(tf):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.nn.relu(x, name="act")
    z = tf.reduce_sum(y, name="total")
    g = tf.get_default_graph()
    return {
        "by_name": g.get_operation_by_name("act").type,
        "tensor": g.get_tensor_by_name("total:0").name,
        "element_op": g.as_graph_element("act").name,
        "element_t": g.as_graph_element("act:0").name,
        "bad_index": _err(lambda: g.get_tensor_by_name("act:3")),
        "no_op": _err(lambda: g.get_operation_by_name("nope")),
        "tensor_as_op": _err(lambda: g.get_operation_by_name("act:0")),
        "inputs": [t.name for t in z.op.inputs],
        "outputs": [t.name for t in y.op.outputs],
        "consumers": [o.name for o in y.consumers()],
        "x_consumers": [o.name for o in x.consumers()],
        "attr_T": z.op.get_attr("T").name,
        "attr_keep": z.op.get_attr("keep_dims"),
        "attr_missing": _err_type(lambda: z.op.get_attr("nope")),
        "n_ops": len(g.get_operations()),
    }


def scenario_finalize(tf):
    tf.constant(1.0)
    g = tf.get_default_graph()
    g.finalize()
    r = {"finalized": g.finalized, "err": _err(lambda: tf.constant(2.0))}
    return r


def scenario_device_contexts(tf):
    with tf.device("/cpu:0"):
        a = tf.constant(1.0, name="a")
    with tf.get_default_graph().device("/device:CPU:0"):
        b = a * 2.0
    c = b + 1.0
    return {"a": a.device, "b": b.device, "c": c.device,
            "value": _v(tf.Session().run(c))}


def scenario_control_dependencies(tf):
    v = tf.get_variable("v", [], initializer=tf.zeros_initializer())
    inc = v.assign_add(1.0)
    with tf.control_dependencies([inc]):
        out = tf.identity(tf.constant(5.0), name="out")
        read = v.read_value()
    with tf.control_dependencies(None):
        free = tf.constant(1.0, name="free")
    sess = tf.Session()
    sess.run(v.initializer)
    sess.run(out)
    sess.run(out)
    return {"v": _v(sess.run(v)), "read": _v(sess.run(read)),
            "out_deps": [c.name for c in out.op.control_inputs],
            "read_deps": [c.name for c in read.op.control_inputs],
            "free_deps": [c.name for c in free.op.control_inputs]}


def scenario_group_tuple_noop(tf):
    v = tf.get_variable("v", [], initializer=tf.zeros_initializer())
    w = tf.get_variable("w", [], initializer=tf.zeros_initializer())
    g = tf.group(v.assign_add(1.0), w.assign_add(2.0), name="both")
    n = tf.no_op(name="nothing")
    a, b = tf.tuple([tf.constant(1.0), tf.constant(2.0)])
    sess = tf.Session()
    sess.run([v.initializer, w.initializer])
    ran = sess.run(g)
    sess.run(g)
    return {"ran": ran, "vw": _v(sess.run([v, w])), "g": [g.name, g.type],
            "n": [n.name, n.type, sess.run(n)], "tuple": [a.name, b.name, _v(sess.run(a))],
            "g_inputs": sorted(c.name for c in g.control_inputs)}


def scenario_cond_on_fed_boolean(tf):
    p = tf.placeholder(tf.bool, [], name="p")
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
    y = tf.cond(p, lambda: x * 2.0 + w, lambda: x - 1.0)
    sess = tf.Session()
    sess.run(w.initializer)
    feed = {x: [[1.0, 2.0]]}
    t = sess.run(y, {**feed, p: True})
    f = sess.run(y, {**feed, p: False})
    return {"true": _v(t), "false": _v(f), "shape": y.shape.as_list(), "dtype": y.dtype.name}


def scenario_cond_only_runs_taken_branch(tf):
    p = tf.placeholder(tf.bool, [])
    v = tf.get_variable("v", [], initializer=tf.zeros_initializer())
    y = tf.cond(p, lambda: v.assign_add(1.0), lambda: v.assign_sub(10.0))
    sess = tf.Session()
    sess.run(v.initializer)
    sess.run(y, {p: True})
    sess.run(y, {p: True})
    sess.run(y, {p: False})
    return {"v": _v(sess.run(v))}


def scenario_cond_nested_and_tuple_outputs(tf):
    p = tf.placeholder(tf.bool, [])
    q = tf.placeholder(tf.bool, [])
    x = tf.constant(3.0)
    out = tf.cond(p, lambda: tf.cond(q, lambda: (x * 2.0, x), lambda: (x * 3.0, x + 1.0)),
                  lambda: (x - 1.0, x - 2.0))
    sess = tf.Session()
    vals = [sess.run(out, {p: a, q: b}) for a, b in
            ((True, True), (True, False), (False, True), (False, False))]
    return {"vals": [[_v(u) for u in v] for v in vals], "kind": type(out).__name__}


def scenario_random_ops_redraw_every_run(tf):
    a = tf.random_normal([3], seed=5)
    b = tf.random_uniform([3])
    sess = tf.Session()
    a1, a2 = sess.run(a), sess.run(a)
    b1, b2 = sess.run(b), sess.run(b)
    both = sess.run([a, a])
    sess2 = tf.Session()
    a1_again = sess2.run(a)
    return {"a_differs": bool(np.any(a1 != a2)), "b_differs": bool(np.any(b1 != b2)),
            "same_run_same_value": bool(np.all(both[0] == both[1])),
            "seeded_repeats_per_session": bool(np.all(a1 == a1_again)),
            "b_range": bool(np.all((b1 >= 0) & (b1 < 1)))}


def scenario_initializer_resets_values(tf):
    v = tf.get_variable("v", [2], initializer=tf.constant_initializer([1.0, 2.0]))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    sess.run(v.assign([9.0, 9.0]))
    before = sess.run(v)
    sess.run(tf.global_variables_initializer())
    return {"before": _v(before), "after": _v(sess.run(v))}


def scenario_is_variable_initialized(tf):
    v = tf.get_variable("v", [], initializer=tf.zeros_initializer())
    flag = tf.is_variable_initialized(v)
    report = tf.report_uninitialized_variables()
    sess = tf.Session()
    r = {"before": bool(sess.run(flag)), "report_before": _v(sess.run(report))}
    sess.run(v.initializer)
    r["after"] = bool(sess.run(flag))
    r["report_after"] = _v(sess.run(report))
    return r


def scenario_default_session_eval_and_run(tf):
    x = tf.placeholder(tf.float32, [2])
    y = x * 2.0
    v = tf.get_variable("v", [], initializer=tf.ones_initializer())
    r = {"no_default_eval": _err(lambda: y.eval({x: [1.0, 2.0]})),
         "no_default_run": _err(lambda: v.initializer.run())}
    sess = tf.Session()
    with sess.as_default():
        r["is_default"] = tf.get_default_session() is sess
        v.initializer.run()
        r["eval"] = _v(y.eval({x: [1.0, 2.0]}))
        r["var_eval"] = _v(v.eval())
    r["after_block"] = tf.get_default_session() is None
    r["still_open"] = _v(sess.run(v))
    with tf.Session() as s2:
        r["with_default"] = tf.get_default_session() is s2
        s2.run(v.initializer)
    r["closed_after_with"] = _err(lambda: s2.run(v))
    return r


def scenario_interactive_session(tf):
    sess = tf.InteractiveSession()
    c = tf.constant([1.0, 2.0]) * 3.0
    r = {"eval": _v(c.eval()), "is_default": tf.get_default_session() is sess}
    sess.close()
    r["after_close"] = tf.get_default_session() is None
    return r


def scenario_make_callable(tf):
    x = tf.placeholder(tf.float32, [2])
    y = x + 1.0
    z = x * 2.0
    sess = tf.Session()
    f1 = sess.make_callable(y, [x])
    f2 = sess.make_callable([y, z], [x])
    return {"one": _v(f1([1.0, 2.0])), "two": [_v(a) for a in f2([3.0, 4.0])]}


def scenario_initialized_value_and_read_value(tf):
    tf.disable_resource_variables()
    try:
        v = tf.get_variable("v", [2], initializer=tf.constant_initializer([1.0, 2.0]))
        w = tf.Variable(v.initialized_value() * 2.0, name="w")
        sess = tf.Session()
        # TF runs the two initializers concurrently, so w's cond can race v's
        # initializer; run them in order as a careful TF1 program would.
        sess.run(v.initializer)
        sess.run(w.initializer)
        r = {"w": _v(sess.run(w)), "read": _v(sess.run(v.read_value())),
             "w_name": w.name, "v_op": v.op.type}
    finally:
        tf.enable_resource_variables()
    return r


def scenario_ref_variable_ops(tf):
    tf.disable_resource_variables()
    try:
        v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
        a = v.assign([3.0, 4.0])
        y = v + 1.0
        r = {"ops": _ops(tf), "a": a.name, "y_input": [t.name for t in y.op.inputs]}
        sess = tf.Session()
        sess.run(v.initializer)
        r["a_val"] = _v(sess.run(a))
        r["y_val"] = _v(sess.run(y))
        r["uninit"] = _run_err(lambda: tf.Session().run(y), "uninitialized value v")
    finally:
        tf.enable_resource_variables()
    return r


def scenario_run_time_kernel_error(tf):
    x = tf.placeholder(tf.float32, [None])
    y = tf.reshape(x, [2, 2], name="bad_reshape")
    z = tf.constant([1.0]) + 1.0
    sess = tf.Session()
    r = {"err": _run_err(lambda: sess.run(y, {x: [1.0, 2.0, 3.0]}), "bad_reshape")}
    r["type_only"] = _err_type(lambda: sess.run(y, {x: [1.0, 2.0, 3.0]}))
    r["still_works"] = _v(sess.run(y, {x: [1.0, 2.0, 3.0, 4.0]}))
    r["other"] = _v(sess.run(z))
    return r


def scenario_gradient_names_and_values(tf):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.get_variable("w", [3, 2], initializer=tf.constant_initializer(
        np.arange(6, dtype=np.float32).reshape(3, 2) / 10.0))
    b = tf.get_variable("b", [2], initializer=tf.constant_initializer([0.5, -0.5]))
    y = tf.matmul(x, w) + b
    loss = tf.reduce_mean(tf.square(y)) + tf.reduce_sum(w)
    gw, gb = tf.gradients(loss, [w, b])
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    vals = sess.run([gw, gb], {x: [[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]]})
    return {"names": [gw.name, gb.name], "shapes": [gw.shape.as_list(), gb.shape.as_list()],
            "gw": _v(vals[0]), "gb": _v(vals[1])}


def scenario_gradients_none_and_stop(tf):
    a = tf.constant([1.0, 2.0])
    b = tf.constant([3.0, 4.0])
    y = tf.reduce_sum(a * tf.stop_gradient(a * b))
    ga, gb = tf.gradients(y, [a, b])
    sess = tf.Session()
    return {"ga": _v(sess.run(ga)), "gb": gb is None}


def scenario_shape_inference_partial(tf):
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    h = tf.reshape(x, [-1, 784])
    w = tf.zeros([784, 10])
    logits = tf.matmul(h, w)
    c = tf.concat([x, x], 3)
    t = tf.transpose(x, [0, 3, 1, 2])
    s = tf.shape(x)
    r = tf.reshape(x, tf.stack([tf.shape(x)[0], -1]))
    sq = tf.squeeze(tf.expand_dims(logits, 1), [1])
    red = tf.reduce_mean(x, [1, 2])
    sl = x[:, 2:5, ::2]
    return {"h": h.shape.as_list(), "logits": logits.shape.as_list(), "c": c.shape.as_list(),
            "t": t.shape.as_list(), "s": s.shape.as_list(), "r": r.shape.as_list(),
            "sq": sq.shape.as_list(), "red": red.shape.as_list(), "sl": sl.shape.as_list()}


def scenario_mnist_style_program(tf):
    rng = np.random.RandomState(0)
    x = tf.placeholder(tf.float32, [None, 16], name="x")
    y_ = tf.placeholder(tf.int64, [None], name="y_")
    keep = tf.placeholder(tf.bool, [], name="train")
    w1 = tf.get_variable("w1", [16, 8], initializer=tf.constant_initializer(
        rng.uniform(-0.3, 0.3, (16, 8)).astype(np.float32)))
    b1 = tf.get_variable("b1", [8], initializer=tf.zeros_initializer())
    w2 = tf.get_variable("w2", [8, 4], initializer=tf.constant_initializer(
        rng.uniform(-0.3, 0.3, (8, 4)).astype(np.float32)))
    h = tf.nn.relu(tf.matmul(x, w1) + b1)
    h = tf.cond(keep, lambda: h * 0.5, lambda: h)
    logits = tf.matmul(h, w2)
    probs = tf.nn.softmax(logits)
    correct = tf.equal(tf.argmax(logits, 1), y_)
    acc = tf.reduce_mean(tf.cast(correct, tf.float32))
    gw1, gw2 = tf.gradients(tf.reduce_sum(probs * probs), [w1, w2])
    step = tf.group(w1.assign_sub(0.1 * gw1), w2.assign_sub(0.1 * gw2))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    accs = []
    for i in range(3):
        xb = rng.uniform(0, 1, (5, 16)).astype(np.float32)
        yb = rng.randint(0, 4, 5)
        sess.run(step, {x: xb, y_: yb, keep: i % 2 == 0})
        accs.append(_v(sess.run(acc, {x: xb, y_: yb, keep: False})))
    return {"accs": accs, "w2": _v(sess.run(w2))}


def scenario_get_attr_and_node_def_protos(tf):
    # Operation.get_attr gives the AttrValue's field: bytes, TensorShapeProto, TensorProto,
    # DType, lists; node_def is TF's NodeDef proto
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    c = tf.constant([1.0, 2.0], name="c")
    y = tf.nn.conv2d(tf.zeros([1, 4, 4, 1]), tf.zeros([2, 2, 1, 1]), [1, 1, 1, 1], "SAME")
    v = tf.Variable(1.0, name="v")
    asg = v.assign(2.0, read_value=False)
    g = tf.get_default_graph()

    def show(a):
        if isinstance(a, tf.DType):
            return ["dtype", a.name]
        if isinstance(a, list):
            return ["list", [show(e) for e in a]]
        if hasattr(a, "SerializeToString"):
            return [type(a).__name__, str(a)]
        return [type(a).__name__, a.decode() if isinstance(a, bytes) else a]

    nd = y.op.node_def
    return {"placeholder": [show(x.op.get_attr(k)) for k in ("dtype", "shape")],
            "const": [show(c.op.get_attr(k)) for k in ("dtype", "value")],
            "conv": [show(y.op.get_attr(k)) for k in ("T", "strides", "padding", "data_format",
                                                      "use_cudnn_on_gpu", "dilations",
                                                      "explicit_paddings")],
            "handle": [show(g.get_operation_by_name("v").get_attr(k))
                       for k in ("dtype", "shape", "shared_name", "container", "debug_name")],
            "init_validate": g.get_operation_by_name("v/Assign").get_attr("validate_shape"),
            "assign_validate": [asg.type, asg.get_attr("validate_shape")],
            "node_def": [type(nd).__name__, nd.name, nd.op, list(nd.input),
                         nd.attr["padding"].s.decode(), nd.attr["T"].type,
                         list(nd.attr["strides"].list.i)],
            "missing": _err_type(lambda: x.op.get_attr("nope"))}


def all_scenarios():
    """{name: function} for every scenario, in definition order."""
    return {
        k[len("scenario_"):]: v
        for k, v in globals().items()
        if k.startswith("scenario_") and callable(v)
    }
