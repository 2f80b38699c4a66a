"""Golden scenarios of ``tf.layers`` (TF_USE_LEGACY_KERAS=1): layer and scope names,
variables and collections, output names and static shapes (None dims included), values for
fixed inputs, BatchNormalization's UPDATE_OPS and moving statistics, error types and
messages, and a small generator trained with Adam. Every weight is set from fixed NumPy
arrays after initialisation (varstore's random streams differ from TF's).

Same conventions as ``scenarios.py``: ``scenario_<name>(tf)`` returns JSON-able data; TF's
results are recorded by ``record_tf.py --set layers`` into ``tf1_expected_layers.json``.
Names made inside a cond are never recorded (TF 2.21 builds cond v2).
"""

import numpy as np


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 4).tolist()
    return a.tolist()


def _fixed(shape, k):
    n = int(np.prod(shape)) if shape else 1
    return (0.5 * np.sin(np.arange(n) * 0.37 + k)).reshape(shape).astype(np.float32)


def _set_weights(tf, sess, skip_moving=True, var_list=None):
    """Every global variable (or each of ``var_list``) gets a fixed value from its position
    (the moving statistics keep their initial zeros/ones unless ``skip_moving`` is False)."""
    sess.run(tf.global_variables_initializer())
    for k, v in enumerate(tf.global_variables() if var_list is None else var_list):
        if skip_moving and "moving_" in v.name:
            continue
        value = _fixed(v.shape.as_list(), k)
        if "moving_variance" in v.name:
            value = np.abs(value) + 0.5  # a variance is positive
        sess.run(v.assign(value))


def _vars(tf, key=None):
    vs = tf.global_variables() if key is None else tf.get_collection(key)
    return [[v.name, v.shape.as_list()] for v in vs]


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e)}
    return {"type": None, "msg": None}


def _out(t):
    return [t.name, t.shape.as_list() if t.shape.ndims is not None else None]


# -- the Layer protocol -------------------------------------------------------------------------
def scenario_dense_class_names_and_reuse(tf):
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    d1 = tf.layers.Dense(3)
    d2 = tf.layers.Dense(3, activation=tf.nn.relu)
    names = [d1.name, d2.name]
    scope_err = _err(lambda: d1.scope_name)
    y1 = d1(x)
    y2 = d2(x)
    y3 = d1(x)  # the GAN pattern: the same instance twice shares its variables
    y4 = d1.apply(x)
    res = {
        "names": names, "scope_err": scope_err,
        "scopes": [d1.scope_name, d2.scope_name],
        "outs": [_out(y) for y in (y1, y2, y3, y4)],
        "trainable": [v.name for v in d1.trainable_variables],
        "variables": [v.name for v in d1.variables],
        "weights": [v.name for v in d2.weights],
        "non_trainable": [v.name for v in d2.non_trainable_weights],
        "built": [d1.built, tf.layers.Dense(2).built],
        "vars": _vars(tf),
    }
    with tf.Session() as sess:
        _set_weights(tf, sess)
        feed = {x: _fixed([2, 5], 7)}
        a, b, c = sess.run([y1, y2, y3], feed)
    res["values"] = [_v(a), _v(b), bool(np.allclose(a, c))]
    return res


def scenario_dense_functional_names_reuse(tf):
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    outs = [tf.layers.dense(x, 3), tf.layers.dense(x, 3), tf.layers.dense(x, 2, name="d"),
            tf.layers.dense(x, 2, name="d", reuse=True)]
    with tf.variable_scope("gen"):
        outs.append(tf.layers.dense(x, 2, name="h"))
    with tf.variable_scope("gen", reuse=True):
        outs.append(tf.layers.dense(x, 2, name="h"))
    with tf.variable_scope("auto", reuse=tf.AUTO_REUSE):
        outs.append(tf.layers.dense(x, 2, name="h", use_bias=False))
        outs.append(tf.layers.dense(x, 2, name="h", use_bias=False))
    x3 = tf.placeholder(tf.float32, [None, 2, 4], name="x3")
    outs.append(tf.layers.dense(x3, 3, activation=tf.nn.tanh))
    res = {"outs": [_out(t) for t in outs], "vars": _vars(tf),
           "trainable": _vars(tf, tf.GraphKeys.TRAINABLE_VARIABLES)}
    with tf.Session() as sess:
        _set_weights(tf, sess)
        r = sess.run(outs, {x: _fixed([2, 4], 3), x3: _fixed([2, 2, 4], 4)})
    res["values"] = [_v(a) for a in r]
    return res


