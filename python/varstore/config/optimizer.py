"""``tf.config.optimizer``: XLA and Grappler settings, recorded and read back (varstore
executes graphs as built, with neither)."""

from __future__ import annotations

from varstore.config._runtime import (
    get_experimental_options,
    get_jit,
    set_experimental_options,
    set_jit,
)

__all__ = ["get_experimental_options", "get_jit", "set_experimental_options", "set_jit"]
