"""Writes the MetaGraph and GraphDef fixtures of the "metagraph" golden set under
tests/golden/metagraph/, with real TensorFlow (graph mode):

- ``mlp``: a two-layer MLP of resource variables trained by GradientDescent with a global
  step and a scalar summary: ``mlp.ckpt.{index,data-00000-of-00001,meta}`` (Saver.save) and
  ``mlp.pb`` (the GraphDef, ``graph.as_graph_def().SerializeToString()``);
- ``mlp_ref``: the same with TF1 ref variables (VariableV2, after disable_v2_behavior) and
  Momentum;
- ``convnet``: conv2d + bias_add + relu + max_pool, FusedBatchNormV3 (training, with its
  moving-average UPDATE_OPS) and a dense layer, trained by Adam: ``convnet.ckpt.*`` and
  ``convnet_frozen.pb`` (its inference graph with the variables turned into Consts by
  ``convert_variables_to_constants``);
- ``layers``: tf.layers conv2d + batch_normalization + max_pooling2d + dense, whose
  initializers are TF 2's stateless random ops (``layers.pb``, the GraphDef only);
- ``v1_cond``: a TF1 tf.cond (Switch/Merge, after disable_v2_behavior) on a ref variable.

The first three use tf.compat.v1 initializers, which TF 1 graphs hold (RandomUniform ...). Run:

    TF_USE_LEGACY_KERAS=1 /work/tfvenv/bin/python tests/golden/make_metagraph_fixtures.py

(``... make_metagraph_fixtures.py all layers`` remakes only the named ones), then record the
golden set (``record_tf.py --set metagraph``). The varstore-written fixture
that TF's import_meta_graph reads is made by ``make_varstore_metagraph.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "metagraph")


def _tf(ref: bool):  # type: ignore[no-untyped-def]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf

    if ref:
        tf.disable_v2_behavior()
    else:
        tf.disable_eager_execution()
    tf.get_logger().setLevel("ERROR")
    return tf


def _batches():  # type: ignore[no-untyped-def]
    import numpy as np

    rng = np.random.default_rng(7)
    return rng.standard_normal((4, 3)).astype(np.float32), rng.standard_normal(
        (4, 2)).astype(np.float32)


def mlp(ref: bool) -> None:
    tf = _tf(ref)
    name = "mlp_ref" if ref else "mlp"
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
    loss = tf.reduce_mean(tf.square(out - y), name="loss")
    step = tf.train.get_or_create_global_step()
    opt = (tf.train.MomentumOptimizer(0.1, 0.9) if ref
           else tf.train.GradientDescentOptimizer(0.1))
    train = opt.minimize(loss, global_step=step, name="train")
    tf.summary.scalar("loss", loss)
    saver = tf.train.Saver()
    xs, ys = _batches()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(3):
            s.run(train, {x: xs, y: ys})
        saver.save(s, os.path.join(OUT, name + ".ckpt"))
    if not ref:
        with open(os.path.join(OUT, name + ".pb"), "wb") as f:
            f.write(tf.get_default_graph().as_graph_def().SerializeToString())


def convnet() -> None:
    tf = _tf(False)
    tf.set_random_seed(2)
    img = tf.placeholder(tf.float32, [None, 6, 6, 2], name="images")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    init = tf.glorot_uniform_initializer(seed=5)
    with tf.variable_scope("conv"):
        k = tf.get_variable("kernel", [3, 3, 2, 4], initializer=init)
        b = tf.get_variable("bias", [4], initializer=tf.constant_initializer(0.05))
        c = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(img, k, [1, 1, 1, 1], "SAME"), b))
        p = tf.nn.max_pool(c, [1, 2, 2, 1], [1, 2, 2, 1], "VALID", name="pool")
    with tf.variable_scope("bn"):
        gamma = tf.get_variable("gamma", [4], initializer=tf.ones_initializer())
        beta = tf.get_variable("beta", [4], initializer=tf.zeros_initializer())
        mean = tf.get_variable("moving_mean", [4], initializer=tf.zeros_initializer(),
                               trainable=False)
        var = tf.get_variable("moving_variance", [4], initializer=tf.ones_initializer(),
                              trainable=False)
        normed, bm, bv = tf.nn.fused_batch_norm(p, gamma, beta, epsilon=1e-3)
        upd_m = tf.assign_sub(mean, 0.1 * (mean - bm))
        upd_v = tf.assign_sub(var, 0.1 * (var - bv))
        for u in (upd_m, upd_v):
            tf.add_to_collection(tf.GraphKeys.UPDATE_OPS, u)
    flat = tf.reshape(normed, [-1, 3 * 3 * 4])
    with tf.variable_scope("dense"):
        w = tf.get_variable("w", [36, 3], initializer=init)
        logits = tf.matmul(flat, w, name="logits")
    probs = tf.nn.softmax(logits, name="probs")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits), name="loss")
    step = tf.train.get_or_create_global_step()
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        train = tf.train.AdamOptimizer(0.01).minimize(loss, global_step=step, name="train")
    saver = tf.train.Saver()
    import numpy as np

    rng = np.random.default_rng(11)
    xs = rng.standard_normal((2, 6, 6, 2)).astype(np.float32)
    ls = np.array([0, 2], np.int32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(2):
            s.run(train, {img: xs, labels: ls})
        saver.save(s, os.path.join(OUT, "convnet.ckpt"))
        frozen = tf.graph_util.convert_variables_to_constants(
            s, tf.get_default_graph().as_graph_def(), ["probs"])
    with open(os.path.join(OUT, "convnet_frozen.pb"), "wb") as f:
        f.write(frozen.SerializeToString())


def layers() -> None:
    """tf.layers (tf-keras's legacy layers): their initializers draw with TF 2's stateless
    random ops (StatelessRandomGetKeyCounter, StatelessRandomUniformV2 ...). The GraphDef
    only: ``layers.pb``."""
    tf = _tf(False)
    x = tf.placeholder(tf.float32, [None, 6, 6, 2], name="images")
    c = tf.layers.conv2d(x, 3, 3, activation=tf.nn.relu, kernel_initializer=tf.keras
                         .initializers.he_normal(seed=4))
    c = tf.layers.batch_normalization(c, training=False)
    f = tf.layers.flatten(tf.layers.max_pooling2d(c, 2, 2))
    tf.layers.dense(f, 2, name="logits")
    tf.global_variables_initializer()
    with open(os.path.join(OUT, "layers.pb"), "wb") as fh:
        fh.write(tf.get_default_graph().as_graph_def().SerializeToString())


def v1_cond() -> None:
    """TF1's control flow (disable_v2_behavior): tf.cond as Switch/Merge nodes with a
    ``cond_context`` collection, ref variables: ``v1_cond.ckpt.*``."""
    tf = _tf(True)
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    flag = tf.placeholder(tf.bool, [], name="flag")
    w = tf.get_variable("w", [2, 2], initializer=tf.constant_initializer([[1., 2.], [3., 4.]]))
    y = tf.cond(flag, lambda: tf.matmul(x, w), lambda: x * 2.0, name="c")
    loss = tf.reduce_sum(tf.square(y), name="loss")
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss, name="train")
    saver = tf.train.Saver()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(train, {x: [[1., 1.]], flag: True})
        saver.save(s, os.path.join(OUT, "v1_cond.ckpt"))


FIXTURES = {"mlp": lambda: mlp(False), "mlp_ref": lambda: mlp(True), "convnet": convnet,
            "layers": layers, "v1_cond": v1_cond}


def main() -> int:
    if len(sys.argv) == 2 and sys.argv[1] in FIXTURES:
        FIXTURES[sys.argv[1]]()
        return 0
    os.makedirs(OUT, exist_ok=True)
    for name in (sys.argv[2:] if len(sys.argv) > 2 else FIXTURES):
        subprocess.run([sys.executable, os.path.abspath(__file__), name], check=True)
    if os.path.exists(os.path.join(OUT, "checkpoint")):
        os.remove(os.path.join(OUT, "checkpoint"))  # (each save rewrote it; tests need none)
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {OUT}: {sorted(os.listdir(OUT))} ({total} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