def scenario_dense_not_trainable_and_initializers(tf):
    x = tf.constant(_fixed([2, 3], 1))
    y = tf.layers.dense(x, 2, kernel_initializer=tf.constant_initializer(0.5),
                        bias_initializer=tf.constant_initializer(0.25), trainable=False)
    layer = tf.layers.Dense(2, kernel_initializer=tf.ones_initializer(), trainable=False)
    z = layer(x)
    res = {"vars": _vars(tf), "trainable": _vars(tf, tf.GraphKeys.TRAINABLE_VARIABLES),
           "layer_trainable": [v.name for v in layer.trainable_weights],
           "layer_non_trainable": [v.name for v in layer.non_trainable_weights]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        res["values"] = [_v(sess.run(y)), _v(sess.run(z))]
    return res


def scenario_regularizers_and_losses(tf):
    x = tf.constant(_fixed([2, 3], 2))
    y = tf.layers.dense(x, 2, kernel_regularizer=tf.nn.l2_loss,
                        bias_regularizer=lambda b: tf.reduce_sum(tf.abs(b)),
                        kernel_initializer=tf.constant_initializer(0.5),
                        bias_initializer=tf.constant_initializer(-1.0))
    z = tf.layers.dense(y, 2, activity_regularizer=lambda t: tf.reduce_sum(tf.square(t)),
                        kernel_initializer=tf.ones_initializer())
    w = tf.layers.dense(x, 2, name="again", kernel_regularizer=tf.nn.l2_loss,
                        kernel_initializer=tf.ones_initializer())
    w2 = tf.layers.dense(x, 2, name="again", reuse=True, kernel_regularizer=tf.nn.l2_loss)
    c = tf.layers.conv2d(tf.constant(_fixed([1, 3, 3, 1], 5)), 2, 2,
                         kernel_regularizer=tf.nn.l2_loss,
                         kernel_initializer=tf.constant_initializer(0.1),
                         kernel_constraint=lambda k: tf.clip_by_value(k, -1.0, 1.0))
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    res = {"losses": [t.name for t in losses], "outs": [_out(t) for t in (z, w, w2, c)]}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        res["values"] = [_v(v) for v in sess.run(losses)]
    return res


# -- convolution and pooling --------------------------------------------------------------------
def scenario_conv2d_transpose_shapes_and_values(tf):
    xn = tf.placeholder(tf.float32, [None, 4, 4, 3], name="xn")
    xs = tf.placeholder(tf.float32, [2, 3, 5, 2], name="xs")
    outs = [
        tf.layers.conv2d_transpose(xn, 5, 3, strides=2, padding="same"),
        tf.layers.conv2d_transpose(xn, 2, (3, 2), strides=(2, 3), padding="valid"),
        tf.layers.conv2d_transpose(xs, 4, 2, strides=1, padding="valid", use_bias=False),
        tf.layers.conv2d_transpose(xs, 3, 3, strides=(1, 2), padding="same",
                                   activation=tf.nn.relu, name="up"),
        tf.layers.conv2d_transpose(xs, 1, 1),
    ]
    layer = tf.layers.Conv2DTranspose(2, 2, strides=2)
    outs.append(layer(xn))
    res = {"outs": [_out(t) for t in outs], "vars": _vars(tf)}
    with tf.Session() as sess:
        _set_weights(tf, sess)
        r = sess.run(outs, {xn: _fixed([1, 4, 4, 3], 1), xs: _fixed([2, 3, 5, 2], 2)})
    res["values"] = [_v(a.ravel()[:12]) for a in r]
    res["sums"] = [round(float(a.sum()), 3) for a in r]
    return res


def scenario_conv2d_layers_and_pooling(tf):
    x = tf.placeholder(tf.float32, [None, 6, 6, 2], name="x")
    c = tf.layers.Conv2D(3, 3, padding="same", activation=tf.nn.relu)
    h = c(x)
    h2 = c(x)
    outs = [
        h, h2,
        tf.layers.max_pooling2d(h, 2, 2),
        tf.layers.max_pooling2d(h, 3, 2, padding="same"),
        tf.layers.average_pooling2d(h, 2, 2),
        tf.layers.average_pooling2d(h, 3, 1, padding="same"),
        tf.layers.MaxPooling2D((2, 3), (1, 2), name="mp")(h),
        tf.layers.AveragePooling2D(2, 1)(h),
        tf.layers.flatten(h),
        tf.layers.Flatten()(tf.layers.max_pooling2d(h, 2, 2)),
        tf.layers.flatten(tf.placeholder(tf.float32, [None, None, 3])),
        tf.layers.flatten(tf.placeholder(tf.float32, [4, None, 3])),
        tf.layers.flatten(tf.constant([1.0, 2.0, 3.0])),
        tf.layers.conv2d(x, 2, 2, strides=2, name="strided"),
        tf.layers.conv2d(x, 2, 3, dilation_rate=2, padding="same"),
    ]
    res = {"outs": [_out(t) for t in outs], "vars": _vars(tf), "scope": c.scope_name}
    feed = {x: _fixed([2, 6, 6, 2], 4)}
    with tf.Session() as sess:
        _set_weights(tf, sess)
        r = sess.run(outs[:10] + outs[12:], feed)
    res["values"] = [_v(a.ravel()[:10]) for a in r]
    res["sums"] = [round(float(a.sum()), 3) for a in r]
    return res


def scenario_channels_first_shapes(tf):
    # TF's CPU kernels do not run NCHW convolutions; only the graph is compared.
    x = tf.placeholder(tf.float32, [None, 2, 6, 6], name="x")
    outs = [tf.layers.conv2d(x, 3, 3, data_format="channels_first"),
            tf.layers.conv2d_transpose(x, 4, 3, strides=2, padding="same",
                                       data_format="channels_first"),
            tf.layers.max_pooling2d(x, 2, 2, data_format="channels_first"),
            tf.layers.average_pooling2d(x, 3, 3, data_format="channels_first"),
            tf.layers.flatten(x, data_format="channels_first"),
            tf.layers.batch_normalization(x, axis=1, training=True)]
    return {"outs": [_out(t) for t in outs], "vars": _vars(tf),
            "updates": [o.name for o in tf.get_collection(tf.GraphKeys.UPDATE_OPS)]}


def scenario_dropout(tf):
    x = tf.constant(np.ones([4, 50], np.float32))
    d0 = tf.layers.dropout(x, 0.5)
    d1 = tf.layers.dropout(x, 0.5, training=False)
    d2 = tf.layers.dropout(x, 0.0, training=True)
    d3 = tf.layers.Dropout(0.25)(x, training=False)
    p = tf.placeholder(tf.bool, [], name="training")
    d4 = tf.layers.dropout(x, 0.5, training=p)
    d5 = tf.layers.dropout(x, 0.5, training=True)
    res = {"outs": [_out(t) for t in (d0, d1, d2, d3)],
           "shapes": [d4.shape.as_list(), d5.shape.as_list()], "train_out": _out(d5),
           "train_ops": [[o.name, o.type] for o in tf.get_default_graph().get_operations()
                         if o.name.startswith("dropout_5/")],
           "nn_dropout": _out(tf.nn.dropout(x, rate=0.2, noise_shape=[4, 1]))}
    with tf.Session() as sess:
        a, b, c = sess.run([d0, d2, d4], {p: False})
        t, u = sess.run([d4, d5], {p: True})
    res["values"] = [_v(a[0, :4]), _v(b[0, :4]), _v(c[0, :4])]
    # Dropped elements are 0, kept ones are scaled by 1 / (1 - rate).
    res["train_values"] = sorted({round(float(v), 4) for v in np.concatenate([t.ravel(),
                                                                               u.ravel()])})
    return res


def scenario_where_v2_broadcast_and_gradients(tf):
    c = tf.constant([[True], [False], [True]])
    x = tf.constant(_fixed([3, 2], 1))
    y = tf.constant(_fixed([2], 2))
    w = tf.where_v2(c, x, y)
    w2 = tf.where_v2(tf.constant([True, False]), 1.0, tf.zeros([3, 2]))
    grads = tf.gradients(tf.reduce_sum(w * w), [x, y])
    res = {"outs": [_out(w), _out(w2)]}
    with tf.Session() as sess:
        res["values"] = [_v(a) for a in sess.run([w, w2, *grads])]
    return res


# -- batch normalization ------------------------------------------------------------------------
def _bn_run(tf, y, x, feeds, steps, extra=None):
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:
        _set_weights(tf, sess)
        outs = []
        for step in range(steps):
            feed = {x: feeds(step)}
            if extra:
                feed.update(extra)
            out, _ = sess.run([y, updates], feed)
            outs.append(out)
        stats = sess.run([v for v in tf.global_variables() if "moving_" in v.name])
    return outs, stats


def scenario_batch_norm_2d_training(tf):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.layers.batch_normalization(x, training=True)
    res = {"out": _out(y), "vars": _vars(tf),
           "trainable": _vars(tf, tf.GraphKeys.TRAINABLE_VARIABLES),
           "updates": [o.name for o in tf.get_collection(tf.GraphKeys.UPDATE_OPS)]}
    outs, stats = _bn_run(tf, y, x, lambda s: _fixed([4, 3], s) * (s + 1) + s, 3)
    res["values"] = [_v(o) for o in outs]
    res["stats"] = [_v(s) for s in stats]
    return res


def scenario_batch_norm_4d_fused_training(tf):
    x = tf.placeholder(tf.float32, [None, 3, 3, 2], name="x")
    y = tf.layers.batch_normalization(x, training=True, momentum=0.9)
    res = {"out": _out(y), "type": y.op.type, "vars": _vars(tf),
           "trainable": _vars(tf, tf.GraphKeys.TRAINABLE_VARIABLES),
           "updates": [o.name for o in tf.get_collection(tf.GraphKeys.UPDATE_OPS)]}
    outs, stats = _bn_run(tf, y, x, lambda s: _fixed([2, 3, 3, 2], s) * 2.0 + s, 4)
    res["values"] = [_v(o.ravel()[:8]) for o in outs]
    res["stats"] = [_v(s) for s in stats]
    return res


def scenario_nn_fused_batch_norm_op_and_gradients(tf):
    x = tf.constant(_fixed([2, 3, 2, 2], 1) * 2.0 + 0.5)
    scale = tf.constant([1.5, 0.5])
    offset = tf.constant([0.1, -0.2])
    y, m, v = tf.nn.fused_batch_norm(x, scale, offset)
    yi, mi, vi = tf.nn.fused_batch_norm(x, scale, offset, mean=[0.5, 0.4],
                                        variance=[1.0, 2.0], is_training=False,
                                        name="infer")
    yc, _, vc = tf.nn.fused_batch_norm(_fixed([1, 2, 2, 3], 2), [1.0, 1.0], [0.0, 0.0],
                                       mean=[0.0, 0.0], variance=[1.0, 1.0],
                                       data_format="NCHW", exponential_avg_factor=0.3)
    w = tf.constant(_fixed([2, 3, 2, 2], 5))
    loss = tf.reduce_sum(y * w) + tf.reduce_sum(yi * yi)
    grads = tf.gradients(loss, [x, scale, offset])
    res = {"outs": [[t.name, t.op.type, t.shape.as_list()] for t in (y, m, v, yi, mi, vi, yc)],
           "err": _err(lambda: tf.nn.fused_batch_norm(x, scale, offset, is_training=False))}
    with tf.Session() as sess:
        r = sess.run([y, m, v, yi, mi, vi, yc, vc, *grads])
    res["values"] = [_v(np.ravel(a)[:8]) for a in r]
    return res


def scenario_batch_norm_inference_and_options(tf):
    x2 = tf.placeholder(tf.float32, [None, 3], name="x2")
    x4 = tf.placeholder(tf.float32, [2, 2, 2, 3], name="x4")
    outs = [
        tf.layers.batch_normalization(x2),
        tf.layers.batch_normalization(x4, training=False),
        tf.layers.batch_normalization(x4, training=True, fused=False, epsilon=0.1),
        tf.layers.batch_normalization(x4, axis=2, training=True, center=False),
        tf.layers.batch_normalization(x4, axis=[1, 3], training=True, scale=False),
        tf.layers.batch_normalization(x2, training=True, fused=True, momentum=0.5,
                                      beta_initializer=tf.constant_initializer(0.5),
                                      gamma_initializer=tf.constant_initializer(2.0)),
        tf.layers.batch_normalization(x4, training=True, center=False, scale=False),
    ]
    res = {"outs": [_out(t) for t in outs], "vars": _vars(tf),
           "trainable": _vars(tf, tf.GraphKeys.TRAINABLE_VARIABLES),
           "updates": [o.name for o in tf.get_collection(tf.GraphKeys.UPDATE_OPS)]}
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:
        _set_weights(tf, sess, skip_moving=False)
        feed = {x2: _fixed([4, 3], 1) * 3.0, x4: _fixed([2, 2, 2, 3], 2) + 1.0}
        r = sess.run(outs, feed)
        for _ in range(2):
            sess.run(updates, feed)
        stats = sess.run([v for v in tf.global_variables() if "moving_" in v.name])
    res["values"] = [_v(a.ravel()[:6]) for a in r]
    res["stats"] = [_v(np.ravel(s)[:3]) for s in stats]
    return res


def scenario_batch_norm_training_placeholder(tf):
    training = tf.placeholder(tf.bool, [], name="training")
    x2 = tf.placeholder(tf.float32, [None, 3], name="x2")
    x4 = tf.placeholder(tf.float32, [None, 2, 2, 3], name="x4")
    y2 = tf.layers.batch_normalization(x2, training=training)
    y4 = tf.layers.batch_normalization(x4, training=training, momentum=0.8)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    res = {"n_updates": len(updates), "shapes": [y2.shape.as_list(), y4.shape.as_list()],
           "vars": _vars(tf)}
    moving = [v for v in tf.global_variables() if "moving_" in v.name]
    with tf.Session() as sess:
        _set_weights(tf, sess)
        history = []
        for step, flag in enumerate([True, True, False, True, False]):
            feed = {training: flag, x2: _fixed([4, 3], step) * 2.0 + 1.0,
                    x4: _fixed([2, 2, 2, 3], step) - 0.5}
            a, b, _ = sess.run([y2, y4, updates], feed)
            history.append([_v(a.ravel()[:3]), _v(b.ravel()[:3]),
                            [_v(s) for s in sess.run(moving)]])
    res["history"] = history
    return res


def scenario_batch_norm_class_reuse(tf):
    x = tf.placeholder(tf.float32, [None, 2, 2, 2], name="x")
    bn = tf.layers.BatchNormalization(momentum=0.5)
    a = bn(x, training=True)
    b = bn(x, training=False)
    c = bn.apply(x, training=True)
    d = tf.layers.batch_normalization(x, training=True, name="shared")
    e = tf.layers.batch_normalization(x, training=True, name="shared", reuse=True)
    res = {"name": bn.name, "scope": bn.scope_name, "outs": [_out(t) for t in (a, b, c, d, e)],
           "weights": [v.name for v in bn.weights],
           "trainable": [v.name for v in bn.trainable_weights],
           "non_trainable": [v.name for v in bn.non_trainable_weights],
           "updates": [o.name for o in tf.get_collection(tf.GraphKeys.UPDATE_OPS)],
           "vars": _vars(tf)}
    # Only the first call's updates run: two updates of one variable in one Session.run
    # have no defined order in TF.
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)[:2]
    with tf.Session() as sess:
        _set_weights(tf, sess)
        for step in range(2):
            out, _ = sess.run([a, updates], {x: _fixed([3, 2, 2, 2], step) * 3.0})
        res["stats"] = [_v(s) for s in sess.run([bn.moving_mean, bn.moving_variance])]
        res["value"] = _v(out.ravel()[:6])
    return res


