"""Slot variables of the optimizers (TF's training/slot_creator.py).

A slot of ``var`` for optimizer ``Adam`` is ``get_variable("")`` inside
``variable_scope(None, default_name="<var>/Adam")``: the default name is made unique, so
the second slot is ``<var>/Adam_1``, as TF names them (and as TF1 checkpoints store them).
The slot is a resource variable exactly when its primary is one.
"""

from __future__ import annotations

import contextlib
from typing import Any

from varstore import variable_scope as vs
from varstore.framework.tensor_shape import as_shape
from varstore.ops import init_ops

__all__ = ["create_slot", "create_slot_with_initializer", "create_zeros_slot"]


def _use_resource(primary: Any) -> Any:
    # A variable's slots are of its kind; a tensor's take the default kind.
    is_ref = getattr(primary, "_is_ref", None)
    return None if is_ref is None else not is_ref


def create_slot(primary: Any, val: Any, name: str) -> Any:
    """A slot of ``primary`` initialised from the tensor ``val``."""
    prefix = primary.op.name
    # TF makes slots colocated with their primary (so on its device)
    with vs.variable_scope(None, default_name=prefix + "/" + name), \
            primary.graph.colocate_with(primary):
        return vs.get_variable("", initializer=val, trainable=False,
                               use_resource=_use_resource(primary),
                               validate_shape=val.get_shape().is_fully_defined())


def create_slot_with_initializer(primary: Any, initializer: Any, shape: Any, dtype: Any,
                                 name: str, colocate_with_primary: bool = True) -> Any:
    """A non-trainable slot of ``primary`` named ``<primary>/<name>`` (made unique); on
    primary's device unless ``colocate_with_primary`` is False (then the current one)."""
    shape_t = as_shape(shape)
    prefix = primary.op.name
    with vs.variable_scope(None, default_name=prefix + "/" + name), \
            primary.graph.colocate_with(primary) if colocate_with_primary \
            else contextlib.nullcontext():
        scope = vs.get_variable_scope()
        saved = scope.partitioner
        # Slots are never partitioned, whatever the enclosing scope says (TF's rule).
        scope.set_partitioner(None)
        try:
            return vs.get_variable("", shape=shape_t, dtype=dtype, initializer=initializer,
                                   trainable=False, use_resource=_use_resource(primary),
                                   validate_shape=shape_t.is_fully_defined())
        finally:
            scope.set_partitioner(saved)


def create_zeros_slot(primary: Any, name: str, dtype: Any = None,
                      colocate_with_primary: bool = True) -> Any:
    """A slot of zeros shaped like ``primary``."""
    if dtype is None:
        dtype = primary.dtype.base_dtype
    shape = primary.get_shape()
    if not shape.is_fully_defined():
        raise ValueError(f"varstore needs a fully defined shape for the slot {name!r} of "
                         f"{primary.name}, got {shape}")
    return create_slot_with_initializer(primary, init_ops.zeros_initializer(), shape, dtype,
                                        name, colocate_with_primary)
