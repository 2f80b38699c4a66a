"""``tf.version``: TF's version constants (see varstore.framework.versions)."""

from __future__ import annotations

from varstore.framework.versions import (
    GIT_VERSION,
    GRAPH_DEF_VERSION,
    GRAPH_DEF_VERSION_MIN_CONSUMER,
    GRAPH_DEF_VERSION_MIN_PRODUCER,
    VERSION,
)

__all__ = ["GIT_VERSION", "GRAPH_DEF_VERSION", "GRAPH_DEF_VERSION_MIN_CONSUMER",
           "GRAPH_DEF_VERSION_MIN_PRODUCER", "VERSION"]


def __getattr__(name: str) -> object:
    """A tf.version symbol varstore does not implement (TF's compiler and ABI facts)."""
    raise AttributeError(f"module 'varstore.version' has no attribute {name!r}: varstore "
                         f"lacks tf.version.{name}")

# (the __future__ import binds ``annotations`` here; TF's namespace has no such symbol)
del annotations
