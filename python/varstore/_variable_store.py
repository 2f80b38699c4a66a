"""TF's _VariableStore: the get-or-create step of get_variable (one C++ store call), the
initial value of a new variable, and publishing its Python wrapper into its collections.

Below the scope objects: it knows names, not scopes (``VariableScope.get_variable`` resolves
the scope's defaults and _variable_getter.py picks a single or a partitioned variable).
"""

from __future__ import annotations

import contextlib
import enum
import inspect
import time
import weakref
from collections.abc import Iterator
from typing import Any, Callable

from varstore import _core
from varstore import dtypes as _dtypes
from varstore._variable_ops import (
    VariableAggregation,
    VariableSynchronization,
    collection_bits,
    creator_stack,
    make_variable_ops,
    resource_variables_enabled,
    run_creators,
)
from varstore.framework.constant_op import natural
from varstore.framework.graph import Graph, GraphKeys
from varstore.framework.ops import Tensor
from varstore.framework.tensor_shape import TensorShape
from varstore.ops import state_ops
from varstore.variables import Variable, unsupported_dtype

__all__ = ["AUTO_REUSE"]


class _ReuseMode(enum.Enum):
    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


def _reuse_code(reuse: Any) -> int:
    """The store's reuse mode: 0 create only, 1 reuse only, 2 AUTO_REUSE."""
    if reuse is True:
        return 1
    if reuse is AUTO_REUSE:
        return 2
    return 0


def _init_value_dtype(initializer: Any) -> _dtypes.DType:
    if isinstance(initializer, (Tensor, Variable)):
        return initializer.dtype
    return natural(initializer)[1]


_ACCEPTS: dict[tuple[Any, str, bool], bool] = {}


def _accepts(fn: Callable[..., Any], arg: str, varkw: bool = True) -> bool:
    # inspect.signature costs ~100 us: remember the answer per function (or per class, for
    # an initializer object's __call__).
    key_fn = type(fn).__call__ if not inspect.isfunction(fn) and not inspect.ismethod(fn) \
        and callable(type(fn)) and not inspect.isclass(fn) else fn
    key = (key_fn, arg, varkw)
    try:
        found = _ACCEPTS.get(key)
    except TypeError:  # unhashable
        found = None
        key = None  # type: ignore[assignment]
    if found is not None:
        return found
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    ok = arg in params or (varkw and any(p.kind is p.VAR_KEYWORD for p in params.values()))
    if key is not None and len(_ACCEPTS) < 10_000:
        _ACCEPTS[key] = ok
    return ok


def _parse_shape(shape: Any) -> tuple[int | None, ...] | None:
    """A shape argument as a tuple (None for unknown dims) or None for an unknown shape."""
    if shape is None:
        return None
    if type(shape) is list or type(shape) is tuple:
        for d in shape:
            if type(d) is not int or d < 0:
                break
        else:
            return tuple(shape)
    return TensorShape(shape)._dims


_get_or_create = _core.store.get_or_create
_GLOBAL_AND_TRAINABLE = 3  # the store's collection bits for the default collections


