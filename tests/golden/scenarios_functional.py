# ruff: noqa: SIM117
"""Golden scenarios of TF1's functional and sequence ops: tf.map_fn, tf.scan, tf.foldl,
tf.foldr (TF builds them on tf.while_loop and TensorArrays), tf.reverse_sequence, the
TensorArray methods, bidirectional_dynamic_rnn with sequence_length, tf.custom_gradient and
tf.case / tf.switch_case: values, static shapes, output names at the loop's boundary,
gradients (w.r.t. the elements and what ``fn`` reads from outside) and errors.

Op names inside loops are never compared, nor gradient op names.

Same conventions as ``scenarios.py``; TF's results are recorded by
``record_tf.py --set functional`` into ``tf1_expected_functional.json``.
"""

import numpy as np


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    if a.dtype.kind == "b":
        return a.tolist()
    return a.tolist()


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        return {"type": type(e).__name__, "msg": str(e)}
    return {"type": None, "msg": None}


def _err_type(fn):
    return _err(fn)["type"]


def _shape(t):
    return t.shape.as_list() if t.shape.rank is not None else None


def _desc(t):
    return [t.name, _shape(t), t.dtype.name]


def _fixed(shape, k):
    n = int(np.prod(shape)) if shape else 1
    return (0.5 * np.sin(np.arange(n) * 0.37 + k)).reshape(shape).astype(np.float32)


def _set_weights(tf, sess):
    sess.run(tf.global_variables_initializer())
    for k, v in enumerate(tf.global_variables()):
        sess.run(v.assign(_fixed(v.shape.as_list(), k)))


def scenario_map_fn_basic(tf):
    x = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2))
    sq = tf.map_fn(lambda r: r * r + 1.0, x)
    red = tf.map_fn(lambda r: tf.reduce_sum(r), x)
    cast = tf.map_fn(lambda r: tf.cast(r, tf.int32) * 2, x, dtype=tf.int32)
    p = tf.placeholder(tf.float32, [None, 2])
    dyn = tf.map_fn(lambda r: tf.concat([r, r], 0), p, name="dyn")
    with tf.Session() as s:
        v = s.run([sq, red, cast, dyn], {p: np.ones((4, 2), np.float32)})
    return {"sq": _desc(sq), "red": _desc(red), "cast": _desc(cast), "dyn": _desc(dyn),
            "v": [_v(a) for a in v]}


def scenario_map_fn_nested(tf):
    a = tf.constant(np.arange(4, dtype=np.float32))
    b = tf.constant(np.arange(8, dtype=np.float32).reshape(4, 2))
    out = tf.map_fn(lambda e: (e[0] * 2.0, e[1] + e[0]), (a, b))
    mixed = tf.map_fn(lambda e: e[0] * tf.reduce_sum(e[1]), (a, b), dtype=tf.float32)
    pair = tf.map_fn(lambda r: (r, tf.cast(r > 3.0, tf.int32)), b,
                     dtype=(tf.float32, tf.int32))
    with tf.Session() as s:
        v = s.run([out, mixed, pair])
    return {"out": [_desc(t) for t in out], "mixed": _desc(mixed),
            "pair": [_desc(t) for t in pair], "types": [type(out).__name__,
                                                       type(pair).__name__],
            "v": [[_v(t) for t in v[0]], _v(v[1]), [_v(t) for t in v[2]]]}


def scenario_map_fn_gradients(tf):
    w = tf.Variable(np.array([[0.5, -1.0], [2.0, 0.25]], np.float32))
    bias = tf.Variable(np.array([0.1, -0.2], np.float32))
    x = tf.placeholder(tf.float32, [3, 2])
    y = tf.map_fn(lambda r: tf.tanh(tf.matmul(tf.reshape(r, [1, 2]), w)[0] + bias), x)
    loss = tf.reduce_sum(y * y)
    g = tf.gradients(loss, [w, bias, x])
    nb = tf.map_fn(lambda r: r * w[0, 0], x, back_prop=False)
    g_nb = tf.gradients(tf.reduce_sum(nb), [w])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        feed = {x: np.array([[1.0, 2.0], [-0.5, 0.3], [0.0, 1.5]], np.float32)}
        v = s.run([y, loss] + g, feed)
    return {"y": _desc(y), "v": [_v(t) for t in v], "g_shapes": [_shape(t) for t in g],
            "g_nb": [t is None for t in g_nb]}