# -- errors -------------------------------------------------------------------------------------
def scenario_layer_errors(tf):
    p = tf.placeholder
    cases = {
        "conv2d_transpose_rank3": lambda: tf.layers.conv2d_transpose(tf.zeros([2, 3, 3]), 2, 3),
        "conv2d_transpose_channels_none": lambda: tf.layers.conv2d_transpose(
            p(tf.float32, [None, 3, 3, None]), 2, 3),
        "conv2d_channels_none": lambda: tf.layers.conv2d(p(tf.float32, [None, 3, 3, None]),
                                                         2, 3),
        "conv2d_transpose_filters": lambda: tf.layers.conv2d_transpose(tf.zeros([1, 3, 3, 1]),
                                                                       0, 3),
        "conv2d_transpose_padding": lambda: tf.layers.conv2d_transpose(
            tf.zeros([1, 3, 3, 1]), 2, 3, padding="full"),
        "dense_last_none": lambda: tf.layers.dense(p(tf.float32, [None, None]), 2),
        "dense_rank1": lambda: tf.layers.dense(tf.zeros([3]), 2),
        "dense_units": lambda: tf.layers.dense(tf.zeros([2, 3]), -1),
        "bn_axis_none": lambda: tf.layers.batch_normalization(p(tf.float32, [None, None])),
        "bn_axis_out_of_range": lambda: tf.layers.batch_normalization(tf.zeros([3, 4]),
                                                                      axis=3),
        "bn_axis_type": lambda: tf.layers.BatchNormalization(axis="x"),
        "bn_rank0": lambda: tf.layers.batch_normalization(tf.constant(1.0)),
        "bn_duplicate_axis": lambda: tf.layers.batch_normalization(tf.zeros([3, 4]),
                                                                   axis=[1, -1]),
        "max_pool_rank3": lambda: tf.layers.max_pooling2d(tf.zeros([2, 3, 4]), 2, 2),
        "pool_padding": lambda: tf.layers.average_pooling2d(tf.zeros([2, 3, 4, 1]), 2, 2,
                                                            padding="bad"),
        "pool_size": lambda: tf.layers.max_pooling2d(tf.zeros([2, 3, 4, 1]), (2, 2, 2), 2),
        "pool_data_format": lambda: tf.layers.max_pooling2d(tf.zeros([2, 3, 4, 1]), 2, 2,
                                                            data_format="nhwc"),
        "flatten_rank0": lambda: tf.layers.flatten(tf.constant(1.0)),
        "dropout_rate": lambda: tf.layers.dropout(tf.zeros([2]), 1.5),
        "scope_before_call": lambda: tf.layers.Conv2D(2, 2).scope_name,
    }
    res = {k: _err(f) for k, f in cases.items()}
    # A layer checks its input against the spec fixed at its first call.
    d = tf.layers.Dense(2)
    d(tf.zeros([1, 3]))
    res["dense_second_call_shape"] = _err(lambda: d(tf.zeros([1, 4])))
    bn = tf.layers.BatchNormalization()
    bn(tf.zeros([1, 2, 2, 3]))
    res["bn_second_call_rank"] = _err(lambda: bn(tf.zeros([1, 3])))
    res["after"] = tf.layers.dense(tf.zeros([2, 3]), 2).name
    return res


