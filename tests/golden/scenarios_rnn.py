# ruff: noqa: SIM117
"""Golden scenarios of the TF1 RNN cells and static_rnn: variable names and shapes, op
names, outputs, final states and gradients, with every weight set from fixed NumPy arrays
(varstore's random streams differ from TF's, so random initial values are never compared).

Same conventions as ``scenarios.py``: ``scenario_<name>(tf)`` returns JSON-able data; TF's
results are recorded by ``record_tf.py --set rnn`` into ``tf1_expected_rnn.json``.
"""

import numpy as np


def _v(x):
    a = np.asarray(x)
    if a.dtype.kind == "f":
        return np.round(a.astype(np.float64), 5).tolist()
    return a.tolist()


def _fixed(shape, k):
    n = int(np.prod(shape)) if shape else 1
    return (0.5 * np.sin(np.arange(n) * 0.37 + k)).reshape(shape).astype(np.float32)


def _set_weights(tf, sess):
    """Every global variable gets a fixed value that depends on its position only."""
    sess.run(tf.global_variables_initializer())
    for k, v in enumerate(tf.global_variables()):
        sess.run(v.assign(_fixed(v.shape.as_list(), k)))


def _vars(tf):
    return [[v.name, v.shape.as_list()] for v in tf.global_variables()]


def _main_ops(tf):
    # Variable internals (initializers, reads) differ between TF's Keras layers and
    # varstore, and so do gradient graphs; the ops of the cell computation itself must
    # have TF's names and types.
    return [[o.name, o.type] for o in tf.get_default_graph().get_operations()
            if "Initializer" not in o.name and not o.name.startswith("gradients") and "ReadVariableOp" not in o.type
            and "/Read/" not in o.name and o.type not in
            ("VarHandleOp", "VarIsInitializedOp", "AssignVariableOp", "VariableV2",
             "Assign", "Identity")]


def _inputs(tf, steps, batch, depth):
    xs = [tf.constant(_fixed([batch, depth], 10 + t)) for t in range(steps)]
    return xs


def _names(tree):
    if isinstance(tree, (list, tuple)):
        return [_names(t) for t in tree]
    return tree.name


def scenario_lstm2_static_rnn(tf):
    xs = _inputs(tf, 3, 2, 3)
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(4),
                                        tf.nn.rnn_cell.BasicLSTMCell(4)])
    outputs, state = tf.nn.static_rnn(cell, xs, dtype=tf.float32)
    loss = tf.reduce_sum(tf.square(tf.stack(outputs)))
    variables = tf.global_variables()
    grads = tf.gradients(loss, variables + xs)
    ops = _main_ops(tf)
    with tf.Session() as sess:
        _set_weights(tf, sess)
        out_v, state_v, loss_v, grads_v = sess.run([outputs, state, loss, grads])
    return {"vars": _vars(tf), "outputs": _v(out_v), "loss": _v(loss_v),
            "state": [[_v(s.c), _v(s.h)] for s in state_v],
            "grads": [_v(g) for g in grads_v], "output_names": _names(outputs),
            "state_names": _names(state), "state_type": type(state[0]).__name__,
            "ops": ops}


def scenario_gru_and_basic_rnn(tf):
    xs = _inputs(tf, 2, 2, 3)
    gru = tf.nn.rnn_cell.GRUCell(3)
    out_g, st_g = tf.nn.static_rnn(gru, xs, dtype=tf.float32, scope="gru")
    basic = tf.nn.rnn_cell.BasicRNNCell(5)
    out_b, st_b = tf.nn.static_rnn(basic, xs, dtype=tf.float32)
    loss = tf.reduce_sum(out_g[-1]) + tf.reduce_sum(tf.square(out_b[-1]))
    grads = tf.gradients(loss, tf.trainable_variables())
    ops = _main_ops(tf)
    with tf.Session() as sess:
        _set_weights(tf, sess)
        vals = sess.run([out_g, st_g, out_b, st_b, grads])
    return {"vars": _vars(tf), "gru": _v(vals[0]), "gru_state": _v(vals[1]),
            "basic": _v(vals[2]), "basic_state": _v(vals[3]),
            "grads": [_v(g) for g in vals[4]], "names": _names([out_g, out_b]),
            "ops": ops}