def scenario_map_fn_errors(tf):
    x = tf.constant([1.0, 2.0])
    return {
        "scalar": _err(lambda: tf.map_fn(lambda r: r, tf.constant(1.0))),
        "not_callable": _err_type(lambda: tf.map_fn(3, x)),
        "structure": _err_type(lambda: tf.map_fn(lambda r: (r, r), x)),
        "empty": _err_type(lambda: tf.map_fn(lambda r: r, [])),
        "mismatch": _err_type(lambda: tf.map_fn(lambda e: e[0], (x, tf.constant([1.0])))),
    }


def scenario_scan(tf):
    x = tf.constant(np.arange(1, 6, dtype=np.float32))
    cum = tf.scan(lambda a, e: a + e, x)
    rev = tf.scan(lambda a, e: a + e, x, reverse=True)
    init = tf.scan(lambda a, e: a * 0.5 + e, x, initializer=tf.constant(10.0))
    fib = tf.scan(lambda a, _: (a[1], a[0] + a[1]), tf.range(6),
                  initializer=(tf.constant(0), tf.constant(1)))
    m = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2))
    pairs = tf.scan(lambda a, e: (a[0] + e[0], a[1] * e[1]), (m, m + 1.0))
    rev_init = tf.scan(lambda a, e: a - e, x, initializer=tf.constant(0.0), reverse=True)
    with tf.Session() as s:
        v = s.run([cum, rev, init, fib, pairs, rev_init])
    return {"names": [_desc(t) for t in [cum, rev, init, rev_init]],
            "fib": [_desc(t) for t in fib], "pairs": [_desc(t) for t in pairs],
            "v": [_v(v[0]), _v(v[1]), _v(v[2]), [_v(t) for t in v[3]],
                  [_v(t) for t in v[4]], _v(v[5])]}


def scenario_scan_gradients(tf):
    w = tf.Variable(np.array([[0.9, -0.3], [0.2, 0.7]], np.float32))
    x = tf.placeholder(tf.float32, [4, 2])
    h0 = tf.placeholder(tf.float32, [2])
    hs = tf.scan(lambda h, e: tf.tanh(tf.matmul(tf.reshape(h, [1, 2]), w)[0] + e), x,
                 initializer=h0)
    loss = tf.reduce_sum(hs * tf.constant([[1.0, -1.0]])) + tf.reduce_sum(hs[-1] ** 2)
    g = tf.gradients(loss, [w, x, h0])
    rs = tf.scan(lambda a, e: a * e, x, reverse=True)
    gr = tf.gradients(tf.reduce_sum(rs), x)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        feed = {x: np.array([[1.0, 2.0], [-0.5, 0.3], [0.0, 1.5], [0.7, -1.1]], np.float32),
                h0: np.array([0.1, -0.2], np.float32)}
        v = s.run([hs, loss] + g + [rs] + gr, feed)
    return {"hs": _desc(hs), "v": [_v(t) for t in v]}


def scenario_scan_errors(tf):
    x = tf.constant([1.0, 2.0])
    return {
        "not_callable": _err(lambda: tf.scan(3, x)),
        "structure": _err_type(lambda: tf.scan(lambda a, e: (a, e), x)),
        "dtype": _err_type(lambda: tf.scan(lambda a, e: a + e, x, initializer=tf.constant(0))),
    }