# -- a small generator trained with Adam --------------------------------------------------------
def scenario_generator_adam_steps(tf):
    z = tf.placeholder(tf.float32, [None, 4], name="z")
    target = tf.placeholder(tf.float32, [None, 8, 8, 1], name="target")

    def generator(noise, reuse):
        with tf.variable_scope("generator", reuse=reuse):
            h = tf.layers.dense(noise, 4 * 4 * 3)
            h = tf.reshape(h, [-1, 4, 4, 3])
            h = tf.layers.conv2d_transpose(h, 2, 3, strides=2, padding="same")
            h = tf.layers.batch_normalization(h, training=True)
            h = tf.nn.relu(h)
            return tf.layers.conv2d(h, 1, 3, padding="same", activation=tf.nn.tanh)

    fake = generator(z, False)
    again = generator(z, True)
    loss = tf.reduce_mean(tf.square(fake - target))
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train = tf.train.AdamOptimizer(0.01).minimize(loss)
    res = {"outs": [_out(fake), _out(again)], "vars": _vars(tf, tf.GraphKeys.TRAINABLE_VARIABLES),
           "updates": [o.name for o in update_ops]}
    feed = {z: _fixed([3, 4], 1) * 2.0, target: _fixed([3, 8, 8, 1], 2)}
    with tf.Session() as sess:
        _set_weights(tf, sess, var_list=tf.trainable_variables())
        losses = []
        for _ in range(3):
            lv, _ = sess.run([loss, train], feed)
            losses.append(round(float(lv), 5))
        losses.append(round(float(sess.run(loss, feed)), 5))
        moving = [v for v in tf.global_variables() if "moving_mean" in v.name]
        res["moving_mean"] = _v(sess.run(moving[0]))
        res["gamma"] = _v(sess.run(next(v for v in tf.global_variables()
                                    if v.name.endswith("gamma:0"))))
    res["losses"] = losses
    return res


