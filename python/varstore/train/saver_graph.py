"""The save and restore subgraph a TF1 Saver adds to its graph (TF's BaseSaverBuilder in
training/saver.py), node for node: ``save/Const`` (the filename), ``save/SaveV2`` and
``save/control_dependency`` (or, sharded, ShardedFilename, SaveV2, MergeV2Checkpoints and
``save/Identity``), ``save/RestoreV2``, an assign per variable and ``save/restore_all``.

varstore's Saver saves and restores without running these nodes; they make its MetaGraph
TF's, so that TF's ``import_meta_graph`` + ``Saver.restore`` work on what varstore writes, and
they are what a Saver made from an imported SaverDef runs (ops/io_ops.py has their kernels).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from varstore import dtypes as _dtypes
from varstore.framework.constant_op import make_const
from varstore.framework.graph import Graph
from varstore.framework.ops import Operation, Tensor, make_op, scope_of
from varstore.variables import Variable

__all__ = ["SaverNames", "build_saver_graph"]

_string = _dtypes.string
_CPU0 = "/device:CPU:0"
_MANUAL = "_has_manual_control_dependencies"


class SaverNames:
    """The node names a SaverDef records."""

    __slots__ = ("filename_tensor_name", "restore_op_name", "save_tensor_name")

    def __init__(self, filename: str, save: str, restore: str) -> None:
        self.filename_tensor_name = filename
        self.save_tensor_name = save
        self.restore_op_name = restore


def _strings(graph: Graph, name: str, values: list[str]) -> Tensor:
    arr = np.empty(len(values), dtype=object)
    arr[:] = [v.encode() for v in values]
    return make_const(graph, graph._op_name(name, name), arr, _string)


def _scalar(graph: Graph, name: str, value: Any, dtype: _dtypes.DType) -> Tensor:
    arr = np.array(value.encode() if isinstance(value, str) else value,
                   dtype=object if dtype is _string else dtype._np)
    return make_const(graph, graph._op_name(name, name), arr, dtype)


def _op(graph: Graph, name: str, op_type: str, inputs: list[Tensor], attrs: dict[str, Any],
        outs: list[tuple[_dtypes.DType, Any]], control: list[Operation] | None = None,
        device: str = "") -> Operation:
    op = make_op(graph, graph._op_name(name, name), op_type, inputs, attrs, outs,
                 control_inputs=control)
    if device:
        op._device = device
    return op


def _identity(graph: Graph, t: Tensor, device: str = "", name: str = "Identity") -> Tensor:
    return _op(graph, name, "Identity", [t], {"T": t._dtype}, [(t._dtype, t._shape)],
               device=device)._outputs[0]


class _Entry:
    """One saved tensor: checkpoint name, slice spec, the variable it restores."""

    __slots__ = ("name", "spec", "var")

    def __init__(self, name: str, spec: str, var: Variable) -> None:
        self.name, self.spec, self.var = name, spec, var


def _entries(named: Mapping[str, Variable], sliced: Mapping[str, list[Variable]]
             ) -> list[_Entry]:
    out = []
    for name in sorted([*named, *sliced]):
        if name in named:
            out.append(_Entry(name, "", named[name]))
        else:
            out.extend(_Entry(name, p._get_save_slice_info().spec, p) for p in sliced[name])
    return out


def _saved_tensor(graph: Graph, e: _Entry) -> Tensor:
    """What SaveV2 reads for an entry: a ref variable itself; a resource variable's read
    (a part of a partitioned variable is read here, on the CPU, as TF does)."""
    ops = e.var._ops
    if ops.is_ref:
        return ops.handle
    if not e.spec:
        return ops.element
    handle = ops.handle
    full = graph._op_name("Read", "Read")
    with scope_of(graph, full):
        make_op(graph, full + "/DisableCopyOnRead", "DisableCopyOnRead", [handle], {}, [])
        read = make_op(graph, full + "/ReadVariableOp", "ReadVariableOp", [handle],
                       {"dtype": ops.dtype}, [(ops.dtype, ops.shape)])._outputs[0]
    return _identity(graph, _identity(graph, read), device=_CPU0)


def _save_ops(graph: Graph, prefix: Tensor, entries: list[_Entry], tensors: list[Tensor],
              device: str) -> Operation:
    names = _strings(graph, "SaveV2/tensor_names", [e.name for e in entries])
    specs = _strings(graph, "SaveV2/shape_and_slices", [e.spec for e in entries])
    for t in (names, specs):
        t._op._device = device
    return _op(graph, "SaveV2", "SaveV2", [prefix, names, specs, *tensors],
               {"dtypes": [t._dtype for t in tensors], _MANUAL: True}, [], device=device)


def _restore_ops(graph: Graph, prefix: Tensor, entries: list[_Entry]) -> list[Operation]:
    names = _strings(graph, "RestoreV2/tensor_names", [e.name for e in entries])
    specs = _strings(graph, "RestoreV2/shape_and_slices", [e.spec for e in entries])
    for t in (names, specs):
        t._op._device = _CPU0
    dtypes = [e.var._ops.dtype for e in entries]
    restore = _op(graph, "RestoreV2", "RestoreV2", [prefix, names, specs], {"dtypes": dtypes},
                  [(d, None) for d in dtypes], device=_CPU0)
    assigns = []
    for e, value in zip(entries, restore._outputs):
        ops = e.var._ops
        if e.spec:  # (TF's RestoreV2 shape function knows a slice's shape, not a tensor's)
            value._shape = tuple(int(d) for d in e.var._get_save_slice_info().var_shape)
        if ops.is_ref:
            assigns.append(_op(graph, "Assign", "Assign", [ops.handle, value],
                               {"T": ops.dtype, "use_locking": True, "validate_shape": True,
                                "_class": [f"loc:@{ops.handle._op._name}"], _MANUAL: True},
                               [(ops.dtype, ops.shape)]))
        else:
            assigns.append(_op(graph, "AssignVariableOp", "AssignVariableOp",
                               [ops.handle, _identity(graph, value)],
                               {"dtype": ops.dtype, "validate_shape": False, _MANUAL: True},
                               []))
    return assigns


def build_saver_graph(graph: Graph, named: Mapping[str, Variable],
                      sliced: Mapping[str, list[Variable]], sharded: bool,
                      filename: str | None, name: str | None) -> SaverNames:
    """Adds TF's Saver subgraph for these variables (checkpoint name -> variable, and the
    sliced entries' parts) under the name scope ``name`` (default ``save``)."""
    state = graph._thread
    saved = state.control_deps, state.cond_ctx
    state.control_deps, state.cond_ctx = [], None
    try:
        with graph.name_scope(name or "save") as scope:
            entries = _entries(named, sliced)
            base = _scalar(graph, "filename/input", filename or "model", _string)
            fname = _op(graph, "filename", "PlaceholderWithDefault", [base],
                        {"dtype": _string, "shape": _shape(())}, [(_string, ())])._outputs[0]
            prefix = _op(graph, "Const", "PlaceholderWithDefault", [fname],
                         {"dtype": _string, "shape": _shape(())}, [(_string, ())])._outputs[0]
            if sharded:
                save_name = _sharded_save(graph, prefix, entries)
            else:
                tensors = [_saved_tensor(graph, e) for e in entries]
                save = _save_ops(graph, prefix, entries, tensors, "")
                dep = _op(graph, "control_dependency", "Identity", [prefix],
                          {"T": _string, "_class": [f"loc:@{prefix._op._name}"]},
                          [(_string, ())], control=[save])
                save_name = dep._outputs[0].name
            assigns = _restore_ops(graph, prefix, entries)
            if sharded:
                shard = _op(graph, "restore_shard", "NoOp", [], {_MANUAL: True}, [],
                            control=assigns)
                assigns = [shard]
            restore = _op(graph, "restore_all", "NoOp", [], {}, [], control=assigns)
    finally:
        state.control_deps, state.cond_ctx = saved
    del scope
    return SaverNames(prefix.name, save_name, restore._name)


