"""Each Session keeps its own variable values (TF's per-session ResourceMgr): the first open
session of a graph uses the graph's values, which np.asarray(v) shows; a session opened
beside it keeps values of its own."""

import threading

import numpy as np

import varstore as tf


def test_second_session_does_not_touch_the_graph_values():
    w = tf.Variable([1.0, 2.0], name="w")
    s1, s2 = tf.Session(), tf.Session()
    s1.run(w.initializer)
    s2.run(w.initializer)
    s2.run(w.assign([5.0, 6.0]))
    np.testing.assert_array_equal(np.asarray(w), [1.0, 2.0])
    np.testing.assert_array_equal(s1.run(w), [1.0, 2.0])
    np.testing.assert_array_equal(s2.run(w), [5.0, 6.0])
    s1.close()
    s2.close()


def test_concurrent_sessions_train_independently():
    x = tf.Variable(0.0, name="x")
    target = tf.placeholder(tf.float32, [])
    loss = tf.square(x - target)
    step = tf.train.AdamOptimizer(0.1).minimize(loss)
    init = tf.global_variables_initializer()
    sessions = [tf.Session() for _ in range(3)]
    results: dict[int, float] = {}

    def train(i: int) -> None:
        s = sessions[i]
        s.run(init)
        for _ in range(200):
            s.run(step, {target: float(i + 1)})
        results[i] = float(s.run(x))

    threads = [threading.Thread(target=train, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # one session alone gives the same value: no session saw another's updates
    alone = tf.Session()
    alone.run(init)
    for _ in range(200):
        alone.run(step, {target: 2.0})
    assert results[1] == float(alone.run(x))
    assert results[0] != results[1] != results[2]
    for s in [*sessions, alone]:
        s.close()


def test_a_closed_first_session_hands_the_graph_values_on():
    v = tf.Variable(3.0, name="v")
    s1 = tf.Session()
    s1.run(v.initializer)
    s1.run(v.assign(4.0))
    s1.close()
    s2 = tf.Session()
    s2.run(v.initializer)
    s2.run(v.assign(7.0))
    assert float(np.asarray(v)) == 7.0
    s2.close()
