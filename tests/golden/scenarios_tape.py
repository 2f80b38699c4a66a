"""Golden scenarios of tf.GradientTape in graph mode (``record_tf.py --set tape``): watched
tensors and accessed variables, nested sources, persistent tapes and higher orders,
stop_recording / reset, output_gradients, unconnected sources, IndexedSlices, jacobians,
a training step from tape gradients, and the tape's errors."""

import numpy as np


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e)}
    return {"type": None, "msg": None}


def _r(v):
    return np.round(np.asarray(v, np.float64), 4).tolist()


_X = np.array([[1.0, -2.0, 3.0], [0.5, 1.0, -1.0]], np.float32)


def _model(tf):
    x = tf.placeholder(tf.float32, [2, 3], name="x")
    w = tf.get_variable("w", initializer=np.arange(12, dtype=np.float32).reshape(3, 4) / 10)
    b = tf.Variable(np.ones(4, np.float32), name="b")
    return x, w, b


def scenario_watched_tensor_and_accessed_variables(tf):
    x, w, b = _model(tf)
    c = tf.constant(2.0)
    frozen = tf.Variable(3.0, trainable=False, name="frozen")
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tf.name_scope("layer"):
            y = tf.nn.relu(tf.matmul(x, w) + b)
        z = tf.reduce_sum(y * y) + c * c + frozen * 1.0
    grads = tape.gradient(z, {"x": x, "wb": [w, b], "c": c, "frozen": frozen})
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        vals = s.run({"x": grads["x"], "w": grads["wb"][0], "b": grads["wb"][1]}, {x: _X})
    return {"vals": {k: _r(v) for k, v in vals.items()},
            "none": [grads["c"] is None, grads["frozen"] is None],
            "watched": [v.name for v in tape.watched_variables()],
            "shapes": [grads["x"].shape.as_list(), grads["wb"][0].shape.as_list()],
            "again": _err(lambda: tape.gradient(z, x))}


def scenario_persistent_higher_order_and_output_gradients(tf):
    x, w, _ = _model(tf)
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(x)
        with tf.GradientTape(persistent=True) as inner:
            inner.watch(x)
            y = tf.reduce_sum(tf.sin(x) * x)
        dy = inner.gradient(y, x)
    d2 = outer.gradient(dy, x)
    q = tf.matmul(x, w)
    with tf.GradientTape() as t2:
        t2.watch(q)
        r = q * q
    g_out = t2.gradient(r, q, output_gradients=tf.ones([2, 4]) * 0.5)
    g1 = inner.gradient(y, [x, w])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        v = s.run([dy, d2, g_out, g1[0]], {x: _X})
    return {"dy": _r(v[0]), "d2": _r(v[1]), "g_out": _r(v[2]), "g1": _r(v[3]),
            "w_none": g1[1] is None}


def scenario_stop_recording_and_reset(tf):
    x, w, _ = _model(tf)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a = x * x
        with tape.stop_recording():
            b = a * 5.0
        c = a + b
        with tf.GradientTape() as t_reset:
            t_reset.watch(x)
            junk = x * 100.0
            t_reset.reset()
            t_reset.watch(x)
            kept = x * 3.0 + junk
    ga = tape.gradient(c, x)
    gr = t_reset.gradient(kept, x)
    with tf.Session() as s:
        v = s.run([ga, gr], {x: _X})
    return {"ga": _r(v[0]), "gr": _r(v[1]),
            "stop_outside": _err(lambda: tape.stop_recording().__enter__()),
            "reset_outside": _err(tape.reset)}


def scenario_unconnected_and_errors(tf):
    x, _, _ = _model(tf)
    c = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        n = c * 2.0
        watch_err = _err(lambda: tape.watch(3))
    z = tape.gradient(n, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    z2 = tape.gradient(n, x, unconnected_gradients="zero")
    with tf.Session() as s:
        zv = s.run(z)
    bad = _err(lambda: tape.gradient(n, x, unconnected_gradients="sometimes"))
    return {"none": tape.gradient(n, x) is None, "zero": _r(zv), "zero_shape": z2.shape.as_list(),
            "watch_err": watch_err, "none_target": _err(lambda: tape.gradient(None, x)),
            "bad_unconnected": bad["type"],
            "reenter": _err(lambda: (tape.__enter__(), tape.__enter__()))}


def scenario_indexed_slices_of_gathered_variable(tf):
    _, w, _ = _model(tf)
    with tf.GradientTape() as tape:
        e = tf.reduce_sum(tf.nn.embedding_lookup(w, [0, 2, 0]) * 2.0)
    g = tape.gradient(e, w)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        dense = s.run(tf.convert_to_tensor(g))
        idx = s.run(g.indices)
    return {"type": type(g).__name__, "dense": _r(dense), "indices": idx.tolist()}


def scenario_jacobians(tf):
    x, w, _ = _model(tf)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        s = tf.reduce_sum(x * x, axis=1)
        m = tf.matmul(x, w)
        y = tf.tanh(x) * 2.0
    jac = tape.jacobian(s, x)
    jw = tape.jacobian(m, [x, w])
    bj = tape.batch_jacobian(y, x)
    bj_unconnected = tape.batch_jacobian(tf.ones([2, 2]), x)
    with tf.Session() as s_:
        s_.run(tf.global_variables_initializer())
        v = s_.run([jac, jw[0], jw[1], bj, bj_unconnected], {x: _X})
    return {"jac": _r(v[0]), "jw_x": _r(v[1]), "jw_w": _r(v[2]), "bj": _r(v[3]),
            "bj_unconnected": _r(v[4]),
            "shapes": [list(np.shape(a)) for a in v],
            "mismatch": _err(lambda: tape.batch_jacobian(tf.ones([3, 2]), x))["msg"]}


def scenario_training_step_from_tape(tf):
    x, w, b = _model(tf)
    labels = tf.constant([[0.0, 1.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]])
    opt = tf.train.AdamOptimizer(0.1)
    with tf.GradientTape() as tape:
        logits = tf.matmul(x, w) + b
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels,
                                                                          logits=logits))
    variables = tape.watched_variables()
    grads = tape.gradient(loss, variables)
    step = opt.apply_gradients(zip(grads, variables))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        losses = []
        for _ in range(3):
            losses.append(float(s.run(loss, {x: _X})))
            s.run(step, {x: _X})
        wv, bv = s.run([w, b])
    return {"losses": _r(losses), "w": _r(wv), "b": _r(bv),
            "vars": [v.name for v in variables]}


def all_scenarios():
    return {k[len("scenario_"):]: v for k, v in globals().items()
            if k.startswith("scenario_") and callable(v)}
