#!/usr/bin/env python3
"""Side-by-side benchmark of varstore's backward conv kernels against PyTorch (CPU, channels_last).

For every shape (the DCGAN discriminator layers at batch 16 / 32, plus a few regular layers), at
1 and 2 threads, it times (median of per-call times, variants interleaved in rounds):

* ``dx varstore``       - ``_core.kernels.conv2d_backprop_input(dy, w, x.shape, ...)``
* ``dx varstore fused`` - the same with the leaky-ReLU mask fused (``y=act_out, alpha=0.2``)
* ``dx torch``          - ``torch.ops.aten.convolution_backward`` (input grad only) on channels_last
* ``dx torch +mask``    - ``aten.leaky_relu_backward`` then the same (what a train step runs)
* ``dw ...``            - likewise for the filter gradient; varstore's fused variant also writes
  the bias gradient in the same pass (``bias_out``), torch's computes its bias grad too
  (output_mask [False, True, True]).

torch is optional (never a dependency); without it only varstore is timed. FLOPs per kernel =
2 * N * OH * OW * KH * KW * Cin * Cout. % of peak uses ``--peak`` or the native benchmark's FMA
loop (``--native-bench PATH``).

    python benchmarks/bench_conv2d_backprop.py [--threads 1 2] [--shapes NAME ...]
        [--min-time 0.6] [--rounds 3] [--peak GFLOPS | --native-bench PATH]
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from typing import Callable

import numpy as np

from varstore._core import kernels

try:
    import torch
except ImportError:
    torch = None  # type: ignore[assignment]

# name, input NHWC, filter HWIO, stride, padding
SHAPES = [
    ("dcgan_d1_b16", (16, 64, 64, 3), (5, 5, 3, 64), 2, "SAME"),
    ("dcgan_d2_b16", (16, 32, 32, 64), (5, 5, 64, 128), 2, "SAME"),
    ("dcgan_d3_b16", (16, 16, 16, 128), (5, 5, 128, 256), 2, "SAME"),
    ("dcgan_d4_b16", (16, 8, 8, 256), (5, 5, 256, 512), 2, "SAME"),
    ("dcgan_d1_b32", (32, 64, 64, 3), (5, 5, 3, 64), 2, "SAME"),
    ("dcgan_d2_b32", (32, 32, 32, 64), (5, 5, 64, 128), 2, "SAME"),
    ("dcgan_d3_b32", (32, 16, 16, 128), (5, 5, 128, 256), 2, "SAME"),
    ("dcgan_d4_b32", (32, 8, 8, 256), (5, 5, 256, 512), 2, "SAME"),
    ("res_3x3_c64", (1, 56, 56, 64), (3, 3, 64, 64), 1, "SAME"),
    ("deep_3x3_c256_14", (1, 14, 14, 256), (3, 3, 256, 256), 1, "SAME"),
    ("seed_5x5_c32_b16", (16, 64, 64, 32), (5, 5, 32, 32), 1, "SAME"),
]


def time_calls(fn: Callable[[], object], min_time: float, max_reps: int = 1000) -> list[float]:
    fn()
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < min_time and len(times) < max_reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def peak_from(args: argparse.Namespace) -> tuple[float | None, str]:
    if args.peak:
        return args.peak, "--peak"
    exe = args.native_bench
    if exe and os.path.exists(exe):
        best = 0.0
        for _ in range(3):
            out = subprocess.run([exe, "--peak-only"], capture_output=True, text=True, check=True).stdout
            fields = dict(kv.split("=") for kv in out.split() if kv.startswith("PEAK"))
            best = max(best, float(fields["PEAK1"]))
        return best, f"FMA loop of {exe} (best of 3)"
    return None, "unknown (pass --peak or --native-bench)"


def variants_for(name, xs, ws, s, mode):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(xs, dtype=np.float32)
    w = (rng.standard_normal(ws, dtype=np.float32) / math.sqrt(ws[0] * ws[1] * ws[2])).astype(np.float32)
    b = (rng.standard_normal(ws[3], dtype=np.float32) * 0.1).astype(np.float32)
    act = kernels.conv2d_relu(x, w, b, s, 1, mode, activation="leaky_relu", alpha=0.2)  # forward output
    dy = rng.standard_normal(act.shape, dtype=np.float32)
    oh, ow = act.shape[1:3]
    flops = 2.0 * xs[0] * oh * ow * ws[0] * ws[1] * ws[2] * ws[3]
    db = np.empty(ws[3], np.float32)
    v: list[tuple[str, Callable[[], object]]] = [
        ("dx varstore", lambda: kernels.conv2d_backprop_input(dy, w, xs, s, 1, mode)),
        ("dx varstore fused", lambda: kernels.conv2d_backprop_input(dy, w, xs, s, 1, mode, y=act, alpha=0.2)),
        ("dw varstore", lambda: kernels.conv2d_backprop_filter(x, dy, ws, s, 1, mode)),
        (
            "dw varstore fused",
            lambda: kernels.conv2d_backprop_filter(x, dy, ws, s, 1, mode, y=act, alpha=0.2, bias_out=db),
        ),
    ]
    if torch is not None:
        cl = torch.channels_last
        xt = torch.from_numpy(x).permute(0, 3, 1, 2).contiguous(memory_format=cl)
        wt = torch.from_numpy(w).permute(3, 2, 0, 1).contiguous(memory_format=cl)
        dyt = torch.from_numpy(dy).permute(0, 3, 1, 2).contiguous(memory_format=cl)
        pre = torch.from_numpy(act).permute(0, 3, 1, 2).contiguous(memory_format=cl)  # y > 0 iff x > 0
        # torch has no asymmetric padding: the larger side of TF's split gives the same size
        pads = kernels.same_padding(xs[1], ws[0], s) if mode == "SAME" else (0, 0)
        tp = [max(pads), max(pads)]
        bwd = torch.ops.aten.convolution_backward
        leaky_bwd = torch.ops.aten.leaky_relu_backward

        def tdx(mask: bool) -> object:
            with torch.no_grad():
                g = leaky_bwd(dyt, pre, 0.2, False) if mask else dyt
                return bwd(g, xt, wt, None, [s, s], tp, [1, 1], False, [0, 0], 1, [True, False, False])

        def tdw(mask: bool) -> object:
            with torch.no_grad():
                g = leaky_bwd(dyt, pre, 0.2, False) if mask else dyt
                return bwd(g, xt, wt, [ws[3]], [s, s], tp, [1, 1], False, [0, 0], 1, [False, True, True])

        got = tdx(False)[0]
        assert tuple(got.shape) == (xs[0], xs[3], xs[1], xs[2]), got.shape
        v += [
            ("dx torch", lambda: tdx(False)),
            ("dx torch +mask", lambda: tdx(True)),
            ("dw torch", lambda: tdw(False)),
            ("dw torch +mask", lambda: tdw(True)),
        ]
    return v, flops


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--shapes", nargs="+", default=None)
    ap.add_argument("--min-time", type=float, default=0.6, help="seconds per variant and shape")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pause", type=float, default=0.05, help="pause before each block (spinning pools)")
    ap.add_argument("--peak", type=float, default=None, help="1-thread FP32 peak in GFLOP/s")
    ap.add_argument("--native-bench", default=None)
    args = ap.parse_args()
    peak1, peak_src = peak_from(args)
    print(f"machine: {platform.machine()} {kernels.cpu_brand()}, {os.cpu_count()} CPUs; python {platform.python_version()}")
    print(
        f"varstore ISA: {kernels.active_isa()}; numpy {np.__version__}; "
        f"torch {torch.__version__ if torch is not None else 'not installed'}"
    )
    print(f"FP32 peak: {peak1} GFLOP/s per thread ({peak_src}); times = medians of per-call times\n")
    selected = [sh for sh in SHAPES if args.shapes is None or sh[0] in args.shapes]
    for nthreads in args.threads:
        kernels.set_num_threads(nthreads)
        if torch is not None:
            torch.set_num_threads(nthreads)
        print(f"== {nthreads} thread(s) ==")
        print(f"{'shape':18} {'variant':18} {'time_us':>10} {'GFLOP/s':>8} {'%peak':>7} {'vs torch':>9}")
        for name, xs, ws, s, mode in selected:
            variants, flops = variants_for(name, xs, ws, s, mode)
            samples: dict[str, list[float]] = {vn: [] for vn, _ in variants}
            for _ in range(max(1, args.rounds)):
                for vn, fn in variants:
                    time.sleep(args.pause)
                    samples[vn] += time_calls(fn, args.min_time / args.rounds)
            med = {vn: statistics.median(ts) for vn, ts in samples.items()}
            for vn, sec in med.items():
                gf = flops / sec / 1e9
                pk = f"{100 * gf / (peak1 * min(nthreads, os.cpu_count() or 1)):6.1f}%" if peak1 else "    n/a"
                kind = vn.split()[0]
                ref = med.get(f"{kind} torch +mask" if "fused" in vn else f"{kind} torch")
                vt = f"{ref / sec:8.2f}x" if ref and "torch" not in vn else "         "
                print(f"{name:18} {vn:18} {sec * 1e6:10.1f} {gf:8.1f} {pk:>7} {vt}")
        print()
    print("vs torch: plain vs torch's convolution_backward; fused vs torch's leaky_relu_backward + it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