def _get_single_variable(
    graph: Graph,
    name: str,
    shape: Any,
    dtype: Any,
    initializer: Any,
    regularizer: Any,
    reuse: Any,
    trainable: Any,
    collections: Any,
    constraint: Any,
    validate_shape: bool = True,
    use_resource: Any = None,
    caching_device: Any = None,
    partition_info: Any = None,
    synchronization: Any = VariableSynchronization.AUTO,
    aggregation: Any = VariableAggregation.NONE,
    use_creators: bool = True,
) -> Any:
    """TF's _VariableStore._get_single_variable: the variable ``name`` (full name), found or
    created. ``partition_info``: for a part of a partitioned variable, what its initializer
    is told. Inside variable_creator_scope a create goes through the creators (whose result
    may be anything); ``use_creators`` is False for the last creator's own create."""
    user_collections = collections
    from_value = initializer is not None and not callable(initializer)
    if shape is not None and from_value:
        raise ValueError("If initializer is a constant, do not specify shape.")
    dt = _dtypes.as_dtype(dtype).base_dtype
    dims = _parse_shape(shape)
    if trainable is None:
        trainable = True
    if collections is None:
        collections = [GraphKeys.GLOBAL_VARIABLES]
    elif not isinstance(collections, (list, tuple, set)):
        raise ValueError(
            "collections argument to Variable constructor must be a list, tuple, or set. "
            f"Got {collections} of type {type(collections)}"
        )
    collections = list(dict.fromkeys(collections))  # a tuple or set joins each key once
    if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
        collections.append(GraphKeys.TRAINABLE_VARIABLES)
    if constraint is not None and not callable(constraint):
        raise ValueError("Argument `constraint` must be None or a callable. "
                         f"a callable. Got a {type(constraint)}:  {constraint}")

    value: Any = None
    fill = 0
    fill_value = 0.0
    store = graph._store
    if (
        not from_value
        and (dims is None or None in dims)
        and reuse is not True
        and _core.store.find(store, name) < 0
    ):
        # A new variable needs a shape, unless its initializer takes no arguments.
        if initializer is None:
            if dims is None:
                raise ValueError(f"Variable {name} did not get an initializer, so its `shape` "
                                 "argument must be specified.")
            raise ValueError(_INVALID_INITIALIZER)
        if inspect.isclass(initializer) or not _needs_no_arguments(initializer):
            raise ValueError(_INVALID_INITIALIZER)
        # TF's scope for it, with the device cleared as for the Initializer ops
        with _absolute_name_scope(graph, name + "/Initializer"), graph.device(None):
            initializer = initializer()
        from_value = True
    if from_value:
        # Looked up first: an existing variable is returned without converting anything.
        vid = _core.store.find(store, name)
        if vid < 0:
            if isinstance(initializer, (Tensor, Variable)):
                value = initializer
                # (as ints and None: .dims may hold Dimension objects)
                init_shape = initializer.shape
                init_dims = None if init_shape.rank is None else init_shape.as_list()
                if dims is not None and None in dims and validate_shape:
                    raise ValueError(f"initial_value must have a shape specified: "
                                     f"{initializer}")
                dims = tuple(0 if d is None else d for d in init_dims) \
                    if init_dims is not None else ()
                dt = initializer.dtype.base_dtype
            else:
                value, dt = natural(initializer)
                dims = tuple(value.shape)
    elif initializer is None:
        if dt._code >= _dtypes._FIRST_OPAQUE:  # (before TF's message, which is not ours)
            raise TypeError(unsupported_dtype(dt))
        if not (dt.is_floating or dt.is_integer or dt.is_bool):
            raise ValueError(f"An initializer for variable {name} of {dt!r} is required")
        if not dt.is_floating:
            fill = 1  # zeros
    else:
        const = _constant_fill(initializer)
        if const is not None and (dt.is_floating or not hasattr(initializer, "value")):
            # (A constant_initializer's value for an integer variable is converted in Python:
            # TF rejects a Python float there, even 3.0.)
            fill = 1
            fill_value = float(const)

    if dt._code >= _dtypes._FIRST_OPAQUE:
        raise TypeError(unsupported_dtype(dt))
    if (use_creators and creator_stack(graph) and reuse is not True
            and _core.store.find(store, name) < 0):
        var = _create_through_creators(
            graph, name, dims, dt, initializer, value, trainable, user_collections, constraint,
            validate_shape, use_resource, caching_device, partition_info, synchronization,
            aggregation)
    else:
        code = _get_or_create(store, name, dims, dt._code, _reuse_code(reuse),
                              bool(trainable), collection_bits(collections), fill, fill_value)
        vid = code >> 1
        if not code & 1:
            variables = graph._variables
            found = variables[vid] if vid < len(variables) else None
            return found if found is not None else _wait_for_wrapper(graph, vid, name)
        var = _finish_create(graph, vid, name, dt, initializer, value, collections,
                             constraint, bool(fill), use_resource, validate_shape,
                             caching_device, partition_info)
        ops = graph._var_ops[vid]
        ops.synchronization, ops.aggregation = synchronization, aggregation
    if not isinstance(var, Variable):
        return var  # a creator's own object: TF applies no regularizer to it either
    # TF calls the regularizer once where get_variable runs (the root name scope) to see
    # whether it returns a loss, then again in "<name>/Regularizer/" for the collection.
    if regularizer and regularizer(var) is not None:
        with _absolute_name_scope(graph, name + "/Regularizer"):
            loss = regularizer(var)
        graph.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)
    return var


