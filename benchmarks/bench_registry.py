"""Registry benchmark: get_variable, scopes and scoped listing at N = 1k ... 1M variables.

Runs varstore and a pure-Python reference store (dict + stack, same semantics, carried
below) side by side in the same process: every workload's repeats alternate between the
two stores, so both see the same (shared, noisy) machine. Prints per-operation medians,
the ratio, and the growth of each from the smallest N to the largest.

    python benchmarks/bench_registry.py                 # N = 1k, 10k, 100k, 1M
    python benchmarks/bench_registry.py --sizes 1000 100000 --repeats 7

Workloads (the model is model/block_i/layer_j/{kernel,bias}, shape [4], zeros initializer,
25 layers per block, so one block is a 50-variable subtree):
  W1  create: get_variable of a new variable (while the store holds N); and the cost per
      variable of building the whole model, scope enter/exit included
  W2  reuse: get_variable of an existing variable inside reuse=True scopes
  W3  variable_scope enter/exit pair, name_scope enter/exit pair (store holding N)
  W4  global_variables(scope="model/block_7/") (a 50-variable subtree) while the store holds N
  W5  resident memory per variable: a fresh process builds N variables, RSS after - before
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

LAYERS = 25  # per block: 50 variables


# --------------------------------------------------------------------------------------
# The pure-Python reference store: a dict of variables and a scope stack, TF1 semantics
# (reuse checks, shape checks, graph-wide name uniquifier, default_name counters).
# --------------------------------------------------------------------------------------
class _RefVar:
    __slots__ = ("dtype", "name", "shape", "value")

    def __init__(self, name: str, shape: tuple[int, ...], dtype: str) -> None:
        self.name = name + ":0"
        self.shape = shape
        self.dtype = dtype
        self.value = np.zeros(shape, dtype)


class RefStore:
    def __init__(self) -> None:
        self.vars: dict[str, _RefVar] = {}
        self.order: list[_RefVar] = []
        self.names: dict[str, int] = {}
        self.scope = ""
        self.reuse: Any = False
        self.name_stack = ""
        self.counts: dict[str, int] = {}

    def unique_name(self, name: str) -> str:
        if self.name_stack:
            name = self.name_stack + "/" + name
        key = name.lower()
        i = self.names.get(key, 0)
        self.names[key] = i + 1
        if i > 0:
            base = key
            while key in self.names:
                key = f"{base}_{i}"
                i += 1
            self.names[key] = 1
            name = f"{name}_{i - 1}"
        return name

    def get_variable(self, name: str, shape: list[int], initializer: Any = None) -> _RefVar:
        full = self.scope + "/" + name if self.scope else name
        found = self.vars.get(full)
        if found is not None:
            if self.reuse is False:
                raise ValueError(f"Variable {full} already exists, disallowed.")
            if tuple(shape) != found.shape:
                raise ValueError(f"Trying to share variable {full}")
            return found
        if self.reuse is True:
            raise ValueError(f"Variable {full} does not exist")
        var = _RefVar(self.unique_name(full), tuple(shape), "float32")
        self.vars[full] = var
        self.order.append(var)
        return var

    class _Scope:
        def __init__(self, store: RefStore, name: str, reuse: Any) -> None:
            self.store, self.name, self.reuse = store, name, reuse

        def __enter__(self) -> RefStore._Scope:
            s = self.store
            self.old = (s.scope, s.reuse, s.name_stack)
            s.name_stack = s.unique_name(self.name)
            s.scope = s.scope + "/" + self.name if s.scope else self.name
            s.reuse = self.reuse or s.reuse
            s.counts[s.scope] = s.counts.get(s.scope, 0) + 1
            return self

        def __exit__(self, *exc: object) -> None:
            s = self.store
            s.scope, s.reuse, s.name_stack = self.old

    class _NameScope:
        def __init__(self, store: RefStore, name: str) -> None:
            self.store, self.name = store, name

        def __enter__(self) -> str:
            s = self.store
            self.old = s.name_stack
            s.name_stack = s.unique_name(self.name)
            return s.name_stack + "/"

        def __exit__(self, *exc: object) -> None:
            self.store.name_stack = self.old

    def variable_scope(self, name: str, reuse: Any = None) -> RefStore._Scope:
        return RefStore._Scope(self, name, reuse)

    def name_scope(self, name: str) -> RefStore._NameScope:
        return RefStore._NameScope(self, name)

    def global_variables(self, scope: str | None = None) -> list[_RefVar]:
        if scope is None:
            return list(self.order)
        regex = re.compile(scope)
        return [v for v in self.order if regex.match(v.name)]


class VarstoreAPI:
    """The same calls, on varstore (import varstore as tf)."""

    def __init__(self) -> None:
        import varstore as tf

        self.tf = tf
        tf.reset_default_graph()
        self.zeros = tf.zeros_initializer()
        self.get_variable = tf.get_variable
        self.variable_scope = tf.variable_scope
        self.name_scope = tf.name_scope
        self.global_variables = tf.global_variables


# --------------------------------------------------------------------------------------
def _build(api: Any, n: int) -> float:
    """Builds model/block_i/layer_j/{kernel,bias} with n variables; seconds per variable."""
    zeros = getattr(api, "zeros", None)
    gv, vs = api.get_variable, api.variable_scope
    blocks = max(1, n // (2 * LAYERS))
    start = time.perf_counter()
    with vs("model"):
        for i in range(blocks):
            with vs(f"block_{i}"):
                for j in range(LAYERS):
                    with vs(f"layer_{j}"):
                        gv("kernel", [4], initializer=zeros)
                        gv("bias", [4], initializer=zeros)
    return (time.perf_counter() - start) / (blocks * 2 * LAYERS)


def _workload_fns(api: Any, n: int, listing_calls: int) -> dict[str, Callable[[], int]]:
    """The timed workloads on a store holding n variables; each returns its op count."""
    gv, vs, ns = api.get_variable, api.variable_scope, api.name_scope
    zeros = getattr(api, "zeros", None)
    batch = 2000
    counter = [0]
    names = [f"v{i}" for i in range(batch)]  # made once: formatting them is not the workload

    def create() -> int:
        k = counter[0]
        counter[0] += 1
        with vs(f"extra_{k}"):
            for name in names:
                gv(name, [4], initializer=zeros)
        return batch

    def reuse() -> int:
        with vs("model", reuse=True), vs("block_3"), vs("layer_7"):
            for _ in range(batch // 2):
                gv("kernel", [4])
                gv("bias", [4])
        return batch

    def scope_pair() -> int:
        with vs("model", reuse=True):
            for _ in range(batch):
                with vs("block_3"):
                    pass
        return batch

    def name_pair() -> int:
        for _ in range(batch):
            with ns("ns"):
                pass
        return batch

    def listing() -> int:
        for _ in range(listing_calls):
            got = api.global_variables("model/block_7/")
        assert len(got) == min(2 * LAYERS, n), len(got)
        return listing_calls

    return {
        "W1 create (get_variable)": create,
        "W2 reuse lookup": reuse,
        "W3 variable_scope pair": scope_pair,
        "W3 name_scope pair": name_pair,
        "W4 scoped listing (50 of N)": listing,
    }


def _new_api(kind: str) -> Any:
    return VarstoreAPI() if kind == "varstore" else RefStore()


def _workloads(n: int, repeats: int) -> dict[str, dict[str, float]]:
    """Every workload on both stores, side by side: the repeats alternate between the two
    (in alternating order), so both see the same machine; medians per op, in seconds."""
    kinds = ("varstore", "python")
    out: dict[str, dict[str, float]] = {k: {} for k in kinds}
    # W1 build: the whole model on a fresh store (three times, alternating, up to 100k).
    builds: dict[str, list[float]] = {k: [] for k in kinds}
    apis: dict[str, Any] = {}
    for r in range(3 if n <= 100_000 else 1):
        for kind in kinds if r % 2 == 0 else kinds[::-1]:
            apis.pop(kind, None)
            gc.collect()
            apis[kind] = _new_api(kind)
            gc.disable()
            try:
                builds[kind].append(_build(apis[kind], n))
            finally:
                gc.enable()
    for kind in kinds:
        out[kind]["W1 build, per variable incl. scopes"] = statistics.median(builds[kind])
    # Listing: batches of calls (one scan of the reference store at 1M takes ~0.1 s).
    calls = {"varstore": 200, "python": max(1, 20_000 // n)}
    fns = {kind: _workload_fns(apis[kind], n, calls[kind]) for kind in kinds}
    for key in fns["varstore"]:
        times: dict[str, list[float]] = {k: [] for k in kinds}
        for r in range(max(repeats, 15) if key.startswith("W4") else repeats):
            for kind in kinds if r % 2 == 0 else kinds[::-1]:
                gc.disable()
                try:
                    start = time.perf_counter()
                    ops = fns[kind][key]()
                    times[kind].append((time.perf_counter() - start) / ops)
                finally:
                    gc.enable()
        for kind in kinds:
            out[kind][key] = statistics.median(times[kind])
    return out


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _memory_child(kind: str, n: int) -> None:
    api: Any = VarstoreAPI() if kind == "varstore" else RefStore()
    gc.collect()
    before = _rss_bytes()
    _build(api, n)
    gc.collect()
    print(json.dumps({"bytes_per_var": (_rss_bytes() - before) / n}))


def _memory(kind: str, n: int) -> float:
    res = subprocess.run(
        [sys.executable, __file__, "--memory-child", kind, str(n)],
        check=True, capture_output=True, text=True,
    )
    return float(json.loads(res.stdout.strip().splitlines()[-1])["bytes_per_var"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000, 1000000])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--memory-child", nargs=2, metavar=("KIND", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    if args.memory_child:
        _memory_child(args.memory_child[0], int(args.memory_child[1]))
        return

    import varstore

    print(f"varstore {varstore.__version__}, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs; medians of {args.repeats} repeats, microseconds per op")
    _workloads(1000, 3)  # warm-up (imports, caches, the interpreter's specializations), dropped
    results: dict[str, Any] = {}
    for n in args.sizes:
        print(f"\nN = {n:,}")
        print(f"  {'workload':<38} {'varstore':>10} {'pure Python':>12} {'ratio':>7}")
        row: dict[str, Any] = _workloads(n, args.repeats)
        for key in row["varstore"]:
            ours, ref = row["varstore"][key] * 1e6, row["python"][key] * 1e6
            print(f"  {key:<38} {ours:>10.3f} {ref:>12.3f} {ref / ours:>6.2f}x")
        mem_ours, mem_ref = _memory("varstore", n), _memory("python", n)
        ratio = f"{mem_ref / mem_ours:>6.2f}x" if mem_ours > 0 else "   n/a"
        print(f"  {'W5 memory per variable (bytes)':<38} {mem_ours:>10.0f} {mem_ref:>12.0f} "
              f"{ratio}")
        row["varstore"]["W5 bytes per variable"] = mem_ours
        row["python"]["W5 bytes per variable"] = mem_ref
        results[str(n)] = row
    if len(args.sizes) > 1:
        lo, hi = str(args.sizes[0]), str(args.sizes[-1])
        print(f"\nGrowth from N = {int(lo):,} to N = {int(hi):,} (time per op, large / small)")
        print(f"  {'workload':<38} {'varstore':>10} {'pure Python':>12}")
        for key in results[lo]["varstore"]:
            if key.startswith("W5"):
                continue  # (RSS at small N is below the page-level resolution)
            grow = [results[hi][k][key] / results[lo][k][key] for k in ("varstore", "python")]
            print(f"  {key:<38} {grow[0]:>9.2f}x {grow[1]:>11.2f}x")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