def scenario_folds(tf):
    x = tf.constant(np.arange(1, 6, dtype=np.float32))
    sl = tf.foldl(lambda a, e: a * 2.0 + e, x)
    sr = tf.foldr(lambda a, e: a * 2.0 + e, x)
    il = tf.foldl(lambda a, e: a - e, x, initializer=tf.constant(100.0))
    ir = tf.foldr(lambda a, e: a - e, x, initializer=tf.constant(100.0), name="myfold")
    m = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2))
    nest = tf.foldl(lambda a, e: (a[0] + e[0], a[1] + tf.reduce_sum(e[1])), (x[:3], m),
                    initializer=(tf.constant(0.0), tf.constant(1.0)))
    w = tf.Variable(1.5)
    p = tf.placeholder(tf.float32, [None])
    poly = tf.foldl(lambda a, e: a * w + e, p)
    polyr = tf.foldr(lambda a, e: a * w + e * e, p, initializer=tf.constant(0.5))
    g = tf.gradients(poly + polyr, [w, p])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        v = s.run([sl, sr, il, ir, nest, poly, polyr] + g, {p: [1.0, -2.0, 0.5, 3.0]})
    return {"names": [_desc(t) for t in [sl, sr, il, ir, poly]],
            "nest": [_desc(t) for t in nest],
            "v": [_v(v[0]), _v(v[1]), _v(v[2]), _v(v[3]), [_v(t) for t in v[4]]]
            + [_v(t) for t in v[5:]],
            "errors": [_err(lambda: tf.foldl(3, x)), _err(lambda: tf.foldr(3, x))]}


def scenario_map_fn_variables_and_training(tf):
    x = tf.placeholder(tf.float32, [5, 3])

    def f(r):
        with tf.variable_scope("inner", reuse=tf.AUTO_REUSE):
            w = tf.get_variable("w", [3, 2])
        return tf.nn.relu(tf.matmul(tf.reshape(r, [1, 3]), w))[0]

    y = tf.map_fn(f, x)
    loss = tf.reduce_mean(tf.square(y - 1.0))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    losses = []
    xs = _fixed([5, 3], 3) * 4.0
    with tf.Session() as s:
        _set_weights(tf, s)
        for _ in range(3):
            losses.append(float(s.run([loss, train], {x: xs})[0]))
    return {"vars": [v.name for v in tf.global_variables()], "losses": _v(losses),
            "y": _desc(y)}


def scenario_reverse_sequence(tf):
    x = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    r1 = tf.reverse_sequence(x, [1, 3], seq_axis=1, batch_axis=0)
    r2 = tf.reverse_sequence(x, tf.constant([2, 0, 4], tf.int64), seq_axis=2, batch_axis=1,
                             name="rs")
    r3 = tf.reverse_sequence(x, [2, 1], seq_dim=1, batch_dim=0)
    r4 = tf.reverse_sequence(x, [0, 1, 2, 1], seq_axis=0, batch_axis=2)
    p = tf.placeholder(tf.float32, [None, None, 2])
    lp = tf.placeholder(tf.int32, [None])
    r5 = tf.reverse_sequence(p, lp, seq_axis=1)
    op = r2.op
    with tf.Session() as s:
        v = s.run([r1, r2, r3, r4])
        v5 = s.run(r5, {p: np.arange(12, dtype=np.float32).reshape(3, 2, 2),
                        lp: [2, 1, 0]})
        run_errs = [_err_type(lambda: s.run(tf.reverse_sequence(x, [1, 4], seq_axis=1))),
                    _err_type(lambda: s.run(tf.reverse_sequence(x, [-1, 2], seq_axis=1))),
                    _err_type(lambda: s.run(r5, {p: np.zeros((2, 2, 2)), lp: [1, 2, 3]}))]
    return {"descs": [_desc(t) for t in [r1, r2, r3, r4, r5]], "v": [_v(t) for t in v],
            "v5": _v(v5), "op": [op.type, op.get_attr("seq_dim"), op.get_attr("batch_dim"),
                                 op.get_attr("Tlen").name, [t.name for t in op.inputs]],
            "run_errs": run_errs}


