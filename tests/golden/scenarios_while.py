# ruff: noqa: SIM117
"""Golden scenarios of tf.while_loop, tf.TensorArray and tf.nn.dynamic_rnn: the names and
shapes at the loop's boundary (TF2's graph mode builds while_v2: one ``while`` op, outputs
``while/Identity_<k>``), values, gradients through loops (nested, with a cond inside, with
TensorArrays) and a few training steps, every weight set from fixed NumPy arrays.

Inside the loop TF keeps the body in a function graph, varstore in the same graph under
``while/body``: op names inside are never compared, nor gradient op names.

Same conventions as ``scenarios.py``; TF's results are recorded by
``record_tf.py --set while`` into ``tf1_expected_while.json``.
"""

import numpy as np


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    return a.tolist()


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e)}
    return {"type": None, "msg": None}


def _err_type(fn):
    return _err(fn)["type"]


def _fixed(shape, k):
    n = int(np.prod(shape)) if shape else 1
    return (0.5 * np.sin(np.arange(n) * 0.37 + k)).reshape(shape).astype(np.float32)


def _set_weights(tf, sess):
    sess.run(tf.global_variables_initializer())
    for k, v in enumerate(tf.global_variables()):
        sess.run(v.assign(_fixed(v.shape.as_list(), k)))


def _desc(t):
    return [t.name, t.shape.as_list() if t.shape.rank is not None else None, t.dtype.name]


def scenario_counter_and_values(tf):
    i = tf.constant(0)
    x = tf.constant([1.0, 2.0])
    r = tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, x * 2.0), [i, x])
    single = tf.while_loop(lambda x: x < 100.0, lambda x: x * 2.0, [tf.constant(1.0)])
    capped = tf.while_loop(lambda x: x < 100.0, lambda x: x * 2.0, [tf.constant(1.0)],
                           maximum_iterations=3)
    same = tf.while_loop(lambda x: x < 5, lambda x: x + 1, [tf.constant(0)],
                         return_same_structure=True)
    op = tf.get_default_graph().get_operation_by_name("while")
    with tf.Session() as s:
        vals = s.run([r, single, capped, same])
    return {"r": [_desc(t) for t in r], "single": _desc(single), "capped": _desc(capped),
            "same": [type(same).__name__, _desc(same[0])], "values": _v(vals[0][1]),
            "i": int(vals[0][0]), "single_v": _v(vals[1]), "capped_v": _v(vals[2]),
            "same_v": _v(vals[3]), "op": [op.type, len(op.inputs), len(op.outputs)]}


def scenario_placeholders_and_nested_structure(tf):
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    n = tf.placeholder(tf.int32, [], name="n")

    def body(i, pair):
        a, b = pair
        return i + 1, (a + b, b * 0.5)

    out = tf.while_loop(lambda i, p: i < n, body, (0, (x, tf.ones_like(x))))
    with tf.Session() as s:
        v = s.run(out, {x: [[1.0, 2.0], [3.0, 4.0]], n: 4})
        v0 = s.run(out, {x: [[1.0, 2.0]], n: 0})
    return {"names": [out[0].name, out[1][0].name, out[1][1].name],
            "shapes": [out[1][0].shape.as_list()], "v": [int(v[0]), _v(v[1][0]), _v(v[1][1])],
            "zero_iterations": [int(v0[0]), _v(v0[1][0])]}


def scenario_shape_invariants(tf):
    def grow(x):
        return tf.concat([x, x], 0)

    err = _err(lambda: tf.while_loop(lambda x: tf.reduce_sum(x) < 10, grow,
                                     [tf.constant([1.0])]))
    out = tf.while_loop(lambda x: tf.reduce_sum(x) < 10, grow, [tf.constant([1.0])],
                        shape_invariants=[tf.TensorShape([None])])
    with tf.Session() as s:
        v = s.run(out)
    return {"err": err, "shape": out.shape.as_list(), "v": _v(v)}


