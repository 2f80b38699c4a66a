"""The attributes tf_keras hangs on tensors (``_keras_logits`` from softmax/sigmoid,
``_keras_mask``): varstore's Tensor has slots, so they live here, keyed by the tensor's id.
Both the tensor and the value are held weakly (a tensor lives as long as its graph), so an
entry never keeps a graph alive and goes with its tensor."""

from __future__ import annotations

import weakref
from typing import Any

__all__ = ["get_attr", "set_attr"]

_ATTRS: dict[tuple[int, str], tuple[weakref.ref[Any], weakref.ref[Any]]] = {}


def set_attr(tensor: Any, name: str, value: Any) -> None:
    key = (id(tensor), name)

    def _drop(_: Any, key: tuple[int, str] = key) -> None:
        _ATTRS.pop(key, None)

    _ATTRS[key] = (weakref.ref(tensor, _drop), weakref.ref(value))


def get_attr(tensor: Any, name: str) -> Any:
    """The value set on ``tensor`` (or the tensor's own attribute), else None."""
    entry = _ATTRS.get((id(tensor), name))
    if entry is not None and entry[0]() is tensor:
        return entry[1]()
    return getattr(tensor, name, None)
