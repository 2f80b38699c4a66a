"""Golden scenarios of ``tf.keras`` in TF1 graph mode (TF_USE_LEGACY_KERAS=1: tf-keras' v1
API): layer names and name scopes, variables and collections, op names, output names and
static shapes, values for fixed inputs after setting weights from fixed NumPy arrays,
BatchNormalization's updates, Sequential / functional / subclassed models, errors, and a
small GAN trained with Adam. Unseeded initial values differ between TF and varstore: values
are compared only after weights are set, or for seeded v2 initializers (stateless ops).

Ops built inside a cond (the learning-phase paths) are never recorded: TF 2.21 builds cond
v2. ``scenario_zz_disable_v2_behavior`` flips a global flag and restores it; it runs last.
"""

import contextlib

import numpy as np


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 4).tolist()
    return a.tolist()


def _fixed(shape, k):
    n = int(np.prod(shape)) if shape else 1
    return (0.5 * np.sin(np.arange(n) * 0.37 + k)).reshape(shape).astype(np.float32)


def _set_all(tf, sess, var_list=None):
    sess.run(tf.global_variables_initializer())
    for k, v in enumerate(tf.global_variables() if var_list is None else var_list):
        value = _fixed(v.shape.as_list(), k)
        if "moving_variance" in v.name:
            value = np.abs(value) + 0.5
        sess.run(v.assign(value))


def _vars(vs):
    return [[v.name, v.shape.as_list()] for v in vs]


def _ops(tf, start=0, skip_phase=False):
    """The ops made since ``start``; with ``skip_phase`` not BatchNormalization's call ops
    (made under learning-phase conds: cond v2 in TF 2.21)."""
    marks = ("/cond", "AssignMovingAvg", "batchnorm/", "FusedBatchNorm", "/ReadVariableOp")
    return [[op.name, op.type] for op in tf.get_default_graph().get_operations()[start:]
            if not (skip_phase and "batch_normalization" in op.name
                    and any(m in op.name for m in marks))]


def _n(tf):
    return len(tf.get_default_graph().get_operations())


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e)}
    return {"type": None, "msg": None}


def _out(t):
    return [t.name, t.shape.as_list() if t.shape.ndims is not None else None]


def _cols(tf):
    g = tf.get_default_graph()
    return {k: [getattr(x, "name", str(x)) for x in g.get_collection(k)]
            for k in ("variables", "trainable_variables", "update_ops",
                      "regularization_losses", "losses")}


