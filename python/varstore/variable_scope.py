"""variable_scope, get_variable and friends: TF1's variable-sharing rules.

Each rule of TF's variable_scope.py is written once here: scope naming and reuse inheritance
in ``variable_scope`` / ``_enter_pure_scope``, the get-or-create checks in the C++ store
(one call), initial values in ``_initialize``. Scope state is per thread and per graph.
"""

from __future__ import annotations

import contextlib
import enum
import functools
import inspect
import time
import weakref
from collections.abc import Iterator
from typing import Any, Callable

from varstore import _core
from varstore import dtypes as _dtypes
from varstore.framework.constant_op import natural
from varstore.framework.graph import (
    Graph,
    GraphKeys,
    _graph_of_values,
    _GraphNameScope,
    _pop_default,
    _push_default,
    get_default_graph,
)
from varstore.framework.name_rules import _check_scope_name, _valid_root, _valid_scope
from varstore.framework.ops import Tensor
from varstore.framework.tensor_shape import TensorShape
from varstore.ops import state_ops
from varstore.variables import Variable, collection_bits, make_variable_ops

__all__ = [
    "AUTO_REUSE",
    "VariableScope",
    "get_variable",
    "get_variable_scope",
    "variable_scope",
]


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


class _ScopeDefaults:
    """The defaults a variable scope gives get_variable; shared by a scope and its children
    until one of them changes a default (then it gets its own copy)."""

    __slots__ = ("caching_device", "constraint", "custom_getter", "dtype", "initializer",
                 "partitioner", "regularizer", "use_resource")

    def __init__(self, initializer: Any = None, regularizer: Any = None,
                 caching_device: Any = None, partitioner: Any = None,
                 custom_getter: Any = None, dtype: Any = _dtypes.float32,
                 use_resource: Any = None, constraint: Any = None) -> None:
        self.initializer = initializer
        self.regularizer = regularizer
        self.caching_device = caching_device
        self.partitioner = partitioner
        self.custom_getter = custom_getter
        self.dtype = dtype
        self.use_resource = use_resource
        self.constraint = constraint

    def replace(self, field: str, value: Any) -> _ScopeDefaults:
        copy = _ScopeDefaults(self.initializer, self.regularizer, self.caching_device,
                              self.partitioner, self.custom_getter, self.dtype,
                              self.use_resource, self.constraint)
        setattr(copy, field, value)
        return copy


# The root scope's defaults. A scope whose defaults are these takes get_variable's fast path.
_PLAIN = _ScopeDefaults()


