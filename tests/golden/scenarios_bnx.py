"""Golden scenarios of BatchNormalization's other modes (TF_USE_LEGACY_KERAS=1): batch
renormalisation (``renorm``, its clipping and momentum, the moving stddev and renorm
variables), ghost batches (``virtual_batch_size``), ``adjustment``, and the fused 5-D path.
For each: the variables, the output's name and static shape, the types UPDATE_OPS holds,
outputs, gradients and every variable's value over training steps fed True / False.

Conventions as ``scenarios_layers.py`` (weights set from fixed arrays after initialisation;
names made inside a cond are not recorded: TF 2.21 builds cond v2).
"""

import numpy as np
from golden_helpers import error as _err
from golden_helpers import fixed as _fixed
from golden_helpers import run_error as _run_err
from golden_helpers import scenarios_of
from golden_helpers import values as _v


def _train(tf, x, y, training, feed_shape, flags, layer_vars=None):
    """Runs the output, its gradients and UPDATE_OPS for each flag; gamma and beta get
    fixed values, the moving statistics keep their initial values."""
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    variables = tf.global_variables() if layer_vars is None else layer_vars
    trainable = [v for v in variables if v in tf.trainable_variables()]
    w = tf.constant(_fixed(y.shape.as_list() if y.shape.is_fully_defined()
                           else feed_shape, 9))
    grads = tf.gradients(tf.reduce_sum(y * w), [x, *trainable])
    res = {"vars": [[v.name, v.shape.as_list()] for v in variables],
           "out": [y.name, y.shape.as_list()],
           "update_types": [type(u).__name__ for u in updates], "steps": []}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for k, v in enumerate(trainable):
            sess.run(v.assign(_fixed(v.shape.as_list(), k) + 1.0))
        for step, flag in enumerate(flags):
            feed = {x: _fixed(feed_shape, step) * (step + 1) + step}
            if training is not None:
                feed[training] = flag
            out, g, _ = sess.run([y, grads, updates], feed)
            res["steps"].append({"out": _v(np.ravel(out)[:12]),
                                 "grads": [_v(np.ravel(a)[:6]) for a in g]})
        res["final"] = [_v(np.ravel(a)) for a in sess.run(variables)]
    return res


def scenario_bn_renorm_clipping_fed_training(tf):
    x = tf.placeholder(tf.float32, [4, 3], name="x")
    t = tf.placeholder(tf.bool, [], name="training")
    y = tf.layers.batch_normalization(
        x, training=t, momentum=0.8, renorm=True, renorm_momentum=0.7,
        renorm_clipping={"rmax": 1.5, "rmin": 0.6, "dmax": 0.4})
    return _train(tf, x, y, t, [4, 3], [True, True, False, True])


def scenario_bn_renorm_4d_training_true_and_keras(tf):
    x = tf.placeholder(tf.float32, [2, 2, 2, 3], name="x")
    y = tf.layers.batch_normalization(x, training=True, renorm=True, momentum=0.5)
    res = _train(tf, x, y, None, [2, 2, 2, 3], [True, True, True])
    layer = tf.keras.layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 2.0},
                                               momentum=0.6, name="kbn")
    y2 = layer(x, training=True)
    res["keras_out"] = [y2.name, y2.shape.as_list(), layer.fused,
                        [v.name for v in layer.weights], len(layer.updates)]
    res["bad_clipping"] = _err(lambda: tf.layers.BatchNormalization(
        renorm=True, renorm_clipping={"rmax": 1.0, "bad": 2.0}))
    return res


def scenario_bn_renorm_training_false(tf):
    x = tf.placeholder(tf.float32, [4, 3], name="x")
    y = tf.layers.batch_normalization(x, training=False, renorm=True)
    return _train(tf, x, y, None, [4, 3], [False, False])


def scenario_bn_ghost_batches_2d_and_4d(tf):
    res = {}
    for name, shape, axis in (("d2", [4, 3], -1), ("nhwc", [4, 2, 2, 3], 3),
                              ("nchw", [4, 3, 2, 2], 1)):
        g = tf.Graph()
        with g.as_default():
            x = tf.placeholder(tf.float32, shape, name="x")
            y = tf.layers.batch_normalization(x, axis=axis, training=True,
                                              virtual_batch_size=2, momentum=0.7)
            res[name] = _train(tf, x, y, None, shape, [True, True])
    return res