def _shape(dims: tuple[int, ...]) -> Any:
    from varstore.framework.tensor_shape import TensorShape

    return TensorShape._of(dims)


def _sharded_save(graph: Graph, prefix: Tensor, entries: list[_Entry]) -> str:
    """TF's _AddShardedSaveOpsForV2 on one device: save to ``<prefix>_temp/part-00000-of-
    00001``, merge into ``prefix``; returns the save tensor's name."""
    cpu = "/device:CPU:*"
    is_s3 = _op(graph, "StaticRegexFullMatch", "StaticRegexFullMatch", [prefix],
                {"pattern": "^s3://.*"}, [(_dtypes.bool, ())], device=cpu)._outputs[0]
    part = _scalar(graph, "Const", ".part", _string)
    temp = _scalar(graph, "Const", "_temp/part", _string)
    part._op._device = temp._op._device = cpu
    suffix = _op(graph, "Select", "Select", [is_s3, part, temp], {"T": _string},
                 [(_string, ())], device=cpu)._outputs[0]
    tmp_prefix = _op(graph, "StringJoin", "StringJoin", [prefix, suffix],
                     {"N": 2, "separator": ""}, [(_string, ())], device=cpu)._outputs[0]
    num_shards = _scalar(graph, "num_shards", 1, _dtypes.int32)
    full = graph._op_name("ShardedFilename", "ShardedFilename")
    with scope_of(graph, full):
        shard = _scalar(graph, "shard", 0, _dtypes.int32)
    shard._op._device = _CPU0
    filename = make_op(graph, full, "ShardedFilename", [tmp_prefix, shard, num_shards], {},
                       [(_string, ())])
    filename._device = _CPU0
    sharded = filename._outputs[0]
    tensors = [_saved_tensor(graph, e) for e in entries]
    save = _save_ops(graph, sharded, entries, tensors, _CPU0)
    dep = _op(graph, "control_dependency", "Identity", [sharded],
              {"T": _string, "_class": [f"loc:@{filename._name}"], _MANUAL: True},
              [(_string, ())], control=[save], device=_CPU0)
    full = graph._op_name("MergeV2Checkpoints", "MergeV2Checkpoints")
    with scope_of(graph, full):
        prefixes = _op(graph, "checkpoint_prefixes", "Pack", [sharded],
                       {"N": 1, "T": _string, "axis": 0}, [(_string, (1,))], control=[dep],
                       device=_CPU0)._outputs[0]
    merge = make_op(graph, full, "MergeV2Checkpoints", [prefixes, prefix],
                    {"delete_old_dirs": True, "allow_missing_files": False, _MANUAL: True}, [])
    merge._device = _CPU0
    out = _op(graph, "Identity", "Identity", [prefix], {"T": _string}, [(_string, ())],
              control=[dep, merge], device=_CPU0)
    return out._outputs[0].name
