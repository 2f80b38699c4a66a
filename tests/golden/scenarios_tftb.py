"""Golden scenarios found by running TensorFlow's own nn op tests (softmax, cross-entropy,
activations, pooling, convolutions, batch norm, losses, RNN cells) against varstore: op
names, static shapes, values, and the errors TF raises at graph build and at run time.

Same conventions as ``scenarios.py``: ``scenario_<name>(tf)`` returns JSON-able data; TF's
results are recorded by ``record_tf.py --set tftb`` into ``tf1_expected_tftb.json``.
"""

import numpy as np


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 4).tolist()
    return a.tolist()


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e)}
    return {"type": None, "msg": None}


def _run_err(tf, fetch, feed=None):
    """A run-time error: its type and the first line of TF's message (the node line and the
    traceback TF appends differ in form)."""
    try:
        with tf.Session() as sess:
            sess.run(fetch, feed)
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        lines = [ln for ln in str(e).split("\n") if ln.strip()]
        if lines and lines[0].startswith("Graph execution error"):
            lines = [ln for ln in lines if not ln.startswith(("Graph execution", "Detected at",
                                                              "Node:", "  "))]
        return {"type": type(e).__name__, "msg": lines[0] if lines else ""}
    return {"type": None, "msg": None}


def _out(t):
    return [t.name, t.shape.as_list() if t.shape.ndims is not None else None]


# -- softmax over another axis ----------------------------------------------------------------
def scenario_softmax_axis_nodes_and_values(tf):
    x = tf.constant(np.arange(24.0).reshape(2, 3, 4) / 7.0, tf.float32)
    y0 = tf.nn.softmax(x, axis=0, name="sm0")
    y1 = tf.nn.log_softmax(x, axis=-2)
    y2 = tf.nn.softmax(x, axis=tf.placeholder_with_default(1, shape=[]))
    y3 = tf.nn.softmax(x, axis=tf.constant(-3))
    ops = [[o.name, o.type] for o in tf.get_default_graph().get_operations()]
    with tf.Session() as sess:
        vals = sess.run([y0, y1, y2, y3])
    return {"outs": [_out(t) for t in (y0, y1, y2, y3)], "ops": ops,
            "values": [_v(v) for v in vals]}


def scenario_softmax_axis_errors(tf):
    ones = tf.ones([2, 3])
    big = tf.nn.softmax([1.0, 2.0, 3.0, 4.0], axis=tf.placeholder_with_default(100, shape=[]))
    return {"axis2": _err(lambda: tf.nn.softmax(ones, axis=2)),
            "axis_neg3": _err(lambda: tf.nn.log_softmax(ones, axis=-3)),
            "const_axis": _err(lambda: tf.nn.softmax(ones, axis=tf.constant(5))),
            "unknown_rank": _err(lambda: tf.nn.softmax(tf.placeholder(tf.float32), axis=0)),
            "partial": _out(tf.nn.softmax(tf.placeholder(tf.float32, [None, 3]), axis=0)),
            "run_axis100": _run_err(tf, big)}


# -- Range's checks ---------------------------------------------------------------------------
def scenario_range_wrong_direction(tf):
    res = {}
    for key, (a, b, d) in {"up": (1, 0, 1), "down": (0, 3, -1), "zero": (0, 3, 0),
                           "float": (3.0, 1.0, 1.0)}.items():
        res["static_" + key] = _err(lambda a=a, b=b, d=d: tf.range(a, b, d))
        ph = [tf.placeholder_with_default(v, []) for v in (a, b, d)]
        res["run_" + key] = _run_err(tf, tf.range(*ph))
    with tf.Session() as sess:
        res["ok"] = _v(sess.run(tf.range(tf.placeholder_with_default(5, []), 1, -2)))
    return res


# -- Reshape of zero-size tensors -------------------------------------------------------------
def scenario_reshape_zero_size_and_errors(tf):
    res = {}
    cases = [((2, 0), [-1, 0]), ((2, 0, 3), [-1, 0]), ((2, 0, 3), [-1, 3]), ((2, 0), [0, -1]),
             ((2, 0), [3, -1]), ((4, 0), [2, -1, 0]), ((2, 0), [5, -1, 0]), ((2, 3), [-1, -1]),
             ((2, 3), [-1, 4]), ((2, 3), [4, 2]), ((2, 3), [2, -3]), ((2, 3), [-1, 0])]
    for shp, tgt in cases:
        key = f"{shp}->{tgt}"
        try:
            res["static " + key] = _out(tf.reshape(tf.zeros(shp), tgt))
        except Exception as e:  # noqa: BLE001 - we record whatever is raised
            res["static " + key] = {"type": type(e).__name__, "msg": str(e)}
        p = tf.placeholder(tf.float32)
        t = tf.placeholder(tf.int32)
        r = tf.reshape(p, t)
        feed = {p: np.zeros(shp, np.float32), t: tgt}
        err = _run_err(tf, r, feed)
        if err["type"] is None:
            with tf.Session() as sess:
                err = list(sess.run(r, feed).shape)
        res["run " + key] = err
    return res