_INVALID_INITIALIZER = (
    "The initializer passed is not valid. It should be a callable with no arguments and the "
    "shape should not be provided or an instance of `tf.keras.initializers.*' and `shape` "
    "should be fully defined."
)


def _needs_no_arguments(fn: Any) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return all(
        p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params
    )


@contextlib.contextmanager
def _absolute_name_scope(graph: Graph, stack: str) -> Iterator[None]:
    """Sets the name stack to exactly ``stack`` (TF's ``name_scope("<stack>/")``)."""
    state = graph._thread
    old = state.name_stack
    state.name_stack = stack
    try:
        yield
    finally:
        state.name_stack = old


_OWN_SHORTCUTS: weakref.WeakKeyDictionary[type, bool] = weakref.WeakKeyDictionary()


def _has_shortcuts(cls: type) -> bool:
    """Whether ``_fill`` of this class is its values: the class whose ``__call__`` runs is
    one of varstore's constant initializers (a subclass that overrides ``__call__`` is
    called instead)."""
    ok = _OWN_SHORTCUTS.get(cls)
    if ok is None:
        ok = False
        for klass in cls.__mro__:
            own = klass.__dict__
            if "__call__" in own:
                ok = "_kind_code" in own
                break
        _OWN_SHORTCUTS[cls] = ok
    return ok


def _constant_fill(initializer: Any) -> Any:
    """The constant every element gets from this initializer, or None."""
    return getattr(initializer, "_fill", None) if _has_shortcuts(type(initializer)) else None


def _create_through_creators(
    graph: Graph, name: str, dims: Any, dt: _dtypes.DType, initializer: Any, value: Any,
    trainable: Any, collections: Any, constraint: Any, validate_shape: bool,
    use_resource: Any, caching_device: Any, partition_info: Any, synchronization: Any,
    aggregation: Any,
) -> Any:
    """A new get_variable variable made by the creator chain, with the keyword arguments TF
    gives it (``initial_value`` is TF's init_val callable). The last creator makes the
    variable as get_variable would, from the arguments the creators passed down (a renamed
    variable is registered under its new name: TF keeps the old one for reuse)."""
    shape_list = [0 if d is None else d for d in (dims or ())]
    # From a value, TF hands the creators that value as given, with no dtype and no shape.
    from_value = value is not None
    init_val = initializer if from_value else _initial_value_fn(name, shape_list, dt,
                                                                initializer, partition_info)

    def default_creator(**kw: Any) -> Any:
        given = kw.get("initial_value")
        if given is init_val:
            init, shape = (value, None) if from_value else (initializer, dims)
        else:  # a creator's own initial value (a value, or a callable making one)
            init, shape = (given() if callable(given) else given), None
        dtype = kw.get("dtype")
        return _get_single_variable(
            graph, kw.get("name", name), shape, dt if dtype is None else dtype, init, None,
            None,
            kw.get("trainable"), kw.get("collections"), kw.get("constraint"),
            kw.get("validate_shape", True), kw.get("use_resource"), kw.get("caching_device"),
            partition_info, kw.get("synchronization"), kw.get("aggregation"),
            use_creators=False)

    kwargs = {
        "initial_value": init_val, "trainable": trainable, "collections": collections,
        "validate_shape": validate_shape, "caching_device": caching_device, "name": name,
        "variable_def": None, "dtype": None if from_value else dt, "expected_shape": None,
        "import_scope": None,
        "constraint": constraint,
        "use_resource": resource_variables_enabled() if use_resource is None else use_resource,
        "synchronization": synchronization, "aggregation": aggregation,
        "shape": None if from_value else TensorShape(None if dims is None else list(dims)),
        "experimental_enable_variable_lifting": None,
    }
    return run_creators(graph, default_creator, kwargs)


def _initial_value_fn(name: str, shape: list[int], dtype: _dtypes.DType, initializer: Any,
                      partition_info: Any = None) -> Any:
    """TF's init_val: a callable building the initial value from the initializer (the
    scope's, or glorot_uniform for floats and zeros otherwise)."""
    if initializer is None:
        from varstore.ops import init_ops

        initializer = (init_ops.glorot_uniform_initializer() if dtype.is_floating
                       else init_ops.zeros_initializer())
    elif inspect.isclass(initializer):
        initializer = initializer()
    # TF asks getargspec(initializer).args: a Keras v2 initializer's **kwargs refuses it
    if _accepts(initializer, "partition_info", varkw=False):
        return lambda: initializer(shape, dtype=dtype, partition_info=partition_info)
    return lambda: initializer(shape, dtype=dtype)


