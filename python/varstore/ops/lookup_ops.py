"""``tf.tables_initializer`` / ``tf.initialize_all_tables`` (TF's lookup_ops): the group of the
graph's TABLE_INITIALIZERS, or a NoOp of that name when there are none. varstore has no
lookup tables (``tf.lookup`` stays missing), so only ops other code put in that collection
are grouped; programs that call tables_initializer() defensively run unchanged."""

from __future__ import annotations

from varstore.framework.graph import get_collection
from varstore.framework.graph_keys import GraphKeys
from varstore.framework.ops import Operation
from varstore.ops.control_flow_ops import group, no_op

__all__ = ["initialize_all_tables", "tables_initializer"]


def tables_initializer(name: str = "init_all_tables") -> Operation:
    """``tf.tables_initializer``: group(*TABLE_INITIALIZERS), else ``no_op(name)``."""
    initializers = get_collection(GraphKeys.TABLE_INITIALIZERS)
    if initializers:
        return group(*initializers, name=name)
    return no_op(name=name)


def initialize_all_tables(name: str = "init_all_tables") -> Operation:
    """TF1's deprecated spelling of :func:`tables_initializer`."""
    return tables_initializer(name)
