"""Whole-file ops (TF's io_ops.py): ``tf.io.read_file`` (``ReadFile``) and
``tf.io.write_file`` (``WriteFile``, which makes missing parent directories, as TF's
kernel does). Both are stateful: never folded, run each time they are fetched."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.op_def_library import check_same_graph, first_input, typed_input
from varstore.framework.ops import (
    NotDifferentiable,
    Operation,
    Tensor,
    make_op,
    register_kernel,
    scope_of,
)

__all__ = ["matching_files", "read_file", "write_file"]


def _scalar(t: Tensor, what: str, op_type: str) -> None:
    if t._shape is not None and len(t._shape) != 0:
        raise ValueError(f"Shape must be rank 0 but is rank {len(t._shape)} for "
                         f"'{{{{node {op_type}}}}} = {op_type}[]' ({what})")


def read_file(filename: Any, name: str | None = None) -> Tensor:
    """``tf.io.read_file``: the bytes of one file, a string scalar."""
    graph = check_same_graph(filename)
    full = graph._op_name(name, "ReadFile")
    with scope_of(graph, full):
        f = first_input(filename, "filename", _dtypes.string)
    _scalar(f, "filename", "ReadFile")
    return make_op(graph, full, "ReadFile", [f], {}, [(_dtypes.string, ())])._outputs[0]


def write_file(filename: Any, contents: Any, name: str | None = None) -> Operation:
    """``tf.io.write_file``: writes ``contents`` to ``filename`` (an op with no output)."""
    graph = check_same_graph(filename, contents)
    full = graph._op_name(name, "WriteFile")
    with scope_of(graph, full):
        f = first_input(filename, "filename", _dtypes.string)
        c = typed_input(contents, _dtypes.string, "WriteFile", "contents", "filename")
    _scalar(f, "filename", "WriteFile")
    _scalar(c, "contents", "WriteFile")
    return make_op(graph, full, "WriteFile", [f, c], {}, [])


def matching_files(pattern: Any, name: str | None = None) -> Tensor:
    """``tf.io.matching_files``: the sorted paths matching a glob pattern (a string scalar
    or vector of patterns; wildcards in the basename, as TF's)."""
    graph = check_same_graph(pattern)
    full = graph._op_name(name, "MatchingFiles")
    with scope_of(graph, full):
        p = first_input(pattern, "pattern", _dtypes.string)
    if p._shape is not None and len(p._shape) > 1:
        raise ValueError(f"Shape must be at most rank 1 but is rank {len(p._shape)} for "
                         "'{{node MatchingFiles}} = MatchingFiles[](pattern)'")
    return make_op(graph, full, "MatchingFiles", [p], {}, [(_dtypes.string, (None,))])._outputs[0]


@register_kernel("MatchingFiles", stateful=True)
def _matching_files_kernel(op: Operation) -> Callable[..., Any]:
    import glob

    from varstore.io.tf_record import as_bytes

    def kernel(pattern: np.ndarray) -> np.ndarray:
        found: list[str] = []
        for p in np.asarray(pattern).reshape(-1):
            found.extend(glob.glob(as_bytes(p).decode()))
        out = np.empty(len(found), dtype=object)
        out[:] = [f.encode() for f in sorted(found)]
        return out

    return kernel


NotDifferentiable("MatchingFiles")


def _path(v: np.ndarray) -> str:
    from varstore.io.tf_record import as_bytes
    return as_bytes(np.asarray(v).reshape(()).item()).decode()


@register_kernel("ReadFile", stateful=True)
def _read_file_kernel(op: Operation) -> Callable[..., Any]:
    from varstore.io.tf_record import _open

    def kernel(filename: np.ndarray) -> np.ndarray:
        with _open(_path(filename), "rb") as fh:
            return np.asarray(fh.read(), dtype=object)

    return kernel


@register_kernel("WriteFile", stateful=True)
def _write_file_kernel(op: Operation) -> Callable[..., Any]:
    from varstore.io.tf_record import _open, as_bytes

    def kernel(filename: np.ndarray, contents: np.ndarray) -> None:
        path = _path(filename)
        parent = os.path.dirname(path)
        if parent:
            os.makedirs(parent, exist_ok=True)
        with _open(path, "wb") as fh:
            fh.write(as_bytes(np.asarray(contents).reshape(()).item()))

    return kernel


NotDifferentiable("ReadFile")
NotDifferentiable("WriteFile")