# -- the Layer protocol ---------------------------------------------------------------------
def scenario_dense_names_in_variable_scope(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    y = tf.placeholder(tf.float32, [None, 6], name="y")
    with tf.variable_scope("gen"):
        d = K.layers.Dense(4, activation="relu")
        o1 = d(x)
        o2 = d(x)
        o3 = K.layers.Dense(3)(y)
    with tf.variable_scope("gen", reuse=True):
        o4 = K.layers.Dense(2)(x)
    return {"outs": [_out(o) for o in (o1, o2, o3, o4)], "ops": _ops(tf),
            "cols": _cols(tf), "names": [d.name], "built": d.built,
            "weights": _vars(d.weights), "trainable": _vars(d.trainable_weights)}


def scenario_dense_values_and_weights_api(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    d = K.layers.Dense(2, activation="tanh", name="head")
    out = d(x)
    h3 = K.layers.Dense(2)(tf.placeholder(tf.float32, [None, 4, 3], name="x3"))
    feed = {x: _fixed([4, 3], 1)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        d.set_weights([_fixed([3, 2], 2), _fixed([2], 3)])
        got = [_v(w) for w in d.get_weights()]
        value = sess.run(out, feed)
        K.backend.set_value(d.bias, np.ones(2, np.float32))
        bias = K.backend.get_value(d.bias)
    info = {"out": _out(out), "h3": _out(h3), "got": got, "value": _v(value),
            "bias": _v(bias), "count": d.count_params(),
            "input_shape": _err(lambda: d.input_shape),
            "output_shape": _err(lambda: d.output_shape), "name": d.name, "dtype": d.dtype,
            "config": {k: d.get_config()[k] for k in ("name", "units", "activation",
                                                     "use_bias", "trainable")},
            "shape": d.compute_output_shape((None, 7, 3)).as_list()}
    d.trainable = False
    info["frozen"] = [_vars(d.trainable_weights), _vars(d.non_trainable_weights),
                      _vars(d.weights)]
    return info


def scenario_seeded_v2_initializers(tf):
    K = tf.keras
    inits = {"glorot_uniform": {"class_name": "GlorotUniform", "config": {"seed": 3}},
             "he_normal": {"class_name": "HeNormal", "config": {"seed": 4}},
             "lecun_uniform": {"class_name": "LecunUniform", "config": {"seed": 5}},
             "random_normal": {"class_name": "RandomNormal", "config": {"seed": 6}},
             "random_uniform": {"class_name": "RandomUniform", "config": {"seed": 7}},
             "truncated": {"class_name": "TruncatedNormal",
                           "config": {"seed": 8, "stddev": 1.0}},
             "constant": {"class_name": "Constant", "config": {"value": 0.5}},
             "identity": {"class_name": "Identity", "config": {}}}
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    layers = {}
    for key, cfg in inits.items():
        layers[key] = K.layers.Dense(3, kernel_initializer=K.initializers.get(cfg), name=key)
        layers[key](x)
    start = _n(tf)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        values = {k: _v(sess.run(layer.kernel)) for k, layer in layers.items()}
    return {"values": values, "ops": _ops(tf)[:start],
            "types": {k: type(K.initializers.get(k)).__name__
                      for k in ("glorot_uniform", "zeros", "ones", "he_uniform")}}


def scenario_activations_ops_and_values(tf):
    K = tf.keras
    x = tf.constant(np.linspace(-2, 2, 8).reshape(2, 4).astype(np.float32), name="x")
    outs = {}
    start = _n(tf)
    for name in ("relu", "sigmoid", "tanh", "softmax", "elu", "selu", "softplus", "softsign",
                 "hard_sigmoid", "exponential", "linear", "mish"):
        with tf.name_scope(name):
            outs[name] = K.activations.get(name)(x)
    outs["relu_alpha"] = K.activations.relu(x, alpha=0.1)
    outs["relu_max"] = K.activations.relu(x, max_value=1.0)
    outs["relu6"] = K.activations.relu(x, max_value=6)
    outs["relu_thr"] = K.activations.relu(x, threshold=0.5)
    outs["elu2"] = K.activations.elu(x, alpha=0.5)
    ops = _ops(tf, start)
    outs["swish"] = K.activations.swish(x)
    with tf.Session() as sess:
        values = {k: _v(sess.run(v)) for k, v in outs.items()}
    return {"ops": ops, "values": values,
            "names": {k: v.name for k, v in outs.items() if k != "swish"},
            "serialize": K.activations.serialize(K.activations.relu),
            "get_none": K.activations.get(None).__name__,
            "bad": [_err(lambda: K.activations.get("nope")),
                    _err(lambda: K.activations.get(3))]}


def scenario_activation_layers(tf):
    K = tf.keras
    x = tf.constant(np.linspace(-2, 2, 8).reshape(2, 4).astype(np.float32), name="x")
    layers = [K.layers.LeakyReLU(), K.layers.LeakyReLU(alpha=0.1), K.layers.ReLU(),
              K.layers.ReLU(max_value=1.0, negative_slope=0.1, threshold=0.2),
              K.layers.ELU(alpha=0.5), K.layers.Softmax(), K.layers.Activation("sigmoid"),
              K.layers.ThresholdedReLU(theta=0.5)]
    start = _n(tf)
    outs = [layer(x) for layer in layers]
    ops = _ops(tf, start)
    with tf.Session() as sess:
        values = [_v(v) for v in sess.run(outs)]
    return {"ops": ops, "values": values, "names": [layer.name for layer in layers],
            "outs": [_out(o) for o in outs],
            "errors": [_err(lambda: K.layers.ReLU(max_value=-1.0)),
                       _err(lambda: K.layers.LeakyReLU(alpha=None))]}


def scenario_regularizers_constraints_losses(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    d = K.layers.Dense(2, kernel_regularizer=K.regularizers.l2(0.1),
                       bias_regularizer=K.regularizers.l1(0.2),
                       kernel_constraint=K.constraints.MaxNorm(0.5))
    out = d(x)
    n0 = _n(tf)
    losses1 = d.losses
    ops1 = _ops(tf, n0)
    losses2 = d.losses
    w = tf.constant(_fixed([3, 2], 4) * 3, name="w")
    cons = {"max_norm": K.constraints.MaxNorm(1.0)(w), "non_neg": K.constraints.NonNeg()(w),
            "unit_norm": K.constraints.UnitNorm()(w),
            "min_max": K.constraints.MinMaxNorm(0.2, 0.8, rate=0.5)(w)}
    regs = {"l1": K.regularizers.l1(0.1)(w), "l2": K.regularizers.l2(0.1)(w),
            "l1_l2": K.regularizers.l1_l2(0.1, 0.2)(w), "L1L2": K.regularizers.L1L2(l2=0.3)(w)}
    with tf.Session() as sess:
        _set_all(tf, sess)
        values = {"losses": _v(sess.run(losses1)),
                  "cons": {k: _v(sess.run(v)) for k, v in cons.items()},
                  "regs": {k: _v(sess.run(v)) for k, v in regs.items()}}
    return {"out": _out(out), "losses": [t.name for t in losses1],
            "losses2": [t.name for t in losses2], "ops": ops1, "values": values,
            "cols": _cols(tf), "config": K.regularizers.l2(0.1).get_config(),
            "serialize": K.regularizers.serialize(K.regularizers.l1_l2(0.1, 0.2)),
            "cons_config": K.constraints.MaxNorm().get_config()}


# -- BatchNormalization and Dropout ----------------------------------------------------------
def scenario_batchnorm_fused_explicit_training(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 2, 2, 3], name="x")
    bn = K.layers.BatchNormalization(momentum=0.9)
    y_train = bn(x, training=True)
    y_test = bn(x, training=False)
    feed = {x: _fixed([4, 2, 2, 3], 2) * 4}
    ops = _ops(tf)
    with tf.Session() as sess:
        _set_all(tf, sess)
        before = sess.run([bn.moving_mean, bn.moving_variance])
        yt = sess.run(y_train, feed)
        sess.run(bn.updates, feed)
        after = sess.run([bn.moving_mean, bn.moving_variance])
        ye = sess.run(y_test, feed)
    return {"ops": ops, "outs": [_out(y_train), _out(y_test)],
            "updates": [u.name for u in bn.updates], "cols": _cols(tf),
            "weights": _vars(bn.weights), "trainable": _vars(bn.trainable_weights),
            "non_trainable": _vars(bn.non_trainable_weights),
            "values": [_v(before), _v(yt), _v(after), _v(ye)]}


def scenario_batchnorm_composed_and_learning_phase(tf):
    K = tf.keras
    z = tf.placeholder(tf.float32, [None, 3], name="z")
    bn = K.layers.BatchNormalization()
    y = bn(z, training=True)
    ops = _ops(tf)
    x4 = tf.placeholder(tf.float32, [None, 2, 2, 3], name="x4")
    bn2 = K.layers.BatchNormalization(momentum=0.5)
    y2 = bn2(x4)
    lp = K.backend.learning_phase()
    feed = {z: _fixed([5, 3], 1) * 3, x4: _fixed([4, 2, 2, 3], 3) * 2}
    with tf.Session() as sess:
        _set_all(tf, sess)
        v_train = sess.run(y, feed)
        sess.run(bn.updates, feed)
        moving = sess.run([bn.moving_mean, bn.moving_variance])
        lp_false = sess.run(y2, feed)
        lp_true = sess.run(y2, {**feed, lp: True})
        sess.run(bn2.updates, {**feed, lp: True})
        moving2 = sess.run([bn2.moving_mean, bn2.moving_variance])
    return {"ops": ops, "out": _out(y), "lp": _out(lp), "y2_shape": y2.shape.as_list(),
            "updates": len(bn2.updates), "cols": _cols(tf),
            "values": [_v(v_train), _v(moving), _v(lp_false), _v(lp_true), _v(moving2)]}


def scenario_dropout_training_and_phase(tf):
    K = tf.keras
    z = tf.placeholder(tf.float32, [None, 3], name="z")
    n0 = _n(tf)
    d_true = K.layers.Dropout(0.5, seed=1)(z, training=True)
    ops_true = _ops(tf, n0)
    n1 = _n(tf)
    d_false = K.layers.Dropout(0.5)(z, training=False)
    ops_false = _ops(tf, n1)
    d_zero = K.layers.Dropout(0.0)(z)
    d_phase = K.layers.Dropout(0.3)(z)
    feed = {z: _fixed([4, 3], 1)}
    with tf.Session() as sess:
        kept = sess.run(d_true, feed)
        phase_off = sess.run(d_phase, feed)
        phase_on = sess.run(d_phase, {**feed, K.backend.learning_phase(): True})
        off = sess.run(d_false, feed)
    zeros_or_scaled = bool(np.all((kept == 0) | np.isclose(kept, feed[z] * 2)))
    on_ok = bool(np.all((phase_on == 0) | np.isclose(phase_on, feed[z] / 0.7)))
    return {"ops_true": ops_true, "ops_false": ops_false, "outs": [_out(d_true),
            _out(d_false), _out(d_zero), d_phase.shape.as_list()],
            "kept": zeros_or_scaled, "on": on_ok, "off": _v(off), "phase_off": _v(phase_off),
            "err": _err(lambda: K.layers.Dropout(1.5))}


# -- convolution, pooling, reshaping, embedding ------------------------------------------------
def scenario_conv_pool_layers(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 6, 6, 2], name="x")
    c = K.layers.Conv2D(3, 3, padding="same", activation="relu")
    h = c(x)
    p = K.layers.MaxPooling2D()(h)
    a = K.layers.AveragePooling2D(pool_size=2, strides=1)(p)
    t = K.layers.Conv2DTranspose(2, 3, strides=2, padding="same")(a)
    t2 = K.layers.Conv2DTranspose(1, 2, strides=2)(t)
    g = K.layers.GlobalAveragePooling2D()(t2)
    gm = K.layers.GlobalMaxPool2D()(t)
    f = K.layers.Flatten()(a)
    feed = {x: _fixed([2, 6, 6, 2], 3)}
    ops = _ops(tf)
    with tf.Session() as sess:
        _set_all(tf, sess)
        values = [_v(v) for v in sess.run([h, p, a, t, t2, g, gm, f], feed)]
    return {"ops": ops, "outs": [_out(o) for o in (h, p, a, t, t2, g, gm, f)],
            "vars": _vars(tf.global_variables()), "values": values,
            "kernel": c.kernel.shape.as_list()}


def scenario_reshape_embedding_misc(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 2, 3], name="x")
    r = K.layers.Reshape((3, 2))(x)
    r2 = K.layers.Reshape((-1,))(x)
    pm = K.layers.Permute((2, 1))(x)
    fl = K.layers.Flatten()(x)
    v = tf.placeholder(tf.float32, [None, 3], name="v")
    rv = K.layers.RepeatVector(2)(v)
    lam = K.layers.Lambda(lambda t, k: t * k, arguments={"k": 3.0})(v)
    ids = tf.placeholder(tf.int32, [None, 4], name="ids")
    emb = K.layers.Embedding(10, 3)
    e = emb(ids)
    idsf = tf.placeholder(tf.float32, [None, 2], name="idsf")
    e2 = emb(idsf)
    feed = {x: _fixed([2, 2, 3], 1), v: _fixed([2, 3], 2),
            ids: np.array([[0, 1, 2, 9], [3, 3, 4, 5]]), idsf: np.array([[1.0, 2.0]] * 2)}
    ops = _ops(tf)
    with tf.Session() as sess:
        _set_all(tf, sess)
        values = [_v(t) for t in sess.run([r, r2, pm, fl, rv, lam, e, e2], feed)]
    return {"ops": ops, "outs": [_out(t) for t in (r, r2, pm, fl, rv, lam, e, e2)],
            "vars": _vars(tf.global_variables()), "values": values,
            "errs": [_err(lambda: K.layers.Reshape((4, 4))(x)),
                     _err(lambda: K.layers.Embedding(0, 3))]}


# -- models ------------------------------------------------------------------------------------
def scenario_sequential_with_input_shape(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    m = K.Sequential([K.layers.Dense(4, activation="relu", input_shape=(5,)),
                      K.layers.BatchNormalization(), K.layers.Dense(2)])
    built_ops = _ops(tf, skip_phase=True)
    n0 = _n(tf)
    o = m(x)
    call_ops = _ops(tf, n0, skip_phase=True)
    lines = []
    m.summary(print_fn=lines.append)
    feed = {x: _fixed([3, 5], 1)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        m.set_weights([_fixed(w.shape.as_list(), k) + (1.0 if "variance" in w.name else 0.0)
                       for k, w in enumerate(m.weights)])
        value = sess.run(o, feed)
        weights = [_v(w) for w in m.get_weights()]
    return {"built_ops": built_ops, "call_ops": call_ops, "out": _out(o),
            "outputs": [_out(t) for t in m.outputs], "inputs": [_out(t) for t in m.inputs],
            "layers": [layer.name for layer in m.layers], "name": m.name,
            "vars": _vars(m.variables), "trainable": _vars(m.trainable_variables),
            "weights": _vars(m.weights), "updates": len(m.updates), "losses": len(m.losses),
            "summary": lines, "value": _v(value), "got": weights, "cols": _cols(tf),
            "shapes": [m.input_shape, m.output_shape]}


def scenario_sequential_deferred_and_add(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    m = K.Sequential(name="stack")
    m.add(K.layers.Dense(3))
    m.add(K.layers.Activation("relu"))
    before = [m.built, len(tf.global_variables())]
    o1 = m(x)
    o2 = m(x)
    m2 = K.Sequential()
    m2.add(K.layers.Dense(4, input_dim=5))
    m2.add(K.layers.Dense(1))
    feed = {x: _fixed([2, 5], 2)}
    ops = _ops(tf)
    with tf.Session() as sess:
        _set_all(tf, sess)
        v1, v2 = sess.run([o1, o2], feed)
    return {"before": before, "outs": [_out(o1), _out(o2), _out(m2.outputs[0])],
            "vars": _vars(tf.global_variables()), "ops": ops,
            "layers": [[la.name for la in mm.layers] for mm in (m, m2)],
            "values": [_v(v1), _v(v2)],
            "errs": [_err(lambda: m.add("dense")),
                     _err(lambda: K.Sequential([K.layers.Dense(1, name="a"),
                                                K.layers.Dense(1, name="a")]))]}


def scenario_functional_model_called_twice(tf):
    K = tf.keras
    inp = K.Input(shape=(5,))
    h = K.layers.Dense(3, activation="relu", kernel_regularizer=K.regularizers.l2(0.1))(inp)
    out = K.layers.Dense(1)(h)
    model = K.Model(inp, out)
    model2 = K.Model(inputs=inp, outputs=h, name="trunk")
    ops_built = _ops(tf)
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    y = tf.placeholder(tf.float32, [None, 5], name="y")
    n0 = _n(tf)
    ox = model(x)
    oy = model(y)
    call_ops = _ops(tf, n0)
    n1 = _n(tf)
    losses = model.losses
    loss_ops = _ops(tf, n1)
    feed = {x: _fixed([2, 5], 1), y: _fixed([2, 5], 1), inp: _fixed([2, 5], 1)}
    with tf.Session() as sess:
        _set_all(tf, sess)
        vx, vy, vo, vl = sess.run([ox, oy, out, losses], feed)
    lines = []
    model.summary(print_fn=lines.append)
    return {"inp": _out(inp), "h": _out(h), "out": _out(out), "ops_built": ops_built,
            "call_ops": call_ops, "loss_ops": loss_ops, "outs": [_out(ox), _out(oy)],
            "layers": [la.name for la in model.layers], "names": [model.name, model2.name],
            "vars": _vars(model.weights), "vars2": _vars(model2.weights),
            "values": [_v(vx), _v(vy), _v(vo), _v(vl)], "summary": lines,
            "keras_tensor": [K.backend.is_keras_tensor(inp), K.backend.is_keras_tensor(x)],
            "shapes": [model.input_shape, model.output_shape, model.layers[1].input_shape,
                       model.layers[1].output_shape],
            "cols": _cols(tf), "get_layer": model.get_layer(index=1).name}


def scenario_input_and_input_layer(tf):
    K = tf.keras
    a = K.Input(shape=(3,))
    b = K.Input(shape=(2, 4), batch_size=8, dtype="float64", name="feat")
    c = K.Input(batch_shape=(None, 7), dtype=tf.int32)
    il = K.layers.InputLayer(input_shape=(6,))
    return {"outs": [_out(t) for t in (a, b, c)], "dtypes": [t.dtype.name for t in (a, b, c)],
            "ops": _ops(tf), "il": [il.name, il.dtype],
            "errs": [_err(lambda: K.Input()),
                     _err(lambda: K.Input(shape=(2,), batch_shape=(1, 2)))]}


def scenario_subclassed_layer_and_model(tf):
    K = tf.keras

    class Scale(K.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", shape=(int(input_shape[-1]),),
                                     initializer="ones")
            self.count = self.add_weight("count", shape=(), initializer="zeros",
                                         trainable=False)
            super().build(input_shape)

        def call(self, inputs):
            self.add_loss(tf.reduce_sum(self.w))
            self.add_update(self.count.assign_add(tf.constant(1.0)))
            return inputs * self.w

    class Net(K.Model):
        def __init__(self):
            super().__init__()
            self.d1 = K.layers.Dense(4, activation="relu")
            self.scale = Scale()
            self.d2 = K.layers.Dense(2)

        def call(self, inputs, training=None):
            return self.d2(self.scale(self.d1(inputs)))

    x = tf.placeholder(tf.float32, [None, 3], name="x")
    net = Net()
    o1 = net(x)
    o2 = net(x)
    feed = {x: _fixed([2, 3], 1)}
    ops = _ops(tf)
    with tf.Session() as sess:
        _set_all(tf, sess)
        v1, v2 = sess.run([o1, o2], feed)
        sess.run(net.updates)
        count = sess.run(net.scale.count)
        losses = sess.run(net.losses)
    return {"outs": [_out(o1), _out(o2)], "ops": ops, "name": net.name,
            "layers": [la.name for la in net.layers], "vars": _vars(net.variables),
            "trainable": _vars(net.trainable_variables),
            "non_trainable": _vars(net.non_trainable_variables),
            "updates": len(net.updates), "losses": [t.name for t in net.losses],
            "values": [_v(v1), _v(v2), _v(count), _v(losses)], "cols": _cols(tf)}


def scenario_layer_errors(tf):
    K = tf.keras
    x2 = tf.placeholder(tf.float32, [None, 3], name="x2")
    x4 = tf.placeholder(tf.float32, [None, 2, 2, 3], name="x4")
    xn = tf.placeholder(tf.float32, [None, None], name="xn")
    d = K.layers.Dense(2)
    d(x2)
    return {
        "rank": _err(lambda: K.layers.Dense(2)(tf.placeholder(tf.float32, [3], name="v"))),
        "last_dim": _err(lambda: K.layers.Dense(2)(xn)),
        "axis": _err(lambda: d(tf.placeholder(tf.float32, [None, 4], name="x5"))),
        "units": _err(lambda: K.layers.Dense(-1)),
        "kwarg": _err(lambda: K.layers.Dense(2, foo=1)),
        "conv_rank": _err(lambda: K.layers.Conv2D(2, 3)(x2)),
        "pool_rank": _err(lambda: K.layers.MaxPooling2D()(x2)),
        "filters": _err(lambda: K.layers.Conv2D(0, 3)),
        "bn_axis": _err(lambda: K.layers.BatchNormalization(axis=5)(x4)),
        "set_weights_len": _err(lambda: d.set_weights([np.zeros((3, 2))])),
        "set_weights_shape": _err(lambda: d.set_weights([np.zeros((3, 3)), np.zeros(2)])),
        "init": _err(lambda: K.initializers.get("nope")),
        "init_type": _err(lambda: K.initializers.get(3)),
        "reg": _err(lambda: K.regularizers.get(3)),
        "input_shape": _err(lambda: K.layers.Dense(2).input_shape),
        "seq_input": _err(lambda: K.Sequential().add(3)),
    }


def scenario_backend_functions(tf):
    K = tf.keras
    B = K.backend
    x = tf.placeholder(tf.float32, [None, 3, 2], name="x")
    v = B.variable(np.ones((2, 2)), name="kv")
    c = B.constant([1, 2])
    p = B.placeholder(shape=(None, 4))
    p2 = B.placeholder(ndim=2, dtype="int32", name="pp")
    eps = B.epsilon()
    B.set_epsilon(1e-5)
    eps2 = B.epsilon()
    B.set_epsilon(eps)
    uids = [B.get_uid("foo"), B.get_uid("foo"), B.get_uid("bar")]
    lp = B.learning_phase()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        B.batch_set_value([(v, np.full((2, 2), 3.0))])
        vals = B.batch_get_value([v])
    return {"floatx": B.floatx(), "eps": [eps, eps2], "fmt": B.image_data_format(),
            "int_shape": [B.int_shape(x), B.int_shape(v)], "ndim": [B.ndim(x), B.ndim(c)],
            "dtype": [B.dtype(x), B.dtype(c), B.dtype(p2)], "uids": uids,
            "outs": [_out(t) for t in (c, p, p2, lp)], "v": [v.name, _v(vals)],
            "ops": _ops(tf),
            # the messages print a set (its order is the process's string hashing)
            "errs": [_err(lambda: B.set_floatx("int8"))["type"],
                     _err(lambda: B.set_image_data_format("nhwc"))["msg"][:30],
                     _err(lambda: B.is_keras_tensor(3))]}


def scenario_gan_trained_with_adam(tf):
    """A small GAN: generator and discriminator of Keras layers, trained in turn with Adam
    (var_list per model); losses per step from the same weights."""
    K = tf.keras
    z = tf.placeholder(tf.float32, [None, 4], name="z")
    real = tf.placeholder(tf.float32, [None, 3], name="real")
    with tf.variable_scope("gen"):
        gen = K.Sequential([K.layers.Dense(8, input_shape=(4,)), K.layers.LeakyReLU(0.2),
                            K.layers.Dense(3, activation="tanh")], name="generator")
    with tf.variable_scope("disc"):
        disc = K.Sequential([K.layers.Dense(8, input_shape=(3,)), K.layers.LeakyReLU(0.2),
                             K.layers.Dense(1)], name="discriminator")
    fake = gen(z)
    d_real = disc(real)
    d_fake = disc(fake)
    xent = tf.nn.sigmoid_cross_entropy_with_logits
    d_loss = tf.reduce_mean(xent(labels=tf.ones_like(d_real), logits=d_real)) + \
        tf.reduce_mean(xent(labels=tf.zeros_like(d_fake), logits=d_fake))
    g_loss = tf.reduce_mean(xent(labels=tf.ones_like(d_fake), logits=d_fake))
    d_opt = tf.train.AdamOptimizer(0.01).minimize(d_loss, var_list=disc.trainable_variables)
    g_opt = tf.train.AdamOptimizer(0.01).minimize(g_loss, var_list=gen.trainable_variables)
    feed = {z: _fixed([6, 4], 1), real: _fixed([6, 3], 2)}
    steps = []
    with tf.Session() as sess:
        _set_all(tf, sess, gen.weights + disc.weights)
        sess.run(tf.variables_initializer([v for v in tf.global_variables()
                                           if "Adam" in v.name or "power" in v.name]))
        for _ in range(4):
            dl, _ = sess.run([d_loss, d_opt], feed)
            gl, _ = sess.run([g_loss, g_opt], feed)
            steps.append([round(float(dl), 5), round(float(gl), 5)])
        final = _v(sess.run(fake, feed))
    return {"steps": steps, "final": final, "gen": _vars(gen.trainable_variables),
            "disc": _vars(disc.trainable_variables),
            "outs": [_out(t) for t in (fake, d_real, d_fake)],
            "globals": _vars(tf.global_variables())}


# -- more layers ---------------------------------------------------------------------------------
def scenario_merge_layers_and_multi_input_model(tf):
    K = tf.keras
    a = K.Input(shape=(3,), name="a")
    b = K.Input(shape=(3,), name="b")
    c = K.Input(shape=(1,), name="c")
    outs = [K.layers.Add()([a, b]), K.layers.subtract([a, b]), K.layers.Multiply()([a, b, a]),
            K.layers.average([a, b]), K.layers.Maximum()([a, b]), K.layers.minimum([a, b]),
            K.layers.Concatenate()([a, b]), K.layers.concatenate([a, c], axis=1),
            K.layers.Add()([a, c])]
    hidden = K.layers.Dense(2, name="mix")(outs[6])
    model = K.Model([a, b, c], [hidden, outs[0]])
    ops = _ops(tf)
    x, y, z = (tf.placeholder(tf.float32, [None, d], name=n)
               for d, n in ((3, "x"), (3, "y"), (1, "zz")))
    n0 = _n(tf)
    mo = model([x, y, z])
    call_ops = _ops(tf, n0)
    lines = []
    model.summary(print_fn=lines.append)
    feed = {a: _fixed([2, 3], 1), b: _fixed([2, 3], 2), c: _fixed([2, 1], 3),
            x: _fixed([2, 3], 1), y: _fixed([2, 3], 2), z: _fixed([2, 1], 3)}
    with tf.Session() as sess:
        _set_all(tf, sess)
        values = [_v(v) for v in sess.run(outs + list(mo), feed)]
    return {"ops": ops, "call_ops": call_ops, "outs": [_out(t) for t in outs + list(mo)],
            "layers": [la.name for la in model.layers], "summary": lines, "values": values,
            "errs": [_err(lambda: K.layers.Add()(a)),
                     _err(lambda: K.layers.Subtract()([a, b, a])),
                     _err(lambda: K.layers.Add()([a, K.Input(shape=(4,))])),
                     _err(lambda: K.layers.Concatenate()([a, K.Input(shape=(2, 2))]))]}


def scenario_conv1d_pool1d_padding_cropping(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 8, 2], name="x")
    c = K.layers.Conv1D(3, 3, padding="same", activation="relu")(x)
    c2 = K.layers.Conv1D(2, 2, strides=2)(c)
    mp = K.layers.MaxPooling1D()(c)
    ap = K.layers.AveragePooling1D(pool_size=3, strides=1, padding="same")(c)
    gap = K.layers.GlobalAveragePooling1D()(c)
    gmp = K.layers.GlobalMaxPool1D()(c)
    zp = K.layers.ZeroPadding1D(2)(x)
    cr = K.layers.Cropping1D((1, 2))(x)
    up = K.layers.UpSampling1D(2)(cr)
    x4 = tf.placeholder(tf.float32, [None, 4, 5, 2], name="x4")
    zp2 = K.layers.ZeroPadding2D(((1, 0), (2, 1)))(x4)
    cr2 = K.layers.Cropping2D(((1, 0), (1, 2)))(x4)
    cr3 = K.layers.Cropping2D(1)(x4)
    pr = K.layers.PReLU(shared_axes=[1])(x)
    tensors = [c, c2, mp, ap, gap, gmp, zp, cr, up, zp2, cr2, cr3, pr]
    feed = {x: _fixed([2, 8, 2], 1), x4: _fixed([2, 4, 5, 2], 2)}
    ops = _ops(tf)
    with tf.Session() as sess:
        _set_all(tf, sess)
        values = [_v(v) for v in sess.run(tensors, feed)]
    return {"ops": ops, "outs": [_out(t) for t in tensors], "values": values,
            "vars": _vars(tf.global_variables()),
            "errs": [_err(lambda: K.layers.Cropping1D((4, 4))(x)),
                     _err(lambda: K.layers.Conv1D(2, 3)(tf.placeholder(tf.float32, [None, 8])))]}


def scenario_spatial_dropout(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 4, 3], name="x")
    x4 = tf.placeholder(tf.float32, [None, 2, 2, 3], name="x4")
    s1 = K.layers.SpatialDropout1D(0.5)(x, training=True)
    s2 = K.layers.SpatialDropout2D(0.5)(x4, training=True)
    s3 = K.layers.SpatialDropout1D(0.5)(x, training=False)
    ones = np.ones([3, 4, 3], np.float32)
    with tf.Session() as sess:
        v1 = sess.run(s1, {x: ones})
        v2 = sess.run(s2, {x4: np.ones([3, 2, 2, 3], np.float32)})
        v3 = sess.run(s3, {x: ones})
    # a channel is dropped (0) or kept (2) along the whole of its steps
    same1 = bool(np.all(v1 == v1[:, :1, :]) and set(np.unique(v1)) <= {0.0, 2.0})
    same2 = bool(np.all(v2 == v2[:, :1, :1, :]) and set(np.unique(v2)) <= {0.0, 2.0})
    return {"outs": [_out(t) for t in (s1, s2, s3)], "same": [same1, same2], "off": _v(v3)}


def scenario_layer_norm_and_noise(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 4, 3], name="x")
    ln = K.layers.LayerNormalization()
    y = ln(x)
    y2 = K.layers.LayerNormalization(axis=[1, 2])(x)
    y3 = K.layers.LayerNormalization(axis=1, epsilon=1e-6)(x)
    n0 = _n(tf)
    gn = K.layers.GaussianNoise(0.1, seed=1)(x, training=True)
    gd = K.layers.GaussianDropout(0.2, seed=2)(x, training=True)
    noise_ops = _ops(tf, n0)
    off = [K.layers.GaussianNoise(0.1)(x, training=False),
           K.layers.GaussianDropout(0.2)(x, training=False)]
    phase = K.layers.GaussianNoise(0.3)(x)
    feed = {x: _fixed([2, 4, 3], 1) * 3}
    ops = _ops(tf)
    with tf.Session() as sess:
        _set_all(tf, sess)
        # y2 (two axes) is not run: TF's graph fails (FusedBatchNormV3 "scale must be 1D")
        values = [_v(v) for v in sess.run([y, y3] + off + [phase], feed)]
        noisy = sess.run([gn, gd], feed)
    return {"ops": ops[:n0], "noise_ops": noise_ops, "values": values,
            "outs": [_out(t) for t in (y, y2, y3, gn, gd, *off)],
            "vars": _vars(ln.weights), "noisy": [bool(np.all(np.isfinite(v))) for v in noisy],
            "err": _err(lambda: K.layers.LayerNormalization(axis=3)(x))}


def scenario_dtypes_activity_training_nesting(tf):
    K = tf.keras
    x64 = tf.placeholder(tf.float64, [None, 3], name="x64")
    d64 = K.layers.Dense(2)
    o64 = d64(x64)
    xi = tf.placeholder(tf.int32, [None, 3], name="xi")
    oi = K.layers.Dense(2, name="from_int")(xi)
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    act = K.layers.Dense(2, activity_regularizer=K.regularizers.l1(0.5), name="act")
    oa = act(x)
    frozen = K.layers.Dense(2, trainable=False, name="frozen")
    of = frozen(x)
    n0 = _n(tf)
    inp = K.Input(shape=(2, 2, 3))
    h = K.layers.BatchNormalization()(inp)
    h = K.layers.Flatten()(h)
    h = K.layers.Dropout(0.5)(h)
    inner = K.Model(inp, K.layers.Dense(2)(h), name="inner")
    outer = K.Sequential([inner, K.layers.Dense(1, name="top")], name="outer")
    x4 = tf.placeholder(tf.float32, [None, 2, 2, 3], name="x4")
    n1 = _n(tf)
    ot = outer(x4, training=True)
    ots = _ops(tf, n1)
    oe = outer(x4, training=False)
    feed = {x64: _fixed([2, 3], 1).astype(np.float64), xi: np.arange(6).reshape(2, 3),
            x: _fixed([2, 3], 2), x4: _fixed([3, 2, 2, 3], 3)}
    with tf.Session() as sess:
        _set_all(tf, sess)
        values = [_v(v) for v in sess.run([o64, oi, oa, of, act.losses, oe], feed)]
        t_shape = sess.run(ot, feed).shape
    return {"outs": [_out(t) for t in (o64, oi, oa, of, ot, oe)],
            "ops": _ops(tf)[:n0], "train_ops": ots, "dtypes": [d64.dtype, d64.kernel.dtype.name],
            "losses": [t.name for t in act.losses], "values": values,
            "t_shape": list(t_shape), "cols": _cols(tf),
            "layers": [la.name for la in outer.layers], "inner": [la.name for la in inner.layers],
            "outer_vars": _vars(outer.weights), "updates": len(outer.updates),
            "frozen": [_vars(frozen.trainable_weights), _vars(frozen.weights)]}


def scenario_depthwise_separable(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 5, 5, 2], name="x")
    d = K.layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same", activation="relu")
    y = d(x)
    s = K.layers.SeparableConv2D(3, 2, strides=2)(y)
    feed = {x: _fixed([2, 5, 5, 2], 1)}
    ops = _ops(tf)
    with tf.Session() as sess:
        _set_all(tf, sess)
        values = [_v(v) for v in sess.run([y, s], feed)]
    return {"ops": ops, "outs": [_out(y), _out(s)], "values": values,
            "vars": _vars(tf.global_variables()),
            "err": _err(lambda: K.layers.DepthwiseConv2D(3)(
                tf.placeholder(tf.float32, [None, 5, 2]))),
            "err2": _err(lambda: K.layers.SeparableConv2D(3, 2)(
                tf.placeholder(tf.float32, [None, 5, 5, None])))}