def scenario_bn_ghost_batches_fed_training_and_errors(tf):
    x = tf.placeholder(tf.float32, [6, 3], name="x")
    t = tf.placeholder(tf.bool, [], name="training")
    y = tf.layers.batch_normalization(x, training=t, virtual_batch_size=3)
    res = _train(tf, x, y, t, [6, 3], [True, False, True])
    x4 = tf.placeholder(tf.float32, [None, 2, 2, 3], name="x4")
    y4 = tf.layers.batch_normalization(x4, axis=[1, 3], training=True, virtual_batch_size=2)
    res["multi_axis"] = [y4.name, y4.shape.as_list(),
                         [v.shape.as_list() for v in tf.global_variables()[-4:]]]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        out = sess.run(y4, {x4: _fixed([4, 2, 2, 3], 3)})
        res["multi_axis_out"] = _v(out.ravel()[:12])
        res["indivisible"] = _run_err(lambda: sess.run(y4, {x4: _fixed([3, 2, 2, 3], 3)}))
    res["negative"] = _err(lambda: tf.layers.batch_normalization(
        x, virtual_batch_size=-1))
    res["axis0"] = _err(lambda: tf.layers.batch_normalization(
        x, axis=0, virtual_batch_size=2))
    res["with_adjustment"] = _err(lambda: tf.layers.batch_normalization(
        x, virtual_batch_size=2, adjustment=lambda s: (1.0, 0.0)))
    return res


def scenario_bn_adjustment(tf):
    x = tf.placeholder(tf.float32, [4, 3], name="x")
    t = tf.placeholder(tf.bool, [], name="training")

    def adjustment(shape):
        return tf.fill([3], 1.5) + tf.cast(shape[0], tf.float32) * 0.1, tf.fill([3], -0.25)

    y = tf.layers.batch_normalization(x, training=t, adjustment=adjustment)
    return _train(tf, x, y, t, [4, 3], [True, False])


def scenario_bn_renorm_with_adjustment(tf):
    x = tf.placeholder(tf.float32, [4, 3], name="x")
    y = tf.layers.batch_normalization(
        x, training=True, renorm=True, renorm_clipping={"dmax": 0.1},
        adjustment=lambda shape: (tf.fill([3], 0.5), tf.fill([3], 0.3)))
    return _train(tf, x, y, None, [4, 3], [True, True])


def scenario_bn_fused_5d(tf):
    res = {}
    for name, shape, axis in (("ndhwc", [2, 2, 2, 2, 3], -1), ("ncdhw", [2, 3, 2, 2, 2], 1),
                              ("axis2", [2, 2, 3, 2, 2], 2)):
        g = tf.Graph()
        with g.as_default():
            x = tf.placeholder(tf.float32, shape, name="x")
            t = tf.placeholder(tf.bool, [], name="training")
            layer = tf.layers.BatchNormalization(axis=axis, momentum=0.6)
            y = layer(x, training=t)
            res[name] = _train(tf, x, y, t, shape, [True, False])
            res[name]["out"] = res[name]["out"][1]  # (the name is a cond's output)
            res[name]["fused"] = layer.fused
    return res


def scenario_cond_output_and_update_op_names(tf):
    """TF 2.21's cond (cond_v2 in graph mode) ends in one Identity per output: the names of
    tf.cond's results and of BatchNormalization's UPDATE_OPS under a fed ``training``."""
    p = tf.placeholder(tf.bool, [], name="p")
    x = tf.constant(2.0)
    a = tf.cond(p, lambda: x * 2, lambda: x + 1)
    b = tf.cond(p, lambda: (x, x * 3), lambda: (x + 1, x))
    c = tf.cond(p, lambda: tf.cond(p, lambda: x, lambda: x - 1), lambda: x + 5, name="outer")
    d = tf.cond(p, lambda: {"k": x}, lambda: {"k": -x})
    y = tf.layers.batch_normalization(tf.ones([4, 3]), training=p)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = sess.run([a, b, c, d["k"]], {p: False})
    return {"names": [a.name, [t.name for t in b], c.name, d["k"].name, y.name],
            "updates": [u.name for u in tf.get_collection(tf.GraphKeys.UPDATE_OPS)],
            "values": [_v(v) for v in values]}


def all_scenarios():
    return scenarios_of(globals())
