"""Golden scenarios of tf.keras' recurrent layers in TF1 graph mode (TF_USE_LEGACY_KERAS=1:
tf-keras' v1 SimpleRNN / LSTM / GRU, RNN(cell), StackedRNNCells, Bidirectional,
TimeDistributed): variable names and shapes, the ops a user sees (the while loop's own
internals are TF's while_v2 and left out), output names and static shapes, values and
gradients for fixed inputs after setting weights from fixed NumPy arrays, a small LSTM model
trained with Adam, configs and errors. Gradients are built before the first Session.run
(TF's while_v2 refuses a gradient added to a graph a session has already run).
``zz_*`` scenarios flip disable_v2_behavior and restore it; they run last.
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


def _set_weights(layer):
    layer.set_weights([_fixed(w.shape.as_list(), k) for k, w in enumerate(layer.weights)])


def _vars(vs):
    return [[v.name, v.shape.as_list()] for v in vs]


def _ops(tf, start=0):
    """The ops made since ``start``, without the while loop's internals."""
    return [[op.name, op.type] for op in tf.get_default_graph().get_operations()[start:]
            if "/while/" not in op.name]


def _n(tf):
    return len(tf.get_default_graph().get_operations())


def _err(fn, cut=None):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - we record whatever is raised
        msg = str(e) if cut is None else str(e).split(cut)[0]
        return {"type": type(e).__name__, "msg": msg}
    return {"type": None, "msg": None}


def _out(t):
    return [t.name, t.shape.as_list() if t.shape.ndims is not None else None]


def _outs(ts):
    if isinstance(ts, (list, tuple)):
        return [_outs(t) for t in ts]
    return _out(ts)


def _run_layer(tf, layer, x, xv, outputs, grads=True):
    """Outputs and the gradients of their sum w.r.t. the input and the weights."""
    outs = tf.nest.flatten(outputs)
    g = []
    if grads:
        total = tf.add_n([tf.reduce_sum(o * (i + 1.0)) for i, o in enumerate(outs)])
        g = tf.gradients(total, [x, *layer.trainable_weights])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _set_weights(layer)
        vals = sess.run(outs, {x: xv})
        gvals = sess.run(g, {x: xv}) if g else []
    return {"values": [_v(v) for v in vals], "grads": [_v(v) for v in gvals]}


def _layer_case(tf, make, x_shape=(None, 5, 3), xv_shape=(2, 5, 3), **call):
    x = tf.placeholder(tf.float32, list(x_shape), name="x")
    start = _n(tf)
    layer = make()
    y = layer(x, **call)
    ops = _ops(tf, start)
    res = _run_layer(tf, layer, x, _fixed(list(xv_shape), 9), y)
    return {"vars": _vars(layer.weights), "outs": _outs(y), "ops": ops, **res}


# -- the three layers, defaults -----------------------------------------------------------------
def scenario_lstm_default(tf):
    return _layer_case(tf, lambda: tf.keras.layers.LSTM(4))


def scenario_gru_default(tf):
    return _layer_case(tf, lambda: tf.keras.layers.GRU(4))


def scenario_simple_rnn_default(tf):
    return _layer_case(tf, lambda: tf.keras.layers.SimpleRNN(4))


def scenario_lstm_sequences_and_state(tf):
    return _layer_case(tf, lambda: tf.keras.layers.LSTM(3, return_sequences=True,
                                                        return_state=True))


def scenario_gru_sequences_and_state(tf):
    return _layer_case(tf, lambda: tf.keras.layers.GRU(3, return_sequences=True,
                                                       return_state=True))


def scenario_simple_rnn_state_only(tf):
    return _layer_case(tf, lambda: tf.keras.layers.SimpleRNN(3, return_state=True,
                                                             activation="relu"))


def scenario_gru_reset_after(tf):
    return _layer_case(tf, lambda: tf.keras.layers.GRU(3, reset_after=True,
                                                       return_sequences=True))


def scenario_lstm_implementation_2_sigmoid(tf):
    return _layer_case(tf, lambda: tf.keras.layers.LSTM(3, implementation=2,
                                                        recurrent_activation="sigmoid"))


def scenario_gru_implementation_2(tf):
    return _layer_case(tf, lambda: tf.keras.layers.GRU(3, implementation=2))