class VariableScope:
    """A variable scope: its name and the defaults that get_variable applies inside it."""

    # _prefix ("name/" or "") and _rc (the store's reuse code) are derived from _name and
    # _reuse once, for get_variable's fast path.
    __slots__ = ("_d", "_name", "_name_scope", "_prefix", "_rc", "_reuse")

    def __init__(
        self,
        reuse: Any,
        name: str = "",
        initializer: Any = None,
        regularizer: Any = None,
        caching_device: Any = None,
        partitioner: Any = None,
        custom_getter: Any = None,
        name_scope: str = "",
        dtype: Any = _dtypes.float32,
        use_resource: Any = None,
        constraint: Any = None,
    ) -> None:
        self._name = name
        self._prefix = name + "/" if name else ""
        self._reuse = reuse
        self._rc = _reuse_code(reuse)
        self._name_scope = name_scope
        if (initializer is None and regularizer is None and caching_device is None
                and partitioner is None and custom_getter is None and use_resource is None
                and constraint is None and dtype is _dtypes.float32):
            self._d = _PLAIN
        else:
            self._d = _ScopeDefaults(initializer, regularizer, caching_device, partitioner,
                                     custom_getter, dtype, use_resource, constraint)

    @classmethod
    def _make(cls, reuse: Any, name: str, name_scope: str, defaults: _ScopeDefaults
              ) -> VariableScope:
        scope = cls.__new__(cls)
        scope._reuse = reuse
        scope._rc = 1 if reuse is True else (2 if reuse is AUTO_REUSE else 0)
        scope._name = name
        scope._prefix = name + "/" if name else ""
        scope._name_scope = name_scope
        scope._d = defaults
        return scope

    @property
    def name(self) -> str:
        return self._name

    @property
    def original_name_scope(self) -> str:
        return self._name_scope

    @property
    def reuse(self) -> Any:
        return self._reuse

    @property
    def initializer(self) -> Any:
        return self._d.initializer

    @property
    def dtype(self) -> Any:
        return self._d.dtype

    @property
    def use_resource(self) -> Any:
        return self._d.use_resource

    @property
    def regularizer(self) -> Any:
        return self._d.regularizer

    @property
    def caching_device(self) -> Any:
        return self._d.caching_device

    @property
    def partitioner(self) -> Any:
        return self._d.partitioner

    @property
    def custom_getter(self) -> Any:
        return self._d.custom_getter

    @property
    def constraint(self) -> Any:
        return self._d.constraint

    def reuse_variables(self) -> None:
        """Reuse variables in this scope from now on."""
        self._reuse = True
        self._rc = 1

    def set_initializer(self, initializer: Any) -> None:
        self._d = self._d.replace("initializer", initializer)

    def set_dtype(self, dtype: Any) -> None:
        self._d = self._d.replace("dtype", dtype)

    def set_use_resource(self, use_resource: Any) -> None:
        self._d = self._d.replace("use_resource", use_resource)

    def set_regularizer(self, regularizer: Any) -> None:
        self._d = self._d.replace("regularizer", regularizer)

    def set_caching_device(self, caching_device: Any) -> None:
        self._d = self._d.replace("caching_device", caching_device)

    def set_partitioner(self, partitioner: Any) -> None:
        self._d = self._d.replace("partitioner", partitioner)

    def set_custom_getter(self, custom_getter: Any) -> None:
        self._d = self._d.replace("custom_getter", custom_getter)

    def get_collection(self, name: Any) -> list[Any]:
        scope = self._name + "/" if self._name else ""
        return get_default_graph().get_collection(name, scope)

    def trainable_variables(self) -> list[Any]:
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def global_variables(self) -> list[Any]:
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def local_variables(self) -> list[Any]:
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def get_variable(
        self,
        var_store: Any,
        name: str,
        shape: Any = None,
        dtype: Any = None,
        initializer: Any = None,
        regularizer: Any = None,
        reuse: Any = None,
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
        """Gets an existing variable with these parameters or creates a new one."""
        graph = var_store if isinstance(var_store, Graph) else get_default_graph()
        d = self._d
        if regularizer is None:
            regularizer = d.regularizer
        if custom_getter is None:
            custom_getter = d.custom_getter
        if reuse is None:
            reuse = self._reuse
        if not isinstance(name, str):
            if name is None and self._name:
                raise TypeError('can only concatenate str (not "NoneType") to str')
            raise TypeError(f"expected string or bytes-like object, got '{type(name).__name__}'")
        full_name = self._name + "/" + name if self._name else name
        # Variable names depend on the variable scope only: ops made while creating the
        # variable (initializers, custom getters) land at the root name scope.
        state = graph._thread
        old_stack = state.name_stack
        state.name_stack = ""
        try:
            if dtype is not None and initializer is not None and not callable(initializer):
                init_dtype = _init_value_dtype(initializer)
                explicit = _dtypes.as_dtype(dtype)
                if init_dtype != explicit:
                    raise ValueError(
                        f"Initializer type '{init_dtype}' and explicit dtype '{explicit}' "
                        "don't match."
                    )
            if initializer is None:
                initializer = d.initializer
            if constraint is None:
                constraint = d.constraint
            if dtype is None:
                dtype = d.dtype
            return _store_get_variable(
                graph, full_name, shape, dtype, initializer, regularizer, reuse, trainable,
                collections, validate_shape, custom_getter, constraint, use_resource,
                caching_device,
            )
        finally:
            state.name_stack = old_stack

    def __repr__(self) -> str:
        return f"<varstore.VariableScope name={self._name!r} reuse={self._reuse!r}>"


def _init_value_dtype(initializer: Any) -> _dtypes.DType:
    if isinstance(initializer, (Tensor, Variable)):
        return initializer.dtype
    return natural(initializer)[1]


# -- the store step of get_variable (TF's _VariableStore.get_variable) ----------------------
def _store_get_variable(
    graph: Graph,
    name: str,
    shape: Any,
    dtype: Any,
    initializer: Any,
    regularizer: Any,
    reuse: Any,
    trainable: Any,
    collections: Any,
    validate_shape: bool,
    custom_getter: Any,
    constraint: Any,
    use_resource: Any = None,
    caching_device: Any = None,
) -> Any:
    if custom_getter is not None and not callable(custom_getter):
        raise ValueError(f"Passed a custom_getter which is not callable: {custom_getter}")
    if trainable is None:
        trainable = True

    def true_getter(
        name: str,
        shape: Any = None,
        dtype: Any = _dtypes.float32,
        initializer: Any = None,
        regularizer: Any = None,
        reuse: Any = None,
        trainable: Any = None,
        collections: Any = None,
        caching_device: Any = None,
        partitioner: Any = None,
        validate_shape: bool = True,
        use_resource: Any = None,
        constraint: Any = None,
        synchronization: Any = None,
        aggregation: Any = None,
    ) -> Variable:
        return _get_single_variable(graph, name, shape, dtype, initializer, regularizer, reuse,
                                    trainable, collections, constraint, validate_shape,
                                    use_resource, caching_device)

    if custom_getter is None:
        return _get_single_variable(graph, name, shape, dtype, initializer, regularizer, reuse,
                                    trainable, collections, constraint, validate_shape,
                                    use_resource, caching_device)
    kwargs: dict[str, Any] = {
        "getter": true_getter,
        "name": name,
        "shape": shape,
        "dtype": dtype,
        "initializer": initializer,
        "regularizer": regularizer,
        "reuse": reuse,
        "trainable": trainable,
        "collections": collections,
        "caching_device": None,
        "partitioner": None,
        "validate_shape": validate_shape,
        "use_resource": None,
        "synchronization": None,
        "aggregation": None,
    }
    if _accepts(custom_getter, "constraint"):
        kwargs["constraint"] = constraint
    return custom_getter(**kwargs)


_ACCEPTS: dict[tuple[Any, str], bool] = {}


def _accepts(fn: Callable[..., Any], arg: str) -> bool:
    # inspect.signature costs ~100 us: remember the answer per function (or per class, for
    # an initializer object's __call__).
    key_fn = type(fn).__call__ if not inspect.isfunction(fn) and not inspect.ismethod(fn) \
        and callable(type(fn)) and not inspect.isclass(fn) else fn
    key = (key_fn, arg)
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
    ok = arg in params or any(p.kind is p.VAR_KEYWORD for p in params.values())
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
    dims = TensorShape(shape).dims
    return None if dims is None else tuple(dims)


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
) -> Variable:
    from_value = initializer is not None and not callable(initializer)
    if shape is not None and from_value:
        raise ValueError("If initializer is a constant, do not specify shape.")
    dt = _dtypes.as_dtype(dtype)
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
        with _absolute_name_scope(graph, name + "/Initializer"):  # TF's scope for it
            initializer = initializer()
        from_value = True
    if from_value:
        # Looked up first: an existing variable is returned without converting anything.
        vid = _core.store.find(store, name)
        if vid < 0:
            if isinstance(initializer, (Tensor, Variable)):
                value = initializer
                init_dims = initializer.shape.dims
                if dims is not None and None in dims and validate_shape:
                    raise ValueError(f"initial_value must have a shape specified: "
                                     f"{initializer}")
                dims = tuple(0 if d is None else d for d in init_dims) \
                    if init_dims is not None else ()
                dt = initializer.dtype
            else:
                value, dt = natural(initializer)
                dims = tuple(value.shape)
    elif initializer is None:
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

    code = _get_or_create(store, name, dims, dt._code, _reuse_code(reuse), bool(trainable),
                          collection_bits(collections), fill, fill_value)
    vid = code >> 1
    if not code & 1:
        variables = graph._variables
        found = variables[vid] if vid < len(variables) else None
        return found if found is not None else _wait_for_wrapper(graph, vid, name)
    var = _finish_create(graph, vid, name, dt, initializer, value, collections, constraint,
                         bool(fill), use_resource, validate_shape, caching_device)
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


