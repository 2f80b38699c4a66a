"""A variable as TF's VariableDef proto (what a MetaGraph's variable collections hold), and
back: TF's ``Variable.to_proto`` / ``Variable.from_proto`` (ResourceVariable and RefVariable).

A VariableDef names the variable's nodes: the handle (``w:0``, a VarHandleOp or VariableV2),
its initializer (``w/Assign``), initial value and snapshot (``w/Read/ReadVariableOp:0`` or
``w/read:0``). ``from_proto`` wraps nodes already in the graph (imported by
``import_graph_def``, which gave the handle a store variable) as a varstore Variable.
"""

from __future__ import annotations

import re
from typing import Any

from varstore import dtypes as _dtypes
from varstore._save_slice_info import SaveSliceInfo
from varstore._variable_ops import (
    VariableAggregationV2,
    VariableSynchronization,
    VarOps,
    validate_synchronization_aggregation_trainable,
)
from varstore.framework.graph import Graph
from varstore.variables import Variable

__all__ = ["prepend_name_scope", "strip_name_scope", "variable_from_proto",
           "variable_to_proto"]


def strip_name_scope(name: str, export_scope: str | None) -> str:
    """TF's ops.strip_name_scope: ``export_scope/`` removed from a name (also after '^'
    or 'loc:@')."""
    if not export_scope:
        return name
    if export_scope[-1] == "/":
        export_scope = export_scope[:-1]
    return re.sub(r"([\^]|loc:@|^)" + export_scope + r"[\/]+(.*)", r"\1\2", name, count=1)


def prepend_name_scope(name: str, import_scope: str | None) -> str:
    """TF's ops.prepend_name_scope."""
    if not import_scope:
        return name
    if import_scope[-1] == "/":
        import_scope = import_scope[:-1]
    return re.sub(r"([\^]|loc:@|^)(.*)", r"\1" + import_scope + r"/\2", name)


def variable_to_proto(v: Any, export_scope: str | None = None) -> Any:
    """The VariableDef of ``v`` (None if it is outside ``export_scope``)."""
    from varstore.framework.meta_graph_pb2 import VariableDef

    ops: VarOps = v._ops
    if export_scope and not ops.handle.name.startswith(export_scope):
        return None
    vd = VariableDef()
    vd.variable_name = strip_name_scope(ops.handle.name, export_scope)
    if ops.initial is not None:
        vd.initial_value_name = strip_name_scope(ops.initial.name, export_scope)
    if ops.initializer is not None:
        vd.initializer_name = strip_name_scope(ops.initializer._name, export_scope)
    vd.snapshot_name = strip_name_scope(ops.element.name, export_scope)
    if not ops.is_ref:
        vd.is_resource = True
    vd.trainable = bool(v.trainable)
    vd.synchronization = int(ops.synchronization)
    vd.aggregation = int(ops.aggregation)
    info = ops.save_slice_info
    if info is not None:
        sd = vd.save_slice_info_def
        sd.full_name = strip_name_scope(info.full_name, export_scope)
        sd.full_shape.extend(int(d) for d in info.full_shape)
        sd.var_offset.extend(int(d) for d in info.var_offset)
        sd.var_shape.extend(int(d) for d in info.var_shape)
    return vd


def variable_from_proto(graph: Graph, variable_def: Any, import_scope: str | None = None
                        ) -> Variable:
    """The Variable whose nodes ``variable_def`` names (prefixed by ``import_scope``)."""
    def element(name: str) -> Any:
        return graph.as_graph_element(prepend_name_scope(name, import_scope))

    handle = element(variable_def.variable_name)
    op = handle._op
    if op._type not in ("VarHandleOp", "VariableV2") or not isinstance(op._data, int):
        raise ValueError(f"{variable_def.variable_name!r} does not name a variable of this "
                         f"graph (it is a {op._type})")
    vid: int = op._data
    known = graph._variables[vid] if vid < len(graph._variables) else None
    if known is not None:
        return known  # type: ignore[no-any-return]
    is_ref = op._type == "VariableV2"
    dtype: _dtypes.DType = op._attrs["dtype"]
    shape = op._attrs["shape"]._dims
    initializer = element(variable_def.initializer_name) if variable_def.initializer_name \
        else None
    initial = element(variable_def.initial_value_name) if variable_def.initial_value_name \
        else None
    cached = None
    if variable_def.snapshot_name:
        snapshot = element(variable_def.snapshot_name)
        if not is_ref and snapshot._op._type != "ReadVariableOp":
            cached = snapshot
    elif is_ref:
        snapshot = graph.get_tensor_by_name(op._name + "/read:0")
    else:
        snapshot = graph.get_tensor_by_name(op._name + "/Read/ReadVariableOp:0")
    sync, agg, _ = validate_synchronization_aggregation_trainable(
        variable_def.synchronization, variable_def.aggregation, variable_def.trainable,
        variable_def.variable_name)
    ops = VarOps(handle, initializer, initial, snapshot, is_ref, dtype, shape)
    if cached is not None:
        ops.caching_device = cached._op._device
    ops.synchronization = VariableSynchronization(sync)
    ops.aggregation = VariableAggregationV2(int(agg))
    if variable_def.HasField("save_slice_info_def"):
        sd = variable_def.save_slice_info_def
        ops.save_slice_info = SaveSliceInfo(prepend_name_scope(sd.full_name, import_scope),
                                            list(sd.full_shape), list(sd.var_offset),
                                            list(sd.var_shape))
    graph._var_ops[vid] = ops
    var = Variable._wrap(graph, vid)
    variables = graph._variables
    while len(variables) <= vid:
        variables.append(None)
    variables[vid] = var
    if initial is not None:
        graph._initial_names[vid] = initial._op._name
    return var