def scenario_lstm_no_bias_no_forget_bias(tf):
    x = tf.placeholder(tf.float32, [None, 4, 2], name="x")
    a = tf.keras.layers.LSTM(2, use_bias=False)
    b = tf.keras.layers.LSTM(2, unit_forget_bias=False, bias_initializer="ones")
    c = tf.keras.layers.LSTM(2)
    ya, yb, yc = a(x), b(x), c(x)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        biases = sess.run([b.cell.bias, c.cell.bias])
    return {"vars": _vars(a.weights + b.weights + c.weights), "outs": _outs([ya, yb, yc]),
            "biases": [_v(v) for v in biases]}


def scenario_seeded_initializers(tf):
    """v2 initializers with seeds: the same values in TF and varstore (stateless ops)."""
    x = tf.placeholder(tf.float32, [None, 4, 3], name="x")
    K = tf.keras
    layer = K.layers.LSTM(
        3, kernel_initializer={"class_name": "GlorotUniform", "config": {"seed": 1}},
        recurrent_initializer={"class_name": "Orthogonal", "config": {"seed": 2}})
    y = layer(x)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        ws = sess.run(layer.weights)
        out = sess.run(y, {x: _fixed([2, 4, 3], 1)})
    return {"weights": [_v(w) for w in ws], "out": _v(out)}


# -- arguments -----------------------------------------------------------------------------------
def scenario_lstm_go_backwards(tf):
    return _layer_case(tf, lambda: tf.keras.layers.LSTM(3, go_backwards=True,
                                                        return_sequences=True))


def scenario_gru_unroll(tf):
    return _layer_case(tf, lambda: tf.keras.layers.GRU(3, unroll=True, return_state=True))


def scenario_lstm_unroll_backwards_sequences(tf):
    return _layer_case(tf, lambda: tf.keras.layers.LSTM(2, unroll=True, go_backwards=True,
                                                        return_sequences=True))


def scenario_simple_rnn_time_major(tf):
    return _layer_case(tf, lambda: tf.keras.layers.SimpleRNN(3, time_major=True,
                                                             return_sequences=True),
                       x_shape=(5, None, 3), xv_shape=(5, 2, 3))


def scenario_lstm_initial_state(tf):
    x = tf.placeholder(tf.float32, [None, 4, 3], name="x")
    h0 = tf.placeholder(tf.float32, [None, 2], name="h0")
    c0 = tf.placeholder(tf.float32, [None, 2], name="c0")
    layer = tf.keras.layers.LSTM(2, return_state=True)
    start = _n(tf)
    ys = layer(x, initial_state=[h0, c0])
    ops = _ops(tf, start)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _set_weights(layer)
        vals = sess.run(ys, {x: _fixed([2, 4, 3], 1), h0: _fixed([2, 2], 2),
                             c0: _fixed([2, 2], 3)})
    return {"outs": _outs(ys), "ops": ops, "values": [_v(v) for v in vals]}


