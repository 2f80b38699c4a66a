"""Golden scenarios found by running public TF1 example programs (aymericdamien's
TensorFlow-Examples, tensorflow_v1/) under TF and varstore (``record_tf.py --set programs2``):
summary names built from variable names (``W1:0``), families and their tags, explicit devices
that a CPU-only session cannot place (with and without soft placement), and the gradient of
``reduce_sum`` over a placeholder of unknown rank fed a scalar (an empty axis list taken
modulo rank 0)."""

import contextlib
import re

import numpy as np


def _placement_err(fn):
    """The error's type and its placement line: TF prefixes the graph-execution traceback."""
    try:
        out = fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        m = re.search(r"Cannot assign a device[^\n]*", str(e))
        return {"type": type(e).__name__, "msg": m.group(0) if m else str(e)}
    return {"type": None, "value": np.asarray(out).tolist()}


def scenario_summary_names_from_variable_names_and_families(tf):
    x = tf.constant(1.0)
    outs = [tf.summary.scalar("W1:0", x), tf.summary.scalar("loss", x, family="train"),
            tf.summary.histogram("/a b", x), tf.summary.scalar("loss", x, family="tr ain"),
            tf.summary.image("im:0", tf.zeros([1, 2, 2, 1])),
            tf.summary.text("t:0", tf.constant("a")),
            tf.summary.histogram("W1:0", tf.zeros([3]))]
    res = []
    with tf.Session() as s:
        for o in outs:
            pb = tf.Summary.FromString(s.run(o))
            res.append([o.op.name, o.op.type, [i.op.name for i in o.op.inputs],
                        [v.tag for v in pb.value]])
    return res


def scenario_device_placement_on_a_cpu_only_session(tf):
    def run(build, config=None, feed=None):
        g = tf.Graph()
        with g.as_default():
            fetch = build()

            def go():
                with tf.Session(config=config) as s:
                    if isinstance(fetch, tf.Operation):
                        s.run(fetch)
                        return 0
                    return s.run(fetch, feed)
            return _placement_err(go)

    def gpu_chain():
        a = tf.constant(1.0, name="a")
        with tf.device("/gpu:0"):
            b = tf.add(a, 2.0, name="b")
            return tf.multiply(b, 3.0, name="c")

    def pinned_const(dev):
        def build():
            with tf.device(dev):
                a = tf.constant(1.0, name="a")
            return a + 1
        return build

    def unfetched_gpu_op():
        a = tf.constant(1.0, name="a")
        with tf.device("/gpu:0"):
            tf.multiply(a, 3.0, name="c")
        return a

    def gpu_variable():
        with tf.device("/gpu:0"):
            tf.Variable(1.0, name="v")
        return tf.global_variables_initializer()

    def gpu_placeholder():
        with tf.device("/device:GPU:0"):
            p = tf.placeholder(tf.float32, name="p")
            return tf.identity(p, name="c")

    def cpu_forms():
        outs = []
        for dev in ["/cpu:0", "/device:CPU:0", "/job:localhost/replica:0/task:0/cpu:0", "/cpu:*",
                    "/job:localhost"]:
            with tf.device(dev):
                outs.append(tf.constant(1.0))
        return tf.add_n(outs)

    soft = tf.ConfigProto(allow_soft_placement=True)
    return {
        "gpu_chain": run(gpu_chain),
        "gpu_chain_soft": run(gpu_chain, soft),
        "gpu1": run(pinned_const("/gpu:1")),
        "worker": run(pinned_const("/job:worker/task:0")),
        "cpu1": run(pinned_const("/cpu:1")),
        "ps_soft": run(pinned_const("/job:ps/task:0"), soft),
        "unfetched_gpu_op": run(unfetched_gpu_op),
        "gpu_variable": run(gpu_variable),
        "gpu_placeholder": run(gpu_placeholder, feed={"p:0": 1.0}),
        "cpu_forms": run(cpu_forms),
    }


def scenario_reduce_sum_gradient_of_a_fed_scalar(tf):
    # linear_regression.py: X = tf.placeholder("float"); cost = reduce_sum(pow(X * W + b - Y, 2))
    x = tf.placeholder("float")
    w = tf.Variable(0.5)
    cost = tf.reduce_sum(tf.pow(x * w, 2)) / 4.0
    g = tf.gradients(cost, w)
    step = tf.train.GradientDescentOptimizer(0.1).minimize(cost)
    empty = tf.math.floormod(tf.zeros([0], tf.int32), tf.constant(0))
    out = []
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for feed in (3.0, [1.0, 2.0], [[1.0], [2.0]]):
            out.append(np.round(s.run(g, {x: feed}), 5).tolist())
        for _ in range(3):
            s.run(step, {x: 1.5})
        out.append(round(float(s.run(w)), 5))
        out.append(s.run(empty).tolist())
    return out