def scenario_reverse_sequence_errors_and_gradient(tf):
    x = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    w = tf.constant(np.arange(24, dtype=np.float32).reshape(2, 3, 4) * 0.1 - 1.0)
    r = tf.reverse_sequence(x * x, [2, 3], seq_axis=1)
    g = tf.gradients(tf.reduce_sum(r * w), x)
    with tf.Session() as s:
        gv = s.run(g)
    return {
        "g": _v(gv[0]), "g_shape": _shape(g[0]),
        "seq_rank": _err(lambda: tf.reverse_sequence(x, [1, 2], seq_axis=3, batch_axis=0)),
        "batch_rank": _err(lambda: tf.reverse_sequence(x, [1, 2], seq_axis=1,
                                                       batch_axis=5)),
        "dims": _err(lambda: tf.reverse_sequence(x, [1, 2, 3], seq_axis=1, batch_axis=0)),
        "same": _err(lambda: tf.reverse_sequence(x, [1, 2], seq_axis=1, batch_axis=1)),
        "rank": _err(lambda: tf.reverse_sequence(x, [[1, 2]], seq_axis=1, batch_axis=0)),
        "both": _err(lambda: tf.reverse_sequence(x, [1, 2], seq_axis=1, seq_dim=1)),
        "both_batch": _err(lambda: tf.reverse_sequence(x, [1, 2], seq_axis=1, batch_axis=0,
                                                       batch_dim=0)),
        "none": _err(lambda: tf.reverse_sequence(x, [1, 2])),
        "float": _err(lambda: tf.reverse_sequence(x, [1.0, 2.0], seq_axis=1)),
    }


def _seq_inputs(tf, batch, steps, depth):
    return tf.constant(_fixed([batch, steps, depth], 7) * 3.0)


def scenario_dynamic_rnn_sequence_length(tf):
    x = _seq_inputs(tf, 3, 4, 2)
    lens = tf.placeholder(tf.int32, [None])
    cell = tf.nn.rnn_cell.BasicLSTMCell(3)
    out, st = tf.nn.dynamic_rnn(cell, x, sequence_length=lens, dtype=tf.float32)
    gru = tf.nn.rnn_cell.GRUCell(2)
    out2, st2 = tf.nn.dynamic_rnn(gru, tf.transpose(x, [1, 0, 2]), sequence_length=[4, 1, 0],
                                  dtype=tf.float32, time_major=True, scope="tm")
    loss = tf.reduce_sum(out * out) + tf.reduce_sum(st.h) + tf.reduce_sum(out2)
    tv = tf.trainable_variables()
    g = tf.gradients(loss, tv + [x])
    with tf.Session() as s:
        _set_weights(tf, s)
        v = s.run([out, st.c, st.h, out2, st2] + g, {lens: [4, 2, 0]})
        bad = _err_type(lambda: s.run(out, {lens: [1, 2]}))
    return {"out": _desc(out), "c": _desc(st.c), "out2": _desc(out2), "st2": _desc(st2),
            "vars": [t.name for t in tv], "v": [_v(t) for t in v], "bad_len": bad,
            "rank_err": _err(lambda: tf.nn.dynamic_rnn(cell, x, sequence_length=[[1]],
                                                       dtype=tf.float32, scope="bad"))}


