"""Checkpoint benchmark: varstore's TF-format reader beside TensorFlow's, the machine's copy
bandwidth, and peak memory of a 1 GB restore.

    PYTHONPATH=python python benchmarks/bench_checkpoint.py                 # varstore only
    PYTHONPATH=python /work/tfvenv/bin/python benchmarks/bench_checkpoint.py  # with TF

On a checkpoint of ``--vars`` float32 variables totalling ``--mb`` MB (written by varstore,
byte-identical to what TF's Saver writes), each in the page cache (warm), it times the median
of ``--runs`` runs of:

* ``list_variables`` (varstore, and ``tf.train.list_variables`` when TF is importable);
  varstore reuses the parse of an index whose bytes it has seen, so it is also timed with
  that cache cleared before every call ("first open");
* reading every tensor (``load_checkpoint(...).get_tensor``), varstore and TF;
* a full restore: ``tf.train.Saver().restore`` into varstore variables, and TF1's Saver
  restore in a graph-mode Session into TF variables;
* the machine's copy bandwidth: a NumPy copy between two anonymous arrays of the same size
  (memcpy), and a copy out of the checkpoint's page-cache mapping (the least a restore that
  leaves the file where it is has to do).

Then, in subprocesses, the peak RSS of restoring a ``--big-mb`` checkpoint (default 1 GB):
varstore's restore checks every CRC first, then copies straight from the mapping into the
variables, releasing the mapping's pages behind it, so it should stay near the variables'
own size instead of doubling.
"""

from __future__ import annotations

import argparse
import gc
import json
import mmap
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from typing import Any, Callable

import numpy as np

try:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf1

    tf1.disable_eager_execution()
    HAVE_TF = True
except ImportError:
    HAVE_TF = False

import varstore as vs


def _median(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm-up: page cache, imports, allocator
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _write_checkpoint(directory: str, n_vars: int, total_mb: float) -> str:
    vs.reset_default_graph()
    per = int(total_mb * 1e6 / 4 / n_vars)
    rng = np.random.default_rng(0)
    for i in range(n_vars):
        v = vs.get_variable(f"layer_{i:03d}/kernel", [per], initializer=vs.zeros_initializer())
        v.assign(rng.standard_normal(per, dtype=np.float32))
    prefix = vs.train.Saver().save(None, os.path.join(directory, "model.ckpt"))
    assert prefix is not None
    vs.reset_default_graph()
    return prefix


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def bench(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"cpu": _cpu(), "cores": os.cpu_count(), "python": sys.version.split()[0],
                           "tensorflow": tf1.__version__ if HAVE_TF else None,
                           "vars": args.vars, "mb": args.mb, "runs": args.runs}
    with tempfile.TemporaryDirectory(dir=args.dir) as d:
        prefix = _write_checkpoint(d, args.vars, args.mb)
        nbytes = os.path.getsize(prefix + ".data-00000-of-00001")
        out["bytes"] = nbytes
        names = [n for n, _ in vs.train.list_variables(prefix)]
        shapes = dict(vs.train.list_variables(prefix))

        # copy bandwidth of this machine, same size
        a = np.ones(nbytes, dtype=np.uint8)
        b = np.zeros(nbytes, dtype=np.uint8)
        out["memcpy_s"] = _median(lambda: np.copyto(b, a), args.runs)
        with open(prefix + ".data-00000-of-00001", "rb") as f:
            mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        src = np.frombuffer(mm, dtype=np.uint8)
        chunk = 1 << 22

        def page_cache_copy() -> None:
            for i in range(0, nbytes, chunk):
                np.copyto(b[i:i + chunk], src[i:i + chunk])

        out["page_cache_copy_s"] = _median(page_cache_copy, args.runs)
        del src, a, b
        mm.close()

        out["vs_list_variables_s"] = _median(lambda: vs.train.list_variables(prefix), args.runs)
        from varstore.train import bundle_reader

        def cold_list() -> None:
            bundle_reader._CACHE.clear()  # parse the index again, as a first open does
            vs.train.list_variables(prefix)

        out["vs_list_variables_cold_s"] = _median(cold_list, args.runs)

        def vs_read_all() -> None:
            reader = vs.train.load_checkpoint(prefix)
            for n in names:
                reader.get_tensor(n)

        out["vs_get_tensor_all_s"] = _median(vs_read_all, args.runs)

        vs.reset_default_graph()
        variables = [vs.get_variable(n, shapes[n], initializer=vs.zeros_initializer())
                     for n in names]
        saver = vs.train.Saver(variables)
        out["vs_restore_s"] = _median(lambda: saver.restore(None, prefix), args.runs)
        assert float(np.asarray(variables[0])[0]) != 0.0
        del variables, saver
        vs.reset_default_graph()

        if HAVE_TF:
            out["tf_list_variables_s"] = _median(lambda: tf1.train.list_variables(prefix),
                                                 args.runs)

            def tf_read_all() -> None:
                reader = tf1.train.load_checkpoint(prefix)
                for n in names:
                    reader.get_tensor(n)

            out["tf_get_tensor_all_s"] = _median(tf_read_all, args.runs)
            graph = tf1.Graph()
            with graph.as_default():
                tvars = [tf1.get_variable(n, shapes[n], initializer=tf1.zeros_initializer())
                         for n in names]
                tsaver = tf1.train.Saver(tvars)
                sess = tf1.Session(graph=graph)
                sess.run(tf1.global_variables_initializer())
                out["tf_restore_s"] = _median(lambda: tsaver.restore(sess, prefix), args.runs)
                sess.close()
    return out


_CHILD = """
import os, sys, time
import numpy as np
def status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
def rss():
    return status("VmRSS:")
prefix, names_file, which = sys.argv[1], sys.argv[2], sys.argv[3]
names = [line.split("\\t") for line in open(names_file).read().splitlines()]
if which == "varstore":
    import varstore as vs
    variables = [vs.get_variable(n, [int(s)], initializer=vs.zeros_initializer())
                 for n, s in names]
    saver = vs.train.Saver(variables)
    before = rss()
    t = time.perf_counter()
    saver.restore(None, prefix)
    elapsed = time.perf_counter() - t
else:
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution()
    variables = [tf.get_variable(n, [int(s)], initializer=tf.zeros_initializer())
                 for n, s in names]
    saver = tf.train.Saver(variables)
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    before = rss()
    t = time.perf_counter()
    saver.restore(sess, prefix)
    elapsed = time.perf_counter() - t
# VmHWM, this address space's peak RSS (ru_maxrss would also count the parent's pages that
# the fork copied before exec)
peak = status("VmHWM:")
print(before, peak, rss(), elapsed)
"""


def bench_memory(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {"big_mb": args.big_mb}
    with tempfile.TemporaryDirectory(dir=args.dir) as d:
        writer = textwrap.dedent(f"""
            import sys
            sys.path[:0] = {sys.path!r}
            from bench_checkpoint import _write_checkpoint
            print(_write_checkpoint({d!r}, {args.big_vars}, {args.big_mb}))
        """)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [os.path.dirname(os.path.abspath(__file__)), *sys.path]))
        prefix = subprocess.run([sys.executable, "-c", writer], check=True, env=env,
                                capture_output=True, text=True).stdout.strip().splitlines()[-1]
        names_file = os.path.join(d, "names.tsv")
        with open(names_file, "w") as f:
            for n, s in vs.train.list_variables(prefix):
                f.write(f"{n}\t{s[0]}\n")
        out["bytes"] = os.path.getsize(prefix + ".data-00000-of-00001")
        for which in ["varstore", *(["tensorflow"] if HAVE_TF else [])]:
            res = subprocess.run([sys.executable, "-c", _CHILD, prefix, names_file, which],
                                 check=True, env=env, capture_output=True, text=True)
            before, peak, after, elapsed = res.stdout.split()[-4:]
            out[which] = {"rss_before": int(before), "peak_rss": int(peak),
                          "rss_after": int(after), "restore_s": float(elapsed)}
    return out


