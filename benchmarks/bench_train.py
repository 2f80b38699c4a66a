"""One DCGAN-discriminator training step, varstore and TensorFlow side by side.

    PYTHONPATH=python /path/to/tf-venv/bin/python benchmarks/bench_train.py [--batch 16]

Four 5x5 stride-2 SAME convs (3->64->128->256->512) on 64x64x3 with leaky ReLU (0.2), a
dense logit, sigmoid cross-entropy on a real and a fake batch through the same reused
variables, and Adam(2e-4, beta1=0.5). Both frameworks start from the same weights (from a
seeded NumPy generator, through constant initializers) and get the same batches; the
script prints each one's losses for the first steps and the median ms/step. TensorFlow is
used when it is importable in the same interpreter. ``--threads`` sets varstore's kernel
threads and TF's intra-op pool.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import time
from typing import Any

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
CHANNELS = (3, 64, 128, 256, 512)


def _weights(seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    out = []
    for cin, cout in zip(CHANNELS[:-1], CHANNELS[1:]):
        out.append((rng.standard_normal((5, 5, cin, cout)) * 0.02).astype(np.float32))
        out.append(np.zeros(cout, np.float32))
    out.append((rng.standard_normal((4 * 4 * 512, 1)) * 0.02).astype(np.float32))
    out.append(np.zeros(1, np.float32))
    return out


def _build(tf: Any, batch: int, weights: list[np.ndarray]) -> tuple[Any, Any, Any, Any]:
    real = tf.placeholder(tf.float32, [batch, 64, 64, 3], name="real")
    fake = tf.placeholder(tf.float32, [batch, 64, 64, 3], name="fake")

    def disc(x: Any, reuse: bool) -> Any:
        with tf.variable_scope("discriminator", reuse=reuse):
            h = x
            for i in range(4):
                w = tf.get_variable(f"conv{i}/w", initializer=tf.constant_initializer(
                    weights[2 * i]), shape=weights[2 * i].shape)
                b = tf.get_variable(f"conv{i}/b", initializer=tf.constant_initializer(
                    weights[2 * i + 1]), shape=weights[2 * i + 1].shape)
                h = tf.nn.conv2d(h, w, [1, 2, 2, 1], "SAME")
                h = tf.nn.leaky_relu(tf.nn.bias_add(h, b), 0.2)
            h = tf.reshape(h, [batch, -1])
            w = tf.get_variable("lin/w", initializer=tf.constant_initializer(weights[8]),
                                shape=weights[8].shape)
            b = tf.get_variable("lin/b", initializer=tf.constant_initializer(weights[9]),
                                shape=weights[9].shape)
            return tf.matmul(h, w) + b

    lr, lf = disc(real, False), disc(fake, True)
    loss = (tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
        labels=tf.ones_like(lr), logits=lr)) + tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.zeros_like(lf), logits=lf)))
    train = tf.train.AdamOptimizer(2e-4, beta1=0.5).minimize(loss)
    return real, fake, loss, train


def _run(tf: Any, sess_config: Any, batch: int, steps: int) -> tuple[list[float], float]:
    weights = _weights()
    rng = np.random.default_rng(1)
    batches = [(rng.standard_normal((batch, 64, 64, 3)).astype(np.float32),
                rng.standard_normal((batch, 64, 64, 3)).astype(np.float32))
               for _ in range(4)]
    tf.reset_default_graph()
    real, fake, loss, train = _build(tf, batch, weights)
    sess = tf.Session(config=sess_config) if sess_config is not None else tf.Session()
    sess.run(tf.global_variables_initializer())
    losses, times = [], []
    for i in range(steps):
        r, f = batches[i % len(batches)]
        t = time.perf_counter()
        lv, _ = sess.run([loss, train], {real: r, fake: f})
        times.append((time.perf_counter() - t) * 1e3)
        losses.append(float(lv))
    sess.close()
    return losses, statistics.median(times[1:])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    gflop = 0.0
    hw = 64
    for cin, cout in zip(CHANNELS[:-1], CHANNELS[1:]):
        hw //= 2
        gflop += 3 * 2 * args.batch * 2 * hw * hw * 25 * cin * cout / 1e9  # fwd+dx+dw, 2 passes
    import varstore

    varstore.kernels.set_num_threads(args.threads)
    vs_losses, vs_ms = _run(varstore, None, args.batch, args.steps)
    print(f"batch {args.batch}, {args.threads} thread(s), ~{gflop:.1f} GFLOP/step")
    print(f"varstore  {vs_ms:8.1f} ms/step  ({gflop / vs_ms * 1e3:.0f} GFLOP/s)  losses "
          f"{[round(x, 5) for x in vs_losses[:4]]}")
    try:
        tfm = importlib.import_module("tensorflow.compat.v1")
    except ImportError:
        print("tensorflow: not importable here (run with a TF venv's python for the ratio)")
        return 0
    tfm.disable_eager_execution()
    cfg = tfm.ConfigProto(intra_op_parallelism_threads=args.threads,
                          inter_op_parallelism_threads=1)
    tf_losses, tf_ms = _run(tfm, cfg, args.batch, args.steps)
    print(f"tf 2.21   {tf_ms:8.1f} ms/step  ({gflop / tf_ms * 1e3:.0f} GFLOP/s)  losses "
          f"{[round(x, 5) for x in tf_losses[:4]]}")
    print(f"ratio varstore/tf step time: {vs_ms / tf_ms:.2f}x; max loss difference "
          f"{max(abs(a - b) for a, b in zip(vs_losses, tf_losses)):.2e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
