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
from varstore._save_slice_info import SaveSliceInfo
from varstore.framework.tensor_shape import as_shape
from varstore.ops import array_fill_ops, array_ops, control_flow_ops, init_ops, state_ops

__all__ = ["create_slot", "create_slot_with_initializer", "create_zeros_slot"]


def _use_resource(primary: Any) -> Any:
    # A variable's slots are of its kind; a tensor's take the default kind.
    is_ref = getattr(primary, "_is_ref", None)
    return None if is_ref is None else not is_ref


def create_slot(primary: Any, val: Any, name: str, colocate_with_primary: bool = True) -> Any:
    """A slot of ``primary`` initialised from the tensor ``val``."""
    prefix = primary.op.name
    # TF makes slots colocated with their primary (so on its device)
    with vs.variable_scope(None, default_name=prefix + "/" + name), \
            primary.graph.colocate_with(primary) if colocate_with_primary \
            else contextlib.nullcontext():
        return _slot_var(primary, val, None, None, val.get_shape().is_fully_defined())


def create_slot_with_initializer(primary: Any, initializer: Any, shape: Any, dtype: Any,
                                 name: str, colocate_with_primary: bool = True) -> Any:
    """A non-trainable slot of ``primary`` named ``<primary>/<name>`` (made unique); on
    primary's device unless ``colocate_with_primary`` is False (then the current one)."""
    shape_t = as_shape(shape)
    prefix = primary.op.name
    with vs.variable_scope(None, default_name=prefix + "/" + name), \
            primary.graph.colocate_with(primary) if colocate_with_primary \
            else contextlib.nullcontext():
        return _slot_var(primary, initializer, shape_t, dtype, shape_t.is_fully_defined())


def _slot_var(primary: Any, val: Any, shape: Any, dtype: Any, validate_shape: bool) -> Any:
    """TF's _create_slot_var: never partitioned, whatever the enclosing scope says; the slot
    of a partitioned variable's part is the same part of ``<full name>/<slot name>``."""
    scope = vs.get_variable_scope()
    saved = scope.partitioner
    scope.set_partitioner(None)
    try:
        slot = vs.get_variable("", shape=shape, dtype=dtype, initializer=val,
                               trainable=False, use_resource=_use_resource(primary),
                               validate_shape=validate_shape)
    finally:
        scope.set_partitioner(saved)
    info = getattr(primary, "_save_slice_info", None)
    if info is not None:
        real_slot_name = slot.name[len(primary.op.name + "/"):-2]
        n = slot.shape.ndims
        if n is None or n > 0:  # a scalar slot of a part is not sliced
            slot._set_save_slice_info(SaveSliceInfo(
                info.full_name + "/" + real_slot_name, info.full_shape[:n],
                info.var_offset[:n], info.var_shape[:n]))
    return slot


def create_zeros_slot(primary: Any, name: str, dtype: Any = None,
                      colocate_with_primary: bool = True) -> Any:
    """A slot of zeros shaped like ``primary`` (its run-time shape when the static one is
    partial, as TF: the variable's value, or its initial value before initialization)."""
    if dtype is None:
        dtype = primary.dtype.base_dtype
    shape = primary.get_shape()
    if shape.is_fully_defined():
        return create_slot_with_initializer(primary, init_ops.zeros_initializer(), shape,
                                            dtype, name, colocate_with_primary)
    if hasattr(primary, "_save_slice_info"):  # a variable
        value = control_flow_ops.cond(state_ops.is_variable_initialized(primary),
                                      primary.read_value, lambda: primary.initial_value)
    else:
        value = primary
    val = array_fill_ops.zeros(array_ops.shape(value), dtype=dtype)
    return create_slot(primary, val, name, colocate_with_primary)