def scenario_saver_makes_one_missing_directory_level(tf):
    # golbin's tutorials save to ./model/dnn.ckpt before ./model exists
    import os
    import tempfile

    v = tf.Variable(1.5, name="v")
    saver = tf.train.Saver()
    sharded = tf.train.Saver(sharded=True)
    out = {}
    with tempfile.TemporaryDirectory() as root, tf.Session() as sess:
        sess.run(v.initializer)
        for key, s, rel in (("one_level", saver, "model/dnn.ckpt"),
                            ("two_levels", saver, "a/b/dnn.ckpt"),
                            ("sharded_one_level", sharded, "q/dnn.ckpt")):
            path = os.path.join(root, rel)
            try:
                got = s.save(sess, path)
                out[key] = {"saved": os.path.relpath(got, root),
                            "files": sorted(os.listdir(os.path.dirname(path)))}
            except Exception as e:  # noqa: BLE001 - we record whatever is raised
                out[key] = {"type": type(e).__name__,
                            "msg": str(e).replace(root, "<root>")}
    return out


def scenario_resource_variable_read_beside_its_update(tf):
    # hunkim's lab-03-2 fetches [W.assign(descent), cost, W]: the variable's own read
    # (made with it, so ready first) runs before the update in TF, in every run. Other
    # reads beside an update (a new read_value(), identity, cost, apply_gradients' pairs)
    # race in TF's threaded executor and are not recorded.
    out = {}
    for case in ("assign_list", "assign_rev", "assign_add", "lab_03_2"):
        g = tf.Graph()
        with g.as_default():
            w = tf.Variable(5.0, name="W", use_resource=True)
            if case == "assign_list":
                fetch = [w.assign(w * 2.0 - 1.0), w]
            elif case == "assign_rev":
                fetch = [w, w.assign(w * 2.0 - 1.0)]
            elif case == "assign_add":
                fetch = [tf.assign_add(w, 1.0), w]
            else:
                x = tf.placeholder(tf.float32)
                y = tf.placeholder(tf.float32)
                descent = w - 0.1 * tf.reduce_mean((w * x - y) * x)
                fetch = [w.assign(descent), w]
            with tf.Session() as s:
                s.run(tf.global_variables_initializer())
                if case == "lab_03_2":
                    runs = [s.run(fetch, {x: [1.0, 2.0, 3.0], y: [1.0, 2.0, 3.0]})
                            for _ in range(3)]
                else:
                    runs = [s.run(fetch) for _ in range(2)]
            out[case] = np.round(np.asarray(
                [np.hstack([np.ravel(v) for v in _flat(r) if v is not None]) for r in runs],
                np.float64), 5).tolist()
    return out


def scenario_layer_default_initializer_ops(tf):
    # tf.layers and the RNN cells take Keras' glorot_uniform when neither the call nor the
    # variable scope gives one: TF2 behaviour's stateless v2 class (its seed is drawn from
    # Python's random, so only the graph is recorded); a scope initializer still wins
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    tf.layers.dense(x, 2)
    with tf.variable_scope("scoped", initializer=tf.zeros_initializer()):
        tf.layers.dense(x, 2)
    with tf.variable_scope("ints"):
        tf.layers.Dense(2, dtype=tf.float64)(tf.cast(x, tf.float64))
    cell = tf.nn.rnn_cell.GRUCell(3)
    cell(x, cell.zero_state(4, tf.float32))
    lstm = tf.nn.rnn_cell.BasicLSTMCell(2)
    tf.nn.static_rnn(lstm, [x, x], dtype=tf.float32)
    ops = tf.get_default_graph().get_operations()
    return [[o.name, o.type, [i.name for i in o.inputs]] for o in ops
            if "Initializer" in o.name]


