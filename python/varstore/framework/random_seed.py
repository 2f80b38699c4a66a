"""Graph-level and op-level random seeds, TF's ``get_seed`` rules."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from varstore.framework.graph import get_default_graph
from varstore.framework.mode import control_flow_v2_enabled

__all__ = ["DEFAULT_GRAPH_SEED", "function_seed_scope", "get_seed", "set_random_seed"]

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1


def set_random_seed(seed: int | None) -> None:
    """``tf.compat.v1.set_random_seed``: the default graph's seed."""
    get_default_graph().seed = None if seed is None else int(seed)


def get_seed(op_seed: int | None) -> tuple[int | None, int | None]:
    """The (graph seed, op seed) pair of a new random op: with only the graph seed set, the
    op seed counts the graph's unseeded random ops, 0, 1, 2, ... (TF 2's per-graph
    ``_graph_to_seed_dict``; TF 1.x used ``graph._last_id``); with only an op
    seed, the graph seed is DEFAULT_GRAPH_SEED; with neither, (None, None)."""
    graph = get_default_graph()
    global_seed = graph.seed
    if global_seed is not None:
        if op_seed is None:
            op_seed = graph._random_seed_count
            graph._random_seed_count = op_seed + 1
        seeds: tuple[int | None, int | None] = (int(global_seed), int(op_seed) % _MAXINT32)
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, int(op_seed) % _MAXINT32)
    else:
        seeds = (None, None)
    if seeds == (0, 0):
        return (0, _MAXINT32)
    return seeds


@contextlib.contextmanager
def function_seed_scope(graph: Any) -> Iterator[None]:
    """Building a while cond/body or a cond branch: under control flow v2 TF traces it into
    a function graph of its own, whose unseeded random ops count 0, 1, ... apart from the
    outer graph's (``_graph_to_seed_dict`` is per graph); under v1 they share the count."""
    if not control_flow_v2_enabled():
        yield
        return
    saved = graph._random_seed_count
    graph._random_seed_count = 0
    try:
        yield
    finally:
        graph._random_seed_count = saved
