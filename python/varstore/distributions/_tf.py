"""The TF ops the distributions are built from, by their TF names.

TF's distributions are Python over public ops (array_ops, math_ops, check_ops, nn ...), so
this package is written against one late-bound namespace, ``tf``: a name resolves in varstore's
top level, then ``tf.math``, ``tf.nn``, ``tf.linalg``, ``tf.random`` (its first use imports
varstore, which imports this package while it loads), and is cached."""

from __future__ import annotations

from typing import Any

__all__ = ["tf"]


class _Namespace:
    __slots__ = ("_cache",)

    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        try:
            return self._cache[name]
        except KeyError:
            pass
        import varstore
        from varstore.ops import control_flow_ops

        if name == "with_dependencies":
            value: Any = control_flow_ops.with_dependencies
        else:
            for space in (varstore, varstore.math, varstore.nn, varstore.linalg,
                          varstore.random):
                if name in getattr(space, "__all__", ()):
                    value = getattr(space, name)  # (tf.newaxis is None)
                    break
            else:
                raise AttributeError(f"varstore lacks the op {name!r} the distributions need")
        self._cache[name] = value
        return value


tf: Any = _Namespace()
