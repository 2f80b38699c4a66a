"""RSS stays flat over 10,000 runs of a cached plan; a closed session frees its buffers."""

import gc
import weakref

import numpy as np

import varstore as tf


def _rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4


def test_rss_flat_over_10k_runs_of_a_cached_plan() -> None:
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 64], name="x")
    w = tf.get_variable("w", [64, 64])
    y = tf.nn.relu(tf.matmul(x, w) + 1.0)
    step = w.assign_add(tf.zeros([64, 64]))
    feed = np.ones((8, 64), np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(1000):  # warm up allocator pools and the plan cache
            sess.run([y, step], {x: feed})
        gc.collect()
        before = _rss_kb()
        for _ in range(10000):
            sess.run([y, step], {x: feed})
        gc.collect()
        grown = _rss_kb() - before
    assert grown < 4096, f"RSS grew by {grown} kB over 10k runs"


def test_closed_session_frees_its_buffers() -> None:
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [4], name="x")
    y = tf.random_uniform([1024, 1024]) + x[0]
    sess = tf.Session()
    out = sess.run(y, {x: np.ones(4, np.float32)})
    del out
    ref = weakref.ref(sess)
    sess.close()
    del sess
    gc.collect()
    assert ref() is None