def scenario_bidirectional_dynamic_rnn_sequence_length(tf):
    x = _seq_inputs(tf, 3, 4, 2)
    lens = tf.placeholder(tf.int32, [3])
    fw = tf.nn.rnn_cell.GRUCell(2)
    bw = tf.nn.rnn_cell.BasicLSTMCell(3)
    (o_fw, o_bw), (s_fw, s_bw) = tf.nn.bidirectional_dynamic_rnn(
        fw, bw, x, sequence_length=lens, dtype=tf.float32)
    xt = tf.transpose(x, [1, 0, 2])
    (t_fw, t_bw), _ = tf.nn.bidirectional_dynamic_rnn(
        tf.nn.rnn_cell.BasicRNNCell(2), tf.nn.rnn_cell.BasicRNNCell(2), xt,
        sequence_length=[1, 4, 3], dtype=tf.float32, time_major=True, scope="tm")
    loss = tf.reduce_sum(o_fw) + tf.reduce_sum(o_bw * o_bw) + tf.reduce_sum(s_bw.c) + \
        tf.reduce_sum(t_bw)
    tv = tf.trainable_variables()
    g = tf.gradients(loss, tv + [x])
    with tf.Session() as s:
        _set_weights(tf, s)
        v = s.run([o_fw, o_bw, s_fw, s_bw.c, s_bw.h, t_fw, t_bw]
                  + [t for t in g if t is not None], {lens: [4, 1, 3]})
    return {"descs": [_desc(t) for t in [o_fw, o_bw, s_fw, s_bw.h, t_fw, t_bw]],
            "vars": [t.name for t in tv], "v": [_v(t) for t in v],
            "no_grad": [t is None for t in g]}


def scenario_static_bidirectional_rnn_sequence_length(tf):
    xs = [tf.constant(_fixed([3, 2], k)) for k in range(4)]
    fw = tf.nn.rnn_cell.GRUCell(2)
    bw = tf.nn.rnn_cell.BasicLSTMCell(2)
    outputs, s_fw, s_bw = tf.nn.static_bidirectional_rnn(fw, bw, xs, dtype=tf.float32,
                                                         sequence_length=[4, 2, 1])
    loss = tf.add_n([tf.reduce_sum(o * o) for o in outputs]) + tf.reduce_sum(s_bw.h)
    g = tf.gradients(loss, tf.trainable_variables() + xs[:2])
    with tf.Session() as s:
        _set_weights(tf, s)
        v = s.run(outputs + [s_fw, s_bw.c, s_bw.h] + g)
    return {"descs": [_desc(t) for t in outputs], "v": [_v(t) for t in v]}


def scenario_tensor_array_gather_scatter(tf):
    x = tf.placeholder(tf.float32, [4, 2])
    ta = tf.TensorArray(tf.float32, size=4, clear_after_read=False).unstack(x * 2.0)
    g = ta.gather([3, 0, 3])
    idx = tf.placeholder(tf.int32, [None])
    g2 = ta.gather(idx, name="gath")
    y = tf.placeholder(tf.float32, [2, 2])
    sc = tf.TensorArray(tf.float32, size=3).scatter([2, 0], y * y)
    st = sc.stack()
    both = ta.scatter([1], y[:1] + 10.0).stack()
    loss = tf.reduce_sum(g * g) + tf.reduce_sum(g2) + tf.reduce_sum(st * tf.constant(
        [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])) + tf.reduce_sum(both * both)
    grads = tf.gradients(loss, [x, y])
    feed = {x: np.arange(8, dtype=np.float32).reshape(4, 2) - 3.0, idx: [1, 2],
            y: np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)}
    with tf.Session() as s:
        v = s.run([g, g2, st, both, sc.size(), ta.size()] + grads, feed)
        bad = _err_type(lambda: s.run(ta.gather([7]), feed))
    return {"descs": [_desc(t) for t in [g, g2, st, both]], "flow": _desc(sc.flow),
            "shape": [sc.element_shape.as_list(), ta.element_shape.as_list()],
            "v": [_v(t) for t in v], "bad": bad,
            "wrong_rows": _err(lambda: tf.TensorArray(tf.float32, size=2, element_shape=[3])
                               .scatter([0], [[1.0, 2.0]]))}