def _initial_value_fn(name: str, shape: list[int], dtype: _dtypes.DType, initializer: Any
                      ) -> Any:
    """TF's init_val: a callable building the initial value from the initializer (the
    scope's, or glorot_uniform for floats and zeros otherwise)."""
    if initializer is None:
        from varstore.ops import init_ops

        initializer = (init_ops.glorot_uniform_initializer() if dtype.is_floating
                       else init_ops.zeros_initializer())
    elif inspect.isclass(initializer):
        initializer = initializer()
    if _accepts(initializer, "partition_info"):
        return lambda: initializer(shape, dtype=dtype, partition_info=None)
    return lambda: initializer(shape, dtype=dtype)


# -- the scope stack ------------------------------------------------------------------------
def _current_scope(graph: Graph) -> VariableScope:
    state = graph._thread
    scope = state.var_scope
    if scope is None:
        scope = VariableScope(False)
        state.var_scope = scope
    return scope  # type: ignore[no-any-return]


def get_variable_scope() -> VariableScope:
    """The current variable scope (of this thread, in the default graph)."""
    return _current_scope(get_default_graph())


def _get_unique_variable_scope(graph: Graph, prefix: str) -> str:
    current = _current_scope(graph).name
    name = current + "/" + prefix if current else prefix
    counters = graph._thread.counters
    if counters.count(name) == 0:
        return prefix
    idx = 1
    while counters.count(f"{name}_{idx}") > 0:
        idx += 1
    return f"{prefix}_{idx}"


