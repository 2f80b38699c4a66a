"""``tf.graph_util`` (TF1's framework/graph_util_impl.py): GraphDef surgery for frozen
graphs. ``convert_variables_to_constants`` freezes a session's variables into Consts as
TF 2's converter does (framework/convert_to_constants.py): the sub-graph the outputs need,
each variable node a Const of its value, each ReadVariableOp an Identity, ResourceGather a
GatherV2, and the Identity/Switch/Merge between them retyped from resource to the data type.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any

from varstore.framework.graph_def import graph_def_pb2, make_tensor_proto
from varstore.framework.importer import import_graph_def

__all__ = ["convert_variables_to_constants", "extract_sub_graph", "import_graph_def",
           "must_run_on_cpu", "remove_training_nodes", "tensor_shape_from_node_def_name"]

_VARIABLE_OPS = ("Variable", "VariableV2", "VarHandleOp")
_INTERMEDIATE_OPS = ("Enter", "Exit", "Identity", "NextIteration", "Switch", "_SwitchN")


def _node_name(n: str) -> str:
    return n[1:] if n.startswith("^") else n.split(":")[0]


def _colocated(name: bytes) -> str:
    text = name.decode("utf-8")
    return text.removeprefix("loc:@")


def extract_sub_graph(graph_def: Any, dest_nodes: Iterable[str]) -> Any:
    """The nodes that ``dest_nodes`` need (inputs, control inputs, colocations), in their
    GraphDef order."""
    pb = graph_def_pb2()
    if not isinstance(graph_def, pb.GraphDef):
        raise TypeError("graph_def must be a graph_pb2.GraphDef proto, but got type "
                        f"{type(graph_def)}.")
    if isinstance(dest_nodes, str):
        raise TypeError(f"dest_nodes must be an iterable of strings, but got type "
                        f"{type(dest_nodes)}.")
    inputs: dict[str, list[str]] = {}
    nodes: dict[str, Any] = {}
    order: dict[str, int] = {}
    for seq, node in enumerate(graph_def.node):
        n = _node_name(node.name)
        nodes[n] = node
        inputs[n] = [_node_name(x) for x in node.input]
        if "_class" in node.attr:
            inputs[n].extend(_colocated(c) for c in node.attr["_class"].list.s)
        order[n] = seq
    dest = list(dest_nodes)
    for d in dest:
        assert d in nodes, f"{d} is not in graph"
    keep: set[str] = set()
    todo = list(dest)
    while todo:
        name = todo.pop(0)
        if name in keep:
            continue
        keep.add(name)
        todo.extend(inputs.get(name, ()))
    out = pb.GraphDef()
    for n in sorted(keep, key=lambda n: order[n]):
        out.node.add().CopyFrom(nodes[n])
    out.versions.CopyFrom(graph_def.versions)
    return out


def convert_variables_to_constants(sess: Any, input_graph_def: Any,
                                   output_node_names: Iterable[str],
                                   variable_names_whitelist: Any = None,
                                   variable_names_blacklist: Any = None) -> Any:
    """The sub-graph for ``output_node_names`` with its variables as Consts of their
    values in ``sess``."""
    graph_def = extract_sub_graph(input_graph_def, output_node_names)
    by_name = {node.name: node for node in graph_def.node}
    consumers: dict[str, list[tuple[Any, int]]] = {}
    for node in graph_def.node:
        for index, name in enumerate(node.input):
            if not name.startswith("^"):
                consumers.setdefault(_node_name(name), []).append((node, index))
    variables = [node for node in graph_def.node if node.op in _VARIABLE_OPS and (
        variable_names_whitelist is None or node.name in variable_names_whitelist) and (
        variable_names_blacklist is None or node.name not in variable_names_blacklist)]
    reads = [n.name + ("/Read/ReadVariableOp:0" if n.op == "VarHandleOp" else ":0")
             for n in variables]
    values = sess.run(reads) if reads else []
    for node, value in zip(variables, values):
        dtype = copy.deepcopy(node.attr["dtype"])
        name = node.name
        node.Clear()
        node.name, node.op = name, "Const"
        node.attr["dtype"].CopyFrom(dtype)
        make_tensor_proto(value, node.attr["value"].tensor)
        _retype_consumers(graph_def, by_name, consumers, name, dtype, set())
    return graph_def


def _retype_consumers(graph_def: Any, by_name: dict[str, Any],
                      consumers: dict[str, list[tuple[Any, int]]], source: str, dtype: Any,
                      seen: set[str]) -> None:
    """TF's converter walking the edges out of a frozen variable."""
    for node, index in consumers.get(source, ()):
        if node.op == "ReadVariableOp":
            klass = copy.deepcopy(node.attr["_class"]) if "_class" in node.attr else None
            name, inp = node.name, node.input[0]
            node.Clear()
            node.name, node.op = name, "Identity"
            node.input.append(inp)
            node.attr["T"].CopyFrom(dtype)
            if klass is not None:
                node.attr["_class"].CopyFrom(klass)
        elif node.op == "ResourceGather":
            _gather(graph_def, by_name, node)
        elif node.op == "ResourceGatherNd":
            klass = copy.deepcopy(node.attr["_class"]) if "_class" in node.attr else None
            params, tindices = copy.deepcopy(node.attr["dtype"]), copy.deepcopy(
                node.attr["Tindices"])
            name, ins = node.name, list(node.input[:2])
            node.Clear()
            node.name, node.op = name, "GatherNd"
            node.input.extend(ins)
            node.attr["Tparams"].CopyFrom(params)
            node.attr["Tindices"].CopyFrom(tindices)
            if klass is not None:
                node.attr["_class"].CopyFrom(klass)
        elif node.op in (*_INTERMEDIATE_OPS, "Merge") and node.name not in seen:
            seen.add(node.name)
            attr = node.attr["T"]
            if attr.HasField("list") and len(attr.list.type) > index:
                attr.list.type[index] = dtype.type
            else:
                attr.type = dtype.type
            if "_output_shapes" in node.attr:
                del node.attr["_output_shapes"]
            _retype_consumers(graph_def, by_name, consumers, node.name, dtype, seen)


