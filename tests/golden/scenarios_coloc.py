"""Golden scenarios of colocation (the ``_class`` attr, ``colocation_groups()``): what
``colocate_with`` blocks give the ops made inside (nested, ignore_existing, a variable or a
tensor as the target) and where TF's own variables colocate their ops (ref and resource,
from a value or an initializer function, inside a colocate_with block, a caching_device);
and import_graph_def renaming the groups with its prefix.

Conventions as ``scenarios.py``; recorded by ``record_tf.py --set coloc``.
"""

from golden_helpers import scenarios_of


def _classes(graph):
    return {n.name: [s.decode() for s in n.attr["_class"].list.s]
            for n in graph.as_graph_def().node if "_class" in n.attr}


def scenario_colocate_with_blocks(tf):
    v = tf.Variable(1.0, name="v", use_resource=False)
    r = tf.Variable(2.0, name="r")
    with tf.colocate_with(v):
        c = tf.identity(v, name="c")
        with tf.colocate_with(r):
            d = tf.identity(c, name="d")
        with tf.colocate_with(tf.constant(1.0, name="k"), ignore_existing=True):
            e = tf.identity(c, name="e")
    with tf.colocate_with(c):  # a tensor stands for its op, which is colocated with v
        f = tf.add(c, 1.0, name="f")
    with tf.colocate_with(None, ignore_existing=True):
        h = tf.identity(c, name="h")
    groups = {t.op.name: [g.decode() for g in t.op.colocation_groups()]
              for t in (c, d, e, f, h)}
    return {"classes": _classes(tf.get_default_graph()), "groups": groups,
            "attr": [s.decode() for s in c.op.get_attr("_class")]}


def scenario_variables_colocate_their_ops(tf):
    x = tf.constant(1.0, name="x")
    tf.get_variable("w", [2], use_resource=False)
    tf.Variable(2.0, name="q", use_resource=False)
    with tf.colocate_with(x):
        tf.Variable(1.0, name="r")
        tf.get_variable("g", [2])
        tf.get_variable("rv", [2], use_resource=False)
        tf.Variable(2.0, name="qq", use_resource=False)
    tf.get_variable("gg", [2], caching_device="/cpu:0")
    tf.Variable(tf.zeros([3]), name="t")
    graph = tf.get_default_graph()
    return {"classes": _classes(graph),
            "plain": sorted(n.name for n in graph.as_graph_def().node
                            if "_class" not in n.attr)}


def scenario_import_renames_groups(tf):
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(1.0, name="v", use_resource=False)
        with tf.colocate_with(v):
            tf.identity(v, name="c")
    out = {}
    for prefix in ("imp", ""):
        h = tf.Graph()
        with h.as_default():
            tf.import_graph_def(g.as_graph_def(), name=prefix)
            out[prefix or "none"] = _classes(h)
    return out


def scenario_gradients_colocate(tf):
    # the sums of contributions go with the first one, each gated output with its gradient,
    # and with colocate_gradients_with_ops every op's gradient ops with the op
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.get_variable("w", [3, 2], initializer=tf.ones_initializer())
    y = tf.matmul(x, w)
    z = tf.reduce_sum(tf.square(y) + y * w[0, 0])
    tf.gradients(z, [w, x])
    tf.gradients(z, [w], gate_gradients=True, name="gated")
    tf.gradients(z, [w], colocate_gradients_with_ops=True, name="coloc")
    return {k: v for k, v in _classes(tf.get_default_graph()).items() if "grad" in k}


def _optimizer_graph(tf, make):
    v = tf.Variable([1.0, 2.0], name="v", use_resource=False)
    r = tf.Variable([2.0, 1.0], name="r")
    emb = tf.get_variable("emb", [5, 2], use_resource=False)
    loss = (tf.reduce_sum(v * v) + tf.reduce_sum(r * r)
            + tf.reduce_sum(tf.gather(emb, [1, 3])))
    step = tf.train.get_or_create_global_step()
    make().minimize(loss, global_step=step)
    tf.train.Saver()
    return _classes(tf.get_default_graph())


def scenario_optimizers_colocate(tf):
    # slots, accumulators and update ops with their variables, the step's increment with
    # the step, assigns and scatters with their ref variables (sparse updates from a gather)
    out = {}
    for name, make in (("adam", lambda: tf.train.AdamOptimizer(0.1)),
                       ("momentum", lambda: tf.train.MomentumOptimizer(0.1, 0.9)),
                       ("rmsprop", lambda: tf.train.RMSPropOptimizer(0.1)),
                       ("adagrad", lambda: tf.train.AdagradOptimizer(0.1))):
        with tf.Graph().as_default():
            out[name] = _optimizer_graph(tf, make)
    return out


def scenario_state_ops_colocate(tf):
    v = tf.Variable([1.0], name="v", use_resource=False)
    r = tf.Variable([2.0], name="r")
    tf.assign(v, [3.0], name="asg")
    tf.assign_add(v, [1.0], name="asga")
    tf.scatter_update(v, [0], [5.0], name="scu")
    r.assign([4.0], name="rasg")
    tf.train.ExponentialMovingAverage(0.9).apply([r])
    return {k: c for k, c in _classes(tf.get_default_graph()).items()
            if not k.startswith(("v/", "r/"))}


def scenario_keras_fit_colocates(tf):
    # a graph-mode fit: its slots and updates beside the variables, the loss gradient's
    # shape arithmetic beside its shape
    import numpy as np

    K = tf.keras
    m = K.Sequential([K.layers.Dense(3, input_shape=(2,), name="d"),
                      K.layers.BatchNormalization(name="bn")])
    m.compile(K.optimizers.Adam(0.01), "mse")
    m.fit(np.ones((4, 2), np.float32), np.ones((4, 3), np.float32), verbose=0, epochs=1)
    return _classes(tf.get_default_graph())


def all_scenarios():
    return scenarios_of(globals())
