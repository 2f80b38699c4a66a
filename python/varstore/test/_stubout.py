"""``tf.test.StubOutForTesting`` (TF's platform/googletest.py): replace attributes of
modules, classes or objects for a test and put them back afterwards."""

from __future__ import annotations

import inspect
from types import TracebackType
from typing import Any

__all__ = ["StubOutForTesting"]


class StubOutForTesting:
    """``Set`` / ``SmartSet`` an attribute; ``UnsetAll`` / ``SmartUnsetAll`` (or leaving the
    ``with`` block, or ``CleanUp``) restores every one, the last set first."""

    def __init__(self) -> None:
        self.cache: list[tuple[Any, Any, str]] = []
        self.stubs: list[tuple[Any, str, Any]] = []

    def __del__(self) -> None:
        self.CleanUp()

    def __enter__(self) -> StubOutForTesting:  # noqa: PYI034 - not subclassed
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.CleanUp()

    def CleanUp(self) -> None:
        self.SmartUnsetAll()
        self.UnsetAll()

    def SmartSet(self, obj: Any, attr_name: str, new_attr: Any) -> None:
        """Replaces ``obj.attr_name``, found on the object itself or (for an inherited
        attribute) on the class in its MRO that defines it, so undoing restores that one."""
        obj = inspect.unwrap(obj) if callable(obj) and not inspect.isclass(obj) else obj
        if inspect.ismodule(obj) or (not inspect.isclass(obj) and attr_name in vars(obj)):
            orig_obj, orig_attr = obj, getattr(obj, attr_name)
        else:
            mro = list(inspect.getmro(obj if inspect.isclass(obj) else type(obj)))
            mro.reverse()
            orig_obj, orig_attr, found = None, None, False
            # the last class in reversed MRO order that has it: the nearest definition
            for cls in mro:
                try:
                    orig_attr = getattr(obj, attr_name)
                except AttributeError:
                    continue
                orig_obj, found = cls, True
            if not found:
                raise AttributeError("Attribute not found.")
        old = vars(obj).get(attr_name) if hasattr(obj, "__dict__") else None
        if old is not None and isinstance(old, staticmethod):
            orig_attr = staticmethod(orig_attr)
        self.stubs.append((orig_obj, attr_name, orig_attr))
        setattr(orig_obj, attr_name, new_attr)

    def SmartUnsetAll(self) -> None:
        for obj, name, value in reversed(self.stubs):
            setattr(obj, name, value)
        self.stubs = []

    def Set(self, parent: Any, child_name: str, new_child: Any) -> None:
        old_child = getattr(parent, child_name)
        old = vars(parent).get(child_name) if hasattr(parent, "__dict__") else None
        if old is not None and isinstance(old, staticmethod):
            old_child = staticmethod(old_child)
        self.cache.append((parent, old_child, child_name))
        setattr(parent, child_name, new_child)

    def UnsetAll(self) -> None:
        for parent, old_child, child_name in reversed(self.cache):
            setattr(parent, child_name, old_child)
        self.cache = []
