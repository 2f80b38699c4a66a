"""``tf.Module`` (TF's module/module.py): a named container whose ``variables``,
``trainable_variables`` and ``submodules`` are found by walking its attributes (lists,
tuples, dicts and other modules within them), and whose ``name_scope`` is a graph name
scope taken (made unique) when the module is made, as TF 2's behaviour does in a graph."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

from varstore.framework.graph import name_scope
from varstore.util import nest
from varstore.variables import Variable

__all__ = ["Module"]

_CAMEL_TO_SNAKE = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")
_VALID_IDENTIFIER = re.compile(r"^[a-zA-Z_]([a-zA-Z0-9_])*$")


def camel_to_snake(value: str) -> str:
    return _CAMEL_TO_SNAKE.sub(r"_\1", value).lower()


class Module:
    """Base class of a model part: subclasses keep variables and other modules as
    attributes; the properties find them."""

    _TF_MODULE_IGNORED_PROPERTIES: frozenset[str] = frozenset(())

    def __init__(self, name: str | None = None) -> None:
        if name is None:
            name = camel_to_snake(type(self).__name__)
        elif not _VALID_IDENTIFIER.match(name):
            raise ValueError(f"{name!r} is not a valid module name. Module names must be valid "
                             "Python identifiers (e.g. a valid class name).")
        self._name = name
        # the scope is taken now, so two modules of one name get "m/" and "m_1/"
        with name_scope(name) as scope_name:
            self._scope_name = scope_name

    @property
    def name(self) -> str:
        return self._name

    @property
    def name_scope(self) -> Any:
        """A context manager re-entering the module's name scope."""
        return name_scope(self._scope_name)

    @property
    def variables(self) -> tuple[Any, ...]:
        return tuple(self._flatten(predicate=_is_variable, expand_composites=True))

    @property
    def trainable_variables(self) -> tuple[Any, ...]:
        return tuple(self._flatten(predicate=lambda v: _is_variable(v) and bool(
            getattr(v, "trainable", False)), expand_composites=True))

    @property
    def non_trainable_variables(self) -> tuple[Any, ...]:
        return tuple(self._flatten(predicate=lambda v: _is_variable(v) and not getattr(
            v, "trainable", False), expand_composites=True))

    @property
    def submodules(self) -> tuple[Module, ...]:
        return tuple(self._flatten(predicate=_is_module))

    def _flatten(self, recursive: bool = True, predicate: Callable[[Any], bool] | None = None,
                 attribute_traversal_key: Callable[[str], Any] | None = None,
                 with_path: bool = False, expand_composites: bool = False) -> Iterator[Any]:
        """The attributes' leaves (each once; with ``with_path``, every path to it) that
        satisfy ``predicate``, this module's before its submodules'."""
        return _flatten_module(self, recursive, predicate or (lambda _: True),
                               attribute_traversal_key, self._TF_MODULE_IGNORED_PROPERTIES,
                               with_path, expand_composites, (), None, None)

    @classmethod
    def with_name_scope(cls, method: Callable[..., Any]) -> Callable[..., Any]:
        """A method decorator: the method runs inside the module's name scope."""
        @functools.wraps(method)
        def method_with_name_scope(self: Module, *args: Any, **kwargs: Any) -> Any:
            with self.name_scope:
                return method(self, *args, **kwargs)
        return method_with_name_scope


def _is_variable(obj: Any) -> bool:
    return isinstance(obj, Variable)


def _is_module(obj: Any) -> bool:
    return isinstance(obj, Module)


def _flatten_module(module: Module, recursive: bool, predicate: Callable[[Any], bool],
                    key: Callable[[str], Any] | None, ignored: frozenset[str], with_path: bool,
                    expand_composites: bool, module_path: tuple[Any, ...],
                    seen: set[int] | None, stack: list[int] | None) -> Iterator[Any]:
    # TF's _flatten_module: attributes in sorted order, a module already on the walk's stack
    # not descended into again
    module_id = id(module)
    if seen is None:
        seen = {module_id}
    if stack is None:
        stack = []
    if module_id in stack:
        recursive = False
    submodules = []
    attrs = vars(module)
    for name in sorted(attrs, key=key):
        if name in ignored:
            continue
        prop = attrs[name]
        try:
            leaves = nest.flatten_with_tuple_paths(prop, expand_composites=expand_composites)
        except Exception as cause:
            raise ValueError(f"Error processing property {name!r} of {prop!r}") from cause
        for leaf_path, leaf in leaves:
            path = (name, *leaf_path)
            if not with_path:
                if id(leaf) in seen:
                    continue
                seen.add(id(leaf))
            if predicate(leaf):
                yield (module_path + path, leaf) if with_path else leaf
            if recursive and _is_module(leaf):
                submodules.append((module_path + path, leaf))
    stack.append(module_id)
    for sub_path, sub in submodules:
        yield from _flatten_module(sub, recursive, predicate, key,
                                   sub._TF_MODULE_IGNORED_PROPERTIES, with_path,
                                   expand_composites, sub_path, seen, stack)
    stack.pop()
