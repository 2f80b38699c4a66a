"""The global step (TF's training/training_util.py): an int64 scalar variable
``global_step`` in the GLOBAL_STEP collection, made at the root name scope."""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore import tf_logging
from varstore import variable_scope as vs
from varstore.framework.graph import GraphKeys, get_default_graph
from varstore.ops import init_ops

__all__ = [
    "assert_global_step",
    "create_global_step",
    "get_global_step",
    "get_or_create_global_step",
    "global_step",
]


def global_step(sess: Any, global_step_tensor: Any) -> int:
    """``tf.train.global_step``: the step's current value as a Python int."""
    return int(sess.run(global_step_tensor))


def assert_global_step(global_step_tensor: Any) -> None:
    if not (hasattr(global_step_tensor, "_as_tensor") or hasattr(global_step_tensor, "op")):
        raise TypeError(f"Existing \"global_step\" must be a Variable or Tensor: "
                        f"{global_step_tensor}.")
    dt = global_step_tensor.dtype.base_dtype
    if not dt.is_integer:
        raise TypeError(f"Existing \"global_step\" does not have integer type: {dt}")
    shape = global_step_tensor.get_shape()
    if shape.ndims != 0 and shape.is_fully_defined():
        raise TypeError(f"Existing \"global_step\" is not scalar: {shape}")


def get_global_step(graph: Any = None) -> Any:
    """The global step of ``graph`` (the default graph), or None."""
    graph = get_default_graph() if graph is None else graph
    found = graph.get_collection(GraphKeys.GLOBAL_STEP)
    if len(found) == 1:
        step = found[0]
    elif not found:
        try:
            step = graph.get_tensor_by_name("global_step:0")
        except KeyError:
            return None
    else:
        # TF logs this and answers None (callers then make or skip a step)
        tf_logging.error("Multiple tensors in global_step collection.")
        return None
    assert_global_step(step)
    return step


def create_global_step(graph: Any = None) -> Any:
    """Makes the global step; ValueError if ``graph`` already has one."""
    graph = get_default_graph() if graph is None else graph
    if get_global_step(graph) is not None:
        raise ValueError("\"global_step\" already exists.")
    with graph.as_default(), graph.name_scope(None):
        return vs.get_variable(GraphKeys.GLOBAL_STEP, shape=[], dtype=_dtypes.int64,
                               initializer=init_ops.zeros_initializer(), trainable=False,
                               collections=[GraphKeys.GLOBAL_VARIABLES,
                                            GraphKeys.GLOBAL_STEP])


def get_or_create_global_step(graph: Any = None) -> Any:
    graph = get_default_graph() if graph is None else graph
    step = get_global_step(graph)
    if step is None:
        step = create_global_step(graph)
    return step
