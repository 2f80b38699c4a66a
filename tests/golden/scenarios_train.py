"""Golden scenarios of training: each TF1 optimizer (resource and ref variables) with a
decayed learning rate, the global step and an ExponentialMovingAverage, trained for 8 steps
from the same constant-initialised weights and fed batches; TF's losses, final weights,
slot names and train-op name are recorded by ``record_tf.py --set train``."""

import numpy as np

_OPTS = {
    "adam": lambda tf, lr: tf.train.AdamOptimizer(lr),
    "sgd": lambda tf, lr: tf.train.GradientDescentOptimizer(lr),
    "momentum": lambda tf, lr: tf.train.MomentumOptimizer(lr, 0.9),
    "nesterov": lambda tf, lr: tf.train.MomentumOptimizer(lr, 0.9, use_nesterov=True),
    "rmsprop": lambda tf, lr: tf.train.RMSPropOptimizer(lr, momentum=0.5),
    "centered_rmsprop": lambda tf, lr: tf.train.RMSPropOptimizer(lr, momentum=0.5,
                                                                 centered=True),
    "adagrad": lambda tf, lr: tf.train.AdagradOptimizer(lr),
    "adadelta": lambda tf, lr: tf.train.AdadeltaOptimizer(lr * 20.0, rho=0.9, epsilon=1e-6),
    "ftrl": lambda tf, lr: tf.train.FtrlOptimizer(lr * 4.0),
    "ftrl_reg": lambda tf, lr: tf.train.FtrlOptimizer(
        lr * 4.0, learning_rate_power=-0.7, initial_accumulator_value=0.2,
        l1_regularization_strength=0.01, l2_regularization_strength=0.02),
    "ftrl_shrink": lambda tf, lr: tf.train.FtrlOptimizer(
        0.2, l1_regularization_strength=0.001, l2_shrinkage_regularization_strength=0.05,
        beta=0.1),
    "proximal_sgd": lambda tf, lr: tf.train.ProximalGradientDescentOptimizer(
        lr, l1_regularization_strength=0.01, l2_regularization_strength=0.05),
    "proximal_sgd_l2": lambda tf, lr: tf.train.ProximalGradientDescentOptimizer(
        lr, l2_regularization_strength=0.05),
    "proximal_adagrad": lambda tf, lr: tf.train.ProximalAdagradOptimizer(
        lr * 2.0, l1_regularization_strength=0.01, l2_regularization_strength=0.02),
}


def _train(tf, which, ema_on=True):
    rng = np.random.RandomState(0)
    X = rng.randn(8, 3).astype(np.float32)
    Y = rng.randn(8, 1).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.placeholder(tf.float32, [None, 1])
    with tf.variable_scope("d"):
        w = tf.get_variable("w", [3, 4], initializer=tf.constant_initializer(
            rng.randn(3, 4).astype(np.float32)))
        b = tf.get_variable("b", [4], initializer=tf.constant_initializer(0.1))
    v = tf.get_variable("v", [4, 1], initializer=tf.constant_initializer(
        rng.randn(4, 1).astype(np.float32)))
    h = tf.nn.relu(tf.matmul(x, w) + b)
    loss = tf.reduce_mean(tf.square(tf.matmul(h, v) - y))
    gs = tf.train.get_or_create_global_step()
    lr = tf.train.exponential_decay(0.05, gs, 3, 0.5, staircase=True)
    opt = _OPTS[which](tf, lr)
    t = opt.minimize(loss, global_step=gs)
    step = t
    ema = None
    if ema_on:
        ema = tf.train.ExponentialMovingAverage(0.9, num_updates=gs)
        with tf.control_dependencies([t]):
            step = ema.apply([w, v])
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    losses = []
    for _ in range(8):
        l, _ = sess.run([loss, step], {x: X, y: Y})
        losses.append(round(float(l), 5))
    out = {"loss": losses, "names": sorted(v.name for v in tf.global_variables()),
           "train_op": [t.name, t.type], "w": np.round(sess.run(w), 5).tolist(),
           "step": int(sess.run(gs)), "slots": opt.get_slot_names(),
           "opt_vars": [u.name for u in opt.variables()]}
    if ema is not None:
        out["ema"] = np.round(sess.run(ema.average(w)), 5).tolist()
        out["ema_name"] = ema.average_name(w)
    return out


def _make(which, ref):
    def scenario(tf):
        if ref:
            tf.disable_resource_variables()
        try:
            return _train(tf, which, ema_on=not ref)
        finally:
            if ref:
                tf.enable_resource_variables()
    return scenario