# -- the softmax cross-entropy ops ------------------------------------------------------------
def scenario_softmax_xent_shapes_and_errors(tf):
    f = np.array([[1.0, 2.0, 3.0, 4.0]], np.float32)
    lab = np.array([[0.0, 0.0, 0.0, 1.0], [0.0, 0.5, 0.5, 0.0]], np.float32)
    z3 = np.zeros((2, 3, 4), np.float32)
    xent = tf.nn.softmax_cross_entropy_with_logits_v2
    res = {
        "bcast_features": _err(lambda: xent(labels=lab, logits=f)),
        "classes_differ": _err(lambda: xent(labels=np.zeros((2, 3), np.float32),
                                            logits=np.zeros((2, 4), np.float32))),
        "batch_differ": _err(lambda: xent(labels=np.zeros((3, 4), np.float32),
                                          logits=np.zeros((2, 4), np.float32))),
    }
    loss3 = xent(labels=z3, logits=z3, axis=1)
    zero = tf.constant(np.zeros((2, 0), np.float32))
    loss0 = xent(labels=zero, logits=zero)
    lab_p, log_p = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
    dyn = xent(labels=lab_p, logits=log_p)
    with tf.Session() as sess:
        v3, v0, vb = sess.run([loss3, loss0, xent(labels=lab[:1], logits=np.tile(f, (2, 1)))])
        res["dyn_empty_classes"] = _v(sess.run(dyn, {lab_p: np.zeros((2, 0)),
                                                     log_p: np.zeros((2, 0))}))
    res["loss3"] = [_out(loss3), _v(v3), np.signbit(v3).tolist()]
    res["zero_classes"] = [_out(loss0), _v(v0)]
    res["bcast_labels"] = _v(vb)
    res["run_batch_differ"] = _run_err(tf, dyn, {lab_p: np.zeros((3, 4)),
                                                 log_p: np.zeros((2, 4))})
    return res


def scenario_sparse_xent_run_errors(tf):
    lab = tf.placeholder(tf.int32)
    logits = tf.placeholder(tf.float32)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=lab, logits=logits)
    return {"out_of_range": _run_err(tf, loss, {lab: [0, 7, 1], logits: np.zeros((3, 4))}),
            "no_classes": _run_err(tf, loss, {lab: [0, 0, 0], logits: np.zeros((3, 0))}),
            "empty_batch": _run_err(tf, loss, {lab: np.zeros(0), logits: np.zeros((0, 4))})}



# -- activations: second-order gradients, callable losses ------------------------------------
def scenario_activation_second_order_gradients(tf):
    x = tf.constant([[-0.9, -0.3, 0.2], [0.5, 6.5, 3.0]], tf.float64)
    res = {}
    fetch = {}
    for key, f in [("selu", tf.nn.selu), ("relu6", tf.nn.relu6), ("elu", tf.nn.elu),
                   ("softplus", tf.nn.softplus), ("leaky", tf.nn.leaky_relu)]:
        y = f(x)
        g = tf.gradients(y * y, x)[0]
        gg = tf.gradients(g * g, x)[0]
        res[key] = [_out(g), _out(gg)]
        fetch[key] = (g, gg)
    with tf.Session() as sess:
        vals = sess.run(fetch)
    res["values"] = {k: [_v(a), _v(b)] for k, (a, b) in vals.items()}
    return res