def _gather(graph_def: Any, by_name: dict[str, Any], node: Any) -> None:
    """ResourceGather -> GatherV2 with a Const ``<name>/axis`` (appended, as TF does)."""
    if node.attr["batch_dims"].i != 0:
        raise ValueError("batch_dims must be 0 for freeze_graph, but got "
                         f"node({node.name}).attr('batch_dims') = {node.attr['batch_dims'].i}.")
    import numpy as np

    from varstore.framework.proto_values import _dtype

    axis_name = node.name + "/axis"
    tindices = copy.deepcopy(node.attr["Tindices"])
    if axis_name not in by_name:
        axis = graph_def.node.add(name=axis_name, op="Const")
        axis.attr["dtype"].CopyFrom(tindices)
        make_tensor_proto(np.array(0, dtype=_dtype(tindices.type)._np), axis.attr["value"].tensor)
        by_name[axis_name] = axis
    klass = copy.deepcopy(node.attr["_class"]) if "_class" in node.attr else None
    params = copy.deepcopy(node.attr["dtype"])
    name, ins = node.name, list(node.input[:2])
    node.Clear()
    node.name, node.op = name, "GatherV2"
    node.input.extend([*ins, axis_name])
    node.attr["Tparams"].CopyFrom(params)
    node.attr["Tindices"].CopyFrom(tindices)
    node.attr["Taxis"].CopyFrom(tindices)
    if klass is not None:
        node.attr["_class"].CopyFrom(klass)


def remove_training_nodes(input_graph: Any, protected_nodes: Any = None) -> Any:
    """TF's remove_training_nodes: CheckNumerics removed, Identity/StopGradient spliced
    out unless protected, colocated or involved in control edges."""
    protected = set(protected_nodes or [])
    pb = graph_def_pb2()
    remove = {n.name for n in input_graph.node if n.op == "CheckNumerics" and
              n.name not in protected}
    kept = []
    for node in input_graph.node:
        if node.name in remove:
            continue
        new = copy.deepcopy(node)
        del new.input[:]
        new.input.extend(i for i in node.input if re.sub(r"^\^", "", i) not in remove)
        kept.append(new)
    control_inputs: set[str] = set()
    with_control: set[str] = set()
    colocated: set[str] = set()
    for node in kept:
        for i in node.input:
            if "^" in i:
                control_inputs.add(i.replace("^", ""))
                with_control.add(node.name)
        if "_class" in node.attr:
            colocated.update(_colocated(c) for c in node.attr["_class"].list.s)
    splice = {n.name: n.input[0] for n in kept if n.op in ("Identity", "StopGradient")
              and n.name not in protected and n.name not in colocated
              and n.name not in with_control}
    splice = {k: v for k, v in splice.items() if k not in control_inputs}
    out = pb.GraphDef()
    for node in kept:
        if node.name in splice:
            continue
        new = out.node.add()
        new.CopyFrom(node)
        del new.input[:]
        for full in node.input:
            name = re.sub(r"^\^", "", full)
            while name in splice:
                full = splice[name]
                name = re.sub(r"^\^", "", full)
            new.input.append(full)
    return out


def tensor_shape_from_node_def_name(graph: Any, input_name: str) -> Any:
    name = input_name if ":" in input_name else input_name + ":0"
    return graph.get_tensor_by_name(name).get_shape()


def must_run_on_cpu(node: Any, pin_variables_on_cpu: bool = False) -> bool:
    """TF's rule of which nodes (an Operation or a NodeDef) a GPU cannot run (varstore runs
    every node on the CPU)."""
    from varstore import dtypes as _dtypes
    from varstore.framework.ops import Operation

    if isinstance(node, Operation):
        op_type = node.type

        def dtype(key: str) -> Any:
            return node._attrs.get(key)
    else:
        op_type = node.op

        def dtype(key: str) -> Any:
            return _dtypes.as_dtype(node.attr[key].type) if key in node.attr else None

    if pin_variables_on_cpu and op_type in _VARIABLE_OPS:
        return True
    if op_type == "Const":
        return dtype("dtype") in (_dtypes.string, _dtypes.int32)
    if op_type in ("DynamicStitch", "ParallelDynamicStitch"):
        return bool(dtype("T") == _dtypes.int32)
    if op_type == "Cast":
        return bool(dtype("SrcT") == _dtypes.int32)
    return False