def scenario_upsampling2d(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 2, 3, 1], name="x")
    xu = tf.placeholder(tf.float32, [None, None, 3, 2], name="xu")
    ys = [K.layers.UpSampling2D()(x), K.layers.UpSampling2D((1, 3), interpolation="bilinear")(x),
          K.layers.UpSampling2D(2)(xu)]
    feed = {x: _fixed([2, 2, 3, 1], 1), xu: _fixed([1, 2, 3, 2], 2)}
    ops = _ops(tf)
    with tf.Session() as sess:
        values = [_v(v) for v in sess.run(ys, feed)]
    return {"ops": ops, "outs": [_out(t) for t in ys], "values": values}


def scenario_conv3d_pool3d(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 4, 4, 4, 2], name="x")
    c = K.layers.Conv3D(2, 3, padding="same", activation="relu")(x)
    c2 = K.layers.Conv3D(1, (2, 2, 1), strides=(2, 2, 1))(c)
    mp = K.layers.MaxPooling3D()(c)
    ap = K.layers.AveragePooling3D(pool_size=(2, 1, 2), strides=1, padding="same")(c)
    feed = {x: _fixed([1, 4, 4, 4, 2], 1)}
    ops = _ops(tf)
    with tf.Session() as sess:
        _set_all(tf, sess)
        values = [_v(v) for v in sess.run([c, c2, mp, ap], feed)]
    return {"ops": ops, "outs": [_out(t) for t in (c, c2, mp, ap)], "values": values,
            "vars": _vars(tf.global_variables()),
            "err": _err(lambda: K.layers.Conv3D(2, 3)(tf.placeholder(tf.float32, [None, 4, 4, 2])))}