class _NeedsFullRules(Exception):
    """get_variable's C path created a variable that the Python rules must handle."""


# TF's _VariableStore._partitioned_vars: each graph's PartitionedVariables by name.
_PARTITIONED: weakref.WeakKeyDictionary[Graph, dict[str, Any]] = weakref.WeakKeyDictionary()


def partitioned_of(graph: Graph) -> dict[str, Any]:
    found = _PARTITIONED.get(graph)
    if found is None:
        found = _PARTITIONED[graph] = {}
    return found


_DEFAULT_COLLECTIONS = (GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES)


def _finish_create(graph: Graph, vid: int, name: str, dtype: _dtypes.DType,
                   initializer: Any, value: Any, collections: Any, constraint: Any,
                   filled: bool = False, use_resource: Any = None,
                   validate_shape: bool = True, caching_device: Any = None,
                   partition_info: Any = None) -> Variable:
    """Builds the graph nodes of a variable the store has just created and publishes its
    Python wrapper; on any failure the store forgets the variable again, so a failed call
    adds no variable. ``value`` is an initial value given instead of an initializer;
    ``filled``: the store filled it with the initializer's constant already."""
    store = graph._store
    try:
        shape = list(store.shape(vid))
        var_shape: tuple[int | None, ...] | None = None if isinstance(
            value, (Tensor, Variable)) and value.shape.ndims is None else tuple(shape)
        if isinstance(value, (Tensor, Variable)) and value.shape.ndims is not None:
            var_shape = value.shape._dims
        init: Any = value if value is not None else _initial_value_fn(
            name, shape, dtype, initializer, partition_info)
        if isinstance(value, Variable):
            init = value._as_tensor()
        # The nodes take the variable's graph name (TF uniquifies it against ops: "p_1").
        make_variable_ops(graph, vid, str(store.graph_name(vid)), dtype, var_shape, init,
                          use_resource, validate_shape, caching_device=caching_device)
    except BaseException:
        graph._var_ops.pop(vid, None)
        store.discard_last(vid)
        raise
    if filled:
        state_ops.set_initial(graph, vid, store.array(vid))
    return _publish(graph, vid, collections, constraint, None, build=False)


def _publish(graph: Graph, vid: int, collections: Any, constraint: Any,
             initializer: Any = None, build: bool = True) -> Variable:
    """Makes the Python wrapper of a new variable and adds it to its collections; for a
    create of get_variable's C path (``build``), first its graph nodes (the store has
    filled its value with the initializer's constant). That path cannot see creators or
    partitioned variables: when either matters, this raises and the C path hands the call
    to the Python rules (after undoing the store's create)."""
    if build:
        store = graph._store
        if creator_stack(graph) or (_PARTITIONED.get(graph) and _core.store.find(
                store, str(store.name(vid)) + "/part_0") >= 0):
            raise _NeedsFullRules
        name = str(store.graph_name(vid))
        shape = list(store.shape(vid))
        dtype = _dtypes._from_code(store.dtype(vid))
        make_variable_ops(graph, vid, name, dtype, tuple(shape),
                          _initial_value_fn(name, shape, dtype, initializer), None, True)
        state_ops.set_initial(graph, vid, store.array(vid))
    var = Variable._wrap(graph, vid)
    variables = graph._variables
    while len(variables) <= vid:
        variables.append(None)
    variables[vid] = var
    colls = graph._collections
    for key in collections:
        coll = colls.get(key)
        if coll is None:
            coll = colls[key] = []
        coll.append(var)
    if constraint is not None:
        graph._constraints[vid] = constraint
    return var


def _wait_for_wrapper(graph: Graph, vid: int, name: str) -> Variable:
    """Another thread created this variable and is still filling it: wait for its wrapper
    (or, if its initializer failed and the store dropped it, look the name up again)."""
    store = graph._store
    while True:
        variables = graph._variables
        var = variables[vid] if vid < len(variables) else None
        if var is not None:
            return var  # type: ignore[no-any-return]
        if _core.store.find(store, name) != vid:
            raise RuntimeError(f"Variable {name} was being created by another thread whose "
                               "initializer failed; call get_variable again")
        time.sleep(0)
