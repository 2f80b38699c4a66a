"""``tf.saved_model.main_op``: the init op a SavedModel's loader runs after restoring
(TF's main_op_impl.py)."""

from __future__ import annotations

from typing import Any

__all__ = ["main_op", "main_op_with_restore"]


def main_op() -> Any:
    """One op that initializes the global and local variables and the tables."""
    from varstore.ops.control_flow_ops import group
    from varstore.ops.lookup_ops import tables_initializer
    from varstore.variables import global_variables_initializer, local_variables_initializer

    return group(global_variables_initializer(), local_variables_initializer(),
                 tables_initializer())


def main_op_with_restore(restore_op_name: Any) -> Any:
    """``main_op``, then the restore op (TF groups ``restore_op_name`` itself, so it must be
    an op or tensor, not a name)."""
    from varstore.framework.graph import control_dependencies
    from varstore.ops.control_flow_ops import group

    with control_dependencies([main_op()]):
        return group(restore_op_name)