def scenario_dot_layer(tf):
    K = tf.keras
    a, b = K.Input(shape=(3,)), K.Input(shape=(3,))
    a3, b3 = K.Input(shape=(2, 3)), K.Input(shape=(4, 3))
    c4, d3 = K.Input(shape=(2, 2, 3)), K.Input(shape=(3, 5))
    ys = [K.layers.Dot(axes=1)([a, b]), K.layers.Dot(axes=2)([a3, b3]),
          K.layers.dot([a3, b3], axes=(2, 2), normalize=True),
          K.layers.Dot(axes=(3, 1))([c4, d3]), K.layers.Dot(axes=-1)([a, b])]
    ops = _ops(tf)
    feed = {a: _fixed([2, 3], 1), b: _fixed([2, 3], 2), a3: _fixed([2, 2, 3], 3),
            b3: _fixed([2, 4, 3], 4), c4: _fixed([2, 2, 2, 3], 5), d3: _fixed([2, 3, 5], 6)}
    with tf.Session() as sess:
        values = [_v(v) for v in sess.run(ys, feed)]
    return {"ops": ops, "outs": [_out(t) for t in ys], "values": values,
            "errs": [_err(lambda: K.layers.Dot(axes=1)([a, a3])),
                     _err(lambda: K.layers.Dot(axes="x")),
                     _err(lambda: K.layers.Dot(axes=1)([a]))]}


