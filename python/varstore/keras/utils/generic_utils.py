"""tf_keras' custom-object registry (object_registration.py): ``get_custom_objects``, the
``custom_object_scope`` / ``CustomObjectScope`` block, and the name lookup the
``deserialize`` functions use."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["CustomObjectScope", "custom_object_scope", "get_custom_objects",
           "get_registered_name", "get_registered_object", "lookup_custom_object",
           "register_keras_serializable"]

_GLOBAL_CUSTOM_OBJECTS: dict[str, Any] = {}
_GLOBAL_CUSTOM_NAMES: dict[Any, str] = {}
_SCOPE = threading.local()


def _scope_objects() -> dict[str, Any]:
    objs = getattr(_SCOPE, "objects", None)
    if objs is None:
        objs = _SCOPE.objects = {}
    return objs


class CustomObjectScope:
    """``with CustomObjectScope({"name": obj}):`` makes the names known to deserialization
    inside the block (this thread only, as tf_keras' thread-local scope)."""

    def __init__(self, *args: dict[str, Any] | None) -> None:
        self.custom_objects = args
        self.backup: dict[str, Any] | None = None

    def __enter__(self) -> Self:
        objs = _scope_objects()
        self.backup = dict(objs)
        for objects in self.custom_objects:
            objs.update(objects or {})
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        objs = _scope_objects()
        objs.clear()
        objs.update(self.backup or {})


custom_object_scope = CustomObjectScope


def get_custom_objects() -> dict[str, Any]:
    """The global dict of custom objects (edit it to register one)."""
    return _GLOBAL_CUSTOM_OBJECTS


def lookup_custom_object(name: str, custom_objects: dict[str, Any] | None = None) -> Any:
    """The object registered under ``name``: the scope's, then the global ones, then the
    ``custom_objects`` argument (tf_keras' order); None if unknown."""
    for objs in (_scope_objects(), _GLOBAL_CUSTOM_OBJECTS, custom_objects or {}):
        if name in objs:
            return objs[name]
    return None


def register_keras_serializable(package: str = "Custom",
                                name: str | None = None) -> Callable[[Any], Any]:
    """A decorator registering a class or function as ``"package>name"``."""

    def decorator(arg: Any) -> Any:
        registered_name = package + ">" + (name if name is not None else arg.__name__)
        if inspect.isclass(arg) and not hasattr(arg, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() "
                             "method.")
        _GLOBAL_CUSTOM_OBJECTS[registered_name] = arg
        _GLOBAL_CUSTOM_NAMES[arg] = registered_name
        return arg

    return decorator


def get_registered_name(obj: Any) -> str:
    """The name ``obj`` was registered under, else its ``__name__``."""
    if obj in _GLOBAL_CUSTOM_NAMES:
        return _GLOBAL_CUSTOM_NAMES[obj]
    return str(obj.__name__)


def get_registered_object(name: str, custom_objects: dict[str, Any] | None = None,
                          module_objects: dict[str, Any] | None = None) -> Any:
    """The object known as ``name``: the scope's, the registered ones, ``custom_objects``,
    then ``module_objects``; None if none."""
    obj = lookup_custom_object(name, custom_objects)
    if obj is None and module_objects and name in module_objects:
        obj = module_objects[name]
    return obj


def serialize_optional(module: Any, obj: Any) -> Any:
    """``module.serialize(obj)`` (an initializer, regularizer or constraint), None for None:
    how tf-keras' get_config writes an optional argument."""
    return None if obj is None else module.serialize(obj)
