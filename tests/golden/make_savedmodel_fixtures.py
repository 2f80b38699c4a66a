"""Writes the SavedModel fixtures of the "savedmodel" golden set under
tests/golden/savedmodel/, with real TensorFlow (graph mode):

- ``tf_dense/``: a two-layer dense classifier of resource variables (``build`` below),
  written by ``SavedModelBuilder``: the ``serve`` MetaGraph with a Predict signature
  ``serving_default`` (x -> probs, logits) and ``hidden`` (x -> h), a vocabulary asset
  (``assets/vocab.txt``) whose checksum the main op puts in a local variable, then a ``train``
  MetaGraph sharing the variables with a Predict signature of the loss;
- ``tf_text/``: a one-layer model (``build_tiny``) written ``as_text``
  (``saved_model.pbtxt``, default-valued attrs stripped).

Run:

    TF_USE_LEGACY_KERAS=1 /work/tfvenv/bin/python tests/golden/make_savedmodel_fixtures.py

then record the golden set (``record_tf.py --set savedmodel``). ``make_varstore_savedmodel.py``
writes the same program with varstore (``varstore_dense/``), which the golden set loads in TF.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "savedmodel")


def build(tf, vocab_path):  # type: ignore[no-untyped-def]
    """The program (also varstore's in make_varstore_savedmodel.py): returns the tensors
    and ops the builder records."""
    tf.set_random_seed(5)
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    labels = tf.placeholder(tf.int32, [None], name="labels")
    init = tf.glorot_uniform_initializer(seed=2)
    with tf.variable_scope("hidden"):
        w1 = tf.get_variable("w", [4, 3], initializer=init)
        b1 = tf.get_variable("b", [3], initializer=tf.constant_initializer(0.1))
        h = tf.nn.relu(tf.matmul(x, w1) + b1, name="h")
    with tf.variable_scope("out"):
        w2 = tf.get_variable("w", [3, 2], initializer=init)
        b2 = tf.get_variable("b", [2], initializer=tf.zeros_initializer())
        logits = tf.add(tf.matmul(h, w2), b2, name="logits")
    probs = tf.nn.softmax(logits, name="probs")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=labels, logits=logits), name="loss")
    asset = tf.constant(vocab_path, name="vocab_path")
    tf.add_to_collection(tf.GraphKeys.ASSET_FILEPATHS, asset)
    # (a checksum of the asset's bytes: varstore's variables hold no strings)
    data = tf.cast(tf.decode_raw(tf.read_file(asset), tf.uint8), tf.int32)
    vocab = tf.Variable(tf.reduce_sum(data * tf.range(1, tf.size(data) + 1)),
                        trainable=False, name="vocab_sum",
                        collections=[tf.GraphKeys.LOCAL_VARIABLES])
    words = tf.identity(vocab, name="words")
    main_op = tf.local_variables_initializer()
    return {"x": x, "labels": labels, "h": h, "logits": logits, "probs": probs,
            "loss": loss, "asset": asset, "words": words, "main_op": main_op,
            "weights": [w1, b1, w2, b2]}


def build_tiny(tf):  # type: ignore[no-untyped-def]
    x = tf.placeholder(tf.float32, [None, 2], name="x")
    w = tf.get_variable("w", initializer=tf.constant([[1.0, -2.0], [0.5, 3.0]]))
    return x, tf.nn.tanh(tf.matmul(x, w), name="y")


def write_text(tf, export_dir):  # type: ignore[no-untyped-def]
    with tf.Graph().as_default():
        x, y = build_tiny(tf)
        sm = tf.saved_model
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            b = sm.Builder(export_dir)
            b.add_meta_graph_and_variables(s, [sm.SERVING], signature_def_map={
                sm.DEFAULT_SERVING_SIGNATURE_DEF_KEY: sm.predict_signature_def(
                    {"x": x}, {"y": y})}, strip_default_attrs=True)
            b.save(as_text=True)


def write(tf, export_dir):  # type: ignore[no-untyped-def]
    """Builds the program in a new graph and writes its two MetaGraphs to ``export_dir``."""
    src = tempfile.mkdtemp()
    try:
        vocab_path = os.path.join(src, "vocab.txt")
        with open(vocab_path, "w", encoding="utf-8") as f:
            f.write("cat\ndog\n")
        with tf.Graph().as_default():
            t = build(tf, vocab_path)
            sm = tf.saved_model
            b = sm.builder.SavedModelBuilder(export_dir)
            serving = {
                sm.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY:
                    sm.signature_def_utils.predict_signature_def(
                        {"x": t["x"]}, {"probs": t["probs"], "logits": t["logits"],
                                        "words": t["words"]}),
                "hidden": sm.signature_def_utils.predict_signature_def(
                    {"x": t["x"]}, {"h": t["h"]}),
            }
            with tf.Session() as s:
                s.run(tf.global_variables_initializer())
                b.add_meta_graph_and_variables(
                    s, [sm.tag_constants.SERVING], signature_def_map=serving,
                    assets_collection=tf.get_collection(tf.GraphKeys.ASSET_FILEPATHS),
                    main_op=t["main_op"])
                b.add_meta_graph([sm.tag_constants.TRAINING], signature_def_map={
                    "loss": sm.signature_def_utils.predict_signature_def(
                        {"x": t["x"], "labels": t["labels"]}, {"loss": t["loss"]})})
            b.save()
    finally:
        shutil.rmtree(src)


def main() -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf

    tf.disable_eager_execution()
    tf.get_logger().setLevel("ERROR")
    for name, fn in (("tf_dense", write), ("tf_text", write_text)):
        path = os.path.join(OUT, name)
        shutil.rmtree(path, ignore_errors=True)
        fn(tf, path)
        print("wrote", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