def scenario_optimizer_callable_loss(tf):
    x = tf.Variable(100.0, name="x")
    y = tf.Variable(-100.0, name="y")
    opt = tf.train.GradientDescentOptimizer(0.25)
    gv = opt.compute_gradients(lambda: tf.nn.relu(x) ** 2)
    only_y = opt.compute_gradients(lambda: x * 2.0, var_list=[y])
    step = opt.minimize(lambda: tf.nn.relu(x) ** 2 + tf.nn.leaky_relu(y, 0.05) ** 2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(step)
        after = sess.run([x, y])
    return {"gv": [[g.name, v.name] for g, v in gv],
            "only_y": [[g, v.name] for g, v in only_y],
            "step": [step.name, step.type], "after": _v(after)}



# -- pooling ----------------------------------------------------------------------------------
def _ramp(shape):
    n = int(np.prod(shape))
    return np.array([((f + 128) % 255) - 127 for f in range(n)], np.float32).reshape(shape)


def scenario_max_pool_depthwise_and_run_errors(tf):
    x = tf.constant(np.arange(2 * 4 * 4 * 4, dtype=np.float32).reshape(2, 4, 4, 4))
    depth = tf.nn.max_pool(x, ksize=[1, 1, 1, 2], strides=[1, 1, 1, 2], padding="VALID")
    depth_same = tf.nn.max_pool(x, ksize=[1, 1, 1, 2], strides=[1, 1, 1, 2], padding="SAME")
    res = {"outs": [_out(depth), _out(depth_same)]}
    with tf.Session() as sess:
        res["values"] = _v(sess.run([depth, depth_same]))
    bad = {"batch_ksize": tf.nn.max_pool(x, [2, 2, 2, 1], [1, 1, 1, 1], "VALID"),
           "batch_stride": tf.nn.avg_pool(x, [1, 2, 2, 1], [2, 1, 1, 1], "VALID"),
           "depth_and_space": tf.nn.max_pool(x, [1, 2, 1, 2], [1, 1, 1, 2], "VALID"),
           "depth_uneven": tf.nn.max_pool(x, [1, 1, 1, 3], [1, 1, 1, 3], "VALID"),
           "depth_stride": tf.nn.max_pool(x, [1, 1, 1, 2], [1, 1, 1, 1], "VALID"),
           "depth_grad": tf.gradients(tf.reduce_sum(depth), x)[0]}
    for key, t in bad.items():
        res[key] = [_out(t), _run_err(tf, t)]
    res["empty_depth"] = _err(lambda: tf.nn.max_pool(tf.zeros([1, 3, 3, 0]), 2, 2, "VALID"))
    res["avg_empty_depth"] = _out(tf.nn.avg_pool(tf.zeros([1, 3, 3, 0]), 2, 2, "VALID"))
    res["unknown_rank"] = _out(tf.nn.max_pool(tf.placeholder(tf.float32), 3, 2, "SAME"))
    res["avg_int"] = _err(lambda: tf.nn.avg_pool(tf.zeros([1, 4, 4, 1], tf.int32), 2, 2,
                                                 "VALID"))
    return res


def scenario_nn_pool_dilated_and_1d(tf):
    x2 = tf.constant(_ramp([2, 7, 6, 2]))
    x1 = tf.constant(_ramp([2, 9, 3]))
    x3 = tf.constant(_ramp([1, 5, 5, 5, 2]))
    outs = [tf.nn.pool(x2, [2, 2], "MAX", "VALID", dilation_rate=[2, 2]),
            tf.nn.pool(x2, [3, 2], "AVG", "VALID", dilation_rate=[1, 2]),
            tf.nn.pool(x1, [2], "MAX", "VALID", dilation_rate=[2]),
            tf.nn.pool(x1, [3], "AVG", "SAME", strides=[2]),
            tf.nn.pool(x3, [2, 2, 2], "AVG", "VALID", dilation_rate=[2, 1, 2])]
    ops = [[o.name, o.type] for o in tf.get_default_graph().get_operations()]
    with tf.Session() as sess:
        vals = sess.run(outs)
    x = tf.ones([2, 6, 6, 2])
    errs = {}
    for key, kw in {"min": dict(window_shape=[2, 2], pooling_type="MIN", padding="SAME"),
                    "same_dilated": dict(window_shape=[2, 2], pooling_type="MAX",
                                         padding="SAME", dilation_rate=[2, 1]),
                    "strides_dilated": dict(window_shape=[2, 2], pooling_type="MAX",
                                            padding="VALID", strides=[2, 2],
                                            dilation_rate=[2, 2]),
                    "rank": dict(window_shape=[2], pooling_type="MAX", padding="SAME"),
                    "strides_gt_window": dict(window_shape=[2, 2], pooling_type="MAX",
                                              padding="VALID", strides=[3, 1]),
                    "four_d": dict(window_shape=[2, 2, 2, 2], pooling_type="MAX",
                                   padding="VALID")}.items():
        errs[key] = _err(lambda kw=kw: tf.nn.pool(x, **kw))
    return {"outs": [_out(t) for t in outs], "ops": ops, "values": [_v(v) for v in vals],
            "errors": errs}


def scenario_tensor_iteration_and_bool_refused(tf):
    t = tf.constant([1, 2, 3])
    return {"list": _err(lambda: list(t)), "unpack": _err(lambda: [a for a in t]),
            "bool": _err(lambda: bool(tf.constant(True))),
            "if": _err(lambda: 1 if t[0] > 0 else 0),
            "var": _err(lambda: list(tf.Variable([1, 2]).value())),
            "max_pool_tensor_ksize": _err(lambda: tf.nn.max_pool(
                tf.ones([1, 4, 4, 1]), ksize=tf.placeholder(tf.int32, [4]), strides=1,
                padding="VALID"))}



# -- convolutions -----------------------------------------------------------------------------
def scenario_conv2d_depth_checks(tf):
    x = tf.placeholder(tf.float32)
    f = tf.placeholder(tf.float32)
    y = tf.nn.conv2d(x, f, 1, "VALID")
    grouped = tf.nn.conv2d(tf.constant(_ramp([1, 4, 4, 4]) / 100.0),
                           tf.constant(_ramp([2, 2, 2, 4]) / 10.0), 1, "VALID")
    with tf.Session() as sess:
        g = sess.run(grouped)
    return {"run_depth": _run_err(tf, y, {x: np.ones([1, 4, 4, 3]), f: np.ones([2, 2, 2, 4])}),
            "static_depth": _err(lambda: tf.nn.conv2d(tf.ones([1, 4, 4, 3]),
                                                      tf.ones([2, 2, 2, 4]), 1, "VALID")),
            "grouped": [_out(grouped), _v(g)],
            "transpose_in_depth": _err(lambda: tf.nn.conv2d_transpose(
                tf.ones([2, 3, 3, 5]), tf.ones([3, 3, 2, 4]), [2, 6, 6, 2], [1, 2, 2, 1],
                "SAME")),
            "transpose_out_depth": _err(lambda: tf.nn.conv2d_transpose(
                tf.ones([2, 3, 3, 4]), tf.ones([3, 3, 2, 4]), [2, 6, 6, 3], [1, 2, 2, 1],
                "SAME"))}



# -- batch normalisation ----------------------------------------------------------------------
def _bn_inputs(tf, shape, channels):
    x = tf.constant(_ramp(shape) / 50.0)
    sc = tf.constant(np.linspace(0.5, 1.5, channels, dtype=np.float32))
    of = tf.constant(np.linspace(-0.2, 0.3, channels, dtype=np.float32))
    return x, sc, of


def scenario_fused_batch_norm_second_order(tf):
    res = {}
    for key, shape, fmt, training in [("nhwc_train", [2, 3, 3, 4], "NHWC", True),
                                      ("nchw_train", [2, 4, 3, 3], "NCHW", True),
                                      ("nhwc_infer", [2, 3, 3, 4], "NHWC", False)]:
        x, sc, of = _bn_inputs(tf, shape, 4)
        kw = {} if training else {"mean": tf.constant([0.1, -0.1, 0.2, 0.0]),
                                  "variance": tf.constant([0.5, 1.0, 1.5, 2.0])}
        y, _, _ = tf.nn.fused_batch_norm(x, sc, of, is_training=training, data_format=fmt,
                                         **kw)
        gx, gs = tf.gradients(tf.reduce_sum(y ** 3), [x, sc])
        gg = tf.gradients(tf.reduce_sum(gx ** 2) + tf.reduce_sum(gs ** 2), [x, sc, of])
        got = [g for g in gg if g is not None]
        with tf.Session() as sess:
            vals = sess.run(got)
        res[key] = [[g is None for g in gg], [_out(g) for g in got], [_v(v) for v in vals]]
    return res


def scenario_fused_batch_norm_shapes_and_errors(tf):
    x5, sc, of = _bn_inputs(tf, [2, 2, 3, 3, 4], 4)
    y5 = tf.nn.fused_batch_norm(x5, sc, of, is_training=True, data_format="NDHWC")
    with tf.Session() as sess:
        v5 = sess.run(list(y5))
    res = {"5d": [[_out(t) for t in y5], [_v(v) for v in v5]],
           "outputs": [_out(t) for t in y5[0].op.outputs],
           "unknown_rank": [_out(t) for t in tf.nn.fused_batch_norm(
               tf.placeholder(tf.float32), tf.ones([4]), tf.ones([4]))],
           "bad_scale": _err(lambda: tf.nn.fused_batch_norm(
               tf.ones([2, 3, 3, 4]), tf.ones([3]), tf.ones([4]), is_training=True)),
           "rank3": _err(lambda: tf.nn.fused_batch_norm(
               tf.ones([2, 3, 4]), tf.ones([4]), tf.ones([4]), is_training=True)),
           "scale_rank2": _err(lambda: tf.nn.fused_batch_norm(
               tf.ones([2, 3, 3, 4]), tf.ones([1, 4]), tf.ones([4]), is_training=True))}
    x = tf.placeholder(tf.float32)
    scp = tf.placeholder(tf.float32)
    y = tf.nn.fused_batch_norm(x, scp, tf.ones([4]), is_training=True)
    res["run_scale"] = _run_err(tf, y, {x: np.ones([2, 3, 3, 4]), scp: np.ones([3])})
    res["run_rank3"] = _run_err(tf, y, {x: np.ones([3, 3, 4]), scp: np.ones([4])})
    res["dropout_both"] = _err(lambda: tf.nn.dropout(tf.ones([2]), keep_prob=0.5, rate=0.5))
    return res



# -- losses -----------------------------------------------------------------------------------
def scenario_loss_weights_broadcast_errors(tf):
    labels = tf.constant(_ramp([3, 4]) / 100.0)
    preds = tf.constant(_ramp([3, 4]) / 90.0)
    return {"rank": _err(lambda: tf.losses.mean_squared_error(labels, preds,
                                                              weights=tf.ones([2]))),
            "rank3": _err(lambda: tf.losses.absolute_difference(labels, preds,
                                                                weights=tf.ones([3, 4, 1]))),
            "dim1": _err(lambda: tf.losses.mean_squared_error(labels, preds,
                                                              weights=tf.ones([3, 2]))),
            "dim0": _err(lambda: tf.losses.huber_loss(labels, preds, weights=tf.ones([4, 4]))),
            "partial_ok": _out(tf.losses.mean_squared_error(
                labels, preds, weights=tf.placeholder(tf.float32, [None, 1])))}



# -- gather / embedding_lookup ----------------------------------------------------------------
def scenario_gather_index_types(tf):
    p = tf.ones([3, 2])
    return {"float_ids": _err(lambda: tf.gather(p, [1.0])),
            "float_tensor": _err(lambda: tf.gather(p, tf.constant([1.0]))),
            "bool_ids": _err(lambda: tf.gather(p, [True])),
            "uint8_ids": _err(lambda: tf.gather(p, tf.constant([1], tf.uint8))),
            "float_axis": _err(lambda: tf.gather(p, [1], axis=0.0)),
            "int16_ids": _out(tf.gather(p, tf.constant([1], tf.int16))),
            "empty_ids": _err(lambda: tf.gather(p, [])),
            "int64_big": [_out(tf.gather(p, 2**40)), tf.gather(p, 2**40).op.get_attr("Tindices").name],
            "embedding_float": _err(lambda: tf.nn.embedding_lookup(p, [1.0])),
            "variable_float": _err(lambda: tf.gather(tf.Variable(tf.ones([3, 2])), [1.0]))}



# -- RNN cells --------------------------------------------------------------------------------
def scenario_rnn_cell_errors(tf):
    rc = tf.nn.rnn_cell
    return {"no_dtype": _err(lambda: tf.nn.dynamic_rnn(rc.GRUCell(3), tf.ones([2, 5, 4]))),
            "static_no_dtype": _err(lambda: tf.nn.static_rnn(rc.GRUCell(3), [tf.ones([2, 4])])),
            "tuple_state_as_tensor": _err(lambda: rc.BasicLSTMCell(3)(tf.ones([2, 4]),
                                                                      tf.ones([2, 6]))),
            "multi_empty": _err(lambda: rc.MultiRNNCell([])),
            "keep_prob": _err(lambda: rc.DropoutWrapper(rc.GRUCell(3), input_keep_prob=1.5))}



# -- cross-entropy signatures, gradients at zero ----------------------------------------------
def scenario_xent_positional_and_dtype_errors(tf):
    lab = tf.constant([[0.0, 1.0], [1.0, 0.0]])
    logits = tf.constant([[0.5, -1.0], [2.0, 0.1]])
    pos = [tf.nn.sigmoid_cross_entropy_with_logits(lab, logits),
           tf.nn.softmax_cross_entropy_with_logits(lab, logits),
           tf.nn.sparse_softmax_cross_entropy_with_logits([1, 0], logits)]
    with tf.Session() as sess:
        vals = sess.run(pos)
    return {"positional": [[_out(t) for t in pos], [_v(v) for v in vals]],
            "dtype": _err(lambda: tf.nn.sigmoid_cross_entropy_with_logits(
                labels=tf.ones([2], tf.float64), logits=tf.ones([2]))),
            "missing": _err(lambda: tf.nn.sigmoid_cross_entropy_with_logits(labels=lab)),
            "missing_sparse": _err(lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(
                logits=logits))}


def scenario_activation_gradients_at_kinks(tf):
    x = tf.constant([-1.0, 0.0, 1.0, 6.0, 7.0])
    ys = [f(x) for f in (tf.nn.relu, tf.nn.relu6, tf.nn.leaky_relu, tf.nn.elu, tf.nn.selu,
                         tf.nn.softplus, tf.nn.softsign)]
    gs = [tf.gradients(tf.reduce_sum(y), x)[0] for y in ys]
    logits = tf.constant(_ramp([5, 2, 4]) / 50.0)
    labels = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([1, 2, 1]), [2, 2])
    ctc = tf.nn.ctc_loss(labels, logits, [5, 4])
    gc = tf.gradients(tf.reduce_sum(ctc), logits)[0]
    with tf.Session() as sess:
        vals = sess.run(gs + [gc])
    return {"grads": [_out(g) for g in gs + [gc]], "values": [_v(v) for v in vals]}