def scenario_gru_initial_state_positional_list(tf):
    x = tf.placeholder(tf.float32, [None, 4, 3], name="x")
    h0 = tf.placeholder(tf.float32, [None, 2], name="h0")
    layer = tf.keras.layers.GRU(2)
    y = layer([x, h0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _set_weights(layer)
        val = sess.run(y, {x: _fixed([2, 4, 3], 1), h0: _fixed([2, 2], 2)})
    return {"out": _out(y), "value": _v(val)}


def scenario_explicit_mask(tf):
    x = tf.placeholder(tf.float32, [None, 4, 3], name="x")
    m = tf.placeholder(tf.bool, [None, 4], name="m")
    a = tf.keras.layers.LSTM(2, return_sequences=True, return_state=True)
    b = tf.keras.layers.GRU(2, unroll=True, return_sequences=True)
    ya = a(x, mask=m)
    yb = b(x, mask=m)
    mv = np.array([[True, True, False, False], [True, True, True, True]])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _set_weights(a)
        _set_weights(b)
        vals = sess.run([*ya, yb], {x: _fixed([2, 4, 3], 1), m: mv})
    return {"outs": _outs([*ya, yb]), "values": [_v(v) for v in vals]}


def scenario_dropout_in_inference_is_identity(tf):
    x = tf.placeholder(tf.float32, [None, 4, 3], name="x")
    a = tf.keras.layers.LSTM(2, dropout=0.5, recurrent_dropout=0.3)
    b = tf.keras.layers.LSTM(2)
    ya, yb = a(x, training=False), b(x)
    yc = a(x)  # the learning phase (0 by default)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _set_weights(a)
        _set_weights(b)
        va, vb, vc = sess.run([ya, yb, yc], {x: _fixed([2, 4, 3], 1)})
    return {"outs": _outs([ya, yb, yc]), "same": bool(np.allclose(va, vb)),
            "same_phase": bool(np.allclose(vc, vb)), "value": _v(va),
            "config": [a.cell.dropout, a.cell.recurrent_dropout, a.cell.implementation]}


def scenario_dropout_in_training_seeded(tf):
    """Seeded cells: the legacy dropout ops with the cell's seed, seed + 1 ... per mask."""
    tf.set_random_seed(5)
    x = tf.placeholder(tf.float32, [None, 4, 3], name="x")
    K = tf.keras
    # unrolled: one mask per RNN call. In a loop TF's masks are drawn in the body at each
    # iteration, in the order TF's executor happens to run parallel iterations.
    layer = K.layers.RNN(K.layers.SimpleRNNCell(3, dropout=0.4, recurrent_dropout=0.25,
                                                seed=11), unroll=True)
    y = layer(x, training=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _set_weights(layer)
        v1 = sess.run(y, {x: _fixed([2, 4, 3], 1)})
    return {"out": _out(y), "value": _v(v1)}


def scenario_dropout_learning_phase_tensor(tf):
    tf.set_random_seed(3)
    x = tf.placeholder(tf.float32, [None, 4, 3], name="x")
    K = tf.keras
    layer = K.layers.RNN(K.layers.GRUCell(2, dropout=0.5, seed=4), unroll=True)
    y = layer(x)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _set_weights(layer)
        inf = sess.run(y, {x: _fixed([2, 4, 3], 1)})
        trn = sess.run(y, {x: _fixed([2, 4, 3], 1), K.backend.learning_phase(): 1})
    return {"inference": _v(inf), "training": _v(trn)}


def scenario_regularizers_and_constraints(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 4, 3], name="x")
    layer = K.layers.LSTM(2, kernel_regularizer=K.regularizers.l2(0.01),
                          recurrent_regularizer=K.regularizers.l1(0.02),
                          bias_regularizer="l2", activity_regularizer="l1",
                          kernel_constraint=K.constraints.MaxNorm(0.5))
    y = layer(x)
    losses = layer.losses
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _set_weights(layer)
        vals = sess.run(losses, {x: _fixed([2, 4, 3], 1)})
    return {"out": _out(y), "losses": [t.name for t in losses], "values": _v(vals),
            "constraint": type(layer.cell.kernel_constraint).__name__}


def scenario_float64_gru(tf):
    x = tf.placeholder(tf.float64, [None, 4, 3], name="x")
    layer = tf.keras.layers.GRU(2, dtype="float64", return_sequences=True)
    y = layer(x)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _set_weights(layer)
        val = sess.run(y, {x: _fixed([2, 4, 3], 1).astype(np.float64)})
    return {"out": _out(y), "dtypes": [v.dtype.name for v in layer.weights],
            "value": _v(val)}


def scenario_bidirectional_mask(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 4, 3], name="x")
    m = tf.placeholder(tf.bool, [None, 4], name="m")
    layer = K.layers.Bidirectional(K.layers.LSTM(2, return_sequences=True))
    y = layer(x, mask=m)
    mv = np.array([[True, True, True, False], [True, False, False, False]])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _set_weights(layer)
        val = sess.run(y, {x: _fixed([2, 4, 3], 1), m: mv})
    return {"out": _out(y), "value": _v(val),
            "zero_output": [layer.forward_layer.zero_output_for_mask,
                            layer.backward_layer.zero_output_for_mask]}


# -- RNN(cell), stacked cells, user cells -------------------------------------------------------
def scenario_rnn_of_lstm_cell(tf):
    return _layer_case(tf, lambda: tf.keras.layers.RNN(tf.keras.layers.LSTMCell(3),
                                                       return_sequences=True))


def scenario_rnn_of_cell_list_stacked(tf):
    K = tf.keras

    def make():
        return K.layers.RNN([K.layers.LSTMCell(3), K.layers.GRUCell(2),
                             K.layers.SimpleRNNCell(2)], return_state=True)

    return _layer_case(tf, make)


def scenario_stacked_rnn_cells_explicit(tf):
    K = tf.keras
    cells = K.layers.StackedRNNCells([K.layers.SimpleRNNCell(2), K.layers.LSTMCell(3)])
    res = _layer_case(tf, lambda: K.layers.RNN(cells, return_sequences=True))
    res["sizes"] = [list(np.asarray(cells.state_size, dtype=object).tolist()),
                    cells.output_size]
    return res


def scenario_user_cell(tf):
    K = tf.keras

    class MinimalCell(K.layers.Layer):
        def __init__(self, units, **kwargs):
            self.units = units
            self.state_size = units
            super().__init__(**kwargs)

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units),
                                          initializer="uniform", name="kernel")
            self.recurrent_kernel = self.add_weight(shape=(self.units, self.units),
                                                    initializer="uniform",
                                                    name="recurrent_kernel")
            self.built = True

        def call(self, inputs, states):
            prev = states[0]
            h = K.backend.dot(inputs, self.kernel)
            output = h + K.backend.dot(prev, self.recurrent_kernel)
            return output, [output]

    return _layer_case(tf, lambda: K.layers.RNN(MinimalCell(3), return_sequences=True))