def scenario_errors(tf):
    return {
        "body": _err(lambda: tf.while_loop(lambda x: x < 1, 3, [tf.constant(1)])),
        "cond": _err(lambda: tf.while_loop(3, lambda x: x, [tf.constant(1)])),
        "structure": _err_type(lambda: tf.while_loop(lambda x: x < 1, lambda x: (x, x),
                                                     [tf.constant(1)])),
        "dtype": _err_type(lambda: tf.while_loop(lambda x: x < 1, lambda x: x + 1.0,
                                                 [tf.constant(1)])),
    }


def scenario_gradients_through_loops(tf):
    w = tf.Variable(3.0)
    a = tf.placeholder(tf.float32, [])
    r = tf.while_loop(lambda i, x: i < 4, lambda i, x: (i + 1, x * w), [0, a])
    g = tf.gradients(r[1], [w, a])
    y2 = tf.while_loop(lambda i, x: i < 2, lambda i, x: (
        i + 1, tf.cond(i > 0, lambda: x * 2.0, lambda: x * w)), [0, a])[1]
    g2 = tf.gradients(y2, [w, a])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        v = s.run([r[1], g, y2, g2], {a: 1.5})
    return {"v": [_v(v[0]), _v(v[1]), _v(v[2]), _v(v[3])],
            "shapes": [t.shape.as_list() for t in g + g2]}


def scenario_tensor_array_rnn_and_nested(tf):
    x0 = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2))
    w = tf.Variable(np.array([[0.5, -1.0], [2.0, 0.25]], np.float32))
    ta_in = tf.TensorArray(tf.float32, size=3).unstack(x0)

    def body(t, h, ta):
        xt = ta_in.read(t)
        h2 = tf.tanh(tf.matmul(tf.reshape(xt, [1, 2]), w) + h)
        return t + 1, h2, ta.write(t, tf.reshape(h2, [2]))

    _, h_t, ta_out = tf.while_loop(lambda t, h, ta: t < 3, body,
                                   [0, tf.zeros([1, 2]), tf.TensorArray(tf.float32, size=3)])
    outs = ta_out.stack()
    loss = tf.reduce_sum(outs * outs) + tf.reduce_sum(h_t)
    gw, gx = tf.gradients(loss, [w, x0])

    def outer(i, acc):
        inner = tf.while_loop(lambda j, a: j < i, lambda j, a: (j + 1, a * 1.5), [0, acc])[1]
        return i + 1, tf.cond(i > 1, lambda: inner + 1.0, lambda: inner * w[0, 0])

    _, acc = tf.while_loop(lambda i, a: i < 4, outer, [0, tf.constant(2.0)])
    ga = tf.gradients(acc, w)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        v = s.run([outs, h_t, loss, gw, gx, acc, ga])
    return {"values": [_v(t) for t in v], "outs": _desc(outs), "h": _desc(h_t),
            "read": ta_in.read(0).shape.as_list()}


def scenario_dynamic_rnn_lstm2_gru_seq_len(tf):
    x = tf.placeholder(tf.float32, [None, 5, 3], name="x")
    cells = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(4),
                                         tf.nn.rnn_cell.BasicLSTMCell(4)])
    out, st = tf.nn.dynamic_rnn(cells, x, dtype=tf.float32)
    out2, st2 = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(3), x, dtype=tf.float32,
                                  sequence_length=[2, 5], scope="g")
    loss = tf.reduce_mean(out ** 2) + tf.reduce_sum(st[1].h) + tf.reduce_mean(out2) + \
        tf.reduce_sum(st2)
    grads = tf.gradients(loss, tf.trainable_variables())
    xv = _fixed([2, 5, 3], 7)
    with tf.Session() as s:
        _set_weights(tf, s)
        v = s.run([out, st, out2, st2, grads], {x: xv})
    return {"out": _desc(out), "state": [[_desc(c.c), _desc(c.h)] for c in st],
            "out2": _desc(out2), "st2": _desc(st2),
            "vars": [[v_.name, v_.shape.as_list()] for v_ in tf.global_variables()],
            "values": [_v(v[0]), [[_v(c.c), _v(c.h)] for c in v[1]], _v(v[2]), _v(v[3])],
            "grads": [_v(g) for g in v[4]]}


