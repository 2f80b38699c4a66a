"""``python -m varstore bench``: a quick conv2d+ReLU and registry benchmark of this machine.

The full, side-by-side benchmarks (with PyTorch and a pure-Python store as peers) are
benchmarks/bench_conv2d.py and benchmarks/bench_registry.py in the source tree.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

__all__ = ["run"]

# (label, NHWC input, kernel size, Cout, stride, padding)
_CONV_SHAPES = [
    ("5x5 32->32 SAME [1,32,32,32]", (1, 32, 32, 32), 5, 32, 1, "SAME"),
    ("3x3 64->64 SAME [1,56,56,64]", (1, 56, 56, 64), 3, 64, 1, "SAME"),
    ("1x1 64->256 [1,56,56,64]", (1, 56, 56, 64), 1, 256, 1, "SAME"),
    ("7x7 3->64 s2 [1,224,224,3]", (1, 224, 224, 3), 7, 64, 2, "SAME"),
]


class _Progress:
    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0

    def step(self, label: str) -> None:
        self.done += 1
        width = 24
        filled = width * self.done // self.total
        bar = "#" * filled + "." * (width - filled)
        sys.stderr.write(f"\r[{bar}] {self.done}/{self.total} {label[:40]:<40}")
        sys.stderr.flush()
        if self.done == self.total:
            sys.stderr.write("\n")


def _median_seconds(fn: Callable[[], object], min_time: float = 0.2) -> float:
    fn()
    times: list[float] = []
    start = time.perf_counter()
    while time.perf_counter() - start < min_time or len(times) < 5:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _peak_gflops() -> float | None:
    from varstore import _core

    measure = getattr(_core.kernels, "measure_peak_gflops", None)
    return None if measure is None else float(measure())


def run() -> int:
    import varstore as tf

    progress = _Progress(len(_CONV_SHAPES) + 3)
    rng = np.random.default_rng(0)
    peak = _peak_gflops()
    rows = []
    for label, shape, k, cout, stride, padding in _CONV_SHAPES:
        tf.reset_default_graph()
        x = rng.standard_normal(shape, dtype=np.float32)
        w = tf.get_variable("w", [k, k, shape[3], cout])
        b = tf.get_variable("b", [cout], initializer=tf.zeros_initializer())
        out_hw = -(-shape[1] // stride)
        flops = 2.0 * shape[0] * out_hw * out_hw * cout * k * k * shape[3]

        def chain(x: np.ndarray = x, w: object = w, b: object = b, s: int = stride,
                  p: str = padding) -> object:
            return tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w, s, p), b))

        seconds = _median_seconds(chain)
        rows.append((label, flops / seconds / 1e9))
        progress.step(label)

    tf.reset_default_graph()
    zeros = tf.zeros_initializer()
    n = 20000
    start = time.perf_counter()
    with tf.variable_scope("model"):
        for i in range(n):
            tf.get_variable(f"v{i}", [4], initializer=zeros)
    create_us = (time.perf_counter() - start) / n * 1e6
    progress.step("get_variable create")
    start = time.perf_counter()
    with tf.variable_scope("model", reuse=True):
        for i in range(n):
            tf.get_variable(f"v{i}", [4])
    reuse_us = (time.perf_counter() - start) / n * 1e6
    progress.step("get_variable reuse")
    start = time.perf_counter()
    for _ in range(n):
        with tf.variable_scope("model", reuse=True):
            pass
    scope_us = (time.perf_counter() - start) / n * 1e6
    progress.step("variable_scope pair")

    isa = tf.kernels.active_isa()
    threads = tf.kernels.get_num_threads()
    print(f"conv2d + bias + ReLU (eager chain, fused), ISA {isa}, {threads} thread(s):")
    for label, gflops in rows:
        share = f"{100 * gflops / (peak * threads):5.1f}% of peak" if peak else "peak n/a"
        print(f"  {label:<32} {gflops:8.1f} GFLOP/s  {share}")
    if peak:
        print(f"  measured FP32 peak: {peak:.1f} GFLOP/s per core")
    print("registry (N = 20,000 variables):")
    print(f"  get_variable create   {create_us:8.2f} us")
    print(f"  get_variable reuse    {reuse_us:8.2f} us")
    print(f"  variable_scope pair   {scope_us:8.2f} us")
    return 0