def scenario_user_cell_with_constants(tf):
    K = tf.keras

    class ConstCell(K.layers.Layer):
        def __init__(self, units, **kwargs):
            self.units = units
            self.state_size = units
            super().__init__(**kwargs)

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units),
                                          initializer="ones", name="kernel")
            self.built = True

        def call(self, inputs, states, constants):
            out = K.backend.dot(inputs, self.kernel) + states[0] * constants[0]
            return out, [out]

    x = tf.placeholder(tf.float32, [None, 3, 2], name="x")
    c = tf.placeholder(tf.float32, [None, 2], name="c")
    layer = K.layers.RNN(ConstCell(2), return_sequences=True)
    y = layer(x, constants=[c])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        val = sess.run(y, {x: _fixed([2, 3, 2], 1), c: _fixed([2, 2], 2)})
    return {"out": _out(y), "value": _v(val), "num_constants": layer._num_constants}


def scenario_cell_called_directly(tf):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    h = tf.placeholder(tf.float32, [None, 2], name="h")
    c = tf.placeholder(tf.float32, [None, 2], name="c")
    cell = tf.keras.layers.LSTMCell(2)
    out, states = cell(x, [h, c])
    init = cell.get_initial_state(batch_size=4, dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _set_weights(cell)
        vals = sess.run([out, *states], {x: _fixed([2, 3], 1), h: _fixed([2, 2], 2),
                                         c: _fixed([2, 2], 3)})
    return {"vars": _vars(cell.weights), "outs": _outs([out, *states]),
            "init": _outs(init), "values": [_v(v) for v in vals]}


# -- properties, shapes, configs -------------------------------------------------------------------
def scenario_properties_and_configs(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 5, 3], name="x")
    lstm = K.layers.LSTM(4, return_state=True)
    gru = K.layers.GRU(2, return_sequences=True, dropout=0.1)
    srnn = K.layers.SimpleRNN(3, activation="relu")
    rnn = K.layers.RNN([K.layers.LSTMCell(2), K.layers.GRUCell(3)])
    before = [str(lstm.states), lstm.built]
    for layer in (lstm, gru, srnn, rnn):
        layer(x)
    shapes = [str(layer.compute_output_shape((None, 5, 3)))
              for layer in (lstm, gru, srnn, rnn)]
    props = [lstm.units, lstm.recurrent_activation.__name__, lstm.unit_forget_bias,
             lstm.implementation, gru.reset_after, gru.implementation,
             srnn.activation.__name__, str(lstm.cell.state_size), lstm.cell.output_size,
             str(rnn.cell.state_size), rnn.cell.output_size, str(lstm.states),
             str(lstm.input_spec), str(lstm.state_spec), lstm.count_params()]
    configs = [lstm.get_config(), gru.get_config(), srnn.get_config(),
               lstm.cell.get_config(), rnn.get_config()]
    return {"before": before, "shapes": shapes, "props": props,
            "configs": [{k: str(v) for k, v in c.items()} for c in configs]}


