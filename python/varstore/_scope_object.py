"""VariableScope (the name and the defaults get_variable applies inside it) and the
per-thread scope stack of a graph (TF's VariableScope and _VariableScopeStore)."""

from __future__ import annotations

from typing import Any

from varstore import dtypes as _dtypes
from varstore._variable_getter import _store_get_variable
from varstore._variable_ops import validate_synchronization_aggregation_trainable
from varstore._variable_store import AUTO_REUSE, _init_value_dtype, _reuse_code
from varstore.framework.graph import (
    Graph,
    GraphKeys,
    get_default_graph,
)
from varstore.partitioned_variables import get_partitioned_variable

__all__ = ["VariableScope", "get_variable_scope"]


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
        if caching_device is None:
            caching_device = d.caching_device
        if partitioner is None:
            partitioner = d.partitioner
        if custom_getter is None:
            custom_getter = d.custom_getter
        if reuse is None:
            reuse = self._reuse
        if use_resource is None:
            use_resource = d.use_resource
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
                caching_device, partitioner, synchronization, aggregation,
            )
        finally:
            state.name_stack = old_stack

    def _get_partitioned_variable(
        self, var_store: Any, name: str | None, partitioner: Any, shape: Any = None,
        dtype: Any = _dtypes.float32, initializer: Any = None, regularizer: Any = None,
        trainable: Any = None, collections: Any = None, caching_device: Any = None,
        validate_shape: bool = True, use_resource: Any = None, constraint: Any = None,
        synchronization: Any = None, aggregation: Any = None,
    ) -> Any:
        """TF's VariableScope._get_partitioned_variable (create_partitioned_variables):
        the partitioned variable ``<scope>/<name>`` (``<scope>`` for no name), with the
        scope's defaults and reuse but never its custom getter."""
        graph = var_store if isinstance(var_store, Graph) else get_default_graph()
        d = self._d
        initializer = d.initializer if initializer is None else initializer
        regularizer = d.regularizer if regularizer is None else regularizer
        constraint = d.constraint if constraint is None else constraint
        caching_device = d.caching_device if caching_device is None else caching_device
        partitioner = d.partitioner if partitioner is None else partitioner
        dtype = d.dtype if dtype is None else dtype
        use_resource = d.use_resource if use_resource is None else use_resource
        if d.custom_getter is not None:
            raise ValueError(
                "Private access to _get_partitioned_variable is not allowed when a custom "
                f"getter is set.  Current custom getter: {d.custom_getter}.  It is likely "
                "that you're using create_partitioned_variables.  If so, consider instead "
                "using get_variable with a non-empty partitioner parameter instead.")
        if partitioner is None:
            raise ValueError("No partitioner was specified")
        full_name = "/".join(n for n in (self._name, name) if n)
        state = graph._thread
        old_stack = state.name_stack
        state.name_stack = ""
        try:
            sync, agg, trainable = validate_synchronization_aggregation_trainable(
                synchronization, aggregation, trainable, full_name)
            return get_partitioned_variable(
                graph, full_name, partitioner, shape, _dtypes.as_dtype(dtype), initializer,
                regularizer, self._reuse, trainable, collections, caching_device,
                validate_shape, use_resource, constraint, sync, agg)
        finally:
            state.name_stack = old_stack

    def __repr__(self) -> str:
        return f"<varstore.VariableScope name={self._name!r} reuse={self._reuse!r}>"


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