def scenario_lr_schedules(tf):
    gs = tf.train.get_or_create_global_step()
    lrs = [tf.train.exponential_decay(0.1, gs, 10, 0.5, staircase=True),
           tf.train.exponential_decay(0.1, gs, 10, 0.5),
           tf.train.piecewise_constant(gs, [5, 10], [1.0, 0.5, 0.1]),
           tf.train.polynomial_decay(0.1, gs, 10),
           tf.train.polynomial_decay(0.1, gs, 4, cycle=True),
           tf.train.natural_exp_decay(0.1, gs, 10, 0.5),
           tf.train.inverse_time_decay(0.1, gs, 10, 0.5),
           tf.train.cosine_decay(0.1, gs, 10)]
    inc = tf.assign_add(gs, 3)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    out = []
    for _ in range(5):
        out.append([round(float(v), 6) for v in sess.run(lrs)])
        sess.run(inc)
    return {"values": out, "names": [lrs[0].name, lrs[3].name], "gs": [gs.name, gs.dtype.name],
            "coll": [v.name for v in tf.get_collection(tf.GraphKeys.GLOBAL_STEP)]}


def scenario_lr_schedules_cosine_family(tf):
    tf.set_random_seed(11)
    gs = tf.train.get_or_create_global_step()
    lrs = [tf.train.cosine_decay_restarts(0.1, gs, 4), tf.train.cosine_decay_restarts(0.1, gs, 3, t_mul=1.0, m_mul=0.5, alpha=0.1),
           tf.train.linear_cosine_decay(0.1, gs, 12), tf.train.linear_cosine_decay(0.1, gs, 12, num_periods=2.0, alpha=0.1, beta=0.0),
           tf.train.noisy_linear_cosine_decay(0.1, gs, 12)]
    inc = tf.assign_add(gs, 2)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    out = []
    for _ in range(8):
        out.append([round(float(v), 6) for v in sess.run(lrs)])
        sess.run(inc)
    try:
        tf.train.linear_cosine_decay(0.1, None, 3)
    except ValueError as e:
        err = str(e)
    return {"values": out, "names": [t.name for t in lrs], "err": err}


def scenario_optimizer_errors(tf):
    def err(fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            return type(e).__name__
        return None
    x = tf.constant([1.0, 2.0])
    w = tf.get_variable("w", [2])
    u = tf.get_variable("u", [2])
    opt = tf.train.GradientDescentOptimizer(0.1)
    return {"no_vars": err(lambda: opt.minimize(tf.reduce_sum(x), var_list=[])),
            "no_grads": err(lambda: opt.minimize(tf.reduce_sum(x * u), var_list=[w])),
            "apply_empty": err(lambda: opt.apply_gradients([])),
            "ftrl_power": err(lambda: tf.train.FtrlOptimizer(0.1, learning_rate_power=0.5)),
            "ftrl_l1": err(lambda: tf.train.FtrlOptimizer(0.1, l1_regularization_strength=-1.)),
            "padagrad_init": err(lambda: tf.train.ProximalAdagradOptimizer(
                0.1, initial_accumulator_value=0.0)),
            "int_loss": err(lambda: opt.minimize(tf.constant(1), var_list=[w])),
            "none_grad": opt.compute_gradients(tf.reduce_sum(w * 2.0), var_list=[w, u])[1][0]
            is None}


def scenario_gradient_graph_of_a_convnet(tf):
    """The gradient ops TF builds for a small convnet with tf.layers, an L2 penalty and a
    sparse softmax cross entropy: names, types, inputs and attribute names, op for op."""
    tf.set_random_seed(1)
    x = tf.placeholder(tf.float32, [None, 8, 8, 3], name="x")
    lab = tf.placeholder(tf.int64, [None], name="lab")
    h = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu)
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.batch_normalization(h, training=True)
    h = tf.layers.flatten(h)
    logits = tf.layers.dense(h, 5)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=lab,
                                                                         logits=logits))
    loss += 0.01 * tf.add_n([tf.nn.l2_loss(v) for v in tf.trainable_variables()])
    soft = tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.one_hot(lab, 5), logits=logits)
    grads = tf.gradients(loss + tf.reduce_sum(soft), tf.trainable_variables())
    ops = [o for o in tf.get_default_graph().get_operations()
           if o.name.startswith("gradients/")]
    return {"ops": [[o.name, o.type, [i.name for i in o.inputs],
                     sorted(a for a in o.node_def.attr if not a.startswith("_"))]
                    for o in ops],
            "grads": [g.name for g in grads]}


