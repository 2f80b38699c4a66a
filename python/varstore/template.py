"""make_template: wrap a function so that every call shares the variables of the first."""

from __future__ import annotations

import functools
import traceback
from typing import Any, Callable

from varstore._scope_context import _PureScope
from varstore._scope_object import VariableScope, _get_unique_variable_scope
from varstore.framework.graph import GraphKeys, get_default_graph
from varstore.variable_scope import variable_scope

__all__ = ["Template", "make_template"]

_ORIGIN = "\n\noriginally defined at:\n"


class Template:
    """A function whose variables are created on the first call and reused afterwards."""

    def __init__(self, name: str, func: Callable[..., Any], create_scope_now: bool = False,
                 unique_name: str | None = None, custom_getter: Any = None) -> None:
        if name is None:
            raise ValueError("name cannot be None.")
        self._func = func
        self._stacktrace = traceback.format_stack()[:-2]
        self._name = name
        self._unique_name = unique_name
        self._custom_getter = custom_getter
        self._variable_scope: VariableScope | None = None
        if create_scope_now:
            graph = get_default_graph()
            scope_name = unique_name or _get_unique_variable_scope(graph, name)
            pure = _PureScope(graph, scope_name, None, None,
                              {"custom_getter": custom_getter})
            self._variable_scope = pure.enter()
            pure.exit()
        self._variables_created = False
        self._first_call = True

    def _call_func(self, args: Any, kwargs: Any) -> Any:
        try:
            return self._call_func_inner(args, kwargs)
        except Exception as exc:
            # TF appends where the template was made to every error that escapes a call.
            if exc.args and isinstance(exc.args[0], str) and _ORIGIN not in exc.args[0]:
                exc.args = (exc.args[0] + _ORIGIN + "".join(self._stacktrace), *exc.args[1:])
            raise

    def _call_func_inner(self, args: Any, kwargs: Any) -> Any:
        graph = get_default_graph()
        if self._variables_created:
            trainable_at_start = len(graph.get_collection(GraphKeys.TRAINABLE_VARIABLES))
            result = self._func(*args, **kwargs)
            trainable = graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
            if trainable_at_start != len(trainable):
                raise ValueError(
                    "Trainable variable created when calling a template after the first "
                    "time, perhaps you used tf.Variable when you meant tf.get_variable: "
                    f"{trainable[trainable_at_start:]}"
                )
        elif self._first_call:
            # As TF: a first call that fails (say, on a bad argument) leaves the template
            # as it was, so the next call is still the first.
            self._first_call = False
            try:
                result = self._func(*args, **kwargs)
            except BaseException:
                self._first_call = True
                raise
            self._variables_created = True
        else:  # another thread's first call is under way (TF's parallel-call branch)
            result = self._func(*args, **kwargs)
        return result

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._variable_scope is not None:
            with variable_scope(self._variable_scope, reuse=not self._first_call):
                return self._call_func(args, kwargs)
        with variable_scope(self._unique_name, self._name,
                            custom_getter=self._custom_getter) as vs:
            self._variable_scope = vs
            return self._call_func(args, kwargs)

    @property
    def name(self) -> str:
        return self._name

    @property
    def func(self) -> Callable[..., Any]:
        return self._func

    @property
    def variable_scope(self) -> VariableScope | None:
        return self._variable_scope

    @property
    def variable_scope_name(self) -> str | None:
        if self._variable_scope is None:
            return None
        name = self._variable_scope.name
        return name if not name or name[-1] == "/" else name + "/"

    @property
    def variables(self) -> list[Any]:
        return self.global_variables + self.local_variables

    @property
    def trainable_variables(self) -> list[Any]:
        return self._collection(GraphKeys.TRAINABLE_VARIABLES)

    @property
    def non_trainable_variables(self) -> list[Any]:
        trainable = set(map(id, self.trainable_variables))
        return [v for v in self.global_variables if id(v) not in trainable]

    @property
    def global_variables(self) -> list[Any]:
        return self._collection(GraphKeys.GLOBAL_VARIABLES)

    @property
    def local_variables(self) -> list[Any]:
        return self._collection(GraphKeys.LOCAL_VARIABLES)

    def _collection(self, key: str) -> list[Any]:
        if not self._variables_created or self.variable_scope_name is None:
            return []
        return get_default_graph().get_collection(key, self.variable_scope_name)


def make_template(name_: str, func_: Callable[..., Any], create_scope_now_: bool = False,
                  unique_name_: str | None = None, custom_getter_: Any = None,
                  **kwargs: Any) -> Template:
    """Given an arbitrary function, wrap it so that it does variable sharing."""
    if kwargs:
        func_ = functools.partial(func_, **kwargs)
    return Template(name_, func_, create_scope_now=create_scope_now_,
                    unique_name=unique_name_, custom_getter=custom_getter_)


