"""Memory is returned: discarded graphs free their variable stores (issue 6, item 4).

RSS is read from /proc/self/statm (Linux only).
"""

from __future__ import annotations

import gc
import os
import sys
import weakref

import numpy as np
import pytest

import varstore as tf

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not os.path.exists("/proc/self/statm"),
    reason="RSS from /proc/self/statm",
)

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _rss() -> int:
    """Resident set size in bytes, after a full collection."""
    gc.collect()
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * _PAGE


def _graph_of_variables(n: int, shape: list[int]) -> tf.Graph:
    g = tf.Graph()
    with g.as_default():
        init = tf.zeros_initializer()
        for b in range(0, n, 100):
            with tf.variable_scope(f"block_{b // 100}"):
                for i in range(b, min(n, b + 100)):
                    tf.get_variable(f"v{i}", shape, initializer=init)
    return g


def test_discarded_graphs_return_their_memory() -> None:
    graphs, variables = 200, 500
    # Warm-up round: allocator pools, interned strings, import-time caches. A graph and its
    # variables form reference cycles, so discarded graphs are freed by the cyclic GC when it
    # runs, not at once: several may be alive at a time, in the warm-up as later.
    for _ in range(100):
        g = _graph_of_variables(variables, [4])
        assert len(g._store) == variables
        del g
    baseline = _rss()

    peak_one_graph = 0
    for i in range(graphs):
        g = _graph_of_variables(variables, [4])
        if i == 0:
            peak_one_graph = _rss() - baseline
            assert len(g._store) == variables
        del g
    after = _rss()

    # A leak of even 1% of what was created (1M variables: ~hundreds of MB) would show.
    assert after <= baseline * 1.10, (
        f"RSS grew from {baseline / 2**20:.1f} MiB to {after / 2**20:.1f} MiB after creating and "
        f"discarding {graphs} graphs of {variables} variables (one graph: "
        f"{peak_one_graph / 2**20:.1f} MiB)"
    )


def test_discarded_graph_objects_are_collected() -> None:
    refs = []
    for _ in range(50):
        g = _graph_of_variables(100, [3])
        refs.append(weakref.ref(g))
        del g
    gc.collect()
    alive = sum(r() is not None for r in refs)
    assert alive == 0, f"{alive} of 50 discarded graphs are still alive"


def test_reset_default_graph_frees_the_old_store() -> None:
    tf.reset_default_graph()
    base = _rss()
    old = tf.get_default_graph()
    # 3 variables of 48 MiB each, written by the initializer. Each is larger than glibc's
    # largest mmap threshold (32 MiB), so its memory goes back to the system when freed,
    # whatever the heap looks like after the tests that ran before.
    with tf.variable_scope("big"):
        for i in range(3):
            v = tf.get_variable(f"w{i}", [12, 1024, 1024], initializer=tf.ones_initializer())
    assert float(np.asarray(v)[11, 1023, 1023]) == 1.0
    del v
    assert len(old._store) == 3
    ref = weakref.ref(old)
    del old
    peak = _rss()
    assert peak - base >= 120 * 2**20, f"only {(peak - base) / 2**20:.1f} MiB for 144 MiB of variables"

    tf.reset_default_graph()
    gc.collect()
    assert ref() is None, "the old default graph (and its store) is still referenced"
    assert tf.get_default_graph() is not None and len(tf.get_default_graph()._store) == 0
    after = _rss()
    assert after - base <= 0.10 * (peak - base), (
        f"RSS {base / 2**20:.1f} MiB -> {peak / 2**20:.1f} MiB with the variables -> "
        f"{after / 2**20:.1f} MiB after reset_default_graph()"
    )