def scenario_ref_variable_fetched_beside_its_update(tf):
    # TF1's ref variables: a fetch of the variable (or what assign returns, or an Identity
    # of it) is its buffer, read when the run ends, after the run's updates
    out = {}
    for case in ("assign_list", "assign_rev", "apply_gd", "assign_add", "read_value",
                 "identity", "train_and_fetch"):
        g = tf.Graph()
        with g.as_default():
            w = tf.Variable(5.0, name="W", use_resource=False)
            if case == "assign_list":
                fetch = [w.assign(w * 2.0 - 1.0), w]
            elif case == "assign_rev":
                fetch = [w, w.assign(w * 2.0 - 1.0)]
            elif case == "apply_gd":
                opt = tf.train.GradientDescentOptimizer(0.1)
                gv = opt.compute_gradients(w * w)
                fetch = [gv, opt.apply_gradients(gv)]
            elif case == "assign_add":
                fetch = [tf.assign_add(w, 1.0), w]
            elif case == "read_value":
                fetch = [w.assign(w * 2.0 - 1.0), w.read_value()]
            elif case == "identity":
                fetch = [w.assign(w * 2.0 - 1.0), tf.identity(w)]
            else:
                loss = tf.square(w - 1.0)
                train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
                fetch = [train, loss, w]
            with tf.Session() as s:
                s.run(tf.global_variables_initializer())
                runs = [s.run(fetch) for _ in range(2)]
            out[case] = np.round(np.asarray(
                [np.hstack([np.ravel(v) for v in _flat(r) if v is not None]) for r in runs],
                np.float64), 5).tolist()
    return out


def scenario_zz_disable_v2_behavior_makes_ref_variables(tf):
    # runs last in the set (the switch is global); the flags are put back after
    tf.disable_v2_behavior()
    try:
        g = tf.Graph()
        with g.as_default():
            v = tf.Variable(1.0, name="a")
            w = tf.get_variable("b", [2])
            x = tf.placeholder(tf.float32, [None, 3])
            tf.layers.dense(x, 2)
            loss = tf.reduce_sum(w) + v
            tf.train.AdamOptimizer(0.1).minimize(loss)
            return {"resource": tf.resource_variables_enabled(),
                    "variables": [[u.name, u.op.type] for u in tf.global_variables()],
                    "ops": sorted({o.type for o in g.get_operations()})}
    finally:
        tf.enable_resource_variables()
        # TF refuses eager mode here once graphs exist (after restoring its flags)
        with contextlib.suppress(Exception):
            tf.enable_v2_behavior()


def scenario_zz_disable_v2_behavior_gives_tf1_shapes(tf):
    # TF1 programs read x.get_shape()[1].value and pass Dimensions on as ints
    tf.disable_v2_behavior()
    try:
        g = tf.Graph()
        with g.as_default():
            x = tf.placeholder(tf.float32, [None, 3], name="x")
            s = x.shape
            out = {"str": str(s), "repr": repr(s), "item": repr(s[1]), "value": s[1].value,
                   "unknown": [repr(s[0]), str(s[0]), s[0].value], "iter": [repr(d) for d in s],
                   "dims": repr(s.dims), "as_list": s.as_list(), "tensor": repr(x),
                   "eq": [s[1] == 3, repr(s[1] + 1)], "variable": None, "ops": {}}

            def t(key, f):
                try:
                    r = f()
                    out["ops"][key] = [repr(r)]
                except Exception as e:  # noqa: BLE001 - we record whatever is raised
                    out["ops"][key] = [type(e).__name__, str(e)]

            t("reshape", lambda: tf.reshape(x, [-1, x.shape[1]]))
            t("zeros", lambda: tf.zeros([x.shape[1]]))
            t("convert", lambda: tf.convert_to_tensor(x.shape[1]))
            t("convert_unknown", lambda: tf.convert_to_tensor(x.shape[0]))
            t("slice", lambda: x[:, :x.shape[1]])
            t("index", lambda: x[:, x.shape[1] - 1])
            t("ones", lambda: tf.ones([2, x.shape[1]]))
            t("random_normal", lambda: tf.random_normal([x.shape[1], 4]))
            t("tile", lambda: tf.tile(x, [1, x.shape[1]]))
            t("fill", lambda: tf.fill([x.shape[1]], 1.0))
            t("split", lambda: tf.split(x, x.shape[1], axis=1))
            t("one_hot", lambda: tf.one_hot([1], x.shape[1]))
            t("range", lambda: tf.range(x.shape[1]))
            t("dense", lambda: tf.layers.dense(x, x.shape[1]))
            t("add", lambda: x + x.shape[1])
            v = tf.get_variable("w", [x.shape[1], 4])
            out["variable"] = repr(v)
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                out["run"] = sess.run(tf.reduce_sum(tf.ones([x.shape[1], 2]))).tolist()
            return out
    finally:
        tf.enable_resource_variables()
        tf.enable_v2_tensorshape()
        with contextlib.suppress(Exception):
            tf.enable_v2_behavior()


def _flat(x):
    if isinstance(x, (list, tuple)):
        return [v for e in x for v in _flat(e)]
    return [x]


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
