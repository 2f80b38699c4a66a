"""Session and graph-building overhead of varstore's TF1 runtime, side by side with
TensorFlow 2.21's tf.compat.v1 graph mode when it is importable in the same interpreter.

    PYTHONPATH=python python benchmarks/bench_session.py            # varstore only
    PYTHONPATH=python /path/to/tf-venv/bin/python benchmarks/bench_session.py   # both

Workloads (medians over repeats; microseconds):
  run1     sess.run(y, {x: v}) with y = x + 1 on a [4] float32 placeholder
  chain100 sess.run of a cached 100-op elementwise chain on a [4] tensor (with a feed)
  assign   sess.run(v.assign_add(1.0))
  build    graph construction, microseconds per op (binary ops with a Python operand: two
           ops each), at 1k / 10k / 100k ops (and 1M for varstore with --big)
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def _timeit(fn: Callable[[], Any], number: int, repeat: int) -> float:
    """Median over ``repeat`` rounds of the per-call time of ``number`` calls (us)."""
    fn()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - t) / number * 1e6)
    return statistics.median(samples)


def bench_runs(tf: Any, number: int, repeat: int) -> dict[str, float]:
    out = {}
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [4], name="x")
        y = x + 1.0
        chain = x
        for i in range(50):
            chain = chain * 1.0001 if i % 2 else chain + 0.5  # 2 ops per step: Const + op
        v = tf.get_variable("v", [4], initializer=tf.zeros_initializer())
        inc = v.assign_add(tf.ones([4]), read_value=False) if hasattr(v, "_ops") else \
            v.assign_add(tf.ones([4]), read_value=False)
        sess = tf.Session(graph=g)
        sess.run(tf.global_variables_initializer())
        feed = np.ones(4, np.float32)
        out["run1"] = _timeit(lambda: sess.run(y, {x: feed}), number, repeat)
        out["chain100"] = _timeit(lambda: sess.run(chain, {x: feed}), number, repeat)
        out["assign"] = _timeit(lambda: sess.run(inc), number, repeat)
        sess.close()
    return out


def bench_build(tf: Any, n_ops: int, repeat: int) -> float:
    """Microseconds per op to build ``n_ops`` ops (x * c + c chains: each binary operator
    with a Python operand makes a Const and the op)."""
    samples = []
    for _ in range(repeat):
        g = tf.Graph()
        with g.as_default():
            x = tf.placeholder(tf.float32, [None, 8])
            gc.collect()
            t = time.perf_counter()
            y = x
            for i in range(n_ops // 2):
                y = y * 1.5 if i % 2 else y + 0.5
            samples.append((time.perf_counter() - t) / (n_ops // 2 * 2) * 1e6)
        del g, x, y
    return statistics.median(samples)


def _tf() -> Any:
    try:
        import tensorflow.compat.v1 as tf  # type: ignore[import-not-found]
    except ImportError:
        return None
    tf.disable_eager_execution()
    return tf


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--number", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--big", action="store_true", help="also build 1M ops (varstore)")
    ap.add_argument("--no-tf", action="store_true")
    args = ap.parse_args(argv)
    import varstore

    libs: list[tuple[str, Any]] = [("varstore", varstore)]
    tf = None if args.no_tf else _tf()
    if tf is not None:
        libs.append((f"tf {tf.VERSION if hasattr(tf, 'VERSION') else ''}".strip(), tf))
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}; medians of "
          f"{args.repeat} x {args.number} calls; microseconds")
    runs = {name: bench_runs(lib, args.number if name == "varstore" else max(
        args.number // 10, 50), args.repeat) for name, lib in libs}
    print(f"{'workload':<10}" + "".join(f"{name:>14}" for name, _ in libs) +
          ("   ratio (tf/varstore)" if tf is not None else ""))
    for key in ("run1", "chain100", "assign"):
        row = [runs[name][key] for name, _ in libs]
        ratio = f"   {row[1] / row[0]:.1f}x" if len(row) > 1 else ""
        print(f"{key:<10}" + "".join(f"{v:>14.1f}" for v in row) + ratio)
    sizes = [1_000, 10_000, 100_000] + ([1_000_000] if args.big else [])
    print("\ngraph construction, us per op")
    for n in sizes:
        row = []
        for name, lib in libs:
            if name != "varstore" and n > 10_000:
                row.append(float("nan"))
                continue
            row.append(bench_build(lib, n, 3 if n <= 100_000 else 1))
        ratio = f"   {row[1] / row[0]:.0f}x" if len(row) > 1 and row[1] == row[1] else ""
        print(f"{n:<10}" + "".join(f"{v:>14.2f}" for v in row) + ratio)
    return 0


if __name__ == "__main__":
    sys.exit(main())