def _wrap_custom_getter(custom_getter: Any, old_getter: Any) -> Any:
    if old_getter is None:
        return custom_getter

    def wrapped_custom_getter(getter: Any, *args: Any, **kwargs: Any) -> Any:
        return custom_getter(functools.partial(old_getter, getter), *args, **kwargs)

    return wrapped_custom_getter


_open_scope = _core.store.open_scope
_enter_scope = _core.store.enter_scope
_close_subscopes = _core.store.close_subscopes


def _apply_overrides(scope: VariableScope, o: dict[str, Any] | None,
                     old_getter: Any) -> None:
    if o is None:
        return
    if o.get("constraint") is not None:
        scope._d = scope._d.replace("constraint", o["constraint"])
    for field in ("initializer", "regularizer", "caching_device", "partitioner", "dtype",
                  "use_resource"):
        if o.get(field) is not None:
            scope._d = scope._d.replace(field, o[field])
    if o.get("custom_getter") is not None:
        scope._d = scope._d.replace("custom_getter",
                                    _wrap_custom_getter(o["custom_getter"], old_getter))


class _PureScope:
    """TF's _pure_variable_scope: switches the current VariableScope and its counters."""

    __slots__ = ("_graph", "_journal", "_name_or_scope", "_new", "_old", "_old_name_scope",
                 "_overrides", "_reuse", "_scope", "_state")

    def __init__(self, graph: Graph, name_or_scope: Any, reuse: Any, old_name_scope: Any,
                 overrides: dict[str, Any] | None) -> None:
        self._graph = graph
        self._name_or_scope = name_or_scope
        self._reuse = reuse
        self._old_name_scope = old_name_scope
        self._overrides = overrides
        self._journal = -1

    def enter(self) -> VariableScope:
        graph = self._graph
        state = graph._thread
        self._state = state
        old = state.var_scope
        if old is None:
            old = _current_scope(graph)
        self._old = old
        src = self._name_or_scope
        reuse = self._reuse
        if isinstance(src, VariableScope):
            new_name = src._name
            # A copy: reuse_variables() inside does not change the object entered.
            scope = VariableScope._make(reuse if reuse else src._reuse, new_name,
                                        src._name_scope, src._d)
            if src._d.constraint is not None:
                # TF copies every default but the constraint, which comes from the arguments.
                scope._d = scope._d.replace("constraint", None)
            _apply_overrides(scope, self._overrides, src._d.custom_getter)
            _open_scope(state.counters, new_name)
            # TF snapshots every counter here and restores them on exit.
            self._journal = state.counters.begin_journal()
        else:
            new_name = old._name + "/" + src if old._name else src
            name_scope = self._old_name_scope
            scope = VariableScope._make(reuse or old._reuse, new_name,
                                        src if name_scope is None else name_scope, old._d)
            if old._d.constraint is not None:
                scope._d = scope._d.replace("constraint", None)
            _apply_overrides(scope, self._overrides, old._d.custom_getter)
            _open_scope(state.counters, new_name)
        self._new = new_name
        self._scope = scope
        state.var_scope = scope
        return scope

    def exit(self) -> None:
        # Raises (and changes nothing) while this scope is not the current one, every time it
        # is called, as TF's _pure_variable_scope.__exit__ does: a misordered exit can be
        # retried once the inner scope is closed. ``depth`` (the open variable_scope graph
        # contexts) is _variable_scope's business: TF pops those even when this raises.
        state = self._state
        if state.var_scope is not self._scope:
            raise RuntimeError("Improper nesting of variable_scope.")
        if self._journal >= 0:
            state.counters.rollback(self._journal)
            self._journal = -1
        else:
            _close_subscopes(state.counters, self._new)
        state.var_scope = self._old