def scenario_sequential_and_functional(tf):
    K = tf.keras
    model = K.Sequential([K.layers.LSTM(3, input_shape=(4, 2), return_sequences=True),
                          K.layers.GRU(2), K.layers.Dense(1)])
    inp = K.Input(shape=(4, 2), name="seq")
    h = K.layers.SimpleRNN(3, return_sequences=True)(inp)
    out = K.layers.LSTM(2)(h)
    fmodel = K.Model(inp, out)
    x = tf.placeholder(tf.float32, [None, 4, 2], name="x")
    y1 = model(x)
    y2 = fmodel(x)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for k, w in enumerate(model.weights + fmodel.weights):
            sess.run(w.assign(_fixed(w.shape.as_list(), k)))
        vals = sess.run([y1, y2], {x: _fixed([2, 4, 2], 1)})
    return {"vars": _vars(model.weights + fmodel.weights),
            "outs": _outs([model.output, h, out, y1, y2]),
            "values": [_v(v) for v in vals]}


# -- training ----------------------------------------------------------------------------------------
def _train_lstm(tf, steps=3):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 5, 3], name="x")
    t = tf.placeholder(tf.float32, [None, 1], name="t")
    lstm = K.layers.LSTM(4, return_sequences=True)
    gru = K.layers.GRU(3)
    dense = K.layers.Dense(1)
    y = dense(gru(lstm(x)))
    loss = tf.reduce_mean(tf.square(y - t))
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    xv = _fixed([4, 5, 3], 1)
    tv = _fixed([4, 1], 2)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for k, w in enumerate(lstm.weights + gru.weights + dense.weights):
            sess.run(w.assign(_fixed(w.shape.as_list(), k)))
        for _ in range(steps):
            losses.append(float(sess.run([loss, train], {x: xv, t: tv})[0]))
        losses.append(float(sess.run(loss, {x: xv, t: tv})))
        final = sess.run(lstm.weights[1])
    return {"losses": _v(losses), "final": _v(final),
            "vars": _vars(tf.global_variables()),
            "trainable": [v.name for v in tf.trainable_variables()]}


def scenario_lstm_gru_trained_with_adam(tf):
    return _train_lstm(tf)


def scenario_seq2seq_encoder_decoder_trained(tf):
    """An encoder LSTM's final states start a decoder LSTM (Keras Inputs, an Embedding,
    TimeDistributed softmax), trained with tf.train.AdamOptimizer on a sparse loss."""
    K = tf.keras
    enc_in = K.Input(shape=(5,), dtype="int32", name="enc")
    dec_in = K.Input(shape=(4,), dtype="int32", name="dec")
    emb = K.layers.Embedding(7, 3)
    _, h, c = K.layers.LSTM(4, return_state=True)(emb(enc_in))
    dec = K.layers.LSTM(4, return_sequences=True)(emb(dec_in), initial_state=[h, c])
    probs = K.layers.TimeDistributed(K.layers.Dense(7, activation="softmax"))(dec)
    model = K.Model([enc_in, dec_in], probs)
    e = tf.placeholder(tf.int32, [None, 5], name="e")
    d = tf.placeholder(tf.int32, [None, 4], name="d")
    t = tf.placeholder(tf.int32, [None, 4], name="t")
    p = model([e, d])
    loss = tf.reduce_mean(K.losses.sparse_categorical_crossentropy(t, p))
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    ev = np.array([[1, 2, 3, 4, 5], [6, 5, 4, 3, 2]], np.int32)
    dv = np.array([[0, 1, 2, 3], [0, 6, 5, 4]], np.int32)
    tv = np.array([[1, 2, 3, 4], [6, 5, 4, 3]], np.int32)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for k, w in enumerate(model.weights):
            sess.run(w.assign(_fixed(w.shape.as_list(), k)))
        for _ in range(3):
            losses.append(float(sess.run([loss, train], {e: ev, d: dv, t: tv})[0]))
    return {"vars": _vars(model.weights), "outs": _outs([h, c, dec, probs, p]),
            "losses": _v(losses)}