def scenario_discriminator_reuse_and_constraint(tf):
    real = tf.constant(_fixed([3, 4], 1))
    fake = tf.constant(_fixed([3, 4], 2) * 2.0)

    def discriminator(x, reuse):
        with tf.variable_scope("discriminator", reuse=reuse):
            h = tf.layers.dense(x, 5, activation=tf.nn.leaky_relu, name="h",
                                kernel_constraint=lambda k: tf.clip_by_value(k, -0.3, 0.3))
            h = tf.layers.dropout(h, 0.5, training=False)
            return tf.layers.dense(h, 1, name="logit")

    d_real = discriminator(real, False)
    d_fake = discriminator(fake, True)
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.ones_like(d_real), logits=d_real)) + tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros_like(d_fake), logits=d_fake))
    d_vars = [v for v in tf.trainable_variables() if v.name.startswith("discriminator/")]
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss, var_list=d_vars)
    res = {"outs": [_out(d_real), _out(d_fake)], "vars": _vars(tf)}
    with tf.Session() as sess:
        _set_weights(tf, sess)
        losses = []
        for _ in range(3):
            lv, _ = sess.run([loss, train])
            losses.append(round(float(lv), 5))
        res["kernel"] = _v(sess.run(d_vars[0]))
    res["losses"] = losses
    return res


