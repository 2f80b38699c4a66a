"""tf_keras' custom-object registry (object_registration.py): ``get_custom_objects``, the
``custom_object_scope`` / ``CustomObjectScope`` block, and the name lookup the
``deserialize`` functions use."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["CustomObjectScope", "custom_object_scope", "get_custom_objects",
           "lookup_custom_object"]

_GLOBAL_CUSTOM_OBJECTS: dict[str, Any] = {}
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
