"""Golden scenarios found by running more public TF1 programs (nlintz's TensorFlow-Tutorials,
chiphuyen's stanford-tensorflow-tutorials, carpedm20's DCGAN, hzy46's Char-RNN) under TF and
varstore (``record_tf.py --set programs3``)."""

import contextlib

import numpy as np


def _err(fn):
    try:
        out = fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e)[:200]}
    return {"type": None, "value": out}


def scenario_optimizer_var_list_structures(tf):
    # nlintz's 11_gan passes dict.values(); TF flattens var_list with nest.
    d = {"b": tf.Variable(2.0, name="b"), "a": tf.Variable(1.0, name="a")}
    loss = d["a"] * d["b"]
    res = []
    for vl in [d.values(), d, (d["a"], [d["b"]]), iter([d["a"]]), {d["a"]}, d.keys()]:
        def build(vl=vl):
            opt = tf.train.GradientDescentOptimizer(0.5)
            return [v.name for _, v in opt.compute_gradients(loss, var_list=vl)]
        res.append(_err(build))
    return res


def scenario_optimizer_tensor_in_var_list(tf):
    # A Tensor takes a gradient through compute_gradients, but apply_gradients refuses it.
    a = tf.Variable(1.0, name="a")
    h = a * 3.0
    loss = h * h
    opt = tf.train.GradientDescentOptimizer(0.1)
    gv = opt.compute_gradients(loss, var_list=[a, h])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        vals = s.run([g for g, _ in gv])
    return {"pairs": [[g.name, v.name] for g, v in gv], "values": [float(x) for x in vals],
            "apply_tensor": _err(lambda: opt.apply_gradients([gv[1]]).name),
            "apply_float": _err(lambda: opt.apply_gradients([(gv[0][0], 5.0)]).name),
            "compute_float": _err(lambda: opt.compute_gradients(loss, var_list=[a, 3.0]))}



def scenario_assign_result_reads_after_the_assign(tf):
    # nlintz's 10_save_restore_net: global_step.assign(i).eval(), then save(global_step=...).
    import tempfile
    v = tf.Variable(0, name="global_step", trainable=False)
    n0 = len(tf.get_default_graph().get_operations())
    with tf.name_scope("sc"):
        a = v.assign(3)
        b = v.assign(4)
        r = b.read_value()
        c = v.assign(5).assign_add(2)
        d = v.assign(1)
        e = d + 1
        f = v.assign(8).assign_sub(1, name="sub").assign(2)
    ops = [[o.name, o.type, [c.name for c in o.control_inputs]]
           for o in tf.get_default_graph().get_operations()[n0:]]
    saver = tf.train.Saver()
    out = {"ops": ops, "read_value": r.name}
    with tf.Session() as s, tempfile.TemporaryDirectory() as d_:
        s.run(tf.global_variables_initializer())
        out["eval"] = [int(a.eval()), int(s.run(v))]
        out["read"] = [int(s.run(r)), int(s.run(v))]
        out["chain"] = [int(s.run(c)), int(s.run(v))]
        out["op"] = [int(s.run(e)), int(s.run(v))]
        out["chain3"] = [int(s.run(f)), int(s.run(v))]
        v.assign(7).eval()
        out["saved"] = saver.save(s, d_ + "/m", global_step=v)[len(d_):]
    return out


def scenario_assign_value_constant_names(tf):
    # ResourceVariable.assign converts its value in the caller's scope ("Const").
    v = tf.Variable(0.0, name="v")
    n0 = len(tf.get_default_graph().get_operations())
    with tf.name_scope("sc"):
        v.assign(1.0)
        v.assign_add(2.0)
        v.assign_sub(1.0, name="sub")
        tf.assign(v, 3.0)
        v.assign(2.0, read_value=False)
        tf.assign_add(v, [4.0][0])
    return [[o.name, o.type, [i.name for i in o.inputs]]
            for o in tf.get_default_graph().get_operations()[n0:]]


def scenario_feed_dict_with_nested_keys(tf):
    # hzy46's Char-RNN feeds the MultiRNNCell's state tuple (of LSTMStateTuples) back in.
    import collections

    a = tf.placeholder(tf.float32, [], name="a")
    b = tf.placeholder(tf.float32, [2], name="b")
    c = tf.placeholder(tf.float32, [], name="c")
    pair = collections.namedtuple("pair", "x y")  # noqa: PYI024 - as RNN state tuples are
    arr = np.array([1.0, 2.0])
    feeds = [{(a, (b, c)): (1.0, (arr, 3.0))}, {(a, (b, c)): [1.0, [arr, 3.0]]},
             {pair(a, b): pair(1.0, arr), c: 2.0}, {pair(a, b): (1.0, arr), c: 2.0},
             {(a, b): {"x": 1.0, "y": arr}, c: 1.0}, {(): (), a: 1.0, b: arr, c: 1.0},
             {(a, (b, c)): (1.0, ([1.0, 2.0], 3.0))}, {(a, b): 1.0, c: 1.0},
             {(a, b, c): (1.0, arr, 3.0), a: 5.0}]
    with tf.Session() as s:
        return [_err(lambda fd=fd: s.run(a + b + c, feed_dict=fd).tolist()) for fd in feeds]