def _report(r: dict[str, Any], m: dict[str, Any] | None) -> None:
    gb = r["bytes"] / 1e9
    print(f"machine: {r['cpu']}, {r['cores']} cores; python {r['python']}; "
          f"tensorflow {r['tensorflow']}")
    print(f"checkpoint: {r['vars']} float32 variables, {r['bytes'] / 1e6:.0f} MB, warm page "
          f"cache; medians of {r['runs']} runs")
    print(f"memcpy (anonymous -> anonymous):  {gb / r['memcpy_s']:6.2f} GB/s")
    print(f"copy out of the page cache (mmap): {gb / r['page_cache_copy_s']:6.2f} GB/s")
    rows = [("list_variables", "vs_list_variables_s", "tf_list_variables_s"),
            ("  (first open)", "vs_list_variables_cold_s", "tf_list_variables_s"),
            ("get_tensor (all)", "vs_get_tensor_all_s", "tf_get_tensor_all_s"),
            ("Saver.restore", "vs_restore_s", "tf_restore_s")]
    print(f"{'':18} {'varstore':>12} {'tensorflow':>12} {'TF/varstore':>12} {'varstore GB/s':>14}")
    for label, ours, theirs in rows:
        t_ours = r[ours]
        t_tf = r.get(theirs)
        ratio = f"{t_tf / t_ours:11.2f}x" if t_tf else f"{'-':>12}"
        tf_s = f"{t_tf * 1e3:9.2f} ms" if t_tf else f"{'-':>12}"
        rate = f"{gb / t_ours:13.2f}" if "GB" not in label and ours.startswith(
            ("vs_get", "vs_restore")) else f"{'':>14}"
        print(f"{label:18} {t_ours * 1e3:9.2f} ms {tf_s} {ratio} {rate}")
    restore_gbs = gb / r["vs_restore_s"]
    print(f"restore: {restore_gbs:.2f} GB/s = {restore_gbs / (gb / r['memcpy_s']):.2f} of memcpy, "
          f"{restore_gbs / (gb / r['page_cache_copy_s']):.2f} of a page-cache copy "
          "(a restore reads the file twice: every CRC before the first write, then the copy)")
    if m:
        print(f"peak RSS restoring {m['bytes'] / 1e9:.2f} GB (subprocess, variables allocated "
              "first):")
        for which in ("varstore", "tensorflow"):
            if which in m:
                x = m[which]
                print(f"  {which:10}: RSS before {x['rss_before'] / 1e9:.2f} GB, peak "
                      f"{x['peak_rss'] / 1e9:.2f} GB (+{(x['peak_rss'] - x['rss_before']) / 1e9:.2f}"
                      f" GB), after {x['rss_after'] / 1e9:.2f} GB; restore {x['restore_s']:.2f} s")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--vars", type=int, default=100)
    p.add_argument("--mb", type=float, default=200)
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--big-mb", type=float, default=1000)
    p.add_argument("--big-vars", type=int, default=100)
    p.add_argument("--no-memory", action="store_true", help="skip the 1 GB peak-RSS runs")
    p.add_argument("--dir", default=None, help="where to write the checkpoints (default: $TMPDIR)")
    p.add_argument("--json", default=None, help="also write the results to this file")
    args = p.parse_args()
    r = bench(args)
    m = None if args.no_memory else bench_memory(args)
    _report(r, m)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"speed": r, "memory": m}, f, indent=1)


if __name__ == "__main__":
    main()