def scenario_tensor_array_concat_split(tf):
    v = tf.placeholder(tf.float32, [6, 2])
    ta = tf.TensorArray(tf.float32, size=3).split(v * 3.0, [1, 2, 3])
    eq = tf.TensorArray(tf.float32, size=3).split(v, tf.constant([2, 2, 2]))
    c = ta.concat()
    r1 = ta.read(1)
    st = eq.stack()
    w = tf.TensorArray(tf.float32, size=3, infer_shape=False).write(0, [[1.0], [2.0]]).write(
        2, [[3.0]])
    wc = w.concat(name="wc")
    w2 = w.write(1, [[5.0], [6.0]]).concat()
    loss = tf.reduce_sum(c * c) + tf.reduce_sum(r1) + tf.reduce_sum(st * st * st)
    grads = tf.gradients(loss, v)
    feed = {v: np.arange(12, dtype=np.float32).reshape(6, 2) * 0.5 - 2.0}
    with tf.Session() as s:
        vals = s.run([c, r1, st, w2, eq.read(2)] + grads, feed)
        errs = [_err_type(lambda: s.run(tf.TensorArray(tf.float32, size=3).split(
                    tf.constant([1.0, 2.0]), [1, 2, 3]).concat())),
                _err_type(lambda: s.run(tf.TensorArray(tf.float32, size=2).concat())),
                _err_type(lambda: s.run(wc))]
        zeros = s.run(tf.TensorArray(tf.float32, size=2, element_shape=[2]).concat())
        fill = s.run(tf.TensorArray(tf.float32, size=3).write(1, [1.0, 2.0]).concat())
    return {"descs": [_desc(t) for t in [c, r1, st, wc]],
            "shapes": [ta.element_shape.rank, eq.element_shape.as_list()],
            "v": [_v(t) for t in vals], "errs": errs, "zeros": _v(zeros), "fill": _v(fill)}


def scenario_tensor_array_dynamic_size_in_loop(tf):
    n = tf.placeholder(tf.int32, [])
    x = tf.placeholder(tf.float32, [3])

    def body(i, acc, ta):
        acc = acc * 0.5 + x
        return i + 1, acc, ta.write(i, acc)

    _, acc, ta = tf.while_loop(lambda i, a, t: i < n, body,
                               [0, tf.zeros([3]), tf.TensorArray(tf.float32, size=0,
                                                                 dynamic_size=True)])
    out = ta.stack()
    size = ta.size()
    loss = tf.reduce_sum(out * out)
    g = tf.gradients(loss, x)
    d = tf.TensorArray(tf.float32, size=1, dynamic_size=True).write(0, 1.0).write(3, 2.0)
    fixed = tf.TensorArray(tf.float32, size=2)
    with tf.Session() as s:
        v = s.run([out, size, acc, loss, g[0]], {n: 4, x: [1.0, -2.0, 0.5]})
        v0 = s.run([size], {n: 0, x: [1.0, -2.0, 0.5]})
        dv = s.run([d.stack(), d.size()])
        bad = _err_type(lambda: s.run(fixed.write(5, 1.0).stack()))
    return {"descs": [_desc(t) for t in [out, size, d.stack()]], "v": [_v(t) for t in v],
            "v0": _v(v0[0]), "dv": [_v(t) for t in dv], "bad": bad}