def scenario_model_api_misc(tf):
    K = tf.keras

    class Tiny(K.Model):
        def __init__(self):
            super().__init__(name="tiny")
            self.a = K.layers.Dense(3)
            self.b = K.layers.Dense(1)

        def call(self, x):
            return self.b(self.a(x))

    x = tf.placeholder(tf.float32, [None, 2], name="x")
    tiny = Tiny()
    tiny(x)
    lines = []
    tiny.summary(print_fn=lines.append)
    ph = tf.placeholder(tf.float32, [None, 4], name="given")
    inp = K.Input(tensor=ph)
    out = K.layers.Dense(2, name="on_given")(inp)
    given = K.Model(inp, out)
    given.trainable = False
    seq = K.Sequential([K.layers.Dense(3, input_shape=(4,)), K.layers.Dense(2),
                        K.layers.Dense(1)])
    seq.pop()
    configs = {k: layer.get_config() for k, layer in (
        ("dropout", K.layers.Dropout(0.3, name="dd")), ("flatten", K.layers.Flatten()),
        ("reshape", K.layers.Reshape((2, 2))), ("leaky", K.layers.LeakyReLU(0.1)),
        ("pool", K.layers.MaxPooling2D(name="mp")), ("concat", K.layers.Concatenate(axis=1)),
        ("embedding", K.layers.Embedding(4, 2, name="emb")))}
    for c in configs.values():
        c.pop("embeddings_initializer", None)
    return {"summary": lines, "layers": [la.name for la in tiny.layers],
            "given": [_out(inp), _out(given.outputs[0]), [la.name for la in given.layers],
                      _vars(given.trainable_weights), _vars(given.non_trainable_weights)],
            "seq": [[la.name for la in seq.layers], _out(seq.outputs[0]), _vars(seq.weights)],
            "configs": configs, "vars": _vars(tf.global_variables()),
            "trainable": _vars(tf.trainable_variables()),
            "get_layer": _err(lambda: given.get_layer("nope"))}


