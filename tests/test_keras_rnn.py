"""tf.keras' recurrent layers: what the golden scenarios cannot pin (NumPy references,
refusals, random dropout in a loop, functional models with state inputs)."""

from __future__ import annotations

import numpy as np
import pytest

import varstore as tf

K = tf.keras


@pytest.fixture(autouse=True)
def _fresh_graph() -> None:
    tf.reset_default_graph()


def _fixed(shape: list[int], k: int) -> np.ndarray:
    n = int(np.prod(shape))
    return (0.5 * np.sin(np.arange(n) * 0.37 + k)).reshape(shape).astype(np.float32)


def _hard_sigmoid(x: np.ndarray) -> np.ndarray:
    return np.clip(0.2 * x + 0.5, 0.0, 1.0)


def _numpy_lstm(x: np.ndarray, kernel: np.ndarray, rec: np.ndarray, bias: np.ndarray,
                backwards: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    batch, steps, _ = x.shape
    units = rec.shape[0]
    h = np.zeros((batch, units), np.float32)
    c = np.zeros((batch, units), np.float32)
    outs = []
    order = range(steps - 1, -1, -1) if backwards else range(steps)
    for t in order:
        z = x[:, t] @ kernel + h @ rec + bias
        i, f, g, o = np.split(z, 4, axis=1)
        c = _hard_sigmoid(f) * c + _hard_sigmoid(i) * np.tanh(g)
        h = _hard_sigmoid(o) * np.tanh(c)
        outs.append(h)
    return np.stack(outs, axis=1), h, c


@pytest.mark.parametrize(("unroll", "backwards"), [(False, False), (True, False),
                                                    (False, True), (True, True)],
                         ids=["loop", "unrolled", "loop-backwards", "unrolled-backwards"])
def test_lstm_matches_numpy_reference(unroll: bool, backwards: bool) -> None:
    x = tf.placeholder(tf.float32, [None, 6, 3])
    layer = K.layers.LSTM(4, return_sequences=True, return_state=True, unroll=unroll,
                          go_backwards=backwards)
    seq, h, c = layer(x)
    xv = _fixed([2, 6, 3], 1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        kernel, rec, bias = sess.run(layer.weights)
        got = sess.run([seq, h, c], {x: xv})
    want = _numpy_lstm(xv, kernel, rec, bias, backwards)
    for g, w in zip(got, want, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


def test_lstm_bias_starts_with_the_forget_gate_at_one() -> None:
    layer = K.layers.LSTM(3)
    layer(tf.placeholder(tf.float32, [None, 2, 2]))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        bias = sess.run(layer.cell.bias)
    np.testing.assert_array_equal(bias, [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])


def test_recurrent_kernel_default_is_orthogonal() -> None:
    layer = K.layers.SimpleRNN(5)
    layer(tf.placeholder(tf.float32, [None, 2, 3]))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        rec = sess.run(layer.cell.recurrent_kernel)
    np.testing.assert_allclose(rec @ rec.T, np.eye(5), atol=1e-5)


def test_backend_rnn_runs_a_step_function_over_time() -> None:
    x = tf.placeholder(tf.float32, [None, 4, 2])
    s0 = tf.zeros_like(x[:, 0])

    def step(inp: object, states: object) -> tuple[object, list[object]]:
        total = states[0] + inp  # type: ignore[index, operator]
        return total * 2.0, [total]

    last, outs, states = K.backend.rnn(step, x, [s0])
    last_b, outs_b, _ = K.backend.rnn(step, x, [s0], go_backwards=True, unroll=True)
    xv = _fixed([3, 4, 2], 2)
    with tf.Session() as sess:
        got = sess.run([last, outs, states[0], last_b, outs_b], {x: xv})
    cums = np.cumsum(xv, axis=1)
    np.testing.assert_allclose(got[1], 2 * cums, rtol=1e-6)
    np.testing.assert_allclose(got[0], 2 * cums[:, -1], rtol=1e-6)
    np.testing.assert_allclose(got[2], cums[:, -1], rtol=1e-6)
    rev = np.cumsum(xv[:, ::-1], axis=1)
    np.testing.assert_allclose(got[4], 2 * rev, rtol=1e-6)
    np.testing.assert_allclose(got[3], 2 * rev[:, -1], rtol=1e-6)


def test_mask_keeps_the_previous_output_and_state() -> None:
    x = tf.placeholder(tf.float32, [None, 4, 3])
    m = tf.placeholder(tf.bool, [None, 4])
    layer = K.layers.GRU(2, return_sequences=True)
    y = layer(x, mask=m)
    short = K.layers.GRU(2, return_sequences=True)
    y_short = short(x[:, :2])
    xv = _fixed([1, 4, 3], 3)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        short.set_weights(layer.get_weights())
        got = sess.run(y, {x: xv, m: [[True, True, False, False]]})
        want = sess.run(y_short, {x: xv})
    np.testing.assert_allclose(got[:, :2], want, rtol=1e-6)
    np.testing.assert_allclose(got[:, 2], want[:, 1], rtol=1e-6)
    np.testing.assert_allclose(got[:, 3], want[:, 1], rtol=1e-6)


def test_dropout_in_a_loop_draws_masks_in_training_only() -> None:
    x = tf.placeholder(tf.float32, [None, 5, 3])
    layer = K.layers.LSTM(4, dropout=0.5, recurrent_dropout=0.5)
    y_train = layer(x, training=True)
    y_test = layer(x, training=False)
    plain = K.layers.LSTM(4)
    y_plain = plain(x)
    xv = _fixed([3, 5, 3], 4)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        plain.set_weights(layer.get_weights())
        a, b = sess.run(y_train, {x: xv}), sess.run(y_train, {x: xv})
        test, ref = sess.run([y_test, y_plain], {x: xv})
    np.testing.assert_allclose(test, ref, rtol=1e-6)
    assert not np.allclose(a, ref)
    assert not np.allclose(a, b)  # a fresh draw every run


def test_functional_model_takes_initial_states_from_inputs() -> None:
    inp = K.Input(shape=(3, 2))
    h0 = K.Input(shape=(4,))
    c0 = K.Input(shape=(4,))
    lstm = K.layers.LSTM(4)
    out = lstm(inp, initial_state=[h0, c0])
    model = K.Model([inp, h0, c0], out)
    x = tf.placeholder(tf.float32, [None, 3, 2])
    hv = tf.placeholder(tf.float32, [None, 4])
    cv = tf.placeholder(tf.float32, [None, 4])
    y = model([x, hv, cv])
    direct = lstm(x, initial_state=[hv, cv])
    feed = {x: _fixed([2, 3, 2], 1), hv: _fixed([2, 4], 2), cv: _fixed([2, 4], 3)}
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, want = sess.run([y, direct], feed)
    np.testing.assert_allclose(got, want, rtol=1e-6)
    assert [s.shape for s in lstm.input_spec] == [(None, None, 2)]


def test_bidirectional_weights_are_the_two_copies() -> None:
    inner = K.layers.GRU(2)
    bi = K.layers.Bidirectional(inner)
    bi(tf.placeholder(tf.float32, [None, 3, 2]))
    assert not inner.built
    names = [w.name for w in bi.trainable_weights]
    assert names[0].startswith("bidirectional/forward_gru/")
    assert names[3].startswith("bidirectional/backward_gru/")
    assert len(names) == 6
    bi.trainable = False
    assert bi.trainable_weights == []
    assert len(bi.non_trainable_weights) == 6


def test_stateful_is_refused_naming_it() -> None:
    with pytest.raises(NotImplementedError,
                       match=r"varstore lacks tf\.keras\.layers\.LSTM\(stateful=True\)"):
        K.layers.LSTM(2, stateful=True)


def test_embedding_mask_reaches_the_rnn_as_an_explicit_mask_would() -> None:
    inp = K.Input(shape=(4,), dtype="int32")
    emb = K.layers.Embedding(10, 3, mask_zero=True)
    lstm = K.layers.LSTM(2)
    implicit = lstm(emb(inp))
    explicit = lstm(emb(inp), mask=tf.not_equal(inp, 0))
    unmasked = lstm(K.layers.Embedding(10, 3)(inp))  # no mask_zero: nothing to propagate
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        xv = np.array([[1, 2, 0, 0], [3, 0, 0, 0]])
        a, b = s.run([implicit, explicit], {inp: xv})
        s.run(unmasked, {inp: xv})
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", ["ConvLSTM2D", "CuDNNGRU"], ids=["ConvLSTM2D", "CuDNNGRU"])
def test_recurrent_relatives_varstore_lacks_raise_naming_them(name: str) -> None:
    with pytest.raises(AttributeError, match=rf"varstore lacks tf\.keras\.layers\.{name}$"):
        getattr(K.layers, name)


def test_time_distributed_of_a_user_layer_without_batch_reshapes() -> None:
    class Double(K.layers.Layer):
        def call(self, inputs: object) -> object:
            return inputs * 2.0  # type: ignore[operator]

    x = tf.placeholder(tf.float32, [None, 3, 2])
    y = K.layers.TimeDistributed(Double())(x)
    ops = [op.type for op in tf.get_default_graph().get_operations()]
    assert "While" not in ops
    assert y.shape.as_list() == [None, 3, 2]
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(y, {x: _fixed([2, 3, 2], 1)}),
                                   2 * _fixed([2, 3, 2], 1))