def scenario_tensor_array_misc(tf):
    ta = tf.TensorArray(tf.float32, size=2, element_shape=tf.TensorShape([None, 3]))
    ta2 = ta.write(0, tf.ones([2, 3]))
    ident = ta2.identity()
    closed = ta2.close()
    noinf = tf.TensorArray(tf.float32, size=2, infer_shape=False).write(0, [1.0]).write(
        1, [1.0, 2.0, 3.0])
    r = noinf.read(1)
    base = tf.TensorArray(tf.float32, size=2)
    later = base.write(0, [1.0, 2.0])
    shared = [base.element_shape.as_list(), later.element_shape.as_list()]
    with tf.Session() as s:
        v = s.run([ident.read(0), ident.size(), r])
    return {"shapes": [ta.element_shape.as_list(), ta2.element_shape.as_list(),
                       ident.element_shape.as_list(), noinf.element_shape.rank],
            "closed": closed.type, "ident_flow": ident.flow.op.type, "v": [_v(t) for t in v],
            "r": _desc(r), "dtype": ta.dtype.name, "shared": shared, "handle": ta.handle is None,
            "inconsistent": _err(lambda: ta2.write(1, tf.ones([2, 4]))),
            "flow_and_size": _err_type(lambda: tf.TensorArray(tf.float32, size=2,
                                                              flow=ta.flow)),
            "neither": _err_type(lambda: tf.TensorArray(tf.float32)),
            "grad": _err_type(lambda: ta.grad("x"))}


def scenario_custom_gradient(tf):
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(dy):
            return dy * (1 - 1 / (1 + e))

        return tf.log(1 + e), grad

    @tf.custom_gradient
    def clip_grad(x, y):
        def grad(dy):
            return tf.clip_by_value(dy, -0.5, 0.5), dy * 3.0

        return x * y, grad

    @tf.custom_gradient
    def pair(x):
        def grad(da, db):
            return da * 2.0 + db * 10.0

        return (x * 1.0, x + 1.0), grad

    x = tf.placeholder(tf.float32, [3])
    y = log1pexp(x)
    gx = tf.gradients(tf.reduce_sum(y * y), x)
    a = tf.constant([1.0, 2.0])
    b = tf.constant([3.0, -4.0])
    c = clip_grad(a, b)
    gc = tf.gradients(tf.reduce_sum(c * 2.0), [a, b])
    p1, p2 = pair(a)
    gp = tf.gradients(p1 + p2 * p2, a)
    gp_one = tf.gradients(p1, a)
    op = y.op
    with tf.Session() as s:
        v = s.run([y] + gx + [c] + gc + [p1, p2] + gp + gp_one, {x: [0.0, 1.0, 100.0]})
    return {"y": _desc(y), "c": _desc(c), "p": [_desc(p1), _desc(p2)],
            "op": [op.type, len(op.inputs), len(op.outputs)],
            "override": "CustomGradient-" in str(op.get_attr("_gradient_op_type")),
            "v": [_v(t) for t in v]}


def scenario_custom_gradient_variables(tf):
    with tf.variable_scope("cg"):
        w = tf.get_variable("w", [2, 2])
        bias = tf.get_variable("b", [2], trainable=False)

    @tf.custom_gradient
    def layer(x):
        out = tf.matmul(x, w) + bias

        def grad(dy, variables=None):
            gx = tf.matmul(dy, w, transpose_b=True) * 0.5
            return gx, [tf.matmul(x, dy, transpose_a=True) * 2.0]

        return out, grad

    @tf.custom_gradient
    def no_vars_arg(x):
        return x * w[0, 0], lambda dy: dy

    x = tf.placeholder(tf.float32, [3, 2])
    y = layer(x)
    loss = tf.reduce_sum(y * y)
    g = tf.gradients(loss, [x, w])
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    xs = _fixed([3, 2], 5)
    with tf.Session() as s:
        _set_weights(tf, s)
        v = s.run([y] + g, {x: xs})
        s.run(train, {x: xs})
        w_after = s.run(w)
    return {"y": _desc(y), "v": [_v(t) for t in v], "w_after": _v(w_after),
            "n_inputs": len(y.op.inputs),
            "no_vars_arg": _err(lambda: no_vars_arg(tf.constant(1.0))),
            "kwargs": _err(lambda: layer(x=x))}


def scenario_custom_gradient_in_map_fn(tf):
    @tf.custom_gradient
    def scaled(x):
        return tf.square(x), lambda dy: dy * 100.0

    x = tf.placeholder(tf.float32, [3])
    y = tf.map_fn(scaled, x)
    g = tf.gradients(tf.reduce_sum(y), x)
    with tf.Session() as s:
        v = s.run([y] + g, {x: [1.0, 2.0, 3.0]})
    return {"v": [_v(t) for t in v]}


