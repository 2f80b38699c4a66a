"""The variable_scope context manager (TF's variable_scope and _pure_variable_scope): entering
a scope by name or by object, its name scope, reuse and default inheritance, and exit order
checks. tf.variable_scope itself is the C type made in variable_scope.py over this class."""

from __future__ import annotations

import functools
from typing import Any

from varstore import _core
from varstore._scope_object import VariableScope, _current_scope, _get_unique_variable_scope
from varstore._variable_store import AUTO_REUSE
from varstore.framework.graph import (
    Graph,
    _graph_of_values,
    _pop_default,
    _push_default,
    get_default_graph,
)
from varstore.framework.graph_contexts import _GraphNameScope
from varstore.framework.name_rules import _check_scope_name, _valid_root, _valid_scope

__all__: list[str] = []


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
