"""The connectivity a functional model is rebuilt from: each call of a layer on tensors
that come from ``tf.keras.Input`` records a Node (layer, inputs, call arguments, outputs);
an output tensor's history is the node that made it (tf-keras' ``_keras_history``).

Histories are kept per graph, keyed by tensor identity: varstore's Tensor has no slot for
an attribute.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Node", "flatten", "history_of", "record"]

_ORDER = itertools.count()


@dataclass
class Node:
    layer: Any
    inputs: Any
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    outputs: Any
    order: int = field(default_factory=lambda: next(_ORDER))


def flatten(x: Any) -> list[Any]:
    if isinstance(x, (list, tuple)):
        return [leaf for item in x for leaf in flatten(item)]
    if isinstance(x, dict):
        return [leaf for key in sorted(x) for leaf in flatten(x[key])]
    return [x]


def _table(graph: Any) -> dict[int, tuple[Any, Node]]:
    table: dict[int, tuple[Any, Node]] = graph.__dict__.setdefault("_keras_history", {})
    return table


def history_of(tensor: Any) -> Node | None:
    graph = getattr(tensor, "graph", None)
    if graph is None:
        return None
    entry = _table(graph).get(id(tensor))
    return entry[1] if entry is not None and entry[0] is tensor else None


def record(node: Node) -> None:
    for t in flatten(node.outputs):
        graph = getattr(t, "graph", None)
        if graph is not None:
            _table(graph)[id(t)] = (t, node)