def scenario_lstm_cell_peepholes_projection(tf):
    xs = _inputs(tf, 2, 2, 3)
    cell = tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True, num_proj=2, cell_clip=0.3,
                                   proj_clip=0.25)
    outputs, state = tf.nn.static_rnn(cell, xs, dtype=tf.float32)
    grads = tf.gradients(tf.reduce_sum(outputs[-1]) + tf.reduce_sum(state.c),
                         tf.trainable_variables())
    ops = _main_ops(tf)
    with tf.Session() as sess:
        _set_weights(tf, sess)
        out_v, st_v, g_v = sess.run([outputs, state, grads])
    return {"vars": _vars(tf), "outputs": _v(out_v), "c": _v(st_v.c), "h": _v(st_v.h),
            "grads": [_v(g) for g in g_v], "sizes": [list(cell.state_size), cell.output_size],
            "ops": ops}


def scenario_lstm_concat_state_and_zero_state(tf):
    cell = tf.nn.rnn_cell.BasicLSTMCell(3, state_is_tuple=False, forget_bias=0.5)
    z = cell.zero_state(2, tf.float32)
    multi = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(2), tf.nn.rnn_cell.GRUCell(2)])
    zm = multi.zero_state(4, tf.float32)
    xs = _inputs(tf, 2, 2, 3)
    outputs, state = tf.nn.static_rnn(cell, xs, initial_state=z)
    ops = _main_ops(tf)
    with tf.Session() as sess:
        _set_weights(tf, sess)
        out_v, st_v = sess.run([outputs, state])
    return {"z": [z.name, z.shape.as_list()], "zm": [[t.name, t.shape.as_list()] for t in zm],
            "sizes": [cell.state_size, list(multi.state_size), multi.output_size],
            "outputs": _v(out_v), "state": _v(st_v), "vars": _vars(tf), "ops": ops}


def scenario_cell_called_directly_and_reused(tf):
    x = tf.constant(_fixed([2, 3], 1))
    cell = tf.nn.rnn_cell.BasicLSTMCell(2, name="my_lstm")
    s0 = cell.zero_state(2, tf.float32)
    h1, s1 = cell(x, s0)
    h2, s2 = cell(x, s1)
    other = tf.nn.rnn_cell.BasicRNNCell(2)
    with tf.variable_scope("outer"):
        o1, _ = other(x, tf.zeros([2, 2]))
    other2 = tf.nn.rnn_cell.BasicRNNCell(2)
    o2, _ = other2(x, tf.zeros([2, 2]))
    ops = _main_ops(tf)
    with tf.Session() as sess:
        _set_weights(tf, sess)
        vals = sess.run([h1, h2, o1, o2])
    return {"vars": _vars(tf), "names": _names([h1, h2, s2, o1, o2]), "values": _v(vals),
            "weights": [w.name for w in cell.trainable_weights], "ops": ops}


def scenario_static_rnn_sequence_length(tf):
    xs = _inputs(tf, 3, 3, 2)
    cell = tf.nn.rnn_cell.BasicLSTMCell(2)
    outputs, state = tf.nn.static_rnn(cell, xs, dtype=tf.float32, sequence_length=[1, 3, 2])
    ops = _main_ops(tf)
    with tf.Session() as sess:
        _set_weights(tf, sess)
        out_v, st_v = sess.run([outputs, state])
    return {"outputs": _v(out_v), "c": _v(st_v.c), "h": _v(st_v.h), "vars": _vars(tf)}


def scenario_static_bidirectional_rnn(tf):
    xs = _inputs(tf, 3, 2, 2)
    fw = tf.nn.rnn_cell.GRUCell(2)
    bw = tf.nn.rnn_cell.BasicLSTMCell(3)
    outputs, s_fw, s_bw = tf.nn.static_bidirectional_rnn(fw, bw, xs, dtype=tf.float32)
    ops = _main_ops(tf)
    with tf.Session() as sess:
        _set_weights(tf, sess)
        out_v, fw_v, bw_v = sess.run([outputs, s_fw, s_bw])
    return {"outputs": _v(out_v), "fw": _v(fw_v), "bw": [_v(bw_v.c), _v(bw_v.h)],
            "vars": _vars(tf), "names": _names(outputs)}


def scenario_dropout_wrapper_keep_one_and_shapes(tf):
    xs = _inputs(tf, 2, 2, 3)
    cells = [tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(3),
                                           output_keep_prob=1.0),
             tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(3),
                                           input_keep_prob=0.5, state_keep_prob=0.5,
                                           output_keep_prob=0.5, seed=3)]
    outputs, state = tf.nn.static_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), xs,
                                      dtype=tf.float32)
    first, _ = tf.nn.static_rnn(cells[0], xs, dtype=tf.float32, scope="single")
    ops = _main_ops(tf)
    with tf.Session() as sess:
        _set_weights(tf, sess)
        out_v, first_v = sess.run([outputs, first])
    return {"vars": _vars(tf), "shapes": [list(np.shape(o)) for o in out_v],
            "static": [o.shape.as_list() for o in outputs], "first": _v(first_v)}