def _forward_ops(tf):
    # (initializers aside: TF's tf-keras layers draw stateless values from a random seed;
    # and the while loop's body aside: TF keeps it in a function graph)
    def plain(name):
        return name.replace("stateless_random_uniform", "random_uniform")
    # (a While op's body / cond / output_shapes attrs name FunctionDefs, which varstore's
    # loops are not; its inputs and outputs are compared)
    return [[o.name, o.type, [plain(i.name) for i in o.inputs],
             [] if o.type in ("While", "StatelessWhile") else
             sorted(a for a in o.node_def.attr if not a.startswith("_")),
             [str(t.shape) for t in o.outputs]]
            for o in tf.get_default_graph().get_operations()
            if "Initializer" not in o.name and "/while/" not in o.name]


def scenario_forward_graph_of_a_gan(tf):
    """The forward ops of a small DCGAN-style generator and shared discriminator."""
    z = tf.placeholder(tf.float32, [None, 16], name="z")
    real = tf.placeholder(tf.float32, [None, 8, 8, 1], name="real")

    def gen(z):
        with tf.variable_scope("gen"):
            h = tf.layers.dense(z, 4 * 4 * 8)
            h = tf.reshape(h, [-1, 4, 4, 8])
            h = tf.nn.leaky_relu(h, 0.2)
            h = tf.layers.conv2d_transpose(h, 1, 4, strides=2, padding="same")
            return tf.tanh(h)

    def disc(x, reuse):
        with tf.variable_scope("disc", reuse=reuse):
            h = tf.layers.conv2d(x, 4, 4, strides=2, padding="same")
            h = tf.nn.leaky_relu(h, 0.2)
            return tf.layers.dense(tf.layers.flatten(h), 1)

    fake = gen(z)
    dr, df = disc(real, False), disc(fake, True)
    tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(dr), logits=dr))
    tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros_like(df), logits=df))
    return {"ops": _forward_ops(tf)}


def scenario_forward_graph_of_an_lstm_classifier(tf):
    """The forward ops (outside the loop body) of a 2-layer LSTM classifier."""
    x = tf.placeholder(tf.float32, [None, 5, 3], name="x")
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(4, name=f"l{i}")
                                        for i in range(2)])
    out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    logits = tf.layers.dense(out[:, -1], 2)
    tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.one_hot([0, 1], 2),
                                                              logits=logits))
    return {"ops": _forward_ops(tf)}


def scenario_forward_graph_of_a_mnist_convnet(tf):
    """The forward ops of a TF1-tutorial convnet: raw conv2d / max_pool / lrn, dropout with
    a fed keep_prob, an L2 penalty, exponential decay, summaries and tf.metrics.accuracy."""
    x = tf.placeholder(tf.float32, [None, 28, 28, 1], name="x")
    y = tf.placeholder(tf.int64, [None], name="y")
    kp = tf.placeholder(tf.float32, name="kp")
    w1 = tf.Variable(tf.truncated_normal([5, 5, 1, 8], stddev=0.1, seed=1), name="w1")
    b1 = tf.Variable(tf.constant(0.1, shape=[8]), name="b1")
    h = tf.nn.relu(tf.nn.conv2d(x, w1, strides=[1, 1, 1, 1], padding="SAME") + b1)
    h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    h = tf.nn.lrn(h, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75)
    flat = tf.reshape(h, [-1, 14 * 14 * 8])
    w2 = tf.get_variable("w2", [14 * 14 * 8, 10],
                         initializer=tf.truncated_normal_initializer(stddev=0.1))
    logits = tf.matmul(tf.nn.dropout(flat, kp), w2)
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=y, logits=logits)) + 5e-4 * tf.nn.l2_loss(w2)
    step = tf.train.get_or_create_global_step()
    tf.train.exponential_decay(0.01, step, 100, 0.95, staircase=True)
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("w1", w1)
    tf.summary.merge_all()
    tf.metrics.accuracy(labels=y, predictions=tf.argmax(logits, 1))
    tf.equal(tf.argmax(logits, 1), y)
    return {"ops": _forward_ops(tf)}