def scenario_elu_selu_small_negatives_and_sigmoid_types(tf):
    v = np.array([-100.0, -1.0, -1e-3, -1e-8, -0.0, 0.0, 1e-8, 2.0])
    res = {}
    fetch = {}
    for dt in (np.float16, np.float32, np.float64):
        x = tf.constant(v.astype(dt))
        for key, f in (("elu", tf.nn.elu), ("selu", tf.nn.selu)):
            y = f(x)
            fetch[f"{key}_{dt.__name__}"] = (y, tf.gradients(tf.reduce_sum(y), x)[0])
    with tf.Session() as sess:
        vals = sess.run(fetch)
    for k, (y, g) in vals.items():
        # exact values: TF's exp(x) - 1 makes elu(-1e-8) exactly 0 in float32
        res[k] = [np.asarray(y, np.float64).tolist(), np.signbit(y).tolist(),
                  np.asarray(g, np.float64).tolist()]
    res["sigmoid_int"] = _err(lambda: tf.sigmoid(tf.constant([1, 2])))
    res["tanh_int"] = _err(lambda: tf.tanh(tf.constant([1, 2])))
    return res



# -- dilated convolutions: TF's space-to-batch composite --------------------------------------
def scenario_dilated_convolution_graphs(tf):
    x = tf.constant(_ramp([2, 7, 7, 3]) / 100.0)
    f = tf.constant(_ramp([3, 3, 3, 2]) / 50.0)
    p = tf.placeholder(tf.float32, [None, None, None, 3])
    ys = [tf.nn.convolution(x, f, "VALID", dilation_rate=[2, 2]),
          tf.nn.convolution(x, f, "SAME", dilation_rate=[2, 3]),
          tf.nn.atrous_conv2d(x, f, 2, "SAME"),
          tf.nn.convolution(p, f, "SAME", dilation_rate=[2, 2]),
          tf.layers.conv2d(x, 4, 3, dilation_rate=2, padding="same"),
          tf.keras.layers.Conv2D(2, 3, dilation_rate=(2, 1))(x)]
    g = tf.gradients(tf.reduce_sum(ys[1]) + tf.reduce_sum(ys[4]), [x, f])
    ops = [[o.name, o.type] for o in tf.get_default_graph().get_operations()
           if not o.name.endswith(("Initializer", "Assign")) and "/Initializer/" not in o.name]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for k, v in enumerate(tf.global_variables()):
            sess.run(v.assign(_ramp(v.shape.as_list()) / (40.0 + k)))
        vals = sess.run(ys + g, {p: np.ones((1, 9, 8, 3), np.float32)})
    return {"outs": [_out(t) for t in ys + g], "ops": ops, "values": [_v(v) for v in vals]}


def all_scenarios():
    """{name: function} for every scenario, in definition order."""
    return {
        k[len("scenario_"):]: v
        for k, v in globals().items()
        if k.startswith("scenario_") and callable(v)
    }
