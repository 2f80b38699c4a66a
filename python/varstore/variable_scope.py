"""variable_scope, get_variable and friends: TF1's variable-sharing rules.

TF keeps these in one 3,000-line variable_scope.py; here each concept has its module and this
one is the public face (every ``varstore.variable_scope.X`` path still works):

- ``_variable_store``: the get-or-create step (one C++ store call), initial values, publishing;
- ``_scope_object``: VariableScope, its defaults and the per-thread scope stack;
- ``_scope_context``: the variable_scope context manager (naming, reuse, inheritance);
- this module: tf.get_variable (its Python rules and the C fast path over them) and
  tf.variable_scope (the C context manager over ``_scope_context._variable_scope``).
"""

from __future__ import annotations

from typing import Any

from varstore import _core
from varstore import dtypes as _dtypes
from varstore._scope_context import _variable_scope
from varstore._scope_object import (
    _PLAIN,
    VariableScope,
    _current_scope,
    get_variable_scope,
)
from varstore._variable_ops import VariableAggregation, VariableSynchronization, creator_stack
from varstore._variable_store import (
    _DEFAULT_COLLECTIONS,
    _GLOBAL_AND_TRAINABLE,
    _PARTITIONED,
    AUTO_REUSE,
    _constant_fill,
    _finish_create,
    _get_or_create,
    _publish,
    _wait_for_wrapper,
    partitioned_of,
)
from varstore.framework.graph import GraphKeys, get_default_graph
from varstore.variables import Variable

__all__ = [
    "AUTO_REUSE",
    "VariableScope",
    "create_partitioned_variables",
    "get_local_variable",
    "get_variable",
    "get_variable_scope",
    "no_regularizer",
    "variable_scope",
]

def get_variable(
    name: str,
    shape: Any = None,
    dtype: Any = None,
    initializer: Any = None,
    regularizer: Any = None,
    trainable: Any = None,
    collections: Any = None,
    caching_device: Any = None,
    partitioner: Any = None,
    validate_shape: bool = True,
    use_resource: Any = None,
    custom_getter: Any = None,
    constraint: Any = None,
    synchronization: Any = None,
    aggregation: Any = None,
) -> Any:
    """Gets an existing variable with these parameters or creates a new one (TF1 rules)."""
    graph = get_default_graph()
    try:
        scope = graph._tls.state.var_scope
    except AttributeError:
        scope = None
    if scope is None:
        scope = _current_scope(graph)
    # Fast path: the common call (a name, a list of ints, a C++-fillable or no initializer,
    # default everything else) is one C++ call; everything else takes TF's full path below.
    if (
        type(shape) is list
        and scope._d is _PLAIN
        and (dtype is None or dtype is _dtypes.float32)
        and regularizer is None
        and custom_getter is None
        and collections is None
        and constraint is None
        and trainable is None
        and type(name) is str
        and partitioner is None
        and caching_device is None
        and use_resource is None
        and synchronization is None
        and aggregation is None
        and validate_shape is True
        and not creator_stack(graph)
        and not _PARTITIONED.get(graph)
    ):
        value = 0.0
        if initializer is None:
            fill = 0  # glorot_uniform, filled in Python
        else:
            const = _constant_fill(initializer)
            if const is not None:
                fill = 1  # a constant, filled in C++
                value = float(const)
            elif callable(initializer):
                fill = 0
            else:
                fill = -1  # a constant value as initializer: the full path checks it
        if fill >= 0:
            full = scope._prefix + name
            code = _get_or_create(graph._store, full, shape, 1, scope._rc, True,
                                  _GLOBAL_AND_TRAINABLE, fill, value)
            vid = code >> 1
            if code & 1:
                return _finish_create(graph, vid, full, _dtypes.float32, initializer, None,
                                      _DEFAULT_COLLECTIONS, None, bool(fill))
            variables = graph._variables
            var = variables[vid] if vid < len(variables) else None
            if var is not None:
                return var
            return _wait_for_wrapper(graph, vid, full)
    return scope.get_variable(
        graph, name, shape, dtype, initializer, regularizer, None, trainable, collections,
        caching_device, partitioner, validate_shape, use_resource, custom_getter, constraint,
        synchronization, aggregation,
    )



