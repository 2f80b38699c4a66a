"""RNN cells and static_rnn beyond the golden set: what varstore refuses, and weight reuse."""

import numpy as np
import pytest

import varstore as tf


def test_dynamic_rnn_reuses_the_weights_it_made_inside_the_loop():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [2, 3, 4])
    cell = tf.nn.rnn_cell.BasicLSTMCell(3)
    out, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    with tf.variable_scope("rnn", reuse=True):
        out2, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope="rnn")
    assert [v.name for v in tf.global_variables()] == [
        "rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"]
    xv = np.random.RandomState(0).randn(2, 3, 4).astype(np.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        a, b = s.run([out, out2], {x: xv})
    np.testing.assert_array_equal(a, b)


def test_dynamic_rnn_errors():
    tf.reset_default_graph()
    cell = tf.nn.rnn_cell.GRUCell(2)
    with pytest.raises(ValueError, match="argument `dtype` must be specified"):
        tf.nn.dynamic_rnn(cell, tf.zeros([2, 3, 4]))
    with pytest.raises(ValueError, match="depth of inputs"):
        tf.nn.dynamic_rnn(cell, tf.placeholder(tf.float32, [2, 3, None]), dtype=tf.float32)


def test_static_rnn_reuses_weights_across_steps():
    tf.reset_default_graph()
    xs = [tf.zeros([2, 3]) for _ in range(4)]
    cell = tf.nn.rnn_cell.GRUCell(5)
    outputs, state = tf.nn.static_rnn(cell, xs, dtype=tf.float32)
    assert len(outputs) == 4 and state.shape.as_list() == [2, 5]
    assert [v.name for v in tf.global_variables()] == [
        "rnn/gru_cell/gates/kernel:0", "rnn/gru_cell/gates/bias:0",
        "rnn/gru_cell/candidate/kernel:0", "rnn/gru_cell/candidate/bias:0"]
    assert len(cell.trainable_weights) == 4