# -- errors ---------------------------------------------------------------------------------------
def scenario_errors(tf):
    K = tf.keras
    x2 = tf.placeholder(tf.float32, [None, 3], name="x2")
    x3 = tf.placeholder(tf.float32, [None, None, 3], name="x3")
    h = tf.placeholder(tf.float32, [None, 2], name="h")
    return {
        "lstm_rank": _err(lambda: K.layers.LSTM(2)(x2)),
        "gru_rank": _err(lambda: K.layers.GRU(2, name="g")(x2)),
        "units": _err(lambda: K.layers.LSTMCell(0)),
        "unroll_unknown_time": _err(lambda: K.layers.SimpleRNN(2, unroll=True)(x3)),
        "state_count": _err(lambda: K.layers.LSTM(2)(x3, initial_state=[h])),
        # the message ends with the cell's repr (TF's class path): kept up to it
        "no_call": _err(lambda: K.layers.RNN(object()), "cell="),
        "no_state_size": _err(lambda: K.layers.RNN(K.layers.Dense(2)), "cell="),
        "state_shape": _err(lambda: K.layers.GRU(3)(x3, initial_state=[h])),
        "input_dim_changed": _err(lambda: _twice(tf, K)),
    }


def _twice(tf, K):
    layer = K.layers.LSTM(2)
    layer(tf.placeholder(tf.float32, [None, 4, 3]))
    layer(tf.placeholder(tf.float32, [None, 4, 5]))


# -- Bidirectional and TimeDistributed --------------------------------------------------------
def _wrapped_case(tf, make, x_shape=(None, 5, 3), xv_shape=(2, 5, 3)):
    x = tf.placeholder(tf.float32, list(x_shape), name="x")
    start = _n(tf)
    layer = make()
    y = layer(x)
    ops = _ops(tf, start)
    res = _run_layer(tf, layer, x, _fixed(list(xv_shape), 9), y)
    return {"vars": _vars(layer.weights), "outs": _outs(y), "ops": ops,
            "shape": str(layer.compute_output_shape(x_shape)),
            # (TF's tracking prints a backward layer's config as DictWrapper(...))
            "config": {k: str(v) for k, v in layer.get_config().items()
                       if k != "backward_layer"}, **res}


def scenario_bidirectional_lstm_concat_sequences(tf):
    K = tf.keras
    return _wrapped_case(tf, lambda: K.layers.Bidirectional(
        K.layers.LSTM(2, return_sequences=True)))


def scenario_bidirectional_gru_sum(tf):
    K = tf.keras
    return _wrapped_case(tf, lambda: K.layers.Bidirectional(K.layers.GRU(3),
                                                            merge_mode="sum"))


def scenario_bidirectional_merge_modes(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 4, 3], name="x")
    out = {}
    for mode in ("mul", "ave", None):
        layer = K.layers.Bidirectional(K.layers.SimpleRNN(2, return_sequences=True),
                                       merge_mode=mode)
        y = layer(x)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            _set_weights(layer)
            vals = sess.run(y, {x: _fixed([2, 4, 3], 1)})
        out[str(mode)] = {"outs": _outs(y), "values": _v(vals),
                          "shape": str(layer.compute_output_shape((None, 4, 3)))}
    return out


def scenario_bidirectional_return_state(tf):
    K = tf.keras
    return _wrapped_case(tf, lambda: K.layers.Bidirectional(
        K.layers.LSTM(2, return_state=True)))


def scenario_bidirectional_none_return_state(tf):
    K = tf.keras
    return _wrapped_case(tf, lambda: K.layers.Bidirectional(
        K.layers.GRU(2, return_state=True, return_sequences=True), merge_mode=None))


def scenario_bidirectional_initial_state(tf):
    K = tf.keras
    x = tf.placeholder(tf.float32, [None, 4, 3], name="x")
    hs = [tf.placeholder(tf.float32, [None, 2], name=f"h{i}") for i in range(4)]
    layer = K.layers.Bidirectional(K.layers.LSTM(2))
    y = layer(x, initial_state=hs)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        _set_weights(layer)
        feed = {x: _fixed([2, 4, 3], 1)}
        feed.update({h: _fixed([2, 2], i + 2) for i, h in enumerate(hs)})
        val = sess.run(y, feed)
    return {"out": _out(y), "value": _v(val)}


