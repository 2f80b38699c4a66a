"""``tf.io.write_graph`` / ``tf.train.write_graph`` (TF's framework/graph_io.py)."""

from __future__ import annotations

import os
from typing import Any

__all__ = ["write_graph"]


def write_graph(graph_or_graph_def: Any, logdir: str, name: str, as_text: bool = True) -> str:
    """Writes a Graph's GraphDef (or a GraphDef) to ``logdir/name``, as text (protobuf
    text format, TF's .pbtxt) or binary (deterministic: map fields sorted, as TF writes
    them); returns the path. Written to a temporary file and
    renamed, so a reader never sees half a file."""
    if hasattr(graph_or_graph_def, "as_graph_def"):
        graph_def = graph_or_graph_def.as_graph_def()
    else:
        graph_def = graph_or_graph_def
    if not hasattr(graph_def, "SerializeToString"):
        raise TypeError("graph_or_graph_def must be a tf.Graph or a GraphDef, got "
                        f"{type(graph_or_graph_def).__name__}")
    path = os.path.join(os.fspath(logdir), name)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    if as_text:
        from google.protobuf import text_format  # type: ignore[import-untyped,unused-ignore]
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text_format.MessageToString(graph_def))
    else:
        with open(tmp, "wb") as f:
            f.write(graph_def.SerializeToString(deterministic=True))
    os.replace(tmp, path)
    return path
