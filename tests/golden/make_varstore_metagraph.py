"""Writes tests/golden/metagraph/varstore_mlp.ckpt.{index,data-00000-of-00001,meta} with
varstore: the MetaGraph and checkpoint that the golden scenario ``varstore_meta_in_tf``
reads with ``tf.train.import_meta_graph`` (recorded in real TF, replayed in varstore), so
the golden set checks that TF imports, restores and trains what varstore writes.

    PYTHONPATH=python python tests/golden/make_varstore_metagraph.py

``tests/test_meta_graph.py`` rebuilds the same program and checks that the committed
``.meta`` still has the nodes varstore writes for it.
"""

from __future__ import annotations

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "metagraph")


def build(tf):  # type: ignore[no-untyped-def]
    """The program: an MLP of resource variables, a loss with a per-row sum (whose gradient
    needs the reduced shape of a dynamic batch), Momentum with a global step, a summary."""
    tf.set_random_seed(1)
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.placeholder(tf.float32, [None, 2], name="y")
    init = tf.glorot_uniform_initializer(seed=3)
    with tf.variable_scope("hidden"):
        w1 = tf.get_variable("w", [3, 4], initializer=init)
        b1 = tf.get_variable("b", [4], initializer=tf.zeros_initializer())
        h = tf.nn.relu(tf.nn.bias_add(tf.matmul(x, w1), b1))
    with tf.variable_scope("out"):
        w2 = tf.get_variable("w", [4, 2], initializer=init)
        b2 = tf.get_variable("b", [2], initializer=tf.constant_initializer(0.1))
        out = tf.add(tf.matmul(h, w2), b2, name="logits")
    loss = tf.reduce_mean(tf.reduce_sum(tf.square(out - y), axis=1), name="loss")
    step = tf.train.get_or_create_global_step()
    train = tf.train.MomentumOptimizer(0.05, 0.9).minimize(loss, global_step=step,
                                                           name="train")
    tf.summary.scalar("loss", loss)
    return x, y, train


def main() -> int:
    sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))
    import numpy as np

    import varstore as tf

    x, y, train = build(tf)
    saver = tf.train.Saver()
    rng = np.random.default_rng(7)
    xs = rng.standard_normal((4, 3)).astype(np.float32)
    ys = rng.standard_normal((4, 2)).astype(np.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(3):
            s.run(train, {x: xs, y: ys})
        saver.save(s, os.path.join(OUT, "varstore_mlp.ckpt"), write_state=False)
    print(f"wrote {OUT}/varstore_mlp.ckpt.*")
    return 0


if __name__ == "__main__":
    sys.exit(main())