# -- the rules tf.layers share with tf.keras.layers (one class in TF) ------------------------------
def _ops(tf, fn):
    """The (name, type) of the ops ``fn`` builds in a fresh graph, or its error."""
    g = tf.Graph()
    with g.as_default():
        try:
            out = fn()
        except Exception as e:  # noqa: BLE001 - we record whatever is raised
            return {"type": type(e).__name__, "msg": str(e)}
        if not isinstance(out, list) and not hasattr(out, "shape"):
            return {"built": type(out).__name__}  # a layer made without error
        shapes = [t.shape.as_list() for t in (out if isinstance(out, list) else [out])]
        return {"shapes": shapes, "ops": [[o.name, o.type] for o in g.get_operations()]}


def scenario_shared_conv_rules(tf):
    L, K = tf.layers, tf.keras.layers

    def x(shape):
        return tf.placeholder(tf.float32, shape, name="x")

    cases = {
        "l_conv1d_channels_first": lambda: L.Conv1D(4, 3, data_format="channels_first")(
            x([None, 3, 8])),
        "l_conv1d_causal": lambda: L.Conv1D(4, 3, padding="causal")(x([None, 8, 3])),
        "k_conv1d_causal": lambda: K.Conv1D(4, 3, padding="causal")(x([None, 8, 3])),
        "k_conv1d_kernel_size": lambda: K.Conv1D(4, (3, 2)),
        "l_conv2d_causal": lambda: L.Conv2D(4, 3, padding="causal"),
        "k_conv2d_causal": lambda: K.Conv2D(4, 3, padding="causal"),
        "k_conv2d_strides_dilation": lambda: K.Conv2D(4, 3, strides=2, dilation_rate=2),
        "l_conv2d_float_filters": lambda: L.Conv2D(4.0, 3)(x([None, 5, 5, 3])),
        "k_conv2d_transpose_channels": lambda: K.Conv2DTranspose(4, 3)(x([None, 5, 5, None])),
        "l_conv2d_transpose_rank": lambda: L.Conv2DTranspose(4, 3).build((None, 5, 3)),
        "l_separable_channels": lambda: L.SeparableConv2D(4, 3)(x([None, 5, 5, None])),
        "l_conv3d_channels_first_channels": lambda: L.Conv3D(
            4, 3, data_format="channels_first")(x([None, None, 5, 5, 5])),
        "l_conv3d_transpose": lambda: L.Conv3DTranspose(4, 3, strides=2)(
            x([None, 5, 5, 5, 2])),
        "k_depthwise_channels": lambda: K.DepthwiseConv2D(3)(x([None, 5, 5, None])),
    }
    return {k: _ops(tf, fn) for k, fn in cases.items()}


