"""The run fast path: a repeated (fetches, feeds) signature skips fetch and feed parsing."""

import numpy as np
import pytest

import varstore as tf
from varstore.framework import session as session_mod


def test_repeated_run_with_a_feed_takes_the_fast_path(monkeypatch):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [4], name="x")
    y = x + 1.0
    sess = tf.Session()
    feed = np.ones(4, np.float32)
    assert sess.run(y, {x: feed}).tolist() == [2.0] * 4
    calls = []
    monkeypatch.setattr(session_mod, "_feed_key", lambda *a: calls.append(a))
    for v in range(3):
        assert sess.run(y, {x: feed * v}).tolist() == [v + 1.0] * 4
    assert calls == []  # the signature was remembered under (y, (x,))
    # a wrongly shaped feed still gets TF's error on the fast path
    monkeypatch.undo()
    with pytest.raises(ValueError, match="Cannot feed value of shape"):
        sess.run(y, {x: np.ones(3, np.float32)})


def test_floating_point_errors_stay_quiet_inside_runs_only():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [2])
    before = np.geterr()
    with tf.Session() as sess:
        out = sess.run(x / 0.0, {x: [1.0, 0.0]})
    assert np.isinf(out[0]) and np.isnan(out[1])
    assert np.geterr() == before


def test_nested_fetches_keep_their_structure_on_repeated_runs():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None])
    fetches = (x, (x + 1.0, [x * 2.0]))
    with tf.Session() as sess:
        for v in ([1.0], [2.0, 3.0]):
            a, (b, [c]) = sess.run(fetches, {x: v})
            assert a.tolist() == v and c.tolist() == [2 * e for e in v]