def scenario_case(tf):
    x = tf.placeholder(tf.float32, [])
    w = tf.Variable(2.0)
    r = tf.case([(x < 0.0, lambda: x * w), (x < 5.0, lambda: x + 100.0)],
                default=lambda: x * x)
    no_default = tf.case([(x < 0.0, lambda: -x), (x >= 0.0, lambda: x * 3.0)])
    excl = tf.case([(x < 0.0, lambda: -x), (x < 1.0, lambda: x * 3.0)],
                   default=lambda: x, exclusive=True)
    g = tf.gradients(r, [x, w])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        vals = [s.run([r, no_default] + g, {x: v}) for v in [-2.0, 3.0, 7.0]]
        e = [s.run(excl, {x: 3.0}), _err_type(lambda: s.run(excl, {x: -3.0}))]
    return {"v": [[_v(t) for t in row] for row in vals], "excl": [_v(e[0]), e[1]],
            "shape": _shape(r), "dtype": r.dtype.name,
            "errors": [_err(lambda: tf.case(3)), _err(lambda: tf.case([(True, lambda: x)])),
                       _err(lambda: tf.case([x < 0.0])),
                       _err(lambda: tf.case([(x, lambda: x)])),
                       _err(lambda: tf.case([(x < 0.0, 3)]))]}


def scenario_switch_case(tf):
    i = tf.placeholder(tf.int32, [])
    x = tf.constant([1.0, 2.0])
    r = tf.switch_case(i, [lambda: x * 2.0, lambda: x + 10.0, lambda: -x])
    d = tf.switch_case(i, {1: lambda: x * 5.0, 0: lambda: x}, default=lambda: x * 0.0)
    g = tf.gradients(tf.reduce_sum(r * r), x)
    with tf.Session() as s:
        vals = [s.run([r, d] + g, {i: k}) for k in [0, 1, 2, 7, -1]]
    return {"v": [[_v(t) for t in row] for row in vals], "shape": _shape(r),
            "errors": [_err(lambda: tf.switch_case(1, [lambda: x])),
                       _err(lambda: tf.switch_case(tf.constant(1.0), [lambda: x])),
                       _err(lambda: tf.switch_case(i, [])),
                       _err(lambda: tf.switch_case(i, {0: lambda: x, 2: lambda: x})),
                       _err(lambda: tf.switch_case(i, [(0, 3)]))]}


def scenario_nested_and_dynamic(tf):
    w = tf.Variable(np.array([0.5, -1.5], np.float32))
    x = tf.placeholder(tf.float32, [None, 3, 2])
    inner = tf.map_fn(lambda m: tf.map_fn(lambda r: tf.reduce_sum(r * w), m), x)
    sc = tf.map_fn(lambda m: tf.scan(lambda a, r: a * 0.5 + r * w, m), x)
    fl = tf.foldl(lambda a, m: a + tf.reduce_sum(m * m, 0), x, initializer=tf.zeros([2]))
    loss = tf.reduce_sum(inner * inner) + tf.reduce_sum(sc) + tf.reduce_sum(fl * w)
    g = tf.gradients(loss, [w, x])
    xs = _fixed([2, 3, 2], 4)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        v = s.run([inner, sc, fl] + g, {x: xs})
        empty = s.run([inner, fl], {x: np.zeros((0, 3, 2), np.float32)})
    return {"descs": [_desc(t) for t in [inner, sc, fl]], "v": [_v(t) for t in v],
            "empty": [_v(t) for t in empty]}


def all_scenarios():
    """{name: function} for every scenario, in definition order."""
    return {
        k[len("scenario_"):]: v
        for k, v in globals().items()
        if k.startswith("scenario_") and callable(v)
    }
