"""SparseTensorDenseMatMul as a graph-convolution (GCN) layer uses it, varstore side by side
with TensorFlow 2.21's tf.compat.v1 graph mode when it is importable in the same interpreter.

    PYTHONPATH=python python benchmarks/bench_sparse.py                 # varstore only
    PYTHONPATH=python /path/to/tf-venv/bin/python benchmarks/bench_sparse.py   # both

Workloads (Cora's sizes: 2708 nodes, 1433 bag-of-words features, 49216 nonzeros, 16 hidden
units; sparse indices fed row-major, as scipy's COO gives them; medians, milliseconds a run):
  forward   sess.run(sparse_tensor_dense_matmul(X, W)) with X fed
  train     one SGD step on W through the matmul (forward, the adjoint matmul for dW, update)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROWS, COLS, NNZ, UNITS = 2708, 1433, 49216, 16


def _median_ms(fn: Callable[[], Any], number: int, repeat: int) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - t) / number * 1e3)
    return statistics.median(samples)


def _data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.RandomState(0)
    flat = np.sort(rng.choice(ROWS * COLS, NNZ, replace=False))
    idx = np.stack([flat // COLS, flat % COLS], 1).astype(np.int64)
    return idx, rng.rand(NNZ).astype(np.float32), rng.randn(COLS, UNITS).astype(np.float32)


def bench(tf: Any, number: int, repeat: int) -> dict[str, float]:
    idx, vals, w0 = _data()
    g = tf.Graph()
    with g.as_default():
        x = tf.sparse_placeholder(tf.float32, shape=[ROWS, COLS])
        w = tf.Variable(w0)
        y = tf.sparse_tensor_dense_matmul(x, w)
        step = tf.train.GradientDescentOptimizer(0.01).minimize(tf.reduce_sum(tf.square(y)))
        sess = tf.Session(graph=g)
        sess.run(tf.global_variables_initializer())
        feed = {x: tf.SparseTensorValue(idx, vals, [ROWS, COLS])}
        out = {"forward": _median_ms(lambda: sess.run(y, feed), number, repeat),
               "train": _median_ms(lambda: sess.run(step, feed), number, repeat)}
        sess.close()
    return out


def _tf() -> Any:
    try:
        import tensorflow.compat.v1 as tf  # type: ignore[import-not-found]
    except ImportError:
        return None
    tf.disable_eager_execution()
    return tf


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--number", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--no-tf", action="store_true")
    args = ap.parse_args(argv)
    import varstore

    libs: list[tuple[str, Any]] = [("varstore", varstore)]
    tf = None if args.no_tf else _tf()
    if tf is not None:
        libs.append(("tf", tf))
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}; {ROWS}x{COLS} sparse "
          f"({NNZ} nonzeros) x {COLS}x{UNITS}; medians of {args.repeat} x {args.number} runs; ms")
    res = {name: bench(lib, args.number, args.repeat) for name, lib in libs}
    print(f"{'workload':<10}" + "".join(f"{name:>12}" for name, _ in libs) +
          ("   ratio (varstore/tf)" if tf is not None else ""))
    for key in ("forward", "train"):
        row = [res[name][key] for name, _ in libs]
        ratio = f"   {row[0] / row[1]:.2f}" if len(row) > 1 else ""
        print(f"{key:<10}" + "".join(f"{v:>12.3f}" for v in row) + ratio)
    return 0


if __name__ == "__main__":
    sys.exit(main())