def scenario_shared_pool_dropout_rules(tf):
    L, K = tf.layers, tf.keras.layers

    def x(shape):
        return tf.placeholder(tf.float32, shape, name="x")

    def dropout_twice():
        d = L.Dropout(0.5, noise_shape=[None, 1, 3], seed=3)
        inputs = x([None, 4, 3])
        return [d(inputs, training=True), d(inputs, training=True)]

    cases = {
        "k_pool1d_pool_size": lambda: K.MaxPooling1D((2, 3)),
        "k_pool1d_float": lambda: K.MaxPooling1D(2.0),
        "k_pool1d_channels_first": lambda: K.MaxPooling1D(2, data_format="channels_first")(
            x([None, 3, 8])),
        "l_pool1d_channels_first": lambda: L.AveragePooling1D(
            2, 2, data_format="channels_first")(x([None, 3, 8])),
        "l_pool2d_strides_none": lambda: L.MaxPooling2D(2, None),
        "l_pool1d_strides_none": lambda: L.MaxPooling1D(2, None),
        "l_dropout_noise_shape_seeds": dropout_twice,
    }
    res = {k: _ops(tf, fn) for k, fn in cases.items()}
    g = tf.Graph()
    with g.as_default():
        dropout_twice()
        res["seeds"] = [[o.name, o.get_attr("seed2")] for o in g.get_operations()
                        if o.type == "RandomUniform"]
    return res


def all_scenarios():
    """{name: function} for every scenario, in definition order."""
    return {
        k[len("scenario_"):]: v
        for k, v in globals().items()
        if k.startswith("scenario_") and callable(v)
    }