def scenario_bidirectional_backward_layer(tf):
    K = tf.keras
    return _wrapped_case(tf, lambda: K.layers.Bidirectional(
        K.layers.LSTM(2, return_sequences=True),
        backward_layer=K.layers.GRU(2, return_sequences=True, go_backwards=True)))


def scenario_bidirectional_errors(tf):
    K = tf.keras
    return {
        "mode": _err(lambda: K.layers.Bidirectional(K.layers.LSTM(2), merge_mode="max")),
        "not_layer": _err(lambda: K.layers.Bidirectional(object()), "Received:"),
        "same_direction": _err(lambda: K.layers.Bidirectional(
            K.layers.LSTM(2), backward_layer=K.layers.LSTM(2))),
        "mismatch": _err(lambda: K.layers.Bidirectional(
            K.layers.LSTM(2), backward_layer=K.layers.LSTM(2, go_backwards=True,
                                                           return_sequences=True))),
        "odd_states": _err(lambda: K.layers.Bidirectional(K.layers.LSTM(2))(
            tf.placeholder(tf.float32, [None, 4, 3]),
            initial_state=[tf.placeholder(tf.float32, [None, 2])]), "Received:"),
    }


def scenario_time_distributed_dense(tf):
    K = tf.keras
    return _wrapped_case(tf, lambda: K.layers.TimeDistributed(K.layers.Dense(4)))


def scenario_time_distributed_fixed_batch_and_time(tf):
    K = tf.keras
    return _wrapped_case(tf, lambda: K.layers.TimeDistributed(K.layers.Dense(2,
                                                                             use_bias=False)),
                         x_shape=(2, 5, 3))