class _variable_scope:
    """A context manager for defining ops that create variables (layers), as TF1's."""

    __slots__ = ("_auxiliary_name_scope", "_default_name", "_fast", "_graph", "_name_cm",
                 "_name_or_scope", "_open", "_overrides", "_pure", "_pushed", "_reuse")

    def __init__(
        self,
        name_or_scope: Any,
        default_name: str | None = None,
        values: Any = None,
        initializer: Any = None,
        regularizer: Any = None,
        caching_device: Any = None,
        partitioner: Any = None,
        custom_getter: Any = None,
        reuse: Any = None,
        dtype: Any = None,
        use_resource: Any = None,
        constraint: Any = None,
        auxiliary_name_scope: bool = True,
    ) -> None:
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        if default_name is None and name_or_scope is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if reuse is False:
            reuse = None  # scopes always inherit; False means "inherit"
        elif not (reuse is True or reuse is None or reuse is AUTO_REUSE):
            raise ValueError("The reuse parameter must be True or False or None.")
        self._reuse = reuse
        if auxiliary_name_scope is not True and auxiliary_name_scope is not False:
            raise TypeError(
                "The auxiliary_name_scope must be `True` or `False`, while get "
                f"{auxiliary_name_scope}"
            )
        self._auxiliary_name_scope = auxiliary_name_scope
        if (initializer is None and regularizer is None and caching_device is None
                and partitioner is None and custom_getter is None and dtype is None
                and use_resource is None and constraint is None):
            self._overrides: dict[str, Any] | None = None
        else:
            if custom_getter is not None and not callable(custom_getter):
                raise ValueError(
                    f"Passed a custom_getter which is not callable: {custom_getter}")
            self._overrides = {
                "initializer": initializer,
                "regularizer": regularizer,
                "caching_device": caching_device,
                "partitioner": partitioner,
                "custom_getter": custom_getter,
                "dtype": dtype,
                "use_resource": use_resource,
                "constraint": constraint,
            }
        self._graph = _graph_of_values(values) if values else get_default_graph()
        self._name_cm: Any = None
        self._pure: _PureScope | None = None
        self._pushed = False
        self._fast: Any = None
        self._open = False  # entered, and the name scope / graph part not yet exited

    def __enter__(self) -> VariableScope:
        graph = self._graph
        if graph is not get_default_graph():
            _push_default(graph)
            self._pushed = True
        name = self._name_or_scope
        if (type(name) is str and name and name[-1] != "/" and self._overrides is None
                and self._auxiliary_name_scope):
            # Fast path for the common variable_scope("name"): TF's steps, inlined.
            try:
                state = graph._tls.state
            except AttributeError:
                state = graph._thread
            old = state.var_scope
            if old is None:
                old = _current_scope(graph)
            if old._d.constraint is None:
                old_stack = state.name_stack
                if (_valid_scope if old_stack else _valid_root).get(name) is not True:
                    try:
                        _check_scope_name(name, bool(old_stack))
                    except BaseException:
                        self._unwind()
                        raise
                new_name = old._prefix + name
                stack = _enter_scope(graph._store, state.counters, old_stack, name, new_name)
                scope = VariableScope._make(self._reuse or old._reuse, new_name, stack + "/",
                                            old._d)
                state.name_stack = stack
                state.var_scope = scope
                state.depth += 1
                self._fast = (state, old_stack, old, scope, new_name)
                self._open = True
                return scope
        try:
            return self._enter(graph)
        except BaseException:
            self._unwind()
            raise

    def _enter(self, graph: Graph) -> VariableScope:
        name_or_scope = self._name_or_scope
        name_cm: Any = None
        if not self._auxiliary_name_scope:
            current = graph.get_name_scope()
            name_cm = _GraphNameScope(graph, current + "/" if current else "")
        if name_or_scope is not None:
            if type(name_or_scope) is str:
                scope_name = name_or_scope
            elif isinstance(name_or_scope, VariableScope):
                scope_name = name_or_scope.name.split("/")[-1]
            elif isinstance(name_or_scope, str):
                scope_name = str(name_or_scope)
            else:
                raise TypeError("VariableScope: name_or_scope must be a string or "
                                "VariableScope.")
            old_name_scope: Any = None
            if scope_name or name_cm is not None:
                if name_cm is None:
                    name_cm = _GraphNameScope(graph, scope_name)
                entered = name_cm.__enter__()
                self._name_cm = name_cm
                if isinstance(name_or_scope, VariableScope):
                    old_name_scope = name_or_scope.original_name_scope
                else:
                    old_name_scope = entered
            pure = _PureScope(graph, name_or_scope, self._reuse, old_name_scope,
                              self._overrides)
        else:
            if self._reuse:
                raise ValueError("reuse=True cannot be used without a name_or_scope")
            if name_cm is None:
                name_cm = _GraphNameScope(graph, self._default_name)
            entered = name_cm.__enter__()
            self._name_cm = name_cm
            assert self._default_name is not None
            unique = _get_unique_variable_scope(graph, self._default_name)
            pure = _PureScope(graph, unique, None, entered, self._overrides)
        scope = pure.enter()
        self._pure = pure
        pure._state.depth += 1
        self._open = True
        return scope

    def _unwind(self) -> None:
        try:
            if self._name_cm is not None:
                cm, self._name_cm = self._name_cm, None
                cm.__exit__(None, None, None)
        finally:
            if self._pushed:
                self._pushed = False
                _pop_default()

    def __exit__(self, *exc: object) -> None:
        # TF's variable_scope.__exit__: the variable-scope part raises "Improper nesting" (and
        # keeps its state, so it can be exited properly later) whenever this scope is not the
        # current one; the name scope and graph-context parts are exited anyway, once. So a
        # misordered exit leaves the thread's stacks consistent, and reset_default_graph()
        # works as soon as every variable_scope context has been exited (issue 14).
        fast = self._fast
        if fast is not None:
            state, old_stack, old, scope, new_name = fast
            try:
                if state.var_scope is not scope:
                    raise RuntimeError("Improper nesting of variable_scope.")
                _close_subscopes(state.counters, new_name)
                state.var_scope = old
            finally:
                if self._open:
                    self._open = False
                    state.name_stack = old_stack
                    state.depth -= 1
                    if self._pushed:
                        self._pushed = False
                        _pop_default()
            return
        pure = self._pure
        try:
            if pure is not None:
                pure.exit()
        finally:
            if self._open:
                self._open = False
                if pure is not None:
                    pure._state.depth -= 1
                self._unwind()