def scenario_prod_gradient_any_shape(tf):
    """reduce_prod's gradient on static, partially known and unknown shapes (with a zero)."""
    x = np.arange(1, 25, dtype=np.float32).reshape(2, 3, 4) / 10
    x[0, 1, 2] = 0.0
    a = tf.constant(x, name="a")
    p = tf.placeholder(tf.float32, [None, 3, 4], name="p")
    u = tf.placeholder(tf.float32, name="u")
    outs = [tf.reduce_prod(a, 1), tf.reduce_prod(a, [0, 2], keepdims=True),
            tf.reduce_prod(p, -1), tf.reduce_prod(u, 0), tf.reduce_prod(a)]
    g = tf.gradients(tf.add_n([tf.reduce_sum(o * o) for o in outs]), [a, p, u])
    with tf.Session() as s:
        vals = s.run(g, {p: x, u: x})
    return {"grads": [np.round(v.astype(np.float64), 4).tolist() for v in vals],
            "types": sorted({o.type for o in tf.get_default_graph().get_operations()
                             if o.name.startswith("gradients/Prod")})}


def all_scenarios():
    out = {}
    for which in _OPTS:
        out[f"train_{which}"] = _make(which, False)
        out[f"train_{which}_ref"] = _make(which, True)
    out.update({k[len("scenario_"):]: v for k, v in globals().items()
                if k.startswith("scenario_") and callable(v)})
    return out


def _monitored_program(tf, ckpt_dir, steps, hooks_extra=()):
    rng = np.random.RandomState(3)
    X = rng.randn(8, 3).astype(np.float32)
    Y = rng.randn(8, 1).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [None, 1])
    w = tf.get_variable("w", [3, 1], initializer=tf.constant_initializer(0.3))
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
    tf.summary.scalar("loss", loss)
    gs = tf.train.get_or_create_global_step()
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=gs)
    hooks = [tf.train.StopAtStepHook(last_step=steps), tf.train.NanTensorHook(loss),
             *hooks_extra]
    losses = []
    final = tf.train.FinalOpsHook(w)
    with tf.train.MonitoredTrainingSession(checkpoint_dir=ckpt_dir, hooks=hooks + [final],
                                           save_checkpoint_steps=2,
                                           save_summaries_steps=1) as sess:
        while not sess.should_stop():
            losses.append(round(float(sess.run([loss, train], {x: X, y: Y})[0]), 5))
    return losses, np.round(final.final_ops_values, 5).tolist()


def scenario_monitored_training_session(tf):
    import os
    import tempfile
    d = tempfile.mkdtemp()
    first, w1 = _monitored_program(tf, d, 5)
    # varstore writes no .meta (MetaGraphDef) files: compared without them
    files1 = sorted(f for f in os.listdir(d) if f.startswith(("model.ckpt", "checkpoint",
                                                               "graph"))
                    and not f.endswith(".meta"))
    tf.reset_default_graph()
    # A second run of the same program restores the last checkpoint and continues to 8.
    second, w2 = _monitored_program(tf, d, 8)
    state = tf.train.get_checkpoint_state(d)
    return {"first": first, "second": second, "w1": w1, "w2": w2, "files": files1,
            "latest": os.path.basename(state.model_checkpoint_path),
            "all": [os.path.basename(p) for p in state.all_model_checkpoint_paths]}


def scenario_monitored_session_out_of_range_and_hooks(tf):
    v = tf.get_variable("v", [], initializer=tf.zeros_initializer())
    u = tf.get_variable("u", [], initializer=tf.constant_initializer(5.0))
    inc = tf.assign_add(v, 1.0)
    calls = []

    class Hook(tf.train.SessionRunHook):
        def begin(self):
            calls.append("begin")

        def after_create_session(self, session, coord):
            calls.append("create")

        def before_run(self, run_context):
            calls.append("before")
            return tf.train.SessionRunArgs({"u": u})

        def after_run(self, run_context, run_values):
            calls.append(f"after {float(run_values.results['u'])}")
            if len(calls) >= 7:
                run_context.request_stop()

        def end(self, session):
            calls.append("end")

    out = []
    with tf.train.SingularMonitoredSession(hooks=[Hook()]) as sess:
        while not sess.should_stop():
            out.append(float(sess.run(inc)))
        finalized = tf.get_default_graph().finalized
    errors = {}
    try:
        tf.train.StopAtStepHook()
    except ValueError as e:
        errors["stop_hook"] = str(e)
    try:
        tf.train.SummarySaverHook(save_steps=1)
    except ValueError as e:
        errors["summary_hook"] = str(e)
    return {"out": out, "calls": calls, "finalized_inside": finalized,
            "finalized_after": tf.get_default_graph().finalized, "errors": errors}