def scenario_batchnorm_variants_and_conv_channels_first(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 3, 2, 2], name="x")
    bn1 = K.layers.BatchNormalization(axis=1, center=False)
    y1 = bn1(x, training=True)
    frozen = K.layers.BatchNormalization(axis=1, scale=False)
    frozen.trainable = False
    y2 = frozen(x, training=True)
    z = tf.placeholder(tf.float32, [None, 4, 3], name="z")
    bn3 = K.layers.BatchNormalization(axis=[1, 2])
    y3 = bn3(z, training=True)
    c = K.layers.Conv2D(2, 2, data_format="channels_first",
                        kernel_regularizer=K.regularizers.l1(0.01))
    y4 = c(x)
    n0 = _n(tf)
    reg = c.losses
    reg_ops = _ops(tf, n0)
    feed = {x: _fixed([4, 3, 2, 2], 1) * 2, z: _fixed([5, 4, 3], 2)}
    ops = _ops(tf)
    with tf.Session() as sess:
        _set_all(tf, sess)
        values = [_v(v) for v in sess.run([y1, y2, y3, y4, reg], feed)]
        sess.run(bn1.updates + bn3.updates, feed)
        moving = [_v(v) for v in sess.run([bn1.moving_mean, bn1.moving_variance,
                                           bn3.moving_mean, bn3.moving_variance])]
    return {"ops": ops[:n0], "reg_ops": reg_ops,
            "outs": [_out(t) for t in (y1, y2, y3, y4)], "values": values, "moving": moving,
            "updates": [len(bn1.updates), len(frozen.updates), len(bn3.updates)],
            "vars": [_vars(b.weights) for b in (bn1, frozen, bn3)],
            "trainable": [_vars(b.trainable_weights) for b in (bn1, frozen, bn3)]}