_get_or_create = _core.store.get_or_create
_GLOBAL_AND_TRAINABLE = 3  # the store's collection bits for the default collections


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
    )


_DEFAULT_COLLECTIONS = (GraphKeys.GLOBAL_VARIABLES, GraphKeys.TRAINABLE_VARIABLES)


def _finish_create(graph: Graph, vid: int, name: str, dtype: _dtypes.DType,
                   initializer: Any, value: Any, collections: Any, constraint: Any,
                   filled: bool = False, use_resource: Any = None,
                   validate_shape: bool = True, caching_device: Any = None) -> Variable:
    """Builds the graph nodes of a variable the store has just created and publishes its
    Python wrapper; on any failure the store forgets the variable again, so a failed call
    adds no variable. ``value`` is an initial value given instead of an initializer;
    ``filled``: the store filled it with the initializer's constant already."""
    store = graph._store
    try:
        shape = list(store.shape(vid))
        var_shape = None if isinstance(value, (Tensor, Variable)) and value.shape.dims is None \
            else tuple(shape)
        if isinstance(value, (Tensor, Variable)) and value.shape.dims is not None:
            var_shape = tuple(value.shape.dims)
        init: Any = value if value is not None else _initial_value_fn(name, shape, dtype,
                                                                      initializer)
        if isinstance(value, Variable):
            init = value._as_tensor()
        # The nodes take the variable's graph name (TF uniquifies it against ops: "p_1").
        make_variable_ops(graph, vid, str(store.graph_name(vid)), dtype, var_shape, init,
                          use_resource, validate_shape)
    except BaseException:
        graph._var_ops.pop(vid, None)
        store.discard_last(vid)
        raise
    if filled:
        state_ops.set_initial(graph, vid, store.array(vid))
    var = _publish(graph, vid, collections, constraint, None, build=False)
    if caching_device is not None:
        graph._var_ops[vid].caching_device = caching_device
    return var


def _publish(graph: Graph, vid: int, collections: Any, constraint: Any,
             initializer: Any = None, build: bool = True) -> Variable:
    """Makes the Python wrapper of a new variable and adds it to its collections; for a
    create of get_variable's C path (``build``), first its graph nodes (the store has
    filled its value with the initializer's constant)."""
    if build:
        store = graph._store
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