def scenario_time_distributed_user_layer_loops(tf):
    """A user layer with a known batch size: TF loops over time (backend.rnn)."""
    K = tf.keras

    class Scale(K.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", shape=(input_shape[-1],), initializer="ones")
            self.built = True

        def call(self, inputs):
            return inputs * self.w

        def compute_output_shape(self, input_shape):
            return input_shape

    return _wrapped_case(tf, lambda: K.layers.TimeDistributed(Scale()), x_shape=(2, 5, 3))


def scenario_time_distributed_then_lstm_model(tf):
    K = tf.keras
    inp = K.Input(shape=(5, 3), name="seq")
    h = K.layers.TimeDistributed(K.layers.Dense(4, activation="tanh"))(inp)
    h = K.layers.Bidirectional(K.layers.LSTM(3, return_sequences=True))(h)
    out = K.layers.TimeDistributed(K.layers.Dense(1))(h)
    model = K.Model(inp, out)
    x = tf.placeholder(tf.float32, [None, 5, 3], name="x")
    t = tf.placeholder(tf.float32, [None, 5, 1], name="t")
    y = model(x)
    loss = tf.reduce_mean(tf.square(y - t))
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for k, w in enumerate(model.weights):
            sess.run(w.assign(_fixed(w.shape.as_list(), k)))
        feed = {x: _fixed([3, 5, 3], 1), t: _fixed([3, 5, 1], 2)}
        for _ in range(3):
            losses.append(float(sess.run([loss, train], feed)[0]))
    return {"vars": _vars(model.weights), "outs": _outs([h, out, y]), "losses": _v(losses)}


def scenario_bidirectional_rnn_of_stacked_cells(tf):
    K = tf.keras
    return _wrapped_case(tf, lambda: K.layers.Bidirectional(
        K.layers.RNN([K.layers.GRUCell(2), K.layers.LSTMCell(2)], return_sequences=True),
        merge_mode="ave"))


def scenario_from_config_round_trips(tf):
    K = tf.keras
    layers = [K.layers.LSTM(3, dropout=0.2, go_backwards=True),
              K.layers.GRU(2, reset_after=True, implementation=2),
              K.layers.SimpleRNN(2, return_sequences=True),
              K.layers.RNN([K.layers.LSTMCell(2), K.layers.SimpleRNNCell(3)], unroll=True),
              K.layers.Bidirectional(K.layers.GRU(2), merge_mode="mul"),
              K.layers.TimeDistributed(K.layers.Dense(3))]
    out = []
    for layer in layers:
        config = layer.get_config()
        again = type(layer).from_config(config).get_config()
        out.append([type(layer).__name__, str(again)])
    return out


def scenario_time_distributed_errors(tf):
    K = tf.keras
    return {
        "rank": _err(lambda: K.layers.TimeDistributed(K.layers.Dense(2))(
            tf.placeholder(tf.float32, [None, 3]))),
        "not_layer": _err(lambda: K.layers.TimeDistributed(object()), "Received:"),
    }


# -- after disable_v2_behavior ----------------------------------------------------------------
def _mask_name(tf, t):
    # tf-keras hangs the mask on the tensor; varstore keeps it beside (its Tensor has slots)
    m = getattr(t, "_keras_mask", None)
    if m is None and tf.__name__.startswith("varstore"):
        from varstore.keras._tensor_attrs import get_attr
        m = get_attr(t, "_keras_mask")
    return None if m is None else m.name


def scenario_masks_propagate_from_embedding_and_masking(tf):
    K = tf.keras
    x = tf.placeholder(tf.int32, [2, 4], name="x")
    emb = K.layers.Embedding(5, 3, mask_zero=True)
    h = emb(x)
    d = K.layers.Dense(2)(h)
    seq = K.layers.LSTM(3, return_sequences=True)
    last = K.layers.LSTM(3)
    hs, hl = seq(h), last(h)
    bi = K.layers.Bidirectional(K.layers.GRU(2, return_sequences=True), merge_mode=None)
    b1, b2 = bi(h)
    flat = K.layers.Flatten()(h)
    y = tf.placeholder(tf.float32, [2, 4, 3], name="y")
    masked = K.layers.Masking(0.0)(y)
    after = K.layers.SimpleRNN(2)(masked)
    inp = K.Input((4,), dtype="int32")
    emb2 = K.layers.Embedding(5, 3, mask_zero=True)
    lstm2 = K.layers.LSTM(2)
    model = K.Model(inp, lstm2(emb2(inp)))
    sess = K.backend.get_session()
    for k, t in enumerate(tf.global_variables()):
        t.load(_fixed(t.shape.as_list(), k), sess)
    names = {k: _mask_name(tf, t) for k, t in
             [("h", h), ("dense", d), ("seq", hs), ("last", hl), ("bi0", b1), ("bi1", b2),
              ("flat", flat), ("masking", masked), ("after", after)]}
    xv = np.array([[1, 2, 0, 0], [3, 0, 0, 0]])
    yv = _fixed([2, 4, 3], 1)
    yv[0, 2:] = 0.0
    vals = sess.run([hs, hl, b1, b2, masked, after], {x: xv, y: yv})
    return {"masks": names, "values": [_v(v) for v in vals],
            "model": _v(sess.run(model.outputs[0], {inp: xv})),
            "mask_value": _v(sess.run(K.layers.Masking(0.0)(y), {y: yv}))}


def scenario_zz_disable_v2_behavior_lstm_trains(tf):
    """Under TF1 behaviour: ref variables, TF1 initializers (RandomUniform, the v1
    Orthogonal), TensorShape Dimensions; the same losses from the same weights."""
    with tf.Graph().as_default() as g:
        tf.disable_v2_behavior()
        try:
            x = tf.placeholder(tf.float32, [None, 5, 3], name="x")
            layer = tf.keras.layers.LSTM(2)
            y = layer(x)
            kinds = sorted({op.type for op in g.get_operations()
                            if op.name.startswith("lstm/lstm_cell/")})
            res = _train_lstm(tf)
            res["variable_ops"] = kinds
            res["out"] = _out(y)
        finally:
            with contextlib.suppress(Exception):  # both refuse eager mode here
                tf.enable_v2_behavior()
            if hasattr(tf, "enable_resource_variables"):
                tf.enable_resource_variables()
            if hasattr(tf, "enable_control_flow_v2"):
                tf.enable_control_flow_v2()
    return res


def all_scenarios():
    """{name: function} for every scenario, in definition order."""
    return {
        k[len("scenario_"):]: v
        for k, v in globals().items()
        if k.startswith("scenario_") and callable(v)
    }