def scenario_bn_model_trained_with_learning_phase(tf):
    """A Sequential with BatchNormalization and Dropout(0) trained with Adam, the learning
    phase fed True, the moving statistics updated through control_dependencies(updates)."""
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    # no bias before the BatchNormalization: its gradient is zero up to rounding, which Adam
    # would blow up into a +-lr step (noise, not a difference between TF and varstore)
    model = K.Sequential([K.layers.Dense(6, use_bias=False), K.layers.BatchNormalization(),
                          K.layers.LeakyReLU(0.2), K.layers.Dropout(0.0), K.layers.Dense(1)])
    out = model(x)
    loss = tf.reduce_mean(tf.square(out - y))
    with tf.control_dependencies(model.updates):
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
    lp = K.backend.learning_phase()
    feed = {x: _fixed([8, 4], 1) * 2, y: _fixed([8, 1], 2), lp: True}
    steps = []
    with tf.Session() as sess:
        _set_all(tf, sess, model.weights)
        sess.run(tf.variables_initializer([v for v in tf.global_variables()
                                           if "Adam" in v.name or "power" in v.name]))
        for _ in range(4):
            lv, _ = sess.run([loss, train], feed)
            steps.append(round(float(lv), 5))
        bn = model.layers[1]
        moving = [_v(v) for v in sess.run([bn.moving_mean, bn.moving_variance])]
        test = _v(sess.run(out, {x: feed[x]}))
    return {"steps": steps, "moving": moving, "test": test, "updates": len(model.updates),
            "vars": _vars(model.weights), "trainable": _vars(model.trainable_weights)}