def scenario_one_shot_iterators_draw_an_op_seed(tf):
    # make_one_shot_iterator takes an op seed (to re-seed its dataset function); a map
    # function's random ops count from 0 in their own function graph.
    tf.set_random_seed(5)
    a = tf.random_uniform([2])
    ds = tf.data.Dataset.range(3).map(lambda i: tf.random_uniform([2]) + tf.cast(i, tf.float32))
    b = tf.random_uniform([2])
    it = tf.data.make_one_shot_iterator(ds).get_next()
    c = tf.random_uniform([2])
    it2 = tf.data.make_one_shot_iterator(tf.data.Dataset.range(3)).get_next()
    d = tf.random_uniform([2])
    it3 = tf.data.make_initializable_iterator(ds)
    e = tf.random_uniform([2])
    with tf.Session() as s:
        s.run(it3.initializer)
        out = [np.round(x, 5).tolist() for x in s.run([a, b, c, d, e])]
        out.append([np.round(s.run(it), 5).tolist() for _ in range(3)])
        out.append([int(s.run(it2)) for _ in range(2)])
        out.append(np.round(s.run(it3.get_next()), 5).tolist())
    return out


def scenario_each_session_has_its_own_variable_values(tf):
    # chiphuyen's stanford-tensorflow-tutorials, 2017/examples/02_variables.py
    import tempfile
    w = tf.Variable(10, name="W")
    x = tf.Variable(1.0, name="x")
    loss = tf.square(x - 3.0)
    train = tf.train.GradientDescentOptimizer(0.25).minimize(loss)
    saver = tf.train.Saver()
    s1, s2 = tf.Session(), tf.Session()
    s1.run(tf.global_variables_initializer())
    s2.run(tf.global_variables_initializer())
    out = {"w": [int(s1.run(w.assign_add(10))), int(s2.run(w.assign_sub(2))),
                 int(s1.run(w.assign_add(100))), int(s2.run(w.assign_sub(50)))]}
    out["train"] = [[float(s1.run([loss, train])[0]) for _ in range(3)],
                    [float(s2.run([loss, train])[0]) for _ in range(1)]]
    out["x"] = [float(s1.run(x)), float(s2.run(x))]
    with tempfile.TemporaryDirectory() as d:
        path = saver.save(s2, d + "/m")
        saver.restore(s1, path)
        out["restored"] = [int(s1.run(w)), float(s1.run(x))]
        s3 = tf.Session()
        out["uninitialized"] = _err(lambda: s3.run(w))["type"]
        saver.restore(s3, path)
        out["s3"] = [int(s3.run(w)), float(s3.run(x))]
        s3.close()
    s1.close()
    out["s2_after_s1_closed"] = int(s2.run(w))
    s4 = tf.Session()
    out["s4"] = _err(lambda: s4.run(x))["type"]
    s4.run(tf.global_variables_initializer())
    out["s4_init"] = [int(s4.run(w)), int(s2.run(w))]
    s2.close()
    s4.close()
    return out


def scenario_readers_take_a_private_resource_id(tf):
    # hunkim's lab-04-4: a TextLineReader between two queues shifts the second queue's
    # '_<id>_' by two, as TF's ResourceOpKernels count process-wide.
    import re
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = d + "/a.csv"
        with open(path, "w") as f:
            f.write("1,2\n")
        q1 = tf.FIFOQueue(4, tf.string, name="files")
        reader = tf.TextLineReader()
        _, value = reader.read(q1)
        q2 = tf.FIFOQueue(4, tf.float32, name="after")
        ids = []
        with tf.Session() as s:
            s.run(q1.enqueue_many([[path]]))
            s.run(q1.close())
            line = s.run(value)
            s.run(q2.close())
            for q in (q1, q2):
                try:
                    s.run(q.dequeue())
                except tf.errors.OutOfRangeError as e:
                    ids.append(int(re.search(r"'_(\d+)_", str(e)).group(1)))
    return {"line": line.decode(), "id_step": ids[1] - ids[0]}


def _seeded_random_in_control_flow(tf):
    tf.set_random_seed(5)
    a = tf.random_uniform([2])
    p = tf.placeholder(tf.bool, [])
    c = tf.cond(p, lambda: tf.random_uniform([2]) + tf.random_normal([2]),
                lambda: tf.random_uniform([2]))

    def body(i, x):
        return i + 1, x + tf.random_uniform([2]) + tf.random_normal([2])

    w = tf.while_loop(lambda i, x: tf.less(i, 3) & (tf.random_uniform([]) < 2.0), body,
                      [0, tf.zeros([2])])
    b = tf.random_uniform([2])
    with tf.Session() as s:
        r = s.run([a, c, w[1], b], {p: True}) + s.run([c], {p: False})
    return [np.round(x, 5).tolist() for x in r]


def scenario_seeded_random_ops_in_cond_and_while_bodies(tf):
    # hzy46's Char-RNN: dropout inside dynamic_rnn's body. Under control flow v2 each body
    # and branch is a function graph whose unseeded random ops count op seeds from 0.
    return _seeded_random_in_control_flow(tf)


def scenario_zz_seeded_random_ops_in_control_flow_v1(tf):
    # after disable_v2_behavior (control flow v1) the bodies share the graph's count
    tf.disable_v2_behavior()
    try:
        g = tf.Graph()
        with g.as_default():
            return {"v2": tf.control_flow_v2_enabled(),
                    "values": _seeded_random_in_control_flow(tf)}
    finally:
        tf.enable_resource_variables()
        with contextlib.suppress(Exception):
            tf.enable_v2_behavior()


def scenario_zz_disable_control_flow_v2_alone(tf):
    tf.disable_control_flow_v2()
    try:
        g = tf.Graph()
        with g.as_default():
            return {"v2": tf.control_flow_v2_enabled(),
                    "values": _seeded_random_in_control_flow(tf)}
    finally:
        tf.enable_control_flow_v2()

def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