def scenario_char_rnn_two_manual_steps(tf):
    vocab, steps, batch, hidden = 5, 4, 3, 6
    ids = np.array([[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [1, 3, 0, 2, 4]], np.int32)
    inputs = [tf.one_hot(ids[:, t], vocab) for t in range(steps)]
    targets = [tf.one_hot(ids[:, t + 1], vocab) for t in range(steps)]
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(hidden)
                                        for _ in range(2)])
    outputs, _ = tf.nn.static_rnn(cell, inputs, dtype=tf.float32)
    with tf.variable_scope("softmax"):
        w = tf.get_variable("w", [hidden, vocab])
        b = tf.get_variable("b", [vocab])
    losses = []
    for out, tgt in zip(outputs, targets):
        logits = tf.matmul(out, w) + b
        losses.append(-tf.reduce_sum(tgt * tf.nn.log_softmax(logits), 1))
    loss = tf.reduce_mean(tf.stack(losses))
    tvars = tf.trainable_variables()
    grads = tf.gradients(loss, tvars)
    step = tf.group(*[tf.assign_sub(v, 0.1 * g) for v, g in zip(tvars, grads)])
    history = []
    ops = _main_ops(tf)
    with tf.Session() as sess:
        _set_weights(tf, sess)
        for _ in range(2):
            history.append(float(sess.run(loss)))
            sess.run(step)
        history.append(float(sess.run(loss)))
        final = sess.run(tvars[0])
    return {"losses": [round(x, 5) for x in history], "kernel0": _v(final[:2]),
            "vars": _vars(tf)}


def scenario_raw_rnn(tf):
    max_time, batch, depth, units = 5, 3, 2, 4
    inputs = _inputs(tf, max_time, batch, depth)
    x = tf.stack(inputs)
    seq_len = tf.constant([5, 2, 3])
    inputs_ta = tf.TensorArray(dtype=tf.float32, size=max_time).unstack(x)
    cell = tf.nn.rnn_cell.BasicRNNCell(units)

    def loop_fn(time, cell_output, cell_state, loop_state):
        state = cell.zero_state(batch, tf.float32) if cell_output is None else cell_state
        finished = time >= seq_len
        next_input = tf.cond(tf.reduce_all(finished),
                             lambda: tf.zeros([batch, depth], tf.float32),
                             lambda: inputs_ta.read(time))
        return finished, next_input, state, cell_output, None

    out_ta, final_state, none_state = tf.nn.raw_rnn(cell, loop_fn)
    out = out_ta.stack()
    lstm = tf.nn.rnn_cell.LSTMCell(3, name="lstm")

    def loop_fn2(time, cell_output, cell_state, loop_state):
        if cell_output is None:
            return (tf.constant([False, False, False]), x[0], lstm.zero_state(batch, tf.float32),
                    tf.zeros([6], tf.float32), tf.constant(0.0))
        emit = tf.concat([cell_output, cell_output * 2], 1)
        return (time >= seq_len, x[tf.minimum(time, max_time - 1)], cell_state, emit,
                loop_state + tf.reduce_sum(cell_output))

    out2_ta, state2, loop2 = tf.nn.raw_rnn(lstm, loop_fn2, scope="second")
    out2 = out2_ta.stack()
    grads = tf.gradients(tf.reduce_sum(out) + tf.reduce_sum(out2), tf.trainable_variables())
    with tf.Session() as s:
        _set_weights(tf, s)
        vals = s.run([out, final_state, out2, state2, loop2, grads])
    return {"vars": _vars(tf), "values": _v(vals[0]), "state": _v(vals[1]),
            "out2": _v(vals[2]), "state2": [_v(t) for t in vals[3]], "loop2": _v(vals[4]),
            "grads": [_v(g) for g in vals[5]], "none_state": none_state is None,
            "shapes": [str(out.shape), str(out2.shape), str(final_state.shape),
                       type(state2).__name__],
            "errors": {"loop_fn": type(_raises(lambda: tf.nn.raw_rnn(cell, 3))).__name__}}


def _raises(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the type is recorded
        return e
    return None


def all_scenarios():
    """{name: function} for every scenario, in definition order."""
    return {
        k[len("scenario_"):]: v
        for k, v in globals().items()
        if k.startswith("scenario_") and callable(v)
    }
