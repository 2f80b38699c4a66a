"""``varstore.model_summary()``: the scope tree of the variables, like Keras' model.summary()."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from varstore.framework.graph import GraphKeys, get_default_graph

__all__ = ["model_summary"]


def _tree(variables: list[Any]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for v in variables:
        parts = v.name[:-2].split("/")
        node = root
        for part in parts[:-1]:
            child = node.setdefault(part + "/", {})
            if not isinstance(child, dict):  # a variable and a scope share a name
                child = node.setdefault(part + "/ ", {})
            node = child
        node[parts[-1]] = v
    return root


def model_summary(scope: str | None = None, file: TextIO | None = None) -> tuple[int, int]:
    """Prints every global variable (under ``scope``) as a tree with its shape, dtype,
    parameter count and bytes, then the totals. Returns (parameters, bytes)."""
    out = file if file is not None else sys.stdout
    variables = get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)
    header = f"{'variable':<44} {'shape':<18} {'dtype':<8} {'params':>10} {'bytes':>12}"
    print(header, file=out)
    print("-" * len(header), file=out)
    totals = [0, 0]

    def walk(node: dict[str, Any], depth: int) -> None:
        for key, item in node.items():
            indent = "  " * depth
            if isinstance(item, dict):
                print(f"{indent}{key.rstrip()}", file=out)
                walk(item, depth + 1)
                continue
            shape = item.shape.as_list()
            params = 1
            for d in shape:
                params *= d
            nbytes = params * item.dtype.size
            totals[0] += params
            totals[1] += nbytes
            label = f"{indent}{key}"
            print(f"{label:<44} {shape!s:<18} {item.dtype.name:<8} {params:>10,} "
                  f"{nbytes:>12,}", file=out)

    walk(_tree(variables), 0)
    print("-" * len(header), file=out)
    print(f"{len(variables)} variables, {totals[0]:,} parameters, {totals[1]:,} bytes", file=out)
    return totals[0], totals[1]
