"""The variable lists and their initializers (tf.global_variables, tf.variables_initializer,
tf.report_uninitialized_variables ...): the graph's variable collections and TF's ops over
them. varstore.variables re-exports them, where TF defines them."""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore.framework.graph import GraphKeys, get_default_graph
from varstore.framework.ops import Operation, Tensor
from varstore.ops import control_flow_ops

__all__ = [
    "all_variables",
    "assert_variables_initialized",
    "global_variables",
    "global_variables_initializer",
    "initialize_all_variables",
    "initialize_local_variables",
    "initialize_variables",
    "local_variables",
    "local_variables_initializer",
    "model_variables",
    "moving_average_variables",
    "report_uninitialized_variables",
    "trainable_variables",
    "variables_initializer",
]


def _scoped(key: str, scope: str | None) -> list[Any]:
    return get_default_graph().get_collection(key, scope)


def global_variables(scope: str | None = None) -> list[Any]:
    return _scoped(GraphKeys.GLOBAL_VARIABLES, scope)


def all_variables() -> list[Any]:
    return global_variables()


def trainable_variables(scope: str | None = None) -> list[Any]:
    return _scoped(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope: str | None = None) -> list[Any]:
    return _scoped(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope: str | None = None) -> list[Any]:
    return _scoped(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope: str | None = None) -> list[Any]:
    return _scoped(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def variables_initializer(var_list: Any, name: str = "init") -> Operation:
    """A NoOp ``init`` that runs every variable's initializer (TF's group of them)."""
    var_list = list(var_list)
    if var_list:
        return control_flow_ops.group(*[v.initializer for v in var_list], name=name)
    return control_flow_ops.no_op(name=name)


# TF1's deprecated spelling (the same arguments, the same NoOp)
initialize_variables = variables_initializer


def global_variables_initializer() -> Operation:
    return variables_initializer(global_variables())


def initialize_all_variables() -> Operation:
    return global_variables_initializer()


def local_variables_initializer() -> Operation:
    return variables_initializer(local_variables(), name="init")


def initialize_local_variables() -> Operation:
    return local_variables_initializer()


def report_uninitialized_variables(var_list: Any = None,
                                   name: str = "report_uninitialized_variables") -> Tensor:
    """A string tensor of the names of the variables this session has not initialised:
    TF's ops (the variables' is-initialized flags, negated, mask their names), on the CPU."""
    from varstore.framework.constant_op import constant
    from varstore.framework.ops import builders

    if var_list is None:
        var_list = global_variables() + local_variables()
    var_list = list(var_list)
    graph = get_default_graph()
    with graph.name_scope(name):
        flags = [v.is_initialized() for v in var_list]
        with graph.device("/cpu:0"):
            if not var_list:
                return constant([], dtype=_dtypes.string)
            mask = builders.logical_not(builders.stack(flags))
            names = constant([v._shared_name for v in var_list])
            return builders.boolean_mask(names, mask)  # type: ignore[no-any-return]


def assert_variables_initialized(var_list: Any = None) -> Tensor | None:
    """TF1's ``tf.assert_variables_initialized``: the Rank of each variable (``Rank``, over
    a read of it), stacked when there are several; None when there are no variables.
    Running it reads the variables, which fails for one not yet initialized."""
    from varstore.framework.ops import builders
    from varstore.ops.array_ops import rank_internal

    if var_list is None:
        var_list = global_variables() + local_variables()
    if not var_list:
        # TF's fallback for graphs whose variables are in no collection: the ref variables
        var_list = [op._outputs[0] for op in get_default_graph().get_operations()
                    if op.type in ("Variable", "VariableV2", "AutoReloadVariable")]
    if not var_list:
        return None
    ranks = [rank_internal(v, optimize=False) for v in var_list]
    return ranks[0] if len(ranks) == 1 else builders.stack(ranks)