def create_partitioned_variables(
    shape: Any, slicing: Any, initializer: Any, dtype: Any = _dtypes.float32,
    trainable: Any = True, collections: Any = None, name: Any = None, reuse: Any = None,
) -> list[Variable]:
    """``tf.create_partitioned_variables`` (TF's partitioned_variables.py; here beside the
    scopes it opens): the parts of a variable sliced as ``slicing`` says, named after a new
    variable scope ``name`` (default "PartitionedVariable")."""
    if len(shape) != len(slicing):
        raise ValueError("The 'shape' and 'slicing' of a partitioned Variable must have the "
                         f"length: shape: {shape}, slicing: {slicing}")
    if len(shape) < 1:
        raise ValueError(f"A partitioned Variable must have rank at least 1: shape: {shape}")

    def partitioner(**unused_kwargs: Any) -> Any:  # the slicing, whatever the variable
        return slicing

    with variable_scope(name, "PartitionedVariable", reuse=reuse):
        scope = get_variable_scope()
        return list(scope._get_partitioned_variable(
            get_default_graph(), None, partitioner, shape=shape, dtype=dtype,
            initializer=initializer, trainable=trainable, collections=collections))


def no_regularizer(_: Any) -> None:
    """``tf.no_regularizer``: a regularizer that adds no loss (overrides the scope's)."""
    return


def get_local_variable(
    name: str,
    shape: Any = None,
    dtype: Any = None,
    initializer: Any = None,
    regularizer: Any = None,
    trainable: Any = False,
    collections: Any = None,
    caching_device: Any = None,
    partitioner: Any = None,
    validate_shape: bool = True,
    use_resource: Any = None,
    custom_getter: Any = None,
    constraint: Any = None,
    synchronization: Any = VariableSynchronization.AUTO,
    aggregation: Any = VariableAggregation.NONE,
) -> Any:
    """``tf.get_local_variable``: get_variable in LOCAL_VARIABLES, never trainable (TF
    ignores ``trainable``, and appends to a given ``collections`` list in place)."""
    if collections:
        collections += [GraphKeys.LOCAL_VARIABLES]
    else:
        collections = [GraphKeys.LOCAL_VARIABLES]
    return get_variable(
        name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
        trainable=False, collections=collections, caching_device=caching_device,
        partitioner=partitioner, validate_shape=validate_shape, use_resource=use_resource,
        synchronization=synchronization, aggregation=aggregation, custom_getter=custom_getter,
        constraint=constraint)


class _VariableStore:
    """What TF's ``variable_scope._get_default_variable_store()`` gives, over the graph's
    C++ store (TF's own tests reach for it): ``_vars``, the variables by full name (the parts
    of a partitioned one included; tf.Variable's too, which TF's store does not hold),
    ``_partitioned_vars``, and ``get_variable`` by full name, outside any scope."""

    def __init__(self, graph: Any) -> None:
        self._graph = graph

    @property
    def _vars(self) -> dict[str, Any]:
        return {v.op.name: v for v in self._graph._variables if v is not None}

    @property
    def _partitioned_vars(self) -> dict[str, Any]:
        return dict(partitioned_of(self._graph))

    def get_variable(self, name: str, shape: Any = None, dtype: Any = _dtypes.float32,
                     initializer: Any = None, regularizer: Any = None, reuse: Any = None,
                     trainable: Any = None, collections: Any = None, caching_device: Any = None,
                     partitioner: Any = None, validate_shape: bool = True,
                     use_resource: Any = None, custom_getter: Any = None,
                     constraint: Any = None,
                     synchronization: Any = VariableSynchronization.AUTO,
                     aggregation: Any = VariableAggregation.NONE) -> Any:
        # TF's store reads reuse=None as "return it if it exists, else create it" (only a
        # scope's reuse False refuses an existing variable)
        scope = VariableScope(AUTO_REUSE if reuse is None else reuse)
        with self._graph.as_default(), _variable_scope(scope, auxiliary_name_scope=False):
            return _get_variable(
                name, shape=shape, dtype=dtype, initializer=initializer,
                regularizer=regularizer, trainable=trainable, collections=collections,
                caching_device=caching_device, partitioner=partitioner,
                validate_shape=validate_shape, use_resource=use_resource,
                custom_getter=custom_getter, constraint=constraint,
                synchronization=synchronization, aggregation=aggregation)


def _get_default_variable_store() -> _VariableStore:
    """TF's internal accessor of the default graph's variable store (its tests use it)."""
    return _VariableStore(get_default_graph())


# tf.get_variable: a C function that answers reuse lookups of existing variables itself (no
# Python frame) and passes every other call to _get_variable above, which owns the rules.
_get_variable = get_variable  # the Python implementation (its errors say "get_variable()")
get_variable = _core.store.make_get_variable(
    _get_variable, get_default_graph, _PLAIN, _publish, _DEFAULT_COLLECTIONS, Variable)

# tf.variable_scope: a C context manager that enters variable_scope("name"[, reuse=...])
# itself (no Python frame) and hands every other form to _variable_scope above.
_variable_scope.__qualname__ = "variable_scope"  # TF's wording in argument errors
_variable_scope.__init__.__qualname__ = "variable_scope.__init__"
variable_scope = _core.store.make_variable_scope_type(
    _variable_scope, get_default_graph, _current_scope, VariableScope, AUTO_REUSE)
