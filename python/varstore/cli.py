"""The command line: ``python -m varstore [demo|info|bench|inspect|convert]``.

Without arguments it runs the demo: the seed example of shared weights, an image filter
applied to two images inside ``variable_scope("image_filters")``.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Sequence

import numpy as np

__all__ = ["convert_main", "inspect_main", "main"]


def _demo(batch: int, size: int, channels: int) -> int:
    import varstore as tf

    tf.reset_default_graph()
    rng = np.random.default_rng(0)
    image1 = rng.random((batch, size, size, channels), dtype=np.float32)
    image2 = rng.random((batch, size, size, channels), dtype=np.float32)

    def my_image_filter(input_images: object) -> tf.Tensor:
        conv1_weights = tf.get_variable("conv1_weights", [5, 5, channels, channels],
                                        initializer=tf.random_normal_initializer())
        conv1_biases = tf.get_variable("conv1_biases", [channels],
                                       initializer=tf.zeros_initializer())
        conv1 = tf.nn.conv2d(input_images, conv1_weights, strides=[1, 1, 1, 1], padding="SAME")
        return tf.nn.relu(conv1 + conv1_biases)

    start = time.perf_counter()
    with tf.variable_scope("image_filters") as scope:
        result1 = my_image_filter(image1)
        scope.reuse_variables()
        result2 = my_image_filter(image2)
    r1, r2 = np.asarray(result1), np.asarray(result2)
    elapsed = time.perf_counter() - start

    print("varstore demo: one image filter, shared weights, two images")
    print()
    tf.model_summary()
    print()
    print("ops:")
    for t in (result1, result2):
        print(f"  {t.name:<32} {t.op.type:<8} shape={t.shape}")
    flops = 2 * 2 * batch * size * size * channels * channels * 25
    print()
    print(f"two conv2d+bias+ReLU passes of {list(image1.shape)}: {elapsed * 1e3:.2f} ms "
          f"({flops / elapsed / 1e9:.1f} GFLOP/s, kernel: {tf.kernels.active_isa()})")
    print(f"outputs: mean {r1.mean():.4f} and {r2.mean():.4f}; "
          f"{len(tf.global_variables())} variables shared by both calls")
    return 0


def _info() -> int:
    import varstore as tf

    print(f"varstore {tf.__version__}")
    print(f"python {platform.python_version()} on {platform.machine()} ({platform.system()})")
    print(f"compiler: {tf._core.compiler}")
    print(f"kernel ISAs compiled: {', '.join(tf.kernels.compiled_isas())}")
    print(f"kernel ISAs supported here: {', '.join(tf.kernels.supported_isas())}")
    print(f"active ISA: {tf.kernels.active_isa()}")
    print(f"threads: {tf.kernels.get_num_threads()}")
    return 0


def _shape_str(shape: Sequence[int]) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def _human(nbytes: int) -> str:
    size = float(nbytes)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def inspect_main(path: str) -> int:
    """``varstore inspect PATH``: the checkpoint's tensors (either format; a directory means
    its latest checkpoint) as a table of name, shape, dtype and bytes, and a total line."""
    from varstore.train.convert import describe

    fmt, rows = describe(path)
    name_w = max([len("name"), *(len(r.name) for r in rows)])
    shape_w = max([len("shape"), *(len(_shape_str(r.shape)) for r in rows)])
    dtype_w = max([len("dtype"), *(len(r.dtype) for r in rows)])
    bytes_w = max([len("bytes"), *(len(f"{r.nbytes:,}") for r in rows)])
    header = (f"{'name':<{name_w}}  {'shape':<{shape_w}}  {'dtype':<{dtype_w}}  "
              f"{'bytes':>{bytes_w}}")
    print(header)
    print("-" * len(header))
    params = total = 0
    for r in rows:
        count = 1
        for d in r.shape:
            count *= d
        params += count
        total += r.nbytes
        print(f"{r.name:<{name_w}}  {_shape_str(r.shape):<{shape_w}}  {r.dtype:<{dtype_w}}  "
              f"{r.nbytes:>{bytes_w},}")
    print("-" * len(header))
    kind = "TF checkpoint" if fmt == "bundle" else "safetensors"
    print(f"{_plural(len(rows), 'tensor')}, {params:,} parameters, {total:,} bytes "
          f"({_human(total)}), {kind}")
    return 0


def convert_main(src: str, dst: str, fmt: str | None) -> int:
    """``varstore convert IN OUT``: rewrites a checkpoint in the other format."""
    from varstore.train.convert import convert, output_format

    skipped = convert(src, dst, fmt)
    target = fmt or output_format(dst)
    what = "safetensors file" if target == "safetensors" else "TF checkpoint"
    for item in skipped:
        print(f"varstore: skipped {item}: a {what} cannot hold it", file=sys.stderr)
    print(f"wrote {what} {dst}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="varstore",
        description="TF1 variable sharing for plain Python. Without a command: the demo.",
    )
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help="the shared-weights image filter on two images")
    demo.add_argument("--batch", type=int, default=1)
    demo.add_argument("--size", type=int, default=32)
    demo.add_argument("--channels", type=int, default=32)
    sub.add_parser("info", help="version, compiler, detected and active ISA, threads")
    sub.add_parser("bench", help="a quick conv2d+ReLU and registry benchmark of this machine")
    inspect = sub.add_parser("inspect", help="list the variables in a checkpoint")
    inspect.add_argument("path", help="a TF checkpoint prefix (model.ckpt-1000, or its .index "
                                      "file), a safetensors file, or a directory (its latest "
                                      "checkpoint)")
    conv = sub.add_parser("convert", help="convert a checkpoint between TF's format and "
                                          "safetensors")
    conv.add_argument("src", help="the checkpoint to read (either format, or a directory)")
    conv.add_argument("dst", help="where to write: a .safetensors file, or a TF checkpoint "
                                  "prefix")
    conv.add_argument("--format", choices=["bundle", "safetensors"], default=None,
                      help="the output format (default: safetensors for a .safetensors name, "
                           "else a TF checkpoint)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from varstore.errors import OpError

    args = _parser().parse_args(argv)
    try:
        if args.command == "info":
            return _info()
        if args.command == "bench":
            from varstore._bench import run

            return run()
        if args.command == "inspect":
            return inspect_main(args.path)
        if args.command == "convert":
            return convert_main(args.src, args.dst, args.format)
        if args.command == "demo":
            return _demo(args.batch, args.size, args.channels)
        return _demo(1, 32, 32)
    except (ValueError, TypeError, OSError, MemoryError, LookupError, OpError) as exc:
        print(f"varstore: error: {exc}", file=sys.stderr)
        return 1