def scenario_dynamic_rnn_time_major_initial_state(tf):
    x = tf.constant(_fixed([4, 2, 3], 3))  # time major
    cell = tf.nn.rnn_cell.LSTMCell(3, use_peepholes=True, num_proj=2)
    init = cell.zero_state(2, tf.float32)
    out, st = tf.nn.dynamic_rnn(cell, x, initial_state=init, time_major=True)
    with tf.Session() as s:
        _set_weights(tf, s)
        v = s.run([out, st])
    return {"out": _desc(out), "st": [_desc(st.c), _desc(st.h)],
            "vars": [[v_.name, v_.shape.as_list()] for v_ in tf.global_variables()],
            "values": [_v(v[0]), _v(v[1].c), _v(v[1].h)]}


def scenario_bidirectional_dynamic_rnn(tf):
    x = tf.constant(_fixed([2, 4, 3], 5))
    (fw, bw), (sf, sb) = tf.nn.bidirectional_dynamic_rnn(
        tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.BasicRNNCell(3), x, dtype=tf.float32)
    with tf.Session() as s:
        _set_weights(tf, s)
        v = s.run([fw, bw, sf, sb])
    return {"names": [_desc(t) for t in (fw, bw, sf, sb)],
            "vars": [[v_.name, v_.shape.as_list()] for v_ in tf.global_variables()],
            "values": [_v(t) for t in v]}


def scenario_char_rnn_training(tf):
    # a character model as the public char-rnn programs write it: embedding, 2-layer LSTM
    # through dynamic_rnn, softmax over the vocabulary, Adam with gradient clipping
    vocab, steps, batch = 7, 6, 2
    inp = tf.placeholder(tf.int32, [batch, steps], name="input")
    tgt = tf.placeholder(tf.int32, [batch, steps], name="target")
    with tf.variable_scope("model"):
        emb = tf.get_variable("embedding", [vocab, 5])
        cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(6)
                                            for _ in range(2)])
        init = cell.zero_state(batch, tf.float32)
        outputs, final = tf.nn.dynamic_rnn(cell, tf.nn.embedding_lookup(emb, inp),
                                           initial_state=init)
        flat = tf.reshape(outputs, [-1, 6])
        w = tf.get_variable("softmax_w", [6, vocab])
        b = tf.get_variable("softmax_b", [vocab])
        logits = tf.matmul(flat, w) + b
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.reshape(tgt, [-1]), logits=logits))
    tvars = tf.trainable_variables()
    grads, _ = tf.clip_by_global_norm(tf.gradients(loss, tvars), 5.0)
    train = tf.train.AdamOptimizer(0.01).apply_gradients(zip(grads, tvars))
    xs = (np.arange(batch * steps).reshape(batch, steps) * 3) % vocab
    ys = (xs + 1) % vocab
    losses = []
    with tf.Session() as s:
        _set_weights(tf, s)
        s.run(tf.variables_initializer([v for v in tf.global_variables()
                                        if "Adam" in v.name or "power" in v.name]))
        for _ in range(3):
            losses.append(float(s.run([loss, train], {inp: xs, tgt: ys})[0]))
        emb_v = s.run(emb)
    return {"losses": _v(losses), "emb": _v(emb_v), "outputs": _desc(outputs),
            "final": [[_desc(c.c), _desc(c.h)] for c in final]}


def all_scenarios():
    """{name: function} for every scenario, in definition order."""
    return {
        k[len("scenario_"):]: v
        for k, v in globals().items()
        if k.startswith("scenario_") and callable(v)
    }