def scenario_floatx_and_layer_dtype(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    d = K.layers.Dense(2, dtype="float64", name="d64")
    y = d(x)
    K.backend.set_floatx("float64")
    try:
        inp = K.Input(shape=(3,))
        e = K.layers.Dense(2, name="fx")
        z = e(inp)
        info = [K.backend.floatx(), inp.dtype.name, e.dtype, e.kernel.dtype.name, _out(z)]
    finally:
        K.backend.set_floatx("float32")
    feed = {x: _fixed([2, 3], 1), inp: _fixed([2, 3], 1).astype(np.float64)}
    ops = _ops(tf)
    with tf.Session() as sess:
        _set_all(tf, sess)
        values = [_v(v) for v in sess.run([y, z], feed)]
    return {"ops": ops, "out": _out(y), "dtype": [d.dtype, d.kernel.dtype.name], "info": info,
            "values": values, "floatx": K.backend.floatx()}


def scenario_zz_disable_v2_behavior(tf):
    """After disable_v2_behavior() a default-initialized kernel is built by TF1's
    glorot_uniform (RandomUniform); enable_v2_behavior() sets the flag back, though it
    then refuses eager mode."""
    K = tf.keras
    with tf.Graph().as_default() as g:
        tf.disable_v2_behavior()
        try:
            K.layers.Dense(2)(tf.placeholder(tf.float32, [None, 3], name="x"))
            emb = K.layers.Embedding(4, 2)
            emb(tf.placeholder(tf.int32, [None, 2], name="ids"))
            ops = [[op.name, op.type] for op in g.get_operations()]
            kind = type(K.initializers.get("glorot_uniform")).__module__.split(".")[-1]
            dtype = emb.dtype
        finally:
            with contextlib.suppress(Exception):  # both refuse eager mode here
                tf.enable_v2_behavior()
            if hasattr(tf, "enable_resource_variables"):
                tf.enable_resource_variables()
            if hasattr(tf, "enable_control_flow_v2"):
                tf.enable_control_flow_v2()
    with tf.Graph().as_default() as g2:
        K.layers.Dense(2)(tf.placeholder(tf.float32, [None, 3], name="x"))
        ops2 = [op.name for op in g2.get_operations()][:4]
    return {"ops": ops, "kind": kind, "emb_dtype": dtype, "ops_after": ops2}


def all_scenarios():
    """{name: function} for every scenario, in definition order."""
    return {
        k[len("scenario_"):]: v
        for k, v in globals().items()
        if k.startswith("scenario_") and callable(v)
    }
